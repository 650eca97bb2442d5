"""The synthetic registry and the ``cohort`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from micromets.cohort.cli import app
from micromets.cohort.columns import allowed_columns
from micromets.cohort.synthetic import synthetic_registry

runner = CliRunner()


def test_synthetic_registry_is_reproducible_and_in_the_input_format() -> None:
    a, b = synthetic_registry(500, seed=3), synthetic_registry(500, seed=3)
    assert a.equals(b) and not a.equals(synthetic_registry(500, seed=4))
    assert set(a.schema.names) <= allowed_columns()


def test_synthetic_registry_has_a_third_micrometastatic_and_unknowns() -> None:
    t = synthetic_registry(5000, seed=1).to_pydict()
    examined = [i for i, m in enumerate(t["nodes.micrometastatic"]) if m is not None]
    micro_only = sum(t["nodes.micrometastatic"][i] > 0 and t["nodes.macrometastatic"][i] == 0 for i in examined)
    assert 0.30 < micro_only / len(examined) < 0.37
    assert 0 < t["tumour.grade"].count(None) < 500 and 0 not in t["tumour.grade"]


def test_cli_writes_a_synthetic_registry_and_scores_it(tmp_path: Path) -> None:
    src, out = tmp_path / "r.parquet", tmp_path / "o.parquet"
    r = runner.invoke(app, ["--synthetic", "60", "--seed", "2", "-o", str(src)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, [str(src), "-o", str(out), "--workers", "0"])
    assert r.exit_code == 0, r.output
    assert "60 rows (0 invalid) scored (default, local)" in r.output
    r = runner.invoke(app, [str(src), "-o", str(out), "--fast", "--workers", "0"])
    assert r.exit_code == 0 and "--fast is deprecated" in r.output
    assert pq.read_table(out).num_rows == 60


def test_cli_exit_status_2_when_a_row_is_invalid_and_the_run_completes(tmp_path: Path) -> None:
    src, out = tmp_path / "r.csv", tmp_path / "o.parquet"
    runner.invoke(app, ["--synthetic", "80", "--invalid-fraction", "0.2", "-o", str(src)])
    r = runner.invoke(app, [str(src), "-o", str(out), "--workers", "0"])
    assert r.exit_code == 2 and "invalid" in r.output
    assert pq.read_table(out).num_rows == 80


def test_cli_rejects_unknown_columns_and_versions(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("id,tumour.grde\nx,2\n", encoding="utf-8")
    r = runner.invoke(app, [str(src), "-o", str(tmp_path / "o.parquet")])
    assert r.exit_code == 2 and "did you mean 'tumour.grade'" in r.output
    assert not (tmp_path / "o.parquet").exists()
    good = tmp_path / "good.csv"
    good.write_text("id\nx\n", encoding="utf-8")
    r = runner.invoke(app, [str(good), "-o", str(tmp_path / "o.parquet"), "--prognosis-version", "9.9"])
    assert r.exit_code == 2 and "not implemented" in r.output


def test_cohort_registers_as_a_subcommand_of_the_main_cli(tmp_path: Path) -> None:
    """The wiring the main CLI uses: ``app.command(name="cohort")(cohort)``."""
    import typer

    from micromets.cohort.cli import cohort

    main = typer.Typer()
    main.command(name="assess")(lambda: None)
    main.command(name="cohort")(cohort)
    src = tmp_path / "r.parquet"
    assert runner.invoke(main, ["cohort", "--synthetic", "20", "-o", str(src)]).exit_code == 0
    r = runner.invoke(main, ["cohort", str(src), "-o", str(tmp_path / "o.parquet"), "--fast", "--workers", "0"])
    assert r.exit_code == 0 and pq.read_table(tmp_path / "o.parquet").num_rows == 20


@pytest.mark.parametrize(("content", "suffix", "says"), [
    (bytes(range(256)) * 20, ".parquet", "cannot read"),
    (b'id,age\n1,"\xff\xfe"\n', ".csv", "not UTF-8"),
])
def test_a_corrupt_registry_file_is_one_error_line_not_a_traceback(tmp_path: Path, content: bytes, suffix: str,
                                                                   says: str) -> None:
    """Issue 9: hostile input gives a one-line error and the documented exit status (2), never a traceback."""
    source = tmp_path / f"registry{suffix}"
    source.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "micromets.cli", "cohort", str(source), "-o",
                             str(tmp_path / "out.parquet")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
