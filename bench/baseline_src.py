"""The library of another revision, for benches that time this checkout against it in one run.

Why a module of its own: the tagging, ingest and timeline-refresh benches each compare with a
baseline revision extracted by ``git archive`` and run from a subprocess with ``PYTHONPATH``; one
copy of the extraction keeps them extracting alike.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

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
