"""TimeML reading, Task A scoring, and the regression gate on TempEval-3 (pinned baseline)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from storyline.errors import EvaluationError, NotFoundError
from storyline.evaluate.timeml import load_dir, score_dir, score_document, shape
from storyline.records import TimeExpression
from storyline.time.timeml import parse_timeml, to_timeml

DATA = Path(__file__).parent / "data" / "time"
SHARED = SHARED_DATA / "tempeval3"
BASELINE = Path(__file__).parent / "baselines" / "time.json"
EPSILON = 0.002


def test_reader_keeps_offsets_and_skips_the_dct() -> None:
    (doc, _) = load_dir(DATA)
    assert doc.dct is not None and doc.dct.isoformat() == "2017-04-19"
    assert [g.text for g in doc.timexes][:3] == ["Wednesday", "January", "November 2015"]
    for g in doc.timexes:
        assert doc.text[g.start : g.end] == g.text
    assert "&amp;" not in doc.text and " & " in doc.text


def test_perfect_and_empty_predictions() -> None:
    (doc, _) = load_dir(DATA)
    perfect = [TimeExpression(g.start, g.end, g.text, g.type, g.value) for g in doc.timexes]
    tally, _ = score_document(doc, perfect)
    assert tally.scores()["strict"]["f1"] == 1.0
    assert tally.scores()["value_accuracy"] == 1.0
    tally, _ = score_document(doc, [])
    assert tally.scores()["relaxed"]["recall"] == 0.0


def test_relaxed_counts_overlap_once() -> None:
    (doc, _) = load_dir(DATA)
    g = doc.timexes[2]  # "November 2015"
    ours = [TimeExpression(g.start, g.start + 8, "November", "DATE", "2015-11")]
    tally, _ = score_document(doc, ours)
    assert (tally.strict, tally.relaxed, tally.value_ok) == (0, 1, 1)


def test_our_small_files_score_well() -> None:
    result = score_dir(DATA)
    assert result["documents"] == 2
    assert set(result) >= {"strict", "relaxed", "type_accuracy", "value_accuracy", "per_type"}
    assert result["strict"]["f1"] >= 0.9
    assert result["value_accuracy"] >= 0.9


def test_roundtrip_through_timeml() -> None:
    text = "Talks ended on Friday & resume in May."
    ours = [TimeExpression(15, 21, "Friday", "DATE", "2017-04-14")]
    doc = parse_timeml(to_timeml(text, ours))
    assert doc.text == text
    assert [(g.start, g.end, g.value) for g in doc.timexes] == [(15, 21, "2017-04-14")]


def test_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        score_dir(tmp_path / "absent")
    with pytest.raises(EvaluationError):
        score_dir(tmp_path)
    (tmp_path / "bad.tml").write_text("<TimeML>no text</TimeML>")
    with pytest.raises(EvaluationError):
        score_dir(tmp_path)


def test_shape_hides_the_particulars() -> None:
    assert shape("Sept. 30") == "MON 9"
    assert shape("last Friday") == "last WD"


@pytest.mark.shared_data
@pytest.mark.parametrize("corpus", ["TimeBank", "AQUAINT"])
def test_gate_tempeval3(corpus: str) -> None:
    """No change may make the tagger worse than the figures pinned in the baseline."""
    if not (SHARED / corpus).exists():
        pytest.skip(f"{SHARED} is absent: TempEval-3 gold is not part of the repository")
    pinned = json.loads(BASELINE.read_text())[corpus]
    result = score_dir(SHARED / corpus)
    assert result["strict"]["f1"] >= pinned["strict_f1"] - EPSILON
    assert result["relaxed"]["f1"] >= pinned["relaxed_f1"] - EPSILON
    assert result["type_accuracy"] >= pinned["type_accuracy"] - EPSILON
    assert result["value_accuracy"] >= pinned["value_accuracy"] - EPSILON
