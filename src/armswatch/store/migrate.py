"""Alembic, run from Python: the migrations ship inside the package and every command that
opens the database upgrades it first, so no one runs ``alembic upgrade`` by hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from armswatch.store.models import Base

if TYPE_CHECKING:
    from armswatch.store.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = db.engine  # env.py runs on this engine, not on a URL string
    return config


def upgrade_to_latest(db: Database) -> None:
    command.upgrade(alembic_config(db), "head")


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def schema_differences(db: Database) -> list[Any]:
    """What autogenerate would change to make the database match the models (empty: they agree)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
