"""Competing risks and no silent defaults in the prognosis.

Sources: the PREDICT specification (/work/shared/reference/predict-model.md §2.2 steps 4-7: cumulative
other-cause deaths D_oth, OS = 1 - D_br - D_oth; §3/§4: the 2 Gy mean heart dose, the population smoking
mix, unknown grade 2.13 and detection 0.204); the thresholds of the screening tools as published: G8 <= 14
abnormal (Bellera, Ann Oncol 2012), Clinical Frailty Scale >= 5 frail (Rockwood, CMAJ 2005), ECOG 2 (Oken,
Am J Clin Oncol 1982), Charlson index >= 1 (Charlson 1987; Land, Br J Cancer 2012). No published
cause-specific coefficient lets PREDICT's other-cause term be adjusted for comorbidity (Land 2012 gives
other-cause HRs against women without comorbidity, not re-centrable on PREDICT's population; de Boer
2019 gives subdistribution HRs), so the figures must not change with comorbidity: only a warning.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from _predict_reference import ORDER, Patient, Tx, base_oth, other_index, reference

from micromets.assess import assess
from micromets.prognosis import PredictInputs, Treatments
from micromets.prognosis.assumptions import median_survival_years
from micromets.prognosis.predict import get_model

from _cases import make_case

ELDERLY = {"age": 82, "detection": "symptomatic", "tumour__size_mm": 12.0, "tumour__grade": 1}


def _fractions(values: list[float]) -> list[float]:
    return [round(v, 8) for v in values]


@pytest.mark.parametrize("version", ["2.2", "3.0"])
@pytest.mark.parametrize("age", [45, 68, 84])
def test_other_cause_deaths_match_the_independent_reference(version: str, age: int) -> None:
    # BASE_CASE: 18 mm, grade 2, ER+ PR+ HER2 1+, Ki-67 12 % (positive: > 10 %), screen-detected, N0
    case = make_case(age=age, treatments={"endocrine": True, "chemotherapy": "third_gen", "heart_dose_gy": 1.5},
                     smoker=False)
    p = assess(case, prognosis_version=version).prognosis
    assert p is not None and p.other_cause_mortality is not None
    patient = Patient(age=age, size=18, nodes=0, grade=2, screen=1, er=1, her2=0, ki67=1, pr=1, smoker=0,
                      heart_gy=1.5)
    tx = Tx(endocrine=True, chemo=3)
    columns = ("surgery", *[c for c in ORDER[version] if c in ("endocrine", "chemotherapy")])
    ref = reference(patient, tx, version, columns)["oth"]
    assert _fractions(p.other_cause_mortality.surgery_only) == pytest.approx([ref[0][y - 1] for y in p.years], abs=1e-8)
    assert _fractions(p.other_cause_mortality.with_treatments) == pytest.approx([ref[-1][y - 1] for y in p.years],
                                                                               abs=1e-8)


@pytest.mark.parametrize("version", ["2.2", "3.0", "3.2"])
def test_breast_and_other_deaths_and_survivors_add_up_to_everyone(version: str) -> None:
    p = assess(make_case(**ELDERLY), prognosis_version=version).prognosis
    assert p is not None and p.other_cause_mortality is not None
    for arm in ("surgery_only", "with_treatments"):
        for os_, br, oth in zip(getattr(p.overall_survival, arm), getattr(p.breast_cancer_mortality, arm),
                                getattr(p.other_cause_mortality, arm), strict=True):
            assert os_ + br + oth == pytest.approx(1.0, abs=1e-9)


def test_in_an_elderly_patient_other_causes_dominate() -> None:
    # 82 years, 12 mm grade 1 ER+ N0: PREDICT's own figures put other-cause deaths far above breast-cancer deaths
    p = assess(make_case(**ELDERLY)).prognosis
    assert p is not None and p.other_cause_mortality is not None
    assert p.other_cause_mortality.surgery_only[-1] > 5 * p.breast_cancer_mortality.surgery_only[-1]


def test_net_other_cause_survival_is_the_models_formula() -> None:
    # spec §2: S_oth(t) = exp(-exp(MI) G0(t)); v2.2 MI from age only
    x = PredictInputs.build(age=[70], size_mm=[10], nodes=[0], grade=[1], screen_detected=[1], er=[1])
    got = get_model("2.2").surgery_other_survival(x, Treatments())[0]
    patient = Patient(age=70, size=10, nodes=0, grade=1, screen=1, er=1, her2=math.nan, ki67=math.nan)
    mi = other_index(patient, Tx(), "2.2")
    assert got.tolist() == pytest.approx([math.exp(-math.exp(mi) * base_oth(t)) for t in range(1, 16)], rel=1e-12)


def test_median_survival_interpolates_between_years() -> None:
    assert median_survival_years([0.8, 0.6, 0.4]) == 2.5
    assert median_survival_years([0.5]) == 1.0
    assert median_survival_years([0.9] * 15) is None


def _assumption(case: Any, field: str, version: str = "3.2") -> Any:
    p = assess(case, prognosis_version=version).prognosis
    assert p is not None
    found = [a for a in p.assumptions if a.input == field]
    return found[0] if found else None


@pytest.mark.parametrize("version", ["3.0", "3.2"])
def test_heart_dose_assumed_only_when_radiotherapy_is_evaluated_without_a_dose(version: str) -> None:
    with_rt = make_case(treatments={"radiotherapy": True, "endocrine": True})
    shown = _assumption(with_rt, "treatments.heart_dose_gy", version)
    assert shown is not None and shown.value_used.startswith("2 Gy")
    assert _assumption(make_case(treatments={"radiotherapy": True, "heart_dose_gy": 0.8}),
                       "treatments.heart_dose_gy", version) is None
    assert _assumption(make_case(treatments={"endocrine": True}), "treatments.heart_dose_gy", version) is None


def test_v22_has_no_heart_dose_or_smoking_assumption() -> None:
    # v2.2 has neither a radiotherapy nor a smoking term (spec §2): nothing is assumed for them
    case = make_case(treatments={"radiotherapy": True, "endocrine": True})
    assert _assumption(case, "treatments.heart_dose_gy", "2.2") is None
    assert _assumption(case, "smoker", "2.2") is None


def test_unknown_grade_and_detection_show_the_models_values() -> None:
    case = make_case(tumour__grade=None, detection=None, smoker=False)
    assert _assumption(case, "tumour.grade").value_used.startswith("2.13")
    assert _assumption(case, "detection").value_used.startswith("0.204")
    assert _assumption(case, "smoker") is None
    assert _assumption(make_case(), "smoker").value_used.startswith("population average (10% smokers)")


def test_er_negative_unknown_detection_is_no_assumption_in_v22() -> None:
    # v2.2 ER-negative model has no detection term (spec §2)
    case = make_case(detection=None, tumour__er_percent=0, tumour__pr_percent=0)
    assert _assumption(case, "detection", "2.2") is None
    assert _assumption(case, "detection", "3.2") is not None


def test_treatments_taken_from_the_recommendations_are_named() -> None:
    shown = _assumption(make_case(), "treatments")
    assert shown is not None and "recommendations" in shown.note
    assert _assumption(make_case(treatments={"endocrine": True}), "treatments") is None
    years = _assumption(make_case(treatments={"endocrine": True}), "treatments.endocrine_years")
    assert years is not None and years.value_used == "5 years"


FIT = {"charlson_index": 0, "ecog": 0, "g8_score": 16, "clinical_frailty_scale": 2}


@pytest.mark.parametrize(("changes", "field"), [
    ({"charlson_index": 1}, "charlson_index"),
    ({"ecog": 2}, "ecog"),
    ({"g8_score": 14}, "g8_score"),
    ({"clinical_frailty_scale": 5}, "clinical_frailty_scale"),
    ({"conditions": {"heart_failure": True}}, "conditions.heart_failure"),
    ({"conditions": {"egfr_ml_min": 45}}, "conditions.egfr_ml_min"),
    ({"conditions": {"autoimmune_disease": "inactive"}}, "conditions.autoimmune_disease"),
])
def test_comorbidity_or_frailty_warns_that_predict_overstates_life_expectancy(changes: dict[str, Any],
                                                                             field: str) -> None:
    a = assess(make_case(**{**ELDERLY, **FIT, **changes}))
    assert a.prognosis is not None
    caveat = [x for x in a.prognosis.assumptions if field in x.input.split(", ")]
    assert len(caveat) == 1 and "overstates" in caveat[0].note
    assert caveat[0].note in a.warnings


def test_a_fit_patient_gets_no_other_cause_caveat() -> None:
    a = assess(make_case(**ELDERLY, **FIT, conditions={"thrombophilia": True, "egfr_ml_min": 75}))
    assert a.prognosis is not None
    assert not any("overstates" in x.note for x in a.prognosis.assumptions)
    assert not any("overstates" in w for w in a.warnings)


def test_comorbidity_does_not_change_the_figures() -> None:
    # no traceable coefficient: the other-cause figures are PREDICT's, unadjusted
    plain = assess(make_case(**ELDERLY)).prognosis
    frail = assess(make_case(**ELDERLY, charlson_index=4, ecog=3, clinical_frailty_scale=7)).prognosis
    assert plain is not None and frail is not None
    assert plain.other_cause_mortality == frail.other_cause_mortality
    assert plain.overall_survival == frail.overall_survival


def test_a_shorter_team_life_expectancy_is_compared_with_predicts() -> None:
    a = assess(make_case(**ELDERLY, life_expectancy_years=3))
    assert a.prognosis is not None
    shown = [x for x in a.prognosis.assumptions if x.input == "life_expectancy_years"]
    assert len(shown) == 1 and "shorter than PREDICT" in shown[0].note and shown[0].note in a.warnings
    # a 45-year-old with 30 years expected: PREDICT's 15-year horizon cannot contradict it
    young = assess(make_case(age=45, life_expectancy_years=30))
    assert young.prognosis is not None
    assert not any(x.input == "life_expectancy_years" for x in young.prognosis.assumptions)


def test_free_text_comorbidities_are_shown_as_not_used_but_not_parsed() -> None:
    a = assess(make_case(comorbidities=["heart failure NYHA III"]))
    assert a.prognosis is not None
    shown = [x for x in a.prognosis.assumptions if x.input == "comorbidities"]
    assert len(shown) == 1 and "never interpreted" in shown[0].value_used
    assert not any("overstates" in w for w in a.warnings)  # the text is not read as heart failure
