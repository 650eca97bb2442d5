"""Structural check of one FHIR R4B resource, from the element definitions of ``fhir.resources``.

Building the ``fhir.resources`` model of every resource cost about 0.5 ms each: 20-30 ms for the ~40
resources of a CDS Hooks prefetch, most of the call. This check reads the same definitions (element names,
cardinality, required elements, choice groups ``value[x]``, and the primitive types with their regular
expressions from ``fhir_core.types``) once per type into a check of that type (its table of element checks,
built at first use with the checks of the types it reaches), then walks the JSON directly: each element the resource
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
import threading
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
#: The check of a complex type: (value, depth) -> the kept copy.
Complex = Callable[[Any, int], dict[str, Any]]


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
    check = _resource_check(resource_type) if isinstance(resource_type, str) else None
    if check is None:
        raise InvalidResource(f"resourceType: {printable(str(resource_type), 40)!r} is not a FHIR R4 resource type")
    try:
        return check(resource, 0)
    except RecursionError:
        raise InvalidResource("(resource): nested too deeply") from None


# How the value of an element is checked, in the table of its type (text elements, the most common, are apart).
_COMPLEX = 1  # one object of a complex type (or any resource)
_CODE = 2  # one FHIR code: a code seen before is known good without its regular expression
_PRIMITIVE = 3  # one value of another primitive type
_COMPLEX_LIST = 4
_PRIMITIVE_LIST = 5
_KEEP = 6  # a resource's own resourceType (its type is the one being checked)

#: The checks of complex types by (model, whether it is a resource at the top); only complete checks are here.
_CHECKS: dict[tuple[type[Any], bool], Complex] = {}
_CHECKS_BY_NAME: dict[str, Complex] = {}
_BUILDING = threading.RLock()


def _resource_check(name: str) -> Complex | None:
    found = _CHECKS_BY_NAME.get(name)
    if found is None:
        model = _resource_model(name)
        if model is None:
            return None
        found = _CHECKS_BY_NAME[name] = _check_of(model, top=True)
    return found


def _check_of(model: type[Any], *, top: bool) -> Complex:
    """The check of a complex type, built once together with the checks of every type it reaches."""
    found = _CHECKS.get((model, top))
    if found is None:
        with _BUILDING:  # another thread must never use a check whose table is still being filled
            staged: dict[tuple[type[Any], bool], Complex] = {}
            found = _build(model, top, staged)
            _CHECKS.update(staged)
    return found


def _build(model: type[Any], top: bool, staged: dict[tuple[type[Any], bool], Complex]) -> Complex:
    found = _CHECKS.get((model, top)) or staged.get((model, top))
    if found is not None:
        return found
    spec = _read_type(model)
    texts = frozenset(name for name, e in spec.elements.items() if e.check is _string and not e.many)
    table: dict[str, tuple[int, Any]] = {"resourceType": (_KEEP, None)} if top else {}
    # Registered before its table is filled: a type may contain itself (Extension.extension).
    found = staged[(model, top)] = _complex_check(_name(model), texts, table, spec)
    for name, element in spec.elements.items():
        if name in texts:
            continue
        if element.check is not None:
            kind = _PRIMITIVE_LIST if element.many else _CODE if element.check is _code else _PRIMITIVE
            table[name] = (kind, element.check)
        else:
            target = element.model
            check: Complex
            if isinstance(target, str):
                check = _contained_resource if name == "contained" else _any_resource
            else:
                check = _build(target, False, staged)
            table[name] = (_COMPLEX_LIST if element.many else _COMPLEX, check)
    return found


def _any_resource(value: Any, depth: int) -> dict[str, Any]:
    """A contained resource: checked as its own type."""
    if depth > _MAX_DEPTH:
        raise InvalidResource(f"nested more than {_MAX_DEPTH} elements deep")
    kind = value.get("resourceType") if isinstance(value, dict) else None
    check = _resource_check(kind) if isinstance(kind, str) else None
    if check is None:
        raise InvalidResource("must be a resource (resourceType naming a FHIR R4 resource type)")
    return check(value, depth)


def _contained_resource(value: Any, depth: int) -> dict[str, Any]:
    """A contained resource, which may not contain others (FHIR R4 dom-2: "If the resource is contained in another
    resource, it SHALL NOT contain nested Resources") nor be a Bundle: micromets reads one level of contained
    resources, and a result two levels down or inside a contained Bundle would be lost without a word."""
    if isinstance(value, dict) and value.get("contained"):
        raise InvalidResource("contained: a contained resource may not contain others (FHIR R4 dom-2); put them in "
                              "the container's own contained list")
    if isinstance(value, dict) and value.get("resourceType") == "Bundle":
        # Its entries would not be read as the patient's data (they are not the container's contained resources).
        raise InvalidResource("resourceType: a contained Bundle is not read; send its resources as entries of the "
                              "Bundle or in the container's contained list")
    return _any_resource(value, depth)


def _complex_check(type_name: str, texts: frozenset[str], table: dict[str, tuple[int, Any]], spec: _Type) -> Complex:
    """The check of one complex type: each element the value gives must be one of its type and fit it."""
    element_of = table.get
    known_codes = _KNOWN_CODES
    rest = _required_and_choices(type_name, spec) if spec.required or spec.choices else None

    def check(value: Any, depth: int) -> dict[str, Any]:
        # The path of an error is added while it travels up (try costs nothing when nothing is raised).
        if depth > _MAX_DEPTH:
            raise InvalidResource(f"nested more than {_MAX_DEPTH} elements deep")
        if not isinstance(value, dict):
            raise InvalidResource(f"must be a JSON object (a FHIR {type_name})")
        out: dict[str, Any] = {}
        inner = depth + 1
        for name, item in value.items():
            # FHIR JSON has neither null nor "": read as absent (a required element is then missing).
            if not item and (item is None or item == ""):
                continue
            if name in texts:
                if not isinstance(item, str):
                    raise _at(name, "must be text")
                out[name] = item
                continue
            entry = element_of(name)
            if entry is None:
                raise InvalidResource(f"{printable(str(name))}: is not an element of a FHIR {type_name}")
            kind, one = entry
            if kind < _COMPLEX_LIST:
                try:
                    if kind == _COMPLEX:
                        out[name] = one(item, inner)
                    elif kind == _CODE and isinstance(item, str) and item in known_codes:
                        out[name] = item
                    else:
                        out[name] = one(item)
                except InvalidResource as exc:
                    exc.path.append(name)
                    raise
            elif kind == _KEEP:
                out[name] = item
            else:
                if not isinstance(item, list):
                    raise _at(name, "must be a JSON array")
                kept: list[Any] = []
                keep = kept.append
                try:
                    if kind == _COMPLEX_LIST:
                        for x in item:
                            if x or not (x is None or x == ""):
                                keep(one(x, inner))
                    else:
                        for x in item:
                            if x or not (x is None or x == ""):
                                keep(one(x))
                except InvalidResource as exc:
                    exc.path.append(f"{name}[{_failed_item(item, len(kept))}]")
                    raise
                if kept:
                    out[name] = kept
        if rest is not None:
            rest(out)
        return out

    return check


def _required_and_choices(type_name: str, spec: _Type) -> Callable[[dict[str, Any]], None]:
    required, choices = spec.required, spec.choices

    def check(out: dict[str, Any]) -> None:
        for name in required:
            if name not in out:
                raise InvalidResource(f"{name}: is required in a FHIR {type_name}")
        for group, members, one_required in choices:
            given = () if members.isdisjoint(out) else members.intersection(out)
            if len(given) > 1:
                raise InvalidResource(f"{group}[x]: give one of {', '.join(sorted(given))}, not several")
            if one_required and not given:
                raise InvalidResource(f"{group}[x]: is required in a FHIR {type_name}")

    return check


def _at(name: str, message: str) -> InvalidResource:
    error = InvalidResource(message)
    error.path.append(name)
    return error


def _failed_item(items: list[Any], kept: int) -> int:
    """The index of the item that failed: the first after ``kept`` items that are not null or empty text."""
    for index, x in enumerate(items):
        if x or not (x is None or x == ""):
            if kept == 0:
                return index
            kept -= 1
    return len(items)


def _name(model: type[Any]) -> str:
    return str(model.__name__)


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
        return _integer_check({"UnsignedInt": 0, "PositiveInt": 1}.get(kind or ""))
    if kind == "Decimal" or base is float:
        return _decimal
    if kind in ("Date", "DateTime", "Instant"):
        return _moment_check(getattr(fhir_types, kind).pattern, kind)
    if kind == "Time":
        return _text_check(fhir_types.Time.pattern, "time")
    if kind == "Code":
        return _code
    if kind == "Id":
        return _text_check(re.compile(fhir_types.Id.pattern.removeprefix("^").removesuffix("$")),
                           "id (letters, digits, '-' and '.', at most 64)", longest=64)
    return _string


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidResource("must be true or false (a FHIR boolean)")


def _integer_check(low: int | None) -> Check:
    def integer(value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidResource("must be a whole number (a FHIR integer)")
        if not -2_147_483_648 <= value <= 2_147_483_647 or (low is not None and value < low):
            raise InvalidResource(f"{value} is out of range for a FHIR integer" + (f" (>= {low})" if low else ""))
        return value

    return integer


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


def _text_check(pattern: re.Pattern[str], name: str, longest: int | None = None) -> Check:
    def text(value: Any) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value) or (longest is not None and len(value) > longest):
            raise InvalidResource(f"must be a FHIR {name}")
        return value

    return text


_CODE_PATTERN = re.compile(r"[^\s]+(\s[^\s]+)*")
#: Codes that passed: most repeat in every resource (status, system codes, units), so they are checked once. Bounded
#: in number and length, so that data sent by a client cannot grow it beyond about half a megabyte.
_KNOWN_CODES: set[str] = set()
_KNOWN_CODES_MAX = 4096
_KNOWN_CODE_LONGEST = 64


def _code(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidResource("must be a FHIR code")
    if value not in _KNOWN_CODES:
        if not _CODE_PATTERN.fullmatch(value):
            raise InvalidResource("must be a FHIR code")
        if len(value) <= _KNOWN_CODE_LONGEST and len(_KNOWN_CODES) < _KNOWN_CODES_MAX:
            _KNOWN_CODES.add(value)
    return value


def _moment_check(pattern: re.Pattern[str], name: str) -> Check:
    example = "2024-03-05" if name == "Date" else "2024-03-05 or 2024-03-05T10:30:00Z (a time needs its zone)"
    message = f"must be a FHIR {name[0].lower() + name[1:]} (e.g. {example})"

    def moment(value: Any) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise InvalidResource(message)
        if len(value) >= 10:  # a full date must exist in the calendar (no 30 February)
            try:
                dt.date.fromisoformat(value[:10])
            except ValueError:
                raise InvalidResource(f"{value[:10]} is not a calendar date") from None
        return value

    return moment
