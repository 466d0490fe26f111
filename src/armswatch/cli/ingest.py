"""``armswatch ingest``: extract events from documents and add them to the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from armswatch.cli.database import DbOption, open_db_or_exit, where
from armswatch.ingest.files import read_paths
from armswatch.knowledge import default_knowledge
from armswatch.nlp.extractor import Extractor
from armswatch.store.ingest import IngestReport, Outcome, ingest_documents


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .jsonl), directories, or - for stdin.")],
    db: DbOption = None,
    parse: Annotated[bool, typer.Option("--parse", help="Use the dependency parse (needs en_core_web_sm).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One line per input.")] = False,
) -> None:
    """Extract events from documents and store them; inputs already stored are skipped."""
    report = ingest_and_report(db, paths, parse=parse, verbose=verbose)
    if report.count(Outcome.FAILED):
        raise typer.Exit(1)


def ingest_and_report(
    db: str | None, paths: list[str] | list[Path], *, parse: bool = False, verbose: bool = False, label: str = ""
) -> IngestReport:
    """Ingest ``paths`` into the database, print each problem and a summary line."""
    database = open_db_or_exit(db)
    knowledge = default_knowledge()
    try:
        report = ingest_documents(database, Extractor(knowledge, parse=parse), read_paths(paths), knowledge=knowledge)
    finally:
        database.dispose()
    for result in report.results:
        if result.outcome is Outcome.FAILED:
            typer.echo(f"error: {result.source}: {result.message}", err=True)
        elif result.outcome is Outcome.UNSUPPORTED_LANGUAGE:
            typer.echo(f"skipped: {result.source}: {result.message}", err=True)
        elif verbose:
            doc = f"document {result.document_id}" if result.document_id else "-"
            typer.echo(f"{result.outcome.value:>15}  {doc}  {result.source}  {result.message}")
    typer.echo(f"{label}{report.summary()} -> {where(database)}")
    return report
