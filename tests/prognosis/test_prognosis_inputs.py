"""Boundary validation, the micrometastasis node rule and the knowledge files."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import numpy as np
import pytest

from micromets.prognosis import (
    LATEST_VERSION,
    PredictInputs,
    Treatments,
    available_versions,
    micrometastasis_node_count,
    non_sentinel_information,
    predict,
)
from micromets.prognosis._coefficients import load_coefficients

GOOD: dict[str, Any] = dict(
    age=[50.0], size_mm=[20.0], nodes=[0.5], grade=[2.0], screen_detected=[0.0], er=[1.0]
)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("size_mm", [0.0], "size_mm must be > 0"),
        ("age", [0.0], "age must be > 0"),
        ("age", [np.nan], "age must be finite"),
        ("nodes", [-1.0], "nodes must be >= 0"),
        ("grade", [4.0], "grade must be one of"),
        ("er", [np.nan], "er must be one of"),
        ("screen_detected", [2.0], "screen_detected must be one of"),
        ("her2", [9.0], "her2 must be one of"),
        ("heart_dose_gy", [-1.0], "heart_dose_gy must be >= 0"),
        ("nodes", [1.0, 2.0], "nodes has length 2, expected 1"),
        ("age", [[50.0]], "age must be a 1-D array"),
    ],
)
def test_invalid_inputs_name_the_field(field: str, value: Any, message: str) -> None:
    kwargs = dict(GOOD, **{field: value})
    with pytest.raises(ValueError, match=message):
        PredictInputs.build(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"endocrine_years": 7}, "endocrine_years must be one of"),
        ({"chemotherapy_generation": 1}, "chemotherapy_generation must be one of"),
        ({"trastuzumab": [True, False]}, "trastuzumab must be a scalar or a 1-D array of length 1"),
        ({"bisphosphonate": 2}, "bisphosphonate must be one of"),
    ],
)
def test_invalid_treatments_name_the_field(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        predict(PredictInputs.build(**GOOD), Treatments(**kwargs))


def test_unknown_version() -> None:
    with pytest.raises(ValueError, match="unknown PREDICT version"):
        predict(PredictInputs.build(**GOOD), version="9.9")
    assert available_versions() == ("2.2", "3.0", "3.2")
    assert LATEST_VERSION in available_versions()


def test_empty_batch() -> None:
    empty = {k: [] for k in GOOD}
    r = predict(PredictInputs.build(**empty), Treatments(endocrine=True))
    assert r.overall_survival.shape == (0, 1, 15)  # nobody is treated, so only surgery
    assert r.warnings == []


def test_micrometastasis_node_count_rule() -> None:
    """predict2.cljs nodes-v2: exactly one node with micromets only -> 0.5, otherwise unchanged."""
    assert micrometastasis_node_count(1, micrometastatic_only=True) == 0.5
    assert micrometastasis_node_count(1, micrometastatic_only=False) == 1.0
    assert micrometastasis_node_count(2, micrometastatic_only=True) == 2.0
    assert micrometastasis_node_count(0, micrometastatic_only=False) == 0.0
    for bad in (-1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="positive_nodes"):
            micrometastasis_node_count(bad, micrometastatic_only=True)


@pytest.mark.parametrize("version", ["2.2", "3.0"])
def test_coefficient_file_header_and_spec_values(version: str) -> None:
    f = load_coefficients(version)
    assert f.model == "PREDICT Breast" and f.version == version
    assert f.source[0] == "WintonCentre/predict-v30-r" and len(f.source[1]) == 40
    c = f.coefficients
    # a few values typed from the specification (predict-model.md §2.1 / §3)
    assert c.treatment_log_hr.endocrine == -0.3857
    assert c.treatment_log_hr.extended_endocrine_addon == -0.26
    assert c.treatment_log_hr.chemotherapy_generation_3 == -0.446
    assert c.her2.positive == 0.2413 and c.unknown_grade_value == 2.13
    assert (c.radiotherapy is None) == (version == "2.2")
    if version == "3.0":
        assert c.radiotherapy is not None and c.radiotherapy.other_relative_hazard_per_gy == 1.04
        assert c.chemotherapy_other_relative_hazard == 1.2


def _evidence() -> dict[str, Any]:
    text = resources.files("micromets").joinpath("knowledge", "evidence", "prognosis.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def test_evidence_registry_format() -> None:
    data = _evidence()
    assert data["domain"] == "prognosis"
    ids = [r["id"] for r in data["records"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == {
        "IBCSG-23-01",
        "AATRM-048",
        "ACOSOG-Z0011",
        "CSERNI-2004",
        "VANDEURZEN-2008",
        "ALRAN-2007",
        "VANZEE-2003",
        "MOO-2018",
        "PREDICT-V2",
        "PREDICT-V3",
    }
    kinds = {"trial", "guideline", "meta_analysis", "model", "paper", "consensus"}
    for r in data["records"]:
        assert set(r) == {"id", "kind", "title", "citation", "year", "key_figure", "url", "verification"}
        assert r["kind"] in kinds and r["verification"] in {"V", "M", "U"}
        assert isinstance(r["year"], int)


@pytest.mark.parametrize(
    ("category", "expected_rates"),
    [
        ("itc", {0.123}),  # van Deurzen, JNCI 2008 (abstract): pooled 12.3%
        ("micrometastasis", {0.13, 0.20}),
        ("macrometastasis", {0.27}),
        ("neoadjuvant_residual_itc", {0.17}),
        ("neoadjuvant_residual_micrometastasis", {0.64}),
    ],
)
def test_non_sentinel_rates_are_the_cited_trial_figures(category: str, expected_rates: set[float]) -> None:
    info = non_sentinel_information(category)
    assert {r.rate for r in info.rates} == expected_rates
    assert info.nomogram_applied is False
    assert "0.538" in info.statement and "No patient-specific" in info.statement
    known = {r["id"] for r in _evidence()["records"]}
    assert set(info.evidence_ids) <= known
    assert {"VANZEE-2003", "ALRAN-2007"} <= set(info.evidence_ids)
    if category.startswith("neoadjuvant"):
        assert all(r.uncertain for r in info.rates)


def test_non_sentinel_micrometastasis_sources() -> None:
    ids = [r.evidence_id for r in non_sentinel_information("micrometastasis").rates]
    assert ids == ["IBCSG-23-01", "AATRM-048", "CSERNI-2004"]
    with pytest.raises(ValueError, match="category must be one of"):
        non_sentinel_information("macro")


def test_evidence_resolves_in_the_shared_registry() -> None:
    from micromets.knowledge.evidence import unknown_evidence_ids

    cited = {
        i
        for c in ("itc", "micrometastasis", "macrometastasis")
        for i in non_sentinel_information(c).evidence_ids
    }
    assert unknown_evidence_ids(cited | {"PREDICT-V2", "PREDICT-V3"}) == []
