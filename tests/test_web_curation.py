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
        _add(store, 7, "Blog C", date(2021, 5, 3), "Live: the summit opens today, 3 May 2021.")
        ids = [f"a{n}" for n in range(1, 8)]
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
    # Paper B's preview of 1 May only announced it; the cited article (a3) came a day later;
    # Blog C and Wire A both had it on the day, which publication days cannot order
    assert (summit.article_id, summit.source, summit.published) == (
        "a7",
        "Blog C",
        date(2021, 5, 3),
    )
    assert summit.same_day == ("Wire A",)
    assert not summit.in_advance and summit.sentence_index == 0
    assert (summit.next_source, summit.lead_days, summit.sources) == ("Paper B", 1, 3)

    deal = firsts["2021-05-05"]
    assert (deal.article_id, deal.next_source, deal.lead_days) == ("a4", "Paper B", 1)
    assert deal.same_day == ()

    talks = firsts["2021-05-10"]  # expected: the article announcing it is its first report
    assert (talks.article_id, talks.in_advance, talks.sentence_index) == ("a4", True, 1)
    assert talks.next_source is None and talks.lead_days is None


def test_coverage_per_source_and_day(reading_corpus: Corpus) -> None:
    report = reading_corpus.reporting("s1")
    assert (report.articles, report.undated) == (7, 1)
    assert (report.first, report.last) == (date(2021, 5, 1), date(2021, 5, 6))
    by_source = {s.source: s for s in report.sources}
    assert [s.source for s in report.sources] == ["Paper B", "Blog C", "Wire A"]
    assert by_source["Paper B"].by_day == {
        date(2021, 5, 1): 1,
        date(2021, 5, 4): 1,
        date(2021, 5, 6): 1,
    }
    assert by_source["Wire A"].by_day == {date(2021, 5, 3): 1, date(2021, 5, 5): 1}
    assert (by_source["Blog C"].articles, by_source["Blog C"].undated) == (2, 1)
    assert by_source["Blog C"].by_day == {date(2021, 5, 3): 1}


def test_reporting_reads_the_same_as_over_the_full_pool(reading_corpus: Corpus) -> None:
    """Corpus.reporting skips sentence texts; what it finds must not change for that."""
    from storyline.timeline.candidates import load_pool
    from storyline.timeline.firsts import reporting

    story = reading_corpus.story("s1")
    timeline = Timeline.from_dict(reading_corpus.store.load_timeline("s1", "default") or {})
    full = reporting(load_pool(reading_corpus.store, story.article_ids), timeline)
    assert reading_corpus.reporting("s1").as_dict() == full.as_dict()
    assert len(full.firsts) == 3


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
        "Blog C",
        "2021-05-03",
        1,
    )
    assert first["same_day"] == ["Wire A"]
    schema = reader.get("/openapi.json").json()
    assert "/stories/{story_id}/coverage.json" in schema["paths"]


def test_coverage_json_of_unknown_story_is_404(reader: Client) -> None:
    response = reader.get("/stories/nope/coverage.json")
    assert response.status_code == 404 and response.json()["ok"] is False


def test_story_page_shows_chart_and_first_reports(reader: Client) -> None:
    html = reader.get("/stories/s1").text
    assert '<svg class="coverage"' in html
    # one bar per source and day with articles: Paper B ×3, Wire A ×2, Blog C ×1 (+1 undated)
    assert len(re.findall(r'<rect x="[^"]+" y="[^"]+" width', html)) == 6
    assert "1 without a day-precise date" in html
    assert "First reported by <strong>Blog C</strong> and, the same day, Wire A" in html
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


# --- curation: one write route per edit kind ------------------------------------------------------
REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "raa"
FLOODS = {
    "flood-1.txt": "Floods hit northern Italy\n\nHeavy rain caused the Po river to burst its banks "
    "near Piacenza on 3 May 2023, forcing thousands of residents to leave their homes.\n"
    "Emergency crews worked through the night to reinforce levees along the river as the "
    "floods spread.\n",
    "flood-2.txt": "Italy counts the cost of the Po river floods\n\nA week after the Po river "
    "burst its banks near Piacenza on 3 May 2023, farmers said the floods had destroyed "
    "their crops.\nThe regional government asked Rome for emergency funds to repair the "
    "levees along the river.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus plus two flood reports: two stories, with their timelines."""
    if not EXAMPLES.is_dir():
        pytest.skip("examples/raa is not there to build a store from")
    tmp = tmp_path_factory.mktemp("curation")
    floods = tmp / "floods"
    floods.mkdir()
    for name, text in FLOODS.items():
        (floods / name).write_text(text, encoding="utf-8")
    db = tmp / "built.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(EXAMPLES), str(floods)])
        assert len(corpus.stories()) == 2
    return db


@pytest.fixture
def store_copy(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built store for a test that edits it."""
    import shutil

    db = tmp_path / "store.db"
    shutil.copy(built, db)
    return db


@pytest.fixture
def writer(store_copy: Path) -> Iterator[Client]:
    c = Client(create_app(store_copy, writable=True))
    yield c
    c.close()


def _stories(c: Client) -> list[dict[str, Any]]:
    stories: list[dict[str, Any]] = c.get("/stories.json").json()["stories"]
    return stories


def _big(c: Client) -> str:
    return str(_stories(c)[0]["id"])  # largest first: the RAA story


def _timeline(c: Client, story: str) -> dict[str, Any]:
    body: dict[str, Any] = c.get(f"/stories/{story}/timeline.json").json()
    return body


def _entry(c: Client, story: str, label: str) -> dict[str, Any] | None:
    return next((e for e in _timeline(c, story)["entries"] if e["date"] == label), None)


def _ok(response: httpx.Response, kind: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is True and body["edit"]["kind"] == kind
    edit = body["edit"]
    assert isinstance(edit["id"], int) and edit["author"] == "web" and edit["time"]
    return body


def test_pin_marks_the_entry_as_chosen_by_a_person(writer: Client) -> None:
    story = _big(writer)
    label = _timeline(writer, story)["entries"][0]["date"]
    body = _ok(writer.post(f"/stories/{story}/entries/{label}/pin"), "entry.pin")
    assert body["story_id"] == story and body["edit"]["target"] == {"date": label}
    entry = _entry(writer, story, label)
    assert entry is not None and entry["provenance"] == "pinned"


def test_drop_removes_the_entry(writer: Client) -> None:
    story = _big(writer)
    label = _timeline(writer, story)["entries"][1]["date"]
    _ok(writer.post(f"/stories/{story}/entries/{label}/drop", json={}), "entry.drop")
    assert _entry(writer, story, label) is None


def test_swap_puts_a_chosen_sentence_and_its_citation(writer: Client) -> None:
    story = _big(writer)
    label = "2020-11-17"
    choices = writer.get(f"/stories/{story}/choices.json", params={"date": label}).json()
    assert choices["entry"] is not None and choices["date"] == label
    assert any(c["on_timeline"] for c in choices["choices"])
    pick = next(c for c in choices["choices"] if not c["on_timeline"])
    body = _ok(
        writer.post(f"/stories/{story}/entries/{label}/swap", json={"sentence": pick["ref"]}),
        "entry.swap",
    )
    assert body["edit"]["payload"]["article_id"] == pick["article_id"]
    entry = _entry(writer, story, label)
    assert entry is not None and entry["provenance"] == "swapped"
    first = entry["sentences"][0]
    assert (first["article_id"], first["sentence_index"]) == (
        pick["article_id"],
        pick["sentence_index"],
    )
    assert first["link"] == pick["link"] and first["text"] == pick["text"]


def test_add_puts_a_new_date_with_a_sentence(writer: Client) -> None:
    story = _big(writer)
    assert _entry(writer, story, "2019-06") is None
    pick = writer.get(f"/stories/{story}/choices.json?date=2020-11-17").json()["choices"][0]
    form = {"article_id": pick["article_id"], "sentence_index": str(pick["sentence_index"])}
    _ok(writer.post(f"/stories/{story}/entries/2019-06/add", data=form), "entry.add")
    entry = _entry(writer, story, "2019-06")
    assert entry is not None and entry["provenance"] == "added"
    assert entry["granularity"] == "month"
    assert entry["sentences"][0]["article_id"] == pick["article_id"]


def test_caption_is_the_persons_words_citing_nothing(writer: Client) -> None:
    story = _big(writer)
    label = _timeline(writer, story)["entries"][2]["date"]
    words = "Talks <b>stall</b> & resume"
    _ok(
        writer.post(f"/stories/{story}/entries/{label}/caption", json={"text": words}),
        "entry.caption",
    )
    entry = _entry(writer, story, label)
    assert entry is not None and entry["caption"] == words and entry["provenance"] == "caption"
    html = writer.get(f"/stories/{story}").text
    assert "Talks &lt;b&gt;stall&lt;/b&gt; &amp; resume" in html


def test_rename_changes_the_label_everywhere(writer: Client) -> None:
    story = _big(writer)
    _ok(writer.post(f"/stories/{story}/rename", json={"label": "RAA"}), "story.rename")
    assert writer.get(f"/stories/{story}.json").json()["story"]["label"] == "RAA"
    assert _stories(writer)[0]["label"] == "RAA"


def test_merge_keeps_the_larger_id(writer: Client) -> None:
    big, small = (s["id"] for s in _stories(writer))
    body = _ok(writer.post(f"/stories/{small}/merge", json={"other": big}), "story.merge")
    assert body["story_id"] == big
    stories = _stories(writer)
    assert [s["id"] for s in stories] == [big] and stories[0]["articles"] == 16
    _error(writer.get(f"/stories/{small}.json"), 404)


def test_split_at_a_day_and_by_articles(writer: Client) -> None:
    story = _big(writer)
    body = _ok(writer.post(f"/stories/{story}/split", json={"at": "2020-01-01"}), "story.split")
    assert body["story_id"] == story  # the part with the earliest article keeps the id
    sizes = {s["id"]: s["articles"] for s in _stories(writer)}
    assert len(sizes) == 3 and sizes[story] + sizes[body["edit"]["target"]["new_story"]] == 14
    kept = writer.get(f"/stories/{story}.json").json()
    assert kept["story"]["last"] < "2020-01-01"

    ids = [a["id"] for a in kept["articles"]][-2:]
    form = [("articles", ids[0]), ("articles", ids[1])]
    response = writer.post(
        f"/stories/{story}/split",
        content="&".join(f"{k}={v}" for k, v in form),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    body = _ok(response, "story.split")
    assert body["edit"]["target"]["articles"] == ids
    new = writer.get(f"/stories/{body['edit']['target']['new_story']}.json").json()
    assert sorted(a["id"] for a in new["articles"]) == sorted(ids)


def test_move_and_exclude_an_article(writer: Client) -> None:
    big, small = (s["id"] for s in _stories(writer))
    article = writer.get(f"/stories/{big}.json").json()["articles"][0]["id"]
    body = _ok(writer.post(f"/articles/{article}/move", json={"to": small}), "story.move")
    assert body["story_id"] == small
    assert writer.get(f"/articles/{article}.json").json()["story"]["id"] == small
    _ok(writer.post(f"/articles/{article}/exclude"), "story.exclude")
    assert writer.get(f"/articles/{article}.json").json()["story"] is None
    assert all(s["articles"] in (13, 2) for s in _stories(writer))


def test_set_date_makes_the_date_the_users(writer: Client) -> None:
    story = _big(writer)
    article = writer.get(f"/stories/{story}.json").json()["articles"][0]["id"]
    _ok(writer.post(f"/articles/{article}/date", json={"date": "2006-01-02"}), "article.set_date")
    got = writer.get(f"/articles/{article}.json").json()["article"]
    assert (got["published"], got["date_source"]) == ("2006-01-02", "user")
    assert writer.get(f"/stories/{story}.json").json()["story"]["first"] == "2006-01-02"


def test_delete_and_undo_restore_the_article_exactly(writer: Client) -> None:
    story = _big(writer)
    article = writer.get(f"/stories/{story}.json").json()["articles"][3]["id"]
    before = writer.get(f"/articles/{article}.json").json()
    story_before = writer.get(f"/stories/{story}.json").json()
    body = _ok(writer.post(f"/articles/{article}/delete"), "article.delete")
    _error(writer.get(f"/articles/{article}.json"), 404)
    _ok(writer.post(f"/edits/{body['edit']['id']}/undo"), "undo")
    assert writer.get(f"/articles/{article}.json").json() == before
    assert writer.get(f"/stories/{story}.json").json() == story_before


def _replace(writer: Client) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    """Replace the first flood report by a corrected version: (story, old id, before, body)."""
    small = _stories(writer)[1]["id"]
    before = writer.get(f"/stories/{small}.json").json()
    old = next(
        a["id"]
        for a in before["articles"]
        if "thousands" in writer.get(f"/articles/{a['id']}.json").json()["article"]["text"]
    )
    corrected = FLOODS["flood-1.txt"].replace("thousands of residents", "12,000 residents")
    files = {"file": ("flood-1.txt", corrected.encode(), "text/plain")}
    body = _ok(writer.post(f"/articles/{old}/replace", files=files), "article.replace")
    return small, old, before, body


def test_replace_puts_the_corrected_version_in_its_place(writer: Client) -> None:
    small, old, _, body = _replace(writer)
    new = body["edit"]["target"]["new_article"]
    assert new != old and body["story_id"] == small
    _error(writer.get(f"/articles/{old}.json"), 404)
    got = writer.get(f"/articles/{new}.json").json()
    assert "12,000 residents" in got["article"]["text"] and got["story"]["id"] == small
    html = writer.post(
        f"/articles/{new}/replace",
        files={"file": ("f.txt", FLOODS["flood-1.txt"].encode(), "text/plain")},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert html.status_code == 303 and html.headers["location"].startswith("/articles/")


def test_undo_of_replace_restores_the_story(writer: Client) -> None:
    small, _, before, body = _replace(writer)
    _ok(writer.post(f"/edits/{body['edit']['id']}/undo"), "undo")
    _error(writer.get(f"/articles/{body['edit']['target']['new_article']}.json"), 404)
    assert writer.get(f"/stories/{small}.json").json() == before


def test_replace_with_the_same_text_is_refused(writer: Client) -> None:
    small = _stories(writer)[1]["id"]
    old = writer.get(f"/stories/{small}.json").json()["articles"][0]["id"]
    same = {"file": ("flood.txt", FLOODS["flood-1.txt"].encode(), "text/plain")}
    other = {"file": ("flood.txt", FLOODS["flood-2.txt"].encode(), "text/plain")}
    for files in (same, other):
        body = _error(writer.post(f"/articles/{old}/replace", files=files), 400)
        assert "\n" not in body["error"]
    assert writer.get("/edits.json").json()["edits"] == []
    assert writer.get(f"/articles/{old}.json").status_code == 200


def test_undo_restores_the_timeline_json_exactly(writer: Client) -> None:
    story = _big(writer)
    before = _timeline(writer, story)
    labels = [e["date"] for e in before["entries"]]
    made = [
        _ok(writer.post(f"/stories/{story}/entries/{labels[0]}/pin"), "entry.pin"),
        _ok(writer.post(f"/stories/{story}/entries/{labels[1]}/drop"), "entry.drop"),
        _ok(
            writer.post(f"/stories/{story}/entries/{labels[2]}/caption", json={"text": "x"}),
            "entry.caption",
        ),
    ]
    assert _timeline(writer, story) != before
    for body in reversed(made):
        undone = _ok(writer.post(f"/edits/{body['edit']['id']}/undo"), "undo")
        assert undone["edit"]["target"] == {"edit": body["edit"]["id"]}
    assert _timeline(writer, story) == before
    log = writer.get(f"/edits.json?story={story}").json()["edits"]
    assert [e["kind"] for e in log][:3] == ["undo", "undo", "undo"]  # newest first
    assert all(not e["active"] for e in log)


def test_undo_refused_while_a_later_edit_touches_the_same_entry(writer: Client) -> None:
    story = _big(writer)
    label = _timeline(writer, story)["entries"][0]["date"]
    pin = _ok(writer.post(f"/stories/{story}/entries/{label}/pin"), "entry.pin")
    caption = _ok(
        writer.post(f"/stories/{story}/entries/{label}/caption", json={"text": "mine"}),
        "entry.caption",
    )
    body = _error(writer.post(f"/edits/{pin['edit']['id']}/undo"), 400)
    assert str(caption["edit"]["id"]) in body["error"]
    assert "\n" not in body["error"]


def test_web_edits_survive_a_full_rebuild_and_an_upload(writer: Client) -> None:
    story = _big(writer)
    labels = [e["date"] for e in _timeline(writer, story)["entries"]]
    _ok(writer.post(f"/stories/{story}/entries/{labels[0]}/pin"), "entry.pin")
    _ok(writer.post(f"/stories/{story}/entries/{labels[1]}/drop"), "entry.drop")
    _ok(writer.post(f"/stories/{story}/rename", json={"label": "RAA"}), "story.rename")

    def kept() -> None:
        entries = {e["date"]: e for e in _timeline(writer, story)["entries"]}
        assert entries[labels[0]]["provenance"] == "pinned" and labels[1] not in entries
        assert writer.get(f"/stories/{story}.json").json()["story"]["label"] == "RAA"

    assert writer.post("/stories/build?full=true").json()["ok"] is True
    kept()
    text = (
        "Japan and Australia defence pact takes effect\n\nThe reciprocal access agreement "
        "between Japan and Australia, signed by Fumio Kishida and Scott Morrison, took effect "
        "on 13 August 2023 and lets forces of each country train in the other."
    )
    files = {"files": ("raa-later.txt", text.encode(), "text/plain")}
    size = writer.get(f"/stories/{story}.json").json()["story"]["articles"]
    assert writer.post("/articles", files=files).json()["accepted"] == 1
    assert writer.get(f"/stories/{story}.json").json()["story"]["articles"] == size + 1
    kept()


def test_edit_log_lists_edits_newest_first_per_story(writer: Client) -> None:
    big, small = (s["id"] for s in _stories(writer))
    _ok(writer.post(f"/stories/{big}/rename", json={"label": "One"}), "story.rename")
    _ok(writer.post(f"/stories/{small}/rename", json={"label": "Two"}), "story.rename")
    every = writer.get("/edits.json").json()["edits"]
    assert [e["payload"]["label"] for e in every] == ["Two", "One"]
    assert every[0]["text"].startswith("story.rename")
    only = writer.get(f"/edits.json?story={small}").json()
    assert only["story_id"] == small and [e["payload"]["label"] for e in only["edits"]] == ["Two"]
    page = writer.get("/edits", headers={"accept": "text/html"}).text
    assert page.count('class="inline undo"') == 2


def test_form_posts_send_the_browser_back(writer: Client) -> None:
    story = _big(writer)
    label = _timeline(writer, story)["entries"][0]["date"]
    html = {"accept": "text/html"}
    back = {"back": f"/stories/{story}#d{label}"}
    response = writer.post(f"/stories/{story}/entries/{label}/pin", data=back, headers=html)
    assert response.status_code == 303 and response.headers["location"] == back["back"]
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = writer.post(
            f"/stories/{story}/rename", data={"label": "L", "back": evil}, headers=html
        )
        assert response.headers["location"] == f"/stories/{story}"


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/stories/{s}/entries/2099-01-01/pin", {}, 400, "no entry on 2099-01-01"),
        ("/stories/{s}/entries/not-a-date/drop", {}, 400, "not a timeline date"),
        ("/stories/{s}/entries/{d}/swap", {"sentence": "zz"}, 400, "is not a sentence"),
        ("/stories/{s}/entries/{d}/swap", {"article_id": "x"}, 400, "sentence_index"),
        ("/stories/{s}/entries/{d}/caption", {}, 400, "'text' is required"),
        ("/stories/{s}/rename", {"label": " "}, 400, "'label' is required"),
        ("/stories/{s}/merge", {"other": "nope"}, 404, "nope"),
        ("/stories/{s}/split", {}, 400, "'articles'"),
        ("/stories/nope/rename", {"label": "x"}, 404, "nope"),
        ("/articles/nope/delete", {}, 404, "nope"),
        ("/articles/{a}/date", {"date": "May 3"}, 400, "not a date"),
        ("/edits/999/undo", {}, 404, "999"),
    ],
)
def test_bad_edits_are_one_line_errors_and_change_nothing(
    writer: Client, path: str, body: dict[str, Any], status: int, message: str
) -> None:
    story = _big(writer)
    first = _timeline(writer, story)
    article = writer.get(f"/stories/{story}.json").json()["articles"][0]["id"]
    url = path.format(s=story, d=first["entries"][0]["date"], a=article)
    error = _error(writer.post(url, json=body), status)
    assert message in error["error"] and "\n" not in error["error"]
    assert writer.get("/edits.json").json()["edits"] == []
    assert _timeline(writer, story) == first


def test_malformed_bodies_are_400(writer: Client) -> None:
    story = _big(writer)
    url = f"/stories/{story}/rename"
    json_type = {"content-type": "application/json"}
    assert (
        "not valid JSON" in _error(writer.post(url, content=b"{", headers=json_type), 400)["error"]
    )
    assert (
        "JSON object" in _error(writer.post(url, content=b"[1]", headers=json_type), 400)["error"]
    )
    plain = {"content-type": "text/plain"}
    assert "as JSON" in _error(writer.post(url, content=b"label=x", headers=plain), 400)["error"]


WRITES = [
    "/stories/{s}/entries/{d}/pin",
    "/stories/{s}/entries/{d}/drop",
    "/stories/{s}/entries/{d}/swap",
    "/stories/{s}/entries/{d}/add",
    "/stories/{s}/entries/{d}/caption",
    "/stories/{s}/rename",
    "/stories/{s}/merge",
    "/stories/{s}/split",
    "/articles/{a}/move",
    "/articles/{a}/exclude",
    "/articles/{a}/date",
    "/articles/{a}/delete",
    "/articles/{a}/replace",
    "/edits/1/undo",
]
"""Every curation write route (an edit kind each, and undo)."""


def test_every_write_route_is_documented(reader: Client) -> None:
    paths = reader.get("/openapi.json").json()["paths"]
    for route in WRITES:
        templated = (
            route.replace("{s}", "{story_id}")
            .replace("{d}", "{when}")
            .replace("{a}", "{article_id}")
            .replace("/1/", "/{edit_id}/")
        )
        assert "post" in paths[templated], templated
        assert "requestBody" in paths[templated]["post"], templated


@pytest.mark.parametrize("route", WRITES)
@pytest.mark.parametrize("body", [None, {"text": "x", "label": "x", "to": "x", "date": "x"}])
def test_read_only_server_refuses_every_write(
    built: Path, route: str, body: dict[str, Any] | None
) -> None:
    c = Client(create_app(built))
    try:
        story = _big(c)
        article = c.get(f"/stories/{story}.json").json()["articles"][0]["id"]
        label = _timeline(c, story)["entries"][0]["date"]
        before = (c.get("/edits.json").json(), _timeline(c, story), _stories(c))
        url = route.format(s=story, d=label, a=article)
        error = _error(c.post(url) if body is None else c.post(url, json=body), 403)
        assert error["error"] == "the store is open read-only: start the server with --writable"
        assert (c.get("/edits.json").json(), _timeline(c, story), _stories(c)) == before
    finally:
        c.close()


def test_cross_site_writes_and_strangers_are_refused(store_copy: Path) -> None:
    c = Client(create_app(store_copy, writable=True, token="s3cret"))
    try:
        auth = {"Authorization": "Bearer s3cret"}
        story = str(c.get("/stories.json", headers=auth).json()["stories"][0]["id"])
        url = f"/stories/{story}/rename"
        _error(c.post(url, json={"label": "x"}), 401)
        evil = {**auth, "origin": "http://evil.example"}
        assert "cross-site" in _error(c.post(url, json={"label": "x"}, headers=evil), 403)["error"]
        assert c.get("/edits.json", headers=auth).json()["edits"] == []
        _ok(c.post(url, json={"label": "x"}, headers=auth), "story.rename")
    finally:
        c.close()


def test_editor_name_is_the_author(store_copy: Path) -> None:
    c = Client(create_app(store_copy, writable=True, editor="alice"))
    try:
        story = str(c.get("/stories.json").json()["stories"][0]["id"])
        body = c.post(f"/stories/{story}/rename", json={"label": "x"}).json()
        assert body["edit"]["author"] == "alice"
    finally:
        c.close()


def test_story_page_controls_only_when_writable(built: Path, writer: Client) -> None:
    story = _big(writer)
    html = writer.get(f"/stories/{story}").text
    for marker in ('class="tools"', "/pin", "/drop", "choices?date=", "/caption", "/rename"):
        assert marker in html
    for marker in ("/merge", "/split", 'name="articles"', 'id="edits"'):
        assert marker in html
    c = Client(create_app(built))
    try:
        html = c.get(f"/stories/{story}").text
        assert 'class="tools"' not in html and "/merge" not in html and "/undo" not in html
        assert 'id="edits"' in html  # the log is read, not written
        page = c.get(f"/stories/{story}/choices?date=2020-11-17").text
        assert "<q>" in page and "Use this sentence" not in page
    finally:
        c.close()
