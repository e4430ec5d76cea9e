"""The sentences a person may choose for a date of a story's timeline (to swap one in, or to
add the date).

Why the machine's own candidates: a person correcting the timeline picks among what the
machine weighed for that date — sentences naming it, and leads of articles published then
(:func:`storyline.timeline.sentences.candidates_for`) — so the list is short and on topic.
They are ordered best first by the same quality factor that ranks them for the timeline, then
by publication date, then by article and sentence, and each carries its full citation.

Only the articles that can hold a candidate are read (:func:`choice_article_ids`): those
naming the date, or published on it or in the follow-up days. A 23,000-article story's
choices for one date then read a few dozen articles, not the whole story (seconds and about
a gigabyte in one web request before).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from storyline.errors import InputError
from storyline.records import Citation, Entry, Timeline
from storyline.settings import TimelineConfig
from storyline.store.base import Store
from storyline.timeline.assemble import citation
from storyline.timeline.candidates import Pool
from storyline.timeline.dates import RankedDate
from storyline.timeline.sentences import candidates_for, quality


def entry_date(label: str) -> tuple[Entry, str]:
    """A timeline date as typed (``2021-05-03``, ``2021-05``, ``2021``) as an empty entry of
    that date and granularity, and its label; an :class:`InputError` names a bad one."""
    text = label.strip()
    granularity = {10: "day", 7: "month", 4: "year"}.get(len(text))
    if granularity is None:
        raise InputError(f"{label!r} is not a timeline date (YYYY-MM-DD, YYYY-MM or YYYY)")
    try:
        entry = Entry.from_dict({"date": text, "granularity": granularity})
    except ValueError:
        raise InputError(
            f"{label!r} is not a timeline date (YYYY-MM-DD, YYYY-MM or YYYY)"
        ) from None
    return entry, entry.label


def choice_article_ids(
    store: Store,
    story_id: str,
    article_ids: Sequence[str],
    label: str,
    config: TimelineConfig,
) -> list[str]:
    """The ids among ``article_ids`` (the story's, kept in their order) whose sentences can be
    choices for ``label``: the articles with an expression inside the date (its value starts
    with the label: ``2010-06`` holds the month and its days), and for a day those published on
    it or in the ``followup_days`` after it, whose leads :func:`candidates_for` takes.

    Every candidate's article is among them, so the choices equal those of the whole story's
    pool (:func:`sentence_choices` breaks ties by article id, not by pool position)."""
    entry, text = entry_date(label)
    keep = store.story_articles_mentioning(story_id, text)
    if entry.granularity == "day":
        last = entry.date + timedelta(days=config.followup_days)
        keep.update(
            i
            for i, published in store.published_dates(article_ids).items()
            if published is not None and entry.date <= published <= last
        )
    return [i for i in article_ids if i in keep]


def sentence_choices(
    pool: Pool, label: str, config: TimelineConfig, limit: int = 50
) -> list[Citation]:
    """Up to ``limit`` sentences of the pool's articles that could stand for ``label``."""
    entry, _ = entry_date(label)
    when = RankedDate(entry.date, entry.granularity, 0.0)
    keys = candidates_for(pool, when, config)

    def order(key: tuple[int, int]) -> tuple[float, str, str, int]:
        published = pool.published_on(key)
        return (
            -quality(pool.span(key)[0], config),
            published.isoformat() if published else "9999",
            pool.articles[key[0]].id,  # not the pool position: a pool read in part agrees
            key[1],
        )

    return [citation(pool, key) for key in sorted(keys, key=order)[:limit]]


def on_timeline(timeline: Timeline, label: str) -> set[tuple[str, int]]:
    """The (article id, sentence index) pairs the timeline's entry for ``label`` already
    shows: what a choice list marks (web) or leaves out (CLI) so a swap changes something."""
    entry = next((e for e in timeline.entries if e.label == label.strip()), None)
    return {(c.article_id, c.sentence_index) for c in entry.sentences} if entry else set()


__all__ = ["choice_article_ids", "entry_date", "on_timeline", "sentence_choices"]
