"""What a served story reads besides its timeline, stored with it: day counts and reporting.

Why stored: the stories list draws each story's articles per day, and a story page shows who
reported each date first and articles per source and day (:mod:`storyline.timeline.firsts`).
Both were computed from every member on every request: 2 s of a 4,700-article story's page went
to reading its articles and their expressions. They change exactly when the story's default
timeline does, so they are computed when it is stored (:meth:`storyline.corpus.Corpus.
refresh_timelines`) and kept beside it, under their own keys of the store's per-story
timelines table. The store already treats every key of a story alike: it marks them stale
together when the story's articles change (the old ones are served until replaced, as the
timeline is) and drops them together (curation edits, deleted articles, deleted stories).

Stories too small to get a stored timeline have none of these either; readers compute them
on request (cheap for a small story), as they do for a store built before they existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storyline.records import Story, date_label
from storyline.store.base import Store
from storyline.timeline.firsts import Reporting

DAYS = "days"
"""Key of a story's (publication day, articles) counts: its chart on the stories list."""
REPORTING = "reporting"
"""Key of a story's :class:`Reporting` over its stored default timeline."""
KEYS = (DAYS, REPORTING)


def save(store: Store, story_id: str, reported: Reporting) -> None:
    """Store the story's day counts (read now) and ``reported`` (over its default timeline)."""
    days = [[d.isoformat(), n] for d, n in sorted(store.story_day_counts(story_id))]
    store.save_timeline(story_id, DAYS, {"days": days})
    store.save_timeline(story_id, REPORTING, reported.as_dict())


def day_counts(store: Store, story_ids: Sequence[str]) -> dict[str, list[tuple[date, int]]]:
    """(day, articles) of each story: stored ones in one read, the others counted now."""
    stored = store.load_timelines(story_ids, DAYS)
    out: dict[str, list[tuple[date, int]]] = {}
    for story_id in story_ids:
        data = stored.get(story_id)
        if data is None:
            out[story_id] = store.story_day_counts(story_id)
        else:
            out[story_id] = [(date.fromisoformat(d), int(n)) for d, n in data["days"]]
    return out


def stored_reporting(store: Store, story_id: str) -> Reporting | None:
    """The reporting stored over the story's default timeline, if any."""
    data = store.load_timeline(story_id, REPORTING)
    return Reporting.from_dict(data) if data is not None else None


def span_labels(store: Store, stories: Sequence[Story]) -> dict[str, tuple[str, str]]:
    """Each story's first and last date as a person reads them: a day, or the month or year
    where the story's only articles of that day carry an estimate to their month or year.

    Why: an undated article dated to the year 2020 is stored at a day inside it; a story it
    ends read "2017-04-19 … 2020-07-01", a day no text implies. Its members say "2020"."""
    ends = [(s.id, d) for s in stories for d in (s.first, s.last) if d is not None]
    coarse = store.coarse_ends(ends) if ends else {}
    return {
        s.id: (
            date_label(s.first, coarse.get((s.id, s.first), "day")) if s.first else "",
            date_label(s.last, coarse.get((s.id, s.last), "day")) if s.last else "",
        )
        for s in stories
    }
