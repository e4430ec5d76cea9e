"""The embedded default store: one SQLite file, WAL, foreign keys, FTS5 over sentences.

Why SQLite: a laptop user gets a single file with no server; WAL lets the web server read while
an ingest writes. Every write is one transaction, so a failure leaves what was stored intact.

This module is the engine boundary: every public method translates ``sqlite3.Error`` into a
:class:`storyline.errors.StoreError` (a held write lock into :class:`StoreBusyError`), so shells
print one line and never an engine traceback.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from storyline.curation.model import Edit
from storyline.errors import NotFoundError, StoreBusyError, StoreError, StoreMissingError
from storyline.records import Article, Sentence, Story, TimeExpression
from storyline.settings import StoreConfig
from storyline.store.base import SearchHit, Store
from storyline.store.migrations import MIGRATIONS

_ARTICLE_COLUMNS = (
    "id, title, text, source, url, published, date_source, date_confidence, date_evidence, "
    "language, content_hash, duplicate_of, source_name, date_granularity"
)


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
        self.busy_timeout = float(
            StoreConfig().busy_timeout_seconds if busy_timeout is None else busy_timeout
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
            if read_only and not in_memory and self._pending():
                self._upgrade_for_readers()
            if not read_only:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise self._engine_error(exc) from exc
            raise StoreError(f"{self.location}: cannot open store: {exc}") from exc

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

    # --- articles ----------------------------------------------------------------------------
    @_boundary
    def add_article(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        timexes: Sequence[TimeExpression] = (),
        minhash: bytes | None = None,
    ) -> bool:
        db = self._write()
        try:
            with db:
                db.execute(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
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
                    ),
                )
                db.executemany(
                    "INSERT INTO sentences (article_id, idx, text, start, end_) VALUES (?,?,?,?,?)",
                    [(article.id, s.index, s.text, s.start, s.end) for s in sentences],
                )
                db.execute(
                    "INSERT INTO sentences_fts (rowid, text)"
                    " SELECT rowid, text FROM sentences WHERE article_id = ?",
                    (article.id,),
                )
                self._insert_timexes(db, article.id, timexes)
                if minhash is not None:
                    db.execute(
                        "INSERT INTO minhashes (article_id, signature) VALUES (?, ?)",
                        (article.id, minhash),
                    )
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
        db.executemany(
            "INSERT INTO timexes (article_id, sentence_idx, start, end_, text, type, value, mod)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (article_id, t.sentence_index, t.start, t.end, t.text, t.type, t.value, t.mod)
                for t in timexes
            ],
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
    ) -> list[Article]:
        where: list[str] = []
        params: list[Any] = []
        if query is not None:
            fts = _fts_query(query)
            if not query.strip():
                return []
            # Words match the text (FTS); the query as typed matches titles literally, so a
            # query of symbols only ("%", "C#") still finds the titles that contain it.
            title_match = "SELECT id FROM articles WHERE title LIKE ? ESCAPE '\\'"
            if fts is None:
                where.append(f"id IN ({title_match})")
                params.append(_like_pattern(query.strip()))
            else:
                where.append(
                    "id IN (SELECT article_id FROM sentences WHERE rowid IN "
                    "(SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)"
                    f" UNION {title_match})"
                )
                params += [fts, _like_pattern(query.strip())]
        if since is not None:
            where.append("published >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("published <= ?")
            params.append(until.isoformat())
        if ids is not None:
            where.append(f"id IN ({','.join('?' * len(ids))})")
            params += list(ids)
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published IS NULL, published, source, id"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
        return [self._article(row) for row in self._db.execute(sql, params)]

    @_boundary
    def published_dates(self, article_ids: Sequence[str]) -> dict[str, date | None]:
        sql = "SELECT id, published FROM articles WHERE id IN ({})"
        return {
            r[0]: date.fromisoformat(r[1]) if r[1] else None
            for r in self._by_article(sql, article_ids)
        }

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
        db = self._write()
        with db:
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

    # --- sentences and time ------------------------------------------------------------------
    def _by_article(self, sql: str, article_ids: Sequence[str]) -> Iterable[sqlite3.Row]:
        ids = list(article_ids)
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            yield from self._db.execute(sql.format(",".join("?" * len(chunk))), chunk)

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
    def sentences_mentioning(self, value_prefix: str) -> list[tuple[str, int]]:
        upper = value_prefix + "\uffff"
        rows = self._db.execute(
            "SELECT DISTINCT article_id, sentence_idx FROM timexes WHERE value >= ? AND value < ?"
            " ORDER BY article_id, sentence_idx",
            (value_prefix, upper),
        )
        return [(r[0], r[1]) for r in rows]

    @_boundary
    def replace_timexes(self, article_id: str, timexes: Sequence[TimeExpression]) -> None:
        db = self._write()
        with db:
            db.execute("DELETE FROM timexes WHERE article_id = ?", (article_id,))
            self._insert_timexes(db, article_id, timexes)

    @_boundary
    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        fts = _fts_query(query)
        if fts is None:
            return []
        rows = self._db.execute(
            "SELECT s.article_id, s.idx, s.text, s.start, s.end_, a.title, a.published,"
            " bm25(sentences_fts) AS rank, a.date_granularity FROM sentences_fts"
            " JOIN sentences s ON s.rowid = sentences_fts.rowid"
            " JOIN articles a ON a.id = s.article_id"
            " WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (fts, limit, offset),
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

    # --- stories -----------------------------------------------------------------------------
    @_boundary
    def save_stories(self, stories: Sequence[Story], state: bytes | None = None) -> None:
        db = self._write()
        with db:
            # Read what is stored inside the write transaction, so a concurrent writer's
            # stories cannot change between the comparison and the replacement.
            db.execute("BEGIN IMMEDIATE")
            unchanged = self._unchanged_stories(stories)
            kept = ",".join("?" * len(unchanged))
            db.execute(f"DELETE FROM timelines WHERE story_id NOT IN ({kept})", list(unchanged))
            saved = db.execute("SELECT story_id, key, data FROM timelines").fetchall()
            db.execute("DELETE FROM story_articles")
            db.execute("DELETE FROM timelines")
            db.execute("DELETE FROM stories")
            db.executemany(
                "INSERT INTO stories (id, label, first, last, parent_id) VALUES (?,?,?,?,?)",
                [
                    (
                        s.id,
                        s.label,
                        s.first.isoformat() if s.first else None,
                        s.last.isoformat() if s.last else None,
                        s.parent_id,
                    )
                    for s in stories
                ],
            )
            db.executemany(
                "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                [(s.id, a) for s in stories for a in s.article_ids],
            )
            db.executemany("INSERT INTO timelines (story_id, key, data) VALUES (?, ?, ?)", saved)
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('story_state', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (state,),
            )

    def _unchanged_stories(self, stories: Sequence[Story]) -> set[str]:
        """Ids of stories whose articles are exactly as stored: their timelines stay valid."""
        stored: dict[str, set[str]] = {}
        for story_id, article_id in self._db.execute(
            "SELECT story_id, article_id FROM story_articles"
        ):
            stored.setdefault(story_id, set()).add(article_id)
        return {s.id for s in stories if stored.get(s.id) == set(s.article_ids)}

    def _story_rows(self, where: str = "", params: Sequence[Any] = ()) -> list[Story]:
        rows = self._db.execute(
            f"SELECT id, label, first, last, parent_id FROM stories {where} ORDER BY id", params
        ).fetchall()
        members: dict[str, list[str]] = {r[0]: [] for r in rows}
        for story_id, article_id in self._db.execute(
            "SELECT sa.story_id, sa.article_id FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id"
            " ORDER BY a.published IS NULL, a.published, a.id"
        ):
            if story_id in members:
                members[story_id].append(article_id)
        return [
            Story(
                id=r[0],
                label=r[1],
                article_ids=members[r[0]],
                first=date.fromisoformat(r[2]) if r[2] else None,
                last=date.fromisoformat(r[3]) if r[3] else None,
                parent_id=r[4],
            )
            for r in rows
        ]

    @_boundary
    def stories(self) -> list[Story]:
        return self._story_rows()

    @_boundary
    def get_story(self, story_id: str) -> Story:
        found = self._story_rows("WHERE id = ?", (story_id,))
        if not found:
            raise NotFoundError(f"no story with id {story_id!r}")
        return found[0]

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
        db = self._write()
        with db:
            db.execute(
                "INSERT INTO timelines (story_id, key, data) VALUES (?, ?, ?)"
                " ON CONFLICT(story_id, key) DO UPDATE SET data = excluded.data",
                (story_id, key, json.dumps(data)),
            )

    @_boundary
    def load_timeline(self, story_id: str, key: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT data FROM timelines WHERE story_id = ? AND key = ?", (story_id, key)
        ).fetchone()
        return json.loads(row[0]) if row else None

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

    @_boundary
    def delete_article(self, article_id: str) -> None:
        db = self._write()
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
            db.execute(
                "UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (article_id,)
            )
            for table in ("story_articles", "sentences", "timexes", "minhashes"):
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    @_boundary
    def drop_timelines(self, story_ids: Sequence[str]) -> None:
        db = self._write()
        with db:
            db.executemany("DELETE FROM timelines WHERE story_id = ?", [(s,) for s in story_ids])


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (they hold no semicolons inside strings)."""
    return [s.strip() for s in sql.split(";") if s.strip()]
