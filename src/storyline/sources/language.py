"""The language of an article whose source does not say, with py3langid.

Why py3langid: it is small, offline, fast (well under a millisecond for 1,000 characters) and
covers over a hundred languages. Articles that are not English are stored and flagged with
their ISO 639 code (two letters where ISO 639-1 has one, else three, as ``pcm``); later
stages (the English time tagger) can then leave them alone. When the identifier is unsure
(short texts, headlines only) nothing is claimed and the store's default (English) stands.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyline.settings import IngestConfig
from storyline.sources.imports import require


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The model, loaded on first use (numpy and the model take a tenth of a second)."""
    langid = require("py3langid.langid", "py3langid", needed_for="detecting the language")
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str, title: str | None, config: IngestConfig) -> str | None:
    """ISO 639 code of the text's language, or None when the identifier is not confident."""
    sample = f"{title}\n{text}" if title else text
    sample = sample[: config.language_sample_chars]
    if len(sample.strip()) < config.min_article_chars:
        return None
    code, probability = _identifier().classify(sample)
    if code == "zxx" or probability < config.language_min_confidence:
        return None  # zxx: "no linguistic content" (numbers, markup)
    return str(code)
