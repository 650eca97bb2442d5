"""Worked examples found by a flip-property scan (drop one input, or fill a named one, and re-run): a decision is
``insufficient_data`` exactly when a missing input could change it, and names only such inputs. Each expectation is
derived from the cited source, not from the engine.

* Adjuvant bisphosphonate (EBCTCG, Lancet 2015;386:1353: benefit after natural or induced menopause, none before;
  ASCO-OH 2022: discussed with every postmenopausal candidate, recommended here at higher risk - nodal
  macrometastasis, > 20 mm, a chemotherapy indication or residual disease after neoadjuvant therapy). When the
  chemotherapy indication is still open (PR, recurrence score), so is the risk group: the answer is not fixed at
  'discuss'. Before menopause the bisphosphonate follows ovarian suppression, which is endocrine therapy for
  ER-positive disease (ASCO OFS 2016: advised for stage II-III; no role in ER-negative disease): an unknown ER
  leaves it open. An unknown size or nodal status is likewise a higher-risk marker not known to be absent: it
  is asked, not read as <= 20 mm or node-negative - unless the patient's own factors (dental treatment pending,
  pregnancy) make both answers the same.
* Olaparib for gBRCA HR-positive residual disease after neoadjuvant chemotherapy needs CPS+EG >= 3 (OlympiA,
  Tutt NEJM 2021; CPS+EG, Mittendorf JCO 2011: pre-treatment clinical stage I-IIA 0, IIB-IIIA 1, IIIB-IIIC 2;
  ypTNM stage 0-I 0, IIA-IIIB 1, IIIC 2; ER-negative 1; nuclear grade 3 1). Every ypT with ypN1 is stage IIA-IIIB
  (AJCC 8): one point whatever the size, so the ypT is not needed there; the part of a stage that is unknown is
  the one to ask for (the pre-treatment nodes, not the pre-treatment size that was given).
* Capecitabine after neoadjuvant therapy (CREATE-X, Masuda NEJM 2017: HER2-negative residual disease).
* CDK4/6 inhibitor, NATALEE (Slamon NEJM 2024): T2N0 qualifies with grade 3, or grade 2 with Ki-67 >= 20 % or high
  genomic risk. With Ki-67 >= 20 % known, the grade alone decides; the recurrence score cannot.
"""

from __future__ import annotations

from typing import Any

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case({"id": "scan", "metastasis": "cM0", **data}))


def _asking(assessment: Assessment, key: str) -> set[str]:
    return {m.field for m in assessment.missing if key in m.decisions}


def _with(data: dict[str, Any], **tumour: Any) -> dict[str, Any]:
    return {**data, "tumour": {**data["tumour"], **tumour}}


POST_T1C_N1MI_ER0 = {
    "sex": "female", "age": 62, "menopausal_status": "post", "clinical_nodes": "cN0",
    "tumour": {"size_mm": 15, "grade": 2, "er_percent": 0, "her2_ihc": "0"},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}}


def test_bisphosphonate_with_er_0_and_pr_unknown_is_open_not_discussed() -> None:
    """ER 0 % and HER2 0: PR 0 makes it triple-negative pT1c pN1mi, where chemotherapy is recommended (NCCN TNBC:
    pT1c and larger), i.e. higher risk - bisphosphonate recommended (EBCTCG 2015); PR-positive (ER-negative
    HR-positive) disease needs the recurrence score for its chemotherapy. PR can change the answer: it is asked."""
    triple_negative = _assess(_with(POST_T1C_N1MI_ER0, pr_percent=0))
    assert triple_negative.decisions["chemotherapy"] == "recommended"
    assert triple_negative.decisions["bisphosphonate"] == "recommended"
    unknown = _assess(POST_T1C_N1MI_ER0)
    assert unknown.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    assert "tumour.pr_percent" in _asking(unknown, "bisphosphonate")


def test_bisphosphonate_follows_the_recurrence_score_that_decides_chemotherapy() -> None:
    """ER-negative PR-positive pN1mi: the recurrence score decides chemotherapy (NCCN 'pN0 or pN1mi'; TAILORx),
    and with it the risk group of the bisphosphonate decision (recommended at higher risk, discussed otherwise)."""
    pr_positive = _with(POST_T1C_N1MI_ER0, pr_percent=60)
    high = _assess({**pr_positive, "oncotype_rs": 40})
    low = _assess({**pr_positive, "oncotype_rs": 5})
    assert high.decisions["bisphosphonate"] != low.decisions["bisphosphonate"]
    unknown = _assess(pr_positive)
    assert unknown.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    assert _asking(unknown, "bisphosphonate") == {"oncotype_rs"}


PRE_T4B_PR_POSITIVE = {
    "sex": "female", "age": 58, "menopausal_status": "pre",
    "tumour": {"t_extension": "skin", "grade": 3, "pr_percent": 80, "her2_ihc": "0"},
    "surgery": {"status": "planned"}, "nodes": {"procedure": "none"}}


def test_premenopausal_bisphosphonate_with_er_unknown_is_open() -> None:
    """Premenopausal cT4b: stage III, ovarian suppression advised with endocrine therapy for ER-positive disease
    (ASCO OFS 2016), an induced menopause for which a bisphosphonate is discussed (EBCTCG 2015; ASCO-OH 2022); ER
    0 % means no endocrine therapy, no suppression and no bisphosphonate benefit. ER decides: it is asked."""
    assert _assess(_with(PRE_T4B_PR_POSITIVE, er_percent=95)).decisions["bisphosphonate"] == "discuss"
    assert _assess(_with(PRE_T4B_PR_POSITIVE, er_percent=0)).decisions["bisphosphonate"] == "not_indicated"
    unknown = _assess(PRE_T4B_PR_POSITIVE)
    assert unknown.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    assert _asking(unknown, "bisphosphonate") == {"tumour.er_percent"}


RESIDUAL_GBRCA_RECEPTORS_UNKNOWN = {
    "sex": "female", "age": 56, "menopausal_status": "post", "germline_brca": "brca1",
    "tumour": {"size_mm": 4.0, "t_extension": "none"}, "surgery": {"breast": "bcs", "status": "done"},
    "clinical_nodes": "cN0", "nodes": {"procedure": "none"}, "neoadjuvant": True,
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1",
                            "agents": ["anthracycline", "taxane"]}}


def test_capecitabine_after_neoadjuvant_therapy_asks_for_her2_not_er_or_pr_that_cannot_change_it() -> None:
    """Residual invasive disease with gBRCA1: HER2-positive disease gets T-DM1, not capecitabine (KATHERINE;
    CREATE-X enrolled HER2-negative disease); HER2-negative disease gets capecitabine discussed whatever ER and PR
    are - HR-positive because the CREATE-X benefit was concentrated in triple-negative disease, triple-negative
    with gBRCA because olaparib (OlympiA) and capecitabine have not been compared. Only HER2 can change it."""
    her2_negative = _with(RESIDUAL_GBRCA_RECEPTORS_UNKNOWN, her2_ihc="0")
    answers = {_assess(_with(her2_negative, er_percent=er, pr_percent=pr)).decisions["capecitabine"]
               for er, pr in ((0, 0), (90, 50), (0, 50))}
    assert answers == {"discuss"}
    assert _assess(_with(RESIDUAL_GBRCA_RECEPTORS_UNKNOWN, her2_ihc="3+")).decisions["capecitabine"] == \
        "not_indicated"
    unknown = _assess(RESIDUAL_GBRCA_RECEPTORS_UNKNOWN)
    assert unknown.decisions["capecitabine"] == INSUFFICIENT_DATA
    assert _asking(unknown, "capecitabine") == {"tumour.her2_ihc"}
    decided = _assess(her2_negative)
    assert decided.decisions["capecitabine"] == "discuss"
    assert not _asking(decided, "capecitabine")


RESIDUAL_HR_POSITIVE_GBRCA = {
    "sex": "female", "age": 45, "menopausal_status": "post", "germline_brca": "brca1",
    "tumour": {"grade": 3, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
    "surgery": {"breast": "mastectomy", "status": "done"}, "clinical_nodes": "cN0", "neoadjuvant": True,
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 40, "pre_treatment_clinical_nodes": "cN1",
                            "agents": ["anthracycline", "taxane"]},
    "nodes": {"procedure": "slnb_then_alnd", "examined": 12, "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}}


def test_olaparib_cps_eg_with_ypn1_needs_no_ypt() -> None:
    """cT2 cN1 (IIB: 1) + ypN1 at any ypT (IIA-IIIB: 1) + grade 3 (1) = CPS+EG 3: OlympiA-eligible whatever the
    residual size; the nodes (given) were named before, and nothing needs to be."""
    for size in (0.5, 8, 30, 60):
        assert _assess(_with(RESIDUAL_HR_POSITIVE_GBRCA, size_mm=size)).decisions["olaparib"] == "recommended", size
    unknown = _assess(RESIDUAL_HR_POSITIVE_GBRCA)
    assert unknown.decisions["olaparib"] == "recommended"
    assert not _asking(unknown, "olaparib")


def test_olaparib_cps_eg_names_the_pre_treatment_nodes_not_the_given_size() -> None:
    """cT2 with grade 2, ypT1 ypN1 (1 point): cN0 (IIA: 0) gives 1 < 3, cN3 (IIIC: 2) gives 3. The pre-treatment
    nodes decide; the pre-treatment size is given and is not asked for."""
    data = _with(RESIDUAL_HR_POSITIVE_GBRCA, size_mm=8, grade=2)
    nst = {k: v for k, v in data["neoadjuvant_therapy"].items() if k != "pre_treatment_clinical_nodes"}
    open_nodes = {**data, "neoadjuvant_therapy": nst}
    assert _assess({**data, "neoadjuvant_therapy": {**nst, "pre_treatment_clinical_nodes": "cN0"}}) \
        .decisions["olaparib"] == "not_indicated"
    assert _assess({**data, "neoadjuvant_therapy": {**nst, "pre_treatment_clinical_nodes": "cN3a"}}) \
        .decisions["olaparib"] == "recommended"
    unknown = _assess(open_nodes)
    assert unknown.decisions["olaparib"] == INSUFFICIENT_DATA
    assert _asking(unknown, "olaparib") == {"neoadjuvant_therapy.pre_treatment_clinical_nodes"}


def test_premenopausal_t1a_bisphosphonate_does_not_ask_for_her2_that_cannot_indicate_chemotherapy() -> None:
    """pT1a N0 ER-positive before menopause: chemotherapy is at most 'consider' for HER2-positive T1a N0 (APT;
    NCCN) and not indicated for HER2-negative T1a N0 (NCCN), so no HER2 result makes it a chemotherapy indication,
    ovarian suppression is not advised (ASCO OFS 2016: stage I without a chemotherapy indication) and the
    bisphosphonate is not indicated whatever HER2 is (EBCTCG 2015: no benefit before menopause)."""
    data = {"sex": "female", "age": 44, "menopausal_status": "pre", "clinical_nodes": "cN0",
            "tumour": {"size_mm": 0.8, "t_extension": "none", "grade": 2, "er_percent": 90, "pr_percent": 50},
            "surgery": {"breast": "bcs", "status": "done"},
            "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}}
    for her2 in ("0", "3+"):
        assert _assess(_with(data, her2_ihc=her2)).decisions["bisphosphonate"] == "not_indicated", her2
    unknown = _assess(data)
    assert unknown.decisions["bisphosphonate"] == "not_indicated"
    assert not _asking(unknown, "bisphosphonate")


def test_cdk46_t2n0_with_high_ki67_asks_for_the_grade_not_the_recurrence_score() -> None:
    """ypT2 ypN0 HR-positive after neoadjuvant therapy, Ki-67 30 %, grade unknown: grade 3 or grade 2 (with Ki-67
    >= 20 %) qualifies for NATALEE, grade 1 does not, whatever the recurrence score."""
    data = {"sex": "female", "age": 60, "menopausal_status": "post", "clinical_nodes": "cN0",
            "tumour": {"size_mm": 25, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0", "ki67_percent": 30},
            "surgery": {"breast": "mastectomy", "status": "done"}, "neoadjuvant": True,
            "neoadjuvant_therapy": {"agents": ["anthracycline", "taxane"]},
            "nodes": {"procedure": "slnb", "examined": 3, "deposits": []}}
    for grade, rs in ((1, 40), (1, 5)):
        assert _assess({**_with(data, grade=grade), "oncotype_rs": rs}).decisions["cdk46_inhibitor"] == \
            "not_indicated", (grade, rs)
    for grade, rs in ((2, 5), (3, 5)):
        assert _assess({**_with(data, grade=grade), "oncotype_rs": rs}).decisions["cdk46_inhibitor"] != \
            "not_indicated", (grade, rs)
    unknown = _assess(data)
    assert unknown.decisions["cdk46_inhibitor"] == INSUFFICIENT_DATA
    assert _asking(unknown, "cdk46_inhibitor") == {"tumour.grade"}


def test_premenopausal_on_planned_ovarian_suppression_asks_for_er_not_her2() -> None:
    """Premenopausal, ovarian suppression planned, receptors unknown, severely frail (no chemotherapy, SIOG/EUSOMA
    2021): ER-positive disease gets the planned suppression with endocrine therapy - an induced menopause, for which
    a bisphosphonate is discussed (EBCTCG 2015; ASCO-OH 2022); ER-negative disease gets no suppression (ASCO OFS
    2016) and, before menopause, no bisphosphonate benefit, whatever HER2 is. ER decides; HER2 cannot."""
    data = {"sex": "female", "age": 35, "menopausal_status": "pre", "ovarian_function_suppression": "planned",
            "clinical_frailty_scale": 7, "clinical_nodes": "cN2a",
            "tumour": {"size_mm": 24, "t_extension": "none", "grade": 2},
            "surgery": {"breast": "mastectomy", "status": "done"}, "nodes": {"procedure": "none"}}
    for her2 in ("0", "3+"):
        assert _assess(_with(data, er_percent=90, pr_percent=50, her2_ihc=her2)).decisions["bisphosphonate"] == \
            "discuss", her2
        assert _assess(_with(data, er_percent=0, pr_percent=0, her2_ihc=her2)).decisions["bisphosphonate"] == \
            "not_indicated", her2
    unknown = _assess(data)
    assert unknown.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    assert _asking(unknown, "bisphosphonate") == {"tumour.er_percent"}


POST_ER_POSITIVE_RS_LOW = {
    "sex": "female", "age": 66, "menopausal_status": "post", "clinical_nodes": "cN0", "oncotype_rs": 10,
    "tumour": {"grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}}


def test_bisphosphonate_does_not_read_an_unknown_size_as_20_mm_or_less() -> None:
    """pN0, recurrence score 10 (no chemotherapy, TAILORx): > 20 mm is higher risk - recommended; <= 20 mm
    discussed (EBCTCG 2015; ASCO-OH 2022). An unknown size was read as 0 ('discuss'): it decides, so it is asked."""
    assert _assess(_with(POST_ER_POSITIVE_RS_LOW, size_mm=30)).decisions["bisphosphonate"] == "recommended"
    assert _assess(_with(POST_ER_POSITIVE_RS_LOW, size_mm=15)).decisions["bisphosphonate"] == "discuss"
    unknown = _assess(POST_ER_POSITIVE_RS_LOW)
    assert unknown.decisions["bisphosphonate"] == INSUFFICIENT_DATA
    assert _asking(unknown, "bisphosphonate") == {"tumour.size_mm"}


def test_bisphosphonate_with_dental_treatment_pending_is_deferred_whatever_the_risk_group() -> None:
    """Dental treatment first (ASCO/CCO 2017: osteonecrosis of the jaw): deferred at higher and lower risk alike,
    so the size that sets the risk group is not asked for."""
    pending = {**POST_ER_POSITIVE_RS_LOW, "conditions": {"dental_health": "needs_treatment"}}
    for size in (15, 30):
        assert _assess(_with(pending, size_mm=size)).decisions["bisphosphonate"] == "deferred", size
    unknown = _assess(pending)
    assert unknown.decisions["bisphosphonate"] == "deferred"
    assert not _asking(unknown, "bisphosphonate")


def test_her2_therapy_with_ihc_1_plus_and_half_an_amplified_ish_result_is_open() -> None:
    """IHC 1+ with an ISH ratio of 4.0 and the copy number not given: >= 4 copies is ISH group 1, HER2-positive
    (ASCO/CAP 2018) - trastuzumab recommended; < 4 copies is group 2, negative with IHC 1+. It was read as HER2-low
    ('not_indicated'); the copy number decides."""
    data = {"sex": "female", "age": 55, "menopausal_status": "post", "clinical_nodes": "cN0", "lvef_percent": 60,
            "tumour": {"size_mm": 15, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "1+",
                       "her2_ish_ratio": 4.0},
            "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
            "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}}
    assert _assess(_with(data, her2_ish_copies=6.0)).decisions["her2_therapy"] == "recommended"
    assert _assess(_with(data, her2_ish_copies=3.0)).decisions["her2_therapy"] == "not_indicated"
    unknown = _assess(data)
    assert unknown.decisions["her2_therapy"] == INSUFFICIENT_DATA
    assert _asking(unknown, "her2_therapy") == {"tumour.her2_ish_copies"}


def test_axillary_surgery_with_the_operation_not_named_asks_for_it() -> None:
    """Three positive nodes examined, operation not named: after a sentinel biopsy alone, >= 3 positive sentinel
    nodes call for axillary dissection (ASCO 2021, Brackstone JCO 2021; Z0011 enrolled 1-2); after an axillary
    dissection nothing further is done. It was answered as if a sentinel biopsy alone had been done ('alnd')."""
    data = {"sex": "female", "age": 55, "menopausal_status": "post", "clinical_nodes": "cN0",
            "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
            "surgery": {"breast": "mastectomy", "status": "done"},
            "nodes": {"examined": 12, "deposits": [{"node": i, "size_mm": 4.0, "method": "he"} for i in (1, 2, 3)]}}
    with_procedure = lambda p: {**data, "nodes": {**data["nodes"], "procedure": p}}  # noqa: E731
    assert _assess(with_procedure("slnb")).decisions["axillary_surgery"] == "alnd"
    assert _assess(with_procedure("slnb_then_alnd")).decisions["axillary_surgery"] == "none_needed"
    unknown = _assess(data)
    assert unknown.decisions["axillary_surgery"] == INSUFFICIENT_DATA
    assert _asking(unknown, "axillary_surgery") == {"nodes.procedure"}


def test_olaparib_does_not_ask_for_pr_when_er_negative_disease_is_eligible_either_way() -> None:
    """Residual ypN3 disease after neoadjuvant therapy, ER 0 %, HER2 0, gBRCA unknown: triple-negative residual
    disease meets OlympiA, and so does ER-negative PR-positive disease - CPS+EG (Mittendorf JCO 2011) is at least
    ypN3 stage IIIC (2) + ER-negative (1) = 3 whatever the pre-treatment stage. PR cannot change the answer; the
    germline BRCA result can."""
    data = {"sex": "female", "age": 56, "menopausal_status": "post",
            "tumour": {"t_extension": "none", "lvi": True, "er_percent": 0, "her2_ihc": "0"},
            "surgery": {"breast": "mastectomy", "status": "done"}, "clinical_nodes": "cN1", "neoadjuvant": True,
            "neoadjuvant_therapy": {}, "nodes": {"procedure": "slnb_then_alnd", "examined": 16, "infraclavicular": True,
                                                  "deposits": [{"node": 5, "method": "he", "size_mm": 3.0}]}}
    for pr in (0, 60):
        assert _assess({**_with(data, pr_percent=pr), "germline_brca": "brca1"}).decisions["olaparib"] == \
            "recommended", pr
        assert _assess({**_with(data, pr_percent=pr), "germline_brca": "negative"}).decisions["olaparib"] == \
            "not_indicated", pr
    unknown = _assess(data)
    assert unknown.decisions["olaparib"] == INSUFFICIENT_DATA
    assert _asking(unknown, "olaparib") == {"germline_brca"}
