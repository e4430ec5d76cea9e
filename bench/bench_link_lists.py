"""Stories on finance-news with and without sites' promoted-link lists as features.

Usage::

    .venv/bin/python bench/bench_link_lists.py [--baseline e432d47]

Why: ``stories.features.without_link_lists`` leaves a heading such as "BGR Top Deals:" and the
headlines under it out of story detection. No gold exists for finance-news, so what it did is
read from the stories themselves: for 2018 alone, 2017-18 and all four years (the ``.json.xz``
files as shipped), each ingested into a fresh store and built in full by this checkout and by
``--baseline`` (the code before the change) in child processes, this prints the story count,
the one-article stories, the five largest with their labels, and the largest story whose label
names Cambridge Analytica or Tesla. It also prints how many Timeline17 and finance-news texts
the function changes (none of Timeline17's, so no T17 figure can move) and its cost per
article. Writes ``bench/results/link_lists.json``; skipped, saying why, without
``../shared/data``.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "link_lists.json"
sys.path.insert(0, str(ROOT / "bench"))

from baseline_src import archived_src  # noqa: E402

CORPORA = {
    "2018": ["2018"],
    "2017-18": ["2017", "2018"],
    "2017-20": ["2017", "2018", "2019", "2020"],
}
KEYWORDS = ("Cambridge Analytica", "Tesla")

_WORKER = """
import json, sys, tempfile
from pathlib import Path
from storyline.corpus import Corpus
from storyline.evaluate.stories_eval import describe_stories
from storyline.settings import StoryConfig
from storyline.stories.detect import build_stories
keywords = json.loads(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "s.db") as corpus:
    corpus.ingest(sys.argv[2:])
    stories = build_stories(corpus.store, full=True, config=StoryConfig())
found = describe_stories(stories, top=5)
found["one_article"] = found["size_buckets"]["1"]
found["named"] = {
    k: max((len(s.article_ids) for s in stories if k in s.label), default=0) for k in keywords
}
print(json.dumps(found))
"""


def _describe(src: Path, paths: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER, json.dumps(KEYWORDS), *paths],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def finance_texts(limit: int) -> list[str]:
    """Every finance-news record's text, cut to ``limit`` characters (as detection reads it)."""
    texts: list[str] = []
    for f in sorted((DATA / "finance-news").glob("*.json.xz")):
        with lzma.open(f) as packed:
            records = json.loads(packed.read())
        records = records if isinstance(records, list) else list(records.values())
        texts += [(r.get("maintext") or r.get("text") or "")[:limit] for r in records]
    return texts


def _texts_changed() -> dict[str, Any]:
    """How many texts the function changes (as story detection reads them) and its cost."""
    from storyline.settings import StoryConfig
    from storyline.stories.features import without_link_lists

    limit = StoryConfig().body_chars
    t17 = [
        p.read_text(encoding="utf-8", errors="replace")[:limit]
        for p in sorted((DATA / "t17").glob("*/InputDocs/*/*.txt"))
    ]
    finance = finance_texts(limit)
    began = time.process_time()
    changed = sum(without_link_lists(t) != t for t in finance)
    micros = (time.process_time() - began) / max(len(finance), 1) * 1e6
    return {
        "t17_texts": len(t17),
        "t17_changed": sum(without_link_lists(t) != t for t in t17),
        "finance_texts": len(finance),
        "finance_changed": changed,
        "microseconds_per_finance_text": round(micros, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="e432d47", help="git revision: the code before")
    args = parser.parse_args()
    if not (DATA / "finance-news").is_dir() or not (DATA / "t17").is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo, not in it)")
        return
    out: dict[str, Any] = {"baseline_rev": args.baseline, "texts": _texts_changed()}
    print(json.dumps(out["texts"]), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        old, complaint = archived_src(args.baseline, tmp)
        if old is None:
            raise SystemExit(f"baseline {args.baseline}: {complaint}")
        for name, years in CORPORA.items():
            paths = [str(DATA / "finance-news" / f"{y}_processed.json.xz") for y in years]
            out[name] = {"ours": _describe(ROOT / "src", paths), "baseline": _describe(old, paths)}
            for side in ("ours", "baseline"):
                d = out[name][side]
                top = ", ".join(f"{s['articles']} {s['label']!r}" for s in d["largest"][:3])
                print(
                    f"{name} {side}: {d['stories']} stories, {d['one_article']} of one article;"
                    f" largest {top}; named {d['named']}",
                    flush=True,
                )
    out["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
