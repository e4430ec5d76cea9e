"""When an ingest recomputes a story's stored timeline (setting ``timeline.refresh_share``).

A story that grows by less than the share keeps serving its stored timeline, and its page says
from how many articles it was made; a small story is recomputed on every new article; a later
``build-stories`` (or a larger growth) recomputes the waiting ones.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import RunCli
from engines import ENGINES, store_location
from storyline.corpus import BASIS
from storyline.store import open_store

WORDS = {  # each story its own words, so that the two never look alike
    "ferry strike": [
        "ferry",
        "dockers",
        "union",
        "pickets",
        "harbour",
        "crossing",
        "wages",
        "ballot",
        "ships",
        "port",
    ],
    "bridge tender": [
        "bridge",
        "tender",
        "council",
        "engineers",
        "steel",
        "contract",
        "budget",
        "river",
        "span",
        "bid",
    ],
}


def _records(first: int, count: int, topic: str, rng: random.Random) -> list[dict[str, str]]:
    words = WORDS[topic]
    out = []
    for n in range(first, first + count):
        day = date(2021, 3, 1) + timedelta(days=n % 40)
        out.append(
            {
                "title": f"{topic} day {n}",
                "maintext": f"The {topic} entered day {n} on {day:%B} {day.day}, {day.year}, "
                f"the {topic} committee said on {day:%A}. "
                + " ".join(" ".join(rng.choices(words, k=12)).capitalize() + "." for _ in "abc"),
                "date_publish": f"{day.isoformat()} 09:00:00",
                "url": f"https://example.org/{topic.replace(' ', '-')}/{n}",
                "source_domain": "example.org",
            }
        )
    return out


def _write(folder: Path, name: str, records: list[dict[str, str]]) -> Path:
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _sizes(db: str) -> dict[str, tuple[int, int | None]]:
    """Each story's size and the size its stored timeline was computed at."""
    with open_store(db, read_only=True) as store:
        out = {}
        for story in store.stories():
            record = store.load_timeline(story.id, BASIS) or {}
            out[story.id] = (len(story.article_ids), record.get("articles"))
        return out


@pytest.fixture(params=ENGINES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store's location on each engine (PostgreSQL when a test server is given)."""
    with store_location(request.param, tmp_path) as location:
        yield location


def test_an_ingest_recomputes_a_timeline_once_its_story_has_grown_enough(
    tmp_path: Path, run_cli: RunCli, db: str
) -> None:
    rng = random.Random(7)
    big = _records(0, 60, "ferry strike", rng)
    small = _records(0, 10, "bridge tender", rng)
    first = run_cli("ingest", str(_write(tmp_path, "a.jsonl", big + small)), "--db", db)
    assert first.code == 0, first.err
    sizes = _sizes(db)
    assert sorted(sizes.values()) == [(10, 10), (60, 60)], sizes
    big_id = next(s for s, (n, _) in sizes.items() if n == 60)

    # One more article each: the small story's timeline is recomputed, the large one's waits
    more = _records(60, 1, "ferry strike", rng) + _records(10, 1, "bridge tender", rng)
    assert run_cli("ingest", str(_write(tmp_path, "b.jsonl", more)), "--db", db).code == 0
    assert sorted(_sizes(db).values()) == [(11, 11), (61, 60)]
    with open_store(db, read_only=True) as store:
        assert big_id in store.stories_needing_timeline("default", 2)  # still marked stale

    from test_web_paging import _get

    page = _get(db, f"/stories/{big_id}.json").json()
    assert page["timeline_source"] == "stored" and page["timeline_articles"] == 60
    assert page["story"]["articles"] == 61
    assert "stored when the story had 60 articles" in _get(db, f"/stories/{big_id}").text

    # Growth that reaches the share (2 % of 60 is 1.2 articles) recomputes it
    again = _records(61, 1, "ferry strike", rng)
    assert run_cli("ingest", str(_write(tmp_path, "c.jsonl", again)), "--db", db).code == 0
    assert sorted(_sizes(db).values()) == [(11, 11), (62, 62)]
    assert "stored when the story was built" in _get(db, f"/stories/{big_id}").text


def test_build_stories_recomputes_a_waiting_timeline_and_a_zero_share_never_waits(
    tmp_path: Path, run_cli: RunCli, db: str
) -> None:
    rng = random.Random(8)
    assert run_cli(
        "ingest", str(_write(tmp_path, "a.jsonl", _records(0, 60, "ferry strike", rng))),
        "--db", db,
    ).code == 0  # fmt: skip
    one = _write(tmp_path, "b.jsonl", _records(60, 1, "ferry strike", rng))
    assert run_cli("ingest", str(one), "--db", db).code == 0
    assert list(_sizes(db).values()) == [(61, 60)]
    stats = run_cli("stats", "--db", db, "--json").json()
    assert isinstance(stats, dict) and stats["timelines_to_refresh"] == 1
    assert "timelines to refresh │ 1" in run_cli("stats", "--db", db).out
    built = run_cli("build-stories", "--db", db)
    assert built.code == 0, built.err
    assert list(_sizes(db).values()) == [(61, 61)]
    assert run_cli("stats", "--db", db, "--json").json()["timelines_to_refresh"] == 0  # type: ignore[index]
    with open_store(db, read_only=True) as store:
        assert store.stories_needing_timeline("default", 2) == []

    from storyline.corpus import Corpus
    from storyline.settings import Config, TimelineConfig

    every_change = Config(timeline=TimelineConfig(refresh_share=0))
    two = _write(tmp_path, "c.jsonl", _records(61, 1, "ferry strike", rng))
    with Corpus(db, config=every_change) as corpus:
        assert corpus.ingest([str(two)]).accepted == 1
    assert list(_sizes(db).values()) == [(62, 62)]
