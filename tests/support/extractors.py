"""Extractors for tests of the store: they return real :class:`Event` objects, chosen by the test.

The real extractor (``armswatch.nlp``) is tested on its own; here the events are fixed so that
the store, merge and API are tested against known input. Offsets are computed from the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from armswatch.core.model import Document, Event, EventType


def event_for(doc: Document, sentence: str, type_: EventType, supplier: str | None, recipient: str | None,
              system: str | None, **more: Any) -> Event:  # fmt: skip
    """An event whose evidence is ``sentence``, located in ``doc.text``."""
    start = doc.text.index(sentence)
    return Event(doc_id=doc.id, type=type_, supplier=supplier, recipient=recipient, system=system,
                 evidence=sentence, start=start, end=start + len(sentence), **more)  # fmt: skip


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
