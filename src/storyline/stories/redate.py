"""The second pass: date undated (or text-dated) articles from the dated articles of their story.

Why here: an article with no date of its own could only be dated from its text at ingest. Once
it belongs to a story, the publication dates of that story's dated articles tell
:func:`storyline.time.infer_date` which of the text's hints to believe. A new date changes what
its relative expressions ("on Tuesday", "last week") mean, so the article is re-tagged against it.
The orchestrator (``Corpus``) calls this after stories are built; stage modules never call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.records import Article, Story
from storyline.settings import DatingConfig, TimeConfig
from storyline.store.base import Store
from storyline.time import infer_date, tag_sentences

_REDATABLE = (None, "inferred")
_FIRM = ("given", "metadata", "path")  # date sources the second pass never touches


def redate_undated(
    store: Store,
    stories: Sequence[Story],
    config: DatingConfig | None = None,
    time_config: TimeConfig | None = None,
) -> int:
    """Re-date the undated/inferred articles of ``stories``; returns how many dates changed.

    ``time_config`` is the tagger's, for re-tagging a re-dated article's relative expressions.
    """
    config = config or DatingConfig()
    time_config = time_config or TimeConfig()
    by_source = store.stats().get("by_date_source", {})
    if not any(n for source, n in by_source.items() if source not in _FIRM):
        return 0  # every article has a date of its own: nothing to read
    changed = 0
    by_id = {a.id: a for a in store.articles()}
    for story in stories:
        if len(story.article_ids) < 2:
            continue
        articles = [by_id[i] for i in story.article_ids if i in by_id]
        targets = [a for a in articles if a.date_source in _REDATABLE]
        dated = [a for a in articles if a.date_source not in _REDATABLE and a.published]
        if not targets or not dated:
            continue
        anchors = event_anchors(store, targets, dated, config)
        context = [a.published for a in dated if a.published]
        for article in targets:
            anchor = anchors.get(article.id)
            if anchor is not None:
                changed += _redate(
                    store, article, [anchor[0]], config, time_config, anchor[1], firm=True
                )
            else:
                changed += _redate(store, article, context, config, time_config)
    return changed


_LEAD_SENTENCES = 3


def event_anchors(
    store: Store, targets: Sequence[Article], dated: Sequence[Article], config: DatingConfig
) -> dict[str, tuple[date, str]]:
    """For each target, the date that dated articles give to the event its lead reports.

    Why: an undated report says "reached agreement on Tuesday"; another report of the story
    says "officials said on Tuesday (2020-11-17) that agreement was reached". The sentence of a
    dated article most like the target's lead, if it carries a day-level date, dates the event
    the target reports, and so (within days) the target itself.
    """
    floor = config.event_similarity
    ids = [a.id for a in dated]
    sentences = store.sentences(ids)
    candidates: list[tuple[str, date, str]] = []  # (sentence text, its day, evidence)
    for article_id, found in store.timexes(ids).items():
        title = next(a.title or a.source for a in dated if a.id == article_id)
        texts = {s.index: s.text for s in sentences.get(article_id, [])}
        for t in found:
            day = _day(t.value)
            if day is not None and t.sentence_index in texts:
                text = texts[t.sentence_index]
                candidates.append((text, day, f'{title}: "{text[:120]}"'))
    if not candidates:
        return {}
    leads = store.sentences([a.id for a in targets])
    queries = [" ".join(s.text for s in leads[a.id][:_LEAD_SENTENCES]) for a in targets]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [c[0] for c in candidates] + queries
    )
    similarity = (vectors[len(candidates) :] @ vectors[: len(candidates)].T).toarray()
    margin = config.event_margin
    anchors = {}
    for article, row in zip(targets, similarity, strict=True):
        best = int(np.argmax(row))
        day, evidence = candidates[best][1], candidates[best][2]
        rival = max((x for x, c in zip(row, candidates, strict=True) if c[1] != day), default=0.0)
        if row[best] >= floor and row[best] >= margin * rival:
            anchors[article.id] = (day, f"the event it reports is dated {day} in {evidence}")
    return anchors


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _redate(
    store: Store,
    article: Article,
    context: list[date],
    config: DatingConfig,
    time_config: TimeConfig,
    why: str | None = None,
    firm: bool = False,
) -> int:
    estimate = infer_date(article.text, article.title, context=context, firm=firm, config=config)
    if estimate is None or estimate.published == article.published:
        return 0
    if why:
        estimate.evidence.append(why)
    store.update_article_date(
        article.id, estimate.published, "inferred", estimate.confidence, estimate.evidence
    )
    sentences = store.sentences([article.id])[article.id]
    dct = estimate.published if estimate.granularity == "day" else None
    timexes = tag_sentences(article.text, dct, sentences, article.id, time_config)
    store.replace_timexes(article.id, timexes)
    return 1
