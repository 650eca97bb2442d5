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
VIGNETTES = HERE / "patient_vignettes.jsonl"
BUILDER = HERE / "build_patient_vignettes.py"

#: (vignette, check) -> why micromets is wrong there, with the source. Checks: "expected:<key>",
#: "forbidden:<key>", "mentions:<key>", "no_insufficient_data".
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
    recs = [f"{r.text} {r.rationale}" for r in assessment.recommendations if decision_key(r.id) == key]
    return " ".join([*recs, *assessment.warnings])


def _why(assessment: Assessment, key: str) -> str:
    recs = [f"{r.id}: {r.text}" for r in assessment.recommendations if decision_key(r.id) == key]
    missing = [f"{m.field} ({m.why})" for m in assessment.missing]
    return "\n".join(recs + ([f"missing: {m}" for m in missing] if assessment.decisions.get(key) ==
                                                                    INSUFFICIENT_DATA else []))


def expectation_checks(rows: list[dict[str, Any]], known_errors: dict[tuple[str, str], str]) -> list[Any]:
    """One pytest param per (vignette, check); a check listed in ``known_errors`` is a strict xfail."""
    params = []
    for row in rows:
        vid = row["id"]
        checks = ([f"expected:{k}" for k in row["expected"]] + [f"forbidden:{k}" for k in row["forbidden"]]
                  + [f"mentions:{k}" for k in row["mentions"]]
                  + [f"not_strong:{k}" for k in row.get("not_strong", ())]
                  + (["no_insufficient_data"] if row["no_insufficient_data"] else []))
        for check in checks:
            reason = known_errors.get((vid, check))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(pytest.param(vid, check, marks=marks, id=f"{vid}-{check}"))
    return params


def assert_expectation(row: dict[str, Any], assessment: Assessment, check: str) -> None:
    """Asserts one check of a vignette row (format above; ``not_strong``: a recommendation of that key, if any, is
    not of strength ``strong``, for inputs outside the trial evidence that still leave the treatment possible)."""
    decisions = assessment.decisions
    if check == "no_insufficient_data":
        undecided = sorted(k for k, v in decisions.items() if v == INSUFFICIENT_DATA)
        assert not undecided, (f"insufficient_data for {undecided} although nothing missing could change them; "
                               f"missing: {[m.field for m in assessment.missing]}")
        return
    part, key = check.split(":")
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
    assert load_module("build_patient_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "patient_vignettes.jsonl is stale: run tests/vignettes/patient/build_patient_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in _ROWS]
    assert len(ids) >= 40, f"{len(ids)} patient vignettes (>= 40 wanted)"
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    for row in _ROWS:
        rid = row["id"]
        assert set(row) == {"id", "source", "case", "expected", "forbidden", "mentions", "no_insufficient_data"}, rid
        assert len(row["source"]) > 60, f"{rid}: the source must name the trial, label or guideline"
        assert row["case"]["id"] == rid
        assert row["expected"] or row["forbidden"] or row["mentions"], rid
        extended = {DECLINED, DEFERRED, INSUFFICIENT_DATA}
        for part in ("expected", "forbidden"):
            for key, values in row[part].items():
                assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
                assert values and set(values) <= {*DECISION_VALUES[key], *extended}, f"{rid}: {part} {key}={values}"
        for key, values in row["forbidden"].items():
            assert not set(values) & set(row["expected"].get(key, ())), f"{rid}: {key} both expected and forbidden"
        for key in row["mentions"]:
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
        assert row["case"]["metastasis"] == "cM0", rid
    assert {vid for vid, _ in KNOWN_ERRORS} <= set(ids), "KNOWN_ERRORS names a vignette that does not exist"


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS))
def test_patient_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)
