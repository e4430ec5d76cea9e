"""The ingest stage: raw articles from sources → deduped, split, time-tagged, stored articles.

Why a stage of its own: the CLI, the web server (``--writable``) and the benchmarks all ingest the
same way. Articles are written a batch at a time (setting ``store.write_batch_articles``), each
batch one transaction: an interrupted run keeps every batch it committed, and a run repeated over
the same inputs stores nothing new (the content hash is the article's identity).

Two halves, so that the costly part can run anywhere: :func:`draft` and :func:`analyse` are pure
(record → article, date inferred from its text, sentences, time expressions, MinHash; no store),
and :meth:`Ingester.write` is the one ordered writer (exact dedupe, near-duplicate linking,
storing). A serial run calls them one article after the other; ``--dask`` runs the pure half on
worker processes (:mod:`storyline.parallel`) and feeds the results to the same writer in input
order, so both runs store the same thing.
"""

from __future__ import annotations

import array
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from datasketch import MinHash

from storyline.errors import StorylineError
from storyline.records import Article, Sentence, TimeExpression
from storyline.settings import Config
from storyline.sources.base import Problem, RawArticle, ReadOptions, SourceItem, label
from storyline.sources.detect import expand, read_file
from storyline.store.base import NewArticle, Store
from storyline.text.dedupe import (
    StoredNearDuplicateIndex,
    article_id_from_hash,
    minhash,
    minhash_from_bytes,
    normalise_whitespace,
    normalised_hash,
    signature_bytes,
    store_shingle_hash,
)
from storyline.text.sentences import split_sentences
from storyline.time import infer_date, tag_sentences

Progress = Callable[[str], None]


@dataclass(slots=True)
class Prepared:
    """One record made ready for the writer, by pure functions of the record and the config.

    ``article`` is None when the record has no article text (the writer reports it skipped).
    ``signature`` is None until :func:`analyse` ran: a serial run analyses only what the writer
    did not find stored already, a parallel run analyses everything on the workers.
    """

    source: str
    warnings: list[str]
    article: Article | None = None
    sentences: list[Sentence] = field(default_factory=list)
    timexes: list[TimeExpression] = field(default_factory=list)
    signature: MinHash | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled compactly: a worker (``--dask``) sends every prepared article to the writer.

        Why: sentences and expressions repeat the article's text and id, and a MinHash pickles
        its seed and numpy header; as records they cost the two sides ~0.4 ms an article, most
        of what running the pure half elsewhere added to it. They travel as the offsets into
        the article's text (what they are sliced from) and the signature as its stored bytes;
        any that is not such a slice travels as it is, so the writer gets equal records.
        """
        article = self.article
        if article is None:
            return (Prepared, (self.source, self.warnings))
        text, own = article.text, article.id
        sentences: Any = self.sentences
        if all(
            s.article_id == own and s.index == i and s.text == text[s.start : s.end]
            for i, s in enumerate(sentences)
        ):
            sentences = array.array("q", [n for s in sentences for n in (s.start, s.end)])
        timexes: Any = self.timexes
        if all(t.article_id == own and t.text == text[t.start : t.end] for t in timexes):
            timexes = [(t.start, t.end, t.type, t.value, t.mod, t.sentence_index) for t in timexes]
        signature = None if self.signature is None else signature_bytes(self.signature)
        return (_unpacked, (self.source, self.warnings, article, sentences, timexes, signature))


def _unpacked(
    source: str,
    warnings: list[str],
    article: Article,
    sentences: array.array | list[Sentence],
    timexes: list[tuple[Any, ...]] | list[TimeExpression],
    signature: bytes | None,
) -> Prepared:
    """The :class:`Prepared` that :meth:`Prepared.__reduce__` packed."""
    text, own = article.text, article.id
    if isinstance(sentences, array.array):
        sentences = [
            Sentence(own, i, text[start:end], start, end)
            for i, (start, end) in enumerate(zip(sentences[::2], sentences[1::2], strict=True))
        ]
    timexes = [
        t
        if isinstance(t, TimeExpression)
        else TimeExpression(t[0], t[1], text[t[0] : t[1]], t[2], t[3], t[4], own, t[5])
        for t in timexes
    ]
    restored = None if signature is None else minhash_from_bytes(signature)
    return Prepared(source, warnings, article, sentences, timexes, restored)


def draft(raw: RawArticle, config: Config) -> Prepared:
    """The cheap half: trim the text, hash it and give the article its id (no store access).

    A publication date beyond ``ingest.max_days_ahead`` days after today is dropped here, for
    every reader at once: no report is published in the future, and such a date would end its
    story's span there and lend itself to the undated articles dated from that story.
    """
    prepared = Prepared(raw.source, list(raw.warnings))
    published = raw.published
    latest = date.today() + timedelta(days=config.ingest.max_days_ahead)
    if published is not None and published > latest:
        prepared.warnings.append(
            f"publication date {published.isoformat()} lies in the future (after "
            f"{latest.isoformat()}): dropped, dated like an undated article"
        )
        published = None
    text = raw.text.strip()
    normalised = normalise_whitespace(text)
    if len(normalised) < config.ingest.min_article_chars:
        return prepared
    digest = normalised_hash(normalised)
    prepared.article = Article(
        id=article_id_from_hash(digest),
        text=text,
        title=raw.title,
        source=raw.source,
        url=raw.url,
        published=published,
        date_source=raw.date_source if published else None,
        language=raw.language or "en",
        content_hash=digest,
        source_name=raw.source_name,
    )
    return prepared


def analyse(prepared: Prepared, config: Config, shingle_hash: str) -> Prepared:
    """The costly half, pure: infer a missing date, split, tag and MinHash (no store access;
    ``shingle_hash``: the store's, :func:`~storyline.text.dedupe.store_shingle_hash`).

    Why the date here and not in the writer: an estimate reads only the article's own text and
    title, so it is the same wherever it runs, and the tagger needs it as the reference date.
    """
    article = prepared.article
    if article is None or prepared.signature is not None:
        return prepared
    text = article.text
    dct = article.published
    if article.published is None:
        estimate = infer_date(text, article.title, config=config.dating)
        if estimate is not None:
            article.published = estimate.published
            article.date_source = "inferred"
            article.date_confidence = estimate.confidence
            article.date_evidence = list(estimate.evidence)
            article.date_granularity = estimate.granularity
            # "on Tuesday" is resolved only against a day-precise estimate; a year-level
            # guess would pin it to an arbitrary week, so it stays underspecified until the
            # story's second pass dates the article more closely.
            dct = estimate.published if estimate.granularity == "day" else None
    prepared.signature = minhash(text, config.ingest.minhash_permutations, shingle_hash)
    prepared.sentences = split_sentences(article.id, text)
    prepared.timexes = tag_sentences(text, dct, prepared.sentences, article.id, config.time)
    return prepared


def prepare_items(
    items: Iterable[SourceItem], config: Config, shingle_hash: str
) -> list[Problem | Prepared]:
    """A batch of reader output made ready for the writer, in order (what a worker runs)."""
    return [
        i if isinstance(i, Problem) else analyse(draft(i, config), config, shingle_hash)
        for i in items
    ]


class Preparer(Protocol):
    """Runs the pure half of ingest somewhere (see :mod:`storyline.parallel`).

    ``prepare`` yields, in input order, one ``(file label or None, prepared items)`` per file
    it was handed (a file read on the driver may come in several pieces; the last carries its
    label), so the writer stores the same sequence a serial run would.
    """

    def prepare(
        self,
        targets: Iterable[Path | Problem],
        options: ReadOptions,
        config: Config,
        shingle_hash: str,
    ) -> Iterable[tuple[str | None, list[Problem | Prepared]]]: ...


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: the figures the CLI prints and ``--json`` returns."""

    accepted: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)
    unreadable: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "skipped": [{"source": p.source, "reason": p.message} for p in self.skipped],
            "warnings": [{"source": p.source, "message": p.message} for p in self.warnings],
        }

    def add_problem(self, problem: Problem) -> None:
        self.unreadable += problem.unreadable
        (self.skipped if problem.kind == "skipped" else self.warnings).append(problem)


class Ingester:
    """Turns :class:`RawArticle` s into stored articles, remembering what it has seen."""

    def __init__(self, store: Store, config: Config | None = None) -> None:
        """``config`` gives the ingest limits, the tagger's and the dating's settings."""
        self.store = store
        self.config = config or Config()
        # the near-duplicate index lives in the store: queried per article, never rebuilt
        self.near_index = StoredNearDuplicateIndex(store, self.config.ingest)
        # signatures comparable with the stored ones: hashed the way the store's were
        self.shingle_hash = store_shingle_hash(store)

    def run(
        self,
        paths: Iterable[str],
        progress: Progress | None = None,
        options: ReadOptions | None = None,
        preparer: Preparer | None = None,
    ) -> IngestReport:
        """Read every path; ``options`` (CSV columns) get this ingester's limits.

        With a ``preparer`` (``--dask``) files are read and articles prepared wherever it runs
        them; the results come back in input order to :meth:`write`, as in a serial run.
        """
        report = IngestReport()
        options = dataclasses.replace(options or ReadOptions(), config=self.config.ingest)
        pending: list[Prepared] = []
        try:
            for piece in self._prepared(paths, options, report, progress, preparer):
                ready = self._screen(piece, report)
                if ready is None:
                    continue
                pending.append(ready)
                if len(pending) >= self.config.store.write_batch_articles:
                    self._write_batch(pending, report)
        except StorylineError:  # store what was prepared, then stop
            self._write_batch(pending, report)
            raise
        self._write_batch(pending, report)
        return report

    def _prepared(
        self,
        paths: Iterable[str],
        options: ReadOptions,
        report: IngestReport,
        progress: Progress | None,
        preparer: Preparer | None,
    ) -> Iterator[Prepared]:
        """Every article under ``paths`` as a draft (serial) or analysed (by ``preparer``), in
        input order; problems go to the report as they are met."""
        if preparer is not None:
            for done, ready in preparer.prepare(
                expand(paths), options, self.config, self.shingle_hash
            ):
                for piece in ready:
                    if isinstance(piece, Problem):
                        report.add_problem(piece)
                    else:
                        yield piece
                if progress is not None and done is not None:
                    progress(done)
            return
        for target in expand(paths):
            if isinstance(target, Problem):
                report.add_problem(target)
                continue
            for item in read_file(target, options):
                if isinstance(item, Problem):
                    report.add_problem(item)
                else:
                    yield draft(item, self.config)
            if progress is not None:
                progress(label(target))

    def add(self, raw: RawArticle, report: IngestReport) -> str | None:
        """Store one raw article; returns its id, or None when it was a duplicate or empty."""
        return self.write(draft(raw, self.config), report)

    def write(self, prepared: Prepared, report: IngestReport) -> str | None:
        """The ordered writer for one article: dedupe, link a near-duplicate to its original,
        store (one transaction with its index keys)."""
        ready = self._screen(prepared, report)
        if ready is None:
            return None
        stored = len(report.new_ids)
        self._write_batch([ready], report)
        return report.new_ids[-1] if len(report.new_ids) > stored else None

    def _screen(self, prepared: Prepared, report: IngestReport) -> Prepared | None:
        """Report its warnings; None (counted) when it is empty or already stored; otherwise
        the article analysed.

        An article not analysed yet (a serial run) is analysed only once it is known to be new,
        so re-reading a folder costs no tagging; the analysis runs outside any write lock.
        """
        for message in prepared.warnings:
            report.add_problem(Problem("warning", prepared.source, message))
        if prepared.article is None:
            report.add_problem(Problem("skipped", prepared.source, "no article text"))
            return None
        if self.store.article_id_for_hash(prepared.article.content_hash) is not None:
            report.duplicates += 1
            return None
        return analyse(prepared, self.config, self.shingle_hash)

    def _write_batch(self, pending: list[Prepared], report: IngestReport) -> None:
        """Store the screened articles in one short transaction (a crash loses at most this
        batch; another writer waits for one batch's writes, never for its tagging)."""
        if pending:
            with self.store.transaction():
                self._store(pending, report)
            pending.clear()

    def _store(self, pending: list[Prepared], report: IngestReport) -> None:
        """Link each analysed article to its near-duplicate original and store them all.

        An article whose text an earlier one of the batch has is a duplicate (:meth:`_screen`
        asked the store already; another process's copy is declined by the store). Each article
        finds its original among the stored ones and the batch's earlier ones
        (``StoredNearDuplicateIndex.link``), so the batch is stored in one call
        (``Store.add_articles``) with the links that storing each in turn would have made.
        """
        fresh: list[tuple[Article, MinHash, Prepared]] = []
        hashes: set[str] = set()
        for prepared in pending:
            article, signature = prepared.article, prepared.signature
            assert article is not None and signature is not None  # screened and analysed
            if article.content_hash in hashes:
                report.duplicates += 1
                continue
            hashes.add(article.content_hash)
            fresh.append((article, signature, prepared))
        links = self.near_index.link([(article.id, signature) for article, signature, _ in fresh])
        batch: list[NewArticle] = []
        for (article, signature, prepared), (original, keys) in zip(fresh, links, strict=True):
            if original is not None:
                article.duplicate_of = original
            minhash = signature_bytes(signature)
            batch.append(NewArticle(article, prepared.sentences, prepared.timexes, minhash, keys))
        stored = self.store.add_articles(batch)
        for item, (original, _), added in zip(batch, links, stored, strict=True):
            if not added:
                report.duplicates += 1  # another process stored the same text meanwhile
                continue
            report.near_duplicates += original is not None
            report.accepted += 1
            report.new_ids.append(item.article.id)
