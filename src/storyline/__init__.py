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

__all__ = [
    "Article",
    "Citation",
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
