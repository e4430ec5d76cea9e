"""TimelineJS JSON (Knight Lab's TimelineJS3), the format newsrooms publish timelines in.

Shape: ``{"title": {"text": {"headline", "text"}}, "events": [{"start_date": {"year", "month",
"day"}, "text": {"headline", "text"}}]}``. ``month``/``day`` are omitted for month- and
year-level entries, which TimelineJS then shows at that granularity. ``provenance`` (which
TimelineJS ignores) says whether the machine or a person chose the entry; the slide's text says
it too. ``text`` fields are HTML
in TimelineJS, so sentence text is escaped and citations become links.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from storyline.records import Citation, Entry, Timeline
from storyline.render._cite import (
    CAPTION_SOURCE,
    EXPECTED_LABEL,
    describe,
    link,
    provenance,
    sorted_entries,
)

__all__ = ["HEADLINE_CHARS", "events", "render"]

HEADLINE_CHARS = 90
"""Headlines are the entry's first sentence cut to this many characters (slides stay readable)."""


def _headline(entry: Entry) -> str:
    if entry.caption is not None:
        first = " ".join(entry.caption.split())
    elif entry.sentences:
        first = " ".join(entry.sentences[0].text.split())
    else:
        first = entry.label
    if len(first) > HEADLINE_CHARS:
        first = first[: HEADLINE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"{EXPECTED_LABEL.capitalize()}: {first}" if entry.expected else first


def _cited(c: Citation) -> str:
    source = escape(describe(c))
    href = link(c)
    if href:
        source = f'<a href="{escape(href, quote=True)}">{source}</a>'
    return f"<p>{escape(' '.join(c.text.split()))} <small>({source})</small></p>"


def _start_date(entry: Entry) -> dict[str, int]:
    out = {"year": entry.date.year}
    if entry.granularity in ("day", "month"):
        out["month"] = entry.date.month
    if entry.granularity == "day":
        out["day"] = entry.date.day
    return out


def events(timeline: Timeline) -> dict[str, Any]:
    """The TimelineJS document as a dict."""
    doc: dict[str, Any] = {
        "title": {"text": {"headline": escape(timeline.title or "Timeline"), "text": ""}},
        "events": [],
    }
    for entry in sorted_entries(timeline.entries):
        paragraphs = [_cited(c) for c in entry.sentences]
        if entry.caption is not None:
            caption = escape(" ".join(entry.caption.split()))
            paragraphs.insert(0, f"<p>{caption} <small>({CAPTION_SOURCE})</small></p>")
        if (who := provenance(entry)) is not None:
            paragraphs.append(f"<p><em>{escape(who.capitalize())}</em></p>")
        event: dict[str, Any] = {
            "start_date": _start_date(entry),
            "text": {"headline": escape(_headline(entry)), "text": "\n".join(paragraphs)},
            "provenance": entry.provenance,
        }
        if entry.expected:
            event["display_date"] = f"{entry.label} ({EXPECTED_LABEL})"
            event["group"] = EXPECTED_LABEL
        doc["events"].append(event)
    return doc


def render(timeline: Timeline) -> str:
    """The TimelineJS document as JSON text."""
    return json.dumps(events(timeline), indent=2, ensure_ascii=False) + "\n"
