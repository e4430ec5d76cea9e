"""``--dask``: ingest and story building on Dask workers give the store a serial run gives.

Each test compares two real SQLite stores built through the real CLI, one serially and one with
``--dask``, field by field: every article (ids, ``published``, ``date_source``, confidence,
evidence, ``duplicate_of`` …), its sentences and time expressions, the stories and the ingest
report. A LocalCluster costs seconds to start, so the tests are few: one through ``--dask
local``, the rest against one cluster of several worker processes started here and reached by
its ``tcp://`` address (the multi-node recipe of docs/dask.md, on one machine).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, RunCli
from storyline.corpus import Corpus

TOPICS = {
    "flood": [
        "river",
        "levee",
        "rainfall",
        "evacuation",
        "shelters",
        "volunteers",
        "sandbags",
        "embankment",
        "dam",
        "upstream",
        "downstream",
        "residents",
        "farmland",
        "pumps",
        "warnings",
        "meteorologists",
        "barrier",
        "reservoir",
    ],
    "election": [
        "ballots",
        "candidates",
        "polling",
        "turnout",
        "campaign",
        "coalition",
        "parliament",
        "minister",
        "opposition",
        "constituency",
        "referendum",
        "debate",
        "manifesto",
        "voters",
        "counting",
        "seats",
        "majority",
    ],
    "vaccine": [
        "vaccine",
        "trial",
        "doses",
        "clinic",
        "virus",
        "patients",
        "researchers",
        "antibodies",
        "hospital",
        "regulator",
        "approval",
        "efficacy",
        "outbreak",
        "laboratory",
        "immunisation",
        "nurses",
        "pharmacy",
    ],
}
NAMES = {"flood": "Riverton", "election": "Westmark", "vaccine": "Calder Health"}


def _body(rng: random.Random, topic: str, day: str, n: int = 6) -> str:
    """A few sentences of topic words, with a name and a date the tagger resolves."""
    words = TOPICS[topic]
    out = [f"Officials in {NAMES[topic]} spoke on {day} about the {rng.choice(words)}."]
    for _ in range(n):
        picked = " ".join(rng.choice(words) for _ in range(rng.randint(8, 14)))
        out.append(f"{NAMES[topic]} reported {picked} on Tuesday, a week after {day}.")
    return " ".join(out)


def mixed_folder(root: Path) -> Path:
    """A small folder of every kind of input a user drops in one place.

    Plain text (dated, undated, an exact copy, a near copy), JSONL records (more than one
    partition's worth, one without text), CSV, HTML, an empty file and a README that is not an
    article: problems, duplicates and near-duplicates land among the articles, so the writer's
    order matters.
    """
    rng = random.Random(12)
    root.mkdir(parents=True, exist_ok=True)
    first = _body(rng, "flood", "3 March 2021", 9)
    (root / "a-dated.txt").write_text(f"date 2021-03-04\nRiverton levee holds\n\n{first}\n")
    (root / "b-copy.txt").write_text(f"date 2021-03-04\nRiverton levee holds\n\n{first}\n")
    near = first.replace("Officials", "Local officials", 1)
    (root / "c-near.txt").write_text(f"date 2021-03-05\nRiverton levee holds (update)\n\n{near}\n")
    undated = _body(rng, "election", "12 May 2019")
    (root / "d-undated.txt").write_text(f"Westmark counts its ballots\n\n{undated}\n")
    (root / "e-empty.txt").write_text("")
    (root / "README.md").write_text("# notes\n\nThis folder holds test articles.\n")
    lines = []
    for k in range(70):
        topic = list(TOPICS)[k % 3]
        day = f"2021-03-{1 + k % 28:02d}"
        record: dict[str, Any] = {
            "title": f"{NAMES[topic]} update {k}",
            "text": _body(rng, topic, day),
            "date_publish": f"{day} 09:00:00",
            "url": f"https://news.example/{topic}/{k}",
        }
        if k == 40:
            record["text"] = ""  # no text: skipped, named by its line
        lines.append(json.dumps(record))
    lines.insert(20, "{not json")
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n")
    rows = ["title,body,published"]
    for k in range(3):
        text = _body(rng, "vaccine", "1 April 2021").replace('"', "")
        rows.append(f'Calder trial {k},"{text}",2021-04-0{k + 2}')
    (root / "trials.csv").write_text("\n".join(rows) + "\n")
    page = _body(rng, "vaccine", "2 April 2021")
    (root / "page.html").write_text(
        "<html><head><title>Calder approves the vaccine</title>"
        '<meta property="article:published_time" content="2021-04-03"></head>'
        f"<body><article><h1>Calder approves the vaccine</h1><p>{page}</p>"
        f"<p>{_body(rng, 'vaccine', '2 April 2021')}</p></article></body></html>"
    )
    return root


def stdin_records() -> str:
    """JSONL on standard input (read on the driver, prepared on the workers)."""
    rng = random.Random(5)
    return "".join(
        json.dumps({"title": f"Westmark poll {k}", "text": _body(rng, "election", "9 May 2019")})
        + "\n"
        for k in range(5)
    )


def dump(db: Path) -> dict[str, Any]:
    """Everything a store holds that a user can see, as plain data (the order kept)."""
    with Corpus(db, read_only=True) as corpus:
        articles = corpus.articles()
        stats = corpus.stats()
        stats.pop("store", None)
        return {
            "articles": [a.as_dict() for a in articles],
            "sentences": {a.id: [s.as_dict() for s in corpus.sentences(a.id)] for a in articles},
            "timexes": {a.id: [t.as_dict() for t in corpus.timexes(a.id)] for a in articles},
            "stories": sorted(
                (s.id, s.label, sorted(s.article_ids), str(s.first), str(s.last))
                for s in corpus.stories()
            ),
            "stats": stats,
        }


def assert_same_store(serial: Path, parallel: Path) -> dict[str, Any]:
    """The two stores hold the same, field by field (a diff names the first field that is not)."""
    a, b = dump(serial), dump(parallel)
    assert [x["id"] for x in a["articles"]] == [x["id"] for x in b["articles"]]
    for x, y in zip(a["articles"], b["articles"], strict=True):
        assert x == y, x["id"]
        assert a["sentences"][x["id"]] == b["sentences"][y["id"]], x["id"]
        assert a["timexes"][x["id"]] == b["timexes"][y["id"]], x["id"]
    assert a["stories"] == b["stories"]
    assert a["stats"] == b["stats"]
    return a


def ingest(run_cli: RunCli, db: Path, *paths: str, dask: str | None = None, stdin: str = "") -> Any:
    extra = ["--dask", dask] if dask else []
    result = run_cli("ingest", *paths, "--db", str(db), "--json", *extra, stdin=stdin)
    assert result.code == 0, result.err
    return result.json()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A cluster of three worker processes, reached only by its address (as another machine's
    would be); the CLI connects to it with ``--dask tcp://…``."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=3,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_local_ingest_stores_what_a_serial_ingest_stores(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = mixed_folder(tmp_path / "in")
    paths = (str(folder), str(EXAMPLES), "-")
    serial = ingest(run_cli, tmp_path / "serial.db", *paths, stdin=stdin_records())
    parallel = ingest(run_cli, tmp_path / "dask.db", *paths, dask="local", stdin=stdin_records())
    assert parallel == serial  # accepted, duplicates, near-duplicates, skipped and warnings
    assert serial["duplicates"] == 1 and serial["near_duplicates"] >= 1
    skipped = " ".join(p["source"] for p in serial["skipped"])
    assert "e-empty.txt" in skipped and "feed.jsonl" in skipped and "README.md" in skipped
    stored = assert_same_store(tmp_path / "serial.db", tmp_path / "dask.db")
    sources = {a["date_source"] for a in stored["articles"]}
    assert {"given", "inferred"} <= sources
    assert any(a["duplicate_of"] for a in stored["articles"])
    assert len(stored["stories"]) >= 3
    assert sum(len(t) for t in stored["timexes"].values()) > 100


def test_multi_node_recipe_ingest_then_more_then_build_stories(
    run_cli: RunCli, tmp_path: Path, scheduler: str
) -> None:
    folder = mixed_folder(tmp_path / "in")
    serial, parallel = tmp_path / "serial.db", tmp_path / "dask.db"
    assert ingest(run_cli, serial, str(folder)) == ingest(
        run_cli, parallel, str(folder), dask=scheduler
    )
    # a second ingest adds to the stories (vectorised on the workers); a third finds only copies
    for db, dask in ((serial, None), (parallel, scheduler)):
        more = ingest(run_cli, db, str(EXAMPLES), dask=dask)
        assert more["accepted"] > 10
        again = ingest(run_cli, db, str(EXAMPLES), str(folder), dask=dask)
        assert again["accepted"] == 0 and again["duplicates"] > 80
    before = assert_same_store(serial, parallel)
    for db, extra in ((serial, []), (parallel, ["--dask", scheduler])):
        result = run_cli("build-stories", "--full", "--db", str(db), "--json", *extra)
        assert result.code == 0, result.err
    after = assert_same_store(serial, parallel)
    assert len(after["stories"]) >= 3
    assert sorted(m for s in after["stories"] for m in s[2]) == sorted(
        a["id"] for a in before["articles"]
    )


def test_t17_articles_on_workers_match_serial(
    run_cli: RunCli, tmp_path: Path, shared_data: Path, scheduler: str
) -> None:
    """Real articles: two Timeline17 topics' first days (dated from their folders)."""
    days = [
        *sorted((shared_data / "t17" / "H1N1_bbc" / "InputDocs").iterdir())[:6],
        *sorted((shared_data / "t17" / "bpoil_guardian" / "InputDocs").iterdir())[:6],
    ]
    paths = [str(d) for d in days]
    serial, parallel = tmp_path / "serial.db", tmp_path / "dask.db"
    report = ingest(run_cli, serial, *paths)
    assert report["accepted"] > 30  # of 42 files
    assert ingest(run_cli, parallel, *paths, dask=scheduler) == report
    for db, extra in ((serial, []), (parallel, ["--dask", scheduler])):
        result = run_cli("build-stories", "--full", "--db", str(db), "--json", *extra)
        assert result.code == 0, result.err
    stored = assert_same_store(serial, parallel)
    assert {a["date_source"] for a in stored["articles"]} == {"path"}
    assert len(stored["stories"]) >= 2


def test_unreachable_scheduler_is_one_line_and_no_store(run_cli: RunCli, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "store.db"
    result = run_cli("ingest", str(EXAMPLES), "--db", str(db), "--dask", f"tcp://127.0.0.1:{port}")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err
    assert f"127.0.0.1:{port}" in lines[0] and "Dask scheduler" in lines[0]
    assert not db.exists()


def test_a_prepared_article_travels_compactly_and_arrives_equal() -> None:
    """What a worker sends the writer (``Prepared``, pickled) arrives equal to what it made:
    sentences and expressions packed as offsets into the text, the signature as its bytes,
    and a sentence that is not a slice of the text (never made by the splitter) as it is."""
    import pickle

    from storyline.ingest import analyse, draft
    from storyline.records import Sentence
    from storyline.settings import Config
    from storyline.sources.base import RawArticle

    config = Config()
    raw = RawArticle(
        text="The levee broke on Tuesday, 3 March 2020. Crews worked until May.\n\nThey stayed.",
        source="flood.txt",
    )
    made = analyse(draft(raw, config), config, "poly64")
    assert made.article is not None and made.sentences and made.timexes
    sent = pickle.dumps(made)
    as_records = (made.source, made.warnings, made.article, made.sentences, made.timexes)
    assert len(sent) < len(pickle.dumps((*as_records, made.signature)))
    assert pickle.loads(sent) == made
    # records that are not slices of the text (the splitter and tagger never make them)
    text = made.article.text
    start, end = made.sentences[1].start, made.sentences[1].end
    assert text[start:end] != "Crews worked."
    made.sentences[1] = Sentence(made.article.id, 1, "Crews worked.", start, end)
    assert pickle.loads(pickle.dumps(made)) == made
    first = made.timexes[0]
    assert text[first.start : first.end] != "3 March"
    made.timexes[0] = dataclasses.replace(first, text="3 March")
    assert pickle.loads(pickle.dumps(made)) == made
    empty = draft(RawArticle(text="  ", source="blank.txt"), config)
    assert pickle.loads(pickle.dumps(empty)) == empty


def test_a_local_cluster_holds_no_article_once_the_ingest_is_done(tmp_path: Path) -> None:
    """Neither the client nor the LocalCluster's scheduler keeps a log of recent messages:
    every task message carries its partition's articles, and a log of the last thousand
    batches held a whole ingest's text in the driver until it ended (200 MB at 10,000)."""
    import gc

    from storyline.parallel import DaskWorkers
    from storyline.sources.base import RawArticle

    marker = "Quillhaven"  # only this test's records carry it
    rng = random.Random(3)
    records = [
        {
            "title": f"{marker} levee report {k}",
            "text": f"{marker} engineers met. " + _body(rng, "flood", "3 March 2021"),
            "date_publish": "2021-03-04 09:00:00",
        }
        for k in range(80)
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    with DaskWorkers("local") as workers, Corpus(tmp_path / "store.db") as corpus:
        assert corpus.ingest([str(folder)], workers=workers).accepted == 80
        # the last task's keys are released by messages the event loop handles a moment later
        # (a loaded machine held one partition's 32 articles when asked at once)
        deadline = time.monotonic() + 10
        while True:
            gc.collect()
            held = sum(isinstance(o, RawArticle) and marker in o.text for o in gc.get_objects())
            if held == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    assert held == 0
