"""storyline.time: find and normalise temporal expressions (TIMEX3), date undated articles.

``tag(text, dct)`` is the tagger; ``infer_date(text, title, context)`` estimates the publication
date of an article that has none (a :class:`DateEstimate` with confidence and evidence);
``date_article(article, context)`` applies it to an Article record (never over a given date);
``tag_sentences`` tags an article body and anchors each expression to its sentence.
"""

from storyline.time.anchor import tag_sentences
from storyline.time.dating import DateEstimate, date_article, infer_date
from storyline.time.tagger import tag

__all__ = ["DateEstimate", "date_article", "infer_date", "tag", "tag_sentences"]
