"""Shared fixtures."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
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
# A CI verdict must not depend on the draw: the same examples every run (derandomize). Exploring new examples
# is a separate, deliberate act: HYPOTHESIS_EXPLORE=1 make test (a failure found that way becomes an @example).
settings.register_profile("micromets", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"))
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


# -- audit store databases ---------------------------------------------------------------------------
# The store tests run on SQLite and on PostgreSQL. CI (.ci/run) starts a PostgreSQL server and sets
# MICROMETS_TEST_PG_URL; a developer without one gets the PostgreSQL cases skipped, but under CI a
# missing or unreachable server fails them.
PG_ENV = "MICROMETS_TEST_PG_URL"


def _postgresql_url() -> Iterator[str]:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI runs the store tests on PostgreSQL (see .ci/postgres)")
        pytest.skip(f"{PG_ENV} is not set (no PostgreSQL server; CI starts one with .ci/postgres)")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except SQLAlchemyError as exc:
        admin.dispose()
        pytest.fail(f"{PG_ENV} is set but the PostgreSQL server cannot be used: {exc}")
    # Each test gets its own schema: tables, trigger functions and alembic_version go there.
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty audit database: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    else:
        yield from _postgresql_url()
