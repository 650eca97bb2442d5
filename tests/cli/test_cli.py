"""The CLI contract (case-format contract section 3): formats, JSON Lines, exit codes, schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from micromets.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "pn1mi.json"
runner = CliRunner()


def test_assess_prints_the_assessment_json() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "example-pn1mi"
    assert data["staging"]["n"] == "pN1mi(sn)"
    assert data["staging"]["anatomic_stage"] == "IB"
    assert data["findings"]["micrometastatic_nodes"] == 1
    for key in ("micromets_version", "ruleset_version", "findings", "staging", "prognosis", "decisions",
                "recommendations", "follow_up", "missing", "warnings"):
        assert key in data


def test_assess_text_format_shows_findings_and_stage() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "pN1mi(sn)" in result.stdout
    assert "micrometastasis" in result.stdout.lower()


@pytest.mark.parametrize("version", ["2.2", "3.0", "3.2"])
def test_prognosis_version_is_selectable(version: str) -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--prognosis-version", version])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["prognosis"]["model_version"] == version


def test_unknown_prognosis_version_is_a_clear_error() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--prognosis-version", "9.9"])
    assert result.exit_code == 2
    assert "9.9" in result.stderr and "not implemented" in result.stderr


def test_invalid_single_case_names_the_field_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "b", "tumour": {"grade": 5}}))
    result = runner.invoke(app, ["assess", str(bad)])
    assert result.exit_code == 2
    assert "tumour.grade" in result.stderr
    assert json.loads(result.stdout)["error"]["field"] == "tumour.grade"
    assert "Traceback" not in result.output


def test_jsonl_one_result_per_line_in_order_and_errors_do_not_stop_the_run(tmp_path: Path) -> None:
    good = json.loads(EXAMPLE.read_text())
    lines = [
        json.dumps({**good, "id": "first"}),
        json.dumps({"id": "second", "age": 300}),
        "{not json",
        "",
        json.dumps({**good, "id": "fourth"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["assess", "--jsonl", str(source)])
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    # One output line per input line (docs/case-format.md): the blank line gets an error record too.
    assert [r.get("id") for r in records] == ["first", "second", None, None, "fourth"]
    assert records[1]["error"] == {"field": "age", "message": records[1]["error"]["message"]}
    assert "110" in records[1]["error"]["message"]
    assert records[2]["error"]["field"] == "(line)"
    assert records[3]["error"] == {"field": "(line)", "message": records[3]["error"]["message"]}
    assert "blank" in records[3]["error"]["message"]
    assert records[4]["staging"]["n"] == "pN1mi(sn)"


def test_jsonl_from_stdin_all_valid_exits_0() -> None:
    text = json.dumps(json.loads(EXAMPLE.read_text())) + "\n"
    result = runner.invoke(app, ["assess", "--jsonl", "-"], input=text * 3)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize("name", ["case", "assessment"])
def test_schema_is_json_schema(name: str) -> None:
    result = runner.invoke(app, ["schema", name])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert "properties" in schema


def test_case_schema_forbids_unknown_fields() -> None:
    schema = json.loads(runner.invoke(app, ["schema", "case"]).stdout)
    assert schema["additionalProperties"] is False


def test_missing_file_and_misuse_exit_2() -> None:
    assert runner.invoke(app, ["assess", "/nonexistent/case.json"]).exit_code == 2
    assert runner.invoke(app, ["assess"]).exit_code == 2


def test_console_script_runs_as_a_process() -> None:
    # The installed entry point, as a user calls it (no progress bar: stderr is not a terminal).
    completed = subprocess.run([sys.executable, "-m", "micromets.cli", "assess", "--jsonl", "-"],
                               input=EXAMPLE.read_text().replace("\n", " ") + "\n", capture_output=True,
                               text=True, check=False, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["staging"]["t"] == "pT1c"
    assert completed.stderr == ""


def test_whatif_shows_changed_decisions() -> None:
    # A grade-3 tumour in a premenopausal woman turns the tumour-bed boost into a recommendation (ASTRO 2018).
    result = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", "tumour.grade=3", "--set", "menopausal_status=pre"])
    assert result.exit_code == 0, result.output
    assert "boost" in result.stdout and "recommended" in result.stdout


def test_whatif_rejects_an_invalid_change_with_the_field_name() -> None:
    result = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", "tumour.grade=7"])
    assert result.exit_code == 2
    assert "tumour.grade" in result.stderr


def test_fhir_format_prints_a_bundle() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--format", "fhir"])
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    assert bundle["resourceType"] == "Bundle"
    assert any(e["resource"]["resourceType"] == "Patient" for e in bundle["entry"])


def test_cohort_command_is_registered() -> None:
    result = runner.invoke(app, ["cohort", "--help"])
    assert result.exit_code == 0
    assert "registry" in result.stdout.lower()


def test_serve_help_points_each_option_to_the_doc_that_describes_it() -> None:
    """A help text that names a document must name the one that describes the option: the CDS Hooks trust file
    (its shape: clients, iss, jwks_file/jwks_url, fhir_servers) is specified in docs/interop.md."""
    import re

    import typer.main

    serve = typer.main.get_command(app).commands["serve"]  # type: ignore[attr-defined]
    (trust,) = [p for p in serve.params if "--cds-trust" in p.opts]
    (named,) = re.findall(r"docs/[\w-]+\.md", trust.help)
    described = (ROOT / named).read_text(encoding="utf-8")
    assert "**trust file**" in described
    assert all(f"`{key}`" in described for key in ("jwks_file", "jwks_url", "fhir_servers"))
