"""Check that this checkout's ingest stores exactly what another revision's stores.

Why: a speed change to the ingest path (sentence splitting, the writer, MinHash, the readers)
must not change one stored value, and the benches' article counts would hide a shifted offset.
The same inputs are ingested twice into a fresh SQLite store (the second run stores nothing new)
by each version, each in its own subprocess, and then compared table by table:

- ``articles``: every column but ``added`` (the wall-clock time of the write);
- ``sentences`` (rowid, article, index, text, offsets), ``timexes`` (every column, id included),
  ``minhashes``, ``lsh_buckets``, ``meta`` and the title index's rows (``titles_fts``), each
  in rowid order;
- the full-text index itself, through ``fts5vocab`` (every term, sentence, column and position);
- both runs' reports (``as_dict()``, the new ids in order, the unreadable count).

Against a revision before 10f5890 (new stores hash MinHash shingles with ``poly64``, not
CRC-32) the signatures, the LSH keys and ``meta`` differ by design, and so can a near-copy
whose estimated similarity is close to the threshold: on the scale sample's variants, 5 of
60 links (true Jaccard 0.86-0.98, where either estimate may fall on either side). Against a
revision before 55d2257 (8f26056) the sentences of a line that holds a compound abbreviation
("Japan-U.S. security pact"), or an abbreviation nupunkt does not know before a lower-case word
("Interpublic Group of Cos. fell"), differ by design (one sentence where nupunkt alone made
two), and with them the sentence rows after it, their expressions' sentence indexes and the
full-text index: 35 (40) lines of Timeline17.

Beside the given inputs, a file of variants made from the first 60 records of the first JSONL
input is ingested too, so that every branch of the writer is compared: near-copies (the last
line dropped), exact copies re-wrapped (of an earlier batch's article, and of the article just
before in the same batch), and records without a date (dated from their text).

Usage::

    .venv/bin/python bench/check_ingest_same.py [--baseline-rev main] [PATH ...]

PATH defaults to the scale sample /tmp/lead-bench/s3k.jsonl and two Timeline17 topics from
../shared/data (each skipped when absent). Prints what was compared and the first differences;
exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from baseline_src import archived_src  # bench/: this script's own folder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEFAULT_INPUTS = (
    Path("/tmp/lead-bench/s3k.jsonl"),
    DATA / "t17" / "H1N1_bbc",
    DATA / "t17" / "bpoil_guardian",
)

_WORKER = """
import json, sys
from pathlib import Path
from storyline.ingest import Ingester
from storyline.settings import Config
from storyline.store.sqlite import SQLiteStore
reports = []
with SQLiteStore(Path(sys.argv[1])) as store:
    for _ in range(2):
        report = Ingester(store, Config()).run(sys.argv[2:])
        reports.append({**report.as_dict(), "new_ids": report.new_ids,
                        "unreadable": report.unreadable})
print(json.dumps(reports))
"""

TABLES = {
    "articles": "SELECT id, title, text, source, url, published, date_source, date_confidence,"
    " date_evidence, language, content_hash, duplicate_of, source_name, date_granularity"
    " FROM articles ORDER BY rowid",
    "sentences": "SELECT rowid, article_id, idx, text, start, end_ FROM sentences ORDER BY rowid",
    "timexes": "SELECT * FROM timexes ORDER BY id",
    "minhashes": "SELECT article_id, signature FROM minhashes ORDER BY rowid",
    "lsh_buckets": "SELECT band, bucket, article_id FROM lsh_buckets ORDER BY rowid",
    "meta": "SELECT key, value FROM meta ORDER BY key",
    "titles_fts": "SELECT rowid, title, article_id FROM titles_fts ORDER BY rowid",
    "full-text index": "SELECT term, doc, col, offset FROM temp.vocab ORDER BY term, doc, offset",
}


def variants(source: Path, into: Path) -> Path:
    """Near-copies, re-wrapped copies and undated copies of the first records of ``source``."""
    records = []
    with source.open(encoding="utf-8") as lines:
        for line, _ in zip(lines, range(60), strict=False):
            records.append(json.loads(line))
    out = []
    for n, record in enumerate(records):
        text = str(record.get("text") or record.get("maintext") or "")
        kind = n % 3
        if kind == 0:  # a near-copy: the last line dropped
            out.append({**record, "text": text.rsplit("\n", 1)[0]})
        elif kind == 1:  # an exact copy once whitespace is normalised
            out.append({**record, "text": "  " + text.replace(" ", "\n ", 3)})
            # and a new text twice in a row: a duplicate within one write batch
            out.append({**record, "text": text + "\nOne more line."})
            out.append({**record, "text": text.replace(" ", "  ", 2) + "\n One more line. "})
        else:  # no date: inferred from the text
            out.append({k: v for k, v in record.items() if "date" not in k and "publish" not in k})
            out[-1]["text"] = text + "\nUndated copy."
    path = into / "variants.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return path


def ingest(src: Path, db: Path, inputs: list[str]) -> list[dict[str, object]]:
    """Ingest ``inputs`` twice into ``db`` with the library under ``src``; the two reports."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", _WORKER, str(db), *inputs],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    reports: list[dict[str, object]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return reports


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every compared table of the store at ``db``."""
    con = sqlite3.connect(db)
    try:
        con.execute(
            "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, sentences_fts, instance)"
        )
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-rev", default="main")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    inputs = args.paths or [str(p) for p in DEFAULT_INPUTS if p.exists()]
    if not inputs:
        sys.exit("no inputs: pass paths to ingest")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = [p for p in inputs if p.endswith(".jsonl")]
        if jsonl:
            inputs.append(str(variants(Path(jsonl[0]), Path(tmp))))
        old_src, complaint = archived_src(args.baseline_rev, tmp)
        if old_src is None:
            sys.exit(f"cannot extract {args.baseline_rev}: {complaint}")
        old_reports = ingest(old_src, Path(tmp) / "old.db", inputs)
        new_reports = ingest(ROOT / "src", Path(tmp) / "new.db", inputs)
        old, new = rows(Path(tmp) / "old.db"), rows(Path(tmp) / "new.db")
    print(f"inputs: {', '.join(inputs)} (each ingested twice), against {args.baseline_rev}")
    differ = 0
    for name in TABLES:
        same = old[name] == new[name]
        differ += not same
        print(
            f"  {name}: {len(old[name])} rows then, {len(new[name])} now: "
            f"{'same' if same else 'DIFFER'}"
        )
        if not same:
            pairs = [(a, b) for a, b in zip(old[name], new[name], strict=False) if a != b]
            for a, b in pairs[:3]:
                print(f"    was {str(a)[:300]}\n    now {str(b)[:300]}")
    for run, (a, b) in enumerate(zip(old_reports, new_reports, strict=True), 1):
        same = a == b
        differ += not same
        counts = {k: a[k] if isinstance(a[k], int) else len(a[k]) for k in a}  # type: ignore[arg-type]
        print(f"  report of run {run} {counts}: {'same' if same else 'DIFFER'}")
        if not same:
            print(f"    was {str(a)[:300]}\n    now {str(b)[:300]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
