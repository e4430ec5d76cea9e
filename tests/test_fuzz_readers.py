"""Fuzzing every reader: random bytes and mutated real samples never raise past storyline.

Each reader gets arbitrary bytes, and samples from tests/data and examples/raa cut, spliced,
repeated and sprinkled with random bytes (how real files arrive damaged). Whatever comes in,
a reader yields articles and one-line problems; the only exception allowed out is a
:class:`~storyline.errors.StorylineError` (which the CLI turns into one line).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.sources import csv, encoding, feed, html, jsonl, plaintext
from storyline.sources.base import Problem, RawArticle
from storyline.sources.detect import read_file

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted(
    p
    for folder in (REPO / "tests" / "data" / "sources", REPO / "examples" / "raa")
    for p in folder.iterdir()
    if p.is_file()
)
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(items: Iterable[object]) -> None:
    """Drain a reader: articles and one-line problems, nothing else, no foreign exception."""
    try:
        for item in items:
            if isinstance(item, Problem):
                assert "\n" not in item.message and item.kind in ("skipped", "warning")
            else:
                assert isinstance(item, RawArticle) and isinstance(item.text, str)
                item.text.encode("utf-8")  # storable: no lone surrogates
    except StorylineError:
        pass


@st.composite
def mutated(draw: st.DrawFn, samples: list[Path] = SAMPLES) -> bytes:
    """A real sample, damaged: truncated, with slices cut, repeated or replaced by noise."""
    data = bytearray(draw(st.sampled_from(samples)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        size = draw(st.integers(1, 200))
        action = draw(st.sampled_from(["truncate", "cut", "repeat", "noise", "flip"]))
        if action == "truncate":
            del data[at:]
        elif action == "cut":
            del data[at : at + size]
        elif action == "repeat":
            data[at:at] = data[at : at + size] * draw(st.integers(2, 50))
        elif action == "noise":
            data[at:at] = draw(st.binary(min_size=1, max_size=size))
        else:
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


INPUTS = st.one_of(st.binary(max_size=3000), mutated())


def as_text(data: bytes) -> str:
    decoded = encoding.decode(data, "fuzz")
    return decoded.text if decoded.text is not None else data.decode("utf-8", "replace")


TEXT_READERS: dict[str, Callable[[str, str], Iterable[object]]] = {
    "plaintext": plaintext.read_text,
    "json": jsonl.read_json,
    "html": html.read_html,
    "feed": feed.read_feed,
}


@pytest.mark.parametrize("name", list(TEXT_READERS))
@FUZZ
@given(data=INPUTS)
def test_whole_file_readers(name: str, data: bytes) -> None:
    check(TEXT_READERS[name](as_text(data), "fuzz"))


@pytest.mark.parametrize("name", ["jsonl", "csv", "tsv"])
@FUZZ
@given(data=INPUTS, codec=st.sampled_from(["utf-8", "cp1252", "utf-16-le", "shift_jis"]))
def test_streamed_readers(name: str, data: bytes, codec: str) -> None:
    stream = io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]
    if name == "jsonl":
        check(jsonl.read_jsonl(stream, "fuzz", encoding=codec))
    else:
        check(csv.read_csv(stream, "fuzz", tab=name == "tsv", encoding=codec))


@FUZZ
@given(data=INPUTS)
def test_decoding(data: bytes) -> None:
    decoded = encoding.decode(data, "fuzz")
    assert decoded.text is None or isinstance(decoded.text, str)
    assert all("\n" not in p.message for p in decoded.problems)


@FUZZ
@given(
    data=INPUTS,
    suffix=st.sampled_from(
        [
            *(".txt", "", ".json", ".jsonl", ".csv", ".tsv", ".html", ".rss", ".xml", ".php"),
            *(".md", ".warc", ".warc.gz", ".xlsx", ".docx", ".parquet", ".jsonl.zst"),
            *(".tgz", ".tar", ".pdf", ".mbox", ".eml"),
        ]
    ),
)
def test_any_file_through_read_file(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        check(read_file(path))
