"""Patient-factor vignettes: does micromets decide for THE PATIENT as the sources say?

Every line of ``patient_vignettes.jsonl`` (built by ``build_patient_vignettes.py``, the readable source, written
blind from the trials, labels and guidelines named in each ``source``) is a complete referral in which fitness,
comorbidity, a contraindication, pregnancy/lactation, a preference or life expectancy - mostly in combination -
changes the answer, plus converse cases (a fit patient keeps the standard; an input that cannot change an answer is
not asked for). Each expectation is its own test, so that every one must hold:

* ``expected``: the decision is one of the acceptable values (only keys the source makes clear-cut);
* ``forbidden``: the decision is none of the unsafe values (e.g. a contraindicated drug ``recommended``);
* ``mentions``: the patient factor is named in that key's recommendation (text or rationale) or in the warnings;
* ``no_insufficient_data``: no decision is ``insufficient_data`` (nothing left out of the case could change one).

A disagreement judged to be micromets' error and not fixed here is marked ``xfail`` (strict) in ``KNOWN_ERRORS``
with the reason and the source; an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/patient/build_patient_vignettes.py   # rewrites the JSONL from its source
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.vignettes._referral_checks import (
    assert_expectation,
    assert_rows_well_formed,
    expectation_checks,
    load_rows,
)

from _modules import load_module
from micromets.assess import assess
from micromets.model import Assessment, parse_case

HERE = Path(__file__).parent
VIGNETTES = HERE / "patient_vignettes.jsonl"
BUILDER = HERE / "build_patient_vignettes.py"

#: (vignette, check) -> why micromets is wrong there, with the source (checks: tests/vignettes/_referral_checks.py).
KNOWN_ERRORS: dict[tuple[str, str], str] = {
}


_ROWS = load_rows(VIGNETTES)
_BY_ID = {row["id"]: row for row in _ROWS}


@cache
def assessment_of(vignette: str) -> Assessment:
    return assess(parse_case(_BY_ID[vignette]["case"]))


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_patient_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "patient_vignettes.jsonl is stale: run tests/vignettes/patient/build_patient_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    assert len(_ROWS) >= 40, f"{len(_ROWS)} vignettes (>= 40 wanted)"
    assert_rows_well_formed(_ROWS, {"id", "source", "case", "expected", "forbidden", "mentions", "no_insufficient_data"}, KNOWN_ERRORS)


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS))
def test_patient_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)
