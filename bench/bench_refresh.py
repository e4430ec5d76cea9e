"""Refreshing timelines after an incremental ingest (issue 12's +100 bar), ours against a baseline.

Usage::

    .venv/bin/python bench/bench_refresh.py [--store DB] [--extra JSONL]
        [--baseline DIR/src | --baseline-rev 277c4b2] [--rounds 2]

Given a built store with stories and stored timelines (default: the 20,000-article store that
``bench/bench_scale.py`` leaves in ``$STORYLINE_BENCH_CACHE``, ``scale-20000-built.db``) and 100
new articles for it (``scale-20000-plus100.jsonl`` beside it), each round copies the store
(SQLite's backup API; the original is never written) and, in a child process per code version:

- times ``Corpus(copy).ingest([extra])`` in the process after the store is open (reading,
  tagging, MinHash, story assignment, redating, refreshing the touched stories' timelines), wall
  and CPU seconds;
- times ``Corpus.timeline(story=...)`` of the largest story (CPU seconds, best of three).

The baseline is another checkout's ``src`` (``--baseline``) or a revision extracted with ``git
archive`` (``--baseline-rev``, as ``bench/bench_ingest.py`` does), run with
``PYTHONPATH=<its src>``. The two alternate, ``--rounds`` times each, so both meet the same
machine load; the ratios of the best runs are the figures (CPU seconds do not depend on what
else a shared machine runs). Skips with one line when the store is absent. Writes
``bench/results/refresh.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from baseline_src import archived_src  # bench/: this script's own folder

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "refresh.json"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))

_WORKER = r"""
import json, resource, sys, time
from storyline.corpus import Corpus

def cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime

db, extra, largest = sys.argv[1], sys.argv[2], sys.argv[3]
with Corpus(db) as corpus:
    runs = []
    for _ in range(3):
        c0 = cpu()
        corpus.timeline(story=largest)
        runs.append(cpu() - c0)
    start, c0 = time.perf_counter(), cpu()
    report = corpus.ingest([extra])
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - c0
import storyline
print(json.dumps({
    "code": storyline.__file__,
    "ingest_seconds": round(seconds, 2),
    "ingest_cpu_seconds": round(cpu_seconds, 2),
    "accepted": report.accepted,
    "largest_timeline_cpu_seconds": round(min(runs), 3),
}))
"""


def _copy(src: Path, dest: Path) -> None:
    """A consistent copy of a SQLite store (its WAL included), the original opened read-only."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    source.backup(target)
    source.close()
    target.close()


def _largest_story(db: Path) -> tuple[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        row = con.execute(
            "SELECT story_id, count(*) AS n FROM story_articles GROUP BY story_id"
            " ORDER BY n DESC, story_id LIMIT 1"
        ).fetchone()
    return str(row[0]), int(row[1])


def _child(db: Path, extra: Path, largest: str, src: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER, str(db), str(extra), largest],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child under {src} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _baseline_src(args: argparse.Namespace, tmp: str) -> Path | None:
    if args.baseline:
        return Path(args.baseline).resolve()
    src, complaint = archived_src(args.baseline_rev, tmp)
    if src is None:
        print(f"no baseline: cannot git archive {args.baseline_rev}: {complaint}", flush=True)
    return src


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", default=str(CACHE / "scale-20000-built.db"))
    parser.add_argument("--extra", default=None, help="The new articles (default: beside it).")
    parser.add_argument("--baseline", default=None, help="src/ of another checkout.")
    parser.add_argument("--baseline-rev", default="277c4b2", help="Else this revision's src.")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    store = Path(args.store)
    extra = Path(args.extra) if args.extra else store.with_name("scale-20000-plus100.jsonl")
    if not store.is_file() or not extra.is_file():
        print(f"skipped: {store} or {extra} is absent (bench/bench_scale.py --sizes 20000 builds)")
        return 0
    largest, size = _largest_story(store)
    out: dict[str, Any] = {
        "store": str(store),
        "extra": str(extra),
        "largest_story": {"id": largest, "articles": size},
        "load_average_at_start": os.getloadavg(),
    }
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "baseline": []}
    with tempfile.TemporaryDirectory() as tmp:
        old = _baseline_src(args, tmp)
        out["baseline"] = str(args.baseline or args.baseline_rev)
        for k in range(args.rounds):  # alternate, so that both meet the same machine load
            for name, src in (("baseline", old), ("ours", ROOT / "src")):
                if src is None:
                    continue
                work = Path(tmp) / f"{name}-{k}.db"
                _copy(store, work)
                runs[name].append(_child(work, extra, largest, src))
                print(f"  {name} {k}: {runs[name][-1]}", flush=True)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{work}{suffix}").unlink(missing_ok=True)
    out["load_average_at_end"] = os.getloadavg()
    out["runs"] = runs
    keys = ("ingest_seconds", "ingest_cpu_seconds", "largest_timeline_cpu_seconds")
    best = {n: {k: min(r[k] for r in rs) for k in keys} for n, rs in runs.items() if rs}
    out["best"] = best
    if "baseline" in best:
        out["ratio_baseline_over_ours"] = {
            k: round(best["baseline"][k] / max(best["ours"][k], 1e-9), 2) for k in keys
        }
    out["bar"] = {"plus100_seconds": 2.0, "met": best["ours"]["ingest_seconds"] < 2.0}
    out["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    for name, figures in best.items():
        print(f"{name}: {figures}")
    if "ratio_baseline_over_ours" in out:
        print(f"baseline / ours: {out['ratio_baseline_over_ours']}")
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
