"""Story-detection scores and the ``eval stories`` harness, run as a user runs them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import REPO, RunCli
from storyline.errors import EvaluationError
from storyline.evaluate.clustering import bcubed, pairwise
from test_stories import STRIKE, VOLCANO, _article

BASELINE = REPO / "tests" / "baselines" / "stories.json"


def test_bcubed_and_pairwise_by_hand() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    found = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    b = bcubed(truth, found)
    # precision: a,b 1 each; c,d,e: 1/3, 2/3, 2/3 → 11/3 / 5; recall: a,b 2/3; c 1/3; d,e 1
    assert b.precision == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    assert b.recall == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)
    p = pairwise(truth, found)
    # found pairs: ab, cd, ce, de (4); true pairs: ab, ac, bc, de (4); shared: ab, de
    assert (p.precision, p.recall, p.f1) == (0.5, 0.5, 0.5)
    perfect = bcubed(truth, {k: str(v) for k, v in truth.items()})
    assert perfect.f1 == 1.0
    with pytest.raises(EvaluationError):
        bcubed(truth, {"a": 1})


def _t17_layout(root: Path) -> None:
    """Two topics in Timeline17 layout, the first from two sources (one story across folders)."""
    for folder, lines, first in (
        ("katla_ruv", VOLCANO, date(2021, 3, 1)),
        ("katla_bbc", VOLCANO, date(2021, 3, 2)),
        ("ferries_smh", STRIKE, date(2021, 3, 3)),
    ):
        for k in range(3):
            day = first + timedelta(days=2 * k)
            path = root / folder / "InputDocs" / day.isoformat() / f"{k}.htm.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            text = _article(lines, k + (3 if folder == "katla_bbc" else 0), day)
            path.write_text(text.split("\n", 1)[1])  # the folder gives the date


def test_eval_stories_contract(run_cli: RunCli, tmp_path: Path) -> None:
    _t17_layout(tmp_path / "t17")
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "a.txt").write_text(
        "date 2019-05-02\nThe Tasmanian devil facial tumour vaccine trial began at Hobart.\n"
        "Researchers at the Menzies Institute said devils at Narawntapu responded well.\n"
    )
    result = run_cli("eval", "stories", str(tmp_path / "t17"), "--with", str(extra), "--json")
    assert result.code == 0, result.err
    figures = result.json()
    assert isinstance(figures, dict)
    assert {"articles", "stories_true", "stories_found", "bcubed", "pairwise"} <= set(figures)
    assert figures["articles"] == 10 and figures["stories_true"] == 3
    assert set(figures["bcubed"]) == {"precision", "recall", "f1"}
    assert figures["bcubed"]["f1"] == 1.0 and figures["stories_found"] == 3
    table = run_cli("eval", "stories", str(tmp_path / "t17"))
    assert table.code == 0 and "bcubed" in table.out and "F1 1.000" in table.out


def test_eval_stories_missing_folder(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("eval", "stories", str(tmp_path / "nope"))
    assert result.code == 1 and "Timeline17" in result.err and "Traceback" not in result.err


@pytest.mark.shared_data
def test_t17_and_seeds_stay_above_the_gate(
    run_cli: RunCli, shared_data: Path, seeds: Path, tmp_path: Path
) -> None:
    """The regression gate: the 5 T17 topics plus the seeds, ingested together."""
    gate = json.loads(BASELINE.read_text())
    db = tmp_path / "gate.db"
    result = run_cli(
        "eval", "stories", str(shared_data / "t17"), "--with", str(seeds), "--db", str(db), "--json"
    )
    assert result.code == 0, result.err
    figures = result.json()
    assert isinstance(figures, dict)
    assert figures["articles"] == gate["articles"]
    for metric in ("bcubed", "pairwise"):
        for key in ("precision", "recall", "f1"):
            floor = gate[metric][key] - gate["tolerance"]
            assert figures[metric][key] >= floor, (metric, key, figures[metric][key], floor)
    stories = run_cli("stories", "--json", "--db", str(db)).json()
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    assert isinstance(stories, list) and isinstance(rows, list)
    seed_ids = {r["id"] for r in rows if Path(r["source"]).resolve().parent == seeds.resolve()}
    assert len(seed_ids) == 2
    holding = [s for s in stories if seed_ids & set(s["articles"])]
    assert len(holding) == 1 and set(holding[0]["articles"]) == seed_ids


@pytest.mark.shared_data
def test_overlap_mix_and_seeds_stay_above_the_gate(
    run_cli: RunCli, shared_data: Path, seeds: Path, tmp_path: Path
) -> None:
    """The concurrent-stories gate: the T17 topics moved into the same weeks, plus the seeds."""
    gate = json.loads(BASELINE.read_text())["overlap"]
    db = tmp_path / "overlap.db"
    result = run_cli(
        "eval", "stories", str(shared_data / "t17"), "--with", str(seeds), "--overlap",
        "--db", str(db), "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    figures = result.json()
    assert isinstance(figures, dict)
    assert figures["articles"] == gate["articles"]
    shifts = figures["overlap_shift_days"]
    assert len(shifts) == 5 and all(d % 7 == 0 for d in shifts.values())
    for metric in ("bcubed", "pairwise"):
        for key in ("precision", "recall", "f1"):
            floor = gate[metric][key] - gate["tolerance"]
            assert figures[metric][key] >= floor, (metric, key, figures[metric][key], floor)
    stories = run_cli("stories", "--json", "--db", str(db)).json()
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    assert isinstance(stories, list) and isinstance(rows, list)
    seed_ids = {r["id"] for r in rows if Path(r["source"]).resolve().parent == seeds.resolve()}
    holding = [s for s in stories if seed_ids & set(s["articles"])]
    assert len(seed_ids) == 2 and len(holding) == 1 and set(holding[0]["articles"]) == seed_ids
