"""Structural check of one FHIR R4B resource, from the element definitions of ``fhir.resources``.

Building the ``fhir.resources`` model of every resource cost about 0.5 ms each: 20-30 ms for the ~40
resources of a CDS Hooks prefetch, most of the call. This check reads the same definitions (element names,
cardinality, required elements, choice groups ``value[x]``, and the primitive types with their regular
expressions from ``fhir_core.types``) once per type, then walks the JSON directly: each element the resource
gives must exist in its type, lists must be lists, primitives must have the JSON type of their FHIR type
(a boolean is ``true``/``false``, never a string; an integer is never a boolean), dates must be real
calendar dates, at most one element of a choice group. What it returns is a copy without ``null`` or empty-text
elements (FHIR JSON has neither), so the readers see every element either absent or of its declared type.

    >>> checked("Observation", {"resourceType": "Observation", "status": "final", "code": {"text": "ER"},
    ...                         "valueQuantity": {"value": 95, "unit": "%"}, "note": None})
    {'resourceType': 'Observation', 'status': 'final', 'code': {'text': 'ER'}, 'valueQuantity': {'value': 95, 'unit': '%'}}
    >>> checked("Observation", {"resourceType": "Observation", "status": "final", "code": {}, "valueBoolean": "yes"})
    Traceback (most recent call last):
    ...
    micromets.interop.fhir._validate.InvalidResource: valueBoolean: must be true or false (a FHIR boolean)
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir_core import types as fhir_types

from micromets.model.strict_json import printable

__all__ = ["InvalidResource", "checked", "is_resource_type"]

#: At most this deep (elements within elements); FHIR extensions nest, but not without bound.
_MAX_DEPTH = 48


class InvalidResource(ValueError):
    """The resource does not fit its FHIR type; the message starts with the element's path."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str] = []  # element names, innermost first (added while the error travels up)

    def __str__(self) -> str:
        return f"{'.'.join(reversed(self.path))}: {self.message}" if self.path else self.message


Check = Callable[[Any], Any]


#: The element type of ``contained`` (and ``Bundle.entry.resource``): any resource, checked as its own type.
_ANY_RESOURCE = "Resource"


@dataclass(frozen=True, slots=True)
class _Element:
    many: bool
    check: Check | None  # a primitive's check (returns the value to keep), or None for a complex type
    model: type[Any] | str  # the complex type's model class, or _ANY_RESOURCE (unused for a primitive)


@dataclass(frozen=True, slots=True)
class _Type:
    elements: dict[str, _Element]
    required: tuple[str, ...]
    choices: tuple[tuple[str, frozenset[str], bool], ...]  # (group, members, one required)


def is_resource_type(name: str) -> bool:
    """Whether ``name`` is a FHIR R4B resource type (e.g. ``Observation``; not a datatype such as ``Quantity``)."""
    return _resource_model(name) is not None


@functools.cache
def _resource_model(name: str) -> type[Any] | None:
    try:
        model = get_fhir_model_class(name)
    except (ValueError, LookupError, TypeError):
        return None
    return model if model.has_resource_base() and model.get_resource_type() == name else None


def checked(resource_type: str, resource: dict[str, Any]) -> dict[str, Any]:
    """``resource`` checked as a ``resource_type``; raises ``InvalidResource`` naming the element."""
    model = _resource_model(resource_type) if isinstance(resource_type, str) else None
    if model is None:
        raise InvalidResource(f"resourceType: {printable(str(resource_type), 40)!r} is not a FHIR R4 resource type")
    try:
        return _complex(model, resource, 0, top=True)
    except RecursionError:
        raise InvalidResource("(resource): nested too deeply") from None


def _complex(model: type[Any] | str, value: Any, depth: int, *, top: bool = False) -> dict[str, Any]:
    # The path of an error is added while it travels up (try costs nothing when nothing is raised).
    if depth > _MAX_DEPTH:
        raise InvalidResource(f"nested more than {_MAX_DEPTH} elements deep")
    if model is _ANY_RESOURCE:  # a contained resource: checked as its own type
        kind = value.get("resourceType") if isinstance(value, dict) else None
        found = _resource_model(kind) if isinstance(kind, str) else None
        if found is None:
            raise InvalidResource("must be a resource (resourceType naming a FHIR R4 resource type)")
        model, top = found, True
    assert not isinstance(model, str)
    if not isinstance(value, dict):
        raise InvalidResource(f"must be a JSON object (a FHIR {_name(model)})")
    spec = _TYPES.get(model) or _type_of(model)
    elements = spec.elements
    out: dict[str, Any] = {}
    for name, item in value.items():
        # FHIR JSON has neither null nor "": read as absent (a required element is then missing).
        if not item and (item is None or item == ""):
            continue
        element = elements.get(name)
        if element is None:
            if top and name == "resourceType":
                out[name] = item
                continue
            raise InvalidResource(f"{printable(str(name))}: is not an element of a FHIR {_name(model)}")
        check, index = element.check, -1
        try:
            if element.many:
                if not isinstance(item, list):
                    raise InvalidResource("must be a JSON array")
                kept = []
                for index, x in enumerate(item):  # noqa: B007 - index names the item of an error
                    if not x and (x is None or x == ""):
                        continue
                    kept.append(check(x) if check is not None else _complex(element.model, x, depth + 1))
                if kept:
                    out[name] = kept
            elif check is _string:  # most elements are text: checked here, without a call
                if not isinstance(item, str):
                    raise InvalidResource("must be text")
                out[name] = item
            else:
                out[name] = check(item) if check is not None else _complex(element.model, item, depth + 1)
        except InvalidResource as exc:
            exc.path.append(f"{name}[{index}]" if index >= 0 else name)
            raise
    for name in spec.required:
        if name not in out:
            raise InvalidResource(f"{name}: is required in a FHIR {_name(model)}")
    for group, members, required in spec.choices:  # usually none (only types with a [x] element have one)
        given = sorted(members.intersection(out))
        if len(given) > 1:
            raise InvalidResource(f"{group}[x]: give one of {', '.join(given)}, not several")
        if required and not given:
            raise InvalidResource(f"{group}[x]: is required in a FHIR {_name(model)}")
    return out


def _name(model: type[Any]) -> str:
    return str(model.__name__)


_TYPES: dict[type[Any], _Type] = {}


def _type_of(model: type[Any]) -> _Type:
    """The elements of a FHIR type, read once from its ``fhir.resources`` model."""
    found = _TYPES.get(model)
    if found is None:
        found = _TYPES[model] = _read_type(model)
    return found


def _read_type(model: type[Any]) -> _Type:
    elements: dict[str, _Element] = {}
    required: list[str] = []
    groups: dict[str, list[str]] = {}
    group_required: dict[str, bool] = {}
    for field_name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        alias = info.alias or field_name
        if field_name == "fhir_comments":
            elements[alias] = _Element(many=False, check=_comments, model="")
            continue
        if not extra.get("element_property") and not alias.startswith("_"):
            continue
        elements[alias] = _element(info.annotation)
        if info.is_required() or extra.get("element_required"):
            required.append(alias)
        group = extra.get("one_of_many")
        if isinstance(group, str):
            groups.setdefault(group, []).append(alias)
            group_required[group] = bool(extra.get("one_of_many_required"))
    return _Type(elements, tuple(required),
                 tuple((g, frozenset(m), group_required[g]) for g, m in sorted(groups.items())))


def _element(annotation: Any) -> _Element:
    many = False
    kind = _without_none(annotation)
    if typing.get_origin(kind) in (list, typing.List):  # noqa: UP006 - the models use typing.List
        many = True
        kind = _without_none(typing.get_args(kind)[0])
    if typing.get_origin(kind) is typing.Annotated:
        base, *metadata = typing.get_args(kind)
        return _Element(many, _primitive(base, metadata[0] if metadata else None), "")
    if kind in (bool, int, float, str):
        return _Element(many, _primitive(kind, None), "")
    klass = getattr(kind, "get_model_klass", None)
    if klass is None:
        raise TypeError(f"cannot read the FHIR element type {annotation!r}")
    target = klass()
    return _Element(many, None, _ANY_RESOURCE if target.__name__ in ("Resource", "DomainResource") else target)


def _without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        # The primitive lists of fhir.resources are "T | list[T]" only for fhir_comments.
        return args[0]
    return annotation


def _comments(value: Any) -> Any:
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return value
    raise InvalidResource("must be text")


def _primitive(base: Any, constraint: Any) -> Check:
    """The check of a primitive FHIR type (by the ``fhir_core.types`` constraint the model declares)."""
    kind = type(constraint).__name__ if constraint is not None else None
    if base is bool or kind == "Boolean":
        return _boolean
    if kind in ("Integer", "Integer64", "UnsignedInt", "PositiveInt") or (base is int and kind is None):
        low = {"UnsignedInt": 0, "PositiveInt": 1}.get(kind or "")
        return functools.partial(_integer, low=low)
    if kind == "Decimal" or base is float:
        return _decimal
    if kind in ("Date", "DateTime", "Instant"):
        pattern = getattr(fhir_types, kind).pattern
        return functools.partial(_moment, pattern=pattern, name=kind)
    if kind == "Time":
        return functools.partial(_text, pattern=fhir_types.Time.pattern, name="time")
    if kind == "Code":
        return functools.partial(_text, pattern=re.compile(r"[^\s]+(\s[^\s]+)*"), name="code")
    if kind == "Id":
        return functools.partial(_text, pattern=re.compile(fhir_types.Id.pattern.removeprefix("^").removesuffix("$")),
                                 name="id (letters, digits, '-' and '.', at most 64)", longest=64)
    return _string


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidResource("must be true or false (a FHIR boolean)")


def _integer(value: Any, low: int | None) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidResource("must be a whole number (a FHIR integer)")
    if not -2_147_483_648 <= value <= 2_147_483_647 or (low is not None and value < low):
        raise InvalidResource(f"{value} is out of range for a FHIR integer" + (f" (>= {low})" if low else ""))
    return value


def _decimal(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidResource("must be a number (a FHIR decimal)")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidResource("must be a finite number")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidResource("must be non-empty text")
    return value


def _text(value: Any, pattern: re.Pattern[str], name: str, longest: int | None = None) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value) or (longest is not None and len(value) > longest):
        raise InvalidResource(f"must be a FHIR {name}")
    return value


def _moment(value: Any, pattern: re.Pattern[str], name: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        example = "2024-03-05" if name == "Date" else "2024-03-05 or 2024-03-05T10:30:00Z (a time needs its zone)"
        raise InvalidResource(f"must be a FHIR {name[0].lower() + name[1:]} (e.g. {example})")
    if len(value) >= 10:  # a full date must exist in the calendar (no 30 February)
        try:
            dt.date.fromisoformat(value[:10])
        except ValueError:
            raise InvalidResource(f"{value[:10]} is not a calendar date") from None
    return value
