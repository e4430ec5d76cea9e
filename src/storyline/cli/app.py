"""The Typer apps every CLI area registers its commands on, and the options they share.

Why separate from the commands: each area (ingest, time, stories, timeline, eval, serve) keeps
its commands in its own module and imports ``app``/``eval_app`` from here, so no module grows
into a 1,000-line CLI and none imports another area's commands.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from storyline.corpus import DEFAULT_DB as DEFAULT_DB  # re-exported for the commands
from storyline.sources.base import Problem

app = typer.Typer(
    name="storyline",
    help="Turn piles and streams of news articles into dated, sourced story timelines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(
    help="Measure storyline: timelines (ROUGE, Date F1), TimeML tagging, story detection.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")


def _console(stderr: bool = False) -> Console:
    """A console that wraps only on a terminal.

    Why: piped (``storyline ingest DIR | cat``) rich wraps at 80 columns, which splits a message
    over lines and breaks ``grep``. Off a terminal each message is printed on one line (soft
    wrap); tables still lay out to the width, but a message never wraps.
    """
    out = Console(stderr=stderr)
    out.soft_wrap = not out.is_terminal
    return out


console = _console()
err_console = _console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="The store: a SQLite file, or a PostgreSQL URL (postgresql://user@host:port/dbname).",
        envvar="STORYLINE_DB",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="local|tcp://HOST:PORT",
        help="Run on Dask workers: 'local' starts one worker process per core; an address "
        "uses a running scheduler (docs/dask.md). The store is the same as without.",
    ),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=0, help="At most this many items (default: all).")
]


def parse_day(value: str | None, option: str) -> date | None:
    """An ISO date from an option, or a one-line usage error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def problem_line(problem: Problem) -> str:
    """One skipped input or warning as the commands print it: kind, where, why (markup-safe)."""
    return f"{problem.kind}  {escape(problem.source)}: {escape(problem.message)}"


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8, no rich markup (scripts parse it)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
