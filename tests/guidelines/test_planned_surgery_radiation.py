"""Before surgery a clinical cN0 is not a pathological pN0.

PRIME II (Kunkler, NEJM 2023) and LUMINA (Whelan, NEJM 2023) required pN0; only CALGB 9343 (Hughes,
JCO 2013) enrolled clinically node-negative women >= 70. SOUND (Gentilini, JAMA Oncol 2023), which
omitted the sentinel biopsy, gave whole-breast RT, so sentinel-biopsy omission and RT omission are
combined only under CALGB 9343-type criteria.
"""

from __future__ import annotations

from micromets.guidelines import recommend
from micromets.pathology import classify
from micromets.staging import stage

from _cases import make_case

PLANNED = {"surgery": {"breast": "bcs", "status": "planned", "date": "2026-12-10"}, "nodes": {"procedure": "none"},
           "tumour__grade": 1, "tumour__ki67_percent": 5, "tumour__size_mm": 11, "tumour__pr_percent": 80}


def decisions(**changes: object) -> dict[str, str]:
    case = make_case(**{**PLANNED, **changes})
    findings = classify(case).findings
    return recommend(case, findings, stage(case, findings).staging).decisions


def test_lumina_or_prime_ii_age_without_pathological_nodes_keeps_whole_breast_rt() -> None:
    result = decisions(age=66)
    assert result["sentinel_biopsy"] == "omission_possible"
    assert result["whole_breast_rt"] == "recommended"


def test_calgb_9343_age_allows_rt_omission_on_clinical_node_status() -> None:
    assert decisions(age=74)["whole_breast_rt"] == "omission_possible"

