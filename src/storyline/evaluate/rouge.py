"""ROUGE-1/2 counts exactly as Perl ROUGE-1.5.5 computes them with ``-m -s`` (tilse's default).

Timeline-summarisation papers report figures from the Perl script run through tilse's pyrouge
(``-n 2 -m -s -f A -t 2``: raw counts, Porter stemming, stop words removed). Python ports such
as rouge-score tokenise, stem and filter differently and drift by a point or more, so this
module re-implements the few parts of ROUGE-1.5.5 that decide the counts:

- the text pyrouge writes: tokens joined by one space, ``^`` written as ``&circ;``, and, since
  ROUGE's SEE reader keeps a line only up to its first ``<``, everything after a ``<`` lost;
- ``readText``: ASCII lower-case; ``-`` split off; every byte outside ``[A-Za-z0-9-]`` a space;
- ``createNGram``: drop ROUGE's stop words (``data/rouge_stopwords.txt``, ROUGE's
  smart_common_words.txt), keep tokens starting with ``[a-z0-9]``, and for tokens longer than
  three characters use the WordNet 2.0 exception table (``data/rouge_wordnet_exceptions.txt``,
  dumped from ROUGE's WordNet-2.0.exc.db) or else ROUGE's own Porter stemmer (ported below: it
  differs from the textbook algorithm in step 4's ``-ement`` rule);
- n-grams run across sentence boundaries (ROUGE joins a summary's sentences into one text),
  hits are clipped counts.

API:

- :func:`tokens` — the stemmed, filtered tokens of a list of sentences (cached per sentence);
- :func:`ngram_counts` — ``Counter`` of n-grams of such tokens;
- :func:`rouge_counts` — ``RougeCounts(hit, peer, model)`` of a peer summary against one model
  (reference) summary: precision = hit / peer, recall = hit / model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

__all__ = ["RougeCounts", "ngram_counts", "porter_stem", "rouge_counts", "stem", "tokens"]

NGram = tuple[str, ...]


class RougeCounts(NamedTuple):
    """ROUGE-1.5.5's raw counts (``-t 2``): n-gram hits, peer n-grams, model n-grams."""

    hit: int
    peer: int
    model: int


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data/rouge_stopwords.txt").read_text("utf-8")
    return frozenset(text.splitlines())


@cache
def _exceptions() -> dict[str, str]:
    text = resources.files(__package__).joinpath("data/rouge_wordnet_exceptions.txt")
    table: dict[str, str] = {}
    for line in text.read_text("utf-8").splitlines():
        word, _, base = line.partition(" ")
        table[word] = base
    return table


# --- ROUGE-1.5.5's Porter stemmer (sub stem / sub initialise), ported rule for rule ---------
_c = "[^aeiou]"
_v = "[aeiouy]"
_C = f"{_c}[^aeiouy]*"
_V = f"{_v}[aeiou]*"
_MGR0 = re.compile(f"^({_C})?{_V}{_C}")
_MEQ1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_MGR1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_HAS_V = re.compile(f"^({_C})?{_v}")
_CVC = re.compile(f"^{_C}{_v}[^aeiouwxy]$")

_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize",
    "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful",
    "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log",
}  # fmt: skip
_STEP3 = {
    "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": "",
}  # fmt: skip
_STEP2_RE = re.compile("(" + "|".join(_STEP2) + ")$")
_STEP3_RE = re.compile("(" + "|".join(_STEP3) + ")$")
_STEP4_RE = re.compile("(al|ance|ence|er|ic|able|ible|ant|ement|ou|ism|ate|iti|ous|ive|ize)$")


def porter_stem(word: str) -> str:
    """ROUGE-1.5.5's Porter stemmer (its ``sub stem``), for a lower-case word."""
    if len(word) < 3:
        return word
    w = word
    initial_y = w[0] == "y"
    if initial_y:
        w = "Y" + w[1:]
    # step 1a
    if (m := re.search("(ss|i)es$", w)) or (m := re.search("([^s])s$", w)):
        w = w[: m.start()] + m.group(1)
    # step 1b
    if w.endswith("eed"):
        if _MGR0.search(w[:-3]):
            w = w[:-1]
    elif m := re.search("(ed|ing)$", w):
        stem = w[: m.start()]
        if _HAS_V.search(stem):
            w = stem
            if re.search("(at|bl|iz)$", w):
                w += "e"
            elif re.search(r"([^aeiouylsz])\1$", w):
                w = w[:-1]
            elif _CVC.search(w):
                w += "e"
    # step 1c
    if w.endswith("y") and _HAS_V.search(w[:-1]):
        w = w[:-1] + "i"
    # steps 2 and 3
    for pattern, table in ((_STEP2_RE, _STEP2), (_STEP3_RE, _STEP3)):
        if m := pattern.search(w):
            stem = w[: m.start()]
            if _MGR0.search(stem):
                w = stem + table[m.group(1)]
    # step 4 (ROUGE's 2004 change: "-ement" words do not also try "-ment" and "-ent")
    if m := _STEP4_RE.search(w):
        stem = w[: m.start()]
        if _MGR1.search(stem):
            w = stem
    if w.endswith("ment") and _MGR1.search(w[:-4]):
        w = w[:-4]
    if w.endswith("ent"):
        if _MGR1.search(w[:-3]):
            w = w[:-3]
    elif m := re.search("(s|t)(ion)$", w):
        stem = w[: m.start()] + m.group(1)
        if _MGR1.search(stem):
            w = stem
    # step 5
    if w.endswith("e"):
        stem = w[:-1]
        if _MGR1.search(stem) or (_MEQ1.search(stem) and not _CVC.search(stem)):
            w = stem
    if w.endswith("ll") and _MGR1.search(w):
        w = w[:-1]
    if initial_y:
        w = "y" + w[1:]
    return w


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """ROUGE's ``MorphStem`` as ``createNGram`` applies it: only to tokens over 3 characters."""
    if len(token) <= 3:
        return token
    base = _exceptions().get(token)
    return base if base is not None else porter_stem(token)


_NOT_WORD = re.compile(r"[^A-Za-z0-9\-]")


@lru_cache(maxsize=200_000)
def _sentence_tokens(sentence: str) -> tuple[str, ...]:
    # pyrouge's SEE line: tokens joined by one space, "^" escaped; ROUGE reads up to the first "<"
    line = " ".join(tok.replace("^", "&circ;") for tok in sentence.split())
    line = line.split("<", 1)[0]
    text = _NOT_WORD.sub(" ", line.replace("-", " - ")).lower()
    stop = _stopwords()
    return tuple(stem(t) for t in text.split() if t not in stop and t[0].isalnum())


def tokens(sentences: Sequence[str]) -> tuple[str, ...]:
    """The tokens ROUGE-1.5.5 (``-m -s``) counts for a summary given as a list of sentences."""
    out: list[str] = []
    for sentence in sentences:
        out.extend(_sentence_tokens(sentence))
    return tuple(out)


def ngram_counts(toks: Sequence[str], n: int) -> Counter[NGram]:
    """The n-gram multiset of a token sequence (n-grams cross sentence boundaries, as in ROUGE)."""
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def clipped_hits(peer: Counter[NGram], model: Counter[NGram]) -> int:
    """Matches counted at most as often as the n-gram occurs in each side (ROUGE's ``ngramScore``)."""
    if len(peer) > len(model):
        peer, model = model, peer
    return sum(min(c, model[g]) for g, c in peer.items() if g in model)


def rouge_counts(peer: Sequence[str], model: Sequence[str], n: int) -> RougeCounts:
    """ROUGE-n raw counts of a peer summary against one model summary (lists of sentences)."""
    p = ngram_counts(tokens(peer), n)
    m = ngram_counts(tokens(model), n)
    return RougeCounts(clipped_hits(p, m), sum(p.values()), sum(m.values()))
