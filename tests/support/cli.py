"""``python -m tests.support.cli ARGS...``: the real ``armswatch`` command, with the tagged-line extractor.

For tests that run the CLI as a subprocess many times (kill and resume): building the real
extractor takes seconds per start, and it is tested on its own; here the batch is under test."""

from __future__ import annotations

from armswatch.cli import ingest as ingest_command
from armswatch.cli import main
from armswatch.store.ingest import EventExtractor
from tests.support.extractors import TaggedLineExtractor


def tagged_extractor(parse: bool = False) -> EventExtractor:
    return TaggedLineExtractor()


if __name__ == "__main__":
    ingest_command.build_extractor = tagged_extractor
    main()
