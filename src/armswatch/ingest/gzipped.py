"""Gzip streams that say where they are cut off.

Python's gzip module raises EOFError at a truncated end, which warcio takes for the clean end of
an archive; here it is an OSError instead, and the data before the cut is handed out first.
"""

from __future__ import annotations

import gzip
from typing import Any, BinaryIO, cast


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
