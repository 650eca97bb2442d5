"""Registry rows <-> contract cases: the flat input columns of ``micromets cohort``.

A row has one column per case field, named by its dotted path (``tumour.size_mm``), plus the
registry-style nodal counts ``nodes.macrometastatic``, ``nodes.micrometastatic``, ``nodes.itc`` and
``nodes.extranodal_extension`` (registries count nodes by class instead of listing deposits). A row
becomes a contract case dict and is validated by :func:`micromets.model.parse_case`, so the rules are
the same as everywhere; errors name the column.

    >>> case = case_from_row({"id": "r1", "age": 61, "tumour.size_mm": 14.0, "nodes.procedure": "slnb",
    ...                       "nodes.examined": 2, "nodes.macrometastatic": 0, "nodes.micrometastatic": 1,
    ...                       "nodes.itc": 0, "tumour.grade": None})
    >>> [d.node for d in case.nodes.deposits], case.tumour.grade
    ([1], None)
    >>> case_from_row({"id": "r2", "nodes.procedure": "slnb", "nodes.micrometastatic": 1})
    Traceback (most recent call last):
    ...
    micromets.errors.CaseValidationError: nodes.macrometastatic: is unknown while other node counts are given: give all three counts (0 when there is none); nodes.itc: is unknown while other node counts are given: give all three counts (0 when there is none)
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, lru_cache
from itertools import compress, repeat
from operator import is_
from typing import Any, Literal

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from pydantic import BaseModel, ValidationError

from micromets.errors import CaseValidationError, FieldProblem, MicrometsError
from micromets.model import Case, parse_case
from micromets.model._strict import FieldKind, field_kinds, unwrap
from micromets.model.case import list_paths
from micromets.model.strict_json import loads_strict, underflows

__all__ = [
    "COUNT_COLUMNS",
    "ENE_COLUMN",
    "LIST_COLUMNS",
    "MISSING_TEXT",
    "PLACEHOLDER_SIZE_MM",
    "REGISTRY_COLUMNS",
    "CohortFormatError",
    "allowed_columns",
    "case_columns",
    "case_dict",
    "case_from_row",
    "cases_from_batch",
    "check_columns",
    "enum_values",
    "raw_id",
]

#: Node counts by class, as registries record them (column -> deposit class it stands for).
COUNT_COLUMNS: tuple[str, ...] = ("nodes.macrometastatic", "nodes.micrometastatic", "nodes.itc")
#: Extranodal extension in any positive node (set on every deposit made from the counts).
ENE_COLUMN = "nodes.extranodal_extension"
REGISTRY_COLUMNS: tuple[str, ...] = (*COUNT_COLUMNS, ENE_COLUMN)
#: A node counted in a class becomes one H&E deposit of this size: a placeholder inside the class's size
#: band (ITC <= 0.2 mm, micrometastasis > 0.2-2.0 mm, macrometastasis > 2.0 mm); only the class is used.
PLACEHOLDER_SIZE_MM: dict[str, float] = {"nodes.macrometastatic": 5.0, "nodes.micrometastatic": 1.0,
                                         "nodes.itc": 0.1}
#: Columns holding a list: an Arrow list column, or JSON text (CSV); every list field of the case.
LIST_COLUMNS: frozenset[str] = list_paths()
_EXAMINED_PROCEDURES = frozenset({"slnb", "alnd", "slnb_then_alnd"})
_MAX_COUNT = 100


class CohortFormatError(MicrometsError, ValueError):
    """The input file as a whole cannot be read as a cohort (unknown columns, unsupported format)."""


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``X | None`` (or ``X``), else None."""
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _leaves(model: type[BaseModel], prefix: str) -> Iterable[str]:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        sub = _submodel(info.annotation)
        if sub is not None and path not in LIST_COLUMNS:
            yield from _leaves(sub, f"{path}.")
        else:
            yield path


@cache
def case_columns() -> tuple[str, ...]:
    """Every case field as a flat column name, derived from the ``Case`` model (follows the contract).

    >>> "tumour.size_mm" in case_columns(), "nodes.deposits" in case_columns()
    (True, True)
    """
    return tuple(_leaves(Case, ""))


@cache
def _column_kinds() -> dict[str, FieldKind]:
    """Scalar columns by the JSON type of their case field (number, whole number, boolean, ...)."""
    out: dict[str, FieldKind] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        out.update({f"{prefix}{name}": kind for name, kind in field_kinds(model).items()})
        for name, info in model.model_fields.items():
            sub = _submodel(info.annotation)
            if sub is not None and f"{prefix}{name}" not in LIST_COLUMNS:
                walk(sub, f"{prefix}{name}.")

    walk(Case, "")
    return out


#: Cell text that means unknown, in CSV and Parquet text alike (after surrounding spaces are removed): empty, and
#: the missing-value spellings of R ("NA"), pandas ("NaN", "nan": ``to_csv(na_rep=...)``, ``astype(str)``), SQL
#: ("NULL", "null"), SAS and Stata ("."), and "N/A". None of them is a value of any column (tests/cohort). Not
#: "None": "none" is a value of several columns (docs/cohort.md).
MISSING_TEXT: tuple[str, ...] = ("", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", ".")
_MISSING = frozenset(MISSING_TEXT)
#: How Python and pandas write a missing value as text (``str(None)``, ``astype(str)``). In a column where "none"
#: is a value it may mean either, so it is not read as that value (an error says so), nor as unknown.
PYTHON_NONE_TEXT = "None"


def _literal_strings(annotation: Any) -> tuple[str, ...] | None:
    """The values of a ``Literal`` of text (or of a list of one), else None."""
    base = unwrap(annotation)
    if typing.get_origin(base) is list:
        base = unwrap(typing.get_args(base)[0])
    if typing.get_origin(base) is Literal and all(type(a) is str for a in typing.get_args(base)):
        return typing.get_args(base)
    return None


@cache
def enum_values() -> dict[str, dict[str, str]]:
    """Every column whose values are a fixed list of text codes (and every list column of such codes, and the
    fields of ``nodes.deposits`` as ``nodes.deposits.<field>``): its values by their lower-case ASCII spelling.

    A registry writing ``SLNB`` or ``Slnb`` for the contract's ``slnb`` means that value: the spelling that is the
    same letters in another case is read as the value (owner's decision; the letters are ASCII only, so that no
    Unicode case rule such as the Kelvin sign's makes another text equal). Nothing else is matched.

    >>> enum_values()["nodes.procedure"]["slnb"], enum_values()["clinical_nodes"]["cn1mi"]
    ('slnb', 'cN1mi')
    """
    out: dict[str, dict[str, str]] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            values = _literal_strings(info.annotation)
            if values is not None:
                folded = {value.lower(): value for value in values}
                if len(folded) != len(values):  # two values told apart by case only: no folding is possible
                    raise TypeError(f"{path}: values differ only by case: {values}")
                out[path] = folded
                continue
            base = unwrap(info.annotation)
            item = unwrap(typing.get_args(base)[0]) if typing.get_origin(base) is list else base
            if isinstance(item, type) and issubclass(item, BaseModel):
                walk(item, f"{path}.")

    walk(Case, "")
    return out


def _same_value(values: dict[str, str], text: str) -> str:
    """``text`` as the column's value when it is that value in another case of ASCII letters, else as it is."""
    if text in values.values() or text == PYTHON_NONE_TEXT or not text.isascii():
        return text
    return values.get(text.lower(), text)


#: Columns of percentages: a cell of text may carry the percent sign ("85%", Excel's percent format saved as CSV).
_PERCENT_SIGN = re.compile(r"\s*%\Z")


#: Yes/no spellings of CSV cells (any case); "1.0"/"0.0" are what a 0/1 column with gaps becomes in pandas.
_TRUE_TEXT = frozenset({"true", "1", "yes", "1.0"})
_FALSE_TEXT = frozenset({"false", "0", "no", "0.0"})
#: Number text Python's float() takes but no registry tool writes: digit group underscores ("1_4") and
#: non-ASCII digits. Passed on as text, so the case validation rejects them ("must be a number").
_NOT_NUMBER_TEXT = re.compile(r"[^\x00-\x7f]|_")
#: An ISO date and time at midnight (``2026-03-14 00:00:00``, ``2026-03-14T00:00:00.000+01:00``): DuckDB's and
#: Spark's CSV spelling of a date held as a timestamp.
_ISO_MIDNIGHT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00(\.0+)?)?(Z|[+-]\d{2}:?\d{2})?")


def _typed(kind: FieldKind, value: Any) -> Any:
    """A cell as the JSON value its case field takes, by the documented registry conventions.

    CSV cells are text and registry tools write whole numbers as floats (``2.0``) and flags as 0/1; these
    spellings are converted here, explicitly. Anything else is passed on unchanged, so the strict case
    validation rejects it with the column named (``"yes please"`` is never a boolean).
    """
    if type(value) is Decimal and not value.is_snan():  # a decimal column (DuckDB, Spark, databases' NUMERIC): its number
        value = (int(value) if value.is_finite() and value == value.to_integral_value()
                 else str(value) if value.is_finite() and value != 0 and float(value) == 0  # 1e-400: never a silent 0
                 else float(value))
    if kind == "bool":
        if type(value) in (int, float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in _TRUE_TEXT | _FALSE_TEXT:
            return value.lower() in _TRUE_TEXT
        return value
    if kind in ("int", "int_literal", "float") and isinstance(value, str) and len(value) <= 40:
        if _NOT_NUMBER_TEXT.search(value):
            return value
        try:
            number = float(value)
        except ValueError:
            return value
        if number == 0 and underflows(value):  # 1e-400 reads as 0.0: passed on as text, never as a silent 0
            return value
        # A number that is not a valid value (2.5 nodes, 1e400) goes on as a number, so the message is about
        # the value ("must be a whole number; got 2.5"), not about CSV text.
        return int(number) if kind != "float" and number.is_integer() else number
    if kind == "date":
        if isinstance(value, str) and _ISO_MIDNIGHT.fullmatch(value):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:  # 2026-02-30 00:00: left for the date check, which names the field
                return value
        # A date stored as a timestamp at midnight, of its own zone when it has one (the day the zone shows: a
        # date held at midnight UTC is that date); any other time of day is left to the validation's error.
        if isinstance(value, dt.datetime) and value.time() == dt.time() and getattr(value, "nanosecond", 0) == 0:
            return value.date()
    return value


@cache
def allowed_columns() -> frozenset[str]:
    """Case columns plus the registry nodal columns."""
    return frozenset((*case_columns(), *REGISTRY_COLUMNS))


def check_columns(names: Iterable[str]) -> None:
    """Reject unknown or duplicated column names (a misspelt column must not be ignored silently).

    >>> check_columns(["id", "tumour.grde"])
    Traceback (most recent call last):
    ...
    micromets.cohort.columns.CohortFormatError: unknown column 'tumour.grde' (did you mean 'tumour.grade'?); unknown columns are rejected, see docs/cohort.md
    """
    seen: set[str] = set()
    problems: list[str] = []
    allowed = allowed_columns()
    for position, name in enumerate(names, start=1):
        if name in seen:
            problems.append(f"column {name!r} appears twice")
        seen.add(name)
        if name not in allowed:
            problems.append(_unknown_column(position, name))
    if problems:
        raise CohortFormatError("; ".join(problems) + "; unknown columns are rejected, see docs/cohort.md")


#: Names pandas gives its row index: an unnamed index written to Parquet, or read back from a CSV that held one.
_PANDAS_INDEX = re.compile(r"__index_level_\d+__|Unnamed: \d+")


def _unknown_column(position: int, name: str) -> str:
    """Why a column name is not accepted, with the column it probably is. Names are matched exactly: a name
    in another case or with spaces is refused (with its spelling suggested), never read as a guess."""
    if not name.strip() and position > 1:
        return f"column {position} has no name (a separator at the end of the header line?)"
    if not name.strip() or _PANDAS_INDEX.fullmatch(name):
        what = "has no name" if not name.strip() else f"is named {name!r} (pandas' name for an unnamed row index)"
        return (f"column {position} {what}: a row index written with the data? Write without it (pandas: "
                "to_csv(index=False) or to_parquet(index=False); R: write.csv(row.names = FALSE))")
    by_folded = {column.lower(): column for column in allowed_columns()}
    folded = name.strip().strip("`\"'").lower()
    if folded in by_folded:
        return (f"unknown column {name!r} (did you mean {by_folded[folded]!r}? column names are matched exactly: "
                "lower case, dotted, no spaces)")
    close = difflib.get_close_matches(folded, sorted(by_folded), n=1)
    hint = f" (did you mean {by_folded[close[0]]!r}?)" if close else ""
    return f"unknown column {name!r}{hint}"


def raw_id(row: Mapping[str, Any]) -> str | None:
    """The row's id as text (registries often store numbers), for error records too."""
    return _id_text(row.get("id"))


def _id_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and value.strip() in _MISSING:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_REGISTRY_SET = frozenset(REGISTRY_COLUMNS)
_NONE = type(None)


@cache
def _parts(name: str) -> tuple[str, ...]:
    return tuple(name.split("."))


def _clean(name: str, value: Any, problems: list[FieldProblem]) -> Any:
    """Null, NaN and empty text mean unknown; list columns may hold JSON text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value in _MISSING:
            return None
        if name in LIST_COLUMNS:
            try:
                value = loads_strict(value, where=name)
            except CaseValidationError as exc:
                problems.extend(_in_column(name, p) for p in exc.problems)
                return None
    if name == "id":
        return _id_text(value)
    kind = _column_kinds().get(name)
    if kind is not None:
        if kind == "float" and name.endswith("_percent") and isinstance(value, str) and value.endswith("%"):
            number = _typed(kind, _PERCENT_SIGN.sub("", value))
            return value if isinstance(number, str) else number  # "85%" is 85; anything else is refused as given
        return _typed(kind, value)
    values = enum_values().get(name)
    if values is not None:
        if isinstance(value, str):
            return _same_value(values, value)
        if isinstance(value, list):
            return [_same_value(values, v) if isinstance(v, str) else v for v in value]
        return value
    if name == "nodes.deposits" and isinstance(value, list):
        # Arrow struct lists carry every struct field; a null member means "not given".
        return [{k: _deposit_value(k, v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d
                for d in value]
    return value


def _deposit_value(key: Any, value: Any) -> Any:
    """A field of a deposit (``method``: ``HE`` is ``he``, as in any column of codes)."""
    values = enum_values().get(f"nodes.deposits.{key}") if isinstance(value, str) and isinstance(key, str) else None
    return value if values is None else _same_value(values, value)


def _in_column(name: str, problem: FieldProblem) -> FieldProblem:
    """A problem inside a JSON cell, named by the column (``nodes.deposits[0].size_mm``)."""
    if problem.field == name:
        return FieldProblem(name, problem.message.replace("is not valid JSON", "is not a valid JSON array", 1))
    joiner = "" if problem.field.startswith("[") else "."
    return FieldProblem(f"{name}{joiner}{problem.field}", problem.message)


def _count(name: str, value: Any, problems: list[FieldProblem]) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and value.strip() in _MISSING:
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value.strip())
        except ValueError:
            number = None
        if number == 0 and underflows(value):  # 1e-400 reads as 0.0: not a count of 0
            number = None
    elif isinstance(value, str):
        return None
    if number is None or not number.is_integer() or not 0 <= number <= _MAX_COUNT:
        problems.append(FieldProblem(name, _with_code_hint(
            f"must be a whole number of nodes from 0 to {_MAX_COUNT}; got {value!r}")))
        return None
    return int(number)


def _whole(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _is_true(value: Any) -> bool:
    return value is True


def _deposits_from_counts(
    row: Mapping[str, Any], data: dict[str, Any], problems: list[FieldProblem]
) -> tuple[list[dict[str, Any]] | None, dict[int, str]]:
    """Expand the registry node counts into one placeholder deposit per node (None: counts not used)."""
    counts = {name: _count(name, row.get(name), problems) for name in COUNT_COLUMNS}
    ene = row.get(ENE_COLUMN)
    unknown = ene is None or (isinstance(ene, str) and ene.strip() in _MISSING) or \
        (isinstance(ene, float) and math.isnan(ene))
    ene = None if unknown else _typed("bool", _stripped(ene))
    if ene is not None and not isinstance(ene, bool):
        problems.append(FieldProblem(ENE_COLUMN, f"must be true or false (true/false, 1/0, yes/no); got {ene!r}"))
        ene = None
    nodes = data.get("nodes", {})
    given = [name for name, c in counts.items() if c is not None]
    if "deposits" in nodes:
        for name in [*given, *([ENE_COLUMN] if ene is not None else [])]:
            problems.append(FieldProblem(name, "is given together with nodes.deposits: give either the deposit "
                                               "list or the node counts, not both"))
        return None, {}
    if not given:
        procedure, examined = nodes.get("procedure"), _whole(nodes.get("examined"))
        if procedure in _EXAMINED_PROCEDURES or (examined or 0) > 0:
            what = f"nodes.procedure is {procedure!r}" if procedure in _EXAMINED_PROCEDURES else \
                f"nodes.examined is {examined}"
            problems.append(FieldProblem(COUNT_COLUMNS[0], (
                f"node counts are unknown but nodes were examined ({what}): give nodes.macrometastatic, "
                "nodes.micrometastatic and nodes.itc (0 when there is none) or nodes.deposits; unknown counts "
                "must not read as node-negative")))
        if _is_true(ene):
            problems.append(FieldProblem(ENE_COLUMN, "is true but no node count is given"))
        return None, {}
    for name, c in counts.items():
        if c is None and not any(p.field == name for p in problems):
            problems.append(FieldProblem(name, "is unknown while other node counts are given: give all three "
                                               "counts (0 when there is none)"))
    if problems:
        return None, {}
    total = sum(c or 0 for c in counts.values())
    examined = _whole(nodes.get("examined"))
    if examined is not None and total > examined:
        problems.append(FieldProblem("nodes.examined", f"is {examined} but the node counts add up to {total} nodes "
                                                       "with deposits"))
    if nodes.get("procedure") == "none" and total:
        problems.append(FieldProblem("nodes.procedure", "is 'none' but node counts are above 0"))
    deposits: list[dict[str, Any]] = []
    origin: dict[int, str] = {}
    for name in COUNT_COLUMNS:
        for _ in range(counts[name] or 0):
            origin[len(deposits)] = name
            deposit: dict[str, Any] = {"node": len(deposits) + 1, "size_mm": PLACEHOLDER_SIZE_MM[name], "method": "he"}
            if ene is not None:
                deposit["extranodal_extension"] = ene
            deposits.append(deposit)
    if not deposits and _is_true(ene):
        problems.append(FieldProblem(ENE_COLUMN, "is true but the node counts are all 0"))
    return deposits, origin


def _cell(name: str, value: Any, problems: list[FieldProblem]) -> Any:
    """One cell as the case takes it (None: not given). Arrow gives Python ``bool``/``int`` for boolean and
    integer columns: those are taken as they are, except an id (text) and 0/1 in a yes/no column."""
    if value is None:
        return None
    if type(value) is not bool and type(value) is not int:
        return _clean(name, value, problems)
    if name == "id":
        return str(value)
    if type(value) is int and _column_kinds().get(name) == "bool":
        return _typed("bool", value)
    return value


def _place(data: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    if len(parts) == 1:
        data[parts[0]] = value
        return
    target = data
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _finish(
    data: dict[str, Any], registry: Mapping[str, Any], problems: list[FieldProblem]
) -> tuple[dict[str, Any], dict[int, str]]:
    deposits, origin = _deposits_from_counts(registry, data, problems)
    if problems:
        raise CaseValidationError(problems)
    if deposits is not None:
        data.setdefault("nodes", {})["deposits"] = deposits
    return data, origin


def case_dict(row: Mapping[str, Any]) -> tuple[dict[str, Any], dict[int, str]]:
    """The contract case dict of a flat row, and which count column each generated deposit came from: the
    row as a record batch of one row places it (``_Batch``).

    Raises ``CaseValidationError`` for problems of the registry columns themselves.
    """
    batch = _Batch.of_row(row)
    return _finish(batch.dicts()[0][0], batch.registry_row(0), batch.problems.get(0, []))


def _rename(problem: FieldProblem, origin: Mapping[int, str]) -> FieldProblem:
    """``nodes.deposits[3].x`` of a generated deposit -> the count column it came from."""
    prefix = "nodes.deposits["
    if origin and problem.field.startswith(prefix):
        index = _whole(problem.field[len(prefix):].split("]", 1)[0])
        if index is not None and index in origin:
            return FieldProblem(origin[index], f"(node {index + 1} made from this count) {problem.message}")
    return problem


_REGISTRY_TYPE_MESSAGES = (
    ("must be true or false", "must be true or false (true/false, 1/0 or yes/no in CSV)"),
    ("must be a whole number", "must be a whole number"),
    ("must be a number", "must be a number"),
    ("must be a valid date", "must be a date (YYYY-MM-DD text, a date column, or a timestamp at midnight)"),
)
#: Values registries use as codes for "unknown" (grade 9, size 999, "Unknown"; Stata's and SAS's special missing values
#: .a-.z and ._, which say why a value is missing): they are refused as any other bad value (a 9 is never read as
#: unknown), with a word on how to say unknown.
_UNKNOWN_CODES = re.compile(r"'?(9+(\.0+)?|unknown|unk|not known|missing|#n/a|-|\?|\.[a-z_])'?", re.IGNORECASE)
UNKNOWN_CODE_HINT = "if that is the registry's code for unknown, leave the cell empty: unknown is an empty cell or null"


def _with_code_hint(message: str) -> str:
    """``message`` ("...; got 9") with :data:`UNKNOWN_CODE_HINT` when the value it got looks like an unknown code."""
    value = message.rsplit("; got ", 1)[1].split(" (", 1)[0] if "; got " in message else ""
    return f"{message} ({UNKNOWN_CODE_HINT})" if _UNKNOWN_CODES.fullmatch(value) else message


#: A date as a day, a month and a year separated by / . or - (01/03/2024): which is the day is not in the cell.
_LOCALE_DATE = re.compile(r"'\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}'")
#: A date as a number: days (or an 8-digit YYYYMMDD) in a whole-number cell or column.
_NUMBER_DATE = re.compile(r"'?[-+]?\d+(\.\d*)?([eE][-+]?\d+)?'?")
#: A decimal comma (14,5) or a thousands separator (1,500): which one is not in the cell.
_DECIMAL_COMMA = re.compile(r"'-?\d+,\d+'")
#: A date as eight digits, YYYYMMDD (SAS's yymmddn8., Stata's %tdCCYYNNDD).
_DIGITS_DATE = re.compile(r"'?\d{8}'?")
_DATE_HINTS = (
    (_LOCALE_DATE, "the order of day and month is not in the cell, 01/03/2024 is 1 March or 3 January: write the "
                   "date as YYYY-MM-DD"),
    (_DIGITS_DATE, "eight digits are not read as a date: write it as YYYY-MM-DD"),
    (_NUMBER_DATE, "a number is not read as a date: SAS and Stata count days from 1960-01-01, Excel from 1899-12-30 "
                   "or 1904-01-01, R and pandas from 1970-01-01; export the date as YYYY-MM-DD text or a date "
                   "column"),
)


def _hint(field: str, message: str) -> str:
    """What the value refused probably is, in a registry's terms: the column's code in another spelling, a date a
    tool wrote as a number or in a locale's order, a decimal comma."""
    if "; got " not in message:
        return message
    got = message.rsplit("; got ", 1)[1]
    if message.startswith("must be a date"):
        hint = next((h for pattern, h in _DATE_HINTS if pattern.fullmatch(got)), None)
        return f"{message} ({hint})" if hint else message
    if message.startswith("must be a number") and _DECIMAL_COMMA.fullmatch(got):
        return f"{message} (a decimal comma or a thousands separator? write the number with a decimal point and " \
               "no separator: 14.5, 1500)"
    values = enum_values().get(re.sub(r"\[\d+\]$", "", field))
    if values is None or not message.startswith("must be one of"):
        return message
    if _NUMBER_DATE.fullmatch(got) or got in ("True", "False"):
        return (f"{message} (a number or a yes/no where a code is expected: export the codes' labels, not their numbers: R "
                "haven::as_factor, Stata decode or use with labels, SPSS 'export value labels'; or map them to the "
                "values above)")
    if not (got.startswith("'") and got.endswith("'")):
        return message
    text = got[1:-1]
    if text == PYTHON_NONE_TEXT:
        value = ", or write 'none' for the value none" if "none" in values else ""
        return (f"{message} ('None' is how Python and pandas write a missing value: leave the cell empty when it is "
                f"unknown{value})")
    close = difflib.get_close_matches(text.lower(), list(values), n=1, cutoff=0.6)
    return f"{message} (did you mean {values[close[0]]!r}?)" if close else message


def _registry_wording(problem: FieldProblem) -> FieldProblem:
    """Type messages in the registry's terms: CSV cells are text, so "text is not a number" would mislead."""
    message = problem.message
    for start, wording in _REGISTRY_TYPE_MESSAGES:
        if message.startswith(start) and "; got " in message:
            message = f"{wording}; got {message.rsplit('; got ', 1)[1]}"
            break
    message = _with_code_hint(_hint(problem.field, message))
    return problem if message == problem.message else FieldProblem(problem.field, message)


def _column_problems(error: CaseValidationError, origin: Mapping[int, str]) -> list[FieldProblem]:
    """The case's problems named by the columns (a deposit made from a count by the count's column)."""
    return [_registry_wording(_rename(p, origin)) for p in error.problems]


def case_from_row(row: Mapping[str, Any]) -> Case:
    """Validate one flat row into a ``Case``; ``CaseValidationError`` names the columns at fault. The row is
    a record batch of one row (``_Batch``): the same code as ``cases_from_batch``."""
    outcome = _Batch.of_row(row).cases()[0]
    if isinstance(outcome, list):
        raise CaseValidationError(outcome)
    return outcome


# ---- a whole record batch at once ------------------------------------------------------------------
def _column_cells(name: str, array: pa.Array, problems: dict[int, list[FieldProblem]]) -> tuple[list[Any], Types]:
    """Every cell of one column as :func:`_cell` takes it, converted once per column instead of per row, and
    the types of the cells given when the conversion knows them (``_types``).

    Text columns are cleaned once per distinct value (registries repeat a few codes millions of times), ids
    once per cell; boolean and integer columns need nothing (``_cell`` passes them on, except 0/1 integers
    of a yes/no column); numbers only lose NaN. Whatever else (yes/no columns stored as numbers, JSON text
    of list columns, dates, nested lists) goes through ``_cell`` cell by cell, with the cell's problems
    kept under its row.
    """
    kind = _column_kinds().get(name)
    kind_of = array.type
    no_problems: list[FieldProblem]
    if name != "id" and (pa.types.is_boolean(kind_of) or (kind != "bool" and pa.types.is_integer(kind_of))):
        return array.to_pylist(), _types(array)
    if name != "id" and kind != "bool" and pa.types.is_floating(kind_of):
        if (pa.types.is_float64(kind_of) or pa.types.is_float32(kind_of)) and not pc.any(pc.is_nan(array)).as_py():
            return array.to_pylist(), _types(array)
        return [v if v == v else None for v in array.to_pylist()], None  # NaN != NaN: unknown
    if name == "id" and (pa.types.is_string(kind_of) or pa.types.is_large_string(kind_of)):
        # An id's text is cleaned as _clean does it (stripped; a missing spelling: unknown), without its checks
        # per cell.
        if array.null_count:
            stripped = [None if v is None else v.strip() for v in array.to_pylist()]
        else:
            stripped = list(map(str.strip, array.to_pylist()))
        if _MISSING.isdisjoint(stripped):
            return stripped, None
        return [None if v in _MISSING else v for v in stripped], None
    if name != "id" and name not in LIST_COLUMNS and (pa.types.is_string(kind_of) or pa.types.is_large_string(kind_of)):
        encoded = array.dictionary_encode()
        no_problems = []  # text cells of scalar columns have none (only JSON cells do)
        distinct = np.empty(len(encoded.dictionary) + 1, dtype=object)  # the last one (None) for a null cell
        for index, value in enumerate(encoded.dictionary.to_pylist()):
            distinct[index] = _clean(name, value, no_problems)
        given = frozenset(map(type, distinct)) - {_NONE}  # the dictionary holds only values the column holds
        return distinct[pc.fill_null(encoded.indices, len(distinct) - 1).to_numpy()].tolist(), given
    out: list[Any] = []
    for row, value in enumerate(array.to_pylist()):
        found: list[FieldProblem] = []
        out.append(_cell(name, value, found))
        if found:
            problems.setdefault(row, []).extend(found)
    return out, None


#: The types of a column's cells given (not None), when known without reading every cell.
Types = frozenset[type] | None
#: The Python type of the cells of an Arrow column of these types (``to_pylist``).
_PYTHON_TYPES = ((pa.types.is_boolean, bool), (pa.types.is_integer, int), (pa.types.is_floating, float),
                 (pa.types.is_string, str), (pa.types.is_large_string, str))


def _types(array: pa.Array) -> Types:
    """The types of ``array.to_pylist()``'s cells other than None, from the Arrow type (None: not one of these)."""
    for is_type, python_type in _PYTHON_TYPES:
        if is_type(array.type):
            return frozenset({python_type}) if array.null_count < len(array) else frozenset()
    return None


#: Cell types whose equal values the case validation cannot tell apart (a float only up to its zero's sign).
#: A datetime is not one (aware datetimes of one instant differ in their zones), nor a list.
_SCALARS = frozenset({str, int, bool, float, dt.date})


def _tokens(cells: list[Any], given: Types = None) -> tuple[Any, list[Any]] | None:
    """A hashable stand-in for each cell, equal for two cells only when validation treats them alike
    (``1``, ``1.0`` and ``True`` compare equal in Python but are different inputs), and the form of the
    stand-ins (the cells' one type, or "repr"); None when a cell is not a plain scalar (a list, a datetime):
    a segment with such a column is not memoized. ``given``: the cells' types other than None, when known."""
    kinds = set(map(type, cells)) if given is None else set(given)
    kinds.discard(_NONE)
    if not kinds <= _SCALARS:
        return None
    if len(kinds) <= 1 and not (float in kinds and 0.0 in cells):
        return (kinds.pop() if kinds else _NONE), cells  # one type: equal values are the same input
    return "repr", [None if v is None else (type(v), repr(v)) for v in cells]  # repr tells -0.0 from 0.0


#: Validated nested models by the columns they come from (names and forms of the stand-ins), then by the
#: cells' stand-ins; kept across the batches of a process, as a registry repeats the same treatments and
#: node counts from its first row to its last. Bounded: a table is emptied when it outgrows _FOUND_MAX.
_FOUND: dict[Any, dict[Any, Any]] = {}
_FOUND_MAX = 2048
#: Nodes with more deposits than this are not kept (a registry's rare large counts would fill memory).
_KEEP_DEPOSITS = 32


def _found(signature: Any) -> dict[Any, Any]:
    found = _FOUND.get(signature)
    if found is None or len(found) > _FOUND_MAX:
        if len(_FOUND) > 64:
            _FOUND.clear()
        found = _FOUND[signature] = {}
    return found


@cache
def _submodels() -> dict[str, type[BaseModel]]:
    """The case fields that hold one nested model (``tumour``, ``nodes``, ...)."""
    out: dict[str, type[BaseModel]] = {}
    for name, info in Case.model_fields.items():
        sub = _submodel(info.annotation)
        if sub is not None and name not in LIST_COLUMNS:
            out[name] = sub
    return out


# How a segment's cells go into the case dict.
_TOP, _NESTED, _DEEP, _MEMO, _NODES = range(5)
_MISS = object()
_FAILED = object()  # the nested model alone is invalid: its rows are validated without the memo
#: A segment is memoized when its rows repeat: at most this share of them distinct (tumour measurements
#: hardly ever repeat; treatments, surgery and node counts mostly do), judged on a batch's first rows (a
#: segment that repeats in few rows repeats in many).
_MEMO_DISTINCT = 0.7
_FIRST_ROWS = 200


class _Segment:
    """Consecutive columns under one parent, with their cells column by column."""

    __slots__ = ("cells", "found", "keys", "leaves", "mode", "model", "parent", "signature")

    def __init__(self, mode: int, parent: str, leaves: tuple[str, ...], cells: list[list[Any]]) -> None:
        self.mode = mode
        self.parent = parent
        self.leaves = leaves
        self.cells = cells
        self.model: type[BaseModel] | None = None
        self.keys: list[Any] = []
        self.signature: Any = None
        self.found: dict[Any, Any] = {}  # key -> validated nested model (None: no cell given) or _FAILED

    def row(self, row: int) -> tuple[Any, ...]:
        """One row's cells (for validating its nested model alone)."""
        return tuple([cells[row] for cells in self.cells])


@lru_cache(maxsize=256)
def _layout(names: tuple[str, ...]) -> tuple[tuple[int, str, tuple[str, ...], tuple[int, ...]], ...]:
    """How columns of these names group into segments: (mode, parent, leaves, the columns' positions) for
    each, in column order. Cached: a file's rows, and its batches, have the same columns."""
    grouped: list[tuple[int, str, list[str], list[int]]] = []
    for position, name in enumerate(names):
        parts = _parts(name)
        mode, parent = (_TOP, "") if len(parts) == 1 else (_NESTED, parts[0]) if len(parts) == 2 else (_DEEP, name)
        if grouped and mode != _DEEP and grouped[-1][:2] == (mode, parent):
            grouped[-1][2].append(parts[-1])
            grouped[-1][3].append(position)
        else:
            grouped.append((mode, parent, [name if mode == _DEEP else parts[-1]], [position]))
    return tuple((mode, parent, tuple(leaves), tuple(positions)) for mode, parent, leaves, positions in grouped)


def _segments(columns: list[tuple[str, list[Any], Types]], memo: bool) -> list[_Segment]:
    """The columns as segments, in column order (the case dict's keys land in the same order as cell by cell):
    top-level fields, the fields of one nested model, or one deeper path (placed by ``_place``); ``memo``:
    whether a nested model's segment may be memoized."""
    layout = _layout(tuple([name for name, _, _ in columns]))
    segments = [_Segment(mode, parent, leaves, [columns[p][1] for p in positions])
                for mode, parent, leaves, positions in layout]
    if not memo:
        return segments
    heads = [_parts(name)[0] for name, _, _ in columns]
    for segment, (mode, parent, leaves, positions) in zip(segments, layout, strict=True):
        model = _submodels().get(parent) if mode == _NESTED else None
        cells = segment.cells
        column_types = [columns[p][2] for p in positions]
        # Memoized only when nothing else writes under the same name (its columns are this one segment), and
        # when its rows repeat (counted on the cells: 1 and 1.0 count as one here, which only misjudges the
        # gain, never the result).
        if model is not None and heads.count(parent) == len(leaves) and \
                _repeats(list(zip(*(c[:_FIRST_ROWS] for c in cells), strict=True))):
            tokens = [_tokens(c, t) for c, t in zip(cells, column_types, strict=True)]
            if all(t is not None for t in tokens):
                segment.model = model
                segment.keys = list(zip(*(t[1] for t in tokens if t is not None), strict=True))
                segment.signature = (parent, segment.leaves, tuple(t[0] for t in tokens if t is not None))
    return segments


def _repeats(rows: list[Any]) -> bool:
    """Whether the first rows repeat (see _MEMO_DISTINCT)."""
    first = rows[:_FIRST_ROWS]
    try:
        return len(set(first)) <= _MEMO_DISTINCT * len(first)
    except TypeError:  # a list cell
        return False


def _fill(targets: list[dict[str, Any]], key: str, values: list[Any]) -> None:
    """``targets[row][key] = values[row]`` for each row whose value is given (not None)."""
    for target, value in zip(targets, values, strict=True):
        if value is not None:
            target[key] = value


def _indices(values: list[Any], marker: object) -> list[int]:
    """The rows whose value is ``marker`` itself."""
    return list(compress(range(len(values)), map(is_, values, repeat(marker))))


class _Batch:
    """Rows as cases, column by column: cells, placement, node counts and validation. The one implementation
    of a row into a case: a record batch (``cases_from_batch``, its cells converted per column, the valid nested
    models reused) and a row alone (``case_from_row``, a batch of one row, ``of_row``) both go through it.

    A nested model (treatments, surgery, the nodes with their node counts) repeated within the batch (or
    seen in an earlier batch of the process, ``_FOUND``) is validated once, alone, by its own model: its valid instance then goes into each such row's case
    (validation takes an instance as it is). That is a pure function of its cells (strict types, no context,
    the counts' checks read the nodes' cells and the count cells only), so the case is the row's own. An
    invalid one is marked, and its rows are validated whole, as without the memo, so that their problems are
    exactly those of the row alone; so are rows with a problem in a cell (it joins the counts' problems).
    """

    def __init__(self, n: int, columns: list[tuple[str, list[Any], Types]], registry: dict[str, list[Any]],
                 registry_types: list[Types], problems: dict[int, list[FieldProblem]], memo: bool) -> None:
        """``n`` rows: the case columns' cells as ``_cell`` takes them (with their types when known, ``Types``),
        the registry columns' cells as given, each row's cell problems; ``memo``: whether repeated nested
        models are validated once."""
        self.n = n
        self.problems = problems
        self.registry = registry
        self.memo = memo
        self.segments = _segments(columns, memo)
        self.counted = False  # whether the node counts are expanded with the memoized ``nodes`` segment
        if not memo:
            return
        registry_tokens = [(name, _tokens(cells, t)) for (name, cells), t in zip(registry.items(), registry_types,
                                                                                  strict=True)]
        for segment in self.segments:
            if segment.model is None:
                continue
            if segment.parent != "nodes":
                segment.mode = _MEMO
                segment.found = _found(segment.signature)
            elif all(t is not None for _, t in registry_tokens):
                counts = list(zip(*(t[1] for _, t in registry_tokens if t is not None), strict=True)) \
                    if registry_tokens else [()] * n
                segment.keys = list(zip(segment.keys, counts, strict=True))
                if _repeats(segment.keys):
                    segment.mode = _NODES
                    self.counted = True
                    segment.found = _found((segment.signature, tuple((name, t[0]) for name, t in registry_tokens
                                                                     if t is not None)))

    @classmethod
    def of_batch(cls, batch: pa.RecordBatch) -> _Batch:
        """A record batch, its cells converted column by column (``_column_cells``)."""
        problems: dict[int, list[FieldProblem]] = {}
        registry: dict[str, list[Any]] = {}
        registry_types: list[Types] = []
        columns: list[tuple[str, list[Any], Types]] = []
        for name, array in zip(batch.schema.names, batch.columns, strict=True):
            if name in _REGISTRY_SET:
                registry[name] = array.to_pylist()
                registry_types.append(_types(array))
            else:
                columns.append((name, *_column_cells(name, array, problems)))
        return cls(batch.num_rows, columns, registry, registry_types, problems, memo=True)

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> _Batch:
        """One row as a batch of one row, its cells the row's own Python values (``_cell`` converts them).

        Not through an Arrow record batch: that would change what some values mean (a tuple would become a
        list) or fail on them (integers beyond 64 bits, lists mixing types, text with a lone surrogate), which
        the case validation names as the column's problems.
        """
        problems: list[FieldProblem] = []
        registry: dict[str, list[Any]] = {}
        columns: list[tuple[str, list[Any], Types]] = []
        for name, value in row.items():
            if name in _REGISTRY_SET:
                registry[name] = [value]
            else:
                columns.append((name, [_cell(name, value, problems)], None))
        return cls(1, columns, registry, [None] * len(registry), {0: problems} if problems else {}, memo=False)

    def cases(self, rows: list[int] | None = None) -> list[Case | list[FieldProblem]]:
        """Every row as its case or its problems (``rows``: only these, each validated whole, without the
        memo), the case dicts filled column by column (``dicts``).

        A row the memo does not finish with one validation (a problem in a cell, a nested model invalid alone)
        is validated whole, by this same code with ``rows``; node counts with problems give those problems.
        """
        datas, settled, last, origins = self.dicts(rows)
        out: list[Case | list[FieldProblem]] = []
        counted = rows is None and self.counted
        problems = self.problems
        for index, data in enumerate(datas):
            if settled[index] is not None:
                out.append(settled[index])
                continue
            if not counted:
                row = index if rows is None else rows[index]
                try:
                    data, origins[index] = _finish(data, self.registry_row(row), problems.get(row, []))
                except CaseValidationError as exc:
                    out.append(exc.problems)
                    continue
            elif last[index] is not None:
                data["nodes"] = last[index]
            try:
                out.append(parse_case(data))
            except CaseValidationError as exc:
                out.append(_column_problems(exc, origins[index]))
        whole = _indices(out, _FAILED)
        for row, outcome in zip(whole, self.cases(whole) if whole else (), strict=True):
            out[row] = outcome
        return out

    def dicts(self, rows: list[int] | None = None) -> tuple[list[dict[str, Any]], list[Any], list[Any],
                                                            list[Mapping[int, str]]]:
        """Each row's case dict before its node counts (``_finish``), filled column by column: the cells given
        (not None) in column order, a dotted column under its nested model; with the memo (a batch's, ``rows``
        None) a repeated nested model as its validated instance. Also, per row: its outcome when known before
        its case is validated (the node counts' problems, or _FAILED: validated whole; None while the row goes
        on with the memo), a ``nodes`` made from the counts only (placed after every other field), and the
        count column each generated deposit came from."""
        memo = self.memo and rows is None
        n = self.n if rows is None else len(rows)
        datas: list[dict[str, Any]] = [{} for _ in range(n)]
        settled: list[Any] = [None] * n
        if memo:
            for row in self.problems:
                settled[row] = _FAILED
        last: list[Any] = [None] * n
        origins: list[Mapping[int, str]] = [{}] * n
        for segment in self.segments:
            mode = segment.mode if memo or segment.mode < _MEMO else _NESTED
            cells = segment.cells if rows is None else [[column[row] for row in rows] for column in segment.cells]
            if mode == _TOP:
                for key, values in zip(segment.leaves, cells, strict=True):
                    _fill(datas, key, values)
            elif mode == _NESTED:
                subs: list[dict[str, Any]] = [{} for _ in range(n)]
                for key, values in zip(segment.leaves, cells, strict=True):
                    _fill(subs, key, values)
                parent = segment.parent
                for data, sub in zip(datas, subs, strict=True):
                    if sub:  # a sub-object with no cell given is absent
                        target = data.setdefault(parent, sub)
                        if target is not sub:  # another segment writes under the same name: add to its keys
                            for key, value in sub.items():
                                target[key] = value
            elif mode == _DEEP:
                parts = _parts(segment.leaves[0])
                for data, value in zip(datas, cells[0], strict=True):
                    if value is not None:
                        _place(data, parts, value)
            elif mode == _MEMO:
                found = self._found_column(segment, settled)
                _fill(datas, segment.parent, found)
                for row in _indices(found, _FAILED):
                    if settled[row] is None:
                        settled[row] = _FAILED
            else:
                for row, outcome in enumerate(self._found_column(segment, settled)):
                    if settled[row] is not None:
                        continue
                    if outcome is _FAILED:
                        settled[row] = _FAILED
                        continue
                    where, instance, origins[row] = outcome
                    if where == "problems":
                        settled[row] = list(instance)
                    elif where == "last":
                        last[row] = instance
                    elif instance is not None:
                        datas[row]["nodes"] = instance
        return datas, settled, last, origins

    def _found_column(self, segment: _Segment, settled: list[Any]) -> list[Any]:
        """The memoized segment's outcome for every row (``_MISS`` for a row already ``settled``), validating
        each key not yet known once, at its first row."""
        found = segment.found
        outcomes = list(map(found.get, segment.keys, repeat(_MISS)))
        for row in _indices(outcomes, _MISS):
            if settled[row] is not None:
                continue
            key = segment.keys[row]
            outcome = found.get(key, _MISS)
            if outcome is _MISS:
                outcome = self._alone(segment, row)
                if segment.mode != _NODES or outcome is _FAILED or len(outcome[2]) <= _KEEP_DEPOSITS:
                    found[key] = outcome
            outcomes[row] = outcome
        return outcomes

    def registry_row(self, row: int) -> dict[str, Any]:
        return {name: cells[row] for name, cells in self.registry.items()}

    def _alone(self, segment: _Segment, row: int) -> Any:
        """The segment's nested model validated alone: the instance, None when no cell is given, ``_FAILED``
        when invalid; for ``nodes`` with the node counts expanded as ``_finish`` does: (where, instance, the
        count each deposit came from), or ("problems", the counts' problems, {})."""
        sub = {key: value for key, value in zip(segment.leaves, segment.row(row), strict=True) if value is not None}
        model = segment.model
        assert model is not None
        where = "here"
        origin: dict[int, str] = {}
        if segment.mode == _NODES:
            problems: list[FieldProblem] = []
            deposits, origin = _deposits_from_counts(self.registry_row(row), {"nodes": sub}, problems)
            if problems:
                return "problems", tuple(problems), {}
            if deposits is not None:
                where = "here" if sub else "last"  # _finish adds a "nodes" of its own after every other field
                sub["deposits"] = deposits
        instance: BaseModel | None = None
        if sub:
            try:  # the model's validator itself, as parse_case calls Case's (model_validate only forwards to it)
                instance = model.__pydantic_validator__.validate_python(sub)
            except ValidationError:
                return _FAILED
        return (where, instance, origin) if segment.mode == _NODES else instance


def cases_from_batch(batch: pa.RecordBatch) -> tuple[list[str | None], list[Case | list[FieldProblem]]]:
    """Every row of ``batch`` as :func:`case_from_row` validates it, with the raw ids for error records.

    The same code as ``case_from_row``, which is a batch of one row (``_Batch``); here the cells are converted
    column by column and a nested model repeated within the batch is validated once (one row at a time gives
    identical cases and problems, tests/cohort).

    >>> import pyarrow as pa
    >>> ids, cases = cases_from_batch(pa.RecordBatch.from_pylist(
    ...     [{"id": 7, "tumour.grade": 2}, {"id": None, "tumour.grade": 4}]))
    >>> ids, cases[0].tumour.grade, cases[1]
    (['7', None], 2, [FieldProblem(field='tumour.grade', message='must be at most 3; got 4', related=())])
    """
    names = batch.schema.names
    if "id" not in names:
        return [None] * batch.num_rows, _Batch.of_batch(batch).cases()
    ids = batch.column(names.index("id"))
    raw_ids = ids.to_pylist()
    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        raw_ids = list(map(_id_text, raw_ids))  # text is its own id text (_id_text), a number is not
    elif not _MISSING.isdisjoint(map(str.strip, raw_ids) if not ids.null_count else
                                 (v.strip() for v in raw_ids if v is not None)):
        raw_ids = list(map(_id_text, raw_ids))  # "NA": no id, as in a CSV file
    return raw_ids, _Batch.of_batch(batch).cases()
