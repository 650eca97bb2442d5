"""Shared fixtures."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from _cases import BASE_CASE


@pytest.fixture
def base_case() -> dict[str, Any]:
    return copy.deepcopy(BASE_CASE)


# Timing-based health checks and deadlines make results depend on machine load (CI has 2 cores shared
# with the browser and server tests); correctness is what the tests assert.
settings.register_profile("micromets", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("micromets")
