"""The library of another revision, for benches that time this checkout against it in one run.

Why a module of its own: the tagging, ingest and timeline-refresh benches each compare with a
baseline revision extracted by ``git archive`` and run from a subprocess with ``PYTHONPATH``; one
copy of the extraction keeps them extracting alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def archived_src(revision: str, into: str | Path) -> tuple[Path | None, str]:
    """Extract ``src/storyline`` at ``revision`` under ``into``: (its ``src`` directory, "") or
    (None, git's complaint) when the revision cannot be archived (a shallow clone, a typo)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src/storyline"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        return None, archive.stderr.decode(errors="replace")[-200:]
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return Path(into) / "src", ""


def run_worker(src: Path, script: str, *args: str) -> Any:
    """Run ``script`` (Python source) in a child process importing storyline from ``src``, and
    return the JSON of the last line it prints: how a bench runs this checkout's code and a
    baseline's on the same input, each in a process of its own."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])
