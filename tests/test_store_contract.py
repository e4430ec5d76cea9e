"""The Store contract (store/base.py), checked on every engine: SQLite always, PostgreSQL when
``STORYLINE_TEST_PG`` names a server (see tests/engines.py). Each test opens its store through
``open_store``, the function every command and the web server use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from engines import ENGINES, hold_write_lock_on, store_location
from storyline.errors import NotFoundError, StoreBusyError, StoreError, StoreMissingError
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.settings import StoreConfig
from storyline.store import Store, open_store


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


def _article(n: int, text: str = "", published: date | None = None) -> Article:
    return Article(
        id=f"a{n}",
        title=f"Title {n}",
        text=text or f"Article {n} says the talks were held on Tuesday.",
        content_hash=f"h{n}",
        source=f"/news/{n}.txt",
        published=published,
        date_source="given" if published else None,
    )


def _add(store: Store, n: int, published: date | None = None, text: str = "") -> Article:
    a = _article(n, text=text, published=published)
    s = Sentence(a.id, 0, a.text, 0, len(a.text))
    t = TimeExpression(37, 44, "Tuesday", "DATE", "2017-04-18", sentence_index=0)
    assert store.add_article(a, [s], [t], minhash=bytes([n]) * 8)
    return a


def test_a_new_store_is_created_once_and_reopened_with_what_it_holds(location: str) -> None:
    with open_store(location) as store:
        _add(store, 1, date(2017, 4, 19))
    with open_store(location) as store:  # reopening migrates nothing twice, loses nothing
        assert store.count_articles() == 1
    with open_store(location, read_only=True) as store:
        assert [a.id for a in store.articles()] == ["a1"]


def test_articles_round_trip_and_search(any_store: Store) -> None:
    store = any_store
    a = _add(store, 1, date(2017, 4, 19))
    _add(store, 2)
    assert store.get_article("a1") == a
    assert store.article_id_for_hash("h2") == "a2"
    assert store.article_id_for_hash("nope") is None
    assert [x.id for x in store.articles()] == ["a1", "a2"]  # dated first, undated last
    assert [x.id for x in store.articles(since=date(2017, 1, 1))] == ["a1"]
    assert [x.id for x in store.articles(until=date(2016, 1, 1))] == []
    assert [x.id for x in store.articles(ids=["a2"])] == ["a2"]
    assert [x.id for x in store.articles(limit=1, offset=1)] == ["a2"]
    assert [x.id for x in store.articles(query="talks")] == ["a1", "a2"]
    assert [x.id for x in store.articles(query="Title 2")] == ["a2"]  # words in the title
    assert store.articles(query="   ") == []
    assert store.count_articles() == 2
    assert store.sentences_mentioning("2017-04") == [("a1", 0), ("a2", 0)]
    assert store.sentences_mentioning("2018") == []
    hits = store.search('talks "Tuesday* (')  # full-text syntax never raises
    assert {h.sentence.article_id for h in hits} == {"a1", "a2"}
    assert {h.published for h in hits} == {date(2017, 4, 19), None}
    assert store.search("***") == []
    assert len(store.search("talks", limit=1)) == 1
    assert dict(store.minhashes()) == {"a1": bytes([1]) * 8, "a2": bytes([2]) * 8}
    with pytest.raises(NotFoundError):
        store.get_article("nope")


def test_sentences_and_time_expressions_come_back_in_order(any_store: Store) -> None:
    a = _article(1, text="First one. Then on Monday, and on Friday.")
    sentences = [Sentence(a.id, 0, "First one.", 0, 10), Sentence(a.id, 1, a.text[11:], 11, 41)]
    timexes = [
        TimeExpression(32, 38, "Friday", "DATE", "2017-04-21", sentence_index=1),
        TimeExpression(19, 25, "Monday", "DATE", "2017-04-17", sentence_index=1),
    ]
    any_store.add_article(a, sentences, timexes)
    got = any_store.sentences(["a1", "zz"])
    assert got["a1"] == sentences and got["zz"] == []
    assert [t.text for t in any_store.timexes(["a1"])["a1"]] == ["Monday", "Friday"]
    any_store.replace_timexes("a1", timexes[:1])
    assert [t.value for t in any_store.timexes(["a1"])["a1"]] == ["2017-04-21"]
    assert any_store.sentences_mentioning("2017-04-2") == [("a1", 1)]


def test_duplicate_insert_is_refused_without_losing_the_stored_article(any_store: Store) -> None:
    store = any_store
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


def test_read_only_store_refuses_writes(location: str) -> None:
    with open_store(location) as store:
        _add(store, 1)
    with open_store(location, read_only=True) as ro:
        assert ro.count_articles() == 1
        with pytest.raises(StoreError):
            _add(ro, 2)
        with pytest.raises(StoreError):
            ro.save_timeline("s1", "x", {})
    with open_store(location) as store:
        assert store.count_articles() == 1


def test_readers_refuse_a_store_that_does_not_exist_and_do_not_create_it(location: str) -> None:
    for mode in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreMissingError, match="no store at"):
            open_store(location, **mode)  # type: ignore[arg-type]
    open_store(location).close()  # the default (ingest) creates it
    with open_store(location, create=False) as store:
        assert store.count_articles() == 0


def test_inferred_date_never_overwrites_a_given_one(any_store: Store) -> None:
    store = any_store
    _add(store, 1, date(2017, 4, 19))
    _add(store, 2)
    for aid in ("a1", "a2"):
        store.update_article_date(aid, date(2020, 11, 17), "inferred", 0.8, ["why"], "month")
    assert store.get_article("a1").published == date(2017, 4, 19)
    got = store.get_article("a2")
    assert (got.published, got.date_source, got.date_evidence, got.date_granularity) == (
        date(2020, 11, 17),
        "inferred",
        ["why"],
        "month",
    )
    assert store.published_dates(["a1", "a2"]) == {
        "a1": date(2017, 4, 19),
        "a2": date(2020, 11, 17),
    }


def test_stories_are_replaced_as_a_whole(any_store: Store) -> None:
    store = any_store
    _add(store, 1, date(2017, 4, 19))
    _add(store, 2)
    assert store.stories() == [] and store.story_state() is None
    store.save_stories([Story("s1", "one", ["a2", "a1"], first=date(2017, 4, 19))], state=b"x")
    assert store.get_story("s1").article_ids == ["a1", "a2"]  # publication order, undated last
    assert store.get_story("s1").first == date(2017, 4, 19)
    store.save_timeline("s1", "default", {"title": "t", "entries": [1, 2]})
    store.save_timeline("s1", "default", {"title": "u"})  # replaced
    store.save_stories([Story("s1", "one", ["a1", "a2"])], state=b"x")
    assert store.load_timeline("s1", "default") == {"title": "u"}  # unchanged story: kept
    store.save_stories(
        [Story("s2", "two", ["a1"]), Story("s3", "three", ["a2"], parent_id="s2")], b"y"
    )
    assert [s.id for s in store.stories()] == ["s2", "s3"]
    assert store.get_story("s3").article_ids == ["a2"]
    assert store.get_story("s3").parent_id == "s2"
    assert store.story_ids_of("a2") == ["s3"] and store.story_ids_of("zz") == []
    assert store.load_timeline("s1", "default") is None
    assert store.story_state() == b"y"
    with pytest.raises(NotFoundError):
        store.get_story("s1")


def test_a_failed_story_replacement_keeps_the_stored_stories(any_store: Store) -> None:
    _add(any_store, 1)
    any_store.save_stories([Story("s1", "one", ["a1"])], state=b"x")
    with pytest.raises(StoreError):  # a member that is not stored: the whole call fails
        any_store.save_stories([Story("s2", "two", ["a1", "ghost"])], state=b"y")
    assert [s.id for s in any_store.stories()] == ["s1"] and any_store.story_state() == b"x"


def test_a_writer_waits_for_another_then_says_the_store_is_busy(location: str) -> None:
    open_store(location).close()
    quick = StoreConfig(busy_timeout_seconds=0.2)
    with hold_write_lock_on(location), open_store(location, quick) as store:
        with pytest.raises(StoreBusyError, match="the store is busy"):
            _add(store, 1)
        assert store.count_articles() == 0  # readers are not blocked by the writer
    with open_store(location) as store:  # the lock released, the same write succeeds
        _add(store, 1)
        assert store.count_articles() == 1


def test_two_writers_storing_the_same_article_store_it_once(location: str) -> None:
    open_store(location).close()
    outcomes: list[bool] = []

    def ingest() -> None:
        with open_store(location) as store:
            a = _article(1)
            outcomes.append(store.add_article(a, [Sentence(a.id, 0, a.text, 0, len(a.text))]))

    threads = [threading.Thread(target=ingest) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, False, False, True]
    with open_store(location) as store:
        assert store.count_articles() == 1 and len(store.sentences(["a1"])["a1"]) == 1


def test_stats_count_what_is_stored(any_store: Store) -> None:
    _add(any_store, 1, date(2017, 4, 19))
    _add(any_store, 2)
    any_store.save_stories([Story("s1", "one", ["a1", "a2"])])
    stats = any_store.stats()
    assert stats["store"] == any_store.location
    assert {k: v for k, v in stats.items() if k != "store"} == {
        "articles": 2,
        "near_duplicates": 0,
        "sentences": 2,
        "time_expressions": 2,
        "stories": 1,
        "by_date_source": {"none": 1, "given": 1},
        "by_language": {"en": 2},
        "first_published": "2017-04-19",
        "last_published": "2017-04-19",
    }


def test_any_user_string_is_safe_in_every_lookup(any_store: Store) -> None:
    """Ids and queries come from URLs and search boxes: NUL bytes, quotes, full-text syntax and
    LIKE wildcards find nothing or what they say, and never raise an engine error."""
    _add(any_store, 1, text="100% of the talks_held ended on Tuesday.")
    for odd in ("\x00", "a\x00b", "'; --", '"', "%", "_", "\\", "NEAR(a b)", "*", "\uffff"):
        assert any_store.search(odd) == []
        found = [a.id for a in any_store.articles(query=odd)]  # never raises
        if "\x00" not in odd:  # SQLite's LIKE stops reading a pattern at NUL: '%' matches all
            assert found == [], odd
        with pytest.raises(NotFoundError):
            any_store.get_article(odd)
        with pytest.raises(NotFoundError):
            any_store.get_story(odd)
        assert any_store.load_timeline(odd, odd) is None
        assert any_store.story_ids_of(odd) == [] and any_store.article_id_for_hash(odd) is None
        assert any_store.sentences([odd]) == {odd: []} and any_store.timexes([odd]) == {odd: []}
        assert any_store.sentences_mentioning(odd) == []
    assert [a.id for a in any_store.articles(query="100%")] == ["a1"]
    assert [a.id for a in any_store.articles(query="talks_held")] == ["a1"]


def test_a_reader_sees_the_old_or_the_new_stories_never_half_of_each(location: str) -> None:
    with open_store(location) as store:
        for n in range(1, 7):
            _add(store, n)
    first = [Story("s1", "one", ["a1", "a2", "a3"]), Story("s2", "two", ["a4", "a5", "a6"])]
    second = [Story("s3", "three", ["a1", "a4"]), Story("s4", "four", ["a2", "a3", "a5", "a6"])]
    groupings = [{s.id: sorted(s.article_ids) for s in g} for g in (first, second)]
    done = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with open_store(location) as writer:
                for i in range(12):
                    writer.save_stories(first if i % 2 else second)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            done.set()

    with open_store(location) as reader:
        reader.save_stories(first)
        thread = threading.Thread(target=write)
        thread.start()
        seen = 0
        while not done.is_set() or seen == 0:
            got = {s.id: sorted(s.article_ids) for s in reader.stories()}
            assert got in groupings, got
            seen += 1
        thread.join()
    assert not errors, errors
