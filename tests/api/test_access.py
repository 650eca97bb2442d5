"""Access control of the REST API and the web app (issue 9, "Access control").

Sources: RFC 6750 (bearer tokens: 401 with ``WWW-Authenticate: Bearer``, ``error="invalid_token"``,
403 ``insufficient_scope``), RFC 6265bis (``HttpOnly``, ``SameSite=Strict``, ``Secure`` cookies),
the OWASP CSRF Prevention Cheat Sheet (synchronizer token tied to the session, checked server-side;
``Sec-Fetch-Site``), OWASP Secure Headers, and the Fetch standard's CORS-safelisted request
content types (a cross-site page can POST ``text/plain``, ``application/x-www-form-urlencoded`` or
``multipart/form-data`` without a preflight: those must be refused before any work).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.security import SecuritySettings
from micromets.api.services import example_data
from micromets.store import Store

from _auth import (
    anonymous_client,
    api_client,
    confirmation_form,
    csrf_token_in,
    new_token,
    open_link,
    web_client,
)


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(example_data("pn1mi"))


def _problem(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"detail"} and len(body["detail"]) == 1, body
    problem: dict[str, str] = body["detail"][0]
    assert set(problem) == {"field", "message"} and problem["message"]
    return problem


def _api_operations(app: FastAPI) -> list[tuple[str, str]]:
    document = anonymous_client(app).get("/openapi.json").json()
    return [(method.upper(), path.replace("{row_id}", "1").replace("{name}", "pn1mi"))
            for path, operations in document["paths"].items() if path.startswith("/api/")
            for method in operations]


# REST API: tokens


def test_healthz_and_the_api_documentation_stay_open(anon_client: TestClient) -> None:
    assert anon_client.get("/healthz").json()["status"] == "ok"
    assert anon_client.get("/openapi.json").status_code == 200
    assert anon_client.get("/docs").status_code == 200


def test_every_api_operation_needs_a_token(api_app: FastAPI, anon_client: TestClient) -> None:
    operations = _api_operations(api_app)
    assert len(operations) >= 11
    for method, path in operations:
        response = anon_client.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert _problem(response)["field"] == "(authorization)"


@pytest.mark.parametrize("header", ["Bearer mmt_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "mmt_x",
                                    "Bearer " + "a" * 5000])
def test_a_wrong_token_is_401(api_app: FastAPI, case: dict[str, Any], header: str) -> None:
    new_token(api_app, "admin")  # a real token exists; the one sent is not it
    response = anonymous_client(api_app).post("/api/assess", json=case, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_invalid_token_says_so_in_www_authenticate(anon_client: TestClient, case: dict[str, Any]) -> None:
    response = anon_client.post("/api/assess", json=case, headers={"Authorization": "Bearer mmt_nope"})
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_revoked_token_is_refused_from_the_next_request(api_app: FastAPI, case: dict[str, Any]) -> None:
    token, secret = api_app.state.access.create_token("write", name="to revoke")
    client = anonymous_client(api_app, headers={"Authorization": f"Bearer {secret}"})
    assert client.post("/api/assess", json=case).status_code == 200
    api_app.state.access.revoke(token.id)
    assert client.post("/api/assess", json=case).status_code == 401


# REST API: scopes, decided by method and path


@pytest.fixture
def store_app() -> FastAPI:
    return create_app(Store.in_memory())


@pytest.mark.parametrize(("scope", "method", "path", "allowed"), [
    ("write", "POST", "/api/assess", True),
    ("write", "POST", "/api/assess/batch", True),
    ("write", "POST", "/api/whatif", True),
    ("write", "POST", "/api/followup.ics", True),
    ("write", "GET", "/api/assessments", False),
    ("write", "GET", "/api/assessments/1", False),
    ("read", "GET", "/api/assessments", True),
    ("read", "GET", "/api/assessments/1", True),
    ("read", "POST", "/api/assess", False),
    ("read", "POST", "/api/assess/batch", False),
    ("read", "POST", "/api/whatif", False),
    ("read", "POST", "/api/report.pdf", False),
    ("admin", "POST", "/api/assess", True),
    ("admin", "GET", "/api/assessments", True),
    ("read", "GET", "/api/schema/case", True),
    ("write", "GET", "/api/examples/pn1mi", True),
    ("read", "GET", "/api/admin/anything", False),
    ("write", "POST", "/api/admin/anything", False),
    ("admin", "GET", "/api/admin/anything", True),
])
def test_scopes(store_app: FastAPI, case: dict[str, Any], scope: str, method: str, path: str, allowed: bool) -> None:
    client = api_client(store_app, scope)
    body = {"case": case, "changes": {"tumour.grade": 3}} if path == "/api/whatif" else \
        [case] if path.endswith("/batch") else case
    response = client.request(method, path, json=body if method == "POST" else None)
    if allowed:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 403, response.text
        assert _problem(response)["field"] == "(scope)"
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


def test_a_refused_write_does_no_work(case: dict[str, Any]) -> None:
    store = Store.in_memory()
    app = create_app(store)
    assert api_client(app, "read").post("/api/assess", json=case).status_code == 403
    assert anonymous_client(app).post("/api/assess", json=case).status_code == 401
    assert store.list() == []


def _whoami_app() -> FastAPI:
    app = create_app()

    @app.get("/api/whoami")
    def whoami(request: Request) -> dict[str, Any]:
        result: dict[str, Any] = request.state.principal.as_dict()
        return result

    @app.get("/whoami")
    def web_whoami(request: Request) -> dict[str, Any]:
        result: dict[str, Any] = request.state.principal.as_dict()
        return result

    return app


def test_the_principal_is_on_request_state() -> None:
    app = _whoami_app()
    token, secret = app.state.access.create_token("read", name="dashboard")
    me = anonymous_client(app, headers={"Authorization": f"Bearer {secret}"}).get("/api/whoami").json()
    assert me == {"kind": "token", "id": str(token.id), "name": "dashboard", "scope": "read", "scopes": ["read"],
                  "tenant": None}
    session = web_client(app).get("/whoami").json()
    assert session["kind"] == "session" and session["scope"] == "session" and len(session["id"]) == 16
    assert session["scopes"] == ["read", "write"] and session["name"] == "tests"


# Cross-site requests: content type, Host, CORS


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          "application/json; charset=latin-1", "application/xml"])
def test_a_body_that_is_not_json_is_415_before_any_work(case: dict[str, Any], content_type: str) -> None:
    store = Store.in_memory()
    client = api_client(create_app(store), "write")
    for path in ("/api/assess", "/api/assess/batch", "/api/report.pdf", "/api/followup.ics", "/api/whatif"):
        response = client.post(path, content=json.dumps(case).encode(), headers={"Content-Type": content_type})
        assert response.status_code == 415, (path, response.text)
        assert _problem(response)["field"] == "(content-type)"
    assert store.list() == []


def test_json_content_types_are_accepted(write_client: TestClient, case: dict[str, Any]) -> None:
    for content_type in ("application/json", "application/json; charset=UTF-8", "application/fhir+json"):
        response = write_client.post("/api/assess", content=json.dumps(case).encode(),
                                     headers={"Content-Type": content_type})
        assert response.status_code == 200, (content_type, response.text)


def test_a_body_without_content_type_is_415(write_client: TestClient) -> None:
    assert write_client.post("/api/assess", content=b'{"id": "x"}', headers={"Content-Type": ""}).status_code == 415


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.2", ""])
def test_a_foreign_host_header_is_400(api_app: FastAPI, host: str) -> None:
    client = api_client(api_app, "admin")
    for path in ("/healthz", "/api/assessments", "/"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert _problem(response)["field"] == "(host)"


def test_allowed_hosts_are_configurable() -> None:
    app = create_app(settings=SecuritySettings(allowed_hosts=("micromets.hospital.org", "10.0.0.5:8443")))
    assert TestClient(app, base_url="http://micromets.hospital.org:9000").get("/healthz").status_code == 200
    assert TestClient(app, base_url="https://10.0.0.5:8443").get("/healthz").status_code == 200
    assert TestClient(app, base_url="https://10.0.0.5:8444").get("/healthz").status_code == 400
    assert TestClient(app, base_url="http://localhost").get("/healthz").status_code == 400
    assert TestClient(create_app()).get("/healthz").status_code == 400  # "testserver" is not loopback


def test_no_cors_unless_configured(write_client: TestClient, case: dict[str, Any]) -> None:
    origin = {"Origin": "https://evil.example"}
    response = write_client.post("/api/assess", json=case, headers=origin)
    assert "access-control-allow-origin" not in response.headers
    preflight = write_client.options("/api/assess", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_configured_cors_origins_only(case: dict[str, Any]) -> None:
    app = create_app(settings=SecuritySettings(cors_origins=("https://app.hospital.org",)))
    client = api_client(app, "write")
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    allowed = client.options("/api/assess", headers={"Origin": "https://app.hospital.org", **ask})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.hospital.org"
    assert "access-control-allow-credentials" not in allowed.headers
    other = client.options("/api/assess", headers={"Origin": "https://evil.example", **ask})
    assert "access-control-allow-origin" not in other.headers
    response = client.post("/api/assess", json=case, headers={"Origin": "https://app.hospital.org"})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "https://app.hospital.org"


# Headers and logs


def _check_security_headers(response: Any) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_security_headers_on_every_kind_of_response(api_app: FastAPI, case: dict[str, Any]) -> None:
    write, anon, web = api_client(api_app, "write"), anonymous_client(api_app), web_client(api_app)
    responses = {
        "assessment": write.post("/api/assess", json=case),
        "pdf": write.post("/api/report.pdf", json=case),
        "invalid": write.post("/api/assess", json={"tumour": {"grade": 9}}),
        "401": anon.post("/api/assess", json=case),
        "400 host": anon.get("/healthz", headers={"Host": "evil.example"}),
        "sign-in page": anon.get("/"),
        "web result": web.post("/report", data={"case_json": json.dumps(case), "prognosis_version": ""}),
        "web download": web.post("/download/json", data={"case_json": json.dumps(case),
                                                         "prognosis_version": ""}),
        "health": anon.get("/healthz"),
    }
    for name, response in responses.items():
        _check_security_headers(response)
        assert response.headers["cache-control"] == "no-store", name
    assert responses["assessment"].status_code == 200 and responses["web result"].status_code == 200
    page_csp = responses["web result"].headers["content-security-policy"]
    script_src = next(part for part in page_csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in page_csp
    static = anon.get("/static/style.css")
    _check_security_headers(static)
    assert "no-store" not in static.headers.get("cache-control", "")


def test_hsts_over_https() -> None:
    app = create_app()
    assert "strict-transport-security" in TestClient(app, base_url="https://localhost").get("/healthz").headers
    assert "strict-transport-security" not in TestClient(app, base_url="http://localhost").get("/healthz").headers


def test_logs_carry_no_case_id_or_query_string(case: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    secret_id = "CASE-ID-6612-SHOULD-NOT-BE-LOGGED"
    case["id"] = secret_id
    app = create_app(Store.in_memory())
    admin = api_client(app, "admin")
    web = web_client(app)
    with caplog.at_level(logging.DEBUG):
        assert admin.post("/api/assess", json=case).status_code == 200
        assert admin.get("/api/assessments", params={"case_id": secret_id}).json()[0]["case_id"] == secret_id
        assert admin.get(f"/api/nothing/{secret_id}").status_code == 404
        assert anonymous_client(app).get("/api/assessments", params={"case_id": secret_id}).status_code == 401
        assert web.get("/", params={"example": "pn1mi", "note": secret_id}).status_code == 200
        web.post("/report", data={"case_json": json.dumps(case), "prognosis_version": ""})
        web.post("/whatif", data={"case_json": "{", "field": secret_id})
    access = [r.getMessage() for r in caplog.records if r.name == "micromets.access"]
    assert any('"GET /api/assessments" 200' in line for line in access), access
    assert any('"POST /api/assess" 200' in line and "token:" in line for line in access), access
    # Everything the server side logged (the test's own HTTP client logs full URLs: not the server's log).
    server = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert secret_id not in server
    assert "case_id" not in server and "?" not in "".join(access)


# Web app: sign-in link, session cookie, CSRF


def test_without_a_session_every_web_page_is_the_sign_in_page(api_app: FastAPI) -> None:
    anon = anonymous_client(api_app)
    for method, path in [("GET", "/"), ("GET", "/?example=pn1mi"), ("POST", "/assess"), ("POST", "/report"),
                         ("POST", "/download/pdf"), ("POST", "/whatif"), ("POST", "/edit"), ("GET", "/nowhere")]:
        response = anon.request(method, path, data={"case_json": "{}"})
        assert response.status_code == 401, (method, path)
        assert "Sign in" in response.text and 'id="case-form"' not in response.text
        assert "example-pn1mi" not in response.text


def test_the_sign_in_link_sets_a_strict_http_only_cookie_and_redirects_to_the_clean_url(api_app: FastAPI) -> None:
    link = api_app.state.access.create_login_token()
    client = anonymous_client(api_app)
    response = open_link(client, f"/?example=pn1mi&token={link}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?example=pn1mi"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("micromets_session="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert cookie.startswith("micromets_session=")
    assert {"httponly", "samesite=strict", "path=/"} <= flags and "secure" not in flags
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and 'value="example-pn1mi"' in page.text


@pytest.mark.parametrize("path", ["//evil.example/", "/\\evil.example/"])
def test_the_sign_in_redirect_stays_on_this_server(api_app: FastAPI, path: str) -> None:
    link = api_app.state.access.create_login_token()
    response = open_link(anonymous_client(api_app), f"{path}?token={link}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "/\t/evil.example/", "https://evil.example/",
                                    "evil.example", "/\n/evil.example"])
def test_the_sign_in_form_cannot_send_the_browser_elsewhere(api_app: FastAPI, target: str) -> None:
    """OWASP Unvalidated Redirects and Forwards: the ``next`` field of the sign-in form is the user's input;
    browsers drop tabs and newlines from URLs (WHATWG URL parser), so ``/\t/host`` is ``//host``."""
    link = api_app.state.access.create_login_token()
    client = anonymous_client(api_app)
    action, fields = confirmation_form(client.get(f"/?token={link}").text)
    response = client.post(action, data={**fields, "next": target}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_the_cookie_is_secure_over_https(api_app: FastAPI) -> None:
    link = api_app.state.access.create_login_token()
    response = open_link(TestClient(api_app, base_url="https://localhost"), f"/?token={link}", follow_redirects=False)
    # RFC 6265bis 4.1.3: over https at Path=/ the name carries the __Host- prefix (tests/api/test_cookie_scope.py)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-micromets_session="))
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_a_sign_in_link_works_once(api_app: FastAPI) -> None:
    link = api_app.state.access.create_login_token()
    assert open_link(anonymous_client(api_app), f"/?token={link}").status_code == 200
    again = anonymous_client(api_app).get(f"/?token={link}")
    assert again.status_code == 401 and "not valid" in again.text
    assert "micromets_session" not in again.headers.get("set-cookie", "")
    client = anonymous_client(api_app)  # the form of a page shown before the link was used: refused too
    action, fields = confirmation_form(client.get(f"/?token={api_app.state.access.create_login_token()}").text)
    used = client.post(action, data={**fields, "token": link}, follow_redirects=False)
    assert used.status_code == 401 and "not valid" in used.text and "micromets_session=" not in str(used.headers)


@pytest.mark.parametrize("user_agent", ["Slackbot-LinkExpanding 1.0", "Mozilla/5.0 (compatible; SafeLinks)", "curl/8"])
def test_a_get_of_the_link_changes_nothing(api_app: FastAPI, user_agent: str) -> None:
    """RFC 9110 section 9.2.1: GET is safe. Chat link previews and mail scanners GET a link before (or instead
    of) the user: they must neither use it up nor get a session. The page says which account the link opens
    and carries the link, so it must not be stored (RFC 9111 ``no-store``) nor leak it as a referrer."""
    link = api_app.state.access.create_login_token(name="Dr A")
    for _ in range(3):
        page = anonymous_client(api_app).get(f"/?token={link}", headers={"User-Agent": user_agent},
                                             follow_redirects=False)
        assert page.status_code == 200 and "Dr A" in page.text
        assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
        assert "micromets_session=" not in str(page.headers) and 'id="case-form"' not in page.text
    assert api_app.state.access.login_token_name(link) == "Dr A"  # still unused
    assert open_link(anonymous_client(api_app), f"/?token={link}").status_code == 200


def test_a_head_request_does_not_use_up_the_link(api_app: FastAPI) -> None:
    """Link previews often fetch a URL before the user opens it."""
    link = api_app.state.access.create_login_token()
    head = anonymous_client(api_app).head(f"/?token={link}")
    assert head.status_code == 200 and "micromets_session=" not in str(head.headers)
    assert open_link(anonymous_client(api_app), f"/?token={link}").status_code == 200


@pytest.mark.parametrize("header", [("Sec-Purpose", "prefetch"), ("Sec-Purpose", "prefetch;prerender"),
                                    ("Purpose", "prefetch"), ("X-Moz", "prefetch")])
def test_a_browser_prefetch_does_not_use_up_the_link(api_app: FastAPI, header: tuple[str, str]) -> None:
    """A prefetch the user did not ask for (Fetch standard, `Sec-Purpose`; Chrome's speculation rules) gets no
    session and leaves the link for the user's own visit."""
    link = api_app.state.access.create_login_token()
    prefetch = anonymous_client(api_app).get(f"/?token={link}", headers=dict([header]), follow_redirects=False)
    assert "micromets_session=" not in str(prefetch.headers)
    assert open_link(anonymous_client(api_app), f"/?token={link}").status_code == 200


def test_an_expired_or_wrong_sign_in_link_does_not_sign_in(api_app: FastAPI) -> None:
    expired = api_app.state.access.create_login_token(ttl=dt.timedelta(seconds=-1))
    for token in (expired, "guessed", "", "x" * 500):
        response = anonymous_client(api_app).get("/", params={"token": token})
        assert response.status_code == 401, token
        assert "not valid" in response.text and 'name="token"' not in response.text


def test_the_sign_in_form_needs_the_token_of_its_own_page(api_app: FastAPI) -> None:
    """Login CSRF (OWASP CSRF Prevention Cheat Sheet, "Login CSRF"; RFC 6749 section 10.12): another site must
    not sign the victim's browser in to the attacker's account. The form's token is bound to a random value in a
    cookie of the browser that was shown the page; a form from another site is refused by ``Sec-Fetch-Site``."""
    access = api_app.state.access
    attacker = anonymous_client(api_app)
    attacker_link = access.create_login_token(name="mallory")
    action, fields = confirmation_form(attacker.get(f"/?token={attacker_link}").text)
    victim = anonymous_client(api_app)  # never saw a confirmation page: no sign-in cookie
    assert victim.post(action, data=fields, follow_redirects=False).status_code == 403
    victim.get(f"/?token={access.create_login_token(name='victim')}")  # has its own sign-in cookie now
    refused = victim.post(action, data=fields, follow_redirects=False)  # the attacker's token: not its page's
    assert refused.status_code == 403 and "micromets_session=" not in str(refused.headers)
    missing = victim.post(action, data={k: v for k, v in fields.items() if k != "csrf_token"}, follow_redirects=False)
    assert missing.status_code == 403
    cross_site = attacker.post(action, data=fields, headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert cross_site.status_code == 403
    assert access.login_token_name(attacker_link) == "mallory"  # none of that used the link up
    assert attacker.post(action, data=fields, follow_redirects=False).status_code == 303


def test_a_link_for_another_account_says_so_before_switching(api_app: FastAPI) -> None:
    """Login CSRF: someone signed in who opens another user's link must be told which account it opens and that
    it replaces theirs; nothing changes until they press the button."""
    alice = web_client(api_app, name="alice")
    link = api_app.state.access.create_login_token(name="mallory")
    page = alice.get(f"/?token={link}")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "signs in as another account, <strong>mallory</strong>" in text
    assert "You are signed in as <strong>alice</strong>" in text
    assert alice.get("/").status_code == 200 and "micromets_session=" not in str(page.headers)
    assert api_app.state.access.login_token_name(link) == "mallory"
    action, fields = confirmation_form(page.text)
    switched = alice.post(action, data=fields, follow_redirects=False)
    assert switched.status_code == 303
    assert alice.get("/").status_code == 200


def test_a_page_that_did_not_know_of_the_session_is_shown_again_with_the_warning(api_app: FastAPI) -> None:
    """A link opened from a mail or chat program is a cross-site navigation: the ``SameSite=Strict`` session
    cookie is not sent with it (RFC 6265bis section 5.6.7.1), so its page cannot know who is signed in. The
    same-origin POST carries the cookie: the switch waits for a press on a page that says so."""
    alice = web_client(api_app, name="alice")
    session = alice.cookies["micromets_session"]
    link = api_app.state.access.create_login_token(name="mallory")
    alice.cookies.clear()
    action, fields = confirmation_form(alice.get(f"/?token={link}").text)  # as if without the Strict cookie
    assert fields["replaces"] == ""
    alice.cookies.set("micromets_session", session)
    again = alice.post(action, data=fields, follow_redirects=False)
    assert again.status_code == 409 and "You are signed in as <strong>alice</strong>" in again.text
    assert "micromets_session=" not in str(again.headers)
    assert api_app.state.access.login_token_name(link) == "mallory"
    action, fields = confirmation_form(again.text)
    switched = alice.post(action, data=fields, follow_redirects=False)
    assert switched.status_code == 303 and switched.cookies["micromets_session"] != session


def test_a_tampered_or_foreign_session_cookie_is_refused(api_app: FastAPI) -> None:
    client = web_client(api_app)
    cookie = client.cookies["micromets_session"]
    payload, signature = cookie.split(".")
    forged = anonymous_client(api_app)
    forged.cookies.set("micromets_session", payload + "." + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"))
    assert forged.get("/").status_code == 401
    other_app = create_app()  # another server: another secret
    foreign = anonymous_client(other_app)
    foreign.cookies.set("micromets_session", cookie)
    assert foreign.get("/").status_code == 401


def test_form_posts_need_the_session_csrf_token(api_app: FastAPI, case: dict[str, Any]) -> None:
    client = web_client(api_app)
    data = {"case_json": json.dumps(case), "prognosis_version": ""}
    assert client.post("/report", data=data).status_code == 200
    missing = client.request("POST", "/report", data=data)
    assert missing.status_code == 403 and "csrf_token" in missing.text
    assert client.post("/report", data={**data, "csrf_token": "wrong"}).status_code == 403
    other = web_client(api_app)  # a token of another session
    assert client.post("/report", data={**data, "csrf_token": other.csrf_token}).status_code == 403
    as_multipart = client.request("POST", "/download/json", data={**data, "csrf_token": client.csrf_token},
                                  files={"unused": ("a.txt", b"x")})
    assert as_multipart.status_code == 422  # no file uploads on these forms: said so, not blamed on the token
    assert "(form)" in as_multipart.text and "file" in as_multipart.text
    assert client.post("/signout", data={}).status_code == 401  # followed to "/": signed out


def test_every_page_form_carries_the_token(web_client: Any) -> None:
    import re

    page = web_client.post("/assess", data={**{"action": "assess"}, **_flat(example_data("pn1mi"))})
    assert page.status_code == 200
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", page.text, flags=re.S)
    assert len(forms) >= 5
    assert all(csrf_token_in(form) == web_client.csrf_token for form in forms)


def _flat(case: dict[str, Any]) -> dict[str, Any]:
    from micromets.api import form

    return form.flatten(case)


def test_cross_site_form_posts_are_refused(web_client: Any, case: dict[str, Any]) -> None:
    data = {"case_json": json.dumps(case), "prognosis_version": ""}
    for site in ("cross-site", "same-site"):  # same-site: e.g. another port on localhost
        response = web_client.post("/report", data=data, headers={"Sec-Fetch-Site": site})
        assert response.status_code == 403
    assert web_client.post("/report", data=data, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


def test_sign_out_ends_the_session(web_client: Any) -> None:
    assert web_client.post("/signout", data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403
    assert web_client.get("/").status_code == 200  # a sign-out without the session's CSRF token did nothing
    response = web_client.post("/signout", data={}, follow_redirects=False)
    assert response.status_code == 303 and "micromets_session" in response.headers["set-cookie"]
    assert 'max-age=0' in response.headers["set-cookie"].lower()
    assert web_client.get("/").status_code == 401


# Credential lifetime: expired tokens, sign-out on the server, fixation


class _Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_an_expired_token_is_refused_exactly_as_an_unknown_or_revoked_one(case: dict[str, Any]) -> None:
    """RFC 6750 section 3.1: an expired token is ``invalid_token``; the answer must not tell it from an unknown
    one (which would tell a prober that a token it holds once was valid)."""
    from micromets.store.access import AccessStore

    clock = _Clock()
    access = AccessStore("sqlite://", clock=clock)
    app = create_app(access=access)
    _, expiring = access.create_token("write", lifetime=dt.timedelta(hours=1))
    revoked_token, revoked = access.create_token("write")
    access.revoke(revoked_token.id)
    assert anonymous_client(app).post("/api/assess", json=case,
                                      headers={"Authorization": f"Bearer {expiring}"}).status_code == 200
    clock.now += dt.timedelta(hours=1)
    answers = [anonymous_client(app).post("/api/assess", json=case, headers={"Authorization": f"Bearer {secret}"})
               for secret in (expiring, revoked, "mmt_" + "x" * 43)]
    assert {r.status_code for r in answers} == {401}
    assert len({(r.text, r.headers["www-authenticate"]) for r in answers}) == 1
    assert 'error="invalid_token"' in answers[0].headers["www-authenticate"]


def _anonymous_view(app: FastAPI, method: str, path: str, **kwargs: Any) -> tuple[int, str]:
    response = anonymous_client(app).request(method, path, **kwargs)
    return response.status_code, response.text


def test_a_copied_session_cookie_is_refused_after_sign_out(case: dict[str, Any]) -> None:
    """OWASP Session Management Cheat Sheet ("Manual Session Expiration"): logging out must invalidate the
    session on the server, not only delete the cookie in the browser."""
    store = Store.in_memory()
    app = create_app(store)
    client = web_client(app)
    cookie, csrf = client.cookies["micromets_session"], client.csrf_token
    copy_ = anonymous_client(app)
    copy_.cookies.set("micromets_session", cookie)
    data = {"case_json": json.dumps(case), "prognosis_version": "", "csrf_token": csrf}
    assert copy_.get("/").status_code == 200  # the copy works while the session is open
    assert client.post("/signout", data={}, follow_redirects=False).status_code == 303
    assert (copy_.get("/").status_code, copy_.get("/").text) == _anonymous_view(app, "GET", "/")
    refused = copy_.post("/report", data=data)
    assert (refused.status_code, refused.text) == _anonymous_view(app, "POST", "/report", data=data)
    assert copy_.get("/assessments").status_code == 401
    assert store.list() == []
    assert "micromets_session" not in refused.headers.get("set-cookie", "")


def test_a_sign_out_reaches_every_worker(tmp_path: Any) -> None:
    """Two apps on one database with one session secret stand for two worker processes of ``micromets serve``."""
    from micromets.store.access import AccessStore

    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    settings = SecuritySettings()
    first = create_app(settings=settings, access=AccessStore(url))
    second = create_app(settings=settings, access=AccessStore(url))
    client = web_client(first)
    other = anonymous_client(second)
    other.cookies.set("micromets_session", client.cookies["micromets_session"])
    assert other.get("/").status_code == 200
    client.post("/signout", data={})
    assert other.get("/").status_code == 401


def test_after_sign_out_a_new_link_signs_in_again(api_app: FastAPI) -> None:
    client = web_client(api_app)
    old = client.cookies["micromets_session"]
    client.post("/signout", data={})
    browser = anonymous_client(api_app)
    browser.cookies.set("micromets_session", old)  # the browser kept (or was given back) the old cookie
    link = api_app.state.access.create_login_token()
    response = open_link(browser, f"/?token={link}", follow_redirects=False)
    assert response.status_code == 303 and response.cookies["micromets_session"] != old
    browser.cookies.clear()
    browser.cookies.set("micromets_session", response.cookies["micromets_session"])
    assert browser.get("/").status_code == 200


def test_sign_out_that_cannot_be_recorded_says_so_and_keeps_the_cookie(api_app: FastAPI,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from micromets.store import StoreError

    client = web_client(api_app)

    def down(*args: Any) -> None:
        raise StoreError("database down")

    monkeypatch.setattr(api_app.state.access, "revoke_session", down)
    response = client.post("/signout", data={}, follow_redirects=False)
    assert response.status_code == 503 and "micromets_session" not in response.headers.get("set-cookie", "")
    assert "sign" in response.text.lower()


def test_a_sign_in_link_replaces_a_planted_session(api_app: FastAPI) -> None:
    """Session fixation (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level
    Change"): a session cookie set in the victim's browser beforehand (cookies do not tell ports apart, so
    another server on the host name can set one) must not survive the victim's sign-in."""
    attacker = web_client(api_app)
    planted = attacker.cookies["micromets_session"]
    victim = anonymous_client(api_app)
    victim.cookies.set("micromets_session", planted)
    link = api_app.state.access.create_login_token(name="victim")
    response = open_link(victim, f"/?token={link}", follow_redirects=False)
    assert response.status_code == 303 and response.cookies["micromets_session"] != planted
    copy_ = anonymous_client(api_app)  # the attacker's copy of the planted cookie: signed out with the replacement
    copy_.cookies.set("micromets_session", planted)
    assert copy_.get("/").status_code == 401


def test_a_link_opened_while_signed_in_is_used_up(api_app: FastAPI) -> None:
    """A sign-in link works once (issue 9), also when the browser that opens it is already signed in."""
    client = web_client(api_app)
    link = api_app.state.access.create_login_token()
    assert open_link(client, f"/?token={link}").status_code == 200
    assert anonymous_client(api_app).get(f"/?token={link}").status_code == 401


@pytest.mark.parametrize("parameter", ["access_token", "token"])
def test_an_api_token_in_the_query_string_is_never_read(api_app: FastAPI, case: dict[str, Any], parameter: str) -> None:
    """RFC 6750 section 2.3 allows a token in the URI but advises against it (it ends up in logs and histories):
    micromets reads the Authorization header only."""
    secret = new_token(api_app, "admin")
    response = anonymous_client(api_app).post(f"/api/assess?{parameter}={secret}", json=case)
    assert response.status_code == 401 and _problem(response)["field"] == "(authorization)"


# Behind a proxy that mounts micromets under a prefix (ASGI root_path): the access decision must be about the
# route that answers. Starlette's router strips root_path only in front of a "/" (starlette._utils.get_route_path).


def _signed_in_under(app: FastAPI, root_path: str) -> TestClient:
    prefix = root_path.rstrip("/")
    client = TestClient(app, base_url="http://localhost", root_path=root_path)
    link = app.state.access.create_login_token()
    response = open_link(client, f"{prefix}/?token={link}", follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set("micromets_session", response.cookies["micromets_session"])
    return client


@pytest.mark.parametrize("root_path", ["/", "/mm"])
def test_a_root_path_does_not_open_the_api_to_a_web_session(store_app: FastAPI, root_path: str) -> None:
    prefix = root_path.rstrip("/")
    web = _signed_in_under(store_app, root_path)
    assert web.get(f"{prefix}/").status_code == 200
    assert web.get(f"{prefix}/api/assessments").status_code == 401  # a cookie is no API credential
    admin = TestClient(store_app, base_url="http://localhost", root_path=root_path,
                       headers={"Authorization": f"Bearer {new_token(store_app, 'admin')}"})
    assert admin.get(f"{prefix}/api/assessments").status_code == 200
    assert TestClient(store_app, base_url="http://localhost", root_path=root_path).get(
        f"{prefix}/healthz").status_code == 200


@pytest.mark.parametrize(("root_path", "path", "location"), [
    ("/", "/evil.example/", "/evil.example/"), ("/", "/", "/"), ("/mm", "/mm/", "/mm/"),
    ("/mm", "/mm/?example=pn1mi&", "/mm/?example=pn1mi")])
def test_the_sign_in_redirect_stays_on_this_server_under_a_root_path(api_app: FastAPI, root_path: str, path: str,
                                                                      location: str) -> None:
    """"//evil.example/" in a Location header is another server (RFC 3986 section 4.2, network-path reference)."""
    link = api_app.state.access.create_login_token()
    client = TestClient(api_app, base_url="http://localhost", root_path=root_path)
    response = open_link(client, f"{path}{'' if path.endswith('&') else '?'}token={link}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == location


@pytest.mark.parametrize("root_path", ["/", "/mm"])
def test_a_cds_client_is_checked_against_the_url_it_called_under_a_root_path(tmp_path: Any, root_path: str) -> None:
    """CDS Hooks 2.0, "Trusting CDS Clients": ``aud`` is the URL of the service called; under a root_path that
    URL holds it once (root_path "/" must not make it "//cds-services/...")."""
    from micromets.api.cdshooks import SERVICE_ID

    from _auth import Ehr, EhrAuth, cds_app

    ehr = Ehr()
    app = cds_app(ehr, tmp_path / "jwks.json")
    client = TestClient(app, base_url="http://localhost", root_path=root_path)
    client.auth = EhrAuth(ehr)
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "p1"}}
    response = client.post(f"{root_path.rstrip('/')}/cds-services/{SERVICE_ID}", json=body)
    assert response.status_code == 200, response.text
    assert "cards" in response.json()
    forged = TestClient(app, base_url="http://localhost", root_path=root_path)  # aud of another path: refused
    token = ehr.token(f"http://localhost{root_path.rstrip('/')}/cds-services/other")
    assert forged.post(f"{root_path.rstrip('/')}/cds-services/{SERVICE_ID}", json=body,
                       headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_session_that_cannot_be_checked_is_refused(api_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed: when the sign-out records cannot be read, a session cookie opens nothing (503, no patient data)."""
    from micromets.store import StoreError

    client = web_client(api_app)

    def down(*args: Any) -> bool:
        raise StoreError("database down")

    monkeypatch.setattr(api_app.state.access, "session_revoked", down)
    response = client.get("/?example=pn1mi")
    assert response.status_code == 503 and 'id="case-form"' not in response.text


def test_the_confirmation_page_shows_the_account_name_as_text(api_app: FastAPI) -> None:
    """A link's name is the operator's input (``--name``): escaped like any other text (OWASP XSS Prevention,
    rule 1: HTML-escape before inserting untrusted data into element content and attribute values)."""
    link = api_app.state.access.create_login_token(name='<img src=x onerror=alert(1)>"')
    page = anonymous_client(api_app).get(f"/?token={link}")
    assert page.status_code == 200 and "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;&#34;" in page.text


def test_an_invalid_link_leaves_a_signed_in_browser_signed_in(web_client: Any) -> None:
    response = web_client.get("/?token=used-or-mistyped")
    assert response.status_code == 401 and "not valid" in response.text
    assert "still signed in as <strong>tests</strong>" in response.text
    assert web_client.get("/").status_code == 200
