"""Worked examples for DP-S (chemotherapy, endocrine, HER2, CDK4/6, olaparib, pembrolizumab, capecitabine,
bisphosphonates), each with its source."""

from __future__ import annotations

from tests.guidelines._helpers import ITC, MICRO, macro, missing_fields, rec, run

TNBC = dict(tumour__er_percent=0, tumour__pr_percent=0, tumour__her2_ihc="0")
HER2 = dict(tumour__her2_ihc="3+")
PRE = dict(age=44, menopausal_status="pre")


# --- chemotherapy, HR+/HER2- -------------------------------------------------------------------------
def test_t1a_n0_luminal_no_chemotherapy() -> None:
    """NCCN: pT1a N0 HR+/HER2- -> endocrine therapy alone, no assay."""
    assert run(tumour__size_mm=4).decisions["chemotherapy"] == "not_indicated"


def test_rs_unknown_where_it_decides_is_insufficient_with_assay_order() -> None:
    """ASCO 2022 biomarker rec 1.1 / TAILORx: N0 > 5 mm -> a 21-gene RS decides; order it."""
    result = run()
    assert result.decisions["chemotherapy"] == "insufficient_data"
    assert "oncotype_rs" in missing_fields(result)
    assert any(r.id == "diagnostics.genomic_assay.order" for r in result.recommendations)


def test_postmenopausal_pn1mi_rs_20_no_chemotherapy() -> None:
    """NCCN 'pN0 or pN1mi' branch + TAILORx (> 50): RS <= 25 -> endocrine therapy alone."""
    result = run(nodes__deposits=[MICRO], oncotype_rs=20)
    assert result.decisions["chemotherapy"] == "not_indicated"


def test_rs_26_or_more_chemotherapy() -> None:
    """TAILORx: RS >= 26 -> chemotherapy."""
    assert run(oncotype_rs=31).decisions["chemotherapy"] == "recommended"


def test_young_node_negative_rs_16_to_25_discuss() -> None:
    """TAILORx exploratory (Sparano NEJM 2018/2019): age <= 50, RS 16-25 -> chemo or OFS: discuss."""
    assert run(**PRE, oncotype_rs=22).decisions["chemotherapy"] == "discuss"


def test_young_node_negative_rs_15_no_chemotherapy() -> None:
    """TAILORx: RS <= 15 -> no chemotherapy benefit at any age."""
    assert run(**PRE, oncotype_rs=12).decisions["chemotherapy"] == "not_indicated"


def test_premenopausal_pn1mi_rs_12_is_contested_discuss() -> None:
    """NCCN pN0-like (TAILORx) vs ASCO 2022 rec 1.6 node-positive reading: both positions cited."""
    result = run(**PRE, nodes__deposits=[MICRO], oncotype_rs=12)
    r = rec(result, "chemotherapy")
    assert result.decisions["chemotherapy"] == "discuss"
    assert {"ASCO-BIOMARKER-2022", "TAILORX", "RXPONDER"} <= set(r.evidence)


def test_postmenopausal_one_to_three_macro_rs_18_no_chemotherapy() -> None:
    """RxPONDER (Kalinsky NEJM 2021): postmenopausal 1-3 nodes, RS <= 25 -> no benefit."""
    assert run(nodes__deposits=[macro(1)], oncotype_rs=18).decisions["chemotherapy"] == "not_indicated"


def test_premenopausal_one_to_three_macro_rs_18_chemotherapy() -> None:
    """RxPONDER premenopausal iDFS HR 0.60 -> chemotherapy (OFS alternative in text)."""
    result = run(**PRE, nodes__deposits=[macro(1)], oncotype_rs=18)
    assert result.decisions["chemotherapy"] == "recommended"
    assert "OFS" in rec(result, "chemotherapy").text


def test_four_positive_nodes_chemotherapy_without_assay() -> None:
    """NCCN: >= 4 positive nodes (RxPONDER excluded them) -> chemotherapy."""
    nodes = {"procedure": "slnb_then_alnd", "examined": 15, "deposits": [macro(i) for i in range(1, 5)]}
    assert run(nodes=nodes).decisions["chemotherapy"] == "recommended"


def test_mammaprint_low_over_50_no_chemotherapy() -> None:
    """MINDACT (Cardoso NEJM 2016; Piccart Lancet Oncol 2021): genomic low risk, > 50 -> omit chemotherapy."""
    assert run(mammaprint="low").decisions["chemotherapy"] == "not_indicated"


# --- chemotherapy, TNBC and HER2+ --------------------------------------------------------------------
def test_tnbc_t1c_chemotherapy() -> None:
    """NCCN: TNBC pT1c N0 -> adjuvant chemotherapy."""
    assert run(**TNBC).decisions["chemotherapy"] == "recommended"


def test_tnbc_t1b_discuss_and_t1a_not_indicated() -> None:
    """NCCN: TNBC pT1b N0 -> consider; pT1a N0 -> none."""
    assert run(**TNBC, tumour__size_mm=8).decisions["chemotherapy"] == "discuss"
    assert run(**TNBC, tumour__size_mm=4).decisions["chemotherapy"] == "not_indicated"


def test_tnbc_t1a_n1mi_discuss() -> None:
    """NCCN: TNBC pT1a N1mi -> consider (contested)."""
    assert run(**TNBC, tumour__size_mm=4, nodes__deposits=[MICRO]).decisions["chemotherapy"] == "discuss"


def test_her2_t1b_n1mi_apt() -> None:
    """APT (Tolaney NEJM 2015): HER2+ <= 3 cm node-negative or micrometastatic -> paclitaxel + trastuzumab."""
    result = run(**HER2, tumour__size_mm=9, nodes__deposits=[MICRO])
    assert result.decisions["chemotherapy"] == "recommended" and result.decisions["her2_therapy"] == "recommended"
    assert "APT" in rec(result, "her2_therapy").evidence and "paclitaxel" in rec(result, "chemotherapy").text


def test_her2_t1a_n0_discuss() -> None:
    """NCCN: HER2+ T1a N0 -> consider paclitaxel + trastuzumab or no therapy."""
    assert run(**HER2, tumour__size_mm=4).decisions["chemotherapy"] == "discuss"


def test_her2_t2_planned_neoadjuvant() -> None:
    """NCCN/ESMO: HER2+ cT2 -> neoadjuvant chemotherapy + trastuzumab + pertuzumab preferred."""
    result = run(**HER2, tumour__size_mm=28, surgery={"breast": "bcs", "status": "planned"}, nodes=None)
    assert result.decisions["chemotherapy"] == "recommended"
    assert "Neoadjuvant" in rec(result, "chemotherapy").text


# --- endocrine --------------------------------------------------------------------------------------
def test_er_negative_no_endocrine_and_er_low_weak() -> None:
    """ASCO/CAP 2020 (Allison): ER < 1% negative; 1-10% low positive -> ET may be offered (weak)."""
    assert run(**TNBC).decisions["endocrine"] == "not_indicated"
    low = run(tumour__er_percent=5)
    assert low.decisions["endocrine"] == "recommended" and rec(low, "endocrine").strength == "weak"


def test_postmenopausal_ai_and_node_positive_extended() -> None:
    """EBCTCG AI 2015: AI for postmenopausal; ASCO 2019 / ATLAS: node-positive -> up to 10 years."""
    text = rec(run(nodes__deposits=[macro(1)], oncotype_rs=10), "endocrine").text
    assert "Aromatase inhibitor" in text and "10 years" in text


def test_premenopausal_higher_risk_ofs() -> None:
    """SOFT/TEXT, ASCO OFS 2016: premenopausal with a chemotherapy indication -> OFS + exemestane."""
    text = rec(run(**PRE, oncotype_rs=35), "endocrine").text
    assert "ovarian function suppression" in text


def test_premenopausal_low_risk_tamoxifen() -> None:
    """ASCO OFS 2016: stage I without chemotherapy -> no OFS; tamoxifen."""
    assert "Tamoxifen" in rec(run(**PRE, oncotype_rs=8), "endocrine").text


# --- HER2 ----------------------------------------------------------------------------------------------
def test_her2_equivocal_without_ish_is_insufficient_and_orders_ish() -> None:
    """ASCO/CAP 2018: IHC 2+ -> reflex ISH."""
    result = run(tumour__her2_ihc="2+")
    assert result.decisions["her2_therapy"] == "insufficient_data"
    assert "tumour.her2_ish_ratio" in missing_fields(result)
    assert any(r.id == "diagnostics.her2.ish" for r in result.recommendations)


def test_katherine_tdm1_for_residual_disease() -> None:
    """KATHERINE (von Minckwitz NEJM 2019): residual invasive disease after NST -> T-DM1."""
    result = run(neoadjuvant=True, tumour__her2_ihc="3+", tumour__size_mm=6, nodes__deposits=[MICRO],
                 neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                                      "agents": ["taxane", "platinum", "trastuzumab", "pertuzumab"]})
    assert result.decisions["her2_therapy"] == "recommended"
    assert "T-DM1" in rec(result, "her2_therapy").text


# --- CDK4/6 ----------------------------------------------------------------------------------------------
def test_monarche_cohort1_four_nodes() -> None:
    """monarchE (Johnston JCO 2020): >= 4 positive ALN -> abemaciclib."""
    nodes = {"procedure": "slnb_then_alnd", "examined": 15, "deposits": [macro(i) for i in range(1, 5)]}
    result = run(nodes=nodes)
    assert result.decisions["cdk46_inhibitor"] == "recommended" and "abemaciclib" in rec(result, "cdk46_inhibitor").text


def test_monarche_one_node_grade_3() -> None:
    """monarchE cohort 1: 1-3 nodes + grade 3."""
    result = run(nodes__deposits=[macro(1)], tumour__grade=3, oncotype_rs=30)
    assert "abemaciclib" in rec(result, "cdk46_inhibitor").text


def test_natalee_stage_iia_one_node() -> None:
    """NATALEE (Slamon NEJM 2024): anatomic stage IIA N1 -> ribociclib."""
    result = run(nodes__deposits=[macro(1)], oncotype_rs=10)
    assert result.decisions["cdk46_inhibitor"] == "recommended" and "ribociclib" in rec(result, "cdk46_inhibitor").text


def test_natalee_t2n0_grade3() -> None:
    assert run(tumour__size_mm=30, tumour__grade=3, oncotype_rs=30).decisions["cdk46_inhibitor"] == "recommended"


def test_t1n1mi_not_eligible_and_t2n1mi_discuss() -> None:
    """Stage IB (T1N1mi) is below NATALEE's stage II entry; T2N1mi hinges on N1mi counting [U]: discuss."""
    assert run(nodes__deposits=[MICRO], oncotype_rs=10).decisions["cdk46_inhibitor"] == "not_indicated"
    result = run(nodes__deposits=[MICRO], oncotype_rs=10, tumour__size_mm=30)
    assert result.decisions["cdk46_inhibitor"] == "discuss"


def test_cdk46_never_for_her2_positive() -> None:
    assert run(**HER2, nodes__deposits=[macro(1)]).decisions["cdk46_inhibitor"] == "not_indicated"


# --- olaparib, immunotherapy, capecitabine ----------------------------------------------------------
def test_olympia_tnbc_pt2_gbrca() -> None:
    """OlympiA (Tutt NEJM 2021): gBRCA TNBC >= pT2 -> olaparib 1 year."""
    assert run(**TNBC, tumour__size_mm=25, germline_brca="brca1").decisions["olaparib"] == "recommended"


def test_olympia_brca_unknown_is_insufficient_with_germline_order() -> None:
    """ASCO-SSO 2024: test when the patient could receive a PARP inhibitor."""
    result = run(**TNBC, tumour__size_mm=25)
    assert result.decisions["olaparib"] == "insufficient_data" and "germline_brca" in missing_fields(result)
    assert any(r.id == "diagnostics.germline.offer" for r in result.recommendations)


def test_olaparib_not_for_t1n1mi_tnbc() -> None:
    """OlympiA consensus: not for stage I TNBC (T1N1mi = IB)."""
    assert run(**TNBC, nodes__deposits=[MICRO], germline_brca="brca1").decisions["olaparib"] == "not_indicated"


def test_olaparib_hr_positive_needs_four_nodes() -> None:
    assert run(nodes__deposits=[macro(1)], germline_brca="brca2", oncotype_rs=10).decisions["olaparib"] == "not_indicated"


def test_keynote522_planned_ct2_tnbc() -> None:
    """KEYNOTE-522 (Schmid NEJM 2020): cT2 N0 TNBC -> neoadjuvant pembrolizumab-chemotherapy."""
    result = run(**TNBC, tumour__size_mm=25, surgery={"breast": "bcs", "status": "planned"}, nodes=None)
    assert result.decisions["immunotherapy"] == "recommended"


def test_keynote522_not_for_upfront_surgery_or_ct1c_n0() -> None:
    assert run(**TNBC).decisions["immunotherapy"] == "not_indicated"
    planned = run(**TNBC, surgery={"breast": "bcs", "status": "planned"}, nodes=None)
    assert planned.decisions["immunotherapy"] == "not_indicated"


TNBC_NST = dict(**TNBC, neoadjuvant=True, tumour__size_mm=8,
                neoadjuvant_therapy={"pre_treatment_size_mm": 35, "pre_treatment_clinical_nodes": "cN0",
                                     "agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]})


def test_keynote522_continuation_and_create_x_capecitabine() -> None:
    """KEYNOTE-522: continue pembrolizumab; CREATE-X (Masuda NEJM 2017): TNBC residual -> capecitabine, but after
    neoadjuvant pembrolizumab only discussed: CREATE-X predates pembrolizumab and no trial tested the combination."""
    result = run(**TNBC_NST)
    assert result.decisions["immunotherapy"] == "recommended"
    # amended (patient audit 2026-12-01): was 'recommended' after the KEYNOTE-522 regimen
    assert result.decisions["capecitabine"] == "discuss"
    without_pembrolizumab = {**TNBC_NST, "neoadjuvant_therapy": {**TNBC_NST["neoadjuvant_therapy"],
                                                                 "agents": ["anthracycline", "taxane", "platinum"]}}
    # amended (patient-safety 2026-12-02): a gBRCA carrier's capecitabine is 'discuss' (OlympiA olaparib the
    # alternative), so an unknown germline result is asked for; a negative one leaves CREATE-X 'recommended'
    assert run(**without_pembrolizumab, germline_brca="negative").decisions["capecitabine"] == "recommended"
    unknown_brca = run(**without_pembrolizumab)
    assert unknown_brca.decisions["capecitabine"] == "insufficient_data"
    assert "germline_brca" in missing_fields(unknown_brca)
    assert result.decisions["chemotherapy"] == "not_indicated"


def test_capecitabine_discuss_when_olaparib_eligible() -> None:
    result = run(**TNBC_NST, germline_brca="brca1")
    assert result.decisions["olaparib"] == "recommended" and result.decisions["capecitabine"] == "discuss"


def test_pcr_no_capecitabine() -> None:
    assert run(**{**TNBC_NST, "tumour__size_mm": 0}).decisions["capecitabine"] == "not_indicated"


# --- bisphosphonates -------------------------------------------------------------------------------
def test_bisphosphonate_premenopausal_without_ofs_not_indicated() -> None:
    """EBCTCG 2015: no benefit in premenopausal women."""
    assert run(**PRE, oncotype_rs=8).decisions["bisphosphonate"] == "not_indicated"


def test_bisphosphonate_postmenopausal_node_positive_recommended_with_dental_check() -> None:
    """ASCO/CCO 2017 (Dhesy-Thind): postmenopausal candidates for systemic therapy; dental check."""
    result = run(nodes__deposits=[macro(1)], oncotype_rs=10)
    assert result.decisions["bisphosphonate"] == "recommended"
    assert "dental" in rec(result, "bisphosphonate").text


def test_itc_counts_as_node_negative_for_systemic_therapy() -> None:
    """AJCC 8 / NCCN: pN0(i+) is node-negative."""
    result = run(nodes__deposits=[ITC], oncotype_rs=20)
    assert result.decisions["chemotherapy"] == "not_indicated"
    assert result.decisions["cdk46_inhibitor"] == "not_indicated"


def test_t4_is_locally_advanced_whatever_its_size() -> None:
    """AJCC 8: direct extension to the skin is T4b whatever the size; NCCN/ESMO: locally advanced (T4) disease gets
    preoperative systemic therapy. A 9 mm triple-negative tumour ulcerating the skin is not a T1b 'discuss'."""
    from micromets.assess import assess
    from micromets.model import parse_case

    case = parse_case({"age": 55, "sex": "female", "menopausal_status": "post", "metastasis": "cM0",
                       "clinical_nodes": "cN0", "surgery": {"breast": "mastectomy", "status": "planned"},
                       "tumour": {"size_mm": 9, "t_extension": "skin", "grade": 3, "er_percent": 0, "pr_percent": 0,
                                  "her2_ihc": "1+"}})
    result = assess(case)
    assert result.staging.t == "cT4b"
    assert result.decisions["chemotherapy"] == "recommended"
