"""The server against hostile requests: query syntax, wildcards, huge queries and uploads, path
traversal, and the two rules that stand (a token beyond loopback, writes only when --writable).

Requests go in-process through httpx over the ASGI app (and, where httpx itself would refuse
to send them, as raw ASGI calls), on a real store file; a real ``storyline serve`` subprocess
checks what uvicorn's HTTP parser lets through: a 100 KB query and an oversized upload.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from storyline.cli.serve import is_loopback
from storyline.settings import Config
from storyline.store import SQLiteStore
from storyline.web import create_app
from storyline.web.views.manage import safe_name
from test_web_api import Client, _article

FTS_SYNTAX = [
    '"', '""', '"unbalanced', "*", "rig*", "NEAR(", "NEAR(rig gulf, 2)", "'; DROP TABLE articles; --",
    '" OR 1=1 --', "((", "))", "a AND (b", "col:x", "sentences_fts:rig", "-rig", "^rig", "rig OR",
    "AND", "NOT", "\x00", "\\", "%", "_", "%%", "🙂", "x" * 500,
]  # fmt: skip
QUERY_ROUTES = ["/search.json", "/search", "/timeline.json", "/timeline", "/timeline.md"]
ARTICLE = "Talks in Tokyo\n\nThe leaders met in Tokyo on 17 November 2020 and agreed a pact."


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("websec") / "sec.db"
    with SQLiteStore(path) as store:
        _article(
            store,
            1,
            "Rig explodes in the Gulf",
            "The Deepwater Horizon rig exploded on April 20, 2010.",
            date(2010, 4, 21),
        )
        _article(
            store,
            3,
            "Prices cut 50% at snake_case stores",
            "Shops cut prices by half on April 22, 2010.",
            date(2010, 4, 22),
        )
    return path


@pytest.fixture(scope="module")
def client(store_file: Path) -> Iterator[Client]:
    c = Client(create_app(store_file), raise_app_exceptions=False)
    yield c
    c.close()


def _capped(max_upload_bytes: int) -> Config:
    """The default config with a small upload cap, so tests need not send 64 MB."""
    return Config().with_overrides({"web.max_upload_bytes": max_upload_bytes})


def _error(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """The one error body, with a 4xx (or exactly ``status``)."""
    if status is None:
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    else:
        assert response.status_code == status, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"ok", "error", "status"}, body
    assert body["ok"] is False and body["status"] == response.status_code and body["error"]
    return body


def _raw(
    c: Client, method: str, raw_path: str, query: bytes = b"", headers: list[Any] | None = None
) -> httpx.Response:
    """One request as raw ASGI, for what httpx will not send (``../``, a 100 KB query)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path),  # as uvicorn decodes it
        "raw_path": raw_path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    c._run(c.app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return httpx.Response(
        start["status"],
        headers=[(k.decode(), v.decode()) for k, v in start["headers"]],
        content=body,
    )


def _articles_in(db: Path) -> int:
    with SQLiteStore(db, read_only=True) as store:
        return len(store.articles())


# --- query strings -------------------------------------------------------------------------------
@pytest.mark.parametrize("q", FTS_SYNTAX)
def test_query_syntax_never_gives_a_server_error(client: Client, q: str) -> None:
    for route in QUERY_ROUTES:
        r = client.get(route, params={"q": q})
        assert r.status_code < 500, (route, r.status_code, r.text[:300])
        if r.status_code >= 400:
            _error(r)
    assert client.get("/search.json", params={"q": "rig"}).json()["hits"], "the store is intact"


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("R_g", []),
        ("R%f", []),
        ("Gul_", []),
        ("_", ["art3"]),  # "snake_case", not every title
        ("%", ["art3"]),  # "50%"
        ("50%", ["art3"]),
        ("snake_case", ["art3"]),
    ],
)
def test_wildcards_in_a_query_are_literal(client: Client, q: str, titles: list[str]) -> None:
    """``_`` and ``%`` match themselves: "R_g" must not find the title "Rig explodes"."""
    body = client.get("/search.json", params={"q": q}).json()
    assert [a["id"] for a in body["articles"]] == titles
    assert [h["article_id"] for h in body["hits"]] == [], "no sentence holds these"


def test_query_the_store_cannot_parse_is_a_400_and_a_broken_store_a_500(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web layer's own guard, whatever the store lets through."""
    import sqlite3

    from storyline.corpus import Corpus
    from storyline.errors import StoreError

    def unparsed(self: Any, query: str, **kw: Any) -> Any:
        raise StoreError("cannot search") from sqlite3.OperationalError(
            'fts5: syntax error near "("'
        )

    def unreadable(self: Any, query: str, **kw: Any) -> Any:
        raise StoreError("sec.db: disk I/O error")

    c = Client(create_app(store_file), raise_app_exceptions=False)
    try:
        monkeypatch.setattr(Corpus, "search", unparsed)
        for url in ("/search.json?q=x(", "/search?q=x("):
            r = c.get(url)
            assert r.status_code == 400, r.text
        assert "x(" in _error(c.get("/search.json?q=x("), 400)["error"]
        monkeypatch.setattr(Corpus, "search", unreadable)
        assert _error(c.get("/search.json?q=x"), 500)["error"] == "sec.db: disk I/O error"
    finally:
        c.close()


@pytest.mark.parametrize("route", ["/search.json", "/search", "/timeline.json", "/timeline.md"])
def test_a_100kb_query_string_is_refused_with_the_error_body(client: Client, route: str) -> None:
    query = b"q=" + b"x" * 100_000
    body = _error(_raw(client, "GET", route, query), 414)
    assert "query string" in body["error"]
    page = _raw(client, "GET", "/search", query, [(b"accept", b"text/html")])
    assert page.status_code == 414 and "text/html" in page.headers["content-type"]


def test_a_long_but_allowed_query_is_a_422_not_a_crash(client: Client) -> None:
    _error(client.get("/search.json", params={"q": "word " * 200}), 422)


# --- path traversal ------------------------------------------------------------------------------
TRAVERSALS = [
    "/static/../app.py", "/static/../../../../etc/passwd", "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py", "/static/..%2f..%2f..%2fetc%2fpasswd", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/%00", "/static/style.css%00", "/static/..%5capp.py",
    "/static/..\\app.py", "/static/C:%5cWindows%5cwin.ini", "/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd", "/articles/..%2f..%2fetc%2fpasswd.json", "/articles/%00.json",
    "/articles/%2fetc%2fpasswd", "/articles/..%2f..%2fetc%2fpasswd",
    "/stories/..%2f..%2fetc%2fpasswd/timeline.md", "/stories/%00/timeline.json",
    "/timeline.%2e%2e%2fpasswd?q=rig",
]  # fmt: skip


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_refused_with_the_error_body(client: Client, path: str) -> None:
    raw_path, _, query = path.partition("?")
    r = _raw(client, "GET", raw_path, query.encode())
    _error(r)
    assert "root:" not in r.text and "create_app" not in r.text


def test_static_files_are_still_served(client: Client) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../evil.txt", "evil.txt"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\me\\story.html", "story.html"),
        ("a\x00b.txt", "a_b.txt"),
        ("..", "upload-7.txt"),
        (".hidden.json", "hidden.json"),
        ("", "upload-7.txt"),
        (None, "upload-7.txt"),
        ("x" * 300 + ".jsonl", "x" * 94 + ".jsonl"),
    ],
)
def test_upload_file_names_cannot_leave_the_upload_folder(
    filename: str | None, expected: str
) -> None:
    assert safe_name(filename, 7) == expected


def test_upload_with_hostile_file_names_is_stored_and_writes_nowhere_else(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    SQLiteStore(db).close()
    outside = {p.name for p in tmp_path.parent.iterdir()}
    c = Client(create_app(db, writable=True), raise_app_exceptions=False)
    try:
        names = [b"../../evil.txt", b"/tmp/abs.txt", b"..\\..\\win.txt", b"nul\x00.txt", b".."]
        form, kind = _form(
            [(name, f"{ARTICLE} Copy {i} of the report.".encode()) for i, name in enumerate(names)]
        )
        body = c.post("/articles", content=form, headers={"content-type": kind}).json()
        assert body["ok"] is True and body["accepted"] == len(names), body
    finally:
        c.close()
    assert {p.name for p in tmp_path.parent.iterdir()} == outside
    assert not Path("/tmp/evil.txt").exists() and not (tmp_path / "evil.txt").exists()
    assert _articles_in(db) == len(names)


# --- uploads -------------------------------------------------------------------------------------
BOUNDARY = "sEcUrItYbOuNdArY"


def _form(files: list[tuple[bytes, bytes]]) -> tuple[bytes, str]:
    """A multipart body written by hand, so file names go out byte for byte (httpx would
    percent-encode a NUL)."""
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="files"; filename="%s"\r\n'
        b"Content-Type: text/plain\r\n\r\n%s\r\n" % (BOUNDARY.encode(), name, content)
        for name, content in files
    ]
    return b"".join(
        parts
    ) + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


def _multipart(size: int) -> tuple[bytes, str]:
    return _form([(b"big.txt", ARTICLE.encode() + b" " * size)])


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[Client, Path]]:
    db = tmp_path / "w.db"
    SQLiteStore(db).close()
    c = Client(create_app(db, writable=True, config=_capped(20_000)), raise_app_exceptions=False)
    yield c, db
    c.close()


def test_upload_under_the_cap_is_stored(writable: tuple[Client, Path]) -> None:
    c, db = writable
    body, kind = _multipart(1_000)
    r = c.post("/articles", content=body, headers={"content-type": kind})
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    assert _articles_in(db) == 1


def test_oversized_upload_is_refused_unread_from_its_length(writable: tuple[Client, Path]) -> None:
    c, db = writable
    pulled = []

    async def stream() -> AsyncIterator[bytes]:
        for _ in range(1000):
            pulled.append(1)
            yield b"x" * 1000

    r = c.post(
        "/articles",
        content=stream(),
        headers={"content-type": "multipart/form-data; boundary=b", "content-length": "10000000"},
    )
    body = _error(r, 413)
    assert "web.max_upload_bytes" in body["error"]
    assert len(pulled) <= 1, "the body was read"
    assert _articles_in(db) == 0


def test_oversized_upload_without_a_length_is_cut_off_as_it_streams(
    writable: tuple[Client, Path],
) -> None:
    c, db = writable
    body, kind = _multipart(200_000)
    pulled = []

    async def chunked() -> AsyncIterator[bytes]:
        for at in range(0, len(body), 4096):
            pulled.append(1)
            yield body[at : at + 4096]

    r = c.post("/articles", content=chunked(), headers={"content-type": kind})
    _error(r, 413)
    assert len(pulled) < len(body) // 4096 / 2, "read far past the cap"
    assert _articles_in(db) == 0


def test_bodies_refused_on_a_read_only_server_without_reading(client: Client) -> None:
    pulled = []

    async def stream() -> AsyncIterator[bytes]:
        for _ in range(100):
            pulled.append(1)
            yield b"x" * 1000

    body = _error(client.post("/articles", content=stream()), 403)
    assert "--writable" in body["error"] and len(pulled) <= 1
    files = {"files": ("x.txt", ARTICLE.encode(), "text/plain")}
    _error(client.post("/articles", files=files), 403)
    _error(client.post("/stories/build"), 403)


# --- the rules that stand ------------------------------------------------------------------------
def test_writes_need_writable_and_store_nothing(client: Client, store_file: Path) -> None:
    before = _articles_in(store_file)
    with SQLiteStore(store_file, read_only=True) as store:
        stories_before = store.stories()
    for _ in range(2):
        _error(client.post("/articles", files={"files": ("a.txt", ARTICLE.encode())}), 403)
        _error(client.post("/stories/build?full=true"), 403)
    assert _articles_in(store_file) == before
    with SQLiteStore(store_file, read_only=True) as store:
        assert store.stories() == stories_before


def test_token_guards_writes_and_refusals_alike(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    SQLiteStore(db).close()
    c = Client(create_app(db, writable=True, token="s3cret", config=_capped(20_000)))
    try:
        files = {"files": ("a.txt", ARTICLE.encode(), "text/plain")}
        for headers in ({}, {"authorization": "Bearer wrong"}, {"cookie": "storyline_token=x"}):
            _error(c.post("/articles", files=files, headers=headers), 401)
            _error(c.post("/stories/build", headers=headers), 401)
        big, kind = _multipart(50_000)
        _error(c.post("/articles", content=big, headers={"content-type": kind}), 401)
        _error(_raw(c, "GET", "/static/../app.py"), 401)
        _error(_raw(c, "GET", "/search.json", b"q=" + b"x" * 100_000), 401)
        assert _articles_in(db) == 0
        ok = c.post("/articles", files=files, headers={"authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["accepted"] == 1
    finally:
        c.close()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True),
        ("localhost", True), ("LOCALHOST", True), ("0.0.0.0", False), ("::", False),
        ("", False), ("10.0.0.1", False), ("192.168.1.20", False), ("localhost.example.com", False),
        ("127.0.0.1.nip.io", False), ("example.org", False), ("::ffff:10.0.0.1", False),
    ],
)  # fmt: skip
def test_which_hosts_count_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.20", "example.org"])
def test_serve_beyond_loopback_needs_a_token(
    run_cli: Any, store_file: Path, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    result = run_cli("serve", "--db", str(store_file), "--host", host, "--port", "1")
    assert result.code != 0 and "token" in result.err and "Traceback" not in result.err


# --- a real server -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``storyline serve --writable`` with a token, on a free loopback port."""
    db = tmp_path_factory.mktemp("served") / "served.db"
    SQLiteStore(db).close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, STORYLINE_TOKEN="t0k")
    cmd = [sys.executable, "-m", "storyline", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--writable"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/stories.json")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    err = proc.stderr.read() if proc.stderr else b""
                    pytest.fail(f"serve did not answer: {err!r}")
                time.sleep(0.2)
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _socket_request(base: str, head: str) -> tuple[int, dict[str, Any]]:
    """Send only a request head (no body) and read the whole answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if b"\r\n\r\n" in data:
                headers, _, rest = data.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in headers.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    None,
                )
                if length is not None and len(rest) >= length:
                    break
    status = int(data.split(b" ", 2)[1])
    return status, json.loads(data.partition(b"\r\n\r\n")[2])


def test_real_server_refuses_a_100kb_query_with_the_error_body(served: tuple[str, Path]) -> None:
    base, _ = served
    q = "x" * 100_000
    head = f"GET /search.json?q={q}&token=t0k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, body = _socket_request(base, head)
    assert status == 414 and body["ok"] is False and body["status"] == 414
    r = httpx.get(f"{base}/search.json", params={"q": "y" * 600, "token": "t0k"})
    assert r.status_code == 422 and r.json()["status"] == 422


def test_real_server_refuses_an_oversized_upload_unread(served: tuple[str, Path]) -> None:
    base, db = served
    head = (
        "POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0k\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        "Content-Length: 10000000000\r\nConnection: close\r\n\r\n"
    )
    status, body = _socket_request(base, head)
    assert status == 413 and body["status"] == 413 and "web.max_upload_bytes" in body["error"]
    assert _articles_in(db) == 0
    ok = httpx.post(
        f"{base}/articles",
        files={"files": ("a.txt", ARTICLE.encode(), "text/plain")},
        headers={"authorization": "Bearer t0k"},
    )
    assert ok.status_code == 200 and ok.json()["accepted"] == 1
    assert _articles_in(db) == 1
