"""Shared fixtures: one extractor per test session (building its matchers takes a moment), real
SQLite files, and a real PostgreSQL server started from local binaries."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from armswatch.core.model import Document, Event
from armswatch.nlp.extractor import Extractor
from armswatch.store.db import Database, open_database
from tests.support.extractors import ScriptedExtractor
from tests.support.postgres import PostgresServer, PostgresUnavailable, create_database, postgres_server
from tests.support.web import TestSite, serve_site

Key = tuple[str, str | None, str | None, str | None]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[..., list[Event]]:
    def run(text: str, published: str | None = "2024-06-14", doc_id: str = "t") -> list[Event]:
        day = dt.date.fromisoformat(published) if published else None
        return extractor.extract(Document(doc_id, text, published=day))

    return run


@pytest.fixture(scope="session")
def keys(extract: Callable[..., list[Event]]) -> Callable[..., set[Key]]:
    """The (type, supplier, recipient, system) keys the extractor finds in a text."""

    def run(text: str, published: str | None = "2024-06-14") -> set[Key]:
        return {(e.type.value, e.supplier, e.recipient, e.system) for e in extract(text, published)}

    return run


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


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A migrated database that each test's database is copied from (faster than migrating each)."""
    db = open_database(create_database(pg_server, "armswatch_template"))
    db.dispose()  # a template must have no open connections
    return "armswatch_template"


@pytest.fixture
def pg_db(pg_server: PostgresServer, pg_template: str) -> Iterator[Database]:
    db = open_database(create_database(pg_server, f"test_{next(_db_names)}", template=pg_template))
    yield db
    db.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database per module and backend, for tests that only read what a fixture stored."""
    if request.param == "sqlite":
        database = open_database(tmp_path_factory.mktemp("module") / "store.sqlite")
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        template: str = request.getfixturevalue("pg_template")
        database = open_database(create_database(server, f"module_{next(_db_names)}", template=template))
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both backends."""
    fixture = "sqlite_db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database


@pytest.fixture
def site() -> Iterator[TestSite]:
    """A real HTTP server on 127.0.0.1 serving what the test puts in it (tests.support.web)."""
    with serve_site() as s:
        yield s


@pytest.fixture
def scripted_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fetching commands extract with a scripted extractor (no events): the sources are under test."""
    monkeypatch.setattr("armswatch.cli.ingest.build_extractor", lambda *a, **k: ScriptedExtractor())
