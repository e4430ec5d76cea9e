"""Clustering scores: B-cubed and pairwise precision/recall/F1 of a grouping against a truth.

Why both: B-cubed (Bagga & Baldwin 1998) scores each item by how much of its found group shares
its true group and vice versa, so a big story split in two costs in proportion to the articles
affected; pairwise F1 (the figure Miranda et al. 2018 report) counts pairs of items grouped
together, which weighs large groups quadratically. Both are computed from the contingency table
of (true group, found group) counts, so scoring 50,000 items is instant.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from storyline.errors import EvaluationError


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _table(
    truth: Mapping[str, Hashable], found: Mapping[str, Hashable]
) -> tuple[Counter[tuple[Hashable, Hashable]], Counter[Hashable], Counter[Hashable]]:
    if set(truth) != set(found):
        missing = len(set(truth) ^ set(found))
        raise EvaluationError(f"truth and found groupings differ on {missing} items")
    if not truth:
        raise EvaluationError("nothing to score: no items")
    joint = Counter((truth[i], found[i]) for i in truth)
    return joint, Counter(truth.values()), Counter(found.values())


def bcubed(truth: Mapping[str, Hashable], found: Mapping[str, Hashable]) -> PRF:
    """B-cubed P/R/F1 over items: ``truth`` and ``found`` map each item to its group."""
    joint, t_size, f_size = _table(truth, found)
    n = len(truth)
    precision = sum(c * c / f_size[f] for (_, f), c in joint.items()) / n
    recall = sum(c * c / t_size[t] for (t, _), c in joint.items()) / n
    return PRF(precision, recall, _f1(precision, recall))


def pairwise(truth: Mapping[str, Hashable], found: Mapping[str, Hashable]) -> PRF:
    """Pairwise P/R/F1: of the item pairs grouped together, how many truly belong together."""
    joint, t_size, f_size = _table(truth, found)

    def pairs(k: int) -> int:
        return k * (k - 1) // 2

    both = sum(pairs(c) for c in joint.values())
    found_pairs = sum(pairs(k) for k in f_size.values())
    true_pairs = sum(pairs(k) for k in t_size.values())
    precision = both / found_pairs if found_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return PRF(precision, recall, _f1(precision, recall))


__all__ = ["PRF", "bcubed", "pairwise"]
