"""Markdown with footnote citations: each sentence ends in ``[^n]``, the notes list the sources.

Footnotes (GitHub / Pandoc syntax) keep the timeline readable as prose while every sentence stays
traceable to its article and position. Sentence text is escaped so that news text with ``*``,
``_`` or brackets cannot turn into markup or fake links.
"""

from __future__ import annotations

import re

from storyline.records import Timeline
from storyline.render._cite import (
    CAPTION_SOURCE,
    EXPECTED_LABEL,
    describe,
    link,
    provenance,
    sorted_entries,
)

__all__ = ["escape", "render"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Backslash-escape the characters that would start Markdown or HTML markup inline."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render(timeline: Timeline) -> str:
    """``# title``, a ``##`` heading per date (``*(expected)*`` when so, ``*(pinned by an
    editor)*`` when a person chose it), bullets, footnotes; a caption is a bullet citing nothing."""
    out = [f"# {escape(timeline.title) or 'Timeline'}", ""]
    notes: list[str] = []
    if not timeline.entries:
        out += ["*No entries.*", ""]
    for entry in sorted_entries(timeline.entries):
        heading = f"## {entry.label}"
        if entry.expected:
            heading += f" *({EXPECTED_LABEL})*"
        if (who := provenance(entry)) is not None:
            heading += f" *({who})*"
        out += [heading, ""]
        if entry.caption is not None:
            out.append(f"- {escape(entry.caption)} *({CAPTION_SOURCE})*")
        for c in entry.sentences:
            notes.append(_note(len(notes) + 1, describe(c), link(c)))
            out.append(f"- {escape(c.text)} [^{len(notes)}]")
        out.append("")
    return "\n".join(out + notes) + ("\n" if notes else "")


def _note(n: int, description: str, href: str | None) -> str:
    text = escape(description)
    if href:
        text += f" <{href.replace('>', '%3E').replace(' ', '%20')}>"
    return f"[^{n}]: {text}"
