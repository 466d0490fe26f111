"""Reading local inputs: every input ends as a document or a failure with its reason."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.files import _WINDOWS_FALLBACK, _json_record, decode_text, read_paths, read_stream, text_document


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


@given(st.binary(max_size=200), st.booleans())
def test_decoding_is_utf8_sig_with_the_windows_fallback(data: bytes, with_bom: bool) -> None:
    data = (codecs.BOM_UTF8 if with_bom else b"") + data.replace(b"\x00", b"")
    assert decode_text(data) == data.decode("utf-8-sig", errors=_WINDOWS_FALLBACK)


_BEYOND_64_BITS = st.integers(min_value=2**64) | st.integers(max_value=-(2**63) - 1)
_SCALAR = st.none() | st.booleans() | st.integers() | _BEYOND_64_BITS | st.floats() | st.text()
_ANY_JSON = st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
)
_RECORD = st.dictionaries(st.sampled_from(["id", "text", "title", "published", "url", "lang", "x"]), _ANY_JSON)


def _line_of(value: Any, ascii_only: bool, bom: bool, junk: bytes) -> bytes:
    """A JSON line as files hold them: UTF-8 or escaped, perhaps a BOM, perhaps stray bytes."""
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    return (codecs.BOM_UTF8 if bom else b"") + body + junk + b"\n"


def _same(a: Any, b: Any) -> bool:
    """The same JSON scalar (NaN the same as NaN), or containers of one type."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list | dict):
        return type(a) is type(b)
    return type(a) is type(b) and a == b


_JUNK = st.sampled_from([b"", b" ", b"\x93", b"\xff", b"}", b"\x00"])


@given(_RECORD | _ANY_JSON, st.booleans(), st.booleans(), _JUNK)
def test_a_json_line_reads_as_the_standard_library_reads_it(
    value: Any, ascii_only: bool, bom: bool, junk: bytes
) -> None:
    """orjson reads most lines; the rest (a BOM, Windows bytes, NaN, huge integers, lone
    surrogates) must read as the standard library reads them, or fail as it fails. What the
    reader takes from a record, its top-level fields, must be the same."""
    line = _line_of(value, ascii_only, bom, junk)
    try:
        expected = json.loads(decode_text(line))
    except ValueError as exc:  # JSONDecodeError and BinaryInputError
        try:
            _json_record(line)
        except ValueError as again:
            assert type(again) is type(exc) and str(again) == str(exc)
            return
        raise AssertionError(f"{line!r} should fail as it does in the standard library") from None
    got = _json_record(line)
    assert _same(got, expected)
    if isinstance(expected, dict):
        assert list(got) == list(expected)
        assert all(_same(got[k], expected[k]) for k in expected), line
