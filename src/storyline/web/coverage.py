"""The story page's coverage chart: articles per day, stacked by source, as SVG shapes.

Why computed here and drawn by the template: the server sends plain SVG (no script, no network,
nothing the page's Content-Security-Policy would block; colours are ``fill`` attributes, not
styles), and this function is pure, so the geometry is tested without a browser. The data it
draws is :meth:`storyline.corpus.Corpus.reporting`, the same the JSON twin returns.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from storyline.timeline.firsts import Reporting

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")
"""Okabe–Ito colours (told apart with the common colour-vision deficiencies); the last
slot is "other sources" when a story has more sources than colours."""
OTHER = "#999999"
MAX_COLUMNS = 120
"""Columns of the chart: one per day up to four months, wider bins beyond, so a story of ten
years stays as legible as one of ten days."""


def coverage_chart(
    data: Reporting, width: int = 640, height: int = 120, max_columns: int = MAX_COLUMNS
) -> dict[str, Any] | None:
    """Stacked bars (one column per day, or per bin of days), a legend and axis labels.

    None when no article has a day-precise date (nothing to place on a time axis).
    """
    if data.first is None or data.last is None:
        return None
    span = (data.last - data.first).days + 1
    days_per_column = max(1, -(-span // max_columns))
    columns = -(-span // days_per_column)
    shown = list(data.sources[: len(PALETTE) - 1])
    rest = data.sources[len(shown) :]
    if len(rest) == 1:
        shown.append(rest[0])
        rest = []
    colours = {s.source: PALETTE[i] for i, s in enumerate(shown)}
    # counts[column][series]: series are the shown sources, then "other"
    counts = [[0] * (len(shown) + 1) for _ in range(columns)]
    for series, cover in enumerate(shown):
        for day, n in cover.by_day.items():
            counts[(day - data.first).days // days_per_column][series] += n
    for cover in rest:
        for day, n in cover.by_day.items():
            counts[(day - data.first).days // days_per_column][-1] += n
    top = max((sum(c) for c in counts), default=0) or 1
    step = width / columns
    bars = []
    for column, stack in enumerate(counts):
        start = data.first + timedelta(days=column * days_per_column)
        end = min(start + timedelta(days=days_per_column - 1), data.last)
        when = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
        y = float(height)
        for series, n in enumerate(stack):
            if not n:
                continue
            h = height * n / top
            y -= h
            name = shown[series].source if series < len(shown) else "other sources"
            bars.append(
                {
                    "x": round(column * step, 2),
                    "y": round(y, 2),
                    "w": round(max(step - (1 if step > 3 else 0), 0.5), 2),
                    "h": round(h, 2),
                    "fill": colours.get(name, OTHER),
                    "title": f"{when}: {n} {'article' if n == 1 else 'articles'} from {name}",
                }
            )
    legend = [
        {"source": s.source, "articles": s.articles, "fill": colours[s.source]} for s in shown
    ]
    if rest:
        legend.append(
            {
                "source": f"{len(rest)} other sources",
                "articles": sum(s.articles for s in rest),
                "fill": OTHER,
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "legend": legend,
        "top": top,
        "first": _label(data.first),
        "last": _label(data.last),
        "days_per_column": days_per_column,
        "undated": data.undated,
    }


def _label(day: date) -> str:
    return day.isoformat()


__all__ = ["PALETTE", "coverage_chart"]
