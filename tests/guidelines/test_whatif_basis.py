"""What-if (dotted-path changes, field-named errors, would_change_if checked by perturbation) and the
generated clinical basis."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from tests._cases import BASE_CASE

from micromets.errors import CaseValidationError
from micromets.guidelines.basis import render_clinical_basis
from micromets.whatif import apply_changes, parse_assignment, render_whatif_text, whatif

ROOT = Path(__file__).resolve().parents[2]


def base(**top: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CASE)
    data["nodes"]["deposits"] = [{"node": 1, "size_mm": 1.2, "method": "he", "extranodal_extension": False}]
    data["oncotype_rs"] = 18
    data.update(top)
    return data


def test_parse_assignment_reads_json_or_text() -> None:
    assert parse_assignment("tumour.grade=3") == ("tumour.grade", 3)
    assert parse_assignment("menopausal_status=pre") == ("menopausal_status", "pre")
    assert parse_assignment("oncotype_rs=null") == ("oncotype_rs", None)
    assert parse_assignment("nodes.deposits[0].size_mm=2.5") == ("nodes.deposits[0].size_mm", 2.5)
    with pytest.raises(CaseValidationError):
        parse_assignment("tumour.grade")
    with pytest.raises(CaseValidationError):
        parse_assignment("tumour..grade=3")


def test_apply_changes_does_not_touch_the_original() -> None:
    data = base()
    changed = apply_changes(data, {"nodes.deposits[0].size_mm": 2.5, "tumour.grade": 3})
    assert data["nodes"]["deposits"][0]["size_mm"] == 1.2 and changed["tumour"]["grade"] == 3


def test_invalid_change_names_the_field() -> None:
    with pytest.raises(CaseValidationError) as info:
        whatif(base(), {"tumour.grade": 4})
    assert info.value.first.field == "tumour.grade"


def test_micro_to_macro_changes_stage_decisions_and_figures() -> None:
    """pN1mi -> pN1a: T1N1mi (IB) becomes IIA, and NATALEE makes ribociclib an option."""
    result = whatif(base(), {"nodes.deposits[0].size_mm": 3.0})
    changed = {c.field: (c.before, c.after) for c in result.decisions}
    assert changed["cdk46_inhibitor"] == ("not_indicated", "recommended")
    assert ("staging.anatomic_stage", "IB", "IIA") in [(c.field, c.before, c.after) for c in result.staging]
    assert any(c.field.startswith("overall_survival.surgery_only") for c in result.prognosis)
    text = render_whatif_text(result)
    assert "cdk46_inhibitor" in text and "not_indicated -> recommended" in text


def test_no_change_is_reported_as_such() -> None:
    result = whatif(base(), {"comorbidities": ["free text that is never parsed"]})
    assert not result.changed and "No decision" in render_whatif_text(result)


@pytest.mark.parametrize(("key", "changes", "flip"), [
    # would_change_if of 'omit ALND for micrometastases': "a macrometastasis ... extranodal extension"
    ("axillary_surgery", {"nodes.deposits[0].extranodal_extension": True}, ("omit_alnd", "axillary_rt_or_alnd")),
    # premenopausal pN1mi RS 18 is 'discuss'; would_change_if: "postmenopausal and > 50 (endocrine therapy alone)"
    ("chemotherapy", {"menopausal_status": "post", "age": 58}, ("discuss", "not_indicated")),
    # would_change_if of 'RS <= 25 no chemotherapy': "a recurrence score >= 26"
    ("chemotherapy", {"oncotype_rs": 26, "menopausal_status": "post"}, ("discuss", "recommended")),
])
def test_would_change_if_claims_hold_when_perturbed(key: str, changes: dict[str, Any], flip: tuple[str, str]) -> None:
    result = whatif(base(age=45, menopausal_status="pre"), changes)
    assert (result.before.decisions[key], result.after.decisions[key]) == flip
    claimed = next(r.would_change_if for r in result.before.recommendations if r.decision == flip[0]
                   and r.id.split(".")[1] in ("alnd", "chemotherapy"))
    assert claimed


def test_committed_clinical_basis_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "clinical-basis.md").read_text(encoding="utf-8")
    assert committed == render_clinical_basis(), \
        "regenerate: python -m micromets.guidelines.basis > docs/clinical-basis.md"


def test_clinical_basis_lists_every_rule_and_no_missing_id() -> None:
    text = render_clinical_basis()
    assert "MISSING FROM REGISTRY" not in text
    for needle in ("SOUND / ASCO 2025", "monarchE cohort 1", "CALGB 9343", "IBCSG-23-01", "40 Gy in 15 fractions"):
        assert needle in text


def test_as_dict_is_json_ready() -> None:
    import json

    data = whatif(base(), {"nodes.deposits[0].size_mm": 3.0}).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert {"field": "cdk46_inhibitor", "before": "not_indicated", "after": "recommended"} in data["decisions"]
