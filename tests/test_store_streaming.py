"""The streaming and paging store (issue 12) on a real SQLite file: batches, transactions that
lose at most the open batch, pages of stories and members, timelines replaced (never dropped),
the persistent near-duplicate index and the capped query sample."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

import pytest
from datasketch import MinHash

from storyline.errors import NotFoundError
from storyline.ingest import Ingester, IngestReport
from storyline.records import Article, Sentence, Story
from storyline.settings import Config
from storyline.sources.base import RawArticle
from storyline.store import SQLiteStore
from storyline.text.dedupe import INDEX_META, SCHEME, minhash


def _article(n: int, published: date | None = None) -> Article:
    text = f"Report {n}: the council met on the bridge repairs and voted {n} to one."
    return Article(
        id=f"a{n:03d}",
        text=text,
        content_hash=f"h{n}",
        published=published,
        date_source="given" if published else None,
        source=f"src/{n % 3}",
    )


def _add(store: SQLiteStore, n: int, published: date | None = None) -> Article:
    a = _article(n, published)
    store.add_article(a, [Sentence(a.id, 0, a.text, 0, len(a.text))])
    return a


def test_iter_articles_streams_in_publication_order(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        for n in range(23):
            _add(store, n, date(2020, 1, 1 + (n * 7) % 28) if n % 5 else None)
        batches = list(store.iter_articles(batch_size=5))
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        assert [a.id for b in batches for a in b] == [a.id for a in store.articles()]


def test_a_transaction_commits_as_one_and_a_failed_write_undoes_only_itself(
    db_path: Path,
) -> None:
    with SQLiteStore(db_path) as store:
        with store.transaction():
            _add(store, 1)
            _add(store, 2)
            clash = Article(id="a999", text="same hash", content_hash="h1")  # stored as a001
            assert store.add_article(clash, []) is False  # a duplicate: nothing of it stored
            _add(store, 3)
        with pytest.raises(RuntimeError), store.transaction():
            _add(store, 4)
            raise RuntimeError("the batch fails")
    with SQLiteStore(db_path, read_only=True) as store:
        assert sorted(a.id for a in store.articles()) == ["a001", "a002", "a003"]


_CRASH = """
import os, sys
from storyline.records import Article
from storyline.store import SQLiteStore
store = SQLiteStore(sys.argv[1])
def add(n):
    store.add_article(Article(id=f"a{n}", text=f"text {n} " * 20, content_hash=f"h{n}"), [])
with store.transaction():
    for n in range(50):
        add(n)
with store.transaction():
    for n in range(50, 80):
        add(n)
    os._exit(9)  # killed mid-batch: no commit, no rollback, no close
"""


def test_a_crash_loses_only_the_open_batch(db_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _CRASH, str(db_path)], check=False)
    assert done.returncode == 9
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    with SQLiteStore(db_path) as store:
        assert store.count_articles() == 50


def test_stories_page_by_size_and_members_page_by_date(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        for n in range(10):
            _add(store, n, date(2021, 3, 10 - n))
        big = Story("sbig", "big", [f"a{n:03d}" for n in range(6)])
        small = Story("ssmall", "small", ["a006", "a007"])
        store.save_stories([small, big, Story("sone", "one", ["a008"])])
        assert store.count_stories() == 3
        assert store.count_assigned() == 9
        assert store.unassigned_article_ids() == ["a009"]
        page = store.story_page(limit=2)
        assert [(s.id, size) for s, size in page] == [("sbig", 6), ("ssmall", 2)]
        assert [(s.id, size) for s, size in store.story_page(limit=2, offset=2)] == [("sone", 1)]
        assert store.story_info("ssmall")[1] == 2
        with pytest.raises(NotFoundError):
            store.story_info("nope")
        # members in publication order: a005 (March 5) first
        assert store.story_members("sbig", limit=3) == ["a005", "a004", "a003"]
        assert store.story_members("sbig", limit=3, offset=3) == ["a002", "a001", "a000"]
        assert store.get_story("sbig").article_ids == store.story_members("sbig")
        assert sum(n for _, n in store.story_day_counts("sbig")) == 6
        assert store.story_articles_of(["a007", "a009"]) == {"a007": "ssmall"}


def test_a_changed_story_keeps_serving_its_old_timeline_until_replaced(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        for n in range(4):
            _add(store, n, date(2021, 3, 1 + n))
        store.save_stories([Story("s1", "one", ["a000", "a001"]), Story("s2", "two", ["a002"])])
        store.save_timeline("s1", "default", {"title": "old"})
        store.save_timeline("s2", "default", {"title": "two"})
        assert store.stories_needing_timeline("default", 1) == []
        store.save_stories(
            [Story("s1", "one", ["a000", "a001", "a003"]), Story("s2", "two", ["a002"])]
        )
        assert store.load_timeline("s1", "default") == {"title": "old"}  # served, not dropped
        assert store.stories_needing_timeline("default", 1) == ["s1"]
        assert store.stories_needing_timeline("default", 4) == []  # below the stored size
        store.save_timeline("s1", "default", {"title": "new"})
        assert store.load_timeline("s1", "default") == {"title": "new"}
        assert store.stories_needing_timeline("default", 1) == []
        store.save_stories([Story("s2", "two", ["a002"])])  # s1 gone: its timeline with it
        assert store.load_timeline("s1", "default") is None


def test_minhash_with_precomputed_permutations_is_datasketchs() -> None:
    text = "The levee broke at dawn and the river flooded the lower town within the hour."
    words = text.lower().replace(".", "").split()
    shingles = {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}
    fresh = MinHash(num_perm=64, scheme=SCHEME, hashfunc=zlib.crc32)
    fresh.update_batch([s.encode() for s in shingles])
    assert list(minhash(text, 64).hashvalues) == list(fresh.hashvalues)


def _raw(n: int, text: str) -> RawArticle:
    return RawArticle(source=f"in/{n}.txt", text=text, published=date(2022, 5, n))


_STORY = " ".join(
    f"Paragraph {n} of the long report on the harbour strike tells what the dockers wanted."
    for n in range(40)
)


def test_the_near_duplicate_index_persists_in_the_store(db_path: Path) -> None:
    config = Config()
    with SQLiteStore(db_path) as store:
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
    with SQLiteStore(db_path) as store:  # a later run: no index rebuilt, the keys are stored
        assert store.get_meta(INDEX_META) is not None
        keys_before = sqlite3.connect(db_path).execute("SELECT count(*) FROM lsh_buckets")
        assert keys_before.fetchone()[0] > 0
        report = IngestReport()
        copy = Ingester(store, config).add(_raw(2, _STORY + " Updated at noon."), report)
        assert copy is not None and report.near_duplicates == 1
        assert store.get_article(copy).duplicate_of == first
        other = Ingester(store, config).add(_raw(3, "A different story about a fire. " * 8), report)
        assert other is not None and store.get_article(other).duplicate_of is None


def test_a_store_without_index_keys_gets_them_once_from_its_signatures(db_path: Path) -> None:
    config = Config()
    with SQLiteStore(db_path) as store:
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
        store.clear_near_duplicate_keys()  # as a store written before the index existed
        store.set_meta(INDEX_META, None)
    with SQLiteStore(db_path) as store:
        report = IngestReport()
        copy = Ingester(store, config).add(_raw(2, _STORY + " Corrected."), report)
        assert copy is not None and store.get_article(copy).duplicate_of == first


def test_the_query_sample_is_capped_and_spread_over_time(db_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        for n in range(40):
            _add(store, n, date(2020, 1, 1 + n % 28) if n < 30 else date(2020, 2, n - 29))
        ids, total = store.article_sample("bridge repairs", limit=10)
        assert total == 40 and len(ids) == 10
        ordered = [a.id for a in store.articles(query="bridge repairs")]
        assert ids == ordered[::4]
        assert store.article_sample("bridge", limit=100) == (ordered, 40)
        assert store.article_sample("nothing matches this", limit=5) == ([], 0)
        assert store.article_sample("bridge", since=date(2020, 2, 1), limit=5)[1] == 10


def test_backup_is_a_consistent_copy(db_path: Path, tmp_path: Path) -> None:
    with SQLiteStore(db_path) as store:
        for n in range(5):
            _add(store, n)
        store.backup(tmp_path / "copy.db")
    with SQLiteStore(tmp_path / "copy.db", read_only=True) as copy:
        assert copy.count_articles() == 5


def test_an_incremental_change_of_stories_is_written_without_rewriting_them(
    db_path: Path,
) -> None:
    with SQLiteStore(db_path) as store:
        for n in range(8):
            _add(store, n, date(2021, 5, 1 + n))
        store.save_stories(
            [
                Story("s0", "zero", ["a000", "a001"]),
                Story("s2", "two", ["a002", "a003"]),
                Story("s4", "four", ["a004"]),
            ]
        )
        for story_id in ("s0", "s2", "s4"):
            store.save_timeline(story_id, "default", {"title": story_id})
        # s2 merged into s0; a005 joins s0, a006 opens s6; s4 untouched; a007 stays unplaced
        store.update_stories(
            [
                Story("s0", "zero+", [], date(2021, 5, 1)),
                Story("s4", "four", []),
                Story("s6", "six", []),
            ],
            {"a005": "s0", "a006": "s6"},
            {"s2": "s0"},
            b"state",
        )
        assert [(s.id, s.label, s.article_ids) for s in store.stories()] == [
            ("s0", "zero+", ["a000", "a001", "a002", "a003", "a005"]),
            ("s4", "four", ["a004"]),
            ("s6", "six", ["a006"]),
        ]
        assert [(s.id, n) for s, n in store.story_page(10)] == [("s0", 5), ("s4", 1), ("s6", 1)]
        assert store.load_timeline("s2", "default") is None  # merged away
        assert store.load_timeline("s0", "default") == {"title": "s0"}  # served until replaced
        assert store.stories_needing_timeline("default", 1) == ["s0", "s6"]
        assert store.story_state() == b"state"
        assert store.unassigned_article_ids() == ["a007"]
