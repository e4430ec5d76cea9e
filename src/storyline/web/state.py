"""What every request shares: the store connections, validated paging and timeline parameters.

Why one :class:`Corpus` per worker thread: FastAPI runs plain ``def`` views in a thread pool, and
a SQLite connection should not be used by two threads at once. Each thread opens its own
(read-only unless the server was started ``--writable``), the way datasette keeps one connection
per thread; they are closed together when the app shuts down.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Query, Request

from storyline import settings
from storyline.corpus import Corpus
from storyline.web.present import Paging

MAX_PAGE_SIZE = int(settings.get("web_max_page_size"))
MAX_DATES = int(settings.get("web_max_dates"))
MAX_PER_DATE = int(settings.get("web_max_per_date"))
MAX_PAGE = 1_000_000
"""Pages beyond this are refused outright: no store here holds 500 million items."""


class CorpusPool:
    """One :class:`Corpus` per thread over the same store file."""

    def __init__(self, db: str | Path, writable: bool) -> None:
        self.db = str(db)
        self.writable = writable
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Corpus] = []
        self.write_lock = threading.Lock()
        """Held by write routes so two uploads never race for the one SQLite writer."""

    def get(self) -> Corpus:
        corpus: Corpus | None = getattr(self._local, "corpus", None)
        if corpus is None:
            corpus = Corpus(self.db, read_only=not self.writable)
            self._local.corpus = corpus
            with self._lock:
                self._opened.append(corpus)
        return corpus

    def close(self) -> None:
        with self._lock:
            for corpus in self._opened:
                corpus.close()
            self._opened.clear()
        self._local = threading.local()


def get_corpus(request: Request) -> Corpus:
    """FastAPI dependency: this thread's corpus."""
    pool: CorpusPool = request.app.state.pool
    return pool.get()


def get_paging(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    size: Annotated[
        int | None,
        Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page (default: web_page_size)."),
    ] = None,
) -> Paging:
    """FastAPI dependency: ``?page=&size=`` checked against the global bounds (else 422)."""
    return Paging(page=page, size=size if size is not None else int(settings.get("web_page_size")))


@dataclass(frozen=True, slots=True)
class TimelineParams:
    """``?dates=&per_date=``; both None means the stored default timeline."""

    dates: int | None = None
    per_date: int | None = None

    @property
    def is_default(self) -> bool:
        return self.dates is None and self.per_date is None

    def query(self) -> str:
        """The same parameters as a query string, for links that must keep them."""
        parts = [f"{k}={v}" for k, v in (("dates", self.dates), ("per_date", self.per_date)) if v]
        return "&".join(parts)


def get_timeline_params(
    dates: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_DATES,
            description="Number of dates (default: a story's stored timeline, else the library's choice).",
        ),
    ] = None,
    per_date: Annotated[
        int | None, Query(ge=1, le=MAX_PER_DATE, description="Sentences per date.")
    ] = None,
) -> TimelineParams:
    """FastAPI dependency: timeline size parameters checked against the global bounds."""
    return TimelineParams(dates=dates, per_date=per_date)


CorpusDep = Annotated[Corpus, Depends(get_corpus)]
"""A route parameter that receives this worker's read-only (or writable) Corpus."""
PagingDep = Annotated[Paging, Depends(get_paging)]
"""A route parameter that receives validated ``?page=&size=``."""
ParamsDep = Annotated[TimelineParams, Depends(get_timeline_params)]
"""A route parameter that receives validated ``?dates=&per_date=``."""
