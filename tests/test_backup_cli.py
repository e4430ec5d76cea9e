"""`storyline backup DEST`: the online backup of a store, through the real entry point."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import RunCli
from storyline.records import Article
from storyline.store import SQLiteStore


def test_backup_copies_the_store_and_refuses_to_overwrite(run_cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with SQLiteStore(db) as store:
        for n in range(3):
            store.add_article(Article(id=f"a{n}", text=f"text {n}", content_hash=f"h{n}"), [])
        reader = sqlite3.connect(db)  # a reader holding the WAL open while the backup runs
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM articles").fetchone()
        done = run_cli("backup", str(tmp_path / "copy.db"), "--db", str(db))
        reader.close()
    assert done.code == 0, done.err
    assert "3 articles" in done.err
    with SQLiteStore(tmp_path / "copy.db", read_only=True) as copy:
        assert [a.id for a in copy.articles()] == ["a0", "a1", "a2"]
    again = run_cli("backup", str(tmp_path / "copy.db"), "--db", str(db))
    assert again.code == 1 and "already exists" in again.err
    assert len(again.err.strip().splitlines()) == 1
    missing = run_cli("backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "nope.db"))
    assert missing.code == 1 and "no store at" in missing.err
