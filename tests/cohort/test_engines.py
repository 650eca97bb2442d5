"""Engines and paths: a batch == rows one by one, local == dask, streaming, metadata, determinism."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from micromets.assess import micromets_version
from micromets.cohort import engine
from micromets.cohort.dask_engine import run_dask
from micromets.cohort.engine import open_batches, output_schema, run_local, score_batch, stream
from micromets.cohort.synthetic import synthetic_registry, write_synthetic
from micromets.guidelines import decision_key
from micromets.knowledge import ruleset_version
from micromets.prognosis import available_versions


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 synthetic rows (seed 11) with 3 % invalid rows, as Parquet."""
    return write_synthetic(tmp_path_factory.mktemp("cohort") / "registry.parquet", 400, seed=11,
                           invalid_fraction=0.03)


@pytest.fixture(scope="module")
def registry_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same rows as CSV."""
    return write_synthetic(tmp_path_factory.mktemp("cohort_csv") / "registry.csv", 400, seed=11,
                           invalid_fraction=0.03)


@pytest.mark.parametrize("version", available_versions())
def test_a_batch_scores_every_row_as_a_batch_of_one_does(version: str) -> None:
    """PREDICT runs once per batch (grouped by treatments); each row must come out as on its own (assess)."""
    batch = synthetic_registry(300, seed=5, invalid_fraction=0.04).to_batches()[0]
    whole = pa.Table.from_batches([score_batch(batch, prognosis_version=version)])
    alone = pa.Table.from_batches([score_batch(batch.slice(i, 1), prognosis_version=version)
                                   for i in range(batch.num_rows)])
    assert whole.equals(alone)
    assert whole.column("os_treated_10").null_count < 150  # prognoses really compared
    assert whole.column("error_field").null_count <= 295  # and error rows
    assert whole.column("rule.axillary_surgery").null_count < 200


def test_scoring_is_independent_of_the_batch_split_and_fast_is_an_alias() -> None:
    batch = synthetic_registry(300, seed=9).to_batches()[0]
    whole = score_batch(batch)
    parts = pa.Table.from_batches([score_batch(batch.slice(i, 37)) for i in range(0, 300, 37)])
    assert parts.equals(pa.Table.from_batches([whole]))
    assert score_batch(batch, "fast").equals(whole)


def test_rule_columns_name_the_rule_behind_each_decision() -> None:
    """rule.<key> is the id of the recommendation that holds decision.<key> (contract: every decision is explained)."""
    batch = synthetic_registry(200, seed=3).to_batches()[0]
    out = score_batch(batch).to_pylist()
    checked = 0
    for row in out:
        if row["error_field"] is not None:
            continue
        for key in ("axillary_surgery", "chemotherapy", "endocrine", "whole_breast_rt"):
            rule = row[f"rule.{key}"]
            if row[f"decision.{key}"] == "insufficient_data":
                assert rule is None
            else:
                assert rule is not None and decision_key(rule) == key
                checked += 1
    assert checked > 300


def _read(path: Path) -> pa.Table:
    return pq.read_table(path)


def test_error_rows_do_not_stop_the_run_and_keep_input_order(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    summary = run_local(registry, out, workers=0, batch_size=64)
    table = _read(out)
    assert summary.rows == table.num_rows == 400
    assert table.column("id").to_pylist() == pq.read_table(registry).column("id").to_pylist()
    errors = [e for e in table.column("error_field").to_pylist() if e is not None]
    assert summary.invalid == len(errors) > 0
    assert {"tumour.grade", "tumour.size_mm", "tumour.her2_ihc", "nodes.examined"} >= set(errors)


def test_versions_are_stamped_in_the_parquet_metadata(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    run_local(registry, out, workers=0, prognosis_version="3.0")
    meta = pq.read_schema(out).metadata
    assert meta[b"ruleset_version"].decode() == ruleset_version()
    assert meta[b"micromets_version"].decode() == micromets_version()
    assert meta[b"prognosis_version_requested"] == b"3.0" and meta[b"micromets_cohort_mode"] == b"default"
    assert set(_read(out).column("prognosis_version").to_pylist()) <= {"3.0", None}


def test_exact_output_has_every_decision_column(registry: Path, tmp_path: Path) -> None:
    schema = output_schema("exact")
    assert {"decision.axillary_surgery", "decision.chemotherapy", "rule.chemotherapy", "missing_fields",
            "warnings"} <= set(schema.names)
    assert output_schema("fast").names == schema.names


def test_csv_and_parquet_input_give_the_same_output(registry: Path, registry_csv: Path, tmp_path: Path) -> None:
    run_local(registry, tmp_path / "p.parquet", workers=0, batch_size=100)
    run_local(registry_csv, tmp_path / "c.parquet", workers=0, batch_size=100)
    # Identical except the echo of a bad value in error messages (CSV text '300' vs Parquet 300.0).
    texts = ["error_message", "errors"]
    parquet, text = _read(tmp_path / "p.parquet"), _read(tmp_path / "c.parquet")
    assert parquet.drop_columns(texts).equals(text.drop_columns(texts))
    assert parquet.column("error_field").null_count < parquet.num_rows


def test_local_processes_dask_and_in_process_runs_are_identical(registry: Path, tmp_path: Path) -> None:
    """Exact path, 120 rows: one process, two worker processes, a Dask cluster (threads, in-process)."""
    small = tmp_path / "small.parquet"
    pq.write_table(pq.read_table(registry).slice(0, 120), small)
    run_local(small, tmp_path / "a.parquet", workers=0, batch_size=50)
    run_local(small, tmp_path / "b.parquet", workers=2, batch_size=25)
    run_dask(small, tmp_path / "c.parquet", scheduler="inprocess", batch_size=40)
    a = _read(tmp_path / "a.parquet")
    assert a.equals(_read(tmp_path / "b.parquet")) and a.equals(_read(tmp_path / "c.parquet"))
    assert a.schema.metadata == _read(tmp_path / "c.parquet").schema.metadata


def test_dask_equals_local(registry: Path, tmp_path: Path) -> None:
    run_local(registry, tmp_path / "l.parquet", workers=0, batch_size=128)
    run_dask(registry, tmp_path / "d.parquet", scheduler="inprocess", batch_size=50)
    assert _read(tmp_path / "l.parquet").equals(_read(tmp_path / "d.parquet"))


def test_runs_are_deterministic_to_the_byte(registry: Path, tmp_path: Path) -> None:
    for name in ("x.parquet", "y.parquet"):
        run_local(registry, tmp_path / name, workers=0, batch_size=100)
    assert (tmp_path / "x.parquet").read_bytes() == (tmp_path / "y.parquet").read_bytes()


def test_memory_is_bounded_by_design(registry: Path, tmp_path: Path) -> None:
    """Batches of exactly batch_size rows (the last one shorter), at most `window` batches in flight."""
    in_flight = peak = 0

    class Done:
        def __init__(self, batch: pa.RecordBatch) -> None:
            self.batch = batch

        def result(self) -> pa.RecordBatch:
            nonlocal in_flight
            in_flight -= 1
            return self.batch

    def submit(batch: pa.RecordBatch) -> Done:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        return Done(batch)

    batches = [pa.RecordBatch.from_pylist([{"i": i}]) for i in range(20)]
    assert [b.column(0)[0].as_py() for b in stream(batches, submit, 3)] == list(range(20))
    assert peak == 3
    assert [b.num_rows for b in open_batches(registry, 64)[1]] == [64] * 6 + [16]


def test_row_groups_gather_whole_batches(registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole result batches are gathered into row groups of at least ROW_GROUP_ROWS rows (the footer and the
    writer's memory grow with the number of row groups, not with the rows)."""
    monkeypatch.setattr(engine, "ROW_GROUP_ROWS", 128)
    out = tmp_path / "o.parquet"
    run_local(registry, out, workers=0, batch_size=64)
    meta = pq.ParquetFile(out).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [128, 128, 128, 16]
    assert pq.read_table(out).num_rows == 400


def test_empty_registry_gives_an_empty_result_with_the_schema(tmp_path: Path) -> None:
    src = tmp_path / "empty.csv"
    src.write_text("id,age,tumour.size_mm\n", encoding="utf-8")
    summary = run_local(src, tmp_path / "o.parquet", workers=0)
    assert summary.rows == 0 and _read(tmp_path / "o.parquet").schema.names == output_schema("exact").names


def test_dask_maps_the_same_batch_function_over_every_batch(registry: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: "Dask runs the same batch function" — every batch goes through engine.score_batch."""
    import micromets.cohort.dask_engine as dask_engine

    log = tmp_path / "calls.txt"  # a file: Dask may pickle the function (and a list with it) on submit

    def counted(batch: pa.RecordBatch, *args: object) -> pa.RecordBatch:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{batch.num_rows}\n")
        return score_batch(batch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(dask_engine, "score_batch", counted)
    run_dask(registry, tmp_path / "d.parquet", scheduler="inprocess", batch_size=100)
    assert sorted(log.read_text(encoding="utf-8").split()) == ["100"] * 4


def test_dask_worker_processes_equal_the_local_engine(registry: Path, tmp_path: Path) -> None:
    """A LocalCluster of worker processes (the default scheduler): the batches are pickled to other processes."""
    small = tmp_path / "small.parquet"
    pq.write_table(pq.read_table(registry).slice(0, 90), small)
    run_local(small, tmp_path / "l.parquet", workers=0, batch_size=30)
    summary = run_dask(small, tmp_path / "d.parquet", workers=1, batch_size=30)
    assert summary.rows == 90 and summary.engine == "dask"
    assert _read(tmp_path / "l.parquet").equals(_read(tmp_path / "d.parquet"))


def test_a_case_the_pipeline_fails_on_is_one_internal_error_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/cohort.md: a bug raising inside the pipeline does not stop the run; that row gets
    ``error_field = "(internal)"`` with the exception, and the rest of the batch is scored as usual."""
    batch = synthetic_registry(40, seed=17).to_batches()[0]
    expected = score_batch(batch).to_pylist()
    failing = expected[7]["id"]
    scored = engine.assess_values_many

    def broken(cases: list[object], **kwargs: object) -> object:
        if any(getattr(case, "id", None) == failing for case in cases):
            raise ValueError("a bug")
        return scored(cases, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "assess_values_many", broken)
    rows = score_batch(batch).to_pylist()
    assert (rows[7]["id"], rows[7]["error_field"], rows[7]["error_message"]) == (failing, "(internal)",
                                                                                  "ValueError: a bug")
    assert rows[:7] + rows[8:] == expected[:7] + expected[8:]
