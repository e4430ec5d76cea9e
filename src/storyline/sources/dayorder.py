"""Whether a table writes its numeric days day first (02/03/2020 = 2 March) or month first.

Why per file: "02/03/2020" is 3 February in the US and 2 March in most of the world. One row
cannot say which; its file can, because an export writes every date the same way and a day
after the 12th shows the order ("13/03/2020" reads only day first, "03/13/2020" only month
first). So a table reader (CSV, spreadsheet, Parquet) holds back its first rows until one of
their dates settles the order, at most :data:`HOLD_ROWS` rows or :data:`HOLD_BYTES` of text,
then reads every date of the file that way. A file whose held rows never settle it is read
month first (the US order, dateutil's default) with one warning for the whole file; a later
row that contradicts the order read gets one warning too. Before, every such row was read
month first in silence: a European export stored 2 March as 3 February.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storyline.sources.base import Problem, RawArticle
from storyline.sources.dates import numeric_day, reads_both_ways
from storyline.sources.fields import Columns, to_article

HOLD_ROWS = 1000
"""Rows held back at most while the order is unknown: exports rarely go a thousand rows
without a day after the 12th."""
HOLD_BYTES = 8_000_000
"""Text held back at most while the order is unknown (bounds memory for long articles)."""

Item = Problem | tuple[dict[str, Any], str]
"""What a table reader produces: a problem, or a record with where it was read."""


def evidence(value: Any) -> bool | None:
    """True when ``value`` can only be day first ("13/03/2020"), False when only month first
    ("03/13/2020"), None when it says nothing (either way reads, or not a numeric day)."""
    numbers = numeric_day(value)
    if numbers is None:
        return None
    first, second, _ = numbers
    if first > 12 >= second:
        return True
    if second > 12 >= first:
        return False
    return None


def ambiguous(value: Any) -> bool:
    """A numeric day that reads both ways and means two different days ("02/03/2020")."""
    numbers = numeric_day(value)
    return numbers is not None and reads_both_ways(numbers[0], numbers[1])


@dataclass(slots=True)
class _Order:
    day_first: bool | None = None
    settled_by: str = ""  # the value that settled it ("" when settled by default)
    contradicted: bool = False


def read_rows(
    items: Iterable[Item], columns: Columns, source: str, limit: int
) -> Iterator[RawArticle | Problem]:
    """Each record of ``items`` as an article (problems pass through in order), every numeric
    date of the file read in the one order its dates show."""
    if columns.date is None:
        for item in items:
            yield (
                item if isinstance(item, Problem) else to_article(item[0], columns, item[1], limit)
            )
        return
    order = _Order()
    held: list[Item] = []
    held_bytes = 0
    for item in items:
        if isinstance(item, Problem):
            if held:
                held.append(item)
            else:
                yield item
            continue
        record, where = item
        value = record.get(columns.date)
        if order.day_first is None:
            said = evidence(value)
            held.append(item)
            held_bytes += sum(len(v) for v in record.values() if isinstance(v, str))
            if said is None and len(held) < HOLD_ROWS and held_bytes < HOLD_BYTES:
                continue
            yield from _release(held, order, said, value, columns, source, limit)
            held, held_bytes = [], 0
            continue
        said = evidence(value)
        if said is not None and said != order.day_first and not order.contradicted:
            order.contradicted = True
            yield Problem("warning", where, _contradiction(value, order))
        yield to_article(record, columns, where, limit, day_first=order.day_first)
    if held:
        yield from _release(held, order, None, None, columns, source, limit)


def _release(
    held: list[Item],
    order: _Order,
    said: bool | None,
    value: Any,
    columns: Columns,
    source: str,
    limit: int,
) -> Iterator[RawArticle | Problem]:
    """Settle the order (by ``said``, or month first) and read the held rows with it."""
    order.day_first = bool(said)
    order.settled_by = str(value) if said is not None else ""
    if said is None:
        dates = [item[0].get(columns.date) for item in held if not isinstance(item, Problem)]
        either = [d for d in dates if ambiguous(d)]
        if either:
            yield Problem(
                "warning",
                source,
                f"{len(either)} dates such as {either[0]!r} read either day or month first and "
                "no date of the file shows which: read month first (as in the US); ISO dates "
                "(YYYY-MM-DD) say which",
            )
    for item in held:
        if isinstance(item, Problem):
            yield item
        else:
            yield to_article(item[0], columns, item[1], limit, day_first=order.day_first)


def _contradiction(value: Any, order: _Order) -> str:
    read, other = ("day", "month") if order.day_first else ("month", "day")
    why = f"as {order.settled_by!r} showed" if order.settled_by else "none before showed which"
    return (
        f"{value!r} can only be read {other} first, but this file's dates were read {read} "
        f"first ({why}): check the file's dates"
    )


__all__ = ["HOLD_BYTES", "HOLD_ROWS", "ambiguous", "evidence", "read_rows"]
