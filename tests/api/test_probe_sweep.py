"""Attacker probes from the hostile-input sweep that no other test pinned down (each passed when run; kept so
that they stay passing).

Sources: RFC 6750 section 2.3 and OWASP REST Security Cheat Sheet (a bearer token in the URL ends up in logs and
histories: micromets takes the Authorization header only); OWASP Web Security Testing Guide, "Test HTTP Methods"
(method-override headers must not turn a request into another method past the access check); RFC 3986 section 5.2.4
(dot segments) and OWASP Path Traversal (a path that resolves to /api/... is decided as /api/...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.cdshooks import SERVICE_ID
from micromets.api.guard import classify
from micromets.api.security import SecuritySettings
from micromets.store import Store
from micromets.store.access import AccessStore

from _auth import BASE_URL, Ehr, anonymous_client, api_client, new_token, web_client


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


# --- Every route of the app, against every kind of bad credential ------------------------------------------------
# Sources: OWASP Authorization Cheat Sheet ("Deny by default"; "Validate the permissions on every request"),
# OWASP API Security Top 10 2023 API2 (broken authentication: expired, malformed or foreign credentials accepted)
# and API5 (function-level authorization), RFC 6750 section 3.1 (401 invalid_token for a token that is "expired,
# revoked, malformed, or invalid for other reasons"), CDS Hooks 2.0 "Trusting CDS Clients" (a JWT whose ``aud`` is
# not the URL called is not for this call) and OWASP Logging Cheat Sheet / Error Handling (no credential echoed in
# an answer or a log line). The routes are read from the app itself (``app.routes``), so a route added later is
# swept too; the open ones must be the documented list (docs/web-and-api.md, "Access control").

#: What is open without credentials (method, route template): nothing that holds or changes patient data.
OPEN_ROUTES = {("GET", "/openapi.json"), ("HEAD", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"),
               ("GET", "/redoc"), ("GET", "/healthz"), ("GET", "/assets/report.css"), ("GET", "/cds-services"),
               ("*", "/static"), ("*", "/static-offline-docs")}
_CASE_ID = "sweep-patient-7f3a"


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every route, the included routers' routes flattened (FastAPI keeps an included
    router as one entry); a mount counts as ``*``."""

    def walk(routes: list[Any], prefix: str) -> list[tuple[str, str]]:
        found = []
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's included router
                found += walk(route.original_router.routes, prefix + (route.include_context.prefix or ""))
            else:
                found += [(method, prefix + route.path) for method in sorted(getattr(route, "methods", None) or ["*"])]
        return found

    return walk(list(app.routes), "")


class _Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class _Sweep:
    """An app with a recorded case, a trusted EHR, a settable clock and one credential of every kind."""

    def __init__(self, tmp_path: Path) -> None:
        self.clock = _Clock()
        self.ehr = Ehr()
        self.access = AccessStore("sqlite://", clock=self.clock)
        self.store = Store.in_memory()
        settings = SecuritySettings(cds_jwks={self.ehr.issuer: self.ehr.write_jwks(tmp_path / "jwks.json")})
        self.app = create_app(self.store, settings=settings, access=self.access)
        admin = anonymous_client(self.app, headers={"Authorization": f"Bearer {new_token(self.app, 'admin')}"})
        from micromets.api.services import example_data

        recorded = admin.post("/api/assess", json={**example_data("pn1mi"), "id": _CASE_ID})
        assert recorded.status_code == 200, recorded.text
        self.case_sha256 = self.store.list()[0].case_sha256
        self.records = len(self.store.list())
        _, self.short_token = self.access.create_token("admin", name="short", lifetime=dt.timedelta(hours=1))
        self.session = self._session_cookie(self.app)
        other = create_app(Store.in_memory())  # another server: its own secret
        self.foreign_session = self._session_cookie(other)
        self.foreign_token = new_token(other, "admin")

    @staticmethod
    def _session_cookie(app: FastAPI) -> str:
        client = web_client(app)
        return str(client.cookies["micromets_session"])

    def path(self, template: str) -> str:
        return (template.replace("{row_id}", "1").replace("{name}", "pn1mi").replace("{fmt}", "pdf")
                .replace("{case_sha256}", self.case_sha256).replace("{service_id}", SERVICE_ID))

    def jwt(self, path: str, **claims: Any) -> str:
        return self.ehr.token(BASE_URL + path, **claims)


def _variants(sweep: _Sweep, kind: str, path: str) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Credential name -> (headers, cookies): each must be refused on a route of ``kind``."""
    valid_jwt = sweep.jwt(path)
    variants: dict[str, tuple[dict[str, str], dict[str, str]]] = {
        "missing": ({}, {}),
        "bearer without a value": ({"Authorization": "Bearer"}, {}),
        "basic credentials": ({"Authorization": "Basic YWRtaW46YWRtaW4="}, {}),
        "a token of another server": ({"Authorization": f"Bearer {sweep.foreign_token}"}, {}),
        "a tampered token": ({"Authorization": f"Bearer {sweep.short_token[:-4]}AAAA"}, {}),
        "a JWT with three garbage parts": ({"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30.x"}, {}),
        "a tampered session cookie": ({}, {"micromets_session": sweep.session[:-4] + "AAAA"}),
        "a session of another server": ({}, {"micromets_session": sweep.foreign_session}),
        "a JWT for another endpoint": ({"Authorization": f"Bearer {sweep.jwt('/cds-services/another')}"}, {}),
        "a JWT with its aud in an array with others": (
            {"Authorization": f"Bearer {sweep.ehr.token([BASE_URL + path, 'https://elsewhere.example'])}"}, {}),
    }
    if kind != "api":  # a valid API token opens /api/ only
        variants["an API token"] = ({"Authorization": f"Bearer {sweep.short_token}"}, {})
    if kind != "web":  # a valid session opens the web pages only
        variants["a web session"] = ({}, {"micromets_session": sweep.session})
    if kind != "cds":  # a valid JWT for this very URL opens the CDS services only
        variants["a CDS client's JWT"] = ({"Authorization": f"Bearer {valid_jwt}"}, {})
    return variants


def _expired(sweep: _Sweep, path: str) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Credentials that were valid and have expired by the sweep's clock (moved 13 hours on): an API token of
    one hour, a web session (12-hour lifetime), a JWT signed 13 hours ago for this URL."""
    now = int(sweep.clock.now.timestamp())
    old_jwt = sweep.jwt(path, iat=now - 13 * 3600, exp=now - 13 * 3600 + 300)
    return {"an expired API token": ({"Authorization": f"Bearer {sweep.short_token}"}, {}),
            "an expired web session": ({}, {"micromets_session": sweep.session}),
            "an expired JWT": ({"Authorization": f"Bearer {old_jwt}"}, {})}


def _secrets_in(headers: dict[str, str], cookies: dict[str, str]) -> list[str]:
    """The credential values of a request, as they could be echoed (a JWT also by its signature part)."""
    values = [v.split(" ", 1)[1] for v in headers.values() if " " in v and len(v.split(" ", 1)[1]) >= 8]
    values += list(cookies.values())
    return values + [v.rsplit(".", 1)[1] for v in values if v.count(".") == 2 and len(v.rsplit(".", 1)[1]) >= 8]


def _check_refused(sweep: _Sweep, method: str, template: str, kind: str, name: str, headers: dict[str, str],
                   cookies: dict[str, str]) -> None:
    path = sweep.path(template)
    client = TestClient(sweep.app, base_url=BASE_URL, cookies=cookies)
    body = {"json": {}} if method == "POST" and kind != "web" else {"data": {"csrf_token": "x"}} if method == "POST" else {}
    response = client.request(method, path, headers=headers, follow_redirects=False, **body)
    where = (method, template, name, response.status_code)
    assert response.status_code in (401, 403), where
    if kind != "web":
        assert response.headers["www-authenticate"].startswith("Bearer"), where
    else:
        assert 'id="case-form"' not in response.text, where  # the sign-in page, not a page of the app
    answer = response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items())
    assert _CASE_ID not in answer and sweep.case_sha256 not in response.text, where
    for secret in _secrets_in(headers, cookies):
        assert secret not in answer, (where, "the credential is echoed")
    assert "set-cookie" not in {k.lower() for k in response.headers} or "micromets_session=" not in \
        response.headers.get("set-cookie", ""), (where, "a refused request got a session")


def test_the_open_routes_are_exactly_the_documented_ones(tmp_path: Path) -> None:
    app = _Sweep(tmp_path).app
    routes = _routes(app)
    assert len(routes) >= 40 and ("POST", "/cds-services/{service_id}/feedback") in routes  # the flattening works
    opened = {(method, template) for method, template in routes
              if classify(method if method != "*" else "GET", template + ("/x" if method == "*" else "")) == "open"}
    assert opened == OPEN_ROUTES


def test_every_other_route_refuses_missing_malformed_foreign_and_expired_credentials(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    sweep = _Sweep(tmp_path)
    guarded = [(m, t, classify(m, t)) for m, t in _routes(sweep.app) if (m, t) not in OPEN_ROUTES]
    assert {kind for _, _, kind in guarded} == {"api", "cds", "web"}
    sent: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for method, template, kind in guarded:
            for name, (headers, cookies) in _variants(sweep, kind, sweep.path(template)).items():
                _check_refused(sweep, method, template, kind, name, headers, cookies)
                sent += _secrets_in(headers, cookies)
        sweep.clock.now += dt.timedelta(hours=13)
        for method, template, kind in guarded:
            for name, (headers, cookies) in _expired(sweep, sweep.path(template)).items():
                _check_refused(sweep, method, template, kind, name, headers, cookies)
                sent += _secrets_in(headers, cookies)
    assert len(sweep.store.list()) == sweep.records  # nothing was assessed or recorded
    assert not [e for e in sweep.store.events() if e.action == "cds-feedback"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    leaked = sorted({s[:12] for s in sent if s in logged})
    assert not leaked, f"credentials in the log: {leaked}"


def test_the_sweep_credentials_work_where_they_belong(tmp_path: Path) -> None:
    """The refusals above are about the credential, not a broken fixture: each opens its own kind of route."""
    sweep = _Sweep(tmp_path)
    token = anonymous_client(sweep.app, headers={"Authorization": f"Bearer {sweep.short_token}"})
    assert token.get("/api/assessments/1").status_code == 200
    web = TestClient(sweep.app, base_url=BASE_URL, cookies={"micromets_session": sweep.session})
    assert web.get(sweep.path("/assessments/case/{case_sha256}")).status_code == 200
    path = sweep.path("/cds-services/{service_id}")
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "p1"}}
    response = anonymous_client(sweep.app).post(path, json=body, headers={"Authorization": f"Bearer {sweep.jwt(path)}"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("header", [
    "Bearer eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImVoci1rZXktMSJ9.eyJpc3MiOiJ4In0.c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ",
    "Bearer mmt_" + "s3cr3t" * 7, "Bearer " + "\u00e9" * 20, "Bearer a.b", "Bearer a..b", "bearer  " + "x" * 40])
def test_a_refused_credential_is_never_echoed(tmp_path: Path, header: str) -> None:
    sweep = _Sweep(tmp_path)
    value = header.split(" ", 1)[1].strip()
    for method, path in (("GET", "/api/assessments"), ("POST", f"/cds-services/{SERVICE_ID}"),
                         ("POST", f"/cds-services/{SERVICE_ID}/feedback")):
        response = anonymous_client(sweep.app).request(method, path, headers={"Authorization": header.encode("utf-8")},
                                                       json={} if method == "POST" else None)
        assert response.status_code == 401, (path, response.text)
        assert value not in response.text and value not in str(response.headers), path
        for part in (p for p in re.split(r"[.]", value) if len(p) >= 8):
            assert part not in response.text, (path, part)
    assert hashlib.sha256(value.encode()).hexdigest() not in str(sweep.store.events())


@pytest.mark.parametrize("method", ["HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"])
def test_every_guarded_path_refuses_other_methods_without_credentials(tmp_path: Path, method: str) -> None:
    """OWASP WSTG-CONF-06 ("Test HTTP Methods"): a method the route does not take must not slip past the access
    check (HEAD is answered as GET, after it; RFC 9110 section 9.3.2)."""
    sweep = _Sweep(tmp_path)
    paths = sorted({sweep.path(t) for m, t in _routes(sweep.app) if (m, t) not in OPEN_ROUTES and m != "*"})
    for path in paths:
        response = anonymous_client(sweep.app).request(method, path)
        assert response.status_code in (401, 403), (method, path, response.status_code)
        assert _CASE_ID not in response.text and sweep.case_sha256 not in response.text, (method, path)
    assert len(sweep.store.list()) == sweep.records


# --- Redirects after sign-in stay on this server, under the root path (probes of 2026-12-02) ----------------------
# Sources: OWASP Unvalidated Redirects and Forwards Cheat Sheet (a redirect target from the request must be a
# local path), WHATWG URL Standard (special schemes: "\" is read as "/", tab and newline are removed, so "/\evil"
# and "/\t/evil" are "//evil", another host; "https:evil" is another origin), RFC 6265 section 5.1.4 and ASGI 3.0
# root_path (micromets under /micromets/ answers under that prefix only).

_HOSTILE_NEXT = ["//evil.example", "///evil.example/", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                 "/\n/evil.example", "https:evil.example", "https://evil.example/", "javascript:alert(1)",
                 "/%2F%2Fevil.example", "/%5Cevil.example", "/%09/evil.example", " //evil.example", "/.//evil.example",
                 "/..//evil.example", "\u3000//evil.example", "/\uff0f\uff0fevil.example", "/" + "a" * 5000, "",
                 "/assessments?case_id=7"]


def _browser_target(location: str, base: str) -> tuple[str, str]:
    """Where a browser goes for ``Location`` (WHATWG URL parsing of a special scheme): (host, path)."""
    from urllib.parse import urljoin, urlsplit

    cleaned = location.strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f").translate(
        {ord("\t"): None, ord("\n"): None, ord("\r"): None}).replace("\\", "/")
    parts = urlsplit(urljoin(base, cleaned))
    return parts.netloc, parts.path


@pytest.mark.parametrize("root_path", ["", "/micromets", "/micromets/"])
def test_the_redirect_after_sign_in_stays_on_this_server_under_the_root_path(app: FastAPI, root_path: str) -> None:
    from _auth import confirmation_form

    prefix = root_path.rstrip("/")
    for target in _HOSTILE_NEXT:
        client = TestClient(app, base_url=BASE_URL, root_path=root_path)
        page = client.get(f"{prefix}/?token={app.state.access.create_login_token()}")
        action, fields = confirmation_form(page.text)
        response = client.post(action, data={**fields, "next": target}, follow_redirects=False)
        assert response.status_code == 303, (target, response.text[:200])
        location = response.headers["location"]
        host, path = _browser_target(location, BASE_URL + prefix + "/signin")
        assert host == "localhost" and path.startswith(prefix + "/") and not path.startswith("//"), (target, location)


@pytest.mark.parametrize("root_path", ["", "/micromets/"])
@pytest.mark.parametrize("path", ["//evil.example", "///evil.example/", "/\\evil.example", "/%5C%5Cevil.example",
                                  "/%2F%2Fevil.example", "/%09/evil.example"])
def test_a_sign_in_link_on_a_hostile_path_goes_back_to_this_server(app: FastAPI, root_path: str, path: str) -> None:
    """The confirmation page's ``next`` is the path the link was opened on: never another host."""
    from _auth import confirmation_form

    prefix = root_path.rstrip("/")
    client = TestClient(app, base_url=BASE_URL, root_path=root_path)
    page = client.get(f"{prefix}{path}?token={app.state.access.create_login_token()}")
    assert page.status_code == 200, page.text[:200]
    _, fields = confirmation_form(page.text)
    host, went = _browser_target(fields["next"], BASE_URL + prefix + "/signin")
    assert host == "localhost" and not went.startswith("//"), fields["next"]


# --- Path spellings as uvicorn hands them over, under every root path (probes of 2026-12-02) -----------------------
# uvicorn builds scope["path"] as root_path + the percent-decoded target (httpx, unlike a raw socket, would have
# removed the dot segments and kept %2F); the guard and the router must decide on the same path whatever the
# spelling (OWASP Authorization Cheat Sheet, "Deny by default"; OWASP WSTG-ATHZ-01, path traversal around
# authorization; RFC 3986 section 6: a server need not normalise, but it must not decide on one path and route another).

_SPELLINGS = ["/api/assessments", "//api/assessments", "/./api/assessments", "/%2e%2e/api/assessments",
              "/api%2Fassessments", "%2Fapi/assessments", "/static/../api/assessments", "/static//../api/assessments",
              "/static/%2e%2e/api/assessments", "/\\api/assessments", "/api\\assessments", "/%252e%252e/api/assessments",
              "/api/assessments/", "/API/assessments", "/api/assessments/1", "/api/assessments%00",
              "/api/assessments%FF", "/" + "a/" * 5000 + "api/assessments", "/api/version", "//api/version",
              "/api/version/", "/healthz/../api/version", "/cds-services/x/feedback", "//cds-services/x",
              "/assessments", "//assessments", "/assessments/1", "/openapi.json/../api/assessments",
              "/docs/../assessments", "", "/", "//", "/%2F", "/signin", "//signin", "/micromets_x/api/assessments"]


async def _uvicorn_call(app: FastAPI, root: str, target: str) -> tuple[int, dict[str, str], bytes]:
    from urllib.parse import unquote

    raw = target.encode("latin-1")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000), "root_path": root,
             "path": root + unquote(target), "raw_path": root.encode() + raw, "query_string": b"",
             "headers": [(b"host", b"localhost")]}
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode("latin-1") for k, v in message["headers"]}
        else:
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], answer["headers"], answer["body"]


@pytest.mark.parametrize("root", ["", "/", "/micromets", "/micromets/"])
def test_no_path_spelling_opens_a_guarded_route_under_any_root_path(root: str) -> None:
    import asyncio

    from micromets.api.services import example_data

    app = create_app(Store.in_memory())
    recorded = api_client(app, "admin").post("/api/assess", json={**example_data("pn1mi"), "id": "spelling-probe"})
    assert recorded.status_code == 200
    for target in _SPELLINGS:
        status, headers, body = asyncio.run(_uvicorn_call(app, root, target))
        assert status in (400, 401, 404, 405), (root, target[:60], status)  # no 200, no redirect, no 500
        assert b"spelling-probe" not in body and b"micromets_version" not in body, (root, target[:60])
        assert "location" not in headers
