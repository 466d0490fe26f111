"""Writing events as JSON Lines, CSV or a table for people."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from enum import StrEnum
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from armswatch.core.model import Event

if TYPE_CHECKING:
    from armswatch.store.models import TransferRow

CSV_COLUMNS = [
    "doc_id", "type", "supplier", "recipient", "actor", "system", "category", "date",
    "quantity", "value_amount", "value_currency", "confidence", "evidence", "start", "end",
]  # fmt: skip


class OutputFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    TABLE = "table"


def write_jsonl(events: Iterable[Event], out: IO[str]) -> None:
    for event in events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")


def csv_row(event: Event) -> dict[str, object]:
    row = event.to_dict()
    value = row.pop("value", None) or {}
    row["value_amount"] = value.get("amount")
    row["value_currency"] = value.get("currency")
    return {col: row.get(col) for col in CSV_COLUMNS}


def write_csv(events: Iterable[Event], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow(csv_row(event))


def events_table(events: Iterable[Event], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    for name, style in (("doc", "dim"), ("type", "bold"), ("supplier → recipient", ""), ("system", "cyan"),
                        ("date", ""), ("evidence", "dim")):  # fmt: skip
        table.add_column(name, style=style, overflow="fold")
    for ev in events:
        parties = f"{ev.supplier or '?'} → {ev.recipient or '?'}"
        if ev.actor:
            parties += f" (by {ev.actor})"
        evidence = ev.evidence if len(ev.evidence) <= 110 else ev.evidence[:107] + "..."
        table.add_row(ev.doc_id, ev.type.value, parties, ev.system or "-", ev.date or "-", evidence)
    return table


def write_table(events: Iterable[Event], out: IO[str], title: str | None = None) -> None:
    print_table(events_table(events, title), out)


def transfers_table(transfers: Iterable[TransferRow], title: str | None = None) -> Table:
    """Merged transfers: parties (and who opposed), system, stages in order, dates, sources."""
    table = Table(title=title, expand=False)
    for name, style in (("supplier → recipient", "bold"), ("system", "cyan"), ("stages", ""), ("dates", ""),
                        ("sources", "")):  # fmt: skip
        table.add_column(name, style=style, overflow="fold")
    for t in transfers:
        parties = f"{t.supplier or '?'} → {t.recipient or '?'}"
        if t.actors:
            parties += f" (opposed by {', '.join(t.actors)})"
        dates = " – ".join(dict.fromkeys(str(d) for d in (t.first_date, t.last_date) if d)) or "-"
        table.add_row(parties, t.system or t.category or "-", " → ".join(t.stages), dates, str(t.sources))
    return table


def print_table(table: Table, out: IO[str]) -> None:
    Console(file=out, width=None if out.isatty() else 160).print(table)
