"""The brief's principle as a property over the packaged examples: ``insufficient_data`` appears only when the missing
input could change the answer. Each example loses one input at a time; every decision left ``insufficient_data``
for that input alone must come out differently for some plausible value of it (or stay open for some value, where
another input then decides). A decision named insufficient for an input that cannot change it is a finding
(tests/guidelines/test_missing_materiality.py has the worked ones, with their sources).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from tests.guidelines._materiality import _enumerated, _model

from micromets.errors import CaseValidationError
from micromets.guidelines import recommend
from micromets.model import INSUFFICIENT_DATA, Case, parse_case
from micromets.pathology import classify
from micromets.staging import stage

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "src" / "micromets" / "examples").glob("*.json"))

#: Plausible values of the numeric inputs (enumerations and yes/no inputs take every value the case format allows).
NUMBERS: dict[str, list[Any]] = {
    "age": [32, 45, 55, 68, 80], "tumour.size_mm": [4, 8, 15, 25, 40, 60], "tumour.grade": [1, 2, 3],
    "tumour.er_percent": [0, 5, 90], "tumour.pr_percent": [0, 50], "tumour.her2_ish_ratio": [1.5, 2.5],
    "tumour.her2_ish_copies": [3.0, 5.0, 7.0], "tumour.ki67_percent": [5, 25, 50], "nodes.examined": [1, 3, 12],
    "deposits.size_mm": [0.1, 1.0, 3.0], "deposits.cells": [50, 500], "deposits.osna_copies_per_ul": [200, 1000, 8000],
    "neoadjuvant_therapy.pre_treatment_size_mm": [15, 30, 60], "surgery.margins_mm": [0, 1, 3],
    "oncotype_rs": [10, 20, 30], "charlson_index": [0, 3, 6], "ecog": [0, 2, 3], "lvef_percent": [35, 45, 60],
}
SKIPPED = ("id", "comorbidities", "treatments", "surgery.date")


def _candidates(path: str) -> list[Any] | None:
    key = re.sub(r"nodes\.deposits\[\d+\]", "deposits", path)
    if key in NUMBERS:
        return NUMBERS[key]
    model: type[BaseModel] | None = Case
    annotation: Any = None
    for part in path.split("."):
        field = model.model_fields.get(re.sub(r"\[\d+\]", "", part)) if model is not None else None
        if field is None:
            return None
        annotation = field.annotation
        model = _model(annotation)
    return _enumerated(annotation)


def _leaves(data: Any, prefix: str = "") -> list[str]:
    found: list[str] = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if value is None or path.startswith(SKIPPED) or key == "node":
            continue
        if isinstance(value, dict):
            found += _leaves(value, path)
        elif isinstance(value, list):
            if key == "deposits":
                for i, deposit in enumerate(value):
                    found += _leaves(deposit, f"{path}[{i}]")
        else:
            found.append(path)
    return found


def _set(data: dict[str, Any], path: str, value: Any, *, drop: bool = False) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target: Any = out
    *parents, last = path.split(".")
    for part in parents:
        indexed = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        target = target[indexed.group(1)][int(indexed.group(2))] if indexed else target[part]
    if drop:
        target.pop(last, None)
    else:
        target[last] = value
    return out


def _decide(data: dict[str, Any]) -> tuple[dict[str, str], list[Any]] | None:
    try:
        case = parse_case(data)
    except CaseValidationError:
        return None
    findings = classify(case).findings
    result = recommend(case, findings, stage(case, findings).staging)
    return result.decisions, result.missing


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_input_that_leaves_a_decision_open_could_change_it(example: Path) -> None:
    case = json.loads(example.read_text(encoding="utf-8"))
    immaterial = []
    for path in _leaves(case):
        candidates = _candidates(path)
        if not candidates:
            continue
        if path == "tumour.size_mm" and not case.get("neoadjuvant"):
            candidates = [v for v in candidates if v != 0]  # an invasive tumour of unknown size is not T0
        dropped = _decide(_set(case, path, None, drop=True))
        if dropped is None:
            continue
        decisions, missing = dropped
        filled = [outcome[0] for value in candidates if (outcome := _decide(_set(case, path, value))) is not None]
        if len(filled) < 2:
            continue
        for key, value in decisions.items():
            named = {m.field for m in missing if key in m.decisions}
            if value != INSUFFICIENT_DATA or len(named) != 1:
                continue
            outcomes = {d[key] for d in filled}
            if len(outcomes) == 1 and INSUFFICIENT_DATA not in outcomes:
                immaterial.append((path, key, sorted(named), outcomes))
    assert not immaterial, immaterial
