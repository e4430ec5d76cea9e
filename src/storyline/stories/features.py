"""Article → sparse TF-IDF vector over hashed words, names and mentioned months.

Why hashing: the vocabulary of a growing store is open-ended, and an incremental run must
vectorise 100 new articles without refitting anything. Words hash into a fixed space; the
document frequencies (for IDF) are counts per hash bucket kept in the detector's state and
updated as articles arrive, so a new article is weighed against everything seen so far.

Three kinds of feature, weighted by the story config (``StoryConfig``):

- words of the title (counted ``story_title_weight`` times) and of the body (up to
  ``story_body_chars``): what the article is about;
- capitalised phrases ("Deepwater Horizon", "Reciprocal Access Agreement"): names carry a story
  across long pauses, when its vocabulary drifts but its actors and things stay;
- months mentioned in the text (from the stored temporal expressions): two reports that speak of
  the same days are likely to tell the same story (reports of 50 words or more: a brief would
  be mostly its month).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from storyline.records import Article, TimeExpression
from storyline.settings import StoryConfig
from storyline.stories.stopwords import STOP_WORDS

IDF_FLOOR = 1.0  # added to every IDF; 0 lets terms found in every article weigh nothing
FULL_REPORT_WORDS = 50
"""Words (stop words included) an article needs for the months it names to be features. Why:
a news report runs to hundreds of words, among which a shared month is one sign of a shared
story; a feed summary or a brief of fifteen words is mostly its month once its words are
weighed (a fractional weight cannot damp it: term frequency is taken sublinearly), and two
unrelated briefs of one month were grouped for it alone. Why 50, what a feed summary or a
brief runs to: at 100 one Timeline17 report of between 50 and 100 words left its story
(pairwise recall 0.976 -> 0.975); at 50 the Timeline17 mix is unchanged."""
_MONTH = re.compile(r"\d{4}-\d\d")
_WORD = re.compile(r"[a-z][a-z0-9]+(?:['-][a-z0-9]+)*")
# A run of capitalised words (allowing "of"/"and"/"the" inside), or an all-caps/with-digits token.
_NAME_CORE = (
    r"[A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9](?:\s+(?:(?:of|the|for|de|al)\s+)?"
    r"[A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9])*"
)
_NAME = re.compile(r"\b" + _NAME_CORE)
# A capitalised word opening a sentence (or the text): "Commuters crowded …".
_OPENER = re.compile(r"(?:^|[.!?\n])[ \t\"'`‘“]*([A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9])")
# Words of a person's office before the name: stripped, so that "Prime Minister Scott Morrison"
# and "Scott Morrison" are one name.
_TITLES = frozenset(
    [
        "President",
        "Minister",
        "Secretary",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "Gen",
        "Adm",
        "Sen",
        "Rep",
        "Gov",
        "Governor",
        "Chancellor",
        "Chairman",
        "Commissioner",
        "Senator",
        "Judge",
        "CEO",
        "Spokesman",
        "Spokeswoman",
        "Lt",
        "Col",
        "Capt",
        "Sgt",
        "Rev",
    ]
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
    # Wire-service credit lines ("Reporting by …; Editing by …"): in every article of an
    # agency, so as names they would tie its unrelated stories together.
    "Reporting",
    "Editing",
    "Writing",
    "Additional",
    "Compiled",
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
    """The raw features of one article before weighting: (bucket, count) pairs, and its names.

    A bucket may repeat (a word and a name that collide); the matrix sums repeats.
    """

    buckets: np.ndarray
    counts: np.ndarray
    names: list[str]


def hash_bits(config: StoryConfig) -> int:
    return config.hash_bits


_MEMO: dict[int, dict[str, int]] = {}

_MEMO_MAX = 200_000
"""Features memoised before the memo starts again (about 16 MB of strings and slots).

Why this small: the vocabulary, names above all, keeps growing with the store (171,000
features at 100,000 articles), so a memo bounded only for very long runs held most of it: tens
of MB more at a million articles, for features most of which occur once. The words that recur,
what the memo is for, are back in it within a batch of its restart; a bucket is a CRC-32,
the same whether memoised or not."""


def _memo(bits: int) -> dict[str, int]:
    """Feature → bucket for this hash size (-1 for a stop word), bounded (``_MEMO_MAX``)."""
    memo = _MEMO.setdefault(bits, {})
    if len(memo) > _MEMO_MAX:
        memo.clear()
    return memo


def bucket(feature: str, bits: int) -> int:
    """The hash bucket of a feature string: CRC-32, stable across runs, machines and Pythons.

    Names (features ``n:…``) hash into the upper half of the space, words and months into the
    lower half, so that a story's names can be compared on their own (:func:`name_part`).
    """
    half = 1 << (bits - 1)
    low = zlib.crc32(feature.encode()) & (half - 1)
    return low | half if feature.startswith("n:") else low


def name_part(m: sp.csr_matrix, bits: int) -> sp.csr_matrix:
    """The rows of ``m`` restricted to the name buckets (the other entries dropped)."""
    keep = m.indices >= (1 << (bits - 1))
    if keep.all():
        return m
    row_of = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    counts = np.bincount(row_of[keep], minlength=m.shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return sp.csr_matrix((m.data[keep], m.indices[keep], indptr), shape=m.shape)


def _buckets(features: list[str], bits: int, skip_stop: bool) -> np.ndarray:
    """Buckets of many features at once, memoised (the same words recur in every article)."""
    memo = _memo(bits)
    found = [memo.get(f) for f in features]
    for i, b in enumerate(found):
        if b is None:
            f = features[i]
            b = -1 if skip_stop and f in _STOP else bucket(f, bits)
            memo[f] = found[i] = b
    return np.asarray(found, dtype=np.int64)


def names_in(text: str) -> list[str]:
    """Capitalised phrases, with stop words at their ends (sentence starts) stripped.

    A single capitalised word counts only when the text capitalises it at least once in the
    middle of a sentence: "Commuters crowded …" opens a sentence with an ordinary word.
    """
    openers = Counter(_OPENER.findall(text))
    out: list[str] = []
    singles: Counter[str] = Counter()
    for found in _NAME.findall(text):
        if found.endswith(("'s", "’s")):  # "China's" is China
            found = found[:-2]
        if " " not in found:  # the common case, kept fast
            if (len(found) > 2 or found.isupper()) and found not in _NAME_STOP:
                singles[found] += 1
            continue
        words = found.split()
        while words and words[0] in _NAME_STOP:
            words = words[1:]
        while words and words[-1] in _NAME_STOP:
            words = words[:-1]
        titled = [k for k, w in enumerate(words[:-1]) if w in _TITLES]
        if titled:  # "Australian Prime Minister Scott Morrison" is Scott Morrison
            words = words[titled[-1] + 1 :]
            if len(words) > 2 and words[0].islower():  # "Secretary of State Hillary Clinton"
                words = words[2:]
        if words and (len(words) > 1 or len(words[0]) > 2 or words[0].isupper()):
            out.append(" ".join(words))
    known = set(out)
    for word, n in singles.items():
        if n > openers.get(word, 0) or word in known:
            out.extend([word] * n)
    return out


def title_words(title: str | None) -> list[str]:
    """The informative words of a title (label candidates)."""
    return [w for w in _WORD.findall((title or "").lower()) if w not in _STOP]


LEAD_CHARS = 200
"""How much of an untitled article's opening line stands in for its title."""


def lead_words(text: str) -> list[str]:
    """The informative words of a text's opening line: an untitled article's stand-in title."""
    head = text[: 4 * LEAD_CHARS].lstrip()[:LEAD_CHARS]  # never a copy of the whole text
    return title_words(head.split("\n", 1)[0])


_LIST_HEADING = re.compile(r"^[ \t]*(?:[^\s:]+[ \t]+){0,5}[^\s:]+:[ \t]*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*[ \t]*$")


def without_link_lists(text: str) -> str:
    """``text`` without its lists of links: a heading line of at most six words ending in a
    colon ("BGR Top Deals:", "Trending Right Now:", "More from Dan:") and the headline-like
    lines under it (each of at most 30 words, none ending as a sentence ends).

    Why: a news site's page ends with the same promotions under every article, whatever it
    reports. news-please keeps them in the text, so on real business news a wasp that
    zombifies spiders and a new phone shared the story "BGR Top Deals · Don't Miss · Trending
    Right" through their trailers alone. A heading followed by prose (an interview's "Q:", a
    list of sentences) is kept: only headline lines are taken with it. A list of key points
    written without full stops goes too; the report's prose usually says the same.
    """
    if ":\n" not in text and not text.rstrip().endswith(":"):
        return text
    lines = text.split("\n")
    keep = [True] * len(lines)
    for k, line in enumerate(lines):
        if not _LIST_HEADING.match(line):
            continue
        j = k + 1
        while j < len(lines) and lines[j].strip() and len(lines[j].split()) <= 30:
            if _SENTENCE_END.search(lines[j]):
                break
            j += 1
        if j > k + 1 or j == len(lines):  # a heading over links, or a last line alone
            for i in range(k, j):
                keep[i] = False
    return "\n".join(line for line, kept in zip(lines, keep, strict=True) if kept)


def article_terms(
    article: Article,
    timexes: Sequence[TimeExpression],
    bits: int,
    config: StoryConfig,
) -> ArticleTerms:
    """Count an article's words, names and mentioned months into hash buckets."""
    title = article.title or ""
    body = without_link_lists(article.text[: config.body_chars])
    title_weight = config.title_weight
    name_weight = config.name_weight
    body_words = Counter(_WORD.findall(body.lower()))
    title_counts = Counter(_WORD.findall(title.lower()))
    names = names_in(title) + names_in(body)
    name_counts = Counter("n:" + x.lower() for x in names)
    months = Counter("m:" + t.value[:7] for t in timexes if _MONTH.match(t.value or ""))
    if sum(body_words.values()) < FULL_REPORT_WORDS:
        months.clear()  # a brief is compared by its words and names alone
    parts = [
        (list(body_words), list(body_words.values()), 1.0, True),
        (list(title_counts), list(title_counts.values()), title_weight, True),
        (list(name_counts), list(name_counts.values()), name_weight, False),
        (list(months), list(months.values()), 1.0, False),
    ]
    buckets, counts = [], []
    for features, values, weight, skip_stop in parts:
        if features:
            buckets.append(_buckets(features, bits, skip_stop))
            counts.append(np.asarray(values, dtype=np.float64) * weight)
    if not buckets:
        return ArticleTerms(np.zeros(0, np.int64), np.zeros(0), names)
    b, c = np.concatenate(buckets), np.concatenate(counts)
    keep = b >= 0
    return ArticleTerms(b[keep], c[keep], names)


def terms_of(
    articles: Sequence[Article],
    timexes: Mapping[str, Sequence[TimeExpression]],
    bits: int,
    config: StoryConfig,
) -> list[ArticleTerms]:
    """:func:`article_terms` of each article, in order: the vectorisation a run starts with."""
    return [article_terms(a, timexes.get(a.id, []), bits, config) for a in articles]


Vectoriser = Callable[
    [Sequence[Article], Mapping[str, Sequence[TimeExpression]], int, StoryConfig],
    list[ArticleTerms],
]
"""What computes :func:`terms_of` (in order): here, or per partition on Dask workers
(:mod:`storyline.parallel`); each article's terms depend on that article alone."""


def count_matrix(terms: Sequence[ArticleTerms], bits: int) -> sp.csr_matrix:
    """Rows of raw counts, one per article, in the hashed space (repeated buckets summed)."""
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(t.buckets) for t in terms])
    indices = np.concatenate([t.buckets for t in terms]) if terms else np.zeros(0, np.int64)
    data = np.concatenate([t.counts for t in terms]) if terms else np.zeros(0)
    m = sp.csr_matrix(
        (data.astype(np.float32), indices.astype(np.int32), indptr),
        shape=(len(terms), 1 << bits),
    )
    m.sum_duplicates()
    return m


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
