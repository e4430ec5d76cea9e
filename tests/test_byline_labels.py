"""Story labels name what a story is about, not who wrote it: bylines and contact lines are not
label material (stories/labels.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import RunCli, one_story_label
from storyline.stories.labels import byline_names, names_outlet, outlet_keys, story_names

TRAILER = (
    "To contact the reporter on this story: Dana Hull in San Francisco at dhull@bloomberg.net\n"
    "To contact the editors responsible for this story: Craig Trudell at ctrudell@bloomberg.net\n"
    "Follow her on Twitter at @DanaHullSF."
)


def test_names_in_bylines_and_contact_lines_are_found() -> None:
    text = (
        "Tesla shares fell after Battery Day.\n"
        f"{TRAILER}\n"
        "By Tina Bellon\n"
        "By Monday, BP had capped the well."
        " (Reporting by David Shepardson; Editing by Leslie Adler)\n"
        "Email Daniel Howley at dh@example.com. Brian Sozzi is an editor-at-large and co-host of"
        " The First Trade at Yahoo Finance. Follow Brian Sozzi him on Twitter @BrianSozzi\n"
        "©2018 Bloomberg L.P.\n"
        "More from Dan:"
    )
    found = byline_names(text)
    for name in (
        "Dana Hull", "Craig Trudell", "Tina Bellon", "David Shepardson", "Leslie Adler",
        "Bloomberg L.P",
    ):  # fmt: skip
        assert name in found
    assert "DanaHullSF" in found and "BrianSozzi" in found  # handles after "Twitter"
    assert "Dan" in found  # "More from Dan:", the heading of the reporter's other articles
    assert "BP" not in found and "Monday" not in found and "Tesla" not in found
    kept = story_names(
        ["Tesla", "Battery Day", "Dana Hull", "Daniel Howley", "Brian Sozzi", "BP", "DanaHullSF"],
        text,
    )
    assert kept == ["Tesla", "Battery Day", "BP"]


def test_a_story_is_not_labelled_by_its_reporters(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    leads = [
        "Tesla Inc. unveiled its Battery Day plans in Fremont, where Elon Musk promised a cheaper"
        " car and batteries at half the cost within three years.",
        "Elon Musk told shareholders at Tesla's Battery Day in Fremont that the company would"
        " build its own cells and cut battery costs in half.",
        "Tesla shares fell the day after Battery Day in Fremont, as investors weighed Elon Musk's"
        " promise of a cheaper car against the years it will take.",
    ]
    records = [
        {
            "title": f"Tesla Battery Day report {n}",
            "maintext": f"{lead}\n{lead}\n{TRAILER}",
            "date_publish": f"2020-09-2{n} 10:00:00",
            "url": f"https://news.example.com/{n}.html",
        }
        for n, lead in enumerate(leads, start=2)
    ]
    label = one_story_label(run_cli, records, tmp_path, db_path)
    for reporter in ("Dana Hull", "Craig Trudell", "San Francisco", "DanaHullSF"):
        assert reporter not in label, label
    assert "Tesla" in label or "Elon Musk" in label or "Battery Day" in label


def test_the_outlets_own_name_is_no_story_name() -> None:
    yahoo = outlet_keys("finance.yahoo.com", None)
    assert yahoo == ("yahoo",)
    assert outlet_keys(None, "https://news.bbc.co.uk/1/hi/8073.stm") == ("bbc",)
    assert outlet_keys(None, "https://www.abc.net.au/news/1") == ("abc",)
    assert outlet_keys(None, None) == () and outlet_keys("", "") == ()
    assert names_outlet("Yahoo Finance", yahoo) and names_outlet("Yahoo", yahoo)
    assert not names_outlet("Verizon", yahoo) and not names_outlet("Marissa Mayer", yahoo)
    post = outlet_keys(None, "https://www.washingtonpost.com/business/1.html")
    assert names_outlet("The Washington Post", post) and names_outlet("Washington Post", post)
    assert not names_outlet("Washington", post)  # a place the outlet's name only holds
    times = outlet_keys("The New York Times", None)
    assert names_outlet("New York Times", times) and names_outlet("The New York Times Co", times)
    assert not names_outlet("New York", times) and not names_outlet("Times Square", times)
    fox = outlet_keys(None, "https://www.foxnews.com/us/1")
    assert names_outlet("Fox News", fox) and not names_outlet("Fox", fox)
    assert story_names(["Yahoo Finance", "Lyft", "Travis Kalanick"], "Lyft ...", yahoo) == [
        "Lyft",
        "Travis Kalanick",
    ]


def test_a_story_is_not_labelled_by_the_outlet_that_reports_it(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """Each report names its outlet ("the Daily Planet learned", a sign-off) as often as the
    story's own actors: that name says who published, not what happened."""
    leads = [
        "Lexcorp agreed to buy Wayne Enterprises for $40 billion, the Daily Planet learned, in a"
        " deal that Lex Luthor said would close in Metropolis by June.",
        "Lex Luthor told the Daily Planet that the Lexcorp purchase of Wayne Enterprises would"
        " face regulators in Metropolis before June.",
        "Shares of Wayne Enterprises rose after Lexcorp's offer, the Daily Planet reported, as"
        " Lex Luthor defended the price in Metropolis.",
    ]
    records = [
        {
            "title": f"Lexcorp and Wayne Enterprises, report {n}",
            "maintext": f"{lead}\n{lead}\nDaily Planet staff contributed to this report.",
            "date_publish": f"2020-09-2{n} 10:00:00",
            "url": f"https://www.dailyplanet.com/business/{n}.html",
            "source_domain": "www.dailyplanet.com",
        }
        for n, lead in enumerate(leads, start=2)
    ]
    label = one_story_label(run_cli, records, tmp_path, db_path)
    assert "Daily Planet" not in label, label
    assert "Lexcorp" in label or "Wayne Enterprises" in label or "Lex Luthor" in label
