"""Alembic's environment: migrations run on the engine that :mod:`armswatch.store.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from armswatch.store.models import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through armswatch.store.migrate, which supplies the engine")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
