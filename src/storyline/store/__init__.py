"""Storage engines behind one interface (:class:`Store`); only this package speaks SQL.

:func:`open_store` is the one place a location becomes an engine: every command that takes
``--db``, :class:`storyline.Corpus` and the web server open their store through it.
"""

from __future__ import annotations

import re
from pathlib import Path

from storyline.settings import StoreConfig
from storyline.store.base import SearchHit, SearchResults, Store
from storyline.store.sqlite import SQLiteStore

__all__ = [
    "SQLiteStore",
    "SearchHit",
    "SearchResults",
    "Store",
    "display_location",
    "is_server_url",
    "open_store",
]

DB_ENV = "STORYLINE_DB"
"""Environment variable holding the default ``--db`` (a SQLite path or a PostgreSQL URL)."""


def is_server_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostgreSQL database: ``postgresql://…`` or ``postgres://…``.

    Why by prefix: a SQLite path never starts with a URL scheme, and libpq accepts exactly these
    two schemes, so there is nothing to guess.
    """
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def display_location(location: str | Path) -> str:
    """``location`` as shown to users: a PostgreSQL URL without its password."""
    text = str(location)
    if not is_server_url(text):
        return text
    scheme, rest = text.split("://", 1)
    netloc, slash, tail = rest.partition("/")
    if "@" in netloc:  # the first @ ends the user info, as libpq reads it (%40 is an @)
        userinfo, host = netloc.split("@", 1)
        if ":" in userinfo:
            netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    tail = re.sub(r"(?i)\b(password=)[^&]*", r"\1***", tail)
    return f"{scheme}://{netloc}{slash}{tail}"


def open_store(
    location: str | Path,
    config: StoreConfig | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
) -> Store:
    """Open the store at ``location``: a PostgreSQL URL selects PostgreSQL, anything else is
    the path of a SQLite file.

    ``create=False`` (readers) makes a store that does not exist an error
    (:class:`storyline.errors.StoreMissingError`), never a new empty one; ``read_only`` implies
    it. ``config`` holds the engines' settings (the documented defaults when omitted).
    """
    config = config or StoreConfig()
    create = create and not read_only
    if is_server_url(location):
        from storyline.store.postgres import PostgresStore  # psycopg only when it is used

        return PostgresStore(
            str(location),
            read_only=read_only,
            create=create,
            busy_timeout=config.busy_timeout_seconds,
            connect_timeout=config.connect_timeout_seconds,
        )
    return SQLiteStore(
        location, read_only=read_only, create=create, busy_timeout=config.busy_timeout_seconds
    )
