"""Factiva exports: a page of many articles, each read on its own.

Why: Factiva (Dow Jones) is, with Nexis, where researchers and newsrooms collect news, and its
"save as HTML" export is one page holding every article chosen, each in its own
``<div class="article">``: a headline (``<span class="enHeadline">``), then one ``<div>`` per
field (word count, publication date, time, outlet, outlet code, language, copyright), then the
text as ``<p class="articleParagraph">``, then ``Document <id>``. Read as one web page, the
export became one article of all of them (or a page over the size limit). Here each article
div is an article, named ``export.html#article 3``: its headline the title, its first field
that is a full date the given date, the field after that date (and after a time of day, when
there is one) the outlet, its paragraphs the text.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import clean
from storyline.sources.imports import require

_MARK = re.compile(r"class=[\"'][^\"']*\b(?:enHeadline|articleParagraph)\b")
_FULL_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$|^[A-Z][a-z]+ \d{1,2}, \d{4}$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?:\s*(?:GMT|UTC|[AP]M))?$", re.IGNORECASE)


def is_export(html: str) -> bool:
    """Whether a page is a Factiva export: its headline or paragraph classes appear in it."""
    return _MARK.search(html[:200_000]) is not None


def read_export(html: str, source: str, options: ReadOptions | None = None) -> Reader:
    """Every article of a Factiva export page, or why one was skipped."""
    options = options or ReadOptions()
    lxml_html = require("lxml.html", needed_for="reading Factiva exports")
    try:
        page = lxml_html.document_fromstring(html)
    except (ValueError, TypeError) as exc:
        yield Problem("skipped", source, f"cannot parse the Factiva export ({exc})")
        return
    articles = page.xpath(
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"
        "[.//*[contains(@class, 'articleParagraph')]]"
    )
    if not articles:
        yield Problem("skipped", source, "a Factiva page without article text")
        return
    for number, div in enumerate(articles, start=1):
        yield _article(div, f"{source}#article {number}", options)


def _text(node: Any) -> str:
    return " ".join(clean(node.text_content()).split())


def _article(div: Any, where: str, options: ReadOptions) -> RawArticle | Problem:
    paragraphs = [
        _text(p) for p in div.xpath(".//p[contains(@class, 'articleParagraph')]") if _text(p)
    ]
    text = "\n\n".join(paragraphs)
    limit = options.config.max_article_bytes
    if len(text) < options.config.min_article_chars:
        return Problem("skipped", where, "no article text in this Factiva article")
    if len(text.encode("utf-8")) > limit:
        return Problem("skipped", where, f"article text is over the {limit:,}-byte limit")
    headline = div.xpath(".//*[contains(@class, 'enHeadline')]")
    article = RawArticle(text=text, source=where, title=_text(headline[0]) if headline else None)
    fields = [
        _text(d) for d in div.xpath("./div") if not d.xpath(".//*[contains(@class, 'enHeadline')]")
    ]
    fields = [f for f in fields if f]
    dated = next((k for k, f in enumerate(fields) if _FULL_DATE.match(f)), None)
    if dated is not None:
        article.published, _ = parse_timestamp(fields[dated])
        article.date_source = "given" if article.published is not None else None
        after = fields[dated + 1 : dated + 3]
        if after and _TIME.match(after[0]):
            after = after[1:]
        if after:
            article.source_name = after[0]
    return article
