"""Markdown articles: blog posts of static sites (Jekyll, Hugo) and web clippings (Obsidian).

Why these: a newsroom's or a blogger's archive kept as a static site, and an analyst's
clippings saved by a web clipper, are folders of ``.md`` files that each say in their *front
matter* (a YAML block between ``---`` lines, or TOML between ``+++``) what a JSON record says
in its fields: ``title``, ``date`` or ``published``, the page's ``url`` or ``source``. Those
fields are read by the same names as JSON's (:mod:`storyline.sources.fields`), so a
``date: 2017-04-20`` is the given date, like a news-please record's ``date_publish``.

Which files are articles: a Markdown file says it is one, by front matter naming a
publication date or a web address, or by the seeds' leading ``date YYYY-MM-DD`` line. Any
other Markdown file (the README beside a collection, a page of notes, a documentation page)
is skipped, saying so: a README written in prose reads like news to every other test.

The body is the Markdown's text, parsed with markdown-it-py (CommonMark): headings, paragraphs,
list items and quotations, each a paragraph; a link keeps its words, an image, raw HTML and
code blocks are dropped (they are not what the article says). A level-one heading that opens
the body is the title when the front matter gives none.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from storyline.sources import fields
from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.imports import require
from storyline.sources.plaintext import not_an_article, split_date_line

_YAML_BLOCK = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M
)
_TOML_BLOCK = re.compile(
    r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)(?:\r?\n)?^\+\+\+[ \t]*$\r?\n?", re.S | re.M
)
_BODY_KEY = "\0body"
"""The key the Markdown body is filed under beside the front matter's fields (no front matter
field can be named so)."""


def front_matter(text: str) -> tuple[dict[str, Any] | None, str, str | None]:
    """(fields, body, problem): the front matter's fields (None when there is none), the text
    after it, and why a block that looks like front matter could not be read."""
    for pattern, kind in ((_YAML_BLOCK, "YAML"), (_TOML_BLOCK, "TOML")):
        match = pattern.match(text)
        if match is None:
            continue
        try:
            data = _load(match.group(1), kind)
        except ValueError as exc:
            return None, text[match.end() :], f"front matter is not valid {kind} ({exc})"
        if data is None:  # an empty block
            return {}, text[match.end() :], None
        if not isinstance(data, dict):
            return None, text[match.end() :], f"front matter is not a set of {kind} fields"
        return {str(k): _plain(v) for k, v in data.items()}, text[match.end() :], None
    return None, text, None


def _load(block: str, kind: str) -> Any:
    if kind == "TOML":
        try:
            return tomllib.loads(block)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(str(exc)) from None
    yaml = require("yaml", needed_for="reading Markdown front matter")
    try:
        return yaml.safe_load(block)
    except yaml.YAMLError as exc:
        # where the broken construct began (an unclosed quote), else where parsing stopped;
        # the mark counts from 0 within the block, which starts on the file's second line
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        raise ValueError(where + str(getattr(exc, "problem", None) or exc)) from None


def _plain(value: Any) -> Any:
    """A front matter value as a JSON record would hold it: a one-item list (a web clipper
    writes ``author: ["[[Name]]"]``) as its item; dates stay dates."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str | dt.date):
        return value[0]
    return value


def markdown_text(body: str) -> tuple[str | None, str]:
    """(heading, text): the Markdown as plain paragraphs, and a level-one heading opening it.

    Each heading, paragraph, list item and quoted paragraph is a paragraph of the text (a blank
    line between them, as in the other formats); a link keeps its words; images, raw HTML and
    code (blocks and spans' backticks aside) are dropped."""
    markdown_it = require("markdown_it", needed_for="reading Markdown files")
    tokens = markdown_it.MarkdownIt("commonmark").parse(body)
    paragraphs: list[str] = []
    heading: str | None = None
    level_one = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            level_one = token.tag == "h1"
        if token.type != "inline":
            continue
        text = _inline_text(token.children or [])
        if not text:
            continue
        opens = i >= 1 and tokens[i - 1].type == "heading_open"
        if opens and level_one and not paragraphs and heading is None:
            heading = text
            continue
        paragraphs.append(text)
    return heading, "\n\n".join(paragraphs)


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def read_markdown(
    text: str, source: str, path: Path | None = None, options: ReadOptions | None = None
) -> Reader:
    """One article from a Markdown file that says it is one (see the module's docstring)."""
    config = (options or ReadOptions()).config
    record, rest, problem = front_matter(text)
    if problem is not None:
        yield Problem("skipped", source, problem)
        return
    given = None
    if record is None:
        rest, given, problem, _ = split_date_line(rest)
        if given is None and problem is None:
            yield Problem(
                "skipped",
                source,
                "Markdown without front matter or a leading 'date YYYY-MM-DD' line: notes or"
                " documentation, not an article",
            )
            return
        record = {}
    elif not _names_a_publication(record):
        yield Problem(
            "skipped",
            source,
            "Markdown whose front matter names no publication date or web address: notes or"
            " documentation, not an article",
        )
        return
    reason = not_an_article(rest)
    if reason is not None:
        yield Problem("skipped", source, reason)
        return
    heading, body = markdown_text(rest)
    if len(body.strip()) < config.min_article_chars:
        yield Problem("skipped", source, "no article text in the Markdown file")
        return
    record = fields.flatten(record)
    record[_BODY_KEY] = body
    columns = fields.columns_for(record)
    found = fields.to_article(
        record,
        fields.Columns(
            _BODY_KEY, columns.title, columns.date, columns.url, columns.language, columns.site
        ),
        source,
        config.max_article_bytes,
    )
    if isinstance(found, RawArticle):
        found.title = found.title or heading
        if given is not None:
            found.published, found.date_source = given, "given"
        if problem is not None:
            found.warnings.append(problem)
    yield found


def _names_a_publication(record: dict[str, Any]) -> bool:
    keys = list(record)
    return fields.find(keys, fields.DATE_FIELDS) is not None or any(
        fields.is_url(record[k]) for k in keys if k.strip().lower() in fields.URL_FIELDS
    )
