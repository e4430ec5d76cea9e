"""Serving at scale: route medians and 100 concurrent clients against ``storyline serve``.

Usage::

    .venv/bin/python bench/bench_serve.py --db STORE.db [--workers N] [--seconds 30]

``STORE.db`` is a built store (``bench/bench_scale.py`` leaves ``scale-N-built.db`` in its
cache). The server is the real command, ``storyline serve`` (its default processes unless
``--workers``), on loopback. Then, in this order:

Everything is run twice. *uncached*: each request's URL carries a parameter of its own
(``&_=N``, which the routes ignore), so no answer comes from the server's cache of unchanged
answers (``web.response_cache_mb``) and every request reads the store: what a new URL costs.
*cached*: the same three URLs again and again, as readers of the same pages ask them.

- medians of 20 requests, one at a time, of the first page of ``/stories.json``, the largest
  story's page ``/stories/{id}.json`` and ``/search.json?q=oil+spill``: wall time seen by the
  client, and the app's own ``Server-Timing``;
- one client alone for ``--seconds``, cycling over those three routes;
- 100 clients at once for ``--seconds``, each cycling over them (from a different start):
  errors by kind, p50/p99 latency, throughput, and the ratio to the one client's throughput;
- with ``--baseline SRC`` (another revision's ``src``, from ``bench/baseline_src.py``), first
  of all: the uncached medians served by that revision's code on the same store.

Why a client of our own (keep-alive HTTP/1.1 over asyncio streams) and not httpx: the client
runs on the same two cores as the server; httpx spends about a millisecond of Python per
request, which at a few hundred requests per second takes a core away from the server being
measured. Every response is read whole (``Content-Length``), and a status other than 200, a
connection error or no answer within 60 s counts as an error.

The machine is shared: the load average at start and end is recorded with each run, and the
server's CPU seconds (all its processes) per request, which does not depend on the load.
Bars (issue 12): medians < 100 ms; 100 clients: 0 errors, p99 < 1 s, throughput >= 2x one
client's. Writes ``bench/results/serve.json`` (one entry per ``--label``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "serve.json"
TIMEOUT = 60.0


class Connection:
    """One keep-alive HTTP/1.1 connection: GET a path, read the whole response."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:  # chunked
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _app_ms(headers: dict[str, str]) -> float | None:
    timing = headers.get("server-timing", "")
    if "dur=" in timing:
        return float(timing.split("dur=")[1].split(",")[0])
    return None


def _url(url: str, unique: bool, n: int) -> str:
    """The URL, made unique with an ignored parameter when answers must not come from the
    server's cache of unchanged answers (web/cache.py)."""
    if not unique:
        return url
    return f"{url}{'&' if '?' in url else '?'}_={n}"


async def medians(
    port: int, urls: dict[str, str], unique: bool, repeat: int = 20
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    conn = Connection(port)
    for name, url in urls.items():
        wall, app = [], []
        body = b""
        for i in range(repeat + 2):
            start = time.perf_counter()
            status, headers, body = await conn.get(_url(url, unique, i))
            if status != 200:
                raise RuntimeError(f"{url}: {status} {body[:300]!r}")
            if i >= 2:  # two warm-up requests: the first opens this thread's connection
                wall.append((time.perf_counter() - start) * 1000)
                app.append(_app_ms(headers) or 0.0)
        out[name] = {
            "url": url,
            "median_ms": round(statistics.median(wall), 1),
            "max_ms": round(max(wall), 1),
            "app_median_ms": round(statistics.median(app), 1),
            "bytes": len(body),
        }
        if name == "search":  # whether the answer came from capped matches (and how many)
            out[name]["capped"] = json.loads(body).get("capped")
    conn.close()
    return out


async def query_timeline(port: int, repeat: int = 3) -> dict[str, Any]:
    """``/timeline.json?q=the``: a query matching nearly every article, which the server
    answers from at most ``web.query_max_articles`` of them (issue 12: bounded by work, not by
    wall-clock, and saying it was capped). A few requests only: each builds a timeline."""
    conn = Connection(port)
    wall: list[float] = []
    capped: Any = None
    for i in range(repeat):
        start = time.perf_counter()
        status, _, body = await conn.get(_url("/timeline.json?q=the", True, i))
        if status != 200:
            raise RuntimeError(f"/timeline.json?q=the: {status} {body[:300]!r}")
        wall.append((time.perf_counter() - start) * 1000)
        capped = json.loads(body).get("parameters", {}).get("capped")
    conn.close()
    return {
        "url": "/timeline.json?q=the",
        "median_ms": round(statistics.median(wall), 1),
        "capped": capped,
    }


async def load(
    port: int, urls: list[str], clients: int, seconds: float, unique: bool
) -> dict[str, Any]:
    latencies: list[float] = []
    kinds: dict[str, int] = {}
    end = time.perf_counter() + seconds

    async def one(k: int) -> None:
        conn = Connection(port)
        i = k
        while time.perf_counter() < end:
            start = time.perf_counter()
            try:
                url = _url(urls[i % len(urls)], unique, k * 1_000_000 + i)
                status, _, _ = await asyncio.wait_for(conn.get(url), TIMEOUT)
                if status != 200:
                    kinds[str(status)] = kinds.get(str(status), 0) + 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                conn.close()
            latencies.append((time.perf_counter() - start) * 1000)
            i += 1
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(clients)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": n,
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "throughput_per_s": round(n / elapsed, 1),
        "p50_ms": round(latencies[n // 2], 1) if n else None,
        "p99_ms": round(latencies[min(n - 1, int(n * 0.99))], 1) if n else None,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, timeout: float = 180.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError("server did not start")


def _cpu_seconds(root: psutil.Process) -> float:
    """CPU seconds of the server and its worker processes so far."""
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


@contextmanager
def serving(
    db: Path, workers: int | None, src: Path | None = None, threads: int | None = None
) -> Iterator[tuple[int, Any]]:
    """``storyline serve`` on a free loopback port until the block ends: (port, process).

    ``src``: another checkout's ``src`` (``bench/baseline_src.py``) put first on the server's
    ``PYTHONPATH``, so the same command serves that revision's code."""
    port = _free_port()
    exe = Path(sys.executable).with_name("storyline")
    cmd = [str(exe), "serve", "--db", str(db), "--port", str(port)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        _wait(port)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def _urls(db: Path) -> tuple[dict[str, str], int, int]:
    """The three routes measured on this store, its largest story's size and its articles."""
    from storyline.store.sqlite import SQLiteStore

    with SQLiteStore(db, read_only=True) as store:
        [(big, size)] = store.story_page(1, 0)
        articles = store.count_articles()
    urls = {
        "stories_first_page": "/stories.json",
        "big_story_page": f"/stories/{big.id}.json",
        "search": "/search.json?q=oil+spill",
    }
    return urls, size, articles


def baseline_medians(db: Path, src: Path, workers: int | None = None) -> dict[str, Any]:
    """The uncached medians of the same routes on the same store, served by another
    revision's code (``src``): the "before" of a change, measured in the same run."""
    urls, _, _ = _urls(db)
    out: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with serving(db, workers, src) as (port, _):
        out["medians"] = asyncio.run(medians(port, urls, True))
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print("baseline", json.dumps(out["medians"]), flush=True)
    return out


def run(
    db: Path, workers: int | None, seconds: float, clients: int, threads: int | None = None
) -> dict[str, Any]:
    urls, size, articles = _urls(db)
    out: dict[str, Any] = {
        "store": str(db),
        "articles": articles,
        "big_story_articles": size,
        "workers": workers if workers is not None else "default (web.workers)",
        "threads": threads if threads is not None else "default (web.threads)",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    with serving(db, workers, threads=threads) as (port, server):
        proc = psutil.Process(server.pid)
        routes = list(urls.values())
        for mode, unique in (("uncached", True), ("cached", False)):
            part: dict[str, Any] = {"medians": asyncio.run(medians(port, urls, unique))}
            print(mode, json.dumps(part["medians"]), flush=True)
            for name, n in (("one_client", 1), ("hundred_clients", clients)):
                cpu0 = _cpu_seconds(proc)
                result = asyncio.run(load(port, routes, n, seconds, unique))
                cpu = _cpu_seconds(proc) - cpu0
                result["server_cpu_seconds"] = round(cpu, 1)
                result["server_cpu_ms_per_request"] = round(
                    1000 * cpu / max(result["requests"], 1), 2
                )
                result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
                part[name] = result
                print(mode, name, json.dumps(result), flush=True)
            part["bars"] = _bars(part)
            out[mode] = part
        out["query_timeline"] = asyncio.run(query_timeline(port))
        print("query timeline", json.dumps(out["query_timeline"]), flush=True)
    return out


def _bars(part: dict[str, Any]) -> dict[str, Any]:
    one, many = part["one_client"], part["hundred_clients"]
    speedup = many["throughput_per_s"] / max(one["throughput_per_s"], 1e-9)
    return {
        **{
            f"{name}_under_100ms": {"median_ms": m["median_ms"], "met": m["median_ms"] < 100}
            for name, m in part["medians"].items()
        },
        "hundred_clients": {
            "errors": many["errors"],
            "p99_ms": many["p99_ms"],
            "speedup_over_one_client": round(speedup, 2),
            "met": many["errors"] == 0 and (many["p99_ms"] or 1e9) < 1000 and speedup >= 2,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))
        / "scale-100000-built.db",
        help="A built store (default: the 100k one bench_scale.py leaves in its cache).",
    )
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="serve --threads: requests each process works on at once (default: web.threads)",
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--label", default=None, help="entry name in serve.json (default: size)")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="src/ of another revision (bench/baseline_src.py): its uncached medians on the same"
        " store, in the same run, under 'baseline'.",
    )
    args = parser.parse_args()
    before = None
    if args.baseline is not None:  # first: beside this code's medians, before any load phase
        before = baseline_medians(args.db, args.baseline.resolve(), args.workers)
    result = run(args.db, args.workers, args.seconds, args.clients, args.threads)
    if before is not None:
        result["baseline"] = before
    print(json.dumps({m: result[m]["bars"] for m in ("uncached", "cached")}, indent=2))
    label = args.label or f"{result['articles']}"
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results.setdefault("runs", {})[label] = result
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "note": "2 cores shared with other sessions' work: see each run's load averages",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
