"""Attacker probes from the hostile-input sweep that no other test pinned down (each passed when run; kept so
that they stay passing).

Sources: RFC 6750 section 2.3 and OWASP REST Security Cheat Sheet (a bearer token in the URL ends up in logs and
histories: micromets takes the Authorization header only); OWASP Web Security Testing Guide, "Test HTTP Methods"
(method-override headers must not turn a request into another method past the access check); RFC 3986 section 5.2.4
(dot segments) and OWASP Path Traversal (a path that resolves to /api/... is decided as /api/...).
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from micromets.api import create_app
from micromets.store import Store

from _auth import anonymous_client, api_client, new_token


@pytest.fixture
def app() -> FastAPI:
    return create_app(Store.in_memory())


@pytest.mark.parametrize("name", ["access_token", "token", "api_key", "bearer"])
def test_an_api_token_in_the_query_string_opens_nothing(app: FastAPI, name: str) -> None:
    token = new_token(app, "admin")
    response = anonymous_client(app).get(f"/api/assessments?{name}={token}")
    assert response.status_code == 401


def test_an_api_token_in_a_cookie_opens_nothing(app: FastAPI) -> None:
    client = anonymous_client(app)
    client.cookies.set("access_token", new_token(app, "admin"))
    assert client.get("/api/assessments").status_code == 401


@pytest.mark.parametrize("header", ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"])
def test_method_override_headers_change_nothing(app: FastAPI, header: str) -> None:
    read = api_client(app, "read")
    assert read.get("/api/assessments", headers={header: "POST"}).status_code == 200
    # a read token cannot re-assess (POST needs write) by calling itself a GET
    assert read.post("/api/assessments/1/reassess", headers={header: "GET"}, json={}).status_code == 403
    assert api_client(app, "write").post("/api/admin/purge", headers={header: "GET"}, json={}).status_code == 403


@pytest.mark.parametrize("path", ["/API/assessments", "/api//assessments", "/api/./assessments",
                                  "/static/../api/assessments", "/static/%2e%2e/api/assessments",
                                  "/healthz/../api/assessments", "/api%2fassessments",
                                  "/assets/report.css/../../assessments"])
def test_path_tricks_reach_no_record_without_credentials(app: FastAPI, path: str) -> None:
    api_client(app, "write").post("/api/assess", json={"id": "probe", "age": 60})
    response = anonymous_client(app).get(path)
    assert response.status_code in (400, 401, 404) and "probe" not in response.text
