"""Schema migrations of the audit store (Alembic, scripts in ``micromets/store/migrations``).

``upgrade(engine)`` brings a database to the newest revision; ``Store`` calls it when it opens, and
``micromets store upgrade`` runs it by hand. It holds the database's write lock while it runs
(SQLite ``BEGIN IMMEDIATE``, PostgreSQL an advisory lock), so worker processes that start together
migrate once. A database made by micromets 0.1 (``create_all`` with a ``schema_version`` row) is
adopted as revision ``0001`` and upgraded from there.

For developers, a new revision (e.g. for a new table declared in ``db.py``)::

    python -m micromets.store.migrate revision -m "api tokens" --autogenerate

    >>> from sqlalchemy import create_engine
    >>> engine = create_engine("sqlite://")
    >>> upgrade(engine) == head()
    True
"""

from __future__ import annotations

import argparse
import tempfile
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text

__all__ = ["config", "current", "head", "upgrade"]

_SCRIPTS = Path(__file__).parent / "migrations"
# Any fixed 64-bit number: the advisory lock serialising migrations on PostgreSQL.
_PG_LOCK = 0x6D6963726F6D6574


def config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the packaged scripts, running on ``connection`` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def head() -> str:
    """The newest revision id of the packaged migrations."""
    found = ScriptDirectory.from_config(config()).get_current_head()
    assert found is not None
    return found


def current(engine: Engine) -> str | None:
    """The revision the database is at (``None``: not created, or made before migrations existed)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _adopt_legacy(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables or "schema_version" not in tables:
        return
    found = connection.execute(text("SELECT version FROM schema_version WHERE id = 1")).scalar()
    if found != 1:
        raise RuntimeError(f"the audit database has an unknown layout (schema_version {found}); see docs/store.md")
    command.stamp(config(connection), "0001")


def upgrade(engine: Engine) -> str:
    """Bring the database at ``engine`` to the newest revision (nothing to do when it is there); return it."""
    with engine.connect() as probe:
        if MigrationContext.configure(probe).get_current_revision() == head():
            return head()
    with engine.connect().execution_options(sqlite_immediate=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        _adopt_legacy(connection)
        if MigrationContext.configure(connection).get_current_revision() != head():
            command.upgrade(config(connection), "head")
    return head()


def _next_id() -> str:
    return f"{int(head()) + 1:04d}"


def main(argv: list[str] | None = None) -> None:
    """``python -m micromets.store.migrate revision -m MESSAGE [--autogenerate]``: write a new revision
    file into ``micromets/store/migrations/versions`` (autogenerate compares ``db.py`` with a scratch
    SQLite database at the current head; check and complete the file by hand, e.g. PostgreSQL triggers)."""
    parser = argparse.ArgumentParser(prog="python -m micromets.store.migrate")
    sub = parser.add_subparsers(dest="command", required=True)
    revision = sub.add_parser("revision", help="write a new revision file")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--autogenerate", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/scratch.sqlite3")
        upgrade(engine)
        with engine.begin() as connection:
            command.revision(config(connection), message=args.message, autogenerate=args.autogenerate,
                             rev_id=_next_id())
        engine.dispose()


if __name__ == "__main__":
    main()
