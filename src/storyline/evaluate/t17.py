"""Timeline17-layout data sets, read the way the literature's evaluation (tilse, news-tls) reads them.

Layout: ``DIR/<Topic>_<source>/InputDocs/<YYYY-MM-DD>/<n>.htm.txt`` (articles, published on the
folder's date) and ``DIR/<Topic>_<source>/timelines/<name>.txt`` (reference timelines in tilse
format). A *topic* is the union of the folders sharing the prefix before the first ``_``; every
reference timeline is one *task*: build a timeline of ``L`` dates (the reference's number of
dates) with ``K`` sentences per date (its mean sentences per date, Python-rounded as news-tls
does) from the topic's articles published between the reference's first and last date.

Reference timelines are read as tilse's ``Timeline.from_file`` leaves them — a date line that
occurs twice makes the later block replace the earlier — after the one fix tilse's
data-preparation script applies (``MJ/timelines/bbc.co.uk.txt``: ``2011-04-0`` → ``2011-04-02``,
a ``sed`` over that file).

API:

- :func:`parse_timeline` / :func:`read_timeline` — tilse-format text or file → ``{date: [sentence]}``;
- :func:`format_timeline` / :func:`write_timeline` — the reverse (date line, sentences, 32 hyphens);
- :func:`topics` — ``{topic: [folder, …]}``;
- :func:`load_tasks` — every :class:`Task` of a data set, in a stable order;
- :func:`topic_articles` — ``(published, path)`` of a topic's article files, optionally within
  a date window (the task's ``start``/``end``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from storyline.errors import InputError

__all__ = [
    "SEPARATOR",
    "Task",
    "format_timeline",
    "load_tasks",
    "parse_timeline",
    "read_timeline",
    "topic_articles",
    "topics",
    "write_timeline",
]

SEPARATOR = "-" * 32
"""The line that closes each date block in tilse format."""

# tilse's get-and-preprocess-data rewrites this one broken date line before reading (a sed over
# the whole file, keyed here by topic prefix and file name, as tilse keys it).
_DATA_FIXES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("mj", "bbc.co.uk.txt"): (("2011-04-0", "2011-04-02"),),
}


def _as_date(line: str) -> date | None:
    try:
        return datetime.strptime(line, "%Y-%m-%d").date()
    except ValueError:
        return None


def parse_timeline(text: str) -> dict[date, list[str]]:
    """tilse's ``Timeline.from_file`` on a text: later repeats of a date replace earlier blocks.

    Lines are stripped; a line that parses as ``%Y-%m-%d`` sets the current date, a line of 32
    hyphens closes the block, any other line is a sentence. A block without a date is dropped
    (tilse would store it under ``None``).
    """
    out: dict[date, list[str]] = {}
    current: date | None = None
    summary = ""
    # universal newlines, as tilse's text-mode readlines() sees the file
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line == SEPARATOR:
            if current is not None:
                out[current] = [s.strip() for s in summary.strip().split("\n")]
            current, summary = None, ""
            continue
        day = _as_date(line)
        if day is not None:
            current = day
        else:
            summary += line + "\n"
    return out


def read_timeline(path: Path | str) -> dict[date, list[str]]:
    """A reference timeline file, with tilse's data-preparation fix applied where it applies."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read timeline {path}: {exc}") from exc
    topic = path.parent.parent.name.split("_", 1)[0].lower()
    for old, new in _DATA_FIXES.get((topic, path.name), ()):
        text = text.replace(old, new)
    return parse_timeline(text)


def format_timeline(timeline: Mapping[date, Sequence[str]]) -> str:
    """tilse format (``str(Timeline)``): dates in order, one sentence a line, 32 hyphens."""
    parts: list[str] = []
    for day in sorted(timeline):
        parts.append(day.isoformat())
        parts.extend(" ".join(s.split()) for s in timeline[day])
        parts.append(SEPARATOR)
    return "".join(p + "\n" for p in parts)


def write_timeline(path: Path | str, timeline: Mapping[date, Sequence[str]]) -> Path:
    """Write a timeline in tilse format, creating parent folders; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_timeline(timeline), encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class Task:
    """One evaluation task: a reference timeline and what the system is given to match it."""

    topic: str
    folder: str
    reference_path: Path
    timeline: dict[date, list[str]]

    @property
    def file_name(self) -> str:
        """``<Folder>__<reference file name>``: the name of the system file for this task."""
        return f"{self.folder}__{self.reference_path.name}"

    @property
    def name(self) -> str:
        """The file name without ``.txt`` (``bpoil_bbc__bbc``), for tables and JSON."""
        return self.file_name.removesuffix(".txt")

    @property
    def dates(self) -> int:
        """L: the number of dates to select."""
        return len(self.timeline)

    @property
    def per_date(self) -> int:
        """K: mean sentences per date, rounded with Python's ``round`` as news-tls does."""
        if not self.timeline:
            return 0
        total = sum(len(s) for s in self.timeline.values())
        return round(total / len(self.timeline))

    @property
    def start(self) -> date:
        """The reference's first date: articles published before it are not given."""
        return min(self.timeline)

    @property
    def end(self) -> date:
        """The reference's last date: articles published after it are not given."""
        return max(self.timeline)


def _folders(root: Path) -> list[Path]:
    if not root.is_dir():
        raise InputError(f"{root} is not a folder")
    found = sorted(p for p in root.iterdir() if p.is_dir() and (p / "timelines").is_dir())
    if not found:
        raise InputError(f"{root} holds no Timeline17-layout folders (<Topic>_<source>/timelines/)")
    return found


def topics(root: Path | str) -> dict[str, list[Path]]:
    """``{topic: [folder, …]}``: folders grouped by their name before the first ``_``."""
    out: dict[str, list[Path]] = {}
    for folder in _folders(Path(root)):
        out.setdefault(folder.name.split("_", 1)[0], []).append(folder)
    return out


def load_tasks(root: Path | str) -> list[Task]:
    """Every reference timeline of the data set as a task, ordered by folder then file name."""
    tasks: list[Task] = []
    for folder in _folders(Path(root)):
        for ref in sorted((folder / "timelines").glob("*.txt")):
            timeline = read_timeline(ref)
            if timeline:
                tasks.append(Task(folder.name.split("_", 1)[0], folder.name, ref, timeline))
    return tasks


def topic_articles(
    root: Path | str, topic: str, start: date | None = None, end: date | None = None
) -> list[tuple[date, Path]]:
    """``(published, path)`` of the topic's article files, inclusive of ``start`` and ``end``."""
    folders = topics(root).get(topic)
    if folders is None:
        raise InputError(f"no topic {topic!r} in {root}")
    out: list[tuple[date, Path]] = []
    for folder in folders:
        docs = folder / "InputDocs"
        if not docs.is_dir():
            continue
        for day_dir in sorted(docs.iterdir()):
            day = _as_date(day_dir.name)
            if day is None or (start and day < start) or (end and day > end):
                continue
            out.extend((day, f) for f in sorted(day_dir.iterdir()) if f.is_file())
    return out
