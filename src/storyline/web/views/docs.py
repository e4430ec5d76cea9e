"""``/api``: the JSON API described from its own OpenAPI schema, with local assets only.

Why not FastAPI's ``/docs``: it loads Swagger UI from a CDN and is blank offline. This page is
rendered on the server from ``app.openapi()``, so it can never disagree with ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from storyline.web.views import page

router = APIRouter()


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each (method, path) with its summary and query/path parameters, API routes first."""
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "about": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "api": "api" in op.get("tags", []),
                }
            )
    return sorted(out, key=lambda o: (not o["api"], o["path"], o["method"]))


@router.get("/api", response_class=HTMLResponse, tags=["pages"], summary="API reference page")
def api_page(request: Request) -> HTMLResponse:
    operations = _operations(request.app.openapi())
    return page(
        request,
        "api.html",
        {"operations": operations, "title": "API", "json_url": "/openapi.json"},
    )
