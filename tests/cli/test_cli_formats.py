"""Issue 12, "CLI format edge cases give clear errors": binary output never reaches a terminal, what-if writes the
formats it names (a PDF is a PDF), every refused combination is one ``error:`` line and exit 2, and the patient page
is one ``--format`` away.

Terminals are real pseudo-terminals (``os.openpty``), because the CLI asks the operating system whether its output
is a terminal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from micromets.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "pn1mi.json"
runner = CliRunner()
CLI = shutil.which("micromets", path=str(Path(sys.executable).parent)) or "micromets"
needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this platform")


def _run_on_terminal(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI with its standard output on a pseudo-terminal; what reaches the terminal is returned as stdout."""
    leader, follower = os.openpty()
    try:
        completed = subprocess.run([CLI, *args], stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, timeout=300,
                                   check=False)
    finally:
        os.close(follower)
    os.set_blocking(leader, False)
    seen = b""
    try:
        while chunk := os.read(leader, 65536):
            seen += chunk
    except (BlockingIOError, OSError):
        pass
    os.close(leader)
    return subprocess.CompletedProcess(completed.args, completed.returncode, seen, completed.stderr)


@needs_pty
@pytest.mark.parametrize("command", [["assess", str(EXAMPLE), "--format", "pdf"],
                                     ["whatif", str(EXAMPLE), "--set", "tumour.grade=3", "--format", "pdf"]])
def test_pdf_onto_a_terminal_is_refused_with_exit_2(command: list[str]) -> None:
    completed = _run_on_terminal(*command)
    assert completed.returncode == 2
    error = completed.stderr.decode()
    assert error.startswith("error: --format pdf writes binary data") and "-o FILE" in error
    assert b"%PDF" not in completed.stdout and "Traceback" not in error


def test_pdf_into_a_pipe_or_file_is_still_written(tmp_path: Path) -> None:
    piped = subprocess.run([CLI, "assess", str(EXAMPLE), "--format", "pdf"], capture_output=True, timeout=300,
                           check=False)
    assert piped.returncode == 0 and piped.stdout.startswith(b"%PDF-")
    target = tmp_path / "report.pdf"
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")


def test_whatif_pdf_writes_a_pdf_of_the_comparison(tmp_path: Path) -> None:
    from pypdf import PdfReader

    target = tmp_path / "whatif.pdf"
    result = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", "nodes.deposits[0].size_mm=2.5",
                                 "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(target))
    first = " ".join(reader.pages[0].extract_text().split())
    # a 2.5 mm deposit is a macrometastasis (AJCC 8: > 2 mm): pN1mi becomes pN1a, stage IB becomes IIA
    assert "What if" in first and "Nodal deposit 1: size (mm) = 2.5" in first
    assert "Anatomic stage IB IIA" in first and "N category pN1mi(sn) pN1a(sn)" in first
    assert "CDK4/6 inhibitor not indicated recommended" in first


def test_whatif_html_and_labelled_text() -> None:
    html = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", "tumour.grade=3", "--format", "html"])
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>") and "Tumour grade = 3" in html.stdout
    text = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", "nodes.deposits[0].size_mm=2.5"])
    assert text.exit_code == 0
    assert "Nodal deposit 1: size (mm) = 2.5" in text.stdout and "Anatomic stage  IB -> IIA" in text.stdout
    assert "Overall survival at 10 years, surgery only" in text.stdout
    assert "overall_survival.surgery_only" not in text.stdout and "cdk46_inhibitor" not in text.stdout


@pytest.mark.parametrize("fmt", ["ics", "fhir", "patient-html"])
def test_whatif_refuses_formats_it_cannot_write(fmt: str) -> None:
    result = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", "tumour.grade=3", "--format", fmt])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: whatif writes text, json, html, pdf") and result.stdout == ""


def test_jsonl_with_a_single_case_format_is_a_clear_error(tmp_path: Path) -> None:
    lines = tmp_path / "cases.jsonl"
    lines.write_text(EXAMPLE.read_text().replace("\n", "") + "\n")
    result = runner.invoke(app, ["assess", "--jsonl", str(lines), "--format", "pdf"])
    assert result.exit_code == 2 and "--format applies to a single case" in result.stderr


def test_unknown_format_names_the_choices() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--format", "docx"])
    assert result.exit_code == 2 and "docx" in result.output and "patient-html" in result.output


def test_patient_page_format() -> None:
    result = runner.invoke(app, ["assess", str(EXAMPLE), "--format", "patient-html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and "Out of 100 women like you" in result.stdout
