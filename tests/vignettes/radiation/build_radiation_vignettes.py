"""Builds ``radiation_vignettes.jsonl``: a radiation oncologist's tumour-board audit of the four radiotherapy
decisions (whole-breast RT, boost, regional nodal irradiation, post-mastectomy RT) and of the advice in their texts.

Written blind: from the trials and guidelines named in each vignette's ``source`` (EBCTCG 2011/2014, START,
FAST-Forward, CALGB 9343, PRIME II, LUMINA, EORTC 22881 boost, ASTRO 2018 whole-breast guideline, MA.20,
EORTC 22922, AMAROS, Z0011, IBCSG 23-01, NSABP B-51, ASCO/ASTRO/SSO PMRT 2016, SSO-ASTRO 2014 margin consensus,
SSO-ASTRO-ASCO 2016 DCIS margin consensus, Darby 2013, Amant 2012, ASCO 2020 male breast cancer), never from
micromets' rule tables and never by running micromets. Nothing here imports micromets.

    .venv/bin/python tests/vignettes/radiation/build_radiation_vignettes.py   # rewrites radiation_vignettes.jsonl

Row format (one JSON object per line), the axilla vignettes' format plus ``mentions``::

    {"id", "category", "source", "case",
     "expected":  {decision key: [acceptable values]},  # usually one; two where the sources allow both
     "forbidden": {decision key: [values]},             # unsafe or unsupported values
     "missing":   {decision key: [field, ...]},         # one must be named in the missing inputs (for that key
                                                        # when the decision is insufficient_data)
     "mentions":  {decision key or "any": regex}}       # advice the recommendation text must carry ("any": any
                                                        # recommendation or warning of the assessment)
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("radiation_vignettes.jsonl")

RT_KEYS = ("whole_breast_rt", "boost", "regional_nodal_irradiation", "post_mastectomy_rt")
NO_BLOCK = ["insufficient_data"]
#: Whole-breast fractionation named in the advice: START-B 40 Gy/15, FAST-Forward 26 Gy/5 (ASTRO 2018: hypofraction).
HYPOFRACTIONATION = r"40 ?Gy|26 ?Gy|hypofraction"


def base() -> dict[str, Any]:
    """A complete referral: 58, postmenopausal, left pT1c G2 HR+/HER2- upper outer, BCS (3 mm margins) + SLNB,
    one sentinel node of two with a 1.2 mm micrometastasis: pN1mi(sn)."""
    return {
        "age": 58, "sex": "female", "menopausal_status": "post", "detection": "screening",
        "tumour": {"size_mm": 16.0, "t_extension": "none", "in_situ_only": False, "histology": "ductal", "grade": 2,
                   "er_percent": 95, "pr_percent": 60, "her2_ihc": "1+", "her2_ish_ratio": None,
                   "her2_ish_copies": None, "ki67_percent": 12, "lvi": False, "laterality": "left",
                   "quadrant": "upper_outer"},
        "clinical_nodes": "cN0",
        "nodes": {"procedure": "slnb", "examined": 2, "deposits": [dep(1, 1.2)], "internal_mammary": "none",
                  "supraclavicular": False, "infraclavicular": False},
        "metastasis": "cM0", "neoadjuvant": False, "axillary_ultrasound": "normal",
        "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 3.0},
        "oncotype_rs": 14, "mammaprint": None, "germline_brca": "negative", "charlson_index": 0, "ecog": 0,
        "lvef_percent": 62, "comorbidities": [], "smoker": False,
        "conditions": {}, "preferences": {"declined": []},
    }


def dep(node: int, size_mm: float | None, method: str = "he", ene: bool | None = False) -> dict[str, Any]:
    return {"node": node, "size_mm": size_mm, "cells": None, "method": method, "osna_copies_per_ul": None,
            "extranodal_extension": ene, "contiguous": True}


def merge(target: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and value:
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def case(**changes: Any) -> dict[str, Any]:
    return merge(base(), changes)


def node_negative(**changes: Any) -> dict[str, Any]:
    """The base referral with both sentinel nodes negative: pN0(sn)."""
    return merge(case(nodes={"deposits": []}), changes)


def elderly_low_risk(**changes: Any) -> dict[str, Any]:
    """72, pT1b (9 mm) G1 ER 95 / PR 60 / HER2 0, Ki-67 8, pN0(sn), BCS margins 4 mm, on endocrine therapy:
    CALGB 9343 (>= 70, T1N0 ER+) and PRIME II (>= 65, HR+, pN0, <= 3 cm, margins >= 1 mm) eligible."""
    return merge(node_negative(age=72, tumour={"size_mm": 9.0, "grade": 1, "her2_ihc": "0", "ki67_percent": 8},
                               surgery={"margins_mm": 4.0}, oncotype_rs=None), changes)


def mastectomy(**changes: Any) -> dict[str, Any]:
    return merge(case(surgery={"breast": "mastectomy", "margins_mm": 5.0}), changes)


def alnd(positive: int, examined: int, size_mm: float = 5.0) -> dict[str, Any]:
    return {"procedure": "slnb_then_alnd", "examined": examined,
            "deposits": [dep(n, size_mm) for n in range(1, positive + 1)]}


def nst(pre_nodes: str, biopsy_proven: bool, **changes: Any) -> dict[str, Any]:
    """48, premenopausal, HER2+ cT2 (32 mm) after anthracycline-taxane-trastuzumab-pertuzumab, ypT0 ypN0(sn)."""
    return merge(case(
        age=48, menopausal_status="pre",
        tumour={"size_mm": 0.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "ki67_percent": 40},
        clinical_nodes="cN0",
        nodes={"procedure": "slnb", "examined": 4, "deposits": []},
        neoadjuvant=True,
        neoadjuvant_therapy={"pre_treatment_size_mm": 32, "pre_treatment_t_extension": "none",
                             "pre_treatment_clinical_nodes": pre_nodes, "nodes_biopsy_proven": biopsy_proven,
                             "agents": ["anthracycline", "taxane", "trastuzumab", "pertuzumab"]},
        oncotype_rs=None), changes)


ROWS: list[dict[str, Any]] = []


def V(vid: str, category: str, source: str, the_case: dict[str, Any], expected: dict[str, list[str]],
      forbidden: dict[str, list[str]] | None = None, missing: dict[str, list[str]] | None = None,
      mentions: dict[str, str] | None = None) -> None:
    ROWS.append({"id": vid, "category": category, "source": source, "case": {"id": vid, **merge(the_case, {})},
                 "expected": expected, "forbidden": forbidden or {}, "missing": missing or {},
                 "mentions": mentions or {}})


# ================================================================ after BCS: micrometastases, ITC, macrometastases
V("bcs-mi-58-g2", "bcs",
  "pN1mi after BCS: whole-breast RT, omission trials (CALGB 9343, PRIME II, LUMINA) enrolled node-negative only "
  "(EBCTCG 2011: RT halves recurrence after BCS). Hypofractionated WBI is standard (START-B 40 Gy/15; FAST-Forward "
  "26 Gy/5; ASTRO 2018). Left-sided: mean heart dose as low as achievable (Darby 2013, 7.4 %/Gy). RNI not routine "
  "for pN1mi without adverse features (IBCSG 23-01 gave no nodal RT; Z0011 tangents). Boost at 51-70 with grade 2 "
  "and clear margins is an individual choice (ASTRO 2018).",
  case(),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated"],
   "post_mastectomy_rt": ["not_applicable"], "boost": ["not_indicated", "discuss"]},
  {"whole_breast_rt": ["omission_possible", *NO_BLOCK], "boost": NO_BLOCK},
  mentions={"whole_breast_rt": HYPOFRACTIONATION, "any": r"heart"})

V("bcs-mi-42-boost", "bcs",
  "42, premenopausal, pN1mi after BCS: WBI (EBCTCG 2011) and a tumour-bed boost for age <= 50 of any grade "
  "(ASTRO 2018; EORTC 22881: 20-yr IBTR 16.4 % -> 12.0 %, largest absolute gain under 50).",
  case(age=42, menopausal_status="pre", oncotype_rs=16),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"]},
  {"boost": ["not_indicated", *NO_BLOCK]})

V("bcs-mi-55-g3-boost", "bcs",
  "55, grade 3, pN1mi after BCS: boost for age 51-70 with high grade (ASTRO 2018; EORTC 22881).",
  case(age=55, tumour={"grade": 3, "ki67_percent": 35}, oncotype_rs=28),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended", "discuss"]},
  {"boost": ["not_indicated", *NO_BLOCK]})

V("bcs-mi-75-g1-no-boost", "bcs",
  "75, HR+, grade 1, margins 5 mm, pN1mi after BCS: omit the boost (ASTRO 2018: >70, HR+, low/intermediate grade, "
  "widely negative margins); WBI still indicated because every RT-omission trial required pN0 (CALGB 9343, "
  "PRIME II).",
  case(age=75, tumour={"grade": 1, "ki67_percent": 6}, surgery={"margins_mm": 5.0}, oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "boost": ["not_indicated"]},
  {"whole_breast_rt": ["omission_possible"], "boost": ["recommended"]})

V("bcs-mi-72-endocrine-no-omission", "bcs",
  "72, ER+ G1 T1b, pN1mi, on endocrine therapy: RT omission is not supported because CALGB 9343 (cN0), PRIME II "
  "(pN0) and LUMINA (N0) excluded node-positive disease; AJCC counts pN1mi as node-positive.",
  case(age=72, tumour={"size_mm": 9.0, "grade": 1, "ki67_percent": 8}, surgery={"margins_mm": 4.0},
       oncotype_rs=None),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible", *NO_BLOCK]})

V("bcs-mi-two-nodes", "bcs",
  "Two sentinel nodes with micrometastases after BCS, 60, G2 ER+: WBI (EBCTCG 2011); no ALND (IBCSG 23-01); RNI "
  "not routine for micrometastases (NCCN; St Gallen 2023), a multiple-micrometastasis case may be discussed.",
  case(age=60, nodes={"examined": 3, "deposits": [dep(1, 1.1), dep(2, 0.8)]}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated", "discuss"]},
  {"regional_nodal_irradiation": ["recommended", *NO_BLOCK]})

V("bcs-itc-60", "bcs",
  "pN0(i+) (ITC 0.15 mm) after BCS, 60: AJCC counts ITC nodes as N0; no RNI for the ITC (MA.20 and EORTC 22922 "
  "enrolled node-positive or high-risk node-negative disease). The tumour (T1c G2, PR 60 %, Ki-67 12 %) meets LUMINA "
  "(>= 55) apart from the ITC, whose handling LUMINA did not state: WBI or omission (not clear-cut).",
  case(age=60, nodes={"deposits": [dep(1, 0.15)]}),
  {"whole_breast_rt": ["recommended", "omission_possible"], "regional_nodal_irradiation": ["not_indicated"]},
  {"regional_nodal_irradiation": ["recommended"]})

V("bcs-itc-72-omission-unclear", "bcs",
  "72, ER+ G1 T1b, pN0(i+) after BCS on endocrine therapy: ITC is N0 but the omission trials did not state ITC "
  "handling, so omission versus WBI is not clear-cut; no RNI for ITC (consensus).",
  elderly_low_risk(nodes={"deposits": [dep(1, 0.1)]}),
  {"whole_breast_rt": ["recommended", "omission_possible"], "regional_nodal_irradiation": ["not_indicated"]},
  {"regional_nodal_irradiation": ["recommended"], "whole_breast_rt": NO_BLOCK})

V("bcs-macro-1-sln-z0011", "bcs",
  "One SLN macrometastasis (4 mm) after BCS, no ALND, 60, G2 ER+: WBI (Z0011 required whole-breast tangents); "
  "nodal RT strongly considered for 1-3 macrometastatic nodes (NCCN; MA.20, EORTC 22922) -- tangents-only per "
  "Z0011 is also defensible, so discuss or recommend, not 'not indicated'.",
  case(age=60, nodes={"deposits": [dep(1, 4.0)]}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["discuss", "recommended"]},
  {"regional_nodal_irradiation": ["not_indicated", *NO_BLOCK], "whole_breast_rt": ["omission_possible"]})

V("bcs-macro-2-of-14-young-g3", "bcs",
  "45, G3, ER-negative, 2 of 14 nodes macrometastatic after BCS + ALND: the MA.20 population (node-positive after "
  "BCS; DFS 82.0 % vs 77.0 %) with adverse features -> RNI; boost for age <= 50 (ASTRO 2018).",
  case(age=45, menopausal_status="pre", tumour={"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0",
                                                "ki67_percent": 60},
       nodes=alnd(2, 14), oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"], "boost": ["recommended"]},
  {"regional_nodal_irradiation": ["not_indicated"]},
  mentions={"regional_nodal_irradiation": r"40 ?Gy|Gy"})

V("bcs-4-nodes", "bcs",
  "4 of 15 nodes positive after BCS + ALND, 56: RNI indicated for >= 4 positive nodes (NCCN; MA.20; EORTC 22922) "
  "with WBI, hypofractionated (START: 40 Gy/15). The AMAROS axillary fields (levels I-III, 50 Gy/25) are the "
  "alternative to a dissection (Donker 2014), not a target after one, so they are not offered here.",
  case(age=56, nodes=alnd(4, 15), tumour={"size_mm": 24.0}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"],
   "post_mastectomy_rt": ["not_applicable"]},
  {"regional_nodal_irradiation": ["not_indicated", "discuss"]},
  mentions={"regional_nodal_irradiation": r"^(?![\s\S]*AMAROS)[\s\S]*40 ?Gy"})

V("bcs-supraclavicular", "bcs",
  "Ipsilateral supraclavicular node involved (pN3c) after BCS + ALND: RNI including the supraclavicular fossa "
  "(NCCN: RNI for >= 4 nodes / N3 disease; EORTC 22922).",
  case(age=52, nodes={**alnd(3, 12), "supraclavicular": True}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"regional_nodal_irradiation": ["not_indicated", "discuss"]})

V("bcs-imn-sentinel", "bcs",
  "Internal-mammary sentinel node with microscopic metastasis plus an axillary micrometastasis after BCS (pN1c): "
  "the involved IMN chain is irradiated (EORTC 22922 / MA.20 fields include the IMN; DBCG-IMN).",
  case(age=54, tumour={"quadrant": "upper_inner"}, nodes={"internal_mammary": "sentinel_microscopic"}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended", "discuss"]},
  {"regional_nodal_irradiation": ["not_indicated"]})

V("bcs-mi-medial-young-er-neg", "bcs",
  "40, medial (upper inner), G3, ER-negative, pN1mi after BCS: RNI considered with adverse features (young age, "
  "grade 3, ER-negative; EORTC 22922 enrolled medial/central or node-positive tumours; MA.20 high-risk).",
  case(age=40, menopausal_status="pre",
       tumour={"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "ki67_percent": 70,
               "quadrant": "upper_inner"}, oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["discuss", "recommended"],
   "boost": ["recommended"]},
  {"regional_nodal_irradiation": ["not_indicated", *NO_BLOCK]})

V("bcs-n0-medial-low-risk", "bcs",
  "60, medial T1c G2 ER+, Ki-67 20 %, pN0 after BCS: EORTC 22922's medial node-negative subgroup gained little; "
  "IMN/RNI is not routine for low-risk node-negative disease (ASTRO/ESTRO practice); WBI (EBCTCG 2011; outside "
  "LUMINA's Ki-67 <= 13.25 % and PRIME II's >= 65).",
  node_negative(age=60, tumour={"quadrant": "lower_inner", "ki67_percent": 20}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated", "discuss"]},
  {"regional_nodal_irradiation": ["recommended"]})

V("bcs-mi-t3", "bcs",
  "pT3 (55 mm) pN1mi after BCS, 57, G2: RNI considered for large T2/T3 with nodal involvement (MA.20 high-risk; "
  "NCCN 'strongly consider' for N+), WBI.",
  case(age=57, tumour={"size_mm": 55.0}, oncotype_rs=18),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["discuss", "recommended"]},
  {"regional_nodal_irradiation": ["not_indicated", *NO_BLOCK]})

V("bcs-n0-45", "bcs",
  "45, T1 G1 ER+ pN0 after BCS: WBI (no omission trial enrolled under 55); boost for age <= 50 (ASTRO 2018; EORTC "
  "22881).",
  node_negative(age=45, menopausal_status="pre", tumour={"grade": 1}),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"], "regional_nodal_irradiation": ["not_indicated"]},
  {"whole_breast_rt": ["omission_possible"]})

V("bcs-mi-28-tnbc", "bcs",
  "28, TNBC G3 pN1mi after BCS: boost (ASTRO 2018 <= 50; EORTC 22881 <= 40: 36.0 % vs 24.4 % 20-yr IBTR); RNI "
  "considered (young, ER-negative, grade 3).",
  case(age=28, menopausal_status="pre",
       tumour={"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "ki67_percent": 80},
       germline_brca="brca1", oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"],
   "regional_nodal_irradiation": ["discuss", "recommended"]},
  {"boost": ["not_indicated"], "regional_nodal_irradiation": ["not_indicated"]})

# ================================================================ RT omission after BCS (node-negative, older)
V("omit-72-calgb-prime", "omission",
  "72, pT1b G1 ER+ PR+ HER2-, pN0(sn), margins 4 mm, on endocrine therapy: omission of WBI is an option (CALGB "
  "9343: >= 70, T1N0 ER+; 10-yr LRR 2 % vs 10 %, OS equal; PRIME II: >= 65). No RNI, no boost (ASTRO 2018 >70).",
  elderly_low_risk(),
  {"whole_breast_rt": ["omission_possible"], "regional_nodal_irradiation": ["not_indicated"],
   "boost": ["not_indicated", "not_applicable"]},
  {"boost": ["recommended"]})

V("omit-67-prime2", "omission",
  "67, pT1c (18 mm) G2 ER+, pN0(sn), margins 2 mm, endocrine therapy: PRIME II eligible (>= 65, HR+, pN0, <= 3 cm, "
  "margins >= 1 mm; 10-yr IBTR 9.5 % vs 0.9 %, OS equal) -> omission possible.",
  node_negative(age=67, tumour={"size_mm": 18.0}, surgery={"margins_mm": 2.0}),
  {"whole_breast_rt": ["omission_possible"]}, {"whole_breast_rt": NO_BLOCK})

V("omit-67-g3-and-lvi", "omission",
  "67, pN0, grade 3 AND LVI: outside PRIME II (grade 3 or LVI allowed, not both) and CALGB 9343 (>= 70) -> WBI.",
  node_negative(age=67, tumour={"grade": 3, "lvi": True, "ki67_percent": 30}, oncotype_rs=20),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]})

V("omit-67-35mm", "omission",
  "67, pN0, 35 mm tumour: above PRIME II's 3 cm and CALGB 9343's T1 -> WBI.",
  node_negative(age=67, tumour={"size_mm": 35.0}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]})

V("omit-67-margin-0.5", "omission",
  "67, pN0, T1c G2 ER+, margin 0.5 mm (no ink on tumour): PRIME II required margins >= 1 mm, so omission is outside "
  "the trial -> WBI. No re-excision is required for invasive cancer with no ink on tumour (SSO-ASTRO 2014).",
  node_negative(age=67, surgery={"margins_mm": 0.5}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]},
  mentions={"any": r"^(?![\s\S]*re-?excision)"})

V("omit-67-er-negative", "omission",
  "67, pN0, ER-negative: CALGB 9343, PRIME II and LUMINA required hormone-receptor-positive disease -> WBI.",
  node_negative(age=67, tumour={"er_percent": 0, "pr_percent": 0, "grade": 3, "ki67_percent": 50},
                oncotype_rs=None),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]})

V("omit-60-ki67-25", "omission",
  "60, pT1b G2 ER+, pN0, Ki-67 25 %: below PRIME II's 65 and outside LUMINA (Ki-67 <= 13.25 %) -> WBI.",
  node_negative(age=60, tumour={"size_mm": 9.0, "ki67_percent": 25}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]})

V("omit-60-lumina", "omission",
  "60, pT1b G1 ER 95 PR 60 HER2-, Ki-67 10 %, pN0: LUMINA-eligible (>= 55, T1N0, G1-2, PR > 20 %, Ki-67 <= 13.25 %; "
  "5-yr local recurrence 2.3 % on endocrine therapy alone); a single-arm cohort, so WBI or omission.",
  node_negative(age=60, tumour={"size_mm": 9.0, "grade": 1, "ki67_percent": 10}),
  {"whole_breast_rt": ["omission_possible", "recommended"]}, {"whole_breast_rt": NO_BLOCK})

V("omit-72-declined-endocrine", "omission",
  "72, CALGB 9343-type tumour but the patient declines endocrine therapy: CALGB 9343 and PRIME II omitted RT only "
  "with endocrine therapy (tamoxifen / ET) -> WBI.",
  elderly_low_risk(preferences={"declined": ["endocrine"]}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]})

V("omit-72-slnb-omitted", "omission",
  "72, cT1b G1 ER+ cN0 with normal axillary ultrasound, SLNB omitted (SSO Choosing Wisely >= 70): CALGB 9343 "
  "enrolled clinically node-negative women >= 70 without requiring axillary surgery -> omission of WBI possible.",
  elderly_low_risk(nodes={"procedure": "none", "examined": 0, "deposits": []}),
  {"whole_breast_rt": ["omission_possible", "recommended"], "regional_nodal_irradiation": ["not_indicated"]},
  {"whole_breast_rt": NO_BLOCK, "regional_nodal_irradiation": NO_BLOCK})

# ================================================================ after mastectomy
V("mast-mi-favourable", "mastectomy",
  "Mastectomy, 58, pT1c G2 ER+ no LVI, pN1mi(sn): PMRT generally not indicated (ASCO/ASTRO/SSO 2016: single "
  "positive node and/or small nodal metastases lower the risk; IBCSG 23-01 mastectomy patients had no PMRT). No "
  "whole-breast RT or boost after mastectomy.",
  mastectomy(),
  {"post_mastectomy_rt": ["not_indicated"], "regional_nodal_irradiation": ["not_indicated"],
   "whole_breast_rt": ["not_applicable"], "boost": ["not_applicable"]},
  {"post_mastectomy_rt": ["recommended", "not_applicable", *NO_BLOCK]})

V("mast-mi-adverse", "mastectomy",
  "Mastectomy, 38, pT2 (35 mm) G3 TNBC with LVI, two micrometastatic nodes: PMRT considered with combined adverse "
  "factors (ASCO/ASTRO/SSO 2016 risk factors: young age, LVI, grade 3; reference R5).",
  mastectomy(age=38, menopausal_status="pre",
             tumour={"size_mm": 35.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0",
                     "ki67_percent": 70, "lvi": True},
             nodes={"examined": 3, "deposits": [dep(1, 1.5), dep(2, 0.9)]}, oncotype_rs=None),
  {"post_mastectomy_rt": ["discuss", "recommended"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("mast-itc", "mastectomy",
  "Mastectomy, pT1c G2 ER+, pN0(i+): no PMRT and no RNI for ITC (AJCC: N0; PMRT trials and EBCTCG 2014 are about "
  "positive nodes).",
  mastectomy(nodes={"deposits": [dep(1, 0.1)]}),
  {"post_mastectomy_rt": ["not_indicated"], "regional_nodal_irradiation": ["not_indicated"]},
  {"post_mastectomy_rt": ["recommended"]})

V("mast-4-nodes", "mastectomy",
  "Mastectomy + ALND, 5 of 14 nodes positive: PMRT to chest wall and regional nodes (>= 4 nodes; EBCTCG 2014; "
  "NCCN; ASCO/ASTRO/SSO 2016).",
  mastectomy(age=55, tumour={"size_mm": 28.0}, nodes=alnd(5, 14)),
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"],
   "whole_breast_rt": ["not_applicable"], "boost": ["not_applicable"]},
  {"post_mastectomy_rt": ["not_indicated", "discuss"], "regional_nodal_irradiation": ["not_indicated"]})

V("mast-2-nodes-alnd", "mastectomy",
  "Mastectomy + ALND, 55, pT2 (28 mm) G2 ER+, 2 of 12 nodes macrometastatic: PMRT reduces locoregional failure and "
  "breast-cancer mortality for 1-3 nodes (EBCTCG 2014: 10-yr LRF 21.0 % -> 4.3 %); decide individually "
  "(ASCO/ASTRO/SSO 2016).",
  mastectomy(age=55, tumour={"size_mm": 28.0}, nodes=alnd(2, 12)),
  {"post_mastectomy_rt": ["discuss", "recommended"]},
  {"post_mastectomy_rt": ["not_applicable", "not_indicated"]})

V("mast-mi-t3", "mastectomy",
  "Mastectomy, pT3 (60 mm) pN1mi: PMRT for T3 with nodal involvement (reference R5: T3N1+; AJCC counts N1mi as "
  "N1; NCCN).",
  mastectomy(tumour={"size_mm": 60.0}, oncotype_rs=20),
  {"post_mastectomy_rt": ["recommended"]}, {"post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("mast-t4b", "mastectomy",
  "Mastectomy, pT4b (skin ulceration) 30 mm pN1mi: stage III locally advanced disease -> PMRT (NCCN: T4 any N; "
  "EBCTCG 2014).",
  mastectomy(tumour={"size_mm": 30.0, "t_extension": "skin"}, oncotype_rs=None),
  {"post_mastectomy_rt": ["recommended"]}, {"post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("mast-n0-t2", "mastectomy",
  "Mastectomy, pT2 (25 mm) G2 ER+, pN0, margins 5 mm: no PMRT (EBCTCG 2014: no benefit for pN0).",
  mastectomy(tumour={"size_mm": 25.0}, nodes={"deposits": []}),
  {"post_mastectomy_rt": ["not_indicated"], "regional_nodal_irradiation": ["not_indicated"]},
  {"post_mastectomy_rt": ["recommended"]})

V("mast-male-4-nodes", "mastectomy",
  "Male, 66, mastectomy + ALND, 4 of 11 nodes positive: PMRT by the same indications as for women (ASCO 2020 male "
  "breast cancer guideline; >= 4 nodes: EBCTCG 2014).",
  mastectomy(sex="male", age=66, menopausal_status=None, tumour={"size_mm": 22.0}, nodes=alnd(4, 11)),
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("mast-male-mi", "mastectomy",
  "Male, 64, mastectomy, pT1c G2 ER+ pN1mi: PMRT by the same indications as for women (ASCO 2020) -> generally not "
  "indicated for favourable pN1mi (ASCO/ASTRO/SSO 2016); whole-breast RT not applicable.",
  mastectomy(sex="male", age=64, menopausal_status=None),
  {"post_mastectomy_rt": ["not_indicated", "discuss"], "whole_breast_rt": ["not_applicable"]},
  {"post_mastectomy_rt": ["recommended", "not_applicable"]})

V("mast-positive-margin-n0", "mastectomy",
  "Mastectomy, pT2 (30 mm) G2 ER+, pN0, tumour on ink at the deep margin: chest-wall RT considered for a positive "
  "mastectomy margin (NCCN; ASCO/ASTRO/SSO 2016 lists margin status among the risk factors) -- not "
  "'not indicated'.",
  mastectomy(tumour={"size_mm": 30.0}, nodes={"deposits": []}, surgery={"margins_mm": 0.0}),
  {"post_mastectomy_rt": ["discuss", "recommended"]}, {"post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("mast-dcis", "mastectomy",
  "Mastectomy for DCIS (Tis), no nodes: no PMRT and no RNI (PMRT evidence, EBCTCG 2014, is for invasive node-"
  "positive disease).",
  mastectomy(tumour={"size_mm": 0.0, "in_situ_only": True, "grade": 3, "ki67_percent": None, "her2_ihc": None},
             nodes={"procedure": "slnb", "examined": 2, "deposits": []}, oncotype_rs=None),
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"], "regional_nodal_irradiation": ["not_indicated"],
   "whole_breast_rt": ["not_applicable"]},
  {"post_mastectomy_rt": ["recommended"]})

# ================================================================ after neoadjuvant therapy
V("nst-cn1-ypn0-bcs-b51", "post_nst",
  "Biopsy-proven cN1 -> ypN0 after NAC and BCS, 48: NSABP B-51 (Mamounas, SABCS 2023) found no improvement in "
  "invasive breast-recurrence-free interval from adding RNI to breast RT -> RNI may be omitted / discussed, not "
  "mandatory; WBI after BCS; boost for age <= 50 (ASTRO 2018).",
  nst("cN1", True),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["discuss", "not_indicated"],
   "boost": ["recommended"]},
  {"whole_breast_rt": ["omission_possible"], "regional_nodal_irradiation": NO_BLOCK})

V("nst-cn1-ypn0-mastectomy-b51", "post_nst",
  "Biopsy-proven cN1 -> ypN0 after NAC and mastectomy: NSABP B-51 randomised chest-wall + RNI vs none and found no "
  "benefit -> PMRT may be omitted or discussed; never 'not applicable' after mastectomy.",
  nst("cN1", True, surgery={"breast": "mastectomy", "margins_mm": 5.0}),
  {"post_mastectomy_rt": ["discuss", "not_indicated"]},
  {"post_mastectomy_rt": ["not_applicable", *NO_BLOCK]})

V("nst-cn0-ypn0-bcs", "post_nst",
  "cT2 cN0 -> ypT0 ypN0 after NAC and BCS: no indication for RNI (no nodal disease before or after; B-51 and "
  "MA.20 concern node-positive disease); WBI.",
  nst("cN0", False),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated"]},
  {"regional_nodal_irradiation": ["recommended"]})

V("nst-cn0-ypn0-mastectomy", "post_nst",
  "cT2 cN0 -> ypN0 after NAC and mastectomy: no PMRT (no nodal disease, T2; NCCN).",
  nst("cN0", False, surgery={"breast": "mastectomy", "margins_mm": 5.0}),
  {"post_mastectomy_rt": ["not_indicated", "discuss"]}, {"post_mastectomy_rt": ["recommended", "not_applicable"]})

V("nst-ypn1mi-bcs-alnd", "post_nst",
  "Biopsy-proven cN1 -> ypN1mi after NAC, BCS + ALND (1 of 12 micrometastatic): residual nodal disease -> RNI "
  "(reference quick table: RNI yes; NCCN).",
  nst("cN1", True, nodes={"procedure": "slnb_then_alnd", "examined": 12, "deposits": [dep(1, 1.0)]}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"regional_nodal_irradiation": ["not_indicated"]})

V("nst-ypn1mi-mastectomy", "post_nst",
  "Biopsy-proven cN1 -> ypN1mi after NAC, mastectomy + ALND: residual nodal disease -> PMRT generally yes "
  "(reference quick table; NCCN: PMRT after NAC for residual nodal disease).",
  nst("cN1", True, surgery={"breast": "mastectomy", "margins_mm": 5.0},
      nodes={"procedure": "slnb_then_alnd", "examined": 12, "deposits": [dep(1, 1.0)]}),
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("nst-ypn0i-bcs", "post_nst",
  "Biopsy-proven cN1 -> ypN0(i+) after NAC, BCS + ALND: residual ITC is not a pCR (AJCC 8); residual nodal disease "
  "-> RNI (reference quick table).",
  nst("cN1", True, nodes={"procedure": "slnb_then_alnd", "examined": 11, "deposits": [dep(1, 0.1)]}),
  {"regional_nodal_irradiation": ["recommended", "discuss"]}, {"regional_nodal_irradiation": ["not_indicated"]})

# ================================================================ margins
V("margin-ink-bcs", "margins",
  "Tumour on ink (margin 0 mm) after BCS for invasive cancer: re-excision (SSO-ASTRO 2014 margin consensus: no ink "
  "on tumour is the adequate margin); WBI still follows.",
  case(age=60, surgery={"margins_mm": 0.0}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]},
  mentions={"any": r"re-?excision"})

V("margin-ink-declined-wbrt", "margins",
  "Tumour on ink after BCS, the patient declines whole-breast RT: a positive margin needs re-excision whatever RT "
  "is given (SSO-ASTRO 2014); declined RT is shown as declined, never recommended.",
  case(age=60, surgery={"margins_mm": 0.0}, preferences={"declined": ["whole_breast_rt"]}),
  {"whole_breast_rt": ["declined"], "boost": ["not_applicable", "declined"]},
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"]},
  mentions={"any": r"re-?excision"})

V("margin-ink-72-omission-candidate", "margins",
  "72, CALGB 9343-type tumour but tumour on ink: omission trials required clear margins (PRIME II >= 1 mm); "
  "re-excision first (SSO-ASTRO 2014) -> omission not supported as things stand.",
  elderly_low_risk(surgery={"margins_mm": 0.0}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": ["omission_possible"]},
  mentions={"any": r"re-?excision"})

V("margin-close-55-g2", "margins",
  "55, G2, margin 0.5 mm (no ink on tumour) after BCS, pN1mi: no re-excision needed (SSO-ASTRO 2014); close margin "
  "at 51-70 -> boost (reference R2 / ASTRO 2018).",
  case(age=55, surgery={"margins_mm": 0.5}),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended", "discuss"]}, {"boost": NO_BLOCK})

V("dcis-bcs-high-grade", "margins",
  "DCIS, 50, high grade, 30 mm extent, BCS with 3 mm margins (>= 2 mm adequate: SSO-ASTRO-ASCO 2016 DCIS "
  "consensus): WBI recommended (EBCTCG DCIS overview; RTOG 9804 omission only for low-risk DCIS); no RNI.",
  case(age=50, menopausal_status="post",
       tumour={"size_mm": 0.0, "in_situ_only": True, "grade": 3, "ki67_percent": None, "her2_ihc": None},
       nodes={"procedure": "none", "examined": 0, "deposits": []}, oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated"],
   "post_mastectomy_rt": ["not_applicable"]},
  {"regional_nodal_irradiation": ["recommended"]})

# ================================================================ the patient: preferences, contraindications
V("patient-declined-wbrt", "patient",
  "pN1mi after BCS, the patient declines whole-breast RT after counselling: shown as declined with the benefit "
  "forgone (EBCTCG 2011), never recommended; the boost cannot be given without WBI.",
  case(preferences={"declined": ["whole_breast_rt"]}),
  {"whole_breast_rt": ["declined"], "boost": ["not_applicable", "declined"]},
  {"whole_breast_rt": ["recommended"], "boost": ["recommended", "discuss"]})

V("patient-declined-boost-only", "patient",
  "42, pN1mi after BCS, declines the boost but accepts WBI: WBI recommended (EBCTCG 2011), boost declined.",
  case(age=42, menopausal_status="pre", oncotype_rs=16, preferences={"declined": ["boost"]}),
  {"whole_breast_rt": ["recommended"], "boost": ["declined"]}, {"boost": ["recommended"]})

V("patient-declined-pmrt", "patient",
  "Mastectomy + ALND with 5 positive nodes, PMRT declined: declined, never recommended (PMRT indicated: EBCTCG "
  "2014).",
  mastectomy(age=55, nodes=alnd(5, 14), preferences={"declined": ["post_mastectomy_rt"]}),
  {"post_mastectomy_rt": ["declined"]}, {"post_mastectomy_rt": ["recommended"]})

V("patient-pregnant-bcs", "patient",
  "34, 20 weeks pregnant, pN1mi after BCS: RT is deferred until after delivery (Amant, Lancet 2012: fetal dose "
  "depends on stage of pregnancy; RT in pregnancy is avoided in practice), never recommended now.",
  case(age=34, menopausal_status="pre", pregnancy={"status": "pregnant", "gestational_age_weeks": 20},
       oncotype_rs=16),
  {"whole_breast_rt": ["deferred"]},
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  mentions={"whole_breast_rt": r"deliver|pregnan"})

V("patient-pregnant-mastectomy-4-nodes", "patient",
  "31, 16 weeks pregnant, mastectomy + ALND with 4 positive nodes: PMRT indicated (EBCTCG 2014) but deferred until "
  "after delivery (Amant 2012).",
  mastectomy(age=31, menopausal_status="pre", nodes=alnd(4, 13),
             pregnancy={"status": "pregnant", "gestational_age_weeks": 16}),
  {"post_mastectomy_rt": ["deferred"]},
  {"post_mastectomy_rt": ["recommended", "not_indicated"], "regional_nodal_irradiation": ["recommended"]})

V("patient-lactating", "patient",
  "36, lactating, pN1mi after BCS: lactation contraindicates endocrine and antibody therapy (HKMJ 2017), not breast "
  "RT -> WBI recommended, boost for age <= 50.",
  case(age=36, menopausal_status="pre", pregnancy={"status": "lactating"}, oncotype_rs=16),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"]},
  {"whole_breast_rt": ["deferred", *NO_BLOCK]})

V("patient-84-ecog3-limited-life", "patient",
  "84, ECOG 3, life expectancy 2 years, pN1mi G2 ER+ after BCS on endocrine therapy: competing mortality makes the "
  "absolute benefit of WBI small (CALGB 9343: 10-yr OS 66-67 %; SIOG/EUSOMA 2021: individualise), but no omission "
  "trial enrolled node-positive disease, so WBI versus omission is a shared decision (not clear-cut) and the advice "
  "must name the limited fitness and the one-week schedule (FAST-Forward 26 Gy/5); no nodal RT, no boost (> 70, "
  "HR+, G2, margins 3 mm: ASTRO 2018).",
  case(age=84, ecog=3, life_expectancy_years=2, charlson_index=3, oncotype_rs=None),
  {"whole_breast_rt": ["omission_possible", "recommended"], "regional_nodal_irradiation": ["not_indicated"],
   "boost": ["not_indicated"]},
  {"boost": ["recommended"]},
  mentions={"whole_breast_rt": r"(ECOG|life expectancy).*26 ?Gy|26 ?Gy.*(ECOG|life expectancy)"})

V("patient-active-autoimmune", "patient",
  "56, pN1mi after BCS with active autoimmune disease needing systemic treatment (the case's coded field; active "
  "connective-tissue disease such as scleroderma or lupus is a relative contraindication to breast RT, ASTRO/NCCN "
  "BCS-eligibility lists): the RT advice must name the condition.",
  case(age=56, conditions={"autoimmune_disease": "active"}, comorbidities=["systemic sclerosis on methotrexate"]),
  {},
  mentions={"whole_breast_rt": r"autoimmune|connective|scleroderma|lupus"})

# ================================================================ unrecorded inputs
V("unk-grade-60", "unknowns",
  "60, pN1mi after BCS, grade unrecorded: grade 3 would make a boost indicated at 51-70 (ASTRO 2018), so the boost "
  "needs the grade; WBI does not (pN1mi).",
  case(age=60, tumour={"grade": None}),
  {"whole_breast_rt": ["recommended"], "boost": ["insufficient_data"]},
  {"whole_breast_rt": NO_BLOCK}, missing={"boost": ["tumour.grade"]})

V("unk-grade-45", "unknowns",
  "45, pN1mi after BCS, grade unrecorded: boost for age <= 50 of any grade (ASTRO 2018) -> no block.",
  case(age=45, menopausal_status="pre", tumour={"grade": None}, oncotype_rs=16),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"]}, {"boost": NO_BLOCK})

V("unk-margin-45", "unknowns",
  "45, pN1mi after BCS, margin unrecorded: boost for age <= 50 whatever the margin (ASTRO 2018); WBI whatever the "
  "margin -> no block on either.",
  case(age=45, menopausal_status="pre", surgery={"margins_mm": None}, oncotype_rs=16),
  {"whole_breast_rt": ["recommended"], "boost": ["recommended"]}, {"boost": NO_BLOCK, "whole_breast_rt": NO_BLOCK})

V("unk-margin-75-g1", "unknowns",
  "75, G1 ER+ pN1mi after BCS, margin unrecorded: a positive margin would change the boost (ASTRO 2018: boost "
  "omitted only with widely negative margins) -> the boost needs the margin; WBI does not (pN1mi).",
  case(age=75, tumour={"grade": 1, "ki67_percent": 6}, surgery={"margins_mm": None}, oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "boost": ["insufficient_data"]},
  {"whole_breast_rt": NO_BLOCK}, missing={"boost": ["surgery.margins_mm"]})

V("unk-margin-72-omission", "unknowns",
  "72, CALGB 9343-type pN0 tumour, margin unrecorded: omission needs clear margins (CALGB 9343: no tumour at the "
  "inked margin; PRIME II >= 1 mm) -> omission cannot be offered without the margin, which must be named as missing "
  "(insufficient_data, or WBI kept with the margin asked for).",
  elderly_low_risk(surgery={"margins_mm": None}),
  {"whole_breast_rt": ["insufficient_data", "recommended"]}, {"whole_breast_rt": ["omission_possible"]},
  missing={"whole_breast_rt": ["surgery.margins_mm"]})

V("unk-age", "unknowns",
  "pN1mi after BCS, G2, age unrecorded: WBI whatever the age (pN1mi: omission trials excluded N+); the boost "
  "depends on age (ASTRO 2018: <= 50 boost) -> boost needs the age.",
  case(age=None, menopausal_status="post"),
  {"whole_breast_rt": ["recommended"], "boost": ["insufficient_data"]}, {"whole_breast_rt": NO_BLOCK},
  missing={"boost": ["age"]})

V("unk-laterality-quadrant", "unknowns",
  "pN1mi after BCS, laterality and quadrant unrecorded: they change RT technique (heart sparing, IMN), not whether "
  "WBI is indicated, and RNI is not indicated for favourable pN1mi wherever the tumour is -> no block.",
  case(tumour={"laterality": None, "quadrant": None}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated", "discuss"]},
  {key: NO_BLOCK for key in RT_KEYS})

V("unk-fitness-menopause-er", "unknowns",
  "pN1mi after BCS, 60, ECOG, menopausal status and ER unrecorded: WBI follows from pN1mi after BCS whatever they "
  "are (EBCTCG 2011; omission trials required N0) -> no block on WBI or PMRT.",
  case(age=60, ecog=None, menopausal_status=None, tumour={"er_percent": None, "pr_percent": None},
       oncotype_rs=None),
  {"whole_breast_rt": ["recommended"], "post_mastectomy_rt": ["not_applicable"]},
  {"whole_breast_rt": NO_BLOCK, "post_mastectomy_rt": NO_BLOCK})

V("unk-positive-nodes-unknown-mastectomy", "unknowns",
  "Mastectomy, ALND done, nodal deposits listed but the examined count unrecorded, 5 positive nodes: >= 4 positive "
  "nodes already -> PMRT (EBCTCG 2014) whatever the count of negative nodes.",
  mastectomy(age=55, nodes={**alnd(5, 14), "examined": None}),
  {"post_mastectomy_rt": ["recommended"]}, {"post_mastectomy_rt": NO_BLOCK})

V("unk-grade-mastectomy-mi-lvi", "unknowns",
  "Mastectomy, 58, pN1mi with LVI, grade unrecorded: PMRT for pN1mi turns on combined adverse features (ASCO/ASTRO/"
  "SSO 2016 risk factors; reference R5: young age, grade 3, extensive LVI ...): grade 3 would add a second one, so "
  "the grade must be asked for (insufficient_data, or the decision kept with the grade named).",
  mastectomy(tumour={"grade": None, "lvi": True}),
  {"post_mastectomy_rt": ["insufficient_data", "not_indicated"]}, {"post_mastectomy_rt": ["recommended"]},
  missing={"post_mastectomy_rt": ["tumour.grade"]})

V("unk-pre-treatment-nodes-ypn0", "unknowns",
  "BCS after NAC, ypN0, nodal status before therapy unrecorded: cN0 -> no nodal RT, cN1 -> discussed (NSABP B-51), "
  "cN2-3 -> nodal RT (NCCN), so RNI needs it.",
  nst("cN1", True, neoadjuvant_therapy={"pre_treatment_clinical_nodes": None, "nodes_biopsy_proven": None}),
  {"regional_nodal_irradiation": ["insufficient_data"], "whole_breast_rt": ["recommended"]},
  {"whole_breast_rt": NO_BLOCK},
  missing={"regional_nodal_irradiation": ["neoadjuvant_therapy.pre_treatment_clinical_nodes"]})

V("unk-er-75-boost", "unknowns",
  "75, G1, margins 5 mm, pN1mi after BCS, ER unrecorded: the boost is omitted over 70 only for HR-positive disease "
  "(ASTRO 2018), so the boost needs ER; WBI does not (pN1mi).",
  case(age=75, tumour={"grade": 1, "ki67_percent": 6, "er_percent": None, "pr_percent": None},
       surgery={"margins_mm": 5.0}, oncotype_rs=None),
  {"boost": ["insufficient_data"], "whole_breast_rt": ["recommended"]}, {"whole_breast_rt": NO_BLOCK},
  missing={"boost": ["tumour.er_percent"]})

V("unk-breast-surgery", "unknowns",
  "Breast surgery type unrecorded (SLNB pN1mi done): whole-breast RT follows BCS, PMRT follows mastectomy (EBCTCG "
  "2011/2014) -> both need the surgery.",
  case(surgery={"breast": None}),
  {"whole_breast_rt": ["insufficient_data"], "post_mastectomy_rt": ["insufficient_data"]},
  missing={"whole_breast_rt": ["surgery.breast"], "post_mastectomy_rt": ["surgery.breast"]})

V("planned-bcs-74-calgb", "omission",
  "Planned BCS, 74, cT1b G1 ER+ HER2- cN0, normal axillary ultrasound, endocrine therapy intended: CALGB 9343 "
  "enrolled on clinical node status (cT1N0, >= 70) with lumpectomy and no tumour on ink -> omission may be offered "
  "provisionally, and the advice must say that it needs clear margins.",
  elderly_low_risk(age=74, surgery={"status": "planned", "date": "2026-12-15", "margins_mm": None},
                   nodes={"procedure": "none", "examined": 0, "deposits": []}),
  {"whole_breast_rt": ["omission_possible", "recommended"]}, {"whole_breast_rt": NO_BLOCK},
  mentions={"whole_breast_rt": r"margin"})


# ================================================ session 2026-12-01 (local-patient): IMN-only, margins, quadrant,
# prior radiotherapy to the same region
V("bcs-imn-only-pn2b", "bcs",
  "Clinically detected IMN (cN2b), axillary sentinel nodes negative after BCS: pN2b, stage IIIA. Regional nodal RT "
  "including the internal mammary chain (NCCN: RNI for involved IMN; EORTC 22922 and MA.20 fields include the IMN; "
  "DBCG-IMN) and whole-breast RT.",
  node_negative(age=52, clinical_nodes="cN2b", tumour={"quadrant": "upper_inner"},
                nodes={"internal_mammary": "clinically_detected"}),
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"regional_nodal_irradiation": ["not_indicated", "discuss", "insufficient_data"]},
  mentions={"regional_nodal_irradiation": r"(?i)internal mammary"})

V("mast-mi-favourable-margin-unrecorded", "unknowns",
  "Mastectomy, 58, pN1mi, favourable (G2 ER+ no LVI, lateral), mastectomy margin not recorded: PMRT is not "
  "indicated for favourable pN1mi (ASCO/ASTRO/SSO 2016), but a positive mastectomy margin is a reason to discuss "
  "chest-wall RT (NCCN) -> the margin must be named.",
  mastectomy(surgery={"margins_mm": None}),
  {"post_mastectomy_rt": ["not_indicated", "insufficient_data"]}, {"post_mastectomy_rt": ["recommended"]},
  missing={"post_mastectomy_rt": ["surgery.margins_mm"]})

V("mast-4-nodes-margin-unrecorded", "unknowns",
  "Mastectomy + ALND, 4 positive nodes, margin not recorded: PMRT is recommended for >= 4 nodes (EBCTCG 2014; NCCN) "
  "whatever the margin, so the margin must not hold it.",
  mastectomy(age=55, nodes=alnd(4, 15), surgery={"margins_mm": None}),
  {"post_mastectomy_rt": ["recommended"]}, {"post_mastectomy_rt": NO_BLOCK})

V("bcs-mi-g3-quadrant-unrecorded", "unknowns",
  "pN1mi after BCS, 58, grade 3 (one adverse feature), quadrant not recorded: a medial/central tumour would be a "
  "second adverse feature (EORTC 22922 enrolled medial/central tumours) and make nodal RT worth discussing -> the "
  "quadrant decides (product owner: insufficient data naming it).",
  case(tumour={"grade": 3, "ki67_percent": 30, "quadrant": None}, oncotype_rs=None),
  {"regional_nodal_irradiation": ["insufficient_data"], "whole_breast_rt": ["recommended"]},
  {"whole_breast_rt": NO_BLOCK}, missing={"regional_nodal_irradiation": ["tumour.quadrant"]})

V("bcs-mi-g2-quadrant-unrecorded", "unknowns",
  "pN1mi after BCS, 58, G2 ER+ no LVI (no adverse feature), quadrant not recorded: a medial tumour alone is one "
  "feature, not the combination that makes nodal RT worth discussing -> the quadrant cannot change the answer.",
  case(tumour={"quadrant": None}),
  {"regional_nodal_irradiation": ["not_indicated"]}, {"regional_nodal_irradiation": NO_BLOCK})

V("patient-prior-mantle-rt-bcs", "patient",
  "45, Hodgkin lymphoma treated with mantle-field RT at 19, now pN1mi after BCS: whole-breast RT would re-irradiate "
  "tissue already in the mantle field; re-irradiation is an individual specialist decision (NCCN: prior RT to the "
  "breast/chest wall is a contraindication to breast-conserving therapy; ESTRO/ACROP re-irradiation consensus) -> "
  "never a plain 'recommended'; the boost neither.",
  case(age=45, menopausal_status="pre", conditions={"prior_chest_radiotherapy": "mantle_or_mediastinal"}),
  {"whole_breast_rt": ["discuss"]}, {"whole_breast_rt": ["recommended"], "boost": ["recommended"]},
  mentions={"whole_breast_rt": r"(?i)re-?irradiat"})

V("patient-prior-ipsilateral-rt-mastectomy-4-nodes", "patient",
  "62, second ipsilateral primary 12 years after BCS + whole-breast RT, now mastectomy + ALND with 4 positive nodes: "
  "PMRT and nodal RT would be re-irradiation of the chest wall and nodes -> discussed, not a plain recommendation.",
  mastectomy(age=62, nodes=alnd(4, 15), conditions={"prior_chest_radiotherapy": "ipsilateral_breast"}),
  {"post_mastectomy_rt": ["discuss"], "regional_nodal_irradiation": ["discuss"]},
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  mentions={"post_mastectomy_rt": r"(?i)re-?irradiat"})

V("patient-prior-contralateral-rt", "patient",
  "60, prior contralateral breast cancer treated with BCS + RT, now pN1mi after BCS on the other side: the other "
  "breast is not the same region -> whole-breast RT as usual (EBCTCG 2011).",
  case(age=60, conditions={"prior_chest_radiotherapy": "contralateral_breast"}),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": NO_BLOCK})

V("patient-prior-rt-unrecorded", "patient",
  "pN1mi after BCS with no prior-radiotherapy entry: not recorded, not asked (a question for every patient would "
  "bury the missing list) -> whole-breast RT recommended, not held.",
  case(),
  {"whole_breast_rt": ["recommended"]}, {"whole_breast_rt": NO_BLOCK})

V("patient-prior-mantle-planned-bcs", "patient",
  "38, mantle RT for Hodgkin lymphoma, cT1 cN0 planned for BCS: breast conservation relies on whole-breast RT, here "
  "re-irradiation (NCCN: prior breast/chest-wall RT contraindicates breast conservation) -> the surgeon is told, "
  "and whole-breast RT is not a plain recommendation.",
  node_negative(age=38, menopausal_status="pre", surgery={"status": "planned", "date": "2026-12-15", "margins_mm": None},
                nodes={"procedure": "none", "examined": 0, "deposits": []}, oncotype_rs=None,
                conditions={"prior_chest_radiotherapy": "mantle_or_mediastinal"}),
  {"whole_breast_rt": ["discuss"]}, {"whole_breast_rt": ["recommended"]},
  mentions={"any": r"(?i)mastectomy"})

V("patient-scleroderma-bcs", "patient",
  "62, systemic sclerosis, pN1mi after BCS: NCCN counts active connective-tissue disease involving the skin "
  "(especially scleroderma and lupus) against radiotherapy (severe fibrosis and necrosis reported) -> whole-breast RT "
  "is discussed, never a plain recommendation; the boost neither.",
  case(age=62, conditions={"connective_tissue_disease": "scleroderma"}),
  {"whole_breast_rt": ["discuss"]}, {"whole_breast_rt": ["recommended"], "boost": ["recommended"]},
  mentions={"whole_breast_rt": r"(?i)scleroderma|systemic sclerosis"})

def render() -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS)


if __name__ == "__main__":
    ids = [row["id"] for row in ROWS]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate vignette ids")
    OUT.write_text(render(), encoding="utf-8")
    print(f"{len(ROWS)} vignettes -> {OUT}")
