"""Cells and files as SAS, Stata, R, pandas, Excel and SPSS write them: read as the case format's value, or an
error naming the column (or the file's line), never a silent misread (docs/cohort.md "Files from other tools").

The expectations come from the case format (/work/shared/contract/case-format.md, docs/case-format.md: the
values each column takes) and from the owner's decisions recorded in docs/cohort.md "Input": a code is the same
code in any case of its ASCII letters and nothing else is matched; a CSV cell and a Parquet text cell mean
unknown by the same list of spellings; a row whose id an earlier row has is scored and flagged.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from micromets.cohort import engine
from micromets.cohort.cli import app
from micromets.cohort.columns import (
    MISSING_TEXT,
    CohortFormatError,
    case_from_row,
    cases_from_batch,
    enum_values,
)
from micromets.cohort.engine import CSV_NULLS, REPEATED_ID_WARNING, RepeatedIds, run_local
from micromets.errors import CaseValidationError, FieldProblem

runner = CliRunner()

#: A valid registry row (docs/cohort.md columns), CSV text: the prototype the tests change one cell of.
ROW: dict[str, str] = {
    "id": "r1", "age": "61", "sex": "female", "menopausal_status": "post", "tumour.size_mm": "14.5",
    "tumour.grade": "2", "tumour.er_percent": "90", "tumour.pr_percent": "40", "tumour.her2_ihc": "1+",
    "tumour.ki67_percent": "12", "tumour.lvi": "false", "clinical_nodes": "cN0", "metastasis": "cM0",
    "nodes.procedure": "slnb", "nodes.examined": "2", "nodes.macrometastatic": "0", "nodes.micrometastatic": "1",
    "nodes.itc": "0", "surgery.breast": "bcs", "surgery.status": "done", "surgery.date": "2024-03-01",
    "treatments.chemotherapy": "none",
}


def _outcome(row: dict[str, Any]) -> Any:
    """The row's case (as JSON) or its problems."""
    try:
        return case_from_row(row).model_dump_json()
    except CaseValidationError as exc:
        return exc.problems


def _problem(row: dict[str, Any]) -> FieldProblem:
    with pytest.raises(CaseValidationError) as caught:
        case_from_row(row)
    return caught.value.problems[0]


def _write_csv(path: Path, rows: list[list[str]], **options: Any) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, **options).writerows(rows)
    return path


def _scored(src: Path, tmp_path: Path, **options: Any) -> list[dict[str, Any]]:
    out = tmp_path / f"{src.stem}.out.parquet"
    run_local(src, out, workers=0, **options)
    return pq.read_table(out).to_pylist()


# ---- codes in another case ---------------------------------------------------------------------------------------
#: Every column of codes with every one of its values (the contract's lists, read from the case model).
CODES = sorted((column, value) for column, values in enum_values().items() for value in values.values())


def test_the_columns_of_codes_are_the_contracts() -> None:
    # case-format.md section 1 lists these values; a few spot checks that the model-derived table is that list.
    codes = enum_values()
    assert sorted(codes["nodes.procedure"].values()) == ["alnd", "none", "slnb", "slnb_then_alnd"]
    assert sorted(codes["metastasis"].values()) == ["cM0", "cM0(i+)", "cM1", "pM1"]
    assert sorted(codes["tumour.her2_ihc"].values()) == ["0", "1+", "2+", "3+", "ultralow"]
    assert "neoadjuvant_therapy.agents" in codes and "nodes.deposits.method" in codes
    assert "comorbidities" not in codes  # free text, never parsed (case-format.md)


def _with_code(column: str, text: str) -> dict[str, Any]:
    """ROW with ``column`` holding ``text`` (a list column: a JSON list of it; a deposit field: one deposit)."""
    row: dict[str, Any] = dict(ROW)
    if column == "nodes.deposits.method":
        for name in ("nodes.macrometastatic", "nodes.micrometastatic", "nodes.itc"):
            del row[name]
        row["nodes.deposits"] = json.dumps([{"node": 1, "size_mm": 1.0, "method": text}])
    elif column.startswith("nodes.deposits."):
        for name in ("nodes.macrometastatic", "nodes.micrometastatic", "nodes.itc"):
            del row[name]
        row["nodes.deposits"] = json.dumps([{"node": 1, "size_mm": 1.0, "method": "he", column.rsplit(".")[-1]: text}])
    elif column in ("neoadjuvant_therapy.agents", "nodes.tracers", "preferences.declined"):
        row[column] = json.dumps([text])
    else:
        row[column] = text
    return row


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CODES), st.data())
@example(("nodes.procedure", "slnb"), None)  # SLNB, Slnb: the owner's examples
@example(("clinical_nodes", "cN1mi"), None)
@example(("metastasis", "cM0(i+)"), None)
def test_a_code_in_another_case_reads_as_the_code(code: tuple[str, str], data: Any) -> None:
    column, value = code
    if data is None:
        spellings = [value.upper(), value.title()]
    else:  # each letter upper or lower case, at random
        flips = data.draw(st.lists(st.booleans(), min_size=len(value), max_size=len(value)))
        spellings = ["".join(c.upper() if f else c.lower() for c, f in zip(value, flips, strict=True))]
    for spelling in spellings:
        if spelling == "None":  # Python's missing value, refused (test_python_none_text_is_neither_none_nor_unknown)
            continue
        assert _outcome(_with_code(column, spelling)) == _outcome(_with_code(column, value)), (column, spelling)


def _not_a_code(column: str, text: str) -> bool:
    stripped = text.strip()
    return stripped not in MISSING_TEXT and not (stripped.isascii() and stripped.lower() in enum_values()[column])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(c for c in enum_values() if not c.startswith("nodes.deposits."))), st.data())
def test_any_other_text_in_a_column_of_codes_is_an_error_naming_the_column(column: str, data: Any) -> None:
    values = list(enum_values()[column].values())
    near = st.sampled_from(values).map(lambda v: v.replace("s", "\u017f").replace("k", "\u212a") + data.draw(
        st.sampled_from(["", "_", " x", "s"])))  # look-alikes: long s, Kelvin sign, a letter more
    text = data.draw((st.text(max_size=12) | near).filter(lambda t: _not_a_code(column, t)))
    problem = _problem(_with_code(column, text))
    assert problem.field.split("[")[0] == column, (text, problem)


@pytest.mark.parametrize(("text", "suggested"), [("slnbb", "slnb"), ("SNB", "slnb"), ("slnb then alnd", "slnb_then_alnd"),
                                                 ("Mastectomie", None)])
def test_a_code_not_matched_names_the_closest_value(text: str, suggested: str | None) -> None:
    column = "surgery.breast" if suggested is None else "nodes.procedure"
    message = _problem(_with_code(column, text)).message
    assert message.startswith("must be one of")
    if suggested is None:
        assert "mastectomy" in message  # in the list of values (close enough to be suggested, too)
    else:
        assert message.endswith(f"(did you mean {suggested!r}?)")


@pytest.mark.parametrize("cell", [1, 2.0, "1", "0"])
def test_a_labelled_number_in_a_column_of_codes_says_to_export_the_labels(cell: Any) -> None:
    # R haven, Stata and SPSS keep a coded column as numbers with value labels; the numbers mean nothing here.
    problem = _problem(dict(ROW, **{"nodes.procedure": cell}))
    assert problem.field == "nodes.procedure" and "export the codes' labels" in problem.message


@pytest.mark.parametrize("column", ["nodes.procedure", "surgery.breast", "treatments.chemotherapy",
                                    "tumour.t_extension"])
def test_python_none_text_is_neither_none_nor_unknown(column: str) -> None:
    # str(None) and pandas astype(str) write "None" for a missing value; "none" is a value of these columns.
    problem = _problem(_with_code(column, "None"))
    assert problem.field == column and "how Python and pandas write a missing value" in problem.message
    assert _outcome(_with_code(column, "NONE")) == _outcome(_with_code(column, "none"))
    assert problem.message.endswith("or write 'none' for the value none)")


def test_python_none_text_where_none_is_no_value_only_says_how_to_give_unknown() -> None:
    problem = _problem(_with_code("tumour.histology", "None"))
    assert problem.field == "tumour.histology" and problem.message.endswith("leave the cell empty when it is unknown)")


# ---- what a missing cell is ----------------------------------------------------------------------------------------
def test_the_csv_reader_and_the_cells_share_one_list_of_missing_spellings() -> None:
    assert list(MISSING_TEXT) == CSV_NULLS
    # None of them is a value of any column of codes (else a value would read as unknown).
    folded = {value.lower() for values in enum_values().values() for value in values}
    assert not folded & {text.lower() for text in MISSING_TEXT}


TEXT_COLUMNS = ["id", "tumour.grade", "tumour.size_mm", "tumour.her2_ihc", "tumour.lvi", "nodes.procedure",
                "nodes.examined", "nodes.macrometastatic", "nodes.micrometastatic", "nodes.itc",
                "neoadjuvant_therapy.agents", "surgery.date"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(TEXT_COLUMNS), st.sampled_from(MISSING_TEXT),
                          st.sampled_from(["", " ", "  "])), min_size=1, max_size=6))
def test_a_missing_spelling_in_a_parquet_text_column_is_unknown_as_in_csv(tmp_path: Path,
                                                                          cells: list[tuple[str, str, str]]) -> None:
    # pandas writes NaN as 'nan' with astype(str), and keeps 'NA' as text with read_csv(keep_default_na=False):
    # a Parquet text column holding them means what the same CSV cell means, and that is an empty cell.
    rows = [dict(ROW, id=f"r{i}") for i in range(3)]
    empty = [dict(r) for r in rows]
    for row_index, (column, spelling, pad) in enumerate(cells):
        rows[row_index % 3][column] = pad + spelling + pad
        empty[row_index % 3][column] = None
    names = list(ROW)
    texts = pa.table({n: pa.array([r[n] for r in rows], pa.string()) for n in names})
    nulls = pa.table({n: pa.array([r[n] for r in empty], pa.string()) for n in names})
    pq.write_table(texts, tmp_path / "texts.parquet")
    pq.write_table(nulls, tmp_path / "nulls.parquet")
    _write_csv(tmp_path / "texts.csv", [names, *([r[n] for n in names] for r in rows)])
    want = _scored(tmp_path / "nulls.parquet", tmp_path)
    assert _scored(tmp_path / "texts.parquet", tmp_path) == want
    assert _scored(tmp_path / "texts.csv", tmp_path) == want


# ---- numbers and dates as other tools write them --------------------------------------------------------------------
@pytest.mark.parametrize("column", ["tumour.er_percent", "tumour.pr_percent", "tumour.ki67_percent"])
@pytest.mark.parametrize("text", ["85%", "85 %", " 85% "])
def test_a_percentage_with_its_sign_is_the_number(column: str, text: str) -> None:
    # Excel's percent format saved as CSV writes the cell 0.85 as "85%": 85 per cent.
    assert _outcome(_with_code(column, text)) == _outcome(_with_code(column, "85"))


@pytest.mark.parametrize(("column", "text"), [("tumour.size_mm", "14%"), ("tumour.er_percent", "85%%"),
                                              ("tumour.er_percent", "%"), ("tumour.er_percent", "0,85%")])
def test_a_percent_sign_elsewhere_is_an_error_naming_the_column(column: str, text: str) -> None:
    problem = _problem(_with_code(column, text))
    assert problem.field == column and problem.message.startswith("must be a number")


@pytest.mark.parametrize("text", ["1,5", "14,5", "1,500"])
def test_a_decimal_comma_is_an_error_saying_what_it_may_be(text: str) -> None:
    problem = _problem(_with_code("tumour.size_mm", text))
    assert problem.field == "tumour.size_mm" and "a decimal comma or a thousands separator?" in problem.message


@settings(max_examples=200)
@given(st.integers(-30_000, 3_000_000) | st.floats(-1e6, 1e8, allow_nan=False))
@example(23_436)  # 2024-03-01 as SAS/Stata days from 1960-01-01
@example(45_352)  # 2024-03-01 as an Excel serial (days from 1899-12-30)
@example(19_783)  # 2024-03-01 as R/pandas days from 1970-01-01
@example(20_240_301)  # YYYYMMDD as a number
def test_a_date_written_as_a_number_is_never_read_as_a_day(number: int | float) -> None:
    # The origin (SAS/Stata 1960-01-01, Excel 1899-12-30, R 1970-01-01) is not in the file: refused with a hint.
    for cell in (number, str(number)):
        problem = _problem(dict(ROW, **{"surgery.date": cell}))
        assert problem.field == "surgery.date" and problem.message.startswith("must be a date"), problem
        assert "not read as a date" in problem.message


@pytest.mark.parametrize(("column", "text"), [("tumour.size_mm", ".a"), ("tumour.grade", ".z"), ("age", "._"),
                                              ("tumour.lvi", ".b")])
def test_stata_and_sas_special_missing_values_are_refused_saying_how_to_give_unknown(column: str, text: str) -> None:
    # Stata (.a-.z) and SAS (.A-.Z, ._) keep the reason a value is missing; "." alone is in the list of unknowns.
    problem = _problem(dict(ROW, **{column: text}))
    assert problem.field == column and "leave the cell empty" in problem.message


@pytest.mark.parametrize("text", ["01/03/2024", "1/3/2024", "01.03.2024", "01-03-24", "03/01/2024"])
def test_a_day_month_year_date_is_refused_as_ambiguous(text: str) -> None:
    problem = _problem(dict(ROW, **{"surgery.date": text}))
    assert problem.field == "surgery.date" and "the order of day and month is not in the cell" in problem.message


def test_a_parquet_date_column_written_as_days_is_refused_with_the_hint(tmp_path: Path) -> None:
    # A SAS export without a date format, read by pyreadstat/pandas, keeps the days as a float column.
    table = pa.table({"id": ["a", "b"], "surgery.breast": ["bcs", "bcs"], "surgery.status": ["done", "done"],
                      "surgery.date": pa.array([23_436.0, None])})
    pq.write_table(table, tmp_path / "sas.parquet")
    out = _scored(tmp_path / "sas.parquet", tmp_path)
    assert out[0]["error_field"] == "surgery.date" and "SAS and Stata count days from 1960-01-01" in out[0]["error_message"]
    assert out[1]["error_field"] is None


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("YES", True), ("1", True), ("No", False), ("0", False)])
def test_yes_no_spellings_read(text: str, value: bool) -> None:
    case = case_from_row(dict(ROW, **{"tumour.lvi": text}))
    assert case.tumour is not None and case.tumour.lvi is value


@pytest.mark.parametrize("text", ["Y", "N", "y", "T", "F", "ja"])
def test_other_yes_no_letters_are_an_error_naming_the_column(text: str) -> None:
    # docs/cohort.md: true/false, 1/0, yes/no (any case); a single letter is refused, not guessed.
    problem = _problem(dict(ROW, **{"tumour.lvi": text}))
    assert problem.field == "tumour.lvi" and problem.message.startswith("must be true or false")


# ---- pandas' own column types ---------------------------------------------------------------------------------------
def test_pandas_nullable_and_category_columns_read_as_the_plain_types(tmp_path: Path) -> None:
    import pandas as pd

    plain = pa.table({
        "id": ["a", "b", "c"], "tumour.grade": pa.array([2, None, 3], pa.int64()),
        "tumour.lvi": pa.array([True, None, False]), "nodes.procedure": ["slnb", None, "none"],
        "tumour.her2_ihc": ["1+", "3+", None], "tumour.size_mm": pa.array([14.5, None, 30.0]),
        "nodes.examined": pa.array([2, None, None], pa.int64()), "nodes.macrometastatic": pa.array([0, None, None]),
        "nodes.micrometastatic": pa.array([1, None, None]), "nodes.itc": pa.array([0, None, None])})
    pq.write_table(plain, tmp_path / "plain.parquet")
    frame = pd.DataFrame({
        "id": pd.Series(["a", "b", "c"], dtype="string[pyarrow]"),
        "tumour.grade": pd.Series([2, None, 3], dtype="Int64"),
        "tumour.lvi": pd.Series([True, None, False], dtype="boolean"),
        "nodes.procedure": pd.Series(["SLNB", None, "None"], dtype="category"),
        "tumour.her2_ihc": pd.Series(["1+", "3+", None], dtype="string[python]"),
        "tumour.size_mm": pd.Series([14.5, None, 30.0], dtype="Float64"),
        "nodes.examined": pd.Series([2, None, None], dtype="Int16"),
        "nodes.macrometastatic": pd.Series([0, None, None], dtype="Int8"),
        "nodes.micrometastatic": pd.Series([1, None, None], dtype="UInt8"),
        "nodes.itc": pd.Series([0, None, None], dtype="Int64")})
    frame.to_parquet(tmp_path / "pandas.parquet", index=False)
    want = _scored(tmp_path / "plain.parquet", tmp_path)
    got = _scored(tmp_path / "pandas.parquet", tmp_path)
    assert got[:2] == want[:2]  # SLNB in a category column is slnb
    assert [r["error_field"] for r in want] == [None, None, None]
    assert got[2]["error_field"] == "nodes.procedure"  # "None" is refused, as in a text column


# ---- text that is not UTF-8 -------------------------------------------------------------------------------------------
def test_a_latin1_file_is_refused_with_the_line_of_its_first_such_byte(tmp_path: Path) -> None:
    # Excel's "CSV (Comma delimited)" on Windows writes Windows-1252: 'Müller' is 4D FC 6C 6C 65 72, not UTF-8.
    lines = ["id,comorbidities,age"] + [f'r{i},"[""asthma""]",60' for i in range(30_000)]
    src = tmp_path / "latin1.csv"
    src.write_bytes(("\n".join(lines) + '\nr9,"[""Müller""]",61\n').encode("latin-1"))
    with pytest.raises(CohortFormatError, match=r"is not UTF-8 text: line 30002 \(byte \d+\) holds byte 0xfc"):
        _scored(src, tmp_path)
    r = runner.invoke(app, [str(src), "-o", str(tmp_path / "o.parquet"), "--workers", "0"])
    assert r.exit_code == 2 and "line 30002" in r.output and not (tmp_path / "o.parquet").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_characters='",'),
                        max_size=8), min_size=1, max_size=30),
       st.integers(0, 10_000), st.sampled_from([b"\xe9", b"\xff", b"\x80", b"\xc3("]), st.integers(2, 9))
def test_the_first_byte_that_is_not_utf8_is_placed_exactly(tmp_path: Path, cells: list[str], where: int, bad: bytes,
                                                          block: int) -> None:
    # Multi-byte characters cut by the reader's blocks are UTF-8 all the same: only the bad byte is named.
    good = ("id,comorbidities\n" + "".join(f"r{i},{c}\n" for i, c in enumerate(cells))).encode("utf-8")
    starts = [i for i in range(len(good) + 1) if i == len(good) or (good[i] & 0xC0) != 0x80]  # character boundaries
    at = starts[where % len(starts)]
    data = good[:at] + bad + good[at:]
    src = tmp_path / "bad.csv"
    src.write_bytes(data)
    original = engine.CSV_BLOCK_BYTES
    engine.CSV_BLOCK_BYTES = block
    try:
        error = engine._not_utf8(src)
    finally:
        engine.CSV_BLOCK_BYTES = original
    found = re.search(r"line (\d+) \(byte (\d+)\)", str(error))
    assert found is not None, str(error)
    assert (int(found[1]), int(found[2])) == (data[:at].count(b"\n") + 1, at)


# ---- ids on several rows ----------------------------------------------------------------------------------------------
@settings(max_examples=300)
@given(st.lists(st.lists(st.none() | st.sampled_from(["a", "b", "A", "c", "é", "7", "a "]), max_size=12), max_size=8))
def test_each_row_whose_id_an_earlier_row_has_is_flagged(batches: list[list[str | None]]) -> None:
    seen = RepeatedIds()
    earlier: set[str] = set()
    for ids in batches:
        want = []
        for row, value in enumerate(ids):
            if value is not None and value in earlier:
                want.append(row)
            elif value is not None:
                earlier.add(value)
        assert seen.rows(ids) == want
    assert seen.repeated == sum(len([v for v in ids if v is not None]) for ids in batches) - len(earlier)


def test_the_digests_stay_sorted_and_distinct_across_many_merges() -> None:
    seen = RepeatedIds()
    for start in range(0, 50_000, 997):  # batches of odd sizes: levels of unequal lengths merge
        assert seen.rows([f"p{i}" for i in range(start, start + 997)]) == []
    held = [int(v) for level in seen._levels for v in level]
    assert len(held) == len(set(held)) == 51 * 997  # 51 batches, every id once
    assert all((level[1:] > level[:-1]).all() for level in seen._levels)
    assert seen.rows(["p0", "p49999", "new"]) == [0, 1]


def test_repeated_ids_are_scored_and_flagged_in_the_warnings(tmp_path: Path) -> None:
    names = list(ROW)
    rows = [dict(ROW, id=i) for i in ["p1", "p2", "p1", "NA", "NA", "p2", "p3"]]
    rows[5]["tumour.grade"] = "9"  # an invalid row whose id repeats is flagged too
    src = _write_csv(tmp_path / "repeated.csv", [names, *([r[n] for n in names] for r in rows)])
    unique = _write_csv(tmp_path / "unique.csv", [names, *([r[n] if n != "id" else f"u{i}" for n in names]
                                                          for i, r in enumerate(rows))])
    out, plain = _scored(src, tmp_path, batch_size=2), _scored(unique, tmp_path, batch_size=2)
    flagged = [REPEATED_ID_WARNING in json.loads(r["warnings"] or "[]") for r in out]
    assert flagged == [False, False, True, False, False, True, False]  # NA is no id (docs/cohort.md)
    for got, want in zip(out, plain, strict=True):  # the scores are the row's own
        assert {k: v for k, v in got.items() if k not in ("id", "warnings")} == \
            {k: v for k, v in want.items() if k not in ("id", "warnings")}
    assert json.loads(out[2]["warnings"])[:-1] == json.loads(plain[2]["warnings"])
    r = runner.invoke(app, [str(src), "-o", str(tmp_path / "o.parquet"), "--workers", "0", "--batch-size", "2"])
    assert "2 row(s) repeat the id of an earlier row" in r.output


def test_ids_read_from_numbers_and_text_are_one_id(tmp_path: Path) -> None:
    table = pa.table({"id": pa.array([7.0, 8.0, 7.0]), "age": [60.0, 61.0, 62.0]})
    pq.write_table(table, tmp_path / "numbers.parquet")
    out = _scored(tmp_path / "numbers.parquet", tmp_path)
    assert [r["id"] for r in out] == ["7", "8", "7"]
    assert [REPEATED_ID_WARNING in json.loads(r["warnings"]) for r in out] == [False, False, True]


def test_a_batch_of_text_ids_holding_missing_spellings_has_no_id_there() -> None:
    ids, _ = cases_from_batch(pa.RecordBatch.from_pylist([{"id": "NA", "age": 60.0}, {"id": " nan ", "age": 60.0},
                                                          {"id": "x", "age": 60.0}]))
    assert ids == [None, None, "x"]  # as the CSV reader gives null for these cells (CSV_NULLS)


# ---- percentages written as fractions or flags ------------------------------------------------------------------------
@pytest.mark.parametrize(("values", "noted"), [
    ([0.85, 0.1, None, 0.0], True),  # Excel percent format read by pandas: 0.85 for 85 %
    ([1.0, 0.0, 1.0, None], True),  # ER status 0/1 in the percentage column
    ([0.0, 0.0, None, 0.0], False),  # all 0 %: a valid (triple-negative) file, nothing to say
    ([0.5, 0.2, 0.9, 90.0], False),  # the last batch has 90: per cent
    ([None, None, None, None], False),
])
def test_a_percentage_column_of_fractions_or_flags_is_noted(tmp_path: Path, values: list[float | None],
                                                           noted: bool) -> None:
    # 0.85 in tumour.er_percent is a valid 0.85 % (ER negative, ASCO/CAP < 1 %): no row can be refused, the file
    # as a whole shows it. Batches of 1 row: the note is over the whole file, not a batch.
    table = pa.table({"id": [f"r{i}" for i in range(4)], "tumour.er_percent": pa.array(values, pa.float64())})
    pq.write_table(table, tmp_path / "fractions.parquet")
    summary = run_local(tmp_path / "fractions.parquet", tmp_path / "o.parquet", workers=0, batch_size=1)
    assert summary.fraction_columns == (("tumour.er_percent",) if noted else ())
    csv_values = ["" if v is None else str(v) for v in values]
    src = _write_csv(tmp_path / "fractions.csv", [["id", "tumour.er_percent"], *([f"r{i}", v] for i, v in
                                                                                   enumerate(csv_values))])
    r = runner.invoke(app, [str(src), "-o", str(tmp_path / "o.parquet"), "--workers", "0"])
    assert ("hold only numbers from 0 to 1" in r.output) is noted, r.output


def test_percent_text_that_is_not_a_number_leaves_the_column_to_its_rows(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "signs.csv", [["id", "tumour.er_percent"], ["a", "0.5"], ["b", "85%"]])
    assert run_local(src, tmp_path / "o.parquet", workers=0).fraction_columns == ()


# ---- whole files ------------------------------------------------------------------------------------------------------
#: ROW as another tool writes it: codes in capitals, a percentage with its sign, Excel's TRUE/FALSE.
SHOUTED = dict(ROW, **{"sex": "Female", "menopausal_status": "POST", "tumour.her2_ihc": "1+", "tumour.er_percent": "90%",
                       "tumour.lvi": "FALSE", "clinical_nodes": "CN0", "metastasis": "CM0", "nodes.procedure": "SLNB",
                       "surgery.breast": "BCS", "surgery.status": "Done", "treatments.chemotherapy": "None"})


def test_an_excel_csv_of_capitals_reads_as_the_plain_file(tmp_path: Path) -> None:
    # Excel "CSV UTF-8": a byte order mark, CRLF line ends; R write.csv quotes every field; "None" is refused.
    names = list(ROW)
    plain = _write_csv(tmp_path / "plain.csv", [names, [ROW[n] for n in names]])
    excel = _write_csv(tmp_path / "excel.csv", [names, [SHOUTED[n] for n in names]], lineterminator="\r\n",
                       quoting=csv.QUOTE_ALL)
    excel.write_bytes(b"\xef\xbb\xbf" + excel.read_bytes())
    got, want = _scored(excel, tmp_path), _scored(plain, tmp_path)
    assert got[0]["error_field"] == "treatments.chemotherapy"  # "None": Python's missing value or the value none?
    fixed = _write_csv(tmp_path / "fixed.csv", [names, [SHOUTED[n] if n != "treatments.chemotherapy" else "NONE"
                                                        for n in names]], lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    assert _scored(fixed, tmp_path) == want and want[0]["error_field"] is None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([c for c in CODES if c[0] in ROW and c[1] != "none"]), min_size=1, max_size=4),
       st.randoms(use_true_random=False))
def test_a_parquet_file_of_codes_in_any_case_scores_as_the_contract_spelling(tmp_path: Path,
                                                                             codes: list[tuple[str, str]],
                                                                             random: Any) -> None:
    # The batch path (text columns cleaned once per distinct value, dictionary columns cell by cell) reads a code in
    # another case as the code, as the row path does.
    rows = [dict(ROW, id=f"r{i}") for i in range(len(codes))]
    shouted = [dict(r) for r in rows]
    for i, (column, value) in enumerate(codes):
        rows[i][column] = value
        shouted[i][column] = "".join(c.upper() if random.random() < 0.5 else c.lower() for c in value)
    for name, table_rows in (("plain", rows), ("shouted", shouted)):
        table = pa.table({n: [r[n] for r in table_rows] for n in ROW})
        if name == "shouted":  # one code column as a dictionary (pandas category)
            table = table.set_column(table.schema.get_field_index("nodes.procedure"), "nodes.procedure",
                                     table.column("nodes.procedure").dictionary_encode())
        pq.write_table(table, tmp_path / f"{name}.parquet")
    assert _scored(tmp_path / "shouted.parquet", tmp_path) == _scored(tmp_path / "plain.parquet", tmp_path)
