"""Ingest speed: all of Timeline17, and the scale bench corpus on one core beside an older version.

Usage::

    .venv/bin/python bench/bench_ingest.py [--scale-articles 2000] [--baseline-rev 60cda06]

- Timeline17: articles/s of one ingest into a fresh SQLite store, beside a plain baseline measured
  in the same run that reads and decodes every file with the same readers but stores nothing (no
  sentence splitting, tagging, dedupe or SQLite): the ratio says what ingest costs over reading.
- Scale corpus (issue 12's bar: 400 articles/s on one core): the first N articles that
  ``bench/scale_corpus.py`` generates (seed 12, cached in ``$STORYLINE_BENCH_CACHE``), ingested
  into a fresh store by a child process (``Ingester.run``, as ``storyline ingest`` does) whose
  CPU time is counted, so that other jobs on a shared machine do not count; the same for the
  library at ``--baseline-rev`` (extracted with ``git archive``), the two alternating, best of
  the rounds each. The ratio of the two in the same run is the honest figure under load.

Prints the figures and writes them to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline_src import archived_src  # bench/: this script's own folder

from storyline.corpus import Corpus
from storyline.sources.base import RawArticle
from storyline.sources.detect import expand, read_file

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "t17"
RESULTS = ROOT / "bench" / "results" / "ingest.json"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))
BAR_ARTICLES_PER_SECOND = 400

_WORKER = """
import json, sys, tempfile, time
from pathlib import Path
from storyline.ingest import Ingester
from storyline.settings import Config
from storyline.store.sqlite import SQLiteStore
with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "bench.db") as store:
    ingester = Ingester(store, Config())
    began, cpu = time.perf_counter(), time.process_time()
    report = ingester.run([sys.argv[1]])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - began
print(json.dumps({"accepted": report.accepted, "cpu_seconds": cpu, "seconds": wall}))
"""


def _ingest_child(corpus: Path, src: Path) -> dict[str, float]:
    """One ingest of ``corpus`` by the library under ``src``, in a child process."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER, str(corpus)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def scale_speed(n: int, baseline_rev: str, rounds: int = 2) -> dict[str, object]:
    """Articles per CPU second on ``n`` scale-corpus articles: ours and ``baseline_rev``."""
    sys.path.insert(0, str(ROOT / "bench"))
    import scale_corpus

    corpus = CACHE / f"scale-{n}.jsonl"
    if not corpus.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        scale_corpus.write(n, corpus)
    with tempfile.TemporaryDirectory() as tmp:
        old, complaint = archived_src(baseline_rev, tmp)
        ours: list[dict[str, float]] = []
        previous: list[dict[str, float]] = []
        loads: list[float] = []
        for _ in range(rounds):  # alternate, so that both meet the same machine load
            ours.append(_ingest_child(corpus, ROOT / "src"))
            loads.append(os.getloadavg()[0])
            if old is not None:
                previous.append(_ingest_child(corpus, old))
                loads.append(os.getloadavg()[0])

    def best(runs: list[dict[str, float]]) -> tuple[float, float]:
        cpu = max(r["accepted"] / r["cpu_seconds"] for r in runs)
        wall = max(r["accepted"] / r["seconds"] for r in runs)
        return round(cpu, 1), round(wall, 1)

    cpu_rate, wall_rate = best(ours)
    result: dict[str, object] = {
        "corpus": f"bench/scale_corpus.py {n} (seed 12), JSONL, into a fresh SQLite store",
        "articles": int(ours[0]["accepted"]),
        "articles_per_cpu_second": cpu_rate,
        "articles_per_second_wall": wall_rate,
        "bar_articles_per_second": BAR_ARTICLES_PER_SECOND,
        "bar_met_on_cpu_time": cpu_rate >= BAR_ARTICLES_PER_SECOND,
        "rounds": rounds,
        "load_average_1min_during": [round(x, 2) for x in loads],
    }
    line = f"scale ingest: {cpu_rate} articles per CPU second ({wall_rate}/s wall)"
    if previous:
        old_cpu, old_wall = best(previous)
        result["baseline_rev"] = baseline_rev
        result["baseline_articles_per_cpu_second"] = old_cpu
        result["baseline_articles_per_second_wall"] = old_wall
        result["speedup_vs_baseline_cpu"] = round(cpu_rate / old_cpu, 2)
        line += f"; {baseline_rev}: {old_cpu} ({result['speedup_vs_baseline_cpu']}x)"
    else:
        result["baseline_rev"] = f"{baseline_rev} (not found: {complaint!r})"
    print(line + f"; bar {BAR_ARTICLES_PER_SECOND}; load {result['load_average_1min_during']}")
    return result


def read_only_baseline() -> tuple[int, float]:
    start = time.perf_counter()
    count = 0
    for target in expand([str(DATA)]):
        if isinstance(target, Path):
            count += sum(isinstance(item, RawArticle) for item in read_file(target))
    return count, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale-articles", type=int, default=2000)
    parser.add_argument(
        "--baseline-rev",
        default="60cda06",
        help="git revision whose ingest is timed beside ours (default: before the speed work)",
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo)")
        return 0
    read_count, read_seconds = read_only_baseline()
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "bench.db") as corpus:
        start = time.perf_counter()
        first = corpus.ingest([str(DATA)])
        first_seconds = time.perf_counter() - start
        start = time.perf_counter()
        second = corpus.ingest([str(DATA)])
        second_seconds = time.perf_counter() - start
        stored = corpus.store.count_articles()
        by_source = corpus.stats()["by_date_source"]
    figures = {
        "data": "Timeline17, 5 topics (../shared/data/t17)",
        "files_read": read_count,
        "stored": stored,
        "accepted": first.accepted,
        "duplicates_first_run": first.duplicates,
        "near_duplicates": first.near_duplicates,
        "skipped": len(first.skipped),
        "by_date_source": by_source,
        "ingest_seconds": round(first_seconds, 2),
        "articles_per_second": round(first.accepted / first_seconds, 1),
        "second_run_accepted": second.accepted,
        "second_run_seconds": round(second_seconds, 2),
        "baseline_read_only_seconds": round(read_seconds, 2),
        "ratio_to_read_only_baseline": round(first_seconds / read_seconds, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "machine": f"{platform.processor() or platform.machine()}, python {sys.version.split()[0]}",
    }
    figures["scale"] = scale_speed(args.scale_articles, args.baseline_rev)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:>30}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
