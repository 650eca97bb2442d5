"""The audit store: every recorded assessment with its case, append-only (SQLite or PostgreSQL).

See ``docs/store.md``. The store holds patient data.

    >>> with Store.in_memory() as store:
    ...     store.list()
    []
"""

from micromets.store.db import ENV_VAR, SCHEMA_VERSION, default_path, default_url
from micromets.store.repository import (
    MAX_LIST_LIMIT,
    MAX_ROW_ID,
    AssessmentSummary,
    Source,
    Store,
    StoredAssessment,
    StoreError,
    canonical_case_json,
    case_sha256,
)

__all__ = [
    "ENV_VAR",
    "MAX_LIST_LIMIT",
    "MAX_ROW_ID",
    "SCHEMA_VERSION",
    "AssessmentSummary",
    "Source",
    "Store",
    "StoreError",
    "StoredAssessment",
    "canonical_case_json",
    "case_sha256",
    "default_path",
    "default_url",
]
