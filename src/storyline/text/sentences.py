"""Split an article body into sentences that keep their character offsets.

Why nupunkt: it is the careful splitter probed here (``D.C. "We…``, ``No. 1``), needs no
download, and gives spans, so every citation can point at the exact characters. Line breaks
are also hard boundaries: a paragraph never ends mid-sentence in news copy, and pre-tokenised
corpora (Timeline17) put one sentence per line.
"""

from __future__ import annotations

import re

import nupunkt

from storyline.records import Sentence

_LINE = re.compile(r"[^\n]+")


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """Sentences of ``text`` with ``start``/``end`` offsets into it (whitespace trimmed)."""
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        base = line.start()
        for _, (start, end) in nupunkt.sent_spans_with_text(line.group()):
            chunk = line.group()[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            s = base + start + lead
            out.append(Sentence(article_id, len(out), stripped, s, s + len(stripped)))
    return out
