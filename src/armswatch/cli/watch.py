"""``armswatch watch``: poll RSS/Atom feeds and ingest the pages of their new items."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from armswatch.cli import ingest as ingest_command
from armswatch.cli.database import DbOption, open_db_or_exit, where
from armswatch.cli.fetching import AllowOption, IgnoreRobotsOption, ReservedOption, TimeoutOption, make_fetcher
from armswatch.cli.ingest import ProgressOption, VerboseOption, result_printer

if TYPE_CHECKING:
    from armswatch.ingest.batch import BatchRunner
    from armswatch.ingest.feeds import PollResult
    from armswatch.ingest.items import Item
    from armswatch.ingest.web import Fetcher
    from armswatch.store.db import Database


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)


def watch(
    feeds: Annotated[list[str], typer.Argument(help="URLs of RSS or Atom feeds.", show_default=False)],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 90, 30s, 15m, 2h, 1d.")] = "15m",
    once: Annotated[
        bool, typer.Option("--once", help="Poll once and exit (for cron); exit 1 if anything failed.")
    ] = False,
    db: DbOption = None,
    allow_network: AllowOption = None,
    reserved_urls: ReservedOption = None,
    timeout: TimeoutOption = None,
    ignore_robots: IgnoreRobotsOption = False,
    verbose: VerboseOption = False,
    progress: ProgressOption = None,
) -> None:
    """Poll feeds (conditional requests), fetch the pages of new items only, and ingest them.

    What each feed has listed is remembered in the store, so a restart fetches nothing twice;
    items a killed run did not fetch are fetched on the next poll."""
    from armswatch.ingest.batch import BatchRunner, LazyExtractor
    from armswatch.ingest.feeds import parse_interval, sleep_until

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        typer.echo(f"error: --every: {exc}", err=True)
        raise typer.Exit(2) from None
    fetcher = make_fetcher(allow_network, reserved_urls, timeout, ignore_robots=ignore_robots)
    database = open_db_or_exit(db)
    runner = BatchRunner(database, LazyExtractor(lambda: ingest_command.build_extractor()))
    try:
        while True:
            next_round = time.monotonic() + interval
            failures = poll_round(database, fetcher, runner, feeds, verbose=verbose, progress=progress)
            if once:
                raise typer.Exit(1 if failures else 0)
            typer.echo(f"next poll in {every} (Ctrl-C stops)", err=True)
            sleep_until(next_round)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        fetcher.close()
        database.dispose()


def poll_round(
    db: Database, fetcher: Fetcher, runner: BatchRunner, feeds: list[str], *, verbose: bool, progress: bool | None
) -> int:
    """Poll every feed once and ingest what is new; returns the number of failures (feeds and items)."""
    from armswatch.ingest.progress import BatchProgress

    polls: list[PollResult] = []
    with BatchProgress("watch", None, enabled=progress) as bar:

        def on_poll(result: PollResult) -> None:
            polls.append(result)
            if result.error:
                bar.log(f"error: feed {result.feed_url}: {result.error}")
            else:
                bar.log(f"feed {result.feed_url}: {result.status}, {result.new_items} new item(s)")

        items = round_items(db, fetcher, feeds, on_poll)
        report = runner.run(items, command="watch", inputs=feeds, progress=bar, on_result=result_printer(bar, verbose))
    feed_failures = sum(1 for p in polls if p.error)
    typer.echo(f"{len(feeds)} feed(s), {feed_failures} failed; {report.summary()} -> {where(db)}")
    return feed_failures + report.failed


def round_items(
    db: Database, fetcher: Fetcher, feeds: list[str], on_poll: Callable[[PollResult], None]
) -> Iterator[Item]:
    """Each feed polled in turn, then its pending pages: a bad feed never stops the others."""
    from armswatch.ingest.feeds import pending_items, poll, remember_linkless

    for url in feeds:
        result = poll(db, fetcher, url)
        on_poll(result)
        yield from pending_items(db, fetcher, result)
        remember_linkless(db, result)
