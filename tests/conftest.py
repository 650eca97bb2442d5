"""Shared fixtures."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from micromets.api import create_app

import _auth
from _cases import BASE_CASE


@pytest.fixture
def base_case() -> dict[str, Any]:
    return copy.deepcopy(BASE_CASE)


# Timing-based health checks and deadlines make results depend on machine load (CI has 2 cores shared
# with the browser and server tests); correctness is what the tests assert.
settings.register_profile("micromets", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("micromets")


# Access control: every /api/ call needs a token and every web page a session (docs/web-and-api.md).
# Function-scoped: each test gets its own app, token database and clients.


@pytest.fixture
def api_app() -> FastAPI:
    """A fresh app (no audit store) with its own in-memory token database."""
    return create_app()


@pytest.fixture
def write_client(api_app: FastAPI) -> TestClient:
    return _auth.api_client(api_app, "write")


@pytest.fixture
def read_client(api_app: FastAPI) -> TestClient:
    return _auth.api_client(api_app, "read")


@pytest.fixture
def admin_client(api_app: FastAPI) -> TestClient:
    return _auth.api_client(api_app, "admin")


@pytest.fixture
def anon_client(api_app: FastAPI) -> TestClient:
    """No credentials at all."""
    return _auth.anonymous_client(api_app)


@pytest.fixture
def web_client(api_app: FastAPI) -> _auth.WebClient:
    """Signed in through a one-time link; form posts carry the CSRF token."""
    return _auth.web_client(api_app)
