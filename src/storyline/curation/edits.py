"""The curation methods of :class:`storyline.corpus.Corpus`: check an edit, record it, apply it,
and undo it. Kept in a mixin of its own so the orchestrator stays small.

Every method takes the ``author`` (the OS user on the CLI; ``web`` or a token's name on the
server) and returns the recorded :class:`~storyline.curation.model.Edit`. A bad id or date is an
:class:`~storyline.errors.InputError` (one line) and records nothing.

How edits take effect: story edits are constraints re-applied after every detection
(``_curate``, passed to the stories stage), entry edits are re-applied whenever a story's timeline
is computed, and article edits change the stored article, keeping what was there in the edit so
that undo can put it back.
"""

from __future__ import annotations

import dataclasses
import getpass
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.curation.apply import (
    apply_story_edits,
    apply_timeline_edits,
    store_cite,
)
from storyline.curation.model import (
    ENTRY_KINDS,
    UNDO,
    Edit,
    parse_day,
    parse_entry_date,
)
from storyline.errors import InputError
from storyline.records import Article, Entry, Story, Timeline
from storyline.stories.detect import add_articles
from storyline.stories.online import story_id_for
from storyline.time import tag_sentences

if TYPE_CHECKING:
    from storyline.settings import Config
    from storyline.store.base import Store


def default_author() -> str:
    """The OS user: who made an edit on this machine's command line."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class CurationMixin:
    """Edits of stories, timelines and articles, on top of what the machine made."""

    store: Store
    config: Config

    # Provided by Corpus.
    timeline: Callable[..., Timeline]
    refresh_timelines: Callable[[], int]
    _stories_changed: Callable[[list[Story]], int]

    # --- the log -----------------------------------------------------------------------------
    def edits(self, story_id: str | None = None) -> list[Edit]:
        """The edit log (oldest first), or the edits naming one story (a story merged away
        still has its edits; an id no edit names and no story has is a NotFoundError)."""
        found = self.store.edits(story_id)
        if story_id is not None and not found:
            self.store.get_story(story_id)
        return found

    def edit(self, edit_id: int) -> Edit:
        return self.store.get_edit(edit_id)

    def _record(self, edit: Edit) -> Edit:
        edit.id = self.store.add_edit(edit)
        return edit

    # --- applying ----------------------------------------------------------------------------
    def _curate(self, machine: list[Story]) -> list[Story]:
        """The stories readers see: the machine's with the story edits applied.

        Without edits in force they are the machine's as it made them, less any article that
        is no longer stored."""
        edits = self.store.edits()
        ids = {a for s in machine for a in s.article_ids}
        for e in edits:
            ids |= {str(a) for a in (e.target.get("article"), e.target.get("new_article")) if a}
        dates = self.store.published_dates(sorted(ids))
        if any(e.active for e in edits):
            return apply_story_edits(machine, edits, dates)
        if all(a in dates for s in machine for a in s.article_ids):
            return machine
        kept = [
            dataclasses.replace(s, article_ids=[a for a in s.article_ids if a in dates])
            for s in machine
        ]
        return [s for s in kept if s.article_ids]

    def _forget(self, article_id: str) -> None:
        """Take an article out of the machine's own stories (a replacement that was undone:
        the detector's grouping goes back to what it was before the article came)."""
        machine = self.store.machine_stories()
        if machine is None:
            return
        for story in machine:
            if article_id in story.article_ids:
                story.article_ids.remove(article_id)
        self.store.save_machine_stories([s for s in machine if s.article_ids])

    def _restory(self, touched: Iterable[str] = ()) -> list[Story]:
        """Apply the story edits again to the machine's stories, save, and bring dates and
        timelines up to date (the stories in ``touched`` get new timelines even when their
        articles did not change: a new label, a moved date).

        Under the store's ``stories_lock``, as an ingest's placement and a rebuild are: an edit
        made while another process regroups waits for it, then applies every edit to the
        grouping it left (the other process, had it gone second, would have read this edit
        before placing its articles). Without the lock, that placement could write back a
        grouping made before the edit."""
        with self.store.stories_lock():
            machine = self.store.machine_stories()
            if machine is None:  # a store grouped before curation existed: what it shows is the
                machine = self.store.stories()  # machine's, kept so that undo can return to it
                self.store.save_machine_stories(machine)
            stories = self._curate(machine)
            self.store.save_stories(stories, self.store.story_state())
            self.store.drop_timelines(sorted(set(touched)))
            self._stories_changed(stories)
            return stories

    def entry_edits(self, story_id: str) -> list[Edit]:
        """The edits of ``story_id``'s timeline entries, in order (undone ones included)."""
        edits = self.store.edits(story_id)
        return [e for e in edits if e.kind in ENTRY_KINDS and e.story_id == story_id]

    def curated_timeline(self, story_id: str, timeline: Timeline) -> Timeline:
        """``timeline`` (the machine's, of ``story_id``) with the story's entry edits applied."""
        edits = self.entry_edits(story_id)
        if not any(e.active for e in edits):
            return timeline
        return apply_timeline_edits(timeline, edits, store_cite(self.store))

    def _retimeline(self, story_id: str) -> None:
        """Recompute a story's stored timeline after an entry edit, under ``stories_lock``: a
        refresh running in another process read the edits before this one and must not be the
        last to store the timeline."""
        with self.store.stories_lock():
            self.store.drop_timelines([story_id])
            self.refresh_timelines()

    # --- timeline entries ----------------------------------------------------------------------
    def _entry(self, story_id: str, when: str) -> tuple[str, Entry | None]:
        self.store.get_story(story_id)
        label = parse_entry_date(when)
        current = self.timeline(story=story_id)
        return label, next((e for e in current.entries if e.label == label), None)

    def _must_have(self, story_id: str, label: str, entry: Entry | None) -> Entry:
        if entry is None:
            raise InputError(f"story {story_id} has no entry on {label} (see storyline timeline)")
        return entry

    def _sentence(self, article_id: str, index: int, story_id: str | None = None) -> None:
        """Check that the sentence exists (and, with ``story_id``, that the story holds it)."""
        sentences = self.store.sentences([self.store.get_article(article_id).id])[article_id]
        if not 0 <= index < len(sentences):
            raise InputError(
                f"article {article_id} has no sentence {index} (it has {len(sentences)}, from 0)"
            )
        if story_id is not None and article_id not in self.store.get_story(story_id).article_ids:
            raise InputError(f"article {article_id} is not in story {story_id}")

    def _entry_edit(
        self, kind: str, story_id: str, label: str, payload: dict[str, Any], author: str | None
    ) -> Edit:
        edit = self._record(
            Edit(
                kind=kind,
                author=author or default_author(),
                story_id=story_id,
                target={"date": label},
                payload=payload,
            )
        )
        self._retimeline(story_id)
        return edit

    def pin_entry(self, story_id: str, when: str, author: str | None = None) -> Edit:
        """Keep the entry on ``when`` as it is now, whatever later recomputations choose."""
        label, entry = self._entry(story_id, when)
        entry = self._must_have(story_id, label, entry)
        payload = {
            "sentences": [[c.article_id, c.sentence_index] for c in entry.sentences],
            "caption": entry.caption,
        }
        return self._entry_edit("entry.pin", story_id, label, payload, author)

    def drop_entry(self, story_id: str, when: str, author: str | None = None) -> Edit:
        """Remove the entry on ``when``; it stays removed when the timeline is recomputed."""
        label, entry = self._entry(story_id, when)
        self._must_have(story_id, label, entry)
        return self._entry_edit("entry.drop", story_id, label, {}, author)

    def swap_entry(
        self,
        story_id: str,
        when: str,
        article_id: str,
        index: int,
        position: int = 0,
        author: str | None = None,
    ) -> Edit:
        """Put sentence ``index`` of ``article_id`` (an article of the story) in place of the
        entry's sentence at ``position``; the citation follows the sentence."""
        label, entry = self._entry(story_id, when)
        entry = self._must_have(story_id, label, entry)
        self._sentence(article_id, index, story_id)
        if not 0 <= position < max(len(entry.sentences), 1):
            raise InputError(f"the entry on {label} has no sentence at position {position}")
        payload = {"article_id": article_id, "sentence_index": index, "position": position}
        return self._entry_edit("entry.swap", story_id, label, payload, author)

    def add_entry(
        self, story_id: str, when: str, article_id: str, index: int, author: str | None = None
    ) -> Edit:
        """Add the date ``when`` to the story's timeline with a sentence from any article."""
        label, entry = self._entry(story_id, when)
        if entry is not None:
            raise InputError(f"story {story_id} already has an entry on {label} (use entry swap)")
        self._sentence(article_id, index)
        payload = {"article_id": article_id, "sentence_index": index}
        return self._entry_edit("entry.add", story_id, label, payload, author)

    def caption_entry(self, story_id: str, when: str, text: str, author: str | None = None) -> Edit:
        """Say what happened on ``when`` in the person's own words: marked as theirs, citing
        nothing (the date is added when the timeline lacks it)."""
        label, _ = self._entry(story_id, when)
        if not text.strip():
            raise InputError("a caption needs some text")
        return self._entry_edit("entry.caption", story_id, label, {"text": text.strip()}, author)

    # --- stories -----------------------------------------------------------------------------
    def merge_stories(self, a: str, b: str, author: str | None = None) -> Edit:
        """Merge two stories; the larger keeps its id (``a`` on a tie)."""
        first, second = self.store.get_story(a), self.store.get_story(b)
        if a == b:
            raise InputError(f"cannot merge story {a} with itself")
        keep, absorb = (
            (first, second)
            if len(first.article_ids) >= len(second.article_ids)
            else (second, first)
        )
        edit = self._record(
            Edit(
                kind="story.merge",
                author=author or default_author(),
                story_id=keep.id,
                target={"stories": [a, b]},
                payload={"keep": keep.id, "absorb": absorb.id},
            )
        )
        self._restory([keep.id])
        return edit

    def split_story(
        self,
        story_id: str,
        articles: Sequence[str] | None = None,
        at: str | date | None = None,
        author: str | None = None,
    ) -> Edit:
        """Split a story by chosen articles or at a date (articles from that day on go); the
        part holding the earliest article keeps the id, the other is named after its own."""
        story = self.store.get_story(story_id)
        if (articles is None) == (at is None):
            raise InputError("split a story either by articles or at a date, not both")
        members = story.article_ids  # publication order, undated last
        target: dict[str, Any] = {}
        if articles is not None:
            chosen_ids = list(dict.fromkeys(articles))
            for article_id in chosen_ids:
                self.store.get_article(article_id)
                if article_id not in members:
                    raise InputError(f"article {article_id} is not in story {story_id}")
            chosen = [m for m in members if m in set(chosen_ids)]
            target["articles"] = chosen_ids
        else:
            day = at if isinstance(at, date) else parse_day(str(at))
            dates = self.store.published_dates(members)
            chosen = [m for m in members if (d := dates.get(m)) is not None and d >= day]
            target["at"] = day.isoformat()
        rest = [m for m in members if m not in set(chosen)]
        if not chosen or not rest:
            raise InputError(f"that split leaves story {story_id} whole (one part is empty)")
        keep = "rest" if members[0] in rest else "chosen"
        moving = chosen if keep == "rest" else rest
        target["new_story"] = story_id_for(moving[0])
        edit = self._record(
            Edit(
                kind="story.split",
                author=author or default_author(),
                story_id=story_id,
                target=target,
                payload={"keep": keep, "label": story.label},
            )
        )
        self._restory([story_id, target["new_story"]])
        return edit

    def move_article(self, article_id: str, to: str, author: str | None = None) -> Edit:
        """Move an article into story ``to`` (out of the story it was in)."""
        self.store.get_article(article_id)
        self.store.get_story(to)
        was = self.store.story_ids_of(article_id)
        if was == [to]:
            raise InputError(f"article {article_id} is already in story {to}")
        edit = self._record(
            Edit(
                kind="story.move",
                author=author or default_author(),
                story_id=to,
                target={"article": article_id, "to": to, "stories": was},
            )
        )
        self._restory([to, *was])
        return edit

    def rename_story(self, story_id: str, label: str, author: str | None = None) -> Edit:
        """Give a story the label a person chose."""
        self.store.get_story(story_id)
        if not label.strip():
            raise InputError("a story label needs some text")
        edit = self._record(
            Edit(
                kind="story.rename",
                author=author or default_author(),
                story_id=story_id,
                payload={"label": label.strip()},
            )
        )
        self._restory([story_id])
        return edit

    def exclude_article(self, article_id: str, author: str | None = None) -> Edit:
        """Keep an article out of every story (it stays stored and searchable)."""
        self.store.get_article(article_id)
        was = self.store.story_ids_of(article_id)
        if not was:
            raise InputError(f"article {article_id} is in no story")
        edit = self._record(
            Edit(
                kind="story.exclude",
                author=author or default_author(),
                story_id=was[0],
                target={"article": article_id, "stories": was},
            )
        )
        self._restory(was)
        return edit

    # --- articles ----------------------------------------------------------------------------
    def _retag(self, article: Article) -> None:
        """Read the article's time expressions again against its (new) date."""
        sentences = self.store.sentences([article.id])[article.id]
        dct = article.published if article.date_granularity == "day" else None
        timexes = tag_sentences(article.text, dct, sentences, article.id, self.config.time)
        self.store.replace_timexes(article.id, timexes)

    def _put_date(self, article_id: str, values: dict[str, Any]) -> None:
        published = date.fromisoformat(values["published"]) if values["published"] else None
        self.store.set_article_date(
            article_id,
            published,
            values["date_source"],
            values["date_confidence"],
            values["date_evidence"],
            values["date_granularity"],
        )
        self._retag(self.store.get_article(article_id))

    def set_article_date(
        self, article_id: str, when: str | date, author: str | None = None
    ) -> Edit:
        """Correct an article's date: its ``date_source`` becomes ``user`` (never re-estimated),
        its relative expressions are read again, its stories' spans and timelines follow."""
        article = self.store.get_article(article_id)
        day = when if isinstance(when, date) else parse_day(str(when))
        who = author or default_author()
        before = {k: article.as_dict()[k] for k in _DATE_FIELDS}
        after = {
            "published": day.isoformat(),
            "date_source": "user",
            "date_confidence": None,
            "date_evidence": [f"set by {who}"],
            "date_granularity": "day",
        }
        stories = self.store.story_ids_of(article_id)
        edit = self._record(
            Edit(
                kind="article.set_date",
                author=who,
                story_id=stories[0] if stories else None,
                target={"article": article_id, "stories": stories},
                payload={"date": day.isoformat(), "before": before, "after": after},
            )
        )
        self._put_date(article_id, after)
        self._restory(stories)
        return edit

    def _snapshot(self, article_id: str) -> dict[str, Any]:
        """Everything stored of an article, so that undoing its deletion restores it exactly."""
        article = self.store.get_article(article_id)
        minhash = self.store.minhashes_of([article_id]).get(article_id)
        return {
            "article": article.as_dict(),
            "sentences": [s.as_dict() for s in self.store.sentences([article_id])[article_id]],
            "timexes": [t.as_dict() for t in self.store.timexes([article_id])[article_id]],
            "minhash": minhash.hex() if minhash is not None else None,
            # its near-duplicates lose their link when it goes; undo gives it back
            "duplicates": self.store.duplicates_of(article_id),
        }

    def _restore(self, snapshot: dict[str, Any]) -> str:
        from storyline.records import Sentence, TimeExpression
        from storyline.text.dedupe import StoredNearDuplicateIndex, minhash_from_bytes

        article = Article.from_dict(snapshot["article"])
        minhash = bytes.fromhex(snapshot["minhash"]) if snapshot.get("minhash") else None
        with self.store.transaction():
            self.store.add_article(
                article,
                [Sentence.from_dict(s) for s in snapshot["sentences"]],
                [TimeExpression.from_dict(t) for t in snapshot["timexes"]],
                minhash,
            )
            if minhash is not None:  # later copies of it are found again
                index = StoredNearDuplicateIndex(self.store, self.config.ingest)
                index.add(article.id, minhash_from_bytes(minhash))
            copies = [str(a) for a in snapshot.get("duplicates", [])]
            if copies:  # those still stored (a copy may have been deleted since)
                present = {a.id for a in self.store.articles(ids=copies)}
                self.store.set_duplicate_of([a for a in copies if a in present], article.id)
        return article.id

    def delete_article(self, article_id: str, author: str | None = None) -> Edit:
        """Delete an article and what was derived from it (its place in stories, its
        sentences on timelines); the edit keeps a copy so that undo can restore it."""
        snapshot = self._snapshot(article_id)
        stories = self.store.story_ids_of(article_id)
        edit = self._record(
            Edit(
                kind="article.delete",
                author=author or default_author(),
                story_id=stories[0] if stories else None,
                target={"article": article_id, "stories": stories},
                payload={"before": snapshot},
            )
        )
        self.store.delete_article(article_id)
        self._restory(stories)
        return edit

    def replace_article(self, article_id: str, path: str | Path, author: str | None = None) -> Edit:
        """Replace an article by a corrected version of it (same URL, when it has one) read
        from ``path``; the new version takes the old one's place in its story."""
        from storyline.ingest import Ingester

        old = self.store.get_article(article_id)
        snapshot = self._snapshot(article_id)
        report = Ingester(self.store, self.config).run([str(path)])
        if len(report.new_ids) != 1:
            for extra in report.new_ids:
                self.store.delete_article(extra)
            why = (
                "the same text as a stored article"
                if not report.new_ids
                else (f"{len(report.new_ids)} articles")
            )
            raise InputError(f"{path}: holds {why}; a replacement is one corrected article")
        new = self.store.get_article(report.new_ids[0])
        if old.url and new.url and old.url != new.url:
            self.store.delete_article(new.id)
            raise InputError(f"{path}: is {new.url}, not {old.url} (a replacement has its URL)")
        stories = self.store.story_ids_of(article_id)
        # the detector's stories that held the old version, as they were: the new version's
        # text can rename them (a label is drawn from the articles), and undo must not keep that
        machine_before = [
            s.as_dict() for s in self.store.machine_stories() or [] if article_id in s.article_ids
        ]
        edit = self._record(
            Edit(
                kind="article.replace",
                author=author or default_author(),
                story_id=stories[0] if stories else None,
                target={
                    "article": article_id,
                    "new_article": new.id,
                    "to": stories[0] if stories else None,
                    "stories": stories,
                },
                payload={"before": snapshot, "machine_before": machine_before},
            )
        )
        self.store.delete_article(article_id)
        add_articles(self.store, [new.id], self.config.stories, self._curate)
        self._restory(stories)
        return edit

    # --- undo --------------------------------------------------------------------------------
    def undo(self, edit_id: int, author: str | None = None) -> Edit:
        """Revert exactly edit ``edit_id``, unless a later edit in force touches the same
        objects (then nothing changes and the error names the later edits)."""
        edit = self.store.get_edit(edit_id)
        if edit.kind == UNDO:
            raise InputError(f"edit {edit_id} is an undo; undo is not undone (make the edit again)")
        if edit.undone_by is not None:
            raise InputError(f"edit {edit_id} is already undone (by edit {edit.undone_by})")
        later = [
            e
            for e in self.store.edits()
            if e.id is not None and e.id > edit_id and e.active and e.conflicts_with(edit)
        ]
        if later:
            ids = ", ".join(str(e.id) for e in later)
            raise InputError(
                f"cannot undo edit {edit_id}: later edit(s) {ids} touch the same objects "
                "(undo those first)"
            )
        record = self._record(
            Edit(
                kind=UNDO,
                author=author or default_author(),
                story_id=edit.story_id,
                target={"edit": edit_id},
            )
        )
        assert record.id is not None
        self.store.mark_undone(edit_id, record.id)
        self._revert(edit)
        return record

    def _revert(self, edit: Edit) -> None:
        t, p = edit.target, edit.payload
        stories = [str(s) for s in t.get("stories", [])]
        if edit.kind in ENTRY_KINDS:
            assert edit.story_id is not None
            self._retimeline(edit.story_id)
        elif edit.kind == "article.set_date":
            self._put_date(str(t["article"]), p["before"])
            self._restory(stories)
        elif edit.kind == "article.delete":
            self._place(self._restore(p["before"]))
            self._restory(stories)
        elif edit.kind == "article.replace":
            new_id = str(t["new_article"])
            self.store.delete_article(new_id)  # deleting what is gone changes nothing
            self._forget(new_id)
            restored = self._restore(p["before"])
            self._place(restored)
            self._put_machine_stories(restored, p.get("machine_before", []))
            self._restory(stories)
        else:  # story edits: the constraint is gone, the machine's grouping shows through
            touched = [*stories, *(str(s) for s in (edit.story_id, t.get("new_story")) if s)]
            self._restory(touched)

    def _put_machine_stories(self, article_id: str, saved: list[dict[str, Any]]) -> None:
        """Give the detector's stories that held ``article_id`` back as they were saved
        (label and members), wherever the article was placed again meanwhile."""
        machine = self.store.machine_stories()
        if machine is None or not saved:
            return
        before = {str(d["id"]): Story.from_dict(d) for d in saved}
        kept = [
            before.get(
                m.id,
                dataclasses.replace(m, article_ids=[a for a in m.article_ids if a != article_id]),
            )
            for m in machine
        ]
        kept += [story for sid, story in before.items() if sid not in {m.id for m in machine}]
        self.store.save_machine_stories([m for m in kept if m.article_ids])

    def _place(self, article_id: str) -> None:
        """Give a restored article its story back (the detector's, when it still has it)."""
        add_articles(self.store, [article_id], self.config.stories, self._curate)


_DATE_FIELDS = ("published", "date_source", "date_confidence", "date_evidence", "date_granularity")

__all__ = ["CurationMixin", "default_author"]
