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

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from _modules import load_module
from micromets.assess import assess
from micromets.guidelines import decision_key
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Assessment, parse_case

HERE = Path(__file__).parent
VIGNETTES = HERE / "patient_first_vignettes.jsonl"
BUILDER = HERE / "build_patient_first_vignettes.py"
STAGE_FIELDS = ("t", "n", "m", "anatomic_stage", "pathological_prognostic_stage", "clinical_prognostic_stage")

#: (vignette, check) -> why micromets is wrong there, with the source. Checks: "expected:<key>",
#: "forbidden:<key>", "mentions:<key>", "staging:<field>", "no_insufficient_data".
KNOWN_ERRORS: dict[tuple[str, str], str] = {
}


def load_vignettes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line.strip()]


_ROWS = load_vignettes()
_BY_ID = {row["id"]: row for row in _ROWS}


@cache
def assessment_of(vignette: str) -> Assessment:
    return assess(parse_case(_BY_ID[vignette]["case"]))


def _texts(assessment: Assessment, key: str) -> str:
    """Where a patient factor can be named for ``key``: its recommendations, the warnings, and - when the decision
    waits for an input - the missing-input entries that name the key."""
    recs = [f"{r.text} {r.rationale}" for r in assessment.recommendations if decision_key(r.id) == key]
    missing = [f"{m.field} {m.why}" for m in assessment.missing if key in m.decisions]
    return " ".join([*recs, *missing, *assessment.warnings])


def _why(assessment: Assessment, key: str) -> str:
    recs = [f"{r.id}: {r.text}" for r in assessment.recommendations if decision_key(r.id) == key]
    missing = [f"{m.field} ({m.why})" for m in assessment.missing]
    return "\n".join(recs + ([f"missing: {m}" for m in missing] if assessment.decisions.get(key) ==
                                                                    INSUFFICIENT_DATA else []))


def _checks(row: dict[str, Any]) -> list[str]:
    return ([f"expected:{k}" for k in row["expected"]] + [f"forbidden:{k}" for k in row["forbidden"]]
            + [f"mentions:{k}" for k in row["mentions"]] + [f"staging:{f}" for f in row["staging"]]
            + [f"not_strong:{k}" for k in row["not_strong"]]
            + (["no_insufficient_data"] if row["no_insufficient_data"] else []))


def expectation_checks(rows: list[dict[str, Any]], known_errors: dict[tuple[str, str], str]) -> list[Any]:
    """One pytest param per (vignette, check); a check listed in ``known_errors`` is a strict xfail."""
    params = []
    for row in rows:
        for check in _checks(row):
            reason = known_errors.get((row["id"], check))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(pytest.param(row["id"], check, marks=marks, id=f"{row['id']}-{check}"))
    return params


def assert_expectation(row: dict[str, Any], assessment: Assessment, check: str) -> None:
    decisions = assessment.decisions
    if check == "no_insufficient_data":
        undecided = sorted(k for k, v in decisions.items() if v == INSUFFICIENT_DATA)
        assert not undecided, (f"insufficient_data for {undecided} although nothing missing could change them; "
                               f"missing: {[m.field for m in assessment.missing]}")
        return
    part, key = check.split(":")
    if part == "staging":
        actual_stage = getattr(assessment.staging, key)
        assert actual_stage == row["staging"][key], f"{key}: {actual_stage}, expected {row['staging'][key]}"
        return
    actual = str(decisions.get(key))
    if part == "expected":
        assert actual in row["expected"][key], (f"{key}: {actual}, expected {row['expected'][key]} "
                                                f"({row['source']})\n{_why(assessment, key)}")
    elif part == "forbidden":
        assert actual not in row["forbidden"][key], (f"UNSAFE {key}: {actual} ({row['source']})\n"
                                                     f"{_why(assessment, key)}")
    elif part == "not_strong":
        strong = [r.id for r in assessment.recommendations if decision_key(r.id) == key and r.strength == "strong"
                  and r.decision == actual]
        assert not strong, f"{key}: {actual} with strength strong ({row['source']})\n{_why(assessment, key)}"
    else:
        pattern = row["mentions"][key]
        assert re.search(pattern, _texts(assessment, key), re.IGNORECASE), \
            f"{key}: /{pattern}/ not named ({row['source']})\n{_why(assessment, key)}"


# --------------------------------------------------------------------------------------------- tests


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_patient_first_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "patient_first_vignettes.jsonl is stale: run tests/vignettes/patient_first/build_patient_first_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in _ROWS]
    assert len(ids) >= 30, f"{len(ids)} patient-first vignettes (>= 30 wanted)"
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    extended = {DECLINED, DEFERRED, INSUFFICIENT_DATA}
    for row in _ROWS:
        rid = row["id"]
        assert set(row) == {"id", "source", "case", "expected", "forbidden", "mentions", "staging", "not_strong",
                            "no_insufficient_data"}, rid
        assert len(row["source"]) > 60, f"{rid}: the source must name the trial, label or guideline"
        assert row["case"]["id"] == rid
        assert row["expected"], rid
        for key in row["not_strong"]:
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
        for part in ("expected", "forbidden"):
            for key, values in row[part].items():
                assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
                assert values and set(values) <= {*DECISION_VALUES[key], *extended}, f"{rid}: {part} {key}={values}"
        for key, values in row["forbidden"].items():
            assert not set(values) & set(row["expected"].get(key, ())), f"{rid}: {key} both expected and forbidden"
        for key in row["mentions"]:
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
        assert set(row["staging"]) <= set(STAGE_FIELDS), rid
        assert row["case"]["metastasis"] == "cM0", rid
    checks = {(row["id"], c) for row in _ROWS for c in _checks(row)}
    assert set(KNOWN_ERRORS) <= checks, "KNOWN_ERRORS names a check that does not exist"


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS))
def test_patient_first_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)
