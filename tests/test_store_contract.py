"""The Store contract (store/base.py), checked on every engine: SQLite always, PostgreSQL when
``STORYLINE_TEST_PG`` names a server (see tests/engines.py). Each test opens its store through
``open_store``, the function every command and the web server use."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from engines import ENGINES, hold_write_lock_on, store_location
from storyline.curation.model import Edit
from storyline.errors import NotFoundError, StoreBusyError, StoreError, StoreMissingError
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.settings import StoreConfig
from storyline.store import SearchHit, Store, open_store
from storyline.store.base import MemberHead, NewArticle, outermost_prefixes


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


def test_articles_by_id_come_in_the_stores_order_dated_then_by_source(any_store: Store) -> None:
    days = [date(2017, 4, 19), None, date(2017, 4, 18), date(2017, 4, 19), None, date(2016, 1, 2)]
    for n, day in enumerate(days):
        a = dataclasses.replace(_article(n, published=day), source=f"/news/{9 - n}.txt")
        any_store.add_article(a, [Sentence(a.id, 0, a.text, 0, len(a.text))], [])
    whole = [a.id for a in any_store.articles()]  # ordered by the engine
    assert whole == ["a5", "a2", "a3", "a0", "a4", "a1"]
    asked = ["a4", "a0", "a5", "a1", "a3"]
    assert [a.id for a in any_store.articles(ids=asked)] == [i for i in whole if i in asked]


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


def _add_sentences(store: Store, n: int, texts: list[str]) -> None:
    """Store article ``a{n}`` whose sentences are ``texts``, one space apart, no expressions."""
    a = _article(n, text=" ".join(texts))
    at, sentences = 0, []
    for index, text in enumerate(texts):
        sentences.append(Sentence(a.id, index, text, at, at + len(text)))
        at += len(text) + 1
    store.add_article(a, sentences, [])


def test_sentences_are_read_at_their_addresses_and_missing_ones_are_left_out(
    any_store: Store,
) -> None:
    for n, texts in ((1, [f"One {i}." for i in range(12)]), (2, ["Two zero.", "Two one."])):
        _add_sentences(any_store, n, texts)
    every = any_store.sentences(["a1", "a2"])
    # asked out of order, twice, past the end of a2 (a lead of five of two) and of an unknown id
    asked = [("a2", 4), ("a1", 9), ("a2", 0), ("a1", 3), ("a1", 9), ("a2", 1), ("zz", 0)]
    assert any_store.sentences_at(asked) == {
        "a1": [every["a1"][3], every["a1"][9]],
        "a2": every["a2"][:2],
    }
    assert any_store.sentences_at([]) == {}
    # more addresses than one query binds
    many = [("a1", i % 12) for i in range(2000)]
    assert any_store.sentences_at(many) == {"a1": every["a1"]}


def test_a_storys_articles_naming_a_date_are_found_by_its_value_prefix(any_store: Store) -> None:
    store = any_store
    for n in (1, 2, 3):
        _add(store, n)  # each names 2017-04-18
    a = _article(4, text="Nothing dated here at all.")
    store.add_article(a, [Sentence(a.id, 0, a.text, 0, len(a.text))], [])
    store.save_stories([Story("s1", "one", ["a1", "a2", "a4"]), Story("s2", "two", ["a3"])])
    assert store.story_articles_mentioning("s1", "2017-04-18") == {"a1", "a2"}
    assert store.story_articles_mentioning("s1", "2017-04") == {"a1", "a2"}  # the month's days
    assert store.story_articles_mentioning("s1", "2017") == {"a1", "a2"}
    assert store.story_articles_mentioning("s2", "2017-04") == {"a3"}  # not another story's
    assert store.story_articles_mentioning("s1", "2017-04-19") == set()
    assert store.story_articles_mentioning("nope", "2017") == set()


def test_a_storys_dated_mentions_are_its_date_expressions_starting_with_a_prefix(
    any_store: Store,
) -> None:
    store = any_store
    a = _article(1, text="On Tuesday at ten, in 2017. Then May. Every Tuesday, for a week.")
    sentences = [Sentence(a.id, 0, a.text[:27], 0, 27), Sentence(a.id, 1, a.text[28:], 28, 64)]
    timexes = [
        TimeExpression(3, 10, "Tuesday", "DATE", "2017-04-18", sentence_index=0),
        TimeExpression(14, 17, "ten", "TIME", "2017-04-18T10:00", sentence_index=0),
        TimeExpression(22, 26, "2017", "DATE", "2017", sentence_index=0),
        TimeExpression(33, 36, "May", "DATE", "2017-05", sentence_index=None),  # no sentence
        TimeExpression(38, 51, "Every Tuesday", "SET", "2017-04-18", sentence_index=1),
        TimeExpression(57, 63, "a week", "DURATION", "P1W", sentence_index=1),
        TimeExpression(28, 32, "Then", "DATE", "2017-04-18", sentence_index=1),  # named again
        TimeExpression(53, 56, "for", "DATE", "2017-04-20", sentence_index=1),
    ]
    store.add_article(a, sentences, timexes)
    for n in (2, 3):
        _add(store, n)  # each names 2017-04-18, in another story
    store.save_stories([Story("s1", "one", ["a1"]), Story("s2", "two", ["a2", "a3"])])

    def found(story: str, prefixes: list[str]) -> list[tuple[str, int, str]]:
        rows = store.story_member_mentions(story, prefixes)
        assert iter(rows) is rows  # streamed, not a list
        return sorted((head.id, index, value) for head, named in rows for index, value in named)

    day = [("a1", 0, "2017-04-18"), ("a1", 0, "2017-04-18T10:00"), ("a1", 1, "2017-04-20")]
    # each article's value once, at its first sentence, though both prefixes match it (SQLite
    # reads these by value)
    assert found("s1", ["2017-04", "2017-04-18", "2018"]) == day
    # the whole store names 2017 more often than s1 has expressions (SQLite reads by member)
    assert found("s1", ["2017"]) == sorted([*day, ("a1", 0, "2017")])
    assert found("s2", ["2017-04-18"]) == [("a2", 0, "2017-04-18"), ("a3", 0, "2017-04-18")]
    assert found("s1", ["2017-04-19"]) == found("s1", []) == []
    assert outermost_prefixes(["2017-04", "2017", "2018-01", "2017-04-18"]) == ["2017", "2018-01"]
    # every member once, those naming nothing too, each with its own expressions only
    members = sorted(store.story_member_mentions("s2", ["2017-04-18"]))
    assert [(head.id, named) for head, named in members] == [
        ("a2", [(0, "2017-04-18")]),
        ("a3", [(0, "2017-04-18")]),
    ]
    assert [named for _, named in store.story_member_mentions("s2", ["1999"])] == [[], []]
    with pytest.raises(NotFoundError):
        store.story_member_mentions("nope", ["2017"])


def test_a_storys_member_heads_are_its_articles_dates_and_sources(any_store: Store) -> None:
    store = any_store
    store.add_article(
        dataclasses.replace(_article(1, published=date(2017, 4, 19)), source_name="Wire"), []
    )
    _add(store, 2)
    _add(store, 3)
    store.update_article_date("a2", date(2017, 4, 1), "inferred", 0.4, ["why"], "month")
    store.set_duplicate_of(["a2"], "a1")
    store.save_stories([Story("s1", "one", ["a1", "a2", "a3"]), Story("s2", "two", ["a3"])])
    streamed = store.story_member_mentions("s1", [])
    assert iter(streamed) is streamed  # rows as they come, never a list of the whole story
    heads = sorted(head for head, _ in streamed)
    assert heads == [
        MemberHead("a1", date(2017, 4, 19), "day", False, "Wire", "/news/1.txt"),
        MemberHead("a2", date(2017, 4, 1), "month", True, None, "/news/2.txt"),
        MemberHead("a3", None, None, False, None, "/news/3.txt"),
    ]
    assert [head for head, _ in store.story_member_mentions("s2", [])] == [heads[2]]
    with pytest.raises(NotFoundError):
        store.story_member_mentions("nope", [])


def test_article_heads_are_the_articles_without_their_bodies(any_store: Store) -> None:
    _add(any_store, 1, date(2017, 4, 19))
    _add(any_store, 2)
    any_store.update_article_date("a2", date(2017, 4, 1), "inferred", 0.4, ["why"], "month")
    any_store.set_duplicate_of(["a2"], "a1")
    heads = {a.id: a for a in any_store.article_heads(["a2", "a1", "a2", "zz"])}
    assert set(heads) == {"a1", "a2"}  # each once; an unknown id is no row
    for head in heads.values():
        full = any_store.get_article(head.id)
        assert head.text == "" and head.date_evidence == []
        expected = dataclasses.replace(full, text="", date_evidence=[])
        assert dataclasses.asdict(head) == dataclasses.asdict(expected)
    assert (heads["a2"].date_granularity, heads["a2"].duplicate_of) == ("month", "a1")
    assert any_store.article_heads([]) == []


def test_dated_timexes_are_the_date_and_time_expressions_placed_in_sentences(
    any_store: Store,
) -> None:
    a = _article(1, text="First one. Then on Monday at 5pm, for a week, and on Friday.")
    sentences = [Sentence(a.id, 0, "First one.", 0, 10), Sentence(a.id, 1, a.text[11:], 11, 60)]
    timexes = [
        TimeExpression(53, 59, "Friday", "DATE", "2017-04-21", sentence_index=1),
        TimeExpression(19, 25, "Monday", "DATE", "2017-04-17", sentence_index=1),
        TimeExpression(29, 32, "5pm", "TIME", "2017-04-17T17:00", sentence_index=1),
        TimeExpression(38, 44, "a week", "DURATION", "P1W", sentence_index=1),
        TimeExpression(0, 5, "First", "DATE", "2017", sentence_index=None),
    ]
    any_store.add_article(a, sentences, timexes)
    got = any_store.dated_timexes(["a1", "zz"])
    # text order; durations and expressions outside any sentence are left out
    assert got == {
        "a1": [(1, "2017-04-17"), (1, "2017-04-17T17:00"), (1, "2017-04-21")],
        "zz": [],
    }


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


def test_a_batch_is_stored_as_one_article_after_another(any_store: Store) -> None:
    """``add_articles`` inside a transaction: every article with its rows and index keys, in
    order; one whose text is stored already (another process's copy) is declined alone."""
    store = any_store
    _add(store, 2)  # stored before the batch, as another process would have
    items = []
    for n in (1, 2, 3):
        a = _article(n)
        items.append(
            NewArticle(
                a,
                [Sentence(a.id, 0, a.text, 0, len(a.text))],
                [TimeExpression(37, 44, "Tuesday", "DATE", "2017-04-18", sentence_index=0)],
                bytes([n]) * 8,
                [(0, bytes([n])), (1, b"shared")],
            )
        )
    with store.transaction():
        assert store.add_articles(items) == [True, False, True]
    assert [a.id for a in store.articles()] == ["a1", "a2", "a3"]
    assert [s.text for s in store.sentences(["a3"])["a3"]] == [_article(3).text]
    assert [t.value for t in store.timexes(["a1"])["a1"]] == ["2017-04-18"]
    assert store.minhashes_of(["a1", "a3"]) == {"a1": b"\x01" * 8, "a3": b"\x03" * 8}
    assert sorted(store.near_duplicate_candidates([(1, b"shared")])) == ["a1", "a3"]
    assert store.near_duplicate_candidates([(0, b"\x02")]) == []  # the declined one's keys
    found = store.near_duplicate_buckets([(1, b"shared"), (0, b"\x03"), (0, b"\x02")])
    assert {key: sorted(ids) for key, ids in found.items()} == {
        (1, b"shared"): ["a1", "a3"],
        (0, b"\x03"): ["a3"],
    }
    with store.transaction():
        assert store.add_articles([items[0], items[2]]) == [False, False]
    assert store.count_articles() == 3


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


def test_a_storys_end_held_only_by_a_month_or_year_estimate_is_named_so(
    any_store: Store,
) -> None:
    store = any_store
    day, mid = date(2017, 4, 19), date(2020, 7, 1)
    _add(store, 1, day)
    for n in (2, 3, 4):
        _add(store, n)
    store.update_article_date("a2", mid, "inferred", 0.2, ["a year"], "year")
    store.update_article_date("a3", mid, "inferred", 0.3, ["a month"], "month")
    store.update_article_date("a4", mid, "inferred", 0.9, ["the day"], "day")
    store.save_stories(
        [
            Story("year", "y", ["a1", "a2"], first=day, last=mid),
            Story("month", "m", ["a2", "a3"], first=mid, last=mid),
            Story("day", "d", ["a2", "a4"], first=mid, last=mid),
        ]
    )
    asked = [(s, d) for s in ("year", "month", "day") for d in (day, mid)]
    assert store.coarse_ends([*asked, ("nothing", mid)]) == {
        ("year", mid): "year",
        ("month", mid): "month",  # the finest estimate of that day's members
    }  # a member dated to the day (a4), or a day with no estimate (a1's), reads as a day
    assert store.coarse_ends([]) == {}


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


def test_stories_replaced_from_streamed_pairs_are_sized_and_keep_unchanged_timelines(
    any_store: Store,
) -> None:
    store = any_store
    for n in (1, 2, 3):
        _add(store, n, date(2017, 4, 18 + n))
    store.save_stories([Story("s1", "one", ["a1", "a2"]), Story("s3", "three", ["a3"])], b"x")
    store.save_timeline("s1", "default", {"title": "kept"})
    store.save_timeline("s3", "default", {"title": "old"})

    def pairs() -> Iterator[tuple[str, str]]:  # a generator: the engine must stream it
        yield from [("s1", "a1"), ("s3", "a3"), ("s1", "a2"), ("s3", "a2")]

    stories = [Story("s1", "one"), Story("s3", "three!"), Story("s9", "nobody's")]
    store.replace_stories(stories, pairs(), b"y")
    assert [s.id for s in store.stories()] == ["s1", "s3"]  # a story given no pair is dropped
    assert store.get_story("s3").article_ids == ["a2", "a3"]
    assert store.get_story("s3").label == "three!"
    assert [(s.id, n) for s, n in store.story_page(10)] == [("s1", 2), ("s3", 2)]
    assert store.story_state() == b"y"
    assert store.stories_needing_timeline("default", 1) == ["s3"]  # s3 changed: stale
    assert store.load_timeline("s1", "default") == {"title": "kept"}
    assert store.load_timeline("s3", "default") == {"title": "old"}  # served until replaced
    with pytest.raises(StoreError):  # a member that is not stored: nothing changes
        store.replace_stories([Story("s1", "one")], iter([("s1", "ghost")]), b"z")
    assert store.get_story("s3").article_ids == ["a2", "a3"] and store.story_state() == b"y"


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


# --- curation: the edit log, the machine's stories, edits of stored articles ----------------------
def _edit(kind: str, story_id: str | None, **target: object) -> Edit:
    return Edit(kind=kind, author="ana", story_id=story_id, target=dict(target))


def test_the_edit_log_keeps_edits_in_the_order_they_were_made(any_store: Store) -> None:
    store = any_store
    assert store.edits() == [] and store.edits("s1") == []
    rename = Edit(
        kind="story.rename",
        author="Zoë",
        story_id="s1",
        target={"story": "s1"},
        payload={"label": "Grève à Zürich", "before": {"label": "strike"}, "a": [1, None]},
        time="2026-11-30T10:00:00Z",
    )
    ids = [
        store.add_edit(rename),
        store.add_edit(_edit("story.merge", "s2", stories=["s10", "s1"])),
        store.add_edit(_edit("story.move", "s10", article="a1", to="s10", stories=["s2"])),
        store.add_edit(_edit("entry.pin", "s10", date="2017-04")),
    ]
    assert ids == sorted(ids) and len(set(ids)) == 4  # ids increase with time
    got = store.get_edit(ids[0])
    assert got.as_dict() == {**rename.as_dict(), "id": ids[0]}
    assert list(got.payload) == ["label", "before", "a"]  # printed as made: key order kept
    assert [e.id for e in store.edits()] == ids
    # A story is named by story_id or anywhere in the target, as a whole id: s1 is not s10.
    assert [e.id for e in store.edits("s1")] == ids[:2]
    assert [e.id for e in store.edits("s2")] == ids[1:3]
    assert [e.id for e in store.edits("s10")] == ids[1:]
    for odd in ("%", "_", "s_", '"', "\\", "\x00", "nope"):  # LIKE wildcards are literal
        assert store.edits(odd) == [], odd
    with pytest.raises(NotFoundError):
        store.get_edit(max(ids) + 1)


def test_an_undo_is_recorded_on_the_edit_it_reverted_and_can_be_cleared(any_store: Store) -> None:
    store = any_store
    first = store.add_edit(_edit("story.rename", "s1", story="s1"))
    undo = store.add_edit(_edit("undo", "s1", edit=first))
    store.mark_undone(first, undo)
    log = store.edits()
    assert [(e.id, e.kind, e.undone_by, e.active) for e in log] == [
        (first, "story.rename", undo, False),
        (undo, "undo", None, False),
    ]
    assert store.get_edit(undo).target == {"edit": first}
    store.mark_undone(first, None)
    assert store.get_edit(first).undone_by is None and store.get_edit(first).active


def test_a_read_only_store_or_a_busy_one_records_no_edit(location: str) -> None:
    with open_store(location) as store:
        _add(store, 1)
        first = store.add_edit(_edit("story.rename", "s1", story="s1"))
    with open_store(location, read_only=True) as ro:
        for write in (
            lambda: ro.add_edit(_edit("story.rename", "s1", story="s1")),
            lambda: ro.mark_undone(first, 7),
            lambda: ro.save_machine_stories([Story("s1", "one", ["a1"])]),
            lambda: ro.set_article_date("a1", date(2020, 1, 1), "user", None, [], "day"),
            lambda: ro.delete_article("a1"),
        ):
            with pytest.raises(StoreError):
                write()
        assert [e.id for e in ro.edits()] == [first]
    quick = StoreConfig(busy_timeout_seconds=0.2)
    with hold_write_lock_on(location), open_store(location, quick) as store:
        with pytest.raises(StoreBusyError):
            store.add_edit(_edit("story.rename", "s1", story="s1"))
        with pytest.raises(StoreBusyError):
            store.delete_article("a1")
    with open_store(location) as store:
        assert [e.id for e in store.edits()] == [first] and store.count_articles() == 1
        assert store.get_edit(first).undone_by is None


def test_the_machine_stories_are_replaced_as_a_whole(any_store: Store) -> None:
    store = any_store
    assert store.machine_stories() is None  # none saved yet (a store older than curation)
    made = [
        Story("s2", "two", ["a3"], first=date(2017, 4, 19), last=date(2017, 5, 1)),
        Story("s1", "Grève à Zürich", ["a2", "a1"], parent_id="s2"),
    ]
    store.save_machine_stories(made)
    assert store.machine_stories() == [made[1], made[0]]  # by id; members as the machine had
    store.save_machine_stories([Story("s3", "three", ["a9"])])
    assert store.machine_stories() == [Story("s3", "three", ["a9"])]
    assert store.stories() == []  # the stories readers see are saved apart (save_stories)
    store.save_machine_stories([])
    assert store.machine_stories() is None


def test_a_person_can_set_any_date_and_put_the_old_one_back(any_store: Store) -> None:
    store = any_store
    _add(store, 1, date(2017, 4, 19))
    before = store.get_article("a1")
    store.set_article_date("a1", date(2020, 11, 17), "user", None, ["set by ana"], "day")
    got = store.get_article("a1")
    assert (got.published, got.date_source, got.date_confidence) == (
        date(2020, 11, 17),
        "user",
        None,
    )
    assert (got.date_evidence, got.date_granularity) == (["set by ana"], "day")
    # an inferred date does not overwrite a person's; the person's own undo does
    store.update_article_date("a1", date(2001, 1, 1), "inferred", 0.9, ["why"], "day")
    assert store.get_article("a1").published == date(2020, 11, 17)
    store.set_article_date(
        "a1",
        before.published,
        before.date_source,
        before.date_confidence,
        before.date_evidence,
        before.date_granularity,
    )
    assert store.get_article("a1") == before
    store.set_article_date("a1", None, None, None, [], "month")  # no date: no granularity
    got = store.get_article("a1")
    assert (got.published, got.date_source, got.date_granularity) == (None, None, None)
    assert store.published_dates(["a1"]) == {"a1": None}
    store.set_article_date("nope", date(2020, 1, 1), "user", None, [], "day")  # changes nothing
    assert store.count_articles() == 1


def test_deleting_an_article_removes_it_and_what_was_derived_from_it(any_store: Store) -> None:
    store = any_store
    original = _add(store, 1, date(2017, 4, 19))
    near = _article(2, published=date(2017, 4, 20))
    near.duplicate_of = "a1"
    text = near.text
    store.add_article(near, [Sentence("a2", 0, text, 0, len(text))], [], minhash=b"\x02" * 8)
    _add(store, 3, text="A third report on the summit in Geneva.")
    store.save_stories(
        [Story("s1", "one", ["a1", "a3"]), Story("s2", "two", ["a2"])], state=b"state"
    )
    for story in ("s1", "s2"):
        store.save_timeline(story, "default", {"story": story})
    sentences, timexes = store.sentences(["a1"])["a1"], store.timexes(["a1"])["a1"]

    assert store.duplicates_of("a1") == ["a2"] and store.duplicates_of("a2") == []
    store.delete_article("a1")
    with pytest.raises(NotFoundError):
        store.get_article("a1")
    assert store.count_articles() == 2 and store.article_id_for_hash("h1") is None
    assert store.sentences(["a1"]) == {"a1": []} and store.timexes(["a1"]) == {"a1": []}
    assert "a1" not in dict(store.minhashes())
    assert {h.sentence.article_id for h in store.search("talks")} == {"a2"}
    assert [a.id for a in store.articles(query="talks")] == ["a2"]
    assert store.get_article("a2").duplicate_of is None  # its near-duplicate is an original now
    assert store.stats()["near_duplicates"] == 0
    assert store.story_ids_of("a1") == []
    assert store.get_story("s1").article_ids == ["a3"]  # the story stays, without the article
    assert store.load_timeline("s1", "default") is None  # its timeline was made with it
    assert store.load_timeline("s2", "default") == {"story": "s2"}
    assert store.story_state() == b"state"
    store.delete_article("a1")  # deleting what is gone changes nothing
    assert store.count_articles() == 2

    # Undo puts the same article back: its hash, sentences and full-text entries are free again.
    assert store.add_article(original, sentences, timexes, minhash=bytes([1]) * 8)
    assert store.get_article("a1") == original
    assert store.sentences(["a1"])["a1"] == sentences
    assert store.timexes(["a1"])["a1"] == timexes
    assert {h.sentence.article_id for h in store.search("talks")} == {"a1", "a2"}
    assert store.duplicates_of("a1") == []
    store.set_duplicate_of(["a2"], "a1")  # and its copy is linked to it again
    assert store.duplicates_of("a1") == ["a2"] and store.get_article("a2").duplicate_of == "a1"
    assert store.stats()["near_duplicates"] == 1


def test_dropping_timelines_forgets_only_those_stories(any_store: Store) -> None:
    store = any_store
    _add(store, 1)
    _add(store, 2)
    store.save_stories([Story("s1", "one", ["a1"]), Story("s2", "two", ["a2"])])
    for story in ("s1", "s2"):
        store.save_timeline(story, "default", {"story": story})
        store.save_timeline(story, "query", {"q": story})
    store.drop_timelines([])
    store.drop_timelines(["nope", "%"])
    assert store.load_timeline("s1", "query") == {"q": "s1"}
    store.drop_timelines(["s1"])
    assert (
        store.load_timeline("s1", "default") is None and store.load_timeline("s1", "query") is None
    )
    assert store.load_timeline("s2", "default") == {"story": "s2"}
    assert [s.id for s in store.stories()] == ["s1", "s2"]  # the stories stay


def test_timelines_of_a_page_of_stories_are_read_at_once(any_store: Store) -> None:
    """load_timelines: what load_timeline gives for each story that has data under the key
    (stale data included: it is served until replaced), nothing for the others."""
    store = any_store
    for n in range(1, 4):
        _add(store, n)
    stories = [Story(f"s{n}", f"story {n}", [f"a{n}"]) for n in range(1, 4)]
    store.save_stories(stories)
    store.save_timeline("s1", "days", {"days": [["2017-04-18", 1]]})
    store.save_timeline("s2", "days", {"days": []})
    store.save_timeline("s3", "default", {"story": "s3"})
    wanted = ["s1", "s2", "s3", "nope", "%", "s1"]
    assert store.load_timelines(wanted, "days") == {
        "s1": {"days": [["2017-04-18", 1]]},
        "s2": {"days": []},
    }
    assert store.load_timelines([], "days") == {}
    store.save_stories([Story("s1", "story 1", ["a1", "a2"]), *stories[1:2]])  # s1 grew
    assert store.load_timelines(["s1", "s2", "s3"], "days") == {
        "s1": {"days": [["2017-04-18", 1]]},  # stale, still served
        "s2": {"days": []},  # s3 was deleted with its timelines
    }
    assert store.stories_needing_timeline("days", 1) == ["s1"]


def test_search_pages_are_ranked_and_do_not_overlap(any_store: Store) -> None:
    """Paged search: the pages in turn are the ranking of the whole result, none repeated."""
    store = any_store
    for n in range(1, 13):
        words = " ".join(["talks"] * (n % 4 + 1))
        _add(store, n, text=f"Article {n}: the {words} went on, held on Tuesday {n}.")
    whole = store.search("talks", limit=100)
    assert len(whole) == 12
    ranks = [h.rank for h in whole]
    assert ranks == sorted(ranks)
    paged = [h for k in range(0, 12, 5) for h in store.search("talks", limit=5, offset=k)]
    key = [(h.sentence.article_id, h.sentence.index) for h in paged]
    assert key == [(h.sentence.article_id, h.sentence.index) for h in whole]
    assert len(set(key)) == 12


def _key(hit: SearchHit) -> tuple[str, int]:
    return hit.sentence.article_id, hit.sentence.index


def test_a_capped_search_ranks_the_newest_matches_alike_on_every_engine(any_store: Store) -> None:
    """``max_matches``: only the most recently stored matching sentences are ranked and give
    the matching articles, so both engines answer a capped query with the same sentences; a
    cap at or above the number of matches changes nothing; titles are all looked for."""
    store = any_store
    for n in range(1, 13):
        words = " ".join(["talks"] * (n % 4 + 1))
        day = date(2017, 4, 30 - n)  # stored newest last, published newest first
        _add(store, n, day, text=f"Article {n}: the {words} went on, held on Tuesday {n}.")
    _add(store, 13, date(2017, 4, 1), text="Nothing to see on Tuesday.")
    whole = store.search("talks", limit=100)
    capped = store.search("talks", limit=100, max_matches=5)
    assert {_key(h) for h in capped} == {(f"a{n}", 0) for n in range(8, 13)}
    assert [h.rank for h in capped] == sorted(h.rank for h in capped)
    ranks = {_key(h): h.rank for h in whole}
    assert all(ranks[_key(h)] == h.rank for h in capped)  # ranked as they are uncapped
    paged = [h for k in (0, 2, 4) for h in store.search("talks", 2, k, max_matches=5)]
    assert [_key(h) for h in paged] == [_key(h) for h in capped]
    assert store.search("talks", limit=100, offset=5, max_matches=5) == []
    for cap in (12, 13, 1000):
        assert store.search("talks", limit=100, max_matches=cap) == whole
        assert store.articles(query="talks", max_matches=cap) == store.articles(query="talks")
    newest = [a.id for a in store.articles(query="talks", max_matches=5)]
    assert newest == ["a12", "a11", "a10", "a9", "a8"]  # by publication date
    assert [a.id for a in store.articles(query="talks", limit=2, offset=1, max_matches=5)] == [
        "a11",
        "a10",
    ]
    titled = [a.id for a in store.articles(query="Title 1", max_matches=1)]
    assert titled == ["a13", "a12", "a11", "a10", "a1"]  # "Title 1…": by title, whatever the cap
    assert store.count_matches("talks", 100) == 12
    assert store.count_matches("talks", 6) == 6
    assert store.count_matches("Tuesday", 100) == 13
    assert store.count_matches("***", 5) == 0 and store.count_matches("absent", 5) == 0


def test_one_process_at_a_time_regroups_the_stories(location: str) -> None:
    """``stories_lock`` is exclusive across connections (processes, in use), waits without the
    busy timeout, and is released when the block ends, also when it raises."""
    with open_store(location) as first, open_store(location) as second:
        second.busy_timeout = 0.2  # the regrouping lock must not give up like a write does
        order: list[str] = []
        inside = threading.Event()

        def regroup() -> None:
            with second.stories_lock():
                order.append("second")

        with first.stories_lock():
            waiter = threading.Thread(target=regroup)
            waiter.start()
            inside.wait(1.0)  # well past the second store's busy timeout
            order.append("first")
        waiter.join(timeout=30)
        assert order == ["first", "second"]
        with pytest.raises(RuntimeError), first.stories_lock():
            raise RuntimeError("a regrouping that fails")
        with second.stories_lock():  # released by the failure
            pass
        with second.stories_lock(), second.stories_lock():  # nested: joins the outer block
            pass
        nested_done = threading.Event()

        def nested() -> None:  # in a thread, so that a lock waiting on itself fails, not hangs
            with first.stories_lock(), first.stories_lock():
                nested_done.set()

        runner = threading.Thread(target=nested, daemon=True)
        runner.start()
        runner.join(timeout=10)
        assert nested_done.is_set(), "a nested stories_lock waited for its own outer block"
