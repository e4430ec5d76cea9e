"""CSV and TSV collections: one article per row, columns found from the header.

Why auto-detection with overrides: most news dumps name their columns ``text``/``content``,
``title``/``headline``, ``date``/``published``, ``url``/``link``, so the header usually says
enough; when it does not, :class:`~storyline.sources.base.ReadOptions` names the columns.
A file with no text column is one skipped problem that lists the columns it has, so the user
knows what to pass. Rows are streamed (a dump can be gigabytes); each is named
``path#line N`` by the line its record starts on.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from io import BufferedIOBase

from storyline.settings import IngestConfig
from storyline.sources.base import Problem, Reader, ReadOptions
from storyline.sources.fields import (
    DATE_FIELDS,
    LANGUAGE_FIELDS,
    SITE_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    Columns,
    find,
    to_article,
)
from storyline.sources.lines import Lines

_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
"""Raised from csv's default 128 KiB, which a single long article already exceeds; the
per-article limit (``max_article_bytes``) is applied to the text afterwards instead."""

_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 65536


def _dialect(first_line: str, tab: bool) -> type[csv.Dialect] | csv.Dialect:
    """Excel's dialect with the delimiter the header uses most (comma when it uses none).

    The header alone decides: csv.Sniffer, which looks at many lines, is misled by long quoted
    article bodies full of commas and semicolons.
    """
    if tab:
        return csv.excel_tab
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 or best == ",":
        return csv.excel

    class Header(csv.excel):
        delimiter = best

    return Header


def columns_from_header(header: Sequence[str], options: ReadOptions) -> tuple[Columns, str | None]:
    """``(columns, problem)``: the header's columns, or why a column the user named is absent."""
    chosen: dict[str, str | None] = {}
    for part, names, wanted, option in (
        ("text", TEXT_FIELDS, options.text_column, "--text-column"),
        ("title", TITLE_FIELDS, options.title_column, "--title-column"),
        ("date", DATE_FIELDS, options.date_column, "--date-column"),
        ("url", URL_FIELDS, options.url_column, "--url-column"),
    ):
        if wanted is None:
            chosen[part] = find(header, names)
            continue
        chosen[part] = find(header, (wanted.strip().lower(),))
        if chosen[part] is None:
            return Columns(text=None), f"no column {wanted!r} ({option}) in the header"
    taken = set(chosen.values())
    columns = Columns(
        text=chosen["text"],
        title=chosen["title"],
        date=chosen["date"],
        url=chosen["url"],
        language=find(header, LANGUAGE_FIELDS),
        site=find([h for h in header if h not in taken], SITE_FIELDS),
    )
    return columns, None


def _show(header: Sequence[str]) -> str:
    shown = ", ".join(repr(h) for h in header[:12])
    return shown + (f" and {len(header) - 12} more" if len(header) > 12 else "")


def read_csv(
    stream: BufferedIOBase,
    source: str,
    options: ReadOptions | None = None,
    limit: int | None = None,
    *,
    tab: bool = False,
) -> Reader:
    """Every row of a CSV (or, with ``tab``, TSV) stream as an article, or why not."""
    options = options or ReadOptions()
    limit = IngestConfig().max_article_bytes if limit is None else limit
    csv.field_size_limit(_FIELD_LIMIT)
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(stream, "peek") else b""
    first_line = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    dialect = _dialect(first_line, tab)
    lines = Lines(stream, source)
    rows = csv.reader(lines, dialect)
    try:
        header = [h.strip() for h in next(rows)]
    except StopIteration:
        yield Problem("skipped", source, "empty CSV: no header row")
        return
    except csv.Error as exc:
        yield Problem("skipped", f"{source}#line 1", f"broken CSV header: {exc}")
        return
    columns, problem = columns_from_header(header, options)
    if problem is None and columns.text is None:
        problem = f"no text column (looked for {', '.join(TEXT_FIELDS)}; pass --text-column)"
    if problem is not None:
        yield Problem("skipped", source, f"{problem}; columns found: {_show(header)}")
        return
    yield from _rows(rows, lines, header, columns, source, limit)
    yield from lines.warnings()


def _rows(
    rows: Iterator[list[str]],
    lines: Lines,
    header: list[str],
    columns: Columns,
    source: str,
    limit: int,
) -> Reader:
    start = lines.number + 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem("skipped", f"{source}#line {start}", f"broken CSV row: {exc}")
            start = lines.number + 1
            continue
        where = f"{source}#line {start}"
        start = lines.number + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):  # unquoted delimiters: the fields cannot be trusted
            yield Problem("skipped", where, f"{len(row)} fields where the header has {len(header)}")
            continue
        row += [""] * (len(header) - len(row))  # trailing empty fields left out
        yield to_article(dict(zip(header, row, strict=True)), columns, where, limit)
