"""Patients for the equality tests of the targeted-therapy decision tables (pembrolizumab, capecitabine, olaparib).

The property tests' strategy (tests/properties/_strategies.drawn_case_dicts) draws every field of the case format,
but the post-neoadjuvant, triple-negative and germline-BRCA paths these decisions turn on are a small share of its
draws. Each drawn patient is therefore also varied, deterministically by its position, along three independent
axes that the decisions read:

* receptors: as drawn; triple-negative (ER 0%, PR 0%, HER2 0); triple-negative with ER or PR unknown (the subtype
  undecided, so that every subtype variant is weighed); HR-positive HER2-negative; HER2-negative with ER and PR
  unknown; HER2-positive (IHC 3+); HER2 IHC 2+ with the ISH result as drawn (often none: equivocal);
* setting: as drawn; after neoadjuvant therapy (with or without pembrolizumab among the agents, residual disease
  or a pathological complete response); before surgery (planned);
* germline BRCA: as drawn, BRCA1, BRCA2, negative or not given.

Cases the case format refuses are left out (the equality tests count the rest).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from tests.properties._strategies import drawn_case_dicts

from micromets.errors import MicrometsError
from micromets.guidelines._context import Context
from micromets.model import parse_case
from micromets.pathology import classify
from micromets.staging import stage

_RECEPTORS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
    {"er_percent": None, "pr_percent": 0, "her2_ihc": "1+"},
    {"er_percent": 0, "pr_percent": None, "her2_ihc": "ultralow"},
    {"er_percent": 90, "pr_percent": 40, "her2_ihc": "1+"},
    {"er_percent": None, "pr_percent": None, "her2_ihc": "0"},
    {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
    {"er_percent": 60, "pr_percent": None, "her2_ihc": "2+", "ish": "as drawn"},
)
_BRCA = (None, "brca1", "brca2", "negative", "unknown")


def _set_receptors(case: dict[str, Any], receptors: dict[str, Any] | None) -> None:
    if receptors is None:
        return
    tumour = case.setdefault("tumour", {})
    if receptors.get("ish") != "as drawn":
        for name in ("her2_ish_ratio", "her2_ish_copies"):
            tumour.pop(name, None)
    for name, value in receptors.items():
        if name == "ish":
            continue
        if value is None:
            tumour.pop(name, None)
        else:
            tumour[name] = value


def _after_neoadjuvant(case: dict[str, Any], i: int) -> None:
    case["neoadjuvant"] = True
    tumour = case.setdefault("tumour", {})
    tumour.pop("in_situ_only", None)
    if i % 4 == 0:  # a pathological complete response: no invasive tumour, node-negative
        tumour["size_mm"] = 0
        case["nodes"] = {"procedure": "slnb", "examined": 3, "deposits": []}
    elif tumour.get("size_mm") == 0:
        tumour["size_mm"] = 14.0
    surgery = case.get("surgery")
    if not isinstance(surgery, dict) or surgery.get("status") == "planned":
        case["surgery"] = {"status": "done", "breast": "mastectomy"}
    therapy = dict(case.get("neoadjuvant_therapy") or {})
    agents = [a for a in therapy.get("agents", ["anthracycline", "taxane"]) if a != "pembrolizumab"]
    if i % 3:
        agents.append("pembrolizumab")
    therapy["agents"] = agents
    therapy.setdefault("pre_treatment_size_mm", (15, 25, 40, 60)[i % 4])
    therapy.setdefault("pre_treatment_clinical_nodes", ("cN0", "cN1", "cN2a", "cN0")[i % 4])
    case["neoadjuvant_therapy"] = therapy


def _before_surgery(case: dict[str, Any], i: int) -> None:
    case["neoadjuvant"] = False
    case.pop("neoadjuvant_therapy", None)
    case["surgery"] = {"status": "planned", "breast": ("bcs", "mastectomy")[i % 2]}
    case["nodes"] = {"procedure": "none"}
    case["clinical_nodes"] = ("cN0", "cN1", "cN2a", None)[i % 4]
    tumour = case.setdefault("tumour", {})
    tumour.pop("in_situ_only", None)
    if tumour.get("size_mm") in (None, 0) and i % 5:
        tumour["size_mm"] = (9.0, 14.0, 24.0, 55.0)[i % 4]


def varied_case_dicts(n: int) -> list[dict[str, Any]]:
    """The first ``n`` drawn case dicts, each varied along the three axes (see the module docstring)."""
    out = []
    for i, drawn in enumerate(drawn_case_dicts(n)):
        case = copy.deepcopy(drawn)
        _set_receptors(case, _RECEPTORS[i % len(_RECEPTORS)])
        setting, k = (i // len(_RECEPTORS)) % 3, i // (3 * len(_RECEPTORS))
        if setting == 1:
            _after_neoadjuvant(case, k)
        elif setting == 2:
            _before_surgery(case, k)
        brca = _BRCA[k % len(_BRCA)]
        if brca == "unknown":
            case.pop("germline_brca", None)
        elif brca is not None:
            case["germline_brca"] = brca
        out.append(case)
    return out


@cache  # the three equality tests share one set of patients (contexts derive each fact once, purely)
def varied_contexts(n: int) -> tuple[Context, ...]:
    """The guideline context of every varied case the case format accepts, """
    return tuple(contexts_of(varied_case_dicts(n)))


def contexts_of(cases: list[dict[str, Any]]) -> list[Context]:
    """The guideline context of every case the case format accepts."""
    out = []
    for data in cases:
        try:
            case = parse_case(data)
        except MicrometsError:
            continue
        findings = classify(case).findings
        out.append(Context.of(case, findings, stage(case, findings).staging))
    return out
