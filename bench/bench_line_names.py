"""Story labels on finance-news when a name that runs over a line end is no label candidate.

Usage::

    .venv/bin/python bench/bench_line_names.py [--baseline 72c4f7d]

Why: ``stories.features.names_in`` joins capitalised words across any whitespace, line ends
included, so on pages that keep one paragraph a line a handle and the line under it became one
"name" ("BrianSozzi\\nRead", "TipRanks Billionaire Ray Dalio Picks" from an outlet's name over a
headline), and labels showed them. ``stories.labels.story_names`` now drops, from the label
candidates of a text that is not hard-wrapped, every name not written on one line. Detection
reads the names as before, so the stories must be the same articles; only labels may change.

For 2017-18 and all four years (the ``.json.xz`` files as shipped), each ingested into a fresh
store and built in full by this checkout and by ``--baseline`` (the code before) in child
processes, this prints the story count (which must not change), how many labels changed, how
many hold a line end, and the changed labels of the largest stories. It also gives the cost of
the check per finance-news text, and ``detection_variant``: what ending every name at a line end
in detection too did to the stories (measured 2026-12-05 on a branch not kept; it merged them).
Writes ``bench/results/line_names.json``; skipped, saying why, without ``../shared/data``.
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
RESULTS = ROOT / "bench" / "results" / "line_names.json"
sys.path.insert(0, str(ROOT / "bench"))

from baseline_src import archived_src, run_worker  # noqa: E402
from bench_link_lists import finance_texts  # noqa: E402

CORPORA = {"2017-18": ["2017", "2018"], "2017-20": ["2017", "2018", "2019", "2020"]}

DETECTION_VARIANT = {
    "what": "names_in ending every name at a line end (unless hard-wrapped), detection included",
    "measured_at": "2026-12-05 15:40 UTC",
    "baseline_rev": "72c4f7d",
    "finance_texts_whose_names_change": "1,670 of 4,253; Timeline17 0 of 2,579",
    "2018": "64 stories (49 of one article) against 69 (47); largest 122 'Android · Twitter ·"
    " Microsoft' against 147; Cambridge Analytica story 23 against 34; Tesla 43 (with the NTSB)"
    " against 11",
    "2017-18": "206 stories (143 of one article) against 312 (235); 76 'Elon Musk · SpaceX ·"
    " Tesla' (two companies' stories merged)",
    "2017-20": "1,098 stories against 1,081; largest 407 against 396",
    "verdict": "not kept: the glued headline 'names' were holding stories apart",
}

_WORKER = """
import json, sys, tempfile
from pathlib import Path
from storyline.corpus import Corpus
from storyline.settings import StoryConfig
from storyline.stories.detect import build_stories
with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "s.db") as corpus:
    corpus.ingest(sys.argv[1:])
    stories = build_stories(corpus.store, full=True, config=StoryConfig())
print(json.dumps([[sorted(s.article_ids), s.label] for s in stories]))
"""


def _stories(src: Path, paths: list[str]) -> list[tuple[list[str], str]]:
    return [(ids, label) for ids, label in run_worker(src, _WORKER, *paths)]


def _compare(
    ours: list[tuple[list[str], str]], base: list[tuple[list[str], str]]
) -> dict[str, Any]:
    """Whether the groupings are the same, and which labels changed (largest stories first)."""
    before = {tuple(ids): label for ids, label in base}
    after = {tuple(ids): label for ids, label in ours}
    changed = sorted(
        ((len(k), before[k], after[k]) for k in after if k in before and after[k] != before[k]),
        reverse=True,
    )
    return {
        "stories": len(ours),
        "baseline_stories": len(base),
        "same_groupings": set(before) == set(after),
        "labels_changed": len(changed),
        "labels_with_a_line_end": sum("\n" in label for label in after.values()),
        "baseline_labels_with_a_line_end": sum("\n" in label for label in before.values()),
        "largest_changed": [{"articles": n, "before": b, "after": a} for n, b, a in changed[:10]],
    }


def _cost() -> dict[str, Any]:
    """The label filter's cost per finance-news text (names found as detection finds them)."""
    from storyline.settings import StoryConfig
    from storyline.stories.features import names_in, without_link_lists
    from storyline.stories.labels import story_names

    texts = finance_texts(StoryConfig().body_chars)
    names = [names_in(without_link_lists(t)) for t in texts]
    began = time.process_time()
    kept = [story_names(n, t) for n, t in zip(names, texts, strict=True)]
    micros = (time.process_time() - began) / max(len(texts), 1) * 1e6
    dropped = sum(len(n) - len(k) for n, k in zip(names, kept, strict=True))
    return {
        "finance_texts": len(texts),
        "story_names_microseconds_per_text": round(micros, 1),
        "names_dropped_with_bylines_and_line_ends": dropped,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="72c4f7d", help="git revision: the code before")
    args = parser.parse_args()
    if not (DATA / "finance-news").is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo, not in it)")
        return
    out: dict[str, Any] = {"baseline_rev": args.baseline, "cost": _cost()}
    print(json.dumps(out["cost"]), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        old, complaint = archived_src(args.baseline, tmp)
        if old is None:
            raise SystemExit(f"baseline {args.baseline}: {complaint}")
        for name, years in CORPORA.items():
            paths = [str(DATA / "finance-news" / f"{y}_processed.json.xz") for y in years]
            found = _compare(_stories(ROOT / "src", paths), _stories(old, paths))
            out[name] = found
            print(
                f"{name}: {found['stories']} stories (baseline {found['baseline_stories']}),"
                f" same groupings {found['same_groupings']}; {found['labels_changed']} labels"
                f" changed; labels with a line end {found['labels_with_a_line_end']}"
                f" (baseline {found['baseline_labels_with_a_line_end']})",
                flush=True,
            )
            for c in found["largest_changed"][:5]:
                print(f"  {c['articles']:4d} {c['before']!r} -> {c['after']!r}", flush=True)
    out["detection_variant"] = DETECTION_VARIANT
    out["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
