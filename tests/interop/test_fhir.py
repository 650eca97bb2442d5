"""FHIR export/import: valid R4 resources, deterministic, resolvable references, verified codes, round trip."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from micromets.api import services
from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.interop.fhir import case_from_bundle, import_bundle, import_resources, to_bundle
from micromets.interop.fhir._standard import standard_table
from micromets.interop.fhir.codes import codes_table, local
from micromets.model import Case, parse_case

EXAMPLES = sorted(p.name[:-5] for p in resources.files("micromets.examples").iterdir() if p.name.endswith(".json"))


@cache
def _case(name: str) -> Case:
    return parse_case(json.loads(resources.files("micromets.examples").joinpath(f"{name}.json").read_text()))


@cache
def _bundle_json(name: str) -> str:
    case = _case(name)
    return json.dumps(to_bundle(assess(case), case), sort_keys=True)


def _bundle(name: str) -> dict[str, Any]:
    return json.loads(_bundle_json(name))


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _resource(bundle: dict[str, Any], rtype: str, suffix: str) -> dict[str, Any]:
    found = [e["resource"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == rtype and e["resource"]["id"].endswith(suffix)]
    assert len(found) == 1, (rtype, suffix)
    return found[0]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_resource_validates_with_fhir_resources(name: str) -> None:
    bundle = _bundle(name)
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert len(parsed.entry) == len(bundle["entry"]) > 10
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


@pytest.mark.parametrize("name", EXAMPLES)
def test_output_is_deterministic_and_has_no_clock(name: str) -> None:
    case = _case(name)
    first = json.dumps(to_bundle(assess(case), case), sort_keys=True)
    assert first == json.dumps(to_bundle(assess(case), case), sort_keys=True)
    assert "lastUpdated" not in first and "timestamp" not in first


@pytest.mark.parametrize("name", EXAMPLES)
def test_ids_are_unique_and_references_resolve_inside_the_bundle(name: str) -> None:
    bundle = _bundle(name)
    full_urls = [e["fullUrl"] for e in bundle["entry"]]
    ids = [(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls) and len(set(ids)) == len(ids)
    assert all(u.startswith("urn:uuid:") for u in full_urls)
    assert all(len(rid) <= 64 for _, rid in ids)
    assert all(rid.startswith(_case(name).id or "") for _, rid in ids)
    references = [n["reference"] for n in _walk(bundle["entry"]) if isinstance(n.get("reference"), str)]
    assert references
    assert set(references) <= set(full_urls)


def test_ids_without_a_usable_case_id_are_hashed_deterministically() -> None:
    case = parse_case({"id": "x" * 150, "tumour": {"size_mm": 10}})
    ids = {e["resource"]["id"] for e in to_bundle(assess(case), case)["entry"]}
    assert all(i.startswith("mm-") and len(i) <= 64 for i in ids)
    anonymous = parse_case({"tumour": {"size_mm": 10}})
    assert to_bundle(assess(anonymous), anonymous) == to_bundle(assess(anonymous), anonymous)


def test_codes_come_from_the_data_file() -> None:
    table = codes_table()
    known = {(table["systems"][c["system"]], c["code"]) for c in table["codes"].values()}
    standard = standard_table()  # the AJCC category and stage-group values (SNOMED CT), with their sources
    known |= {(standard["systems"][c["system"]], c["code"]) for c in [*standard["tnm_values"], *standard["stage_values"]]}
    local_systems = {v for k, v in table["local"].items() if not k.startswith("_")}
    for name in EXAMPLES:
        for node in _walk(_bundle(name)["entry"]):
            if "system" in node and "code" in node and node["system"] != "http://unitsofmeasure.org":
                assert (node["system"], node["code"]) in known or node["system"] in local_systems, node
    # every standard code names where it was verified
    assert all(c["source"] for c in table["codes"].values())


_MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"


def _claims(bundle: dict[str, Any]) -> dict[str, list[str]]:
    return {e["resource"]["id"]: e["resource"]["meta"]["profile"] for e in bundle["entry"]
            if "profile" in e["resource"].get("meta", {})}


def test_mcode_profiles_are_claimed_only_where_every_constraint_is_met() -> None:
    # mCODE STU4 (HL7/fhir-mCODE-ig 543477b5): TumorSize obeys must-have-focus-or-specimen-invariant, and micromets
    # has no Tumor BodyStructure or Specimen, so it never claims it. CancerPatient (US Core Patient) needs an
    # identifier, a name (or data-absent-reason) and a gender; the TNM profiles need a CancerPatient subject, a
    # PrimaryCancerCondition focus, a category, method 1..1 and a CodeableConcept value.
    bundle = _bundle("pn1mi")
    claims = _claims(bundle)
    assert "example-pn1mi-tumour-size" not in claims
    assert claims["example-pn1mi-patient"] == [_MCODE + "mcode-cancer-patient"]
    assert claims["example-pn1mi-primary-cancer"] == [_MCODE + "mcode-primary-cancer-condition"]
    assert claims["example-pn1mi-tnm-t"] == [_MCODE + "mcode-tnm-primary-tumor-category"]
    assert claims["example-pn1mi-tnm-n"] == [_MCODE + "mcode-tnm-regional-nodes-category"]
    assert claims["example-pn1mi-tnm-m"] == [_MCODE + "mcode-tnm-distant-metastases-category"]
    assert claims["example-pn1mi-stage-anatomic-stage"] == [_MCODE + "mcode-tnm-stage-group"]
    patient = _resource(bundle, "Patient", "patient")
    assert patient["identifier"] and patient["gender"] and patient["name"][0]["extension"][0]["valueCode"] == "unknown"
    for letter in "tnm":
        tnm = _resource(bundle, "Observation", f"tnm-{letter}")
        assert tnm["category"] and tnm["method"] and tnm["focus"] and "hasMember" not in tnm


def test_no_profile_is_claimed_when_the_patient_cannot_conform() -> None:
    case = parse_case({"tumour": {"size_mm": 12}, "age": 60})  # no id, no sex: not a US Core Patient
    assert _claims(to_bundle(assess(case), case)) == {}


def test_tnm_values_carry_the_verified_snomed_ct_codes() -> None:
    # SNOMED CT AJCC qualifier values: pT1c 1229846008 (DICOM PS3.16 CID 6160), pN1mi 1229952008 (CMS EOM IG
    # breast N table), cM0 1229901006 (DICOM CID 6162, mCODE examples); "(sn)" stays in the text.
    bundle = _bundle("pn1mi")
    values = {letter: _resource(bundle, "Observation", f"tnm-{letter}")["valueCodeableConcept"] for letter in "tnm"}
    assert [values[x]["coding"][0]["code"] for x in "tnm"] == ["1229846008", "1229952008", "1229901006"]
    assert values["n"]["text"] == "pN1mi(sn)"


def test_staging_observations_use_the_mcode_loinc_codes_and_ajcc8() -> None:
    bundle = _bundle("pn1mi")
    t = _resource(bundle, "Observation", "tnm-t")
    assert t["code"]["coding"][0]["code"] == "21899-0" and t["valueCodeableConcept"]["text"] == "pT1c"
    assert t["method"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "897275008",
                                        "display": codes_table()["codes"]["ajcc8"]["display"]}
    assert _resource(bundle, "Observation", "tnm-n")["code"]["coding"][0]["code"] == "21900-6"
    assert _resource(bundle, "Observation", "tnm-m")["code"]["coding"][0]["code"] == "21907-1"
    stage = _resource(bundle, "Observation", "stage-pathological-prognostic-stage")
    assert stage["code"]["coding"][0]["code"] == "21902-2" and stage["valueCodeableConcept"]["text"] == "IA"
    assert len(stage["hasMember"]) == 3
    condition = _resource(bundle, "Condition", "primary-cancer")
    assert {s["summary"]["text"] for s in condition["stage"]} == {"IB", "IA"}


def test_patient_has_gender_and_age_but_no_invented_birth_date() -> None:
    patient = _resource(_bundle("pn1mi"), "Patient", "patient")
    assert patient["gender"] == "female" and "birthDate" not in patient
    assert patient["extension"][0]["valueAge"]["value"] == 58


def test_receptors_prognosis_recommendations_and_follow_up() -> None:
    bundle = _bundle("pn1mi")
    er = _resource(bundle, "Observation", "-er")
    assert er["code"]["coding"][0]["code"] == "85337-4" and er["valueCodeableConcept"]["coding"][0]["code"] == "LA6576-8"
    assert er["component"][0]["valueQuantity"]["value"] == 90
    risk = _resource(bundle, "RiskAssessment", "prognosis")
    assert len(risk["prediction"]) == 18  # OS, breast-cancer deaths, other-cause deaths x 2 arms x 3 years
    assert all(0 <= p["probabilityDecimal"] <= 1 for p in risk["prediction"])
    assert {p["whenRange"]["high"]["value"] for p in risk["prediction"]} == {5, 10, 15}
    case = _case("pn1mi")
    assessment = assess(case)
    plan = _resource(bundle, "CarePlan", "recommendations")
    assert [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]] == [r.id for r in assessment.recommendations]
    first = plan["activity"][0]["detail"]
    urls = {x["url"] for x in first["extension"]}
    assert {local("ext_strength"), local("ext_evidence"), local("ext_decision")} <= urls
    assert first["reasonCode"][0]["text"] == assessment.recommendations[0].rationale
    follow = _resource(bundle, "CarePlan", "follow-up")
    assert [a["detail"]["scheduledPeriod"]["start"] for a in follow["activity"]] == \
        [i.due.isoformat() for i in assessment.follow_up]
    decisions = _resource(bundle, "Parameters", "decisions")
    assert {p["name"]: p["valueCode"] for p in decisions["parameter"]} == assessment.decisions


@pytest.mark.parametrize("name", EXAMPLES)
def test_round_trip_gives_back_the_case(name: str) -> None:
    case = _case(name)
    assert case_from_bundle(_bundle(name)) == case


def test_round_trip_of_a_sparse_case_keeps_absent_fields_absent() -> None:
    case = parse_case({"id": "sparse", "tumour": {"size_mm": 9.5}})
    back = case_from_bundle(to_bundle(assess(case), case))
    assert back == case and back.age is None and back.sex is None and back.tumour and back.tumour.grade is None


def _plain(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def _obs(code: str, **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]}, **value}


def test_plain_mcode_subset_is_read() -> None:
    bundle = _plain(
        {"resourceType": "Patient", "id": "p7", "gender": "female", "birthDate": "1960-05-02"},
        {"resourceType": "Condition", "subject": {"reference": "Patient/p7"}, "onsetDateTime": "2026-03-01",
         "code": {"text": "breast cancer"}},
        _obs("21889-1", component=[{"code": {"coding": [{"system": "http://loinc.org", "code": "33728-7"}]},
                                    "valueQuantity": {"value": 1.8, "unit": "cm", "code": "cm"}}]),
        _obs("85337-4", valueQuantity={"value": 95, "unit": "%", "code": "%"}),
        _obs("92833-3", valueInteger=2),
        _obs("21907-1", valueCodeableConcept={"text": "cM0"}),
    )
    case = case_from_bundle(bundle)
    assert (case.id, case.sex, case.age, case.metastasis) == ("p7", "female", 65, "cM0")
    assert case.tumour is not None and (case.tumour.size_mm, case.tumour.er_percent) == (18.0, 95)
    assert case.nodes is not None and case.nodes.examined == 2 and case.nodes.deposits == []
    assert case.tumour.pr_percent is None and case.tumour.grade is None  # absent stays absent


@pytest.mark.parametrize(("resources", "field"), [
    ([_obs("85337-4", valueCodeableConcept={"text": "Positive"})], "tumour.er_percent"),
    ([_obs("48676-1", valueCodeableConcept={"text": "Negative"})], "tumour.her2_ihc"),
    ([_obs("21906-3", valueCodeableConcept={"text": "N9"})], "clinical_nodes"),
    # FHIR AdministrativeGender 'other' / 'unknown' does not give the sex: not taken, and said (not an error: the
    # rest of the data can still be assessed)
    ([{"resourceType": "Patient", "gender": "other"}], "sex"),
    ([{"resourceType": "Patient", "gender": "unknown"}], "sex"),
])
def test_unmappable_values_are_missing_with_the_resource(resources: list[dict[str, Any]], field: str) -> None:
    # Issue 10: a status without the number micromets needs is reported (assessment `missing`), not an import error.
    imported = import_bundle(_plain(*resources))
    assert [why for name, why in imported.missing if name == field]


@pytest.mark.parametrize(("resources", "field"), [
    ([_obs("92832-5", valueInteger=1)], "nodes.deposits"),
    ([_obs("21889-1", valueQuantity={"value": 2, "code": "[in_i]"})], "tumour.size_mm"),
    ([_obs("21889-1", valueQuantity={"value": 12, "code": "mm"}),
      _obs("21889-1", valueQuantity={"value": 15, "code": "mm"})], "tumour.size_mm"),
    ([_obs("21889-1", valueQuantity={"value": 400, "code": "mm"})], "tumour.size_mm"),
])
def test_import_errors_name_the_field(resources: list[dict[str, Any]], field: str) -> None:
    with pytest.raises(CaseValidationError) as caught:
        case_from_bundle(_plain(*resources))
    assert field in [p.field for p in caught.value.problems]


def test_a_case_field_value_that_is_not_a_codeable_concept_names_the_field() -> None:
    # FHIR R4 Observation.valueCodeableConcept is a CodeableConcept (a JSON object); the readers also take resources
    # that skipped the structural check (import_resources), so text there is the field's problem, not a crash.
    obs = {"resourceType": "Observation", "status": "final", "valueCodeableConcept": "osna",
           "code": {"coding": [{"system": "http://micromets.local/fhir/CodeSystem/case-field", "code": "detection"}]}}
    for value in ("osna", {"coding": 3}):  # nor is a coding that is not a list
        with pytest.raises(CaseValidationError) as caught:
            import_resources([{**obs, "valueCodeableConcept": value}])
        assert [p.field for p in caught.value.problems] == ["detection"]
        assert "valueCodeableConcept" in caught.value.problems[0].message


def test_import_rejects_what_is_not_fhir() -> None:
    for bad, field in (([], "(bundle)"), ({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Nope"}}]},
                                          "(bundle).entry[0].resource.resourceType")):
        with pytest.raises(CaseValidationError) as caught:
            case_from_bundle(bad)  # type: ignore[arg-type]
        assert caught.value.problems[0].field == field


def test_output_resources_are_not_read_back_as_input() -> None:
    case = parse_case({"id": "o", "tumour": {"size_mm": 12}})
    bundle = to_bundle(assess(case), case)
    assert case_from_bundle(bundle).metastasis is None  # staging says cM0, the case did not
    edited = copy.deepcopy(bundle)
    edited["entry"] = [e for e in edited["entry"] if e["resource"]["resourceType"] != "Patient"]
    assert case_from_bundle(edited).id is None


def test_web_app_feature_detects_the_exporter() -> None:
    exporter = services.fhir_exporter()
    assert exporter is not None
    case = _case("pn1mi")
    assert json.loads(exporter(assess(case), case))["resourceType"] == "Bundle"
