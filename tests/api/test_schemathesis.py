"""Property-based API testing: schemathesis generates requests from the app's own OpenAPI document
(in process, through ASGI) and no request may produce a server error; error responses keep the
``{"detail": [{field, message}]}`` shape.

Derandomized and bounded (30 fuzzed examples per operation, plus schemathesis' explicit-example and
boundary "coverage" phases), so the run is reproducible and takes well under two minutes. The PDF
endpoint renders a WeasyPrint document per request, so it runs without the (unbounded) coverage phase
and with fewer examples.

Every request carries an admin token (it may call every operation), except the ones where
schemathesis leaves out or mangles the declared bearer token on purpose: those must get 401. schemathesis calls the app as host ``testserver``, which
the app is told to allow."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from micromets.api import create_app
from micromets.api.security import SecuritySettings

from _auth import new_token

PDF = "/api/report.pdf"

app = create_app(settings=SecuritySettings(allowed_hosts=("testserver",)))
AUTH = {"Authorization": f"Bearer {new_token(app, 'admin')}"}
schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path=PDF)
pdf_schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path=PDF)
pdf_schema.config.phases.update(phases=["examples", "fuzzing"])


def _check(case: schemathesis.Case) -> None:
    response = case.call(headers=AUTH)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code}\n{response.text[:2000]}"
    # The coverage phase also drops or mangles the declared bearer token: then, and only then, 401.
    if response.request.headers.get("Authorization") == AUTH["Authorization"]:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 401, f"{case.method} {case.path} without the token: {response.status_code}"
    if response.status_code in (404, 413, 415, 422) and case.path.startswith("/api/"):
        detail = response.json()["detail"]
        assert detail and all(set(item) == {"field", "message"} for item in detail), detail


@schema.parametrize()
@settings(max_examples=30, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case: schemathesis.Case) -> None:
    _check(case)


@pdf_schema.parametrize()
@settings(max_examples=12, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_pdf(case: schemathesis.Case) -> None:
    _check(case)
