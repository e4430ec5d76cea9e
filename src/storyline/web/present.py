"""Presentation helpers: records → the shapes templates and JSON twins show. No I/O, no pipeline.

Why a module apart from the routes: the same shape feeds the HTML page and its ``.json`` twin,
so they cannot drift; and these functions are pure, so they are tested without a server.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline.records import Article, Sentence, Story, TimeExpression, Timeline

EXPORT_FORMATS: dict[str, tuple[str, str, str]] = {
    # format: (media type, file extension, label shown on the download button)
    "md": ("text/markdown; charset=utf-8", "md", "Markdown"),
    "html": ("text/html; charset=utf-8", "html", "HTML"),
    "json": ("application/json", "json", "JSON"),
    "timelinejs": ("application/json", "timelinejs.json", "TimelineJS"),
    "tilse": ("text/plain; charset=utf-8", "tilse.txt", "tilse"),
}
"""Every export format of a timeline, as served at ``…/timeline.{format}``."""


@dataclass(frozen=True, slots=True)
class Paging:
    """``?page=&size=`` after validation: 1-based page, items per page."""

    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def window(self, total: int) -> dict[str, Any]:
        """The paging fields every listing carries, so clients know where they are."""
        return {
            "page": self.page,
            "size": self.size,
            "total": total,
            "pages": max(1, -(-total // self.size)),
        }


def export_links(base: str, query: str) -> list[dict[str, str]]:
    """Download links for every export format of a timeline, keeping its query string."""
    suffix = f"?{query}" if query else ""
    return [
        {"format": fmt, "label": label, "url": f"{base}.{fmt}{suffix}"}
        for fmt, (_, _, label) in EXPORT_FORMATS.items()
    ]


def story_summary(
    story: Story,
    chart: list[dict[str, Any]] | None = None,
    size: int | None = None,
    span: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A story for listings: everything but its (possibly long) list of article ids.

    ``size`` is its number of articles when the story was read without its ids (paged reads).
    ``span``: its first and last date as a person reads them
    (:func:`storyline.stories.summaries.span_labels`), as ``first_label``/``last_label``;
    ``first``/``last`` stay ISO days."""
    out = story.as_dict()
    out.pop("article_ids", None)
    out["articles"] = size if size is not None else len(story.article_ids)
    if span is not None:
        out["first_label"], out["last_label"] = span
    out["url"] = f"/stories/{story.id}"
    if chart is not None:
        out["chart"] = chart
    return out


def article_summary(article: Article) -> dict[str, Any]:
    """An article for listings: no body text."""
    return {**article.summary(), "url": f"/articles/{article.id}"}


def histogram(dates: Sequence[date], bins: int) -> list[dict[str, Any]]:
    """Counts of ``dates`` in ``bins`` equal spans from the first to the last date.

    Why equal spans rather than calendar months: a story of ten days and one of ten years both
    get a chart of the same width that shows where the coverage bunches.
    """
    return histogram_counts(sorted(Counter(dates).items()), bins)


def histogram_counts(days: Sequence[tuple[date, int]], bins: int) -> list[dict[str, Any]]:
    """:func:`histogram` of ``count`` articles on each ``day`` (what the store's grouped count
    gives): the same bars, without one date per article."""
    if not days or bins < 1:
        return []
    # day numbers, not dates: the stories page charts 50 stories of up to a thousand days each
    ordinals = [d.toordinal() for d, _ in days]
    first, last = min(ordinals), max(ordinals)
    span = last - first + 1
    bins = min(bins, span)
    width = span / bins
    counts = [0] * bins
    top = bins - 1
    for day, (_, n) in zip(ordinals, days, strict=True):
        k = int((day - first) / width)
        counts[k if k < top else top] += n
    out = []
    for i, count in enumerate(counts):
        start = first + int(i * width)
        end = first + max(int((i + 1) * width) - 1, int(i * width))
        out.append(
            {
                "start": date.fromordinal(start).isoformat(),
                "end": date.fromordinal(end).isoformat(),
                "count": count,
            }
        )
    return out


def chart_bars(
    chart: list[dict[str, Any]], width: int = 160, height: int = 28
) -> list[dict[str, Any]]:
    """SVG rectangles for a histogram (the template draws them; values are numbers only)."""
    if not chart:
        return []
    top = max(b["count"] for b in chart) or 1
    step = width / len(chart)
    bars = []
    for i, b in enumerate(chart):
        h = round(height * b["count"] / top, 1) if b["count"] else 0.0
        bars.append(
            {
                "x": round(i * step, 1),
                "y": round(height - h, 1),
                "w": round(max(step - 1, 1), 1),
                "h": h,
                "title": f"{b['start']} – {b['end']}: {b['count']} articles",
            }
        )
    return bars


@dataclass(slots=True)
class Piece:
    """A run of article text: plain, or a temporal expression with its normalised value."""

    text: str
    timex: TimeExpression | None = None


@dataclass(slots=True)
class Block:
    """A sentence (``index`` set) or the text between sentences (``index`` None)."""

    index: int | None
    pieces: list[Piece]


def _pieces(
    text: str, start: int, end: int, timexes: Sequence[TimeExpression], starts: Sequence[int]
) -> list[Piece]:
    """Cut ``text[start:end]`` at the expressions that overlap it (clipped to the span).

    ``timexes`` are sorted by start and ``starts`` are their starts: only the expressions from
    the one starting just before ``start`` onwards are looked at, so long articles stay linear.
    """
    out: list[Piece] = []
    cursor = start
    for i in range(max(bisect_right(starts, start) - 1, 0), len(timexes)):
        t = timexes[i]
        if t.start >= end:
            break
        t_start, t_end = max(t.start, cursor), min(t.end, end)
        if t_end <= t_start:
            continue
        if t_start > cursor:
            out.append(Piece(text[cursor:t_start]))
        out.append(Piece(text[t_start:t_end], t))
        cursor = t_end
    if cursor < end:
        out.append(Piece(text[cursor:end]))
    return out


def article_blocks(
    text: str, sentences: Sequence[Sentence], timexes: Sequence[TimeExpression]
) -> list[Block]:
    """The article text as sentence blocks holding highlighted expressions.

    Why pieces rather than HTML: the template escapes every piece (autoescape), so an article
    containing ``<script>`` is shown as text; markup comes only from the template itself.
    """
    ordered = sorted(
        (t for t in timexes if 0 <= t.start < t.end <= len(text)), key=lambda t: t.start
    )
    starts = [t.start for t in ordered]
    blocks: list[Block] = []
    cursor = 0
    for s in sorted(sentences, key=lambda s: s.start):
        start, end = max(s.start, cursor), min(s.end, len(text))
        if end <= start:
            continue
        if start > cursor:
            blocks.append(Block(None, _pieces(text, cursor, start, ordered, starts)))
        blocks.append(Block(s.index, _pieces(text, start, end, ordered, starts)))
        cursor = end
    if cursor < len(text):
        blocks.append(Block(None, _pieces(text, cursor, len(text), ordered, starts)))
    return blocks


def timeline_dict(timeline: Timeline) -> dict[str, Any]:
    """A timeline as JSON, each citation with the link that opens its article at the sentence."""
    data = timeline.as_dict()
    for entry in data["entries"]:
        for cite in entry["sentences"]:
            cite["link"] = citation_link(cite["article_id"], cite["sentence_index"])
    return data


def citation_link(article_id: str, sentence_index: int) -> str:
    return f"/articles/{article_id}#s{sentence_index}"


def search_cap(cap: int | None) -> dict[str, Any] | None:
    """What a capped search says: how many matching sentences it used, and which."""
    if cap is None:
        return None
    return {
        "searched": cap,
        "note": f"more than {cap:,} sentences match: the {cap:,} most recently stored were "
        "ranked, and their articles listed",
    }


def search_hit(hit: Any) -> dict[str, Any]:
    """A :class:`storyline.store.base.SearchHit` as JSON, with its citation link."""
    s = hit.sentence
    return {
        "article_id": s.article_id,
        "sentence_index": s.index,
        "text": s.text,
        "title": hit.title,
        "published": hit.published.isoformat() if hit.published else None,
        "date_granularity": hit.date_granularity,
        "rank": hit.rank,
        "link": citation_link(s.article_id, s.index),
    }
