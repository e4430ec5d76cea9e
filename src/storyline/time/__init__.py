"""storyline.time: find and normalise temporal expressions (TIMEX3), date undated articles.

``tag(text, dct)`` is the tagger; ``infer_date(text, title, context)`` estimates the publication
date of an article that has none (a :class:`DateEstimate` with confidence and evidence).
"""

from storyline.time.dating import DateEstimate, infer_date
from storyline.time.tagger import tag

__all__ = ["DateEstimate", "infer_date", "tag"]
