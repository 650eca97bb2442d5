"""Performance status: Karnofsky (KPS) used as ECOG when ECOG is not rated, conflicts, and a missing status.

* The conversion is the comparison the ECOG-ACRIN Cancer Research Group publishes with the ECOG scale (Oken, Am J
  Clin Oncol 1982;5:649): ECOG 0 = KPS 100-90, 1 = 80-70, 2 = 60-50, 3 = 40-30, 4 = 20-10.
* NATALEE and monarchE enrolled ECOG 0-1 (Slamon NEJM 2024; Johnston JCO 2020): no CDK4/6 inhibitor at ECOG >= 2,
  whichever scale it was rated on. Frailty (ECOG >= 3): no chemotherapy (ASCO geriatric 2018; SIOG/EUSOMA 2021).
* A rated ECOG wins over a converted KPS; given both, more than one grade apart is a field-named warning.
* Neither given, and nothing else on fitness: where an unfit grade would change a decision, ECOG is named in
  missing and the decision is taken for a fit patient (from 65 with the geriatric assessment advised, ASCO 2018).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._cases import make_case
from tests.guidelines._helpers import macro, rec, run
from tests.properties._strategies import case_dicts

from micromets.errors import CaseValidationError
from micromets.guidelines._context import Context
from micromets.guidelines.patient import FITNESS_FREE, fitness, heart, karnofsky_to_ecog, no_invasive_disease
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage

MONARCHE = dict(tumour__size_mm=25, tumour__grade=2, oncotype_rs=20,
                nodes__deposits=[macro(i) for i in range(1, 5)], nodes__procedure="slnb_then_alnd", nodes__examined=12)


def test_karnofsky_to_ecog_follows_the_ecog_acrin_comparison() -> None:
    expected = {100: 0, 90: 0, 80: 1, 70: 1, 60: 2, 50: 2, 40: 3, 30: 3, 20: 4, 10: 4}
    assert {kps: karnofsky_to_ecog(kps) for kps in expected} == expected


def test_karnofsky_is_a_multiple_of_ten_between_10_and_100() -> None:
    for bad in (0, 65, 110):
        with pytest.raises(CaseValidationError):
            parse_case({"id": "kps", "karnofsky": bad})


def test_karnofsky_60_is_ecog_2_no_cdk46_inhibitor() -> None:
    result = run(**MONARCHE, karnofsky=60)
    assert result.decisions["cdk46_inhibitor"] == "not_indicated"
    assert "ECOG 2" in rec(result, "cdk46_inhibitor").text
    assert any("karnofsky 60" in w and "ECOG 2" in w for w in result.warnings)


def test_karnofsky_80_is_ecog_1_within_the_trials() -> None:
    assert run(**MONARCHE, karnofsky=80).decisions["cdk46_inhibitor"] == "recommended"
    assert run(**MONARCHE, karnofsky=70).decisions["cdk46_inhibitor"] == "recommended"


def test_karnofsky_30_is_frail_no_chemotherapy() -> None:
    result = run(oncotype_rs=30, karnofsky=30)
    assert result.decisions["chemotherapy"] == "not_indicated"
    assert "Karnofsky 30" in rec(result, "chemotherapy").text


def test_rated_ecog_wins_and_a_conflict_of_more_than_one_grade_is_named() -> None:
    result = run(**MONARCHE, ecog=0, karnofsky=40)
    assert result.decisions["cdk46_inhibitor"] == "recommended"
    assert any("ecog 0" in w and "karnofsky 40" in w and "re-rate" in w for w in result.warnings)
    close = run(**MONARCHE, ecog=1, karnofsky=90)
    assert not any("re-rate" in w for w in close.warnings)


def test_no_performance_status_names_ecog_where_it_would_change_the_decision() -> None:
    unrated = run(age=67, **MONARCHE | {"oncotype_rs": 30})
    for key in ("chemotherapy", "cdk46_inhibitor"):
        assert unrated.decisions[key] == "recommended", key  # taken for a fit patient, as the trials enrolled
    assert any(m.field == "ecog" and not m.decisions and "assess fitness" in m.why for m in unrated.missing)
    assert any(r.id == "diagnostics.geriatric_assessment.order" for r in unrated.recommendations)


def test_no_fitness_measure_at_70_holds_what_fitness_would_change() -> None:
    """ASCO geriatric oncology 2018/2023 and SIOG/EUSOMA 2021: in older patients fitness, not age, decides
    chemotherapy, and monarchE enrolled ECOG 0-1. At 70 with no ECOG, Karnofsky, frailty scale, G8 or life
    expectancy, both decisions wait for it (insufficient_data naming ecog), and endocrine therapy, which no
    performance status changes, is still recommended."""
    unrated = run(age=70, **MONARCHE | {"oncotype_rs": 30})
    for key in ("chemotherapy", "cdk46_inhibitor"):
        assert unrated.decisions[key] == "insufficient_data", key
    ecog = [m for m in unrated.missing if m.field == "ecog"]
    assert ecog and set(ecog[0].decisions) == {"chemotherapy", "cdk46_inhibitor"} and "not presumed" in ecog[0].why
    assert unrated.decisions["endocrine"] == "recommended"
    rated = run(age=70, ecog=0, **MONARCHE | {"oncotype_rs": 30})
    assert rated.decisions["chemotherapy"] == "recommended" and rated.decisions["cdk46_inhibitor"] == "recommended"
    # Any other fitness measure is an assessment: nothing is asked.
    assessed = run(age=70, clinical_frailty_scale=2, **MONARCHE | {"oncotype_rs": 30})
    assert not any(m.field == "ecog" for m in assessed.missing)


def test_no_performance_status_below_65_is_named_without_holding_the_decision() -> None:
    result = run(age=58, **MONARCHE)
    assert result.decisions["cdk46_inhibitor"] == "recommended"
    assert any(m.field == "ecog" and not m.decisions for m in result.missing)


def test_the_case_model_accepts_karnofsky() -> None:
    assert make_case(karnofsky=70).karnofsky == 70


_WORD_ITEMS = ("n", "cn", "t", "grade", "receptors", "age", "menopause", "surgery", "setting", "rs", "stage", "pcr",
               "margins", "lvi", "ki67", "brca")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_dicts(), st.sampled_from([2, 3, 4]))
def test_an_ecog_variant_shares_only_what_does_not_read_the_performance_status(data: dict[str, Any], grade: int) -> None:
    """The fitness rail re-runs decisions for an unfit patient on ``Context.with_ecog``, which shares the rendered
    words, the named facts and the derived values ``FITNESS_FREE`` with the patient's context: each must come out
    the same when derived afresh for the patient with that ECOG, and the fitness derived for the variant must be its
    own."""
    try:
        case = parse_case(data)
    except CaseValidationError:
        return
    findings = classify(case).findings
    staging = stage(case, findings).staging
    patient = Context.of(case, findings, staging)
    for item in _WORD_ITEMS:  # rendered for the patient first, as the decisions before the fitness rail do
        patient.say(item)
    patient.facts()
    fitness(patient)  # derived before the rail too, with the values an unfit variant keeps
    kept = {"heart": heart(patient), "no_invasive": no_invasive_disease(patient)}
    assert set(kept) == set(FITNESS_FREE)
    variant = patient.with_ecog(grade, keep=FITNESS_FREE)
    assert variant.memo == kept  # the patient's fitness is not kept
    fresh = Context.of(case.model_copy(update={"ecog": grade}), findings, staging)
    assert {"heart": heart(fresh), "no_invasive": no_invasive_disease(fresh)} == kept
    assert [variant.say(item) for item in _WORD_ITEMS] == [fresh.say(item) for item in _WORD_ITEMS]
    assert variant.facts() == fresh.facts()
    assert fitness(variant) == fitness(fresh)
    assert variant == fresh  # every field, the plain facts it keeps from the patient's context included
    # The case as model_copy builds it (pydantic's equality compares neither the fields set nor the field order).
    copied, expected = variant.case, fresh.case
    assert type(copied) is type(expected)
    assert list(copied.__dict__.items()) == list(expected.__dict__.items())
    assert copied.model_fields_set == expected.model_fields_set
    assert (copied.__pydantic_extra__, copied.__pydantic_private__) == (expected.__pydantic_extra__,
                                                                          expected.__pydantic_private__)
