"""The audit trail through every assessing HTTP route (issue 9, "a complete audit trail"): REST, batch,
web form and downloads, what-if, CDS Hooks and re-assessment record who asked, where and exactly what
was returned — and only what was returned; a store failure is a 503 with no assessment. On SQLite and
PostgreSQL (``db_url``)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import audit, services
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.services import example_data
from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.model import Assessment, Case, parse_case
from micromets.store import Store, StoredAssessment, StoreError, case_sha256

from _auth import Ehr, WebClient, cds_app, web_client


class _Credentials:
    """What a real caller sends: an admin token (REST API; named ``alice``) or a signed JWT per call (CDS
    Hooks); web pages go by the session cookie of the signed-in client."""

    def __init__(self, token: str, ehr: Ehr) -> None:
        self.token, self.ehr = token, ehr

    def __call__(self, request: Any) -> Any:
        if request.url.path.startswith("/cds-services/"):
            audience = str(request.url.copy_with(query=None))
            request.headers["Authorization"] = f"Bearer {self.ehr.token(audience)}"
        else:
            request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def _signed_in(app: FastAPI, ehr: Ehr, **kwargs: Any) -> tuple[WebClient, str]:
    """A client with every credential, and the audit actor of its API token."""
    record, secret = app.state.access.create_token("admin", name="alice")
    client = web_client(app, **kwargs)
    client.auth = _Credentials(secret, ehr)
    return client, f"token:{record.id} alice"


@pytest.fixture
def ehr() -> Ehr:
    return Ehr()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


def _app(store: Store | None, ehr: Ehr, folder: Path) -> FastAPI:
    return cds_app(ehr, folder / "ehr-jwks.json", store=store)


@pytest.fixture
def signed_in(store: Store, ehr: Ehr, tmp_path: Path) -> Iterator[tuple[WebClient, str]]:
    client, actor = _signed_in(_app(store, ehr, tmp_path), ehr)
    with client:
        yield client, actor


@pytest.fixture
def client(signed_in: tuple[WebClient, str]) -> TestClient:
    return signed_in[0]


@pytest.fixture
def actor(signed_in: tuple[WebClient, str]) -> str:
    return signed_in[1]


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(example_data("pn1mi"))


def _only_problem(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"detail"} and len(body["detail"]) == 1, body
    problem: dict[str, str] = body["detail"][0]
    assert set(problem) == {"field", "message"} and problem["message"]
    return problem


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _all(store: Store) -> list[StoredAssessment]:
    return list(store.export())


def test_assess_is_recorded_with_who_asked_and_exactly_what_was_returned(
        client: TestClient, store: Store, case: dict[str, Any], actor: str) -> None:
    response = client.post("/api/assess", json=case)
    assert response.status_code == 200, response.text
    (row,) = _all(store)
    assert row.source == "api" and row.output == "json" and row.actor == actor
    assert row.response_sha256 == _sha(response.content)
    assert row.assessment == response.json()
    listed = client.get("/api/assessments").json()
    assert [r["id"] for r in listed] == [row.id] and "case" not in listed[0]
    assert listed[0]["case_sha256"] == case_sha256(parse_case(case)) and listed[0]["actor"] == actor
    fetched = client.get(f"/api/assessments/{row.id}").json()
    assert Assessment.model_validate(fetched["assessment"]) == Assessment.model_validate(response.json())
    assert Case.model_validate(fetched["case"]) == parse_case(case)


def test_the_actor_is_what_the_authentication_layer_says() -> None:
    def request(principal: Any) -> Any:
        return SimpleNamespace(state=SimpleNamespace(principal=principal) if principal else SimpleNamespace())

    assert audit.actor_of(request(None)) is None
    assert audit.actor_of(request("token:3 bob")) == "token:3 bob"
    assert audit.actor_of(request(SimpleNamespace(actor="token:4 carol"))) == "token:4 carol"


def test_list_filters_by_case_and_limits(client: TestClient, case: dict[str, Any]) -> None:
    for case_id in ("a", "b", "a"):
        assert client.post("/api/assess", json={**case, "id": case_id}).status_code == 200
    assert [r["case_id"] for r in client.get("/api/assessments").json()] == ["a", "b", "a"]
    assert len(client.get("/api/assessments", params={"case_id": "a"}).json()) == 2
    assert len(client.get("/api/assessments", params={"limit": 1}).json()) == 1
    assert client.get("/api/assessments", params={"case_id": "nobody"}).json() == []
    assert _only_problem(client.get("/api/assessments", params={"limit": 0}))["field"] == "limit"


def test_invalid_cases_are_not_recorded(client: TestClient, store: Store) -> None:
    assert client.post("/api/assess", json={"tumour": {"grade": 4}}).status_code == 422
    assert _all(store) == []


def test_unknown_row_is_a_404_naming_the_row(client: TestClient) -> None:
    response = client.get("/api/assessments/12345")
    assert response.status_code == 404
    assert _only_problem(response)["field"] == "row_id"
    assert client.get("/api/assessments/0").status_code == 422
    assert client.get("/api/assessments/abc").status_code == 422
    assert client.post("/api/assessments/12345/reassess").status_code == 404


def test_batch_records_every_valid_item_in_one_request(client: TestClient, store: Store,
                                                       case: dict[str, Any]) -> None:
    second = {**case, "id": "second"}
    response = client.post("/api/assess/batch", json=[case, {"id": "bad", "age": 5}, second])
    assert response.status_code == 200
    body = response.json()
    rows = _all(store)
    assert [r.case_id for r in rows] == [case["id"], "second"]
    assert {r.source for r in rows} == {"batch"} and len({r.request_id for r in rows}) == 1
    assert [r.assessment for r in rows] == [body[0], body[2]]
    assert "error" in body[1]


def test_a_batch_failing_midway_records_nothing(store: Store, case: dict[str, Any], ehr: Ehr, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = services.assess_case

    def fails_on_the_second(one: Case, version: str | None = None) -> Assessment:
        if one.id == "second":
            raise RuntimeError("simulated failure")
        return real(one, version)

    monkeypatch.setattr(services, "assess_case", fails_on_the_second)
    client, _ = _signed_in(_app(store, ehr, tmp_path), ehr, raise_server_exceptions=False)
    with client:
        response = client.post("/api/assess/batch", json=[case, {**case, "id": "second"}])
    assert response.status_code == 500
    assert _all(store) == []


def test_report_and_calendar_downloads_are_recorded(client: TestClient, store: Store,
                                                    case: dict[str, Any]) -> None:
    pdf = client.post("/api/report.pdf", json=case)
    ics = client.post("/api/followup.ics", json=case)
    assert pdf.status_code == ics.status_code == 200
    rows = _all(store)
    assert [(r.source, r.output) for r in rows] == [("api", "pdf"), ("api", "ics")]
    assert [r.response_sha256 for r in rows] == [_sha(pdf.content), _sha(ics.content)]


def test_whatif_records_both_assessments_and_the_answer(client: TestClient, store: Store,
                                                       case: dict[str, Any]) -> None:
    response = client.post("/api/whatif", json={"case": case, "changes": {"tumour.grade": 3}})
    assert response.status_code == 200
    before, after = _all(store)
    assert before.source == after.source == "whatif" and before.request_id == after.request_id
    assert before.case["tumour"]["grade"] == case["tumour"]["grade"] and after.case["tumour"]["grade"] == 3
    assert before.response == after.response == response.json()
    assert after.response_sha256 == _sha(response.content)


def _cds_request() -> dict[str, Any]:
    one = parse_case(example_data("her2-osna-micromet"))
    bundle = to_bundle(assess(one), one)
    patient = next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    return {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": patient}, "prefetch": {"bundle": bundle}}


def test_cds_hooks_cards_are_recorded_and_problem_cards_are_not(client: TestClient, store: Store) -> None:
    response = client.post(f"/cds-services/{SERVICE_ID}", json=_cds_request())
    assert response.status_code == 200
    (row,) = _all(store)
    assert row.source == "cds-hooks" and row.output == "cards" and row.response == response.json()
    no_data = {**_cds_request(), "prefetch": {}}
    assert client.post(f"/cds-services/{SERVICE_ID}", json=no_data).status_code == 200
    assert len(_all(store)) == 1


def _form(case: dict[str, Any]) -> dict[str, str]:
    return {"case_json": json.dumps(case), "prognosis_version": ""}


def test_web_report_downloads_and_whatif_are_recorded(client: TestClient, store: Store,
                                                      case: dict[str, Any], actor: str) -> None:
    page = client.post("/report", data=_form(case))
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    downloads = {fmt: client.post(f"/download/{fmt}", data=_form(case)) for fmt in ("json", "pdf", "ics")}
    assert all(r.status_code == 200 for r in downloads.values())
    whatif = client.post("/whatif", data={**_form(case), "field": "tumour.grade", "value": "3"})
    assert whatif.status_code == 200
    rows = _all(store)
    assert [(r.source, r.output) for r in rows] == [
        ("web", "html"), ("web-download", "json"), ("web-download", "pdf"), ("web-download", "ics"),
        ("whatif", "whatif"), ("whatif", "whatif")]
    assert rows[0].response_sha256 == _sha(page.content)
    assert [r.response_sha256 for r in rows[1:4]] == [_sha(d.content) for d in downloads.values()]
    assert rows[4].response_sha256 == _sha(whatif.content) and rows[4].response is not None
    # the web pages go by the signed-in session, not by the API token the client also holds
    (web_actor,) = {r.actor for r in rows}
    assert web_actor is not None and web_actor.startswith("session:") and web_actor != actor


def test_web_form_submission_is_recorded(client: TestClient, store: Store) -> None:
    # T, N and M: enough for a stage, so the web app gives a report (too little gets the form back, unrecorded).
    response = client.post("/assess", data={"tumour.size_mm": "12", "clinical_nodes": "cN0", "metastasis": "cM0",
                                            "id": "form-1"})
    assert response.status_code == 200, response.text
    (row,) = _all(store)
    assert row.source == "web" and row.case_id == "form-1" and row.response_sha256 == _sha(response.content)


def test_invalid_web_input_is_not_recorded(client: TestClient, store: Store) -> None:
    assert client.post("/assess", data={"tumour.grade": "4"}).status_code == 422
    assert client.post("/report", data={"case_json": "{"}).status_code == 422
    assert _all(store) == []


def _older_record(store: Store, case: dict[str, Any]) -> StoredAssessment:
    """A record as an older rule set could have left it: another decision and rule, another version."""
    one = parse_case(case)
    now = assess(one)
    key = next(iter(now.decisions))
    moved = "discuss" if now.decisions[key] != "discuss" else "recommended"
    older = now.model_copy(update={
        "ruleset_version": "micromets-rules-2025.01+000000000000",
        "decisions": {**now.decisions, key: moved},
        "recommendations": now.recommendations[1:],
    })
    return store.record(one, older, source="api")


def test_reassess_shows_what_moved_and_is_recorded(client: TestClient, store: Store, actor: str,
                                                   case: dict[str, Any]) -> None:
    old = _older_record(store, case)
    response = client.post(f"/api/assessments/{old.id}/reassess")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["row_id"] == old.id and body["changed"] is True
    assert body["versions"]["ruleset_version"]["before"] == "micromets-rules-2025.01+000000000000"
    assert body["versions"]["ruleset_version"]["after"] == assess(parse_case(case)).ruleset_version
    (decision,) = body["decisions"]
    assert decision["before"] == old.assessment["decisions"][decision["field"]]
    added = assess(parse_case(case)).recommendations[0]
    assert {"id": added.id, "change": "added"}.items() <= body["recommendations"][0].items()
    new = store.list(limit=1)[0]
    assert new.source == "reassess" and new.reassessed_from == old.id and new.actor == actor
    assert new.response_sha256 == _sha(response.content)
    # re-assessing the new record: nothing moves
    again = client.post(f"/api/assessments/{new.id}/reassess").json()
    assert again["changed"] is False and again["decisions"] == [] and again["recommendations"] == []


def test_web_audit_pages_list_and_reassess(client: TestClient, store: Store, case: dict[str, Any]) -> None:
    old = _older_record(store, case)
    listing = client.get("/assessments")
    assert listing.status_code == 200 and f'action="/assessments/{old.id}/reassess"' in listing.text
    page = client.post(f"/assessments/{old.id}/reassess", data={})
    assert page.status_code == 200 and 'id="reassess-decisions"' in page.text
    assert "micromets-rules-2025.01+000000000000" in page.text
    assert store.list(limit=1)[0].reassessed_from == old.id
    assert client.post("/assessments/999999/reassess", data={}).status_code == 404
    assert 'href="/assessments"' in client.get("/").text


def test_admin_purge_deletes_old_records_and_leaves_its_event(client: TestClient, store: Store,
                                                              case: dict[str, Any], actor: str) -> None:
    assert client.post("/api/assess", json=case).status_code == 200
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    assert _only_problem(client.post("/api/admin/purge", json={"before": future}))["field"] == "before"
    assert _only_problem(client.post("/api/admin/purge", json={}))["field"] == "(body)"
    assert client.post("/api/admin/purge", json={"before": "2026-01-01T00:00:00"}).status_code == 422
    kept = client.post("/api/admin/purge", json={"retention_days": 30})
    assert kept.status_code == 200 and kept.json()["deleted"] == 0
    now = dt.datetime.now(dt.UTC).isoformat()
    purged = client.post("/api/admin/purge", json={"before": now})
    assert purged.status_code == 200 and purged.json()["deleted"] == 1
    assert _all(store) == []
    events = store.events()
    assert [e.detail["deleted"] for e in events] == [0, 1] and {e.actor for e in events} == {actor}


class _BrokenStore(Store):
    def __init__(self) -> None:
        super().__init__("sqlite://")

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("disk full")

    def list(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("disk full")

    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("disk full")


def test_store_failure_is_a_503_and_returns_no_assessment(case: dict[str, Any], ehr: Ehr, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    client, _ = _signed_in(_app(_BrokenStore(), ehr, tmp_path), ehr)
    with client:
        for path, body in (("/api/assess", case), ("/api/assess/batch", [case]), ("/api/report.pdf", case),
                           ("/api/whatif", {"case": case, "changes": {"tumour.grade": 3}}),
                           (f"/cds-services/{SERVICE_ID}", _cds_request())):
            response = client.post(path, json=body)
            assert response.status_code == 503, path
            problem = _only_problem(response)
            assert problem["field"] == "(store)" and "not recorded" in problem["message"]
            assert "disk full" not in response.text  # internals stay in the server log
        assert "disk full" in caplog.text
        for method, path in (("GET", "/api/assessments"), ("GET", "/api/assessments/1"),
                             ("POST", "/api/assessments/1/reassess")):
            failed = client.request(method, path)
            assert failed.status_code == 503 and _only_problem(failed)["field"] == "(store)"
        for path, form in (("/report", _form(case)), ("/download/pdf", _form(case))):
            page = client.post(path, data=form)
            assert page.status_code == 503 and "not recorded" in page.text and "%PDF" not in page.text
        assert client.get("/assessments").status_code == 503


def test_real_write_failure_is_a_503(ehr: Ehr, tmp_path: Path) -> None:
    store = Store.in_memory()
    client, _ = _signed_in(_app(store, ehr, tmp_path), ehr)
    with client:
        store._engine.dispose()  # the in-memory database becomes an empty one
        assert client.post("/api/assess", json=example_data("pn1mi")).status_code == 503
    store.close()


def test_without_a_store_nothing_is_recorded_and_the_audit_endpoints_are_404(case: dict[str, Any], ehr: Ehr,
                                                                           tmp_path: Path) -> None:
    app = _app(None, ehr, tmp_path)
    assert not hasattr(app.state, "store")
    client, _ = _signed_in(app, ehr)
    with client:
        assert client.post("/api/assess", json=case).status_code == 200
        assert client.post("/report", data=_form(case)).status_code == 200
        for method, path in (("GET", "/api/assessments"), ("GET", "/api/assessments/1"),
                             ("POST", "/api/assessments/1/reassess")):
            response = client.request(method, path)
            assert response.status_code == 404
            problem = _only_problem(response)
            assert problem["field"] == "(store)" and "without an audit store" in problem["message"]
        assert client.post("/api/admin/purge", json={"retention_days": 1}).status_code == 404
        assert client.get("/assessments").status_code == 404
