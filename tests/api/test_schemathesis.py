"""Property-based API testing: schemathesis generates requests from the app's own OpenAPI document
(in process, through ASGI) and no request may produce a server error; error responses keep the
``{"detail": [{field, message}]}`` shape.

Derandomized and bounded (30 fuzzed examples per operation, plus schemathesis' explicit-example and
boundary "coverage" phases), so the run is reproducible and takes well under two minutes. The PDF
endpoint renders a WeasyPrint document per request, so it runs without the (unbounded) coverage phase
and with fewer examples."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from micromets.api import create_app

PDF = "/api/report.pdf"

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app()).exclude(path=PDF)
pdf_schema = schemathesis.openapi.from_asgi("/openapi.json", create_app()).include(path=PDF)
pdf_schema.config.phases.update(phases=["examples", "fuzzing"])


def _check(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code}\n{response.text[:2000]}"
    if response.status_code in (404, 413, 422) and case.path.startswith("/api/"):
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
