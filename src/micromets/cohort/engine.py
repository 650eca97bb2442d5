"""The per-batch scoring function and the local (process-pool) engine of ``micromets cohort``.

``score_batch`` turns one Arrow record batch of registry rows into one batch of flat results, in the
same order; the local and the Dask engine both map it over the input's batches and write the results
in input order, so their outputs are identical. Reading and writing stream: at most
``window`` batches are in flight, so memory is bounded by the batch size, not by the file size.

    >>> import pyarrow as pa
    >>> rows = pa.RecordBatch.from_pylist([{"id": "a", "age": 60, "tumour.grade": 4}])
    >>> out = score_batch(rows).to_pylist()[0]
    >>> out["id"], out["error_field"], out["error_message"]
    ('a', 'tumour.grade', 'must be at most 3; got 4')
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from micromets.assess import CaseValues, assess_values_many, micromets_version
from micromets.cohort.columns import MISSING_TEXT, CohortFormatError, cases_from_batch, check_columns
from micromets.errors import FieldProblem, UnknownVersionError
from micromets.knowledge import ruleset_version
from micromets.model import DECISION_VALUES, Case, Findings, Staging
from micromets.prognosis import LATEST_VERSION, available_versions
from micromets.prognosis.case_adapter import PrognosisFigures

__all__ = [
    "COHORT_FORMAT_VERSION",
    "REPEATED_ID_WARNING",
    "CohortSummary",
    "Mode",
    "RepeatedIds",
    "base_record",
    "error_record",
    "open_batches",
    "open_parquet",
    "output_schema",
    "run_local",
    "score_batch",
    "stream",
]

#: ``fast`` is a deprecated alias: there is one path, and it outputs everything (see docs/cohort.md).
Mode = Literal["exact", "fast"]
COHORT_FORMAT_VERSION = "2"
YEARS = (5, 10, 15)
#: PREDICT runs once per batch (per set of treatments). CPU per row is flat from 500 to 4,000 rows (it grew with
#: the batch while the collection pass after a batch scanned the live batch, docs/performance.md); memory grows
#: with the batch, so 1,000.
DEFAULT_BATCH_SIZE: dict[str, int] = {"exact": 1_000, "fast": 1_000}
#: CSV cells read as unknown: the missing-value spellings of R ("NA"), pandas ("NaN", "nan"), SQL ("NULL"), SAS and
#: Stata ("."), and "N/A"; the same text in a Parquet text column is unknown too (``columns.MISSING_TEXT``). Not
#: "None": "none" is a value of several columns, and registry codes (9, 99, "Unknown") are values, refused by the
#: validation (docs/cohort.md).
CSV_NULLS = list(MISSING_TEXT)
#: CSV is parsed in blocks of this size. pyarrow's streaming reader keeps ~40 blocks read ahead: 4 MiB blocks held
#: ~170 MiB of parsed text at any file size over ~0.2 GB (1 M rows), 1 MiB blocks ~43 MiB (flat from 1 M to 3 M rows,
#: docs/cohort.md). A row must fit in a block. Quoted cells may hold line breaks (Excel writes them).
CSV_BLOCK_BYTES = 1 << 20
#: Result batches are written in row groups of at least this many rows (whole batches). The footer holds
#: every row group's column metadata and statistics (~12 kB a row group here) and the writer keeps it until
#: the file is closed: a row group per 1,000-row batch would make ~0.1 GB of footer, in the parent's memory
#: too, at 10 M rows. The batches held meanwhile take ~1.2 kB a row (~25 MB).
ROW_GROUP_ROWS = 20_000

_STRING_COLUMNS = ("id", "error_field", "error_message", "errors", "t", "n", "m", "anatomic_stage",
                   "pathological_prognostic_stage", "clinical_prognostic_stage", "subtype")
_COUNT_COLUMNS = ("positive_nodes", "micrometastatic_nodes", "macrometastatic_nodes", "itc_nodes")
SURVIVAL_COLUMNS: tuple[str, ...] = tuple(
    f"{measure}_{arm}_{year}" for measure in ("os", "bcm") for arm in ("surgery", "treated") for year in YEARS
)
DECISION_COLUMNS: tuple[str, ...] = tuple(f"decision.{key}" for key in DECISION_VALUES)
#: The id of the rule that decided each decision key (the recommendation id, e.g. ``surgery.alnd.omit.micromets``).
RULE_COLUMNS: tuple[str, ...] = tuple(f"rule.{key}" for key in DECISION_VALUES)


@cache
def output_schema(mode: Mode = "exact", prognosis_version: str = LATEST_VERSION) -> pa.Schema:
    """The flat output columns (see docs/cohort.md), with the versions stamped in the metadata.

    ``mode`` is accepted for compatibility only: every run outputs every column. Built once per version
    (an Arrow schema is immutable), not once per batch.
    """
    fields = [pa.field(name, pa.string()) for name in _STRING_COLUMNS]
    fields += [pa.field(name, pa.int16()) for name in _COUNT_COLUMNS]
    fields += [pa.field(name, pa.float64()) for name in SURVIVAL_COLUMNS]
    fields += [pa.field("treatments_evaluated", pa.string()), pa.field("prognosis_version", pa.string())]
    fields += [pa.field(name, pa.string())
               for name in (*DECISION_COLUMNS, *RULE_COLUMNS, "missing_fields", "warnings")]
    metadata = {
        "micromets_version": micromets_version(),
        "ruleset_version": ruleset_version(),
        "prognosis_version_requested": prognosis_version,
        "micromets_cohort_mode": "default",
        "micromets_cohort_format": COHORT_FORMAT_VERSION,
    }
    return pa.schema(fields, metadata=metadata)


def error_record(row_id: str | None, problems: list[FieldProblem]) -> dict[str, Any]:
    """An invalid row: the first problem in two columns, every problem as JSON in ``errors``."""
    first = problems[0]
    return {"id": row_id, "error_field": first.field, "error_message": first.message,
            "errors": json.dumps([p.as_dict() for p in problems], ensure_ascii=False)}


def base_record(row_id: str | None, findings: Findings, staging: Staging) -> dict[str, Any]:
    """The columns filled from the findings and the stage (one row; the engine fills them column-wise)."""
    return {
        "id": row_id, "t": staging.t, "n": staging.n, "m": staging.m, "anatomic_stage": staging.anatomic_stage,
        "pathological_prognostic_stage": staging.pathological_prognostic_stage,
        "clinical_prognostic_stage": staging.clinical_prognostic_stage, "subtype": findings.subtype,
        "positive_nodes": findings.positive_nodes, "micrometastatic_nodes": findings.micrometastatic_nodes,
        "macrometastatic_nodes": findings.macrometastatic_nodes, "itc_nodes": findings.itc_nodes,
    }


def _internal(exc: Exception) -> list[FieldProblem]:
    return [FieldProblem("(internal)", f"{type(exc).__name__}: {exc}")]


def _assess_each(cases: list[Case], version: str) -> list[CaseValues | list[FieldProblem]]:
    """One case at a time, so that a case the pipeline fails on is one error record, not a failed batch."""
    out: list[CaseValues | list[FieldProblem]] = []
    for case in cases:
        try:
            out.append(assess_values_many([case], prognosis_version=version)[0])
        except Exception as exc:  # a bug must not stop a registry run; it is recorded and counted
            out.append(_internal(exc))
    return out


#: The decision keys in column order, and the empty values of the columns an invalid row leaves empty.
_DECISION_KEYS = tuple(DECISION_VALUES)
_NO_FINDINGS: tuple[None, ...] = (None,) * (len(_STRING_COLUMNS) - 4 + len(_COUNT_COLUMNS))
_NO_PROGNOSIS: tuple[None, ...] = (None,) * (len(SURVIVAL_COLUMNS) + 2)
_NO_ASSESSMENT: tuple[None, ...] = _NO_FINDINGS + _NO_PROGNOSIS + (None,) * (2 * len(DECISION_VALUES) + 2)


def _survival(p: PrognosisFigures) -> tuple[float | str | None, ...]:
    """The survival columns (measure, then arm, then year), then treatments evaluated and model version."""
    if p.years == YEARS:  # the figures are the columns, in their order
        values: Sequence[float | None] = p.figures
    else:  # other horizons: only those the output has columns for
        out: list[float | None] = [None] * len(SURVIVAL_COLUMNS)
        per_series = len(p.years)
        for column, start in zip(range(0, len(SURVIVAL_COLUMNS), len(YEARS)),
                                 range(0, len(p.figures), per_series), strict=True):
            for year, value in zip(p.years, p.figures[start : start + per_series], strict=True):
                if year in YEARS:
                    out[column + YEARS.index(year)] = value
        values = out
    return (*values, ",".join(p.treatments_evaluated), p.model_version)


class _Columns:
    """The output batch: one tuple per row in the schema's column order, filled from the cases' values and
    turned into Arrow once per column (no dict per row)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[tuple[Any, ...]] = [_EMPTY_ROW] * n
        # Rows repeat the same few lists of missing fields and warnings: each list is serialised once.
        self._json: dict[tuple[str, ...], str] = {}

    def _dumps(self, items: tuple[str, ...]) -> str:
        text = self._json.get(items)
        if text is None:
            text = json.dumps(list(items), ensure_ascii=False)
            self._json[items] = text
        return text

    def error(self, row: int, row_id: str | None, problems: list[FieldProblem]) -> None:
        record = error_record(row_id, problems)
        self.rows[row] = (record["id"], record["error_field"], record["error_message"], record["errors"],
                          *_NO_ASSESSMENT)

    def values(self, row: int, v: CaseValues) -> None:
        findings, staging, p = v.findings, v.staging, v.prognosis
        self.rows[row] = (
            v.id, None, None, None, staging.t, staging.n, staging.m, staging.anatomic_stage,
            staging.pathological_prognostic_stage, staging.clinical_prognostic_stage, findings.subtype,
            findings.positive_nodes, findings.micrometastatic_nodes, findings.macrometastatic_nodes,
            findings.itc_nodes,
            *(_NO_PROGNOSIS if p is None else _survival(p)),
            *map(v.decisions.get, _DECISION_KEYS), *map(v.rule_ids.get, _DECISION_KEYS),
            self._dumps(v.missing_fields), self._dumps(v.warnings),
        )

    def batch(self, schema: pa.Schema) -> pa.RecordBatch:
        columns = list(zip(*self.rows, strict=True)) if self.n else [()] * len(schema)
        arrays = [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)]
        return pa.RecordBatch.from_arrays(arrays, schema=schema)


#: A row not filled (every row is filled by an assessment or an error before the batch is made).
_EMPTY_ROW: tuple[None, ...] = (None,) * (4 + len(_NO_ASSESSMENT))


def score_batch(batch: pa.RecordBatch, mode: Mode = "exact", prognosis_version: str = LATEST_VERSION) -> pa.RecordBatch:
    """Score one batch of flat rows; one output row per input row, same order (pure, picklable).

    Every valid row goes through :func:`micromets.assess.assess_values_many` (the values of ``assess_many``
    without explanations; PREDICT once per batch); an invalid row becomes an error row. ``mode`` is accepted for compatibility and changes nothing.
    """
    with _batch_memory():
        # The batch's cases and assessments live in _score's frame: they are freed when it returns, before the
        # collection pass at the end of the batch, which then has only the survivors to scan.
        return _score(batch, output_schema(mode, prognosis_version), prognosis_version)


def _score(batch: pa.RecordBatch, schema: pa.Schema, prognosis_version: str) -> pa.RecordBatch:
    ids, parsed = cases_from_batch(batch)
    valid = [row for row, case in enumerate(parsed) if isinstance(case, Case)]
    cases = [case for case in parsed if isinstance(case, Case)]
    results: list[CaseValues | list[FieldProblem]]
    try:
        results = list(assess_values_many(cases, prognosis_version=prognosis_version))
    except Exception:  # find the failing case(s): the rest of the batch is scored as usual
        results = _assess_each(cases, prognosis_version)
    return _output(batch.num_rows, ids, parsed, valid, cases, results, schema)


@contextmanager
def _batch_memory() -> Iterator[None]:
    """No cyclic garbage collection while a batch is scored; one young-generation pass after it.

    A batch holds thousands of live objects (cases, findings, recommendations) until it is written; the
    collector, triggered every few hundred allocations, scanned them again and again and took ~17 % of a
    batch's CPU time (docs/performance.md). Objects are still freed by reference counting as
    they go; only reference cycles wait for the pass at the end, so memory stays bounded by the batch.
    Process-wide: a caller that had disabled the collector keeps it disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def _output(n: int, ids: list[str | None], parsed: list[Case | list[FieldProblem]], valid: list[int],
            cases: list[Case], results: list[CaseValues | list[FieldProblem]], schema: pa.Schema) -> pa.RecordBatch:
    columns = _Columns(n)
    for row, case, outcome in zip(valid, cases, results, strict=True):
        if isinstance(outcome, CaseValues):
            columns.values(row, outcome)
        else:
            columns.error(row, case.id, outcome)
    for row, parsed_row in enumerate(parsed):
        if not isinstance(parsed_row, Case):
            columns.error(row, ids[row], parsed_row)
    return columns.batch(schema)


# ---- reading -------------------------------------------------------------------------------------
def _rebatch(batches: Iterable[pa.RecordBatch], size: int) -> Iterator[pa.RecordBatch]:
    """Batches of exactly ``size`` rows (the last one shorter), whatever the reader's block sizes."""
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in batches:
        pending.append(batch)
        count += batch.num_rows
        while count >= size:
            table = pa.Table.from_batches(pending).combine_chunks()
            yield table.slice(0, size).to_batches(max_chunksize=size)[0]
            rest = table.slice(size)
            pending, count = rest.to_batches(), rest.num_rows
    if count:
        yield pa.Table.from_batches(pending).combine_chunks().to_batches(max_chunksize=count)[0]


def open_parquet(path: Path) -> pq.ParquetFile:
    """A Parquet file opened for a streamed read: memory bounded by a row group, not by the file.

    pyarrow pre-buffers by default: ``iter_batches`` then reads the file in coalesced ranges of up to 32 MiB
    and keeps every range cached until the reader is exhausted, so a streamed read held the whole file by
    its end (the cohort parent grew by the input's size, ~18 bytes a row, docs/performance.md).
    Pre-buffering pays off on high-latency object stores, not on the local files read here.
    """
    return pq.ParquetFile(path, pre_buffer=False)


def open_batches(path: Path, batch_size: int) -> tuple[list[str], Iterator[pa.RecordBatch]]:
    """Column names and a lazy iterator of record batches of ``path`` (``.parquet``/``.pq`` or ``.csv``).

    CSV columns are read as text (empty, ``NA``, ``null`` = unknown) and typed by the case validation, so a
    bad cell becomes an error record naming its column instead of failing the whole read.
    """
    path = Path(path)
    if not path.is_file():
        raise CohortFormatError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        parquet = open_parquet(path)
        _check_flat(path, parquet.schema_arrow)
        names = list(parquet.schema_arrow.names)
        return names, _rebatch(parquet.iter_batches(batch_size=batch_size), batch_size)
    if suffix == ".csv":
        try:
            names, has_rows = _csv_header(path)
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        if not has_rows:  # a header alone is a registry of no rows (pyarrow fails on one without a line end)
            return names, iter(())
        convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=True,
                                       null_values=CSV_NULLS, quoted_strings_can_be_null=True)
        with _utf8_named(path):
            reader = pacsv.open_csv(path, convert_options=convert,
                                    read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
                                    parse_options=pacsv.ParseOptions(newlines_in_values=True))
        return names, _rebatch(_utf8_checked(path, reader), batch_size)
    raise CohortFormatError(f"{path}: unsupported input format {suffix!r} (use .parquet or .csv)")


@contextmanager
def _utf8_named(path: Path) -> Iterator[None]:
    """pyarrow's "invalid UTF8 data" (which names neither line nor byte) as the file's error with its place."""
    try:
        yield
    except pa.ArrowInvalid as exc:
        if "invalid UTF8" in str(exc):
            raise _not_utf8(path) from None
        raise


def _utf8_checked(path: Path, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    with _utf8_named(path):
        yield from batches


def _not_utf8(path: Path) -> CohortFormatError:
    """The file is not UTF-8 text: where its first such byte is (line, byte offset), read again in blocks."""
    offset, line, pending = 0, 1, b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(CSV_BLOCK_BYTES)
            data = pending + block
            try:
                data.decode("utf-8")
                good, pending = len(data), b""
            except UnicodeDecodeError as exc:
                if not (block and exc.end == len(data) and exc.reason == "unexpected end of data"):
                    at = offset + exc.start
                    line += data[: exc.start].count(b"\n")
                    return CohortFormatError(
                        f"{path} is not UTF-8 text: line {line} (byte {at}) holds byte 0x{data[exc.start]:02x}, which "
                        "UTF-8 text does not (a file saved as Latin-1 or Windows-1252?): save the registry as UTF-8 "
                        "(Excel: CSV UTF-8; pandas: to_csv(encoding='utf-8'); R: write.csv(fileEncoding = 'UTF-8')) "
                        "or as Parquet")
                good, pending = exc.start, data[exc.start:]  # a character cut by the block's end
            if not block:
                return CohortFormatError(f"{path} is not UTF-8 text: save the registry as UTF-8 or as Parquet")
            line += data[:good].count(b"\n")
            offset += good


def _csv_header(path: Path) -> tuple[list[str], bool]:
    """The header's column names and whether a data row follows (blank lines are skipped, as pyarrow does).

    A UTF-8 byte order mark (Excel's "CSV UTF-8") is not part of the first name; pyarrow skips it too. A header
    of one name holding a semicolon or a tab is a file separated by them: refused as a whole, since such files
    (Excel in a decimal-comma locale, R's ``write.csv2``) also write decimal commas.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = csv.reader(handle)
        names = next(rows, [])
        if not names:
            raise CohortFormatError(f"{path}: empty CSV file (a header line is needed)")
        for separator, what in ((";", "semicolons"), ("\t", "tabs")):
            if len(names) == 1 and separator in names[0]:
                raise CohortFormatError(
                    f"{path}: the header is one column holding {what} ({names[0][:60]!r}...): the file is separated "
                    f"by {what}, and micromets reads comma-separated CSV with decimal points; save it as "
                    "comma-separated CSV (Excel: CSV UTF-8; R: write.csv, not write.csv2) or Parquet")
        try:
            return names, next((row for row in rows if row), None) is not None
        except csv.Error:  # a first row beyond the csv module's field limit: it is there, pyarrow reads it
            return names, True


def _check_flat(path: Path, schema: pa.Schema) -> None:
    """Nested struct columns are refused: the columns are the case fields' dotted paths, flat."""
    nested = [field.name for field in schema if pa.types.is_struct(field.type)]
    if nested:
        inside = ", ".join(f"{nested[0]}.{child.name}" for child in schema.field(nested[0]).type)
        raise CohortFormatError(
            f"{path}: column {nested[0]!r} is a nested struct ({inside}): "
            "write flat columns named by the dotted path (pyarrow: Table.flatten(); Spark: "
            "select(col('tumour.size_mm').alias('tumour.size_mm'), ...)), see docs/cohort.md")


# ---- running ---------------------------------------------------------------------------------------
class _Future(Protocol):
    def result(self) -> Any: ...


@dataclass(frozen=True)
class CohortSummary:
    """What a run did: rows read, rows that were invalid, seconds, and where the result is."""

    rows: int
    invalid: int
    seconds: float
    output: Path
    mode: str
    engine: str
    #: Input columns with no value in any row (every cell null): each is read as unknown throughout, which
    #: in a registry export usually means a column mapped from the wrong source field.
    empty_columns: tuple[str, ...] = ()
    #: Rows whose id is the id of an earlier row (each is scored, and flagged in its ``warnings``).
    repeated_ids: int = 0
    #: Percentage columns whose values all lie from 0 to 1, some above 0: fractions (0.85 for 85 %) or 0/1 flags
    #: written where per cent is meant? They are read as per cent (0.85 %), valid values, so only a note says so.
    fraction_columns: tuple[str, ...] = ()

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


def stream(
    batches: Iterable[pa.RecordBatch], submit: Callable[[pa.RecordBatch], _Future], window: int
) -> Iterator[pa.RecordBatch]:
    """Submit batches, keeping at most ``window`` in flight, and yield the results in input order."""
    pending: deque[_Future] = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def check_version(prognosis_version: str | None) -> str:
    chosen = prognosis_version or LATEST_VERSION
    if chosen not in available_versions():
        raise UnknownVersionError(
            f"PREDICT version {chosen!r} is not implemented; choose one of {', '.join(available_versions())}")
    return chosen


def write_results(
    input_path: Path, output: Path, mode: Mode, prognosis_version: str, batch_size: int | None,
    engine: str, results: Callable[[Iterator[pa.RecordBatch]], Iterable[pa.RecordBatch]],
    progress: Callable[[int], None] | None = None,
) -> CohortSummary:
    """Read ``input_path``, map ``results`` over its batches and write Parquet (atomically: a temporary
    file renamed at the end, so a failed run leaves no partial output)."""
    started = time.perf_counter()
    names, batches = open_batches(input_path, batch_size or DEFAULT_BATCH_SIZE[mode])
    check_columns(names)
    empty = _EmptyColumns(names)
    fractions = _FractionColumns(names)
    batches = fractions.watch(empty.watch(batches))
    schema = output_schema(mode, prognosis_version)
    output = Path(output)
    temporary = output.with_name(f".{output.name}.{os.getpid()}.part")
    rows = invalid = 0
    seen = RepeatedIds()
    try:
        with pq.ParquetWriter(temporary, schema) as writer:
            pending: list[pa.RecordBatch] = []
            pending_rows = 0
            for result in results(batches):
                result = seen.flag(result)
                pending.append(result)
                pending_rows += result.num_rows
                if pending_rows >= ROW_GROUP_ROWS:
                    writer.write_table(pa.Table.from_batches(pending, schema), row_group_size=pending_rows)
                    pending, pending_rows = [], 0
                rows += result.num_rows
                invalid += result.num_rows - result.column("error_field").null_count
                if progress is not None:
                    progress(result.num_rows)
            if pending:
                writer.write_table(pa.Table.from_batches(pending, schema), row_group_size=pending_rows)
        temporary.replace(output)
    finally:
        temporary.unlink(missing_ok=True)
    return CohortSummary(rows, invalid, time.perf_counter() - started, output, "default", engine,
                         empty.names() if rows else (), seen.repeated, fractions.names())


#: The warning of a row whose id an earlier row has.
REPEATED_ID_WARNING = ("id repeats the id of an earlier row: this row is scored as a patient of its own; join the "
                       "results to the input by row position, not by id")


class RepeatedIds:
    """Flags the rows whose id an earlier row of the file has, in bounded memory: 8 bytes per distinct id.

    Each id is kept as a 64-bit digest (BLAKE2b, the same in every run, so the output stays byte-identical), in
    sorted numpy arrays of decreasing sizes (two of a size are merged, so there are about log2(rows / batch)
    of them): 10 M distinct ids take 80 MB, ~160 MB while the last two arrays merge (docs/cohort.md). Two
    different ids share a digest with a probability of about n²/2⁶⁵ in a file of n ids (3e-6 at 10 M ids,
    3e-8 at 1 M): a row flagged although no earlier row has its id is that unlikely. Null ids are not ids.

        >>> seen = RepeatedIds()
        >>> seen.rows(["a", "b", "a"]), seen.rows(["b", None, None, "c"]), seen.repeated
        ([2], [0], 2)
    """

    def __init__(self) -> None:
        self._levels: list[np.ndarray] = []  # sorted, unique digests; each at least twice the next one's size
        self.repeated = 0

    def rows(self, ids: Sequence[str | None]) -> list[int]:
        """The positions in ``ids`` whose id an earlier id (of an earlier batch, or of this one) is; the ids are
        then remembered."""
        given = [row for row, value in enumerate(ids) if value is not None]
        if not given:
            return []
        blake2b = hashlib.blake2b
        digests = np.frombuffer(b"".join([blake2b(ids[row].encode("utf-8", "surrogatepass"),  # type: ignore[union-attr]
                                                  digest_size=8).digest() for row in given]), dtype=np.uint64)
        # Sorted, distinct: the binary searches then walk each level forwards (7x faster than in any order).
        distinct, first, where = np.unique(digests, return_index=True, return_inverse=True)
        earlier = np.zeros(len(distinct), dtype=bool)
        for level in self._levels:
            at = np.minimum(np.searchsorted(level, distinct), len(level) - 1)
            earlier |= level[at] == distinct
        repeats = earlier[where]  # every row of an id an earlier batch has
        repeats[np.delete(np.arange(len(digests)), first)] = True  # every row but the first of an id in this batch
        self._remember(distinct[~earlier])
        repeated = [given[i] for i in np.flatnonzero(repeats).tolist()]
        self.repeated += len(repeated)
        return repeated

    def _remember(self, digests: np.ndarray) -> None:
        """Add sorted digests that no level holds; levels of like sizes are merged (a binary counter)."""
        if not len(digests):
            return
        levels = self._levels
        levels.append(digests)
        while len(levels) > 1 and len(levels[-2]) <= 2 * len(levels[-1]):
            last = levels.pop()
            levels[-1] = _merged(levels[-1], last)

    def flag(self, result: pa.RecordBatch) -> pa.RecordBatch:
        """``result`` with the warning added to the rows whose id an earlier row has (the rest unchanged)."""
        column = result.schema.get_field_index("id")
        repeated = self.rows(result.column(column).to_pylist())
        if not repeated:
            return result
        index = result.schema.get_field_index("warnings")
        warnings = result.column(index).to_pylist()
        for row in repeated:
            warnings[row] = json.dumps([*json.loads(warnings[row] or "[]"), REPEATED_ID_WARNING], ensure_ascii=False)
        arrays = list(result.columns)
        arrays[index] = pa.array(warnings, pa.string())
        return pa.RecordBatch.from_arrays(arrays, schema=result.schema)


class _FractionColumns:
    """Which percentage columns (``*_percent``) have held only numbers from 0 to 1, at least one above 0, so far.

    A registry export may hold a percentage as a fraction (Excel's percent format read by pandas: 0.85 for 85 %)
    or a 0/1 status where the contract's percentage column is (ER positive = 1): each value is a valid
    percentage, read as 0.85 % or 1 %, so no row can tell. Over the file it shows. Text cells (CSV) are read
    as numbers where they all are; a column with any other text is left to the rows' own errors.
    """

    def __init__(self, names: list[str]) -> None:
        self._names = names
        #: column position -> whether a value above 0 was seen (only columns with no value above 1 so far)
        self._open = {i: False for i, name in enumerate(names) if name.endswith("_percent")}

    def watch(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for i in list(self._open):
                low_high = _min_max(batch.column(i))
                if low_high is None:
                    del self._open[i]
                elif low_high[0] is not None:
                    if low_high[1] > 1:
                        del self._open[i]
                    elif low_high[1] > 0:
                        self._open[i] = True
            yield batch

    def names(self) -> tuple[str, ...]:
        return tuple(self._names[i] for i, above_zero in self._open.items() if above_zero)


def _min_max(array: pa.Array) -> tuple[float | None, float] | None:
    """The least and greatest number of a column ((None, 0) when it has none); None when a cell is not a number."""
    try:
        numbers = array if pa.types.is_floating(array.type) or pa.types.is_integer(array.type) else \
            pc.cast(pc.utf8_trim_whitespace(array) if pa.types.is_string(array.type) else array, pa.float64())
        found = pc.min_max(numbers).as_py()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    if found["min"] is None:
        return None, 0.0
    return float(found["min"]), float(found["max"])


class _EmptyColumns:
    """Which input columns have had no value (every cell null) in the batches read so far."""

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._empty = list(range(len(names)))

    def watch(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            if self._empty:
                self._empty = [i for i in self._empty if batch.column(i).null_count == batch.num_rows]
            yield batch

    def names(self) -> tuple[str, ...]:
        return tuple(self._names[i] for i in self._empty)


def run_local(
    input_path: Path, output: Path, *, mode: Mode = "exact", workers: int = 2, batch_size: int | None = None,
    prognosis_version: str | None = None, progress: Callable[[int], None] | None = None,
) -> CohortSummary:
    """Score a registry file with ``workers`` processes (0 or 1: in this process) and write Parquet."""
    version = check_version(prognosis_version)
    if workers <= 1:
        return write_results(input_path, output, mode, version, batch_size, "local",
                             lambda batches: (score_batch(b, mode, version) for b in batches), progress)
    context = multiprocessing.get_context("spawn")  # no fork of a possibly threaded parent
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:

        def submit(batch: pa.RecordBatch) -> Future[pa.RecordBatch]:
            return pool.submit(score_batch, batch, mode, version)

        return write_results(input_path, output, mode, version, batch_size, "local",
                             lambda batches: stream(batches, submit, 2 * workers), progress)


def _merged(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two sorted arrays with no value in common, as one sorted array (linear, one new array and a mask)."""
    out = np.empty(len(a) + len(b), dtype=a.dtype)
    at = np.searchsorted(a, b) + np.arange(len(b))
    out[at] = b
    keep = np.ones(len(out), dtype=bool)
    keep[at] = False
    out[keep] = a
    return out
