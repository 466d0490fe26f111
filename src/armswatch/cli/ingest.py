"""``armswatch ingest``: read documents from files, archives and the web, extract, store.

Heavy modules (spaCy through the extractor, trafilatura, httpx) are imported inside the
command, so that ``armswatch --help`` and the light commands start quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from armswatch.cli.database import DbOption, open_db_or_exit, where
from armswatch.cli.fetching import AllowOption, IgnoreRobotsOption, ReservedOption, TimeoutOption, make_fetcher

if TYPE_CHECKING:
    from armswatch.ingest.batch import BatchReport
    from armswatch.ingest.progress import BatchProgress
    from armswatch.ingest.web import Fetcher
    from armswatch.store.ingest import EventExtractor, ItemResult

VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="One line per input.")]
ProgressOption = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bar (default: when standard error is a terminal)."),
]


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def build_extractor() -> EventExtractor:
    from armswatch.nlp.extractor import Extractor  # loads spaCy

    return Extractor()


def ingest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files (.txt, .jsonl[.gz], .csv[.gz], .html, .warc[.gz]), directories, - for stdin, "
            "or http(s) URLs of pages.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    csv_columns: Annotated[
        str | None,
        typer.Option(
            "--csv-columns",
            help="Which CSV columns hold the fields: text=body,title=headline,published=date,url=link "
            "(numbers for a file without header: text=3,title=2). Default: columns named like the fields.",
        ),
    ] = None,
    pending: Annotated[
        bool, typer.Option("--pending", help="Also fetch every URL queued earlier and not fetched yet.")
    ] = False,
    allow_network: AllowOption = None,
    reserved_urls: ReservedOption = None,
    timeout: TimeoutOption = None,
    ignore_robots: IgnoreRobotsOption = False,
    verbose: VerboseOption = False,
    progress: ProgressOption = None,
) -> None:
    """Extract events from documents and store them; inputs already stored are skipped.

    Every input ends in the store as done or failed (with the reason, see `armswatch status`);
    a run that was interrupted resumes when run again."""
    if not inputs and not pending:
        typer.echo("error: name inputs to read (files, directories, -, URLs), or pass --pending", err=True)
        raise typer.Exit(2)
    fetcher = make_fetcher(allow_network, reserved_urls, timeout, ignore_robots=ignore_robots)
    report = ingest_and_report(
        db, inputs or [], verbose=verbose, csv_columns=csv_columns, pending=pending, fetcher=fetcher,
        progress=progress,
    )  # fmt: skip
    if report.failed:
        raise typer.Exit(1)


def ingest_and_report(
    db: str | None,
    inputs: list[str] | list[Path],
    *,
    verbose: bool = False,
    label: str = "",
    csv_columns: str | None = None,
    pending: bool = False,
    fetcher: Fetcher | None = None,
    progress: bool | None = None,
) -> BatchReport:
    """Ingest ``inputs`` into the database, print each problem as it happens and a summary line.
    ``fetcher`` (closed here) reads the URLs; by default one under the configured policy."""
    from armswatch.ingest.batch import BatchRunner, LazyExtractor
    from armswatch.ingest.progress import BatchProgress
    from armswatch.ingest.sources import Inputs, ReadOptions, is_url
    from armswatch.ingest.tabular import ColumnMapping
    from armswatch.store import bookkeeping

    values = [str(v) for v in inputs]
    try:
        columns = ColumnMapping.parse(csv_columns)
    except ValueError as exc:
        typer.echo(f"error: --csv-columns: {exc}", err=True)
        raise typer.Exit(2) from None
    fetcher = fetcher or make_fetcher(None, None, None)
    database = open_db_or_exit(db)
    try:
        urls = [v for v in values if is_url(v)]
        if urls:  # queued first: a run killed while fetching leaves them pending, not forgotten
            with database.writing() as session:
                bookkeeping.queue_urls(session, urls)
        if pending:
            values += [u for u in bookkeeping.pending_urls(database) if u not in values]
        source = Inputs(values, ReadOptions(columns, fetcher, fetcher.policy.reserved))
        runner = BatchRunner(database, LazyExtractor(lambda: build_extractor()))
        total = source.total_bytes if source.total_bytes is not None else source.total_inputs
        with BatchProgress("ingest", total, in_bytes=source.total_bytes is not None, enabled=progress) as bar:
            report = runner.run(
                source, command="ingest", inputs=values, progress=bar, position=source.position,
                on_result=result_printer(bar, verbose),
            )  # fmt: skip
        report.not_html = source.options.warc_stats.skipped
    finally:
        fetcher.close()
        database.dispose()
    typer.echo(f"{label}{report.summary()} -> {where(database)}")
    return report


def result_printer(bar: BatchProgress, verbose: bool) -> Callable[[ItemResult], None]:
    """Failures and set-aside documents as they happen (above the bar); with -v, every input."""
    from armswatch.store.ingest import Outcome

    def show(result: ItemResult) -> None:
        if result.outcome is Outcome.FAILED:
            bar.log(f"error: {result.source}: {result.message}")
        elif result.outcome is Outcome.UNSUPPORTED_LANGUAGE:
            bar.log(f"skipped: {result.source}: {result.message}")
        elif verbose:
            doc = f"document {result.document_id}" if result.document_id else "-"
            bar.log(f"{result.outcome.value:>15}  {doc}  {result.source}  {result.message}")

    return show
