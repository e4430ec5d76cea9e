"""Settings are data, and every one is documented (docs/settings.md is generated from them)."""

from __future__ import annotations

from conftest import REPO, RunCli
from storyline import settings


def test_docs_list_every_setting_exactly_as_the_registry_says() -> None:
    doc = (REPO / "docs" / "settings.md").read_text()
    assert doc == settings.as_markdown(), (
        "docs/settings.md is stale: run `storyline settings --markdown > docs/settings.md`"
    )


def test_settings_are_unique_and_explained() -> None:
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    for s in settings.SETTINGS:
        assert len(s.help) >= 30, f"{s.name}: say why it has this value"


def test_settings_command_lists_them(run_cli: RunCli) -> None:
    listed = run_cli("settings", "--json").json()
    assert isinstance(listed, list)
    assert {row["name"] for row in listed} == {s.name for s in settings.SETTINGS}
