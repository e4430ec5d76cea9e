"""Handlers for relative and non-calendar expressions: "last week", "the third quarter",
"two years ago", durations, sets, clock times, holidays and the PRESENT/PAST/FUTURE references.

Split from :mod:`storyline.time.handlers` (calendar dates) to keep each module small; both
register into the same :data:`~storyline.time.handlers.HANDLERS` table.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from storyline.time import calendar as cal
from storyline.time import lexicon as lx
from storyline.time.handlers import (
    FOUR_DIGITS,
    NON_DIGITS,
    SPACES,
    Result,
    _duration,
    _g,
    _mod,
    _unit,
    half_year,
    number,
    register,
)
from storyline.time.resolve import (
    Context,
    quarter_year,
    relative_unit,
    resolve_month_day,
    year_of,
)

_REL_OFFSET = {
    "last": -1, "past": -1, "previous": -1, "prior": -1, "next": 1, "coming": 1,
    "following": 1, "this": 0, "current": 0, "same": 0, "that": 0, "latest": 0,
}  # fmt: skip
_ANCHORED = frozenset({"previous", "prior", "following", "same", "that"})
_RATE = re.compile(
    r"(?:\d|\b(?!(?:is|was|has|as|this|its|his|hers|ours|yours|theirs|us|less|unless|"
    r"perhaps|afterwards|always|sometimes|nevertheless|besides|towards|across|various)\b)"
    r"[a-z]{2,}s)\s+$"
)
_SPAN_PREPOSITION = re.compile(r"\b(?:for|throughout|during)\s+$")
_ENDED = re.compile(r"\s+(?:ended|ending|to)\b")
_SEASON_PREPOSITION = re.compile(r"\b(?:in|during|by|until|since|through)\s+$")
_MULTIPLIER = re.compile(r"(?:once|twice|times|per)\s+$")
_DIGITS_AND_COMMAS = re.compile(r"[\d,.]+")
_NAME_BEFORE = re.compile(r"[A-Z][\w.]*\s+$")
_APPROX_MOD = {
    **lx.APPROXIMATORS,
    "over": "MORE_THAN",
    "about": "APPROX",
    "around": "APPROX",
    "roughly": "APPROX",
}


def unit_rel(m: re.Match[str], ctx: Context) -> Result | None:
    season = _g(m, "season")
    rel = (_g(m, "rel") or "").lower()
    if season:
        return _season_rel(season, rel, m, ctx)
    word = (_g(m, "unit", "unit2") or "").lower()
    letter, is_time = _unit(word)
    if is_time:
        return None
    if _g(m, "unit2"):  # "the week", "the year": only as a date when licensed
        after = (_g(m, "after") or "").lower()
        if after and ctx.dct is not None:
            value = relative_unit(letter, -1 if after in ("before", "earlier") else 1, ctx, True)
            return ("DATE", value, None) if value else None
        if _mod(m) and letter in ("M", "Y") and ctx.dct is not None:  # "the end of the year"
            value, mod = half_year(m, relative_unit(letter, 0, ctx) or "", _mod(m))
            return ("DATE", value, mod)
        if letter in ("W", "WE") and ctx.dct is not None:
            return ("DATE", _this_week(letter, m, ctx), _mod(m))
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if letter in ("Y", "M") and _SPAN_PREPOSITION.search(before):
            # "net income for the year ended March 31" is a span of a year (TimeBank's
            # reading); "sales for the year" the current year.
            if _ENDED.match(ctx.text[m.end() : m.end() + 10]):
                return ("DURATION", f"P1{letter}", None)
            return ("DATE", relative_unit(letter, 0, ctx) or "", None)
        return None
    offset = _REL_OFFSET.get(rel, 0)
    if letter == "WE" and offset == 0 and ctx.dct is not None:
        return ("DATE", _this_week(letter, m, ctx), _mod(m))
    if rel == "past" and letter in ("D",):
        return None
    # "the next day" is "the following day", told from the last day the text named ("was
    # arrested on Jan. 5 and charged the next day"), as "a day earlier" is; "next week",
    # "next month" stay the DCT's.
    anchored = rel in _ANCHORED or (
        rel == "next" and letter == "D" and not _next_day_from_now(m, ctx)
    )
    value = relative_unit(letter, offset, ctx, from_anchor=anchored)
    if value is None:
        return None
    if letter == "Q" and rel in ("latest", "past", "last") and ctx.dct is not None:
        value = relative_unit("Q", -1, ctx)  # the latest quarter completed before the DCT
    elif (
        letter == "Q"
        and rel in ("this", "that")
        and ctx.last_quarter
        and ctx.direction(m.start(), m.end()) != "future"
    ):
        # "This quarter's loss includes charges": in a report on a quarter, the quarter
        # reported, as "the quarter" is; "expects a loss this quarter" is the DCT's.
        value = ctx.last_quarter
    return ("DATE", value or "", _mod(m))


_SPAN_BEFORE = re.compile(r"\b(?:in|within|over|during|for)\s+$", re.IGNORECASE)
_OR_AFTER = re.compile(r"\s+or\b", re.IGNORECASE)


def _next_day_from_now(m: re.Match[str], ctx: Context) -> bool:
    """ "in the next day or two", "within the next day": a span from the DCT, not the day
    after a day told of (T17: 'decisions would be made in the next day or two')."""
    before = ctx.text[max(0, m.start() - 10) : m.start()]
    return bool(_SPAN_BEFORE.search(before) or _OR_AFTER.match(ctx.text, m.end()))


def _this_week(letter: str, m: re.Match[str], ctx: Context) -> str:
    """ "The weekend" said on a weekday, in the past tense, is the one before the DCT."""
    offset = 0
    if (
        letter == "WE"
        and ctx.dct is not None
        and ctx.dct.weekday() < 5
        and ctx.direction(m.start(), m.end()) != "future"
    ):
        offset = -1
    return relative_unit(letter, offset, ctx) or ""


def _season_rel(season: str, rel: str, m: re.Match[str], ctx: Context) -> Result | None:
    code = lx.SEASONS[season.lower()]
    if ctx.dct is None:
        return ("DATE", f"XXXX-{code}", _mod(m))
    year = ctx.dct.year + _REL_OFFSET.get(rel, 0)
    return ("DATE", f"{year:04d}-{code}", _mod(m))


def season(m: re.Match[str], ctx: Context) -> Result | None:
    word = m.group("season")
    before = ctx.text[max(0, m.start() - 16) : m.start()].lower()
    if word.lower() == "fall" and not (_g(m, "year", "mod") or _SEASON_PREPOSITION.search(before)):
        return None  # "the fall in share prices" is a decline
    if not (_g(m, "the", "year", "mod")):
        return None  # "spring", "summer" alone are too often nouns or verbs
    code = lx.SEASONS[word.lower()]
    year = _g(m, "year")
    if year:
        return ("DATE", f"{year}-{code}", _mod(m))
    if ctx.dct is None:
        return ("DATE", f"XXXX-{code}", _mod(m))
    direction = ctx.direction(m.start(), m.end())
    order = ["SP", "SU", "FA", "WI"]
    now = [3, 3, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3][ctx.dct.month - 1]  # meteorological seasons
    y = ctx.dct.year
    if direction == "past" and order.index(code) > now:
        y -= 1
    elif direction == "future" and order.index(code) < now:
        y += 1
    return ("DATE", f"{y:04d}-{code}", _mod(m))


def quarter(m: re.Match[str], ctx: Context) -> Result | None:
    if _g(m, "q2", "q3"):
        return _bare_quarter(m, ctx)
    if _g(m, "qn", "qn2"):
        return _coded_quarter(m, ctx)
    ord_word = (_g(m, "ord") or "").lower()
    n = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
         "4th": 4, "final": 4, "last": 4}[ord_word]  # fmt: skip
    kind = (_g(m, "qh") or "").lower()
    if kind == "period":
        return None
    if kind == "half" and n > 2:
        return None
    yr = _g(m, "year", "yr") or ""
    if FOUR_DIGITS.fullmatch(yr):
        year = yr
    elif yr.lower().startswith("last"):
        year = year_of(ctx.dct, -1)
    elif yr.lower().startswith("next"):
        year = year_of(ctx.dct, 1)
    elif yr or kind == "half":
        year = year_of(ctx.dct)
    else:
        year = quarter_year(n, ctx, m.start(), m.end())
    value = f"{year}-H{n}" if kind == "half" else f"{year}-Q{n}"
    if kind == "quarter":
        _name_quarter(value, m, ctx)
    return ("DATE", value, None)


def _name_quarter(value: str, m: re.Match[str], ctx: Context) -> None:
    """Make ``value`` the quarter that "a year ago", "the year-earlier period" compare with,
    unless it is a forecast ("will report losses through the third quarter of 1990",
    "will result in a fourth-quarter charge"): an earnings report compares the quarter it
    reports, and a quarter named in a future-tense sentence is not that one."""
    if ctx.last_quarter is not None and ctx.direction(m.start(), m.end()) == "future":
        return
    ctx.last_quarter = value


def _coded_quarter(m: re.Match[str], ctx: Context) -> Result | None:
    """ "Q3 2010", "2010 H1"."""
    code, number_, year = _g(m, "qh3", "qh4"), _g(m, "qn", "qn2"), _g(m, "qyear", "qyear2")
    if code == "H" and number_ not in ("1", "2"):
        return None
    value = f"{year}-{code}{number_}"
    if code == "Q":
        _name_quarter(value, m, ctx)
    return ("DATE", value, None)


def _bare_quarter(m: re.Match[str], ctx: Context) -> Result | None:
    which = SPACES.sub(" ", (_g(m, "which") or "").lower())
    if ctx.dct is None:
        return None
    latest = ctx.last_quarter or relative_unit("Q", -1, ctx)
    if latest is None:
        return None
    # "the year-ago quarter", "the corresponding period last year", "the quarter a year
    # ago", "last year's quarter": the quarter under discussion, a year before
    if which in ("year-ago", "year-earlier", "year ago", "comparable") or _g(m, "back", "lyq"):
        return ("DATE", f"{int(latest[:4]) - 1:04d}{latest[4:]}", None)
    if (_g(m, "q2") or "").lower() == "period" and which not in ("latest", "same", "current"):
        return None
    if which in ("previous", "prior"):
        y, q = int(latest[:4]), int(latest[-1])
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        return ("DATE", f"{y:04d}-Q{q}", None)
    return ("DATE", latest, None)


def ago(m: re.Match[str], ctx: Context) -> Result | None:
    adj = _g(m, "adj")
    if adj:  # "year-earlier", "year-ago" results
        if ctx.dct is None:
            return None
        if adj.lower() == "year" and ctx.last_quarter:
            return ("DATE", f"{int(ctx.last_quarter[:4]) - 1:04d}{ctx.last_quarter[4:]}", None)
        letter, _ = _unit(adj)
        value = relative_unit(letter, -1, ctx)
        return ("DATE", value, None) if value else None
    letter, is_time = _unit(m.group("unit"))
    n = number(m.group("num"))
    direction = m.group("dir").lower()
    sign = 1 if direction in ("later", "after", "from now", "hence") else -1
    approx = _APPROX_MOD.get(SPACES.sub(" ", (_g(m, "approx") or "").lower()))
    if is_time:  # "an hour ago": a time before the DCT, whose clock time we do not know
        return ("TIME", "PAST_REF", approx) if direction == "ago" else None
    if n is None or n != int(n) or letter in ("X", "WE", "2W"):
        return ("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None)
    from_anchor = direction in ("earlier", "later", "before", "after")
    if direction in ("before", "after") and ctx.anchor is None:
        return ("DURATION", _duration(n, letter, False), approx)
    if letter == "Y" and int(n) == 1 and ctx.last_quarter and ctx.last_quarter[:4].isdigit():
        lq = ctx.last_quarter
        return ("DATE", f"{int(lq[:4]) - 1:04d}{lq[4:]}", None)
    if letter in ("DE", "CE"):  # "a decade ago" names a year, not a decade
        letter, n = "Y", n * (10 if letter == "DE" else 100)
    value = relative_unit(letter, sign * int(n), ctx, from_anchor=from_anchor)
    return ("DATE", value, approx) if value else None


def duration(m: re.Match[str], ctx: Context) -> Result | None:
    letter, is_time = _unit(m.group("unit"))
    if letter == "X":
        return None
    num = m.group("num")
    n = number(num)
    text = m.group(0).lower()
    if n is not None and (n > 5000 or (1000 <= n <= 2100 and "," not in num)):
        return None  # "the 1988 quarter" is a year, not 1988 quarters
    if num.lower() in ("a", "an") and not (_g(m, "the", "pre", "approx", "tail")):
        before = ctx.text[max(0, m.start() - 24) : m.start()].lower()
        if _MULTIPLIER.search(before):
            return None
        if letter == "Q":
            return None  # "a quarter of the votes" is a fraction
        if _RATE.search(before):  # "5,000 barrels a day", "$10 an hour": a rate, which the
            return None  # gold corpora leave untagged (tagging them as SETs cost 0.1 F1)
    if _DIGITS_AND_COMMAS.fullmatch(num) and "," in num:
        return None
    if num.lower() in ("a", "an") and letter == "S" and not _g(m, "the", "pre", "approx"):
        return None  # "a second" is nearly always the ordinal ("a second round")
    if _g(m, "half", "half0") and n is not None:
        n += 0.5
    approx = _APPROX_MOD.get(SPACES.sub(" ", (_g(m, "approx") or "").lower()))
    if letter == "Q" and n == 1 and not _g(m, "the", "pre"):
        return ("DURATION", "P3M", approx)
    if (_g(m, "tail") or "").lower() == "old":
        return None  # ages are not temporal expressions in TimeML
    if num.lower() in ("a", "an") and _g(m, "tail"):
        return None  # "a [day-long] strike": the article is not part of it
    if "weekend" in text and n == 1:
        return ("DURATION", "P2D", approx)
    return ("DURATION", _duration(n, letter, is_time), approx)


def vague_duration(m: re.Match[str], ctx: Context) -> Result | None:
    letter, is_time = _unit(_g(m, "unit", "unit2", "unit3", "unit4") or "")
    if letter == "X":
        return None
    if _g(m, "long"):  # "day-long" is one day, "decades-long" some decades
        return ("DURATION", _duration(None if _g(m, "pl") else 1, letter, is_time), None)
    return ("DURATION", _duration(None, letter, is_time), None)


def set_(m: re.Match[str], ctx: Context) -> Result | None:
    adv = _g(m, "adv")
    if adv:
        before = ctx.text[max(0, m.start() - 20) : m.start()]
        if adv[0].isupper() and _NAME_BEFORE.search(before):
            return None  # "China Daily", "Mail Weekly": part of a name
        return ("SET", lx.SET_ADVERBS[adv.lower()], None)
    wds = _g(m, "wds")
    if wds:
        return ("SET", f"XXXX-WXX-{lx.WEEKDAYS[wds[:-1].lower()] + 1}", None)
    unit = _g(m, "unit", "unit2") or ""
    if unit.lower() in lx.WEEKDAYS:
        return ("SET", f"XXXX-WXX-{lx.WEEKDAYS[unit.lower()] + 1}", None)
    if unit.lower().rstrip(".") in lx.MONTHS and unit[:1].isupper():
        return ("SET", f"XXXX-{lx.MONTHS[unit.lower().rstrip('.')]:02d}", None)
    letter, is_time = _unit(unit)
    if letter == "X":
        return None
    n = number(_g(m, "num") or "1")
    if (_g(m, "q") or "").lower() == "per" and not _g(m, "num"):
        return ("SET", _duration(1, letter, is_time), None)
    return ("SET", _duration(n or 1, letter, is_time), None)


def clock(m: re.Match[str], ctx: Context) -> Result | None:
    if _g(m, "noon"):
        hh, mm = (0, 0) if m.group("noon").lower() == "midnight" else (12, 0)
    elif _g(m, "h24"):
        hh, mm = int(m.group("h24")), int(m.group("mi24"))
    else:
        hh, mm = int(m.group("h")), int(_g(m, "mi") or 0)
        ap = m.group("ap").lower()
        if ap.startswith("p") and hh < 12:
            hh += 12
        elif ap.startswith("a") and hh == 12:
            hh = 0
    # A bare clock time belongs to the last day the text named ("killed Oct. 23 ... at 10
    # p.m."), else to the DCT.
    day: date | None = ctx.dct
    if ctx.anchor and cal.granularity_of(ctx.anchor) == "D":
        day = cal.value_to_date(ctx.anchor) or ctx.dct
    wd, rel = _g(m, "wd"), (_g(m, "rel") or "").lower()
    if ctx.dct is not None and wd:
        from storyline.time.resolve import resolve_weekday

        value = resolve_weekday(lx.WEEKDAYS[wd.lower()], None, ctx, m.start(), m.end())
        day = date.fromisoformat(value)
    elif ctx.dct is not None and rel:
        day = ctx.dct + timedelta({"today": 0, "yesterday": -1, "tomorrow": 1}[rel])
    elif _g(m, "mon"):  # "until 5 p.m. EST Nov. 9": the clock time of that day
        month = lx.MONTHS[(_g(m, "mon") or "").lower().rstrip(".")]
        number_ = int(NON_DIGITS.sub("", _g(m, "day") or "0"))
        year = _g(m, "year")
        if year:
            day = cal.safe_date(int(year), month, number_)
            if day is None:
                return None
        else:
            named = resolve_month_day(month, number_, ctx, m.start(), m.end())
            if named is None:
                return None
            if named.startswith("X"):
                return ("TIME", f"{named}T{hh:02d}:{mm:02d}", None)
            day = date.fromisoformat(named)
    prefix = day.isoformat() if day else "XXXX-XX-XX"
    return ("TIME", f"{prefix}T{hh:02d}:{mm:02d}", None)


def holiday(m: re.Match[str], ctx: Context) -> Result | None:
    name = SPACES.sub(" ", m.group("holiday").lower())
    year_text = _g(m, "year")
    if year_text:
        y = int(year_text)
    elif ctx.dct is not None:
        y = ctx.dct.year
        direction = ctx.direction(m.start(), m.end())
        probe = _holiday_date(name, y)
        if probe is not None and direction == "past" and probe > ctx.dct:
            y -= 1
        elif probe is not None and direction == "future" and probe < ctx.dct:
            y += 1
    else:
        fixed = lx.FIXED_HOLIDAYS.get(name)
        return ("DATE", f"XXXX-{fixed[0]:02d}-{fixed[1]:02d}" if fixed else "XXXX-XX-XX", None)
    d = _holiday_date(name, y)
    return ("DATE", d.isoformat(), None) if d else None


def _holiday_date(name: str, y: int) -> date | None:
    if name == "election day":  # US: the Tuesday after the first Monday of November
        first_monday = cal.nth_weekday(y, 11, 0, 1)
        return first_monday + timedelta(days=1) if first_monday else None
    if name in lx.FIXED_HOLIDAYS:
        mo, d = lx.FIXED_HOLIDAYS[name]
        return cal.safe_date(y, mo, d)
    if name in lx.NTH_WEEKDAY_HOLIDAYS:
        mo, wd, n = lx.NTH_WEEKDAY_HOLIDAYS[name]
        return cal.nth_weekday(y, mo, wd, n)
    if name in lx.EASTER_HOLIDAYS:
        return cal.easter_offset(y, lx.EASTER_HOLIDAYS[name])
    return None


def reference(m: re.Match[str], ctx: Context) -> Result | None:
    word = SPACES.sub(" ", m.group("word").lower())
    value = lx.REFERENCE_WORDS.get(word)
    return ("DATE", value, None) if value else None


for _name, _fn in {
    "unit_rel": unit_rel,
    "season": season,
    "quarter": quarter,
    "ago": ago,
    "duration": duration,
    "vague_duration": vague_duration,
    "set": set_,
    "clock": clock,
    "holiday": holiday,
    "reference": reference,
}.items():
    register(_name, _fn)
