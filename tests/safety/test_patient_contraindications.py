"""Blind vignettes: what the patient's own inputs forbid, or make a discussion, never comes out `recommended`.

Each vignette is a patient a tumour board could meet; the expected decision is read from the source named in the
test (drug label, trial eligibility, guideline), not from micromets' output. The audit table they come from is in
docs/safety/patient-contraindications.md. Several of them failed before the patient-safety audit of 2026-12-02:

* monarchE excluded a history of venous thromboembolism (Johnston, JCO 2020); abemaciclib raises VTE (label). When
  ribociclib is barred (QTcF >= 450 ms, Kisqali label; or premenopausal without ovarian suppression, NATALEE), the
  CDK4/6 inhibitor left was still `recommended`.
* Interstitial lung disease: immune-mediated pneumonitis (Keytruda label); pembrolizumab stayed a strong
  recommendation.
* Triple-negative residual disease with no germline BRCA result: capecitabine was `recommended` as if the result were
  negative, although a carrier's capecitabine is discussed beside olaparib (OlympiA; the rule's own text).
* A frail patient's nodal RT and PMRT were strong recommendations with no word on fitness.
* Men: ASCO 2020 (male breast cancer) - no bone-modifying agents to prevent recurrence - was not cited.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from micromets.assess import assess
from micromets.model import Assessment, parse_case
from micromets.whatif import apply_changes

RT_KEYS = ("whole_breast_rt", "boost", "regional_nodal_irradiation", "post_mastectomy_rt")

#: Postmenopausal, pT2 pN2a (4 macrometastatic nodes) HR+/HER2-, grade 3: monarchE cohort 1 and NATALEE (stage III).
LUMINAL_N2 = {
    "id": "luminal-n2", "sex": "female", "age": 58, "menopausal_status": "post", "metastasis": "cM0", "ecog": 0,
    "lvef_percent": 62, "germline_brca": "negative",
    "tumour": {"size_mm": 28, "grade": 3, "er_percent": 95, "pr_percent": 60, "her2_ihc": "1+", "ki67_percent": 30},
    "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-09-01", "margins_mm": 4},
    "nodes": {"procedure": "slnb_then_alnd", "examined": 15,
              "deposits": [{"node": i, "size_mm": 7.0, "method": "he"} for i in range(1, 5)]},
    "conditions": {"qtcf_ms": 420, "dpd_deficiency": "none"},
}

#: Triple-negative, cT2 cN1 before surgery: KEYNOTE-522 (Schmid, NEJM 2020).
TNBC_CT2N1 = {
    "id": "tnbc", "sex": "female", "age": 44, "menopausal_status": "pre", "metastasis": "cM0", "ecog": 0,
    "lvef_percent": 64, "clinical_nodes": "cN1", "surgery": {"breast": "mastectomy", "status": "planned"},
    "nodes": {"procedure": "none"},
    "tumour": {"size_mm": 32, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
}

#: Triple-negative residual disease after anthracycline-taxane neoadjuvant chemotherapy without pembrolizumab:
#: CREATE-X (Masuda, NEJM 2017) and, for a gBRCA carrier, OlympiA (Tutt, NEJM 2021).
TNBC_RESIDUAL = {
    "id": "tnbc-residual", "sex": "female", "age": 47, "menopausal_status": "pre", "metastasis": "cM0", "ecog": 0,
    "neoadjuvant": True,
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 38, "pre_treatment_clinical_nodes": "cN1",
                            "nodes_biopsy_proven": True, "agents": ["anthracycline", "taxane"]},
    "tumour": {"size_mm": 12, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
    "nodes": {"procedure": "slnb_then_alnd", "examined": 11, "deposits": [{"node": 1, "size_mm": 3.0, "method": "he"}]},
    "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-09-01"},
    "conditions": {"dpd_deficiency": "none"},
}

#: Breast-conserving surgery, pT1c pN1a (2 macrometastatic nodes), HR+/HER2-, age 38: whole-breast RT, boost (age
#: <= 50, EORTC 22881) and nodal RT (MA.20, EORTC 22922) are all indicated.
BCS_N1 = {
    "id": "bcs-n1", "sex": "female", "age": 38, "menopausal_status": "pre", "metastasis": "cM0", "ecog": 0,
    "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 70, "her2_ihc": "0"},
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-09-01", "margins_mm": 3},
    "nodes": {"procedure": "slnb_then_alnd", "examined": 12,
              "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}, {"node": 2, "size_mm": 3.0, "method": "he"}]},
}


def run(base: dict[str, Any], **changes: Any) -> Assessment:
    data = apply_changes(copy.deepcopy(base), {k.replace("__", "."): v for k, v in changes.items()})
    return assess(parse_case(data))


def rec(assessment: Assessment, prefix: str) -> Any:
    return next(r for r in assessment.recommendations if r.id.startswith(prefix))


def asked_for(assessment: Assessment, key: str) -> list[str]:
    return [m.field for m in assessment.missing if key in m.decisions]


# ------------------------------------------------------------------------ CDK4/6 inhibitors and thrombosis

def test_the_cdk46_vignette_is_indicated_without_the_contraindication() -> None:
    assert run(LUMINAL_N2).decisions["cdk46_inhibitor"] == "recommended"  # monarchE cohort 1 (>= 4 nodes)


def test_prior_vte_with_a_long_qtcf_leaves_no_cdk46_inhibitor_to_recommend() -> None:
    """QTcF 470 ms bars ribociclib (Kisqali label: start only below 450 ms); abemaciclib is left, but monarchE excluded
    a history of VTE (Johnston, JCO 2020) and abemaciclib raises VTE (Verzenio label): outside trial evidence."""
    a = run(LUMINAL_N2, conditions__qtcf_ms=470, conditions__venous_thromboembolism=True)
    assert a.decisions["cdk46_inhibitor"] == "discuss"
    r = rec(a, "systemic.cdk46.")
    assert r.strength == "weak" and "monarchE excluded" in r.text and "ribociclib" in r.text


def test_thrombophilia_before_the_menopause_without_ovarian_suppression_is_discussed() -> None:
    """Premenopausal, ovarian suppression not planned: ribociclib needs it (NATALEE gave goserelin), so abemaciclib
    with tamoxifen is what remains - two thrombogenic drugs for a patient with a thrombophilia."""
    a = run(LUMINAL_N2, age=41, menopausal_status="pre", ovarian_function_suppression="not_planned",
            conditions__thrombophilia=True)
    assert a.decisions["cdk46_inhibitor"] == "discuss"


def test_prior_vte_alone_keeps_the_cdk46_inhibitor_with_ribociclib_preferred() -> None:
    """Ribociclib is possible (QTcF 420 ms, postmenopausal): the indication stands and the agent is steered."""
    a = run(LUMINAL_N2, conditions__venous_thromboembolism=True)
    assert a.decisions["cdk46_inhibitor"] == "recommended"
    assert "ribociclib" in rec(a, "systemic.cdk46.").text.lower()


def test_a_long_qtcf_alone_keeps_abemaciclib() -> None:
    a = run(LUMINAL_N2, conditions__qtcf_ms=480)
    assert a.decisions["cdk46_inhibitor"] == "recommended"
    assert "ribociclib must not be started" in rec(a, "systemic.cdk46.").text


# ------------------------------------------------------------------------------- pembrolizumab

def test_the_keynote522_vignette_is_a_strong_recommendation() -> None:
    a = run(TNBC_CT2N1)
    assert a.decisions["immunotherapy"] == "recommended" and rec(a, "systemic.immunotherapy.").strength == "strong"


def test_interstitial_lung_disease_makes_pembrolizumab_a_weak_recommendation_at_most() -> None:
    """Keytruda label: immune-mediated pneumonitis, fatal cases; the contract has no 'discuss' for immunotherapy."""
    a = run(TNBC_CT2N1, conditions__interstitial_lung_disease=True)
    assert a.decisions["immunotherapy"] in ("recommended", "not_indicated")
    r = rec(a, "systemic.immunotherapy.")
    assert r.strength == "weak" and "pneumonitis" in r.text


@pytest.mark.parametrize("condition", [{"conditions__autoimmune_disease": "active"},
                                       {"conditions__organ_transplant": True}])
def test_active_autoimmune_disease_or_a_transplant_rules_pembrolizumab_out(condition: dict[str, Any]) -> None:
    """KEYNOTE-522 excluded active autoimmune disease; the label warns of graft rejection."""
    assert run(TNBC_CT2N1, **condition).decisions["immunotherapy"] == "not_indicated"


# ---------------------------------------------------------------------- capecitabine, olaparib and gBRCA

def test_residual_tnbc_with_known_negative_gbrca_gets_capecitabine() -> None:
    a = run(TNBC_RESIDUAL, germline_brca="negative")
    assert a.decisions["capecitabine"] == "recommended" and a.decisions["olaparib"] == "not_indicated"


def test_residual_tnbc_of_a_brca1_carrier_discusses_capecitabine_beside_olaparib() -> None:
    a = run(TNBC_RESIDUAL, germline_brca="brca1")
    assert a.decisions["olaparib"] == "recommended" and a.decisions["capecitabine"] == "discuss"


def test_an_unknown_gbrca_is_asked_for_capecitabine_too_never_read_as_negative() -> None:
    """The two vignettes above differ only in gBRCA and get different capecitabine decisions: gBRCA is material."""
    a = run(TNBC_RESIDUAL)
    assert a.decisions["olaparib"] == "insufficient_data"
    assert a.decisions["capecitabine"] == "insufficient_data"
    assert "germline_brca" in asked_for(a, "capecitabine")


def test_an_unknown_gbrca_is_not_asked_for_capecitabine_where_it_cannot_change_it() -> None:
    """Both answers end alike: pregnancy defers capecitabine either way (label: embryo-fetal toxicity); a vulnerable
    patient's is discussed either way; after KEYNOTE-522 pembrolizumab it is discussed either way."""
    for changes in ({"pregnancy": {"status": "pregnant", "gestational_age_weeks": 22}}, {"ecog": 2},
                    {"neoadjuvant_therapy__agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]}):
        a = run(TNBC_RESIDUAL, **changes)
        assert a.decisions["capecitabine"] != "insufficient_data", changes
        assert "germline_brca" not in asked_for(a, "capecitabine"), changes


@pytest.mark.parametrize("brca", ["brca1", None])
def test_olaparib_declined_is_no_alternative_to_capecitabine(brca: str | None) -> None:
    """A carrier who declines olaparib is left with CREATE-X capecitabine (its benefit did not depend on BRCA): it is
    recommended, and the germline result is then not needed for it."""
    a = run(TNBC_RESIDUAL, germline_brca=brca, preferences={"declined": ["olaparib"]})
    assert a.decisions["olaparib"] == "declined" and a.decisions["capecitabine"] == "recommended"
    assert not asked_for(a, "capecitabine")


@pytest.mark.parametrize("condition", [{"conditions__dpd_deficiency": "complete"}, {"conditions__egfr_ml_min": 25}])
def test_capecitabine_contraindications(condition: dict[str, Any]) -> None:
    """Xeloda label / EMA 2020: complete DPD deficiency; creatinine clearance < 30 mL/min."""
    a = run(TNBC_RESIDUAL, germline_brca="negative", **condition)
    assert a.decisions["capecitabine"] == "not_indicated"


# ------------------------------------------------------------------------ fitness and nodal RT / PMRT

def test_a_frail_patients_nodal_rt_and_pmrt_are_weak_recommendations_that_name_fitness() -> None:
    """Life expectancy 3 years: MA.20, EORTC 22922 and the EBCTCG 2014 PMRT overview report 10-year benefits in fit
    patients; no source makes frailty a reason to omit them, so they stand, as weak recommendations."""
    a = run(LUMINAL_N2, life_expectancy_years=3)
    for prefix, key in (("radiation.rni.", "regional_nodal_irradiation"), ("radiation.pmrt.", "post_mastectomy_rt")):
        r = rec(a, prefix)
        assert a.decisions[key] == "recommended" and r.strength == "weak"
        assert "Limited fitness" in r.text and "life expectancy 3 years" in r.text
    assert a.decisions["chemotherapy"] == "not_indicated"  # frail: outside trial evidence (ASCO geriatric 2018)


def test_ecog_2_is_named_in_nodal_rt_without_weakening_it() -> None:
    a = run(LUMINAL_N2, ecog=2)
    r = rec(a, "radiation.pmrt.")
    assert r.strength == "strong" and "Limited fitness (ECOG 2)" in r.text


# ----------------------------------------------------------------------------------- pregnancy

@pytest.mark.parametrize("weeks", [8, 20, 33])
def test_radiotherapy_is_deferred_until_after_delivery_in_every_trimester(weeks: int) -> None:
    """Amant (Lancet 2012) and ESMO 2013: RT after delivery; consistent for WBRT, boost and nodal RT."""
    a = run(BCS_N1, pregnancy={"status": "pregnant", "gestational_age_weeks": weeks})
    for key, prefix in (("whole_breast_rt", "radiation.wbrt."), ("boost", "radiation.boost."),
                        ("regional_nodal_irradiation", "radiation.rni.")):
        assert a.decisions[key] == "deferred", (key, weeks)
        assert "after delivery" in rec(a, prefix).text
    assert a.decisions["endocrine"] == "deferred"
    assert a.decisions["chemotherapy"] != "recommended" or weeks >= 14  # no chemotherapy in the first trimester


def test_pmrt_is_deferred_in_pregnancy_too() -> None:
    a = run(LUMINAL_N2, age=36, menopausal_status="pre", pregnancy={"status": "pregnant", "gestational_age_weeks": 26})
    assert a.decisions["post_mastectomy_rt"] == "deferred" and a.decisions["regional_nodal_irradiation"] == "deferred"
    assert a.decisions["cdk46_inhibitor"] == "deferred" and a.decisions["bisphosphonate"] != "recommended"


def test_breastfeeding_defers_endocrine_therapy_and_zoledronic_acid_not_radiotherapy() -> None:
    """Yu (HKMJ 2017): endocrine therapy and monoclonal antibodies contraindicated in lactation; zoledronic acid label;
    radiotherapy is not a reason to stop breastfeeding."""
    a = run(BCS_N1, pregnancy={"status": "lactating"})
    assert a.decisions["endocrine"] == "deferred"
    assert a.decisions["whole_breast_rt"] == "recommended"


# ------------------------------------------------------------------------------------ men and bone

def test_a_man_gets_no_adjuvant_bisphosphonate_and_the_male_guideline_is_cited() -> None:
    """ASCO 2020 (Hassett, JCO): men with early-stage disease should not be treated with bone-modifying agents to
    prevent recurrence (they may be to prevent or treat osteoporosis)."""
    a = run(LUMINAL_N2, sex="male", menopausal_status=None)
    assert a.decisions["bisphosphonate"] == "not_indicated"
    r = rec(a, "systemic.bisphosphonate.")
    assert "ASCO-MALE-2020" in r.evidence and "osteoporosis" in r.text


@pytest.mark.parametrize("condition", [{"conditions__dental_health": "needs_treatment"},
                                       {"conditions__dental_surgery_planned": True}])
def test_pending_dental_treatment_defers_the_bisphosphonate(condition: dict[str, Any]) -> None:
    """ASCO/CCO 2017: settle dental problems before starting (osteonecrosis of the jaw)."""
    assert run(LUMINAL_N2, **condition).decisions["bisphosphonate"] == "deferred"


def test_zoledronic_acid_below_30_ml_min_is_not_recommended() -> None:
    """Zometa SmPC: not recommended with severe renal impairment (creatinine clearance < 30 mL/min)."""
    assert run(LUMINAL_N2, conditions__egfr_ml_min=25).decisions["bisphosphonate"] != "recommended"


# -------------------------------------------------------------------------------- the heart

@pytest.mark.parametrize("changes", [{"lvef_percent": 45}, {"lvef_percent": 35}, {"conditions__heart_failure": True}])
def test_no_unqualified_trastuzumab_with_reduced_lvef_or_heart_failure(changes: dict[str, Any]) -> None:
    """Herceptin SmPC: LVEF < 50% or symptomatic heart failure - no start without cardiology (SAFE-HEaRt)."""
    data = {**LUMINAL_N2, "tumour": {**LUMINAL_N2["tumour"], "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"}}
    assert run(data, **changes).decisions["her2_therapy"] != "recommended"


def test_a_cumulative_anthracycline_dose_of_450_names_a_non_anthracycline_regimen() -> None:
    """Doxorubicin label: cumulative 450-550 mg/m2 limit; Armenian 2017: >= 250 mg/m2 is high risk."""
    a = run(TNBC_CT2N1, conditions__prior_anthracycline=True, conditions__prior_anthracycline_mg_m2=450)
    assert "without anthracycline" in rec(a, "systemic.chemotherapy.").text
