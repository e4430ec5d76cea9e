"""The one exception hierarchy of storyline.

Every error the library raises on purpose is a :class:`StorylineError`, so a shell (CLI or web)
can catch one type and turn it into a one-line message (CLI) or one JSON error body (web)::

    StorylineError
    ├── InputError          bad input: unreadable file, malformed record, impossible date, bad option
    │   └── NotFoundError   a requested article, story or file does not exist
    ├── StoreError          the store cannot be opened, migrated or written
    │   ├── StoreMissingError   a reader named a store that does not exist (a mistyped --db)
    │   └── StoreBusyError      another process held the write lock past the busy timeout
    └── EvaluationError     evaluation data is missing or malformed

Why a tree: callers decide how much to catch; an ``InputError`` about one file never aborts a
whole ingest, while a ``StoreError`` always does.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Root of every error storyline raises deliberately."""


class InputError(StorylineError):
    """Input that cannot be used as given; the message names the file/line and what is wrong."""


class NotFoundError(InputError):
    """A requested article, story, file or folder does not exist."""


class StoreError(StorylineError):
    """The store cannot be opened, migrated or written; nothing stored is lost."""


class StoreMissingError(StoreError):
    """A command that only reads named a store that does not exist.

    Why an error and not an empty store: a mistyped ``--db`` used to create an empty file and
    show nothing, which looks exactly like "no articles"; only ``ingest`` creates a store.
    """


class StoreBusyError(StoreError):
    """Another process held the store's write lock longer than the busy timeout."""


class EvaluationError(StorylineError):
    """Evaluation data is missing or malformed."""


__all__ = [
    "EvaluationError",
    "InputError",
    "NotFoundError",
    "StoreBusyError",
    "StoreError",
    "StoreMissingError",
    "StorylineError",
]
