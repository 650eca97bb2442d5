"""Build cases as a clinician writes them and run the guideline engine on them."""

from __future__ import annotations

from typing import Any

from tests._cases import make_case

from micromets.guidelines import GuidelineResult, recommend
from micromets.model import Findings, Recommendation, Staging
from micromets.pathology import classify
from micromets.staging import stage

MICRO = {"node": 1, "size_mm": 1.2, "method": "he", "extranodal_extension": False}
ITC = {"node": 1, "size_mm": 0.1, "cells": 20, "method": "ihc", "extranodal_extension": False}


def macro(node: int, size_mm: float = 4.0, ene: bool | None = False) -> dict[str, Any]:
    return {"node": node, "size_mm": size_mm, "method": "he", "extranodal_extension": ene}


def run(**changes: Any) -> GuidelineResult:
    """The base case (58, postmenopausal, pT1c G2 ER+ HER2-low, SLNB 3 nodes, BCS) with changes."""
    case = make_case(**changes)
    findings = classify(case).findings
    return recommend(case, findings, stage(case, findings).staging)


def direct(findings: Findings, staging: Staging, **changes: Any) -> GuidelineResult:
    """Unit style: Findings and Staging constructed by hand."""
    return recommend(make_case(**changes), findings, staging)


def rec(result: GuidelineResult, key: str) -> Recommendation:
    from micromets.guidelines import decision_key

    found = [r for r in result.recommendations if decision_key(r.id) == key]
    assert len(found) == 1, (key, [r.id for r in result.recommendations])
    return found[0]


def missing_fields(result: GuidelineResult) -> set[str]:
    return {m.field for m in result.missing}
