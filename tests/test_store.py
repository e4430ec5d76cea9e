"""The SQLite store on a real file: migrations, dedupe by hash, FTS search, read-only safety."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from storyline.errors import NotFoundError, StoreError, StoreMissingError
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.store import SQLiteStore


def _article(n: int, text: str = "", published: date | None = None) -> Article:
    return Article(
        id=f"a{n}",
        text=text or f"Article {n} says the talks were held on Tuesday.",
        content_hash=f"h{n}",
        published=published,
        date_source="given" if published else None,
    )


def _add(store: SQLiteStore, n: int, published: date | None = None) -> Article:
    a = _article(n, published=published)
    s = Sentence(a.id, 0, a.text, 0, len(a.text))
    t = TimeExpression(37, 44, "Tuesday", "DATE", "2017-04-18", sentence_index=0)
    store.add_article(a, [s], [t])
    return a


def test_store_file_is_wal_with_migrations_and_foreign_keys(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in con.execute("SELECT id FROM migrations ORDER BY id")] == [1, 2, 3, 4]
    SQLiteStore(db_path).close()  # reopening applies nothing twice
    assert con.execute("SELECT count(*) FROM migrations").fetchone()[0] == 4


def test_articles_round_trip_and_search(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        a = _add(store, 1, date(2017, 4, 19))
        _add(store, 2)
        assert store.get_article("a1") == a
        assert store.article_id_for_hash("h2") == "a2"
        assert [x.id for x in store.articles()] == ["a1", "a2"]  # dated first, undated last
        assert [x.id for x in store.articles(since=date(2017, 1, 1))] == ["a1"]
        assert store.sentences_mentioning("2017-04") == [("a1", 0), ("a2", 0)]
        hits = store.search('talks "Tuesday* (')  # FTS syntax never raises
        assert {h.sentence.article_id for h in hits} == {"a1", "a2"}
        assert store.search("***") == []
        with pytest.raises(NotFoundError):
            store.get_article("nope")


def test_duplicate_insert_is_refused_without_losing_the_stored_article(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        a = _article(1)
        sentence = Sentence(a.id, 0, a.text, 0, len(a.text))
        assert store.add_article(a, [sentence]) is True
        # the same content hash again (another process got there first): a duplicate, not an error
        assert store.add_article(a, [sentence]) is False
        # the same id with another text is a real conflict: one storyline error, no traceback
        other = _article(1, text="Quite another article about something else entirely.")
        other.content_hash = "h-other"
        with pytest.raises(StoreError, match="cannot store article a1"):
            store.add_article(other, [])
        assert store.count_articles() == 1
        assert len(store.sentences(["a1"])["a1"]) == 1


def test_read_only_store_refuses_writes_and_missing_file(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        _add(store, 1)
    with SQLiteStore(db_path, read_only=True) as ro:
        assert ro.count_articles() == 1
        with pytest.raises(StoreError):
            _add(ro, 2)
    missing = db_path.parent / "missing.db"
    for mode in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreMissingError, match="no store at .*missing.db"):
            SQLiteStore(missing, **mode)
    assert not missing.exists()


def test_inferred_date_never_overwrites_a_given_one(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        _add(store, 1, date(2017, 4, 19))
        _add(store, 2)
        for aid in ("a1", "a2"):
            store.update_article_date(aid, date(2020, 11, 17), "inferred", 0.8, ["why"])
        assert store.get_article("a1").published == date(2017, 4, 19)
        got = store.get_article("a2")
        assert (got.published, got.date_source, got.date_evidence) == (
            date(2020, 11, 17),
            "inferred",
            ["why"],
        )


def test_stories_are_replaced_as_a_whole(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        _add(store, 1, date(2017, 4, 19))
        _add(store, 2)
        store.save_stories([Story("s1", "one", ["a1", "a2"])], state=b"x")
        store.save_timeline("s1", "default", {"title": "t"})
        store.save_stories([Story("s1", "one", ["a1", "a2"])], state=b"x")
        assert store.load_timeline("s1", "default") == {"title": "t"}  # unchanged: kept
        store.save_stories([Story("s2", "two", ["a1"]), Story("s3", "three", ["a2"])], b"y")
        assert [s.id for s in store.stories()] == ["s2", "s3"]
        assert store.get_story("s3").article_ids == ["a2"]
        assert store.story_ids_of("a2") == ["s3"] and store.story_ids_of("zz") == []
        assert store.published_dates(["a1", "a2"]) == {"a1": date(2017, 4, 19), "a2": None}
        assert store.load_timeline("s1", "default") is None
        assert store.story_state() == b"y"


def test_a_store_from_an_older_version_is_upgraded_when_a_reader_opens_it(tmp_path: Path) -> None:
    """`storyline stories` on a store the previous release wrote must read it, not fail on a
    column the new release added (the migrations only add)."""
    db = tmp_path / "old.db"
    with SQLiteStore(db) as store:
        store.add_article(
            Article(id="a1", text="The dam burst on Monday.", content_hash="h1"), [], [], b""
        )
    raw = sqlite3.connect(db)
    # undo migrations 3 and 4: the store as the release before them wrote it
    for statement in (
        "DROP TABLE lsh_buckets",
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
