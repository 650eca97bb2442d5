"""Builds ``hard_vignettes.jsonl``: hard tumour-board referrals with the answers written from the sources.

This file is the readable source of the vignettes; ``hard_vignettes.jsonl`` is what the tests read, and
``test_hard_vignettes.py::test_jsonl_is_built_from_this_file`` checks that the two agree.

    .venv/bin/python tests/vignettes/hard/build_hard_vignettes.py      # rewrites hard_vignettes.jsonl

Nothing here imports micromets: every expected value is written from AJCC 8 and the guidelines/trials named
in each vignette's ``source``. The stage groups are looked up in the AJCC 8 tables transcribed below (anatomic
table; pathological and clinical prognostic tables of the January 2018 update), from T and N categories
written by hand for each case.

Row format (one JSON object per line)::

    {"id", "category", "source", "case",
     "staging":   {"t", "n", "m", "anatomic_stage", "pathological_prognostic_stage",
                   "clinical_prognostic_stage"},          # exact strings, or null where no group applies
     "expected":  {decision key: [acceptable values]},     # more than one value where guidelines allow both
     "forbidden": {decision key: [unsafe values]}}         # an unsafe answer fails the test outright
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("hard_vignettes.jsonl")

# ----------------------------------------------------------------------------------------- AJCC 8 tables

_COLUMNS = ("H+ ++", "H+ +-", "H+ -+", "H+ --", "H- ++", "H- +-", "H- -+", "H- --")

# Pathological prognostic stage (surgery first), AJCC 8 2018 update: row group, grade -> 8 columns.
_PATH = {
    ("A", 1): "IA IA IA IA IA IA IA IA", ("A", 2): "IA IA IA IA IA IA IA IB", ("A", 3): "IA IA IA IA IA IA IA IB",
    ("B", 1): "IA IB IB IIA IA IB IB IIA", ("B", 2): "IA IB IB IIA IA IIA IIA IIA",
    ("B", 3): "IA IIA IIA IIA IB IIA IIA IIA",
    ("C", 1): "IA IIB IIB IIB IA IIB IIB IIB", ("C", 2): "IB IIB IIB IIB IB IIB IIB IIB",
    ("C", 3): "IB IIB IIB IIB IIA IIB IIB IIIA",
    ("D", 1): "IB IIIA IIIA IIIA IB IIIA IIIA IIIA", ("D", 2): "IB IIIA IIIA IIIA IB IIIA IIIA IIIB",
    ("D", 3): "IIA IIIA IIIA IIIA IIB IIIA IIIA IIIC",
    ("E", 1): "IIIA IIIB IIIB IIIB IIIA IIIB IIIB IIIB", ("E", 2): "IIIA IIIB IIIB IIIB IIIA IIIB IIIB IIIC",
    ("E", 3): "IIIB IIIB IIIB IIIB IIIB IIIC IIIC IIIC",
}
# Clinical prognostic stage, AJCC 8 2018 update.
_CLIN = {
    ("A", 1): "IA IA IA IA IA IA IA IB", ("A", 2): "IA IA IA IA IA IA IA IB", ("A", 3): "IA IA IA IA IA IB IB IB",
    ("B", 1): "IB IIA IIA IIA IB IIA IIA IIA", ("B", 2): "IB IIA IIA IIA IB IIA IIA IIB",
    ("B", 3): "IB IIA IIA IIA IIA IIB IIB IIB",
    ("C", 1): "IB IIA IIA IIB IIA IIB IIB IIB", ("C", 2): "IB IIA IIA IIB IIA IIB IIB IIIB",
    ("C", 3): "IB IIB IIB IIB IIB IIIA IIIA IIIB",
    ("D", 1): "IIA IIIA IIIA IIIA IIA IIIA IIIA IIIB", ("D", 2): "IIA IIIA IIIA IIIA IIA IIIA IIIA IIIB",
    ("D", 3): "IIB IIIA IIIA IIIA IIIA IIIB IIIB IIIC",
    ("E", 1): "IIIA IIIB IIIB IIIB IIIB IIIB IIIB IIIC", ("E", 2): "IIIA IIIB IIIB IIIB IIIB IIIB IIIB IIIC",
    ("E", 3): "IIIB IIIB IIIB IIIB IIIB IIIC IIIC IIIC",
}


def _base_t(t: str) -> str:
    """'ypT1c(m)' -> 'T1', 'cT4d' -> 'T4', 'pTis' -> 'Tis', 'ypT0' -> 'T0'."""
    core = re.sub(r"^(yp|yc|p|c)", "", t).replace("(m)", "")
    return "Tis" if core == "Tis" else core[:2]


def _base_n(n: str) -> str:
    """'pN0(i+)(sn)' -> 'N0', 'pN1mi(sn)' -> 'N1mi', 'ypN1a' -> 'N1', 'cN2a' -> 'N2'."""
    core = re.sub(r"^(yp|yc|p|c)", "", n)
    core = re.sub(r"\(.*?\)", "", core)
    return "N1mi" if core.startswith("N1mi") else core[:2]


def anatomic(t: str, n: str) -> str | None:
    T, N = _base_t(t), _base_n(n)
    if T == "Tis":
        return "0" if N == "N0" else None
    if N == "N3":
        return "IIIC"
    if T == "T4":
        return "IIIB"
    table = {
        ("T0", "N1mi"): "IB", ("T1", "N0"): "IA", ("T1", "N1mi"): "IB",
        ("T0", "N1"): "IIA", ("T1", "N1"): "IIA", ("T2", "N0"): "IIA",
        ("T2", "N1mi"): "IIB", ("T2", "N1"): "IIB", ("T3", "N0"): "IIB",
        ("T0", "N2"): "IIIA", ("T1", "N2"): "IIIA", ("T2", "N2"): "IIIA",
        ("T3", "N1mi"): "IIIA", ("T3", "N1"): "IIIA", ("T3", "N2"): "IIIA",
    }
    return table.get((T, N))  # T0 N0 is not a valid group


def _row_group(t: str, n: str) -> str:
    T, N = _base_t(t), _base_n(n)
    if N == "N3" or T == "T4":
        return "E"
    if N == "N2" or (T == "T3" and N in ("N1", "N1mi")):
        return "D"
    if (T == "T2" and N in ("N1", "N1mi")) or (T == "T3" and N == "N0"):
        return "C"
    if (T in ("T0", "T1") and N == "N1") or (T == "T2" and N == "N0"):
        return "B"
    if (T == "T1" and N in ("N0", "N1mi")) or (T == "T0" and N == "N1mi"):
        return "A"
    raise ValueError(f"no row group for {t} {n}")


def prognostic(table: dict[tuple[str, int], str], t: str, n: str, grade: int | None, her2: bool | None,
               er: bool | None, pr: bool | None) -> str | None:
    if _base_t(t) == "Tis" and _base_n(n) == "N0":
        return "0"
    if grade is None or her2 is None or er is None or pr is None:
        return None  # an unknown grade or biomarker: no prognostic group (AJCC 8)
    column = ("H+ " if her2 else "H- ") + ("+" if er else "-") + ("+" if pr else "-")
    return table[(_row_group(t, n), grade)].split()[_COLUMNS.index(column)]


def staging(t: str, n: str, *, grade: int | None, her2: bool | None, er: bool | None, pr: bool | None,
            clinical: tuple[str, str] | None, setting: str = "upfront", rs: int | None = None) -> dict[str, Any]:
    """The six staging fields. ``setting``: upfront (pT/pN), planned (cT/cN only), neoadjuvant (ypT/ypN)."""
    anat = anatomic(t, n)
    if setting == "neoadjuvant" and _base_t(t) == "T0" and _base_n(n) == "N0" and "(i+)" not in n \
            and "(mol+)" not in n:
        anat = None  # complete pathological response: no stage group (AJCC 8)
    path: str | None = None
    if setting == "upfront":
        path = prognostic(_PATH, t, n, grade, her2, er, pr)
        genomic = (rs is not None and rs < 11 and _base_t(t) in ("T1", "T2") and _base_n(n) == "N0"
                   and her2 is False and er is True)
        if genomic:
            path = "IA"  # Oncotype DX RS < 11 in T1-2 N0 HER2- ER+: pathological prognostic stage IA
    clin = None if clinical is None else prognostic(_CLIN, clinical[0], clinical[1], grade, her2, er, pr)
    return {"t": t, "n": n, "m": "cM0", "anatomic_stage": anat, "pathological_prognostic_stage": path,
            "clinical_prognostic_stage": clin}


# ------------------------------------------------------------------------------------------ case pieces

DROP = object()

CONDITIONS_NONE = {
    "heart_failure": False, "ischaemic_heart_disease": False, "prior_anthracycline": False,
    "venous_thromboembolism": False, "thrombophilia": False, "osteoporosis": False, "fragility_fracture": False,
    "egfr_ml_min": 85, "dental_health": "good", "dental_surgery_planned": False, "peripheral_neuropathy_grade": 0,
    "interstitial_lung_disease": False, "autoimmune_disease": "none", "organ_transplant": False, "qtcf_ms": 420,
    "dpd_deficiency": "none",
}

BASE: dict[str, Any] = {
    "age": 60, "sex": "female", "menopausal_status": "post", "detection": "screening",
    "tumour": {"size_mm": 15.0, "t_extension": "none", "in_situ_only": False, "histology": "ductal", "grade": 2,
               "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+", "her2_ish_ratio": None,
               "her2_ish_copies": None, "ki67_percent": 12, "lvi": False, "multifocal": False,
               "laterality": "left", "quadrant": "upper_outer"},
    "clinical_nodes": "cN0",
    "nodes": {"procedure": "slnb", "examined": 2, "sentinel_nodes_removed": 2,
              "tracers": ["radioisotope", "blue_dye"], "deposits": [], "internal_mammary": "none",
              "supraclavicular": False, "infraclavicular": False},
    "metastasis": "cM0", "neoadjuvant": False, "axillary_ultrasound": "normal",
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 3.0},
    "oncotype_rs": None, "mammaprint": None, "germline_brca": "negative",
    "charlson_index": 0, "ecog": 0, "lvef_percent": 62,
    "conditions": CONDITIONS_NONE,
    "comorbidities": [], "smoker": False, "preferences": {"declined": []},
}


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is DROP:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def dep(node: int, size_mm: float | None, method: str = "he", *, cells: int | None = None,
        contiguous: bool = True, osna: float | None = None) -> dict[str, Any]:
    return {"node": node, "size_mm": size_mm, "cells": cells, "method": method, "osna_copies_per_ul": osna,
            "extranodal_extension": False, "contiguous": contiguous}


def slnb(examined: int, *deposits: dict[str, Any], tracers: tuple[str, ...] = ("radioisotope", "blue_dye"),
         clipped: str | None = None) -> dict[str, Any]:
    nodes: dict[str, Any] = {"procedure": "slnb", "examined": examined, "sentinel_nodes_removed": examined,
                             "tracers": list(tracers), "deposits": list(deposits)}
    if clipped is not None:
        nodes["clipped_node"] = clipped
    return nodes


def alnd(examined: int, *deposits: dict[str, Any], after_slnb: int | None = None) -> dict[str, Any]:
    if after_slnb is None:
        return {"procedure": "alnd", "examined": examined, "sentinel_nodes_removed": DROP, "tracers": DROP,
                "deposits": list(deposits)}
    return {"procedure": "slnb_then_alnd", "examined": examined, "sentinel_nodes_removed": after_slnb,
            "deposits": list(deposits)}


NO_NODES = {"procedure": "none", "examined": 0, "sentinel_nodes_removed": DROP, "tracers": DROP, "deposits": []}


def planned(breast: str = "bcs") -> dict[str, Any]:
    return {"surgery": {"breast": breast, "status": "planned", "date": "2026-11-02", "margins_mm": DROP},
            "nodes": {"procedure": "none", "examined": DROP, "sentinel_nodes_removed": DROP, "tracers": DROP,
                      "deposits": []}}


def neo(pre_size: float, pre_nodes: str, agents: list[str], *, proven: bool = True,
        extension: str = "none") -> dict[str, Any]:
    return {"neoadjuvant": True,
            "neoadjuvant_therapy": {"pre_treatment_size_mm": pre_size, "pre_treatment_t_extension": extension,
                                    "pre_treatment_clinical_nodes": pre_nodes, "nodes_biopsy_proven": proven,
                                    "agents": agents}}


def premenopausal(ofs: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"menopausal_status": "pre", "pregnancy": {"status": "not_pregnant"}}
    if ofs is not None:
        out["ovarian_function_suppression"] = ofs
    return out


HER2_POS_ER_NEG = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "grade": 3, "ki67_percent": 40}
TNBC = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "grade": 3, "ki67_percent": 60}
LUMINAL = {"er_percent": 90, "pr_percent": 50, "her2_ihc": "1+"}
DCIS = {"size_mm": 0, "in_situ_only": True, "grade": DROP, "ki67_percent": DROP, "her2_ihc": DROP,
        "lvi": DROP, "histology": "ductal"}

TCHP = ["taxane", "platinum", "trastuzumab", "pertuzumab"]
KN522 = ["platinum", "taxane", "anthracycline", "pembrolizumab"]
ACT = ["anthracycline", "taxane"]

# The systemic keys that never apply to pure DCIS (all trials and labels are for invasive disease).
DCIS_SYSTEMIC_NONE = {"her2_therapy": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"],
                      "olaparib": ["not_indicated"], "immunotherapy": ["not_indicated"],
                      "bisphosphonate": ["not_indicated"], "chemotherapy": ["not_indicated"],
                      "capecitabine": ["not_indicated"]}
DCIS_FORBIDDEN = {"her2_therapy": ["recommended"], "cdk46_inhibitor": ["discuss", "recommended"],
                  "olaparib": ["recommended"], "immunotherapy": ["recommended"], "chemotherapy": ["recommended"],
                  "capecitabine": ["recommended"], "bisphosphonate": ["recommended"],
                  "regional_nodal_irradiation": ["recommended"]}

ROWS: list[dict[str, Any]] = []


def V(id: str, category: str, source: str, changes: dict[str, Any], stage: dict[str, Any],
      expected: dict[str, Any], forbidden: dict[str, list[str]] | None = None) -> None:
    case = _merge(BASE, changes)
    case = {"id": id, **case}
    exp = {k: (v if isinstance(v, list) else [v]) for k, v in expected.items()}
    ROWS.append({"id": id, "category": category, "source": source, "case": case, "staging": stage,
                 "expected": exp, "forbidden": forbidden or {}})


# =========================================================================================================
# 1. The eight cases of issue 8, exactly as the issue describes them
# =========================================================================================================

V("issue-lvef35-trastuzumab", "issue8",
  "HER2+ ER- pT1c pN0 after BCS with LVEF 35% and heart failure: adjuvant trials enrolled LVEF >= 50-55% "
  "(APT: normal LVEF; HERA/NSABP B-31/NCCTG N9831); trastuzumab label: assess LVEF before start, suspend when LVEF "
  "falls below 50% (EU SmPC); IC-OS 2021: LVEF < 40% is severe dysfunction; SAFE-HEaRt (Lynce, BCRT 2019) only "
  "studied LVEF 40-49%. HER2 therapy is indicated (APT, Tolaney NEJM 2015) but must not be started: deferred to "
  "cardio-oncology/recovery, or discussed; never recommended. ER-negative: no endocrine/CDK4/6. WBI after BCS "
  "(EBCTCG 2011; omission trials were HR+ only). pN0: no axillary surgery, no RNI (NCCN).",
  {"age": 58, "ecog": 1, "lvef_percent": 35, "charlson_index": 1,
   "conditions": {"heart_failure": True},
   "tumour": {"size_mm": 14.0, **HER2_POS_ER_NEG}},
  staging("pT1c", "pN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": ["deferred", "discuss"], "endocrine": "not_indicated", "cdk46_inhibitor": "not_indicated",
   "whole_breast_rt": "recommended", "axillary_surgery": "none_needed",
   "regional_nodal_irradiation": "not_indicated", "post_mastectomy_rt": "not_applicable",
   "immunotherapy": "not_indicated"},
  {"her2_therapy": ["recommended"]})

V("issue-82-ecog2-hf-no-assay", "issue8",
  "82 years, ECOG 2, heart failure (LVEF 45%), Charlson 3, ER+ HER2- pT1c G2 pN0: chemotherapy is not a "
  "reasonable option (ASCO geriatric oncology 2018/2023, Mohile/Dale JCO: GA and non-cancer life expectancy drive "
  "chemotherapy; SIOG/EUSOMA 2021, Biganzoli Lancet Oncol: not for limited life expectancy/fitness; TAILORx "
  "enrolled age <= 75), so no recurrence score is needed: not_indicated, never insufficient_data. Endocrine "
  "therapy (AI). >= 70, pT1 N0 ER+, on endocrine therapy: whole-breast RT may be omitted (CALGB 9343, Hughes JCO "
  "2013; NCCN). HER2-negative; T1N0: no CDK4/6 (NATALEE/monarchE).",
  {"age": 82, "ecog": 2, "lvef_percent": 45, "charlson_index": 3, "g8_score": 11, "clinical_frailty_scale": 5,
   "conditions": {"heart_failure": True},
   "tumour": {"size_mm": 19.0, "grade": 2, **LUMINAL, "ki67_percent": 15}},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"chemotherapy": "not_indicated", "endocrine": "recommended", "her2_therapy": "not_indicated",
   "cdk46_inhibitor": "not_indicated", "whole_breast_rt": "omission_possible", "axillary_surgery": "none_needed",
   "boost": ["not_indicated", "not_applicable"], "immunotherapy": "not_indicated"},
  {"chemotherapy": ["recommended"], "cdk46_inhibitor": ["discuss", "recommended"]})

V("issue-84-ecog2-itc-only", "issue8",
  "84 years, ECOG 2, pT1b G1 ER+ HER2- with ITC only: pN0(i+) is N0 (AJCC 8), so CALGB 9343 applies (>= 70, T1 "
  "N0 ER+, endocrine therapy: RT omission, 10-y OS 67% vs 66%; NCCN). No ALND and no nodal RT for ITC (ASCO 2021, "
  "NCCN). No chemotherapy for pT1b N0 luminal disease at 84 (NCCN; ASCO geriatric). No boost over 70 with G1 "
  "(ASTRO 2018).",
  {"age": 84, "ecog": 2, "charlson_index": 2, "g8_score": 12, "clinical_frailty_scale": 5,
   "tumour": {"size_mm": 8.0, "grade": 1, "er_percent": 95, "pr_percent": 80, "her2_ihc": "0", "ki67_percent": 5},
   "nodes": slnb(2, dep(1, 0.15, "ihc"))},
  staging("pT1b", "pN0(i+)(sn)", grade=1, her2=False, er=True, pr=True, clinical=("cT1b", "cN0")),
  {"whole_breast_rt": "omission_possible", "endocrine": "recommended", "chemotherapy": "not_indicated",
   "axillary_surgery": "none_needed", "regional_nodal_irradiation": "not_indicated",
   "boost": ["not_indicated", "not_applicable"], "cdk46_inhibitor": "not_indicated",
   "her2_therapy": "not_indicated"},
  {"chemotherapy": ["recommended"], "axillary_surgery": ["alnd"]})

V("issue-ecog2-cdk46", "issue8",
  "ECOG 2, HR+ HER2- pT2 G3 pN1a (2 macrometastases at SLNB+ALND), mastectomy: monarchE cohort 1 and NATALEE "
  "criteria are met on the tumour, but both trials enrolled ECOG 0-1 only (Johnston JCO 2020; Slamon NEJM 2024): "
  "a CDK4/6 inhibitor is outside trial evidence and must not be recommended or offered for discussion as if "
  "eligible. Endocrine therapy. PMRT for 1-3 positive nodes after mastectomy: recommended or individualised "
  "(EBCTCG 2014, McGale Lancet; ASCO/ASTRO/SSO 2016). RNI with PMRT for N+ (NCCN).",
  {"age": 61, "ecog": 2, "charlson_index": 1,
   "tumour": {"size_mm": 30.0, "grade": 3, "er_percent": 90, "pr_percent": 20, "her2_ihc": "1+",
              "ki67_percent": 30},
   "nodes": alnd(14, dep(1, 4.0), dep(2, 6.0), after_slnb=2),
   "surgery": {"breast": "mastectomy", "margins_mm": 5.0}},
  staging("pT2", "pN1a", grade=3, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"cdk46_inhibitor": "not_indicated", "endocrine": "recommended", "her2_therapy": "not_indicated",
   "post_mastectomy_rt": ["recommended", "discuss"], "whole_breast_rt": "not_applicable",
   "regional_nodal_irradiation": ["recommended", "discuss"], "olaparib": "not_indicated",
   "immunotherapy": "not_indicated"},
  {"cdk46_inhibitor": ["discuss", "recommended"]})

V("issue-cn1-ypn0-two-sln-single-tracer", "issue8",
  "Biopsy-proven cN1 -> TCHP -> ycN0; SLNB found only 2 sentinel nodes with a single tracer and no clipped node: "
  "false-negative rate 21% with 2 SLNs and 20% with one tracer (ACOSOG Z1071, Boughey JAMA 2013; SENTINA, Kuehn "
  "Lancet Oncol 2013; SN FNAC, Boileau JCO 2015). ASCO 2021 (Brackstone) and NCCN: SLNB alone after NST needs "
  ">= 3 SLNs, dual tracer or retrieval of the clipped node (TAD); otherwise ALND or axillary RT. 'No further "
  "axillary surgery' is unsafe here. HER2 therapy completes one year (NCCN). Chemotherapy done.",
  {"age": 48, **premenopausal(), "detection": "symptomatic",
   "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG, "ki67_percent": 50},
   "nodes": slnb(2, tracers=("radioisotope",), clipped="not_placed"),
   **neo(35, "cN1", TCHP)},
  staging("ypT0", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["axillary_rt_or_alnd", "alnd"], "her2_therapy": "recommended",
   "chemotherapy": "not_indicated", "capecitabine": "not_indicated", "endocrine": "not_indicated",
   "whole_breast_rt": "recommended", "immunotherapy": "not_indicated"},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("issue-t3-n1mi-mastectomy", "issue8",
  "pT3 (58 mm) pN1mi after mastectomy: T3 with any nodal involvement is stage IIIA (AJCC 8: N1mi counts as N1 "
  "for T2-T4). PMRT for T3 N+ (EBCTCG 2014; ASCO/ASTRO/SSO 2016; NCCN: PMRT with RNI for T3 N+); MA.20/EORTC "
  "22922 support RNI in higher-risk disease. ALND may be omitted when nodal RT is given (IBCSG 23-01; AMAROS; "
  "ASCO 2025). Postmenopausal RS 18: no chemotherapy (TAILORx/RxPONDER). CDK4/6: stage IIIA meets NATALEE; "
  "monarchE counting of micrometastatic nodes unclear: discuss or recommend.",
  {"age": 55, "tumour": {"size_mm": 58.0, "grade": 2, **LUMINAL, "ki67_percent": 20},
   "nodes": slnb(3, dep(1, 1.5)), "surgery": {"breast": "mastectomy", "margins_mm": 5.0}, "oncotype_rs": 18},
  staging("pT3", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT3", "cN0"), rs=18),
  {"post_mastectomy_rt": "recommended", "regional_nodal_irradiation": ["recommended", "discuss"],
   "axillary_surgery": ["omit_alnd", "axillary_rt_or_alnd"], "chemotherapy": "not_indicated",
   "endocrine": "recommended", "cdk46_inhibitor": ["discuss", "recommended"], "whole_breast_rt": "not_applicable",
   "her2_therapy": "not_indicated"})

V("issue-her2-pcr-bisphosphonate", "issue8",
  "Postmenopausal HER2+ ER- cT2 cN0 -> TCHP -> ypT0 ypN0 (pCR): she still receives adjuvant systemic therapy "
  "(trastuzumab to complete one year, NCCN), so she is a candidate for an adjuvant bisphosphonate: ASCO-OH 2022 "
  "(Eisen JCO): discuss with all postmenopausal candidates for adjuvant systemic therapy irrespective of HR/HER2; "
  "EBCTCG 2015: BC mortality RR 0.82 postmenopausal. Good dental health, eGFR 85.",
  {"age": 62, "detection": "symptomatic", "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG, "grade": 2},
   "nodes": slnb(2), **neo(30, "cN0", TCHP, proven=False)},
  staging("ypT0", "ypN0(sn)", grade=2, her2=True, er=False, pr=False, clinical=("cT2", "cN0"),
          setting="neoadjuvant"),
  {"bisphosphonate": ["recommended", "discuss"], "her2_therapy": "recommended", "endocrine": "not_indicated",
   "chemotherapy": "not_indicated", "capecitabine": "not_indicated", "whole_breast_rt": "recommended",
   "axillary_surgery": ["none_needed", "omit_alnd"]})

V("issue-pure-dcis", "issue8",
  "Pure DCIS (no invasive component) after BCS: HER2-directed therapy (NSABP B-43 negative), CDK4/6, olaparib, "
  "immunotherapy, adjuvant bisphosphonates, chemotherapy and capecitabine are never indicated for DCIS (all "
  "evidence and labels are for invasive cancer); they are decidable without any further input. No axillary "
  "surgery after BCS for DCIS, no nodal RT, no PMRT (NCCN DCIS-1).",
  {"age": 57, "tumour": {**DCIS, "nuclear_grade": 2, "er_percent": 90, "pr_percent": 50}, "nodes": NO_NODES},
  staging("pTis", "cN0", grade=None, her2=None, er=True, pr=True, clinical=("cTis", "cN0")),
  {**DCIS_SYSTEMIC_NONE, "axillary_surgery": "none_needed", "regional_nodal_irradiation": "not_indicated",
   "post_mastectomy_rt": "not_applicable"},
  DCIS_FORBIDDEN)

# =========================================================================================================
# 2. Cardiac
# =========================================================================================================

V("cardiac-lvef45-apt", "cardiac",
  "HER2+ ER- pT1c pN0, LVEF 45%: below the >= 50% the adjuvant trastuzumab trials required (APT; HERA) and the "
  "EU SmPC threshold for suspension; SAFE-HEaRt (LVEF 40-49% with ACE-i/beta-blocker and cardiology) makes it a "
  "case to discuss or defer, not a routine start. ASTRO 2018: boost for 51-70 with grade 3.",
  {"age": 52, "lvef_percent": 45, "tumour": {"size_mm": 16.0, **HER2_POS_ER_NEG}},
  staging("pT1c", "pN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": ["discuss", "deferred"], "endocrine": "not_indicated", "whole_breast_rt": "recommended",
   "boost": "recommended", "cdk46_inhibitor": "not_indicated", "axillary_surgery": "none_needed"},
  {"her2_therapy": ["recommended"]})

V("cardiac-lvef49-her2-n1mi", "cardiac",
  "HER2+ ER+ pT1b pN1mi, LVEF 49%: APT enrolled node-negative or micrometastatic HER2+ <= 3 cm (Tolaney NEJM "
  "2015), but LVEF < 50% is below the trials' entry and the label's suspension threshold: discuss (SAFE-HEaRt) or "
  "defer, never a routine start. Endocrine therapy. pN1mi after BCS: no ALND (IBCSG 23-01), WBI (omission trials "
  "pN0 only), no routine RNI. T1N1mi stage IB and HER2+: no CDK4/6.",
  {"age": 66, "lvef_percent": 49,
   "tumour": {"size_mm": 7.0, "grade": 2, "er_percent": 70, "pr_percent": 10, "her2_ihc": "3+",
              "ki67_percent": 25},
   "nodes": slnb(2, dep(1, 0.8))},
  staging("pT1b", "pN1mi(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT1b", "cN0")),
  {"her2_therapy": ["discuss", "deferred"], "endocrine": "recommended", "cdk46_inhibitor": "not_indicated",
   "axillary_surgery": "omit_alnd", "whole_breast_rt": "recommended",
   "regional_nodal_irradiation": "not_indicated"},
  {"her2_therapy": ["recommended"]})

V("cardiac-lvef50-boundary", "cardiac",
  "HER2+ ER- pT1c pN0, LVEF exactly 50%: at the trials' lower entry limit (LVEF >= 50%); EU SmPC asks for caution "
  "at <= 55%. Paclitaxel-trastuzumab (APT) recommended with 3-monthly LVEF, or discussed.",
  {"age": 45, **premenopausal(), "lvef_percent": 50, "tumour": {"size_mm": 13.0, **HER2_POS_ER_NEG}},
  staging("pT1c", "pN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": ["recommended", "discuss"], "endocrine": "not_indicated", "whole_breast_rt": "recommended",
   "boost": "recommended"})

V("cardiac-lvef55-apt", "cardiac",
  "HER2+ ER- pT1c pN0, LVEF 55%, no cardiac history: APT regimen (weekly paclitaxel x12 + trastuzumab 1 year; "
  "Tolaney NEJM 2015; NCCN) with LVEF every 3 months (label).",
  {"age": 60, "lvef_percent": 55, "tumour": {"size_mm": 12.0, **HER2_POS_ER_NEG, "grade": 2}},
  staging("pT1c", "pN0(sn)", grade=2, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": "recommended", "endocrine": "not_indicated", "cdk46_inhibitor": "not_indicated",
   "whole_breast_rt": "recommended", "immunotherapy": "not_indicated"})

V("cardiac-recovered-heart-failure", "cardiac",
  "HER2+ ER+ pT1c pN0 at 70 with past heart failure, now LVEF 58%: the adjuvant trastuzumab trials excluded a "
  "history of CHF (HERA, NSABP B-31); with recovered function trastuzumab can be given with cardiology input "
  "(ESC 2022 cardio-oncology): recommended with monitoring or discussed. Endocrine therapy.",
  {"age": 70, "lvef_percent": 58, "charlson_index": 1, "g8_score": 15, "clinical_frailty_scale": 3,
   "conditions": {"heart_failure": True},
   "tumour": {"size_mm": 14.0, "grade": 2, "er_percent": 80, "pr_percent": 30, "her2_ihc": "3+",
              "ki67_percent": 20}},
  staging("pT1c", "pN0(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"her2_therapy": ["discuss", "recommended"], "endocrine": "recommended", "cdk46_inhibitor": "not_indicated",
   "axillary_surgery": "none_needed"})

V("cardiac-prior-anthracycline", "cardiac",
  "HER2+ ER- pT1c pN0 at 46 after doxorubicin 320 mg/m2 for lymphoma, LVEF 56%: trastuzumab is still indicated "
  "(APT avoids anthracyclines); prior anthracycline raises cardiotoxicity risk (ASCO 2017 cardiac dysfunction "
  "guideline, Armenian JCO) so monitoring is closer; recommended or discussed.",
  {"age": 46, **premenopausal(), "lvef_percent": 56,
   "conditions": {"prior_anthracycline": True, "prior_anthracycline_mg_m2": 320},
   "tumour": {"size_mm": 17.0, **HER2_POS_ER_NEG}},
  staging("pT1c", "pN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": ["recommended", "discuss"], "endocrine": "not_indicated", "whole_breast_rt": "recommended",
   "boost": "recommended"})

V("cardiac-lvef35-tnbc", "cardiac",
  "TNBC pT2 pN0 at 66 with LVEF 35% and heart failure: chemotherapy is indicated for TNBC > 1 cm (NCCN; EBCTCG "
  "2012) but anthracyclines are excluded; a non-anthracycline regimen with cardio-oncology is recommended or "
  "discussed. Nothing HER2-directed for HER2 0. No KEYNOTE-522 after upfront surgery.",
  {"age": 66, "ecog": 1, "lvef_percent": 35, "charlson_index": 1, "conditions": {"heart_failure": True},
   "tumour": {"size_mm": 25.0, **TNBC}},
  staging("pT2", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN0")),
  {"chemotherapy": ["recommended", "discuss"], "her2_therapy": "not_indicated", "endocrine": "not_indicated",
   "immunotherapy": "not_indicated", "capecitabine": "not_indicated", "whole_breast_rt": "recommended"},
  {"her2_therapy": ["recommended"]})

V("cardiac-lvef45-tdm1-residual", "cardiac",
  "HER2+ ER- cT2 cN1 -> AC-THP -> residual ypT1b ypN0 (3 SLNs, dual tracer, clipped node retrieved), LVEF now "
  "45%: T-DM1 for residual disease (KATHERINE, von Minckwitz NEJM 2019) enrolled LVEF >= 50%; Kadcyla label: "
  "caution below 50%. Discuss with cardio-oncology or defer; not a routine start. Axilla adequately staged "
  "(Z1071 clip; >= 3 SLNs, dual tracer): no ALND. Capecitabine is for HER2-negative residual disease (CREATE-X).",
  {"age": 50, **premenopausal(), "lvef_percent": 45, "detection": "symptomatic",
   "tumour": {"size_mm": 8.0, **HER2_POS_ER_NEG},
   "nodes": slnb(3, clipped="retrieved"), **neo(32, "cN1", ["anthracycline", "taxane", "trastuzumab",
                                                             "pertuzumab"])},
  staging("ypT1b", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"her2_therapy": ["discuss", "deferred"], "axillary_surgery": ["none_needed", "omit_alnd"],
   "capecitabine": "not_indicated", "chemotherapy": "not_indicated", "endocrine": "not_indicated"},
  {"her2_therapy": ["recommended"]})

V("cardiac-ihd-normal-lvef", "cardiac",
  "HER2+ ER+ pT1c pN0 at 68 with treated ischaemic heart disease and LVEF 60%: no contraindication to "
  "trastuzumab (label: LVEF-based); APT regimen recommended with monitoring. Endocrine therapy.",
  {"age": 68, "lvef_percent": 60, "charlson_index": 1, "conditions": {"ischaemic_heart_disease": True},
   "tumour": {"size_mm": 16.0, "grade": 2, "er_percent": 85, "pr_percent": 40, "her2_ihc": "3+",
              "ki67_percent": 25}},
  staging("pT1c", "pN0(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"her2_therapy": "recommended", "endocrine": "recommended", "cdk46_inhibitor": "not_indicated",
   "whole_breast_rt": "recommended"})

# =========================================================================================================
# 3. Fitness and frailty
# =========================================================================================================

V("frail-cfs7-tnbc", "fitness",
  "79 years, Clinical Frailty Scale 7 (severely frail), ECOG 3, G8 9, TNBC pT2 pN0: chemotherapy toxicity risk "
  "(CARG/CRASH) outweighs benefit; ASCO geriatric 2018/2023 and SIOG/EUSOMA 2021: not recommended, at most "
  "discussed. Not HER2-positive; no immunotherapy or capecitabine after upfront surgery.",
  {"age": 79, "ecog": 3, "charlson_index": 3, "g8_score": 9, "clinical_frailty_scale": 7,
   "tumour": {"size_mm": 23.0, **TNBC}},
  staging("pT2", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN0")),
  {"chemotherapy": ["not_indicated", "discuss"], "immunotherapy": "not_indicated", "endocrine": "not_indicated",
   "her2_therapy": "not_indicated", "capecitabine": "not_indicated", "cdk46_inhibitor": "not_indicated"},
  {"chemotherapy": ["recommended"]})

V("fit-older-tnbc", "fitness",
  "74 years, fit (ECOG 0, G8 16, CFS 2), TNBC pT2 pN0: age alone is no reason to withhold chemotherapy (SIOG/"
  "EUSOMA 2021; CALGB 49907, Muss NEJM 2009: standard chemotherapy better than capecitabine at >= 65). "
  "Chemotherapy recommended.",
  {"age": 74, "g8_score": 16, "clinical_frailty_scale": 2, "tumour": {"size_mm": 25.0, **TNBC}},
  staging("pT2", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN0")),
  {"chemotherapy": "recommended", "endocrine": "not_indicated", "her2_therapy": "not_indicated",
   "immunotherapy": "not_indicated", "whole_breast_rt": "recommended"})

V("frail-life-expectancy-2y-n1", "fitness",
  "86 years, ECOG 3, team's estimated life expectancy 2 years, HR+ pT2 pN1a (1 of 2 SLNs, BCS): chemotherapy "
  "cannot bring benefit within 2 years (ASCO geriatric: estimate non-cancer life expectancy); CDK4/6 trials "
  "enrolled ECOG 0-1 (monarchE, NATALEE). Endocrine therapy. 1 SLN macrometastasis after BCS: no ALND (Z0011).",
  {"age": 86, "ecog": 3, "charlson_index": 4, "g8_score": 8, "clinical_frailty_scale": 6,
   "life_expectancy_years": 2,
   "tumour": {"size_mm": 30.0, "grade": 2, **LUMINAL, "ki67_percent": 15},
   "nodes": slnb(2, dep(1, 3.0))},
  staging("pT2", "pN1a(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"chemotherapy": "not_indicated", "cdk46_inhibitor": "not_indicated", "endocrine": "recommended",
   "axillary_surgery": "omit_alnd", "her2_therapy": "not_indicated", "olaparib": "not_indicated"},
  {"chemotherapy": ["recommended"], "cdk46_inhibitor": ["discuss", "recommended"]})

V("g8-abnormal-rs30", "fitness",
  "76 years, ECOG 1, G8 13 (abnormal: full geriatric assessment needed, Bellera Ann Oncol 2012), HR+ pT1c pN0 "
  "RS 30: RS >= 26 would mean chemotherapy in TAILORx (enrolled up to 75), but with an abnormal G8 the decision "
  "waits for geriatric assessment (ASCO geriatric 2018/2023): discuss. Endocrine therapy.",
  {"age": 76, "ecog": 1, "charlson_index": 1, "g8_score": 13, "clinical_frailty_scale": 4,
   "tumour": {"size_mm": 18.0, "grade": 2, **LUMINAL, "ki67_percent": 25}, "oncotype_rs": 30},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=30),
  {"chemotherapy": "discuss", "endocrine": "recommended", "cdk46_inhibitor": "not_indicated",
   "her2_therapy": "not_indicated"})

V("ecog2-tnbc-t1c", "fitness",
  "68 years, ECOG 2 (comorbidity, not the cancer), TNBC pT1c pN0: NCCN recommends chemotherapy for TNBC > 1 cm; "
  "ECOG 2 is outside the trials: recommended with caution or discussed.",
  {"age": 68, "ecog": 2, "charlson_index": 2, "tumour": {"size_mm": 15.0, **TNBC}},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"chemotherapy": ["discuss", "recommended"], "endocrine": "not_indicated", "immunotherapy": "not_indicated",
   "her2_therapy": "not_indicated"})

V("cfs5-her2-81", "fitness",
  "81 years, CFS 5 (mildly frail), G8 12, HER2+ ER+ pT1c pN0: HER2 therapy may be given alone or with "
  "de-escalated chemotherapy in older patients (RESPECT, Sawaki JCO 2020: trastuzumab monotherapy in 70-80); "
  "chemotherapy itself is discussed or omitted. Endocrine therapy. >= 70, T1 N0 ER+: RT omission possible "
  "(CALGB 9343) or WBI.",
  {"age": 81, "ecog": 1, "charlson_index": 2, "g8_score": 12, "clinical_frailty_scale": 5,
   "tumour": {"size_mm": 13.0, "grade": 2, "er_percent": 90, "pr_percent": 40, "her2_ihc": "3+",
              "ki67_percent": 20}},
  staging("pT1c", "pN0(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"her2_therapy": ["recommended", "discuss"], "chemotherapy": ["discuss", "not_indicated"],
   "endocrine": "recommended", "whole_breast_rt": ["omission_possible", "recommended"],
   "cdk46_inhibitor": "not_indicated"})

V("older-fit-pn1a-rs14", "fitness",
  "77 years, fit (ECOG 0, G8 16), HR+ pT2 G2 pN1a(sn) 1 macrometastasis, BCS, RS 14: postmenopausal with 1-3 "
  "nodes and RS <= 25: no chemotherapy (RxPONDER, Kalinsky NEJM 2021). Z0011: no ALND. WBI (node-positive). "
  "CDK4/6: stage IIB meets NATALEE (no upper age limit); monarchE needs G3 or >= 5 cm: discuss or recommend.",
  {"age": 77, "g8_score": 16, "clinical_frailty_scale": 2,
   "tumour": {"size_mm": 22.0, "grade": 2, **LUMINAL, "ki67_percent": 15}, "oncotype_rs": 14,
   "nodes": slnb(2, dep(1, 4.0))},
  staging("pT2", "pN1a(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"chemotherapy": "not_indicated", "endocrine": "recommended", "axillary_surgery": "omit_alnd",
   "whole_breast_rt": "recommended", "cdk46_inhibitor": ["discuss", "recommended"],
   "her2_therapy": "not_indicated"})

V("frail-planned-88", "fitness",
  "88 years, ECOG 3, CFS 7, cT2 G2 ER+ HER2- cN0 (normal axillary ultrasound), BCS planned: sentinel biopsy "
  "should not routinely be done at >= 70 with HR+ HER2- cN0 disease (SSO Choosing Wisely 2016/2019; NCCN). "
  "No chemotherapy (ASCO geriatric); no CDK4/6 (ECOG 0-1 trials). Endocrine therapy.",
  {"age": 88, "ecog": 3, "charlson_index": 3, "g8_score": 9, "clinical_frailty_scale": 7,
   "tumour": {"size_mm": 25.0, "grade": 2, **LUMINAL, "ki67_percent": 10}, **planned("bcs")},
  staging("cT2", "cN0", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0"), setting="planned"),
  {"sentinel_biopsy": "omission_possible", "chemotherapy": "not_indicated", "endocrine": "recommended",
   "cdk46_inhibitor": "not_indicated", "her2_therapy": "not_indicated"},
  {"chemotherapy": ["recommended"], "cdk46_inhibitor": ["discuss", "recommended"]})

V("charlson5-le3-pn1mi", "fitness",
  "79 years, Charlson 5, life expectancy 3 years, HR+ pT1c G3 pN1mi, no assay: chemotherapy benefit would not "
  "be realised (ASCO geriatric; competing mortality, de Boer): not indicated; no assay needed. pN1mi: no ALND "
  "(IBCSG 23-01); T1N1mi stage IB: no CDK4/6. Endocrine therapy.",
  {"age": 79, "ecog": 1, "charlson_index": 5, "life_expectancy_years": 3, "g8_score": 12,
   "clinical_frailty_scale": 5,
   "tumour": {"size_mm": 17.0, "grade": 3, **LUMINAL, "ki67_percent": 30},
   "nodes": slnb(2, dep(1, 1.2))},
  staging("pT1c", "pN1mi(sn)", grade=3, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"chemotherapy": "not_indicated", "endocrine": "recommended", "axillary_surgery": "omit_alnd",
   "cdk46_inhibitor": "not_indicated", "whole_breast_rt": ["recommended", "omission_possible"]},
  {"chemotherapy": ["recommended"]})

V("older-ecog2-planned-no-us", "fitness",
  "80 years, ECOG 2, cT1c G2 ER+ HER2- cN0 on examination, axillary ultrasound not done, BCS planned: SSO "
  "Choosing Wisely (>= 70, HR+ HER2-, cN0) does not require an ultrasound: sentinel biopsy omission possible.",
  {"age": 80, "ecog": 2, "charlson_index": 2, "g8_score": 13, "clinical_frailty_scale": 4,
   "axillary_ultrasound": "not_done",
   "tumour": {"size_mm": 14.0, "grade": 2, **LUMINAL, "ki67_percent": 10}, **planned("bcs")},
  staging("cT1c", "cN0", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), setting="planned"),
  {"sentinel_biopsy": "omission_possible", "endocrine": "recommended", "her2_therapy": "not_indicated",
   "cdk46_inhibitor": "not_indicated"},
  {"cdk46_inhibitor": ["discuss", "recommended"]})

# =========================================================================================================
# 4. Axilla after neoadjuvant therapy
# =========================================================================================================

V("nst-cn1-3sln-dual-clip-ypn0", "post_nst_axilla",
  "Biopsy-proven cN1 -> TCHP -> ypT0 ypN0 with 3 SLNs, dual tracer and the clipped node retrieved: adequately "
  "staged (Z1071: >= 3 SLNs FNR 9.1%, dual tracer 10.8%, clip in specimen 6.8%; ASCO 2021; NCCN): no ALND. "
  "HER2 therapy to one year; endocrine therapy for ER+.",
  {"age": 45, **premenopausal("planned"), "detection": "symptomatic",
   "tumour": {"size_mm": 0.0, "grade": 2, "er_percent": 80, "pr_percent": 40, "her2_ihc": "3+",
              "ki67_percent": 30},
   "nodes": slnb(3, clipped="retrieved"), **neo(30, "cN1", TCHP)},
  staging("ypT0", "ypN0(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["none_needed", "omit_alnd"], "her2_therapy": "recommended", "endocrine": "recommended",
   "chemotherapy": "not_indicated", "whole_breast_rt": "recommended", "cdk46_inhibitor": "not_indicated"})

V("nst-cn1-3sln-single-tracer-tnbc", "post_nst_axilla",
  "TNBC cN1 -> KEYNOTE-522 -> ypT0 ypN0 with 3 SLNs (single tracer, no clip): >= 3 SLNs brings the FNR under 10% "
  "(Z1071 9.1%; NCCN/ASCO 2021 list >= 3 SLNs as sufficient): no ALND. pCR: continue pembrolizumab (KEYNOTE-522); "
  "no capecitabine or olaparib after pCR.",
  {"age": 41, **premenopausal(), "detection": "symptomatic", "tumour": {"size_mm": 0.0, **TNBC},
   "nodes": slnb(3, tracers=("radioisotope",), clipped="not_placed"), **neo(30, "cN1", KN522)},
  staging("ypT0", "ypN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["none_needed", "omit_alnd"], "immunotherapy": "recommended",
   "capecitabine": "not_indicated", "olaparib": "not_indicated", "chemotherapy": "not_indicated",
   "endocrine": "not_indicated", "whole_breast_rt": "recommended"})

V("nst-cn1-2sln-clip-retrieved", "post_nst_axilla",
  "Biopsy-proven cN1 HER2+ -> TCHP -> ypT0 ypN0: 2 SLNs with a single tracer but the clipped node retrieved "
  "(targeted axillary dissection; Caudle JCO 2016; Z1071 clip FNR 6.8%): adequately staged, no ALND.",
  {"age": 53, "detection": "symptomatic", "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG},
   "nodes": slnb(2, tracers=("radioisotope",), clipped="retrieved"), **neo(28, "cN1", TCHP)},
  staging("ypT0", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["none_needed", "omit_alnd"], "her2_therapy": "recommended",
   "endocrine": "not_indicated", "chemotherapy": "not_indicated"})

V("nst-cn1-1sln-clip-missed", "post_nst_axilla",
  "Biopsy-proven cN1 -> TCHP -> ypT0 ypN0 on 1 SLN (dual tracer) with the clipped node NOT retrieved: 1 SLN "
  "has a 31% FNR (Z1071) and the node that held the cancer was not examined (MD Anderson TAD: clipped node not "
  "an SLN in 10%): inadequately staged -> ALND or axillary RT (ASCO 2021; NCCN). 'No further surgery' unsafe.",
  {"age": 39, **premenopausal(), "detection": "symptomatic", "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG},
   "nodes": slnb(1, clipped="not_retrieved"), **neo(26, "cN1", TCHP)},
  staging("ypT0", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["axillary_rt_or_alnd", "alnd"], "her2_therapy": "recommended",
   "chemotherapy": "not_indicated", "endocrine": "not_indicated"},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("nst-cn1-ypn0-itc", "post_nst_axilla",
  "Biopsy-proven cN1 HR+ HER2- -> AC-T -> residual ypT1c with ITC in an SLN (ypN0(i+)): residual nodal disease "
  "after NST, ITC included -> ALND (NCCN; UK ABS/RCR 2019; Alliance A011202 testing nodal RT instead is still "
  "unreported) or, per some NCCN versions, axillary RT. Not a pCR. RNI for residual nodal disease. Endocrine.",
  {"age": 58, "detection": "symptomatic",
   "tumour": {"size_mm": 12.0, "grade": 2, "nuclear_grade": 2, **LUMINAL, "ki67_percent": 20},
   "nodes": slnb(3, dep(2, 0.1, "ihc"), clipped="retrieved"), **neo(35, "cN1", ACT)},
  staging("ypT1c", "ypN0(i+)(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "regional_nodal_irradiation": "recommended",
   "endocrine": "recommended", "chemotherapy": "not_indicated", "olaparib": "not_indicated",
   "her2_therapy": "not_indicated"},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("nst-cn1-ypn1mi-brca1", "post_nst_axilla",
  "TNBC gBRCA1 cN1 -> KEYNOTE-522 -> ypT1a ypN1mi (4 SLNs, dual tracer, clip retrieved): residual "
  "micrometastasis -> ALND (NCCN; ASCO 2021), RNI. Residual disease: continue pembrolizumab; olaparib for "
  "gBRCA non-pCR TNBC (OlympiA, Tutt NEJM 2021).",
  {"age": 37, **premenopausal(), "detection": "symptomatic", "germline_brca": "brca1",
   "tumour": {"size_mm": 4.0, **TNBC}, "nodes": slnb(4, dep(1, 1.6), clipped="retrieved"),
   **neo(25, "cN1", KN522)},
  staging("ypT1a", "ypN1mi(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "regional_nodal_irradiation": "recommended",
   "immunotherapy": "recommended", "olaparib": "recommended", "endocrine": "not_indicated",
   "chemotherapy": "not_indicated"},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("nst-cn0-2sln-ypn0", "post_nst_axilla",
  "Clinically node-negative before NST (cN0) -> TCHP -> ypT0 ypN0 on 2 SLNs: the >= 3 SLN / dual tracer / clip "
  "requirement is for initially node-positive patients (Z1071 population); SLNB after NST in cN0 is standard "
  "(NCCN; ASCO 2021): no ALND. Premenopausal, ER-negative, no OFS: no bisphosphonate (EBCTCG 2015).",
  {"age": 42, **premenopausal(), "detection": "symptomatic", "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG},
   "nodes": slnb(2, tracers=("radioisotope",)), **neo(28, "cN0", TCHP, proven=False)},
  staging("ypT0", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN0"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["none_needed", "omit_alnd"], "her2_therapy": "recommended",
   "bisphosphonate": "not_indicated", "endocrine": "not_indicated", "chemotherapy": "not_indicated"})

V("nst-cn0-ypn1mi-tdm1", "post_nst_axilla",
  "cN0 HER2+ ER+ -> TCHP -> residual ypT1b ypN1mi(sn): residual nodal disease after NST -> ALND or nodal RT "
  "(NCCN; ASCO 2021). Residual invasive disease -> T-DM1 (KATHERINE), LVEF 60%. Endocrine therapy.",
  {"age": 56, "detection": "symptomatic",
   "tumour": {"size_mm": 8.0, "grade": 3, "nuclear_grade": 3, "er_percent": 60, "pr_percent": 20,
              "her2_ihc": "3+", "ki67_percent": 30},
   "nodes": slnb(3, dep(1, 0.9)), **neo(28, "cN0", TCHP, proven=False)},
  staging("ypT1b", "ypN1mi(sn)", grade=3, her2=True, er=True, pr=True, clinical=("cT2", "cN0"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "her2_therapy": "recommended",
   "endocrine": "recommended", "chemotherapy": "not_indicated", "cdk46_inhibitor": "not_indicated"},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("nst-inflammatory-slnb", "post_nst_axilla",
  "Inflammatory cancer (cT4d cN1, HER2+ ER-) -> TCHP -> modified radical mastectomy planned as ALND but only an "
  "SLNB done (ypT0 ypN0(sn), 3 SLNs): SLNB is not reliable in inflammatory breast cancer; ALND is required "
  "(NCCN IBC-1; ASCO 2021). PMRT and comprehensive nodal RT for all inflammatory cancers (NCCN). HER2 therapy "
  "to one year. Clinical prognostic stage from cT4d cN1.",
  {"age": 51, "detection": "symptomatic", "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG},
   "nodes": slnb(3, clipped="retrieved"), "surgery": {"breast": "mastectomy", "margins_mm": 10.0},
   **neo(60, "cN1", TCHP, extension="inflammatory")},
  staging("ypT0", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT4d", "cN1"),
          setting="neoadjuvant"),
  {"axillary_surgery": "alnd", "post_mastectomy_rt": "recommended", "regional_nodal_irradiation": "recommended",
   "her2_therapy": "recommended", "whole_breast_rt": "not_applicable"},
  {"axillary_surgery": ["none_needed", "omit_alnd"], "post_mastectomy_rt": ["not_indicated"]})

V("nst-ct4b-residual-n1a", "post_nst_axilla",
  "cT4b (skin ulceration) cN1 HR+ HER2- -> AC-T -> mastectomy + ALND: ypT1c ypN1a (2 of 12): PMRT and RNI "
  "(NCCN: any cT4 and residual nodal disease). Endocrine therapy. CDK4/6: NATALEE (anatomic stage III at "
  "diagnosis) and monarchE cohort 1 (post-NST) -> recommended or discussed. gBRCA negative: no olaparib. "
  "Clinical prognostic stage from cT4b cN1.",
  {"age": 57, "detection": "symptomatic",
   "tumour": {"size_mm": 15.0, "grade": 2, "nuclear_grade": 2, **LUMINAL, "ki67_percent": 25},
   "nodes": alnd(12, dep(1, 5.0), dep(2, 3.0)), "surgery": {"breast": "mastectomy", "margins_mm": 6.0},
   **neo(45, "cN1", ACT, extension="skin")},
  staging("ypT1c", "ypN1a", grade=2, her2=False, er=True, pr=True, clinical=("cT4b", "cN1"),
          setting="neoadjuvant"),
  {"post_mastectomy_rt": "recommended", "regional_nodal_irradiation": "recommended", "endocrine": "recommended",
   "cdk46_inhibitor": ["recommended", "discuss"], "olaparib": "not_indicated", "chemotherapy": "not_indicated",
   "whole_breast_rt": "not_applicable"},
  {"post_mastectomy_rt": ["not_indicated"]})

V("nst-cn2-ypn0-slnb", "post_nst_axilla",
  "cN2a (matted nodes) HER2+ -> TCHP -> ypT0 ypN0 on SLNB (3 SLNs, dual, clip retrieved): SLNB after NST is "
  "validated for cN1 converting to ycN0; for cN2-3 at presentation NCCN and ASCO 2021 keep ALND (or nodal RT). "
  "Clinical prognostic stage from cT2 cN2a.",
  {"age": 47, **premenopausal(), "detection": "symptomatic", "tumour": {"size_mm": 0.0, **HER2_POS_ER_NEG},
   "nodes": slnb(3, clipped="retrieved"), **neo(40, "cN2a", TCHP)},
  staging("ypT0", "ypN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN2a"),
          setting="neoadjuvant"),
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "her2_therapy": "recommended",
   "regional_nodal_irradiation": "recommended", "endocrine": "not_indicated"},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

# =========================================================================================================
# 5. Pure DCIS (and one microinvasive contrast)
# =========================================================================================================

V("dcis-mastectomy-planned-slnb", "dcis",
  "Extensive DCIS (60 mm, nuclear grade 3, ER-) with mastectomy planned: SLNB at mastectomy because an occult "
  "invasive cancer cannot be staged afterwards (ASCO SLNB 2017, Lyman JCO; NCCN DCIS-1). No systemic therapy "
  "applies to DCIS; no WBI after mastectomy; no endocrine therapy for ER-negative DCIS (NSABP B-24).",
  {"age": 48, **premenopausal(), "tumour": {**DCIS, "size_mm": DROP, "nuclear_grade": 3, "er_percent": 0,
                                            "pr_percent": 0}, **planned("mastectomy")},
  staging("cTis", "cN0", grade=None, her2=None, er=False, pr=False, clinical=("cTis", "cN0"), setting="planned"),
  {**DCIS_SYSTEMIC_NONE, "sentinel_biopsy": "recommended", "endocrine": "not_indicated",
   "whole_breast_rt": "not_applicable"},
  DCIS_FORBIDDEN)

V("dcis-bcs-planned-no-slnb", "dcis",
  "DCIS 15 mm nuclear grade 2 ER+ with BCS planned: no routine SLNB for DCIS treated by lumpectomy (SSO Choosing "
  "Wisely; ASCO 2017; NCCN). No systemic therapy other than endocrine applies.",
  {"age": 62, "tumour": {**DCIS, "size_mm": DROP, "nuclear_grade": 2, "er_percent": 90, "pr_percent": 40},
   **planned("bcs")},
  staging("cTis", "cN0", grade=None, her2=None, er=True, pr=True, clinical=("cTis", "cN0"), setting="planned"),
  {**DCIS_SYSTEMIC_NONE, "sentinel_biopsy": ["not_applicable", "omission_possible"]},
  DCIS_FORBIDDEN)

V("dcis-high-grade-bcs", "dcis",
  "DCIS 30 mm nuclear grade 3 with comedonecrosis, margins 2 mm, BCS, 45 years: WBI recommended (EBCTCG DCIS "
  "2010; NSABP B-17; outside RTOG 9804 low-risk criteria). No systemic therapy other than endocrine applies.",
  {"age": 45, **premenopausal(), "tumour": {**DCIS, "nuclear_grade": 3, "er_percent": 90, "pr_percent": 60},
   "nodes": NO_NODES, "surgery": {"margins_mm": 2.0}},
  staging("pTis", "cN0", grade=None, her2=None, er=True, pr=True, clinical=("cTis", "cN0")),
  {**DCIS_SYSTEMIC_NONE, "whole_breast_rt": "recommended", "axillary_surgery": "none_needed",
   "regional_nodal_irradiation": "not_indicated"},
  DCIS_FORBIDDEN)

V("dcis-er-negative", "dcis",
  "ER-negative DCIS 18 mm nuclear grade 3 after BCS: tamoxifen benefit is confined to ER+ DCIS (NSABP B-24, "
  "Allred JCO 2012): no endocrine therapy. WBI recommended.",
  {"age": 55, "tumour": {**DCIS, "nuclear_grade": 3, "er_percent": 0, "pr_percent": 0}, "nodes": NO_NODES},
  staging("pTis", "cN0", grade=None, her2=None, er=False, pr=False, clinical=("cTis", "cN0")),
  {**DCIS_SYSTEMIC_NONE, "endocrine": "not_indicated", "whole_breast_rt": "recommended"},
  {**DCIS_FORBIDDEN, "endocrine": ["recommended"]})

V("dcis-premenopausal-prior-pe", "dcis",
  "ER+ DCIS after BCS at 44, premenopausal, prior pulmonary embolism: tamoxifen is contraindicated for DCIS "
  "(and risk reduction) in women with a history of DVT/PE (tamoxifen label), and an aromatase inhibitor without "
  "OFS is ineffective premenopause (IBIS-II DCIS enrolled postmenopausal women): no endocrine therapy.",
  {"age": 44, **premenopausal(), "conditions": {"venous_thromboembolism": True},
   "tumour": {**DCIS, "nuclear_grade": 2, "er_percent": 85, "pr_percent": 50}, "nodes": NO_NODES,
   "surgery": {"margins_mm": 4.0}},
  staging("pTis", "cN0", grade=None, her2=None, er=True, pr=True, clinical=("cTis", "cN0")),
  {**DCIS_SYSTEMIC_NONE, "endocrine": "not_indicated"},
  {**DCIS_FORBIDDEN, "endocrine": ["recommended"]})

V("dcis-her2-positive", "dcis",
  "HER2 3+ DCIS (ER-) after BCS: trastuzumab with RT did not significantly reduce recurrence (NSABP B-43, Cobleigh "
  "JCO 2021): no HER2 therapy for DCIS. WBI.",
  {"age": 50, **premenopausal(),
   "tumour": {**DCIS, "her2_ihc": "3+", "nuclear_grade": 3, "er_percent": 0, "pr_percent": 0},
   "nodes": NO_NODES},
  staging("pTis", "cN0", grade=None, her2=True, er=False, pr=False, clinical=("cTis", "cN0")),
  {**DCIS_SYSTEMIC_NONE, "whole_breast_rt": "recommended", "endocrine": "not_indicated"},
  DCIS_FORBIDDEN)

V("dcis-low-risk-older", "dcis",
  "Screen-detected DCIS 10 mm nuclear grade 1, margins 5 mm, at 76: RTOG 9804 low-risk (<= 2.5 cm, low/"
  "intermediate grade, margins >= 3 mm; McCormick JCO 2015/2021): RT may be omitted, or given. No systemic therapy "
  "other than endocrine applies.",
  {"age": 76, "g8_score": 16, "clinical_frailty_scale": 3,
   "tumour": {**DCIS, "nuclear_grade": 1, "er_percent": 95, "pr_percent": 80}, "nodes": NO_NODES,
   "surgery": {"margins_mm": 5.0}},
  staging("pTis", "cN0", grade=None, her2=None, er=True, pr=True, clinical=("cTis", "cN0")),
  {**DCIS_SYSTEMIC_NONE, "whole_breast_rt": ["omission_possible", "recommended"]},
  DCIS_FORBIDDEN)

V("microinvasive-t1mi", "dcis",
  "DCIS 35 mm with one 0.8 mm focus of invasion (pT1mi), SLNB negative: invasive cancer, staged pT1mi pN0(sn) "
  "= IA. ER+ HER2 0: endocrine therapy; no chemotherapy, HER2 therapy, CDK4/6 or olaparib for T1mi N0 (NCCN).",
  {"age": 64, "tumour": {"size_mm": 0.8, "grade": 2, "er_percent": 90, "pr_percent": 60, "her2_ihc": "0",
                         "ki67_percent": 10}},
  staging("pT1mi", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1mi", "cN0")),
  {"endocrine": "recommended", "chemotherapy": "not_indicated", "her2_therapy": "not_indicated",
   "cdk46_inhibitor": "not_indicated", "olaparib": "not_indicated", "immunotherapy": "not_indicated",
   "axillary_surgery": "none_needed"})

# =========================================================================================================
# 6. Pregnancy and lactation
# =========================================================================================================

PREGNANT = "Surgery is possible in any trimester; chemotherapy only from 14 weeks' gestation; tamoxifen and " \
           "trastuzumab are contraindicated in pregnancy (Amant, Lancet 2012; ESMO 2013, Peccatori Ann Oncol)."

V("pregnant-t1-hrpos-planned", "pregnancy",
  f"10 weeks pregnant, cT2 ER+ HER2- cN0, mastectomy planned. {PREGNANT} Endocrine therapy is indicated but "
  "deferred until after delivery. CDK4/6, olaparib and bisphosphonates are contraindicated in pregnancy "
  "(labels: embryo-fetal toxicity).",
  {"age": 34, **premenopausal(), "pregnancy": {"status": "pregnant", "trimester": 1, "gestational_age_weeks": 10},
   "detection": "symptomatic", "tumour": {"size_mm": 25.0, "grade": 2, "er_percent": 90, "pr_percent": 70,
                                          "her2_ihc": "0", "ki67_percent": 20},
   **planned("mastectomy")},
  staging("cT2", "cN0", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0"), setting="planned"),
  {"endocrine": "deferred", "her2_therapy": "not_indicated", "immunotherapy": "not_indicated",
   "olaparib": "not_indicated", "whole_breast_rt": "not_applicable"},
  {"endocrine": ["recommended"], "cdk46_inhibitor": ["recommended"], "olaparib": ["recommended"],
   "bisphosphonate": ["recommended"], "chemotherapy": ["recommended"]})

V("pregnant-t1-tnbc-planned", "pregnancy",
  f"8 weeks pregnant, TNBC cT2 cN1, surgery planned. {PREGNANT} Chemotherapy is indicated (neoadjuvant, "
  "KEYNOTE-522 population) but cannot start before week 14: deferred. Pembrolizumab has no safety data in "
  "pregnancy (label: may cause fetal harm): not now.",
  {"age": 31, **premenopausal(), "pregnancy": {"status": "pregnant", "trimester": 1, "gestational_age_weeks": 8},
   "detection": "symptomatic", "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "tumour": {"size_mm": 30.0, **TNBC}, **planned("mastectomy")},
  staging("cT2", "cN1", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"), setting="planned"),
  {"chemotherapy": "deferred", "immunotherapy": ["deferred", "not_indicated"], "endocrine": "not_indicated",
   "her2_therapy": "not_indicated"},
  {"chemotherapy": ["recommended"], "immunotherapy": ["recommended"], "capecitabine": ["recommended"]})

V("pregnant-t2-tnbc-chemo", "pregnancy",
  f"20 weeks pregnant, TNBC cT2 cN0, surgery planned. {PREGNANT} Anthracycline-based chemotherapy (and weekly "
  "paclitaxel) can be given in the second trimester: recommended. Pembrolizumab: not in pregnancy.",
  {"age": 33, **premenopausal(), "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 20},
   "detection": "symptomatic", "tumour": {"size_mm": 28.0, **TNBC}, **planned("bcs")},
  staging("cT2", "cN0", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN0"), setting="planned"),
  {"chemotherapy": "recommended", "immunotherapy": ["deferred", "not_indicated"], "endocrine": "not_indicated",
   "her2_therapy": "not_indicated"},
  {"immunotherapy": ["recommended"], "capecitabine": ["recommended"], "olaparib": ["recommended"]})

V("pregnant-t2-her2pos", "pregnancy",
  f"22 weeks pregnant, HER2+ ER- cT2 cN1, surgery planned. {PREGNANT} Trastuzumab causes oligohydramnios: HER2 "
  "therapy deferred until after delivery; chemotherapy from week 14 is recommended.",
  {"age": 36, **premenopausal(), "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 22},
   "detection": "symptomatic", "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "tumour": {"size_mm": 32.0, **HER2_POS_ER_NEG}, **planned("mastectomy")},
  staging("cT2", "cN1", grade=3, her2=True, er=False, pr=False, clinical=("cT2", "cN1"), setting="planned"),
  {"her2_therapy": "deferred", "chemotherapy": "recommended", "endocrine": "not_indicated",
   "immunotherapy": "not_indicated"},
  {"her2_therapy": ["recommended"]})

V("pregnant-t3-postop-hrpos", "pregnancy",
  f"30 weeks pregnant, after mastectomy: pT1c G2 ER+ HER2- pN0(sn) (99mTc only; Gentilini Ann Oncol 2004), RS 14 "
  f"at 35: no chemotherapy (TAILORx, <= 50 with RS <= 15). {PREGNANT} Endocrine therapy deferred until after "
  "delivery. pN0 after mastectomy: no PMRT.",
  {"age": 35, **premenopausal(), "pregnancy": {"status": "pregnant", "trimester": 3, "gestational_age_weeks": 30},
   "detection": "symptomatic", "tumour": {"size_mm": 18.0, "grade": 2, **LUMINAL, "ki67_percent": 15},
   "nodes": slnb(2, tracers=("radioisotope",)), "surgery": {"breast": "mastectomy", "margins_mm": 8.0},
   "oncotype_rs": 14},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=14),
  {"chemotherapy": "not_indicated", "endocrine": "deferred", "post_mastectomy_rt": "not_indicated",
   "her2_therapy": "not_indicated", "whole_breast_rt": "not_applicable"},
  {"endocrine": ["recommended"], "bisphosphonate": ["recommended"], "cdk46_inhibitor": ["recommended"]})

V("pregnant-t3-bcs-rt", "pregnancy",
  f"29 weeks pregnant, after BCS: TNBC pT1c pN0(sn). {PREGNANT} Whole-breast RT is deferred until after delivery "
  "(fetal dose rises as the fetus grows; Amant 2012). Chemotherapy for TNBC > 1 cm can be given in the third "
  "trimester until about week 35, or after delivery.",
  {"age": 32, **premenopausal(), "pregnancy": {"status": "pregnant", "trimester": 3, "gestational_age_weeks": 29},
   "detection": "symptomatic", "tumour": {"size_mm": 15.0, **TNBC},
   "nodes": slnb(2, tracers=("radioisotope",))},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"whole_breast_rt": "deferred", "chemotherapy": ["recommended", "deferred"], "immunotherapy": "not_indicated",
   "endocrine": "not_indicated", "her2_therapy": "not_indicated"},
  {"capecitabine": ["recommended"]})

V("lactating-her2-hrpos", "pregnancy",
  "Lactating at diagnosis, HER2+ ER+ pT1c pN0 after BCS: endocrine and monoclonal-antibody therapy are "
  "contraindicated during lactation (Yu HKMJ 2017): both deferred until breastfeeding stops. RT is compatible "
  "with breastfeeding from the other breast: WBI.",
  {"age": 33, **premenopausal("not_planned"), "pregnancy": {"status": "lactating"}, "detection": "symptomatic",
   "tumour": {"size_mm": 16.0, "grade": 2, "er_percent": 80, "pr_percent": 40, "her2_ihc": "3+",
              "ki67_percent": 30}},
  staging("pT1c", "pN0(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"her2_therapy": "deferred", "endocrine": "deferred", "whole_breast_rt": "recommended",
   "chemotherapy": ["recommended", "deferred"], "cdk46_inhibitor": "not_indicated"},
  {"her2_therapy": ["recommended"], "endocrine": ["recommended"]})

V("lactating-tnbc-planned", "pregnancy",
  "Lactating, TNBC cT2 cN1, surgery planned: KEYNOTE-522 chemotherapy once breastfeeding stops (or now); "
  "pembrolizumab (a monoclonal antibody) is contraindicated during lactation (Yu HKMJ 2017): deferred.",
  {"age": 30, **premenopausal(), "pregnancy": {"status": "lactating"}, "detection": "symptomatic",
   "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious", "tumour": {"size_mm": 30.0, **TNBC},
   **planned("mastectomy")},
  staging("cT2", "cN1", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"), setting="planned"),
  {"chemotherapy": ["recommended", "deferred"], "immunotherapy": "deferred", "endocrine": "not_indicated",
   "her2_therapy": "not_indicated"},
  {"immunotherapy": ["recommended"]})

V("not-pregnant-young-tnbc", "pregnancy",
  "Control: 38 years, pregnancy status recorded as not pregnant, TNBC pT1c pN0 after BCS: chemotherapy (NCCN), "
  "no immunotherapy after upfront surgery (KEYNOTE-522 is neoadjuvant), WBI and boost at <= 50 (ASTRO 2018).",
  {"age": 38, **premenopausal(), "tumour": {"size_mm": 14.0, **TNBC}},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"chemotherapy": "recommended", "immunotherapy": "not_indicated", "whole_breast_rt": "recommended",
   "boost": "recommended", "endocrine": "not_indicated"})

# =========================================================================================================
# 7. Older patients: local therapy (CALGB 9343, PRIME II, LUMINA, EUROPA, SOUND, INSEMA, SSO)
# =========================================================================================================

V("calgb9343-74-pn0", "older_local",
  "74 years, pT1c G2 ER+ HER2- pN0(sn), BCS, endocrine therapy planned: RT may be omitted (CALGB 9343, Hughes "
  "JCO 2013: >= 70, T1 N0 ER+; NCCN). Clinically low risk at 74: no chemotherapy or assay (TAILORx <= 75 but "
  "ASCO 2022 biomarker: assay only if chemotherapy would be given). No boost over 70.",
  {"age": 74, "g8_score": 16, "clinical_frailty_scale": 3,
   "tumour": {"size_mm": 14.0, "grade": 2, **LUMINAL, "ki67_percent": 10}},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"whole_breast_rt": "omission_possible", "endocrine": "recommended", "chemotherapy": "not_indicated",
   "boost": ["not_indicated", "not_applicable"], "axillary_surgery": "none_needed"})

V("calgb9343-71-itc", "older_local",
  "71 years, pT1c G2 ER+ with ITC only in 1 of 2 SLNs: pN0(i+) is N0 (AJCC 8); CALGB 9343 eligibility is met on "
  "N0 (some boards still give WBI: both acceptable). No ALND for ITC.",
  {"age": 71, "g8_score": 15, "clinical_frailty_scale": 3,
   "tumour": {"size_mm": 17.0, "grade": 2, **LUMINAL, "ki67_percent": 12}, "nodes": slnb(2, dep(2, 0.18, "he"))},
  staging("pT1c", "pN0(i+)(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"whole_breast_rt": ["omission_possible", "recommended"], "endocrine": "recommended",
   "axillary_surgery": "none_needed", "regional_nodal_irradiation": "not_indicated"},
  {"axillary_surgery": ["alnd"]})

V("prime2-67-g3", "older_local",
  "67 years, pT1c G3 without LVI, ER+ HER2- pN0(sn), margins 2 mm, RS 18: PRIME II (Kunkler NEJM 2023: >= 65, "
  "<= 3 cm, N0, grade 3 or LVI but not both) allows omission; some boards give WBI. Postmenopausal RS 18: no "
  "chemotherapy (TAILORx).",
  {"age": 67, "tumour": {"size_mm": 19.0, "grade": 3, "er_percent": 80, "pr_percent": 20, "her2_ihc": "0",
                         "ki67_percent": 25}, "oncotype_rs": 18, "surgery": {"margins_mm": 2.0}},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=18),
  {"whole_breast_rt": ["omission_possible", "recommended"], "chemotherapy": "not_indicated",
   "endocrine": "recommended"})

V("prime2-66-g3-lvi", "older_local",
  "66 years, pT1c G3 WITH LVI, ER+ pN0(sn), RS 20: PRIME II excluded grade 3 together with LVI; CALGB 9343 needs "
  ">= 70: WBI recommended. RS 20 postmenopausal: no chemotherapy.",
  {"age": 66, "tumour": {"size_mm": 16.0, "grade": 3, "lvi": True, "er_percent": 85, "pr_percent": 30,
                         "her2_ihc": "1+", "ki67_percent": 30}, "oncotype_rs": 20},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=20),
  {"whole_breast_rt": "recommended", "chemotherapy": "not_indicated", "endocrine": "recommended"})

V("lumina-58", "older_local",
  "58 years, pT1b G1 ER 95% PR 60% HER2 0, Ki-67 8%, pN0(sn): LUMINA (Whelan NEJM 2023: >= 55, T1N0 G1-2, "
  "luminal A with Ki-67 <= 13.25%, endocrine therapy) -> RT omission possible, or WBI.",
  {"age": 58, "tumour": {"size_mm": 9.0, "grade": 1, "er_percent": 95, "pr_percent": 60, "her2_ihc": "0",
                         "ki67_percent": 8}},
  staging("pT1b", "pN0(sn)", grade=1, her2=False, er=True, pr=True, clinical=("cT1b", "cN0")),
  {"whole_breast_rt": ["omission_possible", "recommended"], "endocrine": "recommended",
   "chemotherapy": "not_indicated"})

V("europa-73", "older_local",
  "73 years, pT1b G2 ER 90% PR 40% HER2 0, Ki-67 12%, pN0(sn): EUROPA (Meattini; >= 70 luminal A-like stage I): "
  "exclusive RT or exclusive endocrine therapy are both options; CALGB 9343 also applies.",
  {"age": 73, "g8_score": 15, "clinical_frailty_scale": 3,
   "tumour": {"size_mm": 9.0, "grade": 2, "er_percent": 90, "pr_percent": 40, "her2_ihc": "0",
              "ki67_percent": 12}},
  staging("pT1b", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1b", "cN0")),
  {"whole_breast_rt": ["omission_possible", "recommended"], "chemotherapy": "not_indicated",
   "cdk46_inhibitor": "not_indicated"})

V("older-72-pn1mi-wbi", "older_local",
  "72 years, pT1c G2 ER+ pN1mi(sn), RS 16: every RT-omission trial required node-negative disease (CALGB 9343, "
  "PRIME II, LUMINA): WBI recommended. No ALND (IBCSG 23-01). Postmenopausal RS 16: no chemotherapy.",
  {"age": 72, "g8_score": 15, "clinical_frailty_scale": 3, "oncotype_rs": 16,
   "tumour": {"size_mm": 16.0, "grade": 2, **LUMINAL, "ki67_percent": 15}, "nodes": slnb(3, dep(1, 0.7))},
  staging("pT1c", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"whole_breast_rt": "recommended", "axillary_surgery": "omit_alnd", "chemotherapy": "not_indicated",
   "endocrine": "recommended", "cdk46_inhibitor": "not_indicated"})

V("older-75-mastectomy-slnb", "older_local",
  "75 years, cT1c G2 ER+ HER2- cN0 (normal ultrasound), mastectomy planned: SSO Choosing Wisely (>= 70, HR+ "
  "HER2-, cN0) applies whatever the breast operation; ASCO 2025 is written for BCS: omission possible, or SLNB.",
  {"age": 75, "g8_score": 15, "clinical_frailty_scale": 3,
   "tumour": {"size_mm": 16.0, "grade": 2, **LUMINAL, "ki67_percent": 12}, **planned("mastectomy")},
  staging("cT1c", "cN0", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), setting="planned"),
  {"sentinel_biopsy": ["omission_possible", "recommended"], "endocrine": "recommended",
   "whole_breast_rt": "not_applicable"})

V("insema-62-ct2", "older_local",
  "62 years, postmenopausal, cT2 (30 mm) G2 ER+ HER2- cN0 with normal ultrasound, BCS planned: INSEMA (Reimer "
  "NEJM 2025) included cT <= 5 cm; ASCO 2025 limits omission to <= 2 cm: omission possible or SLNB.",
  {"age": 62, "tumour": {"size_mm": 30.0, "grade": 2, **LUMINAL, "ki67_percent": 15}, **planned("bcs")},
  staging("cT2", "cN0", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0"), setting="planned"),
  {"sentinel_biopsy": ["omission_possible", "recommended"], "endocrine": "recommended",
   "her2_therapy": "not_indicated"})

V("older-75-tnbc-slnb", "older_local",
  "75 years, TNBC cT1c cN0, BCS planned: SLNB omission (SSO Choosing Wisely, SOUND, ASCO 2025) is for HR+ HER2- "
  "disease; in TNBC nodal status changes systemic therapy: SLNB recommended.",
  {"age": 75, "g8_score": 16, "clinical_frailty_scale": 2, "tumour": {"size_mm": 16.0, **TNBC},
   **planned("bcs")},
  staging("cT1c", "cN0", grade=3, her2=False, er=False, pr=False, clinical=("cT1c", "cN0"), setting="planned"),
  {"sentinel_biopsy": "recommended", "endocrine": "not_indicated", "her2_therapy": "not_indicated"},
  {"sentinel_biopsy": ["omission_possible"]})

V("older-78-her2-slnb", "older_local",
  "78 years, HER2+ ER+ cT1b cN0, BCS planned: SSO Choosing Wisely and ASCO 2025 omission criteria require "
  "HER2-negative disease; nodal status decides HER2 therapy: SLNB recommended.",
  {"age": 78, "g8_score": 15, "clinical_frailty_scale": 3,
   "tumour": {"size_mm": 9.0, "grade": 2, "er_percent": 80, "pr_percent": 30, "her2_ihc": "3+",
              "ki67_percent": 20}, **planned("bcs")},
  staging("cT1b", "cN0", grade=2, her2=True, er=True, pr=True, clinical=("cT1b", "cN0"), setting="planned"),
  {"sentinel_biopsy": "recommended", "endocrine": "recommended", "cdk46_inhibitor": "not_indicated"},
  {"sentinel_biopsy": ["omission_possible"]})

V("older-76-slnb-omitted-bcs-done", "older_local",
  "76 years, BCS done with SLNB omitted (SSO/SOUND), pT1c G1 ER+ HER2- cN0 on ultrasound: CALGB 9343 enrolled "
  "clinically node-negative women (no axillary surgery required): RT omission possible at >= 70, or WBI. Nodes "
  "not examined: N stays clinical (cN0).",
  {"age": 76, "g8_score": 15, "clinical_frailty_scale": 3,
   "tumour": {"size_mm": 12.0, "grade": 1, "er_percent": 95, "pr_percent": 80, "her2_ihc": "0",
              "ki67_percent": 6}, "nodes": NO_NODES},
  staging("pT1c", "cN0", grade=1, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"whole_breast_rt": ["omission_possible", "recommended"], "endocrine": "recommended",
   "chemotherapy": "not_indicated", "regional_nodal_irradiation": "not_indicated"})

# =========================================================================================================
# 8. Rare subtypes and staging edges
# =========================================================================================================

V("male-hrpos-n1mi", "rare",
  "Man, 66, pT1c G2 ER+ PR+ HER2 1+ pN1mi(sn), mastectomy, RS 15: tamoxifen (ASCO 2020 male breast cancer, "
  "Hassett JCO: tamoxifen first; AI alone not recommended); RS may guide chemotherapy: none at RS 15. pN1mi: no "
  "ALND (IBCSG 23-01). T1N1mi stage IB: no CDK4/6. 20.4 mm rounds to 20 mm: pT1c (AJCC 8 rounding).",
  {"age": 66, "sex": "male", "menopausal_status": DROP,
   "tumour": {"size_mm": 20.4, "grade": 2, "er_percent": 95, "pr_percent": 80, "her2_ihc": "1+",
              "ki67_percent": 12},
   "nodes": slnb(2, dep(1, 0.6)), "surgery": {"breast": "mastectomy", "margins_mm": 4.0}, "oncotype_rs": 15},
  staging("pT1c", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"endocrine": "recommended", "chemotherapy": "not_indicated", "her2_therapy": "not_indicated",
   "cdk46_inhibitor": "not_indicated", "axillary_surgery": "omit_alnd", "whole_breast_rt": "not_applicable",
   "olaparib": "not_indicated"})

V("male-brca2-pn2a", "rare",
  "Man, 58, gBRCA2, pT2 G2 ER+ HER2 0, biopsy-proven cN1 -> mastectomy + ALND: 5 of 15 nodes (pN2a). Olaparib for "
  "HR+ gBRCA with >= 4 positive nodes (OlympiA; men were eligible). Abemaciclib (monarchE cohort 1, >= 4 nodes; "
  "men enrolled). Chemotherapy for >= 4 nodes (NCCN). PMRT + RNI for >= 4 nodes (EBCTCG 2014, NCCN).",
  {"age": 58, "sex": "male", "menopausal_status": DROP, "germline_brca": "brca2", "detection": "symptomatic",
   "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "tumour": {"size_mm": 30.0, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0",
              "ki67_percent": 20},
   "nodes": alnd(15, dep(1, 6.0), dep(2, 4.0), dep(3, 3.0), dep(4, 8.0), dep(5, 2.5)),
   "surgery": {"breast": "mastectomy", "margins_mm": 5.0}},
  staging("pT2", "pN2a", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN1")),
  {"olaparib": "recommended", "cdk46_inhibitor": ["recommended", "discuss"], "chemotherapy": "recommended",
   "post_mastectomy_rt": "recommended", "regional_nodal_irradiation": "recommended", "endocrine": "recommended",
   "her2_therapy": "not_indicated"})

V("lobular-dispersed-micromet", "rare",
  "Lobular pT2, SLN with about 300 dispersed tumour cells in one cross-section spanning 1.6 mm (not one contiguous "
  "focus): > 200 cells in a single cross-section is a micrometastasis (AJCC 8; CAP), never a sum of sizes: "
  "pN1mi(sn). BCS: no ALND (IBCSG 23-01), WBI. RS 12 postmenopausal: no chemotherapy.",
  {"age": 63, "tumour": {"size_mm": 35.0, "histology": "lobular", "grade": 2, "er_percent": 95,
                         "pr_percent": 30, "her2_ihc": "0", "ki67_percent": 8},
   "nodes": slnb(3, dep(1, 1.6, "ihc", cells=300, contiguous=False)), "oncotype_rs": 12},
  staging("pT2", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"axillary_surgery": "omit_alnd", "whole_breast_rt": "recommended", "chemotherapy": "not_indicated",
   "endocrine": "recommended", "her2_therapy": "not_indicated"})

V("itc-exactly-0-2mm", "rare",
  "Lobular pT1c at 70, SLN deposit exactly 0.2 mm with 150 cells: ITC is <= 0.2 mm and < 200 cells (AJCC 8: "
  "'not greater than 0.2 mm'): pN0(i+)(sn). No axillary surgery; at >= 70, T1 N0 ER+, RT omission possible "
  "(CALGB 9343) or WBI.",
  {"age": 70, "g8_score": 16, "clinical_frailty_scale": 2,
   "tumour": {"size_mm": 18.0, "histology": "lobular", "grade": 2, **LUMINAL, "ki67_percent": 8},
   "nodes": slnb(2, dep(1, 0.2, "ihc", cells=150))},
  staging("pT1c", "pN0(i+)(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"axillary_surgery": "none_needed", "whole_breast_rt": ["omission_possible", "recommended"],
   "endocrine": "recommended", "regional_nodal_irradiation": "not_indicated"})

V("osna-exactly-5000", "rare",
  "OSNA CK19 mRNA exactly 5,000 copies/uL in one SLN: 250-5,000 is '+' (micrometastasis), > 5,000 '++' "
  "(Tsujimoto Clin Cancer Res 2007): pN1mi(sn). BCS: no ALND (IBCSG 23-01).",
  {"age": 59, "tumour": {"size_mm": 21.0, "grade": 2, **LUMINAL, "ki67_percent": 14}, "oncotype_rs": 17,
   "nodes": slnb(2, dep(1, None, "osna", osna=5000))},
  staging("pT2", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"axillary_surgery": "omit_alnd", "whole_breast_rt": "recommended", "chemotherapy": "not_indicated",
   "endocrine": "recommended"})

V("size-1-5mm-rounds-to-t1a", "rare",
  "Invasive size 1.5 mm: any size > 1.0 and < 2.0 mm rounds up to 2 mm = pT1a (AJCC 8; NCCN ST-1). pT1a N0 ER+: "
  "endocrine therapy, no chemotherapy (NCCN).",
  {"age": 61, "tumour": {"size_mm": 1.5, "grade": 1, **LUMINAL, "ki67_percent": 5}},
  staging("pT1a", "pN0(sn)", grade=1, her2=False, er=True, pr=True, clinical=("cT1a", "cN0")),
  {"endocrine": "recommended", "chemotherapy": "not_indicated", "cdk46_inhibitor": "not_indicated"})

V("er-low-tnbc-like", "rare",
  "ER 5% (ER-low positive, ASCO/CAP 2020), PR 0, HER2 0, pT2 G3 pN0, RS 48: ER-low behaves like TNBC; "
  "chemotherapy recommended either way (NCCN; RS >= 26). For staging ER >= 1% is positive (AJCC 8).",
  {"age": 52, "tumour": {"size_mm": 24.0, "grade": 3, "er_percent": 5, "pr_percent": 0, "her2_ihc": "0",
                         "ki67_percent": 55}, "oncotype_rs": 48},
  staging("pT2", "pN0(sn)", grade=3, her2=False, er=True, pr=False, clinical=("cT2", "cN0"), rs=48),
  {"chemotherapy": "recommended", "her2_therapy": "not_indicated", "immunotherapy": "not_indicated",
   "whole_breast_rt": "recommended"})

V("her2-low-tnbc", "rare",
  "HER2 1+ (HER2-low) ER- PR- pT1c G3 pN0: HER2-low is HER2-negative for adjuvant therapy (trastuzumab gave no "
  "benefit in HER2-low, NSABP B-47, Fehrenbacher JCO 2020): no HER2-directed therapy; TNBC > 1 cm: chemotherapy.",
  {"age": 57, "tumour": {"size_mm": 15.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "1+",
                         "ki67_percent": 50}},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": "not_indicated", "chemotherapy": "recommended", "endocrine": "not_indicated",
   "immunotherapy": "not_indicated"},
  {"her2_therapy": ["recommended"]})

V("her2-2plus-no-ish", "rare",
  "HER2 IHC 2+ with no ISH result: equivocal; reflex ISH is required before HER2 therapy can be decided (ASCO/CAP "
  "2018, Wolff JCO). Neither 'recommended' nor 'not indicated' is safe: insufficient data naming the ISH. No "
  "prognostic stage without HER2 status (AJCC 8). Endocrine therapy for ER+ whatever HER2.",
  {"age": 59, "tumour": {"size_mm": 18.0, "grade": 2, "er_percent": 80, "pr_percent": 40, "her2_ihc": "2+",
                         "ki67_percent": 20}},
  staging("pT1c", "pN0(sn)", grade=2, her2=None, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"her2_therapy": "insufficient_data", "endocrine": "recommended", "whole_breast_rt": "recommended"},
  {"her2_therapy": ["recommended", "not_indicated"]})

V("her2-2plus-ish-group3", "rare",
  "HER2 IHC 2+, ISH ratio 1.7 with 6.4 copies/cell: ISH group 3 with IHC 2+ is HER2-positive (ASCO/CAP 2018). "
  "ER- pT1c pN0: APT regimen (Tolaney NEJM 2015).",
  {"age": 55, "tumour": {"size_mm": 12.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "2+",
                         "her2_ish_ratio": 1.7, "her2_ish_copies": 6.4, "ki67_percent": 35}},
  staging("pT1c", "pN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": "recommended", "endocrine": "not_indicated", "cdk46_inhibitor": "not_indicated"})

V("her2-2plus-ish-group4", "rare",
  "HER2 IHC 2+, ISH ratio 1.5 with 4.8 copies/cell: group 4, HER2-negative unless IHC 3+ (ASCO/CAP 2018): no HER2 "
  "therapy. ER+ pT1c pN0 RS 9: no chemotherapy; RS < 11 -> pathological prognostic IA.",
  {"age": 64, "tumour": {"size_mm": 17.0, "grade": 2, "er_percent": 90, "pr_percent": 60, "her2_ihc": "2+",
                         "her2_ish_ratio": 1.5, "her2_ish_copies": 4.8, "ki67_percent": 10}, "oncotype_rs": 9},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=9),
  {"her2_therapy": "not_indicated", "chemotherapy": "not_indicated", "endocrine": "recommended"},
  {"her2_therapy": ["recommended"]})

V("her2-2plus-ish-group2", "rare",
  "HER2 IHC 2+, ISH ratio 2.4 with 3.6 copies/cell: group 2 with IHC 2+ is HER2-negative (ASCO/CAP 2018). ER- PR-: "
  "triple-negative pT1c: chemotherapy, no HER2 therapy.",
  {"age": 49, **premenopausal(),
   "tumour": {"size_mm": 14.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "2+",
              "her2_ish_ratio": 2.4, "her2_ish_copies": 3.6, "ki67_percent": 45}},
  staging("pT1c", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": "not_indicated", "chemotherapy": "recommended", "endocrine": "not_indicated",
   "boost": "recommended"},
  {"her2_therapy": ["recommended"]})

V("her2-ultralow-n1mi", "rare",
  "HER2 ultralow, ER+ pT1c G2 pN1mi(sn), RS 10, postmenopausal: HER2-negative for adjuvant therapy (ASCO/CAP "
  "2023); RS 10: no chemotherapy; T1N1mi: no CDK4/6. The RS < 11 staging rule does not apply to N1mi (AJCC 8).",
  {"age": 65, "tumour": {"size_mm": 13.0, "grade": 2, "er_percent": 95, "pr_percent": 70, "her2_ihc": "ultralow",
                         "ki67_percent": 10}, "oncotype_rs": 10, "nodes": slnb(2, dep(1, 1.0))},
  staging("pT1c", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=10),
  {"her2_therapy": "not_indicated", "chemotherapy": "not_indicated", "cdk46_inhibitor": "not_indicated",
   "axillary_surgery": "omit_alnd", "endocrine": "recommended"},
  {"her2_therapy": ["recommended"]})

V("multifocal-pt1c-m", "rare",
  "Two invasive foci of 17 and 9 mm: T from the largest focus, never summed, with the (m) suffix: pT1c(m) (AJCC 8). "
  "46, premenopausal, RS 12 (<= 15): no chemotherapy (TAILORx); tamoxifen. WBI and boost at <= 50 (ASTRO 2018).",
  {"age": 46, **premenopausal("not_planned"),
   "tumour": {"size_mm": 17.0, "multifocal": True, "grade": 2, **LUMINAL, "ki67_percent": 15},
   "oncotype_rs": 12},
  staging("pT1c(m)", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=12),
  {"chemotherapy": "not_indicated", "endocrine": "recommended", "whole_breast_rt": "recommended",
   "boost": "recommended", "bisphosphonate": "not_indicated"})

V("multifocal-ypt-m", "rare",
  "After NST (HER2+ ER+, cT2 cN0), two residual invasive foci of 6 and 4 mm: ypT1b(m) ypN0(sn) (AJCC 8: largest "
  "focus, (m) suffix). Residual invasive disease -> T-DM1 (KATHERINE). Endocrine therapy.",
  {"age": 61, "detection": "symptomatic",
   "tumour": {"size_mm": 6.0, "multifocal": True, "grade": 2, "er_percent": 70, "pr_percent": 30,
              "her2_ihc": "3+", "ki67_percent": 25},
   "nodes": slnb(2), **neo(30, "cN0", TCHP, proven=False)},
  staging("ypT1b(m)", "ypN0(sn)", grade=2, her2=True, er=True, pr=True, clinical=("cT2", "cN0"),
          setting="neoadjuvant"),
  {"her2_therapy": "recommended", "endocrine": "recommended", "axillary_surgery": ["none_needed", "omit_alnd"],
   "chemotherapy": "not_indicated", "capecitabine": "not_indicated"})

# =========================================================================================================
# 9. Declined treatments
# =========================================================================================================

DECLINED = "A declined treatment is shown as declined (contract extension; patient autonomy, GMC/ASCO shared " \
           "decision-making) and needs no further data; the other decisions are unchanged."

V("declined-chemo-tnbc", "declined",
  f"TNBC pT2 pN0 at 45, chemotherapy indicated (NCCN) but declined. {DECLINED}",
  {"age": 45, **premenopausal(), "preferences": {"declined": ["chemotherapy"]},
   "tumour": {"size_mm": 24.0, **TNBC}},
  staging("pT2", "pN0(sn)", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN0")),
  {"chemotherapy": "declined", "whole_breast_rt": "recommended", "boost": "recommended",
   "endocrine": "not_indicated", "immunotherapy": "not_indicated"},
  {"chemotherapy": ["recommended", "insufficient_data"]})

V("declined-wbrt", "declined",
  f"60 years, pT1c G2 ER+ pN0 after BCS, Ki-67 10%, declines whole-breast RT (WBI or, per LUMINA, omission with "
  f"endocrine therapy would be offered). {DECLINED}",
  {"age": 60, "preferences": {"declined": ["whole_breast_rt"]},
   "tumour": {"size_mm": 14.0, "grade": 2, **LUMINAL, "ki67_percent": 10}, "oncotype_rs": 11},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=11),
  {"whole_breast_rt": "declined", "endocrine": "recommended", "chemotherapy": "not_indicated"},
  {"whole_breast_rt": ["recommended", "insufficient_data"]})

V("declined-endocrine", "declined",
  f"55 years, pT1c G2 ER+ pN0 after BCS, RS 8, declines endocrine therapy. {DECLINED} She would otherwise meet "
  "LUMINA (Whelan NEJM 2023), but every RT-omission trial (LUMINA, PRIME II, CALGB 9343) gave endocrine therapy "
  "instead of RT: without it, omitting RT as well is outside all evidence (unsafe). WBI recommended.",
  {"age": 55, "preferences": {"declined": ["endocrine"]}, "oncotype_rs": 8,
   "tumour": {"size_mm": 13.0, "grade": 2, **LUMINAL, "ki67_percent": 10}},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0"), rs=8),
  {"endocrine": "declined", "whole_breast_rt": "recommended", "chemotherapy": "not_indicated"},
  {"endocrine": ["recommended", "insufficient_data"], "whole_breast_rt": ["omission_possible"]})

V("declined-alnd-3-sln", "declined",
  f"50 years, pT2 ER+ with 3 positive SLNs (macrometastases) after BCS: ALND or axillary RT would be advised "
  f"(Z0011 excluded >= 3; AMAROS). She declines axillary surgery. {DECLINED} Regional nodal RT remains "
  "recommended (AMAROS; NCCN for >= 3 nodes).",
  {"age": 50, **premenopausal("planned"), "preferences": {"declined": ["axillary_surgery"]},
   "tumour": {"size_mm": 26.0, "grade": 2, **LUMINAL, "ki67_percent": 20},
   "nodes": slnb(4, dep(1, 4.0), dep(2, 3.5), dep(3, 6.0))},
  staging("pT2", "pN1a(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"axillary_surgery": "declined", "regional_nodal_irradiation": "recommended", "endocrine": "recommended",
   "whole_breast_rt": "recommended"},
  {"axillary_surgery": ["none_needed", "omit_alnd", "insufficient_data"]})

V("declined-her2-therapy", "declined",
  f"62 years, HER2+ ER- pT1c pN0, declines trastuzumab. {DECLINED}",
  {"age": 62, "preferences": {"declined": ["her2_therapy"]}, "tumour": {"size_mm": 15.0, **HER2_POS_ER_NEG}},
  staging("pT1c", "pN0(sn)", grade=3, her2=True, er=False, pr=False, clinical=("cT1c", "cN0")),
  {"her2_therapy": "declined", "endocrine": "not_indicated", "whole_breast_rt": "recommended"},
  {"her2_therapy": ["recommended", "insufficient_data"]})

V("declined-chemo-no-assay", "declined",
  f"44 years, ER+ pT2 G2 pN0 without a recurrence score (one would decide chemotherapy), declines chemotherapy "
  f"in any case: the assay is no longer needed for that decision. {DECLINED}",
  {"age": 44, **premenopausal("not_planned"), "preferences": {"declined": ["chemotherapy"]},
   "tumour": {"size_mm": 23.0, "grade": 2, **LUMINAL, "ki67_percent": 20}},
  staging("pT2", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"chemotherapy": "declined", "endocrine": "recommended", "whole_breast_rt": "recommended",
   "boost": "recommended"},
  {"chemotherapy": ["recommended", "insufficient_data"]})

V("declined-immunotherapy-planned", "declined",
  f"TNBC cT2 cN1 with surgery planned: KEYNOTE-522 chemotherapy + pembrolizumab indicated; she accepts "
  f"chemotherapy and declines pembrolizumab. {DECLINED}",
  {"age": 47, **premenopausal(), "preferences": {"declined": ["immunotherapy"]}, "detection": "symptomatic",
   "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious", "tumour": {"size_mm": 32.0, **TNBC},
   **planned("mastectomy")},
  staging("cT2", "cN1", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"), setting="planned"),
  {"immunotherapy": "declined", "chemotherapy": "recommended", "endocrine": "not_indicated"},
  {"immunotherapy": ["recommended", "insufficient_data"]})

V("declined-endocrine-and-rt-older", "declined",
  f"71 years, pT1c G2 ER+ pN0 after BCS, declines both endocrine therapy and RT. {DECLINED}",
  {"age": 71, "g8_score": 15, "clinical_frailty_scale": 3,
   "preferences": {"declined": ["endocrine", "whole_breast_rt"]},
   "tumour": {"size_mm": 12.0, "grade": 2, **LUMINAL, "ki67_percent": 10}},
  staging("pT1c", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"endocrine": "declined", "whole_breast_rt": "declined", "chemotherapy": "not_indicated"},
  {"endocrine": ["recommended", "insufficient_data"], "whole_breast_rt": ["recommended", "insufficient_data"]})

# =========================================================================================================
# 10. Drug-specific contraindications
# =========================================================================================================

V("vte-premenopausal-invasive", "drug_factors",
  "Premenopausal ER+ pT1b G1 pN0 with a prior DVT: for invasive cancer the tamoxifen label asks to weigh risk "
  "against benefit (a contraindication only for risk reduction/DCIS); OFS + AI is an alternative (SOFT/TEXT). "
  "Endocrine therapy remains recommended (agent chosen for the VTE).",
  {"age": 42, **premenopausal(), "conditions": {"venous_thromboembolism": True},
   "tumour": {"size_mm": 9.0, "grade": 1, **LUMINAL, "ki67_percent": 8}},
  staging("pT1b", "pN0(sn)", grade=1, her2=False, er=True, pr=True, clinical=("cT1b", "cN0")),
  {"endocrine": "recommended", "chemotherapy": "not_indicated", "whole_breast_rt": "recommended",
   "boost": "recommended"})

V("bisphosphonate-egfr25", "drug_factors",
  "Postmenopausal HR+ pT2 pN1a(sn) with eGFR 25: zoledronic acid is not recommended below 30 mL/min (label) and "
  "clodronate is contraindicated in severe renal impairment; ASCO/CCO 2017: assess renal function first. Not "
  "recommended; at most discussed. RS 15 with 1-3 nodes, postmenopausal: no chemotherapy (RxPONDER).",
  {"age": 68, "charlson_index": 2, "conditions": {"egfr_ml_min": 25}, "oncotype_rs": 15,
   "tumour": {"size_mm": 24.0, "grade": 2, **LUMINAL, "ki67_percent": 15}, "nodes": slnb(2, dep(1, 5.0))},
  staging("pT2", "pN1a(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"bisphosphonate": ["not_indicated", "discuss"], "chemotherapy": "not_indicated", "endocrine": "recommended",
   "axillary_surgery": "omit_alnd"},
  {"bisphosphonate": ["recommended"]})

V("bisphosphonate-dental-surgery", "drug_factors",
  "Postmenopausal HR+ pT1c pN1mi with a dental extraction planned: invasive dental work must be completed and "
  "healed before a bisphosphonate (ASCO/CCO 2017: fix dental problems first; ONJ risk): deferred or discussed, "
  "never started now.",
  {"age": 64, "conditions": {"dental_surgery_planned": True, "dental_health": "needs_treatment"},
   "oncotype_rs": 14, "tumour": {"size_mm": 18.0, "grade": 2, **LUMINAL, "ki67_percent": 15},
   "nodes": slnb(2, dep(1, 1.1))},
  staging("pT1c", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT1c", "cN0")),
  {"bisphosphonate": ["deferred", "discuss"], "endocrine": "recommended", "chemotherapy": "not_indicated",
   "axillary_surgery": "omit_alnd"},
  {"bisphosphonate": ["recommended"]})

V("bisphosphonate-dental-needs-treatment", "drug_factors",
  "Postmenopausal HR+ pT2 pN0 (RS 22), dental health needing treatment (no surgery booked): dental assessment and "
  "treatment before a bisphosphonate (ASCO/CCO 2017): deferred or discussed.",
  {"age": 66, "conditions": {"dental_health": "needs_treatment"}, "oncotype_rs": 22,
   "tumour": {"size_mm": 26.0, "grade": 2, **LUMINAL, "ki67_percent": 18}},
  staging("pT2", "pN0(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0"), rs=22),
  {"bisphosphonate": ["deferred", "discuss"], "chemotherapy": "not_indicated", "endocrine": "recommended"},
  {"bisphosphonate": ["recommended"]})

V("immunotherapy-active-autoimmune", "drug_factors",
  "TNBC cT2 cN1, surgery planned, active autoimmune disease on systemic treatment: KEYNOTE-522 excluded active "
  "autoimmune disease needing systemic therapy in the past 2 years (Schmid NEJM 2020): no pembrolizumab; "
  "neoadjuvant chemotherapy still recommended.",
  {"age": 48, **premenopausal(), "conditions": {"autoimmune_disease": "active"}, "detection": "symptomatic",
   "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious", "tumour": {"size_mm": 28.0, **TNBC},
   **planned("mastectomy")},
  staging("cT2", "cN1", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"), setting="planned"),
  {"immunotherapy": "not_indicated", "chemotherapy": "recommended", "endocrine": "not_indicated",
   "her2_therapy": "not_indicated"},
  {"immunotherapy": ["recommended"]})

V("immunotherapy-transplant", "drug_factors",
  "TNBC cT2 cN0, surgery planned, kidney transplant recipient: checkpoint inhibitors risk graft rejection and "
  "transplant recipients were excluded from KEYNOTE-522: no pembrolizumab; chemotherapy recommended.",
  {"age": 53, "conditions": {"organ_transplant": True, "egfr_ml_min": 55}, "charlson_index": 2,
   "detection": "symptomatic", "tumour": {"size_mm": 26.0, **TNBC}, **planned("bcs")},
  staging("cT2", "cN0", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN0"), setting="planned"),
  {"immunotherapy": "not_indicated", "chemotherapy": "recommended", "endocrine": "not_indicated"},
  {"immunotherapy": ["recommended"]})

V("immunotherapy-inactive-autoimmune", "drug_factors",
  "TNBC cT2 cN1, surgery planned, autoimmune disease inactive (no systemic treatment for > 2 years): not a "
  "KEYNOTE-522 exclusion: chemotherapy + pembrolizumab recommended.",
  {"age": 44, **premenopausal(), "conditions": {"autoimmune_disease": "inactive"}, "detection": "symptomatic",
   "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious", "tumour": {"size_mm": 27.0, **TNBC},
   **planned("bcs")},
  staging("cT2", "cN1", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"), setting="planned"),
  {"immunotherapy": "recommended", "chemotherapy": "recommended", "endocrine": "not_indicated"})

V("capecitabine-dpd-complete", "drug_factors",
  "TNBC cT2 cN1 -> AC-T without pembrolizumab -> residual ypT1c ypN1a (ALND 2 of 11): capecitabine would be "
  "indicated (CREATE-X, Masuda NEJM 2017) but complete DPD deficiency contraindicates fluoropyrimidines (EMA/MHRA "
  "2020; FDA: avoid). No adjuvant-only pembrolizumab (KEYNOTE-522 is neoadjuvant + adjuvant). RNI for residual "
  "nodal disease.",
  {"age": 46, **premenopausal(), "conditions": {"dpd_deficiency": "complete"}, "detection": "symptomatic",
   "tumour": {"size_mm": 14.0, **TNBC}, "nodes": alnd(11, dep(1, 4.0), dep(2, 2.5), after_slnb=3),
   **neo(35, "cN1", ACT)},
  staging("ypT1c", "ypN1a", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"capecitabine": "not_indicated", "immunotherapy": "not_indicated", "olaparib": "not_indicated",
   "regional_nodal_irradiation": "recommended", "chemotherapy": "not_indicated"},
  {"capecitabine": ["recommended", "discuss"]})

V("capecitabine-dpd-partial", "drug_factors",
  "Same situation with partial DPD deficiency: capecitabine at a reduced starting dose (EMA 2020; CPIC): "
  "recommended or discussed.",
  {"age": 46, **premenopausal(), "conditions": {"dpd_deficiency": "partial"}, "detection": "symptomatic",
   "tumour": {"size_mm": 14.0, **TNBC}, "nodes": alnd(11, dep(1, 4.0), dep(2, 2.5), after_slnb=3),
   **neo(35, "cN1", ACT)},
  staging("ypT1c", "ypN1a", grade=3, her2=False, er=False, pr=False, clinical=("cT2", "cN1"),
          setting="neoadjuvant"),
  {"capecitabine": ["recommended", "discuss"], "immunotherapy": "not_indicated", "olaparib": "not_indicated"})

V("cdk46-qtc-480", "drug_factors",
  "Postmenopausal HR+ pT2 G2 with 4 positive nodes (pN2a) after mastectomy + ALND, QTcF 480 ms: ribociclib must "
  "not be started (QTcF must be < 450 ms, label), but abemaciclib needs no ECG and monarchE cohort 1 is met "
  "(>= 4 nodes): CDK4/6 recommended (abemaciclib) or discussed. Chemotherapy for >= 4 nodes (NCCN). PMRT + RNI.",
  {"age": 58, "conditions": {"qtcf_ms": 480}, "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "detection": "symptomatic", "tumour": {"size_mm": 28.0, "grade": 2, **LUMINAL, "ki67_percent": 20},
   "nodes": alnd(16, dep(1, 5.0), dep(2, 4.0), dep(3, 3.0), dep(4, 2.5)),
   "surgery": {"breast": "mastectomy", "margins_mm": 6.0}},
  staging("pT2", "pN2a", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN1")),
  {"cdk46_inhibitor": ["recommended", "discuss"], "chemotherapy": "recommended", "endocrine": "recommended",
   "post_mastectomy_rt": "recommended", "regional_nodal_irradiation": "recommended"})

# =========================================================================================================
# 11. Nodal RT by location and extent
# =========================================================================================================

V("medial-pn1a-bcs", "local",
  "47, premenopausal, upper-inner (medial) pT2 G2 ER+ pN1a(sn) 1 macrometastasis after BCS: Z0011 -> no ALND; "
  "RNI recommended or strongly considered for N+ (MA.20; EORTC 22922 included medial/central tumours; NCCN). "
  "Premenopausal with a positive node: chemotherapy benefit (RxPONDER premenopausal) or OFS alternative.",
  {"age": 47, **premenopausal("planned"),
   "tumour": {"size_mm": 25.0, "grade": 2, **LUMINAL, "ki67_percent": 20, "quadrant": "upper_inner"},
   "nodes": slnb(3, dep(1, 3.5))},
  staging("pT2", "pN1a(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT2", "cN0")),
  {"regional_nodal_irradiation": ["recommended", "discuss"], "axillary_surgery": "omit_alnd",
   "chemotherapy": ["recommended", "discuss"], "endocrine": "recommended", "whole_breast_rt": "recommended",
   "boost": "recommended"})

V("t3-n1mi-bcs", "local",
  "pT3 (52 mm) pN1mi(sn) after BCS with clear margins at 61: stage IIIA; WBI plus RNI recommended or discussed "
  "(MA.20 high-risk, NCCN for T3 N+). No ALND with nodal RT (IBCSG 23-01; AMAROS).",
  {"age": 61, "tumour": {"size_mm": 52.0, "grade": 2, **LUMINAL, "ki67_percent": 20}, "oncotype_rs": 19,
   "nodes": slnb(3, dep(2, 1.9)), "surgery": {"margins_mm": 4.0}},
  staging("pT3", "pN1mi(sn)", grade=2, her2=False, er=True, pr=True, clinical=("cT3", "cN0")),
  {"whole_breast_rt": "recommended", "regional_nodal_irradiation": ["recommended", "discuss"],
   "axillary_surgery": ["omit_alnd", "axillary_rt_or_alnd"], "post_mastectomy_rt": "not_applicable",
   "chemotherapy": "not_indicated", "endocrine": "recommended"})


# ------------------------------------------------------------------------------------------------ writer

def render() -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(ROWS)} vignettes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
