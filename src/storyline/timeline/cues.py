"""Word cues that say whether a sentence tells of something done or something still to come.

A rules table is data: the date ranker counts both kinds among the sentences naming a day, and
sentence choice lowers a sentence that speaks of its event as still ahead.
"""

from __future__ import annotations

import re

EXPECTED_CUES = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:expected|due|scheduled|set|slated|planned|poised)\s+to|"
    r"will\s+(?:\w+\s+)?(?:sign|meet|discuss|hold|visit|announce|vote|decide|begin|start|"
    r"travel|attend|launch|open|host|hold|release|testify|appear|rule)|"
    r"(?:plans?|intends?)\s+to|is\s+to\s+(?:meet|sign|visit|hold)|are\s+to\s+(?:meet|sign|hold))\b",
    re.IGNORECASE,
)
"""Cues of an event still to come ("are expected to discuss", "will sign"): a data table."""

PAST_EVENT = re.compile(
    r"\b(?:\w{3,}ed|said|announced|agreed|signed|killed|died|won|lost|began|took|made|met|"
    r"held|left|rose|fell|struck|sank|hit|told|found|sent|became|came|went|gave|ruled|"
    r"resigned|arrested|charged|approved|passed|voted|launched|reached|declared)\b",
    re.IGNORECASE,
)
"""Cues of a reported event: past-tense verbs ("-ed", and the common irregular ones)."""

__all__ = ["EXPECTED_CUES", "PAST_EVENT"]
