"""Concurrency as a user meets it: processes sharing one store file.

- ``storyline serve`` answers (httpx against a real uvicorn process) while an ingest writes;
- two ``storyline ingest`` at once, of the same inputs and of different inputs, into a store
  neither has created yet.

What must hold: no 5xx, no traceback on any stderr, every article stored exactly once (the same
ids as one sequential ingest), every article in a story once both have ended, and reports that
add up.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import EXAMPLES
from storyline.corpus import Corpus
from storyline.store import SQLiteStore

WORDS = (
    "minister",
    "talks",
    "agreement",
    "treaty",
    "border",
    "security",
    "council",
    "harbour",
    "election",
    "vote",
    "court",
    "ruling",
    "storm",
    "flood",
    "rescue",
    "market",
    "trade",
    "tariff",
    "export",
    "summit",
    "envoy",
    "navy",
    "army",
    "bank",
    "budget",
    "strike",
    "union",
    "school",
    "hospital",
    "vaccine",
    "outbreak",
    "bridge",
    "railway",
    "port",
    "drought",
    "harvest",
    "festival",
    "museum",
    "record",
    "protest",
    "reform",
)


@pytest.fixture(scope="module")
def corpus_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(all, half A, half B): examples/raa plus 240 generated dated reports, split in two.

    Generated so each ingest lasts seconds (long enough for two processes to overlap) and every
    text is distinct (random words: no near-duplicates whose linking would depend on order).
    """
    root = tmp_path_factory.mktemp("concurrency")
    everything, half_a, half_b = root / "all", root / "a", root / "b"
    for folder in (everything, half_a, half_b):
        folder.mkdir()
    rng = random.Random(7)
    files: list[tuple[str, bytes]] = [
        (p.name, p.read_bytes()) for p in sorted(EXAMPLES.iterdir()) if p.name != "README.md"
    ]
    for n in range(240):
        body = " ".join(rng.choice(WORDS) for _ in range(50))
        text = f"date 2021-{1 + n % 12:02d}-{1 + n % 28:02d}\nReport {n}: the {body}.\n"
        files.append((f"report-{n:04d}.txt", text.encode()))
    for i, (name, data) in enumerate(files):
        (everything / name).write_bytes(data)
        ((half_a if i % 2 == 0 else half_b) / name).write_bytes(data)
    return everything, half_a, half_b


@pytest.fixture(scope="module")
def reference_ids(
    corpus_dirs: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> set[str]:
    """The article ids one uninterrupted, sequential ingest stores."""
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(corpus_dirs[0])])
        return {a.id for a in corpus.articles()}


def _storyline(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, NO_COLOR="1"),
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out, err


def _stored_ids(db: Path) -> list[str]:
    with SQLiteStore(db, read_only=True) as store:
        return [a.id for a in store.articles()]


def _ingest_together(db: Path, first: Path, second: Path) -> list[dict[str, object]]:
    procs = [
        _storyline("ingest", str(folder), "--db", str(db), "--json") for folder in (first, second)
    ]
    reports = []
    for proc in procs:
        code, out, err = _finish(proc)
        assert code == 0 and "Traceback" not in err, err
        reports.append(json.loads(out))
    with SQLiteStore(db, read_only=True) as store:  # each ingest regrouped in turn: none lost
        assert store.count_assigned() == store.count_articles()
    return reports


def _open_at_once(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()  # every process opens the new store in the same instant
    try:
        SQLiteStore(path).close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which asserts
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_the_same_new_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Each store is new: every process switches it to WAL, and SQLite answers the losers of
    that race with "database is locked" without waiting; the store must retry, not fail
    (CI once failed two ingests of one input this way, about one round in twenty here)."""
    context = multiprocessing.get_context("fork")
    failures = []
    for round_ in range(150):
        path = str(tmp_path / f"{round_}.db")
        barrier, results = context.Barrier(4), context.Queue()
        procs = [
            context.Process(target=_open_at_once, args=(path, barrier, results)) for _ in range(4)
        ]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join()
        failures += [o for o in outcomes if o != "ok"]
    assert failures == []


def test_two_ingests_of_the_same_input_store_each_article_once(
    corpus_dirs: tuple[Path, Path, Path], reference_ids: set[str], tmp_path: Path
) -> None:
    db = tmp_path / "same.db"  # neither process finds a store: both create it
    reports = _ingest_together(db, corpus_dirs[0], corpus_dirs[0])
    ids = _stored_ids(db)
    assert len(ids) == len(set(ids)) and set(ids) == reference_ids
    assert sum(int(r["accepted"]) for r in reports) == len(reference_ids)  # type: ignore[call-overload]
    for r in reports:  # each saw every article once: stored by it, or a duplicate
        assert int(r["accepted"]) + int(r["duplicates"]) == len(reference_ids)  # type: ignore[call-overload]
        assert r["skipped"] == [] and r["warnings"] == []


def test_two_ingests_of_different_inputs_lose_nothing(
    corpus_dirs: tuple[Path, Path, Path], reference_ids: set[str], tmp_path: Path
) -> None:
    db = tmp_path / "different.db"
    reports = _ingest_together(db, corpus_dirs[1], corpus_dirs[2])
    ids = _stored_ids(db)
    assert len(ids) == len(set(ids)) and set(ids) == reference_ids
    assert sum(int(r["accepted"]) for r in reports) == len(reference_ids)  # type: ignore[call-overload]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_while_an_ingest_writes(
    corpus_dirs: tuple[Path, Path, Path], reference_ids: set[str], tmp_path: Path
) -> None:
    db = tmp_path / "served.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(corpus_dirs[1])])
        corpus.build_stories()
        some_id = corpus.articles(limit=1)[0].id
        before = corpus.store.count_articles()
    port = _free_port()
    server = _storyline("serve", "--db", str(db), "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    statuses: list[int] = []
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/stories.json")
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.communicate()[1]
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            ingest = _storyline("ingest", str(corpus_dirs[2]), "--db", str(db), "--json")
            routes = [
                "/stories.json",
                "/",
                "/search.json?q=minister",
                "/search?q=treaty",
                f"/articles/{some_id}.json",
                f"/articles/{some_id}",
            ]
            while ingest.poll() is None:
                for route in routes:
                    statuses.append(client.get(route).status_code)
            for route in routes:  # and once more after the writer finished
                statuses.append(client.get(route).status_code)
        code, out, err = _finish(ingest)
    finally:
        server.terminate()
        _, server_err = server.communicate(timeout=30)
    assert code == 0 and "Traceback" not in err, err
    assert json.loads(out)["accepted"] == len(reference_ids) - before
    assert len(statuses) > len(routes)
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) == {200}
    assert "Traceback" not in server_err, server_err
    ids = _stored_ids(db)
    assert len(ids) == len(set(ids)) and set(ids) == reference_ids


def _serve_until_up(*args: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    server = _storyline("serve", *args, "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"{base}/stories.json", timeout=60)
            return server, base
        except httpx.TransportError:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_with_one_thread_per_process_answers_every_concurrent_client(
    workers: str, tmp_path: Path
) -> None:
    """`serve --threads 1`: each process works on one request at a time and the others wait
    their turn (setting web.threads), in one process or several; 40 clients at once all get
    their answers, none an error, and a bad count is refused in one line."""
    db = tmp_path / "served.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(EXAMPLES)])
        corpus.build_stories()
    server, base = _serve_until_up("--db", str(db), "--threads", "1", "--workers", workers)
    try:

        async def many() -> list[int]:
            async with httpx.AsyncClient(base_url=base, timeout=120) as client:
                routes = ["/stories.json", "/search.json?q=agreement", "/"]
                answers = await asyncio.gather(
                    *(
                        client.get(f"{routes[i % 3]}{'&' if i % 3 == 1 else '?'}_={i}")
                        for i in range(40)
                    )
                )
                return [a.status_code for a in answers]

        assert asyncio.run(many()) == [200] * 40
    finally:
        server.terminate()
        server.communicate(timeout=60)
    refused = _storyline("serve", "--db", str(db), "--threads", "0")
    code, _, err = _finish(refused)
    assert code != 0 and "--threads" in err


def test_the_server_sets_its_thread_pool_from_web_threads(tmp_path: Path) -> None:
    import anyio.to_thread
    from starlette.testclient import TestClient

    from storyline.settings import Config
    from storyline.web import create_app

    db = tmp_path / "s.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(EXAMPLES)])
    app = create_app(db, config=Config().with_overrides({"web.threads": 3}))
    with TestClient(app) as client:  # runs the app's lifespan, in the loop that serves
        assert client.portal is not None
        limiter = client.portal.call(anyio.to_thread.current_default_thread_limiter)
        assert limiter.total_tokens == 3
        assert client.get("/stories.json").status_code == 200
