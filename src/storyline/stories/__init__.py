"""Stories: which stored articles tell the same running story, kept up to date as they arrive.

- :mod:`~storyline.stories.features` turns an article into hashed TF-IDF terms (words, names,
  months it mentions);
- :mod:`~storyline.stories.online` places articles in stories one batch at a time and merges
  stories that turn out to be one;
- :mod:`~storyline.stories.detect` runs that over a store (full rebuild or incremental) and
  saves the stories with the detector's state (:mod:`~storyline.stories.state`);
- :mod:`~storyline.stories.labels` names each story; :mod:`~storyline.stories.redate` is the
  second pass that dates undated articles from their story.
"""

from storyline.stories.detect import add_articles, build_stories

__all__ = ["add_articles", "build_stories"]
