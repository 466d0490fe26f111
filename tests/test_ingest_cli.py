"""``armswatch ingest`` on URLs, CSV and queued pages, ``armswatch status``, the progress bar,
and the API's URL ingestion, against a real HTTP server on 127.0.0.1 (allowed explicitly)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select as sql_select
from typer.testing import CliRunner

from armswatch.api.app import Services, create_app
from armswatch.cli import app
from armswatch.ingest.safety import ReservedUrls, UrlPolicy, parse_networks, reserved_hash
from armswatch.ingest.web import Fetcher
from armswatch.knowledge import default_knowledge
from armswatch.store import bookkeeping
from armswatch.store.db import Database, open_database
from armswatch.store.models import DocumentRow, DocumentStatus
from tests.support.articles import english_article
from tests.support.extractors import TaggedLineExtractor
from tests.support.server import REPO
from tests.support.web import ALLOW_LOCAL, Reply, TestSite, article_html

pytestmark = pytest.mark.usefixtures("scripted_cli")


def stored(db_path: Path) -> list[DocumentRow]:
    db = open_database(db_path)
    with db.session() as session:
        found = list(session.scalars(sql_select(DocumentRow).order_by(DocumentRow.id)))
    db.dispose()
    return found


def publish(site: TestSite, n: int) -> str:
    title, body = english_article(n)
    return site.page(f"/story/{n}", article_html(title, body))


def test_pages_by_url_are_stored_once_and_not_fetched_again(site: TestSite, tmp_path: Path) -> None:
    db_path = tmp_path / "u.sqlite"
    urls = [publish(site, n) for n in (1, 2)]
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", *urls, "--db", str(db_path), *ALLOW_LOCAL])
    assert first.exit_code == 0, first.output
    assert "2 input(s), 2 stored" in first.output
    rows = stored(db_path)
    assert [(r.url, r.status, r.language) for r in rows] == [(u, DocumentStatus.DONE, "en") for u in urls]
    assert rows[0].title == english_article(1)[0] and rows[0].published is not None

    again = runner.invoke(app, ["ingest", *urls, "--db", str(db_path), *ALLOW_LOCAL])
    assert "2 input(s), 2 duplicate" in again.output
    assert [site.hits["/story/1"], site.hits["/story/2"]] == [1, 1]


def test_refused_and_failing_urls_are_recorded_and_shown_by_status(site: TestSite, tmp_path: Path) -> None:
    db_path = tmp_path / "f.sqlite"
    url = publish(site, 3)
    missing = site.url("/missing")
    refused = CliRunner().invoke(app, ["ingest", url, "--db", str(db_path), "--reserved-urls", "none"])
    assert refused.exit_code == 1
    assert f"error: {url}: refused: 127.0.0.1 is a loopback address" in refused.output
    assert site.hits["/story/3"] == 0
    CliRunner().invoke(app, ["ingest", missing, "--db", str(db_path), *ALLOW_LOCAL])

    status = CliRunner().invoke(app, ["status", "--db", str(db_path)])
    assert status.exit_code == 0, status.output
    assert "by status:   pending 0, done 0, failed 2, unsupported-language 0" in status.output
    assert "latest failures (2 of 2):" in status.output
    assert f"{missing}: HTTP 404 Not Found" in status.output
    assert f"{url}: refused: 127.0.0.1 is a loopback address" in status.output
    report = json.loads(CliRunner().invoke(app, ["status", "--db", str(db_path), "--json"]).output)
    assert report["by_status"]["failed"] == 2 and len(report["batches"]) == 2


def test_a_page_robots_txt_disallows_is_recorded_as_failed_unless_robots_are_ignored(
    site: TestSite, tmp_path: Path
) -> None:
    db_path = tmp_path / "r.sqlite"
    site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /story/\n", content_type="text/plain")
    url = publish(site, 8)
    refused = CliRunner().invoke(app, ["ingest", url, "--db", str(db_path), *ALLOW_LOCAL])
    assert refused.exit_code == 1
    assert [(r.status, r.error) for r in stored(db_path)] == [
        (DocumentStatus.FAILED, f"disallowed by the site's robots.txt: {url}")
    ]
    assert site.hits["/story/8"] == 0
    ignored = CliRunner().invoke(app, ["ingest", url, "--db", str(db_path), "--ignore-robots", *ALLOW_LOCAL])
    assert ignored.exit_code == 0, ignored.output
    assert [r.status for r in stored(db_path)] == [DocumentStatus.DONE]


def test_pending_urls_are_fetched_on_request(site: TestSite, tmp_path: Path) -> None:
    db_path = tmp_path / "p.sqlite"
    db = open_database(db_path)
    with db.writing() as session:
        bookkeeping.queue_urls(session, [publish(site, 4)])
    db.dispose()
    result = CliRunner().invoke(app, ["ingest", "--pending", "--db", str(db_path), *ALLOW_LOCAL])
    assert result.exit_code == 0, result.output
    assert [r.status for r in stored(db_path)] == [DocumentStatus.DONE]
    nothing = CliRunner().invoke(app, ["ingest", "--db", str(db_path)])
    assert nothing.exit_code == 2 and "or pass --pending" in nothing.output


def test_csv_with_a_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    title, body = english_article(5)
    path.write_text(f'headline,story,day\n"{title}","{body}",2024-02-01\n', encoding="utf-8")
    db_path = tmp_path / "c.sqlite"
    bad = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db_path), "--csv-columns", "story"])
    assert bad.exit_code == 2 and "--csv-columns: not a field=column pair" in bad.output
    spec = "text=story,title=headline,published=day"
    good = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db_path), "--csv-columns", spec])
    assert good.exit_code == 0, good.output
    (row,) = stored(db_path)
    assert (row.title, row.source, str(row.published)) == (title, f"{path}:2", "2024-02-01")


def test_the_progress_bar_shows_on_a_terminal_only(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(n), "text": english_article(n)[1]}) + "\n" for n in range(30)), encoding="utf-8"
    )
    quiet = CliRunner().invoke(app, ["ingest", str(path), "--db", str(tmp_path / "q.sqlite")])
    assert quiet.exit_code == 0 and "docs/s" not in quiet.output and "\x1b[" not in quiet.output

    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm"}
    command = [sys.executable, "-m", "tests.support.cli", "ingest", str(path), "--db", str(tmp_path / "t.sqlite")]
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdin=child, stdout=child, stderr=child)
    os.close(child)
    screen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        try:
            chunk = os.read(main, 65536) if ready else b""
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        screen += chunk
    proc.wait(timeout=60)
    os.close(main)
    text = screen.decode("utf-8", errors="replace")
    assert proc.returncode == 0, text
    assert "30 docs" in text and "docs/s" in text and "ETA" in text


def test_the_api_fetches_a_url_under_its_policy(site: TestSite, db: Database) -> None:
    url = publish(site, 6)
    reserved_url = publish(site, 7)
    policy = UrlPolicy(parse_networks(["127.0.0.1/32"]), ReservedUrls(frozenset({reserved_hash(reserved_url)})))
    services = Services(
        db, default_knowledge(), token="t", extractor_factory=TaggedLineExtractor,
        fetcher_factory=lambda: Fetcher(policy),
    )  # fmt: skip
    with TestClient(create_app(services)) as client:
        auth = {"Authorization": "Bearer t"}
        created = client.post("/api/documents", json={"url": url}, headers=auth)
        assert created.status_code == 201, created.text
        again = client.post("/api/documents", json={"url": url}, headers=auth)
        assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
        refused = client.post("/api/documents", json={"url": reserved_url}, headers=auth)
        assert refused.status_code == 422 and "reserved for evaluation" in refused.json()["detail"]
    with db.session() as session:
        (row,) = session.scalars(sql_select(DocumentRow)).all()
    assert (row.url, row.title, row.language, row.source) == (url, english_article(6)[0], "en", "api")
    assert site.hits["/story/7"] == 0
