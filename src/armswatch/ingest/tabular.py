"""CSV files: one document per row, the columns named by a mapping.

``text=body,title=headline,published=date`` maps the document's fields to the header's column
names; numbers (``text=3,title=2``) name columns by position (from 1) in a file without a
header. Unmapped fields default to columns of their own name, if the header has them. Rows are
read one at a time; each row is decoded on its own (UTF-8, else Windows-1252 byte by byte), so
one badly encoded row neither stops the file nor garbles the others.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from armswatch.core.model import ReadFailure
from armswatch.ingest.files import (
    MAX_DOCUMENT_BYTES,
    BinaryInputError,
    ReadResult,
    decode_text,
    document_from_record,
)

FIELDS = ("text", "title", "published", "url", "id", "language")
CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz")


@dataclass(frozen=True)
class ColumnMapping:
    """Document field -> column name (or 1-based position when the file has no header)."""

    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str | None) -> ColumnMapping:
        """``text=body,title=headline``; raises ValueError on an unknown field or a bad pair."""
        columns: dict[str, str] = {}
        for pair in (spec or "").split(","):
            if not pair.strip():
                continue
            name, sep, column = (part.strip() for part in pair.partition("="))
            if not sep or not column:
                raise ValueError(f"not a field=column pair: {pair.strip()!r}")
            if name not in FIELDS:
                raise ValueError(f"unknown field {name!r}: map any of {', '.join(FIELDS)}")
            columns[name] = column
        positional = [c.isdigit() for c in columns.values()]
        if any(positional) and not all(positional):
            raise ValueError("name every column, or number every column (a file without a header), not both")
        if any(c.isdigit() and int(c) < 1 for c in columns.values()):
            raise ValueError("column numbers start at 1")
        return cls(columns)

    @property
    def has_header(self) -> bool:
        return not any(c.isdigit() for c in self.columns.values())

    def indexes(self, header: list[str]) -> dict[str, int]:
        """Field -> column index; raises ValueError when the text column is missing."""
        if not self.has_header:
            return {name: int(col) - 1 for name, col in self.columns.items()}
        names = [h.strip() for h in header]
        wanted = {name: self.columns.get(name, name) for name in FIELDS}
        found = {name: names.index(col) for name, col in wanted.items() if col in names}
        if "text" not in found:
            raise ValueError(
                f"no text column {wanted['text']!r} in the header ({', '.join(names) or 'empty'}): "
                "name it with --csv-columns text=COLUMN"
            )
        return found


def is_csv(name: str) -> bool:
    return name.lower().endswith(CSV_SUFFIXES)


def read_csv(stream: BinaryIO, source: str, mapping: ColumnMapping | None = None) -> Iterator[ReadResult]:
    mapping = mapping or ColumnMapping()
    delimiter = "\t" if ".tsv" in source.lower() else ","
    # Undecodable bytes survive as surrogates and are decoded row by row below.
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    rows = csv.reader(text, delimiter=delimiter)
    csv.field_size_limit(MAX_DOCUMENT_BYTES)
    try:
        header = next(rows) if mapping.has_header else []
        indexes = mapping.indexes([_repair(h) for h in header])
    except StopIteration:
        yield ReadFailure(source, "empty file: no header row")
        return
    except (ValueError, csv.Error, BinaryInputError) as exc:
        yield ReadFailure(source, f"cannot read the header: {exc}")
        return
    yield from _rows(rows, indexes, source)


def _rows(rows: Iterator[list[str]], indexes: dict[str, int], source: str) -> Iterator[ReadResult]:
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # a NUL byte, an oversized field: this row only
            yield ReadFailure(f"{source}:{rows.line_num}", f"bad CSV row: {exc}")  # type: ignore[attr-defined]
            continue
        where = f"{source}:{rows.line_num}"  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        try:
            record = {name: _repair(row[i]) for name, i in indexes.items() if i < len(row) and row[i] != ""}
        except BinaryInputError as exc:
            yield ReadFailure(where, str(exc))
            continue
        yield document_from_record(record, where)


def _repair(cell: str) -> str:
    """A cell read with surrogateescape, decoded like any text: UTF-8, else Windows-1252 bytes."""
    if not any("\udc80" <= ch <= "\udcff" for ch in cell):
        return cell
    return decode_text(cell.encode("utf-8", errors="surrogateescape"))
