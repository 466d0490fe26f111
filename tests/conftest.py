"""Shared fixtures: one extractor per test session (building its matchers takes a moment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from armswatch.core.model import Document, Event
from armswatch.nlp.extractor import Extractor

Key = tuple[str, str | None, str | None, str | None]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[..., list[Event]]:
    def run(text: str, published: str | None = "2024-06-14", doc_id: str = "t") -> list[Event]:
        day = dt.date.fromisoformat(published) if published else None
        return extractor.extract(Document(doc_id, text, published=day))

    return run


@pytest.fixture(scope="session")
def keys(extract: Callable[..., list[Event]]) -> Callable[..., set[Key]]:
    """The (type, supplier, recipient, system) keys the extractor finds in a text."""

    def run(text: str, published: str | None = "2024-06-14") -> set[Key]:
        return {(e.type.value, e.supplier, e.recipient, e.system) for e in extract(text, published)}

    return run
