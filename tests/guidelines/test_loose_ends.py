"""Worked examples for findings left open by the flip-property scan: an input is named only where it could change
the answer, and every reason it is named for is kept. Each expectation is derived from the cited source, not
from the engine.

* In situ carcinoma only in the excised breast with a nodal micrometastasis: the invasive focus was missed, so it
  is microscopic (the case format takes no invasive size beside ``in_situ_only``: 0 or omitted). NCCN's rows for
  pT1mi/T1a pN1mi: HR-positive HER2-negative "endocrine therapy +/- chemotherapy (category 2B)" (NCCN v2.2015
  BINV-6), HER2-positive "consider chemotherapy with trastuzumab", triple-negative "consider chemotherapy" - the
  same 'discuss' whatever the receptors, which choose only the regimen. Where the patient makes the subtypes
  differ (a vulnerable patient of 70 or more: HR-positive disease is not offered chemotherapy, as RxPONDER and
  TAILORx enrolled patients fit for it; ASCO geriatric 2018) the receptors are still asked.
"""

from __future__ import annotations

from typing import Any

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case({"id": "loose", "metastasis": "cM0", **data}))


def _asking(assessment: Assessment, key: str) -> set[str]:
    return {m.field for m in assessment.missing if key in m.decisions}


def _tumour(data: dict[str, Any], **tumour: Any) -> dict[str, Any]:
    return {**data, "tumour": {**data["tumour"], **tumour}}


RECEPTORS = {"hr_positive": {"er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
             "her2_positive": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
             "triple_negative": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}}

DCIS_BCS_N1MI = {
    "sex": "female", "age": 55, "menopausal_status": "post", "ecog": 0, "clinical_nodes": "cN0",
    "tumour": {"in_situ_only": True, "grade": 2},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}}


def test_in_situ_carcinoma_with_a_nodal_micrometastasis_is_discussed_whatever_the_receptors() -> None:
    """Every subtype of a microscopic invasive focus with pN1mi is a 'consider' (NCCN): 'discuss'. The receptors
    choose the regimen, not the decision, so chemotherapy names neither them nor the invasive size the case format
    does not take beside in_situ_only (it was insufficient_data asking ER, PR, HER2 and tumour.size_mm)."""
    for name, receptors in RECEPTORS.items():
        known = _assess(_tumour(DCIS_BCS_N1MI, **receptors))
        assert known.decisions["chemotherapy"] == "discuss", name
        assert not _asking(known, "chemotherapy"), name
    unknown = _assess(DCIS_BCS_N1MI)
    assert unknown.decisions["chemotherapy"] == "discuss"
    assert not _asking(unknown, "chemotherapy")
    chemotherapy = next(r for r in unknown.recommendations if r.id.startswith("systemic.chemotherapy."))
    assert "in situ carcinoma only" in chemotherapy.text.lower()
    # The receptors are still asked where they decide: endocrine and HER2-directed therapy.
    assert "tumour.er_percent" in _asking(unknown, "endocrine")
    assert "tumour.her2_ihc" in _asking(unknown, "her2_therapy")


def test_in_situ_carcinoma_with_a_nodal_micrometastasis_in_a_vulnerable_older_patient_asks_for_the_receptors() \
        -> None:
    """At 72 with a Charlson index of 4 (vulnerable): HR-positive HER2-negative disease is not offered chemotherapy
    (RxPONDER/TAILORx enrolled patients fit for it; ASCO geriatric 2018), while triple-negative disease is still
    discussed. The receptors decide here: they are asked."""
    older = {**DCIS_BCS_N1MI, "age": 72, "charlson_index": 4}
    assert _assess(_tumour(older, **RECEPTORS["hr_positive"])).decisions["chemotherapy"] == "not_indicated"
    assert _assess(_tumour(older, **RECEPTORS["triple_negative"])).decisions["chemotherapy"] == "discuss"
    unknown = _assess(older)
    assert unknown.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert {"tumour.er_percent", "tumour.her2_ihc"} <= _asking(unknown, "chemotherapy")
    assert "tumour.size_mm" not in _asking(unknown, "chemotherapy")
