"""Opening the database: where it lives, how SQLite is tuned, and how writers take turns.

One schema serves SQLite (the default, an embedded file in the user's data directory) and
PostgreSQL (by URL). Readers never block; writers are serialised so that an ingest running
beside a busy API server neither sees "database is locked" nor loses a write:

- SQLite runs in WAL mode (readers don't block the writer) with a busy timeout, and every
  write transaction starts with ``BEGIN IMMEDIATE`` so it takes the write lock up front
  instead of failing when a deferred read transaction tries to upgrade.
- PostgreSQL write transactions take one transaction-scoped advisory lock, so merges of two
  ingest processes never interleave (transfers are found-or-created by key).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

ENV_VAR = "ARMSWATCH_DB"
SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_LOCK_KEY = 0x41524D53  # "ARMS": the advisory lock every PostgreSQL writer takes


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message says which and why."""


def default_database_path() -> Path:
    """The embedded SQLite file: ``armswatch.sqlite`` in the user's data directory."""
    return Path(platformdirs.user_data_dir("armswatch", appauthor=False)) / "armswatch.sqlite"


def database_url(value: str | os.PathLike[str] | None = None) -> URL:
    """A SQLAlchemy URL from ``--db`` (a URL or a file path), ``ARMSWATCH_DB``, or the default file."""
    raw = str(value) if value is not None else os.environ.get(ENV_VAR, "")
    if not raw:
        return _sqlite_url(default_database_path())
    if "://" in raw:
        try:
            url = make_url(raw)
        except Exception as exc:  # SQLAlchemy raises ArgumentError; say which value was wrong
            raise DatabaseError(f"not a database URL: {raw!r} ({exc})") from None
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")  # the driver we depend on
        return url
    return _sqlite_url(Path(raw).expanduser())


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def describe(url: URL) -> str:
    """The URL for messages, with any password hidden."""
    return url.render_as_string(hide_password=True)


def create_db_engine(url: URL) -> Engine:
    if is_sqlite(url):
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
        return engine
    if url.get_backend_name() != "postgresql":
        raise DatabaseError(f"unsupported database {describe(url)}: use a file path, sqlite:// or postgresql://")
    return create_engine(url, pool_pre_ping=True)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, and much faster per commit
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass
class Database:
    """An open, upgraded database: read sessions for queries, :meth:`writing` for changes."""

    url: URL
    engine: Engine
    _read: sessionmaker[Session] = field(init=False, repr=False)
    _write: sessionmaker[Session] = field(init=False, repr=False)
    _local_writer: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        self._write = sessionmaker(writer, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    def session(self) -> Session:
        """A session for reading (it may write too, but :meth:`writing` is the safe way)."""
        return self._read()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction, serialised with every other writer; committed on success."""
        with self._local_writer, self._write() as session, session.begin():
            if not self.is_sqlite:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(value: str | os.PathLike[str] | URL | None = None, *, upgrade: bool = True) -> Database:
    """Open (creating if needed) and upgrade the database named by ``value`` or the environment."""
    url = value if isinstance(value, URL) else database_url(value)
    engine = create_db_engine(url)
    db = Database(url, engine)
    if upgrade:
        from armswatch.store.migrate import upgrade_to_latest  # alembic is only needed here

        upgrade_to_latest(db)
    return db
