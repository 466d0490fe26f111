"""The store's commands, run through the real CLI on real files and a real SQLite database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from armswatch.cli import app
from armswatch.core.model import Document, EventType
from armswatch.store.db import open_database
from armswatch.store.models import DocumentRow, DocumentStatus
from tests.support.extractors import ScriptedExtractor, event_for
from tests.support.server import free_port, server_process

ARTICLE = (
    "Sample article: Spain delivers patrol craft\n\n"
    "Spain delivered two patrol boats to Morocco this week, the defence ministry said in a statement.\n"
)
SENTENCE = "Spain delivered two patrol boats to Morocco this week, the defence ministry said in a statement."


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands build their extractor by name; give them one with known output."""

    def deliver(doc: Document) -> list:  # type: ignore[type-arg]
        return [event_for(doc, SENTENCE, EventType.DELIVER, "ESP", "MAR", None, quantity=2)]

    monkeypatch.setattr("armswatch.cli.ingest.build_extractor", lambda *a, **k: ScriptedExtractor({SENTENCE: deliver}))


def test_ingest_is_idempotent_and_records_bad_inputs(tmp_path: Path, scripted: None) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "x", "text": ARTICLE}) + "\n{broken\n", encoding="utf-8")
    db_path = tmp_path / "cli.sqlite"
    runner = CliRunner()

    first = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db_path)])
    assert first.exit_code == 1, first.output  # one bad line
    assert "b.jsonl:2: not a JSON object" in first.output
    assert "3 input(s), 1 stored, 1 duplicate, 1 failed, 1 event mention(s)" in first.output

    second = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(db_path)])
    assert second.exit_code == 0, second.output
    assert "1 input(s), 1 duplicate, 0 event mention(s)" in second.output

    db = open_database(db_path)
    with db.session() as s:
        statuses = s.execute(select(DocumentRow.status, func.count()).group_by(DocumentRow.status)).all()
    assert dict(statuses) == {DocumentStatus.DONE: 1, DocumentStatus.FAILED: 1}


def test_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", "oracle://nowhere/db"])
    assert result.exit_code == 2
    assert "unsupported database oracle://nowhere/db" in result.output


def test_demo_ingests_the_samples_without_serving(tmp_path: Path, scripted: None) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db_path = tmp_path / "demo.sqlite"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--samples", str(samples), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "samples: 1 input(s), 1 stored, 1 event mention(s), 1 transfer(s) updated" in result.output
    assert "1 transfer(s) in the store" in result.output  # and the table of them
    assert "ESP → MAR" in result.output and "DELIVER" in result.output


def test_demo_ingests_and_serves(tmp_path: Path) -> None:
    """The README's main command, as a real process: it ingests the samples and serves them."""
    port = free_port()
    armswatch = str(Path(sys.executable).parent / "armswatch")
    command = [armswatch, "demo", "--db", str(tmp_path / "demo.sqlite"), "--port", str(port)]
    with server_process(command, port) as base:
        assert httpx.get(base + "/").status_code == 200
        stats = httpx.get(base + "/api/stats").json()
    assert stats["documents"] >= 3  # the bundled samples, whatever the extractor made of them
