"""Ingest on Dask workers against a serial ingest, in the same run: articles/s, ratio, peak RSS.

Each mode runs in a child process of its own (``--mode serial`` or ``--mode local``), so the
parent can sample the resident memory of the child and everything it starts (the LocalCluster's
scheduler, nannies and worker processes) and report the peak of their sum. A child ingests
Timeline17's articles into a fresh SQLite store through the library's own path
(``Corpus.ingest``, as the CLI does) and times two parts:

- ``prepare + write``: reading, splitting, tagging, MinHash and the ordered writer, the part
  ``--dask`` spreads over the workers (the issue's ingest-rate bar);
- ``command``: the whole ``storyline ingest`` (with ``--dask local`` also the cluster's start
  and stop), including the story assignment, re-dating and timelines after it.

The bars (issue 12): ``--dask local`` ≥ 1.6× the serial articles/s, and all processes together
< 1 GB at their peak. On a 2-core machine shared with other jobs the ratio is bounded by the
cores actually free: the load average during the run is recorded beside the figures.

Prints the figures and writes bench/results/dask.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
RESULTS = Path(__file__).resolve().parent / "results" / "dask.json"
BAR_RATIO = 1.6
BAR_RSS_MB = 1024


def run_mode(mode: str, db: Path, data: Path = DATA) -> dict[str, Any]:
    """One ingest in this process (the child), through ``Corpus.ingest``: its parts' figures.

    The writer's end is the last progress call (made once a file's articles are stored); what
    follows it is the story assignment, re-dating and timelines.
    """
    from storyline.corpus import Corpus
    from storyline.parallel import DaskWorkers

    me = psutil.Process()

    def own_cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime

    def kids_cpu() -> float:
        """CPU seconds of this process's children (the workers) so far."""
        kids = 0.0
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                kids += sum(child.cpu_times()[:2])
        return kids

    start = time.perf_counter()
    workers = DaskWorkers("local") if mode == "local" else None
    started = time.perf_counter()
    written = started
    cpu_started = (own_cpu(), kids_cpu())
    cpu_written = cpu_started
    sampled = 0.0

    def progress(_: str) -> None:
        # the CPU at the writer's end: this process's at every call, the workers' at most every
        # 0.2 s (reading them costs ~1 ms); they are idle by the last file's progress, so the
        # last sample misses ~0.2 s of their CPU at most
        nonlocal written, cpu_written, sampled
        written = time.perf_counter()
        kids = cpu_written[1]
        if written - sampled >= 0.2:
            kids, sampled = kids_cpu(), written
        cpu_written = (own_cpu(), kids)

    with Corpus(db) as corpus:
        report = corpus.ingest([str(data)], progress=progress, workers=workers)
        stored = time.perf_counter()
    if workers is not None:
        workers.close()
    end = time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # nannies and their workers, reaped
    return {
        "driver_cpu_seconds": round(me.ru_utime + me.ru_stime, 2),
        "workers_cpu_seconds": round(kids.ru_utime + kids.ru_stime, 2),
        "accepted": report.accepted,
        "duplicates": report.duplicates,
        "near_duplicates": report.near_duplicates,
        "workers": workers.workers if workers is not None else 1,
        "cluster_start_seconds": round(started - start, 2),
        "prepare_write_seconds": round(written - started, 2),
        "stories_timelines_seconds": round(stored - written, 2),
        "command_seconds": round(end - start, 2),
        "prepare_write_driver_cpu_seconds": round(cpu_written[0] - cpu_started[0], 2),
        "prepare_write_workers_cpu_seconds": round(cpu_written[1] - cpu_started[1], 2),
    }


def tree_rss(root: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants, now."""
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue  # ended between listing and reading
    return total


def measure(mode: str, data: Path = DATA) -> dict[str, Any]:
    """Run one mode in a child process; its figures and the peak RSS of its process tree."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / f"{mode}.db"
        child = subprocess.Popen(
            [sys.executable, __file__, "--mode", mode, "--db", str(db), "--input", str(data)],
            stdout=subprocess.PIPE,
            text=True,
        )
        proc = psutil.Process(child.pid)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                with contextlib.suppress(psutil.Error):
                    peak = max(peak, tree_rss(proc))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, _ = child.communicate()
        done.set()
        sampler.join()
        if child.returncode != 0:
            raise SystemExit(f"{mode} run failed with status {child.returncode}")
        figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        figures["peak_rss_mb_all_processes"] = round(peak / 2**20)
        return figures


def rate(figures: dict[str, Any], key: str) -> float:
    return round(figures["accepted"] / figures[key], 1)


def _autogroup() -> bool:
    """Whether the kernel shares CPU per session rather than per process."""
    flag = Path("/proc/sys/kernel/sched_autogroup_enabled")
    return flag.is_file() and flag.read_text().strip() == "1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["serial", "local"])
    parser.add_argument("--db", type=Path)
    parser.add_argument(
        "--input",
        type=Path,
        default=DATA,
        help="What to ingest (default: Timeline17). Another input's figures go under "
        "'other_inputs' in the results, beside the Timeline17 ones.",
    )
    args = parser.parse_args()
    if args.mode:  # the child
        print(json.dumps(run_mode(args.mode, args.db, args.input)))
        return 0
    if not args.input.exists():
        print(f"skipped: {args.input} is absent (evaluation data lives beside the repo)")
        return 0
    load_before = os.getloadavg()[0]
    serial = measure("serial", args.input)
    local = measure("local", args.input)
    load_after = os.getloadavg()[0]
    if serial["accepted"] != local["accepted"]:
        raise SystemExit(f"the runs disagree: {serial} vs {local}")
    for run in (serial, local):
        run["prepare_write_articles_per_second"] = rate(run, "prepare_write_seconds")
        run["command_articles_per_second"] = rate(run, "command_seconds")
    key = "prepare_write_articles_per_second"
    ratio = round(local[key] / serial[key], 2)
    key = "command_articles_per_second"
    command_ratio = round(local[key] / serial[key], 2)
    peak = int(local["peak_rss_mb_all_processes"])
    # What two free cores would give: the driver's CPU is one process's, the rest spreads.
    cores = os.cpu_count() or 1
    busy = local["driver_cpu_seconds"] + local["workers_cpu_seconds"]
    free_wall = max(local["driver_cpu_seconds"], busy / cores)
    serial_cpu = serial["driver_cpu_seconds"] + serial["workers_cpu_seconds"]
    estimate = round(serial_cpu / free_wall, 2)
    # the same for the part --dask spreads (prepare + write, after the cluster started)
    pw_driver = local["prepare_write_driver_cpu_seconds"]
    pw_busy = pw_driver + local["prepare_write_workers_cpu_seconds"]
    pw_serial = serial["prepare_write_driver_cpu_seconds"]
    pw_estimate = round(pw_serial / max(pw_driver, pw_busy / cores), 2)
    figures: dict[str, Any] = {
        "data": "Timeline17, all topics (../shared/data/t17), ingested into a fresh SQLite store"
        if args.input == DATA
        else f"{args.input}, ingested into a fresh SQLite store",
        "serial": serial,
        "dask_local": local,
        "ratio_prepare_write": ratio,
        "ratio_whole_command": command_ratio,
        "bar_ratio": BAR_RATIO,
        "ratio_bar_met": ratio >= BAR_RATIO,
        "peak_rss_mb_dask_local_all_processes": peak,
        "bar_rss_mb": BAR_RSS_MB,
        "rss_bar_met": peak < BAR_RSS_MB,
        "ratio_whole_command_on_free_cores_estimate": estimate,
        "ratio_prepare_write_on_free_cores_estimate": pw_estimate,
        "ratio_prepare_write_estimate_bar_met": pw_estimate >= BAR_RATIO,
        "estimate_means": "serial CPU seconds / max(driver CPU, all CPU / cores) of the --dask "
        "run (the whole command, or the prepare+write part after the cluster started, its CPU "
        "read at the writer's last progress call): the ratio two idle cores would give, from "
        "CPU time, which other jobs on the "
        "machine do not inflate; wall-clock figures on a loaded machine with autogroup "
        "scheduling (each session gets a share, however many processes it runs) cannot show it",
        "sched_autogroup": _autogroup(),
        "cores": os.cpu_count(),
        "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
        "machine": f"{platform.processor() or platform.machine()}, python {sys.version.split()[0]}",
        "command": ".venv/bin/python bench/bench_dask.py"
        + ("" if args.input == DATA else f" --input {args.input}"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if args.input == DATA:
        kept = json.loads(RESULTS.read_text()).get("other_inputs") if RESULTS.is_file() else None
        RESULTS.write_text(json.dumps({**figures, "other_inputs": kept or {}}, indent=2) + "\n")
    else:
        results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
        results.setdefault("other_inputs", {})[args.input.name] = figures
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    for mode in ("serial", "dask_local"):
        f = figures[mode]
        print(
            f"{mode:>10}: {f['accepted']} articles · prepare+write "
            f"{f['prepare_write_articles_per_second']} articles/s · whole command "
            f"{f['command_articles_per_second']} articles/s · peak RSS "
            f"{f['peak_rss_mb_all_processes']} MB"
        )
    met = "met" if ratio >= BAR_RATIO else "NOT met"
    print(
        f"ratio (prepare+write) {ratio}× (bar ≥ {BAR_RATIO}×: {met}) · "
        f"whole command {command_ratio}× · peak RSS with --dask local {peak} MB "
        f"(bar < {BAR_RSS_MB} MB: {'met' if peak < BAR_RSS_MB else 'NOT met'}) · "
        f"load average {figures['load_average_before_after']} on {os.cpu_count()} cores"
    )
    print(
        f"CPU: serial {serial_cpu:.1f} s; --dask local driver {local['driver_cpu_seconds']} s + "
        f"workers {local['workers_cpu_seconds']} s → on {cores} free cores ≈ {estimate}× "
        "(whole command, estimate)"
    )
    print(
        f"CPU of prepare+write: serial {pw_serial:.1f} s; --dask local driver {pw_driver} s + "
        f"workers {local['prepare_write_workers_cpu_seconds']} s → on {cores} free cores ≈ "
        f"{pw_estimate}× (estimate; bar {BAR_RATIO}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
