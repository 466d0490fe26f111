"""``armswatch extract``: documents in, arms-transfer events out (no store involved)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from armswatch.cli.ingest import build_extractor
from armswatch.cli.output import OutputFormat, write_csv, write_jsonl, write_table
from armswatch.core.model import Event, ReadFailure


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files (.txt, .jsonl[.gz], .csv[.gz], .html, .warc[.gz]), directories, or - for stdin."),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option("--format", "-f", help="Default: a table on a terminal, JSON Lines otherwise."),
    ] = None,
) -> None:
    """Extract the arms-transfer events that documents report."""
    from armswatch.ingest.items import Deferred, load
    from armswatch.ingest.sources import Inputs

    extractor = build_extractor()
    events: list[Event] = []
    failures = 0
    for entry in Inputs(paths):
        item = load(entry) if isinstance(entry, Deferred) else entry
        if isinstance(item, ReadFailure):
            failures += 1
            typer.echo(f"error: {item.source}: {item.reason}", err=True)
            continue
        events += extractor.extract(item)

    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        chosen = fmt or _default_format(output, out.isatty())
        if chosen is OutputFormat.JSONL:
            write_jsonl(events, out)
        elif chosen is OutputFormat.CSV:
            write_csv(events, out)
        else:
            write_table(events, out, title=f"{len(events)} events")
    finally:
        if output:
            out.close()
    if failures:
        typer.echo(f"{failures} input(s) could not be read", err=True)
        raise typer.Exit(1)


def _default_format(output: Path | None, tty: bool) -> OutputFormat:
    if output is not None:
        return OutputFormat.CSV if output.suffix.lower() == ".csv" else OutputFormat.JSONL
    return OutputFormat.TABLE if tty else OutputFormat.JSONL
