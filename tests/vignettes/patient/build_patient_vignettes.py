"""Builds ``patient_vignettes.jsonl``: tumour-board referrals where THE PATIENT decides (fitness, comorbidity,
contraindications, pregnancy/lactation, preferences, life expectancy), each factor in combination.

Written blind from the sources named in each vignette (patient-factor reference: trial eligibility, drug labels,
ASCO/ESMO/SIOG guidance), before reading micromets' rules; nothing here imports micromets.

    .venv/bin/python tests/vignettes/patient/build_patient_vignettes.py     # rewrites patient_vignettes.jsonl

Row format (one JSON object per line)::

    {"id", "source", "case",
     "expected":  {decision key: [acceptable values]},   # only the keys the source makes clear-cut
     "forbidden": {decision key: [unsafe values]},      # e.g. a contraindicated treatment `recommended`
     "mentions":  {decision key: regex},                # the patient factor must be named in that key's
                                                         # recommendation text/rationale (or the warnings)
     "no_insufficient_data": bool}                      # no decision may be insufficient_data: every input
                                                         # left out of this case cannot change any answer
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/vignettes: the builder pieces the sets share
from _referral_builder import (  # noqa: E402
    HER2_POS,
    ITC,
    MASTECTOMY,
    MICRO,
    NO_CONDITIONS,
    NO_NODES_YET,
    PLANNED_BCS,
    PRE,
    TNBC,
    Referrals,
    macro,
    reference_patient,
    sln,
)

OUT = Path(__file__).with_name("patient_vignettes.jsonl")
BASE = reference_patient(NO_CONDITIONS)
FRAIL = {"ecog": 3, "clinical_frailty_scale": 7, "g8_score": 9, "charlson_index": 5}

REFERRALS = Referrals(BASE, OUT, staged=False)
V = REFERRALS.add
render = REFERRALS.render


# ============================================================================ converse: fit, no contraindication

V("fit-post-er-pos-n1mi-standard",
  "Fit 60-year-old, no comorbidity: the standard must stand (no over-caution). ER+ HER2- pT1c G2 pN1mi, RS 12, "
  "postmenopausal: endocrine therapy (EBCTCG; NCCN), no chemotherapy (NCCN 'pN0 or pN1mi' branch, TAILORx RS <= 25 "
  "at > 50). IBCSG 23-01: no ALND for SLN micrometastasis. WBI after BCS: every RT-omission trial required N0 "
  "(CALGB 9343, PRIME II, LUMINA). CDK4/6: T1N1mi is stage IB, below NATALEE's stage IIA and outside monarchE "
  "cohort 1. Bisphosphonate to be discussed with every postmenopausal candidate for adjuvant systemic therapy "
  "(ASCO-OH 2022, EBCTCG 2015).",
  {},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["recommended"], "cdk46_inhibitor": ["not_indicated"], "her2_therapy": ["not_indicated"],
   "olaparib": ["not_indicated"], "immunotherapy": ["not_indicated"], "capecitabine": ["not_indicated"],
   "bisphosphonate": ["discuss", "recommended"]},
  no_insufficient_data=True)

V("fit-her2-pos-n1mi-standard",
  "Fit 52-year-old, LVEF 62%, no cardiac history: HER2+ ER+ pT1c pN1mi -> weekly paclitaxel + trastuzumab (APT, "
  "Tolaney NEJM 2015: node-negative or micrometastatic, <= 3 cm), endocrine therapy (ER+), WBI after BCS, no ALND "
  "(IBCSG 23-01). No KEYNOTE-522/CREATE-X setting (upfront surgery, HER2+). Bisphosphonate: ASCO-OH 2022 "
  "irrespective of HER2.",
  {"age": 52, "tumour": HER2_POS},
  {"her2_therapy": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["recommended"],
   "whole_breast_rt": ["recommended"], "axillary_surgery": ["omit_alnd"], "cdk46_inhibitor": ["not_indicated"],
   "immunotherapy": ["not_indicated"], "capecitabine": ["not_indicated"], "bisphosphonate": ["discuss", "recommended"]},
  no_insufficient_data=True)

V("fit-pre-monarche-cohort1-standard",
  "Fit 45-year-old premenopausal, ECOG 0, QTcF 420 ms, no ILD, no VTE: ER+ HER2- pT2 (32 mm) G3 with 2 SLN "
  "macrometastases -> monarchE cohort 1 (1-3 nodes + grade 3; abemaciclib) and NATALEE (stage II) both apply: "
  "CDK4/6 inhibitor recommended. Premenopausal with 1-3 positive nodes: chemotherapy (RxPONDER premenopausal "
  "benefit; ASCO 2022 biomarker rec 1.6). Endocrine therapy recommended.",
  {"age": 45, **PRE, "tumour": {"size_mm": 32.0, "grade": 3, "ki67_percent": 25},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 18, "ovarian_function_suppression": "planned"},
  {"cdk46_inhibitor": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["recommended"],
   "her2_therapy": ["not_indicated"]},
  no_insufficient_data=True)

V("fit-tnbc-cT2-keynote522",
  "Fit 47-year-old TNBC cT2 (28 mm) cN0 before surgery, no autoimmune disease, no transplant: KEYNOTE-522 "
  "(cT2-4 N0-2, ECOG 0-1): neoadjuvant chemotherapy with pembrolizumab recommended. Autoimmune status and "
  "transplant are known absent, so nothing is missing.",
  {"age": 47, **PRE, "tumour": {"size_mm": 28.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None},
  {"immunotherapy": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["not_indicated"],
   "her2_therapy": ["not_indicated"]})

V("fit-tnbc-inactive-autoimmune-keynote522",
  "TNBC cT2 cN0 before surgery, fit, with INACTIVE autoimmune disease (treated hypothyroidism on replacement, no "
  "systemic immunosuppression in 2 years): KEYNOTE-522 excluded only active autoimmune disease that needed "
  "systemic treatment in the past 2 years (replacement therapy allowed). Pembrolizumab must not be withheld.",
  {"age": 50, **PRE, "tumour": {"size_mm": 30.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "conditions": {"autoimmune_disease": "inactive"},
   "comorbidities": ["Hashimoto thyroiditis on levothyroxine"]},
  {"immunotherapy": ["recommended"], "chemotherapy": ["recommended"]},
  {"immunotherapy": ["not_indicated"]})

# ====================================================================================== cardiac / HER2 / anthracycline

V("her2-lvef45-no-hf",
  "HER2+ ER- pT1c pN1mi, LVEF 45% without heart failure: adjuvant trastuzumab trials required LVEF >= 50-55% (APT, "
  "HERA, APHINITY); EU SmPC: caution at LVEF <= 55%; IC-OS 2021: 40-49% is moderate dysfunction; SAFE-HEaRt "
  "(Lynce 2019) gave HER2 therapy at 40-49% only with ACE-inhibitor + beta-blocker and cardiology follow-up. "
  "HER2 therapy is indicated but cannot be plainly 'recommended': discuss/deferred. ER-: no endocrine therapy.",
  {"age": 63, "tumour": {**HER2_POS, "er_percent": 0, "pr_percent": 0, "grade": 3}, "lvef_percent": 45,
   "charlson_index": 1},
  {"her2_therapy": ["discuss", "deferred"], "endocrine": ["not_indicated"], "whole_breast_rt": ["recommended"],
   "axillary_surgery": ["omit_alnd"]},
  {"her2_therapy": ["recommended", "not_indicated"]},
  mentions={"her2_therapy": r"LVEF|ejection|cardi"})

V("her2-heart-failure-recovered-lvef55",
  "HER2+ ER+ pT1c pN1mi with a history of heart failure, LVEF now 55%: the trastuzumab trials excluded a history of "
  "congestive heart failure (HERA, NSABP B-31/N9831); trastuzumab label: caution with pre-existing cardiac "
  "dysfunction; ESC 2022 cardio-oncology: high baseline risk -> cardio-oncology review. Indicated but not plainly "
  "recommended. Endocrine therapy (ER+) unaffected.",
  {"age": 66, "tumour": HER2_POS, "lvef_percent": 55, "charlson_index": 1,
   "conditions": {"heart_failure": True}},
  {"her2_therapy": ["discuss", "deferred"], "endocrine": ["recommended"]},
  {"her2_therapy": ["recommended", "not_indicated"]},
  mentions={"her2_therapy": r"heart failure|cardi"})

V("her2-lvef38-macro",
  "HER2+ ER- pT2 (24 mm) with one SLN macrometastasis, LVEF 38%: severe LV dysfunction (IC-OS 2021 < 40%), outside "
  "every HER2 trial and SAFE-HEaRt (40-49%); trastuzumab/pertuzumab label: do not start; anthracyclines "
  "(Armenian 2017). HER2 therapy deferred until cardiac recovery (or discussed), never recommended.",
  {"age": 61, "tumour": {**HER2_POS, "size_mm": 24.0, "er_percent": 0, "pr_percent": 0, "grade": 3},
   "nodes": sln(macro(1, 3.5), examined=3), "lvef_percent": 38, "charlson_index": 2},
  {"her2_therapy": ["deferred", "discuss"], "endocrine": ["not_indicated"]},
  {"her2_therapy": ["recommended", "not_indicated"]})

V("her2-ihd-lvef52",
  "HER2+ ER+ pT1c pN1mi with stable ischaemic heart disease, LVEF 52%: LVEF >= 50% meets the trial threshold "
  "(APT/HERA); IHD is a cardiac risk factor (Armenian 2017) that calls for monitoring, not for withholding "
  "trastuzumab, whose benefit is large (APT 10-y iDFS 91%). Not indicated would withhold a needed treatment.",
  {"age": 67, "tumour": HER2_POS, "lvef_percent": 52, "charlson_index": 1,
   "conditions": {"ischaemic_heart_disease": True}},
  {"her2_therapy": ["recommended", "discuss"], "endocrine": ["recommended"]},
  {"her2_therapy": ["not_indicated"]})

V("tnbc-prior-doxorubicin-400",
  "TNBC pT1c (18 mm) G3 pN1mi, 44 years, prior doxorubicin 400 mg/m2 for lymphoma (close to the 450-550 mg/m2 "
  "cumulative limit; Armenian 2017: >= 250 mg/m2 is high risk), LVEF 58%: chemotherapy is still recommended (NCCN: "
  "TNBC pT1c N0/N1mi -> chemotherapy) but anthracycline-free (e.g. docetaxel-cyclophosphamide); the prior dose must "
  "be named. No adjuvant pembrolizumab after upfront surgery; no capecitabine without neoadjuvant residual disease.",
  {"age": 44, **PRE, "tumour": {"size_mm": 18.0, **TNBC}, "oncotype_rs": None, "lvef_percent": 58,
   "conditions": {"prior_anthracycline": True, "prior_anthracycline_mg_m2": 400},
   "comorbidities": ["Hodgkin lymphoma 2009, ABVD"]},
  {"chemotherapy": ["recommended"], "endocrine": ["not_indicated"], "immunotherapy": ["not_indicated"],
   "capecitabine": ["not_indicated"]},
  {"chemotherapy": ["not_indicated"]},
  mentions={"chemotherapy": r"anthracycline"})

V("her2-prior-anthracycline-300-lvef52",
  "HER2+ ER- pT1c pN1mi with prior doxorubicin 300 mg/m2 and LVEF 52%: APT (paclitaxel + trastuzumab) is "
  "anthracycline-free and LVEF >= 50% meets its threshold, so HER2 therapy stays indicated (not withheld); the "
  "prior anthracycline must be weighed (Armenian 2017 high risk).",
  {"age": 56, "tumour": {**HER2_POS, "er_percent": 0, "pr_percent": 0}, "lvef_percent": 52,
   "conditions": {"prior_anthracycline": True, "prior_anthracycline_mg_m2": 300}},
  {"her2_therapy": ["recommended", "discuss"], "endocrine": ["not_indicated"]},
  {"her2_therapy": ["not_indicated"]})

V("her2-post-nst-residual-lvef48",
  "HER2+ ER- cT2 cN0 after neoadjuvant taxane-carboplatin + trastuzumab + pertuzumab, residual ypT1a with a nodal "
  "micrometastasis; LVEF fell to 48%: KATHERINE (T-DM1) required LVEF >= 50%; T-DM1 label: caution below 50%, hold "
  "if < 45% or 45-49% with a >= 10-point fall. HER2 therapy cannot be plainly recommended: discuss or defer until "
  "LVEF recovers. ER-: no endocrine therapy.",
  {"age": 49, **PRE, "tumour": {**HER2_POS, "size_mm": 4.0, "er_percent": 0, "pr_percent": 0, "grade": 3},
   "neoadjuvant": True,
   "neoadjuvant_therapy": {"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN0",
                           "nodes_biopsy_proven": False,
                           "agents": ["taxane", "platinum", "trastuzumab", "pertuzumab"]},
   "nodes": sln(MICRO, examined=3), "oncotype_rs": None, "lvef_percent": 48},
  {"her2_therapy": ["discuss", "deferred"], "endocrine": ["not_indicated"]},
  {"her2_therapy": ["recommended", "not_indicated"]})

V("her2-post-nst-residual-ild",
  "HER2+ ER+ after neoadjuvant therapy with residual ypT1b ypN0(i+), known interstitial lung disease: KATHERINE "
  "T-DM1 is the standard for residual disease, but the T-DM1 label warns of ILD/pneumonitis (permanently stop if "
  "ILD is diagnosed); trastuzumab to 1 year remains an option. HER2 therapy stays (not withheld); the ILD must be "
  "named against T-DM1.",
  {"age": 57, "tumour": {**HER2_POS, "size_mm": 8.0}, "neoadjuvant": True,
   "neoadjuvant_therapy": {"pre_treatment_size_mm": 35, "pre_treatment_clinical_nodes": "cN0",
                           "nodes_biopsy_proven": False,
                           "agents": ["taxane", "platinum", "trastuzumab", "pertuzumab"]},
   "nodes": sln(ITC, examined=3), "oncotype_rs": None, "conditions": {"interstitial_lung_disease": True}},
  {"her2_therapy": ["recommended", "discuss"], "endocrine": ["recommended"]},
  {"her2_therapy": ["not_indicated"]},
  mentions={"her2_therapy": r"interstitial|pneumonitis|ILD|lung"})

# ================================================================================================ CDK4/6

V("cdk46-abemaciclib-ild",
  "ER+ HER2- pT2 (35 mm) G3 with 2 SLN macrometastases (monarchE cohort 1), postmenopausal, known interstitial lung "
  "disease: abemaciclib and ribociclib labels warn of ILD/pneumonitis (fatal cases; stop for severe ILD); trials "
  "excluded significant lung disease. A CDK4/6 inhibitor cannot be plainly recommended. Endocrine therapy "
  "unaffected; RS 14 postmenopausal with 1-3 nodes -> no chemotherapy (RxPONDER).",
  {"age": 63, "tumour": {"size_mm": 35.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 14,
   "conditions": {"interstitial_lung_disease": True}},
  {"cdk46_inhibitor": ["discuss", "not_indicated"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"],
   "bisphosphonate": ["discuss", "recommended"]},
  {"cdk46_inhibitor": ["recommended"]},
  mentions={"cdk46_inhibitor": r"interstitial|pneumonitis|ILD|lung"})

V("cdk46-ribociclib-qtcf480-no-monarche",
  "ER+ HER2- pT2 (28 mm) G2 Ki-67 15% with one SLN macrometastasis, QTcF 480 ms: NATALEE applies (stage IIB) but "
  "ribociclib may start only with QTcF < 450 ms (Kisqali label); monarchE cohort 1 is not met (1 node, G2, < 5 cm), "
  "so abemaciclib is not indicated. No CDK4/6 inhibitor can be recommended.",
  {"age": 62, "tumour": {"size_mm": 28.0, "ki67_percent": 15}, "nodes": sln(macro(1, 3.0), examined=3),
   "oncotype_rs": 18, "conditions": {"qtcf_ms": 480}},
  {"cdk46_inhibitor": ["not_indicated", "discuss"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"cdk46_inhibitor": ["recommended"]},
  mentions={"cdk46_inhibitor": r"QT"})

V("cdk46-qtcf460-monarche-abemaciclib",
  "ER+ HER2- pT2 (30 mm) G3 with 2 SLN macrometastases, QTcF 460 ms: ribociclib is excluded (QTcF must be < 450 ms, "
  "Kisqali label) but abemaciclib needs no ECG (Verzenio label) and monarchE cohort 1 is met (1-3 nodes + grade 3): "
  "a CDK4/6 inhibitor (abemaciclib) must still be recommended.",
  {"age": 58, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 16, "conditions": {"qtcf_ms": 460}},
  {"cdk46_inhibitor": ["recommended"], "endocrine": ["recommended"]},
  {"cdk46_inhibitor": ["not_indicated"]})

V("cdk46-prior-pe-natalee-ribociclib",
  "ER+ HER2- pT2 (30 mm) G3 with 2 SLN macrometastases after a pulmonary embolism: abemaciclib raises VTE (MONARCH 2: "
  "5% vs 0.9%), ribociclib (NATALEE, stage II) does not carry that signal; endocrine therapy with an AI rather "
  "than tamoxifen (tamoxifen label). CDK4/6 therapy stays indicated (ribociclib), endocrine therapy recommended.",
  {"age": 64, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 16,
   "conditions": {"venous_thromboembolism": True}},
  {"cdk46_inhibitor": ["recommended", "discuss"], "endocrine": ["recommended"]},
  {"cdk46_inhibitor": ["not_indicated"], "endocrine": ["not_indicated"]})

V("cdk46-t1n1mi-fit-no-overtreatment",
  "Fit 55-year-old, ER+ HER2- pT1c G3 Ki-67 30% pN1mi: AJCC 8 T1N1mi is anatomic stage IB, below NATALEE's stage "
  "IIA entry; monarchE needs macroscopically node-positive disease (cohort 1). No CDK4/6 inhibitor even in a fit "
  "patient.",
  {"age": 55, "tumour": {"grade": 3, "ki67_percent": 30}, "oncotype_rs": 20},
  {"cdk46_inhibitor": ["not_indicated"], "endocrine": ["recommended"], "whole_breast_rt": ["recommended"]})

# ========================================================================================= VTE / tamoxifen

V("pre-vte-thrombophilia-endocrine",
  "Premenopausal 42-year-old, ER+ HER2- pT1c G2 pN1mi, RS 14, prior DVT and factor V Leiden: tamoxifen raises VTE "
  "(tamoxifen label: weigh against benefit in invasive cancer, worse with thrombophilia), so OFS + AI rather than "
  "tamoxifen (SOFT/TEXT); endocrine therapy itself must not be withheld. Premenopausal without planned OFS: no "
  "adjuvant bisphosphonate benefit (EBCTCG 2015) - not asked here.",
  {"age": 42, **PRE, "conditions": {"venous_thromboembolism": True, "thrombophilia": True}, "oncotype_rs": 14,
   "comorbidities": ["DVT 2019", "factor V Leiden heterozygous"]},
  {"endocrine": ["recommended"], "whole_breast_rt": ["recommended"], "axillary_surgery": ["omit_alnd"]},
  {"endocrine": ["not_indicated"]},
  mentions={"endocrine": r"thromb|VTE|tamoxifen"})

V("post-vte-anticoagulated-endocrine",
  "Postmenopausal 69-year-old on warfarin after a PE, ER+ HER2- pT1c pN1mi RS 9: an aromatase inhibitor is standard "
  "(EBCTCG 2015), which avoids tamoxifen's VTE risk; endocrine therapy recommended, no chemotherapy (TAILORx).",
  {"age": 69, "oncotype_rs": 9, "conditions": {"venous_thromboembolism": True}, "charlson_index": 1},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"endocrine": ["not_indicated"]})

V("male-vte-endocrine",
  "Male 66, ER+ HER2- pT1c G2 pN1mi after mastectomy, prior PE: tamoxifen is the standard for men (ASCO male breast "
  "cancer 2020); with a VTE history an AI must be combined with a GnRH agonist in men. Either way endocrine therapy "
  "stays recommended. No WBI after mastectomy. RS 10 -> no chemotherapy.",
  {"age": 66, "sex": "male", "surgery": MASTECTOMY, "oncotype_rs": 10,
   "conditions": {"venous_thromboembolism": True}},
  {"endocrine": ["recommended"], "whole_breast_rt": ["not_applicable"], "chemotherapy": ["not_indicated"],
   "cdk46_inhibitor": ["not_indicated"]},
  {"endocrine": ["not_indicated"]})

V("male-fit-standard",
  "Male 70, ECOG 0, ER+ HER2- pT1c G2 pN1mi after mastectomy, RS 12: endocrine therapy (tamoxifen; ASCO 2020 male "
  "breast cancer), no chemotherapy (RS <= 25), no ALND for a micrometastasis (IBCSG 23-01 included mastectomy), "
  "WBI not applicable, no CDK4/6 (stage IB).",
  {"age": 70, "sex": "male", "surgery": MASTECTOMY},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"], "axillary_surgery": ["omit_alnd"],
   "whole_breast_rt": ["not_applicable"], "cdk46_inhibitor": ["not_indicated"], "her2_therapy": ["not_indicated"]})

# ============================================================================================= bone

V("osteoporosis-fracture-ai-bisphosphonate",
  "Postmenopausal 68-year-old with osteoporosis and a vertebral fragility fracture, ER+ HER2- pT1c pN1mi, RS 9: AI "
  "therapy with bone-directed therapy (AIBL 2017 / ASCO bone health 2019: bone-modifying agent for osteoporosis on an "
  "AI); adjuvant bisphosphonate recommended (ASCO-OH 2022 + osteoporosis). Endocrine therapy not withheld.",
  {"age": 68, "oncotype_rs": 9, "conditions": {"osteoporosis": True, "fragility_fracture": True}},
  {"bisphosphonate": ["recommended"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"bisphosphonate": ["not_indicated"], "endocrine": ["not_indicated"]})

V("bisphosphonate-dental-surgery-planned",
  "Postmenopausal 64-year-old with osteoporosis, ER+ pT1c pN1mi, dental extraction planned: ASCO/CCO 2017 - assess "
  "ONJ risk and complete dental work before a bisphosphonate. Not to be started now: deferred (or discussed), "
  "never plainly recommended.",
  {"age": 64, "conditions": {"osteoporosis": True, "dental_health": "needs_treatment",
                             "dental_surgery_planned": True}},
  {"bisphosphonate": ["deferred", "discuss"], "endocrine": ["recommended"]},
  {"bisphosphonate": ["recommended"]},
  mentions={"bisphosphonate": r"dental|jaw|ONJ"})

V("bisphosphonate-egfr25",
  "Postmenopausal 74-year-old, eGFR 25 mL/min, ER+ pT1c pN1mi RS 11: zoledronic acid is not recommended below a "
  "creatinine clearance of 30 (oncology label; ASCO/CCO 2017: check renal function); clodronate is also "
  "renally cleared. Bisphosphonate must not be recommended.",
  {"age": 74, "oncotype_rs": 11, "charlson_index": 2, "conditions": {"egfr_ml_min": 25}},
  {"bisphosphonate": ["discuss", "not_indicated"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"bisphosphonate": ["recommended"]},
  mentions={"bisphosphonate": r"renal|eGFR|kidney|clearance"})

V("pre-no-ofs-no-bisphosphonate",
  "Premenopausal 40-year-old, ER+ HER2- pT1c G2 pN1mi, RS 10, OFS not planned: EBCTCG 2015 - no benefit of "
  "adjuvant bisphosphonates before menopause; ASCO-OH 2022 restricts them to postmenopausal (natural or induced).",
  {"age": 40, **PRE, "oncotype_rs": 10, "ovarian_function_suppression": "not_planned"},
  {"bisphosphonate": ["not_indicated"], "endocrine": ["recommended"]})

V("post-tnbc-dental-needs-treatment",
  "Postmenopausal 61-year-old TNBC pT1c pN1mi, teeth needing treatment: bisphosphonate is to be discussed with every "
  "postmenopausal candidate for adjuvant systemic therapy irrespective of subtype (ASCO-OH 2022), but dental "
  "problems must be fixed first (ASCO/CCO 2017): deferred/discussed, not recommended now. Chemotherapy "
  "recommended (NCCN TNBC pT1c N1mi).",
  {"age": 61, "tumour": TNBC, "oncotype_rs": None, "conditions": {"dental_health": "needs_treatment"}},
  {"bisphosphonate": ["deferred", "discuss"], "chemotherapy": ["recommended"], "endocrine": ["not_indicated"]},
  {"bisphosphonate": ["recommended"]})

# ============================================================================================= neuropathy

V("her2-neuropathy-grade2",
  "HER2+ ER+ pT1c pN1mi with diabetic peripheral neuropathy grade 2: APT's weekly paclitaxel caused grade >= 3 "
  "neuropathy in 3.2%; a baseline grade 2 neuropathy is a taxane caution (choose or adapt the regimen, e.g. T-DM1 "
  "per ATEMPT). HER2 therapy is not withheld; the neuropathy must be named.",
  {"age": 62, "tumour": HER2_POS, "charlson_index": 1, "conditions": {"peripheral_neuropathy_grade": 2},
   "comorbidities": ["type 2 diabetes"]},
  {"her2_therapy": ["recommended", "discuss"], "endocrine": ["recommended"]},
  {"her2_therapy": ["not_indicated"]},
  mentions={"chemotherapy": r"neuropath"})

V("tnbc-neuropathy-grade3",
  "TNBC pT1c (19 mm) pN1mi, 57 years, grade 3 neuropathy after prior vincristine: chemotherapy remains indicated "
  "(NCCN TNBC >= T1c) but a taxane must be avoided or discussed; the neuropathy must be named. Not withheld "
  "altogether.",
  {"age": 57, "tumour": {"size_mm": 19.0, **TNBC}, "oncotype_rs": None,
   "conditions": {"peripheral_neuropathy_grade": 3}},
  {"chemotherapy": ["recommended", "discuss"], "endocrine": ["not_indicated"]},
  {"chemotherapy": ["not_indicated"]},
  mentions={"chemotherapy": r"neuropath"})

# ===================================================================================== pembrolizumab

V("tnbc-active-lupus-keynote522",
  "TNBC cT2 (30 mm) cN0 before surgery, active systemic lupus on hydroxychloroquine + prednisolone: KEYNOTE-522 "
  "excluded active autoimmune disease that needed systemic treatment in the past 2 years; checkpoint inhibitors can "
  "flare it. Pembrolizumab never recommended; neoadjuvant chemotherapy still recommended.",
  {"age": 46, **PRE, "tumour": {"size_mm": 30.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "conditions": {"autoimmune_disease": "active"}},
  {"immunotherapy": ["not_indicated"], "chemotherapy": ["recommended"]},
  {"immunotherapy": ["recommended"]},
  mentions={"immunotherapy": r"autoimmune"})

V("tnbc-kidney-transplant-keynote522",
  "TNBC cT2 (25 mm) cN0 before surgery in a kidney-transplant recipient: KEYNOTE-522 excluded transplant recipients; "
  "PD-1 blockade risks graft rejection. Pembrolizumab never recommended; chemotherapy still recommended.",
  {"age": 53, "tumour": {"size_mm": 25.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "conditions": {"organ_transplant": True, "egfr_ml_min": 55}, "charlson_index": 2},
  {"immunotherapy": ["not_indicated"], "chemotherapy": ["recommended"]},
  {"immunotherapy": ["recommended"]},
  mentions={"immunotherapy": r"transplant"})

V("tnbc-upfront-autoimmune-unknown",
  "TNBC pT1c pN1mi after upfront surgery: adjuvant pembrolizumab has no evidence without the neoadjuvant phase "
  "(KEYNOTE-522), so immunotherapy is not indicated whatever the autoimmune status: an unknown autoimmune/transplant "
  "status cannot change the answer and must not produce insufficient_data.",
  {"age": 48, **PRE, "tumour": TNBC, "oncotype_rs": None,
   "conditions": {"autoimmune_disease": None, "organ_transplant": None, "dpd_deficiency": None}},
  {"immunotherapy": ["not_indicated"], "chemotherapy": ["recommended"], "capecitabine": ["not_indicated"]},
  no_insufficient_data=True)

# ========================================================================================= capecitabine / DPD / renal

_TNBC_RESIDUAL = {
    "tumour": {"size_mm": 9.0, **TNBC}, "neoadjuvant": True, "oncotype_rs": None,
    "neoadjuvant_therapy": {"pre_treatment_size_mm": 32, "pre_treatment_clinical_nodes": "cN0",
                            "nodes_biopsy_proven": False,
                            "agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]},
    "nodes": sln(examined=3),
}

V("tnbc-residual-dpd-complete",
  "TNBC after KEYNOTE-522 neoadjuvant therapy, residual ypT1b ypN0, complete DPD deficiency: capecitabine is "
  "contraindicated in complete DPD deficiency (EMA/MHRA 2020; FDA: avoid). Pembrolizumab continues to complete the "
  "year (KEYNOTE-522).",
  {"age": 45, **PRE, **_TNBC_RESIDUAL, "conditions": {"dpd_deficiency": "complete"}},
  {"capecitabine": ["not_indicated"], "immunotherapy": ["recommended"]},
  {"capecitabine": ["recommended", "discuss"]},
  mentions={"capecitabine": r"DPD|dihydropyrimidine"})

V("tnbc-residual-dpd-partial",
  "TNBC after neoadjuvant therapy with residual ypT1b ypN0, partial DPD deficiency: capecitabine stays possible at a "
  "reduced starting dose (EMA/MHRA 2020); CREATE-X benefit in TNBC (OS HR 0.52). Not withheld.",
  {"age": 45, **PRE, **_TNBC_RESIDUAL, "conditions": {"dpd_deficiency": "partial"}},
  {"capecitabine": ["recommended", "discuss"]},
  {"capecitabine": ["not_indicated"]},
  mentions={"capecitabine": r"DPD|dihydropyrimidine|dose"})

V("tnbc-residual-egfr25",
  "TNBC after neoadjuvant therapy with residual ypT1b ypN0, creatinine clearance ~25 mL/min: capecitabine is "
  "contraindicated below 30 mL/min (Xeloda label). Never recommended.",
  {"age": 71, **_TNBC_RESIDUAL, "conditions": {"egfr_ml_min": 25}, "charlson_index": 2},
  {"capecitabine": ["not_indicated", "discuss"]},
  {"capecitabine": ["recommended"]})

V("tnbc-upfront-dpd-unknown",
  "TNBC pT1c pN1mi after upfront surgery (no neoadjuvant therapy): capecitabine is indicated only for residual disease "
  "after neoadjuvant chemotherapy (CREATE-X), so an unknown DPD status cannot change anything: no insufficient_data.",
  {"age": 52, "tumour": TNBC, "oncotype_rs": None, "conditions": {"dpd_deficiency": None}},
  {"capecitabine": ["not_indicated"], "chemotherapy": ["recommended"]},
  no_insufficient_data=True)

V("tnbc-residual-ecog2-olaparib",
  "gBRCA1 TNBC after neoadjuvant chemotherapy with residual ypT1c ypN0, ECOG 2 after a stroke: OlympiA and "
  "CREATE-X enrolled ECOG 0-1: capecitabine outside trial evidence, not plainly recommended. OlympiA's ECOG limit "
  "is unverified in the reference ([U]) and its engine note says 'flag outside trial evidence rather than "
  "contraindicated': olaparib must at least name the ECOG.",
  {"age": 55, **_TNBC_RESIDUAL, "tumour": {"size_mm": 14.0, **TNBC}, "germline_brca": "brca1", "ecog": 2,
   "charlson_index": 3, "clinical_frailty_scale": 5, "g8_score": 13},
  {"capecitabine": ["discuss", "not_indicated"]},
  {"capecitabine": ["recommended"]},
  mentions={"olaparib": r"ECOG"})

# ========================================================================================= fitness / life expectancy

V("frail-84-tnbc-n1mi",
  "84-year-old, ECOG 3, Clinical Frailty Scale 7, G8 9, non-cancer life expectancy 2 years, TNBC pT2 (25 mm) "
  "pN1mi: ECOG 3 is outside every adjuvant chemotherapy trial; ASCO geriatric oncology 2018/2023 (GA and non-cancer "
  "life expectancy drive chemotherapy); SIOG/EUSOMA 2021. Chemotherapy must not be recommended.",
  {"age": 84, "tumour": {"size_mm": 25.0, **TNBC}, "oncotype_rs": None, "life_expectancy_years": 2, **FRAIL},
  {"chemotherapy": ["not_indicated", "discuss"], "endocrine": ["not_indicated"], "immunotherapy": ["not_indicated"]},
  {"chemotherapy": ["recommended"]})

V("ecog4-her2-n1mi",
  "79-year-old, ECOG 4 (bed-bound), HER2+ ER+ pT1c pN1mi: outside every trial (ECOG 0-1), APT chemotherapy "
  "impossible; chemotherapy must not be recommended.",
  {"age": 79, "tumour": HER2_POS, "ecog": 4, "clinical_frailty_scale": 8, "g8_score": 7, "charlson_index": 6,
   "life_expectancy_years": 1},
  {"chemotherapy": ["not_indicated", "discuss"]},
  {"chemotherapy": ["recommended"], "her2_therapy": ["recommended"]})

V("fit-78-rs30-chemo",
  "Fit 78-year-old (ECOG 0, G8 16, CFS 2, life expectancy 12 years), ER+ HER2- pT1c G2 pN1mi, RS 30: RS >= 26 -> "
  "chemotherapy (TAILORx, NCCN); SIOG/EUSOMA 2021 and ASCO geriatric 2018: decide on fitness and life expectancy, "
  "not on age alone. Withholding it (not_indicated) would be age-alone; discuss or recommend. WBI after BCS for "
  "pN1mi (omission trials N0 only).",
  {"age": 78, "oncotype_rs": 30, "life_expectancy_years": 12},
  {"chemotherapy": ["recommended", "discuss"], "endocrine": ["recommended"], "whole_breast_rt": ["recommended"],
   "cdk46_inhibitor": ["not_indicated"]},
  {"chemotherapy": ["not_indicated"]})

V("vulnerable-79-rs30-chemo",
  "79-year-old, ECOG 2, G8 11, CFS 6, Charlson 4, life expectancy 4 years, ER+ HER2- pT1c pN1mi, RS 30: G8 <= 14 "
  "abnormal (Bellera 2012); ASCO geriatric 2018: non-cancer life expectancy and GA deficits shape the decision; ECOG "
  "2 is outside TAILORx/RxPONDER fitness. Chemotherapy must not be plainly recommended. Endocrine therapy "
  "recommended.",
  {"age": 79, "oncotype_rs": 30, "ecog": 2, "g8_score": 11, "clinical_frailty_scale": 6, "charlson_index": 4,
   "life_expectancy_years": 4},
  {"chemotherapy": ["not_indicated", "discuss"], "endocrine": ["recommended"]},
  {"chemotherapy": ["recommended"]})

V("short-life-expectancy-70-tnbc",
  "70-year-old with ECOG 2 and advanced COPD, non-cancer life expectancy 1 year, TNBC pT1c pN1mi: the absolute "
  "benefit of adjuvant chemotherapy accrues over years (EBCTCG 2012) and cannot be realised; ASCO geriatric 2018: "
  "estimate non-cancer life expectancy. Chemotherapy not recommended.",
  {"age": 70, "tumour": TNBC, "oncotype_rs": None, "ecog": 2, "charlson_index": 4, "life_expectancy_years": 1,
   "clinical_frailty_scale": 6, "g8_score": 12},
  {"chemotherapy": ["not_indicated", "discuss"]},
  {"chemotherapy": ["recommended"]})

V("ecog2-cdk46-monarche",
  "ER+ HER2- pT2 G3 with 2 SLN macrometastases (monarchE cohort 1) but ECOG 2 and CFS 5: monarchE and NATALEE "
  "enrolled ECOG 0-1; outside trial evidence -> not plainly recommended. Endocrine therapy stays.",
  {"age": 72, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 16, "ecog": 2, "clinical_frailty_scale": 5,
   "g8_score": 13, "charlson_index": 2},
  {"cdk46_inhibitor": ["not_indicated", "discuss"], "endocrine": ["recommended"]},
  {"cdk46_inhibitor": ["recommended"]})

# ===================================================================================== local therapy in older patients

_LOW_RISK_76 = {"age": 76, "tumour": {"size_mm": 9.0, "grade": 1, "ki67_percent": 8, "pr_percent": 50},
                "nodes": sln(examined=2), "oncotype_rs": None, "surgery": {"breast": "bcs", "status": "done",
                                                                           "date": "2026-10-05", "margins_mm": 4.0}}

V("older-76-pn0-endocrine-rt-omission",
  "76-year-old, ER+ HER2- pT1b G1 pN0, clear margins, taking endocrine therapy: CALGB 9343 (>= 70, T1 N0 ER+ "
  "with tamoxifen) and PRIME II (>= 65, HR+ N0 <= 3 cm) -> whole-breast RT may be omitted (10-y OS equal).",
  _LOW_RISK_76,
  {"whole_breast_rt": ["omission_possible"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"],
   "axillary_surgery": ["none_needed"]})

V("older-76-pn0-declines-endocrine-rt",
  "Same 76-year-old pT1b G1 pN0 but she DECLINES endocrine therapy: CALGB 9343, PRIME II and LUMINA all omitted RT "
  "only with endocrine therapy; without it the local-recurrence risk is not that of the trials. WBI recommended; "
  "endocrine shown as declined.",
  {**_LOW_RISK_76, "preferences": {"declined": ["endocrine"]}},
  {"whole_breast_rt": ["recommended"], "endocrine": ["declined"]},
  {"whole_breast_rt": ["omission_possible"]})

V("older-81-n1mi-rt-not-omitted",
  "81-year-old, ECOG 1, CFS 4, life expectancy 8 years, ER+ HER2- pT1b G1 pN1mi after BCS, on endocrine therapy: "
  "every RT-omission trial required node-negative disease (CALGB 9343 cN0; PRIME II pN0; LUMINA N0): no trial "
  "supports omission for pN1mi. Limited fitness short of frailty does not create an omission.",
  {**_LOW_RISK_76, "age": 81, "nodes": sln(MICRO, examined=2), "ecog": 1, "clinical_frailty_scale": 4,
   "g8_score": 15, "charlson_index": 1, "life_expectancy_years": 8},
  {"whole_breast_rt": ["recommended"], "endocrine": ["recommended"], "axillary_surgery": ["omit_alnd"]},
  {"whole_breast_rt": ["omission_possible"]})

V("older-72-cn0-slnb-omission",
  "72-year-old, fit, ER+ HER2- cT1c (15 mm) G2 cN0 with a normal axillary ultrasound, BCS planned, endocrine "
  "therapy intended: SSO Choosing Wisely 2016 (>= 70, cN0, HR+/HER2-, endocrine therapy) and SOUND / ASCO 2025 "
  "(postmenopausal >= 50, cT <= 2 cm, G1-2, US-negative, BCS + WBI) -> sentinel biopsy may be omitted.",
  {"age": 72, "tumour": {"size_mm": 15.0}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS, "oncotype_rs": None},
  {"sentinel_biopsy": ["omission_possible"]},
  {"sentinel_biopsy": ["not_applicable"]})

# ============================================================================================= pregnancy

_PREG_HER2 = {"age": 34, **PRE, "tumour": HER2_POS, "oncotype_rs": None}

V("pregnant-10w-her2-n1mi",
  "Pregnant at 10 weeks (first trimester), 34 years, HER2+ ER+ pT1c pN1mi after BCS: chemotherapy only from 14 weeks' "
  "gestation (Amant, Lancet 2012) -> deferred; trastuzumab and tamoxifen contraindicated in pregnancy -> deferred "
  "until after delivery; RT deferred until after delivery (fetal dose). None may be recommended now.",
  {**_PREG_HER2, "pregnancy": {"status": "pregnant", "trimester": 1, "gestational_age_weeks": 10}},
  {"chemotherapy": ["deferred"], "her2_therapy": ["deferred"], "endocrine": ["deferred"],
   "whole_breast_rt": ["deferred"]},
  {"chemotherapy": ["recommended"], "her2_therapy": ["recommended"], "endocrine": ["recommended"],
   "whole_breast_rt": ["recommended"], "bisphosphonate": ["recommended"]})

V("pregnant-22w-tnbc-n1mi",
  "Pregnant at 22 weeks (second trimester), 31 years, TNBC pT1c (18 mm) G3 pN1mi after mastectomy: chemotherapy "
  "(anthracycline-based) is given from 14 weeks' gestation (Amant, Lancet 2012) and is indicated (NCCN TNBC pT1c "
  "N1mi): it must not be deferred or withheld. No pembrolizumab (upfront surgery; and pregnancy), no capecitabine.",
  {"age": 31, **PRE, "tumour": {"size_mm": 18.0, **TNBC}, "surgery": MASTECTOMY, "oncotype_rs": None,
   "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 22}},
  {"chemotherapy": ["recommended"], "endocrine": ["not_indicated"], "immunotherapy": ["not_indicated", "deferred"],
   "capecitabine": ["not_indicated"], "whole_breast_rt": ["not_applicable"]},
  {"chemotherapy": ["not_indicated", "deferred"], "immunotherapy": ["recommended"]})

V("pregnant-30w-er-pos-rs28",
  "Pregnant at 30 weeks (third trimester), 36 years, ER+ HER2- pT1c G2 pN1mi, RS 28 (>= 26: chemotherapy, TAILORx): "
  "chemotherapy is possible in the third trimester or after delivery (Amant 2012); endocrine therapy contraindicated "
  "in pregnancy -> deferred; RT deferred until after delivery. Premenopausal: no adjuvant bisphosphonate.",
  {"age": 36, **PRE, "oncotype_rs": 28,
   "pregnancy": {"status": "pregnant", "trimester": 3, "gestational_age_weeks": 30}},
  {"chemotherapy": ["recommended", "deferred"], "endocrine": ["deferred"], "whole_breast_rt": ["deferred"],
   "bisphosphonate": ["not_indicated", "deferred"]},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended", "not_indicated"],
   "whole_breast_rt": ["recommended"], "bisphosphonate": ["recommended"]})

V("pregnant-gestation-unknown-tnbc",
  "Pregnant, trimester and gestational age not recorded, TNBC pT1c pN1mi: whether chemotherapy can start now depends "
  "on the gestational age (not before 14 weeks; Amant 2012), so the missing input can change the answer: "
  "insufficient_data naming it, or deferred. Never plainly recommended.",
  {"age": 33, **PRE, "tumour": TNBC, "oncotype_rs": None, "pregnancy": {"status": "pregnant"}},
  {"chemotherapy": ["insufficient_data", "deferred"]},
  {"chemotherapy": ["recommended", "not_indicated"]})

V("lactating-her2-er-pos",
  "Breastfeeding 33-year-old, HER2+ ER+ pT1c pN1mi after BCS: endocrine therapy and monoclonal antibodies are "
  "contraindicated during lactation (HKMJ 2017) -> not started while she breastfeeds (deferred until it stops). "
  "Breast RT is not contraindicated by lactation.",
  {"age": 33, **PRE, "tumour": HER2_POS, "oncotype_rs": None, "pregnancy": {"status": "lactating"}},
  {"her2_therapy": ["deferred", "discuss"], "endocrine": ["deferred"],
   "whole_breast_rt": ["recommended"]},
  {"her2_therapy": ["recommended", "not_indicated"], "endocrine": ["recommended", "not_indicated"]})

V("not-pregnant-young-standard",
  "38-year-old, explicitly not pregnant, ER+ HER2- pT1c G2 pN1mi, RS 10: nothing is deferred; endocrine therapy "
  "recommended (tamoxifen; ASCO OFS 2016 - stage I without chemotherapy needs no OFS), WBI after BCS.",
  {"age": 38, **PRE, "oncotype_rs": 10},
  {"endocrine": ["recommended"], "whole_breast_rt": ["recommended"], "her2_therapy": ["not_indicated"]},
  no_insufficient_data=True)

# ============================================================================================= declined

V("declines-chemo-tnbc",
  "TNBC pT1c pN1mi, 45 years, declines chemotherapy after counselling: chemotherapy shown as declined (patient "
  "autonomy); the other decisions are unchanged - WBI after BCS, no ALND for a micrometastasis (IBCSG 23-01), no "
  "capecitabine/pembrolizumab after upfront surgery.",
  {"age": 45, **PRE, "tumour": TNBC, "oncotype_rs": None, "preferences": {"declined": ["chemotherapy"]}},
  {"chemotherapy": ["declined"], "whole_breast_rt": ["recommended"], "axillary_surgery": ["omit_alnd"],
   "capecitabine": ["not_indicated"], "immunotherapy": ["not_indicated"]},
  {"chemotherapy": ["recommended"]})

V("declines-trastuzumab-her2",
  "HER2+ ER+ pT1c pN1mi, declines trastuzumab (fear of cardiac toxicity): HER2 therapy shown as declined; endocrine "
  "therapy still recommended (ER+), WBI after BCS.",
  {"age": 58, "tumour": HER2_POS, "oncotype_rs": None, "preferences": {"declined": ["her2_therapy"]}},
  {"her2_therapy": ["declined"], "endocrine": ["recommended"], "whole_breast_rt": ["recommended"]},
  {"her2_therapy": ["recommended"]})

V("declines-wbi-micromet",
  "55-year-old ER+ HER2- pT1c pN1mi declines whole-breast RT: WBI shown as declined; for an SLN micrometastasis "
  "ALND is omitted whatever the breast treatment (IBCSG 23-01 enrolled mastectomy patients without RT too).",
  {"age": 55, "preferences": {"declined": ["whole_breast_rt"]}},
  {"whole_breast_rt": ["declined"], "axillary_surgery": ["omit_alnd"], "endocrine": ["recommended"]},
  {"whole_breast_rt": ["recommended"]})

V("declines-wbi-one-macromet",
  "58-year-old ER+ HER2- pT1c with ONE SLN macrometastasis (3 mm) after BCS declines whole-breast RT: Z0011 omitted "
  "ALND only with whole-breast tangents; without RT the Z0011 basis is gone -> ALND (or axillary treatment), not "
  "plain omission.",
  {"age": 58, "nodes": sln(macro(1, 3.0), examined=2), "oncotype_rs": 14,
   "preferences": {"declined": ["whole_breast_rt"]}},
  {"whole_breast_rt": ["declined"], "axillary_surgery": ["alnd", "axillary_rt_or_alnd"]},
  {"axillary_surgery": ["omit_alnd", "none_needed"]})

V("declines-cdk46",
  "Premenopausal 44, ER+ HER2- pT2 G3 with 2 SLN macrometastases, OFS planned, declines a CDK4/6 inhibitor: shown as "
  "declined; endocrine therapy and chemotherapy (RxPONDER premenopausal) unchanged.",
  {"age": 44, **PRE, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 20, "ovarian_function_suppression": "planned",
   "preferences": {"declined": ["cdk46_inhibitor"]}},
  {"cdk46_inhibitor": ["declined"], "endocrine": ["recommended"], "chemotherapy": ["recommended"]},
  {"cdk46_inhibitor": ["recommended"]})

# ============================================================================================= missing inputs

V("lvef-unknown-her2-neg-no-chemo",
  "ER+ HER2- pT1c pN1mi, RS 9, postmenopausal: no anthracycline or HER2 therapy is on the table, so an unknown LVEF "
  "(and unknown QTcF: CDK4/6 not indicated at stage IB) cannot change any decision: no insufficient_data.",
  {"age": 65, "oncotype_rs": 9, "lvef_percent": None, "conditions": {"qtcf_ms": None}},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"], "cdk46_inhibitor": ["not_indicated"],
   "her2_therapy": ["not_indicated"]},
  no_insufficient_data=True)

V("frailty-scores-unknown-fit-young",
  "48-year-old, ECOG 0, no G8/CFS/life-expectancy recorded (G8 is for >= 70-year-olds, Bellera 2012): ER+ HER2- "
  "pT1c pN1mi RS 8, premenopausal, OFS not planned -> endocrine therapy (tamoxifen). Chemotherapy is not "
  "clear-cut (premenopausal pN1mi: NCCN's pN0 reading and ASCO 2022 rec 1.6's node-positive reading diverge), so "
  "not expected. The missing geriatric scores cannot change anything: no insufficient_data.",
  {"age": 48, **PRE, "oncotype_rs": 8, "g8_score": None, "clinical_frailty_scale": None, "charlson_index": None,
   "ovarian_function_suppression": "not_planned"},
  {"endocrine": ["recommended"]},
  no_insufficient_data=True)

V("older-82-fitness-unknown-tnbc",
  "82-year-old, TNBC pT1c (18 mm) pN1mi, and NOTHING recorded about fitness (no ECOG, G8, CFS, Charlson, life "
  "expectancy): ASCO geriatric oncology 2018/2023 - at >= 65 a geriatric assessment and non-cancer life expectancy "
  "should shape the chemotherapy recommendation; recommending it without them is a guess. insufficient_data (naming "
  "the fitness inputs) or discuss; never plainly recommended.",
  {"age": 82, "tumour": {"size_mm": 18.0, **TNBC}, "oncotype_rs": None, "ecog": None, "g8_score": None,
   "clinical_frailty_scale": None, "charlson_index": None},
  {"chemotherapy": ["insufficient_data", "discuss"]},
  {"chemotherapy": ["recommended"]})

V("older-80-fitness-unknown-rs30",
  "80-year-old, ER+ HER2- pT1c pN1mi, RS 30, no fitness data at all: RS >= 26 would mean chemotherapy for a fit "
  "patient (TAILORx), but at 80 the GA and non-cancer life expectancy decide (ASCO geriatric 2018; SIOG/EUSOMA "
  "2021): insufficient_data or discuss, never plainly recommended.",
  {"age": 80, "oncotype_rs": 30, "ecog": None, "g8_score": None, "clinical_frailty_scale": None,
   "charlson_index": None},
  {"chemotherapy": ["insufficient_data", "discuss"], "endocrine": ["recommended"]},
  {"chemotherapy": ["recommended"]})

V("pregnant-20w-tnbc-keynote522",
  "Pregnant at 20 weeks, 32 years, TNBC cT2 (30 mm) cN0 before surgery: neoadjuvant chemotherapy can be given from "
  "14 weeks (Amant 2012) and is indicated (KEYNOTE-522 population); pembrolizumab (a monoclonal antibody) is not "
  "given in pregnancy (no data; KEYNOTE-522 excluded pregnancy) -> deferred, never recommended. Chemotherapy must not "
  "be deferred.",
  {"age": 32, **PRE, "tumour": {"size_mm": 30.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 20}},
  {"chemotherapy": ["recommended"], "immunotherapy": ["deferred", "not_indicated"]},
  {"chemotherapy": ["deferred", "not_indicated"], "immunotherapy": ["recommended"]})

V("pregnant-18w-her2-er-neg",
  "Pregnant at 18 weeks, HER2+ ER- pT1c pN1mi after BCS: chemotherapy (taxane/anthracycline) is possible from 14 "
  "weeks (Amant 2012) and indicated (APT); trastuzumab is contraindicated in pregnancy (oligohydramnios) -> "
  "deferred until after delivery; RT after delivery.",
  {"age": 35, **PRE, "tumour": {**HER2_POS, "er_percent": 0, "pr_percent": 0}, "oncotype_rs": None,
   "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 18}},
  {"chemotherapy": ["recommended"], "her2_therapy": ["deferred"], "whole_breast_rt": ["deferred"],
   "endocrine": ["not_indicated"]},
  {"chemotherapy": ["deferred", "not_indicated"], "her2_therapy": ["recommended", "not_indicated"],
   "whole_breast_rt": ["recommended"]})

V("lactating-tnbc-chemo",
  "Breastfeeding 34-year-old, TNBC pT1c pN1mi: chemotherapy is indicated (NCCN) and breastfeeding must stop before "
  "it (drugs pass into milk); it is not withheld.",
  {"age": 34, **PRE, "tumour": TNBC, "oncotype_rs": None, "pregnancy": {"status": "lactating"}},
  {"chemotherapy": ["recommended", "deferred"], "endocrine": ["not_indicated"]},
  {"chemotherapy": ["not_indicated"]})

V("pre-vte-declines-ofs",
  "Premenopausal 39-year-old, prior DVT, ER+ HER2- pT1c pN1mi RS 12, DECLINES ovarian function suppression: an AI "
  "alone is ineffective before menopause, so tamoxifen with its VTE risk weighed (tamoxifen label: for invasive "
  "cancer weigh risk vs benefit) - endocrine therapy is still to be given or discussed, never dropped.",
  {"age": 39, **PRE, "oncotype_rs": 12, "conditions": {"venous_thromboembolism": True},
   "preferences": {"declined": ["ovarian_function_suppression"]}},
  {"endocrine": ["recommended"]},
  {"endocrine": ["not_indicated"]},
  mentions={"endocrine": r"thromb|VTE"})

V("tnbc-heart-failure-lvef35-chemo",
  "TNBC pT1c (18 mm) pN1mi, 66 years, heart failure with LVEF 35%: anthracyclines are out (Armenian 2017; ESC 2022 "
  "cardio-oncology: severe LV dysfunction), and any chemotherapy needs a cardio-oncology decision - not plainly "
  "recommended; the cardiac reason must be named.",
  {"age": 66, "tumour": {"size_mm": 18.0, **TNBC}, "oncotype_rs": None, "lvef_percent": 35, "charlson_index": 2,
   "conditions": {"heart_failure": True}},
  {"chemotherapy": ["discuss", "deferred", "not_indicated"]},
  {"chemotherapy": ["recommended"]},
  mentions={"chemotherapy": r"anthracycline|LVEF|heart"})

V("fit-75-her2-apt",
  "Fit 75-year-old (ECOG 0, G8 16, LVEF 64%), HER2+ ER+ pT1c pN1mi: APT had no upper age limit and its regimen is "
  "well tolerated; HER2 therapy must not be withheld for age alone (SIOG/EUSOMA 2021).",
  {"age": 75, "tumour": HER2_POS, "lvef_percent": 64, "life_expectancy_years": 13},
  {"her2_therapy": ["recommended"], "endocrine": ["recommended"]},
  {"her2_therapy": ["not_indicated"]})

V("ecog2-tnbc-keynote522",
  "TNBC cT2 (30 mm) cN0 before surgery, ECOG 2: KEYNOTE-522 enrolled ECOG 0-1 and adds immune toxicity to "
  "a four-drug regimen - pembrolizumab not plainly recommended.",
  {"age": 68, "tumour": {"size_mm": 30.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "ecog": 2, "charlson_index": 2},
  {"immunotherapy": ["not_indicated"]},
  {"immunotherapy": ["recommended"]})

V("pre-ofs-planned-bisphosphonate",
  "Premenopausal 41-year-old, ER+ HER2- pT2 G3 with 2 SLN macrometastases, OFS planned: therapy-induced menopause "
  "counts (ASCO-OH 2022: postmenopausal natural or induced; EBCTCG 2015 benefit with OFS) -> bisphosphonate to be "
  "discussed or recommended, not excluded as 'premenopausal'.",
  {"age": 41, **PRE, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 20, "ovarian_function_suppression": "planned"},
  {"bisphosphonate": ["discuss", "recommended"], "endocrine": ["recommended"]},
  {"bisphosphonate": ["not_indicated"]})

V("osteoporosis-egfr33-bone",
  "Postmenopausal 72-year-old with osteoporosis on an AI, eGFR 33 mL/min: zoledronic acid at 3.0 mg is still "
  "labelled at creatinine clearance 30-39 (oncology dosing), denosumab has no renal limit; bone-directed therapy "
  "stays indicated (AIBL 2017; ASCO bone health 2019) - not_indicated would be over-caution.",
  {"age": 72, "oncotype_rs": 10, "conditions": {"osteoporosis": True, "egfr_ml_min": 33}, "charlson_index": 1},
  {"bisphosphonate": ["recommended", "discuss"], "endocrine": ["recommended"]},
  {"bisphosphonate": ["not_indicated"]})

V("male-her2-pos",
  "Male 61, HER2+ ER+ pT1c pN1mi after mastectomy, LVEF 60%: men are treated as women for HER2 therapy (ASCO male "
  "breast cancer 2020): APT paclitaxel-trastuzumab and endocrine therapy (tamoxifen).",
  {"age": 61, "sex": "male", "tumour": HER2_POS, "surgery": MASTECTOMY, "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "endocrine": ["recommended"], "whole_breast_rt": ["not_applicable"]})

V("frail-88-pn0-rt-omission",
  "88-year-old, CFS 7, life expectancy 2 years, ER+ HER2- pT1b G1 pN0 after BCS, taking endocrine therapy: CALGB "
  "9343 criteria met (>= 70, T1 N0 ER+, endocrine therapy); frailty only strengthens omission. Chemotherapy not "
  "indicated.",
  {**_LOW_RISK_76, "age": 88, **FRAIL, "life_expectancy_years": 2},
  {"whole_breast_rt": ["omission_possible"], "endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"whole_breast_rt": ["recommended"]})

V("declines-endocrine-cdk46",
  "ER+ HER2- pT2 (30 mm) G3 with 2 SLN macrometastases (monarchE cohort 1, NATALEE), postmenopausal, DECLINES "
  "endocrine therapy: abemaciclib and ribociclib were given only WITH endocrine therapy (monarchE, NATALEE; labels: "
  "in combination with endocrine therapy); a CDK4/6 inhibitor alone has no adjuvant evidence. Never recommended.",
  {"age": 59, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 16, "preferences": {"declined": ["endocrine"]}},
  {"endocrine": ["declined"], "cdk46_inhibitor": ["not_indicated", "discuss"]},
  {"cdk46_inhibitor": ["recommended"]})

V("frail-cfs7-keynote522",
  "TNBC cT2 (30 mm) cN0 before surgery, 79 years, ECOG 1 but Clinical Frailty Scale 7 (severely frail) and G8 10: "
  "KEYNOTE-522's four-drug neoadjuvant regimen with pembrolizumab was given to fit patients; ASCO geriatric 2018 - "
  "not to be plainly recommended.",
  {"age": 79, "tumour": {"size_mm": 30.0, **TNBC}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS,
   "oncotype_rs": None, "ecog": 1, "clinical_frailty_scale": 7, "g8_score": 10, "charlson_index": 3},
  {"immunotherapy": ["not_indicated"], "chemotherapy": ["not_indicated", "discuss"]},
  {"immunotherapy": ["recommended"], "chemotherapy": ["recommended"]})

V("cdk46-prior-pe-qtcf470",
  "ER+ HER2- pT2 (30 mm) G3 with 2 SLN macrometastases (monarchE cohort 1), prior PE AND QTcF 470 ms: ribociclib is "
  "excluded (QTcF >= 450, Kisqali label), and abemaciclib carries the VTE warning (MONARCH 2 5% vs 0.9%; Verzenio "
  "label): whatever the answer, both must be named.",
  {"age": 61, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 16,
   "conditions": {"venous_thromboembolism": True, "qtcf_ms": 470}},
  {"endocrine": ["recommended"]},
  {},
  mentions={"cdk46_inhibitor": r"(?=.*(thromb|VTE))(?=.*QT)"})

V("pre-thrombophilia-no-vte",
  "Premenopausal 36-year-old with a known prothrombin-gene thrombophilia but no prior VTE, ER+ HER2- pT1c pN1mi RS 11: "
  "endocrine therapy must be given (tamoxifen's VTE risk weighed against OFS + AI; tamoxifen label); never dropped.",
  {"age": 36, **PRE, "oncotype_rs": 11, "conditions": {"thrombophilia": True}},
  {"endocrine": ["recommended"]},
  {"endocrine": ["not_indicated"]},
  mentions={"endocrine": r"thromb"})

V("frail-90-endocrine-kept",
  "90-year-old, ECOG 3, CFS 7, life expectancy 2 years, ER+ HER2- pT2 (24 mm) pN1mi: chemotherapy not offered, but "
  "endocrine therapy is the low-toxicity standard for frail patients with ER+ disease (SIOG/EUSOMA 2021: primary "
  "endocrine therapy for limited life expectancy) - it must not be withheld.",
  {"age": 90, "tumour": {"size_mm": 24.0}, "oncotype_rs": None, "life_expectancy_years": 2, **FRAIL},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"]},
  {"endocrine": ["not_indicated"], "chemotherapy": ["recommended"]})

V("pregnant-20w-monarche-cdk46",
  "Pregnant at 20 weeks, 37 years, ER+ HER2- pT2 (30 mm) G3 with 2 SLN macrometastases (monarchE cohort 1): CDK4/6 "
  "inhibitors and endocrine therapy are not given in pregnancy (embryo-fetal toxicity, labels; Amant 2012 for "
  "endocrine therapy) -> deferred until after delivery, never recommended; chemotherapy (premenopausal, 1-3 nodes: "
  "RxPONDER) from 14 weeks is possible -> not deferred.",
  {"age": 37, **PRE, "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "oncotype_rs": 22,
   "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 20}},
  {"cdk46_inhibitor": ["deferred"], "endocrine": ["deferred"], "chemotherapy": ["recommended"]},
  {"cdk46_inhibitor": ["recommended"], "endocrine": ["recommended"], "chemotherapy": ["deferred", "not_indicated"]})

V("pregnant-gestation-unknown-her2",
  "Pregnant, gestational age not recorded, HER2+ ER+ pT1c pN1mi: trastuzumab, endocrine therapy and RT are deferred "
  "until after delivery in ANY trimester (Amant 2012), so the missing gestational age cannot change them (no "
  "insufficient_data there); only chemotherapy waits for it.",
  {"age": 33, **PRE, "tumour": HER2_POS, "oncotype_rs": None, "pregnancy": {"status": "pregnant"}},
  {"her2_therapy": ["deferred"], "endocrine": ["deferred"], "whole_breast_rt": ["deferred"],
   "chemotherapy": ["insufficient_data", "deferred"]},
  {"her2_therapy": ["recommended", "insufficient_data"], "endocrine": ["recommended", "insufficient_data"],
   "chemotherapy": ["recommended"]})

V("tnbc-lvef45-no-hf-chemo",
  "TNBC pT1c (18 mm) pN1mi, 60 years, LVEF 45% without heart failure: anthracyclines should be avoided (Armenian "
  "2017; trials required LVEF >= 50%), but an anthracycline-free regimen (docetaxel-cyclophosphamide) keeps "
  "chemotherapy indicated (NCCN TNBC >= T1c): not withheld; the anthracycline caveat must be named.",
  {"age": 60, "tumour": {"size_mm": 18.0, **TNBC}, "oncotype_rs": None, "lvef_percent": 45},
  {"chemotherapy": ["recommended", "discuss"]},
  {"chemotherapy": ["not_indicated"]},
  mentions={"chemotherapy": r"anthracycline"})

V("male-monarche-cdk46",
  "Male 58, ER+ HER2- pT2 (30 mm) G3 with 2 SLN macrometastases after mastectomy, ECOG 0: monarchE enrolled men "
  "(cohort 1: 1-3 nodes + grade 3) -> abemaciclib with endocrine therapy recommended; sex is no reason to withhold it.",
  {"age": 58, "sex": "male", "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 30},
   "nodes": sln(macro(1), macro(2), examined=3), "surgery": MASTECTOMY, "oncotype_rs": 16},
  {"cdk46_inhibitor": ["recommended"], "endocrine": ["recommended"]},
  {"cdk46_inhibitor": ["not_indicated"]})

V("cdk46-qtcf445-natalee",
  "ER+ HER2- pT2 (28 mm) G2 Ki-67 15% with one SLN macrometastasis, QTcF 445 ms: below the ribociclib start limit "
  "(QTcF < 450 ms, Kisqali label), NATALEE (stage IIB) applies -> ribociclib recommended; over-caution at 445 ms would "
  "withhold it.",
  {"age": 62, "tumour": {"size_mm": 28.0, "ki67_percent": 15}, "nodes": sln(macro(1, 3.0), examined=3),
   "oncotype_rs": 18, "conditions": {"qtcf_ms": 445}},
  {"cdk46_inhibitor": ["recommended"]},
  {"cdk46_inhibitor": ["not_indicated"]})

V("her2-lvef50-boundary",
  "HER2+ ER- pT1c pN1mi, LVEF exactly 50%, no cardiac history: the trials' and label threshold is LVEF >= 50% "
  "(APT, HERA; IC-OS 2021 moderate dysfunction starts below 50%) -> HER2 therapy recommended (borderline LVEF is a "
  "monitoring note, EU SmPC caution <= 55%).",
  {"age": 55, "tumour": {**HER2_POS, "er_percent": 0, "pr_percent": 0}, "lvef_percent": 50},
  {"her2_therapy": ["recommended"]},
  {"her2_therapy": ["not_indicated", "deferred"]})

V("tnbc-dpd-complete-upfront-chemo",
  "TNBC pT1c (18 mm) pN1mi after upfront surgery, complete DPD deficiency: the standard adjuvant regimens "
  "(anthracycline-taxane, docetaxel-cyclophosphamide) contain no fluoropyrimidine; only capecitabine/5-FU are "
  "contraindicated (EMA/MHRA 2020). Chemotherapy stays recommended; capecitabine not indicated.",
  {"age": 50, **PRE, "tumour": {"size_mm": 18.0, **TNBC}, "oncotype_rs": None,
   "conditions": {"dpd_deficiency": "complete"}},
  {"chemotherapy": ["recommended"], "capecitabine": ["not_indicated"]},
  {"chemotherapy": ["not_indicated"]})

V("declines-chemo-her2",
  "HER2+ ER- pT1c pN1mi, 50 years, declines chemotherapy but accepts antibodies: chemotherapy shown as declined; APT "
  "gave trastuzumab WITH weekly paclitaxel, so trastuzumab alone is outside that evidence (cf. RESPECT in older "
  "women) - the HER2 recommendation must not plan paclitaxel silently: it must say chemotherapy is declined or "
  "that trastuzumab goes without it.",
  {"age": 50, "tumour": {**HER2_POS, "er_percent": 0, "pr_percent": 0}, "oncotype_rs": None,
   "preferences": {"declined": ["chemotherapy"]}},
  {"chemotherapy": ["declined"], "her2_therapy": ["recommended", "discuss"]},
  {"chemotherapy": ["recommended"]},
  mentions={"her2_therapy": r"chemotherapy (is )?declined|trastuzumab (alone|without)"})

V("tnbc-residual-egfr40-capecitabine",
  "TNBC after neoadjuvant therapy with residual ypT1b ypN0, creatinine clearance ~40 mL/min: capecitabine at 75% of "
  "the dose for 30-50 mL/min (Xeloda label), so CREATE-X capecitabine is not withheld (over-caution check).",
  {"age": 66, **_TNBC_RESIDUAL, "conditions": {"egfr_ml_min": 40}, "charlson_index": 1},
  {"capecitabine": ["recommended", "discuss"]},
  {"capecitabine": ["not_indicated"]})

V("pregnant-26w-t3-n1mi-mastectomy",
  "Pregnant at 26 weeks, 35 years, ER+ HER2- pT3 (55 mm) G3 pN1mi after mastectomy: post-mastectomy RT would be "
  "indicated (T3 with nodal disease) but radiotherapy waits until after delivery (Amant 2012: fetal dose; deferral "
  "standard) - deferred, never recommended now; endocrine therapy deferred; chemotherapy possible from 14 weeks.",
  {"age": 35, **PRE, "tumour": {"size_mm": 55.0, "grade": 3, "ki67_percent": 35}, "surgery": MASTECTOMY,
   "oncotype_rs": 31, "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 26}},
  {"post_mastectomy_rt": ["deferred"], "endocrine": ["deferred"], "chemotherapy": ["recommended"]},
  {"post_mastectomy_rt": ["recommended"], "regional_nodal_irradiation": ["recommended"],
   "endocrine": ["recommended"], "cdk46_inhibitor": ["recommended"]})

V("declines-wbi-58-slnb-omission",
  "58-year-old postmenopausal, ER+ HER2- cT1c (15 mm) G2 cN0, normal axillary ultrasound, BCS planned, but she "
  "DECLINES whole-breast RT: the SLNB-omission evidence is BCS WITH whole-breast RT (SOUND, Gentilini JAMA Oncol "
  "2023; INSEMA, Reimer NEJM 2025; ASCO 2025 criterion 'BCS with planned whole-breast RT'); under 70 no other "
  "omission route (SSO Choosing Wisely is >= 70) -> sentinel biopsy recommended, WBI shown as declined; no boost "
  "without whole-breast RT.",
  {"age": 58, "tumour": {"size_mm": 15.0}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS, "oncotype_rs": None,
   "preferences": {"declined": ["whole_breast_rt"]}},
  {"sentinel_biopsy": ["recommended"], "whole_breast_rt": ["declined"], "boost": ["not_applicable", "not_indicated"]},
  {"sentinel_biopsy": ["omission_possible"]})

V("declines-wbi-73-slnb-omission-choosing-wisely",
  "73-year-old, ER+ HER2- cT1c (15 mm) G2 cN0, normal axillary ultrasound, BCS planned, takes endocrine therapy, "
  "declines whole-breast RT: SSO Choosing Wisely 2016 (>= 70, cN0, HR+/HER2-, endocrine therapy) does not depend on "
  "RT -> sentinel biopsy may still be omitted (converse of the case above).",
  {"age": 73, "tumour": {"size_mm": 15.0}, "nodes": NO_NODES_YET, "surgery": PLANNED_BCS, "oncotype_rs": None,
   "preferences": {"declined": ["whole_breast_rt"]}},
  {"sentinel_biopsy": ["omission_possible"], "whole_breast_rt": ["declined"]})



if __name__ == "__main__":
    sys.exit(REFERRALS.main())
