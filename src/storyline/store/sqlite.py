"""The embedded default store: one SQLite file, WAL, foreign keys, FTS5 over sentences.

Why SQLite: a laptop user gets a single file with no server; WAL lets the web server read while
an ingest writes. Every write is one transaction, so a failure leaves what was stored intact.

This module is the engine boundary: every public method translates ``sqlite3.Error`` into a
:class:`storyline.errors.StoreError` (a held write lock into :class:`StoreBusyError`), so shells
print one line and never an engine traceback.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from storyline.curation.model import Edit
from storyline.errors import NotFoundError, StoreBusyError, StoreError, StoreMissingError
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.settings import StoreConfig
from storyline.store.base import (
    MemberHead,
    NewArticle,
    SearchHit,
    Store,
    article_order,
    evenly_spaced,
    match_quota,
    match_ranges,
    outermost_prefixes,
)
from storyline.store.migrations import MIGRATIONS

_ARTICLE_COLUMNS = (
    "id, title, text, source, url, published, date_source, date_confidence, date_evidence, "
    "language, content_hash, duplicate_of, source_name, date_granularity"
)

_INSERT_ARTICLE = (
    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_SENTENCE = "INSERT INTO sentences (article_id, idx, text, start, end_) VALUES (?,?,?,?,?)"
_INSERT_TITLE = "INSERT INTO titles_fts (title, article_id) VALUES (?, ?)"
_INSERT_TIMEX = (
    "INSERT INTO timexes (article_id, sentence_idx, start, end_, text, type, value, mod)"
    " VALUES (?,?,?,?,?,?,?,?)"
)
_INSERT_MINHASH = "INSERT INTO minhashes (article_id, signature) VALUES (?, ?)"
_INSERT_KEYS = "INSERT INTO lsh_buckets (band, bucket, article_id) VALUES (?, ?, ?)"


def _article_row(article: Article) -> tuple[object, ...]:
    """The values of ``_INSERT_ARTICLE`` for an article."""
    return (
        article.id,
        article.title,
        article.text,
        article.source,
        article.url,
        article.published.isoformat() if article.published else None,
        article.date_source,
        article.date_confidence,
        json.dumps(article.date_evidence),
        article.language,
        article.content_hash,
        article.duplicate_of,
        article.source_name,
        article.date_granularity,
    )


def _sentence_rows(article_id: str, sentences: Iterable[Sentence]) -> Iterator[tuple[object, ...]]:
    """Rows made as ``executemany`` binds them, never a whole batch's list of tuples at once:
    that many live objects made the garbage collector's full passes three times as costly."""
    return ((article_id, s.index, s.text, s.start, s.end) for s in sentences)


def _timex_rows(article_id: str, timexes: Iterable[TimeExpression]) -> Iterator[tuple[object, ...]]:
    return (
        (article_id, t.sentence_index, t.start, t.end, t.text, t.type, t.value, t.mod)
        for t in timexes
    )


_HEAD_COLUMNS = (
    "a.id, a.published, a.date_granularity, a.duplicate_of IS NOT NULL, a.source_name, a.source"
)
"""An article's :class:`MemberHead` columns, as ``a``."""

_BY_ID = "INDEXED BY articles_by_id"
"""Read an article's sort keys (published, source) from the covering index of migration 6.

Why forced: the planner prefers the unique index on ``id`` for an equality, which then reads the
row, and ``published`` lies after the text in it (overflow pages): a 20,000-article story's
member page read every member's text to sort them."""

_MEMBER_DATE = "(SELECT a.published FROM articles a INDEXED BY articles_by_id WHERE a.id = {})"
"""A new membership's copy of its article's date (``story_articles.published``, migration 9),
read where the membership is written: SQL whose ``{}`` is the article's id. Every
change of an article's date writes it to the article's memberships too
(:meth:`SQLiteStore._date_members`)."""

_IN_ORDER = "INDEXED BY articles_order"
"""Read the articles in publication order from the index in that order (migration 8).

Why forced: the ORDER BY could also be answered by scanning the table and sorting it, and a
planner that guessed that cheaper would sort every article's text before the first row."""

_READER_MMAP_BYTES = 1 << 31


"""How much of a store a read-only connection maps into memory (see ``SQLiteStore``)."""

_P = ParamSpec("_P")
_R = TypeVar("_R")

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


def _is_busy(exc: sqlite3.Error) -> bool:
    """Whether the engine gave up waiting for another connection's lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _boundary(
    method: Callable[Concatenate[SQLiteStore, _P], _R],
) -> Callable[Concatenate[SQLiteStore, _P], _R]:
    """Translate engine errors raised by a store method into storyline's own errors."""

    @functools.wraps(method)
    def guarded(self: SQLiteStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._engine_error(exc) from exc

    return guarded


def _like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '\\'``: ``%`` and ``_`` a user typed are literal characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_query(user_query: str) -> str | None:
    """Turn any user string into a safe FTS5 query: every word quoted, all required (AND).

    Why: FTS5 syntax characters (quotes, ``*``, ``-``, ``:``, parentheses) in a search box must
    never raise; users expect the words they typed to be matched, so each becomes a phrase.
    """
    words = re.findall(r"\w+", user_query)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


_TITLE_INDEX_MAX = 2000
"""Most titles the trigram index is read for in one title search; a string found in more
("the") is looked for by scanning the titles instead (see ``SQLiteStore._title_match``)."""


def _title_phrase(text: str) -> str | None:
    """``text`` as one FTS5 phrase for the trigram title index, or None when the index cannot
    find it: under three characters (no trigram), or with control characters."""
    if len(text) < 3 or any(ord(c) < 32 for c in text):
        return None
    return '"' + text.replace('"', '""') + '"'


class SQLiteStore(Store):
    """A :class:`Store` in one SQLite file (``:memory:`` works for tests)."""

    def __init__(
        self,
        path: str | Path = "storyline.db",
        *,
        read_only: bool = False,
        create: bool = True,
        busy_timeout: float | None = None,
    ) -> None:
        """Open (or, when ``create`` and not ``read_only``, create) the store at ``path``.

        Readers pass ``create=False`` (``read_only`` implies it): a mistyped path then fails
        with :class:`StoreMissingError` instead of leaving an empty store behind. A write waits
        up to ``busy_timeout`` seconds (default: setting ``store.busy_timeout_seconds``)
        for another process's write to finish.
        """
        self.location = str(path)
        self.read_only = read_only
        self._depth = 0  # open transaction() contexts: writes inside join the outer transaction
        self._unindexed: int | None = None  # see _index_sentences
        self._stories_locked = False  # inside stories_lock(): nested blocks join it
        config = StoreConfig()
        self.busy_timeout = float(
            config.busy_timeout_seconds if busy_timeout is None else busy_timeout
        )
        in_memory = self.location == ":memory:" or self.location == ""
        if (read_only or not create) and not in_memory and not Path(self.location).is_file():
            raise StoreMissingError(
                f"no store at {self.location} (create one with storyline ingest)"
            )
        try:
            if in_memory or (create and not read_only):
                self._db = sqlite3.connect(
                    self.location, timeout=self.busy_timeout, check_same_thread=False
                )
            else:  # never creates the file, even if it vanished since the check above
                mode = "ro" if read_only else "rw"
                uri = f"{Path(self.location).resolve().as_uri()}?mode={mode}"
                self._db = sqlite3.connect(
                    uri, uri=True, timeout=self.busy_timeout, check_same_thread=False
                )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            if read_only and not in_memory:
                # Readers (the web server's threads) map the file: pages come from the OS's
                # cache, shared by every connection and process, without a read() call each.
                # A search joining 14,000 matching sentences to their articles spent a third
                # of its time in those calls. SQLite caps the size at its own limit (2 GB).
                self._db.execute(f"PRAGMA mmap_size = {_READER_MMAP_BYTES}")
            if read_only and not in_memory and self._pending():
                self._upgrade_for_readers()
            if not read_only:
                self._enter_wal()
                self._db.execute("PRAGMA synchronous = NORMAL")
                # The WAL is checkpointed every N pages and cut back to a bounded size after
                # each checkpoint, so readers that hold snapshots cannot let it grow unbounded.
                self._db.execute(
                    f"PRAGMA wal_autocheckpoint = {int(config.wal_autocheckpoint_pages)}"
                )
                self._db.execute(
                    f"PRAGMA journal_size_limit = {int(config.wal_size_limit_mb) * 1024 * 1024}"
                )
                self._db.execute(f"PRAGMA cache_size = -{int(config.writer_cache_mb) * 1024}")
                self._migrate()
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise self._engine_error(exc) from exc
            raise StoreError(f"{self.location}: cannot open store: {exc}") from exc

    def _enter_wal(self) -> None:
        """Put the store in WAL mode (a no-op once it is), retrying while another process does.

        Why a loop of our own: two processes creating the same new store at once both switch
        it from the rollback journal to WAL, and SQLite answers the loser's switch with "database
        is locked" at once, without calling the busy handler (each holds the shared lock the
        other needs to give up: waiting could deadlock). The winner's switch takes milliseconds,
        so the loser tries again until the busy timeout, then fails as any busy write does.
        """
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.005
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.Error as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _engine_error(self, exc: sqlite3.Error) -> StoreError:
        """The storyline error for an engine error: one line naming the store."""
        if _is_busy(exc):
            return StoreBusyError(
                f"{self.location}: the store is busy: another storyline process is writing "
                f"(waited {self.busy_timeout:g} s; try again when it has finished)"
            )
        return StoreError(f"{self.location}: {exc}")

    # --- lifecycle ---------------------------------------------------------------------------
    def _applied(self) -> set[int]:
        db = self._db
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone() is None:
            return set()
        return {row[0] for row in db.execute("SELECT id FROM migrations")}

    def _pending(self) -> bool:
        return not {number for number, _, _ in MIGRATIONS} <= self._applied()

    def _upgrade_for_readers(self) -> None:
        """A store made by an older storyline, opened read-only: migrate it once, then read.

        Why not refuse: a reader (``storyline stories``, the web server) opened on a store that
        the last version wrote would otherwise fail on a missing column. The migrations only add
        (columns with defaults, tables), so upgrading does not change what was stored. A store
        the user may not write to cannot be upgraded: that is one line saying what to do.
        """
        try:
            SQLiteStore(self.location, create=False, busy_timeout=self.busy_timeout).close()
        except StoreError as exc:
            raise StoreError(
                f"{self.location}: made by an older storyline and cannot be upgraded here "
                f"({exc}); run `storyline ingest` on it once with write access"
            ) from None

    def _migrate(self) -> None:
        """Apply missing migrations in one write transaction.

        Why the check before the lock: opening an up-to-date store must not wait for another
        process's write. Why ``BEGIN IMMEDIATE`` and a second check: two ingests creating the
        same new store at once must not both run migration 1 (one waits, then sees it done).
        """
        if {number for number, _, _ in MIGRATIONS} <= self._applied():
            return
        db = self._db
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )
            done = self._applied()
            for number, name, sql in MIGRATIONS:
                if number in done:
                    continue
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO migrations (id, name) VALUES (?, ?)", (number, name))

    @_boundary
    def close(self) -> None:
        self._db.close()

    def _write(self) -> sqlite3.Connection:
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only")
        return self._db

    @contextmanager
    def _atomic(self, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One write: its own transaction, or a savepoint inside an open ``transaction()``.

        Why a savepoint: inside a batch, a write that fails (an article another process stored
        meanwhile) must undo only itself, not the articles stored before it in the batch.
        """
        db = self._write()
        if self._depth:
            db.execute("SAVEPOINT write")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK TO write")
                db.execute("RELEASE write")
                raise
            db.execute("RELEASE write")
            return
        with db:
            if immediate:  # take the write lock before reading what the write depends on
                db.execute("BEGIN IMMEDIATE")
            yield db

    @contextmanager
    def stories_lock(self) -> Iterator[None]:
        """An exclusive ``flock`` on ``<store>.stories-lock`` beside the store file (none for
        an in-memory store, which no other process can open). The kernel releases it when the
        process ends, however it ends, so a crash never leaves the stories locked.

        Nested blocks on one store join the outer one: a second ``flock`` from this process
        would wait for the first forever."""
        if self.location in (":memory:", "") or self._stories_locked:
            yield
            return
        path = Path(f"{self.location}.stories-lock")
        try:
            handle = path.open("a")
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the stories lock: {exc.strerror}") from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._stories_locked = True
            try:
                yield
            finally:
                self._stories_locked = False
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around every write in the block (nested blocks join it).

        The write lock is taken at the start (``BEGIN IMMEDIATE``, waiting up to the busy
        timeout); the block commits when it ends and rolls back when it raises, so a crash
        loses at most the open block and never leaves half of an article.
        """
        db = self._write()
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._engine_error(exc) from exc
        self._depth = 1
        try:
            yield
            self._index_sentences(db)
        except BaseException:
            self._depth = 0
            self._unindexed = None
            with contextlib.suppress(sqlite3.Error):  # a lost connection rolled back already
                db.rollback()
            raise
        self._depth = 0
        try:
            db.commit()
        except sqlite3.Error as exc:
            raise self._engine_error(exc) from exc

    def _index_sentences(self, db: sqlite3.Connection) -> None:
        """Add the sentences stored since the transaction began to the full-text index.

        Why once per transaction: an ``INSERT`` into an FTS5 table reads and rewrites the
        index's structure record each time, so one per article cost as much again as
        tokenising its sentences (1.4 s against 0.8 s for 3,000 articles). ``add_article``
        inside ``transaction()`` only notes the first new sentence rowid; rowids only grow
        within the transaction (a savepoint rolled back frees its rowids, reused by the next
        article), so every sentence above it is this transaction's, in the same order as before.
        """
        if self._unindexed is not None:
            db.execute(
                "INSERT INTO sentences_fts (rowid, text)"
                " SELECT rowid, text FROM sentences WHERE rowid >= ?",
                (self._unindexed,),
            )
            self._unindexed = None

    # --- articles ----------------------------------------------------------------------------
    @_boundary
    def add_article(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        timexes: Sequence[TimeExpression] = (),
        minhash: bytes | None = None,
    ) -> bool:
        try:
            with self._atomic() as db:
                db.execute(_INSERT_ARTICLE, _article_row(article))
                self._note_unindexed(db)
                db.executemany(_INSERT_SENTENCE, _sentence_rows(article.id, sentences))
                if not self._depth:  # inside transaction(), indexed once when it ends
                    db.execute(
                        "INSERT INTO sentences_fts (rowid, text)"
                        " SELECT rowid, text FROM sentences WHERE article_id = ?",
                        (article.id,),
                    )
                if article.title is not None:
                    db.execute(_INSERT_TITLE, (article.title, article.id))
                self._insert_timexes(db, article.id, timexes)
                if minhash is not None:
                    db.execute(_INSERT_MINHASH, (article.id, minhash))
        except sqlite3.IntegrityError as exc:
            # Another process stored the same text between our duplicate check and this write
            # (two ingests of one input at once): the article is there, so it is a duplicate.
            if self.article_id_for_hash(article.content_hash) is not None:
                return False
            raise StoreError(f"{article.source}: cannot store article {article.id}: {exc}") from exc
        return True

    @staticmethod
    def _insert_timexes(
        db: sqlite3.Connection, article_id: str, timexes: Sequence[TimeExpression]
    ) -> None:
        db.executemany(_INSERT_TIMEX, _timex_rows(article_id, timexes))

    def _note_unindexed(self, db: sqlite3.Connection) -> None:
        """Inside ``transaction()``, remember the first sentence rowid it stores (see
        :meth:`_index_sentences`), before its first sentence is inserted."""
        if self._depth and self._unindexed is None:
            first = db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM sentences")
            self._unindexed = int(first.fetchone()[0])

    @_boundary
    def add_articles(self, items: Sequence[NewArticle]) -> list[bool]:
        """Inside ``transaction()``, every table's rows of the whole batch in one
        ``executemany`` each, in article order (so the same rowids as one article at a time).

        Why: a statement per article and table and a savepoint per article were a third of
        the writer's time. A clash (an article another process stored meanwhile) undoes the
        batch's rows and stores it article by article, so that only the clashing ones are
        declined, as :meth:`add_article` declines them.
        """
        if not self._depth or len(items) < 2:
            return super().add_articles(items)
        db = self._write()
        db.execute("SAVEPOINT batch")
        try:
            self._insert_batch(db, items)
        except sqlite3.IntegrityError:
            db.execute("ROLLBACK TO batch")
            db.execute("RELEASE batch")
            return super().add_articles(items)
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a lost connection rolled back already
                db.execute("ROLLBACK TO batch")
                db.execute("RELEASE batch")
            raise
        db.execute("RELEASE batch")
        return [True] * len(items)

    def _insert_batch(self, db: sqlite3.Connection, items: Sequence[NewArticle]) -> None:
        """The rows of :meth:`add_articles`, table by table (the full-text index of the
        sentences is filled when the transaction ends)."""
        db.executemany(_INSERT_ARTICLE, (_article_row(i.article) for i in items))
        self._note_unindexed(db)
        db.executemany(
            _INSERT_SENTENCE,
            (row for i in items for row in _sentence_rows(i.article.id, i.sentences)),
        )
        db.executemany(
            _INSERT_TITLE,
            ((i.article.title, i.article.id) for i in items if i.article.title is not None),
        )
        db.executemany(
            _INSERT_TIMEX, (row for i in items for row in _timex_rows(i.article.id, i.timexes))
        )
        db.executemany(
            _INSERT_MINHASH,
            ((i.article.id, i.minhash) for i in items if i.minhash is not None),
        )
        db.executemany(
            _INSERT_KEYS,
            ((band, bucket, i.article.id) for i in items for band, bucket in i.keys),
        )

    @_boundary
    def article_id_for_hash(self, content_hash: str) -> str | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def minhashes(self) -> Iterable[tuple[str, bytes]]:
        try:  # a generator: errors surface while iterating, after any decorator returned
            yield from self._db.execute("SELECT article_id, signature FROM minhashes")
        except sqlite3.Error as exc:
            raise self._engine_error(exc) from exc

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        return Article(
            id=row["id"],
            title=row["title"],
            text=row["text"],
            source=row["source"],
            url=row["url"],
            published=date.fromisoformat(row["published"]) if row["published"] else None,
            date_source=row["date_source"],
            date_confidence=row["date_confidence"],
            date_evidence=json.loads(row["date_evidence"] or "[]"),
            language=row["language"],
            content_hash=row["content_hash"],
            duplicate_of=row["duplicate_of"],
            source_name=row["source_name"],
            date_granularity=row["date_granularity"],
        )

    @_boundary
    def get_article(self, article_id: str) -> Article:
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return self._article(row)

    @_boundary
    def articles(
        self,
        query: str | None = None,
        since: date | None = None,
        until: date | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        max_matches: int | None = None,
    ) -> list[Article]:
        where, params = self._article_conditions(query, since, until, max_matches)
        if where is None:
            return []
        if ids is not None:
            where.append(f"id IN ({','.join('?' * len(ids))})")
            params += list(ids)
        order = " ORDER BY published IS NULL, published, source, id"
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if limit is not None or offset:
            # Page the ids first, then read the rows: the sort then holds ids, not every
            # matching article's text (a common word matches most of a large store).
            # The ids are paged from the covering index (id, published, source): sorting
            # them reads no article row, so no text (migration 6).
            page = f"SELECT id FROM articles {_BY_ID}" + (
                " WHERE " + " AND ".join(where) if where else ""
            )
            sql = (
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN"
                f" ({page}{order} LIMIT ? OFFSET ?)"
            )
            params += [-1 if limit is None else limit, offset]
        if ids is not None and limit is None and not offset:
            # Sorted here, not by SQL: SQLite sorts whole rows, each article's text with them,
            # in a temporary tree (20,000 articles of a story: 1.3 s against 0.6 s read
            # unsorted). The key is the ORDER BY's, and text compares by code point in both.
            found = [self._article(row) for row in self._db.execute(sql, params)]
            found.sort(key=article_order)
            return found
        sql += order
        return [self._article(row) for row in self._db.execute(sql, params)]

    @_boundary
    def published_dates(self, article_ids: Sequence[str]) -> dict[str, date | None]:
        sql = f"SELECT id, published FROM articles {_BY_ID} WHERE id IN ({{}})"
        return {
            r[0]: date.fromisoformat(r[1]) if r[1] else None
            for r in self._by_article(sql, article_ids)
        }

    @_boundary
    def article_heads(self, article_ids: Sequence[str]) -> list[Article]:
        sql = (
            "SELECT id, title, source, url, published, date_source, date_confidence, language,"
            " content_hash, duplicate_of, source_name, date_granularity FROM articles"
            " WHERE id IN ({})"
        )
        return [
            Article(
                id=r[0],
                text="",
                title=r[1],
                source=r[2],
                url=r[3],
                published=date.fromisoformat(r[4]) if r[4] else None,
                date_source=r[5],
                date_confidence=r[6],
                language=r[7],
                content_hash=r[8],
                duplicate_of=r[9],
                source_name=r[10],
                date_granularity=r[11],
            )
            for r in self._by_article(sql, list(dict.fromkeys(article_ids)))
        ]

    @_boundary
    def count_articles(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    @_boundary
    def update_article_date(
        self,
        article_id: str,
        published: date,
        date_source: str,
        confidence: float | None,
        evidence: Sequence[str],
        granularity: str = "day",
    ) -> None:
        with self._atomic() as db:
            db.execute(
                "UPDATE articles SET published = ?, date_source = ?, date_confidence = ?,"
                " date_evidence = ?, date_granularity = ?"
                " WHERE id = ? AND (published IS NULL OR date_source = 'inferred')",
                (
                    published.isoformat(),
                    date_source,
                    confidence,
                    json.dumps(list(evidence)),
                    granularity,
                    article_id,
                ),
            )
            self._date_members(db, article_id)

    # --- sentences and time ------------------------------------------------------------------
    def _by_article(self, sql: str, article_ids: Sequence[Any]) -> Iterable[tuple[Any, ...]]:
        """Rows of ``sql`` (its ``{}`` the id placeholders) for these ids (article ids, or
        row ids), 900 per query, as
        plain tuples fetched a chunk at a time: a story's timeline reads some 100,000 rows, and
        making each an ``sqlite3.Row`` and stepping a generator per row cost more than the
        reading did."""
        ids = list(article_ids)
        cursor = self._db.cursor()
        cursor.row_factory = None
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            yield from cursor.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()

    @_boundary
    def sentences(self, article_ids: Sequence[str]) -> dict[str, list[Sentence]]:
        out: dict[str, list[Sentence]] = {a: [] for a in article_ids}
        sql = (
            "SELECT article_id, idx, text, start, end_ FROM sentences"
            " WHERE article_id IN ({}) ORDER BY article_id, idx"
        )
        for r in self._by_article(sql, article_ids):
            out[r[0]].append(Sentence(r[0], r[1], r[2], r[3], r[4]))
        return out

    @_boundary
    def sentences_at(self, keys: Sequence[tuple[str, int]]) -> dict[str, list[Sentence]]:
        # A VALUES list joined to the (article_id, idx) index, 450 addresses a query (900
        # parameters). CROSS JOIN keeps the list outside: each address is one index probe.
        # Row values in "(article_id, idx) IN (VALUES ...)" scanned the table instead.
        pairs = list(dict.fromkeys(keys))
        cursor = self._db.cursor()
        cursor.row_factory = None
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(pairs), 450):
            chunk = pairs[i : i + 450]
            rows.extend(
                cursor.execute(
                    "SELECT s.article_id, s.idx, s.text, s.start, s.end_ FROM (VALUES "
                    + ",".join(["(?, ?)"] * len(chunk))
                    + ") AS v CROSS JOIN sentences s"
                    " ON s.article_id = v.column1 AND s.idx = v.column2",
                    [part for pair in chunk for part in pair],
                ).fetchall()
            )
        rows.sort(key=lambda r: (r[0], r[1]))
        out: dict[str, list[Sentence]] = {}
        for article, index, text, start, end in rows:
            out.setdefault(article, []).append(Sentence(article, index, text, start, end))
        return out

    @_boundary
    def timexes(self, article_ids: Sequence[str]) -> dict[str, list[TimeExpression]]:
        out: dict[str, list[TimeExpression]] = {a: [] for a in article_ids}
        sql = (
            "SELECT article_id, sentence_idx, start, end_, text, type, value, mod FROM timexes"
            " WHERE article_id IN ({}) ORDER BY article_id, start"
        )
        for r in self._by_article(sql, article_ids):
            out[r[0]].append(
                TimeExpression(
                    start=r[2],
                    end=r[3],
                    text=r[4],
                    type=r[5],
                    value=r[6],
                    mod=r[7],
                    article_id=r[0],
                    sentence_index=r[1],
                )
            )
        return out

    @_boundary
    def dated_timexes(self, article_ids: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = {a: [] for a in article_ids}
        sql = (
            "SELECT article_id, sentence_idx, value FROM timexes WHERE article_id IN ({})"
            " AND type IN ('DATE', 'TIME') AND sentence_idx IS NOT NULL"
            " ORDER BY article_id, start, id"
        )
        for r in self._by_article(sql, article_ids):
            out[r[0]].append((r[1], r[2]))
        return out

    @_boundary
    def sentences_mentioning(self, value_prefix: str) -> list[tuple[str, int]]:
        upper = value_prefix + "\uffff"
        rows = self._db.execute(
            "SELECT DISTINCT article_id, sentence_idx FROM timexes WHERE value >= ? AND value < ?"
            " ORDER BY article_id, sentence_idx",
            (value_prefix, upper),
        )
        return [(r[0], r[1]) for r in rows]

    @_boundary
    def story_articles_mentioning(self, story_id: str, value_prefix: str) -> set[str]:
        # CROSS JOIN keeps the value index as the outer loop: each expression in the range is
        # checked against the story by primary key, instead of every member's expressions
        # being read to test their value.
        rows = self._db.execute(
            "SELECT DISTINCT t.article_id FROM timexes t CROSS JOIN story_articles sa"
            " WHERE t.value >= ? AND t.value < ? AND sa.story_id = ?"
            " AND sa.article_id = t.article_id",
            (value_prefix, value_prefix + "\uffff", story_id),
        )
        return {r[0] for r in rows}

    @_boundary
    def story_member_mentions(
        self, story_id: str, value_prefixes: Sequence[str]
    ) -> Iterator[tuple[MemberHead, list[tuple[int, str]]]]:
        self._story_row(story_id)  # NotFoundError for an unknown story, before any row
        heads = self._db.execute(
            f"SELECT {_HEAD_COLUMNS} FROM story_articles sa JOIN articles a"
            " ON a.id = sa.article_id WHERE sa.story_id = ? ORDER BY sa.article_id",
            (story_id,),
        )
        return self._merged(heads, self._dated_mentions(story_id, value_prefixes))

    def _dated_mentions(
        self, story_id: str, value_prefixes: Sequence[str]
    ) -> sqlite3.Cursor | None:
        """(article id, first sentence index, value) of the story's dated expressions whose
        value starts with one of the prefixes, by article id (None when there are none)."""
        prefixes = outermost_prefixes(value_prefixes)
        if not prefixes:
            return None
        ranges = [(p, p + "\uffff") for p in prefixes]
        bounds = [b for pair in ranges for b in pair]
        within = " OR ".join(["(t.value >= ? AND t.value < ?)"] * len(ranges))
        dated = "t.type IN ('DATE', 'TIME') AND t.sentence_idx IS NOT NULL"
        # Two ways to the same rows, each counted from an index first: by value (each
        # expression in a range checked against the story by key: a large story's days), or
        # by the story's articles (each of their expressions checked: a small story naming a
        # year the whole store names). The count of the members' expressions stops at the
        # other's.
        by_value = sum(
            self._db.execute(
                "SELECT count(*) FROM timexes WHERE value >= ? AND value < ?", pair
            ).fetchone()[0]
            for pair in ranges
        )
        by_member = self._db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM story_articles sa"
            " JOIN timexes t INDEXED BY timexes_article ON t.article_id = sa.article_id"
            " WHERE sa.story_id = ? LIMIT ?)",
            (story_id, by_value + 1),
        ).fetchone()[0]
        if by_member <= by_value:
            return self._db.execute(
                "SELECT t.article_id, min(t.sentence_idx), t.value FROM story_articles sa"
                " CROSS JOIN timexes t INDEXED BY timexes_article"
                f" WHERE sa.story_id = ? AND t.article_id = sa.article_id AND {dated}"
                f" AND ({within}) GROUP BY t.article_id, t.value ORDER BY t.article_id",
                [story_id, *bounds],
            )
        # CROSS JOIN keeps the value index as the outer loop (story_articles_mentioning's),
        # one range a query (ORed ranges lost the index); the rows are then sorted by article
        # (a few per member of the story, no text)
        one_range = (
            "SELECT t.article_id AS article_id, min(t.sentence_idx), t.value FROM timexes t"
            " CROSS JOIN story_articles sa WHERE t.value >= ? AND t.value < ?"
            f" AND {dated} AND sa.story_id = ? AND sa.article_id = t.article_id"
            " GROUP BY t.value, t.article_id"
        )
        return self._db.execute(
            "SELECT * FROM (" + " UNION ALL ".join([one_range] * len(ranges)) + ")"
            " ORDER BY article_id",
            [x for pair in ranges for x in (*pair, story_id)],
        )

    def _merged(
        self, heads: sqlite3.Cursor, mentions: sqlite3.Cursor | None, batch_size: int = 1000
    ) -> Iterator[tuple[MemberHead, list[tuple[int, str]]]]:
        """Each member's head with its mentions: two cursors in article id order, merged as
        they are read (a member's rows read once, no article row read for a mention)."""
        named: Iterator[tuple[str, int, str]] = iter(())
        if mentions is not None:
            named = (
                row for rows in iter(lambda: mentions.fetchmany(batch_size), []) for row in rows
            )
        try:  # a generator: errors surface while iterating
            pending = next(named, None)
            while rows := heads.fetchmany(batch_size):
                for r in rows:
                    found: list[tuple[int, str]] = []
                    while pending is not None and pending[0] <= r[0]:
                        if pending[0] == r[0]:
                            found.append((int(pending[1]), str(pending[2])))
                        pending = next(named, None)
                    published = date.fromisoformat(r[1]) if r[1] else None
                    yield MemberHead(r[0], published, r[2], bool(r[3]), r[4], r[5]), found
        except sqlite3.Error as exc:
            raise self._engine_error(exc) from exc

    @_boundary
    def replace_timexes(self, article_id: str, timexes: Sequence[TimeExpression]) -> None:
        with self._atomic() as db:
            db.execute("DELETE FROM timexes WHERE article_id = ?", (article_id,))
            self._insert_timexes(db, article_id, timexes)

    @_boundary
    def search(
        self, query: str, limit: int = 50, offset: int = 0, max_matches: int | None = None
    ) -> list[SearchHit]:
        fts = _fts_query(query)
        if fts is None:
            return []
        # The page is ranked inside the index first, then only its rows are joined: joining
        # every match before the sort read each matching sentence's article row (its text) —
        # 14,000 of them for "oil spill" in a 20,000-article store. bm25() with a sort of our
        # own costs less than FTS5's ``ORDER BY rank`` and breaks ties by rowid, repeatably.
        ranked = (
            "SELECT rowid, bm25(sentences_fts) AS rank FROM sentences_fts"
            " WHERE sentences_fts MATCH ?"
        )
        params: list[Any] = [fts]
        if max_matches is not None:
            # The index yields the newest matches first (rowid order, backwards) and stops
            # after the cap, so bm25() is computed for those rows only; its statistics (IDF,
            # mean length) stay the whole index's, so a capped row ranks as it would uncapped.
            ranked = f"SELECT rowid, rank FROM ({ranked} ORDER BY rowid DESC LIMIT ?)"
            params.append(max_matches)
        rows = self._db.execute(
            "SELECT s.article_id, s.idx, s.text, s.start, s.end_, a.title, a.published,"
            " m.rank, a.date_granularity FROM"
            f" ({ranked} ORDER BY rank, rowid LIMIT ? OFFSET ?) m"
            " JOIN sentences s ON s.rowid = m.rowid"
            " JOIN articles a ON a.id = s.article_id ORDER BY m.rank, m.rowid",
            (*params, limit, offset),
        )
        return [
            SearchHit(
                sentence=Sentence(r[0], r[1], r[2], r[3], r[4]),
                title=r[5],
                published=date.fromisoformat(r[6]) if r[6] else None,
                rank=float(r[7]),
                date_granularity=r[8] or ("day" if r[6] else None),
            )
            for r in rows
        ]

    @_boundary
    def count_matches(self, query: str, up_to: int) -> int:
        fts = _fts_query(query)
        if fts is None:
            return 0
        row = self._db.execute(
            "SELECT count(*) FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?"
            " LIMIT ?)",
            (fts, up_to),
        ).fetchone()
        return int(row[0])

    # --- stories -----------------------------------------------------------------------------
    @_boundary
    def save_stories(self, stories: Sequence[Story], state: bytes | None = None) -> None:
        pairs = ((s.id, a) for s in stories for a in s.article_ids)
        self._replace_stories(stories, pairs, state, counted=False)

    @_boundary
    def replace_stories(
        self, stories: Sequence[Story], members: Iterable[tuple[str, str]], state: bytes | None
    ) -> None:
        self._replace_stories(stories, members, state, counted=True)

    def _replace_stories(
        self,
        stories: Sequence[Story],
        members: Iterable[tuple[str, str]],
        state: bytes | None,
        counted: bool,
    ) -> None:
        """:meth:`save_stories` with the members as (story id, article id) pairs; ``counted``
        sizes each story from the pairs and drops the stories given none (a rebuild's)."""
        with self._atomic(immediate=True) as db:
            # The new assignments go to a temporary table first, so the stories whose members
            # changed are found by SQL (no membership held in Python) inside the write lock.
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS new_story_articles (story_id TEXT NOT NULL,"
                " article_id TEXT NOT NULL, PRIMARY KEY (story_id, article_id)) WITHOUT ROWID"
            )
            db.execute("DELETE FROM new_story_articles")
            db.executemany(
                "INSERT OR IGNORE INTO new_story_articles (story_id, article_id) VALUES (?, ?)",
                members,
            )
            # A story whose articles changed keeps its stored timelines, marked stale: readers
            # are served the old one until the new one replaces it (never dropped first).
            db.execute(
                "UPDATE timelines SET stale = 1 WHERE story_id IN ("
                " SELECT story_id FROM (SELECT story_id, article_id FROM story_articles"
                "  EXCEPT SELECT story_id, article_id FROM new_story_articles)"
                " UNION SELECT story_id FROM (SELECT story_id, article_id FROM new_story_articles"
                "  EXCEPT SELECT story_id, article_id FROM story_articles))"
            )
            db.execute("DELETE FROM story_articles")
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS new_story_ids (id TEXT PRIMARY KEY) WITHOUT ROWID"
            )
            db.execute("DELETE FROM new_story_ids")
            db.executemany(
                "INSERT OR IGNORE INTO new_story_ids (id) VALUES (?)", ((s.id,) for s in stories)
            )
            db.execute("DELETE FROM stories WHERE id NOT IN (SELECT id FROM new_story_ids)")
            db.executemany(
                "INSERT INTO stories (id, label, first, last, parent_id, size) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET label = excluded.label, first = excluded.first,"
                " last = excluded.last, parent_id = excluded.parent_id, size = excluded.size",
                (
                    (
                        s.id,
                        s.label,
                        s.first.isoformat() if s.first else None,
                        s.last.isoformat() if s.last else None,
                        s.parent_id,
                        len(set(s.article_ids)),
                    )
                    for s in stories
                ),
            )
            db.execute(
                "INSERT INTO story_articles (story_id, article_id, published)"
                f" SELECT n.story_id, n.article_id, {_MEMBER_DATE.format('n.article_id')}"
                " FROM new_story_articles n"
            )
            if counted:
                db.execute(
                    "UPDATE stories SET size = (SELECT count(*) FROM new_story_articles n"
                    " WHERE n.story_id = stories.id)"
                )
                db.execute("DELETE FROM stories WHERE size = 0")
            db.execute("DELETE FROM new_story_articles")
            db.execute("DELETE FROM new_story_ids")
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('story_state', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (state,),
            )

    @_boundary
    def update_stories(
        self,
        stories: Sequence[Story],
        assignments: dict[str, str],
        renames: dict[str, str],
        state: bytes | None = None,
    ) -> None:
        with self._atomic(immediate=True) as db:
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS new_story_ids (id TEXT PRIMARY KEY) WITHOUT ROWID"
            )
            db.execute("DELETE FROM new_story_ids")
            db.executemany(
                "INSERT OR IGNORE INTO new_story_ids (id) VALUES (?)", ((s.id,) for s in stories)
            )
            db.executemany(
                "INSERT INTO stories (id, label, first, last, parent_id) VALUES (?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET label = excluded.label, first = excluded.first,"
                " last = excluded.last, parent_id = excluded.parent_id",
                (
                    (
                        s.id,
                        s.label,
                        s.first.isoformat() if s.first else None,
                        s.last.isoformat() if s.last else None,
                        s.parent_id,
                    )
                    for s in stories
                ),
            )
            db.executemany(
                "UPDATE OR REPLACE story_articles SET story_id = ? WHERE story_id = ?",
                [(new, old) for old, new in renames.items() if old != new],
            )
            moved = list(assignments)
            left: set[str] = set()  # the stories the moved articles leave are changed too
            for start in range(0, len(moved), 900):
                chunk = moved[start : start + 900]
                marks = ",".join("?" * len(chunk))
                left.update(
                    r[0]
                    for r in db.execute(
                        f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({marks})",
                        chunk,
                    )
                )
                db.execute(
                    f"DELETE FROM story_articles WHERE article_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            db.executemany(
                "INSERT OR IGNORE INTO story_articles (story_id, article_id, published)"
                f" VALUES (?, ?, {_MEMBER_DATE.format('?')})",
                [
                    (story_id, article_id, article_id)
                    for article_id, story_id in assignments.items()
                ],
            )
            db.execute("DELETE FROM stories WHERE id NOT IN (SELECT id FROM new_story_ids)")
            touched = sorted(set(assignments.values()) | set(renames.values()) | left)
            db.executemany(
                "UPDATE stories SET size ="
                " (SELECT count(*) FROM story_articles sa WHERE sa.story_id = stories.id)"
                " WHERE id = ?",
                [(t,) for t in touched],
            )
            db.execute(
                "DELETE FROM stories WHERE size = 0 AND NOT EXISTS"
                " (SELECT 1 FROM story_articles sa WHERE sa.story_id = stories.id)"
            )
            db.executemany(
                "UPDATE timelines SET stale = 1 WHERE story_id = ?", [(t,) for t in touched]
            )
            db.execute("DELETE FROM new_story_ids")
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('story_state', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (state,),
            )

    def _members(self, story_id: str, limit: int | None = None, offset: int = 0) -> list[str]:
        # In the order of index story_members_order (migration 9): a page reads its own rows
        rows = self._db.execute(
            "SELECT article_id FROM story_articles INDEXED BY story_members_order"
            " WHERE story_id = ? ORDER BY published IS NULL, published, article_id"
            " LIMIT ? OFFSET ?",
            (story_id, -1 if limit is None else limit, offset),
        )
        return [r[0] for r in rows]

    @staticmethod
    def _story(r: Sequence[Any], members: list[str]) -> Story:
        return Story(
            id=r[0],
            label=r[1],
            article_ids=members,
            first=date.fromisoformat(r[2]) if r[2] else None,
            last=date.fromisoformat(r[3]) if r[3] else None,
            parent_id=r[4],
        )

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads that must see one state of the store (WAL: a read transaction sees
        the last commit before it began, whatever another process commits meanwhile)."""
        if self._db.in_transaction:  # inside this connection's own write: already one state
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("COMMIT")

    def _story_rows(self) -> list[Story]:
        with self._snapshot():
            return self._story_rows_now()

    def _story_rows_now(self) -> list[Story]:
        rows = self._db.execute(
            "SELECT id, label, first, last, parent_id FROM stories ORDER BY id"
        ).fetchall()
        members: dict[str, list[str]] = {r[0]: [] for r in rows}
        for story_id, article_id in self._db.execute(
            "SELECT story_id, article_id FROM story_articles INDEXED BY story_members_order"
            " ORDER BY story_id, published IS NULL, published, article_id"
        ):
            if story_id in members:
                members[story_id].append(article_id)
        return [self._story(r, members[r[0]]) for r in rows]

    @_boundary
    def stories(self) -> list[Story]:
        return self._story_rows()

    @_boundary
    def get_story(self, story_id: str) -> Story:
        with self._snapshot():
            row = self._story_row(story_id)
            return self._story(row, self._members(story_id))

    def _story_row(self, story_id: str) -> sqlite3.Row:
        row = self._db.execute(
            "SELECT id, label, first, last, parent_id, size FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id!r}")
        return row

    @_boundary
    def story_ids_of(self, article_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ? ORDER BY story_id",
            (article_id,),
        )
        return [r[0] for r in rows]

    @_boundary
    def story_state(self) -> bytes | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'story_state'").fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    # --- cached outputs and metadata -----------------------------------------------------------
    @_boundary
    def save_timeline(self, story_id: str, key: str, data: dict[str, Any]) -> None:
        with self._atomic() as db:
            # One upsert: readers see the old timeline until this commits, then the new one.
            db.execute(
                "INSERT INTO timelines (story_id, key, data, stale) VALUES (?, ?, ?, 0)"
                " ON CONFLICT(story_id, key) DO UPDATE SET data = excluded.data, stale = 0",
                (story_id, key, json.dumps(data)),
            )

    @_boundary
    def load_timeline(self, story_id: str, key: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT data FROM timelines WHERE story_id = ? AND key = ?", (story_id, key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    @_boundary
    def load_timelines(self, story_ids: Sequence[str], key: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(story_ids))
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            rows = self._db.execute(
                "SELECT story_id, data FROM timelines WHERE key = ?"
                f" AND story_id IN ({','.join('?' * len(chunk))})",
                [key, *chunk],
            )
            out.update((r[0], json.loads(r[1])) for r in rows)
        return out

    # --- streaming, paging and maintenance (issue 12) ---------------------------------------
    def iter_articles(self, batch_size: int = 1000) -> Iterator[list[Article]]:
        """One scan of the ``articles_order`` index (migration 8), whose order is the ORDER BY's:
        rows come as the scan reaches them, and nothing is sorted (no temporary copy of the
        table, whose size would grow with the store)."""
        order = " ORDER BY published IS NULL, published, source, id"
        try:  # a generator: errors surface while iterating
            cursor = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles {_IN_ORDER}" + order
            )
            while rows := cursor.fetchmany(batch_size):
                yield [self._article(r) for r in rows]
        except sqlite3.Error as exc:
            raise self._engine_error(exc) from exc

    @_boundary
    def unassigned_article_ids(self) -> list[str]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE NOT EXISTS"
            " (SELECT 1 FROM story_articles sa WHERE sa.article_id = articles.id)"
            " ORDER BY published IS NULL, published, source, id"
        )
        return [r[0] for r in rows]

    @_boundary
    def count_assigned(self) -> int:
        return int(
            self._db.execute("SELECT count(DISTINCT article_id) FROM story_articles").fetchone()[0]
        )

    @_boundary
    def count_stories(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM stories").fetchone()[0])

    @_boundary
    def story_page(self, limit: int, offset: int = 0) -> list[tuple[Story, int]]:
        rows = self._db.execute(
            "SELECT id, label, first, last, parent_id, size FROM stories"
            " ORDER BY size DESC, label, id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [(self._story(r, []), int(r[5])) for r in rows]

    @_boundary
    def story_info(self, story_id: str) -> tuple[Story, int]:
        row = self._story_row(story_id)
        return self._story(row, []), int(row[5])

    @_boundary
    def story_members(self, story_id: str, limit: int | None = None, offset: int = 0) -> list[str]:
        return self._members(story_id, limit, offset)

    @_boundary
    def story_day_counts(self, story_id: str) -> list[tuple[date, int]]:
        rows = self._db.execute(  # the members' dates, from index story_members_order
            "SELECT published, count(*) FROM story_articles INDEXED BY story_members_order"
            " WHERE story_id = ? AND published IS NOT NULL GROUP BY published",
            (story_id,),
        )
        return [(date.fromisoformat(r[0]), int(r[1])) for r in rows]

    @_boundary
    def coarse_ends(self, ends: Sequence[tuple[str, date]]) -> dict[tuple[str, date], str]:
        days = sorted({day.isoformat() for _, day in ends})
        if not days:
            return {}
        # only inferred articles can be dated to a month or year (index articles_date_source)
        held = {
            r[0]
            for start in range(0, len(days), 500)
            for r in self._db.execute(
                "SELECT DISTINCT published FROM articles WHERE date_source = 'inferred'"
                " AND date_granularity IN ('month', 'year')"
                f" AND published IN ({','.join('?' * len(days[start : start + 500]))})",
                days[start : start + 500],
            )
        }
        out: dict[tuple[str, date], str] = {}
        for story_id, day in dict.fromkeys(ends):
            if day.isoformat() not in held:
                continue
            found = {
                r[0] or "day"
                for r in self._db.execute(
                    "SELECT DISTINCT a.date_granularity FROM articles a"
                    " JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = ?"
                    " WHERE a.published = ?",
                    (story_id, day.isoformat()),
                )
            }
            if found and "day" not in found:
                out[(story_id, day)] = "month" if "month" in found else "year"
        return out

    @_boundary
    def story_articles_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        sql = "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({})"
        return {r[0]: r[1] for r in self._by_article(sql, article_ids)}

    @_boundary
    def redatable_ids(self) -> set[str]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE date_source IS NULL OR date_source = 'inferred'"
        )
        return {r[0] for r in rows}

    @_boundary
    def stories_needing_timeline(self, key: str, min_articles: int) -> list[str]:
        rows = self._db.execute(
            "SELECT s.id FROM stories s LEFT JOIN timelines t ON t.story_id = s.id AND t.key = ?"
            " WHERE s.size >= ? AND (t.story_id IS NULL OR t.stale = 1) ORDER BY s.id",
            (key, min_articles),
        )
        return [r[0] for r in rows]

    @_boundary
    def minhashes_of(self, article_ids: Sequence[str]) -> dict[str, bytes]:
        sql = "SELECT article_id, signature FROM minhashes WHERE article_id IN ({})"
        return {r[0]: bytes(r[1]) for r in self._by_article(sql, article_ids)}

    @_boundary
    def near_duplicate_candidates(self, keys: Sequence[tuple[int, bytes]]) -> list[str]:
        found: dict[str, None] = {}
        for band, bucket in keys:
            for r in self._db.execute(
                "SELECT article_id FROM lsh_buckets WHERE band = ? AND bucket = ?", (band, bucket)
            ):
                found[r[0]] = None
        return list(found)

    @_boundary
    def near_duplicate_buckets(
        self, keys: Sequence[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[str]]:
        """One query per band (and up to 900 buckets), through the (band, bucket) index."""
        by_band: dict[int, list[bytes]] = {}
        for band, bucket in dict.fromkeys(keys):
            by_band.setdefault(band, []).append(bucket)
        found: dict[tuple[int, bytes], list[str]] = {}
        for band, buckets in by_band.items():
            for i in range(0, len(buckets), 900):
                chunk = buckets[i : i + 900]
                marks = ",".join("?" * len(chunk))
                for bucket, article_id in self._db.execute(
                    "SELECT bucket, article_id FROM lsh_buckets"
                    f" WHERE band = ? AND bucket IN ({marks})",
                    (band, *chunk),
                ):
                    found.setdefault((band, bytes(bucket)), []).append(article_id)
        return found

    @_boundary
    def add_near_duplicate_keys(self, article_id: str, keys: Sequence[tuple[int, bytes]]) -> None:
        with self._atomic() as db:
            db.executemany(_INSERT_KEYS, [(band, bucket, article_id) for band, bucket in keys])

    @_boundary
    def clear_near_duplicate_keys(self) -> None:
        with self._atomic() as db:
            db.execute("DELETE FROM lsh_buckets")

    @_boundary
    def get_meta(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    @_boundary
    def set_meta(self, key: str, value: bytes | None) -> None:
        with self._atomic() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @_boundary
    def article_sample(
        self,
        query: str,
        since: date | None = None,
        until: date | None = None,
        limit: int = 1000,
        spread_matches: int | None = None,
    ) -> tuple[list[str], int]:
        where, params = self._article_filter(query, since, until, spread_matches)
        if where is None:
            return [], 0
        # One ordered read of the matching ids (from the covering index: no article row),
        # sampled here: counting and numbering them in SQL evaluated the match twice.
        ordered = [
            r[0]
            for r in self._db.execute(
                f"SELECT id FROM articles {_BY_ID} WHERE {where}"
                " ORDER BY published IS NULL, published, source, id",
                params,
            )
        ]
        return evenly_spaced(ordered, limit), len(ordered)

    def _article_filter(
        self,
        query: str,
        since: date | None,
        until: date | None,
        spread_matches: int | None = None,
    ) -> tuple[str | None, list[Any]]:
        """The WHERE clause of :meth:`article_sample` for a query and a date range (None:
        nothing); ``spread_matches``: see :meth:`Store.article_sample`."""
        where, params = self._article_conditions(query, since, until, spread_matches=spread_matches)
        return (None, []) if where is None else (" AND ".join(where) or "1", params)

    def _article_conditions(
        self,
        query: str | None,
        since: date | None,
        until: date | None,
        max_matches: int | None = None,
        spread_matches: int | None = None,
    ) -> tuple[list[str] | None, list[Any]]:
        """The conditions :meth:`articles` and :meth:`article_sample` filter by (None when a
        blank query matches nothing). Words match the text (FTS); the query as typed matches
        titles literally, so a query of symbols only ("%", "C#") still finds its titles.
        ``max_matches``: the words are looked for in that many matching sentences at most, the
        newest (as :meth:`search` ranks them). ``spread_matches``: in that many at most,
        spread over the whole store (:meth:`_spread_match`)."""
        where: list[str] = []
        params: list[Any] = []
        if query is not None:
            if not query.strip():
                return None, []
            fts = _fts_query(query)
            newest = max_matches if spread_matches is None else match_quota(spread_matches)
            title_match, title_params = self._title_match(query.strip(), newest)
            if fts is None:
                where.append(f"id IN ({title_match})")
            elif spread_matches is not None:
                matched, spread_params = self._spread_match(
                    fts, (title_match, title_params), spread_matches
                )
                where.append(f"id IN ({matched})")
                params += spread_params
                title_params = []  # in spread_params, before the titles' own LIMIT
            elif max_matches is None:
                where.append(
                    "id IN (SELECT article_id FROM sentences WHERE rowid IN "
                    "(SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)"
                    f" UNION {title_match})"
                )
                params.append(fts)
            else:
                where.append(
                    "id IN (SELECT s.article_id FROM (SELECT rowid FROM sentences_fts"
                    " WHERE sentences_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m"
                    f" JOIN sentences s ON s.rowid = m.rowid UNION {title_match})"
                )
                params += [fts, max_matches]
            params += title_params
        if since is not None:
            where.append("published >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("published <= ?")
            params.append(until.isoformat())
        return where, params

    def _spread_match(
        self, fts: str, titles: tuple[str, list[Any]], spread_matches: int
    ) -> tuple[str, list[Any]]:
        """SQL for the ids of the articles of at most ``spread_matches`` sentences matching
        ``fts``, spread over the whole store, or of titles matching ``titles`` (SQL and
        parameters), and its parameters.

        The sentences' rowid range (the order they were stored in) is cut into equal ranges
        (``match_ranges``) and each gives its newest matches up to its share: the index answers
        a range by seeking to its end and reading backwards, so the work is bounded by the
        cap, not by how many sentences match ("the" matches nearly every article). Titles
        holding the query count up to the same share."""
        low, high = self._db.execute(  # one aggregate a query: each is then one index seek
            "SELECT (SELECT min(rowid) FROM sentences), (SELECT max(rowid) FROM sentences)"
        ).fetchone()
        ranges = match_ranges(low or 0, high or 0, spread_matches)
        quota = match_quota(spread_matches)
        stratum = (
            "SELECT rowid FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?"
            " AND rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT ?)"
        )
        params: list[Any] = []
        for start, end in ranges:
            params += [fts, start, end, quota]
        sql = (
            "SELECT s.article_id FROM ("
            + " UNION ALL ".join([stratum] * len(ranges))
            + f") m JOIN sentences s ON s.rowid = m.rowid UNION SELECT * FROM ({titles[0]}"
            " LIMIT ?)"
        )
        return sql, [*params, *titles[1], quota]

    def _title_match(self, text: str, newest: int | None = None) -> tuple[str, list[Any]]:
        """SQL for the ids of the articles whose title holds ``text`` (``LIKE``: ASCII letters
        in either case), and its parameters; with ``newest``, of at most that many of those
        the index finds, the most recently stored, when more than ``_TITLE_INDEX_MAX`` do.

        Why the trigram index first: scanning every title cost 18 ms at 100,000 articles,
        growing with the store; the index finds the titles that hold the string's trigrams
        (folding case at least as widely as LIKE), and LIKE then checks each, so the answer is
        LIKE's exactly. A string the index cannot take, or one in more than
        ``_TITLE_INDEX_MAX`` titles (where reading the index row of each costs more than a
        scan), scans the titles as before."""
        pattern = _like_pattern(text)
        scan = "SELECT id FROM articles WHERE title LIKE ? ESCAPE '\\'"
        phrase = _title_phrase(text)
        if phrase is None:
            return scan, [pattern]
        found = self._db.execute(
            "SELECT count(*) FROM (SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? LIMIT ?)",
            (phrase, _TITLE_INDEX_MAX + 1),
        ).fetchone()[0]
        if found > _TITLE_INDEX_MAX and newest is not None:
            # a capped search or query timeline: read the index newest first and stop, so a
            # phrase in 7,000 titles of a 1,000,000-article store scans none of them (a scan
            # of every title was most of a 400 ms search)
            return (
                "SELECT article_id FROM (SELECT article_id, title FROM titles_fts"
                " WHERE titles_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
                " WHERE title LIKE ? ESCAPE '\\'",
                [phrase, newest, pattern],
            )
        if found > _TITLE_INDEX_MAX:
            return scan, [pattern]
        return (  # the index's own copy of the title is checked: no article row is read
            "SELECT article_id FROM titles_fts WHERE titles_fts MATCH ?"
            " AND title LIKE ? ESCAPE '\\'",
            [phrase, pattern],
        )

    @_boundary
    def checkpoint(self) -> None:
        if not self.read_only and self.location not in (":memory:", ""):
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    @_boundary
    def backup(self, dest: str | Path) -> None:
        try:
            target = sqlite3.connect(str(dest))
        except sqlite3.Error as exc:
            raise StoreError(f"{dest}: cannot write a backup there: {exc}") from exc
        try:
            self._db.backup(target)
        finally:
            target.close()

    @_boundary
    def stats(self) -> dict[str, Any]:
        db = self._db

        def grouped(column: str) -> dict[str, int]:
            rows = db.execute(f"SELECT {column}, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC")
            return {str(k) if k is not None else "none": int(n) for k, n in rows}

        span = db.execute("SELECT min(published), max(published) FROM articles").fetchone()
        return {
            "store": self.location,
            "articles": self.count_articles(),
            "near_duplicates": int(
                db.execute(
                    "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
                ).fetchone()[0]
            ),
            "sentences": int(db.execute("SELECT count(*) FROM sentences").fetchone()[0]),
            "time_expressions": int(db.execute("SELECT count(*) FROM timexes").fetchone()[0]),
            "stories": int(db.execute("SELECT count(*) FROM stories").fetchone()[0]),
            "by_date_source": grouped("date_source"),
            "by_language": grouped("language"),
            "first_published": span[0],
            "last_published": span[1],
        }

    # --- curation ------------------------------------------------------------------------------
    @staticmethod
    def _edit(row: sqlite3.Row) -> Edit:
        return Edit(
            id=row[0],
            time=row[1],
            author=row[2],
            kind=row[3],
            story_id=row[4],
            target=json.loads(row[5] or "{}"),
            payload=json.loads(row[6] or "{}"),
            undone_by=row[7],
        )

    _EDIT_COLUMNS = "id, time, author, kind, story_id, target, payload, undone_by"

    @_boundary
    def add_edit(self, edit: Edit) -> int:
        db = self._write()
        with db:
            cursor = db.execute(
                "INSERT INTO edits (time, author, kind, story_id, target, payload, undone_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    edit.time,
                    edit.author,
                    edit.kind,
                    edit.story_id,
                    json.dumps(edit.target, ensure_ascii=False),
                    json.dumps(edit.payload, ensure_ascii=False),
                    edit.undone_by,
                ),
            )
        return int(cursor.lastrowid or 0)

    @_boundary
    def edits(self, story_id: str | None = None) -> list[Edit]:
        sql = f"SELECT {self._EDIT_COLUMNS} FROM edits"
        params: tuple[Any, ...] = ()
        if story_id is not None:
            # The story may be named in the target (merge, move) as well as in story_id.
            sql += " WHERE story_id = ? OR target LIKE ? ESCAPE '\\'"
            params = (story_id, _like_pattern(json.dumps(story_id)))
        rows = self._db.execute(sql + " ORDER BY id", params).fetchall()
        return [self._edit(r) for r in rows]

    @_boundary
    def get_edit(self, edit_id: int) -> Edit:
        if not -(2**63) <= edit_id < 2**63:  # beyond SQLite's integers: no such edit
            raise NotFoundError(f"no edit with id {edit_id}")
        row = self._db.execute(
            f"SELECT {self._EDIT_COLUMNS} FROM edits WHERE id = ?", (edit_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no edit with id {edit_id}")
        return self._edit(row)

    @_boundary
    def mark_undone(self, edit_id: int, undone_by: int | None) -> None:
        db = self._write()
        with db:
            db.execute("UPDATE edits SET undone_by = ? WHERE id = ?", (undone_by, edit_id))

    @_boundary
    def save_machine_stories(self, stories: Sequence[Story]) -> None:
        db = self._write()
        with db:
            db.execute("DELETE FROM machine_stories")
            db.executemany(
                "INSERT INTO machine_stories (id, data) VALUES (?, ?)",
                [(s.id, json.dumps(s.as_dict())) for s in stories],
            )

    @_boundary
    def machine_stories(self) -> list[Story] | None:
        rows = self._db.execute("SELECT data FROM machine_stories ORDER BY id").fetchall()
        if not rows:
            return None
        return [Story.from_dict(json.loads(r[0])) for r in rows]

    @_boundary
    def set_article_date(
        self,
        article_id: str,
        published: date | None,
        date_source: str | None,
        confidence: float | None,
        evidence: Sequence[str],
        granularity: str | None,
    ) -> None:
        db = self._write()
        with db:
            db.execute(
                "UPDATE articles SET published = ?, date_source = ?, date_confidence = ?,"
                " date_evidence = ?, date_granularity = ? WHERE id = ?",
                (
                    published.isoformat() if published else None,
                    date_source,
                    confidence,
                    json.dumps(list(evidence)),
                    granularity if published else None,
                    article_id,
                ),
            )
            self._date_members(db, article_id)

    @staticmethod
    def _date_members(db: sqlite3.Connection, article_id: str) -> None:
        """Copy the article's date, as just written, to its memberships (migration 9's
        ``story_articles.published``, the order of a story's member pages); in the write's
        own transaction, so no reader sees the two apart."""
        db.execute(
            f"UPDATE story_articles SET published = {_MEMBER_DATE.format('?')}"
            " WHERE article_id = ?",
            (article_id, article_id),
        )

    @_boundary
    def delete_article(self, article_id: str) -> None:
        db = self._write()
        self._index_sentences(db)  # its 'delete' below must find every sentence indexed
        with db:
            db.execute(
                "DELETE FROM timelines WHERE story_id IN"
                " (SELECT story_id FROM story_articles WHERE article_id = ?)",
                (article_id,),
            )
            # The full-text index has external content: its rows are removed by command.
            db.execute(
                "INSERT INTO sentences_fts (sentences_fts, rowid, text)"
                " SELECT 'delete', rowid, text FROM sentences WHERE article_id = ?",
                (article_id,),
            )
            self._delete_title(db, article_id)
            db.execute(
                "UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (article_id,)
            )
            for table in ("story_articles", "sentences", "timexes", "minhashes"):
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    @staticmethod
    def _delete_title(db: sqlite3.Connection, article_id: str) -> None:
        """Remove an article's row from the title index, found through its own title: the
        article id is not indexed, so looking it up alone reads every title (37 ms at 100,000
        articles)."""
        row = db.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()
        phrase = _title_phrase(row[0]) if row and row[0] is not None else None
        if phrase is None:
            db.execute("DELETE FROM titles_fts WHERE article_id = ?", (article_id,))
            return
        db.execute(
            "DELETE FROM titles_fts WHERE rowid IN (SELECT rowid FROM titles_fts"
            " WHERE titles_fts MATCH ? AND article_id = ?)",
            (phrase, article_id),
        )

    @_boundary
    def duplicates_of(self, article_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE duplicate_of = ? ORDER BY id", (article_id,)
        )
        return [r[0] for r in rows]

    @_boundary
    def set_duplicate_of(self, article_ids: Sequence[str], original: str) -> None:
        with self._atomic() as db:
            db.executemany(
                "UPDATE articles SET duplicate_of = ? WHERE id = ?",
                [(original, a) for a in article_ids],
            )

    @_boundary
    def drop_timelines(self, story_ids: Sequence[str]) -> None:
        db = self._write()
        with db:
            db.executemany("DELETE FROM timelines WHERE story_id = ?", [(s,) for s in story_ids])


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (they hold no semicolons inside strings)."""
    return [s.strip() for s in sql.split(";") if s.strip()]
