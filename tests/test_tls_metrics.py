"""TLS metrics: hand-checked small cases, agreement with tilse (live where it is installed, and
through numbers recorded from tilse on Timeline17 pairs), and the Timeline17 reader.

Regenerate the recorded numbers with a Python that has tilse (its own venv: it bundles Perl
ROUGE-1.5.5 and needs perl with XML::Parser):

    STORYLINE_TILSE_PYTHON=/tmp/tilse-venv/bin/python .venv/bin/python tests/test_tls_metrics.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_DATA
from storyline.evaluate import rouge, t17
from storyline.evaluate.tls_metrics import (
    PRF,
    TLSScores,
    agreement,
    align_m1,
    as_timeline_dict,
    average,
    average_mean_f,
    concat,
    date_prf,
    evaluate,
)

HERE = Path(__file__).parent
EXPECTED = HERE / "data" / "tls" / "tilse_expected.json"
TILSE_SCRIPT = HERE / "data" / "tls" / "tilse_score.py"
T17 = SHARED_DATA / "t17"
TOLERANCE = 0.005

Timeline = dict[date, list[str]]
D = date.fromisoformat


# --- ROUGE-1.5.5 tokens and counts ---------------------------------------------------------


def test_stemmer_follows_rouge_porter_and_wordnet_exceptions() -> None:
    assert rouge.stem("children") == "child"  # WordNet exception, not Porter
    assert rouge.stem("running") == "run"
    assert rouge.stem("relational") == "relat"
    # ROUGE's step 4 tries "-ment"/"-ent" after the other suffixes (textbook Porter stops at
    # "-al": "government")
    assert rouge.stem("governmental") == "govern"
    assert rouge.stem("went") == "go"  # WordNet exception
    assert rouge.stem("gas") == "gas"  # three letters or fewer are never stemmed ("ga" otherwise)
    assert rouge.porter_stem("yelling") == "yell"


def test_tokens_follow_rouge_readtext() -> None:
    # lower-case, stop words out, "-" split, non-ASCII and punctuation are separators,
    # "^" is written by pyrouge as "&circ;" and a "<" ends what ROUGE reads of the sentence
    assert rouge.tokens(["The BP e-mail", "U.S. caf\u00e9 a^b <x> gone"]) == (
        "bp",
        "mail",
        "caf",
        "circ",
    )


def test_rouge_counts_clip_and_cross_sentences() -> None:
    c1 = rouge.rouge_counts(["oil oil spill"], ["oil spill"], 1)
    assert c1 == rouge.RougeCounts(hit=2, peer=3, model=2)
    # bigrams run across the sentence boundary: "oil spill" is matched
    c2 = rouge.rouge_counts(["big oil", "spill"], ["oil spill"], 2)
    assert c2 == rouge.RougeCounts(hit=1, peer=2, model=1)


# --- metrics on hand-made timelines ---------------------------------------------------------

# after ROUGE processing: "rig explodes" -> rig explod; "engineers seal leak" -> engin seal leak
REF: Timeline = {D("2010-04-20"): ["rig explodes"], D("2010-09-19"): ["engineers seal leak"]}
PRED: Timeline = {D("2010-04-21"): ["rig explodes"], D("2010-09-19"): ["oil spill gulf"]}


def test_concat_ignores_dates() -> None:
    s = concat(PRED, REF)
    # unigrams: pred {rig, explod, oil, spill, gulf}, ref {rig, explod, engin, seal, leak}
    assert s["rouge1"] == PRF.of(2 / 5, 2 / 5)
    assert s["rouge1"].f1 == pytest.approx(0.4)
    # bigrams: pred 4 (rig explod, explod oil, oil spill, spill gulf), ref 4; hit "rig explod"
    assert s["rouge2"] == PRF.of(1 / 4, 1 / 4)


def test_agreement_needs_the_same_day() -> None:
    s = agreement(PRED, REF)
    # the only shared date (09-19) has no common word: nothing is matched
    assert s["rouge1"] == PRF(0.0, 0.0, 0.0)
    exact = agreement(REF, REF)
    assert exact["rouge1"].f1 == pytest.approx(1.0)
    assert exact["rouge2"].f1 == pytest.approx(1.0)


def test_align_m1_discounts_a_day_off() -> None:
    s = align_m1(PRED, REF)
    # 04-21 aligns to 04-20 (same words: content cost 0): 2 hits x 1/2; 09-19 to itself: 0
    assert s["rouge1"].precision == pytest.approx(1 / 5)
    assert s["rouge1"].recall == pytest.approx(1 / 5)
    assert s["rouge2"].precision == pytest.approx(0.5 / 3)  # 1 + 2 bigrams in the two days
    assert s["rouge2"].recall == pytest.approx(0.5 / 3)


def test_align_m1_is_many_to_one() -> None:
    pred = {D("2010-04-20"): ["rig explodes"], D("2010-04-22"): ["rig explodes"]}
    s = align_m1(pred, REF)
    # both system dates go to 04-20 (weights 1 and 1/3): precision (2 + 2/3) / 4
    assert s["rouge1"].precision == pytest.approx((2 + 2 / 3) / 4)
    # recall: 04-20 gets its exact twin; 09-19 goes to the nearer system date 04-22, no hits
    assert s["rouge1"].recall == pytest.approx(2 / 5)


def test_date_prf_and_empty_timelines() -> None:
    assert date_prf(PRED, REF) == PRF.of(0.5, 0.5)
    empty = evaluate({}, REF)
    assert empty.align_m1["rouge1"].f1 == 0.0
    assert empty.concat["rouge2"].f1 == 0.0
    assert empty.date.f1 == 0.0


def test_averages_both_ways() -> None:
    a, b = evaluate(REF, REF), evaluate({}, REF)
    news_tls = average([a, b])
    assert news_tls.align_m1["rouge1"].precision == pytest.approx(0.5)
    assert news_tls.align_m1["rouge1"].f1 == pytest.approx(0.5)  # F of means
    assert average_mean_f([a, b]).align_m1["rouge1"].f1 == pytest.approx(0.5)  # mean of F
    lopsided = [evaluate(REF, REF), evaluate({D("2010-04-20"): ["rig explodes"]}, REF)]
    # second task: P = 1, R = 1/2, F = 2/3; F of means (1, 3/4) = 6/7; mean of F = 5/6
    assert average(lopsided).date.f1 == pytest.approx(6 / 7)
    assert average_mean_f(lopsided).date.f1 == pytest.approx(5 / 6)


def test_records_are_scored_by_their_day_entries() -> None:
    from storyline.records import Citation, Entry
    from storyline.records import Timeline as Record

    def cite(text: str) -> Citation:
        return Citation(text=text, article_id="a", sentence_index=0, start=0, end=len(text))

    record = Record(
        "t",
        [
            Entry(D("2010-04-20"), "day", False, [cite("rig  explodes")]),
            Entry(D("2010-04-01"), "month", False, [cite("April")]),
            Entry(D("2010-09-19"), "day", True, [cite("engineers seal leak")]),
        ],
    )
    assert as_timeline_dict(record) == REF
    assert evaluate(as_timeline_dict(record), REF).align_m1["rouge2"].f1 == pytest.approx(1.0)


# --- Timeline17 reader ------------------------------------------------------------------------


def test_parse_timeline_later_block_replaces_earlier_and_round_trips() -> None:
    text = "2010-01-02\nfirst .\n" + t17.SEPARATOR + "\n2010-01-01\nA b .\nC d .\n"
    text += t17.SEPARATOR + "\n2010-01-02\nsecond .\n" + t17.SEPARATOR + "\n"
    tl = t17.parse_timeline(text)
    assert tl == {D("2010-01-01"): ["A b .", "C d ."], D("2010-01-02"): ["second ."]}
    assert t17.parse_timeline(t17.format_timeline(tl)) == tl
    assert t17.format_timeline(tl).splitlines()[0] == "2010-01-01"


def test_t17_tasks(shared_data: Path) -> None:
    tasks = {t.name: t for t in t17.load_tasks(shared_data / "t17")}
    assert len(tasks) == 11
    guardian = tasks["bpoil_guardian__guardian"]
    assert guardian.dates == 102  # 104 date lines, two repeated
    assert guardian.file_name == "bpoil_guardian__guardian.txt"
    assert tasks["H1N1_bbc__influenza_A_h1n1_scotland_bbc"].dates == 7
    mj = tasks["MJ_bbc__bbc.co.uk"]
    assert D("2011-04-02") in mj.timeline and mj.dates == 38
    assert {t.topic for t in tasks.values()} == {"bpoil", "EgyptianProtest", "H1N1", "MJ", "Finan"}
    assert all(t.per_date >= 1 and t.start <= t.end for t in tasks.values())
    flu = tasks["H1N1_guardian__swine_flu_guardian"]
    arts = t17.topic_articles(shared_data / "t17", "H1N1", flu.start, flu.end)
    assert arts and all(flu.start <= d <= flu.end for d, _ in arts)
    assert len(arts) < len(t17.topic_articles(shared_data / "t17", "H1N1"))
    assert len(t17.topics(shared_data / "t17")["bpoil"]) == 5


# --- agreement with tilse ---------------------------------------------------------------------


def _shift(days: int, every: int = 1) -> Callable[[Timeline], Timeline]:
    def move(tl: Timeline) -> Timeline:
        out: Timeline = {}
        for i, d in enumerate(sorted(tl)):
            out.setdefault(d + timedelta(days=days if i % every == 0 else 0), []).extend(tl[d])
        return out

    return move


def _head(tl: Timeline) -> Timeline:
    """The first half of the dates, first sentence of each."""
    days = sorted(tl)[: max(1, len(tl) // 2)]
    return {d: tl[d][:1] for d in days}


def _every_third(tl: Timeline) -> Timeline:
    return {d: tl[d] for i, d in enumerate(sorted(tl)) if i % 3 == 0}


TRANSFORMS: dict[str, Callable[[Timeline], Timeline]] = {
    "identity": lambda tl: tl,
    "shift+1": _shift(1),
    "shift-2_every_other": _shift(-2, every=2),
    "head": _head,
    "every_third": _every_third,
}

# (system reference file, transform, reference file), paths relative to t17/
PAIRS: list[tuple[str, str, str]] = [
    ("bpoil_bbc/timelines/bbc.txt", "identity", "bpoil_guardian/timelines/guardian.txt"),
    ("bpoil_foxnews/timelines/foxnews.txt", "identity", "bpoil_bbc/timelines/bbc.txt"),
    ("bpoil_reuters/timelines/rbpoil.txt", "identity", "bpoil_washingtonpost/timelines/washingtonpost.txt"),
    ("bpoil_guardian/timelines/guardian.txt", "shift+1", "bpoil_bbc/timelines/bbc.txt"),
    ("bpoil_bbc/timelines/bbc.txt", "head", "bpoil_bbc/timelines/bbc.txt"),
    ("H1N1_guardian/timelines/swine_flu_guardian.txt", "identity", "H1N1_reuters/timelines/h1n1_reuters.txt"),
    ("H1N1_bbc/timelines/influenza_A_h1n1_scotland_bbc.txt", "identity", "H1N1_guardian/timelines/swine_flu_guardian.txt"),
    ("MJ_bbc/timelines/bbc.co.uk.txt", "shift-2_every_other", "MJ_bbc/timelines/bbc.co.uk.txt"),
    ("Finan_washingtonpost/timelines/financial_crisis_wallstreet_washingtonpost.txt", "every_third", "Finan_washingtonpost/timelines/financial_crisis_wallstreet_washingtonpost.txt"),
    ("EgyptianProtest_cnn/timelines/tl8.txt", "shift+1", "EgyptianProtest_cnn/timelines/tl8.txt"),
    ("H1N1_reuters/timelines/h1n1_reuters.txt", "shift-2_every_other", "H1N1_bbc/timelines/influenza_A_h1n1_scotland_bbc.txt"),
    ("bpoil_guardian/timelines/guardian.txt", "article_leads", "bpoil_guardian/timelines/guardian.txt"),
    ("H1N1_reuters/timelines/h1n1_reuters.txt", "article_leads", "H1N1_reuters/timelines/h1n1_reuters.txt"),
    ("EgyptianProtest_cnn/timelines/tl8.txt", "article_leads", "EgyptianProtest_cnn/timelines/tl8.txt"),
]  # fmt: skip

# tokens that ROUGE-1.5.5 reads in its own way (see storyline.evaluate.rouge)
SYNTHETIC_PAIR: tuple[Timeline, Timeline] = (
    {
        D("2010-01-01"): ["The children went home ."],
        D("2010-01-03"): ["BP^s oil <spill> AT&T e-mail U.S. $5 caf\u00e9 running quickly"],
    },
    {
        D("2010-01-02"): ["A child goes home running", "oil spill at sea"],
        D("2010-01-03"): [
            "BP says the oil spill e-mail was sent by AT&T in the U.S. caf\u00e9 circ"
        ],
    },
)


def _leads(folder: Path, tl: Timeline, lines: int = 3) -> Timeline:
    """A system-like timeline: on each date, the first lines of that day's first non-empty article
    (raw PTB-tokenised article text, with its ``-LRB-``, ``&`` and odd characters)."""
    out: Timeline = {}
    for day in sorted(tl):
        day_dir = folder / "InputDocs" / day.isoformat()
        for f in sorted(day_dir.iterdir()) if day_dir.is_dir() else []:
            text = [x.strip() for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
            if text:
                out[day] = text[:lines]
                break
    return out


def _pair(root: Path, spec: tuple[str, str, str]) -> tuple[Timeline, Timeline]:
    system, transform, reference = spec
    base = t17.read_timeline(root / system)
    if transform == "article_leads":
        pred = _leads((root / system).parent.parent, base)
    else:
        pred = TRANSFORMS[transform](base)
    return pred, t17.read_timeline(root / reference)


def _as_json(tl: Timeline) -> dict[str, list[str]]:
    return {d.isoformat(): s for d, s in sorted(tl.items())}


def _run_tilse(python: str, pairs: list[tuple[Timeline, Timeline]]) -> list[dict[str, Any]]:
    payload = {"pairs": [{"pred": _as_json(p), "ref": _as_json(r)} for p, r in pairs]}
    proc = subprocess.run(
        [python, str(TILSE_SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    result: list[dict[str, Any]] = json.loads(proc.stdout)
    return result


def _tilse_python() -> str | None:
    candidates = [os.environ.get("STORYLINE_TILSE_PYTHON", ""), "/tmp/tilse-venv/bin/python"]
    for python in candidates:
        if python and Path(python).exists():
            probe = subprocess.run([python, "-c", "import tilse"], capture_output=True)
            if probe.returncode == 0:
                return python
    return None


def _differences(ours: TLSScores, theirs: dict[str, Any]) -> list[str]:
    flat = ours.as_dict()
    out = []
    for metric in ("concat", "agreement", "align_m1"):
        for measure in ("rouge1", "rouge2"):
            for key in ("precision", "recall", "f1"):
                a, b = flat[metric][measure][key], theirs[metric][measure][key]
                if abs(a - b) > TOLERANCE:
                    out.append(f"{metric}/{measure}/{key}: ours {a:.5f}, tilse {b:.5f}")
    for key in ("precision", "recall", "f1"):
        if abs(flat["date"][key] - theirs["date"][key]) > TOLERANCE:
            out.append(f"date/{key}: ours {flat['date'][key]:.5f}, tilse {theirs['date'][key]:.5f}")
    return out


def test_recorded_tilse_numbers_on_synthetic_pair() -> None:
    recorded = json.loads(EXPECTED.read_text())
    assert _differences(evaluate(*SYNTHETIC_PAIR), recorded["synthetic"]) == []


def test_recorded_tilse_numbers_on_t17_pairs(shared_data: Path) -> None:
    recorded = json.loads(EXPECTED.read_text())
    problems = []
    for item in recorded["pairs"]:
        spec = (item["system"], item["transform"], item["reference"])
        for line in _differences(evaluate(*_pair(shared_data / "t17", spec)), item["tilse"]):
            problems.append(f"{spec}: {line}")
    assert problems == []


def test_live_tilse_agrees(shared_data: Path) -> None:
    python = _tilse_python()
    if python is None:
        pytest.skip(
            "tilse is not installed: set STORYLINE_TILSE_PYTHON to a Python with tilse "
            "(python3 -m venv /tmp/tilse-venv && /tmp/tilse-venv/bin/pip install tilse)"
        )
    # kept small (each tilse ROUGE call starts Perl): the recorded numbers cover more pairs
    pairs = [SYNTHETIC_PAIR, _pair(shared_data / "t17", PAIRS[-2])]
    theirs = _run_tilse(python, pairs)
    problems = [
        line
        for pair, t in zip(pairs, theirs, strict=True)
        for line in _differences(evaluate(*pair), t)
    ]
    assert problems == []


def test_scoring_is_fast(shared_data: Path) -> None:
    pairs = [_pair(shared_data / "t17", spec) for spec in PAIRS]
    started = time.perf_counter()
    for p, r in pairs:
        evaluate(p, r)
    assert time.perf_counter() - started < 10


def _regenerate() -> None:
    python = _tilse_python()
    if python is None:
        sys.exit("set STORYLINE_TILSE_PYTHON to a Python with tilse installed")
    pairs = [_pair(T17, spec) for spec in PAIRS]
    theirs = _run_tilse(python, [SYNTHETIC_PAIR, *pairs])
    data = {
        "about": "tilse 0.2.1 (Perl ROUGE-1.5.5 -n 2 -m -s -f A -t 2) on Timeline17 pairs: "
        "system = a reference timeline after `transform`; regenerate with "
        "tests/test_tls_metrics.py run as a script",
        "synthetic": theirs[0],
        "pairs": [
            {"system": s, "transform": tr, "reference": r, "tilse": t}
            for (s, tr, r), t in zip(PAIRS, theirs[1:], strict=True)
        ],
    }
    EXPECTED.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    _regenerate()
