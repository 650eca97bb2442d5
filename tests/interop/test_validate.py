"""The structural FHIR check used by the import (``interop.fhir._validate``), against the FHIR R4 rules it
enforces (https://hl7.org/fhir/R4B/json.html, datatypes.html) and against the ``fhir.resources`` models
it replaces on the resources the tests and the exporter use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from micromets.assess import assess
from micromets.interop.fhir import to_bundle
from micromets.interop.fhir._validate import InvalidResource, checked, is_resource_type
from micromets.model import parse_case

OBSERVATION = {"resourceType": "Observation", "status": "final", "code": {"text": "ER"}}


def _resources(value: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if isinstance(value.get("resourceType"), str) and value["resourceType"] != "Bundle":
            found.append(value)
        for item in value.values():
            _resources(item, found)
    elif isinstance(value, list):
        for item in value:
            _resources(item, found)
    return found


def _corpus() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(Path(__file__).parent.rglob("*.json")):
        _resources(json.loads(path.read_text()), found)
    examples = Path(__file__).parents[2] / "src" / "micromets" / "examples" / "cases.jsonl"
    for line in examples.read_text().splitlines():
        case = parse_case(json.loads(line))
        _resources(to_bundle(assess(case), case), found)
    return found


def test_valid_resources_read_as_the_fhir_resources_models_read_them() -> None:
    """Every resource of the test bundles and of the exporter: the same elements and values as the model's dump."""
    corpus = _corpus()
    assert len(corpus) > 200
    for resource in corpus:
        model = get_fhir_model_class(resource["resourceType"])
        expected = model.model_validate(resource).model_dump(mode="json", exclude_none=True, by_alias=True)
        got = checked(resource["resourceType"], resource)
        assert json.loads(json.dumps(got)) == _without_empty(expected), resource.get("id")


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [_without_empty(v) for v in value if v not in (None, "")]
    return value


@pytest.mark.parametrize(("resource", "path", "words"), [
    # An element the type does not define (FHIR JSON: unknown elements are an error).
    ({**OBSERVATION, "valueX": 1}, "valueX", "is not an element of a FHIR Observation"),
    # Observation.status and .code are 1..1.
    ({"resourceType": "Observation", "code": {"text": "ER"}}, "status", "is required"),
    ({"resourceType": "Observation", "status": "final"}, "code", "is required"),
    # value[x]: at most one of the choice.
    ({**OBSERVATION, "valueString": "a", "valueInteger": 1}, "value[x]", "not several"),
    # A boolean is JSON true/false, an integer a JSON number that is not a boolean, a decimal a finite number.
    ({**OBSERVATION, "valueBoolean": "true"}, "valueBoolean", "true or false"),
    ({**OBSERVATION, "valueInteger": True}, "valueInteger", "whole number"),
    ({**OBSERVATION, "valueInteger": 2.5}, "valueInteger", "whole number"),
    ({**OBSERVATION, "valueQuantity": {"value": "12.5"}}, "valueQuantity.value", "number"),
    # A dateTime follows the FHIR pattern and is a real calendar date.
    ({**OBSERVATION, "effectiveDateTime": "05/03/2024"}, "effectiveDateTime", "dateTime"),
    ({"resourceType": "Patient", "birthDate": "1960-02-30"}, "birthDate", "not a calendar date"),
    # An id is letters, digits, '-' and '.', at most 64.
    ({**OBSERVATION, "id": "a b"}, "id", "id"),
    ({**OBSERVATION, "id": "a" * 65}, "id", "id"),
    # Arrays are arrays; objects are objects.
    ({**OBSERVATION, "category": {"text": "laboratory"}}, "category", "JSON array"),
    ({**OBSERVATION, "code": "ER"}, "code", "JSON object"),
    # Inside a list item, the path names the item.
    ({**OBSERVATION, "component": [{"code": {"text": "a"}}, {"code": {"text": "b"}, "valueBoolean": 1}]},
     "component[1].valueBoolean", "true or false"),
    # A contained resource is checked as its own type.
    ({**OBSERVATION, "contained": [{"resourceType": "Specimen", "id": "s", "status": " two  spaces"}]},
     "contained[0].status", "code"),
    ({**OBSERVATION, "contained": [{"resourceType": "NoSuchThing"}]}, "contained[0]", "resource"),
])
def test_what_fhir_json_forbids_is_refused_naming_the_element(resource: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(InvalidResource) as raised:
        checked(resource["resourceType"], resource)
    assert str(raised.value).startswith(f"{path}:") or str(raised.value).startswith(f"{path}."), str(raised.value)
    assert words in str(raised.value)


def test_null_and_empty_text_read_as_absent() -> None:
    """FHIR JSON has no null (outside primitive arrays) and no empty strings: such elements are not there."""
    got = checked("Observation", {**OBSERVATION, "note": None, "category": [None], "valueString": "",
                                  "component": [{"code": {"text": "c", "coding": [None]}, "valueInteger": 2}]})
    assert got == {**OBSERVATION, "component": [{"code": {"text": "c"}, "valueInteger": 2}]}


def test_the_input_is_not_changed() -> None:
    resource = {**OBSERVATION, "note": None}
    checked("Observation", resource)
    assert resource == {**OBSERVATION, "note": None}


def test_resource_types() -> None:
    assert is_resource_type("Observation") and is_resource_type("Bundle")
    assert not is_resource_type("Quantity") and not is_resource_type("observation") and not is_resource_type("")
    with pytest.raises(InvalidResource, match="resourceType"):
        checked("Quantity", {"resourceType": "Quantity"})


def test_deep_nesting_is_refused_not_a_crash() -> None:
    extension: dict[str, Any] = {"url": "http://example.org/x", "valueString": "leaf"}
    for _ in range(200):
        extension = {"url": "http://example.org/x", "extension": [extension]}
    with pytest.raises(InvalidResource, match="nested"):
        checked("Observation", {**OBSERVATION, "extension": [extension]})


def test_codes_remembered_as_valid_stay_bounded_and_never_change_a_verdict() -> None:
    """Codes that passed the FHIR code pattern are remembered to skip the regular expression next time; what a
    client sends must not grow that memory without bound, and a refused code is refused every time."""
    from micromets.interop.fhir import _validate

    for i in range(5_000):
        checked("Observation", {**OBSERVATION, "status": f"s{i}"})
    checked("Observation", {**OBSERVATION, "status": "x" * 10_000})
    assert len(_validate._KNOWN_CODES) <= _validate._KNOWN_CODES_MAX
    assert max(len(code) for code in _validate._KNOWN_CODES) <= _validate._KNOWN_CODE_LONGEST
    for _ in range(2):
        with pytest.raises(InvalidResource, match="status: must be a FHIR code"):
            checked("Observation", {**OBSERVATION, "status": "two  spaces"})
