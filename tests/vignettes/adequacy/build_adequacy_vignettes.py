"""Builds ``adequacy_vignettes.jsonl``: tumour-board referrals about one question, **was the axilla staged
adequately**, and what is advised when it was not (number of sentinel nodes, tracers, failed mapping, the clipped
node after neoadjuvant therapy, residual disease after it, clinically positive or unimaged axillae, sentinel-biopsy
omission, OSNA, men, pregnancy, and inputs that cannot change the answer).

Written blind, before reading micromets' axillary rules and without running micromets, from the sources named in
each vignette: NCCN Breast Cancer v.2025/v.2026 (BINV-D, surgical axillary staging; BINV-15 pregnancy), ASCO 2021
SLNB guideline update (Brackstone, JCO 2021;39:3056) and its 2025 update (Park, JCO 2025;43:1720), SSO Choosing
Wisely 2016, ACOSOG Z0011 (Giuliano JAMA 2011/2017), IBCSG 23-01 (Galimberti Lancet Oncol 2013/2018), AMAROS
(Donker 2014; Bartels 2023), SENOMAC (de Boniface NEJM 2024), POSNOC (Goyal), INSEMA (Reimer NEJM 2025), SOUND
(Gentilini JAMA Oncol 2023), ACOSOG Z1071 (Boughey JAMA 2013), SENTINA (Kuehn Lancet Oncol 2013), SN FNAC (Boileau
JCO 2015), GANEA 2 (Classe JCO 2019), targeted axillary dissection (Caudle JCO 2016), Alliance A011202, NSABP B-51,
OSNA (Tsujimoto Clin Cancer Res 2007; Peg Breast 2013 total tumour load), AJCC 8th edition, ASCO male breast
cancer 2020 (Hassett), and /work/shared/reference/clinical-knowledge.md (DP-A).

    .venv/bin/python tests/vignettes/adequacy/build_adequacy_vignettes.py      # rewrites adequacy_vignettes.jsonl

Row: ``{"id", "category", "source", "case", "expected", "forbidden", "missing"}``; ``expected`` lists the
acceptable values of a decision (two only where the sources allow both), ``forbidden`` what must never be
answered (omitting axillary treatment when the axilla was not staged adequately, treatment without a reason,
``insufficient_data`` where no value of the unrecorded input changes the answer), ``missing`` the fields one of
which an expected ``insufficient_data`` must name.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("adequacy_vignettes.jsonl")

DUAL = ["radioisotope", "blue_dye"]
ISOTOPE = ["radioisotope"]
NOTHING_MORE = ["none_needed", "omit_alnd"]  # no further axillary treatment
TREAT = ["alnd", "axillary_rt_or_alnd"]  # the axilla needs treatment
ID = "insufficient_data"


def referral() -> dict[str, Any]:
    """59, postmenopausal, screen-detected cT1c cN0 (normal axillary ultrasound) ductal G2 ER+/PR+/HER2-;
    breast-conserving surgery and sentinel biopsy done, 2 sentinel nodes (dual tracer), both negative."""
    return {
        "age": 59, "sex": "female", "menopausal_status": "post", "detection": "screening",
        "tumour": {"size_mm": 14.0, "t_extension": "none", "in_situ_only": False, "histology": "ductal",
                   "grade": 2, "er_percent": 90, "pr_percent": 40, "her2_ihc": "1+", "ki67_percent": 15,
                   "lvi": False},
        "clinical_nodes": "cN0", "axillary_ultrasound": "normal", "metastasis": "cM0", "neoadjuvant": False,
        "nodes": {"procedure": "slnb", "examined": 2, "sentinel_nodes_removed": 2, "tracers": DUAL,
                  "deposits": [], "internal_mammary": "none", "supraclavicular": False, "infraclavicular": False},
        "surgery": {"breast": "bcs", "status": "done", "date": "2026-09-14", "margins_mm": 4.0},
        "oncotype_rs": 16, "germline_brca": "negative", "charlson_index": 0, "ecog": 0, "lvef_percent": 60,
        "smoker": False, "comorbidities": [], "preferences": {"declined": []},
    }


def he(node: int, size_mm: float, ene: bool = False) -> dict[str, Any]:
    return {"node": node, "size_mm": size_mm, "method": "he", "extranodal_extension": ene, "contiguous": True}


def osna(node: int, copies: float) -> dict[str, Any]:
    return {"node": node, "method": "osna", "osna_copies_per_ul": copies}


def _merge(into: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if value is DROP:
            into.pop(key, None)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
    return into


DROP = object()  # a field left unrecorded


def done(**changes: Any) -> dict[str, Any]:
    return _merge(referral(), changes)


def planned(**changes: Any) -> dict[str, Any]:
    """Before surgery: no nodal pathology, no recurrence score yet."""
    case = _merge(referral(), {"surgery": {"breast": "bcs", "status": "planned", "date": "2026-11-02",
                                           "margins_mm": DROP},
                               "nodes": {"procedure": "none", "examined": 0, "sentinel_nodes_removed": DROP,
                                         "tracers": DROP, "deposits": []},
                               "oncotype_rs": DROP})
    return _merge(case, changes)


def after_nst(pre_nodes: str, biopsy_proven: bool | None = True, **changes: Any) -> dict[str, Any]:
    """47, premenopausal, HER2-positive cT2 (30 mm) G3, neoadjuvant chemotherapy with dual HER2 blockade;
    after it cT1 ycN0; BCS done with a sentinel biopsy (3 nodes, dual tracer, clipped node retrieved): ypN0."""
    case = _merge(referral(), {
        "age": 47, "menopausal_status": "pre",
        "tumour": {"size_mm": 5.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+",
                   "ki67_percent": 45},
        "neoadjuvant": True,
        "neoadjuvant_therapy": {"pre_treatment_size_mm": 30.0, "pre_treatment_t_extension": "none",
                                "pre_treatment_clinical_nodes": pre_nodes, "nodes_biopsy_proven": biopsy_proven,
                                "agents": ["anthracycline", "taxane", "trastuzumab", "pertuzumab"]},
        "nodes": {"examined": 3, "sentinel_nodes_removed": 3, "tracers": DUAL, "clipped_node": "retrieved"},
        "oncotype_rs": DROP,
    })
    if pre_nodes == "cN0":
        case["nodes"]["clipped_node"] = "not_placed"
    if biopsy_proven is None:
        case["neoadjuvant_therapy"].pop("nodes_biopsy_proven")
    out = _merge(case, changes)
    therapy = out["neoadjuvant_therapy"]
    if therapy.get("pre_treatment_clinical_nodes") == "cN0" and therapy.get("nodes_biopsy_proven"):
        # a cN0 axilla had no node proven positive: a biopsy-proven node is cN1(f) or higher (AJCC 8), and the case
        # format refuses the pair
        therapy["nodes_biopsy_proven"] = False
    return out


def omission_candidate(**changes: Any) -> dict[str, Any]:
    """58, postmenopausal, cT1b (9 mm) G1 ER+/HER2-, normal axillary ultrasound, BCS with whole-breast RT planned:
    every SOUND criterion and every ASCO 2025 criterion for omitting the sentinel biopsy holds."""
    case = planned(age=58, tumour={"size_mm": 9.0, "grade": 1, "ki67_percent": 8})
    return _merge(case, changes)


ROWS: list[dict[str, Any]] = []


def V(vid: str, category: str, source: str, case: dict[str, Any], expected: dict[str, list[str]],
      forbidden: dict[str, list[str]] | None = None, missing: dict[str, list[str]] | None = None) -> None:
    ROWS.append({"id": vid, "category": category, "source": source, "case": {"id": vid, **case},
                 "expected": expected, "forbidden": forbidden or {}, "missing": missing or {}})


# ---------------------------------------------------------------- upfront surgery: how many nodes, which tracers
NCCN_SLNB = ("NCCN v.2025 BINV-D: in cN0 disease a negative sentinel biopsy ends axillary surgery; no minimum number "
             "of sentinel nodes or of tracers is set for upfront surgery (the >=3 / dual-tracer conditions are for "
             "cN+ converted by neoadjuvant therapy); ASCO 2021 (Brackstone) rec. 1.1")
V("up-1sln-isotope-negative", "upfront", NCCN_SLNB,
  done(nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": ISOTOPE}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-1sln-dual-negative", "upfront", NCCN_SLNB,
  done(nodes={"examined": 1, "sentinel_nodes_removed": 1}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-tracers-unrecorded-negative", "unknowns", NCCN_SLNB + "; the tracers cannot change a negative upfront biopsy",
  done(nodes={"tracers": DROP}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-count-unrecorded-negative", "unknowns", NCCN_SLNB + "; the number of sentinel nodes cannot change it",
  done(nodes={"sentinel_nodes_removed": DROP}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-1sln-isotope-micro", "upfront", "IBCSG 23-01 (no ALND for SLN micrometastases, no minimum node number); "
  "ASCO 2021 rec. 1.2; NCCN BINV-D",
  done(nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": ISOTOPE, "deposits": [he(1, 1.1)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["none_needed", *TREAT, ID]})

# ---------------------------------------------------------------- failed mapping
V("up-mapping-failed", "upfront", "NCCN v.2025 BINV-D: SLN not identified -> axillary dissection level I/II; "
  "ASCO 2021: the axilla is unstaged",
  done(nodes={"examined": 0, "sentinel_nodes_removed": 0}),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": NOTHING_MORE})
V("up-mapping-failed-isotope-only", "upfront", "NCCN v.2025 BINV-D: SLN not identified -> ALND level I/II",
  done(nodes={"examined": 0, "sentinel_nodes_removed": 0, "tracers": ISOTOPE}),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": NOTHING_MORE})
V("nst-cn1-mapping-failed", "post_nst", "NCCN v.2025 BINV-D: after neoadjuvant therapy a sentinel node not "
  "identified -> ALND level I/II (Z1071, SENTINA: detection failures in cN+)",
  after_nst("cN1", nodes={"examined": 0, "sentinel_nodes_removed": 0, "clipped_node": "not_retrieved"}),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]}, {"axillary_surgery": NOTHING_MORE})

# ---------------------------------------------------------------- micro / macro, BCS vs mastectomy
V("up-bcs-1micro", "upfront", "IBCSG 23-01; AATRM; Z0011; ASCO 2021 rec 1.2; NCCN BINV-D",
  done(nodes={"deposits": [he(1, 0.9)]}), {"axillary_surgery": ["omit_alnd"]},
  {"axillary_surgery": [*TREAT, ID]})
V("up-mast-1micro", "upfront", "IBCSG 23-01 enrolled mastectomy (9 %); ASCO 2021: no ALND for SLN "
  "micrometastases whatever the breast surgery; St Gallen 2023",
  done(surgery={"breast": "mastectomy", "margins_mm": DROP}, nodes={"deposits": [he(2, 1.6)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", ID]})
V("up-bcs-2macro", "upfront", "ACOSOG Z0011 (cT1-2 cN0, 1-2 positive SLN, BCS + WBRT: no ALND); NCCN BINV-D; "
  "ASCO 2021 rec 1.3",
  done(nodes={"deposits": [he(1, 6.0), he(2, 3.5)]}), {"axillary_surgery": ["omit_alnd"]},
  {"axillary_surgery": ["alnd", "none_needed", ID]})
V("up-mast-1macro", "upfront", "Z0011 excluded mastectomy; AMAROS and SENOMAC included it: axillary RT (AMAROS) "
  "or, with nodal RT planned, no completion ALND (SENOMAC; ASCO 2025); NCCN BINV-D: ALND or axillary RT",
  done(surgery={"breast": "mastectomy", "margins_mm": DROP}, nodes={"deposits": [he(1, 5.0)]}),
  {"axillary_surgery": ["axillary_rt_or_alnd", "omit_alnd"]}, {"axillary_surgery": ["none_needed", ID]})
V("up-mast-2macro", "upfront", "AMAROS (ALND vs axillary RT, mastectomy included); SENOMAC (1-2 macro, "
  "mastectomy included, nodal RT in ~90 %); NCCN BINV-D",
  done(surgery={"breast": "mastectomy", "margins_mm": DROP}, nodes={"deposits": [he(1, 8.0), he(2, 3.0)]}),
  {"axillary_surgery": ["axillary_rt_or_alnd", "omit_alnd"]}, {"axillary_surgery": ["none_needed", ID]})
V("up-bcs-3macro", "upfront", "Z0011 and SENOMAC excluded >= 3 positive SLNs; NCCN BINV-D: >= 3 -> ALND "
  "(AMAROS axillary RT as alternative)",
  done(nodes={"examined": 3, "sentinel_nodes_removed": 3, "deposits": [he(1, 4.0), he(2, 3.0), he(3, 2.5)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("up-bcs-2macro-1micro", "upfront", "three positive SLNs: outside Z0011 (1-2) and SENOMAC (1-2 macro); NCCN "
  "BINV-D: ALND (or axillary RT, AMAROS)",
  done(nodes={"examined": 4, "sentinel_nodes_removed": 4, "deposits": [he(1, 4.0), he(2, 3.0), he(3, 1.0)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("up-bcs-1macro-ene", "upfront", "Z0011 excluded gross ENE/matted nodes, SENOMAC and POSNOC allowed ENE: "
  "omission or axillary treatment both defensible, but never 'node negative'",
  done(nodes={"deposits": [he(1, 7.0, ene=True)]}),
  {"axillary_surgery": ["omit_alnd", *TREAT]}, {"axillary_surgery": ["none_needed"]})
V("up-bcs-itc", "upfront", "AJCC 8: ITC only = pN0(i+); NCCN BINV-D and ASCO 2021: ITC are node-negative, no ALND "
  "and no axillary RT for them",
  done(nodes={"deposits": [{"node": 1, "size_mm": 0.15, "cells": 40, "method": "ihc", "contiguous": True}]}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-mast-itc", "upfront", "AJCC 8 pN0(i+); ITC after mastectomy: node-negative (NCCN, ASCO 2021)",
  done(surgery={"breast": "mastectomy", "margins_mm": DROP},
       nodes={"deposits": [{"node": 2, "size_mm": 0.1, "cells": 25, "method": "ihc", "contiguous": True}]}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})

# ---------------------------------------------------------------- OSNA (Tsujimoto 2007 bands; Peg 2013 TTL)
OSNA = ("OSNA CK19 mRNA: < 250 copies/uL negative, 250-5,000 micrometastasis, > 5,000 macrometastasis (Tsujimoto, "
        "Clin Cancer Res 2007); total tumour load (Peg, Breast 2013) predicts non-SLN disease but the Z0011 / "
        "IBCSG 23-01 management of 1-2 positive SLNs after BCS does not use it")
V("osna-negative", "osna", OSNA, done(nodes={"deposits": [osna(1, 180)]}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("osna-micro-250", "osna", OSNA + "; IBCSG 23-01", done(nodes={"deposits": [osna(1, 250)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": [*TREAT, ID]})
V("osna-two-micro-ttl-7000", "osna", OSNA + "; two micrometastatic SLNs, TTL 7,000: IBCSG 23-01 / Z0011",
  done(nodes={"deposits": [osna(1, 4000), osna(2, 3000)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": [*TREAT, ID]})
V("osna-macro-bcs-ttl-90000", "osna", OSNA + "; one macrometastatic SLN after BCS: Z0011, SENOMAC, ASCO 2021",
  done(nodes={"deposits": [osna(1, 90000)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["none_needed", ID]})
V("osna-three-positive", "osna", OSNA + "; three positive SLNs (two macro): outside Z0011/SENOMAC, NCCN ALND",
  done(nodes={"examined": 3, "sentinel_nodes_removed": 3,
              "deposits": [osna(1, 60000), osna(2, 8000), osna(3, 1200)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})

# ---------------------------------------------------------------- clinically positive / unimaged axilla, upfront
V("up-cn1-biopsied-slnb-macro", "cn_positive", "Z0011, IBCSG 23-01, SENOMAC, POSNOC enrolled cN0 only; NCCN "
  "BINV-D: biopsy-proven cN1 with upfront surgery -> ALND level I/II; reference DP-A A2",
  done(clinical_nodes="cN1", axillary_ultrasound="suspicious", nodes={"deposits": [he(1, 9.0)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("up-cn1-biopsied-slnb-micro", "cn_positive", "cN1 at presentation is outside IBCSG 23-01 (cN0 only); NCCN "
  "BINV-D: clinically positive axilla at upfront surgery -> ALND",
  done(clinical_nodes="cN1", axillary_ultrasound="suspicious", nodes={"deposits": [he(1, 1.5)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": ["none_needed", ID]})
V("plan-cn1-upfront", "cn_positive", "NCCN BINV-D: biopsy-proven cN1 going to upfront surgery: ALND; a sentinel "
  "biopsy is not omitted for a positive axilla (SOUND/INSEMA/Choosing Wisely: cN0 only)",
  planned(clinical_nodes="cN1", axillary_ultrasound="suspicious"),
  {"sentinel_biopsy": ["not_applicable", "recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})
V("plan-cn2a-matted", "cn_positive", "cN2a (matted/fixed nodes): Z0011 excluded matted nodes; NCCN: ALND; "
  "never an omission",
  planned(clinical_nodes="cN2a", axillary_ultrasound="suspicious", tumour={"size_mm": 35.0}),
  {"sentinel_biopsy": ["not_applicable", "recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})
V("up-us-not-done-1macro", "unknowns", "Z0011 defined cN0 clinically (no palpable nodes), without ultrasound: "
  "1 macro after BCS -> no ALND; an ultrasound not done cannot change it after the biopsy",
  done(axillary_ultrasound="not_done", nodes={"deposits": [he(1, 4.0)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", "none_needed", ID]})
V("up-us-unrecorded-micro", "unknowns", "IBCSG 23-01 (cN0 clinically): the ultrasound cannot change the answer "
  "once the sentinel biopsy is done",
  done(axillary_ultrasound=DROP, nodes={"deposits": [he(1, 1.0)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": [*TREAT, ID]})

# ---------------------------------------------------------------- sentinel-biopsy omission (planned surgery)
OMIT = ("SOUND (Gentilini 2023: cT <= 2 cm, negative axillary US, BCS + WBRT); INSEMA (Reimer 2025); ASCO 2025 "
        "(Park): postmenopausal >= 50, cT <= 2 cm, grade 1-2, HR+/HER2-, negative US, BCS + WBRT")
V("omit-sound-eligible", "omission", OMIT, omission_candidate(),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["recommended", ID]})
V("omit-us-not-done", "omission", OMIT + "; SOUND required a negative ultrasound: not imaged -> no omission "
  "below 70", omission_candidate(axillary_ultrasound="not_done"),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-us-unrecorded", "omission", OMIT + "; the ultrasound decides: not recorded -> ask for it",
  omission_candidate(axillary_ultrasound=DROP),
  {"sentinel_biopsy": [ID, "recommended"]}, {"sentinel_biopsy": ["omission_possible"]},
  {"sentinel_biopsy": ["axillary_ultrasound"]})
V("omit-us-suspicious", "omission", OMIT + "; a suspicious node is biopsied first (NCCN)",
  omission_candidate(axillary_ultrasound="suspicious"),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-25mm", "omission", OMIT + "; 25 mm is above SOUND's and ASCO 2025's 2 cm",
  omission_candidate(tumour={"size_mm": 25.0}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-grade3", "omission", OMIT + "; grade 3 is outside ASCO 2025",
  omission_candidate(tumour={"grade": 3, "ki67_percent": 35}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-premenopausal-44", "omission", OMIT + "; 44 and premenopausal is outside ASCO 2025 (>= 50, post)",
  omission_candidate(age=44, menopausal_status="pre"),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-mastectomy-58", "omission", OMIT + "; SOUND and INSEMA enrolled BCS only",
  omission_candidate(surgery={"breast": "mastectomy"}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-tnbc-58", "omission", OMIT + "; triple-negative: nodal status changes systemic therapy",
  omission_candidate(tumour={"er_percent": 0, "pr_percent": 0, "grade": 2}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
SEVENTY = ("SSO Choosing Wisely 2016: no routine SLNB in clinically node-negative women >= 70 with early HR+/HER2- "
           "cancer; NCCN BINV-D: SLNB may be omitted >= 70, cT1 HR+/HER2-, cN0; ASCO 2021 rec. 1.5")
V("omit-74-t1-g2", "omission", SEVENTY, omission_candidate(age=74, tumour={"size_mm": 15.0, "grade": 2}),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["recommended", ID]})
V("omit-74-us-not-done", "omission", SEVENTY + "; clinically node-negative is enough on that path (no ultrasound "
  "criterion)", omission_candidate(age=74, axillary_ultrasound="not_done"),
  {"sentinel_biopsy": ["omission_possible"]}, {"sentinel_biopsy": ["recommended"]})
V("omit-74-her2pos", "omission", SEVENTY + "; HER2-positive is outside it",
  omission_candidate(age=74, tumour={"her2_ihc": "3+"}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-74-man", "omission", SEVENTY + "; Choosing Wisely, SOUND and INSEMA: women only (ASCO 2020 male breast "
  "cancer: SLNB as for women)", omission_candidate(age=74, sex="male", menopausal_status=DROP),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"]})
V("omit-tnbc-breast-unrecorded", "unknowns", "triple-negative at 62: no omission path for any operation (ASCO 2025, "
  "SOUND, Choosing Wisely: HR+/HER2- only), so the breast operation cannot change 'recommended'",
  omission_candidate(age=62, tumour={"er_percent": 0, "pr_percent": 0, "grade": 3},
                     surgery={"breast": DROP}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})
V("omit-premenopausal-breast-unrecorded", "unknowns", "44, premenopausal, grade 3: outside ASCO 2025 and Choosing "
  "Wisely whatever the operation: the operation cannot change 'recommended'",
  omission_candidate(age=44, menopausal_status="pre", tumour={"grade": 3}, surgery={"breast": DROP}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})

# ---------------------------------------------------------------- men, pregnancy
V("man-mast-1micro", "special", "ASCO 2020 male breast cancer (Hassett): axillary management as for women; "
  "IBCSG 23-01/ASCO 2021: no ALND for micrometastases",
  done(sex="male", menopausal_status=DROP, surgery={"breast": "mastectomy", "margins_mm": DROP},
       nodes={"deposits": [he(1, 1.3)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", ID]})
V("man-mast-1macro", "special", "ASCO 2020 male breast cancer: as for women; mastectomy with one macrometastasis: "
  "AMAROS/SENOMAC/NCCN axillary RT or ALND",
  done(sex="male", menopausal_status=DROP, surgery={"breast": "mastectomy", "margins_mm": DROP},
       nodes={"deposits": [he(1, 4.5)]}),
  {"axillary_surgery": ["axillary_rt_or_alnd", "omit_alnd"]}, {"axillary_surgery": ["none_needed", ID]})
V("pregnant-planned", "special", "NCCN v.2025 BINV-15 (pregnancy): SLNB with radiolabelled sulfur colloid is safe, "
  "isosulfan/methylene blue are avoided; the omission trials excluded pregnancy",
  planned(age=34, menopausal_status="pre", tumour={"grade": 3, "size_mm": 18.0},
          pregnancy={"status": "pregnant", "trimester": 2}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})
V("pregnant-1micro", "special", "pregnancy does not change axillary management of a micrometastasis "
  "(NCCN BINV-15: surgery as for non-pregnant patients; IBCSG 23-01)",
  done(age=34, menopausal_status="pre", pregnancy={"status": "pregnant", "trimester": 2},
       nodes={"tracers": ISOTOPE, "deposits": [he(1, 1.2)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": ["alnd", ID]})

# ---------------------------------------------------------------- after neoadjuvant therapy
V("nst-cn0-2sln-ypn0", "post_nst", "NCCN BINV-D: cN0 before neoadjuvant therapy, SLN negative after it -> no "
  "further axillary surgery; the >=3 SLN / dual tracer / clip conditions apply to cN+ (Z1071, SENTINA arm C)",
  after_nst("cN0", nodes={"examined": 2, "sentinel_nodes_removed": 2}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("nst-cn0-1sln-isotope-ypn0", "post_nst", "NCCN BINV-D (cN0 at diagnosis); GANEA 2 cN0 arm: SLNB alone after "
  "NAC safe (3-yr axillary recurrence 0.8 %)",
  after_nst("cN0", nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": ISOTOPE}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("nst-cn0-ypn0i", "post_nst", "NCCN BINV-D: any residual nodal disease after neoadjuvant therapy, ITC included "
  "-> ALND (Alliance A011202 tests axillary RT instead); reference DP-A A3",
  after_nst("cN0", nodes={"deposits": [{"node": 1, "size_mm": 0.1, "cells": 30, "method": "ihc"}]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn0-ypn1mi", "post_nst", "NCCN BINV-D; ASCO 2021: residual micrometastasis after NAC -> ALND "
  "(IBCSG 23-01 excluded neoadjuvant therapy)",
  after_nst("cN0", nodes={"deposits": [he(1, 1.4)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
ADEQ = ("ACOSOG Z1071 (FNR 12.6 % overall; 9.1 % with >= 3 SLNs; 31.5 % with one SLN; dual tracer 10.8 %), SENTINA "
        "arm C (FNR 24.3 % with one SLN), SN FNAC, GANEA 2, Caudle 2016 TAD (clipped node + SLN: FNR 2 %); NCCN "
        "BINV-D: after cN+ -> ycN0 the sentinel biopsy needs dual tracer / >= 3 SLNs / the clipped node")
V("nst-cn1-3sln-dual-clip-ypn0", "post_nst", ADEQ, after_nst("cN1"),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("nst-cn1-2sln-isotope-tad-ypn0", "post_nst", ADEQ + "; TAD with the clipped node retrieved is adequate",
  after_nst("cN1", nodes={"examined": 2, "sentinel_nodes_removed": 2, "tracers": ISOTOPE}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("nst-cn1-1sln-isotope-noclip-ypn0", "post_nst", ADEQ + "; one SLN, one tracer, no clip: FNR about 30 %",
  after_nst("cN1", nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": ISOTOPE,
                          "clipped_node": "not_placed"}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn1-clip-not-retrieved", "post_nst", ADEQ + "; a clipped (biopsy-proven) node left in the axilla: the "
  "negative SLNs do not stage it",
  after_nst("cN1", nodes={"clipped_node": "not_retrieved"}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn1-2sln-isotope-clip-unrecorded", "post_nst", ADEQ + "; two SLNs, one tracer: only a retrieved clipped "
  "node makes it adequate, so the clip decides",
  after_nst("cN1", nodes={"examined": 2, "sentinel_nodes_removed": 2, "tracers": ISOTOPE, "clipped_node": DROP}),
  {"axillary_surgery": [ID]}, {"axillary_surgery": NOTHING_MORE}, {"axillary_surgery": ["nodes.clipped_node"]})
V("nst-cn1-ypn0i", "post_nst", "NCCN BINV-D: ypN0(i+) after cN+ -> ALND (Alliance A011202 as a trial option); "
  "reference DP-A A3",
  after_nst("cN1", nodes={"deposits": [{"node": 2, "size_mm": 0.15, "cells": 60, "method": "ihc"}]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn1-ypn1mi", "post_nst", "NCCN BINV-D: ypN1mi after cN+ -> ALND; Alliance A011202 (RT vs ALND) as trial",
  after_nst("cN1", nodes={"deposits": [he(1, 0.8)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn1-ypn0i-breast-unrecorded", "unknowns", "ypN0(i+) after cN+ -> ALND after BCS and after mastectomy alike "
  "(NCCN BINV-D): the breast operation cannot change the answer",
  after_nst("cN1", surgery={"breast": DROP},
            nodes={"deposits": [{"node": 2, "size_mm": 0.15, "cells": 60, "method": "ihc"}]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("up-micro-breast-unrecorded", "unknowns", "IBCSG 23-01 enrolled BCS and mastectomy; ASCO 2021: no ALND for SLN "
  "micrometastases whatever the breast surgery: the operation cannot change the answer",
  done(surgery={"breast": DROP, "margins_mm": DROP}, nodes={"deposits": [he(1, 1.0)]}),
  {"axillary_surgery": ["omit_alnd"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-itc-breast-unrecorded", "unknowns", "AJCC 8 pN0(i+); ITC need no axillary treatment after any operation",
  done(surgery={"breast": DROP, "margins_mm": DROP},
       nodes={"deposits": [{"node": 1, "size_mm": 0.1, "cells": 20, "method": "ihc", "contiguous": True}]}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("up-3macro-breast-unrecorded", "unknowns", "three positive SLNs: ALND (or AMAROS RT) after BCS and mastectomy "
  "alike (NCCN BINV-D): the operation cannot change it",
  done(surgery={"breast": DROP, "margins_mm": DROP},
       nodes={"examined": 3, "sentinel_nodes_removed": 3, "deposits": [he(1, 4.0), he(2, 3.0), he(3, 2.5)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("up-1macro-breast-unrecorded", "unknowns", "one macrometastasis: BCS -> no ALND (Z0011), mastectomy -> axillary "
  "RT or ALND (AMAROS, NCCN): the operation decides, so it is asked for",
  done(surgery={"breast": DROP, "margins_mm": DROP}, nodes={"deposits": [he(1, 4.0)]}),
  {"axillary_surgery": [ID, "axillary_rt_or_alnd", "omit_alnd"]}, {"axillary_surgery": ["none_needed", "alnd"]},
  {"axillary_surgery": ["surgery.breast"]})
V("nst-imn-only-residual", "post_nst", "axilla adequately staged negative (3 SLNs, dual tracer, clip retrieved) "
  "with residual disease only in an internal-mammary sentinel node: ALND treats the axilla, not the IMN chain "
  "(NCCN BINV-D: ALND for residual axillary disease); the IMN is treated by nodal RT including the IMN (NCCN "
  "BINV-I, MA.20, EORTC 22922)",
  after_nst("cN1", nodes={"internal_mammary": "sentinel_microscopic"}),
  {"axillary_surgery": NOTHING_MORE, "regional_nodal_irradiation": ["recommended"]},
  {"axillary_surgery": ["alnd", ID]})
V("nst-cn2b-2sln-ypn0", "post_nst", "cN2b = clinically detected internal-mammary nodes WITHOUT axillary nodes "
  "(AJCC 8): the axilla was clinically negative before therapy, so a negative sentinel biopsy is read as in cN0 "
  "(NCCN BINV-D) and never as a cleared cN1 axilla; nodal RT incl. IMN for the IMN disease (NCCN BINV-I)",
  after_nst("cN2b", nodes={"examined": 2, "sentinel_nodes_removed": 2, "tracers": ISOTOPE,
                           "clipped_node": "not_placed"}),
  {"axillary_surgery": ["none_needed", "axillary_rt_or_alnd"], "regional_nodal_irradiation": ["recommended"]},
  {"axillary_surgery": ["alnd", ID]})
V("plan-cn2b", "cn_positive", "cN2b (AJCC 8: IMN involved clinically, axilla not): no sentinel-biopsy omission "
  "(SOUND/INSEMA/Choosing Wisely are cN0 only); usually neoadjuvant therapy first (NCCN BINV-14)",
  planned(clinical_nodes="cN2b", nodes={"internal_mammary": "clinically_detected"}),
  {"sentinel_biopsy": ["recommended", "not_applicable"]}, {"sentinel_biopsy": ["omission_possible"]})

# ---------------------------------------------------------------- more adequacy after neoadjuvant therapy
V("nst-cn1-3sln-isotope-noclip-ypn0", "post_nst", ADEQ + "; >= 3 SLNs alone brought the FNR under 10 % in Z1071 "
  "(9.1 %) and SN FNAC", after_nst("cN1", nodes={"tracers": ISOTOPE, "clipped_node": "not_placed"}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("nst-cn1-3sln-dual-noclip-ypn0", "post_nst", ADEQ + "; >= 3 SLNs with dual tracer, no clip placed",
  after_nst("cN1", nodes={"clipped_node": "not_placed"}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT, ID]})
V("nst-pre-nodes-unrecorded-1sln", "unknowns", ADEQ + "; one SLN by one tracer: adequate after cN0, not after cN1, "
  "so the nodes before therapy decide and are asked for",
  after_nst("cN0", nodes={"examined": 1, "sentinel_nodes_removed": 1, "tracers": ISOTOPE,
                          "clipped_node": DROP}, neoadjuvant_therapy={"pre_treatment_clinical_nodes": DROP}),
  {"axillary_surgery": [ID, "axillary_rt_or_alnd"]}, {"axillary_surgery": NOTHING_MORE},
  {"axillary_surgery": ["neoadjuvant_therapy.pre_treatment_clinical_nodes"]})
V("nst-pre-nodes-unrecorded-ypn1mi", "unknowns", "residual micrometastasis after neoadjuvant therapy -> ALND "
  "whether the axilla was cN0 or cN1 before it (NCCN BINV-D): the nodes before therapy cannot change it",
  after_nst("cN0", nodes={"deposits": [he(1, 1.4)], "clipped_node": DROP},
            neoadjuvant_therapy={"pre_treatment_clinical_nodes": DROP}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn1-ypn1a", "post_nst", "NCCN BINV-D: macrometastatic residual disease after neoadjuvant therapy -> ALND "
  "(Alliance A011202 as a trial)", after_nst("cN1", nodes={"deposits": [he(1, 4.0)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("nst-cn0-ypn1a-mastectomy", "post_nst", "NCCN BINV-D: SLN positive after neoadjuvant therapy -> ALND; Z0011, "
  "AMAROS and IBCSG 23-01 excluded neoadjuvant therapy",
  after_nst("cN0", surgery={"breast": "mastectomy", "margins_mm": DROP}, nodes={"deposits": [he(2, 6.0)]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": [*NOTHING_MORE, ID]})
V("plan-nst-cn1-ycn0", "post_nst", "NCCN BINV-D: cN1 converted to ycN0: SLNB (dual tracer, >= 3 nodes) or TAD; "
  "no omission trial enrolled patients after neoadjuvant therapy",
  after_nst("cN1", surgery={"status": "planned", "margins_mm": DROP, "date": "2026-11-02"},
            nodes={"procedure": "none", "examined": 0, "sentinel_nodes_removed": DROP, "tracers": DROP,
                   "clipped_node": DROP, "deposits": []}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})
V("plan-nst-ycn1-persistent", "post_nst", "NCCN BINV-D: a clinically positive axilla after neoadjuvant therapy "
  "(ycN+) -> ALND; sentinel biopsy is not the procedure and not omitted",
  after_nst("cN1", clinical_nodes="cN1", axillary_ultrasound="suspicious",
            surgery={"status": "planned", "margins_mm": DROP, "date": "2026-11-02"},
            nodes={"procedure": "none", "examined": 0, "sentinel_nodes_removed": DROP, "tracers": DROP,
                   "clipped_node": DROP, "deposits": []}),
  {"sentinel_biopsy": ["not_applicable", "recommended"]}, {"sentinel_biopsy": ["omission_possible"]})

# ---------------------------------------------------------------- done without axillary staging; Z0011 without WBRT
V("done-74-no-slnb", "omission", SEVENTY + "; SOUND: no axillary surgery, no further axillary treatment",
  done(age=74, tumour={"size_mm": 11.0, "grade": 1}, nodes={"procedure": "none", "examined": 0,
       "sentinel_nodes_removed": DROP, "tracers": DROP}),
  {"axillary_surgery": ["none_needed"]}, {"axillary_surgery": [*TREAT]})
V("done-52-tnbc-no-slnb", "omission", "triple-negative at 52 is outside every omission path (ASCO 2025, SOUND, "
  "Choosing Wisely): an unstaged axilla after surgery still needs staging (NCCN BINV-D: SLNB for cN0)",
  done(age=52, tumour={"er_percent": 0, "pr_percent": 0, "grade": 3, "ki67_percent": 60},
       nodes={"procedure": "none", "examined": 0, "sentinel_nodes_removed": DROP, "tracers": DROP}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible"], "axillary_surgery": ["none_needed"]})
V("up-bcs-1macro-wbrt-declined", "upfront", "Z0011 required whole-breast RT by tangents; without any RT one "
  "macrometastasis is outside Z0011 and SENOMAC (nodal RT ~90 %): ALND (NCCN BINV-D); axillary RT is declined",
  done(nodes={"deposits": [he(1, 5.0)]}, preferences={"declined": ["whole_breast_rt", "regional_nodal_irradiation"]}),
  {"axillary_surgery": TREAT}, {"axillary_surgery": ["none_needed", "omit_alnd"]})

# ---------------------------------------------------------------- the breast operation unrecorded after surgery
V("done-breast-unrecorded-procedure-unrecorded", "unknowns", "surgery recorded as done, the operation and the nodal "
  "procedure not recorded: after any operation the sentinel-biopsy question is closed (staged at it, or no breast "
  "surgery: no SLNB, ASCO 2025), so the operation cannot change 'not applicable'",
  done(surgery={"breast": DROP, "margins_mm": DROP}, nodes={"procedure": DROP, "examined": DROP,
       "sentinel_nodes_removed": DROP, "tracers": DROP}),
  {"sentinel_biopsy": ["not_applicable"]}, {"sentinel_biopsy": [ID, "omission_possible"]})
V("up-imn-sentinel-only", "upfront", "AJCC 8 pN1b (internal-mammary sentinel only, axillary SLNs negative): the "
  "axilla is staged negative, no ALND (ASCO 2021); the IMN chain is treated by nodal RT (NCCN BINV-I, EORTC 22922)",
  done(nodes={"internal_mammary": "sentinel_microscopic"}),
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["recommended"]},
  {"axillary_surgery": ["alnd", ID]})
V("plan-nst-cn2b-ycn0", "post_nst", "cN2b (AJCC 8: IMN without axillary nodes) before therapy, ycN0 after: the axilla "
  "was clinically negative, so it is staged by sentinel biopsy as any cN0 axilla after neoadjuvant therapy (NCCN "
  "BINV-D); the cN2 exclusion of Z1071/A011202/B-51 concerns axillary N2 (matted or fixed nodes)",
  after_nst("cN2b", surgery={"status": "planned", "margins_mm": DROP, "date": "2026-11-02"},
            nodes={"procedure": "none", "examined": 0, "sentinel_nodes_removed": DROP, "tracers": DROP,
                   "clipped_node": DROP, "deposits": []}),
  {"sentinel_biopsy": ["recommended"]}, {"sentinel_biopsy": ["omission_possible", ID]})


def render() -> str:
    return "".join(json.dumps(row, sort_keys=True) + "\n" for row in ROWS)


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"{len(ROWS)} vignettes -> {OUT}", file=sys.stderr)
