"""The stories stage over a store: full rebuild, incremental assignment, and the stories it saves.

Why one path for both: a rebuild replays every stored article in publication order through the
same batches an incremental run uses (assign, then merge), from an empty state. An incremental
run loads the saved state, places only the articles no story holds yet, and saves the stories
and the state back atomically. Every stored article ends in exactly one story; a near-duplicate
joins its original's story.

Why it streams (issue 12): a run must not hold every article's text, nor every story's
membership. It reads the articles ``_READ_BATCH`` at a time in two passes. The first vectorises
each batch (through the ``vectorise`` hook: here, or on Dask workers), adds its counts to the
document frequencies and spills the counts, days, near-duplicate links and label candidates to
a temporary file, dropping the text. The second reads the spill back, weighs each batch with the
final frequencies (so the stories are those of weighing everything at once) and assigns it. The
assignments go to a second spill file with the story each article joined; merges are recorded as
renames and resolved when the result is written (:meth:`Store.replace_stories` for a rebuild,
:meth:`Store.update_stories` for an increment). Only the ids of articles some new article copies
are followed in memory, to place their near-duplicates.

A full build then refines the grouping once every article is placed: catch-all stories are
split (:mod:`storyline.stories.split`) and misplaced early reports move to the story that formed
after them (:mod:`storyline.stories.refine`). Both compare every article with every story, so
they keep the weighted vectors of pass two (never the text) and run only up to
``StoryConfig.refine_max_articles``; an incremental run never moves a placed article.

Curation: when a person's edits are in force, the stories readers see are the machine's with
the edits applied as constraints (``curate``), and the machine's own are kept apart
(:meth:`Store.save_machine_stories`); that step needs the whole machine grouping, so the
constrained path materialises it. Without edits in force the curated stories are the machine's,
and the streaming path writes them directly (clearing a stale machine copy, so that the
curation code falls back to the stored stories).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import numpy as np
import scipy.sparse as sp

from storyline.records import Article, Story
from storyline.settings import StoryConfig
from storyline.store.base import Store
from storyline.stories import labels
from storyline.stories.features import (
    Vectoriser,
    count_matrix,
    document_frequencies,
    hash_bits,
    lead_words,
    terms_of,
    title_words,
    weigh,
)
from storyline.stories.online import assign_batch, lone_articles, merge
from storyline.stories.refine import reassign
from storyline.stories.split import Rows, split_catch_alls
from storyline.stories.state import DetectorState


def load_state(store: Store, config: StoryConfig) -> DetectorState | None:
    """The saved detector state, or None when there is none usable (then a rebuild is due)."""
    blob = store.story_state()
    return DetectorState.from_bytes(blob, hash_bits(config)) if blob else None


Curate = Callable[[list[Story]], list[Story]]
"""What turns the machine's stories into the stories saved for readers (a person's edits,
applied as constraints by :mod:`storyline.curation`); the machine's own are saved beside them."""


_READ_BATCH = 256
"""Articles read (and vectorised) at a time: their text is dropped once their terms are counted.

Why not more: the text of a batch is the largest thing a run holds, and the peak is set by the
batch of longest articles, which a larger store is likelier to have (1,000 long articles were
66 MB of strings). Smaller reads cost only more queries (the assignment batches are
``StoryConfig.batch_size`` articles whatever the reads' sizes, so the stories do not change)."""


def build_stories(
    store: Store,
    full: bool = False,
    config: StoryConfig | None = None,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[Story]:
    """Group the stored articles into stories; incremental unless ``full`` or no state exists.
    Returns every story with its members (what the library and the evaluation read; the
    corpus calls :func:`detect_stories`, which returns only what changed).

    ``vectorise`` computes the articles' terms (on Dask workers with ``--dask``); the
    assignment that follows is sequential either way, so the stories are the same."""
    detect_stories(store, full, config, curate, vectorise)
    return store.stories()


def detect_stories(
    store: Store,
    full: bool = False,
    config: StoryConfig | None = None,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[str] | None:
    """:func:`build_stories` without reading the stories back: the ids of the stories that
    changed, or None when any may have (a rebuild)."""
    config = config or StoryConfig()
    state = None if full else load_state(store, config)
    constrained = _constrained(store, curate)
    if state is None:
        empty = DetectorState.empty(hash_bits(config))
        sink: _Sink = _Constrained(store, curate, None) if constrained else _Rebuild(store)
        _run(
            store,
            empty,
            lambda: store.iter_articles(_READ_BATCH),
            sink,
            config,
            vectorise,
            refine=True,
        )
        return None
    if constrained:
        machine = _machine(store)
        sink = _Constrained(store, curate, machine)
        held = {a for s in machine for a in s.article_ids}
        fresh = [a for a in store.unassigned_article_ids() if a not in held]
        fresh += [a for s in store.stories() for a in s.article_ids if a not in held]
        fresh = list(dict.fromkeys(fresh))
    else:
        if store.count_articles() == store.count_assigned():
            return []  # every article already has its story
        sink = _Increment(store)
        fresh = store.unassigned_article_ids()
    return _run(store, state, lambda: _batches_by_ids(store, fresh), sink, config, vectorise)


def add_articles(
    store: Store,
    article_ids: Sequence[str],
    config: StoryConfig | None = None,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[Story]:
    """Place newly stored articles in stories without touching the rest (a rebuild if no
    state); returns every story (:func:`place_articles` returns only what changed)."""
    place_articles(store, article_ids, config, curate, vectorise)
    return store.stories()


def place_articles(
    store: Store,
    article_ids: Sequence[str],
    config: StoryConfig | None = None,
    curate: Curate | None = None,
    vectorise: Vectoriser = terms_of,
) -> list[str] | None:
    """Place newly stored articles in stories; the ids of the stories that changed (None after
    a full rebuild, when there was no state to continue from).

    Why apart from :func:`add_articles`: an ingest into a large store must not read every
    story's membership. Without edits in force only the new articles and the stories of their
    near-duplicates' originals are read, and the change is written as one
    (:meth:`Store.update_stories`), not by rewriting every story."""
    config = config or StoryConfig()
    state = load_state(store, config)
    if state is None:
        return detect_stories(store, True, config, curate, vectorise)
    given = list(dict.fromkeys(article_ids))
    sink: _Sink
    if _constrained(store, curate):
        machine = _machine(store)
        held = {a for s in machine for a in s.article_ids}
        wanted = [i for i in given if i not in held]
        sink = _Constrained(store, curate, machine)
    else:
        placed = store.story_articles_of(given)
        wanted = [i for i in given if i not in placed]
        sink = _Increment(store)
    return _run(store, state, lambda: _batches_by_ids(store, wanted), sink, config, vectorise)


def _constrained(store: Store, curate: Curate | None) -> bool:
    """Whether to continue from the machine's own grouping and curate: some edit is in force,
    or the machine's copy is kept (inside an undo, it remembers where a restored article was).

    :meth:`storyline.corpus.Corpus.ingest` drops that copy first when no edit is in force, so
    a store whose edits were all undone streams again."""
    if curate is None:
        return False
    edits = store.edits()
    if not edits:
        return False
    return any(e.active for e in edits) or store.machine_stories() is not None


def _machine(store: Store) -> list[Story]:
    """The grouping the detector continues from: its own, not the one edits made (a store
    from before curation, or grouped while no edit was in force, has only its stories)."""
    machine = store.machine_stories()
    return machine if machine is not None else store.stories()


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


class _Spill:
    """Records written once and read back in order from a temporary file (not memory)."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def write(self, record: Any) -> None:
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self) -> Iterator[Any]:
        """Every record, in order (the file is this process's own: unpickling is safe)."""
        self._file.flush()
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)  # noqa: S301 - written by this process just now
            except EOFError:
                return


@dataclass(slots=True)
class _Batch:
    """What assignment needs of a batch of articles, without their text."""

    ids: list[str]
    days: list[int]
    duplicate_of: list[str | None]
    candidates: list[dict[str, float]]
    counts: sp.csr_matrix

    def rows(self, start: int, end: int) -> _Batch:
        return _Batch(
            self.ids[start:end],
            self.days[start:end],
            self.duplicate_of[start:end],
            self.candidates[start:end],
            self.counts[start:end],
        )


class _Sink:
    """Where a run's result goes; ``originals`` gives the current story of stored articles
    that new near-duplicates follow."""

    def originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {}

    def finish(
        self,
        state: DetectorState,
        placed: Callable[[], Iterator[tuple[str, str]]],
        renames: dict[str, str],
    ) -> list[str] | None:
        """Save the stories: ``placed`` yields (article id, final story id) of the run's
        articles; ``renames`` maps every story merged away to its final story."""
        raise NotImplementedError


class _Rebuild(_Sink):
    """A full rebuild without edits in force: every story replaced from the streamed pairs."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def finish(
        self,
        state: DetectorState,
        placed: Callable[[], Iterator[tuple[str, str]]],
        renames: dict[str, str],
    ) -> list[str] | None:
        pairs = ((story, article) for article, story in placed())
        self.store.save_machine_stories([])  # no edit in force: the stories are the machine's
        self.store.replace_stories(_stories(state), pairs, state.to_bytes())
        return None


class _Increment(_Sink):
    """New articles into stored stories without edits in force: written as a change."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        return self.store.story_articles_of(article_ids) if article_ids else {}

    def finish(
        self,
        state: DetectorState,
        placed: Callable[[], Iterator[tuple[str, str]]],
        renames: dict[str, str],
    ) -> list[str] | None:
        assignments = dict(placed())
        self.store.save_machine_stories([])
        self.store.update_stories(_stories(state), assignments, renames, state.to_bytes())
        return sorted(set(assignments.values()) | set(renames.values()))


class _Constrained(_Sink):
    """Edits in force: the machine's grouping is materialised, saved apart, and curated."""

    def __init__(self, store: Store, curate: Curate | None, machine: list[Story] | None) -> None:
        self.store = store
        self.curate = curate
        self.machine = machine or []

    def originals(self, article_ids: Sequence[str]) -> dict[str, str]:
        wanted = set(article_ids)
        return {a: s.id for s in self.machine for a in s.article_ids if a in wanted}

    def finish(
        self,
        state: DetectorState,
        placed: Callable[[], Iterator[tuple[str, str]]],
        renames: dict[str, str],
    ) -> list[str] | None:
        membership = {a: renames.get(s.id, s.id) for s in self.machine for a in s.article_ids}
        membership.update(placed())
        grouped: dict[str, list[str]] = {}
        for article_id, story_id in membership.items():
            grouped.setdefault(story_id, []).append(article_id)
        stories = [_with_members(s, grouped[s.id]) for s in _stories(state) if grouped.get(s.id)]
        self.store.save_machine_stories(stories)
        shown = self.curate(stories) if self.curate is not None else stories
        self.store.save_stories(shown, state.to_bytes())
        return None


def _with_members(story: Story, members: list[str]) -> Story:
    return Story(
        id=story.id, label=story.label, article_ids=members, first=story.first, last=story.last
    )


def _vectorised(
    store: Store,
    batches: Iterable[list[Article]],
    state: DetectorState,
    config: StoryConfig,
    vectorise: Vectoriser,
    spill: _Spill,
) -> tuple[int, set[str]]:
    """Pass one: vectorise each batch, count its document frequencies into ``state``, and spill
    what assignment needs in records of ``config.batch_size`` articles (the assignment's
    batches, whatever the reads' sizes); returns how many articles and the originals they copy.
    """
    bits = state.clusters.bits
    size = max(1, config.batch_size)
    n, originals = 0, set[str]()
    pending: list[_Batch] = []
    held = 0
    for batch in batches:
        if not batch:
            continue
        ids = [a.id for a in batch]
        terms = vectorise(batch, store.timexes(ids), bits, config)
        counts = count_matrix(terms, bits)
        state.df += document_frequencies(counts)
        found = [
            labels.candidates(
                labels.story_names(
                    t.names,
                    a.text[: config.body_chars],
                    labels.outlet_keys(a.source_name, a.url),
                ),
                title_words(a.title),
                lead_words(a.text),
            )
            for a, t in zip(batch, terms, strict=True)
        ]
        dups = [a.duplicate_of for a in batch]
        originals.update(d for d in dups if d)
        days = [a.published.toordinal() if a.published else 0 for a in batch]
        pending.append(_Batch(ids, days, dups, found, counts))
        held += len(batch)
        n += len(batch)
        while held >= size:
            whole = _joined(pending)
            spill.write(whole.rows(0, size))
            pending = [whole.rows(size, held)] if held > size else []
            held -= size
    if held:
        spill.write(_joined(pending))
    state.n_docs += n
    return n, originals


def _joined(parts: list[_Batch]) -> _Batch:
    if len(parts) == 1:
        return parts[0]
    return _Batch(
        [i for p in parts for i in p.ids],
        [d for p in parts for d in p.days],
        [d for p in parts for d in p.duplicate_of],
        [c for p in parts for c in p.candidates],
        sp.csr_matrix(sp.vstack([p.counts for p in parts], format="csr"), dtype=np.float32),
    )


def _run(
    store: Store,
    state: DetectorState,
    batches: Callable[[], Iterable[list[Article]]],
    sink: _Sink,
    config: StoryConfig,
    vectorise: Vectoriser = terms_of,
    refine: bool = False,
) -> list[str] | None:
    """Vectorise the articles batch by batch, assign them (merging after each), and hand the
    result to ``sink``; returns what the sink says changed.

    ``refine`` (a full build): once every article is placed, split catch-all stories and
    reassign misplaced articles (:mod:`storyline.stories.split`, :mod:`.refine`). Both
    compare every article with every story, so they run only up to
    ``config.refine_max_articles`` articles, holding the weighted vectors (not the text)."""
    with (
        tempfile.TemporaryFile(prefix="storyline-stories-") as first,
        tempfile.TemporaryFile(prefix="storyline-stories-") as second,
    ):
        arrivals, placements = _Spill(first), _Spill(second)
        n, wanted = _vectorised(store, batches(), state, config, vectorise, arrivals)
        # membership: the current story of each article some new article copies (only those
        # are followed; every other placement is spilled and renamed at the end)
        membership = sink.originals(sorted(wanted))
        renames: dict[str, str] = {}
        whole = refine and 0 < n <= config.refine_max_articles
        kept = _Kept()
        for batch in arrivals.read():
            vectors = weigh(batch.counts, state.df, state.n_docs)
            placements.write(_assign(state, batch, vectors, membership, wanted, renames, config))
            if whole:
                kept.add(batch, vectors)
        first.truncate(0)  # the spilled counts are no longer needed

        def placed() -> Iterator[tuple[str, str]]:
            for ids, story_ids, dups in placements.read():
                for article_id, story_id, original in zip(ids, story_ids, dups, strict=True):
                    followed = membership.get(original or "")  # an original placed after its copy
                    yield article_id, _resolve(renames, followed or story_id)

        final = {old: _resolve(renames, old) for old in renames}
        if whole:
            refined = _refined(state, dict(placed()), kept, config)
            return sink.finish(state, lambda: iter(refined.items()), final)
        return sink.finish(state, placed, final)


@dataclass(slots=True)
class _Kept:
    """What the full-build refinements need of every article, gathered during pass two:
    the weighted vectors and the text-free fields (not the raw counts, which are dropped)."""

    ids: list[str] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    candidates: list[dict[str, float]] = field(default_factory=list)
    duplicate_of: list[str | None] = field(default_factory=list)
    vectors: list[sp.csr_matrix] = field(default_factory=list)

    def add(self, batch: _Batch, vectors: sp.csr_matrix) -> None:
        self.ids += batch.ids
        self.days += batch.days
        self.candidates += batch.candidates
        self.duplicate_of += batch.duplicate_of
        self.vectors.append(vectors)


def _refined(
    state: DetectorState, membership: dict[str, str], kept: _Kept, config: StoryConfig
) -> dict[str, str]:
    """Every article's story after the full-build refinements (catch-alls split, misplaced
    articles moved), a near-duplicate still in its original's story."""
    rows = Rows(
        kept.ids, kept.days, kept.candidates, sp.csr_matrix(sp.vstack(kept.vectors, format="csr"))
    )
    kept.vectors.clear()
    split_catch_alls(state, membership, rows, config)
    reassign(state, membership, rows, config)
    for article_id, original in zip(kept.ids, kept.duplicate_of, strict=True):
        story = membership.get(original or "")
        if story is not None:
            membership[article_id] = story
    return membership


def _resolve(renames: dict[str, str], story_id: str) -> str:
    while story_id in renames:
        story_id = renames[story_id]
    return story_id


def _assign(
    state: DetectorState,
    batch: _Batch,
    vectors: sp.csr_matrix,
    membership: dict[str, str],
    wanted: set[str],
    renames: dict[str, str],
    config: StoryConfig,
) -> tuple[list[str], list[str], list[str | None]]:
    """Assign one batch (``config.batch_size`` articles), then merge; returns (ids, story
    joined, original) for the placements spill."""
    ids, dups = batch.ids, batch.duplicate_of
    index = {sid: k for k, sid in enumerate(state.clusters.ids)}
    forced = [index.get(membership.get(d, "")) if d else None for d in dups]
    before = int(state.clusters.last.max()) if len(state.clusters) else 0
    assigned = assign_batch(state.clusters, vectors, ids, batch.days, forced, config)
    state.phrases.extend({} for _ in range(len(state.clusters) - len(state.phrases)))
    joined: list[str] = []
    for i, c in enumerate(assigned):
        story_id = state.clusters.ids[c]
        joined.append(story_id)
        if ids[i] in wanted:
            membership[ids[i]] = story_id
        state.phrases[c] = labels.add(state.phrases[c], batch.candidates[i])
    now = int(state.clusters.last.max())
    lone = lone_articles(state.clusters, before, now, config)
    _merge(state, membership, sorted(set(assigned)), config, lone, renames)
    return ids, joined, dups


def _merge(
    state: DetectorState,
    membership: dict[str, str],
    changed: list[int],
    config: StoryConfig,
    lone: list[int],
    renames: dict[str, str],
) -> None:
    """Merge stories the batch brought together (and adopt lone articles whose wait ended),
    renaming the followed members and labels; ``renames`` collects old story id → the id it
    was merged into, for the placements and stored members not followed here."""
    for _ in range(3):  # a merge can reveal another; three rounds settle in practice
        old_ids = list(state.clusters.ids)
        mapping = merge(state.clusters, changed, config, lone)
        lone = []
        if all(k == v for k, v in mapping.items()):
            return
        renamed = {old_ids[i]: state.clusters.ids[j] for i, j in mapping.items()}
        for old, new in renamed.items():
            if old != new:
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


def _stories(state: DetectorState) -> list[Story]:
    """Every story of the state, without members (the store counts and keeps those)."""
    c = state.clusters
    df, n_docs = state.df, state.n_docs
    return [
        Story(
            id=story_id,
            label=labels.label(state.phrases[k], df, n_docs, c.bits, fallback=story_id),
            article_ids=[],
            first=date.fromordinal(int(c.first[k])) if c.first[k] else None,
            last=date.fromordinal(int(c.last[k])) if c.last[k] else None,
        )
        for k, story_id in enumerate(c.ids)
    ]


__all__ = [
    "add_articles",
    "articles_by_ids",
    "build_stories",
    "detect_stories",
    "load_state",
    "place_articles",
]
