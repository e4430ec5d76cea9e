"""Choose a dating setting leave-one-topic-out on the dating bench: never on the topic scored.

Prints, for each candidate value, the bench's figures per T17 topic; then, for each topic, the
value chosen on the other four (exact day, then within 7 days, pooled over their articles)
and its held-out figures. Writes ``bench/results/dating_loto_<setting>.json``. Usage::

    .venv/bin/python bench/loto_dating.py lag_neighbours 0 5 15 30 60

Protocol: ``bench_dating.py``'s (a quarter of the dates hidden, ``random.Random(1)``, one
``Corpus.ingest`` with the default settings); then, for each value, a copy of that store has its
undated articles re-dated from their stories (``redate_undated``, what the ingest ends with)
under the default settings but that one. The seeds are not a topic and are left out of the
choice.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

from bench_dating import OUT, T17, TOPIC, dev_articles, hide, score

from storyline.corpus import Corpus
from storyline.settings import DatingConfig
from storyline.store.sqlite import SQLiteStore
from storyline.stories.redate import redate_undated

Found = list[tuple[date | None, str | None, date]]


def _value(field: str, text: str) -> object:
    kind = type(getattr(DatingConfig(), field))
    return kind(text)


def _by_topic(db: Path, gold: dict[str, date], config: DatingConfig) -> dict[str, Found]:
    """Re-date the undated of a copy of ``db`` under ``config``: (estimate, granularity, real
    day) per topic."""
    with SQLiteStore(db) as store:
        redate_undated(store, config=config)
        found: dict[str, Found] = {}
        for batch in store.iter_articles():
            for a in batch:
                if a.source in gold and TOPIC[a.source] != "seeds":
                    found.setdefault(TOPIC[a.source], []).append(
                        (a.published, a.date_granularity, gold[a.source])
                    )
    return found


def _pooled(found: dict[str, Found], topics: list[str]) -> dict[str, object]:
    return score([f for t in topics for f in found[t]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("setting", help="a DatingConfig field")
    parser.add_argument("values", nargs="+", help="its candidate values")
    args = parser.parse_args()
    if not T17.exists():
        print(f"skipped: {T17} absent")
        return
    values = [_value(args.setting, v) for v in args.values]
    runs: dict[str, dict[str, Found]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        keep, gold = hide(dev_articles(), 0.25, 1, Path(tmp) / "hidden")
        db = Path(tmp) / "dating.db"
        with Corpus(db) as corpus:
            corpus.ingest([*map(str, keep), str(Path(tmp) / "hidden")])
        for value in values:
            copy = Path(tmp) / "copy.db"
            shutil.copy(db, copy)
            config = dataclasses.replace(DatingConfig(), **{args.setting: value})
            runs[str(value)] = _by_topic(copy, gold, config)
            copy.unlink()
    topics = sorted(next(iter(runs.values())))
    table = {v: {t: score(found[t]) for t in topics} for v, found in runs.items()}
    for v, per in table.items():
        print(
            f"{args.setting}={v}: in-sample {_line(_pooled(runs[v], topics))} · "
            + " · ".join(f"{t} {_line(s)}" for t, s in per.items())
        )
    held: dict[str, object] = {}
    chosen_found: Found = []
    for t in topics:
        rest = [r for r in topics if r != t]

        def key(v: str, rest: list[str] = rest) -> tuple[float, float]:
            s = _pooled(runs[v], rest)
            return (float(s["exact"]), float(s["within_7_days"]))  # type: ignore[arg-type]

        best = max(runs, key=key)
        held[t] = {"chosen": best, **table[best][t]}
        chosen_found += runs[best][t]
        print(
            f"held out {t}: chosen {args.setting}={best} on the other four -> {_line(table[best][t])}"
        )
    overall = score(chosen_found)
    print(f"held-out overall: {_line(overall)}")
    result = {
        "protocol": __doc__.split("Protocol: ")[1].strip(),
        "setting": args.setting,
        "in_sample": {v: _pooled(runs[v], topics) for v in runs},
        "in_sample_by_topic": table,
        "held_out_by_topic": held,
        "held_out": overall,
    }
    out = OUT.with_name(f"dating_loto_{args.setting}.json")
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(OUT.parents[2])}")


def _line(s: dict[str, object]) -> str:
    return f"{s['exact']:.3f} exact / {s['within_7_days']:.3f} ≤7 d ({s['articles']})"


if __name__ == "__main__":
    main()
