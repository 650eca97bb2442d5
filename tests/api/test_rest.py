"""REST API through FastAPI's TestClient: contract in/out, batch, errors with field paths, limits, OpenAPI."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.limits import BATCH_LIMIT_BYTES, SINGLE_LIMIT_BYTES
from micromets.api.services import example_data
from micromets.model import Assessment, Case, ErrorResult

from _auth import api_client


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with api_client(create_app(), "write") as test_client:
        yield test_client


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(example_data("pn1mi"))


def _fields(response: Any) -> list[str]:
    body = response.json()
    assert set(body) == {"detail"}, body
    assert all(set(item) == {"field", "message"} and item["message"] for item in body["detail"]), body
    return [item["field"] for item in body["detail"]]


def test_assess_returns_the_contract_assessment(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post("/api/assess", json=case)
    assert response.status_code == 200, response.text
    assessment = Assessment.model_validate(response.json())
    assert assessment.id == case["id"]
    assert assessment.staging.n is not None and assessment.staging.n.startswith("pN1mi")
    assert assessment.decisions
    assert assessment.findings.micrometastatic_nodes == 1


def test_assess_takes_the_prognosis_version(client: TestClient, case: dict[str, Any]) -> None:
    versions = client.get("/api/version").json()["prognosis_versions"]
    assert versions
    for version in versions:
        response = client.post("/api/assess", params={"prognosis_version": version}, json=case)
        assert response.status_code == 200, response.text
        prognosis = response.json()["prognosis"]
        if prognosis is not None:
            assert prognosis["model_version"] == version


def test_unknown_prognosis_version_is_a_422_naming_the_parameter(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post("/api/assess", params={"prognosis_version": "9.9"}, json=case)
    assert response.status_code == 422
    assert _fields(response) == ["prognosis_version"]


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    target: Any = data
    parts = path.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
    target[parts[-1]] = value
    return data


BAD_VALUES = [
    ("tumour.grade", 4, "tumour.grade"),
    ("tumour.size_mm", 400, "tumour.size_mm"),
    ("tumour.size_mm", -1, "tumour.size_mm"),
    ("tumour.er_percent", "lots", "tumour.er_percent"),
    ("tumour.her2_ihc", "4+", "tumour.her2_ihc"),
    ("age", "old", "age"),
    ("sex", "unknown", "sex"),
    ("surgery.date", "2026-13-01", "surgery.date"),
    ("nodes.deposits[0].size_mm", "1,2 mm", "nodes.deposits[0].size_mm"),
    ("nodes.deposits[0].method", "pcr", "nodes.deposits[0].method"),
    ("nodes.deposits[0].method", "osna", "nodes.deposits[0].osna_copies_per_ul"),
    ("nodes.deposits[0].node", 9, "nodes.deposits[0].node"),
    ("tumour.in_situ_only", True, "tumour.size_mm"),
    ("tumour", "big", "tumour"),
    ("nodes.deposits", {"node": 1}, "nodes.deposits"),
    ("comorbidities", "asthma", "comorbidities"),
]


@pytest.mark.parametrize(("path", "value", "field"), BAD_VALUES, ids=[f"{p}={v!r}" for p, v, _ in BAD_VALUES])
def test_invalid_value_is_a_422_naming_the_field(
    client: TestClient, case: dict[str, Any], path: str, value: Any, field: str
) -> None:
    response = client.post("/api/assess", json=_set(case, path, value))
    assert response.status_code == 422, response.text
    assert field in _fields(response)


@pytest.mark.parametrize(("path", "field"), [("tumuor", "tumuor"), ("tumour.colour", "tumour.colour"),
                                             ("nodes.deposits[0].sizemm", "nodes.deposits[0].sizemm")])
def test_unknown_field_is_rejected(client: TestClient, case: dict[str, Any], path: str, field: str) -> None:
    response = client.post("/api/assess", json=_set(case, path, 1))
    assert response.status_code == 422
    assert _fields(response) == [field]
    assert "not a field" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize(("body", "field"), [
    (b"{not json", "(body)"),
    (b'{"age": NaN}', "age"),
    (b"\xff\xfe", "(body)"),
    (b"", "(body)"),
    (b"[]", "(case)"),
    (b'"a case"', "(case)"),
    (b"[" * 100_000, "(body)"),
])
def test_malformed_body_is_a_422_with_a_clear_message(client: TestClient, body: bytes, field: str) -> None:
    response = client.post("/api/assess", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert _fields(response) == [field]


def test_batch_gives_one_result_per_item_and_survives_bad_items(client: TestClient, case: dict[str, Any]) -> None:
    bad = _set(copy.deepcopy(case), "tumour.grade", 7)
    bad["id"] = "bad-one"
    response = client.post("/api/assess/batch", json=[case, bad, "not a case", {**case, "id": "third"}])
    assert response.status_code == 200, response.text
    first, second, third, fourth = response.json()
    assert Assessment.model_validate(first).id == case["id"]
    error = ErrorResult.model_validate(second)
    assert error.id == "bad-one" and error.error.field == "tumour.grade" and error.errors[0] == error.error
    assert ErrorResult.model_validate(third).error.field == "(case)"
    assert Assessment.model_validate(fourth).id == "third"


def test_batch_must_be_a_bounded_array(client: TestClient, case: dict[str, Any]) -> None:
    assert _fields(client.post("/api/assess/batch", json=case)) == ["(body)"]
    response = client.post("/api/assess/batch", json=[{}] * 1001)
    assert response.status_code == 422
    assert "at most 1000" in response.json()["detail"][0]["message"]
    assert client.post("/api/assess/batch", json=[]).json() == []


_JSON = {"content-type": "application/json"}


def _padded(case: dict[str, Any], size: int) -> bytes:
    text = json.dumps(case).encode()
    return text[:-1] + b" " * (size - len(text)) + b"}"


def test_oversize_single_body_is_a_413(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post("/api/assess", content=_padded(case, SINGLE_LIMIT_BYTES + 1), headers=_JSON)
    assert response.status_code == 413
    assert _fields(response) == ["(body)"]
    at_limit = client.post("/api/assess", content=_padded(case, SINGLE_LIMIT_BYTES), headers=_JSON)
    assert at_limit.status_code == 200


def test_oversize_chunked_body_without_content_length_is_a_413(client: TestClient, case: dict[str, Any]) -> None:
    body = _padded(case, SINGLE_LIMIT_BYTES + 10)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    response = client.post("/api/assess", content=chunks(), headers=_JSON)
    assert response.status_code == 413


def test_batch_has_its_own_larger_limit(client: TestClient, case: dict[str, Any]) -> None:
    batch = b"[" + _padded(case, 2 * SINGLE_LIMIT_BYTES) + b"]"
    assert client.post("/api/assess/batch", content=batch, headers=_JSON).status_code == 200
    too_big = b"[" + _padded(case, BATCH_LIMIT_BYTES) + b"]"
    assert client.post("/api/assess/batch", content=too_big, headers=_JSON).status_code == 413


def test_schema_endpoints_publish_the_model_schemas(client: TestClient) -> None:
    case_schema = client.get("/api/schema/case").json()
    assert case_schema == Case.model_json_schema(mode="validation")
    assert case_schema["additionalProperties"] is False
    assert {"tumour", "nodes", "surgery", "treatments"} <= set(case_schema["properties"])
    assessment_schema = client.get("/api/schema/assessment").json()
    assert assessment_schema == Assessment.model_json_schema(mode="serialization")
    assert {"findings", "staging", "decisions", "recommendations"} <= set(assessment_schema["properties"])


def test_the_versions_are_given_to_any_valid_token_only(client: TestClient) -> None:
    """OWASP WSTG-INFO-02 ("Fingerprint Web Server") and OWASP REST Security Cheat Sheet ("Sensitive information
    in HTTP requests"/"Security headers": do not advertise versions): the open liveness probe says it is alive and
    nothing else; the software, rule set and PREDICT versions are for callers with a token."""
    from micromets.api import create_app
    from micromets.assess import micromets_version
    from micromets.knowledge import ruleset_version

    from _auth import anonymous_client

    assert client.get("/healthz").json() == {"status": "ok"}
    body = client.get("/api/version").json()
    assert body["micromets_version"] == micromets_version()
    assert body["ruleset_version"] == ruleset_version()
    assert body["prognosis_versions"]
    anonymous = anonymous_client(create_app())
    assert anonymous.get("/api/version").status_code == 401
    for path in ("/healthz", "/openapi.json", "/docs", "/redoc", "/cds-services", "/", "/api/version"):
        text = anonymous.get(path).text
        assert micromets_version() not in text and ruleset_version() not in text, path


def test_openapi_lists_every_endpoint_and_the_case_schema(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert {path: sorted(ops) for path, ops in document["paths"].items()} == {
        "/healthz": ["get"],
        "/api/version": ["get"],
        "/api/assess": ["post"],
        "/api/assess/batch": ["post"],
        "/api/schema/case": ["get"],
        "/api/schema/assessment": ["get"],
        "/api/examples": ["get"],
        "/api/examples/{name}": ["get"],
        "/api/whatif": ["post"],
        "/api/report.pdf": ["post"],
        "/api/patient.html": ["post"],
        "/api/followup.ics": ["post"],
        "/api/fhir/assess": ["post"],
        "/api/assessments": ["get"],
        "/api/assessments/{row_id}": ["get"],
        "/api/assessments/{row_id}/reassess": ["post"],
        "/api/admin/purge": ["post"],
    }
    body = document["paths"]["/api/assess"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Case"}
    schemas = document["components"]["schemas"]
    assert {"Case", "Tumour", "Deposit", "Assessment", "ErrorBody"} <= set(schemas)
    assert "422" in document["paths"]["/api/assess"]["post"]["responses"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "openapi.json" in docs.text


def test_examples_endpoint_serves_the_packaged_cases(client: TestClient) -> None:
    names = client.get("/api/examples").json()
    assert names[0] == "pn1mi"
    assert client.get("/api/examples/pn1mi").json() == example_data("pn1mi")
    assert _fields(client.get("/api/examples/nope")) == ["name"]


def test_whatif_reports_changes(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post("/api/whatif", json={"case": case, "changes": {"tumour.grade": 3}})
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), dict) and response.json()


def test_whatif_errors_name_the_field(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post("/api/whatif", json={"case": case, "changes": {"tumour.grade": 9}})
    assert response.status_code == 422
    assert "tumour.grade" in _fields(response)
    missing = client.post("/api/whatif", json={"case": case})
    assert _fields(missing) == ["changes"]
    extra = client.post("/api/whatif", json={"case": case, "changes": {"tumour.grade": 3}, "colour": 1})
    assert _fields(extra) == ["colour"]
    malformed = client.post("/api/whatif", content=b"{", headers={"content-type": "application/json"})
    assert malformed.status_code == 422 and _fields(malformed) == ["(body)"]


def test_report_pdf(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post("/api/report.pdf", json=case)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="example-pn1mi-report.pdf"' in response.headers["content-disposition"]
    assert client.post("/api/report.pdf", json={"tumour": {"grade": 0}}).status_code == 422


def test_followup_ics_parses_back(client: TestClient, case: dict[str, Any]) -> None:
    import icalendar

    response = client.post("/api/followup.ics", json=case)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    expected = Assessment.model_validate(client.post("/api/assess", json=case).json()).follow_up
    assert len(list(calendar.walk("VEVENT"))) == len(expected)


def test_unknown_route_and_method_keep_the_error_shape() -> None:
    client = api_client(create_app(), "admin")  # unknown paths need read (GET) or admin: see test_access
    assert client.get("/api/nope").status_code == 404
    assert _fields(client.get("/api/nope")) == ["(request)"]
    wrong_method = client.get("/api/assess")
    assert wrong_method.status_code == 405 and _fields(wrong_method) == ["(request)"]


def test_api_docs_are_served_without_a_cdn() -> None:
    # Hospital networks are closed: the Swagger UI assets must come from this server.
    from micromets.api import create_app

    client = api_client(create_app(), "read")
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "unpkg" not in page.text
    asset = page.text.split('src="', 1)[1].split('"', 1)[0]
    assert asset.startswith("/") and client.get(asset).status_code == 200


def test_patient_page_is_plain_html_from_the_same_figures(client: TestClient, case: dict[str, Any]) -> None:
    """Issue 12, item 7: the patient's page over REST (write scope, like the PDF)."""
    response = client.post("/api/patient.html", json=case)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Out of 100 women like you" in response.text and response.text.count("<circle") == 100
    assert _fields(client.post("/api/patient.html", json={**case, "tumour": {"grade": 9}})) == ["tumour.grade"]


def test_an_invalid_value_and_a_contradiction_elsewhere_are_both_in_one_answer(client: TestClient,
                                                                              case: dict[str, Any]) -> None:
    """docs/case-format.md: the 422 lists every invalid field, each as {field, message}, the first as before; a
    contradiction (margins without breast surgery) is no longer hidden behind an invalid grade."""
    bad = _set(copy.deepcopy(case), "tumour.grade", 7)
    bad["surgery"] = {"breast": "none", "margins_mm": 2}
    response = client.post("/api/assess", json=bad)
    assert response.status_code == 422, response.text
    assert _fields(response) == ["tumour.grade", "surgery.margins_mm"]
    assert all(set(item) == {"field", "message"} for item in response.json()["detail"])
