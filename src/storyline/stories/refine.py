"""One pass that moves each article to the story it resembles most, once all stories exist.

Why: online assignment decides when an article arrives, against the stories of that moment. A
report of an epidemic's first signs that arrives before the epidemic's story exists joins
the nearest running story (the economy), and stays there after the epidemic's story forms.
A full build, once every article is placed, compares each article with its own story's
centroid (without the article itself) and with every other story's centroid, under the same
time weighting and key-entity (name) test as assignment; an article that another story of at
least two articles scores ``reassign_margin`` times higher, and at least ``assign_threshold``,
moves there. One pass over
fixed centroids: moves do not chain, so a bridge article cannot pull two stories together.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from storyline.settings import StoryConfig
from storyline.stories import labels
from storyline.stories.features import name_part
from storyline.stories.online import _truncate_rows, time_weight
from storyline.stories.split import Rows
from storyline.stories.state import DetectorState

_CHUNK = 512  # articles scored against every story at once (bounds the dense block)


def _norms2(m: sp.csr_matrix) -> np.ndarray:
    return np.asarray(m.multiply(m).sum(axis=1), dtype=np.float64).ravel()


def best_stories(
    state: DetectorState,
    membership: dict[str, str],
    rows_of: Rows,
    config: StoryConfig,
) -> dict[int, int]:
    """Article row → the story index it should move to (only the articles that move)."""
    c = state.clusters
    index = {sid: k for k, sid in enumerate(c.ids)}
    ids, vectors = rows_of.ids, rows_of.vectors
    own = np.asarray([index[membership[a]] for a in ids], dtype=np.int64)
    sums = c.matrix
    norms2 = _norms2(sums)
    names_s = name_part(sums, c.bits)
    norms2_n = _norms2(names_s)
    days = np.asarray(rows_of.days)
    moves: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = slice(start, min(start + _CHUNK, len(ids)))
        v = vectors[rows]
        dots = np.asarray((v @ sums.T).todense(), dtype=np.float64)
        own2 = _norms2(v)
        k_own = own[rows]
        r = np.arange(len(k_own))
        # the own story without the article: its dot and norm less the article's share
        dots_own = np.maximum(dots[r, k_own] - own2, 0.0)
        norm_own = np.maximum(norms2[k_own] - 2 * dots[r, k_own] + own2, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = dots / np.sqrt(norms2[None, :] * own2[:, None])
            cos_own = np.where(norm_own > 0, dots_own / np.sqrt(norm_own * own2), 0.0)
        cos = np.nan_to_num(cos)
        d = days[rows][:, None]
        gap = np.maximum(c.first[None, :] - d, d - c.last[None, :]).astype(np.float64)
        gap[(d[:, 0] == 0), :] = 0.0
        gap[:, c.first == 0] = 0.0
        score = cos * time_weight(gap, config)
        score_own = cos_own * time_weight(gap[r, k_own], config)
        n = name_part(v, c.bits)
        dots_n = np.asarray((n @ names_s.T).todense(), dtype=np.float64)
        n2 = _norms2(n)
        with np.errstate(divide="ignore", invalid="ignore"):
            cos_n = np.nan_to_num(dots_n / np.sqrt(norms2_n[None, :] * n2[:, None]))
        gate = (n2[:, None] <= 0) | (norms2_n[None, :] <= 0) | (cos_n >= config.name_threshold)
        score = np.where(gate & (c.sizes[None, :] >= 2), score, -1.0)
        score[r, k_own] = -1.0
        best = np.argmax(score, axis=1)
        top = score[r, best]
        for i in np.nonzero(
            (top > config.reassign_margin * score_own) & (top >= config.assign_threshold)
        )[0]:
            if c.sizes[k_own[i]] >= 2:
                moves[start + int(i)] = int(best[i])
    return moves


def reassign(
    state: DetectorState,
    membership: dict[str, str],
    rows_of: Rows,
    config: StoryConfig,
) -> int:
    """Move the articles :func:`best_stories` finds, updating centroids, spans, sizes and
    label tables of the stories involved; returns how many moved."""
    moves = best_stories(state, membership, rows_of, config)
    if not moves:
        return 0
    ids, vectors = rows_of.ids, rows_of.vectors
    c = state.clusters
    index = {sid: k for k, sid in enumerate(c.ids)}
    delta = sp.lil_matrix((len(c), vectors.shape[0]), dtype=np.float32)
    touched: set[int] = set()
    for i, k in moves.items():
        j = index[membership[ids[i]]]
        delta[j, i] = -1.0
        delta[k, i] = 1.0
        membership[ids[i]] = c.ids[k]
        touched |= {j, k}
    sums = sp.csr_matrix(c.matrix + sp.csr_matrix(delta) @ vectors, dtype=np.float32)
    sums.eliminate_zeros()
    sums.sort_indices()
    c.sums = _truncate_rows(sums, sorted(touched), config.centroid_terms)
    members: dict[int, list[int]] = {k: [] for k in touched}
    for row, a in enumerate(ids):
        k = index[membership[a]]
        if k in members:
            members[k].append(row)
    for k, rows in members.items():
        dated = [d for r in rows if (d := rows_of.days[r])]
        c.sizes[k] = len(rows)
        c.first[k] = min(dated, default=0)
        c.last[k] = max(dated, default=0)
        table: dict[str, float] = {}
        for r in rows:
            table = labels.add(table, rows_of.candidates[r])
        state.phrases[k] = table
    return len(moves)
