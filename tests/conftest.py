"""Shared fixtures: real SQLite files and a real PostgreSQL server started from local binaries."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from armswatch.store.db import Database, open_database
from tests.support.postgres import PostgresServer, PostgresUnavailable, create_database, postgres_server

_db_names = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_user_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's own database: the default points into the test's temp dir."""
    monkeypatch.setenv("ARMSWATCH_DB", str(tmp_path / "default.sqlite"))
    monkeypatch.delenv("ARMSWATCH_API_TOKEN", raising=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":  # CI installs PostgreSQL: there, not finding it is a failure
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "store.sqlite")
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_server: PostgresServer) -> Iterator[Database]:
    db = open_database(create_database(pg_server, f"test_{next(_db_names)}"))
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both backends."""
    fixture = "sqlite_db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database
