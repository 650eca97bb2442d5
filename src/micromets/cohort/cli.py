"""``micromets cohort``: registry-scale scoring from the command line (contract section 3).

    micromets cohort IN.(parquet|csv) -o OUT.parquet [--engine local|dask] [--scheduler tcp://host:port]
                     [--workers 2] [--batch-size N] [--prognosis-version 3.2]
    micromets cohort --synthetic N -o registry.(parquet|csv) [--seed 2026] [--invalid-fraction 0.01]

Exit status 0 when every row was valid, 2 when any row was invalid (its error is in the output) or the
call could not run (unknown column, unreadable file, unknown version). A one-line summary goes to stderr;
a progress bar too when stderr is a terminal. ``cohort`` is a plain typer command function: the main
CLI registers it with ``app.command(name="cohort")(cohort)``; heavy imports happen only when it runs.

    >>> from typer.testing import CliRunner
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     r = CliRunner().invoke(app, ["--synthetic", "10", "-o", str(pathlib.Path(d) / "r.csv")])
    >>> r.exit_code
    0
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from micromets.cohort.engine import CohortSummary, Mode

__all__ = ["Engine", "app", "cohort", "run_cohort"]

EXIT_INVALID = 2


class Engine(StrEnum):
    local = "local"
    dask = "dask"


def run_cohort(
    input_path: Path, output: Path, *, engine: str = "local", fast: bool = False, workers: int = 2,
    scheduler: str | None = None, batch_size: int | None = None, prognosis_version: str | None = None,
    show_progress: bool = False,
) -> CohortSummary:
    """Score ``input_path`` into ``output`` (Parquet) with the chosen engine and path; returns the summary.

    Raises ``CohortFormatError`` (file-level problems) or ``UnknownVersionError``.
    """
    from contextlib import ExitStack

    from micromets.cohort.engine import run_local

    mode: Mode = "exact"  # one path; --fast is a deprecated alias of it
    with ExitStack() as stack:
        progress = None
        if show_progress:
            from rich.progress import Progress

            bar = stack.enter_context(Progress(console=_stderr_console(), transient=True))
            task = bar.add_task(f"scoring ({engine})", total=None)

            def progress(rows: int) -> None:
                bar.advance(task, rows)

        if engine == "dask":
            from micromets.cohort.dask_engine import run_dask

            return run_dask(input_path, output, mode=mode, scheduler=scheduler, workers=workers,
                            batch_size=batch_size, prognosis_version=prognosis_version, progress=progress)
        if engine != "local":
            raise ValueError(f"unknown engine {engine!r}: use local or dask")
        return run_local(input_path, output, mode=mode, workers=workers, batch_size=batch_size,
                         prognosis_version=prognosis_version, progress=progress)


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def cohort(
    output: Annotated[Path, typer.Option("--output", "-o", help="Output Parquet file (or the synthetic registry).")],
    input_path: Annotated[Path | None, typer.Argument(
        metavar="IN", help="Registry file, .parquet or .csv: one row per patient (docs/cohort.md).")] = None,
    engine: Annotated[Engine, typer.Option(help="local: worker processes; dask: a Dask cluster.")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask: tcp://host:port of a running scheduler, 'local' (default: LocalCluster) or 'inprocess'.")]
    = None,
    fast: Annotated[bool, typer.Option(
        "--fast", help="Deprecated, changes nothing: every run outputs findings, stage, PREDICT and every decision.")]
    = False,
    workers: Annotated[int, typer.Option(help="Worker processes (local) or LocalCluster workers (dask).")] = 2,
    batch_size: Annotated[int | None, typer.Option(
        help="Rows per batch (default 1000); memory grows with it.")] = None,
    prognosis_version: Annotated[str | None, typer.Option(help="PREDICT version (default: the newest).")] = None,
    synthetic: Annotated[int | None, typer.Option(
        help="Write a synthetic registry of N rows to --output instead of scoring.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of --synthetic.")] = 2026,
    invalid_fraction: Annotated[float, typer.Option(help="Share of invalid rows in --synthetic.")] = 0.0,
    calibration: Annotated[Path | None, typer.Option(
        help="A calibration profile (micromets recalibrate): adds os_recalibrated_* columns beside PREDICT's; "
             "its version is used unless --prognosis-version is given.")] = None,
) -> None:
    """Score a whole registry: findings, AJCC 8 stage, PREDICT and (exact path) every decision, one row each."""
    import pyarrow  # type: ignore[import-untyped]

    from micromets.cohort.columns import CohortFormatError
    from micromets.errors import UnknownVersionError

    if synthetic is not None:
        from micromets.cohort.synthetic import write_synthetic

        try:
            write_synthetic(output, synthetic, seed, invalid_fraction)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_INVALID) from None
        typer.echo(f"wrote {synthetic:,} synthetic rows (seed {seed}) to {output}", err=True)
        return
    if input_path is None:
        typer.echo("error: give the registry file IN (or --synthetic N)", err=True)
        raise typer.Exit(EXIT_INVALID)
    if fast:
        typer.echo("note: --fast is deprecated and changes nothing: there is one path, and it outputs every column",
                   err=True)
    profile = None
    if calibration is not None:
        from micromets.prognosis.calibration import CalibrationProfileError, load_profile

        try:
            profile = load_profile(calibration, prognosis_version)
        except CalibrationProfileError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_INVALID) from None
        prognosis_version = profile.prognosis_version
    try:
        summary = run_cohort(input_path, output, engine=engine.value, fast=fast, workers=workers,
                             scheduler=scheduler, batch_size=batch_size, prognosis_version=prognosis_version,
                             show_progress=sys.stderr.isatty())
        if profile is not None:
            from micromets.cohort.calibration import add_recalibrated_columns
            from micromets.prognosis.calibration import scope_warning

            add_recalibrated_columns(summary.output, profile)
            typer.echo(f"note: {scope_warning(profile)}", err=True)
    except (CohortFormatError, UnknownVersionError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except UnicodeDecodeError as exc:
        typer.echo(f"error: {input_path} is not UTF-8 text (byte {exc.start}): save the registry as UTF-8 CSV or "
                   "Parquet", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except (pyarrow.ArrowException, OSError) as exc:  # a corrupt or unreadable file, an unwritable output
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        typer.echo(f"error: cannot read {input_path} or write {output}: {first_line[:300]}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if not summary.rows:
        typer.echo(f"note: {input_path} has no rows", err=True)
    if summary.empty_columns:
        typer.echo(f"note: no row has a value in column(s) {', '.join(map(repr, summary.empty_columns))}: every such "
                   "cell is read as unknown; check the export's column mapping", err=True)
    if summary.fraction_columns:
        typer.echo(f"note: column(s) {', '.join(map(repr, summary.fraction_columns))} hold only numbers from 0 to 1: "
                   "they are read as per cent (0.85 is 0.85 %); if they are fractions (0.85 for 85 %) or 0/1 flags, "
                   "export the percentages", err=True)
    if summary.repeated_ids:
        typer.echo(f"note: {summary.repeated_ids:,} row(s) repeat the id of an earlier row: each is scored as a patient of "
                   "its own and flagged in its warnings; join the results to the input by row position", err=True)
    typer.echo(
        f"{summary.rows:,} rows ({summary.invalid:,} invalid) scored ({summary.mode}, {summary.engine}) in "
        f"{summary.seconds:.1f} s, {summary.rows_per_second:,.0f} rows/s -> {summary.output}", err=True)
    if summary.invalid:
        raise typer.Exit(EXIT_INVALID)


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(cohort)

if __name__ == "__main__":  # pragma: no cover
    app()
