"""Stories: the list (``/``), one story with its timeline, and the timeline's exports."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from storyline.corpus import Corpus
from storyline.records import Timeline
from storyline.render import render
from storyline.stories import summaries
from storyline.web import reading, schemas
from storyline.web.coverage import coverage_chart
from storyline.web.present import (
    EXPORT_FORMATS,
    Paging,
    article_summary,
    chart_bars,
    export_links,
    story_summary,
    timeline_dict,
)
from storyline.web.state import (
    CorpusDep,
    PagingDep,
    ParamsDep,
    TimelineParams,
)
from storyline.web.views import page
from storyline.web.views.curation import story_context

router = APIRouter()


def _stories(corpus: Corpus, paging: Paging) -> dict[str, Any]:
    items, total = reading.story_page(corpus, paging)
    return {"ok": True, **paging.window(total), "stories": items}


@router.get(
    "/stories.json",
    response_model=schemas.StoriesPage,
    tags=["api"],
    summary="Every story, largest first (paged)",
)
def stories_json(corpus: CorpusDep, paging: PagingDep) -> dict[str, Any]:
    return _stories(corpus, paging)


@router.get("/", response_class=HTMLResponse, tags=["pages"], summary="Stories page")
def stories_page(request: Request, corpus: CorpusDep, paging: PagingDep) -> HTMLResponse:
    data = _stories(corpus, paging)
    for s in data["stories"]:
        s["bars"] = chart_bars(s["chart"])
    return page(request, "stories.html", {**data, "title": "Stories", "json_url": "/stories.json"})


def _story(corpus: Corpus, story_id: str, params: TimelineParams, paging: Paging) -> dict[str, Any]:
    story, size = reading.story(corpus, story_id)
    timeline, stored = reading.story_timeline(corpus, story_id, params)
    articles = reading.story_articles(corpus, story_id, paging)
    reported = reading.story_reporting(corpus, story_id, timeline, stored)
    return {
        "ok": True,
        "story": story_summary(
            story, size=size, span=summaries.span_labels(corpus.store, [story])[story.id]
        ),
        "timeline_source": "stored" if stored else "computed",
        "timeline_articles": (
            corpus.stored_timeline_sizes([story_id]).get(story_id) if stored else None
        ),
        "timeline": timeline_dict(timeline),
        **paging.window(size),
        "articles": [article_summary(a) for a in articles],
        "reporting": reported.as_dict(),
        "_timeline": timeline,
        "_reporting": reported,
    }


@router.get(
    "/stories/{story_id}.json",
    response_model=schemas.StoryPage,
    tags=["api"],
    summary="A story, its timeline and a page of its articles",
)
def story_json(
    story_id: str, corpus: CorpusDep, params: ParamsDep, paging: PagingDep
) -> dict[str, Any]:
    data = _story(corpus, story_id, params, paging)
    data.pop("_timeline")
    data.pop("_reporting")
    return data


@router.get(
    "/stories/{story_id}/timeline.json",
    response_model=schemas.StoryTimeline,
    tags=["api"],
    summary="A story's timeline (stored default, or computed for ?dates=&per_date=)",
)
def story_timeline_json(story_id: str, corpus: CorpusDep, params: ParamsDep) -> dict[str, Any]:
    reading.story(corpus, story_id)
    timeline, stored = reading.story_timeline(corpus, story_id, params)
    source = "stored" if stored else "computed"
    return {"ok": True, "story_id": story_id, "source": source, **timeline_dict(timeline)}


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", text, flags=re.ASCII).strip("-").lower()[:60]
    return slug or fallback


def export(timeline: Timeline, fmt: str, name: str) -> Response:
    """A timeline rendered by :mod:`storyline.render`, as a file download."""
    if fmt not in EXPORT_FORMATS:
        known = ", ".join(EXPORT_FORMATS)
        raise HTTPException(404, f"no export format {fmt!r} (known: {known})")
    media_type, extension, _ = EXPORT_FORMATS[fmt]
    return Response(
        render(timeline, fmt),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'},
    )


@router.get(
    "/stories/{story_id}/timeline.{fmt}",
    tags=["api"],
    summary="A story's timeline as a file: md, html, timelinejs or tilse",
)
def story_timeline_export(
    story_id: str, fmt: str, corpus: CorpusDep, params: ParamsDep
) -> Response:
    story, _ = reading.story(corpus, story_id)
    timeline, _ = reading.story_timeline(corpus, story_id, params)
    return export(timeline, fmt, _slug(story.label, story.id))


@router.get(
    "/stories/{story_id}", response_class=HTMLResponse, tags=["pages"], summary="Story page"
)
def story_page(
    request: Request,
    story_id: str,
    corpus: CorpusDep,
    params: ParamsDep,
    paging: PagingDep,
) -> HTMLResponse:
    data = _story(corpus, story_id, params, paging)
    base = f"/stories/{story_id}/timeline"
    return page(
        request,
        "story.html",
        {
            **data,
            "title": data["story"]["label"],
            "params": params,
            "chart": coverage_chart(data["_reporting"]),
            "firsts": {(f.label, f.granularity): f for f in data["_reporting"].firsts},
            **story_context(corpus, story_id, request.app.state.writable),
            "exports": export_links(base, params.query()),
            "json_url": f"/stories/{story_id}.json"
            + (f"?{params.query()}" if params.query() else ""),
        },
    )
