"""Estimating the publication date of an undated article from its text (and its story).

Why these cues: a web page prints when it was published ("Monday 13 September 2010 19.48 BST",
"LONDON | Tue May 12, 2009 3:16pm EDT"): such a stamp, when there is one, is the date. Otherwise
a news report is written on or just after the latest day it mentions, and
says "on Tuesday" for the days of its own week. So the estimate is the latest absolute day
mentioned (months and years only when no day is given); weekday mentions that fit that day
raise the confidence. The day is claimed only when the title or lede names it, else its month;
a latest month named is claimed as its year (:func:`_in_lead` says why, measured on two
corpora). (Moving the estimate forward to fit the weekdays was measured on T17 and
lost exact hits: 0.218 against 0.255.) Without any day, weekdays place the date within the
story's dates in the second pass. Anniversaries ("its 60-year-old
alliance" with "its 1960 agreement") give a year when nothing else does.

Once stories exist, :func:`date_from_reports` dates an undated article from the dated reports of
its story closest in content: their days are the candidates, and the article's own "on Tuesday"
and "yesterday" resolved against each candidate must land on days those reports speak of
(``storyline.stories.redate`` gathers the reports). ``infer_date(context=...)``, which only
bounds the text's estimate by the story's dates, remains for callers without reports.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from storyline.records import Article, Granularity, TimeExpression
from storyline.settings import DatingConfig
from storyline.time import lexicon as lx
from storyline.time.handlers import number
from storyline.time.tagger import tag

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARS_DURATION = re.compile(r"^P(\d+)Y$")
_AGE = re.compile(
    r"\b([\w-]+?)[\s-]+years?[\s-]+old\b|\b([\w-]+?)[\s-]+years?\s+(?:since|after)\b", re.I
)
_CONTEXT_SLACK = 31  # days around the story's dated articles in which an estimate is believed


_MON = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WD = r"(?:(?P<wd>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*)\.?\s*,?\s*)?"
_DATE = (
    rf"{_WD}(?:(?P<d1>\d{{1,2}})\s+{_MON}\s+(?P<y1>\d{{4}})"
    rf"|{_MON.replace('mon', 'mon2')}\s+(?P<d2>\d{{1,2}})\s*,\s*(?P<y2>\d{{4}}))"
)
_CLOCK = (
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*"
    r"(?:GMT|BST|UTC|UK time|UK|ET|EDT|EST|CDT|CST|PDT|PST)?"
)
_STAMPS = (
    re.compile(rf"\b{_DATE}\s*[-,;|]?\s*(?:at\s+)?{_CLOCK}", re.I),  # Guardian, Reuters, WaPo, Fox
    re.compile(
        rf"\b{_CLOCK}\s*,?\s*(?:on\s+)?{_DATE}\b", re.I
    ),  # BBC "08:58 GMT, Thursday, 24 June"
    re.compile(rf"\b{_DATE}\s+Last updated at {_CLOCK}", re.I),  # BBC "6 January 2011 Last updated"
    re.compile(rf"\b{_DATE}\s*\|\s*By\b"),  # a byline: CNN "January 25, 2011 | By Amir Ahmed"
    re.compile(
        rf"\b{_DATE}\s*;\s*Page [A-Z]?\d+\b"
    ),  # a print page: WaPo "March 9, 2009; Page A01"
)
"""A written-out date next to a clock time ("Monday 13 September 2010 19.48 BST", "LONDON | Tue
May 12, 2009 3:16pm EDT", "Page last updated at 08:58 GMT, Thursday, 24 June 2010"): the
publication or update stamp a web page prints. Why trusted: a date with the time of day is a
moment the page records, not an event it tells of (events are dated by day). On the 2,569 dev
articles (all dated), the earliest stamp is the publication day for 753 of the 840 that carry
one; most others are readers' comments or sidebars of later days, which the reports of the
article's period rule out."""


_WIRE = re.compile(
    rf"\b{_MON}\s+(?P<day>\d{{1,2}})\s*(?:-LRB-|\()\s*(?:Reuters|AP|AFP|Bloomberg)\s*(?:-RRB-|\))"
)
"""A news agency's dateline ("GENEVA, June 12 (Reuters) -"): the day the wire filed it, which is
the day it is published. It names no year: the close reports' period gives it. On the dev
articles it is the publication day for 57 of the 60 that carry one."""


def _stamps(text: str) -> list[tuple[date, str]]:
    """The stamps (:data:`_STAMPS`) of ``text``: (day, as written), earliest first. A named
    weekday must be the date's own, or it is not a stamp."""
    found = []
    for pattern in _STAMPS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            day, month, year = (
                (g["d1"], g["mon"], g["y1"]) if g["y1"] else (g["d2"], g["mon2"], g["y2"])
            )
            try:
                when = date(int(year), lx.MONTHS[month.rstrip(".").lower()], int(day))
            except (ValueError, KeyError):
                continue
            if g["wd"] and when.strftime("%a").lower() != g["wd"][:3].lower():
                continue
            found.append((when, " ".join(m.group(0).split())))
    return sorted(found)


def _plus(day: date, days: int) -> date:
    """``day`` moved by ``days``, clamped to the calendar's ends instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass(slots=True)
class DateEstimate:
    """An inferred publication date, how sure we are (0..1), and why."""

    published: date
    confidence: float
    evidence: list[str] = field(default_factory=list)
    granularity: Granularity = "day"
    """How precise ``published`` is: resolve "on Tuesday" against it only when it is "day"."""
    self_dated: bool = False
    """The text dates itself ("its 60-year-old alliance" with "its 1960 treaty"): a story's
    other articles, which may be years away, do not override it."""


def _weekday_mentions(timexes: list[TimeExpression]) -> Counter[int]:
    """Weekdays the text names without a date ("on Tuesday", "agreed Wednesday")."""
    found: Counter[int] = Counter()
    for tx in timexes:
        if tx.value.startswith("XXXX-XX-XX"):
            lowered = tx.text.lower()
            for name in lx.WEEKDAY_WORDS:
                if name in lowered:
                    found[lx.WEEKDAYS[name]] += 1
                    break
    return found


def _snap_to_weekdays(day: date, weekdays: Counter[int], within: int = 6) -> tuple[date, int]:
    """The first day on/after ``day`` (up to ``within`` days later) on which, or the day after
    which, most weekday mentions fall."""
    best, best_score = day, -1
    for shift in range(within + 1):
        candidate = _plus(day, shift)
        score = sum(n for wd, n in weekdays.items() if (candidate.weekday() - wd) % 7 in (0, 1))
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score


_PARTIAL_DAY = re.compile(r"^XXXX-(\d{2})-(\d{2})$")
_PARTIAL_MONTH = re.compile(r"^XXXX-(\d{2})$")


def _absolute(values: list[str], today: date) -> tuple[list[date], list[date], list[int]]:
    days, months, years = [], [], []
    for v in values:
        if m := _DAY.match(v):
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if d <= today:
                days.append(d)
        elif m := _MONTH.match(v):
            d = date(int(m.group(1)), int(m.group(2)), 1)
            if d <= today:
                months.append(d)
        elif (m := _YEAR.match(v)) and int(m.group(1)) <= today.year:
            years.append(int(m.group(1)))
    return days, months, years


def _placed(values: list[str], year: int, pattern: re.Pattern[str]) -> list[date]:
    """Day or month mentions without a year ("April 20"), placed in ``year``."""
    out = []
    for v in values:
        if m := pattern.match(v):
            try:
                out.append(date(year, int(m.group(1)), int(m.group(2)) if m.lastindex == 2 else 1))
            except ValueError:
                continue
    return out


def _anniversaries(text: str, values: list[str], years: list[int], today: date) -> Counter[int]:
    """Years implied by "N-year-old" spans counted from a year the text mentions."""
    spans = [int(m.group(1)) for v in values if (m := _YEARS_DURATION.match(v))]
    for m in _AGE.finditer(text):
        n = number(m.group(1) or m.group(2))
        if n is not None and n == int(n):
            spans.append(int(n))
    implied: Counter[int] = Counter()
    for n in spans:
        if n < 5:
            continue
        for y in set(years):
            if 1900 <= y + n <= today.year:
                implied[y + n] += 1
    return implied


def _base_year(
    days: list[date], months: list[date], years: list[int], context: Sequence[date]
) -> tuple[int | None, str]:
    """The year to put "April 20" in: the story's, else the latest the text names."""
    if context:
        ordered = sorted(context)
        return ordered[len(ordered) // 2].year, "the story's year"
    named = [d.year for d in days] + [d.year for d in months] + years
    if named:
        return max(named), "the latest year mentioned"
    return None, ""


def _from_text(
    text: str, timexes: list[TimeExpression], today: date, context: Sequence[date] = ()
) -> DateEstimate | None:
    values = [t.value for t in timexes]
    stamps = [(d, s) for d, s in _stamps(text) if d <= today]
    if context:
        lo, hi = _plus(min(context), -_CONTEXT_SLACK), _plus(max(context), _CONTEXT_SLACK)
        stamps = [(d, s) for d, s in stamps if lo <= d <= hi]
    if stamps:
        return DateEstimate(stamps[0][0], 0.9, [f"time stamp it carries: '{stamps[0][1]}'"])
    days, months, years = _absolute(values, today)
    weekdays = _weekday_mentions(timexes)
    base, why = _base_year(days, months, years, context)
    evidence: list[str] = []
    if base is not None:
        placed = [d for d in _placed(values, base, _PARTIAL_DAY) if d <= today]
        if placed:
            evidence.append(f"days named without a year placed in {base} ({why})")
        days = days + placed
        months = months + [d for d in _placed(values, base, _PARTIAL_MONTH) if d <= today]
    if context:
        lo, hi = _plus(min(context), -_CONTEXT_SLACK), _plus(max(context), _CONTEXT_SLACK)
        days = [d for d in days if lo <= d <= hi]
        months = [d for d in months if lo.replace(day=1) <= d <= hi]
    if days:
        latest = max(days)
        day, score = _snap_to_weekdays(latest, weekdays, within=0) if weekdays else (latest, 0)
        evidence.insert(0, f"latest day mentioned: {latest.isoformat()}")
        if day != latest:
            evidence.append(f"weekdays mentioned ({_names(weekdays)}) fit {day.isoformat()}")
        confidence = 0.6 if score > 0 or not weekdays else 0.45
        confidence -= 0.1 if len(evidence) > 1 and not context else 0
        if context or _in_lead(timexes, latest):
            return DateEstimate(day, confidence, evidence)
        evidence.append("named only below the lead: the month, not the day")
        return DateEstimate(day, 0.3, evidence, "month")
    if months:
        latest = max(months)
        evidence.insert(0, f"latest month mentioned: {latest:%Y-%m}")
        if context:
            return DateEstimate(_plus(latest, 14), 0.3, evidence, "month")
        evidence.append("a month named is not the month of writing: the year")
        return DateEstimate(_plus(latest, 14), 0.2, evidence, "year")
    if context:
        return None
    implied = _anniversaries(text, values, years, today)
    candidates = Counter(years)
    candidates.update({y: 2 * n for y, n in implied.items()})
    if not candidates:
        return None
    latest_year = max(candidates)
    if years:
        evidence.append(f"latest year mentioned: {max(years)}")
    for y in sorted(implied):
        evidence.append(f"an 'N-year-old' span counted from a year mentioned gives {y}")
    return DateEstimate(
        date(latest_year, 7, 1),
        0.2 if implied else 0.15,
        evidence,
        "year",
        self_dated=latest_year in implied,
    )


_LEAD_CHARS = 300
"""The title and the first lines of a text: where a dateline or a dated lede stands."""


def _in_lead(timexes: Sequence[TimeExpression], day: date) -> bool:
    """Whether ``day`` is named in the title or the lede (:data:`_LEAD_CHARS`).

    Why the text alone claims the latest day it names only then: a day named there is what the
    report is about, its own day or the one before; a day named only further down is as often
    an event recalled or a date ahead. Measured on a hidden quarter of both corpora, text
    alone (2026-12-05, ``bench/bench_dating.py`` and ``bench/bench_dating_finance.py``): a
    latest day named below the lead was the day of publication for 6 of 124 Timeline17
    articles and 2 of 373 finance-news ones; named in the lead, for 5 of 15 and 4 of 8. Such a
    day is claimed as its month instead (the day is kept as the estimate, the granularity
    says how far it is believed); and a latest month named, as its year: it was the month of
    writing for 0 of 31 Timeline17 articles and 7 of 247 finance-news ones.
    """
    wanted = day.isoformat()
    return any(t.start < _LEAD_CHARS and t.value.startswith(wanted) for t in timexes)


def _names(weekdays: Counter[int]) -> str:
    names = {v: k.capitalize() for k, v in lx.WEEKDAYS.items() if k in lx.WEEKDAY_WORDS}
    return ", ".join(names[w] for w in sorted(weekdays))


def _with_context(
    estimate: DateEstimate | None,
    context: Sequence[date],
    weekdays: Counter[int],
    keep_self_dated: bool = False,
) -> DateEstimate:
    ordered = sorted(context)
    lo, hi = _plus(ordered[0], -_CONTEXT_SLACK), _plus(ordered[-1], _CONTEXT_SLACK)
    if estimate is not None and lo <= estimate.published <= hi:
        estimate.confidence = min(1.0, estimate.confidence + 0.2)
        estimate.evidence.append(
            f"within the story's dated articles ({ordered[0]} .. {ordered[-1]})"
        )
        return estimate
    if estimate is not None and estimate.self_dated and keep_self_dated:
        # A story may pause for years (2017 -> 2020): the text's own dating outranks it.
        estimate.evidence.append(
            f"kept, though the story's dated articles lie in {ordered[0]} .. {ordered[-1]}"
        )
        return estimate
    middle = ordered[len(ordered) // 2] if len(ordered) % 2 else statistics.median_low(ordered)
    day, score = _snap_to_weekdays(_plus(middle, -3), weekdays) if weekdays else (middle, 0)
    evidence = [f"median publication date of the story's {len(ordered)} dated articles: {middle}"]
    if estimate is not None:
        evidence.insert(0, f"text alone suggested {estimate.published} (outside the story)")
    if score > 0:
        evidence.append(f"weekdays mentioned ({_names(weekdays)}) fit {day.isoformat()}")
    return DateEstimate(day, 0.35 if score > 0 else 0.25, evidence)


def infer_date(
    text: str,
    title: str | None = None,
    context: Sequence[date] = (),
    today: date | None = None,
    *,
    firm: bool = False,
    config: DatingConfig | None = None,
) -> DateEstimate | None:
    """Estimate when an undated article was published; ``None`` when nothing hints at it.

    ``context`` holds the publication dates of dated articles of the same story (the second
    pass, once stories exist); ``firm`` says they date the very event the article reports, so
    they outrank anything the text says. ``today`` bounds the dates we believe (default: the
    real date). ``config.context_min_dated`` says how many dated reports make a story's dates
    outrank a text that dates itself.
    """
    if not isinstance(text, str):
        return None
    full = f"{title}\n\n{text}" if title else text
    limit = today or date.today()
    valid = [d for d in context if isinstance(d, date)]
    timexes = tag(full)
    estimate = _from_text(full, timexes, limit, valid)
    if valid:
        thin = not firm and len(valid) < (config or DatingConfig()).context_min_dated
        if estimate is None and thin:  # nothing near a thin story's dates: self-dated text?
            alone = _from_text(full, timexes, limit)
            estimate = alone if alone is not None and alone.self_dated else None
        return _with_context(estimate, valid, _weekday_mentions(timexes), keep_self_dated=thin)
    return estimate


def date_article(
    article: Article,
    context: Sequence[date] = (),
    today: date | None = None,
    config: DatingConfig | None = None,
) -> Article:
    """The article with an inferred ``published`` date when it has none (or only an inferred
    one, which a second pass with the story's dates in ``context`` may refine).

    A given, metadata or path date is never overwritten. The estimate's confidence and
    evidence go with it (``date_source="inferred"``).
    """
    if article.published is not None and article.date_source != "inferred":
        return article
    estimate = infer_date(article.text, article.title, context, today, config=config)
    if estimate is None:
        return article
    return dataclasses.replace(
        article,
        published=estimate.published,
        date_source="inferred",
        date_confidence=round(estimate.confidence, 3),
        date_evidence=list(estimate.evidence),
    )


__all__ = ["DateEstimate", "date_article", "infer_date"]


# --- dating from the story's dated reports ---------------------------------------------------

_RELATIVE_WORDS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


@dataclass(frozen=True, slots=True)
class Report:
    """A dated article of the same story, as the second pass sees it from an undated one."""

    published: date
    similarity: float
    """Content similarity (TF-IDF cosine) with the undated article: how likely the same event."""
    days: frozenset[date] = frozenset()
    """The days it mentions (resolved against its own, firm, date) and its publication day."""
    label: str = ""


def relative_mentions(timexes: list[TimeExpression]) -> list[tuple[str, int, str]]:
    """("weekday", 0..6, text) and ("offset", -1/0/1, text) for "on Tuesday", "yesterday"...:
    the expressions whose day depends on the publication date."""
    found: list[tuple[str, int, str]] = []
    for tx in timexes:
        if not tx.value.startswith("XXXX-XX-XX"):
            continue
        lowered = tx.text.lower()
        weekday = next((lx.WEEKDAYS[w] for w in lx.WEEKDAY_WORDS if w in lowered), None)
        if weekday is not None:
            found.append(("weekday", weekday, tx.text))
            continue
        offset = next((n for w, n in _RELATIVE_WORDS.items() if w in lowered), None)
        if offset is None and "last night" in lowered:
            offset = -1
        if offset is not None:
            found.append(("offset", offset, tx.text))
    return found


def resolve(mention: tuple[str, int, str], published: date) -> date:
    """The day a relative mention names in an article published on ``published``: a weekday is
    the latest such day on or before it (news tells what happened), an offset counts from it."""
    kind, n, _ = mention
    if kind == "weekday":
        return _plus(published, -((published.weekday() - n) % 7))
    return _plus(published, n)


def date_from_reports(
    text: str,
    title: str | None,
    reports: Sequence[Report],
    today: date | None = None,
    config: DatingConfig | None = None,
    lags: Mapping[str, Mapping[int, float]] | None = None,
) -> DateEstimate | None:
    """Date an undated article from the dated reports of its story.

    Why: an undated report tells an event its story's dated reports also tell, so the days of
    the reports closest in content are the candidates; the article's own "on Tuesday" and
    "yesterday", resolved against each candidate, must land on days those reports speak of; and
    it cannot be older than the latest past day it names. The candidate with the most support
    wins; how many close reports agree on it sets the confidence and the granularity (a day
    when they agree, else the month or the year they share).

    ``lags`` says, per kind of day named ("abs", "lead": :func:`_latest_named`), how often
    articles like this one appeared 0, 1, 2 days after the latest day they name (learnt from
    dated articles by :mod:`storyline.time.lags`): a candidate that far after it gains that
    share of ``config.text_weight``; and ("weekday") how long after the latest weekday they
    name, for ``config.event_day_weight``. Without it, only the day named itself gains.
    """
    config = config or DatingConfig()
    limit = today or date.today()
    full = f"{title}\n\n{text}" if title else text
    timexes = tag(full)
    alone = _from_text(full, timexes, limit)
    ranked = sorted(reports, key=lambda r: -r.similarity)[: config.neighbours]
    if not ranked or ranked[0].similarity <= 0:
        return alone
    mentions = relative_mentions(timexes)
    near = sorted(r.published for r in ranked)[len(ranked) // 2]
    latest, latest_kind = _latest_named(timexes, len(title or ""), near, limit)
    floor = _floor(alone)
    horizon = _plus(max(r.published for r in reports), _CONTEXT_SLACK)
    first_report = _plus(min(r.published for r in reports), -_CONTEXT_SLACK)
    evidence_far = ""
    if latest is not None and latest > horizon:
        # A day far after every report of its period is not the day of writing: a page's
        # sidebar ("2 men charged ..." of 2013 on a CNN page of 2011) or an event announced.
        evidence_far = f"a day it names, {latest}, lies after every report of its period: not used"
        latest = None
    elif latest is not None and latest < first_report:
        # Nor is a day far before every report of its period: a past event recalled ("since
        # September 11, 2001" in a report of 2010); it still bounds the date from below.
        evidence_far = f"a day it names, {latest}, lies before every report of its period: not used"
        latest = None
    if floor is not None and floor > horizon:
        floor = None
    stamped = [(d, s) for d, s in _stamps(full) if first_report <= d <= min(horizon, limit)]
    if not stamped and (wire := _WIRE.search(full)):
        month = lx.MONTHS[wire.group("mon").rstrip(".").lower()]
        placed = _nearest_year([f"XXXX-{month:02d}-{int(wire.group('day')):02d}"], near)
        written = " ".join(wire.group(0).split())
        stamped = [(d, written) for d in placed if first_report <= d <= min(horizon, limit)]
    if stamped:  # the page's own time stamp, within its period: nothing else weighs as much
        stamp, written = stamped[0]
        close = sum(1 for r in ranked if abs((r.published - stamp).days) <= 1)
        return DateEstimate(
            stamp,
            0.9,
            [
                f"time stamp it carries: '{written}'",
                f"{close} of the {len(ranked)} dated reports closest in content are within a day",
            ],
        )
    top = ranked[0].similarity
    weights = [(r.similarity / top) ** config.similarity_power for r in ranked]
    candidates = {_plus(r.published, k) for r in ranked for k in (-1, 0, 1)}
    if latest is not None:
        candidates.update(_plus(latest, k) for k in range(_LAGS))
    prior = dict((lags or {}).get(latest_kind) or {0: 1.0})
    top_prior = max(prior.values(), default=0.0) or 1.0
    weekday_prior = dict((lags or {}).get("weekday") or {0: 1.0})
    top_weekday = max(weekday_prior.values(), default=0.0) or 1.0
    total = sum(weights)
    first = _plus(min(r.published for r in ranked), -1)
    best: tuple[float, date, int] | None = None
    for day in sorted(candidates):
        support = (
            sum(
                w * _KERNEL.get(abs((day - r.published).days), 0.0)
                for r, w in zip(ranked, weights, strict=True)
            )
            / total
        )
        agree, fitted = 0.0, 0
        for m in mentions:
            named = resolve(m, day)
            votes = sum(w for r, w in zip(ranked, weights, strict=True) if named in r.days)
            agree += votes
            fitted += votes > 0 and _telling(m)
        agree = agree / (total * len(mentions)) if mentions else 0.0
        score = support + config.mention_weight * agree
        weekday_lags = [(day - resolve(m, day)).days for m in mentions if m[0] == "weekday"]
        if weekday_lags:  # published on the latest weekday it names, or as long after it as
            lag = min(weekday_lags)  # articles like it are
            score += config.event_day_weight * weekday_prior.get(lag, 0.0) / top_weekday
        if latest is not None and day >= latest:  # the day it names, or as long after it as
            lag = (day - latest).days  # articles like it appear after the day they name
            score += config.text_weight * prior.get(lag, 0.0) / top_prior
        if any(resolve(m, day) < first for m in mentions):
            score *= _OUTSIDE  # its "on Tuesday" would fall before anything the reports tell
        if floor is not None and day < floor:
            score *= _OUTSIDE  # a report is not older than the latest past day it names
        if alone is not None and alone.self_dated and day.year != alone.published.year:
            score *= _OUTSIDE  # the text dates itself to a year ("its 60-year-old alliance")
        if best is None or score > best[0]:
            best = (score, day, fitted)
    assert best is not None
    score, day, fitted = best
    evidence = [
        f"the {len(ranked)} dated reports closest in content: "
        + ", ".join(f"{r.published} ({r.similarity:.2f})" for r in ranked[:5])
    ]
    telling = [m for m in mentions if _telling(m)]
    if telling:
        names = ", ".join(sorted({m[2] for m in telling}))
        evidence.append(
            f"{fitted} of its {len(telling)} relative mentions ({names}) resolved "
            f"against {day} name days those reports speak of"
        )
    if latest is not None:
        evidence.append(f"latest day it mentions: {latest}")
    if evidence_far:
        evidence.append(evidence_far)
    own = latest is not None and day >= latest and (day - latest).days <= 1
    agreed = fitted > 0 and ranked[0].similarity >= config.day_min_similarity
    granularity: Granularity = "day" if own or agreed else "month"
    closer = ranked[: max(1, len(ranked) // 2)]
    if granularity == "month" and any(abs((r.published - day).days) > 31 for r in closer):
        granularity = "year"
        evidence.append(
            "neither its own days nor a close report's agree on a day, and the closer half of "
            "those reports lie more than a month from it: the year"
        )
    elif granularity == "month":
        evidence.append("neither its own days nor a close report's agree on a day: the month")
    return DateEstimate(day, round(min(1.0, score), 3), evidence, granularity)


_KERNEL = {0: 1.0, 1: 0.5, 2: 0.2}
"""How much a report published ``n`` days from a candidate day supports it: the same event is
reported on its day and the next, rarely later."""
_DATELINE_CHARS = 200
"""Where a dateline ("RIO DE JANEIRO, Dec. 9 --") stands: the first characters of the body.
Only the first yearless day there is the day of writing; any other may be a day it tells of."""
_OUTSIDE = 0.3  # what a candidate the text itself rules out keeps of its score


_LAGS = 3
"""Lags (days after the latest day an article names) a publication lag is learnt for: the day
itself, the day after (a print edition), the day after that; beyond, the day named is an event
told, not the day of writing."""


def _latest_named(
    timexes: Sequence[TimeExpression], title_chars: int, near: date, limit: date
) -> tuple[date | None, str]:
    """The latest past day a text names and how: "abs" for a day written with its year, "lead"
    for a yearless dateline ("RIO DE JANEIRO, Dec. 9 --", placed in the year nearest ``near``).

    Why two kinds: a dateline is the day a story was filed, which a print edition publishes
    the day after; a full date in a body is as often the day of writing as an event told.
    """
    days, _, _ = _absolute([t.value for t in timexes], limit)
    if days:
        return max(days), "abs"
    head = title_chars + _DATELINE_CHARS  # the title and the dateline after it
    lead = [t.value for t in timexes if t.start < head and _PARTIAL_DAY.match(t.value)][:1]
    yearless = [d for d in _nearest_year(lead, near) if d <= limit]
    return (max(yearless), "lead") if yearless else (None, "")


def naming_lag(text: str, title: str | None, published: date) -> tuple[str, int] | None:
    """(kind, days) for a dated article published 0-2 days after the latest day it names
    (:func:`_latest_named`); None when it names none, or one further away.

    What the second pass learns from: how long after the day they name the dated articles
    that look like an undated one came out (:mod:`storyline.time.lags`).
    """
    full = f"{title}\n\n{text}" if title else text
    latest, kind = _latest_named(tag(full), len(title or ""), published, published)
    if latest is None or not 0 <= (published - latest).days < _LAGS:
        return None
    return kind, (published - latest).days


def weekday_lag(text: str, title: str | None, published: date) -> int | None:
    """Days from the latest weekday a dated article names ("on Tuesday" in an article of
    Wednesday: 1) to its publication, when 0-2; None otherwise. A print edition's is mostly 1,
    a web desk's 0: what :mod:`storyline.time.lags` learns the undated's from."""
    full = f"{title}\n\n{text}" if title else text
    found = [
        (published.weekday() - m[1]) % 7 for m in relative_mentions(tag(full)) if m[0] == "weekday"
    ]
    return min(found) if found and min(found) < _LAGS else None


def _telling(mention: tuple[str, int, str]) -> bool:
    """Whether a relative mention can confirm a candidate day: "today" and "tonight" name the
    candidate itself, which is a close report's day (the candidates are), so their agreement
    is true of every candidate and says nothing about which one is right.

    Why it matters: the day is claimed (granularity "day") only when a mention agrees. On the
    T17 bench (quarter of dates hidden), 16 estimates claimed their day on "today" alone and 2
    of them were right; claiming the month for them raised the share of day estimates that are
    exact from 0.586 to 0.602 (a replay of the second pass), the estimates themselves unchanged.
    """
    kind, n, _ = mention
    return not (kind == "offset" and n == 0)


def _nearest_year(values: list[str], near: date) -> list[date]:
    """Days named without a year ("Dec. 9", a dateline), each in the year that puts it nearest
    to ``near`` (the close reports' middle day).

    Why: the text alone cannot place them without a year it names, but a report that tells the
    same event as reports of 2008-12-10 means the Dec. 9 of 2008, not of 2007 or 2009.
    """
    out = []
    for v in values:
        if not (m := _PARTIAL_DAY.match(v)):
            continue
        found = []
        for year in (near.year - 1, near.year, near.year + 1):
            try:
                found.append(date(year, int(m.group(1)), int(m.group(2))))
            except ValueError:
                continue
        if found:
            out.append(min(found, key=lambda d: abs((d - near).days)))
    return out


def _floor(alone: DateEstimate | None) -> date | None:
    """The earliest day the text allows: its latest day, month or year named (past ones)."""
    if alone is None:
        return None
    if alone.granularity == "month":
        return alone.published.replace(day=1)
    if alone.granularity == "year":
        return date(alone.published.year, 1, 1)
    return alone.published


def _all(reports: Sequence[Report]) -> set[date]:
    return set().union(*(r.days for r in reports))
