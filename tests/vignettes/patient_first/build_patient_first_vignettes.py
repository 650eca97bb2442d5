"""Builds ``patient_first_vignettes.jsonl``: a blind round of hard tumour-board referrals in which the clinician
thinks first about THE PATIENT - fitness/ECOG and age, life expectancy, comorbidity and contraindications, pregnancy
and lactation, male sex, declined treatments, prior chest radiotherapy, and whether the axilla was staged adequately
(including after neoadjuvant chemotherapy or endocrine therapy) - always two or more factors at once.

Written blind (round 7) from the guideline facts in /work/shared/reference/ (clinical-knowledge.md, patient-factors.md,
ajcc8-breast-staging.md) and the trials/guidelines named in each ``source``, before reading micromets' rule code;
nothing here imports micromets.

    .venv/bin/python tests/vignettes/patient_first/build_patient_first_vignettes.py   # rewrites the JSONL

Row format (one JSON object per line)::

    {"id", "source", "case",
     "expected":  {decision key: [acceptable values]},   # only keys the source makes clear-cut
     "forbidden": {decision key: [unsafe values]},      # harm for THIS patient
     "mentions":  {decision key: regex},                # the patient factor named in that key's recommendation
     "staging":   {stage field: exact string},          # AJCC 8 fields written by hand (subset)
     "not_strong": [decision key],                       # outside trial evidence: if recommended, never 'strong'
     "no_insufficient_data": bool}                      # nothing left out could change any answer
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/vignettes: the builder pieces the sets share
from _referral_builder import (  # noqa: E402
    HER2_POS,
    ITC,
    MASTECTOMY,
    MICRO,
    NO_CONDITIONS,
    NO_NODES_YET,
    PLANNED_BCS,
    PLANNED_MASTECTOMY,
    PRE,
    TNBC,
    Referrals,
    macro,
    reference_patient,
    sln,
)

OUT = Path(__file__).with_name("patient_first_vignettes.jsonl")
BASE = reference_patient(NO_CONDITIONS | {"prior_chest_radiotherapy": "none", "connective_tissue_disease": "none"})
OLD_FRAIL = {"ecog": 2, "clinical_frailty_scale": 6, "g8_score": 11, "charlson_index": 3}
HER2_POS_ER_NEG = {"her2_ihc": "3+", "ki67_percent": 40, "er_percent": 0, "pr_percent": 0, "grade": 3}


def nst(pre_size: float, pre_nodes: str, agents: list[str], biopsy: bool) -> dict[str, Any]:
    return {"neoadjuvant": True,
            "neoadjuvant_therapy": {"pre_treatment_size_mm": pre_size, "pre_treatment_t_extension": "none",
                                    "pre_treatment_clinical_nodes": pre_nodes, "nodes_biopsy_proven": biopsy,
                                    "agents": agents}}

REFERRALS = Referrals(BASE, OUT, staged=True)
V = REFERRALS.add
render = REFERRALS.render


# ====================================================================================== fitness, age, life expectancy

V("v7-78-ecog2-n1mi-bcs-no-assay",
  "78-year-old, ECOG 2, CFS 5, G8 12, Charlson 3; ER+ HER2- pT1c G2 with one SLN micrometastasis after BCS, no "
  "recurrence score. IBCSG 23-01 (any age, BCS or mastectomy): no ALND for SLN micrometastasis. WBI: every "
  "RT-omission trial required node-negative disease (CALGB 9343 cN0, PRIME II pN0, LUMINA N0) -> pN1mi keeps WBI. "
  "Boost: ASTRO 2018 omits it above 70 with HR+, grade 1-2, negative margins. ECOG >= 2 is outside every adjuvant "
  "chemotherapy and CDK4/6 trial (NATALEE/monarchE ECOG 0-1; T1N1mi is stage IB anyway): no chemotherapy "
  "recommendation, and an assay cannot change that (ASCO geriatric 2018: GA and life expectancy shape chemotherapy), "
  "so nothing is missing. Endocrine therapy (EBCTCG).",
  {"age": 78, "ecog": 2, "clinical_frailty_scale": 5, "g8_score": 12, "charlson_index": 3, "oncotype_rs": None,
   "comorbidities": ["COPD GOLD 2", "type 2 diabetes with nephropathy"],
   "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 4.0}},
  {"axillary_surgery": ["omit_alnd"], "endocrine": ["recommended"], "whole_breast_rt": ["recommended"],
   "boost": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"], "chemotherapy": ["not_indicated", "discuss"],
   "her2_therapy": ["not_indicated"]},
  {"chemotherapy": ["recommended"], "cdk46_inhibitor": ["recommended"], "whole_breast_rt": ["omission_possible"]},
  no_insufficient_data=True)

V("v7-85-cfs6-planned-bcs-ct1c",
  "85-year-old, ECOG 2, CFS 6, G8 10, ER+ HER2- cT1c (14 mm) G2 cN0 with a normal axillary ultrasound, BCS "
  "planned. SSO Choosing Wisely 2016/2019: do not routinely perform SLNB in cN0 women >= 70 with HR+ HER2- cancer "
  "who will take endocrine therapy -> omission possible. CALGB 9343 (>= 70, cT1 cN0 ER+, endocrine therapy): WBI "
  "omission possible (10-y OS 67% vs 66%). No chemotherapy at 85/CFS 6 for cT1 N0 luminal disease (ASCO geriatric "
  "2018; SIOG/EUSOMA 2021). Endocrine therapy recommended.",
  {"age": 85, "ecog": 2, "clinical_frailty_scale": 6, "g8_score": 10, "charlson_index": 4,
   "tumour": {"size_mm": 14.0}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS, "oncotype_rs": None,
   "comorbidities": ["heart failure NYHA II (LVEF 50%)", "mild cognitive impairment"]},
  {"sentinel_biopsy": ["omission_possible"], "whole_breast_rt": ["omission_possible"],
   "chemotherapy": ["not_indicated", "discuss"], "endocrine": ["recommended"], "her2_therapy": ["not_indicated"],
   "cdk46_inhibitor": ["not_indicated"]},
  {"chemotherapy": ["recommended"]})

V("v7-70-fit-tnbc-t1c-n1mi-bcs",
  "Fit 70-year-old (ECOG 0, G8 16, CFS 2), TNBC pT1c (15 mm) G3 with one SLN micrometastasis after BCS, gBRCA "
  "negative. NCCN TNBC: pT1c N0/N1mi -> adjuvant chemotherapy recommended; SIOG/EUSOMA 2021: not age alone "
  "(withholding it for age is under-treatment). Upfront surgery: no immunotherapy (KEYNOTE-522 is neoadjuvant), no "
  "olaparib (gBRCA negative). IBCSG 23-01: no ALND; WBI (N+). Boost: ASTRO 2018, age 51-70 with grade 3. "
  "Bisphosphonate: ASCO-OH 2022 discuss with every postmenopausal candidate irrespective of HR/HER2.",
  {"age": 70, "tumour": {"size_mm": 15.0, **TNBC}, "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "immunotherapy": ["not_indicated"], "olaparib": ["not_indicated"],
   "endocrine": ["not_indicated"], "axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"],
   "boost": ["recommended", "discuss"], "cdk46_inhibitor": ["not_indicated"],
   "bisphosphonate": ["discuss", "recommended"]},
  {"chemotherapy": ["not_indicated"]},
  no_insufficient_data=True)

V("v7-83-ecog3-her2-pos-itc-bcs",
  "83-year-old, ECOG 3 (limited self-care), CFS 6, G8 9, Charlson 5; HER2+ ER+ pT1c (14 mm) with ITC only in the "
  "SLN after BCS. ITC = pN0(i+): no axillary treatment (ASCO/NCCN/ESMO). ECOG 3 is far outside APT and every "
  "adjuvant chemotherapy trial (ECOG 0-1): chemotherapy is not recommended (ASCO geriatric 2018: life expectancy and "
  "GA shape chemotherapy). Endocrine therapy for ER+ disease stays (SIOG/EUSOMA 2021: primary/adjuvant endocrine "
  "therapy for limited life expectancy).",
  {"age": 83, "ecog": 3, "clinical_frailty_scale": 6, "g8_score": 9, "charlson_index": 5, "lvef_percent": 58,
   "tumour": {**HER2_POS, "size_mm": 14.0}, "nodes": sln(ITC), "oncotype_rs": None,
   "comorbidities": ["stroke with residual hemiparesis", "atrial fibrillation"]},
  {"axillary_surgery": ["none_needed"], "chemotherapy": ["not_indicated", "discuss"], "endocrine": ["recommended"],
   "cdk46_inhibitor": ["not_indicated"], "immunotherapy": ["not_indicated"]},
  {"chemotherapy": ["recommended"]},
  mentions={"chemotherapy": r"ECOG|performance|frail|fitness|life expectancy"},
  staging={"t": "pT1c", "n": "pN0(i+)(sn)"})

V("v7-80-life-expectancy-3y-n1a-bcs",
  "80-year-old with an estimated non-cancer life expectancy of 3 years (Charlson 6, ECOG 2, CFS 6); ER+ HER2- pT2 "
  "(25 mm) G2 Ki-67 15% with one SLN macrometastasis after BCS, no assay. Z0011 (cT1-2, 1-2 SLN+, BCS + WBI): no "
  "ALND. ASCO geriatric 2018: estimate life expectancy; chemotherapy benefit accrues over years -> not recommended, "
  "and no assay can change that (nothing missing). CDK4/6: NATALEE/monarchE enrolled ECOG 0-1 with years of "
  "treatment (3 y ribociclib) -> not for a 3-year life expectancy at ECOG 2. Endocrine therapy recommended.",
  {"age": 80, "life_expectancy_years": 3, "charlson_index": 6, "ecog": 2, "clinical_frailty_scale": 6,
   "g8_score": 11, "tumour": {"size_mm": 25.0, "ki67_percent": 15}, "nodes": sln(macro(1)), "oncotype_rs": None,
   "comorbidities": ["COPD on home oxygen", "CKD stage 3b"]},
  {"chemotherapy": ["not_indicated", "discuss"], "cdk46_inhibitor": ["not_indicated", "discuss"],
   "endocrine": ["recommended"], "axillary_surgery": ["omit_alnd"]},
  {"chemotherapy": ["recommended"], "cdk46_inhibitor": ["recommended"]},
  no_insufficient_data=True)

V("v7-82-frail-t3-n1mi-mastectomy",
  "82-year-old, ECOG 2, CFS 6, ER+ HER2- pT3 (55 mm) G2 Ki-67 22% with one SLN micrometastasis after mastectomy. "
  "AJCC 8: T3 N1mi -> stage IIIA. On paper monarchE cohort 1 (tumour >= 5 cm + nodes) and NATALEE (stage III), but "
  "both required ECOG 0-1: a CDK4/6 inhibitor is never plainly recommended at ECOG 2 (patient-factor reference 1a). "
  "Chemotherapy at 82/ECOG 2/CFS 6 not recommended (ASCO geriatric 2018). Endocrine therapy recommended.",
  {"age": 82, **OLD_FRAIL, "tumour": {"size_mm": 55.0, "ki67_percent": 22}, "nodes": sln(MICRO, examined=3),
   "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-10-05", "margins_mm": 4.0},
   "oncotype_rs": None},
  {"cdk46_inhibitor": ["not_indicated", "discuss"], "chemotherapy": ["not_indicated", "discuss"],
   "endocrine": ["recommended"], "whole_breast_rt": ["not_applicable"]},
  {"cdk46_inhibitor": ["recommended"], "chemotherapy": ["recommended"]},
  staging={"t": "pT3", "n": "pN1mi(sn)", "anatomic_stage": "IIIA"})

# ================================================================================================ male patients

V("v7-male-pn1mi-mastectomy-rs14",
  "64-year-old man, ER+ PR+ HER2 1+ pT1c (16 mm) G2 with one SLN micrometastasis (2 SLNs) after mastectomy, RS 14. "
  "ASCO male breast cancer 2020 (Hassett): tamoxifen; the 21-gene assay may guide chemotherapy as in women -> RS 14 "
  "no chemotherapy (NCCN pN0/pN1mi branch). IBCSG 23-01 (mastectomy arm included): no ALND. PMRT: ASCO/ASTRO/SSO "
  "2016 lists a single node/small nodal metastasis, T1, low grade and hormone sensitivity as low-risk factors -> "
  "not routine. CDK4/6: T1N1mi = stage IB. Adjuvant bisphosphonate evidence (EBCTCG 2015, ASCO-OH 2022) is for "
  "postmenopausal women; not for a man without osteoporosis.",
  {"sex": "male", "age": 64, "nodes": sln(MICRO), "surgery": MASTECTOMY, "oncotype_rs": 14},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"], "axillary_surgery": ["omit_alnd"],
   "post_mastectomy_rt": ["not_indicated", "discuss"], "whole_breast_rt": ["not_applicable"],
   "cdk46_inhibitor": ["not_indicated"], "bisphosphonate": ["not_indicated"], "her2_therapy": ["not_indicated"]},
  staging={"t": "pT1c", "n": "pN1mi(sn)", "m": "cM0", "anatomic_stage": "IB"},
  no_insufficient_data=True)

V("v7-male-gbrca2-planned-mastectomy-cn0",
  "66-year-old man with gBRCA2, ER+ HER2- cT1c (14 mm) G2 cN0, normal axillary ultrasound, mastectomy planned. "
  "SLNB omission: ASCO 2025 (SOUND/INSEMA) is for postmenopausal women >= 50 having BCS with WBI; SSO Choosing "
  "Wisely is for women >= 70. Neither applies to a 66-year-old man having mastectomy -> SLNB recommended (ASCO "
  "male breast cancer 2020: same locoregional management as women). Endocrine therapy (tamoxifen) recommended.",
  {"sex": "male", "age": 66, "germline_brca": "brca2", "tumour": {"size_mm": 14.0}, "nodes": NO_NODES_YET,
   "surgery": PLANNED_MASTECTOMY, "oncotype_rs": None},
  {"sentinel_biopsy": ["recommended"], "endocrine": ["recommended"], "her2_therapy": ["not_indicated"]},
  {"sentinel_biopsy": ["omission_possible"]})

V("v7-male-n1mi-declines-endocrine",
  "58-year-old man, ER+ HER2- pT1c G2 pN1mi after mastectomy, RS 12, declines tamoxifen after counselling. The "
  "declined treatment must be shown as declined, never as recommended (informed refusal). No ALND (IBCSG 23-01). "
  "CDK4/6: stage IB and needs endocrine partner therapy anyway.",
  {"sex": "male", "age": 58, "nodes": sln(MICRO), "surgery": MASTECTOMY, "oncotype_rs": 12,
   "preferences": {"declined": ["endocrine"]}},
  {"endocrine": ["declined"], "axillary_surgery": ["omit_alnd"], "cdk46_inhibitor": ["not_indicated"],
   "chemotherapy": ["not_indicated", "discuss"]},
  {"endocrine": ["recommended"]},
  mentions={"endocrine": r"declin"})

V("v7-male-her2-cn0-nac-ypn0i",
  "59-year-old man, HER2+ ER+ cT2 (26 mm) cN0 treated with neoadjuvant TCHP, mastectomy ypT0 and ITC in 1 of 2 "
  "SLNs (ypN0(i+)). AJCC 8: residual ITC is not a pCR -> HER2 therapy continues (KATHERINE T-DM1 for residual "
  "disease; at the least trastuzumab to a year). Clinical-knowledge DP-A3 (NCCN/ASCO 2021): any residual nodal "
  "disease after NST incl. ypN0(i+) -> ALND (or nodal RT). Tamoxifen for ER+ disease in men (ASCO 2020). No adjuvant "
  "bisphosphonate for men (EBCTCG/ASCO-OH: postmenopausal women).",
  {"sex": "male", "age": 59, "tumour": {**HER2_POS, "size_mm": 0.0, "er_percent": 80, "pr_percent": 30},
   **nst(26, "cN0", ["taxane", "platinum", "trastuzumab", "pertuzumab"], False),
   "nodes": sln(ITC), "surgery": MASTECTOMY, "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"],
   "axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "bisphosphonate": ["not_indicated"],
   "whole_breast_rt": ["not_applicable"], "immunotherapy": ["not_indicated"]},
  {"her2_therapy": ["not_indicated"]},
  staging={"t": "ypT0", "n": "ypN0(i+)(sn)"})

# ==================================================================================== pregnancy and lactation

V("v7-pregnant-20w-bcs-pn1mi-rs28",
  "34-year-old, 20 weeks pregnant (2nd trimester), ER+ HER2- pT1c (18 mm) G3 Ki-67 35%, one SLN micrometastasis "
  "after BCS, RS 28. Amant (Lancet 2012): chemotherapy possible from 14 weeks -> RS >= 26 chemotherapy recommended "
  "now; tamoxifen contraindicated in pregnancy -> endocrine therapy deferred to after delivery; RT deferred until "
  "after delivery (fetal dose) or at least discussed. IBCSG 23-01: no ALND. No bisphosphonate now: premenopausal "
  "(EBCTCG 2015: no benefit before menopause) and not in pregnancy; after delivery it depends on whether OFS is "
  "chosen (ASCO-OH 2022, contested for OFS: README), so 'deferred' is acceptable too.",
  {"age": 34, **PRE, "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 20},
   "tumour": {"size_mm": 18.0, "grade": 3, "ki67_percent": 35}, "oncotype_rs": 28},
  {"chemotherapy": ["recommended"], "endocrine": ["deferred"], "whole_breast_rt": ["deferred", "discuss"],
   "axillary_surgery": ["omit_alnd"], "her2_therapy": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"],
   "bisphosphonate": ["not_indicated", "deferred"]},
  {"endocrine": ["recommended"], "bisphosphonate": ["recommended"]},
  mentions={"endocrine": r"pregnan|deliver"})

V("v7-pregnant-11w-tnbc-pt2-n1mi-mastectomy",
  "33-year-old, 11 weeks pregnant (1st trimester), TNBC pT2 (25 mm) G3 with one SLN micrometastasis after "
  "mastectomy, gBRCA negative. Surgery is possible in any trimester, chemotherapy only from 14 weeks (Amant, Lancet "
  "2012): chemotherapy is indicated (NCCN TNBC >= pT1c) but deferred for 3 weeks - never started now. Upfront "
  "surgery: no pembrolizumab (KEYNOTE-522 is neoadjuvant; contraindicated in pregnancy anyway). No olaparib "
  "(gBRCA negative). IBCSG 23-01: no ALND.",
  {"age": 33, **PRE, "pregnancy": {"status": "pregnant", "trimester": 1, "gestational_age_weeks": 11},
   "tumour": {"size_mm": 25.0, **TNBC}, "surgery": MASTECTOMY, "oncotype_rs": None},
  {"chemotherapy": ["deferred"], "immunotherapy": ["not_indicated"], "olaparib": ["not_indicated"],
   "endocrine": ["not_indicated"], "axillary_surgery": ["omit_alnd"], "her2_therapy": ["not_indicated"]},
  {"chemotherapy": ["recommended", "not_indicated"], "immunotherapy": ["recommended"]},
  mentions={"chemotherapy": r"14|trimester|pregnan|gestation"})

V("v7-pregnant-35w-itc-bcs-rs14",
  "33-year-old, 35 weeks pregnant, ER+ HER2- pT1c (13 mm) G2 with ITC only in the SLN after BCS, RS 14. "
  "pN0(i+): no axillary treatment. Premenopausal node-negative RS <= 15: endocrine therapy alone (TAILORx). "
  "Tamoxifen is contraindicated in pregnancy (and lactation) -> deferred; WBI after delivery (Amant 2012: fetal "
  "dose, case by case).",
  {"age": 33, **PRE, "pregnancy": {"status": "pregnant", "trimester": 3, "gestational_age_weeks": 35},
   "tumour": {"size_mm": 13.0}, "nodes": sln(ITC), "oncotype_rs": 14},
  {"axillary_surgery": ["none_needed"], "endocrine": ["deferred"], "chemotherapy": ["not_indicated"],
   "whole_breast_rt": ["deferred", "discuss"], "her2_therapy": ["not_indicated"]},
  {"endocrine": ["recommended"]},
  mentions={"endocrine": r"pregnan|deliver"})

V("v7-lactating-er-pos-n1mi-bcs",
  "36-year-old, breastfeeding 7 months post partum, ER+ HER2- pT1c (17 mm) G2 pN1mi after BCS, RS 22. HKMJ 2017 "
  "(patient-factor reference 7): endocrine and monoclonal-antibody therapy contraindicated during lactation -> "
  "endocrine therapy deferred until weaning, never plainly recommended. RT is not contraindicated by lactation and "
  "pN1mi excludes RT omission (every omission trial N0). IBCSG 23-01: no ALND. Premenopausal: no bisphosphonate.",
  {"age": 36, **PRE, "pregnancy": {"status": "lactating"}, "tumour": {"size_mm": 17.0}, "oncotype_rs": 22},
  {"endocrine": ["deferred"], "whole_breast_rt": ["recommended", "deferred"], "axillary_surgery": ["omit_alnd"],
   "her2_therapy": ["not_indicated"], "bisphosphonate": ["not_indicated"]},
  {"endocrine": ["recommended"], "whole_breast_rt": ["omission_possible", "not_applicable"]},
  mentions={"endocrine": r"lactat|breast-?feed"})

# ==================================================================================== preferences / declined

V("v7-72-declines-wbi-itc-bcs",
  "72-year-old, ER+ HER2- pT1b (9 mm) G1 Ki-67 8% with ITC in the SLN after BCS (margins 5 mm), RS 9; after "
  "counselling she declines whole-breast RT. A declined treatment is shown as declined (never recommended). "
  "Endocrine therapy becomes the only local-control partner (CALGB 9343: tamoxifen alone, 10-y LRR 10%) -> "
  "recommended. pN0(i+): no axillary treatment. RS 9 -> no chemotherapy (TAILORx).",
  {"age": 72, "tumour": {"size_mm": 9.0, "grade": 1, "ki67_percent": 8}, "nodes": sln(ITC), "oncotype_rs": 9,
   "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 5.0},
   "preferences": {"declined": ["whole_breast_rt"]}},
  {"whole_breast_rt": ["declined"], "endocrine": ["recommended"], "axillary_surgery": ["none_needed"],
   "chemotherapy": ["not_indicated"], "boost": ["not_applicable", "not_indicated", "declined"]},
  {"whole_breast_rt": ["recommended"], "endocrine": ["not_indicated"]},
  mentions={"whole_breast_rt": r"declin"})

V("v7-her2-cn1-ypn0i-declines-alnd",
  "55-year-old, HER2+ ER- cT2 (30 mm) with a biopsy-proven axillary node (cN1), neoadjuvant TCHP, BCS ypT0, "
  "targeted axillary dissection (3 SLNs, dual tracer, clipped node retrieved) with ITC in the clipped node: "
  "ypN0(i+), not a pCR (AJCC 8). UK ABS/RCR 2019 and NCCN: any residual nodal disease incl. ITC -> ALND (or nodal "
  "RT). She declines ALND -> shown as declined, and nodal RT becomes the axillary treatment (Alliance A011202 "
  "nodal-RT arm; AMAROS). HER2 therapy continues (KATHERINE: residual disease -> T-DM1). WBI after BCS.",
  {"age": 55, "tumour": {**HER2_POS_ER_NEG, "size_mm": 0.0},
   **nst(30, "cN1", ["taxane", "platinum", "trastuzumab", "pertuzumab"], True),
   "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "nodes": sln(ITC, examined=3, clipped_node="retrieved"), "oncotype_rs": None,
   "preferences": {"declined": ["axillary_surgery"]}},
  {"axillary_surgery": ["declined"], "regional_nodal_irradiation": ["recommended"], "her2_therapy": ["recommended"],
   "endocrine": ["not_indicated"], "chemotherapy": ["not_indicated"], "whole_breast_rt": ["recommended"]},
  {"axillary_surgery": ["none_needed", "omit_alnd"], "regional_nodal_irradiation": ["not_indicated"],
   "her2_therapy": ["not_indicated"]},
  mentions={"axillary_surgery": r"declin"},
  staging={"t": "ypT0", "n": "ypN0(i+)(sn)"})

V("v7-pre-39-n1a-g3-declines-ofs",
  "39-year-old premenopausal, ER+ HER2- pT2 (28 mm) G3 Ki-67 30%, 2 of 3 SLNs with macrometastases after BCS, "
  "RS 31, ECOG 0; she declines ovarian function suppression. RS >= 26 -> chemotherapy (NCCN/RxPONDER). Endocrine "
  "therapy (tamoxifen) still recommended. monarchE cohort 1 (1-3 nodes + grade 3) -> abemaciclib (with tamoxifen "
  "allowed). Adjuvant bisphosphonate: no benefit before menopause without OFS (EBCTCG 2015; ASCO-OH 2022 is for "
  "natural or therapy-induced menopause) -> not indicated while she declines OFS. Z0011: no ALND; WBI; boost at "
  "<= 50 (ASTRO 2018).",
  {"age": 39, **PRE, "tumour": {"size_mm": 28.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 31, "ovarian_function_suppression": "not_planned",
   "preferences": {"declined": ["ovarian_function_suppression"]}},
  {"chemotherapy": ["recommended"], "endocrine": ["recommended"], "bisphosphonate": ["not_indicated"],
   "cdk46_inhibitor": ["recommended", "discuss"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["recommended"], "boost": ["recommended"], "her2_therapy": ["not_indicated"]},
  {"bisphosphonate": ["recommended"]})

# ==================================================================================== prior chest radiotherapy

V("v7-68-prior-ipsilateral-wbi-new-primary-bcs",
  "68-year-old treated 12 years ago with BCS + WBI to the same breast; new ER+ HER2- pT1b (9 mm) G1 pN0 (2 SLNs), "
  "second BCS, RS 10. A second course of whole-breast RT is re-irradiation: NCCN lists prior breast RT as a "
  "contraindication to standard breast-conserving RT; partial-breast re-irradiation (RTOG 1014) is a discussion, "
  "never a plain recommendation. PRIME II (>= 65, HR+, pN0, <= 3 cm, clear margins) also allows omission. "
  "Endocrine therapy recommended; no chemotherapy (RS 10).",
  {"age": 68, "tumour": {"size_mm": 9.0, "grade": 1, "ki67_percent": 8}, "nodes": sln(), "oncotype_rs": 10,
   "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 4.0},
   "conditions": {"prior_chest_radiotherapy": "ipsilateral_breast"},
   "comorbidities": ["right breast cancer 2014: BCS + WBI 40 Gy/15"]},
  {"whole_breast_rt": ["discuss", "omission_possible"], "endocrine": ["recommended"],
   "axillary_surgery": ["none_needed"], "chemotherapy": ["not_indicated"]},
  {"whole_breast_rt": ["recommended"]},
  mentions={"whole_breast_rt": r"prior|previous|re-?irradiat"})

V("v7-41-mantle-rt-mastectomy-2-macro",
  "41-year-old Hodgkin survivor (mantle-field RT 36 Gy at 19: axillae, supraclavicular fossae, mediastinum), "
  "ER+ HER2- pT2 (22 mm) G2 with 2 of 3 SLN macrometastases after mastectomy, RS 17. After mastectomy with 1-2 "
  "SLN macrometastases ALND may be omitted only when PMRT including the nodes is planned (ASCO 2025; SENOMAC ~90% "
  "nodal RT) - here any chest-wall/nodal RT re-irradiates the mantle fields: PMRT and RNI are a discussion, never a "
  "plain recommendation, and the axilla cannot be left untreated (ALND, or nodal RT if judged feasible). "
  "Endocrine therapy recommended.",
  {"age": 41, **PRE, "tumour": {"size_mm": 22.0, "ki67_percent": 20},
   "nodes": sln(macro(1), macro(2), examined=3), "surgery": MASTECTOMY, "oncotype_rs": 17,
   "conditions": {"prior_chest_radiotherapy": "mantle_or_mediastinal"},
   "comorbidities": ["Hodgkin lymphoma 2004, mantle-field RT 36 Gy"]},
  {"post_mastectomy_rt": ["discuss"], "regional_nodal_irradiation": ["discuss", "not_indicated"],
   "axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "endocrine": ["recommended"]},
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"],
   "axillary_surgery": ["none_needed"]},
  mentions={"post_mastectomy_rt": r"prior|mantle|previous|re-?irradiat"})

# ==================================================================================== comorbidity, contraindications

V("v7-tnbc-active-lupus-bcs-n1mi",
  "56-year-old with active systemic lupus (prednisolone + hydroxychloroquine), TNBC pT1c (17 mm) G3 pN1mi after "
  "BCS, gBRCA negative. NCCN: active connective-tissue disease involving the skin (lupus, scleroderma) is a relative "
  "contraindication to breast RT -> WBI is a discussion, not a plain recommendation. Chemotherapy recommended "
  "(NCCN TNBC pT1c N0/N1mi). No pembrolizumab after upfront surgery (and KEYNOTE-522 excluded active autoimmune "
  "disease). IBCSG 23-01: no ALND.",
  {"age": 56, "tumour": {"size_mm": 17.0, **TNBC}, "oncotype_rs": None,
   "conditions": {"connective_tissue_disease": "active_lupus", "autoimmune_disease": "active"},
   "comorbidities": ["SLE with cutaneous and renal involvement, prednisolone 10 mg + hydroxychloroquine"]},
  {"whole_breast_rt": ["discuss"], "chemotherapy": ["recommended"], "immunotherapy": ["not_indicated"],
   "endocrine": ["not_indicated"], "axillary_surgery": ["omit_alnd"], "olaparib": ["not_indicated"]},
  {"whole_breast_rt": ["recommended"], "immunotherapy": ["recommended"]},
  mentions={"whole_breast_rt": r"lupus|connective"})

V("v7-tnbc-ild-post-nac-ypn1mi-no-pembro",
  "63-year-old with fibrotic interstitial lung disease (no pembrolizumab given: KEYNOTE-522 excluded ILD/"
  "pneumonitis), TNBC cT2 (32 mm) cN0 after neoadjuvant anthracycline-taxane-carboplatin, BCS ypT1c with a "
  "micrometastasis in 1 of 2 SLNs (ypN1mi), gBRCA negative. CREATE-X: capecitabine for residual TNBC (OS HR 0.52); "
  "ILD is no contraindication to capecitabine. Adjuvant-only pembrolizumab has no evidence and ILD argues against it. "
  "Clinical-knowledge DP-A3 (NCCN): residual nodal disease after NST (incl. ypN1mi) -> ALND or nodal RT. No olaparib "
  "(gBRCA negative). Chemotherapy completed.",
  {"age": 63, "tumour": {"size_mm": 12.0, **TNBC},
   **nst(32, "cN0", ["anthracycline", "taxane", "platinum"], False), "nodes": sln(MICRO), "oncotype_rs": None,
   "conditions": {"interstitial_lung_disease": True},
   "comorbidities": ["idiopathic pulmonary fibrosis on nintedanib, FVC 68%"]},
  {"capecitabine": ["recommended", "discuss"], "immunotherapy": ["not_indicated"], "olaparib": ["not_indicated"],
   "chemotherapy": ["not_indicated"], "axillary_surgery": ["alnd", "axillary_rt_or_alnd"],
   "endocrine": ["not_indicated"]},
  {"immunotherapy": ["recommended"], "axillary_surgery": ["none_needed", "omit_alnd"]},
  staging={"t": "ypT1c", "n": "ypN1mi(sn)"})

V("v7-tnbc-ild-planned-ct2-kn522",
  "58-year-old with fibrotic interstitial lung disease, TNBC cT2 (28 mm) cN0 before surgery. KEYNOTE-522 (cT2 N0) "
  "would give chemotherapy + pembrolizumab, but excluded current pneumonitis/ILD and a history of pneumonitis that "
  "needed steroids (pembrolizumab label: immune-mediated pneumonitis) -> outside trial evidence. No guideline "
  "contraindicates it (label warning, not a contraindication), so the clear-cut points are: neoadjuvant chemotherapy "
  "recommended, and pembrolizumab, if recommended at all, never 'strong' and with the ILD named.",
  {"age": 58, "tumour": {"size_mm": 28.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "conditions": {"interstitial_lung_disease": True},
   "comorbidities": ["fibrotic ILD (NSIP), FVC 70%"]},
  {"chemotherapy": ["recommended"], "endocrine": ["not_indicated"], "her2_therapy": ["not_indicated"]},
  mentions={"immunotherapy": r"interstitial|ILD|pneumonitis|lung"}, not_strong=("immunotherapy",))

V("v7-her2-lvef45-after-nac-pcr",
  "56-year-old, HER2+ ER- cT2 (28 mm) cN0, neoadjuvant TCHP, pCR (ypT0 ypN0, 2 SLNs). LVEF 63% at baseline, now 45% "
  "(asymptomatic). Trastuzumab US label: withhold for an absolute LVEF fall >= 16 points (here 18); EU SmPC: "
  "suspend if fall >= 10 points and < 50%, re-test in ~3 weeks. Completing the year of HER2 therapy stays indicated "
  "(after recovery / cardio-oncology) - deferred or discussed, neither plainly recommended nor dropped. cN0 -> "
  "ypN0 with SLNB: no ALND. WBI after BCS.",
  {"age": 56, "tumour": {**HER2_POS_ER_NEG, "size_mm": 0.0},
   **nst(28, "cN0", ["taxane", "platinum", "trastuzumab", "pertuzumab"], False), "nodes": sln(),
   "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 5.0},
   "lvef_percent": 45, "oncotype_rs": None,
   "comorbidities": ["LVEF 63% before neoadjuvant TCHP, 45% after; asymptomatic"]},
  {"her2_therapy": ["deferred", "discuss"], "axillary_surgery": ["none_needed", "omit_alnd"],
   "endocrine": ["not_indicated"], "chemotherapy": ["not_indicated"], "whole_breast_rt": ["recommended"],
   "immunotherapy": ["not_indicated"], "capecitabine": ["not_indicated"]},
  {"her2_therapy": ["recommended", "not_indicated"]},
  mentions={"her2_therapy": r"LVEF|ejection|cardi"},
  staging={"t": "ypT0", "n": "ypN0(sn)"})

V("v7-scleroderma-mastectomy-pn2a",
  "61-year-old with systemic sclerosis (scleroderma), ER+ HER2- pT2 (30 mm) G2, 4 of 14 nodes with macrometastases "
  "after mastectomy + ALND. PMRT/RNI would normally be indicated (>= 4 nodes), but NCCN lists scleroderma as a "
  "relative contraindication to RT (severe fibrosis) -> a discussion, never a plain recommendation. Chemotherapy for "
  ">= 4 nodes (NCCN; no assay). Endocrine therapy. monarchE cohort 1 (>= 4 nodes) -> abemaciclib.",
  {"age": 61, "tumour": {"size_mm": 30.0, "ki67_percent": 25},
   "nodes": {"procedure": "slnb_then_alnd", "examined": 14, "sentinel_nodes_removed": 2,
             "tracers": ["radioisotope", "blue_dye"], "deposits": [macro(1), macro(2), macro(3), macro(4)],
             "internal_mammary": "none", "supraclavicular": False, "infraclavicular": False},
   "surgery": MASTECTOMY, "oncotype_rs": None,
   "conditions": {"connective_tissue_disease": "scleroderma"},
   "comorbidities": ["diffuse cutaneous systemic sclerosis"]},
  {"post_mastectomy_rt": ["discuss"], "regional_nodal_irradiation": ["discuss"], "chemotherapy": ["recommended"],
   "endocrine": ["recommended"], "cdk46_inhibitor": ["recommended", "discuss"]},
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"]},
  mentions={"post_mastectomy_rt": r"scleroderma|sclerosis|connective"},
  staging={"t": "pT2", "n": "pN2a", "anatomic_stage": "IIIA"})

# ==================================================================================== was the axilla staged adequately?

V("v7-62-mastectomy-axilla-unstaged",
  "62-year-old, ER+ HER2- pT2 (28 mm) G2 after mastectomy with NO axillary staging (no SLNB; cN0, normal "
  "ultrasound). SLNB omission is supported only for BCS with WBI (SOUND, INSEMA; ASCO 2025) or women >= 70 (SSO "
  "Choosing Wisely): the axilla is unstaged, and nodal status would change systemic therapy and PMRT -> 'no axillary "
  "treatment needed' is unsafe; the axilla needs staging/treatment (or the missing nodal status is named).",
  {"age": 62, "tumour": {"size_mm": 28.0, "ki67_percent": 18}, "nodes": NO_NODES_YET,
   "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-10-05", "margins_mm": 4.0},
   "oncotype_rs": None},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "insufficient_data"]},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("v7-74-mastectomy-axilla-unstaged-omission-met",
  "74-year-old, ER+ HER2- pT1c (15 mm) G2 after mastectomy without axillary staging, cN0 by examination and "
  "ultrasound, endocrine therapy planned. SSO Choosing Wisely 2016/2019 (women >= 70, cN0, HR+ HER2-, endocrine "
  "therapy; no restriction to BCS) and ASCO-OH 2021 (>= 70, cT1N0): axillary staging may be omitted -> no axillary "
  "treatment; ALND would be over-treatment (IBCSG 23-01/Z0011 morbidity).",
  {"age": 74, "tumour": {"size_mm": 15.0}, "nodes": NO_NODES_YET, "oncotype_rs": None,
   "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-10-05", "margins_mm": 4.0}},
  {"axillary_surgery": ["none_needed"], "endocrine": ["recommended"]},
  {"axillary_surgery": ["alnd"]})

V("v7-55-tnbc-mastectomy-axilla-unstaged",
  "55-year-old, TNBC pT1c (18 mm) G3 after mastectomy without axillary staging (cN0). Triple-negative disease is "
  "outside every omission path (ASCO 2025/SOUND need HR+ HER2-; Choosing Wisely needs >= 70 and HR+): the axilla "
  "is unstaged and nodal status changes chemotherapy intensity, PMRT and RNI -> 'no further axillary surgery' is "
  "unsafe. PMRT and nodal RT wait for the nodal result (ASCO/ASTRO/SSO 2016: PMRT after a positive SLNB without ALND "
  "only when already justified; EBCTCG 2014 'no benefit' is for pathologically node-NEGATIVE disease) - never "
  "'not indicated, node-negative'. Chemotherapy recommended anyway (NCCN TNBC >= pT1c).",
  {"age": 55, "tumour": {"size_mm": 18.0, **TNBC}, "nodes": NO_NODES_YET, "oncotype_rs": None,
   "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-10-05", "margins_mm": 4.0}},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd", "insufficient_data"], "chemotherapy": ["recommended"],
   "endocrine": ["not_indicated"], "post_mastectomy_rt": ["insufficient_data", "discuss"],
   "regional_nodal_irradiation": ["insufficient_data", "discuss"]},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

V("v7-male-74-planned-bcs-ct1",
  "74-year-old man, ER+ HER2- cT1b (9 mm) G1 cN0, normal axillary ultrasound, BCS planned. SSO Choosing Wisely is "
  "worded for women >= 70 and SOUND/INSEMA enrolled women only; ASCO male breast cancer 2020: manage the axilla as in "
  "women by trial evidence - no evidence for omitting SLNB in men -> SLNB recommended, never 'omission possible' by "
  "analogy. Endocrine therapy (tamoxifen).",
  {"sex": "male", "age": 74, "tumour": {"size_mm": 9.0, "grade": 1, "ki67_percent": 8}, "nodes": NO_NODES_YET,
   "surgery": PLANNED_BCS, "oncotype_rs": None},
  {"sentinel_biopsy": ["recommended"], "endocrine": ["recommended"]},
  {"sentinel_biopsy": ["omission_possible"]})

V("v7-80-1sln-isotope-micro-bcs",
  "80-year-old, ECOG 1, CFS 3, ER+ HER2- pT1c (12 mm) G2; upfront SLNB removed a single node (isotope only) with a "
  "1.2 mm micrometastasis; BCS, margins 4 mm. Upfront (no NST) a single SLN is an adequate sentinel procedure: no "
  "ALND (IBCSG 23-01, any age). pN1mi: no RT omission (CALGB 9343/PRIME II required N0) -> WBI; boost omitted above "
  "70 with HR+ G2 and negative margins (ASTRO 2018). T1N1mi stage IB: no CDK4/6.",
  {"age": 80, "ecog": 1, "clinical_frailty_scale": 3, "g8_score": 15, "charlson_index": 1,
   "tumour": {"size_mm": 12.0}, "nodes": sln(MICRO, examined=1, tracers=("radioisotope",)),
   "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 4.0}, "oncotype_rs": None},
  {"axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"], "boost": ["not_indicated"],
   "cdk46_inhibitor": ["not_indicated"], "endocrine": ["recommended"]},
  {"axillary_surgery": ["alnd"], "whole_breast_rt": ["omission_possible"]},
  staging={"t": "pT1c", "n": "pN1mi(sn)", "anatomic_stage": "IB"})

V("v7-79-osna-micro-mastectomy",
  "79-year-old, ECOG 1, ER+ HER2- pT1b (8 mm) G1 Ki-67 5% after mastectomy; the metastasis was found only by OSNA "
  "(2,400 CK19 copies/uL in 1 of 2 SLNs; the node is consumed). OSNA 250-5,000 copies = micrometastasis -> "
  "pN1mi(sn), stage IB. No ALND (IBCSG 23-01 incl. mastectomy). PMRT not indicated for a single small nodal "
  "metastasis, T1, G1, strongly ER+ at 79 (ASCO/ASTRO/SSO 2016 low-risk factors). No CDK4/6 (stage IB).",
  {"age": 79, "ecog": 1, "clinical_frailty_scale": 3, "g8_score": 15, "charlson_index": 1,
   "tumour": {"size_mm": 8.0, "grade": 1, "ki67_percent": 5},
   "nodes": sln({"node": 1, "method": "osna", "osna_copies_per_ul": 2400, "extranodal_extension": False}),
   "surgery": MASTECTOMY, "oncotype_rs": None},
  {"axillary_surgery": ["omit_alnd"], "post_mastectomy_rt": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"],
   "whole_breast_rt": ["not_applicable"], "endocrine": ["recommended"]},
  {"axillary_surgery": ["alnd"]},
  staging={"t": "pT1b", "n": "pN1mi(sn)", "anatomic_stage": "IB"})

V("v7-81-cn1-biopsied-upfront-mastectomy",
  "81-year-old, ECOG 1, G8 15, ER+ HER2- cT2 (24 mm) with a suspicious axillary node, FNA positive (cN1), upfront "
  "mastectomy and SLNB: one 6 mm macrometastasis in 1 of 2 SLNs. Z0011, SENOMAC, AMAROS and POSNOC all required "
  "clinically node-negative disease; biopsy-proven cN1 with upfront surgery -> ALND (or axillary RT in selected "
  "cases; clinical-knowledge DP-A2). Omitting axillary treatment is outside every trial. Endocrine therapy.",
  {"age": 81, "ecog": 1, "g8_score": 15, "clinical_frailty_scale": 4, "charlson_index": 1,
   "tumour": {"size_mm": 24.0, "ki67_percent": 15}, "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "nodes": sln(macro(1, 6.0)), "surgery": MASTECTOMY, "oncotype_rs": None,
   "comorbidities": ["axillary node FNA before surgery: carcinoma"]},
  {"axillary_surgery": ["alnd", "axillary_rt_or_alnd"], "endocrine": ["recommended"]},
  {"axillary_surgery": ["none_needed", "omit_alnd"]})

# ==================================================================================== after neoadjuvant therapy

V("v7-79-neoadjuvant-endocrine-ypn1mi-bcs",
  "79-year-old, ECOG 1, ER+ (95%) HER2- cT2 (32 mm) cN0 treated with 6 months of neoadjuvant letrozole (no "
  "chemotherapy), BCS ypT1c (14 mm) G2 Ki-67 5%, micrometastasis in 1 of 2 SLNs (ypN1mi). CREATE-X capecitabine and "
  "KEYNOTE-522 pembrolizumab are for residual disease after neoadjuvant CHEMOTHERAPY: neither applies after "
  "neoadjuvant endocrine therapy. Endocrine therapy continues. WBI after BCS (N+: no omission).",
  {"age": 79, "ecog": 1, "clinical_frailty_scale": 4, "g8_score": 14, "charlson_index": 2,
   "tumour": {"size_mm": 14.0, "er_percent": 95, "pr_percent": 50, "ki67_percent": 5},
   **nst(32, "cN0", ["endocrine"], False), "nodes": sln(MICRO), "oncotype_rs": None},
  {"endocrine": ["recommended"], "capecitabine": ["not_indicated"], "immunotherapy": ["not_indicated"],
   "her2_therapy": ["not_indicated"], "olaparib": ["not_indicated"], "whole_breast_rt": ["recommended"]},
  {"capecitabine": ["recommended"], "whole_breast_rt": ["omission_possible"]},
  staging={"t": "ypT1c", "n": "ypN1mi(sn)"})

V("v7-70-gbrca1-tnbc-pt2-n1mi-fit",
  "Fit 70-year-old (ECOG 0, G8 16) with gBRCA1, TNBC pT2 (24 mm) G3 pN1mi after upfront BCS. OlympiA (TNBC after "
  "adjuvant chemotherapy: >= pT2 or >= pN1; ECOG 0-1; no upper age limit): olaparib for a year. Chemotherapy "
  "recommended (NCCN TNBC >= pT1c). No pembrolizumab after upfront surgery. IBCSG 23-01: no ALND; WBI.",
  {"age": 70, "germline_brca": "brca1", "tumour": {"size_mm": 24.0, **TNBC}, "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "olaparib": ["recommended"], "immunotherapy": ["not_indicated"],
   "endocrine": ["not_indicated"], "axillary_surgery": ["omit_alnd"], "whole_breast_rt": ["recommended"]},
  {"olaparib": ["not_indicated"], "chemotherapy": ["not_indicated"]},
  no_insufficient_data=True)

V("v7-hr-post-nac-cpseg3-gbrca-untested",
  "48-year-old premenopausal, ER+ HER2- cT2 (45 mm) G3 (nuclear grade 3) with biopsy-proven cN1, neoadjuvant "
  "anthracycline-taxane, BCS ypT2 (22 mm), ALND 2/12 macrometastases (ypN1a); germline BRCA never tested. CPS+EG: "
  "clinical IIB 1 + pathological IIB 1 + ER+ 0 + grade 3 1 = 3 -> OlympiA-eligible IF gBRCA: the untested germline "
  "status decides olaparib (insufficient data; ASCO-SSO 2024: test everyone <= 65). monarchE cohort 1 (1-3 nodes + "
  "grade 3, NAC allowed) -> abemaciclib. Endocrine therapy (with OFS). Residual nodal disease after NST -> RNI. "
  "Chemotherapy completed.",
  {"age": 48, **PRE, "germline_brca": None,
   "tumour": {"size_mm": 22.0, "grade": 3, "nuclear_grade": 3, "er_percent": 80, "pr_percent": 20,
              "ki67_percent": 30},
   **nst(45, "cN1", ["anthracycline", "taxane"], True), "clinical_nodes": "cN1", "axillary_ultrasound": "suspicious",
   "nodes": {"procedure": "slnb_then_alnd", "examined": 12, "sentinel_nodes_removed": 3,
             "tracers": ["radioisotope", "blue_dye"], "clipped_node": "retrieved",
             "deposits": [macro(1), macro(2)], "internal_mammary": "none", "supraclavicular": False,
             "infraclavicular": False},
   "oncotype_rs": None, "ovarian_function_suppression": "planned"},
  {"olaparib": ["insufficient_data"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"],
   "cdk46_inhibitor": ["recommended", "discuss"], "her2_therapy": ["not_indicated"],
   "regional_nodal_irradiation": ["recommended"], "whole_breast_rt": ["recommended"]},
  {"olaparib": ["not_indicated"]},
  mentions={"olaparib": r"BRCA|germline"},
  staging={"t": "ypT2", "n": "ypN1a"})

V("v7-tnbc-gbrca-untested-post-kn522-residual",
  "44-year-old, TNBC cT2 (30 mm) cN0 after the KEYNOTE-522 regimen (carboplatin-paclitaxel -> AC with "
  "pembrolizumab), BCS ypT1b (9 mm), 3 negative SLNs; germline BRCA never tested. OlympiA: residual TNBC after NAC "
  "-> olaparib IF gBRCA -> the missing germline result decides it (ASCO-SSO 2024: offer testing to all <= 65). "
  "Pembrolizumab continues to complete the year (KEYNOTE-522, irrespective of pCR). cN0 -> ypN0 by SLNB: no ALND.",
  {"age": 44, **PRE, "germline_brca": None, "tumour": {"size_mm": 9.0, **TNBC},
   **nst(30, "cN0", ["anthracycline", "taxane", "platinum", "pembrolizumab"], False),
   "nodes": sln(examined=3), "oncotype_rs": None},
  {"olaparib": ["insufficient_data"], "immunotherapy": ["recommended"], "chemotherapy": ["not_indicated"],
   "axillary_surgery": ["none_needed", "omit_alnd"], "endocrine": ["not_indicated"],
   "whole_breast_rt": ["recommended"]},
  {"olaparib": ["not_indicated"], "immunotherapy": ["not_indicated"]},
  mentions={"olaparib": r"BRCA|germline"},
  staging={"t": "ypT1b", "n": "ypN0(sn)"})



if __name__ == "__main__":
    sys.exit(REFERRALS.main())
