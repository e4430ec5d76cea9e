"""Turn chosen dates and sentences into :class:`Timeline` records with full citations.

Why a module of its own: every renderer (terminal, Markdown, HTML, JSON, TimelineJS, tilse) and
the web page read the same records, so a citation carries everything a reader needs to open
the article at the sentence — article id, title, outlet, publication date and how it was
obtained, URL or file path, sentence index and character span — and the text exactly as the
article has it.
"""

from __future__ import annotations

from typing import Any

from storyline.records import Citation, Entry, Timeline
from storyline.timeline.candidates import Key, Pool
from storyline.timeline.sentences import Chosen


def citation(pool: Pool, key: Key) -> Citation:
    """The sentence at ``key`` with where it comes from."""
    article = pool.articles[key[0]]
    text, start, end = pool.span(key)
    return Citation(
        text=text,
        article_id=article.id,
        sentence_index=key[1],
        start=start,
        end=end,
        title=article.title,
        source=article.source_name,
        published=article.published,
        date_source=article.date_source,
        date_granularity=article.date_granularity,
        url=article.url or article.source or None,
    )


def assemble(pool: Pool, chosen: list[Chosen], title: str, parameters: dict[str, Any]) -> Timeline:
    """Entries in date order (a month before its days' year-mates, coarser first on ties)."""
    order = {"year": 0, "month": 1, "day": 2}
    entries = [
        Entry(
            date=c.when.date,
            granularity=c.when.granularity,
            expected=c.expected,
            sentences=[citation(pool, k) for k in c.keys],
            score=round(c.when.score, 6),
        )
        for c in chosen
        if c.keys
    ]
    entries.sort(key=lambda e: (e.date, order.get(e.granularity, 3)))
    return Timeline(title=title, entries=entries, parameters=dict(parameters))


__all__ = ["assemble", "citation"]
