"""Web pages to documents: the article's text, title and publication date, by trafilatura.

The same function serves fetched pages, local ``.html`` files and archive records. The page's
encoding is taken from the HTTP header, else from its ``<meta charset>``, else UTF-8 with the
Windows-1252 fallback of :func:`armswatch.ingest.files.decode_text`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
from pathlib import Path

import trafilatura

from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.files import MAX_DOCUMENT_BYTES, BinaryInputError, ReadResult, decode_text, too_large

# trafilatura logs every page it finds nothing in; the failure and its reason are recorded instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_WINDOWS_ALIASES = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}  # browsers read these as cp1252
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# htmldate looks in the page's markup only, and takes the date first published, not last updated:
# the extractor reads "on Tuesday" against it.
_DATE_OPTIONS = {"extensive_search": False, "original_date": True}


def document_from_html(
    data: bytes,
    *,
    source: str,
    url: str | None = None,
    doc_id: str | None = None,
    charset: str | None = None,
    published: dt.date | None = None,
    title: str = "",
) -> ReadResult:
    """The article in an HTML page, or a failure saying why there is none.

    ``published`` and ``title`` are fallbacks (a feed item's, say) for a page that names none."""
    if len(data) > MAX_DOCUMENT_BYTES:
        return ReadFailure(source, too_large(len(data)))
    try:
        markup = decode_html(data, charset)
    except BinaryInputError as exc:
        return ReadFailure(source, str(exc))
    try:
        found = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, date_extraction_params=_DATE_OPTIONS
        )
    except Exception as exc:  # a parser bug on one page must not stop the batch
        return ReadFailure(source, f"cannot parse the page: {type(exc).__name__}: {exc}")
    text = (getattr(found, "text", None) or "").strip()
    if not text:
        return ReadFailure(source, "no article text found in the page")
    return Document(
        id=doc_id or url or source,
        text=text,
        title=(getattr(found, "title", None) or title or "").strip(),
        published=_date(getattr(found, "date", None)) or published,
        url=url,
        source=source,
    )


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The page's text, in the encoding the server or the page declares (if Python knows it)."""
    declared = charset or _meta_charset(data)
    if declared and declared.lower() in _WINDOWS_ALIASES:
        declared = "cp1252"
    if declared and _known_codec(declared) and not declared.lower().startswith("utf-8"):
        if b"\x00" in data[:8192] and not declared.lower().startswith("utf-16"):
            raise BinaryInputError("binary data (NUL bytes), not a page")
        return data.decode(declared, errors="replace")
    return decode_text(data)


def read_html_file(path: Path) -> ReadResult:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            return ReadFailure(source, too_large(size))
        data = path.read_bytes()
    except OSError as exc:
        return ReadFailure(source, f"cannot read: {exc.strerror or exc}")
    return document_from_html(data, source=source, doc_id=path.stem)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
