"""Publication timestamps from records and feeds, reduced to the day they name.

Why one function: JSON, CSV and feeds all carry dates as strings of many shapes (ISO 8601,
news-please's ``2017-04-19 10:23:00``, RFC 822 in RSS, epoch seconds), and the rule for the
day is the same everywhere: a timestamp's day is taken in its own time zone when it has one,
else in UTC. A reporter in Tokyo writing at 08:00 on the 19th (+09:00) published on the 19th,
even though it was still the 18th in London.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from dateutil import parser as dateutil_parser

NULLS = {"", "none", "null", "nan", "nat", "n/a", "na", "-", "undefined"}
"""Values that mean "no date" (news-please writes the string ``"None"``): silently undated."""

_NUMERIC = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(?:\d{4}|\d{2})\b")
"""A day written in numbers with the year last: ``02/03/2020``, ``2.3.20``, ``02-03-2020``."""


def numeric_day(value: Any) -> tuple[int, int, str] | None:
    """``(first number, second number, separator)`` of a day written in numbers with the year
    last ("02/03/2020" gives (2, 3, "/")), or None for anything else."""
    match = _NUMERIC.match(value) if isinstance(value, str) else None
    return (int(match[1]), int(match[3]), match[2]) if match else None


def reads_both_ways(first: int, second: int) -> bool:
    """Whether day-first and month-first readings of these numbers are two different days."""
    return 0 < first <= 12 and 0 < second <= 12 and first != second


_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
_EPOCH_MIN, _EPOCH_MAX = 0, 4_102_444_800  # 1970 .. 2100: numbers outside are not timestamps


def _day(moment: datetime) -> date:
    """The day of a timestamp in its own zone (aware) or in UTC (naive, assumed UTC)."""
    return moment.date()


def _parse_string(text: str) -> date:
    try:
        return _day(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _day(parsedate_to_datetime(text))  # RFC 822: "Wed, 19 Apr 2017 09:00:00 +0900"
    except (TypeError, ValueError, IndexError):
        pass
    # dateutil for the rest ("19 April 2017", "April 19, 2017 10:00 AEST"); no fuzzy matching,
    # so a sentence is never mistaken for a date. Parsed twice with different defaults: if the
    # results differ, the string named no full day ("April 2017") and dateutil filled one in.
    first = dateutil_parser.parse(text, default=_DEFAULT_A)
    if first.date() != dateutil_parser.parse(text, default=_DEFAULT_B).date():
        raise ValueError("no full day")
    return _day(first)


def parse_timestamp(value: Any, day_first: bool | None = None) -> tuple[date | None, str | None]:
    """``(day, problem)``: the day a value names, or None and why (None, None when absent).

    A missing value ("None", null, "") is simply undated; a value that is there but cannot be a
    date (``2017-02-30``, ``soon``) is undated *with* a message, so the user learns of it. A
    numeric day that reads either way (``02/03/2020``) is read in ``day_first``'s order when a
    caller knows its file's (:mod:`storyline.sources.dayorder`); otherwise month first, *with*
    a message too, and a dotted one (``02.03.2020``) day first, as it is written.
    """
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, datetime):
        return _day(value), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float):
        if _EPOCH_MIN <= value <= _EPOCH_MAX:
            return datetime.fromtimestamp(value, tz=UTC).date(), None
        if _EPOCH_MIN <= value / 1000 <= _EPOCH_MAX:  # milliseconds (JavaScript)
            return datetime.fromtimestamp(value / 1000, tz=UTC).date(), None
        return None, f"date {value!r} is not a timestamp: stored undated"
    text = str(value).strip()
    if text.lower() in NULLS:
        return None, None
    if text.isdigit() and len(text) >= 9:
        return parse_timestamp(int(text))
    try:
        numeric = numeric_day(text)
        if numeric is not None and (day_first is not None or numeric[2] == "."):
            # the file's order, or a dotted date: day first wherever it is written (German,
            # Russian, ...), where dateutil alone would read the month first
            first = day_first if day_first is not None else True
            return _day(dateutil_parser.parse(text, dayfirst=first)), None
        day = _parse_string(text)
    except (ValueError, OverflowError, TypeError):
        return None, f"impossible or unreadable date {text[:60]!r}: stored undated"
    if numeric is not None and reads_both_ways(numeric[0], numeric[1]):
        # 02/03/2020 is 3 February in the US and 2 March in most of the world: say which was read
        return day, (
            f"date {text[:60]!r} may be day or month first: read as {day.isoformat()} "
            "(month first, as in the US); an ISO date (YYYY-MM-DD) says which"
        )
    return day, None
