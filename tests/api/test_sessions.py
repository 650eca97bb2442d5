"""Web session lifetime: the idle timeout and "sign out everywhere"; links under a proxy prefix; what the open
paths open.

Sources: OWASP Session Management Cheat Sheet ("Session Expiration": an idle timeout, 15 to 30 minutes for
applications handling sensitive data, enforced on the server; "Manual Session Expiration"; closing all other
sessions), OWASP Authorization Cheat Sheet (deny by default), RFC 3986 section 5.2 (a reference starting with
"/" resolves against the host, so under a proxy prefix every link must carry the prefix: the ASGI ``root_path``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.api.security import SecuritySettings
from micromets.api.services import example_data
from micromets.store.access import AccessStore

from _auth import anonymous_client, api_client, open_link, web_client


class _Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now


def _app(clock: _Clock, url: str = "sqlite://", **settings: Any) -> FastAPI:
    return create_app(settings=SecuritySettings(**settings), access=AccessStore(url, clock=clock))


def _session_cookies(response: Any) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith("micromets_session=")]


# Idle timeout


def test_a_session_ends_after_30_minutes_without_a_request() -> None:
    clock = _Clock()
    app = _app(clock)
    client = web_client(app)
    clock.now += dt.timedelta(minutes=29)
    assert client.get("/").status_code == 200
    clock.now += dt.timedelta(minutes=30, seconds=1)
    idle = client.get("/")
    assert idle.status_code == 401 and "30 minutes without activity" in idle.text
    assert 'id="case-form"' not in idle.text


def test_each_request_keeps_the_session_alive_until_its_lifetime_ends() -> None:
    """Activity extends the idle deadline (the cookie's last activity is rewritten, at most once a minute); the
    absolute lifetime (12 hours) still ends the session."""
    clock = _Clock()
    app = _app(clock)
    client = web_client(app)
    first_cookie = client.cookies["micromets_session"]
    signed_in = clock.now
    while clock.now + dt.timedelta(minutes=29) < signed_in + dt.timedelta(hours=12):  # a request every 29 minutes
        clock.now += dt.timedelta(minutes=29)
        response = client.get("/")
        assert response.status_code == 200, clock.now - signed_in
        assert len(_session_cookies(response)) == 1  # rewritten: its last activity moved on
    clock.now = signed_in + dt.timedelta(hours=12)
    assert client.get("/").status_code == 401  # 12 hours after sign-in, however active
    copy_ = anonymous_client(app)  # the first cookie, never used since: idle long ago
    copy_.cookies.set("micromets_session", first_cookie)
    assert copy_.get("/").status_code == 401


def test_the_cookie_is_not_rewritten_on_every_request() -> None:
    clock = _Clock()
    client = web_client(_app(clock))
    clock.now += dt.timedelta(seconds=30)
    assert _session_cookies(client.get("/")) == []
    clock.now += dt.timedelta(seconds=31)
    (cookie,) = _session_cookies(client.get("/"))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "path=/"} <= flags


def test_sign_out_is_not_undone_by_the_refreshed_cookie() -> None:
    """The refresh must not put back the cookie that sign-out removes in the same response."""
    clock = _Clock()
    client = web_client(_app(clock))
    clock.now += dt.timedelta(minutes=5)  # a refresh is due
    response = client.post("/signout", data={}, follow_redirects=False)
    (cookie,) = _session_cookies(response)
    assert "max-age=0" in cookie.lower()


def test_the_idle_timeout_is_configurable() -> None:
    clock = _Clock()
    client = web_client(_app(clock, session_idle_timeout=dt.timedelta(minutes=10)))
    clock.now += dt.timedelta(minutes=10, seconds=1)
    response = client.get("/")
    assert response.status_code == 401 and "10 minutes without activity" in response.text
    env = {"MICROMETS_SESSION_SECRET": "s" * 40}
    assert SecuritySettings.from_env(env).session_idle_timeout == dt.timedelta(minutes=30)
    assert SecuritySettings.from_env({**env, "MICROMETS_SESSION_IDLE_MINUTES": "15"}).session_idle_timeout == \
        dt.timedelta(minutes=15)
    for bad in ("abc", "-5", "0", "1", str(13 * 60)):  # not a number, too short to work, beyond the 12 h lifetime
        with pytest.raises(ValueError, match="(?i)idle"):
            SecuritySettings.from_env({**env, "MICROMETS_SESSION_IDLE_MINUTES": bad})


# Sign out everywhere


def test_sign_out_everywhere_ends_every_session_of_the_account_on_every_worker(tmp_path: Any) -> None:
    clock = _Clock()
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    settings = SecuritySettings()
    first = create_app(settings=settings, access=AccessStore(url, clock=clock))
    second = create_app(settings=settings, access=AccessStore(url, clock=clock))
    laptop, phone, colleague = web_client(first, name="alice"), web_client(second, name="alice"), \
        web_client(second, name="bob")
    token = api_client(first, "write")  # API tokens are separate credentials: untouched
    forged = laptop.post("/signout-everywhere", data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403 and phone.get("/").status_code == 200
    response = laptop.post("/signout-everywhere", data={}, follow_redirects=False)
    assert response.status_code == 303 and "max-age=0" in _session_cookies(response)[0].lower()
    assert laptop.get("/").status_code == 401
    assert phone.get("/").status_code == 401  # another browser, another worker
    assert colleague.get("/").status_code == 200  # another account
    assert token.post("/api/assess", json=example_data("pn1mi")).status_code == 200
    assert web_client(first, name="alice").get("/").status_code == 200  # a new sign-in works


def test_every_page_offers_sign_out_everywhere(web_client: Any) -> None:
    page = web_client.get("/").text
    assert re.search(r'<form method="post" action="/signout-everywhere"[^>]*><input type="hidden" '
                     r'name="csrf_token" value="[^"]+">', page)


# Links under a proxy prefix (root_path)


_LINK = re.compile(r'(?:href|action|src|formaction)="([^"#]*)')


@pytest.mark.parametrize("root_path", ["/mm", "/clinic/micromets"])
def test_every_link_and_form_of_the_pages_stays_under_the_proxy_prefix(api_app: FastAPI, root_path: str) -> None:
    client = TestClient(api_app, base_url="http://localhost", root_path=root_path)
    link = api_app.state.access.create_login_token()
    confirmation = client.get(f"{root_path}/?token={link}")
    response = open_link(client, f"{root_path}/?token={link}")
    assert response.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert csrf
    from micromets.api import form

    result = client.post(f"{root_path}/assess", data={**form.flatten(example_data("pn1mi")), "action": "assess",
                                                       "csrf_token": csrf.group(1)})
    assert result.status_code == 200
    links = [target for page in (confirmation.text, response.text, result.text) for target in _LINK.findall(page)
             if target.startswith("/")]
    assert len(links) > 20
    assert [target for target in links if not target.startswith(root_path + "/")] == []


# What the open paths open


def test_only_the_report_stylesheet_is_open_under_assets(api_app: FastAPI) -> None:
    """Deny by default: the open list names the one file, so a route added later under /assets/ is not open."""
    from fastapi.responses import PlainTextResponse

    @api_app.get("/assets/patients.txt")
    def patients() -> PlainTextResponse:
        return PlainTextResponse("row 1: a patient's record")

    anon = anonymous_client(api_app)
    css = anon.get("/assets/report.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    added = anon.get("/assets/patients.txt")
    assert added.status_code == 401 and "a patient's record" not in added.text


@pytest.mark.parametrize("path", ["/static/", "/static", "/static/../__init__.py", "/static/%2e%2e/__init__.py",
                                  "/static/..%2f__init__.py", "/static/%2e%2e/templates/base.html",
                                  "/assets/", "/assets/../assessments", "/assets/report.css/../../assessments",
                                  "/static-offline-docs/", "/static/../../../../etc/passwd"])
def test_static_paths_serve_no_listing_nor_anything_outside_their_folder(api_app: FastAPI, path: str) -> None:
    response = anonymous_client(api_app).get(path)
    assert response.status_code in (401, 404), (path, response.status_code)
    assert "import" not in response.text and "root:" not in response.text and "{%" not in response.text
    assert 'id="case-form"' not in response.text and "<table" not in response.text


def test_serve_refuses_an_idle_timeout_that_cannot_work_before_starting(tmp_path: Any) -> None:
    """``micromets serve --session-idle-minutes`` reaches the workers through the environment; a value the
    workers would refuse is refused once, before anything starts."""
    from micromets.api.server import serve

    with pytest.raises(ValueError, match="(?i)idle"):
        serve(db_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}", port=0, session_idle_minutes=1)
    assert not (tmp_path / "audit.sqlite3").exists()


def test_an_administrator_ends_an_accounts_web_sessions_from_the_command_line(tmp_path: Any) -> None:
    """A lost or shared device: the operator ends the account's sessions without its browser
    (``micromets token signout NAME``); its API tokens stay (``micromets token revoke`` ends those)."""
    from typer.testing import CliRunner

    from micromets.cli import app as cli

    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    web_app = create_app(access=AccessStore(url))
    alice, bob = web_client(web_app, name="alice"), web_client(web_app, name="bob")
    token = api_client(web_app, "write")
    result = CliRunner().invoke(cli, ["token", "signout", "alice", "--db-url", url])
    assert result.exit_code == 0, result.output
    assert "alice" in result.stdout and "API tokens are unchanged" in result.stdout
    assert alice.get("/").status_code == 401 and bob.get("/").status_code == 200
    assert token.post("/api/assess", json=example_data("pn1mi")).status_code == 200
    assert CliRunner().invoke(cli, ["token", "signout", " ", "--db-url", url]).exit_code == 2
