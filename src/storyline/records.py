"""The records every stage reads and writes.

Stages pass these small typed dataclasses, never loose dicts: a record says what a field means
once, and ``as_dict()``/``from_dict()`` give one JSON shape to the CLI, the web API and the store.
Dates are :class:`datetime.date`; in dicts they are ISO strings (``"2017-04-19"``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar, get_args

DateSource = Literal["given", "metadata", "path", "inferred", "user"]
"""How an article's publication date was obtained.

- ``given``: the article said so itself (a ``date`` line, a record's own date field);
- ``metadata``: HTML metadata (htmldate) or a feed entry;
- ``path``: the folder it sat in (Timeline17's ``InputDocs/<date>/``);
- ``inferred``: estimated by :mod:`storyline.time` from the text and its story;
- ``user``: set by a person (``storyline article set-date``); never re-estimated.
"""
DATE_SOURCES: tuple[str, ...] = get_args(DateSource)

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Granularity = Literal["day", "month", "year"]
"""How precise a date is. A date of month or year granularity is still stored as a day (the 1st
of the month, or a day inside the year) so it sorts and filters; it is *shown* only to its
granularity (:func:`date_label`), since the day would claim what nobody knows."""
GRANULARITIES: tuple[str, ...] = get_args(Granularity)

_MONTH_NAMES = [
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
]


def date_label(value: date | None, granularity: str | None = "day", *, long: bool = False) -> str:
    """``value`` as a reader should see it: ``2020-11-17``, ``2020-11`` or ``2020``.

    ``long`` spells a month out (``November 2020``) for prose; a day stays ISO either way.
    Empty for ``None``.
    """
    if value is None:
        return ""
    if granularity == "year":
        return str(value.year)
    if granularity == "month":
        return f"{_MONTH_NAMES[value.month - 1]} {value.year}" if long else f"{value:%Y-%m}"
    return value.isoformat()


_R = TypeVar("_R", bound="_Record")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class _Record:
    """``as_dict``/``from_dict`` for flat dataclasses whose only non-JSON fields are dates."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls: type[_R], data: dict[str, Any]) -> _R:
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name not in data:
                continue
            value = data[f.name]
            if f.type in ("date", "date | None"):
                value = _parse_date(value)
            kwargs[f.name] = value
        return cls(**kwargs)


@dataclass(slots=True)
class Sentence(_Record):
    """One sentence of an article's body; ``start``/``end`` index ``Article.text`` (end exclusive)."""

    article_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(slots=True)
class TimeExpression(_Record):
    """A temporal expression (TIMEX3) found in a text.

    ``start``/``end`` are character offsets in the text that was tagged (end exclusive).
    ``value`` is the TimeML normalised value (``2017-04-19``, ``2015-11``, ``P3D``,
    ``PRESENT_REF``, ``XXXX-XX-XX`` …). ``sentence_index`` and ``article_id`` are filled in when
    the expression is stored with an article.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    article_id: str | None = None
    sentence_index: int | None = None


@dataclass(slots=True)
class Article(_Record):
    """One news article as stored.

    ``id`` is derived from the content hash (stable across runs and machines). ``text`` is the
    body only; the title is kept apart and is never a sentence. ``source`` is the file path (with
    ``#record`` for a record inside a file) or URL it came from.
    """

    id: str
    text: str
    title: str | None = None
    source: str = ""
    url: str | None = None
    published: date | None = None
    date_source: str | None = None
    date_confidence: float | None = None
    date_evidence: list[str] = field(default_factory=list)
    language: str = "en"
    content_hash: str = ""
    duplicate_of: str | None = None
    source_name: str | None = None
    date_granularity: str | None = None
    """``day``, ``month`` or ``year``: how much of ``published`` is known (``None`` when
    undated). A given, metadata or path date is a day; an inferred one may be coarser."""

    def __post_init__(self) -> None:
        if self.published is None:
            self.date_granularity = None
        elif self.date_granularity is None:
            self.date_granularity = "day"

    @property
    def date_label(self) -> str:
        """``published`` as a reader should see it (``2020`` for a year estimate)."""
        return date_label(self.published, self.date_granularity)

    def summary(self) -> dict[str, Any]:
        """The article as listings show it (CLI ``articles --json``, web JSON): no body text."""
        return {
            "id": self.id,
            "title": self.title,
            "published": _iso(self.published),
            "date_granularity": self.date_granularity,
            "date_source": self.date_source,
            "source": self.url or self.source,
            "language": self.language,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(slots=True)
class Story(_Record):
    """A group of articles telling one running story."""

    id: str
    label: str
    article_ids: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    parent_id: str | None = None


@dataclass(slots=True)
class Citation(_Record):
    """Where a timeline sentence comes from: enough to open the article at that sentence."""

    text: str
    article_id: str
    sentence_index: int
    start: int
    end: int
    title: str | None = None
    source: str | None = None
    published: date | None = None
    date_source: str | None = None
    url: str | None = None
    date_granularity: str | None = None
    """How much of ``published`` is known (see :attr:`Article.date_granularity`)."""

    @property
    def date_label(self) -> str:
        return date_label(self.published, self.date_granularity)


@dataclass(slots=True)
class Entry:
    """One date of a timeline and the sentences that say what happened then."""

    date: date
    granularity: str = "day"
    expected: bool = False
    sentences: list[Citation] = field(default_factory=list)
    score: float = 0.0
    provenance: str = "machine"
    """Who chose the entry: ``machine``, or a person who ``pinned``, ``swapped``, ``added`` it
    or wrote its ``caption`` (see :mod:`storyline.curation`)."""
    caption: str | None = None
    """The person's own words for the date, shown instead of sentences and citing nothing."""

    @property
    def label(self) -> str:
        """The date as the granularity allows: ``2015-11-22``, ``2015-11`` or ``2015``."""
        iso = self.date.isoformat()
        return {"day": iso, "month": iso[:7], "year": iso[:4]}.get(self.granularity, iso)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.label,
            "granularity": self.granularity,
            "expected": self.expected,
            "score": self.score,
            "sentences": [s.as_dict() for s in self.sentences],
            "provenance": self.provenance,
            "caption": self.caption,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        raw = str(data["date"])
        padded = raw + "-01" * ((10 - len(raw)) // 3)
        return cls(
            date=date.fromisoformat(padded),
            granularity=data.get("granularity", "day"),
            expected=bool(data.get("expected", False)),
            score=float(data.get("score", 0.0)),
            sentences=[Citation.from_dict(s) for s in data.get("sentences", [])],
            provenance=str(data.get("provenance") or "machine"),
            caption=data.get("caption"),
        )


@dataclass(slots=True)
class Timeline:
    """A story's timeline: entries in date order and the parameters that made it."""

    title: str
    entries: list[Entry] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "parameters": dict(self.parameters),
            "entries": [e.as_dict() for e in self.entries],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Timeline:
        return cls(
            title=data.get("title", ""),
            parameters=dict(data.get("parameters", {})),
            entries=[Entry.from_dict(e) for e in data.get("entries", [])],
        )


__all__ = [
    "DATE_SOURCES",
    "Article",
    "Citation",
    "DateSource",
    "Entry",
    "GRANULARITIES",
    "Granularity",
    "Sentence",
    "Story",
    "TimeExpression",
    "Timeline",
    "TimexType",
    "date_label",
]
