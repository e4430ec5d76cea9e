"""Publication lags learnt from dated articles that look like an undated one."""

from __future__ import annotations

from datetime import date

from storyline.records import Article
from storyline.time.dating import Report, date_from_reports, naming_lag, weekday_lag
from storyline.time.lags import PRIOR, learnt_lags

PRINT = "By Staff Writer -- The Daily Print Edition -- Section A\n{body}\nCopyright The Daily Print"
WEB = "Web Desk live page | updated | share this\n{body}\nMore from the web desk: sign up"


def _article(i: str, template: str, body: str, published: date | None) -> Article:
    return Article(id=i, source=f"{i}.txt", text=template.format(body=body), published=published)


def test_naming_lag_reads_the_latest_day_named_and_how_it_is_written() -> None:
    dateline = "WASHINGTON, June 24 -- Regulators approved the plan on a vote."
    assert naming_lag(dateline, None, date(2009, 6, 25)) == ("lead", 1)
    assert naming_lag("Regulators met on June 24, 2009, to vote.", None, date(2009, 6, 24)) == (
        "abs",
        0,
    )
    assert naming_lag("Regulators met on June 2, 2009, to vote.", None, date(2009, 6, 24)) is None
    assert naming_lag("Regulators met again to vote.", None, date(2009, 6, 24)) is None


def test_weekday_lag_reads_the_latest_weekday_named() -> None:
    text = "Senators questioned the executives on Tuesday; they had met on Monday."
    assert weekday_lag(text, None, date(2010, 5, 12)) == 1  # a Wednesday
    assert weekday_lag(text, None, date(2010, 5, 11)) == 0
    assert weekday_lag(text, None, date(2010, 5, 15)) is None  # four days on: not its day
    assert weekday_lag("Senators questioned them.", None, date(2010, 5, 12)) is None


def test_an_undated_article_takes_the_lag_of_dated_articles_that_look_like_it() -> None:
    dated = [
        *(
            _article(f"p{n}", PRINT, f"WASHINGTON, June {n} -- A vote.", date(2009, 6, n + 1))
            for n in range(2, 8)
        ),
        *(
            _article(f"w{n}", WEB, f"WASHINGTON, June {n} -- A vote.", date(2009, 6, n))
            for n in range(2, 8)
        ),
    ]
    targets = [
        _article("print", PRINT, "NEW YORK, June 24 -- Banks.", None),
        _article("web", WEB, "NEW YORK, June 24 -- Banks.", None),
    ]
    lags = learnt_lags(targets, dated, neighbours=4)
    assert lags["print"]["lead"] == {1: 4.0, 0: PRIOR}
    assert lags["web"]["lead"] == {0: 4.0 + PRIOR}
    assert lags["print"]["weekday"] == {0: PRIOR}  # none names a weekday
    assert learnt_lags(targets, dated, neighbours=0) == {}


def test_a_print_edition_is_dated_the_day_after_its_dateline() -> None:
    text = "NEW YORK, June 24 -- Hedge fund managers fear regulation most, a survey says."
    reports = [
        Report(date(2009, 6, 24), 0.4, frozenset({date(2009, 6, 24)})),
        Report(date(2009, 6, 25), 0.3, frozenset({date(2009, 6, 25), date(2009, 6, 24)})),
    ]
    alone = date_from_reports(text, None, reports)
    assert alone is not None and alone.published == date(2009, 6, 24)  # the day it names
    printed = date_from_reports(text, None, reports, lags={"lead": {1: 5.0, 0: 1.0}})
    assert printed is not None and printed.published == date(2009, 6, 25)
    assert printed.granularity == "day"
    web = date_from_reports(text, None, reports, lags={"lead": {0: 5.0, 1: 1.0}})
    assert web is not None and web.published == date(2009, 6, 24)


def test_a_print_edition_is_dated_the_day_after_the_weekday_it_names() -> None:
    text = "Three executives blamed one another in a Senate hearing on Tuesday."
    reports = [  # the hearing's day (a Tuesday) and the day after
        Report(date(2010, 5, 11), 0.4, frozenset({date(2010, 5, 11)})),
        Report(date(2010, 5, 12), 0.3, frozenset({date(2010, 5, 12), date(2010, 5, 11)})),
    ]
    web = date_from_reports(text, None, reports)
    assert web is not None and web.published == date(2010, 5, 11)
    printed = date_from_reports(text, None, reports, lags={"weekday": {1: 5.0, 0: 1.0}})
    assert printed is not None and (printed.published, printed.granularity) == (
        date(2010, 5, 12),
        "day",
    )
