"""A direct extension (T4a-d) beside "no invasive tumour" is refused, at every entry point, naming both fields.

Sources:
* AJCC 8th ed., ch. 48 (2018 update), T categories (/work/shared/reference/ajcc8-breast-staging.md section 1): T0 is
  "no evidence of primary tumour"; T4 is a tumour of "any size with direct extension to chest wall and/or skin
  (ulceration or macroscopic nodules)"; T4d inflammatory carcinoma needs "invasive carcinoma proven". The same
  definitions hold for cT, pT, ycT and ypT; ypT is the residual *invasive* tumour.
* docs/case-format.md: ``tumour.size_mm: 0`` means no invasive tumour (T0, or ypT0 after neoadjuvant therapy);
  ``t_extension`` is T4a-d (chest_wall, skin, chest_wall_and_skin, inflammatory); the extension before neoadjuvant
  therapy is ``neoadjuvant_therapy.pre_treatment_t_extension``.
So size 0 with any extension but "none" describes a tumour that is both absent and invasive: an error naming
``tumour.size_mm`` and ``tumour.t_extension`` (never a guess of which one is wrong).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.interop._audit_bundles import L, S, U, cc, obs
from tests.interop._audit_bundles import bundle as fhir_bundle
from tests.interop._audit_bundles import refused as fhir_refused
from tests.properties._strategies import EXTENSIONS, case_dicts
from typer.testing import CliRunner

from micromets.api import create_app
from micromets.api.services import example_data
from micromets.cli import app
from micromets.cohort.columns import case_from_row
from micromets.errors import CaseValidationError, FieldProblem
from micromets.model import parse_case, parse_case_json

from _auth import api_client

T4 = [e for e in EXTENSIONS if e != "none"]  # chest_wall (T4a), skin (T4b), chest_wall_and_skin (T4c), inflammatory (T4d)


def _problems(data: Any) -> list[FieldProblem]:
    with pytest.raises(CaseValidationError) as raised:
        parse_case(data)
    return raised.value.problems


def _case(**tumour: Any) -> dict[str, Any]:
    data = copy.deepcopy(example_data("pn1mi"))
    data["tumour"].update(tumour)
    return data


@pytest.mark.parametrize("extension", T4)
@pytest.mark.parametrize("neoadjuvant", [False, True])
def test_size_0_beside_a_t4_extension_is_refused_naming_both_fields(extension: str, neoadjuvant: bool) -> None:
    data = _case(size_mm=0, t_extension=extension)
    data["neoadjuvant"] = neoadjuvant  # ypT0 (no residual invasive tumour) is no more a T4 than pT0
    problems = _problems(data)
    assert [(p.field, p.related) for p in problems] == [("tumour.size_mm", ("tumour.t_extension",))]
    message = problems[0].message
    assert f"t_extension is '{extension}'" in message and "AJCC 8" in message and "any size" in message
    if neoadjuvant:
        assert "neoadjuvant_therapy.pre_treatment_t_extension" in message  # where a cT4 before therapy goes


@pytest.mark.parametrize(("size", "extension"), [(0, "none"), (0, None), (None, "inflammatory"), (0.5, "skin"),
                                                 (35, "chest_wall_and_skin")])
def test_the_combinations_that_agree_are_accepted(size: float | None, extension: str | None) -> None:
    # T0; T0 with the extension not recorded; T4d with the size unknown (inflammatory carcinoma often has no
    # measurable mass); T4 of any (invasive) size, however small
    tumour = parse_case(_case(size_mm=size, t_extension=extension)).tumour
    assert tumour is not None and tumour.size_mm == size and tumour.t_extension == extension


def test_in_situ_only_with_size_0_and_an_extension_is_reported_once() -> None:
    # size 0 is what the format asks beside in_situ_only; the contradiction is the extension beside Tis (AJCC 8),
    # already an error of its own: no second message on the same mistake
    problems = _problems(_case(size_mm=0, t_extension="skin", in_situ_only=True))
    assert [(p.field, p.related) for p in problems] == [("tumour.t_extension", ("tumour.in_situ_only",))]


def test_the_pre_treatment_size_0_beside_a_pre_treatment_extension_is_refused() -> None:
    # cT0 is "no evidence of primary tumour"; cT4a-d are an invasive tumour of any size (AJCC 8)
    data = _case(size_mm=0)
    data["neoadjuvant"] = True
    data["neoadjuvant_therapy"] = {"pre_treatment_size_mm": 0, "pre_treatment_t_extension": "inflammatory"}
    problems = _problems(data)
    assert [(p.field, p.related) for p in problems] == [
        ("neoadjuvant_therapy.pre_treatment_size_mm", ("neoadjuvant_therapy.pre_treatment_t_extension",))]
    data["neoadjuvant_therapy"]["pre_treatment_size_mm"] = 40  # cT4d with a 40 mm mass, pCR after it: valid
    assert parse_case(data).neoadjuvant_therapy is not None


def test_it_is_reported_with_every_other_independent_mistake() -> None:
    # docs/case-format.md: every independent problem is listed in one answer
    data = _case(size_mm=0, t_extension="skin", grade=4)
    data["surgery"] = {"breast": "none", "margins_mm": 2}
    fields = sorted(p.field for p in _problems(data))
    assert fields == ["surgery.margins_mm", "tumour.grade", "tumour.size_mm"]


def test_json_text_and_the_cli_name_the_field() -> None:
    text = json.dumps(_case(size_mm=0, t_extension="chest_wall"))
    with pytest.raises(CaseValidationError) as raised:
        parse_case_json(text)
    assert raised.value.first.field == "tumour.size_mm"
    result = CliRunner().invoke(app, ["assess", "-"], input=text)
    assert result.exit_code == 2
    assert "invalid case: tumour.size_mm: is 0" in result.stderr
    assert json.loads(result.stdout)["error"]["field"] == "tumour.size_mm"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with api_client(create_app(), "write") as test_client:
        yield test_client


def test_the_rest_api_answers_422_naming_the_field(client: TestClient) -> None:
    response = client.post("/api/assess", json=_case(size_mm=0, t_extension="inflammatory"))
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert [d["field"] for d in detail] == ["tumour.size_mm"] and "t_extension" in detail[0]["message"]


def test_a_cohort_row_names_the_column() -> None:
    row = {"id": "r", "age": 60, "tumour.size_mm": 0.0, "tumour.t_extension": "skin"}
    with pytest.raises(CaseValidationError) as raised:
        case_from_row(row)
    assert [(p.field, p.related) for p in raised.value.problems] == [("tumour.size_mm", ("tumour.t_extension",))]


def _size(mm: float) -> dict[str, Any]:
    return obs("s", cc(L, "21889-1"), valueQuantity={"value": mm, "unit": "mm", "system": U, "code": "mm"})


@pytest.mark.parametrize("category", ["pT4b", "pT4d", "ypT4a"])
def test_a_fhir_import_of_size_0_and_a_t4_category_is_refused(category: str) -> None:
    # was: imported as size 0 with the extension, staged T4 (and, after neoadjuvant therapy, a complete response)
    reported = obs("t", cc(S, "384625004", "pT category"), valueCodeableConcept={"text": category})
    problems = fhir_refused(fhir_bundle(_size(0), reported))
    assert [f for f, _ in problems] == ["tumour.size_mm"] and "t_extension" in problems[0][1]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_dicts(), st.sampled_from(T4), st.sampled_from([False, None]))
def test_property_size_0_beside_any_t4_extension_is_always_refused(data: dict[str, Any], extension: str,
                                                                   in_situ: bool | None) -> None:
    """Invariant: whatever else a (valid) drawn case holds, size 0 with an extension is refused, naming both."""
    tumour = {**data.get("tumour", {}), "size_mm": 0, "t_extension": extension}
    tumour.pop("in_situ_only", None)
    if in_situ is not None:
        tumour["in_situ_only"] = in_situ
    problems = _problems({**data, "tumour": tumour})
    assert ("tumour.size_mm", ("tumour.t_extension",)) in [(p.field, p.related) for p in problems]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_dicts())
def test_property_drawn_cases_never_hold_size_0_beside_an_extension(data: dict[str, Any]) -> None:
    """The strategy the property tests and the snapshot draw from keeps to the case format."""
    tumour = data.get("tumour", {})
    assert not (tumour.get("size_mm") == 0 and tumour.get("t_extension") not in (None, "none"))
    therapy = data.get("neoadjuvant_therapy", {})
    assert not (therapy.get("nodes_biopsy_proven") and therapy.get("pre_treatment_clinical_nodes") == "cN0")
    parse_case(data)
