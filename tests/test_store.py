"""The store: opening and migrating the database on both backends, SQLite settings, URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from armswatch.store.db import Database, DatabaseError, database_url, default_database_path, open_database
from armswatch.store.migrate import current_revision, head_revision, schema_differences


def test_default_database_is_a_file_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARMSWATCH_DB")
    url = database_url()
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(default_database_path())
    assert default_database_path().name == "armswatch.sqlite"


def test_db_value_may_be_a_path_or_a_url(tmp_path: Path) -> None:
    assert database_url(tmp_path / "x.sqlite").database == str(tmp_path / "x.sqlite")
    assert database_url("postgresql://u:secret@h/db").drivername == "postgresql+psycopg"


def test_environment_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSWATCH_DB", str(tmp_path / "env.sqlite"))
    assert database_url().database == str(tmp_path / "env.sqlite")


def test_unsupported_backend_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="unsupported database mysql"):
        open_database("mysql://u@h/db")


def test_migrations_reach_head_and_agree_with_the_models(db: Database) -> None:
    assert current_revision(db) == head_revision()
    assert schema_differences(db) == []


def test_opening_twice_upgrades_once(tmp_path: Path) -> None:
    open_database(tmp_path / "a.sqlite").dispose()
    again = open_database(tmp_path / "a.sqlite")
    assert current_revision(again) == head_revision()
    again.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
