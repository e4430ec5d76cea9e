"""The web shell: ``storyline serve`` pages and their JSON twins (FastAPI, Jinja2, uvicorn).

Views only translate HTTP into :class:`storyline.corpus.Corpus` calls and back.
"""

from __future__ import annotations

from storyline.web.app import create_app

__all__ = ["create_app"]
