"""``storyline serve``: the web pages and JSON API over a store, with uvicorn."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

import typer

from storyline.cli.app import DEFAULT_DB, DbOption, app, err_console
from storyline.errors import InputError
from storyline.store import display_location, open_store

TOKEN_ENV = "STORYLINE_TOKEN"


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; other than loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    writable: Annotated[
        bool, typer.Option("--writable", help="Open the store for writing (default: read-only).")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar=TOKEN_ENV,
            help=f"Require this token on every request (Bearer header or ?token=); env {TOKEN_ENV}.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (default: setting web.workers, one per core).",
            show_default=False,
        ),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            min=1,
            max=256,
            help="Requests each process works on at once; more wait their turn (default: "
            "setting web.threads).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the stories, timelines and articles as web pages with JSON twins."""
    import os

    import uvicorn

    from storyline.settings import Config, WebConfig
    from storyline.web import create_app
    from storyline.web.app import SERVE_DB_ENV, SERVE_THREADS_ENV, SERVE_WRITABLE_ENV
    from storyline.web.limits import MAX_REQUEST_HEAD
    from storyline.web.nodelay import NoDelayH11Protocol

    if not token and not is_loopback(host):
        raise InputError(
            f"binding to {host} makes the store reachable from other machines: "
            f"give a token with --token or {TOKEN_ENV}"
        )
    # A mistyped --db must not serve (or, writable, create) an empty store: fail with one line.
    open_store(db, read_only=not writable, create=False).close()
    processes = workers if workers is not None else WebConfig().workers
    config = Config().with_overrides({"web.threads": threads} if threads is not None else {})
    mode = "read-write" if writable else "read-only"
    shown = f"[{host}]" if ":" in host else host
    options: dict[str, Any] = {
        "http": NoDelayH11Protocol,  # no 40 ms waits on kept-alive connections (web/nodelay.py)
        "host": host,
        "port": port,
        "log_level": "warning",
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD,  # long queries get the JSON 414
    }
    if processes > 1:  # each process builds the app from the environment (uvicorn's factory)
        os.environ[SERVE_DB_ENV] = str(db)
        os.environ[SERVE_WRITABLE_ENV] = "1" if writable else "0"
        os.environ[TOKEN_ENV] = token or ""
        os.environ[SERVE_THREADS_ENV] = str(config.web.threads)
        create_app(db, writable=writable, token=token or None, config=config)  # fail here
    err_console.print(
        f"serving {display_location(db)} ({mode}) at http://{shown}:{port}/"
        + (" (token required)" if token else "")
        + (f" with {processes} processes" if processes > 1 else ""),
        highlight=False,
    )
    if processes > 1:
        uvicorn.run(
            "storyline.web.app:app_from_env",
            factory=True,
            workers=processes,
            # a worker imports the library before it can answer the supervisor's health check:
            # uvicorn's 5 s default restarts it forever on a busy machine
            timeout_worker_healthcheck=120,
            **options,
        )
    else:
        uvicorn.run(
            create_app(db, writable=writable, token=token or None, config=config), **options
        )
