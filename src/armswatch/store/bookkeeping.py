"""Batch bookkeeping: queued URLs (pending documents), batch runs, feed state, and the status report.

A URL to fetch (given on the command line, or listed by a feed) is first stored as a
``pending`` document with only its URL; fetching it fills that row in (done) or records why it
failed. Queueing a feed's new items happens in the same transaction as saving the feed's new
ETag, so a run killed before it fetched them leaves them pending for the next run instead of
hidden behind a "304 Not Modified".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from armswatch.store.db import Database
from armswatch.store.models import BatchRow, DocumentRow, DocumentStatus, FeedItemRow, FeedRow

MAX_INPUTS_CHARS = 2000


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def queue_urls(session: Session, urls: Iterable[str]) -> int:
    """Store each URL not stored yet as a pending document (source: the URL); returns how many."""
    wanted = list(dict.fromkeys(u for u in urls if u))
    known = set(session.scalars(select(DocumentRow.url).where(DocumentRow.url.in_(wanted)))) if wanted else set()
    new = [u for u in wanted if u not in known]
    session.add_all(DocumentRow(url=u, source=u, title="", status=DocumentStatus.PENDING) for u in new)
    session.flush()
    return len(new)


def pending_urls(db: Database, feed_id: int | None = None) -> list[str]:
    """URLs queued and not fetched yet (of one feed's items, or all), oldest first."""
    query = select(DocumentRow.url).where(DocumentRow.status == DocumentStatus.PENDING, DocumentRow.url.is_not(None))
    if feed_id is not None:
        query = query.where(DocumentRow.url.in_(select(FeedItemRow.url).where(FeedItemRow.feed_id == feed_id)))
    with db.session() as session:
        return [u for u in session.scalars(query.order_by(DocumentRow.id)) if u]


def drop_placeholder(db: Database, url: str) -> None:
    """Forget the pending row of a URL whose page turned out to be stored already (same text elsewhere)."""
    with db.writing() as session:
        session.execute(
            delete(DocumentRow).where(
                DocumentRow.url == url, DocumentRow.status == DocumentStatus.PENDING, DocumentRow.text.is_(None)
            )
        )


def start_batch(db: Database, command: str, inputs: Iterable[str]) -> int:
    label = " ".join(inputs)
    label = label if len(label) <= MAX_INPUTS_CHARS else label[: MAX_INPUTS_CHARS - 3] + "..."
    with db.writing() as session:
        row = BatchRow(command=command, inputs=label, counts={})
        session.add(row)
        session.flush()
        return row.id


def finish_batch(db: Database, batch_id: int, counts: dict[str, int]) -> None:
    with db.writing() as session:
        row = session.get(BatchRow, batch_id)
        if row is not None:
            row.finished_at = utcnow()
            row.counts = dict(counts)


# --- feeds -------------------------------------------------------------------------------------


def item_key(guid_or_link: str) -> str:
    return hashlib.sha256(guid_or_link.encode("utf-8")).hexdigest()


def feed_state(db: Database, url: str) -> FeedRow:
    """The feed's row (created on first use), detached: read its validators, pass its id on."""
    with db.writing() as session:
        row = session.scalars(select(FeedRow).where(FeedRow.url == url)).first()
        if row is None:
            row = FeedRow(url=url, title="")
            session.add(row)
            session.flush()
        return row


def record_poll_failure(db: Database, feed_id: int, reason: str) -> None:
    with db.writing() as session:
        row = session.get(FeedRow, feed_id)
        if row is not None:
            row.last_polled_at = utcnow()
            row.last_error = reason
            row.last_status = "failed"


def record_poll(
    db: Database,
    feed_id: int,
    *,
    status: str,
    items: Iterable[tuple[str, str | None]] = (),
    title: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> int:
    """A successful poll: new items (key, url) remembered and their URLs queued, the validators
    saved, all in one transaction. Returns the number of items not seen before."""
    with db.writing() as session:
        row = session.get(FeedRow, feed_id)
        if row is None:
            raise LookupError(f"no feed {feed_id}")
        items = list(dict(items).items())  # one per key, the last link wins
        seen = _seen(session, feed_id, [k for k, _ in items])
        new = [(key, url) for key, url in items if key not in seen]
        session.add_all(FeedItemRow(feed_id=feed_id, key=key, url=url) for key, url in new)
        queue_urls(session, (url for _, url in new if url))
        now = utcnow()
        row.last_polled_at = row.last_ok_at = now
        row.last_status = status if not new else f"{status}: {len(new)} new item(s)"
        row.last_error = None
        row.title = title if title is not None else row.title
        row.etag = etag if etag is not None else row.etag
        row.last_modified = last_modified if last_modified is not None else row.last_modified
        return len(new)


def unseen_keys(db: Database, feed_id: int, keys: list[str]) -> list[str]:
    if not keys:
        return []
    with db.session() as session:
        seen = _seen(session, feed_id, keys)
    return [k for k in keys if k not in seen]


def _seen(session: Session, feed_id: int, keys: list[str]) -> set[str]:
    query = select(FeedItemRow.key).where(FeedItemRow.feed_id == feed_id, FeedItemRow.key.in_(keys))
    return set(session.scalars(query)) if keys else set()


def remember_items(db: Database, feed_id: int, keys: list[str]) -> None:
    """Mark items seen (link-less ones, once stored)."""
    new = unseen_keys(db, feed_id, keys)
    if new:
        with db.writing() as session:
            session.add_all(FeedItemRow(feed_id=feed_id, key=k, url=None) for k in new)


# --- the status report ---------------------------------------------------------------------------


@dataclass
class StoreStatus:
    by_status: dict[str, int]
    by_language: dict[str, int]  # "" for documents with no (detected) language
    failures: list[dict[str, Any]]
    failures_total: int
    feeds: list[dict[str, Any]]
    batches: list[dict[str, Any]]
    generated_at: dt.datetime = field(default_factory=utcnow)

    @property
    def documents(self) -> int:
        return sum(self.by_status.values())


def store_status(db: Database, failures: int = 10, batches: int = 5) -> StoreStatus:
    with db.session() as session:
        by_status = {s.value: 0 for s in DocumentStatus}
        for status, n in session.execute(select(DocumentRow.status, func.count()).group_by(DocumentRow.status)):
            by_status[DocumentStatus(status).value] = n
        languages = session.execute(
            select(DocumentRow.language, func.count())
            .where(DocumentRow.text.is_not(None))
            .group_by(DocumentRow.language)
            .order_by(func.count().desc())
        )
        failed = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.status == DocumentStatus.FAILED)
            .order_by(DocumentRow.updated_at.desc(), DocumentRow.id.desc())
            .limit(failures)
        )
        return StoreStatus(
            by_status=by_status,
            by_language={lang or "": n for lang, n in languages},
            failures=[{"id": r.id, "source": r.source or r.url, "error": r.error, "at": r.updated_at} for r in failed],
            failures_total=by_status[DocumentStatus.FAILED.value],
            feeds=[_feed_summary(session, f) for f in session.scalars(select(FeedRow).order_by(FeedRow.url))],
            batches=[
                {
                    "id": b.id,
                    "command": b.command,
                    "inputs": b.inputs,
                    "started_at": b.started_at,
                    "finished_at": b.finished_at,
                    "counts": b.counts,
                }
                for b in session.scalars(select(BatchRow).order_by(BatchRow.id.desc()).limit(batches))
            ],
        )


def _feed_summary(session: Session, feed: FeedRow) -> dict[str, Any]:
    items = session.scalar(select(func.count()).where(FeedItemRow.feed_id == feed.id)) or 0
    return {
        "url": feed.url,
        "title": feed.title,
        "items": items,
        "last_polled_at": feed.last_polled_at,
        "last_ok_at": feed.last_ok_at,
        "last_status": feed.last_status,
        "last_error": feed.last_error,
    }
