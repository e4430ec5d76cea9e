"""The timeline benchmark: build every Timeline17 task's timeline and score it as tilse does.

Protocol (``../shared/data/README.md``, as tilse and news-tls run it): a topic is the union of
its folders' articles; each reference timeline is a task; the system gets the topic's articles
published within the reference's first and last date and is asked for L dates (the reference's
count) with K sentences each (its mean per date, rounded). Only day entries are produced, since
references are day-level and tilse output holds days only. Scores: ROUGE-1/2 F1 under concat,
agreement and align+ m:1, and Date F1, per task and averaged both ways
(:mod:`storyline.evaluate.tls_metrics`).

Why ingest through the real pipeline (into a temporary store unless one is given): the score then
measures what a user gets — our sentence splitter and time tagger included — not a cleaned copy.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storyline.errors import EvaluationError
from storyline.evaluate.t17 import Task, load_tasks, write_timeline
from storyline.evaluate.tls_metrics import TLSScores, average, average_mean_f, evaluate
from storyline.ingest import Ingester
from storyline.records import Timeline
from storyline.settings import Config, TimelineConfig
from storyline.store import open_store
from storyline.store.base import Store
from storyline.timeline import build_timeline
from storyline.timeline.candidates import Pool, load_pool

Progress = Callable[[str], None]
BuildFn = Callable[[Store, list[str], Task], Timeline]


@dataclass(slots=True)
class TaskResult:
    """One task's produced timeline and its scores."""

    task: Task
    timeline: Timeline
    scores: TLSScores
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.task.topic,
            "reference": self.task.name,
            "dates": self.task.dates,
            "per_date": self.task.per_date,
            **self.scores.f1_dict(),
        }


@dataclass(slots=True)
class EvalReport:
    """All tasks, both averages, and where the time went."""

    results: list[TaskResult] = field(default_factory=list)
    ingest_seconds: float = 0.0
    timeline_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def average(self) -> TLSScores:
        return average([r.scores for r in self.results])

    @property
    def average_mean_f(self) -> TLSScores:
        return average_mean_f([r.scores for r in self.results])

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``storyline eval tls --json``."""
        return {
            "tasks": [r.as_dict() for r in self.results],
            "average": self.average.f1_dict(),
            "average_mean_f": self.average_mean_f.f1_dict(),
            "timing": {
                "ingest_seconds": round(self.ingest_seconds, 2),
                "timeline_seconds": round(self.timeline_seconds, 2),
                "total_seconds": round(self.total_seconds, 2),
            },
        }


def as_day_dict(timeline: Timeline) -> dict[date, list[str]]:
    """The day entries of a timeline as tilse's ``{date: [sentence]}`` (months/years dropped)."""
    return {
        e.date: [c.text for c in e.sentences]
        for e in timeline.entries
        if e.granularity == "day" and e.sentences
    }


def topic_of(source: str) -> str | None:
    """The Timeline17 topic of an article's source path (``…/bpoil_bbc/InputDocs/…`` → bpoil)."""
    parts = source.split("#", 1)[0].replace("\\", "/").split("/")
    if "InputDocs" not in parts:
        return None
    index = parts.index("InputDocs")
    return parts[index - 1].split("_", 1)[0] if index > 0 else None


def articles_by_topic(store: Store) -> dict[str, list[tuple[date, str]]]:
    """``{topic: [(published, article id)]}`` of the store's Timeline17 articles."""
    out: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for article in store.articles():
        topic = topic_of(article.source)
        if topic is not None and article.published is not None:
            out[topic].append((article.published, article.id))
    return out


def task_ids(store: Store, tasks: list[Task]) -> list[list[str]]:
    """Each task's article ids: its topic's articles published within its window."""
    by_topic = articles_by_topic(store)
    return [
        [i for d, i in by_topic.get(task.topic, []) if task.start <= d <= task.end]
        for task in tasks
    ]


def task_pools(
    root: Path | str, db: Path | str | None = None, config: Config | None = None
) -> tuple[list[tuple[Task, Pool]], float]:
    """Every task of ``root`` with its articles loaded (ingested into ``db`` or a temporary
    store), and the seconds the ingest took: what training and leave-one-topic-out start from."""
    tasks = load_tasks(root)
    if not tasks:
        raise EvaluationError(f"{root} holds no reference timelines")
    with tempfile.TemporaryDirectory(prefix="storyline-tasks-") as tmp:
        store = open_store(db if db is not None else Path(tmp) / "t17.db")
        try:
            clock = time.perf_counter()
            Ingester(store, config).run([str(root)])
            seconds = time.perf_counter() - clock
            pairs = [
                (task, load_pool(store, ids))
                for task, ids in zip(tasks, task_ids(store, tasks), strict=True)
            ]
        finally:
            store.close()
    return pairs, seconds


def build_with(config: TimelineConfig | None = None) -> BuildFn:
    """Our method with ``config``, given what the protocol gives: the window, L and K, day
    entries only (the benchmark also scores the count ranker this way)."""

    def build(store: Store, ids: list[str], task: Task) -> Timeline:
        return build_timeline(
            store,
            ids,
            dates=task.dates,
            per_date=task.per_date,
            title=task.name,
            since=task.start,
            until=task.end,
            granularities=("day",),
            config=config,
        )

    return build


default_build: BuildFn = build_with()
"""Our method with the shipped defaults and date model."""


def run(
    root: Path | str,
    db: Path | str | None = None,
    system_dir: Path | str | None = None,
    build: BuildFn = default_build,
    progress: Progress | None = None,
) -> EvalReport:
    """Ingest ``root`` (into ``db`` or a temporary store), build and score every task."""
    started = time.perf_counter()
    tasks = load_tasks(root)
    if not tasks:
        raise EvaluationError(f"{root} holds no reference timelines")
    with tempfile.TemporaryDirectory(prefix="storyline-tls-") as tmp:
        store = open_store(db if db is not None else Path(tmp) / "t17.db")
        try:
            report = _run_tasks(store, root, tasks, system_dir, build, progress)
        finally:
            store.close()
    report.total_seconds = time.perf_counter() - started
    return report


def _run_tasks(
    store: Store,
    root: Path | str,
    tasks: list[Task],
    system_dir: Path | str | None,
    build: BuildFn,
    progress: Progress | None,
) -> EvalReport:
    report = EvalReport()
    clock = time.perf_counter()
    Ingester(store).run([str(root)])
    report.ingest_seconds = time.perf_counter() - clock
    for task, ids in zip(tasks, task_ids(store, tasks), strict=True):
        clock = time.perf_counter()
        timeline = build(store, ids, task)
        seconds = time.perf_counter() - clock
        report.timeline_seconds += seconds
        predicted = as_day_dict(timeline)
        report.results.append(
            TaskResult(task, timeline, evaluate(predicted, task.timeline), seconds)
        )
        if system_dir is not None:
            write_timeline(Path(system_dir) / task.file_name, predicted)
        if progress is not None:
            progress(task.name)
    return report


__all__ = [
    "EvalReport",
    "TaskResult",
    "articles_by_topic",
    "as_day_dict",
    "build_with",
    "default_build",
    "run",
    "task_ids",
    "task_pools",
]
