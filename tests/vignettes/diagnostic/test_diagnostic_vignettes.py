"""Diagnostic vignettes: deposit classes, receptor calls, subtype, AJCC 8 staging, ``missing`` and refusals.

Each line of ``diagnostic_vignettes.jsonl`` (built by ``build_diagnostic_vignettes.py``, which names the source of
every expectation) is run through ``micromets.assess.assess(parse_case(...))``. Unlike the tumour-board vignettes
there is no agreement rate: a registrar's staging is right or wrong, so every expectation must hold.

    .venv/bin/python tests/vignettes/diagnostic/test_diagnostic_vignettes.py   # report every disagreement
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.model import parse_case

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import build_diagnostic_vignettes as build  # noqa: E402

VIGNETTES = HERE / "diagnostic_vignettes.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in VIGNETTES.read_text(encoding="utf-8").splitlines() if line]


def disagreements(row: dict[str, Any]) -> list[str]:
    """Every expectation of ``row`` that micromets does not meet, in words (empty when all hold)."""
    expect = row["expect"]
    if "error" in expect:
        try:
            parse_case(row["case"])
        except CaseValidationError as exc:
            problems = [f"{p.field}: {p.message}" for p in exc.problems]
            if any(expect["error"] in p for p in problems):
                return []
            return [f"refused, but not for {expect['error']}: {problems}"]
        return [f"accepted; expected an error naming {expect['error']}"]
    try:
        assessment = assess(parse_case(row["case"]))
    except CaseValidationError as exc:
        return [f"refused: {exc}"]
    findings, staging = assessment.findings, assessment.staging
    out = []
    for field, want in expect.get("findings", {}).items():
        got = [d.category for d in findings.deposits] if field == "deposits" else getattr(findings, field)
        if got != want:
            out.append(f"findings.{field}: expected {want!r}, got {got!r}")
    for field, want in expect.get("staging", {}).items():
        got = getattr(staging, field)
        if got != want:
            out.append(f"staging.{field}: expected {want!r}, got {got!r}")
    if "n_in" in expect and staging.n not in expect["n_in"]:
        out.append(f"staging.n: expected one of {expect['n_in']}, got {staging.n!r}")
    fields = {m.field for m in assessment.missing}
    out += [f"missing should name {f}; got {sorted(fields)}" for f in expect.get("missing", []) if f not in fields]
    out += [f"missing should not name {f}" for f in expect.get("not_missing", []) if f in fields]
    for text in expect.get("warnings", []):
        if not any(text.lower() in w.lower() for w in assessment.warnings):
            out.append(f"no warning mentions {text!r}: {assessment.warnings}")
    for text in expect.get("no_warnings", []):
        out += [f"unexpected warning: {w}" for w in assessment.warnings if text.lower() in w.lower()]
    return out


def test_jsonl_is_built_from_the_builder() -> None:
    assert VIGNETTES.read_text(encoding="utf-8") == build.text(), "run build_diagnostic_vignettes.py"


def test_every_row_asserts_something() -> None:
    keys = {"findings", "staging", "n_in", "missing", "not_missing", "warnings", "no_warnings", "error"}
    for row in ROWS:
        assert row["source"].strip() and row["expect"] and set(row["expect"]) <= keys, row["id"]


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_diagnostic_vignette(row: dict[str, Any]) -> None:
    problems = disagreements(row)
    assert not problems, f"{row['id']} ({row['source']}):\n  " + "\n  ".join(problems)


if __name__ == "__main__":
    bad = 0
    for row in ROWS:
        problems = disagreements(row)
        if problems:
            bad += 1
            print(f"XX {row['id']}  [{row['source']}]")
            for p in problems:
                print(f"     {p}")
    print(f"{len(ROWS) - bad}/{len(ROWS)} vignettes agree")
