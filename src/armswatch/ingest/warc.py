"""Web archives: ``.warc`` and ``.warc.gz`` files (Common Crawl's news crawl, a crawler's output).

Records are streamed one at a time (warcio), so a file of any size is read in bounded memory;
only HTML responses with status 200 become documents, and a page is parsed only if the store
does not hold it yet (see :class:`~armswatch.ingest.items.Deferred`). Gzip is undone by Python's
``gzip`` module rather than warcio's, because warcio stops silently at a truncated member and
``gzip`` says so: a cut-off archive gives a failure naming where it broke, after every record
before the cut has been read.
"""

from __future__ import annotations

import functools
import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from armswatch.core.model import ReadFailure
from armswatch.ingest.files import MAX_DOCUMENT_BYTES, too_large
from armswatch.ingest.html import document_from_html
from armswatch.ingest.items import Deferred, Item
from armswatch.ingest.safety import ReservedUrls
from armswatch.ingest.web import HTML_TYPES, parse_content_type

WARC_SUFFIXES = (".warc", ".warc.gz")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


@dataclass
class WarcStats:
    """What was passed over: records that are not HTML pages (requests, metadata, images, 404s)."""

    skipped: int = 0


def open_warc(raw: BinaryIO, path: Path) -> BinaryIO:
    return ungzipped(raw) if path.name.lower().endswith(".gz") else raw


class TruncatedGzip(OSError):
    """The compressed stream ends before its end-of-stream marker."""


class _StrictGzipFile(gzip.GzipFile):
    """A GzipFile whose cut-off end is an error warcio lets through: it takes EOFError for a clean end."""

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes, built from ``read1`` calls: what came before a cut is returned
        first (a plain read would drop it with the error), the error comes with the next call."""
        wanted = size if size is not None and size >= 0 else None
        chunks: list[bytes] = []
        got = 0
        while wanted is None or got < wanted:
            try:
                chunk = _strict(super().read1, 64 * 1024 if wanted is None else wanted - got)
            except TruncatedGzip:
                if chunks:
                    break
                raise
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def read1(self, size: int = -1) -> bytes:
        return _strict(super().read1, size)

    def readline(self, size: int | None = -1) -> bytes:
        return _strict(super().readline, size)


def _strict(read: Any, size: int | None) -> bytes:
    try:
        return cast(bytes, read(size))
    except EOFError as exc:
        raise TruncatedGzip(f"truncated: {exc}") from None


def ungzipped(raw: BinaryIO) -> BinaryIO:
    """The decompressed stream of a gzip file (every member); raises TruncatedGzip where it is cut off."""
    return cast(BinaryIO, _StrictGzipFile(fileobj=raw, mode="rb"))


def read_warc(
    stream: BinaryIO,
    source: str,
    *,
    reserved: ReservedUrls | None = None,
    stats: WarcStats | None = None,
) -> Iterator[Item]:
    """Deferred documents from an (uncompressed) WARC stream; failures for broken records."""
    stats = stats if stats is not None else WarcStats()
    records = ArchiveIterator(stream)
    count, offset = 0, 0
    try:
        for record in records:
            if record.format != "warc":
                yield ReadFailure(f"{source}#{records.get_record_offset()}", "not a WARC record: no web archive")
                return
            page = _html_page(record)
            offset = records.get_record_offset()  # (warcio reads the record to its end to know this)
            count += 1
            if page is None:
                stats.skipped += 1
            else:
                yield page.item(f"{source}#{offset}", reserved)
    except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError) as exc:
        yield ReadFailure(f"{source}#{offset}", f"archive broken after {count} record(s): {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class _Page:
    url: str | None
    charset: str | None
    payload: bytes | None  # None: larger than one document may be

    def item(self, where: str, reserved: ReservedUrls | None) -> Item:
        if self.payload is None:
            return ReadFailure(where, too_large(f"more than {MAX_DOCUMENT_BYTES}"))
        if self.url and reserved is not None and reserved.is_reserved(self.url):
            return ReadFailure(where, "the page is reserved for evaluation and is not gathered")
        load = functools.partial(document_from_html, self.payload, source=where, url=self.url, charset=self.charset)
        return Deferred(where, self.url, load)


def _html_page(record: Any) -> _Page | None:
    """The payload of an HTML response with status 200; None for any other record."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    content_type, charset = parse_content_type(http.get_header("Content-Type") or "")
    if http.get_statuscode() != "200" or content_type not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    payload = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    if len(payload) > MAX_DOCUMENT_BYTES:
        return _Page(url, charset, None)
    if record.raw_stream.limit > 0:  # the archive ended inside this record
        raise EOFError("the archive ends inside a record")
    return _Page(url, charset, payload)
