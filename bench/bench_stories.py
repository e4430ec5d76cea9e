"""Story detection: quality on T17, rebuild-vs-incremental agreement, and speed at 5k and 50k.

Prints the figures and writes ``bench/results/stories.json``. Usage::

    .venv/bin/python bench/bench_stories.py

Stores are built once into ``$STORYLINE_BENCH_CACHE`` (default ``/tmp/storyline-bench``) and
reused, since the machine is shared:

- ``t17.db``: all of ../shared/data/t17 through the real ingest (``Corpus.ingest``).
- ``stories-5k.db`` / ``stories-50k.db``: **replays** of the T17 store. Copy *k* takes every
  stored T17 article with its sentences and time expressions, shifts its publication date and
  every absolute date value by 3·k years, and appends a marker line ``[#000k]`` to its text,
  which changes the content hash so dedupe keeps the copy (the marker has no letters, so the
  story features do not see it). Copies are written with ``Store.add_article`` (no re-tagging:
  tagging 50,000 articles would take the shared machine most of an hour) and carry no MinHash,
  so none is linked as a near-duplicate of its original.

Concurrent stories (issue 11): the T17 store plus the seeds is scored as it is and as the
*overlap mix* (each topic moved by whole weeks so that the topics' median dates coincide; see
``storyline.evaluate.stories_eval``), each also with every topic left out once. Finance-news
(../shared/data/finance-news, 2017 and 2018, real news-please records, no gold) is decompressed
into the cache, ingested once, and described: story sizes and the ten largest stories' labels.

Speed bars: stories for 5,000 articles (a full build) under 10 s; placing 100 new articles in
a 50,000-article store that has stories under 2 s. That figure is **the story stage alone**
(``add_articles``: vectorise, assign, merge, save the stories), on articles already stored and
tagged: it leaves out reading, tagging, MinHash, redating and refreshing the touched stories'
timelines. What a user waits for after ``storyline ingest`` of 100 articles, all of those
through ``Corpus.ingest``, is measured by ``bench/bench_scale.py`` (``plus100``). Each is reported beside a baseline measured
in the same run: for the 5k build, reading the articles from the store plus scikit-learn's
TfidfVectorizer over their texts (vectorising alone, no grouping); for the incremental run,
reading the store's existing stories (the least any incremental run must do).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from storyline import stories as stories_pkg
from storyline.corpus import Corpus
from storyline.evaluate.clustering import bcubed
from storyline.evaluate.stories_eval import describe_stories, score, score_mix, truth_of
from storyline.records import Article, TimeExpression
from storyline.settings import StoryConfig
from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore
from storyline.stories.detect import add_articles, build_stories
from storyline.text.dedupe import article_id_from_hash, content_hash

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
SEEDS = DATA.parents[1] / "seeds"
FINANCE = DATA.parent / "finance-news"
RESULTS = Path(__file__).resolve().parent / "results" / "stories.json"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))
YEARS_PER_COPY = 3
_YEAR = re.compile(r"^\d{4}")


def _shift(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _shift_value(value: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(0)) + years), value, count=1)


def t17_store() -> Path:
    """The T17 store, ingested once through the real pipeline."""
    path = CACHE / "t17.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print("ingesting T17 once into", path, flush=True)
        with Corpus(path.with_suffix(".tmp.db")) as corpus:
            corpus.ingest([str(DATA)])
        path.with_suffix(".tmp.db").rename(path)
    return path


class Replayer:
    """Writes date-shifted, marked copies of the T17 articles into another store."""

    def __init__(self, source: Store) -> None:
        self.articles = source.articles()
        ids = [a.id for a in self.articles]
        self.sentences = source.sentences(ids)
        self.timexes = source.timexes(ids)

    def copy(self, target: Store, k: int, limit: int | None = None, step: int = 1) -> list[str]:
        years = YEARS_PER_COPY * k
        written = []
        for a in self.articles[::step][:limit]:
            text = f"{a.text}\n\n[#{k:04d}]"
            digest = content_hash(text)
            new_id = article_id_from_hash(digest)
            article = Article(
                id=new_id,
                text=text,
                title=a.title,
                source=f"replay{k}:{a.source}",
                published=_shift(a.published, years),
                date_source=a.date_source,
                language=a.language,
                content_hash=digest,
            )
            sentences = [
                type(s)(new_id, s.index, s.text, s.start, s.end) for s in self.sentences[a.id]
            ]
            timexes = [
                TimeExpression(
                    t.start,
                    t.end,
                    t.text,
                    t.type,
                    _shift_value(t.value, years),
                    t.mod,
                    new_id,
                    t.sentence_index,
                )
                for t in self.timexes[a.id]
            ]
            target.add_article(article, sentences, timexes, None)
            written.append(new_id)
        return written


def replay_store(path: Path, replayer: Replayer, total: int) -> Path:
    """A store of exactly ``total`` articles: copies 0, 1, 2 … of T17, built once."""
    if path.exists():
        return path
    print(f"building {path} ({total} articles, replayed T17) once", flush=True)
    tmp = path.with_suffix(".tmp.db")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    with SQLiteStore(tmp) as store:
        k = 0
        while store.count_articles() < total:
            left = total - store.count_articles()
            replayer.copy(store, k, limit=left)
            k += 1
    tmp.rename(path)
    return path


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def timed_cpu(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """Wall and CPU seconds: the machine is shared, so wall time includes waiting for a core."""
    cpu = time.process_time()
    out, wall = timed(fn, *args, **kwargs)
    return out, wall, time.process_time() - cpu


def detector_fingerprint() -> str:
    """Changes when the detector's code or settings change (then cached stories are rebuilt)."""
    digest = hashlib.sha256()
    for path in sorted((Path(stories_pkg.__file__).parent).glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(repr(StoryConfig()).encode())
    return digest.hexdigest()[:16]


def quality_and_agreement(t17: Path, replayer: Replayer) -> dict[str, Any]:
    """T17 scores of a full build, and how far batches of 100 on top of a half build differ."""
    with SQLiteStore(t17, read_only=True) as source:
        articles = source.articles()
    full_path = CACHE / "agree-full.db"
    shutil.copy(t17, full_path)
    with SQLiteStore(full_path) as store:
        full, full_seconds = timed(build_stories, store, full=True)
    _cleanup(full_path)
    found_full = {a: s.id for s in full for a in s.article_ids}
    quality = score(found_full, articles, DATA.resolve(), [], full_seconds)
    inc_path = CACHE / "agree-incremental.db"
    _cleanup(inc_path)
    half = len(articles) // 2
    with SQLiteStore(inc_path) as store:
        _insert(store, replayer, articles[:half])
        build_stories(store, full=True)
        for start in range(half, len(articles), 100):
            ids = _insert(store, replayer, articles[start : start + 100])
            incremental = add_articles(store, ids)
    _cleanup(inc_path)
    found_inc = {a: s.id for s in incremental for a in s.article_ids}
    agreement = bcubed(found_full, found_inc)
    same_id = sum(found_full[a] == found_inc[a] for a in found_full) / len(found_full)
    inc_quality = score(found_inc, articles, DATA.resolve(), [])
    return {
        "t17_full_build": quality,
        "t17_incremental": {
            "how": f"full build on the first {half} articles in publication order, then "
            f"{len(range(half, len(articles), 100))} incremental runs of 100",
            "bcubed": inc_quality["bcubed"],
            "pairwise": inc_quality["pairwise"],
            "stories_found": inc_quality["stories_found"],
        },
        "rebuild_vs_incremental": {
            "bcubed": agreement.as_dict(),
            "same_story_id_share": round(same_id, 4),
        },
    }


def _insert(store: Store, replayer: Replayer, articles: list[Article]) -> list[str]:
    """Copy these T17 articles unchanged (copy 0 is the original text and date)."""
    for a in articles:
        sentences = replayer.sentences[a.id]
        store.add_article(a, sentences, replayer.timexes[a.id], None)
    return [a.id for a in articles]


def _paths(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def _cleanup(path: Path) -> None:
    for p in _paths(path):
        p.unlink(missing_ok=True)


def speed_5k(replayer: Replayer) -> dict[str, Any]:
    path = replay_store(CACHE / "stories-5k.db", replayer, 5000)
    with SQLiteStore(path) as store:
        articles, read_seconds = timed(store.articles)
        from sklearn.feature_extraction.text import TfidfVectorizer

        _, tfidf_seconds = timed(
            TfidfVectorizer(stop_words="english").fit_transform, [a.text for a in articles]
        )
        stories, seconds, cpu = timed_cpu(build_stories, store, full=True)
    baseline = read_seconds + tfidf_seconds
    return {
        "articles": len(articles),
        "stories": len(stories),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "bar_seconds": 10.0,
        "baseline": "read the articles from the store + scikit-learn TfidfVectorizer on them",
        "baseline_seconds": round(baseline, 3),
        "ratio_to_baseline": round(seconds / baseline, 2),
    }


STAGE_ONLY = (
    "the story stage alone (add_articles on stored, tagged articles): no reading, tagging, "
    "MinHash, redating or timeline refresh; the full Corpus.ingest path is bench_scale.py's plus100"
)


def speed_50k(replayer: Replayer) -> dict[str, Any]:
    path = replay_store(CACHE / "stories-50k.db", replayer, 50_000)
    built = CACHE / "stories-50k.build.json"
    fingerprint = detector_fingerprint()
    if not built.exists() or json.loads(built.read_text()).get("detector") != fingerprint:
        print("building stories on the 50k store (once per detector version)", flush=True)
        with SQLiteStore(path) as store:
            stories, seconds, cpu = timed_cpu(build_stories, store, full=True)
        built.write_text(
            json.dumps(
                {"seconds": seconds, "cpu": cpu, "stories": len(stories), "detector": fingerprint}
            )
        )
    full_build = json.loads(built.read_text())
    work = CACHE / "stories-50k.work.db"
    _cleanup(work)
    shutil.copy(path, work)
    with SQLiteStore(work) as store:
        before = store.count_articles()
        ids = replayer.copy(store, 90, limit=100, step=25)  # 100 articles spread over T17
        _, read_seconds = timed(store.stories)
        stories, seconds, cpu = timed_cpu(add_articles, store, ids)
        placed = sum(len(set(ids) & set(s.article_ids)) for s in stories)
    _cleanup(work)
    return {
        "measures": STAGE_ONLY,
        "articles_before": before,
        "articles_added": len(ids),
        "articles_placed": placed,
        "stories": len(stories),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "bar_seconds": 2.0,
        "baseline": "reading the store's stories and assignments (Store.stories)",
        "baseline_seconds": round(read_seconds, 3),
        "ratio_to_baseline": round(seconds / read_seconds, 2),
        "full_rebuild_of_50k_seconds": round(full_build["seconds"], 2),
        "full_rebuild_of_50k_cpu_seconds": round(full_build.get("cpu", 0.0), 2),
    }


def concurrency(t17: Path) -> dict[str, Any]:
    """B-cubed/pairwise on the T17 mix + seeds and on its overlap mix, each with every topic
    left out once; and whether the seeds form one story of their own in each full mix."""
    import tempfile

    path = CACHE / "t17-seeds.db"
    if not path.exists():
        shutil.copy(t17, path.with_suffix(".tmp.db"))
        with Corpus(path.with_suffix(".tmp.db")) as corpus:
            corpus.ingest([str(SEEDS)])
        path.with_suffix(".tmp.db").rename(path)
    out: dict[str, Any] = {}
    for name, overlap in (("dev_mix", False), ("overlap_mix", True)):
        with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
            work = Path(tmp) / "mix.db"
            shutil.copy(path, work)
            with SQLiteStore(work) as store:
                truth = truth_of(store.articles(), DATA.resolve(), [SEEDS.resolve()])
                result = score_mix(
                    store, truth, Path(tmp), overlap, True, target=work.with_suffix(".o.db")
                )
                scored = work.with_suffix(".o.db") if overlap else work
            with SQLiteStore(scored, read_only=True) as store:
                stories = store.stories()
        seeds = {i for i, t in truth.items() if t.startswith("with:")}
        holders = [set(s.article_ids) for s in stories if seeds & set(s.article_ids)]
        result["seeds_one_story_of_their_own"] = len(holders) == 1 and holders[0] == seeds
        out[name] = result
    return out


def finance() -> dict[str, Any]:
    """Finance-news 2017–18 (no gold): story sizes and the ten largest stories' labels."""
    import lzma

    path = CACHE / "finance-2017-18.db"
    if not path.exists():
        files = []
        for year in (2017, 2018):
            plain = CACHE / f"finance-{year}.json"
            plain.write_bytes(lzma.decompress((FINANCE / f"{year}_processed.json.xz").read_bytes()))
            files.append(str(plain))
        with Corpus(path.with_suffix(".tmp.db")) as corpus:
            corpus.ingest(files)
        path.with_suffix(".tmp.db").rename(path)
    work = CACHE / "finance-work.db"
    _cleanup(work)
    shutil.copy(path, work)
    with SQLiteStore(work) as store:
        stories, seconds = timed(build_stories, store, full=True)
    _cleanup(work)
    return {
        "data": "finance-news 2017 + 2018 (news-please records from finance.yahoo.com; Drinkall "
        "et al., CC BY-NC-SA 4.0), ingested as given; no gold labels",
        **describe_stories(stories),
        "seconds": round(seconds, 3),
    }


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo)")
        return 0
    t17 = t17_store()
    with SQLiteStore(t17, read_only=True) as source:
        replayer = Replayer(source)
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "data": "Timeline17, 5 topics (../shared/data/t17), 2,567 stored articles",
        "large_stores": "T17 replayed: copy k shifts dates by 3k years and appends a marker "
        "line [#000k] that keeps dedupe from dropping it; written with Store.add_article",
    }
    figures.update(quality_and_agreement(t17, replayer))
    figures["concurrent_stories"] = concurrency(t17)
    if FINANCE.is_dir():
        figures["finance_news"] = finance()
    figures["speed_5k_full_build"] = speed_5k(replayer)
    figures["speed_50k_add_100"] = speed_50k(replayer)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
