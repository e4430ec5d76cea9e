"""Story detection as a user meets it: ingest, build-stories, stories, show-story, incremental."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from conftest import RunCli
from storyline.settings import StoryConfig
from storyline.stories.online import Clusters, assign_batch, time_weight
from storyline.stories.state import DetectorState

VOLCANO = [
    "The Katla volcano in southern Iceland erupted {when}, sending an ash cloud over Reykjavik.",
    "The Icelandic Met Office raised the aviation alert for Katla to red as the ash plume grew.",
    "Flights from Keflavik airport were grounded while the ash cloud drifted toward Europe.",
    "Farmers near Vik evacuated livestock as meltwater floods swept across the Myrdalsjokull.",
    "Civil Protection chief Vidir Reynisson said the eruption at Katla could last for weeks.",
]
STRIKE = [
    "Sydney ferry crews walked off the job {when} in a pay dispute with Transport for NSW.",
    "The Maritime Union of Australia said ferry masters at Circular Quay would strike again.",
    "Commuters crowded onto Harbour Bridge buses as the Manly ferry service was cancelled.",
    "Transport Minister Jo Haylen urged the Maritime Union to return to the Fair Work Commission.",
    "The union said deckhands on the Parramatta River ferries had gone three years without a raise.",
]


def _article(lines: list[str], k: int, day: date) -> str:
    body = [lines[(k + i) % len(lines)].format(when="on Tuesday") for i in range(4)]
    return f"date {day.isoformat()}\n" + "\n".join(body) + f"\nUpdate {k}: more to follow.\n"


def write_corpus(folder: Path, per_story: int = 5, start: int = 0) -> dict[str, str]:
    """Two unrelated running stories; returns file name → story tag."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = {}
    for k in range(start, start + per_story):
        for tag, lines, first in (
            ("volcano", VOLCANO, date(2021, 3, 1)),
            ("strike", STRIKE, date(2021, 3, 3)),
        ):
            name = f"{tag}{k}.txt"
            (folder / name).write_text(_article(lines, k, first + timedelta(days=2 * k)))
            truth[name] = tag
    return truth


def _stories(run_cli: RunCli, db: Path) -> list[dict]:
    result = run_cli("stories", "--json", "--db", str(db))
    assert result.code == 0, result.err
    stories = result.json()
    assert isinstance(stories, list)
    return stories


def _sources(run_cli: RunCli, db: Path) -> dict[str, str]:
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    assert isinstance(rows, list)
    return {r["id"]: re.sub(r"\d*\.txt$", "", Path(r["source"]).name) for r in rows}


def test_build_stories_groups_each_article_once(run_cli: RunCli, tmp_path: Path) -> None:
    write_corpus(tmp_path / "news")
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(tmp_path / "news"), "--db", str(db)).code == 0
    built = run_cli("build-stories", "--db", str(db))
    assert built.code == 0, built.err
    assert "2 stories over 10 articles" in built.out
    stories = _stories(run_cli, db)
    assert len(stories) == 2
    ids = [a for s in stories for a in s["articles"]]
    assert len(ids) == len(set(ids)) == 10
    tag_of = _sources(run_cli, db)
    for s in stories:
        assert set(s) == {"id", "label", "articles", "first", "last"}
        assert len({tag_of[a] for a in s["articles"]}) == 1
        assert s["first"] <= s["last"]
    by_tag = {tag_of[s["articles"][0]]: s for s in stories}
    volcano, strike = by_tag["volcano"], by_tag["strike"]
    assert any(n in volcano["label"] for n in ("Katla", "Icelandic Met Office", "Keflavik"))
    assert any(n in strike["label"] for n in ("Maritime Union", "Circular Quay", "Fair Work"))
    assert (volcano["first"], volcano["last"]) == ("2021-03-01", "2021-03-09")
    assert len(_stories_limited(run_cli, db)) == 1


def _stories_limited(run_cli: RunCli, db: Path) -> list[dict]:
    result = run_cli("stories", "--json", "--limit", "1", "--db", str(db))
    out = result.json()
    assert isinstance(out, list)
    return out


def test_new_articles_join_existing_stories_with_stable_ids(
    run_cli: RunCli, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    write_corpus(tmp_path / "first", per_story=3)
    run_cli("ingest", str(tmp_path / "first"), "--db", str(db))
    assert run_cli("build-stories", "--db", str(db)).code == 0
    before = {s["id"]: set(s["articles"]) for s in _stories(run_cli, db)}
    write_corpus(tmp_path / "later", per_story=2, start=3)
    ingested = run_cli("ingest", str(tmp_path / "later"), "--db", str(db), "--json")
    assert ingested.code == 0, ingested.err
    after = {s["id"]: set(s["articles"]) for s in _stories(run_cli, db)}
    assert set(after) == set(before)  # placed by ingest itself, no new story, same ids
    for story_id, members in before.items():
        assert members < after[story_id]
        assert len(after[story_id]) == 5
    rebuilt = run_cli("build-stories", "--full", "--db", str(db))
    assert rebuilt.code == 0
    again = {s["id"]: set(s["articles"]) for s in _stories(run_cli, db)}
    assert again == after


def test_near_duplicate_follows_its_original(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_corpus(folder, per_story=3)
    text = (folder / "volcano1.txt").read_text()
    (folder / "copy.txt").write_text(text + "Copyright 2021.\n")
    db = tmp_path / "s.db"
    run_cli("ingest", str(folder), "--db", str(db))
    run_cli("build-stories", "--db", str(db))
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    assert isinstance(rows, list)
    copy = next(r for r in rows if r["duplicate_of"])
    story_of = {a: s["id"] for s in _stories(run_cli, db) for a in s["articles"]}
    assert story_of[copy["id"]] == story_of[copy["duplicate_of"]]


def test_show_story_and_unknown_id(run_cli: RunCli, tmp_path: Path) -> None:
    write_corpus(tmp_path / "news", per_story=2)
    db = tmp_path / "s.db"
    run_cli("ingest", str(tmp_path / "news"), "--db", str(db))
    run_cli("build-stories", "--db", str(db))
    story = _stories(run_cli, db)[0]
    shown = run_cli("show-story", story["id"], "--db", str(db))
    assert shown.code == 0 and story["label"] in shown.out and "2 articles" in shown.out
    as_json = run_cli("show-story", story["id"], "--json", "--db", str(db)).json()
    assert isinstance(as_json, dict) and as_json["articles"] == story["articles"]
    missing = run_cli("show-story", "nope", "--db", str(db))
    assert missing.code == 1 and "no story" in missing.err and "Traceback" not in missing.err


def test_ingest_builds_the_stories(run_cli: RunCli, tmp_path: Path) -> None:
    write_corpus(tmp_path / "news", per_story=1)
    db = tmp_path / "s.db"
    run_cli("ingest", str(tmp_path / "news"), "--db", str(db))
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    assert isinstance(rows, list)
    assert sum(len(s["articles"]) for s in _stories(run_cli, db)) == len(rows) > 0


def test_state_survives_a_round_trip() -> None:
    bits = 10
    sums = sp.random(3, 1 << bits, density=0.05, format="csr", dtype=np.float32, random_state=1)
    clusters = Clusters(
        bits,
        ["sa", "sb", "sc"],
        sums,
        np.array([1, 2, 0]),
        np.array([5, 2, 0]),
        np.array([3, 1, 1]),
    )
    state = DetectorState(clusters, np.arange(1 << bits, dtype=np.int32), 7, [{"X": 2.0}, {}, {}])
    back = DetectorState.from_bytes(state.to_bytes(), bits)
    assert back is not None
    assert back.clusters.ids == ["sa", "sb", "sc"] and back.n_docs == 7
    assert (back.clusters.matrix != sums).nnz == 0
    assert back.phrases[0] == {"X": 2.0} and (back.df == state.df).all()
    assert DetectorState.from_bytes(state.to_bytes(), bits + 1) is None  # other hash size
    assert DetectorState.from_bytes(b"not a state", bits) is None


def test_undated_article_is_dated_from_its_story(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_corpus(folder, per_story=3)
    (folder / "undated.txt").write_text(
        "The Katla volcano in southern Iceland erupted again on Tuesday, sending ash over "
        "Reykjavik.\nThe Icelandic Met Office raised the aviation alert for Katla to red.\n"
        "Flights from Keflavik airport were grounded while the ash cloud drifted toward Europe.\n"
    )
    db = tmp_path / "s.db"
    run_cli("ingest", str(folder), "--db", str(db))  # ingest builds the stories and redates
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    assert isinstance(rows, list)
    undated = next(r["id"] for r in rows if r["source"].endswith("undated.txt"))
    before = run_cli("show", undated, "--json", "--db", str(db)).json()
    assert run_cli("build-stories", "--db", str(db)).code == 0
    after = run_cli("show", undated, "--json", "--db", str(db)).json()
    assert after == before  # build-stories dates nothing differently
    assert isinstance(after, dict)
    assert after["date_source"] == "inferred"
    assert "2021-03-01" <= after["published"] <= "2021-03-05"  # within its story's days
    tuesday = [t for t in after["timexes"] if t["text"] == "Tuesday"]
    assert tuesday and tuesday[0]["value"].startswith("2021-03")  # re-tagged against the date


def _unit_rows(rows: list[dict[int, float]], bits: int) -> sp.csr_matrix:
    m = sp.lil_matrix((len(rows), 1 << bits), dtype=np.float32)
    for i, row in enumerate(rows):
        norm = sum(v * v for v in row.values()) ** 0.5
        for k, v in row.items():
            m[i, k] = v / norm
    return m.tocsr()


def test_a_story_resumes_after_years_and_keeps_its_first_id() -> None:
    bits = 8
    clusters = Clusters(bits)
    rows = [{1: 1.0, 2: 1.0, 3: 0.5}, {7: 1.0, 8: 1.0}, {1: 1.0, 2: 0.8, 4: 0.3}]
    days = [date(2017, 4, 19).toordinal(), date(2017, 5, 1).toordinal()]
    days.append(date(2020, 11, 17).toordinal())  # three and a half years later
    config = StoryConfig()
    placed = assign_batch(
        clusters, _unit_rows(rows, bits), ["a1", "b1", "a2"], days, [None] * 3, config
    )
    assert placed[0] == placed[2] != placed[1]
    assert clusters.ids[placed[0]] == "sa1" and clusters.ids[placed[1]] == "sb1"
    assert clusters.first[placed[0]] == days[0] and clusters.last[placed[0]] == days[2]
    forced = assign_batch(
        clusters, _unit_rows([{7: 1.0}], bits), ["c1"], [days[2]], [placed[0]], config
    )
    assert forced == [placed[0]]  # a near-duplicate follows its original whatever its words
    assert time_weight(np.array([0.0]), config)[0] == 1.0
    assert time_weight(np.array([5000.0]), config)[0] >= config.time_floor - 1e-9


def test_threads_partition_a_story(run_cli: RunCli, tmp_path: Path) -> None:
    write_corpus(tmp_path / "news", per_story=4)
    db = tmp_path / "s.db"
    run_cli("ingest", str(tmp_path / "news"), "--db", str(db))
    run_cli("build-stories", "--db", str(db))
    story = _stories(run_cli, db)[0]
    shown = run_cli("show-story", story["id"], "--threads", "--json", "--db", str(db)).json()
    assert isinstance(shown, dict)
    members = [a for t in shown["threads"] for a in t["articles"]]
    assert sorted(members) == sorted(story["articles"])
    assert all(t["id"].startswith("t") and t["label"] for t in shown["threads"])
    table = run_cli("show-story", story["id"], "--threads", "--db", str(db))
    assert table.code == 0 and story["label"] in table.out


def test_unrelated_briefs_of_one_week_stay_apart_and_are_labelled_by_their_leads(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Short items (plain-text briefs, feed summaries) of one week: a library opening, a storm,
    a pool closure and a fee rise are four stories, though each "said" something "on Friday" in
    January (weekday names are not story words, and a brief's months are not features: they
    were most of its vector, and grouped the storm with the library). Two briefs that do share
    their story's words still join. An untitled brief naming no one is labelled by its lead."""
    folder = tmp_path / "briefs"
    folder.mkdir()
    briefs = {
        "library": "date 2020-01-02\nThe mayor opened the new library on Thursday, calling it "
        "a gift to the city and its readers.",
        "storm": "date 2020-01-05\nThe storm knocked out power to thousands of homes on Sunday, "
        "the utility company said.",
        "pool": "date 2020-01-03\nThe council voted on Friday to close the old pool, citing "
        "repair costs and falling visits.",
        "fees": "date 2020-01-04\nHarbour fees will rise next month, the port authority said on "
        "Friday after a review.",
        "walkout": "date 2020-01-06\nFerry crews walked out on Monday in a dispute over pay and "
        "rosters, stranding island commuters.",
        "stayout": "date 2020-01-07\nFerry crews stayed out on Tuesday as the dispute over pay and "
        "rosters left island commuters stranded again.",
    }
    for name, text in briefs.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    db = tmp_path / "briefs.db"
    assert run_cli("ingest", str(folder), "--db", str(db)).code == 0
    stories = _stories(run_cli, db)
    name_of = _sources(run_cli, db)
    groups = sorted(sorted(name_of[a] for a in s["articles"]) for s in stories)
    assert groups == [["fees"], ["library"], ["pool"], ["stayout", "walkout"], ["storm"]]
    labels = {name_of[s["articles"][0]]: s["label"] for s in stories}
    assert labels["library"].split(" · ")[:2] == ["mayor", "opened"]
    assert all(s["label"] != s["id"] for s in stories)
