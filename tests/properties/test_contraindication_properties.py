"""Every patient input of docs/case-format.md ("The patient, not only the tumour") against what it forbids.

For any drawn patient (``case_dicts``), often made to need the treatment (``INDICATED`` overlays), plus one
contraindication, the forbidden decision is never ``recommended``, and where the source lowers the strength rather
than the decision, a recommendation that stays is a weak one. These extend test_patient_safety_properties.py (which
has pregnancy and lactation for systemic treatments, active autoimmune disease, transplant, complete DPD deficiency,
planned dental surgery, eGFR < 30, frailty, Karnofsky <= 40, ILD for CDK4/6 inhibitors, LVEF < 50 % and QTcF) with
the inputs it did not draw. Sources, per entry:

* Radiotherapy in pregnancy (every trimester): after delivery (Amant, Lancet 2012; ESMO 2013).
* Prior RT to this breast or a mantle/mediastinal field: re-irradiation, never a plain recommendation (ESTRO-EORTC
  2022; NCCN); scleroderma or active lupus: relative contraindication to RT (NCCN).
* Heart failure: no trastuzumab start without cardiology (Herceptin SmPC; SAFE-HEaRt).
* Breastfeeding: zoledronic acid contraindicated (Zometa/Aclasta SmPC), as are endocrine therapy and monoclonal
  antibodies (Yu, HKMJ 2017).
* Dental treatment needed: complete it before a bisphosphonate (ASCO/CCO 2017, Dhesy-Thind).
* Men: no bone-modifying agent to prevent recurrence (ASCO 2020 male breast cancer guideline, Hassett).
* Prior VTE or thrombophilia with ribociclib barred (QTcF >= 450 ms, Kisqali label; premenopausal without ovarian
  suppression, NATALEE): abemaciclib only, whose trial excluded prior VTE (monarchE, Johnston JCO 2020).
* Strength: ECOG >= 2 keeps olaparib and HER2-directed therapy only as weak recommendations (OlympiA, APHINITY,
  KATHERINE enrolled ECOG 0-1); interstitial lung disease keeps pembrolizumab only as a weak one (label:
  immune-mediated pneumonitis); frailty (ECOG >= 3, CFS >= 7, life expectancy < 5 years) keeps nodal RT and PMRT only
  as weak ones (MA.20, EORTC 22922 and EBCTCG 2014 report 10-year benefits in fit patients).
* Never a silent default: with germline BRCA unknown and olaparib left open by it, capecitabine is never
  ``recommended`` (a carrier's is discussed beside olaparib: OlympiA; CREATE-X).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.properties._strategies import case_dicts, with_changes
from tests.properties.test_patient_safety_properties import (
    CONTRAINDICATIONS,
    INDICATED,
    NODE_POSITIVE_HR_OVERLAY,
    SETTINGS,
    _assess,
)

RT_KEYS = ("whole_breast_rt", "boost", "regional_nodal_irradiation", "post_mastectomy_rt")
#: Overlays that make RT indicated: breast-conserving surgery (whole-breast RT, often the boost) and a mastectomy with
#: four macrometastatic nodes (PMRT and nodal RT).
RT_INDICATED = (INDICATED["endocrine"], NODE_POSITIVE_HR_OVERLAY,
                {**NODE_POSITIVE_HR_OVERLAY, "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}})
MALE = {"sex": "male", "menopausal_status": None, "pregnancy": None, "ovarian_function_suppression": None}
PRE_NO_OFS = {"sex": "female", "menopausal_status": "pre", "pregnancy": None,
              "ovarian_function_suppression": "not_planned"}

FORBIDS: dict[str, tuple[st.SearchStrategy[dict[str, Any]], tuple[dict[str, Any], ...], tuple[str, ...]]] = {
    "pregnant_rt": (CONTRAINDICATIONS["pregnant"][0], RT_INDICATED, RT_KEYS),
    "prior_rt_same_region": (st.sampled_from(["ipsilateral_breast", "mantle_or_mediastinal"]).map(
        lambda v: {"conditions.prior_chest_radiotherapy": v}), RT_INDICATED, RT_KEYS),
    "scleroderma_or_lupus": (st.sampled_from(["scleroderma", "active_lupus"]).map(
        lambda v: {"conditions.connective_tissue_disease": v}), RT_INDICATED, RT_KEYS),
    "heart_failure": (st.just({"conditions.heart_failure": True}), (INDICATED["her2_therapy"],), ("her2_therapy",)),
    "lactating_bone": (CONTRAINDICATIONS["lactating"][0].map(lambda c: {**c, "menopausal_status": "pre",
                                                                        "ovarian_function_suppression": "planned"}),
                       (INDICATED["bisphosphonate"],), ("bisphosphonate", "endocrine")),
    "dental_treatment_needed": (st.just({"conditions.dental_health": "needs_treatment"}),
                                (INDICATED["bisphosphonate"],), ("bisphosphonate",)),
    "male_bone": (st.just(MALE), (INDICATED["bisphosphonate"], NODE_POSITIVE_HR_OVERLAY), ("bisphosphonate",)),
    "vte_long_qtcf": (st.tuples(st.sampled_from(["venous_thromboembolism", "thrombophilia"]),
                                st.sampled_from([450, 470, 520])).map(
        lambda p: {f"conditions.{p[0]}": True, "conditions.qtcf_ms": p[1]}),
        (NODE_POSITIVE_HR_OVERLAY,), ("cdk46_inhibitor",)),
    "vte_premenopausal_no_ofs": (st.sampled_from(["venous_thromboembolism", "thrombophilia"]).map(
        lambda c: {**PRE_NO_OFS, f"conditions.{c}": True}), (NODE_POSITIVE_HR_OVERLAY,), ("cdk46_inhibitor",)),
}


def _draw(data: st.DataObject, forcing: st.SearchStrategy[dict[str, Any]],
          overlays: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    overlay = data.draw(st.one_of(st.just({}), st.sampled_from(overlays)))
    return data.draw(with_changes(with_changes(case_dicts(), st.just(overlay)), forcing))


@pytest.mark.parametrize("condition", sorted(FORBIDS))
@SETTINGS
@given(data=st.data())
def test_what_the_patient_forbids_is_never_recommended(condition: str, data: st.DataObject) -> None:
    forcing, overlays, forbidden = FORBIDS[condition]
    case_data = _draw(data, forcing, overlays)
    decisions = _assess(case_data).decisions
    for key in forbidden:
        assert decisions[key] != "recommended", f"{key} recommended with {condition}; case: {json.dumps(case_data)}"


#: (forcing, overlays, keys whose recommendation may stand only as a weak one)
WEAKENS: dict[str, tuple[st.SearchStrategy[dict[str, Any]], tuple[dict[str, Any], ...], tuple[str, ...]]] = {
    "ecog_2_or_more": (st.integers(2, 4).map(lambda e: {"ecog": e}),
                       (INDICATED["her2_therapy"], INDICATED["capecitabine"]), ("her2_therapy", "olaparib")),
    "interstitial_lung_disease": (st.just({"conditions.interstitial_lung_disease": True}),
                                  (INDICATED["immunotherapy"],), ("immunotherapy",)),
    "frail": (st.sampled_from([{"ecog": 3}, {"ecog": 4}, {"clinical_frailty_scale": 7}, {"clinical_frailty_scale": 9},
                               {"life_expectancy_years": 1}, {"life_expectancy_years": 4.5},
                               {"ecog": None, "karnofsky": 30}]),
              RT_INDICATED, ("regional_nodal_irradiation", "post_mastectomy_rt")),
}
PREFIX = {"her2_therapy": "systemic.her2.", "olaparib": "systemic.olaparib.", "immunotherapy": "systemic.immunotherapy.",
          "regional_nodal_irradiation": "radiation.rni.", "post_mastectomy_rt": "radiation.pmrt."}


@pytest.mark.parametrize("condition", sorted(WEAKENS))
@SETTINGS
@given(data=st.data())
def test_a_recommendation_outside_the_trial_population_is_a_weak_one(condition: str, data: st.DataObject) -> None:
    forcing, overlays, keys = WEAKENS[condition]
    case_data = _draw(data, forcing, overlays)
    assessment = _assess(case_data)
    for key in keys:
        if assessment.decisions[key] != "recommended":
            continue
        rec = next(r for r in assessment.recommendations if r.id.startswith(PREFIX[key]))
        assert rec.strength == "weak", f"{key} {rec.strength} with {condition}; case: {json.dumps(case_data)}"


@SETTINGS
@given(with_changes(with_changes(case_dicts(), st.sampled_from([{}, INDICATED["capecitabine"]])),
                    st.just({"germline_brca": None})))
def test_capecitabine_is_never_recommended_on_a_germline_brca_result_not_given(data: dict[str, Any]) -> None:
    assessment = _assess(data)
    if assessment.decisions["olaparib"] == "insufficient_data" and "germline_brca" in [
            m.field for m in assessment.missing if "olaparib" in m.decisions]:
        assert assessment.decisions["capecitabine"] != "recommended", json.dumps(data)
