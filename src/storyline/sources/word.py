"""Word documents (``.docx``): an article saved from Word, or a Nexis export of many.

Why Nexis: researchers and journalists collect news from Nexis (LexisNexis, Nexis Uni), whose
export is a ``.docx`` of up to a hundred articles, each laid out as::

    Japan, Australia eye defence deal          <- title
    The Japan Times                            <- outlet
    April 20, 2017 Thursday                    <- publication date
    Copyright 2017 The Japan Times Ltd. …
    Section: NATIONAL / Length: 523 words / Byline: …
    Body
    <the article's paragraphs>
    Load-Date: April 21, 2017                  <- when Nexis loaded it: not the date
    End of Document

A file with ``End of Document`` markers is read as such an export: each document up to its
marker is one article, named ``export.docx#document 3``; its date line (the first line before
``Body`` that is a full date) is the given date, the line before it the outlet and the line
before that the title, so a cover page or list of contents ahead of the first document is
passed over. A document without a ``Body`` line is skipped by its number.

Any other Word file is one article: paragraphs in order, a first paragraph styled as a title
or heading (or short and without a final stop) as its title, and a ``date YYYY-MM-DD`` or
``Date: 19 April 2017`` line leading the text or right under the title as its given date. The file's
own creation date is when it was saved, not published, so it is never used.
"""

from __future__ import annotations

import re
from io import BufferedIOBase

from storyline.sources.base import DAMAGED_OFFICE_FILE, Problem, RawArticle, Reader, ReadOptions
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import clean
from storyline.sources.imports import require
from storyline.sources.plaintext import not_an_article, split_date_line, split_title

END = "End of Document"
BODY = "Body"
DATE_LINE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})\b",
    re.IGNORECASE,
)
"""A Nexis date line: "April 20, 2017 Thursday", "20 April 2017", "Thursday, April 20, 2017"."""
INDEX_FIELD = re.compile(
    r"^(?:Load-Date|Classification|Language|Publication-Type|Subject|Geographic|Graphic|Notes)"
    r"\s*:?",
)
"""Where a Nexis document's body ends: its index fields follow the text."""


def read_docx(stream: BufferedIOBase, source: str, options: ReadOptions | None = None) -> Reader:
    """The articles of a Word document (see the module's docstring); ``stream`` is seekable."""
    options = options or ReadOptions()
    docx = require("docx", needed_for="reading Word documents")
    try:
        document = docx.Document(stream)
        paragraphs = [
            (p.text, p.style.name if p.style is not None else "") for p in document.paragraphs
        ]
    except DAMAGED_OFFICE_FILE as exc:
        what = " ".join(str(exc).split())[:160]
        yield Problem("skipped", source, f"not a readable Word document ({what})")
        return
    yield from read_paragraphs(
        [(clean(text).strip(), style) for text, style in paragraphs], source, options
    )


def read_paragraphs(lines: list[tuple[str, str]], source: str, options: ReadOptions) -> Reader:
    """A document's ``(paragraph, style name)`` in order: a Nexis export (it holds an
    :data:`END` line) or one article. Shared with :mod:`.pdf`, whose documents are laid out
    alike (Nexis exports PDF too)."""
    if any(text == END for text, _ in lines):
        yield from _export(lines, source, options)
    else:
        yield from _single(lines, source, options)


def _export(lines: list[tuple[str, str]], source: str, options: ReadOptions) -> Reader:
    """A Nexis export: one article per document, each ended by :data:`END`."""
    chunk: list[str] = []
    number = 0
    for text, _ in lines:
        if text != END:
            chunk.append(text)
            continue
        number += 1
        yield _document(chunk, f"{source}#document {number}", options)
        chunk = []
    if any(chunk):
        yield Problem(
            "warning", source, f"text after the last '{END}' is not a document and was passed over"
        )


def _document(chunk: list[str], where: str, options: ReadOptions) -> RawArticle | Problem:
    try:
        body_at = chunk.index(BODY)
    except ValueError:
        return Problem("skipped", where, f"no '{BODY}' line: not a document of a Nexis export")
    header = [line for line in chunk[:body_at] if line]
    body: list[str] = []
    for line in chunk[body_at + 1 :]:
        if INDEX_FIELD.match(line):
            break
        if line:
            body.append(line)
    text = "\n\n".join(body)
    limit = options.config.max_article_bytes
    if len(text.strip()) < options.config.min_article_chars:
        return Problem("skipped", where, "no article text after its 'Body' line")
    if len(text.encode("utf-8")) > limit:
        return Problem("skipped", where, f"article text is over the {limit:,}-byte limit")
    article = RawArticle(text=text, source=where)
    dated = next((k for k, line in enumerate(header) if DATE_LINE.match(line)), None)
    if dated is not None:
        article.published, problem = parse_timestamp(DATE_LINE.match(header[dated]).group(0))  # type: ignore[union-attr]
        if article.published is not None:
            article.date_source = "given"
        elif problem:
            article.warnings.append(problem)
        if dated >= 1:
            article.source_name = header[dated - 1]
        if dated >= 2:
            article.title = header[dated - 2]
    elif header:
        article.title = header[0]
    return article


_TITLE_STYLES = ("title", "heading", "subtitle")


def _single(lines: list[tuple[str, str]], source: str, options: ReadOptions) -> Reader:
    """A Word document that is one article."""
    texts = [text for text, _ in lines if text]
    if not texts:
        yield Problem("skipped", source, "no text in the document")
        return
    title = None
    first_style = next(style for text, style in lines if text).lower()
    if first_style.startswith(_TITLE_STYLES):
        title, texts = texts[0], texts[1:]
    whole = "\n\n".join(texts)
    reason = not_an_article(whole)
    if reason is not None:
        yield Problem("skipped", source, reason)
        return
    body, given, problem, _ = split_date_line(whole)
    if title is None:
        title, body = split_title(body)
    if title is not None and given is None and problem is None:
        # a date line under the headline, as a press release or a saved article sets it
        body, given, problem, _ = split_date_line(body.lstrip())
    body = body.strip()
    limit = options.config.max_article_bytes
    if len(body) < options.config.min_article_chars:
        yield Problem("skipped", source, "no article text in the document")
        return
    if len(body.encode("utf-8")) > limit:
        yield Problem("skipped", source, f"article text is over the {limit:,}-byte limit")
        return
    article = RawArticle(text=body, source=source, title=title)
    if given is not None:
        article.published, article.date_source = given, "given"
    if problem:
        article.warnings.append(problem)
    yield article
