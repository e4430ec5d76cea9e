"""Records survive as_dict → from_dict unchanged (the one JSON shape of CLI, API and store)."""

from __future__ import annotations

from datetime import date

from storyline.records import Article, Citation, Entry, Sentence, Story, TimeExpression, Timeline


def test_round_trips() -> None:
    article = Article(
        id="a", text="t", published=date(2017, 4, 19), date_source="given", date_evidence=["x"]
    )
    assert Article.from_dict(article.as_dict()) == article
    assert article.as_dict()["published"] == "2017-04-19"
    for record in (
        Sentence("a", 0, "t", 0, 1),
        TimeExpression(0, 7, "Tuesday", "DATE", "2017-04-18", article_id="a", sentence_index=0),
        Story("s", "label", ["a"], date(2017, 1, 1), date(2020, 1, 1)),
    ):
        assert type(record).from_dict(record.as_dict()) == record
    cite = Citation("t", "a", 0, 0, 1, published=date(2017, 4, 19))
    timeline = Timeline("T", [Entry(date(2015, 11, 1), "month", False, [cite])], {"dates": 1})
    data = timeline.as_dict()
    assert data["entries"][0]["date"] == "2015-11"
    assert Timeline.from_dict(data) == timeline
