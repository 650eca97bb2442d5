"""Test helpers for access control: authenticated API clients and a signed-in web client.

An API client carries ``Authorization: Bearer <token>`` for a token created in the app's own access
database; the web client signs in the way a user does, through a one-time ``/?token=...`` link and the
button of the confirmation page it opens, and reads the CSRF token from the page it gets.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

#: The default allowed hosts are loopback names only; TestClient's own "testserver" is refused.
BASE_URL = "http://localhost"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def new_token(app: FastAPI, scope: str, name: str = "tests") -> str:
    _, secret = app.state.access.create_token(scope, name=name)
    return str(secret)


def api_client(app: FastAPI, scope: str = "write", **kwargs: Any) -> TestClient:
    """A client whose every request carries a fresh token of ``scope``."""
    return TestClient(app, base_url=BASE_URL, headers={"Authorization": f"Bearer {new_token(app, scope)}"},
                      **kwargs)


def anonymous_client(app: FastAPI, **kwargs: Any) -> TestClient:
    return TestClient(app, base_url=BASE_URL, **kwargs)


def csrf_token_in(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


class WebClient(TestClient):
    """A signed-in browser: form posts get the session's CSRF token unless they bring one."""

    csrf_token = ""

    def post(self, url: Any, *, data: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(data, dict) and "csrf_token" not in data:
            data = {**data, "csrf_token": self.csrf_token}
        return super().post(url, data=data, **kwargs)


_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def confirmation_form(html: str) -> tuple[str, dict[str, str]]:
    """The action and the fields of the sign-in confirmation page's form."""
    import html as html_module

    action = re.search(r'<form method="post" action="([^"]+)"', html)
    assert action, "no form on the page"
    return html_module.unescape(action.group(1)), {k: html_module.unescape(v) for k, v in _HIDDEN.findall(html)}


def open_link(client: TestClient, url: str, **kwargs: Any) -> Any:
    """Open a sign-in link and press *Sign in* on the confirmation page: the answer to that press."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    action, fields = confirmation_form(page.text)
    return TestClient.post(client, action, data=fields, **kwargs)


def sign_in(client: TestClient, app: FastAPI, name: str = "tests") -> str:
    """Sign ``client`` in through a new one-time link; returns the session's CSRF token."""
    link = app.state.access.create_login_token(name=name)
    response = open_link(client, f"/?token={link}")
    assert response.status_code == 200, response.text
    return csrf_token_in(response.text)


def web_client(app: FastAPI, base_url: str = BASE_URL, name: str = "tests", **kwargs: Any) -> WebClient:
    client = WebClient(app, base_url=base_url, **kwargs)
    client.csrf_token = sign_in(client, app, name)
    return client


# CDS Hooks: an EHR (CDS client) with its own key pair, signing one JWT per call as the spec requires.


class Ehr:
    """A CDS client: ``iss``, a private key (EC P-384 for ES384, RSA 3072 for RS384) and its public JWK Set."""

    def __init__(self, issuer: str = "https://ehr.example.org", alg: str = "ES384", kid: str = "ehr-key-1") -> None:
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        self.issuer, self.alg, self.kid = issuer, alg, kid
        if alg.startswith("ES"):
            curve = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}[alg]
            self.private_key: Any = ec.generate_private_key(curve)
        else:
            self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)

    def jwks(self) -> dict[str, Any]:
        import json

        from jwt.algorithms import ECAlgorithm, RSAAlgorithm

        algorithm = ECAlgorithm if self.alg.startswith("ES") else RSAAlgorithm
        jwk = json.loads(algorithm.to_jwk(self.private_key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": self.alg}]}

    def write_jwks(self, path: Any) -> str:
        import json

        path.write_text(json.dumps(self.jwks()), encoding="utf-8")
        return str(path)

    def claims(self, aud: str, **overrides: Any) -> dict[str, Any]:
        import time
        import uuid

        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "aud": aud, "iat": now, "exp": now + 300,
                                  "jti": str(uuid.uuid4())}
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        import jwt

        headers = {"kid": self.kid, "typ": "JWT", **header}
        return jwt.encode(claims, self.private_key, algorithm=headers.pop("alg", self.alg), headers=headers)

    def token(self, aud: str, **overrides: Any) -> str:
        return self.sign(self.claims(aud, **overrides))


class EhrAuth:
    """Client auth (a callable, as httpx accepts): a new JWT per request, ``aud`` = the URL called."""

    def __init__(self, ehr: Ehr) -> None:
        self.ehr = ehr

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self.ehr.token(str(request.url.copy_with(query=None)))}"
        return request


def cds_app(ehr: Ehr, jwks_path: Any, **kwargs: Any) -> FastAPI:
    """An app that trusts ``ehr`` (its JWK Set written to ``jwks_path``)."""
    from micromets.api import create_app
    from micromets.api.security import SecuritySettings

    return create_app(settings=SecuritySettings(cds_jwks={ehr.issuer: ehr.write_jwks(jwks_path)}), **kwargs)
