"""Loading and validation of the PREDICT coefficient files.

The coefficients are data (``micromets/knowledge/predict/v*.json``), never literals in code.
Each file carries a provenance header ``{"model", "version", "source": [repo, commit, file],
"last_modified", "coefficients"}``; the ``coefficients`` block is validated by the pydantic
models below (unknown keys are rejected, every number must be finite).

Example:
    >>> from micromets.prognosis._coefficients import load_coefficients
    >>> load_coefficients("2.2").coefficients.treatment_log_hr.endocrine
    -0.3857
"""

from __future__ import annotations

import math
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from micromets.errors import KnowledgeError, UnknownVersionError
from micromets.knowledge import load_json

__all__ = ["PredictCoefficientFile", "load_coefficients"]

_FILES: dict[str, str] = {"2.2": "v2_2.json", "3.0": "v3_0.json"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _finite(cls, value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("coefficient must be finite")
        return value


class ErPositive(_Strict):
    """ER-positive breast-cancer model: fractional-polynomial terms and baseline."""

    age_inv_sq_beta: float
    age_inv_sq_centre: float
    age_inv_sq_log_beta: float
    age_inv_sq_log_centre: float
    size_log_beta: float
    size_log_offset: float
    nodes_log_beta: float
    nodes_log_offset: float
    grade_beta: float
    screen_beta: float
    ki67_positive: float
    ki67_negative: float
    baseline_intercept: float
    baseline_inv_sqrt_t: float
    baseline_log_t_over_sqrt_t: float


class ErNegative(_Strict):
    """ER-negative breast-cancer model terms and baseline."""

    age_linear_beta: float
    age_linear_centre: float
    size_sqrt_beta: float
    size_sqrt_offset: float
    nodes_log_beta: float
    nodes_log_offset: float
    grade_indicator_beta: float
    baseline_intercept: float
    baseline_inv_t_sq: float
    baseline_inv_t: float


class PositiveNegative(_Strict):
    """Log-hazard contribution of a positive / negative marker (unknown contributes 0)."""

    positive: float
    negative: float


class PrTerms(_Strict):
    """PR terms, specific to the ER group (v3.x)."""

    er_positive: PositiveNegative
    er_negative: PositiveNegative


class OtherCause(_Strict):
    """Other-cause (non-breast) mortality: age index and baseline cumulative hazard."""

    age_sq_beta: float
    age_sq_centre: float
    baseline_intercept: float
    baseline_log_t: float
    baseline_sqrt_t: float


class TreatmentLogHR(_Strict):
    """Treatment log hazard ratios on breast-cancer mortality."""

    endocrine: float
    extended_endocrine_addon: float
    extended_endocrine_from_year: int
    chemotherapy_generation_2: float
    chemotherapy_generation_3: float
    trastuzumab: float
    bisphosphonate: float


class Smoking(_Strict):
    """Smoking adjustment of other-cause mortality (v3.x)."""

    population_prevalence: float
    relative_risk: float
    smoking_related_fraction: float


class Radiotherapy(_Strict):
    """Radiotherapy terms (v3.x): baseline re-centring, breast benefit, heart-dose harm."""

    population_proportion_treated: float
    breast_relative_hazard: float
    other_relative_hazard_per_gy: float
    population_mean_heart_gy: float


class Coefficients(_Strict):
    """The ``coefficients`` block of a PREDICT coefficient file."""

    unknown_grade_value: float
    unknown_screen_value: float
    er_negative_grade_rule: Literal["equals_2_or_3", "at_least_2"]
    er_positive: ErPositive
    er_negative: ErNegative
    her2: PositiveNegative
    other_cause: OtherCause
    treatment_log_hr: TreatmentLogHR
    pr: PrTerms | None = None
    smoking: Smoking | None = None
    radiotherapy: Radiotherapy | None = None
    chemotherapy_other_relative_hazard: float | None = None


class PredictCoefficientFile(_Strict):
    """A whole coefficient file: provenance header plus coefficients."""

    model: Literal["PREDICT Breast"]
    version: str
    source: tuple[str, str, str]
    last_modified: str
    notes: tuple[str, ...] = ()
    coefficients: Coefficients

    @field_validator("source")
    @classmethod
    def _commit_is_sha(cls, value: tuple[str, str, str]) -> tuple[str, str, str]:
        commit = value[1]
        if len(commit) != 40 or any(ch not in "0123456789abcdef" for ch in commit):
            raise ValueError("source[1] must be a 40-hex-digit commit")
        return value


@cache
def load_coefficients(version: str) -> PredictCoefficientFile:
    """Load and validate the coefficient file of a PREDICT version (cached).

    Raises:
        UnknownVersionError: no file for that version (a ``ValueError``).
        KnowledgeError: malformed file, or a version header that does not match.
    """
    try:
        name = _FILES[version]
    except KeyError:
        raise UnknownVersionError(f"no coefficient file for PREDICT version {version!r}") from None
    try:
        parsed = PredictCoefficientFile.model_validate(load_json(f"predict/{name}"))
    except ValidationError as exc:
        raise KnowledgeError(f"predict/{name} is malformed: {exc}") from None
    if parsed.version != version:
        raise KnowledgeError(f"predict/{name} declares version {parsed.version!r}, expected {version!r}")
    return parsed
