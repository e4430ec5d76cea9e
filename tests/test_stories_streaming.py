"""Streaming story detection (issue 12): a rebuild reads the articles in batches and never the
stories back; an ingest places new articles without reading every story; a person's edits
still apply as constraints, and once they are undone the streaming path takes over again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storyline.corpus import Corpus
from storyline.settings import Config, StoryConfig
from storyline.stories import detect
from test_stories import write_corpus


def _groups(corpus: Corpus) -> list[tuple[str, list[str]]]:
    return sorted((s.id, sorted(s.article_ids)) for s in corpus.stories())


def _forbid_whole_reads(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every read of all stories' memberships, or of every article at once, fail."""

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read every story's members or every article at once")

    def articles(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("ids") is None:
            boom()
        return original_articles(*args, **kwargs)

    original_articles = corpus.store.articles
    monkeypatch.setattr(corpus.store, "stories", boom)
    monkeypatch.setattr(corpus.store, "machine_stories", boom)
    monkeypatch.setattr(corpus.store, "articles", articles)


def test_a_rebuild_read_in_small_batches_gives_the_same_stories_without_reading_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "news", per_story=6)
    config = Config(stories=StoryConfig(batch_size=4))
    with Corpus(tmp_path / "s.db", config=config) as corpus:
        corpus.ingest([str(tmp_path / "news")])
        whole = _groups(corpus)
        assert len(whole) == 2 and sum(len(m) for _, m in whole) == 12
        monkeypatch.setattr(detect, "_READ_BATCH", 5)  # reads of 5, assignment batches of 4
        with monkeypatch.context() as m:
            _forbid_whole_reads(corpus, m)
            assert corpus.group_stories(full=True) == (2, 12)
        assert _groups(corpus) == whole


def test_an_ingest_places_new_articles_without_reading_every_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_corpus(tmp_path / "first", per_story=4)
    write_corpus(tmp_path / "more", per_story=2, start=4)
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.ingest([str(tmp_path / "first")])
        before = dict(_groups(corpus))
        with monkeypatch.context() as m:
            _forbid_whole_reads(corpus, m)
            report = corpus.ingest([str(tmp_path / "more")])
        after = dict(_groups(corpus))
        assert len(report.new_ids) == 4
        assert set(after) == set(before)  # the new articles joined the two running stories
        for story_id, members in before.items():
            assert set(members) < set(after[story_id])
        assert corpus.store.stories_needing_timeline("default", 1) == []  # refreshed


def test_edits_in_force_are_kept_through_an_ingest_and_streaming_resumes_after_undo(
    tmp_path: Path,
) -> None:
    write_corpus(tmp_path / "first", per_story=4)
    write_corpus(tmp_path / "more", per_story=2, start=4)
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.ingest([str(tmp_path / "first")])
        (a, _), (b, _) = _groups(corpus)
        edit = corpus.merge_stories(a, b, author="t")
        assert len(corpus.stories()) == 1
        corpus.ingest([str(tmp_path / "more")])  # the constrained path: the merge still holds
        (kept,) = corpus.stories()
        assert len(kept.article_ids) == 12
        machine = corpus.store.machine_stories()
        assert machine is not None and len(machine) == 2  # the machine's own, kept apart
        corpus.undo(edit.id or 0, author="t")
        assert [len(m) for _, m in _groups(corpus)] == [6, 6]
        write_corpus(tmp_path / "last", per_story=1, start=6)
        corpus.ingest([str(tmp_path / "last")])  # no edit in force: streamed again
        assert corpus.store.machine_stories() is None  # the stories are the machine's
        assert sorted(len(m) for _, m in _groups(corpus)) == [7, 7]
