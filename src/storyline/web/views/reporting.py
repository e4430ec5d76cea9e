"""``/stories/{id}/coverage.json``: who reported each date first, and articles per source and day.

Why a route of its own besides the story page's twin: a newsroom tool charting coverage wants
this without the timeline and the article listing. The data is
:meth:`storyline.corpus.Corpus.reporting` over the timeline the story page shows.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from storyline.web import reading, schemas
from storyline.web.state import CorpusDep, ParamsDep

router = APIRouter()


@router.get(
    "/stories/{story_id}/coverage.json",
    response_model=schemas.StoryCoverage,
    tags=["api"],
    summary="Who reported each date of a story's timeline first; articles per source and day",
)
def coverage_json(story_id: str, corpus: CorpusDep, params: ParamsDep) -> dict[str, Any]:
    reading.story(corpus, story_id)
    timeline, stored = reading.story_timeline(corpus, story_id, params)
    reported = reading.story_reporting(corpus, story_id, timeline, stored)
    return {"ok": True, "story_id": story_id, **reported.as_dict()}
