"""Extents as classes (what a time expression's phrase holds) and the fast path's guarantees.

The speed work (one prefilter pass, rules only in windows around its hits, tense cues read in
blocks on demand) must never change what is found: the tests below compare the fast path with
a plain reading of the whole text, on made-up prose and on every TimeBank/AQUAINT document.
"""

from __future__ import annotations

import inspect
import re
from datetime import date
from pathlib import Path

import pytest

from storyline.evaluate.timeml import load_dir
from storyline.time import direction, tag
from storyline.time.direction import TenseIndex, cues, nearest
from storyline.time.rules import DIGIT_PREFILTER, RULES, trigger_hits
from storyline.time.starts import WORD_START, word_starts
from storyline.time.tagger import _candidates

DCT = date(1989, 10, 26)


def _found(text: str) -> list[tuple[str, str, str, str | None]]:
    return [(t.text, t.type, t.value, t.mod) for t in tag(text, DCT)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "over" before a duration is the preposition: outside, and no MORE_THAN
        ("Prices rose over three years.", ("three years", "DURATION", "P3Y", None)),
        ("It grew over several years.", ("several years", "DURATION", "PXY", None)),
        # ... but after a degree adverb it is the quantity's modifier and stays inside
        ("Just over an hour later, he died.", ("over an hour", "DURATION", "PT1H", "MORE_THAN")),
        ("He left over a year ago.", ("over a year ago", "DATE", "1988", "MORE_THAN")),
        # a calendar word between the relative word and the unit: one expression
        ("Profit fell last fiscal year.", ("last fiscal year", "DATE", "1988", None)),
        (
            "Sales in the current fiscal year rose.",
            ("the current fiscal year", "DATE", "1989", None),
        ),
        ("Growth is due next financial year.", ("next financial year", "DATE", "1990", None)),
        # frequencies after "twice"/"times" are found even far from any other trigger word
        ("He calls twice a week.", ("a week", "SET", "P1W", None)),
        ("The board meets three times a year.", ("a year", "SET", "P1Y", None)),
        # a month and day with a relative year: one expression, like "March last year"
        ("He died March 5 last year.", ("March 5 last year", "DATE", "1988-03-05", None)),
        ("It opens Jan. 2 next year.", ("Jan. 2 next year", "DATE", "1990-01-02", None)),
    ],
)
def test_extent_classes(text: str, expected: tuple[str, str, str, str | None]) -> None:
    assert expected in _found(text)


def test_verb_may_and_words_containing_units_are_not_expressions() -> None:
    found = _found("In May the minister from Syria said prices may rise; the holiday was dull.")
    assert found == [("May", "DATE", "1989-05", None)]


def test_trigger_hits_cover_each_class() -> None:
    text = "On Monday, 2017-03-04, at 10:30 a.m. in the 1990s, twenty years per 3/4 '90s."
    hits = trigger_hits(text, text.lower())
    assert hits["wd"] == [text.index("Monday")]
    assert text.index("2017") in hits["year"] and "iso" in hits  # a year inside an ISO date
    assert "clock" in hits and "decade" in hits and "slash" in hits and "set" in hits
    assert text.index("twenty") in hits["year"] and text.index("years") in hits["unit"]


@pytest.mark.parametrize("text", ["The Q4000 rig.", "Q4000 rig", "the q4 1999 and h1 2000s"])
def test_digit_hits_inside_a_trigger_word(text: str) -> None:
    """One scan finds words and digits; a digit inside a word hit ("Q4" of "Q4000") is still
    tried, as the separate digit scan tried every digit."""
    lower = text.lower()
    expected: dict[str, list[int]] = {}
    for at in range(len(lower)):
        m = DIGIT_PREFILTER.match(lower, at)
        name = m and (m.lastgroup or "decade")
        if name and not (name in ("year", "decade") and at and lower[at - 1].isdigit()):
            expected.setdefault(name, []).append(at)
    hits = trigger_hits(text, lower)
    assert {k: v for k, v in hits.items() if k in expected} == expected
    assert "quarter" in hits


def _full_scan(text: str) -> set[tuple[int, int, int]]:
    """Every rule over the whole text, no windows: what the prefilter may never lose."""
    return {
        (m.start(), m.end(), i) for i, rule in enumerate(RULES) for m in rule.pattern.finditer(text)
    }


def test_windows_lose_no_match_on_made_up_prose() -> None:
    text = (
        "Late last July, about five hours after the 3 p.m. meeting on Friday, March 3, 2017, the "
        "board said that over the past 20 years, twice a week and every Monday, the company had "
        "earned more in the fiscal year 2016 than in the 1990s; Christmas Eve and Labor Day aside."
    )
    windowed = {(m.start(), m.end(), i) for _, _, i, m in _candidates(text)}
    assert _full_scan(text) <= windowed


def test_windows_lose_no_match_on_tempeval(shared_data: Path) -> None:
    for name in ("TimeBank", "AQUAINT"):
        for doc in load_dir(shared_data / "tempeval3" / name):
            windowed = {(m.start(), m.end(), i) for _, _, i, m in _candidates(doc.text)}
            missing = _full_scan(doc.text) - windowed
            assert not missing, (doc.name, sorted(missing)[:3])


def test_word_starts_read_the_first_two_characters() -> None:
    pattern = re.compile(r"(?<![\w'’-])(?:(?:last|next)\s+week|\d+\s+days)", re.IGNORECASE)
    text = "LAST week, lost, next, nope, NEXT, 5 days, x5, ſx"
    found = [m.start() for m in word_starts(pattern).finditer(text)]
    assert [text[at : at + 4] for at in found] == ["LAST", "next", "NEXT", "5 da"]
    anything = re.compile(r"(?<![\w'’-])\w+\s+times", re.IGNORECASE)  # any word may begin
    assert word_starts(anything).pattern == WORD_START


def test_word_starts_refuse_no_start_of_a_match(shared_data: Path) -> None:
    """Every place a rule matches in a full scan is a start its ``starts`` pattern accepts."""
    texts = [
        doc.text
        for name in ("TimeBank", "AQUAINT")
        for doc in load_dir(shared_data / "tempeval3" / name)
    ]
    for text in texts:
        for rule in RULES:
            for m in rule.pattern.finditer(text):
                assert rule.starts.match(text, m.start()), (rule.name, text[m.start() : m.end()])


def test_tense_read_in_blocks_equals_reading_the_whole_text() -> None:
    sentence = (
        "He will fly to Paris on Friday and she flew home on Monday, as they were going to "
        "meet there before he said it had ended "
    )
    text = sentence * 60  # one run-on "sentence" of several blocks, no sentence ends
    index = TenseIndex(text)
    whole = cues(text, 0, len(text))
    for start in range(0, len(text) - 10, 37):
        left, right = max(0, start - 400), start + 6 + 400
        expected = nearest([c for c in whole if left <= c[0] < right], start, start + 6)
        assert index.direction(start, start + 6) == expected


def _sentence_by_every_end(text: str, start: int, end: int, window: int = 400) -> tuple[int, int]:
    """The plain reading of an expression's sentence: every sentence end of the text first."""
    ends = [m.end() for m in direction._BOUNDARY.finditer(text)]
    before = [e for e in ends if e <= start]
    after = [e for e in ends if e >= end]
    left = max(before[-1] if before else 0, start - window)
    return left, min(after[0] if after else end + window, end + window)


def test_sentence_ends_read_in_blocks_equal_every_end(shared_data: Path) -> None:
    made_up = (
        "He left. \n\n  She came!  Then ..." + " " * 90 + "It ended.\n" + "\n" * 70
        + "Yes? " * 30 + "no.\u2003\u2003 Done.\n"
    )  # fmt: skip
    texts = [made_up, made_up[5:], made_up * 3]
    for name in ("TimeBank", "AQUAINT"):
        texts += [doc.text for doc in load_dir(shared_data / "tempeval3" / name)][::10]
    for text in texts:
        index = TenseIndex(text)
        for start in range(0, len(text) + 1, 7):
            end = min(len(text), start + 9)
            assert index.sentence(start, end) == _sentence_by_every_end(text, start, end)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # DCT Monday 1989-10-30: the nearest Thursday is ahead, but "Thursday's price" is known
        ("The offer is a premium over Thursday's closing price.", "1989-10-26"),
        ("They will look for ways around Friday's ruling.", "1989-10-27"),
    ],
)
def test_possessive_weekday_is_past(text: str, value: str) -> None:
    found = tag(text, date(1989, 10, 30))
    assert [t.value for t in found if t.type == "DATE"] == [value]


def test_reusing_the_selection_reading_changes_nothing(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only STATEFUL handlers depend on earlier expressions: re-running all agrees on TempEval."""
    from storyline.time import tagger
    from storyline.time.handlers import HANDLERS

    docs = [
        doc
        for name in ("TimeBank", "AQUAINT")
        for doc in load_dir(shared_data / "tempeval3" / name)
    ]
    stateful = tagger.STATEFUL
    for name, handler in HANDLERS.items():  # a pure handler never looks at earlier expressions
        source = inspect.getsource(handler)
        assert name in stateful or ("anchor" not in source and "last_quarter" not in source), name
    fast = [tag(doc.text, doc.dct) for doc in docs]
    monkeypatch.setattr(tagger, "STATEFUL", frozenset(HANDLERS))
    assert [tag(doc.text, doc.dct) for doc in docs] == fast


def _cues_word_by_word(text: str, left: int, right: int) -> list[tuple[int, int, str]]:
    """The plain reading of the tense cues: every word judged in turn, with its neighbours."""
    d = direction
    words = [(m.start(), m.end(), m.group(0).lower()) for m in d._WORD.finditer(text, left, right)]
    found: list[tuple[int, int, str]] = []
    for i, (start, end, word) in enumerate(words):
        following = words[i + 1][2] if i + 1 < len(words) else ""
        if (word in d._FUTURE_BEFORE_TO and following == "to") or (
            word == "as" and following == "soon"
        ):
            found.append((start, words[i + 1][1], "future"))
        elif word == "next" and following == "to":
            continue
        elif word in d._REPORTING:
            found.append((start, end, "report"))
        elif word in d._FUTURE_WORDS or word.endswith(("'ll", "’ll")):
            found.append((start, end, "future"))
        elif word in d._PAST_WORDS or (
            len(word) >= 5 and word.endswith("ed") and word not in d._NOT_PAST
        ):
            chain = (words[i - 2][2], words[i - 1][2]) if i >= 2 else ("", "")
            passive = chain[1] == "be" and (
                chain[0] in d._FUTURE_WORDS or chain[0] == "to" or chain[0].endswith(("'ll", "’ll"))
            )
            found.append((start, end, "future" if passive else "past"))
    return found


def test_cue_candidates_read_as_judging_every_word(shared_data: Path) -> None:
    made_up = (
        "He'll be joined Friday; it will be opened as soon as planned, next to the hall. "
        "They're going to meet, we WON'T wait: she said he expected it, set to rise, had SET it. "
    )
    texts = [made_up * 3]
    for name in ("TimeBank", "AQUAINT"):
        texts += [doc.text for doc in load_dir(shared_data / "tempeval3" / name)]
    for text in texts:
        for at in range(0, len(text), 997):
            left = max(0, text.rfind(" ", 0, at))  # a word edge, where TenseIndex reads from
            right = min(len(text), left + 1500)
            assert cues(text, left, right) == _cues_word_by_word(text, left, right)


@pytest.mark.parametrize(
    "text",
    [
        "He SAID it Was Planned and WILL be Joined; they'll meet, as Soon as he Arrived.",
        "The Kelvin sign \u212a and \u017faid: it was planned, he ſaid, and İt wıll be joined.",
    ],
)
def test_cues_on_lowered_text_equal_ignoring_case(text: str) -> None:
    """The fast reading (case kept, on the lower-cased text) finds what ignoring case finds."""
    assert direction.cues(text, 0, len(text)) == direction._cues(text, None, 0, len(text))
    lower = direction.lowered(text)
    if lower is not None:
        assert direction._cues(text, lower, 0, len(text)) == direction._cues(
            text, None, 0, len(text)
        )
