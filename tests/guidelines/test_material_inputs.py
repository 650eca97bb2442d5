"""Worked examples: ``insufficient_data`` names only an input that could change the decision (the brief's lesson),
from cases a flip-property scan found. Each expectation is derived from the cited source, not from the engine.

* Nodes operated before a planned mastectomy (a sentinel biopsy/ALND first, e.g. to plan reconstruction): their
  pathology gives the nodal status, as it will after the mastectomy; four or more positive nodes call for PMRT and
  regional nodal RT whatever the clinical N (NCCN Breast BINV-I/BINV-J; EBCTCG, Lancet 2014;383:2127: PMRT benefit
  with >= 4 nodes). The clinical N cannot change that.
* HER2-positive, node-negative, size unknown, in a vulnerable patient: T1a is "consider" and T1b-c "paclitaxel +
  trastuzumab" (APT, Tolaney NEJM 2015; NCCN), and a vulnerable patient has chemotherapy discussed at most
  (ASCO geriatric oncology 2018, SIOG/EUSOMA 2021): every size gives "discuss", so the size is not asked for.
  In a fit patient the size does decide (T1a discuss vs T1b+ recommended): then it is asked for.
* No breast surgery (e.g. primary endocrine therapy): adjuvant bisphosphonates are a treatment after surgery for
  early breast cancer (EBCTCG, Lancet 2015;386:1353; ASCO-OH 2022): not indicated, never insufficient for want of
  receptors or nodes.
* CDK4/6 inhibitor (NATALEE, Slamon NEJM 2024: anatomic stage IIB-III, or IIA with N1, or T2N0 with grade 3 /
  grade 2 and Ki-67 >= 20% or high genomic risk): T3 N0 is stage IIB and T4 N0 IIIB (AJCC 8th), so with T3-4
  the nodes cannot change eligibility; when the stage is open only for want of N, the nodes are named, not the
  (known) size.
* In situ carcinoma with a clinically positive axilla and no nodal pathology: receptors are read for invasive
  disease only (a nodal metastasis shown at pathology reveals occult invasion); until a node is sampled the
  decisions are those of DCIS (NCCN DCIS-1), with a field-named warning, and never ask for a receptor already given.
"""

from __future__ import annotations

from typing import Any

from micromets.assess import assess
from micromets.model import INSUFFICIENT_DATA, Assessment, parse_case


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case({"id": "worked", "metastasis": "cM0", **data}))


def _asking(assessment: Assessment, key: str) -> set[str]:
    return {m.field for m in assessment.missing if key in m.decisions}


HR_POS_T2 = {"size_mm": 25, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"}
FIVE_NODES = {"procedure": "slnb_then_alnd", "examined": 12,
              "deposits": [{"node": i, "size_mm": 5.0, "method": "he"} for i in range(1, 6)]}


def test_four_or_more_nodes_at_axillary_surgery_before_a_planned_mastectomy_decide_pmrt_and_nodal_rt() -> None:
    a = _assess({"sex": "female", "age": 55, "menopausal_status": "post", "tumour": HR_POS_T2,
                 "surgery": {"breast": "mastectomy", "status": "planned"}, "nodes": FIVE_NODES})
    assert a.decisions["post_mastectomy_rt"] == "recommended"
    assert a.decisions["regional_nodal_irradiation"] == "recommended"
    assert not _asking(a, "post_mastectomy_rt") and not _asking(a, "regional_nodal_irradiation")
    # The axilla is staged (and dissected) already: no sentinel biopsy, no further axillary surgery.
    assert a.decisions["sentinel_biopsy"] == "not_applicable"
    assert a.decisions["axillary_surgery"] == "none_needed"
    assert any("surgery.status" in w and "planned" in w for w in a.warnings)


def test_clinically_node_negative_with_positive_nodes_operated_first_is_no_contradiction() -> None:
    """cN0 with positive sentinel nodes is what a sentinel biopsy is for (ASCO 2021 axillary management): the
    decisions follow the nodal pathology; >= 4 positive nodes call for chemotherapy in HR+ disease whatever the
    recurrence score (RxPONDER enrolled 1-3 nodes; NCCN BINV-K) and for PMRT (NCCN BINV-I)."""
    a = _assess({"sex": "female", "age": 55, "menopausal_status": "post", "tumour": HR_POS_T2, "oncotype_rs": 12,
                 "clinical_nodes": "cN0", "surgery": {"breast": "mastectomy", "status": "planned"},
                 "nodes": FIVE_NODES})
    assert a.decisions["post_mastectomy_rt"] == "recommended"
    assert a.decisions["chemotherapy"] == "recommended"
    assert not any("contradicts" in w for w in a.warnings)
    assert any("surgery.status" in w and "follow that pathology" in w for w in a.warnings)


SENTINEL = {"procedure": "slnb", "examined": 4, "internal_mammary": "none", "supraclavicular": False,
            "infraclavicular": False}


def test_four_positive_sentinel_nodes_before_a_planned_mastectomy_are_not_read_as_a_negative_axilla() -> None:
    """Four macrometastatic sentinel nodes found before the mastectomy (cN0): three or more positive sentinel nodes
    were outside Z0011 and SENOMAC (1-2 macrometastases), so axillary dissection (NCCN BINV-D; ASCO 2021); never
    'no axillary dissection' on the clinical N0 that the biopsy has overruled."""
    nodes = {**SENTINEL, "deposits": [{"node": i, "size_mm": 5.0, "method": "he"} for i in range(1, 5)]}
    a = _assess({"sex": "female", "age": 55, "menopausal_status": "post", "tumour": HR_POS_T2, "oncotype_rs": 12,
                 "clinical_nodes": "cN0", "surgery": {"breast": "mastectomy", "status": "planned"}, "nodes": nodes})
    assert a.decisions["axillary_surgery"] == "alnd"
    assert a.decisions["chemotherapy"] == "recommended"


def test_nodes_operated_first_decide_as_they_will_after_the_breast_surgery() -> None:
    """The nodal pathology is the same before and after the mastectomy: every decision that depends on the nodes
    (axillary surgery, chemotherapy, CDK4/6, nodal RT, PMRT) is the same whether the breast surgery is planned or
    done (AJCC 8: the pN is that of the nodes removed; the trials select by it)."""
    nodal = ("axillary_surgery", "chemotherapy", "cdk46_inhibitor", "regional_nodal_irradiation", "post_mastectomy_rt")
    deposits = ([], [{"node": 1, "size_mm": 0.1, "method": "ihc"}], [{"node": 1, "size_mm": 1.5, "method": "he"}],
                [{"node": 1, "size_mm": 6.0, "method": "he"}],
                [{"node": i, "size_mm": 6.0, "method": "he"} for i in range(1, 3)])
    for er in (90, 0):
        for found in deposits:
            case = {"sex": "female", "age": 52, "menopausal_status": "post", "clinical_nodes": "cN0", "ecog": 0,
                    "tumour": {**HR_POS_T2, "er_percent": er, "pr_percent": er}, "oncotype_rs": 20,
                    "nodes": {**SENTINEL, "deposits": found}}
            planned = _assess({**case, "surgery": {"breast": "mastectomy", "status": "planned"}})
            done = _assess({**case, "surgery": {"breast": "mastectomy", "status": "done", "margins_mm": 3.0}})
            assert {k: planned.decisions[k] for k in nodal} == {k: done.decisions[k] for k in nodal}, (er, found)


HER2_POS_MAN = {"sex": "male", "age": 74, "clinical_nodes": "cN0", "ecog": 1,
                "tumour": {"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
                "surgery": {"breast": "mastectomy", "status": "done"},
                "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}}


def test_her2_positive_node_negative_vulnerable_man_size_unknown_is_discussed_not_insufficient() -> None:
    for vulnerable in ({"charlson_index": 4}, {"g8_score": 12}, {"conditions": {"heart_failure": True}}):
        a = _assess({**HER2_POS_MAN, **vulnerable})
        assert a.decisions["chemotherapy"] == "discuss", vulnerable
        assert "tumour.size_mm" not in _asking(a, "chemotherapy")


def test_her2_positive_node_negative_fit_man_size_unknown_asks_for_the_size_that_decides() -> None:
    a = _assess(HER2_POS_MAN)
    assert a.decisions["chemotherapy"] == INSUFFICIENT_DATA
    assert _asking(a, "chemotherapy") == {"tumour.size_mm"}
    small = _assess({**HER2_POS_MAN, "tumour": {**HER2_POS_MAN["tumour"], "size_mm": 4}})
    larger = _assess({**HER2_POS_MAN, "tumour": {**HER2_POS_MAN["tumour"], "size_mm": 12}})
    assert (small.decisions["chemotherapy"], larger.decisions["chemotherapy"]) == ("discuss", "recommended")


def test_no_breast_surgery_bisphosphonate_is_not_indicated_without_asking_its_chain() -> None:
    a = _assess({"age": 86, "menopausal_status": "post", "tumour": {"t_extension": "none"},
                 "surgery": {"breast": "none", "status": "done"}})
    assert a.decisions["bisphosphonate"] == "not_indicated"
    assert not _asking(a, "bisphosphonate")
    full = _assess({"age": 80, "menopausal_status": "post", "clinical_nodes": "cN1", "tumour": HR_POS_T2,
                    "surgery": {"breast": "none", "status": "done"}})
    assert full.decisions["bisphosphonate"] == "not_indicated"


def test_cdk46_after_neoadjuvant_therapy_names_the_nodes_not_the_known_size() -> None:
    a = _assess({"sex": "female", "age": 67, "tumour": {"size_mm": 14.0, "t_extension": "none", "er_percent": 90,
                                                        "her2_ihc": "0", "lvi": True},
                 "surgery": {"status": "done"}, "nodes": {"procedure": "none"}, "neoadjuvant": True,
                 "neoadjuvant_therapy": {}})
    assert a.decisions["cdk46_inhibitor"] == INSUFFICIENT_DATA
    assert "tumour.size_mm" not in _asking(a, "cdk46_inhibitor")
    assert "clinical_nodes" in _asking(a, "cdk46_inhibitor")


def test_cdk46_t3_is_natalee_stage_iib_or_more_whatever_the_nodes() -> None:
    a = _assess({"age": 34, "sex": "female", "tumour": {"size_mm": 55.0, "pr_percent": 60.0, "her2_ihc": "0"}})
    assert a.decisions["cdk46_inhibitor"] == "recommended"
    for cn in ("cN0", "cN1", "cN2a"):
        assert _assess({"age": 34, "sex": "female", "clinical_nodes": cn,
                        "tumour": {"size_mm": 55.0, "pr_percent": 60.0, "her2_ihc": "0"}}
                       ).decisions["cdk46_inhibitor"] == "recommended", cn


def test_in_situ_carcinoma_with_clinical_nodes_and_no_nodal_pathology_never_asks_for_given_receptors() -> None:
    a = _assess({"sex": "female", "age": 35, "menopausal_status": "pre", "clinical_nodes": "cN2b",
                 "tumour": {"in_situ_only": True, "er_percent": 0, "pr_percent": 25, "her2_ihc": "1+"},
                 "surgery": {"status": "done", "breast": "mastectomy"}, "nodes": {"procedure": "none"}})
    for key in ("endocrine", "her2_therapy", "chemotherapy"):
        assert a.decisions[key] != INSUFFICIENT_DATA, key
        assert not _asking(a, key) & {"tumour.er_percent", "tumour.pr_percent", "tumour.her2_ihc"}, key
    assert any("tumour.in_situ_only" in w and "clinical_nodes cN2b" in w for w in a.warnings)
    # A nodal metastasis shown at pathology is occult invasion: the receptors then decide (ER 0: no endocrine).
    shown = _assess({"sex": "female", "age": 35, "menopausal_status": "pre", "clinical_nodes": "cN1",
                     "tumour": {"in_situ_only": True, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
                     "surgery": {"status": "done", "breast": "mastectomy"},
                     "nodes": {"procedure": "slnb_then_alnd", "examined": 10,
                               "deposits": [{"node": 1, "size_mm": 5.0, "method": "he"}]}})
    assert shown.decisions["her2_therapy"] == "recommended"
