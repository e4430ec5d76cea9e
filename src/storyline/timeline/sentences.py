"""What happened on a date: pick the sentences that say it, centrally, briefly, without repeats.

Why this method (PRIOR_ART.md, news-tls DATEWISE): the candidates for a day are the sentences
that name it through a day-level expression, plus the leads (first few sentences) of articles
published that day or just after it, since leads carry the news. Among them, the sentence
closest to the TF-IDF centroid of all candidates is what most reports of that day agree on;
further sentences are added greedily so the summary's centroid stays close to it
("centroid-opt"). Reference timelines are short, self-contained sentences naming actors and
actions, so candidates are weighed by a quality factor (length, completeness, no dangling
pronoun or quotation opening, no question), and the centroid weighs them by it too, so
captions and fragments that share the day's words do not pull it towards their own. A
sentence that names the day outright may be preferred. A sentence too similar to one already
chosen anywhere in the timeline is skipped; a publisher's call to the reader ("Read more...")
is no candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from scipy import sparse

from storyline.settings import TimelineConfig
from storyline.timeline.candidates import Key, Pool
from storyline.timeline.cues import EXPECTED_CUES
from storyline.timeline.dates import RankedDate, _last_day

_DANGLING = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|but|and|or|so|however|meanwhile|also|then|"
    r"still|yet|his|her|its|their)\b",
    re.IGNORECASE,
)
_QUOTE_OPEN = re.compile(r"^(?:``|\"|“|'|‘|-)")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_DEBRIS_WORD = re.compile(r"\b(?:edt|est|gmt|bst|click|subscribe|copyright|newsletter)\b")
_WROTE = re.compile(r"\bwrote\s*:")
_DEBRIS_OPENING = re.compile(r"\W|[a-z]\s+-rrb-")
_LINK = re.compile(r"https?://|www\.|@\w")
_PROMO_OPENING = re.compile(
    r"(?:sign up|subscribe|click|tap here|download|register (?:now|here|for)|"
    r"follow (?:us|him|her|them|me)|read more|watch more|listen to|learn more|find out more|"
    r"check out|don['’]t miss|explore what|get the latest|to read more|"
    r"for more (?:news|stories|articles|information)|like us on|more about)\b"
)
"""How a publisher's call to the reader opens ("Sign up for China Rising, a weekly email…",
"For more articles like this, please visit us at bloomberg.com", "Explore what's moving the
global economy in … the Stephanomics podcast"), or a site's tag list ("More about Mashable
Video, Pets, …"): an imperative to subscribe, click, follow, read, watch or listen, never what
happened (no Timeline17 reference sentence opens so)."""
_CLICK_HERE = re.compile(
    r"\b(?:click|tap) here\b|^you can (?:see|read|find|watch|get|view)\b.*\bhere\b"
)


def is_debris(text: str) -> bool:
    """Web-page debris, datelines and comment headers ("| 09:33 UK time", "wrote :", a link,
    a clock time or time zone, a leading punctuation mark), and a publisher's calls to the
    reader ("Sign up for …", "For more articles like this, …", "… click here").

    Why several small tests and not one alternation: a single case-insensitive pattern of ten
    alternatives is tried at every character of every candidate, which cost a fifth of a
    1,500-article timeline; a cheap character test first skips most sentences (same verdicts on
    all 123,745 Timeline17 sentences, four times faster).
    """
    if "|" in text:
        return True
    low = text.lower()
    if _DEBRIS_OPENING.match(low):
        return True
    if ":" in text and (
        _CLOCK.search(text) or ("wrote" in low and _WROTE.search(low)) or _LINK.search(low)
    ):
        return True
    if ("www." in low or "@" in text) and _LINK.search(low):
        return True
    if is_call_to_the_reader(low):
        return True
    return _DEBRIS_WORD.search(low) is not None


def is_call_to_the_reader(text: str) -> bool:
    """A publisher's call to the reader (:data:`_PROMO_OPENING`, "… click here"): a page's
    furniture, never news, where other debris (a quotation opening, a clock time) may be."""
    low = text.lower()
    return _PROMO_OPENING.match(low) is not None or (
        "here" in low and _CLICK_HERE.search(low) is not None
    )


_COMPLETE = re.compile(r"[.!]\s*(?:''|\"|”|’|')?\s*$")


@dataclass(slots=True)
class Chosen:
    """The sentences picked for one date and whether they speak of an expected event."""

    when: RankedDate
    keys: list[Key]
    expected: bool


def candidates_for(pool: Pool, when: RankedDate, config: TimelineConfig) -> list[Key]:
    """Sentences naming the date, plus leads published on it or just after it."""
    pool.fill(_wanted(pool, when, config.lead_sentences, config.followup_days))
    return _candidates(pool, when, config)


def _candidates(pool: Pool, when: RankedDate, config: TimelineConfig) -> list[Key]:
    """:func:`candidates_for` of a pool that holds their texts (or was filled for them): a
    lead that names days counts only when it names this one (or one inside this month or
    year); duplicates' sentences never count."""
    last = _last_day(when.date, when.granularity)
    keys = [
        key
        for key, lead in _date_sentences(pool, when, config.lead_sentences, config.followup_days)
        if not lead
        or not (named := pool.sentence_dates.get(key))
        or any(when.date <= d <= last for d in named)
    ]
    return list(dict.fromkeys(k for k in keys if not pool.duplicate[k[0]]))


def _wanted(pool: Pool, when: RankedDate, lead: int, follow: int) -> list[Key]:
    """Every sentence :func:`candidates_for` may read for the date: what a pool read without
    texts fills first (none for one that holds them)."""
    if pool.reader is None:
        return []
    return [key for key, _ in _date_sentences(pool, when, lead, follow, filled=False)]


def _date_sentences(
    pool: Pool, when: RankedDate, lead: int, follow: int, filled: bool = True
) -> Iterator[tuple[Key, bool]]:
    """The date's candidate sentences before any is set aside, each with whether it is a lead
    (kept only if it names no other date): the sentences naming the date (any day inside it,
    for a month or year), then the first ``lead`` sentences of the articles published on it
    (the ``follow`` days after it too, for a day) or known only to it (a month or year).

    ``filled``: the pool holds the texts, so a lead is a sentence the article has; otherwise
    every address a lead may have, which :meth:`Pool.fill` reads (those that exist).
    """

    def leads(position: int) -> Iterator[Key]:
        if not filled:
            return iter(pool.lead_keys(position, lead))
        return ((position, sentence.index) for sentence in pool.leads(position, lead))

    if when.granularity == "day":
        yield from ((key, False) for key in pool.mentions["day"].get(when.date, []))
        for offset in range(follow + 1):
            for position in pool.published.get(when.date + timedelta(days=offset), []):
                yield from ((key, True) for key in leads(position))
        return
    last = _last_day(when.date, when.granularity)
    yield from ((key, False) for key in pool.mentions[when.granularity].get(when.date, []))
    for day, found in pool.mentions["day"].items():
        if when.date <= day <= last:
            yield from ((key, False) for key in found)
    # the leads of articles dated only to this month or year (see Pool.coarse_published)
    for position in pool.coarse_published.get(when.granularity, {}).get(when.date, []):
        yield from ((key, True) for key in leads(position))


def quality(text: str, config: TimelineConfig) -> float:
    """How much a sentence reads like a timeline entry: brief, complete, self-contained."""
    tokens = len(text.split())
    low = config.min_tokens
    high = config.max_tokens
    factor = 1.0
    if tokens < low:
        factor *= (tokens / low) ** 2
    elif tokens > high:
        factor *= high / tokens
    penalty = config.style_penalty
    if _DANGLING.match(text) or _QUOTE_OPEN.match(text) or text[:1].islower():
        factor *= penalty
    if not _COMPLETE.search(text) or "?" in text:
        factor *= penalty
    if is_debris(text):
        factor *= config.junk_penalty
    return factor


@lru_cache(maxsize=65_536)
def is_expected(text: str) -> bool:
    """Whether the sentence speaks of its event as still to come (cached: asked once per date)."""
    return EXPECTED_CUES.search(text) is not None


def select_sentences(
    pool: Pool, dates: list[RankedDate], per_date: int, config: TimelineConfig | None = None
) -> list[Chosen]:
    """For each date (best first), up to ``per_date`` sentences; near-repeats are skipped."""
    config = config or TimelineConfig()
    # a pool read without texts reads every date's in one pass (each date's own is then held)
    lead, follow = config.lead_sentences, config.followup_days
    pool.fill(k for d in dates for k in _wanted(pool, d, lead, follow))
    per_date_keys = [_candidates(pool, d, config) for d in dates]
    universe = list(dict.fromkeys(k for keys in per_date_keys for k in keys))
    if not universe:
        return [Chosen(d, [], False) for d in dates]
    row = {k: i for i, k in enumerate(universe)}
    # Syndicated copies repeat sentences word for word (half of a large story's candidates):
    # what depends on a sentence's text alone is computed once per distinct text.
    shown: dict[str, str] = {}
    texts = []
    for k in universe:
        raw = pool.sentence(k).text
        text = shown.get(raw)
        if text is None:
            text = shown[raw] = pool.span(k)[0]
        texts.append(text)
    matrix = sparse.csr_matrix(_tfidf(texts))
    graded: dict[str, float] = {}
    for text in texts:
        if text not in graded:
            graded[text] = quality(text, config)
    qualities = np.array([graded[t] for t in texts])
    mention_bonus = config.mention_bonus
    expected_penalty = config.expected_penalty
    threshold = config.redundancy_threshold
    near_threshold = config.near_redundancy_threshold
    near_days = config.near_redundancy_days
    chosen_rows: list[int] = []
    chosen_days: list[date] = []
    out: list[Chosen] = []
    # A publisher's call to the reader ("Read more...", a tag list) is never what happened: no
    # candidate at all, so a date with nothing else makes no entry. Other debris (a quotation
    # opening, a clock time) only weighs less: it may still tell what happened.
    calls = {t for t in set(texts) if is_call_to_the_reader(t)}
    for when, keys in zip(dates, per_date_keys, strict=True):
        if calls:
            keys = [k for k in keys if texts[row[k]] not in calls]
        if not keys:
            out.append(Chosen(when, [], False))
            continue
        rows = np.array([row[k] for k in keys])
        block = matrix[rows]
        weights = qualities[rows].copy()
        centroid = _centroid(block, weights, config.centroid_weighting)
        for i, k in enumerate(keys):
            if when.granularity == "day" and when.date in pool.sentence_dates.get(k, ()):
                weights[i] *= 1.0 + mention_bonus
            published = pool.published_on(k)
            if published is not None and published >= when.date and is_expected(texts[rows[i]]):
                weights[i] *= expected_penalty
        near = [
            r
            for r, d in zip(chosen_rows, chosen_days, strict=True)
            if abs((d - when.date).days) <= near_days
        ]
        picked = _centroid_opt(
            block,
            centroid,
            weights,
            per_date,
            matrix,
            chosen_rows,
            rows,
            threshold,
            (near, near_threshold) if near and near_threshold < threshold else None,
        )
        chosen_rows.extend(int(rows[i]) for i in picked)
        chosen_days.extend(when.date for _ in picked)
        picked_keys = [keys[i] for i in picked]
        picked_keys.sort(key=lambda k: (pool.published_on(k) or date.max, k))
        out.append(Chosen(when, picked_keys, _expected(pool, when, picked_keys)))
    return out


def _centroid(block: sparse.csr_matrix, qualities: np.ndarray, weighting: str) -> np.ndarray:
    """The centre of a date's candidates: their mean, or with ``quality`` weighting their mean
    weighted by how much each reads like an entry (the factor before any date-specific
    adjustment), so debris and fragments that share the day's words count for less."""
    if weighting == "quality" and qualities.sum() > 0:
        weighted = block.multiply(qualities[:, None]).sum(axis=0)
        return np.asarray(weighted).ravel() / float(qualities.sum())
    return np.asarray(block.mean(axis=0)).ravel()


def _tfidf(texts: list[str]) -> sparse.spmatrix:
    """TF-IDF rows of ``texts`` (sublinear tf, English stop words, unit rows), exactly
    ``TfidfVectorizer(...).fit_transform(texts)``.

    Each distinct text is tokenised and counted once, and its count row is repeated for its
    copies (syndicated reports repeat sentences word for word: half of a large story's
    candidates). That is the count matrix of every text: the same vocabulary, assigned in the
    same order of first appearance (a copy brings no new word), so the same columns in the same
    order within each row; the document frequencies, and so the weights, then count every copy.
    """
    from sklearn.feature_extraction.text import (  # lazy: a CLI start
        CountVectorizer,
        TfidfTransformer,
    )

    distinct = list(dict.fromkeys(texts))
    row_of = {text: i for i, text in enumerate(distinct)}
    counts = CountVectorizer(
        lowercase=True,
        stop_words="english",
        token_pattern=r"(?u)\b\w\w+\b",
        dtype=np.float64,
    ).fit_transform(distinct)
    every = sparse.csr_matrix(counts)[[row_of[text] for text in texts]]
    return TfidfTransformer(sublinear_tf=True).fit_transform(every)


def _centroid_opt(
    block: sparse.csr_matrix,
    centroid: np.ndarray,
    weights: np.ndarray,
    count: int,
    matrix: sparse.csr_matrix,
    taken: list[int],
    rows: np.ndarray,
    threshold: float,
    near: tuple[list[int], float] | None = None,
) -> list[int]:
    """Greedy picks keeping the summary's centroid closest to ``centroid``, quality-weighted.

    ``near`` holds the rows already chosen for dates close to this one and the stricter
    threshold that applies to them.
    Sparse algebra only: with unit rows, |row + summary|² = |row|² + 2 row·summary + |summary|².
    """
    norm = _dot(centroid, centroid) ** 0.5 or 1.0
    allowed = np.ones(len(rows), dtype=bool)
    if taken:
        overlap = block @ matrix[taken].T
        allowed &= np.asarray(overlap.max(axis=1).todense()).ravel() <= threshold
    if near is not None:
        overlap = block @ matrix[near[0]].T
        allowed &= np.asarray(overlap.max(axis=1).todense()).ravel() <= near[1]
    to_centroid = np.asarray(block @ centroid).ravel()
    squares = np.asarray(block.multiply(block).sum(axis=1)).ravel()
    picked: list[int] = []
    summary = np.zeros_like(centroid)
    for _ in range(count):
        if not allowed.any():
            break
        to_summary = np.asarray(block @ summary).ravel()
        lengths = np.sqrt(np.maximum(squares + 2 * to_summary + _dot(summary, summary), 1e-12))
        gain = (to_centroid + _dot(summary, centroid)) / (lengths * norm) * weights
        gain[~allowed] = -np.inf
        best = int(np.argmax(gain))
        if not np.isfinite(gain[best]):
            break
        picked.append(best)
        chosen = block[best]
        summary = summary + chosen.toarray().ravel()
        similar = np.asarray((block @ chosen.T).todense()).ravel() > threshold
        allowed &= ~similar
        allowed[best] = False
    return picked


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """A dense dot product without BLAS: on a loaded machine BLAS threads spin and wait, which
    made these tiny products cost milliseconds each (measured: 1.8 s vs 0.14 s per timeline)."""
    return float(np.multiply(a, b).sum())


def _expected(pool: Pool, when: RankedDate, keys: list[Key]) -> bool:
    """Expected when every sentence looks forward: written before the date, or says it will be."""
    if not keys:
        return False
    for key in keys:
        published = pool.published_on(key)
        if published is not None and published < when.date:
            continue
        if is_expected(pool.sentence(key).text):
            continue
        return False
    return True


__all__ = [
    "EXPECTED_CUES",
    "Chosen",
    "candidates_for",
    "is_call_to_the_reader",
    "is_debris",
    "is_expected",
    "quality",
    "select_sentences",
]
