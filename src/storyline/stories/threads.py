"""Threads: the finer event threads inside one story, computed on request (the hierarchy).

Why on request and not stored: the flat assignment (each article in exactly one story) is the
contract every other stage relies on; threads are a reading aid for a large story ("the claims
fund", "the relief well" inside the BP oil spill). They are the same single-pass clustering run
again over the story's own articles with a higher bar, ``stories.thread_threshold``, weighing terms
by the store-wide document frequencies kept in the detector's state, so words common to the
whole story still separate its threads.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from storyline.records import Article, Story
from storyline.settings import StoryConfig
from storyline.store.base import Store
from storyline.stories import labels
from storyline.stories.detect import articles_by_ids, load_state
from storyline.stories.features import (
    article_terms,
    count_matrix,
    document_frequencies,
    hash_bits,
    lead_words,
    title_words,
    weigh,
)
from storyline.stories.online import Clusters, assign_batch


def threads(store: Store, story_id: str, config: StoryConfig | None = None) -> list[Story]:
    """The story's articles grouped into threads (largest first), each with ``parent_id`` set."""
    story = store.get_story(story_id)
    articles = articles_by_ids(store, story.article_ids)
    if not articles:
        return []
    config = config or StoryConfig()
    bits = hash_bits(config)
    timexes = store.timexes([a.id for a in articles])
    terms = [article_terms(a, timexes.get(a.id, []), bits, config) for a in articles]
    counts = count_matrix(terms, bits)
    state = load_state(store, config)
    df, n_docs = (state.df, state.n_docs) if state else (document_frequencies(counts), 0)
    n_docs = max(n_docs, len(articles))
    vectors = weigh(counts, df, n_docs)
    clusters = Clusters(bits)
    days = [a.published.toordinal() if a.published else 0 for a in articles]
    threshold = config.thread_threshold
    size = config.batch_size
    placed: list[int] = []
    for start in range(0, len(articles), size):
        batch = articles[start : start + size]
        placed += assign_batch(
            clusters,
            vectors[start : start + size],
            [a.id for a in batch],
            days[start : start + size],
            [None] * len(batch),
            config,
            threshold=threshold,
        )
    members: dict[int, list[Article]] = {}
    tables: dict[int, dict[str, float]] = {}
    for a, t, k in zip(articles, terms, placed, strict=True):
        members.setdefault(k, []).append(a)
        tables[k] = labels.add(
            tables.get(k, {}), labels.candidates(t.names, title_words(a.title), lead_words(a.text))
        )
    out = [
        _thread(story_id, clusters.ids[k], group, tables[k], df, n_docs, bits)
        for k, group in members.items()
    ]
    return sorted(out, key=lambda s: (-len(s.article_ids), s.first or date.max, s.id))


def _thread(
    parent: str,
    thread_id: str,
    group: list[Article],
    table: dict[str, float],
    df: np.ndarray,
    n_docs: int,
    bits: int,
) -> Story:
    dated = [a.published for a in group if a.published]
    return Story(
        id="t" + thread_id[1:],
        label=labels.label(table, df, n_docs, bits, fallback=group[0].title or thread_id),
        article_ids=[a.id for a in group],
        first=min(dated) if dated else None,
        last=max(dated) if dated else None,
        parent_id=parent,
    )
