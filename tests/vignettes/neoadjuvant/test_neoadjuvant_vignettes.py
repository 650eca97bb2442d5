"""Neoadjuvant vignettes: the post-operative tumour board after neoadjuvant systemic therapy, as the sources say.

``neoadjuvant_vignettes.jsonl`` is built by ``build_neoadjuvant_vignettes.py`` (the readable source, written blind
from AJCC 8 ch. 48, KATHERINE, CREATE-X, OlympiA with the CPS+EG score, KEYNOTE-522, monarchE/NATALEE, NSABP B-51,
Alliance A011202, ACOSOG Z1071/SENTINA/SN FNAC and NCCN v2025 before micromets was run on them). The decision checks
(``expected``, ``forbidden``, ``mentions``, ``no_insufficient_data``) are those of the patient-factor vignettes,
imported from their runner (one implementation); ``staging`` adds the expected ``staging.*`` values and ``pcr``
(``findings.pathological_complete_response``).

A disagreement judged to be micromets' error and not fixed here is a strict xfail in ``KNOWN_ERRORS`` with the
reason and the source; an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/neoadjuvant/build_neoadjuvant_vignettes.py   # rewrites the JSONL
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.vignettes._referral_checks import assert_expectation, expectation_checks

from _modules import load_module
from micromets.assess import assess
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Assessment, parse_case

HERE = Path(__file__).parent
VIGNETTES = HERE / "neoadjuvant_vignettes.jsonl"
BUILDER = HERE / "build_neoadjuvant_vignettes.py"

#: (vignette, check) -> why micromets is wrong there, with the source.
KNOWN_ERRORS: dict[tuple[str, str], str] = {
}

_ROWS = [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line.strip()]
_BY_ID = {row["id"]: row for row in _ROWS}
_STAGING_KEYS = {"t", "n", "anatomic_stage", "clinical_prognostic_stage", "pathological_prognostic_stage", "pcr"}


@cache
def assessment_of(vignette: str) -> Assessment:
    return assess(parse_case(_BY_ID[vignette]["case"]))


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_neoadjuvant_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "neoadjuvant_vignettes.jsonl is stale: run tests/vignettes/neoadjuvant/build_neoadjuvant_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in _ROWS]
    assert len(ids) >= 50, f"{len(ids)} neoadjuvant vignettes (>= 50 wanted)"
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    extended = {DECLINED, DEFERRED, INSUFFICIENT_DATA}
    for row in _ROWS:
        rid = row["id"]
        assert set(row) == {"id", "source", "case", "expected", "forbidden", "mentions", "no_insufficient_data",
                            "staging"}, rid
        assert len(row["source"]) > 60, f"{rid}: the source must name the trial, label or guideline"
        assert row["case"]["id"] == rid and row["case"]["neoadjuvant"] is True
        assert row["expected"] or row["forbidden"] or row["staging"], rid
        for part in ("expected", "forbidden"):
            for key, values in row[part].items():
                assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
                assert values and set(values) <= {*DECISION_VALUES[key], *extended}, f"{rid}: {part} {key}={values}"
        for key, values in row["forbidden"].items():
            assert not set(values) & set(row["expected"].get(key, ())), f"{rid}: {key} both expected and forbidden"
        assert set(row["staging"]) <= _STAGING_KEYS, rid
    assert {vid for vid, _ in KNOWN_ERRORS} <= set(ids), "KNOWN_ERRORS names a vignette that does not exist"


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS))
def test_neoadjuvant_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)


def _staging_checks() -> list[Any]:
    params = []
    for row in _ROWS:
        for key in row["staging"]:
            reason = KNOWN_ERRORS.get((row["id"], f"staging:{key}"))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(row["id"], key, marks=marks, id=f"{row['id']}-staging:{key}"))
    return params


@pytest.mark.parametrize(("vignette", "key"), _staging_checks())
def test_neoadjuvant_staging(vignette: str, key: str) -> None:
    """The yp stage, the pCR flag and the clinical (pre-treatment) prognostic stage, per AJCC 8."""
    assessment = assessment_of(vignette)
    actual = (assessment.findings.pathological_complete_response if key == "pcr"
              else getattr(assessment.staging, key))
    expected = _BY_ID[vignette]["staging"][key]
    assert actual == expected, f"{vignette}: {key} = {actual!r}, expected {expected!r}\npath: {assessment.staging.path}"
