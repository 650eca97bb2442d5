"""The audit store: every assessment returned, with its case, who asked and what was returned;
append-only except for an audited purge (SQLite or PostgreSQL, Alembic migrations).

See ``docs/store.md``. The store holds patient data.

    >>> with Store.in_memory() as store:
    ...     store.list()
    []
"""

from micromets.store.db import ENV_VAR, OUTPUTS, SOURCES, default_path, default_url
from micromets.store.repository import (
    MAX_LIST_LIMIT,
    MAX_ROW_ID,
    AssessmentSummary,
    AuditEntry,
    AuditEvent,
    Output,
    PurgeResult,
    Source,
    Store,
    StoredAssessment,
    StoreError,
    canonical_case_json,
    case_sha256,
    entry,
)

__all__ = [
    "ENV_VAR",
    "MAX_LIST_LIMIT",
    "MAX_ROW_ID",
    "OUTPUTS",
    "SOURCES",
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
    "default_path",
    "default_url",
    "entry",
]
