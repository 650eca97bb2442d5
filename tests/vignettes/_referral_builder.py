"""The pieces the referral vignette builders share (tests/vignettes/patient, tests/vignettes/patient_first): the
fit reference patient each vignette changes, the deposits, nodal and surgical records, and the row writer.

Nothing here imports micromets: the vignettes are written blind from their sources.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Every coded condition known and absent: a vignette switches on only what it is about.
NO_CONDITIONS: dict[str, Any] = {
    "heart_failure": False, "ischaemic_heart_disease": False, "prior_anthracycline": False,
    "venous_thromboembolism": False, "thrombophilia": False, "osteoporosis": False, "fragility_fracture": False,
    "egfr_ml_min": 85, "dental_health": "good", "dental_surgery_planned": False,
    "peripheral_neuropathy_grade": 0, "interstitial_lung_disease": False, "autoimmune_disease": "none",
    "organ_transplant": False, "qtcf_ms": 420, "dpd_deficiency": "none",
}


def reference_patient(conditions: Mapping[str, Any]) -> dict[str, Any]:
    """A fit postmenopausal woman, ER+/HER2- pT1c G2, one sentinel micrometastasis (2 SLNs, dual tracer), after BCS."""
    return {
        "age": 60, "sex": "female", "menopausal_status": "post", "detection": "screening",
        "tumour": {"size_mm": 16.0, "t_extension": "none", "in_situ_only": False, "histology": "ductal", "grade": 2,
                   "er_percent": 90, "pr_percent": 60, "her2_ihc": "1+", "ki67_percent": 12, "lvi": False,
                   "multifocal": False, "laterality": "right", "quadrant": "upper_outer"},
        "clinical_nodes": "cN0",
        "nodes": {"procedure": "slnb", "examined": 2, "sentinel_nodes_removed": 2,
                  "tracers": ["radioisotope", "blue_dye"],
                  "deposits": [{"node": 1, "size_mm": 1.2, "method": "he", "extranodal_extension": False}],
                  "internal_mammary": "none", "supraclavicular": False, "infraclavicular": False},
        "metastasis": "cM0", "neoadjuvant": False, "axillary_ultrasound": "normal",
        "surgery": {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 3.0},
        "oncotype_rs": 12, "germline_brca": "negative",
        "charlson_index": 0, "ecog": 0, "g8_score": 16, "clinical_frailty_scale": 2, "lvef_percent": 62,
        "conditions": dict(conditions), "comorbidities": [], "smoker": False,
        "pregnancy": {"status": "not_pregnant"}, "preferences": {"declined": []},
    }


MICRO = {"node": 1, "size_mm": 1.2, "method": "he", "extranodal_extension": False}
ITC = {"node": 1, "size_mm": 0.1, "method": "ihc", "extranodal_extension": False}


def macro(node: int, size_mm: float = 4.0) -> dict[str, Any]:
    return {"node": node, "size_mm": size_mm, "method": "he", "extranodal_extension": False}


def sln(*deposits: dict[str, Any], examined: int = 2, tracers: tuple[str, ...] = ("radioisotope", "blue_dye"),
        **extra: Any) -> dict[str, Any]:
    return {"procedure": "slnb", "examined": examined, "sentinel_nodes_removed": examined, "tracers": list(tracers),
            "deposits": list(deposits), "internal_mammary": "none", "supraclavicular": False,
            "infraclavicular": False, **extra}


NO_NODES_YET = {"procedure": "none", "deposits": []}
PLANNED_BCS = {"breast": "bcs", "status": "planned", "date": "2026-12-15"}
PLANNED_MASTECTOMY = {"breast": "mastectomy", "status": "planned", "date": "2026-12-15"}
MASTECTOMY = {"breast": "mastectomy", "status": "done", "date": "2026-10-05", "margins_mm": 5.0}

HER2_POS = {"her2_ihc": "3+", "ki67_percent": 35}
TNBC = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "grade": 3, "ki67_percent": 60}
PRE = {"menopausal_status": "pre"}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes``: nested objects merged key by key, except ``nodes`` and ``surgery`` (replaced whole);
    ``None`` removes a key."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key not in ("nodes", "surgery"):
            out[key] = merge(out[key], value)
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = copy.deepcopy(value)
    return out


class Referrals:
    """The rows of one vignette file, each the reference patient with a vignette's changes. ``staged``: the rows
    also carry ``staging`` and ``not_strong``; ``followed``: ``follow_up_contains`` and ``follow_up_lacks`` (the
    formats of the later sets)."""

    def __init__(self, base: dict[str, Any], out: Path, *, staged: bool, followed: bool = False,
                 sort_keys: bool = False) -> None:
        self.base, self.out, self.staged, self.followed, self.sort_keys = base, out, staged, followed, sort_keys
        self.rows: list[dict[str, Any]] = []

    def add(self, id: str, source: str, changes: dict[str, Any], expected: dict[str, list[str]],
            forbidden: dict[str, list[str]] | None = None, mentions: dict[str, str] | None = None,
            staging: dict[str, str | None] | None = None, not_strong: tuple[str, ...] = (),
            no_insufficient_data: bool = False, follow_up_contains: dict[str, str] | None = None,
            follow_up_lacks: dict[str, str] | None = None) -> None:
        if not self.staged and (staging or not_strong):
            raise ValueError(f"{id}: this set's format has no staging or not_strong")
        if not self.followed and (follow_up_contains or follow_up_lacks):
            raise ValueError(f"{id}: this set's format has no follow-up checks")
        case = merge(self.base, changes)
        case["id"] = id
        if case.get("sex") == "male":
            case.pop("menopausal_status", None)
        row = {"id": id, "source": source, "case": case, "expected": expected, "forbidden": forbidden or {},
               "mentions": mentions or {}}
        if self.staged:
            row |= {"staging": staging or {}, "not_strong": list(not_strong)}
        row["no_insufficient_data"] = no_insufficient_data
        if self.followed:
            row |= {"follow_up_contains": follow_up_contains or {}, "follow_up_lacks": follow_up_lacks or {}}
        self.rows.append(row)

    def render(self) -> str:
        return "".join(json.dumps(row, ensure_ascii=False, sort_keys=self.sort_keys) + "\n" for row in self.rows)

    def main(self) -> int:
        ids = [row["id"] for row in self.rows]
        if len(ids) != len(set(ids)):
            raise SystemExit("duplicate vignette ids")
        self.out.write_text(self.render(), encoding="utf-8")
        print(f"wrote {len(self.rows)} vignettes to {self.out}")
        return 0
