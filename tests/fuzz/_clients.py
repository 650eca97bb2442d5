"""The one way the fuzz and hostile-input tests talk to the web app, the REST API and CDS Hooks.

Every request goes through ``clients()``: it holds the credentials the access control asks for (an
``admin`` API token for ``/api/*``, a signed-in session with its CSRF token for the web pages, an EHR
signing a JWT per CDS Hooks call; ``tests/_auth.py``), so the fuzz reaches the input handling instead
of stopping at 401. Server exceptions come back as 500 responses (counted by the tests, not raised).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from _auth import BASE_URL, Ehr, EhrAuth, WebClient, cds_app, new_token, sign_in

__all__ = ["FORM", "JSON", "Clients", "clients", "problems_of"]

JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@dataclass
class Clients:
    api: TestClient  # /api/*, with an admin token (every scope)
    web: WebClient  # a signed-in browser; ``data=`` posts get the CSRF token
    cds: TestClient  # an EHR that signs a JWT for every call
    csrf_token: str

    def form_body(self, body: bytes) -> bytes:
        """A raw url-encoded form body with the session's CSRF token appended."""
        return body + b"&csrf_token=" + urllib.parse.quote(self.csrf_token).encode()

    def close(self) -> None:
        for client in (self.api, self.web, self.cds):
            client.close()


def clients(tmp_dir: Path) -> Clients:
    """Clients of one fresh app (no audit store) that trusts a test EHR's keys (written to ``tmp_dir``)."""
    ehr = Ehr()
    app = cds_app(ehr, tmp_dir / "ehr-jwks.json")
    options: dict[str, Any] = {"base_url": BASE_URL, "raise_server_exceptions": False}
    api = TestClient(app, headers={"Authorization": f"Bearer {new_token(app, 'admin', name='fuzz')}"}, **options)
    web = WebClient(app, **options)
    web.csrf_token = sign_in(web, app)
    cds = TestClient(app, **options)
    cds.auth = EhrAuth(ehr)
    return Clients(api=api, web=web, cds=cds, csrf_token=web.csrf_token)


def problems_of(body: Any) -> list[tuple[str, str]]:
    """The ``(field, message)`` pairs of an error body; ``AssertionError`` when the shape is wrong."""
    assert isinstance(body, dict) and set(body) == {"detail"}, body
    pairs = [(item.get("field"), item.get("message")) for item in body["detail"]]
    assert pairs and all(isinstance(f, str) and f and isinstance(m, str) and m for f, m in pairs), body
    return pairs
