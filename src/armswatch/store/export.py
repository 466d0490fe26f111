"""Exporting transfers or events as CSV, JSON or Parquet (flat rows, one per record)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from armswatch.store import queries
from armswatch.store.models import MentionRow, TransferRow
from armswatch.store.queries import Filters

BATCH = 1000


class What(StrEnum):
    TRANSFERS = "transfers"
    EVENTS = "events"


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"


TRANSFER_COLUMNS = ["id", "supplier", "recipient", "system", "systems", "category", "status", "stages", "actors",
                    "first_date", "last_date", "first_reported", "last_reported", "sources", "mention_count",
                    "quantity", "confidence"]  # fmt: skip
EVENT_COLUMNS = ["id", "transfer_id", "document_id", "document_title", "document_url", "published", "type",
                 "supplier", "recipient", "actor", "system", "category", "date", "quantity", "value_amount",
                 "value_currency", "evidence", "start", "end", "confidence"]  # fmt: skip


def transfer_record(t: TransferRow) -> dict[str, Any]:
    return {c: getattr(t, c) for c in TRANSFER_COLUMNS}


def event_record(m: MentionRow) -> dict[str, Any]:
    record = {c: getattr(m, c) for c in EVENT_COLUMNS if hasattr(MentionRow, c)}
    record.update(document_title=m.document.title, document_url=m.document.url, published=m.document.published)
    return {c: record[c] for c in EVENT_COLUMNS}


def records(session: Session, what: What, f: Filters) -> Iterator[dict[str, Any]]:
    """Every matching record, read in batches so a large store is not loaded at once."""
    query = queries.transfers_query(f, "id") if what is What.TRANSFERS else queries.events_query(f)
    to_record = transfer_record if what is What.TRANSFERS else event_record
    offset = 0
    while True:
        batch = session.scalars(query.limit(BATCH).offset(offset)).unique().all()
        yield from (to_record(row) for row in batch)
        if len(batch) < BATCH:
            return
        offset += BATCH
        session.expunge_all()


def write(session: Session, what: What, fmt: Format, f: Filters, path: Path) -> int:
    """Write the records to ``path``; returns how many."""
    columns = TRANSFER_COLUMNS if what is What.TRANSFERS else EVENT_COLUMNS
    rows = records(session, what, f)
    if fmt is Format.CSV:
        return _write_csv(rows, columns, path)
    if fmt is Format.JSON:
        return _write_json(rows, path)
    return _write_parquet(list(rows), columns, path)


def _flat(value: Any) -> Any:
    """Lists become ``a;b`` in CSV; dates ISO strings."""
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _write_csv(rows: Iterator[dict[str, Any]], columns: list[str], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(v) for k, v in row.items()})
            count += 1
    return count


def _write_json(rows: Iterator[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n, row in enumerate(rows, 1):
            out.write(("," if n > 1 else "") + "\n" + json.dumps(row, ensure_ascii=False, default=_iso))
        out.write("\n]\n")
    return n


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _write_parquet(rows: list[dict[str, Any]], columns: list[str], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
    pq.write_table(table.select(columns), path)
    return len(rows)
