"""``recommend`` given the node classes ``classify`` found decides exactly as ``recommend`` working them out again.

``micromets.assess`` passes ``PathologyResult.node_categories`` so the guideline context does not classify the nodes
a third time (for nodes operated before a planned breast surgery, whose pN gives the nodal status); the public
``recommend(case, findings, staging)`` keeps working them out from ``findings.deposits``. Both must give the same
decisions, recommendations, missing inputs and warnings on every case: here ~1,000 cases drawn by the property
tests' strategy, and planned operations after a sentinel biopsy with every kind of deposit, undecidable ones included.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from pydantic import ValidationError

from micromets.guidelines import recommend
from micromets.guidelines._context import Context
from micromets.model import Case, parse_case
from micromets.pathology import classify
from micromets.staging import stage
from properties._strategies import drawn_case_dicts

from _cases import make_case

#: Deposits of nodes operated before the breast surgery: none found, ITC, molecular, micro- and macrometastases, and
#: nodes whose class is undecidable (clusters spread without a cell count, or over 2 mm with 200 cells or more).
_SPREAD = {"size_mm": 3.0, "method": "he", "contiguous": False}
_DEPOSITS = [
    [],
    [{"node": 1, "size_mm": 0.1, "method": "he"}],
    [{"node": 1, "method": "rt_pcr"}],
    [{"node": 1, "size_mm": 1.2, "method": "he"}],
    [{"node": 1, "size_mm": 1.2, "method": "he"}, {"node": 2, "size_mm": 6.0, "method": "he"}],
    [{"node": 1, **_SPREAD}],
    [{"node": 1, **_SPREAD, "cells": 500}],
    [{"node": 2, "size_mm": 1.0, "method": "he"}, {"node": 1, **_SPREAD}],
]


@cache
def _cases() -> list[Case]:
    """The drawn cases, and each one with examined nodes again with its breast surgery planned (the strategy draws
    no node examined before a planned operation, the one place the context reads the node classes)."""
    cases = []
    for data in drawn_case_dicts(1000):
        variants = [data]
        if data.get("nodes", {}).get("procedure") not in (None, "none"):
            surgery = {k: v for k, v in data.get("surgery", {}).items() if k != "margins_mm"}
            variants.append({**data, "surgery": {**surgery, "status": "planned"}})
        for variant in variants:
            try:
                cases.append(parse_case(variant))
            except (ValidationError, ValueError):
                continue
    return cases


def _operated_first(case: Case) -> bool:
    """Nodes examined before a planned breast operation, without neoadjuvant therapy: the nodal status is the pN's."""
    surgery = case.surgery
    return surgery is not None and surgery.status == "planned" and case.has_nodal_pathology and not case.neoadjuvant


def _recommended(case: Case, *, reused: bool) -> tuple[Any, ...]:
    """The context's nodal status and both results of ``recommend``, given the node classes or not."""
    pathology = classify(case)
    staging = stage(case, pathology.findings, node_categories=pathology.node_categories).staging
    given = {"node_categories": pathology.node_categories} if reused else {}
    node_status = Context.of(case, pathology.findings, staging, **given).node_status
    result = recommend(case, pathology.findings, staging, **given)
    values = recommend(case, pathology.findings, staging, explains=False, **given)
    return (node_status, result.decisions, [(r.model_dump_json(), r.model_fields_set) for r in result.recommendations],
            [(m.model_dump_json(), m.model_fields_set) for m in result.missing], result.warnings,
            values.decisions, values.rule_ids, [m.model_dump_json() for m in values.missing], values.warnings)


def test_enough_cases_are_drawn_with_nodes_operated_first() -> None:
    assert sum(_operated_first(case) for case in _cases()) > 200


@pytest.mark.parametrize("deposits", _DEPOSITS)
@pytest.mark.parametrize("breast", ["bcs", "mastectomy"])
def test_nodes_operated_first_decide_the_same_both_ways(deposits: list[dict[str, Any]], breast: str) -> None:
    case = make_case(surgery={"breast": breast, "status": "planned"}, clinical_nodes="cN0",
                     nodes={"procedure": "slnb", "examined": 3, "deposits": deposits})
    assert _operated_first(case)
    assert _recommended(case, reused=True) == _recommended(case, reused=False)


@pytest.mark.parametrize("chunk", range(4))
def test_recommend_given_the_node_classes_is_recommend_working_them_out(chunk: int) -> None:
    for case in _cases()[chunk::4]:
        assert _recommended(case, reused=True) == _recommended(case, reused=False), case.model_dump_json()
