"""Decoded lines of a large file, read lazily, with a warning for each badly encoded line.

Why: JSONL and CSV collections run to hundreds of megabytes, so they are never read whole.
Each line is decoded on its own as UTF-8; a line that is not is decoded with replacement
characters and remembered, so the reader can say which lines were damaged (the whole-file
readers do the same in :func:`storyline.sources.detect.decode`).
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BufferedIOBase

from storyline.sources.base import Problem

_MAX_LISTED = 5


class Lines:
    """Iterate decoded lines (line endings kept, as :mod:`csv` wants); ``number`` is 1-based."""

    def __init__(self, stream: BufferedIOBase, source: str) -> None:
        self.stream = stream
        self.source = source
        self.number = 0
        self.bad: list[int] = []

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.append(self.number)
                yield raw.decode("utf-8", errors="replace")

    def warnings(self) -> list[Problem]:
        """One warning naming the damaged lines (the first few, and how many in all)."""
        if not self.bad:
            return []
        listed = ", ".join(str(n) for n in self.bad[:_MAX_LISTED])
        more = f" and {len(self.bad) - _MAX_LISTED} more" if len(self.bad) > _MAX_LISTED else ""
        return [
            Problem(
                "warning",
                self.source,
                f"invalid UTF-8 on line {listed}{more}: decoded with replacement characters",
            )
        ]
