"""The audit store: record what was returned, read it back, export it, purge what has expired.

A record, once written, is what was returned to the clinician: the store has no update, and deletes
only through ``purge`` (rows older than a date), which leaves an ``audit_events`` entry that nothing can
delete. The store sets ``created_at`` (UTC); that is the only clock micromets reads, and it is outside
the pure ``Case -> Assessment`` core.

Writes go through one writer thread per process that commits whatever is queued in one transaction
(group commit): a caller gets its row ids only after their transaction committed, so an acknowledged
record is on disk, and many concurrent requests share one disk sync.

    >>> from micromets.assess import assess
    >>> from micromets.model import parse_case
    >>> case = parse_case({"id": "p-1", "tumour": {"size_mm": 8}, "metastasis": "cM0"})
    >>> with Store.in_memory() as store:
    ...     row = store.record(case, assess(case), source="cli", actor="cli")
    ...     [r.case_id for r in store.list(case_id="p-1")], store.get(row.id).to_assessment().staging.t
    (['p-1'], 'cT1b')
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Table, delete, exists, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from micromets.errors import MicrometsError
from micromets.model import Assessment, Case
from micromets.store.db import (
    OUTPUTS,
    SOURCES,
    AssessmentRow,
    AuditEventRow,
    PurgeGuardRow,
    default_url,
    make_engine,
)

try:  # POSIX: a kernel lock serialises the writers of several processes (see _WriteGate)
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's own locking alone
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "MAX_LIST_LIMIT",
    "MAX_ROW_ID",
    "AssessmentSummary",
    "AuditEntry",
    "AuditEvent",
    "Output",
    "PurgeResult",
    "Source",
    "Store",
    "StoreError",
    "StoredAssessment",
    "canonical_case_json",
    "case_sha256",
    "entry",
]

Source = Literal["api", "batch", "web", "web-download", "whatif", "cds-hooks", "cli", "reassess"]
Output = Literal["json", "html", "pdf", "ics", "fhir", "cards", "whatif", "reassess", "jsonl"]
assert get_args(Source) == SOURCES and get_args(Output) == OUTPUTS
#: The largest row id (64-bit signed); larger ids cannot exist.
MAX_ROW_ID = 2**63 - 1
#: The most rows one ``list`` call returns.
MAX_LIST_LIMIT = 1000
#: About this many rows at most go into one group-commit transaction (a request's rows are never split).
_MAX_GROUP_ROWS = 2000
_ACTOR_LENGTH = 200
_TABLE = cast(Table, AssessmentRow.__table__)
_EVENTS = cast(Table, AuditEventRow.__table__)
_GUARD = cast(Table, PurgeGuardRow.__table__)
_log = logging.getLogger(__name__)


class StoreError(MicrometsError):
    """The audit store could not be read or written (database unreachable, disk full, wrong schema)."""


def canonical_case_json(case: Case) -> str:
    """The case as canonical JSON: every field (unknown = null), keys sorted, no spaces, UTF-8 text.

    Two inputs that validate to the same case give the same text, whatever their key order:

    >>> a = Case.model_validate({"id": "x", "age": 60})
    >>> b = Case.model_validate({"age": 60, "id": "x"})
    >>> canonical_case_json(a) == canonical_case_json(b)
    True
    """
    return json.dumps(case.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False)


def _sha256(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def case_sha256(case: Case) -> str:
    """SHA-256 (hex) of ``canonical_case_json(case)`` encoded as UTF-8.

    >>> len(case_sha256(Case()))
    64
    """
    return _sha256(canonical_case_json(case))


@dataclass(frozen=True)
class AuditEntry:
    """One row to record, prepared (serialised and hashed) by the caller's thread; see ``entry``."""

    case_id: str | None
    case_json: str
    case_sha256: str
    assessment_json: str
    micromets_version: str
    ruleset_version: str
    model_version: str | None
    source: Source
    actor: str | None
    output: Output
    response_sha256: str | None
    response_json: str | None
    reassessed_from: int | None

    def values(self, created_at: dt.datetime, request_id: str) -> dict[str, Any]:
        return {"created_at": created_at, "request_id": request_id, "case_id": self.case_id,
                "case_sha256": self.case_sha256, "micromets_version": self.micromets_version,
                "ruleset_version": self.ruleset_version, "model_version": self.model_version,
                "source": self.source, "case_json": self.case_json, "assessment_json": self.assessment_json,
                "actor": self.actor, "output": self.output, "response_sha256": self.response_sha256,
                "response_json": self.response_json, "reassessed_from": self.reassessed_from}


def _clean_actor(actor: str | None) -> str | None:
    if actor is None:
        return None
    # Who asked is metadata, not free text: no control characters, bounded length.
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in actor)
    return cleaned[:_ACTOR_LENGTH] or None


def entry(case: Case, assessment: Assessment, *, source: Source, actor: str | None = None,
          output: Output = "json", response: bytes | str | None = None, response_json: str | None = None,
          reassessed_from: int | None = None, assessment_json: str | None = None) -> AuditEntry:
    """Prepare the record of ``assessment`` made from ``case`` and returned by ``source`` to ``actor``.

    ``output`` says what was returned: ``json`` (the assessment JSON itself: ``assessment_json`` when
    the caller already serialised it, so that the stored text is the returned text), a rendering
    (``html``, ``pdf``, ``ics``, ``fhir``) or another JSON body (``cards``, ``whatif``, ``reassess``:
    pass it as ``response_json``). ``response`` is the exact body returned; its SHA-256 is stored.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}; got {source!r}")
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(OUTPUTS)}; got {output!r}")
    if assessment.id != case.id:
        raise ValueError(f"assessment id {assessment.id!r} is not the case id {case.id!r}")
    case_json = canonical_case_json(case)
    assessment_text = assessment.model_dump_json() if assessment_json is None else assessment_json
    if response is None and output == "json":
        response = assessment_text
    elif response is None and response_json is not None:
        response = response_json
    return AuditEntry(
        case_id=case.id, case_json=case_json, case_sha256=_sha256(case_json), assessment_json=assessment_text,
        micromets_version=assessment.micromets_version, ruleset_version=assessment.ruleset_version,
        model_version=assessment.prognosis.model_version if assessment.prognosis else None,
        source=source, actor=_clean_actor(actor), output=output,
        response_sha256=None if response is None else _sha256(response), response_json=response_json,
        reassessed_from=reassessed_from)


class AssessmentSummary(BaseModel):
    """A record without its payloads (what ``GET /api/assessments`` lists)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(description="Row id, increasing in insertion order, never reused.")
    created_at: dt.datetime = Field(description="When the store recorded it (UTC).")
    case_id: str | None
    case_sha256: str = Field(description="SHA-256 of the canonical case JSON.")
    micromets_version: str
    ruleset_version: str
    model_version: str | None = Field(description="PREDICT version used; null when no prognosis was run.")
    source: Source = Field(description="The interface that returned it.")
    actor: str | None = Field(None, description="Who asked (e.g. 'token:12 alice', 'web-session', 'cli').")
    request_id: str | None = Field(None, description="Shared by the rows recorded for one response.")
    output: Output | None = Field(None, description="What was returned (null on rows from before 0.2).")
    response_sha256: str | None = Field(None, description="SHA-256 of the exact response body.")
    reassessed_from: int | None = Field(None, description="The row this one re-assessed.")


class StoredAssessment(AssessmentSummary):
    """A full record: the metadata, the case and the assessment, both as JSON objects."""

    case: dict[str, Any] = Field(description="The case as recorded (canonical form).")
    assessment: dict[str, Any] = Field(description="The assessment as made.")
    response: dict[str, Any] | list[Any] | None = Field(
        None, description="The JSON body returned when it was not the assessment itself (what-if, "
                          "re-assessment, CDS Hooks cards).")

    def summary(self) -> AssessmentSummary:
        return AssessmentSummary.model_validate(self.model_dump(exclude={"case", "assessment", "response"}))

    def to_case(self) -> Case:
        return Case.model_validate(self.case)

    def to_assessment(self) -> Assessment:
        return Assessment.model_validate(self.assessment)


class AuditEvent(BaseModel):
    """An audited action that is not an assessment: a purge, or feedback from a CDS Hooks client."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    created_at: dt.datetime
    actor: str | None
    action: str
    detail: dict[str, Any]


class PurgeResult(BaseModel):
    """What a purge deleted, as recorded in its audit event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: int = Field(description="The audit event recording this purge.")
    before: dt.datetime = Field(description="Records created before this instant were deleted.")
    deleted: int
    first_id: int | None = None
    last_id: int | None = None
    oldest: dt.datetime | None = None
    newest: dt.datetime | None = None


def _summary_values(row: Any) -> dict[str, Any]:
    return {"id": row.id, "created_at": row.created_at, "case_id": row.case_id, "case_sha256": row.case_sha256,
            "micromets_version": row.micromets_version, "ruleset_version": row.ruleset_version,
            "model_version": row.model_version, "source": row.source, "actor": row.actor,
            "request_id": row.request_id, "output": row.output, "response_sha256": row.response_sha256,
            "reassessed_from": row.reassessed_from}


def _stored(row: Any) -> StoredAssessment:
    return StoredAssessment(**_summary_values(row), case=json.loads(row.case_json),
                            assessment=json.loads(row.assessment_json),
                            response=None if row.response_json is None else json.loads(row.response_json))


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_Group = tuple[list[dict[str, Any]], "Future[list[int]]"]


class _WriteGate:
    """Serialises the writers of several processes on one SQLite file with a blocking ``flock`` on a lock file.

    SQLite makes a writer that finds the file locked sleep and retry with a growing back-off (up to 100 ms a
    time); with several worker processes those sleeps become the tail latency. A kernel lock wakes the next
    writer the moment the previous one commits. Elsewhere (PostgreSQL, memory, no ``fcntl``) it does nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._fd: int | None = None
        self._pid = os.getpid()

    @classmethod
    def for_database(cls, database: str | None) -> _WriteGate:
        usable = fcntl is not None and database not in (None, "", ":memory:") and not str(database).startswith("file:")
        return cls(Path(f"{database}.write-lock") if usable else None)

    def __enter__(self) -> None:
        if self._path is None or fcntl is None:
            return
        if self._fd is None or self._pid != os.getpid():
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


class _Writer:
    """Group commit: requests queue their rows; one thread inserts everything queued in one
    transaction, commits, then hands each request its row ids (or the error)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._lock = threading.Lock()
        # A C-level queue: no Python-level condition variable on the request path.
        self._queue: queue.SimpleQueue[_Group | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, rows: list[dict[str, Any]]) -> Future[list[int]]:
        if self._pid != os.getpid():  # a forked worker: the parent's thread and connections are not ours
            self._store._engine.dispose(close=False)
            self._reset()
        future: Future[list[int]] = Future()
        with self._lock:
            if self._closed:
                raise StoreError(f"the audit store at {self._store.url} is closed")
            self._queue.put((rows, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="micromets-store-writer", daemon=True)
                self._thread.start()
        return future

    def _run(self) -> None:
        closing = False
        while not closing:
            first = self._queue.get()
            if first is None:
                return
            groups, count = [first], len(first[0])
            while count < _MAX_GROUP_ROWS:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    closing = True
                    break
                groups.append(more)
                count += len(more[0])
            self._commit(groups)

    def _commit(self, groups: list[_Group]) -> None:
        rows = [row for group, _ in groups for row in group]
        try:
            ids = self._store._insert(rows)
        except BaseException as exc:  # every waiting request must hear of it
            error = exc if isinstance(exc, StoreError) else StoreError(
                f"cannot write to the audit store at {self._store.url}: {exc}")
            for _, future in groups:
                future.set_exception(error)
            return
        start = 0
        for group, future in groups:
            future.set_result(ids[start:start + len(group)])
            start += len(group)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)  # after everything queued before it
            thread = self._thread
        if thread is not None and self._pid == os.getpid():
            thread.join()


class Store:
    """The audit store at ``url`` (default: ``$MICROMETS_DB_URL``, else a SQLite file in the user's
    data directory). The schema is created or upgraded when it opens (Alembic). Thread-safe; use one
    ``Store`` per process.

    ``Store("postgresql+psycopg://user@host/micromets")`` for PostgreSQL. ``retention_days``: records
    older than that many days are purged when the store opens and then daily (default: kept).
    Every database failure is raised as ``StoreError``.
    """

    def __init__(self, url: str | None = None, *, clock: Callable[[], dt.datetime] = _utc_now,
                 retention_days: int | None = None) -> None:
        from micromets.store.migrate import upgrade

        self._url = url or default_url()
        self._clock = clock
        if retention_days is not None and retention_days < 1:
            raise ValueError(f"retention_days must be at least 1; got {retention_days}")
        self._retention_days = retention_days
        self._next_retention = dt.datetime.min.replace(tzinfo=dt.UTC)
        parsed = make_url(self._url)
        self._display_url = parsed.render_as_string(hide_password=True)
        # An in-memory SQLite database is one connection: every use of it is serialised.
        memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
        self._lock: threading.Lock | None = threading.Lock() if memory else None
        try:
            self._engine = make_engine(self._url)
            upgrade(self._engine)
        except (SQLAlchemyError, ImportError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot open the audit store at {self._display_url}: {exc}") from exc
        self._writer = _Writer(self)
        self._write_gate = _WriteGate.for_database(parsed.database if parsed.get_backend_name() == "sqlite" else None)
        self.apply_retention()

    @classmethod
    def in_memory(cls) -> Store:
        """A private in-memory SQLite store (for tests; gone when closed)."""
        return cls("sqlite://")

    @property
    def url(self) -> str:
        """The database URL with any password masked."""
        return self._display_url

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    @contextmanager
    def _connection(self, *, write: bool = False) -> Iterator[Connection]:
        """A connection in a transaction (under the lock of an in-memory database)."""
        if self._lock is not None:
            self._lock.acquire()
        try:
            with self._engine.connect().execution_options(sqlite_immediate=write) as connection, \
                    connection.begin():
                yield connection
        finally:
            if self._lock is not None:
                self._lock.release()

    # -- writing ---------------------------------------------------------------------------------

    def _rows(self, entries: Sequence[AuditEntry]) -> list[dict[str, Any]]:
        if not entries:
            raise ValueError("nothing to record")
        created_at = self._clock()
        if created_at.tzinfo is None:
            raise ValueError("the store clock must return timezone-aware datetimes")
        created_at = created_at.astimezone(dt.UTC)
        request_id = uuid.uuid4().hex
        return [e.values(created_at, request_id) for e in entries]

    def submit(self, entries: Sequence[AuditEntry]) -> Future[list[int]]:
        """Queue ``entries`` (the records of one response) to be committed together; the future gives
        their row ids once committed, or raises ``StoreError``. Async callers await
        ``asyncio.wrap_future(store.submit(...))``."""
        return self._writer.submit(self._rows(entries))

    def record_entries(self, entries: Sequence[AuditEntry]) -> list[int]:
        """Record ``entries`` in one transaction and return their row ids once committed."""
        return self.submit(entries).result()

    def record(self, case: Case, assessment: Assessment, *, source: Source, actor: str | None = None,
               output: Output = "json", response: bytes | str | None = None,
               response_json: str | None = None, reassessed_from: int | None = None) -> StoredAssessment:
        """Record one assessment (see ``entry`` for the arguments) and return the committed record."""
        prepared = entry(case, assessment, source=source, actor=actor, output=output, response=response,
                         response_json=response_json, reassessed_from=reassessed_from)
        row_id = self.record_entries([prepared])[0]
        found = self.get(row_id)
        assert found is not None
        return found

    def _insert(self, rows: list[dict[str, Any]]) -> list[int]:
        statement = insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True)
        try:
            with self._write_gate, self._connection(write=True) as connection:
                ids = list(connection.execute(statement, rows).scalars())
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the audit store at {self._display_url}: {exc}") from exc
        self._maybe_retention()
        return ids

    # -- reading ---------------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self._connection() as connection:
                yield connection
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the audit store at {self._display_url}: {exc}") from exc

    def get(self, row_id: int) -> StoredAssessment | None:
        """The record with this row id, or ``None``."""
        if not 1 <= row_id <= MAX_ROW_ID:
            return None
        with self._reading() as connection:
            row = connection.execute(select(_TABLE).where(_TABLE.c.id == row_id)).first()
            return None if row is None else _stored(row)

    def list(self, case_id: str | None = None, limit: int = 50) -> builtins.list[StoredAssessment]:
        """The newest records first, at most ``limit`` (1 to 1,000), of one case when ``case_id`` is given."""
        if not 1 <= limit <= MAX_LIST_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIST_LIMIT}; got {limit}")
        query = select(_TABLE).order_by(_TABLE.c.id.desc()).limit(limit)
        if case_id is not None:
            query = query.where(_TABLE.c.case_id == case_id)
        with self._reading() as connection:
            return [_stored(row) for row in connection.execute(query)]

    def latest_for_case(self, case_sha256: str) -> StoredAssessment | None:
        """The newest record of the case whose canonical JSON has this SHA-256 (hex), or ``None``."""
        if len(case_sha256) != 64 or any(c not in "0123456789abcdef" for c in case_sha256):
            return None
        query = select(_TABLE).where(_TABLE.c.case_sha256 == case_sha256).order_by(_TABLE.c.id.desc()).limit(1)
        with self._reading() as connection:
            row = connection.execute(query).first()
            return None if row is None else _stored(row)

    def export(self, since: dt.datetime | None = None) -> Iterator[StoredAssessment]:
        """Every record (created at or after ``since``), oldest first, read in chunks."""
        last = 0
        while True:
            query = select(_TABLE).where(_TABLE.c.id > last).order_by(_TABLE.c.id).limit(500)
            if since is not None:
                query = query.where(_TABLE.c.created_at >= _aware(since))
            with self._reading() as connection:
                chunk = [_stored(row) for row in connection.execute(query)]
            if not chunk:
                return
            yield from chunk
            last = chunk[-1].id

    def events(self) -> builtins.list[AuditEvent]:
        """The store's own audit events (purges, CDS Hooks feedback), oldest first."""
        with self._reading() as connection:
            rows = connection.execute(select(_EVENTS).order_by(_EVENTS.c.id)).all()
        return [AuditEvent(id=r.id, created_at=r.created_at, actor=r.actor, action=r.action,
                           detail=json.loads(r.detail_json)) for r in rows]

    def record_event(self, action: str, *, actor: str | None, detail: dict[str, Any]) -> int:
        """Append an audit event that is not an assessment (e.g. ``cds-feedback``); returns its id."""
        if not 0 < len(action) <= 30:
            raise ValueError("an audit event action has 1 to 30 characters")
        try:
            with self._connection(write=True) as connection:
                event_id: int = connection.execute(
                    insert(_EVENTS).returning(_EVENTS.c.id),
                    {"created_at": self._clock().astimezone(dt.UTC), "actor": _clean_actor(actor), "action": action,
                     "detail_json": json.dumps(detail, sort_keys=True, ensure_ascii=False)}).scalar_one()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the audit store at {self._display_url}: {exc}") from exc
        return event_id

    # -- retention -------------------------------------------------------------------------------

    def purge(self, before: dt.datetime, *, actor: str | None) -> PurgeResult:
        """Delete the records created before ``before`` (not in the future) and record an audit event
        (who, when, how many, which ids and dates) that cannot be deleted.

        The append-only triggers let a row go only while a ``purge_guard`` row covering it exists;
        the guard is inserted and removed inside this one transaction, so it is never visible."""
        before = _aware(before)
        now = self._clock().astimezone(dt.UTC)
        if before > now:
            raise ValueError(f"cannot purge records of the future (before {before.isoformat()})")
        table = _TABLE
        try:
            with self._connection(write=True) as connection:
                connection.execute(insert(_GUARD), {"id": 1, "before": before})
                gone = connection.execute(delete(table).where(table.c.created_at < before)
                                          .returning(table.c.id, table.c.created_at)).all()
                connection.execute(delete(_GUARD))
                ids = [row[0] for row in gone]
                stamps = [row[1] for row in gone]
                detail = {"before": before.isoformat(), "deleted": len(gone),
                          "first_id": min(ids, default=None), "last_id": max(ids, default=None),
                          "oldest": min(stamps).isoformat() if stamps else None,
                          "newest": max(stamps).isoformat() if stamps else None}
                event_id = connection.execute(
                    insert(_EVENTS).returning(_EVENTS.c.id),
                    {"created_at": now, "actor": _clean_actor(actor), "action": "purge",
                     "detail_json": json.dumps(detail, sort_keys=True)}).scalar_one()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot purge the audit store at {self._display_url}: {exc}") from exc
        _log.info("audit store purge: %d records before %s deleted (event %d)", len(gone), before, event_id)
        return PurgeResult(event_id=event_id, before=before, deleted=len(gone), first_id=detail["first_id"],
                           last_id=detail["last_id"], oldest=min(stamps) if stamps else None,
                           newest=max(stamps) if stamps else None)

    def apply_retention(self) -> PurgeResult | None:
        """Purge records older than ``retention_days`` (actor ``retention``), when set and any expired."""
        if self._retention_days is None:
            return None
        now = self._clock().astimezone(dt.UTC)
        self._next_retention = now + dt.timedelta(days=1)
        before = now - dt.timedelta(days=self._retention_days)
        with self._reading() as connection:
            expired = connection.scalar(select(exists().where(_TABLE.c.created_at < before)))
        return self.purge(before, actor="retention") if expired else None

    def _maybe_retention(self) -> None:
        if self._retention_days is not None and self._clock() >= self._next_retention:
            try:
                self.apply_retention()
            except StoreError as exc:  # a failed purge must not fail the write that triggered it
                _log.error("audit store retention purge failed: %s", exc)

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        """Commit what is queued, then release the connections (an in-memory store is gone afterwards)."""
        self._writer.close()
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._display_url!r})"


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("dates must be timezone-aware (e.g. 2026-01-01T00:00:00+00:00)")
    return moment.astimezone(dt.UTC)
