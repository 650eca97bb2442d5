"""Helpers of the wide materiality sweep (tests/guidelines/test_missing_materiality_wide.py): the base cases (packaged
examples, every vignette file, drawn cases), the values an input can take, and one run of the guideline engine
reduced to each decision's value and strength and the inputs each decision names as missing."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from tests.properties._strategies import drawn_case_dicts

from micromets.errors import CaseValidationError
from micromets.guidelines import decision_key, recommend
from micromets.model import Case, MissingItem, parse_case
from micromets.pathology import classify
from micromets.staging import stage

ROOT = Path(__file__).resolve().parents[2]

#: Representative values of the numeric inputs, each side of the cut-offs the rules use (enumerations and yes/no
#: inputs take every value the case format allows).
NUMBERS: dict[str, list[Any]] = {
    "age": [32, 45, 55, 68, 80], "tumour.size_mm": [0, 4, 8, 15, 25, 40, 60], "tumour.grade": [1, 2, 3],
    "tumour.nuclear_grade": [1, 2, 3], "tumour.er_percent": [0, 5, 90], "tumour.pr_percent": [0, 50],
    "tumour.her2_ish_ratio": [1.5, 2.5], "tumour.her2_ish_copies": [3.0, 5.0, 7.0],
    "tumour.ki67_percent": [5, 25, 50], "nodes.examined": [1, 3, 12], "nodes.sentinel_nodes_removed": [1, 3],
    "nodes.tracers": [["radioisotope"], ["radioisotope", "blue_dye"]],
    "deposits.size_mm": [0.1, 1.0, 3.0], "deposits.cells": [50, 500], "deposits.osna_copies_per_ul": [200, 1000, 8000],
    "neoadjuvant_therapy.pre_treatment_size_mm": [15, 30, 60],
    "neoadjuvant_therapy.agents": [["anthracycline", "taxane"], ["anthracycline", "taxane", "platinum", "pembrolizumab"],
                                   ["anthracycline", "taxane", "trastuzumab", "pertuzumab"], ["endocrine"]],
    "surgery.margins_mm": [0, 1, 3], "oncotype_rs": [10, 20, 30], "charlson_index": [0, 3, 6],
    "ecog": [0, 1, 2, 3], "karnofsky": [90, 60], "g8_score": [10, 16], "clinical_frailty_scale": [2, 6],
    "life_expectancy_years": [3, 20], "lvef_percent": [35, 45, 60], "conditions.egfr_ml_min": [20, 90],
    "conditions.qtcf_ms": [420, 480], "conditions.peripheral_neuropathy_grade": [0, 2],
    "conditions.prior_anthracycline_mg_m2": [100, 300], "pregnancy.gestational_age_weeks": [10, 20, 30],
}


def _enumerated(annotation: Any) -> list[Any] | None:
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    if annotation is bool:
        return [False, True]
    for argument in get_args(annotation):
        values = _enumerated(argument)
        if values is not None:
            return values
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model(argument)
        if found is not None:
            return found
    return None


@cache
def values_of(path: str) -> tuple[Any, ...]:
    """Every value an input can take (representative ones for numbers); empty when the sweep has none for it."""
    key = re.sub(r"nodes\.deposits\[\d+\]", "deposits", path)
    if key in NUMBERS:
        return tuple(NUMBERS[key])
    model: type[BaseModel] | None = Case
    annotation: Any = None
    for part in path.split("."):
        field = model.model_fields.get(re.sub(r"\[\d+\]", "", part)) if model is not None else None
        if field is None:
            return ()
        annotation = field.annotation
        model = _model(annotation)
    return tuple(_enumerated(annotation) or ())


def with_value(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the case with the dotted ``path`` set to ``value`` (None: taken out), parents made as needed."""
    out = copy.deepcopy(data)
    target: Any = out
    *parents, last = path.split(".")
    for part in parents:
        indexed = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if indexed:
            target = target[indexed.group(1)][int(indexed.group(2))]
            continue
        if target.get(part) is None:
            if value is None:
                return out
            target[part] = {}
        target = target[part]
    if value is None:
        target.pop(last, None)
    else:
        target[last] = value
    return out


Outcome = tuple[str, str | None]  # a decision's value and the strength of the recommendation that decides it


def decide(data: dict[str, Any]) -> tuple[dict[str, Outcome], list[MissingItem]] | None:
    """Each decision's value and strength, and the missing inputs; None when the case is invalid."""
    try:
        case = parse_case(data)
    except CaseValidationError:
        return None
    findings = classify(case).findings
    result = recommend(case, findings, stage(case, findings).staging)
    strengths: dict[str, str] = {}
    for rec in result.recommendations:
        key = decision_key(rec.id)
        if key is not None and key not in strengths and rec.decision == result.decisions[key]:
            strengths[key] = rec.strength
    return {key: (value, strengths.get(key)) for key, value in result.decisions.items()}, result.missing


def named_for(missing: list[MissingItem], key: str) -> list[str]:
    """The inputs the assessment names as leaving decision ``key`` insufficient_data."""
    return [item.field for item in missing if key in item.decisions]


def base_cases(drawn: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """The packaged examples, every vignette (tests/vignettes/**/*.jsonl) and ``drawn`` derandomised drawn cases."""
    examples = ROOT / "src" / "micromets" / "examples"
    for path in sorted(examples.glob("*.json")):
        yield path.name, json.loads(path.read_text(encoding="utf-8"))
    for i, line in enumerate((examples / "cases.jsonl").read_text(encoding="utf-8").splitlines()):
        yield f"cases.jsonl:{i}", json.loads(line)
    for path in sorted((ROOT / "tests" / "vignettes").glob("**/*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                entry = json.loads(line)
                yield f"{path.name}:{entry.get('id', i)}", entry["case"]
    for i, case in enumerate(drawn_case_dicts(drawn)):
        yield f"drawn:{i}", case
