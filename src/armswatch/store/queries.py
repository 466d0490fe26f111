"""Read queries over the store, shared by the REST API, the web page and ``armswatch export``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from armswatch.store.models import DocumentRow, DocumentStatus, MentionRow, TransferRow

TransferSort = Literal[
    "last_date",
    "-last_date",
    "first_date",
    "-first_date",
    "sources",
    "-sources",
    "confidence",
    "-confidence",
    "id",
    "-id",
]


@dataclass(frozen=True)
class Filters:
    """What analysts narrow by; every field is optional and they combine with AND."""

    supplier: str | None = None
    recipient: str | None = None
    system: str | None = None  # a designation or its family: F-16 finds F-16V too
    category: str | None = None
    type: str | None = None  # an event type: transfers that reached it, or events of it
    status: str | None = None  # transfers only: the latest stage
    date_from: dt.date | None = None  # events whose dates overlap [date_from, date_to]
    date_to: dt.date | None = None
    q: str | None = None  # free text over evidence, titles, systems and parties


@dataclass(frozen=True)
class Page:
    total: int
    items: Sequence[Any]


def _same(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column) == value.strip().lower()


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    pattern = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    condition: ColumnElement[bool] = column.ilike(f"%{pattern}%", escape="\\")
    return condition


def _mention_text_matches(q: str) -> ColumnElement[bool]:
    return or_(_contains(MentionRow.evidence, q), _contains(MentionRow.system, q), _contains(DocumentRow.title, q))


def _equal_fields(f: Filters, **columns: Any) -> list[ColumnElement[bool]]:
    """``column = value`` (case-insensitive) for each filter field that is set."""
    return [_same(column, getattr(f, name)) for name, column in columns.items() if getattr(f, name)]


def transfer_conditions(f: Filters) -> list[ColumnElement[bool]]:
    conditions = _equal_fields(f, supplier=TransferRow.supplier, recipient=TransferRow.recipient,
                               category=TransferRow.category, status=TransferRow.status)  # fmt: skip
    if f.date_from:
        conditions.append(TransferRow.last_date >= f.date_from)
    if f.date_to:
        conditions.append(TransferRow.first_date <= f.date_to)
    if f.system:
        has_variant = exists().where(MentionRow.transfer_id == TransferRow.id, _same(MentionRow.system, f.system))
        conditions.append(or_(_same(TransferRow.system, f.system), has_variant))
    if f.type:
        conditions.append(exists().where(MentionRow.transfer_id == TransferRow.id, _same(MentionRow.type, f.type)))
    if f.q:
        in_evidence = (
            select(MentionRow.id)
            .join(DocumentRow, MentionRow.document_id == DocumentRow.id)
            .where(MentionRow.transfer_id == TransferRow.id, _mention_text_matches(f.q))
            .exists()
        )
        conditions.append(
            or_(
                _contains(TransferRow.system, f.q),
                _same(TransferRow.supplier, f.q),
                _same(TransferRow.recipient, f.q),
                in_evidence,
            )
        )
    return conditions


def mention_conditions(f: Filters) -> list[ColumnElement[bool]]:
    conditions = _equal_fields(f, supplier=MentionRow.supplier, recipient=MentionRow.recipient,
                               category=MentionRow.category, type=MentionRow.type)  # fmt: skip
    if f.system:
        in_family = exists().where(TransferRow.id == MentionRow.transfer_id, _same(TransferRow.system, f.system))
        conditions.append(or_(_same(MentionRow.system, f.system), in_family))
    if f.date_from:
        conditions.append(MentionRow.date_end >= f.date_from)
    if f.date_to:
        conditions.append(MentionRow.date_start <= f.date_to)
    if f.q:
        conditions.append(
            or_(_mention_text_matches(f.q), _same(MentionRow.supplier, f.q), _same(MentionRow.recipient, f.q))
        )
    return conditions


def _page(session: Session, query: Select[Any], limit: int, offset: int) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = session.scalars(query.limit(limit).offset(offset)).unique().all()
    return Page(total, items)


def transfers_query(f: Filters, sort: TransferSort = "-last_date") -> Select[tuple[TransferRow]]:
    column = getattr(TransferRow, sort.lstrip("-"))
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    return select(TransferRow).where(and_(true(), *transfer_conditions(f))).order_by(order, TransferRow.id.desc())


def list_transfers(
    session: Session, f: Filters, *, limit: int = 50, offset: int = 0, sort: TransferSort = "-last_date"
) -> Page:
    return _page(session, transfers_query(f, sort), limit, offset)


def events_query(f: Filters) -> Select[tuple[MentionRow]]:
    return (
        select(MentionRow)
        .join(DocumentRow, MentionRow.document_id == DocumentRow.id)
        .options(joinedload(MentionRow.document))
        .where(and_(true(), *mention_conditions(f)))
        .order_by(MentionRow.date_start.desc().nulls_last(), MentionRow.id.desc())
    )


def list_events(session: Session, f: Filters, *, limit: int = 50, offset: int = 0) -> Page:
    return _page(session, events_query(f), limit, offset)


def get_transfer(session: Session, transfer_id: int) -> TransferRow | None:
    return session.get(TransferRow, transfer_id)


def transfer_mentions(session: Session, transfer_id: int) -> list[MentionRow]:
    """A transfer's mentions with their documents, in the order things happened."""
    query = (
        select(MentionRow)
        .join(DocumentRow, MentionRow.document_id == DocumentRow.id)
        .options(joinedload(MentionRow.document))
        .where(MentionRow.transfer_id == transfer_id)
        .order_by(func.coalesce(MentionRow.date_start, DocumentRow.published).asc().nulls_last(), MentionRow.id)
    )
    return list(session.scalars(query).unique())


def party_counts(session: Session) -> dict[str, tuple[int, int]]:
    """Each party code -> (transfers as supplier, transfers as recipient)."""
    counts: dict[str, list[int]] = {}
    for column, slot in ((TransferRow.supplier, 0), (TransferRow.recipient, 1)):
        for code, n in session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column)):
            counts.setdefault(code, [0, 0])[slot] = n
    return {code: (c[0], c[1]) for code, c in counts.items()}


def system_counts(session: Session) -> list[tuple[str, int, int]]:
    """Each designation the mentions use -> (mentions, transfers), most mentioned first."""
    query = (
        select(MentionRow.system, func.count(), func.count(func.distinct(MentionRow.transfer_id)))
        .where(MentionRow.system.is_not(None))
        .group_by(MentionRow.system)
        .order_by(func.count().desc(), MentionRow.system)
    )
    return [(name, mentions, transfers) for name, mentions, transfers in session.execute(query)]


def flows(session: Session, f: Filters, limit: int = 40) -> list[tuple[str, str, int]]:
    """(supplier, recipient, number of transfers) for the filtered transfers, largest first."""
    query = (
        select(TransferRow.supplier, TransferRow.recipient, func.count())
        .where(TransferRow.supplier.is_not(None), TransferRow.recipient.is_not(None), *transfer_conditions(f))
        .group_by(TransferRow.supplier, TransferRow.recipient)
        .order_by(func.count().desc(), TransferRow.supplier, TransferRow.recipient)
        .limit(limit)
    )
    return [(s, r, n) for s, r, n in session.execute(query)]


def events_per_year(session: Session, f: Filters) -> list[tuple[int, str, int]]:
    """(year, event type, mentions) over the filtered transfers' dated mentions."""
    transfer_ids = select(TransferRow.id).where(*transfer_conditions(f))
    rows = session.execute(
        select(MentionRow.date_start, MentionRow.type).where(
            MentionRow.transfer_id.in_(transfer_ids), MentionRow.date_start.is_not(None)
        )
    )
    counts: dict[tuple[int, str], int] = {}
    for day, type_ in rows:
        counts[(day.year, type_)] = counts.get((day.year, type_), 0) + 1
    return sorted((year, type_, n) for (year, type_), n in counts.items())


def _counts(session: Session, column: Any) -> dict[Any, int]:
    return {key: n for key, n in session.execute(select(column, func.count()).group_by(column))}


def stats(session: Session) -> dict[str, Any]:
    by_status = _counts(session, DocumentRow.status)
    return {
        "documents": sum(by_status.values()),
        "documents_by_status": {s.value: by_status.get(s, 0) for s in DocumentStatus},
        "near_duplicates": session.scalar(select(func.count()).where(DocumentRow.duplicate_of_id.is_not(None))) or 0,
        "mentions": session.scalar(select(func.count(MentionRow.id))) or 0,
        "mentions_by_type": _counts(session, MentionRow.type),
        "transfers": session.scalar(select(func.count(TransferRow.id))) or 0,
        "transfers_by_status": {str(k): n for k, n in _counts(session, TransferRow.status).items()},
        "last_ingested": _as_utc(session.scalar(select(func.max(DocumentRow.ingested_at)))),
    }


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are naive UTC; answers say so."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value
