"""Real inputs that used to break the readers (issue 9), each read as a user's file would be.

Charsets a file declares (or does not), symlink loops, unreadable folders, documentation beside
the articles, pages saved under a web suffix, an unterminated CSV quote, a null news-please
maintext, and a reader library that cannot be imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.sources.base import Problem, RawArticle
from storyline.sources.detect import expand, read_file

DATA = Path(__file__).parent / "data" / "sources"
BODY = (
    "The harbour board met on Tuesday and agreed to dredge the western channel before winter. "
    "Work will start in October and last six weeks, the board's chair told reporters."
)
MUNICH = (
    "Der Stadtrat von München hat am Dienstag beschlossen, die Brücke über die Isar zu "
    "erneuern. Die Arbeiten beginnen im Oktober und dauern sechs Wochen, sagte die Bürgermeisterin."
)


def read(path: Path) -> tuple[list[RawArticle], list[Problem]]:
    items = list(read_file(path))
    return (
        [i for i in items if isinstance(i, RawArticle)],
        [i for i in items if isinstance(i, Problem)],
    )


def page(body: str, head: str = "") -> str:
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<html><head>{head}<title>Stadtrat</title></head><body><article><h1>Stadtrat</h1>"
        f"{paragraphs}</article></body></html>"
    )


# --- item 2: charsets -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],
)
def test_a_latin1_page_declaring_its_charset_is_read_in_it(tmp_path: Path, head: str) -> None:
    f = tmp_path / "page.html"
    f.write_bytes(page(MUNICH, head).encode("latin-1"))
    (a,), problems = read(f)
    assert problems == []
    assert "München" in a.text and "Brücke" in a.text and "\ufffd" not in a.text


@pytest.mark.parametrize(
    ("charset", "text", "word"),
    [
        (
            "euc-kr",
            "서울시 의회는 화요일 한강 다리를 보수하기로 결정했다. 공사는 시월에 시작된다. " * 4,
            "서울시",
        ),
        (
            "shift_jis",
            "東京都議会は火曜日、隅田川の橋を修理することを決めた。工事は十月に始まる。" * 4,
            "東京都議会",
        ),
    ],
)
def test_east_asian_pages_declaring_their_charset(
    tmp_path: Path, charset: str, text: str, word: str
) -> None:
    f = tmp_path / "page.html"
    f.write_bytes(page(text, f'<meta charset="{charset}">').encode(charset))
    (a,), problems = read(f)
    assert problems == [] and word in a.text and "\ufffd" not in a.text


def test_an_iso_8859_1_feed_is_read_in_its_declared_charset(tmp_path: Path) -> None:
    f = tmp_path / "feed.rss"
    feed = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Zeitung'
        f"</title><item><title>Brücke in München</title><description>{MUNICH}</description>"
        "<pubDate>Tue, 19 Apr 2017 08:00:00 +0200</pubDate></item></channel></rss>"
    )
    f.write_bytes(feed.encode("iso-8859-1"))
    (a,), problems = read(f)
    assert problems == []
    assert a.title == "Brücke in München" and a.text == MUNICH


def test_an_undeclared_cp1252_text_file_is_detected_and_says_so(tmp_path: Path) -> None:
    f = tmp_path / "article.txt"
    text = (
        "Café owners said on Monday that prices rose by 5 € a week – “too much”, one said. " + BODY
    )
    f.write_bytes(text.encode("cp1252"))
    (a,), problems = read(f)
    assert a.text == text
    (w,) = problems
    assert w.kind == "warning" and w.source == str(f) and "detected" in w.message


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_with_and_without_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    f = tmp_path / "article.txt"
    f.write_bytes(MUNICH.encode(codec))  # "utf-16"/"utf-32" write a BOM; -le/-be do not
    (a,), problems = read(f)
    assert problems == [] and a.text == MUNICH


def test_a_utf16_csv_and_feed_without_a_byte_order_mark(tmp_path: Path) -> None:
    f = tmp_path / "excel.csv"
    f.write_bytes(f'title,text\nMünchen,"{MUNICH}"\n'.encode("utf-16-le"))
    (a,), problems = read(f)
    assert problems == [] and (a.title, a.text) == ("München", MUNICH)
    g = tmp_path / "feed.rss"
    g.write_bytes(
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><item><title>München</title>'
            f"<description>{MUNICH}</description></item></channel></rss>"
        ).encode("utf-16-be")
    )
    (b,), problems = read(g)
    assert problems == [] and b.text == MUNICH


def test_a_page_declaring_latin1_that_is_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_bytes(page(MUNICH, '<meta charset="iso-8859-1">').encode("utf-8"))
    (a,), problems = read(f)
    assert "München" in a.text
    (w,) = problems
    assert "is UTF-8" in w.message


# --- item 3: symlink loops ------------------------------------------------------------------


def test_a_symlink_loop_is_reported_once_and_each_file_read_once(tmp_path: Path) -> None:
    d = tmp_path / "d"
    (d / "a").mkdir(parents=True)
    (d / "a" / "story.txt").write_text(BODY, encoding="utf-8")
    (d / "a" / "up").symlink_to("..")
    (d / "b").symlink_to("a")
    found = list(expand([str(d)]))
    files = [f for f in found if isinstance(f, Path)]
    problems = [p for p in found if isinstance(p, Problem)]
    assert files == [d / "a" / "story.txt"]
    assert [(p.source, p.message.split(":")[0]) for p in problems] == [
        (str(d / "a" / "up"), f"symlink loop back to {d.resolve()}"),
        (str(d / "b"), f"same folder as {d / 'a'}"),
    ]
    assert not any(p.unreadable for p in problems)


def test_a_folder_given_twice_or_inside_another_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text(BODY, encoding="utf-8")
    found = list(
        expand([str(tmp_path / "sub"), str(tmp_path), str(tmp_path / "sub" / "story.txt")])
    )
    assert [f for f in found if isinstance(f, Path)] == [tmp_path / "sub" / "story.txt"]
    assert [p.message for p in found if isinstance(p, Problem)] == [
        f"same folder as {tmp_path / 'sub'}: read once",
        f"same file as {tmp_path / 'sub' / 'story.txt'}: read once",
    ]


# --- item 4: unreadable folders (as root, a folder that cannot be listed) ----------------


def test_a_folder_that_cannot_be_listed_is_a_skip_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    found = list(expand([str(tmp_path)]))
    assert tmp_path / "good.txt" in found
    (p,) = [p for p in found if isinstance(p, Problem)]
    assert (p.source, p.message, p.unreadable) == (
        str(locked),
        "cannot read folder: Permission denied",
        True,
    )


# --- item 5: documentation and web suffixes -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "COPYING",
            "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n\nEveryone is permitted to copy",
            "a software licence",
        ),
        (
            "changelog.txt",
            "# Changelog\n\n## 1.2.0 (2024-01-02)\n- faster\n- fixed a crash\n\n## 1.1.0\n- first\n",
            "a changelog",
        ),
        (
            "readme.txt",
            "# Tool\n\nInstall it:\n\n```\npip install tool\n```\n\n## Use\n\nRun it.\n",
            "documentation",
        ),
    ],
)
def test_documentation_is_skipped_by_content_with_a_reason(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    assert list(expand([str(tmp_path)])) == [f]
    articles, problems = read(f)
    assert articles == [] and len(problems) == 1 and problems[0].message.startswith(reason)


def test_an_article_named_readme_is_an_article(tmp_path: Path) -> None:
    f = tmp_path / "README.txt"
    f.write_text(BODY, encoding="utf-8")
    (a,), problems = read(f)
    assert problems == [] and a.text == BODY


@pytest.mark.parametrize(
    "name",
    [
        "story.php",
        "article.aspx",
        "news.net",
        "item.jsp",
        "a.12345",
        "story.php?id=123",  # mirrored by wget, the URL's query kept in the name
        "index.html?page=2",
    ],
)
def test_a_page_saved_under_a_web_suffix_is_sniffed(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes((DATA / "page.html").read_bytes())
    (a,), problems = read(f)
    assert problems == [] and a.date_source == "metadata"


def test_a_web_suffix_that_is_not_a_page_is_unsupported(tmp_path: Path) -> None:
    f = tmp_path / "setup.php"
    f.write_text("<?php echo 'hello'; ?>\n" + BODY, encoding="utf-8")
    articles, (p,) = read(f)
    assert articles == [] and p.message.startswith("unsupported file type '.php'")


# --- item 6: an unterminated CSV quote ------------------------------------------------------


def test_an_unterminated_quote_is_named_and_the_rows_after_it_kept(tmp_path: Path) -> None:
    f = tmp_path / "dump.csv"
    rows = [
        f'A,"{BODY} (one)",2017-04-19',
        f'B,"{BODY} (two) and no closing quote,2017-04-20',
        f'C,"{BODY} (three)",2017-04-21',
        f'D,"{BODY} (four)",2017-04-22',
        f"E,{BODY.replace(',', ';')} (five),2017-04-23",
    ]
    f.write_text("title,text,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    articles, problems = read(f)
    assert [a.title for a in articles] == ["A", "C", "D", "E"]
    assert [a.source for a in articles][1] == f"{f}#line 4"
    (p,) = problems
    assert p.source == f"{f}#line 3" and p.message.startswith("unterminated quote")
    assert "resumes on line 4" in p.message


def test_a_quote_running_to_the_end_of_the_file(tmp_path: Path) -> None:
    f = tmp_path / "dump.csv"
    f.write_text(
        f'title,text\nA,"{BODY}"\nB,"{BODY} never closed\nC,{BODY.replace(",", ";")}\n',
        encoding="utf-8",
    )
    articles, (p,) = read(f)
    assert [a.title for a in articles] == ["A", "C"]
    assert p.source == f"{f}#line 3" and "to the end of the file" in p.message


def test_legitimate_multi_line_fields_are_not_flagged(tmp_path: Path) -> None:
    f = tmp_path / "dump.csv"
    f.write_text(
        f'title,text\nA,"{BODY}\n\nSecond paragraph, with ""quotes"".\n"\nB,"{BODY}"\n',
        encoding="utf-8",
    )
    articles, problems = read(f)
    assert problems == [] and [a.title for a in articles] == ["A", "B"]
    assert articles[0].text.endswith('with "quotes".')


# --- item 7: news-please null maintext ------------------------------------------------------


def test_a_news_please_record_with_null_maintext_uses_its_description(tmp_path: Path) -> None:
    f = tmp_path / "np.jsonl"
    records = [
        {"title": "Lead only", "maintext": None, "description": BODY, "date_publish": None},
        {"title": "Nothing", "maintext": None, "description": None},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = list(read_file(f))
    (a,) = [i for i in items if isinstance(i, RawArticle)]
    assert a.text == BODY and a.source == f"{f}#line 1"
    assert a.warnings == ["field 'maintext' is empty: its 'description' is stored as the text"]
    (p,) = [i for i in items if isinstance(i, Problem)]
    assert p.source == f"{f}#line 2" and p.message.startswith("field 'maintext' is empty")


# --- item 1: a reader library that cannot be imported ---------------------------------------

BLOCK = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None  # importing it now fails, as on an install that lacks it
from storyline.cli import main
sys.argv = ["storyline", *sys.argv[2:]]
main()
"""


def run_blocked(blocked: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-c", BLOCK, blocked, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_a_missing_html_cleaner_costs_only_the_html_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-page.html").write_bytes((DATA / "page.html").read_bytes())
    (folder / "b-page.htm").write_bytes((DATA / "page.html").read_bytes())
    (folder / "story.txt").write_text(BODY, encoding="utf-8")
    (folder / "feed.atom").write_bytes((DATA / "atom.xml").read_bytes())
    db = tmp_path / "x.db"
    proc = run_blocked(
        "lxml_html_clean", "ingest", str(folder), "--db", str(db), "--json", cwd=tmp_path
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1  # two inputs could not be read at all
    report = json.loads(proc.stdout)
    skipped = {s["source"]: s["reason"] for s in report["skipped"]}
    for name in ("a-page.html", "b-page.htm"):
        reason = skipped[str(folder / name)]
        assert "\n" not in reason and "pip install lxml_html_clean" in reason
    assert report["accepted"] >= 2  # the text file and the feed's entries
    listing = subprocess.run(
        [sys.executable, "-m", "storyline", "articles", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    stored = json.loads(listing.stdout)
    assert len(stored) == report["accepted"]
    assert str(folder / "story.txt") in {a["source"] for a in stored}


def test_missing_feed_and_language_libraries(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.rss").write_bytes((DATA / "atom.xml").read_bytes())
    (folder / "story.txt").write_text(BODY, encoding="utf-8")
    db = tmp_path / "x.db"
    proc = run_blocked(
        "feedparser,py3langid.langid",
        "ingest",
        str(folder),
        "--db",
        str(db),
        "--json",
        cwd=tmp_path,
    )
    assert "Traceback" not in proc.stderr and proc.returncode == 1
    report = json.loads(proc.stdout)
    (skip,) = report["skipped"]
    assert skip["source"] == str(folder / "feed.rss")
    assert "pip install feedparser" in skip["reason"]
    (warning,) = report["warnings"]
    assert warning["source"] == str(folder / "story.txt")
    assert "pip install py3langid" in warning["message"]
    assert report["accepted"] == 1
