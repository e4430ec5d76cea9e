"""The temporal tagger: find TIMEX3 expressions in a text and normalise them.

How: every rule of :mod:`storyline.time.rules` proposes matches; overlapping proposals are
settled leftmost-longest (a handler may still reject one, and the next best takes its place);
then the survivors are normalised in text order, so that "a year earlier" can anchor on the
date mentioned before it. No part-of-speech tagger, no model: a news article takes well under
a millisecond per kilobyte.
"""

from __future__ import annotations

import re
from datetime import date

from storyline.records import TimeExpression
from storyline.time import handlers_rel as _handlers_rel  # noqa: F401  (registers handlers)
from storyline.time.calendar import granularity_of, is_valid_value
from storyline.time.handlers import HANDLERS, Result
from storyline.time.resolve import Context
from storyline.time.rules import RULES, WINDOW, Rule

_TRAILING = re.compile(r"[\s,;:]+$")
_MAX_CHARS = 2_000_000

Candidate = tuple[int, int, int, re.Match[str]]


def _windows(rule: Rule, text: str, lower: str) -> list[tuple[int, int]]:
    """Merged spans of ``text`` around the rule's trigger words (where a match can be)."""
    hits: list[int] = []
    for word in rule.trigger:
        at = lower.find(word)
        while at >= 0:
            hits.append(at)
            at = lower.find(word, at + 1)
    if not hits:
        return []
    hits.sort()
    n = len(text)
    spans: list[tuple[int, int]] = []
    for at in hits:
        lo, hi = max(0, at - WINDOW), min(n, at + WINDOW)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _matches(rule: Rule, text: str, lower: str) -> list[re.Match[str]]:
    return [
        m for lo, hi in _windows(rule, text, lower) for m in rule.pattern.finditer(text, lo, hi)
    ]


def _candidates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    lower = text.lower()
    for index, rule in enumerate(RULES):
        for m in _matches(rule, text, lower):
            start, end = m.span("x") if "x" in m.groupdict() and m.group("x") else m.span()
            while end > start and text[end - 1] in " \t\n,;:":
                end -= 1
            while start < end and text[start] in " \t\n":
                start += 1
            if end > start:
                found.append((start, end, index, m))
    return found


def _apply(rule: Rule, m: re.Match[str], ctx: Context) -> Result | None:
    try:
        result = HANDLERS[rule.handler](m, ctx)
    except (ValueError, KeyError, IndexError, OverflowError, TypeError, AttributeError):
        return None
    if result is None or not result[1] or not is_valid_value(result[1]):
        return None
    return result


def _select(text: str, candidates: list[Candidate], probe: Context) -> list[Candidate]:
    """Leftmost-longest non-overlapping candidates that their handler accepts."""
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    taken = bytearray(len(text) + 1)
    chosen: list[Candidate] = []
    for cand in candidates:
        start, end, index, m = cand
        if any(taken[start:end]):
            continue
        if _apply(RULES[index], m, probe) is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    return chosen


def tag(text: str, dct: date | None = None) -> list[TimeExpression]:
    """Temporal expressions in ``text`` with TimeML type and value, resolved against ``dct``.

    Offsets index ``text`` (end exclusive). Without a DCT, absolute dates are still resolved
    and relative ones stay underspecified (``XXXX-XX-XX``). Never raises on a string.
    """
    if not isinstance(text, str) or not text:
        return []
    if not isinstance(dct, date):
        dct = None
    text_in = text[:_MAX_CHARS]
    try:
        candidates = _candidates(text_in)
    except RecursionError:
        return []
    chosen = _select(text_in, candidates, Context(text_in, dct))
    ctx = Context(text_in, dct)
    out: list[TimeExpression] = []
    for start, end, index, m in chosen:
        result = _apply(RULES[index], m, ctx)
        if result is None:
            continue
        kind, value, mod = result
        out.append(TimeExpression(start, end, text_in[start:end], kind, value, mod))
        if (
            kind == "DATE"
            and granularity_of(value) in ("D", "M", "Y", "Q")
            and index > 0
            or kind == "DATE"
            and granularity_of(value) is not None
        ):
            ctx.anchor = value
    return out


__all__ = ["tag"]
