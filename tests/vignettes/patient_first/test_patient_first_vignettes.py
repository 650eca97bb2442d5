"""Patient-first vignettes (blind round 7): fitness/age, life expectancy, comorbidity and contraindications,
pregnancy/lactation, male patients, declined treatments, prior chest RT and the adequacy of axillary staging (also
after neoadjuvant therapy), always in combination.

Every line of ``patient_first_vignettes.jsonl`` (built by ``build_patient_first_vignettes.py``, the readable source,
written blind from /work/shared/reference and the trials/guidelines named in each ``source``) is a complete referral.
Each expectation is its own test:

* ``expected:<key>``: the decision is one of the acceptable values;
* ``forbidden:<key>``: the decision is none of the unsafe values;
* ``mentions:<key>``: the patient factor is named in that key's recommendation (text or rationale) or the warnings;
* ``staging:<field>``: the AJCC 8 stage field, exact string;
* ``not_strong:<key>``: a recommendation of that key, if any, is not of strength ``strong`` (outside trial evidence);
* ``no_insufficient_data``: no decision is ``insufficient_data``.

A disagreement judged to be micromets' error and not fixed here is a strict ``xfail`` in ``KNOWN_ERRORS`` with the
reason and the source; an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/patient_first/build_patient_first_vignettes.py   # rewrites the JSONL
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
VIGNETTES = HERE / "patient_first_vignettes.jsonl"
BUILDER = HERE / "build_patient_first_vignettes.py"

#: (vignette, check) -> why micromets is wrong there, with the source (checks: tests/vignettes/_referral_checks.py).
KNOWN_ERRORS: dict[tuple[str, str], str] = {
}


_ROWS = load_rows(VIGNETTES)
_BY_ID = {row["id"]: row for row in _ROWS}


@cache
def assessment_of(vignette: str) -> Assessment:
    return assess(parse_case(_BY_ID[vignette]["case"]))


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_patient_first_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "patient_first_vignettes.jsonl is stale: run tests/vignettes/patient_first/build_patient_first_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    assert len(_ROWS) >= 30, f"{len(_ROWS)} vignettes (>= 30 wanted)"
    assert all(row["expected"] for row in _ROWS), "every patient-first vignette expects a decision"
    assert_rows_well_formed(_ROWS, {"id", "source", "case", "expected", "forbidden", "mentions", "staging", "not_strong", "no_insufficient_data"}, KNOWN_ERRORS)


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS, staging=True))
def test_patient_first_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)
