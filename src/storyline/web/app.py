"""The web app: pages and their JSON twins over one store, read-only unless told otherwise.

Why this shape (after datasette): the server opens the store read-only (``mode=ro``) so reading
a corpus can never change it; ``--writable`` is an explicit choice. Every page has a ``.json``
twin built from the same view data; every error leaves through :mod:`storyline.web.errors` as
one body. All assets are local (no CDN), so the pages work offline; FastAPI's ``/docs`` page,
which loads its assets from a CDN, is off and the schema is served at ``/openapi.json``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.settings import Config
from storyline.web import auth, cache, errors
from storyline.web.limits import RequestLimits
from storyline.web.state import CorpusPool
from storyline.web.views import articles, curation, docs, manage, reporting, search, stories

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
"""Sent with every response: nothing but our own files runs or loads, even if text slipped
through escaping, and pages cannot be framed by another site."""


def create_app(
    db: str | Path,
    writable: bool = False,
    token: str | None = None,
    config: Config | None = None,
    editor: str | None = None,
) -> FastAPI:
    """The ASGI app over the store at ``db``.

    ``writable`` opens the store for writing (uploads, rebuilding stories); otherwise every
    connection is read-only. ``token``, when given, is required on every request.
    ``config`` holds every setting (``config.web.max_upload_bytes`` caps a request body).
    ``editor`` is the author recorded for edits made through this server (the token holder's
    name; ``"web"`` when not given).
    """
    config = config or Config()
    pool = CorpusPool(db, writable, config)
    pool.get()  # fail now (missing or unreadable store), not on the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Setting web.threads: the thread pool that runs the (synchronous) routes; the limiter
        # is the event loop's, so it is set here, inside the loop that serves
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.web.threads
        yield
        pool.close()
        kept: cache.StoreVersion | None = getattr(app.state, "store_version", None)
        if kept is not None:
            kept.close()

    app = FastAPI(
        title="storyline",
        summary="Story timelines with citations, read from a storyline store.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        responses=errors.ERROR_RESPONSES,
    )
    app.state.pool = pool
    app.state.writable = writable
    app.state.editor = editor or "web"
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        writable=writable,
        version=_version(),
        max_dates=config.web.max_dates,
        max_per_date=config.web.max_per_date,
    )
    app.state.templates = templates

    errors.install(app)
    version = cache.store_version(db, writable, config.web.response_cache_mb)
    if version is not None:  # innermost: only answers the app built are kept
        app.add_middleware(
            cache.ResponseCache, version=version, max_bytes=config.web.response_cache_mb << 20
        )
        app.state.store_version = version
    # inside the token check: a stranger gets 401 whatever the request carries
    app.add_middleware(RequestLimits, max_body=config.web.max_upload_bytes, writable=writable)
    if token:
        auth.install(app, token)
    _install_response_headers(app)  # wraps auth: its 401s carry the headers too
    app.add_middleware(DropBlankParams)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (stories, reporting, curation, articles, search, manage, docs):
        app.include_router(module.router)
    return app


SERVE_DB_ENV = "STORYLINE_SERVE_DB"
SERVE_WRITABLE_ENV = "STORYLINE_SERVE_WRITABLE"
SERVE_THREADS_ENV = "STORYLINE_SERVE_THREADS"
TOKEN_ENV = "STORYLINE_TOKEN"


def app_from_env() -> FastAPI:
    """The app for one of several server processes (uvicorn's ``factory``): each process
    builds its own from what ``storyline serve`` put in the environment."""
    import os

    threads = os.environ.get(SERVE_THREADS_ENV)
    return create_app(
        os.environ[SERVE_DB_ENV],
        writable=os.environ.get(SERVE_WRITABLE_ENV) == "1",
        token=os.environ.get(TOKEN_ENV) or None,
        config=Config().with_overrides({"web.threads": int(threads)} if threads else {}),
    )


class DropBlankParams:
    """Treat ``?dates=`` (an empty form field) as a parameter not given.

    Why: a page's form without JavaScript submits every field, filled or not; an empty number
    or date must mean "the default", not a 422. Done on the raw query string, before routing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw: bytes = scope.get("query_string", b"")
        if scope["type"] == "http" and raw:
            kept = [p for p in raw.split(b"&") if p and not p.endswith(b"=") and b"=" in p]
            scope = dict(scope, query_string=b"&".join(kept))
        await self.app(scope, receive, send)


def _install_response_headers(app: FastAPI) -> None:
    """Security headers on every response, and ``Server-Timing`` with the time spent in the app.

    Why Server-Timing: the browser's developer tools and ``bench/bench_web.py`` read the server's
    own figure, apart from network and client time.
    """

    @app.middleware("http")
    async def response_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        elapsed = (time.perf_counter() - start) * 1000
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        return response


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storyline")
    except PackageNotFoundError:
        return "0"
