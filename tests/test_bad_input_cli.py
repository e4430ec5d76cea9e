"""Every kind of bad input a user can feed ``storyline ingest``, each beside a good article.

For each kind: the one-line message that names the file (and line or record), the exit code
(non-zero only when an input could not be read at all), and the good article in the same
folder stored (checked with ``storyline articles --json``). The kinds that read fine share one
ingest run (a batch that exits 0 means none of them alone would fail it); each kind that must
fail the run gets a run of its own.
"""

from __future__ import annotations

import codecs
import gzip
import json
import lzma
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import unique_text
from storyline.corpus import Corpus

DATA = Path(__file__).parent / "data" / "sources"
BODY = (
    "The harbour board met on Tuesday and agreed to dredge the western channel before winter. "
    "Work will start in October and last six weeks, the board's chair told reporters."
)
MUNICH = (
    "Der Stadtrat von München hat am Dienstag beschlossen, die Brücke über die Isar zu "
    "erneuern. Die Arbeiten beginnen im Oktober und dauern sechs Wochen, sagte die Bürgermeisterin."
)


def munich(n: int) -> str:
    """The German report, made distinct per case (identical texts would be duplicates)."""
    return f"{MUNICH} Bericht Nummer {n}."


Make = Callable[[Path], None]


@dataclass(frozen=True)
class Kind:
    """A bad input: how to make it, where its message is, and what the message says."""

    name: str
    make: Make
    where: str | None  # the message's source, relative to the case folder; None: no message
    says: str | None = None  # a fragment of the message
    kind: str = "skipped"
    stored: str | None = None  # a fragment of an article the bad input itself should yield


def write(name: str, data: bytes | str) -> Make:
    def make(folder: Path) -> None:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)

    return make


def page(body: str, head: str = "") -> str:
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<html><head>{head}<title>Stadtrat</title></head><body><article><h1>Stadtrat</h1>"
        f"{paragraphs}</article></body></html>"
    )


def rss(items: str, declaration: str = '<?xml version="1.0"?>') -> str:
    return f'{declaration}<rss version="2.0"><channel><title>Zeitung</title>{items}</channel></rss>'


def jsonl(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


GOOD_RECORD = f'{{"title": "Good record", "text": "{BODY}"}}'
KOREAN = "서울시 의회는 화요일 한강 다리를 보수하기로 결정했다. 공사는 시월에 시작된다. " * 4
JAPANESE = "東京都議会は火曜日、隅田川の橋を修理することを決めた。工事は十月に始まる。" * 4
DEEP = 100_000


def symlink_loop(folder: Path) -> None:
    (folder / "a").mkdir()
    (folder / "a" / "up").symlink_to("..")


def symlink_twice(folder: Path) -> None:
    (folder / "a").mkdir()
    (folder / "a" / "x.txt").write_text(f"{BODY} Linked twice.", encoding="utf-8")
    (folder / "b").symlink_to("a")


def enormous_jsonl_line(folder: Path) -> None:
    with (folder / "big.jsonl").open("w", encoding="utf-8") as out:
        out.write(GOOD_RECORD.replace("met on", "met first on") + "\n")
        out.write('{"title": "huge", "text": "' + "x" * 21_000_000 + '"}\n')
        out.write(GOOD_RECORD.replace("met on", "met a third time on") + "\n")


def huge_txt(folder: Path) -> None:
    with (folder / "huge.txt").open("w", encoding="utf-8") as out:
        out.write((BODY + " ") * (5_100_000 // len(BODY)))


KINDS = [
    # binary data and NUL bytes
    Kind(
        "png-as-txt",
        write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
        "image.txt",
        "binary",
    ),
    Kind("nul-in-text", write("a.txt", (BODY + "\x00" + BODY).encode()), "a.txt", "binary"),
    Kind("binary-jsonl", write("dump.jsonl", bytes(range(256)) * 64), "dump.jsonl", "binary"),
    Kind("binary-csv", write("dump.csv", b"title,text\x00\x00\x01" * 100), "dump.csv", "binary"),
    Kind("binary-html", write("page.html", b"<html>\x00\x00\xff\xfe" * 100), "page.html", "binary"),
    # charsets
    Kind(
        "latin1-meta-html",
        write("page.html", page(munich(1), '<meta charset="iso-8859-1">').encode("latin-1")),
        None,
        stored="München",
    ),
    Kind(
        "http-equiv-html",
        write(
            "page.htm",
            page(
                munich(2),
                '<meta http-equiv="content-type" content="text/html; charset=windows-1252">',
            ).encode("cp1252"),
        ),
        None,
        stored="Brücke",
    ),
    Kind(
        "iso-8859-1-feed",
        write(
            "feed.rss",
            rss(
                f"<item><title>München</title><description>{munich(3)}</description></item>",
                '<?xml version="1.0" encoding="iso-8859-1"?>',
            ).encode("latin-1"),
        ),
        None,
        stored="München",
    ),
    Kind(
        "iso-8859-1-xhtml",
        write(
            "page.xhtml",
            ('<?xml version="1.0" encoding="iso-8859-1"?>' + page(munich(4))).encode("latin-1"),
        ),
        None,
        stored="Bürgermeisterin",
    ),
    Kind(
        "cp1252-txt",
        write("a.txt", ("Prices rose by 5 € – “too much”, one said. " + BODY).encode("cp1252")),
        "a.txt",
        "detected",
        "warning",
        stored="5 € – “too much”",
    ),
    Kind(
        "euc-kr-html",
        write("page.html", page(KOREAN, '<meta charset="euc-kr">').encode("euc-kr")),
        None,
        stored="서울시",
    ),
    Kind(
        "shift-jis-html",
        write("page.html", page(JAPANESE, '<meta charset="shift_jis">').encode("shift_jis")),
        None,
        stored="東京都議会",
    ),
    Kind("utf16-bom-txt", write("a.txt", munich(5).encode("utf-16")), None, stored="München"),
    Kind(
        "utf16le-no-bom-txt", write("a.txt", munich(6).encode("utf-16-le")), None, stored="München"
    ),
    Kind(
        "utf16be-no-bom-feed",
        write(
            "feed.rss",
            rss(
                f"<item><title>München</title><description>{munich(7)}</description></item>"
            ).encode("utf-16-be"),
        ),
        None,
        stored="München",
    ),
    Kind("utf32-txt", write("a.txt", munich(8).encode("utf-32")), None, stored="München"),
    Kind(
        "utf16-csv",
        write(
            "excel.csv",
            codecs.BOM_UTF16_LE + f'title,text\nMünchen,"{munich(9)}"\n'.encode("utf-16-le"),
        ),
        None,
        stored="München",
    ),
    Kind(
        "unknown-charset",
        write("page.html", page(munich(10), '<meta charset="x-no-such-charset">')),
        "page.html",
        "unknown charset 'x-no-such-charset'",
        "warning",
        stored="München",
    ),
    Kind(
        "damaged-utf8-txt",
        write("a.txt", ("München " + BODY).encode() + b" \xff\xfe " + BODY.encode()),
        "a.txt",
        "invalid UTF-8 at byte",
        "warning",
    ),
    Kind(
        "damaged-utf8-jsonl",
        write(
            "d.jsonl",
            jsonl(f'{{"title": "München", "text": "{BODY}"}}').encode()
            + b'{"title": "caf\xe9", "text": "Second: '
            + BODY.encode()
            + b'"}\n',
        ),
        "d.jsonl",
        "invalid UTF-8 on line 2",
        "warning",
    ),
    # malformed JSON
    Kind(
        "json-truncated",
        write("a.json", '{"title": "cut", "text": "' + BODY[:40]),
        "a.json",
        "broken JSON: Unterminated string starting at line 1 column",
    ),
    Kind(
        "json-not-objects",
        write("a.json", "[1, 2]"),
        "a.json#record 2",
        "a JSON number, not an object",
    ),
    Kind("json-null", write("a.json", "null"), "a.json", "a JSON null, not an object"),
    Kind("json-empty-array", write("a.json", "[]"), "a.json", "an empty JSON array"),
    Kind("json-100k-deep", write("a.json", "[" * DEEP + "]" * DEEP), "a.json", "nested too deeply"),
    Kind(
        "json-deep-text-field",
        write("a.json", '{"title": "t", "text": ' + "[" * 900 + '"x"' + "]" * 900 + "}"),
        "a.json",
        "field 'text' is empty",
    ),
    Kind(
        "json-lone-surrogate",
        write("a.json", f'{{"title": "T", "text": "Broken \\ud800 surrogate. {BODY}"}}'),
        None,
        stored="Broken \ufffd surrogate",
    ),
    Kind(
        "json-trailing-garbage",
        write("a.json", f'{{"text": "{BODY}"}} trailing'),
        "a.json",
        "broken JSON: Extra data",
    ),
    # JSONL
    Kind(
        "jsonl-broken-line",
        write("a.jsonl", jsonl(GOOD_RECORD, "{broken", "")),
        "a.jsonl#line 2",
        "broken JSON",
    ),
    Kind(
        "jsonl-deep-line",
        write("a.jsonl", jsonl(GOOD_RECORD.replace("Good", "First"), "[" * DEEP + "]" * DEEP)),
        "a.jsonl#line 2",
        "nested too deeply",
    ),
    Kind(
        "jsonl-enormous-line",
        enormous_jsonl_line,
        "big.jsonl",
        "line 2 over",
        stored="met a third time",
    ),
    Kind("jsonl-only-blank", write("a.jsonl", "\n" * 100_000), "a.jsonl", "no records"),
    Kind(
        "jsonl-array-line",
        write("a.jsonl", jsonl(GOOD_RECORD.replace("Good", "Another"), "[1, 2]")),
        "a.jsonl#line 2",
        "a JSON array, not an object",
    ),
    Kind(
        "news-please-null-maintext",
        write(
            "np.jsonl",
            jsonl(f'{{"title": "Lead", "maintext": null, "description": "Lead only. {BODY}"}}'),
        ),
        "np.jsonl#line 1",
        "its 'description' is stored",
        "warning",
        stored="Lead only.",
    ),
    # malformed CSV
    Kind(
        "csv-unterminated-quote",
        write("a.csv", f'title,text\nA,"{BODY} one"\nB,"{BODY} never closed\nC,"{BODY} three"\n'),
        "a.csv#line 3",
        "unterminated quote",
        stored="three",
    ),
    Kind(
        "csv-quote-to-eof",
        write("a.csv", f'title,text\nB,"never closed\nC,{BODY.replace(",", ";")} after\n'),
        "a.csv#line 2",
        "to the end of the file",
        stored="after",
    ),
    Kind(
        "csv-no-text-column", write("a.csv", "ticker,price\nABC,1.0\n"), "a.csv", "no text column"
    ),
    Kind(
        "csv-too-many-fields",
        write("a.csv", f"title,text\nA,{BODY}\n"),
        "a.csv#line 2",
        "fields where the header has 2",
    ),
    Kind("csv-header-only", write("a.csv", "title,text\n"), "a.csv", "no records"),
    # malformed HTML and feeds
    Kind(
        "html-navigation-only",
        write("nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
        "nav.html",
        "no article text",
    ),
    Kind(
        "html-garbage", write("g.html", "<<<>>><!-- <!DOCTYPE <<html"), "g.html", "no article text"
    ),
    Kind(
        "html-100k-deep",
        write(
            "deep.html", "<html><body>" + "<div>" * DEEP + BODY + "</div>" * DEEP + "</body></html>"
        ),
        None,
    ),
    Kind("html-truncated", write("cut.html", page(BODY)[: len(page(BODY)) // 2]), None),
    Kind("feed-not-xml", write("f.rss", "plainly not xml"), "f.rss", "not a feed"),
    Kind("feed-no-entries", write("f.rss", rss("")), "f.rss", "a feed with no entries"),
    Kind(
        "feed-empty-item",
        write("f.rss", rss("<item><title>only a title</title></item>")),
        "f.rss#item 1",
        "no content or summary",
    ),
    Kind(
        "feed-truncated",
        write(
            "f.rss", rss(f"<item><title>A</title><description>{BODY}</description></item>")[:-30]
        ),
        None,
    ),
    # sizes
    Kind("zero-byte-txt", write("a.txt", b""), "a.txt", "empty file"),
    Kind("zero-byte-jsonl", write("a.jsonl", b""), "a.jsonl", "empty file"),
    Kind("zero-byte-csv", write("a.csv", b""), "a.csv", "empty file"),
    Kind("blank-html", write("a.html", "  \n\n"), "a.html", "empty file"),
    Kind("txt-over-the-article-limit", huge_txt, "huge.txt", "max_article_bytes"),
    # paths
    Kind("symlink-loop", symlink_loop, "a/up", "symlink loop back to"),
    Kind("symlinked-twice", symlink_twice, "b", "same folder as", stored="Linked twice."),
    Kind(
        "newline-in-name",
        write("bad\nname.txt", f"{BODY} Newline name."),
        None,
        stored="Newline name.",
    ),
    Kind(
        "invalid-utf8-name",
        lambda f: (f / os.fsdecode(b"caf\xe9.txt")).write_text(
            f"{BODY} Latin name.", encoding="utf-8"
        ),
        None,
        stored="Latin name.",
    ),
    # not articles, by content and by type
    Kind(
        "licence",
        write(
            "LICENSE", "MIT License\n\nPermission is hereby granted, free of charge, to any person"
        ),
        "LICENSE",
        "a software licence",
    ),
    Kind(
        "changelog",
        write("CHANGELOG", "## 1.2.0 (2024-01-02)\n- faster\n- fixes\n\n## 1.1.0\n- first\n"),
        "CHANGELOG",
        "a changelog",
    ),
    Kind(
        "markdown-readme",
        write("README.md", "# about\n"),
        "README.md",
        "Markdown without front matter",
    ),
    Kind(
        "pptx",
        write("b.pptx", b"PK\x03\x04" + bytes(200)),
        "b.pptx",
        "unsupported file type '.pptx'",
    ),
    Kind(
        "page-saved-as-aspx",
        write("story.aspx", (DATA / "page.html").read_bytes()),
        None,
        stored="ferry",
    ),
    Kind(
        "php-source",
        write("index.php", "<?php echo 'x'; ?>\n" + BODY),
        "index.php",
        "not a saved web page",
    ),
]


@dataclass(frozen=True)
class FailKind:
    name: str
    make: Callable[[Path], list[str]]  # makes the case in the folder; extra paths to pass
    where: str
    says: str
    as_user: bool = False  # must run without root's right to read everything


def _locked_file(folder: Path) -> list[str]:
    f = folder / "secret.txt"
    f.write_text(BODY + " Secret.", encoding="utf-8")
    f.chmod(0)
    return []


def _locked_folder(folder: Path) -> list[str]:
    (folder / "locked").mkdir()
    (folder / "locked" / "x.txt").write_text(BODY + " Locked.", encoding="utf-8")
    (folder / "locked").chmod(0)
    return []


def _dangling(folder: Path) -> list[str]:
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    return []


def _broken_gzip(folder: Path) -> list[str]:
    (folder / "dump.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n' * 100)[:40])
    return []


def _broken_xz(folder: Path) -> list[str]:
    (folder / "2017_processed.json.xz").write_bytes(lzma.compress(b'[{"text": "x"}]' * 100)[:24])
    return []


FAIL_KINDS = [
    FailKind("missing-path", lambda f: [str(f / "does-not-exist.txt")], "does-not-exist.txt", "no such file or folder"),
    FailKind("dangling-symlink", _dangling, "gone.txt", "cannot open: No such file or directory"),
    FailKind("truncated-gzip", _broken_gzip, "dump.jsonl.gz", "cannot read"),
    FailKind("truncated-xz", _broken_xz, "2017_processed.json.xz", "cannot read"),
    FailKind("unreadable-file", _locked_file, "secret.txt", "cannot read: Permission denied", as_user=True),
    FailKind("unreadable-folder", _locked_folder, "locked", "cannot read folder: Permission denied", as_user=True),
]  # fmt: skip


def test_there_are_at_least_40_kinds() -> None:
    assert len(KINDS) + len(FAIL_KINDS) >= 40
    assert len({k.name for k in KINDS} | {k.name for k in FAIL_KINDS}) == len(KINDS) + len(
        FAIL_KINDS
    )


def good_article(folder: Path, name: str) -> str:
    """A distinct good article beside the bad input; returns its headline (its title)."""
    title = f"Good article {name}"
    text = unique_text(random.Random(name))
    (folder / "zz-good.txt").write_text(f"{title}\n{text}\n", encoding="utf-8")
    return title


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def stored_texts(db: Path) -> list[tuple[str, str]]:
    """``(source, title + text)`` of every stored article, read from the store's SQLite file."""
    with Corpus(db, read_only=True) as corpus:
        return [(a.source, f"{a.title or ''}\n{a.text}") for a in corpus.articles(limit=None)]


def listed_titles(db: Path, cwd: Path, prefix: list[str]) -> list[str]:
    """The titles ``storyline articles --json`` lists (run as the same user as the ingest)."""
    cli = [*prefix, sys.executable, "-m", "storyline"]
    listing = _run([*cli, "articles", "--db", str(db), "--json"], cwd)
    assert listing.returncode == 0, listing.stderr
    return [a["title"] for a in json.loads(listing.stdout)]


@dataclass
class Batch:
    root: Path
    code: int
    stderr: str
    report: dict[str, Any]
    texts: list[tuple[str, str]]  # (source, title + text) of every stored article


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    root = tmp_path_factory.mktemp("bad-inputs")
    for kind in KINDS:
        folder = root / kind.name
        folder.mkdir()
        kind.make(folder)
        good_article(folder, kind.name)
    db = root.parent / f"{root.name}.db"
    cli = [sys.executable, "-m", "storyline"]
    proc = _run([*cli, "ingest", str(root), "--db", str(db), "--json"], root)
    assert "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    texts = stored_texts(db)
    assert sorted(t.split("\n")[0] for _, t in texts) == sorted(
        t or "" for t in listed_titles(db, root, [])
    )
    return Batch(root, proc.returncode, proc.stderr, report, texts)


def messages(report: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    for item in report["skipped"]:
        yield "skipped", item["source"], item["reason"]
    for item in report["warnings"]:
        yield "warning", item["source"], item["message"]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_a_bad_input_is_named_in_one_line_and_the_good_article_beside_it_stored(
    batch: Batch, kind: Kind
) -> None:
    assert batch.code == 0  # none of these inputs is unreadable: the run succeeds
    folder = batch.root / kind.name
    prefix = str(folder) + "/"
    mine = [(k, s, m) for k, s, m in messages(batch.report) if s.startswith(prefix)]
    assert all("\n" not in s and "\n" not in m for _, s, m in mine)
    if kind.where is not None:
        source = prefix + kind.where
        found = [(k, m) for k, s, m in mine if s == source]
        assert found, mine
        assert any(k == kind.kind and kind.says in m for k, m in found), found
    elif kind.name not in {"html-100k-deep", "html-truncated", "feed-truncated"}:
        assert mine == [], mine  # read cleanly: nothing to report
    stored = [text for source, text in batch.texts if source.startswith(prefix)]
    titles = [t.split("\n")[0] for t in stored]
    assert titles.count(f"Good article {kind.name}") == 1, stored
    if kind.stored is not None:
        assert any(kind.stored in t for t in stored), stored


def privileges_dropped() -> list[str] | None:
    """A command prefix under which root's right to read every file is gone, or None.

    A non-root runner needs none. As root: run as nobody, else as root without the
    capabilities that bypass file permissions (nobody cannot run an interpreter under /root).
    """
    if os.geteuid() != 0:
        return []
    probe = Path(tempfile.mkdtemp())
    probe.chmod(0o755)
    secret = probe / "secret"
    secret.write_text("x")
    secret.chmod(0)
    code = f"import storyline; print('imported', flush=True); open({str(secret)!r})"
    try:
        for prefix in (
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search"],
        ):
            if shutil.which(prefix[0]) is None:
                continue
            proc = _run([*prefix, sys.executable, "-c", code], probe)
            if "imported" in proc.stdout and "PermissionError" in proc.stderr:
                return prefix
        return None
    finally:
        shutil.rmtree(probe)


@pytest.mark.parametrize("kind", FAIL_KINDS, ids=[k.name for k in FAIL_KINDS])
def test_an_input_that_cannot_be_read_fails_the_run_and_keeps_the_rest(
    tmp_path: Path, kind: FailKind
) -> None:
    prefix: list[str] = []
    if kind.as_user:
        dropped = privileges_dropped()
        if dropped is None:
            pytest.skip("cannot drop root's right to read every file here (no working setpriv)")
        prefix = dropped
        tmp_path = Path(tempfile.mkdtemp())  # pytest's own is closed to other users
        tmp_path.chmod(0o777)
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        folder.chmod(0o777)
        title = good_article(folder, kind.name)
        extra = kind.make(folder)
        db = tmp_path / "store.db"
        cli = [*prefix, sys.executable, "-m", "storyline"]
        proc = _run([*cli, "ingest", str(folder), *extra, "--db", str(db), "--json"], tmp_path)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 1, proc.stdout
        report = json.loads(proc.stdout)
        found = [m for _, s, m in messages(report) if s == str(folder / kind.where)]
        assert found and all(kind.says in m and "\n" not in m for m in found), report
        assert listed_titles(db, tmp_path, prefix) == [title]
    finally:
        for path in [tmp_path, *tmp_path.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o777)
        if kind.as_user:
            shutil.rmtree(tmp_path)
