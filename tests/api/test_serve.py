"""``micromets serve`` end to end, as a new user runs it: two worker processes, the printed one-time
sign-in link, API tokens from ``micromets token``, revocation and sign-out seen by every worker, and an access
log without query strings or case ids (issue 9: access control, several workers).

Each request below opens a new connection, so the kernel spreads them over both workers.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from micromets.api.services import example_data

from _auth import confirmation_form

pytestmark = pytest.mark.slow
CASE_ID = "SERVE-TEST-CASE-4471"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _micromets(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "micromets.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROMETS_")}
    env["MICROMETS_DB_URL"] = f"sqlite:///{folder / 'audit.sqlite3'}"
    port = _free_port()
    stdout, stderr = (folder / "stdout.txt").open("w+"), (folder / "stderr.txt").open("w+")
    process = subprocess.Popen([sys.executable, "-m", "micromets.cli", "serve", "--port", str(port), "--workers", "2"],
                               env=env, stdout=stdout, stderr=stderr, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, (folder / "stderr.txt").read_text()
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("micromets serve did not start:\n" + (folder / "stderr.txt").read_text())
        yield {"base": base, "env": env, "stdout": folder / "stdout.txt", "stderr": folder / "stderr.txt"}
    finally:
        process.terminate()
        process.wait(timeout=60)
        stdout.close()
        stderr.close()


def _link(server: dict[str, Any]) -> str:
    match = re.search(r"^\s+(http://\S+/\?token=\S+)$", server["stdout"].read_text(), flags=re.M)
    assert match, server["stdout"].read_text()
    return match.group(1)


def _open_link(link: str) -> httpx.Response:
    """Open a sign-in link and press *Sign in* on its confirmation page (one browser: one cookie jar)."""
    with httpx.Client() as browser:
        page = browser.get(link)
        assert page.status_code == 200, page.text
        action, fields = confirmation_form(page.text)
        return browser.post(httpx.URL(link).join(action), data=fields, follow_redirects=False)


def test_the_printed_link_signs_in_once(server: dict[str, Any]) -> None:
    link = _link(server)
    assert link.startswith(server["base"] + "/?token=")
    signed_in = _open_link(link)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    cookie = signed_in.cookies["micromets_session"]
    for _ in range(12):  # every worker accepts the session (one shared signing secret)
        page = httpx.get(server["base"] + "/", cookies={"micromets_session": cookie})
        assert page.status_code == 200 and 'id="case-form"' in page.text
    for _ in range(4):  # and no worker accepts the link again
        assert httpx.get(link, follow_redirects=False).status_code == 401


def test_a_sign_out_is_seen_by_every_worker(server: dict[str, Any]) -> None:
    """Sign-out revokes the session in the shared database: a copy of the cookie is refused by both workers."""
    made = _micromets("token", "login-url", "--url", server["base"], env=server["env"])
    assert made.returncode == 0, made.stderr
    signed_in = _open_link(made.stdout.strip())
    cookies = {"micromets_session": signed_in.cookies["micromets_session"]}
    page = httpx.get(server["base"] + "/", cookies=cookies)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert page.status_code == 200 and csrf
    out = httpx.post(server["base"] + "/signout", data={"csrf_token": csrf.group(1)}, cookies=cookies,
                     follow_redirects=False)
    assert out.status_code == 303
    for _ in range(8):
        assert httpx.get(server["base"] + "/", cookies=cookies).status_code == 401


def test_tokens_from_the_cli_work_on_every_worker_until_revoked(server: dict[str, Any]) -> None:
    created = _micromets("token", "create", "--scope", "write", "--name", "serve test", env=server["env"])
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}"}
    case = {**example_data("pn1mi"), "id": CASE_ID}
    for _ in range(8):
        assert httpx.post(server["base"] + "/api/assess", json=case, headers=headers).status_code == 200
    listed = _micromets("token", "list", env=server["env"])
    assert "serve test" in listed.stdout and secret not in listed.stdout
    token_id = re.search(r"^\s*(\d+)\s+write\s.*serve test$", listed.stdout, flags=re.M)
    assert token_id, listed.stdout
    assert _micromets("token", "revoke", token_id.group(1), env=server["env"]).returncode == 0
    for _ in range(8):
        assert httpx.post(server["base"] + "/api/assess", json=case, headers=headers).status_code == 401


def test_the_access_log_has_no_case_id(server: dict[str, Any]) -> None:
    secret = _micromets("token", "create", "--scope", "read", env=server["env"]).stdout.strip().splitlines()[-1]
    response = httpx.get(server["base"] + "/api/assessments", params={"case_id": CASE_ID},
                         headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json()
    assert httpx.get(server["base"] + "/healthz", headers={"Host": "evil.example"}).status_code == 400
    deadline = time.monotonic() + 30  # the log line is written just after the response is sent
    while '"GET /api/assessments" 200' not in (log := server["stderr"].read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert '"GET /api/assessments" 200' in log, log
    assert CASE_ID not in log and "case_id" not in log and "evil.example" not in log
    assert "2 worker processes" in log


def test_serve_refuses_a_bad_cds_key_file(tmp_path: Path, server: dict[str, Any]) -> None:
    (tmp_path / "bad.json").write_text("{}")
    result = _micromets("serve", "--port", str(_free_port()), "--cds-jwks", f"https://ehr.example={tmp_path}/bad.json",
                        env=server["env"])
    assert result.returncode == 2 and "JWK Set" in result.stderr
    result = _micromets("serve", "--cds-jwks", "no-equals-sign", env=server["env"])
    assert result.returncode == 2 and "ISSUER=PATH" in result.stderr


def test_serve_refuses_a_bad_cds_trust_file(tmp_path: Path, server: dict[str, Any]) -> None:
    (tmp_path / "trust.json").write_text('{"clients": [{"iss": "https://ehr.example", "jwks_url": "http://ehr.example/k"}]}')
    result = _micromets("serve", "--port", str(_free_port()), "--cds-trust", str(tmp_path / "trust.json"),
                        env=server["env"])
    assert result.returncode == 2 and "https://" in result.stderr
