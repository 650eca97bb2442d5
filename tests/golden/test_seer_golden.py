"""Golden-file test: AJCC 8 staging, end to end through ``micromets assess --jsonl``, against the public
SEER/IMS staging tables (imsweb staging-client-java, eod_public 3.2) and the AJCC anatomic table.

The expected values in ``ajcc8_seer_golden.jsonl`` were produced by ``build_seer_golden.py`` from the raw SEER
table files in ``seer/`` - never from micromets code or knowledge files. See that script for the sources,
the decoding of the table language and the cells left out (SEER extensions of AJCC, ``disputed.jsonl``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "ajcc8_seer_golden.jsonl"
BUILD_SCRIPT = HERE / "build_seer_golden.py"
COMPARED = ("t", "n", "pathological_prognostic_stage", "clinical_prognostic_stage", "anatomic_stage")
_PREFIX = re.compile(r"^(yp|yc|p|c)")


def _golden() -> list[dict[str, Any]]:
    with GOLDEN.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _base(category: str | None) -> str | None:
    """'pN0(i+)(sn)' -> 'N0(i+)': no c/p prefix, no (sn) suffix (micromets conventions SEER does not encode)."""
    if category is None:
        return None
    return _PREFIX.sub("", category).replace("(sn)", "")


def _summary(case: dict[str, Any]) -> str:
    """A one-line summary of the staging inputs of a golden case."""
    tumour = case.get("tumour", {})
    nodes = case.get("nodes", {})
    her2 = tumour.get("her2_ihc")
    if tumour.get("her2_ish_ratio") is not None:
        her2 = f"{her2}/ISH{tumour['her2_ish_ratio']:g}"
    deposits = nodes.get("deposits", [])
    extra = [k for k in ("supraclavicular", "infraclavicular") if nodes.get(k)]
    if nodes.get("internal_mammary") not in (None, "none"):
        extra.append(f"IMN:{nodes['internal_mammary']}")
    depo = ",".join(f"{d.get('size_mm', d['method'])}" for d in deposits)
    return (f"size={tumour.get('size_mm')} ext={tumour.get('t_extension')} G{tumour.get('grade')} "
            f"ER{tumour.get('er_percent')} PR{tumour.get('pr_percent')} HER2 {her2} RS={case.get('oncotype_rs')} "
            f"{nodes.get('procedure')}[{depo}]{'+' + '+'.join(extra) if extra else ''} "
            f"{case.get('clinical_nodes')} {case.get('metastasis')} surgery={case.get('surgery', {}).get('status')}")


@pytest.fixture(scope="module")
def assessments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Run every golden case through the real CLI, in one ``assess --jsonl`` call."""
    cases = tmp_path_factory.mktemp("golden") / "cases.jsonl"
    cases.write_text("".join(json.dumps(g["case"]) + "\n" for g in _golden()), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "micromets.cli", "assess", "--jsonl", str(cases)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert lines, f"the CLI produced no output (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, (f"exit status {proc.returncode}; invalid lines: "
                                  f"{[x for x in lines if 'error' in x][:5]}\n{proc.stderr[-2000:]}")
    return {line["id"]: line for line in lines}


def test_every_golden_case_is_staged_as_seer_and_ajcc_say(assessments: dict[str, dict[str, Any]]) -> None:
    golden = _golden()
    assert len(assessments) == len(golden), "the CLI must give one assessment per input line"
    rows: list[str] = []
    fields: Counter[str] = Counter()
    for entry in golden:
        case, expected = entry["case"], entry["expected"]
        result = assessments.get(case["id"])
        if result is None or "error" in result:
            rows.append(f"{case['id']:<12} | {_summary(case)} | no assessment: {result and result.get('error')}")
            fields["error"] += 1
            continue
        staging = result["staging"]
        actual = {"t": _base(staging["t"]), "n": _base(staging["n"]),
                  **{k: staging[k] for k in COMPARED[2:]}}
        diffs = [k for k in COMPARED if actual[k] != expected[k]]
        if diffs:
            fields.update(diffs)
            shown = "; ".join(f"{k}: expected {expected[k]} got {actual[k]}" for k in diffs)
            rows.append(f"{case['id']:<12} | {expected['t']} {expected['n']} | {_summary(case)} | {shown} "
                        f"| {expected['source']}")
    if rows:
        header = f"{len(rows)} of {len(golden)} golden cases disagree ({dict(fields)}):"
        pytest.fail("\n".join([header, *rows[:80], *(["..."] if len(rows) > 80 else [])]), pytrace=False)


def test_golden_file_is_reproducible_from_the_saved_seer_tables() -> None:
    """The golden file is exactly what the build script derives from the pinned raw SEER tables."""
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--check"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_golden_file_covers_the_staging_space() -> None:
    golden = _golden()
    cases = [g["case"] for g in golden]
    expected = [g["expected"] for g in golden]
    operated = [e for c, e in zip(cases, expected, strict=True) if c["surgery"]["status"] == "done"]
    clinical = [e for c, e in zip(cases, expected, strict=True) if c["surgery"]["status"] == "planned"]
    assert 500 <= len(golden) <= 1500
    ts = {"T0", "T1mi", "T1a", "T1b", "T1c", "T2", "T3", "T4a", "T4b", "T4c", "T4d", "Tis"}
    assert {e["t"] for e in operated} == ts
    assert {e["t"] for e in clinical} == ts
    assert {e["n"] for e in operated} == {"N0", "N0(i+)", "N0(mol+)", "N1mi", "N1a", "N1b", "N1c", "N2a", "N2b",
                                          "N3a", "N3b", "N3c"}
    assert {e["n"] for e in clinical} == {"N0", "N1mi", "N1", "N2a", "N2b", "N3a", "N3b", "N3c"}
    assert {c["metastasis"] for c in cases} == {"cM0", "cM0(i+)", "cM1", "pM1"}
    assert {c["tumour"].get("grade") for c in cases} >= {1, 2, 3}
    assert {c["tumour"].get("her2_ihc") for c in cases} >= {"0", "ultralow", "1+", "2+", "3+"}
    rs = [c.get("oncotype_rs") for c in cases]
    assert {None, 5, 10, 11, 25} <= set(rs)
    stages = {e["pathological_prognostic_stage"] for e in operated} | {e["clinical_prognostic_stage"] for e in
                                                                        expected}
    assert stages == {"0", "IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV"}
    assert {e["anatomic_stage"] for e in expected} == {"0", "IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV"}
