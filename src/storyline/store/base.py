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
  ``add_articles`` stores a batch as calling it (and ``add_near_duplicate_keys``) for each
  article in turn would, with the same rows in the same order;
- nothing stored is changed by a failed call (each write is one transaction);
- story assignments are replaced as a whole (``save_stories``), so a reader sees either the old
  or the new grouping, never half of each;
- one process at a time regroups the stories (``stories_lock``), so a grouping is never written
  over another made at the same time without it;
- writes inside ``with store.transaction():`` are one transaction (ingest writes a batch of
  articles at a time): a crash loses the open batch, never half of an article; a write that
  fails inside it undoes only itself;
- a story's stored timeline is replaced in one write (``save_timeline``); when its articles
  change, ``save_stories`` marks it stale instead of dropping it, so readers are served the old
  one until the new one is written;
- nothing holds every article or every story's membership in memory: lists stream
  (``iter_articles``) or page (``story_page``, ``story_members``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from storyline.curation.model import Edit
from storyline.records import Article, Sentence, Story, TimeExpression


def article_order(article: Article) -> tuple[bool, str, str, str]:
    """Where an article comes in every engine's article order: ``ORDER BY published IS NULL,
    published, source, id``, text compared by code point (for articles already read)."""
    published = article.published
    return (
        published is None,
        published.isoformat() if published else "",
        article.source,
        article.id,
    )


@dataclass(slots=True)
class SearchHit:
    """A sentence matching a full-text query, with its article's title and date."""

    sentence: Sentence
    title: str | None
    published: date | None
    rank: float
    date_granularity: str | None = None


@dataclass(slots=True)
class SearchResults:
    """A page of a search: matching sentences best first, matching articles by date.

    ``capped`` is the cap on matching sentences (``web.search_max_matches``) when more sentences
    matched than it, so only the most recently stored that many were ranked and listed the
    articles of; None when every match was used."""

    hits: list[SearchHit]
    articles: list[Article]
    capped: int | None = None


class MemberHead(NamedTuple):
    """What coverage per outlet and a first report read of a story's article
    (:meth:`Store.story_member_mentions`): no text, no title, no evidence."""

    id: str
    published: date | None
    date_granularity: str | None
    duplicate: bool
    """Whether the article is a near-duplicate of another (``duplicate_of`` is set)."""
    source_name: str | None
    source: str


def outermost_prefixes(prefixes: Iterable[str]) -> list[str]:
    """The prefixes none of the others is a prefix of, sorted: a value starting with any of
    ``prefixes`` starts with exactly one of these, so a read per prefix finds it once."""
    out: list[str] = []
    for prefix in sorted(set(prefixes)):
        if not out or not prefix.startswith(out[-1]):
            out.append(prefix)
    return out


@dataclass(slots=True)
class NewArticle:
    """One article for :meth:`Store.add_articles`: what :meth:`Store.add_article` takes, and
    the (band, bucket) keys of its signature for the near-duplicate index."""

    article: Article
    sentences: Sequence[Sentence]
    timexes: Sequence[TimeExpression] = ()
    minhash: bytes | None = None
    keys: Sequence[tuple[int, bytes]] = ()


MATCH_STRATA = 64
"""Ranges of the store a query's capped matches are spread over (``Store.article_sample``):
enough that a timeline of a common word spans the store's history, few enough that each
range's lookup (one index seek) stays a small part of the query."""


def _strata(spread_matches: int) -> int:
    return max(1, min(MATCH_STRATA, spread_matches))


def match_ranges(low: int, high: int, spread_matches: int) -> list[tuple[int, int]]:
    """The half-open ranges of sentence ids ``low..high`` that a query's capped matches are
    spread over: ``MATCH_STRATA`` equal ranges (fewer when the cap is smaller), each giving
    at most :func:`match_quota` matches, so that together they give no more than
    ``spread_matches``."""
    strata = _strata(spread_matches)
    width = -(-(high - low + 1) // strata)
    return [(low + k * width, low + (k + 1) * width) for k in range(strata)]


def match_quota(spread_matches: int) -> int:
    """How many matches each of :func:`match_ranges`'s ranges gives at most (and how many
    titles holding the query a spread query counts)."""
    return max(1, spread_matches // _strata(spread_matches))


def evenly_spaced(items: Sequence[str], limit: int) -> list[str]:
    """At most ``limit`` of ``items``, spread evenly over them, the first always among them
    (all of them when there are no more than ``limit``)."""
    if len(items) <= limit:
        return list(items)
    return [items[i * len(items) // limit] for i in range(max(0, limit))]


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

    def add_articles(self, items: Sequence[NewArticle]) -> list[bool]:
        """Store each article as :meth:`add_article` does, then its near-duplicate keys (when
        stored), in order; whether each was stored.

        Why a batch call: ingest writes a batch of articles per transaction, and an engine may
        store them with fewer round trips than one call per article and table. This reading
        is the definition an engine's faster one must agree with.
        """
        stored: list[bool] = []
        for item in items:
            added = self.add_article(item.article, item.sentences, item.timexes, item.minhash)
            if added and item.keys:
                self.add_near_duplicate_keys(item.article.id, item.keys)
            stored.append(added)
        return stored

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
        max_matches: int | None = None,
    ) -> list[Article]:
        """Articles in publication order (undated last), filtered by FTS query and date range.

        A query's words are looked for in at most ``max_matches`` matching sentences, the most
        recently stored ones (see :meth:`search`); articles whose title holds the query as typed
        are all found. None: every matching sentence."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def published_dates(self, article_ids: Sequence[str]) -> dict[str, date | None]:
        """Publication dates only (no text): what charts and date ranges need."""

    @abstractmethod
    def article_heads(self, article_ids: Sequence[str]) -> list[Article]:
        """These articles without their body: ``text`` is empty and ``date_evidence`` unread.

        Why: who reported first and coverage per outlet (:mod:`storyline.timeline.firsts`) read
        a whole story's dates, sources and titles; building every body as text to drop it was
        most of a 23,000-article story's reporting. Order: any (callers index by id)."""

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

    def sentences_at(self, keys: Sequence[tuple[str, int]]) -> dict[str, list[Sentence]]:
        """The sentences at these (article id, sentence index) addresses that exist, in order,
        keyed by article id (only articles with one found).

        Why: a timeline ranks its dates from the expressions alone, then needs the text of only
        the chosen dates' candidates, a few thousand of a large story's 60,000 lead and dated
        sentences (``storyline.timeline.candidates.Pool.fill``). An address past an article's
        last sentence is not an error: a lead of five is asked of a three-sentence article.
        This default filters :meth:`sentences`; an engine reads only the rows asked for."""
        wanted: dict[str, set[int]] = {}
        for article, index in keys:
            wanted.setdefault(article, set()).add(index)
        found = self.sentences(list(wanted))
        out = {a: [s for s in found.get(a, []) if s.index in wanted[a]] for a in wanted}
        return {a: held for a, held in out.items() if held}

    @abstractmethod
    def timexes(self, article_ids: Sequence[str]) -> dict[str, list[TimeExpression]]:
        """Temporal expressions of these articles, in text order, keyed by article id."""

    @abstractmethod
    def dated_timexes(self, article_ids: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
        """(sentence index, value) of each DATE or TIME expression of these articles that lies
        in a sentence, in text order, keyed by article id.

        Why beside :meth:`timexes`: a timeline and its first reports use only these two fields
        of these types; reading and building every expression whole was a third of refreshing
        a large story's timeline."""

    @abstractmethod
    def sentences_mentioning(self, value_prefix: str) -> list[tuple[str, int]]:
        """(article id, sentence index) of sentences with an expression whose value starts so."""

    @abstractmethod
    def story_articles_mentioning(self, story_id: str, value_prefix: str) -> set[str]:
        """Ids of a story's articles with an expression whose value starts with
        ``value_prefix``.

        Why: the sentences a person may choose for one date of a story come only from the
        articles naming it (or published then), so a 23,000-article story's choices need a few
        dozen articles read, not the whole story."""

    @abstractmethod
    def story_member_mentions(
        self, story_id: str, value_prefixes: Sequence[str]
    ) -> Iterator[tuple[MemberHead, list[tuple[int, str]]]]:
        """The story's articles (those :meth:`get_story` lists) as :class:`MemberHead`, each
        with (first sentence index, value) of its DATE or TIME expressions lying in a sentence
        whose value starts with one of ``value_prefixes`` (one per value, however many
        prefixes match it, the first sentence naming it being the one a first report links),
        streamed in no particular order; ``NotFoundError`` for an unknown story, raised
        before the first row.

        Why one stream: coverage per outlet needs every member's date and source, and who
        reported a timeline entry first only the expressions naming a date inside its period
        (every such value starts with the entry's label), with the head of the article
        naming it. Read together, member by member, both are counted as they pass and no
        table of every member is held (it grew with the story: a 225,000-article story's was
        the likeliest part of a 1,000,000-article rebuild's growth), and no article row is
        read twice. Building an :class:`Article` per member, or every expression of every
        member, was most of a large story's reporting before."""

    @abstractmethod
    def replace_timexes(self, article_id: str, timexes: Sequence[TimeExpression]) -> None:
        """Replace an article's expressions (after its date was inferred, say)."""

    @abstractmethod
    def search(
        self, query: str, limit: int = 50, offset: int = 0, max_matches: int | None = None
    ) -> list[SearchHit]:
        """Full-text search over sentences, best first; any user string is safe (no FTS syntax
        errors).

        With ``max_matches``, only the most recently stored ``max_matches`` matching sentences
        (the highest sentence keys, which both engines assign in the order sentences are stored)
        are ranked. Why: ranking costs time per matching sentence, and a common word matches
        most of a large store; a cap by count bounds a served search's work the same way on
        every engine and machine, and leaves every query that matches fewer unchanged."""

    @abstractmethod
    def count_matches(self, query: str, up_to: int) -> int:
        """How many sentences :meth:`search` finds for ``query``, counted up to ``up_to`` (a
        count of ``up_to`` means at least that many): what tells a capped search from a whole
        one without counting every match of a common word."""

    # --- stories ---------------------------------------------------------------------------
    @abstractmethod
    def save_stories(self, stories: Sequence[Story], state: bytes | None = None) -> None:
        """Replace all stories and assignments (and the detector's saved state) atomically."""

    @abstractmethod
    def replace_stories(
        self, stories: Sequence[Story], members: Iterable[tuple[str, str]], state: bytes | None
    ) -> None:
        """:meth:`save_stories` with the members streamed as (story id, article id) pairs: the
        stories' own ``article_ids`` are ignored, each story's size is counted from the pairs,
        and a story given no pair is not stored.

        Why: a rebuild of a large store must not hold every story's membership in Python; the
        detector streams its placements from disk straight into the engine.
        """

    @abstractmethod
    def update_stories(
        self,
        stories: Sequence[Story],
        assignments: dict[str, str],
        renames: dict[str, str],
        state: bytes | None = None,
    ) -> None:
        """An incremental run's change of stories, atomically, without rewriting them all.

        In one transaction: every stored assignment to a story ``old`` in ``renames`` moves to
        ``renames[old]`` (merges); each article of ``assignments`` is (re)assigned to its story;
        ``stories`` is the complete list of stories (their ``article_ids`` are ignored): their
        label, span and parent are upserted, any other stored story is deleted with its
        assignments and timelines, and a story left without articles is deleted. Stories that
        gained articles or absorbed others get their size recounted and their stored timelines
        marked stale. The detector's ``state`` is saved with them. The result is what
        :meth:`save_stories` of the full grouping would store.
        """

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
    def load_timelines(self, story_ids: Sequence[str], key: str) -> dict[str, dict[str, Any]]:
        """:meth:`load_timeline` of several stories in one read (a page of the stories list):
        story id → stored data, for those that have data under ``key``."""

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
    def duplicates_of(self, article_id: str) -> list[str]:
        """The articles stored as near-duplicates of ``article_id``, in id order."""

    @abstractmethod
    def set_duplicate_of(self, article_ids: Sequence[str], original: str) -> None:
        """Link these articles back to ``original`` as its near-duplicates (undoing the
        deletion of an original gives its copies back their link)."""

    @abstractmethod
    def drop_timelines(self, story_ids: Sequence[str]) -> None:
        """Forget the stored timelines of these stories (their inputs changed)."""

    # --- streaming, paging and maintenance (issue 12) ------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A context in which every write is one transaction (nested contexts join the outer).

        Commits when the block ends, rolls back when it raises. Each write method inside still
        undoes only itself when it fails (a savepoint), so a batch keeps its other articles.
        """

    @abstractmethod
    def stories_lock(self) -> AbstractContextManager[None]:
        """Held while a process regroups the stories (place or rebuild, redate, refresh the
        timelines); a second process waits for it, without a time limit.

        Why apart from the write lock: a regrouping reads the detector's state and the stories,
        computes for seconds to minutes, then writes what it computed. Two at once would each
        write a grouping made without the other's (one's stories dropping the other's members).
        Article writes go on meanwhile; the articles stored during another's regrouping are
        placed by their own process when it takes the lock in turn.
        """

    @abstractmethod
    def iter_articles(self, batch_size: int = 1000) -> Iterator[list[Article]]:
        """Every article in the order of :meth:`articles`, ``batch_size`` at a time."""

    @abstractmethod
    def unassigned_article_ids(self) -> list[str]:
        """Ids of the articles no story holds yet, in publication order (undated last)."""

    @abstractmethod
    def count_assigned(self) -> int:
        """How many articles some story holds."""

    @abstractmethod
    def count_stories(self) -> int: ...

    @abstractmethod
    def story_page(self, limit: int, offset: int = 0) -> list[tuple[Story, int]]:
        """Stories largest first (then by label, id), each without its article ids and with its
        number of articles: one page of the stories list, through the ``size`` index."""

    @abstractmethod
    def story_info(self, story_id: str) -> tuple[Story, int]:
        """A story without its article ids, and its number of articles (NotFoundError)."""

    @abstractmethod
    def story_members(self, story_id: str, limit: int | None = None, offset: int = 0) -> list[str]:
        """A page of a story's article ids in publication order (undated last, then by id)."""

    @abstractmethod
    def story_day_counts(self, story_id: str) -> list[tuple[date, int]]:
        """(publication day, articles) of a story's dated articles: what its chart needs."""

    @abstractmethod
    def coarse_ends(self, ends: Sequence[tuple[str, date]]) -> dict[tuple[str, date], str]:
        """For (story id, day) pairs, a story's first or last day: ``"month"`` or ``"year"``
        where none of the story's articles published that day is dated to the day, only to
        its month or year (an undated article's estimate, stored at a day inside it), so the
        span must be shown as that month or year. Pairs shown as a day are absent.

        Why a question of its own: a story's span is kept as two days; only the few days where
        some inferred article is stored are asked about its members, so a page of stories costs
        one indexed read (the inferred articles) when no such day is among its ends.
        """

    @abstractmethod
    def story_articles_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """article id → id of a story holding it, for those of ``article_ids`` that have one."""

    @abstractmethod
    def redatable_ids(self) -> set[str]:
        """Ids of the articles with no date source or an inferred date (the second pass's)."""

    @abstractmethod
    def stories_needing_timeline(self, key: str, min_articles: int) -> list[str]:
        """Ids of stories of at least ``min_articles`` articles whose timeline ``key`` is missing
        or stale (its articles changed since it was computed)."""

    @abstractmethod
    def minhashes_of(self, article_ids: Sequence[str]) -> dict[str, bytes]:
        """Stored MinHash signatures of these articles (as stored: no recomputation)."""

    @abstractmethod
    def near_duplicate_candidates(self, keys: Sequence[tuple[int, bytes]]) -> list[str]:
        """Ids of articles sharing any (band, bucket) key: the persistent LSH index's query."""

    def near_duplicate_buckets(
        self, keys: Sequence[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[str]]:
        """The ids stored under each of ``keys`` (a key no article has is left out): the
        persistent LSH index's query for the keys of a whole batch of articles at once."""
        found = {key: self.near_duplicate_candidates([key]) for key in dict.fromkeys(keys)}
        return {key: ids for key, ids in found.items() if ids}

    @abstractmethod
    def add_near_duplicate_keys(self, article_id: str, keys: Sequence[tuple[int, bytes]]) -> None:
        """Record an article's (band, bucket) LSH keys."""

    @abstractmethod
    def clear_near_duplicate_keys(self) -> None:
        """Forget every LSH key (before rebuilding with other band parameters)."""

    @abstractmethod
    def get_meta(self, key: str) -> bytes | None: ...

    @abstractmethod
    def set_meta(self, key: str, value: bytes | None) -> None: ...

    @abstractmethod
    def article_sample(
        self,
        query: str,
        since: date | None = None,
        until: date | None = None,
        limit: int = 1000,
        spread_matches: int | None = None,
    ) -> tuple[list[str], int]:
        """At most ``limit`` ids of the articles :meth:`articles` would return for this query,
        spread evenly over their publication order (:func:`evenly_spaced`), and how many match
        in all. Every matching id is read (ids only): callers bound a common query with
        ``spread_matches``.

        ``spread_matches``: the query's words are looked for in at most that many matching
        sentences, spread over the whole store (the order sentences were stored in is cut
        into ``MATCH_STRATA`` equal ranges, each giving its newest matches; titles holding
        the query count up to the same quota), and "in all" means among those. Why: a common
        word matches nearly every article, and finding, counting and ordering them all grows
        with the store (71 s for "the" at 1,000,000 articles) although the timeline reads only
        ``limit``. Pass it only when more sentences match than that (``count_matches``): a
        query matching fewer is looked for in full."""

    @abstractmethod
    def checkpoint(self) -> None:
        """Fold the write-ahead log back into the store, without waiting (after a big write)."""

    @abstractmethod
    def backup(self, dest: str | Path) -> None:
        """A consistent copy of the store at ``dest`` while others read and write it."""
