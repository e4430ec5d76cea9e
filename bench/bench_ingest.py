"""Ingest speed on all of Timeline17: articles/s, beside a plain baseline measured in the same run.

The baseline reads and decodes every file with the same readers but stores nothing (no sentence
splitting, tagging, dedupe or SQLite): the ratio says what the full ingest costs over reading.
Prints the figures and writes them to bench/results/ingest.json.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from storyline.corpus import Corpus
from storyline.sources.base import RawArticle
from storyline.sources.detect import expand, read_file

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
RESULTS = Path(__file__).resolve().parent / "results" / "ingest.json"


def read_only_baseline() -> tuple[int, float]:
    start = time.perf_counter()
    count = 0
    for target in expand([str(DATA)]):
        if isinstance(target, Path):
            count += sum(isinstance(item, RawArticle) for item in read_file(target))
    return count, time.perf_counter() - start


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo)")
        return 0
    read_count, read_seconds = read_only_baseline()
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "bench.db") as corpus:
        start = time.perf_counter()
        first = corpus.ingest([str(DATA)])
        first_seconds = time.perf_counter() - start
        start = time.perf_counter()
        second = corpus.ingest([str(DATA)])
        second_seconds = time.perf_counter() - start
        stored = corpus.store.count_articles()
        by_source = corpus.stats()["by_date_source"]
    figures = {
        "data": "Timeline17, 5 topics (../shared/data/t17)",
        "files_read": read_count,
        "stored": stored,
        "accepted": first.accepted,
        "duplicates_first_run": first.duplicates,
        "near_duplicates": first.near_duplicates,
        "skipped": len(first.skipped),
        "by_date_source": by_source,
        "ingest_seconds": round(first_seconds, 2),
        "articles_per_second": round(first.accepted / first_seconds, 1),
        "second_run_accepted": second.accepted,
        "second_run_seconds": round(second_seconds, 2),
        "baseline_read_only_seconds": round(read_seconds, 2),
        "ratio_to_read_only_baseline": round(first_seconds / read_seconds, 1),
        "machine": f"{platform.processor() or platform.machine()}, python {sys.version.split()[0]}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:>30}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
