"""RSS and Atom feeds: poll, remember what was seen, fetch only the new items' pages.

A poll is a conditional request (the ETag and Last-Modified the feed sent last time), so an
unchanged feed costs one "304 Not Modified". New items are remembered and their pages queued
(pending documents) in one transaction with the new validators; then every pending page of
the feed is fetched and ingested, including those a killed run left behind. An item with no
link is ingested from the text the feed itself carries.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import feedparser

from armswatch.core.model import Document, ReadFailure
from armswatch.ingest.html import document_from_html
from armswatch.ingest.items import Deferred, Item, ReadResult
from armswatch.ingest.sources import fetch_page
from armswatch.ingest.web import FEED_TYPES, Fetcher, FetchError
from armswatch.store import bookkeeping
from armswatch.store.db import Database


class FeedError(ValueError):
    """The feed could not be fetched or is not a feed."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # its guid, else its link
    link: str | None
    title: str
    published: dt.date | None
    content: str  # the text or HTML the feed carries for it (summary or full content)


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]


def parse_feed(data: bytes, url: str) -> ParsedFeed:
    """The entries of an RSS/Atom document; raises FeedError for something that is not a feed."""
    # The feed's address is the base its relative links are resolved against.
    parsed: Any = feedparser.parse(data, resolve_relative_uris=True, response_headers={"content-location": url})
    entries = [e for e in (_entry(raw) for raw in parsed.entries) if e is not None]
    # feedparser reads slightly broken feeds too (many are); one that yields nothing usable is refused.
    if parsed.get("bozo") and not any(e.link or e.content.strip() for e in entries):
        raise FeedError(f"not a valid feed: {parsed.get('bozo_exception') or 'unreadable'}")
    if not entries and not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed")
    return ParsedFeed(str(parsed.feed.get("title", "")), entries)


def _entry(raw: Any) -> FeedEntry | None:
    link = raw.get("link") or None
    if link and not str(link).lower().startswith(("http://", "https://")):
        link = None  # feedparser gives an Atom entry's id (urn:...) as its link when it has none
    key = raw.get("id") or link
    if not key:
        return None  # nothing to know it by again
    content = raw.get("content")
    body = content[0].get("value", "") if content else raw.get("summary", "")
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = dt.date(*stamp[:3]) if stamp else None
    return FeedEntry(str(key), link, str(raw.get("title", "")), published, str(body or ""))


@dataclass
class PollResult:
    feed_url: str
    status: str  # "200", "304 not modified", or "failed"
    new_items: int = 0
    error: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)

    def by_link(self) -> dict[str, FeedEntry]:
        return {e.link: e for e in self.entries if e.link}


def poll(db: Database, fetcher: Fetcher, feed_url: str) -> PollResult:
    """Fetch the feed (conditionally), remember new linked items and queue their pages."""
    state = bookkeeping.feed_state(db, feed_url)
    try:
        fetched = fetcher.get(feed_url, FEED_TYPES, etag=state.etag, last_modified=state.last_modified)
        if fetched.not_modified:
            bookkeeping.record_poll(db, state.id, status="304 not modified")
            return PollResult(feed_url, "304 not modified")
        feed = parse_feed(fetched.body, fetched.final_url)
    except (FetchError, FeedError) as exc:
        bookkeeping.record_poll_failure(db, state.id, str(exc))
        return PollResult(feed_url, "failed", error=str(exc))
    linked = [(bookkeeping.item_key(e.key), e.link) for e in feed.entries if e.link]
    new = bookkeeping.record_poll(
        db, state.id, status=str(fetched.status), items=linked, title=feed.title,
        etag=fetched.etag, last_modified=fetched.last_modified,
    )  # fmt: skip
    return PollResult(feed_url, str(fetched.status), new, entries=feed.entries)


def pending_items(db: Database, fetcher: Fetcher, result: PollResult) -> Iterator[Item]:
    """The feed's queued pages (new ones and any a killed run left), then its new link-less items.

    A link-less item is remembered only after it is stored (:func:`remember_linkless`): killed
    in between, it is read again next time and the store's content check keeps it single."""
    state = bookkeeping.feed_state(db, result.feed_url)
    entries = result.by_link()
    for url in bookkeeping.pending_urls(db, state.id):
        yield Deferred(url, url, functools.partial(fetch_item_page, fetcher, url, entries.get(url)))
    linkless = {bookkeeping.item_key(e.key): e for e in result.entries if not e.link}
    for key in bookkeeping.unseen_keys(db, state.id, list(linkless)):
        yield _document_from_entry(linkless[key], result.feed_url)


def remember_linkless(db: Database, result: PollResult) -> None:
    state = bookkeeping.feed_state(db, result.feed_url)
    bookkeeping.remember_items(db, state.id, [bookkeeping.item_key(e.key) for e in result.entries if not e.link])


def fetch_item_page(fetcher: Fetcher, url: str, entry: FeedEntry | None) -> ReadResult:
    """The item's page as a document; the feed's title and date fill in what the page lacks."""
    if entry is None:
        return fetch_page(fetcher, url)
    return fetch_page(fetcher, url, published=entry.published, title=entry.title)


def _document_from_entry(entry: FeedEntry, feed_url: str) -> ReadResult:
    source = f"{feed_url}#{entry.key}"
    text = entry.content.strip()
    if not text:
        return ReadFailure(source, "the item has no link and no text")
    if "<" in text:
        return document_from_html(text.encode("utf-8"), source=source, published=entry.published, title=entry.title)
    return Document(id=entry.key, text=text, title=entry.title, published=entry.published, source=source)


def parse_interval(value: str) -> float:
    """``90``, ``30s``, ``15m``, ``2h``, ``1d`` -> seconds; raises ValueError."""
    text = value.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    factor = units.get(text[-1:])
    number = text[:-1] if factor else text
    try:
        seconds = float(number) * (factor or 1)
    except ValueError:
        raise ValueError(f"not an interval: {value!r} (write 90, 30s, 15m, 2h or 1d)") from None
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"the interval must be positive: {value!r}")
    return seconds


def sleep_until(deadline: float) -> None:
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 1.0))
