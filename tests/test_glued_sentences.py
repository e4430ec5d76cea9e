"""Sentences of real web pages: those glued without a space are split (text/sentences.py
``_unglue``: news-please joins paragraphs the page kept apart by markup, "...rose 0.4
percent.The Stoxx Europe..."), and a publisher's calls to the reader ("Sign up for …") are
debris to the timeline (timeline/sentences.py ``is_debris``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RunCli
from storyline.text.sentences import split_sentences
from storyline.timeline.sentences import is_debris


def _texts(text: str) -> list[str]:
    found = split_sentences("a", text)
    assert [s.index for s in found] == list(range(len(found)))
    assert all(text[s.start : s.end] == s.text for s in found)
    return [s.text for s in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Oracle said it had 135,000 employees.The move to Austin was announced Friday.",
            ["Oracle said it had 135,000 employees.", "The move to Austin was announced Friday."],
        ),
        (
            "South Korea’s Kospi fell 0.6%.Australia’s S&P/ASX 200 Index rose. It was calm.",
            [
                "South Korea’s Kospi fell 0.6%.",
                "Australia’s S&P/ASX 200 Index rose.",
                "It was calm.",
            ],
        ),
        (
            "Powell speaks Wednesday.Australia inflation data is due Wednesday.",
            ["Powell speaks Wednesday.", "Australia inflation data is due Wednesday."],
        ),
        (
            "The unit sold 3.5 million phones in 2019.Shares rose (Nasdaq).Bonds fell.",
            ["The unit sold 3.5 million phones in 2019.", "Shares rose (Nasdaq).", "Bonds fell."],
        ),
    ],
)
def test_sentences_glued_without_a_space_are_split(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He launched www.KeepAZsafe.com to raise money.",
        "Mail them at press.Office@example.com today.",
        "Shares of Amazon.Com and Overstock.Net rose.",
        "Mrs.Smith met Dr.Jones and Mr.Brown at 3.5 percent.",
        "The U.S. Fed and the U.K. Treasury met in Washington, D.C. on Friday.",
        "Read it at https://example.com/markets.Today and see.",
    ],
)
def test_addresses_abbreviations_and_domains_stay_whole(text: str) -> None:
    assert _texts(text) == [text]


def _ingest_record(run_cli: RunCli, folder: Path, text: str) -> Path:
    """Ingest one news-please record of 2020-03-03 with this text through the CLI; its store."""
    record = {
        "title": "Tesla cuts China prices",
        "maintext": text,
        "date_publish": "2020-03-03 09:00:00",
        "url": "https://example.com/tesla-china",
        "language": "en",
        "source_domain": "example.com",
    }
    path = folder / "records.json"
    path.write_text(json.dumps([record]))
    db = folder / "s.db"
    assert run_cli("ingest", str(path), "--db", str(db)).code == 0
    return db


def test_a_timeline_cites_the_sentence_not_its_glued_neighbours(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Through the CLI, as a user ingests a news-please record whose paragraphs were joined:
    the sentence naming the day is cited alone, and `show` lists the glued ones apart."""
    text = (
        "Tesla Inc. said on Monday it would cut prices of its cars in China.The company cut prices"
        " of the Model 3 sedan by 5% on March 2, 2020, the filing said.Shares of Tesla rose 2% in"
        " New York trading after the announcement."
    )
    db = _ingest_record(run_cli, tmp_path, text)
    articles = run_cli("articles", "--db", str(db), "--json").json()
    articles = articles["articles"] if isinstance(articles, dict) else articles  # type: ignore[index]
    shown = run_cli("show", str(articles[0]["id"]), "--db", str(db), "--json").json()
    sentences = [s["text"] for s in shown["sentences"]]  # type: ignore[index]
    assert (
        "The company cut prices of the Model 3 sedan by 5% on March 2, 2020, the filing said."
        in (sentences)
    ), sentences
    timeline = run_cli("timeline", "--db", str(db), "--format", "json").json()
    cited = [
        s["text"]
        for entry in timeline["entries"]  # type: ignore[index]
        for s in entry["sentences"]
    ]
    assert cited and all(c in sentences for c in cited), (cited, sentences)
    assert not any(".The " in c or ".Shares " in c for c in cited), cited


def test_an_aside_in_brackets_glued_to_the_next_paragraph_is_split() -> None:
    text = (
        "(To watch Ross’s track record, click here)Overall, the Strong Buy consensus rests on 3"
        " reviews. Recro Pharma (REPH)Recro Pharma makes drugs."
    )
    assert _texts(text) == [
        "(To watch Ross’s track record, click here)",
        "Overall, the Strong Buy consensus rests on 3 reviews.",
        "Recro Pharma (REPH)",
        "Recro Pharma makes drugs.",
    ]


@pytest.mark.parametrize(
    ("text", "promotion"),
    [
        ("Sign up for China Rising, a new weekly dispatch on where China stands now.", True),
        ("For more articles like this, please visit us at bloomberg.com", True),
        ("Explore what’s moving the global economy in the new season of the Stephanomics.", True),
        ("You can see the complete list of today’s Zacks #1 Rank stocks here.", True),
        ("To read all of CNN 's Egypt coverage in Arabic , click here .", True),
        ("Subscribers rose 5% in the quarter, the company said.", False),
        ("Downloads of the app doubled after the launch on Monday.", False),
        ("Followers of the company were surprised by the cut.", False),
        ("Tesla said on Monday it would cut prices of its cars in China.", False),
    ],
)
def test_a_publishers_call_to_the_reader_is_debris(text: str, promotion: bool) -> None:
    assert is_debris(text) is promotion


def test_a_timeline_prefers_what_happened_to_a_call_to_the_reader(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The lead of a day's report is a promotion: the timeline cites the news under it."""
    text = (
        "Sign up for China Rising, a new weekly dispatch on where China stands now and where it's"
        " going next.\nTesla cut prices of its Model 3 sedan in China by 5% on Tuesday, the"
        " company said in a filing.\nShares of Tesla rose 2% in New York trading."
    )
    db = _ingest_record(run_cli, tmp_path, text)
    timeline = run_cli("timeline", "--db", str(db), "--format", "json", "-K", "1").json()
    cited = [
        s["text"]
        for entry in timeline["entries"]  # type: ignore[index]
        for s in entry["sentences"]
    ]
    assert cited and not any(c.startswith("Sign up") for c in cited), cited


def test_a_date_with_only_page_debris_makes_no_entry(run_cli: RunCli, tmp_path: Path) -> None:
    """A day whose only sentences are a site's "Read more..." and tag list is left off the
    timeline; the other day's news stays on it."""
    news = {
        "title": "Pet tech maker raises prices",
        "maintext": (
            "The pet tech maker raised prices of its smart feeders by 10% on Tuesday, the company"
            " said.\nIts shares rose 3% in New York after the announcement on Tuesday."
        ),
        "date_publish": "2019-08-20 09:00:00",
        "url": "https://example.com/pet-prices",
        "language": "en",
        "source_domain": "example.com",
    }
    debris = {
        "title": "A smart feeder for cats",
        "maintext": "Read more...\nMore about Mashable Video, Pets, Pet Tech, Smart Device",
        "date_publish": "2019-08-21 09:00:00",
        "url": "https://example.com/feeder-video",
        "language": "en",
        "source_domain": "example.com",
    }
    path = tmp_path / "records.json"
    path.write_text(json.dumps([news, debris]))
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(path), "--db", str(db)).code == 0
    timeline = run_cli("timeline", "--db", str(db), "--format", "json").json()
    dates = [entry["date"] for entry in timeline["entries"]]  # type: ignore[index]
    assert "2019-08-20" in dates and "2019-08-21" not in dates, timeline


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "The",
                "deal",
                "closed",
                ".",
                "Shares",
                "rose",
                "0.6%",
                ")",
                "(AAPL",
                "www.x.com",
                "Mrs",
                "Amazon.Com",
                "\n",
                " ",
                "said.Bonds",
                "fell.The",
                "a/b.Cd",
                "U.S.",
            ]
        ),
        max_size=40,
    )
)
def test_the_split_keeps_offsets_order_and_every_character(parts: list[str]) -> None:
    """Whatever is glued: each sentence is its span of the text, in order, numbered from 0,
    trimmed, and together they hold every non-space character of the text."""
    text = "".join(p if p in ("\n", " ") else p + " " if len(p) % 2 else p for p in parts)
    found = split_sentences("a", text)
    assert [s.index for s in found] == list(range(len(found)))
    assert all(text[s.start : s.end] == s.text == s.text.strip() and s.text for s in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert "".join("".join(s.text.split()) for s in found) == "".join(text.split())


def test_a_long_text_without_spaces_is_split_in_linear_time() -> None:
    """A blob of code or an address list pasted as text: the look for an address around each
    glued mark stays within a window. 200,000 marks take about half a second; a scan of the
    whole megabyte per mark would take hours, which the child's 120 s limit turns into a
    failure (a bound a hundred times the need, not a timing)."""
    script = (
        "from storyline.text.sentences import split_sentences\n"
        "assert len(split_sentences('a', 'a.Ab/' * 200_000)) == 1\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
