"""The stories stage over a store: full rebuild, incremental assignment, and the stories it saves.

Why one path for both: a rebuild replays every stored article in publication order through the
same batches an incremental run uses (assign, then merge), from an empty state. An incremental
run loads the saved state, places only the articles no story holds yet, and saves the stories
and the state back atomically. Every stored article ends in exactly one story; a near-duplicate
joins its original's story.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from storyline.records import Article, Story
from storyline.settings import StoryConfig
from storyline.store.base import Store
from storyline.stories import labels
from storyline.stories.features import (
    Vectoriser,
    count_matrix,
    document_frequencies,
    hash_bits,
    terms_of,
    title_words,
    weigh,
)
from storyline.stories.online import assign_batch, lone_articles, merge
from storyline.stories.refine import reassign
from storyline.stories.split import split_catch_alls
from storyline.stories.state import DetectorState


def load_state(store: Store, config: StoryConfig) -> DetectorState | None:
    """The saved detector state, or None when there is none usable (then a rebuild is due)."""
    blob = store.story_state()
    return DetectorState.from_bytes(blob, hash_bits(config)) if blob else None


Curate = Callable[[list[Story]], list[Story]]
"""What turns the machine's stories into the stories saved for readers (a person's edits,
applied as constraints by :mod:`storyline.curation`); the machine's own are saved beside them."""


def build_stories(
    store: Store,
    full: bool = False,
    config: StoryConfig | None = None,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[Story]:
    """Group the stored articles into stories; incremental unless ``full`` or no state exists.

    ``vectorise`` computes the articles' terms (on Dask workers with ``--dask``); the
    assignment that follows is sequential either way, so the stories are the same."""
    config = config or StoryConfig()
    state = None if full else load_state(store, config)
    if state is None:
        empty = DetectorState.empty(hash_bits(config))
        return _run(store, empty, store.articles(), {}, config, curate, vectorise)
    membership = _membership(_machine(store))
    if store.count_articles() == len(membership):
        return store.stories()  # every article already has its story
    fresh = [a for a in store.articles() if a.id not in membership]
    return _run(store, state, fresh, membership, config, curate, vectorise)


def add_articles(
    store: Store,
    article_ids: Sequence[str],
    config: StoryConfig | None = None,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[Story]:
    """Place newly stored articles in stories without touching the rest (a rebuild if no state)."""
    config = config or StoryConfig()
    state = load_state(store, config)
    if state is None:
        return build_stories(store, full=True, config=config, curate=curate, vectorise=vectorise)
    membership = _membership(_machine(store))
    wanted = [i for i in dict.fromkeys(article_ids) if i not in membership]
    fresh = articles_by_ids(store, wanted)
    return _run(store, state, fresh, membership, config, curate, vectorise)


def _machine(store: Store) -> list[Story]:
    """The grouping the detector continues from: its own, not the one edits made (a store
    from before curation has only the stories it saved)."""
    machine = store.machine_stories()
    return machine if machine is not None else store.stories()


def articles_by_ids(store: Store, ids: Sequence[str]) -> list[Article]:
    """These articles in publication order (undated last), fetched in chunks the engine allows."""
    found: list[Article] = []
    for start in range(0, len(ids), 900):
        found += store.articles(ids=ids[start : start + 900])
    found.sort(key=lambda a: (a.published is None, a.published or date.min, a.source, a.id))
    return found


def _membership(stories: Sequence[Story]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.article_ids}


def _run(
    store: Store,
    state: DetectorState,
    articles: list[Article],
    membership: dict[str, str],
    config: StoryConfig,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[Story]:
    """Vectorise ``articles``, assign them batch by batch (merging after each), save the
    machine's stories and (through ``curate``) the ones readers see, and return the latter."""
    bits = state.clusters.bits
    whole = not membership and not len(state.clusters)  # a full build: every article is here
    ids = [a.id for a in articles]
    timexes = store.timexes(ids) if ids else {}
    terms = vectorise(articles, timexes, bits, config)
    counts = count_matrix(terms, bits)
    state.df += document_frequencies(counts)
    state.n_docs += len(articles)
    vectors = weigh(counts, state.df, state.n_docs)
    size = config.batch_size
    for start in range(0, len(articles), size):
        batch = articles[start : start + size]
        index = {sid: k for k, sid in enumerate(state.clusters.ids)}
        forced = [
            index.get(membership.get(a.duplicate_of, "")) if a.duplicate_of else None for a in batch
        ]
        days = [a.published.toordinal() if a.published else 0 for a in batch]
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
        for a, t, c in zip(batch, terms[start : start + size], assigned, strict=True):
            membership[a.id] = state.clusters.ids[c]
            found = labels.candidates(t.names, title_words(a.title))
            state.phrases[c] = labels.add(state.phrases[c], found)
        now = int(state.clusters.last.max())
        lone = lone_articles(state.clusters, before, now, config)
        _merge(state, membership, sorted(set(assigned)), config, lone)
    if whole:
        split_catch_alls(state, membership, articles, vectors, terms, config)
        reassign(state, membership, articles, vectors, terms, config)
    for a in articles:  # an original placed after its near-duplicate: the copy follows it
        original = membership.get(a.duplicate_of or "")
        if original is not None:
            membership[a.id] = original
    stories = _stories(state, membership)
    store.save_machine_stories(stories)
    shown = curate(stories) if curate is not None else stories
    store.save_stories(shown, state.to_bytes())
    return shown


def _merge(
    state: DetectorState,
    membership: dict[str, str],
    changed: list[int],
    config: StoryConfig,
    lone: list[int],
) -> None:
    """Merge stories the batch brought together (and adopt lone articles whose wait ended),
    renaming their members and labels."""
    for _ in range(3):  # a merge can reveal another; three rounds settle in practice
        old_ids = list(state.clusters.ids)
        mapping = merge(state.clusters, changed, config, lone)
        lone = []
        if all(k == v for k, v in mapping.items()):
            return
        renamed = {old_ids[i]: state.clusters.ids[j] for i, j in mapping.items()}
        for article_id, story_id in membership.items():
            new_id = renamed.get(story_id, story_id)
            if new_id != story_id:
                membership[article_id] = new_id
        phrases: list[dict[str, float]] = [{} for _ in state.clusters.ids]
        for i, j in mapping.items():
            phrases[j] = labels.add(phrases[j], state.phrases[i])
        state.phrases = phrases
        changed = sorted({mapping[c] for c in changed})


def _stories(state: DetectorState, membership: dict[str, str]) -> list[Story]:
    grouped: dict[str, list[str]] = {}
    for article_id, story_id in membership.items():
        grouped.setdefault(story_id, []).append(article_id)
    c = state.clusters
    df, n_docs = state.df, state.n_docs
    out = []
    for k, story_id in enumerate(c.ids):
        members = grouped.get(story_id)
        if not members:
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
