"""Which character encoding a file is in: what it declares first, a guess only where it is silent.

Why this order: a byte-order mark, an XML declaration (``<?xml … encoding="iso-8859-1"?>``) or an
HTML ``<meta charset>`` is the author's own statement and wins (as in a browser); a file that
says nothing and is valid UTF-8 is UTF-8; UTF-16/32 without a mark is recognised by where its
zero bytes fall (it would otherwise look binary); only then is the encoding guessed with
charset_normalizer, and the guess is reported as a warning, because a guess can be wrong.
Bytes that the chosen encoding cannot decode become replacement characters, with a warning.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from storyline.sources.base import Problem
from storyline.sources.imports import require

SNIFF_BYTES = 8192
_DETECT_BYTES = 65536
"""charset_normalizer reads a sample: its cost grows with the input, a 64 KiB sample decides."""

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
"""A valid multi-byte UTF-8 character: rare by chance in text of a single-byte encoding."""
_WHATWG = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}
"""Pages that say Latin-1 or ASCII are read as windows-1252, as browsers do (its curly quotes)."""


@dataclass(slots=True)
class Decoded:
    """The text (None: binary), the encoding used, and what the user should know about it."""

    text: str | None
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)


def canonical(name: str) -> str | None:
    """Python's name for an encoding label, or None when Python does not know it."""
    try:
        return codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def declared_encoding(head: bytes) -> tuple[str | None, str | None]:
    """``(encoding, label)`` declared by an XML declaration or HTML meta tag in ``head``.

    ``encoding`` is None when nothing is declared, or when the label is unknown (then ``label``
    is what was declared, so the caller can say so).
    """
    match = _XML_DECL.match(head) or _META_CHARSET.search(head[:SNIFF_BYTES])
    if match is None:
        return None, None
    label = match.group(1).decode("ascii", "replace")
    name = canonical(_WHATWG.get(label.lower(), label))
    if name is not None and name.startswith(("utf-16", "utf-32")):
        name = "utf-8"  # an ASCII-readable declaration cannot be in UTF-16: HTML5 reads UTF-8
    return name, label


def wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, recognised by the zero bytes of mostly-ASCII text."""
    sample = head[: SNIFF_BYTES - SNIFF_BYTES % 4]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for width, order in ((4, "le"), (4, "be"), (2, "le"), (2, "be")):
        n = len(sample) - len(sample) % width
        units = [sample[i : i + width] for i in range(0, n, width)]
        if order == "le":
            zeroish = sum(1 for u in units if u[1:] == b"\x00" * (width - 1))
        else:
            zeroish = sum(1 for u in units if u[:-1] == b"\x00" * (width - 1))
        if zeroish >= 0.6 * len(units):
            name = f"utf-{8 * width}-{order}"
            try:
                text = sample[:n].decode(name)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text):
                return name
    return None


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return printable >= 0.95 * len(text)


def detect_encoding(sample: bytes) -> str | None:
    """charset_normalizer's guess for bytes that declare nothing and are not UTF-8, or None.

    When its best guesses tie (as much mess, as much coherence) and windows-1252 is among them
    or decodes the sample to the same text, windows-1252 wins. Why: on a short sample several code pages read equally well (a French
    line in Latin-1 scores the same as Hungarian in windows-1250, where "après" is "aprčs"),
    and the detector then keeps whichever it tried first; windows-1252 is what browsers assume
    for unlabelled Western pages (WHATWG), so it is the likeliest of the tied.
    """
    charset_normalizer = require("charset_normalizer", "charset-normalizer")
    matches = charset_normalizer.from_bytes(sample[:_DETECT_BYTES])
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    # a match lists the code pages that decode the sample to the same text as its own
    if any(canonical(name) == "cp1252" for m in tied for name in m.could_be_from_charset):
        return "cp1252"
    return canonical(best.encoding)


def _decode_as(data: bytes, encoding: str, source: str, why: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        message = (
            f"bytes invalid in {encoding} ({why}) at byte {exc.start}: "
            "decoded with replacement characters"
        )
        return Decoded(text, encoding, [Problem("warning", source, message)])


def _utf8_error(data: bytes, complete: bool) -> int | None:
    """Where ``data`` stops being UTF-8 (None: it is UTF-8); a head of a stream may be cut."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        if not complete and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return None
        return exc.start


@dataclass(slots=True)
class Choice:
    """The encoding to read a file in (None: it is binary), why, and notes for the user."""

    encoding: str | None
    why: str
    problems: list[Problem] = field(default_factory=list)


def choose(data: bytes, source: str, *, complete: bool = True) -> Choice:
    """The encoding ``data`` declares, is, or is guessed to be.

    ``complete`` is False when ``data`` is only the head of a stream (CSV, JSONL): a multi-byte
    sequence cut at its end is then not an error.
    """
    bom = bom_encoding(data)
    if bom is not None:
        return Choice(bom, "byte-order mark")
    head = data[:SNIFF_BYTES]
    declared, label = declared_encoding(head)
    notes: list[Problem] = []
    if label is not None and declared is None:
        notes.append(Problem("warning", source, f"unknown charset {label!r} declared: ignored"))
    invalid_at = _utf8_error(data, complete)
    if declared is not None and declared != "utf-8":
        if invalid_at is None and not data.isascii():
            message = f"declares charset {label!r} but is UTF-8: read as UTF-8"
            return Choice("utf-8", "content", [Problem("warning", source, message)])
        return Choice(declared, "declared", notes)
    if invalid_at is None and b"\x00" not in head:
        return Choice("utf-8", "declared" if declared else "content", notes)
    wide = wide_encoding(head)
    if wide is not None:
        return Choice(wide, "detected", notes)
    if b"\x00" in head:
        return Choice(
            None, "binary", [Problem("skipped", source, "binary file (NUL bytes), not text")]
        )
    if invalid_at is not None and _UTF8_MULTIBYTE.search(data[:_DETECT_BYTES]):
        # UTF-8 text with a few damaged bytes, not another encoding: keep the good characters
        message = f"invalid UTF-8 at byte {invalid_at}: decoded with replacement characters"
        return Choice("utf-8", "replaced", [*notes, Problem("warning", source, message)])
    guess = detect_encoding(data)
    if guess is not None and guess != "utf-8":
        note = f"not UTF-8 and no charset declared: decoded as {guess} (detected)"
        return Choice(guess, "detected", [*notes, Problem("warning", source, note)])
    message = f"invalid UTF-8 at byte {invalid_at}: decoded with replacement characters"
    return Choice("utf-8", "replaced", [*notes, Problem("warning", source, message)])


def decode(data: bytes, source: str) -> Decoded:
    """Text of a whole file's bytes (None: binary), with what the user should know about it."""
    choice = choose(data, source)
    if choice.encoding is None:
        return Decoded(None, None, choice.problems)
    if choice.why == "replaced":
        return Decoded(data.decode("utf-8", errors="replace"), "utf-8", choice.problems)
    decoded = _decode_as(data, choice.encoding, source, choice.why)
    decoded.problems[:0] = choice.problems
    return decoded
