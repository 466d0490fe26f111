"""The ``--db`` option every store command shares, and opening the database for a command."""

from __future__ import annotations

from typing import Annotated

import typer

from armswatch.store.db import ENV_VAR, Database, DatabaseError, describe, open_database

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=ENV_VAR,
        help="Database: a SQLite file path or a SQLAlchemy URL (postgresql://...). "
        "Default: armswatch.sqlite in the user data directory.",
        show_default=False,
    ),
]


def open_db_or_exit(value: str | None) -> Database:
    """Open and upgrade the database, or exit with a one-line error saying what went wrong."""
    try:
        return open_database(value)
    except DatabaseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # a driver's connection error: name the database, not a traceback
        typer.echo(f"error: cannot open database {value or '(default)'}: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(2) from None


def where(db: Database) -> str:
    return describe(db.url)
