"""What is SQLite's own in the SQLite store: a WAL file, its migrations, upgrading an old file.

The contract every engine keeps (dedupe by hash, search, read-only safety, stories replaced as a
whole ...) is checked on SQLite and PostgreSQL alike in tests/test_store_contract.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storyline.records import Article
from storyline.store import SQLiteStore
from storyline.store.migrations import MIGRATIONS


def test_store_file_is_wal_with_migrations_and_foreign_keys(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [r[0] for r in con.execute("SELECT id FROM migrations ORDER BY id")]
    assert applied == sorted(number for number, _, _ in MIGRATIONS) and applied[:3] == [1, 2, 3]
    SQLiteStore(db_path).close()  # reopening applies nothing twice
    assert con.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_store_from_an_older_version_is_upgraded_when_a_reader_opens_it(tmp_path: Path) -> None:
    """`storyline stories` on a store the previous release wrote must read it, not fail on a
    column the new release added (the migrations only add)."""
    db = tmp_path / "old.db"
    with SQLiteStore(db) as store:
        store.add_article(
            Article(id="a1", text="The dam burst on Monday.", content_hash="h1"), [], [], b""
        )
    raw = sqlite3.connect(db)
    # undo migrations 3 to 6: the store as the release before them wrote it
    for statement in (
        "DROP INDEX articles_by_id",
        "DROP INDEX articles_title",
        "DROP TABLE lsh_buckets",
        "DROP TABLE edits",
        "DROP TABLE machine_stories",
        "DROP INDEX stories_by_size",
        "DROP INDEX articles_date_source",
        "ALTER TABLE stories DROP COLUMN size",
        "ALTER TABLE timelines DROP COLUMN stale",
        "ALTER TABLE articles DROP COLUMN date_granularity",
        "DELETE FROM migrations WHERE id >= 3",
    ):
        raw.execute(statement)
    raw.commit()
    raw.close()
    with SQLiteStore(db, read_only=True) as store:
        [article] = store.articles()
        assert article.id == "a1"
