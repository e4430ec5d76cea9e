"""Sentences glued without a space, and publishers' calls to the reader, on real web text: how
many, what splitting costs, and what both change in timelines.

Usage::

    .venv/bin/python bench/bench_glued.py [--baseline daa3163]

Why: news-please and web pages join paragraphs the page kept apart by markup ("...rose 0.4
percent.The Stoxx Europe 600 Index..."); nupunkt breaks only after a space, so the glued
paragraphs were one sentence, and a timeline entry showed several headlines run together.
``text.sentences.split_sentences`` now splits them (``_unglue``). And a publisher's calls to
the reader ("Sign up for China Rising, a weekly email…", "For more articles like this, please
visit us at bloomberg.com", "… click here") were cited as what happened on a day; the timeline's
sentence quality now treats them as debris (``timeline.sentences.is_debris``).

It prints and writes to ``bench/results/glued.json``:

- ``texts``: of every finance-news record (the ``.json.xz`` files as shipped), every
  Timeline17 article and the seeds, how many texts and sentences the split changes, and the
  cost of ``split_sentences`` per text beside the splitting without it, timed in the same run;
- ``timelines``: finance-news 2019 ingested (stories and their stored timelines built) by this
  checkout and by ``--baseline`` (the code before) in child processes: the timelines' cited
  sentences, how many of them hold a glued sentence end, and how many are calls to the reader.

Skipped, saying why, without ``../shared/data``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = ROOT / "bench" / "results" / "glued.json"
sys.path.insert(0, str(ROOT / "bench"))

from baseline_src import archived_src, run_worker  # noqa: E402
from bench_link_lists import finance_texts  # noqa: E402

_WORKER = """
import json, sys, tempfile
from pathlib import Path
from storyline.corpus import Corpus
from storyline.records import Timeline
with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "s.db") as corpus:
    corpus.ingest(sys.argv[1:])
    cited = []
    for story in corpus.store.stories():
        stored = corpus.store.load_timeline(story.id, "default")
        if stored is not None:
            timeline = Timeline.from_dict(stored)
            cited += [c.text for e in timeline.entries for c in e.sentences]
print(json.dumps(cited))
"""


def _cited(src: Path, paths: list[str]) -> list[str]:
    """The sentences cited by every stored story timeline after ingesting ``paths`` with ``src``."""
    return list(run_worker(src, _WORKER, *paths))


def _glued(text: str) -> bool:
    from storyline.text.sentences import _glued_cuts

    return bool(_glued_cuts(text, 0, len(text)))


def _promotion(text: str) -> bool:
    from storyline.timeline.sentences import is_call_to_the_reader

    return is_call_to_the_reader(text)


def _texts() -> dict[str, Any]:
    """Texts and sentences the split changes, per corpus, and its cost per finance text."""
    from storyline.text.sentences import _split, split_sentences

    corpora = {
        "finance-news": finance_texts(10**9),
        "t17": [
            p.read_text(encoding="utf-8", errors="replace")
            for p in sorted((DATA / "t17").glob("*/InputDocs/*/*.txt"))
        ],
        "seeds": [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))],
    }
    out: dict[str, Any] = {}
    for name, texts in corpora.items():
        before = [len(_split("a", t)) for t in texts]
        after = [len(split_sentences("a", t)) for t in texts]
        out[name] = {
            "texts": len(texts),
            "texts_changed": sum(a != b for a, b in zip(after, before, strict=True)),
            "sentences_before": sum(before),
            "sentences_added": sum(after) - sum(before),
        }
    finance = corpora["finance-news"]
    began = time.process_time()
    for t in finance:
        _split("a", t)
    plain = time.process_time() - began
    began = time.process_time()
    for t in finance:
        split_sentences("a", t)
    split = time.process_time() - began
    n = max(len(finance), 1)
    out["cost"] = {
        "split_microseconds_per_finance_text": round(split / n * 1e6, 1),
        "without_unglue_microseconds_per_finance_text": round(plain / n * 1e6, 1),
        "ratio": round(split / plain, 3) if plain else None,
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="daa3163", help="git revision: the code before")
    args = parser.parse_args()
    if not (DATA / "finance-news").is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo, not in it)")
        return
    out: dict[str, Any] = {"baseline_rev": args.baseline, "texts": _texts()}
    print(json.dumps(out["texts"], indent=1), flush=True)
    paths = [str(DATA / "finance-news" / "2019_processed.json.xz")]
    with tempfile.TemporaryDirectory() as tmp:
        old, complaint = archived_src(args.baseline, tmp)
        if old is None:
            raise SystemExit(f"baseline {args.baseline}: {complaint}")
        ours, base = _cited(ROOT / "src", paths), _cited(old, paths)
    glued_ours = [s for s in ours if _glued(s)]
    glued_base = [s for s in base if _glued(s)]
    out["timelines"] = {
        "corpus": "finance-news 2019",
        "cited_sentences": len(ours),
        "baseline_cited_sentences": len(base),
        "cited_with_a_glued_end": len(glued_ours),
        "baseline_cited_with_a_glued_end": len(glued_base),
        "baseline_examples": [s[:160] for s in glued_base[:5]],
        "remaining_examples": [s[:160] for s in glued_ours[:5]],
        "cited_calls_to_the_reader": sum(map(_promotion, ours)),
        "baseline_cited_calls_to_the_reader": sum(map(_promotion, base)),
        "baseline_calls_examples": sorted({s[:120] for s in base if _promotion(s)})[:6],
    }
    print(json.dumps(out["timelines"], indent=1), flush=True)
    out["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
