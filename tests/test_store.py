"""What is SQLite's own in the SQLite store: a WAL file, its migrations, upgrading an old file.

The contract every engine keeps (dedupe by hash, search, read-only safety, stories replaced as a
whole ...) is checked on SQLite and PostgreSQL alike in tests/test_store_contract.py.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.records import Article, Sentence
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
            Article(id="a1", text="The dam burst on Monday.", title="Dam burst", content_hash="h1"),
            [],
            [],
            b"",
        )
    raw = sqlite3.connect(db)
    # undo migrations 3 to 9: the store as the release before them wrote it
    for statement in (
        "DROP INDEX story_members_order",
        "ALTER TABLE story_articles DROP COLUMN published",
        "DROP INDEX articles_order",
        "DROP TABLE titles_fts",
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
        assert [a.id for a in store.articles(query="DAM BU")] == ["a1"]  # titles indexed


TITLES = [
    "Oil Spill in the Gulf",
    "oil spills again",
    "ÉCOLE fermée, école ouverte",
    "100% of C#_code",
    'He said "no" twice',
    "ab",
    "Spill\x00hidden",
]
TITLE_QUERIES = [
    "oil spill",
    "OIL SPILL",
    "il sp",
    "spill",
    "École",
    "école",
    "ÉCOLE",
    "% of",
    "100%",
    "C#_",
    "#_c",
    '"no"',
    'said "',
    "ab",
    "b",
    "Spill\x00hid",
    "gulf ",
    "nothing like it",
]


def test_titles_are_found_through_their_index_as_a_scan_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query's title matches come from the trigram index when it can take the string, and
    are what scanning every title with LIKE gives: ASCII letters in either case, other letters
    as typed, ``%`` and ``_`` literal, short strings and control characters by the scan."""
    import storyline.store.sqlite as engine

    with SQLiteStore(tmp_path / "t.db") as store:
        for n, title in enumerate(TITLES):
            store.add_article(Article(id=f"t{n}", text="x", title=title, content_hash=f"h{n}"), [])
        indexed = {q: [a.id for a in store.articles(query=q)] for q in TITLE_QUERIES}
        monkeypatch.setattr(engine, "_TITLE_INDEX_MAX", -1)  # every title search scans
        scanned = {q: [a.id for a in store.articles(query=q)] for q in TITLE_QUERIES}
    assert indexed == scanned
    assert indexed["OIL SPILL"] == ["t0", "t1"] and indexed["il sp"] == ["t0", "t1"]
    assert indexed["École"] == ["t2"] and indexed["ÉCOLE"] == ["t2"]  # É and é: as typed
    assert indexed["C#_"] == ["t3"] and indexed['"no"'] == ["t4"] and indexed["ab"] == ["t5"]
    assert indexed["nothing like it"] == []


def test_a_capped_search_reads_only_the_newest_titles_the_index_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More titles hold the query than the index is read for whole: an uncapped search scans
    them all, a capped one (``max_matches``) takes the newest that many from the index, so its
    work does not grow with the store."""
    import storyline.store.sqlite as engine

    monkeypatch.setattr(engine, "_TITLE_INDEX_MAX", 3)
    with SQLiteStore(tmp_path / "t.db") as store:
        for n in range(10):
            title = f"Harbour closure, day {n}"
            store.add_article(Article(id=f"t{n}", text="x", title=title, content_hash=f"h{n}"), [])
        store.add_article(Article(id="u", text="x", title="Harbour", content_hash="hu"), [])
        whole = {a.id for a in store.articles(query="harbour closure")}
        capped = {a.id for a in store.articles(query="harbour closure", max_matches=4)}
        few = {a.id for a in store.articles(query="closure, day 7", max_matches=4)}
    assert whole == {f"t{n}" for n in range(10)}
    assert capped == {"t6", "t7", "t8", "t9"}  # the four most recently stored
    assert few == {"t7"}  # under the index's limit: every title found, as before


def test_a_deleted_article_leaves_the_title_index(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "t.db") as store:
        for n, title in enumerate(TITLES):
            store.add_article(Article(id=f"t{n}", text="x", title=title, content_hash=f"h{n}"), [])
        for n in (0, 5, 6):  # through the index, and by a scan (too short; a NUL)
            store.delete_article(f"t{n}")
        assert [a.id for a in store.articles(query="spill")] == ["t1"]
        rows = store._db.execute("SELECT article_id FROM titles_fts ORDER BY rowid").fetchall()
        assert [r[0] for r in rows] == ["t1", "t2", "t3", "t4"]


def _indexed(db: Path, word: str) -> list[str]:
    """The sentences the full-text index finds for ``word``, after checking the index."""
    con = sqlite3.connect(db)
    try:
        con.execute("INSERT INTO sentences_fts (sentences_fts, rank) VALUES ('integrity-check', 1)")
        rows = con.execute(
            "SELECT s.text FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid"
            " WHERE sentences_fts MATCH ? ORDER BY s.rowid",
            (word,),
        )
        return [r[0] for r in rows]
    finally:
        con.close()


def _article(n: int, text: str) -> tuple[Article, list[Sentence]]:
    return Article(id=f"a{n}", text=text, content_hash=f"h{n}"), [
        Sentence(f"a{n}", 0, text, 0, len(text))
    ]


def test_sentences_of_a_batch_are_indexed_once_it_commits(db_path: Path) -> None:
    """Inside transaction() the full-text index is filled when the batch ends (one FTS5 insert):
    every stored sentence is found, one whose write failed in the batch is not, and a batch
    rolled back leaves nothing in the index."""
    with SQLiteStore(db_path) as store:
        store.add_article(*_article(1, "Floods closed the bridge."))  # outside any batch
        with store.transaction():
            assert store.add_article(*_article(2, "Floods reached the dam."))
            clash = Article(id="a2", text="Floods again.", content_hash="h9")  # id taken
            with pytest.raises(StoreError):
                store.add_article(clash, [Sentence("a2", 0, "Floods again.", 0, 13)])
            assert store.add_article(*_article(3, "The dam held; floods receded."))
        assert _indexed(db_path, "floods") == [
            "Floods closed the bridge.",
            "Floods reached the dam.",
            "The dam held; floods receded.",
        ]
        with pytest.raises(RuntimeError), store.transaction():
            store.add_article(*_article(4, "Floods rose again."))
            raise RuntimeError("interrupted")
        assert _indexed(db_path, "rose") == []
        store.delete_article("a3")
        assert _indexed(db_path, "dam") == ["Floods reached the dam."]


def test_streaming_every_article_reads_an_index_in_order_and_sorts_nothing(tmp_path: Path) -> None:
    """iter_articles must not sort the table (its sorter held text and spill files that grew
    with the store): its statement scans the articles_order index, and a store upgraded from
    before that index gets it."""
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        for n in range(7):  # two sources, days out of order, undated ones
            day = date(2020, 1, 3 - n % 3) if n % 4 else None
            article = Article(
                id=f"a{n}", text=f"t{n}", source=f"s{n % 2}", published=day, content_hash=f"h{n}"
            )
            store.add_article(article, [])
    raw = sqlite3.connect(db)
    raw.execute("DROP INDEX articles_order")
    raw.execute("DELETE FROM migrations WHERE id = 8")
    raw.commit()
    raw.close()
    statements: list[str] = []
    with SQLiteStore(db) as store:  # upgraded on open
        store._db.set_trace_callback(statements.append)
        streamed = [a.id for batch in store.iter_articles(4) for a in batch]
        assert streamed == [a.id for a in store.articles()]
        assert streamed[-2:] == ["a0", "a4"]  # undated last
        [select] = [s for s in statements if "INDEXED BY articles_order" in s]
        plan = [r[3] for r in store._db.execute("EXPLAIN QUERY PLAN " + select)]
    assert plan == ["SCAN articles USING INDEX articles_order"], plan
