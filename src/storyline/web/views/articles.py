"""One article: its text with every temporal expression marked, its date and how it was got."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from storyline.corpus import Corpus
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.web import reading, schemas
from storyline.web.present import article_blocks, story_summary
from storyline.web.state import CorpusDep
from storyline.web.views import page

router = APIRouter()

DATE_SOURCE_HELP = {
    "given": "the article states its own date",
    "metadata": "taken from the page's metadata or the feed entry",
    "path": "taken from the folder the file sat in",
    "inferred": "estimated from the text and its story",
}
"""What each :data:`storyline.records.DATE_SOURCES` value means, in a reader's words."""


@dataclass(slots=True)
class _Read:
    """Everything the article page and its twin show, read once."""

    article: Article
    sentences: list[Sentence]
    timexes: list[TimeExpression]
    story: tuple[Story, int] | None

    @property
    def story_summary(self) -> dict[str, Any] | None:
        return story_summary(self.story[0], size=self.story[1]) if self.story else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "article": self.article.as_dict(),
            "sentences": [s.as_dict() for s in self.sentences],
            "timexes": [t.as_dict() for t in self.timexes],
            "story": self.story_summary,
        }


def _read(corpus: Corpus, article_id: str) -> _Read:
    article = corpus.article(article_id)
    return _Read(
        article,
        corpus.sentences(article_id),
        corpus.timexes(article_id),
        reading.story_of(corpus, article_id),
    )


@router.get(
    "/articles/{article_id}.json",
    response_model=schemas.ArticlePage,
    tags=["api"],
    summary="An article with its sentences, temporal expressions and story",
)
def article_json(article_id: str, corpus: CorpusDep) -> dict[str, Any]:
    return _read(corpus, article_id).as_dict()


@router.get(
    "/articles/{article_id}", response_class=HTMLResponse, tags=["pages"], summary="Article page"
)
def article_page(request: Request, article_id: str, corpus: CorpusDep) -> HTMLResponse:
    read = _read(corpus, article_id)
    article = read.article
    return page(
        request,
        "article.html",
        {
            "story": read.story_summary,
            "timex_count": len(read.timexes),
            "a": article,
            "blocks": article_blocks(article.text, read.sentences, read.timexes),
            "title": article.title or article.id,
            "date_help": DATE_SOURCE_HELP.get(article.date_source or "", ""),
            "json_url": f"/articles/{article_id}.json",
        },
    )
