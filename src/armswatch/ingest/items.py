"""What readers hand the batch runner: a document, a failure, or a :class:`Deferred` input.

Fetching a page or parsing an archived one costs far more than looking up whether it is already
stored, so such inputs come deferred: the runner first asks the store, and reads only what is
not stored yet. That is what makes a re-run after a kill cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from armswatch.core.model import ReadFailure
from armswatch.ingest.files import ReadResult

__all__ = ["Deferred", "Item", "ReadResult", "load"]


@dataclass(frozen=True)
class Deferred:
    """An input read only on demand: ``source`` and ``url`` are how the store knows it."""

    source: str
    url: str | None
    load: Callable[[], ReadResult]


Item = ReadResult | Deferred


def load(item: Deferred) -> ReadResult:
    """Read a deferred input; whatever goes wrong becomes a failure of that input alone."""
    try:
        return item.load()
    except Exception as exc:
        return ReadFailure(item.source, f"cannot read: {type(exc).__name__}: {exc}")
