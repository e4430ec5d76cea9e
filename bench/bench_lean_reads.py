"""Reads that must not grow with the store: a query timeline of a common word, and a large
story's reporting (coverage per outlet and who reported each entry first).

Usage::

    .venv/bin/python bench/bench_lean_reads.py --db STORE.db [--baseline OTHER/src]

``STORE.db`` is a built store (``bench/scale_corpus.py 100000`` ingested with ``storyline
ingest``, or ``bench_scale.py``'s ``scale-100000-built.db``); it is only read. With
``--baseline`` (another revision's ``src``, ``bench/baseline_src.py``), the same measurements
run with that code first, in the same run, on the same store.

Measured, each in a child process per code (one core at most):

- ``/timeline.json?q=`` as ``Corpus.query_timeline`` answers it, for "the" (in nearly every
  article) and "oil spill": seconds of wall and CPU time (the second run of two, so the
  file's pages are cached alike for both codes), articles used and the ``capped`` note;
- ``story_reporting`` of the store's largest story: CPU seconds (the least of three runs) and
  the peak of memory traced by ``tracemalloc`` during one run, in MB (Python objects only:
  what grows with the story's members).

Writes ``bench/results/lean_reads.json`` (one entry per ``--label``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "lean_reads.json"
QUERIES = ("the", "oil spill")


def measure(db: str) -> dict[str, Any]:
    """This process's code on ``db``: the figures the module lists."""
    from storyline.corpus import Corpus
    from storyline.records import Timeline
    from storyline.timeline.firsts import story_reporting

    out: dict[str, Any] = {"query_timeline": {}}
    with Corpus(db, read_only=True) as corpus:
        for query in QUERIES:
            for _ in range(2):
                wall, cpu = time.perf_counter(), time.process_time()
                found = corpus.query_timeline(query)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            out["query_timeline"][query] = {
                "wall_seconds": round(wall, 3),
                "cpu_seconds": round(cpu, 3),
                "articles": found.parameters.get("articles"),
                "capped": found.parameters.get("capped"),
            }
        store = corpus.store
        story, size = store.story_page(limit=1)[0]
        stored = store.load_timeline(story.id, "default")
        if stored is None:
            raise SystemExit(f"{db}: the largest story has no stored timeline (build it first)")
        timeline = Timeline.from_dict(stored)
        runs = []
        for _ in range(3):
            cpu = time.process_time()
            story_reporting(store, story.id, timeline)
            runs.append(time.process_time() - cpu)
        tracemalloc.start()
        story_reporting(store, story.id, timeline)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out["reporting"] = {
            "story_articles": size,
            "entries": len(timeline.entries),
            "cpu_seconds": round(min(runs), 3),
            "traced_peak_mb": round(peak / 2**20, 1),
        }
    return out


def run(db: Path, baseline: Path | None) -> dict[str, Any]:
    """:func:`measure` in a child process, with ``baseline``'s code when given."""
    env = dict(os.environ)
    if baseline is not None:
        env["PYTHONPATH"] = str(baseline)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", str(db)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    raise RuntimeError(f"measuring {db} failed:\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a built store (only read)")
    parser.add_argument("--baseline", type=Path, default=None, help="another revision's src")
    parser.add_argument("--label", default=None, help="entry name (default: the store's name)")
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print("RESULT " + json.dumps(measure(args.measure)), flush=True)
        return
    if args.db is None or not args.db.exists():
        parser.error("--db: a built store is needed (see the module's usage)")
    entry: dict[str, Any] = {
        "store": str(args.db),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_start": os.getloadavg(),
    }
    if args.baseline is not None:
        entry["baseline"] = run(args.db, args.baseline.resolve())
        print("baseline", json.dumps(entry["baseline"]), flush=True)
    entry["current"] = run(args.db, None)
    print("current ", json.dumps(entry["current"]), flush=True)
    entry["load_average_at_end"] = os.getloadavg()
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results[args.label or args.db.stem] = entry
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
