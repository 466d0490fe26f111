"""The API's request and response models (they are also its OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from armswatch.store.models import DocumentRow, MentionRow, TransferRow

CONTEXT_CHARS = 280  # how much of the article to show on each side of an evidence sentence


class DocumentRef(BaseModel):
    id: int
    title: str
    url: str | None
    published: dt.date | None
    source: str | None
    duplicate_of: int | None = Field(description="The original this document is a syndicated copy of.")

    @classmethod
    def of(cls, row: DocumentRow) -> DocumentRef:
        return cls(
            id=row.id,
            title=row.title,
            url=row.url,
            published=row.published,
            source=row.source,
            duplicate_of=row.duplicate_of_id,
        )


class Money(BaseModel):
    amount: float
    currency: str


class EventOut(BaseModel):
    """One event as one document reports it, with the sentence that states it."""

    id: int
    transfer_id: int | None
    type: str
    supplier: str | None
    recipient: str | None
    actor: str | None
    system: str | None
    category: str | None
    date: str | None
    quantity: int | None
    value: Money | None
    evidence: str
    start: int
    end: int
    confidence: float
    document: DocumentRef

    @classmethod
    def of(cls, row: MentionRow) -> EventOut:
        value = Money(amount=row.value_amount, currency=row.value_currency or "") if row.value_amount else None
        return cls(
            id=row.id,
            transfer_id=row.transfer_id,
            type=row.type,
            supplier=row.supplier,
            recipient=row.recipient,
            actor=row.actor,
            system=row.system,
            category=row.category,
            date=row.date,
            quantity=row.quantity,
            value=value,
            evidence=row.evidence,
            start=row.start,
            end=row.end,
            confidence=row.confidence,
            document=DocumentRef.of(row.document),
        )


class EvidenceOut(EventOut):
    """An event with the article text around its evidence: ``before`` + ``evidence`` + ``after``."""

    before: str
    highlighted: str = Field(description="The document's text at [start, end): the evidence as it appears.")
    after: str

    @classmethod
    def with_context(cls, row: MentionRow) -> EvidenceOut:
        text = row.document.text or ""
        before, hit, after = context_window(text, row.start, row.end)
        return cls(**EventOut.of(row).model_dump(), before=before, highlighted=hit or row.evidence, after=after)


def context_window(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The text around [start, end), cut at word boundaries, with an ellipsis where it was cut."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo, hi = max(0, start - width), min(len(text), end + width)
    if lo > 0:
        lo = text.find(" ", lo, start) + 1 or lo
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut > end else hi
    before = ("…" if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return before, text[start:end], after


class TransferOut(BaseModel):
    """One transfer: what all documents together say about it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    supplier: str | None
    recipient: str | None
    system: str | None = Field(description="The system family; ``systems`` lists the designations used.")
    systems: list[str]
    category: str | None
    status: str | None = Field(description="The latest stage reported.")
    stages: list[str]
    actors: list[str] = Field(description="Third parties that opposed the transfer.")
    first_date: dt.date | None
    last_date: dt.date | None
    first_reported: dt.date | None
    last_reported: dt.date | None
    sources: int = Field(description="Independent documents: syndicated copies count once.")
    mention_count: int
    quantity: int | None
    confidence: float

    @classmethod
    def of(cls, row: TransferRow) -> TransferOut:
        return cls.model_validate(row)


class StageOut(BaseModel):
    type: str
    first_date: dt.date | None
    last_date: dt.date | None
    first_reported: dt.date | None
    last_reported: dt.date | None
    mentions: int
    sources: int


class TransferDetail(TransferOut):
    timeline: list[StageOut]
    evidence: list[EvidenceOut]


class Paged(BaseModel):
    total: int
    limit: int
    offset: int


class TransferPage(Paged):
    items: list[TransferOut]


class EventPage(Paged):
    items: list[EventOut]


class CountryOut(BaseModel):
    code: str
    name: str
    as_supplier: int
    as_recipient: int


class SystemOut(BaseModel):
    name: str
    family: str | None
    category: str | None
    origin: str | None
    mentions: int
    transfers: int


class StatsOut(BaseModel):
    documents: int
    documents_by_status: dict[str, int]
    near_duplicates: int
    mentions: int
    mentions_by_type: dict[str, int]
    transfers: int
    transfers_by_status: dict[str, int]
    last_ingested: dt.datetime | None


MAX_TEXT_CHARS = 500_000


class DocumentIn(BaseModel):
    """An article to ingest: its text, or only its URL for the server to fetch (public addresses only)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["url"]}]}
    )

    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT_CHARS)
    url: str | None = Field(default=None, max_length=2000)
    title: str = Field(default="", max_length=1000)
    published: dt.date | None = None
    language: str | None = Field(default=None, max_length=16)
    id: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _text_or_url(self) -> DocumentIn:
        if self.text is None and not self.url:
            raise ValueError("send the article's 'text', or a 'url' for the server to fetch")
        return self


class IngestOut(BaseModel):
    outcome: str
    document_id: int | None
    mentions: int
    transfers: list[int]
    message: str


class ErrorOut(BaseModel):
    detail: Any
