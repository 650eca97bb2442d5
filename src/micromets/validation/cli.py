"""``micromets validate`` and ``micromets recalibrate`` (plain typer command functions; registered by the main CLI).

    micromets validate (REGISTRY --time-col T --event-col E [--time-unit days|months|years] | --dataset gbsg2|rotterdam)
                       [--horizon 5 --horizon 10] [--prognosis-version V] [-o report.html] [--format json|html]
                       [--bootstrap 200] [--seed 2026] [--variant NAME] [--calibration PROFILE.json]
    micromets recalibrate (REGISTRY ... | --dataset ...) --horizon 5 [--prognosis-version V] -o profile.json
                       [--folds 5] [--seed 2026] [--diagnosis-period 2005-2012]

Exit status 0 on success, 2 when the call cannot run (unknown dataset or column, no usable rows, a horizon
beyond the follow-up, the optional dependencies missing).

    >>> from typer.testing import CliRunner
    >>> r = CliRunner().invoke(app, ["validate", "--dataset", "nowhere"])
    >>> r.exit_code
    2
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["app", "recalibrate", "validate"]

EXIT_INVALID = 2


class ReportFormat(StrEnum):
    json = "json"
    html = "html"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INVALID)


def _cohort(registry: Path | None, dataset: str | None, time_col: str | None, event_col: str | None,
            time_unit: str, variant: str) -> Any:
    from micromets.validation.cohorts import SENSITIVITY_VARIANTS, load_dataset, registry_cohort

    if (registry is None) == (dataset is None):
        raise _fail("give either a REGISTRY file or --dataset gbsg2|rotterdam (not both, not neither)")
    if dataset is not None:
        if variant not in SENSITIVITY_VARIANTS:
            raise _fail(f"unknown --variant {variant!r}; choose one of {', '.join(SENSITIVITY_VARIANTS)}")
        return load_dataset(dataset, SENSITIVITY_VARIANTS[variant][1])
    if variant != "base":
        raise _fail("--variant applies to the built-in datasets only")
    if time_col is None or event_col is None:
        raise _fail("a registry needs --time-col and --event-col (follow-up time and death 1/0)")
    assert registry is not None
    return registry_cohort(registry, time_col, event_col, time_unit)


def _version(prognosis_version: str | None) -> str:
    from micromets.prognosis import LATEST_VERSION, available_versions

    chosen = prognosis_version or LATEST_VERSION
    if chosen not in available_versions():
        raise _fail(f"PREDICT version {chosen!r} is not implemented; choose one of {', '.join(available_versions())}")
    return chosen


def _known_errors() -> tuple[type[Exception], ...]:
    import pyarrow  # type: ignore[import-untyped]

    from micromets.cohort.columns import CohortFormatError
    from micromets.prognosis.calibration import CalibrationProfileError
    from micromets.validation.cohorts import ValidationDataError

    return (ValidationDataError, CohortFormatError, CalibrationProfileError, OSError, UnicodeDecodeError,
            pyarrow.ArrowException)


Registry = Annotated[Path | None, typer.Argument(
    metavar="REGISTRY", help="Registry file (.parquet/.csv) in the cohort format plus outcome columns.")]
Dataset = Annotated[str | None, typer.Option(help="Built-in public cohort: gbsg2 or rotterdam.")]
TimeCol = Annotated[str | None, typer.Option(help="Column of follow-up time (to death or last contact).")]
EventCol = Annotated[str | None, typer.Option(help="Column of the outcome: 1 died (any cause), 0 alive.")]
TimeUnit = Annotated[str, typer.Option(help="Unit of --time-col: days, months or years.")]
Version = Annotated[str | None, typer.Option(help="PREDICT version: 2.2, 3.0 or 3.2 (default: the newest).")]
Variant = Annotated[str, typer.Option(help="Mapping of a built-in dataset: base or a sensitivity variant.")]


def validate(
    registry: Registry = None,
    dataset: Dataset = None,
    time_col: TimeCol = None,
    event_col: EventCol = None,
    time_unit: TimeUnit = "years",
    horizon: Annotated[list[int] | None, typer.Option(help="Horizon in whole years (repeatable; default 5).")] = None,
    prognosis_version: Version = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", help="json or html (default: html when -o ends in .html, else json).")] = None,
    bootstrap: Annotated[int, typer.Option(min=0, help="Bootstrap resamples for the 95 % intervals.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 2026,
    variant: Variant = "base",
    calibration: Annotated[Path | None, typer.Option(
        help="Check a calibration profile: recalibrate the predictions with it first (its PREDICT version is "
             "used unless --prognosis-version is given).")] = None,
) -> None:
    """Validate PREDICT against observed overall survival: calibration, discrimination, plots."""
    from micromets.validation.metrics import validate_cohort

    chosen = fmt or (ReportFormat.html if output is not None and output.suffix.lower() in (".html", ".htm")
                     else ReportFormat.json)
    try:
        profile = None
        if calibration is not None:
            from micromets.prognosis.calibration import load_profile

            profile = load_profile(calibration, prognosis_version)
            prognosis_version = profile.prognosis_version
        version = _version(prognosis_version)
        cohort = _cohort(registry, dataset, time_col, event_col, time_unit, variant)
        doc = validate_cohort(cohort, version, horizon or [5], bootstrap=bootstrap, seed=seed, profile=profile)
    except _known_errors() as exc:
        raise _fail(str(exc)) from None
    notes = _notes(cohort, profile)
    if chosen is ReportFormat.json:
        text = json.dumps(_finite(doc), indent=2, allow_nan=False) + "\n"
    else:
        from micromets.validation.report import render_html

        text = render_html(doc, notes)
    _write(text, output)
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def _finite(value: Any) -> Any:
    """NaN and infinities (a metric that cannot be computed) as JSON null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _notes(cohort: Any, profile: Any) -> list[str]:
    notes = []
    if any(cohort.excluded.values()):
        notes.append(f"rows left out: {cohort.excluded}")
    if cohort.surgery_only_assumed:
        notes.append(f"{cohort.surgery_only_assumed} rows gave no treatments.* value and were scored as surgery "
                     "only")
    if profile is not None:
        from micromets.prognosis.calibration import scope_warning

        notes.append(scope_warning(profile))
    return notes


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None


def recalibrate(
    output: Annotated[Path, typer.Option("--output", "-o", help="The calibration profile (JSON) to write.")],
    registry: Registry = None,
    dataset: Dataset = None,
    time_col: TimeCol = None,
    event_col: EventCol = None,
    time_unit: TimeUnit = "years",
    horizon: Annotated[int, typer.Option(help="Horizon in whole years the profile is fitted at.")] = 5,
    prognosis_version: Version = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds for the before/after figures.")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the fold assignment.")] = 2026,
    diagnosis_period: Annotated[str | None, typer.Option(
        help="Years of diagnosis of the cohort, recorded in the profile (e.g. 2005-2012).")] = None,
    variant: Variant = "base",
) -> None:
    """Fit a local intercept and slope for PREDICT's overall survival into a calibration profile."""
    from micromets.assess import micromets_version
    from micromets.validation.recalibration import fit_profile

    version = _version(prognosis_version)
    try:
        cohort = _cohort(registry, dataset, time_col, event_col, time_unit, variant)
        if diagnosis_period:
            from dataclasses import replace

            cohort = replace(cohort, diagnosis_period=diagnosis_period)
        profile = fit_profile(cohort, version, horizon, folds=folds, seed=seed, created=dt.date.today(),
                              micromets_version=micromets_version())
    except _known_errors() as exc:
        raise _fail(str(exc)) from None
    _write(profile.model_dump_json(indent=2) + "\n", output)
    cv = profile.cross_validation
    before, after = cv["before"], cv["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    typer.echo(f"profile for PREDICT v{version} at {horizon} years on {cohort.name} (n={cohort.n}): intercept "
               f"{profile.intercept:+.3f}, slope {profile.slope:.3f} -> {output}", err=True)
    typer.echo(f"{folds}-fold cross-validated: O/E {before['oe']:.3f} -> {after['oe']:.3f}, calibration slope "
               f"{before['calibration_slope']:.3f} -> {after['calibration_slope']:.3f}, C {before['c_index']:.3f} "
               f"-> {after['c_index']:.3f}", err=True)
    typer.echo("note: a calibration profile holds only for the population it was fitted on", err=True)


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(validate)
app.command()(recalibrate)

if __name__ == "__main__":  # pragma: no cover
    app()
