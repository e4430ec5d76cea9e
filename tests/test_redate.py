"""The second pass dates undated reports from their story, as a user sees it in the store.

Since ingest brings the stories up to date, a user never runs the second pass by hand: these
tests only ingest, and check that ``build-stories`` afterwards changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES, RunCli
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


def test_the_same_event_told_in_a_neighbouring_story_of_the_same_weeks_dates_it(
    db_path: Path, tmp_path: Path
) -> None:
    from storyline.records import Story
    from storyline.stories.redate import redate_undated

    files = {
        "report.txt": "date 2020-03-10\nFreedonia and Sylvania sign river treaty\n\nThe "
        "foreign ministers of Freedonia and Sylvania signed the Danube river water treaty on "
        "Tuesday in Vienna, ending a decade of quarrels over the dams.",
        "later.txt": "date 2020-03-26\nHarvest outlook\n\nFarmers along the Danube expect a "
        "modest wheat harvest; the river treaty does not cover irrigation, growers said.",
        "undated.txt": "River treaty signed\n\nFreedonia and Sylvania signed the Danube river "
        "water treaty on Tuesday in Vienna; their foreign ministers hailed the end of the "
        "quarrels over the dams.",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Corpus(db_path) as corpus:
        corpus.ingest([str(tmp_path)])
        ids = {a.source.rsplit("/", 1)[-1]: a.id for a in corpus.articles()}
        # the detector split the report off: the undated one shares its story with later.txt only
        stories = [
            Story("s1", "harvest", [ids["undated.txt"], ids["later.txt"]]),
            Story("s2", "treaty", [ids["report.txt"]]),
        ]
        redate_undated(corpus.store, stories, corpus.config.dating, corpus.config.time)
        article = corpus.article(ids["undated.txt"])

    assert article.published is not None and article.published.isoformat() == "2020-03-10"
    assert article.date_granularity == "day", article.date_evidence


def test_a_page_stamp_dates_an_undated_article_and_show_lists_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    files = {
        "report.txt": "date 2010-09-20\nBP claims fund\n\nBP's incoming chief executive Bob "
        "Dudley said on Monday compensation claims for the Gulf oil spill would fall below "
        "the $20bn set aside.",
        "undated.txt": "BP says claims will cost less\n\nBob Dudley told City analysts the Gulf "
        "oil spill compensation claims will probably fall below the $20bn set aside. Monday "
        "13 September 2010 19.48 BST. Related: a reader's comment of 6:30 pm ET February 11 , "
        "2013.",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "news.db"
    assert run_cli("ingest", str(folder), "--db", str(db)).code == 0
    listed = run_cli("articles", "--db", str(db), "--json").json()
    assert isinstance(listed, list)
    (undated,) = [a for a in listed if a["source"].endswith("undated.txt")]
    shown = run_cli("show", undated["id"], "--db", str(db))
    assert shown.code == 0, shown.err
    assert "2010-09-13 (inferred, confidence 0.90)" in shown.out
    assert "evidence: time stamp it carries: 'Monday 13 September 2010 19.48 BST'" in shown.out
