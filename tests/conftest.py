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
SHARED_ROOT_ENV = "STORYLINE_SHARED_ROOT"
SHARED = Path(os.environ.get(SHARED_ROOT_ENV) or REPO.parent / "shared")
"""The evaluation data beside the repo (``../shared``), or wherever STORYLINE_SHARED_ROOT says.

Why configurable: CI runs the suite a second time with STORYLINE_SHARED_ROOT pointing at an empty
folder, proving a fresh clone (no ../shared) passes with the shared-data tests skipped. Every test
that reads shared data goes through :data:`SHARED` (or the fixtures below), never ``../shared``.
"""
SEEDS = SHARED / "seeds"
SHARED_DATA = SHARED / "data"
EXAMPLES = REPO / "examples" / "raa"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip with a reason on a user's fresh clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (evaluation data lives beside the repo, not in it)")
    return SHARED_DATA


@pytest.fixture
def seeds() -> Path:
    """``../shared/seeds``: the user's seed articles; skips with a reason where absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent (the user's seed articles live beside the repo, not in it)")
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
