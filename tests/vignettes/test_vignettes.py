"""Clear-cut clinical vignettes: does micromets agree with a mainstream tumour board?

Every line of ``vignettes.jsonl`` is a complete tumour-board referral (a contract case) with the decisions
that guidelines make clear-cut for it (``expected``: only those keys, never a contested one). Each case is
run through ``micromets.assess.assess(parse_case(...))`` and every expected key is compared with the
``decisions`` map of the assessment. ``insufficient_data`` counts as a disagreement.

The agreement test fails below 95 % over all expected keys and prints a table of every disagreement with
the recommendation micromets produced (id and text) and, for ``insufficient_data``, the missing fields.

Run the report on its own with ``python tests/vignettes/test_vignettes.py`` (add ``-v`` for every key).
See README.md in this folder for how the vignettes were written.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from micromets.assess import assess
from micromets.guidelines import decision_key
from micromets.model import DECISION_VALUES, INSUFFICIENT_DATA, parse_case

VIGNETTES = Path(__file__).with_name("vignettes.jsonl")
AGREEMENT_TARGET = 0.95



def load_vignettes() -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(VIGNETTES.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            row["_line"] = number
            rows.append(row)
    return rows


def _key_of(recommendation_id: str) -> str | None:
    return decision_key(recommendation_id)


@dataclass(frozen=True)
class Comparison:
    vignette: str
    key: str
    expected: str
    actual: str
    recommendations: tuple[tuple[str, str], ...]  # (id, text) of the recommendations behind the decision
    missing: tuple[str, ...]  # missing fields, for insufficient_data

    @property
    def agrees(self) -> bool:
        return self.expected == self.actual


@cache
def compare_all() -> tuple[Comparison, ...]:
    out: list[Comparison] = []
    for row in load_vignettes():
        assessment = assess(parse_case(row["case"]))
        decisions = assessment.decisions
        decisions = decisions.model_dump() if hasattr(decisions, "model_dump") else dict(decisions)
        for key, expected in row["expected"].items():
            actual = decisions.get(key)
            recs = tuple(
                (r.id, r.text) for r in assessment.recommendations if _key_of(r.id) == key
            )
            missing = tuple(f"{m.field} ({m.why})" for m in assessment.missing) if actual == INSUFFICIENT_DATA else ()
            out.append(Comparison(row["id"], key, expected, str(actual), recs, missing))
    return tuple(out)


def agreement(comparisons: tuple[Comparison, ...]) -> float:
    return sum(c.agrees for c in comparisons) / len(comparisons)


def report(comparisons: tuple[Comparison, ...], verbose: bool = False) -> str:
    lines: list[str] = []
    total, agreed = len(comparisons), sum(c.agrees for c in comparisons)
    vignettes = len({c.vignette for c in comparisons})
    lines.append(f"Vignettes: {vignettes}; expected keys: {total}; agree: {agreed} "
                 f"({agreed / total:.1%}; target {AGREEMENT_TARGET:.0%})")
    lines.append("")
    lines.append(f"{'decision key':<28} {'n':>4} {'agree':>6} {'rate':>7}")
    per_key_n: Counter[str] = Counter(c.key for c in comparisons)
    per_key_ok: Counter[str] = Counter(c.key for c in comparisons if c.agrees)
    for key in DECISION_VALUES:
        if per_key_n[key]:
            lines.append(f"{key:<28} {per_key_n[key]:>4} {per_key_ok[key]:>6} "
                         f"{per_key_ok[key] / per_key_n[key]:>7.1%}")
    shown = [c for c in comparisons if verbose or not c.agrees]
    lines.append("")
    lines.append("Disagreements:" if not verbose else "All comparisons:")
    if not shown:
        lines.append("  (none)")
    for c in shown:
        mark = "ok " if c.agrees else "XX "
        lines.append(f"{mark}{c.vignette:<32} {c.key:<27} expected {c.expected:<20} actual {c.actual}")
        if not c.agrees:
            for rec_id, text in c.recommendations:
                lines.append(textwrap.indent(textwrap.fill(f"{rec_id}: {text}", 150), "      "))
            for item in c.missing:
                lines.append(f"      missing: {item}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- tests

_ROWS = load_vignettes()


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in _ROWS]
    assert 80 <= len(ids) <= 120, f"{len(ids)} vignettes (80-120 wanted)"
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    for row in _ROWS:
        assert set(row) == {"id", "source", "case", "expected", "_line"}, row["id"]
        assert row["source"].strip(), row["id"]
        assert row["case"]["id"] == row["id"], row["id"]
        assert 1 <= len(row["expected"]) <= 12, row["id"]
        for key, value in row["expected"].items():
            assert key in DECISION_VALUES, f"{row['id']}: unknown decision key {key}"
            assert value in DECISION_VALUES[key], f"{row['id']}: {key}={value} is not an allowed value"
        # Complete referrals: metastatic disease is out of scope, and the core fields are always given.
        case = row["case"]
        assert case["metastasis"] == "cM0", row["id"]
        for field in ("age", "menopausal_status", "clinical_nodes", "axillary_ultrasound", "germline_brca",
                      "ecog", "surgery", "nodes", "neoadjuvant"):
            assert case.get(field) is not None, f"{row['id']}: {field} missing"
        for field in ("size_mm", "grade", "er_percent", "pr_percent", "her2_ihc", "ki67_percent", "lvi"):
            assert case["tumour"].get(field) is not None, f"{row['id']}: tumour.{field} missing"


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


def test_agreement_with_tumour_board_is_at_least_95_percent() -> None:
    comparisons = compare_all()
    text = report(comparisons)
    print("\n" + text)
    assert agreement(comparisons) >= AGREEMENT_TARGET, "\n" + text


if __name__ == "__main__":
    print(report(compare_all(), verbose="-v" in sys.argv[1:]))
