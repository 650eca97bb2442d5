"""A patient input the assessment names as missing never sits beside a 'recommended' it could change.

The product rules: a treatment the input forbids is never 'recommended'; insufficient_data only when the missing input
could change the answer; never a silent default. docs/case-format.md: the patient inputs are optional and an absent
one is "not recorded" (not asked of every patient); where the assessment does name one in ``missing``, it has said
the input matters, so a 'recommended' that some value of it would turn into anything else must be insufficient_data,
unless the rule is a documented "recommend and verify" (the input is a test the treatment's own label or guideline
makes part of starting it), listed in ``VERIFY`` with its source and in docs/safety/patient-contraindications.md.

Base records: the packaged examples, every vignette (tests/vignettes/**/*.jsonl) and drawn cases
(tests/guidelines/_materiality.base_cases, the helpers of the wide materiality sweep). For every patient input F
(fitness, LVEF, germline BRCA, pregnancy, sex and every ``conditions`` field) that the record leaves out and the
assessment names in ``missing``, and every decision that comes out 'recommended', F is given each value the case
format allows (representative values for numbers, each side of the rules' cut-offs). A value that changes the
decision is a finding unless (F, decision) is a documented verify rule.

Found and fixed by this sweep (contra-unknown, 2026-12-02): from 70 with no fitness measure the bisphosphonate stayed
'recommended' beside ``ecog`` in ``missing`` (a frail patient is no candidate for adjuvant systemic therapy, ASCO-OH
2022: not indicated) - held as the other fitness decisions are; a prior anthracycline (an earlier cancer treated) with
the prior chest RT not recorded left whole-breast RT, the boost, nodal RT and PMRT 'recommended' beside
``conditions.prior_chest_radiotherapy`` in ``missing`` (RT to the same region would make them 'discuss':
ESTRO-EORTC re-irradiation consensus 2022, NCCN); they are insufficient_data now. An autoimmune disease recorded
without its treatment (``present``) is asked for pembrolizumab (KEYNOTE-522 exclusion), worked below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.guidelines._materiality import base_cases, decide, named_for, values_of, with_value

from micromets.model import INSUFFICIENT_DATA, Case
from micromets.model.case import Conditions

pytestmark = pytest.mark.slow  # about 20 s of CPU

ROOT = Path(__file__).resolve().parents[2]
DRAWN = 150

#: The patient inputs the rules read (docs/case-format.md "The patient, not only the tumour", and germline BRCA).
FIELDS = ("ecog", "karnofsky", "g8_score", "clinical_frailty_scale", "life_expectancy_years", "charlson_index",
          "lvef_percent", "germline_brca", "sex", "pregnancy.status",
          *(f"conditions.{name}" for name in Conditions.model_fields))


def _below_70(case: dict[str, Any]) -> bool:
    """Below the age from which fitness is not presumed, or age not given (then age is named as deciding it)."""
    return not isinstance(case.get("age"), int | float) or case["age"] < 70


#: (input, decision) -> (source, which records): "recommend and verify" - the input is a test that starting the
#: treatment includes, so the treatment is recommended and the input named in ``missing`` (no decision left open).
VERIFY: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], bool]]] = {
    ("conditions.dpd_deficiency", "capecitabine"): (
        "EMA PRAC 2020 / MHRA 2020: test DPD status before starting a fluoropyrimidine (Xeloda SmPC)", lambda c: True),
    ("conditions.qtcf_ms", "cdk46_inhibitor"): (
        "Kisqali SmPC: ECG (QTcF < 450 ms) before starting ribociclib", lambda c: True),
    ("lvef_percent", "her2_therapy"): (
        "Herceptin SmPC: baseline cardiac assessment (LVEF) before trastuzumab", lambda c: True),
    ("lvef_percent", "chemotherapy"): (
        "doxorubicin/epirubicin SmPC: baseline LVEF before an anthracycline (the regimen, not the indication)",
        lambda c: True),
    # docs/case-format.md: below 70 the decision is taken for a fit patient, as the trials enrolled (ECOG 0-1), and
    # ecog is named (with the age not given, age too); from 70 fitness is not presumed (ASCO geriatric 2018/2023,
    # SIOG/EUSOMA 2021): insufficient_data - the bisphosphonate included since this sweep (safety.FITNESS_DECIDES).
    **{("ecog", key): ("docs/case-format.md: fitness presumed below 70 as the trials enrolled; ASCO geriatric 2018",
                       _below_70)
       for key in ("chemotherapy", "cdk46_inhibitor", "her2_therapy", "bisphosphonate", "olaparib", "capecitabine",
                   "immunotherapy")},
}


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _findings(label: str, case: dict[str, Any], listed: set[str]) -> list[tuple[str, str, str, Any, str]]:
    result = decide(case)
    if result is None:
        return []
    decisions, missing = result
    named = {item.field for item in missing}
    found = []
    for field in FIELDS:
        if _get(case, field) is not None or field not in named:
            continue
        listed.add(field)
        recommended = [key for key, (value, _) in decisions.items() if value == "recommended"]
        for value in values_of(field) if recommended else ():
            filled = decide(with_value(case, field, value))
            if filled is None:
                continue
            for key in recommended:
                now = filled[0][key][0]
                verify = VERIFY.get((field, key))
                if now == "recommended" or (verify is not None and verify[1](case)):
                    continue
                found.append((label, field, key, value, now))
        for key in recommended:  # a decision left 'recommended' never names the input as what leaves it open
            assert key not in named_for(missing, key) or field not in named_for(missing, key), (label, field, key)
    return found


def test_no_named_patient_input_could_change_a_recommendation() -> None:
    listed: set[str] = set()
    found = [f for label, case in base_cases(DRAWN) for f in _findings(label, case, listed)]
    assert not found, found[:20]
    # the sweep meets the inputs the assessment names (guards a shrinking base)
    assert {"ecog", "lvef_percent", "germline_brca", "conditions.qtcf_ms", "conditions.dpd_deficiency",
            "conditions.prior_chest_radiotherapy"} <= listed, sorted(listed)


def test_every_verify_rule_is_documented() -> None:
    doc = (ROOT / "docs" / "safety" / "patient-contraindications.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Recommend and verify"):]
    for field, key in VERIFY:
        assert f"`{field.removeprefix('conditions.')}`" in section and key in section, (field, key)


# --- worked cases ---------------------------------------------------------------------------------------------

_TNBC = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "grade": 3}


def _example(name: str) -> dict[str, Any]:
    return dict(json.loads((ROOT / "src" / "micromets" / "examples" / name).read_text(encoding="utf-8")))


@pytest.mark.parametrize(("value", "expected"), [(None, "recommended"), ("present", INSUFFICIENT_DATA),
                                                 ("active", "not_indicated"), ("inactive", "recommended"),
                                                 ("none", "recommended")])
def test_pembrolizumab_continuation_and_the_autoimmune_field(value: str | None, expected: str) -> None:
    # KEYNOTE-522 exclusion: "active autoimmune disease that has required systemic treatment in past 2 years";
    # 'present' (recorded, its treatment not said) could be either: asked. None = not recorded (not asked).
    case = with_value(_example("neoadjuvant-residual-micromet.json"), "conditions.autoimmune_disease", value)
    result = decide(case)
    assert result is not None
    decisions, missing = result
    assert decisions["immunotherapy"][0] == expected
    assert ("conditions.autoimmune_disease" in named_for(missing, "immunotherapy")) == (expected == INSUFFICIENT_DATA)


def test_pembrolizumab_before_surgery_asks_a_recorded_autoimmune_disease() -> None:
    # KEYNOTE-522 criteria met before surgery (cT2 N0 triple-negative, ECOG 0): the same question
    case = {"id": "kn522", "age": 45, "metastasis": "cM0", "ecog": 0, "clinical_nodes": "cN0",
            "tumour": {"size_mm": 30, **_TNBC}, "surgery": {"status": "planned", "breast": "bcs"},
            "nodes": {"procedure": "none"}, "conditions": {"autoimmune_disease": "present"}}
    result = decide(case)
    assert result is not None and result[0]["immunotherapy"][0] == INSUFFICIENT_DATA
    assert "conditions.autoimmune_disease" in named_for(result[1], "immunotherapy")
    stage_i = with_value(with_value(case, "tumour.size_mm", 8), "clinical_nodes", "cN0")
    result = decide(stage_i)  # cT1b N0: not an indication whatever the autoimmune disease (immaterial: not asked)
    assert result is not None and result[0]["immunotherapy"][0] == "not_indicated"
    assert "conditions.autoimmune_disease" not in named_for(result[1], "immunotherapy")


def test_after_an_earlier_cancer_treatment_radiotherapy_asks_for_the_prior_rt() -> None:
    # ESTRO-EORTC re-irradiation consensus 2022, NCCN: RT to the same region before makes RT now a discussion; a prior
    # anthracycline records an earlier cancer treated, so whether RT was given then decides the RT decisions
    case = {**_example("pn1mi.json"), "conditions": {"prior_anthracycline": True}}
    result = decide(case)
    assert result is not None
    decisions, missing = result
    asked = [key for key in ("whole_breast_rt", "boost", "regional_nodal_irradiation", "post_mastectomy_rt")
             if "conditions.prior_chest_radiotherapy" in named_for(missing, key)]
    assert asked and all(decisions[key][0] == INSUFFICIENT_DATA for key in asked)
    for prior, expected in (("ipsilateral_breast", "discuss"), ("none", "recommended"),
                            ("contralateral_breast", "recommended")):
        filled = decide(with_value(case, "conditions.prior_chest_radiotherapy", prior))
        assert filled is not None
        assert {filled[0][key][0] for key in asked} == {expected}, (prior, asked)
    without = decide(_example("pn1mi.json"))  # no earlier treatment recorded: not asked (docs/case-format.md)
    assert without is not None and all(without[0][key][0] != INSUFFICIENT_DATA for key in asked)


def test_the_case_model_knows_the_present_value() -> None:
    assert "present" in values_of("conditions.autoimmune_disease")
    assert Case.model_fields["conditions"] is not None
