"""The audit store through the REST API: assess -> listed -> fetched; store failure -> 503; no store -> 404."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.services import example_data
from micromets.model import Assessment, Case, parse_case
from micromets.store import Store, StoreError, case_sha256

from _auth import api_client


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.in_memory() as memory_store:
        yield memory_store


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    # admin: these tests assess (write) and read the records back (read); scopes are tested in test_access.
    with api_client(create_app(store), "admin") as test_client:
        yield test_client


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(example_data("pn1mi"))


def _only_problem(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"detail"} and len(body["detail"]) == 1, body
    problem: dict[str, str] = body["detail"][0]
    assert set(problem) == {"field", "message"} and problem["message"]
    return problem


def test_assess_is_recorded_listed_and_fetched(client: TestClient, store: Store, case: dict[str, Any]) -> None:
    response = client.post("/api/assess", json=case)
    assert response.status_code == 200, response.text
    listed = client.get("/api/assessments").json()
    assert len(listed) == 1
    summary = listed[0]
    assert "case" not in summary and "assessment" not in summary
    assert summary["case_id"] == case["id"] and summary["source"] == "api"
    assert summary["case_sha256"] == case_sha256(parse_case(case))
    assert summary["micromets_version"] == response.json()["micromets_version"]

    fetched = client.get(f"/api/assessments/{summary['id']}")
    assert fetched.status_code == 200, fetched.text
    record = fetched.json()
    assert {k: record[k] for k in summary} == summary
    assert Assessment.model_validate(record["assessment"]) == Assessment.model_validate(response.json())
    assert Case.model_validate(record["case"]) == parse_case(case)
    assert len(store.list()) == 1


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
    assert store.list() == []


def test_unknown_row_is_a_404_naming_the_row(client: TestClient) -> None:
    response = client.get("/api/assessments/12345")
    assert response.status_code == 404
    assert _only_problem(response)["field"] == "row_id"
    assert client.get("/api/assessments/0").status_code == 422
    assert client.get("/api/assessments/abc").status_code == 422


class _BrokenStore(Store):
    def __init__(self) -> None:
        super().__init__("sqlite://")

    def record(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("disk full")

    def list(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("disk full")

    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreError("disk full")


def test_store_failure_is_a_503_and_returns_no_assessment(case: dict[str, Any],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    with api_client(create_app(_BrokenStore()), "admin") as client:
        response = client.post("/api/assess", json=case)
        assert response.status_code == 503
        problem = _only_problem(response)
        assert problem["field"] == "(store)" and "not recorded" in problem["message"]
        assert "disk full" not in response.text  # internals stay in the server log
        assert "disk full" in caplog.text
        for path in ("/api/assessments", "/api/assessments/1"):
            failed = client.get(path)
            assert failed.status_code == 503 and _only_problem(failed)["field"] == "(store)"


def test_real_write_failure_is_a_503(store: Store, case: dict[str, Any]) -> None:
    with api_client(create_app(store), "admin") as client:
        store._engine.dispose()  # the in-memory database becomes an empty one
        assert client.post("/api/assess", json=case).status_code == 503


def test_without_a_store_the_endpoints_are_404_with_a_message(case: dict[str, Any]) -> None:
    app = create_app()
    assert not hasattr(app.state, "store")
    with api_client(app, "admin") as client:
        assert client.post("/api/assess", json=case).status_code == 200
        for path in ("/api/assessments", "/api/assessments/1"):
            response = client.get(path)
            assert response.status_code == 404
            problem = _only_problem(response)
            assert problem["field"] == "(store)" and "without an audit store" in problem["message"]


def test_batch_assessments_are_recorded_and_invalid_items_are_not(client: TestClient, store: Store,
                                                                   case: dict[str, Any]) -> None:
    second = {**case, "id": "second"}
    response = client.post("/api/assess/batch", json=[case, {"id": "bad", "age": 5}, second])
    assert response.status_code == 200
    assert [row.case_id for row in store.list()] == ["second", case["id"]]  # newest first
