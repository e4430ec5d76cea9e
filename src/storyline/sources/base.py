"""What a source reader yields: raw articles, and problems that name their file and line.

Every reader is a generator over one path: it yields :class:`RawArticle` for each article it
can read, and :class:`Problem` (``skipped`` or ``warning``) for what it cannot, so one bad
record never stops the others and the user is told exactly what was passed over and why.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from storyline.settings import IngestConfig


@dataclass(slots=True)
class RawArticle:
    """An article as read from its source, before it has an id, sentences or dedupe."""

    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    date_source: str | None = None
    language: str | None = None
    source_name: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Problem:
    """Something a reader could not use: ``skipped`` (nothing stored) or ``warning`` (stored)."""

    kind: Literal["skipped", "warning"]
    source: str
    message: str
    unreadable: bool = False
    """True when the input could not be read at all (missing, no permission): the run fails."""

    def __post_init__(self) -> None:
        # one line per problem, whatever a library's exception text looked like
        self.message = " ".join(self.message.split())


def label(path: object) -> str:
    """A path as one printable line: how articles and problems name their file.

    Why: a file name may hold a newline or bytes that are not UTF-8 (Python keeps those as lone
    surrogates, which neither a terminal, JSON on stdout nor SQLite accept). Such bytes become
    U+FFFD and control characters their escapes (``\\n``), so every message stays one line.
    """
    text = str(path)
    if text.isprintable():
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


SourceItem = RawArticle | Problem
Reader = Iterator[SourceItem]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What the user may tell the readers that a file cannot say itself.

    The column names override CSV header auto-detection (``--text-column`` and friends): a
    spreadsheet whose body column is called ``Beschreibung`` cannot be guessed, only named.
    ``None`` means "detect from the header".
    """

    text_column: str | None = None
    title_column: str | None = None
    date_column: str | None = None
    url_column: str | None = None
    config: IngestConfig = field(default_factory=IngestConfig)
    """The ingest limits (article and file sizes, language detection) the readers apply."""


DAMAGED_OFFICE_FILE: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    NotImplementedError,  # zipfile: "zip file version 23.5", a compression it lacks
    KeyError,  # a part the package's index names is missing
    ValueError,
    TypeError,
    OSError,
    EOFError,
    SyntaxError,  # lxml's XMLSyntaxError
    zlib.error,
)
"""What openpyxl and python-docx, and the zip and XML parsers under them, raise on a damaged
workbook or document: its file (or sheet) is skipped, named, and the run goes on."""
