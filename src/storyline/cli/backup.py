"""``storyline backup DEST``: a consistent copy of the store while it is read and written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.app import DEFAULT_DB, DbOption, app, err_console
from storyline.errors import InputError
from storyline.store import SQLiteStore


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="The new store file to write (must not exist).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Copy the store to DEST with SQLite's online backup (safe while others use the store).

    Why not ``cp``: a copy of a WAL store taken while it is written may miss the log's pages or
    catch half a transaction; the backup API copies one consistent snapshot. For PostgreSQL use
    ``pg_dump`` (see the README).
    """
    if dest.exists():
        raise InputError(f"{dest}: already exists (backup writes a new file; remove it first)")
    if not dest.parent.is_dir():
        raise InputError(f"{dest.parent}: no such directory")
    with SQLiteStore(db, read_only=True) as store:
        store.backup(dest)
        articles = store.count_articles()
    err_console.print(f"backed up {db} to {dest} ({articles} articles)", highlight=False)
