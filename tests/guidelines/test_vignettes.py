"""Clear-cut tumour-board vignettes, end to end through ``micromets.assess.assess``.

Expected answers are the mainstream guideline answers (NCCN/ASCO/ESMO and the trials named), written
from the sources before running the engine; only the decisions a tumour board would call clear-cut are
listed for each vignette.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from micromets.assess import assess
from micromets.model import parse_case

BASE: dict[str, Any] = {
    "age": 58, "sex": "female", "menopausal_status": "post", "metastasis": "cM0", "clinical_nodes": "cN0",
    "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "1+", "ki67_percent": 20,
               "lvi": False},
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": []},
    "axillary_ultrasound": "normal",
    "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3},
    "ecog": 0, "lvef_percent": 62, "neoadjuvant": False,
}
MICRO = {"node": 1, "size_mm": 1.4, "method": "he", "extranodal_extension": False}
ITC = {"node": 1, "size_mm": 0.15, "cells": 30, "method": "ihc", "extranodal_extension": False}


def macro(node: int) -> dict[str, Any]:
    return {"node": node, "size_mm": 5.0, "method": "he", "extranodal_extension": False}


def case(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        target = data
        *parents, last = key.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return data


TNBC = {"tumour__er_percent": 0, "tumour__pr_percent": 0, "tumour__her2_ihc": "0"}
HER2 = {"tumour__her2_ihc": "3+"}

VIGNETTES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("IBCSG 23-01: pT1c pN1mi BCS, postmenopausal, RS 12",
     case(nodes__deposits=[MICRO], oncotype_rs=12),
     {"axillary_surgery": "omit_alnd", "chemotherapy": "not_indicated", "endocrine": "recommended",
      "her2_therapy": "not_indicated", "cdk46_inhibitor": "not_indicated", "whole_breast_rt": "recommended",
      "regional_nodal_irradiation": "not_indicated", "post_mastectomy_rt": "not_applicable",
      "immunotherapy": "not_indicated", "capecitabine": "not_indicated", "sentinel_biopsy": "not_applicable"}),
    ("IBCSG 23-01 mastectomy: pT1c pN1mi",
     case(nodes__deposits=[MICRO], oncotype_rs=12, surgery={"breast": "mastectomy", "status": "done"}),
     {"axillary_surgery": "omit_alnd", "post_mastectomy_rt": "not_indicated", "whole_breast_rt": "not_applicable",
      "boost": "not_applicable"}),
    ("ITC only, pT1c pN0(i+)",
     case(nodes__deposits=[ITC], oncotype_rs=10),
     {"axillary_surgery": "none_needed", "regional_nodal_irradiation": "not_indicated",
      "chemotherapy": "not_indicated", "whole_breast_rt": "recommended"}),
    ("Z0011: two macrometastatic SLNs, BCS, postmenopausal, RS 14",
     case(nodes__deposits=[macro(1), macro(2)], oncotype_rs=14),
     {"axillary_surgery": "omit_alnd", "chemotherapy": "not_indicated", "cdk46_inhibitor": "recommended",
      "regional_nodal_irradiation": "recommended", "whole_breast_rt": "recommended", "endocrine": "recommended"}),
    ("AMAROS: one macrometastatic SLN, mastectomy",
     case(nodes__deposits=[macro(1)], oncotype_rs=14, surgery={"breast": "mastectomy", "status": "done"}),
     {"axillary_surgery": "axillary_rt_or_alnd", "whole_breast_rt": "not_applicable"}),
    ("Three macrometastatic SLNs",
     case(nodes__deposits=[macro(1), macro(2), macro(3)], oncotype_rs=14),
     {"axillary_surgery": "alnd", "regional_nodal_irradiation": "recommended"}),
    ("TNBC pT1c pN0",
     case(**TNBC),
     {"chemotherapy": "recommended", "endocrine": "not_indicated", "her2_therapy": "not_indicated",
      "cdk46_inhibitor": "not_indicated", "immunotherapy": "not_indicated", "axillary_surgery": "none_needed"}),
    ("TNBC pT1a pN0",
     case(**TNBC, tumour__size_mm=4),
     {"chemotherapy": "not_indicated", "endocrine": "not_indicated"}),
    ("HER2+ pT1b pN1mi (APT)",
     case(**HER2, tumour__size_mm=9, nodes__deposits=[MICRO]),
     {"chemotherapy": "recommended", "her2_therapy": "recommended", "axillary_surgery": "omit_alnd",
      "cdk46_inhibitor": "not_indicated", "endocrine": "recommended"}),
    ("HER2-negative: no HER2 therapy (HER2 0)",
     case(tumour__her2_ihc="0", oncotype_rs=30),
     {"her2_therapy": "not_indicated", "chemotherapy": "recommended"}),
    ("HR+ four positive nodes after ALND",
     case(nodes={"procedure": "slnb_then_alnd", "examined": 16, "deposits": [macro(i) for i in range(1, 5)]}),
     {"chemotherapy": "recommended", "cdk46_inhibitor": "recommended", "axillary_surgery": "none_needed",
      "regional_nodal_irradiation": "recommended", "bisphosphonate": "recommended"}),
    ("SOUND candidate, planned BCS",
     case(surgery={"breast": "bcs", "status": "planned"}, nodes={"procedure": "none"}, age=64,
          tumour__size_mm=14, tumour__grade=1),
     {"sentinel_biopsy": "omission_possible"}),
    ("Premenopausal cT1c planned BCS: SLNB",
     case(surgery={"breast": "bcs", "status": "planned"}, nodes={"procedure": "none"}, age=42,
          menopausal_status="pre"),
     {"sentinel_biopsy": "recommended"}),
    ("TNBC cT2 cN0 planned: KEYNOTE-522",
     case(**TNBC, tumour__size_mm=28, surgery={"breast": "bcs", "status": "planned"}, nodes={"procedure": "none"}),
     {"immunotherapy": "recommended", "chemotherapy": "recommended"}),
    ("Post-NST HER2+ ypN1mi residual: ALND + T-DM1",
     case(**HER2, neoadjuvant=True, tumour__size_mm=6, nodes__deposits=[MICRO],
          neoadjuvant_therapy={"pre_treatment_size_mm": 32, "pre_treatment_clinical_nodes": "cN1",
                               "nodes_biopsy_proven": True,
                               "agents": ["taxane", "platinum", "trastuzumab", "pertuzumab"]}),
     {"axillary_surgery": "alnd", "her2_therapy": "recommended", "regional_nodal_irradiation": "recommended",
      "capecitabine": "not_indicated", "whole_breast_rt": "recommended"}),
    ("Post-NST TNBC ypN0(i+) residual with pembrolizumab",
     case(**TNBC, neoadjuvant=True, tumour__size_mm=5, nodes__deposits=[ITC],
          neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN0",
                               "agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]}),
     # amended (patient audit 2026-12-01): capecitabine was 'recommended'; after neoadjuvant pembrolizumab it is
     # discussed (CREATE-X predates pembrolizumab; no trial tested capecitabine added to adjuvant pembrolizumab)
     {"axillary_surgery": "alnd", "immunotherapy": "recommended", "capecitabine": "discuss",
      "her2_therapy": "not_indicated"}),
    ("Post-NST TNBC pCR",
     case(**TNBC, neoadjuvant=True, tumour__size_mm=0,
          neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN0",
                               "agents": ["anthracycline", "taxane", "platinum", "pembrolizumab"]}),
     {"axillary_surgery": "none_needed", "capecitabine": "not_indicated", "immunotherapy": "recommended",
      "olaparib": "not_indicated"}),
    ("Age 74 pT1b pN0 G1 ER+ (CALGB 9343)",
     case(age=74, tumour__size_mm=9, tumour__grade=1, oncotype_rs=9),
     {"whole_breast_rt": "omission_possible", "chemotherapy": "not_indicated", "boost": "not_indicated"}),
]


@pytest.mark.parametrize(("name", "data", "expected"), VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_vignette(name: str, data: dict[str, Any], expected: dict[str, str]) -> None:
    decisions = assess(parse_case(data)).decisions
    wrong = {k: (v, decisions[k]) for k, v in expected.items() if decisions[k] != v}
    assert not wrong, f"{name}: expected vs got {wrong}"


def test_assessment_recommendations_cite_registry_ids_and_match_decisions() -> None:
    from micromets.guidelines import decision_key
    from micromets.knowledge.evidence import evidence_registry

    for _, data, _ in VIGNETTES:
        a = assess(parse_case(data))
        for r in a.recommendations:
            assert all(e in evidence_registry() for e in r.evidence)
            key = decision_key(r.id)
            if key:
                assert a.decisions[key] == r.decision
