"""Routes: each module registers a page and its ``.json`` twin over the same view data.

Views translate HTTP into library calls and back; they hold no pipeline logic.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse


def page(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    """Render a page template (Jinja2, autoescaped) with the data its JSON twin returns."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, template, context)
    return response
