"""Excel workbooks (``.xlsx``): one article per row, columns found from each sheet's header.

Why: a spreadsheet is how many analysts and newsrooms keep a collection of articles (a list
pasted from a database export, a Media Cloud or Factiva download opened and saved in Excel).
Each sheet is read as a CSV file would be (:mod:`storyline.sources.csv`): its first non-empty
row is the header, the same column names are looked for (or the ``--text-column`` family names
them), a date cell is the given date whether Excel stores it as a date or as text, and each
row is named ``book.xlsx#Sheet1!row 7``. A sheet without a text column is skipped by its name
(a workbook often carries a notes or pivot sheet beside the data). Rows stream from openpyxl's
read-only mode, so a large workbook is not held in memory as cells.

The legacy binary ``.xls`` is not read: it needs another library and every Excel saves
``.xlsx``; the skip message says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BufferedIOBase
from typing import Any

from storyline.sources.base import DAMAGED_OFFICE_FILE, Problem, Reader, ReadOptions
from storyline.sources.csv import columns_from_header
from storyline.sources.dayorder import read_rows
from storyline.sources.fields import TEXT_FIELDS
from storyline.sources.imports import require

LEGACY = "an Excel 97-2003 workbook ('.xls'): save it as .xlsx or .csv and ingest that"


def read_xlsx(stream: BufferedIOBase, source: str, options: ReadOptions | None = None) -> Reader:
    """Every row with text of every sheet that has a text column, as an article, or why not.

    ``stream`` must be seekable (a workbook is a zip archive); the caller reads a compressed
    or archived one into memory first, within the file size limit."""
    options = options or ReadOptions()
    openpyxl = require("openpyxl", needed_for="reading Excel workbooks")
    limit = options.config.max_article_bytes
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except DAMAGED_OFFICE_FILE as exc:
        what = " ".join(str(exc).split())[:160]
        yield Problem("skipped", source, f"not a readable Excel workbook ({what})")
        return
    try:
        for sheet in book.worksheets:
            where = f"{source}#{sheet.title}"
            try:
                yield from _sheet(sheet, where, options, limit)
            except (
                DAMAGED_OFFICE_FILE
            ) as exc:  # a sheet's XML is damaged: its rows after that are lost
                what = " ".join(str(exc).split())[:160]
                yield Problem("skipped", where, f"damaged sheet ({type(exc).__name__}: {what})")
        if not book.worksheets:
            yield Problem("skipped", source, "the workbook has no sheets")
    finally:
        book.close()


def _sheet(sheet: Any, where: str, options: ReadOptions, limit: int) -> Reader:
    rows = _filled_rows(sheet)
    first = next(rows, None)
    if first is None:
        yield Problem("skipped", where, "empty sheet")
        return
    number, cells = first
    header = [_header_name(c, k) for k, c in enumerate(cells)]
    columns, problem = columns_from_header(header, options)
    if problem is None and columns.text is None:
        problem = f"no text column (looked for {', '.join(TEXT_FIELDS)}; pass --text-column)"
    if problem is not None:
        shown = ", ".join(repr(h) for h in header[:12])
        yield Problem("skipped", where, f"{problem}; columns found: {shown}")
        return
    records = (
        (
            {name: _cell(value) for name, value in zip(header, cells, strict=False)},
            f"{where}!row {n}",
        )
        for n, cells in rows
    )
    yield from read_rows(records, columns, where, limit)


def _filled_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the rows holding any value: formatting leaves blank rows."""
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(c is not None and str(c).strip() for c in cells):
            yield number, cells


def _header_name(value: Any, index: int) -> str:
    """A header cell as a column name; an empty one is named by its position."""
    text = "" if value is None else str(value).strip()
    return text or f"column {index + 1}"


def _cell(value: Any) -> Any:
    """A cell as a CSV field would hold it; dates stay dates (the reader takes both)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value
