"""Web responsiveness: server time to render a 1,500-article story page from its stored timeline.

The store holds Timeline17's bpoil topic (five newsrooms' coverage of the 2010 Gulf oil spill,
1,460 articles after dedupe) as one story — a topic of Timeline17 is one story by construction,
so the figure does not depend on story detection — with its default timeline computed once and
stored, as ``build_stories`` does. The app is driven in-process through httpx's ASGI transport;
each figure is the app's own ``Server-Timing`` (time inside the app, template rendering
included), median and 95th percentile over repeated requests after a warm-up. Baselines in the
same run: ``/stories.json`` (the listing) and a static file (the framework's floor).

Bar: story page < 300 ms. Prints the figures and writes bench/results/web.json.
Usage: ``python bench/bench_web.py [--keep DIR]`` (``--keep`` reuses the store built there).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from storyline.corpus import Corpus
from storyline.records import Story
from storyline.timeline import build_timeline
from storyline.web import create_app

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
RESULTS = Path(__file__).resolve().parent / "results" / "web.json"
TOPIC = "bpoil"
STORY_ID = "t17-bpoil"
REPEAT = 30
WARMUP = 3
BAR_MS = 300.0


def build_store(db: Path) -> dict[str, Any]:
    """Ingest the topic, store it as one story with its default timeline; seconds per step.

    Steps already done in a kept store are not redone (``--keep`` while iterating).
    """
    folders = sorted(str(p) for p in DATA.glob(f"{TOPIC}_*"))
    out: dict[str, Any] = {}
    with Corpus(db) as corpus:
        if corpus.store.count_articles() == 0:
            start = time.perf_counter()
            corpus.ingest(folders)
            out["ingest_seconds"] = round(time.perf_counter() - start, 1)
        if corpus.store.load_timeline(STORY_ID, "default") is None:
            articles = corpus.articles()
            ids = [a.id for a in articles]
            dated = [a.published for a in articles if a.published]
            label = "BP oil spill (Timeline17 bpoil)"
            corpus.store.save_stories([Story(STORY_ID, label, ids, min(dated), max(dated))])
            start = time.perf_counter()
            timeline = build_timeline(corpus.store, ids, title=label)
            out["timeline_build_seconds"] = round(time.perf_counter() - start, 2)
            corpus.store.save_timeline(STORY_ID, "default", timeline.as_dict())
    return out


async def measure(
    app: Any, urls: dict[str, str], repeat: int = REPEAT, warmup: int = WARMUP
) -> dict[str, dict[str, float]]:
    """Server-Timing of each URL: median and p95 (ms) over ``repeat`` requests after warm-up."""
    transport = httpx.ASGITransport(app=app)
    out: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for name, url in urls.items():
            times = []
            for i in range(warmup + repeat):
                response = await client.get(url)
                response.raise_for_status()
                server_ms = float(response.headers["server-timing"].split("dur=")[1])
                if i >= warmup:
                    times.append(server_ms)
            times.sort()
            out[name] = {
                "url": url,  # type: ignore[dict-item]
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
                "bytes": len(response.content),
            }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the store in this folder and reuse it")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "web-bpoil.db"
        build = build_store(db) or {"reused_store": True}
        app = create_app(db)
        with Corpus(db, read_only=True) as corpus:
            story = corpus.store.get_story(STORY_ID)
            longest = max(corpus.articles(), key=lambda a: len(a.text))
        urls = {
            "story_page": f"/stories/{STORY_ID}",
            "story_json": f"/stories/{STORY_ID}.json",
            "stories_json": "/stories.json",
            "stories_page": "/",
            "article_page_longest": f"/articles/{longest.id}",
            "search_json": "/search.json?q=oil+spill",
            "static_file": "/static/style.css",
        }
        timings = asyncio.run(measure(app, urls))
        # For reference, not the bar: a timeline of another size, computed on request.
        computed = {"story_page_computed": f"/stories/{STORY_ID}?dates=10&per_date=2"}
        timings.update(asyncio.run(measure(app, computed, repeat=3, warmup=0)))
        app.state.pool.close()
    story_ms = timings["story_page"]["median_ms"]
    figures = {
        "data": f"Timeline17 {TOPIC} (../shared/data/t17), one story",
        "story_articles": len(story.article_ids),
        "build": build,
        "repeat": REPEAT,
        "timings": timings,
        "story_page_median_ms": story_ms,
        "bar_ms": BAR_MS,
        "meets_bar": story_ms < BAR_MS,
        "ratio_story_page_vs_stories_json": round(
            story_ms / timings["stories_json"]["median_ms"], 2
        ),
        "ratio_story_page_vs_static_file": round(story_ms / timings["static_file"]["median_ms"], 2),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"story of {figures['story_articles']} articles, server time (median / p95 ms):")
    for name, t in timings.items():
        print(f"  {name:22} {t['median_ms']:8.2f} / {t['p95_ms']:8.2f}   {t['url']}")
    verdict = "meets" if figures["meets_bar"] else "MISSES"
    print(f"story page {story_ms:.1f} ms {verdict} the {BAR_MS:.0f} ms bar; wrote {RESULTS}")
    return 0 if figures["meets_bar"] else 1


if __name__ == "__main__":
    sys.exit(main())
