"""The streaming and paging store (issue 12), on every engine (SQLite always, PostgreSQL when
``STORYLINE_TEST_PG`` names a server; see tests/engines.py): batches, transactions that lose at
most the open batch, pages of stories and members, timelines replaced (never dropped), the
persistent near-duplicate index and the capped query sample."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import psycopg
import pytest
from datasketch import MinHash

from engines import ENGINES, fresh_pg_database, store_location
from storyline.errors import InputError, NotFoundError, StoreError
from storyline.ingest import Ingester, IngestReport
from storyline.records import Article, Sentence, Story
from storyline.settings import Config
from storyline.sources.base import RawArticle
from storyline.store import SQLiteStore, Store, open_store
from storyline.store.base import MATCH_STRATA
from storyline.text.dedupe import (
    BUCKET_BYTES,
    INDEX_META,
    SCHEME,
    SHINGLE_HASH_META,
    SHINGLE_HASHES,
    StoredNearDuplicateIndex,
    minhash,
    minhash_from_bytes,
    minhash_reference,
    poly64,
    signature_bytes,
    store_shingle_hash,
)


@pytest.fixture(params=ENGINES)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where this test's fresh store lives, on each engine (not created yet)."""
    with store_location(request.param, tmp_path) as where:
        yield where


@pytest.fixture
def any_store(location: str) -> Iterator[Store]:
    """A new, empty store on each engine, open for writing."""
    with open_store(location) as store:
        yield store


def _is_sqlite(location: str) -> bool:
    return not location.startswith(("postgresql://", "postgres://"))


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


def _add(store: Store, n: int, published: date | None = None) -> Article:
    a = _article(n, published)
    store.add_article(a, [Sentence(a.id, 0, a.text, 0, len(a.text))])
    return a


def test_iter_articles_streams_in_publication_order(any_store: Store) -> None:
    store = any_store
    for n in range(23):  # several articles a day, from three sources, and undated ones
        _add(store, n, date(2020, 1, 1 + (n * 7) % 28) if n % 5 else None)
    batches = list(store.iter_articles(batch_size=5))
    assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
    assert [a.id for b in batches for a in b] == [a.id for a in store.articles()]
    assert [len(b) for b in store.iter_articles(batch_size=23)] == [23]
    # the caller may write between batches: what was there is streamed once, in order
    seen: list[str] = []
    for batch in store.iter_articles(batch_size=4):
        seen += [a.id for a in batch]
        store.set_meta("progress", str(len(seen)).encode())
    assert seen == [a.id for a in store.articles()]


def test_a_transaction_commits_as_one_and_a_failed_write_undoes_only_itself(
    location: str,
) -> None:
    with open_store(location) as store:
        with store.transaction():
            _add(store, 1)
            _add(store, 2)
            clash = Article(id="a999", text="same hash", content_hash="h1")  # stored as a001
            assert store.add_article(clash, []) is False  # a duplicate: nothing of it stored
            with store.transaction():  # a nested block joins the outer transaction
                _add(store, 3)
            with pytest.raises(StoreError):  # an unknown article: this write alone is undone
                store.save_stories([Story("s1", "one", ["a001", "nope"])])
            store.set_meta("batch", b"1")
            assert store.count_articles() == 3  # reads inside see the open batch
        with pytest.raises(RuntimeError), store.transaction():
            _add(store, 4)
            store.set_meta("batch", b"2")
            raise RuntimeError("the batch fails")
    with open_store(location, read_only=True) as store:
        assert sorted(a.id for a in store.articles()) == ["a001", "a002", "a003"]
        assert store.get_meta("batch") == b"1"
        assert store.count_stories() == 0


_CRASH = """
import os, sys
from storyline.records import Article
from storyline.store import open_store
store = open_store(sys.argv[1])
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


def test_a_crash_loses_only_the_open_batch(location: str) -> None:
    done = subprocess.run([sys.executable, "-c", _CRASH, location], check=False)
    assert done.returncode == 9
    if _is_sqlite(location):
        raw = sqlite3.connect(location)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
    with open_store(location) as store:
        assert store.count_articles() == 50


def test_stories_page_by_size_and_members_page_by_date(any_store: Store) -> None:
    store = any_store
    for n in range(10):
        _add(store, n, date(2021, 3, 10 - n))
    big = Story("sbig", "big", [f"a{n:03d}" for n in range(6)])
    small = Story("ssmall", "small", ["a006", "a007"])
    store.save_stories([small, big, Story("sone", "one", ["a008"]), Story("Sone", "One", ["a008"])])
    assert store.count_stories() == 4
    assert store.count_assigned() == 9
    assert store.unassigned_article_ids() == ["a009"]
    page = store.story_page(limit=2)
    assert [(s.id, size) for s, size in page] == [("sbig", 6), ("ssmall", 2)]
    assert page[0][0].article_ids == []  # a page holds no membership
    # equal sizes by label byte by byte (upper case first), as on every engine
    assert [(s.id, n) for s, n in store.story_page(limit=5, offset=2)] == [("Sone", 1), ("sone", 1)]
    info, size = store.story_info("ssmall")
    assert (info.id, info.label, info.article_ids, size) == ("ssmall", "small", [], 2)
    with pytest.raises(NotFoundError):
        store.story_info("nope")
    # members in publication order: a005 (March 5) first
    assert store.story_members("sbig", limit=3) == ["a005", "a004", "a003"]
    assert store.story_members("sbig", limit=3, offset=3) == ["a002", "a001", "a000"]
    assert store.get_story("sbig").article_ids == store.story_members("sbig")
    assert store.story_day_counts("sbig") == [(date(2021, 3, 5 + n), 1) for n in range(6)]
    assert store.story_articles_of(["a007", "a009"]) == {"a007": "ssmall"}


def test_members_pages_follow_every_change_of_an_articles_date(any_store: Store) -> None:
    """A member page is read in date order from the memberships themselves (SQLite's
    migration 9 keeps each article's date beside its membership): redating an article, fixing
    its date by hand, and placing an article incrementally must each reorder the pages."""
    store = any_store
    for n in range(4):
        _add(store, n, date(2021, 3, 1 + n))
    _add(store, 4)  # undated: listed last
    store.save_stories([Story("s1", "one", ["a000", "a001", "a002", "a003", "a004"])])
    assert store.story_members("s1") == ["a000", "a001", "a002", "a003", "a004"]
    # the redating pass dates the undated article before every other
    store.update_article_date("a004", date(2021, 2, 1), "inferred", 0.5, [], "month")
    assert store.story_members("s1", limit=2) == ["a004", "a000"]
    # a person moves a000 after a003
    store.set_article_date("a000", date(2021, 4, 1), "curated", None, [], "day")
    assert store.story_members("s1") == ["a004", "a001", "a002", "a003", "a000"]
    assert store.story_members("s1", limit=2, offset=3) == ["a003", "a000"]
    # and takes a001's date away: undated members come last
    store.set_article_date("a001", None, None, None, [], None)
    assert store.story_members("s1")[-1] == "a001"
    assert (date(2021, 3, 2), 1) not in store.story_day_counts("s1")
    # an article placed by an incremental run is listed at its own date
    _add(store, 5, date(2021, 3, 3))
    store.update_stories([Story("s1", "one", [])], {"a005": "s1"}, {})
    assert store.story_members("s1") == ["a004", "a002", "a005", "a003", "a000", "a001"]
    assert store.story_day_counts("s1") == [
        (date(2021, 2, 1), 1),
        (date(2021, 3, 3), 2),
        (date(2021, 3, 4), 1),
        (date(2021, 4, 1), 1),
    ]


def test_a_store_before_the_member_order_index_gets_its_members_dates_on_opening(
    location: str,
) -> None:
    """The migration that keeps each membership's date (SQLite's 9, PostgreSQL's 5) copies
    the dates of a store written before it: its story lists its members in date order after
    the upgrade, as a new store does (on SQLite, a reader upgrades it)."""
    with open_store(location) as store:
        for n, day in enumerate((3, 1, 2)):
            _add(store, n, date(2021, 5, day))
        store.save_stories([Story("s1", "dam", ["a000", "a001", "a002"])])
    undo = [
        "DROP INDEX story_members_order",
        "ALTER TABLE story_articles DROP COLUMN published",
        f"DELETE FROM migrations WHERE id = {9 if _is_sqlite(location) else 5}",
    ]  # the store as the release before the migration left it
    if _is_sqlite(location):
        raw = sqlite3.connect(location)
        for statement in undo:
            raw.execute(statement)
        raw.commit()
        raw.close()
    else:
        with psycopg.connect(location, autocommit=True) as pg:
            for statement in undo:
                pg.execute(statement)
    with open_store(location, read_only=_is_sqlite(location)) as store:
        assert store.story_members("s1") == ["a001", "a002", "a000"]
        assert store.story_members("s1", limit=1, offset=2) == ["a000"]
        assert store.get_story("s1").article_ids == ["a001", "a002", "a000"]
        assert [s.article_ids for s in store.stories()] == [["a001", "a002", "a000"]]
        assert store.story_day_counts("s1") == [(date(2021, 5, d), 1) for d in (1, 2, 3)]


def test_sizes_ids_signatures_and_metadata(any_store: Store) -> None:
    store = any_store
    a = _article(1, date(2021, 1, 1))
    store.add_article(a, [Sentence(a.id, 0, a.text, 0, len(a.text))], minhash=b"\x00\x01sig")
    _add(store, 2)
    store.update_article_date("a002", date(2021, 1, 2), "inferred", 0.5, [])
    _add(store, 3)
    assert store.redatable_ids() == {"a002", "a003"}  # not a001: its date was given
    assert store.minhashes_of(["a001", "a002", "zzz"]) == {"a001": b"\x00\x01sig"}
    assert store.get_meta("absent") is None
    store.set_meta("k", b"\x00v")
    assert store.get_meta("k") == b"\x00v"
    store.set_meta("k", None)
    assert store.get_meta("k") is None
    store.add_near_duplicate_keys("a001", [(0, b"\x00\xff"), (1, b"b")])
    store.add_near_duplicate_keys("a002", [(0, b"\x00\xff"), (2, b"b")])
    assert sorted(store.near_duplicate_candidates([(0, b"\x00\xff")])) == ["a001", "a002"]
    assert store.near_duplicate_candidates([(1, b"b"), (2, b"x")]) == ["a001"]
    assert store.near_duplicate_candidates([]) == []
    store.clear_near_duplicate_keys()
    assert store.near_duplicate_candidates([(0, b"\x00\xff")]) == []
    store.checkpoint()  # never fails, whatever the engine does with it
    assert store.count_articles() == 3


def test_a_changed_story_keeps_serving_its_old_timeline_until_replaced(any_store: Store) -> None:
    store = any_store
    for n in range(4):
        _add(store, n, date(2021, 3, 1 + n))
    store.save_stories([Story("s1", "one", ["a000", "a001"]), Story("s2", "two", ["a002"])])
    store.save_timeline("s1", "default", {"title": "old"})
    store.save_timeline("s2", "default", {"title": "two"})
    assert store.stories_needing_timeline("default", 1) == []
    assert store.stories_needing_timeline("other", 1) == ["s1", "s2"]
    store.save_stories([Story("s1", "one", ["a000", "a001", "a003"]), Story("s2", "two", ["a002"])])
    assert store.story_info("s1")[1] == 3
    assert store.load_timeline("s1", "default") == {"title": "old"}  # served, not dropped
    assert store.stories_needing_timeline("default", 1) == ["s1"]
    assert store.stories_needing_timeline("default", 4) == []  # below the stored size
    store.save_timeline("s1", "default", {"title": "new"})
    assert store.load_timeline("s1", "default") == {"title": "new"}
    assert store.stories_needing_timeline("default", 1) == []
    store.save_stories([Story("s2", "two", ["a002"])])  # s1 gone: its timeline with it
    assert store.load_timeline("s1", "default") is None
    assert store.load_timeline("s2", "default") == {"title": "two"}


@pytest.mark.parametrize("shingle_hash", SHINGLE_HASHES)
def test_minhash_with_precomputed_permutations_is_datasketchs(shingle_hash: str) -> None:
    text = "The levee broke at dawn and the river flooded the lower town within the hour."
    words = text.lower().replace(".", "").split()
    shingles = {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}
    hashfunc = poly64 if shingle_hash == "poly64" else zlib.crc32
    fresh = MinHash(num_perm=64, scheme=SCHEME, hashfunc=hashfunc)
    fresh.update_batch([s.encode() for s in shingles])
    assert list(minhash(text, 64, shingle_hash).hashvalues) == list(fresh.hashvalues)


def _raw(n: int, text: str) -> RawArticle:
    return RawArticle(source=f"in/{n}.txt", text=text, published=date(2022, 5, n))


_STORY = " ".join(
    f"Paragraph {n} of the long report on the harbour strike tells what the dockers wanted."
    for n in range(40)
)


def test_the_near_duplicate_index_persists_in_the_store(location: str) -> None:
    config = Config()
    with open_store(location) as store:
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
    assert first is not None
    with open_store(location) as store:  # a later run: no index rebuilt, the keys are stored
        assert store.get_meta(INDEX_META) is not None
        index = StoredNearDuplicateIndex(store, config.ingest)
        signature = np.frombuffer(store.minhashes_of([first])[first], dtype=np.uint32)
        assert store.near_duplicate_candidates(index.keys(signature)) == [first]
        report = IngestReport()
        copy = Ingester(store, config).add(_raw(2, _STORY + " Updated at noon."), report)
        assert copy is not None and report.near_duplicates == 1
        assert store.get_article(copy).duplicate_of == first
        other = Ingester(store, config).add(_raw(3, "A different story about a fire. " * 8), report)
        assert other is not None and store.get_article(other).duplicate_of is None


def test_a_near_copy_finds_its_original_in_the_same_write_batch(
    location: str, tmp_path: Path
) -> None:
    """A batch is stored at its end; a copy still finds the original stored before it in the
    same batch (staged in the index), and an unrelated article finds nothing."""
    texts = [_STORY, "A different story about a fire. " * 8, _STORY + " Updated at noon."]
    records = tmp_path / "batch.jsonl"
    records.write_text(
        "".join(json.dumps({"text": t, "date": "2022-05-01"}) + "\n" for t in texts),
        encoding="utf-8",
    )
    with open_store(location) as store:
        ingester = Ingester(store, Config())  # a write batch of 200: one batch here
        report = ingester.run([str(records)])
        first, other, copy = report.new_ids
        assert report.near_duplicates == 1 and report.accepted == 3
        assert store.get_article(copy).duplicate_of == first
        assert store.get_article(other).duplicate_of is None
        index = StoredNearDuplicateIndex(store, ingester.config.ingest)
        signature = np.frombuffer(store.minhashes_of([copy])[copy], dtype=np.uint32)
        assert set(store.near_duplicate_candidates(index.keys(signature))) == {first, copy}


def test_a_store_without_index_keys_gets_them_once_from_its_signatures(location: str) -> None:
    config = Config()
    with open_store(location) as store:
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
        store.clear_near_duplicate_keys()  # as a store written before the index existed
        store.set_meta(INDEX_META, None)
    with open_store(location) as store:
        report = IngestReport()
        copy = Ingester(store, config).add(_raw(2, _STORY + " Corrected."), report)
        assert copy is not None and store.get_article(copy).duplicate_of == first


def test_keys_stored_as_raw_band_bytes_are_rebuilt_once_as_digests(location: str) -> None:
    """A store written when a key was the band's 100 raw bytes (layout ``128:5x25``) gets
    8-byte digests from its signatures on the next ingest, which then links as before."""
    config = Config()
    with open_store(location) as store:
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
        assert first is not None
        index = StoredNearDuplicateIndex(store, config.ingest)
        values = np.frombuffer(store.minhashes_of([first])[first], dtype=np.uint32)
        r = index.rows
        raw = [(b, values[b * r : (b + 1) * r].tobytes()) for b in range(index.bands)]
        store.clear_near_duplicate_keys()
        store.add_near_duplicate_keys(first, raw)
        store.set_meta(INDEX_META, f"{index.num_perm}:{index.bands}x{index.rows}".encode())
    with open_store(location) as store:
        report = IngestReport()
        copy = Ingester(store, config).add(_raw(2, _STORY + " Corrected."), report)
        assert copy is not None and store.get_article(copy).duplicate_of == first
        assert store.near_duplicate_candidates(raw) == []  # the raw keys are gone
        keys = StoredNearDuplicateIndex(store, config.ingest).keys(values)
        assert all(len(bucket) == BUCKET_BYTES for _, bucket in keys)
        assert set(store.near_duplicate_candidates(keys)) == {first, copy}


def test_a_new_store_records_the_polynomial_shingle_hash(location: str) -> None:
    config = Config()
    with open_store(location) as store:
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
        assert first is not None and store.get_meta(SHINGLE_HASH_META) == b"poly64"
        expected = minhash_reference(_STORY, config.ingest.minhash_permutations, "poly64")
        assert store.minhashes_of([first])[first] == signature_bytes(expected)


def test_a_store_written_before_the_hash_was_recorded_keeps_comparing_in_crc32(
    location: str,
) -> None:
    """Such a store holds CRC-32 signatures and no record: it is read as ``crc32`` (and
    recorded so), and a near-copy ingested now still finds its original there."""
    config = Config()
    perms = config.ingest.minhash_permutations
    with open_store(location) as store:  # as a version before the record wrote it
        store.set_meta(SHINGLE_HASH_META, b"crc32")
        first = Ingester(store, config).add(_raw(1, _STORY), IngestReport())
        store.set_meta(SHINGLE_HASH_META, None)
    assert first is not None
    copy_text = _STORY + " Corrected."
    with open_store(location) as store:
        stored = minhash_from_bytes(store.minhashes_of([first])[first])
        assert stored.jaccard(minhash_reference(_STORY, perms, "crc32")) == 1.0
        # hashed the new way, the copy would look like another text altogether
        assert minhash(copy_text, perms, "poly64").jaccard(stored) < 0.1
        report = IngestReport()
        copy = Ingester(store, config).add(_raw(2, copy_text), report)
        assert store.get_meta(SHINGLE_HASH_META) == b"crc32"
        assert copy is not None and report.near_duplicates == 1
        assert store.get_article(copy).duplicate_of == first


def test_a_shingle_hash_this_version_does_not_know_is_refused(location: str) -> None:
    with open_store(location) as store:
        store.set_meta(SHINGLE_HASH_META, b"sha3-by-a-newer-version")
        with pytest.raises(StoreError, match="sha3-by-a-newer-version"):
            store_shingle_hash(store)
        with pytest.raises(StoreError, match="does not know"):
            Ingester(store, Config())  # before anything is read or written
        assert store.get_meta(SHINGLE_HASH_META) == b"sha3-by-a-newer-version"


def test_the_query_sample_is_capped_and_spread_over_time(any_store: Store) -> None:
    store = any_store
    for n in range(40):
        _add(store, n, date(2020, 1, 1 + n % 28) if n < 30 else date(2020, 2, n - 29))
    ids, total = store.article_sample("bridge repairs", limit=10)
    assert total == 40 and len(ids) == 10
    ordered = [a.id for a in store.articles(query="bridge repairs")]
    assert ids == ordered[::4]
    assert store.article_sample("bridge", limit=100) == (ordered, 40)
    assert store.article_sample("nothing matches this", limit=5) == ([], 0)
    assert store.article_sample("bridge", since=date(2020, 2, 1), limit=5)[1] == 10
    assert store.article_sample("   ", limit=5) == ([], 0)
    assert store.article_sample("%", limit=5) == ([], 0)  # symbols only: titles, literally


def test_a_query_sample_can_look_in_a_bounded_spread_of_its_matches(any_store: Store) -> None:
    """``spread_matches``: a common word's articles are found among at most that many matching
    sentences (plus a quota of title matches), taken from every part of the store, so the
    work is bounded and the sample still spans what was stored first and last."""
    store = any_store
    for n in range(256):
        _add(store, n, date(2020, 1, 1 + n % 28))
    assert store.count_matches("bridge", 300) == 256
    quota = 2
    ids, total = store.article_sample("bridge", limit=1000, spread_matches=quota * MATCH_STRATA)
    assert total == len(ids) == quota * MATCH_STRATA  # one sentence an article: 2 per range
    stored = sorted(int(i[1:]) for i in ids)
    assert stored[0] < 256 // MATCH_STRATA and stored[-1] == 255  # the first range, the last
    gaps = {b - a for a, b in zip(stored, stored[1:], strict=False)}
    assert max(gaps) <= 2 * (256 // MATCH_STRATA)  # no part of the store is skipped
    few, total_few = store.article_sample("bridge", limit=10, spread_matches=quota * MATCH_STRATA)
    assert total_few == total and len(few) == 10 and set(few) <= set(ids)
    since = date(2020, 1, 15)
    later, _ = store.article_sample("bridge", since=since, limit=1000, spread_matches=128)
    assert later and set(later) < set(ids)
    assert all(a.published and a.published >= since for a in store.articles(ids=later))
    assert store.article_sample("nothing matches this", spread_matches=64) == ([], 0)


def test_backup_is_a_consistent_copy_or_points_to_pg_dump(location: str, tmp_path: Path) -> None:
    with open_store(location) as store:
        for n in range(5):
            _add(store, n)
        if not _is_sqlite(location):
            with pytest.raises(InputError, match="pg_dump"):
                store.backup(tmp_path / "copy.db")
            assert not (tmp_path / "copy.db").exists()
            return
        store.backup(tmp_path / "copy.db")
    with SQLiteStore(tmp_path / "copy.db", read_only=True) as copy:
        assert copy.count_articles() == 5


def test_an_incremental_change_of_stories_is_written_without_rewriting_them(
    any_store: Store,
) -> None:
    store = any_store
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
    # s2 merged into s0; a005 joins s0, a006 and a007 open s6; s4 untouched
    store.update_stories(
        [
            Story("s0", "zero+", [], date(2021, 5, 1)),
            Story("s4", "four", []),
            Story("s6", "six", []),
        ],
        {"a005": "s0", "a006": "s6", "a007": "s6"},
        {"s2": "s0"},
        b"state",
    )
    assert [(s.id, s.label, s.article_ids) for s in store.stories()] == [
        ("s0", "zero+", ["a000", "a001", "a002", "a003", "a005"]),
        ("s4", "four", ["a004"]),
        ("s6", "six", ["a006", "a007"]),
    ]
    assert store.get_story("s0").first == date(2021, 5, 1)
    assert [(s.id, n) for s, n in store.story_page(10)] == [("s0", 5), ("s6", 2), ("s4", 1)]
    assert store.load_timeline("s2", "default") is None  # merged away
    assert store.load_timeline("s0", "default") == {"title": "s0"}  # served until replaced
    assert store.stories_needing_timeline("default", 1) == ["s0", "s6"]
    assert store.story_state() == b"state"
    assert store.unassigned_article_ids() == []
    # a004 moves to s6: the story it leaves is recounted and, left empty, dropped
    store.update_stories(
        [Story("s0", "zero+", []), Story("s4", "four", []), Story("s6", "six", [])],
        {"a004": "s6"},
        {},
        b"state2",
    )
    assert [(s.id, n) for s, n in store.story_page(10)] == [("s0", 5), ("s6", 3)]
    assert store.count_stories() == 2


_BEFORE_MIGRATION_3 = """
DROP TABLE lsh_buckets;
DROP INDEX stories_by_size;
DROP INDEX articles_date_source;
DROP INDEX articles_order;
ALTER TABLE stories DROP COLUMN size;
ALTER TABLE timelines DROP COLUMN stale;
DELETE FROM migrations WHERE id = 3
"""


def test_a_postgresql_store_made_before_sizes_is_upgraded_on_opening() -> None:
    with fresh_pg_database() as url:
        with open_store(url) as store:
            for n in range(5):
                _add(store, n, date(2021, 3, 1 + n))
            store.save_stories([Story("s1", "one", ["a000", "a001", "a002"])])
            store.save_timeline("s1", "default", {"title": "kept"})
        with psycopg.connect(url, autocommit=True) as raw:  # as PostgreSQL stores were before
            for statement in _BEFORE_MIGRATION_3.strip().split(";"):
                raw.execute(statement.encode())
        with open_store(url, read_only=True) as store:  # a reader upgrades it, losing nothing
            assert [(s.id, n) for s, n in store.story_page(5)] == [("s1", 3)]
            assert store.stories_needing_timeline("default", 1) == []
            assert store.load_timeline("s1", "default") == {"title": "kept"}
            assert [a.id for b in store.iter_articles(2) for a in b] == [
                f"a{n:03d}" for n in range(5)
            ]
