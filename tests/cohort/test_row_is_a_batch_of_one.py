"""``case_from_row`` / ``case_dict`` are the record-batch code (``_Batch``) on a batch of one row, and give
exactly what the per-row code they replaced gave (frozen in ``_frozen_case_from_row``, the oracle).

A row is a Python mapping as callers build it (``micromets.validation.cohorts`` from a CSV or Parquet file, API
users by hand): CSV text, Parquet's typed cells, JSON values, and values no file gives (integers beyond 64
bits, tuples, lone surrogates, lists mixing types, nested dicts, a column deeper than the case format or named
like a nested model). For each row both give the same case dict (same keys in the same order, same values)
and generated-deposit origins, the same case (the same fields given), or the same problems in the same order,
or the same exception.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cohort._frozen_case_from_row import case_dict as frozen_case_dict
from cohort._frozen_case_from_row import case_from_row as frozen_case_from_row
from cohort.test_batch_fuzz import BOOLS, COLUMNS, DATES, FLOATS, INTS, STAMPS, TEXT
from micromets.cohort.columns import case_dict, case_from_row
from micromets.cohort.synthetic import synthetic_registry
from micromets.errors import CaseValidationError

#: A valid registry row (counts expanded into deposits), the prototype the drawn rows change.
ROW: dict[str, Any] = {
    "id": "r1", "age": 58, "menopausal_status": "post", "detection": "screening", "tumour.size_mm": 18.0,
    "tumour.grade": 2, "tumour.er_percent": 90, "tumour.pr_percent": 40, "tumour.her2_ihc": "0",
    "clinical_nodes": "cN0", "metastasis": "cM0", "surgery.breast": "bcs", "surgery.status": "done",
    "surgery.date": dt.date(2026, 1, 5), "nodes.procedure": "slnb", "nodes.examined": 3,
    "nodes.macrometastatic": 0, "nodes.micrometastatic": 1, "nodes.itc": 1, "nodes.extranodal_extension": "no",
    "treatments.endocrine": "1", "treatments.endocrine_years": "5",
}
#: Names beyond the case columns: a nested model's own name, a deeper path, an unknown field.
ODD_NAMES = ("tumour", "nodes", "tumour.size.mm", "treatments.x", "unknown", "nodes.deposits")
#: Values a file does not give (or an Arrow batch cannot hold as they are), next to those it does.
ODD_VALUES: list[Any] = [
    2**70, -(2**70), ("asthma",), ["asthma"], [], ["asthma", 1], [True, 1], [math.nan], [["a"]], "\ud800",
    b"female", decimal.Decimal("2"), np.int64(2), np.float64(math.nan), np.float64(2.0), {"size_mm": 5.0}, {},
    dt.datetime(2026, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))), dt.time(12, 0),
    [{"node": 1, "size_mm": 1.2, "method": "he"}], [{"node": 1, "size_mm": None, "method": "he", "cells": None}],
    [{"node": 1.0, "size_mm": 1, "method": "ihc", "cells": 50}, {"method": "he", "node": 2, "size_mm": 2.5}],
    [{"node": 1, "size_mm": 1.2, "method": "he", "x": 1}], ["radioisotope", "blue_dye"], ["taxane"],
]
VALUES: list[Any] = [*TEXT, *FLOATS, *INTS, *BOOLS, *DATES, *STAMPS, *ODD_VALUES]


def outcome(function: Any, row: dict[str, Any]) -> Any:
    """What ``function`` gives for (a copy of) the row, comparable: the case as its JSON and fields given, the
    problems, or the exception's type and text. A copy: a nested dict given as a cell is filled in place."""
    try:
        result = function(copy.deepcopy(row))
    except CaseValidationError as exc:
        return "problems", exc.problems
    except Exception as exc:  # the same failure, whatever it is
        return type(exc), str(exc)
    if isinstance(result, tuple):  # case_dict: the dict (repr: keys in order, NaN as nan) and the origins
        return "dict", repr(result[0]), result[1]
    return "case", result, result.model_dump_json(), result.model_fields_set


def assert_row_is_what_the_frozen_row_path_gives(row: dict[str, Any]) -> None:
    assert outcome(case_dict, row) == outcome(frozen_case_dict, row), row
    assert outcome(case_from_row, row) == outcome(frozen_case_from_row, row), row


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """ROW with some cells changed, some left out, some columns added, in any order."""
    row = dict(ROW)
    for name in draw(st.lists(st.sampled_from([*COLUMNS, *ODD_NAMES, *ROW]), max_size=8)):
        row[name] = draw(st.sampled_from(VALUES))
    for name in draw(st.lists(st.sampled_from(sorted(row)), max_size=6)):
        row.pop(name, None)
    return dict(draw(st.permutations(list(row.items()))))


@settings(max_examples=3000)
@given(rows())
@example({"id": "a", "tumour": "x", "tumour.grade": 2})  # a cell where a nested model's cells go: no dict
@example({"id": "a", "tumour.grade": 2, "tumour": {"size_mm": 5.0}, "tumour.er_percent": 90})
@example({"id": "a", "tumour.size.mm": 12.0, "tumour.grade": 2, "treatments.endocrine": 1, "tumour.lvi": "yes"})
@example({"id": 7.0, "age": 2**70, "comorbidities": ("asthma",), "sex": "\ud800", "tumour.her2_ihc": "0"})
@example({"nodes.deposits": [{"node": 1.0, "size_mm": 1, "method": "he"}, {"node": 2, "size_mm": 2.5}],
          "nodes.procedure": "slnb", "nodes.tracers": ["radioisotope", 1]})
@example({"id": "a", 5: "x", "tumour.grade": 2})  # a name that is not text: the same error
def test_a_row_gives_what_the_frozen_per_row_code_gave(row: dict[str, Any]) -> None:
    assert_row_is_what_the_frozen_row_path_gives(row)


@pytest.mark.parametrize("as_text", [False, True])
def test_synthetic_registry_rows_give_what_the_frozen_per_row_code_gave(as_text: bool) -> None:
    """2,000 synthetic registry rows (5 % invalid), as Parquet gives them and as CSV text; most are valid."""
    table = synthetic_registry(2000, seed=23, invalid_fraction=0.05)
    given = table.to_pylist()
    if as_text:
        given = [{k: None if v is None else str(v) for k, v in row.items()} for row in given]
    valid = 0
    for row in given:
        assert_row_is_what_the_frozen_row_path_gives(row)
        valid += outcome(case_from_row, row)[0] == "case"
    assert valid > 1500
