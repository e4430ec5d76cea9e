"""Who reported first, coverage over time, and the curation write routes, as an HTTP client sees
them: httpx over the ASGI app in-process, on a real SQLite store file.

The reporting store is written by hand (three outlets, one undated article, a stored timeline)
so every first report and count below is known from the fixture, not from the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from storyline.corpus import Corpus
from storyline.records import Article, Citation, Entry, Sentence, Story, TimeExpression, Timeline
from storyline.store import SQLiteStore
from storyline.timeline.firsts import Reporting, SourceCoverage
from storyline.web import create_app
from storyline.web.coverage import PALETTE, coverage_chart
from test_web_api import Client

_DAY = re.compile(r"(\d{1,2}) May 2021")


def _add(store: SQLiteStore, n: int, source: str, day: date | None, text: str) -> Article:
    """An article whose sentences are its lines, with every 'N May 2021' tagged as that day."""
    article = Article(
        id=f"a{n}",
        text=text,
        title=f"Article {n}",
        source=f"/corpus/{n}.txt",
        url=f"https://news.example/{n}",
        published=day,
        date_source="given" if day else None,
        content_hash=f"h{n}",
        source_name=source,
    )
    sentences, start = [], 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(Sentence(article.id, i, line, start, start + len(line)))
        start += len(line) + 1
    timexes = [
        TimeExpression(
            m.start(),
            m.end(),
            m.group(0),
            "DATE",
            f"2021-05-{int(m.group(1)):02d}",
            sentence_index=next(s.index for s in sentences if s.start <= m.start() < s.end),
        )
        for m in _DAY.finditer(text)
    ]
    store.add_article(article, sentences, timexes)
    return article


def _cite(article: Article, index: int) -> Citation:
    line = article.text.split("\n")[index]
    start = article.text.index(line)
    return Citation(line, article.id, index, start, start + len(line), title=article.title)


@pytest.fixture(scope="module")
def reporting_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reporting") / "r.db"
    with SQLiteStore(path) as store:
        a1 = _add(store, 1, "Wire A", date(2021, 5, 3), "The summit opened on 3 May 2021.")
        _add(store, 2, "Paper B", date(2021, 5, 1), "Preview.\nThe summit opens on 3 May 2021.")
        a3 = _add(store, 3, "Paper B", date(2021, 5, 4), "Leaders met on 3 May 2021 in Rome.")
        a4 = _add(
            store,
            4,
            "Wire A",
            date(2021, 5, 5),
            "A deal was signed on 5 May 2021.\nTalks resume on 10 May 2021.",
        )
        _add(store, 5, "Blog C", None, "Looking back at the summit of 3 May 2021.")
        a6 = _add(store, 6, "Paper B", date(2021, 5, 6), "The deal of 5 May 2021 was welcomed.")
        ids = [f"a{n}" for n in range(1, 7)]
        store.save_stories([Story("s1", "Rome summit", ids, date(2021, 5, 1), date(2021, 5, 6))])
        timeline = Timeline(
            "Rome summit",
            [
                Entry(date(2021, 5, 3), "day", False, [_cite(a3, 0)]),
                Entry(date(2021, 5, 5), "day", False, [_cite(a6, 0)]),
                Entry(date(2021, 5, 10), "day", True, [_cite(a4, 1)]),
                Entry(date(2021, 6, 1), "month", False, []),
            ],
            {"dates": 4, "per_date": 1},
        )
        store.save_timeline("s1", "default", timeline.as_dict())
        del a1
    return path


@pytest.fixture(scope="module")
def reader(reporting_store: Path) -> Iterator[Client]:
    c = Client(create_app(reporting_store))
    yield c
    c.close()


# --- who reported first, coverage ----------------------------------------------------------------
def test_first_report_of_each_date(reading_corpus: Corpus) -> None:
    firsts = {f.label: f for f in reading_corpus.reporting("s1").firsts}
    assert set(firsts) == {"2021-05-03", "2021-05-05", "2021-05-10"}  # June: nobody reported it

    summit = firsts["2021-05-03"]
    # Paper B's preview of 1 May only announced it; the cited article (a3) came a day later
    assert (summit.article_id, summit.source, summit.published) == (
        "a1",
        "Wire A",
        date(2021, 5, 3),
    )
    assert not summit.in_advance and summit.sentence_index == 0
    assert (summit.next_source, summit.lead_days, summit.sources) == ("Paper B", 1, 2)

    deal = firsts["2021-05-05"]
    assert (deal.article_id, deal.next_source, deal.lead_days) == ("a4", "Paper B", 1)

    talks = firsts["2021-05-10"]  # expected: the article announcing it is its first report
    assert (talks.article_id, talks.in_advance, talks.sentence_index) == ("a4", True, 1)
    assert talks.next_source is None and talks.lead_days is None


def test_coverage_per_source_and_day(reading_corpus: Corpus) -> None:
    report = reading_corpus.reporting("s1")
    assert (report.articles, report.undated) == (6, 1)
    assert (report.first, report.last) == (date(2021, 5, 1), date(2021, 5, 6))
    by_source = {s.source: s for s in report.sources}
    assert [s.source for s in report.sources] == ["Paper B", "Wire A", "Blog C"]
    assert by_source["Paper B"].by_day == {
        date(2021, 5, 1): 1,
        date(2021, 5, 4): 1,
        date(2021, 5, 6): 1,
    }
    assert by_source["Wire A"].by_day == {date(2021, 5, 3): 1, date(2021, 5, 5): 1}
    assert (by_source["Blog C"].articles, by_source["Blog C"].undated) == (1, 1)


@pytest.fixture
def reading_corpus(reporting_store: Path) -> Iterator[Corpus]:
    with Corpus(reporting_store, read_only=True) as corpus:
        yield corpus


def test_coverage_json_route_matches_story_json(reader: Client) -> None:
    body = reader.get("/stories/s1/coverage.json").json()
    assert body["ok"] is True and body["story_id"] == "s1"
    story = reader.get("/stories/s1.json").json()
    assert {k: v for k, v in body.items() if k not in ("ok", "story_id")} == story["reporting"]
    assert set(story) >= {"story", "timeline", "articles", "timeline_source"}  # kept as before
    paper = next(s for s in body["sources"] if s["source"] == "Paper B")
    assert paper["by_day"] == [
        {"date": "2021-05-01", "count": 1},
        {"date": "2021-05-04", "count": 1},
        {"date": "2021-05-06", "count": 1},
    ]
    first = body["firsts"][0]
    assert (first["date"], first["source"], first["published"], first["lead_days"]) == (
        "2021-05-03",
        "Wire A",
        "2021-05-03",
        1,
    )
    schema = reader.get("/openapi.json").json()
    assert "/stories/{story_id}/coverage.json" in schema["paths"]


def test_coverage_json_of_unknown_story_is_404(reader: Client) -> None:
    response = reader.get("/stories/nope/coverage.json")
    assert response.status_code == 404 and response.json()["ok"] is False


def test_story_page_shows_chart_and_first_reports(reader: Client) -> None:
    html = reader.get("/stories/s1").text
    assert '<svg class="coverage"' in html
    # one bar per source and day with articles: Paper B ×3, Wire A ×2 (Blog C is undated)
    assert len(re.findall(r'<rect x="[^"]+" y="[^"]+" width', html)) == 5
    assert "1 without a day-precise date" in html
    assert "First reported by <strong>Wire A</strong>" in html
    assert "1 day before Paper B" in html
    assert "Announced first by <strong>Wire A</strong>" in html
    assert 'href="/articles/a4#s1"' in html


def test_chart_bins_long_stories_and_stacks_to_the_tallest() -> None:
    days = {date(2010, 1, 1): 2, date(2010, 1, 2): 1, date(2019, 12, 31): 1}
    other = {date(2010, 1, 1): 3}
    data = Reporting(
        articles=7,
        first=date(2010, 1, 1),
        last=date(2019, 12, 31),
        undated=0,
        sources=[SourceCoverage("X", 4, days), SourceCoverage("Y", 3, other)],
        firsts=[],
    )
    chart = coverage_chart(data, width=600, height=100, max_columns=100)
    assert chart is not None and chart["days_per_column"] == 37  # 3,652 days in ≤ 100 columns
    first_column = [b for b in chart["bars"] if b["x"] == 0]
    assert sum(b["h"] for b in first_column) == pytest.approx(100)  # 6 articles: the tallest
    assert {b["fill"] for b in first_column} == {PALETTE[0], PALETTE[1]}
    assert max(b["x"] + b["w"] for b in chart["bars"]) <= 600
    assert [entry["source"] for entry in chart["legend"]] == ["X", "Y"]
    undated = Reporting(0, None, None, 3, [], [])
    assert coverage_chart(undated) is None


def test_chart_folds_sources_beyond_the_palette_into_other() -> None:
    day = date(2020, 1, 1)
    sources = [SourceCoverage(f"S{i}", 10 - i, {day: 10 - i}) for i in range(9)]
    chart = coverage_chart(Reporting(54, day, day, 0, sources, []))
    assert chart is not None
    assert chart["legend"][-1] == {
        "source": "3 other sources",
        "articles": 4 + 3 + 2,
        "fill": "#999999",
    }
    assert len(chart["legend"]) == len(PALETTE)


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body
