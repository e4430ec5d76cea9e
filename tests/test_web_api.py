"""The HTTP API as a client uses it: httpx over the ASGI app in-process, on a real store file.

The store is written by hand (articles, sentences, expressions, one story, its stored default
timeline), so these tests pin the web layer alone: routes, JSON twins, the one error body,
bounds, the token, read-only safety, escaping, and FTS syntax that never errors.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from storyline.corpus import Corpus
from storyline.records import Article, Citation, Entry, Sentence, Story, TimeExpression, Timeline
from storyline.store import SQLiteStore
from storyline.web import create_app
from storyline.web.present import article_blocks, histogram

T = TypeVar("T")
EVIL = '<script>alert("x")</script> <b>bold</b> & more'


class Client:
    """A synchronous face over ``httpx.AsyncClient(transport=ASGITransport(app))``.

    One event loop runs in a thread for the whole module, so the app's worker threads (and
    their store connections) are reused between requests, as under uvicorn.
    """

    def __init__(self, app: Any, raise_app_exceptions: bool = True) -> None:
        self.app = app
        self.raise_app_exceptions = raise_app_exceptions
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.http = self._run(self._make())

    async def _make(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(
            app=self.app, raise_app_exceptions=self.raise_app_exceptions
        )
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self._run(self.http.get(url, **kw))

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self._run(self.http.post(url, **kw))

    def close(self) -> None:
        self._run(self.http.aclose())
        self.app.state.pool.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def _article(store: SQLiteStore, n: int, title: str, text: str, day: date | None) -> Article:
    """Store an article whose sentences are its lines, with every 'April N, 2010' tagged."""
    import re

    a = Article(
        id=f"art{n}",
        text=text,
        title=title,
        source=f"/corpus/{n}.txt",
        url="javascript:alert(1)" if n == 2 else f"https://news.example/{n}",
        published=day,
        date_source="given" if day else None,
        content_hash=f"hash{n}",
    )
    sentences, start = [], 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(Sentence(a.id, i, line, start, start + len(line)))
        start += len(line) + 1
    timexes = [
        TimeExpression(
            m.start(),
            m.end(),
            m.group(0),
            "DATE",
            f"2010-04-{int(m.group(1)):02d}",
            sentence_index=next(s.index for s in sentences if s.start <= m.start() < s.end),
        )
        for m in re.finditer(r"April (\d+), 2010", text)
    ]
    store.add_article(a, sentences, timexes)
    return a


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.db"
    with SQLiteStore(path) as store:
        a1 = _article(
            store,
            1,
            "Rig explodes in the Gulf",
            "The Deepwater Horizon rig exploded on April 20, 2010.\n"
            "Eleven workers were missing after the blast.",
            date(2010, 4, 21),
        )
        a2 = _article(
            store, 2, "<i>Escaped</i> title", f"{EVIL}\nThe spill grew on April 22, 2010.", None
        )
        a3 = _article(
            store,
            3,
            "Well to be capped",
            "Engineers said the well would be capped by April 30, 2010.",
            date(2010, 4, 25),
        )
        store.save_stories(
            [
                Story(
                    "s1",
                    "Gulf oil spill",
                    [a1.id, a2.id, a3.id],
                    date(2010, 4, 21),
                    date(2010, 4, 25),
                )
            ]
        )
        cite = Citation(
            a1.text.split("\n")[0], a1.id, 0, 0, 53, title=a1.title, published=a1.published
        )
        later = Citation(a3.text, a3.id, 0, 0, len(a3.text), title=a3.title, published=a3.published)
        timeline = Timeline(
            "Gulf oil spill",
            [
                Entry(date(2010, 4, 20), "day", False, [cite]),
                Entry(date(2010, 4, 30), "day", True, [later]),
            ],
            {"dates": 2, "per_date": 1},
        )
        store.save_timeline("s1", "default", timeline.as_dict())
    return path


@pytest.fixture(scope="module")
def client(store_file: Path) -> Iterator[Client]:
    c = Client(create_app(store_file))
    yield c
    c.close()


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


# --- JSON twins --------------------------------------------------------------------------------
def test_stories_json_lists_story_with_chart(client: Client) -> None:
    body = client.get("/stories.json").json()
    assert body["ok"] is True and body["total"] == 1 and body["page"] == 1
    story = body["stories"][0]
    assert story["id"] == "s1" and story["label"] == "Gulf oil spill" and story["articles"] == 3
    assert (story["first"], story["last"]) == ("2010-04-21", "2010-04-25")
    assert sum(b["count"] for b in story["chart"]) == 2  # the undated article is not charted
    assert "article_ids" not in story


def test_story_json_has_stored_timeline_and_paged_articles(client: Client) -> None:
    body = client.get("/stories/s1.json?size=2").json()
    assert body["story"]["label"] == "Gulf oil spill" and body["timeline_source"] == "stored"
    assert [e["date"] for e in body["timeline"]["entries"]] == ["2010-04-20", "2010-04-30"]
    assert body["timeline"]["entries"][1]["expected"] is True
    assert (body["total"], body["pages"], len(body["articles"])) == (3, 2, 2)
    second = client.get("/stories/s1.json?size=2&page=2").json()
    assert len(second["articles"]) == 1


def test_story_timeline_json_links_citations(client: Client) -> None:
    body = client.get("/stories/s1/timeline.json").json()
    assert body["ok"] is True and body["story_id"] == "s1"
    cite = body["entries"][0]["sentences"][0]
    assert cite["link"] == "/articles/art1#s0"
    assert body["parameters"] == {"dates": 2, "per_date": 1}


def test_stored_timeline_serves_its_own_parameters(client: Client) -> None:
    body = client.get("/stories/s1/timeline.json?dates=2&per_date=1").json()
    assert len(body["entries"]) == 2 and body["source"] == "stored"  # not recomputed


def test_computed_timeline_on_request(client: Client) -> None:
    if not hasattr(Corpus, "timeline"):
        pytest.skip("Corpus.timeline is not wired yet (timeline engineer / lead)")
    body = client.get("/stories/s1/timeline.json?dates=1&per_date=1").json()
    assert body["ok"] is True and len(body["entries"]) <= 1
    assert body["source"] == "computed"
    query = client.get("/timeline.json?q=rig%20exploded&dates=2").json()
    assert query["ok"] is True and query["q"] == "rig exploded"
    assert all(len(e["sentences"]) >= 1 for e in query["entries"])
    page = client.get("/timeline?q=rig+exploded")
    assert page.status_code == 200 and 'href="/timeline.md?q=rig+exploded"' in page.text
    download = client.get("/timeline.md?q=rig+exploded")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    _error(client.get("/timeline.pdf?q=rig"), 404)


def test_article_json(client: Client) -> None:
    body = client.get("/articles/art1.json").json()
    assert body["article"]["title"] == "Rig explodes in the Gulf"
    assert [s["index"] for s in body["sentences"]] == [0, 1]
    assert body["timexes"][0]["value"] == "2010-04-20"
    assert body["story"]["id"] == "s1"


def test_search_json_paged(client: Client) -> None:
    body = client.get("/search.json?q=april&size=1").json()
    assert body["ok"] is True and len(body["hits"]) == 1 and body["has_next"] is True
    assert body["hits"][0]["link"].startswith("/articles/art")
    titles = client.get("/search.json?q=capped").json()["articles"]
    assert [a["id"] for a in titles] == ["art3"]
    assert client.get("/search.json?q=").json()["hits"] == []


@pytest.mark.parametrize(
    "q", ['"', "*", "a AND", "NEAR(", "col:x", "-rig", "(((", "'", "^", "rig OR", "\x00", "🙂"]
)
def test_search_never_errors_on_fts_syntax(client: Client, q: str) -> None:
    assert client.get("/search.json", params={"q": q}).status_code == 200
    assert client.get("/search", params={"q": q}).status_code == 200
    if hasattr(Corpus, "timeline"):
        assert client.get("/timeline.json", params={"q": q}).status_code == 200
        assert client.get("/timeline", params={"q": q}).status_code == 200


def test_openapi_lists_json_routes(client: Client) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/stories.json",
        "/stories/{story_id}.json",
        "/articles/{article_id}.json",
        "/search.json",
        "/timeline.json",
        "/stories/{story_id}/timeline.json",
    ):
        assert path in schema["paths"], path
    assert client.get("/docs").status_code == 404  # its assets come from a CDN: off
    assert "/stories/{story_id}/timeline.json" in client.get("/api").text
    ok = schema["paths"]["/stories/{story_id}/timeline.json"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("StoryTimeline")
    assert "link" in schema["components"]["schemas"]["CitationOut"]["properties"]
    responses = schema["paths"]["/stories.json"]["get"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")


# --- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/articles/nope",
        "/articles/nope.json",
        "/stories/nope",
        "/stories/nope.json",
        "/stories/nope/timeline.json",
        "/no/such/route",
        "/stories/s1/timeline.pdf",
    ],
)
def test_unknown_ids_and_routes_are_404_bodies(client: Client, url: str) -> None:
    _error(client.get(url), 404)


@pytest.mark.parametrize(
    "url",
    [
        "/stories/s1/timeline.json?dates=-1",
        "/stories/s1/timeline.json?dates=0",
        "/stories/s1/timeline.json?per_date=100000",
        "/stories/s1/timeline.json?dates=abc",
        "/stories.json?page=0",
        "/stories.json?size=100000",
        "/stories.json?page=x",
        "/search.json?q=a&size=-3",
        "/timeline.json",
        "/timeline.json?q=oil&since=yesterday",
        "/search.json?q=" + "x" * 600,
    ],
)
def test_bad_parameters_are_422_bodies(client: Client, url: str) -> None:
    body = _error(client.get(url), 422)
    assert "query" in body["error"]


def test_blank_form_fields_mean_defaults(client: Client) -> None:
    """A form submitted without JavaScript sends empty fields: they mean "not given"."""
    assert client.get("/stories/s1?dates=&per_date=").status_code == 200
    assert client.get("/timeline?q=&since=&until=&dates=").status_code == 200
    assert client.get("/search.json?q=rig&page=&size=").json()["page"] == 1


def test_wrong_method_is_an_error_body(client: Client) -> None:
    _error(client.post("/stories.json"), 405)


def test_crash_is_a_500_body_without_details(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.errors import StoreError
    from storyline.web import reading

    def broken(*args: Any) -> Any:
        raise RuntimeError("secret internals")

    def store_down(*args: Any) -> Any:
        raise StoreError("the store cannot be read")

    monkeypatch.setattr(reading, "story_page", broken)
    monkeypatch.setattr(reading, "story_of", store_down)
    c = Client(create_app(store_file), raise_app_exceptions=False)
    try:
        body = _error(c.get("/stories.json"), 500)
        assert "secret" not in body["error"]
        assert _error(c.get("/articles/art1.json"), 500)["error"] == "the store cannot be read"
    finally:
        c.close()


def test_browser_gets_error_page_not_json(client: Client) -> None:
    r = client.get("/articles/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "no article" in r.text or "nope" in r.text


# --- pages and escaping --------------------------------------------------------------------------
def test_pages_render(client: Client) -> None:
    for url in ("/", "/stories/s1", "/articles/art1", "/search?q=rig", "/timeline", "/api"):
        r = client.get(url)
        assert r.status_code == 200 and "text/html" in r.headers["content-type"], url
        assert "Content-Security-Policy" in r.headers


def test_story_page_shows_timeline_citations_and_downloads(client: Client) -> None:
    html = client.get("/stories/s1").text
    assert 'href="/articles/art1#s0"' in html
    assert "expected" in html and "2010-04-30" in html
    for fmt in ("md", "html", "json", "timelinejs", "tilse"):
        assert f'href="/stories/s1/timeline.{fmt}"' in html


def test_article_page_escapes_html_and_marks_timexes(client: Client) -> None:
    html = client.get("/articles/art2").text
    assert "<script>alert" not in html and "<b>bold</b>" not in html and "<i>Escaped" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;i&gt;Escaped&lt;/i&gt; title" in html
    assert '<mark class="timex t-date" title="DATE 2010-04-22"' in html
    assert '<span class="sent" id="s1">' in html
    assert 'href="javascript:' not in html  # a feed's URL is linked only when it is http(s)
    assert 'href="https://news.example/1"' in client.get("/articles/art1").text


def test_search_page_escapes_hits(client: Client) -> None:
    html = client.get("/search?q=script").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


# --- exports -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["md", "html", "timelinejs", "tilse"])
def test_exports_download(client: Client, fmt: str) -> None:
    r = client.get(f"/stories/s1/timeline.{fmt}")
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"]
    assert "gulf-oil-spill" in r.headers["content-disposition"]
    assert r.text.strip()


# --- read-only, token ----------------------------------------------------------------------------
def test_server_store_is_read_only(client: Client, store_file: Path) -> None:
    corpus = client.app.state.pool.get()
    with pytest.raises(Exception, match="read-only"):
        corpus.store.save_timeline("s1", "x", {})
    assert SQLiteStore(store_file, read_only=True).load_timeline("s1", "x") is None


def test_writes_refused_on_read_only_server(client: Client) -> None:
    body = _error(client.post("/stories/build"), 403)
    assert "--writable" in body["error"]
    files = {"files": ("x.txt", b"Title\n\nSome body text that is long enough.", "text/plain")}
    _error(client.post("/articles", files=files), 403)


def test_writable_server_ingests_uploads_and_refuses_cross_site(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    SQLiteStore(db).close()
    c = Client(create_app(db, writable=True))
    try:
        text = "Talks in Tokyo\n\nThe leaders met in Tokyo on 17 November 2020 and agreed a pact."
        files = {"files": ("tokyo.txt", text.encode(), "text/plain")}
        evil = {"origin": "http://evil.example"}
        _error(c.post("/articles", files=files, headers=evil), 403)
        body = c.post("/articles", files=files).json()
        assert body["ok"] is True and body["accepted"] == 1
        hits = c.get("/search.json?q=Tokyo").json()["hits"]
        assert hits and hits[0]["text"].startswith("The leaders met")
        _error(c.post("/articles"), 422)  # no files
    finally:
        c.close()


def test_server_timing_header(client: Client) -> None:
    timing = client.get("/stories.json").headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) >= 0


def test_missing_store_is_refused_at_start(tmp_path: Path) -> None:
    from storyline.errors import StoreMissingError

    with pytest.raises(StoreMissingError):
        create_app(tmp_path / "absent.db")
    assert not (tmp_path / "absent.db").exists()


def test_token_required_on_every_request(store_file: Path) -> None:
    c = Client(create_app(store_file, token="s3cret"))
    try:
        for url in ("/", "/stories.json", "/openapi.json", "/static/style.css", "/nope"):
            body = _error(c.get(url), 401)
            assert "token" in body["error"]
        _error(c.get("/stories.json", headers={"Authorization": "Bearer wrong"}), 401)
        ok = c.get("/stories.json", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        page = c.get("/?token=s3cret")
        assert page.status_code == 200 and "storyline_token" in page.headers["set-cookie"]
        assert c.get("/stories/s1").status_code == 200  # the cookie carries the token on
    finally:
        c.close()


# --- pure helpers ----------------------------------------------------------------------------------
def test_article_blocks_cover_text_exactly() -> None:
    text = "One on May 1. Two.\n\nThree, 2010."
    sentences = [
        Sentence("a", 0, "One on May 1.", 0, 13),
        Sentence("a", 1, "Two.", 14, 18),
        Sentence("a", 2, "Three, 2010.", 20, 32),
    ]
    timexes = [
        TimeExpression(7, 12, "May 1", "DATE", "2010-05-01"),
        TimeExpression(27, 31, "2010", "DATE", "2010"),
    ]
    blocks = article_blocks(text, sentences, timexes)
    assert "".join(p.text for b in blocks for p in b.pieces) == text
    marked = [(p.text, p.timex.value) for b in blocks for p in b.pieces if p.timex]
    assert marked == [("May 1", "2010-05-01"), ("2010", "2010")]
    assert [b.index for b in blocks] == [0, None, 1, None, 2]


def test_histogram_counts_every_date() -> None:
    days = [date(2010, 4, 20), date(2010, 4, 20), date(2010, 6, 1), date(2011, 1, 1)]
    bars = histogram(days, 24)
    assert sum(b["count"] for b in bars) == 4 and len(bars) == 24
    assert bars[0]["start"] == "2010-04-20" and bars[-1]["end"] == "2011-01-01"
    assert histogram([date(2010, 1, 1)], 24) == [
        {"start": "2010-01-01", "end": "2010-01-01", "count": 1}
    ]


# --- the command -----------------------------------------------------------------------------------
def test_serve_refuses_public_address_without_token(run_cli: Any, store_file: Path) -> None:
    result = run_cli("serve", "--db", str(store_file), "--host", "0.0.0.0")
    assert result.code != 0 and "token" in result.err and "Traceback" not in result.err


def test_serve_missing_store_is_one_line(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("serve", "--db", str(tmp_path / "absent.db"))
    assert result.code != 0 and "no store at" in result.err and "Traceback" not in result.err


def test_serve_answers_on_loopback(store_file: Path) -> None:
    """``storyline serve`` as a user starts it: a subprocess answering on a free port."""
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, STORYLINE_TOKEN="t0k")
    cmd = [sys.executable, "-m", "storyline", "serve", "--db", str(store_file), "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/stories.json", params={"token": "t0k"})
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(
                        f"serve did not answer: {proc.stderr.read() if proc.stderr else ''}"
                    )
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] == 1
        assert httpx.get(f"http://127.0.0.1:{port}/stories.json").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_busy_store_is_a_503_with_the_one_error_body(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding the write lock is a temporary condition, not a server bug."""
    from storyline.corpus import Corpus
    from storyline.errors import StoreBusyError

    def busy(self: Corpus, *args: Any, **kwargs: Any) -> Any:
        raise StoreBusyError("the store is busy: another storyline process is writing")

    monkeypatch.setattr(Corpus, "search", busy)
    c = Client(create_app(store_file))
    try:
        body = _error(c.get("/search.json?q=oil"), 503)
        assert "busy" in body["error"]
    finally:
        c.close()
