"""An autoimmune disease coded the way other systems code it (SNOMED CT, ICD-10-CM) reaches the pembrolizumab
decision instead of staying a warning beside a 'recommended' that it could change.

Sources. KEYNOTE-522 and the Merck pembrolizumab protocols exclude "active autoimmune disease that has required
systemic treatment in past 2 years (i.e., with use of disease modifying agents, corticosteroids or immunosuppressive
drugs); replacement therapy (e.g., thyroxine ..., insulin for type I diabetes mellitus ...) is not considered a form of
systemic treatment" (the standard wording, e.g. SWOG S1418/NRG BR006 pembrolizumab eligibility); docs/case-format.md:
``conditions.autoimmune_disease`` 'active' = systemic treatment in the past 2 years. A Condition's code and
clinicalStatus do not say that, so the field is 'present' and the decision asks for it (product rules: a treatment
the input forbids is never 'recommended'; insufficient_data only when the missing input could change the answer;
never a guess). Codes: SNOMED CT from the FHIR COVID-19 IG value sets (logicahealth/covid-19
fsh/fsh-source/CV19-ValueSets.fsh: 69896004 rheumatoid arthritis, 55464009 SLE, 34000006 Crohn's disease, 64766004
ulcerative colitis, 24700007 multiple sclerosis, 46635009 type 1 diabetes, 21983002 Hashimoto thyroiditis, 38341003
hypertensive disorder) and DICOM CID 4405 (9014002 psoriasis); ICD-10-CM categories M05, M06.0, M06.9, M32, K50, K51,
L40, G35, E10, E06.3 (knowledge/interop/fhir_codes.json names each source). The bundles are the exporter's bundle of
the packaged post-neoadjuvant triple-negative example (pembrolizumab given before surgery) with one Condition added
as an EHR would write it.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

import pytest

from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle, to_bundle
from micromets.interop.fhir.import_ import with_import_notes
from micromets.model import INSUFFICIENT_DATA, parse_case

SCT, ICD10CM = "http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm"
FIELD = "conditions.autoimmune_disease"


@cache
def _base() -> tuple[dict[str, Any], str]:
    data = json.loads(resources.files("micromets.examples").joinpath("neoadjuvant-residual-micromet.json").read_text())
    case = parse_case(data)
    bundle = to_bundle(assess(case), case)
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    return bundle, str(patient["id"])


def _with(condition: dict[str, Any] | None = None, **case_conditions: Any) -> dict[str, Any]:
    if case_conditions:
        data = json.loads(resources.files("micromets.examples").joinpath("neoadjuvant-residual-micromet.json")
                          .read_text())
        case = parse_case({**data, "conditions": case_conditions})
        bundle = to_bundle(assess(case), case)
    else:
        bundle = copy.deepcopy(_base()[0])
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    if condition is not None:
        bundle["entry"].append({"resource": {**condition, "subject": {"reference": f"Patient/{patient['id']}"}}})
    return bundle


def _condition(system: str, code: str, *, clinical: str | None = "active", verification: str | None = "confirmed",
               rid: str = "ai") -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Condition", "id": rid, "code": {"coding": [{"system": system, "code": code}]}}
    if clinical is not None:
        out["clinicalStatus"] = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                             "code": clinical}]}
    if verification is not None:
        out["verificationStatus"] = {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": verification}]}
    return out


def _pembrolizumab(bundle: dict[str, Any]) -> tuple[str, list[tuple[str, list[str]]], Any]:
    imported = import_bundle(bundle)
    out = with_import_notes(assess(imported.case), imported)
    return out.decisions["immunotherapy"], [(m.field, m.decisions) for m in out.missing if m.field == FIELD], imported


def test_the_base_case_continues_pembrolizumab() -> None:
    # the control: KEYNOTE-522 continuation after surgery, no autoimmune disease recorded
    decision, missing, _ = _pembrolizumab(_with())
    assert decision == "recommended" and missing == []


AUTOIMMUNE = [
    (SCT, "69896004"), (SCT, "55464009"), (SCT, "34000006"), (SCT, "64766004"), (SCT, "9014002"), (SCT, "24700007"),
    (SCT, "46635009"), (SCT, "21983002"),
    (ICD10CM, "M05.79"), (ICD10CM, "M06.09"), (ICD10CM, "M06.9"), (ICD10CM, "M32.9"), (ICD10CM, "K50.90"),
    (ICD10CM, "K51.90"), (ICD10CM, "L40.0"), (ICD10CM, "L40.50"), (ICD10CM, "G35"), (ICD10CM, "E10.9"),
    (ICD10CM, "E06.3"), (ICD10CM, "E063"),
]


@pytest.mark.parametrize(("system", "code"), AUTOIMMUNE)
@pytest.mark.parametrize("clinical", ["active", "remission", "inactive", None])
def test_a_coded_autoimmune_disease_leaves_pembrolizumab_open_naming_the_field(system: str, code: str,
                                                                               clinical: str | None) -> None:
    # was: unknown field + an import-level 'missing' entry, and pembrolizumab 'recommended' beside it. The clinical
    # status does not say whether it needed systemic treatment in the past 2 years: never mapped to active/inactive
    decision, missing, imported = _pembrolizumab(_with(_condition(system, code, clinical=clinical)))
    assert imported.case.conditions is not None and imported.case.conditions.autoimmune_disease == "present"
    assert decision == INSUFFICIENT_DATA
    assert (FIELD, ["immunotherapy"]) in missing
    assert any("set to 'present'" in w for w in imported.warnings)


@pytest.mark.parametrize("value", ["active", "inactive"])
def test_the_answer_decides_it(value: str) -> None:
    # KEYNOTE-522 exclusion: 'active' (systemic treatment in the past 2 years) rules it out; 'inactive' does not
    decision, missing, _ = _pembrolizumab(_with(autoimmune_disease=value))
    assert missing == [] and decision == ("not_indicated" if value == "active" else "recommended")


@pytest.mark.parametrize("verification", ["entered-in-error", "refuted"])
def test_an_entered_in_error_or_refuted_autoimmune_condition_is_ignored(verification: str) -> None:
    for system, code in ((SCT, "69896004"), (ICD10CM, "K50.90")):
        decision, missing, imported = _pembrolizumab(_with(_condition(system, code, verification=verification)))
        conditions = imported.case.conditions
        assert conditions is None or conditions.autoimmune_disease is None  # neither 'present' nor 'none'
        assert decision == "recommended" and missing == []


@pytest.mark.parametrize("verification", ["provisional", "differential", "unconfirmed"])
def test_an_unconfirmed_autoimmune_condition_is_said_and_not_used(verification: str) -> None:
    decision, _, imported = _pembrolizumab(_with(_condition(ICD10CM, "M05.79", verification=verification)))
    assert imported.case.conditions is None or imported.case.conditions.autoimmune_disease is None
    assert any(verification in w and "not used" in w for w in imported.warnings)
    assert decision == "recommended"


@pytest.mark.parametrize(("system", "code"), [
    (SCT, "38341003"),     # hypertensive disorder: not autoimmune
    (ICD10CM, "M06.1"),    # adult-onset Still's disease: autoinflammatory, not listed
    (ICD10CM, "E11.9"),    # type 2 diabetes
    (ICD10CM, "L94.0"),    # localized scleroderma (morphea): not systemic
])
def test_an_unrecognised_condition_does_not_become_an_autoimmune_disease(system: str, code: str) -> None:
    decision, missing, imported = _pembrolizumab(_with(_condition(system, code)))
    assert imported.case.conditions is None or imported.case.conditions.autoimmune_disease is None
    assert decision == "recommended" and missing == []


def test_micromets_own_value_wins_over_a_coded_disease() -> None:
    # the exporter's Condition carries the exact value: an RA Condition beside it adds no doubt
    decision, missing, imported = _pembrolizumab(_with(_condition(SCT, "69896004"), autoimmune_disease="inactive"))
    assert imported.case.conditions is not None and imported.case.conditions.autoimmune_disease == "inactive"
    assert decision == "recommended" and missing == []


def test_none_beside_a_coded_disease_is_a_contradiction() -> None:
    # 'none' (the exporter's absent-by-code entry) and a confirmed rheumatoid arthritis cannot both hold
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(_with(_condition(SCT, "69896004"), autoimmune_disease="none"))
    assert FIELD in [p.field for p in caught.value.problems]
