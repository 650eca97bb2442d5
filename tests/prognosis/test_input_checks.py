"""PREDICT's input checks: the all-fields-at-once check accepts exactly what the field-by-field checks accept.

Source: the input domain documented on ``PredictInputs`` (age and size > 0 and finite, nodes >= 0 and finite,
grade 1-3 or NaN, ER 1/0, the other markers and smoking 1/0/NaN, heart dose >= 0 and finite or NaN). The fast
check (issue 13: a batch of one) must neither let an invalid value through nor refuse a valid one, and an invalid
batch must still be refused with the message naming the first invalid field.
"""

from __future__ import annotations

import numpy as np
import pytest

from micromets.prognosis import PredictInputs, Treatments
from micromets.prognosis._inputs import _FIELD_RULES, _all_valid, _raise_first_problem

VALID = {"age": 60.0, "size_mm": 15.0, "nodes": 0.5, "grade": 2.0, "screen_detected": 1.0, "er": 1.0, "her2": 0.0,
         "ki67": np.nan, "pr": 1.0, "smoker": np.nan, "heart_dose_gy": np.nan}
SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, 2.0, 3.0, 0.5, 1.5, -1.0, 5e-324, 1e308, 4.0, 2.5, 30.0]


def _field_by_field(arrays: dict[str, np.ndarray]) -> bool:
    try:
        _raise_first_problem(arrays)
    except ValueError:
        return False
    except AssertionError:  # raised only after every check passed
        return True
    raise AssertionError("unreachable")


@pytest.mark.parametrize("name", list(_FIELD_RULES))
def test_each_special_value_of_each_field_is_judged_alike(name: str) -> None:
    for value in SPECIAL:
        arrays = {k: np.array([v]) for k, v in VALID.items()}
        arrays[name] = np.array([value])
        assert _all_valid(arrays) == _field_by_field(arrays), (name, value)


def test_random_batches_are_judged_alike() -> None:
    rng = np.random.default_rng(13)
    for _ in range(2000):
        arrays = {k: rng.choice(SPECIAL, size=3) for k in VALID}
        assert _all_valid(arrays) == _field_by_field(arrays)


def test_an_invalid_batch_names_the_first_invalid_field() -> None:
    with pytest.raises(ValueError, match="grade must be one of 1, 2, 3"):
        PredictInputs.build(age=[60, 61], size_mm=[15, 15], nodes=[0, 0], grade=[2, 4], screen_detected=[1, 1],
                            er=[1, 1], her2=[0, 7])
    with pytest.raises(ValueError, match="size_mm must be > 0"):
        PredictInputs.build(age=[60], size_mm=[0], nodes=[0], grade=[4], screen_detected=[1], er=[1])


def test_scalar_treatments_are_shared_read_only_and_equal_to_array_treatments() -> None:
    """Scalar treatments are broadcast once per combination: the arrays cannot be written into, and equal what
    the same treatments given as arrays give."""
    shared = Treatments(endocrine=True, chemotherapy_generation=3).broadcast(3)
    assert shared is Treatments(endocrine=True, chemotherapy_generation=3).broadcast(3)
    with pytest.raises(ValueError):
        shared.endocrine[0] = False
    as_arrays = Treatments(endocrine=np.ones(3, bool), chemotherapy_generation=np.full(3, 3.0)).broadcast(3)
    for name in ("endocrine", "endocrine_years", "chemotherapy_generation", "trastuzumab", "bisphosphonate",
                 "radiotherapy"):
        assert np.array_equal(getattr(shared, name), getattr(as_arrays, name))
        assert getattr(shared, name).dtype == getattr(as_arrays, name).dtype


def test_large_batches_get_their_own_writable_treatment_arrays() -> None:
    """Sharing is for small batches only (bounded memory): a registry batch gets fresh arrays."""
    first, second = Treatments(radiotherapy=True).broadcast(5000), Treatments(radiotherapy=True).broadcast(5000)
    assert first is not second
    assert first.radiotherapy.flags.writeable and bool(first.radiotherapy.all())
