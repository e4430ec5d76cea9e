"""Shared fixtures: a fresh store, the CLI run as a user runs it, the shared evaluation data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples" / "raa"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip with a reason on a user's fresh clone."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is absent (evaluation data lives beside the repo, not in it)")
    return data


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent (the user's two seed articles live beside the repo)")
    return SEEDS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh SQLite store in a temporary folder."""
    return tmp_path / "store.db"


class CliResult:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self) -> object:
        return json.loads(self.out)


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run ``storyline …`` through its real entry point, as a user would (a subprocess)."""

    def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> CliResult:
        env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
        proc = subprocess.run(
            [sys.executable, "-m", "storyline", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env=env,
            timeout=600,
        )
        return CliResult(proc)

    return run
