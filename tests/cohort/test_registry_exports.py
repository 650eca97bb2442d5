"""Registry files as other tools write them: read right, or refused with a message naming the column or the file.

Each input below is what a common tool writes for a registry export (the tool's own documented behaviour is
named in the test); the expectation is the case format's meaning of the value (docs/case-format.md,
docs/cohort.md "Input"): a value written differently by another tool reads as the same case, and a value
that is not in the case format (a registry code, a locale's number) is an error, never a guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from micromets.cohort.cli import app
from micromets.cohort.columns import CohortFormatError, case_from_row, check_columns
from micromets.cohort.engine import open_batches, run_local

runner = CliRunner()

HEADER = ["id", "age", "tumour.size_mm", "tumour.grade", "tumour.er_percent", "tumour.her2_ihc", "tumour.lvi",
          "nodes.procedure", "nodes.examined", "nodes.macrometastatic", "nodes.micrometastatic", "nodes.itc",
          "surgery.breast", "surgery.status", "surgery.date"]
ROWS = [["r1", "61", "14.5", "2", "90", "1+", "false", "slnb", "2", "0", "1", "0", "bcs", "done", "2024-03-01"],
        ["r2", "55", "22", "3", "0", "3+", "true", "slnb", "3", "1", "0", "0", "mastectomy", "done", "2024-04-11"]]


def _write_csv(path: Path, rows: list[list[str]], **options: Any) -> Path:
    with path.open("w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        csv.writer(handle, **options).writerows(rows)
    return path


def _scored(src: Path, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / f"{src.stem}.out.parquet"
    run_local(src, out, workers=0)
    return pq.read_table(out).to_pylist()


def _row(**cells: Any) -> dict[str, Any]:
    """One row of HEADER/ROWS[0] with some cells replaced (column name with '.' written as '__')."""
    row: dict[str, Any] = dict(zip(HEADER, ROWS[0], strict=True))
    row.update({name.replace("__", "."): value for name, value in cells.items()})
    return row


# ---- the file --------------------------------------------------------------------------------------------------
def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    # Excel's "CSV UTF-8 (Comma delimited)" starts the file with the byte order mark EF BB BF.
    plain = _write_csv(tmp_path / "plain.csv", [HEADER, *ROWS])
    marked = tmp_path / "marked.csv"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    assert open_batches(marked, 10)[0] == HEADER
    assert _scored(marked, tmp_path) == _scored(plain, tmp_path)


def test_crlf_line_ends_quoted_fields_and_a_trailing_empty_line_read_as_the_plain_file(tmp_path: Path) -> None:
    # Excel and Windows tools end lines with CRLF; R's write.csv quotes every text field.
    plain = _scored(_write_csv(tmp_path / "plain.csv", [HEADER, *ROWS]), tmp_path)
    crlf = _write_csv(tmp_path / "crlf.csv", [HEADER, *ROWS], lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    crlf.write_bytes(crlf.read_bytes() + b"\r\n")
    assert _scored(crlf, tmp_path) == plain
    assert [r["error_field"] for r in plain] == [None, None]


def test_a_line_break_inside_a_quoted_cell_is_part_of_the_cell(tmp_path: Path) -> None:
    # RFC 4180 section 2.6: fields with line breaks are enclosed in double quotes (Excel writes Alt+Enter so).
    # A file of several of the reader's blocks (~11 MB), with ten line breaks inside a cell for one at the end
    # of a row, so that blocks end inside quoted cells.
    rows = [["id", "tumour.histology", "comorbidities"]]
    rows += [[f"r{i}", "ductal", '["asthma,' + "\n" * 10 + 'mild"]'] for i in range(200_000)]
    names, batches = open_batches(_write_csv(tmp_path / "multiline.csv", rows), 1_000)
    cells = [(row["id"], row["comorbidities"]) for batch in batches for row in batch.to_pylist()]
    assert names == rows[0] and cells == [(r[0], r[2]) for r in rows[1:]]


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_is_refused_as_a_whole(tmp_path: Path, separator: str,
                                                                       word: str) -> None:
    # Excel in a decimal-comma locale and R's write.csv2 separate by ';' and write 14,5 for 14.5.
    rows = [HEADER, [c.replace(".", ",") for c in ROWS[0]]]
    src = _write_csv(tmp_path / "sep.csv", rows, delimiter=separator)
    with pytest.raises(CohortFormatError, match=f"separated by {word}"):
        open_batches(src, 10)


def test_a_decimal_comma_in_a_comma_separated_file_is_an_error_naming_the_column(tmp_path: Path) -> None:
    out = _scored(_write_csv(tmp_path / "comma.csv", [HEADER, [c if c != "14.5" else "14,5" for c in ROWS[0]]]),
                  tmp_path)
    # 14,5 is 14.5 in a decimal-comma locale, 1,500 is 1500 in English: which one is not in the cell.
    assert out[0]["error_field"] == "tumour.size_mm"
    assert out[0]["error_message"].startswith("must be a number; got '14,5' (a decimal comma or a thousands separator?")


@pytest.mark.parametrize("line_end", ["", "\n", "\r\n\r\n"])
def test_a_header_alone_is_a_registry_of_no_rows(tmp_path: Path, line_end: str) -> None:
    src = tmp_path / "header.csv"
    src.write_text(",".join(HEADER) + line_end, encoding="utf-8")
    out = tmp_path / "o.parquet"
    summary = run_local(src, out, workers=0)
    assert summary.rows == 0 and pq.read_table(out).num_rows == 0
    r = runner.invoke(app, [str(src), "-o", str(out), "--workers", "0"])
    assert r.exit_code == 0 and "has no rows" in r.output


def test_an_empty_csv_file_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "empty.csv"
    src.write_text("", encoding="utf-8")
    with pytest.raises(CohortFormatError, match="empty CSV file"):
        open_batches(src, 10)


def test_nested_struct_columns_are_refused_with_the_flat_names(tmp_path: Path) -> None:
    # Spark and pyarrow write a struct column when the frame is nested (tumour: struct<size_mm, grade>).
    src = tmp_path / "nested.parquet"
    pq.write_table(pa.table({"id": ["a"], "tumour": pa.array([{"size_mm": 14.0, "grade": 2}])}), src)
    with pytest.raises(CohortFormatError, match=r"'tumour' is a nested struct \(tumour.size_mm, tumour.grade\)"):
        open_batches(src, 10)


# ---- column names ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "suggestion"), [("TUMOUR.GRADE", "tumour.grade"), (" age", "age"),
                                                  ("Nodes.ITC", "nodes.itc"), ("`tumour.size_mm`", "tumour.size_mm")])
def test_a_column_name_in_another_case_or_with_spaces_is_refused_with_its_spelling(name: str,
                                                                                  suggestion: str) -> None:
    with pytest.raises(CohortFormatError, match=f"did you mean '{suggestion}'"):
        check_columns(["id", name])


@pytest.mark.parametrize("name", ["", "__index_level_0__", "Unnamed: 0"])
def test_a_row_index_written_with_the_data_is_named_as_such(name: str) -> None:
    # pandas to_csv writes its index as a first column without a name unless index=False (R's write.csv
    # likewise unless row.names = FALSE); to_parquet names an unnamed index __index_level_0__.
    with pytest.raises(CohortFormatError, match="column 1 .*row index written with the data"):
        check_columns([name, "age"])


def test_a_column_without_a_name_after_the_first_is_named_by_its_position() -> None:
    with pytest.raises(CohortFormatError, match="column 3 has no name"):
        check_columns(["id", "age", ""])


# ---- cells -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "."])
def test_missing_value_spellings_of_common_tools_are_unknown(tmp_path: Path, spelling: str) -> None:
    # R writes NA, pandas NaN (to_csv(na_rep="NaN")) or nan (astype(str)), SQL NULL, SAS and Stata '.'.
    rows = [HEADER, [spelling if c in ("2", "1+") and i in (3, 5) else c for i, c in enumerate(ROWS[0])]]
    out = _scored(_write_csv(tmp_path / "missing.csv", rows), tmp_path)[0]
    unknown = _scored(_write_csv(tmp_path / "empty_cells.csv", [HEADER, [
        "" if i in (3, 5) else c for i, c in enumerate(ROWS[0])]]), tmp_path)[0]
    assert out == unknown and out["error_field"] is None


def test_none_is_not_unknown_where_none_is_a_value(tmp_path: Path) -> None:
    # 'none' is a value of nodes.procedure (no axillary operation): 'None' must not read as unknown (nor as none).
    rows = [["id", "nodes.procedure"], ["a", "None"], ["b", "none"]]
    out = _scored(_write_csv(tmp_path / "none.csv", rows), tmp_path)
    assert out[0]["error_field"] == "nodes.procedure" and out[1]["error_field"] is None


@pytest.mark.parametrize(("column", "code"), [("tumour__grade", "9"), ("tumour__grade", "99"),
                                              ("tumour__size_mm", "999"), ("tumour__her2_ihc", "Unknown"),
                                              ("tumour__lvi", "9"), ("nodes__itc", "999")])
def test_a_registry_unknown_code_is_an_error_saying_how_to_give_unknown(column: str, code: str) -> None:
    # SEER and NAACCR code an unknown grade 9 and an unknown size 999: values outside the case format, refused.
    from micromets.errors import CaseValidationError

    with pytest.raises(CaseValidationError) as caught:
        case_from_row(_row(**{column: code}))
    problem = caught.value.problems[0]
    assert problem.field == column.replace("__", ".") and "leave the cell empty" in problem.message


@pytest.mark.parametrize("text", ["1_4", "\uff11\uff14", "\u0661\u0664"])
def test_number_text_python_reads_but_no_registry_tool_writes_is_refused(text: str) -> None:
    # float() reads digit-group underscores and non-ASCII digits (PEP 515; str.isdigit); CSV numbers are ASCII.
    from micromets.errors import CaseValidationError

    with pytest.raises(CaseValidationError, match="tumour.size_mm: must be a number"):
        case_from_row(_row(tumour__size_mm=text))


@pytest.mark.parametrize(("text", "value"), [("TRUE", True), ("FALSE", False), ("1.0", True), ("0.0", False)])
def test_yes_no_spellings_of_excel_and_pandas_are_read(text: str, value: bool) -> None:
    # Excel writes TRUE/FALSE; a pandas 0/1 column with gaps is float64 and to_csv writes 1.0/0.0.
    case = case_from_row(_row(tumour__lvi=text))
    assert case.tumour is not None and case.tumour.lvi is value


@pytest.mark.parametrize("text", ["2024-03-01 00:00:00", "2024-03-01T00:00:00", "2024-03-01T00:00:00.000+01:00",
                                  "2024-03-01T00:00:00Z"])
def test_a_date_written_as_a_midnight_timestamp_is_that_date(text: str) -> None:
    # DuckDB writes a TIMESTAMP to CSV as 'YYYY-MM-DD HH:MM:SS', Spark as ISO 8601 with the session's offset.
    case = case_from_row(_row(surgery__date=text))
    assert case.surgery is not None and case.surgery.date == dt.date(2024, 3, 1)


@pytest.mark.parametrize("text", ["2024-03-01 10:30:00", "2024-02-29T23:00:00Z", "01/03/2024", "2024-02-30 00:00:00"])
def test_a_time_of_day_or_a_locale_date_is_an_error_naming_the_column(text: str) -> None:
    from micromets.errors import CaseValidationError

    with pytest.raises(CaseValidationError, match="surgery.date: must be a date"):
        case_from_row(_row(surgery__date=text))


# ---- Parquet types ---------------------------------------------------------------------------------------------
def _parquet(tmp_path: Path, name: str, columns: dict[str, pa.Array]) -> Path:
    table = pa.table({"id": ["r1", "r2", "r3"], "tumour.er_percent": [90.0, 0.0, 80.0], "surgery.status": ["done"] * 3,
                      "surgery.breast": ["bcs"] * 3, **columns})
    pq.write_table(table, tmp_path / f"{name}.parquet")
    return tmp_path / f"{name}.parquet"


def test_decimal_columns_read_as_their_numbers(tmp_path: Path) -> None:
    # DuckDB and Spark write SQL DECIMAL/NUMERIC columns as Parquet decimals.
    floats = _parquet(tmp_path, "floats", {"tumour.size_mm": pa.array([14.5, 22.0, None]),
                                           "tumour.grade": pa.array([2, 3, None])})
    decimals = _parquet(tmp_path, "decimals", {
        "tumour.size_mm": pa.array([decimal.Decimal("14.5"), decimal.Decimal("22.0"), None], pa.decimal128(5, 1)),
        "tumour.grade": pa.array([decimal.Decimal("2"), decimal.Decimal("3"), None], pa.decimal128(3, 0))})
    out = _scored(decimals, tmp_path)
    assert out == _scored(floats, tmp_path)
    assert [r["t"] for r in out] == ["pT1c", "pT2", "pTX"]  # AJCC 8: T1c > 10-20 mm, T2 > 20-50 mm


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_a_timestamp_at_midnight_of_its_zone_is_that_date(tmp_path: Path, zone: str) -> None:
    # pandas writes tz-aware datetime64 and Spark its TimestampType as timestamps with a time zone.
    import pandas as pd

    stamps = pd.Series(pd.to_datetime(["2024-03-01", "2024-04-11", None])).dt.tz_localize(zone)
    dates = _parquet(tmp_path, "dates", {"surgery.date": pa.array([dt.date(2024, 3, 1), dt.date(2024, 4, 11), None])})
    zoned = _parquet(tmp_path, "zoned", {"surgery.date": pa.Array.from_pandas(stamps)})
    assert _scored(zoned, tmp_path) == _scored(dates, tmp_path)


def test_a_timestamp_with_a_time_of_day_is_an_error_naming_the_column(tmp_path: Path) -> None:
    # 23:00 UTC on 29 February is 1 March in Paris: which day it was is not in the file.
    stamps = pa.array([dt.datetime(2024, 2, 29, 23, tzinfo=dt.UTC), None, None], pa.timestamp("us", tz="UTC"))
    out = _scored(_parquet(tmp_path, "late", {"surgery.date": stamps}), tmp_path)
    assert out[0]["error_field"] == "surgery.date" and out[1]["error_field"] is None


def test_a_column_with_no_value_in_any_row_is_noted(tmp_path: Path) -> None:
    src = _parquet(tmp_path, "nulls", {"tumour.grade": pa.nulls(3), "tumour.size_mm": pa.array([None, None, None],
                                                                                                 pa.float64())})
    out = tmp_path / "o.parquet"
    assert run_local(src, out, workers=0).empty_columns == ("tumour.grade", "tumour.size_mm")
    r = runner.invoke(app, [str(src), "-o", str(out), "--workers", "0"])
    assert r.exit_code == 0 and "no row has a value in column(s) 'tumour.grade', 'tumour.size_mm'" in r.output


def test_the_dask_engine_writes_the_same_bytes_on_these_files(tmp_path: Path) -> None:
    from micromets.cohort.dask_engine import run_dask

    plain = _write_csv(tmp_path / "plain.csv", [HEADER, *ROWS, [c if c != "2" else "9" for c in ROWS[0]]])
    marked = tmp_path / "marked.csv"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes().replace(b"\n", b"\r\n"))
    decimals = _parquet(tmp_path, "decimals", {
        "tumour.size_mm": pa.array([decimal.Decimal("14.5"), None, None], pa.decimal128(5, 1)),
        "surgery.date": pa.array([dt.datetime(2024, 3, 1, tzinfo=dt.UTC), None, None], pa.timestamp("ms", tz="UTC"))})
    for src in (marked, decimals):
        run_local(src, tmp_path / "local.parquet", workers=0, batch_size=2)
        run_dask(src, tmp_path / "dask.parquet", scheduler="inprocess", batch_size=2)
        assert (tmp_path / "local.parquet").read_bytes() == (tmp_path / "dask.parquet").read_bytes()
