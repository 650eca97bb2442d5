"""Property-based API testing: schemathesis generates requests from the app's own OpenAPI document
(in process, through ASGI) and no request may produce a server error. Derandomized, ~30 examples per
operation, so the run is reproducible and stays well under two minutes."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from micromets.api import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=30, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code}\n{response.text[:2000]}"
    if response.status_code in (413, 422):
        detail = response.json()["detail"]
        assert detail and all(set(item) == {"field", "message"} for item in detail)
