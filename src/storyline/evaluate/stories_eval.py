"""``storyline eval stories``: score story detection against the topics of a Timeline17 folder.

Why topics: in Timeline17 layout (``<Topic>_<source>/InputDocs/<date>/<n>.htm.txt``) every
article belongs to one running story, its topic — the folder name before ``_`` (so
``bpoil_bbc`` and ``bpoil_guardian`` are one story). The harness ingests the folder (and any
extra paths, each of which is one story of its own, e.g. the seeds) into a temporary store,
rebuilds the stories with the topics hidden (the detector never sees paths), and scores the
grouping with B-cubed and pairwise precision/recall/F1.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyline.corpus import Corpus
from storyline.errors import EvaluationError
from storyline.evaluate.clustering import bcubed, pairwise
from storyline.records import Article
from storyline.stories.detect import build_stories


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
    folder: str | Path, extra: Sequence[str | Path] = (), db: str | Path | None = None
) -> dict[str, Any]:
    """Ingest ``folder`` (+ ``extra``) into ``db`` (a temporary store by default), detect, score."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise EvaluationError(f"{folder}: not a folder in Timeline17 layout")
    others = [Path(p).resolve() for p in extra]
    for path in others:
        if not path.exists():
            raise EvaluationError(f"{path}: no such file or folder")
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        target = Path(db) if db is not None else Path(tmp) / "eval.db"
        with Corpus(target) as corpus:
            corpus.ingest([str(root), *map(str, others)])
            started = time.perf_counter()
            stories = build_stories(corpus.store, full=True)
            seconds = time.perf_counter() - started
            articles = corpus.store.articles()
    return score(stories_of(stories), articles, root, others, seconds)


def stories_of(stories: Sequence[Any]) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.article_ids}


def score(
    found_all: dict[str, str],
    articles: Sequence[Article],
    root: Path,
    extra: Sequence[Path],
    seconds: float = 0.0,
) -> dict[str, Any]:
    """The figures of the ``eval stories`` contract for articles read from the given paths."""
    truth: dict[str, str] = {}
    for a in articles:
        topic = topic_of(a, root, extra)
        if topic is not None:
            truth[a.id] = topic
    if not truth:
        raise EvaluationError(f"{root}: no articles were read from it")
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


__all__ = ["evaluate_stories", "score", "topic_of"]
