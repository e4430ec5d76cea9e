"""The readers: every format, and every kind of bad input, each named in a one-line reason."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from storyline.settings import IngestConfig
from storyline.sources.base import Problem, RawArticle, ReadOptions
from storyline.sources.csv import columns_from_header
from storyline.sources.dates import parse_timestamp
from storyline.sources.detect import expand, read_file, sniff
from storyline.sources.feed import html_to_text, read_feed
from storyline.sources.html import read_html
from storyline.sources.jsonl import read_json
from storyline.sources.language import detect_language
from storyline.sources.plaintext import read_text

DATA = Path(__file__).parent / "data" / "sources"
BODY = (
    "The harbour board met on Tuesday and agreed to dredge the western channel before winter. "
    "Work will start in October and last six weeks, the board's chair told reporters."
)


def read(path: Path, options: ReadOptions | None = None) -> tuple[list[RawArticle], list[Problem]]:
    items = list(read_file(path, options))
    return (
        [i for i in items if isinstance(i, RawArticle)],
        [i for i in items if isinstance(i, Problem)],
    )


def one_problem(problems: list[Problem], kind: str = "skipped") -> Problem:
    matching = [p for p in problems if p.kind == kind]
    assert len(matching) == 1, problems
    assert "\n" not in matching[0].message
    return matching[0]


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_with_date_line_and_headline(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f" date 2017-04-19 Harbour channel to be dredged\n{BODY}\n", encoding="utf-8")
    articles, problems = read(f)
    assert problems == []
    (a,) = articles
    assert (a.published, a.date_source) == (date(2017, 4, 19), "given")
    assert a.title == "Harbour channel to be dredged" and a.text == BODY
    assert a.language == "en"


@pytest.mark.parametrize(
    "header",
    [
        "Date: 19 April 2017",
        "date: April 19, 2017",
        "Published: 2017-04-19",
        "Posted on 19 April 2017",
        "Dated 19/04/2017",
        "Date: Wed, 19 Apr 2017 09:00:00 +0900",
    ],
)
def test_a_date_header_in_other_words_gives_the_date(tmp_path: Path, header: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f"{header}\nHarbour to be dredged\n\n{BODY}\n", encoding="utf-8")
    (a,), problems = read(f)
    assert problems == []
    assert (str(a.published), a.date_source) == ("2017-04-19", "given")
    assert (a.title, a.text) == ("Harbour to be dredged", BODY)


@pytest.mark.parametrize(
    "first", ["Posted by the harbour desk", "Date night ideas for 2017", "Published in April 2017"]
)
def test_a_line_that_only_starts_like_a_date_header_is_text(tmp_path: Path, first: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f"{first}\n\n{BODY}\n", encoding="utf-8")
    (a,), problems = read(f)
    assert problems == [] and a.date_source is None
    assert first in (a.title or "") + a.text


def test_impossible_date_is_dropped_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "feb.txt"
    f.write_text(f"date 2017-02-30\n{BODY}\n", encoding="utf-8")
    articles, problems = read(f)
    (a,) = articles
    assert a.published is None and a.date_source is None
    assert not a.text.startswith("date")
    warning = one_problem(problems, "warning")
    assert warning.source == str(f) and "2017-02-30" in warning.message


def test_timeline17_path_gives_the_date(tmp_path: Path) -> None:
    folder = tmp_path / "topic" / "InputDocs" / "2011-02-01"
    folder.mkdir(parents=True)
    (folder / "3.htm.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "topic" / "timelines").mkdir()
    (tmp_path / "topic" / "timelines" / "t.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "topic" / "keywords.json").write_text("[]", encoding="utf-8")
    files = list(expand([str(tmp_path / "topic")]))
    assert files == [folder / "3.htm.txt"]
    (a,), _ = read(folder / "3.htm.txt")
    assert (a.published, a.date_source) == (date(2011, 2, 1), "path")


# --- bad input, the whole-file kind ---------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    for name in ("empty.txt", "empty.jsonl", "empty.csv", "blank.html"):
        f = tmp_path / name
        f.write_text("" if name != "blank.html" else "  \n\n", encoding="utf-8")
        articles, problems = read(f)
        assert articles == []
        p = one_problem(problems)
        assert p.source == str(f) and p.message == "empty file"


def test_binary_file(tmp_path: Path) -> None:
    for name in ("image.txt", "dump.jsonl"):
        f = tmp_path / name
        f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        articles, problems = read(f)
        assert articles == []
        assert "binary" in one_problem(problems).message


def test_undeclared_latin1_is_detected_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes(("Caf\xe9 owners in the old town said on Monday " + BODY).encode("latin-1"))
    articles, problems = read(f)
    (a,) = articles
    assert a.text.startswith("Caf\xe9 owners")
    warning = one_problem(problems, "warning")
    assert warning.source == str(f) and "detected" in warning.message


def test_invalid_utf8_in_a_jsonl_line_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    good = json.dumps({"title": "München", "text": BODY}, ensure_ascii=False).encode()
    bad = (
        json.dumps({"title": "U", "text": "Caf\u00e9 " + BODY})
        .encode()
        .replace(b"\\u00e9", b"\xe9")
    )
    f.write_bytes(good + b"\n" + bad + b"\n")
    articles, problems = read(f)
    assert len(articles) == 2
    warning = one_problem(problems, "warning")
    assert "line 2" in warning.message


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope" / "missing.txt")
    (p,) = list(expand([missing]))
    assert isinstance(p, Problem) and p.kind == "skipped"
    assert p.source == missing and p.message == "no such file or folder"
    (g,) = list(expand([str(tmp_path / "*.nothing")]))
    assert isinstance(g, Problem)


def test_a_50_mb_plain_text_article_is_skipped_over_the_limit(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    line = (BODY + "\n").encode()
    with f.open("wb") as out:
        out.write(line * (50_000_000 // len(line) + 1))
    articles, problems = read(f)
    assert articles == []
    p = one_problem(problems)
    assert p.source == str(f) and "max_article_bytes" in p.message


def test_unsupported_suffix_and_folder_documentation(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# about", encoding="utf-8")
    (tmp_path / "LICENSE").write_text(
        "MIT License\n\nPermission is hereby granted, free of charge, to any person",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.pptx").write_bytes(b"PK")
    files = list(expand([str(tmp_path)]))
    assert files == [tmp_path / n for n in ("LICENSE", "README.md", "a.txt", "b.pptx")]
    _, problems = read(tmp_path / "b.pptx")
    assert "unsupported file type '.pptx'" in one_problem(problems).message
    _, problems = read(tmp_path / "README.md")
    assert "Markdown without front matter" in one_problem(problems).message
    _, problems = read(tmp_path / "LICENSE")
    assert one_problem(problems).message == "a software licence, not an article"


# --- JSON and JSONL -------------------------------------------------------------------------


def test_news_please_and_trafilatura_json() -> None:
    (np,), problems = read(DATA / "newsplease.json")
    assert problems == []
    assert np.title == "Northern harbour reopens after repairs"
    assert (np.published, np.date_source) == (date(2021, 3, 1), "given")
    assert np.url and np.url.startswith("https://www.example-port-news.org/")
    assert np.source_name == "www.example-port-news.org" and np.language == "en"
    (tf,), problems = read(DATA / "trafilatura.json")
    assert problems == []
    assert (tf.published, tf.date_source) == (date(2019, 6, 12), "given")
    assert tf.url == "https://example-town.net/news/library-hours"
    assert tf.source_name == "Example Town News"


@pytest.mark.parametrize("value", [None, "None", "", "null"])
def test_news_please_absent_dates_are_simply_undated(value: object) -> None:
    record = {"title": "T", "maintext": BODY, "date_publish": value}
    (a,) = list(read_json(json.dumps(record), "x.json"))
    assert isinstance(a, RawArticle)
    assert a.published is None and a.warnings == []
    (b,) = list(read_json(json.dumps({"maintext": BODY}), "x.json"))
    assert isinstance(b, RawArticle) and b.published is None


def test_timestamps_take_their_own_day() -> None:
    assert parse_timestamp("2017-04-19T08:00:00+09:00") == (date(2017, 4, 19), None)
    assert parse_timestamp("2017-04-19T23:30:00-05:00") == (date(2017, 4, 19), None)
    assert parse_timestamp("2017-04-19 23:30:00") == (date(2017, 4, 19), None)  # naive: UTC
    assert parse_timestamp("Wed, 19 Apr 2017 08:00:00 +0900") == (date(2017, 4, 19), None)
    assert parse_timestamp(1492560000) == (date(2017, 4, 19), None)
    day, problem = parse_timestamp("2017-02-30")
    assert day is None and problem and "2017-02-30" in problem
    assert parse_timestamp("April 2017")[0] is None  # no day: not invented


def test_json_array_and_wrapped_list(tmp_path: Path) -> None:
    f = tmp_path / "many.json"
    records = [
        {"title": f"T{i}", "text": f"{BODY} ({i})", "date": "2020-01-0" + str(i)} for i in (1, 2)
    ]
    f.write_text(json.dumps(records), encoding="utf-8")
    articles, problems = read(f)
    assert problems == []
    assert [a.source for a in articles] == [f"{f}#record 1", f"{f}#record 2"]
    f.write_text(json.dumps({"status": "ok", "articles": records}), encoding="utf-8")
    articles, _ = read(f)
    assert len(articles) == 2


def test_jsonl_with_one_broken_line_keeps_the_good_ones(tmp_path: Path) -> None:
    f = tmp_path / "records.jsonl"
    lines = [
        json.dumps(
            {"title": "One", "maintext": BODY + " 1", "date_publish": "2017-04-19 10:00:00"}
        ),
        '{"title": "Two", "maintext": "cut off',
        "",
        json.dumps({"title": "Three", "text": BODY + " 3", "date": "2017-04-20"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "No text here"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, problems = read(f)
    assert [a.title for a in articles] == ["One", "Three"]
    assert [a.source for a in articles] == [f"{f}#line 1", f"{f}#line 4"]
    assert all(a.date_source == "given" for a in articles)
    skipped = {p.source: p.message for p in problems if p.kind == "skipped"}
    assert set(skipped) == {f"{f}#line 2", f"{f}#line 5", f"{f}#line 6"}
    assert skipped[f"{f}#line 2"].startswith("broken JSON")
    assert "no text field" in skipped[f"{f}#line 6"]


def test_a_record_with_an_impossible_date_is_stored_undated_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps({"text": BODY, "date": "2017-02-30"}) + "\n", encoding="utf-8")
    (a,), _ = read(f)
    assert a.published is None
    assert any("2017-02-30" in w for w in a.warnings)


def test_a_50_mb_jsonl_is_streamed_and_every_good_record_read(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl"
    paragraph = BODY + "\n\n"
    text = paragraph * (50_000 // len(paragraph))
    count = 0
    with f.open("w", encoding="utf-8") as out:
        while out.tell() < 50_000_000:
            count += 1
            out.write(json.dumps({"title": f"Record {count}", "text": f"{count} {text}"}) + "\n")
            if count == 500:
                out.write("{broken\n")
    assert f.stat().st_size >= 50_000_000
    started = time.perf_counter()
    articles = 0
    problems = []
    for item in read_file(f):
        if isinstance(item, RawArticle):
            articles += 1
        else:
            problems.append(item)
    elapsed = time.perf_counter() - started
    assert articles == count
    assert [p.source for p in problems] == [f"{f}#line 501"]
    assert elapsed < 60


def test_a_jsonl_record_over_the_article_limit_is_skipped_alone(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(
        json.dumps({"text": "x " * 3_000_000}) + "\n" + json.dumps({"text": BODY}) + "\n",
        encoding="utf-8",
    )
    articles, problems = read(f)
    assert len(articles) == 1
    p = one_problem(problems)
    assert p.source == f"{f}#line 1" and "max_article_bytes" in p.message


# --- CSV ------------------------------------------------------------------------------------


def test_csv_header_detection(tmp_path: Path) -> None:
    f = tmp_path / "news.csv"
    f.write_text(
        "id,Headline,Body,Published,Link\n"
        f'1,Channel dredging,"{BODY}",2017-04-19,https://example.org/1\n'
        f'2,"Second, with comma","{BODY}\nSecond paragraph.",2017-04-20T09:00:00+10:00,\n',
        encoding="utf-8",
    )
    articles, problems = read(f)
    assert problems == []
    assert [a.title for a in articles] == ["Channel dredging", "Second, with comma"]
    assert [a.published for a in articles] == [date(2017, 4, 19), date(2017, 4, 20)]
    assert articles[0].url == "https://example.org/1" and articles[1].url is None
    assert [a.source for a in articles] == [f"{f}#line 2", f"{f}#line 3"]


def test_csv_overrides_semicolons_and_large_fields(tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    long_text = (BODY + " ") * 2000  # ~340 KB: over csv's default field limit
    f.write_text(f"Überschrift;Beschreibung;Tag\nKanal;{long_text};19.04.2017\n", encoding="utf-8")
    _, problems = read(f)
    p = one_problem(problems)
    assert "no text column" in p.message and "'Beschreibung'" in p.message and p.source == str(f)
    options = ReadOptions(text_column="beschreibung", title_column="Überschrift", date_column="Tag")
    (a,), problems = read(f, options)
    assert problems == []
    assert a.title == "Kanal" and len(a.text) > 300_000 and a.published == date(2017, 4, 19)
    _, problems = read(f, ReadOptions(text_column="inhalt"))
    assert "no column 'inhalt' (--text-column)" in one_problem(problems).message


def test_csv_without_a_text_column_is_one_skipped_problem(tmp_path: Path) -> None:
    f = tmp_path / "prices.csv"
    f.write_text("ticker,price,volume\nABC,1.0,100\nDEF,2.0,200\n", encoding="utf-8")
    articles, problems = read(f)
    assert articles == []
    p = one_problem(problems)
    assert p.source == str(f)
    assert "no text column" in p.message and "'ticker', 'price', 'volume'" in p.message


def test_csv_broken_rows_are_named(tmp_path: Path) -> None:
    f = tmp_path / "rows.csv"
    f.write_text(f'title,text\nA,"{BODY}"\nB,"{BODY}",extra\nC,\n', encoding="utf-8")
    articles, problems = read(f)
    assert [a.title for a in articles] == ["A"]
    assert {p.source for p in problems} == {f"{f}#line 3", f"{f}#line 4"}


def test_columns_from_header_prefers_the_common_names() -> None:
    columns, problem = columns_from_header(
        ["URL", "title", "content", "date_publish"], ReadOptions()
    )
    assert problem is None
    assert (columns.text, columns.title, columns.date, columns.url) == (
        "content",
        "title",
        "date_publish",
        "URL",
    )


# --- HTML -----------------------------------------------------------------------------------


def test_html_page_text_title_and_metadata_date() -> None:
    (a,), problems = read(DATA / "page.html")
    assert problems == []
    assert a.title == "Bridge closes for inspection"
    assert a.text.startswith("The old river bridge was closed")
    assert "Home" not in a.text and "All rights reserved" not in a.text
    assert (a.published, a.date_source) == (date(2020, 9, 14), "metadata")


def test_web_archive_page_with_its_uri_and_the_rest_counted() -> None:
    (a,), problems = read(DATA / "crawl.warc")
    assert a.title == "Leaders agree on a defence pact"
    assert a.text.startswith("The leaders of Japan and Australia agreed in principle on Tuesday")
    assert (a.published, a.date_source) == (date(2020, 11, 17), "metadata")
    assert a.url == "https://news.example.org/2020/11/17/pact"
    assert a.source == f"{DATA / 'crawl.warc'}#record 3"
    warning = one_problem(problems, "warning")
    assert warning.message.startswith("2 of its 3 records are not web pages")


def test_web_archive_gzipped_as_crawlers_ship_it(tmp_path: Path) -> None:
    import gzip

    packed = tmp_path / "crawl.warc.gz"
    packed.write_bytes(gzip.compress((DATA / "crawl.warc").read_bytes()))
    (a,), _ = read(packed)
    assert a.title == "Leaders agree on a defence pact" and a.source.endswith("#record 3")


def test_markdown_post_with_front_matter() -> None:
    (a,), problems = read(DATA / "post.md")
    assert problems == []
    assert (a.title, a.published, a.date_source) == (
        "Ministers press for a pact this year",
        date(2017, 4, 20),
        "given",
    )
    assert a.text == (
        "Japan's and Australia's foreign and defence ministers pressed on Thursday to finish "
        'the Reciprocal Access Agreement "in calendar year 2017".\n\nThe ministers met in Tokyo.'
    )


def test_markdown_title_from_its_heading_and_date_from_a_seed_line(tmp_path: Path) -> None:
    f = tmp_path / "note.md"
    f.write_text(
        "date 2017-04-19\n# Harbour to be dredged\n\nThe board met on *Tuesday* and agreed.\n",
        encoding="utf-8",
    )
    (a,), problems = read(f)
    assert problems == []
    assert (a.title, a.published, a.text) == (
        "Harbour to be dredged",
        date(2017, 4, 19),
        "The board met on Tuesday and agreed.",
    )


def test_nexis_export_one_article_per_document() -> None:
    first, second = read(DATA / "nexis.docx")[0]
    assert (first.title, first.source_name, first.published, first.date_source) == (
        "Japan, Australia eye defence deal",
        "The Japan Times",
        date(2017, 4, 20),
        "given",
    )
    assert first.text == (
        "Japan and Australia pressed on Thursday to conclude a reciprocal access agreement in "
        "calendar year 2017.\n\nTalks began in Sydney in November 2015."
    )
    assert first.source == f"{DATA / 'nexis.docx'}#document 1"
    assert (second.published, second.source_name) == (date(2020, 11, 17), "Kyodo News")
    problem = one_problem(read(DATA / "nexis.docx")[1])
    assert problem.source.endswith("#document 3") and "no 'Body' line" in problem.message


def test_factiva_export_one_article_per_div() -> None:
    """A Factiva HTML export holds many articles: each is its own, not one page's text."""
    (first, second), problems = read(DATA / "factiva.html")
    assert problems == []
    assert (first.title, first.published, first.date_source, first.source_name) == (
        "Japan, Australia eye defence deal",
        date(2017, 4, 20),
        "given",
        "The Japan Times",
    )
    assert first.text == (
        "Japan and Australia pressed on Thursday to conclude a reciprocal access agreement in "
        "calendar year 2017.\n\nTalks began in Sydney in November 2015."
    )
    assert first.source == f"{DATA / 'factiva.html'}#article 1"
    assert (second.published, second.source_name) == (date(2020, 11, 17), "Kyodo News")


def test_parquet_rows_are_articles(tmp_path: Path) -> None:
    """A Parquet table (the sample: two row groups): each row with text an article named by
    its row, a timestamp column the given date, a row without text skipped by its number."""
    (first, second), problems = read(DATA / "news.parquet")
    assert (first.title, first.published, first.date_source, first.source_name) == (
        "Japan, Australia eye defence deal",
        date(2017, 4, 20),
        "given",
        "japantimes.co.jp",
    )
    assert first.text.endswith("Talks began in Sydney in November 2015.")
    assert first.url == "https://www.japantimes.co.jp/news/2017/04/20/raa/"
    assert second.source == f"{DATA / 'news.parquet'}#row 2"
    problem = one_problem(problems)
    assert problem.source.endswith("#row 3") and "field 'text' is empty" in problem.message

    (tmp_path / "cut.parquet").write_bytes((DATA / "news.parquet").read_bytes()[:-300])
    articles, problems = read(tmp_path / "cut.parquet")
    assert articles == []
    assert one_problem(problems).message.startswith("not a readable Parquet file")

    named = ReadOptions(text_column="missing")
    articles, problems = read(DATA / "news.parquet", named)
    assert articles == []
    message = one_problem(problems).message
    assert "no column 'missing' (--text-column)" in message and "'image_url'" in message


def test_news_industry_xml() -> None:
    """NITF (a NYT corpus file), a Reuters corpus newsitem and a NewsML-G2 message of two
    items: each read by its own fields, where the feed reader skipped them all."""
    articles, problems = read(DATA / "newsxml" / "nyt-0000001.xml")
    assert problems == []
    (nyt,) = articles
    assert (nyt.title, nyt.published, nyt.date_source, nyt.source_name) == (
        "Japan and Australia Press On With Defense Pact",
        date(2017, 4, 21),
        "given",
        "The New York Times",
    )
    # the full text, not the lead paragraph block that repeats its start
    assert nyt.text == (
        "Japan and Australia pressed on Thursday to conclude a reciprocal access agreement in "
        "calendar year 2017.\n\nTalks on the agreement began in Sydney in November 2015."
    )
    assert nyt.url == "http://query.nytimes.com/gst/fullpage.html?res=0000001"
    (rcv1,), problems = read(DATA / "newsxml" / "2286newsML.xml")
    assert problems == []
    assert (rcv1.title, rcv1.published, rcv1.source_name) == (
        "Recovery excitement brings Mexican markets to life.",
        date(1996, 8, 20),
        "Reuters",
    )
    assert rcv1.text.endswith("The peso also gained ground against the dollar, dealers said.")
    (first, second), problems = read(DATA / "newsxml" / "wire-g2.xml")
    assert problems == []
    assert (
        first.source.endswith("wire-g2.xml#item 1")
        and first.title == "Leaders agree on access pact"
    )
    # firstCreated, on the day it was written in (+09:00), before versionCreated
    assert (first.published, first.source_name) == (date(2020, 11, 17), "Wire Example")
    assert first.text.startswith("The leaders of Japan and Australia agreed in principle")
    assert (second.published, second.title) == (date(2020, 11, 18), "China criticises pact")
    assert second.text == (
        "China on Wednesday criticised the access agreement between Japan and Australia."
    )


def test_news_xml_without_its_usual_fields(tmp_path: Path) -> None:
    """A NITF file dated only by the NYT corpus' meta fields; a broken one named; other XML
    still goes to the feed reader and is skipped as before."""
    nitf = (DATA / "newsxml" / "nyt-0000001.xml").read_text(encoding="utf-8")
    undated = tmp_path / "meta-only.xml"
    undated.write_text(nitf.replace('date.publication="20170421T000000" ', ""), "utf-8")
    (article,), _ = read(undated)
    assert (article.published, article.date_source) == (date(2017, 4, 21), "given")
    broken = tmp_path / "broken.xml"
    broken.write_text(nitf.replace("</hedline>", ""), "utf-8")
    _, problems = read(broken)
    assert one_problem(problems).message.startswith("not well-formed XML")
    other = tmp_path / "sitemap.xml"
    other.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>', "utf-8")
    _, problems = read(other)
    assert one_problem(problems).message.startswith("not a feed")


def test_tar_archives_are_read_member_by_member(tmp_path: Path) -> None:
    """A month of the NYT corpus as it ships (01.tgz of NITF files), the same as .tar.zst and
    plain .tar; hidden files and links passed over; a damaged archive named."""
    import io
    import tarfile

    import zstandard

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in ("nyt-0000001.xml", "2286newsML.xml"):
            archive.add(DATA / "newsxml" / name, f"01/21/{name}")
        hidden = tarfile.TarInfo("01/.DS_Store")
        hidden.size = 5
        archive.addfile(hidden, io.BytesIO(b"notes"))
        link = tarfile.TarInfo("latest.xml")
        link.type, link.linkname = tarfile.SYMTYPE, "01/21/nyt-0000001.xml"
        archive.addfile(link)
    raw = buffer.getvalue()
    import gzip

    for name, data in (
        ("01.tgz", gzip.compress(raw)),
        ("01.tar", raw),
        ("01.tar.zst", zstandard.compress(raw)),
    ):
        (tmp_path / name).write_bytes(data)
        articles, problems = read(tmp_path / name)
        assert problems == [], name
        assert [a.source for a in articles] == [
            f"{tmp_path / name}#01/21/nyt-0000001.xml",
            f"{tmp_path / name}#01/21/2286newsML.xml",
        ]
    (tmp_path / "bad.tar").write_bytes(b"hello, not a tar archive at all" * 20)
    _, problems = read(tmp_path / "bad.tar")
    assert one_problem(problems).message.startswith("not a readable tar archive")


def test_a_pdf_is_one_article() -> None:
    """A press release as PDF: its headline the title, the date line under it the given date,
    pdfminer's boxes the paragraphs (a word hyphenated across lines joined again), the page
    number dropped."""
    (article,), problems = read(DATA / "release.pdf")
    assert problems == []
    assert (article.title, article.published, article.date_source) == (
        "Japan and Australia agree on access pact",
        date(2020, 11, 17),
        "given",
    )
    first, second = article.text.split("\n\n")
    assert first.startswith("The leaders of Japan and Australia agreed in principle on Tuesday")
    assert "a reciprocal access agreement that sets rules" in first
    assert second.endswith("to finish in calendar year 2017.")


def test_a_nexis_pdf_export_and_pdfs_without_text(tmp_path: Path) -> None:
    """A Nexis export saved as PDF: its running head and 'Page N of M' footers dropped, its
    cover page passed over, each document an article as in the Word export; a PDF without
    text says it needs OCR; a cut or false one is named."""
    from pdf_maker import make_pdf

    head = "Nexis Uni export - 21 Apr 2017"
    pages = [
        [head, "", "Results list", "", "1. Japan, Australia eye defence deal", "", "Page 1 of 3"],
        [
            *(head, "", "Japan, Australia eye defence deal", "", "The Japan Times", ""),
            *("April 20, 2017 Thursday", "", "Copyright 2017 The Japan Times Ltd.", ""),
            *("Body", "", "Japan and Australia pressed on Thursday to conclude a reciprocal"),
            *("access agree-", "ment in calendar year 2017.", ""),
            *("Load-Date: April 21, 2017", "", "End of Document", "", "Page 2 of 3"),
        ],
        [
            *(head, "", "Leaders agree on pact", "", "Kyodo News", "", "November 17, 2020"),
            *("", "Body", "", "The leaders of Japan and Australia agreed in principle on"),
            *("Tuesday to a reciprocal access agreement.", "", "End of Document", ""),
            "Page 3 of 3",
        ],
    ]
    export = tmp_path / "nexis.pdf"
    export.write_bytes(make_pdf(pages))
    (first, second), problems = read(export)
    assert problems == []
    assert (first.source, first.title, first.source_name, first.published) == (
        f"{export}#document 1",
        "Japan, Australia eye defence deal",
        "The Japan Times",
        date(2017, 4, 20),
    )
    assert first.text == (
        "Japan and Australia pressed on Thursday to conclude a reciprocal access agreement in "
        "calendar year 2017."
    )
    assert (second.title, second.published) == ("Leaders agree on pact", date(2020, 11, 17))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]]))
    _, problems = read(scan)
    assert "needs OCR" in one_problem(problems).message
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((DATA / "release.pdf").read_bytes()[:300])
    _, problems = read(cut)
    assert one_problem(problems).message.startswith("not a readable PDF")


def test_a_mailbox_is_one_article_a_message(tmp_path: Path) -> None:
    """A mailbox (.mbox): a press release in plain text (folded subject, wrapped lines joined,
    '>From' unescaped, quoted lines and signature left out), an HTML newsletter, and an
    image-only message skipped by its number; a saved message (.eml) is one article."""
    (release, brief), problems = read(DATA / "releases.mbox")
    assert release.source == f"{DATA / 'releases.mbox'}#message 1"
    assert (release.title, release.published, release.date_source, release.source_name) == (
        "Japan and Australia agree in principle on reciprocal access agreement",
        date(2020, 11, 17),  # the day where it was sent (+11:00), not in UTC
        "metadata",
        "Foreign Affairs Press Office",
    )
    assert release.text == (
        "The leaders of Japan and Australia agreed in principle on Tuesday to a reciprocal "
        "access agreement that sets rules for troops training in each other's country.\n\n"
        "From the start, talks on the agreement were held in Sydney in November 2015."
    )
    assert brief.text.endswith("a threat to peace in the region \u2014 its words.")
    assert (brief.published, brief.source_name) == (
        date(2020, 11, 18),
        "Wire Example Morning Brief",
    )
    problem = one_problem(problems)
    assert problem.source.endswith("#message 3") and "without a text" in problem.message

    mailbox = (DATA / "releases.mbox").read_bytes()
    saved = tmp_path / "release.eml"
    message = mailbox.split(b"\n", 1)[1].split(b"\nFrom newsletter@")[0]
    saved.write_bytes(message.replace(b"\n>From ", b"\nFrom "))  # escaped in a mailbox only
    (one,), problems = read(saved)
    assert problems == [] and one.title == release.title and one.text == release.text
    notes = tmp_path / "notes.mbox"
    notes.write_text("Just some notes, no messages in here at all.\n", encoding="utf-8")
    _, problems = read(notes)
    assert one_problem(problems).message.startswith("not a mailbox")


def test_html_page_with_no_article_text(tmp_path: Path) -> None:
    f = tmp_path / "nav.html"
    f.write_text(
        "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        encoding="utf-8",
    )
    articles, problems = read(f)
    assert articles == []
    p = one_problem(problems)
    assert p.source == str(f) and "no article text" in p.message


def test_html_reader_never_needs_a_network() -> None:
    html = (DATA / "page.html").read_text(encoding="utf-8")
    (a,) = list(read_html(html, "page.html"))
    assert isinstance(a, RawArticle) and a.url is None


# --- feeds ----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Wire</title><link>https://wire.example.org</link>
<description>News</description><language>en-au</language>
<item><title>Dredging starts</title><link>https://wire.example.org/dredging</link>
<pubDate>Mon, 02 Oct 2017 07:30:00 +1100</pubDate>
<description>&lt;p&gt;Dredging of the western channel began on Monday.&lt;/p&gt;&lt;p&gt;It will last six weeks.&lt;/p&gt;</description></item>
<item><title>Undated note</title><link>https://wire.example.org/note</link>
<description>The board published its annual report, which shows traffic rising.</description></item>
</channel></rss>"""


def test_rss_items_with_their_own_time_zone(tmp_path: Path) -> None:
    f = tmp_path / "wire.rss"
    f.write_text(RSS, encoding="utf-8")
    articles, problems = read(f)
    assert problems == []
    first, second = articles
    assert first.title == "Dredging starts" and first.url == "https://wire.example.org/dredging"
    assert (
        first.text == "Dredging of the western channel began on Monday.\n\nIt will last six weeks."
    )
    # 07:30 in Sydney is still 1 October in UTC: the feed's own day wins
    assert (first.published, first.date_source) == (date(2017, 10, 2), "metadata")
    assert first.source == f"{f}#item 1" and first.source_name == "Harbour Wire"
    assert second.published is None and second.language == "en"


def test_atom_feed_content() -> None:
    (a,), problems = read(DATA / "atom.xml")
    assert problems == []
    assert (a.published, a.date_source) == (date(2021, 3, 2), "metadata")
    assert a.text.startswith("The harbour ferry will run")


def test_a_feed_that_is_not_xml(tmp_path: Path) -> None:
    f = tmp_path / "broken.rss"
    f.write_text("this is not a feed at all, just words\n", encoding="utf-8")
    articles, problems = read(f)
    assert articles == []
    p = one_problem(problems)
    assert p.source == str(f) and p.message.startswith("not a feed: not XML")
    g = tmp_path / "note.xml"
    g.write_text("<?xml version='1.0'?><note><to>Tove</to></note>", encoding="utf-8")
    _, problems = read(g)
    assert "not an RSS or Atom feed" in one_problem(problems).message


def test_feed_reader_on_text_directly() -> None:
    items = list(read_feed(RSS, "wire"))
    assert [i.source for i in items] == ["wire#item 1", "wire#item 2"]


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    assert html_to_text("<p>One &amp; two</p><script>x()</script><p>Three<br>four</p>") == (
        "One & two\n\nThree\n\nfour"
    )


# --- sniffing and language ------------------------------------------------------------------


def test_sniffing_a_file_without_suffix(tmp_path: Path) -> None:
    assert sniff(' {"text": "x"}') is read_json
    assert sniff(RSS) is read_feed
    assert sniff("<html><body></body></html>") is read_html
    assert sniff("date 2017-04-19\nHello") is read_text
    f = tmp_path / "noext"
    f.write_text(RSS, encoding="utf-8")
    articles, _ = read(f)
    assert len(articles) == 2


def test_language_is_detected_when_the_source_does_not_say(tmp_path: Path) -> None:
    f = tmp_path / "de.txt"
    f.write_text(
        "Die Verteidigungsminister Japans und Australiens trafen sich am Mittwoch in Tokio und "
        "vereinbarten eine engere Zusammenarbeit bei gemeinsamen Übungen ihrer Streitkräfte.",
        encoding="utf-8",
    )
    (a,), _ = read(f)
    assert a.language == "de"
    assert detect_language("ok", None, IngestConfig()) is None
    g = tmp_path / "given.jsonl"
    g.write_text(json.dumps({"text": BODY, "language": "fr-FR"}) + "\n", encoding="utf-8")
    (b,), _ = read(g)
    assert b.language == "fr"  # the source says so: not second-guessed


# --- the bundled example corpus -------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "raa"


def test_every_file_of_the_example_corpus_is_read() -> None:
    files = list(expand([str(EXAMPLES)]))
    assert all(isinstance(f, Path) for f in files)
    assert files[0] == EXAMPLES / "README.md"  # read, and skipped as not an article
    _, problems = read(EXAMPLES / "README.md")
    assert "not an article" in one_problem(problems).message
    articles: list[RawArticle] = []
    for f in files[1:]:
        assert isinstance(f, Path)
        found, problems = read(f)
        assert problems == [], problems
        assert found, f
        articles += found
    assert 12 <= len(articles) <= 15
    by_source = {Path(a.source.split("#")[0]).suffix: set() for a in articles}
    for a in articles:
        by_source[Path(a.source.split("#")[0]).suffix].add(a.date_source)
        assert a.title and a.language == "en" and len(a.text) > 500
    assert by_source == {
        ".txt": {"given", None},
        ".jsonl": {"given"},
        ".html": {"metadata"},
        ".rss": {"metadata"},
    }
    undated = [a for a in articles if a.published is None]
    assert [Path(a.source).name for a in undated] == ["morrison-suga-agreement.txt"]
    dates = {a.published.isoformat() for a in articles if a.published}
    assert dates >= {
        "2007-03-13", "2010-05-19", "2014-07-08", "2015-11-22", "2017-01-14", "2017-04-19",
        "2017-04-20", "2018-01-18", "2022-01-06", "2022-10-22", "2023-08-13",
    }  # fmt: skip


def test_a_jsonl_of_blank_lines_is_named(tmp_path: Path) -> None:
    f = tmp_path / "blank.jsonl"
    f.write_text("\n" * 100_000, encoding="utf-8")
    articles, problems = read(f)
    assert articles == [] and "no records" in one_problem(problems).message


def test_a_null_maintext_is_named(tmp_path: Path) -> None:
    record = {"title": "T", "maintext": None, "date_publish": None}
    (p,) = list(read_json(json.dumps(record), "np.json"))
    assert isinstance(p, Problem) and p.kind == "skipped"
    assert p.message.startswith("field 'maintext' is empty")


def test_a_null_maintext_with_a_description_stores_the_description() -> None:
    record = {"title": "T", "maintext": None, "description": BODY, "date_publish": None}
    (a,) = list(read_json(json.dumps(record), "np.json"))
    assert isinstance(a, RawArticle) and a.text == BODY and a.title == "T"
    assert a.warnings == ["field 'maintext' is empty: its 'description' is stored as the text"]


def test_utf16_with_a_byte_order_mark_is_text(tmp_path: Path) -> None:
    f = tmp_path / "utf16.txt"
    f.write_bytes(BODY.encode("utf-16"))
    (a,), problems = read(f)
    assert problems == [] and a.text == BODY


def test_csv_delimiter_comes_from_the_header(tmp_path: Path) -> None:
    f = tmp_path / "commas.csv"
    text = "One; two; three; four; five; six. " + BODY
    f.write_text(f'title,text\nA,"{text}"\nB,"{text} Again; and again."\n', encoding="utf-8")
    articles, problems = read(f)
    assert problems == [] and [a.title for a in articles] == ["A", "B"]
    g = tmp_path / "semicolons.csv"
    g.write_text(f'title;text\nA;"{BODY}, with, commas"\n', encoding="utf-8")
    (a,), _ = read(g)
    assert a.title == "A" and a.text.endswith("with, commas")


def test_problems_are_one_line() -> None:
    assert Problem("skipped", "x", "first\n  second\tthird").message == "first second third"


def test_the_two_seeds(seeds: Path) -> None:
    articles: list[RawArticle] = []
    for path in expand([str(seeds)]):
        assert isinstance(path, Path)
        found, problems = read(path)
        assert problems == []
        articles += found
    dated = sorted((str(a.published), str(a.date_source)) for a in articles)
    assert dated == [("2017-04-19", "given"), ("None", "None")]


def test_gzip_compressed_collections(tmp_path: Path) -> None:
    import gzip

    f = tmp_path / "dump.jsonl.gz"
    with gzip.open(f, "wt", encoding="utf-8") as out:
        for i in range(3):
            out.write(json.dumps({"title": f"T{i}", "text": f"{BODY} ({i})"}) + "\n")
    articles, problems = read(f)
    assert problems == [] and [a.source for a in articles] == [f"{f}#line {i}" for i in (1, 2, 3)]
    g = tmp_path / "page.html.gz"
    g.write_bytes(gzip.compress((DATA / "page.html").read_bytes()))
    (a,), _ = read(g)
    assert a.date_source == "metadata"
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip at all")
    _, problems = read(broken)
    p = one_problem(problems)
    assert p.unreadable and p.message.startswith("cannot read")


@pytest.mark.parametrize("suffix", [".xz", ".bz2", ".zst"])
def test_xz_bz2_and_zstd_compressed_collections(tmp_path: Path, suffix: str) -> None:
    """News dumps ship as ``2017_processed.json.xz`` (news-please): read as the suffix under the
    compression says, a JSON array of records whole, JSONL streamed; a truncated one is named."""
    import bz2
    import lzma

    import zstandard

    packers = {".xz": lzma.compress, ".bz2": bz2.compress, ".zst": zstandard.compress}
    pack = packers[suffix]
    records = [
        {"title": f"T{i}", "maintext": f"{BODY} ({i})", "date_publish": "2017-05-01 14:04:36"}
        for i in range(3)
    ]
    array = tmp_path / f"2017_processed.json{suffix}"
    array.write_bytes(pack(json.dumps(records).encode()))
    articles, problems = read(array)
    assert problems == [] and [a.title for a in articles] == ["T0", "T1", "T2"]
    assert {str(a.published) for a in articles} == {"2017-05-01"}
    lines = tmp_path / f"dump.jsonl{suffix}"
    lines.write_bytes(pack("".join(json.dumps(r) + "\n" for r in records).encode()))
    articles, problems = read(lines)
    assert problems == [] and [a.source for a in articles] == [
        f"{lines}#line {i}" for i in (1, 2, 3)
    ]
    truncated = tmp_path / f"cut.jsonl{suffix}"
    truncated.write_bytes(pack(b'{"text": "x"}\n' * 100)[:30])
    _, problems = read(truncated)
    p = one_problem(problems)
    assert p.unreadable and p.message.startswith("cannot read")


def test_news_api_records_keep_date_outlet_and_say_once_that_text_was_cut(
    tmp_path: Path,
) -> None:
    """NewsAPI (newsapi.org): ``publishedAt``, ``source.name``, and ``content`` cut at 200
    characters with "[+N chars]", which is stored without the mark and reported once a file."""
    records = [
        {
            "source": {"id": None, "name": "Harbour Gazette"},
            "author": None,
            "title": f"Dredging plan {i}",
            "description": "The board agreed to dredge.",
            "url": f"https://gazette.example.org/news/{i}",
            "publishedAt": "2022-01-06T08:14:00Z",
            "content": f"{BODY} Item {i}\u2026 [+{1000 + i} chars]",
        }
        for i in range(3)
    ]
    f = tmp_path / "newsapi.json"
    f.write_text(json.dumps({"status": "ok", "totalResults": 3, "articles": records}))
    articles, problems = read(f)
    assert [a.title for a in articles] == ["Dredging plan 0", "Dredging plan 1", "Dredging plan 2"]
    assert {(str(a.published), a.date_source, a.source_name) for a in articles} == {
        ("2022-01-06", "given", "Harbour Gazette")
    }
    assert articles[0].text == f"{BODY} Item 0" and articles[0].url.endswith("/news/0")
    assert all(a.warnings == [] for a in articles)
    warning = one_problem(problems, "warning")
    assert warning.source == str(f) and warning.message.startswith("3 of its records")
    assert "cut" in warning.message and f"{f}#record 1" in warning.message


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        ("Talks ended. Item\u2026 [+1001 chars]", "Talks ended. Item"),
        ("Talks ended... [+12 chars]", "Talks ended"),
        ("Talks ended.\n[+7 chars]", "Talks ended."),
        ("Talks ended \u2026 \u2026[+7 chars]", "Talks ended \u2026"),
        ("\u2026 [+7 chars]", "\u2026 [+7 chars]"),  # nothing before the mark: kept as it is
        ("See [+7 chars] below.", "See [+7 chars] below."),  # not at the end: not a mark
        ("Up [+7 chars", "Up [+7 chars"),
    ],
)
def test_a_providers_cut_mark_goes_only_from_the_end(
    tmp_path: Path, content: str, kept: str
) -> None:
    """The mark, and the ellipsis and spaces before it, go when they end the text."""
    f = tmp_path / "cut.jsonl"
    f.write_text(json.dumps({"title": "Harbour", "text": content}) + "\n")
    articles, problems = read(f)
    assert [a.text for a in articles] == [kept]
    said = [p.message for p in problems if p.kind == "warning"]
    assert len(said) == (kept != content) and all("where its provider cut it" in m for m in said)


def test_guardian_and_new_york_times_api_answers_are_read(tmp_path: Path) -> None:
    """The records nested one object in (``response.results``, ``response.docs``), their
    fields under ``fields`` or behind ``headline.main``, their own names for date and URL."""
    guardian = tmp_path / "guardian.json"
    guardian.write_text(
        json.dumps(
            {
                "response": {
                    "status": "ok",
                    "results": [
                        {
                            "webPublicationDate": "2022-01-06T05:30:12Z",
                            "webTitle": "Harbour to be dredged",
                            "webUrl": "https://www.theguardian.com/uk/2022/jan/06/harbour",
                            "fields": {"trailText": "Work starts in October", "bodyText": BODY},
                        }
                    ],
                }
            }
        )
    )
    (g,), problems = read(guardian)
    assert problems == []
    assert (g.title, str(g.published), g.text) == ("Harbour to be dredged", "2022-01-06", BODY)
    assert g.url == "https://www.theguardian.com/uk/2022/jan/06/harbour"
    nyt = tmp_path / "nyt.json"
    nyt.write_text(
        json.dumps(
            {
                "status": "OK",
                "response": {
                    "docs": [
                        {
                            "abstract": "A channel will be dredged.",
                            "lead_paragraph": BODY,
                            "web_url": "https://www.nytimes.com/2022/01/06/harbour.html",
                            "headline": {"main": "Harbour Board Votes to Dredge", "kicker": None},
                            "pub_date": "2022-01-06T08:00:05+0000",
                            "source": "The New York Times",
                        }
                    ],
                    "meta": {"hits": 1},
                },
            }
        )
    )
    (n,), problems = read(nyt)
    assert (n.title, str(n.published), n.text) == (
        "Harbour Board Votes to Dredge",
        "2022-01-06",
        BODY,
    )
    assert n.url.endswith("harbour.html") and n.source_name == "The New York Times"
    assert n.warnings == ["no text field: its 'lead_paragraph' is stored as the text"]
    assert problems == []


def test_a_zip_archive_is_read_member_by_member_under_the_folder_rules(tmp_path: Path) -> None:
    """Each file of a zip read as a file of that name would be (no extraction): JSONL, a gzipped
    JSONL, a Timeline17 topic dated from its member paths, its ``timelines/`` left out, hidden
    and archiver files passed over, an archive inside it named and not opened."""
    import gzip
    import zipfile

    record = json.dumps({"title": "Dredging", "text": BODY, "date": "2017-04-19"}) + "\n"
    archive = tmp_path / "news.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("dump.jsonl", record)
        z.writestr(
            "more/dump.jsonl.gz", gzip.compress(record.replace("western", "eastern").encode())
        )
        z.writestr("bpoil_bbc/InputDocs/2010-04-21/1.htm.txt", BODY.replace("harbour", "port"))
        z.writestr("bpoil_bbc/timelines/bbc.txt", "2010-04-20\nRig explodes\n" + "-" * 32 + "\n")
        z.writestr("bpoil_bbc/keywords.json", '["bpoil"]')
        z.writestr("__MACOSX/._dump.jsonl", b"\x00\x05\x16\x07")
        z.writestr(".DS_Store", b"\x00\x00")
        z.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
        z.writestr("locked.txt", BODY)
    # mark locked.txt encrypted in the central directory (zipfile writes no encryption itself):
    # the general-purpose flag of its entry, 8 bytes after the entry's signature
    data = bytearray(archive.read_bytes())
    entry = data.rindex(b"PK\x01\x02")  # the last central-directory entry: locked.txt's
    assert data[entry + 46 : entry + 56] == b"locked.txt"
    data[entry + 8] |= 0x1
    archive.write_bytes(bytes(data))
    articles, problems = read(archive)
    assert sorted((a.source, str(a.published), a.date_source) for a in articles) == [
        (f"{archive}#bpoil_bbc/InputDocs/2010-04-21/1.htm.txt", "2010-04-21", "path"),
        (f"{archive}#dump.jsonl#line 1", "2017-04-19", "given"),
        (f"{archive}#more/dump.jsonl.gz#line 1", "2017-04-19", "given"),
    ]
    assert sorted((p.source, p.message) for p in problems) == [
        (f"{archive}#inner.zip", "an archive inside an archive is not opened"),
        (f"{archive}#locked.txt", "encrypted: needs a password, not read"),
    ]
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    _, problems = read(broken)
    p = one_problem(problems)
    assert p.unreadable and p.message.startswith("cannot read")


def test_an_empty_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".hidden").write_text("# notes", encoding="utf-8")
    found = list(expand([str(tmp_path / "empty"), str(tmp_path / "docs")]))
    assert [(p.source, p.message) for p in found if isinstance(p, Problem)] == [
        (str(tmp_path / "empty"), "no article files in this folder"),
        (str(tmp_path / "docs"), "no article files in this folder"),
    ]


def test_zstd_frames_and_a_cut_stream(tmp_path: Path) -> None:
    """A .zst of several frames (as ``pzstd`` writes) is read whole; a copy cut short keeps
    the records before the cut and is named as cut, as a cut gzip is, instead of ending
    quietly as a shorter file; a .zst inside a zip is read as the member."""
    import zipfile

    import zstandard

    lines = [json.dumps({"title": f"T{i}", "text": f"{BODY} ({i})"}) + "\n" for i in range(400)]
    frames = tmp_path / "dump.jsonl.zst"
    frames.write_bytes(
        zstandard.compress("".join(lines[:150]).encode())
        + zstandard.compress("".join(lines[150:]).encode())
    )
    articles, problems = read(frames)
    assert problems == [] and len(articles) == 400 and articles[-1].title == "T399"
    many = [json.dumps({"title": f"T{i}", "text": f"{BODY} ({i})"}) + "\n" for i in range(4000)]
    whole = zstandard.compress("".join(many).encode(), level=1)  # blocks of 128 KiB
    cut = tmp_path / "cut.jsonl.zst"
    cut.write_bytes(whole[: len(whole) // 2])
    articles, problems = read(cut)
    p = one_problem(problems)
    assert p.unreadable and "cut short" in p.message
    assert 0 < len(articles) < 4000 and [a.title for a in articles[:2]] == ["T0", "T1"]
    archive = tmp_path / "dumps.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(frames, "2017/dump.jsonl.zst")
    articles, problems = read(archive)
    assert problems == [] and articles[0].source == f"{archive}#2017/dump.jsonl.zst#line 1"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("dump.jsonl", ".jsonl"),
        ("dump.jsonl.gz", ".jsonl"),
        ("2017_processed.json.xz", ".json"),
        ("rows.csv.bz2", ".csv"),
        ("dump.jsonl.zst", ".jsonl"),
        ("cc_news.parquet", ".parquet"),
        ("story.php?id=123", ".php"),
        ("news.zip", ".zip"),
        ("01.tgz", ".tar"),
        ("data.tar.zst", ".tar"),
    ],
)
def test_one_rule_names_the_format_for_the_readers_and_the_dask_driver(name: str, fmt: str) -> None:
    """The Dask driver streams the files whose reader streams: it asks the readers' own rule,
    so a compressed JSONL is split into partitions, not read whole by one worker."""
    from storyline.parallel import _streamed
    from storyline.sources.detect import COLUMNAR, STREAMED, format_of

    assert format_of(Path(name))[0] == fmt
    assert _streamed(Path(name)) == (fmt in STREAMED or fmt in COLUMNAR)
