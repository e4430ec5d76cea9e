"""Value accuracy of storyline.time on the TempEval-3 corpora, with every wrong value classed.

Writes ``bench/results/time_values.json`` (``bench/bench_time.py`` keeps ``time.json`` for the
extents and the speed). Usage::

    .venv/bin/python bench/bench_time_values.py [--examples N]

For TimeBank and AQUAINT (gold) and the silver batch (annotated by a machine, so its values
are a weak check: it dates "Friday" said on a Friday a week ahead, "May 1" said in April a year
back): strict and relaxed F1, value accuracy over the relaxed matches, and the wrong values by
class (:func:`storyline.evaluate.timeml.value_class`), each class with a few examples, so that
a fix can be aimed at a class and its effect read on every corpus. Nothing here is learned.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from storyline.evaluate.timeml import load_dir, score_documents, value_class
from storyline.time import tag
from storyline.time.timeml import TimeMLDocument

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tempeval3"
OUT = ROOT / "bench" / "results" / "time_values.json"
CORPORA = {"TimeBank": "TimeBank", "AQUAINT": "AQUAINT", "silver": "silver"}


def examples(docs: list[TimeMLDocument], per_class: int) -> dict[str, list[str]]:
    """A few wrong values of each class: gold text and value, ours, the DCT."""
    found: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        predicted = tag(doc.text, doc.dct)
        used: set[int] = set()
        for g in doc.timexes:
            match = None
            for i, p in enumerate(predicted):
                overlaps = g.start < p.end and p.start < g.end
                if (
                    i not in used
                    and overlaps
                    and (match is None or (p.start, p.end) == (g.start, g.end))
                ):
                    match = i
            if match is None:
                continue
            used.add(match)
            p = predicted[match]
            if p.value == g.value:
                continue
            kind = value_class(g, p)
            if len(found[kind]) < per_class:
                found[kind].append(
                    f"{g.text!r} gold {g.value} ours {p.text!r} {p.value} (DCT {doc.dct})"
                )
    return dict(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3, help="examples kept per class")
    args = parser.parse_args()
    out: dict[str, object] = {}
    for name, folder in CORPORA.items():
        path = DATA / folder
        if not path.exists():
            print(f"{name}: skipped ({path} absent)")
            continue
        docs = load_dir(path)
        result = score_documents(docs)
        figures = {
            "documents": result["documents"],
            "gold": result["gold"],
            "strict_f1": result["strict"]["f1"],
            "relaxed_f1": result["relaxed"]["f1"],
            "type_accuracy": result["type_accuracy"],
            "value_accuracy": result["value_accuracy"],
            "value_errors": result["value_errors"],
            "examples": examples(docs, args.examples),
        }
        out[name] = figures
        print(
            f"{name:9} strict F1 {figures['strict_f1']:.4f}  relaxed F1 "
            f"{figures['relaxed_f1']:.4f}  value acc {figures['value_accuracy']:.4f}"
        )
        for kind, count in result["value_errors"].items():
            print(f"    {count:>4}  {kind}")
    OUT.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
