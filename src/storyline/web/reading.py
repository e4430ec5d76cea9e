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
from storyline.stories import summaries
from storyline.timeline.firsts import Reporting
from storyline.web.present import Paging, histogram_counts, story_summary
from storyline.web.state import TimelineParams


def story(corpus: Corpus, story_id: str) -> tuple[Story, int]:
    """The story without its article ids, and its size; NotFoundError (404) when absent.

    Why not the whole story: a 20,000-article story's ids are read a page at a time
    (:func:`story_articles`), through the store's index, never all for one request."""
    return corpus.store.story_info(story_id)


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
    """A query's timeline from at most ``web.query_max_articles`` matching articles."""
    return corpus.query_timeline(
        query, since=since, until=until, dates=params.dates, per_date=params.per_date
    )


def story_of(corpus: Corpus, article_id: str) -> tuple[Story, int] | None:
    """The story an article belongs to (the most specific one when stories nest), and its size."""
    holding = [corpus.store.story_info(i) for i in corpus.store.story_ids_of(article_id)]
    if not holding:
        return None
    return min(holding, key=lambda found: found[1])


def story_page(corpus: Corpus, paging: Paging) -> tuple[list[dict[str, Any]], int]:
    """One page of story summaries (largest first), each with its articles-over-time chart, and
    the total: one indexed page query and one read of the page's stored day counts (a grouped
    count of members only for the small stories stored without them)."""
    shown = corpus.store.story_page(paging.size, paging.offset)
    bins = corpus.config.web.chart_bins
    days = summaries.day_counts(corpus.store, [s.id for s, _ in shown])
    spans = summaries.span_labels(corpus.store, [s for s, _ in shown])
    out = [
        story_summary(s, histogram_counts(days[s.id], bins), size=size, span=spans[s.id])
        for s, size in shown
    ]
    return out, corpus.store.count_stories()


def story_reporting(corpus: Corpus, story_id: str, timeline: Timeline, stored: bool) -> Reporting:
    """Who reported the timeline's dates first, and coverage: the one stored with the story's
    default timeline when that is the timeline shown (``stored``), otherwise computed now."""
    if stored:
        found = summaries.stored_reporting(corpus.store, story_id)
        if found is not None:
            return found
    return corpus.reporting(story_id, timeline)


def story_articles(corpus: Corpus, story_id: str, paging: Paging) -> list[Article]:
    """One page of a story's articles, in publication order."""
    ids = corpus.store.story_members(story_id, limit=paging.size, offset=paging.offset)
    if not ids:
        return []
    order = {article_id: k for k, article_id in enumerate(ids)}
    return sorted(corpus.store.articles(ids=ids), key=lambda a: order[a.id])
