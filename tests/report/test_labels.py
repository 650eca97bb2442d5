"""Issue 12: internal ids (``hr pos her2 neg``, ``overall_survival.surgery_only[5y]``, ``third_gen``, rule ids) are
replaced by human labels everywhere a clinician reads. These tests walk every code the contract defines and every
missing input and what-if path the engine produces, and require words (no snake_case, no dotted path)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from micromets.assess import assess
from micromets.model import parse_case, parse_case_json
from micromets.model.assessment import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Findings
from micromets.report.labels import (
    TONES,
    decision_label,
    decision_tone,
    decision_value_label,
    field_label,
    subtype_label,
    treatment_label,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_CODE = re.compile(r"[a-z0-9]_[a-z0-9]|\w\.\w|\[\d")


def _is_words(text: str) -> bool:
    return bool(text) and not _CODE.search(text)


def test_every_decision_key_and_value_has_words_and_a_tone() -> None:
    for key, values in DECISION_VALUES.items():
        assert _is_words(decision_label(key)), key
        for value in (*values, INSUFFICIENT_DATA, DECLINED, DEFERRED):
            assert _is_words(decision_value_label(value)), value
            assert decision_tone(value) in TONES


def test_the_issues_examples() -> None:
    assert subtype_label("hr_pos_her2_neg") == "HR+/HER2−"
    assert field_label("overall_survival.surgery_only[5y]") == "Overall survival at 5 years, surgery only"
    assert treatment_label("third_gen").startswith("Third-generation chemotherapy")
    for subtype in typing.get_args(Findings.model_fields["subtype"].annotation):
        if isinstance(subtype, str):
            assert _is_words(subtype_label(subtype))


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.json")) + ["(empty)"])
def test_every_missing_input_and_model_assumption_has_a_label(name: str) -> None:
    case = parse_case({"id": "empty"}) if name == "(empty)" else parse_case_json(
        (EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    a = assess(case)
    paths = [m.field for m in a.missing] + [x.input for x in (a.prognosis.assumptions if a.prognosis else [])]
    for path in paths:
        assert _is_words(field_label(path)), (path, field_label(path))
    for b in a.prognosis.incremental_benefit if a.prognosis else []:
        assert _is_words(treatment_label(b.treatment))


def test_what_if_paths_have_labels() -> None:
    for series in ("overall_survival", "breast_cancer_mortality", "other_cause_mortality"):
        for arm in ("surgery_only", "with_treatments"):
            assert _is_words(field_label(f"{series}.{arm}[10y]"))
    for path in ("staging.anatomic_stage", "staging.n", "nodes.deposits[2].size_mm", "tumour.grade",
                 "menopausal_status", "treatments.chemotherapy"):
        assert _is_words(field_label(path)), path
    assert field_label("nodes.deposits[2].size_mm") == "Nodal deposit 3: size (mm)"
