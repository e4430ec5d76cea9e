"""Walk the paths a user gives and hand each file to the reader for its format.

Why one place: the size limits, binary detection and UTF-8 decoding (with replacement, and a
warning that says so) are the same for every format, and so are the rules for folders: only
``InputDocs/`` of a Timeline17 topic holds articles, and a folder's README or LICENSE is not
one. Two kinds of reader: *whole* readers get the decoded text of a file (plain text, JSON,
HTML, feeds; one size limit for the file), *streamed* readers get the open binary file and
apply the article limit per record (JSONL, CSV), so a 50 MB collection is read in full.
The format is the suffix (``.gz`` is decompressed on the fly: ``dump.jsonl.gz`` is streamed
JSONL); a file without one (or standard input) is sniffed.
"""

from __future__ import annotations

import glob
import gzip
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from io import BufferedIOBase
from pathlib import Path

from storyline.settings import IngestConfig
from storyline.sources import csv, feed, html, jsonl, plaintext
from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions, SourceItem
from storyline.sources.language import detect_language

TextReader = Callable[[str, str, Path | None], Reader]
StreamReader = Callable[[BufferedIOBase, str, ReadOptions, int], Reader]

READERS: dict[str, TextReader] = {
    ".txt": plaintext.read_text,
    ".text": plaintext.read_text,
    ".json": jsonl.read_json,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".xhtml": html.read_html,
    ".xml": feed.read_feed,
    ".rss": feed.read_feed,
    ".atom": feed.read_feed,
}
STREAMED: dict[str, StreamReader] = {
    ".jsonl": jsonl.read_jsonl,
    ".ndjson": jsonl.read_jsonl,
    ".csv": csv.read_csv,
    ".tsv": partial(csv.read_csv, tab=True),
}
"""Suffixes whose readers stream records themselves: the article limit is per record."""

PLAIN = {"", ".txt", ".text"}
"""Suffixes of files that are one article each (the sniffed ones are treated alike)."""

IGNORED_NAMES = {"keywords.json"}
"""Timeline17 topic metadata, not an article."""
IGNORED_STEMS = {"readme", "license", "licence", "changelog", "copying"}
"""Documentation that sits beside articles in a folder; read only when named explicitly."""
IGNORED_DIRS = {"timelines", ".git", "__pycache__", ".venv", "node_modules"}
_SNIFF_BYTES = 8192


def decode(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Text of a file, or None when it is binary; undecodable bytes are replaced, with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:_SNIFF_BYTES]:
        return None, [Problem("skipped", source, "binary file (NUL bytes), not text")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, [
            Problem(
                "warning",
                source,
                f"invalid UTF-8 at byte {exc.start}: decoded with replacement characters",
            )
        ]


def _ignored(path: Path) -> bool:
    return path.name in IGNORED_NAMES or path.name.split(".")[0].lower() in IGNORED_STEMS


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    has_inputdocs = (path / "InputDocs").is_dir()
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.name in IGNORED_DIRS:
            continue
        if has_inputdocs and child.name != "InputDocs":
            continue  # a Timeline17 topic: only InputDocs/ holds articles
        if child.is_dir():
            yield from _files(child)
        elif not _ignored(child):
            yield child


def expand(paths: Iterable[str]) -> Iterator[Path | Problem]:
    """Files named by paths, folders (recursively) and globs; problems for what does not exist."""
    for raw in paths:
        if raw == "-":
            yield Path("-")
            continue
        if glob.has_magic(raw):
            matches = [Path(p) for p in sorted(glob.glob(raw, recursive=True))]
        else:
            matches = [Path(raw)]
        if not matches or not matches[0].exists():
            yield Problem("skipped", raw, "no such file or folder", unreadable=True)
            continue
        for match in matches:
            found = False
            for file in _files(match):
                found = True
                yield file
            if not found:
                yield Problem("skipped", str(match), "no article files in this folder")


def sniff(text: str) -> TextReader:
    """The reader for text whose name does not say its format (no suffix, standard input)."""
    head = text[:_SNIFF_BYTES].lstrip().lower()
    if head.startswith(("{", "[")):
        return jsonl.read_json
    if head.startswith("<"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return feed.read_feed
        return html.read_html
    return plaintext.read_text


def read_file(path: Path, options: ReadOptions | None = None) -> Iterator[SourceItem]:
    """Every article and problem in one file (``-`` reads standard input, format sniffed).

    Articles whose source does not name a language get one detected from their text.
    """
    for item in _read(path, options or ReadOptions()):
        if isinstance(item, RawArticle) and item.language is None:
            item.language = detect_language(item.text, item.title)
        yield item


def _suffix(path: Path) -> tuple[str, bool]:
    """``(format suffix, gzip-compressed?)``: ``dump.jsonl.gz`` is JSONL, decompressed on the fly."""
    if str(path) == "-":
        return "", False
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return Path(path.stem).suffix.lower(), True
    return suffix, False


def _read(path: Path, options: ReadOptions) -> Reader:
    source = str(path)
    suffix, compressed = _suffix(path)
    if suffix in STREAMED:
        yield from _read_streamed(path, source, STREAMED[suffix], options, compressed)
        return
    if suffix and suffix not in READERS:
        known = ", ".join(sorted(set(READERS) | set(STREAMED)))
        yield Problem("skipped", source, f"unsupported file type {suffix!r} (known: {known})")
        return
    # a plain-text file is one article; other whole files hold one or more, each checked again
    setting = "max_article_bytes" if suffix in PLAIN else "max_file_bytes"
    limit = int(getattr(IngestConfig(), setting))
    too_big = f"is over the {limit:,}-byte limit (ingest.{setting})"
    try:
        if source == "-":
            data = sys.stdin.buffer.read()
        elif compressed:
            with gzip.open(path, "rb") as stream:
                data = stream.read(limit + 1)
        else:
            size = path.stat().st_size
            if size > limit:
                yield Problem("skipped", source, f"{size:,} bytes {too_big}")
                return
            data = path.read_bytes()
    except OSError as exc:  # also a damaged gzip stream
        yield Problem("skipped", source, f"cannot read: {exc.strerror or exc}", unreadable=True)
        return
    if len(data) > limit:
        yield Problem("skipped", source, f"{len(data):,}+ bytes (decompressed) {too_big}")
        return
    text, problems = decode(data, source)
    yield from problems
    if text is None:
        return
    if not text.strip():
        yield Problem("skipped", source, "empty file")
        return
    reader = READERS[suffix] if suffix else sniff(text)
    yield from reader(text, source, None if source == "-" else path)


def _read_streamed(
    path: Path, source: str, reader: StreamReader, options: ReadOptions, compressed: bool
) -> Reader:
    limit = IngestConfig().max_article_bytes
    try:
        with gzip.open(path, "rb") if compressed else path.open("rb") as stream:
            head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
            if b"\x00" in head:
                yield Problem("skipped", source, "binary file (NUL bytes), not text")
                return
            if not head or (
                not compressed and not head.strip() and path.stat().st_size <= len(head)
            ):
                yield Problem("skipped", source, "empty file")
                return
            found = False
            for item in reader(stream, source, options, limit):
                found = True
                yield item
            if not found:
                yield Problem("skipped", source, "no records (only blank lines)")
    except OSError as exc:  # also a damaged gzip stream
        yield Problem("skipped", source, f"cannot read: {exc.strerror or exc}", unreadable=True)
