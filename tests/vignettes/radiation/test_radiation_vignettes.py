"""Radiation-oncology vignettes: whole-breast RT, boost, regional nodal irradiation and post-mastectomy RT as a
radiation oncologist at a tumour board would decide them, and the advice their texts must carry.

Every line of ``radiation_vignettes.jsonl`` (built by ``build_radiation_vignettes.py``, written blind from the
sources named in each line's ``source``) is a complete contract case run through ``assess(parse_case(...))``. The
decision checks (``expected``, ``forbidden``, ``missing``) are the axilla vignettes' (imported from there, one
implementation); added here: a ``missing`` field is named in the missing inputs even when the rule keeps a decision
and asks for it, and ``mentions``: the named key's recommendation text and rationale (or, for ``"any"``, every
recommendation and warning) match the regex.

A disagreement judged to be micromets' error and not fixed is marked ``xfail`` (strict) in ``KNOWN_DISAGREEMENTS``
with its reason and source; an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/radiation/test_radiation_vignettes.py   # the report, every comparison
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from _modules import load_module
from micromets.assess import assess
from micromets.guidelines import decision_key
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Assessment, parse_case

HERE = Path(__file__).parent
VIGNETTES = HERE / "radiation_vignettes.jsonl"
BUILDER = HERE / "build_radiation_vignettes.py"
CATEGORIES = {"bcs", "omission", "mastectomy", "post_nst", "margins", "patient", "unknowns"}

#: Vignette id -> why the disagreement stands (with its source). Empty: every vignette agrees.
KNOWN_DISAGREEMENTS: dict[str, str] = {}


#: The axilla vignettes' decision checks (expected / forbidden / missing), reused rather than copied.
decision_problems = load_module("_axilla_vignette_checks", HERE.parent / "axilla" / "test_axilla_vignettes.py").problems

ROWS = [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def assessed(vignette_id: str) -> Assessment:
    row = next(r for r in ROWS if r["id"] == vignette_id)
    return assess(parse_case(row["case"]))


def advice(assessment: Assessment, key: str) -> str:
    """The text a clinician reads for ``key`` ("any": every recommendation and warning)."""
    recs = [r for r in assessment.recommendations if key == "any" or decision_key(r.id) == key]
    return " ".join([f"{r.text} {r.rationale}" for r in recs] + (list(assessment.warnings) if key == "any" else []))


def problems(row: dict[str, Any], assessment: Assessment) -> list[str]:
    out = decision_problems(row, assessment)
    named = {m.field for m in assessment.missing}
    for key, fields in row["missing"].items():  # also when the rule keeps a decision and asks for the input
        if not named & set(fields):
            out.append(f"{key}: none of {fields} is named missing ({sorted(named)})")
    for key, pattern in row["mentions"].items():
        if not re.search(pattern, advice(assessment, key), re.IGNORECASE):
            out.append(f"{key}: advice does not mention /{pattern}/")
    return out


def test_jsonl_is_built_from_the_builder() -> None:
    assert load_module("build_radiation_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "radiation_vignettes.jsonl is stale: run tests/vignettes/radiation/build_radiation_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in ROWS]
    assert len(ids) >= 55 and len(ids) == len(set(ids))
    assert {row["category"] for row in ROWS} == CATEGORIES
    allowed = {key: {*values, DECLINED, DEFERRED, INSUFFICIENT_DATA} for key, values in DECISION_VALUES.items()}
    for row in ROWS:
        rid = row["id"]
        assert set(row) == {"id", "category", "source", "case", "expected", "forbidden", "missing", "mentions"}, rid
        assert len(row["source"]) > 60 and row["case"]["id"] == rid, rid
        assert row["expected"] or row["forbidden"] or row["mentions"], rid
        for table in ("expected", "forbidden"):
            for key, values in row[table].items():
                assert values and set(values) <= allowed[key], f"{rid}: {table} {key}={values}"
        for key, values in row["expected"].items():
            assert not set(values) & set(row["forbidden"].get(key, ())), f"{rid}: {key} expected and forbidden"
        for key in row["missing"]:
            assert INSUFFICIENT_DATA in row["expected"].get(key, ()), f"{rid}: missing given for {key}"
        assert set(row["mentions"]) <= {*DECISION_VALUES, "any"}, rid
        assert row["case"]["metastasis"] == "cM0", rid
    assert set(KNOWN_DISAGREEMENTS) <= set(ids)


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_vignette_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize("row", [
    pytest.param(row, marks=pytest.mark.xfail(reason=KNOWN_DISAGREEMENTS[row["id"]], strict=True))
    if row["id"] in KNOWN_DISAGREEMENTS else row for row in ROWS], ids=[row["id"] for row in ROWS])
def test_micromets_agrees_with_the_sources(row: dict[str, Any]) -> None:
    found = problems(row, assessed(row["id"]))
    assert not found, f"{row['id']} ({row['source']}):\n  " + "\n  ".join(found)


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    for row in ROWS:
        a = assessed(row["id"])
        found = problems(row, a)
        keys = ", ".join(f"{k}={a.decisions.get(k)}" for k in sorted(set(row["expected"]) | set(row["forbidden"])))
        print(("XX " if found else "ok ") + f"{row['id']:<40} {keys}")
        for line in found:
            print("     " + line)
        if verbose and found:
            for r in a.recommendations:
                if decision_key(r.id) in {"whole_breast_rt", "boost", "regional_nodal_irradiation",
                                          "post_mastectomy_rt"}:
                    print(f"        [{r.id}] {r.decision}: {r.text}")
