"""Survival statistics for external validation, in numpy (no fitted-model objects, fast enough to bootstrap).

Times are in years, events 1 = death (all causes), 0 = censored. Everything is written from the textbook
definitions named at each function; the tests compare them with lifelines on the same data.

    >>> import numpy as np
    >>> t = np.array([1.0, 2.0, 3.0, 4.0]); e = np.array([1, 0, 1, 0])
    >>> km_at(t, e, 3.0)              # (1 - 1/4) * (1 - 1/2)
    0.375
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CoxFit",
    "brier_score",
    "cox_1d",
    "harrell_c",
    "kaplan_meier",
    "km_at",
    "km_se_at",
    "time_dependent_auc",
    "truncate",
]

Array = NDArray[np.float64]


def truncate(time: Array, event: Array, horizon: float) -> tuple[Array, Array]:
    """Administrative censoring at ``horizon``: deaths after it count as alive at it."""
    return np.minimum(time, horizon), ((event == 1) & (time <= horizon)).astype(np.float64)


def kaplan_meier(time: Array, event: Array) -> tuple[Array, Array, Array]:
    """Kaplan-Meier estimate: distinct event times, survival just after each, Greenwood variance.

    Censored subjects at an event time are at risk at it (the usual convention).
    """
    times, inverse = np.unique(time, return_inverse=True)
    deaths = np.bincount(inverse, weights=event, minlength=times.size)
    leaving = np.bincount(inverse, minlength=times.size).astype(np.float64)
    at_risk = np.cumsum(leaving[::-1])[::-1]
    keep = deaths > 0
    times, deaths, at_risk = times[keep], deaths[keep], at_risk[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - deaths / at_risk)
        terms = np.where(at_risk > deaths, deaths / (at_risk * (at_risk - deaths)), np.inf)
        # Once the estimate reaches 0 its variance is 0 (inf * 0 would be NaN).
        variance = np.where(survival > 0, survival**2 * np.cumsum(terms), 0.0)
    return times, np.asarray(survival, dtype=np.float64), np.asarray(variance, dtype=np.float64)


def _step(times: Array, values: Array, at: float | Array, *, left: bool = False, start: float = 1.0) -> Array:
    """A right-continuous step function at ``at`` (``left``: its limit from the left)."""
    index = np.searchsorted(times, at, side="left" if left else "right") - 1
    padded = np.concatenate(([start], values))
    return np.asarray(padded[np.asarray(index) + 1])


def km_at(time: Array, event: Array, horizon: float) -> float:
    """Kaplan-Meier survival at ``horizon``."""
    times, survival, _ = kaplan_meier(time, event)
    return float(_step(times, survival, horizon))


def km_se_at(time: Array, event: Array, horizon: float) -> float:
    """Greenwood standard error of the Kaplan-Meier survival at ``horizon``."""
    times, _, variance = kaplan_meier(time, event)
    return float(np.sqrt(_step(times, variance, horizon, start=0.0)))


@dataclass(frozen=True)
class CoxFit:
    """A one-covariate Cox fit: coefficient, its standard error, Breslow cumulative baseline hazard at the
    horizon (for the uncentred covariate) and whether Newton-Raphson converged."""

    beta: float
    se: float
    baseline_cumulative_hazard: float
    converged: bool


def _risk_sums(order_time: Array, weights: Array) -> Array:
    """Sum of ``weights`` over each subject's risk set {j: T_j >= T_i}, ties sharing the set (sorted input)."""
    reverse = np.cumsum(weights[::-1])[::-1]
    first = np.searchsorted(order_time, order_time, side="left")
    return np.asarray(reverse[first])


def cox_1d(time: Array, event: Array, x: Array, *, offset: Array | None = None, fit_beta: bool = True,
           horizon: float | None = None, max_iter: int = 50) -> CoxFit:
    """Cox proportional-hazards regression on one covariate, Breslow ties, by Newton-Raphson.

    ``fit_beta=False`` fixes the coefficient at 0 (use ``offset`` for a slope fixed at 1): then only the
    Breslow baseline is estimated. The baseline cumulative hazard is for ``x = 0`` and ``offset`` (Cox 1972;
    Breslow 1974; Kalbfleisch & Prentice 2002, ch. 4).
    """
    order = np.argsort(time, kind="mergesort")
    t, d, z = time[order], event[order], x[order]
    off = np.zeros_like(t) if offset is None else offset[order]
    beta, converged = 0.0, not fit_beta
    information = float("nan")

    def state(b: float) -> tuple[float, float, float]:
        w = np.exp(b * z + off)
        s0, s1, s2 = _risk_sums(t, w), _risk_sums(t, w * z), _risk_sums(t, w * z * z)
        mean = s1 / s0
        loglik = float(np.sum(d * (b * z + off - np.log(s0))))
        return loglik, float(np.sum(d * (z - mean))), float(np.sum(d * (s2 / s0 - mean**2)))

    if fit_beta:
        loglik, score, information = state(beta)
        for _ in range(max_iter):
            if not information > 0:
                break
            step = score / information
            # The partial likelihood is concave: halve a step that overshoots.
            while True:
                new = state(beta + step)
                if new[0] >= loglik - 1e-12 or abs(step) < 1e-12:
                    break
                step /= 2
            beta += step
            loglik, score, information = new
            if abs(step) < 1e-9:
                converged = True
                break
    w = np.exp(beta * z + off)
    s0 = _risk_sums(t, w)
    limit = np.inf if horizon is None else horizon
    baseline = float(np.sum(np.where((d == 1) & (t <= limit), 1.0 / s0, 0.0)))
    se = float(1.0 / np.sqrt(information)) if fit_beta and information > 0 else float("nan")
    return CoxFit(beta=float(beta), se=se, baseline_cumulative_hazard=baseline, converged=converged)


def harrell_c(time: Array, event: Array, survival_score: Array) -> float:
    """Harrell's C as lifelines' ``concordance_index`` computes it (higher score = longer survival)."""
    try:
        from lifelines.utils import concordance_index
    except ImportError:
        from micromets.validation.cohorts import ValidationDataError

        raise ValidationDataError("Harrell's C needs lifelines: pip install 'micromets[validation]'") from None

    return float(concordance_index(time, survival_score, event))


def _censoring_survival(time: Array, event: Array) -> tuple[Array, Array]:
    times, survival, _ = kaplan_meier(time, 1.0 - event)
    return times, survival


def time_dependent_auc(time: Array, event: Array, risk: Array, horizon: float) -> float:
    """Cumulative/dynamic AUC at ``horizon`` with inverse-probability-of-censoring weights.

    Cases died by the horizon (weight 1/G(T-)), controls are alive after it (weight 1/G(horizon), the same for
    all, so it cancels); ties in risk count one half (Uno et al., JASA 2007; Hung & Chiang, Can J Stat 2010).
    """
    g_times, g_surv = _censoring_survival(time, event)
    case = (event == 1) & (time <= horizon)
    control = time > horizon
    if not case.any() or not control.any():
        return float("nan")
    weights = 1.0 / _step(g_times, g_surv, time[case], left=True)
    controls = np.sort(risk[control])
    below = np.searchsorted(controls, risk[case], side="left")
    ties = np.searchsorted(controls, risk[case], side="right") - below
    concordant = below + 0.5 * ties
    return float(np.sum(weights * concordant) / (np.sum(weights) * controls.size))


def brier_score(time: Array, event: Array, predicted_survival: Array, horizon: float) -> float:
    """Brier score at ``horizon`` with inverse-probability-of-censoring weights (Graf et al., Stat Med 1999).

    Censored before the horizon: weight 0; died by it: (0 - S)^2 / G(T-); alive after it: (1 - S)^2 / G(h).
    """
    g_times, g_surv = _censoring_survival(time, event)
    died = (event == 1) & (time <= horizon)
    alive = time > horizon
    g_death = _step(g_times, g_surv, time, left=True)
    g_horizon = float(_step(g_times, g_surv, horizon))
    terms = np.zeros_like(predicted_survival)
    terms[died] = predicted_survival[died] ** 2 / g_death[died]
    terms[alive] = (1.0 - predicted_survival[alive]) ** 2 / g_horizon
    return float(np.mean(terms))
