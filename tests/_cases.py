"""Test helpers: cases built from plain dicts, as a user would write them."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

from micromets.errors import CaseValidationError
from micromets.model import Case, parse_case

TESTS = Path(__file__).resolve().parent

BASE_CASE: dict[str, Any] = {
    "id": "t",
    "age": 58,
    "sex": "female",
    "menopausal_status": "post",
    "detection": "screening",
    "tumour": {"size_mm": 18.0, "t_extension": "none", "histology": "ductal", "grade": 2,
               "er_percent": 90, "pr_percent": 40, "her2_ihc": "1+", "ki67_percent": 12, "lvi": False},
    "clinical_nodes": "cN0",
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [], "internal_mammary": "none",
              "supraclavicular": False, "infraclavicular": False},
    "metastasis": "cM0",
    "neoadjuvant": False,
    "axillary_ultrasound": "normal",
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01", "margins_mm": 2.0},
}


def make_case(**changes: Any) -> Case:
    """BASE_CASE with nested changes given as ``tumour__size_mm=5`` or whole sub-objects."""
    data = copy.deepcopy(BASE_CASE)
    for key, value in changes.items():
        target = data
        parts = key.split("__")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if value is None and parts[-1] in target:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return parse_case(data)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fixture_cases() -> list[Case]:
    """Every vignette, hard vignette, golden case and packaged example the case format accepts."""
    records = [*_lines(TESTS / "vignettes" / "vignettes.jsonl"), *_lines(TESTS / "vignettes" / "hard" /
               "hard_vignettes.jsonl"), *_lines(TESTS / "golden" / "ajcc8_seer_golden.jsonl")]
    folder = resources.files("micromets") / "examples"
    records += [{"case": json.loads((folder / name).read_text(encoding="utf-8"))}
                for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))]
    cases = []
    for record in records:
        try:
            cases.append(parse_case(record["case"]))
        except CaseValidationError:
            continue  # an invalid vignette is the validation tests' business
    return cases
