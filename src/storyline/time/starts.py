"""Where a rule's match can begin: the word starts whose first two characters can begin it.

Why: the tagger tries each rule's pattern at the word starts of a window around a trigger
word, and most words ("said", "of", "to") cannot begin that rule. A pattern of the possible
first characters, written to begin with a character class so that the regular-expression
engine skips to the next candidate by itself, let the tagger try only those words; checking
the second character too ("th" can begin "the beginning of", "to" begins no date) left about
half as many attempts again.

The possible prefixes are read from the parsed pattern (``re._parser``) as a superset of the
truth: look-arounds count as matching nothing, case is ignored everywhere, and anything this
module does not read (a back-reference, a non-ASCII letter) means "any word start". So a start
it refuses is one where the rule cannot match.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from collections.abc import Iterable
from typing import Any

Chars = frozenset[str] | None
"""The characters one position of a match can hold; ``\\d`` stands for any Unicode digit (as
the rules' ``\\d`` reads) and None for any character at all."""
Prefix = tuple[Chars, ...]
"""The first characters of a match; shorter than the depth asked for when the match is."""

DEPTH = 2
"""Characters read: the first two (:func:`word_starts` writes a look-ahead for the second)."""
WORD_START = r"(?<![\w'’-])[\w'’]"
"""Where a match can begin: every rule starts with this look-behind (see ``rules._rule``)."""
_FOLDS = {"i": "Iıİ", "k": "KK", "s": "Sſ"}
"""The characters other than the upper case that match an ASCII letter when case is ignored
(Python's simple case folding): "ſ" is an "s", the Kelvin sign a "k"."""


def prefixes(items: Iterable[tuple[Any, Any]], depth: int = DEPTH) -> set[Prefix] | None:
    """The first ``depth`` characters of every match of a parsed sequence, or None when it
    holds an item not read here."""
    out: set[Prefix] = {()}
    for op, av in items:
        if all(len(p) == depth for p in out):
            break
        item = _item(op, av, depth)
        if item is None:
            return None
        out = _then(out, item, depth)
    return out


def _then(first: set[Prefix], second: set[Prefix], depth: int) -> set[Prefix]:
    """The prefixes of a match of one part followed by a match of the other."""
    return {p if len(p) == depth else p + q[: depth - len(p)] for p in first for q in second}


def _item(op: Any, av: Any, depth: int) -> set[Prefix] | None:
    if op is _sre.LITERAL:
        return {(frozenset(chr(av)),)}
    if op is _sre.IN:
        return {(_chars(av),)}
    if op in (_sre.ANY, _sre.NOT_LITERAL):
        return {(None,)}
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return {()}
    if op is _sre.SUBPATTERN:
        return prefixes(av[3], depth)
    if op is _sre.ATOMIC_GROUP:
        return prefixes(av, depth)
    if op is _sre.BRANCH:
        found: set[Prefix] = set()
        for branch in av[1]:
            one = prefixes(branch, depth)
            if one is None:
                return None
            found |= one
        return found
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return _repeat(av[0], av[1], av[2], depth)
    return None


def _repeat(low: int, high: int, body: Any, depth: int) -> set[Prefix] | None:
    """``body`` ``low`` to ``high`` times: no count above ``depth`` adds a prefix (each match
    of the body is empty or adds a character), nor does a minimum above it take one away."""
    one = prefixes(body, depth)
    if one is None:
        return None
    found: set[Prefix] = set()
    current: set[Prefix] = {()}
    for count in range(min(high, depth) + 1):
        if count >= min(low, depth):
            found |= current
        current = _then(current, one, depth)
    return found


def _chars(items: list[tuple[Any, Any]]) -> Chars:
    """The characters of a parsed set (``[...]``); None for a negated set, ``\\w``, ``\\s``."""
    chars: set[str] = set()
    for kind, arg in items:
        if kind is _sre.LITERAL:
            chars.add(chr(arg))
        elif kind is _sre.RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif kind is _sre.CATEGORY and arg is _sre.CATEGORY_DIGIT:
            chars.add(r"\d")
        else:
            return None
    return frozenset(chars)


def _any_case(chars: Iterable[str]) -> str:
    """A character class body for ``chars`` in every case that ignoring case matches."""
    out = {c for ch in chars if ch != r"\d" for c in ch.lower() + ch.upper()}
    out.update(c for ch in list(out) for c in _FOLDS.get(ch, ""))
    digits = r"\d" if r"\d" in chars else ""
    return re.escape("".join(sorted(out))) + digits


def _readable(found: set[Prefix]) -> bool:
    """Whether every match holds a character and begins with a known one, all of them cased
    as ASCII is (a non-ASCII letter may fold in ways :func:`_any_case` does not write)."""
    if () in found or any(p[0] is None for p in found):
        return False
    chars = {c for p in found for s in p if s is not None for c in s if c != r"\d"}
    return all(c.isascii() or c.lower() == c.upper() for c in chars)


def _seconds(found: set[Prefix]) -> dict[str, frozenset[str] | None]:
    """The characters that can follow each first character (lower-cased; None: any)."""
    seconds: dict[str, set[str] | None] = {}
    for prefix in found:
        second = prefix[1] if len(prefix) > 1 else None
        for ch in prefix[0] or ():
            known = seconds.get(ch.lower(), set())
            if second is None or known is None:
                seconds[ch.lower()] = None
            else:
                seconds[ch.lower()] = known | second
    return {ch: None if s is None else frozenset(s) for ch, s in seconds.items()}


def word_starts(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The word starts where a match of ``pattern`` can begin, judged by the first two
    characters; the match holds the first character only.

    Written to begin with the class of the possible first characters, so that the engine
    skips to the next candidate by itself; the look-behinds then keep exactly the word starts
    :data:`WORD_START` finds, and a look-ahead per first character checks the second.
    """
    found = prefixes(_sre_parse.parse(pattern.pattern, pattern.flags))
    if found is None or not _readable(found):
        return re.compile(WORD_START)
    by_second: dict[frozenset[str] | None, list[str]] = {}
    for first, second in _seconds(found).items():
        by_second.setdefault(second, []).append(first)
    branches = [
        f"(?<=[{_any_case(firsts)}])" + ("" if second is None else f"(?=[{_any_case(second)}])")
        for second, firsts in sorted(by_second.items(), key=lambda kv: sorted(kv[1]))
    ]
    firsts = [first for group in by_second.values() for first in group]
    return re.compile(f"[{_any_case(firsts)}](?<![\\w'’-].)(?<=[\\w'’])(?:{'|'.join(branches)})")


__all__ = ["DEPTH", "WORD_START", "prefixes", "word_starts"]
