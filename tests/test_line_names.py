"""A label's name ends at a line end (stories/labels.py story_names): on pages kept one paragraph
a line, the next line is another paragraph, a heading or a list item, never the rest of a name."""

from __future__ import annotations

from pathlib import Path

from conftest import RunCli, one_story_label
from storyline.stories.features import names_in
from storyline.stories.labels import hard_wrapped, story_names

TRAILER = (
    "Brian Sozzi is an editor-at-large at Yahoo Finance. Follow him on Twitter @BrianSozzi\n"
    "Read the latest financial and business news from Yahoo Finance\n"
    "Watch more:\n"
    "TipRanks\n"
    "Billionaire Ray Dalio Picks 3 Stocks"
)

WRAPPED = (
    "The leaders of Australia and Japan held talks on Tuesday and reached a basic\n"
    "agreement on a bilateral defense pact that would allow their troops to work\n"
    "more closely, as the two allies seek to bolster their ties. Prime Minister Scott\n"
    "Morrison and his Japanese counterpart, Yoshihide Suga, said the legal framework,\n"
    "called a Reciprocal Access\n"
    "Agreement, would allow troops to visit each other's countries for training and\n"
    "joint operations, they said on Tuesday in Tokyo after a meeting of two hours."
)


def test_a_name_running_over_a_line_end_is_no_label_name() -> None:
    text = f"Uber shares rose on Friday in New York.\n{TRAILER}"
    found = names_in(text)
    assert "TipRanks Billionaire Ray Dalio Picks" in found  # what detection reads, as before
    kept = story_names(found, text)
    assert "New York" in kept and "Yahoo Finance" in kept, kept
    for joined in ("BrianSozzi Read", "TipRanks Billionaire Ray Dalio Picks"):
        assert joined not in kept, kept
    assert not any("\n" in name for name in kept), kept
    # a name the text does not hold (the title's) is kept: only a name written across a line
    # end, and nowhere on one line, goes
    assert story_names(["Mobile World Congress", "Yahoo Finance"], text) == [
        "Mobile World Congress",
        "Yahoo Finance",
    ]


def test_a_hard_wrapped_text_keeps_its_names_whole() -> None:
    assert hard_wrapped(WRAPPED.split("\n"))
    assert not hard_wrapped(TRAILER.split("\n"))  # short lines, but a list, not wrapped prose
    kept = story_names(names_in(WRAPPED), WRAPPED)
    assert "Scott Morrison" in kept and "Reciprocal Access Agreement" in kept, kept


def test_a_story_is_not_labelled_by_a_name_glued_across_lines(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    leads = [
        "Uber priced its shares at $45 on Thursday, the low end of its range, valuing the"
        " ride-hailing company at $82 billion before its first trade in New York.",
        "Uber opened at $42 a share on the New York Stock Exchange on Friday, below its IPO"
        " price, as investors worried about the ride-hailing company's losses.",
        "Uber shares closed 7.6% below their IPO price on Friday, the biggest first-day dollar"
        " loss for a US listing since 1975, as the ride-hailing company's debut disappointed.",
    ]
    records = [
        {
            "title": f"Uber's debut, part {n}",
            "maintext": f"{lead}\n{lead}\n{TRAILER}",
            "date_publish": f"2019-05-1{n} 10:00:00",
            "url": f"https://finance.example.com/{n}.html",
        }
        for n, lead in enumerate(leads)
    ]
    label = one_story_label(run_cli, records, tmp_path, db_path)
    assert "\n" not in label and "Read" not in label and "Billionaire" not in label, label
    assert "Uber" in label or "New York" in label, label
