"""Decoded lines of a large file, read lazily, with a warning for each badly encoded line.

Why: JSONL and CSV collections run to hundreds of megabytes, so they are never read whole.
Each line is decoded on its own in the file's encoding (UTF-8 unless it declares or is found
to be another); a line that cannot be decoded gets replacement characters and is remembered,
so the reader can say which lines were damaged (the whole-file readers do the same in
:mod:`storyline.sources.encoding`). A line longer than ``max_line`` bytes is not held in
memory: it is skipped, and named, so one runaway line cannot exhaust memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from io import BufferedIOBase

from storyline.sources.base import Problem

_MAX_LISTED = 5
_CHUNK = 1 << 20


def _listed(numbers: list[int]) -> str:
    listed = ", ".join(str(n) for n in numbers[:_MAX_LISTED])
    more = f" and {len(numbers) - _MAX_LISTED} more" if len(numbers) > _MAX_LISTED else ""
    return listed + more


class Lines:
    """Iterate decoded lines (line endings kept, as :mod:`csv` wants); ``number`` is 1-based."""

    def __init__(
        self,
        stream: BufferedIOBase,
        source: str,
        encoding: str = "utf-8",
        max_line: int | None = None,
    ) -> None:
        self.stream = stream
        self.source = source
        self.encoding = encoding
        self.max_line = max_line
        self.number = 0
        self.bad: list[int] = []
        self.long: list[int] = []

    def _raw_lines(self) -> Iterator[bytes | str]:
        if self.encoding.startswith(("utf-16", "utf-32")):  # a newline is not one byte here
            text = io.TextIOWrapper(
                self.stream,  # type: ignore[type-var]
                self.encoding,
                errors="replace",
                newline="",
            )
            try:
                yield from self._capped(text.readline)
            finally:
                text.detach()
            return
        yield from self._capped(self.stream.readline)

    def _capped(self, read: Callable[[int], bytes | str]) -> Iterator[bytes | str]:
        cap = self.max_line
        while True:
            line = read(cap + 1 if cap is not None else -1)
            if not line:
                return
            newline = "\n" if isinstance(line, str) else b"\n"
            if cap is not None and len(line) > cap and not line.endswith(newline):  # type: ignore[arg-type]
                while True:  # the rest of the line, in pieces, never whole
                    rest = read(_CHUNK)
                    if not rest or rest.endswith(newline):  # type: ignore[arg-type]
                        break
                self.long.append(self.number + 1)
                line = newline
            yield line

    def __iter__(self) -> Iterator[str]:
        for raw in self._raw_lines():
            self.number += 1
            if isinstance(raw, str):
                yield raw.lstrip("\ufeff") if self.number == 1 else raw
                continue
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError:
                self.bad.append(self.number)
                yield raw.decode(self.encoding, errors="replace")

    def warnings(self) -> list[Problem]:
        """One line each: the damaged lines and the over-long ones (the first few, and how many)."""
        problems = []
        if self.bad:
            problems.append(
                Problem(
                    "warning",
                    self.source,
                    f"invalid {'UTF-8' if self.encoding == 'utf-8' else self.encoding} on line "
                    f"{_listed(self.bad)}: decoded with replacement characters",
                )
            )
        if self.long:
            problems.append(
                Problem(
                    "skipped",
                    self.source,
                    f"line {_listed(self.long)} over {self.max_line:,} bytes: skipped",
                )
            )
        return problems
