"""A whole record batch gives exactly what each of its rows gives alone, whatever the cells hold.

``cases_from_batch`` converts cells column by column and validates a nested model repeated within the batch
once (its valid instance reused; docs/cohort.md). The reference is the per-row code ``case_from_row`` had
before it became a batch of one row (frozen in ``_frozen_case_from_row``) on each row of
``batch.to_pylist()``: every row must come out as the same ``Case`` or the same problems in the same order
(the error record's ``error_field``, ``error_message`` and ``errors`` are made from them), and the same raw
id. The cells are hostile on purpose: wrong Arrow types for the column (text in a number column,
numbers in a yes/no column), NaN, infinities, -0.0, integers beyond any range, overlong and control-character
text, unknown codes, broken JSON in list columns, contradictory fields (counts and a deposit list, in situ
with a size, pregnancy in a man). Rows repeat a few prototypes, with single cells changed, so that nested
models repeat within a batch (the memoized path) next to ones that do not.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cohort._frozen_case_from_row import row_by_row
from micromets.cohort.columns import _FOUND, _Batch, cases_from_batch, raw_id
from micromets.cohort.synthetic import synthetic_registry

#: Columns of every nested model, the top level, list columns and the registry node counts.
COLUMNS = (
    "id", "age", "sex", "menopausal_status", "neoadjuvant", "oncotype_rs", "karnofsky", "comorbidities",
    "tumour.size_mm", "tumour.grade", "tumour.er_percent", "tumour.her2_ihc", "tumour.lvi", "tumour.in_situ_only",
    "nodes.procedure", "nodes.examined", "nodes.sentinel_nodes_removed", "nodes.tracers", "nodes.deposits",
    "nodes.macrometastatic", "nodes.micrometastatic", "nodes.itc", "nodes.extranodal_extension",
    "surgery.breast", "surgery.status", "surgery.date", "surgery.margins_mm",
    "treatments.endocrine", "treatments.endocrine_years", "treatments.chemotherapy", "treatments.heart_dose_gy",
    "neoadjuvant_therapy.pre_treatment_size_mm", "neoadjuvant_therapy.agents",
    "pregnancy.status", "pregnancy.trimester", "pregnancy.gestational_age_weeks",
    "conditions.heart_failure", "conditions.peripheral_neuropathy_grade",
)

TEXT = [
    None, "", " ", "slnb", "alnd", "none", "bcs", "mastectomy", "done", "planned", "yes", " No ", "TRUE", "maybe",
    "1", "0", "2", "2.0", "2.5", "-1", "1e400", "nan", "inf", "-0.0", "3+", "4+", "cN0", "female", "male", "post",
    "pre", "pregnant", "third_gen", "x" * 250, "a\x00b", "2026-01-05", "2026-02-30", "1900-01-01", "12345678901234567890123",
    '["asthma"]', '["radioisotope", "radioisotope"]', '["taxane"]', "[]", "[{", '["a", NaN]', "{}",
    '[{"node": 1, "size_mm": 1.2, "method": "he"}]', '[{"node": 9, "size_mm": 1.2, "method": "he"}]',
    '[{"node": 1, "node": 2, "method": "he"}]', '[{"node": 1, "size_mm": 1.2, "method": "osna"}]',
]
FLOATS = [None, 0.0, -0.0, 1.0, 2.0, 2.5, 3.0, 5.0, 10.0, 18.0, 30.0, 61.0, 100.0, 300.0, math.nan, math.inf,
          -math.inf, 1e308, -1.0]
INTS = [None, 0, 1, 2, 3, 4, 5, 10, 12, 25, 60, 101, -1, 2**62, -(2**62)]
BOOLS = [None, True, False]
DATES = [None, dt.date(2026, 1, 5), dt.date(1900, 1, 1), dt.date(2099, 12, 31)]
STAMPS = [None, dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 5, 12, 30), dt.datetime(2026, 1, 5, tzinfo=dt.UTC)]
#: Arrow type of a column -> the cells it may hold.
POOLS: dict[str, tuple[pa.DataType, list[Any]]] = {
    "text": (pa.string(), TEXT), "float": (pa.float64(), FLOATS), "int": (pa.int64(), INTS),
    "int16": (pa.int16(), [None, 0, 1, 2, 3, 5, 11, 100, -3]), "bool": (pa.bool_(), BOOLS),
    "date": (pa.date32(), DATES), "stamp": (pa.timestamp("us"), STAMPS[:3]),
    "stamp_tz": (pa.timestamp("us", tz="UTC"), [None, STAMPS[3]]),
}


def assert_batch_is_its_rows(batch: pa.RecordBatch) -> None:
    ids, parsed = cases_from_batch(batch)
    expected = row_by_row(batch.to_pylist())
    assert len(parsed) == len(expected)
    for row, (got, want) in enumerate(zip(parsed, expected, strict=True)):
        assert type(got) is type(want), (row, got, want)
        assert got == want, (row, got, want)
        if not isinstance(want, list):  # the same fields given (validation leaves out the ones not given)
            assert got.model_dump_json() == want.model_dump_json()
            assert got.model_fields_set == want.model_fields_set
    assert ids == [raw_id(row) for row in batch.to_pylist()]


@st.composite
def batches(draw: st.DrawFn) -> pa.RecordBatch:
    names = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=14, unique=True))
    kinds = [draw(st.sampled_from(sorted(POOLS))) for _ in names]
    pools = [POOLS[k][1] for k in kinds]
    prototypes = draw(st.lists(st.tuples(*(st.sampled_from(p) for p in pools)), min_size=1, max_size=4))
    picks = draw(st.lists(st.tuples(st.integers(0, len(prototypes) - 1),
                                    st.none() | st.tuples(st.integers(0, len(names) - 1), st.integers(0, 99))),
                          min_size=1, max_size=40))
    rows: list[list[Any]] = []
    for index, change in picks:
        row = list(prototypes[index])
        if change is not None:  # one cell of the prototype changed
            column, choice = change
            row[column] = pools[column][choice % len(pools[column])]
        rows.append(row)
    arrays = [pa.array([r[c] for r in rows], type=POOLS[k][0]) for c, k in enumerate(kinds)]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _batch(**columns: tuple[str, list[Any]]) -> pa.RecordBatch:
    """The rows given, three times over (nested models repeat: the memo is used)."""
    return pa.RecordBatch.from_arrays([pa.array(v * 3, type=POOLS[k][0]) for k, v in columns.values()],
                                      names=[n.replace("__", ".") for n in columns])


@settings(max_examples=400)
@given(batches())
@example(_batch(  # repeated valid nodes and counts next to the same nodes with contradicting counts
    nodes__procedure=("text", ["slnb", "slnb", "slnb", "none", "slnb"]),
    nodes__examined=("int16", [3, 3, 3, 3, 1]),
    nodes__macrometastatic=("int16", [0, 0, 0, 1, 0]),
    nodes__micrometastatic=("int16", [1, 1, 1, 0, 2]),
    nodes__itc=("int16", [0, 0, 0, 0, 0]),
    nodes__extranodal_extension=("bool", [None, None, True, None, None])))
@example(_batch(  # counts with two or three problems each, repeated
    nodes__procedure=("text", ["slnb", "slnb", "slnb", None, "none"]),
    nodes__macrometastatic=("text", [None, None, "1.5", "1", "0"]),
    nodes__micrometastatic=("int", [1, 1, 2**62, 1, 1]),
    nodes__itc=("float", [None, None, math.nan, 0.0, -0.0]),
    nodes__extranodal_extension=("text", ["maybe", "maybe", "yes", None, "no"]), age=("float", [50.0, 12.0, 50, 50, 50])))
@example(_batch(  # many nodes (not kept across batches) next to few, repeated
    nodes__procedure=("text", ["alnd", "alnd", "slnb"]), nodes__examined=("int16", [100, 100, 3]),
    nodes__macrometastatic=("int16", [40, 40, 1]), nodes__micrometastatic=("int16", [11, 11, 0]),
    nodes__itc=("int16", [0, 0, 0])))
@example(_batch(  # -0.0 and 0.0 in one column, and 2 / 2.0 / "2" as text: never the same memo entry
    tumour__size_mm=("float", [0.0, -0.0, 0.0, -0.0]), tumour__in_situ_only=("bool", [True, True, True, True]),
    treatments__heart_dose_gy=("float", [-0.0, 0.0, -0.0, 0.0]), treatments__endocrine=("bool", [True] * 4)))
@example(_batch(treatments__endocrine_years=("text", ["5", "5.0", "5", "10", "x"]),
                treatments__endocrine=("text", ["no", "no", "yes", "0", "1"])))
def test_a_batch_gives_what_each_row_gives_alone(batch: pa.RecordBatch) -> None:
    assert_batch_is_its_rows(batch)


def test_a_registry_batch_with_invalid_rows_gives_what_each_row_gives_alone() -> None:
    """The synthetic registry (4 % invalid rows of four kinds), where the nested models are memoized."""
    table = synthetic_registry(1500, seed=99, invalid_fraction=0.04)
    batch = table.combine_chunks().to_batches()[0]
    memoized = [s.parent for s in _Batch.of_batch(batch).segments if s.found is not None and s.mode >= 3]
    assert {"nodes", "treatments", "surgery"} <= set(memoized)
    assert_batch_is_its_rows(batch)


def test_batches_of_the_same_columns_with_other_cell_types_are_told_apart() -> None:
    """Valid nested models are kept across the batches of a process: a later batch with the same columns
    but other Arrow types (1 where True was, 5.0 where 5 was) must still get its own result."""
    for first, second in (("bool", "int"), ("int", "bool"), ("int", "float"), ("float", "int"), ("bool", "float"),
                          ("float", "bool")):
        _FOUND.clear()  # the first batch's results must be what the second one meets
        for kind in (first, second):
            values = {"bool": [True, False, None], "int": [1, 0, None], "float": [1.0, 0.0, None]}[kind]
            assert_batch_is_its_rows(pa.RecordBatch.from_arrays(
                [pa.array(values * 3, type=POOLS[kind][0]), pa.array([5, 10, None] * 3, type=pa.int16())],
                names=["treatments.endocrine", "treatments.endocrine_years"]))
            assert_batch_is_its_rows(pa.RecordBatch.from_arrays(
                [pa.array([5, 10, None] * 3, type=pa.int16()), pa.array(values * 3, type=POOLS[kind][0])],
                names=["treatments.endocrine_years", "treatments.heart_dose_gy"]))


def test_a_deeper_dotted_column_goes_where_the_row_alone_puts_it() -> None:
    """``cases_from_batch`` takes the columns as they come (the CLI checks the names first, ``check_columns``):
    a column one level deeper than the case format, between the columns of its nested model, lands where
    the row alone (the frozen per-row code) puts it, so the case format rejects it by its path ("Unknown field names are rejected",
    docs/case-format.md) and the same row without that cell is a valid case. The rows repeat: the treatments
    beside them are memoized."""
    row = {"id": "a", "tumour.grade": 2, "tumour.size.mm": 12.0, "tumour.er_percent": 90,
           "treatments.endocrine": True}
    batch = pa.RecordBatch.from_pylist([row, {**row, "id": "b", "tumour.size.mm": None}] * 3)
    assert_batch_is_its_rows(batch)
    parsed = cases_from_batch(batch)[1]
    assert [p[0].field for p in parsed[::2] if isinstance(p, list)] == ["tumour.size"] * 3
    assert [(p.tumour.grade, p.tumour.er_percent) for p in parsed[1::2] if not isinstance(p, list)] == [(2, 90)] * 3
