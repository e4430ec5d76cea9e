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

from storyline.ingest import assign_sentences
from storyline.records import Article, Story
from storyline.store.base import Store
from storyline.time import infer_date, tag

_REDATABLE = (None, "inferred")
_FIRM = ("given", "metadata", "path")  # date sources the second pass never touches


def redate_undated(store: Store, stories: Sequence[Story]) -> int:
    """Re-date the undated/inferred articles of ``stories``; returns how many dates changed."""
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
        context = [a.published for a in articles if a.date_source not in _REDATABLE and a.published]
        if not targets or not context:
            continue
        for article in targets:
            changed += _redate(store, article, context)
    return changed


def _redate(store: Store, article: Article, context: list[date]) -> int:
    estimate = infer_date(article.text, article.title, context=context)
    if estimate is None or estimate.published == article.published:
        return 0
    store.update_article_date(
        article.id, estimate.published, "inferred", estimate.confidence, estimate.evidence
    )
    sentences = store.sentences([article.id])[article.id]
    timexes = assign_sentences(tag(article.text, estimate.published), sentences, article.id)
    store.replace_timexes(article.id, timexes)
    return 1
