"""FHIR input an external hostile-input probe sends to the REST API and the CDS service: Bundles that repeat a
resource, nest copies of themselves, hold entries that are not entries, reference themselves in cycles, contain
resources, or are as large as a request may be. Each gives an answer that reads every fact once, or a 4xx naming
the place; never a 500, never a hang.

Sources: FHIR R4 Bundle invariants bdl-5 ("must be a resource unless there's a request or response") and bdl-7
("FullUrl must be unique in a bundle, or else entries with the same fullUrl must have different meta.versionId"),
FHIR R4 Resource.id ("the same resource" is the same type and id on one server) and References ("cycles are
allowed"); CDS Hooks 2.0 "Prefetch Template": each prefetch key holds a resource or a Bundle, so the same resource
can come in two keys (a Patient in ``patient`` and, included, in a search Bundle).
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from micromets.api.cdshooks import SERVICE_ID
from micromets.api.services import example_data
from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle, to_bundle
from micromets.model import parse_case

from _auth import BASE_URL, Ehr, anonymous_client, api_client, cds_app

CDS_PATH = f"/cds-services/{SERVICE_ID}"
FHIR = {"Content-Type": "application/fhir+json"}


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    """The pN1mi example as micromets exports it: one micrometastatic deposit in sentinel node 1 of 3."""
    case = parse_case(example_data("pn1mi"))
    return to_bundle(assess(case), case)


@pytest.fixture(scope="module")
def ehr() -> Ehr:
    return Ehr("https://ehr.example.org", "ES384", kid="fhir-probe-1")


@pytest.fixture(scope="module")
def clients(ehr: Ehr, tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, TestClient]:
    app = cds_app(ehr, Path(tmp_path_factory.mktemp("jwks")) / "jwks.json")
    return (api_client(app, "write", raise_server_exceptions=False),
            anonymous_client(app, raise_server_exceptions=False))


def _entry(bundle: dict[str, Any], resource_id: str) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in bundle["entry"] if e["resource"].get("id") == resource_id))


def _patient_id(bundle: dict[str, Any]) -> str:
    return str(next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"))


def _rest(clients: tuple[TestClient, TestClient], data: Any) -> httpx.Response:
    return clients[0].post("/api/assess", content=json.dumps(data), headers=FHIR)


def _cds(clients: tuple[TestClient, TestClient], ehr: Ehr, prefetch: dict[str, Any], patient: str) -> httpx.Response:
    body = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()), "context": {"patientId": patient},
            "prefetch": prefetch}
    return clients[1].post(CDS_PATH, json=body,
                           headers={"Authorization": f"Bearer {ehr.token(BASE_URL + CDS_PATH)}"})


def _deposits(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["findings"]["deposits"])


# The same resource twice is one fact


def test_an_entry_repeated_is_read_once(bundle: dict[str, Any], clients: tuple[TestClient, TestClient]) -> None:
    """bdl-7: one fullUrl, one resource. The deposit sent three times was three deposits in node 1."""
    repeated = copy.deepcopy(bundle)
    repeated["entry"] += [_entry(bundle, "example-pn1mi-deposit-1") for _ in range(2)]
    assert len(_deposits(_rest(clients, repeated))) == 1
    assert len(import_bundle(repeated).case.nodes.deposits) == 1  # type: ignore[union-attr]


def test_a_bundle_nested_in_itself_is_read_once(bundle: dict[str, Any],
                                                clients: tuple[TestClient, TestClient]) -> None:
    nested = copy.deepcopy(bundle)
    nested["entry"].append({"fullUrl": f"urn:uuid:{uuid.uuid4()}",
                            "resource": {"resourceType": "Bundle", "type": "collection",
                                         "entry": copy.deepcopy(bundle["entry"])}})
    response = _rest(clients, nested)
    assert len(_deposits(response)) == 1
    assert response.json()["staging"]["n"] == "pN1mi(sn)"  # AJCC 8: one micrometastatic sentinel node


def test_the_patient_in_two_prefetch_keys_is_one_patient(bundle: dict[str, Any], ehr: Ehr,
                                                         clients: tuple[TestClient, TestClient]) -> None:
    """CDS Hooks prefetch: ``patient`` holds the Patient, and the Bundle of the other key holds it too."""
    patient = _entry(bundle, _patient_id(bundle))["resource"]
    response = _cds(clients, ehr, {"patient": patient, "all": bundle}, _patient_id(bundle))
    assert response.status_code == 200, response.text
    summaries = [card["summary"] for card in response.json()["cards"]]
    assert any("pN1mi" in s for s in summaries) and not any("cannot be used" in s for s in summaries), summaries


def test_two_different_resources_under_one_id_are_a_conflict_named(bundle: dict[str, Any], ehr: Ehr,
                                                                   clients: tuple[TestClient, TestClient]) -> None:
    """Observation/x once 1.2 mm and once 2.5 mm: two versions of one result; which holds is not micromets' guess."""
    changed = _entry(bundle, "example-pn1mi-deposit-1")
    changed["fullUrl"] = f"urn:uuid:{uuid.uuid4()}"
    changed["resource"]["component"][1]["valueQuantity"]["value"] = 2.5
    conflicting = copy.deepcopy(bundle)
    conflicting["entry"].append(changed)
    response = _rest(clients, conflicting)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "(bundle)" and "Observation/example-pn1mi-deposit-1" in problem["message"]
    cards = _cds(clients, ehr, {"all": conflicting}, _patient_id(bundle)).json()["cards"]
    assert [c["summary"] for c in cards] == ["micromets: the FHIR data cannot be used as they are"]
    assert "Observation/example-pn1mi-deposit-1" in cards[0]["detail"]


def test_contained_resources_keep_their_own_ids(bundle: dict[str, Any]) -> None:
    """Contained ids are local to their container: two reports each containing ``#1`` are no conflict."""
    reports = copy.deepcopy(bundle)
    subject = {"reference": f"Patient/{_patient_id(bundle)}"}
    for n, words in ((1, "first"), (2, "second")):
        reports["entry"].append({"fullUrl": f"urn:uuid:{uuid.UUID(int=n)}", "resource": {
            "resourceType": "DiagnosticReport", "id": f"report-{n}", "status": "final", "code": {"text": "Pathology"},
            "subject": subject, "result": [{"reference": "#1"}],
            "contained": [{"resourceType": "Observation", "id": "1", "status": "final", "code": {"text": words}}]}})
    assert len(import_bundle(reports).case.nodes.deposits) == 1  # type: ignore[union-attr]


# Entries that are not entries


@pytest.mark.parametrize("entry", [None, 1, "x", [], {}, {"fullUrl": "urn:uuid:8c1d7f7e-0000-4000-8000-000000000009"}])
def test_an_entry_without_a_resource_is_named(bundle: dict[str, Any], ehr: Ehr,
                                              clients: tuple[TestClient, TestClient], entry: Any) -> None:
    """bdl-5; the entry was skipped in silence, its content never read."""
    broken = copy.deepcopy(bundle)
    broken["entry"].append(entry)
    index = len(broken["entry"]) - 1
    response = _rest(clients, broken)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == f"(bundle).entry[{index}]"
    cards = _cds(clients, ehr, {"all": broken}, _patient_id(bundle)).json()["cards"]
    assert f"prefetch.all.entry[{index}]" in cards[0]["detail"]


def test_an_entry_that_reports_a_response_still_needs_no_resource(bundle: dict[str, Any]) -> None:
    """bdl-5's own exception: a batch-response entry for a request that found nothing."""
    answered = copy.deepcopy(bundle)
    answered["entry"].append({"response": {"status": "404 Not Found"}})
    assert len(import_bundle(answered).case.nodes.deposits) == 1  # type: ignore[union-attr]


# References in cycles, and a request as large as allowed


def test_references_in_a_cycle_end(bundle: dict[str, Any], clients: tuple[TestClient, TestClient]) -> None:
    """FHIR R4 References: cycles are allowed (hasMember both ways, derivedFrom itself); reading must not loop."""
    cyclic = copy.deepcopy(bundle)
    observations = [e for e in cyclic["entry"] if e["resource"]["resourceType"] == "Observation"]
    first, second = observations[0], observations[1]
    first["resource"]["hasMember"] = [{"reference": second["fullUrl"]}]
    second["resource"]["hasMember"] = [{"reference": first["fullUrl"]}]
    first["resource"]["derivedFrom"] = [{"reference": first["fullUrl"]}]
    started = time.monotonic()
    assert len(_deposits(_rest(clients, cyclic))) == 1
    assert time.monotonic() - started < 20


def test_ten_thousand_entries_are_refused_by_size_before_reading(bundle: dict[str, Any], ehr: Ehr,
                                                                 clients: tuple[TestClient, TestClient]) -> None:
    big = copy.deepcopy(bundle)
    deposit = _entry(bundle, "example-pn1mi-deposit-1")
    for i in range(10_000):
        copy_i = copy.deepcopy(deposit)
        copy_i["fullUrl"], copy_i["resource"]["id"] = f"urn:uuid:{uuid.UUID(int=i)}", f"d{i}"
        big["entry"].append(copy_i)
    for response in (_rest(clients, big), _cds(clients, ehr, {"all": big}, _patient_id(bundle))):
        assert response.status_code == 413, response.text[:200]
        assert response.json()["detail"][0]["field"] == "(body)"


# Data about someone or something else


@pytest.mark.parametrize("subject", [
    "Group/tumour-board-cohort", "Device/slide-scanner-7", "https://other.example/fhir/Group/g1/_history/3",
    "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|12345",  # conditional: a search, not a patient
])
def test_a_result_about_a_group_a_device_or_a_search_is_not_this_patients(
        bundle: dict[str, Any], ehr: Ehr, clients: tuple[TestClient, TestClient], subject: str) -> None:
    """FHIR R4 Observation.subject: "Who and/or what the observation is about" (Patient, Group, Device or Location).
    A deposit about a Group or a Device was read as the patient's own; the data must be about one patient."""
    other = copy.deepcopy(bundle)
    for entry in other["entry"]:
        if entry["resource"].get("id") == "example-pn1mi-deposit-1":
            entry["resource"]["subject"] = {"reference": subject}
    response = _rest(clients, other)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "(bundle)" and "Observation/example-pn1mi-deposit-1.subject" in problem["message"]
    cards = _cds(clients, ehr, {"all": other}, _patient_id(bundle)).json()["cards"]
    assert [c["summary"] for c in cards] == ["micromets: the FHIR data cannot be used as they are"]


@pytest.mark.parametrize("subject", ["Patient/{pid}/_history/2", "https://ehr.example.org/fhir/Patient/{pid}"])
def test_a_versioned_or_absolute_reference_to_the_patient_is_the_patient(bundle: dict[str, Any],
                                                                         subject: str) -> None:
    same = copy.deepcopy(bundle)
    for entry in same["entry"]:
        if entry["resource"].get("id") == "example-pn1mi-deposit-1":
            entry["resource"]["subject"] = {"reference": subject.format(pid=_patient_id(bundle))}
    assert len(import_bundle(same).case.nodes.deposits) == 1  # type: ignore[union-attr]


def test_a_result_contained_two_levels_down_is_refused_not_lost(bundle: dict[str, Any],
                                                                clients: tuple[TestClient, TestClient]) -> None:
    """FHIR R4 dom-2: a contained resource SHALL NOT contain nested resources. The deposit Observation inside a
    Specimen contained in a DiagnosticReport was dropped in silence: no deposit, and the patient staged pN0(sn)."""
    nested = copy.deepcopy(bundle)
    deposit = _entry(bundle, "example-pn1mi-deposit-1")
    nested["entry"] = [e for e in nested["entry"] if e["resource"].get("id") != "example-pn1mi-deposit-1"]
    inner = {**deposit["resource"], "id": "deposit"}
    inner.pop("subject")
    nested["entry"].append({"fullUrl": f"urn:uuid:{uuid.UUID(int=7)}", "resource": {
        "resourceType": "DiagnosticReport", "id": "pathology", "status": "final", "code": {"text": "Pathology"},
        "subject": {"reference": f"Patient/{_patient_id(bundle)}"}, "result": [{"reference": "#deposit"}],
        "contained": [{"resourceType": "Specimen", "id": "node-1", "contained": [inner]}]}})
    response = _rest(clients, nested)
    assert response.status_code == 422, response.text[:300]
    (problem,) = response.json()["detail"]
    assert problem["field"].startswith("(bundle).entry[") and "dom-2" in problem["message"]


def test_a_result_in_a_contained_bundle_is_refused_not_lost(bundle: dict[str, Any]) -> None:
    """The deposit in a Bundle contained in a DiagnosticReport was dropped in silence (pN0(sn) again)."""
    wrapped = copy.deepcopy(bundle)
    deposit = _entry(bundle, "example-pn1mi-deposit-1")
    wrapped["entry"] = [e for e in wrapped["entry"] if e["resource"].get("id") != "example-pn1mi-deposit-1"]
    wrapped["entry"].append({"fullUrl": f"urn:uuid:{uuid.UUID(int=8)}", "resource": {
        "resourceType": "DiagnosticReport", "id": "pathology", "status": "final", "code": {"text": "Pathology"},
        "subject": {"reference": f"Patient/{_patient_id(bundle)}"},
        "contained": [{"resourceType": "Bundle", "id": "results", "type": "collection", "entry": [deposit]}]}})
    with pytest.raises(CaseValidationError, match="contained Bundle"):
        import_bundle(wrapped)


def _size_report(report_id: str, words: str, size_mm: float, date: str) -> dict[str, Any]:
    """A DiagnosticReport whose tumour size (LOINC 21889-1, component 33728-7) is contained as ``#1``."""
    loinc = "http://loinc.org"
    size = {"resourceType": "Observation", "id": "1", "status": "final",
            "code": {"coding": [{"system": loinc, "code": "21889-1"}]},
            "component": [{"code": {"coding": [{"system": loinc, "code": "33728-7"}]},
                           "valueQuantity": {"value": size_mm, "unit": "mm", "system": "http://unitsofmeasure.org",
                                             "code": "mm"}}]}
    return {"resource": {"resourceType": "DiagnosticReport", "id": report_id, "status": "final", "code": {"text": words},
                         "subject": {"reference": "Patient/p"}, "effectiveDateTime": date,
                         "result": [{"reference": "#1"}], "contained": [size]}}


@pytest.mark.parametrize("biopsy_first", [True, False])
def test_two_reports_each_with_a_contained_1_keep_their_own_results(biopsy_first: bool) -> None:
    """FHIR R4 "Contained Resources": a contained id is local to its container. A core biopsy report's ``#1`` (30 mm)
    and a surgical report's ``#1`` (5 mm) were both named Observation/1: a 422 "conflicting values 30.0
    (Observation/1), 5.0 (Observation/1)" for valid data. Read apart, the surgical (pathological) size stages the
    tumour and the biopsy size is a note, as when the ids differ."""
    reports = [_size_report("biopsy", "Core biopsy", 30, "2024-01-05"),
               _size_report("surgery", "Surgical resection specimen", 5, "2024-03-01")]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-01-01"}},
        *(reports if biopsy_first else reports[::-1])]}
    imported = import_bundle(bundle)
    assert imported.case.tumour is not None and imported.case.tumour.size_mm == 5
    assert any(w.startswith("Observation/biopsy#1") and "30 mm" in w for w in imported.warnings), imported.warnings


@pytest.mark.parametrize("comparator", [">", ">=", "<", "<=", "ad"])
def test_a_deposit_size_given_as_a_bound_is_refused_not_read_as_the_size(bundle: dict[str, Any],
                                                                          comparator: str) -> None:
    """FHIR R4 Quantity.comparator: "How the value should be understood" (``>`` 2 mm is more than 2 mm). Read as
    2 mm, "> 2 mm" gave a micrometastasis (AJCC 8: > 0.2 to 2.0 mm) and pN1mi(sn), where > 2 mm is a
    macrometastasis (pN1a)."""
    bounded = copy.deepcopy(bundle)
    for entry in bounded["entry"]:
        if entry["resource"].get("id") == "example-pn1mi-deposit-1":
            entry["resource"]["component"][1]["valueQuantity"].update({"value": 2.0, "comparator": comparator})
    with pytest.raises(CaseValidationError, match="bound") as refused:
        import_bundle(bounded)
    assert refused.value.problems[0].field.startswith("nodes.deposits")


@pytest.mark.parametrize(("first", "second"), [(1.2, 3.0), (3.0, 1.2)])
def test_a_deposit_with_two_sizes_is_a_conflict_not_the_last_one_read(bundle: dict[str, Any], first: float,
                                                                      second: float) -> None:
    """One deposit Observation with its size component twice: the last one won in silence, so the order of the
    components decided between a micrometastasis (1.2 mm) and a macrometastasis (3.0 mm; AJCC 8: > 2 mm)."""
    doubled = copy.deepcopy(bundle)
    for entry in doubled["entry"]:
        if entry["resource"].get("id") == "example-pn1mi-deposit-1":
            components = entry["resource"]["component"]
            extra = copy.deepcopy(components[1])
            components[1]["valueQuantity"]["value"], extra["valueQuantity"]["value"] = first, second
            components.append(extra)
    with pytest.raises(CaseValidationError, match="twice") as refused:
        import_bundle(doubled)
    assert refused.value.problems[0].field == "nodes.deposits.size_mm"


# A value of any length is named shortened (probes of 2026-12-02)
# The project's rule for what a request sends back (CDS Hooks prefetch key: "was echoed whole into a card: a 900 kB
# answer", tests/interop/test_cdshooks_request_probes.py) and OWASP Error Handling (an error names the problem, it
# does not replay the input). A 100,000-character UCUM code or status was quoted whole in the problem or warning.

_LONG = "u" * 100_000


def _jenny_m_with(**changes: Any) -> list[dict[str, Any]]:
    from tests.interop import _ig_examples as ig

    resources = ig.without(ig.jenny_m_stu4(), "tnm-pathologic-primary-tumor-category-jenny-m")
    size = next(r for r in resources if r["id"] == "tumor-size-jenny-m")
    if "size_unit" in changes:
        size["component"][0]["valueQuantity"]["code"] = changes["size_unit"]
    if "procedure_status" in changes:
        procedure = next(r for r in resources if r["id"] == "cancer-related-surgical-procedure-jenny-m")
        procedure["status"] = changes["procedure_status"]
    if "lvef_unit" in changes:
        resources.append({"resourceType": "Observation", "id": "lvef", "status": "final",
                          "subject": {"reference": "Patient/cancer-patient-jenny-m"},
                          "code": {"coding": [{"system": "http://loinc.org", "code": "10230-1"}]},
                          "effectiveDateTime": "2024-01-01", "valueQuantity": {"value": 60, "code": changes["lvef_unit"]}})
    return resources


@pytest.mark.parametrize("change", [{"size_unit": _LONG}, {"procedure_status": _LONG}, {"lvef_unit": _LONG}])
def test_a_value_of_any_length_is_not_echoed_whole(change: dict[str, Any], ehr: Ehr,
                                                   clients: tuple[TestClient, TestClient]) -> None:
    resources = _jenny_m_with(**change)
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    try:
        imported = import_bundle(copy.deepcopy(bundle))
    except CaseValidationError as exc:
        messages = [p.message for p in exc.problems]
    else:
        messages = [*imported.warnings, *(why for _, why in imported.missing)]
    named = [m for m in messages if "uuuu" in m]
    assert named, messages  # still named, shortened
    assert all(len(m) < 2_000 for m in named), [len(m) for m in named]
    response = clients[0].post("/api/fhir/assess", json=bundle)
    assert response.status_code in (200, 422) and len(response.text) < 300_000 and _LONG[:5_000] not in response.text
    searchset = {"resourceType": "Bundle", "type": "searchset",
                 "entry": [{"resource": r} for r in resources if r["resourceType"] != "Patient"]}
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    answer = _cds(clients, ehr, {"patient": patient, "everything": searchset}, str(patient["id"]))
    assert answer.status_code == 200 and _LONG[:5_000] not in answer.text, answer.text[:300]


@pytest.mark.parametrize("text", ["completed\x00", "completed\x1b[2J", "completed\u202egnp.exe", "completed\x9b[2J"])
def test_a_control_character_the_bundle_gives_is_named_escaped(text: str, ehr: Ehr,
                                                                clients: tuple[TestClient, TestClient]) -> None:
    """Unicode TR36 / CVE-2021-42574 ("Trojan Source": bidirectional overrides reorder what is shown) and OWASP
    Logging Cheat Sheet (no control characters into what people read): the status is quoted escaped, so a warning
    in the web page, the PDF or a CDS card shows what was sent (was: NUL, ESC, U+202E and the C1 CSI passed through)."""
    resources = _jenny_m_with(procedure_status=text)
    imported = import_bundle({"resourceType": "Bundle", "type": "collection",
                              "entry": [{"resource": r} for r in resources]})
    quoted = [w for w in imported.warnings if "with status 'completed" in w]
    assert quoted, imported.warnings
    assert all(w.isprintable() for w in quoted), quoted
    assert any(text.encode("unicode_escape").decode("ascii")[len("completed"):] in w for w in quoted), quoted


_NODES = "tnm-clinical-regional-nodes-category-jenny-m"


@pytest.mark.parametrize("focus", [
    [{"reference": f"Observation/{_NODES}"}],  # itself
    [{"reference": "Condition/not-in-the-bundle"}], [{"reference": f"#{_NODES}"}], [{"reference": "#"}],
    [{"reference": "Condition/" + "c" * 100_000}], [{"reference": 5}], {"reference": "Condition/x"}, "Condition/x",
    [None], [[]], [{}], [{"identifier": {"value": "x"}}], [{"reference": "Condition/primary-cancer-condition-nsclc",
                                                          "type": 5}],
])
def test_a_hostile_observation_focus_is_refused_by_name_or_read(focus: Any,
                                                                clients: tuple[TestClient, TestClient]) -> None:
    """mCODE STU3+ Observation.focus (Reference(Any), 0..*): pointing to itself, to nothing in the Bundle, or sent
    as another JSON type, it gives a case or a 4xx naming the place, never a 500 or the value echoed whole."""
    from tests.interop import _ig_examples as ig

    resources = ig.replaced(_jenny_m_with(), _NODES, focus=focus)
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in [*resources, ig.NSCLC]]}
    try:
        import_bundle(copy.deepcopy(bundle))
    except CaseValidationError as exc:
        assert all(p.field and p.message and len(p.message) < 2_000 for p in exc.problems)
    response = clients[0].post("/api/fhir/assess", json=bundle)
    assert response.status_code in (200, 422) and "c" * 5_000 not in response.text, response.text[:300]


def test_many_focus_references_beside_many_conditions_take_linear_time(clients: tuple[TestClient, TestClient]) -> None:
    """OWASP API Security Top 10 2023 API4 (unrestricted resource consumption): a 1 MiB Bundle of 4,000 Conditions
    and one Observation with 22,000 focus references (a MedicationRequest's reasonReferences alike) was
    compared pair by pair, 10^8 suffix checks: about 15 s of one worker for one request. Each reference is now looked
    up once."""
    import time

    from tests.interop import _ig_examples as ig

    others = [{"resourceType": "Condition", "id": f"o{i}", "subject": {"reference": ig.PATIENT}} for i in range(4_000)]
    focus = [{"reference": f"C/{i}"} for i in range(22_000)]
    resources = [*ig.replaced(_jenny_m_with(), _NODES, focus=focus), *others]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    assert len(json.dumps(bundle, separators=(",", ":"))) < 1024 * 1024  # a request the REST API takes
    started = time.perf_counter()
    response = clients[0].post("/api/fhir/assess", content=json.dumps(bundle, separators=(",", ":")),
                               headers={"Content-Type": "application/fhir+json"})
    assert response.status_code in (200, 422), response.text[:300]
    assert time.perf_counter() - started < 5
