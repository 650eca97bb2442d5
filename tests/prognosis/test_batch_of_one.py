"""A batch of one gives bit for bit the figures of the same patient scored in a batch.

Source: issue 13 ("`assess` is a batch of one ... no second twin implementation") and the PREDICT engine's
contract (``predict`` docstring: the arithmetic is element-wise per patient, so batching changes no figure).
For one patient, every version computes its model terms on Python floats (``_elementwise``: the same code that scores a
batch, with numpy's own exp/log/power); the assessments' snapshot hashes the JSON of the figures, so the two
must agree to the last bit, not within a tolerance. Checked here over 100,000 generated patients covering every
input code (unknowns included), ages below 25, large tumours and node counts, and every treatment combination.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from micromets.prognosis import PredictInputs, Treatments, available_versions, predict
from micromets.prognosis.predict import get_model

pytestmark = pytest.mark.slow  # ~100,000 single-patient term evaluations

N = 100_000


def _patients(n: int, seed: int) -> tuple[PredictInputs, np.ndarray]:
    rng = np.random.default_rng(seed)

    def pick(values: list[float]) -> np.ndarray:
        return np.array(values, dtype=np.float64)[rng.integers(0, len(values), n)]

    age = np.where(rng.random(n) < 0.05, rng.uniform(18.0, 25.0, n), rng.uniform(25.0, 95.0, n))
    x = PredictInputs.build(
        age=np.where(rng.random(n) < 0.5, np.floor(age), age),
        size_mm=np.where(rng.random(n) < 0.5, rng.integers(1, 80, n).astype(np.float64), rng.uniform(0.1, 150.0, n)),
        nodes=pick([0, 0, 0, 0.5, 1, 2, 3, 4, 5, 7, 10, 15, 25, 40]),
        grade=pick([1, 2, 3, np.nan]),
        screen_detected=pick([0, 1, np.nan]),
        er=pick([0, 1, 1]),
        her2=pick([0, 1, np.nan]),
        ki67=pick([0, 1, np.nan]),
        pr=pick([0, 1, np.nan]),
        smoker=pick([0, 1, np.nan]),
        heart_dose_gy=np.where(rng.random(n) < 0.4, np.nan,
                               np.where(rng.random(n) < 0.2, 0.0, rng.uniform(0.0, 12.0, n))),
    )
    # endocrine, endocrine years, chemotherapy generation, trastuzumab, bisphosphonate, radiotherapy
    tx = np.column_stack([rng.integers(0, 2, n), pick([5, 10]), pick([0, 2, 3]), rng.integers(0, 2, n),
                          rng.integers(0, 2, n), rng.integers(0, 2, n)])
    return x, tx


def _treatments(tx: np.ndarray) -> Treatments:
    return Treatments(endocrine=tx[:, 0] == 1, endocrine_years=tx[:, 1], chemotherapy_generation=tx[:, 2],
                      trastuzumab=tx[:, 3] == 1, bisphosphonate=tx[:, 4] == 1, radiotherapy=tx[:, 5] == 1)


def _bits(values: Any) -> np.ndarray:
    """The 64 bits of each value (NaN and -0.0 compared exactly)."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64)).view(np.int64)


@pytest.mark.parametrize("version", available_versions())
def test_the_terms_of_one_patient_as_floats_are_the_terms_of_the_batch(version: str) -> None:
    model = get_model(version)
    assert model.scalar_terms
    x, tx = _patients(N, seed=13)
    arrays = _treatments(tx).broadcast(N)
    batch = model.terms(x, arrays)
    singles = [model.terms(x.row(i), arrays.row(i)) for i in range(N)]  # type: ignore[arg-type]

    def column(get: Any) -> np.ndarray:
        return _bits([get(t) for t in singles])

    assert np.array_equal(column(lambda t: t.prognostic_index), _bits(batch.prognostic_index))
    assert np.array_equal(column(lambda t: t.other_index), _bits(batch.other_index))
    assert np.array_equal(column(lambda t: t.extended_endocrine_log_hr), _bits(batch.extended_endocrine_log_hr))
    for name, values in batch.treatment_log_hr.items():
        assert np.array_equal(_bits([t.treatment_log_hr[name] for t in singles]), _bits(values)), name
    for name, values in batch.treatment_other_log_hr.items():
        assert np.array_equal(_bits([t.treatment_other_log_hr[name] for t in singles]), _bits(values)), name
    for name, flags in batch.warnings.items():
        assert [bool(t.warnings[name]) for t in singles] == flags.tolist(), name
    if batch.breast_log_hr_by_year is None:  # v2.2, v3.0
        assert all(t.breast_log_hr_by_year is None for t in singles)
    else:
        by_year = np.concatenate([t.breast_log_hr_by_year for t in singles], axis=1)
        assert np.array_equal(_bits(by_year), _bits(batch.breast_log_hr_by_year))


@pytest.mark.parametrize("version", available_versions())
def test_predict_for_one_patient_equals_her_row_of_the_batch(version: str) -> None:
    """Whole results (every column and year), one call per patient against one call per treatment group."""
    n = 3_000
    x, tx = _patients(n, seed=2026)
    for combination in np.unique(tx, axis=0):
        rows = np.flatnonzero((tx == combination).all(axis=1))
        e, years, chemo, trastuzumab, bisphosphonate, radiotherapy = combination.tolist()
        treatments = Treatments(endocrine=bool(e), endocrine_years=years, chemotherapy_generation=chemo,
                                trastuzumab=bool(trastuzumab), bisphosphonate=bool(bisphosphonate),
                                radiotherapy=bool(radiotherapy))
        group = predict(x.take(rows), treatments, version)
        for k, i in enumerate(rows.tolist()):
            one = predict(x.take([i]), treatments, version)
            assert one.column_order == group.column_order
            assert one.warnings[0] == group.warnings[k]
            for a, b in ((one.overall_survival[0], group.overall_survival[k]),
                         (one.breast_cancer_mortality[0], group.breast_cancer_mortality[k]),
                         (one.other_mortality[0], group.other_mortality[k])):
                assert np.array_equal(_bits(a), _bits(b)), (version, i)
            assert one.other_index is not None and group.other_index is not None
            assert _bits(one.other_index[0]) == _bits(group.other_index[k])


def test_the_input_check_of_one_patient_accepts_what_the_batch_check_accepts() -> None:
    """One patient's inputs are checked on Python floats; a batch of two copies goes through the array check."""
    from micromets.prognosis._inputs import _FIELD_RULES, _rows_valid

    special = [0.0, -0.0, 0.5, 1.0, 2.0, 3.0, 4.0, -1.0, 1e-300, 5e-324, 2.5, 24.0, 25.0, 130.0, 1e308,
               float("inf"), float("-inf"), float("nan")]
    rng = np.random.default_rng(7)
    fields = len(_FIELD_RULES)
    base = np.array([60.0, 20.0, 1.0, 2.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 2.0])
    checked = accepted = 0
    for _ in range(20_000):
        column = base.copy()
        for k in rng.choice(fields, size=rng.integers(1, 4), replace=False).tolist():
            column[k] = special[rng.integers(len(special))]
        one = _rows_valid(column[:, None])
        assert one == _rows_valid(np.repeat(column[:, None], 2, axis=1)), column.tolist()
        checked += 1
        accepted += one
    assert 0 < accepted < checked  # both outcomes exercised


@pytest.mark.parametrize("version", available_versions())
def test_large_and_small_blocks_give_the_same_bits(version: str) -> None:
    """A block of 3,000 patients is scored in sub-blocks of 1,024 (``_competing``), blocks of 257 in one piece;
    more than 16 patients sum the years one addition per year, fewer in one ``add.accumulate``: chunking must not
    change a bit (the ``predict`` docstring's promise)."""
    n = 3_000
    x, tx = _patients(n, seed=99)
    treatments = _treatments(tx)
    large = predict(x, treatments, version, chunk_size=4_096)  # one block of 3,000
    small = predict(x, treatments, version, chunk_size=257)
    assert large.column_order == small.column_order
    for a, b in ((large.overall_survival, small.overall_survival),
                 (large.breast_cancer_mortality, small.breast_cancer_mortality),
                 (large.other_mortality, small.other_mortality)):
        assert np.array_equal(_bits(a), _bits(b))
    assert np.array_equal(large.warning_mask, small.warning_mask)


def test_one_patient_given_as_values_is_checked_as_a_batch_of_one() -> None:
    """``PredictRow.checked`` (one patient's Python floats, no arrays) accepts and rejects exactly what
    ``PredictInputs.from_matrix`` accepts and rejects for a batch of one, with the same message."""
    from micromets.prognosis._inputs import PredictRow

    special = [0.0, -0.0, 0.5, 1.0, 2.0, 3.0, 4.0, -1.0, 1e-300, 5e-324, 2.5, 24.0, 25.0, 130.0, 1e308,
               float("inf"), float("-inf"), float("nan")]
    rng = np.random.default_rng(11)
    base = [60.0, 20.0, 1.0, 2.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 2.0]
    outcomes = set()
    for _ in range(5_000):
        values = list(base)
        for k in rng.choice(len(base), size=rng.integers(1, 4), replace=False).tolist():
            values[k] = special[rng.integers(len(special))]
        try:
            batch: Any = PredictInputs.from_matrix(np.array(values).reshape(-1, 1)).row(0)
        except ValueError as error:
            batch = str(error)
        try:
            one: Any = PredictRow.checked(values)
        except ValueError as error:
            one = str(error)
        if isinstance(batch, str):
            assert one == batch, values
        else:
            assert np.array_equal(_bits(list(one)), _bits(list(batch))), values
        outcomes.add(isinstance(batch, str))
    assert outcomes == {True, False}  # both outcomes exercised


def test_one_patients_treatments_are_those_of_a_batch_of_one() -> None:
    """``Treatments.one`` (Python values) equals ``broadcast(1).row(0)``, value for value and type for type, and
    raises the same error for an invalid value."""
    import itertools

    checked = raised = 0
    for endocrine, years, chemotherapy, radiotherapy in itertools.product(
        [False, True, 0, 1, 2], [5, 10, 5.0, 7, float("nan")], [0, 2, 3, 3.0, 1, False], [False, True, 1.0, -1]
    ):
        treatments = Treatments(endocrine=endocrine, endocrine_years=years, chemotherapy_generation=chemotherapy,
                                trastuzumab=True, bisphosphonate=0, radiotherapy=radiotherapy)
        try:
            expected: Any = treatments.broadcast(1).row(0)
        except ValueError as error:
            with pytest.raises(ValueError) as one_error:
                treatments.one()
            assert str(one_error.value) == str(error)
            raised += 1
            continue
        one = treatments.one()
        assert one == expected
        assert [type(v) for v in one] == [type(v) for v in expected]
        checked += 1
    assert checked and raised
