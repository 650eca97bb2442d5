"""Alembic environment of the audit store: migrations run on the connection micromets passes in
(``config.attributes["connection"]``), or on ``sqlalchemy.url`` when Alembic is driven by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from micromets.store.db import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                      render_as_batch=True)  # SQLite alters tables by copying them (batch mode)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as own:
        _run(own)
    engine.dispose()
