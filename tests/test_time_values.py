"""Normalised values of the temporal tagger, class by class, and the classing of wrong values.

Each test reads a real news sentence of the kind that fell in a class of value errors on
TimeBank or AQUAINT (see bench/bench_time_values.py) and checks the value TimeML gives it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from storyline.evaluate.timeml import load_dir, score_documents, value_class
from storyline.records import TimeExpression
from storyline.time import tag
from storyline.time.timeml import GoldTimex

DCT = date(1989, 11, 2)  # a Thursday


def values(text: str, dct: date | None = DCT) -> dict[str, tuple[str, str]]:
    return {t.text: (t.type, t.value) for t in tag(text, dct)}


def test_quarter_durations_stay_in_quarters() -> None:
    found = values(
        "The software maker has had substantial losses in the past two quarters. "
        "Unisys must pay about $100 million in interest every quarter."
    )
    assert found["the past two quarters"] == ("DURATION", "P2Q")
    assert found["every quarter"] == ("SET", "P1Q")


def test_a_forecast_quarter_is_not_the_one_compared_a_year_ago() -> None:
    text = (
        "Travelers Corp.'s third-quarter net income rose 11%. The California earthquake "
        "will result in a fourth-quarter pre-tax charge of less than $4 million. Its "
        "property business earned $6.1 million, compared with a loss a year ago."
    )
    found = values(text)
    assert found["third-quarter"] == ("DATE", "1989-Q3")
    assert found["fourth-quarter"] == ("DATE", "1989-Q4")
    assert found["a year ago"] == ("DATE", "1988-Q3")


def test_a_reported_quarter_is_the_one_compared() -> None:
    text = (
        "Ralston Purina Co. reported a 47% decline in fourth-quarter earnings. Net was "
        "$41.4 million, compared with $84.9 million a year earlier."
    )
    assert values(text)["a year earlier"] == ("DATE", "1988-Q4")


def test_a_part_of_a_named_day_is_a_time() -> None:
    found = values("Ratners's shares rose yesterday afternoon and fell this morning.")
    assert found["yesterday afternoon"] == ("TIME", "1989-11-01TAF")
    assert found["this morning"] == ("TIME", "1989-11-02TMO")


def test_a_weekday_night_stays_a_dated_day() -> None:
    # The corpora disagree (AQUAINT mostly dates the phrase to the day); see handlers.weekday.
    found = values("Tens of thousands rallied in a seaside plaza Friday night.", date(2000, 1, 7))
    assert found["Friday night"] == ("DATE", "2000-01-07")


def _pair(gold_text: str, gold: str, ours_text: str, ours: str) -> str:
    g = GoldTimex(0, len(gold_text), gold_text, "DATE", gold)
    o = TimeExpression(0, len(ours_text), ours_text, "DATE", ours)
    return value_class(g, o)


def test_value_classes() -> None:
    assert _pair("last week", "1989-WXX", "last week", "1989-W43") == "placeholder"
    assert _pair("this week", "2000-W7", "this week", "2000-W07") == "placeholder"
    assert _pair("1968", "1968-XX", "1968", "1968") == "placeholder"
    assert _pair("the 1980s", "198X", "the 1980s", "198") == "placeholder"
    assert _pair("Friday", "1990-08-10", "Friday", "1990-08-17") == "weekday"
    assert _pair("Friday night", "2000-01-07TNI", "Friday night", "2000-01-07") == "part of day"
    assert _pair("a year ago", "1988", "a year ago", "1988-Q3") == "granularity"
    assert _pair("January", "1989-01", "January", "1990-01") == "year"
    assert _pair("the weekend", "P2D", "the weekend", "1998-W33-WE") == "date vs duration"
    assert _pair("recent years", "PXY", "recent years", "PAST_REF") == "reference"
    assert _pair("the quarter", "1989-Q2", "the quarter", "1989-Q3") == "quarter"
    assert _pair("two to three weeks", "P2W", "three weeks", "P3W") == "extent"


def test_scores_count_wrong_values_by_class(shared_data: Path) -> None:
    result = score_documents(load_dir(shared_data / "tempeval3" / "AQUAINT"))
    matched = round(result["relaxed"]["recall"] * result["gold"])
    wrong = round(matched * (1 - result["value_accuracy"]))
    assert sum(result["value_errors"].values()) == wrong
    assert result["value_errors"]["placeholder"] >= 10  # "1968-XX", "2000-W7" in the gold


def test_this_quarter_in_a_report_is_the_quarter_reported() -> None:
    text = (
        "The company had a net loss of $8.1 million for the third quarter ended Sept. 30. "
        "This quarter's loss includes pretax charges of $4.9 million. It expects to break "
        "even this quarter."
    )
    found = [(t.text, t.value) for t in tag(text, date(1989, 11, 1))]
    assert ("This quarter", "1989-Q3") in found
    assert ("this quarter", "1989-Q4") in found


def test_a_clock_time_takes_the_date_that_follows_it() -> None:
    text = (
        "Dow Jones extended its $18-a-share offer until 5 p.m. EST Nov. 9. The earlier offer "
        "had been due to expire at 5 p.m. EST, Nov. 6, 1989."
    )
    found = values(text, date(1989, 11, 2))
    assert found["5 p.m. EST Nov. 9"] == ("TIME", "1989-11-09T17:00")
    assert found["5 p.m. EST, Nov. 6, 1989"] == ("TIME", "1989-11-06T17:00")
    assert "Nov. 9" not in found


def test_a_period_a_year_before_is_the_quarter_reported_a_year_earlier() -> None:
    text = (
        "The company had a net loss of $8.1 million for the third quarter, compared with net "
        "income of $1.8 million for the corresponding period last year. U.K. sales for last "
        "year's quarter were about $3 million. For the quarter a year ago, Columbia reported "
        "earnings of $16.3 million."
    )
    found = values(text, date(1989, 11, 1))
    assert found["the corresponding period last year"] == ("DATE", "1988-Q3")
    assert found["last year's quarter"] == ("DATE", "1988-Q3")
    assert found["the quarter a year ago"] == ("DATE", "1988-Q3")
    assert "last year" not in found and "a year ago" not in found


def test_a_day_followed_by_a_that_clause_dates_the_main_clause() -> None:
    # "said in a statement on Tuesday that it would ...": the day is when it was said; the
    # reported clause's "would" is not the day's tense (it was read as the coming Tuesday).
    dct = date(2013, 3, 6)  # a Wednesday
    said = values("The company said in a statement on Tuesday that it would cut jobs.", dct)
    told = values("The minister told reporters on Tuesday that talks will resume.", dct)
    assert said["Tuesday"] == ("DATE", "2013-03-05")
    assert told["Tuesday"] == ("DATE", "2013-03-05")
    # With no cue before the day, the clause after it still decides.
    heard = values("The inquiry heard allegations Thursday that he was detained.", dct)
    assert heard["Thursday"] == ("DATE", "2013-02-28")


def test_cues_beyond_a_reporting_verb_after_the_day_are_its_report() -> None:
    # "On Tuesday, the company said it would ...": "would" belongs to what was said.
    dct = date(2013, 3, 6)
    fronted = values("In a statement on Tuesday, the company said it would cut jobs.", dct)
    assert fronted["Tuesday"] == ("DATE", "2013-03-05")
    month = values(
        "Baghdad, which in September said it would leave, has agreed.", date(1997, 4, 25)
    )
    assert month["September"] == ("DATE", "1996-09")
    # The event's own verb before the day still wins over the report after it.
    event = values("Talks will resume on Tuesday, the minister said, adding it will help.", dct)
    assert event["Tuesday"] == ("DATE", "2013-03-12")


def test_the_next_day_counts_from_the_day_the_text_named() -> None:
    # As "the following day" and "a day earlier" do; it was the day after the DCT.
    found = values("The rebels attacked on Jan. 5. The next day, troops left.", date(2013, 3, 6))
    assert found["The next day"] == ("DATE", "2013-01-06")
    deictic = values("The rebels attacked on Jan. 5. Next week, troops leave.", date(2013, 3, 6))
    assert deictic["Next week"] == ("DATE", "2013-W11")


def test_the_week_of_a_day_is_that_days_week() -> None:
    found = values("The court set the hearing for the week of March 6.", date(2000, 2, 24))
    assert found == {"the week of March 6": ("DATE", "2000-W10")}
    weekend = values("The weekend of March 9 was quiet.", date(2013, 3, 6))
    assert weekend == {"The weekend of March 9": ("DATE", "2013-W10-WE")}
    # Only "of" joins them: a week and a day apart stay two expressions.
    apart = values("For the week, the Dow rose; on March 6 it fell.", date(2013, 3, 6))
    assert apart["the week"] == ("DATE", "2013-W10") and "March 6" in apart


def test_the_next_day_or_two_is_from_now() -> None:
    found = values("It attacked on Jan. 5. Aid comes in the next day or two.", date(2013, 3, 6))
    assert found["the next day"] == ("DATE", "2013-03-07")
