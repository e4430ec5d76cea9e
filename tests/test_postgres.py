"""PostgreSQL as a user meets it: the same answers as SQLite, and one line when it is not there.

The comparisons need a server (``STORYLINE_TEST_PG``, see tests/engines.py); the unreachable-server
checks need none and always run.
"""

from __future__ import annotations

import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from conftest import EXAMPLES, RunCli
from engines import database_url, fresh_pg_database, pg_server
from storyline.corpus import Corpus
from storyline.errors import StoreMissingError
from storyline.records import Article, Sentence
from storyline.store import Store, open_store
from storyline.store.pg_migrations import MIGRATIONS
from storyline.web import create_app

SENTENCES = [
    "The talks were held on Tuesday, and they were talking for hours.",
    "An e-mail to press@example.com said the co-operation ends in 2021.",
    "Zürich's café owners protested; the protesters' signs read 'No!'",
    "COVID19 cases rose 3.5% (per the WHO) while covid_19 tests fell.",
    "Generously, the general's generous offer was accepted by all.",
    "It is what it is: to be or not to be, that is the question.",
    "Running runners ran; the run-off vote is on 12/03/2024 at 10:30.",
    "São Paulo and Malmö joined; naïve coöperation, façade, élan.",
    "Visit https://news.example.org/a/b?c=1 or call +1-555-0100 now.",
    "The U.S. and the U.K. signed a 1,000-page deal (v2.0) on Friday.",
]

QUERIES = [
    "talks",
    "talking",
    "talk",
    "the",
    "it is",
    "to be",
    "e-mail",
    "email",
    "mail",
    "example",
    "example.com",
    "co-operation",
    "cooperation",
    "operation",
    "Zürich",
    "zurich",
    "cafe",
    "CAFÉ",
    "protesters",
    "protest",
    "covid19",
    "covid_19",
    "covid 19",
    "3.5",
    "5",
    "general",
    "generous",
    "run",
    "running",
    "12/03/2024",
    "sao paulo",
    "malmo",
    "naive cooperation",
    "https",
    "news.example.org",
    "U.S.",
    "v2.0",
    "1,000",
    'talks "Tuesday* (',
    "-hours +talks",
    "NEAR(talks hours)",
    "a:b OR c",
    "***",
    "",
    "'; DROP TABLE articles; --",
]


def _fill(store: Store) -> None:
    for n, text in enumerate(SENTENCES):
        a = Article(id=f"a{n}", text=text, title=f"Headline {n}", content_hash=f"h{n}")
        store.add_article(a, [Sentence(a.id, 0, text, 0, len(text))])


def _found(store: Store, query: str, cap: int | None = None) -> set[tuple[str, int]]:
    hits = store.search(query, limit=100, max_matches=cap)
    return {(h.sentence.article_id, h.sentence.index) for h in hits}


def test_full_text_search_finds_the_same_sentences_as_sqlite(tmp_path: Path) -> None:
    """The PostgreSQL configuration tokenises as FTS5's ``porter unicode61``: no stopwords,
    diacritics folded, punctuation splitting words, Porter's stems."""
    with (
        fresh_pg_database(create=False) as url,
        open_store(url) as pg,
        open_store(tmp_path / "s.db") as lite,
    ):
        _fill(lite)
        _fill(pg)
        words = {w for s in SENTENCES for w in s.split()}
        for query in [*QUERIES, *sorted(words)]:
            assert _found(pg, query) == _found(lite, query), query
            assert [a.id for a in pg.articles(query=query)] == [
                a.id for a in lite.articles(query=query)
            ], query
            for cap in (1, 2):  # a capped search takes the same newest matches on both
                assert _found(pg, query, cap) == _found(lite, query, cap), (query, cap)
                assert [a.id for a in pg.articles(query=query, max_matches=cap)] == [
                    a.id for a in lite.articles(query=query, max_matches=cap)
                ], (query, cap)
                assert pg.count_matches(query, cap) == lite.count_matches(query, cap)
        assert _found(pg, "the") and _found(pg, "generous") == _found(lite, "general")


def _cli_json(run_cli: RunCli, *args: str) -> object:
    result = run_cli(*args, "--json")
    assert result.code == 0, result.err
    return result.json()


def _timeline(run_cli: RunCli, *args: str) -> object:
    result = run_cli("timeline", *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _served(db: str, story_ids: list[str]) -> dict[str, object]:
    """What ``storyline serve`` answers on this store: every story and its timeline, a search
    (its hits as a set: each engine ranks its own way, bm25 or ts_rank, but finds the same
    sentences) and a query timeline."""
    app = create_app(db)

    async def get_all(urls: list[str]) -> dict[str, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = {}
            for url in urls:
                response = await client.get(url)
                assert response.status_code == 200, (url, response.text)
                answers[url] = response.json()
            return answers

    search = "/search.json?q=election+results&size=500"
    urls = ["/stories.json?size=500", search, "/timeline.json?q=election"]
    urls += [f"/stories/{i}.json" for i in story_ids]
    urls += [f"/stories/{i}/timeline.json" for i in story_ids]
    try:
        answers = asyncio.run(get_all(urls))
    finally:
        app.state.pool.close()
    answers[search]["hits"] = sorted(json.dumps(h, sort_keys=True) for h in answers[search]["hits"])
    return answers


def _make_run(run_cli: RunCli, db: str) -> dict[str, object]:
    """``make run``'s steps on the example corpus, and everything they show, as JSON."""
    for step in (["ingest", str(EXAMPLES)], ["build-stories"]):
        result = run_cli(*step, "--db", db)
        assert result.code == 0, result.err
    stories = _cli_json(run_cli, "stories", "--db", db)
    assert isinstance(stories, list) and stories
    return {
        "web": _served(db, [str(s["id"]) for s in stories]),
        "articles": _cli_json(run_cli, "articles", "--db", db),
        "stories": stories,
        "timeline": _timeline(run_cli, "--db", db),
        "printed": [run_cli(command, "--db", db).out for command in ("stories", "timeline")],
    }


def test_make_run_gives_the_same_articles_and_timelines_on_both_engines(
    run_cli: RunCli, tmp_path: Path
) -> None:
    with fresh_pg_database(create=False) as url:
        on_pg = _make_run(run_cli, url)
        stats = _cli_json(run_cli, "stats", "--db", url)
    on_sqlite = _make_run(run_cli, str(tmp_path / "example.db"))
    assert on_pg["articles"] and on_pg["web"]
    for key in on_sqlite:
        assert on_pg[key] == on_sqlite[key], key
    assert isinstance(stats, dict) and stats["articles"] == len(on_pg["articles"])  # type: ignore[arg-type]


def _edit(run_cli: RunCli, db: str, *args: str) -> dict[str, Any]:
    edit = _cli_json(run_cli, *args, "--db", db)
    assert isinstance(edit, dict), edit
    return edit


def _curate(run_cli: RunCli, db: str) -> dict[str, object]:
    """A person's edits through the CLI on examples/raa (pin, rename, split, set-date, merge,
    a refused undo and two that succeed, then a full rebuild), and everything they show.

    What to edit is looked up with the library (the store the CLI wrote); every edit and
    every answer compared is the CLI's."""
    ingested = run_cli("ingest", str(EXAMPLES), "--db", db)  # ingest groups the stories too
    assert ingested.code == 0, ingested.err
    with Corpus(db, read_only=True) as corpus:
        [story] = [s.id for s in corpus.stories()]
        first = corpus.timeline(story=story).entries[0].label
        early = next(a.id for a in corpus.articles() if a.published and a.published.year < 2020)
    shown: dict[str, object] = {}
    pin = _edit(run_cli, db, "entry", "pin", story, first)
    rename = _edit(run_cli, db, "story", "rename", story, "Reciprocal access")
    split = _edit(run_cli, db, "story", "split", story, "--at", "2020-01-01")
    late = split["target"]["new_story"]
    set_date = _edit(run_cli, db, "article", "set-date", early, "2021-06-01")
    refused = run_cli("undo", str(rename["id"]), "--db", db)  # the split was made on the rename
    shown["refused"] = (refused.code, refused.err)
    _edit(run_cli, db, "undo", str(set_date["id"]))
    merge = _edit(run_cli, db, "story", "merge", story, late)
    _edit(run_cli, db, "undo", str(merge["id"]))
    rebuilt = run_cli("build-stories", "--full", "--db", db)  # the edits are applied again
    assert rebuilt.code == 0, rebuilt.err
    stories = _cli_json(run_cli, "stories", "--db", db)
    log = _cli_json(run_cli, "edits", "--db", db)
    assert isinstance(stories, list) and isinstance(log, list)
    for edit in log:
        assert edit.pop("time")  # when it was made: the only thing that differs
    return {
        **shown,
        "ids": [pin["id"], rename["id"], split["id"], set_date["id"], merge["id"]],
        "pinned": pin["target"],
        "log": log,
        "stories": stories,
        "timelines": {s["id"]: _timeline(run_cli, "--story", s["id"], "--db", db) for s in stories},
        "timeline": _timeline(run_cli, "--db", db),
        "articles": _cli_json(run_cli, "articles", "--db", db),
    }


def test_curation_through_the_cli_gives_the_same_log_and_timelines_on_both_engines(
    run_cli: RunCli, tmp_path: Path
) -> None:
    with fresh_pg_database(create=False) as url, ThreadPoolExecutor(2) as both:
        pg = both.submit(_curate, run_cli, url)  # the engines side by side: each is a user
        lite = both.submit(_curate, run_cli, str(tmp_path / "curated.db"))
        on_pg, on_sqlite = pg.result(), lite.result()
    assert on_sqlite["ids"] == [1, 2, 3, 4, 6]
    code, err = on_sqlite["refused"]  # type: ignore[misc]
    assert code == 1 and "later edit(s) 3" in err, err
    log = on_sqlite["log"]
    assert isinstance(log, list)
    assert [(e["id"], e["kind"], e["undone_by"]) for e in log] == [
        (1, "entry.pin", None),
        (2, "story.rename", None),
        (3, "story.split", None),
        (4, "article.set_date", 5),
        (5, "undo", None),
        (6, "story.merge", 7),
        (7, "undo", None),
    ]
    stories, timelines = on_sqlite["stories"], on_sqlite["timelines"]
    assert isinstance(stories, list) and isinstance(timelines, dict)
    assert len(stories) == 2 and stories[0]["label"] == "Reciprocal access"
    pinned = on_sqlite["pinned"]["date"]  # type: ignore[index]
    entries = {e["date"]: e for e in timelines[stories[0]["id"]]["entries"]}
    assert entries[pinned]["provenance"] == "pinned", entries.keys()
    for key in on_sqlite:
        assert on_pg[key] == on_sqlite[key], key


def _one_line_error(result: object) -> str:
    code, err = result.code, result.err  # type: ignore[attr-defined]
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return str(err)


def test_an_unreachable_server_is_one_line_without_the_password(run_cli: RunCli) -> None:
    url = "postgresql://storyline:s3cret@127.0.0.1:1/news"
    for command in (["stats"], ["ingest", str(EXAMPLES)], ["stories"], ["serve"]):
        err = _one_line_error(run_cli(*command, "--db", url))
        assert "cannot connect to the PostgreSQL server" in err, err
        assert "s3cret" not in err and "storyline:***@127.0.0.1:1/news" in err, err
    url = "postgres://u@127.0.0.1:1/x?sslmode=disable&password=p%40ss"  # libpq's parameter form
    err = _one_line_error(run_cli("stats", "--db", url))
    assert "p%40ss" not in err and "password=***" in err, err


def test_storyline_db_names_the_store_when_db_is_not_given(run_cli: RunCli) -> None:
    env = dict(os.environ, STORYLINE_DB="postgres://nobody@127.0.0.1:1/x", NO_COLOR="1")
    err = _one_line_error(run_cli("stats", env=env))
    assert "postgres://nobody@127.0.0.1:1/x" in err


def test_bad_credentials_and_a_missing_database_are_one_line(run_cli: RunCli) -> None:
    server = pg_server()
    with fresh_pg_database(create=False) as url:
        err = _one_line_error(run_cli("stories", "--db", url))
        assert "no store at" in err and "ingest" in err
        with pytest.raises(Exception, match="no store"):
            open_store(url, read_only=True)
    stranger = server.replace("://", "://no_such_role_storyline@", 1)
    if "@" in server.split("://", 1)[1]:  # the server URL names a user: replace it
        scheme, rest = server.split("://", 1)
        stranger = f"{scheme}://no_such_role_storyline@{rest.split('@', 1)[1]}"
    err = _one_line_error(run_cli("stats", "--db", database_url(stranger, "postgres")))
    assert "no_such_role_storyline" in err and "cannot connect" in err


def test_an_empty_database_is_no_store_for_readers_and_gets_the_schema_from_a_writer() -> None:
    with fresh_pg_database(create=True) as url:
        for mode in ({"read_only": True}, {"create": False}):
            with pytest.raises(StoreMissingError, match="holds no storyline store"):
                open_store(url, **mode)  # type: ignore[arg-type]
        open_store(url).close()
        open_store(url).close()  # the second opening applies nothing again
        with psycopg.connect(url) as raw:
            applied = [r[0] for r in raw.execute("SELECT id FROM migrations ORDER BY id")]
            config = raw.execute("SELECT to_tsvector('storyline_fts', 'The Talks')").fetchone()
        assert applied == [number for number, _, _ in MIGRATIONS]
        assert config is not None and config[0] == "'talk':2 'the':1"  # no stopwords
        with open_store(url, read_only=True) as store:
            assert store.count_articles() == 0
