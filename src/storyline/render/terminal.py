"""A readable terminal view with rich: one block per date, sentences with their source below.

:func:`renderable` gives the rich object for a CLI that prints to its own console (colours,
terminal width); :func:`render` gives the same view as plain text, for files and tests.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from storyline.records import Timeline
from storyline.render._cite import (
    CAPTION_SOURCE,
    EXPECTED_LABEL,
    describe,
    link,
    provenance,
    sorted_entries,
)

__all__ = ["render", "renderable"]


def renderable(timeline: Timeline, wrap: bool = True) -> RenderableType:
    """The timeline as a rich renderable (text is never parsed as console markup).

    ``wrap=False`` (output piped to another program) gives each sentence and each source one
    line, so ``grep`` finds a sentence whole; on a terminal, sentences wrap with a hanging
    indent.
    """
    parts: list[RenderableType] = [Rule(Text(timeline.title or "Timeline", style="bold"))]
    if not timeline.entries:
        parts.append(Text("No entries.", style="italic"))
    for entry in sorted_entries(timeline.entries):
        head = Text(entry.label, style="bold cyan")
        if entry.expected:
            head.append(f"  [{EXPECTED_LABEL}]", style="bold yellow")
        if (who := provenance(entry)) is not None:
            head.append(f"  [{who}]", style="bold green")
        parts.append(head)
        if entry.caption is not None:
            parts.append(Text("  • " + " ".join(entry.caption.split()), style="italic"))
            parts.append(Text(f"    {CAPTION_SOURCE}", style=Style(dim=True)))
        if not wrap:
            for c in entry.sentences:
                parts.append(Text("  • " + " ".join(c.text.split()), no_wrap=True))
                parts.append(Text("    " + describe(c), style=Style(dim=True), no_wrap=True))
            parts.append(Text(""))
            continue
        # a grid gives wrapped sentences a hanging indent under the bullet
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column()
        for c in entry.sentences:
            href = link(c)
            grid.add_row("•", Text(" ".join(c.text.split())))
            grid.add_row("", Text(describe(c), style=Style(dim=True, link=href)))
        parts += [grid, Text("")]
    return Group(*parts)


def render(timeline: Timeline, width: int = 100, color: bool = False) -> str:
    """The terminal view as a string (ANSI colours only when ``color``)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
    )
    console.print(renderable(timeline))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
