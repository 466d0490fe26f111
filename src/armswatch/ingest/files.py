"""Read documents from local files: ``.txt`` (first line = title, then optional ``Published:``,
``URL:`` and ``Source:`` lines), ``.jsonl`` (the contract's document format) and ``-`` for
standard input (JSON Lines if it looks like it, else one text).

Every input ends as a :class:`Document` or a :class:`ReadFailure` with its reason: a bad
file or a bad line never stops the others. JSON Lines are read one line at a time, and a line
longer than one document may be is skipped without being held in memory.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

import orjson

from armswatch.core.model import Document, ReadFailure

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# One article is never this big (long ones are ~100 kB); a mistaken input may be, and the
# extractor's time grows with the text. Files, JSON lines, CSV fields, pages and archive
# records are all held to it.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

ReadResult = Document | ReadFailure


def read_paths(paths: Iterable[str | Path]) -> Iterator[ReadResult]:
    """Documents (or failures) from files, directories (recursively) and ``-`` for stdin."""
    for raw in paths:
        if str(raw) == "-":
            yield from read_stream(sys.stdin.buffer, source="stdin")
            continue
        path = Path(raw)
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and _readable_suffix(p))
            if not children:
                yield ReadFailure(str(path), "directory holds no .txt or .jsonl files")
            for child in children:
                yield from read_file(child)
        else:
            yield from read_file(path)


def _readable_suffix(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES


def read_file(path: Path) -> Iterator[ReadResult]:
    """One file: JSON Lines by suffix, anything else as a plain-text article."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield ReadFailure(source, f"cannot open: {exc.strerror or exc}")
        return
    if size > MAX_DOCUMENT_BYTES and path.suffix.lower() not in JSONL_SUFFIXES:
        yield ReadFailure(source, too_large(size))
        return
    try:
        with path.open("rb") as fh:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from read_jsonl(fh, source)
            else:
                yield text_document(fh.read(), source=source, default_id=path.stem)
    except OSError as exc:
        yield ReadFailure(source, f"cannot read: {exc.strerror or exc}")


def read_stream(stream: BinaryIO, source: str) -> Iterator[ReadResult]:
    """Standard input: JSON Lines (read line by line) when the first non-blank byte opens an
    object, else one text."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, stream))
    if buffered.peek(64 * 1024).lstrip()[:1] == b"{":
        yield from read_jsonl(cast(BinaryIO, buffered), source)
        return
    data = buffered.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield ReadFailure(source, too_large(f"more than {MAX_DOCUMENT_BYTES}"))
    else:
        yield text_document(data, source=source, default_id="stdin")


def read_jsonl(stream: BinaryIO, source: str) -> Iterator[ReadResult]:
    yield from _jsonl_lines(bounded_lines(stream), source)


def too_large(size: int | str) -> str:
    return f"too large: {size} bytes (limit {MAX_DOCUMENT_BYTES} for one document)"


class LineTooLong(bytes):
    """Stands for a line that was skipped because it passed the limit; its value is its length."""


def bounded_lines(stream: BinaryIO, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[bytes]:
    """The stream's lines; one longer than ``limit`` is read past in chunks and given as LineTooLong."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = stream.readline(1024 * 1024)
            if not line:
                break
            size += len(line)
        yield LineTooLong(str(size).encode())


def _jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[ReadResult]:
    for number, line in enumerate(lines, 1):
        if isinstance(line, LineTooLong):
            yield ReadFailure(f"{source}:{number}", too_large(line.decode()))
            continue
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = _json_record(line)
        except (json.JSONDecodeError, BinaryInputError) as exc:
            yield ReadFailure(where, f"not a JSON object: {exc}")
            continue
        if not isinstance(record, dict):
            yield ReadFailure(where, f"not a JSON object but {type(record).__name__}")
            continue
        yield document_from_record(record, where)


def _json_record(line: bytes) -> Any:
    """A line's JSON value, its top-level fields exactly as the standard library reads them.
    orjson reads a news record three times faster; whatever it refuses (a BOM, bytes that are
    not UTF-8, NaN, a lone surrogate) is decoded and parsed by the standard library, which
    accepts it or gives its own error. orjson also turns an integer beyond 64 bits into a float:
    a float, or a record with a float field, is parsed again, so that an id of 30 digits stays
    exact."""
    try:
        value = orjson.loads(line)
        if not (type(value) is float or (type(value) is dict and float in map(type, value.values()))):
            return value
    except orjson.JSONDecodeError:
        pass
    return json.loads(decode_text(line))


def document_from_record(record: dict[str, Any], source: str) -> ReadResult:
    """A document from the contract's JSON object; unknown fields are ignored."""
    text = record.get("text")
    if not isinstance(text, str):
        return ReadFailure(source, "missing 'text' (a string)")
    doc_id = record.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        doc_id = content_id(text)
    try:
        published = parse_published(record.get("published"))
    except ValueError as exc:
        return ReadFailure(source, str(exc))
    return Document(
        id=str(doc_id),
        text=text,
        title=str(record.get("title") or ""),
        published=published,
        url=record.get("url") or None,
        language=record.get("lang") or record.get("language") or None,
        source=source,
    )


def text_document(data: bytes, source: str, default_id: str) -> ReadResult:
    """A plain-text article: the first non-blank line is its title, the whole text its body.

    Header lines right after the title (``Published: 2024-05-31``, ``URL: ...``) fill in the
    document's metadata; they stay in the text so that offsets index the file as it is."""
    try:
        text = decode_text(data)
    except BinaryInputError as exc:
        return ReadFailure(source, str(exc))
    lines = [line.strip() for line in text.splitlines()]
    nonblank = [line for line in lines if line]
    if not nonblank:
        return ReadFailure(source, "empty document")
    header = _header_fields(nonblank[1:])
    try:
        published = parse_published(header.get("published") or header.get("date"))
    except ValueError as exc:
        return ReadFailure(source, str(exc))
    return Document(
        id=default_id,
        text=text,
        title=nonblank[0],
        published=published,
        url=header.get("url"),
        source=source,
    )


_HEADER = re.compile(r"^(published|date|url|source)\s*:\s*(.+)$", re.IGNORECASE)


def _header_fields(lines: list[str]) -> dict[str, str]:
    """``Key: value`` lines directly under the title, up to the first line that is not one."""
    fields: dict[str, str] = {}
    for line in lines:
        match = _HEADER.match(line)
        if match is None:
            break
        fields[match.group(1).lower()] = match.group(2).strip()
    return fields


class BinaryInputError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM). Bytes that are not UTF-8 are read as Windows-1252, the usual
    culprit in old news files, one by one: a UTF-8 file with a pasted-in Windows paragraph keeps
    both right."""
    if b"\x00" in data[:8192]:
        raise BinaryInputError("binary data (NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):  # what "utf-8-sig" does, at a quarter of its cost
        data = data[len(codecs.BOM_UTF8) :]
    return data.decode("utf-8", errors=_WINDOWS_FALLBACK)


def _windows_1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


_WINDOWS_FALLBACK = "armswatch-windows-1252"
codecs.register_error(_WINDOWS_FALLBACK, _windows_1252_bytes)


def parse_published(value: object) -> dt.date | None:
    """``2019-05-31``, a full ISO timestamp, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"'published' is not an ISO date: {text[:40]!r}") from None


def content_id(text: str) -> str:
    """A stable id for a document that came without one."""
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
