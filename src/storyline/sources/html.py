"""Saved HTML pages: the article's text with trafilatura, its publication date with htmldate.

Why these two: trafilatura is the standard for separating an article from navigation, ads and
comments, and htmldate reads the dates pages carry in their markup (``article:published_time``,
JSON-LD, ``<time>``). Both are given the HTML string, never a URL, so nothing is fetched. Only
the markup is searched for the date (``extensive_search=False``): a date guessed from the
running text is an estimate, and estimating is the time stage's job (``inferred``), not ours.
"""

from __future__ import annotations

import logging
from pathlib import Path

from storyline.settings import IngestConfig
from storyline.sources.base import Problem, RawArticle, Reader
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import language_code

for _name in ("trafilatura", "htmldate"):  # their per-page chatter is not the user's business
    logging.getLogger(_name).setLevel(logging.ERROR)


def _strip_title(text: str, title: str | None) -> str:
    """The body without a first line repeating the headline (trafilatura keeps the ``<h1>``)."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    return rest.lstrip() if sep and first.strip().casefold() == title.strip().casefold() else text


def page_date(html: str) -> str | None:
    """The publication day the page's markup gives (ISO), or None."""
    import htmldate  # imported when first needed: a fifth of a second the other commands skip

    try:
        return htmldate.find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None


def read_html(text: str, source: str, path: Path | None = None) -> Reader:
    """One article from one page; a page without article text is skipped, saying so."""
    import trafilatura  # imported when first needed, like htmldate

    body = trafilatura.extract(
        text, output_format="txt", include_comments=False, include_tables=False
    )
    minimum = IngestConfig().min_article_chars
    if body is None or len(body.strip()) < minimum:
        yield Problem("skipped", source, "no article text found in the HTML page")
        return
    metadata = trafilatura.extract_metadata(text)
    title = (metadata.title or "").strip() or None if metadata is not None else None
    limit = IngestConfig().max_article_bytes
    # trafilatura puts one paragraph per line; a blank line between them, as in the other formats
    paragraphs = (line.strip() for line in _strip_title(body.strip(), title).splitlines())
    body = "\n\n".join(p for p in paragraphs if p)
    if len(body.encode("utf-8")) > limit:
        yield Problem("skipped", source, f"article text is over the {limit:,}-byte limit")
        return
    article = RawArticle(text=body, source=source, title=title)
    found = page_date(text)
    if found is not None:
        published, _ = parse_timestamp(found)
        if published is not None:
            article.published, article.date_source = published, "metadata"
    if metadata is not None:
        url = metadata.url or ""
        article.url = url if url.startswith(("http://", "https://")) else None
        article.source_name = metadata.sitename or metadata.hostname or None
        article.language = language_code(getattr(metadata, "language", None))
    yield article
