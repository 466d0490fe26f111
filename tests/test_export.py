"""``armswatch export``: transfers and events as CSV, JSON and Parquet, read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from armswatch.cli import app
from armswatch.store.db import open_database
from tests.support.corpus import seed


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = tmp_path / "export.sqlite"
    db = open_database(path)
    seed(db)
    db.dispose()
    return str(path)


def export(db_path: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["export", "--db", db_path, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_transfers_as_csv(db_path: str, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    assert "4 transfers written" in export(db_path, "-o", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    turkey = next(r for r in rows if r["recipient"] == "TUR")
    assert (turkey["stages"], turkey["sources"], turkey["first_date"]) == ("AGREE;DELIVER;OPPOSE", "2", "2017-09-01")


def test_events_as_json_with_filter(db_path: str, tmp_path: Path) -> None:
    out = tmp_path / "e.json"
    export(db_path, "--what", "events", "--supplier", "RUS", "--since", "2019-01-01", "-o", str(out))
    events = json.loads(out.read_text(encoding="utf-8"))
    assert len(events) == 2 and {e["type"] for e in events} == {"DELIVER"}
    assert events[0]["evidence"].startswith("The first parts of the S-400 system")


@pytest.mark.parametrize("what", ["transfers", "events"])
def test_parquet_round_trip(db_path: str, tmp_path: Path, what: str) -> None:
    out = tmp_path / f"{what}.parquet"
    export(db_path, "--what", what, "-o", str(out))
    table = pq.read_table(out)
    assert table.num_rows == (4 if what == "transfers" else 7)
    assert "supplier" in table.column_names


def test_unknown_suffix_is_a_clear_error(db_path: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", db_path, "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "give --format csv|json|parquet" in result.output
