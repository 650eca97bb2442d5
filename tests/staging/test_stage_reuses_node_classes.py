"""``stage`` given the node classes ``classify`` found stages exactly as ``stage`` working them out again.

``micromets.assess`` passes ``PathologyResult.node_categories`` so the pN does not classify the nodes twice; the
public ``stage(case, findings)`` keeps working them out from ``findings.deposits``. Both must give the same staging,
missing inputs and warnings on every case: here ~1,000 cases drawn by the property tests' strategy (every field of
the case format, undecidable deposits, ITC, molecular and internal mammary findings included).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from pydantic import ValidationError

from micromets.model import Case, parse_case
from micromets.pathology import classify, node_categories
from micromets.staging import stage
from properties._strategies import drawn_case_dicts

from _cases import make_case

#: Nodes whose class is undecidable (the strategy draws none): clusters spread over more than 0.2 mm without a cell
#: count, or over more than 2 mm with 200 cells or more, alone or beside known deposits of the same node or others.
_SPREAD = {"size_mm": 3.0, "method": "he", "contiguous": False}
_UNDECIDABLE = [
    [{"node": 1, **_SPREAD}],
    [{"node": 1, **_SPREAD, "cells": 500}],
    [{"node": 1, "size_mm": 0.1, "method": "he"}, {"node": 1, **_SPREAD}],
    [{"node": 1, "size_mm": 2.5, "method": "he"}, {"node": 1, **_SPREAD}],
    [{"node": 2, "size_mm": 1.0, "method": "he"}, {"node": 1, **_SPREAD}],
]


@cache
def _cases() -> list[Case]:
    cases = []
    for data in drawn_case_dicts(1000):
        try:
            cases.append(parse_case(data))
        except (ValidationError, ValueError):
            continue
    return cases


def _staged(case: Case, **given: Any) -> tuple[Any, ...]:
    result = stage(case, classify(case).findings, **given)
    return (result.staging.model_dump_json(), result.staging.model_fields_set,
            [(m.model_dump_json(), m.model_fields_set) for m in result.missing], result.warnings)


def test_enough_cases_are_drawn_with_nodes_examined() -> None:
    cases = _cases()
    assert len(cases) > 500
    assert sum(case.has_nodal_pathology and not case.is_clinically_staged for case in cases) > 200


@pytest.mark.parametrize("deposits", _UNDECIDABLE)
def test_undecidable_nodes_stage_the_same_both_ways(deposits: list[dict[str, Any]]) -> None:
    case = make_case(nodes={"procedure": "slnb", "examined": 3, "deposits": deposits})
    pathology = classify(case)
    assert pathology.node_categories == node_categories(pathology.findings)
    assert _staged(case, node_categories=pathology.node_categories) == _staged(case)


@pytest.mark.parametrize("chunk", range(4))
def test_stage_given_the_node_classes_is_stage_working_them_out(chunk: int) -> None:
    for case in _cases()[chunk::4]:
        pathology = classify(case)
        if case.has_nodal_pathology:
            assert pathology.node_categories == node_categories(pathology.findings)
        assert _staged(case, node_categories=pathology.node_categories) == _staged(case), case.model_dump_json()
