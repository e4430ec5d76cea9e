"""The temporal tagger: seeds, core patterns, and properties that hold on any input."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from storyline.time import tag
from storyline.time.calendar import is_valid_value


def values(text: str, dct: date | None = None) -> dict[str, tuple[str, str]]:
    return {t.text: (t.type, t.value) for t in tag(text, dct)}


def seed(prefix: str) -> str:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent: the seed articles live outside the repository")
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_004_with_its_date() -> None:
    found = values(seed("004"), date(2017, 4, 19))
    assert found["Wednesday"] == ("DATE", "2017-04-19")
    assert found["January"] == ("DATE", "2017-01")
    assert found["November 2015"] == ("DATE", "2015-11")
    assert found["calendar year 2017"] == ("DATE", "2017")
    assert found["a day"] == ("DURATION", "P1D")


def test_seed_000_without_a_date() -> None:
    found = values(seed("000"))
    assert found["1960"] == ("DATE", "1960")
    assert found["Tuesday"] == ("DATE", "XXXX-XX-XX")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He left on Friday.", ("Friday", "DATE", "2017-04-14")),
        ("He will leave on Friday.", ("Friday", "DATE", "2017-04-21")),
        ("It happened last week.", ("last week", "DATE", "2017-W15")),
        ("Sales rose last year.", ("last year", "DATE", "2016")),
        ("It was built two years ago.", ("two years ago", "DATE", "2015")),
        ("The talks lasted three days.", ("three days", "DURATION", "P3D")),
        ("Profits fell in the third quarter.", ("the third quarter", "DATE", "2016-Q3")),
        ("Prices rise every year.", ("every year", "SET", "P1Y")),
        ("The deal was signed on March 3, 2015.", ("March 3, 2015", "DATE", "2015-03-03")),
        ("They met yesterday.", ("yesterday", "DATE", "2017-04-18")),
        ("Things are different now.", ("now", "DATE", "PRESENT_REF")),
        ("It began in the 1960s.", ("the 1960s", "DATE", "196")),
        ("They met at 3 p.m. today.", ("3 p.m. today", "TIME", "2017-04-19T15:00")),
        ("It will end late next year.", ("late next year", "DATE", "2018")),
        ("They arrive on Christmas Eve.", ("Christmas Eve", "DATE", "2017-12-24")),
        ("Talks resumed Friday's session.", ("Friday", "DATE", "2017-04-14")),
        ("A decade ago it was small.", ("A decade ago", "DATE", "2007")),
        ("It was a day-long strike.", ("day-long", "DURATION", "P1D")),
        ("He was born in nineteen sixty-one.", ("nineteen sixty-one", "DATE", "1961")),
        ("Sales rose in the second half of 2016.", ("the second half of 2016", "DATE", "2016-H2")),
        ("Results for Q3 2016 were weak.", ("Q3 2016", "DATE", "2016-Q3")),
        ("It took two-and-a-half years.", ("two-and-a-half years", "DURATION", "P2Y6M")),
        ("He was shot last Oct. 23 at home.", ("Oct. 23", "DATE", "2016-10-23")),
        ("They flew 5 1/2 hours.", ("5 1/2 hours", "DURATION", "PT5H30M")),
        ("A bomb exploded next to the embassy on Friday.", ("Friday", "DATE", "2017-04-14")),
    ],
)
def test_core_patterns(text: str, expected: tuple[str, str, str]) -> None:
    found = values(text, date(2017, 4, 19))
    assert expected[0] in found, found
    assert found[expected[0]] == expected[1:]


def test_modifier_is_kept() -> None:
    (tx,) = tag("It will end late next year.", date(2017, 4, 19))
    assert tx.mod == "END"


def test_spans_index_the_text() -> None:
    text = "Wir trafen uns — on Tuesday — and again on 4 July 2016, then in May."
    for tx in tag(text, date(2017, 4, 19)):
        assert text[tx.start : tx.end] == tx.text


def test_bare_may_is_not_a_month() -> None:
    assert "May" not in values("May we go? She may come.", date(2017, 4, 19))
    assert values("It opened in May.", date(2017, 4, 19))["May"] == ("DATE", "2017-05")


def test_prepositions_and_seasons_give_direction() -> None:
    dct = date(2010, 8, 14)
    assert values("Drilling was halted until Nov. 30.", dct)["Nov. 30"] == ("DATE", "2010-11-30")
    assert values("In the fall they met.", dct)["the fall"] == ("DATE", "2009-FA")
    assert "the fall" not in values("Behind the fall in share prices.", dct)
    assert values("REUTERS/China Daily said", dct) == {}


def test_date_ranges_tag_the_second_day() -> None:
    found = values(
        "The poll ran between March 27 and 31, and 31 people answered.", date(2017, 4, 19)
    )
    assert found["March 27"] == ("DATE", "2017-03-27")
    assert found["31"] == ("DATE", "2017-03-31")
    assert len(tag("between March 27 and 31, and 31 people", date(2017, 4, 19))) == 2


def test_fractions_ordinals_and_rates_are_not_durations() -> None:
    found = values("He won a quarter of the vote in a second round.", date(2017, 4, 19))
    assert found == {}
    assert values("The well leaked 5,000 barrels a day.", date(2017, 4, 19)) == {}
    assert values("He stayed a day.", date(2017, 4, 19))["a day"] == ("DURATION", "P1D")


def test_no_invalid_dates() -> None:
    found = tag("on February 30, 2017 and 2/31/2016", date(2017, 4, 19))
    assert all(is_valid_value(t.value) for t in found)
    assert not any(t.value.endswith(("-02-30", "-02-31")) for t in found)


def test_rejects_odd_inputs() -> None:
    assert tag("") == []
    assert tag(None) == []  # type: ignore[arg-type]
    assert tag("x" * 10_000) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.dates()))
def test_never_raises_and_values_are_valid(text: str, dct: date | None) -> None:
    for tx in tag(text, dct):
        assert 0 <= tx.start < tx.end <= len(text)
        assert text[tx.start : tx.end] == tx.text
        assert is_valid_value(tx.value), tx


WORDS = st.sampled_from(
    [
        "on",
        "in",
        "last",
        "next",
        "this",
        "the",
        "a",
        "two",
        "3",
        "1999",
        "2017",
        "May",
        "March",
        "Friday",
        "week",
        "weeks",
        "year",
        "ago",
        "earlier",
        "later",
        "early",
        "late",
        "mid-",
        "quarter",
        "third",
        "every",
        "day",
        "daily",
        "now",
        "today",
        "yesterday",
        ",",
        ".",
        "p.m.",
        "10",
        "31",
        "February",
        "29",
        "fiscal",
        "1990s",
        "century",
        "20th",
        "summer",
        "Christmas",
        "hours",
        "of",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=12), st.one_of(st.none(), st.dates()))
def test_temporal_word_salad(words: list[str], dct: date | None) -> None:
    text = " ".join(words)
    for tx in tag(text, dct):
        assert text[tx.start : tx.end] == tx.text
        assert is_valid_value(tx.value), tx


def test_tense_cues() -> None:
    from storyline.time.direction import tense

    text = "He will fly to Paris on Friday. She flew home on Monday."
    assert tense(text, text.index("Friday"), text.index("Friday") + 6) == "future"
    assert tense(text, text.index("Monday"), text.index("Monday") + 6) == "past"


def test_long_run_on_text_stays_fast() -> None:
    import time

    text = "March May June " * 5000
    began = time.perf_counter()
    tag(text, date(2017, 4, 19))
    assert time.perf_counter() - began < 10


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The ministers will be joined on Thursday by their foreign ministers.", "2017-04-20"),
        ("They are to be received on Thursday in Tokyo.", "2017-04-20"),
        ("The ministers were joined on Thursday by their foreign ministers.", "2017-04-13"),
    ],
)
def test_future_passive_is_not_past(sentence: str, value: str) -> None:
    (found,) = tag(sentence, date(2017, 4, 19))  # a Wednesday
    assert (found.text, found.value) == ("Thursday", value)


def test_tag_sentences_anchors_each_expression_to_its_sentence() -> None:
    from storyline.text.sentences import split_sentences
    from storyline.time import tag_sentences

    text = "Talks began on Monday.\nThey ended in January 2018 after a pause."
    sentences = split_sentences("a1", text)
    found = tag_sentences(text, date(2017, 4, 19), sentences, "a1")
    assert [(t.text, t.sentence_index, t.article_id) for t in found] == [
        ("Monday", 0, "a1"),
        ("January 2018", 1, "a1"),
    ]
