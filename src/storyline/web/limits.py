"""Bounds on what one request may carry, checked before any route reads it.

Why a middleware in front of the routes: FastAPI parses a multipart upload (every file, to
temporary files) before the route function runs, so a route cannot refuse a 10 GB body or a
read-only server's upload in time. Here a body is refused from its ``Content-Length`` without
reading a byte, and a body sent without one (chunked) is counted as it streams and cut off at
the cap. An over-long query string is refused too: no form of ours needs more than a few KB,
and every layer (routing, auth, logging) would otherwise handle the whole string.
Every refusal is the one error body of :mod:`storyline.web.errors`.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.web.errors import error_response

MAX_QUERY_STRING = 16 * 1024
"""Bytes of a raw (percent-encoded) query string: a 500-character query of 4-byte characters
is 6 KB encoded, with room for the other parameters and a token."""
MAX_REQUEST_HEAD = 128 * 1024
"""Bytes of request line and headers the HTTP parser buffers (``storyline serve`` passes it to
uvicorn, whose default is 16 KB): enough that an over-long query reaches :class:`RequestLimits`
and gets the one error body (414) rather than the parser's bare 400."""


class RequestLimits:
    """Refuse over-long query strings (414), bodies over ``max_body`` bytes (413), and any
    body at all on a read-only server (403): it has no route that reads one."""

    def __init__(self, app: ASGIApp, max_body: int, writable: bool) -> None:
        self.app = app
        self.max_body = max_body
        self.writable = writable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, message = refusal
            response = error_response(Request(scope), status, message)
            await response(scope, receive, send)
            return
        await self.app(scope, self._counted(receive), send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            return 414, f"query string longer than {MAX_QUERY_STRING} bytes"
        length: int | None = None
        chunked = False
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.strip().isdigit():
                    return 400, "Content-Length is not a number"
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if not chunked and not length:
            return None
        if not self.writable:
            return 403, "the store is open read-only: start the server with --writable"
        if length is not None and length > self.max_body:
            return 413, self._too_large()
        return None

    def _too_large(self) -> str:
        return (
            f"request body larger than {self.max_body} bytes (setting web.max_upload_bytes): "
            "ingest large collections with `storyline ingest`"
        )

    def _counted(self, receive: Receive) -> Receive:
        """``receive`` that raises 413 (the one body, via the app's handlers) past the cap."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise HTTPException(413, self._too_large())
            return message

        return counted
