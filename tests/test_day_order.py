"""Numeric days that read either way ("02/03/2020"): each table file is read in the one order
its own dates show, through the real ``storyline ingest`` entry point."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import RunCli, unique_text
from storyline.sources import dayorder
from storyline.sources.base import Problem
from storyline.sources.dates import parse_timestamp
from storyline.sources.fields import Columns


def _csv(path: Path, dates: list[str]) -> Path:
    rng = random.Random(len(dates))
    lines = ["title,text,date"] + [f'R{i},"{unique_text(rng)}",{d}' for i, d in enumerate(dates)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(run_cli: RunCli, db: Path, path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each row's stored day by title, and the warnings by source."""
    result = run_cli("ingest", str(path), "--db", str(db), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert isinstance(report, dict)
    listing = run_cli("articles", "--db", str(db), "--json").json()
    assert isinstance(listing, list)
    days = {a["title"]: a["published"] for a in listing}
    return days, {w["source"]: w["message"] for w in report["warnings"]}


def test_a_day_first_export_is_read_day_first_from_its_first_row(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The fifth row's 13/03/2020 shows the file writes days first: the four rows before it,
    held back until then, are read that way too (2 August, not 8 February), silently."""
    path = _csv(
        tmp_path / "eu.csv",
        ["01/01/2020", "02/08/2020", "03/06/2020", "04/04/2020", "13/03/2020", "05/02/2020"],
    )
    days, warnings = _ingest(run_cli, tmp_path / "eu.db", path)
    assert days == {
        "R0": "2020-01-01",
        "R1": "2020-08-02",
        "R2": "2020-06-03",
        "R3": "2020-04-04",
        "R4": "2020-03-13",
        "R5": "2020-02-05",
    }
    assert warnings == {}


def test_a_file_that_never_shows_its_order_is_read_month_first_with_one_warning(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "either.csv", ["02/08/2020", "03/06/2020", "04/04/2020", "05/02/2020"])
    days, warnings = _ingest(run_cli, tmp_path / "either.db", path)
    assert days["R0"] == "2020-02-08" and days["R3"] == "2020-05-02"
    assert list(warnings) == [str(path)]
    assert "3 dates such as '02/08/2020'" in warnings[str(path)]
    assert "month first" in warnings[str(path)]


def test_a_row_that_contradicts_the_order_read_is_named(run_cli: RunCli, tmp_path: Path) -> None:
    path = _csv(tmp_path / "us.csv", ["03/13/2020", "02/08/2020", "14/03/2020"])
    days, warnings = _ingest(run_cli, tmp_path / "us.db", path)
    assert days == {"R0": "2020-03-13", "R1": "2020-02-08", "R2": "2020-03-14"}
    (where, message) = warnings.popitem()
    assert where == f"{path}#line 4" and not warnings
    assert "'14/03/2020' can only be read day first" in message and "'03/13/2020'" in message


def test_a_jsonl_record_alone_says_how_it_read_an_ambiguous_day(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Records of a JSONL stream may come from anywhere: each ambiguous day is read month first
    with a note of its own; a dotted day is read day first, as it is written."""
    path = tmp_path / "records.jsonl"
    rng = random.Random(5)
    records = [
        {"title": "slash", "text": unique_text(rng), "date_publish": "02/03/2020"},
        {"title": "dots", "text": unique_text(rng), "date_publish": "02.03.2020"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    days, warnings = _ingest(run_cli, tmp_path / "j.db", path)
    assert days == {"slash": "2020-02-03", "dots": "2020-03-02"}
    assert list(warnings) == [f"{path}#line 1"]
    assert "may be day or month first" in warnings[f"{path}#line 1"]


def test_evidence_and_the_hold_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    assert dayorder.evidence("13/03/2020") is True
    assert dayorder.evidence("03/13/2020") is False
    assert dayorder.evidence("03/04/2020") is None and dayorder.evidence("2020-03-04") is None
    assert dayorder.ambiguous("03/04/20") and not dayorder.ambiguous("04/04/2020")
    assert parse_timestamp("02/03/2020", day_first=True) == (parse_timestamp("2020-03-02")[0], None)
    # past HOLD_ROWS rows without evidence the order settles (month first): a later day-first
    # date is then a contradiction, named once
    columns = Columns(text="text", date="date")
    rows = [({"text": "x" * 30, "date": "02/03/2020"}, f"f#line {i}") for i in range(3)]
    rows.append(({"text": "x" * 30, "date": "13/03/2020"}, "f#line 9"))
    monkeypatch.setattr(dayorder, "HOLD_ROWS", 2)
    out = list(dayorder.read_rows(rows, columns, "f", 10_000))
    warnings = [p for p in out if isinstance(p, Problem)]
    assert [w.source for w in warnings] == ["f", "f#line 9"]
    articles = [a for a in out if not isinstance(a, Problem)]
    assert [str(a.published) for a in articles] == ["2020-02-03"] * 3 + ["2020-03-13"]
