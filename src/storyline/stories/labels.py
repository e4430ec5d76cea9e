"""Story labels: the few names and headline words that best say what a story is.

Why from names: a reader recognises a story by its actors and things ("BP · Deepwater
Horizon · Gulf of Mexico"). Each story keeps a bounded table counting how many of its articles
use each candidate phrase (frequent phrases stay, one-off names are dropped first); a label
weighs each count by how rare the phrase is in the whole store (IDF), so it names what sets
the story apart, not what every article says.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import numpy as np

from storyline.stories.features import bucket, names_in

KEEP = 64  # phrases counted per story: frequent ones survive, one-off names make room
SHOWN = 3  # phrases in a label


_NAME_WORD = r"[A-Z][\w'’.-]+"
_CREDITS = ("Reporting", "reporting", "Writing", "Editing", "Compiled", "Edited")
"""The words before " by " that make it a credit: Reuters' "(Reporting by …; Editing by …)"."""

_BYLINES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    (
        "To contact the",
        re.compile(r"To contact the (?:reporter|editor)s?\b[^:\n]{0,80}:[^\n]{0,400}"),
        (),
    ),
    (" by ", re.compile(r" by [^\n;)]{0,200}"), _CREDITS),
    (
        "By ",
        re.compile(
            rf"^[ \t]*By (?:{_NAME_WORD} ){{1,3}}{_NAME_WORD}"
            r"(?=[ \t]*(?:$|,|\||and |with |for |in ))",
            re.MULTILINE,
        ),
        (),
    ),
    ("©", re.compile(r"©[^\n]{0,80}"), ()),
    ("Copyright", re.compile(r"\bCopyright\b[^\n]{0,80}"), ()),
    ("Email ", re.compile(rf"\bEmail (?:{_NAME_WORD} ){{1,3}}at\b"), ()),
    (
        "Follow ",
        re.compile(
            rf"\bFollow (?:{_NAME_WORD} ){{1,3}}(?:him |her |them )?"
            r"on (?:Twitter|Facebook|Instagram)\b"
        ),
        (),
    ),
    ("More from ", re.compile(rf"\bMore from (?:{_NAME_WORD} ){{0,2}}{_NAME_WORD}(?=:)"), ()),
    ("Twitter", re.compile(r"\bTwitter\b[^\n@]{0,24}(@[A-Za-z]\w{1,30})"), ()),
)
"""Who wrote and edited an article, and how to reach them: each pattern with a literal it holds
(it is tried only on a text holding its literal: tried everywhere, they cost more than the
rest of an article's features) and the words one of which must come just before a match
(none: any). Bloomberg's "To contact the reporter on this story: Dana Hull in San Francisco
at …", Reuters' "(Reporting by …; Editing by …)", a byline line "By Tina Bellon", Yahoo
Finance's "Email Daniel Howley at …", "Follow … on Twitter", "follow him on Twitter at
@DanielHowley" (the handle alone: a pattern with a group gives only the group's names), the
heading of a reporter's other articles "More from Dan:", a copyright line "©2018 Bloomberg
L.P.": names there say who reported and who owns the page, not what happened."""

_AUTHOR_NOTE = re.compile(
    r" is an? (?:[\w-]+ ){0,3}(?:reporter|editor|correspondent|writer|columnist|co-host|anchor)\b"
)
_NAME_BEFORE = re.compile(rf"(?:{_NAME_WORD} ){{0,2}}{_NAME_WORD}$")
"""An author's note, "Brian Sozzi is an editor-at-large and co-host of …": "is a" and a
newsroom role, and the name just before it."""


def byline_names(text: str) -> set[str]:
    """The names inside an article's bylines, contact lines and author notes."""
    found: set[str] = set()
    for literal, pattern, before in _BYLINES:
        if literal not in text:
            continue
        for match in pattern.finditer(text):
            if not before or text.endswith(before, 0, match.start()):
                found.update(names_in(match.group(match.lastindex or 0)))
    if " is a" in text:
        for note in _AUTHOR_NOTE.finditer(text):
            name = _NAME_BEFORE.search(text, max(0, note.start() - 60), note.start())
            if name is not None:
                found.update(names_in(name.group(0)))
    return found


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"})
"""Labels under a country's domain that name no one ("bbc.co.uk", "abc.net.au")."""
_WORDS = re.compile(r"[a-z0-9]+")


def outlet_keys(source_name: str | None, url: str | None) -> tuple[str, ...]:
    """What names an article's outlet, to be kept out of story labels: the registrable name
    of its web domain ("yahoo" for finance.yahoo.com, "bbc" for news.bbc.co.uk), from the
    source name when it is a domain or else from the URL, and a source name that is a name
    ("Example Pacific Times"), lower-cased. Empty for a file with neither."""
    keys: list[str] = []
    for where in (source_name, urlsplit(url).hostname if url else None):
        if not where:
            continue
        where = where.strip().lower()
        if " " in where or "." not in where:
            keys.append(" ".join(_WORDS.findall(where)))
            continue
        labels = [p for p in where.removeprefix("www.").split(".") if p][:-1]
        if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels.pop()
        if labels:
            keys.append(labels[-1])
    return tuple(dict.fromkeys(k for k in keys if k))


def names_outlet(name: str, keys: Sequence[str]) -> bool:
    """Whether ``name`` names the outlet of ``keys`` (:func:`outlet_keys`): it holds the
    outlet's domain name as a word ("Yahoo Finance"), or as words run together ("Washington
    Post" for washingtonpost.com, "Fox News" for foxnews.com), or holds the outlet's name
    ("The New York Times Co" for "New York Times"; not "New York", a place it only holds)."""
    words = _WORDS.findall(name.lower())
    phrase = f" {' '.join(words)} "
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    return any(
        f" {key.removeprefix('the ')} " in phrase if " " in key else key in runs for key in keys
    )


def story_names(names: Iterable[str], text: str, outlet: Sequence[str] = ()) -> list[str]:
    """An article's names without those of its bylines, contact and copyright lines, whole
    words inside one or holding one ("Email Daniel Howley" and "Daniel Howley" go together).

    Why: a reporter signs every article of a beat, so on real business news the labels named
    the reporters, not the story ("Tesla · Dana Hull · Craig Trudell"; "Apple · Email Daniel
    Howley · Tim Cook"). Only the labels read this: which story an article joins is decided
    by its features, where the same names were measured to hold stories apart.

    A name of the article's own ``outlet`` (:func:`outlet_keys`, :func:`names_outlet`) goes
    too: who publishes a report is not what its story is about.

    A name that runs over a line end goes too, unless the text is :func:`hard_wrapped`:
    :func:`~storyline.stories.features.names_in` joins capitalised words across any space, and
    on a page kept one paragraph a line the next line is a heading or a list item, so "Follow
    him on Twitter @BrianSozzi" over "Read the latest …" gave "BrianSozzi Read", which
    labelled a story. A name goes when it holds two words :func:`_glued` across a line end and
    the text never writes it on one line. (Detection keeps such names: ending every name at a
    line end merged finance-news stories, 312 to 206 in 2017-18, Tesla with SpaceX among
    them; ``bench/bench_line_names.py``.)"""
    if "\n" in text:
        lines = [line for line in text.split("\n") if line.strip()]
        if not hard_wrapped(lines):
            pairs = _glued(lines)  # a name holding one, and written nowhere on one line, goes
            glued = {
                n
                for n in set(names)
                if "\n" in n  # one "word" holding a line end: "BrianSozzi\nRead"
                or (pairs and any(p in n for p in pairs) and n not in text)
            }
            names = [n for n in names if n not in glued]
    if outlet:  # who publishes the article is not what its story is about
        names = [n for n in names if not names_outlet(n, outlet)]
    bylines = [f" {b} " for b in byline_names(text)]
    if not bylines:
        return list(names)
    return [n for n in names if not any(b in f" {n} " or f" {n} " in b for b in bylines)]


_LINE_TAIL = re.compile(r"[A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9]")
_LINE_HEAD = re.compile(r"[ \t\"'`‘“]*([A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9])")


def _glued(lines: list[str]) -> list[str]:
    """Where a capitalised word ends a line and another opens the next: each such pair as
    ``names_in`` would join it into a name ("BrianSozzi Read"; "TipRanks Billionaire")."""
    out = []
    for above, below in itertools.pairwise(lines):
        words = above.rsplit(None, 1)
        last = words[-1].lstrip("@#(\"'`‘“") if words else ""
        tail = _LINE_TAIL.fullmatch(last) if last[:1].isupper() else None
        head = _LINE_HEAD.match(below) if tail else None
        if tail and head:
            out.append(f"{tail.group(0)} {head.group(1)}")
    return out


WRAP_WIDTH = 100
"""The longest line of a hard-wrapped text (e-mail and wire copy wrap at 65-80 characters)."""
WRAP_MIN_LINES = 5
"""Lines a text needs before it is taken for hard-wrapped: a few short lines are a list."""


def hard_wrapped(lines: list[str]) -> bool:
    """Whether a text's line ends (``lines``: its non-blank lines) are a typesetter's, not the
    writer's: at least :data:`WRAP_MIN_LINES` lines, none longer than :data:`WRAP_WIDTH`
    characters, most of them over half of it. A news-please record, a web page or a feed keeps
    one paragraph a line, and there a line end closes whatever name it follows."""
    if len(lines) < WRAP_MIN_LINES or max(map(len, lines)) > WRAP_WIDTH:
        return False
    return sum(len(line) > WRAP_WIDTH // 2 for line in lines) > len(lines) // 2


def candidates(
    names: Iterable[str], title_words: Iterable[str], lead_words: Iterable[str] = ()
) -> dict[str, float]:
    """One article's label candidates: its names (once each) and, at half weight, title words.

    An article with neither (an untitled report that names no one: a plain-text file, a short
    feed item) offers the words of its opening line instead, at a quarter weight: as the
    article list shows that line for its title, so a story of such reports is labelled by what
    its leads say, not by its id. Earlier words weigh a little more (0.9 a word), so a
    one-article story reads as the start of its lead ("mayor · opened · library")."""
    out = dict.fromkeys(title_words, 0.5)
    out.update(dict.fromkeys(names, 1.0))
    if not out:
        for k, word in enumerate(dict.fromkeys(lead_words)):
            out[word] = 0.25 * 0.9**k
    return out


def add(table: dict[str, float], more: dict[str, float]) -> dict[str, float]:
    """Sum two count tables and keep the ``KEEP`` most frequent (the oldest on ties)."""
    merged = dict(table)
    for phrase, count in more.items():
        merged[phrase] = merged.get(phrase, 0.0) + count
    if len(merged) <= KEEP:
        return merged
    top = sorted(merged.items(), key=lambda kv: -kv[1])[:KEEP]
    return dict(top)


def _idf(phrase: str, df: np.ndarray, n_docs: int, bits: int) -> float:
    feature = "n:" + phrase.lower() if phrase[:1].isupper() else phrase
    return math.log((n_docs + 1.0) / (float(df[bucket(feature, bits)]) + 1.0)) + 1.0


def _specific(phrase: str) -> float:
    """Longer names say more ("Reciprocal Access Agreement" over "Japan"): +50% a word, to 3."""
    return 1.0 + 0.5 * min(phrase.count(" "), 2)


def label(table: dict[str, float], df: np.ndarray, n_docs: int, bits: int, fallback: str) -> str:
    """The phrases weighing most (count in the story × rarity in the store × length), none
    inside another or ending with the same word as another."""
    scored = sorted(
        ((count * _idf(p, df, n_docs, bits) * _specific(p), p) for p, count in table.items()),
        key=lambda sp: (-sp[0], sp[1]),
    )
    chosen: list[str] = []
    for _, phrase in scored:
        if " " in phrase and phrase.isupper():
            continue  # a headline in capitals ("NEW CAP FOR LEAKING OIL WELL"), not a name
        low = phrase.lower()
        last = low.rsplit(" ", 1)[-1]
        if any(
            low in c.lower() or c.lower() in low or c.lower().rsplit(" ", 1)[-1] == last
            for c in chosen
        ):  # "Dr Murray" after "Dr Conrad Murray"
            continue
        chosen.append(phrase)
        if len(chosen) == SHOWN:
            break
    return " · ".join(chosen) if chosen else fallback
