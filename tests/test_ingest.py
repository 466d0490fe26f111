"""Ingesting into the store: idempotency, failures recorded, near-duplicates linked."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from armswatch.core.model import Document, EventType, ReadFailure
from armswatch.store.db import Database
from armswatch.store.dedup import content_hash, shingles, signature, signature_bytes, signature_from_bytes
from armswatch.store.ingest import Outcome, ingest_documents
from armswatch.store.models import DocumentRow, DocumentStatus, MentionRow
from tests.support.extractors import BrokenExtractor, ScriptedExtractor, event_for

WIRE = (
    "Harbour officials confirmed on Tuesday that the first of four patrol boats built at the northern "
    "yard had been loaded onto a cargo ship. The vessels were ordered two years ago under a contract "
    "worth about 90 million euros. Norway agreed to sell NASAMS batteries to Lithuania, the ministry said. "
    "The navy expects the remaining boats before the end of next year, according to a spokesman who "
    "declined to be named because the schedule had not been published."
)
SENTENCE = "Norway agreed to sell NASAMS batteries to Lithuania, the ministry said."


def extractor() -> ScriptedExtractor:
    def agree(doc: Document) -> list:  # type: ignore[type-arg]
        return [event_for(doc, SENTENCE, EventType.AGREE, "NOR", "LTU", "NASAMS", date="2022-05", confidence=0.8)]

    return ScriptedExtractor({SENTENCE: agree})


def doc(doc_id: str, text: str = WIRE, url: str | None = None) -> Document:
    return Document(
        id=doc_id, text=text, title=f"Title {doc_id}", url=url, published=dt.date(2022, 5, 20), source=f"test:{doc_id}"
    )


def count(db: Database, what: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(what)) or 0)


def test_a_document_and_its_mentions_are_stored(db: Database) -> None:
    report = ingest_documents(db, extractor(), [doc("a", url="https://example.org/a")])
    assert [r.outcome for r in report.results] == [Outcome.STORED]
    with db.session() as s:
        row = s.scalars(select(DocumentRow)).one()
        assert (row.external_id, row.url, row.status, row.published) == (
            "a",
            "https://example.org/a",
            DocumentStatus.DONE,
            dt.date(2022, 5, 20),
        )
        assert row.content_hash == content_hash(WIRE)
        mention = s.scalars(select(MentionRow)).one()
        assert WIRE[mention.start : mention.end] == SENTENCE
        assert (mention.type, mention.supplier, mention.recipient, mention.system) == ("AGREE", "NOR", "LTU", "NASAMS")
        assert (mention.date_start, mention.date_end) == (dt.date(2022, 5, 1), dt.date(2022, 5, 31))


def test_same_text_or_same_url_adds_nothing(db: Database) -> None:
    ex = extractor()
    ingest_documents(db, ex, [doc("a", url="https://example.org/a")])
    again = ingest_documents(
        db,
        ex,
        [
            doc("a"),  # same text, no URL
            doc("b", text=WIRE.replace(" ", "  "), url=None),  # same text, reflowed
            doc("c", text="A different article altogether about nothing.", url="https://example.org/a"),  # same URL
        ],
    )
    assert [r.outcome for r in again.results] == [Outcome.DUPLICATE] * 3
    assert count(db, DocumentRow) == 1
    assert count(db, MentionRow) == 1
    assert ex.calls == 1  # duplicates are recognised before the (slow) extraction


def test_read_failures_are_recorded_once_per_source(db: Database) -> None:
    ingest_documents(db, extractor(), [ReadFailure("feed.jsonl:3", "not a JSON object")])
    report = ingest_documents(db, extractor(), [ReadFailure("feed.jsonl:3", "still not a JSON object")])
    assert report.count(Outcome.FAILED) == 1
    with db.session() as s:
        row = s.scalars(select(DocumentRow)).one()
        assert (row.status, row.source, row.error, row.text) == (
            DocumentStatus.FAILED,
            "feed.jsonl:3",
            "still not a JSON object",
            None,
        )


def test_extractor_error_is_recorded_and_retried_later(db: Database) -> None:
    report = ingest_documents(db, BrokenExtractor(), [doc("a")])
    assert report.results[0].outcome is Outcome.FAILED
    assert "extraction failed: RuntimeError: boom" in report.results[0].message
    retry = ingest_documents(db, extractor(), [doc("a")])
    assert retry.results[0].outcome is Outcome.STORED
    assert retry.results[0].document_id == report.results[0].document_id  # the same row, now done
    assert count(db, DocumentRow) == 1 and count(db, MentionRow) == 1


def test_unsupported_language_is_recorded_without_extraction(db: Database) -> None:
    ex = extractor()
    german = Document(id="de", text="Norwegen liefert Luftabwehrsysteme an Litauen.", language="de")
    report = ingest_documents(db, ex, [german])
    assert report.results[0].outcome is Outcome.UNSUPPORTED_LANGUAGE
    assert ex.calls == 0
    with db.session() as s:
        assert s.scalars(select(DocumentRow.status)).one() is DocumentStatus.UNSUPPORTED_LANGUAGE
    assert ingest_documents(db, ex, [german]).results[0].outcome is Outcome.DUPLICATE  # settled while unsupported


def test_syndicated_copy_is_linked_to_its_original(db: Database) -> None:
    copy = "By a staff reporter. " + WIRE.replace("on Tuesday", "on Tuesday morning") + " Copyright 2022."
    unrelated = "The central bank left interest rates unchanged and said inflation was easing. " * 3
    report = ingest_documents(db, extractor(), [doc("orig"), doc("copy", copy), doc("other", unrelated)])
    assert [r.outcome for r in report.results] == [Outcome.STORED, Outcome.NEAR_DUPLICATE, Outcome.STORED]
    with db.session() as s:
        rows = {r.external_id: r for r in s.scalars(select(DocumentRow))}
        assert rows["copy"].duplicate_of_id == rows["orig"].id
        assert rows["copy"].similarity is not None and rows["copy"].similarity > 0.7
        assert rows["other"].duplicate_of_id is None


def test_near_duplicates_are_found_from_stored_signatures_in_a_later_run(db: Database) -> None:
    ingest_documents(db, extractor(), [doc("orig")])
    copy = WIRE.replace("a spokesman", "an official")
    report = ingest_documents(db, extractor(), [doc("copy", copy)])  # a new process: index rebuilt from the store
    assert report.results[0].outcome is Outcome.NEAR_DUPLICATE


def test_copy_of_a_copy_points_at_the_first_original(sqlite_db: Database) -> None:
    copy1 = WIRE.replace("on Tuesday", "on Wednesday")
    copy2 = copy1.replace("a spokesman", "an officer")
    ingest_documents(sqlite_db, extractor(), [doc("orig"), doc("c1", copy1), doc("c2", copy2)])
    with sqlite_db.session() as s:
        rows = {r.external_id: r for r in s.scalars(select(DocumentRow))}
        assert rows["c2"].duplicate_of_id == rows["orig"].id


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_signature_survives_storage(text: str) -> None:
    sig = signature(text)
    assert signature_from_bytes(signature_bytes(sig)).jaccard(sig) == 1.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["arms", "deal", "tank", "jet", "sale", "navy", "port"]), min_size=1, max_size=60))
def test_shingles_ignore_case_and_spacing(words: list[str]) -> None:
    text = " ".join(words)
    assert shingles(text) == shingles("  " + text.upper().replace(" ", " \n "))
    assert content_hash(text) == content_hash(text.replace(" ", "\t "))
