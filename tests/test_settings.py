"""Settings are data, and every one is documented (docs/settings.md is generated from them)."""

from __future__ import annotations

import pytest

from conftest import REPO, RunCli
from storyline import settings


def test_docs_list_every_setting_exactly_as_the_registry_says() -> None:
    doc = (REPO / "docs" / "settings.md").read_text()
    assert doc == settings.as_markdown(), (
        "docs/settings.md is stale: run `storyline settings --markdown > docs/settings.md`"
    )


def test_settings_are_unique_and_explained() -> None:
    names = [s.name for s in settings.documented()]
    assert len(names) == len(set(names))
    for s in settings.documented():
        assert len(s.help) >= 30, f"{s.name}: say why it has this value"


def test_configs_are_validated_on_construction() -> None:
    with pytest.raises(ValueError, match="TimelineConfig.graph_weight must be between"):
        settings.TimelineConfig(graph_weight=2.0)
    with pytest.raises(ValueError, match="StoryConfig.batch_size must be int"):
        settings.StoryConfig(batch_size="many")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="IngestConfig.min_article_chars must be at least"):
        settings.IngestConfig(min_article_chars=0)
    with pytest.raises(ValueError, match="default_dates_min must not exceed"):
        settings.TimelineConfig(default_dates_max=10)  # below the default minimum of 15
    assert settings.TimelineConfig(graph_weight=1).graph_weight == 1.0  # an int is a float


def test_overrides_make_a_new_config_and_leave_the_defaults_alone() -> None:
    base = settings.Config()
    changed = base.with_overrides({"timeline.followup_days": 2, "stories.time_floor": 0.5})
    assert changed.timeline.followup_days == 2 and changed.stories.time_floor == 0.5
    assert base.timeline.followup_days == settings.TimelineConfig().followup_days == 1
    with pytest.raises(ValueError, match="unknown setting"):
        base.with_overrides({"timeline.no_such_knob": 1})
    with pytest.raises(ValueError, match="must be between"):
        base.with_overrides({"timeline.graph_damping": 5.0})


def test_nothing_reads_a_setting_at_import_time() -> None:
    """Stage modules take their config per call: no module-level constant copies a default."""
    source = REPO / "src" / "storyline"
    offenders = [
        str(p.relative_to(source))
        for p in source.rglob("*.py")
        if p.name != "settings.py"
        and any(
            line.startswith(("MAX_", "DEFAULT_")) and "Config()" in line
            for line in p.read_text().splitlines()
        )
        or "settings.get(" in p.read_text()
    ]
    assert offenders == []


def test_settings_command_lists_them(run_cli: RunCli) -> None:
    listed = run_cli("settings", "--json").json()
    assert isinstance(listed, list)
    assert {row["name"] for row in listed} == {s.name for s in settings.documented()}
