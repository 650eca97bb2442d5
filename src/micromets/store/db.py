"""Tables and engine of the audit store (SQLAlchemy 2, typed ORM).

The ORM classes below describe the schema at the newest migration; the database itself is created
and upgraded by the Alembic migrations in ``micromets/store/migrations`` (``migrate.upgrade``), and a
test checks that the migrated schema equals this metadata on SQLite and PostgreSQL. Tables:

- ``assessments``: one row per assessment returned, append-only (triggers refuse ``UPDATE`` and
  ``DELETE``, except a ``DELETE`` inside a purge; see ``Store.purge``);
- ``audit_events``: audited actions that are not assessments (purges, CDS Hooks feedback), append-only
  without exception;
- ``purge_guard``: empty except inside a purge transaction (it is what lets that purge delete);
- ``api_tokens``, ``login_tokens``, ``revoked_sessions``, ``session_generations``, ``cds_seen_jti``: access
  control (``micromets.store.access``): API tokens (hashed), one-time web sign-in tokens (hashed), signed-out
  web sessions, each account's "sign out everywhere" count and the CDS Hooks JWT replay cache.

Payloads are ``Text`` holding JSON, not a JSON column type: the stored text is exactly the hashed text.

    >>> sorted(Base.metadata.tables)  # doctest: +NORMALIZE_WHITESPACE
    ['api_tokens', 'assessments', 'audit_events', 'cds_seen_jti', 'login_tokens', 'purge_guard', 'revoked_sessions',
     'session_generations']
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import (
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
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ENV_VAR",
    "OUTPUTS",
    "SCOPES",
    "SOURCES",
    "ApiTokenRow",
    "AssessmentRow",
    "AuditEventRow",
    "Base",
    "LoginTokenRow",
    "PurgeGuardRow",
    "RevokedSessionRow",
    "SeenJtiRow",
    "default_path",
    "default_url",
    "make_engine",
]

#: Environment variable naming the database URL.
ENV_VAR = "MICROMETS_DB_URL"
#: The interfaces an assessment can come from (checked in Python: a new interface needs no table rebuild).
SOURCES = ("api", "batch", "web", "web-download", "whatif", "cds-hooks", "cli", "reassess")
#: What was returned from the assessment: the assessment JSON itself, a rendering, or another JSON body.
#: The scopes an API token can have (``admin`` includes ``read`` and ``write``; see docs/web-and-api.md).
SCOPES = ("read", "write", "admin")
OUTPUTS = ("json", "html", "pdf", "ics", "fhir", "cards", "whatif", "reassess", "jsonl")

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
    """One assessment as returned by some interface. Never updated; deleted only by a purge."""

    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_case_id", "case_id"),
        Index("ix_assessments_case_sha256", "case_sha256"),
        Index("ix_assessments_created_at", "created_at"),
        Index("ix_assessments_request_id", "request_id"),
        {"sqlite_autoincrement": True},  # a purged row id is never reused
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
    # Added by revision 0002 (null on rows recorded before it).
    actor: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(32))
    output: Mapped[str | None] = mapped_column(String(20))
    response_sha256: Mapped[str | None] = mapped_column(String(64))
    response_json: Mapped[str | None] = mapped_column(Text)
    reassessed_from: Mapped[int | None] = mapped_column(BigInteger)


class AuditEventRow(Base):
    """One audited action (a purge, CDS Hooks feedback): who, when, what. Never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(_RowId, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    detail_json: Mapped[str] = mapped_column(Text)


class PurgeGuardRow(Base):
    """While a purge runs (inside its transaction only): rows created before ``before`` may be deleted."""

    __tablename__ = "purge_guard"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    before: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ApiTokenRow(Base):
    """An API token: only the SHA-256 of its secret is stored. Revoked by setting ``revoked_at``; refused
    from ``expires_at`` on (null: created before revision 0004, when tokens had no expiry)."""

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
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class LoginTokenRow(Base):
    """A one-time web sign-in token (SHA-256 of its secret); deleted when used or expired."""

    __tablename__ = "login_tokens"
    __table_args__ = (Index("ix_login_tokens_expires_at", "expires_at"),)

    secret_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class RevokedSessionRow(Base):
    """A web session signed out before its cookie expired (SHA-256 of the session id), kept until then."""

    __tablename__ = "revoked_sessions"
    __table_args__ = (Index("ix_revoked_sessions_expires_at", "expires_at"),)

    sid_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SessionGenerationRow(Base):
    """How many times "sign out everywhere" ended the web sessions of an account (the sign-in link's name).
    A session remembers the count it was opened at; it is refused once the count has moved on. No row: 0."""

    __tablename__ = "session_generations"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)


class SeenJtiRow(Base):
    """A CDS Hooks JWT already accepted (SHA-256 of issuer and ``jti``), kept until the JWT expires."""

    __tablename__ = "cds_seen_jti"
    __table_args__ = (Index("ix_cds_seen_jti_expires_at", "expires_at"),)

    key_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


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
            # An acknowledged record must survive a power cut: FULL syncs the WAL on every commit
            # (NORMAL would only sync at checkpoints and can lose the last commits). Group commit
            # (repository._Writer) is what makes this affordable.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=30000")
        finally:
            cursor.close()

    return on_connect


def _sqlite_begin(connection: Any) -> None:
    # The driver's own transaction handling is switched off (isolation_level=None) so that SQLite runs
    # real transactions, DDL included. Writers start with BEGIN IMMEDIATE: they take the write lock
    # first and wait for it (busy timeout) instead of failing when another process wrote meanwhile.
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


#: Connections per process on a server database: one writer, readers from the request thread pool.
POOL_SIZE = 4
POOL_OVERFLOW = 4


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite gets WAL, foreign keys, full sync and a busy timeout; an
    in-memory SQLite database is one connection shared by all threads. A server database gets a small
    pool per process (``POOL_SIZE`` + ``POOL_OVERFLOW``: with W worker processes the server needs at
    most 8 W connections). SQL parameters (patient data) are never put into error messages.

    >>> make_engine("sqlite://").dialect.name
    'sqlite'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, hide_parameters=True, pool_pre_ping=True, pool_size=POOL_SIZE,
                             max_overflow=POOL_OVERFLOW, pool_recycle=1800)
    path = _sqlite_file(parsed.database)
    connect_args = {"check_same_thread": False, "isolation_level": None}
    if path is None:
        engine = create_engine(parsed, hide_parameters=True, poolclass=StaticPool, connect_args=connect_args)
    else:
        _prepare_file(path)
        engine = create_engine(parsed, hide_parameters=True, connect_args=connect_args)
    event.listen(engine, "connect", _sqlite_pragmas(wal=path is not None))
    event.listen(engine, "begin", _sqlite_begin)
    return engine
