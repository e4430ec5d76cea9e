"""Timeline building on a small hand-made store: dates by evidence, cited sentences, no repeats."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from storyline.records import Article, Sentence, TimeExpression, Timeline
from storyline.settings import TimelineConfig
from storyline.store import SQLiteStore
from storyline.timeline import build_timeline, default_date_count, timeline_from_pool
from storyline.timeline.candidates import load_pool, parse_value, read_pool
from storyline.timeline.features import LEAD
from storyline.timeline.sentences import is_debris, is_expected, quality

# (id, published, [(sentence, [(expression text, value)])])
ARTICLES: list[tuple[str, date, list[tuple[str, list[tuple[str, str]]]]]] = [
    (
        "a1",
        date(2020, 3, 2),
        [
            (
                "The river dam burst on Monday, flooding the valley town of Arden.",
                [("Monday", "2020-03-02")],
            ),
            ("Rescue teams reached the town by boat.", []),
        ],
    ),
    (
        "a2",
        date(2020, 3, 4),
        [
            (
                "Officials said the dam burst on March 2 after days of heavy rain.",
                [("March 2", "2020-03-02")],
            ),
            (
                "The mayor ordered an inquiry into the dam on Wednesday.",
                [("Wednesday", "2020-03-04")],
            ),
        ],
    ),
    (
        "a3",
        date(2020, 3, 10),
        [
            ("The dam burst on March 2, engineers told the inquiry.", [("March 2", "2020-03-02")]),
            (
                "Engineers had warned of cracks in the dam in November 2015.",
                [("November 2015", "2015-11")],
            ),
            (
                "Ministers are expected to sign a repair plan on March 20.",
                [("March 20", "2020-03-20")],
            ),
        ],
    ),
    (
        "a4",
        date(2020, 3, 11),
        [
            ("The dam burst on March 2, engineers told the inquiry.", [("March 2", "2020-03-02")]),
            (
                "The inquiry opened on March 4 with testimony from engineers.",
                [("March 4", "2020-03-04")],
            ),
        ],
    ),
]


def _store(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    for article_id, published, content in ARTICLES:
        text, sentences, timexes = "", [], []
        for index, (sentence, expressions) in enumerate(content):
            start = len(text)
            text += sentence + "\n"
            sentences.append(Sentence(article_id, index, sentence, start, start + len(sentence)))
            for phrase, value in expressions:
                at = start + sentence.index(phrase)
                timexes.append(
                    TimeExpression(
                        at, at + len(phrase), phrase, "DATE", value, None, article_id, index
                    )
                )
        article = Article(
            id=article_id,
            text=text,
            title=f"Dam story {article_id}",
            source=f"/corpus/{article_id}.txt",
            published=published,
            date_source="given",
            content_hash=article_id,
            source_name="Arden Post" if article_id != "a4" else "Valley News",
        )
        store.add_article(article, sentences, timexes)
    return store


@pytest.fixture
def store(db_path: Path) -> SQLiteStore:
    return _store(db_path)


def _ids() -> list[str]:
    return [a[0] for a in ARTICLES]


def test_most_mentioned_day_comes_first_with_full_citations(store: SQLiteStore) -> None:
    timeline = build_timeline(store, _ids(), dates=1, per_date=1, title="Dam")
    assert isinstance(timeline, Timeline)
    [entry] = timeline.entries
    assert (entry.date, entry.granularity, entry.expected) == (date(2020, 3, 2), "day", False)
    [cite] = entry.sentences
    article = store.get_article(cite.article_id)
    assert article.text[cite.start : cite.end] == cite.text
    assert cite.title == article.title and cite.source == article.source_name
    assert cite.published == article.published and cite.date_source == "given"
    assert cite.url == article.source
    assert "dam burst" in cite.text.lower()


def test_near_repeats_are_not_chosen_twice(store: SQLiteStore) -> None:
    timeline = build_timeline(store, _ids(), dates=1, per_date=3)
    texts = [c.text for c in timeline.entries[0].sentences]
    assert len(texts) == len(set(texts))


def test_month_mentions_become_month_entries_and_plans_are_expected(store: SQLiteStore) -> None:
    timeline = build_timeline(store, _ids(), dates=50, per_date=1)
    labels = {e.label: e for e in timeline.entries}
    assert "2015-11" in labels and labels["2015-11"].granularity == "month"
    assert labels["2020-03-20"].expected is True
    assert labels["2020-03-02"].expected is False
    assert [e.date for e in timeline.entries] == sorted(e.date for e in timeline.entries)


def test_day_only_window_and_more_dates_than_exist(store: SQLiteStore) -> None:
    timeline = build_timeline(
        store,
        _ids(),
        dates=99,
        per_date=1,
        since=date(2020, 3, 1),
        until=date(2020, 3, 31),
        granularities=("day",),
    )
    days = [e.date for e in timeline.entries]
    assert all(e.granularity == "day" for e in timeline.entries)
    assert date(2020, 3, 2) in days and date(2020, 3, 4) in days
    assert all(date(2020, 3, 1) <= d <= date(2020, 3, 31) for d in days)


def test_no_articles_give_an_empty_timeline(store: SQLiteStore) -> None:
    assert build_timeline(store, [], dates=5, per_date=1).entries == []


def test_helpers() -> None:
    assert parse_value("2010-04-20") == (date(2010, 4, 20), "day")
    assert parse_value("2010-04-20T14:00") == (date(2010, 4, 20), "day")
    assert parse_value("2015-11") == (date(2015, 11, 1), "month")
    assert parse_value("2010") == (date(2010, 1, 1), "year")
    assert parse_value("2010-W16") is None and parse_value("XXXX-04-20") is None
    assert parse_value("2010-02-30") is None
    assert is_expected("The ministers are expected to discuss the pact.")
    assert is_expected("Australia and Japan will sign the agreement next week.")
    assert not is_expected("The ministers signed the pact on Wednesday.")
    config = TimelineConfig()
    assert quality("BP pumps cement into the damaged well to seal it for good .", config) == 1.0
    assert quality("But he said it would fail", config) < quality(
        "BP said the cap would fail to hold the oil .", config
    )
    for debris in (
        "Posted by reader | 09:33 UK time",
        "jsmith wrote : the cap will never hold",
        "Updated 10:45 EDT on the spill",
        "See http :// example or www.example.com for more",
        "Click here to subscribe to our newsletter .",
        ", said the engineers .",
        "A -RRB- BP shares fell .",
        "Mail @reporter with tips .",
    ):
        assert is_debris(debris), debris
        assert quality(debris, config) < 0.5
    for news in (
        "BP pumps cement into the damaged well to seal it for good .",
        "Officials said : the ratio was 3:1 by 2010 , with 123:456 odds .",
        "Copywriters estimate the cost at $ 3bn .",
    ):
        assert not is_debris(news), news
    assert default_date_count(4, config) == 4 and default_date_count(400, config) == 40
    short = TimelineConfig(default_dates_min=5, default_dates_max=10)
    assert default_date_count(400, short) == 10 and default_date_count(16, short) == 8


def test_wire_datelines_are_trimmed_and_the_span_still_points_at_the_text() -> None:
    from storyline.timeline.candidates import Pool

    text = "WASHINGTON -LRB- Reuters -RRB- - BP said on Tuesday it would pay for the clean-up ."
    article = Article(id="w", text="Intro line.\n" + text)
    sentence = Sentence("w", 1, text, 12, 12 + len(text))
    pool = Pool(articles=[article], sentences=[[sentence, sentence]], duplicate=[False])
    trimmed, start, end = pool.span((0, 1))
    assert trimmed.startswith("BP said") and article.text[start:end] == trimmed
    plain = Sentence("w", 0, "Intro line.", 0, 11)
    pool.sentences[0][0] = plain
    assert pool.span((0, 0)) == ("Intro line.", 0, 11)


def test_leads_count_for_their_day_and_the_day_before_only() -> None:
    """With ``timeline.followup_days`` = 1 (the default), a lead naming no day tells its own day
    or the one before it; two days later it is the later day's news, not a candidate. A config
    passed per call changes that for this call only."""
    from collections import defaultdict

    from storyline.timeline.candidates import Pool
    from storyline.timeline.dates import RankedDate
    from storyline.timeline.sentences import candidates_for

    default = TimelineConfig()
    assert default.followup_days == 1
    text = "Rescue teams reached the town by boat ."
    article = Article(id="b", text=text, published=date(2020, 3, 4))
    pool = Pool(
        articles=[article],
        sentences=[[Sentence("b", 0, text, 0, len(text))]],
        duplicate=[False],
        mentions={"day": defaultdict(list), "month": defaultdict(list), "year": defaultdict(list)},
        published=defaultdict(list, {date(2020, 3, 4): [0]}),
    )
    for day, expected in ((4, [(0, 0)]), (3, [(0, 0)]), (2, [])):
        assert candidates_for(pool, RankedDate(date(2020, 3, day), "day", 1.0), default) == expected
    wider = TimelineConfig(followup_days=2)
    assert candidates_for(pool, RankedDate(date(2020, 3, 2), "day", 1.0), wider) == [(0, 0)]


def test_near_redundancy_skips_yesterdays_words_on_the_next_day_only() -> None:
    """With ``timeline.near_redundancy_threshold`` on, a sentence that retells the day before in
    similar words gives way to one saying what is new; the same pair ten days apart, or with the
    setting off (the default), is left to the ordinary repeat threshold."""
    from collections import defaultdict

    from storyline.timeline.candidates import Pool
    from storyline.timeline.dates import RankedDate
    from storyline.timeline.sentences import select_sentences

    first = "Floodwater covered the valley town of Arden after the river dam burst in heavy rain."
    retold = "Floodwater still covered the valley town of Arden as rescuers searched homes."
    new = "Rescuers searched flooded homes in Arden for survivors through the night."
    other = "The mayor ordered an inquiry into the dam collapse and thanked volunteers."

    def chosen(second_day: int, config: TimelineConfig) -> list[str]:
        days = {date(2020, 3, 2): [first], date(2020, 3, second_day): [retold, new, other]}
        articles, sentences = [], []
        mentions: dict[date, list[tuple[int, int]]] = defaultdict(list)
        named: dict[tuple[int, int], set[date]] = {}
        for day, texts in days.items():
            for text in texts:
                position = len(articles)
                articles.append(Article(id=f"n{position}", text=text, published=date(2020, 3, 20)))
                sentences.append([Sentence(f"n{position}", 0, text, 0, len(text))])
                mentions[day].append((position, 0))
                named[(position, 0)] = {day}
        pool = Pool(
            articles=articles,
            sentences=sentences,
            duplicate=[False] * len(articles),
            mentions={"day": mentions, "month": defaultdict(list), "year": defaultdict(list)},
            published=defaultdict(list),
            sentence_dates=named,
        )
        ranked = [RankedDate(day, "day", 2.0 - i) for i, day in enumerate(days)]
        picks = select_sentences(pool, ranked, 1, config)
        return [pool.sentence(key).text for pick in picks for key in pick.keys]

    strict = TimelineConfig(near_redundancy_threshold=0.3)
    assert TimelineConfig().near_redundancy_threshold == 1.0
    assert chosen(3, TimelineConfig()) == [first, retold]
    assert chosen(3, strict) == [first, new]
    assert chosen(13, strict) == [first, retold]


def test_a_pool_read_without_texts_reads_leads_and_dated_sentences_and_gives_the_same_timeline(
    db_path: Path,
) -> None:
    store = _store(db_path)
    body = [f"Filler sentence number {n} about the dam." for n in range(7)]
    body[6] = "Divers inspected the dam on March 5, officials said."
    text, sentences = "", []
    for index, sentence in enumerate(body + ["The town held a vigil for the flood victims."]):
        sentences.append(Sentence("a5", index, sentence, len(text), len(text) + len(sentence)))
        text += sentence + "\n"
    at = text.index("March 5")
    timex = TimeExpression(at, at + 7, "March 5", "DATE", "2020-03-05", None, "a5", 6)
    store.add_article(
        Article(
            id="a5",
            text=text,
            title="Divers",
            source="/corpus/a5.txt",
            published=date(2020, 3, 6),
            date_source="given",
            content_hash="a5",
        ),
        sentences,
        [timex],
    )
    ids = [*_ids(), "a5"]
    config = TimelineConfig()
    every = load_pool(store, ids)
    # what a timeline may read: each article's leads (its candidates' and the date model's)
    # and the sentences naming a date
    lead = max(config.lead_sentences, LEAD)
    dated = {k for found in every.mentions.values() for keys in found.values() for k in keys}
    readable = {
        (p, s.index)
        for p, found in enumerate(every.sentences)
        for s in found
        if s.index < lead or (p, s.index) in dated
    }
    dense = timeline_from_pool(every, 5, 2, title="Dam", config=config)
    assert build_timeline(store, ids, 5, 2, title="Dam", config=config).as_dict() == dense.as_dict()
    assert any(s.text == body[6] for e in dense.entries for s in e.sentences)
    # read without texts, the pool reads those of the chosen dates' candidates only, and the
    # timeline is the same under either date ranker (the model reads its features' texts)
    for ranker in ("counts", "model"):
        ranked = dataclasses.replace(config, date_ranker=ranker)
        bare, _ = read_pool(store, ids, texts=False)
        assert bare.reader is store and not any(bare.sentences)
        assert bare.mentions == every.mentions and bare.sentence_dates == every.sentence_dates
        made = timeline_from_pool(bare, 5, 2, title="Dam", config=ranked)
        assert (
            made.as_dict() == timeline_from_pool(every, 5, 2, title="Dam", config=ranked).as_dict()
        )
        held = {(p, s.index) for p, found in enumerate(bare.sentences) for s in found}
        assert held <= readable
    # one date chosen: the leads and dated sentences of the other days are never read
    bare, _ = read_pool(store, ids, texts=False)
    one = timeline_from_pool(bare, 1, 2, title="Dam", config=config)
    assert one.as_dict() == timeline_from_pool(every, 1, 2, title="Dam", config=config).as_dict()
    held = {(p, s.index) for p, found in enumerate(bare.sentences) for s in found}
    assert held and len(held) < len(readable) / 2


def test_tfidf_of_repeated_texts_is_sklearns_bit_for_bit() -> None:
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storyline.timeline.sentences import _tfidf

    base = [
        "The dam burst on Monday, flooding the valley.",
        "Rescue teams reached the valley town by boat on Monday.",
        "Engineers had warned of cracks in the dam.",
        "The mayor ordered an inquiry; the inquiry opened on March 4.",
    ]
    texts = [base[i] for i in (2, 0, 2, 1, 3, 0, 0, 2)]  # copies, out of order
    expected = sparse.csr_matrix(
        TfidfVectorizer(
            lowercase=True, stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b\w\w+\b"
        ).fit_transform(texts)
    )
    got = sparse.csr_matrix(_tfidf(texts))
    assert (got.indptr.tolist(), got.indices.tolist()) == (
        expected.indptr.tolist(),
        expected.indices.tolist(),
    )
    assert got.data.tolist() == expected.data.tolist()


@pytest.mark.parametrize(
    ("granularity", "published", "unit"),
    [("year", date(2021, 7, 1), date(2021, 1, 1)), ("month", date(2021, 5, 15), date(2021, 5, 1))],
)
def test_an_article_dated_to_a_month_or_year_tells_that_month_or_years_news(
    store: SQLiteStore, granularity: str, published: date, unit: date
) -> None:
    """An undated article estimated to a year (or month) names no day, but its lead is what
    happened then: the timeline gets that year's (month's) entry from it, as the seeds' 2020
    report gives the basic agreement of 2020."""
    lead = "The town council approved a new dam for Arden after a long campaign."
    text = f"{lead}\nWork starts after the vote.\n"
    article = Article(
        id="late",
        text=text,
        title="Arden votes for a new dam",
        source="/corpus/late.txt",
        published=published,
        date_source="inferred",
        date_granularity=granularity,
        content_hash="late",
    )
    sentences = [
        Sentence("late", 0, lead, 0, len(lead)),
        Sentence("late", 1, "Work starts after the vote.", len(lead) + 1, len(text) - 1),
    ]
    store.add_article(article, sentences, [])
    timeline = build_timeline(store, [*_ids(), "late"], dates=10, per_date=1)
    [entry] = [e for e in timeline.entries if e.date == unit]
    assert entry.granularity == granularity
    assert [s.text for s in entry.sentences] == [lead]
    # nothing of it lands on the day its estimate is stored at, which no text implies
    assert all(e.date != published for e in timeline.entries)
    # without it, no such entry
    before = build_timeline(store, _ids(), dates=10, per_date=1)
    assert all(e.date.year != unit.year for e in before.entries)


def test_debris_sharing_the_days_words_does_not_pull_the_centroid() -> None:
    """With ``timeline.centroid_weighting`` = quality (the default), a date's centroid weighs
    each candidate by how much it reads like an entry: photo captions that repeat one report's
    words no longer outvote two complete reports of what happened. The plain mean (``uniform``,
    DATEWISE's) still picks the report the captions echo."""
    from collections import defaultdict

    from storyline.timeline.candidates import Pool
    from storyline.timeline.dates import RankedDate
    from storyline.timeline.sentences import select_sentences

    day = date(2020, 3, 2)
    texts = [
        "Engineers opened the spillway gates at the Arden dam on Monday .",
        "The spillway gates at the Arden dam stayed open through Monday night .",
        "Floodwater reached homes in the valley town overnight .",
        "photo | floodwater homes valley town",
        "photo | floodwater reached homes valley",
        "photo | valley town homes floodwater",
    ]
    articles = [Article(id=f"d{i}", text=t, published=day) for i, t in enumerate(texts)]
    pool = Pool(
        articles=articles,
        sentences=[[Sentence(f"d{i}", 0, t, 0, len(t))] for i, t in enumerate(texts)],
        duplicate=[False] * len(texts),
        mentions={"day": defaultdict(list), "month": defaultdict(list), "year": defaultdict(list)},
        published=defaultdict(list, {day: list(range(len(texts)))}),
    )

    def pick(weighting: str) -> str:
        config = TimelineConfig(centroid_weighting=weighting)
        (chosen,) = select_sentences(pool, [RankedDate(day, "day", 1.0)], 1, config)
        return pool.sentence(chosen.keys[0]).text

    assert TimelineConfig().centroid_weighting == "quality"
    assert pick("quality") == texts[0]
    assert pick("uniform") == texts[2]
    with pytest.raises(ValueError, match="centroid_weighting"):
        TimelineConfig(centroid_weighting="median")
