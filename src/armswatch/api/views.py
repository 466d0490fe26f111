"""Building the API's answers from the store; the web page renders the same objects."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from armswatch.api.schemas import (
    CountryOut,
    EventOut,
    EventPage,
    EvidenceOut,
    StageOut,
    SystemOut,
    TransferDetail,
    TransferOut,
    TransferPage,
)
from armswatch.knowledge import Knowledge
from armswatch.merge.transfers import STAGE_ORDER
from armswatch.store import queries
from armswatch.store.models import MentionRow
from armswatch.store.queries import Filters, TransferSort


def transfer_page(session: Session, f: Filters, limit: int, offset: int, sort: TransferSort) -> TransferPage:
    page = queries.list_transfers(session, f, limit=limit, offset=offset, sort=sort)
    return TransferPage(total=page.total, limit=limit, offset=offset, items=[TransferOut.of(t) for t in page.items])


def event_page(session: Session, f: Filters, limit: int, offset: int) -> EventPage:
    page = queries.list_events(session, f, limit=limit, offset=offset)
    return EventPage(total=page.total, limit=limit, offset=offset, items=[EventOut.of(m) for m in page.items])


def transfer_detail(session: Session, transfer_id: int) -> TransferDetail | None:
    transfer = queries.get_transfer(session, transfer_id)
    if transfer is None:
        return None
    mentions = queries.transfer_mentions(session, transfer_id)
    return TransferDetail(
        **TransferOut.of(transfer).model_dump(),
        timeline=stage_timeline(mentions),
        evidence=[EvidenceOut.with_context(m) for m in mentions],
    )


def stage_timeline(mentions: list[MentionRow]) -> list[StageOut]:
    """Per stage: when it happened (event dates), when it was reported, and by how many sources."""
    by_type: dict[str, list[MentionRow]] = defaultdict(list)
    for m in mentions:
        by_type[m.type].append(m)
    stages = []
    for type_ in sorted(by_type, key=STAGE_ORDER.index):
        group = by_type[type_]
        starts = [m.date_start for m in group if m.date_start]
        ends = [m.date_end for m in group if m.date_end]
        reported = [m.document.published for m in group if m.document.published]
        stages.append(
            StageOut(
                type=type_,
                first_date=min(starts, default=None),
                last_date=max(ends, default=None),
                first_reported=min(reported, default=None),
                last_reported=max(reported, default=None),
                mentions=len(group),
                sources=len({m.document.root_id for m in group}),
            )
        )
    return stages


def countries(session: Session, knowledge: Knowledge) -> list[CountryOut]:
    counts = queries.party_counts(session)
    return sorted(
        (
            CountryOut(code=code, name=party_name(code, knowledge), as_supplier=s, as_recipient=r)
            for code, (s, r) in counts.items()
        ),
        key=lambda c: (-(c.as_supplier + c.as_recipient), c.code),
    )


def party_name(code: str, knowledge: Knowledge) -> str:
    """A state's name, a group's first name, or the code itself."""
    if code in knowledge.states:
        return knowledge.states[code].name
    group = knowledge.groups.get(code)
    return group.names[0] if group else code


def systems(session: Session, knowledge: Knowledge) -> list[SystemOut]:
    out = []
    for name, mentions, transfers in queries.system_counts(session):
        entry = knowledge.system(name)
        out.append(
            SystemOut(
                name=name,
                family=entry.family if entry else None,
                category=entry.category.value if entry else None,
                origin=entry.origin if entry else None,
                mentions=mentions,
                transfers=transfers,
            )
        )
    return out
