"""The second pass dates undated reports from their story, as a user sees it in the store."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES
from storyline.corpus import Corpus


def _undated(corpus: Corpus, name: str) -> tuple[str, list[str], str | None]:
    (article,) = [a for a in corpus.articles() if a.source.endswith(name)]
    assert article.date_source == "inferred"
    published = article.published.isoformat() if article.published else None
    return published or "", article.date_evidence, article.id


def test_undated_reports_take_the_day_their_event_has_in_dated_reports(
    db_path: Path, seeds: Path
) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(EXAMPLES), str(seeds)])
        corpus.build_stories()
        for name in ("morrison-suga-agreement.txt", "000_2db7ddb86090bf45.txt"):
            published, evidence, article_id = _undated(corpus, name)
            assert published == "2020-11-17", (name, evidence)
            assert any("the event it reports is dated 2020-11-17" in e for e in evidence)
            tuesday = [t for t in corpus.timexes(str(article_id)) if t.text == "Tuesday"]
            assert tuesday and tuesday[0].value == "2020-11-17"  # re-tagged against the new date


def test_a_story_years_away_does_not_override_a_text_that_dates_itself(
    db_path: Path, seeds: Path
) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(seeds)])
        corpus.build_stories()
        published, evidence, _ = _undated(corpus, "000_2db7ddb86090bf45.txt")
        assert published.startswith("2020"), evidence
