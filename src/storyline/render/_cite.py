"""Small helpers shared by the human-readable renderers: how a citation is described and linked."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from storyline.records import Citation, Entry, date_label

__all__ = [
    "CAPTION_SOURCE",
    "EXPECTED_LABEL",
    "PROVENANCE_LABELS",
    "describe",
    "link",
    "provenance",
    "sorted_entries",
]

EXPECTED_LABEL = "expected"
"""How every human format marks an entry about a planned or expected event."""

PROVENANCE_LABELS = {
    "pinned": "pinned by an editor",
    "swapped": "sentence chosen by an editor",
    "added": "added by an editor",
    "caption": "written by an editor",
}
"""How every human format says that a person, not the machine, chose or wrote an entry
(:attr:`storyline.records.Entry.provenance`); a machine entry says nothing."""

CAPTION_SOURCE = "in the editor's own words; cites no article"
"""What stands where a caption's citation would be: it is the person's, not a source's."""


def provenance(entry: Entry) -> str | None:
    """The label of an entry a person chose or wrote, or None for the machine's."""
    return PROVENANCE_LABELS.get(entry.provenance)


_SAFE_SCHEMES = {"http", "https", "file"}


def sorted_entries(entries: list[Entry]) -> list[Entry]:
    """Entries in date order (a month entry sorts at its first day)."""
    return sorted(entries, key=lambda e: e.date)


def describe(c: Citation) -> str:
    """``Title — source, 2010-04-21, sentence 3`` with whatever parts are known.

    A publication date that :mod:`storyline.time` estimated says so, since it may be wrong, and
    is shown only to its granularity (``2020``, ``November 2020``): a day nobody knows is not
    printed.
    """
    published = date_label(c.published, c.date_granularity, long=True) or None
    if published and c.date_source == "inferred":
        published += " (date inferred)"
    parts = [p for p in (c.source, published) if p]
    where = ", ".join([*parts, f"sentence {c.sentence_index + 1}"])
    return f"{c.title} — {where}" if c.title else where


def link(c: Citation) -> str | None:
    """Where the article can be opened: ``Citation.url``, a URL or the path it was read from.

    (``Citation.source`` is the source's name, never linked.) Only http(s), file and plain paths
    are linked, so a hostile ``javascript:`` URL never becomes a live link.
    """
    if not c.url:
        return None
    scheme = urlsplit(c.url).scheme.lower()
    if scheme in _SAFE_SCHEMES:
        return c.url
    if not scheme or len(scheme) == 1:  # a path (or a Windows drive letter)
        path = PurePosixPath(c.url)
        return path.as_uri() if path.is_absolute() else c.url
    return None
