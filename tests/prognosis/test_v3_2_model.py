"""PREDICT v3.2: hand-computed terms from the specification (predict-model.md section 4), the
behaviours that distinguish v3.2 from v3.0, and the documented deviations from upstream.

Constants below are typed from the specification text (5-6 significant figures), so comparisons
with the engine (full-precision coefficients) use tolerances of the order of that rounding.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from micromets.errors import UnknownVersionError
from micromets.prognosis import LATEST_VERSION, PredictInputs, Treatments, available_versions, predict
from micromets.prognosis._coefficients import load_coefficients, load_refit_coefficients
from micromets.prognosis.predict import get_model

SPEC_ER_NEG = {"age1": 1.75607, "age2": 4.55527, "size": 0.74433, "nodes": 0.63086, "grade": 0.34623,
               "screen": -0.21110, "year": -0.045505}
SPEC_ER_POS = {"age1": 0.19590, "age2": 2.92913, "size": 2.27417, "nodes": 0.67248, "grade": 0.70503,
               "screen": -0.32039, "year": -0.048251}
HER2_POS = (0.608, 0.532, 0.457, 0.382, 0.307, 0.231, 0.156, 0.081, 0.006)
HER2_NEG = (-0.053, -0.046, -0.040, -0.033, -0.027, -0.020, -0.014, -0.007, 0.0)
NON_SMOKER = math.log(1 / (0.9 + 0.1 * 1.25))
ALL_ON = Treatments(endocrine=True, endocrine_years=5, chemotherapy_generation=3, trastuzumab=True,
                    bisphosphonate=True, radiotherapy=True)


def one(**kw: float) -> PredictInputs:
    base: dict[str, float] = {"age": 50.0, "size_mm": 20.0, "nodes": 2.0, "grade": 2.0, "screen_detected": 0.0,
                              "er": 1.0, "her2": math.nan, "ki67": 1.0, "pr": 1.0, "smoker": 0.0,
                              "heart_dose_gy": math.nan}
    base.update(kw)
    return PredictInputs.build(**{k: [v] for k, v in base.items()})


def terms(x: PredictInputs, tx: Treatments | None = None):  # type: ignore[no-untyped-def]
    return get_model("3.2").terms(x, (tx or Treatments()).broadcast(x.n))


# ---- registration -------------------------------------------------------------------------------


def test_v32_is_registered_and_the_default() -> None:
    assert available_versions() == ("2.2", "3.0", "3.2")
    assert LATEST_VERSION == "3.2"
    x = one()
    np.testing.assert_array_equal(predict(x, ALL_ON).overall_survival,
                                  predict(x, ALL_ON, version="3.2").overall_survival)
    assert predict(x).version == "3.2"


def test_coefficient_file_header_and_spec_values() -> None:
    f = load_refit_coefficients("3.2")
    assert f.model == "PREDICT Breast" and f.version == "3.2"
    assert f.source == ("WintonCentre/predict-v30-r", "42223bc1150bb9f88058b2801c770aa9ca091830", "R/benefits32.R")
    c = f.coefficients
    p, m, o = c.er_positive, c.er_negative, c.other_cause
    got_pos = (p.age_inv_sqrt_beta, p.age_sq_beta, p.size_beta, p.nodes_log_beta, p.grade_beta, p.screen_beta,
               p.calendar_year_beta)
    got_neg = (m.age_linear_beta, m.age_linear_log_beta, m.size_log_beta, m.nodes_log_beta, m.grade_beta,
               m.screen_beta, m.calendar_year_beta)
    np.testing.assert_allclose(got_pos, list(SPEC_ER_POS.values()), rtol=5e-5)
    np.testing.assert_allclose(got_neg, list(SPEC_ER_NEG.values()), rtol=5e-5)
    np.testing.assert_allclose((o.age_cube_beta, o.age_cube_log_beta, o.calendar_year_beta),
                               (4.21144, -31.41203, -0.021186), rtol=5e-5)
    np.testing.assert_allclose((o.baseline_intercept, o.baseline_log_t, o.baseline_t),
                               (-4.84565, 1.34135, 0.49539), rtol=5e-5)
    np.testing.assert_allclose((p.baseline_intercept, p.baseline_inv_sqrt_t, p.baseline_log_t_over_sqrt_t),
                               (-2.31935, -3.62254, -0.54224), rtol=5e-5)
    np.testing.assert_allclose((m.baseline_intercept, m.baseline_inv_t, m.baseline_log_t_over_t),
                               (-3.01531, -0.57554, -0.10284), rtol=5e-5)
    assert p.her2_positive_by_year == (*HER2_POS, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert p.her2_negative_by_year == (*HER2_NEG, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert (m.her2_positive, m.her2_negative) == (0.2316, -0.08589)
    assert (p.radiotherapy_baseline, m.radiotherapy_baseline, o.radiotherapy_baseline) == (0.7, 0.55, -0.062)
    assert c.radiotherapy.other_relative_hazard_per_gy == 1.02
    assert c.treatment_log_hr.extended_endocrine_addon == -0.301
    assert (c.calendar_year, c.age_origin) == (2017, 24.0)
    with pytest.raises(UnknownVersionError, match="refitted"):
        load_coefficients("3.2")


# ---- hand-computed terms ------------------------------------------------------------------------


def test_er_positive_prognostic_and_other_index_by_hand() -> None:
    u = (50 - 24) / 100
    pi = (SPEC_ER_POS["age1"] * u**-0.5 + SPEC_ER_POS["age2"] * u**2 + SPEC_ER_POS["size"] * (1 - math.exp(-1))
          + SPEC_ER_POS["nodes"] * math.log(3) + SPEC_ER_POS["grade"] * 2 + SPEC_ER_POS["year"] * 17
          + 0.14904 - 0.0619 + 0.7)
    mi = 4.21144 * u**3 - 31.41203 * u**3 * math.log(u) - 0.021186 * 17 - 0.062 + NON_SMOKER
    t = terms(one())
    assert t.prognostic_index[0] == pytest.approx(pi, abs=2e-4)
    assert t.other_index[0] == pytest.approx(mi, abs=2e-5)
    assert t.breast_log_hr_by_year is not None and not t.breast_log_hr_by_year.any()  # HER2 unknown


def test_er_negative_prognostic_index_by_hand() -> None:
    """ER-: linear and u ln u age terms, ln(size), grade as its value (unknown 2.13), constant HER2."""
    x = one(er=0, age=63, size_mm=31, nodes=0.5, grade=math.nan, screen_detected=math.nan, her2=1, pr=0, ki67=1)
    u = (63 - 24) / 100
    pi = (SPEC_ER_NEG["age1"] * u + SPEC_ER_NEG["age2"] * u * math.log(u) + SPEC_ER_NEG["size"] * math.log(31)
          + SPEC_ER_NEG["nodes"] * math.log(1.5) + SPEC_ER_NEG["grade"] * 2.13 + SPEC_ER_NEG["screen"] * 0.204
          + SPEC_ER_NEG["year"] * 17 + 0.2316 + 0.0296 + 0.55)  # Ki67 has no ER- term
    t = terms(x)
    assert t.prognostic_index[0] == pytest.approx(pi, abs=2e-4)
    assert t.breast_log_hr_by_year is not None and not t.breast_log_hr_by_year.any()


def test_year_one_survival_in_closed_form() -> None:
    """Year 1, surgery only: S_br = exp(-H0(1) e^(PI + HER2(1))), OS = S_br * S_oth (spec baselines)."""
    x = one(her2=1)
    t = terms(x)
    tau = 0.1
    h0 = math.exp(-2.31935 - 3.62254 * tau**-0.5 - 0.54224 * tau**-0.5 * math.log(tau))
    g0 = math.exp(-4.84565 + 1.34135 * math.log(tau) + 0.49539 * tau)
    expected = math.exp(-h0 * math.exp(t.prognostic_index[0] + 0.608)) * math.exp(-g0 * math.exp(t.other_index[0]))
    assert predict(x, version="3.2").overall_survival[0, 0, 0] == pytest.approx(expected, rel=1e-5)


def test_her2_effect_fades_by_year_ten_in_er_positive_disease() -> None:
    """ER+: the HER2+ vs HER2- difference in annual breast hazard is positive in years 1-9 and 0 after.

    Same patient apart from HER2, so the other-cause part of -ln OS is identical and the
    difference of annual -ln OS increments is dH_br(HER2+) - dH_br(HER2-).
    """
    pos, neg = (predict(one(her2=h), version="3.2").overall_survival[0, 0] for h in (1, 0))
    d = np.diff(-np.log(pos), prepend=0.0) - np.diff(-np.log(neg), prepend=0.0)
    assert (d[:9] > 0).all()
    np.testing.assert_allclose(d[9:], 0.0, atol=1e-15)
    # ER-: constant HER2 effect, never fades
    pos0, neg0 = (predict(one(er=0, her2=h), version="3.2").overall_survival[0, 0] for h in (1, 0))
    d0 = np.diff(-np.log(pos0), prepend=0.0) - np.diff(-np.log(neg0), prepend=0.0)
    assert (d0 > 0).all()


# ---- v3.2 behaviour -----------------------------------------------------------------------------


def test_other_cause_harms_are_per_column() -> None:
    """Unlike v3.0, surgery only carries no treatment harm; columns with chemo / RT do."""
    x = one(age=72, heart_dose_gy=5.0)
    plain = predict(x, version="3.2")
    treated = predict(x, Treatments(radiotherapy=True, chemotherapy_generation=2), version="3.2")
    assert treated.column_order == ("surgery", "radiotherapy", "chemotherapy")
    np.testing.assert_array_equal(treated.overall_survival[:, 0], plain.overall_survival[:, 0])
    oth = treated.other_mortality[0, :, -1]
    assert oth[0] < oth[1] < oth[2]  # ln(1.02) x 5 Gy, then + ln 1.2
    t = terms(x, Treatments(radiotherapy=True, chemotherapy_generation=2))
    assert t.treatment_other_log_hr["radiotherapy"][0] == pytest.approx(5 * math.log(1.02))
    assert t.treatment_other_log_hr["chemotherapy"][0] == pytest.approx(math.log(1.2))
    # v3.0 by contrast: surgery-only OS already includes the harms
    v30 = predict(x, Treatments(radiotherapy=True, chemotherapy_generation=2), version="3.0")
    assert v30.overall_survival[0, 0, -1] < predict(x, version="3.0").overall_survival[0, 0, -1]


def test_a_treatment_can_lower_overall_survival() -> None:
    """Per-column harms: chemotherapy for an 80-year-old at low breast-cancer risk has a negative net benefit."""
    x = one(age=80, size_mm=8, nodes=0, grade=1, screen_detected=1, her2=0, ki67=0)
    r = predict(x, Treatments(chemotherapy_generation=2), version="3.2")
    assert (r.incremental_os_benefit()[0, 0, 4:] < 0).all()


def test_display_order_and_filtering() -> None:
    x = one()
    assert predict(x, ALL_ON, version="3.2").column_order == (
        "surgery", "radiotherapy", "endocrine", "chemotherapy", "trastuzumab", "bisphosphonate")
    assert predict(x, Treatments(endocrine=True, bisphosphonate=True), version="3.2").column_order == (
        "surgery", "endocrine", "bisphosphonate")


def test_extended_endocrine_adds_minus_0301_in_years_11_to_15() -> None:
    x = one()
    five = predict(x, Treatments(endocrine=True, endocrine_years=5), version="3.2")
    ten = predict(x, Treatments(endocrine=True, endocrine_years=10), version="3.2")
    np.testing.assert_array_equal(ten.overall_survival[:, :, :10], five.overall_survival[:, :, :10])
    assert (ten.overall_survival[0, 1, 10:] > five.overall_survival[0, 1, 10:]).all()
    # the add-on is -0.301 (not -0.26): year 11 breast hazard ratio 10 y vs 5 y = exp(-0.301)
    t = terms(x, Treatments(endocrine=True, endocrine_years=10))
    assert t.extended_endocrine_log_hr[0] == -0.301 and t.extended_from_year == 11
    x_neg = one(er=0)
    a, b = (predict(x_neg, Treatments(endocrine=True, endocrine_years=y), version="3.2") for y in (5, 10))
    np.testing.assert_array_equal(a.overall_survival, b.overall_survival)


# ---- documented deviations ----------------------------------------------------------------------


def test_deviation_heart_dose_without_radiotherapy_is_ignored_and_flagged() -> None:
    """Upstream adds ln(1.02) x heart Gy to its r... columns even with radio = 0; here only with RT."""
    x = PredictInputs.build(age=[60, 60, 60], size_mm=[20] * 3, nodes=[1] * 3, grade=[2] * 3,
                            screen_detected=[0] * 3, er=[1] * 3, smoker=[0] * 3, heart_dose_gy=[8.0, 0.0, 8.0])
    tx = Treatments(radiotherapy=np.array([False, False, True]), endocrine=True)
    r = predict(x, tx, version="3.2")
    assert r.column_order == ("surgery", "radiotherapy", "endocrine")
    # no radiotherapy: the radiotherapy column equals surgery only, whatever the heart dose
    np.testing.assert_array_equal(r.overall_survival[0, 1], r.overall_survival[0, 0])
    np.testing.assert_array_equal(r.overall_survival[0], r.overall_survival[1])
    assert any(w.startswith("heart dose given without radiotherapy") for w in r.warnings[0])
    assert not any(w.startswith("heart dose given") for w in r.warnings[1] + r.warnings[2])
    # with radiotherapy the harm applies
    assert r.other_mortality[2, 1, -1] > r.other_mortality[2, 0, -1]


@pytest.mark.parametrize("age", [18.0, 24.0, 24.5])
def test_deviation_age_below_25_computed_at_25_and_flagged(age: float) -> None:
    """ln(age - 24) is undefined at age <= 24 (upstream returns NaN); the web tool clamps to 25."""
    young, at25 = predict(one(age=age), ALL_ON, version="3.2"), predict(one(age=25), ALL_ON, version="3.2")
    assert np.isfinite(young.overall_survival).all()
    np.testing.assert_array_equal(young.overall_survival, at25.overall_survival)
    assert any(w.startswith("age < 25") and "computed at age 25" in w for w in young.warnings[0])
    assert not any(w.startswith("age < 25") for w in at25.warnings[0])


def test_unknown_smoker_and_missing_heart_dose() -> None:
    tx = Treatments(radiotherapy=True)
    a = predict(one(smoker=math.nan, heart_dose_gy=math.nan), tx, version="3.2")
    b = predict(one(smoker=math.nan, heart_dose_gy=2.0), tx, version="3.2")
    np.testing.assert_array_equal(a.overall_survival, b.overall_survival)
    assert len(a.warnings[0]) == 2 and len(b.warnings[0]) == 1
    s0, su, s1 = (predict(one(smoker=s), version="3.2").overall_survival for s in (0, math.nan, 1))
    assert ((su <= s0) & (su >= s1)).all() and (su < s0).any()
