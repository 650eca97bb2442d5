"""A partial ``treatments`` object means the same on the web and in the REST API: the treatments left out are the
recommended ones (choosing chemotherapy never silently drops endocrine therapy); a complete object is taken as given.

The pn1mi example (postmenopausal, ER-positive, pN1mi) has endocrine therapy recommended (EBCTCG), so choosing only
chemotherapy must still evaluate endocrine therapy with it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app, form
from micromets.api.services import example_data

from _auth import api_client, web_client

FULL_SET = {"endocrine": False, "chemotherapy": "third_gen", "trastuzumab": False, "bisphosphonate": False,
            "radiotherapy": True}


@pytest.fixture(scope="module")
def rest() -> Iterator[TestClient]:
    with api_client(create_app(), "write") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def web() -> Iterator[TestClient]:
    with web_client(create_app()) as test_client:
        yield test_client


def _case(**treatments: Any) -> dict[str, Any]:
    case = copy.deepcopy(example_data("pn1mi"))
    case.pop("treatments", None)
    if treatments:
        case["treatments"] = treatments
    return case


def _evaluated(assessment: dict[str, Any]) -> set[str]:
    return set(assessment["prognosis"]["treatments_evaluated"])


def test_rest_completes_a_partial_set_from_the_recommended_one(rest: TestClient) -> None:
    recommended = _evaluated(rest.post("/api/assess", json=_case()).json())
    assert "endocrine" in recommended
    chosen = rest.post("/api/assess", json=_case(chemotherapy="third_gen"))
    assert chosen.status_code == 200, chosen.text
    assert _evaluated(chosen.json()) == recommended | {"chemotherapy"}
    batch = rest.post("/api/assess/batch", json=[_case(chemotherapy="third_gen")]).json()
    assert _evaluated(batch[0]) == recommended | {"chemotherapy"}


def test_rest_takes_a_complete_set_as_given(rest: TestClient) -> None:
    assert _evaluated(rest.post("/api/assess", json=_case(**FULL_SET)).json()) == {"chemotherapy", "radiotherapy"}


def test_rest_whatif_choosing_one_treatment_keeps_the_others(rest: TestClient) -> None:
    response = rest.post("/api/whatif", json={"case": _case(), "changes": {"treatments.chemotherapy": "third_gen"}})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["changes"]["treatments.endocrine"] is True  # completed from the recommended set, said in changes
    evaluated = next(p for p in result["prognosis"] if p["field"] == "treatments_evaluated")
    assert set(evaluated["after"]) == set(evaluated["before"]) | {"chemotherapy"}


def test_web_and_rest_evaluate_the_same_set(rest: TestClient, web: TestClient) -> None:
    case = _case()
    values = {**form.flatten(case), "action": "assess", "treatments.chemotherapy": "third_gen"}
    page = web.post("/assess", data=values).text
    ticked = set(re.findall(r'name="treat" value="(\w+)" id="treat-\w+" checked', page))
    assert ticked == _evaluated(rest.post("/api/assess", json=_case(chemotherapy="third_gen")).json())
