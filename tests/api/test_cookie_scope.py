"""Where the web session cookie goes, and who can plant one (items left open by the hostile-input session).

Sources: RFC 6265 section 5.1.4 (a cookie with ``Path=/mm`` is sent to ``/mm`` and ``/mm/...`` only, so
micromets served under a proxy prefix does not hand its session to the other applications of that host);
RFC 6265bis section 4.1.3 (``__Host-``: kept only when set ``Secure``, ``Path=/`` and without ``Domain``, from a
secure origin; ``__Secure-``: kept only when set ``Secure``, from a secure origin), which stops a sibling
subdomain or a plain-http page from planting a session cookie (session fixation / login CSRF by cookie tossing).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.security import SecuritySettings

from _auth import confirmation_form, csrf_token_in


def _cookie(response: Any, name: str) -> dict[str, str]:
    """The attributes of the ``Set-Cookie`` of ``name`` (lower-case keys; flags map to "")."""
    for header in response.headers.get_list("set-cookie"):
        first, *rest = header.split(";")
        if first.split("=", 1)[0].strip() == name:
            attributes = {"value": first.split("=", 1)[1]}
            for part in rest:
                key, _, value = part.strip().partition("=")
                attributes[key.lower()] = value
            return attributes
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.get_list('set-cookie')}")


def _confirmation(client: TestClient, app: FastAPI, prefix: str) -> Any:
    link = app.state.access.create_login_token()
    page = client.get(f"{prefix}/?token={link}")
    assert page.status_code == 200, page.text
    return page


def _sign_in(client: TestClient, app: FastAPI, prefix: str) -> Any:
    page = _confirmation(client, app, prefix)
    action, fields = confirmation_form(page.text)
    return page, client.post(action, data=fields, follow_redirects=False)


def test_under_a_proxy_prefix_the_cookies_are_sent_to_micromets_only(api_app: FastAPI) -> None:
    client = TestClient(api_app, base_url="http://localhost", root_path="/mm")
    page, response = _sign_in(client, api_app, "/mm")
    assert _cookie(page, "micromets_signin")["path"] == "/mm"
    assert response.status_code == 303
    session = _cookie(response, "micromets_session")
    assert session["path"] == "/mm" and "domain" not in session
    assert _cookie(response, "micromets_signin")["path"] == "/mm"  # removed where it was set
    # The browser sends it back under the prefix: the session works there.
    home = client.get("/mm/")
    assert home.status_code == 200 and 'id="case-form"' in home.text
    signed_out = client.post("/mm/signout", data={"csrf_token": csrf_token_in(home.text)}, follow_redirects=False)
    assert signed_out.status_code == 303
    removed = _cookie(signed_out, "micromets_session")
    assert removed["path"] == "/mm" and removed["max-age"] == "0"


def test_at_the_root_the_path_stays_slash(api_app: FastAPI) -> None:
    _, response = _sign_in(TestClient(api_app, base_url="http://localhost"), api_app, "")
    assert _cookie(response, "micromets_session")["path"] == "/"


def test_over_https_at_the_root_the_cookies_are_host_prefixed(api_app: FastAPI) -> None:
    client = TestClient(api_app, base_url="https://localhost")
    page, response = _sign_in(client, api_app, "")
    signin = _cookie(page, "__Host-micromets_signin")
    session = _cookie(response, "__Host-micromets_session")
    for cookie in (signin, session):  # what a browser requires of __Host- (else it drops the cookie)
        assert "secure" in cookie and cookie["path"] == "/" and "domain" not in cookie
    assert client.get("/").status_code == 200  # and the browser's cookie is read back


def test_over_https_under_a_prefix_the_cookies_are_secure_prefixed(api_app: FastAPI) -> None:
    client = TestClient(api_app, base_url="https://localhost", root_path="/mm")
    _, response = _sign_in(client, api_app, "/mm")
    session = _cookie(response, "__Secure-micromets_session")
    assert "secure" in session and session["path"] == "/mm"
    assert client.get("/mm/").status_code == 200


def test_behind_an_https_proxy_the_cookie_is_host_prefixed_too() -> None:
    app = create_app(settings=SecuritySettings(public_url="https://micromets.hospital.example.org",
                                               allowed_hosts=("localhost",)))
    # The proxy speaks http to micromets; the browser speaks https to the proxy (docs/web-and-api.md).
    page = _confirmation(TestClient(app, base_url="http://localhost"), app, "")
    assert "secure" in _cookie(page, "__Host-micromets_signin")


def test_over_https_an_unprefixed_session_cookie_is_not_read(api_app: FastAPI) -> None:
    """A valid session cookie planted without the prefix (by a sibling subdomain, or a plain-http response) is
    not a session over https: only a cookie the browser would have kept as ``__Host-`` is."""
    client = TestClient(api_app, base_url="https://localhost")
    _, response = _sign_in(client, api_app, "")
    value = _cookie(response, "__Host-micromets_session")["value"]
    planted = TestClient(api_app, base_url="https://localhost")
    planted.cookies.set("micromets_session", value)
    assert planted.get("/").status_code == 401
    plain_http = TestClient(api_app, base_url="http://localhost")
    plain_http.cookies.set("micromets_session", value)
    assert plain_http.get("/").status_code == 200  # the same value under the name plain http uses


# A proxy prefix given with a trailing slash (uvicorn --root-path /micromets/, or a proxy's "location /micromets/"
# copied as it is). ASGI 3.0: root_path is "the root path this application is mounted at"; /micromets/ and /micromets
# name the same mount. Starlette's router removes root_path only in front of a "/" (starlette._utils.get_route_path),
# so without normalising, /micromets/signin was decided and routed as an unknown web path: the sign-in form answered
# 401 and no session cookie was set.


@pytest.mark.parametrize("root_path", ["/micromets/", "/micromets//"])
def test_a_root_path_with_a_trailing_slash_signs_in_under_the_prefix(api_app: FastAPI, root_path: str) -> None:
    client = TestClient(api_app, base_url="http://localhost", root_path=root_path)
    page, response = _sign_in(client, api_app, "/micromets")
    assert confirmation_form(page.text)[0] == "/micromets/signin"
    assert _cookie(page, "micromets_signin")["path"] == "/micromets"
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/micromets/"  # never "/micromets//" nor "//..." (another server)
    session = _cookie(response, "micromets_session")
    assert session["path"] == "/micromets"  # RFC 6265 5.1.4: sent for /micromets and /micromets/...
    home = client.get("/micromets/")
    assert home.status_code == 200 and 'id="case-form"' in home.text
    assert 'action="/micromets/signout"' in home.text and "/micromets//" not in home.text
    signed_out = client.post("/micromets/signout", data={"csrf_token": csrf_token_in(home.text)},
                             follow_redirects=False)
    assert signed_out.status_code == 303 and _cookie(signed_out, "micromets_session")["max-age"] == "0"


def test_uvicorn_paths_under_a_trailing_slash_root_path_are_routed_once(api_app: FastAPI) -> None:
    """uvicorn builds ``path`` as ``root_path + path``: with ``--root-path /micromets/`` behind a proxy that strips
    the prefix, a request for ``/signin`` arrives as ``/micromets//signin``."""
    from micromets.api.guard import normalised_root

    assert normalised_root({"root_path": "/micromets/", "path": "/micromets//signin",
                            "raw_path": b"/micromets//signin"}) == ("/micromets", "/micromets/signin",
                                                                    b"/micromets/signin")
    client = TestClient(api_app, base_url="http://localhost", root_path="/micromets/")
    link = api_app.state.access.create_login_token()
    page = client.get(f"/micromets//?token={link}")
    assert page.status_code == 200 and confirmation_form(page.text)[0] == "/micromets/signin"
    # nothing is opened by the doubled slash: the API still wants a token, the web app a session
    assert client.get("/micromets//api/assessments").status_code == 401
    assert TestClient(api_app, base_url="http://localhost", root_path="/micromets/").get(
        "/micromets//").status_code == 401


def test_a_cds_client_is_checked_against_the_url_it_called_under_a_trailing_slash_root_path(tmp_path: Any) -> None:
    """CDS Hooks 2.0, "Trusting CDS Clients": ``aud`` is the URL of the endpoint called, with the prefix once."""
    from micromets.api.cdshooks import SERVICE_ID

    from _auth import Ehr, cds_app

    ehr = Ehr()
    app = cds_app(ehr, tmp_path / "jwks.json")
    client = TestClient(app, base_url="http://localhost", root_path="/micromets/")
    body = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/1", "patientId": "p1"}}
    url = f"/micromets/cds-services/{SERVICE_ID}"
    ok = client.post(url, json=body, headers={"Authorization": f"Bearer {ehr.token('http://localhost' + url)}"})
    assert ok.status_code == 200, ok.text
    doubled = ehr.token(f"http://localhost/micromets//cds-services/{SERVICE_ID}")
    assert client.post(url, json=body, headers={"Authorization": f"Bearer {doubled}"}).status_code == 401
