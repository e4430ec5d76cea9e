"""Which dates matter: rank calendar days (and, for readers, months) by the evidence for them.

Why these signals (PRIOR_ART.md): a day that many articles refer back to is a day something
happened — counting day-level mentions alone already gives most of the Date F1 of supervised
rankers. We weight a mention by when it was written (looking back at a day counts more than the
day's own coverage, which counts more than an announcement of a future day), count each article
once per day so one long recap does not outvote the press, reward a day named by several
outlets, add the day's publication volume (news breaks on the day it happens), and smooth a
little so a day whose neighbours are busy is not lost to a tagger's off-by-one. Half of a day's
score comes from PageRank over the date reference graph (articles link their publication day
to the days they name, Tran et al. 2015): a day recalled from many days, and from days that are
themselves recalled, matters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy import sparse

from storyline.settings import TimelineConfig
from storyline.timeline.candidates import Pool
from storyline.timeline.features import day_features, normalise
from storyline.timeline.model import DateModel, shipped_model


@dataclass(frozen=True, slots=True)
class RankedDate:
    """A candidate date with its score; ``granularity`` is ``day``, ``month`` or ``year``."""

    date: date
    granularity: str
    score: float


def _in_window(d: date, since: date | None, until: date | None) -> bool:
    return (since is None or d >= since) and (until is None or d <= until)


def _mention_weight(published: date | None, when: date, config: TimelineConfig) -> float:
    """How much one article's mention of ``when`` says that something happened then."""
    if published is None or published == when:
        return config.same_day_mention_weight
    if published > when:
        return config.later_mention_weight
    return config.earlier_mention_weight


def mention_scores(pool: Pool, granularity: str, config: TimelineConfig) -> dict[date, float]:
    """Per date: weighted count of articles naming it, boosted by how many outlets do."""
    sources = pool.sources
    spread = config.source_spread_weight
    out: dict[date, float] = {}
    published = pool.coarse_published.get(granularity, {})
    for when in dict.fromkeys([*pool.mentions.get(granularity, {}), *published]):  # in order
        seen: dict[int, float] = {}
        for position, _ in pool.mentions.get(granularity, {}).get(when, []):
            if position not in seen:
                seen[position] = _mention_weight(pool.articles[position].published, when, config)
        for position in published.get(when, []):
            # an article known to appear in this month or year tells its news, as one
            # published on a day tells that day's
            seen[position] = config.same_day_mention_weight
        outlets = {sources[p] for p in seen}
        out[when] = sum(seen.values()) * (1.0 + spread * math.log(len(outlets)))
    return out


def _day_mentions(
    pool: Pool,
    since: date | None,
    until: date | None,
    days: set[date],
    config: TimelineConfig,
) -> dict[date, float]:
    """Day mention scores, plus a share of each month mention for the month's candidate days.

    The share goes to the month's days in proportion to their own mentions (evenly when none
    has any), so a month named often lifts the day that month's event is known by.

    Why: "in January 2017" in a later article is evidence for the day in January 2017 on which
    the event was reported, even though it names no day.
    """
    mentions = {
        d: s for d, s in mention_scores(pool, "day", config).items() if _in_window(d, since, until)
    }
    support = config.month_support
    if support <= 0:
        return mentions
    by_month: dict[tuple[int, int], list[date]] = defaultdict(list)
    for d in days | set(mentions):
        by_month[(d.year, d.month)].append(d)
    own = dict(mentions)
    for month, score in mention_scores(pool, "month", config).items():
        inside = by_month.get((month.year, month.month), [])
        total = sum(own.get(d, 0.0) for d in inside)
        for d in inside:  # in proportion to the day's own mentions, evenly when none has any
            share = own.get(d, 0.0) / total if total > 0 else 1.0 / len(inside)
            mentions[d] = mentions.get(d, 0.0) + support * score * share
    return mentions


def reference_rank(
    pool: Pool, since: date | None, until: date | None, config: TimelineConfig
) -> dict[date, float]:
    """PageRank over the date reference graph: a day matters when days that matter recall it.

    Why (Tran et al. 2015's date reference graph): each article links its publication day to
    every day it names (weighted as in :func:`mention_scores`); a random walk then credits a day
    for being recalled from many days, and from days that are themselves recalled. Teleporting
    is uniform over the days, so a quiet week's single retrospective does not dominate.
    """
    nodes: dict[date, int] = {}
    edges: dict[tuple[int, int], float] = defaultdict(float)
    for when, keys in pool.mentions.get("day", {}).items():
        if not _in_window(when, since, until):
            continue
        for position in dict.fromkeys(p for p, _ in keys):
            published = pool.articles[position].published
            if published is None or not _in_window(published, since, until):
                continue
            a = nodes.setdefault(published, len(nodes))
            b = nodes.setdefault(when, len(nodes))
            edges[(a, b)] += _mention_weight(published, when, config)
    for d in pool.published:
        if _in_window(d, since, until):
            nodes.setdefault(d, len(nodes))
    n = len(nodes)
    if n == 0 or not edges:
        return {}
    rows = [a for a, _ in edges]
    cols = [b for _, b in edges]
    links = sparse.csr_matrix((list(edges.values()), (rows, cols)), shape=(n, n))
    out = np.asarray(links.sum(axis=1)).ravel()
    walk = sparse.diags(np.where(out > 0, 1.0 / np.maximum(out, 1e-12), 0.0)) @ links
    damping = config.graph_damping
    rank = np.full(n, 1.0 / n)
    for _ in range(50):
        dangling = rank[out == 0].sum()
        rank = damping * (walk.T @ rank + dangling / n) + (1 - damping) / n
    return {d: float(rank[i]) for d, i in nodes.items()}


def rank_days(
    pool: Pool, config: TimelineConfig, since: date | None = None, until: date | None = None
) -> list[RankedDate]:
    """Every day in the window that is mentioned or has articles, best first."""
    volume = {
        d: float(sum(1 for p in positions if not pool.duplicate[p]))
        for d, positions in pool.published.items()
        if _in_window(d, since, until)
    }
    mentions = _day_mentions(pool, since, until, set(volume), config)
    raw: dict[date, float] = defaultdict(float)
    power = config.date_evidence_power
    for part, weight in (
        (mentions, 1.0),
        (volume, config.publication_weight),
    ):
        total = sum(part.values()) or 1.0
        for d, value in part.items():
            raw[d] += weight * (value / total) ** power
    graph_weight = config.graph_weight
    if graph_weight > 0:  # mixed on the counts' own scale, so month/year entries stay comparable
        ranks = reference_rank(pool, since, until, config)
        raw_total = sum(raw.values()) or 1.0
        rank_total = sum(ranks.values()) or 1.0
        for d in raw:
            share = ranks.get(d, 0.0) / rank_total
            raw[d] = (1 - graph_weight) * raw[d] + graph_weight * raw_total * share
    smooth = config.date_smoothing
    one = timedelta(days=1)
    scored = [
        RankedDate(d, "day", s + smooth * (raw.get(d - one, 0.0) + raw.get(d + one, 0.0)) / 2)
        for d, s in raw.items()
    ]
    scored.sort(key=lambda r: (-r.score, r.date))
    return scored


def rank_coarse(
    pool: Pool,
    days: list[RankedDate],
    since: date | None,
    until: date | None,
    config: TimelineConfig,
) -> list[RankedDate]:
    """Months (then years) named in text that no candidate day covers, on the days' scale.

    Why only uncovered ones: "in November 2015" is the best a corpus may say of an event (the
    seeds' Sydney talks); when days of that month are candidates, they say it better. A coarse
    date is scored like a day's mentions, times a granularity weight: it is a vaguer claim.
    """
    covered_months = {(r.date.year, r.date.month) for r in days}
    covered_years = {r.date.year for r in days}
    day_total = sum(mention_scores(pool, "day", config).values()) or 1.0
    power = config.date_evidence_power
    out: list[RankedDate] = []
    for granularity in ("month", "year"):
        weight = float(getattr(config, f"{granularity}_weight"))
        for when, score in mention_scores(pool, granularity, config).items():
            last = _last_day(when, granularity)
            if not ((since is None or last >= since) and (until is None or when <= until)):
                continue
            if granularity == "month" and (when.year, when.month) in covered_months:
                continue
            if granularity == "year" and when.year in covered_years:
                continue
            out.append(RankedDate(when, granularity, weight * (score / day_total) ** power))
        covered_years |= {r.date.year for r in out}
    out.sort(key=lambda r: (-r.score, r.date))
    return out


def model_order(
    pool: Pool,
    days: list[RankedDate],
    since: date | None,
    until: date | None,
    config: TimelineConfig,
    model: DateModel,
) -> list[RankedDate]:
    """The days in the learned model's order, carrying the count ranking's scores in turn.

    Why keep the counts' score values: month and year entries are scored on the count scale
    (:func:`rank_coarse`), so a day must stay comparable with them; the model decides only
    which day comes first. Ties keep the count order.
    """
    if not days:
        return days
    candidates = [r.date for r in days]
    matrix = normalise(day_features(pool, candidates, reference_rank(pool, since, until, config)))
    decision = model.score(matrix)
    order = sorted(range(len(days)), key=lambda i: (-decision[i], i))
    scores = [r.score for r in days]  # already best first
    return [RankedDate(days[i].date, "day", scores[k]) for k, i in enumerate(order)]


def _last_day(first: date, granularity: str) -> date:
    if granularity == "year":
        return date(first.year, 12, 31)
    if granularity == "month":
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return first


def select_dates(
    pool: Pool,
    count: int | None,
    since: date | None = None,
    until: date | None = None,
    granularities: tuple[str, ...] = ("day", "month", "year"),
    config: TimelineConfig | None = None,
    model: DateModel | None = None,
) -> list[RankedDate]:
    """The ``count`` best dates (all there are when fewer), best first.

    ``count=None`` picks a default from the number of candidates (see the
    ``timeline.default_dates_*`` settings). With ``config.date_ranker == "model"`` days are
    ordered by ``model`` (default: the shipped one), see :func:`model_order`.
    """
    config = config or TimelineConfig()
    days = rank_days(pool, config, since, until)
    if config.date_ranker == "model":
        days = model_order(pool, days, since, until, config, model or shipped_model())
    ranked = list(days)
    if "month" in granularities or "year" in granularities:
        coarse = [
            r
            for r in rank_coarse(pool, days, since, until, config)
            if r.granularity in granularities
        ]
        ranked = sorted(days + coarse, key=lambda r: (-r.score, r.date))
    if "day" not in granularities:
        ranked = [r for r in ranked if r.granularity != "day"]
    if count is None:
        count = default_date_count(len(ranked), config)
    return spread_out(ranked, max(count, 0), config)


def spread_out(ranked: list[RankedDate], count: int, config: TimelineConfig) -> list[RankedDate]:
    """Pick ``count`` dates greedily, discounting those close to dates already picked.

    Why: a story's coverage is bursty, and a pure score ranking spends a long timeline's dates
    on the one busy month. A candidate's score is multiplied by ``1 - w * exp(-gap / spacing)``
    (gap: days to the nearest picked date; spacing: the candidates' span divided by ``count``),
    so busy stretches still win, but less than they would alone.
    """
    weight = config.date_spread_weight
    if weight <= 0 or count >= len(ranked) or count <= 1:
        return ranked[:count]
    ordinals = np.array([r.date.toordinal() for r in ranked], dtype=float)
    scores = np.array([r.score for r in ranked], dtype=float)
    spacing = max((ordinals.max() - ordinals.min() + 1) / count, 1.0)
    nearest = np.full(len(ranked), np.inf)
    free = np.ones(len(ranked), dtype=bool)
    picked: list[RankedDate] = []
    for _ in range(count):
        adjusted = np.where(free, scores * (1 - weight * np.exp(-nearest / spacing)), -np.inf)
        best = int(np.argmax(adjusted))
        picked.append(ranked[best])
        free[best] = False
        nearest = np.minimum(nearest, np.abs(ordinals - ordinals[best]))
    return picked


def default_date_count(candidates: int, config: TimelineConfig) -> int:
    """About twice the square root of the candidate dates, within the documented bounds."""
    low = config.default_dates_min
    high = config.default_dates_max
    return min(candidates, max(low, min(high, round(2 * math.sqrt(candidates)))))


__all__ = ["RankedDate", "default_date_count", "mention_scores", "rank_days", "select_dates"]
