"""TimeML I/O: read gold ``.tml`` files into plain text + TIMEX3 spans, write our tags as TimeML.

Why our own reader: the scorer must run the tagger on exactly the text the annotators saw, so
offsets are computed while stripping tags (EVENT, SIGNAL, TIMEX3 …) and unescaping entities,
with no XML library normalising whitespace behind our back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from storyline.errors import EvaluationError
from storyline.records import TimeExpression

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>", re.S)
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>(.*?)</DCT>", re.S)


@dataclass(slots=True)
class GoldTimex:
    """One gold TIMEX3: its span in the document's plain text and its attributes."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass(slots=True)
class TimeMLDocument:
    """A TimeML document reduced to what Task A scoring needs."""

    name: str
    text: str
    dct: date | None
    timexes: list[GoldTimex] = field(default_factory=list)


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


def _dct_of(source: str) -> date | None:
    match = _DCT.search(source)
    if not match:
        return None
    for tag in _TAG.finditer(match.group(1)):
        attrs = _attrs(tag.group(3))
        value = attrs.get("value", "")
        if re.match(r"^\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
    return None


def parse_timeml(source: str, name: str = "") -> TimeMLDocument:
    """Plain text of ``<TEXT>`` and its TIMEX3 spans (offsets into that plain text)."""
    match = _TEXT.search(source)
    if not match:
        raise EvaluationError(f"{name or 'document'}: no <TEXT> element")
    body = match.group(1)
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, tag_name, raw, selfclosing = tag.groups()
        if tag_name != "TIMEX3" or selfclosing:
            continue
        if not closing:
            open_timex = (length, _attrs(raw))
        elif open_timex is not None:
            start, attrs = open_timex
            open_timex = None
            text = "".join(parts)[start:length] if start < length else ""
            if text.strip():
                timexes.append(
                    GoldTimex(
                        start,
                        length,
                        text,
                        attrs.get("type", ""),
                        attrs.get("value", ""),
                        attrs.get("mod"),
                    )
                )
    parts.append(html.unescape(body[pos:]))
    return TimeMLDocument(name, "".join(parts), _dct_of(source), timexes)


def read_timeml(path: Path) -> TimeMLDocument:
    """Read one ``.tml`` file; raises :class:`EvaluationError` when it is not TimeML."""
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise EvaluationError(f"{path}: {exc}") from exc
    return parse_timeml(source, path.name)


def to_timeml(text: str, timexes: list[TimeExpression], dct: date | None = None) -> str:
    """A TimeML document of ``text`` with our TIMEX3 tags (``t0`` is the DCT when given)."""
    out = ['<?xml version="1.0" ?>\n<TimeML>\n']
    if dct is not None:
        out.append(
            f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct.isoformat()}" '
            f'temporalFunction="false" functionInDocument="CREATION_TIME">'
            f"{dct.isoformat()}</TIMEX3></DCT>\n"
        )
    out.append("<TEXT>")
    pos = 0
    for i, tx in enumerate(sorted(timexes, key=lambda t: t.start), start=1):
        if tx.start < pos:
            continue
        out.append(escape(text[pos : tx.start]))
        mod = f" mod={quoteattr(tx.mod)}" if tx.mod else ""
        out.append(
            f'<TIMEX3 tid="t{i}" type={quoteattr(tx.type)} value={quoteattr(tx.value)}{mod}>'
            f"{escape(text[tx.start : tx.end])}</TIMEX3>"
        )
        pos = tx.end
    out.append(escape(text[pos:]))
    out.append("</TEXT>\n</TimeML>\n")
    return "".join(out)


__all__ = ["GoldTimex", "TimeMLDocument", "parse_timeml", "read_timeml", "to_timeml"]
