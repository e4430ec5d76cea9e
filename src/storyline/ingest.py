"""The ingest stage: raw articles from sources → deduped, split, time-tagged, stored articles.

Why a stage of its own: the CLI, the web server (``--writable``) and the benchmarks all ingest the
same way. Articles are written a batch at a time (setting ``store.write_batch_articles``), each
batch one transaction: an interrupted run keeps every batch it committed, and a run repeated over
the same inputs stores nothing new (the content hash is the article's identity).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from datasketch import MinHash

from storyline.errors import StorylineError
from storyline.records import Article, Sentence, TimeExpression
from storyline.settings import Config
from storyline.sources.base import Problem, RawArticle, ReadOptions, label
from storyline.sources.detect import expand, read_file
from storyline.store.base import Store
from storyline.text.dedupe import (
    StoredNearDuplicateIndex,
    article_id_from_hash,
    content_hash,
    minhash,
    normalise_whitespace,
    signature_bytes,
)
from storyline.text.sentences import split_sentences
from storyline.time import infer_date, tag_sentences

Progress = Callable[[str], None]


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
        self.near_index = StoredNearDuplicateIndex(store, self.config.ingest)
        self.min_chars = self.config.ingest.min_article_chars

    def run(
        self,
        paths: Iterable[str],
        progress: Progress | None = None,
        options: ReadOptions | None = None,
    ) -> IngestReport:
        """Read every path; ``options`` (CSV columns) get this ingester's limits."""
        report = IngestReport()
        options = dataclasses.replace(options or ReadOptions(), config=self.config.ingest)
        items = self._items(paths, options, report, progress)
        batch = self.config.store.write_batch_articles
        done = False
        while not done:
            # The CPU work (split, tag, MinHash) runs outside the write lock; the batch is then
            # written in one short transaction, so another writer waits one write, not a batch.
            prepared: list[_Prepared] = []
            failure: StorylineError | None = None
            try:
                while len(prepared) < batch:
                    raw = next(items, None)
                    if raw is None:
                        done = True
                        break
                    found = self._prepare(raw, report)
                    if found is not None:
                        prepared.append(found)
            except StorylineError as exc:  # store what was prepared, then stop
                failure, done = exc, True
            if prepared:
                with self.store.transaction():
                    for item in prepared:
                        self._write(item, report)
            if failure is not None:
                raise failure
        return report

    def _items(
        self,
        paths: Iterable[str],
        options: ReadOptions,
        report: IngestReport,
        progress: Progress | None,
    ) -> Iterator[RawArticle]:
        """Every raw article under ``paths``; problems go to the report as they are met."""
        for target in expand(paths):
            if isinstance(target, Problem):
                report.add_problem(target)
                continue
            for item in read_file(target, options):
                if isinstance(item, Problem):
                    report.add_problem(item)
                else:
                    yield item
            if progress is not None:
                progress(label(target))

    def add(self, raw: RawArticle, report: IngestReport) -> str | None:
        """Store one raw article; returns its id, or None when it was a duplicate or empty."""
        prepared = self._prepare(raw, report)
        if prepared is None:
            return None
        with self.store.transaction():  # the article and its index keys together
            return self._write(prepared, report)

    def _prepare(self, raw: RawArticle, report: IngestReport) -> _Prepared | None:
        """Everything about one article that needs no write: its record, sentences, expressions
        and signature (None, counted, when it is empty or already stored)."""
        for message in raw.warnings:
            report.add_problem(Problem("warning", raw.source, message))
        text = raw.text.strip()
        if len(normalise_whitespace(text)) < self.min_chars:
            report.add_problem(Problem("skipped", raw.source, "no article text"))
            return None
        digest = content_hash(text)
        if self.store.article_id_for_hash(digest) is not None:
            report.duplicates += 1
            return None
        article = Article(
            id=article_id_from_hash(digest),
            text=text,
            title=raw.title,
            source=raw.source,
            url=raw.url,
            published=raw.published,
            date_source=raw.date_source if raw.published else None,
            language=raw.language or "en",
            content_hash=digest,
            source_name=raw.source_name,
        )
        dct = article.published
        if article.published is None:
            estimate = infer_date(text, raw.title, config=self.config.dating)
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
        signature = minhash(text, self.config.ingest.minhash_permutations)
        sentences = split_sentences(article.id, text)
        timexes = tag_sentences(text, dct, sentences, article.id, self.config.time)
        return _Prepared(article, sentences, timexes, signature)

    def _write(self, prepared: _Prepared, report: IngestReport) -> str | None:
        """Link a prepared article to its near-duplicate original and store it (checked again
        for an exact duplicate: an earlier article of the same batch, or another process)."""
        article = prepared.article
        if self.store.article_id_for_hash(article.content_hash) is not None:
            report.duplicates += 1
            return None
        original = self.near_index.original_of(prepared.signature)
        if original is not None:
            article.duplicate_of = original
        stored = self.store.add_article(
            article, prepared.sentences, prepared.timexes, signature_bytes(prepared.signature)
        )
        if not stored:
            report.duplicates += 1  # another process stored the same text meanwhile
            return None
        if original is not None:
            report.near_duplicates += 1
        self.near_index.add(article.id, prepared.signature)
        report.accepted += 1
        report.new_ids.append(article.id)
        return article.id


@dataclass(slots=True)
class _Prepared:
    """One article ready to store: what :meth:`Ingester._prepare` computed without writing."""

    article: Article
    sentences: list[Sentence]
    timexes: list[TimeExpression]
    signature: MinHash
