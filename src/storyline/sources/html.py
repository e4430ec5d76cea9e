"""Saved HTML pages: the article's text with trafilatura, its publication date with htmldate.

Why these two: trafilatura is the standard for separating an article from navigation, ads and
comments, and htmldate reads the dates pages carry in their markup (``article:published_time``,
JSON-LD, ``<time>``). Both are given the HTML string, never a URL, so nothing is fetched. Only
the markup is searched for the date (``extensive_search=False``): a date guessed from the
running text is an estimate, and estimating is the time stage's job (``inferred``), not ours.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from storyline.sources import factiva
from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import clean, language_code
from storyline.sources.imports import require

for _name in ("trafilatura", "htmldate"):  # their per-page chatter is not the user's business
    logging.getLogger(_name).setLevel(logging.ERROR)


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _without_declaration(text: str) -> str:
    """The page without an XHTML ``<?xml … encoding=…?>`` line: the text is already decoded
    (in that encoding, see :mod:`storyline.sources.encoding`), and lxml refuses a decoded
    string that still declares one."""
    return _XML_DECLARATION.sub("", text, count=1)


def _strip_title(text: str, title: str | None) -> str:
    """The body without a first line repeating the headline (trafilatura keeps the ``<h1>``)."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    return rest.lstrip() if sep and first.strip().casefold() == title.strip().casefold() else text


def page_date(html: str) -> str | None:
    """The publication day the page's markup gives (ISO), or None."""
    # imported when first needed: a fifth of a second the other commands skip
    htmldate = require("htmldate", needed_for="reading HTML pages")
    try:
        found = htmldate.find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError, RecursionError, LookupError):
        return None
    return str(found) if found else None


def read_html(
    text: str, source: str, path: Path | None = None, options: ReadOptions | None = None
) -> Reader:
    """One article from one page; a page without article text is skipped, saying so. A
    Factiva export is many articles in one page, each read on its own (:mod:`.factiva`)."""
    if factiva.is_export(text):
        yield from factiva.read_export(text, source, options)
        return
    trafilatura = require("trafilatura", needed_for="reading HTML pages")
    require("htmldate", needed_for="reading HTML pages")  # before any page is half read
    text = _without_declaration(text)
    try:
        body = trafilatura.extract(
            text, output_format="txt", include_comments=False, include_tables=False
        )
        metadata = trafilatura.extract_metadata(text)
    except (ValueError, TypeError, RecursionError, LookupError, AttributeError) as exc:
        # lxml and trafilatura fail on some malformed markup with these; the page is lost, not the run
        yield Problem(
            "skipped", source, f"cannot parse the HTML page ({type(exc).__name__}: {exc})"
        )
        return
    config = (options or ReadOptions()).config
    minimum = config.min_article_chars
    if body is None or len(body.strip()) < minimum:
        yield Problem("skipped", source, "no article text found in the HTML page")
        return
    body = clean(body)
    title = (metadata.title or "").strip() or None if metadata is not None else None
    limit = config.max_article_bytes
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
