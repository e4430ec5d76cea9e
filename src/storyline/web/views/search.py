"""Full-text search over sentences, and a timeline for any query (the story view, unstored)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from storyline.corpus import Corpus
from storyline.errors import InputError, StoreError
from storyline.records import Timeline
from storyline.store.base import SearchResults
from storyline.web import reading, schemas
from storyline.web.present import (
    Paging,
    article_summary,
    export_links,
    search_cap,
    search_hit,
    timeline_dict,
)
from storyline.web.state import (
    CorpusDep,
    PagingDep,
    ParamsDep,
    TimelineParams,
)
from storyline.web.views import page
from storyline.web.views.stories import export

router = APIRouter()
log = logging.getLogger("storyline.web")
MAX_QUERY = 500
"""Longer queries are refused (422): no search box needs more, and FTS work grows with terms."""
Q = Annotated[str, Query(max_length=MAX_QUERY, description="Words to find (any text is safe).")]
Since = Annotated[date | None, Query(description="Only articles published on or after.")]
Until = Annotated[date | None, Query(description="Only articles published on or before.")]


_QUERY_SYNTAX = re.compile(
    r"fts5|syntax error|malformed match|unterminated string|no such column|"
    r"unknown special query|like or glob pattern",
    re.IGNORECASE,
)
"""SQLite's messages for query text it cannot parse (as opposed to a store it cannot read)."""


@contextmanager
def _running(q: str) -> Iterator[None]:
    """Run a user's query; a store that could not parse it is the query's fault (400).

    Why: the store quotes every query, but if some text still reaches SQLite as syntax, the
    client must get the one error body with a 4xx naming the query, not a 500. A store that
    cannot be read (any other :class:`StoreError`) stays a 500.
    """
    try:
        yield
    except StoreError as exc:
        if not _QUERY_SYNTAX.search(f"{exc} {exc.__cause__ or ''}"):
            raise
        log.warning("query %r not understood by the store: %s", q, exc)
        raise InputError(f"cannot search for {q[:80]!r}: the store did not accept it") from exc


def _search(corpus: Corpus, q: str, paging: Paging) -> dict[str, Any]:
    """A page of matching sentences (best first) and of matching articles (by date), from at
    most ``web.search_max_matches`` matching sentences (``capped`` says when more matched)."""
    found = SearchResults([], [])
    if q.strip():
        with _running(q):
            found = corpus.search_page(q, limit=paging.size + 1, offset=paging.offset)
    hits, articles = found.hits, found.articles
    return {
        "ok": True,
        "q": q,
        "page": paging.page,
        "size": paging.size,
        "has_next": len(hits) > paging.size or len(articles) > paging.size,
        "hits": [search_hit(h) for h in hits[: paging.size]],
        "articles": [article_summary(a) for a in articles[: paging.size]],
        "capped": search_cap(found.capped),
    }


@router.get(
    "/search.json",
    response_model=schemas.SearchPage,
    tags=["api"],
    summary="Sentences (best first) and articles (by date) matching a query (paged)",
)
def search_json(corpus: CorpusDep, paging: PagingDep, q: Q = "") -> dict[str, Any]:
    return _search(corpus, q, paging)


@router.get("/search", response_class=HTMLResponse, tags=["pages"], summary="Search page")
def search_page(request: Request, corpus: CorpusDep, paging: PagingDep, q: Q = "") -> HTMLResponse:
    data = _search(corpus, q, paging)
    link = "/search?" + urlencode({"q": q, "size": paging.size})
    return page(
        request,
        "search.html",
        {
            **data,
            "title": f"Search: {q}" if q else "Search",
            "prev_url": f"{link}&page={paging.page - 1}" if paging.page > 1 else None,
            "next_url": f"{link}&page={paging.page + 1}" if data["has_next"] else None,
            "json_url": "/search.json?" + urlencode({"q": q}),
        },
    )


def _query(q: str, since: date | None, until: date | None, params: TimelineParams) -> str:
    """The query timeline's parameters as a query string, for links that keep them."""
    pairs: dict[str, Any] = {"q": q, "since": since, "until": until}
    pairs.update(dates=params.dates, per_date=params.per_date)
    return urlencode({k: v for k, v in pairs.items() if v})


def _timeline(
    corpus: Corpus, q: str, since: date | None, until: date | None, params: TimelineParams
) -> Timeline:
    with _running(q):
        return reading.query_timeline(corpus, q, since, until, params)


QRequired = Annotated[
    str, Query(min_length=1, max_length=MAX_QUERY, description="Words the articles must contain.")
]


@router.get(
    "/timeline.json",
    response_model=schemas.QueryTimeline,
    tags=["api"],
    summary="A timeline for any query, computed now",
)
def timeline_json(
    corpus: CorpusDep,
    params: ParamsDep,
    q: QRequired,
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    timeline = _timeline(corpus, q, since, until, params)
    return {"ok": True, "q": q, **timeline_dict(timeline)}


@router.get(
    "/timeline.{fmt}",
    tags=["api"],
    summary="A query timeline as a file: md, html, timelinejs or tilse",
)
def timeline_export(
    fmt: str,
    corpus: CorpusDep,
    params: ParamsDep,
    q: QRequired,
    since: Since = None,
    until: Until = None,
) -> Response:
    timeline = _timeline(corpus, q, since, until, params)
    return export(timeline, fmt, "timeline")


@router.get("/timeline", response_class=HTMLResponse, tags=["pages"], summary="Query timeline")
def timeline_page(
    request: Request,
    corpus: CorpusDep,
    params: ParamsDep,
    q: Q = "",
    since: Since = None,
    until: Until = None,
) -> HTMLResponse:
    timeline = _timeline(corpus, q, since, until, params) if q.strip() else None
    query = _query(q, since, until, params)
    return page(
        request,
        "timeline.html",
        {
            "q": q,
            "since": since,
            "until": until,
            "params": params,
            "_timeline": timeline,
            "title": f"Timeline: {q}" if q else "Query timeline",
            "exports": export_links("/timeline", query) if timeline else [],
            "json_url": f"/timeline.json?{query}" if q else None,
        },
    )
