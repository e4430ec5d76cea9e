"""Renderers: every format from one Timeline, escaping, expected marking, format contracts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from storyline.errors import InputError
from storyline.evaluate.t17 import parse_timeline
from storyline.records import Citation, Entry, Timeline
from storyline.render import FORMATS, render
from storyline.render.terminal import renderable


def _cite(text: str, index: int = 0, **kw: object) -> Citation:
    defaults: dict[str, object] = {
        "article_id": "a1",
        "sentence_index": index,
        "start": 0,
        "end": len(text),
        "title": "Talks resume",
        "source": "RAA Wire",
        "url": "examples/raa/004.txt",
        "published": date(2017, 4, 19),
    }
    defaults.update(kw)
    return Citation(text=text, **defaults)  # type: ignore[arg-type]


@pytest.fixture
def timeline() -> Timeline:
    return Timeline(
        title="Pact <talks> & more",
        entries=[
            Entry(date(2017, 4, 19), "day", False, [_cite("Ministers met in Sydney .", 2)]),
            Entry(
                date(2015, 11, 1),
                "month",
                False,
                [
                    _cite(
                        "Talks began in <script>alert(1)</script> Sydney .",
                        url="https://x.org/a?b=1&c=2",
                    )
                ],
            ),
            Entry(
                date(2020, 11, 17),
                "day",
                True,
                [_cite("Leaders are expected to sign the pact .", 5, url="javascript:alert(1)")],
            ),
            Entry(date(2016, 1, 1), "year", False, [_cite("A quiet year .")]),
        ],
        parameters={"dates": 4},
    )


def test_every_format_renders(timeline: Timeline) -> None:
    assert set(FORMATS) == {"terminal", "md", "html", "json", "timelinejs", "tilse"}
    for fmt in FORMATS:
        out = render(timeline, fmt)
        assert "Ministers met in Sydney" in out, fmt
    with pytest.raises(InputError, match="choose one of"):
        render(timeline, "pdf")


def test_empty_timeline_renders(timeline: Timeline) -> None:
    empty = Timeline(title="Nothing")
    for fmt in FORMATS:
        assert isinstance(render(empty, fmt), str)
    assert json.loads(render(empty, "json"))["entries"] == []
    assert render(empty, "tilse") == ""


def test_json_contract(timeline: Timeline) -> None:
    data = json.loads(render(timeline, "json"))
    assert data["title"] == "Pact <talks> & more"
    entries = {e["date"]: e for e in data["entries"]}
    assert set(entries) == {"2017-04-19", "2015-11", "2020-11-17", "2016"}
    assert entries["2015-11"]["granularity"] == "month"
    assert entries["2020-11-17"]["expected"] is True
    assert entries["2017-04-19"]["expected"] is False
    s = entries["2017-04-19"]["sentences"][0]
    keys = {"text", "article_id", "title", "source", "published", "sentence_index", "start", "end"}
    assert keys <= set(s)
    assert s["published"] == "2017-04-19" and s["sentence_index"] == 2


def test_html_is_self_contained_and_escaped(timeline: Timeline) -> None:
    page = render(timeline, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Pact &lt;talks&gt; &amp; more" in page
    assert 'href="https://x.org/a?b=1&amp;c=2"' in page
    assert 'href="examples/raa/004.txt"' in page
    assert 'href="javascript:' not in page  # an unsafe source is shown, never linked
    assert "<style>" in page and "http://" not in page.replace("https://x.org", "")
    assert "<link" not in page and "src=" not in page
    assert page.count('class="badge">expected<') == 1
    assert 'class="entry expected"' in page


def test_markdown_footnotes_and_expected(timeline: Timeline) -> None:
    md = render(timeline, "md")
    assert md.startswith("# Pact \\<talks\\> & more")
    assert "## 2020-11-17 *(expected)*" in md
    assert "## 2015-11\n" in md and "## 2016\n" in md
    assert "- Ministers met in Sydney . [^" in md
    assert "\\<script\\>" in md
    n = md.count("[^")
    assert n == 8  # four references, four notes
    assert "]: Talks resume — RAA Wire, 2017-04-19, sentence 3 <examples/raa/004.txt>" in md
    assert "<https://x.org/a?b=1&c=2>" in md


def test_terminal_marks_expected(timeline: Timeline) -> None:
    text = render(timeline, "terminal")
    assert "2020-11-17  [expected]" in text
    assert "2015-11" in text and "Talks resume" in text
    assert "\x1b[" not in text  # plain unless asked for colour
    assert renderable(timeline) is not None
    # dates in order, whatever the entry order
    assert text.index("\n2015-11") < text.index("\n2016") < text.index("\n2017-04-19")


def test_tilse_only_day_entries(timeline: Timeline) -> None:
    out = render(timeline, "tilse")
    lines = out.splitlines()
    assert lines[0] == "2017-04-19" and lines[2] == "-" * 32
    assert "2015-11" not in out and "A quiet year" not in out and "Talks began" not in out
    assert "expected" not in out.split("Leaders are expected")[0]  # no marking line
    parsed = parse_timeline(out)
    assert parsed == {
        date(2017, 4, 19): ["Ministers met in Sydney ."],
        date(2020, 11, 17): ["Leaders are expected to sign the pact ."],
    }


def test_timelinejs_shape(timeline: Timeline) -> None:
    doc = json.loads(render(timeline, "timelinejs"))
    assert doc["title"]["text"]["headline"] == "Pact &lt;talks&gt; &amp; more"
    events = doc["events"]
    assert [e["start_date"] for e in events] == [
        {"year": 2015, "month": 11},
        {"year": 2016},
        {"year": 2017, "month": 4, "day": 19},
        {"year": 2020, "month": 11, "day": 17},
    ]
    for e in events:
        assert set(e["text"]) == {"headline", "text"}
    expected = events[3]
    assert expected["text"]["headline"].startswith("Expected:")
    assert "expected" in expected["display_date"]
    assert "<script>" not in events[0]["text"]["text"]
    assert 'href="https://x.org/a?b=1&amp;c=2"' in events[0]["text"]["text"]


def test_citations_say_when_the_date_was_inferred() -> None:
    tl = Timeline(
        title="t",
        entries=[Entry(date(2015, 11, 22), sentences=[_cite("Talks .", date_source="inferred")])],
    )
    for fmt in ("terminal", "md", "html", "timelinejs"):
        assert "2017-04-19 (date inferred)" in render(tl, fmt), fmt
