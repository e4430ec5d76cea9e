"""Serving at scale (issue 12): pages come from indexed queries, a changed story's stored
timeline is served until its replacement is written, query timelines are capped by a setting."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import httpx
import pytest

from storyline.records import Article, Sentence, Story, TimeExpression, Timeline
from storyline.settings import Config, WebConfig
from storyline.store import SQLiteStore
from storyline.web import create_app


def _add(store: SQLiteStore, n: int, day: date) -> str:
    text = f"The ferry strike entered day {n} on {day:%B} {day.day}, {day.year}, the union said."
    a = Article(
        id=f"a{n:03d}",
        text=text,
        title=f"Strike day {n}",
        source=f"/in/{n}.txt",
        published=day,
        date_source="given",
        content_hash=f"h{n}",
    )
    at = text.index(f"{day:%B}")
    tx = TimeExpression(at, at + 10, text[at : at + 10], "DATE", day.isoformat(), sentence_index=0)
    store.add_article(a, [Sentence(a.id, 0, text, 0, len(text))], [tx])
    return a.id


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "paging.db"
    with SQLiteStore(path) as store:
        ids = [_add(store, n, date(2019, 6, 1 + n % 28)) for n in range(30)]
        store.save_stories(
            [
                Story("sbig", "Ferry strike", ids[:20], date(2019, 6, 1), date(2019, 6, 28)),
                Story("smid", "Union talks", ids[20:27]),
                Story("ssmall", "Port", ids[27:]),
            ]
        )
        store.save_timeline("sbig", "default", Timeline("Ferry strike (old)", []).as_dict())
    return path


def _get(path: Path, url: str, config: Config | None = None) -> httpx.Response:
    import asyncio

    async def go() -> httpx.Response:
        app = create_app(path, config=config)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get(url)
        app.state.pool.close()
        return response

    return asyncio.run(go())


def test_stories_are_paged_largest_first_with_their_sizes(store_file: Path) -> None:
    first = _get(store_file, "/stories.json?size=2").json()
    assert first["total"] == 3 and first["pages"] == 2
    assert [(s["id"], s["articles"]) for s in first["stories"]] == [("sbig", 20), ("smid", 7)]
    assert sum(bar["count"] for bar in first["stories"][0]["chart"]) == 20
    second = _get(store_file, "/stories.json?size=2&page=2").json()
    assert [s["id"] for s in second["stories"]] == ["ssmall"]


def test_a_story_page_reads_one_page_of_its_articles_in_date_order(store_file: Path) -> None:
    data = _get(store_file, "/stories/sbig.json?size=5&page=2").json()
    assert data["total"] == 20 and data["story"]["articles"] == 20
    with SQLiteStore(store_file, read_only=True) as store:
        ordered = store.get_story("sbig").article_ids
    assert [a["id"] for a in data["articles"]] == ordered[5:10]
    days = [a["published"] for a in data["articles"]]
    assert days == sorted(days)


def test_a_changed_story_serves_its_old_timeline_until_the_new_one_is_stored(
    store_file: Path,
) -> None:
    with SQLiteStore(store_file) as store:
        grown = store.get_story("sbig")
        grown.article_ids.append("a029")
        store.save_stories([grown, Story("smid", "Union talks", store.story_members("smid"))])
    data = _get(store_file, "/stories/sbig.json").json()
    assert data["timeline_source"] == "stored"
    assert data["timeline"]["title"] == "Ferry strike (old)"
    with SQLiteStore(store_file) as store:
        assert store.stories_needing_timeline("default", 1) == ["sbig", "smid"]
        store.save_timeline("sbig", "default", Timeline("Ferry strike (new)", []).as_dict())
    assert (
        _get(store_file, "/stories/sbig.json").json()["timeline"]["title"] == "Ferry strike (new)"
    )


def test_a_query_timeline_is_capped_and_says_so(store_file: Path) -> None:
    config = Config(web=WebConfig(query_max_articles=4))
    capped = _get(store_file, "/timeline.json?q=ferry+strike", config).json()
    assert capped["parameters"]["capped"] == {"matched": 30, "used": 4}
    assert capped["parameters"]["articles"] == 4
    page = _get(store_file, "/timeline?q=ferry+strike", config).text
    assert "from 4 articles (a sample, spread evenly over time, of the 30 that match)" in page
    whole = _get(store_file, "/timeline.json?q=ferry+strike").json()
    assert "capped" not in whole["parameters"] and whole["parameters"]["articles"] == 30
    assert whole["entries"]


def test_a_query_timeline_looks_in_a_bounded_spread_of_its_matches(store_file: Path) -> None:
    """More matching sentences than ``web.query_max_matches``: the articles are found among
    that many, taken from every part of the store, and the JSON and the page say so."""
    config = Config(web=WebConfig(query_max_matches=6))
    spread = _get(store_file, "/timeline.json?q=ferry+strike", config).json()
    capped = spread["parameters"]["capped"]
    assert capped == {"matched": 6, "used": 6, "sentences": 6}
    assert spread["parameters"]["articles"] == 6 and spread["entries"]
    cited = {c["article_id"] for e in spread["entries"] for c in e["sentences"]}
    assert "a029" in cited or "a028" in cited  # the newest range is among them
    page = _get(store_file, "/timeline?q=ferry+strike", config).text
    assert "of the 6 that match in 6 of the matching sentences, taken across the whole" in page
    enough = Config(web=WebConfig(query_max_matches=30))
    assert (
        "capped"
        not in _get(store_file, "/timeline.json?q=ferry+strike", enough).json()["parameters"]
    )


def test_a_search_is_capped_and_says_so(store_file: Path) -> None:
    """More matching sentences than ``web.search_max_matches``: the newest stored are ranked
    and listed the articles of, and the JSON and the page say so; under the cap, no note."""
    config = Config(web=WebConfig(search_max_matches=4))
    capped = _get(store_file, "/search.json?q=ferry+strike&size=10", config).json()
    assert capped["capped"]["searched"] == 4
    assert "4 most recently stored" in capped["capped"]["note"]
    assert {h["article_id"] for h in capped["hits"]} == {"a026", "a027", "a028", "a029"}
    assert [a["id"] for a in capped["articles"]] == ["a028", "a029", "a026", "a027"]  # by date
    page = _get(store_file, "/search?q=ferry+strike", config).text
    assert "4 most recently stored were ranked" in page
    whole = _get(store_file, "/search.json?q=ferry+strike&size=50").json()
    assert whole["capped"] is None and len(whole["hits"]) == len(whole["articles"]) == 30
    exact = Config(web=WebConfig(search_max_matches=30))
    assert _get(store_file, "/search.json?q=ferry+strike&size=50", exact).json() == whole
    assert "most recently stored" not in _get(store_file, "/search?q=ferry+strike").text


def test_a_large_story_timeline_is_built_from_a_stable_sample_and_says_so(
    store_file: Path,
) -> None:
    """Over ``timeline.story_max_articles`` articles, a story's timeline (asked for, stored by
    a refresh, and served) reads the articles whose ids hash lowest: the same ones on every
    run. Under the cap nothing changes."""
    from storyline.corpus import Corpus
    from storyline.settings import TimelineConfig

    config = Config(timeline=TimelineConfig(story_max_articles=8))
    with Corpus(store_file, config=config) as corpus:
        asked = corpus.timeline(story="sbig")
        again = corpus.timeline(story="sbig")
        assert asked.parameters["capped"] == {"in_story": 20, "used": 8}
        assert asked.parameters["articles"] == 8
        assert asked.as_dict() == again.as_dict()
        cited = {c.article_id for e in asked.entries for c in e.sentences}
        with SQLiteStore(store_file, read_only=True) as store:
            members = store.get_story("sbig").article_ids
            days = store.published_dates(members)

        def rank(article_id: str) -> bytes:
            return hashlib.blake2b(article_id.encode(), digest_size=8).digest()

        sample = sorted(members, key=rank)[:8]
        assert cited and cited <= set(sample)
        assert {e.date for e in asked.entries} <= {days[i] for i in sample}
    at_cap = Config(timeline=TimelineConfig(story_max_articles=7))  # smid's very size
    with Corpus(store_file, config=at_cap) as corpus:
        small = corpus.timeline(story="smid")
        assert "capped" not in small.parameters and small.parameters["articles"] == 7
    with Corpus(store_file, config=Config(timeline=TimelineConfig(story_max_articles=6))) as c:
        assert c.timeline(story="smid").parameters["capped"] == {"in_story": 7, "used": 6}
    with Corpus(store_file, config=config) as corpus:
        corpus.store.drop_timelines(["sbig"])
        corpus.refresh_timelines()
    served = _get(store_file, "/stories/sbig.json", config).json()
    assert served["timeline_source"] == "stored"
    assert served["timeline"]["parameters"]["capped"] == {"in_story": 20, "used": 8}
    page = _get(store_file, "/stories/sbig", config).text
    assert "built from a sample of 8 of its articles" in page
    uncapped = Corpus(store_file, read_only=True).timeline(story="sbig")
    assert "capped" not in uncapped.parameters and uncapped.parameters["articles"] == 20


def test_stored_day_counts_and_reporting_serve_what_the_articles_give(store_file: Path) -> None:
    """A story's chart and reporting are stored with its timeline when timelines are refreshed
    and read back by the pages; the pages are the same as when computed from the articles (a
    store made before they were stored), and refreshing such a store adds them without
    recomputing its timelines."""
    import sqlite3

    from storyline.corpus import Corpus

    with Corpus(store_file) as corpus:
        assert corpus.refresh_timelines() == 2  # smid, ssmall; sbig's stored timeline is kept
    urls = ["/stories.json", "/stories/sbig.json", "/stories/smid.json?size=3&page=2"]
    urls += ["/stories/smid/coverage.json", "/stories/sbig"]
    stored = [_get(store_file, url) for url in urls]
    with SQLiteStore(store_file, read_only=True) as store:
        summaries = store.load_timelines(["sbig", "smid", "ssmall"], "reporting")
        assert set(summaries) == {"sbig", "smid", "ssmall"}
        assert summaries["smid"]["articles"] == 7 and summaries["smid"]["firsts"]
        assert store.load_timeline("sbig", "default")["title"] == "Ferry strike (old)"
    with SQLiteStore(store_file) as store:  # what is served is what is stored
        store.save_timeline("smid", "reporting", {**summaries["smid"], "articles": 70})
    assert _get(store_file, "/stories/smid.json").json()["reporting"]["articles"] == 70
    with SQLiteStore(store_file) as store:
        store.save_timeline("smid", "reporting", summaries["smid"])
    with sqlite3.connect(store_file) as db:  # as a store made before summaries were stored
        db.execute("DELETE FROM timelines WHERE key IN ('days', 'reporting')")
    computed = [_get(store_file, url) for url in urls]
    for url, a, b in zip(urls, stored, computed, strict=True):
        assert a.status_code == b.status_code == 200, url
        if url.endswith("sbig"):  # the HTML page: same text, charts included
            assert a.text == b.text
        else:
            assert a.json() == b.json(), url
    assert computed[0].json()["stories"][0]["chart"]  # not an empty page compared to itself
    with Corpus(store_file) as corpus:
        assert corpus.refresh_timelines() == 0  # no timeline recomputed ...
    with SQLiteStore(store_file, read_only=True) as store:  # ... their summaries stored again
        assert set(store.load_timelines(["sbig", "smid", "ssmall"], "days")) == {
            "sbig",
            "smid",
            "ssmall",
        }


def test_a_refresh_keeps_a_sampled_timeline_whose_sample_did_not_change(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story over the cap that grows by articles outside its sample keeps its stored
    timeline (counts and title updated, reporting recomputed); one whose sample changed is
    recomputed. Either way the result is what a recompute from nothing gives."""
    import storyline.timeline as timeline_module
    from storyline.corpus import Corpus
    from storyline.settings import TimelineConfig

    built: list[int] = []
    real = timeline_module.timeline_from_pool

    def counted(*args: object, **kwargs: object) -> Timeline:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline_module, "timeline_from_pool", counted)

    def rank(article_id: str) -> bytes:
        return hashlib.blake2b(article_id.encode(), digest_size=8).digest()

    config = Config(timeline=TimelineConfig(story_max_articles=8))
    with Corpus(store_file, config=config) as corpus:
        store = corpus.store
        store.drop_timelines(["sbig"])
        corpus.refresh_timelines()
        members = store.get_story("sbig").article_ids
        last = max(rank(i) for i in sorted(members, key=rank)[:8])
        extra = [n for n in range(100, 400) if f"a{n:03d}" not in members]
        outside = [n for n in extra if rank(f"a{n:03d}") > last][:2]
        inside = next(n for n in extra if rank(f"a{n:03d}") < last)

        def grow(numbers: list[int], label: str) -> None:
            ids = [_add(store, n, date(2019, 6, 1 + n % 28)) for n in numbers]
            stories = store.stories()
            for story in stories:
                if story.id == "sbig":
                    story.article_ids.extend(ids)
                    story.label = label
            store.save_stories(stories)
            assert "sbig" in store.stories_needing_timeline("default", 2)

        def fresh() -> dict[str, object]:  # what a refresh from nothing stores
            with Corpus(store_file, config=config, read_only=True) as reader:
                return reader.timeline(story="sbig").as_dict()

        before = store.load_timeline("sbig", "default")
        built.clear()
        grow(outside, "Ferry strike, day 2")
        corpus.refresh_timelines()
        kept = store.load_timeline("sbig", "default")
        assert built == []  # not recomputed
        assert kept is not None and before is not None
        assert kept["entries"] == before["entries"]
        assert kept["title"] == "Ferry strike, day 2"
        assert kept["parameters"]["capped"] == {"in_story": 22, "used": 8}
        assert kept == fresh()
        reported = store.load_timeline("sbig", "reporting")
        assert reported is not None and reported["articles"] == 22  # the new ones counted

        built.clear()
        grow([inside], "Ferry strike, day 3")
        corpus.refresh_timelines()
        assert built == [1]  # its sample changed: recomputed
        assert store.load_timeline("sbig", "default") == fresh()


def test_a_timeline_basis_changes_with_anything_a_timeline_reads_but_text(
    store_file: Path,
) -> None:
    from storyline.settings import TimelineConfig
    from storyline.timeline import timeline_basis

    ids = ["a001", "a002", "a003"]
    with SQLiteStore(store_file) as store:
        config = TimelineConfig()
        basis = timeline_basis(store, ids, config)
        assert timeline_basis(store, list(reversed(ids)) + ["a001"], config) == basis
        assert timeline_basis(store, ids[:2], config) != basis
        assert timeline_basis(store, ids, TimelineConfig(lead_sentences=2)) != basis
        changes = [
            "UPDATE articles SET published = '2019-07-01' WHERE id = 'a002'",
            "UPDATE articles SET date_granularity = 'month' WHERE id = 'a002'",
            "UPDATE articles SET duplicate_of = 'a001' WHERE id = 'a003'",
            "UPDATE articles SET source_name = 'Wire' WHERE id = 'a003'",
            "UPDATE articles SET title = 'Another' WHERE id = 'a001'",
            "UPDATE articles SET url = 'http://x' WHERE id = 'a001'",
            "UPDATE articles SET source = '/elsewhere/1.txt' WHERE id = 'a001'",
        ]
        seen = {basis}
        for change in changes:
            store._db.execute(change)
            now = timeline_basis(store, ids, config)
            assert now not in seen, change
            seen.add(now)
