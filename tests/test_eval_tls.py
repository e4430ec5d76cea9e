"""`storyline eval tls`: the JSON contract on a tiny Timeline17-layout folder, and the T17 gate.

The gate (``tests/baselines/tls.json``) holds the averaged figures actually reached on
``../shared/data/t17``; a change that makes timelines worse by more than 0.002 fails CI.
Raise the pins when the method improves; never lower them.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, RunCli
from storyline.evaluate import tls_eval

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


def _tiny_t17(root: Path) -> Path:
    folder = root / "Dam_arden"
    for day, lines in DAYS.items():
        (folder / "InputDocs" / day).mkdir(parents=True)
        (folder / "InputDocs" / day / "1.htm.txt").write_text("\n".join(lines) + "\n")
    (folder / "timelines").mkdir()
    (folder / "timelines" / "ref.txt").write_text(REFERENCE)
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


def test_timeline17_scores_hold_the_pinned_floor(shared_data: Path, tmp_path: Path) -> None:
    report = tls_eval.run(shared_data / "t17", db=tmp_path / "t17.db")
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
    assert report.timeline_seconds < 60, "the 11 timelines should take seconds, not minutes"
