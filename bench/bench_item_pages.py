"""Real input's furniture: aggregator pages of other outlets' items, and bylines in labels.

Prints the figures and writes ``bench/results/item_pages.json``. Usage::

    .venv/bin/python bench/bench_item_pages.py

What it measures (the figures ``ingest.split_item_pages`` and ``docs/benchmarks.md`` quote):

- pages of several outlets' items (``storyline.sources.itempages.page_items``) in each year of
  ../shared/data/finance-news and in every Timeline17 and seed file, with their items by outlet,
  and how many pages hold the article their record's title names;
- the CPU cost per article of looking for such a page, and of finding the names in bylines,
  contact and copyright lines (``storyline.stories.labels.byline_names``), on the Timeline17
  texts (best of three passes);
- story detection on finance-news 2019–20 and 2017–20 through ``Corpus.ingest``, pages kept
  whole (the default) and split into their items (``IngestConfig(split_item_pages=True)``):
  articles, duplicates, stories, the largest ten and their labels.

Skips with one line when ../shared/data is absent.
"""

from __future__ import annotations

import json
import lzma
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.corpus import Corpus
from storyline.settings import Config, IngestConfig
from storyline.sources.itempages import page_items
from storyline.stories.labels import byline_names

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
FINANCE = DATA / "finance-news"
OUT = ROOT / "bench" / "results" / "item_pages.json"
YEARS = ("2017", "2018", "2019", "2020")


def _records(year: str) -> list[dict[str, Any]]:
    with lzma.open(FINANCE / f"{year}_processed.json.xz") as stream:
        data: list[dict[str, Any]] = json.load(stream)
    return data


def pages_found() -> dict[str, Any]:
    """Pages of items per finance-news year, and in the Timeline17 and seed files."""
    out: dict[str, Any] = {}
    for year in YEARS:
        records = _records(year)
        outlets: Counter[str] = Counter()
        pages = own = 0
        for record in records:
            items = page_items(record.get("maintext") or "")
            if items:
                pages += 1
                outlets.update(i.outlet for i in items)
                own += any(i.title == (record.get("title") or "").strip() for i in items)
        out[year] = {
            "records": len(records),
            "pages": pages,
            "items": sum(outlets.values()),
            "pages_holding_their_titles_article": own,
            "items_by_outlet": dict(outlets.most_common()),
        }
    files = [*sorted((DATA / "t17").glob("*/InputDocs/*/*.txt")), *sorted(SEEDS.glob("*"))]
    out["t17_and_seeds"] = {
        "files": len(files),
        "pages": sum(1 for f in files if page_items(f.read_text(errors="replace"))),
    }
    return out


def cost_per_article() -> dict[str, float]:
    """Microseconds of CPU per Timeline17 article, best of three passes."""
    texts = [
        f.read_text(errors="replace") for f in sorted((DATA / "t17").glob("*/InputDocs/*/*.txt"))
    ]
    out = {}
    for name, step in (("page_items", page_items), ("byline_names", byline_names)):
        best = float("inf")
        for _ in range(3):
            clock = time.process_time()
            for text in texts:
                step(text[:10_000])  # byline_names reads what story detection reads
            best = min(best, time.process_time() - clock)
        out[f"{name}_us"] = round(best * 1e6 / len(texts), 1)
    return out


def stories(years: tuple[str, ...], split: bool) -> dict[str, Any]:
    """Ingest these finance-news years into a new store and describe its stories."""
    config = Config(ingest=IngestConfig(split_item_pages=split))
    with (
        tempfile.TemporaryDirectory(prefix="storyline-item-pages-") as tmp,
        Corpus(Path(tmp) / "f.db", config=config) as corpus,
    ):
        report = corpus.ingest([str(FINANCE / f"{y}_processed.json.xz") for y in years])
        found = sorted(corpus.stories(), key=lambda s: (-len(s.article_ids), s.id))
        return {
            "articles": report.accepted,
            "duplicates": report.duplicates,
            "stories": len(found),
            "one_article": sum(1 for s in found if len(s.article_ids) == 1),
            "largest": [[len(s.article_ids), s.label] for s in found[:10]],
        }


def main() -> int:
    if not FINANCE.exists() or not (DATA / "t17").exists():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo)")
        return 0
    results: dict[str, Any] = {"pages": pages_found(), "cost": cost_per_article()}
    for year, found in results["pages"].items():
        print(year, {k: v for k, v in found.items() if k != "items_by_outlet"})
    print("CPU per article:", results["cost"])
    for years in (("2019", "2020"), YEARS):
        key = f"{years[0]}-{years[-1]}"
        results[key] = {}
        for split in (False, True):
            described = stories(years, split)
            results[key]["split" if split else "whole"] = described
            sizes = [n for n, _ in described["largest"][:3]]
            print(
                f"{key} {'split' if split else 'whole'}: {described['articles']} articles"
                f" ({described['duplicates']} duplicates), {described['stories']} stories,"
                f" largest {sizes}: {described['largest'][0][1]}"
            )
    OUT.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
