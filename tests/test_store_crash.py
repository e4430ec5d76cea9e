"""Crash safety, fast variant of bench/bench_crash.py: ``kill -9`` a real ``storyline ingest``
while it writes examples/raa, and a real ``storyline build-stories`` at a seeded random moment.

After each kill the store passes ``PRAGMA integrity_check``, a re-run completes, and the final
store equals an uninterrupted run's (article ids, stories as sets of article ids).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXAMPLES, RunCli


def _snapshot(db: Path) -> tuple[list[str], list[list[str]]]:
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ids = sorted(r[0] for r in con.execute("SELECT id FROM articles"))
        members: dict[str, list[str]] = {}
        for story, article in con.execute("SELECT story_id, article_id FROM story_articles"):
            members.setdefault(story, []).append(article)
    finally:
        con.close()
    return ids, sorted(sorted(m) for m in members.values())


def _integrity(db: Path) -> str:
    con = sqlite3.connect(db)  # writable: the killed writer's WAL is recovered on open
    try:
        return "; ".join(r[0] for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def _stored(db: Path) -> int:
    """Articles a concurrent reader sees now (0 while the store is still being created)."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL; False when the command had already finished (the kill came too late)."""
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def test_kill_9_during_ingest_and_build_stories_loses_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    rng = random.Random(9)
    reference, ingested = tmp_path / "reference.db", tmp_path / "ingested.db"
    assert run_cli("ingest", str(EXAMPLES), "--db", str(reference), "--quiet").code == 0
    shutil.copy(reference, ingested)
    started = time.monotonic()
    assert run_cli("build-stories", "--db", str(reference)).code == 0
    build_seconds = time.monotonic() - started
    expected = _snapshot(reference)
    assert len(expected[0]) > 10 and expected[1]

    # ingest: killed once some (not all) articles are stored, plus a seeded random delay
    db = tmp_path / "ingest.db"
    proc = _start("ingest", str(EXAMPLES), "--db", str(db), "--quiet")
    while proc.poll() is None and _stored(db) == 0:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.2))
    at_kill = _stored(db)
    killed = _kill(proc)
    assert _integrity(db) == "ok"
    assert run_cli("ingest", str(EXAMPLES), "--db", str(db), "--quiet").code == 0
    assert run_cli("build-stories", "--db", str(db)).code == 0
    assert _snapshot(db) == expected, (killed, at_kill)

    # build-stories: killed at a seeded random moment of an uninterrupted run's duration
    db = tmp_path / "stories.db"
    shutil.copy(ingested, db)
    proc = _start("build-stories", "--db", str(db))
    time.sleep(rng.uniform(0.5, 1.0) * build_seconds)
    _kill(proc)
    assert _integrity(db) == "ok"
    assert run_cli("build-stories", "--db", str(db)).code == 0
    assert _snapshot(db) == expected
