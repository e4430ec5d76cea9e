"""The command-line shell: parse, call the library, render. No pipeline logic lives here.

Every area registers its commands on :data:`storyline.cli.app.app` when its module is imported
below; :func:`main` turns a :class:`storyline.errors.StorylineError` into one line on stderr and
a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

from rich.markup import escape

from storyline.cli import backup as _backup  # noqa: F401  (registers commands)
from storyline.cli import curation as _curation  # noqa: F401
from storyline.cli import ingest as _ingest  # noqa: F401
from storyline.cli import serve as _serve  # noqa: F401
from storyline.cli import settings as _settings  # noqa: F401
from storyline.cli import stories as _stories  # noqa: F401
from storyline.cli import time as _time  # noqa: F401  (registers commands)
from storyline.cli import timeline as _timeline  # noqa: F401
from storyline.cli.app import app, err_console
from storyline.errors import StorylineError

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except StorylineError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
