"""Shared by the FHIR bundle suites: a folder of bundles, each with its expected AJCC 8 stage, read through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from micromets.cli import app as cli_app

#: Per bundle: T, N, M, anatomic stage, pathological and clinical prognostic stage (None: not checked).
Expected = dict[str, tuple[str, str, str, str, str | None, str | None]]


def check_stage(expected: Expected, name: str, staging: dict[str, Any], *, none_is_expected: bool = False) -> None:
    """The staging of bundle ``name`` is the expected one; a None prognostic stage is not checked, or with
    ``none_is_expected`` the pathological one must be absent (a bundle from which no stage can be derived)."""
    t, n, m, anatomic, pathological, clinical = expected[name]
    assert (staging["t"], staging["n"], staging["m"], staging["anatomic_stage"]) == (t, n, m, anatomic), name
    if pathological is not None or none_is_expected:
        assert staging["pathological_prognostic_stage"] == pathological, name
    if clinical is not None:
        assert staging["clinical_prognostic_stage"] == clinical, name


def assessed_through_the_cli(folder: Path, expected: Expected, name: str, *,
                             none_is_expected: bool = False) -> dict[str, Any]:
    """``micromets assess BUNDLE.json``: exit 0, the expected stage, no "conflicting" warning; the assessment."""
    result = CliRunner().invoke(cli_app, ["assess", str(folder / f"{name}.json")])
    assert result.exit_code == 0, result.output
    assessment: dict[str, Any] = json.loads(result.stdout)
    check_stage(expected, name, assessment["staging"], none_is_expected=none_is_expected)
    assert not any("conflicting" in w for w in assessment["warnings"])
    return assessment
