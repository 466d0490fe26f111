"""``armswatch demo``: ingest the bundled sample articles, then serve them and print the URL."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from armswatch.cli.database import DbOption, open_db_or_exit, where
from armswatch.cli.serve import HostOption, PortOption, run_server
from armswatch.ingest.files import read_paths
from armswatch.knowledge import default_knowledge
from armswatch.nlp.extractor import Extractor
from armswatch.store.ingest import ingest_documents

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
    if not samples.is_dir():
        typer.echo(f"error: no sample articles at {samples}", err=True)
        raise typer.Exit(2)
    database = open_db_or_exit(db)
    knowledge = default_knowledge()
    try:
        report = ingest_documents(database, Extractor(knowledge), read_paths([samples]), knowledge=knowledge)
    finally:
        database.dispose()
    for result in report.results:
        if result.message and result.outcome.value in ("failed", "unsupported-language"):
            typer.echo(f"error: {result.source}: {result.message}", err=True)
    typer.echo(f"samples: {report.summary()} -> {where(database)}")
    if serve:
        token = secrets.token_urlsafe(16)
        typer.echo(f"open http://{host}:{port}/ (Ctrl-C stops the server)")
        typer.echo(f"ingest token for this session: {token}  (curl -H 'Authorization: Bearer {token}' ...)")
        run_server(db, host, port, token=token)
