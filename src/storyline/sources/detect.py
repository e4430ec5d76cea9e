"""Walk the paths a user gives and hand each file to the reader for its format.

Why one place: the size limit, binary detection and UTF-8 decoding (with replacement, and a
warning that says so) are the same for every format, and so is the rule that only
``InputDocs/`` of a Timeline17 folder holds articles.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storyline import settings
from storyline.sources import plaintext
from storyline.sources.base import Problem, Reader, SourceItem

TextReader = Callable[[str, str, Path | None], Reader]

READERS: dict[str, TextReader] = {
    ".txt": plaintext.read_text,
    "": plaintext.read_text,
}

IGNORED_NAMES = {"keywords.json"}
IGNORED_DIRS = {"timelines", ".git", "__pycache__", ".venv", "node_modules"}


def decode(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Text of a file, or None when it is binary; undecodable bytes are replaced, with a warning."""
    if b"\x00" in data[:8192]:
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
        elif child.name not in IGNORED_NAMES:
            yield child


def expand(paths: Iterable[str]) -> Iterator[Path | Problem]:
    """Files named by paths, folders (recursively) and globs; problems for what does not exist."""
    for raw in paths:
        if raw == "-":
            yield Path("-")
            continue
        matches = [Path(p) for p in sorted(glob.glob(raw, recursive=True))] if glob.has_magic(raw) else [Path(raw)]
        if not matches or not matches[0].exists():
            yield Problem("skipped", raw, "no such file or folder", unreadable=True)
            continue
        for match in matches:
            yield from _files(match)


def read_file(path: Path) -> Iterator[SourceItem]:
    """Every article and problem in one file (``-`` reads standard input as plain text)."""
    source = "-" if str(path) == "-" else str(path)
    limit = int(settings.get("max_article_bytes"))
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None and suffix not in READERS:
        yield Problem("skipped", source, f"unsupported file type {suffix!r}")
        return
    try:
        if source == "-":
            data = sys.stdin.buffer.read()
        else:
            size = path.stat().st_size
            if size > limit and suffix not in STREAMED:
                yield Problem(
                    "skipped", source,
                    f"{size:,} bytes is over the {limit:,}-byte article limit (max_article_bytes)",
                )
                return
            data = path.read_bytes()
    except OSError as exc:
        yield Problem("skipped", source, f"cannot read: {exc.strerror or exc}", unreadable=True)
        return
    text, problems = decode(data, source)
    yield from problems
    if text is None:
        return
    if not text.strip():
        yield Problem("skipped", source, "empty file")
        return
    yield from reader(text, source, None if source == "-" else path)


STREAMED: set[str] = set()
"""Suffixes whose readers stream records themselves (JSONL): the article limit is per record."""
