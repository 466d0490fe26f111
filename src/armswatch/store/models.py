"""The stored record: documents, the event mentions found in them, and merged transfers.

One schema for SQLite and PostgreSQL (migrations in ``store/migrations``). A document is stored
once: its URL (where it has one) and its content hash are unique. Inputs that could not be
read are documents too, with ``status = failed`` and the reason, so nothing is lost silently.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints, so that migrations can refer to them on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class DocumentStatus(StrEnum):
    PENDING = "pending"  # known (queued by a batch) but not processed yet
    DONE = "done"  # read and extracted
    FAILED = "failed"  # could not be read or extracted; ``error`` says why
    UNSUPPORTED_LANGUAGE = "unsupported-language"  # read, but no trigger words for its language


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _enum(cls: type[StrEnum], name: str) -> Enum:
    # Stored as plain strings with a CHECK, so a new state needs no type change on PostgreSQL.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)  # the input's own id
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    source: Mapped[str | None] = mapped_column(String(2000), index=True)  # path, feed or archive it came from
    title: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    content_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[DocumentStatus] = mapped_column(_enum(DocumentStatus, "document_status"), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    # Near-duplicates (syndicated copies) point at their original and add no independent source.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    similarity: Mapped[float | None] = mapped_column(Float)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # the MinHash signature, to rebuild the LSH index
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=_utcnow, onupdate=_utcnow, server_default=func.now()
    )

    mentions: Mapped[list[MentionRow]] = relationship(back_populates="document", cascade="all, delete-orphan")

    @property
    def root_id(self) -> int:
        """The document this one is a copy of, or itself: what counts as one independent source."""
        return self.duplicate_of_id or self.id


class TransferRow(Base):
    """One transfer (supplier, recipient, system family, period) and what all documents say of it."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(64))
    system: Mapped[str | None] = mapped_column(String(200), index=True)  # the family: F-16V merges into F-16
    category: Mapped[str | None] = mapped_column(String(32), index=True)
    systems: Mapped[list[str]] = mapped_column(JSON, default=list)  # designations the documents use
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)  # event types seen, in stage order
    status: Mapped[str | None] = mapped_column(String(16), index=True)  # the latest stage reported
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)  # third parties that opposed it
    first_date: Mapped[dt.date | None] = mapped_column(Date, index=True)  # earliest event date (day resolution)
    last_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    first_reported: Mapped[dt.date | None] = mapped_column(Date)  # earliest publication date of a source
    last_reported: Mapped[dt.date | None] = mapped_column(Date)
    sources: Mapped[int] = mapped_column(Integer, default=0)  # independent documents (copies count once)
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[int | None] = mapped_column(Integer)  # the largest quantity any source states
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # bumped on every recomputation
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=_utcnow, onupdate=_utcnow, server_default=func.now()
    )

    mentions: Mapped[list[MentionRow]] = relationship(back_populates="transfer")

    __table_args__ = (Index("ix_transfers_pair", "supplier", "recipient", "system"),)


class MentionRow(Base):
    """One event as one document reports it: the extractor's output, with its evidence offsets."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id", ondelete="SET NULL"), index=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    supplier: Mapped[str | None] = mapped_column(String(64), index=True)
    recipient: Mapped[str | None] = mapped_column(String(64), index=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    system: Mapped[str | None] = mapped_column(String(200), index=True)
    category: Mapped[str | None] = mapped_column(String(32))
    date: Mapped[str | None] = mapped_column(String(10))  # ISO, to the text's precision: 2019, 2019-05, 2019-05-30
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)  # first and last day ``date`` covers
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    quantity: Mapped[int | None] = mapped_column(Integer)
    value_amount: Mapped[float | None] = mapped_column(Float)
    value_currency: Mapped[str | None] = mapped_column(String(3))
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    extras: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    document: Mapped[DocumentRow] = relationship(back_populates="mentions")
    transfer: Mapped[TransferRow | None] = relationship(back_populates="mentions")


class FeedRow(Base):
    """An RSS/Atom feed that ``armswatch watch`` polls, and what the last poll found."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    etag: Mapped[str | None] = mapped_column(String(500))  # sent back as If-None-Match
    last_modified: Mapped[str | None] = mapped_column(String(100))  # sent back as If-Modified-Since
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_ok_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_status: Mapped[str | None] = mapped_column(String(100))  # "200: 3 new items", "304 not modified"
    last_error: Mapped[str | None] = mapped_column(Text)  # why the last poll failed; cleared by a good one

    items: Mapped[list[FeedItemRow]] = relationship(back_populates="feed", cascade="all, delete-orphan")


class FeedItemRow(Base):
    """An item a feed has listed: seen once, queued once (its page becomes a pending document)."""

    __tablename__ = "feed_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))  # sha256 of the item's guid (or link): guids can be long
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, server_default=func.now())

    feed: Mapped[FeedRow] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("feed_id", "key", name="uq_feed_items_feed_id_key"),)


class BatchRow(Base):
    """One run of ``armswatch ingest`` or ``watch``: a run killed midway keeps ``finished_at`` empty."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    command: Mapped[str] = mapped_column(String(32))
    inputs: Mapped[str] = mapped_column(Text, default="")  # what it was given, clipped
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # outcome -> number of inputs
