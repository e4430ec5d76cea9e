"""The CLI under faults, as a user meets them: piped output, mistyped stores, a busy store,
hostile search strings. Every failure is one line on stderr and exit 1, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES, RunCli, hold_write_lock
from storyline.corpus import Corpus
from storyline.store import SQLiteStore

READERS = [
    ("articles",),
    ("stories",),
    ("timeline",),
    ("show", "a0"),
    ("stats",),
    ("build-stories",),
    ("serve", "--port", "0"),
]


@pytest.fixture(scope="module")
def raa_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/raa in a store, shared by the tests below (each reads its own baseline)."""
    db = tmp_path_factory.mktemp("raa") / "raa.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(EXAMPLES)])
    return db


def test_piped_messages_are_one_line_each(run_cli: RunCli, tmp_path: Path) -> None:
    """`storyline ingest DIR | grep …`: no message is wrapped at 80 columns."""
    folder = tmp_path / "a-folder-with-a-rather-long-name-so-that-the-paths-exceed-eighty-columns"
    folder.mkdir()
    (folder / "empty-article-with-a-long-file-name-that-is-skipped.txt").write_text("x\n")
    (folder / "one.txt").write_text(
        "date 2021-05-03\nThe ministers met in Canberra on Monday and agreed to meet again "
        "in Tokyo before the end of the year, officials said after the talks had ended.\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    db = tmp_path / "s.db"
    result = run_cli("ingest", str(folder), "--db", str(db), env=env)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("accepted 1 (new, stored)") and lines[0].endswith("warnings 0")
    assert len(lines[0]) > 80  # long enough that wrapping would have split it
    skipped = [line for line in lines if line.startswith("skipped ")]
    assert len(skipped) == 1 and skipped[0].endswith(": no article text")
    assert len(lines) == 2
    article_id = run_cli("articles", "--db", str(db), "--json").json()[0]["id"]  # type: ignore[index]
    shown = run_cli("show", article_id, "--db", str(db), env=env).out.splitlines()
    assert any(
        line.endswith("after the talks had ended.") and "The ministers" in line for line in shown
    )
    missing = run_cli("articles", "--db", str(folder / "x" / ("long-name-" * 8 + ".db")), env=env)
    assert missing.code == 1 and len(missing.err.splitlines()) == 1


@pytest.mark.parametrize("command", READERS, ids=[c[0] for c in READERS])
def test_readers_never_create_a_store(
    run_cli: RunCli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = run_cli(*command, "--db", "nostore.db")
    assert result.code == 1
    assert result.err.strip() == "error: no store at nostore.db (create one with storyline ingest)"
    assert "Traceback" not in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_busy_store_is_one_line_and_loses_nothing(
    run_cli: RunCli, raa_store: Path, tmp_path: Path
) -> None:
    """A second process holds the write lock longer than the busy timeout (10 s by default)."""
    (tmp_path / "new.txt").write_text("date 2021-06-01\nA new report on the access agreement.\n")
    before = run_cli("stats", "--db", str(raa_store), "--json").json()
    with hold_write_lock(raa_store):
        result = run_cli("ingest", str(tmp_path / "new.txt"), "--db", str(raa_store))
        # reading while the other process writes works
        assert run_cli("stats", "--db", str(raa_store), "--json").json() == before
    assert result.code == 1
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
    assert "the store is busy: another storyline process is writing" in result.err
    after = run_cli("ingest", str(tmp_path / "new.txt"), "--db", str(raa_store), "--json")
    assert after.code == 0 and after.json()["accepted"] == 1  # type: ignore[index]
    assert run_cli("stats", "--db", str(raa_store), "--json").json()["articles"] == (  # type: ignore[index]
        before["articles"] + 1  # type: ignore[index]
    )


def test_hostile_queries_through_the_cli(run_cli: RunCli, raa_store: Path) -> None:
    """FTS syntax is searched as words, never an error; ``_`` and ``%`` are literal characters.

    (Every FTS operator is covered in tests/test_store_faults.py; here the shell's path.)"""
    db = str(raa_store)
    with SQLiteStore(raa_store, read_only=True) as store:
        stored = store.count_articles()
    assert stored > 2
    assert run_cli("articles", "--query", "_", "--db", db, "--json").json() == []
    assert run_cli("articles", "--query", "%", "--db", db, "--json").json() == []
    for command in (("articles", "--json"), ("timeline", "--format", "json")):
        for query in ['"NEAR(', "'; DROP TABLE articles; --"]:
            result = run_cli(*command, "--query", query, "--db", db)
            assert result.code == 0, (query, result.err)
            assert "Traceback" not in result.err
    with SQLiteStore(raa_store, read_only=True) as store:
        assert store.count_articles() == stored


def test_a_piped_terminal_timeline_gives_each_sentence_one_line(
    run_cli: RunCli, raa_store: Path
) -> None:
    """`storyline timeline | grep …` finds a sentence whole: no wrap when output is piped."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    piped = run_cli("timeline", "--db", str(raa_store), env=env)
    assert piped.code == 0, piped.err
    chosen = run_cli("timeline", "--db", str(raa_store), "--format", "json").json()
    assert isinstance(chosen, dict)
    lines = piped.out.splitlines()
    texts = [" ".join(c["text"].split()) for e in chosen["entries"] for c in e["sentences"]]
    assert texts and any(len(t) > 80 for t in texts)
    for text in texts:
        assert any(line.strip() == f"• {text}" for line in lines), text
