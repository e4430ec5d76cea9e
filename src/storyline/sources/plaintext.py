"""Plain-text articles, exactly like the seeds, and Timeline17's ``InputDocs/<date>/<n>.htm.txt``.

An optional leading ``date YYYY-MM-DD`` (after optional whitespace, with or without a line break
after it) gives the publication date (``given``). A T17 path gives it too (``path``), unless a
``date`` line says otherwise. A short first line without final punctuation is a headline and
becomes the title, kept apart from the body.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from storyline.sources.base import Problem, RawArticle, Reader

DATE_LINE = re.compile(r"\A\s*date[ \t]+(\d{4})-(\d{1,2})-(\d{1,2})\b[ \t]*\n?", re.IGNORECASE)
T17_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADLINE_MAX = 150


def split_date_line(text: str) -> tuple[str, date | None, str | None, int]:
    """(body, date, problem, offset): strip a leading ``date`` line, validating the date.

    ``offset`` is where the body starts in ``text``. An impossible date (2017-02-30) is dropped
    with a problem message, and the line is still removed from the body.
    """
    match = DATE_LINE.match(text)
    if not match:
        return text, None, None, 0
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
    ):
        return first, rest
    return None, body


def read_text(text: str, source: str, path: Path | None = None) -> Reader:
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
