"""Pages of several outlets' items (an aggregator's stream scraped as one article): recognised by
shape, split on ``storyline ingest --split-item-pages``, reported either way."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunCli
from storyline.sources.itempages import page_items


def _body(topic: str, words: int = 60) -> str:
    """A paragraph of ``words`` words about ``topic`` (one line, as the scraped pages hold)."""
    sentence = f"Analysts said {topic} shares rose after the company reported strong results. "
    text = (sentence * (words // 11 + 1)).split()[:words]
    return " ".join(text) + "."


def _page(*items: tuple[str, str, str]) -> str:
    return "\n".join(f"{outlet}\n{title}\n{body}" for outlet, title, body in items)


TIPRANKS = ("TipRanks", "3 “Strong Buy” Stocks That Could Bloom in 2021", _body("Progenity"))
BLOOMBERG = ("Bloomberg", "Tesla Slumps as Battery Day Letdown Clouds Gain", _body("Tesla"))
BENZINGA = ("Benzinga", "Option Trader Makes $1.4M Bet On Apple", _body("Apple"))


def test_a_page_of_items_is_read_as_its_items() -> None:
    items = page_items(_page(TIPRANKS, BLOOMBERG, BENZINGA))
    assert items is not None
    assert [(i.outlet, i.title) for i in items] == [
        (o, t) for o, t, _ in (TIPRANKS, BLOOMBERG, BENZINGA)
    ]
    assert items[1].text == BLOOMBERG[2]


def test_a_page_opening_with_blank_lines_is_still_a_page() -> None:
    items = page_items("\n \n" * 10 + _page(TIPRANKS, BLOOMBERG))
    assert items is not None and [i.outlet for i in items] == ["TipRanks", "Bloomberg"]


def test_ordinary_articles_are_not_pages() -> None:
    # one item only, a plain article, an article whose sections repeat one subheading, a press
    # release with a figure caption and a contact line, a teaser too short to be an article
    assert page_items(_page(TIPRANKS)) is None
    assert page_items(f"{_body('BP')}\n\n{_body('BP')}") is None
    sections = _page(
        ("Gemini", "What does it do?", _body("Gemini")),
        ("Axoni", "What does it do?", _body("Axoni")),
    )
    assert page_items(sections) is None
    release = _page(
        ("Figure 1", "Midland projects in Abitibi", _body("Midland")),
        ("Email: info@example.com", "Website: www.example.com", _body("Midland")),
    )
    assert page_items(release) is None
    teaser = _page(TIPRANKS, ("Bloomberg", "A teaser", " ".join(["word"] * 25)))
    assert page_items(teaser) is None
    byline = _page(("By Aaron Sheldrick", "Asian shares fell on Monday", _body("Asia")), BLOOMBERG)
    assert page_items(byline) is None


def _records(tmp_path: Path) -> Path:
    """Two news-please records whose text is a page of items (one item on both pages)."""
    records = [
        {
            "title": "IIROC Trading Halt - SXL",
            "maintext": _page(TIPRANKS, BLOOMBERG),
            "date_publish": "2020-11-25 10:00:00",
            "url": "https://finance.example.com/a.html",
            "source_domain": "finance.example.com",
            "language": "en",
        },
        {
            "title": "The Nikola scandal proves even GM will do anything",
            "maintext": _page(BENZINGA, TIPRANKS),
            "date_publish": "2020-12-03 09:00:00",
            "url": "https://finance.example.com/b.html",
            "source_domain": "finance.example.com",
            "language": "en",
        },
    ]
    path = tmp_path / "pages.json"
    path.write_text(json.dumps(records))
    return path


def test_ingest_keeps_pages_whole_by_default_and_says_what_they_are(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    result = run_cli("ingest", str(_records(tmp_path)), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["accepted"] == 2
    (warning,) = report["warnings"]
    assert "2 of its records" in warning["message"] and "4 items" in warning["message"]
    assert "--split-item-pages" in warning["message"]
    titles = {r["title"] for r in run_cli("articles", "--db", str(db_path), "--json").json()}
    assert titles == {
        "IIROC Trading Halt - SXL",
        "The Nikola scandal proves even GM will do anything",
    }


def test_split_item_pages_stores_each_item_once_under_its_title_and_outlet(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    path = _records(tmp_path)
    result = run_cli("ingest", str(path), "--db", str(db_path), "--split-item-pages", "--json")
    assert result.code == 0, result.err
    report = result.json()
    # four items, one of them on both pages: three articles, one exact duplicate
    assert (report["accepted"], report["duplicates"]) == (3, 1)
    assert "stored as 4 articles of their own" in report["warnings"][0]["message"]
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    by_title = {r["title"]: r for r in rows}
    assert set(by_title) == {TIPRANKS[1], BLOOMBERG[1], BENZINGA[1]}
    tesla = by_title[BLOOMBERG[1]]
    assert (tesla["published"], tesla["date_source"]) == ("2020-11-25", "given")
    shown = run_cli("show", tesla["id"], "--db", str(db_path), "--json").json()
    assert shown["source"].endswith("pages.json#record 1 item 2")
    assert shown["source_name"] == "Bloomberg"
    assert shown["url"] == "https://finance.example.com/a.html"
    assert shown["text"] == BLOOMBERG[2]
    # the next ingest of the same file, split again, adds nothing
    again = run_cli("ingest", str(path), "--db", str(db_path), "--split-item-pages", "--json")
    assert again.json()["accepted"] == 0


def test_split_item_pages_on_dask_workers_stores_what_a_serial_ingest_stores(
    run_cli: RunCli, tmp_path: Path
) -> None:
    from test_dask import assert_same_store  # the field-by-field comparison of two stores

    path = _records(tmp_path)
    reports = []
    for name, extra in (("serial", []), ("dask", ["--dask", "local"])):
        db = tmp_path / f"{name}.db"
        args = ["ingest", str(path), "--db", str(db), "--split-item-pages", "--json", *extra]
        result = run_cli(*args)
        assert result.code == 0, result.err
        reports.append(result.json())
    assert reports[0] == reports[1]  # counts and the one warning
    stored = assert_same_store(tmp_path / "serial.db", tmp_path / "dask.db")
    assert {a["source_name"] for a in stored["articles"]} == {"TipRanks", "Bloomberg", "Benzinga"}
