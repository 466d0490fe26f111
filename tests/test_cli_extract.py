"""``armswatch extract`` end to end with the real extractor: formats, stdin, and unreadable
input reported without losing the rest."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armswatch.cli import app
from armswatch.nlp.extractor import Extractor

ARTICLE = """Romania receives howitzers
Published: 2026-06-22

South Korea delivered 18 K9 howitzers to Romania on Monday.
Separately, Russia refused to sell Iskander missiles to Syria.
"""


@pytest.fixture(autouse=True)
def _shared_extractor(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command builds its own extractor; hand it the session's to save the build time."""
    monkeypatch.setattr("armswatch.cli.extract.build_extractor", lambda: extractor)


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "romania.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_lines_when_piped(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(_article(tmp_path))])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    found = {(e["type"], e["supplier"], e["recipient"], e["system"]) for e in events}
    assert found == {("DELIVER", "KOR", "ROU", "K9"), ("REFUSE", "RUS", "SYR", "Iskander")}
    delivery = next(e for e in events if e["type"] == "DELIVER")
    assert delivery["doc_id"] == "romania" and delivery["date"] == "2026-06-22" and delivery["quantity"] == 18
    assert ARTICLE[delivery["start"] : delivery["end"]] == delivery["evidence"]


def test_csv_and_table_formats(tmp_path: Path) -> None:
    article = _article(tmp_path)
    out = tmp_path / "events.csv"
    assert CliRunner().invoke(app, ["extract", str(article), "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(r["type"] for r in rows) == ["DELIVER", "REFUSE"]
    table = CliRunner().invoke(app, ["extract", str(article), "--format", "table"])
    assert table.exit_code == 0 and "2 events" in table.stdout and "Iskander" in table.stdout


def test_stdin_json_lines() -> None:
    doc = {"id": "d1", "text": "Germany approved the sale of Leopard 2 tanks to Qatar.", "published": "2013-04-18"}
    result = CliRunner().invoke(app, ["extract", "-"], input=json.dumps(doc) + "\n")
    assert result.exit_code == 0, result.output
    (event,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (event["doc_id"], event["type"], event["supplier"], event["recipient"]) == ("d1", "APPROVE", "DEU", "QAT")


def test_unreadable_input_is_reported_and_the_rest_extracted(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "x", "text": \n', encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(bad), str(tmp_path / "missing.txt"), str(_article(tmp_path))])
    assert result.exit_code == 1
    assert "broken.jsonl" in result.stderr and "missing.txt" in result.stderr
    assert "2 input(s) could not be read" in result.stderr
    assert len(result.stdout.splitlines()) == 2  # the readable article's events still come out
