"""Builds ``systemic_vignettes.jsonl``: tumour-board referrals for the systemic decisions (chemotherapy, endocrine,
HER2 therapy, CDK4/6, olaparib, immunotherapy, capecitabine, bisphosphonate) in special populations and around the
multigene assays: 21-gene RS thresholds by age and menopause (TAILORx, RxPONDER), MammaPrint (MINDACT), the nodal
category (ITC = N0, micrometastasis), micro tumours (T1a/T1b HER2+ and TNBC), monarchE/NATALEE after the 2023
abemaciclib label, OlympiA (gBRCA, ECOG), KEYNOTE-522, CREATE-X, KATHERINE, APT/APHINITY, HER2-low/ultralow and
ISH groups, ER-low, men (ASCO 2020), SOFT/TEXT, and inputs left out that can or cannot change an answer.

Written blind from the sources named in each vignette before micromets was run on them; nothing here imports
micromets. The row format, the base case and the case helpers are those of the patient-factor vignettes
(``tests/vignettes/patient``), shared (tests/vignettes/_referral_builder.py), with one more optional check: ``not_strong`` lists decision keys whose
recommendation must not carry strength ``strong`` (a treatment left possible for a patient outside the trial), and
``never_mentions`` maps a decision key to a regex that must NOT match its recommendation (text, rationale, and the
reasons of the inputs it asks for), e.g. menopausal wording for a man.

    .venv/bin/python tests/vignettes/systemic/build_systemic_vignettes.py   # rewrites systemic_vignettes.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/vignettes: the builder pieces the sets share
from _referral_builder import (  # noqa: E402
    HER2_POS,
    ITC,
    MICRO,
    NO_CONDITIONS,
    NO_NODES_YET,
    PLANNED_BCS,
    PRE,
    TNBC,
    macro,
    merge,
    reference_patient,
    sln,
)

OUT = Path(__file__).with_name("systemic_vignettes.jsonl")
BASE: dict[str, Any] = reference_patient(NO_CONDITIONS)  # fit 60-year-old postmenopausal woman, ER+ HER2-low
#                                                         pT1c G2, BCS done

ROWS: list[dict[str, Any]] = []

SYSTEMIC = ("chemotherapy", "endocrine", "her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy",
            "capecitabine", "bisphosphonate")


def V(id: str, source: str, changes: dict[str, Any], expected: dict[str, list[str]],
      forbidden: dict[str, list[str]] | None = None, mentions: dict[str, str] | None = None,
      no_insufficient_data: bool = False, not_strong: tuple[str, ...] = (),
      never_mentions: dict[str, str] | None = None) -> None:
    case = merge(BASE, changes)
    case["id"] = id
    if case.get("sex") == "male":
        case.pop("menopausal_status", None)
        case.pop("pregnancy", None)
    ROWS.append({"id": id, "source": source, "case": case, "expected": expected, "forbidden": forbidden or {},
                 "mentions": mentions or {}, "no_insufficient_data": no_insufficient_data,
                 "not_strong": list(not_strong), "never_mentions": never_mentions or {}})


def nodes(n_macro: int = 0, n_micro: int = 0, n_itc: int = 0, examined: int | None = None,
          procedure: str = "slnb") -> dict[str, Any]:
    deposits = ([macro(i + 1) for i in range(n_macro)]
                + [{**MICRO, "node": n_macro + i + 1} for i in range(n_micro)]
                + [{**ITC, "node": n_macro + n_micro + i + 1} for i in range(n_itc)])
    count = examined or max(2, len(deposits) + 1)
    out = sln(*deposits, examined=count)
    out["procedure"] = procedure
    if procedure != "slnb":
        out.pop("sentinel_nodes_removed", None)
        out.pop("tracers", None)
    return out


N0 = nodes()
N1MI = nodes(n_micro=1)
N0_ITC = nodes(n_itc=1)
N1_ONE = nodes(n_macro=1)
N2_FIVE = nodes(n_macro=5, examined=14, procedure="slnb_then_alnd")
POST60 = {"age": 60, "menopausal_status": "post"}
PRE44 = {"age": 44, **PRE}
HER2_NEG_ER_POS = {"er_percent": 90, "pr_percent": 60, "her2_ihc": "1+"}


def post_nst(residual_mm: float, agents: list[str], pre_size: float = 32, pre_nodes: str = "cN0",
             node_state: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"neoadjuvant": True, "oncotype_rs": None,
            "neoadjuvant_therapy": {"pre_treatment_size_mm": pre_size, "pre_treatment_clinical_nodes": pre_nodes,
                                    "nodes_biopsy_proven": pre_nodes != "cN0", "agents": agents},
            "nodes": node_state or nodes(examined=3), "_residual": residual_mm}


def _nst(changes: dict[str, Any], tumour: dict[str, Any]) -> dict[str, Any]:
    residual = changes.pop("_residual")
    changes["tumour"] = {**tumour, "size_mm": residual}
    return changes


KN522 = ["anthracycline", "taxane", "platinum", "pembrolizumab"]
AC_T = ["anthracycline", "taxane"]
THP = ["taxane", "platinum", "trastuzumab", "pertuzumab"]

# =============================================================== 21-gene RS, node-negative (TAILORx; ASCO 2022)

V("rs20-post60-n0",
  "TAILORx (Sparano NEJM 2018): HR+/HER2- N0, RS 11-25, age > 50: endocrine therapy alone non-inferior (9-yr iDFS "
  "83.3% vs 84.3%). ASCO 2022 biomarker rec 1.2. CDK4/6: T1N0 excluded from NATALEE, not node-positive for "
  "monarchE. gBRCA negative: no olaparib.",
  {**POST60, "nodes": N0, "oncotype_rs": 20},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"], "cdk46_inhibitor": ["not_indicated"],
   "olaparib": ["not_indicated"], "her2_therapy": ["not_indicated"]},
  no_insufficient_data=True)

V("rs25-post60-n0-boundary",
  "TAILORx: the randomised no-benefit range is RS 11-25 inclusive; RS 25 at age > 50 -> endocrine therapy alone "
  "(NCCN; ASCO 2022 rec 1.2).",
  {**POST60, "nodes": N0, "oncotype_rs": 25},
  {"chemotherapy": ["not_indicated"]}, no_insufficient_data=True)

V("rs26-post60-n0",
  "TAILORx: RS 26-100 was assigned chemotherapy + endocrine therapy (9-yr distant recurrence ~13% with chemo); "
  "NCCN and ASCO 2022 rec 1.2: RS >= 26 -> chemotherapy. Fit 60-year-old.",
  {**POST60, "nodes": N0, "oncotype_rs": 26},
  {"chemotherapy": ["recommended"], "endocrine": ["recommended"]}, no_insufficient_data=True)

V("rs14-pre44-n0",
  "TAILORx age <= 50: RS 0-15 no chemotherapy benefit; ASCO 2022 rec 1.3 applies from RS 16. NCCN: RS <= 15 "
  "endocrine therapy alone.",
  {**PRE44, "nodes": N0, "oncotype_rs": 14},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"]}, no_insufficient_data=True)

V("rs18-pre44-n0",
  "TAILORx exploratory, age <= 50 with RS 16-20: distant recurrence ~1.6 points lower with chemotherapy; ASCO 2022 "
  "rec 1.3 'chemoendocrine therapy may be offered'; NCCN 'consider' (or OFS + ET). A discussion, neither an "
  "omission nor a firm recommendation.",
  {**PRE44, "nodes": N0, "oncotype_rs": 18},
  {"chemotherapy": ["discuss"], "endocrine": ["recommended"]},
  {"chemotherapy": ["not_indicated"]})

V("rs24-pre44-n0",
  "TAILORx exploratory, age <= 50 with RS 21-25: distant recurrence ~6.5 points lower with chemotherapy; ASCO 2022 "
  "rec 1.3; NCCN 'consider chemotherapy'. Must not be omitted silently.",
  {**PRE44, "nodes": N0, "oncotype_rs": 24},
  {"chemotherapy": ["discuss", "recommended"]},
  {"chemotherapy": ["not_indicated"]})

V("rs20-pre55-n0-age-rule",
  "TAILORx's exploratory benefit subgroup was defined by AGE <= 50 (ASCO 2022 rec 1.2: age > 50 and RS < 26 -> no "
  "chemotherapy), but the benefit is thought to come partly from chemotherapy-induced ovarian suppression, which a "
  "premenopausal 55-year-old can still get (clinical reference S1; NCCN/ESMO word it by menopausal status): "
  "no chemotherapy or a discussion - never a firm recommendation. (First written as not_indicated only; widened "
  "after the disagreement, see the audit report: the sources are not clear-cut here.)",
  {"age": 55, **PRE, "nodes": N0, "oncotype_rs": 20},
  {"chemotherapy": ["not_indicated", "discuss"]}, {"chemotherapy": ["recommended"]})

V("rs10-post-t1a-n0-no-assay",
  "NCCN HR+/HER2- pT1a (<= 5 mm) N0: endocrine therapy, no multigene assay and no chemotherapy; a missing RS "
  "cannot change the answer.",
  {**POST60, "tumour": {"size_mm": 4.0, "grade": 1}, "nodes": N0, "oncotype_rs": None},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"], "cdk46_inhibitor": ["not_indicated"]},
  no_insufficient_data=True)

V("rs-missing-post-t1c-n0",
  "NCCN HR+/HER2- pT1c N0: the 21-gene RS decides chemotherapy (TAILORx); without it the decision cannot be made "
  "-> insufficient data naming the assay.",
  {**POST60, "nodes": N0, "oncotype_rs": None},
  {"chemotherapy": ["insufficient_data"], "endocrine": ["recommended"]})

# =============================================================== ITC = N0 (AJCC 8; NCCN)

V("itc-rs20-post-like-n0",
  "AJCC 8: ITC-only nodes are pN0(i+); NCCN treats them with pN0. Postmenopausal RS 20 -> no chemotherapy "
  "(TAILORx). CDK4/6: N0 T1 (NATALEE excluded T1N0; monarchE required positive nodes).",
  {**POST60, "nodes": N0_ITC, "oncotype_rs": 20},
  {"chemotherapy": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"], "endocrine": ["recommended"]},
  no_insufficient_data=True)

V("itc-rs12-pre42-not-rxponder",
  "pN0(i+) is node-negative (AJCC 8), so RxPONDER's premenopausal node-positive benefit does not apply: TAILORx age "
  "<= 50 with RS <= 15 -> no chemotherapy.",
  {"age": 42, **PRE, "nodes": N0_ITC, "oncotype_rs": 12},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"]}, no_insufficient_data=True)

V("itc-tnbc-t1c",
  "TNBC pT1c pN0(i+): NCCN TNBC pT1c N0 -> adjuvant chemotherapy recommended; ITC does not change this. Upfront "
  "surgery: no pembrolizumab (KEYNOTE-522 is neoadjuvant), no capecitabine (CREATE-X is for residual disease after "
  "neoadjuvant chemotherapy).",
  {**POST60, "tumour": {"size_mm": 15.0, **TNBC}, "nodes": N0_ITC, "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "endocrine": ["not_indicated"], "immunotherapy": ["not_indicated"],
   "capecitabine": ["not_indicated"], "olaparib": ["not_indicated"]}, no_insufficient_data=True)

V("itc-her2-t1c-apt",
  "HER2+ ER+ pT1c pN0(i+): APT (Tolaney NEJM 2015, <= 3 cm node-negative) -> weekly paclitaxel + trastuzumab. "
  "Pertuzumab has no benefit in node-negative disease (APHINITY).",
  {**POST60, "tumour": {**HER2_POS, "size_mm": 14.0}, "nodes": N0_ITC, "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["recommended"]},
  mentions={"her2_therapy": r"paclitaxel"}, no_insufficient_data=True)

# =============================================================== micrometastases and the RS (NCCN pN0/pN1mi; RxPONDER)

V("n1mi-rs22-post63",
  "Postmenopausal pN1mi RS 22: NCCN 'pN0 or pN1mi' branch (TAILORx > 50, RS <= 25) and RxPONDER postmenopausal "
  "(no benefit RS <= 25) agree -> no chemotherapy. T1N1mi = stage IB: no CDK4/6 (NATALEE stage IIA+).",
  {"age": 63, "menopausal_status": "post", "nodes": N1MI, "oncotype_rs": 22},
  {"chemotherapy": ["not_indicated"], "cdk46_inhibitor": ["not_indicated"]}, no_insufficient_data=True)

V("n1mi-rs12-pre44-frameworks-diverge",
  "Premenopausal pN1mi RS 12: NCCN groups pN1mi with pN0 (TAILORx <= 50, RS <= 15 -> no chemo) but RxPONDER "
  "(SWOG S1007: 'at least one, but no more than three known + lymph nodes'; micrometastatic nodes are positive "
  "nodes in AJCC 8) found a premenopausal benefit across RS 0-25 and ASCO 2022 rec 1.6 says the RS should not "
  "guide chemotherapy for premenopausal 1-3 positive nodes. The frameworks diverge: discuss (clinical reference "
  "S0 engine rule), never a silent omission.",
  {**PRE44, "nodes": N1MI, "oncotype_rs": 12},
  {"chemotherapy": ["discuss"], "endocrine": ["recommended"]},
  {"chemotherapy": ["not_indicated"]})

V("n1mi-rs-missing-post",
  "Postmenopausal pT1c pN1mi without an RS: the RS decides (NCCN pN0/pN1mi branch) -> insufficient data naming "
  "the assay.",
  {"age": 64, "menopausal_status": "post", "nodes": N1MI, "oncotype_rs": None},
  {"chemotherapy": ["insufficient_data"], "endocrine": ["recommended"], "cdk46_inhibitor": ["not_indicated"]})

V("n1mi-rs30-post",
  "Postmenopausal pN1mi RS 30: RS >= 26 -> chemotherapy (TAILORx high-RS arm; NCCN).",
  {"age": 61, "menopausal_status": "post", "nodes": N1MI, "oncotype_rs": 30},
  {"chemotherapy": ["recommended"]}, no_insufficient_data=True)

V("n1mi-t1a-post-no-assay",
  "NCCN (BINV-6): HR+ pT1a with pN1mi -> endocrine therapy +/- chemotherapy (category 2B): chemotherapy is not a "
  "firm recommendation; endocrine therapy is.",
  {**POST60, "tumour": {"size_mm": 4.0, "grade": 2}, "nodes": N1MI, "oncotype_rs": None},
  {"endocrine": ["recommended"], "cdk46_inhibitor": ["not_indicated"]},
  {"chemotherapy": ["recommended"]})

# =============================================================== 1-3 macrometastatic nodes (RxPONDER; ASCO 2022)

V("n1-rs18-post62",
  "RxPONDER postmenopausal, 1-3 positive nodes, RS <= 25: no iDFS benefit from chemotherapy (HR ~1.02) -> "
  "endocrine therapy alone (ASCO 2022 rec 1.4).",
  {"age": 62, "menopausal_status": "post", "nodes": N1_ONE, "oncotype_rs": 18},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"], "olaparib": ["not_indicated"]})

V("n1-rs12-pre44",
  "RxPONDER premenopausal, 1-3 positive nodes, RS <= 25: 5-yr iDFS 94.2% vs 89.0% with chemotherapy (HR 0.60); "
  "ASCO 2022 rec 1.6: the RS should not be used to withhold chemotherapy. Chemotherapy (or at least a discussion "
  "with OFS as the alternative), never omitted.",
  {**PRE44, "nodes": N1_ONE, "oncotype_rs": 12},
  {"chemotherapy": ["recommended", "discuss"], "endocrine": ["recommended"]},
  {"chemotherapy": ["not_indicated"]})

V("n1-rs-missing-pre44-no-assay-needed",
  "Premenopausal with 1-3 macrometastatic nodes: ASCO 2022 rec 1.6 says the 21-gene RS should NOT be offered to "
  "guide chemotherapy; RxPONDER premenopausal benefit across RS 0-25. A missing RS cannot change the answer "
  "(chemotherapy indicated, or discussed) -> not insufficient_data.",
  {**PRE44, "nodes": N1_ONE, "oncotype_rs": None},
  {"chemotherapy": ["recommended", "discuss"]},
  {"chemotherapy": ["insufficient_data", "not_indicated"]})

V("n1-rs-missing-post-assay-needed",
  "Postmenopausal with 1-3 macrometastatic nodes: RxPONDER makes the RS decide (<= 25 no chemotherapy; ASCO 2022 "
  "rec 1.4) -> without it, insufficient data naming the assay.",
  {"age": 62, "menopausal_status": "post", "nodes": N1_ONE, "oncotype_rs": None},
  {"chemotherapy": ["insufficient_data"]})

V("n2-five-nodes-post-no-assay",
  "Four or more positive nodes: chemotherapy recommended without an assay (outside RxPONDER; NCCN); monarchE "
  "cohort 1 (>= 4 pALN) -> abemaciclib; bisphosphonate to be discussed (ASCO-OH 2022; EBCTCG 2015).",
  {"age": 58, "menopausal_status": "post", "tumour": {"size_mm": 24.0}, "nodes": N2_FIVE, "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "cdk46_inhibitor": ["recommended"], "endocrine": ["recommended"],
   "bisphosphonate": ["discuss", "recommended"]},
  mentions={"cdk46_inhibitor": r"abemaciclib"})

V("menopause-unknown-45-n1-rs15",
  "Age 45, menopausal status not recorded, 1 macrometastatic node, RS 15: RxPONDER's answer turns on menopausal "
  "status (premenopausal benefit, postmenopausal none) -> the missing status can change chemotherapy: insufficient "
  "data naming it (never a guess from age).",
  {"age": 45, "menopausal_status": None, "nodes": N1_ONE, "oncotype_rs": 15},
  {"chemotherapy": ["insufficient_data"]})

V("menopause-unknown-45-n0-rs10",
  "Age 45, menopausal status not recorded, N0, RS 10: TAILORx RS <= 15 -> no chemotherapy at any age or "
  "menopausal status, so the missing status cannot change chemotherapy.",
  {"age": 45, "menopausal_status": None, "nodes": N0, "oncotype_rs": 10},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"]})

# =============================================================== MammaPrint (MINDACT)

V("mammaprint-low-post58-clinical-high",
  "MINDACT (Cardoso NEJM 2016; Piccart Lancet Oncol 2021): clinical high (T2 G2 N0) / genomic low risk, age > 50: "
  "the chemotherapy difference was ~0.2 points -> chemotherapy can be omitted. The 70-gene result is the assay: a "
  "missing RS cannot change the answer.",
  {"age": 58, "menopausal_status": "post", "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0,
   "oncotype_rs": None, "mammaprint": "low"},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"]}, no_insufficient_data=True)

V("mammaprint-low-pre45-clinical-high",
  "MINDACT 8-yr: clinical high / genomic low, age <= 50: distant metastasis-free survival ~5 points better with "
  "chemotherapy (possibly via ovarian suppression); ESMO 2024 and ASCO 2022: discuss with younger women.",
  {"age": 45, **PRE, "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0, "oncotype_rs": None,
   "mammaprint": "low"},
  {"chemotherapy": ["discuss"]}, {"chemotherapy": ["recommended"]})

V("mammaprint-high-post60-clinical-high",
  "MINDACT: clinical high and genomic high risk were given chemotherapy (both risks concordant high) -> "
  "chemotherapy recommended (ASCO 2022).",
  {"age": 60, "menopausal_status": "post", "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0,
   "oncotype_rs": None, "mammaprint": "high"},
  {"chemotherapy": ["recommended"]}, no_insufficient_data=True)

V("mammaprint-low-post-n1",
  "MINDACT enrolled 0-3 positive nodes; ASCO 2022 rec: MammaPrint may be used in postmenopausal women with 1-3 "
  "positive nodes and high clinical risk; genomic low -> chemotherapy can be omitted (> 50).",
  {"age": 63, "menopausal_status": "post", "nodes": N1_ONE, "oncotype_rs": None, "mammaprint": "low"},
  {"chemotherapy": ["not_indicated"]})

V("mammaprint-ultralow-post-n0",
  "MammaPrint ultralow (STO-3, MINDACT ultralow subgroup: 8-yr breast cancer-specific survival ~99.6%): no "
  "chemotherapy.",
  {"age": 66, "menopausal_status": "post", "tumour": {"size_mm": 18.0, "grade": 1}, "nodes": N0,
   "oncotype_rs": None, "mammaprint": "ultralow"},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"]}, no_insufficient_data=True)

V("mammaprint-low-n1mi-post",
  "Postmenopausal pN1mi, MammaPrint low: pN0-like (NCCN) and MINDACT (0-3 nodes) agree -> no chemotherapy.",
  {"age": 64, "menopausal_status": "post", "nodes": N1MI, "oncotype_rs": None, "mammaprint": "low"},
  {"chemotherapy": ["not_indicated"]}, no_insufficient_data=True)

# Written after the first run (probing the MINDACT clinical-risk gate and both assays given), from the same sources.

V("mammaprint-high-clinical-low-t1b-g1",
  "MammaPrint high in a grade 1, 9 mm node-negative tumour (low clinical risk by MINDACT): ASCO 2017 focused update "
  "(Krop JCO 2017): 'Women in the low clinical risk category did not benefit from chemotherapy regardless of "
  "genomic MammaPrint risk group' - the assay has no clinical utility there -> no chemotherapy.",
  {"age": 60, "menopausal_status": "post", "tumour": {"size_mm": 9.0, "grade": 1}, "nodes": N0,
   "oncotype_rs": None, "mammaprint": "high"},
  {"chemotherapy": ["not_indicated"]}, {"chemotherapy": ["recommended"]}, no_insufficient_data=True)

V("mammaprint-low-clinical-low-pre45",
  "Premenopausal 45-year-old, grade 1 15 mm node-negative (low clinical risk by MINDACT), MammaPrint low: MINDACT's "
  "low/low group had no chemotherapy by protocol; the ~5-point benefit at <= 50 was in HIGH clinical risk women "
  "(Piccart Lancet Oncol 2021) -> no chemotherapy.",
  {"age": 45, **PRE, "tumour": {"size_mm": 15.0, "grade": 1}, "nodes": N0, "oncotype_rs": None,
   "mammaprint": "low"},
  {"chemotherapy": ["not_indicated"]}, no_insufficient_data=True)

V("assays-disagree-rs30-mammaprint-low",
  "Both assays given and disagreeing (RS 30 -> chemotherapy by TAILORx; MammaPrint low at high clinical risk -> "
  "omit by MINDACT at > 50): no trial or guideline says which to follow (ASCO 2022: order one assay) -> a "
  "discussion naming both, never a strong recommendation that ignores one.",
  {"age": 60, "menopausal_status": "post", "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0,
   "oncotype_rs": 30, "mammaprint": "low"},
  {"chemotherapy": ["discuss"]}, mentions={"chemotherapy": r"MammaPrint"})

V("assays-disagree-rs10-mammaprint-high",
  "RS 10 (TAILORx: no chemotherapy benefit) with MammaPrint high at high clinical risk (MINDACT: chemotherapy): the "
  "assays disagree -> discuss, naming both.",
  {"age": 60, "menopausal_status": "post", "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0,
   "oncotype_rs": 10, "mammaprint": "high"},
  {"chemotherapy": ["discuss"]}, mentions={"chemotherapy": r"MammaPrint"})

# =============================================================== CDK4/6 (monarchE, 2023 US label; NATALEE)

V("cdk46-n1-g3-monarche-cohort1",
  "monarchE cohort 1: 1-3 positive nodes and grade 3 -> abemaciclib 2 years (FDA label 2023: high risk = >= 4 pALN, "
  "or 1-3 pALN with grade 3 or tumour >= 50 mm). Postmenopausal RS 18: no chemotherapy (RxPONDER). Ki-67 not "
  "needed for this criterion.",
  {"age": 62, "menopausal_status": "post", "tumour": {"grade": 3, "ki67_percent": None}, "nodes": N1_ONE,
   "oncotype_rs": 18},
  {"cdk46_inhibitor": ["recommended"], "chemotherapy": ["not_indicated"]},
  mentions={"cdk46_inhibitor": r"abemaciclib"})

V("cdk46-n1-g2-ki67-30-label",
  "1 macrometastatic node, T1c G2, Ki-67 30%: monarchE cohort 2 (Ki-67 >= 20%) is no longer in the US label since "
  "March 2023 (high risk = >= 4 nodes, or 1-3 with grade 3 or >= 50 mm). NATALEE (stage IIA incl. T1N1) still "
  "makes ribociclib possible: the CDK4/6 recommendation must name ribociclib/NATALEE.",
  {"age": 62, "menopausal_status": "post", "tumour": {"grade": 2, "ki67_percent": 30}, "nodes": N1_ONE,
   "oncotype_rs": 18},
  {"chemotherapy": ["not_indicated"]},
  mentions={"cdk46_inhibitor": r"ribociclib|NATALEE"})

V("cdk46-t1-n1mi-g3",
  "T1c N1mi = stage IB (AJCC 8): below NATALEE's stage IIA entry and the monarchE node-positive high-risk "
  "definition -> no CDK4/6 inhibitor (clinical reference S5).",
  {"age": 60, "menopausal_status": "post", "tumour": {"grade": 3, "ki67_percent": 40}, "nodes": N1MI,
   "oncotype_rs": 20},
  {"cdk46_inhibitor": ["not_indicated"]}, no_insufficient_data=True)

V("cdk46-t1c-n0-g3",
  "T1N0 was excluded from NATALEE and monarchE required positive nodes -> no CDK4/6 inhibitor.",
  {"age": 60, "menopausal_status": "post", "tumour": {"grade": 3, "ki67_percent": 40}, "nodes": N0,
   "oncotype_rs": 20},
  {"cdk46_inhibitor": ["not_indicated"]}, no_insufficient_data=True)

V("cdk46-t2-n1mi-g3",
  "T2 (30 mm) N1mi G3 = anatomic stage IIB (AJCC 8: T2N1mi is grouped with T2N1), inside NATALEE's stage range; "
  "whether monarchE counted micrometastatic nodes is unverified (clinical reference S5: 'discuss / check "
  "trial-label wording'). Not a plain 'not indicated'.",
  {"age": 60, "menopausal_status": "post", "tumour": {"size_mm": 30.0, "grade": 3, "ki67_percent": 35},
   "nodes": N1MI, "oncotype_rs": 20},
  {"cdk46_inhibitor": ["discuss", "recommended"]}, {"cdk46_inhibitor": ["not_indicated"]})

V("cdk46-ki67-missing-n1-g3",
  "Ki-67 not recorded with 1 macrometastatic node and grade 3: monarchE cohort 1 / the 2023 label need no Ki-67 -> "
  "the missing Ki-67 cannot change the CDK4/6 answer.",
  {"age": 60, "menopausal_status": "post", "tumour": {"size_mm": 22.0, "grade": 3, "ki67_percent": None},
   "nodes": N1_ONE, "oncotype_rs": 20},
  {"cdk46_inhibitor": ["recommended"]}, no_insufficient_data=True)

# =============================================================== olaparib (OlympiA)

V("olaparib-gbrca1-tnbc-pt2-n0",
  "OlympiA (Tutt NEJM 2021): gBRCA1/2, HER2-, TNBC after adjuvant chemotherapy with >= pT2 or >= pN1 -> olaparib 1 "
  "year (iDFS HR 0.58; OS HR 0.68). Upfront surgery: chemotherapy recommended (TNBC pT2); no pembrolizumab "
  "(adjuvant-only setting not studied), no capecitabine (CREATE-X needs residual disease after NAC).",
  {"age": 41, **PRE, "tumour": {"size_mm": 25.0, **TNBC}, "nodes": N0, "oncotype_rs": None,
   "germline_brca": "brca1"},
  {"olaparib": ["recommended"], "chemotherapy": ["recommended"], "immunotherapy": ["not_indicated"],
   "capecitabine": ["not_indicated"], "endocrine": ["not_indicated"]}, no_insufficient_data=True)

V("olaparib-gbrca1-tnbc-pt2-ecog2",
  "Same OlympiA-eligible tumour, ECOG 2: OlympiA enrolled ECOG 0-1, so ECOG 2 is outside the trial evidence "
  "(patient-factor reference: flag it, do not call it a contraindication). Olaparib must not be a strong "
  "recommendation and must name the performance status.",
  {"age": 58, "menopausal_status": "post", "tumour": {"size_mm": 25.0, **TNBC}, "nodes": N0, "oncotype_rs": None,
   "germline_brca": "brca1", "ecog": 2, "charlson_index": 2},
  {"olaparib": ["recommended", "not_indicated"]},
  mentions={"olaparib": r"ECOG|performance status"}, not_strong=("olaparib",))

V("olaparib-gbrca2-hr-pos-two-nodes",
  "OlympiA HR+ (adjuvant route) required >= 4 positive nodes; 2 macrometastatic nodes -> no olaparib.",
  {"age": 50, "menopausal_status": "post", "tumour": {"size_mm": 28.0, "grade": 2}, "nodes": nodes(n_macro=2),
   "oncotype_rs": 14, "germline_brca": "brca2"},
  {"olaparib": ["not_indicated"], "endocrine": ["recommended"]})

V("olaparib-gbrca2-hr-pos-five-nodes",
  "OlympiA HR+: >= 4 positive nodes after upfront surgery -> olaparib; monarchE cohort 1 (>= 4 nodes) -> "
  "abemaciclib; chemotherapy for >= 4 nodes.",
  {"age": 52, "menopausal_status": "post", "tumour": {"size_mm": 28.0, "grade": 2}, "nodes": N2_FIVE,
   "oncotype_rs": None, "germline_brca": "brca2"},
  {"olaparib": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["recommended"]})

V("olaparib-gbrca1-tnbc-t1b-n0",
  "gBRCA1 TNBC pT1b N0 (stage I): below OlympiA's >= pT2 or >= pN1 criteria; consensus: not for stage I TNBC "
  "-> no olaparib. Chemotherapy for TNBC T1b N0 is 'consider' (NCCN) -> not a firm recommendation, not omitted.",
  {"age": 39, **PRE, "tumour": {"size_mm": 8.0, **TNBC}, "nodes": N0, "oncotype_rs": None,
   "germline_brca": "brca1"},
  {"olaparib": ["not_indicated"], "chemotherapy": ["discuss"], "immunotherapy": ["not_indicated"]},
  no_insufficient_data=True)

V("olaparib-gbrca-unknown-tnbc-pt2",
  "TNBC pT2 N0 with germline BRCA status not recorded: OlympiA would apply if gBRCA1/2 (ASCO-SSO 2024: test "
  "everyone who could receive a PARP inhibitor) -> the missing result can change olaparib: insufficient data.",
  {"age": 58, "menopausal_status": "post", "tumour": {"size_mm": 25.0, **TNBC}, "nodes": N0, "oncotype_rs": None,
   "germline_brca": None},
  {"olaparib": ["insufficient_data"], "chemotherapy": ["recommended"]})

V("olaparib-gbrca-unknown-hr-pos-n1mi",
  "HR+ pT1c pN1mi with germline BRCA not recorded: OlympiA HR+ needs >= 4 positive nodes, so a BRCA result cannot "
  "make olaparib indicated -> not insufficient_data.",
  {"age": 62, "menopausal_status": "post", "nodes": N1MI, "oncotype_rs": 12, "germline_brca": None},
  {"olaparib": ["not_indicated"], "chemotherapy": ["not_indicated"]}, no_insufficient_data=True)

V("olaparib-gbrca-unknown-hr-pos-five-nodes",
  "HR+ with 5 positive nodes, germline BRCA not recorded: OlympiA HR+ criterion met -> the result decides olaparib "
  "(insufficient data).",
  {"age": 55, "menopausal_status": "post", "tumour": {"size_mm": 28.0}, "nodes": N2_FIVE, "oncotype_rs": None,
   "germline_brca": None},
  {"olaparib": ["insufficient_data"], "chemotherapy": ["recommended"]})

V("olaparib-gbrca1-tnbc-post-kn522-residual",
  "gBRCA1 TNBC after KEYNOTE-522 with residual disease ypT1c ypN0: OlympiA (non-pCR after NAC) -> olaparib; "
  "KEYNOTE-522: pembrolizumab continues to complete 1 year. No further chemotherapy.",
  {"age": 40, **PRE, **_nst(post_nst(15.0, KN522), TNBC), "germline_brca": "brca1"},
  {"olaparib": ["recommended"], "immunotherapy": ["recommended"], "chemotherapy": ["not_indicated"]})

V("olaparib-gbrca1-tnbc-pcr",
  "gBRCA1 TNBC after KEYNOTE-522 with pCR (ypT0 ypN0): OlympiA post-NAC required residual disease -> no olaparib; "
  "no capecitabine (CREATE-X: residual disease only); pembrolizumab completes 1 year (KEYNOTE-522).",
  {"age": 40, **PRE, **_nst(post_nst(0.0, KN522), TNBC), "germline_brca": "brca1"},
  {"olaparib": ["not_indicated"], "capecitabine": ["not_indicated"], "immunotherapy": ["recommended"]})

V("olaparib-pregnant-24w-gbrca-tnbc",
  "Pregnant (24 weeks) gBRCA1 TNBC pT2 N0 after surgery: PARP inhibitors are embryo-fetal toxic (Lynparza label: "
  "contraception required) and were never studied in pregnancy; chemotherapy is possible from week 14 (Amant, "
  "Lancet 2012; ESMO 2023 pregnancy guideline). Olaparib never 'recommended' during pregnancy.",
  {"age": 34, **PRE, "tumour": {"size_mm": 25.0, **TNBC}, "nodes": N0, "oncotype_rs": None,
   "germline_brca": "brca1", "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 24}},
  {"chemotherapy": ["recommended"]}, {"olaparib": ["recommended"]})

# =============================================================== TNBC micro tumours; KEYNOTE-522; CREATE-X

V("tnbc-t1a-n0",
  "NCCN TNBC pT1a N0: no adjuvant chemotherapy (benefit too small at <= 5 mm node-negative); no KEYNOTE-522 or "
  "CREATE-X setting after upfront surgery.",
  {**POST60, "tumour": {"size_mm": 4.0, **TNBC}, "nodes": N0, "oncotype_rs": None},
  {"chemotherapy": ["not_indicated"], "immunotherapy": ["not_indicated"], "capecitabine": ["not_indicated"]},
  no_insufficient_data=True)

V("tnbc-t1a-n1mi",
  "NCCN TNBC pT1a N1mi: 'consider adjuvant chemotherapy' -> discuss (not omitted, not firm).",
  {**POST60, "tumour": {"size_mm": 4.0, **TNBC}, "nodes": N1MI, "oncotype_rs": None},
  {"chemotherapy": ["discuss"]}, no_insufficient_data=True)

V("tnbc-ct1b-cn0-planned-no-kn522",
  "TNBC cT1b cN0 before surgery: KEYNOTE-522 enrolled cT1c N1-2 or cT2-4 N0-2 -> not a pembrolizumab indication.",
  {"age": 52, "menopausal_status": "post", "tumour": {"size_mm": 8.0, **TNBC}, "nodes": NO_NODES_YET,
   "surgery": PLANNED_BCS, "oncotype_rs": None},
  {"immunotherapy": ["not_indicated"]})

V("tnbc-ct1c-cn0-planned-no-kn522",
  "TNBC cT1c cN0 (stage I) before surgery: outside KEYNOTE-522 (cT1c needed N1-2) -> no pembrolizumab; chemotherapy "
  "is recommended for TNBC T1c (NCCN).",
  {"age": 52, "menopausal_status": "post", "tumour": {"size_mm": 16.0, **TNBC}, "nodes": NO_NODES_YET,
   "surgery": PLANNED_BCS, "oncotype_rs": None},
  {"immunotherapy": ["not_indicated"], "chemotherapy": ["recommended"]})

V("tnbc-ct1c-cn1-planned-kn522",
  "TNBC cT1c cN1 (biopsy-proven) before surgery: KEYNOTE-522 population (cT1c N1-2) -> neoadjuvant chemotherapy "
  "with pembrolizumab.",
  {"age": 52, "menopausal_status": "post", "tumour": {"size_mm": 16.0, **TNBC}, "clinical_nodes": "cN1",
   "axillary_ultrasound": "suspicious", "nodes": NO_NODES_YET, "surgery": PLANNED_BCS, "oncotype_rs": None},
  {"immunotherapy": ["recommended"], "chemotherapy": ["recommended"]})

V("tnbc-residual-after-ac-t-create-x",
  "TNBC after neoadjuvant anthracycline-taxane WITHOUT pembrolizumab, residual ypT2 ypN0: CREATE-X (TNBC DFS HR "
  "0.58, OS HR 0.52) -> capecitabine. Adjuvant pembrolizumab alone was not studied after non-pembrolizumab NAC.",
  {"age": 48, **PRE, **_nst(post_nst(22.0, AC_T), TNBC)},
  {"capecitabine": ["recommended"], "immunotherapy": ["not_indicated"], "chemotherapy": ["not_indicated"]})

V("hr-pos-residual-no-capecitabine",
  "HR+/HER2- after neoadjuvant chemotherapy with residual disease: CREATE-X's benefit was in TNBC (HR+ subgroup "
  "DFS HR 0.81, NS); NCCN lists capecitabine for residual TNBC -> not a plain recommendation for HR+.",
  {"age": 50, "menopausal_status": "post", **_nst(post_nst(18.0, AC_T), {**HER2_NEG_ER_POS, "grade": 2})},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  {"capecitabine": ["recommended"]})

# =============================================================== HER2-positive (APT, APHINITY, KATHERINE)

V("her2-t1b-n0-apt",
  "HER2+ ER+ pT1b (8 mm) N0: APT (<= 3 cm, node-negative) -> weekly paclitaxel + trastuzumab (ESMO 2024).",
  {**POST60, "tumour": {**HER2_POS, "size_mm": 8.0}, "nodes": N0, "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "endocrine": ["recommended"]},
  mentions={"her2_therapy": r"paclitaxel"}, no_insufficient_data=True)

V("her2-t1c-n1mi-apt",
  "HER2+ ER- pT1c pN1mi: APT allowed micrometastatic nodes (Bellon BCRT 2019) -> paclitaxel + trastuzumab; no "
  "endocrine therapy (ER-).",
  {**POST60, "tumour": {**HER2_POS, "size_mm": 15.0, "er_percent": 0, "pr_percent": 0}, "nodes": N1MI,
   "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "chemotherapy": ["recommended"], "endocrine": ["not_indicated"]},
  mentions={"her2_therapy": r"paclitaxel"}, no_insufficient_data=True)

V("her2-t2-n1-aphinity",
  "HER2+ pT2 with 2 macrometastatic nodes after upfront surgery: APHINITY node-positive 6-yr iDFS +4.5 points -> "
  "trastuzumab + pertuzumab with chemotherapy.",
  {"age": 55, "menopausal_status": "post", "tumour": {**HER2_POS, "size_mm": 30.0}, "nodes": nodes(n_macro=2),
   "oncotype_rs": None},
  {"her2_therapy": ["recommended"], "chemotherapy": ["recommended"]},
  mentions={"her2_therapy": r"pertuzumab"})

V("her2-residual-katherine",
  "HER2+ after neoadjuvant taxane-carboplatin + trastuzumab + pertuzumab with residual ypT1b ypN0: KATHERINE -> "
  "T-DM1 x 14 cycles (iDFS HR 0.50). HER2+ was excluded from CREATE-X: no capecitabine.",
  {"age": 50, "menopausal_status": "post", **_nst(post_nst(8.0, THP), {**HER2_POS, "er_percent": 0,
                                                                        "pr_percent": 0})},
  {"her2_therapy": ["recommended"], "capecitabine": ["not_indicated"], "chemotherapy": ["not_indicated"]},
  mentions={"her2_therapy": r"T-DM1|emtansine"})

V("her2-pcr-complete-year",
  "HER2+ after neoadjuvant THP with pCR: complete 1 year of HER2-directed therapy (NCCN; ESMO 2024).",
  {"age": 50, "menopausal_status": "post", **_nst(post_nst(0.0, THP), {**HER2_POS, "er_percent": 0,
                                                                        "pr_percent": 0})},
  {"her2_therapy": ["recommended"], "capecitabine": ["not_indicated"], "olaparib": ["not_indicated"]})

# =============================================================== HER2 testing (ASCO/CAP 2023)

V("her2-low-tnbc-like-t1c",
  "ER- PR- HER2 IHC 1+ (HER2-low) pT1c N0: ASCO/CAP 2023 - HER2-low has no adjuvant consequence (trastuzumab "
  "deruxtecan is for metastatic disease) -> treated as TNBC: chemotherapy recommended (NCCN T1c), no HER2 therapy.",
  {**POST60, "tumour": {**TNBC, "size_mm": 15.0, "her2_ihc": "1+"}, "nodes": N0, "oncotype_rs": None},
  {"her2_therapy": ["not_indicated"], "chemotherapy": ["recommended"], "endocrine": ["not_indicated"]},
  no_insufficient_data=True)

V("her2-ultralow-er-pos-n1mi",
  "ER+ HER2-ultralow pT1c pN1mi, RS 10, postmenopausal: ultralow is HER2-negative (ASCO/CAP 2023) -> no HER2 "
  "therapy; no chemotherapy (RS <= 25, > 50).",
  {"age": 62, "menopausal_status": "post", "tumour": {"her2_ihc": "ultralow"}, "nodes": N1MI, "oncotype_rs": 10},
  {"her2_therapy": ["not_indicated"], "chemotherapy": ["not_indicated"]}, no_insufficient_data=True)

V("her2-2plus-ish-group5",
  "HER2 IHC 2+ with ISH ratio 1.4 and 3.0 copies/cell: ISH group 5 -> HER2-negative (ASCO/CAP 2018/2023) -> no "
  "HER2 therapy; nothing missing.",
  {**POST60, "tumour": {"her2_ihc": "2+", "her2_ish_ratio": 1.4, "her2_ish_copies": 3.0}, "nodes": N0,
   "oncotype_rs": 16},
  {"her2_therapy": ["not_indicated"], "chemotherapy": ["not_indicated"]}, no_insufficient_data=True)

V("her2-2plus-ish-group3-positive",
  "HER2 IHC 2+ with ISH ratio 1.7 and 6.5 copies/cell: ISH group 3 with IHC 2+ -> HER2-positive (ASCO/CAP 2018) "
  "-> pT1c N0: paclitaxel + trastuzumab (APT).",
  {**POST60, "tumour": {"her2_ihc": "2+", "her2_ish_ratio": 1.7, "her2_ish_copies": 6.5}, "nodes": N0,
   "oncotype_rs": None},
  {"her2_therapy": ["recommended"]})

V("her2-2plus-ish-missing",
  "HER2 IHC 2+ without ISH: equivocal (ASCO/CAP) -> HER2 therapy cannot be decided: insufficient data naming ISH.",
  {**POST60, "tumour": {"her2_ihc": "2+"}, "nodes": N0, "oncotype_rs": 14},
  {"her2_therapy": ["insufficient_data"]})

# =============================================================== ER-low (ASCO/CAP 2020)

V("er-low-5-percent-t1c-g3",
  "ER 5% (ER-low positive, ASCO/CAP 2020), PR 0, HER2 0, pT1c G3 N0: behaves like TNBC; chemotherapy recommended as "
  "for TNBC T1c (NCCN); the 21-gene RS was validated in ER-positive disease and is not needed here.",
  {"age": 55, "menopausal_status": "post", "tumour": {**TNBC, "size_mm": 16.0, "er_percent": 5}, "nodes": N0,
   "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "her2_therapy": ["not_indicated"]})

# =============================================================== endocrine agent and OFS (SOFT/TEXT; ASCO 2016)

V("pre38-n1-chemo-ofs",
  "Premenopausal 38-year-old, pT2 with 2 macrometastatic nodes, chemotherapy indicated: ASCO 2016 OFS guideline "
  "(stage II-III where chemotherapy is advised -> OFS); SOFT/TEXT: exemestane + OFS. The endocrine recommendation "
  "must name ovarian function suppression.",
  {"age": 38, **PRE, "tumour": {"size_mm": 28.0, "grade": 2}, "nodes": nodes(n_macro=2), "oncotype_rs": None},
  {"endocrine": ["recommended"], "chemotherapy": ["recommended", "discuss"]},
  mentions={"endocrine": r"ovarian|OFS"})

V("pre45-stage1-low-risk-tamoxifen",
  "Premenopausal 45-year-old, pT1b G1 N0, RS 8: ASCO 2016: stage I not needing chemotherapy should not receive "
  "OFS -> tamoxifen 5 years.",
  {"age": 45, **PRE, "tumour": {"size_mm": 8.0, "grade": 1}, "nodes": N0, "oncotype_rs": 8},
  {"endocrine": ["recommended"], "chemotherapy": ["not_indicated"]},
  mentions={"endocrine": r"tamoxifen"}, no_insufficient_data=False)

V("post-n0-aromatase-inhibitor",
  "Postmenopausal ER+: an aromatase inhibitor (EBCTCG 2015 AI vs tamoxifen: recurrence RR ~0.70 in years 0-4).",
  {**POST60, "nodes": N0, "oncotype_rs": 14},
  {"endocrine": ["recommended"]}, mentions={"endocrine": r"aromatase|letrozole|anastrozole|exemestane"})

# =============================================================== men (ASCO male breast cancer 2020)

V("male-n1mi-tamoxifen-no-bisphosphonate",
  "Man, 66, ER+ HER2- pT1c pN1mi, RS 14: ASCO 2020 (Hassett): tamoxifen 5 years first; 'men with early-stage "
  "disease should not be treated with bone-modifying agents to prevent recurrence' -> no adjuvant bisphosphonate "
  "(the EBCTCG benefit is in postmenopausal women). Menopausal status does not apply and cannot be missing. "
  "Chemotherapy: RS 14 -> none (assay use as in women).",
  {"age": 66, "sex": "male", "nodes": N1MI, "oncotype_rs": 14},
  {"endocrine": ["recommended"], "bisphosphonate": ["not_indicated"], "chemotherapy": ["not_indicated"],
   "cdk46_inhibitor": ["not_indicated"]},
  mentions={"endocrine": r"tamoxifen"}, no_insufficient_data=True)

V("male-osteoporosis-bone-agent",
  "Man, 70, ER+ pT1c N0 RS 10, with osteoporosis: ASCO 2020 - no bone-modifying agent to prevent recurrence, but "
  "'could still receive these agents to prevent or treat osteoporosis' -> an adjuvant (anti-recurrence) "
  "bisphosphonate is not recommended; osteoporosis is treated on its own terms.",
  {"age": 70, "sex": "male", "nodes": N0, "oncotype_rs": 10,
   "conditions": {"osteoporosis": True}},
  {"endocrine": ["recommended"]}, {"bisphosphonate": ["recommended"]})

V("male-gbrca2-five-nodes-olaparib",
  "Man, 58, gBRCA2, ER+ HER2- with 5 positive nodes: OlympiA enrolled men and women (HR+ >= 4 nodes) -> olaparib; "
  "monarchE enrolled men (cohort 1) -> abemaciclib; tamoxifen as the endocrine backbone (ASCO 2020).",
  {"age": 58, "sex": "male", "tumour": {"size_mm": 26.0}, "nodes": N2_FIVE, "oncotype_rs": None,
   "germline_brca": "brca2"},
  {"olaparib": ["recommended"], "cdk46_inhibitor": ["recommended"], "endocrine": ["recommended"],
   "bisphosphonate": ["not_indicated"]})

V("male-tnbc-t2-chemo",
  "Man, 62, TNBC pT2 N0 after surgery: ASCO 2020 - chemotherapy indications are the same as in women -> "
  "recommended; no adjuvant bisphosphonate for men.",
  {"age": 62, "sex": "male", "tumour": {"size_mm": 24.0, **TNBC}, "nodes": N0, "oncotype_rs": None},
  {"chemotherapy": ["recommended"], "endocrine": ["not_indicated"], "bisphosphonate": ["not_indicated"]})

# =============================================================== bisphosphonate (EBCTCG 2015; ASCO-OH 2022)

V("bisphosphonate-pre-no-ofs",
  "Premenopausal, no OFS, ER+ pT1c N0 RS 8 on tamoxifen: EBCTCG 2015 - no benefit before menopause -> not "
  "indicated (ASCO-OH 2022: postmenopausal or OFS only).",
  {"age": 42, **PRE, "nodes": N0, "oncotype_rs": 8, "ovarian_function_suppression": "not_planned"},
  {"bisphosphonate": ["not_indicated"]})

V("bisphosphonate-post-n1-her2",
  "Postmenopausal HER2+ with 2 positive nodes: ASCO-OH 2022 - bisphosphonates discussed with every postmenopausal "
  "candidate for adjuvant systemic therapy irrespective of HR and HER2 status.",
  {"age": 64, "menopausal_status": "post", "tumour": {**HER2_POS, "size_mm": 22.0}, "nodes": nodes(n_macro=2),
   "oncotype_rs": None},
  {"bisphosphonate": ["discuss", "recommended"], "her2_therapy": ["recommended"]})

# =============================================================== geriatric (ASCO 2018/2023)

V("fit-76-tnbc-t2-chemo",
  "Fit 76-year-old (ECOG 0, G8 16, CFS 2, Charlson 0), TNBC pT2 N0: ASCO geriatric oncology - age alone is not a "
  "reason to withhold chemotherapy; the geriatric assessment is normal -> chemotherapy as for TNBC pT2 (NCCN).",
  {"age": 76, "menopausal_status": "post", "tumour": {"size_mm": 24.0, **TNBC}, "nodes": N0, "oncotype_rs": None},
  {"chemotherapy": ["recommended", "discuss"]}, {"chemotherapy": ["not_indicated"]})


# =============================================================== written blind, 2026-12-01 (patient-factor audit)
# Men, MammaPrint with an unknown MINDACT clinical risk, capecitabine after KEYNOTE-522, the assay trials' age range,
# and treatments the input forbids. Written from the sources named before micromets was run on them.

_MENOPAUSE_WORDS = r"(?i)\b(pre|post|peri)-?menopausal\b|menopausal status|ovarian"

V("male-n1-rs18-not-rxponder",
  "Man, 62, ER+ HER2- pT1c G2 with one macrometastatic node, RS 18: RxPONDER (Kalinsky NEJM 2021) enrolled women "
  "only and read its answer by menopausal status; the ASCO male breast cancer guideline (Hassett JCO 2020) extends "
  "the 21-gene assay to men with node-negative disease only. For a man with 1-3 macrometastatic nodes a low score "
  "cannot withhold chemotherapy on trial evidence: discuss, not a strong call either way; a man has no menopausal "
  "status and must not be described as pre- or postmenopausal.",
  {"age": 62, "sex": "male", "nodes": N1_ONE, "oncotype_rs": 18},
  {"chemotherapy": ["discuss"], "endocrine": ["recommended"]},
  mentions={"endocrine": r"tamoxifen"}, not_strong=("chemotherapy",),
  never_mentions={"chemotherapy": _MENOPAUSE_WORDS}, no_insufficient_data=True)

V("male-46-n1mi-rs20-no-menopause-rule",
  "Man, 46, ER+ HER2- pT1c pN1mi, RS 20: NCCN puts pN1mi on the pN0 branch and ASCO 2020 (Hassett) allows the "
  "21-gene score in node-negative men. TAILORx's age <= 50 benefit at RS 16-25 (a women-only subgroup, thought to be "
  "partly chemotherapy-induced ovarian suppression) and the premenopausal RxPONDER reading do not apply to a man: "
  "RS <= 25 -> no chemotherapy, with a strength that admits the evidence is extrapolated from women.",
  {"age": 46, "sex": "male", "nodes": N1MI, "oncotype_rs": 20},
  {"chemotherapy": ["not_indicated"], "endocrine": ["recommended"]}, {"chemotherapy": ["recommended"]},
  not_strong=("chemotherapy",), never_mentions={"chemotherapy": _MENOPAUSE_WORDS}, no_insufficient_data=True)

V("male-44-n0-rs18",
  "Man, 44, ER+ HER2- pT1c N0, RS 18: ASCO 2020 (Hassett): the recurrence score may guide chemotherapy in "
  "node-negative men; the TAILORx age <= 50 rule (RS 16-25, women) is not applied to a man -> no chemotherapy, not a "
  "strong call (extrapolated).",
  {"age": 44, "sex": "male", "nodes": N0, "oncotype_rs": 18},
  {"chemotherapy": ["not_indicated"]}, not_strong=("chemotherapy",),
  never_mentions={"chemotherapy": _MENOPAUSE_WORDS}, no_insufficient_data=True)

V("male-n0-rs31",
  "Man, 58, ER+ HER2- pT1c N0, RS 31: node-negative, the recurrence score applies (ASCO 2020, Hassett; TAILORx RS >= "
  "26 -> chemotherapy in women) -> chemotherapy, but not strong: TAILORx enrolled women only.",
  {"age": 58, "sex": "male", "nodes": N0, "oncotype_rs": 31},
  {"chemotherapy": ["recommended"]}, not_strong=("chemotherapy",),
  never_mentions={"chemotherapy": _MENOPAUSE_WORDS}, no_insufficient_data=True)

V("male-n0-mammaprint-low-clinical-high",
  "Man, 60, ER+ HER2- pT2 (25 mm) G2 N0, MammaPrint low: MINDACT (Cardoso NEJM 2016) enrolled women only and the "
  "ASCO 2020 male guideline names the 21-gene score, not MammaPrint, for men: a low MammaPrint cannot omit "
  "chemotherapy on trial evidence for a man -> discuss (never a strong call).",
  {"age": 60, "sex": "male", "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0, "oncotype_rs": None,
   "mammaprint": "low"},
  {"chemotherapy": ["discuss"]}, not_strong=("chemotherapy",),
  never_mentions={"chemotherapy": _MENOPAUSE_WORDS})

V("male-n1-rs-missing",
  "Man, 64, ER+ HER2- pT1c with one macrometastatic node, no recurrence score: RS >= 26 would make chemotherapy "
  "recommended, a lower score leaves it to discussion (RxPONDER enrolled women; ASCO 2020) -> the missing score can "
  "change the answer; the wording must not speak of menopause.",
  {"age": 64, "sex": "male", "nodes": N1_ONE, "oncotype_rs": None},
  {"chemotherapy": ["insufficient_data", "discuss"]}, {"chemotherapy": ["not_indicated"]},
  never_mentions={"chemotherapy": _MENOPAUSE_WORDS})

V("male-natalee-no-menopause-words",
  "Man, 63, ER+ HER2- pT2 (28 mm) G2 Ki-67 15% with two macrometastatic nodes, RS 14: NATALEE enrolled men (stage "
  "II, ribociclib with a nonsteroidal AI and a GnRH agonist) -> a CDK4/6 option naming ribociclib; endocrine therapy "
  "tamoxifen-based (ASCO 2020); a man's texts do not describe him as pre- or postmenopausal.",
  {"age": 63, "sex": "male", "tumour": {"size_mm": 28.0, "grade": 2, "ki67_percent": 15},
   "nodes": nodes(n_macro=2), "oncotype_rs": 14},
  {"endocrine": ["recommended"], "bisphosphonate": ["not_indicated"]},
  mentions={"cdk46_inhibitor": r"ribociclib|NATALEE"},
  never_mentions={"endocrine": r"(?i)\b(pre|post)menopausal\b", "cdk46_inhibitor": r"(?i)\b(pre|post)menopausal\b"})

# MammaPrint with the MINDACT clinical risk partly unknown (Cardoso NEJM 2016: modified Adjuvant! Online, grade and
# size by nodal group; ASCO 2017 focused update, Krop JCO 2017: no utility at low clinical risk). (The 'mentions'
# checks first written here for the insufficient-data rows were dropped: an insufficient decision has no
# recommendation to name the input in; tests/guidelines/test_patient_audit.py checks the named field instead.)

V("mammaprint-high-grade-missing-25mm",
  "MammaPrint high, 25 mm node-negative, grade not recorded, 60 and postmenopausal: grade 1 <= 30 mm is low clinical "
  "risk (no chemotherapy whatever MammaPrint, ASCO 2017), grade 2-3 at 25 mm is high clinical risk (MammaPrint high "
  "-> chemotherapy): the grade decides -> insufficient data naming it.",
  {**POST60, "tumour": {"size_mm": 25.0, "grade": None}, "nodes": N0, "oncotype_rs": None, "mammaprint": "high"},
  {"chemotherapy": ["insufficient_data"]})

V("mammaprint-high-size-missing-g2",
  "MammaPrint high, grade 2 node-negative, invasive size not recorded: <= 20 mm is low clinical risk (no "
  "chemotherapy), > 20 mm high (chemotherapy) -> the size decides: insufficient data.",
  {**POST60, "tumour": {"size_mm": None, "grade": 2}, "nodes": N0, "oncotype_rs": None, "mammaprint": "high"},
  {"chemotherapy": ["insufficient_data"]})

V("mammaprint-low-grade-missing-post",
  "MammaPrint low, 25 mm node-negative, grade not recorded, 58 and postmenopausal: low clinical risk -> no "
  "chemotherapy (ASCO 2017); high clinical risk with genomic low at > 50 -> no chemotherapy (MINDACT) -> the grade "
  "cannot change the answer: decided.",
  {"age": 58, "menopausal_status": "post", "tumour": {"size_mm": 25.0, "grade": None}, "nodes": N0,
   "oncotype_rs": None, "mammaprint": "low"},
  {"chemotherapy": ["not_indicated"]}, no_insufficient_data=False)

V("mammaprint-low-grade-missing-pre45",
  "MammaPrint low, 25 mm node-negative, grade not recorded, 45 and premenopausal: grade 1 (<= 30 mm) is low clinical "
  "risk (no chemotherapy), grade 2-3 high clinical risk where women <= 50 gained about 5 points (MINDACT 8-yr, "
  "Piccart 2021: discuss) -> the grade decides: insufficient data.",
  {"age": 45, **PRE, "tumour": {"size_mm": 25.0, "grade": None}, "nodes": N0, "oncotype_rs": None,
   "mammaprint": "low"},
  {"chemotherapy": ["insufficient_data"]})

V("mammaprint-high-grade-missing-8mm",
  "MammaPrint high, 8 mm node-negative, grade not recorded: every grade is low MINDACT clinical risk at <= 10 mm "
  "(grade 3 <= 10 mm included) -> no chemotherapy whatever the grade (ASCO 2017): decided, not insufficient data.",
  {**POST60, "tumour": {"size_mm": 8.0, "grade": None}, "nodes": N0, "oncotype_rs": None, "mammaprint": "high"},
  {"chemotherapy": ["not_indicated"]})

# Capecitabine after KEYNOTE-522 (CREATE-X, Masuda NEJM 2017, predates pembrolizumab; no trial has tested it added to
# adjuvant pembrolizumab).

V("tnbc-kn522-residual-capecitabine-discuss",
  "TNBC after the KEYNOTE-522 regimen with residual ypT1c ypN0, gBRCA negative: pembrolizumab continues to 1 year "
  "(KEYNOTE-522). CREATE-X enrolled patients after anthracycline/taxane without pembrolizumab; capecitabine added to "
  "adjuvant pembrolizumab has not been tested in a trial -> discuss, naming pembrolizumab/KEYNOTE-522, not a plain "
  "recommendation.",
  {"age": 47, **PRE, **_nst(post_nst(14.0, KN522), TNBC)},
  {"capecitabine": ["discuss"], "immunotherapy": ["recommended"], "olaparib": ["not_indicated"]},
  {"capecitabine": ["recommended"]}, mentions={"capecitabine": r"pembrolizumab|KEYNOTE-522"})

V("tnbc-kn522-residual-node-positive-capecitabine",
  "TNBC after KEYNOTE-522 with residual ypT2 and a residual nodal macrometastasis: higher risk, yet the same gap in "
  "the evidence (CREATE-X predates pembrolizumab) -> capecitabine discussed, not a plain recommendation; "
  "pembrolizumab continues.",
  {"age": 52, "menopausal_status": "post",
   **_nst(post_nst(24.0, KN522, node_state=nodes(n_macro=1, examined=3)), TNBC)},
  {"capecitabine": ["discuss"], "immunotherapy": ["recommended"]}, {"capecitabine": ["recommended"]})

# The assay trials' age range (TAILORx enrolled 18-75; MINDACT 18-70) and the geriatric assessment (ASCO 2018: before
# chemotherapy at >= 65).

V("fit-80-rs30-n0",
  "Fit 80-year-old (ECOG 0, G8 16, CFS 2, Charlson 0), ER+ HER2- pT1c G2 N0, RS 30: RS >= 26 -> chemotherapy in "
  "TAILORx, which enrolled women up to 75; ASCO geriatric oncology 2018 (Mohile): a geriatric assessment before "
  "chemotherapy at >= 65. Beyond the trial's age range: not a strong recommendation, and the geriatric assessment "
  "named; with ECOG recorded, not insufficient data.",
  {"age": 80, "nodes": N0, "oncotype_rs": 30},
  {"chemotherapy": ["recommended", "discuss"], "endocrine": ["recommended"]}, {"chemotherapy": ["not_indicated"]},
  mentions={"chemotherapy": r"geriatric assessment"}, not_strong=("chemotherapy",), no_insufficient_data=True)

V("fit-77-mammaprint-high",
  "Fit 77-year-old, ER+ HER2- pT2 (25 mm) G2 N0, MammaPrint high: high clinical and genomic risk -> chemotherapy in "
  "MINDACT, which enrolled women 18-70 -> outside the trial's age range: not strong, geriatric assessment named "
  "(ASCO geriatric 2018).",
  {"age": 77, "tumour": {"size_mm": 25.0, "grade": 2}, "nodes": N0, "oncotype_rs": None, "mammaprint": "high"},
  {"chemotherapy": ["recommended", "discuss"]}, {"chemotherapy": ["not_indicated"]},
  mentions={"chemotherapy": r"geriatric assessment"}, not_strong=("chemotherapy",), no_insufficient_data=True)

V("fit-70-rs30-n0-in-range",
  "Fit 70-year-old, ER+ HER2- pT1c G2 N0, RS 30: inside TAILORx's age range (18-75) -> chemotherapy recommended "
  "(converse of the 80-year-old: the age-range cap must not reach inside the trial).",
  {"age": 70, "nodes": N0, "oncotype_rs": 30},
  {"chemotherapy": ["recommended"]}, no_insufficient_data=True)

# Treatments the input forbids: never 'recommended'.

V("pregnant-22w-tnbc-residual-no-capecitabine",
  "Pregnant (22 weeks) after neoadjuvant anthracycline-taxane for TNBC, residual ypT2: CREATE-X excluded pregnancy "
  "and capecitabine is embryo-fetal toxic (label) -> capecitabine never 'recommended' during pregnancy.",
  {"age": 33, **PRE, **_nst(post_nst(22.0, AC_T), TNBC),
   "pregnancy": {"status": "pregnant", "trimester": 2, "gestational_age_weeks": 22}},
  {}, {"capecitabine": ["recommended"], "immunotherapy": ["recommended"]})

V("lactating-gbrca-tnbc-olaparib",
  "Lactating, gBRCA1 TNBC pT2 N0 after surgery: the olaparib label advises against breastfeeding during treatment "
  "and for 1 month after - it bars breastfeeding, not the drug (as for chemotherapy during lactation) -> olaparib "
  "recommended or deferred, and the recommendation must say that breastfeeding stops. (First written as 'never "
  "recommended'; corrected after the first run: the label's words are about breastfeeding.)",
  {"age": 35, **PRE, "tumour": {"size_mm": 25.0, **TNBC}, "nodes": N0, "oncotype_rs": None,
   "germline_brca": "brca1", "pregnancy": {"status": "lactating"}},
  {"olaparib": ["recommended", "deferred"]}, {"olaparib": ["not_indicated"]},
  mentions={"olaparib": r"(?i)breastfeed"})

V("declines-capecitabine-residual-tnbc",
  "TNBC after neoadjuvant anthracycline-taxane with residual ypT2, the patient declines capecitabine: a declined "
  "treatment is never 'recommended' (CREATE-X would otherwise apply).",
  {"age": 48, **PRE, **_nst(post_nst(22.0, AC_T), TNBC), "preferences": {"declined": ["capecitabine"]}},
  {"capecitabine": ["declined"]}, {"capecitabine": ["recommended"]})

V("declines-bisphosphonate-post",
  "Postmenopausal ER+ pT1c pN1mi, declines a bone-modifying agent: ASCO-OH 2022 would discuss it; declined -> never "
  "'recommended'.",
  {"preferences": {"declined": ["bisphosphonate"]}},
  {"bisphosphonate": ["declined"]}, {"bisphosphonate": ["recommended"]})

V("frail-ecog3-gbrca-tnbc-olaparib",
  "ECOG 3, CFS 7, gBRCA1 TNBC pT2 N0 after surgery: far outside OlympiA (ECOG 0-1); frail -> olaparib not "
  "recommended, chemotherapy not offered (ASCO geriatric 2018; SIOG/EUSOMA 2021).",
  {"age": 74, "tumour": {"size_mm": 25.0, **TNBC}, "nodes": N0, "oncotype_rs": None, "germline_brca": "brca1",
   "ecog": 3, "clinical_frailty_scale": 7, "g8_score": 9, "charlson_index": 5},
  {}, {"olaparib": ["recommended"], "chemotherapy": ["recommended"]})

V("fit-78-tnbc-residual-capecitabine",
  "Fit 78-year-old after neoadjuvant anthracycline-taxane for TNBC, residual ypT2: CREATE-X enrolled ages 20-74 "
  "(patient-factor reference [U]) -> capecitabine possible but not a strong recommendation beyond that range.",
  {"age": 78, **_nst(post_nst(22.0, AC_T), TNBC)},
  {"capecitabine": ["recommended", "discuss"]}, not_strong=("capecitabine",))


def render() -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS)


def main(argv: list[str]) -> int:
    ids = [row["id"] for row in ROWS]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate vignette ids")
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {len(ROWS)} vignettes to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
