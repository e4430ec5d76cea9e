"""The second pass: date undated (or text-dated) articles from the dated articles of their story.

Why here: an article with no date of its own could only be dated from its text at ingest. Once
it belongs to a story, the dated reports of that story that are closest to it in content most
likely tell the same event, so their days (and the days they mention) are what
:func:`storyline.time.dating.date_from_reports` weighs against the article's own "on Tuesday" and
"yesterday". A new date changes what those relative expressions mean, so the article is
re-tagged against it. The orchestrator (``Corpus``) calls this whenever stories change (ingest
and ``build-stories`` alike); stage modules never call it.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, timedelta

from storyline.errors import NotFoundError
from storyline.records import Article, Story
from storyline.settings import DatingConfig, TimeConfig
from storyline.store.base import Store
from storyline.time import infer_date, tag_sentences
from storyline.time.dating import DateEstimate, Report, date_from_reports
from storyline.time.lags import Lags, learnt_lags

_REDATABLE = (None, "inferred")
_FIRM = ("given", "metadata", "path", "user")  # date sources the second pass never touches
_PERIOD_SLACK = 31  # days either side of a story's dated span whose reports may tell its event
_BODY_CHARS = 5000  # enough of an article to know which event it reports


def redate_undated(
    store: Store,
    stories: Sequence[Story] | None = None,
    config: DatingConfig | None = None,
    time_config: TimeConfig | None = None,
) -> int:
    """Re-date the undated/inferred articles of ``stories``; returns how many dates changed.

    ``time_config`` is the tagger's, for re-tagging a re-dated article's relative expressions.
    ``stories`` None means every stored story holding an article to date (read one at a time).
    An article whose story has no dated report keeps what its text says; when its text says
    nothing, the dated articles of the whole store closest to it give a month.
    """
    config = config or DatingConfig()
    time_config = time_config or TimeConfig()
    redatable = store.redatable_ids()
    if not redatable:
        return 0  # every article has a date of its own: nothing to read
    found: list[list[Article]] = []
    if stories is None:
        holding = sorted(set(store.story_articles_of(sorted(redatable)).values()))
        stories = []
        for story_id in holding:
            try:
                stories.append(store.get_story(story_id))
            except NotFoundError:  # another process regrouped since: it dates its own stories
                continue

    def everyone() -> list[Article]:
        """Every article with a date of its own, in publication order, its text cut to what
        the comparison reads: loaded once, when a story needs reports of its period or has
        no dated report of its own."""
        if not found:
            found.append(
                [
                    dataclasses.replace(a, text=a.text[:_BODY_CHARS])
                    for batch in store.iter_articles()
                    for a in batch
                    if a.date_source in _FIRM and a.published
                ]
            )
        return found[0]

    changed = 0
    lags: dict[str, Lags] = {}  # each dated article's publication lags, read once
    for story in stories:
        if redatable.isdisjoint(story.article_ids):
            continue  # only the stories holding an article to date are read
        articles = _articles(store, story.article_ids)
        targets = [a for a in articles if a.date_source in _REDATABLE]
        if not targets:
            continue
        dated = [a for a in articles if a.date_source in _FIRM and a.published]
        if dated:
            pool = _same_period(everyone(), dated)
            estimates = story_estimates(store, targets, pool, config, len(dated), lags)
            for article in targets:
                if article.id in estimates:
                    changed += _store(store, article, estimates[article.id], time_config)
            continue
        lost = [a for a in targets if infer_date(a.text, a.title, config=config) is None]
        if lost and everyone():  # nothing in the text, no dated report in the story
            estimates = story_estimates(store, lost, everyone(), config, lag_cache=lags)
            for article in lost:
                if (estimate := estimates.get(article.id)) is None:
                    continue
                estimate.granularity = "month"
                estimate.confidence = round(estimate.confidence / 2, 3)
                estimate.evidence.insert(0, "no dated report in its story: the whole store's")
                changed += _store(store, article, estimate, time_config)
    return changed


def _same_period(everyone: Sequence[Article], dated: Sequence[Article]) -> list[Article]:
    """The store's dated articles within the story's dated span (and a month either side);
    ``everyone`` is in publication order.

    Why not the story's own only: an undated article was placed in its story without a date, so
    the reports of its very event may sit in a neighbouring story of the same weeks (a side
    story the detector split off). The story sets the period; content similarity then picks
    the reports. On the T17 bench store (quarter of dates hidden) this moved every topic up or
    left it equal (exact day 0.386 -> 0.393, within 7 days 0.698 -> 0.706).
    """
    days = [a.published for a in dated if a.published]
    lo = min(days) - timedelta(days=_PERIOD_SLACK)
    hi = max(days) + timedelta(days=_PERIOD_SLACK)
    keys = [a.published or date.min for a in everyone]
    ids = {a.id for a in dated}
    around = everyone[bisect_left(keys, lo) : bisect_right(keys, hi)]
    return [*dated, *(a for a in around if a.id not in ids)]


def _articles(store: Store, ids: Sequence[str]) -> list[Article]:
    """These articles, in the order of ``ids`` (one story's members: the store reads a chunk at a
    time)."""
    by_id: dict[str, Article] = {}
    for start in range(0, len(ids), 900):
        by_id.update((a.id, a) for a in store.articles(ids=ids[start : start + 900]))
    return [by_id[i] for i in ids if i in by_id]


def story_estimates(
    store: Store,
    targets: Sequence[Article],
    dated: Sequence[Article],
    config: DatingConfig,
    story_dated: int | None = None,
    lag_cache: dict[str, Lags] | None = None,
) -> dict[str, DateEstimate]:
    """Each target's date from ``dated`` (reports with a date of their own): their TF-IDF
    similarity to it, their days and the days they mention. ``story_dated`` says how many of
    them are the story's own (all by default): few make the story thin. How long after the
    day it names a target likely appeared is read from the dated articles that look like it
    (:func:`storyline.time.lags.learnt_lags`)."""
    texts = [f"{a.title or ''}\n{a.text[:_BODY_CHARS]}" for a in (*dated, *targets)]
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer  # lazy: a CLI start

        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no word survives the stop list: nothing to compare
        return {}
    similarity = (vectors[len(dated) :] @ vectors[: len(dated)].T).toarray()
    mentioned = store.timexes([a.id for a in dated])
    reports = []
    for a in dated:
        assert a.published is not None
        days = {a.published} | {d for t in mentioned.get(a.id, []) if (d := _day(t.value))}
        reports.append((a, frozenset(days)))
    thin = (len(dated) if story_dated is None else story_dated) < config.context_min_dated
    lags = learnt_lags(targets, dated, config.lag_neighbours, lag_cache)
    out: dict[str, DateEstimate] = {}
    for article, row in zip(targets, similarity, strict=True):
        if thin:  # one dated report may be a chapter years away: a self-dated text outranks it
            alone = infer_date(article.text, article.title, config=config)
            if alone is not None and alone.self_dated:
                out[article.id] = alone
                continue
        found = [
            Report(a.published, float(s), days, a.title or a.source)
            for (a, days), s in zip(reports, row, strict=True)
            if a.published is not None
        ]
        estimate = date_from_reports(
            article.text, article.title, found, config=config, lags=lags.get(article.id)
        )
        if estimate is not None:
            out[article.id] = estimate
    return out


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _store(store: Store, article: Article, estimate: DateEstimate, time_config: TimeConfig) -> int:
    unchanged = (
        estimate.published == article.published
        and estimate.granularity == article.date_granularity
        and estimate.evidence == article.date_evidence
    )
    if unchanged:
        return 0
    store.update_article_date(
        article.id,
        estimate.published,
        "inferred",
        estimate.confidence,
        estimate.evidence,
        estimate.granularity,
    )
    sentences = store.sentences([article.id])[article.id]
    dct = estimate.published if estimate.granularity == "day" else None
    timexes = tag_sentences(article.text, dct, sentences, article.id, time_config)
    store.replace_timexes(article.id, timexes)
    return 1
