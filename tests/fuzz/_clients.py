"""The one way the fuzz and hostile-input tests talk to the web app and REST API.

Every request goes through ``client()``: when the API requires credentials (a Bearer token on
``/api/*``, a session cookie for the web pages), they are added here, in ``AUTH_HEADERS`` and
``AUTH_COOKIES``, and nowhere else.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from micromets.api import create_app

__all__ = ["AUTH_COOKIES", "AUTH_HEADERS", "JSON", "client", "problems_of"]

AUTH_HEADERS: dict[str, str] = {}
AUTH_COOKIES: dict[str, str] = {}
JSON = {"content-type": "application/json"}


def client() -> TestClient:
    """A client of a fresh app that reports a server error as a 500 response (counted, not raised)."""
    return TestClient(create_app(), raise_server_exceptions=False, headers=AUTH_HEADERS, cookies=AUTH_COOKIES)


def problems_of(body: Any) -> list[tuple[str, str]]:
    """The ``(field, message)`` pairs of an error body; ``AssertionError`` when the shape is wrong."""
    assert isinstance(body, dict) and set(body) == {"detail"}, body
    pairs = [(item.get("field"), item.get("message")) for item in body["detail"]]
    assert pairs and all(isinstance(f, str) and f and isinstance(m, str) and m for f, m in pairs), body
    return pairs
