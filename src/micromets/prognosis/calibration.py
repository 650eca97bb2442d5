"""Calibration profiles: a local intercept and slope for PREDICT's overall survival, and their application.

A profile is fitted by ``micromets recalibrate`` (:mod:`micromets.validation.recalibration`) on a cohort with
outcomes. It maps a predicted overall survival ``S`` on the complementary log-log scale,

    S_recalibrated = exp(-exp(intercept + slope * log(-log S)))

the form of a Cox model with ``log(-log S)`` as its only covariate (van Houwelingen, Stat Med 2000;
Steyerberg, Clinical Prediction Models, 2019, ch. 20). ``intercept = 0, slope = 1`` leaves ``S`` unchanged.
The same transform is applied at every year of a curve; it was fitted at ``horizon_years`` only.

    >>> p = CalibrationProfile(prognosis_version="3.0", horizon_years=5, intercept=0.0, slope=1.0,
    ...     cohort=CohortProvenance(name="x", n=100, events=20))
    >>> round(float(recalibrate_survival([0.8], p)[0]), 12)
    0.8
    >>> p2 = p.model_copy(update={"intercept": 0.5})
    >>> round(float(recalibrate_survival([0.8], p2)[0]), 4)   # more deaths: exp(0.5) x the cumulative hazard
    0.6922
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from micromets.errors import MicrometsError
from micromets.model import Assessment, Prognosis, SurvivalSeries
from micromets.model.assessment import RecalibratedSurvival

__all__ = [
    "PROFILE_FORMAT",
    "CalibrationProfile",
    "CalibrationProfileError",
    "CohortProvenance",
    "apply_profile",
    "apply_to_assessment",
    "load_profile",
    "recalibrate_survival",
    "scope_warning",
]

PROFILE_FORMAT = "micromets-calibration-profile/1"
# Survival is kept away from 0 and 1 so that log(-log S) stays finite; 1e-12 is far below any reported digit.
_EPS = 1e-12


class CalibrationProfileError(MicrometsError, ValueError):
    """A calibration profile file that cannot be read or does not fit the run."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CohortProvenance(_Strict):
    """Where a profile comes from: the cohort it was fitted on."""

    name: str
    n: int = Field(ge=1)
    events: int = Field(ge=0)
    source: str = ""
    diagnosis_period: str = Field("", description="Years of diagnosis of the cohort, e.g. '1978-1993'.")
    follow_up_max_years: float | None = None


class CalibrationProfile(_Strict):
    """Intercept and slope on the log(-log S) scale for one PREDICT version, fitted at one horizon."""

    format: Literal["micromets-calibration-profile/1"] = "micromets-calibration-profile/1"
    prognosis_version: str
    horizon_years: int = Field(ge=1, le=15)
    intercept: float
    slope: float = Field(gt=0)
    method: str = "Cox regression of all-cause death (time truncated at the horizon) on log(-log predicted OS)"
    outcome: str = "overall survival (all-cause death)"
    cohort: CohortProvenance
    created: str = ""
    micromets_version: str = ""
    cross_validation: dict[str, object] = Field(default_factory=dict)


def recalibrate_survival(survival: ArrayLike, profile: CalibrationProfile) -> np.ndarray:
    """The recalibrated survival of any array of predicted survival fractions (same shape)."""
    s = np.clip(np.asarray(survival, dtype=np.float64), _EPS, 1.0 - _EPS)
    return np.asarray(np.exp(-np.exp(profile.intercept + profile.slope * np.log(-np.log(s)))))


def scope_warning(profile: CalibrationProfile) -> str:
    """The warning every recalibrated report carries."""
    c = profile.cohort
    period = f", diagnosed {c.diagnosis_period}" if c.diagnosis_period else ""
    return (f"Overall survival recalibrated with a local profile fitted on {c.name} (n={c.n}, {c.events} deaths"
            f"{period}) at {profile.horizon_years} years (intercept {profile.intercept:+.3f}, slope "
            f"{profile.slope:.3f}); the original PREDICT v{profile.prognosis_version} figures are shown beside it. "
            "A calibration profile holds only for the population it was fitted on: do not use it for patients "
            "from another population, era or treatment practice.")


def load_profile(path: Path, prognosis_version: str | None = None) -> CalibrationProfile:
    """Read and check a profile file; with ``prognosis_version``, the profile must be for that version."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalibrationProfileError(f"cannot read calibration profile {path}: {exc}") from None
    try:
        profile = CalibrationProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(profile)"
        raise CalibrationProfileError(f"{path} is not a calibration profile: {where}: {first['msg']}") from None
    if prognosis_version is not None and profile.prognosis_version != prognosis_version:
        raise CalibrationProfileError(
            f"{path} was fitted for PREDICT v{profile.prognosis_version}, not v{prognosis_version}: run with "
            f"--prognosis-version {profile.prognosis_version} or fit a profile for v{prognosis_version}")
    return profile


def _rounded(values: ArrayLike) -> list[float]:
    # The rounding of micromets.prognosis.case_adapter (1e-10): stable JSON, far below any reported digit.
    return [round(float(v), 10) for v in np.asarray(values)]


def apply_profile(prognosis: Prognosis, profile: CalibrationProfile) -> Prognosis:
    """The prognosis with ``recalibrated`` filled; PREDICT's own figures are left as they are.

    Only overall survival is recalibrated (the profile was fitted on all-cause deaths); the breast-cancer and
    other-cause split and the treatment benefits stay PREDICT's.
    """
    if prognosis.model_version != profile.prognosis_version:
        raise CalibrationProfileError(
            f"the profile was fitted for PREDICT v{profile.prognosis_version}, the prognosis is "
            f"v{prognosis.model_version}")
    os_ = prognosis.overall_survival
    recalibrated = RecalibratedSurvival(
        cohort=profile.cohort.name,
        horizon_years=profile.horizon_years,
        intercept=profile.intercept,
        slope=profile.slope,
        overall_survival=SurvivalSeries(
            surgery_only=_rounded(recalibrate_survival(os_.surgery_only, profile)),
            with_treatments=_rounded(recalibrate_survival(os_.with_treatments, profile)),
        ),
        curves={name: _rounded(recalibrate_survival(curve, profile)) for name, curve in prognosis.curves.items()},
        warning=scope_warning(profile),
    )
    return prognosis.model_copy(update={"recalibrated": recalibrated})


def apply_to_assessment(assessment: Assessment, profile: CalibrationProfile) -> Assessment:
    """The assessment with recalibrated overall survival beside PREDICT's and the profile's scope warning."""
    if assessment.prognosis is None:
        note = "calibration profile not applied: no PREDICT prognosis was computed for this case"
        return assessment.model_copy(update={"warnings": [*assessment.warnings, note]})
    return assessment.model_copy(update={"prognosis": apply_profile(assessment.prognosis, profile),
                                         "warnings": [*assessment.warnings, scope_warning(profile)]})
