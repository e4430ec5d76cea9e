"""Curation: a person's corrections of stories, timelines and articles, kept as edits.

:mod:`.model` holds the edit records (imported by the store, so this package imports nothing
else at load time); :mod:`.apply` re-applies the edits on top of the machine's output; the
``Corpus`` methods in :mod:`storyline.corpus` validate, record and undo them.
"""
