"""A date is shown to its granularity everywhere a person reads it; JSON keeps the ISO day.

The seed 000 ingested alone is dated from its text to the year 2020 ("its 60-year-old
alliance" with "its 1960 agreement"): it must read ``2020``, never a day the text never implies.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import httpx
import pytest

from conftest import RunCli
from storyline.records import Article, Citation, Entry, Sentence, Timeline, date_label
from storyline.render import render
from storyline.store import SQLiteStore
from storyline.store.migrations import MIGRATIONS
from storyline.web import create_app

SEED_000 = "000_2db7ddb86090bf45.txt"


@pytest.mark.parametrize(
    ("granularity", "short", "long"),
    [
        ("day", "2020-11-17", "2020-11-17"),
        ("month", "2020-11", "November 2020"),
        ("year", "2020", "2020"),
    ],
)
def test_date_label(granularity: str, short: str, long: str) -> None:
    assert date_label(date(2020, 11, 17), granularity) == short
    assert date_label(date(2020, 11, 17), granularity, long=True) == long
    assert date_label(None, granularity) == ""


def test_granularity_travels_through_dicts_and_the_store(db_path: Path) -> None:
    article = Article(
        "a1",
        "Talks were held.",
        published=date(2020, 7, 1),
        date_source="inferred",
        date_granularity="year",
    )
    data = article.as_dict()
    assert (data["published"], data["date_granularity"]) == ("2020-07-01", "year")
    assert Article.from_dict(data) == article
    assert Article("a2", "Undated.").date_granularity is None
    assert Article("a3", "Dated.", published=date(2020, 1, 2)).date_granularity == "day"
    with SQLiteStore(db_path) as store:
        store.add_article(article, [Sentence("a1", 0, "Talks were held.", 0, 16)])
        assert store.get_article("a1").date_granularity == "year"
        store.update_article_date("a1", date(2020, 11, 1), "inferred", 0.3, ["why"], "month")
        assert store.get_article("a1").date_label == "2020-11"


def test_a_store_made_before_granularity_reads_its_dates_as_days(db_path: Path) -> None:
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    for number, name, sql in MIGRATIONS[:2]:
        for statement in sql.split(";"):
            db.execute(statement)
        db.execute("INSERT INTO migrations (id, name) VALUES (?, ?)", (number, name))
    db.execute(
        "INSERT INTO articles (id, text, source, published, content_hash)"
        " VALUES ('old', 'An old article.', 'old.txt', '2010-04-21', 'h')"
    )
    db.commit()
    db.close()
    with SQLiteStore(db_path) as store:
        old = store.get_article("old")
    assert (old.published, old.date_granularity) == (date(2010, 4, 21), "day")


def _cited(granularity: str) -> Timeline:
    cite = Citation(
        "Leaders reached a basic agreement.",
        "a1",
        0,
        0,
        34,
        title="Talks",
        source="Wire",
        published=date(2020, 7, 1),
        date_source="inferred",
        date_granularity=granularity,
    )
    return Timeline("Talks", [Entry(date(2020, 11, 17), "day", False, [cite])])


@pytest.mark.parametrize("fmt", ["terminal", "md", "html", "timelinejs"])
@pytest.mark.parametrize(("granularity", "shown"), [("year", "2020"), ("month", "July 2020")])
def test_every_export_shows_a_citation_date_to_its_granularity(
    fmt: str, granularity: str, shown: str
) -> None:
    out = render(_cited(granularity), fmt)
    assert f"{shown} (date inferred)" in out
    assert "2020-07-01" not in out


def test_json_export_keeps_the_iso_day_and_its_granularity() -> None:
    (entry,) = json.loads(render(_cited("year"), "json"))["entries"]
    cite = entry["sentences"][0]
    assert (cite["published"], cite["date_granularity"]) == ("2020-07-01", "year")


def _only_seed(run_cli: RunCli, seeds: Path) -> tuple[str, Path]:
    result = run_cli("ingest", str(seeds / SEED_000), "--db", "s.db")
    assert result.code == 0, result.err
    (row,) = run_cli("articles", "--db", "s.db", "--json").json()  # type: ignore[misc]
    return row["id"], Path("s.db")


def test_seed_000_alone_reads_2020_in_the_terminal_with_its_evidence(
    run_cli: RunCli, seeds: Path
) -> None:
    article_id, _ = _only_seed(run_cli, seeds)
    listing = run_cli("articles", "--db", "s.db").out
    assert "│ 2020 " in listing and "2020-07-01" not in listing
    shown = run_cli("show", article_id, "--db", "s.db")
    assert shown.code == 0, shown.err
    head = shown.out.split("\n")[1]
    assert " · 2020 (inferred, to the year" in head and "2020-07-01" not in shown.out
    evidence = [line for line in shown.out.splitlines() if line.strip().startswith("evidence:")]
    assert any("60-year-old" in e or "N-year-old" in e for e in evidence), shown.out
    data = run_cli("show", article_id, "--db", "s.db", "--json").json()
    assert isinstance(data, dict)
    assert (data["published"], data["date_granularity"]) == ("2020-07-01", "year")
    assert data["date_evidence"]


def test_seed_000_alone_reads_2020_in_the_exports_and_on_the_web(
    run_cli: RunCli, seeds: Path, tmp_path: Path
) -> None:
    article_id, _ = _only_seed(run_cli, seeds)
    for fmt in ("md", "html", "timelinejs", "terminal"):
        out = run_cli("timeline", "--db", "s.db", "--format", fmt)
        assert out.code == 0, out.err
        assert "2020 (date inferred)" in out.out and "2020-07-01" not in out.out, fmt

    async def pages() -> list[str]:
        app = create_app(tmp_path / "s.db")
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                urls = [f"/articles/{article_id}", "/search?q=Morrison"]
                return [(await http.get(u)).text for u in urls]
        finally:
            app.state.pool.close()

    article, search = asyncio.run(pages())
    assert '<time datetime="2020-07-01">2020</time>' in article
    assert f"{article_id}, 2020 (date inferred)" in search or ", 2020</a>" in search
    for page in (article, search):
        assert "2020-07-01<" not in page and ">2020-07-01" not in page


def test_a_story_ended_by_a_year_estimate_spans_to_that_year_everywhere(
    run_cli: RunCli, seeds: Path, tmp_path: Path
) -> None:
    """The two seeds: one story from 2017-04-19 to the undated report dated to 2020. Its span
    reads '2017-04-19 … 2020' in `stories`, `show-story` and on the web; JSON keeps ISO days
    and adds the labels."""
    assert run_cli("ingest", str(seeds), "--db", "s.db", "--quiet").code == 0
    listing = run_cli("stories", "--db", "s.db")
    assert listing.code == 0, listing.err
    assert "2017-04-19 … 2020 " in listing.out and "2020-07-01" not in listing.out
    (row,) = run_cli("stories", "--db", "s.db", "--json").json()  # type: ignore[misc]
    assert (row["first"], row["last"]) == ("2017-04-19", "2020-07-01")
    shown = run_cli("show-story", row["id"], "--db", "s.db")
    assert "· 2017-04-19 … 2020" in shown.out and "2020-07-01" not in shown.out

    async def fetch() -> tuple[dict[str, object], str, dict[str, object], str]:
        app = create_app(tmp_path / "s.db")
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                listed = (await client.get("/stories.json")).json()
                page = (await client.get("/")).text
                one = (await client.get(f"/stories/{row['id']}.json")).json()
                story = (await client.get(f"/stories/{row['id']}")).text
        finally:
            app.state.pool.close()
        return listed, page, one, story

    listed, page, one, story = asyncio.run(fetch())
    (summary,) = listed["stories"]  # type: ignore[index]
    assert (summary["first"], summary["last"]) == ("2017-04-19", "2020-07-01")
    assert (summary["first_label"], summary["last_label"]) == ("2017-04-19", "2020")
    assert one["story"]["last_label"] == "2020"  # type: ignore[index]
    for html in (page, story):
        assert re.search(r"2017-04-19 – 2020(?![-\d])", html), html
        assert "2020-07-01<" not in html and ">2020-07-01" not in html
