"""How far story-based dating could go: the ceiling of choosing among a story's dated days.

Usage (after ``bench/bench_dating.py --keep STORE``, which leaves the store and its gold days)::

    .venv/bin/python bench/dating_ceiling.py STORE

An undated article is dated from its story (``storyline.stories.redate``): its estimate is one
of the days its story's dated articles were published on, or one its own text implies. This
reads the kept store and asks, of every hidden article:

- ``real_day_among_story_days``: is its real day a publication day of a dated article of its
  story (the ceiling of choosing among the story's days; the bar asks 70 % exact);
- ``real_day_within_1_of_a_story_day``: or a day next to one;
- ``exact_on_reachable``: of those whose real day is such a day, the share dated exactly now;
- ``most_similar_member_on_real_day`` / ``real_day_among_3_most_similar``: whether plain content
  similarity (TF-IDF cosine of whole texts against each dated member) points at the real day,
  the signal a "closest report" rule would use;
- ``most_similar_lead_on_real_day``: the same for the leads alone (first three sentences).

Writes ``bench/results/dating_ceiling.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.records import Article
from storyline.store.sqlite import SQLiteStore

OUT = Path(__file__).resolve().parent / "results" / "dating_ceiling.json"


def hidden_articles(
    store: SQLiteStore, gold_file: Path
) -> tuple[dict[str, Article], dict[str, date]]:
    """Every stored article by id, and each hidden one's real day (bench_dating's gold file
    names the hidden copies by file name)."""
    gold = {k: date.fromisoformat(v) for k, v in json.loads(gold_file.read_text()).items()}
    articles = {a.id: a for a in store.articles()}
    hidden = {
        i: gold[Path(a.source).name]
        for i, a in articles.items()
        if "/hidden/" in a.source and Path(a.source).name in gold
    }
    return articles, hidden


LEAD = 3  # sentences of an article's lead


def _by_similarity(texts: list[str]) -> np.ndarray:
    """Indices of ``texts[1:]`` from the most to the least similar to ``texts[0]`` (TF-IDF)."""
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    similarity = (matrix[1:] @ matrix[0].T).toarray().ravel()
    return np.argsort(-similarity, kind="stable")


def ceiling(store: SQLiteStore, gold_file: Path) -> dict[str, object]:
    articles, hidden = hidden_articles(store, gold_file)
    story_of = store.story_articles_of(list(hidden))
    members = {s.id: s.article_ids for s in store.stories()}
    counts: Counter[str] = Counter()
    for article_id, day in hidden.items():
        article = articles[article_id]
        exact = article.date_granularity == "day" and article.published == day
        story = story_of.get(article_id)
        dated = [
            articles[m]
            for m in (members.get(story, []) if story is not None else [])
            if m not in hidden and articles[m].published is not None
        ]
        if not dated:
            counts["no_dated_story_member"] += 1
            continue
        days = {a.published for a in dated}
        reachable = day in days
        counts["real_day_among_story_days"] += reachable
        counts["real_day_within_1_of_a_story_day"] += any(
            d is not None and abs((d - day).days) <= 1 for d in days
        )
        if not reachable:
            continue
        counts["reachable"] += 1
        counts["exact_on_reachable"] += exact
        order = _by_similarity([article.text] + [a.text for a in dated])
        counts["most_similar_member_on_real_day"] += dated[int(order[0])].published == day
        counts["real_day_among_3_most_similar"] += day in {
            dated[int(j)].published for j in order[:3]
        }
        # the leads alone (first three sentences): the event an article reports, without the
        # page furniture that whole texts share
        sentences = store.sentences([article_id] + [a.id for a in dated])
        leads = [
            " ".join(s.text for s in sentences.get(i, [])[:LEAD])
            for i in [article_id] + [a.id for a in dated]
        ]
        order = _by_similarity(leads)
        counts["most_similar_lead_on_real_day"] += dated[int(order[0])].published == day
    total = len(hidden)
    reachable = counts["reachable"] or 1
    return {
        "hidden": total,
        "no_dated_story_member": round(counts["no_dated_story_member"] / total, 3),
        "real_day_among_story_days": round(counts["real_day_among_story_days"] / total, 3),
        "real_day_within_1_of_a_story_day": round(
            counts["real_day_within_1_of_a_story_day"] / total, 3
        ),
        "reachable": counts["reachable"],
        "exact_on_reachable": round(counts["exact_on_reachable"] / reachable, 3),
        "most_similar_lead_on_real_day": round(
            counts["most_similar_lead_on_real_day"] / reachable, 3
        ),
        "most_similar_member_on_real_day": round(
            counts["most_similar_member_on_real_day"] / reachable, 3
        ),
        "real_day_among_3_most_similar": round(
            counts["real_day_among_3_most_similar"] / reachable, 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="the store bench_dating.py --keep left")
    args = parser.parse_args()
    with SQLiteStore(args.store, read_only=True) as store:
        figures = ceiling(store, args.store.with_suffix(".gold.json"))
    for key, value in figures.items():
        print(f"{key:36s} {value}")
    OUT.write_text(json.dumps({"store": str(args.store), **figures}, indent=2) + "\n")
    print(f"wrote {OUT.name}")


if __name__ == "__main__":
    main()
