"""Timelines: choose the dates that matter, then the sentences that say what happened, cited.

The flow (dates first, then sentences — PRIOR_ART.md): :mod:`.candidates` reads the articles
once and indexes who mentions which date; :mod:`.dates` ranks days (and uncovered months/years)
and keeps L of them; :mod:`.sentences` reads those dates' candidate sentences (all a story's
timeline reads of its texts) and picks K central, brief, non-repeating sentences per
date; :mod:`.assemble` turns them into :class:`~storyline.records.Timeline` records with
citations. Every parameter is a field of :class:`~storyline.settings.TimelineConfig`, passed
per call (its defaults are global and documented in ``docs/settings.md``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline import __version__
from storyline.errors import InputError
from storyline.records import Article, Timeline
from storyline.settings import TimelineConfig
from storyline.store.base import Store
from storyline.timeline.assemble import assemble
from storyline.timeline.candidates import (
    ID_CHUNK,
    DatedTimexes,
    Pool,
    articles_of,
    read_pool,
    stable_sample,
)
from storyline.timeline.dates import RankedDate, default_date_count, select_dates
from storyline.timeline.firsts import mentions_pool
from storyline.timeline.model import DateModel, model_digest
from storyline.timeline.sentences import select_sentences

ALL_GRANULARITIES: tuple[str, ...] = ("day", "month", "year")


def build_timeline(
    store: Store,
    article_ids: Sequence[str],
    dates: int | None = None,
    per_date: int | None = None,
    title: str = "Timeline",
    since: date | None = None,
    until: date | None = None,
    granularities: tuple[str, ...] = ALL_GRANULARITIES,
    config: TimelineConfig | None = None,
    model: DateModel | None = None,
) -> Timeline:
    """The timeline of these articles: ``dates`` dates, ``per_date`` sentences each.

    ``since``/``until`` bound the dates (not only the articles): an article of March may recall
    January, which a reader asking from February on does not want. ``dates=None`` picks a
    default from the number of candidate dates; fewer candidates than asked gives what exists.
    ``granularities=("day",)`` keeps day entries only (what day-level references score).
    """
    # texts are read once the dates are chosen, only their candidates' (Pool.fill)
    pool = read_pool(store, article_ids, texts=False)[0]
    return timeline_from_pool(
        pool, dates, per_date, title, since, until, granularities, config, model
    )


def timeline_from_pool(
    pool: Pool,
    dates: int | None = None,
    per_date: int | None = None,
    title: str = "Timeline",
    since: date | None = None,
    until: date | None = None,
    granularities: tuple[str, ...] = ALL_GRANULARITIES,
    config: TimelineConfig | None = None,
    model: DateModel | None = None,
) -> Timeline:
    """:func:`build_timeline` over an already loaded :class:`Pool` (benchmarks reuse pools).

    ``model`` replaces the shipped date model (the evaluation's folds pass their own)."""
    config = config or TimelineConfig()
    k = per_date if per_date is not None else config.default_per_date
    ranked: list[RankedDate] = select_dates(pool, dates, since, until, granularities, config, model)
    chosen = select_sentences(pool, ranked, max(k, 0), config)
    parameters = {
        "dates": dates if dates is not None else len(ranked),
        "per_date": k,
        "articles": len(pool.articles),
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "granularities": list(granularities),
        "method": f"dates by {config.date_ranker}, centroid-opt sentences",
        "settings": dataclasses.asdict(config),
    }
    return assemble(pool, chosen, title, parameters)


def timeline_for(
    store: Store,
    query: str | None = None,
    story: str | None = None,
    since: date | None = None,
    until: date | None = None,
    dates: int | None = None,
    per_date: int | None = None,
    config: TimelineConfig | None = None,
) -> Timeline:
    """The timeline a user asks for: of a story, of the articles matching a query, or of all.

    ``since``/``until`` bound both the articles used and the dates shown. Nothing to build from
    is not an error: the timeline is empty and ``parameters["note"]`` says why, so a shell can
    print that one line. Asking for a story when none were built is an :class:`InputError`.
    """
    return _timeline_for(store, query, story, since, until, dates, per_date, config)[0]


@dataclass(frozen=True, slots=True)
class StoryTimeline:
    """A story's default timeline as a refresh stores it, and what it was computed from."""

    timeline: Timeline
    mentions: Pool | None
    """The story's articles indexed for first reports, when the timeline read all of them
    (``firsts.dated_mentions`` without a second read); None otherwise."""
    basis: str
    """:func:`timeline_basis` of the articles the timeline was built from."""


def story_timeline(
    store: Store,
    story: str,
    config: TimelineConfig | None = None,
    previous: tuple[dict[str, Any], str] | None = None,
) -> StoryTimeline:
    """A story's default timeline (``timeline_for(store, story=story)``), computed only when
    ``previous`` (a stored machine timeline and its basis) was built from other material.

    Why: a story that grows by a few articles past ``timeline.story_max_articles`` usually
    keeps its sample (:func:`~storyline.timeline.candidates.stable_sample`), and the same
    articles, settings and code give the same timeline; recomputing it read 2,000 articles
    and took seconds per story on every ingest that touched it. A kept timeline gets the
    story's current title and counts."""
    config = config or TimelineConfig()
    title, ids, capped = _story_sample(store, story, None, None, config)
    articles = articles_of(store, ids)  # read once: for the basis, then for the timeline
    basis = basis_of(articles, config)
    if previous is not None and previous[1] == basis:
        timeline = Timeline.from_dict(previous[0])
        timeline.title = title
        timeline.parameters.pop("capped", None)
        if capped:
            timeline.parameters["capped"] = capped
        return StoryTimeline(timeline, None, basis)
    timeline, read = _timeline_for(
        store, None, story, None, None, None, None, config, (title, ids, capped), articles
    )
    return StoryTimeline(timeline, mentions_pool(*read) if read is not None else None, basis)


def timeline_basis(store: Store, article_ids: Sequence[str], config: TimelineConfig) -> str:
    """A digest of everything a timeline of these articles is computed from, but their text.

    The articles' ids (content hashes: a changed text is another id), what is read of them
    besides text (dates and their granularity, duplicates, sources, titles, URLs), the settings,
    the shipped date model and the code's version. An article's sentences are fixed by its
    text, and its expressions by its text and day-precise date, both covered here."""
    ids = list(dict.fromkeys(article_ids))
    heads = [
        a for i in range(0, len(ids), ID_CHUNK) for a in store.article_heads(ids[i : i + ID_CHUNK])
    ]
    return basis_of(heads, config)


def basis_of(articles: Sequence[Article], config: TimelineConfig) -> str:
    """:func:`timeline_basis` of these articles, already read (each once; any order)."""
    rows = sorted(
        (
            a.id,
            a.published.isoformat() if a.published else None,
            a.date_granularity,
            a.duplicate_of,
            a.source_name,
            a.source,
            a.title,
            a.url,
        )
        for a in articles
    )
    digest = hashlib.sha256()
    # refresh_share says when a timeline is recomputed, not what it is: not part of its basis
    settings = {k: v for k, v in dataclasses.asdict(config).items() if k != "refresh_share"}
    for part in (__version__, model_digest(), settings, rows):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _story_sample(
    store: Store, story: str, since: date | None, until: date | None, config: TimelineConfig
) -> tuple[str, list[str], dict[str, int]]:
    """The story's title, the ids its timeline is built from, and ``parameters["capped"]``
    (empty when every article is used): setting ``timeline.story_max_articles``."""
    if not store.count_stories():
        raise InputError("no stories yet: run `storyline build-stories` first")
    found = store.get_story(story)
    title = found.label or f"Story {story}"
    ids = found.article_ids
    if len(ids) <= config.story_max_articles:
        return title, ids, {}
    ids, total = stable_sample(store, ids, config.story_max_articles, since, until)
    return title, ids, ({"in_story": total, "used": len(ids)} if total > len(ids) else {})


def _timeline_for(
    store: Store,
    query: str | None,
    story: str | None,
    since: date | None,
    until: date | None,
    dates: int | None,
    per_date: int | None,
    config: TimelineConfig | None,
    sample: tuple[str, list[str], dict[str, int]] | None = None,
    sampled: list[Article] | None = None,
) -> tuple[Timeline, tuple[list[Article], DatedTimexes] | None]:
    """:func:`timeline_for`, and the articles and expressions read when they are every article
    of the story in ``store.articles(ids=...)``'s order (None otherwise). ``sample``: the
    story's :func:`_story_sample`, when the caller has it; ``sampled``: its articles as
    :func:`articles_of` read them (no window)."""
    one_read = True  # the articles came from one store read, so in load_pool's order
    capped: dict[str, int] = {}
    if story is not None:
        title, ids, capped = sample or _story_sample(
            store, story, since, until, config or TimelineConfig()
        )
        one_read = len(ids) <= ID_CHUNK
        articles = sampled if sampled is not None else articles_of(store, ids, since, until)
    else:
        title = f"Timeline: {query}" if query else "Timeline"
        articles = store.articles(query=query, since=since, until=until)
    if not articles:
        what = f"story {story}" if story else (f"the query {query!r}" if query else "the store")
        note = {"note": f"no articles in {what} for that period"}
        return Timeline(title=title, parameters=note), None
    # The articles just read are the pool's (same ids, same order) when one read returned them
    # all; a larger set is read again in load_pool's own chunks, whose order it keeps.
    reuse = one_read and len(articles) <= ID_CHUNK
    config = config or TimelineConfig()
    # Texts are read once the dates are chosen, only those of their candidates (Pool.fill)
    pool, timexes = read_pool(
        store, [a.id for a in articles], articles if reuse else None, texts=False
    )
    timeline = timeline_from_pool(pool, dates, per_date, title, since, until, config=config)
    timeline.parameters.update({"query": query, "story": story})
    if capped:
        timeline.parameters["capped"] = capped
    if not timeline.entries:
        timeline.parameters["note"] = "the articles name no dates and carry none"
    whole = reuse and story is not None and since is None and until is None and not capped
    return timeline, ((pool.articles, timexes) if whole else None)


__all__ = [
    "ALL_GRANULARITIES",
    "StoryTimeline",
    "build_timeline",
    "default_date_count",
    "story_timeline",
    "timeline_basis",
    "timeline_for",
    "timeline_from_pool",
]
