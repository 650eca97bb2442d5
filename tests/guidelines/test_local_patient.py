"""Local therapy decided for the patient, not only the tumour (issue 8): worked examples, each with its source.

Sources named in each test: CALGB 9343 (Hughes JCO 2013), PRIME II (Kunkler NEJM 2023), LUMINA (Whelan NEJM
2023), EXPERT (NCT02889874: pN0(i+) eligible), SSO Choosing Wisely 2016/2019 and ASCO-OH 2021 (>= 70, cT1N0
HR+/HER2-, endocrine therapy), ACOSOG Z1071 (Boughey JAMA 2013; Ann Surg 2016), SENTINA (Kuehn Lancet Oncol
2013), SN FNAC (Boileau JCO 2015), GANEA 2, UK ABS/RCR 2019, NSABP B-51, EORTC 22922 (Poortmans 2015/2020),
NCCN (T3 N+ and cT4 -> PMRT/RNI), Amant (Lancet 2012), Gentilini (2004/2010), ASCO 2017 (SLNB in pregnancy).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.guidelines._helpers import ITC, MICRO, macro, missing_fields, rec, run

from micromets.guidelines import GuidelineResult

MASTECTOMY = {"breast": "mastectomy", "status": "done"}
PLANNED_BCS = {"breast": "bcs", "status": "planned"}


def missing_for(result: GuidelineResult, key: str) -> set[str]:
    """The fields reported as leaving decision ``key`` insufficient_data."""
    return {m.field for m in result.missing if key in m.decisions}


# --- the issue's older patient: ITC only counts as N0 -------------------------------------------------------------

OLDER_ITC: dict[str, Any] = dict(age=84, ecog=2, tumour__size_mm=8, tumour__grade=1, tumour__ki67_percent=8,
                                 surgery__margins_mm=3, nodes__examined=2, nodes__deposits=[ITC])


def test_issue_case_84_ecog2_pt1b_g1_er_positive_itc_only_may_omit_rt() -> None:
    """Issue 8: 84-year-old, ECOG 2, pT1b G1 ER+ with ITC only. AJCC 8: pN0(i+) is N0, so CALGB 9343 (>= 70,
    T1 N0 ER+, endocrine therapy) applies: RT omission possible (10-yr locoregional recurrence 2% vs 10%, OS 67%
    vs 66%). ECOG 2 strengthens it; the text states that the trials did not report ITC handling and EXPERT
    enrols pN0(i+) explicitly."""
    result = run(**OLDER_ITC)
    assert result.decisions["whole_breast_rt"] == "omission_possible"
    r = rec(result, "whole_breast_rt")
    assert r.strength == "strong" and "ECOG 2" in r.rationale
    assert "CALGB-9343" in r.evidence and "EXPERT" in r.evidence
    assert "pN0(i+)" in r.text and "do not state how ITC were handled" in r.text
    assert "counted as N0" in r.rationale


def test_prime_ii_with_itc_only() -> None:
    """PRIME II (>= 65, HR+, N0, <= 3 cm, margins >= 1 mm, not grade 3 with LVI): pT2 25 mm at 67 with ITC only."""
    result = run(age=67, tumour__size_mm=25, tumour__ki67_percent=25, nodes__deposits=[ITC])
    assert result.decisions["whole_breast_rt"] == "omission_possible"
    assert "PRIME-II" in rec(result, "whole_breast_rt").evidence


def test_micrometastasis_still_never_omits_rt_even_when_frail() -> None:
    """Every omission trial required N0: pN1mi keeps whole-breast RT, frailty or not."""
    result = run(age=84, ecog=3, clinical_frailty_scale=7, nodes__deposits=[MICRO])
    assert result.decisions["whole_breast_rt"] == "recommended"


def test_lumina_needs_clear_margins_of_1_mm() -> None:
    """LUMINA (Whelan NEJM 2023) enrolled margins >= 1 mm: 0.5 mm fails (58-year-old: only LUMINA could apply)."""
    assert run(age=58, tumour__ki67_percent=10, surgery__margins_mm=1).decisions["whole_breast_rt"] == "omission_possible"
    assert run(age=58, tumour__ki67_percent=10, surgery__margins_mm=0.5).decisions["whole_breast_rt"] == "recommended"


def test_declined_endocrine_therapy_rules_rt_omission_out() -> None:
    """CALGB 9343, PRIME II and LUMINA all gave endocrine therapy: declining it means RT (EUROPA: RT alone is the
    single-modality alternative)."""
    result = run(**OLDER_ITC, preferences={"declined": ["endocrine"]})
    assert result.decisions["whole_breast_rt"] == "recommended"
    assert "Endocrine therapy declined" in rec(result, "whole_breast_rt").text


def test_fitness_alone_never_creates_an_rt_omission() -> None:
    """Limited life expectancy with a pT2 G3 ER+ N0 tumour at 80: outside CALGB 9343 (T1) and PRIME II (<= 3 cm
    with not both G3 and LVI) -> RT stays recommended; the text says omission would be outside trial evidence."""
    result = run(age=80, life_expectancy_years=3, tumour__size_mm=35, tumour__grade=3, tumour__lvi=True)
    r = rec(result, "whole_breast_rt")
    assert r.decision == "recommended" and r.strength == "moderate"
    assert "outside trial evidence" in r.text and "estimated life expectancy 3 years" in r.rationale


# --- sentinel biopsy omission in older or less fit patients ------------------------------------------------------

# Choosing Wisely needs no axillary ultrasound; one not done closes the SOUND path (an unrecorded one is asked for: a
# suspicious, unbiopsied node would exclude the omission - tests/guidelines/test_axilla.py).
OLDER_PLANNED: dict[str, Any] = dict(age=76, surgery=PLANNED_BCS, nodes=None, axillary_ultrasound="not_done",
                                     tumour__size_mm=15, tumour__grade=2)


def test_sso_choosing_wisely_with_frailty_is_a_strong_omission() -> None:
    """SSO Choosing Wisely 2016/2019, ASCO-OH 2021: >= 70, cT1N0, HR+/HER2-, endocrine therapy -> SLNB not
    routinely needed; Clinical Frailty Scale 6 strengthens it."""
    result = run(**OLDER_PLANNED, clinical_frailty_scale=6)
    r = rec(result, "sentinel_biopsy")
    assert r.decision == "omission_possible" and r.strength == "strong"
    assert "SSO-CHOOSING-WISELY-2016" in r.evidence and "Clinical Frailty Scale 6" in r.rationale
    assert run(**OLDER_PLANNED).decisions["sentinel_biopsy"] == "omission_possible"


def test_sso_choosing_wisely_requires_endocrine_therapy() -> None:
    """The Choosing Wisely statement applies 'if they will be treated with hormonal therapy' (the SOUND path is
    closed here by an axillary ultrasound that was not done)."""
    result = run(**{**OLDER_PLANNED, "axillary_ultrasound": "not_done"}, preferences={"declined": ["endocrine"]})
    assert result.decisions["sentinel_biopsy"] == "recommended"


def test_choosing_wisely_early_stage_covers_ct2_weakly() -> None:
    """SSO Choosing Wisely says 'early stage' without a size limit (ASCO-OH 2021 says T1N0): a 25 mm tumour at 76
    may omit SLNB (weak); G8 12 (abnormal) strengthens it."""
    plain = rec(run(**{**OLDER_PLANNED, "tumour__size_mm": 25}), "sentinel_biopsy")
    assert plain.decision == "omission_possible" and plain.strength == "weak"
    frail = rec(run(**{**OLDER_PLANNED, "tumour__size_mm": 25}, g8_score=12), "sentinel_biopsy")
    assert frail.decision == "omission_possible" and frail.strength == "strong" and "G8 12" in frail.rationale


def test_frail_with_ct3_is_outside_trial_evidence() -> None:
    """cT3 (60 mm) is beyond 'early stage' T1-2: SLNB stays recommended at 85 with CFS 6, with the note."""
    r = rec(run(**{**OLDER_PLANNED, "age": 85, "tumour__size_mm": 60}, clinical_frailty_scale=6), "sentinel_biopsy")
    assert r.decision == "recommended" and r.strength == "moderate" and "outside trial evidence" in r.text


def test_her2_positive_older_patient_keeps_whole_breast_rt() -> None:
    """LUMINA, EUROPA and EXPERT required HER2-negative disease (HER2 was not tested in CALGB 9343/PRIME II): a
    68-year-old with HER2-positive pT1c pN0 keeps whole-breast RT."""
    result = run(age=68, tumour__her2_ihc="3+", tumour__size_mm=16, surgery__margins_mm=3)
    assert result.decisions["whole_breast_rt"] == "recommended"


# --- the axilla after neoadjuvant therapy -------------------------------------------------------------------------

NST_CN1: dict[str, Any] = dict(
    neoadjuvant=True, tumour__size_mm=0, tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0",
    tumour__grade=3, age=45, menopausal_status="pre",
    neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                         "nodes_biopsy_proven": True, "agents": ["anthracycline", "taxane"]})


def nst(**nodes: Any) -> GuidelineResult:
    return run(**NST_CN1, nodes={"procedure": "slnb", "deposits": [], **nodes})


def test_issue_case_cn1_to_ypn0_on_two_nodes_single_tracer_no_clip() -> None:
    """Issue 8: biopsy-proven cN1 -> ypN0 on 2 sentinel nodes, single tracer, no clip. Z1071: FNR 21.1% with 2
    SLNs, 20.3% with a single tracer; SENTINA 18.5% / 16.0%. Not 'no further axillary surgery': axillary RT or
    ALND (ASCO 2021, NCCN, UK ABS/RCR 2019)."""
    result = nst(examined=2, sentinel_nodes_removed=2, tracers=["radioisotope"], clipped_node="not_placed")
    r = rec(result, "axillary_surgery")
    assert r.decision == "axillary_rt_or_alnd"
    assert {"ACOSOG-Z1071", "SENTINA", "SN-FNAC", "GANEA-2", "UK-ABS-RCR-2019"} <= set(r.evidence)
    assert "21.1%" in r.text and "20.3%" in r.text


@pytest.mark.parametrize("mapping", [
    {"examined": 3, "sentinel_nodes_removed": 3, "tracers": ["radioisotope"], "clipped_node": "not_placed"},
    {"examined": 1, "sentinel_nodes_removed": 1, "tracers": ["radioisotope"], "clipped_node": "retrieved"},
])
def test_three_sentinel_nodes_or_the_clipped_node_make_ypn0_adequate(mapping: dict[str, Any]) -> None:
    """Z1071: >= 3 SLNs FNR 9.1%; clipped node in the SLN specimen 6.8% -> no further axillary surgery. Dual tracer
    alone does not make 1-2 sentinel nodes adequate (Z1071 31% / 21.1% by count; axilla-staging audit, see
    tests/guidelines/test_axilla_staging.py)."""
    r = rec(nst(**mapping), "axillary_surgery")
    assert r.decision == "none_needed" and r.id == "surgery.alnd.none_needed.ypn0_adequate_mapping"


def test_clipped_node_not_retrieved_is_never_adequate() -> None:
    """Z1071 clip analysis: clipped node not among the sentinel nodes -> FNR 19.0%."""
    result = nst(examined=4, sentinel_nodes_removed=4, tracers=["radioisotope", "indocyanine_green"],
                 clipped_node="not_retrieved")
    r = rec(result, "axillary_surgery")
    assert r.decision == "axillary_rt_or_alnd" and "19.0%" in r.text


def test_unknown_mapping_names_exactly_the_fields_that_could_change_it() -> None:
    """Item 3: insufficient_data only for inputs that can flip the decision, each named."""
    result = nst(examined=4)
    assert result.decisions["axillary_surgery"] == "insufficient_data"
    # The tracers cannot change it (dual tracer alone does not make 1-2 sentinel nodes adequate): not asked for.
    assert missing_for(result, "axillary_surgery") == {"nodes.sentinel_nodes_removed", "nodes.clipped_node"}
    # Two nodes examined at a sentinel biopsy: fewer than 3 sentinel nodes is already known.
    result = nst(examined=2)
    assert missing_for(result, "axillary_surgery") == {"nodes.clipped_node"}
    result = nst(examined=2, sentinel_nodes_removed=2, tracers=["radioisotope"])
    assert missing_for(result, "axillary_surgery") == {"nodes.clipped_node"}


@pytest.mark.parametrize(("field", "value"), [("sentinel_nodes_removed", 3), ("clipped_node", "retrieved")])
def test_each_reported_mapping_field_flips_the_decision(field: str, value: Any) -> None:
    """What-if (item 3): supplying either deciding field with an adequate value moves insufficient_data to
    'none_needed', and an inadequate value for both moves it to 'axillary_rt_or_alnd' (the tracers decide nothing
    alone: dual tracer with 1-2 sentinel nodes stays inadequate, Z1071 31% / 21.1%)."""
    assert nst(examined=4, **{field: value}).decisions["axillary_surgery"] == "none_needed"
    inadequate = nst(examined=4, sentinel_nodes_removed=2, tracers=["radioisotope"], clipped_node="not_placed")
    assert inadequate.decisions["axillary_surgery"] == "axillary_rt_or_alnd"


def test_unknown_pre_treatment_nodes_is_asked_for_only_when_mapping_is_not_adequate() -> None:
    """clinical_nodes after therapy is the ycN; the status before therapy is never inferred from it."""
    no_before = {**NST_CN1, "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "agents": ["taxane"]}}
    result = run(**no_before, nodes={"procedure": "slnb", "examined": 2, "sentinel_nodes_removed": 2,
                                     "tracers": ["radioisotope"], "clipped_node": "not_placed"})
    assert result.decisions["axillary_surgery"] == "insufficient_data"
    assert missing_for(result, "axillary_surgery") == {"neoadjuvant_therapy.pre_treatment_clinical_nodes"}
    adequate = run(**no_before, nodes={"procedure": "slnb", "examined": 3, "sentinel_nodes_removed": 3})
    assert adequate.decisions["axillary_surgery"] == "none_needed"


def test_sentinel_node_not_found_after_neoadjuvant_therapy_means_alnd() -> None:
    assert nst(examined=0, sentinel_nodes_removed=0).decisions["axillary_surgery"] == "alnd"


@pytest.mark.parametrize("deposit", [ITC, MICRO])
def test_residual_itc_or_micrometastasis_after_nst_means_alnd_and_a011202_is_pending(deposit: dict[str, Any]) -> None:
    """NCCN; UK ABS/RCR 2019 (any residual disease, ITC or micrometastasis included -> ALND); Alliance A011202
    (nodal RT instead of ALND) has no published results: the text says it is pending."""
    r = rec(nst(examined=3, sentinel_nodes_removed=3, deposits=[deposit]), "axillary_surgery")
    assert r.decision == "alnd" and "pending" in r.text and "ALLIANCE-A011202" in r.evidence


def test_cn1_to_ypn0_nodal_rt_is_discussed_with_nsabp_b51() -> None:
    """NSABP B-51 (cT1-3 N1 -> ypN0): regional nodal RT did not improve IBCR-FI (HR 0.88, 0.60-1.28)."""
    r = rec(nst(examined=3, sentinel_nodes_removed=3), "regional_nodal_irradiation")
    assert r.decision == "discuss" and "NSABP-B51" in r.evidence and "0.88" in r.text


# --- nodal RT and PMRT: T3 N+, location, pre-treatment T4 -----------------------------------------------------------

def test_issue_case_t3_n1mi_after_mastectomy_gets_pmrt_and_rni() -> None:
    """Issue 8: T3 N1mi after mastectomy. AJCC 8 stages N1mi as N1 for T3; NCCN: PMRT including the regional
    nodes for T3 N+ (MA.20 enrolled BCS patients only). ALND still omitted, with the nodal RT covering the axilla."""
    result = run(surgery=MASTECTOMY, tumour__size_mm=60, nodes__deposits=[MICRO])
    assert result.decisions["post_mastectomy_rt"] == "recommended"
    assert result.decisions["regional_nodal_irradiation"] == "recommended"
    assert rec(result, "regional_nodal_irradiation").strength == "strong"
    ax = rec(result, "axillary_surgery")
    assert ax.decision == "omit_alnd" and "outside IBCSG 23-01" in ax.text


def test_t3_node_negative_after_mastectomy_stays_discussed() -> None:
    # Amended (local-patient, 2026-12-01): the quadrant is given; unrecorded, a medial/central tumour would add a second
    # adverse feature to the > 30 mm tumour, so it would hold nodal RT (EORTC 22922; product owner's call).
    result = run(surgery=MASTECTOMY, tumour__size_mm=60, tumour__quadrant="upper_outer")
    assert result.decisions["post_mastectomy_rt"] == "discuss"
    assert result.decisions["regional_nodal_irradiation"] == "not_indicated"


def test_medial_location_counts_for_micrometastases() -> None:
    """EORTC 22922 enrolled medial/central tumours; with grade 3 that makes two adverse features -> discuss."""
    medial = run(nodes__deposits=[MICRO], tumour__grade=3, tumour__quadrant="upper_inner")
    assert medial.decisions["regional_nodal_irradiation"] == "discuss"
    assert "medial/central" in rec(medial, "regional_nodal_irradiation").text
    lateral = run(nodes__deposits=[MICRO], tumour__grade=3, tumour__quadrant="upper_outer")
    assert lateral.decisions["regional_nodal_irradiation"] == "not_indicated"


def test_unknown_quadrant_holds_nodal_rt_only_where_a_medial_tumour_would_tip_it() -> None:
    """Amended (local-patient, 2026-12-01; product owner's call): pN1mi with one adverse feature (grade 3) and the
    quadrant unrecorded was 'not_indicated' with the quadrant named; a medial/central tumour (EORTC 22922 and MA.20
    enrolled them) would be the second feature and make nodal RT 'discuss', so the quadrant now holds the decision.
    With no adverse feature a medial tumour alone cannot tip it: decided, nothing asked."""
    result = run(nodes__deposits=[MICRO], tumour__grade=3)
    assert result.decisions["regional_nodal_irradiation"] == "insufficient_data"
    assert missing_for(result, "regional_nodal_irradiation") == {"tumour.quadrant"}
    assert run(nodes__deposits=[MICRO], tumour__grade=3, tumour__quadrant="lower_inner").decisions[
        "regional_nodal_irradiation"] == "discuss"
    calm = run(nodes__deposits=[MICRO])
    assert calm.decisions["regional_nodal_irradiation"] == "not_indicated"
    assert "tumour.quadrant" not in missing_fields(calm)


@pytest.mark.parametrize(("unknown", "tipping"), [
    ({"tumour__grade": None}, {"tumour__grade": 3}),
    ({"tumour__lvi": None}, {"tumour__lvi": True}),
    ({"age": None}, {"age": 38, "menopausal_status": "pre"}),
])
def test_an_unknown_adverse_feature_that_alone_would_tip_is_named(unknown: dict[str, Any],
                                                                   tipping: dict[str, Any]) -> None:
    """pN1mi with one adverse feature (ER-negative) and a lateral tumour: nodal RT is not routine, and a second
    feature makes it worth discussing (combined adverse features: consensus; MA.20/EORTC 22922 did not stratify
    by micrometastasis; IBCSG 23-01). An unknown grade, LVI or age is not read as 'feature absent' without being
    named - the decision stands (the quadrant, with a lateral tumour known here, is the one input that holds it: see
    above); the named input does tip it."""
    base = dict(nodes__deposits=[MICRO], tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0",
                tumour__quadrant="upper_outer", tumour__grade=2, tumour__lvi=False)
    result = run(**{**base, **unknown})
    assert result.decisions["regional_nodal_irradiation"] == "not_indicated"
    named = field_of(next(iter(unknown)))
    assert named in missing_fields(result)
    assert missing_for(result, "regional_nodal_irradiation") == set()
    assert run(**{**base, **tipping}).decisions["regional_nodal_irradiation"] == "discuss"
    # With the feature known to be absent nothing is named for it.
    assert named not in missing_fields(run(**base))


def test_node_negative_lateral_tumour_names_no_other_feature() -> None:
    """Node-negative, only a medial/central tumour makes nodal RT worth discussing (EORTC 22922): an unknown grade
    of a lateral tumour cannot change it and is not named for it."""
    result = run(tumour__quadrant="upper_outer", tumour__grade=None, tumour__lvi=True)
    assert result.decisions["regional_nodal_irradiation"] == "not_indicated"
    assert not any("one more of the combined adverse features" in m.why for m in result.missing)


def field_of(change: str) -> str:
    return change.replace("__", ".")


def test_node_negative_central_tumour_with_another_adverse_feature_is_discussed() -> None:
    """EORTC 22922 (medial/central N0 eligible; 15-yr breast cancer mortality 16.0% vs 19.8%; no subgroup that
    benefits most): discuss with another adverse feature, not for a central tumour alone."""
    assert run(tumour__quadrant="central", age=38, menopausal_status="pre").decisions[
        "regional_nodal_irradiation"] == "discuss"
    assert run(tumour__quadrant="central").decisions["regional_nodal_irradiation"] == "not_indicated"


def test_one_to_three_macrometastatic_nodes_medial_include_the_internal_mammary_nodes() -> None:
    r = rec(run(nodes__deposits=[macro(1)], tumour__quadrant="lower_inner"), "regional_nodal_irradiation")
    assert r.decision == "recommended" and "internal mammary" in r.text


@pytest.mark.parametrize(("before", "extension"), [("cN1", "inflammatory"), ("cN1", "skin"), ("cN2a", "none")])
def test_pre_treatment_ct4_or_cn2_means_pmrt_and_rni_whatever_the_response(before: str, extension: str) -> None:
    """NCCN: cT4 (inflammatory included) or cN2-3 before neoadjuvant therapy -> PMRT with nodal RT even after a
    complete response (NSABP B-51 enrolled cT1-3 N1 only)."""
    therapy = {**NST_CN1["neoadjuvant_therapy"], "pre_treatment_clinical_nodes": before,
               "pre_treatment_t_extension": extension}
    result = run(**{**NST_CN1, "neoadjuvant_therapy": therapy}, surgery=MASTECTOMY,
                 nodes={"procedure": "slnb_then_alnd", "examined": 12, "deposits": []})
    assert result.decisions["post_mastectomy_rt"] == "recommended"
    assert result.decisions["regional_nodal_irradiation"] == "recommended"
    assert rec(result, "post_mastectomy_rt").strength == "strong"


# --- pregnancy -------------------------------------------------------------------------------------------------------

PREGNANT: dict[str, Any] = dict(age=34, menopausal_status="pre", pregnancy={"status": "pregnant", "trimester": 2})


def test_radiotherapy_is_deferred_until_after_delivery() -> None:
    """Amant (Lancet 2012): RT possible only with a case-by-case fetal-dose assessment; BCS with RT after
    delivery: whole-breast RT and boost are 'deferred', never 'recommended', during pregnancy."""
    result = run(**PREGNANT)
    assert result.decisions["whole_breast_rt"] == "deferred" and result.decisions["boost"] == "deferred"
    r = rec(result, "whole_breast_rt")
    assert r.id == "radiation.wbrt.deferred.pregnancy" and "AMANT-2012" in r.evidence
    assert "after delivery" in r.text and "trimester 2" in r.text
    mastectomy = run(**PREGNANT, surgery=MASTECTOMY, nodes__deposits=[macro(1), macro(2)])
    assert mastectomy.decisions["post_mastectomy_rt"] == "deferred"
    assert mastectomy.decisions["regional_nodal_irradiation"] == "deferred"


def test_lactation_does_not_defer_radiotherapy() -> None:
    assert run(age=34, menopausal_status="pre", pregnancy={"status": "lactating"}).decisions[
        "whole_breast_rt"] == "recommended"


def test_sentinel_biopsy_in_pregnancy_radioisotope_only_and_the_guideline_disagreement() -> None:
    """Gentilini (2004/2010): low-dose 99mTc, fetal dose negligible; blue dye avoided (isosulfan anaphylaxis
    1.1-1.6%); ASCO 2017 kept its advice against SLNB in pregnancy (weak): both are shown."""
    result = run(**PREGNANT, surgery=PLANNED_BCS, nodes=None, tumour__size_mm=25)
    r = rec(result, "sentinel_biopsy")
    assert r.decision == "recommended" and r.strength == "weak"
    assert "radioisotope alone" in r.text and "blue dye" in r.text and "ASCO 2017" in r.text
    assert {"ASCO-SLNB-2017", "GENTILINI-SLNB-PREGNANCY", "BLUE-DYE-ANAPHYLAXIS"} <= set(r.evidence)


# --- decisions that cannot apply: DCIS -------------------------------------------------------------------------------

def test_dcis_has_no_axillary_dissection_nodal_rt_or_pmrt() -> None:
    """Pure DCIS: not applicable/not indicated with the reason, never insufficient_data."""
    dcis = dict(tumour={"size_mm": 0, "in_situ_only": True, "grade": 2}, nodes=None)
    bcs = run(**dcis)
    assert bcs.decisions["axillary_surgery"] == "none_needed"
    assert bcs.decisions["regional_nodal_irradiation"] == "not_indicated"
    assert bcs.decisions["whole_breast_rt"] == "recommended"
    mast = run(**dcis, surgery=MASTECTOMY)
    assert mast.decisions["post_mastectomy_rt"] == "not_indicated"
    for result in (bcs, mast):
        for key in ("axillary_surgery", "regional_nodal_irradiation", "post_mastectomy_rt", "whole_breast_rt"):
            assert result.decisions[key] != "insufficient_data"


def test_no_breast_surgery_means_no_sentinel_biopsy() -> None:
    """Primary endocrine therapy without surgery (e.g. an 88-year-old): the sentinel biopsy does not apply."""
    result = run(age=88, surgery={"breast": "none"}, nodes=None, tumour__size_mm=25)
    assert result.decisions["sentinel_biopsy"] == "not_applicable"
    assert result.decisions["whole_breast_rt"] == "not_applicable"
    assert result.decisions["post_mastectomy_rt"] == "not_applicable"


def test_inflammatory_or_cn2_before_therapy_means_alnd_even_after_a_good_mapping() -> None:
    """Sentinel biopsy is not reliable in inflammatory cancer (NCCN) and was validated after neoadjuvant therapy in
    cN1 disease (A011202 and NSABP B-51 enrolled cN1 only): ALND, with PMRT and nodal RT."""
    mapping = {"examined": 3, "sentinel_nodes_removed": 3, "tracers": ["radioisotope", "blue_dye"],
               "clipped_node": "retrieved"}
    for before, extension in (("cN1", "inflammatory"), ("cN2a", "none")):
        therapy = {**NST_CN1["neoadjuvant_therapy"], "pre_treatment_clinical_nodes": before,
                   "pre_treatment_t_extension": extension}
        result = run(**{**NST_CN1, "neoadjuvant_therapy": therapy}, surgery=MASTECTOMY,
                     nodes={"procedure": "slnb", "deposits": [], **mapping})
        assert result.decisions["axillary_surgery"] == "alnd"
        assert result.decisions["post_mastectomy_rt"] == "recommended"


def test_dcis_with_mastectomy_gets_a_sentinel_biopsy() -> None:
    """ASCO 2017 / NCCN: sentinel biopsy at mastectomy for DCIS (an occult invasive cancer cannot be staged
    afterwards); not with breast-conserving surgery."""
    dcis = dict(tumour={"size_mm": 0, "in_situ_only": True}, nodes=None)
    assert run(**dcis, surgery={"breast": "mastectomy", "status": "planned"}).decisions[
        "sentinel_biopsy"] == "recommended"
    assert run(**dcis, surgery=PLANNED_BCS).decisions["sentinel_biopsy"] == "not_applicable"


def test_dcis_with_the_operation_unknown_asks_for_it() -> None:
    """ASCO 2017 / NCCN: for DCIS the operation decides the sentinel biopsy (with a mastectomy, not with BCS), so an
    unknown operation is insufficient data naming surgery.breast - never the BCS answer by default."""
    result = run(tumour={"size_mm": 0, "in_situ_only": True}, nodes=None, surgery=None, clinical_nodes="cN0")
    assert result.decisions["sentinel_biopsy"] == "insufficient_data"
    assert "surgery.breast" in missing_for(result, "sentinel_biopsy")
