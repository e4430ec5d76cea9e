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

from fastapi import Depends, HTTPException, Query, Request

from storyline.corpus import Corpus
from storyline.settings import Config, WebConfig
from storyline.web.present import Paging

MAX_PAGE = 1_000_000
"""Pages beyond this are refused outright: no store here holds 500 million items."""


class CorpusPool:
    """One :class:`Corpus` per thread over the same store file."""

    def __init__(self, db: str | Path, writable: bool, config: Config | None = None) -> None:
        self.db = str(db)
        self.writable = writable
        self.config = config or Config()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Corpus] = []
        self.write_lock = threading.Lock()
        """Held by write routes so two uploads never race for the one SQLite writer."""

    def get(self) -> Corpus:
        corpus: Corpus | None = getattr(self._local, "corpus", None)
        if corpus is None:
            corpus = Corpus(self.db, read_only=not self.writable, config=self.config)
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


def web_config(request: Request) -> WebConfig:
    """The server's web limits (``web.*`` settings of the config it was started with)."""
    pool: CorpusPool = request.app.state.pool
    return pool.config.web


def _at_most(name: str, value: int | None, limit: int) -> None:
    """A parameter above the server's configured bound: 422, like FastAPI's own bounds."""
    if value is not None and value > limit:
        raise HTTPException(422, f"query parameter {name} must be at most {limit}")


def get_paging(
    request: Request,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    size: Annotated[
        int | None,
        Query(
            ge=1, description="Items per page (default: web.page_size; at most web.max_page_size)."
        ),
    ] = None,
) -> Paging:
    """FastAPI dependency: ``?page=&size=`` checked against the server's bounds (else 422)."""
    limits = web_config(request)
    _at_most("size", size, limits.max_page_size)
    return Paging(page=page, size=size if size is not None else limits.page_size)


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
    request: Request,
    dates: Annotated[
        int | None,
        Query(
            ge=1,
            description="Number of dates (default: a story's stored timeline, else the library's "
            "choice; at most web.max_dates).",
        ),
    ] = None,
    per_date: Annotated[
        int | None, Query(ge=1, description="Sentences per date (at most web.max_per_date).")
    ] = None,
) -> TimelineParams:
    """FastAPI dependency: timeline size parameters checked against the server's bounds."""
    limits = web_config(request)
    _at_most("dates", dates, limits.max_dates)
    _at_most("per_date", per_date, limits.max_per_date)
    return TimelineParams(dates=dates, per_date=per_date)


CorpusDep = Annotated[Corpus, Depends(get_corpus)]
"""A route parameter that receives this worker's read-only (or writable) Corpus."""
PagingDep = Annotated[Paging, Depends(get_paging)]
"""A route parameter that receives validated ``?page=&size=``."""
ParamsDep = Annotated[TimelineParams, Depends(get_timeline_params)]
"""A route parameter that receives validated ``?dates=&per_date=``."""
