"""One patient scored on her own (``PredictModel.run_one``: Python floats for the terms, each column's own
other-cause index, one ``add.accumulate`` over the years) gives bit for bit the figures of the same patient
scored inside a batch (arrays, runs of columns sharing an other-cause index gathered per column, the years
summed one addition at a time, sub-blocks of 1,024 patients).

Source: issue 13 ("`assess` is a batch of one ... no second twin implementation") and the ``predict`` docstring
(the arithmetic is element-wise per patient, so batching changes no figure). The assessments' snapshot hashes
the JSON of the rounded figures, so the two must agree to the last bit: compared here by bit pattern, over
inputs drawn by hypothesis (every input code including unknowns, ages below 25, every treatment set).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.prognosis import PredictInputs, Treatments, available_versions
from micromets.prognosis._inputs import PredictRow
from micromets.prognosis.case_adapter import reported_figures
from micromets.prognosis.predict import get_model

_CODE = st.sampled_from([0.0, 1.0, math.nan])
_PATIENT = st.tuples(
    st.floats(18.0, 100.0),  # age (below 25 included)
    st.floats(0.1, 200.0),  # size_mm
    st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 9.0, 20.0, 45.0]),  # nodes
    st.sampled_from([1.0, 2.0, 3.0, math.nan]),  # grade
    _CODE,  # screen_detected
    st.sampled_from([0.0, 1.0]),  # er
    _CODE, _CODE, _CODE, _CODE,  # her2, ki67, pr, smoker
    st.one_of(st.just(math.nan), st.floats(0.0, 15.0)),  # heart_dose_gy
)
_TREATMENTS = st.builds(
    Treatments,
    endocrine=st.booleans(), endocrine_years=st.sampled_from([5, 10]), chemotherapy_generation=st.sampled_from([0, 2, 3]),
    trastuzumab=st.booleans(), bisphosphonate=st.booleans(), radiotherapy=st.booleans(),
)


def _bits(values: object) -> list[int]:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64)).view(np.int64).ravel().tolist()


@settings(max_examples=400)
@given(patient=_PATIENT, others=st.lists(_PATIENT, min_size=1, max_size=40), treatments=_TREATMENTS,
       at=st.integers(0, 40), version=st.sampled_from(available_versions()))
def test_one_patient_alone_equals_her_row_in_a_batch(
    patient: tuple[float, ...], others: list[tuple[float, ...]], treatments: Treatments, at: int, version: str
) -> None:
    model = get_model(version)
    rows = list(others)
    at = min(at, len(rows))
    rows.insert(at, patient)
    batch = model.run(PredictInputs.from_matrix(np.array(rows, dtype=np.float64).T.copy()), treatments)
    alone = model.run_one(PredictRow.checked(patient), treatments.one())
    assert alone.column_order == batch.column_order
    assert alone.warnings[0] == batch.warnings[at]
    for one, many in ((alone.overall_survival[0], batch.overall_survival[at]),
                      (alone.breast_cancer_mortality[0], batch.breast_cancer_mortality[at]),
                      (alone.other_mortality[0], batch.other_mortality[at])):
        assert _bits(one) == _bits(many)
    assert alone.other_index is not None and batch.other_index is not None
    assert _bits(alone.other_index) == _bits(batch.other_index[at : at + 1])
    width = len(reported_figures(alone))
    assert _bits(reported_figures(alone)) == _bits(reported_figures(batch)[at * width : (at + 1) * width])


@given(patient=_PATIENT, treatments=_TREATMENTS, version=st.sampled_from(available_versions()))
def test_one_patient_alone_equals_her_row_in_a_batch_of_2000(
    patient: tuple[float, ...], treatments: Treatments, version: str
) -> None:
    """Past the sub-block size: she is the last patient of a 2,000-patient batch (its second sub-block)."""
    model = get_model(version)
    rng = np.random.default_rng(3)
    n = 2_000
    filler = np.column_stack([rng.uniform(30, 80, n), rng.uniform(1, 50, n), rng.integers(0, 4, n), rng.integers(1, 4, n),
                              rng.integers(0, 2, n), rng.integers(0, 2, n), rng.integers(0, 2, n), rng.integers(0, 2, n),
                              rng.integers(0, 2, n), rng.integers(0, 2, n), rng.uniform(0, 5, n)]).astype(np.float64)
    filler[-1] = patient
    batch = model.run(PredictInputs.from_matrix(filler.T.copy()), treatments)
    alone = model.run_one(PredictRow.checked(patient), treatments.one())
    assert _bits(alone.overall_survival[0]) == _bits(batch.overall_survival[-1])
    assert _bits(alone.breast_cancer_mortality[0]) == _bits(batch.breast_cancer_mortality[-1])
    assert _bits(alone.other_mortality[0]) == _bits(batch.other_mortality[-1])
