"""Feeds against a real HTTP server: new items only, conditional polls, bad feeds, killed rounds.

``armswatch watch --once`` runs through the real CLI (with a scripted extractor, as the store
tests do); the server is a thread on 127.0.0.1, which the tests allow explicitly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from armswatch.cli import app
from armswatch.ingest.batch import BatchRunner
from armswatch.ingest.feeds import FeedError, parse_feed, parse_interval, pending_items, poll, remember_linkless
from armswatch.ingest.safety import UrlPolicy, parse_networks
from armswatch.ingest.web import Fetcher, FetchSettings
from armswatch.store.db import Database, open_database
from armswatch.store.ingest import Outcome
from armswatch.store.models import DocumentRow, DocumentStatus, FeedRow
from tests.support.articles import english_article
from tests.support.extractors import ScriptedExtractor
from tests.support.web import ALLOW_LOCAL, Reply, TestSite, article_html, rss

pytestmark = pytest.mark.usefixtures("scripted_cli")


def publish(site: TestSite, numbers: list[int], etag: str) -> str:
    """Pages for the articles, and a feed listing them (answering 304 to its own ETag)."""
    items = []
    for n in numbers:
        title, body = english_article(n)
        items.append((f"urn:story:{n}", site.page(f"/story/{n}", article_html(title, body)), title))
    site.routes["/feed.xml"] = Reply(body=rss(items).encode(), content_type="application/rss+xml", etag=etag)
    return site.url("/feed.xml")


def documents(db_path: Path) -> list[tuple[str | None, DocumentStatus]]:
    db = open_database(db_path)
    with db.session() as session:
        found = [(r.url, r.status) for r in session.scalars(select(DocumentRow).order_by(DocumentRow.url))]
    db.dispose()
    return found


def test_watch_fetches_new_items_only_and_polls_conditionally(site: TestSite, tmp_path: Path) -> None:
    db_path = tmp_path / "w.sqlite"
    feed = publish(site, [1, 2, 3], etag='"one"')
    runner = CliRunner()
    first = runner.invoke(app, ["watch", feed, "--once", "--db", str(db_path), *ALLOW_LOCAL])
    assert first.exit_code == 0, first.output
    assert "200, 3 new item(s)" in first.output
    assert [s for _, s in documents(db_path)] == [DocumentStatus.DONE] * 3

    second = runner.invoke(app, ["watch", feed, "--once", "--db", str(db_path), *ALLOW_LOCAL])
    assert second.exit_code == 0, second.output
    assert "304 not modified, 0 new item(s)" in second.output
    assert site.headers["/feed.xml"]["if-none-match"] == '"one"'
    assert [site.hits[f"/story/{n}"] for n in (1, 2, 3)] == [1, 1, 1]

    publish(site, [2, 3, 4], etag='"two"')  # one new item, one gone
    third = runner.invoke(app, ["watch", feed, "--once", "--db", str(db_path), *ALLOW_LOCAL])
    assert "200, 1 new item(s)" in third.output
    assert [site.hits[f"/story/{n}"] for n in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert len(documents(db_path)) == 4


def test_bad_feeds_fail_with_their_reason_and_the_good_one_is_stored(site: TestSite, tmp_path: Path) -> None:
    db_path = tmp_path / "w.sqlite"
    good = publish(site, [5, 6], etag='"g"')
    site.routes["/broken.xml"] = Reply(status=500, body=b"oops")
    site.routes["/slow.xml"] = Reply(delay=3.0, body=b"<rss/>", content_type="application/rss+xml")
    site.routes["/garbage.xml"] = Reply(body=b"<rss><channel><item><title>x</ti", content_type="application/xml")
    site.redirect("/loop.xml", "/loop.xml")
    bad = [site.url(p) for p in ("/broken.xml", "/slow.xml", "/garbage.xml", "/loop.xml")]
    result = CliRunner().invoke(
        app, ["watch", *bad, good, "--once", "--timeout", "0.5", "--db", str(db_path), *ALLOW_LOCAL]
    )
    assert result.exit_code == 1
    assert "error: feed " + bad[0] + ": HTTP 500" in result.output
    assert "timed out" in result.output
    assert "not a valid feed" in result.output
    assert "redirect loop" in result.output
    assert [s for _, s in documents(db_path)] == [DocumentStatus.DONE] * 2

    status = CliRunner().invoke(app, ["status", "--db", str(db_path)])
    assert status.exit_code == 0, status.output
    assert "feeds (5):" in status.output
    assert f"{bad[0]}  last poll" in status.output and "error: HTTP 500 Internal Server Error" in status.output
    assert "2 item(s) seen, 200: 2 new item(s)" in status.output


def test_items_queued_by_a_killed_round_are_fetched_by_the_next(site: TestSite, sqlite_db: Database) -> None:
    feed = publish(site, [7, 8], etag='"k"')
    with Fetcher(UrlPolicy(parse_networks(["127.0.0.1/32"]))) as fetcher:
        first = poll(sqlite_db, fetcher, feed)  # the round is "killed" here: items queued, none fetched
        assert first.new_items == 2
        again = poll(sqlite_db, fetcher, feed)
        assert again.status == "304 not modified"  # the feed itself no longer lists them as new ...
        report = BatchRunner(sqlite_db, ScriptedExtractor()).run(
            pending_items(sqlite_db, fetcher, again), command="watch", inputs=[feed]
        )
    assert report.count(Outcome.STORED) == 2
    with sqlite_db.session() as session:  # ... yet both pages are stored, once
        statuses = [r.status for r in session.scalars(select(DocumentRow))]
        assert statuses == [DocumentStatus.DONE] * 2
        assert session.scalars(select(FeedRow.last_status)).one() == "304 not modified"


def test_atom_items_without_a_link_are_read_from_the_feed(sqlite_db: Database, site: TestSite) -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        "<id>urn:wire</id><updated>2024-03-05T09:00:00Z</updated>"
        "<entry><id>urn:wire:1</id><title>Boats</title><updated>2024-03-05T09:00:00Z</updated>"
        "<content type='text'>The coastal state ordered four patrol boats from a foreign yard.</content></entry>"
        "</feed>"
    )
    site.routes["/atom.xml"] = Reply(body=atom.encode(), content_type="application/atom+xml")
    with Fetcher(UrlPolicy(parse_networks(["127.0.0.1/32"])), FetchSettings(timeout=2)) as fetcher:
        runner = BatchRunner(sqlite_db, ScriptedExtractor())
        for _ in range(2):  # the second poll finds the item remembered
            result = poll(sqlite_db, fetcher, site.url("/atom.xml"))
            runner.run(pending_items(sqlite_db, fetcher, result), command="watch", inputs=[])
            remember_linkless(sqlite_db, result)
    with sqlite_db.session() as session:
        (row,) = session.scalars(select(DocumentRow)).all()
    assert (row.title, row.text) == ("Boats", "The coastal state ordered four patrol boats from a foreign yard.")


def test_relative_item_links_are_resolved_against_the_feed() -> None:
    feed = (
        b'<rss version="2.0"><channel><title>T</title><item><guid>g1</guid><link>/story/9</link></item></channel></rss>'
    )
    (entry,) = parse_feed(feed, "https://gazette.example/feeds/world.xml").entries
    assert entry.link == "https://gazette.example/story/9"


def test_what_is_not_a_feed_is_refused() -> None:
    with pytest.raises(FeedError, match=r"not a valid feed|not an RSS or Atom feed"):
        parse_feed(b"<html><body>a page, not a feed</body></html>", "https://x.example/")
    with pytest.raises(FeedError):
        parse_feed(b"\x00\x01\x02", "https://x.example/")


@pytest.mark.parametrize(("value", "seconds"), [("90", 90), ("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400)])
def test_intervals(value: str, seconds: float) -> None:
    assert parse_interval(value) == seconds


@given(st.text(max_size=12))
def test_an_interval_is_positive_seconds_or_a_clear_error(value: str) -> None:
    try:
        seconds = parse_interval(value)
    except ValueError as exc:
        assert "interval" in str(exc)
    else:
        assert 0 < seconds < float("inf")
