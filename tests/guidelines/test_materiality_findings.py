"""Worked examples found by the wide materiality sweep (test_missing_materiality_wide.py): an input is named as
missing only where it could change the answer and where it can be given. Expectations come from the cited sources.

* Nodal RT and PMRT for pN1mi weigh combined adverse features (consensus), one of which is an invasive tumour
  > 30 mm. With in situ carcinoma only in the breast (pTis, AJCC 8: no invasive tumour, T is set by the invasive
  component alone) there is no invasive tumour to measure: the case format takes no invasive size above 0 beside
  ``in_situ_only`` (docs/case-format.md), so the size cannot be asked for as the feature that could tip the decision.
  An invasive tumour of unknown size still has it asked for.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.model import Assessment, parse_case

#: In situ carcinoma only in the breast, one sentinel node with a micrometastasis (pTis pN1mi), age 45, grade 3 (one
#: adverse feature; two make nodal RT worth discussing, knowledge/guidelines/radiation.json), ER and LVI known,
#: the quadrant not recorded: one more feature would tip the decision, so each unknown feature is named.
DCIS_PN1MI: dict[str, Any] = {
    "id": "dcis-pn1mi", "age": 45, "sex": "female", "menopausal_status": "pre", "metastasis": "cM0",
    "clinical_nodes": "cN0", "neoadjuvant": False,
    "tumour": {"in_situ_only": True, "grade": 3, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+", "lvi": False},
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 1.0, "method": "he"}]},
    "surgery": {"breast": "mastectomy", "status": "done", "margins_mm": 3}, "ecog": 0, "lvef_percent": 60,
}


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case(data))


def _size_reasons(assessment: Assessment) -> list[str]:
    return [m.why for m in assessment.missing if m.field == "tumour.size_mm"]


@pytest.mark.parametrize("operation", ["mastectomy", "bcs"])
def test_in_situ_only_disease_is_not_asked_for_an_invasive_size_as_an_adverse_feature(operation: str) -> None:
    data = copy.deepcopy(DCIS_PN1MI)
    data["surgery"]["breast"] = operation
    a = _assess(data)
    assert a.staging.t == "pTis" and a.staging.n is not None and a.staging.n.startswith("pN1mi")
    assert not any("30 mm" in why for why in _size_reasons(a)), _size_reasons(a)


def test_an_in_situ_record_cannot_take_an_invasive_size() -> None:
    data = copy.deepcopy(DCIS_PN1MI)
    data["tumour"]["size_mm"] = 40
    with pytest.raises(CaseValidationError):
        parse_case(data)


def test_an_invasive_tumour_of_unknown_size_still_has_the_size_asked_for() -> None:
    data = copy.deepcopy(DCIS_PN1MI)
    data["tumour"]["in_situ_only"] = False
    a = _assess(data)
    assert any("30 mm" in why for why in _size_reasons(a)), _size_reasons(a)
