"""Article → sparse TF-IDF vector over hashed words, names and mentioned months.

Why hashing: the vocabulary of a growing store is open-ended, and an incremental run must
vectorise 100 new articles without refitting anything. Words hash into a fixed space; the
document frequencies (for IDF) are counts per hash bucket kept in the detector's state and
updated as articles arrive, so a new article is weighed against everything seen so far.

Three kinds of feature, weighted by global settings:

- words of the title (counted ``story_title_weight`` times) and of the body (up to
  ``story_body_chars``): what the article is about;
- capitalised phrases ("Deepwater Horizon", "Reciprocal Access Agreement"): names carry a story
  across long pauses, when its vocabulary drifts but its actors and things stay;
- months mentioned in the text (from the stored temporal expressions): two reports that speak of
  the same days are likely to tell the same story.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from storyline import settings
from storyline.records import Article, TimeExpression
from storyline.stories.stopwords import STOP_WORDS

IDF_FLOOR = 1.0  # added to every IDF; 0 lets terms found in every article weigh nothing
_MONTH = re.compile(r"\d{4}-\d\d")
_WORD = re.compile(r"[a-z][a-z0-9]+(?:['-][a-z0-9]+)*")
# A run of capitalised words (allowing "of"/"and"/"the" inside), or an all-caps/with-digits token.
_NAME = re.compile(
    r"\b[A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9](?:\s+(?:(?:of|the|for|de|al)\s+)?"
    r"[A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9])*"
)
# Penn Treebank escapes in tokenised corpora (Timeline17) and words that say nothing of a story.
_NOISE = frozenset(
    {
        "lrb",
        "rrb",
        "lsb",
        "rsb",
        "lcb",
        "rcb",
        "said",
        "says",
        "say",
        "year",
        "years",
        "new",
        "told",
        "just",
        "like",
        "also",
        "would",
        "could",
        "one",
        "two",
        "people",
        "time",
        "week",
        "day",
        "days",
        "month",
        "months",
        "last",
        "first",
        "percent",
        "mr",
        "mrs",
        "ms",
    }
)
_STOP = STOP_WORDS | _NOISE
_NAME_STOP = frozenset(
    w.capitalize() for w in STOP_WORDS | {"said", "says", "mr", "mrs", "ms", "but", "lrb"}
) | {
    "LRB",
    "RRB",
    "I",
    "A",
    "AP",
    "Reuters",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
}


@dataclass(slots=True)
class ArticleTerms:
    """The raw features of one article before weighting: counts per hash bucket, and its names."""

    counts: dict[int, float]
    names: list[str]


def hash_bits() -> int:
    return int(settings.get("story_hash_bits"))


_MEMO: dict[str, int] = {}
_MEMO_BITS = [0]


def bucket(feature: str, bits: int) -> int:
    """The hash bucket of a feature string: CRC-32, stable across runs, machines and Pythons.

    Memoised, since the same words recur in every article (bounded for very long runs).
    """
    found = _MEMO.get(feature)
    if found is None or _MEMO_BITS[0] != bits:
        if _MEMO_BITS[0] != bits or len(_MEMO) > 1_000_000:
            _MEMO.clear()
            _MEMO_BITS[0] = bits
        found = zlib.crc32(feature.encode()) & ((1 << bits) - 1)
        _MEMO[feature] = found
    return found


def names_in(text: str) -> list[str]:
    """Capitalised phrases, with stop words at their ends (sentence starts) stripped.

    A single capitalised word that opens a sentence ("Commuters crowded …") counts only when the
    text also capitalises it mid-sentence: otherwise it is an ordinary word, not a name.
    """
    out: list[str] = []
    opening: list[str] = []
    for match in _NAME.finditer(text):
        found = match.group(0)
        if " " not in found:  # the common case, kept fast
            if (len(found) > 2 or found.isupper()) and found not in _NAME_STOP:
                before = text[max(0, match.start() - 3) : match.start()].rstrip(" \"'`‘“")
                if not before or before[-1] in ".!?\n":
                    opening.append(found)
                else:
                    out.append(found)
            continue
        words = found.split()
        while words and words[0] in _NAME_STOP:
            words = words[1:]
        while words and words[-1] in _NAME_STOP:
            words = words[:-1]
        if words and (len(words) > 1 or len(words[0]) > 2 or words[0].isupper()):
            out.append(" ".join(words))
    known = set(out)
    return out + [w for w in opening if w in known]


def title_words(title: str | None) -> list[str]:
    """The informative words of a title (label candidates)."""
    return [w for w in _WORD.findall((title or "").lower()) if w not in _STOP]


def article_terms(
    article: Article, timexes: Sequence[TimeExpression] = (), bits: int | None = None
) -> ArticleTerms:
    """Count an article's words, names and mentioned months into hash buckets."""
    bits = hash_bits() if bits is None else bits
    title = article.title or ""
    body = article.text[: int(settings.get("story_body_chars"))]
    title_weight = float(settings.get("story_title_weight"))
    name_weight = float(settings.get("story_name_weight"))
    words: dict[str, float] = dict(Counter(_WORD.findall(body.lower())))
    for w, n in Counter(_WORD.findall(title.lower())).items():
        words[w] = words.get(w, 0.0) + n * title_weight
    names = names_in(title) + names_in(body)
    counts: dict[int, float] = {}
    for w, weight in words.items():
        if w not in _STOP:
            b = bucket(w, bits)
            counts[b] = counts.get(b, 0.0) + weight
    for name, n in Counter(x.lower() for x in names).items():
        b = bucket("n:" + name, bits)
        counts[b] = counts.get(b, 0.0) + n * name_weight
    months = Counter(t.value[:7] for t in timexes if _MONTH.match(t.value or ""))
    for month, n in months.items():
        b = bucket("m:" + month, bits)
        counts[b] = counts.get(b, 0.0) + n
    return ArticleTerms(counts, names)


def count_matrix(terms: Sequence[ArticleTerms], bits: int) -> sp.csr_matrix:
    """Rows of raw counts, one per article, in the hashed space."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for t in terms:
        keys = sorted(t.counts)
        indices.extend(keys)
        data.extend(t.counts[k] for k in keys)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(terms), 1 << bits),
    )


def weigh(counts: sp.csr_matrix, df: np.ndarray, n_docs: int) -> sp.csr_matrix:
    """Sublinear TF × smoothed IDF, each row L2-normalised (cosine = dot product)."""
    x = counts.copy()
    x.data = 1.0 + np.log(x.data)
    idf = np.log((n_docs + 1.0) / (df[x.indices].astype(np.float64) + 1.0)) + IDF_FLOOR
    x.data = (x.data * idf).astype(np.float32)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x, dtype=np.float32)


def document_frequencies(counts: sp.csr_matrix) -> np.ndarray:
    """How many of these rows have each bucket (to add to the running DF counts)."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int32)
