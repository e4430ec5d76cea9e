"""Storage engines behind one interface (:class:`Store`); only this package speaks SQL."""

from storyline.store.base import SearchHit, Store
from storyline.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "SearchHit", "Store"]
