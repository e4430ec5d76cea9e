"""Tag an article body (or a whole document with its ``date`` line) and anchor the expressions.

Why in the time stage: the ingest and the second pass (re-dating an article from its story)
both need expressions stored with their sentence, so a later stage can ask cheaply "which
sentences talk about 2015-11?". One function keeps the two paths from drifting apart.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date

from storyline.records import Sentence, TimeExpression
from storyline.settings import TimeConfig
from storyline.sources.plaintext import split_date_line
from storyline.time.tagger import tag


def tag_sentences(
    text: str,
    dct: date | None,
    sentences: Sequence[Sentence],
    article_id: str,
    config: TimeConfig | None = None,
) -> list[TimeExpression]:
    """Expressions of ``text`` resolved against ``dct``, each with its article and sentence."""
    starts = [s.start for s in sentences]
    found = tag(text, dct, config)
    for t in found:
        position = bisect_right(starts, t.start) - 1
        t.article_id = article_id
        t.sentence_index = sentences[position].index if position >= 0 and sentences else None
    return found


def tag_document(
    raw: str, dct: date | None, config: TimeConfig | None = None
) -> tuple[list[TimeExpression], date | None]:
    """Tag ``raw`` (offsets into it); a leading ``date`` line is the DCT unless one is given."""
    body, given, _, offset = split_date_line(raw)
    found = tag(body, dct or given, config)
    for tx in found:
        tx.start += offset
        tx.end += offset
    return found, dct or given
