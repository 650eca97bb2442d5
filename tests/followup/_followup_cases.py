"""Helpers for the follow-up tests: cases are built from small dicts on top of a typical pN1mi patient."""

from __future__ import annotations

import copy
from typing import Any

from micromets.model import Case

BASE: dict[str, Any] = {
    "id": "fu-1",
    "age": 58,
    "sex": "female",
    "menopausal_status": "post",
    "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 40, "her2_ihc": "1+"},
    "clinical_nodes": "cN0",
    "nodes": {"procedure": "slnb", "examined": 3, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]},
    "metastasis": "cM0",
    "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-01"},
}


def make_case(**changes: Any) -> Case:
    """BASE with top-level keys replaced (``surgery=None`` removes the surgery)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return Case.model_validate(data)
