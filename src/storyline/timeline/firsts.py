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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
    """``reporting(dated_mentions(store, members), timeline)`` of a stored story, read lean.

    Why: coverage needs only each member's date and source (``Store.story_member_heads``: no
    :class:`Article` built per member), and a first report only the expressions naming a date
    inside an entry's period (``Store.story_dated_mentions``: a day's value starts with its
    label, as does every value inside a month or year), and the title of the article chosen.
    The result is the same; a 23,000-article story read every body and every expression before,
    then every member's head and every expression of the 17,000 members naming an entry.
    """
    heads = store.story_member_heads(story_id)
    members = _Members.of_heads(heads)
    labels = list(dict.fromkeys(entry.label for entry in timeline.entries))
    mentions = _mentions(
        (members.where.get(article_id), index, value)
        for article_id, index, value in (
            store.story_dated_mentions(story_id, labels) if labels else []
        )
    )
    reported = _reporting(members, mentions, timeline)
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


@dataclass(frozen=True, slots=True)
class _Members:
    """What coverage and first reports read of each article, by position: the same from a
    :class:`Pool` of whole articles as from a story's :class:`MemberHead` rows."""

    ids: list[str]
    published: list[date | None]
    precise: list[bool]
    """Published on a known day (the date's granularity is a day)."""
    granularity: list[str]
    """``day``, ``month`` or ``year``: how much of the publication date is known."""
    duplicate: list[bool]
    labels: list[str]
    """:func:`source_labels`."""
    where: dict[str, int]
    """Article id → position."""

    @classmethod
    def of_pool(cls, pool: Pool, labels: list[str] | None = None) -> _Members:
        ids = [a.id for a in pool.articles]
        return cls(
            ids=ids,
            published=[a.published for a in pool.articles],
            precise=[_day_precise(a) for a in pool.articles],
            granularity=[a.date_granularity or "day" for a in pool.articles],
            duplicate=list(pool.duplicate),
            labels=labels if labels is not None else source_labels(pool),
            where={article_id: i for i, article_id in enumerate(ids)},
        )

    @classmethod
    def of_heads(cls, heads: Sequence[MemberHead]) -> _Members:
        """As :meth:`of_pool` of these articles: an article's granularity is a day when it has
        a date and none is stored (:class:`Article` reads it so)."""
        ids = [h.id for h in heads]
        return cls(
            ids=ids,
            published=[h.published for h in heads],
            precise=[
                h.published is not None and h.date_granularity in (None, "day") for h in heads
            ],
            granularity=[h.date_granularity or "day" for h in heads],
            duplicate=[h.duplicate for h in heads],
            labels=[source_label(h.source_name, h.source) or UNKNOWN_SOURCE for h in heads],
            where={article_id: i for i, article_id in enumerate(ids)},
        )


def source_labels(pool: Pool) -> list[str]:
    """A source name per pool article (its outlet, else its folder, else "unknown source")."""
    return [name or UNKNOWN_SOURCE for name in pool.sources]


def _coverage(members: _Members) -> tuple[list[SourceCoverage], int]:
    """Articles per source and publication day, and how many have no day-precise date."""
    days: dict[str, Counter[date]] = defaultdict(Counter)
    undated: Counter[str] = Counter()
    for name, published, precise in zip(
        members.labels, members.published, members.precise, strict=True
    ):
        if precise and published is not None:
            days[name][published] += 1
        else:
            undated[name] += 1
    names = set(days) | set(undated)
    out = [
        SourceCoverage(
            source=name,
            articles=sum(days[name].values()) + undated[name],
            by_day=dict(days[name]),
            undated=undated[name],
        )
        for name in names
    ]
    out.sort(key=lambda s: (-s.articles, s.source))
    return out, sum(undated.values())


def _day_precise(article: Article) -> bool:
    return article.published is not None and article.date_granularity == "day"


def _period(entry: Entry) -> tuple[date, date]:
    d = entry.date
    if entry.granularity == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if entry.granularity == "month":
        return date(d.year, d.month, 1), date(
            d.year, d.month, calendar.monthrange(d.year, d.month)[1]
        )
    return d, d


def _found(mentions: Mentions, entry: Entry, where: dict[str, int]) -> dict[int, int | None]:
    """Article position → the sentence to link: the one cited, else the first naming the date."""
    cited: dict[int, int | None] = {}
    for cite in entry.sentences:
        position = where.get(cite.article_id)
        if position is not None:
            cited.setdefault(position, cite.sentence_index)
    naming: dict[int, int] = {}
    start, end = _period(entry)
    for granularity in _FINER.get(entry.granularity, ("day",)):
        for when, keys in mentions.get(granularity, {}).items():
            if start <= when <= end:
                for position, index in keys:
                    naming[position] = min(index, naming.get(position, index))
    return {**naming, **cited}


def _first(
    members: _Members, entry: Entry, found: dict[int, int | None], rank: list[int]
) -> FirstReport | None:
    """The earliest of the articles ``found`` (:func:`_found`) reporting ``entry`` (see the
    module's rules), or None; without its title (``None``): a story read lean reads only the
    titles of the articles chosen. ``rank`` is :func:`_ranks` of ``members``."""
    dated = [p for p in found if members.published[p] is not None]
    precise = [p for p in dated if members.precise[p]]
    candidates = precise or dated
    if not candidates:
        return None
    labels = members.labels
    start, _ = _period(entry)
    published = {p: members.published[p] or start for p in candidates}
    candidates.sort(key=rank.__getitem__)
    after = [p for p in candidates if published[p] >= start]
    ranked = after if (after and not entry.expected) else candidates
    first = ranked[0]
    day = published[first]
    tied = list(dict.fromkeys(labels[p] for p in ranked if published[p] == day))
    # estimates to a month or year cannot say who had it first by how many days
    other = next((p for p in ranked if labels[p] not in tied), None) if precise else None
    return FirstReport(
        label=entry.label,
        granularity=entry.granularity,
        expected=entry.expected,
        article_id=members.ids[first],
        source=labels[first],
        published=day,
        title=None,
        sentence_index=found[first],
        in_advance=day < start,
        sources=len({labels[p] for p in candidates}),
        same_day=tuple(tied[1:]),
        next_source=labels[other] if other is not None else None,
        next_published=published[other] if other is not None else None,
        published_granularity="day" if precise else members.granularity[first],
    )


def _ranks(members: _Members) -> list[int]:
    """Per position, its place among the dated articles by (publication date, duplicate,
    source, id): the order first reports are chosen in, sorted once for every entry (each
    sorted its own candidates, tens of thousands for a year of a large story)."""
    dated = [p for p, d in enumerate(members.published) if d is not None]
    dated.sort(
        key=lambda p: (
            members.published[p],
            members.duplicate[p],
            members.labels[p],
            members.ids[p],
        )
    )
    rank = [len(dated)] * len(members.ids)  # undated: never a candidate
    for place, position in enumerate(dated):
        rank[position] = place
    return rank


def reporting(pool: Pool, timeline: Timeline) -> Reporting:
    """Coverage of the pool's articles and the first report of each of ``timeline``'s entries."""
    members = _Members.of_pool(pool)
    reported = _reporting(members, pool.mentions, timeline)
    reported.firsts[:] = [
        dataclasses.replace(f, title=pool.articles[members.where[f.article_id]].title)
        for f in reported.firsts
    ]
    return reported


def _reporting(members: _Members, mentions: Mentions, timeline: Timeline) -> Reporting:
    """:func:`reporting` of articles read as :class:`_Members`, first reports untitled."""
    sources, undated = _coverage(members)
    days = [
        d
        for d, precise in zip(members.published, members.precise, strict=True)
        if precise and d is not None
    ]
    rank = _ranks(members) if timeline.entries else []
    firsts = [
        r
        for e in timeline.entries
        if (r := _first(members, e, _found(mentions, e, members.where), rank)) is not None
    ]
    return Reporting(
        articles=len(members.ids),
        first=min(days) if days else None,
        last=max(days) if days else None,
        undated=undated,
        sources=sources,
        firsts=firsts,
    )


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
