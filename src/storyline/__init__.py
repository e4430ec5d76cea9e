"""storyline: turn piles and streams of news articles into dated, sourced story timelines."""

from storyline.errors import (
    EvaluationError,
    InputError,
    NotFoundError,
    StoreError,
    StorylineError,
)
from storyline.records import (
    Article,
    Citation,
    Entry,
    Sentence,
    Story,
    TimeExpression,
    Timeline,
)

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``storyline.Corpus`` without importing the whole pipeline on ``import storyline``."""
    if name == "Corpus":
        from storyline.corpus import Corpus

        return Corpus
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")


__all__ = [
    "Article",
    "Citation",
    "Corpus",
    "Entry",
    "EvaluationError",
    "InputError",
    "NotFoundError",
    "Sentence",
    "StoreError",
    "Story",
    "StorylineError",
    "TimeExpression",
    "Timeline",
    "__version__",
]
