"""The orchestrator end to end on the bundled corpus: ingest, stories, stored timelines."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES
from storyline.corpus import DEFAULT_TIMELINE, Corpus


def test_stories_store_default_timelines_and_new_articles_refresh_only_theirs(
    db_path: Path, tmp_path: Path
) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(EXAMPLES)])
        stories = corpus.build_stories()
        big = [s for s in stories if len(s.article_ids) >= 2]
        assert big, "the bundled corpus tells at least one multi-article story"
        for story in big:
            stored = corpus.store.load_timeline(story.id, DEFAULT_TIMELINE)
            assert stored is not None and stored["entries"]
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / "later.txt").write_text(
            "date 2023-08-14\nJapan and Australia said on Monday that the reciprocal access "
            "agreement between Japan and Australia had entered into force, and that Japanese "
            "and Australian troops would train together in Australia under the agreement.\n"
        )
        report = corpus.ingest([str(tmp_path / "new")])
        assert report.accepted == 1
        grown = next(s for s in corpus.stories() if report.new_ids[0] in s.article_ids)
        stored = corpus.store.load_timeline(grown.id, DEFAULT_TIMELINE)
        assert stored is not None, "the grown story's timeline was recomputed and stored"
        total = sum(len(s.article_ids) for s in corpus.stories())
        assert total == sum(len(s.article_ids) for s in stories) + 1
