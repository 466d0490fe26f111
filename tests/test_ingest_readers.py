"""The readers of pages, archives, CSV and JSON Lines: what becomes a document, what a failure, and why.

Every input here is written by the test at run time."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.files import MAX_DOCUMENT_BYTES, bounded_lines, decode_text
from armswatch.ingest.html import document_from_html
from armswatch.ingest.items import Deferred, Item, load
from armswatch.ingest.safety import ReservedUrls, reserved_hash
from armswatch.ingest.sources import Inputs, ReadOptions
from armswatch.ingest.tabular import ColumnMapping, read_csv
from armswatch.ingest.warc import WarcStats, read_warc
from tests.support.web import article_html

BODY = (
    "The navy of a coastal state signed a contract for four patrol boats with a foreign shipyard.\n\n"
    "The first boat is due next year, officials said, and crews will train abroad before delivery."
)


def loaded(items: list[Item]) -> list[Document | ReadFailure]:
    return [load(i) if isinstance(i, Deferred) else i for i in items]


# --- pages -------------------------------------------------------------------------------------


def test_a_page_gives_its_article_title_and_date_without_the_boilerplate() -> None:
    doc = document_from_html(article_html("Boats for the navy", BODY).encode(), source="s", url="https://x.example/a")
    assert isinstance(doc, Document)
    assert doc.title == "Boats for the navy"
    assert doc.published == dt.date(2024, 3, 5)
    assert "four patrol boats" in doc.text and "crews will train abroad" in doc.text
    assert "Copyright" not in doc.text and "Sport" not in doc.text
    assert doc.url == "https://x.example/a"


def test_a_page_in_a_declared_legacy_encoding_is_decoded() -> None:
    page = article_html("Контракт", "Министерство обороны подписало контракт на поставку техники. " * 5)
    page = page.replace("<head>", '<head><meta charset="windows-1251">')
    doc = document_from_html(page.encode("cp1251"), source="s")
    assert isinstance(doc, Document) and "Министерство обороны" in doc.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x01\x02\x03 binary", "binary data"),
        (b"<html><head><script>var a = 1;</script></head><body></body></html>", "no article text"),
        (b"", "no article text found"),
        (b"<p>" + b"x" * (MAX_DOCUMENT_BYTES + 1), "too large"),
    ],
)
def test_pages_without_an_article_fail_with_a_reason(data: bytes, reason: str) -> None:
    result = document_from_html(data, source="bad.html")
    assert isinstance(result, ReadFailure) and reason in result.reason


def test_malformed_markup_still_gives_its_text() -> None:
    page = b"<html><body><p>Four patrol boats were sold <div>to the navy<<>> <b>this week</p></i>"
    doc = document_from_html(page, source="broken.html")
    assert isinstance(doc, Document) and "Four patrol boats were sold" in doc.text


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: f"<html><body><p>{t}</p>".encode()))
def test_any_bytes_give_a_document_or_a_failure(data: bytes) -> None:
    assert isinstance(document_from_html(data, source="fuzz"), Document | ReadFailure)


# --- text and JSON Lines -------------------------------------------------------------------


def test_mixed_encodings_keep_both_right() -> None:
    data = "Café in UTF-8. ".encode() + "Price: £5, “quoted”.".encode("cp1252")
    assert decode_text(data) == "Café in UTF-8. Price: £5, “quoted”."


@given(st.text(max_size=300))
def test_utf8_text_decodes_unchanged(text: str) -> None:
    if "\x00" not in text:
        assert decode_text(text.encode("utf-8")) == text


def test_an_overlong_line_is_skipped_without_being_held() -> None:
    stream = io.BytesIO(b"short\n" + b"y" * 5000 + b"\nafter\n")
    lines = list(bounded_lines(stream, limit=100))
    assert lines[0] == b"short\n" and lines[2] == b"after\n"
    assert type(lines[1]).__name__ == "LineTooLong" and bytes(lines[1]) == b"5001"


def test_gzipped_json_lines_and_a_truncated_gzip(tmp_path: Path) -> None:
    lines = "".join(f'{{"id": "d{n}", "text": "Text of document {n} written for this test."}}\n' for n in range(200))
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(gzip.compress(lines.encode()))
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    results = loaded(list(Inputs([str(good), str(cut)])))
    docs = [r for r in results if isinstance(r, Document)]
    failures = [r for r in results if isinstance(r, ReadFailure)]
    assert len([d for d in docs if d.source and d.source.startswith(str(good))]) == 200
    assert 0 < len([d for d in docs if d.source and d.source.startswith(str(cut))]) < 200
    assert [f.source for f in failures] == [str(cut)]
    assert "broken compressed stream: TruncatedGzip" in failures[0].reason


# --- archives ------------------------------------------------------------------------------


def write_warc(records: list[tuple[str, str, int, str, bytes]], compress: bool = True) -> bytes:
    """(type, url, status, content type, body) records, as a crawler writes them."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for rec_type, url, status, content_type, body in records:
        if rec_type == "response":
            http = StatusAndHeaders(f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
        else:
            record = writer.create_warc_record(url, rec_type, payload=io.BytesIO(body))
        writer.write_record(record)
    return out.getvalue()


def page_record(n: int) -> tuple[str, str, int, str, bytes]:
    html = article_html(f"Story {n}", f"Story number {n} about boats and ships. " * 20)
    return ("response", f"https://news.example/{n}", 200, "text/html; charset=utf-8", html.encode())


def test_only_html_responses_become_documents(tmp_path: Path) -> None:
    data = write_warc(
        [
            ("request", "https://news.example/0", 0, "", b"GET / HTTP/1.1\r\n\r\n"),
            page_record(0),
            ("response", "https://news.example/logo.png", 200, "image/png", b"\x89PNG"),
            ("response", "https://news.example/gone", 404, "text/html", b"<p>not found</p>"),
            ("metadata", "https://news.example/0", 0, "", b"fetchTimeMs: 12"),
            page_record(1),
        ]
    )
    stats = WarcStats()
    items = list(read_warc(gzip.GzipFile(fileobj=io.BytesIO(data)), "crawl.warc.gz", stats=stats))  # type: ignore[arg-type]
    assert all(isinstance(i, Deferred) for i in items)
    docs = loaded(items)
    assert [d.url for d in docs if isinstance(d, Document)] == ["https://news.example/0", "https://news.example/1"]
    assert [d.title for d in docs if isinstance(d, Document)] == ["Story 0", "Story 1"]
    assert stats.skipped == 4


@pytest.mark.parametrize("compress", [True, False])
def test_a_truncated_archive_keeps_what_came_before_the_cut(tmp_path: Path, compress: bool) -> None:
    data = write_warc([page_record(n) for n in range(10)], compress=compress)
    path = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    path.write_bytes(data[: int(len(data) * 0.75)])
    results = loaded(list(Inputs([str(path)])))
    docs = [r for r in results if isinstance(r, Document)]
    (failure,) = [r for r in results if isinstance(r, ReadFailure)]
    assert 5 <= len(docs) < 10
    assert "broken" in failure.reason and ("TruncatedGzip" if compress else "EOFError") in failure.reason


def test_a_file_that_is_no_archive_fails(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"these are my notes, not a web archive\n\n")
    (failure,) = loaded(list(Inputs([str(path)])))
    assert isinstance(failure, ReadFailure) and str(path) in failure.source


def test_reserved_and_oversized_records_fail(tmp_path: Path) -> None:
    big = ("response", "https://news.example/big", 200, "text/html", b"<p>" + b"z" * (MAX_DOCUMENT_BYTES + 10))
    data = write_warc([page_record(0), big, page_record(1)], compress=False)
    reserved = ReservedUrls(frozenset({reserved_hash("https://news.example/1")}))
    path = tmp_path / "a.warc"
    path.write_bytes(data)
    results = loaded(list(Inputs([str(path)], ReadOptions(reserved=reserved))))
    reasons = [r.reason for r in results if isinstance(r, ReadFailure)]
    assert [d.url for d in results if isinstance(d, Document)] == ["https://news.example/0"]
    assert len(reasons) == 2 and "too large" in reasons[0] and "reserved for evaluation" in reasons[1]


# --- CSV -----------------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_csv_columns_by_name_and_by_number() -> None:
    named = csv_bytes([["headline", "body", "date"], ["Boats", "Four boats were sold.", "2024-01-02"]])
    (doc,) = read_csv(io.BytesIO(named), "a.csv", ColumnMapping.parse("title=headline,text=body,published=date"))
    assert isinstance(doc, Document) and (doc.title, doc.text, doc.published) == (
        "Boats",
        "Four boats were sold.",
        dt.date(2024, 1, 2),
    )
    headerless = csv_bytes([["3", "Tanks", "Two tanks arrived."]])
    (doc,) = read_csv(io.BytesIO(headerless), "b.csv", ColumnMapping.parse("title=2,text=3"))
    assert isinstance(doc, Document) and (doc.title, doc.text, doc.source) == ("Tanks", "Two tanks arrived.", "b.csv:1")


def test_csv_problems_are_per_row_or_per_file() -> None:
    data = (
        b"title,text\n"
        b"Good,A fine row.\n"
        b"Windows,Price \xa3 5 in cp1252.\n"
        b"Huge," + b"h" * (MAX_DOCUMENT_BYTES + 1) + b"\n"
        b"NoText,\n"
        b"After,Still read.\n"
    )
    results = list(read_csv(io.BytesIO(data), "mixed.csv"))
    texts = [r.text for r in results if isinstance(r, Document)]
    failures = {r.source: r.reason for r in results if isinstance(r, ReadFailure)}
    assert texts == ["A fine row.", "Price £ 5 in cp1252.", "Still read."]
    assert "field larger than field limit" in failures["mixed.csv:4"]
    assert "missing 'text'" in failures["mixed.csv:5"]
    (missing,) = read_csv(io.BytesIO(b"a,b\n1,2\n"), "nocol.csv")
    assert isinstance(missing, ReadFailure) and "no text column 'text'" in missing.reason


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("body", "not a field=column pair"),
        ("summary=x", "unknown field 'summary'"),
        ("text=3,title=headline", "not both"),
        ("text=0", "start at 1"),
    ],
)
def test_bad_column_mappings_are_named(spec: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        ColumnMapping.parse(spec)


@given(st.lists(st.tuples(st.text(min_size=1), st.text()), max_size=8))
def test_csv_cells_come_back_as_written(rows: list[tuple[str, str]]) -> None:
    rows = [(text, title) for text, title in rows if text.strip() and "\x00" not in text + title]
    data = csv_bytes([["text", "title"], *[list(r) for r in rows]])
    docs = [d for d in read_csv(io.BytesIO(data), "p.csv") if isinstance(d, Document)]
    assert [(d.text, d.title) for d in docs] == [(t, title) for t, title in rows]
