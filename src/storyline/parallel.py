"""Dask under the same pipeline: the pure halves of ingest and story vectorisation on workers.

``--dask local`` starts a LocalCluster of worker processes, one per core; ``--dask
tcp://host:8786`` uses a running scheduler (and its workers, on any number of machines). What
runs on the workers is exactly what a serial run calls: :func:`storyline.ingest.prepare_items`
(read a file, split, infer a missing date, tag, MinHash) and
:func:`storyline.stories.features.terms_of` (an article's hashed words, names and months), each
over a partition of the input. The results come back in input order to the one writer on this
process (exact dedupe, near-duplicate linking, storing; then the sequential story assignment),
so the store is the same as a serial run's, article for article.

Why the driver still reads JSONL, CSV and standard input itself: a collection of 50,000 records
in one file would otherwise be one partition, i.e. one worker; parsing a record costs little
next to tagging it, so the driver parses, and ships the records, in partitions, to the workers.
Files that hold one article (or a page or feed, whose parsing is the costly part) are read by
the workers: on several machines they must see the input under the same path (a shared or
copied folder), as docs/dask.md says.

Dask is imported only when workers are asked for, so no other command pays for it.

What bounds the speed-up (bench/bench_dask.py, CPU seconds, so that other jobs on the machine do
not count): the one writer. Storing an article (its row, sentences, full-text index, time
expressions, signature and band keys) costs the driver a few milliseconds of CPU that no
worker can take, and the story assignment and timelines after the ingest run on the driver
too; serialising a result costs ~0.1 ms per article on each side (a prepared article
travels packed, ``storyline.ingest.Prepared.__reduce__``), and a task of :data:`PARTITION`
articles makes Dask's per-task cost negligible. The idle cost of the
cluster's event loops grows with the wall time (see :data:`LOCAL_CONFIG`).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from storyline.errors import InputError, StorylineError
from storyline.ingest import Prepared, prepare_items
from storyline.records import Article, TimeExpression
from storyline.settings import Config, StoryConfig
from storyline.sources.base import Problem, ReadOptions, SourceItem, label
from storyline.sources.detect import COLUMNAR, STREAMED, WEB_ARCHIVES, format_of, read_file
from storyline.stories.features import ArticleTerms, terms_of

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

PARTITION = 32
"""Articles (files or records) per task: ~0.1-0.3 s of tagging, so Dask's per-task cost
(milliseconds) stays small, while a few hundred articles already give every worker work."""
IN_FLIGHT_PER_WORKER = 3
"""Tasks queued per worker ahead of the writer: enough that no worker waits while the writer
stores the previous results, few enough that the results held at once stay bounded."""
CONNECT_TIMEOUT = "10s"
"""How long to try a scheduler address before saying it cannot be reached."""
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "2s",
    "distributed.admin.tick.interval": "500ms",
}
"""Dask settings for ``--dask local``: what a cluster of a few processes on a laptop does not
need. The workers' sampling profiler (every 10 ms), work stealing (our tasks are alike and
queued in order, a few per worker) and the monitors' sub-second polling cost a LocalCluster of
two workers ~12 % of a core while idle, measured; with these, ~7 %. The event loops' health
tick (every 20 ms in each of the scheduler, nannies, workers and client; it only times how long
a loop was blocked, for a warning) was most of the rest: at 500 ms, 1.4 % instead of 4.9 %
(measured over 15 s idle, same run). Idle cost matters because it grows with the wall time,
which on a shared machine is long."""
MESSAGE_LOG_CONFIG = {"distributed.admin.low-level-log-length": 0}
"""No log of recent messages, for the client and a LocalCluster's scheduler.

Why: each of their connections kept its last 1,000 batches of messages under 1 MB for
debugging, and every task message carries its partition (32 articles' text): the driver held
every article of a 10,000-article ingest to its end, 200 MB, and a vectorising pass after it
as much again (tracemalloc traced it to ``BatchedSend.recent_message_log``). Set while the
client and the cluster are made, which is when their connections read it."""

Done = str | None
"""The label of a file whose last articles a piece holds (the progress bar's step), else None."""
Chunk = tuple[Done, list[SourceItem]]
"""Reader output made on the driver (problems, records of a streamed file)."""
Unit = Path | Chunk
"""One piece of a partition: a file for the worker to read, or reader output to prepare."""
Piece = tuple[Done, list[Problem | Prepared]]

_T = TypeVar("_T")


def prepare_partition(
    units: list[Unit], options: ReadOptions, config: Config, shingle_hash: str
) -> list[Piece]:
    """What a worker runs for ingest: read each file, prepare each record, keep the order."""
    out: list[Piece] = []
    for unit in units:
        if isinstance(unit, Path):
            items = prepare_items(read_file(unit, options), config, shingle_hash)
            out.append((label(unit), items))
        else:
            done, records = unit
            out.append((done, prepare_items(records, config, shingle_hash)))
    return out


def vectorise_partition(
    partition: tuple[list[Article], dict[str, list[TimeExpression]]],
    bits: int,
    config: StoryConfig,
) -> list[ArticleTerms]:
    """What a worker runs for stories: the terms of a partition's articles, in order."""
    articles, timexes = partition
    return terms_of(articles, timexes, bits, config)


def _streamed(path: Path) -> bool:
    """Standard input, or a format whose reader streams records (read on the driver, so that
    a large dump, crawl or table goes out to the workers in partitions, not whole to one of
    them)."""
    return (
        str(path) == "-" or format_of(path)[0] in STREAMED.keys() | WEB_ARCHIVES | COLUMNAR.keys()
    )


def _units(targets: Iterable[Path | Problem], options: ReadOptions) -> Iterator[tuple[Unit, int]]:
    """The input as units, each with its weight (articles it holds, about)."""
    for target in targets:
        if isinstance(target, Problem):
            yield (None, [target]), 0
        elif not _streamed(target):
            yield target, 1
        else:
            piece: list[SourceItem] = []
            for item in read_file(target, options):
                piece.append(item)
                if len(piece) == PARTITION:
                    yield (None, piece), len(piece)
                    piece = []
            yield (label(target), piece), len(piece)


def _partitions(units: Iterable[tuple[Unit, int]]) -> Iterator[list[Unit]]:
    """Consecutive units grouped to about :data:`PARTITION` articles each."""
    batch: list[Unit] = []
    weight = 0
    for unit, n in units:
        batch.append(unit)
        weight += n
        if weight >= PARTITION:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def _cores() -> int:
    """The cores this process may run on (a container's or ``taskset``'s limit, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class DaskWorkers:
    """A Dask client (and the LocalCluster it started, if any) that runs partitions in order.

    Use as a context manager: leaving it closes the client and stops a cluster it started.
    """

    def __init__(self, address: str) -> None:
        """``address``: ``local`` (a LocalCluster sized to the cores) or a scheduler address
        (``tcp://host:8786``). An address that cannot be reached is an :class:`InputError`."""
        import dask
        from distributed import Client, LocalCluster

        self.address = address
        self.cluster: LocalCluster | None = None
        with dask.config.set(MESSAGE_LOG_CONFIG):
            if address == "local":
                with dask.config.set(LOCAL_CONFIG):  # the workers get it when spawned
                    self.cluster = LocalCluster(
                        n_workers=_cores(),
                        processes=True,
                        threads_per_worker=1,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self.client: Client = Client(self.cluster)
            else:
                try:
                    self.client = Client(address, timeout=CONNECT_TIMEOUT)
                except (OSError, ValueError, TypeError) as exc:
                    reason = " ".join(str(exc).split()) or type(exc).__name__
                    raise InputError(
                        f"--dask {address}: cannot reach a Dask scheduler there ({reason})"
                    ) from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ordered(
        self, fn: Callable[..., _T], partitions: Iterable[Any], *args: Any
    ) -> Iterator[_T]:
        """``fn(partition, *args)`` on the workers, results yielded in the partitions' order.

        At most :data:`IN_FLIGHT_PER_WORKER` tasks per worker are ahead of the consumer, so a
        run over a million files holds a bounded number of results.
        """
        from distributed import KilledWorker

        shared = [self.client.scatter(a, broadcast=True) for a in args]
        pending: deque[Any] = deque()
        limit = IN_FLIGHT_PER_WORKER * self.workers
        try:
            for partition in partitions:
                pending.append(self.client.submit(fn, partition, *shared, pure=False))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except (KilledWorker, OSError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise StorylineError(f"--dask {self.address}: the workers failed ({reason})") from None
        finally:
            for future in pending:
                future.cancel()

    def prepare(
        self,
        targets: Iterable[Path | Problem],
        options: ReadOptions,
        config: Config,
        shingle_hash: str,
    ) -> Iterator[Piece]:
        """Ingest's pure half on the workers (:class:`storyline.ingest.Preparer`)."""
        partitions = _partitions(_units(targets, options))
        work = self._ordered(prepare_partition, partitions, options, config, shingle_hash)
        for pieces in work:
            yield from pieces

    def vectorise(
        self,
        articles: Sequence[Article],
        timexes: Mapping[str, Sequence[TimeExpression]],
        bits: int,
        config: StoryConfig,
    ) -> list[ArticleTerms]:
        """:func:`storyline.stories.features.terms_of` per partition on the workers
        (a :data:`storyline.stories.features.Vectoriser`)."""
        partitions = (
            (
                list(articles[i : i + PARTITION]),
                {a.id: list(timexes.get(a.id, [])) for a in articles[i : i + PARTITION]},
            )
            for i in range(0, len(articles), PARTITION)
        )
        out: list[ArticleTerms] = []
        for terms in self._ordered(vectorise_partition, partitions, bits, config):
            out += terms
        return out
