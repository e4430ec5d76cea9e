"""The fast readings of ingest's text steps give exactly what their definitions give.

MinHash: the signature built from byte slices of the joined words equals datasketch's over
the set of shingle strings (stored signatures must stay comparable). Sentences: a line that
nupunkt cannot break is taken whole without asking it, and that is what nupunkt answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from storyline.records import Sentence
from storyline.text import sentences
from storyline.text.dedupe import (
    SHINGLE_HASHES,
    minhash,
    minhash_from_bytes,
    minhash_reference,
    normalise_whitespace,
    signature_bytes,
)
from storyline.text.sentences import split_sentences

TEXTS = [
    "",
    "one",
    "a b c d",
    "a b c d e",
    "The same five words. The same five words. The same five words.",
    "Ünïcode wörds in Straße café: naïve résumé, İstanbul and ﬁve more words here",
    "He said on Monday (Reuters) that U.S. rates rose 0.25% to $122.44.\nNext line!  And "
    'another? "Yes." she said.\r\n\n  Indented line without an end\t\n...\nNo. 1 is D.C. "We',
    # end marks at a line's end, before trailing blanks, a CR, a line separator or the text's end
    "Ends here.\nStarts here. Then U.S.\n\nmore.  \nA B.\r\nC?\u2028D! e\u2029f.\x85g.",
    "\n\n  \t\n. \n!\n?x\n\u2026 and\u2026\n'quoted.' \u201cNo.\u201d\n.",
    # non-ASCII but only non-word characters (read by the byte table), then symbols that are
    # word characters or lower-case to one (read by the pattern)
    "Don\u2019t \u201cstop\u201d \u2014 now\u2026 it\u2019s 5\u20ac, 3\u00d74 \u00a9 the_end of it",
    "\u24b6 \u24d1 \u00bd \u00b2 \u2083 five more words \u0130 here",
    # more shingles than one block of the polynomial hash, and a word longer than its kept
    # power tables
    " ".join(f"word{i % 5000} of many" for i in range(4000)),
    "short words " + "x" * 70_000 + " and the rest of the sentence after it",
    # abbreviations that nupunkt alone breaks after (a compound, an unknown one before a
    # lower-case word, a quoted one), in lines with other breaks
    "Talks went on. It is the Japan-U.S. security pact, Sino-U.S. ties aside. Next.",
    "Shares of TJX Cos. rose. He said: \u201cU.S. stocks are cheap.\u201d The A.C.L.U. agreed.",
]


def _nupunkt_sentences(article_id: str, text: str) -> list[Sentence]:
    """The plain reading: every line asked of ``line_spans`` (nupunkt's spans, breaks after an
    abbreviation it did not recognise undone)."""
    out: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        if line:
            for start, end in sentences.line_spans(line):
                chunk = line[start:end]
                if chunk.strip():
                    s = offset + start + len(chunk) - len(chunk.lstrip())
                    out.append(
                        Sentence(article_id, len(out), chunk.strip(), s, s + len(chunk.strip()))
                    )
        offset += len(line) + 1
    return out


@pytest.mark.parametrize("shingle_hash", SHINGLE_HASHES)
@pytest.mark.parametrize("text", TEXTS)
def test_minhash_equals_datasketch_over_the_shingle_set(text: str, shingle_hash: str) -> None:
    fast = minhash(text, 128, shingle_hash)
    reference = minhash_reference(text, 128, shingle_hash)
    assert fast.hashvalues.dtype == reference.hashvalues.dtype
    assert np.array_equal(fast.hashvalues, reference.hashvalues)
    assert minhash_from_bytes(signature_bytes(fast)).jaccard(reference) == 1.0


@pytest.mark.parametrize("text", TEXTS)
def test_sentences_equal_asking_nupunkt_about_every_line(text: str) -> None:
    assert split_sentences("a1", text) == _nupunkt_sentences("a1", text)


def test_fast_readings_on_timeline17(shared_data: Path) -> None:
    files = sorted((shared_data / "t17").glob("*/InputDocs/*/*.txt"))[::40]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert split_sentences("a1", text) == _nupunkt_sentences("a1", text), path
        for shingle_hash in SHINGLE_HASHES:
            fast = minhash(text, 128, shingle_hash)
            reference = minhash_reference(text, 128, shingle_hash)
            assert np.array_equal(fast.hashvalues, reference.hashvalues), (path, shingle_hash)


def test_whitespace_normalised_as_the_pattern_would() -> None:
    text = " \u00a0a\u2003b \u200b c\x1c\x1d\x1e\x1f\x85 d \t\n\r\x0b\x0c e\u3000"
    assert normalise_whitespace(text) == re.sub(r"\s+", " ", text).strip()


def test_sentences_the_same_when_the_pattern_cannot_be_scanned_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A nupunkt whose break pattern also matches at a line's end (where the one scan of the
    whole text sees the line break) is asked line by line, with the same sentences."""
    own = sentences._break_candidates()
    assert own is not None and sentences._scans_as_lines(own)
    wider = re.compile(f"(?:{own.pattern})|[.!?](?=$)", own.flags)
    assert not sentences._scans_as_lines(wider)
    monkeypatch.setattr(sentences, "_break_candidates", lambda: wider)
    for text in TEXTS:
        assert split_sentences("a1", text) == _nupunkt_sentences("a1", text)
