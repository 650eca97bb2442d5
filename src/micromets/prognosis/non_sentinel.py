"""Observed rates of further (non-sentinel) nodal involvement by sentinel-node category.

This module deliberately computes **no** patient-specific probability: no non-sentinel-node
nomogram has a traceable, verified coefficient set, and the MSKCC nomogram performs close to
chance in micrometastases (AUC 0.538, Alran 2007). It returns the cited cohort rates from
``micromets/knowledge/non_sentinel_rates.json`` with their evidence ids and that statement.

Example:
    >>> info = non_sentinel_information("micrometastasis")
    >>> info.nomogram_applied, [r.evidence_id for r in info.rates][:1]
    (False, ['IBCSG-23-01'])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from micromets.errors import KnowledgeError
from micromets.knowledge import load_json

__all__ = ["SLN_CATEGORIES", "NonSentinelInformation", "NonSentinelRate", "non_sentinel_information"]

SlnCategory = Literal[
    "itc",
    "micrometastasis",
    "macrometastasis",
    "neoadjuvant_residual_itc",
    "neoadjuvant_residual_micrometastasis",
]
SLN_CATEGORIES: tuple[str, ...] = (
    "itc",
    "micrometastasis",
    "macrometastasis",
    "neoadjuvant_residual_itc",
    "neoadjuvant_residual_micrometastasis",
)


class NonSentinelRate(BaseModel):
    """One observed rate of further nodal involvement in a cited cohort (fraction 0..1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rate: float = Field(ge=0.0, le=1.0)
    approximate: bool
    uncertain: bool
    population: str
    evidence_id: str


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    rates: tuple[NonSentinelRate, ...] = Field(min_length=1)


class _Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    applied: Literal[False]
    statement: str
    evidence_ids: tuple[str, ...]


class _RatesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    domain: Literal["prognosis"]
    topic: Literal["non_sentinel_node_involvement"]
    last_modified: str
    nomogram_policy: _Policy
    categories: dict[str, _Category]


@dataclass(frozen=True, slots=True)
class NonSentinelInformation:
    """Information returned for one sentinel-node category."""

    category: str
    label: str
    rates: tuple[NonSentinelRate, ...]
    nomogram_applied: bool
    statement: str
    evidence_ids: tuple[str, ...]

    @property
    def range(self) -> tuple[float, float]:
        """(lowest, highest) cited rate."""
        values = [r.rate for r in self.rates]
        return min(values), max(values)


@cache
def _load() -> _RatesFile:
    try:
        data = _RatesFile.model_validate(load_json("non_sentinel_rates.json"))
    except ValidationError as exc:
        raise KnowledgeError(f"non_sentinel_rates.json is malformed: {exc}") from None
    missing = set(SLN_CATEGORIES) - set(data.categories)
    if missing:
        raise KnowledgeError(f"non_sentinel_rates.json lacks categories {sorted(missing)}")
    return data


def non_sentinel_information(category: SlnCategory | str) -> NonSentinelInformation:
    """Cited observed non-sentinel involvement rates for a sentinel-node category.

    Args:
        category: one of :data:`SLN_CATEGORIES` (``"itc"``, ``"micrometastasis"``,
            ``"macrometastasis"``, ``"neoadjuvant_residual_itc"``,
            ``"neoadjuvant_residual_micrometastasis"``).

    Raises:
        ValueError: unknown category.

    Example:
        >>> non_sentinel_information("itc").range
        (0.123, 0.123)
    """
    data = _load()
    if category not in SLN_CATEGORIES:
        raise ValueError(f"category must be one of {SLN_CATEGORIES}; got {category!r}")
    entry = data.categories[category]
    ids = tuple(dict.fromkeys([*(r.evidence_id for r in entry.rates), *data.nomogram_policy.evidence_ids]))
    return NonSentinelInformation(
        category=category,
        label=entry.label,
        rates=entry.rates,
        nomogram_applied=data.nomogram_policy.applied,
        statement=data.nomogram_policy.statement,
        evidence_ids=ids,
    )
