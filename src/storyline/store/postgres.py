"""The server store: one PostgreSQL database, reached with a libpq URL, through psycopg 3.

Why PostgreSQL beside SQLite: a team shares one store on a server, several machines (a Dask
cluster) write to it, and the web server reads it from elsewhere. The contract is SQLite's
(:mod:`storyline.store.base`), kept the PostgreSQL way:

- one writer at a time: every write transaction first takes one transaction-scoped advisory
  lock, so two ingests or a build-stories never interleave their writes (as SQLite's single
  write lock). A writer waits at most ``store.busy_timeout_seconds`` (``lock_timeout``) and then
  fails with :class:`StoreBusyError`; readers never wait (MVCC);
- reads that take several statements (a story and its members) run in one REPEATABLE READ
  transaction, so they see one committed state;
- writes inside ``with store.transaction():`` (an ingest batch) are one transaction that takes
  the write lock once; each write in it is a savepoint, so a failed write undoes only itself;
- lists stream by key (``iter_articles``: one indexed range per batch) or page (stories by
  size, a story's members by date), so nothing holds every article or membership in memory;
- the schema is created and migrated on first use (:mod:`storyline.store.pg_migrations`);
- a database that does not exist is created only when asked to (``create``); readers get
  :class:`StoreMissingError`;
- an unreachable server or bad credentials are one line (:class:`StoreError`) naming the URL
  without its password.

This module is the engine boundary: every public method translates ``psycopg.Error`` into a
:class:`storyline.errors.StoreError`, so shells print one line and never an engine traceback.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from storyline.curation.model import Edit
from storyline.errors import (
    InputError,
    NotFoundError,
    StoreBusyError,
    StoreError,
    StoreMissingError,
)
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.settings import StoreConfig
from storyline.store import display_location
from storyline.store.base import (
    MemberHead,
    SearchHit,
    Store,
    evenly_spaced,
    match_quota,
    match_ranges,
    outermost_prefixes,
)
from storyline.store.pg_migrations import FTS_CONFIG, MIGRATIONS

_HEAD_COLUMNS = (
    "a.id, a.published, a.date_granularity, a.duplicate_of IS NOT NULL, a.source_name, a.source"
)
"""An article's :class:`MemberHead` columns, as ``a``."""

_ARTICLE_COLUMNS = (
    "id, title, text, source, url, published, date_source, date_confidence, date_evidence, "
    "language, content_hash, duplicate_of, source_name, date_granularity"
)

_WRITE_LOCK = 0x5707_11E0
"""Key of the advisory lock every write transaction holds: one writer at a time per database."""

_MIGRATE_LOCK = _WRITE_LOCK + 1
"""Held while migrating, so two processes creating the same new store run migration 1 once."""

_STORIES_LOCK = _WRITE_LOCK + 2
"""Held while a process regroups the stories (:meth:`PostgresStore.stories_lock`)."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_line(exc: BaseException) -> str:
    """An engine message on one line (libpq's have a tab-indented hint on the next)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return "; ".join(lines) or type(exc).__name__


_TOKEN = re.compile(r"[^\W_]+")


def fts_text(text: str) -> str:
    """``text`` tokenised as SQLite's ``unicode61`` tokenizer does, words joined by spaces.

    Why in Python: PostgreSQL's parser splits text its own way (``e-mail`` is one hyphenated
    word, ``example.com`` a host name, letters outside ASCII depend on the server's locale), so
    the store hands it only what unicode61 would keep: runs of letters and digits, lowercased,
    with diacritics removed. The server then only stems (see ``storyline_fts``).
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_TOKEN.findall(text.lower()))


def _tsquery(user_query: str) -> tuple[str, list[str]] | None:
    """SQL for a safe tsquery from any user string, with its parameters; None for no words.

    Like the SQLite store's FTS5 query: every word the user typed is required (AND), and a word
    the tokenizer splits (``covid_19``) is a phrase. ``phraseto_tsquery`` reads plain text, so
    no user string can raise a syntax error.
    """
    words = [w for w in (fts_text(raw) for raw in re.findall(r"\w+", user_query)) if w]
    if not words:
        return None
    expr = " && ".join(f"phraseto_tsquery('{FTS_CONFIG}', %s)" for _ in words)
    return f"({expr})", words


def _like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '\\'``: ``%`` and ``_`` a user typed are literal characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _clean(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; SQLite can. Same length, so offsets stay valid, and the
    same replacement on lookups finds what was stored (a user's ``%00`` never raises)."""
    return value.replace("\x00", "\ufffd") if value is not None and "\x00" in value else value


def _key(value: str) -> str:
    """A lookup key (an id from a URL, a timeline key) made safe for PostgreSQL text."""
    return value.replace("\x00", "\ufffd")


def _keys(values: Sequence[str]) -> list[str]:
    return [_key(v) for v in values]


def _boundary(
    method: Callable[Concatenate[PostgresStore, _P], _R],
) -> Callable[Concatenate[PostgresStore, _P], _R]:
    """Translate engine errors raised by a store method into storyline's own errors."""

    @functools.wraps(method)
    def guarded(self: PostgresStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except psycopg.Error as exc:
            raise self._engine_error(exc) from exc

    return guarded


class PostgresStore(Store):
    """A :class:`Store` in one PostgreSQL database named by a libpq URL."""

    def __init__(
        self,
        url: str,
        *,
        read_only: bool = False,
        create: bool = True,
        busy_timeout: float | None = None,
        connect_timeout: float | None = None,
    ) -> None:
        """Connect to the database at ``url``; with ``create`` (and not ``read_only``) create
        the database when it does not exist. Readers (``create=False``) get
        :class:`StoreMissingError` for a database that does not exist or holds no store.
        """
        defaults = StoreConfig()
        self._url = url
        self.location = display_location(url)  # never the password
        self.read_only = read_only
        self._depth = 0  # open transaction() contexts: writes inside join the outer transaction
        self.busy_timeout = float(
            defaults.busy_timeout_seconds if busy_timeout is None else busy_timeout
        )
        self.connect_timeout = float(
            defaults.connect_timeout_seconds if connect_timeout is None else connect_timeout
        )
        try:
            self._params = conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: not a PostgreSQL URL: {_one_line(exc)}") from None
        self._db = self._open(create=create and not read_only)
        try:
            # at least 1 ms: PostgreSQL reads lock_timeout = 0 as "wait for ever"
            self._db.execute(f"SET lock_timeout = {max(1, round(self.busy_timeout * 1000))}")
            self._migrate(create=create and not read_only)
            if read_only:
                self._db.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            self._db.close()
            raise self._engine_error(exc) from exc
        except StoreError:
            self._db.close()
            raise

    # --- connection and errors ---------------------------------------------------------------
    def _connect(self, **override: Any) -> psycopg.Connection[Any]:
        params = dict(self._params, **override)
        params.setdefault("connect_timeout", max(1, round(self.connect_timeout)))
        params.setdefault("application_name", "storyline")
        return psycopg.connect(make_conninfo(**params), autocommit=True)

    def _open(self, create: bool) -> psycopg.Connection[Any]:
        """Connect; a missing database is created (writers) or :class:`StoreMissingError`."""
        try:
            return self._connect()
        except psycopg.OperationalError as exc:
            if not _missing_database(exc):
                raise StoreError(
                    f"{self.location}: cannot connect to the PostgreSQL server: {_one_line(exc)}"
                ) from None
        if not create:
            raise StoreMissingError(
                f"no store at {self.location}: the database does not exist "
                "(create one with storyline ingest)"
            )
        self._create_database()
        try:
            return self._connect()
        except psycopg.OperationalError as exc:
            raise StoreError(
                f"{self.location}: cannot connect to the PostgreSQL server: {_one_line(exc)}"
            ) from None

    def _create_database(self) -> None:
        """``CREATE DATABASE`` through the server's maintenance database, as ``createdb`` does."""
        name = str(self._params.get("dbname") or self._params.get("user") or "")
        last: psycopg.Error | None = None
        for maintenance in ("postgres", "template1"):
            try:
                with self._connect(dbname=maintenance) as admin:
                    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                return
            except pg_errors.DuplicateDatabase:
                return  # another process created it first
            except psycopg.Error as exc:
                last = exc
        raise StoreError(
            f"{self.location}: the database does not exist and cannot be created here "
            f"({_one_line(last) if last else 'no maintenance database'}); create it with "
            f"createdb {name}"
        ) from None

    def _engine_error(self, exc: psycopg.Error) -> StoreError:
        """The storyline error for an engine error: one line naming the store."""
        if isinstance(exc, pg_errors.LockNotAvailable):
            return StoreBusyError(
                f"{self.location}: the store is busy: another storyline process is writing "
                f"(waited {self.busy_timeout:g} s; try again when it has finished)"
            )
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return StoreError(f"{self.location}: the store is open read-only")
        return StoreError(f"{self.location}: {_one_line(exc)}")

    # --- lifecycle ---------------------------------------------------------------------------
    def _applied(self) -> set[int] | None:
        """Numbers of the applied migrations; None when the database holds no store."""
        db = self._db
        found = db.execute("SELECT to_regclass('migrations') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return None
        return {row[0] for row in db.execute("SELECT id FROM migrations")}

    def _migrate(self, create: bool) -> None:
        """Apply missing migrations in one transaction, under the migration lock.

        Why the check before the lock: opening an up-to-date store must not wait for another
        process. Why a store with some migrations is upgraded even for a reader: as with SQLite,
        the migrations only add, and a reader of an older store must not fail on a missing
        column. A database holding no store at all is a reader's mistyped URL.
        """
        wanted = {number for number, _, _ in MIGRATIONS}
        applied = self._applied()
        if applied is not None and wanted <= applied:
            return
        if applied is None and not create:
            raise StoreMissingError(
                f"no store at {self.location}: the database holds no storyline store "
                "(create one with storyline ingest)"
            )
        db = self._db  # a reader upgrades here, before its session turns read-only
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            done = self._applied() or set()
            for number, name, script in MIGRATIONS:
                if number in done:
                    continue
                for statement in _statements(script):
                    db.execute(statement.encode())
                db.execute("INSERT INTO migrations (id, name) VALUES (%s, %s)", (number, name))

    @_boundary
    def close(self) -> None:
        self._db.close()

    def _write(self) -> psycopg.Connection[Any]:
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only")
        return self._db

    @contextmanager
    def _writing(self, pipeline: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction holding the store's write lock (one writer at a time).

        Why a pipeline: the statements of a write need no answer before the next is sent, so
        they go to the server together and the transaction costs one round trip, not one per
        statement (an article is about ten). Errors surface when the block ends, and roll the
        whole transaction back as before. ``pipeline=False`` for a write that uses COPY.

        Inside :meth:`transaction` the write lock is already held and the write is a savepoint
        (psycopg's nested ``transaction()``): a write that fails undoes only itself.
        """
        db = self._write()
        with db.pipeline() if pipeline else nullcontext(), db.transaction():
            if not self._depth:
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            yield db

    @contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection[Any]]:
        """A read transaction that sees one committed state across its statements.

        Inside :meth:`transaction` the reads join the open write transaction (the isolation
        level cannot change once it ran a statement), and see its own writes.
        """
        db = self._db
        if self._depth:
            yield db
            return
        with db.transaction():
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield db

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
            with self._writing() as db:
                db.execute(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (
                        article.id,
                        _clean(article.title),
                        _clean(article.text),
                        _clean(article.source),
                        _clean(article.url),
                        article.published,
                        article.date_source,
                        article.date_confidence,
                        json.dumps(article.date_evidence),
                        article.language,
                        article.content_hash,
                        article.duplicate_of,
                        _clean(article.source_name),
                        article.date_granularity,
                    ),
                )
                with db.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO sentences (article_id, idx, text, start, end_, tsv)"
                        f" VALUES (%s, %s, %s, %s, %s, to_tsvector('{FTS_CONFIG}', %s))",
                        [
                            (article.id, s.index, _clean(s.text), s.start, s.end, fts_text(s.text))
                            for s in sentences
                        ],
                    )
                self._insert_timexes(db, article.id, timexes)
                if minhash is not None:
                    db.execute(
                        "INSERT INTO minhashes (article_id, signature) VALUES (%s, %s)",
                        (article.id, minhash),
                    )
        except pg_errors.UniqueViolation as exc:
            # Another process stored the same text between our duplicate check and this write
            # (two ingests of one input at once): the article is there, so it is a duplicate.
            if self.article_id_for_hash(article.content_hash) is not None:
                return False
            raise StoreError(
                f"{article.source}: cannot store article {article.id}: {_one_line(exc)}"
            ) from exc
        return True

    @staticmethod
    def _insert_timexes(
        db: psycopg.Connection[Any], article_id: str, timexes: Sequence[TimeExpression]
    ) -> None:
        with db.cursor() as cur:
            cur.executemany(
                "INSERT INTO timexes (article_id, sentence_idx, start, end_, text, type, value, mod)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        article_id,
                        t.sentence_index,
                        t.start,
                        t.end,
                        _clean(t.text),
                        t.type,
                        _clean(t.value),
                        t.mod,
                    )
                    for t in timexes
                ],
            )

    @_boundary
    def article_id_for_hash(self, content_hash: str) -> str | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE content_hash = %s", (_key(content_hash),)
        ).fetchone()
        return row[0] if row else None

    def minhashes(self) -> Iterable[tuple[str, bytes]]:
        try:  # a generator: errors surface while iterating, after any decorator returned
            with self._db.cursor() as cur:
                cur.execute("SELECT article_id, signature FROM minhashes")
                for article_id, signature in cur:
                    yield article_id, bytes(signature)
        except psycopg.Error as exc:
            raise self._engine_error(exc) from exc

    @staticmethod
    def _article(row: Sequence[Any]) -> Article:
        return Article(
            id=row[0],
            title=row[1],
            text=row[2],
            source=row[3],
            url=row[4],
            published=row[5],
            date_source=row[6],
            date_confidence=row[7],
            date_evidence=json.loads(row[8] or "[]"),
            language=row[9],
            content_hash=row[10],
            duplicate_of=row[11],
            source_name=row[12],
            date_granularity=row[13],
        )

    @_boundary
    def get_article(self, article_id: str) -> Article:
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = %s", (_key(article_id),)
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
        found = self._article_filter(query, since, until, max_matches)
        if found is None:
            return []
        where, params = found
        if ids is not None:
            where.append("id = ANY(%s)")
            params.append(_keys(ids))
        statement = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if where:
            statement += " WHERE " + " AND ".join(where)
        statement += " ORDER BY published IS NULL, published, source, id"
        if limit is not None or offset:
            statement += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return [self._article(row) for row in self._db.execute(statement, params)]

    @_boundary
    def published_dates(self, article_ids: Sequence[str]) -> dict[str, date | None]:
        rows = self._db.execute(
            "SELECT id, published FROM articles WHERE id = ANY(%s)", (_keys(article_ids),)
        )
        return {r[0]: r[1] for r in rows}

    @_boundary
    def article_heads(self, article_ids: Sequence[str]) -> list[Article]:
        rows = self._db.execute(
            "SELECT id, title, source, url, published, date_source, date_confidence, language,"
            " content_hash, duplicate_of, source_name, date_granularity FROM articles"
            " WHERE id = ANY(%s)",
            (_keys(article_ids),),
        )
        return [
            Article(
                id=r[0],
                text="",
                title=r[1],
                source=r[2],
                url=r[3],
                published=r[4],
                date_source=r[5],
                date_confidence=r[6],
                language=r[7],
                content_hash=r[8],
                duplicate_of=r[9],
                source_name=r[10],
                date_granularity=r[11],
            )
            for r in rows
        ]

    @_boundary
    def count_articles(self) -> int:
        row = self._db.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

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
        with self._writing() as db:
            db.execute(
                "UPDATE articles SET published = %s, date_source = %s, date_confidence = %s,"
                " date_evidence = %s, date_granularity = %s"
                " WHERE id = %s AND (published IS NULL OR date_source = 'inferred')",
                (
                    published,
                    date_source,
                    confidence,
                    json.dumps(list(evidence)),
                    granularity,
                    article_id,
                ),
            )
            _date_members(db, article_id)

    # --- sentences and time ------------------------------------------------------------------
    @_boundary
    def sentences(self, article_ids: Sequence[str]) -> dict[str, list[Sentence]]:
        out: dict[str, list[Sentence]] = {a: [] for a in article_ids}
        rows = self._db.execute(
            "SELECT article_id, idx, text, start, end_ FROM sentences"
            " WHERE article_id = ANY(%s) ORDER BY article_id, idx",
            (_keys(article_ids),),
        )
        for r in rows:
            out[r[0]].append(Sentence(r[0], r[1], r[2], r[3], r[4]))
        return out

    @_boundary
    def sentences_at(self, keys: Sequence[tuple[str, int]]) -> dict[str, list[Sentence]]:
        pairs = list(dict.fromkeys(keys))
        out: dict[str, list[Sentence]] = {}
        if not pairs:
            return out
        rows = self._db.execute(
            "SELECT s.article_id, s.idx, s.text, s.start, s.end_"
            " FROM unnest(%s::text[], %s::int[]) AS v(article_id, idx)"
            ' JOIN sentences s ON s.article_id = v.article_id COLLATE "C" AND s.idx = v.idx'
            " ORDER BY s.article_id, s.idx",
            (_keys([a for a, _ in pairs]), [i for _, i in pairs]),
        )
        for r in rows:
            out.setdefault(r[0], []).append(Sentence(r[0], r[1], r[2], r[3], r[4]))
        return out

    @_boundary
    def timexes(self, article_ids: Sequence[str]) -> dict[str, list[TimeExpression]]:
        out: dict[str, list[TimeExpression]] = {a: [] for a in article_ids}
        rows = self._db.execute(
            "SELECT article_id, sentence_idx, start, end_, text, type, value, mod FROM timexes"
            " WHERE article_id = ANY(%s) ORDER BY article_id, start, id",
            (_keys(article_ids),),
        )
        for r in rows:
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
        rows = self._db.execute(
            "SELECT article_id, sentence_idx, value FROM timexes WHERE article_id = ANY(%s)"
            " AND type IN ('DATE', 'TIME') AND sentence_idx IS NOT NULL"
            " ORDER BY article_id, start, id",
            (_keys(article_ids),),
        )
        for r in rows:
            out[r[0]].append((r[1], r[2]))
        return out

    @_boundary
    def sentences_mentioning(self, value_prefix: str) -> list[tuple[str, int]]:
        upper = value_prefix + "\uffff"
        rows = self._db.execute(
            "SELECT DISTINCT article_id, sentence_idx FROM timexes"
            " WHERE value >= %s AND value < %s ORDER BY article_id, sentence_idx",
            (_key(value_prefix), _key(upper)),
        )
        return [(r[0], r[1]) for r in rows]

    @_boundary
    def story_articles_mentioning(self, story_id: str, value_prefix: str) -> set[str]:
        rows = self._db.execute(
            "SELECT DISTINCT t.article_id FROM timexes t JOIN story_articles sa"
            " ON sa.article_id = t.article_id AND sa.story_id = %s"
            " WHERE t.value >= %s AND t.value < %s",
            (_key(story_id), _key(value_prefix), _key(value_prefix + "\uffff")),
        )
        return {r[0] for r in rows}

    @_boundary
    def story_member_mentions(
        self, story_id: str, value_prefixes: Sequence[str]
    ) -> Iterator[tuple[MemberHead, list[tuple[int, str]]]]:
        found = self._db.execute("SELECT 1 FROM stories WHERE id = %s", (_key(story_id),))
        if found.fetchone() is None:
            raise NotFoundError(f"no story with id {story_id!r}")
        prefixes = outermost_prefixes(value_prefixes)
        within = " OR ".join(["(t.value >= %s AND t.value < %s)"] * len(prefixes)) or "FALSE"
        bounds = [_key(b) for p in prefixes for b in (p, p + "\uffff")]
        sql = (
            f"SELECT {_HEAD_COLUMNS}, m.idx, m.value FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id LEFT JOIN (SELECT t.article_id,"
            " min(t.sentence_idx) AS idx, t.value FROM timexes t JOIN story_articles s"
            " ON s.article_id = t.article_id AND s.story_id = %s"
            f" WHERE ({within}) AND t.type IN ('DATE', 'TIME') AND t.sentence_idx IS NOT NULL"
            " GROUP BY t.article_id, t.value) m ON m.article_id = sa.article_id"
            " WHERE sa.story_id = %s ORDER BY sa.article_id"
        )
        return self._grouped(sql, [_key(story_id), *bounds, _key(story_id)])

    def _grouped(
        self, sql: str, params: Sequence[Any]
    ) -> Iterator[tuple[MemberHead, list[tuple[int, str]]]]:
        """The rows of :meth:`story_member_mentions`'s query, streamed from the server
        (psycopg's ``stream``: no result held whole), one member's together."""
        head: MemberHead | None = None
        found: list[tuple[int, str]] = []
        try:  # a generator: errors surface while iterating
            for r in self._db.cursor().stream(sql, params):
                if head is None or r[0] != head.id:
                    if head is not None:
                        yield head, found
                    head, found = MemberHead(r[0], r[1], r[2], bool(r[3]), r[4], r[5]), []
                if r[6] is not None:
                    found.append((int(r[6]), str(r[7])))
            if head is not None:
                yield head, found
        except psycopg.Error as exc:
            raise self._engine_error(exc) from exc

    @_boundary
    def replace_timexes(self, article_id: str, timexes: Sequence[TimeExpression]) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM timexes WHERE article_id = %s", (_key(article_id),))
            self._insert_timexes(db, _key(article_id), timexes)

    @_boundary
    def search(
        self, query: str, limit: int = 50, offset: int = 0, max_matches: int | None = None
    ) -> list[SearchHit]:
        found = _tsquery(query)
        if found is None:
            return []
        expr, words = found
        params: list[Any] = [*words]
        matching = "JOIN sentences s ON s.tsv @@ q.query"
        if max_matches is not None:
            # The newest matches by key, as SQLite takes them by rowid: both engines number
            # sentences in the order they are stored, so a capped search ranks the same rows.
            matching = (
                "CROSS JOIN LATERAL (SELECT * FROM sentences WHERE tsv @@ q.query"
                " ORDER BY id DESC LIMIT %s) s"
            )
            params.append(max_matches)
        # rank: minus ts_rank, so that lower is better as with SQLite's bm25()
        rows = self._db.execute(
            "SELECT s.article_id, s.idx, s.text, s.start, s.end_, a.title, a.published,"
            " -ts_rank(s.tsv, q.query) AS rank, a.date_granularity"
            f" FROM (SELECT {expr} AS query) q {matching}"
            " JOIN articles a ON a.id = s.article_id"
            " ORDER BY rank, s.article_id, s.idx LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [
            SearchHit(
                sentence=Sentence(r[0], r[1], r[2], r[3], r[4]),
                title=r[5],
                published=r[6],
                rank=float(r[7]),
                date_granularity=r[8] or ("day" if r[6] else None),
            )
            for r in rows
        ]

    @_boundary
    def count_matches(self, query: str, up_to: int) -> int:
        found = _tsquery(query)
        if found is None:
            return 0
        expr, words = found
        row = self._db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM sentences WHERE tsv @@ {expr} LIMIT %s) m",
            [*words, up_to],
        ).fetchone()
        return int(row[0]) if row else 0

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
        with self._writing(pipeline=False) as db, db.cursor() as cur:
            # The new assignments go to a temporary table first, so the stories whose members
            # changed are found by SQL (no membership held in Python) inside the write lock.
            cur.execute(
                'CREATE TEMP TABLE IF NOT EXISTS new_story_articles (story_id TEXT COLLATE "C"'
                ' NOT NULL, article_id TEXT COLLATE "C" NOT NULL) ON COMMIT DELETE ROWS'
            )
            cur.execute("DELETE FROM new_story_articles")
            with cur.copy("COPY new_story_articles (story_id, article_id) FROM STDIN") as copy:
                for story_id, article_id in members:
                    copy.write_row((_key(story_id), _key(article_id)))
            # A story whose articles changed keeps its stored timelines, marked stale: readers
            # are served the old one until the new one replaces it (never dropped first).
            cur.execute(
                "UPDATE timelines SET stale = true WHERE story_id IN ("
                " SELECT story_id FROM (SELECT story_id, article_id FROM story_articles"
                "  EXCEPT SELECT story_id, article_id FROM new_story_articles) AS gone"
                " UNION SELECT story_id FROM (SELECT story_id, article_id FROM new_story_articles"
                "  EXCEPT SELECT story_id, article_id FROM story_articles) AS came)"
            )
            cur.execute("DELETE FROM story_articles")
            cur.execute(
                "DELETE FROM stories WHERE NOT (id = ANY(%s))", ([_key(s.id) for s in stories],)
            )
            cur.executemany(
                "INSERT INTO stories (id, label, first, last, parent_id, size)"
                " VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (id) DO UPDATE SET label = excluded.label, first = excluded.first,"
                " last = excluded.last, parent_id = excluded.parent_id, size = excluded.size",
                [
                    (
                        _key(s.id),
                        _clean(s.label),
                        s.first,
                        s.last,
                        s.parent_id,
                        len(set(s.article_ids)),
                    )
                    for s in stories
                ],
            )
            cur.execute(
                "INSERT INTO story_articles (story_id, article_id, published)"
                " SELECT DISTINCT n.story_id, n.article_id, a.published FROM new_story_articles n"
                " LEFT JOIN articles a ON a.id = n.article_id"
            )
            if counted:
                cur.execute(
                    "UPDATE stories SET size = n.size FROM (SELECT story_id, count(*) AS size"
                    " FROM story_articles GROUP BY story_id) n WHERE n.story_id = stories.id"
                )
                cur.execute(
                    "DELETE FROM stories WHERE NOT EXISTS"
                    " (SELECT 1 FROM story_articles sa WHERE sa.story_id = stories.id)"
                )
            cur.execute("DELETE FROM new_story_articles")
            cur.execute(
                "INSERT INTO meta (key, value) VALUES ('story_state', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (state,),
            )

    def _story_rows(self, story_id: str | None = None) -> list[Story]:
        with self._snapshot() as db:
            where, params = (
                ("WHERE id = %s", [_key(story_id)]) if story_id is not None else ("", [])
            )
            rows = db.execute(
                f"SELECT id, label, first, last, parent_id FROM stories {where} ORDER BY id",
                params,
            ).fetchall()
            members: dict[str, list[str]] = {r[0]: [] for r in rows}
            member_where = "WHERE sa.story_id = %s" if story_id is not None else ""
            for sid, article_id in db.execute(
                f"SELECT sa.story_id, sa.article_id FROM story_articles sa {member_where}"
                " ORDER BY sa.story_id, sa.published IS NULL, sa.published, sa.article_id",
                params,
            ):
                if sid in members:
                    members[sid].append(article_id)
        return [
            Story(
                id=r[0],
                label=r[1],
                article_ids=members[r[0]],
                first=r[2],
                last=r[3],
                parent_id=r[4],
            )
            for r in rows
        ]

    @_boundary
    def stories(self) -> list[Story]:
        return self._story_rows()

    @_boundary
    def get_story(self, story_id: str) -> Story:
        found = self._story_rows(story_id)
        if not found:
            raise NotFoundError(f"no story with id {story_id!r}")
        return found[0]

    @_boundary
    def story_ids_of(self, article_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT story_id FROM story_articles WHERE article_id = %s ORDER BY story_id",
            (_key(article_id),),
        )
        return [r[0] for r in rows]

    @_boundary
    def story_state(self) -> bytes | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'story_state'").fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    # --- cached outputs and metadata -----------------------------------------------------------
    @_boundary
    def save_timeline(self, story_id: str, key: str, data: dict[str, Any]) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO timelines (story_id, key, data, stale) VALUES (%s, %s, %s, false)"
                " ON CONFLICT (story_id, key) DO UPDATE SET data = excluded.data, stale = false",
                (_key(story_id), _key(key), json.dumps(data)),
            )

    @_boundary
    def load_timeline(self, story_id: str, key: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT data FROM timelines WHERE story_id = %s AND key = %s",
            (_key(story_id), _key(key)),
        ).fetchone()
        return json.loads(row[0]) if row else None

    @_boundary
    def load_timelines(self, story_ids: Sequence[str], key: str) -> dict[str, dict[str, Any]]:
        rows = self._db.execute(
            "SELECT story_id, data FROM timelines WHERE key = %s AND story_id = ANY(%s)",
            (_key(key), _keys(story_ids)),
        )
        return {r[0]: json.loads(r[1]) for r in rows}

    @_boundary
    def stats(self) -> dict[str, Any]:
        with self._snapshot() as db:

            def count(statement: str) -> int:
                row = db.execute(statement).fetchone()
                return int(row[0]) if row else 0

            def grouped(column: str) -> dict[str, int]:
                rows = db.execute(
                    f"SELECT {column}, count(*) FROM articles GROUP BY 1"
                    " ORDER BY 2 DESC, 1 NULLS FIRST"
                )
                return {str(k) if k is not None else "none": int(n) for k, n in rows}

            span = db.execute("SELECT min(published), max(published) FROM articles").fetchone()
            first, last = span if span else (None, None)
            return {
                "store": self.location,
                "articles": count("SELECT count(*) FROM articles"),
                "near_duplicates": count(
                    "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
                ),
                "sentences": count("SELECT count(*) FROM sentences"),
                "time_expressions": count("SELECT count(*) FROM timexes"),
                "stories": count("SELECT count(*) FROM stories"),
                "by_date_source": grouped("date_source"),
                "by_language": grouped("language"),
                "first_published": first.isoformat() if first else None,
                "last_published": last.isoformat() if last else None,
            }

    # --- curation ------------------------------------------------------------------------------
    _EDIT_COLUMNS = 'id, "time", author, kind, story_id, target, payload, undone_by'

    @staticmethod
    def _edit(row: Sequence[Any]) -> Edit:
        return Edit(
            id=int(row[0]),
            time=row[1],
            author=row[2],
            kind=row[3],
            story_id=row[4],
            target=json.loads(row[5] or "{}"),
            payload=json.loads(row[6] or "{}"),
            undone_by=int(row[7]) if row[7] is not None else None,
        )

    @_boundary
    def add_edit(self, edit: Edit) -> int:
        with self._writing(pipeline=False) as db:  # the id is read back inside the transaction
            row = db.execute(
                'INSERT INTO edits ("time", author, kind, story_id, target, payload, undone_by)'
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    _clean(edit.time),
                    _clean(edit.author),
                    _clean(edit.kind),
                    _clean(edit.story_id),
                    json.dumps(edit.target, ensure_ascii=False),
                    json.dumps(edit.payload, ensure_ascii=False),
                    edit.undone_by,
                ),
            ).fetchone()
        return int(row[0]) if row else 0

    @_boundary
    def edits(self, story_id: str | None = None) -> list[Edit]:
        statement = f"SELECT {self._EDIT_COLUMNS} FROM edits"
        params: tuple[Any, ...] = ()
        if story_id is not None:
            # The story may be named in the target (merge, move) as well as in story_id: as a
            # JSON string, written as add_edit writes it (JSON escapes NUL, so no _key here).
            statement += " WHERE story_id = %s OR target LIKE %s ESCAPE '\\'"
            named = _like_pattern(json.dumps(story_id, ensure_ascii=False))
            params = (_key(story_id), named)
        rows = self._db.execute(statement + " ORDER BY id", params).fetchall()
        return [self._edit(r) for r in rows]

    @_boundary
    def get_edit(self, edit_id: int) -> Edit:
        row = None
        if -(2**63) <= edit_id < 2**63:  # BIGINT: a larger number names no edit
            row = self._db.execute(
                f"SELECT {self._EDIT_COLUMNS} FROM edits WHERE id = %s", (edit_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no edit with id {edit_id}")
        return self._edit(row)

    @_boundary
    def mark_undone(self, edit_id: int, undone_by: int | None) -> None:
        with self._writing() as db:
            db.execute("UPDATE edits SET undone_by = %s WHERE id = %s", (undone_by, edit_id))

    @_boundary
    def save_machine_stories(self, stories: Sequence[Story]) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM machine_stories")
            with db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO machine_stories (id, data) VALUES (%s, %s)",
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
        with self._writing() as db:
            db.execute(
                "UPDATE articles SET published = %s, date_source = %s, date_confidence = %s,"
                " date_evidence = %s, date_granularity = %s WHERE id = %s",
                (
                    published,
                    date_source,
                    confidence,
                    json.dumps(list(evidence)),
                    granularity if published else None,
                    _key(article_id),
                ),
            )
            _date_members(db, _key(article_id))

    @_boundary
    def delete_article(self, article_id: str) -> None:
        key = _key(article_id)
        with self._writing() as db:
            db.execute(
                "DELETE FROM timelines WHERE story_id IN"
                " (SELECT story_id FROM story_articles WHERE article_id = %s)",
                (key,),
            )
            db.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = %s", (key,))
            for table in ("story_articles", "sentences", "timexes", "minhashes"):
                db.execute(f"DELETE FROM {table} WHERE article_id = %s", (key,))
            db.execute("DELETE FROM articles WHERE id = %s", (key,))

    @_boundary
    def duplicates_of(self, article_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE duplicate_of = %s ORDER BY id", (_key(article_id),)
        ).fetchall()
        return [r[0] for r in rows]

    @_boundary
    def set_duplicate_of(self, article_ids: Sequence[str], original: str) -> None:
        with self._writing() as db:
            db.execute(
                "UPDATE articles SET duplicate_of = %s WHERE id = ANY(%s)",
                (_key(original), _keys(article_ids)),
            )

    @_boundary
    def drop_timelines(self, story_ids: Sequence[str]) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM timelines WHERE story_id = ANY(%s)", (_keys(story_ids),))

    # --- streaming, paging and maintenance (issue 12) ---------------------------------------
    @contextmanager
    def stories_lock(self) -> Iterator[None]:
        """A session advisory lock, waited for without the busy timeout (a regrouping of a
        large store takes minutes); the server releases it when the connection ends."""
        db = self._write()
        try:
            db.execute("SET lock_timeout = 0")
            try:
                db.execute("SELECT pg_advisory_lock(%s)", (_STORIES_LOCK,))
            finally:
                db.execute(f"SET lock_timeout = {max(1, round(self.busy_timeout * 1000))}")
        except psycopg.Error as exc:
            raise self._engine_error(exc) from exc
        try:
            yield
        finally:
            with contextlib.suppress(psycopg.Error):  # a lost connection released it already
                db.execute("SELECT pg_advisory_unlock(%s)", (_STORIES_LOCK,))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around every write in the block (nested blocks join it).

        The write lock is taken at the start (waiting up to the busy timeout); the block commits
        when it ends and rolls back when it raises, so a crash (the server rolls back a lost
        connection's transaction) loses at most the open block. Each write inside is a savepoint
        (:meth:`_writing`), so a failed write undoes only itself.
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
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0
        except psycopg.Error as exc:
            raise self._engine_error(exc) from exc

    @_boundary
    def update_stories(
        self,
        stories: Sequence[Story],
        assignments: dict[str, str],
        renames: dict[str, str],
        state: bytes | None = None,
    ) -> None:
        keep = [_key(s.id) for s in stories]
        with self._writing(pipeline=False) as db, db.cursor() as cur:
            cur.executemany(
                "INSERT INTO stories (id, label, first, last, parent_id) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (id) DO UPDATE SET label = excluded.label, first = excluded.first,"
                " last = excluded.last, parent_id = excluded.parent_id",
                [(_key(s.id), _clean(s.label), s.first, s.last, s.parent_id) for s in stories],
            )
            for old, new in renames.items():
                if old == new:
                    continue
                # As SQLite's UPDATE OR REPLACE: an article already in ``new`` stays there once.
                cur.execute(
                    "INSERT INTO story_articles (story_id, article_id, published)"
                    " SELECT %s, article_id, published FROM story_articles WHERE story_id = %s"
                    " ON CONFLICT DO NOTHING",
                    (_key(new), _key(old)),
                )
                cur.execute("DELETE FROM story_articles WHERE story_id = %s", (_key(old),))
            moved = _keys(list(assignments))
            # the stories the moved articles leave are changed too: recounted, dropped if empty
            cur.execute(
                "DELETE FROM story_articles WHERE article_id = ANY(%s) RETURNING story_id",
                (moved,),
            )
            left = {str(r[0]) for r in cur.fetchall()}
            cur.execute(
                "INSERT INTO story_articles (story_id, article_id, published)"
                " SELECT n.story_id, n.article_id, a.published"
                " FROM unnest(%s::text[], %s::text[]) AS n(story_id, article_id)"
                " LEFT JOIN articles a ON a.id = n.article_id ON CONFLICT DO NOTHING",
                (_keys(list(assignments.values())), moved),
            )
            cur.execute("DELETE FROM stories WHERE NOT (id = ANY(%s))", (keep,))
            touched = sorted(
                set(_keys(list(set(assignments.values()) | set(renames.values())))) | left
            )
            cur.execute(
                "UPDATE stories SET size ="
                " (SELECT count(*) FROM story_articles sa WHERE sa.story_id = stories.id)"
                " WHERE id = ANY(%s)",
                (touched,),
            )
            cur.execute(
                "DELETE FROM stories WHERE size = 0 AND NOT EXISTS"
                " (SELECT 1 FROM story_articles sa WHERE sa.story_id = stories.id)"
            )
            cur.execute("UPDATE timelines SET stale = true WHERE story_id = ANY(%s)", (touched,))
            cur.execute(
                "INSERT INTO meta (key, value) VALUES ('story_state', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (state,),
            )

    _ORDER_KEY = "(published IS NULL), COALESCE(published, '0001-01-01'::date), source, id"
    """The order of :meth:`articles` as a row value (the ``articles_order`` index's columns)."""

    def iter_articles(self, batch_size: int = 1000) -> Iterator[list[Article]]:
        """Batches by key: each batch is one indexed range after the last article of the one
        before, so no cursor stays open on the connection between batches (the caller may
        write meanwhile) and the server never sorts the whole table per batch."""
        after: tuple[Any, ...] | None = None
        try:  # a generator: errors surface while iterating
            while True:
                where = f"WHERE ({self._ORDER_KEY}) > (%s, %s, %s, %s)" if after else ""
                rows = self._db.execute(
                    f"SELECT {_ARTICLE_COLUMNS}, {self._ORDER_KEY} FROM articles {where}"
                    f" ORDER BY {self._ORDER_KEY} LIMIT %s",
                    [*(after or ()), batch_size],
                ).fetchall()
                if not rows:
                    return
                yield [self._article(r) for r in rows]
                if len(rows) < batch_size:
                    return
                after = tuple(rows[-1][-4:])
        except psycopg.Error as exc:
            raise self._engine_error(exc) from exc

    @_boundary
    def unassigned_article_ids(self) -> list[str]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE NOT EXISTS"
            " (SELECT 1 FROM story_articles sa WHERE sa.article_id = articles.id)"
            " ORDER BY published IS NULL, published, source, id"
        )
        return [r[0] for r in rows]

    def _count(self, statement: str, params: Sequence[Any] = ()) -> int:
        row = self._db.execute(statement, params).fetchone()
        return int(row[0]) if row else 0

    @_boundary
    def count_assigned(self) -> int:
        return self._count("SELECT count(DISTINCT article_id) FROM story_articles")

    @_boundary
    def count_stories(self) -> int:
        return self._count("SELECT count(*) FROM stories")

    @staticmethod
    def _bare_story(r: Sequence[Any]) -> Story:
        return Story(id=r[0], label=r[1], article_ids=[], first=r[2], last=r[3], parent_id=r[4])

    @_boundary
    def story_page(self, limit: int, offset: int = 0) -> list[tuple[Story, int]]:
        rows = self._db.execute(
            "SELECT id, label, first, last, parent_id, size FROM stories"
            " ORDER BY size DESC, label, id LIMIT %s OFFSET %s",
            (limit, offset),
        ).fetchall()
        return [(self._bare_story(r), int(r[5])) for r in rows]

    @_boundary
    def story_info(self, story_id: str) -> tuple[Story, int]:
        row = self._db.execute(
            "SELECT id, label, first, last, parent_id, size FROM stories WHERE id = %s",
            (_key(story_id),),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id!r}")
        return self._bare_story(row), int(row[5])

    @_boundary
    def story_members(self, story_id: str, limit: int | None = None, offset: int = 0) -> list[str]:
        rows = self._db.execute(  # in the order of index story_members_order (migration 5)
            "SELECT article_id FROM story_articles"
            " WHERE story_id = %s ORDER BY published IS NULL, published, article_id"
            " LIMIT %s OFFSET %s",
            (_key(story_id), limit, offset),
        )
        return [r[0] for r in rows]

    @_boundary
    def story_day_counts(self, story_id: str) -> list[tuple[date, int]]:
        rows = self._db.execute(
            "SELECT published, count(*) FROM story_articles"
            " WHERE story_id = %s AND published IS NOT NULL"
            " GROUP BY published ORDER BY published",
            (_key(story_id),),
        )
        return [(r[0], int(r[1])) for r in rows]

    @_boundary
    def coarse_ends(self, ends: Sequence[tuple[str, date]]) -> dict[tuple[str, date], str]:
        days = sorted({day for _, day in ends})
        if not days:
            return {}
        # only inferred articles can be dated to a month or year (index articles_date_source)
        held = {
            r[0]
            for r in self._db.execute(
                "SELECT DISTINCT published FROM articles WHERE date_source = 'inferred'"
                " AND date_granularity IN ('month', 'year') AND published = ANY(%s)",
                (days,),
            )
        }
        out: dict[tuple[str, date], str] = {}
        for story_id, day in dict.fromkeys(ends):
            if day not in held:
                continue
            found = {
                r[0] or "day"
                for r in self._db.execute(
                    "SELECT DISTINCT a.date_granularity FROM articles a"
                    " JOIN story_articles sa ON sa.article_id = a.id AND sa.story_id = %s"
                    " WHERE a.published = %s",
                    (_key(story_id), day),
                )
            }
            if found and "day" not in found:
                out[(story_id, day)] = "month" if "month" in found else "year"
        return out

    @_boundary
    def story_articles_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        rows = self._db.execute(
            "SELECT article_id, story_id FROM story_articles WHERE article_id = ANY(%s)"
            " ORDER BY article_id, story_id",
            (_keys(article_ids),),
        )
        return {r[0]: r[1] for r in rows}

    @_boundary
    def redatable_ids(self) -> set[str]:
        rows = self._db.execute(
            "SELECT id FROM articles WHERE date_source IS NULL OR date_source = 'inferred'"
        )
        return {r[0] for r in rows}

    @_boundary
    def stories_needing_timeline(self, key: str, min_articles: int) -> list[str]:
        rows = self._db.execute(
            "SELECT s.id FROM stories s LEFT JOIN timelines t ON t.story_id = s.id AND t.key = %s"
            " WHERE s.size >= %s AND (t.story_id IS NULL OR t.stale) ORDER BY s.id",
            (_key(key), min_articles),
        )
        return [r[0] for r in rows]

    @_boundary
    def minhashes_of(self, article_ids: Sequence[str]) -> dict[str, bytes]:
        rows = self._db.execute(
            "SELECT article_id, signature FROM minhashes WHERE article_id = ANY(%s)",
            (_keys(article_ids),),
        )
        return {r[0]: bytes(r[1]) for r in rows}

    @_boundary
    def near_duplicate_candidates(self, keys: Sequence[tuple[int, bytes]]) -> list[str]:
        if not keys:
            return []
        rows = self._db.execute(
            "SELECT DISTINCT b.article_id FROM lsh_buckets b"
            " JOIN unnest(%s::integer[], %s::bytea[]) AS k(band, bucket)"
            " ON b.band = k.band AND b.bucket = k.bucket ORDER BY b.article_id",
            ([band for band, _ in keys], [bucket for _, bucket in keys]),
        )
        return [r[0] for r in rows]

    @_boundary
    def near_duplicate_buckets(
        self, keys: Sequence[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[str]]:
        """One query for every key, as ``near_duplicate_candidates`` makes for one article's."""
        if not keys:
            return {}
        unique = list(dict.fromkeys(keys))
        rows = self._db.execute(
            "SELECT b.band, b.bucket, b.article_id FROM lsh_buckets b"
            " JOIN unnest(%s::integer[], %s::bytea[]) AS k(band, bucket)"
            " ON b.band = k.band AND b.bucket = k.bucket",
            ([band for band, _ in unique], [bucket for _, bucket in unique]),
        )
        found: dict[tuple[int, bytes], list[str]] = {}
        for band, bucket, article_id in rows:
            found.setdefault((int(band), bytes(bucket)), []).append(article_id)
        return found

    @_boundary
    def add_near_duplicate_keys(self, article_id: str, keys: Sequence[tuple[int, bytes]]) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO lsh_buckets (band, bucket, article_id)"
                " SELECT band, bucket, %s FROM unnest(%s::integer[], %s::bytea[])"
                " AS k(band, bucket)",
                (_key(article_id), [band for band, _ in keys], [bucket for _, bucket in keys]),
            )

    @_boundary
    def clear_near_duplicate_keys(self) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM lsh_buckets")

    @_boundary
    def get_meta(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = %s", (_key(key),)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    @_boundary
    def set_meta(self, key: str, value: bytes | None) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_key(key), value),
            )

    def _article_filter(
        self,
        query: str | None,
        since: date | None,
        until: date | None,
        max_matches: int | None = None,
        spread_matches: int | None = None,
    ) -> tuple[list[str], list[Any]] | None:
        """The WHERE terms of :meth:`articles` for a query and a date range; None when the
        query is blank (it matches nothing). ``max_matches``: the words are looked for in that
        many matching sentences at most, the newest (as :meth:`search` ranks them).
        ``spread_matches``: in that many at most, spread over the whole store
        (:meth:`_spread_match`)."""
        where: list[str] = []
        params: list[Any] = []
        if query is not None:
            if not query.strip():
                return None
            # Words match the text (full-text); the query as typed matches titles literally, so
            # a query of symbols only ("%", "C#") still finds the titles that contain it.
            title_match = "SELECT id FROM articles WHERE title ILIKE %s ESCAPE '\\'"
            found = _tsquery(query)
            if found is None:
                where.append(f"id IN ({title_match})")
                params.append(_like_pattern(_key(query.strip())))
            else:
                expr, words = found
                pattern = _like_pattern(_key(query.strip()))
                if spread_matches is not None:
                    matched, spread_params = self._spread_match(
                        expr, words, (title_match, pattern), spread_matches
                    )
                    where.append(f"id IN ({matched})")
                    params += spread_params
                else:
                    sentences = f"SELECT article_id FROM sentences WHERE tsv @@ {expr}"
                    params += words
                    if max_matches is not None:
                        sentences = (
                            f"SELECT article_id FROM ({sentences} ORDER BY id DESC LIMIT %s) m"
                        )
                        params.append(max_matches)
                    where.append(f"id IN ({sentences} UNION {title_match})")
                    params.append(pattern)
        if since is not None:
            where.append("published >= %s")
            params.append(since)
        if until is not None:
            where.append("published <= %s")
            params.append(until)
        return where, params

    def _spread_match(
        self, expr: str, words: list[str], titles: tuple[str, str], spread_matches: int
    ) -> tuple[str, list[Any]]:
        """SQL for the ids of the articles of at most ``spread_matches`` sentences matching
        ``expr``, spread over the whole store as ``SQLiteStore._spread_match`` spreads them
        (``match_ranges`` of the sentence ids, each its newest matches), or of
        titles matching ``titles`` (SQL, pattern) up to the same quota, and its parameters."""
        row = self._db.execute(  # one aggregate a query: each is then one index seek
            "SELECT (SELECT min(id) FROM sentences), (SELECT max(id) FROM sentences)"
        ).fetchone()
        low, high = (row[0] or 0, row[1] or 0) if row else (0, 0)
        ranges = match_ranges(low, high, spread_matches)
        quota = match_quota(spread_matches)
        stratum = (
            f"(SELECT id FROM sentences WHERE tsv @@ {expr} AND id >= %s AND id < %s"
            " ORDER BY id DESC LIMIT %s)"
        )
        params: list[Any] = []
        for start, end in ranges:
            params += [*words, start, end, quota]
        sql = (
            "SELECT s.article_id FROM ("
            + " UNION ALL ".join([stratum] * len(ranges))
            + f") m JOIN sentences s ON s.id = m.id UNION (SELECT * FROM ({titles[0]}) t"
            " LIMIT %s)"
        )
        return sql, [*params, titles[1], quota]

    @_boundary
    def article_sample(
        self,
        query: str,
        since: date | None = None,
        until: date | None = None,
        limit: int = 1000,
        spread_matches: int | None = None,
    ) -> tuple[list[str], int]:
        found = self._article_filter(query, since, until, spread_matches=spread_matches)
        if found is None:
            return [], 0
        where = " AND ".join(found[0])
        params = found[1]
        ordered = [
            r[0]
            for r in self._db.execute(
                f"SELECT id FROM articles WHERE {where}"
                " ORDER BY published IS NULL, published, source, id",
                params,
            ).fetchall()
        ]
        return evenly_spaced(ordered, limit), len(ordered)

    @_boundary
    def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL's write-ahead log is the server's, recycled by its own
        checkpointer (``checkpoint_timeout``, ``max_wal_size``); a client cannot and need not
        fold it back after a big write as with SQLite's WAL file beside the store."""

    def backup(self, dest: str | Path) -> None:
        raise InputError(
            f"{self.location}: storyline backup copies SQLite stores only; back up a PostgreSQL"
            " store with pg_dump (see the README)"
        )


def _missing_database(exc: psycopg.OperationalError) -> bool:
    """Whether a failed connection failed because the named database does not exist."""
    return exc.sqlstate == "3D000" or bool(re.search(r'database "[^"]*" does not exist', str(exc)))


def _date_members(db: psycopg.Connection[Any], article_id: str) -> None:
    """Copy the article's date, as just written, to its memberships (migration 5's
    ``story_articles.published``, the order of a story's member pages), in the write's own
    transaction."""
    db.execute(
        "UPDATE story_articles SET published = (SELECT published FROM articles WHERE id = %s)"
        " WHERE article_id = %s",
        (article_id, article_id),
    )


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (they hold no semicolons inside strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
