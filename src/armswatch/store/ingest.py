"""The ingest service: documents (or read failures) in, stored documents and mentions out.

``ingest_documents`` is what the CLI, the API and batch runs call. For each item it:

1. skips it when a document with the same URL or content hash is already done, or is in a
   language that is still unsupported (idempotent);
2. extracts events outside any transaction (the slow part, so writers hold the lock briefly);
3. in one serialised write transaction: links a near-duplicate to its original, stores the
   document and its mentions, and lets the merger fold the mentions into transfers.

A failure of one item (unreadable input, extractor error, unsupported language) is recorded
as a document with its status and reason and never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from datasketch import LeanMinHash
from sqlalchemy import case, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from armswatch.core.model import Document, Event, ReadFailure
from armswatch.ingest.language import is_unsupported
from armswatch.knowledge import Knowledge, default_knowledge
from armswatch.merge.dates import date_span
from armswatch.merge.transfers import TransferMerger
from armswatch.store.db import Database
from armswatch.store.dedup import NearDuplicateIndex, content_hash, signature, signature_bytes
from armswatch.store.models import DocumentRow, DocumentStatus, MentionRow

MAX_ERROR_CHARS = 2000


class EventExtractor(Protocol):
    def extract(self, doc: Document) -> list[Event]: ...


class MentionMerger(Protocol):
    """Folds newly stored mentions into transfers; returns the ids of the transfers it touched."""

    def assign(self, session: Session, mentions: Iterable[MentionRow], published: dt.date | None) -> set[int]: ...


class Outcome(StrEnum):
    STORED = "stored"
    NEAR_DUPLICATE = "near-duplicate"  # stored, linked to its original
    DUPLICATE = "duplicate"  # already stored (same URL or content): nothing added
    FAILED = "failed"
    UNSUPPORTED_LANGUAGE = "unsupported-language"


@dataclass(frozen=True)
class ItemResult:
    outcome: Outcome
    source: str
    document_id: int | None = None
    mentions: int = 0
    message: str = ""
    transfers: frozenset[int] = frozenset()


@dataclass
class IngestReport:
    results: list[ItemResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def mentions(self) -> int:
        return sum(r.mentions for r in self.results)

    @property
    def transfers(self) -> set[int]:
        return {t for r in self.results for t in r.transfers}

    def summary(self) -> str:
        parts = [f"{len(self.results)} input(s)"]
        parts += [f"{self.count(o)} {o.value}" for o in Outcome if self.count(o)]
        parts.append(f"{self.mentions} event mention(s)")
        parts.append(f"{len(self.transfers)} transfer(s) updated")
        return ", ".join(parts)


@dataclass
class Ingester:
    """Holds what every item needs: the database, the extractor, the merger and the LSH index."""

    db: Database
    extractor: EventExtractor
    merger: MentionMerger | None = None
    languages: frozenset[str] | None = None  # languages the extractor knows; None: any
    index: NearDuplicateIndex = field(default_factory=NearDuplicateIndex)

    @classmethod
    def with_knowledge(cls, db: Database, extractor: EventExtractor, knowledge: Knowledge) -> Ingester:
        """The usual set-up: merge by the knowledge's system families, accept its languages."""
        return cls(db, extractor, TransferMerger(knowledge), frozenset(knowledge.languages))

    def stored_id(self, source: str, url: str | None) -> int | None:
        """The settled document read from ``source`` or at ``url``, if any: such an input (a page,
        an archive record) need not be fetched or parsed again."""
        same = DocumentRow.source == source
        if url:
            same = or_(same, DocumentRow.url == url)
        with self.db.session() as session:
            rows = session.scalars(select(DocumentRow).where(same, DocumentRow.text.is_not(None)))
            return next((row.id for row in rows if self._settled(row)), None)

    def ingest(self, item: Document | ReadFailure) -> ItemResult:
        if isinstance(item, ReadFailure):
            return self._record_failure(item.source, item.reason)
        return self._ingest_document(item)

    def _ingest_document(self, doc: Document) -> ItemResult:
        source = doc.source or doc.url or doc.id
        digest = content_hash(doc.text)
        with self.db.session() as session:
            stored = _existing(session, doc.url, digest)
        if stored is not None and self._settled(stored):
            return ItemResult(Outcome.DUPLICATE, source, stored.id, message=f"already stored as document {stored.id}")

        status, error, events = self._extract(doc)
        sig = signature(doc.text)
        try:
            with self.db.writing() as session:
                return self._store(session, doc, digest, sig, status, error, events)
        except IntegrityError:  # another process stored the same URL or text a moment ago
            return ItemResult(Outcome.DUPLICATE, source, message="stored concurrently by another writer")

    def _settled(self, row: DocumentRow) -> bool:
        """Stored for good: done, or in a language still unsupported (retried once it is supported).
        Failed and pending documents are processed again."""
        if row.status is DocumentStatus.UNSUPPORTED_LANGUAGE:
            return self._unsupported(row.language)
        return row.status is DocumentStatus.DONE

    def _unsupported(self, language: str | None) -> bool:
        return is_unsupported(language, self.languages)

    def _extract(self, doc: Document) -> tuple[DocumentStatus, str | None, list[Event]]:
        if self._unsupported(doc.language):
            known = ", ".join(sorted(self.languages or ()))
            return DocumentStatus.UNSUPPORTED_LANGUAGE, f"language {doc.language!r} not supported ({known})", []
        try:
            return DocumentStatus.DONE, None, self.extractor.extract(doc)
        except Exception as exc:  # an extractor bug on one article must not stop the batch
            return DocumentStatus.FAILED, _clip(f"extraction failed: {type(exc).__name__}: {exc}"), []

    def _store(
        self,
        session: Session,
        doc: Document,
        digest: str,
        sig: LeanMinHash,
        status: DocumentStatus,
        error: str | None,
        events: list[Event],
    ) -> ItemResult:
        source = doc.source or doc.url or doc.id
        row = _existing(session, doc.url, digest)
        if row is not None and self._settled(row):  # stored by another writer since the first look
            return ItemResult(Outcome.DUPLICATE, source, row.id, message=f"already stored as document {row.id}")
        row = row or DocumentRow()
        _fill_document(row, doc, digest, status, error)
        self.index.refresh(session)
        if status is not DocumentStatus.FAILED:  # a failed text is no original for later copies
            original = self.index.original_of(sig)
            if original is not None and original[0] != row.id:
                row.duplicate_of_id, row.similarity = original
            row.minhash = signature_bytes(sig)
        session.add(row)
        session.flush()
        if status is not DocumentStatus.FAILED and doc.source:  # an input that failed before reads now
            session.execute(
                delete(DocumentRow).where(
                    DocumentRow.source == doc.source,
                    DocumentRow.status == DocumentStatus.FAILED,
                    DocumentRow.text.is_(None),
                    DocumentRow.id != row.id,
                )
            )
        mentions = [mention_row(event, row, doc.text) for event in events]
        session.add_all(mentions)
        session.flush()
        touched = self.merger.assign(session, mentions, row.published) if self.merger and mentions else set()
        return ItemResult(_outcome(row), source, row.id, len(mentions), error or "", frozenset(touched))

    def _record_failure(self, source: str, reason: str) -> ItemResult:
        """A failed input is a document too: one row per failing source, updated on retries
        (a URL queued as pending becomes failed in place)."""
        with self.db.writing() as session:
            row = session.scalars(
                select(DocumentRow).where(
                    DocumentRow.source == source,
                    DocumentRow.status.in_([DocumentStatus.FAILED, DocumentStatus.PENDING]),
                    DocumentRow.text.is_(None),
                )
            ).first()
            row = row or DocumentRow(source=source, title="")
            row.status = DocumentStatus.FAILED
            row.error = _clip(reason)
            session.add(row)
            session.flush()
            return ItemResult(Outcome.FAILED, source, row.id, message=reason)


def ingest_documents(
    db: Database,
    extractor: EventExtractor,
    items: Iterable[Document | ReadFailure],
    *,
    knowledge: Knowledge | None = None,
) -> IngestReport:
    """Store every item (see the module's docstring) and merge its mentions into transfers."""
    ingester = Ingester.with_knowledge(db, extractor, knowledge or default_knowledge())
    report = IngestReport()
    for item in items:
        report.results.append(ingester.ingest(item))
    return report


def _existing(session: Session, url: str | None, digest: str) -> DocumentRow | None:
    """The stored document with this URL or this text, preferring one that is done."""
    same = DocumentRow.content_hash == digest
    if url:
        same = or_(same, DocumentRow.url == url)
    done_first = case((DocumentRow.status == DocumentStatus.DONE, 0), else_=1)
    return session.scalars(select(DocumentRow).where(same).order_by(done_first, DocumentRow.id)).first()


def _fill_document(row: DocumentRow, doc: Document, digest: str, status: DocumentStatus, error: str | None) -> None:
    row.external_id = doc.id[:200]
    row.url = doc.url
    row.source = doc.source
    row.title = doc.title
    row.published = doc.published
    row.language = doc.language
    row.content_hash = digest
    row.text = doc.text
    row.status = status
    row.error = error


def mention_row(event: Event, document: DocumentRow, text: str) -> MentionRow:
    """The stored form of one extracted event; offsets are kept inside the document's text."""
    span = date_span(event.date)
    start = min(max(event.start, 0), len(text))
    return MentionRow(
        document=document,
        type=event.type.value,
        supplier=event.supplier,
        recipient=event.recipient,
        actor=event.actor,
        system=event.system,
        category=event.category.value if event.category else None,
        date=event.date,
        date_start=span[0] if span else None,
        date_end=span[1] if span else None,
        quantity=event.quantity,
        value_amount=event.value.amount if event.value else None,
        value_currency=event.value.currency if event.value else None,
        evidence=event.evidence,
        start=start,
        end=min(max(event.end, start), len(text)),
        confidence=event.confidence,
        extras=dict(event.extras),
    )


def _outcome(row: DocumentRow) -> Outcome:
    if row.status is DocumentStatus.FAILED:
        return Outcome.FAILED
    if row.status is DocumentStatus.UNSUPPORTED_LANGUAGE:
        return Outcome.UNSUPPORTED_LANGUAGE
    return Outcome.NEAR_DUPLICATE if row.duplicate_of_id else Outcome.STORED


def _clip(message: str) -> str:
    return message if len(message) <= MAX_ERROR_CHARS else message[: MAX_ERROR_CHARS - 3] + "..."
