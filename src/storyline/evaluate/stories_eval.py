"""``storyline eval stories``: score story detection against the topics of a Timeline17 folder.

Why topics: in Timeline17 layout (``<Topic>_<source>/InputDocs/<date>/<n>.htm.txt``) every
article belongs to one running story, its topic — the folder name before ``_`` (so
``bpoil_bbc`` and ``bpoil_guardian`` are one story). The harness ingests the folder (and any
extra paths, each of which is one story of its own, e.g. the seeds) into a temporary store,
rebuilds the stories with the topics hidden (the detector never sees paths), and scores the
grouping with B-cubed and pairwise precision/recall/F1.

Why an overlap mix: the five dev topics lie years apart, so time alone keeps them apart and the
thresholds are never tested on concurrent stories. ``overlap=True`` moves each topic by a whole
number of weeks (weekdays stay true) so that the topics' median publication dates coincide (at
the median of the five medians), and moves the TIMEX values of the expressions stored with each
article by the same number of days — the detector reads dates only from those values (the text
itself is left as written; its digits, "2010" say, are not story features). Extra paths (the
seeds) are not moved. ``leave_one_out=True`` scores the mix again with each topic left out, one
run per topic, so a figure cannot rest on one topic's being easy.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline.corpus import Corpus
from storyline.errors import EvaluationError
from storyline.evaluate.clustering import bcubed, pairwise
from storyline.records import Article, Story, TimeExpression
from storyline.settings import StoryConfig
from storyline.store import open_store
from storyline.store.base import Store
from storyline.stories.detect import build_stories

_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_WEEK = re.compile(r"^(\d{4})-W(\d\d)")
_MONTH = re.compile(r"^(\d{4})-(\d\d)(?!\d)")
_YEAR = re.compile(r"^(\d{4})(?!\d)")


def topic_of(article: Article, folder: Path, extra: Sequence[Path]) -> str | None:
    """The true story of an article from where it was read; None when outside the given paths."""
    source = Path(article.source.split("#", 1)[0]).resolve()
    try:
        first = source.relative_to(folder).parts[0]
        return first.split("_", 1)[0]
    except (ValueError, IndexError):
        pass
    for path in extra:
        if source == path or path in source.parents:
            return f"with:{path}"
    return None


def evaluate_stories(
    folder: str | Path,
    extra: Sequence[str | Path] = (),
    db: str | Path | None = None,
    overlap: bool = False,
    leave_one_out: bool = False,
    config: StoryConfig | None = None,
) -> dict[str, Any]:
    """Ingest ``folder`` (+ ``extra``), detect, score; optionally overlapped and leave-one-out.

    ``db`` (a temporary store by default) ends holding the scored mix and its stories: the
    ingested articles, or with ``overlap`` their moved copies.
    """
    root = Path(folder).resolve()
    if not root.is_dir():
        raise EvaluationError(f"{folder}: not a folder in Timeline17 layout")
    others = [Path(p).resolve() for p in extra]
    for path in others:
        if not path.exists():
            raise EvaluationError(f"{path}: no such file or folder")
    config = config or StoryConfig()
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        target = Path(db) if db is not None else Path(tmp) / "eval.db"
        source = Path(tmp) / "ingested.db" if overlap else target
        with Corpus(source) as corpus:
            corpus.ingest([str(root), *map(str, others)])
            truth = truth_of(corpus.store.articles(), root, others)
            return score_mix(corpus.store, truth, Path(tmp), overlap, leave_one_out, config, target)


def score_mix(
    source: Store,
    truth: Mapping[str, str],
    work: Path,
    overlap: bool = False,
    leave_one_out: bool = False,
    config: StoryConfig | None = None,
    target: Path | None = None,
) -> dict[str, Any]:
    """Detect and score the articles of ``source`` that ``truth`` knows: the mix as stored (or
    moved into ``target`` with ``overlap``), then each dev topic left out, in stores in ``work``.

    ``source`` itself receives the stories when it is scored as stored.
    """
    config = config or StoryConfig()
    articles = [a for a in source.articles() if a.id in truth]
    shifts = overlap_shifts(articles, truth) if overlap else {}
    if overlap:
        with open_store(target or work / "overlap.db") as moved:
            copy_articles(source, moved, articles, truth, shifts)
            result = _run(moved, truth, config)
        result["overlap_shift_days"] = dict(sorted(shifts.items()))
    else:
        result = _run(source, truth, config)
    if leave_one_out:
        result["leave_one_out"] = [
            _left_out(source, work, articles, truth, shifts, topic, config)
            for topic in sorted(set(truth.values()))
            if not topic.startswith("with:")
        ]
    return result


def truth_of(articles: Sequence[Article], root: Path, extra: Sequence[Path]) -> dict[str, str]:
    truth: dict[str, str] = {}
    for a in articles:
        topic = topic_of(a, root, extra)
        if topic is not None:
            truth[a.id] = topic
    if not truth:
        raise EvaluationError(f"{root}: no articles were read from it")
    return truth


def _run(store: Store, truth: Mapping[str, str], config: StoryConfig) -> dict[str, Any]:
    started = time.perf_counter()
    stories = build_stories(store, full=True, config=config)
    seconds = time.perf_counter() - started
    return score_truth(truth, stories_of(stories), seconds)


def _left_out(
    source: Store,
    tmp: Path,
    articles: Sequence[Article],
    truth: Mapping[str, str],
    shifts: Mapping[str, int],
    topic: str,
    config: StoryConfig,
) -> dict[str, Any]:
    """The mix without ``topic``, in a store of its own."""
    path = tmp / f"without-{topic}.db"
    kept = {i: t for i, t in truth.items() if t != topic}
    with open_store(path) as store:
        copy_articles(source, store, [a for a in articles if a.id in kept], kept, shifts)
        result = _run(store, kept, config)
    return {"left_out": topic, **result}


def overlap_shifts(articles: Sequence[Article], truth: Mapping[str, str]) -> dict[str, int]:
    """Days to move each dev topic by (multiples of 7) so the topics' median dates coincide.

    The meeting day is the median of the topics' medians: no topic is the fixed reference.
    Extra paths (topics ``with:…``) stay where they are.
    """
    days: dict[str, list[int]] = {}
    for a in articles:
        topic = truth.get(a.id)
        if topic is not None and not topic.startswith("with:") and a.published:
            days.setdefault(topic, []).append(a.published.toordinal())
    medians = {t: int(statistics.median_low(d)) for t, d in days.items()}
    if not medians:
        return {}
    meet = int(statistics.median_low(medians.values()))
    return {t: 7 * round((meet - m) / 7) for t, m in medians.items()}


def shift_value(value: str, days: int) -> str:
    """A TIMEX value moved by ``days``: days and weeks exactly, months and years by their middle.

    ``2010-06-15T10:00`` → its day moved; ``2010-W24`` → the week of its Monday moved;
    ``2010-06`` → the month holding its 15th moved; ``2010``, ``2010-SU``, ``2010-Q2`` → the
    year holding its 1 July moved. Durations, ``PRESENT_REF`` and underspecified values
    (``XXXX-06``, ``201X``) stay as they are.
    """
    if not days:
        return value
    try:
        if m := _DAY.match(value):
            moved = date(int(m[1]), int(m[2]), int(m[3])) + timedelta(days)
            return moved.isoformat() + value[m.end() :]
        if m := _WEEK.match(value):
            year, week, _ = (
                date.fromisocalendar(int(m[1]), int(m[2]), 1) + timedelta(days)
            ).isocalendar()
            return f"{year:04d}-W{week:02d}" + value[m.end() :]
        if m := _MONTH.match(value):
            moved = date(int(m[1]), int(m[2]), 15) + timedelta(days)
            return f"{moved.year:04d}-{moved.month:02d}" + value[m.end() :]
        if m := _YEAR.match(value):
            moved = date(int(m[1]), 7, 1) + timedelta(days)
            return f"{moved.year:04d}" + value[m.end() :]
    except ValueError:  # a value no calendar has (month 13, week 60): left as tagged
        return value
    return value


def copy_articles(
    source: Store,
    target: Store,
    articles: Sequence[Article],
    truth: Mapping[str, str],
    shifts: Mapping[str, int],
) -> None:
    """Write ``articles`` with their sentences and expressions into ``target``, each moved by
    its topic's shift (publication date and TIMEX values)."""
    for start in range(0, len(articles), 900):
        chunk = articles[start : start + 900]
        ids = [a.id for a in chunk]
        sentences, timexes = source.sentences(ids), source.timexes(ids)
        for a in chunk:
            days = shifts.get(truth.get(a.id, ""), 0)
            published = a.published + timedelta(days) if a.published and days else a.published
            moved: list[TimeExpression] = [
                replace(t, value=shift_value(t.value, days)) for t in timexes.get(a.id, [])
            ]
            target.add_article(replace(a, published=published), sentences.get(a.id, []), moved)


def stories_of(stories: Sequence[Any]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.article_ids}


def score_truth(
    truth: Mapping[str, str], found_all: Mapping[str, str], seconds: float = 0.0
) -> dict[str, Any]:
    """The figures of the ``eval stories`` contract for the articles ``truth`` knows."""
    found = {i: found_all[i] for i in truth}
    b, p = bcubed(truth, found), pairwise(truth, found)
    return {
        "articles": len(truth),
        "stories_true": len(set(truth.values())),
        "stories_found": len(set(found.values())),
        "bcubed": b.as_dict(),
        "pairwise": p.as_dict(),
        "seconds": round(seconds, 3),
    }


def score(
    found_all: dict[str, str],
    articles: Sequence[Article],
    root: Path,
    extra: Sequence[Path],
    seconds: float = 0.0,
) -> dict[str, Any]:
    """The figures of the ``eval stories`` contract for articles read from the given paths."""
    return score_truth(truth_of(articles, root, extra), found_all, seconds)


def describe_stories(stories: Sequence[Story], top: int = 10) -> dict[str, Any]:
    """Without gold: how big the stories are, and the largest ones with their labels.

    Sizes are bucketed (1, 2–4, 5–19, 20–99, 100+) so one giant story stands out at a glance.
    """
    sizes = sorted((len(s.article_ids) for s in stories), reverse=True)
    buckets = Counter(_bucket(n) for n in sizes)
    largest = sorted(stories, key=lambda s: (-len(s.article_ids), s.id))[:top]
    total = sum(sizes)
    return {
        "articles": total,
        "stories": len(sizes),
        "largest_share": round(sizes[0] / total, 4) if total else 0.0,
        "size_buckets": {k: buckets.get(k, 0) for k in ("1", "2-4", "5-19", "20-99", "100+")},
        "largest": [
            {
                "articles": len(s.article_ids),
                "label": s.label,
                "first": s.first.isoformat() if s.first else None,
                "last": s.last.isoformat() if s.last else None,
            }
            for s in largest
        ],
    }


def _bucket(n: int) -> str:
    if n == 1:
        return "1"
    if n < 5:
        return "2-4"
    if n < 20:
        return "5-19"
    return "20-99" if n < 100 else "100+"


def describe_paths(
    paths: Sequence[str | Path], db: str | Path | None = None, config: StoryConfig | None = None
) -> dict[str, Any]:
    """Ingest ``paths`` (no gold needed), build the stories and describe them."""
    for path in paths:
        if not Path(path).exists():
            raise EvaluationError(f"{path}: no such file or folder")
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        target = Path(db) if db is not None else Path(tmp) / "eval.db"
        with Corpus(target) as corpus:
            corpus.ingest([str(p) for p in paths])
            started = time.perf_counter()
            stories = build_stories(corpus.store, full=True, config=config or StoryConfig())
            seconds = time.perf_counter() - started
    return {**describe_stories(stories), "seconds": round(seconds, 3)}


__all__ = [
    "describe_paths",
    "describe_stories",
    "evaluate_stories",
    "overlap_shifts",
    "score",
    "score_mix",
    "score_truth",
    "shift_value",
    "topic_of",
    "truth_of",
]
