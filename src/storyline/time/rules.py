"""The extraction rules: one regular expression per kind of temporal expression.

Each rule is data: a name, a pattern built from the tables in :mod:`storyline.time.lexicon`,
and the name of the handler in :mod:`storyline.time.handlers` that turns a match into a TIMEX3
type and value. Extents follow TimeML: prepositions stay outside ("in [January]"), determiners
and modifiers inside ("[the last week]", "[late last July]"). A named group ``x`` narrows the
extent when the context words around it are only there to license the match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storyline.time import lexicon as lx
from storyline.time.starts import WORD_START, word_starts


def _trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` shaped as a prefix tree (a space matches any whitespace).

    Why: the regular-expression engine tries a flat alternation's branches one by one at every
    position, and the rules try their word lists at every word of a window; as a tree, the
    first letter that fails ends the attempt (the rules ran about twice as fast). The longest
    word still wins: a shorter one ("a") only matches when the longer ("a few") fails.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        kids = [(r"\s+" if k == " " else re.escape(k)) + emit(v) for k, v in node.items() if k]
        if not kids:
            return ""
        body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + emit(tree) + ")"


def _alt(words: Iterable[object]) -> str:
    """Alternation of the words in any case, longest first."""
    return _trie(sorted({str(w) for w in words}))


def _cap(words: Iterable[object]) -> str:
    """Alternation matching each word Capitalised or in CAPITALS only (names, not verbs)."""
    forms = {f for w in words for f in (str(w).capitalize(), str(w).upper())}
    return "(?-i:" + _trie(sorted(forms)) + ")"


def _title(phrase: str) -> str:
    """A holiday name as written: each word capitalised, spaces flexible."""
    words = ["-".join(p[:1].upper() + p[1:] for p in w.split("-")) for w in phrase.split()]
    return r"\s+".join(re.escape(w) for w in words)


_MONTH_NAMES = [k for k in lx.MONTHS if len(k) > 3 or k == "may"]
_MONTH_ABBR = [k for k in lx.MONTHS if len(k) <= 4 and k != "may" and k not in ("june", "july")]
MON = rf"(?:{_cap(_MONTH_NAMES)}|(?:{_cap(_MONTH_ABBR)})\.?)"
WD = _cap(lx.WEEKDAY_WORDS)
WDS = rf"(?:{WD})s"
YEAR = r"(?<![\d$£€.,])(?:1[0-9]\d\d|20\d\d|2100)(?![\d]|,\d|\s*(?:%|percent|per\s+cent))"
YEAR2 = r"'\d\d(?![\w'])"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
NUMW = _alt(k for k in lx.NUMBER_WORDS if k not in ("a", "an"))
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
NUM = (
    rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s+[1-3]/[2-4])?|{TENS}[\s-]{ONES}|{NUMW}|a|an|one\s+and\s+a\s+half"
    rf"|{_alt(lx.VAGUE_QUANTITIES)})"
)
UNIT_WORDS = [u for u in lx.UNITS if u not in ("yr", "hr", "min", "night")]
UNIT = rf"(?:{_alt(lx.UNIT_PLURALS)}|(?:{_alt(UNIT_WORDS)})s?|yrs?|hrs?|mins?)"
UNIT_SG = rf"(?:{_alt(UNIT_WORDS)})"
MODP = (
    r"(?:(?P<mod>early|earlier|late|later|mid|middle|the\s+(?:beginning|start|end|close|middle)\s+of"
    r"|the\s+(?:first|second|last)\s+half\s+of|the\s+mid)[\s-]+(?:in\s+)?)?"
)
MODP2 = MODP.replace("<mod>", "<mod2>")
# "over" is a quantity modifier only after a degree adverb ("just [over an hour]"); elsewhere
# it is the preposition and stays outside ("over [three years]"), see lexicon.APPROXIMATORS.
_OVER = r"(?:(?<=just\s)|(?<=well\s)|(?<=slightly\s)|(?<=little\s))over"
APPROX = rf"(?:(?P<approx>{_alt(lx.APPROXIMATORS)}|{_OVER})\s+)?"
# Before "ago" a quantity is a point's distance: "over [a year ago]" cannot be a preposition.
APPROX_AGO = (
    rf"(?:(?P<approx>{_alt([*lx.APPROXIMATORS, 'about', 'around', 'roughly', 'over'])})\s+)?"
)
PART = rf"(?P<part>{_alt(lx.DAY_PARTS)})"
PART2 = PART.replace("<part>", "<part2>")
SEASON = rf"(?P<season>{_alt(lx.SEASONS)})"
REL = r"(?P<rel>last|next|this|past|coming|previous|following|current|same|prior|that|latest)"
ORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
HOLIDAY_NAMES = [*lx.FIXED_HOLIDAYS, *lx.NTH_WEEKDAY_HOLIDAYS, *lx.EASTER_HOLIDAYS, "election day"]
HOLIDAY = rf"(?-i:(?P<holiday>{'|'.join(_title(h) for h in sorted(HOLIDAY_NAMES, key=len, reverse=True))}))"


@dataclass(frozen=True, slots=True)
class Rule:
    """One extraction rule: ``handler`` names the function that normalises its matches."""

    name: str
    pattern: re.Pattern[str]
    handler: str
    trigger: tuple[str, ...]
    narrows: bool
    before: int = 48
    gate: re.Pattern[str] | None = None
    lead: frozenset[str] | None = None
    starts: re.Pattern[str] = re.compile(WORD_START)


# Trigger classes: every match of a rule contains a hit of one of its classes, and a rule only
# runs in windows around those hits, which makes the tagger several times faster on ordinary
# prose. Words are found at a word start in the lower-cased text; see PREFILTER.
TRIGGER_WORDS: dict[str, tuple[str, ...]] = {
    "mon": tuple(m[:3] for m in lx.MONTHS),
    "wd": lx.WEEKDAY_WORDS,
    "decade": tuple(f"{t}ies" for t in ("twent", "thirt", "fort", "fift", "sixt", "sevent",
                                          "eight", "ninet")),
    "year": ("fy", "nineteen", "twenty", "thousand"),
    "clock": ("noon", "midday", "midnight"),
    "unit": ("second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade",
             "millenni", "yr", "yrs", "hr", "hrs", "min", "mins"),
    "century": ("centur",),
    "long": ("long",),
    "part": ("morning", "afternoon", "evening", "night", "overnight", "today", "yesterday",
             "tomorrow", "tonight"),
    "season": tuple(lx.SEASONS),
    "quarter": ("quarter", "half", "period", "q1", "q2", "q3", "q4", "h1", "h2"),
    "set": ("every", "each", "per", "once", "twice", "thrice", "times", *lx.SET_ADVERBS),
    "reference": ("now", "current", "present", "recent", "past", "lately", "future", "moment",
                  "these"),
    # the last word of every holiday name, but Capitalised ("Labor Day", "New Year's Eve")
    # and the first word of the holidays named after a weekday or a month ("Good Friday",
    # "July Fourth"), so that neither every weekday nor every month opens a holiday window
    "holiday": ("christmas", "easter", "eve", "halloween", "pentecost", "thanksgiving", "fourth",
                "day", "year", "night", "good", "palm", "ash", "whit", "jul"),
}  # fmt: skip
_WORD_CLASS: dict[str, tuple[str, ...]] = {}
for _name, _words in TRIGGER_WORDS.items():
    for _w in _words:
        _WORD_CLASS[_w] = (*_WORD_CLASS.get(_w, ()), _name)
_CASED = frozenset({"mon", "wd", "holiday"})
"""Classes matched as the rules match them: Capitalised or in CAPITALS ("may" the verb, the
"decision" of "Dec" open no window)."""
_WHOLE = frozenset({"per", "each", "once", "twice", "thrice", "times", "eve", "yr", "yrs", "hr",
                    "hrs", "min", "mins", "fy", "long", "good", "palm", "ash", "whit"})  # fmt: skip
"""Words that trigger only as whole words ("percent", "event" and "minister" do not)."""


_DIGIT_HIT = (
    r"(?:(?<=['’])(?=\d0s\b)"
    r"|(?<=\d)(?=(?P<decade>\d\d0['’]?s\b)|(?P<year>\d\d\d(?!\d))|(?P<iso>\d-[01]\d-[0-3]\d)"
    r"|(?P<slash>/\d)|(?P<clock>(?:\s*(?:[ap]\.?m\b|o['’]clock)|:\d\d))))"
)
"""What follows a digit or a quote that makes it a hit: a decade ("1990s", "'90s"), a year, an
ISO or slashed date, a clock time. The hit's class is the group that matched (none: the quote
of "'90s", a decade)."""
DIGIT_PREFILTER = re.compile(rf"[\d'’]{_DIGIT_HIT}")
"""One digit hit, matched at its position: each hit consumes one character, so "2017-03-04" is
both a year and an ISO date. Read by :func:`trigger_hits` only where :data:`PREFILTER` cannot
see a digit (inside a trigger word such as "q4", or right before one)."""
PREFILTER = re.compile(rf"[^a-z](?:(?P<w>{_trie(sorted(_WORD_CLASS))})|(?<=[\d'’]){_DIGIT_HIT})")
"""Every trigger word and digit hit in one pattern compiled once: one scan of the lower-cased
text (after a space, so that the text's first word has a character before it) finds the hits
of every class. The character before a word is consumed, not looked behind at (a third faster),
and a digit or a quote is such a character too, so the pattern begins with one character class
and the engine skips the letters between them by itself. One scan instead of one for the words
and one for the digits: the same hits, the scans 1.2 times faster on T17."""


def _can_begin_digit_hit(char: str) -> bool:
    """Whether a digit hit can begin at ``char``: a quote or what ``\\d`` matches (Unicode
    category Nd, as ``str.isdecimal`` reads)."""
    return char in "'’" or char.isdecimal()


_WITH_DIGITS = frozenset(w for w in _WORD_CLASS if any(map(_can_begin_digit_hit, w)))
"""The trigger words that hold a character a digit hit can begin at ("q4")."""


def trigger_hits(text: str, lower: str) -> dict[str, list[int]]:
    """Start offsets of the trigger hits in ``text`` (``lower`` is it lower-cased), by class,
    each class in text order."""
    hits: dict[str, list[int]] = {}
    n = len(lower)
    for m in PREFILTER.finditer(" " + lower):
        word = m.group("w")
        if word is None:
            _add_digit_hit(hits, lower, m.start() - 1, m.lastgroup)
            continue
        at = m.start("w") - 1
        end = m.end() - 1
        if word in _WITH_DIGITS or (at and _can_begin_digit_hit(lower[at - 1])):
            _digit_hits_under(hits, lower, max(0, at - 1), end)  # "Q4000", "5pm"
        if word in _WHOLE and end < n and lower[end].isalpha():
            continue
        if word == "long" and lower[at - 1 : at] != "-":
            continue
        for name in _WORD_CLASS[word]:
            if name not in _CASED or text[at].isupper():
                hits.setdefault(name, []).append(at)
    return hits


def _add_digit_hit(hits: dict[str, list[int]], lower: str, at: int, group: str | None) -> None:
    name = group or "decade"  # the quote of "'90s"
    if name in ("year", "decade") and at and lower[at - 1].isdigit():
        return  # "12017" holds no year
    hits.setdefault(name, []).append(at)


def _digit_hits_under(hits: dict[str, list[int]], lower: str, lo: int, hi: int) -> None:
    """The digit hits in ``lower[lo:hi]``, the characters a word hit consumed: the character
    before the word and the word itself, where the one scan could not try a digit hit."""
    for at in range(lo, hi):
        m = DIGIT_PREFILTER.match(lower, at)
        if m is not None:
            _add_digit_hit(hits, lower, at, m.lastgroup)


TRIGGERS: dict[str, tuple[str, ...]] = {
    "date": ("mon",),
    "iso_date": ("iso",),
    "slash_date": ("slash",),
    "month": ("mon",),
    "weekday": ("wd",),
    "time_wd": ("part",),
    "day_rel": ("part",),
    "year": ("year",),
    "decade": ("decade",),
    "century": ("century",),
    "unit_rel": ("unit", "quarter", "century", "season"),
    "season": ("season",),
    "quarter": ("quarter",),
    "ago": ("unit", "quarter", "century"),
    "duration": ("unit", "quarter", "century"),
    "vague_duration": ("unit", "quarter", "century", "long"),
    "set": ("set", "wd"),
    "clock": ("clock",),
    "holiday": ("holiday",),
    "reference": ("reference",),
}
BEFORE, AFTER = 48, 32
"""Characters before and after the start of a trigger hit in which a rule looks for its match: no
expression reaches further from its trigger ("the first half of fiscal year [2017]")."""
REACH: dict[str, int] = {
    "weekday": 24,  # "late last Wednesday": a modifier and a relative word before the name
    "time_wd": 16,  # "late afternoon": the hit is the part of day or the weekday
    "day_rel": 32,  # "earlier the day before yesterday"
    "vague_duration": 24,  # "the past several weeks" starts at most "the past " before
    "set": 24,  # "three times a week": the hit is "times"
    "clock": 12,  # "10:30 p.m.": the hit is the digit before ":30" or " p.m."
    "holiday": 24,  # "Martin Luther King Day": the hit is "Day"
    "reference": 16,  # "the near future", "right now"
    "iso_date": 8,
    "slash_date": 8,
}
"""Rules whose matches begin close before their trigger look back only this far: fewer
positions to try (tests/test_time_extents.py checks that no match of a full scan is lost)."""


GATES: dict[str, re.Pattern[str]] = {
    # the unit word of "last year", "the following week": singular (plurals are durations)
    "unit_rel": re.compile(rf"(?:{UNIT_SG}|{_alt(lx.SEASONS)})(?![a-z])"),
    # "for years", "the past few days", "recent weeks", "decades-long": plural or "-long"
    "vague_duration": re.compile(
        r"(?:hours|days|weeks|months|years|decades|centuries|quarters)(?![a-z])"
        r"|(?:hour|day|week|month|year|decade)s?-long|long"
    ),
    # "two years ago", "a week earlier", "year-ago": the unit, then the direction word
    "ago": re.compile(rf"{UNIT}[\s-]+(?:ago|earlier|from\s+now|hence|back)(?![a-z])"),
    # a weekday is a set only as a plural ("on Mondays"); "every Monday" has "every"
    "set": re.compile(r"(?!(?:mon|tues|wednes|thurs|fri|satur|sun)day(?!s))"),
}
LEADS: dict[str, frozenset[str]] = {
    # "[three] years", "a [few] days", "two and a [half] years", "ten [more] years": the word
    # right before a duration's unit ends its quantity (a digit always may)
    "duration": frozenset(
        {w.split()[-1] for w in (*lx.NUMBER_WORDS, *lx.VAGUE_QUANTITIES)}
        | {"half", "more", "additional", "extra", "straight", "consecutive", "full", "long"}
    ),
}
"""The words that may come right before the hit, for a rule whose hit word follows a quantity:
a hit after any other word opens no window for it ("the day", "that year"). See GATES."""
LEAD_WORD = re.compile(r"(?:(?<![a-z])(?P<w>[a-z]+)|\d)[\s-]+\Z")
"""The word (or digit) right before a position, searched in the 40 characters before it."""
"""Where a rule's match can hold its trigger hit, matched at the hit in the lower-cased text:
a hit that fails opens no window for that rule. Why: "years" opens no "last year" window and
"year" no "for years" one; these rules tried about ten word starts around every unit word.
(tests/test_time_extents.py checks that no match of a full scan is lost.)"""


def _rule(name: str, body: str, handler: str | None = None) -> Rule:
    wrapped = rf"(?<![\w'’-])(?:{body})(?=['’]s\b|[^\w'’]|$)"
    pattern = re.compile(wrapped, re.IGNORECASE)
    narrows = "x" in pattern.groupindex
    return Rule(
        name,
        pattern,
        handler or name,
        TRIGGERS[name],
        narrows,
        REACH.get(name, BEFORE),
        GATES.get(name),
        LEADS.get(name),
        word_starts(pattern),
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "date",
        # "last [Oct. 23]": the word orients the date but stays outside the extent (TimeML);
        # "[March 5 last year]" is one expression, as "[March last year]" is (rule "month")
        rf"(?:(?P<rel>last|next|this|coming)\s+(?={MON}\s+\d))?(?P<x>"
        rf"{MODP}(?:(?P<wd>{WD}),?\s+(?:the\s+)?)?(?:"
        rf"(?P<mon>{MON})\s+(?P<day>{DAY})(?:(?:\s*,\s*|\s+)(?P<year>{YEAR}|{YEAR2})"
        rf"|,?\s+(?P<ry>this|last|next)\s+year)?"
        rf"|(?:the\s+)?(?P<day2>{DAY})\s+(?:of\s+)?(?P<mon2>{MON}),?(?:\s+(?P<year2>{YEAR}))?))",
    ),
    _rule("iso_date", r"(?P<y>(?:1[6-9]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T[\d:]+)?"),
    _rule(
        "slash_date",
        r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)?\d\d)(?![\d/])",
    ),
    _rule(
        "month",
        rf"{MODP}(?:(?:{REL}|the\s+month\s+of)\s+)?(?P<mon>{MON})"
        rf"(?:(?:\s*,\s*|\s+|\s+of\s+)(?P<year>{YEAR}|{YEAR2})|\s+(?P<ry>this|last|next)\s+year)?",
    ),
    # "Earlier Friday": comparatives stay outside a weekday's extent in the gold corpora.
    _rule("weekday", rf"(?:(?P<mod>early|late|mid)[\s-]+)?(?:{REL}\s+)?(?P<wd>{WD})(?:\s+{PART})?"),
    _rule(
        "time_wd",
        rf"{PART}\s+(?:of\s+)?(?P<wd>{WD})|(?:late|early)\s+{PART2}",
        "weekday",
    ),
    _rule(
        "day_rel",
        r"(?:(?P<mod>early|late|earlier|later)\s+)?(?:(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
        rf"today|yesterday|tomorrow|tonight)(?:\s+{PART})?|(?P<this>this|last|tomorrow|yesterday)\s+{PART2})",
    ),
    _rule(
        "year",
        rf"{MODP}(?:(?P<the>the)\s+(?=\d{{4}}\s+(?:period|season|quarter)))?(?:(?P<fy>fiscal|calendar|financial|model|school)\s+(?:years?\s+)?)?"
        rf"(?P<year>{YEAR})(?:'s)?(?:\s+(?P<period>period|season|quarter))?"
        rf"|(?P<fy2>FY)\s*(?P<year2>{YEAR}|\d\d)"
        rf"|(?:the\s+year\s+)?(?P<spoken>nineteen|twenty)[\s-]+(?P<tail>{TENS}(?:[\s-]{ONES})?|{TEENS}|oh[\s-]{ONES})"
        rf"|(?:the\s+year\s+)(?P<k2>two\s+thousand(?:\s+and\s+{ONES})?)",
    ),
    _rule(
        "decade",
        rf"(?:the\s+)?{MODP}(?:(?P<dec>(?:1[0-9]|20)\d0)'?s|'(?P<dec2>\d0)s|(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))",
    ),
    _rule(
        "century",
        rf"(?:the\s+)?{MODP}(?P<c>\d{{1,2}}(?:st|nd|rd|th)|{_alt(lx.ORDINALS)})[\s-]+century",
    ),
    _rule(
        "unit_rel",
        rf"(?:(?!(?:earlier|later)\s+this\s+week){MODP})(?:(?P<the>the)\s+)?{REL}\s+(?:(?:fiscal|financial|calendar)\s+)?(?P<unit>{UNIT_SG}|{SEASON})"
        rf"|{MODP2}(?P<the2>the)\s+(?:(?P<fiscal>fiscal|full|whole|entire)\s+)?(?P<unit2>week|month|year|weekend|quarter|day)(?!-)(?:\s+(?P<after>before|after|earlier))?",
    ),
    _rule(
        "season",
        rf"{MODP}(?:(?P<the>the)\s+)?{SEASON}(?:\s+(?:of\s+)?(?P<year>{YEAR}))?",
    ),
    _rule(
        "quarter",
        rf"(?:(?P<the>the)\s+(?!\w+-quarter))?(?:(?P<yr>{YEAR}|this\s+year's|last\s+year's|next\s+year's)\s+)?"
        rf"(?:(?P<fy>fiscal|calendar)[\s-]+)?{ORD}[\s-]+(?:fiscal\s+)?(?P<qh>quarter|half|period)"
        rf"(?:(?:\s+of|,)?\s+(?:fiscal\s+)?(?P<year>{YEAR}))?"
        rf"|(?P<the2>the)\s+(?:(?:comparable|corresponding|same)\s+(?=year-))?"
        rf"(?P<which>latest|year-ago|year-earlier|year\s+ago|comparable|corresponding|same|current|previous|prior)?\s*(?P<q2>quarter|period)"
        rf"(?:\s+(?P<back>a\s+year\s+(?:ago|earlier)|last\s+year)(?![\w'’-]))?"
        rf"|(?P<lyq>last\s+year['’]s)\s+(?P<q3>quarter|period)"
        rf"|(?-i:(?P<qh3>[QH])(?P<qn>[1-4]))\s*(?P<qyear>{YEAR})|(?P<qyear2>{YEAR})\s*(?-i:(?P<qh4>[QH])(?P<qn2>[1-4]))",
    ),
    _rule(
        "ago",
        rf"{APPROX_AGO}(?P<num>{NUM})[\s-]+(?P<unit>{UNIT})\s+(?P<dir>ago|(?:earlier|from\s+now|hence|back)"
        r"(?=\s*(?:[,.;:!?)\"”]|$|and|but|when|in|on|at|to|as|the|this|that|he|she|they|it|we)))"
        r"|(?P<adj>year|month|week|quarter)[\s-](?P<adjdir>earlier|ago)",
    ),
    _rule(
        "duration",
        rf"(?:(?P<the>the)\s+(?!\w+-\w))?(?:(?P<pre>past|last|next|first|coming|previous|following|final|latest|recent|other|entire|whole|full|initial|remaining|same|year-earlier|year-ago)\s+)?"
        rf"{APPROX}(?P<num>{NUM})(?P<half0>[\s-]+and[\s-]+a[\s-]+half)?[\s-]+(?:(?P<more>more|additional|extra|straight|consecutive|full|long)\s+)?"
        rf"(?P<unit>{UNIT})(?P<half>[\s-]+and[\s-]+a[\s-]+half)?(?:[\s-]+(?P<tail>long|old))?",
    ),
    _rule(
        "vague_duration",
        r"(?P<w>(?<=for\s)|(?<=over\s)|(?<=within\s)|(?<=in\s)|(?<=lasting\s))(?:(?P<the>the\s+)?(?:past|last|next|coming)\s+)?(?P<unit>hours|days|weeks|months|years|decades|centuries)"
        r"|(?:the\s+)?(?:past|last|next|coming)\s+(?P<unit2>hours|days|weeks|months|years|decades)"
        r"|recent\s+(?P<unit4>days|weeks|months|quarters)"
        r"|(?P<long>(?P<unit3>hour|day|week|month|year|decade)(?P<pl>s)?-long)",
    ),
    _rule(
        "set",
        rf"(?P<q>every|each|per)\s+(?:other\s+)?(?:(?P<num>{NUM})\s+)?(?P<unit>{UNIT}|{WD}|{MON})"
        rf"|(?P<adv>{_alt(lx.SET_ADVERBS)})"
        rf"|(?P<lead>(?:once|twice|thrice|\w+\s+times)\s+)(?P<x>(?:a|an|per)\s+(?P<unit2>{UNIT_SG}))"
        rf"|(?<=on\s)(?P<wds>{WDS})(?:\s+{PART}s?)?",
    ),
    _rule(
        "clock",
        rf"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm|a\.m|p\.m|o'clock)"
        rf"|(?P<h24>[01]\d|2[0-3]):(?P<mi24>[0-5]\d)|(?P<noon>noon|midday|midnight))"
        rf"(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC))?"
        rf"(?:,?\s+(?:on\s+)?(?:(?P<wd>{WD})|(?P<rel>today|yesterday|tomorrow)"
        rf"|(?P<mon>{MON})\s+(?P<day>{DAY})(?![\d:])(?:,\s*(?P<year>{YEAR}))?))?",
    ),
    _rule("holiday", rf"{HOLIDAY}(?:,?\s+(?P<year>{YEAR}))?"),
    _rule("reference", rf"(?P<word>{_alt(lx.REFERENCE_WORDS)})", "reference"),
)
