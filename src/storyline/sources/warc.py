"""Web archives (WARC): the pages of a crawl, each read as a saved HTML page.

Why: Common Crawl's news crawl (CC-NEWS), the source news-please itself reads, and the archives
that crawlers and ``wget --warc-file`` write, are WARC files of hundreds of thousands of
records; unpacking them into pages first costs a disk and a script. Each ``response`` (or
``resource``) record whose content is a web page is read like an ``.html`` file
(:func:`storyline.sources.html.read_html`: trafilatura's text, htmldate's date from the markup),
named ``crawl.warc.gz#record 17``, with the record's target URI as its address when the page
names none. Records are streamed with warcio, so an archive of any size is read in constant
memory.

Every other record (requests, crawl metadata, revisits, images, scripts, redirects and error
pages) is not an article; they are counted and said once per file, not one line each, since a
crawl holds more of them than pages. A page without article text is skipped by its record,
as an HTML file would be.
"""

from __future__ import annotations

import lzma
import zlib
from collections import Counter
from io import BufferedIOBase

from storyline.sources import encoding, html
from storyline.sources.base import Problem, RawArticle, Reader, ReadOptions
from storyline.sources.imports import require

_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_KINDS = {
    "request": "requests",
    "warcinfo": "crawl descriptions",
    "metadata": "metadata",
    "revisit": "revisits (a page already archived)",
    "conversion": "conversions",
    "continuation": "continuations",
}
"""How the passed-over records are named in the file's one warning, by WARC type."""


def read_warc(stream: BufferedIOBase, source: str, options: ReadOptions | None = None) -> Reader:
    """The articles of every web page in a WARC (or ARC) stream, plain or gzipped per record."""
    options = options or ReadOptions()
    require("warcio", needed_for="reading WARC web archives")
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    limit = options.config.max_file_bytes
    passed: Counter[str] = Counter()
    number = 0
    guarded = _Guarded(stream)
    try:
        for record in ArchiveIterator(guarded, arc2warc=True):
            number += 1
            why = _not_a_page(record)
            if why is not None:
                passed[why] += 1
                continue
            where = f"{source}#record {number}"
            data = record.content_stream().read(limit + 1)
            if guarded.cut is not None:
                break  # the page the archive was cut in: not whole, said once below
            if len(data) > limit:
                yield Problem(
                    "skipped", where, f"page of over {limit:,} bytes (ingest.max_file_bytes)"
                )
                continue
            text = _page_text(data, record, where)
            if text is None:
                passed["not text"] += 1
                continue
            for item in html.read_html(text, where, None, options):
                if isinstance(item, RawArticle) and item.url is None:
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    item.url = uri if uri and uri.startswith(("http://", "https://")) else None
                yield item
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        if guarded.cut is None:  # else the record the cut went through: said below
            what = " ".join(str(exc).split())[:200]
            yield Problem(
                "skipped",
                f"{source}#record {number + 1}",
                f"cannot read the WARC record ({type(exc).__name__}: {what}); the records after"
                " it are not read",
            )
    if guarded.cut is not None:
        yield Problem(
            "skipped" if number == 0 else "warning",
            source,
            f"the archive is cut short ({guarded.cut}): "
            + ("no record is whole" if number == 0 else "the records before the cut were read"),
        )
    elif number == 0:
        yield Problem("skipped", source, "no WARC records (not a web archive)")
    elif passed:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in passed.most_common())
        yield Problem(
            "warning",
            source,
            f"{sum(passed.values()):,} of its {number:,} records are not web pages and were"
            f" passed over ({kinds})",
        )


class _Guarded:
    """The stream as warcio reads it, with a damaged end (a download cut short, a truncated
    gzip member) turned into the end of the stream and remembered.

    Why: warcio stops quietly at a decompression error, and then parses no record or fewer
    than the file holds, depending on where its reads fell; ended cleanly, it parses every
    whole record before the cut, and the file's warning says it was cut."""

    def __init__(self, stream: BufferedIOBase) -> None:
        self.stream = stream
        self.cut: str | None = None

    def read(self, size: int = -1) -> bytes:
        if self.cut is not None:
            return b""
        try:  # one underlying read at a time: a cut then loses no whole record read before it
            return self.stream.read1(size)
        except (EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
            self.cut = " ".join(str(exc).split())[:160] or type(exc).__name__
            return b""


def _not_a_page(record: object) -> str | None:
    """Why a record holds no web page to read (its kind, in a few words), or None."""
    kind = getattr(record, "rec_type", "")
    if kind not in ("response", "resource"):
        return _KINDS.get(kind, f"{kind or 'untyped'} records")
    headers = getattr(record, "http_headers", None)
    if headers is not None:
        status = headers.get_statuscode() or ""
        if not status.startswith("2"):
            return "redirects or errors"
        content_type = headers.get_header("Content-Type") or ""
    else:
        content_type = getattr(record, "content_type", "") or ""
    if content_type.split(";", 1)[0].strip().lower() not in _PAGE_TYPES:
        return "images, scripts and other files"
    return None


def _page_text(data: bytes, record: object, where: str) -> str | None:
    """The page decoded: in the charset its HTTP header names when that decodes it, else as a
    saved page is (byte-order mark, ``<meta charset>``, detection)."""
    headers = getattr(record, "http_headers", None)
    content_type = (headers.get_header("Content-Type") or "") if headers is not None else ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            name = encoding.canonical(value.strip().strip("\"'"))
            if name is not None:
                try:
                    return data.decode(name)
                except (UnicodeDecodeError, LookupError):
                    break
    return encoding.decode(data, where).text
