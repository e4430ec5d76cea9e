"""The stories stage over a store: full rebuild, incremental assignment, and the stories it saves.

Why one path for both: a rebuild replays every stored article in publication order through the
same batches an incremental run uses (assign, then merge), from an empty state. An incremental
run loads the saved state, places only the articles no story holds yet, and saves the stories
and the state back atomically. Every stored article ends in exactly one story; a near-duplicate
joins its original's story.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from storyline.records import Article, Story
from storyline.settings import StoryConfig
from storyline.store.base import Store
from storyline.stories import labels
from storyline.stories.features import (
    article_terms,
    count_matrix,
    document_frequencies,
    hash_bits,
    title_words,
    weigh,
)
from storyline.stories.online import assign_batch, lone_articles, merge
from storyline.stories.state import DetectorState


def load_state(store: Store, config: StoryConfig) -> DetectorState | None:
    """The saved detector state, or None when there is none usable (then a rebuild is due)."""
    blob = store.story_state()
    return DetectorState.from_bytes(blob, hash_bits(config)) if blob else None


def build_stories(
    store: Store, full: bool = False, config: StoryConfig | None = None
) -> list[Story]:
    """Group the stored articles into stories; incremental unless ``full`` or no state exists."""
    config = config or StoryConfig()
    state = None if full else load_state(store, config)
    if state is None:
        batches = store.iter_articles(_READ_BATCH)
        stories = _run(store, DetectorState.empty(hash_bits(config)), batches, {}, config)
        assert stories is not None
        return stories
    if store.count_articles() != store.count_assigned():
        fresh = store.unassigned_article_ids()
        _run(store, state, _batches_by_ids(store, fresh), None, config)
    return store.stories()


def add_articles(
    store: Store, article_ids: Sequence[str], config: StoryConfig | None = None
) -> list[Story]:
    """Place newly stored articles in stories without touching the rest (a rebuild if no state);
    returns every story (:func:`place_articles` returns only what changed)."""
    place_articles(store, article_ids, config)
    return store.stories()


def place_articles(
    store: Store, article_ids: Sequence[str], config: StoryConfig | None = None
) -> list[str] | None:
    """Place newly stored articles in stories; the ids of the stories that changed (None after a
    full rebuild, when there was no state to continue from).

    Why apart from :func:`add_articles`: an ingest into a large store must not read every
    story's membership. Only the new articles and the stories of their near-duplicates'
    originals are read; merges and new assignments are written as a change
    (:meth:`Store.update_stories`), not by rewriting every story.
    """
    config = config or StoryConfig()
    state = load_state(store, config)
    if state is None:
        build_stories(store, full=True, config=config)
        return None
    given = list(dict.fromkeys(article_ids))
    placed = store.story_articles_of(given)
    wanted = [i for i in given if i not in placed]
    return _run(store, state, _batches_by_ids(store, wanted), None, config, touched=True)


_READ_BATCH = 1000
"""Articles read (and vectorised) at a time: their text is dropped once their terms are counted."""


def _batches_by_ids(store: Store, ids: Sequence[str]) -> Iterator[list[Article]]:
    """These articles in publication order, ``_READ_BATCH`` at a time.

    The order is the one :func:`articles_by_ids` gives, found from the dates alone (no text)."""
    published = store.published_dates(ids) if ids else {}
    ordered = sorted(published, key=lambda i: (published[i] is None, published[i] or date.min))
    # Ties on the date are ordered by (source, id) inside each batch fetch; a tie spanning two
    # batches is fetched whole, so the order matches articles_by_ids exactly.
    start = 0
    while start < len(ordered):
        end = min(start + _READ_BATCH, len(ordered))
        while end < len(ordered) and published[ordered[end]] == published[ordered[end - 1]]:
            end += 1
        yield articles_by_ids(store, ordered[start:end])
        start = end


def articles_by_ids(store: Store, ids: Sequence[str]) -> list[Article]:
    """These articles in publication order (undated last), fetched in chunks the engine allows."""
    found: list[Article] = []
    for start in range(0, len(ids), 900):
        found += store.articles(ids=ids[start : start + 900])
    found.sort(key=lambda a: (a.published is None, a.published or date.min, a.source, a.id))
    return found


@dataclass(slots=True)
class _Arrivals:
    """What assignment needs of the new articles, without their text: compact arrays.

    Why: a rebuild must not hold every article's text at once. Each batch read from the store is
    reduced to its raw term counts (a sparse row), its day, its near-duplicate link and its
    label candidates (interned phrases), and its text is dropped before the next batch is read.
    """

    ids: list[str] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    duplicate_of: list[str | None] = field(default_factory=list)
    phrase_ids: dict[str, int] = field(default_factory=dict)
    phrases: list[str] = field(default_factory=list)
    found: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    rows: list[sp.csr_matrix] = field(default_factory=list)

    def add(self, store: Store, batch: list[Article], bits: int, config: StoryConfig) -> None:
        ids = [a.id for a in batch]
        timexes = store.timexes(ids) if ids else {}
        terms = [article_terms(a, timexes.get(a.id, []), bits, config) for a in batch]
        self.rows.append(count_matrix(terms, bits))
        for a, t in zip(batch, terms, strict=True):
            self.ids.append(a.id)
            self.days.append(a.published.toordinal() if a.published else 0)
            self.duplicate_of.append(a.duplicate_of)
            table = labels.candidates(t.names, title_words(a.title))
            keys = np.fromiter((self._intern(p) for p in table), dtype=np.int32, count=len(table))
            weights = np.fromiter(table.values(), dtype=np.float32, count=len(table))
            self.found.append((keys, weights))

    def _intern(self, phrase: str) -> int:
        k = self.phrase_ids.get(phrase)
        if k is None:
            k = self.phrase_ids[phrase] = len(self.phrases)
            self.phrases.append(phrase)
        return k

    def candidates(self, i: int) -> dict[str, float]:
        keys, weights = self.found[i]
        return {self.phrases[k]: float(w) for k, w in zip(keys.tolist(), weights, strict=True)}

    def counts(self, bits: int) -> sp.csr_matrix:
        if not self.rows:
            return count_matrix([], bits)
        return sp.csr_matrix(sp.vstack(self.rows, format="csr"), dtype=np.float32)


def _run(
    store: Store,
    state: DetectorState,
    batches: Iterable[list[Article]],
    membership: dict[str, str] | None,
    config: StoryConfig,
    touched: bool = False,
) -> Any:
    """Vectorise the articles batch by batch, assign them (merging after each), save.

    ``membership`` is every stored article's story for a rebuild (then all stories are saved
    and returned). None continues from the stored stories without reading them: only the new
    articles and their originals' stories are held, and the change is written with
    :meth:`Store.update_stories`; returns None, or with ``touched`` the changed stories' ids.
    """
    bits = state.clusters.bits
    arrivals = _Arrivals()
    for batch in batches:
        arrivals.add(store, batch, bits, config)
    ids = arrivals.ids
    incremental = membership is None
    renames: dict[str, str] | None = {} if incremental else None
    if membership is None:  # the stored stories of the originals new near-duplicates follow
        membership = store.story_articles_of([d for d in arrivals.duplicate_of if d])
    counts = arrivals.counts(bits)
    arrivals.rows = []
    state.df += document_frequencies(counts)
    state.n_docs += len(ids)
    vectors = weigh(counts, state.df, state.n_docs)
    del counts
    size = config.batch_size
    for start in range(0, len(ids), size):
        rows = range(start, min(start + size, len(ids)))
        index = {sid: k for k, sid in enumerate(state.clusters.ids)}
        dups = arrivals.duplicate_of
        forced = [index.get(membership.get(dups[i] or "", "")) if dups[i] else None for i in rows]
        days = arrivals.days[start : start + size]
        before = int(state.clusters.last.max()) if len(state.clusters) else 0
        assigned = assign_batch(
            state.clusters,
            vectors[start : start + size],
            ids[start : start + size],
            days,
            forced,
            config,
        )
        state.phrases.extend({} for _ in range(len(state.clusters) - len(state.phrases)))
        for i, c in zip(rows, assigned, strict=True):
            membership[ids[i]] = state.clusters.ids[c]
            state.phrases[c] = labels.add(state.phrases[c], arrivals.candidates(i))
        now = int(state.clusters.last.max())
        lone = lone_articles(state.clusters, before, now, config)
        _merge(state, membership, sorted(set(assigned)), config, lone, renames)
    for article_id, duplicate_of in zip(ids, arrivals.duplicate_of, strict=True):
        original = membership.get(duplicate_of or "")  # an original placed after its copy
        if original is not None:
            membership[article_id] = original
    if renames is None:
        stories = _stories(state, membership)
        store.save_stories(stories, state.to_bytes())
        return stories
    assignments = {a: membership[a] for a in ids}
    store.update_stories(_stories(state, None), assignments, renames, state.to_bytes())
    if not touched:
        return None
    return sorted(set(assignments.values()) | set(renames.values()))


def _merge(
    state: DetectorState,
    membership: dict[str, str],
    changed: list[int],
    config: StoryConfig,
    lone: list[int],
    renames: dict[str, str] | None = None,
) -> None:
    """Merge stories the batch brought together (and adopt lone articles whose wait ended),
    renaming their members and labels; ``renames`` collects old story id → surviving id for the
    stored members ``membership`` does not hold."""
    for _ in range(3):  # a merge can reveal another; three rounds settle in practice
        old_ids = list(state.clusters.ids)
        mapping = merge(state.clusters, changed, config, lone)
        lone = []
        if all(k == v for k, v in mapping.items()):
            return
        renamed = {old_ids[i]: state.clusters.ids[j] for i, j in mapping.items()}
        if renames is not None:
            for old, new in list(renames.items()):
                renames[old] = renamed.get(new, new)
            for old, new in renamed.items():
                if old != new and old not in renames:
                    renames[old] = new
        for article_id, story_id in membership.items():
            new_id = renamed.get(story_id, story_id)
            if new_id != story_id:
                membership[article_id] = new_id
        phrases: list[dict[str, float]] = [{} for _ in state.clusters.ids]
        for i, j in mapping.items():
            phrases[j] = labels.add(phrases[j], state.phrases[i])
        state.phrases = phrases
        changed = sorted({mapping[c] for c in changed})


def _stories(state: DetectorState, membership: dict[str, str] | None) -> list[Story]:
    """The stories with their members; with no ``membership``, every story of the state with
    no article ids (the store keeps its members, :meth:`Store.update_stories`)."""
    grouped: dict[str, list[str]] = {}
    for article_id, story_id in (membership or {}).items():
        grouped.setdefault(story_id, []).append(article_id)
    c = state.clusters
    df, n_docs = state.df, state.n_docs
    out = []
    for k, story_id in enumerate(c.ids):
        members = grouped.get(story_id, [])
        if not members and membership is not None:
            continue
        out.append(
            Story(
                id=story_id,
                label=labels.label(state.phrases[k], df, n_docs, c.bits, fallback=story_id),
                article_ids=members,
                first=date.fromordinal(int(c.first[k])) if c.first[k] else None,
                last=date.fromordinal(int(c.last[k])) if c.last[k] else None,
            )
        )
    return out
