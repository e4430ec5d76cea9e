"""Train the date ranker: a logistic regression from a day's normalised evidence to "is this a
reference date?", over the tasks of a Timeline17-layout data set.

Why logistic regression with a chosen ``C``: the ranker must carry over to topics it never saw,
so it is small and regularised; ``C`` (how much the weights may follow the training topics) is
the one choice made by score, and it is made by leave-one-topic-out *inside* the training topics
(:func:`choose_c`, with the one-standard-error rule), never on the topic being scored. The fit is deterministic (lbfgs, no random
state involved), so a retrain on the same data writes the same JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.errors import EvaluationError
from storyline.evaluate.t17 import Task
from storyline.evaluate.tls_eval import task_pools
from storyline.settings import TimelineConfig
from storyline.timeline.candidates import Pool
from storyline.timeline.dates import reference_rank
from storyline.timeline.features import FEATURES, candidate_days, day_features, normalise
from storyline.timeline.model import DateModel

C_GRID: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3, 1.0)
"""Regularisation strengths tried inside the training topics (smaller: simpler weights)."""


@dataclass(slots=True)
class Example:
    """One task's candidate days as a model sees them, and which are reference dates."""

    task: Task
    matrix: np.ndarray
    labels: np.ndarray


def examples(pairs: Sequence[tuple[Task, Pool]], config: TimelineConfig) -> list[Example]:
    """Features and labels of every task's candidate days (within the task's window)."""
    out = []
    for task, pool in pairs:
        days = candidate_days(pool, task.start, task.end)
        ranks = reference_rank(pool, task.start, task.end, config)
        matrix = normalise(day_features(pool, days, ranks))
        labels = np.array([d in task.timeline for d in days], dtype=int)
        out.append(Example(task, matrix, labels))
    return out


def fit(train: Sequence[Example], c: float) -> DateModel:
    """A model fitted on these examples; raises when they hold no positive or no negative day."""
    x = np.vstack([e.matrix for e in train]) if train else np.zeros((0, len(FEATURES)))
    y = np.concatenate([e.labels for e in train]) if train else np.zeros(0, dtype=int)
    if len(set(y.tolist())) < 2:
        raise EvaluationError("the training tasks need both reference and other days to learn")
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    weights = dict(zip(FEATURES, (float(w) for w in model.coef_[0]), strict=True))
    topics = sorted({e.task.topic for e in train})
    return DateModel(
        weights, float(model.intercept_[0]), {"topics": topics, "tasks": len(train), "C": c}
    )


def date_f1(model: DateModel, tests: Sequence[Example]) -> float:
    """Date F1 (news-tls averaging) of each task's top-L days by ``model``."""
    precision, recall = [], []
    for e in tests:
        top = np.argsort(-model.score(e.matrix), kind="stable")[: e.task.dates]
        hits = float(e.labels[top].sum())
        precision.append(hits / max(e.task.dates, 1))
        recall.append(hits / max(int(e.labels.sum()), 1))
    p, r = float(np.mean(precision)), float(np.mean(recall))
    return 2 * p * r / (p + r) if p + r else 0.0


def choose_c(train: Sequence[Example], grid: Sequence[float] = C_GRID) -> float:
    """The simplest ``C`` within one standard error of the best inner leave-one-topic-out
    Date F1 within ``train`` (Breiman's one-standard-error rule).

    Why the rule and not the best mean: with four or five training topics the inner scores of
    neighbouring ``C`` differ by less than their noise, and the largest of noisy means favours
    the weights that follow the training topics most; among models the data cannot tell apart,
    the more regularised one is the safer bet on an unseen topic.
    """
    return choose_c_scored(train, grid)[0]


def choose_c_scored(
    train: Sequence[Example], grid: Sequence[float] = C_GRID
) -> tuple[float, float]:
    """:func:`choose_c` and the chosen ``C``'s inner leave-one-topic-out Date F1.

    The score is what a model of this kind reaches on training topics it was not fitted on, so
    the evaluation can weigh it fairly against rankers that learn nothing (0 with one topic).
    """
    ordered = sorted(grid)
    topics = sorted({e.task.topic for e in train})
    if len(topics) < 2:
        return ordered[0], 0.0
    means, errors = {}, {}
    for c in ordered:
        held: list[float] = []
        for topic in topics:
            inner = [e for e in train if e.task.topic != topic]
            try:
                model = fit(inner, c)
            except EvaluationError:
                continue
            held.append(date_f1(model, [e for e in train if e.task.topic == topic]))
        means[c] = float(np.mean(held)) if held else 0.0
        errors[c] = float(np.std(held) / np.sqrt(len(held))) if held else 0.0
    best = max(ordered, key=lambda c: (means[c], -c))
    chosen = min(c for c in ordered if means[c] >= means[best] - errors[best])
    return chosen, means[chosen]


def train(pairs: Sequence[tuple[Task, Pool]], config: TimelineConfig | None = None) -> DateModel:
    """The date model for these tasks: ``C`` chosen by inner leave-one-topic-out, then fitted."""
    found = examples(pairs, config or TimelineConfig())
    return fit(found, choose_c(found))


def train_from_folder(root: Path | str, db: Path | str | None = None) -> DateModel:
    """Ingest a Timeline17-layout folder (into ``db`` or a temporary store) and train on it."""
    pairs, _ = task_pools(root, db)
    return train(pairs)


__all__ = [
    "C_GRID",
    "Example",
    "choose_c",
    "choose_c_scored",
    "date_f1",
    "examples",
    "fit",
    "train",
    "train_from_folder",
]
