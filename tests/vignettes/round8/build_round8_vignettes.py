"""Builds ``round8_vignettes.jsonl``: blind round 8 of hard tumour-board referrals on what round 7 (patient_first) left
out - premenopausal HR+ micrometastases (ovarian function suppression, RxPONDER, MINDACT by age), ER-low, HER2-low and
ultralow, small HER2-positive tumours (APT), T1a/b triple-negative tumours with pN1mi, the ITC / micrometastasis /
macrometastasis boundaries (0.2 mm, 200 cells, 2.0 mm, OSNA 250 and 5,000 copies/uL) and their AJCC 8 prognostic
stage, radiotherapy (fractionation, partial breast, boost by age and grade, nodal RT after Z0011 for micro- vs
macrometastases, PMRT with 1-3 nodes) and the dated follow-up plan.

Written blind from /work/shared/reference/ (clinical-knowledge.md, ajcc8-breast-staging.md) and the trials and
guidelines named in each ``source``, before reading micromets' rule code; nothing here imports micromets.

    .venv/bin/python tests/vignettes/round8/build_round8_vignettes.py   # rewrites the JSONL

Row format (one JSON object per line)::

    {"id", "source", "case",
     "expected":  {decision key: [acceptable values]},   # only keys the source makes clear-cut
     "forbidden": {decision key: [unsafe values]},      # harm for THIS patient
     "mentions":  {decision key: regex},                # named in that key's recommendation / missing / warnings
     "staging":   {stage field: exact string},          # AJCC 8 fields written by hand (subset)
     "not_strong": [decision key],                       # outside trial evidence: if recommended, never 'strong'
     "no_insufficient_data": bool,                      # nothing left out could change any answer
     "follow_up_contains": {label: regex},              # some follow-up item "<due> [<category>] <what>" matches
     "follow_up_lacks": {label: regex}}                 # no follow-up item matches
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/vignettes: the builder pieces the sets share
from _referral_builder import (  # noqa: E402
    ITC,
    MASTECTOMY,
    MICRO,
    NO_CONDITIONS,
    PRE,
    TNBC,
    Referrals,
    macro,
    merge,
    reference_patient,
    sln,
)

OUT = Path(__file__).with_name("round8_vignettes.jsonl")

# A fit postmenopausal woman of 60, ER+/PR+ HER2-1+ pT1c G2 Ki-67 20%, one sentinel micrometastasis (2 SLNs, dual
# tracer), after BCS with 3 mm margins, RS 12. (Ki-67 20% keeps her outside LUMINA, so RT omission is never in play.)
BASE: dict[str, Any] = merge(
    reference_patient(NO_CONDITIONS | {"prior_chest_radiotherapy": "none", "connective_tissue_disease": "none"}),
    {"tumour": {"ki67_percent": 20}})


def osna(node: int, copies: float) -> dict[str, Any]:
    return {"node": node, "method": "osna", "osna_copies_per_ul": copies}


HER2_POS = {"her2_ihc": "3+", "ki67_percent": 30}

# Follow-up patterns: each item is rendered "<due> [<category>] <what>" (see _referral_checks.follow_up_lines).
NOT_A_REC = r"^\S+ \[(?!not_recommended\])[a-z_]+\] (?!No )"
TUMOUR_MARKERS_ORDERED = NOT_A_REC + r".*(CA 15-3|CA 27\.29|\bCEA\b|tumou?r markers?)"
ROUTINE_SCANS_ORDERED = NOT_A_REC + r".*(bone scan|PET|CT scan|liver ultrasound)"
MAMMOGRAPHY_YEARLY = r"mammogra"
VISIT = r"(history|physical exam)"
DXA = r"(DXA|DEXA|bone (mineral )?density)"
LVEF_3M = (r"(LVEF|ejection fraction|echocardiog|MUGA)[^\n]*(3 months|three months|3-monthly|every 3)"
           r"|(3 months|three months|3-monthly|every 3)[^\n]*(LVEF|ejection fraction|echocardiog|MUGA)")
GYN_TAMOXIFEN = (r"(gyn\w*)[^\n]*(tamoxifen|bleeding|endometri)|(tamoxifen|bleeding|endometri)[^\n]*gyn\w*")
ET_ADHERENCE = r"[Ee]ndocrine therapy adherence|adherence[^\n]*endocrine"
AI_ITEMS = r"aromatase inhibitor"
LYMPHOEDEMA = r"lymph(o)?edema|arm (circumference|volume)|bioimpedance"
BREAST_MRI_ORDERED = NOT_A_REC + r".*\bMRI\b"


REFERRALS = Referrals(BASE, OUT, staged=True, followed=True, sort_keys=True)
V = REFERRALS.add
render = REFERRALS.render

OFS = r"ovarian (function )?suppression|\bOFS\b|SOFT|TEXT|GnRH|goserelin|triptorelin|leuprorelin"

# ============================================================ premenopausal HR+ with nodal micrometastases

V("v8-pre-42-pn1mi-rs18",
  "42-year-old premenopausal, ER+ PR+ HER2- pT1c (18 mm) G2, one SLN micrometastasis after BCS, RS 18. NCCN groups "
  "pN1mi with pN0: premenopausal RS 16-25 -> chemotherapy then ET, or OFS + ET (TAILORx exploratory, <= 50); read as "
  "node-positive, RxPONDER (premenopausal 1-3 nodes, RS <= 25: iDFS HR 0.60) favours chemotherapy: either way not "
  "'no chemotherapy' (clinical-knowledge S0: frameworks diverge -> discuss). ASCO OFS 2016 / SOFT-TEXT: OFS where "
  "chemotherapy is considered. ASCO-OH 2022: no bisphosphonate before the menopause without OFS. ASTRO 2018: boost "
  "at <= 50. T1N1mi = stage IB: no CDK4/6 (NATALEE stage II+). IBCSG 23-01: no ALND.",
  {"age": 42, **PRE, "tumour": {"size_mm": 18.0}, "oncotype_rs": 18},
  {"chemotherapy": ["discuss", "recommended"], "endocrine": ["recommended"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["recommended"], "boost": ["recommended"], "cdk46_inhibitor": ["not_indicated"],
   "her2_therapy": ["not_indicated"]},
  {"chemotherapy": ["not_indicated"], "bisphosphonate": ["recommended"],
   "regional_nodal_irradiation": ["recommended"]},
  mentions={"endocrine": OFS},
  staging={"t": "pT1c", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})

V("v8-pre-33-pn1mi-rs12",
  "33-year-old premenopausal, ER+ PR+ HER2- pT1c (15 mm) G2 Ki-67 20%, one SLN micrometastasis after BCS, RS 12. "
  "SOFT (Francis NEJM 2018) and ASCO OFS 2016: women under 35 are the high-risk group in which OFS (with tamoxifen "
  "or exemestane) improved outcomes -> OFS must be named with endocrine therapy. ASTRO 2018: boost at <= 50 "
  "(EORTC 22881: largest absolute gain <= 40). ASCO survivorship (Runowicz 2016): fertility/contraception "
  "counselling for premenopausal women. IBCSG 23-01: no ALND. The chemotherapy question (TAILORx vs RxPONDER "
  "readings at RS 12) is left open.",
  {"age": 33, **PRE, "tumour": {"size_mm": 15.0}},
  {"endocrine": ["recommended"], "boost": ["recommended"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["recommended"], "cdk46_inhibitor": ["not_indicated"]},
  {"bisphosphonate": ["recommended"]},
  mentions={"endocrine": OFS},
  follow_up_contains={"fertility_or_contraception": r"fertil|contracept"})

V("v8-pre-46-mammaprint-low-clinical-high",
  "46-year-old premenopausal, ER+ PR+ HER2- pT2 (28 mm) G3, one SLN micrometastasis after BCS, MammaPrint low, no "
  "RS: clinical high / genomic low (MINDACT). MINDACT 8-y: chemotherapy gain about 5 points at <= 50 (0.2 above "
  "50); ASCO biomarker 2022: MammaPrint should not be used to withhold chemotherapy at <= 50 -> chemotherapy not "
  "'not indicated'. ASCO OFS 2016: stage II with chemotherapy considered -> OFS. AJCC 8: T2 N1mi is staged as N1 "
  "-> anatomic IIB; pathological prognostic group C, G3, HER2- ER+ PR+ -> IIA. ASTRO 2018 boost <= 50.",
  {"age": 46, **PRE, "tumour": {"size_mm": 28.0, "grade": 3, "ki67_percent": 30}, "oncotype_rs": None,
   "mammaprint": "low"},
  {"chemotherapy": ["discuss", "recommended"], "endocrine": ["recommended"], "boost": ["recommended"],
   "axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"]},
  {"chemotherapy": ["not_indicated"], "bisphosphonate": ["recommended"]},
  mentions={"endocrine": OFS},
  staging={"t": "pT2", "n": "pN1mi(sn)", "anatomic_stage": "IIB", "pathological_prognostic_stage": "IIA"})

V("v8-post-58-mammaprint-low-clinical-high",
  "58-year-old postmenopausal, the same ER+ PR+ HER2- pT2 (28 mm) G3 pN1mi(sn) after BCS, MammaPrint low "
  "(clinical high / genomic low). MINDACT (Piccart 2021): 8-y DMFS gain 0.2 points above 50 -> chemotherapy can be "
  "omitted; ASCO biomarker 2022 rec: MammaPrint may inform withholding chemotherapy in clinical-high-risk patients "
  "over 50. Bisphosphonate: ASCO-OH 2022, postmenopausal candidate for systemic therapy -> discuss/recommend. "
  "Endocrine therapy (EBCTCG).",
  {"age": 58, "tumour": {"size_mm": 28.0, "grade": 3, "ki67_percent": 30}, "oncotype_rs": None,
   "mammaprint": "low"},
  {"chemotherapy": ["not_indicated", "discuss"], "endocrine": ["recommended"],
   "bisphosphonate": ["discuss", "recommended"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["recommended"], "her2_therapy": ["not_indicated"]},
  {"chemotherapy": ["recommended"]},
  staging={"t": "pT2", "anatomic_stage": "IIB", "pathological_prognostic_stage": "IIA"},
  no_insufficient_data=True)

V("v8-pre-44-pn1a-one-macro-rs20",
  "44-year-old premenopausal, ER+ PR+ HER2- pT1c (18 mm) G2 Ki-67 15%, one SLN macrometastasis (4 mm) of 2 after "
  "BCS, RS 20. RxPONDER (Kalinsky NEJM 2021): premenopausal 1-3 positive nodes, RS <= 25: 5-y iDFS 94.2% vs "
  "89.0% with chemotherapy; ASCO biomarker 2022 rec 1.6: the RS should not guide chemotherapy here -> chemotherapy "
  "(OFS + ET as the alternative under discussion). Z0011 (cT1-2, 1-2 SLN+, BCS + WBI): no ALND. NATALEE: N1 "
  "(T1N1 = stage IIA) is eligible -> ribociclib not 'not indicated'. ASCO OFS 2016: N+ with chemotherapy -> OFS. "
  "Boost <= 50 (ASTRO 2018). AJCC 8: T1 N1a -> IIA; pathological group B, G2, HER2- ER+ PR+ -> IA.",
  {"age": 44, **PRE, "tumour": {"size_mm": 18.0, "ki67_percent": 15}, "nodes": sln(macro(1)), "oncotype_rs": 20},
  {"chemotherapy": ["recommended", "discuss"], "axillary_surgery": ["omit_alnd"], "endocrine": ["recommended"],
   "cdk46_inhibitor": ["recommended", "discuss"], "boost": ["recommended"], "whole_breast_rt": ["recommended"],
   "regional_nodal_irradiation": ["discuss", "recommended"]},
  {"chemotherapy": ["not_indicated"]},
  mentions={"endocrine": OFS},
  staging={"t": "pT1c", "n": "pN1a(sn)", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})

# ============================================================ ER-low, HER2-low / ultralow

V("v8-er-low-5pct-t1c-pn1mi",
  "52-year-old postmenopausal, ER 5% (ER-low, ASCO/CAP 2020) PR 0 HER2 0, pT1c (15 mm) G3 Ki-67 50%, one SLN "
  "micrometastasis after BCS, no RS. ASCO/CAP 2020: ER-low tumours behave like ER-negative ones, limited "
  "endocrine benefit (offer ET, weigh the modest benefit); NCCN: ER-low may be treated as triple-negative -> pT1c "
  "N1mi: adjuvant chemotherapy recommended; an RS (validated in ER+ disease) would not withhold it, so nothing is "
  "missing. Upfront surgery: no pembrolizumab (KEYNOTE-522 is neoadjuvant). AJCC 8: ER 1-10% counts as positive "
  "-> pathological group A, G3, HER2- ER+ PR- -> IA; anatomic IB.",
  {"age": 52, "tumour": {"size_mm": 15.0, "grade": 3, "er_percent": 5, "pr_percent": 0, "her2_ihc": "0",
                         "ki67_percent": 50}, "oncotype_rs": None},
  {"chemotherapy": ["recommended", "discuss"], "endocrine": ["recommended"], "immunotherapy": ["not_indicated"],
   "her2_therapy": ["not_indicated"], "axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"]},
  {"chemotherapy": ["not_indicated"]},
  mentions={"endocrine": r"ER[- ]low|low[- ]ER|1[-–]10 ?%|modest|limited|weigh"},
  staging={"t": "pT1c", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"},
  no_insufficient_data=True)

V("v8-her2-low-2plus-ish-negative",
  "63-year-old postmenopausal, ER+ PR+ HER2 IHC 2+ with ISH ratio 1.4 and 3.5 signals/cell (ASCO/CAP 2018 group "
  "5: negative; HER2-low), pT1c (16 mm) G2, one SLN micrometastasis after BCS, RS 14. HER2-low has no adjuvant "
  "role (trastuzumab deruxtecan: DESTINY-Breast04/06, metastatic only; NSABP B-47: adjuvant trastuzumab no benefit "
  "in HER2-low). RS <= 25 postmenopausal: ET alone (TAILORx/RxPONDER).",
  {"age": 63, "tumour": {"her2_ihc": "2+", "her2_ish_ratio": 1.4, "her2_ish_copies": 3.5}, "oncotype_rs": 14},
  {"her2_therapy": ["not_indicated"], "chemotherapy": ["not_indicated"], "endocrine": ["recommended"],
   "axillary_surgery": ["omit_alnd"]},
  {"her2_therapy": ["recommended", "discuss"]},
  staging={"t": "pT1c", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"},
  no_insufficient_data=True)

V("v8-her2-ultralow-tnbc-t1c-itc",
  "55-year-old postmenopausal, ER 0 PR 0 HER2-ultralow (faint staining <= 10%), pT1c (12 mm) G3, ITC (0.1 mm, "
  "IHC) in 1 of 2 SLNs after BCS: pN0(i+)(sn). HER2-ultralow: no adjuvant HER2 therapy (DESTINY-Breast06 is "
  "metastatic). NCCN TNBC pT1c N0 -> chemotherapy recommended. ITC: no axillary treatment, no nodal RT "
  "(ASCO/NCCN). Upfront surgery: no pembrolizumab. AJCC 8: N0(i+) counts as N0 -> anatomic IA; pathological group "
  "A, G3, HER2- ER- PR- -> IB.",
  {"age": 55, "tumour": {"size_mm": 12.0, **TNBC, "her2_ihc": "ultralow"}, "nodes": sln(ITC), "oncotype_rs": None},
  {"her2_therapy": ["not_indicated"], "chemotherapy": ["recommended"], "axillary_surgery": ["none_needed"],
   "regional_nodal_irradiation": ["not_indicated"], "immunotherapy": ["not_indicated"],
   "endocrine": ["not_indicated"], "whole_breast_rt": ["recommended"]},
  {"her2_therapy": ["recommended", "discuss"], "axillary_surgery": ["alnd", "axillary_rt_or_alnd"]},
  staging={"t": "pT1c", "n": "pN0(i+)(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IB"},
  no_insufficient_data=True,
  follow_up_lacks={"no_endocrine_adherence_without_et": ET_ADHERENCE, "no_ai_items_without_ai": AI_ITEMS})

# ============================================================ small HER2-positive tumours (APT)

V("v8-her2-t1b-n0-apt",
  "57-year-old postmenopausal, ER+ PR+ HER2 3+ pT1b (8 mm) G2, both SLNs negative after BCS. NCCN HER2+: pT1b N0 -> "
  "consider paclitaxel + trastuzumab (APT, Tolaney NEJM 2015: <= 3 cm, N0 or micrometastatic; 10-y iDFS 91.3%) -> "
  "not 'not indicated'. No pertuzumab benefit in N0 (APHINITY). Trastuzumab label / ESC 2022: LVEF at baseline and "
  "every 3 months during trastuzumab. AJCC 8: T1 N0 -> IA; pathological group A, any grade HER2+ -> IA.",
  {"age": 57, "tumour": {"size_mm": 8.0, **HER2_POS}, "nodes": sln(), "oncotype_rs": None},
  {"her2_therapy": ["recommended", "discuss"], "endocrine": ["recommended"], "whole_breast_rt": ["recommended"],
   "regional_nodal_irradiation": ["not_indicated"], "axillary_surgery": ["none_needed"]},
  {"her2_therapy": ["not_indicated"]},
  staging={"t": "pT1b", "n": "pN0(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"},
  follow_up_contains={"lvef_every_3_months": LVEF_3M})

V("v8-her2-t1b-n1mi-apt",
  "57-year-old postmenopausal, ER+ PR+ HER2 3+ pT1b (9 mm) G2, one SLN micrometastasis after BCS. APT explicitly "
  "enrolled micrometastatic disease (Bellon BCRT 2019); NCCN: T1b-c N0 or N1mi -> weekly paclitaxel x12 + "
  "trastuzumab 1 year. Not APHINITY (pertuzumab for macroscopic N+). IBCSG 23-01: no ALND. Follow-up: LVEF every 3 "
  "months on trastuzumab (label; ESC 2022), annual mammography, no tumour markers or routine imaging (ASCO 2013).",
  {"age": 57, "tumour": {"size_mm": 9.0, **HER2_POS}, "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["recommended"],
   "axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"], "cdk46_inhibitor": ["not_indicated"]},
  {"her2_therapy": ["not_indicated"], "chemotherapy": ["not_indicated"]},
  mentions={"her2_therapy": r"paclitaxel|APT"},
  staging={"t": "pT1b", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"},
  no_insufficient_data=True,
  follow_up_contains={"lvef_every_3_months": LVEF_3M, "annual_mammography": MAMMOGRAPHY_YEARLY},
  follow_up_lacks={"no_tumour_markers": TUMOUR_MARKERS_ORDERED, "no_routine_scans": ROUTINE_SCANS_ORDERED})

V("v8-her2-t1a-n1mi-er-negative",
  "50-year-old postmenopausal, ER 0 PR 0 HER2 3+ pT1a (4 mm) G3, one SLN micrometastasis after BCS. NCCN HER2+: "
  "T1a N1mi -> consider adjuvant chemotherapy with trastuzumab (APT admitted micrometastatic disease) -> not 'not "
  "indicated'. ER-negative: no endocrine therapy. AJCC 8: pathological group A, G3, HER2+ ER- PR- -> IA; "
  "anatomic IB.",
  {"age": 50, "tumour": {"size_mm": 4.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+",
                         "ki67_percent": 40}, "oncotype_rs": None},
  {"her2_therapy": ["recommended", "discuss"], "endocrine": ["not_indicated"], "axillary_surgery": ["omit_alnd"]},
  {"her2_therapy": ["not_indicated"]},
  staging={"t": "pT1a", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})

# ============================================================ T1a/b triple-negative with pN1mi

V("v8-tnbc-t1b-n1mi-pre",
  "47-year-old premenopausal, TNBC pT1b (8 mm) G3, one SLN micrometastasis after BCS, gBRCA negative. NCCN TNBC: "
  "pT1b N1mi -> consider/recommend adjuvant chemotherapy -> not 'not indicated'. cT1b N0 is no KEYNOTE-522 "
  "indication and upfront surgery has no adjuvant-only pembrolizumab. ASCO-OH 2022/EBCTCG 2015: no bisphosphonate "
  "benefit before the menopause. Boost <= 50 (ASTRO 2018). No endocrine therapy, so no adherence or AI "
  "bone-density items. AJCC 8: pathological group A, G3, HER2- ER- PR- -> IB; anatomic IB.",
  {"age": 47, **PRE, "tumour": {"size_mm": 8.0, **TNBC}, "oncotype_rs": None},
  {"chemotherapy": ["discuss", "recommended"], "immunotherapy": ["not_indicated"], "olaparib": ["not_indicated"],
   "endocrine": ["not_indicated"], "bisphosphonate": ["not_indicated"], "boost": ["recommended"],
   "axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"]},
  {"chemotherapy": ["not_indicated"], "immunotherapy": ["recommended"], "bisphosphonate": ["recommended"]},
  staging={"t": "pT1b", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IB"},
  no_insufficient_data=True,
  follow_up_lacks={"no_endocrine_adherence_without_et": ET_ADHERENCE, "no_ai_items_without_ai": AI_ITEMS})

V("v8-tnbc-t1a-n1mi-post",
  "64-year-old postmenopausal, TNBC pT1a (4 mm) G3, one SLN micrometastasis after BCS. NCCN TNBC: pT1a N1mi -> "
  "consider adjuvant chemotherapy -> discuss (or recommended), not 'not indicated'. No immunotherapy (upfront). "
  "AJCC 8: anatomic IB (T1 N1mi); pathological group A, G3, triple-negative -> IB.",
  {"age": 64, "tumour": {"size_mm": 4.0, **TNBC}, "oncotype_rs": None},
  {"chemotherapy": ["discuss", "recommended"], "immunotherapy": ["not_indicated"], "endocrine": ["not_indicated"],
   "whole_breast_rt": ["recommended"]},
  {"chemotherapy": ["not_indicated"]},
  staging={"t": "pT1a", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IB"})

V("v8-tnbc-t1a-n0-itc",
  "64-year-old postmenopausal, TNBC pT1a (4 mm) G3, ITC only (0.1 mm, IHC) in 1 of 2 SLNs after BCS: pN0(i+)(sn). "
  "NCCN TNBC: pT1a pN0 -> no adjuvant chemotherapy (ITC count as N0, AJCC 8) -> never 'recommended'. ITC: no "
  "axillary treatment and no nodal RT. AJCC 8: anatomic IA; pathological group A, G3, triple-negative -> IB.",
  {"age": 64, "tumour": {"size_mm": 4.0, **TNBC}, "nodes": sln(ITC), "oncotype_rs": None},
  {"chemotherapy": ["not_indicated", "discuss"], "axillary_surgery": ["none_needed"],
   "regional_nodal_irradiation": ["not_indicated"], "immunotherapy": ["not_indicated"]},
  {"chemotherapy": ["recommended"]},
  staging={"t": "pT1a", "n": "pN0(i+)(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IB"})

# ============================================================ ITC / micrometastasis / macrometastasis boundaries

V("v8-boundary-0.2mm-150-cells-itc",
  "60-year-old, ER+ PR+ HER2- pT1c G2 Ki-67 20%, one SLN deposit of exactly 0.2 mm with 150 cells on one section "
  "(H&E), BCS. AJCC 8: ITC are clusters <= 0.2 mm ('not greater than') and fewer than 200 cells -> pN0(i+)(sn), "
  "N0 for staging (anatomic IA). ITC: no ALND, no nodal RT (ASCO 2021/NCCN). WBI: Ki-67 20% is outside LUMINA and "
  "she is under 65/70 (PRIME II, CALGB 9343) -> WBI recommended.",
  {"nodes": sln({"node": 1, "size_mm": 0.2, "cells": 150, "method": "he", "extranodal_extension": False})},
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"],
   "whole_breast_rt": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]},
  staging={"n": "pN0(i+)(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"},
  no_insufficient_data=True)

V("v8-boundary-0.2mm-250-cells-micro",
  "Same patient, one SLN deposit of 0.2 mm but 250 cells in one cross-section (H&E). AJCC 8/CAP: 200 or more cells "
  "in a single section make a micrometastasis even when no cluster exceeds 0.2 mm -> pN1mi(sn), anatomic IB. "
  "IBCSG 23-01: no ALND. WBI (N+).",
  {"nodes": sln({"node": 1, "size_mm": 0.2, "cells": 250, "method": "he", "extranodal_extension": False})},
  {"axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"], "endocrine": ["recommended"]},
  {"axillary_surgery": ["alnd"]},
  staging={"n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})

V("v8-boundary-2.0mm-micro",
  "Same patient, one SLN deposit of exactly 2.0 mm (H&E). AJCC 8: micrometastasis is > 0.2 mm and not greater "
  "than 2.0 mm -> pN1mi(sn), anatomic IB (T1 N1mi). IBCSG 23-01/AATRM: no ALND; no routine nodal RT.",
  {"nodes": sln({"node": 1, "size_mm": 2.0, "method": "he", "extranodal_extension": False})},
  {"axillary_surgery": ["omit_alnd"], "regional_nodal_irradiation": ["not_indicated", "discuss"]},
  {"axillary_surgery": ["alnd"], "regional_nodal_irradiation": ["recommended"]},
  staging={"n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})

V("v8-boundary-2.1mm-macro",
  "Same patient, one SLN deposit of 2.1 mm (H&E): macrometastasis (> 2.0 mm) -> pN1a(sn); AJCC 8 anatomic T1 N1 "
  "-> IIA; pathological group B, G2, HER2- ER+ PR+ -> IA. Z0011 (cT1-2, 1-2 positive SLN, BCS + WBI): no ALND. "
  "NCCN: 1-3 macro-positive nodes -> strongly consider RNI (MA.20, EORTC 22922) -> not 'not indicated'.",
  {"nodes": sln({"node": 1, "size_mm": 2.1, "method": "he", "extranodal_extension": False})},
  {"axillary_surgery": ["omit_alnd"], "regional_nodal_irradiation": ["discuss", "recommended"],
   "whole_breast_rt": ["recommended"]},
  {"axillary_surgery": ["alnd"], "regional_nodal_irradiation": ["not_indicated"]},
  staging={"n": "pN1a(sn)", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})

V("v8-osna-240-negative",
  "Same patient, the single SLN analysed whole by OSNA: 240 CK19 mRNA copies/uL (< 250: negative, Tsujimoto Clin "
  "Cancer Res 2007) -> node-negative: no axillary treatment, no nodal RT; anatomic IA.",
  {"nodes": sln(osna(1, 240.0), examined=1)},
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "omit_alnd"]},
  staging={"anatomic_stage": "IA"})

V("v8-osna-250-micro",
  "Same patient, one SLN by OSNA: exactly 250 copies/uL (250 to 5,000: micrometastasis, OSNA +; Tsujimoto 2007) "
  "-> pN1mi, anatomic IB. IBCSG 23-01: no ALND for a micrometastasis.",
  {"nodes": sln(osna(1, 250.0), examined=1)},
  {"axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"]},
  {"axillary_surgery": ["alnd", "none_needed"]},
  staging={"anatomic_stage": "IB"})

V("v8-osna-5200-macro",
  "Same patient, one SLN by OSNA: 5,200 copies/uL (> 5,000: macrometastasis, OSNA ++; Tsujimoto 2007) -> pN1a, "
  "anatomic IIA. Z0011 (1-2 positive SLN, BCS + WBI): no ALND. NCCN: 1-3 macro nodes -> RNI strongly considered.",
  {"nodes": sln(osna(1, 5200.0), examined=1)},
  {"axillary_surgery": ["omit_alnd"], "regional_nodal_irradiation": ["discuss", "recommended"]},
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"]},
  staging={"anatomic_stage": "IIA"})

V("v8-boundary-200-cells-exact",
  "Same patient, one SLN deposit of 0.15 mm with exactly 200 cells in one section (H&E). AJCC 8: ITC are 'fewer "
  "than 200 cells' -> 200 is a micrometastasis (pN1mi(sn), anatomic IB), but CAP writes 'more than 200' for a "
  "micrometastasis: the boundary is for the pathologist to confirm, so it is named. No ALND either way (IBCSG 23-01).",
  {"nodes": sln({"node": 1, "size_mm": 0.15, "cells": 200, "method": "he", "extranodal_extension": False})},
  {"axillary_surgery": ["omit_alnd"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]},
  mentions={"axillary_surgery": r"200"},
  staging={"n": "pN1mi(sn)", "anatomic_stage": "IB"})

V("v8-boundary-itc-in-three-nodes",
  "60-year-old, ER+ PR+ HER2- pT1c G2, ITC (0.1 mm, IHC) in each of 3 SLNs, BCS. AJCC 8: nodes with ITC only are "
  "not counted as positive and clusters are never summed across nodes -> pN0(i+)(sn), anatomic IA. No axillary "
  "treatment, no nodal RT (ASCO 2021, NCCN).",
  {"nodes": sln({**ITC, "node": 1}, {**ITC, "node": 2}, {**ITC, "node": 3}, examined=3)},
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"],
   "whole_breast_rt": ["recommended"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "omit_alnd"]},
  staging={"n": "pN0(i+)(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"})

V("v8-boundary-lobular-dispersed-150-cells",
  "62-year-old, ER+ PR+ HER2- lobular pT1c G2, one SLN with dispersed lobular cells spanning 3 mm, 150 cells in "
  "the section, separate clusters (not contiguous). AJCC 8/CAP: dispersed cells are never summed to a size; fewer "
  "than 200 cells -> ITC, pN0(i+)(sn), anatomic IA; no axillary treatment.",
  {"age": 62, "tumour": {"histology": "lobular"},
   "nodes": sln({"node": 1, "size_mm": 3.0, "cells": 150, "contiguous": False, "method": "he",
                 "extranodal_extension": False})},
  {"axillary_surgery": ["none_needed"], "regional_nodal_irradiation": ["not_indicated"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"]},
  staging={"n": "pN0(i+)(sn)", "anatomic_stage": "IA"})

V("v8-osna-5000-exact",
  "Same patient, one SLN by OSNA: exactly 5,000 copies/uL. Tsujimoto 2007 bands: 250 to 5,000 is (+) "
  "micrometastasis, above 5,000 (++); later reports (Ohi 2012) write ++ as >= 5,000 -> the band is a boundary to "
  "check with the laboratory, so it is named. Either way no ALND after BCS + WBI with 1 SLN (IBCSG 23-01 / Z0011).",
  {"nodes": sln(osna(1, 5000.0), examined=1)},
  {"axillary_surgery": ["omit_alnd"]},
  {"axillary_surgery": ["alnd", "none_needed"]},
  mentions={"axillary_surgery": r"5[,. ]?000"})

V("v8-stage-t2-itc-rs9-genomic-rule",
  "58-year-old, ER+ PR 0 HER2- pT2 (25 mm) G3, ITC only in 1 of 2 SLNs (pN0(i+)(sn)), RS 9, BCS. AJCC 8 (2018 "
  "update) genomic rule: RS < 11 in T1-2 N0 M0, HER2-negative ER-positive -> pathological prognostic stage IA "
  "whatever the grade; N0(i+) counts as N0. Anatomic T2 N0 -> IIA. TAILORx RS <= 10: no chemotherapy.",
  {"age": 58, "tumour": {"size_mm": 25.0, "grade": 3, "pr_percent": 0, "ki67_percent": 30},
   "nodes": sln(ITC), "oncotype_rs": 9},
  {"chemotherapy": ["not_indicated"], "axillary_surgery": ["none_needed"]},
  {"chemotherapy": ["recommended"]},
  staging={"t": "pT2", "n": "pN0(i+)(sn)", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})

V("v8-stage-t2-n1mi-rs9-no-genomic-rule",
  "The same tumour (ER+ PR 0 HER2- pT2 G3, RS 9) with one SLN micrometastasis instead. AJCC 8: the RS < 11 rule is "
  "for T1-2 N0 only, not N1mi -> pathological group C (T2 N1 incl. N1mi), G3, HER2- ER+ PR- -> IIB; anatomic T2 "
  "N1mi staged as N1 -> IIB.",
  {"age": 58, "tumour": {"size_mm": 25.0, "grade": 3, "pr_percent": 0, "ki67_percent": 30}, "oncotype_rs": 9},
  {"axillary_surgery": ["omit_alnd"], "endocrine": ["recommended"]},
  {"axillary_surgery": ["alnd"]},
  staging={"t": "pT2", "n": "pN1mi(sn)", "anatomic_stage": "IIB", "pathological_prognostic_stage": "IIB"})

V("v8-pre-39-pn1mi-ofs-planned-bisphosphonate",
  "39-year-old premenopausal, ER+ PR+ HER2- pT1c G2, one SLN micrometastasis, BCS, RS 20; the team plans OFS + "
  "exemestane (SOFT/TEXT). ASCO-OH 2022 (Dhesy-Thind 2017; EBCTCG 2015): menopause induced by OFS makes her a "
  "bisphosphonate candidate -> discuss or recommend, not 'not indicated'. ASCO bone health 2019: OFS + AI -> "
  "baseline DXA. Boost <= 50.",
  {"age": 39, **PRE, "oncotype_rs": 20, "ovarian_function_suppression": "planned"},
  {"bisphosphonate": ["discuss", "recommended"], "endocrine": ["recommended"], "boost": ["recommended"]},
  {"bisphosphonate": ["not_indicated"]},
  mentions={"endocrine": OFS},
  follow_up_contains={"baseline_dxa": DXA})

# ============================================================ radiotherapy

V("v8-rt-fractionation-pn1mi",
  "The base patient (60, ER+ pT1c G2 pN1mi(sn), BCS, margins 3 mm). WBI recommended (node-positive: no omission "
  "trial applies). ASTRO 2018 WBI guideline: moderate hypofractionation (40 Gy/15, 42.5 Gy/16) is the standard "
  "whatever the age, stage or chemotherapy; FAST-Forward (Brunt Lancet 2020): 26 Gy in 5 fractions over 1 week is "
  "non-inferior for whole-breast RT -> the WBI recommendation names the fractionation.",
  {},
  {"whole_breast_rt": ["recommended"], "regional_nodal_irradiation": ["not_indicated", "discuss"]},
  {"whole_breast_rt": ["omission_possible"]},
  mentions={"whole_breast_rt": r"hypofraction|40 ?Gy|26 ?Gy|15 fractions|5 fractions|FAST[- ]Forward"})

V("v8-rt-apbi-suitable-pn0",
  "66-year-old postmenopausal, ER+ PR+ HER2- pT1b (9 mm) G1 Ki-67 8%, ductal, no LVI, margins 4 mm, both SLNs "
  "negative. ASTRO 2023 partial-breast guideline: APBI/PBI recommended for grade 1-2, ER+, <= 2 cm, pN0, margins "
  "negative, age >= 40 (IMPORT LOW, RAPID, Florence, NSABP B-39); LUMINA (>= 55, T1 N0 G1-2 Ki-67 <= 13.25%, "
  "ET) and PRIME II allow omission -> WBI may be omitted; either way the partial-breast option is named. Boost: "
  "not for 51-70 with grade 1 and negative margins (ASTRO 2018: no boost needed) -> not recommended.",
  {"age": 66, "tumour": {"size_mm": 9.0, "grade": 1, "ki67_percent": 8}, "nodes": sln(),
   "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 4.0}, "oncotype_rs": None},
  {"whole_breast_rt": ["omission_possible", "recommended", "discuss"], "axillary_surgery": ["none_needed"],
   "regional_nodal_irradiation": ["not_indicated"], "chemotherapy": ["not_indicated"]},
  {"boost": ["recommended"]},
  mentions={"whole_breast_rt": r"partial[- ]breast|APBI|\bPBI\b"},
  staging={"n": "pN0(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"})

V("v8-rt-boost-45-grade1",
  "45-year-old premenopausal, ER+ PR+ HER2- pT1b (9 mm) G1, one SLN micrometastasis, BCS, margins 3 mm, RS 9. "
  "ASTRO 2018 WBI guideline: boost for age <= 50 with any grade (EORTC 22881: 20-y IBTR gain largest under 50). "
  "Premenopausal, RS <= 15: no chemotherapy (TAILORx) under either reading? RxPONDER would favour it -> not "
  "asserted. WBI recommended (N+).",
  {"age": 45, **PRE, "tumour": {"size_mm": 9.0, "grade": 1, "ki67_percent": 8}, "oncotype_rs": 9},
  {"boost": ["recommended"], "whole_breast_rt": ["recommended"], "endocrine": ["recommended"]},
  {"boost": ["not_indicated", "not_applicable"]})

V("v8-rt-boost-74-grade2",
  "74-year-old postmenopausal (ECOG 0, G8 16, CFS 2), ER+ PR+ HER2- pT1c G2, one SLN micrometastasis, BCS, "
  "margins 3 mm, RS 12. ASTRO 2018: omit the boost above 70 with HR+, grade 1-2 and negative margins. WBI stays: "
  "CALGB 9343/PRIME II required node-negative disease.",
  {"age": 74},
  {"boost": ["not_indicated"], "whole_breast_rt": ["recommended"], "axillary_surgery": ["omit_alnd"],
   "endocrine": ["recommended"]},
  {"boost": ["recommended"], "whole_breast_rt": ["omission_possible"]})

V("v8-rt-boost-62-grade3",
  "62-year-old postmenopausal, ER+ PR+ HER2- pT1c G3 Ki-67 30%, one SLN micrometastasis, BCS, margins 3 mm, RS "
  "22. ASTRO 2018: age 51-70 with grade 3 -> boost. RS <= 25 postmenopausal: no chemotherapy. AJCC 8: "
  "pathological group A, G3, HER2- ER+ PR+ -> IA.",
  {"age": 62, "tumour": {"grade": 3, "ki67_percent": 30}, "oncotype_rs": 22},
  {"boost": ["recommended"], "chemotherapy": ["not_indicated"], "whole_breast_rt": ["recommended"]},
  {"boost": ["not_indicated"], "chemotherapy": ["recommended"]},
  staging={"pathological_prognostic_stage": "IA", "anatomic_stage": "IB"})

V("v8-rt-z0011-two-micro-vs-rni",
  "56-year-old postmenopausal, ER+ PR+ HER2- pT1c G2, micrometastases in 2 of 3 SLNs, BCS. IBCSG 23-01 / Z0011: no "
  "ALND; pN1mi: no routine nodal RT (WBI with standard or high tangents), RNI only with combined adverse features "
  "(consensus) -> never a plain 'recommended'. AJCC 8: 2 micrometastatic nodes remain N1mi -> IB.",
  {"age": 56, "nodes": sln(MICRO, {"node": 2, "size_mm": 0.8, "method": "he", "extranodal_extension": False},
                           examined=3)},
  {"axillary_surgery": ["omit_alnd"], "regional_nodal_irradiation": ["not_indicated", "discuss"],
   "whole_breast_rt": ["recommended"]},
  {"regional_nodal_irradiation": ["recommended"], "axillary_surgery": ["alnd"]},
  staging={"n": "pN1mi(sn)", "anatomic_stage": "IB"})

V("v8-rt-z0011-two-macro-rni",
  "56-year-old postmenopausal, ER+ PR+ HER2- pT1c G2, macrometastases (4 and 3 mm) in 2 of 3 SLNs, BCS, RS 14. "
  "Z0011: no ALND with BCS + WBI; NCCN / MA.20 / EORTC 22922: 1-3 positive nodes -> RNI strongly considered, "
  "not 'not indicated'. RxPONDER postmenopausal RS <= 25: no chemotherapy. AJCC 8: T1 N1a -> IIA.",
  {"age": 56, "nodes": sln(macro(1), macro(2, 3.0), examined=3), "oncotype_rs": 14},
  {"axillary_surgery": ["omit_alnd"], "regional_nodal_irradiation": ["discuss", "recommended"],
   "chemotherapy": ["not_indicated"], "whole_breast_rt": ["recommended"]},
  {"regional_nodal_irradiation": ["not_indicated"], "chemotherapy": ["recommended"]},
  staging={"n": "pN1a(sn)", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})

V("v8-pmrt-two-macro-after-alnd",
  "50-year-old postmenopausal, ER+ PR+ HER2- pT2 (30 mm) G2, mastectomy with SLNB then ALND: 2 of 14 nodes with "
  "macrometastases. EBCTCG 2014 / ASCO-ASTRO-SSO 2016: T1-2 with 1-3 positive nodes -> PMRT reduces loco-regional "
  "failure and breast-cancer mortality: recommended or discussed individually, never 'not indicated'. No WBI or "
  "boost after mastectomy. AJCC 8: T2 N1a -> IIB; pathological group C, G2, HER2- ER+ PR+ -> IB. Follow-up: "
  "mammography of the remaining breast only (no imaging of the mastectomy side, NCCN).",
  {"age": 50, "tumour": {"size_mm": 30.0}, "surgery": MASTECTOMY, "oncotype_rs": 16,
   "nodes": {"procedure": "slnb_then_alnd", "examined": 14, "sentinel_nodes_removed": 2,
             "tracers": ["radioisotope", "blue_dye"], "deposits": [macro(1), macro(2, 6.0)],
             "internal_mammary": "none", "supraclavicular": False, "infraclavicular": False}},
  {"post_mastectomy_rt": ["recommended", "discuss"], "whole_breast_rt": ["not_applicable"],
   "boost": ["not_applicable"], "axillary_surgery": ["none_needed", "omit_alnd"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"]},
  staging={"t": "pT2", "n": "pN1a", "anatomic_stage": "IIB", "pathological_prognostic_stage": "IB"},
  follow_up_contains={"contralateral_mammography": MAMMOGRAPHY_YEARLY, "lymphoedema_after_alnd": LYMPHOEDEMA},
  follow_up_lacks={"no_mammography_of_both_breasts": r"mammogra[^\n]*both breasts|both breasts[^\n]*mammogra"})

V("v8-pmrt-pn1mi-favourable",
  "61-year-old postmenopausal, ER+ PR+ HER2- pT1c G2, no LVI, one SLN micrometastasis, mastectomy. ASCO/ASTRO/SSO "
  "2016: a single positive node / small nodal metastasis, age > 45, T1, low grade, no LVI and strong hormone "
  "sensitivity lower the risk so that toxicity may outweigh PMRT's benefit -> not recommended. IBCSG 23-01 "
  "(mastectomy patients included, no PMRT): no ALND.",
  {"age": 61, "surgery": MASTECTOMY},
  {"post_mastectomy_rt": ["not_indicated", "discuss"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["not_applicable"], "regional_nodal_irradiation": ["not_indicated", "discuss"]},
  {"post_mastectomy_rt": ["recommended"], "axillary_surgery": ["alnd"]})

V("v8-pmrt-t3-n1mi",
  "55-year-old postmenopausal, ER+ PR+ HER2- pT3 (55 mm) G2, one SLN micrometastasis, mastectomy. AJCC 8: T3 N1mi "
  "is staged as N1 -> IIIA; pathological group D, G2, HER2- ER+ PR+ -> IB. PMRT: T3 with nodal disease "
  "(ASCO/ASTRO/SSO 2016; NCCN: T3 N1 -> PMRT); with micrometastases only, at least a discussion (clinical "
  "knowledge R5: T3 is a combined adverse factor) -> never 'not indicated'.",
  {"age": 55, "tumour": {"size_mm": 55.0}, "surgery": MASTECTOMY},
  {"post_mastectomy_rt": ["recommended", "discuss"], "whole_breast_rt": ["not_applicable"]},
  {"post_mastectomy_rt": ["not_indicated", "not_applicable"]},
  staging={"t": "pT3", "n": "pN1mi(sn)", "anatomic_stage": "IIIA", "pathological_prognostic_stage": "IB"})

V("v8-pmrt-mastectomy-itc",
  "58-year-old postmenopausal, ER+ PR+ HER2- pT2 (24 mm) G2, ITC only (0.1 mm, IHC) in 1 of 2 SLNs, mastectomy, "
  "RS 14. AJCC 8: pN0(i+)(sn) is N0 -> T2 N0 anatomic IIA; pathological group B, G2, HER2- ER+ PR+ -> IA. "
  "ITC after mastectomy: no PMRT for the ITC, no nodal RT, no axillary treatment (ASCO/ASTRO/SSO 2016; clinical "
  "knowledge R5). RS <= 25 postmenopausal: no chemotherapy (TAILORx).",
  {"age": 58, "tumour": {"size_mm": 24.0}, "nodes": sln(ITC), "surgery": MASTECTOMY, "oncotype_rs": 14},
  {"post_mastectomy_rt": ["not_indicated"], "regional_nodal_irradiation": ["not_indicated"],
   "axillary_surgery": ["none_needed"], "chemotherapy": ["not_indicated"], "whole_breast_rt": ["not_applicable"]},
  {"post_mastectomy_rt": ["recommended"], "axillary_surgery": ["alnd", "axillary_rt_or_alnd"]},
  staging={"t": "pT2", "n": "pN0(i+)(sn)", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"},
  no_insufficient_data=True)

V("v8-pre-41-pn1mi-rs27",
  "41-year-old premenopausal, ER+ PR+ HER2- pT1c (17 mm) G2, one SLN micrometastasis, BCS, RS 27. RS >= 26: "
  "chemotherapy then endocrine therapy at any age and nodal status (TAILORx high-RS arm; NCCN; RxPONDER excluded "
  "RS > 25) -> recommended. ASCO OFS 2016: chemotherapy given, premenopausal -> OFS named. Boost <= 50.",
  {"age": 41, **PRE, "tumour": {"size_mm": 17.0}, "oncotype_rs": 27},
  {"chemotherapy": ["recommended"], "endocrine": ["recommended"], "boost": ["recommended"],
   "axillary_surgery": ["omit_alnd"]},
  {"chemotherapy": ["not_indicated", "discuss"]},
  mentions={"endocrine": OFS},
  no_insufficient_data=True)

# ============================================================ follow-up plan

V("v8-followup-ai-postmenopausal",
  "The base patient on an aromatase inhibitor (60, ER+ pT1c G2 pN1mi, BCS). ASCO follow-up 2013 / NCCN: history "
  "and examination every 3-6 months in years 1-3; first mammogram >= 6 months after RT, then yearly; no tumour "
  "markers, blood counts or routine imaging; ASCO bone health 2019: baseline DXA on an AI and every 1-2 years; "
  "endocrine adherence asked at each visit.",
  {},
  {"endocrine": ["recommended"]},
  follow_up_contains={"baseline_dxa": DXA, "first_mammogram_2027": r"^2027-\S+ .*mammogra",
                      "visit_year_1": r"^2027-\S+ .*" + VISIT, "endocrine_adherence": ET_ADHERENCE},
  follow_up_lacks={"no_tumour_markers": TUMOUR_MARKERS_ORDERED, "no_routine_scans": ROUTINE_SCANS_ORDERED})

V("v8-followup-tamoxifen-premenopausal-itc",
  "44-year-old premenopausal, ER+ PR+ HER2- pT1b (8 mm) G1 Ki-67 8%, ITC only in 1 of 2 SLNs, BCS, RS 8: pN0(i+). "
  "ASCO OFS 2016: stage I without chemotherapy -> tamoxifen alone for 5 years. RS <= 15 at <= 50, N0: no "
  "chemotherapy (TAILORx). ACOG 601 / ASCO follow-up: yearly gynaecological review on tamoxifen, report abnormal "
  "vaginal bleeding; fertility and contraception counselling for premenopausal women (ASCO survivorship 2016). "
  "Boost <= 50 (ASTRO 2018). No ALND/RNI for ITC.",
  {"age": 44, **PRE, "tumour": {"size_mm": 8.0, "grade": 1, "ki67_percent": 8}, "nodes": sln(ITC),
   "oncotype_rs": 8},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"], "axillary_surgery": ["none_needed"],
   "regional_nodal_irradiation": ["not_indicated"], "boost": ["recommended"], "bisphosphonate": ["not_indicated"]},
  {"chemotherapy": ["recommended", "discuss"], "bisphosphonate": ["recommended", "discuss"]},
  mentions={"endocrine": r"tamoxifen"},
  staging={"t": "pT1b", "n": "pN0(i+)(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"},
  no_insufficient_data=True,
  follow_up_contains={"gynaecology_on_tamoxifen": GYN_TAMOXIFEN, "fertility_or_contraception": r"fertil|contracept",
                      "annual_mammography": MAMMOGRAPHY_YEARLY},
  follow_up_lacks={"no_tumour_markers": TUMOUR_MARKERS_ORDERED})


V("v8-followup-gbrca1-tnbc",
  "38-year-old premenopausal carrier of a germline BRCA1 variant, TNBC pT1c (14 mm) G3, one SLN micrometastasis, "
  "BCS (she chose conservation after counselling). NCCN TNBC: pT1c N1mi -> chemotherapy recommended; upfront "
  "surgery: no pembrolizumab. Follow-up (NCCN surveillance / NCCN genetic high-risk; clinical knowledge F1: breast "
  "MRI only for high-risk criteria such as gBRCA): yearly mammography AND breast MRI; no endocrine therapy, so no "
  "adherence items. Boost <= 50 (ASTRO 2018).",
  {"age": 38, **PRE, "tumour": {"size_mm": 14.0, **TNBC}, "germline_brca": "brca1", "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "immunotherapy": ["not_indicated"], "endocrine": ["not_indicated"],
   "boost": ["recommended"], "whole_breast_rt": ["recommended"]},
  {"chemotherapy": ["not_indicated"]},
  follow_up_contains={"annual_mammography": MAMMOGRAPHY_YEARLY, "breast_mri_for_gbrca": BREAST_MRI_ORDERED},
  follow_up_lacks={"no_endocrine_adherence_without_et": ET_ADHERENCE})



if __name__ == "__main__":
    sys.exit(REFERRALS.main())
