"""The orchestrator: one object that wires the stages over a store, and owns nothing else.

``Corpus`` is what the CLI, the web app, notebooks and benchmarks use. Each method calls one
stage; where a later stage feeds an earlier one (stories refine the dates of undated articles)
the second pass is wired here, so stage modules never import downstream.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.curation.edits import CurationMixin
from storyline.curation.model import Edit
from storyline.errors import NotFoundError
from storyline.ingest import Ingester, IngestReport, Progress
from storyline.records import Article, Citation, Sentence, Story, TimeExpression, Timeline
from storyline.settings import Config
from storyline.sources.base import ReadOptions
from storyline.store import open_store
from storyline.store.base import SearchHit, SearchResults, Store
from storyline.stories import summaries
from storyline.stories.detect import detect_stories, place_articles
from storyline.stories.features import terms_of
from storyline.stories.redate import redate_undated
from storyline.timeline import build_timeline, story_timeline, timeline_for
from storyline.timeline.candidates import load_pool
from storyline.timeline.choices import choice_article_ids, sentence_choices
from storyline.timeline.firsts import Reporting, reporting, story_reporting

if TYPE_CHECKING:
    from storyline.parallel import DaskWorkers

DEFAULT_DB = "storyline.db"
DEFAULT_TIMELINE = "default"
"""Key under which a story's timeline with default settings is stored."""
BASIS = "basis"
"""Key of what a story's stored default timeline was computed from (``timeline_basis``): a
refresh keeps the timeline when it is unchanged. Marked stale and dropped with the timeline."""


class Corpus(CurationMixin):
    """A store of articles and everything storyline derives from them (and a person's edits of
    it: the methods of :class:`~storyline.curation.edits.CurationMixin`)."""

    def __init__(
        self,
        db: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        create: bool = True,
        store: Store | None = None,
        config: Config | None = None,
    ) -> None:
        """Open the store at ``db``: a SQLite path, or a ``postgresql://`` URL
        (:func:`storyline.store.open_store`). With ``create=False`` (readers) a missing store is
        an error (:class:`storyline.errors.StoreMissingError`), never a new empty one.
        ``config`` holds every stage's settings (the documented defaults when omitted)."""
        self.config = config or Config()
        self.store: Store = (
            store
            if store is not None
            else open_store(db, self.config.store, read_only=read_only, create=create)
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ingest ------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str],
        progress: Progress | None = None,
        options: ReadOptions | None = None,
        workers: DaskWorkers | None = None,
    ) -> IngestReport:
        """Read, dedupe, split, tag and store every article under ``paths``, then bring the
        stories up to date: the new articles join stories (the first ingest builds them), the
        undated are dated again from their story, and timelines that changed are recomputed.

        Why here and not in a separate step: a user who ingests expects the stories, and the
        dates that depend on them, to be current; ``stories``, ``timeline`` and the web server
        only read. The redate pass is the one ``build_stories`` runs, so both paths agree.

        ``workers`` (``--dask``) read, split, tag and MinHash, and vectorise for the stories, on
        Dask workers; the writer and the story assignment stay here, so the store is the same.
        """
        report = Ingester(self.store, self.config).run(paths, progress, options, workers)
        stale = self.store.story_state() is None and self.store.count_articles() > 0
        if report.new_ids or stale:
            vectorise = workers.vectorise if workers is not None else terms_of
            with self.store.stories_lock():  # another ingest's regrouping finishes first
                self._settle_machine_stories()
                place_articles(
                    self.store, report.new_ids, self.config.stories, self._curate, vectorise
                )
                if self.store.count_assigned() < self.store.count_articles():
                    # Articles another ingest stored while this one rebuilt (from what it had
                    # read): placed now, or they would wait for the next ingest.
                    detect_stories(self.store, False, self.config.stories, self._curate, vectorise)
                self._stories_changed(growth_waits=True)
        if report.new_ids:
            self.store.checkpoint()  # fold the batch's log back, so the WAL stays bounded
        return report

    # --- browse ------------------------------------------------------------------------------
    def articles(
        self,
        query: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        offset: int = 0,
        max_matches: int | None = None,
    ) -> list[Article]:
        return self.store.articles(
            query=query,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
            max_matches=max_matches,
        )

    def article(self, article_id: str) -> Article:
        return self.store.get_article(article_id)

    def sentences(self, article_id: str) -> list[Sentence]:
        self.store.get_article(article_id)  # NotFoundError for an unknown id
        return self.store.sentences([article_id])[article_id]

    def timexes(self, article_id: str) -> list[TimeExpression]:
        self.store.get_article(article_id)
        return self.store.timexes([article_id])[article_id]

    def search(
        self, query: str, limit: int = 50, offset: int = 0, max_matches: int | None = None
    ) -> list[SearchHit]:
        return self.store.search(query, limit=limit, offset=offset, max_matches=max_matches)

    def search_page(
        self, query: str, limit: int = 50, offset: int = 0, max_matches: int | None = None
    ) -> SearchResults:
        """One page of what the search box shows: sentences best first, articles by date.

        Why a cap (``max_matches``, default: setting ``web.search_max_matches``): ranking and
        listing the articles of matching sentences costs time per match, and a common word
        matches most of a large store ("oil spill": 70,000 sentences of a 100,000-article
        store). Beyond the cap the most recently stored matches are used, the same ones on
        every engine, and ``capped`` says so; a query that matches fewer is unchanged. By
        count, not by a wall clock, so the answer does not depend on the machine.
        """
        cap = self.config.web.search_max_matches if max_matches is None else max_matches
        hits = self.search(query, limit=limit, offset=offset, max_matches=cap)
        found = self.articles(query=query, limit=limit, offset=offset, max_matches=cap)
        capped = cap if self.store.count_matches(query, cap + 1) > cap else None
        return SearchResults(hits, found, capped)

    def stats(self) -> dict[str, Any]:
        """The store's counts, and how many stories' stored timelines wait for a recompute
        (stale after an ingest that grew them by less than ``timeline.refresh_share``, or
        missing): ``build-stories`` recomputes them."""
        figures = self.store.stats()
        smallest = self.config.timeline.stored_min_articles
        waiting = self.store.stories_needing_timeline(DEFAULT_TIMELINE, smallest)
        figures["timelines_to_refresh"] = len(waiting)
        return figures

    # --- stories -----------------------------------------------------------------------------
    def stories(self) -> list[Story]:
        return self.store.stories()

    def story(self, story_id: str) -> Story:
        return self.store.get_story(story_id)

    def build_stories(self, full: bool = False, workers: DaskWorkers | None = None) -> list[Story]:
        """Group articles into stories, re-date undated articles from their story, and store
        each story's default timeline (so the web server only reads it). ``workers``
        (``--dask``) vectorise the articles; the assignment is the same sequential one.
        Returns every story with its members (:meth:`group_stories` returns counts only)."""
        self.group_stories(full, workers)
        return self.store.stories()

    def group_stories(
        self, full: bool = False, workers: DaskWorkers | None = None
    ) -> tuple[int, int]:
        """:meth:`build_stories` without reading every story back: (stories, articles in them).

        Why apart: ``build-stories`` over a million articles reports two numbers; reading every
        membership back to count them would hold what detection took care not to hold."""
        vectorise = workers.vectorise if workers is not None else terms_of
        with self.store.stories_lock():  # never beside another process's regrouping
            self._settle_machine_stories()
            detect_stories(self.store, full, self.config.stories, self._curate, vectorise)
            self._stories_changed()
            return self.store.count_stories(), self.store.count_assigned()

    def _record(self, edit: Edit) -> Edit:
        """Record an edit, keeping the machine's grouping apart first when only the stories
        hold it (detection streamed them while no edit was in force): the edit's undo needs the
        grouping as it was before the edit changed anything (where a deleted article was)."""
        self._keep_machine_stories()
        return super()._record(edit)

    def replace_article(self, article_id: str, path: str | Path, author: str | None = None) -> Edit:
        """:meth:`CurationMixin.replace_article`, with the machine's grouping kept apart first:
        the edit saves the old version's stories (and labels) from it before recording."""
        self._keep_machine_stories()
        return super().replace_article(article_id, path, author)

    def _keep_machine_stories(self) -> None:
        if self.store.machine_stories() is None:
            self.store.save_machine_stories(self.store.stories())

    def _settle_machine_stories(self) -> None:
        """With no edit in force, the stories shown are the machine's: drop its separate copy,
        so that detection streams (:mod:`storyline.stories.detect`) instead of reading it."""
        if not any(e.active for e in self.store.edits()):
            self.store.save_machine_stories([])

    def _stories_changed(
        self, stories: list[Story] | None = None, growth_waits: bool = False
    ) -> int:
        """What follows every change of stories (ingest or rebuild): date the undated articles
        from their story, then store the timelines that changed. Returns how many dates moved.

        Only the stories holding an article to date are read (``None``: the store finds them),
        and only the timelines that are missing or stale are recomputed (``growth_waits``: see
        :meth:`refresh_timelines`)."""
        redated = redate_undated(self.store, stories, self.config.dating, self.config.time)
        self.refresh_timelines(growth_waits)
        return redated

    def refresh_timelines(self, growth_waits: bool = False) -> int:
        """Compute and store the default timeline of every story that has none, or a stale one.

        The store marks a story's stored timeline stale when its articles change (and keeps
        serving it), so after an incremental ingest only the stories that grew are recomputed,
        each replaced in one write. Stories smaller than ``timeline.stored_min_articles`` are
        cheap enough to compute on request.

        ``growth_waits`` (an ingest): a stale timeline whose story's size is within
        ``timeline.refresh_share`` of its size when the timeline was computed stays as it is,
        still marked stale, until the story grows further; a rebuild or an edit (which may
        change dates without changing sizes) recomputes every stale one.
        """
        smallest = self.config.timeline.stored_min_articles
        stale = set(self.store.stories_needing_timeline(DEFAULT_TIMELINE, smallest))
        waiting = set(self._grown_too_little(stale)) if growth_waits else set()
        stale -= waiting
        # A story's day counts and reporting are stored with its timeline (summaries); a store
        # made before them has fresh timelines without them: those are read, not recomputed.
        wanted = set(stale)
        for key in summaries.KEYS:
            wanted.update(self.store.stories_needing_timeline(key, smallest))
        wanted -= waiting  # a story's summaries are stale with its timeline, and wait with it
        done = 0
        for story_id in sorted(wanted):
            basis: str | None = None  # of a timeline computed now
            try:
                size = self.store.story_info(story_id)[1]
                stored = (
                    None
                    if story_id in stale
                    else self.store.load_timeline(story_id, DEFAULT_TIMELINE)
                )
                if stored:
                    timeline = Timeline.from_dict(stored)
                    reported = self.reporting(story_id, timeline)
                else:  # as self.timeline(story=...) and self.reporting, from one store read
                    made = story_timeline(
                        self.store, story_id, self.config.timeline, self._previous(story_id)
                    )
                    timeline, basis = self.curated_timeline(story_id, made.timeline), made.basis
                    reported = (
                        reporting(made.mentions, timeline)
                        if made.mentions is not None
                        else story_reporting(self.store, story_id, timeline)
                    )
            except NotFoundError:
                continue  # another process regrouped the stories meanwhile; it refreshes them
            with self.store.transaction():  # readers see them together, old or new
                if not self._unchanged(story_id, size):
                    continue  # changed while computed: left stale for the process that did it
                self.store.save_timeline(story_id, DEFAULT_TIMELINE, timeline.as_dict())
                summaries.save(self.store, story_id, reported)
                if basis is not None:
                    record = {"basis": basis, "articles": size}
                    self.store.save_timeline(story_id, BASIS, record)
            done += story_id in stale
        return done

    def stored_timeline_sizes(self, story_ids: Iterable[str]) -> dict[str, int]:
        """Each story's size when its stored default timeline was computed (kept in its basis
        record); a story whose timeline was stored before sizes were kept is left out.

        Why: an ingest that grows a story by less than ``timeline.refresh_share`` leaves its
        stored timeline as it was (:meth:`refresh_timelines`), and a reader is told so."""
        records = self.store.load_timelines(sorted(set(story_ids)), BASIS)
        sizes = {story_id: record.get("articles") for story_id, record in records.items()}
        return {s: n for s, n in sizes.items() if isinstance(n, int) and n > 0}

    def _grown_too_little(self, story_ids: set[str]) -> list[str]:
        """Those of ``story_ids`` with a stored default timeline whose story's size is within
        ``timeline.refresh_share`` of its size when that timeline was computed."""
        share = self.config.timeline.refresh_share
        if share <= 0:
            return []
        out: list[str] = []
        for story_id, made_at in sorted(self.stored_timeline_sizes(story_ids).items()):
            try:
                size = self.store.story_info(story_id)[1]
            except NotFoundError:
                continue
            if abs(size - made_at) < share * made_at:
                out.append(story_id)
        return out

    def _previous(self, story_id: str) -> tuple[dict[str, Any], str] | None:
        """The story's stored default timeline and its basis, when it is the machine's own
        (no entry edit in force) and may be kept if the story's sample did not change."""
        if any(e.active for e in self.entry_edits(story_id)):
            return None
        timeline = self.store.load_timeline(story_id, DEFAULT_TIMELINE)
        basis = self.store.load_timeline(story_id, BASIS)
        if timeline is None or basis is None:
            return None
        return timeline, str(basis["basis"])

    def _unchanged(self, story_id: str, size: int) -> bool:
        """Whether the story still exists with ``size`` articles (read inside the write lock).

        Why: another ingest into the same store may regroup the stories while this process
        computes a timeline; saving it then would mark an outdated timeline fresh, or fail on
        a story that is gone. Every process that changes stories refreshes them afterwards."""
        try:
            return self.store.story_info(story_id)[1] == size
        except NotFoundError:
            return False

    # --- timelines ---------------------------------------------------------------------------
    def timeline(
        self,
        query: str | None = None,
        story: str | None = None,
        since: date | None = None,
        until: date | None = None,
        dates: int | None = None,
        per_date: int | None = None,
    ) -> Timeline:
        """The timeline of a story, of the articles matching ``query``, or of the whole store.

        A story's timeline carries the person's entry edits on top of the machine's choice."""
        found = timeline_for(
            self.store, query, story, since, until, dates, per_date, self.config.timeline
        )
        return self.curated_timeline(story, found) if story is not None else found

    # --- who reported first ------------------------------------------------------------------
    def reporting(self, story_id: str, timeline: Timeline | None = None) -> Reporting:
        """A story read by outlet: articles per source and day, and for each date of its
        timeline the source that reported it first (rules in :mod:`storyline.timeline.firsts`).

        ``timeline`` is the one the reader sees (the stored default when omitted, computed
        when none is stored), so the first reports line up with its entries."""
        self.store.get_story(story_id)  # an unknown story is NotFoundError before any work
        if timeline is None:
            stored = self.store.load_timeline(story_id, DEFAULT_TIMELINE)
            timeline = (
                Timeline.from_dict(stored) if stored is not None else self.timeline(story=story_id)
            )
        return story_reporting(self.store, story_id, timeline)

    def sentence_choices(self, story_id: str, when: str, limit: int = 50) -> list[Citation]:
        """The sentences of a story a person may put on its timeline for the date ``when``
        (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``): what the machine weighed for it, best first.
        """
        story = self.store.get_story(story_id)
        ids = choice_article_ids(
            self.store, story_id, story.article_ids, when, self.config.timeline
        )
        return sentence_choices(load_pool(self.store, ids), when, self.config.timeline, limit)

    def query_timeline(
        self,
        query: str,
        since: date | None = None,
        until: date | None = None,
        dates: int | None = None,
        per_date: int | None = None,
        max_articles: int | None = None,
    ) -> Timeline:
        """The timeline of the articles matching ``query``, from at most ``max_articles`` of them
        (default: setting ``web.query_max_articles``).

        Why a cap by count and not by time: a one-word query ("the") matches the whole store,
        and a served request must not read it all; a cap by work gives the same answer on any
        machine. Beyond the cap the articles are sampled evenly over their publication order
        (so the timeline still spans the matches) and ``parameters["capped"]`` says how many
        matched and how many were used.

        Finding the matches is bounded too (setting ``web.query_max_matches``): when more
        sentences match, the words are looked for in that many, spread over the whole store
        (``Store.article_sample``), and ``capped["sentences"]`` says so; "matched" then counts
        the articles of those sentences.
        """
        cap = max_articles if max_articles is not None else self.config.web.query_max_articles
        sentence_cap = self.config.web.query_max_matches
        spread = self.store.count_matches(query, sentence_cap + 1) > sentence_cap
        ids, total = self.store.article_sample(
            query, since, until, cap, spread_matches=sentence_cap if spread else None
        )
        title = f"Timeline: {query}"
        if not ids:
            note = f"no articles in the query {query!r} for that period"
            return Timeline(title=title, parameters={"note": note, "query": query, "story": None})
        timeline = build_timeline(
            self.store, ids, dates, per_date, title, since, until, config=self.config.timeline
        )
        timeline.parameters.update({"query": query, "story": None})
        if total > len(ids) or spread:
            timeline.parameters["capped"] = {"matched": total, "used": len(ids)}
            if spread:
                timeline.parameters["capped"]["sentences"] = sentence_cap
        if not timeline.entries:
            timeline.parameters["note"] = "the articles name no dates and carry none"
        return timeline
