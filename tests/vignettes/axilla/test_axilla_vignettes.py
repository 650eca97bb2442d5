"""Axillary staging and surgical management vignettes: was the axilla staged adequately before axillary treatment is
omitted, and are ITC, micrometastases and low-volume macrometastases managed as the trials and guidelines say?

Every line of ``axilla_vignettes.jsonl`` (built by ``build_axilla_vignettes.py``, the readable source, written blind
from the sources named in each line's ``source``) is a complete contract case run through
``micromets.assess.assess(parse_case(...))``. For each decision key of the line:

* the decision is one of ``expected`` (usually one value; two or more where the sources allow both);
* it is none of ``forbidden`` (omission of axillary treatment after inadequate staging, or treatment without reason);
* when it is ``insufficient_data``, the missing inputs named for that decision include one of ``missing[key]`` (the
  field that could change the answer), and ``insufficient_data`` is never accepted where it is not expected.

A disagreement that could not be resolved is marked ``xfail`` in ``KNOWN_DISAGREEMENTS`` with its reason and source;
an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/axilla/test_axilla_vignettes.py      # the report, every comparison
"""

from __future__ import annotations

import json
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
VIGNETTES = HERE / "axilla_vignettes.jsonl"
BUILDER = HERE / "build_axilla_vignettes.py"
CATEGORIES = {"upfront", "unknowns", "slnb_omission", "post_nst"}

#: Vignette id -> why the disagreement stands (with its source). Empty: every vignette agrees.
KNOWN_DISAGREEMENTS: dict[str, str] = {}


def load_vignettes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line.strip()]


ROWS = load_vignettes()


@cache
def assessed(vignette_id: str) -> Assessment:
    row = next(r for r in ROWS if r["id"] == vignette_id)
    return assess(parse_case(row["case"]))


def problems(row: dict[str, Any], assessment: Assessment) -> list[str]:
    """Every way the assessment departs from the vignette, in words (empty: it agrees)."""
    out = []
    for key in sorted(set(row["expected"]) | set(row["forbidden"])):
        actual = str(assessment.decisions.get(key))
        recs = "; ".join(f"{r.id}: {r.text[:160]}" for r in assessment.recommendations if decision_key(r.id) == key)
        named = {m.field for m in assessment.missing if key in m.decisions}
        expected = row["expected"].get(key)
        if expected is not None and actual not in expected:
            out.append(f"{key}: expected {'|'.join(expected)}, got {actual} ({recs or 'missing ' + str(sorted(named))})")
        if actual in row["forbidden"].get(key, ()):
            out.append(f"{key}: {actual} is forbidden here ({recs})")
        if actual == INSUFFICIENT_DATA and key in row["missing"] and not named & set(row["missing"][key]):
            out.append(f"{key}: insufficient_data names {sorted(named)}, not one of {row['missing'][key]}")
    return out


def test_jsonl_is_built_from_the_builder() -> None:
    assert load_module("build_axilla_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "axilla_vignettes.jsonl is stale: run .venv/bin/python tests/vignettes/axilla/build_axilla_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in ROWS]
    assert len(ids) >= 40 and len(ids) == len(set(ids))
    assert {row["category"] for row in ROWS} == CATEGORIES
    allowed = {key: {*values, DECLINED, DEFERRED, INSUFFICIENT_DATA} for key, values in DECISION_VALUES.items()}
    for row in ROWS:
        rid = row["id"]
        assert set(row) == {"id", "category", "source", "case", "expected", "forbidden", "missing"}, rid
        assert len(row["source"]) > 40 and row["case"]["id"] == rid and row["expected"], rid
        for table in ("expected", "forbidden"):
            for key, values in row[table].items():
                assert values and set(values) <= allowed[key], f"{rid}: {table} {key}={values}"
        for key, values in row["expected"].items():
            assert not set(values) & set(row["forbidden"].get(key, ())), f"{rid}: {key} expected and forbidden"
        for key in row["missing"]:
            assert INSUFFICIENT_DATA in row["expected"].get(key, ()), f"{rid}: missing given for {key}"
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
    for row in ROWS:
        a = assessed(row["id"])
        found = problems(row, a)
        keys = ", ".join(f"{k}={a.decisions.get(k)}" for k in sorted(set(row["expected"]) | set(row["forbidden"])))
        print(("XX " if found else "ok ") + f"{row['id']:<42} {keys}")
        for line in found:
            print("     " + line)
    sys.exit(0)
