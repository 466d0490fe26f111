"""The extractor: one document in, the arms-transfer events it reports out."""

from __future__ import annotations

from armswatch.core.model import Document, Event
from armswatch.knowledge import Knowledge, default_knowledge


class Extractor:
    """Holds the compiled knowledge; build one per process and reuse it for every document."""

    def __init__(self, knowledge: Knowledge | None = None, *, parse: bool = False) -> None:
        self.knowledge = knowledge or default_knowledge()
        self.parse = parse

    def extract(self, doc: Document) -> list[Event]:
        """The distinct events ``doc`` reports, one per (type, supplier, recipient, system[, actor])."""
        raise NotImplementedError("the event extractor is being written")
