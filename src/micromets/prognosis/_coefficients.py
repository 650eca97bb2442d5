"""Loading and validation of the PREDICT coefficient files.

The coefficients are data (``micromets/knowledge/predict/v*.json``), never literals in code.
Each file carries a provenance header ``{"model", "version", "source": [repo, commit, file],
"last_modified", "coefficients"}``; the ``coefficients`` block is validated by the pydantic
models below (unknown keys are rejected, every number must be finite).

v2.2 and v3.0 share one schema (:class:`Coefficients`); the refitted v3.1/v3.2 model has other
covariate transforms and terms and its own schema (:class:`RefitCoefficients`, loaded by
:func:`load_refit_coefficients`).

Example:
    >>> from micromets.prognosis._coefficients import load_coefficients, load_refit_coefficients
    >>> load_coefficients("2.2").coefficients.treatment_log_hr.endocrine
    -0.3857
    >>> load_refit_coefficients("3.2").coefficients.treatment_log_hr.extended_endocrine_addon
    -0.301
"""

from __future__ import annotations

import math
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from micromets.errors import KnowledgeError, UnknownVersionError
from micromets.knowledge import load_json

__all__ = [
    "PredictCoefficientFile",
    "RefitCoefficientFile",
    "RefitCoefficients",
    "load_coefficients",
    "load_refit_coefficients",
]

_FILES: dict[str, str] = {"2.2": "v2_2.json", "3.0": "v3_0.json"}
_REFIT_FILES: dict[str, str] = {"3.2": "v3_2.json"}


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


class _FileHeader(_Strict):
    """Provenance header of a coefficient file."""

    model: Literal["PREDICT Breast"]
    version: str
    source: tuple[str, str, str]
    last_modified: str
    notes: tuple[str, ...] = ()

    @field_validator("source")
    @classmethod
    def _commit_is_sha(cls, value: tuple[str, str, str]) -> tuple[str, str, str]:
        commit = value[1]
        if len(commit) != 40 or any(ch not in "0123456789abcdef" for ch in commit):
            raise ValueError("source[1] must be a 40-hex-digit commit")
        return value


class PredictCoefficientFile(_FileHeader):
    """A whole v2.2/v3.0 coefficient file: provenance header plus coefficients."""

    coefficients: Coefficients


# ---- refitted model (v3.1/v3.2: benefits31/benefits32, inst/extdata/coefficients_v3.csv) ----------


def _finite_series(value: tuple[float, ...]) -> tuple[float, ...]:
    if not all(math.isfinite(v) for v in value):
        raise ValueError("coefficient must be finite")
    return value


class RefitErPositive(_Strict):
    """ER-positive breast-cancer model of the refitted PREDICT (a' = age - age_origin, t in decades).

    PI = b1 (a'/100)^-0.5 + b2 (a'/100)^2 + b_s (1 - exp(-size/size_scale_mm)) + b_n ln(n+1)
    + b_g g + b_d d + b_y (calendar year - origin) + HER2(year) + Ki67 + PR + radiotherapy baseline.
    """

    age_inv_sqrt_beta: float
    age_sq_beta: float
    size_beta: float
    size_scale_mm: float
    nodes_log_beta: float
    grade_beta: float
    screen_beta: float
    calendar_year_beta: float
    her2_positive_by_year: tuple[float, ...]
    her2_negative_by_year: tuple[float, ...]
    ki67_positive: float
    ki67_negative: float
    pr_positive: float
    pr_negative: float
    radiotherapy_baseline: float
    baseline_intercept: float
    baseline_inv_sqrt_t: float
    baseline_log_t_over_sqrt_t: float

    @field_validator("her2_positive_by_year", "her2_negative_by_year")
    @classmethod
    def _fifteen_years(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) != 15:
            raise ValueError("a by-year HER2 term needs 15 values (years 1..15)")
        return _finite_series(value)


class RefitErNegative(_Strict):
    """ER-negative breast-cancer model of the refitted PREDICT.

    PI = b1 (a'/100) + b2 (a'/100) ln(a'/100) + b_s ln(size) + b_n ln(n+1) + b_g g + b_d d
    + b_y (calendar year - origin) + HER2 + PR + radiotherapy baseline.
    """

    age_linear_beta: float
    age_linear_log_beta: float
    size_log_beta: float
    nodes_log_beta: float
    grade_beta: float
    screen_beta: float
    calendar_year_beta: float
    her2_positive: float
    her2_negative: float
    pr_positive: float
    pr_negative: float
    radiotherapy_baseline: float
    baseline_intercept: float
    baseline_inv_t: float
    baseline_log_t_over_t: float


class RefitOtherCause(_Strict):
    """Other-cause model: MI = c1 (a'/100)^3 + c2 (a'/100)^3 ln(a'/100) + c_y (year - origin) + RT baseline."""

    age_cube_beta: float
    age_cube_log_beta: float
    calendar_year_beta: float
    radiotherapy_baseline: float
    baseline_intercept: float
    baseline_log_t: float
    baseline_t: float


class RefitRadiotherapy(_Strict):
    """Radiotherapy: breast benefit, heart-dose harm per Gy, population mean heart dose."""

    breast_relative_hazard: float
    other_relative_hazard_per_gy: float
    population_mean_heart_gy: float


class RefitCoefficients(_Strict):
    """The ``coefficients`` block of the refitted model (v3.2)."""

    age_origin: float
    minimum_age: float
    calendar_year: int
    calendar_year_origin: int
    time_scale_years: float
    unknown_grade_value: float
    unknown_screen_value: float
    er_positive: RefitErPositive
    er_negative: RefitErNegative
    other_cause: RefitOtherCause
    treatment_log_hr: TreatmentLogHR
    smoking: Smoking
    radiotherapy: RefitRadiotherapy
    chemotherapy_other_relative_hazard: float


class RefitCoefficientFile(_FileHeader):
    """A whole refitted-model coefficient file: provenance header plus coefficients."""

    coefficients: RefitCoefficients


def _load(version: str, name: str, schema: type[_FileHeader]) -> _FileHeader:
    try:
        parsed = schema.model_validate(load_json(f"predict/{name}"))
    except ValidationError as exc:
        raise KnowledgeError(f"predict/{name} is malformed: {exc}") from None
    if parsed.version != version:
        raise KnowledgeError(f"predict/{name} declares version {parsed.version!r}, expected {version!r}")
    return parsed


@cache
def load_coefficients(version: str) -> PredictCoefficientFile:
    """Load and validate the coefficient file of a v2.2/v3.0 PREDICT version (cached).

    Raises:
        UnknownVersionError: no file of this schema for that version (a ``ValueError``).
        KnowledgeError: malformed file, or a version header that does not match.
    """
    try:
        name = _FILES[version]
    except KeyError:
        hint = "; it uses the refitted schema (load_refit_coefficients)" if version in _REFIT_FILES else ""
        raise UnknownVersionError(f"no coefficient file for PREDICT version {version!r}{hint}") from None
    parsed = _load(version, name, PredictCoefficientFile)
    assert isinstance(parsed, PredictCoefficientFile)
    return parsed


@cache
def load_refit_coefficients(version: str) -> RefitCoefficientFile:
    """Load and validate the coefficient file of a refitted-model version (v3.2; cached).

    Raises:
        UnknownVersionError: no refitted-model file for that version (a ``ValueError``).
        KnowledgeError: malformed file, or a version header that does not match.
    """
    try:
        name = _REFIT_FILES[version]
    except KeyError:
        raise UnknownVersionError(f"no refitted-model coefficient file for PREDICT version {version!r}") from None
    parsed = _load(version, name, RefitCoefficientFile)
    assert isinstance(parsed, RefitCoefficientFile)
    return parsed
