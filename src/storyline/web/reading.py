"""The few library reads a page needs beyond one Corpus call, kept out of the route functions.

Why here and not in :class:`storyline.corpus.Corpus`: these are reads shaped by what a page
shows (a stored timeline when the defaults are asked for, the dates behind a chart), and each is
one or two store calls — no stage logic. Timelines themselves always come from the library.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from storyline.corpus import DEFAULT_TIMELINE, Corpus
from storyline.records import Article, Story, Timeline
from storyline.web.present import Paging, histogram, story_summary
from storyline.web.state import TimelineParams


def stories(corpus: Corpus) -> list[Story]:
    """Every story, largest first (what a reader scans for)."""
    found = corpus.stories()
    return sorted(found, key=lambda s: (-len(s.article_ids), s.label, s.id))


def story(corpus: Corpus, story_id: str) -> Story:
    """The story; :class:`storyline.errors.NotFoundError` (404) when absent."""
    return corpus.story(story_id)


def _stored_matches(stored: dict[str, Any], params: TimelineParams) -> bool:
    """Whether a stored timeline was made with the parameters asked for."""
    if params.is_default:
        return True
    made = stored.get("parameters", {})
    return all(
        wanted is None or made.get(name) == wanted
        for name, wanted in (("dates", params.dates), ("per_date", params.per_date))
    )


def story_timeline(corpus: Corpus, story_id: str, params: TimelineParams) -> tuple[Timeline, bool]:
    """The stored default timeline when it fits the request; otherwise computed now.

    Why: building a timeline takes seconds on a large story, so stories are stored with their
    default one when they are built and the server only reads it; other sizes are on request.
    Returns the timeline and whether it was the stored one.
    """
    stored = corpus.store.load_timeline(story_id, DEFAULT_TIMELINE)
    if stored is not None and _stored_matches(stored, params):
        return Timeline.from_dict(stored), True
    return corpus.timeline(story=story_id, dates=params.dates, per_date=params.per_date), False


def query_timeline(
    corpus: Corpus,
    query: str,
    since: date | None,
    until: date | None,
    params: TimelineParams,
) -> Timeline:
    return corpus.timeline(
        query=query, since=since, until=until, dates=params.dates, per_date=params.per_date
    )


def story_of(corpus: Corpus, article_id: str) -> Story | None:
    """The story an article belongs to (the most specific one when stories nest)."""
    holding = [corpus.story(i) for i in corpus.store.story_ids_of(article_id)]
    if not holding:
        return None
    return min(holding, key=lambda s: len(s.article_ids))


def story_page(corpus: Corpus, paging: Paging) -> tuple[list[dict[str, Any]], int]:
    """One page of story summaries, each with its articles-over-time chart, and the total."""
    everything = stories(corpus)
    shown = everything[paging.offset : paging.offset + paging.size]
    published = _published(corpus, [a for s in shown for a in s.article_ids])
    bins = corpus.config.web.chart_bins
    out = []
    for s in shown:
        dates = [d for a in s.article_ids if (d := published.get(a)) is not None]
        out.append(story_summary(s, histogram(dates, bins)))
    return out, len(everything)


def _published(corpus: Corpus, ids: list[str]) -> dict[str, date | None]:
    """Publication dates of these articles, without reading their text."""
    return corpus.store.published_dates(ids)


def story_articles(corpus: Corpus, s: Story, paging: Paging) -> list[Article]:
    """One page of a story's articles, in publication order."""
    ids = s.article_ids[paging.offset : paging.offset + paging.size]
    return corpus.store.articles(ids=ids) if ids else []
