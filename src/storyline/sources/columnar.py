"""Parquet files: one article per row, read a row group at a time.

Why: Parquet is how news data sets are shared now: Hugging Face serves every data set (CC-News,
the news-please crawl of Common Crawl; AG News; Multi-News) as Parquet, and pandas, Spark and
DuckDB users save their collections in it. It was skipped as an unsupported suffix, and
converting a few million rows to JSONL first is a step a user should not need.

The schema's column names are matched like a CSV header (:func:`.csv.columns_from_header`:
the same names, or the ``--text-column`` family), and only the columns found are read, so a
file with image bytes or embeddings beside the text costs no more than its text. Rows stream
in batches through pyarrow, never the whole table at once; each is named ``news.parquet#row
7`` (counted from 1 across the file). A timestamp column is the given date as stored; a date
written as text is parsed as a CSV field's would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from typing import Any, BinaryIO

from storyline.sources.base import Problem, Reader, ReadOptions
from storyline.sources.csv import columns_from_header
from storyline.sources.dayorder import read_rows
from storyline.sources.fields import FALLBACK_TEXT_FIELDS, TEXT_FIELDS
from storyline.sources.imports import require

BATCH_ROWS = 1024
"""Rows converted to Python at a time: about a megabyte of news text, a constant memory cost
whatever the file's size (its row groups may hold a million rows each)."""


def read_parquet(stream: BinaryIO, source: str, options: ReadOptions | None = None) -> Reader:
    """Every row with text as an article, or why a row or the file was skipped.

    ``stream`` must be seekable (a Parquet file's schema is in its footer)."""
    options = options or ReadOptions()
    pyarrow = require("pyarrow", needed_for="reading Parquet files")
    parquet = require("pyarrow.parquet", needed_for="reading Parquet files")
    damaged = (pyarrow.ArrowException, OSError, ValueError, EOFError)
    try:
        table = parquet.ParquetFile(stream)
        header = list(table.schema_arrow.names)
    except damaged as exc:
        yield Problem("skipped", source, f"not a readable Parquet file ({_say(exc)})")
        return
    columns, problem = columns_from_header(header, options)
    if problem is None and columns.text is None:
        problem = f"no text column (looked for {', '.join(TEXT_FIELDS)}; pass --text-column)"
    if problem is not None:
        shown = ", ".join(repr(h) for h in header[:12])
        yield Problem("skipped", source, f"{problem}; columns found: {shown}")
        return
    # the text's stand-ins too (a record whose text is empty keeps its description, as in JSON)
    stand_ins = [h for h in header if h.strip().lower() in FALLBACK_TEXT_FIELDS]
    wanted = list(dict.fromkeys(c for c in (*astuple(columns), *stand_ins) if c is not None))
    limit = options.config.max_article_bytes
    number = 0

    def numbered() -> Iterator[tuple[dict[str, Any], str]]:
        nonlocal number
        for record in _records(table, wanted):
            number += 1
            yield record, f"{source}#row {number}"

    try:
        yield from read_rows(numbered(), columns, source, limit)
    except damaged as exc:  # a damaged row group: the rows read before it stand
        yield Problem(
            "skipped", source, f"damaged after row {number}, the rest is lost ({_say(exc)})"
        )


def _records(table: Any, columns: list[str]) -> Iterator[dict[str, Any]]:
    for batch in table.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        yield from batch.to_pylist()


def _say(exc: BaseException) -> str:
    what = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {what}" if what else type(exc).__name__
