"""Simulated survival with a known truth (issue 11, item 5).

Outcomes are drawn so that the true cumulative hazard of death by the horizon is
``H(h) = exp(a + b * log(-log S_predicted(h)))``: a = 0, b = 1 is a perfectly calibrated model; any other pair a
deliberately miscalibrated one, which ``recalibrate`` must recover (van Houwelingen, Stat Med 2000). Times are
exponential with that hazard, censored uniformly and at 12 years.
"""

from __future__ import annotations

import numpy as np
import pytest

from micromets.prognosis import PredictInputs, Treatments
from micromets.prognosis.calibration import recalibrate_survival
from micromets.validation.cohorts import SurvivalCohort
from micromets.validation.metrics import horizon_metrics, predicted_survival, validate_cohort
from micromets.validation.recalibration import cross_validate, fit_profile, fit_recalibration

HORIZON = 5


def outcomes(predicted_h: np.ndarray, a: float, b: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true_h = np.exp(a + b * np.log(-np.log(predicted_h)))
    death = rng.exponential(HORIZON / true_h)
    censoring = np.minimum(rng.uniform(2, 30, predicted_h.size), 12.0)
    return np.minimum(death, censoring), (death <= censoring).astype(float)


def _predicted(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.45, 0.97, n)


def test_a_calibrated_model_has_oe_1_slope_1_and_calibration_in_the_large_0() -> None:
    s = _predicted(20_000, 1)
    time, event = outcomes(s, 0.0, 1.0, 2)
    m = horizon_metrics(s, time, event, HORIZON, bootstrap=20, seed=3)
    assert m["oe"] == pytest.approx(1.0, abs=0.03)
    assert m["calibration_slope"] == pytest.approx(1.0, abs=0.04)
    assert m["calibration_in_the_large"] == pytest.approx(0.0, abs=0.03)
    assert m["oe_ci"][0] < 1.0 < m["oe_ci"][1]
    for d in m["deciles"]:
        assert d["observed_risk_low"] - 0.02 <= d["predicted_risk"] <= d["observed_risk_high"] + 0.02


@pytest.mark.parametrize(("a", "b"), [(0.5, 1.0), (-0.4, 0.8), (0.3, 1.3)])
def test_recalibration_recovers_a_deliberate_miscalibration(a: float, b: float) -> None:
    s = _predicted(20_000, 4)
    time, event = outcomes(s, a, b, 5)
    intercept, slope = fit_recalibration(s, time, event, HORIZON)
    assert intercept == pytest.approx(a, abs=0.05)
    assert slope == pytest.approx(b, abs=0.05)
    cv = cross_validate(s, time, event, HORIZON, folds=5, seed=6)
    assert abs(cv["before"]["oe"] - 1.0) > 0.05 or abs(cv["before"]["calibration_slope"] - 1.0) > 0.1
    assert cv["after"]["oe"] == pytest.approx(1.0, abs=0.03)
    assert cv["after"]["calibration_slope"] == pytest.approx(1.0, abs=0.06)


def test_fit_profile_on_a_predict_cohort_recovers_the_truth_and_the_profile_fixes_it() -> None:
    rng = np.random.default_rng(8)
    n = 8000
    x = PredictInputs.build(age=rng.uniform(35, 80, n), size_mm=rng.uniform(5, 60, n),
                            nodes=rng.choice([0, 0.5, 1, 2, 4, 8], n), grade=rng.choice([1.0, 2.0, 3.0], n),
                            screen_detected=rng.choice([0.0, 1.0], n), er=rng.choice([0.0, 1.0], n, p=[0.2, 0.8]))
    treatments = Treatments(endocrine=rng.random(n) < 0.6, chemotherapy_generation=rng.choice([0.0, 3.0], n))
    cohort = SurvivalCohort(name="sim", inputs=x, treatments=treatments, time_years=np.ones(n), event=np.zeros(n))
    s = predicted_survival(cohort, "3.0")[:, HORIZON - 1]
    time, event = outcomes(s, 0.4, 0.85, 9)
    cohort = SurvivalCohort(name="sim", inputs=x, treatments=treatments, time_years=time, event=event)
    profile = fit_profile(cohort, "3.0", HORIZON, seed=10)
    assert profile.intercept == pytest.approx(0.4, abs=0.08)
    assert profile.slope == pytest.approx(0.85, abs=0.06)
    assert profile.cohort.n == n and profile.cross_validation["folds"] == 5
    before = validate_cohort(cohort, "3.0", [HORIZON], bootstrap=0)["horizons"]["5"]
    after = validate_cohort(cohort, "3.0", [HORIZON], bootstrap=0, profile=profile)["horizons"]["5"]
    assert before["oe"] > 1.2
    assert after["oe"] == pytest.approx(1.0, abs=0.03)
    assert after["calibration_slope"] == pytest.approx(1.0, abs=0.06)
    # The profile's transform is the fitted recalibration model itself.
    expected = np.exp(-np.exp(profile.intercept + profile.slope * np.log(-np.log(s[:10]))))
    assert np.allclose(recalibrate_survival(s[:10], profile), expected)


def test_bootstrap_is_seeded() -> None:
    s = _predicted(1500, 11)
    time, event = outcomes(s, 0.2, 1.0, 12)
    one = horizon_metrics(s, time, event, HORIZON, bootstrap=15, seed=5)
    two = horizon_metrics(s, time, event, HORIZON, bootstrap=15, seed=5)
    other = horizon_metrics(s, time, event, HORIZON, bootstrap=15, seed=6)
    assert one["c_index_ci"] == two["c_index_ci"]
    assert one["c_index_ci"] != other["c_index_ci"]
