"""Batch runs that lose nothing: every input ends in the store as done or failed with its reason.

The runner reads items one at a time (memory does not grow with the batch), skips deferred
inputs the store already holds without reading them, detects each document's language,
and hands it to the store's ingester, which stores a document with its mentions and
transfer updates in one transaction. So a run killed at any point (even ``kill -9``) leaves
every document either wholly stored or not at all, and running it again stores each missing
one exactly once. A run is recorded in the ``batches`` table; one killed keeps no end time.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from armswatch.core.model import Document, Event, ReadFailure
from armswatch.ingest.files import MAX_DOCUMENT_BYTES
from armswatch.ingest.items import Deferred, Item, ReadResult, load
from armswatch.ingest.language import detect_language
from armswatch.ingest.progress import BatchProgress
from armswatch.knowledge import Knowledge, default_knowledge
from armswatch.store import bookkeeping
from armswatch.store.db import Database
from armswatch.store.ingest import EventExtractor, Ingester, ItemResult, Outcome

MAX_KEPT_FAILURES = 1000  # the report keeps this many for printing; the store keeps them all


@dataclass
class BatchReport:
    """Counts by outcome, mentions and transfers touched, and the first failures."""

    outcomes: Counter[Outcome] = field(default_factory=Counter)
    mentions: int = 0
    transfers: set[int] = field(default_factory=set)
    failures: list[ItemResult] = field(default_factory=list)
    not_html: int = 0  # archive records passed over: not HTML pages

    def add(self, result: ItemResult) -> None:
        self.outcomes[result.outcome] += 1
        self.mentions += result.mentions
        self.transfers |= result.transfers
        if result.outcome is Outcome.FAILED and len(self.failures) < MAX_KEPT_FAILURES:
            self.failures.append(result)

    @property
    def inputs(self) -> int:
        return sum(self.outcomes.values())

    def count(self, outcome: Outcome) -> int:
        return self.outcomes[outcome]

    @property
    def failed(self) -> int:
        return self.outcomes[Outcome.FAILED]

    def summary(self) -> str:
        parts = [f"{self.inputs} input(s)"]
        parts += [f"{self.count(o)} {o.value}" for o in Outcome if self.count(o)]
        parts.append(f"{self.mentions} event mention(s)")
        parts.append(f"{len(self.transfers)} transfer(s) updated")
        if self.not_html:
            parts.append(f"{self.not_html} archive record(s) not HTML")
        return ", ".join(parts)


OnResult = Callable[[ItemResult], None]


class LazyExtractor:
    """Builds the extractor on first use: a run that finds everything stored already (a resumed
    batch, a feed with nothing new) never pays the seconds it takes to build."""

    def __init__(self, build: Callable[[], EventExtractor]) -> None:
        self._build = build
        self._extractor: EventExtractor | None = None

    def extract(self, doc: Document) -> list[Event]:
        if self._extractor is None:
            self._extractor = self._build()
        return self._extractor.extract(doc)


@dataclass
class BatchRunner:
    """One database, one extractor, one ingester (its near-duplicate index is built once)."""

    db: Database
    extractor: EventExtractor
    knowledge: Knowledge = field(default_factory=default_knowledge)
    detect: Callable[[str], str | None] = detect_language
    ingester: Ingester = field(init=False)

    def __post_init__(self) -> None:
        self.ingester = Ingester.with_knowledge(self.db, self.extractor, self.knowledge)

    def run(
        self,
        items: Iterable[Item],
        *,
        command: str,
        inputs: Iterable[str],
        progress: BatchProgress | None = None,
        position: Callable[[], int] | None = None,
        on_result: OnResult | None = None,
    ) -> BatchReport:
        """Ingest every item; ``position`` tells the progress bar how far the inputs have been read."""
        batch_id = bookkeeping.start_batch(self.db, command, inputs)
        report = BatchReport()
        for done, item in enumerate(items, 1):
            result = self.ingest_one(item)
            report.add(result)
            if on_result is not None:
                on_result(result)
            if progress is not None:
                progress.update(position() if position else done)
        bookkeeping.finish_batch(self.db, batch_id, {o.value: n for o, n in report.outcomes.items()})
        return report

    def ingest_one(self, item: Item) -> ItemResult:
        url = None
        if isinstance(item, Deferred):
            stored = self.ingester.stored_id(item.source, item.url)
            if stored is not None:
                return ItemResult(
                    Outcome.DUPLICATE, item.source, stored, message=f"already stored as document {stored}"
                )
            url = item.url
            item = load(item)
        item = prepare_document(item, self.detect)
        try:
            result = self.ingester.ingest(item)
        except Exception as exc:  # a document the database refuses; if it cannot record that either, stop
            source = item.source if isinstance(item, ReadFailure) else _source(item)
            return self.ingester.ingest(ReadFailure(source, f"cannot store: {type(exc).__name__}: {exc}"))
        if url and result.outcome is Outcome.DUPLICATE:  # its text is stored under another URL
            bookkeeping.drop_placeholder(self.db, url)
        return result


def prepare_document(item: ReadResult, detect: Callable[[str], str | None] | None = detect_language) -> ReadResult:
    """A document held to the size limit, without NUL characters (PostgreSQL stores no NUL in
    text; a stray one is debris), and with its language (one it declares is kept; none is
    detected without ``detect``)."""
    if isinstance(item, ReadFailure):
        return item
    if len(item.text) > MAX_DOCUMENT_BYTES:
        return ReadFailure(_source(item), f"too large: {len(item.text)} characters (limit {MAX_DOCUMENT_BYTES})")
    if "\x00" in item.text or "\x00" in item.title:
        item = dataclasses.replace(item, text=item.text.replace("\x00", ""), title=item.title.replace("\x00", ""))
    if not item.text.strip():
        return ReadFailure(_source(item), "empty document")
    if item.language or detect is None:
        return item
    return dataclasses.replace(item, language=detect(item.text))


def _source(doc: Document) -> str:
    return doc.source or doc.url or doc.id
