"""Builds ``neoadjuvant_vignettes.jsonl``: tumour-board referrals after NEOADJUVANT systemic therapy, the hardest
post-operative decisions: what counts as residual disease (AJCC 8 yp rules: ypT from the largest residual invasive
focus, ypN0(i+), ypN0(mol+), ypN1mi; pCR = ypT0/is ypN0), the residual-disease therapies (CREATE-X capecitabine,
KATHERINE T-DM1, OlympiA olaparib with the CPS+EG score for HR+ disease, KEYNOTE-522 pembrolizumab continuation,
monarchE abemaciclib), the axilla after therapy (SLNB adequacy after cN1, ALND or axillary RT for residual nodal
disease, Alliance A011202), nodal and chest-wall RT after therapy (NSABP B-51, cN2-3 and cT4 whatever the response,
inflammatory cancer), and the stage reported as the clinical pre-treatment stage plus yp.

Written blind from the sources named in each vignette (AJCC 8th ed. ch. 48 and /work/shared/reference; the trial
publications and protocols; NCCN Breast v2025-2026; ESMO 2024) before micromets' rules were read or run on them;
nothing here imports micromets. Row format: that of the patient-factor vignettes (``expected`` = acceptable values,
``forbidden``, ``mentions``, ``no_insufficient_data``) plus ``staging``: expected values of ``staging.*`` and of
``findings.pathological_complete_response`` (key ``pcr``).

    .venv/bin/python tests/vignettes/neoadjuvant/build_neoadjuvant_vignettes.py   # rewrites the JSONL
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "neoadjuvant_vignettes.jsonl"

# ------------------------------------------------------------------------------------------ sources (short names)
AJCC = ("AJCC 8th ed. ch. 48 (post-therapy rules): ypT = largest contiguous focus of residual invasive carcinoma, "
        "(m) for several foci; ypN0(i+) = residual ITC, not counted as positive but not a pCR; ypN0(mol+) = RT-PCR only; "
        "ypN1mi = residual micrometastasis; pCR = no invasive carcinoma in breast or nodes (ypT0/is ypN0); ypTNM stage "
        "from the anatomic table, none for a pCR; the clinical (pre-treatment) prognostic stage is kept")
KATH = ("KATHERINE (von Minckwitz, NEJM 2019;380:617): residual invasive disease in breast or axillary nodes after "
        "neoadjuvant taxane + trastuzumab -> T-DM1 x14 (3-yr iDFS 88.3% vs 77.0%); pCR -> complete a year of "
        "trastuzumab +- pertuzumab (NCCN v2025 BINV-K; ESMO 2024)")
CREATEX = ("CREATE-X (Masuda, NEJM 2017;376:2147): HER2-negative residual invasive disease after neoadjuvant "
           "anthracycline/taxane -> capecitabine 6-8 cycles (TNBC DFS HR 0.58, OS HR 0.52); not for a pCR; NCCN v2025 "
           "limits it to TNBC")
OLYMPIA = ("OlympiA (Tutt, NEJM 2021;384:2394): gBRCA1/2 HER2-negative; after neoadjuvant chemotherapy TNBC with any "
           "non-pCR, HR+ with non-pCR AND CPS+EG >= 3 (Jeruss JCO 2008 / Mittendorf JCO 2011: clinical stage I-IIA 0, "
           "IIB-IIIA 1, IIIB-IIIC 2; pathological stage 0-I 0, IIA-IIIB 1, IIIC 2; ER-negative 1; nuclear grade 3 1); "
           "never after a pCR, never for HER2-positive disease")
KN522 = ("KEYNOTE-522 (Schmid, NEJM 2020;382:810; 2024 OS): pembrolizumab with neoadjuvant chemotherapy, then 9 "
         "adjuvant cycles WHATEVER the pathological response; no evidence for adjuvant pembrolizumab that was not "
         "given before surgery")
MONARCH = ("monarchE (Johnston, JCO 2020; Lancet Oncol 2023): HR+/HER2- with >= 4 positive axillary nodes, or 1-3 with "
           "grade 3 or tumour >= 5 cm, neoadjuvant chemotherapy allowed (nodes counted at surgery) -> abemaciclib 2 "
           "years; NATALEE (Slamon NEJM 2024) stage II-III, receptors of the most recent specimen")
AXILLA = ("NCCN v2025 BINV-D / ASCO 2021 / Alliance A011202 design: after neoadjuvant therapy any residual nodal disease "
          "on SLNB (ypN0(i+), ypN1mi or more) -> ALND (or, per A011202, axillary/nodal RT), never 'no further "
          "treatment'; ypN0 after cN0 -> no ALND; ypN0 after biopsy-proven cN1 trusted only with >= 3 SLNs, dual "
          "tracer or the clipped node retrieved (ACOSOG Z1071, SENTINA, SN FNAC)")
B51 = ("NSABP B-51/RTOG 1304 (Mamounas, SABCS 2023; NEJM 2025): biopsy-proven cN1 -> ypN0: regional nodal RT (and "
       "chest-wall RT after mastectomy) did not improve IBCR-FI, DFS or OS -> nodal RT may be omitted (NCCN v2025: "
       "consider); whole-breast RT after BCS was given in both arms; cN2-3 or cT4 were not in B-51")
LARGE = ("NCCN v2025 BINV-I / ESTRO-ACROP: cT4 (including inflammatory cT4d), cN2-3 before neoadjuvant therapy -> "
         "PMRT/whole-breast RT and comprehensive nodal RT whatever the response; residual nodal disease -> nodal RT; "
         "inflammatory cancer -> modified radical mastectomy with level I-II ALND, SLNB unreliable (NCCN IBC-1, "
         "international IBC expert panel, Ueno 2018)")
NOOMIT = ("Whole-breast RT after BCS: every omission trial (CALGB 9343, PRIME II, LUMINA, EUROPA) required primary "
          "surgery and pN0/cN0 without neoadjuvant chemotherapy -> RT recommended after neoadjuvant therapy")


def base(vid: str) -> dict[str, Any]:
    """A complete referral after neoadjuvant chemotherapy and BCS + SLNB; each vignette overrides what it tests."""
    return {
        "id": vid, "age": 46, "sex": "female", "menopausal_status": "pre", "detection": "symptomatic",
        "tumour": {"size_mm": 0, "t_extension": "none", "in_situ_only": False, "histology": "ductal", "grade": 3,
                   "nuclear_grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "1+", "ki67_percent": 60,
                   "lvi": False, "laterality": "left", "quadrant": "upper_outer"},
        "clinical_nodes": "cN0",
        "nodes": {"procedure": "slnb", "examined": 3, "sentinel_nodes_removed": 3,
                  "tracers": ["radioisotope", "blue_dye"], "deposits": [], "internal_mammary": "none",
                  "supraclavicular": False, "infraclavicular": False},
        "metastasis": "cM0", "neoadjuvant": True,
        "neoadjuvant_therapy": {"pre_treatment_size_mm": 32, "pre_treatment_clinical_nodes": "cN0",
                                "nodes_biopsy_proven": False, "pre_treatment_t_extension": "none",
                                "agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]},
        "axillary_ultrasound": "normal",
        "surgery": {"breast": "bcs", "status": "done", "date": "2026-09-01", "margins_mm": 3.0},
        "germline_brca": "negative", "charlson_index": 0, "ecog": 0, "lvef_percent": 62, "smoker": False,
        "conditions": {"dpd_deficiency": "none"},
    }


def her2(case: dict[str, Any], er: float = 0, pr: float = 0) -> None:
    case["tumour"].update(her2_ihc="3+", er_percent=er, pr_percent=pr)
    case["neoadjuvant_therapy"]["agents"] = ["taxane", "platinum", "trastuzumab", "pertuzumab"]


def hr_pos(case: dict[str, Any], grade: int = 2, nuclear: int | None = 2) -> None:
    case["tumour"].update(er_percent=95, pr_percent=60, her2_ihc="1+", grade=grade, nuclear_grade=nuclear,
                          ki67_percent=25)
    case["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
    case["age"], case["menopausal_status"] = 58, "post"


def node_positive_before(case: dict[str, Any], clinical: str = "cN1", clip: str | None = "retrieved") -> None:
    nt = case["neoadjuvant_therapy"]
    nt.update(pre_treatment_clinical_nodes=clinical, nodes_biopsy_proven=True)
    case["nodes"]["clipped_node"] = clip
    case["axillary_ultrasound"] = "suspicious"


def deposits(case: dict[str, Any], *deps: dict[str, Any], examined: int | None = None) -> None:
    case["nodes"]["deposits"] = [{"method": "he", "extranodal_extension": False, **d} for d in deps]
    if examined is not None:
        case["nodes"]["examined"] = examined
        if case["nodes"]["procedure"] == "slnb":
            case["nodes"]["sentinel_nodes_removed"] = examined


def alnd(case: dict[str, Any], examined: int = 14) -> None:
    case["nodes"].update(procedure="slnb_then_alnd", examined=examined)


def mastectomy(case: dict[str, Any]) -> None:
    case["surgery"]["breast"] = "mastectomy"


ROWS: list[dict[str, Any]] = []


def row(vid: str, source: str, case: dict[str, Any], expected: dict[str, list[str]] | None = None,
        forbidden: dict[str, list[str]] | None = None, mentions: dict[str, str] | None = None,
        no_insufficient_data: bool = False, staging: dict[str, Any] | None = None) -> None:
    assert case["id"] == vid
    ROWS.append({"id": vid, "source": source, "case": copy.deepcopy(case), "expected": expected or {},
                 "forbidden": forbidden or {}, "mentions": mentions or {},
                 "no_insufficient_data": no_insufficient_data, "staging": staging or {}})


NONE_AFTER = {"chemotherapy": ["not_indicated"]}   # completed neoadjuvant chemotherapy (vignettes README convention)
NODAL_RESIDUAL_AXILLA = ["alnd", "axillary_rt_or_alnd"]
NOT_NO_FURTHER = {"axillary_surgery": ["none_needed", "omit_alnd"]}

# ====================================================================================== HER2-positive (KATHERINE)
c = base("na-her2-ypt0-ypn1mi-only")
her2(c)
node_positive_before(c)
c["clinical_nodes"] = "cN0"
deposits(c, {"node": 2, "size_mm": 0.9}, examined=4)
row(c["id"], f"{KATH}; {AJCC}; {AXILLA}. Residual micrometastasis in one SLN only (breast ypT0): not a pCR, "
    "KATHERINE residual disease -> T-DM1; HER2+ -> no capecitabine (CREATE-X HER2-negative), no olaparib", c,
    {**NONE_AFTER, "her2_therapy": ["recommended"], "capecitabine": ["not_indicated"], "olaparib": ["not_indicated"],
     "immunotherapy": ["not_indicated"], "endocrine": ["not_indicated"], "axillary_surgery": NODAL_RESIDUAL_AXILLA,
     "regional_nodal_irradiation": ["recommended"], "whole_breast_rt": ["recommended"]},
    NOT_NO_FURTHER, {"her2_therapy": r"T-DM1|trastuzumab emtansine"},
    staging={"t": "ypT0", "n": "ypN1mi(sn)", "pcr": False, "anatomic_stage": "IB",
             "pathological_prognostic_stage": None})

c = base("na-her2-ypt1a-ypn0")
her2(c)
c["tumour"]["size_mm"] = 4
row(c["id"], f"{KATH}; {AJCC}. Residual 4 mm invasive focus, cN0 -> ypN0: residual disease -> T-DM1", c,
    {**NONE_AFTER, "her2_therapy": ["recommended"], "axillary_surgery": ["none_needed"],
     "capecitabine": ["not_indicated"], "regional_nodal_irradiation": ["not_indicated"]},
    mentions={"her2_therapy": r"T-DM1|trastuzumab emtansine"}, no_insufficient_data=True,
    staging={"t": "ypT1a", "n": "ypN0(sn)", "pcr": False, "anatomic_stage": "IA"})

c = base("na-her2-pcr")
her2(c)
row(c["id"], f"{KATH}; {AJCC}. ypT0 ypN0 = pCR: complete a year of trastuzumab +- pertuzumab (not T-DM1); no stage "
    "group for a pCR", c,
    {**NONE_AFTER, "her2_therapy": ["recommended"], "capecitabine": ["not_indicated"], "olaparib": ["not_indicated"]},
    mentions={"her2_therapy": r"trastuzumab"}, no_insufficient_data=True,
    staging={"t": "ypT0", "n": "ypN0(sn)", "pcr": True, "anatomic_stage": None,
             "pathological_prognostic_stage": None})

c = base("na-her2-yptis-ypn0")
her2(c)
c["tumour"].update(size_mm=0, in_situ_only=True)
row(c["id"], f"{KATH}; {AJCC}. Only DCIS left (ypTis ypN0) = pCR (ypT0/is ypN0, as KATHERINE and CTNeoBC define it): "
    "complete trastuzumab +- pertuzumab, T-DM1 not indicated", c,
    {**NONE_AFTER, "her2_therapy": ["recommended"], "capecitabine": ["not_indicated"]},
    staging={"t": "ypTis", "n": "ypN0(sn)", "pcr": True})

c = base("na-her2-ypn0-itc")
her2(c)
deposits(c, {"node": 1, "size_mm": 0.15, "cells": 40, "method": "ihc"})
row(c["id"], f"{AJCC}; {KATH}; {AXILLA}. ypT0 ypN0(i+): residual ITC is NOT a pCR under AJCC 8 -> HER2 therapy "
    "continues (T-DM1 for residual disease); the axilla needs ALND or axillary RT", c,
    {**NONE_AFTER, "her2_therapy": ["recommended"], "axillary_surgery": NODAL_RESIDUAL_AXILLA},
    NOT_NO_FURTHER, staging={"t": "ypT0", "n": "ypN0(i+)(sn)", "pcr": False})

c = base("na-her2-no-trastuzumab-before")
her2(c)
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
c["tumour"]["size_mm"] = 12
row(c["id"], f"{KATH}. HER2+ given neoadjuvant chemotherapy WITHOUT trastuzumab (KATHERINE required it), residual "
    "ypT1c: HER2-directed therapy is still recommended (adjuvant trastuzumab-based, NCCN; T-DM1 off-trial) - never "
    "withheld", c, {**NONE_AFTER, "her2_therapy": ["recommended"]}, {"her2_therapy": ["not_indicated"]})

c = base("na-her2-agents-unrecorded")
her2(c)
del c["neoadjuvant_therapy"]["agents"]
c["tumour"]["size_mm"] = 12
row(c["id"], f"{KATH}. HER2+ residual ypT1c with the neoadjuvant agents not recorded: HER2-directed therapy is "
    "recommended whether or not trastuzumab was given (T-DM1 or trastuzumab-based), so the agents cannot change "
    "her2_therapy; capecitabine (HER2-negative only) and olaparib (HER2-negative only) stay not indicated", c,
    {"her2_therapy": ["recommended"], "capecitabine": ["not_indicated"], "olaparib": ["not_indicated"]})

c = base("na-her2-er-pos-residual")
her2(c, er=80, pr=30)
c["tumour"]["size_mm"] = 15
c["age"], c["menopausal_status"] = 55, "post"
row(c["id"], f"{KATH}; EBCTCG: ER-positive -> endocrine therapy. HER2+ ER+ residual ypT1c ypN0: T-DM1 plus "
    "endocrine therapy; no CDK4/6 inhibitor (monarchE/NATALEE HER2-negative only)", c,
    {**NONE_AFTER, "her2_therapy": ["recommended"], "endocrine": ["recommended"], "cdk46_inhibitor": ["not_indicated"],
     "capecitabine": ["not_indicated"]})

c = base("na-her2-gbrca-residual")
her2(c)
c["tumour"]["size_mm"] = 15
c["germline_brca"] = "brca2"
row(c["id"], f"{OLYMPIA}; {KATH}. HER2+ with gBRCA2 and residual disease: OlympiA enrolled HER2-negative only -> "
    "olaparib not indicated; T-DM1", c, {"her2_therapy": ["recommended"], "olaparib": ["not_indicated"]},
    {"olaparib": ["recommended"]})

c = base("na-her2-ypn1a-mastectomy")
her2(c)
node_positive_before(c)
mastectomy(c)
alnd(c)
c["tumour"]["size_mm"] = 8
deposits(c, {"node": 1, "size_mm": 4.0}, {"node": 3, "size_mm": 1.1})
row(c["id"], f"{KATH}; {LARGE}; {AJCC}. ypT1b ypN1a (2 positive nodes after ALND), mastectomy: residual nodal disease "
    "-> PMRT with nodal RT; T-DM1", c,
    {"her2_therapy": ["recommended"], "post_mastectomy_rt": ["recommended"],
     "regional_nodal_irradiation": ["recommended"]},
    staging={"t": "ypT1b", "n": "ypN1a", "pcr": False, "anatomic_stage": "IIA"})

# ====================================================================================== triple-negative
c = base("na-tnbc-ypt0-ypn1mi-pembro")
node_positive_before(c)
deposits(c, {"node": 1, "size_mm": 1.5}, examined=3)
row(c["id"], f"{KN522}; {AJCC}; {AXILLA}. TNBC ypT0 ypN1mi after KEYNOTE-522: NOT a pCR (nodal micrometastasis); "
    "continue pembrolizumab; ALND or axillary RT; nodal RT", c,
    {**NONE_AFTER, "immunotherapy": ["recommended"], "axillary_surgery": NODAL_RESIDUAL_AXILLA,
     "regional_nodal_irradiation": ["recommended"], "her2_therapy": ["not_indicated"],
     "olaparib": ["not_indicated"], "whole_breast_rt": ["recommended"]},
    {**NOT_NO_FURTHER, "capecitabine": ["not_indicated"]},
    staging={"t": "ypT0", "n": "ypN1mi(sn)", "pcr": False, "anatomic_stage": "IB"})

c = base("na-tnbc-pcr-pembro-gbrca1")
c["germline_brca"] = "brca1"
row(c["id"], f"{KN522}; {OLYMPIA}; {CREATEX}; {AJCC}. TNBC pCR after KEYNOTE-522 with gBRCA1: continue pembrolizumab "
    "(regardless of pCR); no olaparib (OlympiA needed non-pCR); no capecitabine (CREATE-X residual only)", c,
    {**NONE_AFTER, "immunotherapy": ["recommended"], "olaparib": ["not_indicated"], "capecitabine": ["not_indicated"],
     "axillary_surgery": ["none_needed"]}, no_insufficient_data=True,
    staging={"t": "ypT0", "n": "ypN0(sn)", "pcr": True, "anatomic_stage": None})

c = base("na-tnbc-yptis-pembro-gbrca1")
c["germline_brca"] = "brca1"
c["tumour"]["in_situ_only"] = True
row(c["id"], f"{KN522}; {OLYMPIA}; {CREATEX}; {AJCC}. ypTis ypN0 is a pCR (ypT0/is ypN0; OlympiA and CREATE-X "
    "residual = INVASIVE disease): pembrolizumab continues; no olaparib, no capecitabine", c,
    {"immunotherapy": ["recommended"], "olaparib": ["not_indicated"], "capecitabine": ["not_indicated"]},
    staging={"t": "ypTis", "n": "ypN0(sn)", "pcr": True})

c = base("na-tnbc-ypn0-itc-no-pembro")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
deposits(c, {"node": 2, "size_mm": 0.1, "cells": 15, "method": "ihc"})
row(c["id"], f"{AJCC}; {CREATEX}; {KN522}; {AXILLA}. TNBC ypT0 ypN0(i+) without pembrolizumab: not a pCR (AJCC) -> "
    "post-neoadjuvant therapy for residual disease is considered (capecitabine at least discussed); no adjuvant-only "
    "pembrolizumab; the axilla is not left untreated", c,
    {**NONE_AFTER, "immunotherapy": ["not_indicated"], "capecitabine": ["recommended", "discuss"]},
    {**NOT_NO_FURTHER, "capecitabine": ["not_indicated"]},
    staging={"t": "ypT0", "n": "ypN0(i+)(sn)", "pcr": False})

c = base("na-tnbc-ypt1c-no-pembro")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
c["tumour"]["size_mm"] = 14
row(c["id"], f"{CREATEX}; {KN522}; {OLYMPIA}. TNBC residual ypT1c ypN0, no pembrolizumab, gBRCA-negative: "
    "capecitabine (CREATE-X); no adjuvant-only pembrolizumab; no olaparib", c,
    {**NONE_AFTER, "capecitabine": ["recommended"], "immunotherapy": ["not_indicated"], "olaparib": ["not_indicated"],
     "axillary_surgery": ["none_needed"], "whole_breast_rt": ["recommended"]}, no_insufficient_data=True,
    staging={"t": "ypT1c", "n": "ypN0(sn)", "pcr": False, "anatomic_stage": "IA"})

c = base("na-tnbc-residual-gbrca1-no-pembro")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
c["tumour"]["size_mm"] = 14
c["germline_brca"] = "brca1"
row(c["id"], f"{OLYMPIA}; {CREATEX}. TNBC non-pCR with gBRCA1 -> olaparib (OlympiA); capecitabine is an alternative "
    "(not compared)", c, {"olaparib": ["recommended"], "capecitabine": ["recommended", "discuss"],
                          "immunotherapy": ["not_indicated"]})

c = base("na-tnbc-residual-agents-unrecorded")
del c["neoadjuvant_therapy"]["agents"]
c["tumour"]["size_mm"] = 14
row(c["id"], f"{KN522}. TNBC residual disease with the neoadjuvant agents NOT recorded: whether pembrolizumab was given "
    "decides adjuvant pembrolizumab (continue it, or none) -> immunotherapy is insufficient_data naming the agents, "
    "never recommended nor silently not_indicated", c, {"immunotherapy": ["insufficient_data"]},
    {"immunotherapy": ["recommended"]})

c = base("na-tnbc-ypn0-mol")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
deposits(c, {"node": 1, "method": "rt_pcr"})
row(c["id"], f"{AJCC}; {CREATEX}; {KATH}. ypT0 ypN0(mol+): RT-PCR positive with no tumour seen on H&E/IHC. The "
    "trials defined residual disease and pCR histologically (CREATE-X, KATHERINE, CTNeoBC/FDA 2014: no invasive "
    "cancer on H&E in breast and nodes) -> a pCR, and ypN0: no capecitabine, no ALND", c,
    {**NONE_AFTER, "capecitabine": ["not_indicated"], "axillary_surgery": ["none_needed"],
     "immunotherapy": ["not_indicated"]},
    staging={"t": "ypT0", "n": "ypN0(mol+)(sn)", "pcr": True})

c = base("na-tnbc-ypn1a-mastectomy-pembro")
node_positive_before(c)
mastectomy(c)
alnd(c, 12)
c["tumour"]["size_mm"] = 22
deposits(c, {"node": 1, "size_mm": 6.0}, {"node": 4, "size_mm": 3.0}, {"node": 7, "size_mm": 0.5})
row(c["id"], f"{KN522}; {LARGE}; {AJCC}. TNBC ypT2 ypN1a (3 nodes) after KEYNOTE-522 and mastectomy + ALND: "
    "pembrolizumab continues; PMRT with nodal RT", c,
    {"immunotherapy": ["recommended"], "post_mastectomy_rt": ["recommended"],
     "regional_nodal_irradiation": ["recommended"], "olaparib": ["not_indicated"]},
    staging={"t": "ypT2", "n": "ypN1a", "pcr": False, "anatomic_stage": "IIB",
             "clinical_prognostic_stage": "IIIB"})

c = base("na-tnbc-multifocal-residual")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
c["tumour"].update(size_mm=6, multifocal=True)
row(c["id"], f"{AJCC}; {CREATEX}. Residual foci of 6 and 4 mm: ypT from the LARGEST focus, never summed -> "
    "ypT1b(m); residual disease -> capecitabine", c, {"capecitabine": ["recommended"]},
    staging={"t": "ypT1b(m)", "pcr": False})

c = base("na-tnbc-imn-only")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
c["nodes"]["internal_mammary"] = "sentinel_microscopic"
c["tumour"]["quadrant"] = "upper_inner"
row(c["id"], f"{AJCC}; {LARGE}; {CREATEX}. Breast ypT0, axillary SLNs negative, residual disease only in an internal "
    "mammary sentinel node (ypN1b): not a pCR; nodal RT including the IMN; capecitabine for residual TNBC", c,
    {"regional_nodal_irradiation": ["recommended"], "capecitabine": ["recommended"]},
    staging={"n": "ypN1b", "pcr": False})

c = base("na-tnbc-bcs-young-boost")
c["age"] = 38
c["tumour"]["size_mm"] = 9
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane"]
row(c["id"], f"{NOOMIT}; EORTC 22881 / ASTRO 2018: age <= 50 -> boost. TNBC residual ypT1b after BCS at 38", c,
    {"whole_breast_rt": ["recommended"], "boost": ["recommended"], "capecitabine": ["recommended"]})

# ====================================================================================== HR+/HER2- (OlympiA, CDK4/6)
c = base("na-hr-gbrca2-cpseg3")
hr_pos(c, grade=3, nuclear=3)
c["germline_brca"] = "brca2"
node_positive_before(c)
c["neoadjuvant_therapy"]["pre_treatment_size_mm"] = 55
alnd(c, 13)
c["tumour"]["size_mm"] = 25
deposits(c, {"node": 1, "size_mm": 5.0}, {"node": 2, "size_mm": 3.0})
row(c["id"], f"{OLYMPIA}. HR+ gBRCA2, cT3 cN1 (clinical IIIA: 1) -> ypT2 ypN1a (pathological IIB: 1), ER+ (0), "
    "nuclear grade 3 (1): CPS+EG 3 -> olaparib", c,
    {"olaparib": ["recommended"], "endocrine": ["recommended"], "capecitabine": ["not_indicated", "discuss"]},
    {"capecitabine": ["recommended"]}, staging={"t": "ypT2", "n": "ypN1a", "pcr": False, "anatomic_stage": "IIB"})

c = base("na-hr-gbrca2-cpseg2")
hr_pos(c, grade=2, nuclear=2)
c["germline_brca"] = "brca2"
node_positive_before(c)
c["neoadjuvant_therapy"]["pre_treatment_size_mm"] = 55
alnd(c, 13)
c["tumour"]["size_mm"] = 25
deposits(c, {"node": 1, "size_mm": 5.0}, {"node": 2, "size_mm": 3.0})
row(c["id"], f"{OLYMPIA}. As above with nuclear grade 2: CPS+EG 2 (< 3) -> outside OlympiA, olaparib not indicated", c,
    {"olaparib": ["not_indicated"], "endocrine": ["recommended"]}, {"olaparib": ["recommended"]})

c = base("na-hr-gbrca2-nuclear-grade-unknown")
hr_pos(c, grade=3, nuclear=None)
c["germline_brca"] = "brca2"
node_positive_before(c)
c["neoadjuvant_therapy"]["pre_treatment_size_mm"] = 55
alnd(c, 13)
c["tumour"]["size_mm"] = 25
deposits(c, {"node": 1, "size_mm": 5.0}, {"node": 2, "size_mm": 3.0})
row(c["id"], f"{OLYMPIA}. CPS+EG 2 without the grade term, 3 with it. Jeruss/Mittendorf scored NUCLEAR grade, but "
    "OlympiA itself wrote the EG term as 'estrogen receptor status and histologic grade' (Tutt NEJM 2021; Morganti, "
    "npj Breast Cancer 2024, with Mittendorf): histological grade 3 qualifies -> olaparib. (First written as "
    "insufficient_data; corrected from the OlympiA wording after the run.)", c, {"olaparib": ["recommended"]})

c = base("na-hr-gbrca2-ypt0-ypn1mi")
hr_pos(c, grade=3, nuclear=3)
c["germline_brca"] = "brca2"
node_positive_before(c)
deposits(c, {"node": 1, "size_mm": 1.2}, examined=4)
row(c["id"], f"{OLYMPIA}; {AJCC}. HR+ gBRCA2 cT2 cN1 (clinical IIB: 1) -> ypT0 ypN1mi (anatomic IB = stage I: 0), "
    "ER+ (0), nuclear grade 3 (1): CPS+EG 2 -> not OlympiA-eligible although not a pCR", c,
    {"olaparib": ["not_indicated"], "endocrine": ["recommended"], "axillary_surgery": NODAL_RESIDUAL_AXILLA},
    {"olaparib": ["recommended"], **NOT_NO_FURTHER}, staging={"n": "ypN1mi(sn)", "pcr": False})

c = base("na-hr-gbrca1-cT4b-cpseg")
hr_pos(c, grade=2, nuclear=2)
c["germline_brca"] = "brca1"
node_positive_before(c)
mastectomy(c)
alnd(c, 15)
c["neoadjuvant_therapy"].update(pre_treatment_size_mm=45, pre_treatment_t_extension="skin")
c["tumour"]["size_mm"] = 18
deposits(c, {"node": 1, "size_mm": 2.5})
row(c["id"], f"{OLYMPIA}; {LARGE}. HR+ gBRCA1 cT4b cN1 (clinical IIIB: 2) -> ypT1c ypN1a (pathological IIA: 1), "
    "ER+, nuclear grade 2: CPS+EG 3 -> olaparib; cT4 -> PMRT and nodal RT whatever the response", c,
    {"olaparib": ["recommended"], "post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]})

c = base("na-hr-non-pcr-no-brca")
hr_pos(c, grade=3, nuclear=3)
node_positive_before(c)
alnd(c, 12)
c["tumour"]["size_mm"] = 30
deposits(c, {"node": 1, "size_mm": 7.0}, {"node": 2, "size_mm": 4.0})
row(c["id"], f"{MONARCH}; {OLYMPIA}; {CREATEX}. HR+/HER2- ypT2 ypN1a (2 nodes) grade 3, gBRCA-negative: endocrine "
    "therapy + abemaciclib (monarchE cohort 1: 1-3 nodes + grade 3); no olaparib; capecitabine never recommended for "
    "HR+ (NCCN/ESMO: TNBC only) but CREATE-X did enrol HR+ disease (subgroup HR 0.81, not significant), so 'discuss' "
    "is defensible (first written as not_indicated only; widened after the run, the key not being clear-cut)", c,
    {"endocrine": ["recommended"], "cdk46_inhibitor": ["recommended"], "olaparib": ["not_indicated"],
     "capecitabine": ["not_indicated", "discuss"], "immunotherapy": ["not_indicated"],
     "her2_therapy": ["not_indicated"]}, {"capecitabine": ["recommended"]})

c = base("na-hr-ypn2a")
hr_pos(c, grade=2, nuclear=2)
node_positive_before(c)
alnd(c, 16)
c["tumour"]["size_mm"] = 21
deposits(c, *({"node": n, "size_mm": 3.5} for n in (1, 2, 3, 4, 5)))
row(c["id"], f"{MONARCH}; {LARGE}. HR+/HER2- ypT2 ypN2a (5 nodes) after neoadjuvant chemotherapy: abemaciclib "
    "(>= 4 nodes); nodal RT (residual nodal disease)", c,
    {"cdk46_inhibitor": ["recommended"], "endocrine": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
    staging={"t": "ypT2", "n": "ypN2a", "anatomic_stage": "IIIA"})

c = base("na-hr-pcr-node-neg")
hr_pos(c)
c["germline_brca"] = "brca2"
row(c["id"], f"{OLYMPIA}; {MONARCH}. HR+ gBRCA2 with pCR: no olaparib (non-pCR required); endocrine therapy", c,
    {"olaparib": ["not_indicated"], "endocrine": ["recommended"], "capecitabine": ["not_indicated"]},
    staging={"pcr": True})

c = base("na-hr-age72-wbrt")
hr_pos(c, grade=1, nuclear=1)
c["age"] = 72
c["tumour"]["size_mm"] = 6
c["neoadjuvant_therapy"]["agents"] = ["endocrine"]
row(c["id"], f"{NOOMIT}. 72-year-old after neoadjuvant endocrine therapy, ypT1b ypN0 after BCS: RT omission trials "
    "excluded neoadjuvant therapy -> whole-breast RT recommended", c, {"whole_breast_rt": ["recommended"]},
    {"whole_breast_rt": ["omission_possible"]})

# ====================================================================================== axilla after therapy
c = base("na-cn0-ypn0-two-sln")
c["tumour"]["size_mm"] = 5
c["nodes"].update(examined=2, sentinel_nodes_removed=2, tracers=["radioisotope"])
row(c["id"], f"{AXILLA}. cN0 before therapy, ypN0 on 2 SLNs (single tracer): adequacy criteria apply to cN1 only "
    "-> no further axillary surgery, no nodal RT", c,
    {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"]},
    staging={"n": "ypN0(sn)"})

c = base("na-cn1-ycn0-adequate-ypn0")
node_positive_before(c)
c["tumour"]["size_mm"] = 7
row(c["id"], f"{AXILLA}; {B51}. Biopsy-proven cN1 -> ycN0, 3 SLNs, dual tracer, clipped node retrieved, ypN0: no ALND; "
    "nodal RT optional after B-51; whole-breast RT", c,
    {"axillary_surgery": ["none_needed"], "whole_breast_rt": ["recommended"],
     "regional_nodal_irradiation": ["discuss", "not_indicated"]}, {"regional_nodal_irradiation": ["insufficient_data"]})

c = base("na-cn1-ycn0-inadequate-ypn0")
node_positive_before(c, clip="not_retrieved")
c["tumour"]["size_mm"] = 7
c["nodes"].update(examined=2, sentinel_nodes_removed=2, tracers=["radioisotope"])
row(c["id"], f"{AXILLA}. Biopsy-proven cN1, ypN0 on 2 SLNs, single tracer, clipped node NOT retrieved: the false-"
    "negative rate is too high -> ALND or axillary RT", c,
    {"axillary_surgery": ["axillary_rt_or_alnd", "alnd"]}, {"axillary_surgery": ["none_needed"]})

c = base("na-cn0-ypn1mi")
c["tumour"]["size_mm"] = 11
deposits(c, {"node": 3, "size_mm": 0.6})
row(c["id"], f"{AXILLA}; {CREATEX}. cN0 before therapy, SLN micrometastasis after therapy (ypN1mi): unlike upfront "
    "surgery (IBCSG 23-01 excluded neoadjuvant therapy), ALND or axillary RT; nodal RT", c,
    {"axillary_surgery": NODAL_RESIDUAL_AXILLA, "regional_nodal_irradiation": ["recommended"]}, NOT_NO_FURTHER,
    staging={"t": "ypT1c", "n": "ypN1mi(sn)"})

c = base("na-cn1-ypn0-mastectomy")
node_positive_before(c)
mastectomy(c)
c["tumour"]["size_mm"] = 12
row(c["id"], f"{B51}; {AXILLA}. cT2 cN1 (biopsy-proven) -> ypT1c ypN0 after mastectomy with adequate SLNB: B-51 "
    "showed no gain from chest-wall + nodal RT -> PMRT and nodal RT are discussed, not mandatory", c,
    {"post_mastectomy_rt": ["discuss", "not_indicated"], "regional_nodal_irradiation": ["discuss", "not_indicated"],
     "axillary_surgery": ["none_needed"]})

c = base("na-cn1-pre-nodes-unrecorded")
c["tumour"]["size_mm"] = 12
c["neoadjuvant_therapy"]["pre_treatment_clinical_nodes"] = None
c["neoadjuvant_therapy"]["nodes_biopsy_proven"] = None
row(c["id"], f"{AXILLA}; {B51}; {LARGE}. ypN0 with the pre-treatment nodal status unrecorded: cN0 vs cN1 vs cN2-3 "
    "decides nodal RT (none / optional / recommended) -> insufficient_data, never a silent default", c,
    {"regional_nodal_irradiation": ["insufficient_data"]})

# ====================================================================================== locally advanced / inflammatory
c = base("na-ibc-pcr-slnb-only")
node_positive_before(c)
mastectomy(c)
c["neoadjuvant_therapy"].update(pre_treatment_t_extension="inflammatory", pre_treatment_size_mm=60)
row(c["id"], f"{LARGE}; {AJCC}. Inflammatory cancer (cT4d N1) with pCR, staged by SLNB only: SLNB is unreliable in "
    "IBC -> ALND; PMRT and comprehensive nodal RT whatever the response", c,
    {"axillary_surgery": ["alnd"], "post_mastectomy_rt": ["recommended"],
     "regional_nodal_irradiation": ["recommended"]}, {"axillary_surgery": ["none_needed"]},
    staging={"pcr": True})

c = base("na-ibc-ypn0-alnd")
node_positive_before(c)
mastectomy(c)
alnd(c, 15)
c["tumour"]["size_mm"] = 3
c["neoadjuvant_therapy"].update(pre_treatment_t_extension="inflammatory", pre_treatment_size_mm=70)
row(c["id"], f"{LARGE}. Inflammatory cancer after modified radical mastectomy, ypT1a ypN0 (15 nodes): PMRT and nodal "
    "RT mandatory whatever the response", c,
    {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
    staging={"t": "ypT1a", "n": "ypN0", "clinical_prognostic_stage": "IIIC"})

c = base("na-ibc-bcs")
node_positive_before(c)
c["tumour"]["size_mm"] = 0
alnd(c, 14)
c["neoadjuvant_therapy"].update(pre_treatment_t_extension="inflammatory", pre_treatment_size_mm=60)
row(c["id"], f"{LARGE}. Inflammatory cancer treated with BCS (contraindicated: NCCN IBC-1): whole-breast RT and nodal "
    "RT are still recommended", c,
    {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
    {"whole_breast_rt": ["omission_possible"]})

c = base("na-cn2a-ypn0-bcs")
node_positive_before(c, clinical="cN2a")
alnd(c, 14)
c["tumour"]["size_mm"] = 10
row(c["id"], f"{LARGE}; {B51}. cN2a (matted) -> ypN0 after BCS: B-51 enrolled cN1 only -> nodal RT recommended", c,
    {"regional_nodal_irradiation": ["recommended"], "whole_breast_rt": ["recommended"]})

c = base("na-cn3c-ypn0-mastectomy")
node_positive_before(c, clinical="cN3c")
mastectomy(c)
alnd(c, 18)
c["tumour"]["size_mm"] = 10
row(c["id"], f"{LARGE}. Supraclavicular cN3c -> ypN0 after mastectomy: PMRT and nodal RT (supraclavicular) whatever "
    "the response", c, {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]})

c = base("na-ct3-cn1-ypn1mi-mastectomy")
node_positive_before(c)
mastectomy(c)
alnd(c, 12)
c["tumour"]["size_mm"] = 35
c["neoadjuvant_therapy"]["pre_treatment_size_mm"] = 60
deposits(c, {"node": 2, "size_mm": 1.0})
row(c["id"], f"{LARGE}; {AJCC}; {CREATEX}. cT3 cN1 -> ypT2 ypN1mi after mastectomy + ALND: residual nodal disease -> "
    "PMRT with nodal RT; not a pCR", c,
    {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
    staging={"t": "ypT2", "n": "ypN1mi", "pcr": False, "anatomic_stage": "IIB"})

# ====================================================================================== stage: clinical before + yp
c = base("na-stage-her2-clinical-kept")
her2(c)
node_positive_before(c)
c["tumour"]["size_mm"] = 0
row(c["id"], f"{AJCC}. HER2+ ER- PR- grade 3, cT2 (32 mm) cN1 before therapy: the clinical prognostic stage kept "
    "from before therapy is group C (T2 N1) HER2+ ER- PR- G3 = IIB; after pCR no yp stage group and no pathological "
    "prognostic stage", c, staging={"clinical_prognostic_stage": "IIB", "anatomic_stage": None,
                                     "pathological_prognostic_stage": None, "pcr": True})

c = base("na-stage-hr-clinical-kept")
hr_pos(c, grade=2, nuclear=2)
node_positive_before(c)
c["tumour"]["size_mm"] = 9
row(c["id"], f"{AJCC}. HR+ (ER+ PR+) HER2- grade 2 cT2 cN1 before therapy: clinical prognostic stage group C G2 "
    "HER2- ++ = IIA, kept; ypT1b ypN0: anatomic IA; no pathological prognostic stage after therapy", c,
    staging={"clinical_prognostic_stage": "IIA", "anatomic_stage": "IA", "pathological_prognostic_stage": None,
             "t": "ypT1b", "n": "ypN0(sn)"})

c = base("na-stage-ypt0-ypn1a")
node_positive_before(c)
alnd(c, 12)
deposits(c, {"node": 1, "size_mm": 3.0})
row(c["id"], f"{AJCC}. ypT0 ypN1a: anatomic IIA (T0 N1); not a pCR", c,
    staging={"t": "ypT0", "n": "ypN1a", "anatomic_stage": "IIA", "pcr": False})

# ====================================================================================== more contrasts
c = base("na-tnbc-pcr-no-pembro")
c["neoadjuvant_therapy"]["agents"] = ["anthracycline", "taxane", "platinum"]
row(c["id"], f"{KN522}; {CREATEX}; {AJCC}. TNBC pCR WITHOUT neoadjuvant pembrolizumab: nothing further (no adjuvant-"
    "only pembrolizumab, no capecitabine after a pCR)", c,
    {**NONE_AFTER, "immunotherapy": ["not_indicated"], "capecitabine": ["not_indicated"],
     "olaparib": ["not_indicated"]}, no_insufficient_data=True, staging={"pcr": True})

c = base("na-tnbc-ypn0-itc-pembro")
deposits(c, {"node": 1, "size_mm": 0.18, "cells": 30, "method": "ihc"})
row(c["id"], f"{KN522}; {AJCC}. TNBC ypT0 ypN0(i+) after KEYNOTE-522: not a pCR; pembrolizumab continues either way", c,
    {"immunotherapy": ["recommended"]}, NOT_NO_FURTHER, staging={"pcr": False, "n": "ypN0(i+)(sn)"})

c = base("na-her2-ypn0-mol")
her2(c)
deposits(c, {"node": 2, "method": "rt_pcr"})
row(c["id"], f"{AJCC}; {KATH}. HER2+ ypT0 ypN0(mol+): no tumour seen histologically -> a pCR by the trials' histological "
    "definition: complete trastuzumab +- pertuzumab; HER2 therapy recommended either way; no ALND", c,
    {"her2_therapy": ["recommended"], "axillary_surgery": ["none_needed"]},
    staging={"n": "ypN0(mol+)(sn)", "pcr": True})

c = base("na-hr-abema-ypn1a-3-nodes-g2")
hr_pos(c, grade=2, nuclear=2)
node_positive_before(c)
alnd(c, 14)
c["tumour"]["size_mm"] = 18
c["neoadjuvant_therapy"]["pre_treatment_size_mm"] = 30
deposits(c, {"node": 1, "size_mm": 4.0}, {"node": 2, "size_mm": 3.0}, {"node": 3, "size_mm": 2.5})
row(c["id"], f"{MONARCH}. HR+/HER2- ypT1c ypN1a (3 nodes), grade 2, tumour < 5 cm: outside monarchE cohort 1 but "
    "NATALEE-eligible (anatomic stage II-III: ypT1 N1 = IIA) -> a CDK4/6 inhibitor is at least discussed (ribociclib)", c,
    {"endocrine": ["recommended"], "cdk46_inhibitor": ["recommended", "discuss"]}, {"cdk46_inhibitor": ["not_indicated"]})


def render() -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in ROWS)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"{len(ROWS)} vignettes -> {OUT}")
