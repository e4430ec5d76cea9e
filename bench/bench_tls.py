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

from storyline.evaluate import loto, tls_eval
from storyline.evaluate.t17 import Task
from storyline.records import Citation, Entry, Timeline
from storyline.settings import TimelineConfig
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


PEERS: dict[str, dict[str, tuple[float, float, float] | None]] = {
    # ../shared/data/README.md: align+ m:1 ROUGE-1 / ROUGE-2 / Date F1 per task
    "bpoil_bbc__bbc": {"DATEWISE": (0.140, 0.032, 0.500), "SDF-TLS": (0.150, 0.040, 0.458)},
    "bpoil_foxnews__foxnews": {"DATEWISE": (0.163, 0.043, 0.960), "SDF-TLS": (0.134, 0.025, 1.0)},
    "bpoil_guardian__guardian": {
        "DATEWISE": (0.175, 0.050, 0.716),
        "SDF-TLS": (0.146, 0.036, 0.647),
    },
    "bpoil_reuters__rbpoil": {"DATEWISE": (0.067, 0.015, 0.250), "SDF-TLS": (0.073, 0.023, 0.188)},
    "bpoil_washingtonpost__washingtonpost": {
        "DATEWISE": (0.092, 0.026, 0.417),
        "SDF-TLS": (0.097, 0.024, 0.417),
    },
    "EgyptianProtest_cnn__tl8": {"DATEWISE": None, "SDF-TLS": (0.164, 0.025, 1.0)},
    "Finan_washingtonpost__financial_crisis_wallstreet_washingtonpost": {
        "DATEWISE": (0.103, 0.022, 0.678),
        "SDF-TLS": (0.078, 0.010, 0.723),
    },
    "H1N1_bbc__influenza_A_h1n1_scotland_bbc": {
        "DATEWISE": (0.153, 0.035, 0.857),
        "SDF-TLS": (0.187, 0.047, 0.857),
    },
    "H1N1_guardian__swine_flu_guardian": {
        "DATEWISE": (0.203, 0.050, 0.750),
        "SDF-TLS": (0.162, 0.041, 0.833),
    },
    "H1N1_reuters__h1n1_reuters": {
        "DATEWISE": (0.120, 0.029, 0.733),
        "SDF-TLS": (0.148, 0.035, 0.733),
    },
    "MJ_bbc__bbc.co.uk": {"DATEWISE": (0.153, 0.062, 0.421), "SDF-TLS": (0.212, 0.086, 0.947)},
}
"""The peers' per-task figures as published in the data README (DATEWISE cannot run Egypt)."""


def versus_peers(report: tls_eval.EvalReport) -> dict[str, Any]:
    """Per task: ours beside each peer, and on how many tasks we beat it in R2 and Date F1."""
    rows, wins = [], {"DATEWISE": {"rouge2": 0, "date_f1": 0, "tasks": 0}}
    wins["SDF-TLS"] = {"rouge2": 0, "date_f1": 0, "tasks": 0}
    for task in report.as_dict()["tasks"]:
        ours = (task["align_m1"]["rouge1"], task["align_m1"]["rouge2"], task["date_f1"])
        row: dict[str, Any] = {"task": task["reference"], "storyline": [round(x, 3) for x in ours]}
        for peer, figures in PEERS.get(task["reference"], {}).items():
            row[peer] = list(figures) if figures else None
            if figures:
                wins[peer]["tasks"] += 1
                # the peers' figures are published to 3 decimals: compare at that precision
                wins[peer]["rouge2"] += round(ours[1], 3) > figures[1]
                wins[peer]["date_f1"] += round(ours[2], 3) > figures[2]
        rows.append(row)
    return {"tasks": rows, "wins": wins}


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
        held_out = loto.run(DATA, db=db)
        # the count ranker, whose weights were chosen on these tasks: in-sample
        counts_build = tls_eval.build_with(TimelineConfig(date_ranker="counts"))
        counts = tls_eval.run(DATA, db=db, build=counts_build)
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
        "loto_scores": _averages(held_out),
        "loto_seconds": round(held_out.timeline_seconds, 2),
        "loto_versus_peers": versus_peers(held_out),
        "loto_folds": [f.as_dict() for f in held_out.folds],
        "scores_in_sample": _averages(ours),
        "counts_ranker_scores_in_sample": _averages(counts),
        "baseline_scores": _averages(base),
        "tasks": ours.as_dict()["tasks"],
        "targets": {"whole_evaluation_seconds": 120, "timelines_seconds": 30, "one_timeline": 1},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    a, b = figures["scores_in_sample"]["average"], figures["baseline_scores"]["average"]
    held, cnt = (
        figures["loto_scores"]["average"],
        figures["counts_ranker_scores_in_sample"]["average"],
    )
    print(
        f"whole evaluation {figures['whole_evaluation_seconds']} s (ingest {figures['ingest_seconds']} s)"
    )
    print(
        f"11 timelines {figures['timelines_seconds']} s; baseline {figures['baseline_timelines_seconds']} s"
    )
    print(f"one timeline of {topic} ({len(ids)} articles): {one:.3f} s; baseline {one_base:.3f} s")
    for name, avg in (
        ("loto", held),
        ("in-sample", a),
        ("counts in-sample", cnt),
        ("baseline", b),
    ):
        print(
            f"{name:16s} align+ m:1 R1 {avg['align_m1']['rouge1']:.4f} R2 {avg['align_m1']['rouge2']:.4f}"
            f" · Date F1 {avg['date_f1']:.4f} · concat R1 {avg['concat']['rouge1']:.4f}"
            f" R2 {avg['concat']['rouge2']:.4f}"
        )
    print("leave-one-topic-out per task, align+ m:1 R1/R2/Date F1 (ours | DATEWISE | SDF-TLS):")
    for row in figures["loto_versus_peers"]["tasks"]:
        peers = " | ".join(
            "/".join(f"{x:.3f}" for x in row[p]) if row.get(p) else "–"
            for p in ("DATEWISE", "SDF-TLS")
        )
        ours_row = "/".join(f"{x:.3f}" for x in row["storyline"])
        print(f"  {row['task'][:44]:44s} {ours_row} | {peers}")
    for peer, won in figures["loto_versus_peers"]["wins"].items():
        print(
            f"beats {peer} on {won['rouge2']}/{won['tasks']} tasks in ROUGE-2, "
            f"{won['date_f1']}/{won['tasks']} in Date F1"
        )
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
