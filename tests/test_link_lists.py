"""A site's lists of promoted links under every article are not what the article reports: they
are left out of story detection (stories/features.py ``without_link_lists``)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from conftest import RunCli
from storyline.stories.features import without_link_lists

TRAILER = (
    "BGR Top Deals:\n"
    "The discounted Wyze Cam has features you won't even find in a Nest Cam\n"
    "Holy cow, this Instant Pot is cheaper today than it was on Black Friday\n"
    "Trending Right Now:\n"
    "Galaxy S10 will have a feature that's not available on any other Android or iPhone\n"
    "High-tech search company claims to have discovered Atlantis\n"
    "The first Avengers trailer is still missing, and so is its title\n"
)
REPORTS = {
    "wasp": [
        "Researchers in Ecuador found a wasp whose larva takes over a social spider, forcing it"
        " to leave its colony and spin a cocoon before the larva eats the spider.",
        "The wasp larva hijacks the social spider's behaviour, Samantha Straus of the University"
        " of British Columbia said, and the spider spins a cocoon it would never build.",
        "Straus and her colleagues watched the Ecuador wasp lay an egg on the spider; the larva"
        " hatched, fed on the spider and steered it away from its colony.",
    ],
    "bridge": [
        "The new Gordie Howe bridge between Detroit and Windsor opened to trucks on Monday,"
        " ending a decade of construction across the Detroit River.",
        "Truck drivers crossed the Gordie Howe bridge from Windsor into Detroit on its first"
        " day, saving an hour against the old Ambassador Bridge crossing.",
        "Officials in Windsor and Detroit said the Gordie Howe bridge would carry a quarter of"
        " the trucks that cross the Detroit River each day.",
    ],
}


def test_a_heading_and_the_headlines_under_it_go() -> None:
    text = "A wasp zombifies spiders, researchers said.\n" + TRAILER
    assert without_link_lists(text).strip() == "A wasp zombifies spiders, researchers said."
    assert without_link_lists("No list here.\nNor here.") == "No list here.\nNor here."


def test_a_heading_over_sentences_stays() -> None:
    """An interview's "Q:" or a speaker's "He said:" heads prose, not links."""
    for text in (
        "Q:\nWhat happened on Monday?\nA: The bridge opened.",
        "The minister said:\nThe bridge will open on Monday.",
    ):
        assert without_link_lists(text) == text


def test_reports_sharing_only_a_trailer_are_not_one_story(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    day = date(2018, 11, 26)
    for name, lines in REPORTS.items():
        for k in range(2):  # two reports of each, sharing one sentence
            body = "\n".join(lines[k : k + 2])
            text = f"date {(day + timedelta(days=k)).isoformat()}\n{body}\n{TRAILER}"
            (folder / f"{name}{k}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(folder), "--db", str(db)).code == 0
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    stories = run_cli("stories", "--json", "--db", str(db)).json()
    assert isinstance(rows, list) and isinstance(stories, list)
    name = {r["id"]: Path(r["source"]).stem.rstrip("0123456789") for r in rows}
    groups = sorted(sorted({name[a] for a in s["articles"]}) for s in stories)
    assert groups == [["bridge"], ["wasp"]], groups
    for story in stories:
        assert "BGR" not in story["label"] and "Trending" not in story["label"], story["label"]
