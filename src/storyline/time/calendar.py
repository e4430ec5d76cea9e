"""Calendar arithmetic on TimeML values: shifting by units, granularity, validity.

Why separate: every rule resolves "last month", "two weeks ago" or "the following year" the same
way, and the one place that builds value strings is the one place that can promise they are
valid (no February 30, no week 54, no month 13).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

VALID_VALUE = re.compile(
    r"^(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|P(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|Q|DE|CE|ML|WE|H|S)"
    r"|PT(?:\d+(?:\.\d+)?|X)(?:H|M|S)(?:\d+[MS])?"
    r"|P(?:\d+|X)Y(?:\d+M)?|P\d+M\d+D"
    r"|(?:\d{4}|XXXX|\d{3}X|\d\dXX|\d{2,3})"
    r"(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?(?:T(?:\d{2}(?::\d{2})?|MO|AF|EV|NI|DT))?"
    r"|-W(?:\d{2}|XX)(?:-(?:WE|\d))?|-Q[1-4X]|-H[12]|-(?:SP|SU|FA|WI)"
    r"|T(?:\d{2}(?::\d{2})?|MO|AF|EV|NI))?"
    r"|XXXX-WXX-\d|XXXX-XX-XXT\d{2}:\d{2})$"
)

# Compiled once: these run for every candidate expression (the tagger's hot path).
_YMD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
_YW = re.compile(r"^(\d{4})-W(\d{2})")
_Y_M_D = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_IS_D = re.compile(r"^\d{4}-\d{2}-\d{2}")
_IS_W = re.compile(r"^\d{4}-W\d{2}")
_IS_M = re.compile(r"^\d{4}-\d{2}$")
_IS_Q = re.compile(r"^\d{4}-Q\d$")
_IS_Y = re.compile(r"^\d{4}$")


@lru_cache(maxsize=4096)
def is_valid_value(value: str) -> bool:
    """True when ``value`` is a TimeML value we may emit, and any full date in it exists.

    Cached: the same few values ("PRESENT_REF", the DCT's day) come back in every document,
    and each check is three pattern matches. Year 0000 is refused: the calendar here
    (Python's ``datetime``) runs from year 1 to 9999, so "last year" said in year 1 names no
    year we can anchor, compare or store as a date.
    """
    if not VALID_VALUE.match(value) or value.startswith("0000"):
        return False
    m = _YMD.match(value)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return False
        if m.group(3) is not None:
            day = int(m.group(3))
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                return False
    w = _YW.match(value)
    if w:
        year, week = int(w.group(1)), int(w.group(2))
        if not 1 <= week <= date(year, 12, 28).isocalendar()[1]:
            return False
    return True


def day_value(d: date) -> str:
    return d.isoformat()


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def shift(d: date, unit: str, n: int) -> date | None:
    """``d`` moved by ``n`` units (day, week, month, quarter, year, decade, century)."""
    try:
        if unit in ("D", "day"):
            return d + timedelta(days=n)
        if unit in ("W", "week", "WE"):
            return d + timedelta(weeks=n)
        months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
        if months is None:
            return None
        y, m = add_months(d.year, d.month, n * months)
        return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
    except (OverflowError, ValueError):
        return None


def at_granularity(d: date, unit: str) -> str:
    """The value of ``d`` at the granularity a unit implies ("two weeks ago" -> a week)."""
    if unit in ("D",):
        return day_value(d)
    if unit in ("W", "WE"):
        return week_value(d) + ("-WE" if unit == "WE" else "")
    if unit == "M":
        return month_value(d.year, d.month)
    if unit == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "DE":
        return f"{d.year // 10:03d}"
    if unit == "CE":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The n-th ``weekday`` (0 = Monday) of a month; n = -1 is the last one."""
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if not days:
        return None
    try:
        return days[n - 1] if n > 0 else days[n]
    except IndexError:
        return None


def easter_offset(year: int, offset: int) -> date | None:
    try:
        return easter(year) + timedelta(days=offset)
    except (ValueError, OverflowError):
        return None


def value_to_date(value: str) -> date | None:
    """The first day a value covers, when it names a concrete period (for anchoring)."""
    m = _Y_M_D.match(value)
    if m:
        y = int(m.group(1))
        mo = int(m.group(2) or 1)
        d = int(m.group(3) or 1)
        return safe_date(y, mo, d)
    return None


def granularity_of(value: str) -> str | None:
    """The unit letter of a concrete value: D, W, M, Q, Y (None for refs and durations)."""
    if _IS_D.match(value):
        return "D"
    if _IS_W.match(value):
        return "W"
    if _IS_M.match(value):
        return "M"
    if _IS_Q.match(value):
        return "Q"
    if _IS_Y.match(value):
        return "Y"
    return None
