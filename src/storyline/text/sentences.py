"""Split an article body into sentences that keep their character offsets.

Why nupunkt: it is the careful splitter probed here (``D.C. "We…``, ``No. 1``), needs no
download, and gives spans, so every citation can point at the exact characters. Line breaks
are also hard boundaries: a paragraph never ends mid-sentence in news copy, and pre-tokenised
corpora (Timeline17) put one sentence per line.
"""

from __future__ import annotations

import functools
import re

import nupunkt

from storyline.records import Sentence

_LINE = re.compile(r"[^\n]+")


@functools.cache
def _break_candidates() -> re.Pattern[str] | None:
    """nupunkt's own pattern for a possible sentence end (an end mark followed by a space, a
    closing mark or another end mark), or None if this nupunkt version has no such pattern.

    Why: nupunkt splits a line only at a match of this pattern, so a line without one is one
    sentence; most lines of news copy are ("He said on Monday.", "U.S. rates rose 0.25%."),
    and asking nupunkt about each cost a sixth of ingest. Taken from nupunkt itself, not
    copied, so that the shortcut always agrees with it (tests/test_dedupe_sentences_fast.py).
    Looked up on first use: loading the model at import would slow every command's start.
    """
    try:
        pattern = nupunkt.load("default")._lang_vars.period_context_pattern
    except (AttributeError, FileNotFoundError, ValueError):
        return None
    return pattern if isinstance(pattern, re.Pattern) else None


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """Sentences of ``text`` with ``start``/``end`` offsets into it (whitespace trimmed)."""
    out: list[Sentence] = []
    breaks = _break_candidates()
    for line in _LINE.finditer(text):
        base = line.start()
        piece = line.group()
        if breaks is not None and breaks.search(piece) is None:
            spans = [(0, len(piece))]  # no place nupunkt could break: the line is one sentence
        else:
            spans = [span for _, span in nupunkt.sent_spans_with_text(piece)]
        for start, end in spans:
            chunk = piece[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            s = base + start + lead
            out.append(Sentence(article_id, len(out), stripped, s, s + len(stripped)))
    return out
