"""Tables and engine of the audit store (SQLAlchemy 2, typed ORM).

Tables, created with ``metadata.create_all`` (no migrations tool):

- ``assessments``: one row per recorded assessment, append-only;
- ``schema_version``: a single row with the schema version this code writes (``SCHEMA_VERSION``);
- ``api_tokens``, ``login_tokens``, ``cds_seen_jti``: access control (``micromets.store.access``):
  API tokens (hashed), one-time web sign-in tokens (hashed) and the CDS Hooks JWT replay cache.

The SQL is portable (SQLite, PostgreSQL); the only dialect-specific statements are the triggers that
refuse ``UPDATE``/``DELETE`` on ``assessments``, each guarded by its dialect. Payloads are ``Text``
holding JSON, not a JSON column type: the stored case text is exactly the text that was hashed.

    >>> engine = make_engine("sqlite://")
    >>> create_schema(engine)
    >>> sorted(Base.metadata.tables)
    ['api_tokens', 'assessments', 'cds_seen_jti', 'login_tokens', 'schema_version']
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DDL,
    BigInteger,
    CheckConstraint,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ENV_VAR",
    "SCHEMA_VERSION",
    "SCOPES",
    "SOURCES",
    "ApiTokenRow",
    "AssessmentRow",
    "Base",
    "LoginTokenRow",
    "SchemaVersionRow",
    "SeenJtiRow",
    "create_schema",
    "default_path",
    "default_url",
    "make_engine",
]

#: Version of the table layout; bump it when the layout changes (there is no migration tool).
SCHEMA_VERSION = 1
#: Environment variable naming the database URL.
ENV_VAR = "MICROMETS_DB_URL"
#: The interfaces an assessment can come from.
SOURCES = ("api", "web", "cli", "cds-hooks")
#: The scopes an API token can have (``admin`` includes ``read`` and ``write``; see docs/web-and-api.md).
SCOPES = ("read", "write", "admin")

# SQLite's INTEGER PRIMARY KEY is its rowid (auto-increment); elsewhere a 64-bit integer.
_RowId = BigInteger().with_variant(Integer, "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no offset: it is restored on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of the audit tables."""


class AssessmentRow(Base):
    """One recorded assessment. Never updated or deleted by micromets."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("source IN ('api', 'web', 'cli', 'cds-hooks')", name="ck_assessments_source"),
        Index("ix_assessments_case_id", "case_id"),
        Index("ix_assessments_case_sha256", "case_sha256"),
    )

    id: Mapped[int] = mapped_column(_RowId, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    case_id: Mapped[str | None] = mapped_column(String(200))
    case_sha256: Mapped[str] = mapped_column(String(64))
    micromets_version: Mapped[str] = mapped_column(String(50))
    ruleset_version: Mapped[str] = mapped_column(String(50))
    model_version: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(20))
    case_json: Mapped[str] = mapped_column(Text)
    assessment_json: Mapped[str] = mapped_column(Text)


class SchemaVersionRow(Base):
    """The single row recording which schema version the database holds."""

    __tablename__ = "schema_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class ApiTokenRow(Base):
    """An API token: only the SHA-256 of its secret is stored. Revoked by setting ``revoked_at``."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("scope IN ('read', 'write', 'admin')", name="ck_api_tokens_scope"),
        Index("ux_api_tokens_secret_sha256", "secret_sha256", unique=True),
    )

    id: Mapped[int] = mapped_column(_RowId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10))
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class LoginTokenRow(Base):
    """A one-time web sign-in token (SHA-256 of its secret); deleted when used or expired."""

    __tablename__ = "login_tokens"
    __table_args__ = (Index("ix_login_tokens_expires_at", "expires_at"),)

    secret_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SeenJtiRow(Base):
    """A CDS Hooks JWT already accepted (SHA-256 of issuer and ``jti``), kept until the JWT expires."""

    __tablename__ = "cds_seen_jti"
    __table_args__ = (Index("ix_cds_seen_jti_expires_at", "expires_at"),)

    key_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


_MESSAGE = "assessments is an append-only audit table"


def _on_create(sql: str, dialect: str) -> None:
    """Run ``sql`` after ``assessments`` is created, on ``dialect`` only."""
    ddl = DDL(sql).execute_if(dialect=dialect)  # type: ignore[no-untyped-call]
    event.listen(AssessmentRow.__table__, "after_create", ddl)


for _operation in ("UPDATE", "DELETE"):
    _on_create(f"CREATE TRIGGER assessments_no_{_operation.lower()} BEFORE {_operation} ON assessments "
               f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END", "sqlite")
_on_create("CREATE OR REPLACE FUNCTION micromets_append_only() RETURNS trigger LANGUAGE plpgsql AS "
           f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$", "postgresql")
_on_create("CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments "
           "FOR EACH ROW EXECUTE FUNCTION micromets_append_only()", "postgresql")


def default_path() -> Path:
    """Where the default SQLite file lives: the user's data directory, ``micromets/audit.sqlite3``.

    Linux: ``$XDG_DATA_HOME`` or ``~/.local/share``; macOS: ``~/Library/Application Support``;
    Windows: ``%LOCALAPPDATA%``.
    """
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "micromets" / "audit.sqlite3"


def default_url() -> str:
    """``$MICROMETS_DB_URL`` when set, else a SQLite file at ``default_path()``.

    >>> default_path().name
    'audit.sqlite3'
    """
    return os.environ.get(ENV_VAR) or f"sqlite:///{default_path()}"


def _sqlite_file(database: str | None) -> Path | None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _prepare_file(path: Path) -> None:
    """Create the folder (owner only) and the empty file (owner read/write): it holds patient data."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)


def _sqlite_pragmas(wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")  # an audit record must survive a power cut
            cursor.execute("PRAGMA busy_timeout=10000")
        finally:
            cursor.close()

    return on_connect


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite gets WAL, foreign keys, full sync and a busy timeout; an
    in-memory SQLite database is one connection shared by all threads. SQL parameters (patient data)
    are never put into error messages.

    >>> make_engine("sqlite://").dialect.name
    'sqlite'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, hide_parameters=True, pool_pre_ping=True)
    path = _sqlite_file(parsed.database)
    if path is None:
        engine = create_engine(parsed, hide_parameters=True, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        _prepare_file(path)
        engine = create_engine(parsed, hide_parameters=True, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas(wal=path is not None))
    return engine


def create_schema(engine: Engine) -> None:
    """Create missing tables and the ``schema_version`` row; refuse a database of another version.

    Raises ``RuntimeError`` when the database was written by a different schema version.
    """
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        found = session.scalar(select(SchemaVersionRow.version).where(SchemaVersionRow.id == 1))
        if found is None:
            session.add(SchemaVersionRow(id=1, version=SCHEMA_VERSION))
        elif found != SCHEMA_VERSION:
            raise RuntimeError(
                f"the audit database has schema version {found}; this micromets writes version "
                f"{SCHEMA_VERSION} (see docs/store.md)"
            )
