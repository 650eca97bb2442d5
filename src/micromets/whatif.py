"""What-if: change a few inputs of a case and see which decisions, stages and survival figures move.

Changes are dotted paths (``tumour.grade``, ``nodes.deposits[0].size_mm``, ``menopausal_status``);
values given as strings are read as JSON when possible (``3`` -> 3, ``null`` -> unknown, ``true``),
else kept as text (``pre``). The changed case is validated like any input, so a bad value fails with
the field named. Both cases go through ``micromets.assess.assess``.

The same machinery checks the engine's ``would_change_if`` texts: they are written with each rule from
the thresholds that rule uses, and the tests perturb the decisive fact through ``whatif`` to show
that the stated change really flips the decision.

    >>> data = {"age": 58, "menopausal_status": "post", "metastasis": "cM0", "clinical_nodes": "cN0",
    ...         "tumour": {"size_mm": 16, "grade": 2, "er_percent": 95, "pr_percent": 60, "her2_ihc": "1+"},
    ...         "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}, "oncotype_rs": 14,
    ...         "nodes": {"procedure": "slnb", "examined": 2,
    ...                   "deposits": [{"node": 1, "size_mm": 1.1, "method": "he", "extranodal_extension": False}]}}
    >>> result = whatif(data, dict([parse_assignment("nodes.deposits[0].size_mm=3.5")]))
    >>> [(c.field, c.before, c.after) for c in result.decisions if c.field == "cdk46_inhibitor"]
    [('cdk46_inhibitor', 'not_indicated', 'recommended')]
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from micromets.errors import CaseValidationError, FieldProblem
from micromets.model import Assessment, parse_case
from micromets.model.strict_json import loads_strict, printable

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]{1,6})\]")
_YEARS_KEYS = ("surgery_only", "with_treatments")


@dataclass(frozen=True)
class Change:
    """One output that differs: ``field`` names it (a decision key, ``staging.n``, ``overall_survival...``)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class WhatIf:
    """The two assessments and what differs between them."""

    changes: dict[str, Any]
    before: Assessment
    after: Assessment
    decisions: list[Change] = field(default_factory=list)
    staging: list[Change] = field(default_factory=list)
    prognosis: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.decisions or self.staging or self.prognosis)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the changes applied and each changed output as ``{field, before, after}`` rows."""

        def rows(items: list[Change]) -> list[dict[str, Any]]:
            return [{"field": c.field, "before": c.before, "after": c.after} for c in items]

        return {"changes": dict(self.changes), "changed": self.changed, "decisions": rows(self.decisions),
                "staging": rows(self.staging), "prognosis": rows(self.prognosis)}


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"tumour.grade=3"`` -> ``("tumour.grade", 3)``; the value is JSON when it parses, else text.

    >>> parse_assignment("menopausal_status=pre")
    ('menopausal_status', 'pre')
    >>> parse_assignment("tumour.lvi=true")
    ('tumour.lvi', True)
    """
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise CaseValidationError([FieldProblem("(what-if)", f"expected PATH=VALUE, got {text!r}")])
    _tokens(path)
    raw = raw.strip()
    try:
        return path, loads_strict(raw)
    except CaseValidationError:
        return path, raw


def _tokens(path: str) -> list[str | int]:
    tokens: list[str | int] = []
    position = 0
    for match in _TOKEN.finditer(path):
        gap = path[position:match.start()]
        if gap not in ("", ".") or (gap == "" and position and match.group(1)):
            break
        tokens.append(match.group(1) if match.group(1) else int(match.group(2)))
        position = match.end()
    if position != len(path) or not tokens or not isinstance(tokens[0], str):
        raise CaseValidationError([FieldProblem(printable(path) or "(what-if)", "is not a valid field path (e.g. tumour.grade or "
                                                      "nodes.deposits[0].size_mm)")])
    return tokens


def apply_changes(case_data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the case with every dotted-path change applied (missing objects are created)."""
    data = copy.deepcopy(case_data)
    for path, value in changes.items():
        tokens = _tokens(path)
        target: Any = data
        for i, token in enumerate(tokens[:-1]):
            nxt = tokens[i + 1]
            if isinstance(token, int):
                if not isinstance(target, list) or token >= len(target):
                    raise CaseValidationError([FieldProblem(path, f"index [{token}] does not exist")])
                target = target[token]
            else:
                if not isinstance(target, dict):
                    raise CaseValidationError([FieldProblem(path, f"{token!r} is not inside an object")])
                if target.get(token) is None:
                    target[token] = [] if isinstance(nxt, int) else {}
                target = target[token]
        last = tokens[-1]
        if isinstance(last, int):
            if not isinstance(target, list) or last > len(target):
                raise CaseValidationError([FieldProblem(path, f"index [{last}] does not exist")])
            if last == len(target):
                target.append(value)
            else:
                target[last] = value
        elif isinstance(target, dict):
            target[last] = value
        else:
            raise CaseValidationError([FieldProblem(path, f"{last!r} is not inside an object")])
    return data


def _diff_prognosis(before: Assessment, after: Assessment) -> list[Change]:
    a, b = before.prognosis, after.prognosis
    if a is None or b is None:
        return [] if a is b else [Change("prognosis", "available" if a else None, "available" if b else None)]
    out: list[Change] = []
    for series in ("overall_survival", "breast_cancer_mortality", "other_cause_mortality"):
        if getattr(a, series) is None or getattr(b, series) is None:
            continue
        for which in _YEARS_KEYS:
            old, new = getattr(getattr(a, series), which), getattr(getattr(b, series), which)
            for year, x, y in zip(b.years, old, new, strict=False):
                if round(x, 3) != round(y, 3):
                    out.append(Change(f"{series}.{which}[{year}y]", round(x, 3), round(y, 3)))
    if a.treatments_evaluated != b.treatments_evaluated:
        out.append(Change("treatments_evaluated", a.treatments_evaluated, b.treatments_evaluated))
    return out


def whatif(case_data: dict[str, Any], changes: dict[str, Any], *, prognosis_version: str | None = None) -> WhatIf:
    """Assess the case as given and with ``changes``; report which decisions, stages and figures changed.

    Raises ``CaseValidationError`` (field named) when the original or the changed case is invalid.
    """
    from micromets.assess import assess  # the pipeline imports the guideline engine; import late

    before = assess(parse_case(case_data), prognosis_version=prognosis_version)
    after = assess(parse_case(apply_changes(case_data, changes)), prognosis_version=prognosis_version)
    decisions = [Change(k, before.decisions.get(k), after.decisions.get(k))
                 for k in after.decisions if before.decisions.get(k) != after.decisions.get(k)]
    stage_fields = ("t", "n", "m", "anatomic_stage", "pathological_prognostic_stage", "clinical_prognostic_stage")
    staging = [Change(f"staging.{f}", getattr(before.staging, f), getattr(after.staging, f))
               for f in stage_fields if getattr(before.staging, f) != getattr(after.staging, f)]
    return WhatIf(changes=dict(changes), before=before, after=after, decisions=decisions, staging=staging,
                  prognosis=_diff_prognosis(before, after))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value * 100:.1f}%" if 0 <= value <= 1 else f"{value:g}"
    return "-" if value is None else str(value)


def render_whatif_text(result: WhatIf) -> str:
    """Plain text for the CLI: what was changed, then each changed output as before -> after."""
    lines = ["What if: " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in result.changes.items())]
    if not result.changed:
        lines.append("No decision, stage or survival figure changes.")
        return "\n".join(lines)
    for title, items in (("Decisions", result.decisions), ("Stage", result.staging),
                         ("Prognosis", result.prognosis)):
        if items:
            lines.append(f"{title}:")
            width = max(len(c.field) for c in items)
            lines.extend(f"  {c.field:<{width}}  {_fmt(c.before)} -> {_fmt(c.after)}" for c in items)
    return "\n".join(lines)
