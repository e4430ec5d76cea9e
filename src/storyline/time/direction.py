"""Past or future? Light tense cues instead of a part-of-speech tagger.

HeidelTime decides whether "Friday" or "in March" lies before or after the document date from
the tense of the sentence's verbs (POS tags). A full tagger costs far more than the rest of the
tagger together, so we read the same signal from cue words near the expression: modal and
auxiliary verbs ("will", "is going to", "had"), frequent irregular past forms and "-ed" words.
The nearest cue within the sentence wins; no cue means "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from storyline.time.rules import _trie

Direction = Literal["past", "future"] | None

_FUTURE_WORDS = frozenset(
    {
        "will", "won't", "wo", "shall", "plan", "plans", "planned", "planning", "scheduled",
        "would", "next", "upcoming", "coming", "forecast", "forecasts", "predict", "predicts",
        "begin", "begins", "start", "starts", "open", "opens", "tomorrow", "ahead", "later", "meet",
        "meets"
    }
)  # fmt: skip
_FUTURE_BEFORE_TO = frozenset(
    {
        "going", "expected", "expect", "expects", "due", "intend", "intends", "set", "aim", "aims",
        "hope", "hopes", "is", "are", "want", "wants", "seek", "seeks"
    }
)  # fmt: skip
_PAST_WORDS = frozenset(
    {
        "was", "were", "had", "did", "said", "ago", "last", "told", "made", "went", "came", "took",
        "gave", "saw", "met", "held", "left", "began", "became", "won", "lost", "fell", "rose",
        "sold", "bought", "paid", "put", "set", "got", "found", "thought", "knew", "announced",
        "reported", "earlier", "yesterday", "since", "previously", "flew", "ran", "spoke", "wrote",
        "drove", "struck", "fought", "brought", "caught", "sought", "sent", "spent", "built",
        "kept", "led", "fled", "stood", "chose", "broke", "stole", "shook", "threw", "grew", "drew",
        "blew", "wore", "tore", "died", "hit", "cut", "quit", "dropped"
    }
)  # fmt: skip
_NOT_PAST = frozenset(
    {"need", "speed", "feed", "seed", "united", "proceed", "exceed", "succeed", "indeed",
     "bed", "red", "based", "related", "limited", "interested", "concerned", "expected",
     "scheduled", "planned", "supposed", "used", "hundred", "breed", "embed"}
)  # fmt: skip
# Reporting verbs date the report, not the event reported ("will leave Thursday, he said").
_REPORTING = frozenset({"said", "says", "told", "added", "announced", "reported", "stated"})
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# A sentence end: ". " before a capital, a blank line or a line end. Written to begin with one
# character class, so that the engine skips to the next [.!?\n] instead of trying every
# position (the same ends as the plain alternation, 2.4 times faster on T17).
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])\s+(?=[\"'“A-Z0-9])|(?<=\n)\s*\n|(?<=\n))")


Cue = tuple[int, int, str]


def _candidate_pattern(lowered: bool, at_edge: bool = False) -> re.Pattern[str]:
    """Only the words that can be cues, each a whole word as :data:`_WORD` reads it; for
    text as written (case ignored) or, ``lowered``, for the lower-cased text (case kept).
    The word is the group ``w``.

    Why it consumes the character before the word (``at_edge`` False): a pattern that begins
    with one character class lets the engine skip to the next non-letter, where one that
    begins with look-behinds is tried at every position. Why possessive letters for "-ed" and
    "'ll" words: the plain ``[a-z]{3,}ed`` backtracked through every word that is not a cue
    letter by letter. Both: the same words, the scan 1.45 times faster on T17. ``at_edge``
    gives the look-behind form, for a word that starts right at the reading's left edge.
    """
    words = {*_FUTURE_WORDS, *_FUTURE_BEFORE_TO, *_PAST_WORDS, *_REPORTING, "as", "next"}
    plain = sorted(w for w in words if "'" not in w)
    quoted = sorted(w for w in words if "'" in w)
    before = r"(?<![A-Za-z])" if at_edge else r"[^A-Za-z]"
    pattern = (
        before + r"(?<![A-Za-z]['’])(?P<w>"
        rf"{_trie(plain)}(?!['’]?[A-Za-z])"
        rf"|{_trie(quoted)}(?![A-Za-z])"
        r"|[A-Za-z]++(?:(?<=[A-Za-z]{3}ed)(?!['’]?[A-Za-z])|['’]ll(?![A-Za-z]))"
        r")"
    )
    if lowered:
        return re.compile(pattern.replace("A-Za-z", "a-z"))
    return re.compile(pattern, re.IGNORECASE)


_CANDIDATE = _candidate_pattern(lowered=False)
_CANDIDATE_LOWER = _candidate_pattern(lowered=True)
_CANDIDATE_AT_EDGE = _candidate_pattern(lowered=False, at_edge=True)
_CANDIDATE_LOWER_AT_EDGE = _candidate_pattern(lowered=True, at_edge=True)
_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
"""The characters that ignoring case matches to an ASCII letter but ``lower()`` does not map
to one (İ, ı, ſ and the Kelvin sign; İ even lower-cases to two characters)."""


def lowered(text: str) -> str | None:
    """``text.lower()`` when :data:`_CANDIDATE_LOWER` reads it exactly as :data:`_CANDIDATE`
    reads ``text``: same offsets, same letters; None when the text holds a folding exception.

    Why: matching with case ignored lower-cases every character the engine compares; the
    same pattern with case kept, on the text lower-cased once, found the same cues 2.5 times
    faster. An ASCII text holds none of the exceptions, and ``str.isascii`` says so far
    faster than a search for them, which was a tenth of the tense reading's time on T17.
    """
    return text.lower() if text.isascii() or not _FOLDS.search(text) else None


_ENDS_WITH_BE = re.compile(r"be[^A-Za-z]*\Z", re.IGNORECASE)
_LOOK_BACK = 64
"""Characters before a participle read for the two words before it ("will be joined")."""


def cues(text: str, left: int, right: int) -> list[Cue]:
    """The tense cue words of ``text[left:right]`` as (start, end, direction); ``left`` is
    a word edge (0 or a space), as :class:`TenseIndex` reads.

    Why one pattern for the candidate words and look-ups around them: reading every word of
    the text and judging it in Python was a seventh of the tagger's time, and only about one
    word in ten can be a cue. The neighbours a cue needs ("going [to]", "will be [joined]")
    are read around it. The same cues as judging every word in turn (the reference reading
    in tests/test_time_extents.py).
    """
    return _cues(text, lowered(text), left, right)


def _cues(
    text: str, lower: str | None, left: int, right: int, only: tuple[int, int] | None = None
) -> list[Cue]:
    """:func:`cues`, given ``lower``, the :func:`lowered` text (read once per document).

    ``only``: the cues that start in ``[only[0], only[1])``, a block of :class:`TenseIndex`
    whose neighbour words are read as far as ``left`` and ``right``; the words outside it
    are not looked at (a block's margins were a fifth of the words read).
    """
    first, stop = only or (left, right)
    found: list[Cue] = []
    for m in _candidate_words(text, lower, first, right):
        start, end = m.span("w")
        if start >= stop:
            break
        word = m.group("w").lower()
        if word in _FUTURE_BEFORE_TO or word in ("as", "next"):
            after = _WORD.search(text, end, right)
            following = after.group(0).lower() if after else ""
            if (word in _FUTURE_BEFORE_TO and following == "to") or (
                word == "as" and following == "soon"
            ):
                found.append((start, after.end() if after else end, "future"))
                continue
            if word == "next" and following == "to":  # "next to the embassy": a place
                continue
        if word in _REPORTING:
            found.append((start, end, "report"))
        elif word in _FUTURE_WORDS or word.endswith(("'ll", "’ll")):
            found.append((start, end, "future"))
        elif word in _PAST_WORDS or (
            len(word) >= 5 and word.endswith("ed") and word not in _NOT_PAST
        ):
            # A participle after "will be" / "to be" is a future passive ("will be joined on
            # Thursday"), not a past tense: the modal governs the direction.
            found.append((start, end, "future" if _passive_future(text, left, start) else "past"))
    return found


def _candidate_words(
    text: str, lower: str | None, left: int, right: int
) -> Iterator[re.Match[str]]:
    """The candidate cue words that start in ``text[left:right]`` (group ``w``), read in
    ``lower`` when given, in order: the one at ``left`` itself, which has no character
    before it in the reading to consume, then the rest. Inside a word none starts, so any
    ``left`` finds the words a reading from further left finds after it."""
    source, edge, scan = (
        (text, _CANDIDATE_AT_EDGE, _CANDIDATE)
        if lower is None
        else (lower, _CANDIDATE_LOWER_AT_EDGE, _CANDIDATE_LOWER)
    )
    first = edge.match(source, left, right)
    if first is not None:
        yield first
    yield from scan.finditer(source, left if first is None else first.end(), right)


def _passive_future(text: str, left: int, start: int) -> bool:
    """Whether the two words before ``start`` (not before ``left``) are "will be", "to be"."""
    lo = max(left, start - _LOOK_BACK)
    if not _ENDS_WITH_BE.search(text, lo, start):
        return False  # most participles: no "be" right before, nothing to read
    if lo > left:  # start at a word edge, as a reading from ``left`` would
        space = text.find(" ", lo, start)
        lo = left if space < 0 else space
    before = [w.lower() for w in _WORD.findall(text, lo, start)]
    if len(before) < 2:
        return False
    first, second = before[-2], before[-1]
    return second == "be" and (
        first in _FUTURE_WORDS or first == "to" or first.endswith(("'ll", "’ll"))
    )


def nearest(found: list[Cue], start: int, end: int) -> Direction:
    """The direction of the cue nearest ``[start, end)``; cues after it count 15 chars further.

    ``found`` in text order. A reporting verb after the expression ends what can be read
    after it: the cues beyond are its report's ("On Tuesday, the company said it would cut
    jobs": "would" is not the day's tense).
    """
    best: tuple[int, str] | None = None
    blocked = False
    for c_start, c_end, kind in found:
        if start <= c_start < end:
            continue
        if c_start >= end and blocked:
            break  # past a reporting verb after the expression: its reported clause
        distance = start - c_end if c_end <= start else c_start - end + 15
        if kind == "report":  # "he said": the time of the report, weaker than the event's verb
            distance, kind = distance + 15, "past"
            blocked = c_start >= end
        if best is None or distance < best[0]:
            best = (distance, kind)
    if best is None:
        return None
    return "future" if best[1] == "future" else "past"


class SentenceEnds:
    """The sentence ends (:data:`_BOUNDARY`) of one text, found block by block when asked.

    Why: the tense of an expression is read within its sentence, so a question needs only the
    last sentence end before the expression and the first after it, usually a few dozen
    characters away; finding every end of the document up front was a fifth of the tense
    reading's time on T17. A block is scanned from and to a character that no sentence end
    can hold (neither a space nor ".!?"): a scan of the whole text cannot be inside a match
    there either, so the block holds the same ends as that scan.
    """

    _BLOCK = 256
    """Ends are found in blocks of this many characters (by end position), each once."""
    _REACH = 64
    """How far a block's scan may move its edges to reach such a character; a longer run of
    spaces and stops (never in prose) makes the index scan the whole text once instead."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._blocks: dict[int, list[int]] = {}
        self._whole: list[int] | None = None

    def last(self, at: int, floor: int) -> int | None:
        """The last sentence end ``e`` with ``floor <= e <= at``."""
        for k in range(at // self._BLOCK, floor // self._BLOCK - 1, -1):
            ends = [e for e in self._ends(k) if floor <= e <= at]
            if ends:
                return ends[-1]
        return None

    def first(self, at: int, ceiling: int) -> int | None:
        """The first sentence end ``e`` with ``at <= e < ceiling``."""
        for k in range(at // self._BLOCK, (ceiling - 1) // self._BLOCK + 1):
            ends = [e for e in self._ends(k) if at <= e < ceiling]
            if ends:
                return ends[0]
        return None

    def _ends(self, k: int) -> list[int]:
        """The ends ``e`` with ``k * _BLOCK <= e < (k + 1) * _BLOCK``."""
        found = self._blocks.get(k)
        if found is None:
            lo, hi = k * self._BLOCK, (k + 1) * self._BLOCK
            found = self._scan(lo, hi) if lo <= len(self.text) else []
            self._blocks[k] = found
        return found

    def _scan(self, lo: int, hi: int) -> list[int]:
        start, stop = self._edge(lo, -1), self._edge(min(hi, len(self.text)), 1)
        if start is None or stop is None:
            return [e for e in self._every_end() if lo <= e < hi]
        ends = (m.end() for m in _BOUNDARY.finditer(self.text, start, stop))
        return [e for e in ends if lo <= e < hi]

    def _edge(self, at: int, step: int) -> int | None:
        """The position nearest ``at`` (moving by ``step``) whose previous character no
        sentence end holds, or the text's edge; None when it lies beyond ``_REACH``."""
        text = self.text
        for _ in range(self._REACH):
            if at == (0 if step < 0 else len(text)):
                return at
            before = text[at - 1]
            if not (before.isspace() or before in ".!?"):
                return at
            at += step
        return None

    def _every_end(self) -> list[int]:
        if self._whole is None:
            self._whole = [m.end() for m in _BOUNDARY.finditer(self.text)]
        return self._whole


class TenseIndex:
    """Sentence ends and cue words of one document, each read block by block, on demand.

    Why: a document with many expressions asks for the tense many times, and scanning the
    sentence again each time made long run-on texts quadratic; reading every word of the
    document up front cost more than all the expression rules together, while only the few
    sentences holding an underspecified expression are ever asked about. Fixed blocks, not
    sentences, so that a run-on text without sentence ends is still read once.
    """

    _BLOCK = 256
    """Cues are read in blocks of this many characters, each once, when first asked about."""
    _MARGIN = 40
    """Characters read beyond a block so that a cue that needs its neighbour words ("going
    to", "will be joined") is judged as it would be in the whole text."""

    def __init__(self, text: str, window: int = 400) -> None:
        self.text = text
        self.window = window
        self.ends = SentenceEnds(text)
        self.lower = lowered(text)
        self._blocks: dict[int, list[Cue]] = {}

    def _block(self, k: int) -> list[Cue]:
        found = self._blocks.get(k)
        if found is None:
            left, right = k * self._BLOCK, (k + 1) * self._BLOCK
            lo = max(0, left - self._MARGIN)
            space = self.text.rfind(" ", 0, lo)  # start at a word edge, not inside a word
            lo = 0 if space < 0 or lo - space > self._MARGIN else space
            hi = min(len(self.text), right + self._MARGIN)
            found = _cues(self.text, self.lower, lo, hi, only=(left, right))
            self._blocks[k] = found
        return found

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Where the cues for ``[start, end)`` are read: its sentence, at most ``window``
        characters on either side."""
        floor = max(0, start - self.window)
        left = self.ends.last(start, floor)
        right = self.ends.first(end, end + self.window)
        return (floor if left is None else left), (end + self.window if right is None else right)

    def direction(self, start: int, end: int, closed_after: bool = False) -> Direction:
        """The direction of the nearest cue of the sentence around ``[start, end)``.

        ``closed_after``: a clause the expression is not part of follows it ("said in a
        statement on Tuesday that it would cut jobs": the day dates the saying, not the
        cutting), so the cues before it decide; only when there are none do the cues after it
        count, as the tense of a reported clause usually follows the reporting verb's.
        """
        left, right = self.sentence(start, end)
        found = [
            c
            for k in range(left // self._BLOCK, (right - 1) // self._BLOCK + 1)
            for c in self._block(k)
            if left <= c[0] < right
        ]
        if closed_after:
            before = nearest([c for c in found if c[0] < start], start, end)
            if before is not None:
                return before
        return nearest(found, start, end)


def tense(text: str, start: int, end: int) -> Direction:
    """The direction the sentence around ``[start, end)`` points to, from the nearest cue."""
    return TenseIndex(text).direction(start, end)
