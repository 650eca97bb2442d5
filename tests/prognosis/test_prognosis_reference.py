"""Vectorised engine vs an independent scalar re-implementation written from the specification
(tests/prognosis/_predict_reference.py: 15-year loop of spec §2.2, constants typed from the spec),
plus hand-computed spot values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _predict_reference import ORDER, Patient, Tx, prognostic_index, reference
from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.prognosis import PredictInputs, Treatments, predict
from micromets.prognosis.predict import get_model

maybe01 = st.sampled_from([0.0, 1.0, math.nan])

patient_st = st.builds(
    Patient,
    age=st.floats(20.0, 95.0),
    size=st.floats(0.5, 150.0),
    nodes=st.one_of(st.just(0.5), st.integers(0, 40).map(float)),
    grade=st.sampled_from([1.0, 2.0, 3.0, math.nan]),
    screen=maybe01,
    er=st.integers(0, 1),
    her2=maybe01,
    ki67=maybe01,
    pr=maybe01,
    smoker=maybe01,
    heart_gy=st.one_of(st.just(math.nan), st.floats(0.0, 20.0)),
)
tx_st = st.builds(
    Tx,
    endocrine=st.booleans(),
    years=st.sampled_from([5, 10]),
    chemo=st.sampled_from([0, 2, 3]),
    trastuzumab=st.booleans(),
    bisphosphonate=st.booleans(),
    radiotherapy=st.booleans(),
)


def _batch(patients: list[Patient], txs: list[Tx]) -> tuple[PredictInputs, Treatments]:
    def arr(attr: str) -> np.ndarray:
        return np.array([getattr(p, attr) for p in patients], dtype=float)

    x = PredictInputs.build(
        age=arr("age"),
        size_mm=arr("size"),
        nodes=arr("nodes"),
        grade=arr("grade"),
        screen_detected=arr("screen"),
        er=arr("er"),
        her2=arr("her2"),
        ki67=arr("ki67"),
        pr=arr("pr"),
        smoker=arr("smoker"),
        heart_dose_gy=arr("heart_gy"),
    )
    tx = Treatments(
        endocrine=np.array([t.endocrine for t in txs]),
        endocrine_years=np.array([t.years for t in txs]),
        chemotherapy_generation=np.array([t.chemo for t in txs]),
        trastuzumab=np.array([t.trastuzumab for t in txs]),
        bisphosphonate=np.array([t.bisphosphonate for t in txs]),
        radiotherapy=np.array([t.radiotherapy for t in txs]),
    )
    return x, tx


def _active(version: str, txs: list[Tx]) -> tuple[str, ...]:
    on = {
        "endocrine": any(t.endocrine for t in txs),
        "radiotherapy": any(t.radiotherapy for t in txs),
        "chemotherapy": any(t.chemo > 0 for t in txs),
        "trastuzumab": any(t.trastuzumab for t in txs),
        "bisphosphonate": any(t.bisphosphonate for t in txs),
    }
    return ("surgery", *(name for name in ORDER[version] if on[name]))


@pytest.mark.parametrize("version", ["2.2", "3.0"])
@settings(max_examples=60, deadline=None)
@given(cases=st.lists(st.tuples(patient_st, tx_st), min_size=1, max_size=6))
def test_vectorised_equals_scalar_reference(version: str, cases: list[tuple[Patient, Tx]]) -> None:
    patients = [c[0] for c in cases]
    txs = [c[1] for c in cases]
    x, tx = _batch(patients, txs)
    res = predict(x, tx, version=version, chunk_size=4)
    columns = _active(version, txs)
    assert res.column_order == columns
    for i, (p, t) in enumerate(cases):
        ref = reference(p, t, version, columns)
        np.testing.assert_allclose(res.overall_survival[i], ref["os"], rtol=0, atol=1e-12)
        np.testing.assert_allclose(res.breast_cancer_mortality[i], ref["br"], rtol=0, atol=1e-12)
        np.testing.assert_allclose(res.other_mortality[i], ref["oth"], rtol=0, atol=1e-12)


def _one(**kw: float) -> PredictInputs:
    base: dict[str, float] = dict(age=50, size_mm=20, nodes=0.5, grade=2, screen_detected=0, er=1, her2=0)
    base.update(kw)
    return PredictInputs.build(**{k: [v] for k, v in base.items()})


def test_hand_computed_prognostic_index_v22() -> None:
    """ER+, 50 y, 20 mm, single micrometastatic node (0.5), grade 2, symptomatic, HER2-, Ki67 unknown.

    By hand (spec §2, A = 5):
      34.53642*(0.04 - 0.0287449295)                    =  0.3887098
      -34.20342*(0.04*ln 5 - 0.0510121013)              = -0.4571429
      0.7530729*(ln 0.2 + 1.545233938)                  = -0.0483503
      0.7060723*(ln 0.15 + 1.387566896)                 = -0.3597813
      0.746655*2                                        =  1.4933100
      HER2- -0.0762                                     = -0.0762000
      PI                                                =  0.9405453
    """
    x = _one()
    terms = get_model("2.2").terms(x, Treatments().broadcast(1))
    assert terms.prognostic_index[0] == pytest.approx(0.9405453, abs=1e-6)
    assert prognostic_index(Patient(50, 20, 0.5, 2, 0, 1, 0, math.nan), "2.2") == pytest.approx(
        0.9405453, abs=1e-6
    )
    # other-cause index 0.0698252*(25 - 34.23391957) = -0.6447603
    assert terms.other_index[0] == pytest.approx(-0.6447603, abs=1e-6)


def test_hand_computed_year_one_survival_v22() -> None:
    """Year 1 in closed form: S_br(1) = exp(-exp(0.7424402 - 7.527762) * e^PI),
    S_oth(1) = exp(-e^MI * exp(-6.052919 + 0.3255321)), OS(1) = S_br(1) * S_oth(1)."""
    pi, mi = 0.94054534, -0.64476028
    s_br = math.exp(-math.exp(0.7424402 - 7.527762) * math.exp(pi))
    s_oth = math.exp(-math.exp(mi) * math.exp(-6.052919 + 0.3255321))
    res = predict(_one(), version="2.2")
    assert res.overall_survival[0, 0, 0] == pytest.approx(s_br * s_oth, abs=1e-8)
    assert res.breast_cancer_mortality[0, 0, 0] == pytest.approx(
        (1 - s_br) / ((1 - s_br) + (1 - s_oth)) * (1 - s_br * s_oth), abs=1e-10
    )


def test_hand_computed_v30_additions() -> None:
    """v3.0 adds to PI: PR+ (ER+) -0.0619 and ln(1/(0.31+0.69*0.82)) = 0.1326175 (RT re-centring);
    to MI: ln(1/(0.31+0.69*1.04^2)) = -0.0547760, non-smoker ln(1/1.025) = -0.0247, chemo ln 1.2 = 0.1823,
    RT with 3 Gy heart: 3*ln 1.04 = 0.1177."""
    x = _one(pr=1, smoker=0, heart_dose_gy=3.0)
    tx = Treatments(chemotherapy_generation=2, radiotherapy=True).broadcast(1)
    t30 = get_model("3.0").terms(x, tx)
    t22 = get_model("2.2").terms(x, tx)
    assert t30.prognostic_index[0] - t22.prognostic_index[0] == pytest.approx(-0.0619 + 0.1326175, abs=1e-5)
    assert t30.other_index[0] - t22.other_index[0] == pytest.approx(
        -0.0547760 - 0.0246926 + 0.1823216 + 0.1176621, abs=1e-5
    )
    assert t30.treatment_log_hr["radiotherapy"][0] == pytest.approx(-0.198451, abs=1e-6)
