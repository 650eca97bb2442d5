"""Fixtures for the report tests (the builders are in _report_cases.py)."""

from __future__ import annotations

import pytest
from _report_cases import build_assessment, build_case, build_empty_assessment

from micromets.model import Case
from micromets.model.assessment import Assessment


@pytest.fixture
def case() -> Case:
    return build_case()


@pytest.fixture
def assessment() -> Assessment:
    return build_assessment()


@pytest.fixture
def assessment_without_prognosis() -> Assessment:
    return build_assessment(prognosis=False)


@pytest.fixture
def empty_assessment() -> Assessment:
    return build_empty_assessment()
