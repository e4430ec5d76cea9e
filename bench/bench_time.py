"""Benchmark of storyline.time: TempEval-3 scores, speed (beside HeidelTime), dating of T17.

Prints the figures and writes ``bench/results/time.json``. Usage::

    .venv/bin/python bench/bench_time.py [--heideltime-docs N] [--dating-limit N]

- Task A scores on ../shared/data/tempeval3/{TimeBank,AQUAINT} (gold), per corpus and type,
  with the ten most frequent error kinds.
- Speed: MB of T17 news text tagged per second of one core's CPU time, beside two baselines
  timed in the same run: a plain word-reading pass over the same texts (``re.findall``) and the
  previous implementation (``--baseline-rev``, default the commit before the fast path,
  extracted with ``git archive`` and run in a subprocess, alternating with ours). The bar is
  6 MB/s; under load the same-run ratios are the honest figures. Also documents per second
  over the TimeBank+AQUAINT texts (repeated), and peak memory. HeidelTime (bundled in the ``tilse`` package of a separate venv, found at
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
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from baseline_src import archived_src  # bench/: this script's own folder

from storyline.evaluate.timeml import load_dir, score_documents, shape
from storyline.time import infer_date, tag
from storyline.time.timeml import TimeMLDocument

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
        result["extent_classes"] = extent_classes(name, load_dir(folder))
    return out


_BOUNDARY_WORDS = (
    "the", "a", "over", "about", "around", "nearly", "almost", "more than", "early", "late",
    "earlier", "later", "last", "past", "this", "each of",
)  # fmt: skip


def extent_classes(name: str, docs: list[TimeMLDocument]) -> dict[str, object]:
    """Extent errors by class, with the gold convention for each boundary word.

    Why: strings say which document to fit, classes say which convention to follow. An extent
    error is keyed by the side and the words that differ ("ours adds left 'the'"); beside it,
    how often the gold keeps each boundary word inside the expression or leaves it outside, so
    a change can be checked against the conventions of every corpus, not just one.
    """
    errors: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for doc in docs:
        predicted = tag(doc.text, doc.dct)
        for g in doc.timexes:
            low = g.text.lower()
            before = doc.text[max(0, g.start - 20) : g.start].lower()
            for w in _BOUNDARY_WORDS:
                if low.startswith(w + " "):
                    inside[f"{w} {g.type}"] += 1
                if re.search(r"(?<![a-z])" + re.escape(w) + r"\s+$", before):
                    outside[f"{w} {g.type}"] += 1
            for p in predicted:
                if not (p.start < g.end and g.start < p.end) or (p.start, p.end) == (
                    g.start,
                    g.end,
                ):
                    continue
                if p.start != g.start:
                    side, lo, hi = "left", min(p.start, g.start), max(p.start, g.start)
                    who = "ours adds" if p.start < g.start else "ours lacks"
                else:
                    side, lo, hi = "right", min(p.end, g.end), max(p.end, g.end)
                    who = "ours adds" if p.end > g.end else "ours lacks"
                errors[f"{who} {side} '{shape(doc.text[lo:hi])}'"] += 1
    print(f"{name}: extent errors by class (gold convention: inside/outside)")
    for kind, count in errors.most_common(8):
        print(f"    {count:>4}  {kind}")
    conventions = {
        k: {"inside": inside[k], "outside": outside[k]}
        for k in sorted(set(inside) | set(outside), key=lambda k: -(inside[k] + outside[k]))
    }
    shown = [f"{k} {v['inside']}/{v['outside']}" for k, v in list(conventions.items())[:12]]
    print("    gold " + "; ".join(shown))
    return {"extent_errors": dict(errors.most_common(20)), "gold_conventions": conventions}


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


_WORKER = """
import json, sys, time
from datetime import date
from storyline.time import tag
paths = json.loads(sys.stdin.read())
texts = []
for p, d in paths:
    with open(p, encoding="utf-8", errors="replace") as f:
        texts.append((f.read(), date.fromisoformat(d)))
tag("warm up on Friday, March 3, 2017", date(2017, 3, 3))
began = time.process_time()
for text, dct in texts:
    tag(text, dct)
print(json.dumps({"seconds": time.process_time() - began, "chars": sum(len(t) for t, _ in texts)}))
"""


def _worker(paths: list[tuple[str, str]], src: Path) -> float:
    """MB/s of one core for the tagger under ``src`` (a subprocess, so two versions can run)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER],
        input=json.dumps(paths),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    out = json.loads(proc.stdout)
    return float(out["chars"]) / float(out["seconds"]) / 1e6


def t17_speed(baseline_rev: str, rounds: int = 2) -> dict[str, object]:
    """MB/s on the T17 articles: ours, the previous implementation and a plain reading pass."""
    files = sorted((DATA / "t17").glob("*/InputDocs/*/*.htm.txt"))
    paths = [(str(f), f.parent.name) for f in files if f.stat().st_size]
    if not paths:
        print("t17 speed: skipped (../shared/data/t17 absent)")
        return {"skipped": "t17 absent"}
    texts = [Path(p).read_text(encoding="utf-8", errors="replace") for p, _ in paths]
    chars = sum(len(t) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        old, complaint = archived_src(baseline_rev, tmp)
        ours: list[float] = []
        previous: list[float] = []
        plain: list[float] = []
        for _ in range(rounds):  # alternate, so that both meet the same machine load
            began = time.process_time()
            for text in texts:
                _PLAIN.findall(text)
            plain.append(chars / (time.process_time() - began) / 1e6)
            ours.append(_worker(paths, ROOT / "src"))
            if old is not None:
                previous.append(_worker(paths, old))
    result: dict[str, object] = {
        "articles": len(paths),
        "mean_chars": round(chars / len(paths)),
        "mb_per_second": round(max(ours), 2),
        "plain_word_pass_mb_per_second": round(max(plain), 2),
        "share_of_plain_pass": round(max(ours) / max(plain), 4),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "bar_mb_per_second": 6.0,
    }
    line = (
        f"t17 speed: {result['mb_per_second']} MB/s of one core over {len(paths)} articles "
        f"({result['mean_chars']} chars each; bar 6); a plain word pass "
        f"{result['plain_word_pass_mb_per_second']} MB/s in the same run"
    )
    if previous:
        result["baseline_rev"] = baseline_rev
        result["baseline_mb_per_second"] = round(max(previous), 2)
        result["speedup_vs_baseline"] = round(max(ours) / max(previous), 2)
        line += (
            f"; previous implementation ({baseline_rev}) {result['baseline_mb_per_second']} MB/s, "
            f"{result['speedup_vs_baseline']}x"
        )
    else:
        result["baseline_rev"] = f"{baseline_rev} (not found: {complaint!r})"
    print(line + f"; load {result['load_average_1min']}")
    return result


_PLAIN = re.compile(r"\w+")


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
    parser.add_argument(
        "--baseline-rev",
        default="5715a80",
        help="git revision whose tagger is timed beside ours (default: before the fast path)",
    )
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
    results["t17_speed"] = t17_speed(args.baseline_rev)
    results["dating"] = dating(args.dating_limit or None)
    results["python"] = sys.version.split()[0]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
