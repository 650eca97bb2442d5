"""From a case to PREDICT: the web tool's coding of nodes (0.5 for one micrometastatic node,
predict-v21-main adapters/predict2.cljs nodes-v2) and Ki-67 ("Positive means more than 10%",
predict-v21-main layout/input_panels.cljs), when the model does not apply, and which treatments
are evaluated."""

from __future__ import annotations

from typing import Any

import pytest

from micromets.pathology import classify
from micromets.prognosis.case_adapter import choose_treatments, code_case, indication_warnings, run_prognosis

from _cases import make_case

MICRO = {"size_mm": 1.0, "method": "he"}
MACRO = {"size_mm": 5.0, "method": "he"}
ITC = {"size_mm": 0.1, "method": "ihc"}


def coded(**changes: Any) -> Any:
    case = make_case(**changes)
    return code_case(case, classify(case).findings)


@pytest.mark.parametrize(
    ("deposits", "nodes"),
    [
        ([], 0.0),
        ([{"node": 1, **ITC}], 0.0),  # ITC-only nodes are not positive nodes
        ([{"node": 1, **MICRO}], 0.5),  # a single micrometastatic node is entered as 0.5
        ([{"node": 1, **MICRO}, {"node": 2, **MICRO}], 2.0),  # two or more: the count, as the web tool does
        ([{"node": 1, **MACRO}], 1.0),
        ([{"node": 1, **MACRO}, {"node": 2, **MICRO}], 2.0),
    ],
)
def test_node_coding(deposits: list[dict[str, Any]], nodes: float) -> None:
    assert coded(nodes__deposits=deposits).values["nodes"] == nodes


def test_ki67_positive_means_more_than_10_percent() -> None:
    assert coded(tumour__ki67_percent=10).values["ki67"] == 0.0
    assert coded(tumour__ki67_percent=10.5).values["ki67"] == 1.0


def test_unknowns_use_the_models_coding_with_a_warning() -> None:
    result = coded(tumour__grade=None, detection=None, tumour__ki67_percent=None)
    assert result.ready
    assert any("grade" in w and "unknown" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"neoadjuvant": True, "neoadjuvant_therapy": {"pre_treatment_size_mm": 30}}, "not validated after neoadjuvant"),
        ({"metastasis": "cM1"}, "M1"),
        ({"surgery__status": "planned", "nodes": {"procedure": "none"}}, "after surgery"),
        ({"tumour__in_situ_only": True, "tumour__size_mm": 0}, "invasive"),
    ],
)
def test_model_not_applied_outside_its_population(changes: dict[str, Any], phrase: str) -> None:
    case = make_case(**changes)
    prognosis, missing, warnings = run_prognosis(case, classify(case).findings, {}, "3.0")
    assert prognosis is None and not missing
    assert any(phrase in w for w in warnings)


def test_missing_inputs_are_named() -> None:
    case = make_case(age=None, tumour__er_percent=None)
    prognosis, missing, _ = run_prognosis(case, classify(case).findings, {}, "3.0")
    assert prognosis is None
    assert {m.field for m in missing} >= {"age", "tumour.er_percent"}


def test_given_treatments_are_evaluated_as_given() -> None:
    case = make_case(treatments={"endocrine": True, "endocrine_years": 10, "chemotherapy": "second_gen",
                                 "radiotherapy": True, "heart_dose_gy": 1.5})
    choice = choose_treatments(case, {"chemotherapy": "not_indicated"})
    assert (choice.endocrine, choice.endocrine_years, choice.chemotherapy_generation, choice.radiotherapy) == (True, 10, 2, True)
    prognosis, _, warnings = run_prognosis(case, classify(case).findings, {}, "2.2")
    assert prognosis is not None and "radiotherapy" not in prognosis.treatments_evaluated
    assert any("radiotherapy is not a term of PREDICT v2.2" in w for w in warnings)


def test_without_treatments_the_recommended_options_are_evaluated() -> None:
    case = make_case()
    decisions = {"endocrine": "recommended", "chemotherapy": "discuss", "her2_therapy": "not_indicated",
                 "bisphosphonate": "not_indicated", "whole_breast_rt": "recommended"}
    choice = choose_treatments(case, decisions)
    assert (choice.endocrine, choice.chemotherapy_generation, choice.trastuzumab, choice.radiotherapy) == (True, 3, False, True)
    assert choice.source == "recommendations"


def test_out_of_indication_treatments_are_warned_about() -> None:
    case = make_case(menopausal_status="pre", treatments={"trastuzumab": True, "bisphosphonate": True})
    findings = classify(case).findings
    warnings = indication_warnings(case, findings, choose_treatments(case, {}), "3.0")
    assert any("not HER2-positive" in w for w in warnings)
    assert any("before menopause" in w for w in warnings)


@pytest.mark.parametrize("version", ["2.2", "3.0"])
def test_prognosis_output_follows_the_contract(version: str) -> None:
    case = make_case(nodes__deposits=[{"node": 1, **MICRO}],
                     treatments={"endocrine": True, "chemotherapy": "third_gen", "bisphosphonate": True})
    prognosis, _, _ = run_prognosis(case, classify(case).findings, {}, version)
    assert prognosis is not None
    assert prognosis.model_version == version and prognosis.years == [5, 10, 15]
    for series in (prognosis.overall_survival, prognosis.breast_cancer_mortality):
        for values in (series.surgery_only, series.with_treatments):
            assert len(values) == 3 and all(0 <= v <= 1 for v in values)
    gained = [sum(b.overall_survival_gain[i] for b in prognosis.incremental_benefit) for i in range(3)]
    for i in range(3):
        os = prognosis.overall_survival
        assert gained[i] == pytest.approx(os.with_treatments[i] - os.surgery_only[i], abs=1e-9)
    assert [b.treatment for b in prognosis.incremental_benefit] == prognosis.treatments_evaluated
    assert len(prognosis.curves) == len(prognosis.treatments_evaluated) + 1
    assert prognosis.non_sentinel_node_probability is not None
    assert prognosis.non_sentinel_node_probability.value is None  # no nomogram is applied
