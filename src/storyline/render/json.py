"""JSON: the machine-readable timeline (``storyline timeline --format json``).

Contract: ``{"title", "entries": [{"date", "granularity", "expected", "sentences": [{"text",
"article_id", "title", "source", "published", "sentence_index", "start", "end"}], "provenance",
"caption"}]}``: ``provenance`` is ``machine`` or how a person chose the entry (``pinned``,
``swapped``, ``added``, ``caption``); ``caption`` is a person's own words (or null). The
records' own ``as_dict`` already has that shape (plus ``parameters``, ``score``, ``url`` and
``date_source``, which readers may ignore), so this module only fixes the serialisation.
"""

from __future__ import annotations

import json

from storyline.records import Timeline

__all__ = ["render"]


def render(timeline: Timeline) -> str:
    """The timeline as indented UTF-8 JSON (dates as ISO strings, entry dates as their label)."""
    return json.dumps(timeline.as_dict(), indent=2, ensure_ascii=False) + "\n"
