"""Timeline-summarisation metrics as the tilse toolkit computes them (Martschat & Markert 2017).

A timeline here is a mapping ``date -> list of sentences`` (tokens separated by spaces, as in the
Timeline17 references). Scores use ROUGE-1.5.5's counts with ``-m -s`` (see
:mod:`storyline.evaluate.rouge`), so the numbers are the ones tilse, news-tls and the papers
report — checked against tilse 0.2.1 with its Perl ROUGE in ``tests/test_tls_metrics.py``.

API (``pred`` the system timeline, ``ref`` one reference timeline):

- :func:`concat` — every summary of each timeline joined in date order, ROUGE-1/2 P/R/F;
- :func:`agreement` — only summaries of the same date are compared;
- :func:`align_m1` — tilse's ``align_date_content_costs_many_to_one`` ("align+ m:1"): each
  system date goes to the reference date of least cost, cost = (1 - 1/(days apart + 1)) ×
  (1 - tilse's rough ROUGE-1 F of the two summaries), and each hit is discounted by
  1/(days apart + 1); recall aligns each reference date the same way;
- :func:`date_prf` — date precision/recall/F1;
- :func:`evaluate` — all of the above as one :class:`TLSScores`;
- :func:`as_timeline_dict` — a :class:`storyline.records.Timeline` as scored: day entries only,
  exactly what its tilse rendering holds;
- :func:`average` — over tasks the news-tls way (F of the mean precision and mean recall);
  :func:`average_mean_f` — the mean of per-task F (the other convention in the literature).

Each metric returns ``{"rouge1": PRF, "rouge2": PRF}``. Where tilse would divide by zero (an
empty timeline) the score is 0. Only single-reference evaluation is provided: it is what the
Timeline17 protocol (one task per reference timeline) uses.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storyline.evaluate.rouge import NGram, clipped_hits, ngram_counts, tokens
from storyline.records import Timeline

__all__ = [
    "MEASURES",
    "PRF",
    "TLSScores",
    "TimelineDict",
    "agreement",
    "align_m1",
    "as_timeline_dict",
    "average",
    "average_mean_f",
    "concat",
    "date_prf",
    "evaluate",
]

TimelineDict = Mapping[date, Sequence[str]]
MEASURES: dict[str, int] = {"rouge1": 1, "rouge2": 2}


def _f1(precision: float, recall: float) -> float:
    """tilse's ``get_f_score`` with beta = 1 (same operation order, so the same float)."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 of one measure."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        return cls(precision, recall, _f1(precision, recall))

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


Scores = dict[str, PRF]


@dataclass(frozen=True, slots=True)
class TLSScores:
    """All tilse scores of one system timeline against one reference (or an average of them)."""

    concat: Scores
    agreement: Scores
    align_m1: Scores
    date: PRF
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Full P/R/F per metric and measure: ``{"concat": {"rouge1": {...}}, ..., "date": {...}}``."""
        out: dict[str, Any] = {
            name: {m: prf.as_dict() for m, prf in getattr(self, name).items()}
            for name in ("concat", "agreement", "align_m1")
        }
        out["date"] = self.date.as_dict()
        return out

    def f1_dict(self) -> dict[str, Any]:
        """F1 only, in the shape of ``storyline eval tls --json``: ``{"concat": {"rouge1": f}, …, "date_f1"}``."""
        out: dict[str, Any] = {
            name: {m: prf.f1 for m, prf in getattr(self, name).items()}
            for name in ("concat", "agreement", "align_m1")
        }
        out["date_f1"] = self.date.f1
        return out


class _Side:
    """One timeline's per-date n-gram counts, computed once per evaluation."""

    def __init__(self, timeline: TimelineDict) -> None:
        self.timeline = timeline
        self.dates = sorted(timeline)
        self._grams: dict[tuple[date, int], Counter[NGram]] = {}

    def grams(self, day: date, n: int) -> Counter[NGram]:
        key = (day, n)
        if key not in self._grams:
            self._grams[key] = ngram_counts(tokens(self.timeline.get(day, ())), n)
        return self._grams[key]


def _ratio(num: float, denom: int) -> float:
    return num / denom if denom else 0.0


def concat(pred: TimelineDict, ref: TimelineDict) -> Scores:
    """tilse's *concat*: the whole timelines compared as two documents, dates ignored."""
    pred_sents = [s for d in sorted(pred) for s in pred[d]]
    ref_sents = [s for d in sorted(ref) for s in ref[d]]
    pred_toks, ref_toks = tokens(pred_sents), tokens(ref_sents)
    out: Scores = {}
    for name, n in MEASURES.items():
        p, r = ngram_counts(pred_toks, n), ngram_counts(ref_toks, n)
        hit = clipped_hits(p, r)
        out[name] = PRF.of(_ratio(hit, sum(p.values())), _ratio(hit, sum(r.values())))
    return out


def agreement(pred: TimelineDict, ref: TimelineDict) -> Scores:
    """tilse's *agreement*: summaries compared only on dates both timelines have."""
    ps, rs = _Side(pred), _Side(ref)
    out: Scores = {}
    for name, n in MEASURES.items():
        hit = p_den = r_den = 0
        for day in set(pred) | set(ref):
            p, r = ps.grams(day, n), rs.grams(day, n)
            # a date missing on one side has an empty summary there, hence no hit: precision
            # and recall share one numerator
            hit += clipped_hits(p, r)
            if day in pred:
                p_den += sum(p.values())
            if day in ref:
                r_den += sum(r.values())
        out[name] = PRF.of(_ratio(hit, p_den), _ratio(hit, r_den))
    return out


def _approx_counts(sentences: Sequence[str]) -> Counter[str]:
    # tilse's compute_rouge_approximation: raw tokens, no case folding; a token is dropped when it
    # is a substring of string.punctuation (so "()" goes, "``" stays) — kept as tilse has it
    return Counter(t for s in sentences for t in s.split() if t not in string.punctuation)


def _approx_f(pred: Counter[str], ref: Counter[str]) -> float:
    match = sum(min(c, ref[t]) for t, c in pred.items() if t in ref)
    p_den, r_den = sum(pred.values()), sum(ref.values())
    precision = match / p_den if p_den else 0
    recall = match / r_den if r_den else 0
    if precision + recall == 0:
        return 0
    return 2 * precision * recall / (precision + recall)


def _date_factor(a: date, b: date) -> float:
    """1/(days apart + 1): the weight of a hit between two dates, and 1 - the date cost."""
    return 1 / (abs(a.toordinal() - b.toordinal()) + 1)


def _costs(
    pred_dates: list[date], ref_dates: list[date], pred: TimelineDict, ref: TimelineDict
) -> list[list[float]]:
    """tilse's ``_get_date_content_costs`` (axis 0): rows are system dates, columns references."""
    ref_counts = [_approx_counts(ref[d]) for d in ref_dates]
    rows: list[list[float]] = []
    for pd in pred_dates:
        pc = _approx_counts(pred[pd])
        rows.append(
            [
                (1 - _date_factor(pd, rd)) * (1 - _approx_f(pc, rc))
                for rd, rc in zip(ref_dates, ref_counts, strict=True)
            ]
        )
    return rows


def _argmin(row: Sequence[float]) -> int:
    """The first index of the least value (numpy's ``argmin``, which tilse uses)."""
    best = 0
    for i, value in enumerate(row):
        if value < row[best]:
            best = i
    return best


def align_m1(pred: TimelineDict, ref: TimelineDict) -> Scores:
    """tilse's *align+ m:1* (``evaluate_align_date_content_costs_many_to_one``)."""
    ps, rs = _Side(pred), _Side(ref)
    if not ps.dates or not rs.dates:
        return {name: PRF.of(0.0, 0.0) for name in MEASURES}
    costs = _costs(ps.dates, rs.dates, pred, ref)
    to_ref = [_argmin(row) for row in costs]  # precision: each system date -> a reference date
    to_pred = [_argmin(col) for col in zip(*costs, strict=True)]  # recall: the transpose
    precision_pairs = [(ps.dates[i], rs.dates[j]) for i, j in enumerate(to_ref)]
    recall_pairs = [(ps.dates[i], rs.dates[j]) for j, i in enumerate(to_pred)]
    out: Scores = {}
    for name, n in MEASURES.items():
        p_num, p_den = _aligned_hits(ps, rs, precision_pairs, n, count_system=True)
        r_num, r_den = _aligned_hits(ps, rs, recall_pairs, n, count_system=False)
        out[name] = PRF.of(_ratio(p_num, p_den), _ratio(r_num, r_den))
    return out


def _aligned_hits(
    ps: _Side,
    rs: _Side,
    pairs: list[tuple[date, date]],
    n: int,
    count_system: bool,
) -> tuple[float, int]:
    """Date-discounted n-gram hits over aligned (system date, reference date) pairs, and the
    n-gram total of the side being measured (system for precision, reference for recall)."""
    hits = 0.0
    total = 0
    for pd, rd in pairs:
        p, r = ps.grams(pd, n), rs.grams(rd, n)
        hits += _date_factor(pd, rd) * clipped_hits(p, r)
        total += sum((p if count_system else r).values())
    return hits, total


def date_prf(pred: TimelineDict, ref: TimelineDict) -> PRF:
    """Date precision/recall/F1 (tilse's ``evaluate_dates``): exact day matches only."""
    both = len(set(pred) & set(ref))
    return PRF.of(_ratio(both, len(pred)), _ratio(both, len(ref)))


def evaluate(pred: TimelineDict, ref: TimelineDict) -> TLSScores:
    """Every tilse score of ``pred`` against ``ref``."""
    return TLSScores(
        concat=concat(pred, ref),
        agreement=agreement(pred, ref),
        align_m1=align_m1(pred, ref),
        date=date_prf(pred, ref),
    )


def as_timeline_dict(timeline: Timeline) -> dict[date, list[str]]:
    """The day-level entries of a timeline record, ``{date: [sentence text]}``.

    Month and year entries are left out, as in tilse output: the references are day-level, and
    a month scored as its first day would be a wrong date.
    """
    out: dict[date, list[str]] = {}
    for entry in timeline.entries:
        if entry.granularity == "day":
            texts = [" ".join(c.text.split()) for c in entry.sentences if c.text.strip()]
            out.setdefault(entry.date, []).extend(texts)
    return out


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _combine(prfs: Sequence[PRF], mean_f: bool) -> PRF:
    precision = _mean([x.precision for x in prfs])
    recall = _mean([x.recall for x in prfs])
    if mean_f:
        return PRF(precision, recall, _mean([x.f1 for x in prfs]))
    return PRF.of(precision, recall)


def _average(results: Sequence[TLSScores], mean_f: bool) -> TLSScores:
    def metric(name: str) -> Scores:
        return {m: _combine([getattr(r, name)[m] for r in results], mean_f) for m in MEASURES}

    return TLSScores(
        concat=metric("concat"),
        agreement=metric("agreement"),
        align_m1=metric("align_m1"),
        date=_combine([r.date for r in results], mean_f),
        extra={"tasks": len(results), "averaging": "mean_f" if mean_f else "f_of_means"},
    )


def average(results: Sequence[TLSScores]) -> TLSScores:
    """news-tls averaging: mean precision and mean recall over tasks, then their F1."""
    return _average(results, mean_f=False)


def average_mean_f(results: Sequence[TLSScores]) -> TLSScores:
    """The mean of per-task F1 (precision and recall are still their means)."""
    return _average(results, mean_f=True)
