"""How far story detection could go on a mix with one topic left out: the small stories' ceiling.

Usage::

    .venv/bin/python bench/stories_ceiling.py [--leave bpoil] [--db T17_AND_SEEDS_STORE]

Why: without bpoil the Timeline17 mix scores B-cubed F1 0.922 with precision 0.97; the loss is
recall, dozens of found stories of one to three articles. This asks what attaching them would
give, with an oracle that knows the gold: every found story of at most ``k`` articles is merged
into its gold topic's largest found story. If even that stays below the bar, the bar asks for
attaching pages that tell something else (off-topic pages filed under a topic), not for
better detection. Prints the figures and writes ``bench/results/stories_ceiling.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from storyline.corpus import Corpus
from storyline.evaluate.stories_eval import copy_articles, score_truth, stories_of, truth_of
from storyline.settings import StoryConfig
from storyline.store import open_store
from storyline.stories.detect import build_stories

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
SEEDS = DATA.parents[1] / "seeds"
OUT = Path(__file__).resolve().parent / "results" / "stories_ceiling.json"
SIZES = (1, 2, 3, 5, 10)


def absorbed(found: dict[str, str], truth: dict[str, str], k: int) -> dict[str, str]:
    """``found`` with every story of at most ``k`` articles merged into its gold topic's largest
    story (the topic most of its articles belong to)."""
    size = Counter(found.values())
    topics: dict[str, Counter[str]] = defaultdict(Counter)
    for article, story in found.items():
        topics[story][truth[article]] += 1
    largest: dict[str, str] = {}
    for story, counts in topics.items():
        topic = counts.most_common(1)[0][0]
        if topic not in largest or size[story] > size[largest[topic]]:
            largest[topic] = story
    return {
        a: largest[topics[s].most_common(1)[0][0]] if size[s] <= k else s for a, s in found.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leave", default="bpoil", help="the topic left out of the mix")
    parser.add_argument("--db", default="", help="a store of T17 and the seeds (else ingested)")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} is absent: the evaluation data lives beside the repository")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(args.db) if args.db else Path(tmp) / "t17.db"
        with Corpus(source) as corpus:
            if not corpus.store.count_articles():
                corpus.ingest([str(DATA), str(SEEDS)])
            articles = corpus.store.articles()
            truth = truth_of(articles, DATA, [SEEDS])
            kept = {i: t for i, t in truth.items() if t != args.leave}
            with open_store(Path(tmp) / "mix.db") as mix:
                copy_articles(corpus.store, mix, [a for a in articles if a.id in kept], kept, {})
                found = stories_of(build_stories(mix, full=True, config=StoryConfig()))
    figures = {
        "left_out": args.leave,
        "now": score_truth(kept, found)["bcubed"],
        "absorbed": {k: score_truth(kept, absorbed(found, kept, k))["bcubed"] for k in SIZES},
    }
    now = figures["now"]
    print(f"without {args.leave}: B-cubed F1 {now['f1']:.3f} (P {now['precision']:.3f}, "
          f"R {now['recall']:.3f})")  # fmt: skip
    for k, b in figures["absorbed"].items():
        print(f"  stories of <= {k:2d} articles absorbed by the oracle: F1 {b['f1']:.3f}")
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {OUT.name}")


if __name__ == "__main__":
    main()
