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


def ungzipped(raw: BinaryIO) -> BinaryIO:
    """The decompressed stream of a gzip file (every member); it raises EOFError where it is cut off."""
    return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))


def read_warc(
    stream: BinaryIO,
    source: str,
    *,
    reserved: ReservedUrls | None = None,
    stats: WarcStats | None = None,
) -> Iterator[Item]:
    """Deferred documents from an (uncompressed) WARC stream; failures for broken records."""
    stats = stats if stats is not None else WarcStats()
    records = ArchiveIterator(stream, no_record_parse=False, arc2warc=False)
    count, offset = 0, 0
    try:
        for record in records:
            offset = records.get_record_offset()
            if record.format != "warc":
                yield ReadFailure(f"{source}#{offset}", "not a WARC record: the file is not a web archive")
                return
            item = _page(record, f"{source}#{offset}", reserved)
            count += 1
            if item is None:
                stats.skipped += 1
            else:
                yield item
    except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, OSError, ValueError) as exc:
        yield ReadFailure(f"{source}#{offset}", f"archive broken after {count} record(s): {type(exc).__name__}: {exc}")


def _page(record: Any, where: str, reserved: ReservedUrls | None) -> Item | None:
    """A deferred document for an HTML response, a failure for a broken or reserved one, else None."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    content_type, charset = parse_content_type(http.get_header("Content-Type") or "")
    if http.get_statuscode() != "200" or content_type not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    payload = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    if len(payload) > MAX_DOCUMENT_BYTES:
        return ReadFailure(where, too_large(f"more than {MAX_DOCUMENT_BYTES}"))
    if record.raw_stream.limit > 0:  # the archive ended inside this record
        raise EOFError("the archive ends inside a record")
    if url and reserved is not None and reserved.is_reserved(url):
        return ReadFailure(where, "the page is reserved for evaluation and is not gathered")
    load = functools.partial(document_from_html, payload, source=where, url=url or None, charset=charset)
    return Deferred(where, url or None, load)
