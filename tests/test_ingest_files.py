"""Reading local inputs: every input ends as a document or a failure with its reason."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.files import read_paths, read_stream, text_document


def test_text_file_with_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("A title\nPublished: 2024-05-31\nURL: https://example.org/a\n\nBody text.\n", encoding="utf-8")
    (doc,) = read_paths([path])
    assert isinstance(doc, Document)
    assert (doc.id, doc.title, doc.published, doc.url) == (
        "a",
        "A title",
        dt.date(2024, 5, 31),
        "https://example.org/a",
    )
    assert doc.text.startswith("A title")


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "pound.txt"
    path.write_bytes("Price\n\nIt cost £5.".encode("latin-1"))
    (doc,) = read_paths([path])
    assert isinstance(doc, Document) and "£5" in doc.text


def test_bad_inputs_become_failures_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "docs.jsonl").write_text(
        '{"id": "1", "text": "fine"}\nnot json\n[1, 2]\n{"id": "4"}\n{"id": "5", "text": "x", "published": "May"}\n'
        '{"id": "6", "text": "also fine", "published": "2020-01-02T10:00:00Z"}\n',
        encoding="utf-8",
    )
    results = list(read_paths([tmp_path, tmp_path / "missing.txt"]))
    docs = [r for r in results if isinstance(r, Document)]
    failures = {r.source.rsplit("/", 1)[-1]: r.reason for r in results if isinstance(r, ReadFailure)}
    assert [d.id for d in docs] == ["1", "6"]
    assert docs[1].published == dt.date(2020, 1, 2)
    assert failures["empty.txt"] == "empty document"
    assert "binary" in failures["binary.txt"]
    assert "not a JSON object" in failures["docs.jsonl:2"]
    assert "list" in failures["docs.jsonl:3"]
    assert "missing 'text'" in failures["docs.jsonl:4"]
    assert "ISO date" in failures["docs.jsonl:5"]
    assert "cannot open" in failures["missing.txt"]


def test_stdin_json_lines_or_plain_text() -> None:
    jsonl = list(read_stream(io.BytesIO(b'{"id": "x", "text": "t"}\n'), source="stdin"))
    plain = list(read_stream(io.BytesIO(b"Headline\n\nBody."), source="stdin"))
    assert [d.id for d in jsonl if isinstance(d, Document)] == ["x"]
    assert [d.title for d in plain if isinstance(d, Document)] == ["Headline"]


@given(st.binary(max_size=400))
def test_any_bytes_give_a_document_or_a_failure(data: bytes) -> None:
    result = text_document(data, source="fuzz", default_id="f")
    assert isinstance(result, Document | ReadFailure)
