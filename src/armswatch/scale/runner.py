"""One shard in, its events and read failures out as Parquet: the work unit of both engines.

Output layout under the output directory (a local path, or a URI pyarrow understands, such as
``s3://bucket/run``, for a cluster whose workers share no disk)::

    events/shard-00000.parquet     the events of shard 0 (every shard gets a file, maybe empty)
    failures/shard-00003.parquet   inputs shard 3 could not read, and why (only where any)
    summary.json                   counts and timings, written by the driver

The local engine is a plain loop over the shards in this process; the Ray engine
(``ray_engine.py``) runs the same ``ShardJob`` in actors.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from armswatch.core.model import Document, Event, ReadFailure
from armswatch.ingest.batch import prepare_document
from armswatch.ingest.language import detect_language, is_unsupported
from armswatch.knowledge import default_knowledge
from armswatch.nlp.extractor import Extractor
from armswatch.scale.shards import Shard, read_shard

EVENT_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("type", pa.string()),
        ("supplier", pa.string()),
        ("recipient", pa.string()),
        ("actor", pa.string()),
        ("system", pa.string()),
        ("category", pa.string()),
        ("date", pa.string()),
        ("quantity", pa.int64()),
        ("value_amount", pa.float64()),
        ("value_currency", pa.string()),
        ("evidence", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("confidence", pa.float64()),
        ("source", pa.string()),  # where the document was read: file and line, or file and row
    ]
)
FAILURE_SCHEMA = pa.schema([("source", pa.string()), ("reason", pa.string())])


@dataclass(frozen=True, slots=True)
class ShardStats:
    """What one shard gave; the driver adds these up."""

    shard: int
    documents: int
    failures: int
    events: int
    documents_with_events: int
    other_language: int  # documents in a language the extractor does not read: not extracted
    text_bytes: int  # UTF-8 bytes of the documents' text
    seconds: float
    cpu_seconds: float  # of this process: below ``seconds`` when the CPU is shared

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ShardStats:
        """Back from the row a Ray worker returned (``asdict`` of one)."""
        return cls(**{f.name: row[f.name] for f in fields(cls)})


class OutputDir:
    """Where shards write: a local directory or a URI, through pyarrow's filesystems."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.fs, self.root = pafs.FileSystem.from_uri(_as_uri(location))

    def path(self, *parts: str) -> str:
        return "/".join([self.root.rstrip("/"), *parts])

    def prepare(self) -> None:
        """Create the directory; refuse one that already holds results, so nothing is overwritten."""
        if self.fs.get_file_info(self.path("events")).type != pafs.FileType.NotFound:
            raise FileExistsError(f"{self.location} already holds results (events/); choose another --output")
        self.fs.create_dir(self.path("events"), recursive=True)

    def write_table(self, table: pa.Table, *parts: str) -> None:
        self.fs.create_dir(self.path(*parts[:-1]), recursive=True)
        pq.write_table(table, self.path(*parts), filesystem=self.fs)

    def write_json(self, data: dict[str, Any], name: str) -> None:
        with self.fs.open_output_stream(self.path(name)) as out:
            out.write((json.dumps(data, indent=2) + "\n").encode("utf-8"))


class ShardJob:
    """Holds one extractor (the compiled knowledge) and processes shard after shard; with
    ``store`` (a SQLite path or a database URL) it also adds every document, its events and
    every read failure to the store, as ``armswatch ingest`` does.

    Documents are checked as ``armswatch ingest`` checks them (size, emptiness). One that
    declares a language the extractor does not read is not extracted; with a store, every
    document's language is detected and stored, and those in other languages are marked there."""

    def __init__(self, output: str, *, prefilter: bool = True, store: str | None = None) -> None:
        self.extractor = Extractor(prefilter=prefilter)
        self.languages = frozenset(self.extractor.knowledge.languages)
        self.output = OutputDir(output)
        self.store = _StoreWriter(store) if store else None
        # Detection (py3langid) takes about 2 ms an article, some twenty times what the fast path
        # spends on a typical news article: only done for the store, which records every language.
        self.detect = detect_language if store else None

    def run(self, shard: Shard) -> ShardStats:
        began, cpu = time.perf_counter(), time.process_time()
        rows: list[dict[str, Any]] = []
        failures: list[ReadFailure] = []
        documents = with_events = other_language = text_bytes = 0
        for read in read_shard(shard):
            item = prepare_document(read, self.detect)
            if isinstance(item, ReadFailure):
                failures.append(item)
                if self.store:
                    self.store.add(item, [])
                continue
            documents += 1
            text_bytes += len(item.text.encode("utf-8"))
            unsupported = is_unsupported(item.language, self.languages)
            other_language += unsupported
            events = [] if unsupported else self.extractor.extract(item)
            with_events += bool(events)
            rows += [event_row(event, item) for event in events]
            if self.store:
                self.store.add(item, events)
        self.output.write_table(pa.Table.from_pylist(rows, schema=EVENT_SCHEMA), "events", f"{shard.name}.parquet")
        if failures:
            table = pa.Table.from_pylist([asdict(f) for f in failures], schema=FAILURE_SCHEMA)
            self.output.write_table(table, "failures", f"{shard.name}.parquet")
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        return ShardStats(
            shard.index, documents, len(failures), len(rows), with_events, other_language, text_bytes, seconds, cpu
        )


class _StoreWriter:
    """The store's ingester, handed the events this job already extracted: each document is
    read once, for the Parquet rows and the store alike. Duplicates are skipped by the
    ingester, and concurrent workers are safe (it serialises writers)."""

    def __init__(self, store: str) -> None:
        from armswatch.store.db import open_database  # the store is only needed when asked for
        from armswatch.store.ingest import Ingester

        self.events: list[Event] = []
        self.ingester = Ingester.with_knowledge(open_database(store, upgrade=False), self, default_knowledge())

    def extract(self, doc: Document) -> list[Event]:
        return self.events

    def add(self, item: Document | ReadFailure, events: list[Event]) -> None:
        self.events = events
        self.ingester.ingest(item)


def event_row(event: Event, doc: Document) -> dict[str, Any]:
    """An event as one row of ``EVENT_SCHEMA``: the contract's fields, the value split in two."""
    row = event.to_dict()
    value = row.pop("value", None) or {}
    row["value_amount"] = value.get("amount")
    row["value_currency"] = value.get("currency")
    row["source"] = doc.source
    return {name: row.get(name) for name in EVENT_SCHEMA.names}


def run_local(
    shards: Iterable[Shard], output: str, *, prefilter: bool = True, store: str | None = None
) -> list[ShardStats]:
    """The in-process engine: one extractor, the shards in order."""
    job = ShardJob(output, prefilter=prefilter, store=store)
    return [job.run(shard) for shard in shards]


def summarise(stats: list[ShardStats], *, engine: str, workers: int, seconds: float) -> dict[str, Any]:
    counted = ("documents", "failures", "events", "other_language")
    total = {name: sum(getattr(s, name) for s in stats) for name in counted}
    text_bytes = sum(s.text_bytes for s in stats)
    return {
        "engine": engine,
        "workers": workers,
        "shards": len(stats),
        **total,
        "documents_with_events": sum(s.documents_with_events for s in stats),
        "text_bytes": text_bytes,
        "seconds": round(seconds, 3),
        "mb_per_second": round(text_bytes / 1e6 / seconds, 3) if seconds > 0 else None,
    }


def _as_uri(location: str) -> str:
    return location if "://" in location else Path(location).resolve().as_uri()
