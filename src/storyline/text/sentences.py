"""Split an article body into sentences that keep their character offsets.

Why nupunkt: it is the careful splitter probed here (``D.C. "We…``, ``No. 1``), needs no
download, and gives spans, so every citation can point at the exact characters. Line breaks
are also hard boundaries: a paragraph never ends mid-sentence in news copy, and pre-tokenised
corpora (Timeline17) put one sentence per line. Paragraphs a page glued without a space
("...percent.The Stoxx...") are split apart as well (:func:`_unglue`).
"""

from __future__ import annotations

import functools
import re

import nupunkt

from storyline.records import Sentence

_LINE = re.compile(r"[^\n]+")
_TRIMMED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
"""A line without its leading and trailing whitespace (``\\s`` and ``str.strip`` agree on what
whitespace is), so that the common one-sentence line needs no slicing or stripping in Python."""


@functools.cache
def _break_candidates() -> re.Pattern[str] | None:
    """nupunkt's own pattern for a possible sentence end (an end mark followed by a space, a
    closing mark or another end mark), or None if this nupunkt version has no such pattern.

    Why: nupunkt splits a line only at a match of this pattern, so a line without one is one
    sentence; most lines of news copy are ("He said on Monday.", "U.S. rates rose 0.25%."),
    and asking nupunkt about each cost a sixth of ingest. Taken from nupunkt itself, not
    copied, so that the shortcut always agrees with it (tests/test_dedupe_fast.py).
    Looked up on first use: loading the model at import would slow every command's start.
    """
    try:
        pattern = nupunkt.load("default")._lang_vars.period_context_pattern
    except (AttributeError, FileNotFoundError, ValueError):
        return None
    return pattern if isinstance(pattern, re.Pattern) else None


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """Sentences of ``text`` with ``start``/``end`` offsets into it (whitespace trimmed);
    sentences glued without a space are split too (:func:`_unglue`)."""
    return _unglue(article_id, text, _split(article_id, text))


def _split(article_id: str, text: str) -> list[Sentence]:
    """nupunkt's sentences of ``text``, every line break a boundary."""
    breaks = _break_candidates()
    if breaks is not None and _scans_as_lines(breaks):
        return _split_fast(article_id, text, _line_breaks(breaks, text))
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        piece = line.group()
        if breaks is not None and breaks.search(piece) is None:
            stripped = piece.strip()  # no place nupunkt could break: the line is one sentence
            if stripped:
                s = line.start() + len(piece) - len(piece.lstrip())
                out.append(Sentence(article_id, len(out), stripped, s, s + len(stripped)))
        else:
            _split_line(article_id, piece, line.start(), out)
    return out


_GLUED = (re.compile(r"\.(?=[A-Z][a-z])"), re.compile(r"\)(?=[A-Z][a-z])"))
"""Where a sentence end may be glued to the next sentence: a period (or a closing bracket),
then a capitalised word, with no space between ("said in the statement.The PBOC", "Kospi fell
0.6%.Australia’s", "(To watch Ross’s track record, click here)Overall, the ...").
Two patterns, each led by its literal mark, which ``re`` finds by a fast scan (9 µs a finance
text for both, against 41 µs for one pattern led by a class of the two marks); what precedes
and follows the mark is checked in :func:`_glued_cuts`."""
_GLUED_AFTER_MARK = frozenset('0123456789%)”’"')
"""Marks a glued sentence may end with before its period: a figure, a percent sign, a
closing bracket or quote."""
_WORD_BEFORE = re.compile(r"[A-Za-z]+$")
_WORD_AFTER = re.compile(r"[A-Za-z]+")
_NOT_GLUED_BEFORE = frozenset(
    [
        "mrs",
        "messrs",
        "gov",
        "sen",
        "rep",
        "gen",
        "col",
        "capt",
        "sgt",
        "cmdr",
        "adm",
        "prof",
        "rev",
        "hon",
        "inc",
        "corp",
        "ltd",
        "bros",
        "ave",
        "blvd",
        "dept",
        "univ",
        "est",
        "approx",
    ]
)
"""Abbreviations of that shape that a name may follow without a space ("Mrs.Smith")."""
_NOT_GLUED_AFTER = frozenset(
    [
        "com",
        "net",
        "org",
        "gov",
        "edu",
        "info",
        "biz",
        "co",
        "io",
        "ai",
        "tv",
        "fm",
        "me",
        "ly",
        "uk",
        "us",
    ]
)
"""Domain endings: "Amazon.Com", "Booking.Com" are names, not two sentences."""


def _unglue(article_id: str, text: str, sentences: list[Sentence]) -> list[Sentence]:
    """``sentences`` with each one split where a sentence end is glued to the next one.

    Why: news-please and web pages join paragraphs that the page kept apart by markup, so a
    Bloomberg markets wrap reads "...rose 0.4 percent.The Stoxx Europe 600 Index..." (1,031 of
    the 4,253 finance-news records, 41,254 places; 1 of 2,579 Timeline17 texts). nupunkt
    breaks only after a space, so the glued paragraphs were one sentence: a timeline entry
    showed three headlines run together (22 of 1,924 cited sentences of finance-news 2019),
    and a day named in one was cited by the others (``bench/bench_glued.py``). Not split
    inside a web address or an e-mail ("www.KeepAZsafe.com"), after an abbreviation
    ("Mrs.Smith") or before a domain ending ("Amazon.Com").
    """
    cuts = _glued_cuts(text, 0, len(text))
    if not cuts:  # most texts: one scan in C finds no candidate
        return sentences
    out: list[Sentence] = []
    pending = iter(cuts)
    cut = next(pending)
    for sentence in sentences:
        while cut <= sentence.start:
            cut = next(pending, len(text))
        start = sentence.start
        while cut < sentence.end:
            out.append(Sentence(article_id, len(out), text[start:cut], start, cut))
            start, cut = cut, next(pending, len(text))
        if start == sentence.start:  # not cut: renumbered in place (made just now, by _split)
            sentence.index = len(out)
            out.append(sentence)
        else:
            piece = text[start : sentence.end]
            out.append(Sentence(article_id, len(out), piece, start, sentence.end))
    return out


_RUN_CHARS = 200
"""How far around a glued mark its run of characters (an address?) is looked for."""


def _glued_cuts(text: str, start: int, end: int) -> list[int]:
    """Where sentences glued inside ``text[start:end]`` begin (just after each period): the
    period follows a word ending in two lower-case letters, or a figure, percent sign or
    closing mark, and is not inside a web or e-mail address, after an abbreviation
    ("Mrs.Smith") or before a domain ending ("Amazon.Com")."""
    cuts: list[int] = []
    addresses = "/" in text or "@" in text or "www" in text or "WWW" in text
    marks = sorted(m.start() for pattern in _GLUED for m in pattern.finditer(text, start, end))
    for period in marks:
        if period == start:
            continue
        if text[period] == ")":
            pass  # an aside in brackets glued to what follows: no word to check before it
        elif text[period - 1] not in _GLUED_AFTER_MARK:
            if not text[period - 2 : period].islower():
                continue
            # the abbreviations are short: the last letters before the period hold them
            word = _WORD_BEFORE.search(text[max(start, period - 8) : period])
            if word is None or word.group().lower() in _NOT_GLUED_BEFORE:
                continue
        following = _WORD_AFTER.match(text, period + 1)
        if following is None or (
            text[period] == "." and following.group().lower() in _NOT_GLUED_AFTER
        ):
            continue
        if addresses:
            # the run of characters around the mark, looked for within _RUN_CHARS each way (a
            # text without spaces, a blob of code, must not make each look scan all of it)
            lo, hi = max(start, period - _RUN_CHARS), min(end, period + _RUN_CHARS)
            before = max(text.rfind(" ", lo, period), text.rfind("\n", lo, period))
            ends = [i for i in (text.find(" ", period, hi), text.find("\n", period, hi)) if i >= 0]
            if before < 0 and lo > start or not ends and hi < end:
                continue  # no space for _RUN_CHARS: no prose
            run = text[before + 1 if before >= 0 else lo : min(ends, default=hi)].lower()
            if "www" in run or "://" in run or "@" in run or "/" in run:
                continue  # a web or e-mail address
        cuts.append(period + 1)
    return cuts


def _line_breaks(breaks: re.Pattern[str], text: str) -> list[int]:
    """Where ``breaks`` matches inside a line of ``text``, found in one scan of the whole text.

    nupunkt's pattern is one end mark and a lookahead at the characters after it: a match whose
    next character is the line break would not match within its line (nothing follows there),
    and every other match sees the same characters as it would within the line.
    """
    return [m.start() for m in breaks.finditer(text) if text[m.start() + 1 : m.start() + 2] != "\n"]


_PROBE = 'a.\nb. c!\n"d?" e.\r\nf.\u2029g\u2026 h.\' i.) j\n.\n\nk. \nl.  m.\n'


@functools.cache
def _scans_as_lines(breaks: re.Pattern[str]) -> bool:
    """Whether :func:`_line_breaks` finds, on lines ending in every way, what searching each
    line does: it assumes the shape of nupunkt's pattern; another nupunkt version with another
    pattern falls back to the search per line, slower but the same sentences."""
    per_line = [
        line.start() + m.start()
        for line in _LINE.finditer(_PROBE)
        for m in breaks.finditer(line.group())
    ]
    return per_line == _line_breaks(breaks, _PROBE)


def _split_fast(article_id: str, text: str, candidates: list[int]) -> list[Sentence]:
    """:func:`split_sentences` given where nupunkt could break: a line with no such place in
    it is one sentence, taken as the trimmed line's match; only the others go to nupunkt.

    Why: splitting spent more time slicing, stripping and measuring each line in Python than
    nupunkt spent on the few lines that can break (a break candidate is an end mark, never
    whitespace, so it lies within the trimmed line).
    """
    out: list[Sentence] = []
    append = out.append
    pending = iter(candidates)
    next_break = next(pending, len(text))
    for line in _TRIMMED_LINE.finditer(text):
        start, end = line.span()
        while next_break < start:
            next_break = next(pending, len(text))
        if next_break < end:
            base = text.rfind("\n", 0, start) + 1
            stop = text.find("\n", end)
            _split_line(article_id, text[base : len(text) if stop < 0 else stop], base, out)
        else:
            append(Sentence(article_id, len(out), line.group(), start, end))
    return out


def _split_line(article_id: str, piece: str, base: int, out: list[Sentence]) -> None:
    """Append the sentences nupunkt finds in one line (``piece``, at offset ``base``) to ``out``."""
    for start, end in line_spans(piece):
        chunk = piece[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        s = base + start + len(chunk) - len(chunk.lstrip())
        out.append(Sentence(article_id, len(out), stripped, s, s + len(stripped)))


_COMPOUND_ABBREVIATION = re.compile(r"(?:\w[-/]|[“\"‘'(\[])((?:[A-Za-z]{1,3}\.){2,})\s*$")
"""A chunk ending in a compound whose last part is an abbreviation: "Japan-U.S.", "Sino-U.S.",
"EU/U.K.", or one behind an opening quote: "“U.S." (the abbreviation is captured)."""
_PROBE_CHARS = 80  # how much of the next chunk nupunkt is shown after the bare abbreviation
_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Za-z]{1,3}\.){2,}|(?<![\w.])[A-Z][a-z]{0,3}\.)\s*$")
"""A chunk ending in what may be an abbreviation: letters with periods ("A.C.L.U.") or a short
capitalised word with one ("Cos.", "Cia.", "SA.", but also "Ford."); only a lower-case word
after it (:data:`_LOWER_START`) makes the break wrong."""
_LOWER_START = re.compile(r"\s*[a-z]")


def line_spans(piece: str) -> list[tuple[int, int]]:
    """nupunkt's sentence spans of one line, with a break after an abbreviation it did not
    recognise undone (:func:`_continues` says when).

    Why: nupunkt knows "U.S." but reads "Japan-U.S." as an unknown word ending a sentence, so
    "under the Japan-U.S. security pact." became two sentences, and a citation showed the
    first half (the seed 000's timeline did); "Interpublic Group of Cos. | fell 5 percent"
    likewise in finance news.
    """
    spans = [span for _, span in nupunkt.sent_spans_with_text(piece)]
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and _continues(piece, out[-1], start):
            out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out


def _continues(piece: str, before: tuple[int, int], start: int) -> bool:
    """Whether the sentence nupunkt starts at ``start`` goes on the one ``before`` it.

    Two cases, both where the break follows an abbreviation nupunkt did not recognise:
    - a compound abbreviation (:data:`_COMPOUND_ABBREVIATION`) after which nupunkt, shown the
      bare abbreviation and what follows, reads on;
    - an abbreviation of its own shape (:data:`_ABBREVIATION_END`: "Interpublic Group of Cos.",
      "the A.C.L.U.") followed by a lower-case word, which no sentence of edited news starts
      with after one ("fell 5 percent", "ran a study").
    """
    if _ABBREVIATION_END.search(piece, before[0], before[1]) and _LOWER_START.match(piece, start):
        return True
    found = _COMPOUND_ABBREVIATION.search(piece, before[0], before[1])
    if found is None:
        return False
    probe = f"{found.group(1)} {piece[start : start + _PROBE_CHARS].lstrip()}"
    first = next(iter(nupunkt.sent_spans_with_text(probe)), None)
    return first is not None and first[1][1] > len(found.group(1)) + 1
