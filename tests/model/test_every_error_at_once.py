"""Every independent problem of a case is reported in one go (docs/case-format.md: error records carry ``errors``,
every invalid field; docs/web-and-api.md: each message next to its input).

pydantic runs an object's cross-field checks only once its fields are valid, and the case's only once every nested
object is; before, a case with three mistakes was reported one round at a time. Each expected problem below is a
contradiction the case-format page lists ("Validation a clinician would expect": contradictions, node numbers)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.errors import CaseValidationError, FieldProblem
from micromets.model import parse_case


def _problems(data: dict[str, Any]) -> list[FieldProblem]:
    with pytest.raises(CaseValidationError) as raised:
        parse_case(data)
    return raised.value.problems


def _fields(data: dict[str, Any]) -> list[str]:
    return [p.field for p in _problems(data)]


def test_three_mistakes_in_three_places_are_all_reported() -> None:
    # a deposit without a measure (nested), an in-situ tumour with an invasive size (tumour), margins without breast
    # surgery (case level): three independent mistakes
    data = {"tumour": {"size_mm": 12, "in_situ_only": True},
            "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "method": "he"}]},
            "surgery": {"breast": "none", "margins_mm": 2}}
    assert sorted(_fields(data)) == ["nodes.deposits[0].size_mm", "surgery.margins_mm", "tumour.size_mm"]


def test_a_case_level_contradiction_is_reported_beside_an_invalid_value() -> None:
    fields = _fields({"age": 5, "sex": "male", "menopausal_status": "post"})
    assert fields == ["age", "menopausal_status"]


def test_a_nodal_contradiction_is_reported_beside_an_invalid_deposit_with_the_deposit_numbers_kept() -> None:
    # deposit 0 lacks its measure; deposit 2 names node 5 of 3 examined: the node-number check must still run, and
    # must name deposit 2 (not 1, as it would if the deposit set aside shifted the others)
    data = {"nodes": {"procedure": "slnb", "examined": 3, "deposits": [
        {"node": 1, "method": "he"}, {"node": 2, "method": "he", "size_mm": 1.0}, {"node": 5, "method": "ihc", "size_mm": 0.5}]}}
    assert _fields(data) == ["nodes.deposits[0].size_mm", "nodes.deposits[2].node"]


def test_two_contradictions_of_one_object_are_both_reported() -> None:
    data = {"tumour": {"size_mm": 12, "t_extension": "skin", "in_situ_only": True}}
    assert sorted(_fields(data)) == ["tumour.size_mm", "tumour.t_extension"]


def test_a_field_set_aside_creates_no_contradiction() -> None:
    # the invalid size is not read as a size: no "is above 0 but in_situ_only" beside its own type error
    problems = _problems({"tumour": {"size_mm": "12", "in_situ_only": True}})
    assert [p.field for p in problems] == ["tumour.size_mm"] and "must be a number" in problems[0].message


def test_a_contradiction_names_both_of_its_fields() -> None:
    problems = {p.field: p for p in _problems({"tumour": {"size_mm": 12, "in_situ_only": True},
                                               "neoadjuvant_therapy": {"agents": ["taxane"]},
                                               "pregnancy": {"status": "lactating"}, "menopausal_status": "post"})}
    assert problems["tumour.size_mm"].related == ("tumour.in_situ_only",)
    assert problems["neoadjuvant_therapy"].related == ("neoadjuvant",)
    assert problems["pregnancy.status"].related == ("menopausal_status",)


def test_the_error_record_keeps_its_shape() -> None:
    """The REST/CLI record is {field, message} per problem; ``related`` is for the form only."""
    problem = _problems({"tumour": {"size_mm": 12, "in_situ_only": True}})[0]
    assert problem.as_dict() == {"field": "tumour.size_mm", "message": problem.message}


_CONTRADICTIONS: dict[str, dict[str, Any]] = {
    "tumour.size_mm": {"tumour": {"size_mm": 12, "in_situ_only": True}},
    "surgery.margins_mm": {"surgery": {"breast": "none", "margins_mm": 2}},
    "neoadjuvant_therapy": {"neoadjuvant": False, "neoadjuvant_therapy": {"agents": ["taxane"]}},
    "conditions.prior_anthracycline_mg_m2": {"conditions": {"prior_anthracycline": False,
                                                             "prior_anthracycline_mg_m2": 240}},
    "treatments.endocrine_years": {"treatments": {"endocrine": False, "endocrine_years": 5}},
    "nodes.examined": {"nodes": {"procedure": "none", "examined": 2}},
    "nodes.clipped_node": {"nodes": {"procedure": "none", "clipped_node": "retrieved"}},
    "pregnancy.trimester": {"pregnancy": {"status": "not_pregnant", "trimester": 1}},
    "menopausal_status": {"sex": "male", "menopausal_status": "pre"},
}


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(sorted(_CONTRADICTIONS)), min_size=1))
def test_any_set_of_independent_contradictions_is_reported_whole(chosen: set[str]) -> None:
    """Invariant: the problems of a case made of independent mistakes are exactly the mistakes."""
    data: dict[str, Any] = {}
    for key in chosen:
        for name, value in _CONTRADICTIONS[key].items():
            data[name] = {**data.get(name, {}), **value} if isinstance(value, dict) else value
    assert sorted(_fields(data)) == sorted(chosen)
