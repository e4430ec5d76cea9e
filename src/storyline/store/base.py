"""The store interface every stage and shell uses; only ``store/`` speaks SQL.

Why an interface: SQLite is the embedded default, PostgreSQL will sit beside it for a shared
server. Stages receive a :class:`Store` and call these methods; an engine implements them.
The contract an engine must keep:

- one writer at a time; readers never block it (SQLite: WAL); a writer waits a bounded time
  for another's write (setting ``store.busy_timeout_seconds``), then raises ``StoreBusyError``;
- engine errors never escape: they are raised as :class:`storyline.errors.StoreError`;
- a store that does not exist is created only when asked to (``create``); readers get
  ``StoreMissingError`` for a mistyped path;
- ``add_article`` stores an article with its sentences and temporal expressions atomically;
- nothing stored is changed by a failed call (each write is one transaction);
- story assignments are replaced as a whole (``save_stories``), so a reader sees either the old
  or the new grouping, never half of each.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline.curation.model import Edit
from storyline.records import Article, Sentence, Story, TimeExpression


@dataclass(slots=True)
class SearchHit:
    """A sentence matching a full-text query, with its article's title and date."""

    sentence: Sentence
    title: str | None
    published: date | None
    rank: float
    date_granularity: str | None = None


class Store(ABC):
    """What storyline needs from a database engine."""

    location: str

    # --- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- articles --------------------------------------------------------------------------
    @abstractmethod
    def add_article(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        timexes: Sequence[TimeExpression] = (),
        minhash: bytes | None = None,
    ) -> bool:
        """Store one article with its sentences, expressions and MinHash signature, atomically.

        Returns False, storing nothing, when an article with the same content hash is already
        stored (another process stored it after the caller's duplicate check): concurrent
        ingests of the same input count it as a duplicate instead of failing.
        """

    @abstractmethod
    def article_id_for_hash(self, content_hash: str) -> str | None:
        """The id of the stored article with this content hash, if any (exact dedupe)."""

    @abstractmethod
    def minhashes(self) -> Iterable[tuple[str, bytes]]:
        """Every stored (article id, MinHash signature) — to rebuild the near-duplicate index."""

    @abstractmethod
    def get_article(self, article_id: str) -> Article:
        """The article; raises :class:`storyline.errors.NotFoundError` when absent."""

    @abstractmethod
    def articles(
        self,
        query: str | None = None,
        since: date | None = None,
        until: date | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles in publication order (undated last), filtered by FTS query and date range."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def published_dates(self, article_ids: Sequence[str]) -> dict[str, date | None]:
        """Publication dates only (no text): what charts and date ranges need."""

    @abstractmethod
    def update_article_date(
        self,
        article_id: str,
        published: date,
        date_source: str,
        confidence: float | None,
        evidence: Sequence[str],
        granularity: str = "day",
    ) -> None:
        """Record an inferred date and its granularity (``day``, ``month``, ``year``); engines
        refuse to overwrite a non-inferred one."""

    # --- sentences and time ----------------------------------------------------------------
    @abstractmethod
    def sentences(self, article_ids: Sequence[str]) -> dict[str, list[Sentence]]:
        """Sentences of these articles, in order, keyed by article id."""

    @abstractmethod
    def timexes(self, article_ids: Sequence[str]) -> dict[str, list[TimeExpression]]:
        """Temporal expressions of these articles, in text order, keyed by article id."""

    @abstractmethod
    def sentences_mentioning(self, value_prefix: str) -> list[tuple[str, int]]:
        """(article id, sentence index) of sentences with an expression whose value starts so."""

    @abstractmethod
    def replace_timexes(self, article_id: str, timexes: Sequence[TimeExpression]) -> None:
        """Replace an article's expressions (after its date was inferred, say)."""

    @abstractmethod
    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """Full-text search over sentences; any user string is safe (no FTS syntax errors)."""

    # --- stories ---------------------------------------------------------------------------
    @abstractmethod
    def save_stories(self, stories: Sequence[Story], state: bytes | None = None) -> None:
        """Replace all stories and assignments (and the detector's saved state) atomically."""

    @abstractmethod
    def stories(self) -> list[Story]: ...

    @abstractmethod
    def get_story(self, story_id: str) -> Story: ...

    @abstractmethod
    def story_ids_of(self, article_id: str) -> list[str]:
        """Ids of the stories holding this article (more than one only when stories nest)."""

    @abstractmethod
    def story_state(self) -> bytes | None:
        """The detector's saved state, for incremental assignment."""

    # --- cached outputs and metadata ---------------------------------------------------------
    @abstractmethod
    def save_timeline(self, story_id: str, key: str, data: dict[str, Any]) -> None: ...

    @abstractmethod
    def load_timeline(self, story_id: str, key: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts for ``storyline stats``: articles by date source and language, sentences …"""

    # --- curation: the edit log, the machine's stories, and edits of stored articles ----------
    @abstractmethod
    def add_edit(self, edit: Edit) -> int:
        """Append ``edit`` to the log; returns its id (ids increase with time)."""

    @abstractmethod
    def edits(self, story_id: str | None = None) -> list[Edit]:
        """The log in the order edits were made (undone ones and undos included); with
        ``story_id``, only the edits naming that story."""

    @abstractmethod
    def get_edit(self, edit_id: int) -> Edit:
        """One edit; raises :class:`storyline.errors.NotFoundError` when absent."""

    @abstractmethod
    def mark_undone(self, edit_id: int, undone_by: int | None) -> None:
        """Record that the undo ``undone_by`` reverted ``edit_id`` (``None`` clears it)."""

    @abstractmethod
    def save_machine_stories(self, stories: Sequence[Story]) -> None:
        """Replace the stories as detection made them, before any edit was applied.

        Why kept apart from :meth:`save_stories`: the stories readers see are these with the
        edits applied; recomputing them from the machine's own keeps undo exact, and the
        incremental detector continues from its own grouping, not from the edited one."""

    @abstractmethod
    def machine_stories(self) -> list[Story] | None:
        """The stories as detection made them, or None when none were saved (older stores)."""

    @abstractmethod
    def set_article_date(
        self,
        article_id: str,
        published: date | None,
        date_source: str | None,
        confidence: float | None,
        evidence: Sequence[str],
        granularity: str | None,
    ) -> None:
        """Overwrite an article's date whatever its source (a person's correction, or its
        undo); :meth:`update_article_date` refuses to."""

    @abstractmethod
    def delete_article(self, article_id: str) -> None:
        """Remove an article with its sentences, expressions, signature, story memberships
        and the stored timelines of its stories; its near-duplicates become originals."""

    @abstractmethod
    def drop_timelines(self, story_ids: Sequence[str]) -> None:
        """Forget the stored timelines of these stories (their inputs changed)."""
