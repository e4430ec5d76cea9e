"""The read-only server's cache of JSON answers (web/cache.py) and its connections (nodelay)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from storyline.records import Article, Sentence, Story
from storyline.settings import Config, WebConfig
from storyline.store import SQLiteStore
from storyline.web import create_app, reading


def _add(store: SQLiteStore, n: int) -> str:
    text = f"The ferry strike entered day {n}, the union said."
    a = Article(
        id=f"a{n}",
        text=text,
        title=f"Strike day {n}",
        source=f"/in/{n}.txt",
        published=date(2019, 6, n),
        date_source="given",
        content_hash=f"h{n}",
    )
    store.add_article(a, [Sentence(a.id, 0, text, 0, len(text))])
    return a.id


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "cache.db"
    with SQLiteStore(path) as store:
        ids = [_add(store, n) for n in range(1, 6)]
        store.save_stories([Story("s1", "Ferry strike", ids[:3]), Story("s2", "Port", ids[3:])])
    return path


@contextmanager
def _client(path: Path, writable: bool = False, config: Config | None = None) -> Iterator[Any]:
    """A function GETting a URL from one app (one cache) over the store at ``path``."""
    app = create_app(path, writable=writable, config=config)
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")

    def get(url: str) -> httpx.Response:
        return loop.run_until_complete(client.get(url))

    try:
        yield get
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()
        app.state.pool.close()
        version = getattr(app.state, "store_version", None)
        if version is not None:
            version.close()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time a request reads the stories list from the store."""
    seen: list[str] = []
    real = reading.story_page

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen.append("stories")
        return real(*args, **kwargs)

    monkeypatch.setattr(reading, "story_page", counted)
    return seen


def test_an_unchanged_store_answers_a_url_again_without_reading_it(
    store_file: Path, reads: list[str]
) -> None:
    with _client(store_file) as get:
        first = get("/stories.json")
        again = get("/stories.json")
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert again.headers["content-type"] == first.headers["content-type"]
        assert "server-timing" in again.headers  # the outer headers are still set per request
        assert reads == ["stories"]
        get("/stories.json?size=1")  # another URL is another answer
        assert reads == ["stories", "stories"]


def test_a_commit_by_another_process_is_seen_at_once(store_file: Path, reads: list[str]) -> None:
    with _client(store_file) as get:
        before = get("/stories.json").json()
        assert [s["label"] for s in before["stories"]] == ["Ferry strike", "Port"]
        with SQLiteStore(store_file) as writer:  # an ingest or a rebuild elsewhere
            writer.save_stories([Story("s1", "Ferry strike ends", ["a1", "a2", "a3"])])
        after = get("/stories.json").json()
        assert [s["label"] for s in after["stories"]] == ["Ferry strike ends"]
        assert len(reads) == 2


def test_errors_pages_and_writable_servers_are_never_kept(
    store_file: Path, reads: list[str]
) -> None:
    with _client(store_file) as get:
        assert get("/stories/nope.json").status_code == 404
        assert get("/stories/nope.json").status_code == 404
        get("/")
        get("/")
        assert reads == ["stories", "stories"]  # the HTML list is built every time
    reads.clear()
    with _client(store_file, writable=True) as get:
        get("/stories.json")
        get("/stories.json")
        assert reads == ["stories", "stories"]
    reads.clear()
    with _client(store_file, config=Config(web=WebConfig(response_cache_mb=0))) as get:
        get("/stories.json")
        get("/stories.json")
        assert reads == ["stories", "stories"]


def test_served_connections_send_without_waiting_for_acknowledgements() -> None:
    """A socket bound as ``--workers N`` binds it (protocol 0) gets TCP_NODELAY from the
    server's protocol; asyncio alone leaves Nagle's algorithm on for it."""
    import uvicorn
    from uvicorn.server import ServerState

    from storyline.web.nodelay import NoDelayH11Protocol

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as uvicorn binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    conn, _ = listener.accept()

    class Transport:
        def get_extra_info(self, name: str, default: Any = None) -> Any:
            return {
                "socket": conn,
                "sockname": conn.getsockname(),
                "peername": conn.getpeername(),
            }.get(name, default)

    loop = asyncio.new_event_loop()  # its own: an earlier test may have left none current
    try:
        assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0

        async def app(scope: Any, receive: Any, send: Any) -> None:  # never called
            raise AssertionError

        config = uvicorn.Config(app=app, http=NoDelayH11Protocol)
        config.load()
        protocol = NoDelayH11Protocol(
            config=config, server_state=ServerState(), app_state={}, _loop=loop
        )
        protocol.connection_made(Transport())  # type: ignore[arg-type]
        assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        for s in (client, conn, listener):
            s.close()
        loop.close()
