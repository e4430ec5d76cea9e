"""Resolution of underspecified expressions against the document date (DCT) and the text.

Why its own module: every handler that meets "Friday", "in March" or "last week" needs the
same three ingredients — the DCT, the direction of the sentence (past/future, from
:mod:`storyline.time.direction`) and the latest concrete date mentioned before (the anchor for
"a year earlier", "the following month"). :class:`Context` carries them through one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from storyline.settings import TimeConfig
from storyline.time import calendar as cal
from storyline.time.calendar import granularity_of
from storyline.time.direction import Direction, TenseIndex

_LOOKS_AHEAD = re.compile(r"\b(until|till|ahead\s+of|by|starting|from\s+now)\s+(?:on\s+)?$")
_LOOKS_BACK = re.compile(r"\b(?:since|ago)\s+(?:on\s+)?$")
_THAT_CLAUSE = re.compile(r"\s*,?\s+that\s", re.IGNORECASE)


@dataclass(slots=True)
class Context:
    """What a handler may look at besides its match."""

    text: str
    dct: date | None
    anchor: str | None = None
    last_quarter: str | None = None
    tenses: TenseIndex | None = None
    config: TimeConfig = field(default_factory=TimeConfig)

    def direction(self, start: int, end: int, weak_prepositions: bool = True) -> Direction:
        """Past/future of the sentence around the span (cue words found once per document).

        A preposition right before the expression outranks the verb: "halted drilling until
        Nov. 30" looks ahead, "has grown since March" looks back.
        """
        before = self.text[max(0, start - 14) : start].lower()
        ahead = _LOOKS_AHEAD.search(before)
        if ahead and (weak_prepositions or ahead.group(1) not in ("until", "till")):
            return "future"
        if _LOOKS_BACK.search(before):
            return "past"
        if self.tenses is None:
            self.tenses = TenseIndex(self.text)
        return self.tenses.direction(start, end, _THAT_CLAUSE.match(self.text, end) is not None)

    def anchor_date(self) -> date | None:
        """The latest concrete date mentioned, else the DCT."""
        if self.anchor:
            d = cal.value_to_date(self.anchor)
            if d is not None:
                return d
        return self.dct


def pick_year(
    month: int,
    day: int | None,
    dct: date,
    direction: Direction,
    override_days: int,
) -> int:
    """The year of "March 3"/"in March": the occurrence nearest the DCT, unless the tense
    clearly disagrees with a far one.

    Measured on TimeBank and AQUAINT, the nearest occurrence beats the cue-word tense for
    dates and months: news talks about the months around its date, and cue words are noisy.
    The tense only flips the year when the nearest occurrence lies more than ~3 months on
    the other side of the DCT (``override_days``, setting ``time.tense_override_days``).
    """
    y = dct.year
    if month - dct.month >= 6:  # a tie goes to the past: news reports more than it announces
        y -= 1
    elif dct.month - month > 6:
        y += 1
    probe = cal.safe_date(y, month, day or 15) or date(y, month, 1)
    gap = (probe - dct).days
    if direction == "past" and gap > override_days:
        return y - 1
    if direction == "future" and gap < -override_days:
        return y + 1
    return y


def resolve_month_day(month: int, day: int, ctx: Context, start: int, end: int) -> str | None:
    if cal.safe_date(2000, month, day) is None:
        return None
    if ctx.dct is None:
        return f"XXXX-{month:02d}-{day:02d}"
    year = pick_year(month, day, ctx.dct, ctx.direction(start, end), ctx.config.tense_override_days)
    if cal.safe_date(year, month, day) is None:  # 29 February in a common year
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def resolve_month(month: int, rel: str | None, ctx: Context, start: int, end: int) -> str:
    if ctx.dct is None:
        return f"XXXX-{month:02d}"
    dct = ctx.dct
    if rel in ("last", "past", "previous", "prior"):
        # "last February" said in March means a year ago: the month just gone is "last month"
        year = dct.year if month < dct.month - 1 else dct.year - 1
    elif rel in ("next", "coming", "following"):
        year = dct.year if month > dct.month else dct.year + 1
    elif rel in ("this", "current"):
        year = dct.year
    else:
        year = pick_year(
            month, None, dct, ctx.direction(start, end), ctx.config.tense_override_days
        )
    return cal.month_value(year, month)


def resolve_weekday(weekday: int, rel: str | None, ctx: Context, start: int, end: int) -> str:
    if ctx.dct is None:
        return "XXXX-XX-XX"
    dct = ctx.dct
    back = (dct.weekday() - weekday) % 7
    forward = (weekday - dct.weekday()) % 7
    if rel in ("last", "past", "previous"):
        delta = -(back or 7)
    elif rel in ("next", "coming", "following"):
        delta = forward or 7
    elif rel == "this":
        delta = forward if ctx.direction(start, end, weak_prepositions=False) == "future" else -back
    elif back == 0:
        delta = 0
    elif ctx.text[end : end + 2] in ("'s", "’s"):
        # "Thursday's closing price", "Wednesday's ruling": a possessive weekday names a day
        # whose event is already known, whatever the verb of the sentence says (gold: past in
        # TimeBank 8 of 8, AQUAINT 9 of 9, silver 26 of 36).
        delta = -back
    else:
        direction = ctx.direction(start, end, weak_prepositions=False)
        if direction == "future":
            delta = forward
        elif direction == "past":
            delta = -back
        else:
            delta = -back if back <= forward else forward
    return (dct + timedelta(days=delta)).isoformat()


def relative_unit(unit: str, offset: int, ctx: Context, from_anchor: bool = False) -> str | None:
    """ "last week" / "next month" / "this year" at the unit's granularity."""
    base = ctx.dct
    if from_anchor and ctx.anchor and _finer_or_equal(granularity_of(ctx.anchor), unit):
        base = ctx.anchor_date()
    if base is None:
        return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX"}.get(
            unit, "XXXX"
        )
    moved = cal.shift(base, unit, offset)
    if moved is None:
        return None
    return cal.at_granularity(moved, unit)


_ORDER = {"D": 0, "W": 1, "WE": 1, "M": 2, "Q": 3, "Y": 4, "DE": 5, "CE": 6}


def _finer_or_equal(granularity: str | None, unit: str) -> bool:
    """Whether an anchor of this granularity can anchor a shift by ``unit``."""
    return granularity is not None and _ORDER.get(granularity, 9) <= _ORDER.get(unit, 9)


def year_of(base: date | None, offset: int = 0) -> str:
    return f"{base.year + offset:04d}" if base else "XXXX"


def quarter_year(q: int, ctx: Context, start: int, end: int) -> str:
    """The year of "the third quarter" said without one: the latest such quarter so far."""
    if ctx.dct is None:
        return "XXXX"
    current = cal.quarter_of(ctx.dct)
    if q < current:
        return f"{ctx.dct.year:04d}"
    if q == current:
        return f"{ctx.dct.year:04d}"
    if ctx.direction(start, end) == "future":
        return f"{ctx.dct.year:04d}"
    return f"{ctx.dct.year - 1:04d}"
