"""PDF files: a press release, a saved article or a Nexis export of many, as text.

Why: much of what journalists and analysts collect arrives as PDF (press releases, reports,
a newspaper page saved for the archive), and Nexis exports PDF as well as Word. A ``.pdf`` was
skipped as an unsupported suffix.

The text is laid out by pdfminer.six, which groups a page's characters into lines and lines
into boxes (a paragraph, a heading, a caption) and orders the boxes of a page in columns the
way they are read. Each box is a paragraph, its lines joined (a word hyphenated across a
line end is joined again). Page furniture is dropped: a line found on at least half of the
pages (and on three or more), such as a running head or a footer, and a box that is only a
page number. The paragraphs are then read as a Word document's are (:func:`.word.
read_paragraphs`): a Nexis export (its ``End of Document`` markers) is split into its
documents, anything else is one article whose short first paragraph is its title and whose
leading ``date YYYY-MM-DD`` or ``Date: 19 April 2017`` line is its given date. The file's
creation date is when the PDF was made, not when its text was published: it is never used.

A PDF without text (a scan) is skipped, saying it needs OCR first; an encrypted one, saying
it needs its password.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from io import BufferedIOBase
from typing import Any

from storyline.sources.base import Problem, Reader, ReadOptions
from storyline.sources.fields import clean
from storyline.sources.imports import require
from storyline.sources.word import BODY, DATE_LINE, END, INDEX_FIELD, read_paragraphs

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a damaged font or xref entry: its
# warnings are not the user's business (the file is read, or skipped with one line)

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_MARKERS = {END, BODY}


def read_pdf(stream: BufferedIOBase, source: str, options: ReadOptions | None = None) -> Reader:
    """The articles of a PDF (see the module's docstring); ``stream`` is seekable."""
    options = options or ReadOptions()
    high_level = require("pdfminer.high_level", needed_for="reading PDF files")
    layout = require("pdfminer.layout", needed_for="reading PDF files")
    encryption = require("pdfminer.pdfdocument", needed_for="reading PDF files")
    exceptions = require("pdfminer.psexceptions", needed_for="reading PDF files")
    try:
        pages = [
            _boxes(page, layout)
            for page in high_level.extract_pages(stream, laparams=layout.LAParams())
        ]
    except encryption.PDFEncryptionError:
        yield Problem("skipped", source, "an encrypted PDF: needs its password, not read")
        return
    except (exceptions.PSException, ValueError, TypeError, KeyError, OSError, EOFError) as exc:
        what = " ".join(str(exc).split())[:160]
        yield Problem("skipped", source, f"not a readable PDF ({type(exc).__name__}: {what})")
        return
    if not any(pages):
        yield Problem("skipped", source, "no text in the PDF (a scan? its text needs OCR first)")
        return
    furniture = _furniture(pages)
    export = any(line == END for page in pages for box in page for line in box)
    lines: list[tuple[str, str]] = []
    for page in pages:
        for box in page:
            kept = [line for line in box if line not in furniture]
            if not kept or (len(kept) == 1 and _PAGE_NUMBER.match(kept[0])):
                continue
            paragraphs = _export_paragraphs(kept) if export else [_joined(kept)]
            lines.extend((paragraph, "") for paragraph in paragraphs)
    yield from read_paragraphs(lines, source, options)


def _boxes(page: Any, layout: Any) -> list[list[str]]:
    """A page's text boxes in reading order, each as its lines (stripped, none empty)."""
    boxes = []
    for element in page:
        if isinstance(element, layout.LTTextContainer):
            lines = [clean(line.get_text()).strip() for line in element]
            lines = [" ".join(line.split()) for line in lines if line.strip()]
            if lines:
                boxes.append(lines)
    return boxes


def _furniture(pages: list[list[list[str]]]) -> set[str]:
    """Lines on at least half of the pages, and on three or more: running heads and footers
    (a Nexis export's "Page 3 of 41" differs on each page and is caught as a page number)."""
    if len(pages) < 3:
        return set()
    seen = Counter(line for page in pages for line in {ln for box in page for ln in box})
    return {line for line, n in seen.items() if n >= max(3, len(pages) / 2)}


def _export_paragraphs(lines: list[str]) -> list[str]:
    """A box of a Nexis export as paragraphs: its lines joined, except that a marker, index
    field or date line is a paragraph of its own (a box may hold "Body" and the lines after
    it). Only in an export: elsewhere a wrapped line may well start with a date."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line in _MARKERS or INDEX_FIELD.match(line) or DATE_LINE.match(line):
            if current:
                out.append(_joined(current))
                current = []
            out.append(line)
        else:
            current.append(line)
    if current:
        out.append(_joined(current))
    return out


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph as one line; "recip-" + "rocal" is "reciprocal" again."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
