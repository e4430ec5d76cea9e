"""Crash safety: ``kill -9`` at random (seeded) moments of ``storyline ingest`` and
``storyline build-stories``, 20 times, on a real corpus.

Each time the store must pass ``PRAGMA integrity_check``, a re-run of the killed command must
complete, and the final store must equal an uninterrupted run's: the same article ids and the
same stories (as sets of article ids). Published dates are compared too (reported).

Corpus: examples/raa plus, when present, one Timeline17 topic (H1N1_bbc, ~120 articles) from
``$STORYLINE_SHARED_ROOT/data/t17`` (default ../shared); without it the shared part is skipped
with a printed reason. Kill moments are drawn uniformly from the part of an uninterrupted run
after interpreter start-up (measured), so they land while the command reads and writes; a run
that finished before its kill is repeated with an earlier moment (up to 4 draws).
Prints the figures and writes bench/results/crash.json.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED_ROOT") or ROOT.parent / "shared")
TOPIC = SHARED / "data" / "t17" / "H1N1_bbc" / "InputDocs"
EXAMPLES = ROOT / "examples" / "raa"
RESULTS = ROOT / "bench" / "results" / "crash.json"
KILLS = {"ingest": 10, "build-stories": 10}
SEED = 20261130


def storyline(*args: str) -> list[str]:
    return [sys.executable, "-m", "storyline", *args]


def run(*args: str) -> float:
    """Run a command to completion (it must succeed); returns its wall seconds."""
    start = time.perf_counter()
    proc = subprocess.run(storyline(*args), capture_output=True, text=True)
    if proc.returncode != 0 or "Traceback" in proc.stderr:
        raise SystemExit(f"storyline {' '.join(args)} failed:\n{proc.stderr}")
    return time.perf_counter() - start


def snapshot(db: Path) -> dict[str, Any]:
    """What must survive a crash: article ids, story memberships, dates."""
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ids = sorted(r[0] for r in con.execute("SELECT id FROM articles"))
        members: dict[str, set[str]] = {}
        for story, article in con.execute("SELECT story_id, article_id FROM story_articles"):
            members.setdefault(story, set()).add(article)
        dates = dict(con.execute("SELECT id, published FROM articles").fetchall())
    finally:
        con.close()
    return {
        "ids": ids,
        "stories": sorted(sorted(m) for m in members.values()),
        "dates": dates,
    }


def integrity(db: Path) -> tuple[str, int | None]:
    """``PRAGMA integrity_check`` and the article count (None: no store was created yet)."""
    if not db.exists():
        return "ok (no store yet)", None
    con = sqlite3.connect(db)  # writable: a killed writer's WAL is recovered on open
    try:
        verdict = "; ".join(r[0] for r in con.execute("PRAGMA integrity_check"))
        try:
            count = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.OperationalError:
            count = None  # killed before the schema was committed
    finally:
        con.close()
    return verdict, count


def kill_at(args: list[str], after: float) -> bool:
    """Start the command, SIGKILL it ``after`` seconds; False when it had already finished."""
    proc = subprocess.Popen(storyline(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def startup_seconds() -> float:
    """Interpreter and import time of a command that does nothing (kills before it test little)."""
    return min(run("settings", "--json") for _ in range(2))


def main() -> int:
    inputs = [str(EXAMPLES)]
    data = "examples/raa"
    if TOPIC.is_dir():
        inputs.append(str(TOPIC))
        data += " + Timeline17 H1N1_bbc (InputDocs)"
    else:
        print(f"shared part skipped: {TOPIC} is absent (evaluation data lives beside the repo)")
    rng = random.Random(SEED)
    trials: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        reference = tmp / "reference.db"
        ingested = tmp / "ingested.db"
        startup = startup_seconds()
        ingest_seconds = run("ingest", *inputs, "--db", str(reference), "--quiet")
        shutil.copy(reference, ingested)  # closed cleanly: the WAL is checkpointed into it
        build_seconds = run("build-stories", "--db", str(reference))
        expected = snapshot(reference)
        print(
            f"{data}: {len(expected['ids'])} articles, {len(expected['stories'])} stories; "
            f"start-up {startup:.1f} s, ingest {ingest_seconds:.1f} s, "
            f"build-stories {build_seconds:.1f} s"
        )
        for command, count in KILLS.items():
            full = ingest_seconds if command == "ingest" else build_seconds
            for n in range(count):
                db = tmp / f"{command}-{n}.db"
                args = (
                    ["ingest", *inputs, "--db", str(db), "--quiet"]
                    if command == "ingest"
                    else ["build-stories", "--db", str(db)]
                )
                bound = max(startup, full) * 0.97
                for _attempt in range(4):  # a run faster than the reference: draw again, earlier
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
                    if command == "build-stories":
                        shutil.copy(ingested, db)
                    after = rng.uniform(startup, bound)
                    killed = kill_at(args, after)
                    if killed:
                        break
                    bound = after
                verdict, stored_at_kill = integrity(db)
                rerun = run(*args)
                if command == "ingest":
                    run("build-stories", "--db", str(db))
                got = snapshot(db)
                trial = {
                    "command": command,
                    "kill_after_seconds": round(after, 2),
                    "killed": killed,
                    "articles_at_kill": stored_at_kill,
                    "integrity": verdict,
                    "rerun_seconds": round(rerun, 2),
                    "same_ids": got["ids"] == expected["ids"],
                    "same_stories": got["stories"] == expected["stories"],
                    "same_dates": got["dates"] == expected["dates"],
                }
                trials.append(trial)
                print(
                    f"{command:<13} kill at {after:5.2f} s"
                    + ("" if killed else " (had finished)")
                    + f" · articles then {stored_at_kill} · integrity {verdict} · "
                    f"ids {'=' if trial['same_ids'] else '≠'} · stories "
                    f"{'=' if trial['same_stories'] else '≠'} · dates "
                    f"{'=' if trial['same_dates'] else '≠'}"
                )
    ok = [
        t for t in trials if t["integrity"].startswith("ok") and t["same_ids"] and t["same_stories"]
    ]
    figures = {
        "data": data,
        "articles": len(expected["ids"]),
        "stories": len(expected["stories"]),
        "seed": SEED,
        "startup_seconds": round(startup, 2),
        "uninterrupted_ingest_seconds": round(ingest_seconds, 2),
        "uninterrupted_build_stories_seconds": round(build_seconds, 2),
        "kills": sum(t["killed"] for t in trials),
        "trials": len(trials),
        "trials_ok": len(ok),
        "dates_equal": sum(t["same_dates"] for t in trials),
        "trials_detail": trials,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(
        f"{figures['kills']} kills in {len(trials)} trials: integrity ok, re-run complete and "
        f"store equal to the uninterrupted run in {len(ok)}; dates equal in "
        f"{figures['dates_equal']}. Written to {RESULTS.relative_to(ROOT)}"
    )
    return 0 if len(ok) == len(trials) else 1


if __name__ == "__main__":
    sys.exit(main())
