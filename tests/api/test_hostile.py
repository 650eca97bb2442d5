"""The REST API and the web app under hostile requests (an external prober's view; issue 9, "Access control").

Sources: RFC 9110 (section 7.2 Host, 8.4 and 15.5.16: a content coding the server does not apply is 415, 9.1
and 9.3.2: a general-purpose server supports GET and HEAD, HEAD being GET without content), RFC 9112 section
3.2 (a request with two Host lines or an invalid Host value MUST get 400), RFC 6750 section 3.1
(``invalid_request``, 400: the request repeats a parameter or sends the token more than once), OWASP Testing
Guide "Testing for HTTP Parameter Pollution" (a repeated parameter must not be resolved silently), OWASP Error
Handling Cheat Sheet (no stack trace, file path or internal detail in an error response) and OWASP Secure
Headers (on every response, errors included). The product rule: an input is never silently ignored.
"""

from __future__ import annotations

import copy
import gzip
import json
import logging
import urllib.parse
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app, services
from micromets.api.services import example_data
from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.model import parse_case
from micromets.store import Store

from _auth import BASE_URL, anonymous_client, api_client, web_client


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(example_data("pn1mi"))


@pytest.fixture
def store_app() -> FastAPI:
    return create_app(Store.in_memory())


def _problems(response: httpx.Response) -> list[dict[str, str]]:
    body = response.json()
    assert set(body) == {"detail"} and body["detail"], body
    return list(body["detail"])


def _with_headers(client: TestClient, method: str, path: str, extra: list[tuple[str, str]], **kwargs: Any) -> Any:
    request = client.build_request(method, path, **kwargs)
    request.headers = httpx.Headers([*request.headers.multi_items(), *extra])
    return client.send(request)


# Credentials and headers


def test_two_authorization_headers_are_an_invalid_request(api_app: FastAPI, case: dict[str, Any]) -> None:
    good = f"Bearer {api_app.state.access.create_token('write', name='t')[1]}"
    for pair in ((good, "Bearer mmt_forged"), ("Bearer mmt_forged", good), (good, good)):
        response = _with_headers(anonymous_client(api_app), "POST", "/api/assess",
                                 [("authorization", pair[0]), ("authorization", pair[1])], json=case)
        assert response.status_code == 400, response.text
        assert 'error="invalid_request"' in response.headers["www-authenticate"]
        assert _problems(response)[0]["field"] == "(authorization)"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "gzip, identity", "x-gzip"])
def test_a_body_with_a_content_coding_is_415_before_it_is_read(write_client: TestClient, case: dict[str, Any],
                                                               coding: str) -> None:
    raw = json.dumps(case).encode()
    for body in (gzip.compress(raw), raw):  # compressed, and plain JSON that only says it is compressed
        response = write_client.post("/api/assess", content=body,
                                     headers={"Content-Type": "application/json", "Content-Encoding": coding})
        assert response.status_code == 415, response.text
        assert _problems(response)[0]["field"] == "(content-encoding)"
        assert response.headers["accept-encoding"] == "identity"


def test_a_gzip_bomb_is_refused_without_being_inflated(write_client: TestClient) -> None:
    bomb = gzip.compress(b" " * 50_000_000)  # ~49 kB on the wire, 50 MB inflated
    response = write_client.post("/api/assess", content=bomb,
                                 headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.status_code == 415


def test_identity_content_coding_is_accepted(write_client: TestClient, case: dict[str, Any]) -> None:
    response = write_client.post("/api/assess", content=json.dumps(case).encode(),
                                 headers={"Content-Type": "application/json", "Content-Encoding": "identity"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("host", ["localhost:8000@evil.example", "localhost:80a", "localhost:123456",
                                  "evil.example#@localhost", "local host", "localhost\t", "[::1]evil"])
def test_an_invalid_host_value_is_400(api_app: FastAPI, host: str) -> None:
    """RFC 9112 3.2: Host = uri-host [":" port], port = digits. "localhost:8000@evil.example" was taken for
    localhost, while a link built from it (CDS card, sign-in redirect) would point at evil.example."""
    response = anonymous_client(api_app).get("/healthz", headers={"Host": host})
    assert response.status_code == 400, (host, response.text)
    assert _problems(response)[0]["field"] == "(host)"


def test_two_host_headers_are_400(api_app: FastAPI) -> None:
    client = anonymous_client(api_app)
    for pair in (("localhost", "evil.example"), ("evil.example", "localhost"), ("localhost", "localhost")):
        response = _with_headers(client, "GET", "/healthz", [("host", pair[0]), ("host", pair[1])])
        assert response.status_code == 400, pair


# Query parameters: never ignored, never given twice


def test_a_query_parameter_an_endpoint_does_not_take_is_422(write_client: TestClient, case: dict[str, Any]) -> None:
    """/api/assess reads FHIR Bundles too but does not take ``patient`` (only /api/fhir/assess does): ignoring it
    would assess a Bundle about another patient while the client believes the patient was checked."""
    bundle = to_bundle(assess(parse_case(case)), parse_case(case))
    response = write_client.post("/api/assess?patient=someone-else", json=bundle)
    assert response.status_code == 422, response.text
    (problem,) = _problems(response)
    assert problem["field"] == "patient" and "prognosis_version" in problem["message"]


@pytest.mark.parametrize("query", ["prognosis_version=3.0&prognosis_version=2.2", "prognosis_version=3.0&x=1"])
def test_repeated_or_unknown_parameters_are_named(write_client: TestClient, case: dict[str, Any], query: str) -> None:
    response = write_client.post(f"/api/assess?{query}", json=case)
    assert response.status_code == 422
    assert [p["field"] for p in _problems(response)] == ["prognosis_version" if query.count("prognosis") == 2 else "x"]


def test_stored_records_query_is_strict_too(store_app: FastAPI) -> None:
    client = api_client(store_app, "read")
    assert client.get("/api/assessments?limit=5").status_code == 200
    assert _problems(client.get("/api/assessments?limit=1&limit=1000"))[0]["field"] == "limit"
    assert _problems(client.get("/api/assessments?caseid=x"))[0]["field"] == "caseid"
    hostile = client.get("/api/assessments?%00%0a=1")
    assert hostile.status_code == 422 and "\n" not in _problems(hostile)[0]["field"]


def test_the_health_check_ignores_cache_busting_parameters(anon_client: TestClient) -> None:
    assert anon_client.get("/healthz?t=12345").status_code == 200


# Methods


@pytest.mark.parametrize("path", ["/healthz", "/cds-services", "/openapi.json", "/static/form.js"])
def test_head_is_get_without_a_body_on_open_paths(anon_client: TestClient, path: str) -> None:
    got, head = anon_client.get(path), anon_client.head(path)
    assert got.status_code == head.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]


def test_head_needs_the_same_credentials_as_get(store_app: FastAPI) -> None:
    assert anonymous_client(store_app).head("/api/assessments").status_code == 401
    assert api_client(store_app, "write").head("/api/assessments").status_code == 403
    response = api_client(store_app, "read").head("/api/assessments")
    assert response.status_code == 200 and response.content == b""
    assert anonymous_client(store_app).head("/").status_code == 401


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "TRACE", "OPTIONS"])
def test_other_methods_are_405_with_allow(admin_client: TestClient, method: str) -> None:
    response = admin_client.request(method, "/api/assess")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert _problems(response)[0]["field"] == "(request)"


# Error responses


_LEAKS = ("Traceback", "File \"", ".py", "site-packages", "DETAIL", "p-secret-58")


def test_an_unexpected_error_is_a_500_in_the_usual_shape_with_the_security_headers(
        write_client: TestClient, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("cannot write: check violation\nDETAIL: Failing row contains (p-secret-58)")

    monkeypatch.setattr(services, "assess_case", broken)
    client = TestClient(write_client.app, base_url=BASE_URL, headers=dict(write_client.headers),
                        raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/assess", json=case)
    assert response.status_code == 500
    (problem,) = _problems(response)
    assert problem["field"] == "(server)"
    assert not any(leak in response.text for leak in _LEAKS), response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert "RuntimeError" in caplog.text and "p-secret-58" not in caplog.text


def test_an_unexpected_error_on_the_web_is_an_error_page(api_app: FastAPI, case: dict[str, Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("DETAIL: p-secret-58")

    monkeypatch.setattr(services, "assess_case", broken)
    browser = web_client(api_app, raise_server_exceptions=False)
    response = browser.post("/report", data={"case_json": json.dumps(case)})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert not any(leak in response.text for leak in _LEAKS)


# (An id with a direction override, "a\u202egnp.exe", is refused at validation now: see the Trojan Source test.)
@pytest.mark.parametrize("case_id", ["<script>alert(1)</script>", "\"'><svg onload=alert(1)>",
                                     "../../etc/passwd", "\u05e9\u05dc\u05d5\u05dd.exe", 'x";filename="evil.exe'])
def test_hostile_case_ids_are_inert_in_pages_and_file_names(api_app: FastAPI, case: dict[str, Any],
                                                           case_id: str) -> None:
    """Reflected text is escaped in every HTML page (OWASP XSS Prevention rule 1), and a download's file name
    holds only safe characters: no quote, path separator or direction override (RFC 6266 section 4.3)."""
    hostile = {**case, "id": case_id}
    browser = web_client(api_app)
    pages = [browser.post("/report", data={"case_json": json.dumps(hostile)}),
             browser.post("/edit", data={"case_json": json.dumps(hostile)}),
             api_client(api_app, "write").post("/api/patient.html", json=hostile)]
    for page in pages:
        assert page.status_code == 200, page.text[:300]
        assert "<script>alert" not in page.text and "<svg onload" not in page.text
    download = browser.post("/download/ics", data={"case_json": json.dumps(hostile)})
    disposition = download.headers["content-disposition"]
    name = disposition.split("filename=", 1)[1]
    assert name.count('"') == 2 and name.startswith('"') and name.endswith('"')
    assert not any(c in name.strip('"') for c in "/\\\u202e;") and ".." not in name


# Roles: each credential opens its own door only


def test_purge_and_reassess_need_their_scopes(store_app: FastAPI, case: dict[str, Any]) -> None:
    """docs/web-and-api.md, scopes: write assesses but cannot read records back; read cannot change them; only admin
    purges. A refused call leaves the store as it was."""
    assert api_client(store_app, "write").post("/api/assess", json=case).status_code == 200
    store = store_app.state.store
    before = [row.id for row in store.list()]
    purge = {"before": "2100-01-01T00:00:00Z"}
    for scope in ("read", "write"):
        response = api_client(store_app, scope).post("/api/admin/purge", json=purge)
        assert response.status_code == 403 and _problems(response)[0]["field"] == "(scope)"
    for method in ("DELETE", "PUT", "PATCH"):
        for scope in ("read", "write"):
            assert api_client(store_app, scope).request(method, f"/api/assessments/{before[0]}").status_code == 403
    for scope in ("read", "write"):
        refused = api_client(store_app, scope).post(f"/api/assessments/{before[0]}/reassess")
        assert refused.status_code == 403 and _problems(refused)[0]["field"] == "(scope)"
        assert "read write" in _problems(refused)[0]["message"]  # the scopes it needs, named
    assert [row.id for row in store.list()] == before


def test_reading_a_record_never_writes_one(store_app: FastAPI, case: dict[str, Any]) -> None:
    """RFC 9110 section 9.2.1: GET is safe, so a GET (a read token's call, a link, a prefetch) must not record a
    re-assessment; it answers 405 with Allow: POST (section 15.5.6) and says where to go. The POST needs read and
    write (docs/web-and-api.md, scopes) and takes no body."""
    api_client(store_app, "write").post("/api/assess", json=case)
    store = store_app.state.store
    before = [row.id for row in store.list()]
    for scope in ("read", "admin"):
        for method in ("GET", "HEAD"):
            response = api_client(store_app, scope).request(method, f"/api/assessments/{before[0]}/reassess")
            assert response.status_code == 405 and response.headers["allow"] == "POST"
        assert "POST /api/assessments/{row_id}/reassess" in _problems(
            api_client(store_app, scope).get(f"/api/assessments/{before[0]}/reassess"))[0]["message"]
    browser = web_client(store_app)
    page = browser.get(f"/assessments/{before[0]}/reassess")
    assert page.status_code == 405 and page.headers["allow"] == "POST" and "/assessments" in page.text
    assert [row.id for row in store.list()] == before
    with_body = api_client(store_app, "admin").post(f"/api/assessments/{before[0]}/reassess", json={"row": 1})
    assert with_body.status_code == 422 and _problems(with_body)[0]["field"] == "(body)"
    assert [row.id for row in store.list()] == before
    done = api_client(store_app, "admin").post(f"/api/assessments/{before[0]}/reassess")
    assert done.status_code == 200 and len(store.list()) == len(before) + 1
    listing = browser.get("/assessments").text
    assert f'<form method="post" action="/assessments/{before[0]}/reassess"' in listing
    forged = browser.post(f"/assessments/{before[0]}/reassess", data={"csrf_token": "x"})  # OWASP CSRF cheat sheet
    assert forged.status_code == 403 and len(store.list()) == len(before) + 1
    assert browser.post(f"/assessments/{before[0]}/reassess", data={}).status_code == 200
    assert len(store.list()) == len(before) + 2


def test_credentials_of_one_interface_open_no_other(api_app: FastAPI, case: dict[str, Any]) -> None:
    """An API token is not a web session, a web session opens no /api/ route, and neither is a CDS client's JWT."""
    browser = web_client(api_app)
    assert browser.get("/api/schema/case").status_code == 401  # the session cookie is not an API credential
    assert browser.post("/api/assess", json=case).status_code == 401
    token = api_app.state.access.create_token("admin", name="t")[1]
    api_only = anonymous_client(api_app, headers={"Authorization": f"Bearer {token}"})
    assert api_only.get("/").status_code == 401  # the sign-in page, not the form
    cds = api_only.post("/cds-services/micromets-breast-micromets", json={})
    assert cds.status_code == 401 and _problems(cds)[0]["field"] == "(authorization)"


@pytest.mark.parametrize("body", [
    b'{"retention_days": 36500, "retention_days": 1}',  # which one wins decides what is deleted
    b'{"retention_days": true}', b'{"retention_days": "5"}', b'{"retention_days": 30.0}',
    b'{"retention_days": NaN}', b'{"before": 0}', b"[" * 1000, b'{"before": "2026-01-01T00:00:00Z"} x',
])
def test_a_purge_is_never_guessed_from_a_malformed_body(store_app: FastAPI, case: dict[str, Any],
                                                        body: bytes) -> None:
    """A purge deletes records, so its body is read like every other (docs/web-and-api.md: the strict decoder and
    strict JSON types): a key given twice, a boolean or a string for a number is a 422 naming it, and nothing
    is purged (no purge event)."""
    assert api_client(store_app, "write").post("/api/assess", json=case).status_code == 200
    response = api_client(store_app, "admin").post("/api/admin/purge", content=body,
                                                   headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    (problem,) = _problems(response)
    assert problem["field"] in ("retention_days", "before", "(body)"), problem
    assert store_app.state.store.events() == [] and len(store_app.state.store.list()) == 1


def test_hsts_behind_a_tls_proxy(api_app: FastAPI) -> None:
    """RFC 6797: HSTS tells the browser to use https only. Behind a TLS proxy (``--public-url https://...``) the
    request reaches micromets over http, but the browser talks https: the header is sent, as the session cookie
    is Secure then. Without an https public URL it is not (a plain-http server must not send it, RFC 6797 7.2)."""
    from micromets.api.security import SecuritySettings

    behind_proxy = create_app(settings=SecuritySettings(public_url="https://micromets.hospital.example.org",
                                                        allowed_hosts=("localhost",)))
    response = anonymous_client(behind_proxy).get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in anonymous_client(api_app).get("/healthz").headers


@pytest.mark.parametrize(("origin", "method"), [("https://evil.example", "POST"), ("null", "POST"),
                                                ("https://app.hospital.example.org.evil.example", "POST"),
                                                ("https://app.hospital.example.org", "DELETE")])
def test_a_refused_cors_preflight_says_why_in_the_error_shape(origin: str, method: str) -> None:
    """Fetch standard, CORS: a preflight that is not allowed gets no Access-Control-Allow-Origin (the browser then
    blocks the call); the answer names the problem like every other 4xx (it was Starlette's text/plain)."""
    from micromets.api.security import SecuritySettings

    app = create_app(settings=SecuritySettings(cors_origins=("https://app.hospital.example.org",)))
    response = anonymous_client(app).options("/api/assess", headers={
        "Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "authorization"})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    (problem,) = _problems(response)
    assert problem["field"] == "(cors)" and ("origin" in problem["message"] or "method" in problem["message"])
    assert response.headers["x-content-type-options"] == "nosniff"


# Unicode that displays as something else (Trojan Source, CVE-2021-42574)


def test_an_invisible_format_character_is_refused_by_every_interface_naming_the_field(
        store_app: FastAPI, case: dict[str, Any]) -> None:
    """A bidi override (U+202E) or a zero-width space (U+200B) in the id makes it display as another id (Trojan
    Source, CVE-2021-42574; Unicode UTS #39 3.1 excludes default-ignorable code points from identifiers): the
    REST API, the FHIR import and the web form refuse it with the field named, and record nothing."""
    store = store_app.state.store
    api = api_client(store_app, "write")
    for invisible in ("\u202e", "\u200b"):
        response = api.post("/api/assess", json={**case, "id": f"pn1{invisible}mi"})
        assert response.status_code == 422
        assert [p["field"] for p in _problems(response)] == ["id"] and "invisible" in _problems(response)[0]["message"]
        listed = api.post("/api/assess", json={**case, "comorbidities": ["asthma", f"c{invisible}opd"]})
        assert listed.status_code == 422 and _problems(listed)[0]["field"] == "comorbidities[1]"
        named = {**case, "id": "case one"}  # not a FHIR id: exported as the case-id identifier
        bundle = json.loads(json.dumps(to_bundle(assess(parse_case(named)), parse_case(named)))
                            .replace("case one", f"case{invisible} one"))
        imported = api.post("/api/fhir/assess", json=bundle)
        assert imported.status_code == 422, imported.text
        assert any(p["field"].endswith("id") and "invisible" in p["message"] for p in _problems(imported))
        page = web_client(store_app).post("/assess", data={"id": f"pn1{invisible}mi", "age": "60"})
        assert page.status_code == 422 and "invisible formatting character" in page.text
    assert store.list() == []


# One spelling per value: a row number, a form field


@pytest.mark.parametrize("spelled", ["1.0", "+1", "01", "%201", "1_0", "1e0", "%EF%BC%91"])
def test_a_row_id_is_a_row_number_in_digits(store_app: FastAPI, case: dict[str, Any], spelled: str) -> None:
    """docs/store.md: a record's ``id`` is its row number (an integer). ``1.0``, ``+1``, ``01``, `` 1`` or a
    full-width digit are not row numbers, and ``1_0`` (Python's int() reads it as 10) must never open row 10:
    each is a 422 naming row_id, on the REST routes and the web page alike, and nothing is recorded."""
    api = api_client(store_app, "admin")
    for _ in range(10):
        api.post("/api/assess", json=case)
    store = store_app.state.store
    before = len(store.list())
    for method, path in (("GET", f"/api/assessments/{spelled}"), ("POST", f"/api/assessments/{spelled}/reassess")):
        response = api.request(method, path)
        assert response.status_code == 422, (path, response.text)
        (problem,) = _problems(response)
        assert problem["field"] == "row_id" and "row number in digits" in problem["message"]
    page = web_client(store_app).post(f"/assessments/{spelled}/reassess", data={})
    assert page.status_code == 422 and "row_id" in page.text
    assert len(store.list()) == before
    assert api.get("/api/assessments/10").status_code == 200  # the digits themselves are a row number


def test_a_form_field_sent_twice_is_named_not_resolved(api_app: FastAPI, case: dict[str, Any]) -> None:
    """OWASP Testing Guide, HTTP Parameter Pollution: a field given twice must not be resolved silently (the web
    form took the first ``age``); it is a 422 naming the field. Check boxes (several choices) stay repeatable."""
    browser = web_client(api_app)
    response = browser.post("/assess", data={"age": ["71", "45"], "tumour.grade": "2"})
    assert response.status_code == 422 and "age" in response.text and "was sent 2 times" in response.text
    whatif = browser.post("/whatif", data={"case_json": [json.dumps(case), json.dumps({**case, "age": 30})]})
    assert whatif.status_code == 422 and "case_json" in whatif.text and "was sent 2 times" in whatif.text
    twice = browser.post("/assess", data={"age": "60", "csrf_token": [browser.csrf_token, browser.csrf_token]})
    assert twice.status_code == 422 and "csrf_token" in twice.text
    tracers = browser.post("/assess", data={"age": "60", "nodes.tracers": ["radioisotope", "blue_dye"]})
    assert "was sent 2 times" not in tracers.text  # a check box group: both choices are the answer


def test_a_form_with_too_many_fields_says_so(api_app: FastAPI) -> None:
    """A form above the 20,000-field limit was answered as a CSRF failure (403), which sends the user looking
    for the wrong problem; RFC 9110 section 15.5.14: content larger than the server will process is a 413."""
    browser = web_client(api_app)
    fields = [(f"f{i}", "1") for i in range(20_001)] + [("csrf_token", browser.csrf_token)]
    response = browser.post("/assess", content=urllib.parse.urlencode(fields).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and "20,000 fields" in response.text and "security token" not in response.text
