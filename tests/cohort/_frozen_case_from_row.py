"""The oracle of the row path's tests: ``case_dict`` / ``case_from_row`` frozen as they were at commit 109a04c
(main), when they placed a row's cells into the case dict with their own loop (``_place`` per cell) instead
of the record-batch code (``_Batch``) they now go through. The code is not edited (docstrings left out). Only the placement is frozen; the
helpers it called and that are unchanged (the cell conversion ``_cell``, the node counts ``_finish``, the
column names of problems ``_column_problems``) are imported.

``row_by_row`` is the reference the batch path is compared with (tests/cohort): each row alone through this
frozen per-row code, its case or its problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from micromets.cohort.columns import _REGISTRY_SET, _cell, _column_problems, _finish, _parts
from micromets.errors import CaseValidationError, FieldProblem
from micromets.model import Case, parse_case


def _place(data: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    if len(parts) == 1:
        data[parts[0]] = value
        return
    target = data
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def case_dict(row: Mapping[str, Any]) -> tuple[dict[str, Any], dict[int, str]]:
    problems: list[FieldProblem] = []
    data: dict[str, Any] = {}
    for name, value in row.items():
        if name in _REGISTRY_SET:
            continue
        value = _cell(name, value, problems)
        if value is not None:
            _place(data, _parts(name), value)
    return _finish(data, row, problems)


def _validated(data: dict[str, Any], origin: Mapping[int, str]) -> Case:
    try:
        return parse_case(data)
    except CaseValidationError as exc:
        raise CaseValidationError(_column_problems(exc, origin)) from None


def case_from_row(row: Mapping[str, Any]) -> Case:
    data, origin = case_dict(row)
    return _validated(data, origin)


def row_by_row(rows: list[dict[str, Any]]) -> list[Any]:
    """Each row alone through the frozen per-row path: its case, or its problems."""
    out: list[Any] = []
    for row in rows:
        try:
            out.append(case_from_row(row))
        except CaseValidationError as exc:
            out.append(exc.problems)
    return out
