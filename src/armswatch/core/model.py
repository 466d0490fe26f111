"""The typed model every stage shares: documents in, mentions found, events out.

The field names and codes follow the event contract (``shared/eval/EVENTS.md``):
an :class:`Event` serialises to exactly one line of the events JSON Lines format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    """The stage of a transfer that a document reports."""

    REQUEST = "REQUEST"
    OFFER = "OFFER"
    NEGOTIATE = "NEGOTIATE"
    APPROVE = "APPROVE"
    AGREE = "AGREE"
    DELIVER = "DELIVER"
    REFUSE = "REFUSE"
    SUSPEND = "SUSPEND"
    OPPOSE = "OPPOSE"


class Category(StrEnum):
    """Coarse weapon-system categories of the contract."""

    AIR_DEFENCE = "air-defence"
    MISSILE = "missile"
    AIRCRAFT = "aircraft"
    HELICOPTER = "helicopter"
    ARMOURED_VEHICLE = "armoured-vehicle"
    ARTILLERY = "artillery"
    SHIP = "ship"
    SUBMARINE = "submarine"
    SENSOR = "sensor"
    ENGINE = "engine"
    DRONE = "drone"
    SMALL_ARMS = "small-arms"
    OTHER = "other"


class MentionKind(StrEnum):
    """What a span of text was recognised as."""

    STATE = "state"  # a state, by name, demonym, capital, agency, firm or office holder
    GROUP = "group"  # a non-state party (hezbollah, nato, ...)
    SYSTEM = "system"  # a weapon system from the catalogue
    TRIGGER = "trigger"  # a word or phrase that signals an event type
    DATE = "date"
    QUANTITY = "quantity"
    MONEY = "money"


@dataclass(slots=True)
class Document:
    """One article. ``text`` is the body; offsets elsewhere index into it."""

    id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    url: str | None = None
    language: str | None = None
    source: str | None = None  # where it was read from: a path, a feed, an archive


@dataclass(slots=True, frozen=True)
class Mention:
    """A recognised span: ``key`` is its resolved identity (ISO code, system name, event type)."""

    kind: MentionKind
    start: int
    end: int
    text: str
    key: str


@dataclass(slots=True, frozen=True)
class Money:
    amount: float
    currency: str  # ISO 4217

    def to_dict(self) -> dict[str, Any]:
        amount: float | int = int(self.amount) if float(self.amount).is_integer() else self.amount
        return {"amount": amount, "currency": self.currency}


@dataclass(slots=True)
class Event:
    """One stage of one transfer as one document reports it."""

    doc_id: str
    type: EventType
    supplier: str | None
    recipient: str | None
    system: str | None
    actor: str | None = None
    category: Category | None = None
    date: str | None = None  # ISO 8601 to the precision the text supports: 2019, 2019-05, 2019-05-30
    quantity: int | None = None
    value: Money | None = None
    evidence: str = ""
    start: int = 0  # character offsets of the evidence in the document text
    end: int = 0
    confidence: float = 1.0
    extras: dict[str, Any] = field(default_factory=dict)  # free room for stage-specific detail

    def key(self) -> tuple[str, str | None, str | None, str | None, str | None]:
        """The identity the contract dedupes on: (type, supplier, recipient, system[, actor])."""
        actor = self.actor if self.type is EventType.OPPOSE else None
        return (self.type.value, self.supplier, self.recipient, self.system, actor)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object for this event."""
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "type": self.type.value,
            "supplier": self.supplier,
            "recipient": self.recipient,
            "system": self.system,
        }
        if self.type is EventType.OPPOSE:
            out["actor"] = self.actor
        out["category"] = self.category.value if self.category else None
        out["date"] = self.date
        if self.quantity is not None:
            out["quantity"] = self.quantity
        if self.value is not None:
            out["value"] = self.value.to_dict()
        out["evidence"] = self.evidence
        out["start"] = self.start
        out["end"] = self.end
        out["confidence"] = round(self.confidence, 3)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """Read one line of the events format back (unknown fields are ignored)."""
        value = data.get("value")
        category = data.get("category")
        return cls(
            doc_id=str(data["doc_id"]),
            type=EventType(str(data["type"]).upper()),
            supplier=data.get("supplier"),
            recipient=data.get("recipient"),
            system=data.get("system"),
            actor=data.get("actor"),
            category=Category(category) if category else None,
            date=data.get("date"),
            quantity=data.get("quantity"),
            value=Money(float(value["amount"]), str(value["currency"])) if value else None,
            evidence=data.get("evidence", ""),
            start=int(data.get("start", 0)),
            end=int(data.get("end", 0)),
            confidence=float(data.get("confidence", 1.0)),
        )


@dataclass(slots=True, frozen=True)
class ReadFailure:
    """An input that could not be turned into a document, and why: recorded, never dropped."""

    source: str
    reason: str
