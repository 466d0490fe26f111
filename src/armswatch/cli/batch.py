"""``armswatch batch``: a corpus of JSON Lines or Parquet files in, Parquet shards of events out,
in this process (``--engine local``, the default) or on a Ray cluster (``--engine ray``)."""

from __future__ import annotations

import time
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from armswatch.cli.database import open_db_or_exit
from armswatch.scale.shards import DEFAULT_SHARD_BYTES, InputError, plan_shards

if TYPE_CHECKING:
    from armswatch.scale.runner import ShardStats


class Engine(StrEnum):
    LOCAL = "local"
    RAY = "ray"


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)


def batch(
    inputs: Annotated[list[str], typer.Argument(help="JSON Lines or Parquet files, or directories of them.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Directory (or URI) for the Parquet results.")],
    engine: Annotated[Engine, typer.Option(help="local: this process; ray: a Ray cluster.")] = Engine.LOCAL,
    address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (ray://host:10001 or auto); default: start a local one.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Ray actors, one CPU each (default: the cluster's CPUs).")
    ] = None,
    shard_mb: Annotated[float, typer.Option(min=0.001, help="Size of a JSON Lines shard, in MB.")] = (
        DEFAULT_SHARD_BYTES / 1e6
    ),
    prefilter: Annotated[bool, typer.Option(help="Skip news with no arms content before the full pipeline.")] = True,
    store: Annotated[
        str | None,
        typer.Option(help="Also add documents and events to this store (SQLite path or postgresql:// URL)."),
    ] = None,
) -> None:
    """Extract events from a large corpus, shard by shard, into Parquet files."""
    from armswatch.scale.runner import OutputDir, run_local, summarise  # loads spaCy: only when run

    try:
        shards = plan_shards(inputs, shard_bytes=int(shard_mb * 1e6))
        store = _prepared_store(store) if store else None
        out = OutputDir(output)
        out.prepare()
    except (InputError, FileExistsError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    began = time.perf_counter()
    if engine is Engine.RAY:
        from armswatch.scale.ray_engine import run_ray  # Ray is imported only when asked for

        stats, count = run_ray(shards, output, workers=workers, address=address, prefilter=prefilter, store=store)
    else:
        count = 1
        stats = run_local(shards, output, prefilter=prefilter, store=store)
    summary = summarise(stats, engine=engine.value, workers=count, seconds=time.perf_counter() - began)
    out.write_json(summary, "summary.json")
    _report(summary, stats, output)


def _prepared_store(value: str) -> str:
    """Create and migrate the store once, here, before any worker writes; workers get its full URL
    (a SQLite path made absolute: a Ray worker's directory is not ours)."""
    database = open_db_or_exit(value)
    try:
        return str(database.url.render_as_string(hide_password=False))
    finally:
        database.dispose()


def _report(summary: dict[str, object], stats: list[ShardStats], output: str) -> None:
    typer.echo(
        f"{summary['documents']} documents, {summary['events']} events from {summary['documents_with_events']} "
        f"of them, {len(stats)} shards, {summary['seconds']} s ({summary['engine']}) -> {output}",
        err=True,
    )
    if summary["other_language"]:
        typer.echo(f"{summary['other_language']} document(s) in a language the extractor does not read yet", err=True)
    if summary["failures"]:
        typer.echo(f"{summary['failures']} input(s) could not be read: see {output}/failures/", err=True)
        raise typer.Exit(1)
