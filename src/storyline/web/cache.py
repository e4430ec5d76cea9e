"""Answers of the JSON API kept while the store does not change (read-only SQLite servers).

Why: a served store changes only when an ingest or a rebuild commits, in batches, and between
two commits every ``GET /….json`` gives the same bytes for the same URL. A newsroom's stories
list or a story everyone opens is asked for by many readers at once; building each answer again
costs milliseconds of Python per request (more for a search), which is what bounded the server
at about 30 requests per second on two cores with 100 clients. Kept answers cost a dictionary
lookup.

Why it is exact: the key is the URL (path and query string as the app receives it) and the
answer is kept only with the store's version at the time it was built. The version is SQLite's
``PRAGMA data_version`` read on a connection of the cache's own: it changes whenever any other
connection — another process's ingest, rebuild or curation — commits. A request first reads the
version; a kept answer of another version is never served, and the cache is emptied.

When it is off: a ``--writable`` server (its own writes would not change its own connections'
version), PostgreSQL (no such counter), and ``web.response_cache_mb = 0``. Only 200 answers of
GET requests to ``.json`` paths are kept (HTML pages carry per-server forms), none larger than a
tenth of the budget; the least recently used go first when the budget is full.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.store import is_server_url

Entry = tuple[int, list[tuple[bytes, bytes]], bytes]
"""A kept answer: status, headers, body."""


class StoreVersion:
    """The store's version: changes whenever another connection commits."""

    def __init__(self, db: str | Path) -> None:
        uri = f"{Path(db).resolve().as_uri()}?mode=ro"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def current(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class ResponseCache:
    """ASGI middleware keeping JSON answers while the store's version stays the same."""

    def __init__(self, app: ASGIApp, version: StoreVersion, max_bytes: int) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 10
        self._lock = threading.Lock()
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()
        self._bytes = 0
        self._of_version: int | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].endswith(".json")
        ):
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        version = self.version.current()
        with self._lock:
            if version != self._of_version:
                self._entries.clear()
                self._bytes = 0
                self._of_version = version
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
        if kept is not None:
            status, headers, body = kept
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        captured: dict[str, list[Message]] = {"messages": []}

        async def keep(message: Message) -> None:
            captured["messages"].append(message)
            await send(message)

        await self.app(scope, receive, keep)
        self._store(key, version, captured["messages"])

    def _store(self, key: bytes, version: int, messages: list[Message]) -> None:
        if not messages or messages[0]["type"] != "http.response.start":
            return
        head = messages[0]
        if head["status"] != 200:
            return
        body = b"".join(m.get("body", b"") for m in messages[1:])
        if len(body) > self.max_entry:
            return
        headers = list(head.get("headers", []))
        with self._lock:
            if version != self._of_version or key in self._entries:
                return  # the store changed while it was built: not kept
            self._entries[key] = (int(head["status"]), headers, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes and self._entries:
                _, (_, _, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)


def store_version(db: str | Path, writable: bool, max_mb: int) -> StoreVersion | None:
    """The version reader of a cache for this server, or None when none applies (see above)."""
    if writable or max_mb <= 0 or is_server_url(str(db)) or str(db) in ("", ":memory:"):
        return None
    return StoreVersion(db)
