"""Who reported first, and coverage over time: a story's timeline read by outlet.

Why: a timeline says what happened when; a journalist or analyst also asks who had it first
(and by how long), and when each outlet was covering the story at all. Both come from what is
already stored — publication dates, source names and the dates each sentence names — so they
are read from the same :class:`~storyline.timeline.candidates.Pool` a timeline is built from,
and cost one store read.

Rules, stated once:

- The articles *reporting* a timeline entry are those whose sentences the entry cites, and
  those with a sentence naming a date inside the entry's period (a day for a day entry; the
  month or any of its days for a month entry; likewise for a year).
- The *first* is the earliest published of them. Only day-precise publication dates are
  compared when any exist (a "2021" estimate is stored at a day nobody knows). For an entry
  that *happened*, an article published before the event can only have announced it, so the
  first report is the earliest published on or after the period's first day when there is
  one; ``in_advance`` marks a first published before the event (an announcement, or what an
  ``expected`` entry is made of).
- *Coverage* counts a story's articles per source and publication day; articles whose date is
  unknown or coarser than a day are counted apart (``undated``), never placed on a guessed day.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from storyline.records import Article, Entry, Timeline
from storyline.store.base import MemberHead, Store
from storyline.timeline.candidates import (
    DatedTimexes,
    Key,
    Pool,
    articles_of,
    parse_value,
    source_label,
)

UNKNOWN_SOURCE = "unknown source"
"""The label of articles with neither an outlet name nor a folder to name them by."""
_FINER = {"day": ("day",), "month": ("month", "day"), "year": ("year", "month", "day")}


@dataclass(frozen=True, slots=True)
class FirstReport:
    """The earliest article reporting one timeline entry, and who followed."""

    label: str
    """The entry's date as shown (``2021-05-03``, ``2021-05`` or ``2021``)."""
    granularity: str
    expected: bool
    article_id: str
    source: str
    published: date
    title: str | None
    sentence_index: int | None
    """The sentence of that article naming the date (or cited by the entry), to link to."""
    in_advance: bool
    """Published before the entry's period began: the article announced the event."""
    sources: int
    """How many distinct sources reported the entry (a measure of how widely it was covered)."""
    same_day: tuple[str, ...] = ()
    """Other sources that reported it the same day: publication days cannot order them, so
    ``source`` is only the first of a tie (by name) and these share the claim."""
    next_source: str | None = None
    next_published: date | None = None
    """The earliest report from a source that did not have it that day: how long the first
    ones had it alone."""
    published_granularity: str = "day"
    """How much of ``published`` is known: ``month`` or ``year`` when no report of the entry
    carries its day, only an estimate (``published`` is then a day inside it, to be shown as
    that month or year, and no other report is said to follow by so many days)."""

    @property
    def lead_days(self) -> int | None:
        """Days between the first report and the first from another source."""
        if self.next_published is None:
            return None
        return (self.next_published - self.published).days

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.label,
            "granularity": self.granularity,
            "expected": self.expected,
            "article_id": self.article_id,
            "source": self.source,
            "published": self.published.isoformat(),
            "title": self.title,
            "sentence_index": self.sentence_index,
            "in_advance": self.in_advance,
            "sources": self.sources,
            "same_day": list(self.same_day),
            "next_source": self.next_source,
            "next_published": self.next_published.isoformat() if self.next_published else None,
            "lead_days": self.lead_days,
            "published_granularity": self.published_granularity,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FirstReport:
        """The inverse of :meth:`as_dict` (``lead_days`` is derived, so not read)."""
        following = data.get("next_published")
        return cls(
            label=data["date"],
            granularity=data["granularity"],
            expected=bool(data["expected"]),
            article_id=data["article_id"],
            source=data["source"],
            published=date.fromisoformat(data["published"]),
            title=data.get("title"),
            sentence_index=data.get("sentence_index"),
            in_advance=bool(data["in_advance"]),
            sources=int(data["sources"]),
            same_day=tuple(data.get("same_day", ())),
            next_source=data.get("next_source"),
            next_published=date.fromisoformat(following) if following else None,
            published_granularity=data.get("published_granularity", "day"),
        )


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    """One source's articles in a story, per publication day."""

    source: str
    articles: int
    by_day: dict[date, int] = field(default_factory=dict)
    undated: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "articles": self.articles,
            "undated": self.undated,
            "by_day": [{"date": d.isoformat(), "count": n} for d, n in sorted(self.by_day.items())],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceCoverage:
        """The inverse of :meth:`as_dict`."""
        return cls(
            source=data["source"],
            articles=int(data["articles"]),
            by_day={date.fromisoformat(d["date"]): int(d["count"]) for d in data["by_day"]},
            undated=int(data["undated"]),
        )


@dataclass(frozen=True, slots=True)
class Reporting:
    """A story read by outlet: coverage per source and day, and who reported each date first."""

    articles: int
    first: date | None
    last: date | None
    """The first and last day-precise publication days (None when no article has one)."""
    undated: int
    sources: list[SourceCoverage]
    """Largest first (then by name): the order a chart legend lists them."""
    firsts: list[FirstReport]
    """One per timeline entry that some dated article reports, in the timeline's order."""

    def first_of(self, label: str, granularity: str) -> FirstReport | None:
        for report in self.firsts:
            if report.label == label and report.granularity == granularity:
                return report
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "undated": self.undated,
            "sources": [s.as_dict() for s in self.sources],
            "firsts": [f.as_dict() for f in self.firsts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reporting:
        """The inverse of :meth:`as_dict`: a reporting stored beside its story's timeline
        (:mod:`storyline.timeline.stored`) is read back without its articles."""
        return cls(
            articles=int(data["articles"]),
            first=date.fromisoformat(data["first"]) if data.get("first") else None,
            last=date.fromisoformat(data["last"]) if data.get("last") else None,
            undated=int(data["undated"]),
            sources=[SourceCoverage.from_dict(s) for s in data["sources"]],
            firsts=[FirstReport.from_dict(f) for f in data["firsts"]],
        )


def dated_mentions(store: Store, article_ids: Sequence[str]) -> Pool:
    """The story's articles indexed by the dates their sentences name, without their sentences.

    Why not :func:`~storyline.timeline.candidates.load_pool`: who reported first needs only
    publication dates, sources and which sentence names which date; reading every sentence's
    text was two thirds of the time on a 370-article story, on every story page view.
    """
    articles = articles_of(store, article_ids)
    return mentions_pool(articles, store.dated_timexes([a.id for a in articles]))


def story_reporting(store: Store, story_id: str, timeline: Timeline) -> Reporting:
    """``reporting(dated_mentions(store, members), timeline)`` of a stored story, streamed.

    Why: coverage needs only each member's date and source (no :class:`Article` built per
    member), and a first report only the expressions naming a date inside an entry's period
    (a day's value starts with its label, as does every value inside a month or year), both
    read member by member (``Store.story_member_mentions``), and the title of the article
    chosen. Both are counted and compared as the rows stream by, so what is held grows with
    the sources and entries, not with the story's articles (a table of every member traced
    22 MB for a 23,000-article story). The result is the same as from the whole story read.
    """
    reporter = _Reporter(timeline)
    cited = {c.article_id for entry in timeline.entries for c in entry.sentences}
    cited_heads: dict[str, _Head] = {}
    labels = list(dict.fromkeys(entry.label for entry in timeline.entries))
    for member, named in store.story_member_mentions(story_id, labels):
        head = _Head.of(member)
        reporter.count(head)
        if head.id in cited:
            cited_heads[head.id] = head
        for index, value in named:
            if (parsed := parse_value(value)) is not None:
                reporter.mention(head, index, *parsed)
    reported = reporter.result(cited_heads)
    chosen = [f.article_id for f in reported.firsts]
    titles = {a.id: a.title for a in store.article_heads(chosen)} if chosen else {}
    reported.firsts[:] = [
        dataclasses.replace(f, title=titles.get(f.article_id)) for f in reported.firsts
    ]
    return reported


def mentions_pool(articles: list[Article], timexes: DatedTimexes) -> Pool:
    """:func:`dated_mentions` of articles and expressions already read (in the order
    ``store.articles(ids=...)`` returns them): a refreshed story's timeline has just read them."""
    mentions = _mentions(
        (position, index, value)
        for position, article in enumerate(articles)
        for index, value in timexes.get(article.id, [])
    )
    return Pool(
        articles=list(articles),
        sentences=[[] for _ in articles],
        duplicate=[a.duplicate_of is not None for a in articles],
        mentions=mentions,
    )


Mentions = dict[str, dict[date, list[Key]]]
"""``Pool.mentions``: per granularity and date, the (position, sentence index) naming it."""


def _mentions(found: Iterable[tuple[int | None, int, str]]) -> Mentions:
    """(position, sentence index, value) indexed by the date each value names (a position of
    None, an article not among those read, is left out)."""
    mentions: Mentions = {g: defaultdict(list) for g in ("day", "month", "year")}
    for position, index, value in found:
        if position is not None and (parsed := parse_value(value)) is not None:
            mentions[parsed[1]][parsed[0]].append((position, index))
    return mentions


class _Head(NamedTuple):
    """What coverage and first reports read of an article: the same from a :class:`Pool`'s
    article as from a stored story's :class:`MemberHead` row."""

    id: str
    published: date | None
    precise: bool
    """Published on a known day (the date's granularity is a day)."""
    granularity: str
    """``day``, ``month`` or ``year``: how much of the publication date is known."""
    duplicate: bool
    label: str
    """:func:`source_labels`."""
    order: tuple[date, bool, str, str]
    """The order first reports are chosen in: publication date, near-duplicates after the
    articles they copy, then source and id (only dated articles are compared)."""

    @classmethod
    def make(
        cls,
        article_id: str,
        published: date | None,
        granularity: str | None,
        duplicate: bool,
        label: str,
    ) -> _Head:
        """An article's granularity is a day when it has a date and none is stored
        (:class:`Article` reads it so); ``precise`` and ``order`` follow from the rest."""
        unit = granularity or "day"
        precise = published is not None and unit == "day"
        order = (published or date.min, duplicate, label, article_id)
        return cls(article_id, published, precise, unit, duplicate, label, order)

    @classmethod
    def of(cls, head: MemberHead) -> _Head:
        label = source_label(head.source_name, head.source) or UNKNOWN_SOURCE
        return cls.make(head.id, head.published, head.date_granularity, head.duplicate, label)


@dataclass(slots=True)
class _Earliest:
    """One source's earliest report of an entry so far, and the sentence to link."""

    head: _Head
    sentence_index: int | None
    cited: bool = False


class _EntryReports:
    """The reports of one timeline entry gathered as articles pass: the earliest of each
    source, among the day-precise reports and among all dated ones, each over every report
    and over those published once the period began. The first report and those who tied or
    followed are each some source's earliest (:meth:`first`), so nothing else is kept."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.start, _ = _period(entry)
        self.earliest: dict[tuple[bool, bool], dict[str, _Earliest]] = {
            (precise, after): {} for precise in (True, False) for after in (True, False)
        }

    def offer(self, head: _Head, sentence_index: int | None, cited: bool = False) -> None:
        """One article reporting the entry: naming a date inside its period (``cited``
        False; its first such sentence is linked), or cited by it (that sentence is linked)."""
        if head.published is None:
            return  # an undated article cannot be first
        after = head.published >= self.start
        label, order = head.label, head.order
        for precise in (True, False) if head.precise else (False,):
            for subset in (False, True) if after else (False,):
                by_source = self.earliest[(precise, subset)]
                known = by_source.get(label)
                if known is None or order < known.head.order:
                    by_source[label] = _Earliest(head, sentence_index, cited)
                elif known.head.id == head.id and not known.cited:
                    if cited:
                        known.sentence_index, known.cited = sentence_index, True
                    elif sentence_index is not None and (
                        known.sentence_index is None or sentence_index < known.sentence_index
                    ):
                        known.sentence_index = sentence_index

    def first(self) -> FirstReport | None:
        """The entry's first report by the module's rules, untitled (a story read lean reads
        only the titles of the articles chosen)."""
        entry = self.entry
        precise = bool(self.earliest[(True, False)])
        candidates = self.earliest[(precise, False)]
        if not candidates:
            return None
        after = self.earliest[(precise, True)]
        ranked = sorted(
            (after if (after and not entry.expected) else candidates).values(),
            key=lambda e: e.head.order,
        )
        first = ranked[0].head
        day = first.published or self.start
        tied = [e.head.label for e in ranked if e.head.published == day]
        # estimates to a month or year cannot say who had it first by how many days
        other = (
            next((e.head for e in ranked if e.head.label not in tied), None) if precise else None
        )
        return FirstReport(
            label=entry.label,
            granularity=entry.granularity,
            expected=entry.expected,
            article_id=first.id,
            source=first.label,
            published=day,
            title=None,
            sentence_index=ranked[0].sentence_index,
            in_advance=day < self.start,
            sources=len(candidates),
            same_day=tuple(tied[1:]),
            next_source=other.label if other is not None else None,
            next_published=other.published if other is not None else None,
            published_granularity="day" if precise else first.granularity,
        )


class _Reporter:
    """A story's :class:`Reporting`, gathered from its articles as they pass
    (:meth:`count`), the dates their sentences name (:meth:`mention`) and the citations of
    the timeline's entries (given to :meth:`result`)."""

    def __init__(self, timeline: Timeline) -> None:
        self.entries = [_EntryReports(e) for e in timeline.entries]
        self.by_period: dict[tuple[str, date], list[_EntryReports]] = defaultdict(list)
        for reports in self.entries:
            unit = reports.entry.granularity if reports.entry.granularity in _FINER else "day"
            self.by_period[(unit, reports.start)].append(reports)
        self.reported: dict[tuple[date, str], list[_EntryReports]] = {}
        """Per date named and its granularity, the entries it reports (:meth:`mention`)."""
        self.days: dict[str, Counter[date]] = defaultdict(Counter)
        self.undated: Counter[str] = Counter()
        self.articles = 0
        self.span: tuple[date, date] | None = None

    def count(self, head: _Head) -> None:
        """One of the story's articles, for coverage per source and day."""
        self.articles += 1
        if head.precise and head.published is not None:
            self.days[head.label][head.published] += 1
            day = head.published
            self.span = (
                (min(self.span[0], day), max(self.span[1], day)) if self.span else (day, day)
            )
        else:
            self.undated[head.label] += 1

    def mention(self, head: _Head, sentence_index: int, when: date, granularity: str) -> None:
        """A sentence of ``head`` naming ``when`` at ``granularity``: it reports every entry
        whose period holds that date at that granularity or a coarser one (a day reports its
        day, month and year; a month its month and year; a year its year)."""
        reporting = self.reported.get((when, granularity))
        if reporting is None:  # once per distinct date named: a story names few, many times
            periods = [("year", date(when.year, 1, 1))] if granularity in _FINER else []
            if granularity in ("day", "month"):
                periods.append(("month", date(when.year, when.month, 1)))
            if granularity == "day":
                periods.append(("day", when))
            reporting = [r for period in periods for r in self.by_period.get(period, ())]
            self.reported[(when, granularity)] = reporting
        for reports in reporting:
            reports.offer(head, sentence_index)

    def result(self, members: Mapping[str, _Head]) -> Reporting:
        """The reporting, once every article has passed; ``members``: the heads of the
        articles the entries cite (a citation of an article outside the story is ignored)."""
        for reports in self.entries:
            for cite in reports.entry.sentences:
                if (head := members.get(cite.article_id)) is not None:
                    reports.offer(head, cite.sentence_index, cited=True)
        names = set(self.days) | set(self.undated)
        sources = [
            SourceCoverage(
                source=name,
                articles=sum(self.days[name].values()) + self.undated[name],
                by_day=dict(self.days[name]),
                undated=self.undated[name],
            )
            for name in names
        ]
        sources.sort(key=lambda c: (-c.articles, c.source))
        firsts = [f for reports in self.entries if (f := reports.first()) is not None]
        return Reporting(
            articles=self.articles,
            first=self.span[0] if self.span else None,
            last=self.span[1] if self.span else None,
            undated=sum(self.undated.values()),
            sources=sources,
            firsts=firsts,
        )


def source_labels(pool: Pool) -> list[str]:
    """A source name per pool article (its outlet, else its folder, else "unknown source")."""
    return [name or UNKNOWN_SOURCE for name in pool.sources]


def _period(entry: Entry) -> tuple[date, date]:
    d = entry.date
    if entry.granularity == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if entry.granularity == "month":
        return date(d.year, d.month, 1), date(
            d.year, d.month, calendar.monthrange(d.year, d.month)[1]
        )
    return d, d


def reporting(pool: Pool, timeline: Timeline) -> Reporting:
    """Coverage of the pool's articles and the first report of each of ``timeline``'s entries."""
    reporter = _Reporter(timeline)
    heads = [
        _Head.make(a.id, a.published, a.date_granularity, duplicate, label)
        for a, duplicate, label in zip(
            pool.articles, pool.duplicate, source_labels(pool), strict=True
        )
    ]
    for head in heads:
        reporter.count(head)
    for granularity, by_date in pool.mentions.items():
        for when, keys in by_date.items():
            for position, index in keys:
                reporter.mention(heads[position], index, when, granularity)
    reported = reporter.result({h.id: h for h in heads})
    titles = {a.id: a.title for a in pool.articles}
    reported.firsts[:] = [
        dataclasses.replace(f, title=titles[f.article_id]) for f in reported.firsts
    ]
    return reported


__all__ = [
    "FirstReport",
    "Reporting",
    "SourceCoverage",
    "dated_mentions",
    "mentions_pool",
    "reporting",
    "source_labels",
    "story_reporting",
]
