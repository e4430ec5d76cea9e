"""`storyline timeline` as a user runs it: the seeds and bundled corpus, formats, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, RunCli


@pytest.fixture
def raa_db(tmp_path: Path, run_cli: RunCli, seeds: Path) -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip("examples/raa is absent")
    db = tmp_path / "raa.db"
    result = run_cli("ingest", str(EXAMPLES), str(seeds), "--db", str(db), "--quiet")
    assert result.code == 0, result.err
    return db


def test_bundled_corpus_timeline_shows_the_story_with_citations(
    raa_db: Path, run_cli: RunCli
) -> None:
    result = run_cli("timeline", "--db", str(raa_db), "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    labels = {e["date"] for e in data["entries"]}
    assert labels & {"2015-11", "2015-11-22"}, labels
    assert labels & {"2017-01", "2017-01-14"}, labels
    assert {"2017-04-19", "2020-11-17"} <= labels, labels
    for entry in data["entries"]:
        assert entry["granularity"] in {"day", "month", "year"}
        assert isinstance(entry["expected"], bool) and entry["sentences"]
        for s in entry["sentences"]:
            assert {
                "text",
                "article_id",
                "title",
                "source",
                "published",
                "sentence_index",
                "start",
                "end",
            } <= set(s)
            assert s["end"] - s["start"] == len(s["text"])


def test_the_two_seeds_alone_tell_the_story_from_2015_to_2020(
    tmp_path: Path, run_cli: RunCli, seeds: Path
) -> None:
    """The founding case: one report of 2017 with a date line, one of 2020 with none. The
    undated one is dated to its year from its text alone, and its lead is that year's news:
    the talks of November 2015, the pact of January 2017, the ministers of April 2017 and the
    basic agreement of 2020, each cited."""
    db = str(tmp_path / "seeds.db")
    assert run_cli("ingest", str(seeds), "--db", db, "--quiet").code == 0
    result = run_cli("timeline", "--db", db, "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    by_date = {e["date"]: e for e in data["entries"]}
    assert {"2015-11", "2017-01", "2017-04-19", "2020"} <= set(by_date), sorted(by_date)
    agreement = by_date["2020"]
    assert agreement["granularity"] == "year"
    assert any("basic agreement" in s["text"] for s in agreement["sentences"]), agreement
    assert {s["date_granularity"] for s in agreement["sentences"]} == {"year"}
    shown = run_cli("timeline", "--db", db).out
    assert "reached a basic agreement" in shown and "2020-07-01" not in shown


def test_other_formats_and_output_file(raa_db: Path, run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out" / "timeline.html"
    result = run_cli("timeline", "--db", str(raa_db), "-o", str(out), "--format", "html", "-L", "5")
    assert result.code == 0, result.err
    assert out.read_text().lstrip().lower().startswith("<!doctype html")
    tilse = run_cli("timeline", "--db", str(raa_db), "--format", "tilse", "-L", "5", "-K", "1")
    assert tilse.code == 0 and "-" * 32 in tilse.out
    terminal = run_cli("timeline", "--db", str(raa_db), "-L", "3")
    chosen = run_cli("timeline", "--db", str(raa_db), "-L", "3", "--format", "json").json()
    assert isinstance(chosen, dict) and len(chosen["entries"]) == 3
    assert terminal.code == 0
    for entry in chosen["entries"]:  # the terminal shows the same three dates
        assert entry["date"] in terminal.out


def test_query_matching_nothing_is_an_empty_timeline_with_a_message(
    raa_db: Path, run_cli: RunCli
) -> None:
    result = run_cli("timeline", "--db", str(raa_db), "--query", "zeppelinxyz", "--format", "json")
    assert result.code == 0
    assert result.json()["entries"] == []  # type: ignore[index]
    assert "no articles" in result.err and "Traceback" not in result.err


def test_more_dates_than_exist_and_missing_story(raa_db: Path, run_cli: RunCli) -> None:
    many = run_cli("timeline", "--db", str(raa_db), "--dates", "500", "--format", "json")
    assert many.code == 0 and 15 < len(many.json()["entries"]) < 500  # type: ignore[index]
    story = run_cli("timeline", "--db", str(raa_db), "--story", "nope")
    assert story.code != 0 and "Traceback" not in story.err and story.err.strip()


def test_story_timeline_after_stories_are_built(raa_db: Path, run_cli: RunCli) -> None:
    assert run_cli("build-stories", "--db", str(raa_db)).code == 0
    stories = run_cli("stories", "--db", str(raa_db), "--json").json()
    assert isinstance(stories, list) and stories
    first = stories[0]["id"]
    result = run_cli("timeline", "--db", str(raa_db), "--story", first, "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict) and data["entries"] and data["title"]


def test_a_story_over_the_article_cap_says_its_timeline_reads_a_sample(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A story larger than ``timeline.story_max_articles`` (2,000) gets its timeline from a
    sample, and the command says so on stderr (JSON carries ``parameters.capped``)."""
    from datetime import date, timedelta

    from storyline.records import Article, Sentence, Story, TimeExpression
    from storyline.settings import TimelineConfig
    from storyline.store import SQLiteStore

    db = tmp_path / "big.db"
    total = TimelineConfig().story_max_articles + 10
    with SQLiteStore(db) as store, store.transaction():
        ids = []
        for n in range(total):
            day = date(2019, 1, 1) + timedelta(days=n % 300)
            text = f"The ferry strike entered day {n} on {day:%B} {day.day}, {day.year}."
            a = Article(f"a{n:05d}", text, f"Strike day {n}", f"/in/{n}.txt", published=day,
                        date_source="given", content_hash=f"h{n}")  # fmt: skip
            at = text.index(f"{day:%B}")
            end = text.index(",", at) + 6
            tx = TimeExpression(at, end, text[at:end], "DATE", day.isoformat(), sentence_index=0)
            store.add_article(a, [Sentence(a.id, 0, text, 0, len(text))], [tx])
            ids.append(a.id)
        store.save_stories([Story("sbig", "Ferry strike", ids)])
    result = run_cli("timeline", "--story", "sbig", "--db", str(db), "--format", "json")
    assert result.code == 0, result.err
    used = TimelineConfig().story_max_articles
    assert f"built from a sample of {used:,} of the story's {total:,} articles" in result.err
    data = result.json()
    assert isinstance(data, dict)
    assert data["parameters"]["capped"] == {"in_story": total, "used": used}
    assert data["entries"]
