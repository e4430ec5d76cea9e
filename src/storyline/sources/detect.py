"""Walk the paths a user gives and hand each file to the reader for its format.

Why one place: the size limits, binary detection and decoding (in the charset a file declares
or is found to be in, see :mod:`storyline.sources.encoding`) are the same for every format, and
so are the rules for folders: only ``InputDocs/`` of a Timeline17 topic holds articles, each
real file or folder is visited once however many links lead to it, and a folder that cannot
be opened is reported and passed over. Nothing is dropped silently by its name: a README or
LICENSE is read like any file and skipped, saying why, when its content is not an article.
Two kinds of reader: *whole* readers get the decoded text of a file (plain text, Markdown, JSON,
HTML, feeds; one size limit for the file), *streamed* readers get the open binary file and
apply the article limit per record (JSONL, CSV), so a 50 MB collection is read in full.
The format is the suffix; a compressed file (``.gz``, ``.xz``, ``.bz2``, ``.zst``, the forms news
dumps are shipped in: news-please's ``2017_processed.json.xz``) is decompressed on the fly and
read by the suffix under it (``dump.jsonl.gz`` is streamed JSONL); a ``.zip`` or tar archive is
read file by file, each as a file of that name would be; a file without a suffix, with a web page's suffix
(``.php``, ``.aspx``) or standard input is sniffed. A reader that raises an :class:`~storyline.errors.InputError` (its library cannot
be imported) costs its file, which is reported as unreadable, and nothing else.
"""

from __future__ import annotations

import bz2
import errno
import glob
import gzip
import lzma
import os
import stat
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from io import BufferedIOBase, BufferedReader, BytesIO, RawIOBase
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

import zstandard

from storyline.errors import InputError
from storyline.sources import (
    columnar,
    csv,
    encoding,
    feed,
    html,
    jsonl,
    mail,
    markdown,
    newsxml,
    pdf,
    plaintext,
    spreadsheet,
    warc,
    word,
)
from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions, SourceItem, label
from storyline.sources.encoding import SNIFF_BYTES
from storyline.sources.fields import CUT_BY_PROVIDER
from storyline.sources.itempages import page_items
from storyline.sources.language import detect_language

TextReader = Callable[[str, str, Path | None, ReadOptions], Reader]
"""A whole-file reader: (decoded text, source label, path or None for stdin, options)."""


class StreamReader(Protocol):
    def __call__(
        self,
        stream: BufferedIOBase,
        source: str,
        options: ReadOptions | None = None,
        limit: int | None = None,
        *,
        encoding: str = "utf-8",
    ) -> Reader: ...


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
    ".md": markdown.read_markdown,
    ".markdown": markdown.read_markdown,
}
STREAMED: dict[str, StreamReader] = {
    ".jsonl": jsonl.read_jsonl,
    ".ndjson": jsonl.read_jsonl,
    ".csv": csv.read_csv,
    ".tsv": partial(csv.read_csv, tab=True),
    ".mbox": mail.read_mbox,
    ".eml": mail.read_eml,
}
"""Suffixes whose readers stream records themselves: the article limit is per record (a
mailbox's messages, :mod:`storyline.sources.mail`, are records too)."""
SELF_DECODING = frozenset({mail.read_mbox, mail.read_eml})
"""Streamed readers whose records name their own charsets (MIME): the file's is not guessed."""
OFFICE: dict[str, Callable[[BufferedIOBase, str, ReadOptions], Reader]] = {
    ".xlsx": spreadsheet.read_xlsx,
    ".xlsm": spreadsheet.read_xlsx,
    ".docx": word.read_docx,
    ".pdf": pdf.read_pdf,
}
"""Documents read from a seekable file: Excel workbooks (one article per row,
:mod:`storyline.sources.spreadsheet`), Word documents and PDFs (one article, or a Nexis export
of many, :mod:`storyline.sources.word`, :mod:`storyline.sources.pdf`)."""
COLUMNAR: dict[str, Callable[[BufferedIOBase, str, ReadOptions], Reader]] = {
    ".parquet": columnar.read_parquet,
    ".pq": columnar.read_parquet,
}
"""Columnar tables read from a seekable file, row batch by row batch
(:mod:`storyline.sources.columnar`): a file on disk has no size limit, as JSONL has none."""
LEGACY_OFFICE = {
    ".xls": spreadsheet.LEGACY,
    ".doc": "a Word 97-2003 document ('.doc'): save it as .docx and ingest that",
}
WEB_ARCHIVES = {".warc", ".arc"}
"""Crawls (Common Crawl's CC-NEWS, ``wget --warc-file``): streamed, each web page in them read
as a saved page (:mod:`storyline.sources.warc`); binary records are no reason to skip them."""

PLAIN = {"", ".txt", ".text", ".md", ".markdown"}
"""Suffixes of files that are one article each (the sniffed ones are treated alike)."""

IGNORED_NAMES = {"keywords.json"}
"""Timeline17 topic metadata, not an article."""
IGNORED_DIRS = {"timelines", ".git", "__pycache__", ".venv", "node_modules"}
WEB_SUFFIXES = {
    ".php", ".php3", ".php5", ".phtml", ".asp", ".aspx", ".jsp", ".jspx", ".cfm", ".cgi",
    ".pl", ".shtml", ".shtm", ".net", ".com", ".org", ".do", ".action", ".ece", ".story",
}  # fmt: skip
"""Suffixes a saved web page keeps from its URL (``article.php``, ``story.aspx``)."""
_SNIFF_BYTES = SNIFF_BYTES
_DETECT_BYTES = 65536


def decode(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Text of a file (None when binary) in its declared or detected encoding, and notes on it."""
    decoded = encoding.decode(data, source)
    return decoded.text, decoded.problems


_Identity = tuple[int, int]
"""A file's device and inode: the same for every path (link) that leads to it."""


class _Walk:
    """One walk over the user's paths: each real file and folder is visited once.

    Why remember resolved paths: a symlink back to an ancestor (``a/up -> ..``) would otherwise
    recurse until the path is too long, and a second link to a folder would read it twice. The
    loop, or the second way to a folder, is reported once and not followed.
    """

    def __init__(self) -> None:
        self.folders: dict[_Identity, Path] = {}
        self.files: dict[_Identity, Path] = {}

    def files_of(
        self, path: Path, ancestors: tuple[_Identity, ...] = ()
    ) -> Iterator[Path | Problem]:
        try:
            status = path.stat()  # follows links: a chain of links that loops is ELOOP
        except OSError as exc:
            yield _unreadable(path, exc, "cannot open")
            return
        real = (status.st_dev, status.st_ino)  # one stat, where resolve() takes one per part
        if not stat.S_ISDIR(status.st_mode):
            if real in self.files:
                first = label(self.files[real])
                yield Problem("skipped", label(path), f"same file as {first}: read once")
                return
            self.files[real] = path
            yield path
            return
        if real in ancestors:
            back = label(self.folders[real])
            yield Problem("skipped", label(path), f"symlink loop back to {back}: not followed")
            return
        if real in self.folders:
            first = label(self.folders[real])
            yield Problem("skipped", label(path), f"same folder as {first}: read once")
            return
        self.folders[real] = path
        try:
            children = sorted(path.iterdir())
            has_inputdocs = (path / "InputDocs").is_dir()
        except OSError as exc:
            yield _unreadable(path, exc, "cannot read folder")
            return
        for child in children:
            if child.name.startswith(".") or child.name in IGNORED_DIRS:
                continue
            if has_inputdocs and child.name != "InputDocs":
                continue  # a Timeline17 topic: only InputDocs/ holds articles
            if child.name in IGNORED_NAMES:
                continue
            yield from self.files_of(child, (*ancestors, real))


def _unreadable(path: Path, exc: BaseException, what: str, source: str | None = None) -> Problem:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        reason = "symlink loop"
    return Problem("skipped", source or label(path), f"{what}: {reason}", unreadable=True)


def expand(paths: Iterable[str]) -> Iterator[Path | Problem]:
    """Files named by paths, folders (recursively) and globs; problems for what does not exist."""
    walk = _Walk()
    for raw in paths:
        if raw == "-":
            yield Path("-")
            continue
        if glob.has_magic(raw):
            matches = [Path(p) for p in sorted(glob.glob(raw, recursive=True))]
        else:
            matches = [Path(raw)]
        if not matches or not os.path.lexists(matches[0]):
            yield Problem("skipped", label(raw), _missing(raw), unreadable=True)
            continue
        for match in matches:
            found = False
            for item in walk.files_of(match):
                found = True  # a file, or a problem that says why nothing was read
                yield item
            if not found:
                yield Problem("skipped", label(match), "no article files in this folder")


def _missing(raw: str) -> str:
    """Why a path names nothing: a web address is said to be one (nothing is fetched)."""
    if raw.strip().lower().startswith(("http://", "https://", "ftp://", "www.")):
        return (
            "a web address, and storyline reads files, it fetches nothing: save the page "
            "(curl -L -o page.html URL) or its feed, then ingest the file"
        )
    return "no such file or folder"


def sniff(text: str) -> TextReader:
    """The reader for text whose name does not say its format (no suffix, standard input)."""
    head = text[:_SNIFF_BYTES].lstrip().lower()
    if head.startswith(("{", "[")):
        return jsonl.read_json
    if head.startswith(("---", "+++")) and markdown.front_matter(text)[0] is not None:
        return markdown.read_markdown  # a post or clipping with front matter, piped in
    if head.startswith("<"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return feed.read_feed
        if newsxml.kind(text) is not None:  # NITF, NewsML-G2, a Reuters newsitem
            return feed.read_feed
        return html.read_html
    return plaintext.read_text


def _markup(text: str) -> bool:
    """Whether text is a web page or feed (what a file saved as ``story.aspx`` should be)."""
    head = text[:_SNIFF_BYTES].lstrip().lower()
    return head.startswith("<") and any(
        tag in head
        for tag in (
            "<html",
            "<body",
            "<head",
            "<!doctype",
            "<rss",
            "<feed",
            "<rdf:rdf",
            "<p>",
            "<article",
        )
    )


class PageTally:
    """Finds pages of several outlets' items (:mod:`storyline.sources.itempages`), splits them
    into their items when asked (setting ``ingest.split_item_pages``), and counts them for the
    one warning a file then gets.

    Why one warning per file: a news-please dump of an aggregator holds hundreds of such pages,
    and a warning per record would hide every other one. Why a page is told of even when it is
    kept whole: its text is not the article its title names, and the user should know."""

    def __init__(self, split: bool) -> None:
        self.split = split
        self.pages = 0
        self.items = 0
        self.first = ""
        self.outlets: dict[str, int] = {}

    def read(self, found: SourceItem) -> list[SourceItem]:
        """``found`` as it was, or, when its text is a page of items and pages are split, one
        article per item: its title, its outlet as ``source_name``, the page's date, URL and
        language, and its place as ``<the page's place> item N``. The page's own warnings go
        with its first item only, so a file's counts of them stay counts of records."""
        if not isinstance(found, RawArticle):
            return [found]
        items = page_items(found.text)
        if items is None:
            return [found]
        self.pages += 1
        self.items += len(items)
        self.first = self.first or found.source
        for item in items:
            self.outlets[item.outlet] = self.outlets.get(item.outlet, 0) + 1
        if not self.split:
            return [found]
        return [
            RawArticle(
                text=item.text,
                source=f"{found.source} item {number}",
                title=item.title,
                url=found.url,
                published=found.published,
                date_source=found.date_source,
                language=found.language,
                source_name=item.outlet,
                warnings=list(found.warnings) if number == 1 else [],  # the page's, once
            )
            for number, item in enumerate(items, start=1)
        ]

    def warning(self, where: str) -> Problem:
        """The file's one warning: how many pages there were, of how many items, from whom, and
        what was done with them."""
        which = (
            f"one of its records ({self.first}) holds"
            if self.pages == 1
            else f"{self.pages:,} of its records (the first {self.first}) hold"
        )
        top = sorted(self.outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        outlets = ", ".join(name for name, _ in top) + (", …" if len(self.outlets) > 3 else "")
        done = (
            f"stored as {self.items:,} articles of their own"
            if self.split
            else "stored whole; `storyline ingest --split-item-pages` stores each item as an"
            " article of its own"
        )
        return Problem(
            "warning",
            where,
            f"{which} {self.items:,} items, each under an outlet's name and its own title"
            f" ({outlets}), not one article: {done}",
        )


def read_file(path: Path, options: ReadOptions | None = None) -> Iterator[SourceItem]:
    """Every article and problem in one file (``-`` reads standard input, format sniffed).

    Articles whose source does not name a language get one detected from their text; when the
    language identifier cannot be imported, they keep none and the file gets one warning. So
    do records whose provider cut their text (:data:`~storyline.sources.fields.CUT_BY_PROVIDER`):
    a NewsAPI dump cuts every record, and ten thousand identical warnings would hide the rest.
    """
    told = False
    cut, first_cut = 0, ""
    options = options or ReadOptions()
    pages = PageTally(options.config.split_item_pages)
    try:
        for item in (each for found in _read(path, options) for each in pages.read(found)):
            if isinstance(item, RawArticle):
                if CUT_BY_PROVIDER in item.warnings:
                    item.warnings.remove(CUT_BY_PROVIDER)
                    cut, first_cut = cut + 1, first_cut or item.source
                if item.language is None:
                    try:
                        item.language = detect_language(item.text, item.title, options.config)
                    except InputError as exc:
                        if not told:
                            told = True
                            yield Problem("warning", label(path), f"language not detected: {exc}")
            yield item
    except InputError as exc:  # the reader's library is missing: this file cannot be read
        yield Problem("skipped", label(path), str(exc), unreadable=True)
    if pages.pages:
        yield pages.warning(label(path))
    if cut:
        which = "its one record" if cut == 1 else f"{cut:,} of its records (the first {first_cut})"
        yield Problem(
            "warning",
            label(path),
            f"{which}: the text ends where its provider cut it ('[+N chars]', as NewsAPI "
            "gives content): only the start of each article is stored",
        )


Opener = Callable[..., object]

ZSTD_MAX_WINDOW = 2**31
"""The largest back-reference window a Zstandard stream may ask for (2 GiB): dumps compressed
with ``zstd --long=31`` need it, and the decoder refuses them at its default of 128 MiB."""


class _ZstdFrames(RawIOBase):
    """A Zstandard stream decompressed frame after frame, which says when it was cut short.

    Why not ``zstandard.open``: its reader ends quietly where a truncated copy ends, so a cut
    dump would read as a shorter whole one; gzip and xz raise :class:`EOFError` there, and so
    does this. Frames follow each other as ``zstd`` and ``pzstd`` write them."""

    def __init__(self, source: BinaryIO, owned: bool) -> None:
        self._source, self._owned = source, owned
        self._decompressor = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
        self._frame = self._decompressor.decompressobj()
        self._started = False  # bytes of the current frame were fed
        self._pending, self._offset = b"", 0  # decompressed, and how much of it was given

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while self._offset == len(self._pending):
            chunk = self._source.read(_ZSTD_CHUNK)
            if not chunk:
                if self._started:
                    raise EOFError("the Zstandard stream ends inside a frame (cut short)")
                return 0
            pieces = []
            while chunk:
                self._started = True
                pieces.append(self._frame.decompress(chunk))
                if not self._frame.eof:
                    break
                chunk = self._frame.unused_data
                self._frame, self._started = self._decompressor.decompressobj(), False
            self._pending, self._offset = b"".join(pieces), 0
        size = min(len(view), len(self._pending) - self._offset)
        view[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size

    def close(self) -> None:
        if self._owned and not self.closed:
            self._source.close()
        super().close()


_ZSTD_CHUNK = 1 << 16


def _zstd_open(path: object, mode: str = "rb") -> BufferedReader:
    """A Zstandard file (``.zst``: how many large text dumps ship) as a buffered reader, so it
    peeks like gzip's; ``path`` may be an open file (a member of an archive)."""
    if hasattr(path, "read"):
        return BufferedReader(_ZstdFrames(cast(BinaryIO, path), owned=True))
    return BufferedReader(_ZstdFrames(open(cast(str, path), mode), owned=True))  # noqa: SIM115


COMPRESSED: dict[str, Opener] = {
    ".gz": gzip.open,
    ".xz": lzma.open,
    ".bz2": bz2.open,
    ".zst": _zstd_open,
}
"""Compressions read on the fly, by suffix: each opener's binary stream peeks and reads like a
buffered file's (:func:`_open`)."""

_DAMAGED: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    lzma.LZMAError,
    zipfile.BadZipFile,
    zstandard.ZstdError,
)
"""What reading a file raises, including a damaged or truncated compressed stream (gzip's and
bz2's errors are ``OSError``s or ``EOFError``, xz's, zip's and Zstandard's their own)."""


def format_of(path: Path) -> tuple[str, Opener | None]:
    """``(format suffix, opener of its compression or None)``: ``dump.jsonl.xz`` is JSONL,
    decompressed on the fly. The one rule for which reader a file gets (the Dask driver asks
    it too, to know which files it streams)."""
    if str(path) == "-":
        return "", None
    # a page saved by a mirroring tool keeps its URL's query: wget's "story.php?id=123"
    name = Path(path.name.split("?", 1)[0])
    suffix = name.suffix.lower()
    if suffix in COMPRESSED_TARS:
        return ".tar", COMPRESSED[COMPRESSED_TARS[suffix]]
    if suffix in COMPRESSED:
        return Path(name.stem).suffix.lower(), COMPRESSED[suffix]
    return suffix, None


COMPRESSED_TARS = {".tgz": ".gz", ".tbz2": ".bz2", ".tbz": ".bz2", ".txz": ".xz", ".tzst": ".zst"}
"""The one-suffix names of compressed tar archives (the NYT corpus ships ``01.tgz`` a month)."""


def _unsupported(suffix: str) -> str:
    known = ", ".join(
        sorted(set(READERS) | set(STREAMED) | WEB_ARCHIVES | set(OFFICE) | set(COLUMNAR))
    )
    packed = "/".join(sorted(COMPRESSED))
    return (
        f"unsupported file type {suffix!r} (known: {known}; any of them {packed}-compressed "
        "or in a .zip or .tar)"
    )


def _read(
    path: Path, options: ReadOptions, source: str | None = None, member: Opener | None = None
) -> Reader:
    """One file, or with ``member`` one file of an archive (``path`` its name there, ``member``
    what opens it, ``source`` how it is named)."""
    source = source or label(path)
    suffix, opener = format_of(path)
    if suffix in (".zip", ".tar"):
        if member is not None:
            yield Problem("skipped", source, "an archive inside an archive is not opened")
        elif suffix == ".zip":
            yield from _read_archive(path, options)
        else:
            yield from _read_tar(path, source, options, opener)
        return
    if member is not None:
        opener = member if opener is None else partial(_inside, member, opener)
    if suffix in STREAMED:
        yield from _read_streamed(path, source, STREAMED[suffix], options, opener)
        return
    if suffix in WEB_ARCHIVES:
        yield from _read_web_archive(path, source, options, opener)
        return
    if suffix in OFFICE:
        yield from _read_seekable(path, source, options, opener, OFFICE[suffix])
        return
    if suffix in COLUMNAR:
        yield from _read_seekable(path, source, options, opener, COLUMNAR[suffix], streams=True)
        return
    if suffix in LEGACY_OFFICE:
        yield Problem("skipped", source, LEGACY_OFFICE[suffix])
        return
    web = suffix in WEB_SUFFIXES or (suffix[1:].isdigit() if suffix else False)
    if suffix and suffix not in READERS and not web:
        yield Problem("skipped", source, _unsupported(suffix))
        return
    # a plain-text file is one article; other whole files hold one or more, each checked again
    setting = "max_article_bytes" if suffix in PLAIN else "max_file_bytes"
    limit = int(getattr(options.config, setting))
    too_big = f"is over the {limit:,}-byte limit (ingest.{setting})"
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
        elif opener is not None:
            with _open(path, opener) as stream:
                data = stream.read(limit + 1)
        else:
            size = path.stat().st_size
            if size > limit:
                yield Problem("skipped", source, f"{size:,} bytes {too_big}")
                return
            data = path.read_bytes()
    except _DAMAGED as exc:
        yield _unreadable(path, exc, "cannot read", source)
        return
    if len(data) > limit:
        yield Problem("skipped", source, f"{len(data):,}+ bytes (decompressed) {too_big}")
        return
    text, problems = decode(data, source)
    if text is None:
        yield from problems
        return
    if not text.strip():
        yield from problems
        yield Problem("skipped", source, "empty file")
        return
    if web and not _markup(text):
        yield Problem("skipped", source, f"{_unsupported(suffix)}; not a saved web page")
        return
    yield from problems
    reader = READERS[suffix] if suffix in READERS else sniff(text)
    yield from reader(text, source, None if str(path) == "-" else path, options)


def _inside(member: Opener, compression: Opener, path: Path, mode: str) -> object:
    """A compressed file inside an archive (``dump.jsonl.gz`` in a zip): decompressed as read."""
    return compression(member(path, mode), mode)


_ARCHIVE_JUNK = {"__MACOSX", "Thumbs.db", "desktop.ini"}
"""What archivers add beside the files (a Mac's resource forks, Windows' thumbnails)."""


def _read_archive(path: Path, options: ReadOptions) -> Reader:
    """Every file of a zip archive, in name order, each read as a file of that name would be
    (``news.zip#2017/dump.jsonl#line 3``), under the folder rules: a Timeline17 topic's
    ``timelines/`` and ``keywords.json`` are not articles, hidden files are passed over.

    Why zip: data sets are shared that way (Kaggle's news dumps, a zipped topic folder); nothing
    is extracted to disk, and a member is read within the same size limits as a file."""
    source = label(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, *_DAMAGED) as exc:
        yield _unreadable(path, exc, "cannot read")
        return
    with archive:
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir() and _article_member(m.filename)),
            key=lambda m: m.filename,
        )
        if not members:
            yield Problem("skipped", source, "no article files in this archive")
            return
        for info in members:
            inner = f"{source}#{info.filename}"
            if info.flag_bits & _ENCRYPTED:
                yield Problem("skipped", inner, "encrypted: needs a password, not read")
                continue
            if info.compress_type not in _ZIP_METHODS:
                yield Problem(
                    "skipped",
                    inner,
                    f"compressed by zip method {info.compress_type}, "
                    "which Python's zipfile cannot read",
                )
                continue

            def member(_path: Path, _mode: str, info: zipfile.ZipInfo = info) -> object:
                return archive.open(info)

            yield from _read(Path(info.filename), options, inner, member)


def _read_tar(path: Path, source: str, options: ReadOptions, opener: Opener | None) -> Reader:
    """Every file of a tar archive (plain or compressed: ``.tar.gz``, ``.tgz``, ``.tar.zst``),
    each read as a file of that name would be (``01.tgz#01/21/1834567.xml``), under the
    folder rules, in the archive's order: the archive is read as a stream, once, so nothing is
    extracted to disk and a compressed one is decompressed once. Links and devices are passed
    over. A damaged or cut archive keeps the articles of the files before the damage.

    Why tar: the New York Times Annotated Corpus ships a month of NITF files a ``.tgz``, and
    data sets made on Unix are shared so."""
    found = False
    try:
        with _open(path, opener) as stream, tarfile.open(fileobj=stream, mode="r|") as archive:
            for info in archive:
                if not info.isfile() or not _article_member(info.name):
                    continue
                found = True

                def member(_path: Path, _mode: str, info: tarfile.TarInfo = info) -> object:
                    return archive.extractfile(info)

                yield from _read(Path(info.name), options, f"{source}#{info.name}", member)
    except (tarfile.TarError, *_DAMAGED) as exc:
        yield _unreadable(
            path, exc, "cannot read" if found else "not a readable tar archive", source
        )
        return
    if not found:
        yield Problem("skipped", source, "no article files in this archive")


_ENCRYPTED = 0x1
"""The zip flag bit of an encrypted member (zipfile opens it only with a password)."""
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
"""The compression methods zipfile reads."""


def _article_member(name: str) -> bool:
    """Whether an archive's member may hold articles (the folder walk's rules, by name)."""
    parts = name.replace("\\", "/").split("/")
    if any(p.startswith(".") or p in _ARCHIVE_JUNK or p in IGNORED_DIRS for p in parts):
        return False
    return parts[-1] not in IGNORED_NAMES


def _open(path: Path, opener: Opener | None) -> BufferedReader:
    """The file as a buffered binary stream, 64 KiB ahead, so its encoding is seen in one peek;
    ``opener`` (a decompressor, an archive's member) opens what is not a plain file."""
    if opener is not None:
        return cast(BufferedReader, opener(path, "rb"))
    return cast(BufferedReader, path.open("rb", buffering=_DETECT_BYTES))  # noqa: SIM115


def _read_seekable(
    path: Path,
    source: str,
    options: ReadOptions,
    opener: Opener | None,
    reader: Callable[[BufferedIOBase, str, ReadOptions], Reader],
    streams: bool = False,
) -> Reader:
    """An Office file (or a Parquet table) from its file, or, compressed or in an archive, from
    memory (a zip must be seekable), within the file size limit. With ``streams`` (the reader
    holds a batch of records at a time, not the file) a file on disk has no size limit."""
    limit = options.config.max_file_bytes
    try:
        if opener is None:
            size = path.stat().st_size
            if size > limit and not streams:
                yield Problem(
                    "skipped",
                    source,
                    f"{size:,} bytes is over the {limit:,}-byte limit (ingest.max_file_bytes)",
                )
                return
            with path.open("rb") as stream:
                yield from reader(stream, source, options)
            return
        with _open(path, opener) as stream:
            data = stream.read(limit + 1)
    except _DAMAGED as exc:
        yield _unreadable(path, exc, "cannot read", source)
        return
    if len(data) > limit:
        yield Problem(
            "skipped",
            source,
            f"{len(data):,}+ bytes (decompressed) is over the {limit:,}-byte"
            " limit (ingest.max_file_bytes)",
        )
        return
    yield from reader(BytesIO(data), source, options)


def _read_web_archive(
    path: Path, source: str, options: ReadOptions, opener: Opener | None
) -> Reader:
    """A WARC stream: not decoded as a whole (its records hold images beside pages), each page
    decoded by the reader."""
    try:
        with _open(path, opener) as stream:
            head = stream.peek(16)[:16]
            if not head:
                yield Problem("skipped", source, "empty file")
                return
            if not head.startswith((b"WARC/", b"filedesc://", b"\x1f\x8b")):  # gzip: per record
                yield Problem(
                    "skipped", source, "not a web archive (it does not begin with a WARC record)"
                )
                return
            yield from warc.read_warc(stream, source, options)
    except _DAMAGED as exc:
        yield _unreadable(path, exc, "cannot read", source)


def _read_streamed(
    path: Path,
    source: str,
    reader: StreamReader,
    options: ReadOptions,
    opener: Opener | None,
) -> Reader:
    limit = options.config.max_article_bytes
    try:
        with _open(path, opener) as stream:
            head = stream.peek(_DETECT_BYTES)[:_DETECT_BYTES]
            if not head or (
                opener is None and not head.strip() and path.stat().st_size <= len(head)
            ):
                yield Problem("skipped", source, "empty file")
                return
            if reader in SELF_DECODING:
                name = "ascii"  # unused: each message names its parts' charsets
            else:
                choice = encoding.choose(head, source, complete=False)
                if choice.why != "replaced":  # damaged UTF-8 is named line by line by the reader
                    yield from choice.problems
                if choice.encoding is None:
                    return
                name = "utf-8" if choice.encoding == "utf-8-sig" else choice.encoding
            found = False
            for item in reader(stream, source, options, limit, encoding=name):
                found = True
                yield item
            if not found:
                yield Problem("skipped", source, "no records (only blank lines)")
    except _DAMAGED as exc:
        yield _unreadable(path, exc, "cannot read", source)
