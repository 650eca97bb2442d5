"""The survival statistics against textbook identities and lifelines on simulated data.

Sources: Kaplan & Meier 1958 and Greenwood 1926 (lifelines' KaplanMeierFitter implements both); Cox 1972 with
Breslow ties (lifelines' CoxPHFitter uses Efron's ties; with few ties they agree closely); without censoring the
IPCW AUC is the Mann-Whitney statistic of cases against controls (Hanley & McNeil 1982) and the IPCW Brier score
is the plain mean squared error (Graf et al. 1999).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.utils import concordance_index

from micromets.validation.stats import (
    brier_score,
    cox_1d,
    harrell_c,
    km_at,
    km_se_at,
    time_dependent_auc,
    truncate,
)


def _simulated(n: int, seed: int, censor: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    death = rng.exponential(1.0 / (0.1 * np.exp(0.7 * x)))
    if not censor:
        return np.round(death, 3) + 1e-3, np.ones(n), x
    censoring = rng.uniform(0, 15, n)
    time = np.minimum(death, censoring)
    return time, (death <= censoring).astype(float), x


@pytest.mark.parametrize("horizon", [1.0, 5.0, 10.0])
def test_kaplan_meier_and_greenwood_match_lifelines(horizon: float) -> None:
    time, event, _ = _simulated(800, 1)
    fitter = KaplanMeierFitter().fit(time, event)
    assert km_at(time, event, horizon) == pytest.approx(float(fitter.predict(horizon)), abs=1e-12)
    # lifelines' log(-log) CI is not the plain Greenwood SE; compare with its variance table instead
    times = fitter.event_table.index.to_numpy()
    table = fitter.event_table
    keep = times <= horizon
    greenwood = (table["observed"] / (table["at_risk"] * (table["at_risk"] - table["observed"])))[keep].sum()
    assert km_se_at(time, event, horizon) == pytest.approx(float(fitter.predict(horizon)) * np.sqrt(greenwood),
                                                           rel=1e-9)


def test_cox_slope_matches_lifelines_and_recovers_the_true_log_hazard_ratio() -> None:
    time, event, x = _simulated(3000, 2)
    ours = cox_1d(time, event, x)
    theirs = CoxPHFitter().fit(pd.DataFrame({"t": time, "e": event, "x": x}), "t", "e")
    assert ours.converged
    assert ours.beta == pytest.approx(float(theirs.params_["x"]), abs=1e-6)  # continuous times: no ties
    assert ours.se == pytest.approx(float(theirs.standard_errors_["x"]), rel=1e-3)
    assert abs(ours.beta - 0.7) < 3 * ours.se


def test_breslow_baseline_for_a_fixed_offset_is_the_nelson_aalen_weighted_by_the_offset() -> None:
    # With no covariate and offset 0 the Breslow baseline is the Nelson-Aalen estimate.
    time, event, _ = _simulated(500, 3)
    t, e = truncate(time, event, 5.0)
    fit = cox_1d(t, e, np.zeros_like(t), fit_beta=False, horizon=5.0)
    order = np.argsort(t)
    at_risk = len(t) - np.arange(len(t))
    nelson_aalen = float(np.sum((e[order] / at_risk)[t[order] <= 5.0]))
    assert fit.baseline_cumulative_hazard == pytest.approx(nelson_aalen, rel=1e-12)


def test_harrell_c_is_lifelines_concordance_index_and_brute_force() -> None:
    time, event, x = _simulated(300, 4)
    score = -x  # higher score = longer survival
    c = harrell_c(time, event, score)
    assert c == pytest.approx(concordance_index(time, score, event))
    concordant = comparable = 0.0
    for i in range(time.size):
        if event[i] != 1:
            continue
        later = time > time[i]
        comparable += later.sum()
        concordant += (score[later] > score[i]).sum() + 0.5 * (score[later] == score[i]).sum()
    assert c == pytest.approx(concordant / comparable, abs=1e-12)


def test_auc_without_censoring_is_the_mann_whitney_statistic() -> None:
    time, event, x = _simulated(400, 5, censor=False)
    horizon = 8.0
    risk = x
    cases, controls = risk[time <= horizon], risk[time > horizon]
    mann_whitney = np.mean((cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :]))
    assert time_dependent_auc(time, event, risk, horizon) == pytest.approx(mann_whitney, abs=1e-12)


def test_brier_without_censoring_is_the_mean_squared_error() -> None:
    time, event, x = _simulated(400, 6, censor=False)
    horizon = 8.0
    predicted = 1.0 / (1.0 + np.exp(x))
    alive = (time > horizon).astype(float)
    assert brier_score(time, event, predicted, horizon) == pytest.approx(np.mean((alive - predicted) ** 2))


def test_ipcw_brier_is_nearly_unbiased_under_independent_censoring() -> None:
    rng = np.random.default_rng(7)
    n = 40_000
    death = rng.exponential(10.0, n)
    censoring = rng.uniform(0, 12, n)
    time, event = np.minimum(death, censoring), (death <= censoring).astype(float)
    s = np.full(n, np.exp(-0.5))  # the true 5-year survival of everyone
    truth = np.exp(-0.5) * (1 - np.exp(-0.5))  # Brier of the true probability = its variance
    assert brier_score(time, event, s, 5.0) == pytest.approx(truth, abs=0.005)
