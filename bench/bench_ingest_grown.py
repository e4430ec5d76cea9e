"""Ingest into a store that is already large: this checkout's code against a baseline's.

Usage::

    .venv/bin/python bench/bench_ingest_grown.py --store BIG.db --corpus NEW.jsonl \
        [--baseline REV] [--rounds 2] [--key NAME]

Why a bench of its own: the rate of ``bench_ingest.py`` is measured into a fresh store, but a
user's store grows, and at 100,000 articles the same 3,000 articles took a quarter more CPU
(every index they enter is larger). This copies ``--store`` once per run, brings it to the
form each code keeps (its near-duplicate keys rebuilt when their layout differs; that rebuild
is timed apart, as a one-off an existing store pays once), then times ``Ingester.run`` over
``--corpus`` in a child process, alternating ours and the baseline's so both meet the same
machine load. Figures: articles per CPU second (best and median of the rounds), their ratios, and the size
of the near-duplicate index each code leaves. Written under ``--key`` in
``bench/results/scale.json``.

Without arguments it uses the 100k store ``bench_scale.py --sizes 100000 --prepare`` leaves in
the bench cache (skipped, saying so, when it is absent) and 3,000 scale records of seed 99
(another seed than the store's, so none is a duplicate; made on first use), and compares with
c159dd5, the code before near-duplicate keys became 8-byte digests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "scale.json"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))
sys.path.insert(0, str(ROOT / "bench"))

from baseline_src import archived_src, run_worker  # noqa: E402

_WORKER = """
import json, sqlite3, sys, time
from storyline.ingest import Ingester
from storyline.settings import Config
from storyline.store import open_store
with open_store(sys.argv[1]) as store:
    ingester = Ingester(store, Config())
    began = time.process_time()
    ingester.near_index.ensure()  # a store of another key layout is rebuilt here, once
    rebuild = time.process_time() - began
    began, wall = time.process_time(), time.perf_counter()
    report = ingester.run([sys.argv[2]])
    cpu, wall = time.process_time() - began, time.perf_counter() - wall
db = sqlite3.connect(sys.argv[1])
sizes = dict(db.execute(
    "SELECT name, sum(pgsize) FROM dbstat WHERE name IN ('lsh_buckets', 'lsh_buckets_key')"
    " GROUP BY name"
))
print(json.dumps({"accepted": report.accepted, "cpu_seconds": cpu, "seconds": wall,
                  "rebuild_cpu_seconds": rebuild, "index_bytes": sum(sizes.values())}))
"""


def _run(src: Path, store: Path, corpus: Path, work: Path) -> dict[str, float]:
    """One timed ingest of ``corpus`` into a fresh copy of ``store`` by the code in ``src``."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(store, work)
    return dict(run_worker(src, _WORKER, str(work), str(corpus)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store",
        type=Path,
        default=CACHE / "scale-100000.db",
        help="a large SQLite store (default: bench_scale.py's 100k, ingested)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CACHE / "scale-3000-seed99.jsonl",
        help="new articles, JSONL (default: 3,000 scale records of seed 99, made if absent)",
    )
    parser.add_argument(
        "--baseline",
        default="c159dd5",
        help="git revision to compare with (default: the code before 8-byte LSH keys)",
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--key", default="ingest_grown", help="key in bench/results/scale.json")
    args = parser.parse_args()
    if not args.store.is_file():
        print(f"skipped: {args.store} is absent (bench/bench_scale.py --sizes 100000 --prepare)")
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    if not args.corpus.is_file():
        import scale_corpus

        scale_corpus.write(3000, args.corpus, seed=99)
    work = CACHE / "grown-work.db"
    out: dict[str, Any] = {
        "store": str(args.store),
        "corpus": str(args.corpus),
        "baseline_rev": args.baseline,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "baseline": []}
    with tempfile.TemporaryDirectory() as tmp:
        old, complaint = archived_src(args.baseline, tmp)
        if old is None:
            raise SystemExit(f"baseline {args.baseline}: {complaint}")
        for k in range(args.rounds):
            for name, src in (("ours", ROOT / "src"), ("baseline", old)):
                found = _run(src, args.store, args.corpus, work)
                runs[name].append(found)
                rate = found["accepted"] / found["cpu_seconds"]
                print(f"round {k} {name}: {rate:.1f} articles per CPU second", flush=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    for name, found in runs.items():
        out[name] = {
            "articles": int(found[0]["accepted"]),
            "articles_per_cpu_second": round(
                max(r["accepted"] / r["cpu_seconds"] for r in found), 1
            ),
            "median_articles_per_cpu_second": round(
                statistics.median(r["accepted"] / r["cpu_seconds"] for r in found), 1
            ),
            "rebuild_cpu_seconds": round(found[0]["rebuild_cpu_seconds"], 2),
            "near_duplicate_index_mb": round(found[0]["index_bytes"] / 2**20, 1),
            "runs_cpu_seconds": [round(r["cpu_seconds"], 2) for r in found],
        }
    ratio = out["ours"]["articles_per_cpu_second"] / out["baseline"]["articles_per_cpu_second"]
    out["speedup_vs_baseline_cpu"] = round(ratio, 3)  # best run against best run
    out["median_speedup_vs_baseline_cpu"] = round(
        out["ours"]["median_articles_per_cpu_second"]
        / out["baseline"]["median_articles_per_cpu_second"],
        3,
    )
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(
        f"ours {out['ours']['articles_per_cpu_second']} vs {args.baseline} "
        f"{out['baseline']['articles_per_cpu_second']} articles per CPU second ({ratio:.3f}x best,"
        f" {out['median_speedup_vs_baseline_cpu']:.3f}x median);"
        f" near-duplicate index {out['ours']['near_duplicate_index_mb']} MB vs"
        f" {out['baseline']['near_duplicate_index_mb']} MB"
    )
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results[args.key] = out
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
