"""``storyline settings``: every tunable, its default and why (also as docs/settings.md)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from storyline import settings as registry
from storyline.cli.app import JsonOption, app, console, print_json


@app.command()
def settings(
    as_json: JsonOption = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="The docs/settings.md table.")
    ] = False,
) -> None:
    """List every setting with its default and why it has that value."""
    if as_json:
        print_json(
            [{"name": s.name, "default": s.default, "help": s.help} for s in registry.documented()]
        )
    elif markdown:
        sys.stdout.write(registry.as_markdown())
    else:
        table = Table("name", "default", "why")
        for s in registry.documented():
            table.add_row(s.name, escape(repr(s.default)), escape(s.help))
        console.print(table)
