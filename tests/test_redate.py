"""The second pass dates undated reports from their story, as a user sees it in the store.

Since ingest brings the stories up to date, a user never runs the second pass by hand: these
tests only ingest, and check that ``build-stories`` afterwards changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES
from storyline.corpus import Corpus
from storyline.records import Article

SEED_000 = "000_2db7ddb86090bf45.txt"


def _article(corpus: Corpus, name: str) -> Article:
    (article,) = [a for a in corpus.articles() if a.source.endswith(name)]
    return article


def test_undated_reports_take_the_day_their_event_has_in_dated_reports(
    db_path: Path, seeds: Path
) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(EXAMPLES), str(seeds)])
        for name in ("morrison-suga-agreement.txt", SEED_000):
            article = _article(corpus, name)
            assert article.date_source == "inferred"
            assert (article.published.isoformat() if article.published else None) == "2020-11-17"
            assert article.date_granularity == "day", article.date_evidence
            assert any("closest in content" in e for e in article.date_evidence)
            assert any("(Tuesday) resolved against 2020-11-17" in e for e in article.date_evidence)
            tuesday = [t for t in corpus.timexes(article.id) if t.text == "Tuesday"]
            assert tuesday and tuesday[0].value == "2020-11-17"  # re-tagged against the new date


def test_build_stories_after_ingest_changes_no_date(db_path: Path, seeds: Path) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(EXAMPLES), str(seeds)])
        before = {
            a.id: (a.published, a.date_granularity, a.date_evidence) for a in corpus.articles()
        }
        corpus.build_stories()
        after = {
            a.id: (a.published, a.date_granularity, a.date_evidence) for a in corpus.articles()
        }
    assert before == after


def test_a_story_years_away_does_not_override_a_text_that_dates_itself(
    db_path: Path, seeds: Path
) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(seeds)])
        article = _article(corpus, SEED_000)
        assert article.date_source == "inferred"
        assert article.date_label == "2020", article.date_evidence
        assert article.date_granularity == "year"


def test_ingest_builds_stories_then_keeps_them_and_the_dates_up_to_date(
    db_path: Path, seeds: Path
) -> None:
    with Corpus(db_path) as corpus:
        corpus.ingest([str(seeds / SEED_000)])
        assert [len(s.article_ids) for s in corpus.stories()] == [1]  # the first ingest builds
        assert _article(corpus, SEED_000).date_label == "2020"
        corpus.ingest([str(EXAMPLES)])  # the dated reports of the same talks arrive
        stored = {a.id for a in corpus.articles()}
        assert {i for s in corpus.stories() for i in s.article_ids} == stored
        seed = _article(corpus, SEED_000)
        assert (seed.date_label, seed.date_granularity) == ("2020-11-17", "day")
