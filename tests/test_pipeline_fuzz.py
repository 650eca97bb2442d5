"""Fuzzing the whole pipeline with generated valid cases: every valid case gets a complete, consistent
assessment (never an exception), and every renderer copes with it."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micromets import assess, parse_case
from micromets.errors import CaseValidationError
from micromets.knowledge.evidence import unknown_evidence_ids
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA
from micromets.report.text import render_text

# 250 in CI; a longer hunt: MICROMETS_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_pipeline_fuzz.py
FUZZ_EXAMPLES = int(os.environ.get("MICROMETS_FUZZ_EXAMPLES", "250"))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


deposit = st.fixed_dictionaries(
    {"node": st.integers(1, 6), "method": st.sampled_from(["he", "ihc"]), "size_mm": st.floats(0.05, 12)},
    optional={"cells": st.integers(1, 5000), "extranodal_extension": st.booleans(), "contiguous": st.booleans()},
) | st.fixed_dictionaries({"node": st.integers(1, 6), "method": st.just("osna"),
                           "osna_copies_per_ul": st.floats(100, 200_000)}) | \
    st.fixed_dictionaries({"node": st.integers(1, 6), "method": st.just("rt_pcr")})

tumour = st.fixed_dictionaries({}, optional={
    "size_mm": st.floats(0, 120), "t_extension": st.sampled_from(["none", "chest_wall", "skin", "inflammatory"]),
    "histology": st.sampled_from(["ductal", "lobular", "mixed", "other"]), "grade": st.integers(1, 3),
    "er_percent": st.sampled_from([0, 0.5, 1, 5, 10, 11, 90]), "pr_percent": st.sampled_from([0, 1, 40]),
    "her2_ihc": st.sampled_from(["0", "ultralow", "1+", "2+", "3+"]), "her2_ish_ratio": st.floats(0.5, 8),
    "her2_ish_copies": st.floats(1, 20), "ki67_percent": st.floats(0, 100), "lvi": st.booleans(),
})

case_dict = st.fixed_dictionaries({"id": st.just("fuzz")}, optional={
    "age": st.integers(18, 110),
    "sex": st.sampled_from(["female", "male"]),
    "menopausal_status": st.sampled_from(["pre", "peri", "post"]),
    "detection": st.sampled_from(["screening", "symptomatic"]),
    "tumour": tumour,
    "clinical_nodes": st.sampled_from(["cN0", "cN1", "cN1mi", "cN2a", "cN2b", "cN3a", "cN3b", "cN3c", "cNX"]),
    "nodes": st.fixed_dictionaries({"procedure": st.sampled_from(["slnb", "alnd", "slnb_then_alnd"]),
                                    "examined": st.integers(6, 20), "deposits": st.lists(deposit, max_size=6)},
                                   optional={"internal_mammary": st.sampled_from(
                                       ["none", "sentinel_microscopic", "clinically_detected"]),
                                       "supraclavicular": st.booleans(), "infraclavicular": st.booleans()}),
    "metastasis": st.sampled_from(["cM0", "cM0(i+)", "cM1", "pM1"]),
    "neoadjuvant": st.booleans(),
    "axillary_ultrasound": st.sampled_from(["normal", "suspicious", "not_done"]),
    "surgery": st.fixed_dictionaries({}, optional={
        "breast": st.sampled_from(["bcs", "mastectomy", "none"]), "status": st.sampled_from(["done", "planned"]),
        "date": st.sampled_from(["2026-01-15", "2026-10-01"]), "margins_mm": st.floats(0, 10)}),
    "oncotype_rs": maybe(st.integers(0, 60)),
    "mammaprint": st.sampled_from(["low", "high", "ultralow"]),
    "germline_brca": st.sampled_from(["brca1", "brca2", "negative"]),
    "charlson_index": st.integers(0, 8), "ecog": st.integers(0, 4), "lvef_percent": st.integers(30, 75),
    "smoker": st.booleans(),
    "treatments": st.fixed_dictionaries({}, optional={
        "endocrine": st.booleans(), "chemotherapy": st.sampled_from(["none", "second_gen", "third_gen"]),
        "trastuzumab": st.booleans(), "bisphosphonate": st.booleans(), "radiotherapy": st.booleans(),
        "heart_dose_gy": st.floats(0, 10)}),
})


@settings(max_examples=FUZZ_EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case_dict, st.sampled_from(["2.2", "3.0", "3.2"]))
def test_every_valid_case_gets_a_complete_consistent_assessment(data: dict[str, Any], version: str) -> None:
    try:
        case = parse_case(data)
    except CaseValidationError:
        return  # generated contradictions (e.g. in situ with a size) are rejected with field names, tested elsewhere
    assessment = assess(case, prognosis_version=version)
    assert set(assessment.decisions) == set(DECISION_VALUES)
    for key, value in assessment.decisions.items():
        assert value in (*DECISION_VALUES[key], INSUFFICIENT_DATA, DECLINED, DEFERRED)  # contract v1 + issue 8
    if INSUFFICIENT_DATA in assessment.decisions.values():
        assert assessment.missing, "insufficient_data needs a missing entry naming the field"
    cited = {e for r in assessment.recommendations for e in r.evidence}
    cited |= {e for item in assessment.follow_up for e in item.evidence}
    assert unknown_evidence_ids(cited) == []
    if assessment.prognosis is not None:
        assert assessment.prognosis.model_version == version
        for series in (assessment.prognosis.overall_survival.surgery_only,
                       assessment.prognosis.overall_survival.with_treatments):
            assert all(0.0 <= v <= 1.0 for v in series)
    assert render_text(assessment)
    assert assessment == assess(case, prognosis_version=version)  # deterministic
