"""The temporal tagger under random input: it never raises, and what it returns is well formed.

Why a fuzz: the tagger meets every string a newsroom has (wire copy, scraped pages, tables of
numbers), and its handlers turn matches into calendar arithmetic, where odd inputs ("the 31st
of February", "Q5 2010", a document dated 9999-12-31) reach the edges of ``datetime``. A
handler that raises on such input is a bug, not a rejection; these properties find them, and
each bug found has its own regression test below.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.records import TimeExpression
from storyline.time import tag
from storyline.time.calendar import is_valid_value

TYPES = {"DATE", "TIME", "DURATION", "SET"}
MODS = {None, "START", "MID", "END", "APPROX", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS"}
MODS |= {"EQUAL_OR_MORE", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"}

WORDS = [
    # months, weekdays, seasons, holidays (capitalised as the rules want them)
    "January", "Feb.", "February", "March", "May", "June", "Sept.", "December", "Dec", "JULY",
    "Monday", "Tuesday", "Friday", "Sunday", "Fridays", "spring", "fall", "winter", "summer",
    "Christmas", "Easter", "Thanksgiving", "Election Day", "New Year's Day", "Memorial Day",
    # relative words and modifiers
    "last", "next", "this", "the", "of", "in", "on", "since", "until", "by", "ago", "earlier",
    "later", "from now", "hence", "back", "before", "after", "previous", "following", "same",
    "that", "prior", "latest", "coming", "current", "past", "early", "late", "mid", "mid-",
    "middle", "the end of", "the beginning of", "the first half of", "the second half of",
    "today", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening", "night",
    "now", "currently", "recently", "the future", "the past", "these days", "at the moment",
    # units and numbers
    "day", "days", "week", "weeks", "weekend", "fortnight", "month", "months", "quarter",
    "quarters", "year", "years", "yr", "decade", "decades", "century", "centuries", "hour",
    "hours", "minute", "minutes", "second", "seconds", "millennium", "half", "period",
    "season", "fiscal", "calendar", "FY", "Q1", "Q4", "Q5", "H1", "H3", "a", "an", "one",
    "two", "twelve", "twenty", "thirty-one", "several", "few", "a few", "dozens", "half",
    "and a half", "one and a half", "first", "second", "third", "fourth", "final", "31st",
    "2nd", "21st", "99th", "every", "each", "per", "other", "once", "twice", "times", "daily",
    "weekly", "annually", "long", "-long", "old", "about", "around", "nearly", "more than",
    "nineteen", "ninety-six", "oh", "two thousand", "twenties", "nineties",
    # clocks
    "noon", "midnight", "a.m.", "p.m.", "pm", "o'clock", "EST", "GMT", "12:00", "23:59",
    "24:00", "7:61",
]  # fmt: skip
NUMBERS = [
    "0", "00", "1", "9", "12", "13", "29", "30", "31", "32", "99", "100", "999", "1000",
    "1999", "1999's", "2000", "2010", "2100", "2101", "9999", "10000", "99999", "1,000",
    "5,000", "1.5", "0.5", "3 1/2", "'99", "'05", "1980s", "1990's", "'60s", "2010-02-30",
    "2010-13-01", "1999-12-31T23:59", "02/29/2001", "2/29/2000", "12/31/99", "13/1/10",
    "10 000 000 000 000 000 000", "123456789012345678901234567890", "٣", "١٩٩٩", "１９９９",
    "²", "Ⅻ", "𝟚𝟘𝟙𝟘",
]  # fmt: skip
PHRASES = [
    # whole expressions whose handlers do calendar arithmetic, to meet the DCT edges
    "on Tuesday", "in 1999's", "the 31st of February", "Q5 2010", "Q4 2010", "H2 2011",
    "year 99999", "the third quarter", "the fourth quarter", "the previous quarter",
    "the year-ago quarter", "the same period", "a year earlier", "a year ago", "year-earlier",
    "last year", "next year", "this year", "last month", "next week", "the following month",
    "the weekend", "last winter", "next summer", "the spring", "late last July",
    "two weeks ago", "three decades ago", "five centuries ago", "9999 years ago",
    "10 years from now", "the day before yesterday", "the day after tomorrow",
    "last Oct. 23", "next Dec. 31", "Feb. 29", "February 29", "Christmas", "next Easter",
    "Election Day", "at 10 p.m. tomorrow", "at noon Friday", "fiscal 2010", "FY99",
    "the first half of 2010", "mid-1990s", "the 1980s", "the 21st century", "the 99th century",
    "every other Tuesday", "twice a week", "the year two thousand and one",
    "nineteen ninety-six", "March 27-31", "between May 3 and 5", "April 30 to 31",
    "the end of the year", "the year ended March 31", "the 1988 quarter",
]  # fmt: skip
PUNCT = [" ", " ", " ", ",", ".", "-", "–", "/", "'", "’s", ":", ";", "(", ")", "\n", "\t", "$"]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NUMBERS),
    st.sampled_from(PHRASES),
    st.sampled_from(PUNCT),
)
temporal_text = st.lists(token, max_size=25).map(" ".join)
mixed_text = st.lists(st.one_of(token, st.text(max_size=6)), max_size=20).map(
    lambda parts: "".join(parts)
)
any_text = st.one_of(temporal_text, mixed_text, st.text(max_size=200))
EDGE_DCTS = [
    date(1, 1, 1), date(1, 3, 31), date(1, 6, 15), date(1, 12, 31), date(2, 1, 1),
    date(9998, 12, 31), date(9999, 1, 1), date(9999, 6, 15), date(9999, 12, 31),
    date(2000, 2, 29), date(2010, 4, 20),
]  # fmt: skip
dcts = st.one_of(st.none(), st.dates(), st.sampled_from(EDGE_DCTS))

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def check(text: str, dct: date | None) -> list[TimeExpression]:
    """Tag and assert the tagger's contract; return what was found."""
    try:
        found = tag(text, dct)
    except StorylineError:
        return []
    previous_start = -1
    for tx in found:
        assert 0 <= tx.start < tx.end <= len(text), (tx, text)
        assert text[tx.start : tx.end] == tx.text, (tx, text)
        assert tx.start >= previous_start, "expressions come in text order"
        previous_start = tx.start
        assert tx.type in TYPES, tx
        assert tx.mod in MODS, tx
        assert tx.value and is_valid_value(tx.value), tx
        year = re.match(r"^(\d{4})", tx.value)
        if year and tx.type in ("DATE", "TIME"):
            assert 1 <= int(year.group(1)) <= 9999, tx
    return found


@FUZZ
@given(text=any_text, dct=dcts)
@example("the 31st of February 2010", date(2010, 3, 1))
@example("in 1999's first quarter", None)
@example("Q5 2010 and H3 2011", date(2010, 1, 1))
@example("year 99999", date(2010, 1, 1))
@example("a decade ago, nine centuries ago", date(1, 1, 1))
@example("next year, next month, tomorrow", date(9999, 12, 31))
@example("İİİİİİİİ Monday", date(2020, 1, 1))  # "İ" lower-cases to two characters
def test_tagger_never_raises_and_returns_valid_timexes(text: str, dct: date | None) -> None:
    check(text, dct)


@FUZZ
@given(
    text=st.lists(st.sampled_from(WORDS + NUMBERS + PHRASES), min_size=1, max_size=8).map(" ".join),
    prefix=st.sampled_from(["", "He said ", "It was ", "The talks end ", "Sales fell "]),
    dct=dcts,
)
def test_tagger_on_dense_temporal_phrases(text: str, prefix: str, dct: date | None) -> None:
    check(prefix + text + ".", dct)


# --- regressions: each a bug the fuzz found in a handler ----------------------------------------
@pytest.mark.parametrize(
    ("text", "dct", "usual_dct", "usual_value"),
    [
        ("Sales fell in the third quarter.", date(1, 6, 15), date(2010, 6, 15), "2009-Q3"),
        ("It was the previous Sept.", date(1, 3, 31), date(2010, 3, 31), "2009-09"),
        ("Snow fell last winter.", date(1, 3, 31), date(2010, 3, 31), "2009-WI"),
        ("It happened late last July.", date(1, 3, 31), date(2010, 3, 31), "2009-07"),
        ("Up from the year-ago quarter.", date(2, 1, 1), date(2010, 1, 1), "2008-Q4"),
    ],
)
def test_no_year_zero_at_the_start_of_the_calendar(
    text: str, dct: date, usual_dct: date, usual_value: str
) -> None:
    """Found by the fuzz: a DCT in year 1 made "last winter" 0000-WI, a year ``datetime``
    (and so every later step) cannot hold. Such expressions are now left untagged."""
    assert usual_value in [tx.value for tx in check(text, usual_dct)]
    assert not [tx for tx in check(text, dct) if tx.value.startswith("0000")]


def test_a_handler_bug_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A handler that raises anything but "no such date" (ValueError, OverflowError) has a
    bug: it propagates instead of silently dropping the expression."""
    from storyline.time import handlers

    def broken(m: object, ctx: object) -> None:
        raise TypeError("handler bug")

    def no_such_date(m: object, ctx: object) -> None:
        raise ValueError("day is out of range for month")

    assert [tx.value for tx in tag("It rained in 1999.")] == ["1999"]
    monkeypatch.setitem(handlers.HANDLERS, "year", no_such_date)
    assert tag("It rained in 1999.") == []
    monkeypatch.setitem(handlers.HANDLERS, "year", broken)
    with pytest.raises(TypeError, match="handler bug"):
        tag("It rained in 1999.")


def test_characters_that_lower_case_to_two_keep_every_offset() -> None:
    """ "İ" lower-cases to "i̇" (two characters): the trigger scan reads a lower-cased copy, and
    every expression after such a character must still sit where it is in the text."""
    text = "İstanbul talks, İİİ, ended on Monday, January 6, 2020."
    [found] = tag(text, date(2020, 1, 8))
    assert text[found.start : found.end] == found.text == "Monday, January 6, 2020"
    assert found.value == "2020-01-06"
