"""``storyline dates`` and ``storyline eval timeml`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import storyline.cli.time  # noqa: F401  (registers the commands)
from conftest import RunCli
from storyline.cli.app import app

runner = CliRunner()
DATA = Path(__file__).parent / "data" / "time"


def test_dates_json_offsets_include_the_date_line(tmp_path: Path) -> None:
    raw = "date 2017-04-19\nThe ministers agreed Wednesday to meet again in January."
    path = tmp_path / "a.txt"
    path.write_text(raw, encoding="utf-8")
    result = runner.invoke(app, ["dates", str(path), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert {"start", "end", "text", "type", "value"} == set(items[0])
    by_text = {i["text"]: i for i in items}
    assert by_text["Wednesday"]["value"] == "2017-04-19"
    assert by_text["January"]["value"] == "2017-01"
    for i in items:
        assert raw[i["start"] : i["end"]] == i["text"]


def test_dates_offsets_index_the_raw_file(tmp_path: Path) -> None:
    raw = "date 2017-04-19\r\nThey met on Friday.\r\nAnd again in May."
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    items = json.loads(runner.invoke(app, ["dates", str(path), "--json"]).stdout)
    assert [i["text"] for i in items] == ["Friday", "May"]
    for i in items:
        assert raw[i["start"] : i["end"]] == i["text"]


def test_dates_dct_option_wins_and_stdin() -> None:
    result = runner.invoke(app, ["dates", "-", "--dct", "2020-11-18", "--json"], input="on Tuesday")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["value"] == "2020-11-17"


def test_dates_without_dct_is_underspecified() -> None:
    result = runner.invoke(app, ["dates", "--text", "They met on Tuesday in 1960.", "--json"])
    values = {i["text"]: i["value"] for i in json.loads(result.stdout)}
    assert values == {"Tuesday": "XXXX-XX-XX", "1960": "1960"}


def test_dates_text_and_timeml_output() -> None:
    result = runner.invoke(app, ["dates", "--text", "It ended last week.", "--dct", "2017-04-19"])
    assert result.exit_code == 0 and "2017-W15" in result.stdout
    result = runner.invoke(
        app, ["dates", "--text", "It ended last week.", "--dct", "2017-04-19", "--timeml"]
    )
    assert '<TIMEX3 tid="t1" type="DATE" value="2017-W15">last week</TIMEX3>' in result.stdout


def test_dates_bad_input() -> None:
    result = runner.invoke(app, ["dates", "--text", "x", "--dct", "2017-13-01"])
    assert result.exit_code != 0
    result = runner.invoke(app, ["dates", "/no/such/file.txt"])
    assert result.exit_code != 0


def test_eval_timeml_json() -> None:
    result = runner.invoke(app, ["eval", "timeml", str(DATA), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["documents"] == 2
    for key in ("strict", "relaxed"):
        assert set(data[key]) == {"precision", "recall", "f1"}
    assert 0 <= data["type_accuracy"] <= 1 and 0 <= data["value_accuracy"] <= 1
    result = runner.invoke(app, ["eval", "timeml", str(DATA)])
    assert result.exit_code == 0 and "strict" in result.stdout


def test_dates_reads_a_file_in_the_encoding_ingest_would(run_cli: RunCli, tmp_path: Path) -> None:
    """A Latin-1 file is read as windows-1252 with the same warning ingest gives (it was read
    as UTF-8, "d�missionn�"); a binary file is one error line and exit 1."""
    latin = tmp_path / "fr.txt"
    latin.write_bytes("date 2021-03-04\nLe ministre a démissionné lundi après.\n".encode("latin-1"))
    result = run_cli("dates", str(latin), "--json")
    assert result.code == 0, result.err
    assert isinstance(json.loads(result.out), list)
    assert "decoded as cp1252" in result.err
    shown = run_cli("dates", str(latin))
    assert "démissionné lundi après" in shown.out and "\ufffd" not in shown.out
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    failed = run_cli("dates", str(binary))
    assert failed.code == 1 and "binary" in failed.err and len(failed.err.strip().splitlines()) == 1
