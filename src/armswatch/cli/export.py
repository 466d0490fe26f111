"""``armswatch export``: transfers or events as CSV, JSON or Parquet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from armswatch.cli.database import DbOption, open_db_or_exit
from armswatch.store.export import Format, What, write
from armswatch.store.queries import Filters


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    what: Annotated[What, typer.Option("--what", help="Merged transfers or single events.")] = What.TRANSFERS,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="Default: from the file's suffix.")] = None,
    db: DbOption = None,
    supplier: Annotated[str | None, typer.Option(help="Only this supplier (RUS).")] = None,
    recipient: Annotated[str | None, typer.Option(help="Only this recipient (IND).")] = None,
    system: Annotated[str | None, typer.Option(help="Only this system or family.")] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this day (YYYY-MM-DD).")] = None,
) -> None:
    """Export transfers or events from the store."""
    chosen = fmt or _format_from_suffix(output)
    filters = Filters(supplier=supplier, recipient=recipient, system=system, date_from=_day(since))
    database = open_db_or_exit(db)
    try:
        with database.session() as session:
            count = write(session, what, chosen, filters, output)
    finally:
        database.dispose()
    typer.echo(f"{count} {what.value} written to {output} ({chosen.value})")


def _format_from_suffix(path: Path) -> Format:
    try:
        return Format(path.suffix.lower().lstrip("."))
    except ValueError:
        typer.echo(f"error: cannot tell the format from {path.name!r}: give --format csv|json|parquet", err=True)
        raise typer.Exit(2) from None


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: --since {value!r} is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from None
