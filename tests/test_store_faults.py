"""The store under faults: a held write lock, engine errors, missing stores, hostile queries.

Each runs on a real SQLite file, with a real second process where one is involved.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import hold_write_lock
from storyline.errors import StoreBusyError, StoreError, StoreMissingError
from storyline.records import Article, Sentence, Story
from storyline.store import SQLiteStore

HOSTILE = ['"', "*", "NEAR(", "NEAR(a b)", "'; DROP TABLE articles; --", "a* OR b", "-", "(", "^"]


def _article(n: int, title: str, text: str) -> tuple[Article, list[Sentence]]:
    article = Article(id=f"a{n}", text=text, title=title, content_hash=f"h{n}")
    return article, [Sentence(article.id, 0, text, 0, len(text))]


def _store_with(db_path: Path, *titles: str) -> SQLiteStore:
    store = SQLiteStore(db_path)
    for n, title in enumerate(titles):
        store.add_article(*_article(n, title, f"Report {n} on the ministers' talks."))
    return store


def test_a_held_write_lock_is_one_busy_error_and_loses_nothing(db_path: Path) -> None:
    with _store_with(db_path, "first") as store:
        store.busy_timeout = 0.3  # the setting's default is 10 s; the behaviour is the same
        store._db.execute(f"PRAGMA busy_timeout = {int(store.busy_timeout * 1000)}")
        with hold_write_lock(db_path):
            with pytest.raises(StoreBusyError) as caught:
                store.save_stories([Story("s1", "talks", ["a0"])], state=b"x")
            message = str(caught.value)
            assert "the store is busy: another storyline process is writing" in message
            assert "\n" not in message and str(db_path) in message
            with pytest.raises(StoreBusyError):
                store.add_article(*_article(1, "second", "A second report on the talks."))
            assert store.count_articles() == 1  # reading is never blocked by the writer
        store.save_stories([Story("s1", "talks", ["a0"])], state=b"x")  # lock released: fine
        assert [s.article_ids for s in store.stories()] == [["a0"]]
        assert store.count_articles() == 1


def test_a_writer_waits_for_a_short_write_to_finish(db_path: Path) -> None:
    with _store_with(db_path, "first") as store, hold_write_lock(db_path, release_after=0.5):
        assert store.add_article(*_article(1, "second", "A second report on the talks."))
    with SQLiteStore(db_path, read_only=True) as ro:
        assert ro.count_articles() == 2


def test_opening_a_store_does_not_wait_for_a_writer(db_path: Path) -> None:
    _store_with(db_path, "first").close()
    with hold_write_lock(db_path), SQLiteStore(db_path, busy_timeout=0.1) as store:
        assert store.count_articles() == 1


def test_the_default_busy_timeout_is_the_documented_setting(db_path: Path) -> None:
    from storyline.corpus import Corpus
    from storyline.settings import Config, StoreConfig

    with SQLiteStore(db_path) as store:
        assert store.busy_timeout == StoreConfig().busy_timeout_seconds > 0
    patient = Config().with_overrides({"store.busy_timeout_seconds": 2.5})
    with Corpus(db_path, config=patient) as corpus:
        assert getattr(corpus.store, "busy_timeout", None) == 2.5


def test_engine_errors_never_escape_the_store(db_path: Path, tmp_path: Path) -> None:
    _store_with(db_path, "first").close()
    con = sqlite3.connect(db_path)
    con.execute("DROP TABLE story_articles")  # a damaged store, say
    con.commit()
    con.close()
    with SQLiteStore(db_path) as store:
        for call in (store.stories, lambda: store.story_ids_of("a0")):
            with pytest.raises(StoreError) as caught:
                call()
            assert not isinstance(caught.value, sqlite3.Error)
            assert str(db_path) in str(caught.value)
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        SQLiteStore(not_a_store)
    assert not_a_store.read_text().startswith("these are my notes")


def test_only_a_creating_open_makes_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "nostore.db"
    for mode in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreMissingError) as caught:
            SQLiteStore(missing, **mode)
        assert str(caught.value) == f"no store at {missing} (create one with storyline ingest)"
    assert list(tmp_path.iterdir()) == []
    SQLiteStore(missing).close()  # the default (ingest) creates it
    with SQLiteStore(missing, create=False) as store:
        assert store.count_articles() == 0


def test_hostile_queries_are_words_and_like_wildcards_are_literal(db_path: Path) -> None:
    with _store_with(
        db_path, "snake_case names", "a 100% rise", "plain title", "NEAR the border"
    ) as store:
        for query in HOSTILE:
            assert isinstance(store.search(query), list)
            assert isinstance(store.articles(query=query), list)
        assert [a.title for a in store.articles(query="_")] == ["snake_case names"]
        assert [a.title for a in store.articles(query="%")] == ["a 100% rise"]
        assert [a.title for a in store.articles(query="100%")] == ["a 100% rise"]
        assert store.articles(query="p_ain") == []  # `_` is not "any character"
        assert [a.title for a in store.articles(query="NEAR")] == ["NEAR the border"]  # a word
        assert store.articles(query="NEAR(") == []  # no title holds "NEAR(", no text "near"
        assert {h.sentence.article_id for h in store.search("ministers' talks")} == {
            "a0",
            "a1",
            "a2",
            "a3",
        }
        assert store.count_articles() == 4  # '; DROP TABLE did nothing
