"""`storyline ingest / articles / show / stats` through the real entry point, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RunCli
from storyline.store import SQLiteStore

NEWS_XML = Path(__file__).parent / "data" / "sources" / "newsxml"


def test_ingest_seeds_stores_two_articles_one_given_one_not(
    run_cli: RunCli, seeds: Path, db_path: Path
) -> None:
    result = run_cli("ingest", str(seeds), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["accepted"] == 2 and report["skipped"] == [] and report["duplicates"] == 0
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list) and len(rows) == 2
    by_source = {Path(r["source"]).name[:3]: r for r in rows}
    assert (by_source["004"]["published"], by_source["004"]["date_source"]) == (
        "2017-04-19",
        "given",
    )
    assert by_source["000"]["date_source"] in (None, "inferred")
    for row in rows:
        assert {"id", "title", "published", "date_source", "source"} <= set(row)


def test_reingest_is_a_noop_and_not_a_failure(run_cli: RunCli, seeds: Path, db_path: Path) -> None:
    run_cli("ingest", str(seeds), "--db", str(db_path))
    again = run_cli("ingest", str(seeds), "--db", str(db_path), "--json")
    assert again.code == 0
    assert again.json()["accepted"] == 0 and again.json()["duplicates"] == 2


def test_stdin_glob_show_and_stats(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    text = "date 2017-04-19\nThe ministers met in Tokyo on Wednesday. They agreed to deepen ties.\n"
    assert run_cli("ingest", "-", "--db", str(db_path), stdin=text).code == 0
    (tmp_path / "a.txt").write_text("date 2020-11-18\nThe leaders met on Tuesday in Tokyo.\n")
    assert run_cli("ingest", str(tmp_path / "*.txt"), "--db", str(db_path)).code == 0
    rows = run_cli("articles", "--db", str(db_path), "--json", "--query", "leaders").json()
    assert [r["published"] for r in rows] == ["2020-11-18"]
    shown = run_cli("show", rows[0]["id"], "--db", str(db_path), "--json").json()
    assert shown["sentences"][0]["text"] == "The leaders met on Tuesday in Tokyo."
    assert shown["text"][shown["sentences"][0]["start"] : shown["sentences"][0]["end"]] == (
        "The leaders met on Tuesday in Tokyo."
    )
    figures = run_cli("stats", "--db", str(db_path), "--json").json()
    assert figures["articles"] == 2 and figures["by_date_source"] == {"given": 2}
    assert run_cli("articles", "--db", str(db_path), "--json", "--limit", "1").json().__len__() == 1


def test_an_abbreviation_nupunkt_does_not_know_does_not_end_a_sentence(
    run_cli: RunCli, db_path: Path
) -> None:
    """The seed 000's "under the Japan-U.S. security pact." was stored as two sentences, and its
    timeline cited the first half; so were "Interpublic Group of Cos. fell …" and "the
    A.C.L.U. ran …" in finance news. "U.S. The talks" still ends one."""
    text = (
        "date 2020-11-17\n"
        "The deal is the first since its 1960 agreement under the Japan-U.S. security pact. "
        "It also eases Sino-U.S. tension, officials said. Tokyo signed with Japan-U.S. The "
        "talks went on. Interpublic Group of Cos. fell 5 percent. In July, the A.C.L.U. ran a "
        "study. Prices rose. iPhone sales fell.\n"
    )
    assert run_cli("ingest", "-", "--db", str(db_path), stdin=text).code == 0
    (row,) = run_cli("articles", "--db", str(db_path), "--json").json()
    shown = run_cli("show", row["id"], "--db", str(db_path), "--json").json()
    assert [s["text"] for s in shown["sentences"]] == [
        "The deal is the first since its 1960 agreement under the Japan-U.S. security pact.",
        "It also eases Sino-U.S. tension, officials said.",
        "Tokyo signed with Japan-U.S.",
        "The talks went on.",
        "Interpublic Group of Cos. fell 5 percent.",
        "In July, the A.C.L.U. ran a study.",
        "Prices rose.",
        "iPhone sales fell.",
    ]
    for s in shown["sentences"]:
        assert shown["text"][s["start"] : s["end"]] == s["text"]


def test_unknown_article_and_bad_dates_are_one_line_errors(run_cli: RunCli, db_path: Path) -> None:
    SQLiteStore(db_path).close()  # an empty store: readers refuse a missing one
    missing = run_cli("show", "nope", "--db", str(db_path))
    assert missing.code != 0 and "no article with id 'nope'" in missing.err
    assert "Traceback" not in missing.err
    bad = run_cli("articles", "--since", "2017-13-01", "--db", str(db_path))
    assert bad.code != 0 and "not a date" in bad.err


def test_missing_path_fails_the_run_but_keeps_what_was_read(
    run_cli: RunCli, seeds: Path, db_path: Path
) -> None:
    result = run_cli("ingest", str(seeds), "/no/such/folder", "--db", str(db_path), "--json")
    assert result.code == 1
    report = result.json()
    assert report["accepted"] == 2
    assert report["skipped"] == [{"source": "/no/such/folder", "reason": "no such file or folder"}]


@pytest.mark.shared_data
def test_t17_topic_is_dated_from_its_paths(
    run_cli: RunCli, shared_data: Path, db_path: Path
) -> None:
    topic = shared_data / "t17" / "H1N1_bbc"
    report = run_cli("ingest", str(topic), "--db", str(db_path), "--json").json()
    files = [p for p in (topic / "InputDocs").rglob("*.txt")]
    empty = [p for p in files if not p.read_text(errors="replace").strip()]
    assert report["accepted"] == len(files) - len(empty)
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert {r["date_source"] for r in rows} == {"path"}
    assert all(Path(r["source"]).parent.name == r["published"] for r in rows)


def test_csv_column_options_name_what_detection_cannot_guess(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Kopf,Beschreibung,Tag\n"
        '"Ministers meet","The ministers met in Tokyo on Wednesday to deepen ties.",2017-04-19\n'
    )
    guessed = run_cli("ingest", str(sheet), "--db", str(db_path), "--json").json()
    assert guessed["accepted"] == 0 and "--text-column" in guessed["skipped"][0]["reason"]
    named = run_cli(
        "ingest",
        str(sheet),
        "--db",
        str(db_path),
        "--json",
        "--text-column",
        "Beschreibung",
        "--title-column",
        "Kopf",
        "--date-column",
        "Tag",
    )
    assert named.code == 0 and named.json()["accepted"] == 1
    row = run_cli("articles", "--db", str(db_path), "--json").json()[0]
    assert (row["title"], row["published"], row["date_source"]) == (
        "Ministers meet",
        "2017-04-19",
        "given",
    )


def test_a_news_api_download_is_ingested_dated_with_one_warning(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """What a user saves from newsapi.org: every record dated from ``publishedAt``; the cut
    ``content`` is said once for the file, not once per record."""
    import json

    records = [
        {
            "source": {"id": None, "name": "Harbour Gazette"},
            "title": f"Dredging vote {i}",
            "url": f"https://gazette.example.org/{i}",
            "publishedAt": f"2022-01-0{i + 1}T08:14:00Z",
            "content": f"The harbour board voted on item {i} of the western channel plan, "
            f"its chair said after {i + 2} hours of debate. [+{900 + i} chars]",
        }
        for i in range(4)
    ]
    f = tmp_path / "everything.json"
    f.write_text(json.dumps({"status": "ok", "totalResults": 4, "articles": records}))
    result = run_cli("ingest", str(f), "--db", str(db_path))
    assert result.code == 0, result.err
    warnings = [line for line in result.out.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "4 of its records" in warnings[0], result.out
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"]) for r in rows) == [
        (f"2022-01-0{i + 1}", "given") for i in range(4)
    ]


def test_finance_news_records_ingest_as_shipped(
    run_cli: RunCli, shared_data: Path, db_path: Path
) -> None:
    """Real news-please records, compressed as the data set ships them (``.json.xz``): every
    distinct record stored with its publication day, the repeats named as duplicates."""
    import json
    import lzma

    f = shared_data / "finance-news" / "2017_processed.json.xz"
    if not f.is_file():
        pytest.skip(f"{f} is absent")
    records = json.loads(lzma.decompress(f.read_bytes()))
    result = run_cli("ingest", str(f), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["skipped"] == []
    stored = report["accepted"] + report["duplicates"]
    assert stored == len(records) and report["accepted"] > 0.9 * len(records)
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list) and len(rows) == report["accepted"]
    assert all(r["date_source"] == "given" and r["published"][:4] == "2017" for r in rows)


def test_a_date_header_in_other_words_is_the_given_date(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """``Date: 19 April 2017`` leads a text as the seeds' ``date 2017-04-19`` does: the date is
    given, and the line is neither the title nor part of the body."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Date: 19 April 2017\nHarbour to be dredged\n\nThe harbour board met on Tuesday and "
        "agreed to dredge the western channel before winter.\n",
        encoding="utf-8",
    )
    assert run_cli("ingest", str(folder), "--db", str(db_path)).code == 0
    (row,) = run_cli("articles", "--db", str(db_path), "--json").json()  # type: ignore[misc]
    assert (row["published"], row["date_source"], row["title"]) == (
        "2017-04-19",
        "given",
        "Harbour to be dredged",
    )
    shown = run_cli("show", row["id"], "--db", str(db_path))
    assert "Tuesday → 2017-04-18" in shown.out and "Date:" not in shown.out


def test_a_web_address_is_named_as_one_and_nothing_is_fetched(
    run_cli: RunCli, db_path: Path
) -> None:
    result = run_cli("ingest", "https://news.example.org/harbour-2017-04-19", "--db", str(db_path))
    assert result.code == 1
    (line,) = [x for x in result.out.splitlines() if x.startswith("skipped")]
    assert "a web address" in line and "fetches nothing" in line and "curl" in line


def test_a_zipped_data_set_is_ingested_without_unpacking(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """A data set shared as a zip (a CSV dump and an article beside it): every member stored,
    each named by the archive and its place in it."""
    import zipfile

    archive = tmp_path / "dataset.zip"
    rows = [
        "title,content,date",
        '"Harbour to be dredged","The harbour board met on Tuesday and agreed to dredge the '
        'western channel before winter.",2017-04-19',
        '"Bridge reopens","The old bridge reopened on Wednesday after six months of repairs, the '
        'council said.",2017-04-20',
    ]
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("all-the-news/articles.csv", "\n".join(rows) + "\n")
        z.writestr("all-the-news/ferry.txt", "date 2017-04-21\nThe ferry was delayed on Friday.\n")
    result = run_cli("ingest", str(archive), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 3 and report["skipped"] == []
    rows_out = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows_out, list)
    assert sorted((r["published"], r["source"]) for r in rows_out) == [
        ("2017-04-19", f"{archive}#all-the-news/articles.csv#line 2"),
        ("2017-04-20", f"{archive}#all-the-news/articles.csv#line 3"),
        ("2017-04-21", f"{archive}#all-the-news/ferry.txt"),
    ]


def test_markdown_posts_and_clippings_are_read_and_a_readme_is_not(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """A static site's posts (Jekyll's YAML front matter, Hugo's TOML) and a web clipping are
    articles dated by their front matter, their Markdown read as text; the README beside them
    and a documentation page are skipped, each saying why, and a broken front matter names
    its line."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "2017-04-20-harbour.md").write_text(
        '---\nlayout: post\ntitle: "Harbour to be dredged"\ndate: 2017-04-20 10:00:00 +0900\n'
        "---\nThe harbour board met on **Tuesday** and agreed to [dredge](https://x.org/d) the "
        "western channel.\n\n![map](map.png)\n\n- Work starts in May.\n\n```\nnot news\n```\n",
        encoding="utf-8",
    )
    (folder / "bridge.md").write_text(
        '+++\ntitle = "Bridge reopens"\ndate = 2017-04-21T09:00:00+01:00\n+++\n\n'
        "# Bridge reopens\n\nThe old bridge reopened on Thursday after six months of repairs.\n",
        encoding="utf-8",
    )
    (folder / "Ferry delayed.md").write_text(
        '---\ntitle: "Ferry delayed"\nsource: "https://news.example.org/ferry"\n'
        "published: 2017-04-22\ncreated: 2026-12-01\ntags:\n  - clippings\n---\n"
        "The morning ferry was delayed on Saturday by fog, the operator said.\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text(
        "# About\n\nArticles about the harbour that we collected in 2017 for a study.\n",
        encoding="utf-8",
    )
    (folder / "guide.md").write_text(
        "---\ntitle: Getting started\nsidebar_position: 1\n---\nRead the articles here first.\n",
        encoding="utf-8",
    )
    (folder / "broken.md").write_text(
        '---\ntitle: "unclosed\ndate: 2017-04-20\n---\nThe board met on Tuesday.\n',
        encoding="utf-8",
    )
    result = run_cli("ingest", str(folder), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 3
    skipped = {Path(s["source"]).name: s["reason"] for s in report["skipped"]}
    assert "not an article" in skipped["README.md"] and "front matter" in skipped["README.md"]
    assert "names no publication date" in skipped["guide.md"]
    assert skipped["broken.md"].startswith("front matter is not valid YAML (line 2")
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2017-04-20", "given", "Harbour to be dredged"),
        ("2017-04-21", "given", "Bridge reopens"),
        ("2017-04-22", "given", "Ferry delayed"),
    ]
    harbour = next(r for r in rows if r["title"] == "Harbour to be dredged")
    shown = run_cli("show", harbour["id"], "--db", str(db_path), "--json").json()
    assert isinstance(shown, dict)
    text = shown["text"]
    assert "met on Tuesday and agreed to dredge the western channel." in text
    assert "**" not in text and "map" not in text and "not news" not in text
    assert "Work starts in May." in text
    ferry = next(r for r in rows if r["title"] == "Ferry delayed")
    with SQLiteStore(db_path) as store:
        (article,) = store.articles(ids=[ferry["id"]])
    assert article.url == "https://news.example.org/ferry"


def _warc(path: Path, pages: list[tuple[str, bytes, str, str]]) -> None:
    """A gzipped WARC as a crawler writes it: crawl info, then a request and a response per URI."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, body, content_type, status in pages:
            request = BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            writer.write_record(writer.create_warc_record(uri, "request", payload=request))
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=BytesIO(body), http_headers=headers
                )
            )


def _page(title: str, text: str, day: str, charset: str = "utf-8") -> bytes:
    return (
        f'<html><head><meta property="article:published_time" content="{day}">'
        f"<title>{title}</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>"
        f"<p>{text}</p><p>The council said more work would follow in the coming weeks.</p>"
        "</article></body></html>"
    ).encode(charset)


def test_a_web_archive_is_read_page_by_page(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    """A crawl's WARC: each page stored as an article dated by its markup, in the charset its
    HTTP header names, addressed by its URI; everything else counted in one warning; a copy
    cut short keeps its whole records and says it was cut; a '.warc' that is not one is
    skipped, saying so."""
    folder = tmp_path / "crawl"
    folder.mkdir()
    crawl = folder / "news.warc.gz"
    _warc(
        crawl,
        [
            (
                "https://news.example.org/2017/04/19/harbour",
                _page(
                    "Harbour to be dredged",
                    "The board agreed on Wednesday to dredge the western channel.",
                    "2017-04-19",
                ),
                "text/html; charset=utf-8",
                "200 OK",
            ),
            (
                "https://news.example.org/logo.png",
                b"\x89PNG\r\n\x1a\n" + bytes(200),
                "image/png",
                "200 OK",
            ),
            ("https://news.example.org/old", b"", "text/html", "301 Moved Permanently"),
            (
                "https://news.example.org/2017/04/20/cafe",
                _page(
                    "Café reopens",
                    "The harbour café of Zoë Müller reopened on Thursday.",
                    "2017-04-20",
                    "latin-1",
                ),
                "text/html; charset=iso-8859-1",
                "200 OK",
            ),
        ],
    )
    whole = crawl.read_bytes()
    (tmp_path / "cut").mkdir()
    cut = tmp_path / "cut" / "copy.warc.gz"
    cut.write_bytes(whole[: len(whole) - 200])
    (folder / "notes.warc").write_text("not an archive\n", encoding="utf-8")

    result = run_cli("ingest", str(folder), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 2
    (skipped,) = report["skipped"]
    assert skipped["source"].endswith("notes.warc") and "not a web archive" in skipped["reason"]
    (warning,) = [w for w in report["warnings"] if w["source"].endswith("news.warc.gz")]
    assert "7 of its 9 records are not web pages" in warning["message"]
    assert "4 requests" in warning["message"] and "1 redirects or errors" in warning["message"]
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2017-04-19", "metadata", "Harbour to be dredged"),
        ("2017-04-20", "metadata", "Café reopens"),
    ]
    with SQLiteStore(db_path) as store:
        cafe = next(a for a in store.articles() if a.title == "Café reopens")
    assert "café of Zoë Müller reopened on Thursday." in cafe.text
    assert cafe.url == "https://news.example.org/2017/04/20/cafe"
    assert cafe.source == f"{crawl}#record 9"

    again = run_cli("ingest", str(cut), "--db", str(db_path), "--json").json()
    assert isinstance(again, dict) and again["duplicates"] == 1 and again["skipped"] == []
    (cut_warning,) = [w for w in again["warnings"] if "cut short" in w["message"]]
    assert "the records before the cut were read" in cut_warning["message"]


def test_an_excel_workbook_is_read_sheet_by_sheet(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """A desk's workbook: the data sheet's rows are articles (an Excel date cell and a date
    typed as text both given), its notes sheet is skipped by name, a row without text by its
    row; the same workbook zipped is read from the archive; a legacy .xls says what to do."""
    import datetime as dt
    import zipfile

    import openpyxl

    folder = tmp_path / "desk"
    folder.mkdir()
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes["A1"] = "Collected by the harbour desk"
    sheet = book.create_sheet("Articles")
    sheet.append(["Headline", "Published", "Body", "Link"])
    sheet.append(
        [
            "Harbour to be dredged",
            dt.datetime(2017, 4, 19, 9, 30),
            "The harbour board met on Tuesday and agreed to dredge the western channel.",
            "https://news.example.org/harbour",
        ]
    )
    sheet.append([])
    sheet.append(
        ["Bridge reopens", "2017-04-20", "The old bridge reopened on Thursday after repairs."]
    )
    sheet.append(["Placeholder", dt.date(2017, 4, 21), None])
    book.save(folder / "desk.xlsx")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200))

    result = run_cli("ingest", str(folder), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 2
    skipped = {s["source"].split("/")[-1]: s["reason"] for s in report["skipped"]}
    assert skipped["desk.xlsx#Notes"].startswith("no text column")
    assert "'Collected by the harbour desk'" in skipped["desk.xlsx#Notes"]
    assert skipped["desk.xlsx#Articles!row 5"].startswith("field 'Body' is empty")
    assert "save it as .xlsx or .csv" in skipped["old.xls"]
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2017-04-19", "given", "Harbour to be dredged"),
        ("2017-04-20", "given", "Bridge reopens"),
    ]

    archive = tmp_path / "desk.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(folder / "desk.xlsx", "2017/desk.xlsx")
    zipped = tmp_path / "zipped.db"
    again = run_cli("ingest", str(archive), "--db", str(zipped), "--json").json()
    assert isinstance(again, dict) and again["accepted"] == 2
    sources = sorted(r["source"] for r in run_cli("articles", "--db", str(zipped), "--json").json())  # type: ignore[union-attr]
    assert f"{archive}#2017/desk.xlsx#Articles!row 4" in sources


def test_a_nexis_export_and_a_word_article_are_read(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """A Nexis export (.docx): its cover page passed over, each document an article with its
    title, outlet and date line, the text between 'Body' and 'Load-Date'; a Word file that is
    one article, titled by its heading and dated by its 'Date:' line; a legacy .doc named."""
    import docx

    folder = tmp_path / "nexis"
    folder.mkdir()
    export = docx.Document()
    for line in ("Results list for: harbour", "Documents (2)", "Client/Matter: -None-"):
        export.add_paragraph(line)
    for title, outlet, when, text in (
        ("Harbour to be dredged", "The Coast Herald", "April 19, 2017 Wednesday",
         "The harbour board met on Tuesday and agreed to dredge the western channel."),
        ("Bridge reopens", "Valley News", "20 April 2017",
         "The old bridge reopened on Thursday after six months of repairs."),
    ):  # fmt: skip
        for line in (title, outlet, when, "Length: 120 words", "Byline: A. Writer", "Body", text):
            export.add_paragraph(line)
        for line in ("Load-Date: April 22, 2017", "End of Document"):
            export.add_paragraph(line)
    export.save(folder / "export.docx")
    single = docx.Document()
    single.add_heading("Ferry delayed", level=1)
    single.add_paragraph("Date: 21 April 2017")
    single.add_paragraph("The morning ferry was delayed on Friday by fog, the operator said.")
    single.save(folder / "ferry.docx")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))

    result = run_cli("ingest", str(folder), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 3
    (skipped,) = report["skipped"]
    assert skipped["source"].endswith("old.doc") and "save it as .docx" in skipped["reason"]
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2017-04-19", "given", "Harbour to be dredged"),
        ("2017-04-20", "given", "Bridge reopens"),
        ("2017-04-21", "given", "Ferry delayed"),
    ]
    with SQLiteStore(db_path) as store:
        harbour = next(a for a in store.articles() if a.title == "Harbour to be dredged")
    assert harbour.source == f"{folder / 'export.docx'}#document 1"
    assert harbour.source_name == "The Coast Herald"
    assert harbour.text == (
        "The harbour board met on Tuesday and agreed to dredge the western channel."
    )


def test_a_factiva_export_is_many_articles(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    """A Factiva HTML export: each article of the page stored on its own, dated by its date
    line, with its outlet (it was one article of everything, or a page over the limit)."""
    articles = "".join(
        f'<div class="article enArticle"><div id="hd"><span class="enHeadline">{title}</span>'
        f"</div><div>120 words</div><div>{day}</div><div>{outlet}</div><div>CODE</div>"
        f'<div>English</div><p class="articleParagraph enarticleParagraph">{text}</p>'
        "<div>Document X</div></div>"
        for title, day, outlet, text in (
            ("Harbour to be dredged", "19 April 2017", "The Coast Herald",
             "The harbour board met on Tuesday and agreed to dredge the western channel."),
            ("Bridge reopens", "20 April 2017", "Valley News",
             "The old bridge reopened on Thursday after six months of repairs."),
        )
    )  # fmt: skip
    page = tmp_path / "Factiva-20170421.html"
    page.write_text(f"<html><body>{articles}</body></html>", encoding="utf-8")
    result = run_cli("ingest", str(page), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2017-04-19", "given", "Harbour to be dredged"),
        ("2017-04-20", "given", "Bridge reopens"),
    ]
    with SQLiteStore(db_path) as store:
        bridge = next(a for a in store.articles() if a.title == "Bridge reopens")
    assert (bridge.source, bridge.source_name) == (f"{page}#article 2", "Valley News")
    assert bridge.text == "The old bridge reopened on Thursday after six months of repairs."


def test_a_parquet_table_is_read_row_by_row(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    """A table shaped like Hugging Face's CC-News (title, text, domain, date as text,
    description, url, image bytes): each row an article, the description kept for a row whose
    text is empty (with a warning), the domain as outlet; the same table zipped is read from
    the archive; a file cut short is named, nothing of it stored."""
    import zipfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {
            "title": "Harbour to be dredged",
            "text": "The harbour board met on Tuesday and agreed to dredge the western channel.",
            "domain": "coastherald.example",
            "date": "2017-04-19 00:00:00",
            "description": "Dredging approved.",
            "url": "https://coastherald.example/harbour",
            "image": b"\x89PNG" + bytes(64),
        },
        {
            "title": "Bridge reopens",
            "text": "",
            "domain": "valleynews.example",
            "date": "2017-04-20 00:00:00",
            "description": "The old bridge reopened on Thursday after six months of repairs.",
            "url": "https://valleynews.example/bridge",
            "image": None,
        },
    ]
    table = tmp_path / "cc_news-00000-of-00001.parquet"
    pq.write_table(pa.Table.from_pylist(rows), table)
    (tmp_path / "cut.parquet").write_bytes(table.read_bytes()[:200])

    result = run_cli(
        "ingest", str(table), str(tmp_path / "cut.parquet"), "--db", str(db_path), "--json"
    )
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 2
    (cut,) = report["skipped"]
    assert cut["source"].endswith("cut.parquet")
    assert cut["reason"].startswith("not a readable Parquet file")
    rows_out = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows_out, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows_out) == [
        ("2017-04-19", "given", "Harbour to be dredged"),
        ("2017-04-20", "given", "Bridge reopens"),
    ]
    with SQLiteStore(db_path) as store:
        bridge = next(a for a in store.articles() if a.title == "Bridge reopens")
    assert (bridge.source, bridge.source_name) == (f"{table}#row 2", "valleynews.example")
    assert bridge.text == "The old bridge reopened on Thursday after six months of repairs."

    archive = tmp_path / "cc_news.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(table, "data/train.parquet")
    zipped = tmp_path / "zipped.db"
    again = run_cli("ingest", str(archive), "--db", str(zipped), "--json").json()
    assert isinstance(again, dict) and again["accepted"] == 2


def test_a_month_of_the_nyt_corpus_as_it_ships(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    """The NYT Annotated Corpus ships NITF files a month to a .tgz: ingested as given, each
    article dated by its pubdata and named by its path in the archive; a NITF file piped in
    on standard input is read too."""
    import tarfile

    nitf = (NEWS_XML / "nyt-0000001.xml").read_text(encoding="utf-8")
    second = (
        nitf.replace("20170421T000000", "20170422T000000")
        .replace("Japan and Australia Press On With Defense Pact", "Ministers Meet in Tokyo")
        .replace("pressed on Thursday", "met on Friday")
    )
    folder = tmp_path / "2017" / "04"
    folder.mkdir(parents=True)
    (folder / "0000001.xml").write_text(nitf, encoding="utf-8")
    (folder / "0000002.xml").write_text(second, encoding="utf-8")
    archive = tmp_path / "04.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, "04")
    result = run_cli("ingest", str(archive), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2017-04-21", "given", "Japan and Australia Press On With Defense Pact"),
        ("2017-04-22", "given", "Ministers Meet in Tokyo"),
    ]
    with SQLiteStore(db_path) as store:
        sources = sorted(a.source for a in store.articles())
    assert sources == [f"{archive}#04/0000001.xml", f"{archive}#04/0000002.xml"]
    piped = run_cli("ingest", "-", "--db", str(tmp_path / "piped.db"), "--json", stdin=nitf)
    assert piped.code == 0, piped.err
    report = piped.json()
    assert isinstance(report, dict) and report["accepted"] == 1


def test_pdfs_are_read(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    """A press release saved as PDF is stored, titled and dated by its own lines; a scanned
    PDF (no text) is skipped with a reason that says what to do, and nothing else printed."""
    import shutil

    from pdf_maker import make_pdf

    folder = tmp_path / "releases"
    folder.mkdir()
    shutil.copy(NEWS_XML.parent / "release.pdf", folder / "release.pdf")
    (folder / "scan.pdf").write_bytes(make_pdf([[]]))
    result = run_cli("ingest", str(folder), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 1
    (skipped,) = report["skipped"]
    assert skipped["source"].endswith("scan.pdf") and "needs OCR" in skipped["reason"]
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert [(r["published"], r["date_source"], r["title"]) for r in rows] == [
        ("2020-11-17", "given", "Japan and Australia agree on access pact")
    ]


def test_a_mailbox_of_press_releases(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    """A mailbox exported from a mail program: each message with text stored, dated by when
    it was sent, the image-only one skipped by its number."""
    mailbox = NEWS_XML.parent / "releases.mbox"
    result = run_cli("ingest", str(mailbox), "--db", str(db_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict) and report["accepted"] == 2
    assert [s["source"] for s in report["skipped"]] == [f"{mailbox}#message 3"]
    rows = run_cli("articles", "--db", str(db_path), "--json").json()
    assert isinstance(rows, list)
    assert sorted((r["published"], r["date_source"], r["title"]) for r in rows) == [
        ("2020-11-17", "metadata", "Japan and Australia agree in principle on reciprocal access agreement"),
        ("2020-11-18", "metadata", "China criticises the access pact"),
    ]  # fmt: skip
