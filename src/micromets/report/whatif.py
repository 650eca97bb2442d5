"""The what-if comparison for a clinician: what was changed and which outputs moved, in words (text, HTML, PDF).

The comparison object is read through a small protocol (``changes``, ``decisions``, ``staging``, ``prognosis``
and the ``after`` assessment), so this renderer does not depend on the what-if engine.

    >>> from types import SimpleNamespace as NS
    >>> result = NS(changes={"nodes.deposits[0].size_mm": 2.5}, decisions=[NS(field="chemotherapy",
    ...             before="not_indicated", after="discuss")], staging=[], prognosis=[NS(
    ...             field="overall_survival.surgery_only[10y]", before=0.895, after=0.861)])
    >>> print(render_whatif_text(result))
    What if: Nodal deposit 1: size (mm) = 2.5
    Decisions:
      Chemotherapy  not indicated -> discuss
    Survival:
      Overall survival at 10 years, surgery only  89.5% -> 86.1%
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from markupsafe import Markup

from micromets.model.assessment import Assessment
from micromets.model.case import Case

from .labels import decision_label, decision_value_label, field_label

__all__ = ["render_whatif_html", "render_whatif_pdf", "render_whatif_text", "whatif_rows"]


class _Change(Protocol):
    @property
    def field(self) -> str: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...


class _WhatIf(Protocol):
    @property
    def changes(self) -> Mapping[str, Any]: ...
    @property
    def decisions(self) -> Sequence[_Change]: ...
    @property
    def staging(self) -> Sequence[_Change]: ...
    @property
    def prognosis(self) -> Sequence[_Change]: ...


def _value(field: str, value: Any) -> str:
    if value is None:
        return "–" if field != "prognosis" else "not computed"
    if isinstance(value, float) and 0 <= value <= 1 and "[" in field:
        return f"{100 * value:.1f}%"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, str):
        return value
    return json.dumps(value) if not isinstance(value, int | float) else f"{value:g}"


def _decision(value: Any) -> str:
    return decision_value_label(value) if isinstance(value, str) else "–"


def whatif_rows(result: _WhatIf) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``[(group, [(label, before, after), ...]), ...]`` for the groups that changed (Decisions, Stage, Survival)."""
    groups = [
        ("Decisions", [(decision_label(c.field), _decision(c.before), _decision(c.after)) for c in result.decisions]),
        ("Stage", [(field_label(c.field), _value(c.field, c.before), _value(c.field, c.after)) for c in result.staging]),
        ("Survival", [(field_label(c.field), _value(c.field, c.before), _value(c.field, c.after))
                      for c in result.prognosis]),
    ]
    return [(name, rows) for name, rows in groups if rows]


def changes_phrase(changes: Mapping[str, Any]) -> str:
    """``"Tumour grade = 3, Menopausal status = pre"``."""
    return ", ".join(f"{field_label(k)} = {'unknown' if v is None else v if isinstance(v, str) else json.dumps(v)}"
                     for k, v in changes.items())


def render_whatif_text(result: _WhatIf) -> str:
    """Plain text for the terminal: the changes, then each output that moved as ``before -> after``."""
    lines = [f"What if: {changes_phrase(result.changes)}"]
    groups = whatif_rows(result)
    if not groups:
        lines.append("No decision, stage or survival figure changes.")
    for name, rows in groups:
        lines.append(f"{name}:")
        width = max(len(label) for label, _, _ in rows)
        lines += [f"  {label:<{width}}  {before} -> {after}" for label, before, after in rows]
    return "\n".join(lines)


def render_whatif_html(result: _WhatIf, after: Assessment, case: Case | None = None) -> str:
    """A standalone page: the comparison, then the complete report of the changed case."""
    from .html import _environment, render_html

    template = _environment().get_template("whatif.html.j2")
    report = render_html(after, case, standalone=False)
    return template.render(changes=changes_phrase(result.changes), groups=whatif_rows(result), a=after,
                           report=Markup(report))


def render_whatif_pdf(result: _WhatIf, after: Assessment, case: Case | None = None) -> bytes:
    """:func:`render_whatif_html` as PDF (A4)."""
    from .pdf import html_to_pdf

    return html_to_pdf(render_whatif_html(result, after, case))
