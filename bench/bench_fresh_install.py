"""The README's install without make, on a fresh venv: does ``pip install .`` give a storyline
that ingests examples/raa cleanly?

Why a bench and not a test: it builds a venv and downloads or reads every dependency (minutes,
network-bound). Why the pip that ships with Python (never upgraded): that is what a user has
after ``python3 -m venv .venv``; a missing dependency declaration (a package the code imports
but pyproject.toml does not list) shows up here and nowhere else, since the dev venv may hold it.

Steps, in a temporary folder: copy the repository's tracked files (so no build/ or egg-info is
left in the checkout), ``$PYTHON -m venv`` (default python3), ``.venv/bin/pip install .``, then
``.venv/bin/storyline ingest examples/raa --json`` and ``stats``. Prints the result and writes
bench/results/fresh_install.json; exits 1 when a step fails or the ingest reports a problem.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "fresh_install.json"


def step(name: str, args: list[str], cwd: Path, steps: list[dict[str, Any]]) -> str | None:
    """Run one step; record its exit code, seconds and (on failure) the end of its output."""
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    seconds = round(time.perf_counter() - start, 1)
    record: dict[str, Any] = {"step": name, "code": proc.returncode, "seconds": seconds}
    if proc.returncode != 0 or "Traceback" in proc.stderr:
        record["error"] = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
    steps.append(record)
    print(f"{name:<12} exit {proc.returncode} in {seconds} s")
    return proc.stdout if "error" not in record else None


def main() -> int:
    python = os.environ.get("PYTHON", "python3")
    steps: list[dict[str, Any]] = []
    report: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        repo = tmp / "storyline"
        tracked = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
        for name in filter(None, tracked.split("\0")):
            source = ROOT / name
            if source.is_file():
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, repo / name)
        bin_dir = repo / ".venv" / "bin"
        ok = step("venv", [python, "-m", "venv", ".venv"], repo, steps) is not None
        pip = subprocess.run(
            [str(bin_dir / "pip"), "--version"], capture_output=True, text=True
        ).stdout.split(" from ")[0]
        ok = ok and step("pip install", [str(bin_dir / "pip"), "install", "."], repo, steps)
        out = None
        if ok:
            out = step(
                "ingest",
                [str(bin_dir / "storyline"), "ingest", "examples/raa", "--db", "x.db", "--json"],
                repo,
                steps,
            )
        if out is not None:
            report = json.loads(out)
            step("stats", [str(bin_dir / "storyline"), "stats", "--db", "x.db"], repo, steps)
    # every article file read, no warning; a file that is not an article (the folder's README.md)
    # may be reported as such, since saying so is what a user is owed
    articles = [p for p in (ROOT / "examples" / "raa").iterdir() if p.suffix != ".md"]
    clean = (
        report is not None
        and all("error" not in s for s in steps)
        and all("unsupported file type" in s["reason"] for s in report["skipped"])
        and not report["warnings"]
        and report["accepted"] >= len(articles)  # each file holds one article or more
    )
    figures = {
        "python": f"{python} ({platform.python_version()} here)",
        "pip": pip,
        "steps": steps,
        "ingest_report": report,
        "clean": clean,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    if report is not None:
        print(
            f"ingest: accepted {report['accepted']}, skipped {len(report['skipped'])}, "
            f"warnings {len(report['warnings'])}"
        )
        for problem in report["skipped"] + report["warnings"]:
            print(f"  {problem}")
    for s in steps:
        for line in s.get("error", []):
            print(f"  {s['step']}: {line}")
    print(("clean" if clean else "NOT clean") + f"; written to {RESULTS.relative_to(ROOT)}")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
