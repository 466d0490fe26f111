"""Web archives: ``.warc`` and ``.warc.gz`` files (Common Crawl's news crawl, a crawler's output).

Records are streamed one at a time (warcio), so a file of any size is read in bounded memory;
only HTML responses with status 200 become documents, and a page is parsed only if the store
does not hold it yet (see :class:`~armswatch.ingest.items.Deferred`). The caller undoes gzip
(:mod:`armswatch.ingest.gzipped`) rather than warcio, which stops silently at a truncated
member: a cut-off archive gives a failure naming where it broke, after every record before the
cut has been read.
"""

from __future__ import annotations

import functools
import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

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
