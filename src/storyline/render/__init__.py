"""Renderers: one module per output format, all from the same :class:`storyline.records.Timeline`.

``render(timeline, format) -> str`` with ``format`` one of :data:`FORMATS`:

- ``terminal`` — a readable view (rich; :func:`storyline.render.terminal.renderable` for a console);
- ``md`` — Markdown with footnote citations;
- ``html`` — one self-contained HTML file (inline CSS, no network needed to view it);
- ``json`` — the machine-readable contract of ``storyline timeline --format json``;
- ``timelinejs`` — TimelineJS3 JSON (``title`` slide, ``events`` with ``start_date``/``text``);
- ``tilse`` — the researchers' format (day entries only).

Entries marked ``expected`` (a planned event, not one that happened) are shown as such in every
human format. Renderers import only :mod:`storyline.records`.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.errors import InputError
from storyline.records import Timeline
from storyline.render import html, json, markdown, terminal, tilse, timelinejs

__all__ = ["FORMATS", "render"]

_RENDERERS: dict[str, Callable[[Timeline], str]] = {
    "terminal": terminal.render,
    "md": markdown.render,
    "html": html.render,
    "json": json.render,
    "timelinejs": timelinejs.render,
    "tilse": tilse.render,
}

FORMATS: tuple[str, ...] = tuple(_RENDERERS)
"""The format names ``render`` (and ``storyline timeline --format``) accepts."""


def render(timeline: Timeline, format: str) -> str:
    """The timeline in ``format``; an unknown format is an :class:`InputError` naming the choices."""
    try:
        renderer = _RENDERERS[format]
    except KeyError:
        raise InputError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}") from None
    return renderer(timeline)
