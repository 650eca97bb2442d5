"""Access control data: API tokens, one-time web sign-in tokens, signed-out web sessions, each account's
"sign out everywhere" count and the CDS Hooks JWT replay cache.

Kept in the audit store's database (same URL, tables ``api_tokens``, ``login_tokens``,
``revoked_sessions``, ``session_generations`` and ``cds_seen_jti``; see docs/store.md) so that every server
worker process sees the same state: a revoked or expired token is refused by every worker, a sign-in link
works once across all of them, a signed-out session cookie (or every session of an account signed out
everywhere) is refused by all of them, and a CDS Hooks JWT cannot be replayed against another worker. Secrets are never stored, only their SHA-256:
they are 256-bit random values, so a plain hash is enough (no slow password hash is needed).

    >>> with AccessStore.in_memory() as access:
    ...     token, secret = access.create_token("read", name="dashboard")
    ...     access.authenticate(secret).scope, access.authenticate(secret + "x")
    ('read', None)
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import hmac
import logging
import os
import queue
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict
from sqlalchemy import CompoundSelect, bindparam, delete, literal_column, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from micromets.store.db import (
    SCOPES,
    ApiTokenRow,
    LoginTokenRow,
    RevokedSessionRow,
    SeenJtiRow,
    SessionGenerationRow,
    default_url,
    make_engine,
)
from micromets.store.migrate import upgrade
from micromets.store.repository import StoreError, _WriteGate

__all__ = ["DEFAULT_TOKEN_LIFETIME", "MAX_TOKEN_LIFETIME", "TOKEN_PREFIX", "AccessStore", "ApiToken", "Scope",
           "check_name", "hash_secret"]

Scope = Literal["read", "write", "admin"]
assert get_args(Scope) == SCOPES
#: API token secrets start with this, so secret scanners and people can recognise them.
TOKEN_PREFIX = "mmt_"
_NAME_MAX = 100
#: How long a new API token works unless told otherwise (``micromets token create --expires-in``): a
#: leaked token stops working on its own, and the operator is made to rotate it at least this often.
DEFAULT_TOKEN_LIFETIME = dt.timedelta(days=90)
#: The longest lifetime a token can be given. There are no tokens without expiry (only those created
#: before expiries existed, listed as "no expiry").
MAX_TOKEN_LIFETIME = dt.timedelta(days=366)


_log = logging.getLogger(__name__)

#: Expired JWT ids are deleted at most this often by each process (and whenever an id is found again).
_JTI_PURGE_EVERY = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """SHA-256 (hex) of a secret as UTF-8.

    >>> hash_secret("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(BaseModel):
    """An API token as listed: never its secret."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    name: str
    scope: Scope
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    #: ``None``: created before tokens had an expiry (revision 0004); it works until revoked.
    expires_at: dt.datetime | None = None

    def expired(self, now: dt.datetime) -> bool:
        """Whether the token's lifetime is over at ``now`` (it is refused from its ``expires_at`` on)."""
        return self.expires_at is not None and self.expires_at <= now


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(id=row.id, name=row.name, scope=row.scope, created_at=row.created_at,
                    revoked_at=row.revoked_at, expires_at=row.expires_at)


_TOKENS = ApiTokenRow.__table__
_BY_HASH = select(_TOKENS.c.id, _TOKENS.c.name, _TOKENS.c.scope, _TOKENS.c.secret_sha256, _TOKENS.c.created_at,
                  _TOKENS.c.revoked_at, _TOKENS.c.expires_at).where(_TOKENS.c.secret_sha256 == bindparam("digest"))
_REVOKED = RevokedSessionRow.__table__
_GENERATIONS = SessionGenerationRow.__table__
# One statement, two primary-key lookups: the session was signed out, or its account was signed out everywhere
# since the session was opened. A row means "refused".
_SESSION_ENDED: CompoundSelect[Any] = select(literal_column("1")).where(_REVOKED.c.sid_sha256 == bindparam("digest")).union_all(
    select(literal_column("1")).where(_GENERATIONS.c.name == bindparam("name"),
                                      _GENERATIONS.c.generation > bindparam("generation")))


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_name(name: str) -> str:
    """A token name: 1 to 100 printable characters (it appears in listings and in the audit trail)."""
    name = name.strip()
    if not name or len(name) > _NAME_MAX or not name.isprintable():
        raise ValueError(f"a token name must be 1 to {_NAME_MAX} printable characters")
    return name


class AccessStore:
    """Tokens and replay cache in the database at ``url`` (default: the audit store's URL).

    Every database failure is raised as ``micromets.store.StoreError``. Thread-safe.
    """

    def __init__(self, url: str | None = None, *, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._url = url or default_url()
        self._clock = clock
        self._jti_purged_at: dt.datetime | None = None
        self._jti_writer = _JtiWriter(self)
        self._display_url = make_url(self._url).render_as_string(hide_password=True)
        try:
            self._engine = make_engine(self._url)
            compiled = _SESSION_ENDED.compile(dialect=self._engine.dialect)
            self._ended_sql = str(compiled)
            # A positional driver (sqlite3 "?") takes the values in the order the statement names them.
            self._ended_order = tuple(compiled.positiontup or ()) if compiled.positional else None
            parsed = make_url(self._url)
            # The JWT ids are written beside the audit store's records: the same kernel lock queues both.
            self._write_gate = _WriteGate.for_database(parsed.database if parsed.get_backend_name() == "sqlite" else None)
            upgrade(self._engine)  # the same migrations as the audit store: one schema, one version
        except (SQLAlchemyError, ImportError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot open the access tables at {self._display_url}: {exc}") from exc

    @classmethod
    def in_memory(cls) -> AccessStore:
        """A private in-memory SQLite database (for tests; gone when closed)."""
        return cls("sqlite://")

    @property
    def url(self) -> str:
        """The database URL with any password masked."""
        return self._display_url

    def _now(self) -> dt.datetime:
        return self._clock().astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        """The time by this store's clock (UTC): the web sessions' expiry and idle timeout use it too."""
        return self._now()

    def _session(self) -> Session:
        return Session(self._engine, expire_on_commit=False)

    def _writing(self) -> Session:
        # SQLite: take the write lock at BEGIN (IMMEDIATE) so a read-then-write transaction waits for
        # another process's writer instead of failing with "database is locked" when it upgrades.
        return Session(self._engine.execution_options(sqlite_immediate=True), expire_on_commit=False)

    def _fail(self, exc: SQLAlchemyError) -> StoreError:
        return StoreError(f"cannot use the access tables at {self._display_url}: {exc}")

    # API tokens

    def create_token(self, scope: str, *, name: str = "unnamed",
                     lifetime: dt.timedelta = DEFAULT_TOKEN_LIFETIME) -> tuple[ApiToken, str]:
        """A new token of ``scope`` that works for ``lifetime`` (more than zero, at most
        ``MAX_TOKEN_LIFETIME``): its record and its secret (shown once; only its hash is kept)."""
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}; got {scope!r}")
        if not dt.timedelta(0) < lifetime <= MAX_TOKEN_LIFETIME:
            raise ValueError(f"a token's lifetime must be more than zero and at most {MAX_TOKEN_LIFETIME.days} "
                             f"days; got {lifetime}")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self._now()
        row = ApiTokenRow(name=check_name(name), scope=scope, secret_sha256=hash_secret(secret),
                          created_at=now, expires_at=now + lifetime)
        try:
            with self._writing() as session, session.begin():
                session.add(row)
                session.flush()
                return _token(row), secret
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def tokens(self) -> builtins.list[ApiToken]:
        """Every token, revoked and expired ones included, oldest first."""
        try:
            with self._session() as session:
                return [_token(row) for row in session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))]
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def revoke(self, token_id: int) -> ApiToken | None:
        """Revoke a token (from now on it is refused); ``None`` when there is no such token."""
        try:
            with self._writing() as session, session.begin():
                row = session.get(ApiTokenRow, token_id) if 1 <= token_id < 2**63 else None
                if row is None:
                    return None
                if row.revoked_at is None:
                    row.revoked_at = self._now()
                return _token(row)
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def authenticate(self, secret: str) -> ApiToken | None:
        """The live (neither revoked nor expired) token whose secret this is, or ``None`` (the caller
        cannot tell an unknown token from a revoked or an expired one). Runs on every API call, so it is
        one prepared Core query (no ORM session)."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        digest = hash_secret(secret)
        try:
            with self._engine.connect() as connection:
                row = connection.execute(_BY_HASH, {"digest": digest}).one_or_none()
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc
        # The lookup is by the hash of a 256-bit secret; compare in constant time all the same.
        if row is None or row.revoked_at is not None or not hmac.compare_digest(row.secret_sha256, digest):
            return None
        token = ApiToken(id=row.id, name=row.name, scope=row.scope, created_at=row.created_at,
                         expires_at=row.expires_at)
        if token.expired(self._now()):
            # For the operator only (the caller gets the answer an unknown token gets): a client whose
            # token has run out shows up here rather than as unexplained 401s.
            _log.warning("API token %d refused: it expired at %s (micromets token create makes a new one)",
                         token.id, f"{token.expires_at:%Y-%m-%d %H:%M} UTC")
            return None
        return token

    # One-time web sign-in tokens

    def create_login_token(self, *, name: str = "web", ttl: dt.timedelta = dt.timedelta(hours=1)) -> str:
        """A new single-use sign-in secret, valid for ``ttl``; expired ones are removed."""
        secret = secrets.token_urlsafe(32)
        now = self._now()
        try:
            with self._writing() as session, session.begin():
                session.execute(delete(LoginTokenRow).where(LoginTokenRow.expires_at <= now))
                session.add(LoginTokenRow(secret_sha256=hash_secret(secret), name=check_name(name),
                                          expires_at=now + ttl))
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc
        return secret

    def login_token_name(self, secret: str) -> str | None:
        """The name (the account) a sign-in secret would sign in to, if it is valid and unused; ``None``
        otherwise. Reads only: the link stays usable (the confirmation page shows this before the user
        chooses to sign in)."""
        if not secret or len(secret) > 200:
            return None
        try:
            with self._session() as session:
                return session.scalar(select(LoginTokenRow.name).where(
                    LoginTokenRow.secret_sha256 == hash_secret(secret), LoginTokenRow.expires_at > self._now()))
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def consume_login_token(self, secret: str) -> str | None:
        """Use a sign-in secret: its name when it was valid and unused (it is deleted), else ``None``.

        Atomic across processes: of two concurrent uses, only the one whose DELETE removes the row wins.
        """
        if not secret or len(secret) > 200:
            return None
        digest = hash_secret(secret)
        now = self._now()
        try:
            with self._writing() as session, session.begin():
                name = session.scalar(select(LoginTokenRow.name).where(LoginTokenRow.secret_sha256 == digest))
                deleted = session.execute(delete(LoginTokenRow).where(
                    LoginTokenRow.secret_sha256 == digest, LoginTokenRow.expires_at > now))
                won = getattr(deleted, "rowcount", 0) == 1
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc
        return name if won and name is not None else None

    # Signed-out web sessions (the session itself is a signed cookie; see micromets.api.security)

    def revoke_session(self, sid: str, expires_at: dt.datetime) -> None:
        """Record that the web session ``sid`` was signed out: ``session_revoked`` says so on every worker
        until ``expires_at`` (the cookie's own expiry, after which it is refused anyway). Signed-out
        sessions past their expiry are removed."""
        digest = hash_secret(sid)
        now = self._now()
        try:
            with self._writing() as session, session.begin():
                session.execute(delete(RevokedSessionRow).where(RevokedSessionRow.expires_at <= now))
                if session.get(RevokedSessionRow, digest) is None:
                    session.add(RevokedSessionRow(sid_sha256=digest, expires_at=expires_at.astimezone(dt.UTC)))
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def session_generation(self, name: str) -> int:
        """How many times every web session of the account ``name`` was ended ("sign out everywhere"); a new
        session of that account carries this number (0 when it never was)."""
        try:
            with self._session() as session:
                return session.scalar(select(SessionGenerationRow.generation)
                                      .where(SessionGenerationRow.name == name)) or 0
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def end_sessions(self, name: str) -> int:
        """Sign out everywhere: every web session of the account ``name`` opened until now is refused by every
        worker from the next request on (its generation moves on); returns the new generation. API tokens are
        separate credentials and are not touched (``revoke`` them)."""
        # One upsert: two first-time calls for one account at once (on PostgreSQL, where nothing serialises them
        # beforehand) both count, instead of one failing on the primary key.
        statement = self._insert(SessionGenerationRow).values(name=name, generation=1)
        statement = statement.on_conflict_do_update(
            index_elements=[SessionGenerationRow.name],
            set_={"generation": SessionGenerationRow.generation + 1}).returning(SessionGenerationRow.generation)
        try:
            with self._engine.execution_options(sqlite_immediate=True).begin() as connection:
                return int(connection.execute(statement).scalar_one())
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc

    def _insert(self, table: Any) -> Any:
        """The ``INSERT`` of this database's dialect (with ``ON CONFLICT``: PostgreSQL and SQLite both have it)."""
        if self._engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            return postgresql_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    def session_revoked(self, sid: str, name: str = "", generation: int = 0) -> bool:
        """Whether the web session ``sid`` was signed out, or its account ``name`` was signed out everywhere
        after the session was opened at ``generation``. Runs on every web request with a valid cookie: one
        statement of two lookups by primary key (the expiry needs no check: an expired cookie is refused
        before). Without ``name`` only the session itself is looked up (no account is called "").

        On a pooled driver connection, without SQLAlchemy's execution layer: that layer (and the ``BEGIN``
        it sends on SQLite) made the lookup ~6 times slower (190 µs against 30 µs). The statement is
        compiled once for the database's dialect; it returns no value to convert."""
        digest = hash_secret(sid)
        errors = self._engine.dialect.loaded_dbapi.Error
        try:
            connection = self._engine.raw_connection()
        except SQLAlchemyError as exc:
            raise self._fail(exc) from exc
        try:
            cursor = connection.cursor()
            try:
                values = {"digest": digest, "name": name, "generation": generation}
                cursor.execute(self._ended_sql, values if self._ended_order is None
                               else tuple(values[key] for key in self._ended_order))
                return cursor.fetchone() is not None
            finally:
                cursor.close()
        except errors as exc:
            connection.invalidate(exc)  # a broken connection is not handed to the next request
            raise StoreError(f"cannot use the access tables at {self._display_url}: {type(exc).__name__}") from exc
        finally:
            connection.close()

    # CDS Hooks JWT replay cache

    def remember_jti(self, issuer: str, jti: str, expires_at: dt.datetime) -> bool:
        """Record that the JWT ``jti`` of ``issuer`` was used; ``False`` when it was already (a replay).

        Entries are kept until the JWT expires (a replay after that fails on ``exp`` anyway).
        """
        return self.remember_jti_later(issuer, jti, expires_at).result()

    def remember_jti_later(self, issuer: str, jti: str, expires_at: dt.datetime) -> Future[bool]:
        """``remember_jti`` as a future: the ids of concurrent calls are written in one transaction
        (group commit: one disk sync for all of them, and one holder of SQLite's write lock)."""
        key = hashlib.sha256(f"{issuer}\x00{jti}".encode("utf-8", "surrogatepass")).hexdigest()
        return self._jti_writer.submit((key, expires_at.astimezone(dt.UTC)))

    def _write_jtis(self, items: list[tuple[str, dt.datetime]]) -> set[str]:
        """Insert the new ids of ``items`` in one transaction; returns the keys inserted. An id already
        there is a replay unless its entry has expired (then it is replaced). Expired entries are deleted
        at most every ``_JTI_PURGE_EVERY``."""
        now = self._now()

        def insert_new(rows: list[tuple[str, dt.datetime]]) -> set[str]:
            statement = self._insert(SeenJtiRow).values([{"key_sha256": k, "expires_at": e} for k, e in rows])
            statement = statement.on_conflict_do_nothing().returning(SeenJtiRow.key_sha256)
            return set(connection.execute(statement).scalars())

        with self._write_gate, self._engine.execution_options(sqlite_immediate=True).begin() as connection:
            if self._jti_purged_at is None or now - self._jti_purged_at >= _JTI_PURGE_EVERY:
                connection.execute(delete(SeenJtiRow).where(SeenJtiRow.expires_at < now))
                self._jti_purged_at = now
            inserted = insert_new(items)
            found = [key for key, _ in items if key not in inserted]
            if found:
                expired = set(connection.execute(delete(SeenJtiRow).where(
                    SeenJtiRow.key_sha256.in_(found), SeenJtiRow.expires_at < now)
                    .returning(SeenJtiRow.key_sha256)).scalars())
                if expired:
                    inserted |= insert_new([(k, e) for k, e in items if k in expired])
        return inserted

    def close(self) -> None:
        """Release the connections (an in-memory database is gone afterwards)."""
        self._jti_writer.close()
        self._engine.dispose()

    def __enter__(self) -> AccessStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AccessStore({self._display_url!r})"


_Jti = tuple[tuple[str, dt.datetime], "Future[bool]"]


class _JtiWriter:
    """Group commit of JWT ids: calls queue their id; one thread writes all the ids queued in one
    transaction and tells each call whether its id was new. Within one batch, the first of two equal
    ids wins."""

    def __init__(self, access: AccessStore) -> None:
        self._access = access
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Jti | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, item: tuple[str, dt.datetime]) -> Future[bool]:
        if self._pid != os.getpid():  # a forked worker: the parent's thread and connections are not ours
            self._access._engine.dispose(close=False)
            self._reset()
        future: Future[bool] = Future()
        with self._lock:
            if self._closed:
                raise StoreError("the access tables are closed")
            self._queue.put((item, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="micromets-jti-writer", daemon=True)
                self._thread.start()
        return future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < 1000:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._write(batch)
                    return
                batch.append(more)
            self._write(batch)

    def _write(self, batch: list[_Jti]) -> None:
        unique: dict[str, tuple[str, dt.datetime]] = {}
        for item, _ in batch:
            unique.setdefault(item[0], item)
        try:
            inserted = self._access._write_jtis(list(unique.values()))
        except BaseException as exc:  # every waiting call must hear of it
            error = self._access._fail(exc) if isinstance(exc, SQLAlchemyError) else StoreError(
                f"cannot use the access tables: {type(exc).__name__}")
            for _, future in batch:
                future.set_exception(error)
            return
        for (key, _), future in batch:
            future.set_result(key in inserted)
            inserted.discard(key)  # a second equal id in the same batch is a replay

    def close(self) -> None:
        with self._lock:
            if self._closed or self._thread is None or self._pid != os.getpid():
                self._closed = True
                return
            self._closed = True
            self._queue.put(None)
            thread = self._thread
        thread.join(timeout=30)
