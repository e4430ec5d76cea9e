"""Splitting catch-all stories: a story whose members are hardly more alike than news in general.

Why: online assignment compares an article with a story's centroid, and a big centroid is the
mean of many articles, close to the mean of all news on that beat. So a story that took in a
loosely related article becomes easier to join, and single-link chaining can grow a whole beat
into one story (two years of big-tech coverage on finance-news). The sign of it is a story
whose members are, on average, little more similar to each other than to the rest of the store:
its *lift*, mean cosine between its members over mean cosine between a member and a
non-member. A true story of a few weeks or many months (an oil spill, an epidemic, a trial)
has a lift of 2.5 and more; a catch-all has about 1.5, being the beat itself.

A full build measures each story of at least ``split_min_size`` articles once its articles are
all placed; one whose lift is under ``split_lift`` is regrouped by the same single-pass
clustering at twice the bar that made it, and a group that is still a catch-all again, up to
the thread level (``thread_threshold``, the level that separates a story's events): a
hierarchy whose flat assignment is taken at the first level where the groups are stories. The
story's id stays with the group its first article opened. Incremental runs do not split; they
continue from the split stories (their centroids are in the saved state), and the next full
build checks again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from storyline.settings import StoryConfig
from storyline.stories import labels
from storyline.stories.online import Clusters, assign_batch
from storyline.stories.state import DetectorState


@dataclass(slots=True)
class Rows:
    """What the full-build refinements read of every article, in publication order, without
    its text: id, day (ordinal, 0 when undated), label candidates, and the weighted vector
    (row ``k`` of ``vectors`` is article ``ids[k]``)."""

    ids: list[str]
    days: list[int]
    candidates: list[dict[str, float]]
    vectors: sp.csr_matrix


def lift(members: sp.csr_matrix, total: np.ndarray, n_all: int) -> float:
    """Mean cosine between the rows of ``members`` (unit vectors) over their mean cosine with
    the other ``n_all - n`` articles whose vectors, with theirs, sum to ``total``."""
    n = members.shape[0]
    if n < 2 or n_all <= n:
        return float("inf")
    s = np.asarray(members.sum(axis=0), dtype=np.float64).ravel()
    inside = (s @ s - n) / (n * (n - 1))
    outside = s @ (total - s) / (n * (n_all - n))
    return float(inside / outside) if outside > 0 else float("inf")


def split_catch_alls(
    state: DetectorState,
    membership: dict[str, str],
    rows: Rows,
    config: StoryConfig,
) -> list[str]:
    """Regroup at the thread level every story with too low a lift (see the module's doc);
    ``rows`` must be the whole store. Returns the ids of the split stories."""
    ids, vectors = rows.ids, rows.vectors
    row = {a: k for k, a in enumerate(ids)}
    groups: dict[str, list[int]] = {}
    for article_id, story_id in membership.items():
        if article_id in row:
            groups.setdefault(story_id, []).append(row[article_id])
    total = np.asarray(vectors.sum(axis=0), dtype=np.float64).ravel()
    split: list[str] = []
    for story_id, members in groups.items():
        if len(members) < config.split_min_size:
            continue
        members.sort()
        if lift(vectors[members], total, len(ids)) >= config.split_lift:
            continue
        _regroup(state, membership, story_id, members, rows, config, total)
        split.append(story_id)
    return split


def _regroup(
    state: DetectorState,
    membership: dict[str, str],
    story_id: str,
    members: list[int],
    rows: Rows,
    config: StoryConfig,
    total: np.ndarray,
    threshold: float | None = None,
) -> None:
    """Replace story ``story_id`` by the groups of its articles ``rows`` (publication order)
    at twice the bar it was made with; a group still a catch-all is split again, up to the
    thread level."""
    c = state.clusters
    threshold = min(2 * (threshold or config.assign_threshold), config.thread_threshold)
    parts = Clusters(c.bits)
    ids, vectors = rows.ids, rows.vectors
    days = [rows.days[r] for r in members]
    placed: list[int] = []
    size = config.batch_size
    for start in range(0, len(members), size):
        chunk = members[start : start + size]
        placed += assign_batch(
            parts,
            vectors[chunk],
            [ids[r] for r in chunk],
            days[start : start + size],
            [None] * len(chunk),
            config,
            threshold=threshold,
        )
    phrases: list[dict[str, float]] = [{} for _ in parts.ids]
    for r, k in zip(members, placed, strict=True):
        membership[ids[r]] = parts.ids[k]
        phrases[k] = labels.add(phrases[k], rows.candidates[r])
    keep = [k for k, i in enumerate(c.ids) if i != story_id]
    c.sums = sp.vstack([c.matrix[keep], parts.matrix], format="csr")
    c.ids = [c.ids[k] for k in keep] + parts.ids
    c.first = np.concatenate([c.first[keep], parts.first])
    c.last = np.concatenate([c.last[keep], parts.last])
    c.sizes = np.concatenate([c.sizes[keep], parts.sizes])
    state.phrases = [state.phrases[k] for k in keep] + phrases
    if threshold >= config.thread_threshold:
        return
    groups: dict[int, list[int]] = {}
    for r, k in zip(members, placed, strict=True):
        groups.setdefault(k, []).append(r)
    for k, part in groups.items():
        if len(part) >= config.split_min_size and (
            lift(vectors[part], total, len(ids)) < config.split_lift
        ):
            _regroup(state, membership, parts.ids[k], part, rows, config, total, threshold)
