"""Story labels: the few names and headline words that best say what a story is.

Why from names: a reader recognises a story by its actors and things ("BP · Deepwater
Horizon · Gulf of Mexico"). Each story keeps a bounded table counting how many of its articles
use each candidate phrase (frequent phrases stay, one-off names are dropped first); a label
weighs each count by how rare the phrase is in the whole store (IDF), so it names what sets
the story apart, not what every article says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from storyline.stories.features import bucket

KEEP = 64  # phrases counted per story: frequent ones survive, one-off names make room
SHOWN = 3  # phrases in a label


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
