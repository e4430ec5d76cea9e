"""Benchmark of dating undated articles, as a user meets it: hide some dates, ingest, score.

Prints the figures and writes ``bench/results/dating.json``. Usage::

    .venv/bin/python bench/bench_dating.py [--share 0.25] [--seed 1]

Protocol (stated, fixed): the dev articles are the non-empty Timeline17 files
(../shared/data/t17) and the seed ``004`` (which opens with ``date 2017-04-19``). A random
quarter of them (``random.Random(1)``) have their date hidden: a hidden T17 article is copied to
a temporary folder as ``hidden/<n>.txt`` (no ``InputDocs/<date>/`` left in its path), the seed
loses its ``date`` line. The seed ``000`` has no date of its own and is always among the hidden
ones (its day, 2020-11-17, is known from the data README). Everything is ingested in one
``Corpus.ingest`` call, which ends by building the stories and redating the undated from them, as
``storyline ingest`` does: no gold topic is used anywhere.

Scored on the stored ``published`` of each hidden article, against its real day:

- ``exact``: the same day, counted only for estimates of ``day`` granularity;
- ``within_7_days`` / ``within_31_days``: at most that many days off (any granularity; a month
  or year estimate is stored at a day inside it);
- ``undated``: no estimate at all; and the share of each granularity;
- ``granularity_kept``: how honest each granularity is: of the day estimates, the share exact;
  of the month ones, the share within 31 days; of the year ones, within 366 days.

"Text alone" is the ingest's first pass (``infer_date`` on the title and body, no story).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from storyline.corpus import Corpus
from storyline.sources.plaintext import split_date_line
from storyline.time import infer_date

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
T17 = SHARED / "data" / "t17"
SEEDS = SHARED / "seeds"
OUT = ROOT / "bench" / "results" / "dating.json"
SEED_000_DAY = date(2020, 11, 17)  # from ../shared/data/README.md
TOPIC: dict[str, str] = {}  # hidden copy -> its topic, filled by hide()
TODAY = date(2026, 1, 1)  # bounds believable dates; later than every article here


def dev_articles() -> list[tuple[Path, date]]:
    """Every non-empty T17 article with its day, and the dated seed."""
    out = [
        (p, date.fromisoformat(p.parent.name))
        for p in sorted(T17.glob("*/InputDocs/*/*.txt"))
        if p.read_text(encoding="utf-8", errors="replace").strip()
    ]
    for seed in sorted(SEEDS.glob("*.txt")):
        _, given, _, _ = split_date_line(seed.read_text(encoding="utf-8"))
        if given is not None:
            out.append((seed, given))
    return out


def topic_of(path: Path) -> str:
    """The T17 topic of a dev article ("bpoil" of bpoil_bbc/InputDocs/...), or "seeds"."""
    return path.parts[-4].split("_")[0] if T17 in path.parents else "seeds"


def hide(
    articles: list[tuple[Path, date]], share: float, seed: int, folder: Path
) -> tuple[list[Path], dict[str, date]]:
    """(paths to ingest as they are, {hidden copy: its real day}); the hidden copies hold no date.

    ``TOPIC`` receives the topic of each hidden copy, for the per-topic figures."""
    rng = random.Random(seed)
    hidden = set(rng.sample(range(len(articles)), round(share * len(articles))))
    keep: list[Path] = []
    gold: dict[str, date] = {}
    folder.mkdir(parents=True)
    for i, (path, day) in enumerate(articles):
        if i not in hidden:
            keep.append(path)
            continue
        body, _, _, _ = split_date_line(path.read_text(encoding="utf-8", errors="replace"))
        copy = folder / f"{len(gold):04d}.txt"
        copy.write_text(body, encoding="utf-8")
        gold[str(copy)] = day
        TOPIC[str(copy)] = topic_of(path)
    for seed_file in sorted(SEEDS.glob("*.txt")):
        body, given, _, _ = split_date_line(seed_file.read_text(encoding="utf-8"))
        if given is None:  # the undated seed: always hidden, its day is known
            copy = folder / f"{len(gold):04d}.txt"
            copy.write_text(body, encoding="utf-8")
            gold[str(copy)] = SEED_000_DAY
            TOPIC[str(copy)] = "seeds"
    return keep, gold


def score(found: Sequence[tuple[date | None, str | None, date]]) -> dict[str, object]:
    """Shares of (estimate, granularity, real day) that are exact / near / undated."""
    n = len(found)
    exact = sum(1 for d, g, real in found if d == real and g == "day")
    offs = [abs((d - real).days) for d, _, real in found if d is not None]
    held = [(abs((d - real).days), g) for d, g, real in found if d is not None]
    grains = Counter(g or "undated" for d, g, _ in found)
    return {
        "articles": n,
        "exact": round(exact / n, 4),
        "within_7_days": round(sum(o <= 7 for o in offs) / n, 4),
        "within_31_days": round(sum(o <= 31 for o in offs) / n, 4),
        "undated": round(sum(d is None for d, _, _ in found) / n, 4),
        "granularity": {k: round(grains[k] / n, 4) for k in ("day", "month", "year", "undated")},
        "granularity_kept": {  # of the estimates of each granularity, the share within it
            k: round(sum(o <= span for o, g in held if g == k) / grains[k], 4)
            if grains[k]
            else None
            for k, span in (("day", 0), ("month", 31), ("year", 366))
        },
    }


def show(name: str, s: dict[str, object]) -> None:
    grains = s["granularity"]
    assert isinstance(grains, dict)
    print(
        f"{name:12} exact {s['exact']:.3f} · within 7 days {s['within_7_days']:.3f} · within 31 "
        f"days {s['within_31_days']:.3f} · undated {s['undated']:.3f} · day {grains['day']:.3f} "
        f"month {grains['month']:.3f} year {grains['year']:.3f} (of {s['articles']})"
    )
    kept = s["granularity_kept"]
    assert isinstance(kept, dict)
    print(
        f"{'':12} within their granularity: "
        + ", ".join(f"{k} {v:.3f}" for k, v in kept.items() if v is not None)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.25, help="share of dates hidden")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the hidden share")
    parser.add_argument("--keep", help="keep the store at this path (for inspection)")
    args = parser.parse_args()
    if not T17.exists():
        print(f"skipped: {T17} absent")
        return
    with tempfile.TemporaryDirectory() as tmp:
        keep, gold = hide(dev_articles(), args.share, args.seed, Path(tmp) / "hidden")
        db = Path(args.keep) if args.keep else Path(tmp) / "dating.db"
        if db.exists():
            db.unlink()
        began = time.perf_counter()
        with Corpus(db) as corpus:
            report = corpus.ingest([*map(str, keep), str(Path(tmp) / "hidden")])
            seconds = time.perf_counter() - began
            by_source = {a.source: a for a in corpus.articles()}
        stored = [(by_source[s], day) for s, day in gold.items() if s in by_source]
        text_alone = []
        for article, day in stored:
            estimate = infer_date(article.text, article.title, today=TODAY)
            text_alone.append(
                (estimate.published, estimate.granularity, day) if estimate else (None, None, day)
            )
        story = [(a.published, a.date_granularity, day) for a, day in stored]
        topics = [TOPIC[a.source] for a, _ in stored]
        by_topic = {
            t: score([s for s, k in zip(story, topics, strict=True) if k == t])
            for t in sorted(set(topics))
        }
        results: dict[str, object] = {
            "protocol": (
                f"T17 (5 topics) + seeds; {args.share:.0%} of dates hidden with "
                f"random.Random({args.seed}); seed 000 always hidden (real day 2020-11-17); one "
                "Corpus.ingest of everything (stories built and undated redated by it)"
            ),
            "ingested": report.accepted,
            "hidden": len(gold),
            "hidden_stored": len(stored),
            "ingest_seconds": round(seconds, 1),
            "text_alone": score(text_alone),
            "after_stories": score(story),
            "after_stories_by_topic": by_topic,
            "python": sys.version.split()[0],
        }
        if args.keep:
            shutil.copy(db, args.keep) if db != Path(args.keep) else None
            (Path(args.keep).with_suffix(".gold.json")).write_text(
                json.dumps({Path(k).name: v.isoformat() for k, v in gold.items()})
            )
    print(f"{len(gold)} hidden of {report.accepted} ingested, in {seconds:.0f} s")
    show("text alone", results["text_alone"])  # type: ignore[arg-type]
    show("after story", results["after_stories"])  # type: ignore[arg-type]
    for topic, figures in by_topic.items():
        show(f"  {topic}", figures)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
