"""The learned date ranker: its JSON form, the shipped weights, and a timeline that uses them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO
from storyline.errors import InputError
from storyline.records import Article, Sentence
from storyline.settings import TimelineConfig
from storyline.timeline.candidates import Pool
from storyline.timeline.dates import select_dates
from storyline.timeline.features import FEATURES, candidate_days, day_features, normalise
from storyline.timeline.model import DateModel, shipped_model


def test_a_model_round_trips_through_json_and_refuses_unknown_features(tmp_path: Path) -> None:
    model = DateModel({"published": 0.5, "lead_mentions": -0.25}, 0.1, {"C": 0.1})
    model.save(tmp_path / "m.json")
    again = DateModel.load(tmp_path / "m.json")
    assert again == model
    assert again.ranked_features() == [("published", 0.5), ("lead_mentions", -0.25)]
    with pytest.raises(InputError, match="unknown features"):
        DateModel({"shoe_size": 1.0})
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(InputError, match="not a model file"):
        DateModel.load(tmp_path / "bad.json")


def test_the_shipped_model_knows_every_feature_and_was_trained_across_topics() -> None:
    model = shipped_model()
    assert set(model.weights) == set(FEATURES)
    assert len(model.trained_on["topics"]) >= 2
    assert any(w != 0 for w in model.weights.values())


def _pool() -> Pool:
    """Three days: the 2nd is named by both later reports, the 3rd only published on."""
    texts = {
        date(2020, 3, 2): "The dam burst on Monday , flooding Arden .",
        date(2020, 3, 4): "Officials said the dam burst on March 2 after days of rain .",
        date(2020, 3, 6): "The inquiry heard the dam burst on March 2 .",
    }
    articles, sentences, mentions = [], [], {"day": {}, "month": {}, "year": {}}
    for position, (day, text) in enumerate(texts.items()):
        articles.append(Article(id=f"a{position}", text=text, published=day, source=f"s{position}"))
        sentences.append([Sentence(f"a{position}", 0, text, 0, len(text))])
        mentions["day"].setdefault(date(2020, 3, 2), []).append((position, 0))
    pool = Pool(articles, sentences, [False] * 3, mentions=mentions)
    pool.published = {a.published: [k] for k, a in enumerate(articles) if a.published}
    return pool


def test_features_are_counted_per_day_and_normalised_per_collection() -> None:
    pool = _pool()
    days = candidate_days(pool, None, None)
    assert days == [date(2020, 3, 2), date(2020, 3, 4), date(2020, 3, 6)]
    raw = day_features(pool, days, {})
    column = {name: raw[:, k] for k, name in enumerate(FEATURES)}
    assert list(column["mention_docs_after"]) == [2, 0, 0]
    assert list(column["mention_docs_same_day"]) == [1, 0, 0]
    assert list(column["published"]) == [1, 1, 1]
    scaled = normalise(raw)
    norms = np.linalg.norm(scaled, axis=0)
    assert np.allclose(norms[norms > 0], 1.0) and np.all(scaled >= 0)
    assert np.allclose(normalise(raw * 50), scaled)  # the size of a collection drops out


def test_the_model_orders_days_when_chosen_and_counts_are_the_default() -> None:
    pool = _pool()
    by_model = TimelineConfig(date_ranker="model")
    prefers_late = DateModel({"published": 0.0, "mention_docs_after": -1.0})
    late = select_dates(pool, 1, granularities=("day",), config=by_model, model=prefers_late)
    assert late[0].date != date(2020, 3, 2)
    prefers_recalled = DateModel({"mention_docs_after": 1.0})
    [first] = select_dates(pool, 1, granularities=("day",), config=by_model, model=prefers_recalled)
    assert first.date == date(2020, 3, 2)
    assert TimelineConfig().date_ranker == "counts"
    counts = select_dates(pool, 3, model=prefers_late)  # the default ignores any model
    assert counts[0].date == date(2020, 3, 2)
    with pytest.raises(ValueError, match="date_ranker must be one of"):
        TimelineConfig(date_ranker="oracle")


def test_the_shipped_model_ranks_a_recalled_day_first() -> None:
    by_model = TimelineConfig(date_ranker="model")
    [first] = select_dates(_pool(), 1, granularities=("day",), config=by_model)
    assert first.date == date(2020, 3, 2)


def test_a_wheel_carries_the_model_and_loads_it(tmp_path: Path) -> None:
    """`pip install .` (not -e) must ship the weights: built as a wheel, read from the wheel."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if built.returncode != 0 and "No module named" in built.stderr:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip().splitlines()[-1]}")
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("storyline-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "storyline/timeline/date_model.json" in archive.namelist()
        archive.extractall(tmp_path / "site")
    site = str(tmp_path / "site")
    probe = (
        "import storyline.timeline.model as m; "
        f"assert m.__file__.startswith({site!r}); "
        "print(len(m.shipped_model().weights))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": site, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert int(ran.stdout) == len(FEATURES)
