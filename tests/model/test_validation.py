"""Bad input gives a clear, field-named error for every validation rule (never a traceback or a guess)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micromets.errors import CaseValidationError
from micromets.model import Case, parse_case, parse_case_json

from _cases import BASE_CASE


def problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(CaseValidationError) as info:
        parse_case(data)
    return [(p.field, p.message) for p in info.value.problems]


def changed(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CASE)
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
    target[keys[-1]] = value
    return data


def test_the_base_case_is_valid() -> None:
    assert parse_case(copy.deepcopy(BASE_CASE)).tumour is not None


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("age", 17, "age", "at least 18"),
        ("age", 111, "age", "at most 110"),
        ("tumour.er_percent", 101, "tumour.er_percent", "at most 100"),
        ("tumour.ki67_percent", -1, "tumour.ki67_percent", "at least 0"),
        ("tumour.grade", 4, "tumour.grade", "at most 3"),
        ("tumour.grade", 0, "tumour.grade", "at least 1"),
        ("tumour.size_mm", 300, "tumour.size_mm", "millimetres"),
        ("tumour.size_mm", -2, "tumour.size_mm", "at least 0"),
        ("tumour.her2_ihc", "4+", "tumour.her2_ihc", "must be one of"),
        ("menopausal_status", "post-menopausal", "menopausal_status", "must be one of"),
        ("clinical_nodes", "N1", "clinical_nodes", "must be one of"),
        ("metastasis", "M0", "metastasis", "must be one of"),
        ("surgery.date", "2026-02-30", "surgery.date", "date"),
        ("ecog", 5, "ecog", "at most 4"),
        ("lvef_percent", 120, "lvef_percent", "at most"),
    ],
)
def test_ranges_and_enumerations(path: str, value: Any, field: str, words: str) -> None:
    found = problems(changed(path, value))
    assert found[0][0] == field
    assert words in found[0][1]


def test_unknown_field_is_an_error_not_ignored() -> None:
    data = changed("tumour.grde", 2)
    assert problems(data)[0] == ("tumour.grde", problems(data)[0][1])
    assert "not a field" in problems(data)[0][1]


@pytest.mark.parametrize(
    ("deposit", "field", "words"),
    [
        ({"node": 1, "method": "he"}, "nodes.deposits[0].size_mm", "needs size_mm"),
        ({"node": 1, "method": "osna"}, "nodes.deposits[0].osna_copies_per_ul", "required"),
        ({"node": 1, "method": "he", "size_mm": 1, "osna_copies_per_ul": 300}, "nodes.deposits[0].osna_copies_per_ul",
         "not 'osna'"),
        ({"node": 1, "method": "he", "size_mm": 120}, "nodes.deposits[0].size_mm", "millimetres"),
        ({"node": 0, "method": "he", "size_mm": 1}, "nodes.deposits[0].node", "at least 1"),
        ({"node": 1, "method": "xray", "size_mm": 1}, "nodes.deposits[0].method", "must be one of"),
    ],
)
def test_deposit_needs_a_measure_and_a_consistent_method(deposit: dict[str, Any], field: str, words: str) -> None:
    found = problems(changed("nodes.deposits", [deposit]))
    assert found[0][0] == field
    assert words in found[0][1]


def test_node_number_must_not_exceed_nodes_examined() -> None:
    found = problems(changed("nodes.deposits", [{"node": 5, "size_mm": 1.0, "method": "he"}]))
    assert found[0][0] == "nodes.deposits[0].node"
    assert "only 3 nodes were examined" in found[0][1]


def test_deposits_without_a_nodal_procedure_are_contradictory() -> None:
    data = changed("nodes", {"procedure": "none", "deposits": [{"node": 1, "size_mm": 1, "method": "he"}]})
    assert problems(data)[0][0] == "nodes.deposits"


def test_neoadjuvant_therapy_only_when_neoadjuvant() -> None:
    data = changed("neoadjuvant_therapy", {"pre_treatment_size_mm": 20})
    assert problems(data)[0][0] == "neoadjuvant_therapy"


def test_in_situ_only_with_an_invasive_size_is_contradictory() -> None:
    data = changed("tumour.in_situ_only", True)
    assert problems(data)[0][0] == "tumour.size_mm"



def test_size_0_beside_a_t4_extension_is_contradictory() -> None:
    # AJCC 8: T4a-d are invasive carcinoma of any size; size 0 is no invasive tumour (T0). More in
    # test_t4_needs_invasive_tumour.py (every entry point, the property over drawn cases).
    data = changed("tumour.size_mm", 0)
    data["tumour"]["t_extension"] = "inflammatory"
    assert problems(data)[0][0] == "tumour.size_mm"


@pytest.mark.parametrize(("proven", "before", "valid"), [
    (True, "cN0", False), (True, "cN1", True), (False, "cN0", True), (True, None, True), (True, "cNX", True)])
def test_a_biopsy_proven_node_is_not_cn0(proven: bool, before: str | None, valid: bool) -> None:
    # AJCC 8 (ajcc8-breast-staging.md section 2: a metastasis confirmed by FNA or core biopsy is cN with (f), e.g.
    # cN1(f)); clinical-knowledge.md: "A biopsy-proven node makes the patient cN1". cNX (not assessed) is left alone.
    data = changed("neoadjuvant", True)
    data["tumour"]["size_mm"] = 0
    data["neoadjuvant_therapy"] = {"pre_treatment_size_mm": 30, "nodes_biopsy_proven": proven,
                                   **({"pre_treatment_clinical_nodes": before} if before else {})}
    if valid:
        assert parse_case(data).neoadjuvant_therapy is not None
    else:
        found = problems(data)
        assert found[0][0] == "neoadjuvant_therapy.nodes_biopsy_proven" and "cN1(f)" in found[0][1]


@pytest.mark.parametrize(("clipped", "valid"), [("retrieved", False), ("not_retrieved", True), ("not_placed", True)])
def test_a_clipped_node_retrieved_needs_a_nodal_procedure(clipped: str, valid: bool) -> None:
    # a retrieved clipped node was removed at surgery (targeted axillary dissection, Caudle JCO 2016): procedure
    # 'none' says no node was removed
    data = changed("nodes", {"procedure": "none", "clipped_node": clipped})
    if valid:
        assert parse_case(data).nodes is not None
    else:
        assert problems(data)[0][0] == "nodes.clipped_node"

def test_endocrine_years_without_endocrine() -> None:
    data = changed("treatments", {"endocrine": False, "endocrine_years": 10})
    assert problems(data)[0][0] == "treatments.endocrine_years"


def test_every_invalid_field_is_reported() -> None:
    data = changed("age", 5)
    data["tumour"]["grade"] = 7
    fields = {f for f, _ in problems(data)}
    assert {"age", "tumour.grade"} <= fields


def test_malformed_json_is_reported_as_an_input_problem() -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case_json('{"age": 50,')
    assert info.value.first.field == "(json)"
    with pytest.raises(CaseValidationError):
        parse_case_json("[1, 2]")


def test_unknown_is_none_never_zero() -> None:
    case = parse_case({"tumour": {"size_mm": 12}})
    assert case.tumour is not None and case.tumour.grade is None and case.tumour.er_percent is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(sorted(Case.model_fields) + ["bogus"]), json_values, max_size=8))
def test_fuzzed_input_either_validates_or_names_a_field(data: dict[str, Any]) -> None:
    try:
        parse_case_json(json.dumps(data))
    except CaseValidationError as exc:
        assert exc.problems
        assert all(p.field and p.message for p in exc.problems)


def test_one_node_examined_is_said_in_the_singular() -> None:
    """A deposit numbered 2 when one node was examined: the message reads as a clinician would write it."""
    case = changed("nodes.examined", 1)
    case["nodes"]["deposits"] = [{"node": 2, "size_mm": 1.0, "method": "he"}]
    found = problems(case)
    assert found[0][0] == "nodes.deposits[0].node"
    assert "only 1 node was examined" in found[0][1]
