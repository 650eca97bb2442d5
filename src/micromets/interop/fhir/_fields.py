"""Case fields as FHIR values and back: the generic encoding of the local ``case-field`` observations.

A case field without a standard code travels as an Observation (or a component) whose code is the
dotted field path in the local ``case-field`` code system and whose value carries the field value::

    >>> encode_value("tumour.grade", 2)
    {'valueInteger': 2}
    >>> decode_value("tumour.grade", {"valueInteger": 2})
    2
    >>> encode_value("surgery.margins_mm", 2.0)["valueQuantity"]["code"]
    'mm'
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from micromets.errors import FieldProblem
from micromets.interop.fhir.codes import local, system
from micromets.model.case import list_paths

__all__ = ["FieldError", "decode_value", "encode_value", "field_label", "list_paths", "quantity"]

_UNITS: tuple[tuple[str, str], ...] = (
    ("_mm", "mm"), ("_percent", "%"), ("_gy", "Gy"), ("copies_per_ul", "{copies}/uL"), ("_years", "a"),
    ("_ml_min", "mL/min/{1.73_m2}"), ("_ms", "ms"), ("_mg_m2", "mg/m2"), ("_weeks", "wk"),
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LENGTH_TO_MM = {"mm": 1.0, "cm": 10.0}


class FieldError(ValueError):
    """A value in the Bundle that cannot become the named case field."""

    def __init__(self, field: str, message: str) -> None:
        self.problem = FieldProblem(field, message)
        super().__init__(f"{field}: {message}")


def field_label(path: str) -> str:
    """A readable label for a case field path: ``"tumour.ki67_percent"`` -> ``"tumour: ki67 percent"``."""
    head, _, tail = path.rpartition(".")
    words = tail.replace("_", " ")
    return f"{head.replace('.', ' ').replace('_', ' ')}: {words}" if head else words


def _unit(path: str) -> str | None:
    for suffix, unit in _UNITS:
        if path.endswith(suffix):
            return unit
    return None


def quantity(value: float, unit: str | None) -> dict[str, Any]:
    """A FHIR Quantity (UCUM when a unit is given)."""
    out: dict[str, Any] = {"value": value}
    if unit is not None:
        out.update(unit=unit, system=system("ucum"), code=unit)
    return out


def encode_value(path: str, value: Any) -> dict[str, Any]:
    """The ``value[x]`` of an Observation (or component) for one scalar case field value."""
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueQuantity": quantity(value, _unit(path))}
    if isinstance(value, str) and path.endswith("date") and _DATE.match(value):
        return {"valueDateTime": value}
    if isinstance(value, str) and path == "comorbidities":
        return {"valueString": value}
    if isinstance(value, str):
        return {"valueCodeableConcept": {"coding": [{"system": local("case_value"), "code": value}], "text": value}}
    raise TypeError(f"{path}: cannot encode {type(value).__name__}")


def decode_value(path: str, element: dict[str, Any]) -> Any:
    """The case field value carried by an Observation or component (``FieldError`` when it cannot be used)."""
    if "valueBoolean" in element:
        return element["valueBoolean"]
    if "valueInteger" in element:
        return element["valueInteger"]
    if "valueQuantity" in element:
        return _decode_quantity(path, element["valueQuantity"])
    if "valueDateTime" in element:
        return str(element["valueDateTime"])[:10]
    if "valueString" in element:
        return element["valueString"]
    concept = element.get("valueCodeableConcept")
    if isinstance(concept, dict):  # anything else (resources read without the structural check) is not a value
        codings = concept.get("coding")
        for one in codings if isinstance(codings, list) else []:
            if isinstance(one, dict) and one.get("system") == local("case_value") and one.get("code"):
                return one["code"]
        if concept.get("text"):
            return concept["text"]
    kinds = sorted(k for k in element if k.startswith("value")) or ["no value"]
    raise FieldError(path, f"the Bundle gives {', '.join(kinds)}, which cannot be read as this field")


def _decode_quantity(path: str, q: Any) -> Any:
    if not isinstance(q, dict) or not isinstance(q.get("value"), int | float) or isinstance(q.get("value"), bool):
        raise FieldError(path, "the Bundle gives a Quantity without a numeric value")
    value = q["value"]
    expected = _unit(path)
    unit = q.get("code") or q.get("unit")
    if q.get("comparator") is not None:
        # FHIR R4 Quantity.comparator: "how to understand the value" (< <= >= > ad): a bound, not the measurement.
        # "> 2 mm" read as 2 mm would make a macrometastasis (> 2 mm, AJCC 8) a micrometastasis.
        shown = f"{q['comparator']}{value} {unit or ''}".strip()
        raise FieldError(path, f"the Bundle gives a bound ({shown!r}), not a measured value; send the value measured")
    if expected == "mm" and unit in _LENGTH_TO_MM:
        return round(value * _LENGTH_TO_MM[unit], 6)
    if expected is not None and unit not in (None, expected):
        raise FieldError(path, f"the Bundle gives the unit {unit!r}; micromets needs {expected!r}")
    return value


def _unwrap(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        return parts[0] if len(parts) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation



