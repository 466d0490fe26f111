"""Merging event mentions from many documents into transfer records, incrementally.

A transfer is keyed by (supplier, recipient, system family): ``F-16V`` and ``F-16`` are one
system here, following the knowledge files' ``family``. Mentions of the same key that lie far
apart in time are different transfers (a second batch ordered a decade later), so a mention
joins an existing transfer of its key only where its date lies within the policy's gap of that
transfer's dates. Mentions that name no system use a shorter gap: "weapons" from A to B in two
different years are rarely the same deal.

Only the transfers that new mentions join are recomputed, so ingesting one article touches only
the records it is about.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from armswatch.core.model import EventType
from armswatch.knowledge import Knowledge
from armswatch.merge.dates import DaySpan, gap_days
from armswatch.store.models import DocumentRow, MentionRow, TransferRow

STAGE_ORDER = [t.value for t in EventType]  # REQUEST ... DELIVER, then REFUSE, SUSPEND, OPPOSE
MAX_CONFIDENCE = 0.99  # no number of sources makes a news-derived record certain


@dataclass(frozen=True)
class MergePolicy:
    named_gap_days: int = 6 * 365  # request to delivery of a major system often takes years
    unnamed_gap_days: int = 365


def system_family(system: str | None, knowledge: Knowledge) -> str | None:
    """The broadest system ``system`` belongs to in the catalogue (itself when it has no family)."""
    seen: set[str] = set()
    while system is not None and system not in seen:
        seen.add(system)
        entry = knowledge.system(system)
        if entry is None or entry.family is None:
            return system
        system = entry.family
    return system


def mention_span(mention: MentionRow, published: dt.date | None) -> DaySpan | None:
    """When the mention's event happened: its own date, else its document's publication day."""
    if mention.date_start and mention.date_end:
        return mention.date_start, mention.date_end
    if published:
        return published, published
    return None


def transfer_span(transfer: TransferRow) -> DaySpan | None:
    if transfer.first_date and transfer.last_date:
        return transfer.first_date, transfer.last_date
    return None


class TransferMerger:
    """Assigns new mentions to transfers and recomputes the transfers they touch."""

    def __init__(self, knowledge: Knowledge, policy: MergePolicy | None = None) -> None:
        self.knowledge = knowledge
        self.policy = policy or MergePolicy()

    def assign(self, session: Session, mentions: Iterable[MentionRow], published: dt.date | None) -> set[int]:
        """Attach each mention to its transfer (created where none fits); returns the touched ids."""
        touched: dict[int, TransferRow] = {}
        for mention in mentions:
            span = mention_span(mention, published)
            transfer = self._find_or_create(session, mention, span, touched)
            mention.transfer = transfer
            _widen(transfer, span)
            touched[transfer.id] = transfer
        session.flush()
        for transfer in touched.values():
            self.recompute(session, transfer)
        return set(touched)

    def _find_or_create(
        self, session: Session, mention: MentionRow, span: DaySpan | None, touched: dict[int, TransferRow]
    ) -> TransferRow:
        family = system_family(mention.system, self.knowledge)
        candidates = list(
            session.scalars(
                select(TransferRow)
                .where(_equals(TransferRow.supplier, mention.supplier))
                .where(_equals(TransferRow.recipient, mention.recipient))
                .where(_equals(TransferRow.system, family))
                .order_by(TransferRow.id)
            )
        )
        fitting = self._fitting(candidates, span, named=family is not None)
        if not fitting:
            transfer = TransferRow(supplier=mention.supplier, recipient=mention.recipient, system=family)
            session.add(transfer)
            session.flush()
            return transfer
        target, *others = fitting
        for other in others:  # the new mention bridges the gap between two transfers: they are one
            self._absorb(session, target, other)
            touched.pop(other.id, None)
        return target

    def _fitting(self, candidates: list[TransferRow], span: DaySpan | None, *, named: bool) -> list[TransferRow]:
        if not candidates:
            return []
        if span is None:  # an undated mention joins the latest transfer of its key, never bridges
            return [max(candidates, key=lambda t: (t.last_date or dt.date.min, t.id))]
        gap = self.policy.named_gap_days if named else self.policy.unnamed_gap_days
        return [t for t in candidates if (own := transfer_span(t)) is None or gap_days(own, span) <= gap]

    def _absorb(self, session: Session, target: TransferRow, other: TransferRow) -> None:
        session.execute(update(MentionRow).where(MentionRow.transfer_id == other.id).values(transfer_id=target.id))
        _widen(target, transfer_span(other))
        session.delete(other)
        session.flush()
        session.expire(target, ["mentions"])

    def recompute(self, session: Session, transfer: TransferRow) -> None:
        """Rebuild a transfer's summary from all its mentions and their documents."""
        rows = session.execute(
            select(MentionRow, DocumentRow).join(DocumentRow).where(MentionRow.transfer_id == transfer.id)
        ).all()
        mentions = [m for m, _ in rows]
        documents = {d.id: d for _, d in rows}
        published = {m.id: documents[m.document_id].published for m in mentions}
        spans = [s for m in mentions if (s := mention_span(m, None))]
        reported = [p for p in published.values() if p]

        transfer.systems = sorted({m.system for m in mentions if m.system})
        transfer.category = self._category(mentions, transfer.system)
        transfer.stages = sorted({m.type for m in mentions}, key=STAGE_ORDER.index)
        transfer.status = latest_stage(mentions, published)
        transfer.actors = sorted({m.actor for m in mentions if m.type == EventType.OPPOSE and m.actor})
        transfer.first_date = min((s[0] for s in spans), default=None)
        transfer.last_date = max((s[1] for s in spans), default=None)
        transfer.first_reported = min(reported, default=None)
        transfer.last_reported = max(reported, default=None)
        transfer.sources = len({documents[m.document_id].root_id for m in mentions})
        transfer.mention_count = len(mentions)
        transfer.quantity = max((m.quantity for m in mentions if m.quantity), default=None)
        transfer.confidence = combined_confidence(mentions, documents)
        transfer.revision = (transfer.revision or 0) + 1
        if not mentions:
            session.delete(transfer)

    def _category(self, mentions: list[MentionRow], system: str | None) -> str | None:
        stated = Counter(m.category for m in mentions if m.category)
        if stated:
            return stated.most_common(1)[0][0]
        entry = self.knowledge.system(system) if system else None
        return entry.category.value if entry else None


def _equals(column: Any, value: str | None) -> ColumnElement[bool]:
    """``= value`` or ``IS NULL``: both use the index (PostgreSQL's IS NOT DISTINCT FROM does not)."""
    condition: ColumnElement[bool] = column.is_(None) if value is None else column == value
    return condition


def _widen(transfer: TransferRow, span: DaySpan | None) -> None:
    """Stretch the transfer's dates over ``span`` now, so the next mention of a batch sees them."""
    if span is None:
        return
    transfer.first_date = min(transfer.first_date or span[0], span[0])
    transfer.last_date = max(transfer.last_date or span[1], span[1])


def latest_stage(mentions: list[MentionRow], published: dict[int, dt.date | None]) -> str | None:
    """The stage reached last: by event date (else publication date), then by stage order.

    Objections by third parties (OPPOSE) are no stage of the transfer itself; they count only
    where nothing else is known.
    """
    staged = [m for m in mentions if m.type != EventType.OPPOSE] or mentions
    if not staged:
        return None

    def when(m: MentionRow) -> tuple[dt.date, int]:
        day = m.date_end or published.get(m.id) or dt.date.min
        return day, STAGE_ORDER.index(m.type)

    return max(staged, key=when).type


def combined_confidence(mentions: list[MentionRow], documents: dict[int, DocumentRow]) -> float:
    """Noisy-or over independent sources, each counting with its most confident mention.

    One source at 0.8 gives 0.8; two independent ones give 0.96; a syndicated copy adds nothing.
    """
    best: dict[int, float] = {}
    for m in mentions:
        root = documents[m.document_id].root_id
        best[root] = max(best.get(root, 0.0), min(max(m.confidence, 0.0), 1.0))
    doubt = 1.0
    for confidence in best.values():
        doubt *= 1.0 - confidence
    return round(min(1.0 - doubt, MAX_CONFIDENCE), 4) if best else 0.0
