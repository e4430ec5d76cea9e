"""A reproducible bench corpus of any size, recombined from real news sentences (issue 12).

Usage::

    .venv/bin/python bench/scale_corpus.py N OUT.jsonl [--seed 12]

Why recombined and not copied: a copy of a real article is a near-duplicate (MinHash links it)
and a shuffled bag of words reads like no news at all. Each generated article instead:

- belongs to one *pool*: a Timeline17 topic (``../shared/data/t17``, all outlets of a topic
  together) or a month of finance-news (``../shared/data/finance-news``, real news-please
  records of finance.yahoo.com, CC BY-NC-SA 4.0: used for measuring only, never stored in the
  repository);
- takes the date of a real article of its pool moved by -3..+3 days, and is made of real
  sentences of the pool's articles published within ±3 days of that date, in a random order, so
  its stories stay topical and its dates and time expressions are real ones;
- has the number of sentences of a real article of its pool (the length distribution of the real
  articles), at most half of the sentences its window offers, so two generated articles share
  about a third of their shingles at most and dedupe sees no copies.

Generated records are streamed to ``OUT`` as JSONL (``title``, ``text``, ``date``, ``url``,
``language``), so a million articles never sit in memory. The same ``N`` and seed give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import bisect
import json
import lzma
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
T17 = DATA / "t17"
FINANCE = DATA / "finance-news"
WINDOW_DAYS = 3
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(slots=True)
class Pool:
    """The real articles of one topic or month: days, their sentences, their lengths."""

    name: str
    days: list[int] = field(default_factory=list)  # date ordinals, sorted with ``sentences``
    sentences: list[list[str]] = field(default_factory=list)
    titles: list[str | None] = field(default_factory=list)

    def add(self, day: date, sentences: list[str], title: str | None) -> None:
        k = bisect.bisect_right(self.days, day.toordinal())
        self.days.insert(k, day.toordinal())
        self.sentences.insert(k, sentences)
        self.titles.insert(k, title)


def _t17_pools() -> list[Pool]:
    pools: dict[str, Pool] = {}
    for path in sorted(T17.glob("*/InputDocs/*/*.txt")):
        topic = path.parts[-4].split("_")[0]
        try:
            day = date.fromisoformat(path.parts[-2])
        except ValueError:
            continue
        lines = [
            ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").split("\n")
        ]
        sentences = [ln for ln in lines if len(ln) > 20]
        if len(sentences) >= 3:
            pools.setdefault(topic, Pool(f"t17/{topic}")).add(day, sentences, None)
    return list(pools.values())


def _finance_pools() -> list[Pool]:
    pools: dict[str, Pool] = {}
    seen: set[str] = set()
    for path in sorted(FINANCE.glob("*_processed.json.xz")):
        with lzma.open(path, "rt", encoding="utf-8") as f:
            records = json.load(f)
        for r in records:
            text, when = r.get("maintext"), r.get("date_publish")
            if not text or not when or text in seen:
                continue
            seen.add(text)
            day = datetime.fromisoformat(when).date()
            parts = [s.strip() for p in text.split("\n") for s in _SENTENCE.split(p)]
            sentences = [s for s in parts if len(s) > 20]
            if len(sentences) >= 3:
                month = day.isoformat()[:7]
                pools.setdefault(month, Pool(f"finance/{month}")).add(
                    day, sentences, r.get("title")
                )
    return list(pools.values())


def load_pools() -> list[Pool]:
    """Every pool of the shared data, in a fixed order (the seed alone decides the corpus)."""
    pools = _t17_pools() + _finance_pools()
    if not pools:
        sys.exit(f"no source data under {DATA}")
    return sorted(pools, key=lambda p: p.name)


def generate(n: int, seed: int, pools: list[Pool]) -> Iterator[dict[str, str]]:
    """``n`` generated records (see the module docstring), deterministic for a seed."""
    rng = random.Random(seed)
    weights = [len(p.days) for p in pools]
    for i in range(n):
        pool = rng.choices(pools, weights)[0]
        anchor = rng.randrange(len(pool.days))
        day = pool.days[anchor] + rng.randint(-WINDOW_DAYS, WINDOW_DAYS)
        lo = bisect.bisect_left(pool.days, day - WINDOW_DAYS)
        hi = bisect.bisect_right(pool.days, day + WINDOW_DAYS)
        window = [s for k in range(lo, hi) for s in pool.sentences[k]]
        if len(window) < 6:  # the anchor moved out of reach of its neighbours: keep the anchor
            day = pool.days[anchor]
            lo = bisect.bisect_left(pool.days, day - WINDOW_DAYS)
            hi = bisect.bisect_right(pool.days, day + WINDOW_DAYS)
            window = [s for k in range(lo, hi) for s in pool.sentences[k]]
        length = len(pool.sentences[rng.randrange(len(pool.sentences))])
        chosen = rng.sample(window, max(3, min(length, len(window) // 2)))
        title = pool.titles[anchor] or chosen[0][:90]
        yield {
            "title": title,
            "text": "\n".join(chosen),
            "date": date.fromordinal(day).isoformat(),
            "url": f"https://bench.example/{pool.name}/{i}",
            "language": "en",  # as news-please records carry it (no guessing per article)
        }


def write(n: int, out: Path, seed: int = 12) -> int:
    """Write the corpus to ``out`` (JSONL); returns how many records were written."""
    pools = load_pools()
    count = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for record in generate(n, seed, pools):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    print(f"{write(args.n, args.out, args.seed)} articles written to {args.out}")


if __name__ == "__main__":
    main()
