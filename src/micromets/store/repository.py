"""The audit store: record an assessment with its case, read records back. Append-only.

There is no update or delete: a record, once written, is what was shown to the clinician. The store
sets ``created_at`` (UTC); that is the only clock micromets reads, and it is outside the pure
``Case -> Assessment`` core.

    >>> from micromets.assess import assess
    >>> from micromets.model import parse_case
    >>> case = parse_case({"id": "p-1", "tumour": {"size_mm": 8}, "metastasis": "cM0"})
    >>> with Store.in_memory() as store:
    ...     row = store.record(case, assess(case), source="cli")
    ...     [r.case_id for r in store.list(case_id="p-1")], store.get(row.id).to_assessment().staging.t
    (['p-1'], 'cT1b')
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from micromets.errors import MicrometsError
from micromets.model import Assessment, Case
from micromets.store.db import SOURCES, AssessmentRow, create_schema, default_url, make_engine

__all__ = [
    "MAX_LIST_LIMIT",
    "MAX_ROW_ID",
    "AssessmentSummary",
    "Source",
    "Store",
    "StoreError",
    "StoredAssessment",
    "canonical_case_json",
    "case_sha256",
]

Source = Literal["api", "web", "cli", "cds-hooks"]
assert get_args(Source) == SOURCES
#: The largest row id (64-bit signed); larger ids cannot exist.
MAX_ROW_ID = 2**63 - 1
#: The most rows one ``list`` call returns.
MAX_LIST_LIMIT = 1000


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


def case_sha256(case: Case) -> str:
    """SHA-256 (hex) of ``canonical_case_json(case)`` encoded as UTF-8.

    >>> len(case_sha256(Case()))
    64
    """
    return hashlib.sha256(canonical_case_json(case).encode("utf-8")).hexdigest()


class AssessmentSummary(BaseModel):
    """A record without its payloads (what ``GET /api/assessments`` lists)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(description="Row id, increasing in insertion order.")
    created_at: dt.datetime = Field(description="When the store recorded it (UTC).")
    case_id: str | None
    case_sha256: str = Field(description="SHA-256 of the canonical case JSON.")
    micromets_version: str
    ruleset_version: str
    model_version: str | None = Field(description="PREDICT version used; null when no prognosis was run.")
    source: Source


class StoredAssessment(AssessmentSummary):
    """A full record: the metadata, the case and the assessment, both as JSON objects."""

    case: dict[str, Any] = Field(description="The case as recorded (canonical form).")
    assessment: dict[str, Any] = Field(description="The assessment as returned.")

    def summary(self) -> AssessmentSummary:
        return AssessmentSummary.model_validate(self.model_dump(exclude={"case", "assessment"}))

    def to_case(self) -> Case:
        return Case.model_validate(self.case)

    def to_assessment(self) -> Assessment:
        return Assessment.model_validate(self.assessment)


def _stored(row: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(
        id=row.id, created_at=row.created_at, case_id=row.case_id, case_sha256=row.case_sha256,
        micromets_version=row.micromets_version, ruleset_version=row.ruleset_version,
        model_version=row.model_version, source=row.source,
        case=json.loads(row.case_json), assessment=json.loads(row.assessment_json),
    )


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """The audit store at ``url`` (default: ``$MICROMETS_DB_URL``, else a SQLite file in the user's
    data directory). Tables are created on first use. Thread-safe; use one ``Store`` per process.

    ``Store("postgresql+psycopg://user@host/micromets")`` works once a driver is installed.
    Every database failure is raised as ``StoreError``.
    """

    def __init__(self, url: str | None = None, *, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._url = url or default_url()
        self._clock = clock
        parsed = make_url(self._url)
        self._display_url = parsed.render_as_string(hide_password=True)
        # SQLite allows one writer at a time: serialise in-process so threads queue instead of timing out.
        self._lock: threading.Lock | None = threading.Lock() if parsed.get_backend_name() == "sqlite" else None
        try:
            self._engine = make_engine(self._url)
            create_schema(self._engine)
        except (SQLAlchemyError, ImportError, OSError, RuntimeError) as exc:
            raise StoreError(f"cannot open the audit store at {self._display_url}: {exc}") from exc

    @classmethod
    def in_memory(cls) -> Store:
        """A private in-memory SQLite store (for tests; gone when closed)."""
        return cls("sqlite://")

    @property
    def url(self) -> str:
        """The database URL with any password masked."""
        return self._display_url

    def record(self, case: Case, assessment: Assessment, *, source: Source) -> StoredAssessment:
        """Append one record: ``case``, the ``assessment`` made from it, and where it came from."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}; got {source!r}")
        if assessment.id != case.id:
            raise ValueError(f"assessment id {assessment.id!r} is not the case id {case.id!r}")
        created_at = self._clock()
        if created_at.tzinfo is None:
            raise ValueError("the store clock must return timezone-aware datetimes")
        case_json = canonical_case_json(case)
        row = AssessmentRow(
            created_at=created_at.astimezone(dt.UTC), case_id=case.id,
            case_sha256=hashlib.sha256(case_json.encode("utf-8")).hexdigest(),
            micromets_version=assessment.micromets_version, ruleset_version=assessment.ruleset_version,
            model_version=assessment.prognosis.model_version if assessment.prognosis else None,
            source=source, case_json=case_json, assessment_json=assessment.model_dump_json(),
        )
        try:
            if self._lock is None:
                return self._insert(row)
            with self._lock:
                return self._insert(row)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the audit store at {self._display_url}: {exc}") from exc

    def _insert(self, row: AssessmentRow) -> StoredAssessment:
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
            session.flush()
            return _stored(row)

    def get(self, row_id: int) -> StoredAssessment | None:
        """The record with this row id, or ``None``."""
        if not 1 <= row_id <= MAX_ROW_ID:
            return None
        with self._reading() as session:
            row = session.get(AssessmentRow, row_id)
            return None if row is None else _stored(row)

    def list(self, case_id: str | None = None, limit: int = 50) -> builtins.list[StoredAssessment]:
        """The newest records first, at most ``limit`` (1 to 1,000), of one case when ``case_id`` is given."""
        if not 1 <= limit <= MAX_LIST_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIST_LIMIT}; got {limit}")
        query = select(AssessmentRow).order_by(AssessmentRow.id.desc()).limit(limit)
        if case_id is not None:
            query = query.where(AssessmentRow.case_id == case_id)
        with self._reading() as session:
            return [_stored(row) for row in session.scalars(query)]

    def _reading(self) -> _ReadSession:
        return _ReadSession(self)

    def close(self) -> None:
        """Release the connections (an in-memory store is gone afterwards)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._display_url!r})"


class _ReadSession:
    """A read session (under the store's lock, if any) that turns database errors into ``StoreError``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._session = Session(store._engine)

    def __enter__(self) -> Session:
        if self._store._lock is not None:
            self._store._lock.acquire()
        return self._session

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            self._session.close()
        finally:
            if self._store._lock is not None:
                self._store._lock.release()
        if isinstance(error, SQLAlchemyError):
            raise StoreError(f"cannot read the audit store at {self._store.url}: {error}") from error
