"""Fuzz the command line (issue 9, items 2 and 7): a batch never stops, nothing ever prints a traceback.

In process (typer's CliRunner) for volume, and as real processes for what only a process has: closed
standard input and output, a reader that goes away (broken pipe), the interpreter's own start-up and
shutdown. Exit statuses are the documented ones (docs/case-format.md): 0 all valid, 2 invalid input or
unusable input file, 3 output not writable.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fuzz._hostile import CORPUS, example_cases, hostile_bodies
from fuzz.counts import COUNTS
from micromets.cli import EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "pn1mi.json"
runner = CliRunner()


def input_lines(data: bytes) -> list[bytes]:
    """The lines of a JSON Lines file as the contract counts them: the final newline ends the last line."""
    if not data:
        return []
    lines = data.split(b"\n")
    return lines[:-1] if data.endswith(b"\n") else lines


def hostile_jsonl(seed: str, count: int) -> bytes:
    lines = [b.replace(b"\n", b" ") for b in hostile_bodies(seed, count)]
    return b"\n".join(lines) + b"\n"


def check_records(stdout: bytes, data: bytes) -> list[dict[str, object]]:
    out = input_lines(stdout)
    expected = input_lines(data)
    assert len(out) == len(expected), (len(out), len(expected))
    records = [json.loads(line) for line in out]
    for line, record in zip(expected, records, strict=True):
        if "error" in record:
            error = record["error"]
            assert isinstance(error, dict) and error["field"] and error["message"], (line[:100], record)
        else:
            assert record["staging"] and record["decisions"], line[:100]
    return records


def test_jsonl_in_process_one_record_per_line_in_order(tmp_path: Path) -> None:
    data = hostile_jsonl("cli-jsonl", COUNTS["cli_jsonl_in_process"])
    # Invalid UTF-8 as whole lines between valid ones must not cost the valid lines (the probe).
    valid = json.dumps(example_cases()[0]).encode()
    data += b"\n".join([valid, b"\xff\xfe\xfd", valid, b"{\"id\": \"\xc3\"}", valid]) + b"\n"
    source = tmp_path / "hostile.jsonl"
    source.write_bytes(data)
    result = runner.invoke(app, ["assess", "--jsonl", str(source)])
    assert result.exit_code == EXIT_INVALID, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    records = check_records(result.stdout_bytes, data)
    assert len(records) >= COUNTS["cli_jsonl_in_process"]
    assert [("error" in r) for r in records[-5:]] == [False, True, False, True, False]
    assert "Traceback" not in result.stderr and result.stderr == ""


def test_single_case_files_in_process(tmp_path: Path) -> None:
    for i, body in enumerate(hostile_bodies("cli-single", COUNTS["cli_single_files"])):
        path = tmp_path / f"case-{i}.json"
        path.write_bytes(body)
        for args in (["assess", str(path)], ["assess", str(path), "--format", "text"],
                     ["whatif", str(path), "--set", "tumour.grade=3"]):
            result = runner.invoke(app, args)
            assert result.exit_code in (EXIT_OK, EXIT_INVALID), (args, body[:100], result.stderr)
            assert result.exception is None or isinstance(result.exception, SystemExit), (body[:100], result.exception)
            if result.exit_code == EXIT_INVALID:
                lines = result.stderr.splitlines()
                assert lines and all(line.startswith(("invalid case: ", "error: ")) for line in lines), lines


def _run(args: list[str], *, data: bytes | None = None, shell_redirect: str = "") -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "micromets.cli", *args]
    if shell_redirect:
        quoted = " ".join(f"'{part}'" for part in command)
        return subprocess.run(["/bin/sh", "-c", f"exec {quoted} {shell_redirect}"], capture_output=True,
                              check=False, cwd=ROOT, timeout=300)
    return subprocess.run(command, input=data, capture_output=True, check=False, cwd=ROOT, timeout=300)


def _one_error_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    return lines[0]


def test_jsonl_as_a_real_process(tmp_path: Path) -> None:
    data = hostile_jsonl("cli-subprocess", COUNTS["cli_subprocess_lines"])
    source = tmp_path / "hostile.jsonl"
    source.write_bytes(data)
    completed = _run(["assess", "--jsonl", str(source)])
    assert completed.returncode == EXIT_INVALID, completed.stderr[-2000:]
    assert completed.stderr == b""
    check_records(completed.stdout, data)
    from_stdin = _run(["assess", "--jsonl", "-"], data=data[:200_000])
    assert from_stdin.returncode == EXIT_INVALID and from_stdin.stderr == b""
    check_records(from_stdin.stdout, data[:200_000])


def test_unusable_inputs_give_one_error_line_and_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(json.dumps({"id": "x"}).encode("utf-16"))
    for args, redirect, fragment in [
        (["assess", "--jsonl", str(binary)], "", "binary"),
        (["assess", "--jsonl", str(utf16)], "", "binary"),
        (["assess", "--jsonl", str(tmp_path)], "", "directory"),
        (["assess", "--jsonl", str(tmp_path / "missing.jsonl")], "", "no such file"),
        (["assess", "--jsonl", "-"], "<&-", "standard input is closed"),
        (["assess", str(binary)], "", "binary"),
        (["assess", str(tmp_path)], "", "directory"),
        (["assess", "-"], "<&-", "standard input is closed"),
        (["whatif", str(binary), "--set", "tumour.grade=3"], "", "binary"),
    ]:
        completed = _run(args, shell_redirect=redirect) if redirect else _run(args)
        assert completed.returncode == EXIT_INVALID, (args, completed.stderr)
        assert fragment in _one_error_line(completed.stderr), (args, completed.stderr)
        assert completed.stdout == b""


def test_closed_or_broken_output_gives_one_error_line_and_exit_3(tmp_path: Path) -> None:
    valid = json.dumps(json.loads(EXAMPLE.read_text(encoding="utf-8"))).encode()
    source = tmp_path / "many.jsonl"
    source.write_bytes((valid + b"\n") * 150)  # far more output than a pipe buffer holds
    closed = _run(["assess", "--jsonl", str(source)], shell_redirect=">&-")
    assert closed.returncode == EXIT_OUTPUT
    assert "standard output is closed" in _one_error_line(closed.stderr)
    single = _run(["assess", str(EXAMPLE)], shell_redirect=">&-")
    assert single.returncode == EXIT_OUTPUT and "closed" in _one_error_line(single.stderr)

    process = subprocess.Popen([sys.executable, "-m", "micromets.cli", "assess", "--jsonl", str(source)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(1000)  # the reader takes a little and goes away, like `| head -c 1000`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=300) == EXIT_OUTPUT
    assert "closed before all output was written" in _one_error_line(stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to simulate a full disk")
def test_a_full_disk_is_an_output_error() -> None:
    completed = _run(["assess", str(EXAMPLE), "--format", "text", "-o", "/dev/full"])
    assert completed.returncode == EXIT_OUTPUT and "cannot write /dev/full" in _one_error_line(completed.stderr)


def test_hostile_single_case_files_as_real_processes(tmp_path: Path) -> None:
    rng = random.Random("cli-processes")
    chosen = rng.sample(CORPUS, 4) + [b"[" * 100_000, b'{"age": ' + b"9" * 5000 + b"}", b'{"id": "\\ud800"}']
    paths = []
    for i, body in enumerate(chosen):
        path = tmp_path / f"{i}.json"
        path.write_bytes(body)
        paths.append(path)
    # One process per file would take seconds each; a shell loop keeps one interpreter start per file
    # while checking every exit status.
    script = "; ".join(f"'{sys.executable}' -m micromets.cli assess '{p}' >/dev/null; echo \"rc=$?\"" for p in paths)
    completed = subprocess.run(["/bin/sh", "-c", script], capture_output=True, check=False, cwd=ROOT, timeout=600,
                               env={**os.environ, "PYTHONWARNINGS": "error::ResourceWarning"})
    statuses = [line for line in completed.stdout.decode().splitlines() if line.startswith("rc=")]
    assert len(statuses) == len(paths) and set(statuses) <= {"rc=0", "rc=2"}, statuses
    stderr = completed.stderr.decode("utf-8")
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert all(line.startswith(("invalid case: ", "error: ")) for line in stderr.splitlines()), stderr


_ASSIGNMENTS = ["tumour.grade=3", "tumour.grade=\"3\"", "tumour.grade=NaN", "tumour.grade=1e400", "tumour.lvi=yes",
                "tumour.size_mm=" + "9" * 5000, "x=" + "[" * 10_000, "nodes.deposits[999999]=1",
                "nodes.deposits[" + "9" * 5000 + "]=1", "=3", "tumour.grade", "", "tumour..grade=1", "[0]=1",
                "surgery.date=9990-01-01", "surgery.date=\"9990-01-01\"", "id=\"a\\nb\"", "id=\"\\ud800\"",
                "comorbidities[0]=\"x\"", "tumour={}", "tumour=null", "nodes.deposits[0]={\"node\": 1, \"node\": 2}"]


@pytest.mark.parametrize("assignment", _ASSIGNMENTS)
def test_whatif_with_hostile_changes(assignment: str) -> None:
    result = runner.invoke(app, ["whatif", str(EXAMPLE), "--set", assignment])
    assert result.exit_code in (EXIT_OK, EXIT_INVALID), (assignment, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == EXIT_INVALID:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(("invalid case: ", "error: ")) for line in lines), lines
