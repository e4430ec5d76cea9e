"""Apply a person's edits on top of what the machine made: stories first, then timelines.

Why functions of (machine output, edits): the machine's stories and timelines are recomputed on
every ingest and rebuild; applying the active edits to each recomputation is what makes the edits
last (a pinned entry stays, a merged story stays merged) while new articles still count. The same
functions make undo exact: leave the undone edit out and apply the rest to the same output.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from storyline.curation.model import ENTRY_KINDS, STORY_KINDS, Edit
from storyline.records import Citation, Entry, Story, Timeline
from storyline.store.base import Store
from storyline.timeline.assemble import citation
from storyline.timeline.candidates import load_pool

Cite = Callable[[str, int], Citation | None]


def story_edits(edits: Iterable[Edit]) -> list[Edit]:
    """The edits that constrain the grouping, in the order they were made.

    ``article.replace`` counts (the corrected version goes where the original was), and so does
    ``article.set_date`` (the spans of the article's stories are measured again)."""
    kinds = (*STORY_KINDS, "article.replace", "article.set_date")
    return [e for e in edits if e.active and e.kind in kinds]


def apply_story_edits(
    machine: list[Story], edits: Iterable[Edit], dates: Mapping[str, date | None]
) -> list[Story]:
    """The stories readers see: ``machine`` with the story edits applied in order.

    ``dates`` holds the publication date of every stored article: an article not in it (deleted)
    leaves its story, and the span of a story whose members changed is recomputed from it.
    Stories left empty disappear. A story untouched by every edit is returned as the machine
    made it, so a store without edits reads exactly as before.
    """
    stories: dict[str, Story] = {
        s.id: dataclasses.replace(s, article_ids=list(s.article_ids)) for s in machine
    }
    changed: set[str] = set()

    def remove(article_id: str) -> None:
        for s in stories.values():
            if article_id in s.article_ids:
                s.article_ids.remove(article_id)
                changed.add(s.id)

    for edit in story_edits(edits):
        t, p = edit.target, edit.payload
        if edit.kind == "story.merge":
            keep, absorb = str(p["keep"]), str(p["absorb"])
            gone = stories.pop(absorb, None)
            if gone is None:
                continue
            if keep not in stories:  # the machine no longer has the keeper: the absorbed is it
                stories[keep] = dataclasses.replace(gone, id=keep, article_ids=[])
            stories[keep].article_ids += [
                a for a in gone.article_ids if a not in stories[keep].article_ids
            ]
            changed.add(keep)
        elif edit.kind == "story.split":
            source = stories.get(str(edit.story_id))
            if source is None:
                continue
            at = date.fromisoformat(t["at"]) if t.get("at") else None
            chosen_ids = set(t.get("articles", []))

            def chosen(a: str, at: date | None = at, chosen_ids: set[str] = chosen_ids) -> bool:
                if at is not None:
                    day = dates.get(a)
                    return day is not None and day >= at
                return a in chosen_ids

            part = [a for a in source.article_ids if chosen(a)]
            rest = [a for a in source.article_ids if not chosen(a)]
            moving, staying = (rest, part) if p.get("keep") == "chosen" else (part, rest)
            if not moving:
                continue
            new_id = str(t["new_story"])
            source.article_ids = staying
            fresh = stories.setdefault(
                new_id, Story(id=new_id, label=str(p.get("label") or source.label))
            )
            fresh.article_ids += [a for a in moving if a not in fresh.article_ids]
            changed |= {source.id, new_id}
        elif edit.kind in ("story.move", "article.replace"):
            article_id = str(t.get("new_article") or t["article"])
            to = stories.get(str(t.get("to")))
            if to is None:
                continue
            remove(article_id)
            to.article_ids.append(article_id)
            changed.add(to.id)
        elif edit.kind == "story.rename":
            if (story := stories.get(str(edit.story_id))) is not None:
                story.label = str(p["label"])
        elif edit.kind == "story.exclude":
            remove(str(t["article"]))
        elif edit.kind == "article.set_date":  # a date moved: its stories' spans follow
            changed |= {s.id for s in stories.values() if t["article"] in s.article_ids}
    out = []
    for story in stories.values():
        present = [a for a in story.article_ids if a in dates]
        if len(present) != len(story.article_ids):
            changed.add(story.id)
        if not present:
            continue
        story.article_ids = present
        if story.id in changed:
            days = [d for a in present if (d := dates.get(a)) is not None]
            story.first, story.last = (min(days), max(days)) if days else (None, None)
        out.append(story)
    return sorted(out, key=lambda s: s.id)


def store_cite(store: Store) -> Cite:
    """A citation of (article id, sentence index) read from ``store``, as the machine cites."""

    def cite(article_id: str, index: int) -> Citation | None:
        pool = load_pool(store, [article_id])
        if not pool.articles or not 0 <= index < len(pool.sentences[0]):
            return None
        return citation(pool, (0, index))

    return cite


def _granularity(label: str) -> str:
    return {10: "day", 7: "month", 4: "year"}.get(len(label), "day")


def entry_for(label: str) -> Entry:
    """An empty entry for a date label (``2020-11-17``, ``2020-11``, ``2020``)."""
    padded = label + "-01" * ((10 - len(label)) // 3)
    return Entry(date=date.fromisoformat(padded), granularity=_granularity(label))


def apply_timeline_edits(timeline: Timeline, edits: Iterable[Edit], cite: Cite) -> Timeline:
    """``timeline`` (the machine's) with a story's entry edits applied in order.

    Pin keeps the entry as it was pinned, whether or not the machine picks its date again; drop
    removes a date; swap puts a chosen sentence in place of one of the entry's; add puts a date
    (or a sentence first on a date) the machine left out; caption replaces the entry's sentences
    by the person's own words, citing nothing. A sentence that no longer exists (its article was
    deleted) is left out.
    """
    entries = {e.label: e for e in timeline.entries}
    applied = 0
    for edit in edits:
        if not edit.active or edit.kind not in ENTRY_KINDS:
            continue
        label = str(edit.target["date"])
        p = edit.payload
        entry = entries.get(label)
        applied += 1
        if edit.kind == "entry.drop":
            entries.pop(label, None)
            continue
        if entry is None:
            entry = entries[label] = entry_for(label)
        if edit.kind == "entry.pin":
            pinned = [c for s in p.get("sentences", []) if (c := cite(s[0], int(s[1])))]
            if p.get("caption") is not None:
                entry.caption, entry.sentences = str(p["caption"]), []
            elif pinned:
                entry.sentences = pinned
            entry.provenance = "pinned"
        elif edit.kind == "entry.caption":
            entry.caption, entry.sentences, entry.provenance = str(p["text"]), [], "caption"
        else:
            found = cite(str(p["article_id"]), int(p["sentence_index"]))
            if found is None:
                continue
            rest = [
                c
                for c in entry.sentences
                if (c.article_id, c.sentence_index) != (found.article_id, found.sentence_index)
            ]
            if edit.kind == "entry.swap":
                position = min(int(p.get("position", 0)), len(entry.sentences))
                old = entry.sentences[position : position + 1]
                rest = [c for c in rest if c not in old]
                entry.sentences = rest[:position] + [found] + rest[position:]
                entry.provenance = "swapped"
            else:
                entry.sentences = [found, *rest]
                entry.provenance = "added"
            entry.caption = None
    order = {"year": 0, "month": 1, "day": 2}
    ordered = sorted(entries.values(), key=lambda e: (e.date, order.get(e.granularity, 3)))
    parameters = dict(timeline.parameters)
    if applied:
        parameters["edits"] = applied
        if ordered and parameters.get("note"):
            parameters.pop("note")
    return Timeline(title=timeline.title, entries=ordered, parameters=parameters)


__all__ = [
    "apply_story_edits",
    "apply_timeline_edits",
    "entry_for",
    "story_edits",
    "store_cite",
]
