"""Hard tumour-board vignettes: fitness, cardiac, post-neoadjuvant axilla, DCIS, pregnancy, older patients,
rare subtypes, declined treatments and drug contraindications (issue 8).

Every line of ``hard_vignettes.jsonl`` (built by ``build_hard_vignettes.py``, the readable source) is a complete
referral with, written blind from AJCC 8 and the guidelines/trials named in its ``source``:

* ``staging``: the six stage fields, exact strings (``null`` where AJCC assigns no group);
* ``expected``: for each decision key the acceptable values (two or more where the guidelines allow both);
* ``forbidden``: values that would be unsafe for this patient (e.g. ``her2_therapy: recommended`` at LVEF 35%).

Each case goes through ``micromets.assess.assess(parse_case(...))``. Three gates:

* staging exact-match rate 100 %;
* decision agreement >= 98 % (``insufficient_data`` counts as a disagreement unless it is the expected answer);
* no forbidden (unsafe) decision at all.

Report (same layout as the clear-cut set)::

    .venv/bin/python tests/vignettes/hard/test_hard_vignettes.py [-v] [-o REPORT.txt]

``MICROMETS_HARD_VIGNETTE_REPORT=path`` makes the pytest run write the same report to that file.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from _modules import load_module
from micromets.assess import assess
from micromets.guidelines import decision_key
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Assessment, parse_case

HERE = Path(__file__).parent
VIGNETTES = HERE / "hard_vignettes.jsonl"
BUILDER = HERE / "build_hard_vignettes.py"
STAGING_TARGET = 1.0
AGREEMENT_TARGET = 0.98
STAGE_FIELDS = ("t", "n", "m", "anatomic_stage", "pathological_prognostic_stage", "clinical_prognostic_stage")
CATEGORIES = {"issue8", "cardiac", "fitness", "post_nst_axilla", "dcis", "pregnancy", "older_local", "rare",
              "declined", "drug_factors", "local"}
#: The eight cases that issue 8 lists, one vignette each.
ISSUE_CASES = {"issue-lvef35-trastuzumab", "issue-82-ecog2-hf-no-assay", "issue-84-ecog2-itc-only",
               "issue-ecog2-cdk46", "issue-cn1-ypn0-two-sln-single-tracer", "issue-t3-n1mi-mastectomy",
               "issue-her2-pcr-bisphosphonate", "issue-pure-dcis"}


def allowed_values(key: str) -> set[str]:
    """Contract values plus the extension's declined/deferred (and insufficient_data, a legitimate answer)."""
    return {*DECISION_VALUES[key], DECLINED, DEFERRED, INSUFFICIENT_DATA}


def load_vignettes() -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(VIGNETTES.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            row["_line"] = number
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Decision:
    vignette: str
    category: str
    key: str
    expected: tuple[str, ...]
    forbidden: tuple[str, ...]
    actual: str
    recommendations: tuple[tuple[str, str], ...]
    missing: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return self.actual in self.expected

    @property
    def unsafe(self) -> bool:
        return self.actual in self.forbidden


@dataclass(frozen=True)
class StageField:
    vignette: str
    field: str
    expected: str | None
    actual: str | None

    @property
    def agrees(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True)
class Results:
    decisions: tuple[Decision, ...]
    stages: tuple[StageField, ...]
    errors: tuple[tuple[str, str], ...]  # (vignette, exception) for cases the pipeline could not assess


def _decision_rows(row: dict[str, Any], assessment: Assessment) -> list[Decision]:
    out = []
    keys = set(row["expected"]) | set(row["forbidden"])
    for key in sorted(keys):
        actual = str(assessment.decisions.get(key))
        recs = tuple((r.id, r.text) for r in assessment.recommendations if decision_key(r.id) == key)
        missing: tuple[str, ...] = ()
        if actual == INSUFFICIENT_DATA:
            named = [m for m in assessment.missing if key in m.decisions]
            missing = tuple(f"{m.field} ({m.why})" for m in (named or assessment.missing))
        out.append(Decision(row["id"], row["category"], key, tuple(row["expected"].get(key, ())),
                            tuple(row["forbidden"].get(key, ())), actual, recs, missing))
    return out


@cache
def run_all() -> Results:
    decisions: list[Decision] = []
    stages: list[StageField] = []
    errors: list[tuple[str, str]] = []
    for row in load_vignettes():
        try:
            assessment = assess(parse_case(row["case"]))
        except Exception as exc:  # a crash is a finding to report, not a reason to hide the other vignettes
            errors.append((row["id"], f"{type(exc).__name__}: {exc}"))
            continue
        decisions.extend(_decision_rows(row, assessment))
        for f in STAGE_FIELDS:
            stages.append(StageField(row["id"], f, row["staging"][f], getattr(assessment.staging, f)))
    return Results(tuple(decisions), tuple(stages), tuple(errors))


def _rate(items: list[Any] | tuple[Any, ...]) -> float:
    return sum(i.agrees for i in items) / len(items) if items else 1.0


def report(results: Results, verbose: bool = False) -> str:
    scored = [d for d in results.decisions if d.expected]
    unsafe = [d for d in results.decisions if d.unsafe]
    lines = [
        f"Hard vignettes: {len({d.vignette for d in results.decisions} | {e[0] for e in results.errors})}; "
        f"pipeline errors: {len(results.errors)}",
        f"Staging fields: {len(results.stages)}; exact: {sum(s.agrees for s in results.stages)} "
        f"({_rate(results.stages):.1%}; target {STAGING_TARGET:.0%})",
        f"Decisions: {len(scored)}; agree: {sum(d.agrees for d in scored)} ({_rate(scored):.1%}; "
        f"target {AGREEMENT_TARGET:.0%})",
        f"Unsafe (forbidden) decisions: {len(unsafe)} (target 0)",
        "",
        f"{'category':<18} {'n':>4} {'agree':>6} {'rate':>7}   {'decision key':<28} {'n':>4} {'agree':>6} {'rate':>7}",
    ]
    per_cat: dict[str, list[Decision]] = {}
    per_key: dict[str, list[Decision]] = {}
    for d in scored:
        per_cat.setdefault(d.category, []).append(d)
        per_key.setdefault(d.key, []).append(d)
    cats = sorted(per_cat)
    keys = [k for k in DECISION_VALUES if k in per_key]
    for i in range(max(len(cats), len(keys))):
        left = right = ""
        if i < len(cats):
            items = per_cat[cats[i]]
            left = f"{cats[i]:<18} {len(items):>4} {sum(d.agrees for d in items):>6} {_rate(items):>7.1%}"
        if i < len(keys):
            items = per_key[keys[i]]
            right = f"{keys[i]:<28} {len(items):>4} {sum(d.agrees for d in items):>6} {_rate(items):>7.1%}"
        lines.append(f"{left:<40}   {right}")
    stage_miss: Counter[str] = Counter(s.field for s in results.stages if not s.agrees)
    if stage_miss:
        lines.append("")
        lines.append("Staging mismatches by field: " + ", ".join(f"{k} {v}" for k, v in sorted(stage_miss.items())))

    for vignette, error in results.errors:
        lines.append(f"!! {vignette}: the pipeline raised {error}")
    lines.append("")
    lines.append("UNSAFE decisions (forbidden values):" if unsafe else "UNSAFE decisions: none")
    for d in unsafe:
        lines.append(f"!! {d.vignette:<40} {d.key:<27} forbidden {'|'.join(d.forbidden):<24} actual {d.actual}")
        for rec_id, text in d.recommendations:
            lines.append(textwrap.indent(textwrap.fill(f"{rec_id}: {text}", 150), "      "))
    lines.append("")
    shown_stages = [s for s in results.stages if verbose or not s.agrees]
    lines.append("Staging mismatches:" if not verbose else "All staging fields:")
    if not shown_stages:
        lines.append("  (none)")
    for s in shown_stages:
        mark = "ok " if s.agrees else "XX "
        lines.append(f"{mark}{s.vignette:<40} {s.field:<31} expected {s.expected!s:<14} actual {s.actual}")
    lines.append("")
    shown = [d for d in scored if verbose or not d.agrees]
    lines.append("Decision disagreements:" if not verbose else "All decisions:")
    if not shown:
        lines.append("  (none)")
    for d in shown:
        mark = "ok " if d.agrees else "XX "
        lines.append(f"{mark}{d.vignette:<40} {d.key:<27} expected {'|'.join(d.expected):<28} actual {d.actual}")
        if not d.agrees:
            for rec_id, text in d.recommendations:
                lines.append(textwrap.indent(textwrap.fill(f"{rec_id}: {text}", 150), "      "))
            for item in d.missing:
                lines.append(f"      missing: {item}")
    return "\n".join(lines)


def _emit(text: str) -> None:
    target = os.environ.get("MICROMETS_HARD_VIGNETTE_REPORT")
    if target:
        Path(target).write_text(text + "\n", encoding="utf-8")
    print("\n" + text)


# --------------------------------------------------------------------------------------------- tests

_ROWS = load_vignettes()


def test_jsonl_is_built_from_this_file() -> None:
    assert load_module("build_hard_vignettes", BUILDER).render() == VIGNETTES.read_text(encoding="utf-8"), \
        "hard_vignettes.jsonl is stale: run .venv/bin/python tests/vignettes/hard/build_hard_vignettes.py"


def test_vignette_file_is_well_formed() -> None:
    ids = [row["id"] for row in _ROWS]
    assert len(ids) >= 80, f"{len(ids)} hard vignettes (>= 80 wanted)"
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    assert set(ids) >= ISSUE_CASES, f"issue-8 cases missing: {sorted(ISSUE_CASES - set(ids))}"
    assert {row["category"] for row in _ROWS} == CATEGORIES
    for row in _ROWS:
        rid = row["id"]
        assert set(row) == {"id", "category", "source", "case", "staging", "expected", "forbidden", "_line"}, rid
        assert len(row["source"].strip()) > 40, f"{rid}: the source must name the guideline or trial"
        assert row["case"]["id"] == rid
        assert set(row["staging"]) == set(STAGE_FIELDS), rid
        assert row["expected"], rid
        for key, values in row["expected"].items():
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
            assert values and set(values) <= allowed_values(key), f"{rid}: {key}={values}"
        for key, values in row["forbidden"].items():
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
            assert values and set(values) <= allowed_values(key), f"{rid}: forbidden {key}={values}"
            assert not set(values) & set(row["expected"].get(key, ())), f"{rid}: {key} both expected and forbidden"
        case = row["case"]
        assert case["metastasis"] == "cM0", f"{rid}: metastatic disease is out of scope"
        for field in ("age", "sex", "clinical_nodes", "axillary_ultrasound", "germline_brca", "ecog", "surgery",
                      "nodes", "neoadjuvant", "lvef_percent", "conditions", "preferences"):
            assert case.get(field) is not None, f"{rid}: {field} missing"
        if case["sex"] == "female":
            assert case.get("menopausal_status"), f"{rid}: menopausal_status missing"
        tumour = case["tumour"]
        invasive_fields = ("grade", "her2_ihc", "ki67_percent", "lvi") if not tumour.get("in_situ_only") else ()
        for field in ("er_percent", "pr_percent", *invasive_fields):
            assert tumour.get(field) is not None, f"{rid}: tumour.{field} missing"


@pytest.mark.parametrize("row", _ROWS, ids=[row["id"] for row in _ROWS])
def test_vignette_case_is_a_valid_contract_case(row: dict[str, Any]) -> None:
    parse_case(row["case"])


def test_every_vignette_is_assessed_without_error() -> None:
    errors = run_all().errors
    assert not errors, "\n".join(f"{v}: {e}" for v, e in errors)


def test_no_unsafe_decision() -> None:
    results = run_all()
    unsafe = [d for d in results.decisions if d.unsafe]
    if unsafe:
        _emit(report(results))
    assert not unsafe, "unsafe decisions:\n" + "\n".join(
        f"{d.vignette}: {d.key}={d.actual} (forbidden: {', '.join(d.forbidden)})" for d in unsafe)


def test_staging_matches_ajcc_exactly() -> None:
    results = run_all()
    rate = _rate(results.stages)
    if rate < STAGING_TARGET:
        _emit(report(results))
    assert rate >= STAGING_TARGET, "staging mismatches:\n" + "\n".join(
        f"{s.vignette}: {s.field} expected {s.expected} got {s.actual}" for s in results.stages if not s.agrees)


def test_decision_agreement_is_at_least_98_percent() -> None:
    results = run_all()
    text = report(results)
    _emit(text)
    assert _rate([d for d in results.decisions if d.expected]) >= AGREEMENT_TARGET, "\n" + text


if __name__ == "__main__":
    args = sys.argv[1:]
    out = report(run_all(), verbose="-v" in args)
    if "-o" in args:
        Path(args[args.index("-o") + 1]).write_text(out + "\n", encoding="utf-8")
    print(out)
