"""Who reported first, read lean (``firsts.story_reporting``), finds what the whole read finds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from engines import ENGINES, store_location
from storyline.corpus import Corpus
from storyline.records import Citation, Entry, Timeline
from storyline.timeline.candidates import parse_value
from storyline.timeline.firsts import dated_mentions, reporting, story_reporting

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "raa"


@pytest.fixture(params=ENGINES)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store on each engine: the lean read is a store method of each."""
    with store_location(request.param, tmp_path) as where:
        yield where


def test_lean_reporting_equals_the_whole_read_for_every_date_any_member_names(
    location: str,
) -> None:
    with Corpus(location) as corpus:
        corpus.ingest([str(EXAMPLES)])
        store = corpus.store
        compared = 0
        for story in corpus.stories():
            whole = dated_mentions(store, story.article_ids)
            named: set[tuple[date, str]] = set()
            for values in store.dated_timexes(story.article_ids).values():
                named.update(p for _, v in values if (p := parse_value(v)) is not None)
            # every day, month and year a member names, at its own and coarser granularities,
            # and one period nobody names
            entries = {(d, g) for d, g in named}
            entries |= {(date(d.year, d.month, 1), "month") for d, _ in named}
            entries |= {(date(d.year, 1, 1), "year") for d, _ in named}
            entries.add((date(1901, 1, 1), "year"))
            first = whole.articles[0]
            cite = Citation("x", first.id, 0, 0, 1)  # cited without naming the date
            coarse = {(d, g) for d, g in entries if g != "day"}  # read without any day's
            for chosen in (entries, coarse):
                timeline = Timeline(
                    "t",
                    [
                        Entry(d, g, k % 3 == 0, [cite] if k % 2 else [])
                        for k, (d, g) in enumerate(sorted(chosen))
                    ],
                )
                expected = reporting(whole, timeline).as_dict()
                assert story_reporting(store, story.id, timeline).as_dict() == expected
                assert corpus.reporting(story.id, timeline).as_dict() == expected
                compared += len(expected["firsts"])
        assert compared > 20  # the comparison covered first reports, not only empty ones
