"""The typed model shared by every stage of the pipeline."""

from armswatch.core.model import (
    Category,
    Document,
    Event,
    EventType,
    Mention,
    MentionKind,
    Money,
    ReadFailure,
)

__all__ = ["Category", "Document", "Event", "EventType", "Mention", "MentionKind", "Money", "ReadFailure"]
