"""Single-pass online clustering of weighted article vectors into stories, plus a merge step.

Why online: articles arrive over time, and a new batch must be placed without recomputing the
store. Each story keeps the sum of its members' vectors (its centroid, truncated to its
heaviest terms) and its span of dates. An article joins the story whose centroid is most
similar once similarity is weighted by time distance (a floor keeps long pauses possible),
provided they share names (the key-entity test: concurrent stories share the words of their kind
of news, not their actors and places); otherwise it opens a story of its own, whose id is derived
from that first article, so ids stay stable across runs. A story still made of one article two
weeks later is offered to its best larger match without the name test (a column names few of
its story's actors). A full rebuild replays every article in publication order through this same
path, which is why a rebuild and a sequence of incremental runs agree closely.

Within a batch the arithmetic is exact: the batch is compared with the centroids in one sparse
product and with itself in another, and each assignment updates the running dot products and
norms, so an article sees the stories as they stand after the articles before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from storyline.settings import StoryConfig
from storyline.stories.features import name_part


@dataclass(slots=True)
class Clusters:
    """The stories' centroids and spans: the part of the detector state that assignment needs."""

    bits: int
    ids: list[str] = field(default_factory=list)
    sums: sp.csr_matrix | None = None
    first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    last: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        if self.sums is None:
            self.sums = sp.csr_matrix((0, 1 << self.bits), dtype=np.float32)

    @property
    def matrix(self) -> sp.csr_matrix:
        assert self.sums is not None
        return self.sums

    def __len__(self) -> int:
        return len(self.ids)


def story_id_for(article_id: str) -> str:
    """A story is named after the article that opened it: stable across runs and rebuilds."""
    return "s" + article_id


def time_weight(gap_days: np.ndarray, config: StoryConfig) -> np.ndarray:
    """floor + (1 - floor)·exp(-gap/scale): recent stories are favoured, old ones stay reachable."""
    floor = config.time_floor
    scale = config.time_scale_days
    return floor + (1.0 - floor) * np.exp(-np.maximum(gap_days, 0) / scale)


def _gaps(day: int, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Days from ``day`` to each span [first, last]; 0 inside it or when either is undated (0)."""
    if day == 0:
        return np.zeros(len(first))
    gap = np.maximum(first - day, day - last).astype(np.float64)
    gap[first == 0] = 0.0
    return np.maximum(gap, 0.0)


def _truncate_rows(m: sp.csr_matrix, rows: Sequence[int], keep: int) -> sp.csr_matrix:
    """Keep only the ``keep`` heaviest terms of the given rows (the rest of a centroid is noise)."""
    data, indptr = m.data, m.indptr
    drop = np.zeros(len(data), dtype=bool)
    for r in rows:
        lo, hi = int(indptr[r]), int(indptr[r + 1])
        if hi - lo > keep:
            cut = np.argpartition(data[lo:hi], hi - lo - keep)[: hi - lo - keep]
            drop[lo + cut] = True
    if not drop.any():
        return m
    row_of = np.repeat(np.arange(m.shape[0]), np.diff(indptr))
    counts = np.bincount(row_of[~drop], minlength=m.shape[0])
    new_indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return sp.csr_matrix((data[~drop], m.indices[~drop], new_indptr), shape=m.shape)


def assign_batch(
    clusters: Clusters,
    vectors: sp.csr_matrix,
    article_ids: Sequence[str],
    days: Sequence[int],
    forced: Sequence[int | None],
    config: StoryConfig,
    threshold: float | None = None,
) -> list[int]:
    """Place each row of ``vectors`` (L2-normalised) in a story, updating ``clusters`` in place.

    ``days`` are date ordinals (0 when undated); ``forced[i]`` is a story index the article must
    join (a near-duplicate joins its original's story). ``threshold`` defaults to
    ``config.assign_threshold`` (threads inside a story use a higher one). Returns the story
    index of each article.
    """
    if threshold is None:
        threshold = config.assign_threshold
    n, c0 = vectors.shape[0], len(clusters)
    dots0 = np.asarray((vectors @ clusters.matrix.T).todense(), dtype=np.float64)
    gram = np.asarray((vectors @ vectors.T).todense(), dtype=np.float64)
    sums = clusters.matrix
    norms2 = np.concatenate([_norms2(sums), np.zeros(n)])
    names = name_part(vectors, clusters.bits)
    sums_n = name_part(sums, clusters.bits)
    dots0_n = np.asarray((names @ sums_n.T).todense(), dtype=np.float64)
    gram_n = np.asarray((names @ names.T).todense(), dtype=np.float64)
    norms2_n = np.concatenate([_norms2(sums_n), np.zeros(n)])
    acc_n = np.zeros((n, c0 + n))
    name_bar = config.name_threshold
    first = np.concatenate([clusters.first, np.zeros(n, dtype=np.int64)])
    last = np.concatenate([clusters.last, np.zeros(n, dtype=np.int64)])
    sizes = np.concatenate([clusters.sizes, np.zeros(n, dtype=np.int64)])
    ids = list(clusters.ids)
    acc = np.zeros((n, c0 + n))  # dot products of batch rows with the batch's own additions
    out: list[int] = []
    for i in range(n):
        c_now = len(ids)
        dots = acc[i, :c_now].copy()
        dots[:c0] += dots0[i]
        dots_n = acc_n[i, :c_now].copy()
        dots_n[:c0] += dots0_n[i]
        target = forced[i]
        if target is None and c_now:
            scores = _cosines(dots, norms2[:c_now], 1.0)
            scores *= time_weight(_gaps(days[i], first[:c_now], last[:c_now]), config)
            shared = _name_gate(dots_n, norms2_n[:c_now], gram_n[i, i], name_bar)
            scores = np.where(shared, scores, -1.0)
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                target = best
        if target is None:
            target = c_now
            ids.append(story_id_for(article_ids[i]))
            dots = np.append(dots, 0.0)
            dots_n = np.append(dots_n, 0.0)
        norms2[target] += 2.0 * dots[target] + gram[i, i]
        acc[:, target] += gram[:, i]
        norms2_n[target] += 2.0 * dots_n[target] + gram_n[i, i]
        acc_n[:, target] += gram_n[:, i]
        sizes[target] += 1
        if days[i]:
            first[target] = days[i] if first[target] == 0 else min(first[target], days[i])
            last[target] = max(last[target], days[i])
        out.append(target)
    _fold_batch(clusters, vectors, out, ids, first, last, sizes, config.centroid_terms)
    return out


def _norms2(m: sp.csr_matrix) -> np.ndarray:
    """Squared L2 norm of each row."""
    return np.asarray(m.multiply(m).sum(axis=1), dtype=np.float64).ravel()


def _cosines(dots: np.ndarray, norms2: np.ndarray, own2: float) -> np.ndarray:
    """Cosines from dot products and squared norms (0 where either vector is empty)."""
    live = (norms2 > 0) & (own2 > 0)
    return np.where(live, dots / np.sqrt(np.where(live, norms2 * own2, 1.0)), 0.0)


def _name_gate(dots_n: np.ndarray, norms2_n: np.ndarray, own2: float, bar: float) -> np.ndarray:
    """Which stories share enough names with the article: the key-entity test.

    Two stories running at once share the words of their kind of news (a conflict, an
    epidemic, a company's earnings), but not their actors and places. So an article may join a
    story only when the cosine of their name parts reaches ``bar``. An article without names,
    or a story without any, cannot be judged by names and passes.
    """
    if own2 <= 0:
        return np.ones(len(dots_n), dtype=bool)
    return (norms2_n <= 0) | (_cosines(dots_n, norms2_n, own2) >= bar)


def _fold_batch(
    clusters: Clusters,
    vectors: sp.csr_matrix,
    assigned: list[int],
    ids: list[str],
    first: np.ndarray,
    last: np.ndarray,
    sizes: np.ndarray,
    keep: int,
) -> None:
    """Add the batch's vectors to their centroids and truncate the centroids that changed."""
    total = len(ids)
    n = vectors.shape[0]
    indicator = sp.csr_matrix(
        (np.ones(n, dtype=np.float32), (np.asarray(assigned), np.arange(n))), shape=(total, n)
    )
    grown = sp.vstack(
        [clusters.matrix, sp.csr_matrix((total - len(clusters), vectors.shape[1]))], format="csr"
    )
    sums = sp.csr_matrix(grown + indicator @ vectors, dtype=np.float32)
    sums.sort_indices()
    clusters.sums = _truncate_rows(sums, sorted(set(assigned)), keep)
    clusters.ids = ids
    clusters.first, clusters.last, clusters.sizes = first[:total], last[:total], sizes[:total]


def merge_threshold(sizes: np.ndarray, config: StoryConfig) -> np.ndarray:
    """The cosine two centroids need to merge, by the size of the smaller story.

    A lone article's vector is far from its story's centroid (cosine ~0.25 on news), while
    the centroids of two large stories share the vocabulary of all news (0.3–0.4 between the
    BP oil spill and the financial crisis). So the bar starts at ``merge_threshold`` for a
    single article and rises towards ``merge_threshold_large`` as 1/sqrt(size) shrinks.
    """
    low, high = config.merge_threshold, config.merge_threshold_large
    return high - (high - low) / np.sqrt(np.maximum(sizes, 1))


def merge_candidates(
    clusters: Clusters, changed: Sequence[int], config: StoryConfig, adopt: Sequence[int] = ()
) -> list[tuple[int, int]]:
    """Pairs (a, b) of stories to merge, strongest first: each changed story and its best match.

    Only the best match of each story is proposed, so a story that half resembles two others
    never bridges them into one. Stories in ``adopt`` are lone articles that no other article
    followed (see :func:`lone_articles`): they join their best larger match at
    ``config.adopt_threshold`` without the name test, since what they share with their story is
    its subject, not its actors (a column on the crisis names none of its bankers).
    """
    rows = np.asarray(sorted(set(changed) | set(adopt)), dtype=np.int64)
    if not len(rows) or len(clusters) < 2:
        return []
    lone = set(adopt)
    sims = _row_cosines(clusters.matrix, rows)
    names = name_part(clusters.matrix, clusters.bits)
    name_sims = _row_cosines(names, rows)
    named = _norms2(names) > 0
    pairs: list[tuple[float, int, int]] = []
    for k, r in enumerate(rows):
        gap = np.maximum(
            clusters.first - clusters.last[r], clusters.first[r] - clusters.last
        ).astype(np.float64)
        gap[(clusters.first == 0) | (clusters.first[r] == 0)] = 0.0
        weighted = sims[k] * time_weight(gap, config)
        if r in lone:
            margin = np.where(clusters.sizes > 1, weighted - config.adopt_threshold, -1.0)
        else:
            margin = weighted - merge_threshold(
                np.minimum(clusters.sizes, clusters.sizes[r]), config
            )
            if named[r]:  # the key-entity test of assignment, between centroids
                margin[named & (name_sims[k] < config.name_threshold)] = -1.0
        margin[r] = -1.0
        best = int(np.argmax(margin))
        if margin[best] >= 0:
            pairs.append((float(margin[best]), int(r), best))
    pairs.sort(reverse=True)
    return [(a, b) for _, a, b in pairs]


def lone_articles(clusters: Clusters, before: int, now: int, config: StoryConfig) -> list[int]:
    """Stories of one dated article that turned ``config.adopt_after_days`` old between the
    latest days ``before`` and ``now`` of the stream: each is judged once, when its wait ends.

    Why wait: the first report of a new story is alone too, until its followers arrive; a
    lone article that nothing followed for that long is a side piece of a running story.
    """
    if not now or not len(clusters):
        return []
    wait = config.adopt_after_days
    last = clusters.last
    due = (clusters.sizes == 1) & (last > 0) & (last <= now - wait) & (last > before - wait)
    return np.nonzero(due)[0].tolist()


def _row_cosines(m: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """Cosines of the given rows of ``m`` with every row of ``m`` (0 for empty rows)."""
    norms = np.sqrt(_norms2(m))
    norms[norms == 0] = 1.0
    unit = sp.csr_matrix(sp.diags(1.0 / norms) @ m)
    return np.asarray((unit[rows] @ unit.T).todense())


def merge(
    clusters: Clusters, changed: Sequence[int], config: StoryConfig, adopt: Sequence[int] = ()
) -> dict[int, int]:
    """Merge similar stories (union-find over candidate pairs); returns old index → new index.

    The merged story keeps the id of its oldest part, so ids that users saw survive merges.
    """
    parent = list(range(len(clusters)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def older(a: int, b: int) -> bool:
        fa, fb = clusters.first[a] or 10**9, clusters.first[b] or 10**9
        return (fa, clusters.ids[a]) < (fb, clusters.ids[b])

    for a, b in merge_candidates(clusters, changed, config, adopt):
        ra, rb = root(a), root(b)
        if ra != rb:
            if older(rb, ra):
                ra, rb = rb, ra
            parent[rb] = ra
    roots = [root(i) for i in range(len(clusters))]
    if all(r == i for i, r in enumerate(roots)):
        return {i: i for i in range(len(clusters))}
    kept = sorted(set(roots))
    new_index = {old: k for k, old in enumerate(kept)}
    mapping = {i: new_index[roots[i]] for i in range(len(clusters))}
    target = np.asarray([mapping[i] for i in range(len(roots))])
    combine = sp.csr_matrix(
        (np.ones(len(roots), dtype=np.float32), (target, np.arange(len(roots)))),
        shape=(len(kept), len(roots)),
    )
    sums = sp.csr_matrix(combine @ clusters.matrix, dtype=np.float32)
    sums.sort_indices()
    grouped = np.nonzero(np.bincount(target, minlength=len(kept)) > 1)[0].tolist()
    clusters.sums = _truncate_rows(sums, grouped, config.centroid_terms)
    first = np.zeros(len(kept), dtype=np.int64)
    last = np.zeros(len(kept), dtype=np.int64)
    sizes = np.zeros(len(kept), dtype=np.int64)
    for old, new in mapping.items():
        f = clusters.first[old]
        if f:
            first[new] = f if first[new] == 0 else min(first[new], f)
        last[new] = max(last[new], clusters.last[old])
        sizes[new] += clusters.sizes[old]
    clusters.ids = [clusters.ids[k] for k in kept]
    clusters.first, clusters.last, clusters.sizes = first, last, sizes
    return mapping
