"""Properties the specification implies (not values produced by the code)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.prognosis import PredictInputs, Treatments, available_versions, predict

VERSIONS = available_versions()

ALL_ON = Treatments(
    endocrine=True,
    endocrine_years=10,
    chemotherapy_generation=3,
    trastuzumab=True,
    bisphosphonate=True,
    radiotherapy=True,
)


def cohort(n: int = 200, seed: int = 7, **fixed: float) -> PredictInputs:
    """Random but deterministic cohort; a third single-micrometastasis (0.5) node counts."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {
        "age": rng.uniform(25, 90, n),
        "size_mm": rng.uniform(1, 100, n),
        "nodes": np.where(np.arange(n) % 3 == 0, 0.5, rng.integers(0, 15, n)).astype(float),
        "grade": rng.choice([1.0, 2.0, 3.0, np.nan], n),
        "screen_detected": rng.choice([0.0, 1.0, np.nan], n),
        "er": rng.choice([0.0, 1.0], n),
        "her2": rng.choice([0.0, 1.0, np.nan], n),
        "ki67": rng.choice([0.0, 1.0, np.nan], n),
        "pr": rng.choice([0.0, 1.0, np.nan], n),
        "smoker": rng.choice([0.0, 1.0, np.nan], n),
        "heart_dose_gy": rng.choice([np.nan, 0.5, 2.0, 6.0], n),
    }
    for key, value in fixed.items():
        cols[key] = np.full(n, float(value))
    return PredictInputs.build(**cols)


@pytest.mark.parametrize("version", VERSIONS)
def test_survival_is_a_decreasing_probability(version: str) -> None:
    r = predict(cohort(), ALL_ON, version=version)
    os_ = r.overall_survival
    assert ((os_ >= 0) & (os_ <= 1)).all()
    assert (np.diff(os_, axis=2) <= 1e-15).all()
    assert (np.diff(r.breast_cancer_mortality, axis=2) >= -1e-15).all()
    assert (np.diff(r.other_mortality, axis=2) >= -1e-15).all()
    np.testing.assert_allclose(os_ + r.breast_cancer_mortality + r.other_mortality, 1.0, atol=1e-12)
    np.testing.assert_array_equal(r.years, np.arange(1, 16))


@pytest.mark.parametrize("version", VERSIONS)
def test_more_nodes_never_improves_survival(version: str) -> None:
    base = cohort()
    results = [
        predict(cohort(nodes=n), ALL_ON, version=version).overall_survival for n in (0, 0.5, 1, 2, 5, 20)
    ]
    for better, worse in zip(results, results[1:], strict=False):
        assert (worse <= better + 1e-15).all()
    assert base.n == 200


@pytest.mark.parametrize("version", VERSIONS)
def test_single_micrometastasis_lies_between_zero_and_one_node(version: str) -> None:
    os0, os_half, os1 = (
        predict(cohort(nodes=n), ALL_ON, version=version).overall_survival for n in (0, 0.5, 1)
    )
    assert ((os_half < os0) & (os_half > os1)).all()


@pytest.mark.parametrize("version", ["2.2", "3.0"])
def test_adding_a_treatment_never_lowers_os(version: str) -> None:
    # v2.2 has no treatment harms and v3.0 charges them to every column alike (benefits30); v3.2 charges the
    # chemotherapy and radiotherapy harms per column, so there a treatment's net OS benefit can be negative.
    r = predict(cohort(), ALL_ON, version=version)
    assert (r.incremental_os_benefit() >= -1e-15).all()


@pytest.mark.parametrize("version", VERSIONS)
def test_adding_a_treatment_never_raises_breast_cancer_mortality(version: str) -> None:
    r = predict(cohort(), ALL_ON, version=version)
    assert (np.diff(r.breast_cancer_mortality, axis=1) <= 1e-15).all()


def test_v22_column_order_and_radiotherapy_ignored() -> None:
    x = cohort()
    with_rt = predict(x, ALL_ON, version="2.2")
    no_rt = predict(
        x,
        Treatments(
            endocrine=True,
            endocrine_years=10,
            chemotherapy_generation=3,
            trastuzumab=True,
            bisphosphonate=True,
        ),
        version="2.2",
    )
    assert with_rt.column_order == ("surgery", "endocrine", "chemotherapy", "trastuzumab", "bisphosphonate")
    np.testing.assert_array_equal(with_rt.overall_survival, no_rt.overall_survival)


def test_v30_column_order_and_filtering() -> None:
    x = cohort()
    assert predict(x, ALL_ON, version="3.0").column_order == (
        "surgery",
        "endocrine",
        "radiotherapy",
        "chemotherapy",
        "trastuzumab",
        "bisphosphonate",
    )
    assert predict(x, None, version="3.0").column_order == ("surgery",)
    tx = Treatments(chemotherapy_generation=np.where(np.arange(x.n) == 3, 2, 0), bisphosphonate=True)
    assert predict(x, tx, version="3.0").column_order == ("surgery", "chemotherapy", "bisphosphonate")


@pytest.mark.parametrize("version", VERSIONS)
def test_trastuzumab_has_no_effect_unless_her2_positive(version: str) -> None:
    for her2 in (0.0, np.nan):
        r = predict(cohort(her2=her2), Treatments(trastuzumab=True), version=version)
        np.testing.assert_array_equal(r.overall_survival[:, 1], r.overall_survival[:, 0])
    r = predict(cohort(her2=1), Treatments(trastuzumab=True), version=version)
    assert (r.overall_survival[:, 1, 4:] > r.overall_survival[:, 0, 4:]).all()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("years", [5, 10])
def test_endocrine_has_no_effect_when_er_negative(version: str, years: int) -> None:
    r = predict(cohort(er=0), Treatments(endocrine=True, endocrine_years=years), version=version)
    np.testing.assert_array_equal(r.overall_survival[:, 1], r.overall_survival[:, 0])


@pytest.mark.parametrize("version", VERSIONS)
def test_extended_endocrine_gating(version: str) -> None:
    """-0.26 add-on only for ER+ on 10 years of endocrine therapy, only in years 11-15."""
    x = cohort(er=1)
    five = predict(x, Treatments(endocrine=True, endocrine_years=5), version=version).overall_survival
    ten = predict(x, Treatments(endocrine=True, endocrine_years=10), version=version).overall_survival
    np.testing.assert_array_equal(ten[:, :, :10], five[:, :, :10])
    assert (ten[:, 1, 10:] > five[:, 1, 10:]).all()  # v3.0: upstream h10 == h bug corrected
    # years = 10 without endocrine therapy changes nothing (v2.2 upstream bug corrected)
    off = predict(x, Treatments(endocrine=False, endocrine_years=10, bisphosphonate=True), version=version)
    off5 = predict(x, Treatments(endocrine=False, endocrine_years=5, bisphosphonate=True), version=version)
    np.testing.assert_array_equal(off.overall_survival, off5.overall_survival)


@pytest.mark.parametrize("version", VERSIONS)
def test_batch_of_one_equals_row_of_batch(version: str) -> None:
    x = cohort(n=30)
    rng = np.random.default_rng(3)
    tx = Treatments(
        endocrine=rng.random(30) < 0.5,
        endocrine_years=rng.choice([5, 10], 30),
        chemotherapy_generation=rng.choice([0, 2, 3], 30),
        trastuzumab=rng.random(30) < 0.5,
        bisphosphonate=rng.random(30) < 0.5,
        radiotherapy=rng.random(30) < 0.5,
    )
    full = predict(x, tx, version=version)
    txa = tx.broadcast(30)
    for i in (0, 7, 29):
        single = predict(
            x.take([i]), Treatments(**{f: getattr(txa, f)[[i]] for f in txa.__slots__}), version=version
        )
        for k, name in enumerate(single.column_order):
            j = full.column(name)
            np.testing.assert_array_equal(single.overall_survival[0, k], full.overall_survival[i, j])
            np.testing.assert_array_equal(
                single.breast_cancer_mortality[0, k], full.breast_cancer_mortality[i, j]
            )


@pytest.mark.parametrize("version", VERSIONS)
def test_chunking_and_threads_do_not_change_results(version: str) -> None:
    x = cohort(n=101)
    a = predict(x, ALL_ON, version=version)
    b = predict(x, ALL_ON, version=version, chunk_size=7, workers=2)
    np.testing.assert_array_equal(a.overall_survival, b.overall_survival)
    np.testing.assert_array_equal(a.other_mortality, b.other_mortality)


@pytest.mark.parametrize("version", ["2.2", "3.0"])  # v3.2 takes log(age - 24): computed at 25 (its own test)
def test_age_under_25_is_flagged_not_clamped(version: str) -> None:
    x20, x25 = cohort(n=5, age=20), cohort(n=5, age=25)
    r20, r25 = predict(x20, version=version), predict(x25, version=version)
    assert not np.array_equal(r20.overall_survival, r25.overall_survival)
    assert all(any(w.startswith("age < 25") for w in ws) for ws in r20.warnings)
    assert not any(w.startswith("age < 25") for ws in r25.warnings for w in ws)


def test_unknown_grade_er_negative_coding_differs_by_version() -> None:
    """v2.x: unknown grade (2.13) -> ER- grade indicator 0 (like grade 1); v3.0: g >= 2 -> 1 (like grade 2)."""
    unk = predict(cohort(er=0, grade=np.nan), version="2.2").overall_survival
    np.testing.assert_array_equal(unk, predict(cohort(er=0, grade=1), version="2.2").overall_survival)
    unk3 = predict(cohort(er=0, grade=np.nan), version="3.0").overall_survival
    np.testing.assert_array_equal(unk3, predict(cohort(er=0, grade=2), version="3.0").overall_survival)


def test_v30_other_cause_index_shared_by_all_columns() -> None:
    """benefits30: chemo/RT other-cause harm is in MI for every column, surgery only included."""
    x = cohort()
    plain = predict(x, Treatments(bisphosphonate=True), version="3.0")
    chemo = predict(
        x, Treatments(bisphosphonate=True, chemotherapy_generation=2, radiotherapy=True), version="3.0"
    )
    assert (chemo.other_mortality[:, 0] > plain.other_mortality[:, 0]).all()
    assert (chemo.overall_survival[:, 0] < plain.overall_survival[:, 0]).all()
    # the surgery-only breast-cancer hazard itself is unchanged: with the same other-cause
    # survival the incremental benefit is a breast-cancer benefit only, hence >= 0
    assert (chemo.incremental_os_benefit() >= -1e-15).all()


def test_v30_unknown_smoker_and_missing_heart_dose() -> None:
    x_unknown = cohort(n=4, smoker=np.nan, heart_dose_gy=np.nan)
    x_two_gy = cohort(n=4, smoker=np.nan, heart_dose_gy=2.0)
    tx = Treatments(radiotherapy=True)
    a, b = predict(x_unknown, tx, version="3.0"), predict(x_two_gy, tx, version="3.0")
    np.testing.assert_array_equal(a.overall_survival, b.overall_survival)
    assert all(len(ws) >= 2 for ws in a.warnings)
    # smoker unknown lies between never and current smoker
    s0, s1 = (predict(cohort(n=4, smoker=s), version="3.0").overall_survival for s in (0, 1))
    su = predict(cohort(n=4, smoker=np.nan), version="3.0").overall_survival
    assert ((su <= s0) & (su >= s1)).all()


@settings(max_examples=25, deadline=None)
@given(age=st.floats(25, 90), size=st.floats(1, 100), er=st.sampled_from([0.0, 1.0]))
def test_bigger_tumour_never_improves_survival(age: float, size: float, er: float) -> None:
    for version in VERSIONS:
        small = predict(
            PredictInputs.build(
                age=[age], size_mm=[size], nodes=[0.5], grade=[2], screen_detected=[0], er=[er]
            ),
            ALL_ON,
            version=version,
        )
        big = predict(
            PredictInputs.build(
                age=[age], size_mm=[size * 1.5], nodes=[0.5], grade=[2], screen_detected=[0], er=[er]
            ),
            ALL_ON,
            version=version,
        )
        assert (big.overall_survival <= small.overall_survival + 1e-15).all()


def test_at_years_shapes() -> None:
    r = predict(cohort(n=3), ALL_ON, version="3.0")
    at = r.at_years((5, 10, 15))
    assert at["overall_survival"].shape == (3, 6, 3)
    assert at["incremental_os_benefit"].shape == (3, 5, 3)
    np.testing.assert_array_equal(at["overall_survival"][:, :, 1], r.overall_survival[:, :, 9])
    with pytest.raises(ValueError, match="years"):
        r.at_years((0,))
