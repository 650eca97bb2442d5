"""Validation metrics of PREDICT's overall survival at fixed horizons, with seeded bootstrap intervals.

For each horizon h (whole years, 1-15) and each patient's predicted overall survival S(h) under her own
treatments:

* observed OS: Kaplan-Meier at h; O/E = (1 - KM(h)) / mean(1 - S(h)), 95 % CI from Greenwood's variance
  (expected taken as fixed; Debray et al., BMJ 2017;356:i6460) and by bootstrap;
* calibration slope: Cox regression of death (time truncated at h) on log(-log S(h)); calibration-in-the-large:
  log of the Breslow baseline cumulative hazard at h with that slope fixed at 1 (0 = calibrated, > 0 = more
  deaths than predicted) (van Houwelingen, Stat Med 2000;19:3401-15);
* Harrell's C on time truncated at h with S(h) as the score (lifelines ``concordance_index``);
* cumulative/dynamic AUC and Brier score at h with inverse-probability-of-censoring weights, and the scaled
  Brier score 1 - Brier / Brier(Kaplan-Meier for all);
* calibration by tenths of predicted risk (Kaplan-Meier in each), and net benefit for a decision curve
  (Vickers et al., BMC Med Inform Decis Mak 2008;8:53).

    >>> sorted(POINT_METRICS)
    ['auc', 'brier', 'c_index', 'calibration_in_the_large', 'calibration_slope', 'oe']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from micromets.prognosis import predict
from micromets.prognosis.calibration import CalibrationProfile, recalibrate_survival
from micromets.validation.cohorts import SurvivalCohort, ValidationDataError
from micromets.validation.stats import (
    brier_score,
    cox_1d,
    harrell_c,
    km_at,
    km_se_at,
    time_dependent_auc,
    truncate,
)

__all__ = [
    "POINT_METRICS",
    "calibration_deciles",
    "calibration_fit",
    "decision_curve",
    "horizon_metrics",
    "point_metrics",
    "predicted_survival",
    "validate_cohort",
]

Array = NDArray[np.float64]
POINT_METRICS = ("c_index", "oe", "calibration_slope", "calibration_in_the_large", "auc", "brier")
_Z = 1.959963984540054
_EPS = 1e-12


def predicted_survival(cohort: SurvivalCohort, version: str) -> Array:
    """(n, 15) PREDICT overall survival, years 1-15, under each patient's own treatments.

    The last cumulative column applies every treatment given to anyone in the cohort; a treatment a patient
    did not get adds nothing for her, so that column is her own treatment.
    """
    result = predict(cohort.inputs, cohort.treatments, version)
    return np.ascontiguousarray(result.overall_survival[:, -1, :])


def _loglog(survival: Array) -> Array:
    s = np.clip(survival, _EPS, 1 - _EPS)
    return np.asarray(np.log(-np.log(s)))


def calibration_fit(survival_h: Array, time: Array, event: Array, horizon: float) -> tuple[float, float, float]:
    """(intercept, slope, slope standard error) of the recalibration ``log H = intercept + slope * log(-log S)``."""
    tt, ee = truncate(time, event, horizon)
    fit = cox_1d(tt, ee, _loglog(survival_h), horizon=horizon)
    intercept = math.log(fit.baseline_cumulative_hazard) if fit.baseline_cumulative_hazard > 0 else -math.inf
    return intercept, fit.beta, fit.se


def point_metrics(survival_h: Array, time: Array, event: Array, horizon: float) -> dict[str, float]:
    """The bootstrapped metrics at one horizon."""
    tt, ee = truncate(time, event, horizon)
    x = _loglog(survival_h)
    observed = 1.0 - km_at(time, event, horizon)
    expected = float(np.mean(1.0 - survival_h))
    slope = cox_1d(tt, ee, x, horizon=horizon).beta
    large = cox_1d(tt, ee, np.zeros_like(x), offset=x, fit_beta=False, horizon=horizon).baseline_cumulative_hazard
    return {
        "c_index": harrell_c(tt, ee, survival_h),
        "oe": observed / expected,
        "calibration_slope": slope,
        "calibration_in_the_large": math.log(large) if large > 0 else -math.inf,
        "auc": time_dependent_auc(time, event, 1.0 - survival_h, horizon),
        "brier": brier_score(time, event, survival_h, horizon),
    }


def calibration_deciles(survival_h: Array, time: Array, event: Array, horizon: float,
                        groups: int = 10) -> list[dict[str, float]]:
    """Mean predicted and Kaplan-Meier observed risk of death by ``horizon`` in tenths of predicted risk."""
    risk = 1.0 - survival_h
    out = []
    for index in np.array_split(np.argsort(risk, kind="mergesort"), groups):
        if index.size == 0:
            continue
        km = km_at(time[index], event[index], horizon)
        se = km_se_at(time[index], event[index], horizon)
        out.append({"n": int(index.size), "predicted_risk": float(np.mean(risk[index])),
                    "observed_risk": 1.0 - km, "observed_risk_low": max(0.0, 1.0 - km - _Z * se),
                    "observed_risk_high": min(1.0, 1.0 - km + _Z * se)})
    return out


def decision_curve(survival_h: Array, time: Array, event: Array, horizon: float,
                   thresholds: Array | None = None) -> dict[str, list[float]]:
    """Net benefit of acting on predicted risk >= threshold, of acting for all, by threshold probability.

    Net benefit = P(death by h, risk >= p) - P(alive at h, risk >= p) * p / (1 - p), with the joint
    probabilities from Kaplan-Meier within the patients above the threshold (Vickers 2008, survival form).
    """
    grid = np.round(np.arange(0.01, 0.61, 0.01), 2) if thresholds is None else thresholds
    risk = 1.0 - survival_h
    n = risk.size
    overall = 1.0 - km_at(time, event, horizon)
    model, treat_all = [], []
    for p in grid:
        odds = p / (1.0 - p)
        above = risk >= p
        share = above.sum() / n
        if share == 0:
            model.append(0.0)
        else:
            dead = 1.0 - km_at(time[above], event[above], horizon)
            model.append(float(dead * share - (1.0 - dead) * share * odds))
        treat_all.append(float(overall - (1.0 - overall) * odds))
    return {"thresholds": [float(p) for p in grid], "model": model, "treat_all": treat_all}


def _percentile_ci(values: list[float]) -> list[float | None]:
    finite = np.asarray([v for v in values if math.isfinite(v)])
    if finite.size < 2:
        return [None, None]
    low, high = np.percentile(finite, [2.5, 97.5])
    return [float(low), float(high)]


def horizon_metrics(survival: Array, time: Array, event: Array, horizon: int, *, bootstrap: int = 200,
                    seed: int = 2026) -> dict[str, Any]:
    """Every metric at one horizon; ``survival`` is (n, 15) yearly OS (or the (n,) OS at the horizon)."""
    if float(np.max(time)) < horizon:
        raise ValidationDataError(
            f"follow-up ends at {float(np.max(time)):.1f} years: a {horizon}-year horizon cannot be assessed")
    survival_h = survival[:, horizon - 1] if survival.ndim == 2 else survival
    point = point_metrics(survival_h, time, event, horizon)
    km = km_at(time, event, horizon)
    se = km_se_at(time, event, horizon)
    observed, expected = 1.0 - km, float(np.mean(1.0 - survival_h))
    _, slope, slope_se = calibration_fit(survival_h, time, event, horizon)
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = {name: [] for name in POINT_METRICS}
    for _ in range(bootstrap):
        index = rng.integers(0, time.size, time.size)
        for name, value in point_metrics(survival_h[index], time[index], event[index], horizon).items():
            samples[name].append(value)
    null_brier = brier_score(time, event, np.full_like(survival_h, km), horizon)
    out: dict[str, Any] = {
        "n": int(time.size),
        "deaths_by_horizon": int(np.sum((event == 1) & (time <= horizon))),
        "observed_os": km,
        "observed_os_ci": [max(0.0, km - _Z * se), min(1.0, km + _Z * se)],
        "predicted_os": float(np.mean(survival_h)),
        "observed_minus_expected_risk": observed - expected,
    }
    for name in POINT_METRICS:
        out[name] = point[name]
        out[f"{name}_ci"] = _percentile_ci(samples[name])
    log_se = se / observed if observed > 0 else math.inf
    out["oe_ci_greenwood"] = [point["oe"] * math.exp(-_Z * log_se), point["oe"] * math.exp(_Z * log_se)]
    out["calibration_slope_ci_wald"] = [slope - _Z * slope_se, slope + _Z * slope_se]
    out["scaled_brier"] = 1.0 - point["brier"] / null_brier if null_brier > 0 else math.nan
    out["bootstrap"] = {"reps": bootstrap, "seed": seed, "interval": "percentile 2.5-97.5"}
    out["deciles"] = calibration_deciles(survival_h, time, event, horizon)
    out["decision_curve"] = decision_curve(survival_h, time, event, horizon)
    years = list(range(1, horizon + 1))
    out["survival_curve"] = {
        "years": years,
        "observed": [km_at(time, event, y) for y in years],
        "predicted": [float(np.mean(survival[:, y - 1])) for y in years] if survival.ndim == 2 else [],
    }
    return out


def validate_cohort(cohort: SurvivalCohort, version: str, horizons: list[int], *, bootstrap: int = 200,
                    seed: int = 2026, profile: CalibrationProfile | None = None) -> dict[str, Any]:
    """The validation document: ``{"dataset", "n", "prognosis_version", "horizons": {"5": {...}}}``.

    With ``profile``, the predictions are first recalibrated with it (checking a profile on another cohort).
    """
    for h in horizons:
        if not 1 <= h <= 15 or int(h) != h:
            raise ValidationDataError(f"horizon must be a whole number of years from 1 to 15; got {h}")
    survival = predicted_survival(cohort, version)
    if profile is not None:
        if profile.prognosis_version != version:
            raise ValidationDataError(f"the profile was fitted for PREDICT v{profile.prognosis_version}, not "
                                      f"v{version}")
        survival = recalibrate_survival(survival, profile)
    return {
        "dataset": cohort.name,
        "n": cohort.n,
        "prognosis_version": version,
        "horizons": {str(h): horizon_metrics(survival, cohort.time_years, cohort.event, h, bootstrap=bootstrap,
                                             seed=seed) for h in sorted(set(horizons))},
    }
