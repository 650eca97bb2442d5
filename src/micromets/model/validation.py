"""Turning raw input into a ``Case``, with errors that name the field and say what is wrong."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from micromets.errors import CaseValidationError, FieldProblem
from micromets.model.case import Case
from micromets.model.strict_json import loads_strict, printable

_NESTED_FIELD = re.compile(r"^(?P<field>[A-Za-z_][\w.\[\]]*): (?P<message>.+)$", re.DOTALL)


_NOT_A_NUMBER = "(text, true/false, lists and objects are not numbers)"
# Strict JSON types (``StrictInput``): what each type error means, in words a clinician can act on.
_TYPE_MESSAGES = {
    "float_type": f"must be a number {_NOT_A_NUMBER}",
    "int_type": f"must be a whole number {_NOT_A_NUMBER}",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false (a JSON boolean; text such as \"yes\" and numbers such as 1 are not accepted)",
    "string_type": "must be text (a JSON string)",
    "string_unicode": "must be valid Unicode text (it contains a lone surrogate)",
    "date_type": "must be a valid date written as text YYYY-MM-DD, e.g. \"2026-03-14\"",
    "finite_number": "must be a finite number",
    "model_type": "must be an object ({...})",
    "model_attributes_type": "must be an object ({...})",
    "dict_type": "must be an object ({...})",
    "list_type": "must be a list ([...])",
}


def _shown(value: Any) -> str:
    """The offending input for a message: its repr, shortened (inputs can be huge)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + printable(part)  # user-chosen keys: no control characters
    return out


def _plain(error: dict[str, Any]) -> FieldProblem:
    """One pydantic error as a field path and a sentence a clinician can act on."""
    field = _path(tuple(error["loc"]))
    kind = error["type"]
    message = str(error["msg"])
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        nested = _NESTED_FIELD.match(message)
        if nested:
            inner = nested.group("field")
            field = f"{field}.{inner}" if field else inner
            message = nested.group("message")
    elif kind == "extra_forbidden":
        message = "is not a field of the case format (check the spelling; unknown fields are rejected)"
    elif kind == "missing":
        message = "is required"
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected', '')}; got {_shown(error.get('input'))}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "above", "less_than": "below"}[kind]
        limit = next(iter(ctx.values()), "")
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)  # "at least 18", not "at least 18.0"
        message = f"must be {bound} {limit}; got {_shown(error.get('input'))}"
        if field.endswith("_mm") and kind == "less_than_equal":
            message += " (sizes are in millimetres: was a value in another unit entered?)"
    elif kind in _TYPE_MESSAGES:
        message = f"{_TYPE_MESSAGES[kind]}; got {_shown(error.get('input'))}"
    elif kind in ("too_long", "string_too_long"):
        limit = ctx.get("max_length", "")
        unit = "characters" if kind == "string_too_long" else "items"
        message = f"is too long: at most {limit} {unit} are allowed"
    elif kind in ("int_parsing", "float_parsing", "bool_parsing", "date_from_datetime_parsing", "date_parsing"):
        message = f"{message[0].lower()}{message[1:]}; got {_shown(error.get('input'))}"
    return FieldProblem(field=field or "(case)", message=message)


def problems_from(error: ValidationError) -> list[FieldProblem]:
    return [_plain(e) for e in error.errors(include_url=False)]  # type: ignore[arg-type]


def parse_case(data: Any) -> Case:
    """Validate a mapping (already decoded JSON) into a ``Case``.

    Raises ``CaseValidationError`` listing every invalid field::

        >>> parse_case({"tumour": {"grade": 4}})
        Traceback (most recent call last):
        ...
        micromets.errors.CaseValidationError: tumour.grade: must be at most 3; got 4
    """
    if not isinstance(data, dict):
        raise CaseValidationError([FieldProblem("(case)", "a case must be a JSON object")])
    try:
        # Case's validator itself: Case.model_validate only forwards to it (one Python call less per case).
        case: Case = Case.__pydantic_validator__.validate_python(data)
        return case
    except ValidationError as exc:
        raise CaseValidationError(problems_from(exc)) from None


def parse_case_json(text: str | bytes, *, where: str = "(json)") -> Case:
    """Decode JSON strictly (``loads_strict``) and validate it; bad JSON is reported like any invalid input.

    ``where`` names the input in problems that concern it as a whole (``(line)`` for a JSON Lines line)::

        >>> parse_case_json('{"tumour": {"size_mm": false}}')
        Traceback (most recent call last):
        ...
        micromets.errors.CaseValidationError: tumour.size_mm: must be a number (text, true/false, lists and objects are not numbers); got False
    """
    return parse_case(loads_strict(text, where=where))
