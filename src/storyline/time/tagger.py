"""The temporal tagger: find TIMEX3 expressions in a text and normalise them.

How: every rule of :mod:`storyline.time.rules` proposes matches; overlapping proposals are
settled longest-first (a handler may still reject one, and the next best takes its place);
then the survivors are normalised in text order, so that "a year earlier" can anchor on the
date mentioned before it. No part-of-speech tagger, no model, and fast (about 1 ms of one core
per T17 article; MB/s beside the previous implementation in bench/results/time.json): one scan
of the text finds the trigger words and digits (:data:`storyline.time.rules.PREFILTER`), each
rule runs only in windows around the hits where its match can hold one
(:data:`storyline.time.rules.GATES` and ``LEADS``), and in a window only at the words whose
first two letters can begin it (``Rule.starts``, :mod:`storyline.time.starts`); the tense
of a sentence is read from cue words found block by block on demand
(:class:`storyline.time.direction.TenseIndex`). bench/check_time_same.py checks that a
speed change finds exactly what the previous revision found.
A learned extent recogniser (a CRF over these rules) was tried and lost on the corpus it was
not trained on (bench/bench_time_crf.py), so extents stay with the rules.
"""

from __future__ import annotations

import re
from datetime import date

from storyline.records import TimeExpression
from storyline.settings import TimeConfig
from storyline.time import calendar as cal
from storyline.time import handlers_rel as _handlers_rel  # noqa: F401  (registers handlers)
from storyline.time.calendar import granularity_of, is_valid_value
from storyline.time.handlers import HANDLERS, Result
from storyline.time.resolve import Context
from storyline.time.rules import AFTER, LEAD_WORD, RULES, Rule, trigger_hits

_MAX_CHARS = 2_000_000
"""Text beyond this many characters is not tagged: no article is that long, and it bounds
the time one pathological input can take."""

Candidate = tuple[int, int, int, re.Match[str]]


def _windows(rule: Rule, hits: dict[str, list[int]], lower: str) -> list[tuple[int, int, int]]:
    """Merged spans of the text around the rule's trigger hits (where a match can be), each
    with its last hit: a match holds a hit, so none starts after the last one."""
    found = [at for name in rule.trigger for at in hits.get(name, ())]
    if rule.gate is not None:
        gate = rule.gate.match
        found = [at for at in found if gate(lower, at)]
    if rule.lead is not None:
        found = [at for at in found if _led(rule.lead, lower, at)]
    if not found:
        return []
    found.sort()
    return _merged(found, rule.before, len(lower))


def _merged(found: list[int], before: int, n: int) -> list[tuple[int, int, int]]:
    """The spans ``before`` characters before to ``AFTER`` after each hit of ``found`` (in
    order), overlapping ones merged, each with its last hit. A plain loop over the hits with
    the open span in locals: this runs for every rule of every document."""
    spans: list[tuple[int, int, int]] = []
    lo, hi, last = 0, -1, -1
    for at in found:
        start = at - before if at > before else 0
        if start > hi:  # no overlap: the open span is done
            if last >= 0:
                spans.append((lo, min(hi, n), last))
            lo = start
        hi, last = at + AFTER, at
    spans.append((lo, min(hi, n), last))
    return spans


def _led(lead: frozenset[str], lower: str, at: int) -> bool:
    """Whether the word right before ``at`` is one of ``lead`` (or a digit)."""
    m = LEAD_WORD.search(lower, max(0, at - 40), at)
    return m is not None and (m.group("w") is None or m.group("w") in lead)


def _matches(rule: Rule, text: str, lo: int, hi: int, last: int) -> list[re.Match[str]]:
    """What ``finditer(text, lo, hi)`` finds, but trying only the word starts up to ``last``
    that can begin the rule (``rule.starts``).

    Why: a window reaches ``AFTER`` characters past its last trigger only so that a match can
    end there; scanning for matches that begin there was a third of the rules' time. Trying
    only the words whose first letter can begin the rule cut the attempts by ~40 %, and
    whose first two letters by about half of the rest (:mod:`storyline.time.starts`; the
    scan reaches one character past ``last`` so that the second can be read).
    """
    match = rule.pattern.match
    out: list[re.Match[str]] = []
    resume = lo
    for s in rule.starts.finditer(text, lo, min(hi, last + 2)):
        at = s.start()
        if at > last:
            break
        if at < resume:
            continue
        m = match(text, at, hi)
        if m is not None:
            out.append(m)
            end = m.end()
            resume = end if end > at else at + 1
    return out


def lower_in_place(text: str) -> str:
    """``text`` lower-cased with every character where it was: the trigger scan reads offsets
    in the lower-cased text and uses them in ``text``.

    Why not ``str.lower`` alone: a few characters lower-case to two ("İ" to "i̇"), which would
    shift every offset after them (``tag("İİİİ Monday")`` read past the end of the text). Those
    characters are kept as they are; no rule matches them anyway.
    """
    lower = text.lower()
    if len(lower) == len(text):  # lower-casing never shortens: nothing grew, nothing moved
        return lower
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def _candidates(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    lower = lower_in_place(text)
    hits = trigger_hits(text, lower)
    shared: dict[tuple[object, ...], list[tuple[int, int, int]]] = {}
    for index, rule in enumerate(RULES):
        key = (rule.trigger, rule.before, rule.gate, rule.lead)
        windows = shared.get(key)
        if windows is None:  # "date" and "month" open the same windows
            windows = shared[key] = _windows(rule, hits, lower)
        for lo, hi, last in windows:
            for m in _matches(rule, text, lo, hi, last):
                start, end = m.span("x") if rule.narrows and m.group("x") else m.span()
                while end > start and text[end - 1] in " \t\n,;:":
                    end -= 1
                while start < end and text[start] in " \t\n":
                    start += 1
                if end > start:
                    found.append((start, end, index, m))
    return found


def _apply(rule: Rule, m: re.Match[str], ctx: Context) -> Result | None:
    """The handler's reading of a match, or None when it is not a valid expression.

    Only ``ValueError`` and ``OverflowError`` mean "no such date" (February 30, year 10000,
    a shift past the calendar's end) and reject the match; any other exception is a bug in a
    handler and propagates, so tests and the fuzz (tests/test_fuzz_tagger.py) see it.
    """
    try:
        result = HANDLERS[rule.handler](m, ctx)
    except (ValueError, OverflowError):
        return None
    if result is None or not result[1] or not is_valid_value(result[1]):
        return None
    return result


STATEFUL = frozenset({"year", "quarter", "ago", "clock", "unit_rel"})
"""Handlers whose reading depends on what was tagged before it (``Context.anchor``, the last
quarter named): only these run again, in text order, after the selection. Every other
handler reads only its match, the text and the DCT, so its reading during the selection is
final (tests/test_time_extents.py checks the handlers' code for it)."""


def _select(
    text: str, candidates: list[Candidate], probe: Context
) -> list[tuple[Candidate, Result]]:
    """Longest-first non-overlapping candidates that their handler accepts, with its reading.

    Length and overlap count the whole match, context words included ("last [Oct. 23]"),
    so a narrowed extent does not lose to a shorter reading of the same words.
    """
    candidates.sort(key=lambda c: (-(c[3].end() - c[3].start()), c[0], c[2]))
    taken = bytearray(len(text) + 1)
    chosen: list[tuple[Candidate, Result]] = []
    for cand in candidates:
        start, end, index, m = cand
        lo, hi = min(start, m.start()), max(end, m.end())
        if any(taken[lo:hi]):
            continue
        result = _apply(RULES[index], m, probe)
        if result is None:
            continue
        taken[lo:hi] = b"\x01" * (hi - lo)
        chosen.append((cand, result))
    chosen.sort(key=lambda c: c[0][0])
    return chosen


_RANGE_END = re.compile(
    r"\s*(?:-|–|to|and|through|until|till)\s*(?P<day>3[01]|[12]\d|0?[1-9])(?!\d)"
    r"(?=\s*(?:[,.;:)]|$|\s(?:in|at|on|and|to|of|for|the|when|while|with|,)\b|\s+\d{4}))"
)


def _range_ends(text: str, found: list[TimeExpression]) -> list[TimeExpression]:
    """The bare second day of "March 27-31" / "between May 3 and 5", in the first's month."""
    extra: list[TimeExpression] = []
    starts = {tx.start for tx in found}
    for tx in found:
        if tx.type != "DATE" or len(tx.value) != 10 or not tx.text[-1:].isdigit():
            continue
        m = _RANGE_END.match(text, tx.end)
        if not m or m.start("day") in starts:
            continue
        day = int(m.group("day"))
        value = f"{tx.value[:8]}{day:02d}"
        if day > int(tx.value[8:]) and is_valid_value(value):
            extra.append(
                TimeExpression(m.start("day"), m.end("day"), m.group("day"), "DATE", value)
            )
    return sorted(found + extra, key=lambda t: t.start) if extra else found


_WEEK_OF = re.compile(r"(?:the\s+)?(?:week|weekend)\Z", re.IGNORECASE)
_OF = re.compile(r"\s+of\s+")


def _week_of(text: str, found: list[TimeExpression]) -> list[TimeExpression]:
    """ "the week of March 6": one expression, the week (or weekend) of the day it names.

    Why a pass over the tagged expressions rather than a rule: both halves are tagged
    already ("the week" as the DCT's week, "March 6" as the day), and only their being joined
    by "of" says that the week is that day's.
    """
    out: list[TimeExpression] = []
    i = 0
    while i < len(found):
        tx = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (
            nxt is not None
            and tx.type == "DATE"
            and _WEEK_OF.match(tx.text)
            and nxt.type == "DATE"
            and len(nxt.value) == 10
            and _OF.fullmatch(text, tx.end, nxt.start)
        ):
            day = cal.value_to_date(nxt.value)
            if day is not None:
                unit = "WE" if tx.text.lower().endswith("weekend") else "W"
                value = cal.at_granularity(day, unit)
                out.append(
                    TimeExpression(tx.start, nxt.end, text[tx.start : nxt.end], "DATE", value)
                )
                i += 2
                continue
        out.append(tx)
        i += 1
    return out


def tag(
    text: str, dct: date | None = None, config: TimeConfig | None = None
) -> list[TimeExpression]:
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
    config = config or TimeConfig()
    probe = Context(text_in, dct, config=config)
    chosen = _select(text_in, candidates, probe)
    ctx = Context(text_in, dct, tenses=probe.tenses, config=config)
    out: list[TimeExpression] = []
    for (start, end, index, m), probed in chosen:
        rule = RULES[index]
        result = _apply(rule, m, ctx) if rule.handler in STATEFUL else probed
        if result is None:
            continue
        kind, value, mod = result
        out.append(TimeExpression(start, end, text_in[start:end], kind, value, mod))
        if kind == "DATE" and granularity_of(value) is not None:
            ctx.anchor = value  # what "a year earlier", "the following month" count from
    return _range_ends(text_in, _week_of(text_in, out))


__all__ = ["tag"]
