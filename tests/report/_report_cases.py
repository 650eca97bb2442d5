"""Fixtures for the report tests: a complete pN1mi assessment built by hand, and an empty one.

The case is the typical pN1mi patient of clinical-knowledge.md ("Quick reference for pN1mi"): 58 years,
postmenopausal, 18 mm grade 2 ductal, ER 95% / PR 60% / HER2 1+, one sentinel node with a 1.2 mm
deposit on H&E, breast-conserving surgery. The prognosis numbers are PREDICT v3.0 outputs of the
micromets engine for these inputs (nodes entered as 0.5, the web tool's micrometastasis rule).
"""

from __future__ import annotations

from micromets.followup import plan_follow_up
from micromets.model import Case
from micromets.model.assessment import (
    Assessment,
    DepositFinding,
    Findings,
    MissingItem,
    Prognosis,
    Recommendation,
    Staging,
)

CASE = {
    "id": "case-pn1mi-001",
    "age": 58,
    "sex": "female",
    "menopausal_status": "post",
    "detection": "screening",
    "tumour": {"size_mm": 18, "histology": "ductal", "grade": 2, "er_percent": 95, "pr_percent": 60,
               "her2_ihc": "1+", "ki67_percent": 12, "lvi": False},
    "clinical_nodes": "cN0",
    "nodes": {"procedure": "slnb", "examined": 3,
              "deposits": [{"node": 1, "size_mm": 1.2, "method": "he", "extranodal_extension": False}]},
    "metastasis": "cM0",
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01", "margins_mm": 3},
    "comorbidities": ["hypertension <controlled>"],
}

DECISIONS = {
    "sentinel_biopsy": "not_applicable",
    "axillary_surgery": "omit_alnd",
    "chemotherapy": "insufficient_data",
    "endocrine": "recommended",
    "her2_therapy": "not_indicated",
    "whole_breast_rt": "recommended",
    "regional_nodal_irradiation": "not_indicated",
    "boost": "discuss",
}

RECOMMENDATIONS = [
    Recommendation(
        id="surgery.alnd.omit.micromets", domain="surgery", decision="omit_alnd", strength="strong",
        text="Omit completion axillary lymph node dissection.",
        rationale="One sentinel node with a 1.2 mm micrometastasis (pN1mi(sn)), cT1 cN0, breast-conserving surgery.",
        evidence=["IBCSG-23-01", "ACOSOG-Z0011"],
        would_change_if="Macrometastasis, three or more positive sentinel nodes, or gross extranodal extension.",
    ),
    Recommendation(
        id="systemic.endocrine.recommended", domain="systemic", decision="recommended", strength="strong",
        text="Adjuvant endocrine therapy with an aromatase inhibitor for 5 years.",
        rationale="ER 95%, postmenopausal.", evidence=["PREDICT-V3"],
        would_change_if="ER below 1% or a contraindication.",
    ),
]

PROGNOSIS = {
    "model": "PREDICT", "model_version": "3.0", "years": [5, 10, 15],
    "treatments_evaluated": ["endocrine", "chemotherapy"],
    "overall_survival": {"surgery_only": [0.9351, 0.8322, 0.7214], "with_treatments": [0.9552, 0.8803, 0.7906]},
    "breast_cancer_mortality": {"surgery_only": [0.0364, 0.0907, 0.1393], "with_treatments": [0.0161, 0.0413, 0.0653]},
    # other-cause deaths = 1 - OS - breast-cancer deaths (PREDICT specification §2.2, step 7)
    "other_cause_mortality": {"surgery_only": [0.0285, 0.0771, 0.1393], "with_treatments": [0.0287, 0.0784, 0.1441]},
    "assumptions": [
        {"input": "smoker", "value_used": "population average (10% smokers)",
         "note": "Smoking status not given: PREDICT v3.0 uses the average other-cause mortality of a population "
                 "with 10% smokers."},
        {"input": "comorbidities", "value_used": "not used (free text is never interpreted)",
         "note": "Comorbidities are listed only as free text."},
    ],
    "incremental_benefit": [
        {"treatment": "endocrine", "overall_survival_gain": [0.0113, 0.0270, 0.0384]},
        {"treatment": "chemotherapy", "overall_survival_gain": [0.0088, 0.0211, 0.0308]},
    ],
    "curves": {
        "surgery": [0.9944, 0.9837, 0.9696, 0.9531, 0.9351, 0.9158, 0.8958, 0.875, 0.8538, 0.8322, 0.8103,
                    0.7883, 0.7661, 0.7437, 0.7214],
        "endocrine": [0.9951, 0.9862, 0.9747, 0.9613, 0.9464, 0.9305, 0.9136, 0.8961, 0.8779, 0.8592, 0.84,
                      0.8204, 0.8005, 0.7803, 0.7598],
        "chemotherapy": [0.9956, 0.9882, 0.9786, 0.9675, 0.9552, 0.9418, 0.9275, 0.9125, 0.8967, 0.8803,
                         0.8634, 0.8459, 0.8279, 0.8095, 0.7906],
    },
    "non_sentinel_node_probability": {"model": "Observed rate, IBCSG 23-01 ALND arm", "value": 0.13,
                                      "evidence": ["IBCSG-23-01"], "note": "Population rate, not a nomogram"},
}


def build_case() -> Case:
    return Case.model_validate(CASE)


def build_assessment(*, prognosis: bool = True) -> Assessment:
    case = build_case()
    plan = plan_follow_up(case, DECISIONS, RECOMMENDATIONS)
    return Assessment(
        id=case.id,
        micromets_version="0.1.0",
        ruleset_version="micromets-rules-2026.11+0123456789ab",
        findings=Findings(
            deposits=[DepositFinding(node=1, category="micrometastasis",
                                     basis="largest deposit 1.2 mm: > 0.2 mm and <= 2.0 mm (AJCC 8)")],
            positive_nodes=1, micrometastatic_nodes=1, itc_nodes=0, macrometastatic_nodes=0,
            er="positive", pr="positive", her2="low", subtype="hr_pos_her2_neg",
        ),
        staging=Staging(t="pT1c", n="pN1mi(sn)", m="cM0", anatomic_stage="IB",
                        pathological_prognostic_stage="IA", clinical_prognostic_stage="IA",
                        path=["t_size", "anatomic", "prognostic_pathological"]),
        prognosis=Prognosis.model_validate(PROGNOSIS) if prognosis else None,
        decisions=DECISIONS,
        recommendations=RECOMMENDATIONS,
        follow_up=plan.items,
        missing=[MissingItem(field="oncotype_rs", why="decides chemotherapy for HR+/HER2- pN1mi (RxPONDER/TAILORx)"),
                 *plan.missing],
        warnings=[*plan.warnings] + ([] if prognosis else
                                     ["PREDICT not computed: the model is not validated after neoadjuvant therapy"]),
    )


def build_empty_assessment() -> Assessment:
    return Assessment(id=None, micromets_version="0.1.0", ruleset_version="r", findings=Findings(), staging=Staging())
