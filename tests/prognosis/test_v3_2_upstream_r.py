"""PREDICT v3.2 against the upstream R code.

Source of the expected values: tests/prognosis/data/upstream_r_reference_v3_2.csv, produced by
running WintonCentre/predict-v30-r ``R/benefits32.R`` (R 4.2.2, transcribed to base R: tibble ->
data.frame, case_when -> if/else) on 450 generated cases (a third with nodes = 0.5), of which
every fifth is stored. See the header of the CSV and docs/prognosis.md ("Verification").

Each case was run twice upstream: as given (``os32_``/``br32_``) and with the heart dose zeroed
when radiotherapy is not given (``os32g_``/``br32g_``). The only documented difference is the
heart-dose quirk: upstream adds ln(1.02) x heart dose to its radiotherapy columns even when
radiotherapy = 0; the engine applies the harm only with radiotherapy. Everything else must agree
to 1e-10 percentage points (the acceptance tolerance is 0.05 pp; observed ~5e-14).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from _upstream_fixture import UpstreamFixture

from micromets.prognosis import predict

DATA = Path(__file__).parent / "data" / "upstream_r_reference_v3_2.csv"
YEARS = (5, 10, 15)
COLS = ("s", "r", "rh", "rhc", "rhct", "rhctb")  # rh10... when h10 = 1
ENGINE_ORDER = ("surgery", "radiotherapy", "endocrine", "chemotherapy", "trastuzumab", "bisphosphonate")
TOL_PP = 1e-10


FIXTURE = UpstreamFixture.read(DATA)
ROWS = FIXTURE.rows
_col = FIXTURE.col


def _expected(prefix: str) -> np.ndarray:
    """(n, 6, 3) upstream values in percent."""
    return np.stack([np.stack([_col(f"{prefix}_{c}_{y}") for y in YEARS], axis=1) for c in COLS], axis=1)


INPUTS = FIXTURE.inputs()
TREATMENTS = FIXTURE.treatments()
RESULT = predict(INPUTS, TREATMENTS, version="3.2")
AT = RESULT.at_years(YEARS)
OS = 100 * AT["overall_survival"]
BR = 100 * AT["breast_cancer_mortality"]
QUIRK = (_col("radio") == 0) & (_col("heart") > 0)  # heart dose given without radiotherapy


def test_fixture_has_micrometastases_all_treatments_and_quirk_cases() -> None:
    assert len(ROWS) == 90
    assert (_col("nodes") == 0.5).sum() >= 25
    for name in ("horm", "traz", "bis", "radio", "h10"):
        assert (_col(name) == 1).any()
    assert set(_col("generation")) == {0.0, 2.0, 3.0}
    assert QUIRK.sum() >= 20
    assert ((_col("h10") == 1) & (_col("horm") == 1) & (_col("er") == 1)).sum() >= 5


def test_display_order_is_radiotherapy_first() -> None:
    assert RESULT.column_order == ENGINE_ORDER


def test_matches_upstream_outside_the_heart_dose_quirk() -> None:
    ok = ~QUIRK
    os_exp, br_exp = _expected("os32"), _expected("br32")
    assert np.abs(OS - os_exp)[ok].max() < TOL_PP
    assert np.abs(BR - br_exp)[ok].max() < TOL_PP
    inc = 100 * AT["incremental_os_benefit"]
    assert np.abs(inc - np.diff(os_exp, axis=1))[ok].max() < TOL_PP
    # extended endocrine therapy (-0.301 in years 11-15) is correct upstream in v3.2: no deviation
    h10 = (_col("h10") == 1) & ok
    assert np.abs(OS - os_exp)[h10].max() < TOL_PP


def test_matches_upstream_everywhere_when_heart_dose_goes_with_radiotherapy() -> None:
    """The correction equals upstream run with heart.gy = heart * radio, for every case."""
    assert np.abs(OS - _expected("os32g")).max() < TOL_PP
    assert np.abs(BR - _expected("br32g")).max() < TOL_PP


def test_heart_dose_quirk_deviation_only_where_documented() -> None:
    """Upstream harms patients *not* given radiotherapy in its r... columns; the engine does not."""
    os_exp = _expected("os32")
    diff = OS - os_exp
    assert np.abs(diff[QUIRK, 0]).max() < TOL_PP  # surgery only: no radiotherapy term anywhere
    assert (diff[QUIRK, 1:] > 0.0).all()  # upstream lower in every column containing r
    assert diff[QUIRK, 1:].max() > 1.0  # by more than 1 pp in some cases
    # upstream shows a negative "radiotherapy benefit" for patients without radiotherapy
    assert (os_exp[QUIRK, 1] < os_exp[QUIRK, 0]).all()
    # the engine: no radiotherapy, no radiotherapy effect of any sign
    np.testing.assert_array_equal(
        RESULT.overall_survival[QUIRK, 1], RESULT.overall_survival[QUIRK, 0]
    )
    flagged = np.array(
        [any(w.startswith("heart dose given without radiotherapy") for w in ws) for ws in RESULT.warnings]
    )
    np.testing.assert_array_equal(flagged, QUIRK)
