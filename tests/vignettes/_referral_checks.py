"""The checks of the patient-factor vignette sets (tests/vignettes/patient, tests/vignettes/patient_first): one row is a
complete referral with what the sources make clear-cut, and each expectation is its own test.

* ``expected:<key>``: the decision is one of the acceptable values;
* ``forbidden:<key>``: the decision is none of the unsafe values (e.g. a contraindicated drug ``recommended``);
* ``mentions:<key>``: the patient factor is named in that key's recommendation (text or rationale), in a missing-input
  entry that the key waits for, or in the warnings;
* ``staging:<field>``: the AJCC 8 stage field, exact string;
* ``not_strong:<key>``: a recommendation of that key, if any, is not of strength ``strong`` (inputs outside the trial
  evidence that still leave the treatment possible);
* ``no_insufficient_data``: no decision is ``insufficient_data`` (nothing left out of the case could change one);
* ``follow_up_contains:<label>`` (optional row field ``follow_up_contains``, label -> regex): some item of the dated
  follow-up plan, rendered ``"<due> [<category>] <what>"``, matches the regex;
* ``follow_up_lacks:<label>`` (optional row field ``follow_up_lacks``): no follow-up item matches it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from micromets.guidelines import decision_key
from micromets.model import DECISION_VALUES, DECLINED, DEFERRED, INSUFFICIENT_DATA, Assessment

STAGE_FIELDS = ("t", "n", "m", "anatomic_stage", "pathological_prognostic_stage", "clinical_prognostic_stage")


def load_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def row_checks(row: dict[str, Any], *, staging: bool = False) -> list[str]:
    """The checks of a row; ``staging``: also its ``staging:<field>`` checks (a set whose runner checks the stage
    its own way leaves them out)."""
    return ([f"expected:{k}" for k in row["expected"]] + [f"forbidden:{k}" for k in row["forbidden"]]
            + [f"mentions:{k}" for k in row["mentions"]]
            + ([f"staging:{f}" for f in row.get("staging", ())] if staging else [])
            + [f"not_strong:{k}" for k in row.get("not_strong", ())]
            + (["no_insufficient_data"] if row["no_insufficient_data"] else [])
            + [f"follow_up_contains:{label}" for label in row.get("follow_up_contains", ())]
            + [f"follow_up_lacks:{label}" for label in row.get("follow_up_lacks", ())])


def follow_up_lines(assessment: Assessment) -> list[str]:
    """The dated follow-up plan, one line per item: ``"<due> [<category>] <what>"``."""
    return [f"{item.due} [{item.category}] {item.what}" for item in assessment.follow_up]


def expectation_checks(rows: list[dict[str, Any]], known_errors: dict[tuple[str, str], str], *,
                       staging: bool = False) -> list[Any]:
    """One pytest param per (vignette, check); a check listed in ``known_errors`` is a strict xfail."""
    params = []
    for row in rows:
        for check in row_checks(row, staging=staging):
            reason = known_errors.get((row["id"], check))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(pytest.param(row["id"], check, marks=marks, id=f"{row['id']}-{check}"))
    return params


def _texts(assessment: Assessment, key: str) -> str:
    recs = [f"{r.text} {r.rationale}" for r in assessment.recommendations if decision_key(r.id) == key]
    missing = [f"{m.field} {m.why}" for m in assessment.missing if key in m.decisions]
    return " ".join([*recs, *missing, *assessment.warnings])


def _why(assessment: Assessment, key: str) -> str:
    recs = [f"{r.id}: {r.text}" for r in assessment.recommendations if decision_key(r.id) == key]
    missing = [f"{m.field} ({m.why})" for m in assessment.missing]
    return "\n".join(recs + ([f"missing: {m}" for m in missing] if assessment.decisions.get(key) ==
                                                                    INSUFFICIENT_DATA else []))


def assert_expectation(row: dict[str, Any], assessment: Assessment, check: str) -> None:
    """Asserts one check of a vignette row (the formats above)."""
    decisions = assessment.decisions
    if check == "no_insufficient_data":
        undecided = sorted(k for k, v in decisions.items() if v == INSUFFICIENT_DATA)
        assert not undecided, (f"insufficient_data for {undecided} although nothing missing could change them; "
                               f"missing: {[m.field for m in assessment.missing]}")
        return
    part, key = check.split(":")
    if part in ("follow_up_contains", "follow_up_lacks"):
        pattern = row[part][key]
        hits = [line for line in follow_up_lines(assessment) if re.search(pattern, line, re.IGNORECASE)]
        if part == "follow_up_contains":
            assert hits, f"follow-up plan: no item matches /{pattern}/ ({row['source']})"
        else:
            assert not hits, f"follow-up plan: /{pattern}/ matched ({row['source']}):\n" + "\n".join(hits[:5])
        return
    if part == "staging":
        actual_stage = getattr(assessment.staging, key)
        assert actual_stage == row["staging"][key], f"{key}: {actual_stage}, expected {row['staging'][key]}"
        return
    actual = str(decisions.get(key))
    if part == "expected":
        assert actual in row["expected"][key], (f"{key}: {actual}, expected {row['expected'][key]} "
                                                f"({row['source']})\n{_why(assessment, key)}")
    elif part == "forbidden":
        assert actual not in row["forbidden"][key], (f"UNSAFE {key}: {actual} ({row['source']})\n"
                                                     f"{_why(assessment, key)}")
    elif part == "not_strong":
        strong = [r.id for r in assessment.recommendations if decision_key(r.id) == key and r.strength == "strong"
                  and r.decision == actual]
        assert not strong, f"{key}: {actual} with strength strong ({row['source']})\n{_why(assessment, key)}"
    else:
        pattern = row["mentions"][key]
        assert re.search(pattern, _texts(assessment, key), re.IGNORECASE), \
            f"{key}: /{pattern}/ not named ({row['source']})\n{_why(assessment, key)}"


def assert_rows_well_formed(rows: list[dict[str, Any]], fields: set[str],
                            known_errors: dict[tuple[str, str], str]) -> None:
    """Every row has exactly ``fields``, a source that names its trial/label/guideline, valid decision keys and
    values, no value both expected and forbidden; every known error names a check that exists."""
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate vignette ids"
    extended = {DECLINED, DEFERRED, INSUFFICIENT_DATA}
    for row in rows:
        rid = row["id"]
        assert set(row) == fields, rid
        assert len(row["source"]) > 60, f"{rid}: the source must name the trial, label or guideline"
        assert row["case"]["id"] == rid
        assert row["expected"] or row["forbidden"] or row["mentions"], rid
        for part in ("expected", "forbidden"):
            for key, values in row[part].items():
                assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
                assert values and set(values) <= {*DECISION_VALUES[key], *extended}, f"{rid}: {part} {key}={values}"
        for key, values in row["forbidden"].items():
            assert not set(values) & set(row["expected"].get(key, ())), f"{rid}: {key} both expected and forbidden"
        for key in [*row["mentions"], *row.get("not_strong", ())]:
            assert key in DECISION_VALUES, f"{rid}: unknown decision key {key}"
        assert set(row.get("staging", {})) <= set(STAGE_FIELDS), rid
        for part in ("follow_up_contains", "follow_up_lacks"):
            for label, pattern in row.get(part, {}).items():
                assert ":" not in label and pattern, f"{rid}: {part} {label}"
                re.compile(pattern)
        assert row["case"]["metastasis"] == "cM0", rid
    checks = {(row["id"], c) for row in rows for c in row_checks(row, staging=True)}
    assert set(known_errors) <= checks, "KNOWN_ERRORS names a check that does not exist"
