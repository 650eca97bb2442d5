"""Issue 12, item 8: every example in README.md runs verbatim.

Each ``sh`` block is split into its commands and every command runs with ``bash`` in a fresh directory that holds
a copy of ``examples/`` and a ``.venv/bin/micromets`` pointing at the installed CLI, as a reader's checkout would;
the audit store is a SQLite file in that directory. Two kinds of line are not run, each for a stated reason:
``make …`` (``make run`` serves until stopped, ``make test`` is this test suite) and the ``curl`` call, whose
token is the placeholder ``mmt_…`` (the REST API is tested in tests/api). The ``python`` block runs and its output
must match the values written in its comments.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)
NOT_RUN = {"make": "make run serves until stopped and make test is this suite",
           "curl": "the token is the placeholder mmt_…; the REST API is tested in tests/api"}


def _commands(block: str) -> list[str]:
    """The block's commands, continuation lines joined."""
    return [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip() and not c.startswith("#")]


SHELL = [command for kind, block in _BLOCK.findall(README) if kind == "sh" for command in _commands(block)]
PYTHON = [block for kind, block in _BLOCK.findall(README) if kind == "python"]
RUN = [c for c in SHELL if c.split()[0] not in NOT_RUN]


def test_the_readme_has_the_examples_this_test_expects() -> None:
    assert len(RUN) >= 10 and len(PYTHON) == 1
    assert {c.split()[0] for c in SHELL} <= {".venv/bin/micromets", *NOT_RUN}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", here / "examples", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    installed = Path(sys.executable).parent / "micromets"
    assert installed.exists(), "the micromets console script is installed next to the interpreter"
    (here / ".venv" / "bin").mkdir(parents=True)
    (here / ".venv" / "bin" / "micromets").symlink_to(installed)
    return here


def _environment(checkout: Path) -> dict[str, str]:
    return {**os.environ, "MICROMETS_DB_URL": f"sqlite:///{checkout / 'audit.sqlite3'}", "NO_COLOR": "1"}


@pytest.mark.parametrize("command", RUN, ids=[c[len(".venv/bin/micromets "):][:60] for c in RUN])
def test_shell_example_runs_verbatim(checkout: Path, command: str) -> None:
    completed = subprocess.run(["bash", "-c", command], cwd=checkout, env=_environment(checkout), capture_output=True,
                               timeout=600, check=False)
    assert completed.returncode == 0, (command, completed.stderr.decode(errors="replace")[-2000:])
    assert b"Traceback" not in completed.stderr
    for target in re.findall(r"(?:-o|>)\s*(\S+\.\w+)", command):
        path = checkout / target
        assert path.exists() and path.stat().st_size > 0, target
        if target.endswith(".pdf"):
            assert path.read_bytes().startswith(b"%PDF-")


def test_python_example_prints_what_its_comments_say(checkout: Path) -> None:
    (code,) = PYTHON
    completed = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True, timeout=300,
                               check=False)
    assert completed.returncode == 0, completed.stderr
    expected = [line.split("#", 1)[1].strip() for line in code.splitlines() if line.startswith("print(") and "#" in line]
    assert completed.stdout.splitlines() == expected


def test_cases_jsonl_holds_every_packaged_example_once() -> None:
    """examples/cases.jsonl (the batch example) is the packaged example cases, one per line, in sync with them."""
    import json

    lines = [json.loads(line) for line in (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    files = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))]
    assert sorted(lines, key=lambda c: c["id"]) == sorted(files, key=lambda c: c["id"])
