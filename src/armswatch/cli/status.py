"""``armswatch status``: what the store holds, what failed and why, and how the feeds are doing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from armswatch.cli.database import DbOption, open_db_or_exit, where


def register(app: typer.Typer) -> None:
    app.command("status")(status)


def status(
    db: DbOption = None,
    failures: Annotated[int, typer.Option("--failures", "-n", min=0, help="How many recent failures to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of text.")] = False,
) -> None:
    """Documents by status and language, the latest failures with their reasons, feeds, and batch runs."""
    from armswatch.store.bookkeeping import store_status

    database = open_db_or_exit(db)
    try:
        report = store_status(database, failures=failures)
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps({"database": where(database), **report.__dict__}, default=_json_default, indent=2))
        return
    for line in status_lines(report, where(database)):
        typer.echo(line)


def status_lines(report: Any, database: str) -> list[str]:
    lines = [f"{database}: {report.documents} document(s)"]
    lines.append("  by status:   " + _counts(report.by_status))
    languages = {(lang or "undetermined"): n for lang, n in report.by_language.items()}
    lines.append("  by language: " + (_counts(languages) or "-"))
    if report.failures:
        lines.append(f"latest failures ({len(report.failures)} of {report.failures_total}):")
        lines += [f"  {_when(f['at'])}  {f['source']}: {f['error']}" for f in report.failures]
    if report.feeds:
        lines.append(f"feeds ({len(report.feeds)}):")
        for feed in report.feeds:
            state = f"error: {feed['last_error']}" if feed["last_error"] else (feed["last_status"] or "never polled")
            lines.append(
                f"  {feed['url']}  last poll {_when(feed['last_polled_at'])}, {feed['items']} item(s) seen, {state}"
            )
    if report.batches:
        lines.append("latest runs:")
        for batch in report.batches:
            end = (
                f"finished {_when(batch['finished_at'])}" if batch["finished_at"] else "unfinished (running or killed)"
            )
            counts = ", ".join(f"{n} {k}" for k, n in sorted(batch["counts"].items())) or "-"
            lines.append(f"  #{batch['id']} {batch['command']} started {_when(batch['started_at'])}, {end}: {counts}")
    return lines


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {n}" for k, n in counts.items())


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "never"


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC).isoformat()
    return str(value)
