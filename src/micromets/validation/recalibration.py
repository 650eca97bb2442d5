"""``micromets recalibrate``: fit a local intercept and slope, cross-validated, into a calibration profile.

The recalibration model is ``log H(h) = intercept + slope * log(-log S(h))``: the slope from a Cox regression
of death (time truncated at the horizon) on log(-log S(h)), the intercept the log Breslow baseline cumulative
hazard at h for that uncentred covariate (van Houwelingen, Stat Med 2000;19:3401-15). The figures "after" are
out-of-fold: each fold is recalibrated with the fit on the other folds, so they are not optimistic.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> s = rng.uniform(0.5, 0.95, 4000)               # predicted 5-year OS
    >>> true_h = 2.0 * -np.log(s)                      # twice the predicted hazard (O/E well above 1)
    >>> t = rng.exponential(5.0 / true_h); e = (t <= 8).astype(float); t = np.minimum(t, 8)
    >>> fit = fit_recalibration(s, t, e, 5)
    >>> round(fit[0], 1), round(fit[1], 1)             # intercept log 2, slope 1
    (0.7, 1.0)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from numpy.typing import NDArray

from micromets.prognosis.calibration import CalibrationProfile, CohortProvenance
from micromets.validation.cohorts import SurvivalCohort, ValidationDataError
from micromets.validation.metrics import calibration_fit, point_metrics, predicted_survival

__all__ = ["cross_validate", "fit_profile", "fit_recalibration"]

Array = NDArray[np.float64]


def fit_recalibration(survival_h: Array, time: Array, event: Array, horizon: int) -> tuple[float, float]:
    """(intercept, slope) of the recalibration at ``horizon``."""
    intercept, slope, _ = calibration_fit(survival_h, time, event, horizon)
    if not np.isfinite(intercept) or not slope > 0:
        raise ValidationDataError(f"cannot recalibrate: no deaths by {horizon} years, or a non-positive slope "
                                  f"({slope:.3f})")
    return intercept, slope


def _transform(survival_h: Array, intercept: float, slope: float) -> Array:
    s = np.clip(survival_h, 1e-12, 1 - 1e-12)
    return np.asarray(np.exp(-np.exp(intercept + slope * np.log(-np.log(s)))))


def _summary(metrics: dict[str, float]) -> dict[str, float]:
    return {k: round(float(metrics[k]), 6) for k in ("oe", "calibration_slope", "calibration_in_the_large",
                                                     "c_index", "brier")}


def cross_validate(survival_h: Array, time: Array, event: Array, horizon: int, *, folds: int = 5,
                   seed: int = 2026) -> dict[str, Any]:
    """Metrics before and after recalibration, the "after" ones from out-of-fold recalibrated predictions."""
    if folds < 2:
        raise ValidationDataError("cross-validation needs at least 2 folds")
    rng = np.random.default_rng(seed)
    assignment = rng.permutation(time.size) % folds
    recalibrated = np.empty_like(survival_h)
    fold_fits = []
    for k in range(folds):
        train, test = assignment != k, assignment == k
        intercept, slope = fit_recalibration(survival_h[train], time[train], event[train], horizon)
        recalibrated[test] = _transform(survival_h[test], intercept, slope)
        fold_fits.append({"intercept": round(intercept, 6), "slope": round(slope, 6)})
    return {
        "folds": folds,
        "seed": seed,
        "before": _summary(point_metrics(survival_h, time, event, horizon)),
        "after": _summary(point_metrics(recalibrated, time, event, horizon)),
        "fold_fits": fold_fits,
    }


def fit_profile(cohort: SurvivalCohort, version: str, horizon: int, *, folds: int = 5, seed: int = 2026,
                created: dt.date | None = None, micromets_version: str = "") -> CalibrationProfile:
    """Fit the profile on the whole cohort; its ``cross_validation`` holds the before/after figures."""
    if not 1 <= horizon <= 15:
        raise ValidationDataError(f"horizon must be 1-15 years; got {horizon}")
    if float(np.max(cohort.time_years)) < horizon:
        raise ValidationDataError(f"follow-up ends at {float(np.max(cohort.time_years)):.1f} years: cannot "
                                  f"recalibrate at {horizon} years")
    survival_h = predicted_survival(cohort, version)[:, horizon - 1]
    intercept, slope = fit_recalibration(survival_h, cohort.time_years, cohort.event, horizon)
    provenance = CohortProvenance(
        name=cohort.name, n=cohort.n, events=int(cohort.event.sum()), source=cohort.source,
        diagnosis_period=cohort.diagnosis_period,
        follow_up_max_years=round(float(np.max(cohort.time_years)), 3))
    return CalibrationProfile(
        prognosis_version=version, horizon_years=horizon, intercept=round(intercept, 10), slope=round(slope, 10),
        cohort=provenance, created=(created or dt.date.today()).isoformat(), micromets_version=micromets_version,
        cross_validation=cross_validate(survival_h, cohort.time_years, cohort.event, horizon, folds=folds,
                                        seed=seed))
