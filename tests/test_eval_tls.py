"""`storyline eval tls`: the JSON contract on a tiny Timeline17-layout folder, and the T17 gate.

The gate (``tests/baselines/tls.json``) holds the averaged leave-one-topic-out figures actually
reached on ``../shared/data/t17``; a change that makes timelines worse by more than 0.002 fails CI.
Raise the pins when the method improves; never lower them.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, RunCli
from storyline.evaluate import date_training, loto
from storyline.timeline.features import FEATURES
from storyline.timeline.model import DateModel

BASELINE = REPO / "tests" / "baselines" / "tls.json"

DAYS = {
    "2020-03-02": [
        "The river dam burst on Monday , flooding the valley town of Arden .",
        "Rescue teams reached the town by boat on Monday .",
    ],
    "2020-03-04": [
        "Officials said the dam burst on March 2 after days of heavy rain .",
        "The mayor ordered an inquiry into the dam collapse on Wednesday .",
    ],
    "2020-03-10": [
        "The inquiry heard on Tuesday that the dam burst on March 2 .",
        "Engineers told the inquiry the mayor ignored warnings about cracks .",
    ],
}
REFERENCE = (
    "2020-03-02\nThe dam bursts and floods the town of Arden .\n" + "-" * 32 + "\n"
    "2020-03-04\nThe mayor orders an inquiry into the dam .\n" + "-" * 32 + "\n"
)


def _topic(folder: Path, days: dict[str, list[str]], reference: str) -> None:
    """One Timeline17 folder: an article per day under InputDocs/, one reference timeline."""
    for day, lines in days.items():
        (folder / "InputDocs" / day).mkdir(parents=True)
        (folder / "InputDocs" / day / "1.htm.txt").write_text("\n".join(lines) + "\n")
    (folder / "timelines").mkdir()
    (folder / "timelines" / "ref.txt").write_text(reference)


def _tiny_t17(root: Path) -> Path:
    _topic(root / "Dam_arden", DAYS, REFERENCE)
    return root


def test_eval_tls_json_contract_and_system_files(tmp_path: Path, run_cli: RunCli) -> None:
    root = _tiny_t17(tmp_path / "t17")
    out = tmp_path / "system"
    result = run_cli("eval", "tls", str(root), "--json", "--system-dir", str(out))
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    [task] = data["tasks"]
    assert (task["topic"], task["reference"], task["dates"]) == ("Dam", "Dam_arden__ref", 2)
    for name in ("concat", "agreement", "align_m1"):
        assert set(task[name]) == {"rouge1", "rouge2"}
        assert set(data["average"][name]) == {"rouge1", "rouge2"}
    assert 0.0 < task["date_f1"] <= 1.0 and "date_f1" in data["average_mean_f"]
    written = (out / "Dam_arden__ref.txt").read_text()
    assert written.startswith("2020-03-") and "-" * 32 in written
    table = run_cli("eval", "tls", str(root))
    assert table.code == 0 and "Dam_arden__ref" in table.out and "average" in table.out


def test_eval_tls_on_a_folder_without_references_is_one_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    result = run_cli("eval", "tls", str(tmp_path))
    assert result.code != 0 and "Traceback" not in result.err and result.err.strip()


QUAKE = {
    "2021-06-01": [
        "An earthquake struck the coastal city of Bayport on Tuesday , toppling the old harbour .",
        "Firefighters pulled survivors from the harbour ruins on Tuesday .",
    ],
    "2021-06-02": [
        "The governor declared an emergency in Bayport on Wednesday after the quake .",
        "Aftershocks shook the city overnight .",
    ],
    "2021-06-09": [
        "Engineers said on Wednesday the harbour will be rebuilt by 2023 .",
        "The quake of June 1 destroyed the harbour , the governor said .",
    ],
}
QUAKE_REFERENCE = (
    "2021-06-01\nAn earthquake destroys the harbour of Bayport .\n" + "-" * 32 + "\n"
    "2021-06-09\nEngineers promise a new harbour by 2023 .\n" + "-" * 32 + "\n"
)
DAM_REFERENCE = (
    "2020-03-02\nThe dam bursts and floods the town of Arden .\n" + "-" * 32 + "\n"
    "2020-03-10\nAn inquiry hears the mayor ignored warnings .\n" + "-" * 32 + "\n"
)
"""Each topic's window holds a day that is not a reference date, so a model can learn."""


def _two_topics(root: Path) -> Path:
    _topic(root / "Dam_arden", DAYS, DAM_REFERENCE)
    _topic(root / "Quake_bayport", QUAKE, QUAKE_REFERENCE)
    return root


def test_eval_tls_loto_scores_each_topic_with_a_fold_that_never_saw_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _two_topics(tmp_path / "t17")
    result = run_cli("eval", "tls", str(root), "--loto", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict) and data["loto"] is True
    assert [t["topic"] for t in data["tasks"]] == ["Dam", "Quake"]
    folds = {f["topic"]: f for f in data["folds"]}
    assert folds["Dam"]["train_topics"] == ["Quake"] and folds["Quake"]["train_topics"] == ["Dam"]
    for fold in folds.values():
        sentence_keys = set(loto.GRID[0])
        chosen = fold["settings"]
        assert {k: v for k, v in chosen.items() if k in sentence_keys} in loto.GRID
        assert {k: v for k, v in chosen.items() if k not in sentence_keys} in loto.DATE_GRID
        assert set(fold["date_model"]["weights"]) <= set(FEATURES)
        assert fold["date_model"]["trained_on"]["topics"] == fold["train_topics"]
    table = run_cli("eval", "tls", str(root), "--loto")
    assert table.code == 0 and "fold Dam: trained on Quake" in table.out


def test_eval_tls_loto_needs_two_topics(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("eval", "tls", str(_tiny_t17(tmp_path / "t17")), "--loto")
    assert result.code != 0 and "two topics" in result.err and "Traceback" not in result.err


def test_train_dates_writes_a_model_that_timelines_use(tmp_path: Path, run_cli: RunCli) -> None:
    root = _two_topics(tmp_path / "t17")
    out = tmp_path / "model.json"
    result = run_cli("eval", "train-dates", str(root), "-o", str(out))
    assert result.code == 0, result.err
    model = DateModel.load(out)
    assert model.trained_on["topics"] == ["Dam", "Quake"] and model.trained_on["tasks"] == 2
    assert model.trained_on["C"] in date_training.C_GRID
    assert "lead_mentions" in result.out  # the weights are listed, largest first
    assert json.loads(out.read_text())["features"] == list(FEATURES)


def test_timeline17_scores_hold_the_pinned_floor(shared_data: Path, tmp_path: Path) -> None:
    """The gate is the leave-one-topic-out figure: every task scored by a fold that never saw
    its topic (the shipped model was trained on these topics, so its own figure flatters)."""
    report = loto.run(shared_data / "t17", db=tmp_path / "t17.db")
    assert len(report.results) == 11
    average = report.average
    reached = {
        "align_m1_rouge1": average.align_m1["rouge1"].f1,
        "align_m1_rouge2": average.align_m1["rouge2"].f1,
        "date_f1": average.date.f1,
        "concat_rouge1": average.concat["rouge1"].f1,
        "concat_rouge2": average.concat["rouge2"].f1,
    }
    pinned = json.loads(BASELINE.read_text())["average"]
    for name, floor in pinned.items():
        assert reached[name] >= floor - 0.002, f"{name}: {reached[name]:.4f} < pinned {floor}"
