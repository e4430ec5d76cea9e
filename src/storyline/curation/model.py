"""Edit records: what a person changed, stored as the change itself (never a copy of the result).

Why edits and not edited copies: the machine's stories and timelines are recomputed whenever
articles arrive or settings change. A copy would freeze them; an edit is re-applied on top of
every recomputation (:mod:`storyline.curation.apply`), so new articles still add dates while a
pinned entry stays and a dropped one stays dropped. Undo is then exact: the state is the machine's
output with the edits that are not undone applied, so leaving one out gives what was there before.

This module has no dependencies beyond the standard library: the store reads and writes these
records and every shell (CLI, web) prints their JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from storyline.errors import InputError

ENTRY_KINDS: tuple[str, ...] = (
    "entry.pin",
    "entry.drop",
    "entry.swap",
    "entry.add",
    "entry.caption",
)
"""Edits of one story's timeline; their target names the story and the entry's date."""
STORY_KINDS: tuple[str, ...] = (
    "story.merge",
    "story.split",
    "story.move",
    "story.rename",
    "story.exclude",
)
"""Edits of the grouping, re-applied as constraints after every story detection."""
ARTICLE_KINDS: tuple[str, ...] = ("article.set_date", "article.delete", "article.replace")
"""Edits of the articles themselves (their date, their presence, their text)."""
UNDO = "undo"
"""The log line an undo leaves: its target names the edit it reverted."""
KINDS: tuple[str, ...] = ENTRY_KINDS + STORY_KINDS + ARTICLE_KINDS + (UNDO,)

PROVENANCES: tuple[str, ...] = ("machine", "pinned", "swapped", "added", "caption")
"""What an exported entry says about who chose it: the machine, or a person (and how)."""


def now() -> str:
    """The time an edit is made: UTC, to the second, ISO 8601 (sorts as text)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_entry_date(value: str) -> str:
    """A timeline entry's date as typed (``2020-11-17``, ``2020-11`` or ``2020``), checked.

    Entries are keyed by their label, so a month entry and a day entry of that month are
    different entries, as on the timeline itself.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        elif len(text) == 7:
            date.fromisoformat(text + "-01")
        elif len(text) == 4 and text.isdigit():
            date(int(text), 1, 1)
        else:
            raise ValueError(text)
    except ValueError:
        raise InputError(
            f"{value!r} is not a timeline date (YYYY-MM-DD, YYYY-MM or YYYY)"
        ) from None
    return text


def parse_day(value: str) -> date:
    """An article's date as typed: a day (``YYYY-MM-DD``), or one line saying what is wrong."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_sentence_ref(value: str) -> tuple[str, int]:
    """``ARTICLE:N`` (article id, sentence index from 0) as the CLI and web take a sentence."""
    article_id, sep, index = value.rpartition(":")
    if not sep or not article_id or not index.strip().isdigit():
        raise InputError(f"{value!r} is not a sentence (ARTICLE_ID:N, N counting from 0)")
    return article_id.strip(), int(index)


@dataclass(slots=True)
class Edit:
    """One change a person made.

    ``target`` names what the edit is about (story ids, article ids, an entry's date): it is
    what undo compares with later edits. ``payload`` is what the edit sets (a label, a sentence,
    a caption) and, for edits of stored data (an article's date, a deleted article), what was
    there before, so undo can put it back. ``undone_by`` is the id of the undo that reverted it.
    """

    kind: str
    author: str
    story_id: str | None = None
    target: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    time: str = field(default_factory=now)
    undone_by: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError(f"unknown edit kind {self.kind!r} (one of {', '.join(KINDS)})")

    @property
    def active(self) -> bool:
        """Whether the edit is in force (not undone, and not itself an undo)."""
        return self.undone_by is None and self.kind != UNDO

    def touches(self) -> set[str]:
        """The objects this edit reads or changes, as ``story:ID``, ``article:ID``, ``entry:…``.

        Two edits conflict for undo when these sets meet: undoing the earlier one would change
        what the later one was made on.
        """
        out: set[str] = set()
        t = self.target
        # An entry edit is about one date of the story's timeline, not the whole story.
        owner = None if self.kind in ENTRY_KINDS else self.story_id
        stories = [owner, *t.get("stories", []), t.get("to"), t.get("new_story")]
        out |= {f"story:{s}" for s in stories if s}
        articles = [t.get("article"), *t.get("articles", []), t.get("new_article")]
        articles += [self.payload.get("article_id")]
        out |= {f"article:{a}" for a in articles if a}
        if self.kind in ENTRY_KINDS and self.story_id and t.get("date"):
            out.add(f"entry:{self.story_id}:{t['date']}")
        return out

    def conflicts_with(self, other: Edit) -> bool:
        """Whether undoing one of the two would change what the other was made on: they touch
        the same object, or one changes a story whose timeline entry the other edits."""
        mine, theirs = self.touches(), other.touches()
        if mine & theirs:
            return True

        def stories(keys: set[str]) -> set[str]:
            return {k.split(":", 1)[1] for k in keys if k.startswith("story:")}

        def timelines(keys: set[str]) -> set[str]:
            return {k.split(":")[1] for k in keys if k.startswith("entry:")}

        return bool(stories(mine) & timelines(theirs) or timelines(mine) & stories(theirs))

    def describe(self) -> str:
        """One line for ``storyline edits``: kind, what it is about and what it sets."""
        t, p = self.target, self.payload
        parts = [self.kind]
        if self.story_id:
            parts.append(f"story {self.story_id}")
        if t.get("date"):
            parts.append(str(t["date"]))
        for key in ("stories", "articles"):
            if t.get(key):
                parts.append(f"{key} {' '.join(map(str, t[key]))}")
        for key in ("article", "to", "at", "edit"):
            if t.get(key) is not None:
                parts.append(f"{key} {t[key]}")
        if "article_id" in p:
            parts.append(f"sentence {p['article_id']}:{p['sentence_index']}")
        for key in ("label", "text", "date"):
            if p.get(key) is not None:
                parts.append(repr(p[key]))
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "author": self.author,
            "kind": self.kind,
            "story_id": self.story_id,
            "target": dict(self.target),
            "payload": dict(self.payload),
            "undone_by": self.undone_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        return cls(
            kind=str(data["kind"]),
            author=str(data.get("author", "")),
            story_id=data.get("story_id"),
            target=dict(data.get("target") or {}),
            payload=dict(data.get("payload") or {}),
            id=data.get("id"),
            time=str(data.get("time") or now()),
            undone_by=data.get("undone_by"),
        )


__all__ = [
    "ARTICLE_KINDS",
    "ENTRY_KINDS",
    "KINDS",
    "PROVENANCES",
    "STORY_KINDS",
    "UNDO",
    "Edit",
    "parse_day",
    "parse_entry_date",
    "parse_sentence_ref",
]
