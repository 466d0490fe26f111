"""Every kind of input behind one iterator: files by their suffix, directories, stdin, and URLs.

``.txt``, ``.jsonl`` (``.gz`` too), ``.csv``/``.tsv`` (``.gz`` too), ``.html``, ``.warc`` and
``.warc.gz`` files; directories (their readable files, recursively); ``-`` for standard input;
and ``http(s)://`` URLs, fetched only when not stored yet. :class:`Inputs` also says how far the
reading has got (bytes of the local files, or inputs done), for the progress bar.
"""

from __future__ import annotations

import datetime as dt
import gzip
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from armswatch.core.model import ReadFailure
from armswatch.ingest import files
from armswatch.ingest.gzipped import ungzipped
from armswatch.ingest.html import HTML_SUFFIXES, document_from_html, read_html_file
from armswatch.ingest.items import Deferred, Item, ReadResult
from armswatch.ingest.safety import ReservedUrls
from armswatch.ingest.tabular import ColumnMapping, is_csv, read_csv
from armswatch.ingest.warc import WarcStats, is_warc, read_warc
from armswatch.ingest.web import Fetcher, FetchError

JSONL_STREAM_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def readable(path: Path) -> bool:
    """Files a directory contributes: the kinds this module reads."""
    return path.suffix.lower() in files.TEXT_SUFFIXES | HTML_SUFFIXES or streamed(path)


def streamed(path: Path) -> bool:
    """Inputs read record by record through one open file (gzipped or not)."""
    name = path.name.lower()
    return is_warc(path) or is_csv(name) or name.endswith(JSONL_STREAM_SUFFIXES)


@dataclass
class ReadOptions:
    csv_columns: ColumnMapping = field(default_factory=ColumnMapping)
    fetcher: Fetcher | None = None  # needed only for URLs
    reserved: ReservedUrls = field(default_factory=ReservedUrls.configured)  # archived pages not to gather
    warc_stats: WarcStats = field(default_factory=WarcStats)


def fetch_page(
    fetcher: Fetcher, url: str, source: str | None = None, *, published: dt.date | None = None, title: str = ""
) -> ReadResult:
    """A web page as a document, or the reason it could not be fetched or read. ``published``
    and ``title`` (a feed item's, say) fill in what the page does not say."""
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        return ReadFailure(source or url, str(exc))
    return document_from_html(
        page.body, source=source or url, url=url, charset=page.charset, published=published, title=title
    )


class Inputs:
    """The items of all inputs, in order, and how far reading has got."""

    def __init__(self, values: list[str], options: ReadOptions | None = None) -> None:
        self.options = options or ReadOptions()
        self.values = values
        paths = [Path(v) for v in values if v != "-" and not is_url(v)]
        local = len(paths) == len(values)
        # Known up front when every input is a local file (bytes) or a URL (one document each).
        self.total_bytes = sum(_size(p) for path in paths for p in _expand(path)) if local else None
        self.total_inputs = len(values) if not paths and "-" not in values else None
        self._done_bytes = 0
        self._done_inputs = 0
        self._current: BinaryIO | None = None

    def position(self) -> int:
        """Bytes read of the local files so far, or inputs done for URLs."""
        if self.total_bytes is None:
            return self._done_inputs
        current = self._current
        try:
            return self._done_bytes + (current.tell() if current is not None and not current.closed else 0)
        except (OSError, ValueError):
            return self._done_bytes

    def __iter__(self) -> Iterator[Item]:
        for value in self.values:
            if value == "-":
                yield from files.read_stream(sys.stdin.buffer, source="stdin")
            elif is_url(value):
                yield self._url(value)
            else:
                yield from self._path(Path(value))
            self._done_inputs += 1

    def _url(self, url: str) -> Item:
        fetcher = self.options.fetcher
        if fetcher is None:
            return ReadFailure(url, "URLs need a fetcher")
        return Deferred(url, url, lambda: fetch_page(fetcher, url))

    def _path(self, path: Path) -> Iterator[Item]:
        if path.is_dir():
            children = _expand(path)
            if not children:
                yield ReadFailure(str(path), "directory holds no files armswatch reads")
            for child in children:
                yield from self._file(child)
        else:
            yield from self._file(path)

    def _file(self, path: Path) -> Iterator[Item]:
        if path.suffix.lower() in HTML_SUFFIXES:
            yield read_html_file(path)
        elif streamed(path):
            yield from self._streamed(path)
        else:
            yield from files.read_file(path)  # .txt and anything else as text
        self._done_bytes += _size(path)

    def _streamed(self, path: Path) -> Iterator[Item]:
        """Archives, CSV and JSON Lines (gzipped or not): read through one open file, record by record."""
        source = str(path)
        try:
            raw = path.open("rb")
        except OSError as exc:
            yield ReadFailure(source, f"cannot open: {exc.strerror or exc}")
            return
        self._current = raw
        try:
            yield from self._records(path, raw, source)
        except (EOFError, OSError, gzip.BadGzipFile) as exc:  # a truncated or corrupt .gz
            yield ReadFailure(source, f"cannot read past a broken compressed stream: {type(exc).__name__}: {exc}")
        finally:
            self._current = None
            raw.close()

    def _records(self, path: Path, raw: BinaryIO, source: str) -> Iterator[Item]:
        name = path.name.lower()
        stream = ungzipped(raw) if name.endswith(".gz") else raw
        if is_warc(path):
            yield from read_warc(stream, source, reserved=self.options.reserved, stats=self.options.warc_stats)
        elif is_csv(name):
            yield from read_csv(stream, source, self.options.csv_columns)
        else:
            yield from files.read_jsonl(stream, source)


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and readable(p))
    return [path]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
