"""The JSON twins' shapes, as pydantic models, so ``/openapi.json`` documents every field.

Why models beside the records: the records (:mod:`storyline.records`) stay plain dataclasses the
library owns; these only describe what the API returns (records' ``as_dict`` plus links and
paging). ``extra="allow"`` keeps any field a record gains later instead of dropping it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Paged(_Open):
    ok: bool = True
    page: int
    size: int
    total: int
    pages: int


class ChartBin(_Open):
    start: str
    end: str
    count: int


class StorySummary(_Open):
    id: str
    label: str
    first: str | None = None
    last: str | None = None
    first_label: str | None = None
    last_label: str | None = None
    parent_id: str | None = None
    articles: int
    url: str
    chart: list[ChartBin] | None = None


class ArticleSummary(_Open):
    id: str
    title: str | None = None
    published: str | None = None
    date_source: str | None = None
    source: str
    url: str


class CitationOut(_Open):
    text: str
    article_id: str
    sentence_index: int
    start: int
    end: int
    title: str | None = None
    source: str | None = None
    published: str | None = None
    date_source: str | None = None
    url: str | None = None
    link: str


class EntryOut(_Open):
    date: str
    granularity: str
    expected: bool
    score: float
    sentences: list[CitationOut]
    provenance: str = "machine"
    """``machine``, or how a person chose the entry: pinned, swapped, added, caption."""
    caption: str | None = None
    """A person's own words for the date (cites nothing)."""


class TimelineOut(_Open):
    title: str
    parameters: dict[str, Any]
    entries: list[EntryOut]


class DayCount(_Open):
    date: str
    count: int


class SourceCoverageOut(_Open):
    source: str
    articles: int
    undated: int
    by_day: list[DayCount]


class FirstReportOut(_Open):
    date: str
    granularity: str
    expected: bool
    article_id: str
    source: str
    published: str
    title: str | None = None
    sentence_index: int | None = None
    in_advance: bool
    sources: int
    same_day: list[str] = []
    next_source: str | None = None
    next_published: str | None = None
    lead_days: int | None = None
    published_granularity: str = "day"


class ReportingOut(_Open):
    articles: int
    first: str | None = None
    last: str | None = None
    undated: int
    sources: list[SourceCoverageOut]
    firsts: list[FirstReportOut]


class StoryCoverage(ReportingOut):
    ok: bool = True
    story_id: str


class StoriesPage(Paged):
    stories: list[StorySummary]


class StoryPage(Paged):
    story: StorySummary
    timeline_source: str
    timeline_articles: int | None = None
    """The story's size when its stored timeline was computed (null: computed for this
    request, or unrecorded); it lags the story's size after a small ingest
    (``timeline.refresh_share``)."""
    timeline: TimelineOut
    articles: list[ArticleSummary]
    reporting: ReportingOut | None = None


class StoryTimeline(TimelineOut):
    ok: bool = True
    story_id: str
    source: str


class QueryTimeline(TimelineOut):
    ok: bool = True
    q: str


class SentenceOut(_Open):
    article_id: str
    index: int
    text: str
    start: int
    end: int


class TimexOut(_Open):
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    article_id: str | None = None
    sentence_index: int | None = None


class ArticleOut(_Open):
    id: str
    text: str
    title: str | None = None
    source: str
    url: str | None = None
    published: str | None = None
    date_source: str | None = None
    date_confidence: float | None = None
    date_evidence: list[str] = []
    language: str
    duplicate_of: str | None = None


class ArticlePage(_Open):
    ok: bool = True
    article: ArticleOut
    sentences: list[SentenceOut]
    timexes: list[TimexOut]
    story: StorySummary | None


class Hit(_Open):
    article_id: str
    sentence_index: int
    text: str
    title: str | None = None
    published: str | None = None
    rank: float
    link: str


class SearchCap(_Open):
    """Present when more sentences matched than ``web.search_max_matches``: the hits and
    articles come from the ``searched`` most recently stored of them."""

    searched: int
    note: str


class SearchPage(_Open):
    ok: bool = True
    q: str
    page: int
    size: int
    has_next: bool
    hits: list[Hit]
    articles: list[ArticleSummary]
    capped: SearchCap | None = None


class WriteResult(_Open):
    ok: bool = True
