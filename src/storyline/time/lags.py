"""Publication lags learnt from dated articles that look like an undated one.

Why: a print outlet files "WASHINGTON, June 24 --" and writes of "Tuesday's hearing" to publish
them the next day; a web desk publishes the day it names. An undated article does not say which
outlet it comes from, but its page furniture does (bylines, photo credits, "This Story : Read +",
copyright lines), and the dated articles whose first and last characters look most like its own
come mostly from the same outlet: on the T17 articles (11 outlet folders), the nearest such
article is of the same outlet for 79% of them. How long after the latest day and the latest
weekday they name those dated articles came out (:func:`storyline.time.dating.naming_lag`,
:func:`storyline.time.dating.weekday_lag`) is then the undated article's likely lag. Nothing
here is tuned to a corpus: the lags are read from the corpus's own dated articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from storyline.records import Article
from storyline.time.dating import naming_lag, weekday_lag

_EDGE_CHARS = 300
"""The characters read at each end of an article: where a page's furniture stands (a site's
header, byline and credits first; its trailer and copyright last), not its story."""
_READ_CHARS = 5000
"""How much of an article is read (as the second pass reads it): the end is this much's end, the
same for the dated articles, which the second pass holds cut, as for the undated."""
PRIOR = 1.0
"""Pseudo-count of "published on the day it names" per kind, the belief without neighbours."""


def _edge(article: Article) -> str:
    text = article.text[:_READ_CHARS]
    return f"{text[:_EDGE_CHARS]} {text[-_EDGE_CHARS:]}"


Lags = tuple[tuple[str, int] | None, int | None]
"""What a dated article says of its outlet's lag: (kind of day named, days after it) and days
after the latest weekday it names (each None when it names none 0-2 days before)."""


def learnt_lags(
    targets: Sequence[Article],
    dated: Sequence[Article],
    neighbours: int,
    known: dict[str, Lags] | None = None,
) -> dict[str, dict[str, dict[int, float]]]:
    """For each target id, {kind: {lag: weight}}: of its ``neighbours`` dated articles closest in
    furniture (the words at their ends: :func:`_furniture`) that name a day 0-2 days before
    their publication, how many came out that many days after it, per kind of day named
    ("abs", "lead"); and the same of the ones naming a weekday ("weekday": "on Tuesday" in an
    article of Wednesday is 1). Each kind has :data:`PRIOR` at lag 0. Empty when
    ``neighbours`` is 0. ``known`` keeps each dated article's :data:`Lags` by id between calls
    (one per story): reading them tags the article.
    """
    if neighbours <= 0 or not targets or not dated:
        return {}
    vectors = _furniture([_edge(a) for a in (*dated, *targets)])
    similarity = (vectors[len(dated) :] @ vectors[: len(dated)].T).toarray()
    known = {} if known is None else known
    out: dict[str, dict[str, dict[int, float]]] = {}
    for target, row in zip(targets, similarity, strict=True):
        counts: dict[str, Counter[int]] = {k: Counter() for k in ("abs", "lead", "weekday")}
        named = weekdays = 0
        for j in _by_similarity(row):
            a = dated[j]
            if a.id not in known:
                assert a.published is not None
                text = a.text[:_READ_CHARS]
                known[a.id] = (
                    naming_lag(text, a.title, a.published),
                    weekday_lag(text, a.title, a.published),
                )
            lag, weekday = known[a.id]
            if lag is not None and named < neighbours:
                counts[lag[0]][lag[1]] += 1
                named += 1
            if weekday is not None and weekdays < neighbours:
                counts["weekday"][weekday] += 1
                weekdays += 1
            if named == weekdays == neighbours:
                break
        out[target.id] = {kind: _with_prior(c) for kind, c in counts.items()}
    return out


def _with_prior(counts: Counter[int]) -> dict[int, float]:
    out = {n: float(k) for n, k in counts.items()}
    out[0] = out.get(0, 0.0) + PRIOR
    return out


def _furniture(texts: list[str]) -> Any:
    """L2-normalised log counts of the words and word pairs of ``texts``, case kept
    ("Photograph :", "-LRB- AP", "Staff Writer"), hashed: no vocabulary to fit, so a story's
    thousands of dated articles cost one pass (a fitted character n-gram TF-IDF found the same
    outlet as often on T17, 79%, at ten times the time)."""
    from sklearn.feature_extraction.text import HashingVectorizer  # lazy: a CLI start
    from sklearn.preprocessing import normalize

    counts = HashingVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2), alternate_sign=False, norm=None
    ).transform(texts)
    counts.data = np.log1p(counts.data)
    return normalize(counts)


def _by_similarity(row: Any) -> list[int]:
    """Indices of ``row`` from the most similar down."""
    return [int(j) for j in np.argsort(-row, kind="stable")]
