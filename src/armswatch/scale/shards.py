"""Cutting inputs into shards that workers read on their own, and reading one shard.

A shard is a byte range of a JSON Lines file (cut at line ends, a few MB each), one row group
of a Parquet file, or a whole web archive (its records are streamed by the ingest reader).
Both engines, in-process and Ray, process the same shards with the same reader, so a bad line
is reported with the same file and line number whichever engine ran.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from armswatch.core.model import ReadFailure
from armswatch.ingest.files import JSONL_SUFFIXES, ReadResult, document_from_record, read_jsonl
from armswatch.ingest.items import Deferred, load
from armswatch.ingest.warc import is_warc

PARQUET_SUFFIXES = {".parquet", ".pq"}
DEFAULT_SHARD_BYTES = 8_000_000


class InputError(ValueError):
    """An input the batch engines cannot read: missing, or of a format they do not take."""


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: ``[start, stop)`` is a byte range (JSON Lines) or a row group (Parquet)."""

    index: int
    path: str
    kind: str  # "jsonl" | "parquet" | "warc"
    start: int
    stop: int
    first: int  # number of the first line (1-based) or row (0-based) in the file

    @property
    def name(self) -> str:
        return f"shard-{self.index:05d}"

    def to_row(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Shard:
        return cls(**{f.name: row[f.name] for f in fields(cls)})


def plan_shards(inputs: Iterable[str | Path], shard_bytes: int = DEFAULT_SHARD_BYTES) -> list[Shard]:
    """The shards of all inputs (files, or directories searched for .jsonl and .parquet)."""
    shards: list[Shard] = []
    for path in _input_files(inputs):
        kind = input_kind(path)
        if kind == "jsonl":
            cut = _jsonl_ranges(path, shard_bytes)
        else:
            cut = _row_groups(path) if kind == "parquet" else _whole_file(path)
        for start, stop, first in cut:
            shards.append(Shard(len(shards), str(path), kind, start, stop, first))
    return shards


def input_kind(path: Path) -> str:
    if is_warc(path):
        return "warc"
    if path.suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return "parquet"
    raise InputError(f"{path}: not a JSON Lines (.jsonl), Parquet (.parquet) or WARC (.warc[.gz]) file")


def _input_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _batch_readable(p))
            if not found:
                raise InputError(f"{path}: directory holds no .jsonl or .parquet files")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such file or directory")


def _batch_readable(path: Path) -> bool:
    try:
        input_kind(path)
    except InputError:
        return False
    return True


def _jsonl_ranges(path: Path, shard_bytes: int) -> Iterator[tuple[int, int, int]]:
    """Byte ranges of about ``shard_bytes``, each ending at a line end, with their first line."""
    start = offset = 0
    first = line_number = 1
    with path.open("rb") as fh:
        for line in fh:
            offset += len(line)
            line_number += 1
            if offset - start >= shard_bytes:
                yield start, offset, first
                start, first = offset, line_number
    if offset > start or offset == 0:
        yield start, offset, first


def _row_groups(path: Path) -> Iterator[tuple[int, int, int]]:
    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises several types for a file that is no Parquet
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    row = 0
    for group in range(meta.num_row_groups):
        yield group, group + 1, row
        row += meta.row_group(group).num_rows


def _whole_file(path: Path) -> Iterator[tuple[int, int, int]]:
    """An archive is one shard: a gzip member boundary cannot be found from the middle of the file."""
    yield 0, path.stat().st_size, 0


def read_shard(shard: Shard) -> Iterator[ReadResult]:
    """The documents (and failures) of one shard."""
    if shard.kind == "jsonl":
        yield from _read_jsonl_range(shard)
    elif shard.kind == "warc":
        yield from _read_warc(shard)
    else:
        yield from _read_row_group(shard)


def _read_warc(shard: Shard) -> Iterator[ReadResult]:
    from armswatch.ingest.sources import Inputs  # the reader of every input kind, and its web stack

    for item in Inputs([shard.path]):
        yield load(item) if isinstance(item, Deferred) else item


def _read_jsonl_range(shard: Shard) -> Iterator[ReadResult]:
    try:
        with open(shard.path, "rb") as fh:
            fh.seek(shard.start)
            data = fh.read(shard.stop - shard.start)
    except OSError as exc:
        yield ReadFailure(shard.path, f"cannot read: {exc.strerror or exc}")
        return
    for item in read_jsonl(io.BytesIO(data), shard.path):
        yield _renumbered(item, shard)


def _renumbered(item: ReadResult, shard: Shard) -> ReadResult:
    """The line reader counts from 1 within the shard; sources name the line in the file."""
    where = item.source or ""
    path, _, number = where.rpartition(":")
    if path != shard.path or not number.isdigit():
        return item
    located = f"{shard.path}:{int(number) + shard.first - 1}"
    if isinstance(item, ReadFailure):
        return ReadFailure(located, item.reason)
    item.source = located
    return item


def _read_row_group(shard: Shard) -> Iterator[ReadResult]:
    try:
        table = pq.ParquetFile(shard.path).read_row_group(shard.start)
    except Exception as exc:  # a truncated or damaged row group
        yield ReadFailure(f"{shard.path}#group{shard.start}", f"cannot read row group: {exc}")
        return
    for offset, record in enumerate(table.to_pylist()):
        yield document_from_record(record, f"{shard.path}#row{shard.first + offset}")
