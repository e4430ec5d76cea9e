"""The learned date ranker: a logistic regression over a day's normalised evidence.

Why a small linear model, learned across topics (PRIOR_ART.md, news-tls DATEWISE): which mix of
counts marks a day worth a timeline entry is the same in every story, but one topic's best
weights overfit it. A linear model trained on *other* topics, over columns normalised per
collection (:func:`storyline.timeline.features.normalise`), carries over to unseen news; its
weights are a readable table (which evidence matters, and how much).

The weights ship as JSON package data (``date_model.json``), never a pickle: they are data a
person can read, diff and retrain with ``storyline eval train-dates DIR -o FILE``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import InputError
from storyline.timeline.features import FEATURES

MODEL_FILE = "date_model.json"
"""The shipped model, beside this module."""


@dataclass(frozen=True, slots=True)
class DateModel:
    """Weights per feature name, a bias, and how the model was made (for the record)."""

    weights: dict[str, float]
    bias: float = 0.0
    trained_on: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(FEATURES)
        if unknown:
            raise InputError(f"date model: unknown features {sorted(unknown)}")

    @property
    def vector(self) -> np.ndarray:
        """The weights in :data:`FEATURES` order (a feature the model lacks weighs 0)."""
        return np.array([self.weights.get(name, 0.0) for name in FEATURES])

    def score(self, normalised: np.ndarray) -> np.ndarray:
        """The decision value of each row (higher: more likely a timeline date)."""
        if normalised.size == 0:
            return np.zeros(normalised.shape[0])
        return np.asarray(normalised @ self.vector + self.bias, dtype=np.float64)

    def ranked_features(self) -> list[tuple[str, float]]:
        """Features by absolute weight, largest first (what the closing notes report)."""
        return sorted(self.weights.items(), key=lambda kv: (-abs(kv[1]), kv[0]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": {k: round(v, 6) for k, v in self.weights.items()},
            "bias": round(self.bias, 6),
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateModel:
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            return cls(weights, float(data.get("bias", 0.0)), dict(data.get("trained_on", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"date model: not a model file ({exc})") from None

    def save(self, path: Path | str) -> None:
        Path(path).write_text(json.dumps(self.as_dict(), indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path | str) -> DateModel:
        try:
            return cls.from_dict(json.loads(Path(path).read_text()))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read the date model ({exc})") from None


@lru_cache(maxsize=1)
def shipped_model() -> DateModel:
    """The model that ships in the package (read once per process)."""
    text = resources.files("storyline.timeline").joinpath(MODEL_FILE).read_text()
    return DateModel.from_dict(json.loads(text))


@lru_cache(maxsize=1)
def model_digest() -> str:
    """A digest of the shipped model's file: what a stored timeline was ranked with."""
    data = resources.files("storyline.timeline").joinpath(MODEL_FILE).read_bytes()
    return hashlib.sha256(data).hexdigest()


__all__ = ["MODEL_FILE", "DateModel", "model_digest", "shipped_model"]
