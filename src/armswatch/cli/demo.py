"""``armswatch demo``: ingest the bundled sample articles, then serve them and print the URL."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from armswatch.cli.database import DbOption
from armswatch.cli.ingest import ingest_and_report
from armswatch.cli.serve import HostOption, PortOption, run_server

SAMPLES = Path(__file__).resolve().parents[3] / "examples"  # the repository's examples/ beside src/


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    db: DbOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    samples: Annotated[Path, typer.Option("--samples", help="Directory of sample articles.")] = SAMPLES,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the server after ingesting.")] = True,
) -> None:
    """Ingest the sample articles into the store (default: the embedded SQLite file) and serve them."""
    articles = sorted(samples.glob("*.txt")) if samples.is_dir() else []  # not the folder's README
    if not articles:
        typer.echo(f"error: no sample articles (*.txt) in {samples}", err=True)
        raise typer.Exit(2)
    ingest_and_report(db, articles, label="samples: ")
    print_transfers(db)
    if serve:
        token = secrets.token_urlsafe(16)
        typer.echo(f"open http://{host}:{port}/ (Ctrl-C stops the server)")
        typer.echo(f"ingest token for this session: {token}  (curl -H 'Authorization: Bearer {token}' ...)")
        run_server(db, host, port, token=token)


def print_transfers(db: str | None, limit: int = 50) -> None:
    """The store's transfers as a table: what the web page will show first."""
    import sys

    from armswatch.cli.database import open_db_or_exit
    from armswatch.cli.output import print_table, transfers_table
    from armswatch.store.queries import Filters, list_transfers

    database = open_db_or_exit(db)
    try:
        with database.session() as session:
            page = list_transfers(session, Filters(), limit=limit)
            table = transfers_table(page.items, title=f"{page.total} transfer(s) in the store")
    finally:
        database.dispose()
    print_table(table, sys.stdout)
