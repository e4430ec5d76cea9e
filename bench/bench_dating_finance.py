"""Dating across corpora: undated articles of real business news (finance-news), as a user meets
them, beside the Timeline17 figures of ``bench_dating.py``.

Usage::

    .venv/bin/python bench/bench_dating_finance.py [--baseline daa3163]

Why a second corpus: the dating rules were written on Timeline17's event reports, whose pages
carry datelines and time stamps; finance-news (Yahoo Finance pages of 2017-20 in news-please
records: analyses, market wraps, product news) has few, so it shows what of the rules holds on
news they were not written on. Protocol, the same as ``bench_dating.py``: the four
``.json.xz`` files as shipped, exact duplicates (same title and text) and records without a
text, date or URL left out; a quarter of the records chosen with ``random.Random(1)`` lose
their ``date_publish``; one ``Corpus.ingest`` of everything (stories built, undated articles
redated from them). Scored by URL: the share dated to the exact day (estimates of ``day``
granularity only), within 7 and 31 days, undated, the share per granularity and how many of
each granularity hold the real date within it (a day, 31 days, 366 days); and, per kind of
evidence the estimate stands on, the same. Text alone (``infer_date`` on each hidden record)
too. With ``--baseline REV`` the same ingest by that revision's code, in a child process.

Writes ``bench/results/dating_finance.json``; skipped, saying why, without ``../shared/data``.
"""

from __future__ import annotations

import argparse
import json
import lzma
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "dating_finance.json"
sys.path.insert(0, str(ROOT / "bench"))

from baseline_src import archived_src, run_worker  # noqa: E402
from bench_dating import TODAY, score  # noqa: E402

SPANS = {"day": 0, "month": 31, "year": 366}

_WORKER = """
import json, sys
from storyline.corpus import Corpus
with Corpus(sys.argv[1]) as corpus:
    corpus.ingest([sys.argv[2]])
    out = {
        a.url: [a.published.isoformat() if a.published else None, a.date_granularity,
                (a.date_evidence or [""])[0]]
        for a in corpus.articles() if a.date_source == "inferred"
    }
print(json.dumps(out))
"""


def records() -> list[dict[str, Any]]:
    """Every distinct finance-news record with a text, a date and a URL, in file order."""
    seen: set[tuple[Any, Any]] = set()
    rows: list[dict[str, Any]] = []
    for path in sorted((DATA / "finance-news").glob("*.json.xz")):
        with lzma.open(path) as packed:
            found = json.loads(packed.read())
        for r in found if isinstance(found, list) else list(found.values()):
            key = (r.get("title"), r.get("maintext"))
            if key in seen or not (r.get("maintext") or r.get("description")):
                continue
            if not r.get("date_publish") or not r.get("url"):
                continue
            seen.add(key)
            rows.append(r)
    return rows


def hide(rows: list[dict[str, Any]], share: float, seed: int) -> tuple[list[Any], dict[str, date]]:
    """(the records to ingest, {URL: real day} of those whose date was removed)."""
    hidden = set(random.Random(seed).sample(range(len(rows)), round(share * len(rows))))
    out, gold = [], {}
    for i, r in enumerate(rows):
        if i in hidden:
            gold[r["url"]] = date.fromisoformat(r["date_publish"][:10])
            r = {**r, "date_publish": None}
        out.append(r)
    return out, gold


def _stored(src: Path, records_file: Path, work: Path) -> dict[str, list[Any]]:
    db = work / f"store-{abs(hash(str(src)))}.db"
    return dict(run_worker(src, _WORKER, str(db), str(records_file)))


def _kind(evidence: str) -> str:
    """The kind of evidence an estimate stands on, without its dates and numbers."""
    return re.sub(r"[:\d'(].*", "", evidence).strip() or "-"


def figures(stored: dict[str, list[Any]], gold: dict[str, date]) -> dict[str, Any]:
    found, kinds = [], defaultdict(Counter)
    for url, real in gold.items():
        published, granularity, evidence = stored.get(url, [None, None, ""])
        day = date.fromisoformat(published) if published else None
        found.append((day, granularity, real))
        if day is not None and granularity in SPANS:
            k = kinds[f"{_kind(evidence)} / {granularity}"]
            k["articles"] += 1
            k["within_granularity"] += abs((day - real).days) <= SPANS[granularity]
    out = score(found)
    out["by_evidence"] = {
        k: {
            "articles": v["articles"],
            "within_granularity": round(v["within_granularity"] / v["articles"], 3),
        }
        for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]["articles"])
    }
    return out


def text_alone(rows: list[dict[str, Any]], gold: dict[str, date]) -> dict[str, Any]:
    from storyline.time import infer_date

    found = []
    for r in rows:
        if r["url"] in gold:
            estimate = infer_date(
                r.get("maintext") or r.get("description"), r.get("title"), today=TODAY
            )
            found.append(
                (estimate.published, estimate.granularity, gold[r["url"]])
                if estimate
                else (None, None, gold[r["url"]])
            )
    return score(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--share", type=float, default=0.25, help="share of dates hidden")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the hidden share")
    parser.add_argument("--baseline", default="", help="git revision: the code before, beside")
    args = parser.parse_args()
    if not (DATA / "finance-news").is_dir():
        print(f"skipped: {DATA} is absent (evaluation data lives beside the repo, not in it)")
        return
    rows = records()
    ingested, gold = hide(rows, args.share, args.seed)
    out: dict[str, Any] = {
        "protocol": (
            f"finance-news 2017-20 (.json.xz as shipped), {len(rows)} distinct records with text,"
            f" date and URL; {args.share:.0%} of dates hidden with random.Random({args.seed});"
            " one Corpus.ingest of everything (stories built, undated redated)"
        ),
        "hidden": len(gold),
        "text_alone": text_alone(rows, gold),
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        records_file = work / "records.json"
        records_file.write_text(json.dumps(ingested))
        began = time.perf_counter()
        out["after_stories"] = figures(_stored(ROOT / "src", records_file, work), gold)
        out["ingest_seconds"] = round(time.perf_counter() - began, 1)
        if args.baseline:
            old, complaint = archived_src(args.baseline, tmp)
            if old is None:
                raise SystemExit(f"baseline {args.baseline}: {complaint}")
            out["baseline_rev"] = args.baseline
            out["baseline_after_stories"] = figures(_stored(old, records_file, work), gold)
    out["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(json.dumps(out, indent=1))
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
