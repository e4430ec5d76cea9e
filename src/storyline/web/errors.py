"""Every 4xx/5xx leaves the server here, as one body: ``{"ok": false, "error": …, "status": …}``.

Why one place: clients (newsroom tools, notebooks) handle one shape whatever went wrong — an
unknown route, an unknown id, a parameter out of bounds (FastAPI's 422), a write to a read-only
store. Library errors are typed (:mod:`storyline.errors`), so the mapping to a status is a table.
A browser asking for an HTML page (``Accept: text/html``, path not ending in ``.json``) gets the
same message as a small page instead, so a bad link does not show raw JSON to a reader.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.errors import (
    EvaluationError,
    InputError,
    NotFoundError,
    StoreBusyError,
    StoreError,
    StorylineError,
)

log = logging.getLogger("storyline.web")

STATUS_OF: list[tuple[type[StorylineError], int]] = [
    (StoreBusyError, 503),
    (NotFoundError, 404),
    (InputError, 400),
    (StoreError, 500),
    (EvaluationError, 500),
    (StorylineError, 500),
]
"""Library error type → HTTP status; the first matching row wins (subclasses first)."""


class ErrorBody(BaseModel):
    """The one error body, as documented in ``/openapi.json``."""

    ok: bool = False
    error: str
    status: int


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "Bad input"),
        (401, "Token missing or wrong (servers bound beyond loopback)"),
        (403, "Write refused (read-only server, or a cross-site request)"),
        (404, "Unknown route, id or export format"),
        (413, "Request body over the upload limit (setting web.max_upload_bytes)"),
        (414, "Query string too long"),
        (422, "A parameter is missing, not a number or date, or out of bounds"),
        (500, "Server error"),
        (503, "The store is busy: another storyline process is writing; try again"),
    )
}
"""Every route documents the one error body for these statuses."""


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def wants_html(request: Request) -> bool:
    """A browser navigating to a page, rather than a client of the JSON API."""
    path = request.url.path
    if path.endswith(".json") or path == "/openapi.json":
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The one error body (or its HTML page for a browser)."""
    if wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message, "title": f"Error {status}"},
            status_code=status,
            headers=headers,
        )
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    """FastAPI's list of problems as one line: ``query.dates: Input should be ≥ 1; …``."""
    parts = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such page: {request.url.path}"
    headers = dict(exc.headers) if exc.headers else None
    return error_response(request, exc.status_code, message, headers)


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(request, 422, _validation_message(exc))


async def _on_storyline(request: Request, exc: Exception) -> Response:
    status = next(code for kind, code in STATUS_OF if isinstance(exc, kind))
    if status >= 500:
        log.error("%s: %s", type(exc).__name__, exc)
    return error_response(request, status, str(exc))


async def _on_crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "internal server error")


def install(app: FastAPI) -> None:
    """Route every error of ``app`` through the one body."""
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StorylineError, _on_storyline)
    app.add_exception_handler(Exception, _on_crash)
