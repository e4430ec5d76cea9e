"""What a candidate day looks like to the date ranker: one row of evidence per day.

Why these columns (PRIOR_ART.md): news-tls DATEWISE ranks days by counts of the sentences and
documents that name a day, split by whether they were written before, on or after it, plus the
documents published on it; its classifier is trained on other topics and still generalises.
We keep that base and add what a reader of the coverage also weighs: how many outlets agree
(sources), whether the day's news is in the leads, whether the day is a burst of coverage or
part of a plateau, whether the sentences tell of something that happened (past-tense event
verbs, named actors) or of something still expected, how new the day's words are against its
neighbours', and the day's share of the months and years named in text.

Why each column is L2-normalised over the candidates of one collection (``normalise``): a
topic of 1,500 articles and one of 140 must look alike to a model trained on the other; only
the *shape* of the evidence across a collection's days carries over to an unseen topic.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from scipy import sparse

from storyline.timeline.candidates import Key, Pool
from storyline.timeline.cues import EXPECTED_CUES, PAST_EVENT

FEATURES: tuple[str, ...] = (
    "published",
    "published_next_day",
    "mention_sentences_before",
    "mention_sentences_same_day",
    "mention_sentences_after",
    "mention_docs_before",
    "mention_docs_same_day",
    "mention_docs_after",
    "lead_mentions",
    "mention_sources",
    "publishing_sources",
    "reference_rank",
    "month_mentions",
    "burst",
    "happened",
    "expected",
    "actors",
    "novelty",
    "mentioning_days_after",
    "mention_docs_week_after",
    "lead_docs_after",
    "lead_docs",
    "mention_span_days",
)
"""The columns of :func:`day_features`, in order (the model's weights are keyed by these names)."""

LEAD = 5
"""An article's first sentences that count as its lead in these features (fixed: the
shipped model's weights were learnt with it)."""
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def candidate_days(pool: Pool, since: date | None, until: date | None) -> list[date]:
    """Days in the window that some article names at day level or was published on."""
    inside = set(pool.published) | set(pool.mentions.get("day", {}))
    return sorted(
        d for d in inside if (since is None or d >= since) and (until is None or d <= until)
    )


def day_features(
    pool: Pool,
    days: list[date],
    reference_rank: dict[date, float],
) -> np.ndarray:
    """A ``len(days) x len(FEATURES)`` matrix of raw evidence (normalise before scoring)."""
    day_mentions = pool.mentions.get("day", {})
    # a pool read without texts reads those the features read: the days' dated sentences and
    # the leads published on them (nothing for a pool that holds its texts)
    pool.fill(k for day in days for k in day_mentions.get(day, []))
    pool.fill(k for d in days for p in pool.published.get(d, []) for k in pool.lead_keys(p, LEAD))
    sources = pool.sources
    volume = {d: sum(1 for p in ps if not pool.duplicate[p]) for d, ps in pool.published.items()}
    months = pool.mentions.get("month", {})
    novelty = _novelty_column(pool, days)
    out = np.zeros((len(days), len(FEATURES)))
    for row, day in enumerate(days):
        keys = [k for k in pool.mentions.get("day", {}).get(day, []) if not pool.duplicate[k[0]]]
        before = same = after = 0
        docs: dict[str, set[int]] = {"before": set(), "same": set(), "after": set()}
        leads = happened = expected = actors = 0
        later_days: set[date] = set()
        far: set[int] = set()
        lead_after: set[int] = set()
        lead_docs: set[int] = set()
        span = 0
        for key in keys:
            published = pool.articles[key[0]].published
            side = _side(published, day)
            docs[side].add(key[0])
            if side == "before":
                before += 1
            elif side == "same":
                same += 1
            else:
                after += 1
            if published is not None and published > day:
                later_days.add(published)
                span = max(span, (published - day).days)
                if (published - day).days > 3:
                    far.add(key[0])
                if key[1] < LEAD:
                    lead_after.add(key[0])
            if key[1] < LEAD:
                lead_docs.add(key[0])
            past, ahead, named = _cues(pool.sentence(key).text)
            leads += key[1] < LEAD
            happened += past
            expected += ahead
            actors += named
        publishing = {sources[p] for p in pool.published.get(day, []) if not pool.duplicate[p]}
        mentioning = {sources[k[0]] for k in keys}
        around = [volume.get(day + timedelta(days=o), 0) for o in (-3, -2, -1, 1, 2, 3)]
        out[row] = (
            volume.get(day, 0),
            volume.get(day + timedelta(days=1), 0),
            before,
            same,
            after,
            len(docs["before"]),
            len(docs["same"]),
            len(docs["after"]),
            leads,
            len(mentioning),
            len(publishing),
            reference_rank.get(day, 0.0),
            len(months.get(date(day.year, day.month, 1), [])),
            volume.get(day, 0) / (1.0 + sum(around) / len(around)),
            happened,
            expected,
            actors,
            novelty[row],
            len(later_days),
            len(far),
            len(lead_after),
            len(lead_docs),
            math.log1p(span),
        )
    return out


def _side(published: date | None, day: date) -> str:
    if published is None or published == day:
        return "same"
    return "after" if published > day else "before"


def _novelty_column(pool: Pool, days: list[date]) -> np.ndarray:
    """Per day, 1 - cosine of its words with the previous week's: a new event brings new words.

    A day's words are those of the leads published on it and of the sentences naming it. One
    sparse day-by-word matrix and a banded "previous seven days" matrix give every day's
    comparison in two products (a dictionary per day cost seconds on a 1,500-article topic).
    A day without words scores 0; a day with words but no earlier week scores 1.
    """
    documents = []
    for day in days:
        keys: list[Key] = list(pool.mentions.get("day", {}).get(day, []))
        for p in pool.published.get(day, []):
            keys.extend((p, s.index) for s in pool.leads(p, LEAD))
        held = (pool.find(k) for k in keys if not pool.duplicate[k[0]])
        documents.append("\n".join(s.text for s in held if s is not None))
    n = len(days)
    if not any(documents):
        return np.zeros(n)
    from sklearn.feature_extraction.text import CountVectorizer  # lazy: a CLI start

    counts = sparse.csr_matrix(
        CountVectorizer(token_pattern=r"[a-z]{3,}", lowercase=True, dtype=np.float64).fit_transform(
            documents
        )
    )
    ordinals = np.array([d.toordinal() for d in days])
    band_rows: list[int] = []
    band_cols: list[int] = []
    for i, ordinal in enumerate(ordinals):  # the candidates of the 7 days before this one
        lo = int(np.searchsorted(ordinals, ordinal - 7, side="left"))
        hi = int(np.searchsorted(ordinals, ordinal - 1, side="right"))
        band_rows.extend([i] * (hi - lo))
        band_cols.extend(range(lo, hi))
    band = sparse.csr_matrix((np.ones(len(band_rows)), (band_rows, band_cols)), shape=(n, n))
    earlier = band @ counts
    dots = np.asarray(counts.multiply(earlier).sum(axis=1)).ravel()
    own = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    before = np.sqrt(np.asarray(earlier.multiply(earlier).sum(axis=1)).ravel())
    novelty = np.where(before > 0, 1.0 - dots / np.maximum(own * before, 1e-12), 1.0)
    return np.where(own > 0, novelty, 0.0)


@lru_cache(maxsize=200_000)
def _cues(text: str) -> tuple[bool, bool, bool]:
    """(tells of a past event, of an expected one, names an actor) — asked once per sentence."""
    return (
        PAST_EVENT.search(text) is not None,
        EXPECTED_CUES.search(text) is not None,
        _NAME.search(text) is not None,
    )


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Per collection: each column as shares of its total, square-rooted, then L2-normalised.

    Shares make a 1,500-article topic and a 140-article one comparable; the square root
    compresses the few days every article recalls, so days with their own coverage compete
    (the same reason the count ranker raises its shares to ``date_evidence_power`` 0.5); the
    L2 step is DATEWISE's normalisation. Zero columns stay zero.
    """
    totals = matrix.sum(axis=0)
    shares = np.sqrt(np.maximum(matrix, 0.0) / np.where(totals > 0, totals, 1.0))
    norms = np.linalg.norm(shares, axis=0)
    return shares / np.where(norms > 0, norms, 1.0)


__all__ = ["FEATURES", "candidate_days", "day_features", "normalise"]
