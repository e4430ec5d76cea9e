"""The public API is what ``storyline.__all__`` says, and every name in it is importable."""

from __future__ import annotations

import storyline


def test_exported_members_exist_and_nothing_private_leaks() -> None:
    for name in storyline.__all__:
        assert hasattr(storyline, name), name
    public = {n for n in dir(storyline) if not n.startswith("_")}
    undeclared = {
        n
        for n in public - set(storyline.__all__)
        if not isinstance(getattr(storyline, n), type(storyline))  # subpackages are fine
    }
    assert undeclared == set()


def test_corpus_is_reachable_from_the_package() -> None:
    from storyline import Corpus
    from storyline.corpus import Corpus as Direct

    assert Corpus is Direct
