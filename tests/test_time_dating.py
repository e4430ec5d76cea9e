"""Dating undated articles from their text, and refining with the story's dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RunCli
from storyline.time import DateEstimate, infer_date, tag


def test_latest_day_and_weekdays() -> None:
    text = (
        "The storm hit the coast on March 3, 2011. Rescue teams arrived on Thursday and "
        "the government said on Friday that aid would follow."
    )
    estimate = infer_date(text)
    assert isinstance(estimate, DateEstimate)
    assert estimate.published == date(2011, 3, 3)  # the latest day named (a Thursday)
    assert any("2011-03-03" in e for e in estimate.evidence)
    unfitting = infer_date(text.replace("Thursday", "Monday").replace("Friday", "Tuesday"))
    assert unfitting is not None and unfitting.confidence < estimate.confidence


def test_nothing_to_go_on() -> None:
    assert infer_date("No dates here at all.") is None
    assert infer_date(None) is None  # type: ignore[arg-type]


def test_future_dates_are_not_believed() -> None:
    estimate = infer_date(
        "The plan runs until 2090. It began in June 2012.", today=date(2026, 1, 1)
    )
    assert estimate is not None and estimate.published.year == 2012


def test_story_context_bounds_the_estimate() -> None:
    text = "Talks resumed on Tuesday, a decade after the 1999 accord."
    estimate = infer_date(text, context=[date(2020, 11, 16), date(2020, 11, 18)])
    assert estimate is not None
    assert date(2020, 11, 1) <= estimate.published <= date(2020, 11, 30)
    assert estimate.published.weekday() in (1, 2)  # on or the day after a Tuesday
    assert any("story" in e for e in estimate.evidence)


def test_seed_000_lands_in_2020(seeds: Path) -> None:
    text = next(seeds.glob("000_*.txt")).read_text(encoding="utf-8")
    estimate = infer_date(text)
    assert estimate is not None and estimate.published.year == 2020
    assert estimate.evidence and estimate.granularity == "year"
    resolved = {t.text: t.value for t in tag(text, estimate.published)}
    assert resolved["Tuesday"].startswith("2020-")


def test_date_article_never_overwrites_a_given_date() -> None:
    from storyline.records import Article
    from storyline.time import date_article

    text = "The storm hit the coast on March 3, 2011, officials said on Friday."
    given = Article(id="a", text=text, published=date(2011, 3, 5), date_source="given")
    assert date_article(given) is given
    undated = Article(id="b", text=text)
    dated = date_article(undated)
    assert dated.published == date(2011, 3, 3)
    assert dated.date_source == "inferred" and dated.date_evidence
    assert 0 < (dated.date_confidence or 0) <= 1
    refined = date_article(dated, context=[date(2011, 3, 4), date(2011, 3, 6)])
    assert refined.date_source == "inferred"
    assert date_article(Article(id="c", text="No dates at all.")).published is None


VOCABULARY = (
    "on in last the a two 31 29 1999 2017 May March Friday week year years ago early daily now "
    "yesterday , . February 1990s summer Christmas 60-year-old since until"
)
WORDS = st.sampled_from(VOCABULARY.split())


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=12), st.lists(st.dates(), max_size=3))
def test_infer_date_never_raises(words: list[str], context: list[date]) -> None:
    estimate = infer_date(" ".join(words), context=context)
    assert estimate is None or 0 <= estimate.confidence <= 1


def test_self_dating_text_outranks_a_story_years_away(seeds: Path) -> None:
    text = (seeds / "000_2db7ddb86090bf45.txt").read_text()
    estimate = infer_date(text, context=[date(2017, 4, 19)])
    assert estimate is not None and estimate.published.year == 2020 and estimate.self_dated


def test_reports_date_an_undated_article_where_its_weekday_agrees() -> None:
    from storyline.time.dating import Report, date_from_reports

    text = "Leaders of Australia and Japan reached a defence pact on Tuesday in Tokyo."
    reports = [  # two reports as close: the one whose day is the article's Tuesday wins
        Report(date(2020, 11, 20), 0.5, frozenset({date(2020, 11, 20), date(2020, 11, 19)})),
        Report(date(2020, 11, 17), 0.5, frozenset({date(2020, 11, 17)})),
    ]
    estimate = date_from_reports(text, None, reports)
    assert estimate is not None
    assert (estimate.published, estimate.granularity) == (date(2020, 11, 17), "day")
    assert any("(Tuesday) resolved against 2020-11-17" in e for e in estimate.evidence)
    vague = date_from_reports("Talks went on.", None, reports)  # nothing of its own agrees
    assert vague is not None and vague.granularity == "month"


def test_today_alone_does_not_claim_a_day() -> None:
    from storyline.time.dating import Report, date_from_reports

    reports = [  # a close report on the 17th that speaks of the 16th, a vaguer one on the 20th
        Report(date(2020, 11, 17), 0.3, frozenset({date(2020, 11, 17), date(2020, 11, 16)})),
        Report(date(2020, 11, 20), 0.2, frozenset({date(2020, 11, 20)})),
    ]
    today = date_from_reports("Markets are calm today, traders said.", None, reports)
    assert today is not None and today.published == date(2020, 11, 17)
    assert today.granularity == "month"  # "today" is the 17th whichever day is the candidate
    assert not any("relative mentions" in e for e in today.evidence)
    monday = date_from_reports("Leaders met on Monday; markets are calm today.", None, reports)
    assert monday is not None and (monday.published, monday.granularity) == (
        date(2020, 11, 17),
        "day",
    )
    assert any("1 of its 1 relative mentions (Monday)" in e for e in monday.evidence)


def test_close_reports_months_apart_give_only_the_year() -> None:
    from storyline.time.dating import Report, date_from_reports

    text = "A long look at what the crisis did to the small towns of the coast."
    june = [Report(date(2010, 6, 3), 0.2), Report(date(2010, 6, 9), 0.15)]
    month = date_from_reports(text, None, june)
    assert month is not None and month.granularity == "month"
    apart = [*june, Report(date(2010, 9, 1), 0.199), Report(date(2010, 11, 20), 0.1)]
    year = date_from_reports(text, None, apart)  # the closer half: June 3 and September 1
    assert year is not None and year.granularity == "year"
    assert any("more than a month from it: the year" in e for e in year.evidence)


def test_a_yearless_dateline_takes_the_close_reports_year() -> None:
    from storyline.time.dating import Report, date_from_reports

    text = (
        "RIO DE JANEIRO, Dec. 9 -- Leaders of the region met to weigh rescue plans. Back on "
        "March 3 few of them expected the crisis to reach their shores."
    )
    reports = [  # close reports around the dateline's day, and one a week later
        Report(date(2008, 12, 8), 0.3, frozenset({date(2008, 12, 8)})),
        Report(date(2008, 12, 16), 0.3, frozenset({date(2008, 12, 16)})),
    ]
    estimate = date_from_reports(text, "Region braces for crisis", reports)
    assert estimate is not None
    assert (estimate.published, estimate.granularity) == (date(2008, 12, 9), "day")
    assert any("latest day it mentions: 2008-12-09" in e for e in estimate.evidence)
    # the same day further down the text is any day it tells of, not the day of writing
    buried = date_from_reports("Leaders met. " * 30 + text, "Region braces", reports)
    assert buried is not None and buried.published != date(2008, 12, 9)


def test_a_day_named_long_after_every_report_is_not_the_day_of_writing() -> None:
    from storyline.time.dating import Report, date_from_reports

    # a CNN page of 2011 with a sidebar headline of 2013: the reports of the protests place it
    text = (
        "Protesters filled Tahrir Square on Tuesday, defying the curfew. Related: two men were "
        "charged on Feb. 11, 2013 in the death of a Chicago teen."
    )
    reports = [
        Report(date(2011, 2, 1), 0.5, frozenset({date(2011, 2, 1)})),
        Report(date(2011, 2, 2), 0.3, frozenset({date(2011, 2, 2), date(2011, 2, 1)})),
    ]
    estimate = date_from_reports(text, None, reports)
    assert estimate is not None
    assert (estimate.published, estimate.granularity) == (date(2011, 2, 1), "day")
    assert any("2013-02-11, lies after every report of its period" in e for e in estimate.evidence)
    # a day within the reports' period is still the day of writing
    near = date_from_reports(text.replace("2013", "2011"), None, reports)
    assert near is not None and near.published == date(2011, 2, 11)


def test_a_day_named_long_before_every_report_is_a_past_event_recalled() -> None:
    from datetime import timedelta

    from storyline.time.dating import Report, date_from_reports

    # a report of 2010 recalling September 11, 2001, its reports spread over a month: on T17
    # the day recalled was claimed as the day of writing (its bonus beat their spread support)
    text = (
        "Officials compared the response to the attacks of September 11, 2001, as crews "
        "worked offshore again."
    )
    days = [date(2010, 6, 1) + timedelta(days=4 * i) for i in range(8)]
    reports = [Report(d, 0.3, frozenset({d})) for d in days]
    estimate = date_from_reports(text, None, reports, today=date(2026, 1, 1))
    assert estimate is not None
    assert days[0] - timedelta(days=1) <= estimate.published <= days[-1] + timedelta(days=1)
    assert any("2001-09-11, lies before every report of its period" in e for e in estimate.evidence)


def test_a_page_time_stamp_dates_the_article() -> None:
    from storyline.time.dating import Report, date_from_reports

    text = (
        "BP's incoming chief executive told analysts claims would fall below $20bn. Monday 13 "
        "September 2010 19.48 BST. The spill began on April 20 and talks resume on Friday."
    )
    alone = infer_date(text, today=date(2026, 1, 1))
    assert alone is not None and (alone.published, alone.granularity) == (date(2010, 9, 13), "day")
    assert alone.evidence == ["time stamp it carries: 'Monday 13 September 2010 19.48 BST'"]
    # a weekday that is not the date's own makes it no stamp: the day it names, as any other
    wrong = infer_date(text.replace("Monday", "Sunday"), today=date(2026, 1, 1))
    assert wrong is not None and not any("stamp" in e for e in wrong.evidence)
    # the story's reports do not outvote it ...
    reports = [Report(date(2010, 10, 1), 0.5, frozenset({date(2010, 10, 1)}))]
    estimate = date_from_reports(text, None, reports)
    assert estimate is not None and estimate.published == date(2010, 9, 13)
    # ... unless it lies far outside their period (a reader's comment years later)
    later = date_from_reports(text, None, [Report(date(2008, 1, 10), 0.5)])
    assert later is not None and later.published != date(2010, 9, 13)


def test_bylines_print_pages_and_wire_datelines_are_stamps_too() -> None:
    from storyline.time.dating import Report, date_from_reports

    today = date(2026, 1, 1)
    for text, day in [
        ("January 25 , 2011 | By Amir Ahmed , CNN Demonstrators clashed.", date(2011, 1, 25)),
        ("Monday , March 9 , 2009 ; Page A01 The world is falling.", date(2009, 3, 9)),
        ("June 28 , 2010 - 6:39 AM | by : Jonathan Serrie Gulf Coast", date(2010, 6, 28)),
    ]:
        estimate = infer_date(text, today=today)
        assert estimate is not None and estimate.published == day, text
        assert estimate.evidence[0].startswith("time stamp it carries")
    # an agency's dateline names no year: the close reports' period gives it
    wire = (
        "* Bans stay in place GENEVA , June 12 -LRB- Reuters -RRB- - Bans on pork imports went on."
    )
    reports = [Report(date(2009, 6, 14), 0.4, frozenset({date(2009, 6, 14)}))]
    estimate = date_from_reports(wire, None, reports)
    assert estimate is not None and (estimate.published, estimate.granularity) == (
        date(2009, 6, 12),
        "day",
    )
    assert "June 12 -LRB- Reuters -RRB-" in estimate.evidence[0]


LEDE = (
    "Shares of the chipmaker slid as investors weighed a slowing market for its data-center "
    "products and the prospect of a long wait before demand for gaming cards recovers, "
    "analysts said, while rivals reported steadier orders from the largest cloud companies "
    "and the wider semiconductor index held near its recent high. "
)


def test_a_day_named_only_below_the_lead_claims_its_month() -> None:
    """Text alone, the latest day an article names is its day of writing only when it stands in
    the title or lede; further down it is as often an event recalled or a date ahead."""
    below = infer_date(LEDE + "The company last cut its forecast on Jan. 28, 2019.")
    assert below is not None and below.granularity == "month"
    assert below.published == date(2019, 1, 28)
    assert any("below the lead" in e for e in below.evidence), below.evidence
    lead = infer_date("The company cut its forecast on Jan. 28, 2019. " + LEDE)
    assert lead is not None and (lead.published, lead.granularity) == (date(2019, 1, 28), "day")


def test_a_latest_month_named_claims_its_year() -> None:
    estimate = infer_date(LEDE + "Orders fell in November 2018, the company said.")
    assert estimate is not None and estimate.granularity == "year"
    assert estimate.published.year == 2018


def test_the_cli_shows_a_day_named_below_the_lead_as_its_month(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """As a user meets it: an undated file, ingested alone, is shown at its month, with why."""
    (tmp_path / "chips.txt").write_text(
        LEDE + "The company last cut its forecast on Jan. 28, 2019.\n"
    )
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(tmp_path / "chips.txt"), "--db", str(db)).code == 0
    listed = run_cli("articles", "--db", str(db), "--json").json()
    listed = listed["articles"] if isinstance(listed, dict) else listed  # type: ignore[index]
    shown = run_cli("show", str(listed[0]["id"]), "--db", str(db), "--json").json()
    assert shown["date_granularity"] == "month", shown  # type: ignore[index]
    assert str(shown["published"]).startswith("2019-01"), shown  # type: ignore[index]
    terminal = run_cli("show", str(listed[0]["id"]), "--db", str(db)).out
    assert "2019-01" in terminal and "2019-01-28" not in terminal.split("evidence")[0], terminal
