"""Every tunable of storyline as data: a name, a default, and why it has that value.

Settings are global and documented (``tests/test_settings.py`` fails when one is missing from
``docs/settings.md``): nothing is tuned per topic or per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: list[Setting] = [
    Setting(
        "max_article_bytes",
        5_000_000,
        "A single article larger than this (bytes) is skipped: no news report is 5 MB of text, "
        "so such a file is a dump or a mistake, and splitting it would stall the ingest.",
    ),
    Setting(
        "min_article_chars",
        20,
        "Bodies shorter than this (after whitespace is folded) are skipped as empty.",
    ),
    Setting(
        "near_duplicate_threshold",
        0.9,
        "Estimated Jaccard similarity of word 5-shingles (MinHash) at or above which a new article "
        "is linked to an earlier one as its near-duplicate (wire copies, re-publications).",
    ),
    Setting(
        "minhash_permutations",
        128,
        "MinHash permutations: 128 keeps the Jaccard estimate within about ±0.09 at 95%.",
    ),
]

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def get(name: str) -> Any:
    """The default value of a setting; raises KeyError for an unknown name."""
    return DEFAULTS[name]


__all__ = ["DEFAULTS", "SETTINGS", "Setting", "get"]
