"""Check that this checkout's tagger finds exactly what another revision's finds.

Why: a speed change to :mod:`storyline.time` must not change a single expression, and the
TempEval scores alone would hide a change that gains one and loses another. Every TimeBank,
AQUAINT and silver TempEval-3 document (tagged against its DCT) and every T17 article (against
its folder's date, and once more without a date) is tagged by both versions, each in its own
subprocess, and the lists of (start, end, text, type, value, mod) are compared. Usage::

    .venv/bin/python bench/check_time_same.py [--baseline-rev main]

Prints the number of texts and expressions compared and the first differences; exits 1 when
any text differs. Skips a corpus that is absent from ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from baseline_src import archived_src  # bench/: this script's own folder

from storyline.evaluate.timeml import load_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

_WORKER = """
import json, sys
from datetime import date
from storyline.time import tag
texts = json.load(open(sys.argv[1], encoding="utf-8"))
out = []
for text, dct in texts:
    day = date.fromisoformat(dct) if dct else None
    out.append([[t.start, t.end, t.text, t.type, t.value, t.mod] for t in tag(text, day)])
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
"""


def corpus() -> list[tuple[str, str, str | None]]:
    """(name, text, DCT as ISO or None) of every text the check tags."""
    texts: list[tuple[str, str, str | None]] = []
    for name in ("TimeBank", "AQUAINT", "silver"):
        folder = DATA / "tempeval3" / name
        if not folder.exists():
            print(f"{name}: skipped ({folder} absent)")
            continue
        for doc in load_dir(folder):
            dct = doc.dct.isoformat() if doc.dct else None
            texts.append((f"{name}/{doc.name}", doc.text, dct))
    for path in sorted((DATA / "t17").glob("*/InputDocs/*/*.htm.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        key = str(path.relative_to(DATA))
        texts.append((key, text, path.parent.name))
        texts.append((key + " (no DCT)", text, None))
    return texts


def run(src: Path, texts: list[tuple[str, str, str | None]], tmp: Path) -> list[object]:
    """The expressions that the tagger under ``src`` finds in each text."""
    given, found = tmp / "texts.json", tmp / f"found-{abs(hash(str(src)))}.json"
    given.write_text(json.dumps([[t, d] for _, t, d in texts]), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", _WORKER, given, found], env=env, check=True)
    result: list[object] = json.loads(found.read_text(encoding="utf-8"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-rev", default="main")
    args = parser.parse_args()
    texts = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        old_src, complaint = archived_src(args.baseline_rev, tmp)
        if old_src is None:
            sys.exit(f"cannot extract {args.baseline_rev}: {complaint}")
        old = run(old_src, texts, Path(tmp))
        new = run(ROOT / "src", texts, Path(tmp))
    differ = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    expressions = sum(len(x) for x in old)  # type: ignore[arg-type]
    print(
        f"compared {len(texts)} texts, {expressions} expressions of {args.baseline_rev} "
        f"({sum(len(x) for x in new)} now): {len(differ)} texts differ"  # type: ignore[arg-type]
    )
    for i in differ[:10]:
        print(f"  {texts[i][0]}:\n    was {old[i]}\n    now {new[i]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
