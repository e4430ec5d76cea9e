"""tilse format, the Timeline17 reference layout researchers score with.

A ``YYYY-MM-DD`` line, one sentence per line, then a line of 32 hyphens; dates in order. The
benchmark references are day-level, so month- and year-level entries are left out (a month
written as its first day would be scored as a wrong day). No expected/happened marking: the
format has no place for it and the scorers would read it as a sentence.
"""

from __future__ import annotations

from storyline.records import Timeline

__all__ = ["SEPARATOR", "render"]

SEPARATOR = "-" * 32


def render(timeline: Timeline) -> str:
    """Day entries only, in date order; whitespace inside a sentence collapsed to one space."""
    lines: list[str] = []
    for entry in sorted(timeline.entries, key=lambda e: e.date):
        if entry.granularity != "day":
            continue
        lines.append(entry.date.isoformat())
        lines.extend(" ".join(c.text.split()) for c in entry.sentences if c.text.strip())
        lines.append(SEPARATOR)
    return "".join(line + "\n" for line in lines)
