"""The evidence registry: every trial, guideline and model a rule cites, one record per id.

Records live in ``knowledge/evidence/*.json`` (one file per domain); ids are unique across files.

    >>> from micromets.knowledge.evidence import evidence_registry
    >>> evidence_registry()["IBCSG-23-01"].year
    2013
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from micromets.errors import KnowledgeError
from micromets.knowledge import load_json


class Evidence(BaseModel):
    """One citable source. ``verification``: V = checked against the source, M = from the literature as
    recalled, U = uncertain (shown to the clinician as such)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9.\-]*$")
    kind: Literal["trial", "guideline", "meta_analysis", "model", "paper", "consensus"]
    title: str
    citation: str
    year: int = Field(ge=1900, le=2100)
    key_figure: str
    url: str | None = None
    verification: Literal["V", "M", "U"]


class _EvidenceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    domain: str
    records: list[Evidence]


@cache
def evidence_registry() -> dict[str, Evidence]:
    """All evidence records by id; raises ``KnowledgeError`` on a duplicate id or a malformed record."""
    registry: dict[str, Evidence] = {}
    folder = resources.files("micromets.knowledge") / "evidence"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            parsed = _EvidenceFile.model_validate(load_json(f"evidence/{entry.name}"))
        except ValidationError as exc:
            raise KnowledgeError(f"evidence/{entry.name} is malformed: {exc}") from None
        for record in parsed.records:
            if record.id in registry:
                raise KnowledgeError(f"evidence id {record.id!r} is defined twice (second time in {entry.name})")
            registry[record.id] = record
    return registry


def unknown_evidence_ids(ids: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """The ids that do not resolve in the registry (empty when all resolve)."""
    registry = evidence_registry()
    return sorted({i for i in ids if i not in registry})
