"""The token a server bound beyond loopback requires on every request.

Why every request (pages, JSON, static files, the OpenAPI schema): a newsroom corpus may hold
unpublished material; once the port is reachable from other machines nothing is public by
default. A client sends ``Authorization: Bearer <token>``; a person opens ``…/?token=<token>``
once and the server sets an HttpOnly, same-site cookie so the links on the pages keep working.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

from storyline.web.errors import error_response

COOKIE = "storyline_token"


def _offered(request: Request) -> tuple[str | None, bool]:
    """The token the request carries, and whether it came in the query string."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    if "token" in request.query_params:
        return request.query_params["token"], True
    return request.cookies.get(COOKIE), False


def install(app: FastAPI, token: str) -> None:
    """Refuse (401, the one error body) every request without ``token``."""
    expected = token.encode()

    @app.middleware("http")
    async def require_token(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        offered, from_query = _offered(request)
        if offered is None or not hmac.compare_digest(offered.encode(), expected):
            message = "a token is required" if offered is None else "wrong token"
            return error_response(
                request, 401, message, headers={"WWW-Authenticate": 'Bearer realm="storyline"'}
            )
        response = await call_next(request)
        if from_query:
            response.set_cookie(COOKIE, offered, httponly=True, samesite="strict")
        return response
