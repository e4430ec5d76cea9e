"""The "Swap…" choices of a large story's dates: read from the date's articles, against the
whole story's pool (what ``Corpus.sentence_choices`` read before).

Usage::

    .venv/bin/python bench/bench_scale_choices.py [--db STORE.db] [--dates 3]

``STORE.db`` is a built store; by default the 100k one ``bench/bench_scale.py`` leaves in its
cache (``$STORYLINE_BENCH_CACHE/scale-100000-built.db``), which ``make bench`` has built by the
time this runs (scripts run in name order). The largest story is taken, and the first ``--dates`` dates of its stored timeline.
Each way runs in a child process of its own, so each peak RSS (``ru_maxrss``: the pages of the
store mapped by a read-only connection count) is that way's alone:

- ``dates``: ``Corpus.sentence_choices`` (today's: only the articles naming the date, or
  published on it or in its follow-up days), wall time per date;
- ``whole``: ``load_pool`` of every member, then ``sentence_choices`` for each date (the former
  reading), wall time per date including the pool's read for the first.

The two ways' choices are compared (they must be equal). Prints the figures and writes them to
``bench/results/choices.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "choices.json"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))


def measure(db: str, way: str, dates: int) -> dict[str, Any]:
    """One way's times, choices and peak RSS (run in a child process)."""
    from storyline.corpus import DEFAULT_TIMELINE, Corpus
    from storyline.timeline.candidates import load_pool
    from storyline.timeline.choices import sentence_choices

    with Corpus(db, read_only=True) as corpus:
        story, size = corpus.store.story_page(1)[0]
        stored = corpus.store.load_timeline(story.id, DEFAULT_TIMELINE) or {"entries": []}
        labels = [e["date"] for e in stored["entries"]][:dates]
        seconds, chosen = [], []
        pool = None
        for label in labels:
            start = time.perf_counter()
            if way == "dates":
                found = corpus.sentence_choices(story.id, label)
            else:
                if pool is None:
                    pool = load_pool(corpus.store, corpus.store.get_story(story.id).article_ids)
                found = sentence_choices(pool, label, corpus.config.timeline)
            seconds.append(round(time.perf_counter() - start, 3))
            chosen.append([[c.article_id, c.sentence_index] for c in found])
    return {
        "story": story.id,
        "articles": size,
        "dates": labels,
        "seconds": seconds,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "choices": chosen,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(CACHE / "scale-100000-built.db"))
    parser.add_argument("--dates", type=int, default=3)
    parser.add_argument("--way", choices=["dates", "whole"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not Path(args.db).is_file():
        sys.exit(f"{args.db}: no built store there (bench/bench_scale.py makes one)")
    if args.way:
        print(json.dumps(measure(args.db, args.way, args.dates)))
        return
    out: dict[str, Any] = {"db": args.db, "load_average_at_start": os.getloadavg()}
    for way in ("dates", "whole"):
        done = subprocess.run(
            [sys.executable, __file__, "--db", args.db, "--dates", str(args.dates), "--way", way],
            capture_output=True,
            text=True,
            check=True,
        )
        out[way] = json.loads(done.stdout)
        print(
            f"{way}: {out[way]['articles']} articles, dates {out[way]['dates']}:"
            f" {out[way]['seconds']} s, peak RSS {out[way]['peak_rss_mb']} MB",
            flush=True,
        )
    out["same_choices"] = out["dates"]["choices"] == out["whole"]["choices"]
    for way in ("dates", "whole"):
        del out[way]["choices"]
    out["load_average_at_end"] = os.getloadavg()
    print(f"same choices: {out['same_choices']}")
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
