"""The store engines the shared suite runs against: SQLite always, PostgreSQL when a server is given.

``STORYLINE_TEST_PG`` holds a libpq URL of a PostgreSQL server where the tests may create and
drop databases (``postgresql://postgres@127.0.0.1:5432/postgres``); each test gets a fresh
database and drops it afterwards. Without it the PostgreSQL cases skip with a reason, unless
``STORYLINE_REQUIRE_PG=1`` (CI) makes a missing server a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

PG_ENV = "STORYLINE_TEST_PG"
REQUIRE_PG_ENV = "STORYLINE_REQUIRE_PG"
ENGINES = ("sqlite", "postgresql")


def pg_server() -> str:
    """The test server's URL; skips (or, when required, fails) without one."""
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    reason = f"{PG_ENV} is not set (a PostgreSQL server where tests may create databases)"
    if os.environ.get(REQUIRE_PG_ENV) == "1":
        pytest.fail(f"{REQUIRE_PG_ENV}=1 but {reason}")
    pytest.skip(reason)


def database_url(server: str, name: str) -> str:
    """``server``'s URL naming the database ``name`` instead of its own."""
    return urlunsplit(urlsplit(server)._replace(path="/" + name))


def _admin(server: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(server, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{PG_ENV}: cannot reach the test server: {exc}")
        pytest.skip(f"{PG_ENV}: cannot reach the test server: {exc}")


@contextmanager
def fresh_pg_database(create: bool = True) -> Iterator[str]:
    """The URL of a new, empty database (or, ``create=False``, of one that does not exist),
    dropped when the block ends, whatever the test did to it."""
    server = pg_server()
    name = f"storyline_test_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin:
        if create:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield database_url(server, name)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def store_location(engine: str, folder: Path, name: str = "store") -> Iterator[str]:
    """Where a fresh store of ``engine`` lives (not created yet): a file path or a URL."""
    if engine == "sqlite":
        yield str(folder / f"{name}.db")
    else:
        with fresh_pg_database(create=False) as url:
            yield url


@contextmanager
def hold_write_lock_on(location: str) -> Iterator[None]:
    """Another connection holds the store's write lock until the block ends."""
    if not location.startswith(("postgresql://", "postgres://")):
        from conftest import hold_write_lock

        with hold_write_lock(Path(location)):
            yield
        return
    from storyline.store.postgres import _WRITE_LOCK

    with psycopg.connect(location) as other:  # a transaction, open until the block ends
        other.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
        yield
        other.rollback()
