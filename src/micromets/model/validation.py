"""Turning raw input into a ``Case``, with errors that name the field and say what is wrong."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
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


_PATH_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")

Loc = tuple[int | str, ...]


def _parts(inner: str) -> Loc:
    """A dotted path written by a validator (``deposits[0].node``) as a location tuple."""
    return tuple(int(m.group(2)) if m.group(2) is not None else m.group(1) for m in _PATH_PART.finditer(inner))


def _split(error: dict[str, Any]) -> list[dict[str, Any]]:
    """One pydantic error per problem: a ``Conflict`` carries every contradiction its object's check found."""
    raised = (error.get("ctx") or {}).get("error") if error["type"] == "value_error" else None
    if not getattr(raised, "more", None):
        return [error]
    more: list[Any] = getattr(raised, "more", [])
    return [error] + [{**error, "msg": str(c), "ctx": {"error": c}} for c in more]


def _located(error: dict[str, Any]) -> tuple[Loc, str, list[Loc]]:
    """The error's full location (a validator's message names the field inside its object), message, and the
    locations of the other fields a ``Conflict`` names."""
    loc: Loc = tuple(error["loc"])
    message = str(error["msg"])
    related: list[Loc] = []
    if error["type"] == "value_error":
        message = message.removeprefix("Value error, ")
        nested = _NESTED_FIELD.match(message)
        if nested:
            message = nested.group("message")
            raised = (error.get("ctx") or {}).get("error")
            related = [loc + _parts(other) for other in getattr(raised, "others", ())]
            loc = loc + _parts(nested.group("field"))
    return loc, message, related


def _plain(error: dict[str, Any], remap: Callable[[Loc], Loc] = lambda loc: loc) -> FieldProblem:
    """One pydantic error as a field path and a sentence a clinician can act on."""
    loc, message, related = _located(error)
    field = _path(remap(loc))
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
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
    return FieldProblem(field=field or "(case)", message=message, related=tuple(_path(remap(r)) for r in related))


def problems_from(error: ValidationError) -> list[FieldProblem]:
    return [_plain(e) for raw in error.errors(include_url=False) for e in _split(raw)]  # type: ignore[arg-type]


#: Rounds of setting aside invalid fields to find the contradictions they hid (each round removes at least one input).
_MAX_ROUNDS = 10
_DEPOSITS: Loc = ("nodes", "deposits")


def _target(data: Any, loc: Loc) -> Loc | None:
    """What to set aside for an error at ``loc``: the field itself, or (when it is absent, e.g. a required field or a
    measure a deposit lacks) the innermost object that holds it; ``None`` for the case as a whole."""
    node, found = data, 0
    for part in loc:
        present = (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if not present:
            break
        node = node[part]
        found += 1
    return loc[:found] or None


def _involved(error: dict[str, Any]) -> list[Loc]:
    loc, _, related = _located(error)
    return [loc, *related]


def _remove(data: Any, loc: Loc) -> None:
    node = data
    for part in loc[:-1]:
        node = node[part]
    del node[loc[-1]]


def _hidden_problems(data: dict[str, Any], errors: list[dict[str, Any]], known: list[FieldProblem]) -> list[FieldProblem]:
    """The contradictions the first round of validation could not check.

    pydantic runs an object's cross-field checks only when its own fields are valid, and the case's checks only when
    every nested object is: a form with an invalid deposit and a contradiction elsewhere would show one at a time.
    Here each invalid field is set aside (as if not entered, which is how an absent input is read) and the case
    validated again, until no new contradiction appears; a check that involves a set-aside field does not run, so
    nothing is reported that the entered values do not show. Deposits set aside keep the others' numbers.
    """
    work = copy.deepcopy(data)
    deposits = (work.get("nodes") or {}).get("deposits") if isinstance(work.get("nodes"), dict) else None
    numbering = list(range(len(deposits))) if isinstance(deposits, list) else []

    def remap(loc: Loc) -> Loc:
        if loc[:2] == _DEPOSITS and len(loc) > 2 and isinstance(loc[2], int) and loc[2] < len(numbering):
            return (*_DEPOSITS, numbering[loc[2]], *loc[3:])
        return loc

    seen = {p.field for p in known}
    found: list[FieldProblem] = []
    aside: set[Loc] = set()
    for _ in range(_MAX_ROUNDS):
        # a contradiction sets aside every field it names: either may be the wrong one
        targets = {t for e in errors for loc in _involved(e) if (t := _target(work, loc)) is not None}
        aside.update(remap(t) for t in targets)
        # items of a list last and from the end, so that removing one does not move the others
        for target in sorted(targets, key=lambda t: (isinstance(t[-1], int), str(t[:-1]),
                                                     t[-1] if isinstance(t[-1], int) else 0), reverse=True):
            if any(target[:n] in targets for n in range(1, len(target))):
                continue  # an enclosing object is set aside already
            if target[:2] == _DEPOSITS and len(target) == 3 and isinstance(target[2], int):
                del numbering[target[2]]
            _remove(work, target)
        if not targets:
            break
        try:
            Case.__pydantic_validator__.validate_python(work)
            break
        except ValidationError as exc:
            errors = [e for raw in exc.errors(include_url=False) for e in _split(raw)]  # type: ignore[arg-type]
        for error in errors:
            if error["type"] != "value_error":
                continue  # a field's own error was reported in the first round (or comes from setting one aside)
            loc, _, related = _located(error)
            if any(remap(x)[:n] in aside for x in (loc, *related) for n in range(1, len(x) + 1)):
                continue  # it involves a field set aside: the values entered do not show it
            problem = _plain(error, remap)
            if problem.field not in seen:
                seen.add(problem.field)
                found.append(problem)
    return found


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
        errors = [e for raw in exc.errors(include_url=False) for e in _split(raw)]  # type: ignore[arg-type]
    problems = [_plain(e) for e in errors]
    raise CaseValidationError(problems + _hidden_problems(data, errors, problems)) from None


def parse_case_json(text: str | bytes, *, where: str = "(json)") -> Case:
    """Decode JSON strictly (``loads_strict``) and validate it; bad JSON is reported like any invalid input.

    ``where`` names the input in problems that concern it as a whole (``(line)`` for a JSON Lines line)::

        >>> parse_case_json('{"tumour": {"size_mm": false}}')
        Traceback (most recent call last):
        ...
        micromets.errors.CaseValidationError: tumour.size_mm: must be a number (text, true/false, lists and objects are not numbers); got False
    """
    return parse_case(loads_strict(text, where=where))
