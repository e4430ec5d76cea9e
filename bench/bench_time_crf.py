"""Experiment: a learned extent recogniser (CRF) over the rule tagger, scored across corpora.

Issue 10 item 5 asked whether a CRF over tokens (BIO labels; features: the word, its shape,
time-word and modifier flags, its neighbours, and the rule tagger's own labels) finds extents
that generalise better than the rules. It is trained on one TempEval-3 corpus and scored on
the other (TimeBank -> AQUAINT, AQUAINT -> TimeBank, each also with the silver batch added);
the rules keep the type and value. Three ways to combine:

- ``crf``: the CRF's spans that overlap a rule expression, with the rule's type and value;
- ``crf+rules``: the same, plus the rule expressions the CRF did not mark;
- ``filter``: the rule expressions the CRF marks at least in part, with the rules' extents.

It lost in every held-out direction (bench/results/time_crf.json), so nothing of it ships;
this script keeps the measurement repeatable. Needs python-crfsuite (in the dev extras, not a
dependency of storyline)::

    .venv/bin/python bench/bench_time_crf.py
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

from storyline.evaluate.timeml import load_dir, score_documents
from storyline.records import TimeExpression
from storyline.time import lexicon as lx
from storyline.time import tag
from storyline.time.timeml import TimeMLDocument

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tempeval3"
OUT = ROOT / "bench" / "results" / "time_crf.json"

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[A-Za-z]+(?:['’][A-Za-z]+)?|[^\w\s]")
_TIME_WORDS = {
    *lx.MONTHS, *lx.WEEKDAYS, *lx.UNITS, *(u + "s" for u in lx.UNITS), *lx.SEASONS,
    *lx.DAY_PARTS, "ago", "today", "yesterday", "tomorrow", "now", "tonight", "earlier", "later",
    "recent", "recently", "current", "past", "future", "present",
}  # fmt: skip
_MODIFIERS = {
    "early", "late", "mid", "last", "next", "this", "past", "the", "a", "an", "about", "around",
    "nearly", "almost", "over", "more", "than", "some", "each", "every", "that", "same", "coming",
    "previous", "following", "end", "beginning", "start", "middle", "of", "or", "so", "and",
}  # fmt: skip

Token = tuple[int, int, str]


def _shape(word: str) -> str:
    s = re.sub(r"[A-Z]", "X", word)
    s = re.sub(r"[a-z]", "x", s)
    s = re.sub(r"\d", "d", s)
    return re.sub(r"(.)\1+", r"\1\1", s)


def _tokens(text: str) -> list[Token]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _bio(tokens: list[Token], spans: list[tuple[int, int, str]]) -> list[str]:
    labels = ["O"] * len(tokens)
    for start, end, kind in spans:
        first = True
        for i, (s, e, _) in enumerate(tokens):
            if s < end and start < e:
                labels[i] = ("B-" if first else "I-") + kind
                first = False
    return labels


def _features(tokens: list[Token], rules: list[str]) -> list[list[str]]:
    out = []
    n = len(tokens)
    for i, (_, _, word) in enumerate(tokens):
        low = word.lower()
        f = ["bias", "w=" + low, "sh=" + _shape(word), "r=" + rules[i], "rb=" + rules[i][:1]]
        if low in _TIME_WORDS:
            f.append("timew")
        if low in _MODIFIERS:
            f.append("mod=" + low)
        if low.isdigit():
            f.append(f"num{len(low)}")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                other = tokens[j][2].lower()
                f += [f"{d}:w={other}", f"{d}:r={rules[j]}"]
                if other in _TIME_WORDS:
                    f.append(f"{d}:timew")
            else:
                f.append(f"{d}:pad")
        left = rules[i - 1][:1] if i else "S"
        right = rules[i + 1][:1] if i + 1 < n else "E"
        f.append(f"rr={left}{rules[i][:1]}{right}")
        out.append(f)
    return out


def _sequence(text: str, dct: date | None) -> tuple[list[Token], list[TimeExpression], list]:
    found = tag(text, dct)
    tokens = _tokens(text)
    rules = _bio(tokens, [(t.start, t.end, t.type) for t in found])
    return tokens, found, _features(tokens, rules)


def train(docs: list[TimeMLDocument], path: str) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in docs:
        tokens, _, x = _sequence(doc.text, doc.dct)
        gold = _bio(tokens, [(g.start, g.end, "T") for g in doc.timexes])
        trainer.append(x, [label[:1] for label in gold])
    trainer.set_params(
        {"c1": 0.05, "c2": 0.1, "max_iterations": 150, "feature.possible_transitions": True}
    )
    trainer.train(path)


def tagger(path: str, mode: str):  # noqa: ANN201  (a Tagger for score_documents)
    import pycrfsuite

    crf = pycrfsuite.Tagger()
    crf.open(path)

    def run(text: str, dct: date | None) -> list[TimeExpression]:
        tokens, found, x = _sequence(text, dct)
        spans: list[list[int]] = []
        current: list[int] | None = None
        for (s, e, _), label in zip(tokens, crf.tag(x), strict=True):
            if label == "B" or (label == "I" and current is None):
                if current:
                    spans.append(current)
                current = [s, e]
            elif label == "I" and current is not None:
                current[1] = e
            elif current:
                spans.append(current)
                current = None
        if current:
            spans.append(current)
        out: list[TimeExpression] = []
        used: set[int] = set()
        for s, e in spans:
            hits = [k for k, t in enumerate(found) if t.start < e and s < t.end]
            if not hits:
                continue  # no rule reading: no type or value to give it
            used.update(hits)
            t = found[hits[0]]
            if mode == "filter":
                out.append(t)
            else:
                out.append(TimeExpression(s, e, text[s:e], t.type, t.value, t.mod))
        if mode == "crf+rules":
            out += [t for k, t in enumerate(found) if k not in used]
        unique = {(t.start, t.end): t for t in out}
        return sorted(unique.values(), key=lambda t: t.start)

    return run


def _figures(result: dict) -> dict[str, float]:
    return {
        "strict_f1": result["strict"]["f1"],
        "relaxed_f1": result["relaxed"]["f1"],
        "value_accuracy": result["value_accuracy"],
    }


def main() -> None:
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        sys.exit("needs python-crfsuite: .venv/bin/pip install python-crfsuite")
    if not DATA.exists():
        sys.exit(f"{DATA} absent")
    corpora = {name: load_dir(DATA / name) for name in ("TimeBank", "AQUAINT", "silver")}
    results: dict[str, object] = {}
    for test in ("AQUAINT", "TimeBank"):
        rules = _figures(score_documents(corpora[test]))
        results[f"rules on {test}"] = rules
        print(f"rules alone on {test}: {rules}")
        other = "TimeBank" if test == "AQUAINT" else "AQUAINT"
        for training in ([other], [other, "silver"]):
            with tempfile.TemporaryDirectory() as tmp:
                path = str(Path(tmp) / "model.crf")
                train([d for name in training for d in corpora[name]], path)
                for mode in ("crf", "crf+rules", "filter"):
                    key = f"{'+'.join(training)} -> {test}, {mode}"
                    results[key] = got = _figures(
                        score_documents(corpora[test], tagger(path, mode))
                    )
                    print(f"{key}: {got}")
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
