"""Issue 8, systemic half: decisions for the patient, each worked example named after its source.

The base case (tests/_cases.py) is 58, postmenopausal, pT1c (18 mm) G2 ER 90% PR 40% HER2 1+, three negative
sentinel nodes, breast-conserving surgery.
"""

from __future__ import annotations

from typing import Any

from tests._cases import make_case
from tests.guidelines._helpers import MICRO, macro, missing_fields, rec, run

from micromets.assess import assess
from micromets.guidelines import decision_key
from micromets.model import DECLINED

SYSTEMIC = ("chemotherapy", "endocrine", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy",
            "capecitabine", "bisphosphonate")
HER2_T1C = dict(tumour__her2_ihc="3+", tumour__er_percent=0, tumour__pr_percent=0, tumour__size_mm=15,
                nodes__deposits=[MICRO])
TNBC_PLANNED = dict(tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0", tumour__size_mm=30,
                    surgery__status="planned", nodes={"procedure": "none"}, clinical_nodes="cN1")
TNBC_RESIDUAL = dict(neoadjuvant=True, tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0",
                     tumour__size_mm=12, germline_brca="negative",
                     neoadjuvant_therapy={"pre_treatment_size_mm": 35, "pre_treatment_clinical_nodes": "cN1",
                                          "agents": ["anthracycline", "taxane", "platinum"]})


def missing_for(result: Any, field: str) -> list[str]:
    return next(m.decisions for m in result.missing if m.field == field)


# --- cardiac: IC-OS 2021 grades, SAFE-HEaRt (Lynce 2019), Armenian (ASCO 2017) ----------------------------------------
def test_issue_case_trastuzumab_not_started_at_lvef_35() -> None:
    """Issue 8: trastuzumab + paclitaxel was recommended at LVEF 35%. IC-OS 2021: LVEF < 40% is severe dysfunction;
    the trials required LVEF >= 50%; SAFE-HEaRt started HER2 therapy only at 40-49% -> deferred until recovery."""
    result = run(**HER2_T1C, lvef_percent=35)
    assert result.decisions["her2_therapy"] == "deferred"
    assert "cardio-oncology" in rec(result, "her2_therapy").text
    assert result.decisions["chemotherapy"] == "discuss"
    assert "no anthracycline" in rec(result, "chemotherapy").text


def test_lvef_40_to_49_is_discussed_with_cardioprotection() -> None:
    """SAFE-HEaRt: asymptomatic LVEF 40-49% on ACE inhibitor/ARB + beta-blocker, 27/30 completed HER2 therapy."""
    result = run(**HER2_T1C, lvef_percent=45)
    assert result.decisions["her2_therapy"] == "discuss"
    r = rec(result, "her2_therapy")
    assert "beta-blocker" in r.text and "SAFE-HEART" in r.evidence


def test_heart_failure_defers_her2_therapy_until_lvef_known_and_discusses_with_preserved_lvef() -> None:
    """Heart failure with LVEF unknown or < 50%: not started (cardio-oncology first); with LVEF >= 50%: discuss."""
    assert run(**HER2_T1C, conditions={"heart_failure": True}).decisions["her2_therapy"] == "deferred"
    assert run(**HER2_T1C, conditions={"heart_failure": True}, lvef_percent=58).decisions["her2_therapy"] == "discuss"


def test_unknown_lvef_keeps_the_decision_and_asks_for_the_baseline_check() -> None:
    """Trastuzumab label: LVEF before starting. A pre-treatment check, not an input that changes the indication."""
    result = run(**HER2_T1C)
    assert result.decisions["her2_therapy"] == "recommended"
    assert "baseline LVEF >= 50%" in rec(result, "her2_therapy").text
    assert missing_for(result, "lvef_percent") == []


def test_high_prior_anthracycline_dose_names_an_anthracycline_free_regimen() -> None:
    """Armenian 2017: doxorubicin >= 250 mg/m2 is high risk; avoid cardiotoxic agents when alternatives exist."""
    result = run(tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0", tumour__size_mm=25,
                 conditions={"prior_anthracycline": True, "prior_anthracycline_mg_m2": 300}, lvef_percent=60)
    r = rec(result, "chemotherapy")
    assert result.decisions["chemotherapy"] == "recommended"
    assert "non-anthracycline regimen" in r.text and "docetaxel-cyclophosphamide" in r.text


# --- fitness: ASCO geriatric oncology 2018/2023, SIOG/EUSOMA 2021, G8 (Bellera 2012), CFS (Rockwood 2005) ---------
def test_issue_case_82_ecog_2_heart_failure_gets_no_assay_and_a_decision() -> None:
    """Issue 8: an 82-year-old with ECOG 2 and heart failure was asked for a recurrence score. RxPONDER required
    eligibility for anthracycline/taxane chemotherapy; TAILORx enrolled up to 75: chemotherapy is not offered."""
    result = run(age=82, ecog=2, conditions={"heart_failure": True}, nodes__deposits=[MICRO])
    assert result.decisions["chemotherapy"] == "not_indicated"
    assert "oncotype_rs" not in missing_fields(result)
    assert not any(r.id == "diagnostics.genomic_assay.order" for r in result.recommendations)
    assert result.decisions["endocrine"] == "recommended"


def test_frail_patients_are_not_offered_chemotherapy() -> None:
    """CFS 7 = severely frail (Rockwood); a non-cancer life expectancy under the 5-10-year horizon of the trials."""
    for changes in ({"clinical_frailty_scale": 7}, {"life_expectancy_years": 3}, {"ecog": 3}):
        result = run(oncotype_rs=35, **changes)
        assert result.decisions["chemotherapy"] == "not_indicated", changes
        assert "outside trial evidence" in rec(result, "chemotherapy").text


def test_vulnerable_younger_patient_has_chemotherapy_discussed_after_geriatric_assessment() -> None:
    """ASCO 2018: GA for >= 65 considered for chemotherapy; G8 <= 14 abnormal (Bellera 2012)."""
    result = run(age=67, g8_score=12, tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0",
                 tumour__size_mm=25)
    assert result.decisions["chemotherapy"] == "discuss"
    ga = next(r for r in result.recommendations if r.id == "diagnostics.geriatric_assessment.order")
    assert "G8 12 is abnormal" in ga.text and "ASCO-GERIATRIC-2018" in ga.evidence


def test_fit_66_year_old_on_chemotherapy_gets_geriatric_assessment_advice() -> None:
    result = run(age=66, oncotype_rs=30, ecog=0)
    assert result.decisions["chemotherapy"] == "recommended"
    assert any(r.id == "diagnostics.geriatric_assessment.order" for r in result.recommendations)
    # Without any performance status at 66 the assessment is advised too, and ECOG is named (ASCO 2018).
    unrated = run(age=66, oncotype_rs=30)
    assert unrated.decisions["chemotherapy"] == "recommended"
    assert any(r.id == "diagnostics.geriatric_assessment.order" for r in unrated.recommendations)
    assert any(m.field == "ecog" for m in unrated.missing)
    assert not any(r.id == "diagnostics.geriatric_assessment.order" for r in run(age=60, oncotype_rs=30).recommendations)


def test_pre_existing_neuropathy_flags_taxanes() -> None:
    result = run(oncotype_rs=30, conditions={"peripheral_neuropathy_grade": 2})
    assert "taxanes may worsen it" in rec(result, "chemotherapy").text


# --- CDK4/6: NATALEE, monarchE (ECOG 0-1), Kisqali and Verzenio labels --------------------------------------------
NATALEE_ONLY = dict(tumour__size_mm=30, tumour__grade=3, nodes__deposits=[], oncotype_rs=20)
MONARCHE = dict(tumour__size_mm=25, tumour__grade=2, oncotype_rs=20,
                nodes__deposits=[macro(i) for i in range(1, 5)], nodes__procedure="slnb_then_alnd", nodes__examined=12)


def test_ribociclib_not_started_with_long_qtcf() -> None:
    """Kisqali label: start only with QTcF < 450 ms; T2N0 G3 meets NATALEE only, so no CDK4/6 inhibitor."""
    assert run(**NATALEE_ONLY).decisions["cdk46_inhibitor"] == "recommended"
    result = run(**NATALEE_ONLY, conditions={"qtcf_ms": 470})
    assert result.decisions["cdk46_inhibitor"] == "not_indicated" and "QTcF 470" in rec(result, "cdk46_inhibitor").text


def test_long_qtcf_leaves_abemaciclib_for_monarche_patients() -> None:
    result = run(**MONARCHE, conditions={"qtcf_ms": 470})
    assert result.decisions["cdk46_inhibitor"] == "recommended"
    assert "abemaciclib only" in rec(result, "cdk46_inhibitor").text


def test_premenopausal_ribociclib_needs_ovarian_suppression() -> None:
    """NATALEE gave goserelin to premenopausal women with the NSAI."""
    changes = dict(NATALEE_ONLY, age=45, menopausal_status="pre")
    assert run(**changes, ovarian_function_suppression="not_planned").decisions["cdk46_inhibitor"] == "discuss"
    assert run(**changes, ovarian_function_suppression="planned").decisions["cdk46_inhibitor"] == "recommended"


def test_prior_vte_steers_from_abemaciclib_and_ild_is_discussed() -> None:
    """Verzenio label: VTE 5% vs 0.9% (MONARCH 2); ILD/pneumonitis with CDK4/6 inhibitors (monarchE 3%)."""
    vte = run(**MONARCHE, conditions={"venous_thromboembolism": True})
    assert "ribociclib (NATALEE criteria are met here) is preferred" in rec(vte, "cdk46_inhibitor").text
    assert run(**MONARCHE, conditions={"interstitial_lung_disease": True}).decisions["cdk46_inhibitor"] == "discuss"


def test_unknown_subtype_does_not_block_a_cdk46_answer_when_her2_is_positive() -> None:
    result = run(tumour__her2_ihc="3+", tumour__er_percent=None)
    assert result.decisions["cdk46_inhibitor"] == "not_indicated"


# --- tamoxifen and venous thromboembolism (tamoxifen label) ---------------------------------------------------------
def test_prior_vte_no_tamoxifen_postmenopausal() -> None:
    text = rec(run(conditions={"venous_thromboembolism": True}), "endocrine").text
    assert text.startswith("Aromatase inhibitor") and "no switch to tamoxifen" in text


def test_prior_vte_premenopausal_names_ofs_with_an_aromatase_inhibitor() -> None:
    text = rec(run(age=42, menopausal_status="pre", oncotype_rs=10, conditions={"thrombophilia": True}),
               "endocrine").text
    assert text.startswith("Ovarian function suppression with an aromatase inhibitor rather than tamoxifen")


def test_dcis_with_prior_vte_never_recommends_tamoxifen() -> None:
    """Tamoxifen label: contraindicated for DCIS with a history of DVT/PE."""
    result = run(tumour={"in_situ_only": True, "size_mm": 0, "er_percent": 90},
                 conditions={"venous_thromboembolism": True}, nodes={"procedure": "none"})
    assert result.decisions["endocrine"] == "not_indicated"
    assert "tamoxifen is contraindicated for DCIS" in rec(result, "endocrine").text


def test_ofs_intent_shapes_the_premenopausal_agent() -> None:
    """ASCO OFS 2016 / SOFT-TEXT: OFS for higher-risk premenopausal disease; the team's intent is used."""
    higher = dict(age=40, menopausal_status="pre", nodes__deposits=[macro(1)])
    assert "not planned" in rec(run(**higher, ovarian_function_suppression="not_planned"), "endocrine").text
    assert "suppression as planned" in rec(run(**higher, ovarian_function_suppression="planned"), "endocrine").text


# --- bisphosphonates: ASCO-OH 2022, ASCO/CCO 2017, Zometa SmPC ----------------------------------------------------
def test_issue_case_her2_positive_pcr_on_trastuzumab_is_a_bisphosphonate_candidate() -> None:
    """ASCO-OH 2022: discuss with all postmenopausal candidates for adjuvant systemic therapy irrespective of HER2."""
    result = run(neoadjuvant=True, tumour={"size_mm": 0, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
                 lvef_percent=60, neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                                                       "agents": ["taxane", "platinum", "trastuzumab", "pertuzumab"]})
    assert result.decisions["her2_therapy"] == "recommended"
    assert result.decisions["bisphosphonate"] in ("discuss", "recommended")


def test_dental_treatment_first_defers_the_bisphosphonate() -> None:
    base = dict(nodes__deposits=[macro(1)], oncotype_rs=10)
    assert run(**base).decisions["bisphosphonate"] == "recommended"
    for conditions in ({"dental_surgery_planned": True}, {"dental_health": "needs_treatment"}):
        result = run(**base, conditions=conditions)
        assert result.decisions["bisphosphonate"] == "deferred" and "dental" in rec(result, "bisphosphonate").text


def test_zoledronic_acid_renal_limits() -> None:
    """Zometa SmPC: not recommended below CrCl 30 mL/min; reduced doses at 30-60."""
    base = dict(nodes__deposits=[macro(1)], oncotype_rs=10)
    assert run(**base, conditions={"egfr_ml_min": 25}).decisions["bisphosphonate"] == "discuss"
    result = run(**base, conditions={"egfr_ml_min": 45})
    assert result.decisions["bisphosphonate"] == "recommended" and "reduced zoledronic acid" in rec(result,
                                                                                                     "bisphosphonate").text


def test_osteoporosis_on_an_aromatase_inhibitor_brings_bone_directed_therapy() -> None:
    """ASCO 2019 (Shapiro), AIBL 2017: bone-directed therapy for osteoporosis for the AI's duration."""
    result = run(oncotype_rs=10, conditions={"osteoporosis": True})
    assert "bone-directed therapy" in rec(result, "endocrine").text
    assert result.decisions["bisphosphonate"] == "recommended"


def test_premenopausal_bisphosphonate_follows_ovarian_suppression_intent() -> None:
    higher = dict(age=40, menopausal_status="pre", nodes__deposits=[macro(1)])
    assert run(**higher, ovarian_function_suppression="planned").decisions["bisphosphonate"] == "discuss"
    assert run(**higher, ovarian_function_suppression="not_planned").decisions["bisphosphonate"] == "not_indicated"


# --- pembrolizumab (KEYNOTE-522, Keytruda label) and capecitabine (EMA DPD, capecitabine label) --------------------
def test_pembrolizumab_never_with_active_autoimmune_disease_or_transplant() -> None:
    assert run(**TNBC_PLANNED).decisions["immunotherapy"] == "recommended"
    for conditions in ({"autoimmune_disease": "active"}, {"organ_transplant": True}):
        assert run(**TNBC_PLANNED, conditions=conditions).decisions["immunotherapy"] == "not_indicated"
    inactive = run(**TNBC_PLANNED, conditions={"autoimmune_disease": "inactive"})
    assert inactive.decisions["immunotherapy"] == "recommended" and "flare" in rec(inactive, "immunotherapy").text


def test_pembrolizumab_not_started_at_ecog_2() -> None:
    """KEYNOTE-522 enrolled ECOG 0-1 (NCT03036488)."""
    assert run(**TNBC_PLANNED, ecog=2).decisions["immunotherapy"] == "not_indicated"


def test_capecitabine_dpd_and_renal_limits() -> None:
    assert run(**TNBC_RESIDUAL).decisions["capecitabine"] == "recommended"
    assert "conditions.dpd_deficiency" in missing_fields(run(**TNBC_RESIDUAL))
    assert run(**TNBC_RESIDUAL, conditions={"dpd_deficiency": "complete"}).decisions["capecitabine"] == "not_indicated"
    partial = run(**TNBC_RESIDUAL, conditions={"dpd_deficiency": "partial"})
    assert partial.decisions["capecitabine"] == "recommended" and "reduced starting dose" in rec(partial,
                                                                                                "capecitabine").text
    assert run(**TNBC_RESIDUAL, conditions={"egfr_ml_min": 25}).decisions["capecitabine"] == "not_indicated"
    moderate = run(**TNBC_RESIDUAL, conditions={"egfr_ml_min": 40, "dpd_deficiency": "none"})
    assert "75% of the starting dose" in rec(moderate, "capecitabine").text


# --- pregnancy and lactation: Amant (Lancet 2012), Shachar (Oncologist 2017), Onkopedia 2022 -----------------------
PREGNANT_HER2 = dict(age=34, menopausal_status="pre", tumour__her2_ihc="3+", tumour__size_mm=30,
                     surgery__status="planned", nodes={"procedure": "none"}, lvef_percent=62)


def test_first_trimester_defers_chemotherapy_and_every_contraindicated_agent() -> None:
    result = run(**PREGNANT_HER2, pregnancy={"status": "pregnant", "gestational_age_weeks": 10})
    assert result.decisions["chemotherapy"] == "deferred" and "14 weeks" in rec(result, "chemotherapy").text
    assert result.decisions["her2_therapy"] == "deferred"
    assert result.decisions["endocrine"] == "deferred"


def test_second_trimester_chemotherapy_is_possible_but_not_trastuzumab() -> None:
    result = run(**PREGNANT_HER2, pregnancy={"status": "pregnant", "trimester": 2})
    assert result.decisions["chemotherapy"] == "recommended"
    assert "anthracycline-based" in rec(result, "chemotherapy").text
    assert result.decisions["her2_therapy"] == "deferred" and "after delivery" in rec(result, "her2_therapy").text


def test_pregnancy_without_gestational_age_asks_for_it_for_chemotherapy_only() -> None:
    result = run(**PREGNANT_HER2, pregnancy={"status": "pregnant"})
    assert result.decisions["chemotherapy"] == "insufficient_data"
    assert missing_for(result, "pregnancy.gestational_age_weeks") == ["chemotherapy"]
    assert result.decisions["her2_therapy"] == "deferred"


def test_breastfeeding_defers_endocrine_and_antibody_therapy() -> None:
    """HKMJ 2017, Shachar 2017: endocrine therapy and monoclonal antibodies are contraindicated in lactation."""
    result = run(**PREGNANT_HER2, pregnancy={"status": "lactating"})
    for key in ("endocrine", "her2_therapy"):
        assert result.decisions[key] == "deferred" and "breastfeeding" in rec(result, key).text.lower()


# --- declined treatments -------------------------------------------------------------------------------------------
def test_declined_chemotherapy_needs_no_assay() -> None:
    result = run(preferences={"declined": ["chemotherapy"]})
    assert result.decisions["chemotherapy"] == DECLINED
    r = rec(result, "chemotherapy")
    assert r.clinical_decision == "insufficient_data"
    assert "oncotype_rs" not in missing_fields(result)
    assert not any(r.id == "diagnostics.genomic_assay.order" for r in result.recommendations)


def test_declined_treatment_reports_the_predict_benefit_forgone() -> None:
    """PREDICT v3.2 models endocrine therapy and radiotherapy: their 10-year OS gain is what is forgone."""
    case = make_case(nodes__deposits=[macro(1)], oncotype_rs=10,
                     preferences={"declined": ["endocrine", "whole_breast_rt", "cdk46_inhibitor"]})
    a = assess(case)
    for key in ("endocrine", "whole_breast_rt"):
        r = next(r for r in a.recommendations if decision_key(r.id) == key)
        assert a.decisions[key] == DECLINED and r.decision == DECLINED and r.clinical_decision == "recommended"
        assert "percentage points of 10-year overall survival" in r.text
    assert a.prognosis is not None and "endocrine" not in a.prognosis.treatments_evaluated
    cdk = next(r for r in a.recommendations if r.id == "systemic.cdk46.declined")
    assert "PREDICT does not model this treatment" in cdk.text


def test_declined_ovarian_suppression_changes_the_agent_and_the_bisphosphonate() -> None:
    higher = dict(age=40, menopausal_status="pre", nodes__deposits=[macro(1)],
                  preferences={"declined": ["ovarian_function_suppression"]})
    result = run(**higher)
    assert "declined by the patient" in rec(result, "endocrine").text
    assert result.decisions["bisphosphonate"] == "not_indicated"


# --- item 3: decisions that cannot apply ---------------------------------------------------------------------------
def test_issue_case_pure_dcis_has_no_insufficient_systemic_decision() -> None:
    """Issue 8: pure DCIS answered insufficient_data for HER2 therapy, CDK4/6, olaparib, immunotherapy and
    bisphosphonate, none of which applies to DCIS (NSABP B-43 negative; every other label is for invasive cancer)."""
    result = run(tumour={"in_situ_only": True, "size_mm": 0}, nodes={"procedure": "none"})
    for key in SYSTEMIC:
        assert result.decisions[key] == "not_indicated", key


def test_frail_her2_positive_patient_has_her2_therapy_discussed() -> None:
    """The HER2 trials gave trastuzumab with chemotherapy (APT, APHINITY); chemotherapy is not offered to a severely
    frail patient (CFS 7, Rockwood), so trastuzumab alone is outside trial evidence: discuss."""
    result = run(**HER2_T1C, clinical_frailty_scale=7, lvef_percent=60)
    assert result.decisions["chemotherapy"] == "not_indicated"
    assert result.decisions["her2_therapy"] == "discuss"


def test_chemotherapy_while_breastfeeding_keeps_its_decision_with_a_stop_note() -> None:
    """Cytotoxics pass into milk: breastfeeding stops first; the treatment itself is not delayed."""
    result = run(age=36, menopausal_status="pre", oncotype_rs=35, pregnancy={"status": "lactating"})
    assert result.decisions["chemotherapy"] == "recommended"
    assert "Breastfeeding: it must stop" in rec(result, "chemotherapy").text


def test_no_assay_after_sentinel_biopsy_omission_at_76_for_a_low_risk_tumour() -> None:
    """SSO Choosing Wisely / SOUND: a sentinel biopsy is omitted at >= 70 because its result would not change the
    adjuvant therapy; a 12 mm grade 1 ER+ HER2- tumour is clinically low risk (MINDACT: grade 1 <= 30 mm), so no
    recurrence score is asked for and chemotherapy is not indicated."""
    from micromets.assess import assess
    from micromets.model import parse_case

    case = parse_case({"age": 76, "sex": "female", "menopausal_status": "post", "metastasis": "cM0",
                       "clinical_nodes": "cN0", "axillary_ultrasound": "normal",
                       "tumour": {"size_mm": 12, "grade": 1, "er_percent": 95, "pr_percent": 80, "her2_ihc": "0"},
                       "nodes": {"procedure": "none"}, "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}})
    result = assess(case)
    assert result.decisions["chemotherapy"] == "not_indicated"
    assert "oncotype_rs" not in {m.field for m in result.missing}
