"""Importing a reader's library so that a broken install costs one line, not the whole batch.

Why: a reader's library can be missing or broken in a user's environment (pip 23 does not
resolve ``lxml[html_clean]``, which trafilatura needs through justext, so ``lxml_html_clean``
is absent after ``pip install .``). Imported on first use through :func:`require`, a failing
import becomes an :class:`~storyline.errors.InputError` that names the package to install;
the reader's file is reported as unreadable and every other file is still read.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from storyline.errors import InputError

PIP_NAMES = {
    "lxml_html_clean": "lxml_html_clean",
    "lxml.html.clean": "lxml_html_clean",
    "charset_normalizer": "charset-normalizer",
    "dateutil": "python-dateutil",
    "justext": "jusText",
    "sgmllib": "feedparser",
}
"""Module → the name pip installs it by, where the two differ."""

_NO_MODULE = re.compile(r"No module named '([^']+)'")


def missing_package(exc: ImportError, wanted: str) -> str:
    """The pip name of the package whose absence made an import fail."""
    text = str(exc)
    if "lxml_html_clean" in text or "lxml.html.clean" in text:
        return "lxml_html_clean"
    name = exc.name
    if not name:
        match = _NO_MODULE.search(text)
        name = match.group(1) if match else wanted
    if name in PIP_NAMES:
        return PIP_NAMES[name]
    top = name.split(".")[0]
    return PIP_NAMES.get(top, top)


def require(module: str, package: str | None = None, needed_for: str = "this reader") -> ModuleType:
    """``module`` imported, or an InputError naming what to ``pip install`` (one line)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = missing_package(exc, package or module)
        raise InputError(
            f"{needed_for} needs the Python package {missing!r}, which is missing or broken "
            f"({' '.join(str(exc).split())}): install it with `pip install {missing}`"
        ) from exc
    except Exception as exc:  # a broken install raises anything at import time
        name = package or module
        raise InputError(
            f"{needed_for} cannot import the Python package {name!r} "
            f"({type(exc).__name__}: {' '.join(str(exc).split())}): reinstall it with "
            f"`pip install --force-reinstall {name}`"
        ) from exc
