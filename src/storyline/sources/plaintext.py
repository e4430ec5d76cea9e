"""Plain-text articles, exactly like the seeds, and Timeline17's ``InputDocs/<date>/<n>.htm.txt``.

An optional leading ``date YYYY-MM-DD`` (after optional whitespace, with or without a line break
after it) gives the publication date (``given``), and so does a first line such as ``Date: 19
April 2017`` or ``Published: 2017-04-20`` (a label, then a full day and nothing else). A T17
path gives it too (``path``), unless a ``date`` line says otherwise. A short first line without final punctuation is a headline and
becomes the title, kept apart from the body.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.dates import parse_timestamp

DATE_LINE = re.compile(r"\A\s*date[ \t]+(\d{4})-(\d{1,2})-(\d{1,2})\b[ \t]*\n?", re.IGNORECASE)
HEADER_LINE = re.compile(
    r"\A\s*(?:date|dated|published|publication date|posted)[ \t]*:?[ \t]+"
    r"(?P<when>[^\n]{6,60}?)[ \t]*(?:\n|\Z)",
    re.IGNORECASE,
)
"""A first line that is a label and a date in another form than the seeds' (``Date: 19 April
2017``, ``Published: 2017-04-20``, ``Date: Wed, 19 Apr 2017 09:00:00 +0900``): the same
``given`` date when the rest of the line is a full day and nothing else, else not a header."""
T17_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADLINE_MAX = 150


def split_date_line(text: str) -> tuple[str, date | None, str | None, int]:
    """(body, date, problem, offset): strip a leading ``date`` line, validating the date.

    ``offset`` is where the body starts in ``text``. An impossible date (2017-02-30) is dropped
    with a problem message, and the line is still removed from the body.
    """
    match = DATE_LINE.match(text)
    if not match:
        header = HEADER_LINE.match(text)
        if header is None:
            return text, None, None, 0
        day, _ = parse_timestamp(header.group("when"))
        if day is None:
            return text, None, None, 0  # "Posted by the desk": a line of text, not a date
        return text[header.end() :], day, None, header.end()
    y, m, d = (int(g) for g in match.groups())
    body = text[match.end() :]
    try:
        return body, date(y, m, d), None, match.end()
    except ValueError:
        return body, None, f"impossible date {match.group(0).strip()!r} dropped", match.end()


def path_date(path: Path) -> date | None:
    """The date of a Timeline17 ``InputDocs/<YYYY-MM-DD>/`` folder, if the path is one."""
    parent = path.parent
    if T17_DIR.match(parent.name) and parent.parent.name == "InputDocs":
        try:
            return date.fromisoformat(parent.name)
        except ValueError:
            return None
    return None


def split_title(body: str) -> tuple[str | None, str]:
    """A first line that looks like a headline (short, no final stop, more lines follow)."""
    stripped = body.lstrip()
    first, sep, rest = stripped.partition("\n")
    first = first.strip()
    if (
        sep
        and rest.strip()
        and 0 < len(first) <= _HEADLINE_MAX
        and not first.endswith((".", "?", "!", ":", ";", ",", '"', "”", "'"))
        and len(first.split()) >= 2
        and not DATE_LINE.match(first)
        and split_date_line(first)[1] is None
    ):
        return first, rest
    return None, body


_LICENCE_TITLES = (
    "gnu general public license", "gnu lesser general public license", "gnu affero general",
    "apache license", "mozilla public license", "eclipse public license", "the unlicense",
    "mit license", "bsd 2-clause", "bsd 3-clause", "creative commons legal code",
)  # fmt: skip
_LICENCE_TERMS = (
    "permission is hereby granted, free of charge",
    "redistribution and use in source and binary forms",
    'the software is provided "as is"',
    "this program is free software; you can redistribute it",
    "licensed under the apache license, version 2.0",
    "this is free and unencumbered software released into the public domain",
)
_VERSION_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*|=+\s*)?\[?(?:v|version\s*)?\d+\.\d+(?:\.\d+)*(?:[-.+]?[a-z0-9]+)*\]?"
    r"(?:\s*[-\u2013(:]\s*[\w ,.-]*\)?)?\s*$|^\s*#{1,6}\s*\[?unreleased\]?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEAD_CHARS = 4000
_STARTS_WITH_DIGIT = re.compile(r"^\s*(?:\[|v)?\d+\.\d", re.MULTILINE | re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+\S", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+[^\W\d]", re.MULTILINE)
_FENCE = re.compile(r"^\s*(?:```|~~~)", re.MULTILINE)
_COMMAND = re.compile(
    r"^\s*(?:\$ [a-z][\w.-]*(?: |$)|pip install |make |git clone |npm install |python -m |cd \S)",
    re.MULTILINE,
)


def not_an_article(text: str) -> str | None:
    """Why a text file is documentation rather than news (licence, changelog, README), or None.

    Why by content: a folder of articles often carries its README, LICENSE or CHANGELOG, and
    a name says little (``readme.txt`` may hold a story, ``notes`` a licence). Only strong
    signs count: a licence's legal wording, several version headings over bullet lists,
    Markdown code blocks or shell commands under Markdown headings. News text has none.
    """
    folded = " ".join(text[:5000].split()).lower()
    if any(t in folded[:300] for t in _LICENCE_TITLES) or any(t in folded for t in _LICENCE_TERMS):
        return "a software licence, not an article"
    head = text[:_HEAD_CHARS]  # documentation shows what it is at its top
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) < 2 or ("#" not in head and not _STARTS_WITH_DIGIT.search(head)):
        return None  # no heading and no version number at the start of a line: prose
    versions = len(_VERSION_HEADING.findall(head))
    bullets = len(_BULLET.findall(head))
    if versions >= 2 and versions + bullets >= 0.5 * len(lines):
        return "a changelog (version headings over lists of changes), not an article"
    headings = len(_HEADING.findall(head))
    code = len(_FENCE.findall(head)) // 2 + len(_COMMAND.findall(head))
    if headings >= 2 and code >= 1:
        return "documentation (Markdown headings with code or commands), not an article"
    return None


def read_text(
    text: str, source: str, path: Path | None = None, options: ReadOptions | None = None
) -> Reader:
    """One article from a plain-text file; a licence, changelog or README is skipped, saying so."""
    reason = not_an_article(text)
    if reason is not None:
        yield Problem("skipped", source, reason)
        return
    body, given, problem, _ = split_date_line(text)
    published, date_source = (given, "given") if given else (None, None)
    if published is None and path is not None:
        from_path = path_date(path)
        if from_path:
            published, date_source = from_path, "path"
    title, body = split_title(body)
    if problem:
        yield Problem("warning", source, problem)
    yield RawArticle(
        text=body.strip(),
        source=source,
        title=title,
        published=published,
        date_source=date_source,
    )
