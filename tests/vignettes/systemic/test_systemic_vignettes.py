"""Systemic-therapy vignettes: special populations and multigene assays, as a medical oncologist at a tumour board
would decide them from the trials and guidelines named in each ``source``.

``systemic_vignettes.jsonl`` is built by ``build_systemic_vignettes.py`` (the readable source, written blind from
TAILORx, RxPONDER, MINDACT, monarchE and its 2023 US label, NATALEE, OlympiA, KEYNOTE-522, CREATE-X, KATHERINE, APT,
APHINITY, SOFT/TEXT, EBCTCG, ASCO male breast cancer 2020, ASCO geriatric oncology, ASCO/CAP HER2 and ER testing).
The row format and every check are those of the patient-factor vignettes (imported from their runner, one
implementation): ``expected``, ``forbidden``, ``mentions``, ``no_insufficient_data`` and ``not_strong``; plus ``never_mentions`` (here
only): words that must not describe this patient in that key's recommendation (e.g. menopause for a man).

A disagreement judged to be micromets' error and not fixed here is a strict xfail in ``KNOWN_ERRORS`` with the
reason and the source; an expectation is never weakened to match the output.

    .venv/bin/python tests/vignettes/systemic/build_systemic_vignettes.py   # rewrites the JSONL from its source
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.vignettes._referral_checks import assert_expectation, expectation_checks

from _modules import load_module
from micromets.assess import assess
from micromets.guidelines import decision_key
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Assessment, parse_case

HERE = Path(__file__).parent
VIGNETTES = HERE / "systemic_vignettes.jsonl"
BUILDER = HERE / "build_systemic_vignettes.py"

#: (vignette, check) -> why micromets is wrong there, with the source.
KNOWN_ERRORS: dict[tuple[str, str], str] = {
}


_ROWS = [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line.strip()]
_BY_ID = {row["id"]: row for row in _ROWS}


@cache
def assessment_of(vignette: str) -> Assessment:
    return assess(parse_case(_BY_ID[vignette]["case"]))


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_systemic_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "systemic_vignettes.jsonl is stale: run tests/vignettes/systemic/build_systemic_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in _ROWS]
    assert len(ids) >= 60, f"{len(ids)} systemic vignettes (>= 60 wanted)"
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    extended = {DECLINED, DEFERRED, INSUFFICIENT_DATA}
    for row in _ROWS:
        rid = row["id"]
        assert set(row) == {"id", "source", "case", "expected", "forbidden", "mentions", "no_insufficient_data",
                            "not_strong", "never_mentions"}, rid
        assert len(row["source"]) > 60, f"{rid}: the source must name the trial, label or guideline"
        assert row["case"]["id"] == rid
        for part in ("expected", "forbidden"):
            for key, values in row[part].items():
                assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
                assert values and set(values) <= {*DECISION_VALUES[key], *extended}, f"{rid}: {part} {key}={values}"
        for key in (*row["mentions"], *row["not_strong"], *row["never_mentions"]):
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
    assert {vid for vid, _ in KNOWN_ERRORS} <= set(ids), "KNOWN_ERRORS names a vignette that does not exist"


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


@pytest.mark.parametrize(("vignette", "check"), expectation_checks(_ROWS, KNOWN_ERRORS))
def test_systemic_expectation(vignette: str, check: str) -> None:
    assert_expectation(_BY_ID[vignette], assessment_of(vignette), check)


_NEVER = [(row["id"], key) for row in _ROWS for key in row["never_mentions"]]


@pytest.mark.parametrize(("vignette", "key"), _NEVER, ids=[f"{v}-{k}" for v, k in _NEVER])
def test_systemic_never_mentions(vignette: str, key: str) -> None:
    """The recommendation of ``key`` (and the reasons of the inputs asked for) must not use the barred words."""
    assessment = assessment_of(vignette)
    words = [f"{r.text} {r.rationale} {r.would_change_if or ''}" for r in assessment.recommendations
             if decision_key(r.id) == key]
    if assessment.decisions.get(key) == INSUFFICIENT_DATA:
        words += [m.why for m in assessment.missing]
    pattern = _BY_ID[vignette]["never_mentions"][key]
    hits = [w for w in words if re.search(pattern, w)]
    assert not hits, f"{vignette}: {key} says {pattern!r}:\n" + "\n".join(hits)
