"""Timeline speed and accuracy on Timeline17, beside a plain baseline measured in the same run.

Figures (bench/results/tls.json):
- the whole evaluation (ingest into a fresh store, 11 timelines, scoring): target < 2 min;
- the 11 timelines alone, after ingestion: target < 30 s;
- one timeline of the largest topic (bpoil, ~1,460 articles, all its dates): target < 1 s;
- the same for the baseline — the L days with most publications, each told by the leads of that
  day's articles — with its scores, so the ratio of time and the gain in accuracy are both
  measured on this machine, in this run.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.evaluate import tls_eval
from storyline.evaluate.t17 import Task
from storyline.records import Citation, Entry, Timeline
from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore
from storyline.timeline import build_timeline

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
RESULTS = Path(__file__).resolve().parent / "results" / "tls.json"


def baseline_timeline(store: Store, ids: list[str], dates: int, per_date: int) -> Timeline:
    """Most-published days first; for each, the first sentences of that day's articles."""
    articles = [a for a in store.articles(ids=ids) if a.published is not None]
    volume = Counter(a.published for a in articles)
    days = sorted(d for d, _ in volume.most_common(dates) if d is not None)
    sentences = store.sentences([a.id for a in articles])
    entries = []
    for day in days:
        leads: list[Citation] = []
        for depth in range(3):  # first sentences of each article, then second sentences …
            for a in articles:
                found = sentences.get(a.id, [])
                if a.published == day and depth < len(found) and len(leads) < per_date:
                    s = found[depth]
                    leads.append(Citation(s.text, a.id, s.index, s.start, s.end))
        entries.append(Entry(date=day, sentences=leads))
    return Timeline(title="baseline", entries=entries)


def baseline_build(store: Store, ids: list[str], task: Task) -> Timeline:
    return baseline_timeline(store, ids, task.dates, task.per_date)


def _averages(report: tls_eval.EvalReport) -> dict[str, Any]:
    data = report.as_dict()
    return {"average": data["average"], "average_mean_f": data["average_mean_f"]}


def _largest_topic(store: Store) -> tuple[str, list[str]]:
    topics = tls_eval.articles_by_topic(store)
    name = max(topics, key=lambda t: len(topics[t]))
    return name, [i for _, i in topics[name]]


def _best_of(runs: int, fn: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ours = tls_eval.run(DATA, db=db)
        base = tls_eval.run(DATA, db=db, build=baseline_build)
        with SQLiteStore(db, read_only=True) as store:
            topic, ids = _largest_topic(store)
            one = _best_of(3, lambda: build_timeline(store, ids, dates=40, per_date=2))
            one_base = _best_of(3, lambda: baseline_timeline(store, ids, 40, 2))
    figures = {
        "data": "Timeline17, 5 topics, 11 tasks (../shared/data/t17)",
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "whole_evaluation_seconds": round(ours.total_seconds, 2),
        "ingest_seconds": round(ours.ingest_seconds, 2),
        "timelines_seconds": round(ours.timeline_seconds, 2),
        "baseline_timelines_seconds": round(base.timeline_seconds, 2),
        "timelines_time_ratio_to_baseline": round(
            ours.timeline_seconds / max(base.timeline_seconds, 1e-9), 1
        ),
        "one_timeline": {
            "topic": topic,
            "articles": len(ids),
            "dates": 40,
            "per_date": 2,
            "seconds": round(one, 3),
            "baseline_seconds": round(one_base, 3),
            "ratio_to_baseline": round(one / max(one_base, 1e-9), 1),
        },
        "scores": _averages(ours),
        "baseline_scores": _averages(base),
        "tasks": ours.as_dict()["tasks"],
        "targets": {"whole_evaluation_seconds": 120, "timelines_seconds": 30, "one_timeline": 1},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    a, b = figures["scores"]["average"], figures["baseline_scores"]["average"]
    print(
        f"whole evaluation {figures['whole_evaluation_seconds']} s (ingest {figures['ingest_seconds']} s)"
    )
    print(
        f"11 timelines {figures['timelines_seconds']} s; baseline {figures['baseline_timelines_seconds']} s"
    )
    print(f"one timeline of {topic} ({len(ids)} articles): {one:.3f} s; baseline {one_base:.3f} s")
    for name, avg in (("storyline", a), ("baseline", b)):
        print(
            f"{name:9s} align+ m:1 R1 {avg['align_m1']['rouge1']:.4f} R2 {avg['align_m1']['rouge2']:.4f}"
            f" · Date F1 {avg['date_f1']:.4f} · concat R1 {avg['concat']['rouge1']:.4f}"
            f" R2 {avg['concat']['rouge2']:.4f}"
        )
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
