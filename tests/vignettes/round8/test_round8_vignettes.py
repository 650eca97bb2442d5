"""Round 8 vignettes (blind): premenopausal HR+ micrometastases (OFS, RxPONDER, MINDACT by age), ER-low, HER2-low and
ultralow, small HER2-positive (APT) and T1a/b triple-negative tumours with pN1mi, the ITC / micrometastasis /
macrometastasis boundaries (0.2 mm, 200 cells, 2.0 mm, OSNA 250 / 5,000 copies/uL) with their AJCC 8 prognostic
stage, radiotherapy (fractionation, partial breast, boost by age and grade, nodal RT after Z0011 for micro- vs
macrometastases, PMRT with 1-3 nodes) and the dated follow-up plan.

Every line of ``round8_vignettes.jsonl`` (built by ``build_round8_vignettes.py``, the readable source, written blind
from /work/shared/reference and the trials/guidelines named in each ``source``) is a complete referral. Each
expectation is its own test; the check formats are those of ``tests/vignettes/_referral_checks.py`` (``expected``,
``forbidden``, ``mentions``, ``staging``, ``not_strong``, ``no_insufficient_data``, ``follow_up_contains``,
``follow_up_lacks``).

A disagreement judged to be micromets' error and not fixed here is a strict ``xfail`` in ``KNOWN_ERRORS`` with the
reason and the source; an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/round8/build_round8_vignettes.py   # rewrites the JSONL
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
VIGNETTES = HERE / "round8_vignettes.jsonl"
BUILDER = HERE / "build_round8_vignettes.py"
FIELDS = {"id", "source", "case", "expected", "forbidden", "mentions", "staging", "not_strong", "no_insufficient_data",
          "follow_up_contains", "follow_up_lacks"}

#: (vignette, check) -> why micromets is wrong there, with the source (checks: tests/vignettes/_referral_checks.py).
KNOWN_ERRORS: dict[tuple[str, str], str] = {
}


_ROWS = load_rows(VIGNETTES)
_BY_ID = {row["id"]: row for row in _ROWS}


@cache
def assessment_of(vignette: str) -> Assessment:
    return assess(parse_case(_BY_ID[vignette]["case"]))


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_round8_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "round8_vignettes.jsonl is stale: run tests/vignettes/round8/build_round8_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    assert len(_ROWS) >= 25, f"{len(_ROWS)} vignettes (>= 25 wanted)"
    assert all(row["expected"] for row in _ROWS), "every round-8 vignette expects a decision"
    assert_rows_well_formed(_ROWS, FIELDS, KNOWN_ERRORS)


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS, staging=True))
def test_round8_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)
