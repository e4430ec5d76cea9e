"""Benchmark of storyline.time: TempEval-3 scores, speed (beside HeidelTime), dating of T17.

Prints the figures and writes ``bench/results/time.json``. Usage::

    .venv/bin/python bench/bench_time.py [--heideltime-docs N] [--dating-limit N]

- Task A scores on ../shared/data/tempeval3/{TimeBank,AQUAINT} (gold), per corpus and type,
  with the ten most frequent error kinds.
- Speed: documents per second on one core over the TimeBank+AQUAINT texts (repeated), and
  peak memory. HeidelTime (bundled in the ``tilse`` package of a separate venv, found at
  $TILSE_HEIDELTIME or /tmp/tilse-venv) runs on the first N TimeBank texts in the same run for
  the speed ratio; it is skipped with a note when absent.
- Dating: every non-empty dated T17 article with its date hidden; share exactly right and
  within 31 days, from the text alone and with the other articles' dates of its topic as the
  story context (the second pass).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from storyline.evaluate.timeml import load_dir, score_documents
from storyline.time import infer_date, tag

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "results" / "time.json"
HEIDELTIME_CANDIDATES = [
    Path(os.environ.get("TILSE_HEIDELTIME", "/nonexistent")),
    *Path("/tmp/tilse-venv/lib").glob("python3*/site-packages/tilse/tools/heideltime"),
]


def score(corpora: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in corpora:
        folder = DATA / "tempeval3" / name
        if not folder.exists():
            print(f"{name}: skipped ({folder} absent)")
            continue
        result = score_documents(load_dir(folder))
        result.pop("tagging_seconds", None)
        out[name] = result
        s, r = result["strict"], result["relaxed"]
        print(
            f"{name:9} docs {result['documents']:>4}  strict F1 {s['f1']:.3f}  relaxed F1 "
            f"{r['f1']:.3f}  type acc {result['type_accuracy']:.3f}  value acc "
            f"{result['value_accuracy']:.3f}"
        )
        for kind, t in result["per_type"].items():
            print(
                f"    {kind:<9} gold {t['gold']:>4} ours {t['system']:>4}  strict F1 "
                f"{t['strict']['f1']:.3f}  relaxed F1 {t['relaxed']['f1']:.3f}  value acc "
                f"{t['value_accuracy']:.3f}"
            )
        for e in result["errors"]:
            print(f"    {e['count']:>4}  {e['kind']}")
    return out


def speed(texts: list[tuple[str, date | None]], repeat: int = 3) -> dict[str, float]:
    tag("warm up on Friday, March 3, 2017", date(2017, 3, 3))
    began, cpu_began = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for text, dct in texts:
            tag(text, dct)
    wall = time.perf_counter() - began
    seconds = time.process_time() - cpu_began  # CPU time of this one process: one core
    n = len(texts) * repeat
    chars = sum(len(t) for t, _ in texts) * repeat
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "documents": n,
        "mean_chars": round(chars / n),
        "docs_per_second": round(n / seconds, 1),
        "docs_per_second_wall": round(n / wall, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "mb_per_second": round(chars / seconds / 1e6, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }
    print(
        f"speed: {result['docs_per_second']} docs/s of CPU time on one core "
        f"({result['docs_per_second_wall']} wall-clock at load {result['load_average_1min']}; "
        f"{result['mean_chars']} chars each), {result['mb_per_second']} MB/s, "
        f"peak RSS {result['peak_rss_mb']} MB"
    )
    return result


def heideltime(texts: list[tuple[str, date | None]], ours_per_doc: float) -> dict[str, object]:
    """HeidelTime on the same texts via its jar (JVM start included, as a Python caller pays)."""
    home = next((p for p in HEIDELTIME_CANDIDATES if (p / "apply-heideltime.jar").exists()), None)
    if home is None or shutil.which("java") is None or not texts:
        print("heideltime: skipped (tilse's apply-heideltime.jar or java not found)")
        return {"skipped": "apply-heideltime.jar or java not found"}
    with tempfile.TemporaryDirectory() as tmp:
        for i, (text, dct) in enumerate(texts):
            folder = Path(tmp) / (dct or date(2000, 1, 1)).isoformat()
            folder.mkdir(exist_ok=True)
            (folder / f"{i}.txt").write_text(text, encoding="utf-8")
        began = time.perf_counter()
        proc = subprocess.run(
            ["java", "-jar", "apply-heideltime.jar", "config.props", tmp, "txt"],
            cwd=home,
            capture_output=True,
            timeout=900,
        )
        seconds = time.perf_counter() - began
        produced = len(list(Path(tmp).rglob("*.timeml")))
    if proc.returncode != 0 or produced == 0:
        print(f"heideltime: failed (exit {proc.returncode}); {proc.stderr[-300:]!r}")
        return {"skipped": f"failed with exit code {proc.returncode}"}
    per_doc = seconds / len(texts)  # wall clock: the JVM is multi-threaded, CPU time undercounts
    result = {
        "documents": len(texts),
        "seconds": round(seconds, 2),
        "docs_per_second": round(len(texts) / seconds, 2),
        "speed_ratio_ours_vs_heideltime": round(per_doc / ours_per_doc, 1),
    }
    print(
        f"heideltime: {len(texts)} docs in {seconds:.1f} s ({result['docs_per_second']} docs/s, "
        f"JVM start included); ours is {result['speed_ratio_ours_vs_heideltime']}x faster"
    )
    return result


def t17_articles() -> list[tuple[str, date, str]]:
    root = DATA / "t17"
    out = []
    for path in sorted(root.glob("*/InputDocs/*/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.strip():
            topic = path.parts[-4].split("_")[0]
            out.append((text, date.fromisoformat(path.parent.name), topic))
    return out


def dating(limit: int | None) -> dict[str, object]:
    articles = t17_articles()
    if not articles:
        print("dating: skipped (../shared/data/t17 absent)")
        return {"skipped": "t17 absent"}
    if limit and len(articles) > limit:
        articles = random.Random(17).sample(articles, limit)
    by_topic: dict[str, list[date]] = {}
    for _, published, topic in articles:
        by_topic.setdefault(topic, []).append(published)
    result: dict[str, object] = {"articles": len(articles)}
    for mode in ("text", "story"):
        exact = within = found = 0
        for text, published, topic in articles:
            context: list[date] = []
            if mode == "story":
                context = [d for d in by_topic[topic] if d != published][:200]
            estimate = infer_date(text, context=context)
            if estimate is None:
                continue
            found += 1
            delta = abs((estimate.published - published).days)
            exact += delta == 0
            within += delta <= 31
        n = len(articles)
        result[mode] = {
            "estimated": round(found / n, 4),
            "exact": round(exact / n, 4),
            "within_31_days": round(within / n, 4),
        }
        print(
            f"dating ({mode}): estimated {found / n:.3f}, exactly right {exact / n:.3f}, "
            f"within 31 days {within / n:.3f} of {n} T17 articles"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heideltime-docs", type=int, default=20)
    parser.add_argument("--dating-limit", type=int, default=800)
    args = parser.parse_args()
    results: dict[str, object] = {"scores": score(["TimeBank", "AQUAINT"])}
    docs = []
    for name in ("TimeBank", "AQUAINT"):
        folder = DATA / "tempeval3" / name
        if folder.exists():
            docs.extend(load_dir(folder))
    texts = [(d.text, d.dct) for d in docs]
    if texts:
        results["speed"] = ours = speed(texts)
        per_doc = 1 / float(ours["docs_per_second_wall"])  # same conditions as the JVM run
        sample = texts[: args.heideltime_docs]
        results["heideltime"] = heideltime(sample, per_doc) if args.heideltime_docs else {}
    results["dating"] = dating(args.dating_limit or None)
    results["python"] = sys.version.split()[0]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
