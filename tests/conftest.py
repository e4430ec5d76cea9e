"""Shared fixtures: a fresh store, the CLI run as a user runs it, the shared evaluation data."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


PROSE_WORDS = [
    "harbour",
    "board",
    "channel",
    "winter",
    "ferry",
    "council",
    "bridge",
    "river",
    "engineers",
    "budget",
    "tender",
    "contract",
    "minister",
    "port",
    "cargo",
    "vessel",
    "crew",
    "storm",
    "repairs",
    "pier",
    "tide",
    "mayor",
    "vote",
    "survey",
    "residents",
]


def unique_text(rng: random.Random, sentences: int = 4) -> str:
    """Distinct prose, so articles are neither duplicates nor near-duplicates of each other."""
    return " ".join(
        " ".join(rng.choice(PROSE_WORDS) for _ in range(12)).capitalize() + "."
        for _ in range(sentences)
    )


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

    def run(
        *args: str,
        stdin: str | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> CliResult:
        """``env`` replaces the defaults (wide, no colour) for tests of the output's shape."""
        if env is None:
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


_HOLD_WRITE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")  # the one write lock of a WAL store
print("held", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


@contextmanager
def hold_write_lock(db: Path, release_after: float | None = None) -> Iterator[None]:
    """Another real process holds the store's write transaction until the block ends (or for
    ``release_after`` seconds): what a second storyline writer meets."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    stdin = proc.stdin
    timer = threading.Timer(release_after, stdin.close) if release_after is not None else None
    if timer is not None:
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        if not stdin.closed:
            stdin.close()
        proc.wait(timeout=30)


def one_story_label(run_cli: RunCli, records: list[dict[str, str]], folder: Path, db: Path) -> str:
    """Ingest news-please ``records`` through the CLI and return the label of the one story they
    form (asserting they form one): what the label tests read."""
    path = folder / "records.json"
    path.write_text(json.dumps(records))
    assert run_cli("ingest", str(path), "--db", str(db)).code == 0
    stories = run_cli("stories", "--db", str(db), "--json").json()
    stories = stories["stories"] if isinstance(stories, dict) else stories  # type: ignore[index]
    assert isinstance(stories, list) and len(stories) == 1, stories
    return str(stories[0]["label"])
