"""Worked examples found by the wide materiality sweep (test_missing_materiality_wide.py): an input is named as
missing only where it could change the answer and where it can be given. Expectations come from the cited sources.

* Nodal RT and PMRT for pN1mi weigh combined adverse features (consensus), one of which is an invasive tumour
  > 30 mm. With in situ carcinoma only in the breast (pTis, AJCC 8: no invasive tumour, T is set by the invasive
  component alone) there is no invasive tumour to measure: the case format takes no invasive size above 0 beside
  ``in_situ_only`` (docs/case-format.md), so the size cannot be asked for as the feature that could tip the decision.
  An invasive tumour of unknown size still has it asked for.
* Node-negative disease: regional (internal mammary and medial supraclavicular) nodal RT is discussed for a
  medial/central tumour with another adverse feature (EORTC 22922, Poortmans NEJM 2015, enrolled medial/central
  tumours whatever the nodal status; the count of features is consensus). With two other adverse features already
  (grade 3, ER-negative) and the quadrant not recorded, the quadrant alone decides between 'discuss' (medial or
  central) and 'not indicated' (lateral): it is asked for, not read as lateral.
* PMRT for 1-3 macrometastatic nodes is the standard (EBCTCG, Lancet 2014;383:2127); a single node with every
  low-risk factor (T1, age over 45, grade 1-2, no LVI, ER-positive; ASCO/ASTRO/SSO focused update 2016, Recht JCO
  2016) makes it a discussion. A factor not recorded while the others hold is named (the decision stays
  'recommended', the standard, as the adverse features of nodal RT are named): it is not read as absent in silence.
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


#: Node-negative pT1c, grade 3, ER-negative (two adverse features besides the location), quadrant not recorded.
NODE_NEGATIVE_TWO_FEATURES: dict[str, Any] = {
    "id": "n0-g3-erneg", "age": 58, "sex": "female", "menopausal_status": "post", "metastasis": "cM0",
    "clinical_nodes": "cN0", "neoadjuvant": False,
    "tumour": {"size_mm": 14, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "1+", "lvi": False},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}, "ecog": 0, "lvef_percent": 60,
}


@pytest.mark.parametrize(("quadrant", "expected"), [
    ("upper_inner", "discuss"), ("lower_inner", "discuss"), ("central", "discuss"),
    ("upper_outer", "not_indicated"), ("lower_outer", "not_indicated"),
])
def test_node_negative_nodal_rt_follows_the_quadrant_with_two_other_adverse_features(quadrant: str,
                                                                                      expected: str) -> None:
    data = copy.deepcopy(NODE_NEGATIVE_TWO_FEATURES)
    data["tumour"]["quadrant"] = quadrant
    assert _assess(data).decisions["regional_nodal_irradiation"] == expected


def test_node_negative_nodal_rt_asks_for_an_unrecorded_quadrant_that_decides_it() -> None:
    a = _assess(NODE_NEGATIVE_TWO_FEATURES)
    assert a.decisions["regional_nodal_irradiation"] == "insufficient_data"
    assert {m.field for m in a.missing if "regional_nodal_irradiation" in m.decisions} == {"tumour.quadrant"}


def test_node_negative_without_another_adverse_feature_does_not_ask_for_the_quadrant() -> None:
    data = copy.deepcopy(NODE_NEGATIVE_TWO_FEATURES)
    data["tumour"].update({"grade": 2, "er_percent": 90, "pr_percent": 50})  # no adverse feature at 58
    a = _assess(data)
    assert a.decisions["regional_nodal_irradiation"] == "not_indicated"
    assert "tumour.quadrant" not in {m.field for m in a.missing}


#: One macrometastatic node after mastectomy, T1 (18 mm), age 60, ER-positive, grade 2, no LVI: every low-risk factor.
ONE_NODE_MASTECTOMY: dict[str, Any] = {
    "id": "one-macro-mastectomy", "age": 60, "sex": "female", "menopausal_status": "post", "metastasis": "cM0",
    "clinical_nodes": "cN0", "neoadjuvant": False,
    "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+", "lvi": False,
               "quadrant": "upper_outer"},
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]},
    "surgery": {"breast": "mastectomy", "status": "done", "margins_mm": 3}, "ecog": 0, "lvef_percent": 60,
}


def test_one_node_with_every_low_risk_factor_is_a_pmrt_discussion() -> None:
    assert _assess(ONE_NODE_MASTECTOMY).decisions["post_mastectomy_rt"] == "discuss"


@pytest.mark.parametrize(("field", "adverse"), [("grade", 3), ("lvi", True)])
def test_an_unrecorded_low_risk_factor_is_named_and_pmrt_stays_recommended(field: str, adverse: Any) -> None:
    data = copy.deepcopy(ONE_NODE_MASTECTOMY)
    data["tumour"][field] = adverse
    assert _assess(data).decisions["post_mastectomy_rt"] == "recommended"  # the factor fails: the standard
    del data["tumour"][field]
    a = _assess(data)
    assert a.decisions["post_mastectomy_rt"] == "recommended"
    assert any("PMRT a discussion" in m.why for m in a.missing if m.field == f"tumour.{field}"), a.missing


def test_a_failed_low_risk_factor_names_no_other() -> None:
    data = copy.deepcopy(ONE_NODE_MASTECTOMY)
    data["tumour"]["grade"] = 3
    del data["tumour"]["lvi"]
    a = _assess(data)
    assert not any("PMRT a discussion" in m.why for m in a.missing), a.missing
