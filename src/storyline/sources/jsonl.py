"""JSON and JSON Lines: news-please, trafilatura and generic ``{title, text, date, url}`` records.

Why two entry points: a ``.json`` file is one document (an object, or an array of them) and is
parsed whole; a ``.jsonl`` file is a stream of objects, one per line, and can be far larger
than memory allows, so it is read line by line and a broken line costs only itself. Each
record is named ``path#line N`` (JSONL) or ``path#record N`` (a JSON array), so a problem
points at the exact place. A record's own date field gives the date (``given``).
"""

from __future__ import annotations

import io
import json
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.fields import (
    TEXT_FIELDS,
    columns_for,
    find,
    flatten,
    to_article,
)
from storyline.sources.lines import Lines

LINE_FACTOR = 4
_JSON_TYPES = {
    list: "array", str: "string", int: "number", float: "number", bool: "boolean",
    type(None): "null",
}  # fmt: skip


def _parse(text: str) -> tuple[Any, str | None]:
    """``(value, None)``, or ``(None, why)`` for JSON that is broken or nested too deeply."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        return None, f"broken JSON: {exc.msg.removesuffix(' at')} at {where}"
    except RecursionError:
        return None, "JSON nested too deeply to read (arrays or objects inside each other)"


def record_article(record: Any, source: str, limit: int) -> RawArticle | Problem:
    """One decoded JSON value as an article, or why it is not one."""
    if not isinstance(record, dict):
        kind = _JSON_TYPES.get(type(record), type(record).__name__)
        return Problem("skipped", source, f"a JSON {kind}, not an object")
    record = flatten(record)
    return to_article(record, columns_for(record), source, limit)


def read_jsonl(
    stream: BufferedIOBase,
    source: str,
    options: ReadOptions | None = None,
    limit: int | None = None,
    *,
    encoding: str = "utf-8",
) -> Reader:
    """Every record of a JSON Lines stream; blank lines are passed over, broken ones reported.

    A line is held in memory only up to ``LINE_FACTOR`` times the article limit: records carry
    raw HTML and metadata beside their text, but a longer line is not an article.
    """
    limit = (options or ReadOptions()).config.max_article_bytes if limit is None else limit
    lines = Lines(stream, source, encoding, max_line=LINE_FACTOR * limit)
    for line in lines:
        if not line.strip():
            continue
        where = f"{source}#line {lines.number}"
        record, problem = _parse(line)
        if problem is not None:
            yield Problem("skipped", where, problem)
            continue
        yield record_article(record, where, limit)
    yield from lines.warnings()


def _records(document: Any, depth: int = 1) -> list[Any] | None:
    """The records of a parsed JSON document: an array, one object, or an object's one list,
    also one object further in (``{"response": {"results": [...]}}``, as the Guardian's and
    the New York Times' APIs answer)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if find(flatten(document), TEXT_FIELDS) is not None:
            return None  # a single article
        lists = [
            v for v in document.values() if isinstance(v, list) and v and isinstance(v[0], dict)
        ]
        if len(lists) == 1:  # {"articles": [...]} and the like
            return lists[0]
        if not lists and depth > 0:
            inner = [
                found
                for v in document.values()
                if isinstance(v, dict) and (found := _records(v, depth - 1)) is not None
            ]
            if len(inner) == 1:
                return inner[0]
    return None


def _looks_like_lines(text: str) -> bool:
    first_lines = [line for line in text.lstrip().splitlines()[:3] if line.strip()]
    return len(first_lines) >= 2 and all(line.lstrip().startswith("{") for line in first_lines)


def read_json(
    text: str, source: str, path: Path | None = None, options: ReadOptions | None = None
) -> Reader:
    """A ``.json`` document: one article, an array of them, or JSON Lines under the wrong name."""
    limit = (options or ReadOptions()).config.max_article_bytes
    document, problem = _parse(text)
    if problem is not None:
        if problem.startswith("broken") and _looks_like_lines(text):
            yield from read_jsonl(io.BytesIO(text.encode("utf-8")), source, limit=limit)
            return
        if problem.startswith("broken JSON") and " at line " not in problem:
            problem = problem.replace(" at column", " at line 1 column")
        yield Problem("skipped", source, problem)
        return
    records = _records(document)
    if records is None:
        yield record_article(document, source, limit)
        return
    if not records:
        yield Problem("skipped", source, "an empty JSON array: no records")
        return
    for number, record in enumerate(records, start=1):
        yield record_article(record, f"{source}#record {number}", limit)
