"""Extractors for tests of the store: they return real :class:`Event` objects, chosen by the test.

The real extractor (``armswatch.nlp``) is tested on its own; here the events are fixed so that
the store, merge and API are tested against known input. Offsets are computed from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from armswatch.core.model import Category, Document, Event, EventType


def event_for(
    doc: Document,
    sentence: str,
    type_: EventType,
    supplier: str | None,
    recipient: str | None,
    system: str | None,
    **more: Any,
) -> Event:
    """An event whose evidence is ``sentence``, located in ``doc.text``."""
    start = doc.text.index(sentence)
    return Event(
        doc_id=doc.id,
        type=type_,
        supplier=supplier,
        recipient=recipient,
        system=system,
        evidence=sentence,
        start=start,
        end=start + len(sentence),
        **more,
    )


Rule = Callable[[Document], list[Event]]


@dataclass
class ScriptedExtractor:
    """Events by marker: every rule whose marker occurs in the text contributes its events."""

    rules: dict[str, Rule] = field(default_factory=dict)
    calls: int = 0

    def extract(self, doc: Document) -> list[Event]:
        self.calls += 1
        events: list[Event] = []
        for marker, rule in self.rules.items():
            if marker in doc.text:
                events += rule(doc)
        return events


class BrokenExtractor:
    def extract(self, doc: Document) -> list[Event]:
        raise RuntimeError("boom")


class TaggedLineExtractor:
    """Reads events from tags the test writes before a sentence:

    ``[AGREE RUS>IND S-400 2018-10 conf=0.9 actor=USA qty=5] Russia and India signed ...``

    ``-`` stands for a null party or system. The sentence after the tag is the evidence, with
    its real offsets, so the store and the API see what they would see from the extractor.
    """

    TAG = re.compile(
        r"\[(?P<type>[A-Z]+) (?P<sup>[\w-]+)>(?P<rec>[\w-]+) (?P<sys>\S+)(?P<rest>[^\]]*)\] (?P<ev>[^\n]+)"
    )

    def extract(self, doc: Document) -> list[Event]:
        return [self._event(doc, m) for m in self.TAG.finditer(doc.text)]

    def _event(self, doc: Document, m: re.Match[str]) -> Event:
        opts = dict(part.split("=", 1) for part in m["rest"].split() if "=" in part)
        date = next((p for p in m["rest"].split() if "=" not in p), None)
        return Event(
            doc_id=doc.id,
            type=EventType(m["type"]),
            supplier=_null(m["sup"]),
            recipient=_null(m["rec"]),
            system=_null(m["sys"]),
            actor=opts.get("actor"),
            date=date,
            quantity=int(opts["qty"]) if "qty" in opts else None,
            category=Category(opts["cat"]) if "cat" in opts else None,
            confidence=float(opts.get("conf", 0.8)),
            evidence=m["ev"],
            start=m.start("ev"),
            end=m.end("ev"),
        )


def _null(value: str) -> str | None:
    return None if value == "-" else value.replace("_", " ")
