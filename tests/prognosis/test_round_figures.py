"""``round_figures`` gives, bit for bit, what Python's ``round(v, 10)`` gives (the rounding of every reported
PREDICT figure), including half-way points, values next to them, negative zero, tiny, large and non-finite
values. Source: the Python data model (``round(x, n)``: the double nearest the correctly rounded decimal, half
to even); compared by bit pattern so that ``-0.0`` and ``0.0`` count as different, as they do in JSON.
"""

from __future__ import annotations

import struct

import numpy as np

from micromets.prognosis.case_adapter import round_figures


def _bits(values: list[float]) -> list[bytes]:
    return [struct.pack("<d", v) for v in values]


def _check(values: np.ndarray) -> None:
    expected = [round(v, 10) for v in values.tolist()]
    assert _bits(round_figures(values)) == _bits(expected)


def test_survival_like_fractions() -> None:
    rng = np.random.default_rng(13)
    for _ in range(20):
        _check(rng.random(100_000))
        _check(rng.random(50_000) - 0.5)  # benefits may be negative
        _check(rng.random(50_000) * 1e-9)  # tiny: rounds to 0 or 1e-10 steps


def test_half_way_points_and_their_neighbours() -> None:
    rng = np.random.default_rng(14)
    k = rng.integers(0, 10**10, 20_000).astype(np.float64)
    half = (k + 0.5) / 1e10
    neighbours = [half]
    for steps in (1, 2, 3, 50, 5000):
        neighbours += [np.nextafter(half, 2.0) if steps == 1 else half + steps * np.spacing(half),
                       np.nextafter(half, -2.0) if steps == 1 else half - steps * np.spacing(half)]
    for values in neighbours:
        _check(values)
        _check(-values)


def test_special_values() -> None:
    fractions = np.array([0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 1e-11, -1e-11, 5e-11, -5e-11, 0.5, 1.99999999995,
                          -1.99999999995, 0.123456789049999, 0.99999999995, 0.49999999995])
    _check(fractions)  # every one through the array path
    for other in (2.0, 1e5, 1e300, -1e300, np.inf, -np.inf, np.nan):  # a batch with one of these: round() itself
        _check(np.append(fractions, other))


def test_reported_figures_from_the_engines_storage_equal_those_of_separate_results() -> None:
    """``reported_figures`` reads the engine's (3, C, T, n) storage directly; a result whose three arrays were
    given separately (no storage) is stacked first: the same figures, bit for bit, for one patient and a batch."""
    import dataclasses

    from micromets.prognosis import PredictInputs, Treatments, available_versions, predict
    from micromets.prognosis.case_adapter import reported_figures

    rng = np.random.default_rng(5)
    for n in (1, 2, 37):
        x = PredictInputs.build(age=rng.uniform(30, 90, n), size_mm=rng.uniform(1, 60, n), nodes=rng.integers(0, 6, n),
                                grade=rng.integers(1, 4, n), screen_detected=rng.integers(0, 2, n),
                                er=rng.integers(0, 2, n), her2=rng.integers(0, 2, n), smoker=rng.integers(0, 2, n))
        for version in available_versions():
            for treatments in (Treatments(), Treatments(endocrine=True, chemotherapy_generation=3, radiotherapy=True,
                                                        trastuzumab=True, bisphosphonate=True)):
                result = predict(x, treatments, version)
                assert result.storage is not None
                separate = dataclasses.replace(result, storage=None)
                assert _bits(reported_figures(result)) == _bits(reported_figures(separate))
