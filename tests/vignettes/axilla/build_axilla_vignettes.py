"""Builds ``axilla_vignettes.jsonl``: hard referrals about whether the axilla was staged adequately before
axillary treatment is omitted, and about the surgical management of ITC, micrometastases and low-volume
macrometastases.

Written blind: from the trials and guidelines named in each vignette's ``source`` (Z0011, IBCSG 23-01, AMAROS,
SENOMAC, POSNOC, SOUND, INSEMA, SSO Choosing Wisely, ASCO 2021/2025, NCCN, ESMO 2024, ACOSOG Z1071, SENTINA,
SN FNAC, Caudle TAD, UK ABS/RCR 2019, Alliance A011202, ASCO/ASTRO/SSO PMRT 2016), never from micromets' rule
tables and never by running micromets. Nothing here imports micromets.

    .venv/bin/python tests/vignettes/axilla/build_axilla_vignettes.py      # rewrites axilla_vignettes.jsonl

Row format (one JSON object per line)::

    {"id", "category", "source", "case",
     "expected":  {decision key: [acceptable values]},  # usually one; two where the sources allow both
     "forbidden": {decision key: [values]},             # omission when staging is inadequate, or over-treatment
     "missing":   {decision key: [field, ...]}}         # when insufficient_data is expected: the fields that
                                                        # could change the answer (one must be named)
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("axilla_vignettes.jsonl")

DUAL = ["radioisotope", "blue_dye"]
SINGLE = ["radioisotope"]
NO_AXILLARY_TREATMENT = ["none_needed", "omit_alnd"]
AXILLARY_TREATMENT = ["alnd", "axillary_rt_or_alnd"]


def base() -> dict[str, Any]:
    """A complete referral: 62, postmenopausal, cT1c cN0 HR+/HER2-, BCS + SLNB done, sentinel nodes negative."""
    return {
        "age": 62, "sex": "female", "menopausal_status": "post", "detection": "screening",
        "tumour": {"size_mm": 16.0, "t_extension": "none", "in_situ_only": False, "histology": "ductal", "grade": 2,
                   "er_percent": 95, "pr_percent": 60, "her2_ihc": "1+", "her2_ish_ratio": None,
                   "her2_ish_copies": None, "ki67_percent": 12, "lvi": False},
        "clinical_nodes": "cN0",
        "nodes": {"procedure": "slnb", "examined": 2, "sentinel_nodes_removed": 2, "tracers": DUAL,
                  "deposits": [], "internal_mammary": "none", "supraclavicular": False, "infraclavicular": False},
        "metastasis": "cM0", "neoadjuvant": False, "axillary_ultrasound": "normal",
        "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 3.0},
        "oncotype_rs": 14, "mammaprint": None, "germline_brca": "negative", "charlson_index": 0, "ecog": 0,
        "lvef_percent": 62, "comorbidities": [], "smoker": False,
        "conditions": {}, "preferences": {"declined": []},
    }


def dep(node: int, size_mm: float | None, method: str = "he", ene: bool | None = False,
        osna: float | None = None) -> dict[str, Any]:
    return {"node": node, "size_mm": size_mm, "cells": None, "method": method, "osna_copies_per_ul": osna,
            "extranodal_extension": ene, "contiguous": True}


def merge(target: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict) and value:
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def planned(**changes: Any) -> dict[str, Any]:
    """Pre-operative advice: surgery planned, no nodal pathology yet."""
    case = merge(base(), {"surgery": {"breast": "bcs", "status": "planned", "date": "2026-12-15",
                                      "margins_mm": None},
                          "nodes": {"procedure": "none", "examined": 0, "sentinel_nodes_removed": None,
                                    "tracers": None, "deposits": []},
                          "oncotype_rs": None})
    return merge(case, changes)


def nst(pre_nodes: str, biopsy_proven: bool | None, agents: list[str] | None = None, **changes: Any) -> dict[str, Any]:
    """After neoadjuvant chemotherapy (here HER2+ unless changed): yp staging, pre-treatment facts given."""
    case = merge(base(), {
        "age": 48, "menopausal_status": "pre",
        "tumour": {"size_mm": 6.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+",
                   "ki67_percent": 40},
        "neoadjuvant": True,
        "neoadjuvant_therapy": {"pre_treatment_size_mm": 32, "pre_treatment_t_extension": "none",
                                "pre_treatment_clinical_nodes": pre_nodes, "nodes_biopsy_proven": biopsy_proven,
                                "agents": agents or ["anthracycline", "taxane", "trastuzumab", "pertuzumab"]},
        "oncotype_rs": None,
    })
    return merge(case, changes)


ROWS: list[dict[str, Any]] = []


def V(vid: str, category: str, source: str, case: dict[str, Any], expected: dict[str, list[str]],
      forbidden: dict[str, list[str]] | None = None, missing: dict[str, list[str]] | None = None) -> None:
    case = merge(case, {})
    case["id"] = vid
    ROWS.append({"id": vid, "category": category, "source": source, "case": {"id": vid, **case},
                 "expected": expected, "forbidden": forbidden or {}, "missing": missing or {}})


# ============================================================================ upfront surgery: ITC / micro
V("up-itc-bcs", "upfront",
  "pN0(i+) (ITC only) after SLNB: no ALND and no axillary RT for the ITC (ASCO, NCCN, ESMO consensus; AJCC: ITC "
  "nodes are N0). RNI not indicated for pN0(i+) (MA.20/EORTC 22922 enrolled node-positive or high-risk N0).",
  merge(base(), {"nodes": {"deposits": [dep(1, 0.15)]}}),
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]})

V("up-itc-mastectomy", "upfront",
  "pN0(i+) after mastectomy: no ALND, no PMRT for the ITC (ASCO/NCCN consensus; PMRT focused update 2016 is "
  "about 1-3 positive nodes).",
  merge(base(), {"surgery": {"breast": "mastectomy", "margins_mm": 5.0},
                 "nodes": {"deposits": [dep(2, None, "ihc") | {"cells": 40}]}}),
  {"axillary_surgery": ["none_needed"], "post_mastectomy_rt": ["not_indicated"],
   "regional_nodal_irradiation": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "post_mastectomy_rt": ["recommended"]})

V("up-mi-bcs", "upfront",
  "pN1mi (one SLN, 1.4 mm, no ENE), cT1 cN0, BCS + WBRT: no ALND (IBCSG 23-01, Galimberti 2013/2018; AATRM; "
  "ASCO 2021/2025; NCCN; ESMO 2024). No routine RNI for pN1mi with favourable features.",
  merge(base(), {"nodes": {"deposits": [dep(1, 1.4)]}}),
  {"axillary_surgery": ["omit_alnd"], "regional_nodal_irradiation": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "none_needed"]})

V("up-mi-mastectomy", "upfront",
  "pN1mi after mastectomy + SLNB: no ALND (IBCSG 23-01 randomised ~9% mastectomy; St Gallen 2023 majority; "
  "ESMO 2024). PMRT generally not indicated for pN1mi with favourable features (62 y, T1, G2, ER+, no LVI; ASCO/"
  "ASTRO/SSO 2016 'single positive node and/or small nodal metastases' lowers risk).",
  merge(base(), {"surgery": {"breast": "mastectomy", "margins_mm": 6.0}, "nodes": {"deposits": [dep(1, 0.9)]}}),
  {"axillary_surgery": ["omit_alnd"], "post_mastectomy_rt": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "none_needed"], "post_mastectomy_rt": ["not_applicable"]})

V("up-mi-two-nodes-bcs", "upfront",
  "Two SLNs with micrometastases, BCS: no ALND (IBCSG 23-01 eligibility: one or more SLN micrometastases; Z0011 "
  "1-2 positive SLNs).",
  merge(base(), {"nodes": {"examined": 3, "sentinel_nodes_removed": 3, "deposits": [dep(1, 0.8), dep(2, 1.9)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed"]})

V("up-mi-osna-bcs", "upfront",
  "OSNA 2,400 CK19 copies/uL in one SLN = micrometastasis (Tsujimoto 2007: 250-5,000), BCS: no ALND (IBCSG 23-01).",
  merge(base(), {"nodes": {"deposits": [dep(1, None, "osna", None, 2400)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed"]})

V("up-mi-male-mastectomy", "upfront",
  "Male, 67, mastectomy + SLNB, one SLN micrometastasis: no ALND (IBCSG 23-01 and ASCO 2021 apply by analogy; "
  "no sex-specific axillary rule). PMRT not indicated for favourable pN1mi (ASCO/ASTRO/SSO 2016).",
  merge(base(), {"age": 67, "sex": "male", "menopausal_status": None,
                 "surgery": {"breast": "mastectomy", "margins_mm": 2.0}, "nodes": {"deposits": [dep(1, 1.0)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed"]})

V("up-mi-three-nodes-bcs", "upfront",
  "Three SLNs, all micrometastases: IBCSG 23-01 had no upper limit on micrometastatic SLNs but Z0011 excluded >=3 "
  "positive SLNs; contested, but the axilla is node-positive so 'no treatment needed' is wrong.",
  merge(base(), {"nodes": {"examined": 4, "sentinel_nodes_removed": 4,
                           "deposits": [dep(1, 0.6), dep(2, 1.2), dep(3, 1.8)]}}),
  {"axillary_surgery": ["omit_alnd", "alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": ["none_needed"]})

V("up-mi-ene-bcs", "upfront",
  "SLN micrometastasis with extranodal extension: IBCSG 23-01 excluded extracapsular extension, Z0011 excluded "
  "gross ENE only, AMAROS allowed it. Contested between ALND, axillary RT and omission, but node-positive.",
  merge(base(), {"nodes": {"deposits": [dep(1, 1.8, ene=True)]}}),
  {"axillary_surgery": ["omit_alnd", "alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": ["none_needed"]})

# ======================================================================= upfront surgery: macrometastases
V("up-macro1-bcs", "upfront",
  "One SLN macrometastasis (4 mm), cT1 cN0, BCS + WBRT, no ENE: no ALND (ACOSOG Z0011, Giuliano 2011/2017; "
  "SENOMAC; POSNOC; ASCO 2021/2025; NCCN).",
  merge(base(), {"nodes": {"deposits": [dep(1, 4.0)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed"]})

V("up-macro2-bcs", "upfront",
  "Two SLN macrometastases, cT2 (28 mm) cN0, BCS + WBRT, no ENE: no ALND (Z0011 1-2 positive SLNs, cT1-2).",
  merge(base(), {"tumour": {"size_mm": 28.0}, "nodes": {"examined": 3, "sentinel_nodes_removed": 3,
                                                        "deposits": [dep(1, 5.0), dep(2, 3.0)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed"]})

V("up-macro-osna-bcs", "upfront",
  "OSNA 12,000 copies/uL in one SLN = macrometastasis (Tsujimoto: >5,000), BCS: no ALND (Z0011; POSNOC accepted "
  "molecular macrometastasis).",
  merge(base(), {"nodes": {"deposits": [dep(1, None, "osna", None, 12000)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed"]})

V("up-macro2-micro1-bcs", "upfront",
  "Two SLN macrometastases plus one micrometastasis = three positive SLNs (AJCC: with a macrometastasis, micro "
  "nodes count as positive): outside Z0011 (>=3 positive SLNs excluded) -> ALND, or axillary RT per AMAROS.",
  merge(base(), {"nodes": {"examined": 4, "sentinel_nodes_removed": 4,
                           "deposits": [dep(1, 6.0), dep(2, 3.5), dep(3, 1.0)]}}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("up-macro3-mastectomy", "upfront",
  "Three SLN macrometastases after mastectomy: ALND (or AMAROS axillary RT); PMRT recommended is reasonable "
  "with >=3 nodes (EBCTCG 2014 / ASCO-ASTRO-SSO 2016 1-3 nodes; >=4 nodes indicated).",
  merge(base(), {"surgery": {"breast": "mastectomy", "margins_mm": 4.0},
                 "nodes": {"examined": 3, "sentinel_nodes_removed": 3,
                           "deposits": [dep(1, 6.0), dep(2, 3.5), dep(3, 2.5)]}}),
  {"axillary_surgery": AXILLARY_TREATMENT, "post_mastectomy_rt": ["recommended", "discuss"]},
  {"axillary_surgery": NO_AXILLARY_TREATMENT, "post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("up-macro1-mastectomy", "upfront",
  "One SLN macrometastasis after mastectomy: Z0011 excluded mastectomy; AMAROS (axillary RT vs ALND) and "
  "SENOMAC/ASCO 2025 (ALND not required when PMRT including nodes is planned). Nodal RT must be on the table.",
  merge(base(), {"surgery": {"breast": "mastectomy", "margins_mm": 5.0}, "nodes": {"deposits": [dep(1, 3.0)]}}),
  {"axillary_surgery": ["axillary_rt_or_alnd", "omit_alnd"], "post_mastectomy_rt": ["recommended", "discuss"]},
  {"axillary_surgery": ["none_needed"], "post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("up-macro2-mastectomy-ene", "upfront",
  "Two SLN macrometastases, one with ENE, after mastectomy: outside Z0011 (mastectomy, ENE); AMAROS/SENOMAC -> "
  "axillary RT or ALND; PMRT with nodes at least discussed.",
  merge(base(), {"surgery": {"breast": "mastectomy", "margins_mm": 5.0},
                 "nodes": {"examined": 3, "sentinel_nodes_removed": 3,
                           "deposits": [dep(1, 7.0, ene=True), dep(2, 3.0)]}}),
  {"axillary_surgery": ["axillary_rt_or_alnd", "alnd", "omit_alnd"],
   "post_mastectomy_rt": ["recommended", "discuss"]},
  {"axillary_surgery": ["none_needed"], "post_mastectomy_rt": ["not_indicated", "not_applicable"]})

V("up-macro1-bcs-ene", "upfront",
  "One SLN macrometastasis with ENE after BCS: Z0011 excluded gross ENE, SENOMAC/POSNOC allowed ENE; the contract "
  "does not say gross vs microscopic, so omission, axillary RT and ALND are all defensible; not 'none needed'.",
  merge(base(), {"nodes": {"deposits": [dep(1, 4.5, ene=True)]}}),
  {"axillary_surgery": ["omit_alnd", "alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": ["none_needed"]})

V("up-macro1-bcs-t3", "upfront",
  "cT3 (60 mm) BCS with one SLN macrometastasis: outside Z0011 (cT1-2) but inside SENOMAC (T1-T3) -> omission "
  "or axillary RT/ALND; never 'none needed'.",
  merge(base(), {"tumour": {"size_mm": 60.0}, "nodes": {"deposits": [dep(1, 3.0)]}}),
  {"axillary_surgery": ["omit_alnd", "alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": ["none_needed"]})

V("up-cn1-biopsied-macro", "upfront",
  "Biopsy-proven cN1 with upfront BCS, SLNB finds one macrometastasis: Z0011 excluded palpable/proven nodes "
  "(clinical-knowledge D1: a biopsy-proven node makes the SLNB-alone pathway inapplicable) -> ALND (or AMAROS/"
  "OTOASOR axillary RT in selected cases).",
  merge(base(), {"clinical_nodes": "cN1", "axillary_ultrasound": "suspicious", "nodes": {"deposits": [dep(1, 8.0)]}}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("up-cn1-biopsied-micro", "upfront",
  "cN1 (clinically node-positive) with upfront BCS, SLNB shows only a micrometastasis: IBCSG 23-01 and Z0011 "
  "both required clinically node-negative axillae -> ALND or axillary RT (ASCO 2021: ALND for cN+ upfront).",
  merge(base(), {"clinical_nodes": "cN1", "axillary_ultrasound": "suspicious", "nodes": {"deposits": [dep(1, 1.5)]}}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("up-us-suspicious-not-biopsied-micro", "upfront",
  "Suspicious axillary US never biopsied, clinically cN0, SLNB: one micrometastasis. IBCSG 23-01 and Z0011 staged "
  "the axilla clinically; the SLN itself now shows low volume -> no ALND.",
  merge(base(), {"axillary_ultrasound": "suspicious", "nodes": {"deposits": [dep(1, 1.1)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["none_needed"]})

V("up-mapping-failure", "upfront",
  "SLNB attempted in a 52-year-old premenopausal woman (not an omission candidate: ASCO 2025 needs postmenopausal "
  "and >=50), no sentinel node found (mapping failure): the axilla is unstaged -> ALND (NCCN/ASCO: level I/II "
  "dissection when the SLN is not identified); omission of axillary treatment is not supported.",
  merge(base(), {"age": 52, "menopausal_status": "pre", "tumour": {"grade": 3, "ki67_percent": 35},
                 "nodes": {"examined": 0, "sentinel_nodes_removed": 0, "deposits": []}}),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "insufficient_data"]},
  {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("up-imn-sentinel-only", "upfront",
  "Internal-mammary sentinel node with a microscopic metastasis, axillary SLNs negative (pN1b): no axillary "
  "dissection (the axilla is staged negative); IMN disease -> RNI including the internal mammary chain "
  "(EORTC 22922, MA.20, DBCG-IMN).",
  merge(base(), {"tumour": {"size_mm": 19.0}, "nodes": {"internal_mammary": "sentinel_microscopic"}}),
  {"axillary_surgery": ["none_needed", "omit_alnd"], "regional_nodal_irradiation": ["recommended", "discuss"]},
  {"axillary_surgery": ["alnd"], "regional_nodal_irradiation": ["not_indicated"]})

V("up-alnd-4pos-mastectomy", "upfront",
  "Mastectomy + SLNB then ALND, 4 positive nodes (pN2a): PMRT and RNI indicated (clinical-knowledge R4/R5: >=4 "
  "positive nodes; EBCTCG 2014).",
  merge(base(), {"surgery": {"breast": "mastectomy", "margins_mm": 4.0},
                 "nodes": {"procedure": "slnb_then_alnd", "examined": 14, "sentinel_nodes_removed": 2,
                           "deposits": [dep(1, 6.0), dep(2, 4.0), dep(5, 3.0), dep(8, 2.5)]}}),
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"], "regional_nodal_irradiation": ["not_indicated"]})

# ================================================================= upfront: unknowns that do / do not matter
V("up-mi-bcs-tracers-unknown", "unknowns",
  "pN1mi after upfront BCS + SLNB with the tracers, the sentinel count and the node count unrecorded: IBCSG 23-01 "
  "omission does not depend on them (the deposit is found and is a micrometastasis) -> omit ALND, no block.",
  merge(base(), {"nodes": {"examined": None, "sentinel_nodes_removed": None, "tracers": None,
                           "deposits": [dep(1, 1.3)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed", "insufficient_data"]})

V("up-mi-breast-surgery-unknown", "unknowns",
  "pN1mi after SLNB with the breast operation unrecorded: IBCSG 23-01 included BCS and mastectomy, ESMO/St Gallen "
  "omit ALND for micrometastases irrespective of surgery type -> omit ALND whatever the breast surgery.",
  merge(base(), {"surgery": {"breast": None, "margins_mm": None}, "nodes": {"deposits": [dep(1, 0.7)]}}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed", "insufficient_data"]})

V("up-itc-ene-unknown", "unknowns",
  "ITC only with ENE unrecorded: ITC nodes are N0 and need no axillary treatment (ASCO/NCCN/ESMO); ENE of an "
  "ITC cannot change that.",
  merge(base(), {"nodes": {"deposits": [dep(1, 0.1, ene=None)]}}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "insufficient_data"]})

V("up-macro1-breast-surgery-unknown", "unknowns",
  "One SLN macrometastasis with the breast operation unrecorded: BCS + WBRT -> Z0011 omission; mastectomy -> "
  "AMAROS axillary RT or ALND / SENOMAC with PMRT. The missing field can change the answer -> insufficient data "
  "naming surgery.breast (or a treatment answer that holds for both: axillary RT or ALND).",
  merge(base(), {"surgery": {"breast": None, "margins_mm": None}, "nodes": {"deposits": [dep(1, 3.2)]}}),
  {"axillary_surgery": ["insufficient_data", "axillary_rt_or_alnd"]},
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": ["surgery.breast"]})

V("up-macro1-cn-unknown", "unknowns",
  "One SLN macrometastasis after BCS with the pre-operative clinical nodal status unrecorded: Z0011 needs cN0 (no "
  "palpable adenopathy); biopsy-proven cN1 -> ALND. Written blind as 'insufficient data naming clinical_nodes'; "
  "lead's decision: a sentinel biopsy at upfront surgery is the staging operation of a clinically node-negative "
  "axilla (ASCO 2021: biopsy-proven cN1 goes to ALND or neoadjuvant therapy), so the Z0011 omission stands with "
  "clinical_nodes named as its condition - never a clinical 'none needed'.",
  merge(base(), {"clinical_nodes": None, "nodes": {"deposits": [dep(1, 3.0)]}}),
  {"axillary_surgery": ["omit_alnd", "insufficient_data", "alnd", "axillary_rt_or_alnd"]},
  {"axillary_surgery": ["none_needed"]})

V("up-mi-neoadjuvant-unknown", "unknowns",
  "SLN micrometastasis with the neoadjuvant flag unrecorded: upfront -> no ALND (IBCSG 23-01); after neoadjuvant "
  "therapy -> ypN1mi -> ALND (NCCN/ASCO 2021; UK ABS/RCR 2019). Written blind as 'insufficient data naming "
  "neoadjuvant'; lead's decision: AJCC 8 writes the yp prefix only when neoadjuvant therapy is stated, so the "
  "nodes are pN1mi and every decision reads an unrecorded flag as upfront surgery - omit ALND.",
  merge(base(), {"neoadjuvant": None, "nodes": {"deposits": [dep(1, 1.2)]}}),
  {"axillary_surgery": ["omit_alnd"]},
  {"axillary_surgery": ["none_needed"]})

V("up-macro3-neoadjuvant-and-cn-unknown", "unknowns",
  "Three SLN macrometastases with the neoadjuvant flag and the clinical nodal status unrecorded: upfront -> ALND (Z0011 "
  "excluded >= 3 positive SLNs; cN1 -> ALND), after neoadjuvant therapy -> ALND (residual nodal disease, NCCN) -> "
  "the unknowns cannot change the answer: no block.",
  merge(base(), {"neoadjuvant": None, "clinical_nodes": None,
                 "nodes": {"examined": 3, "sentinel_nodes_removed": 3,
                           "deposits": [dep(1, 5.0), dep(2, 4.0), dep(3, 3.0)]}}),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": [*NO_AXILLARY_TREATMENT, "insufficient_data"]})

V("up-itc-neoadjuvant-unknown", "unknowns",
  "ITC only on SLNB with the neoadjuvant flag unrecorded: upfront -> nothing further (ASCO/NCCN/ESMO), after "
  "neoadjuvant therapy ypN0(i+) -> ALND (NCCN; UK ABS/RCR 2019). Written blind as 'insufficient data naming "
  "neoadjuvant'; lead's decision as for up-mi-neoadjuvant-unknown: pN0(i+), upfront - nothing further.",
  merge(base(), {"neoadjuvant": None, "nodes": {"deposits": [dep(1, 0.1)]}}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["insufficient_data"]})

# ======================================================================== planned surgery: SLNB omission
V("pre-70-cw-bcs", "slnb_omission",
  "74, postmenopausal, cT1c (15 mm) G2 HR+/HER2- cN0, normal axillary US, BCS planned: SLNB may be omitted (SSO "
  "Choosing Wisely >=70 HR+ cN0; SOUND; INSEMA; ASCO 2025).",
  planned(age=74, tumour={"size_mm": 15.0}),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["insufficient_data"]})

V("pre-65-sound-bcs", "slnb_omission",
  "65, postmenopausal, cT1b (9 mm) G1 HR+/HER2-, negative axillary US, BCS + WBRT: ASCO 2025 (Park 2025) criteria "
  "all met -> SLNB need not be performed (SOUND, INSEMA).",
  planned(age=65, tumour={"size_mm": 9.0, "grade": 1, "ki67_percent": 5}),
  {"sentinel_biopsy": ["omission_possible"]})

V("pre-65-grade3", "slnb_omission",
  "65, postmenopausal, cT1c grade 3 HR+/HER2-: ASCO 2025 omission requires grade 1-2 and the patient is <70 "
  "(Choosing Wisely does not apply) -> SLNB.",
  planned(age=65, tumour={"grade": 3, "ki67_percent": 35}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-48-premenopausal", "slnb_omission",
  "48, premenopausal, cT1b G1 HR+/HER2-, negative US, BCS: ASCO 2025 requires postmenopausal and >=50 -> SLNB.",
  planned(age=48, menopausal_status="pre", tumour={"size_mm": 8.0, "grade": 1}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-48-postmenopausal", "slnb_omission",
  "48, postmenopausal (after oophorectomy), cT1b G1 HR+/HER2-, negative US, BCS: ASCO 2025 requires age >=50 as "
  "well as postmenopausal -> SLNB.",
  planned(age=48, menopausal_status="post", tumour={"size_mm": 8.0, "grade": 1}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-60-ct2", "slnb_omission",
  "60, postmenopausal, cT2 (35 mm) G2 HR+/HER2-, negative US, BCS: ASCO 2025 and SOUND need cT <=2 cm; INSEMA "
  "allowed <=5 cm but was ~90% T1 -> SLNB.",
  planned(age=60, tumour={"size_mm": 35.0}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-68-mastectomy", "slnb_omission",
  "68, postmenopausal, cT1c G2 HR+/HER2-, negative US, mastectomy planned: ASCO 2025 omission needs BCS with "
  "planned WBRT (SOUND/INSEMA were BCS trials) and she is <70 -> SLNB.",
  planned(age=68, surgery={"breast": "mastectomy"}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-74-her2pos", "slnb_omission",
  "74, cT1c HER2-positive: Choosing Wisely and ASCO 2025 omission are for HR+/HER2- only; nodal status changes "
  "HER2 therapy -> SLNB.",
  planned(age=74, tumour={"her2_ihc": "3+", "grade": 3}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-74-tnbc", "slnb_omission",
  "74, cT1c triple-negative: omission criteria require HR+ (Choosing Wisely, ASCO 2025) -> SLNB.",
  planned(age=74, tumour={"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "grade": 3, "ki67_percent": 60}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-60-us-suspicious", "slnb_omission",
  "60, cT1c G2 HR+/HER2-, clinically cN0 but the axillary US is suspicious and was not biopsied: SOUND/ASCO 2025 "
  "need a negative US; a suspicious node needs US-guided core/FNA first (clinical-knowledge D1) -> SLNB omission "
  "is not possible.",
  planned(age=60, axillary_ultrasound="suspicious"),
  {"sentinel_biopsy": ["recommended", "insufficient_data"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-75-us-suspicious", "slnb_omission",
  "75, cT1c G2 HR+/HER2-, suspicious axillary US not biopsied: Choosing Wisely presumes a clinically node-negative "
  "axilla; a suspicious node must be biopsied before axillary staging can be skipped.",
  planned(age=75, axillary_ultrasound="suspicious"),
  {"sentinel_biopsy": ["recommended", "insufficient_data"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-72-cn1-biopsied", "slnb_omission",
  "72, cT1c HR+/HER2-, biopsy-proven cN1: not cN0, so Choosing Wisely/SOUND do not apply; SLNB alone is not the "
  "pathway either (ALND or axillary treatment) -> never 'omission possible'.",
  planned(age=72, clinical_nodes="cN1", axillary_ultrasound="suspicious"),
  {"sentinel_biopsy": ["not_applicable", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-60-wbrt-declined", "slnb_omission",
  "60, postmenopausal, cT1b G1 HR+/HER2-, negative US, BCS but whole-breast RT declined: SOUND and INSEMA gave "
  "WBRT and ASCO 2025 requires planned WBRT; SLNB omission and RT omission are not combined below 70 (clinical-"
  "knowledge R3) -> SLNB.",
  planned(age=60, tumour={"size_mm": 9.0, "grade": 1}, preferences={"declined": ["whole_breast_rt"]}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-male-72", "slnb_omission",
  "Male, 72, cT1c HR+/HER2-, cN0, negative US, mastectomy planned: Choosing Wisely is worded for women, SOUND and "
  "INSEMA enrolled women having BCS + WBRT -> SLNB (no evidence for omission in men).",
  merge(planned(age=72, surgery={"breast": "mastectomy"}), {"sex": "male", "menopausal_status": None}),
  {"sentinel_biopsy": ["recommended"]})

V("pre-75-grade-unknown", "unknowns",
  "75, cT1c HR+/HER2-, cN0, negative US, BCS, grade unrecorded: Choosing Wisely (>=70) has no grade criterion -> "
  "omission possible; the missing grade cannot change it.",
  planned(age=75, tumour={"grade": None}),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["insufficient_data"]})

V("pre-75-menopause-unknown", "unknowns",
  "75, cT1c G2 HR+/HER2-, cN0, negative US, BCS, menopausal status unrecorded: at 75 Choosing Wisely applies by "
  "age alone -> omission possible; the field cannot change it.",
  planned(age=75, menopausal_status=None),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["insufficient_data"]})

V("pre-62-grade-unknown", "unknowns",
  "62, postmenopausal, cT1c HR+/HER2-, negative US, BCS, grade unrecorded: ASCO 2025 omission requires grade 1-2 "
  "(grade 3 -> SLNB) -> the grade can change the answer: insufficient data naming tumour.grade.",
  planned(age=62, tumour={"grade": None}),
  {"sentinel_biopsy": ["insufficient_data", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]},
  {"sentinel_biopsy": ["tumour.grade"]})

V("pre-62-us-unknown", "unknowns",
  "62, postmenopausal, cT1c G2 HR+/HER2-, BCS, axillary US unrecorded: SOUND/ASCO 2025 require a negative "
  "pre-operative US -> the field can change the answer: insufficient data naming axillary_ultrasound.",
  planned(age=62, axillary_ultrasound=None),
  {"sentinel_biopsy": ["insufficient_data", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]},
  {"sentinel_biopsy": ["axillary_ultrasound"]})

V("pre-74-her2-unknown", "unknowns",
  "74, cT1c G2 ER 95%, cN0, negative US, BCS, HER2 not reported: omission is for HR+/HER2- only (Choosing Wisely, "
  "ASCO 2025); HER2-positive -> SLNB -> insufficient data naming tumour.her2_ihc.",
  planned(age=74, tumour={"her2_ihc": None}),
  {"sentinel_biopsy": ["insufficient_data", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]},
  {"sentinel_biopsy": ["tumour.her2_ihc"]})

# ================================================ session 2026-12-01 (local-patient): IMN-only disease, US at >= 70
V("up-imn-only-pn2b-bcs", "upfront",
  "Clinically detected internal mammary node (cN2b) with a clinically negative axilla; BCS + SLNB, both sentinel "
  "nodes negative: pN2b (AJCC 8: clinically detected IMN, pathologically negative axillary nodes). The axilla is "
  "staged negative by the sentinel biopsy (NSABP B-32: no ALND after a negative SLNB), so no completion ALND and no "
  "axillary RT for the axilla; the IMN are treated by regional nodal RT including the IMN (NCCN; EORTC 22922).",
  merge(base(), {"clinical_nodes": "cN2b", "nodes": {"internal_mammary": "clinically_detected"}}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "insufficient_data"]})

V("up-imn-only-pn1b-mastectomy", "upfront",
  "IMN sentinel node with a microscopic metastasis, axillary sentinel nodes negative, mastectomy: pN1b (AJCC 8). "
  "The axilla is negative: no ALND and no AMAROS axillary RT for it (AMAROS/Z0011 concern positive axillary "
  "sentinel nodes); the IMN chain is treated with nodal RT.",
  merge(base(), {"surgery": {"breast": "mastectomy"}, "nodes": {"internal_mammary": "sentinel_microscopic"}}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "insufficient_data"]})

V("pre-74-cw-us-unrecorded", "slnb_omission",
  "74, postmenopausal, cT1c (15 mm) G2 HR+/HER2- cN0 on examination, axillary ultrasound not recorded, BCS planned, "
  "endocrine therapy intended: SSO Choosing Wisely 2016 (>= 70, HR+, clinically node-negative, endocrine therapy) "
  "does not ask for an axillary ultrasound -> omission possible; the ultrasound must not hold the decision.",
  planned(age=74, tumour={"size_mm": 15.0}, axillary_ultrasound=None),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["insufficient_data"]})

V("pre-74-cw-us-suspicious", "slnb_omission",
  "74, cT1c HR+/HER2-, cN0 on examination but a suspicious axillary ultrasound not yet biopsied: a suspicious node "
  "needs a US-guided biopsy before surgery (NCCN; ASCO 2025); omission is not offered on a suspicious axilla.",
  planned(age=74, tumour={"size_mm": 15.0}, axillary_ultrasound="suspicious"),
  {"sentinel_biopsy": ["recommended", "not_applicable"]}, {"sentinel_biopsy": ["omission_possible"]})

V("pre-64-sound-us-unrecorded", "slnb_omission",
  "64, postmenopausal, cT1b G1 HR+/HER2-, BCS + WBRT planned, axillary ultrasound not recorded: the SOUND / ASCO "
  "2025 path requires a negative axillary ultrasound and she is < 70 -> the ultrasound decides (insufficient data "
  "naming it, or SLNB with the ultrasound asked for); never omission.",
  planned(age=64, tumour={"size_mm": 9.0, "grade": 1, "ki67_percent": 5}, axillary_ultrasound=None),
  {"sentinel_biopsy": ["insufficient_data", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]},
  missing={"sentinel_biopsy": ["axillary_ultrasound"]})

# ============================================================================ after neoadjuvant therapy
V("nst-cn0-2sln-single-ypn0", "post_nst",
  "cN0 before NACT, SLNB after NACT (2 SLNs, single tracer) ypN0: no ALND (NCCN; ASCO 2021: SLNB after NST for "
  "cN0 is accurate; the >=3 SLN / dual tracer / clip requirements are for cN1 -> ycN0).",
  nst("cN0", None, nodes={"tracers": SINGLE}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "insufficient_data"]})

V("nst-cn0-ypn0-itc", "post_nst",
  "cN0 before NACT, SLNB ypN0(i+): residual ITC is residual nodal disease -> ALND (NCCN; ASCO 2021; UK ABS/RCR "
  "2019 'any residual disease incl. ITC -> offer ALND'); some versions allow nodal RT (A011202 pending).",
  nst("cN0", None, nodes={"deposits": [dep(1, 0.1)]}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn0-ypn1mi", "post_nst",
  "cN0 before NACT, SLNB ypN1mi: ALND (NCCN; ASCO 2021; IBCSG 23-01 does not apply after NST; Moo 2018: ~64% "
  "further nodes with residual micrometastases).",
  nst("cN0", None, nodes={"deposits": [dep(1, 1.0)]}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn1-3sln-dual-clip-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, TAD: 3 SLNs, dual tracer, clipped node retrieved, all negative (ypN0): no ALND "
  "(Z1071 FNR 9.1% with >=3 SLNs, 6.8% with the clip in the SLNs; Caudle TAD; NCCN/ASCO 2021).",
  nst("cN1", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL,
                          "clipped_node": "retrieved"}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "insufficient_data"]})

V("nst-cn1-4sln-dual-noclip-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, 4 SLNs by dual mapping (no clip placed), ypN0: adequate (Z1071 >=3 SLNs 9.1%, dual "
  "tracer 10.8%; UK ABS/RCR 2019: 4 nodes by dual mapping) -> no ALND.",
  nst("cN1", True, nodes={"examined": 4, "sentinel_nodes_removed": 4, "tracers": DUAL,
                          "clipped_node": "not_placed"}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "insufficient_data"]})

V("nst-cn1-2sln-dual-noclip-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, 2 SLNs (dual tracer), no clip, ypN0: FNR 21.1% with 2 SLNs (Z1071), 18.5% "
  "(SENTINA); fewer than the >=3 SLNs needed and no clipped node -> staging inadequate: ALND (or axillary RT), not "
  "omission.",
  nst("cN1", True, nodes={"examined": 2, "sentinel_nodes_removed": 2, "tracers": DUAL,
                          "clipped_node": "not_placed"}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn1-1sln-single-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, 1 SLN, single tracer, no clip, ypN0: FNR 31% with one SLN and 20.3% with a single "
  "tracer (Z1071), 24.3% (SENTINA) -> ALND (or axillary RT).",
  nst("cN1", True, nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": SINGLE,
                          "clipped_node": "not_placed"}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn1-3sln-single-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, 3 SLNs by a single tracer, no clip, ypN0: Z1071 FNR 9.1% with >=3 SLNs but single "
  "tracer 20.3%; ASCO 2021 accepts >=3 SLNs or dual tracer or clip -> contested; both answers listed.",
  nst("cN1", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": SINGLE,
                          "clipped_node": "not_placed"}),
  {"axillary_surgery": [*NO_AXILLARY_TREATMENT, *AXILLARY_TREATMENT]}, {"axillary_surgery": ["insufficient_data"]})

V("nst-cn1-4sln-dual-clip-missed-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, 4 SLNs by dual tracer all negative, but the clipped (biopsy-proven) node was NOT "
  "retrieved: the known-positive node is unexamined (Z1071: clip outside the SLNs FNR 19.0%; MD Anderson: the "
  "clipped node was the only positive node in 52%) -> retrieve it or treat the axilla; never 'no treatment'.",
  nst("cN1", True, nodes={"examined": 4, "sentinel_nodes_removed": 4, "tracers": DUAL,
                          "clipped_node": "not_retrieved"}),
  {"axillary_surgery": [*AXILLARY_TREATMENT, "insufficient_data"]}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn1-2sln-dual-clip-retrieved-ypn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0, TAD with the clipped node retrieved among 2 SLNs (dual tracer), ypN0: targeted "
  "axillary dissection is accepted as adequate (Caudle 2016; Z1071: clip in the SLN specimen FNR 6.8%; ASCO 2021 "
  "lists clipped node retrieval) -> no ALND.",
  nst("cN1", True, nodes={"examined": 2, "sentinel_nodes_removed": 2, "tracers": DUAL,
                          "clipped_node": "retrieved"}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["insufficient_data"]})

V("nst-cn1-tad-ypn0-itc", "post_nst",
  "Biopsy-proven cN1 -> ycN0, adequate TAD (3 SLNs, dual, clip retrieved) showing ypN0(i+): residual ITC -> ALND "
  "(NCCN; UK ABS/RCR 2019; Moo 2018 ~17% further nodes), or nodal RT per A011202 context.",
  nst("cN1", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL, "clipped_node": "retrieved",
                          "deposits": [dep(2, 0.15)]}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn1-tad-ypn1mi", "post_nst",
  "Biopsy-proven cN1 -> ycN0, TAD ypN1mi (clipped node 1.2 mm): ALND (NCCN; ASCO 2021; UK ABS/RCR 2019); "
  "A011202 (ALND vs nodal RT) results pending; nodal RT recommended for residual nodal disease.",
  nst("cN1", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL, "clipped_node": "retrieved",
                          "deposits": [dep(1, 1.2)]}),
  {"axillary_surgery": AXILLARY_TREATMENT, "regional_nodal_irradiation": ["recommended", "discuss"]},
  {"axillary_surgery": NO_AXILLARY_TREATMENT, "regional_nodal_irradiation": ["not_indicated"]})

V("nst-cn1-tad-ypn1a", "post_nst",
  "Biopsy-proven cN1 -> ycN0, TAD finds a 4 mm residual macrometastasis (ypN1a): ALND standard until A011202 "
  "reports (Alliance A011202 design: SLN+ after NAC -> ALND + nodal RT vs nodal RT); RNI recommended.",
  nst("cN1", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL, "clipped_node": "retrieved",
                          "deposits": [dep(1, 4.0)]}),
  {"axillary_surgery": AXILLARY_TREATMENT, "regional_nodal_irradiation": ["recommended", "discuss"]},
  {"axillary_surgery": NO_AXILLARY_TREATMENT, "regional_nodal_irradiation": ["not_indicated"]})

V("nst-cn1-mapping-failure", "post_nst",
  "Biopsy-proven cN1 -> ycN0, no sentinel node found after NACT (mapping failure): the axilla is unstaged -> ALND "
  "(NCCN; ASCO 2021).",
  nst("cN1", True, nodes={"examined": 0, "sentinel_nodes_removed": 0, "tracers": DUAL, "clipped_node": "not_placed"}),
  {"axillary_surgery": [*AXILLARY_TREATMENT, "insufficient_data"]}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn2-ypn0-slnb", "post_nst",
  "cN2a (matted/fixed) before NACT, SLNB 3 SLNs dual tracer ypN0: SLNB after NST is validated only for cN1 "
  "(Z1071, SN FNAC, SENTINA enrolled cN1) -> ALND.",
  nst("cN2a", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL, "clipped_node": "retrieved"}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": NO_AXILLARY_TREATMENT})

V("nst-cn1-planned-still-ycn1", "post_nst",
  "Biopsy-proven cN1 that stays clinically node-positive after NACT (ycN1), surgery planned: SLNB is not the "
  "pathway (Z1071/SENTINA required ycN0) -> no SLNB omission; ALND.",
  merge(nst("cN1", True), {"clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
                           "surgery": {"status": "planned", "date": "2026-12-20", "margins_mm": None},
                           "nodes": {"procedure": "none", "examined": 0, "sentinel_nodes_removed": None,
                                     "tracers": None, "deposits": []}}),
  {"sentinel_biopsy": ["not_applicable", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("nst-cn1-planned-ycn0", "post_nst",
  "Biopsy-proven cN1 -> ycN0 after NACT, surgery planned: SLNB/TAD (dual tracer, >=3 SLNs, clipped node) is the "
  "standard staging (Z1071, SENTINA, SN FNAC; NCCN) -> SLNB recommended, never omitted (SOUND/INSEMA excluded NST).",
  merge(nst("cN1", True), {"surgery": {"status": "planned", "date": "2026-12-20", "margins_mm": None},
                           "nodes": {"procedure": "none", "examined": 0, "sentinel_nodes_removed": None,
                                     "tracers": None, "deposits": []}}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

V("nst-mastectomy-ypn1-alnd-done", "post_nst",
  "cN1 -> NACT -> mastectomy, SLNB then ALND: 2 residual macrometastases (ypN1a): PMRT and RNI recommended for "
  "residual nodal disease after NST (NCCN; clinical-knowledge A3/R5).",
  nst("cN1", True, surgery={"breast": "mastectomy", "margins_mm": 5.0},
      nodes={"procedure": "slnb_then_alnd", "examined": 12, "sentinel_nodes_removed": 3, "tracers": DUAL,
             "clipped_node": "retrieved", "deposits": [dep(1, 5.0), dep(6, 3.0)]}),
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"], "regional_nodal_irradiation": ["not_indicated"]})

# ============================================================== after neoadjuvant therapy: unknowns
V("nst-pre-nodes-unknown-2sln-single", "unknowns",
  "After NACT, 2 SLNs by a single tracer, ypN0, pre-treatment nodal status unrecorded: cN0 before -> no ALND; "
  "cN1 before -> inadequate staging (Z1071/SENTINA) -> ALND. The field changes the answer -> insufficient data "
  "naming neoadjuvant_therapy.pre_treatment_clinical_nodes.",
  nst(None, None, nodes={"tracers": SINGLE, "clipped_node": "not_placed"}),  # type: ignore[arg-type]
  {"axillary_surgery": ["insufficient_data", *AXILLARY_TREATMENT]}, {"axillary_surgery": NO_AXILLARY_TREATMENT},
  {"axillary_surgery": ["neoadjuvant_therapy.pre_treatment_clinical_nodes"]})

V("nst-cn1-3sln-tracers-unknown", "unknowns",
  "Biopsy-proven cN1 -> ycN0, 3 SLNs, tracers unrecorded, no clip, ypN0: dual vs single tracer changes the FNR "
  "(Z1071 10.8% vs 20.3%; SN FNAC 5.2% vs 16%) -> insufficient data naming nodes.tracers (ASCO 2021 may accept "
  ">=3 SLNs alone: no axillary treatment also acceptable); never a guess of ALND without saying what is missing.",
  nst("cN1", True, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": None,
                          "clipped_node": "not_placed"}),
  {"axillary_surgery": ["insufficient_data", *NO_AXILLARY_TREATMENT]}, {},
  {"axillary_surgery": ["nodes.tracers"]})

V("nst-cn1-2sln-clip-unknown", "unknowns",
  "Biopsy-proven cN1 -> ycN0, 2 SLNs dual tracer, ypN0, whether a clip was placed/retrieved unrecorded: with the "
  "clipped node retrieved TAD is adequate (Caudle; Z1071 6.8%), without it 2 SLNs are not (21.1%) -> insufficient "
  "data naming nodes.clipped_node, or axillary treatment; never omission.",
  nst("cN1", True, nodes={"examined": 2, "sentinel_nodes_removed": 2, "tracers": DUAL, "clipped_node": None}),
  {"axillary_surgery": ["insufficient_data", *AXILLARY_TREATMENT]}, {"axillary_surgery": NO_AXILLARY_TREATMENT},
  {"axillary_surgery": ["nodes.clipped_node"]})

V("nst-cn1-biopsy-unknown-tad-adequate", "unknowns",
  "cN1 before NACT (biopsy not recorded) -> ycN0, 3 SLNs dual tracer, clip retrieved, ypN0: staging is adequate "
  "by the strictest criteria (Z1071/SN FNAC), so whether the node was biopsy-proven cannot change the answer -> no "
  "axillary treatment, no block.",
  nst("cN1", None, nodes={"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL, "clipped_node": "retrieved"}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "insufficient_data"]})

V("nst-cn1-sln-count-unknown-5-examined", "unknowns",
  "Biopsy-proven cN1 -> ycN0, dual tracer, clip retrieved, 5 nodes examined at SLNB but the sentinel count not "
  "recorded, ypN0: TAD with the clipped node retrieved and dual mapping is adequate whatever the count (Caudle; "
  "Z1071) -> no axillary treatment, no block.",
  nst("cN1", True, nodes={"examined": 5, "sentinel_nodes_removed": None, "tracers": DUAL,
                          "clipped_node": "retrieved"}),
  {"axillary_surgery": NO_AXILLARY_TREATMENT}, {"axillary_surgery": ["alnd", "insufficient_data"]})

V("nst-cn1-ypn1mi-tracers-unknown", "unknowns",
  "Biopsy-proven cN1 -> ycN0, SLNB ypN1mi with tracers and clip unrecorded: residual disease -> ALND whatever the "
  "mapping technique (NCCN; UK ABS/RCR 2019) -> the unknowns cannot change the answer: no block.",
  nst("cN1", True, nodes={"examined": 2, "sentinel_nodes_removed": None, "tracers": None, "clipped_node": None,
                          "deposits": [dep(1, 0.9)]}),
  {"axillary_surgery": AXILLARY_TREATMENT}, {"axillary_surgery": [*NO_AXILLARY_TREATMENT, "insufficient_data"]})


def render() -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS)


if __name__ == "__main__":
    ids = [row["id"] for row in ROWS]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate vignette ids")
    OUT.write_text(render(), encoding="utf-8")
    print(f"{len(ROWS)} vignettes -> {OUT}")
