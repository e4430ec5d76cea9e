"""CSV and TSV collections: one article per row, columns found from the header.

Why auto-detection with overrides: most news dumps name their columns ``text``/``content``,
``title``/``headline``, ``date``/``published``, ``url``/``link``, so the header usually says
enough; when it does not, :class:`~storyline.sources.base.ReadOptions` names the columns.
A file with no text column is one skipped problem that lists the columns it has, so the user
knows what to pass. Rows are streamed (a dump can be gigabytes); each is named
``path#line N`` by the line its record starts on.

Why strict quoting with recovery: an unterminated quote (``B,"text with no end``) makes a
lenient parser swallow the rows after it into one field, silently. Parsed strictly, the
damage shows (a quote followed by something other than a delimiter, the end of the file
inside quotes, or a field over twice the article limit); the row it started on is skipped,
named by its line, and reading resumes on the next line, so the rows after it are kept.
"""

from __future__ import annotations

import csv
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from io import BufferedIOBase

from storyline.sources.base import Problem, Reader, ReadOptions
from storyline.sources.dayorder import Item, read_rows
from storyline.sources.fields import (
    DATE_FIELDS,
    LANGUAGE_FIELDS,
    SITE_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    Columns,
    find,
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


class _Runaway(Exception):
    """A record has grown past any article: its opening quote is never closed."""


class _Feed:
    """Lines for :mod:`csv`, remembering the raw lines of the record being parsed.

    Why: to resume after a broken record, the lines it swallowed are fed again (``replay``).
    """

    def __init__(self, lines: Lines, cap: int) -> None:
        self.lines = lines
        self.fresh = iter(lines)
        self.replay: deque[tuple[int, str]] = deque()
        self.record: list[tuple[int, str]] = []
        self.size = 0
        self.cap = cap

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.replay:
            number, line = self.replay.popleft()
        else:
            line = next(self.fresh)
            number = self.lines.number
        self.record.append((number, line))
        self.size += len(line)
        if self.size > self.cap and len(self.record) > 1:
            raise _Runaway
        return line

    def start_record(self) -> None:
        self.record = []
        self.size = 0

    @property
    def first(self) -> int:
        return self.record[0][0] if self.record else self.lines.number + 1

    @property
    def last(self) -> int:
        return self.record[-1][0] if self.record else self.lines.number


def read_csv(
    stream: BufferedIOBase,
    source: str,
    options: ReadOptions | None = None,
    limit: int | None = None,
    *,
    tab: bool = False,
    encoding: str = "utf-8",
) -> Reader:
    """Every row of a CSV (or, with ``tab``, TSV) stream as an article, or why not."""
    options = options or ReadOptions()
    limit = options.config.max_article_bytes if limit is None else limit
    csv.field_size_limit(_FIELD_LIMIT)
    lines = Lines(stream, source, encoding, max_line=2 * limit)
    feed = _Feed(lines, cap=2 * limit)
    try:
        first_line = next(feed)
    except StopIteration:
        yield Problem("skipped", source, "empty CSV: no header row")
        return
    feed.replay.append(feed.record[0])
    dialect = _dialect(first_line, tab)
    feed.start_record()
    try:
        header = [h.strip() for h in next(csv.reader(feed, dialect, strict=True))]
    except StopIteration:
        yield Problem("skipped", source, "empty CSV: no header row")
        return
    except (csv.Error, _Runaway) as exc:
        why = str(exc) or "a quoted field is never closed"
        yield Problem("skipped", f"{source}#line 1", f"broken CSV header: {why}")
        return
    columns, problem = columns_from_header(header, options)
    if problem is None and columns.text is None:
        problem = f"no text column (looked for {', '.join(TEXT_FIELDS)}; pass --text-column)"
    if problem is not None:
        yield Problem("skipped", source, f"{problem}; columns found: {_show(header)}")
        return
    yield from read_rows(_rows(feed, dialect, header, source), columns, source, limit)
    yield from lines.warnings()


def _rows(
    feed: _Feed,
    dialect: type[csv.Dialect] | csv.Dialect,
    header: list[str],
    source: str,
) -> Iterator[Item]:
    rows = csv.reader(feed, dialect, strict=True)
    while True:
        feed.start_record()
        try:
            row = next(rows)
        except StopIteration:
            return
        except (csv.Error, _Runaway) as exc:
            rows = csv.reader(feed, dialect, strict=True)  # a fresh parser, no state left over
            parsed, problem = _recover(feed, dialect, exc, source)
            yield problem
            if parsed is None:
                continue
            row = parsed
        where = f"{source}#line {feed.first}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):  # unquoted delimiters: the fields cannot be trusted
            yield Problem("skipped", where, f"{len(row)} fields where the header has {len(header)}")
            continue
        row += [""] * (len(header) - len(row))  # trailing empty fields left out
        yield dict(zip(header, row, strict=True)), where


def _recover(
    feed: _Feed, dialect: type[csv.Dialect] | csv.Dialect, exc: Exception, source: str
) -> tuple[list[str] | None, Problem]:
    """After a broken record: the row read leniently, or skipped with its lines fed again."""
    first, last = feed.first, feed.last
    where = f"{source}#line {first}"
    if len(feed.record) > 1 or isinstance(exc, _Runaway) or "end of data" in str(exc):
        # a quote opened on the first line runs on: that row is lost, the lines after it are not
        feed.replay.extendleft(reversed(feed.record[1:]))
        runs = "to the end of the file" if "end of data" in str(exc) else f"to line {last}"
        if isinstance(exc, _Runaway):
            runs = f"past {feed.cap:,} bytes (to line {last})"
        message = (
            f"unterminated quote: the field opened on this line runs {runs}; row skipped, "
            f"reading resumes on line {first + 1}"
        )
        return None, Problem("skipped", where, message)
    line = feed.record[0][1] if feed.record else ""
    try:
        row = next(csv.reader([line], dialect), [])
    except csv.Error as again:
        return None, Problem("skipped", where, f"broken CSV row: {again}")
    return row, Problem("warning", where, f"malformed quoting ({exc}): row read leniently")
