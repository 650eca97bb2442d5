"""The tumour-board report as self-contained HTML (Jinja2, autoescaped, inline CSS and SVG charts).

No external resource is referenced (hospital networks are closed): fonts are system fonts, charts
are inline SVG, styles are inline.

Example::

    >>> from micromets.model.assessment import Assessment, Findings, Staging
    >>> a = Assessment(id="c1", micromets_version="0.1.0", ruleset_version="r", findings=Findings(),
    ...                staging=Staging(anatomic_stage="IB"))
    >>> "IB" in render_html(a)
    True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from micromets.model.assessment import Assessment
from micromets.model.case import Case
from micromets.prognosis.assumptions import is_other_cause_caveat

from . import charts
from ._common import (
    DISCLAIMER,
    answer_warnings,
    case_facts,
    competing_risk_summary,
    deaths_by_cause,
    decision_strengths,
    deferrals,
    follow_up_by_year,
    held_back_treatments,
    label,
    non_sentinel_value,
    only_to_discuss,
    ordered_decisions,
    percent,
    prognosis_reasons,
    references,
    split_warnings,
    treatment_label,
    treatments_phrase,
    unmodelled_treatments,
    value_label,
)
from .labels import (
    after_neoadjuvant,
    decision_tone,
    field_label,
    headline,
    recommendation_topic,
    stage_labels,
    subtype_label,
)

__all__ = ["render_html", "report_css"]

#: Recommendations with these decisions are listed compactly after the actionable ones.
_INACTIVE = ("not_indicated", "not_applicable")

def _label_in_text(key: str) -> str:
    """A decision label inside a sentence: "Chemotherapy" -> "chemotherapy", "CDK4/6 inhibitor" stays."""
    words = label(key)
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("micromets.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals.update(label=label, value_label=value_label, percent=percent, treatment_label=treatment_label,
                       non_sentinel_value=non_sentinel_value,
                       decision_tone=decision_tone, field_label=field_label, headline=headline,
                       subtype_label=subtype_label, topic=lambda r: recommendation_topic(r.id, r.domain))
    env.filters["label_in_text"] = _label_in_text
    return env


@cache
def report_css() -> str:
    """The report's stylesheet (scoped to ``.mm-report``), for pages that embed the report fragment."""
    return (resources.files("micromets.report") / "templates" / "report.css").read_text(encoding="utf-8")


def render_html(assessment: Assessment, case: Case | None = None, *, standalone: bool = True) -> str:
    """Render the tumour-board report.

    Args:
        assessment: the assessment to report (every field is shown; empty parts are said to be empty).
        case: the case as entered, shown as "patient facts" (optional).
        standalone: a complete HTML document (default); ``False`` gives an ``<article>`` fragment with
            its own scoped ``<style>`` block, for embedding in a web page.
    """
    template = _environment().get_template("report.html.j2")
    return template.render(**_context(assessment, case, standalone=standalone))


def _context(assessment: Assessment, case: Case | None, *, standalone: bool) -> dict[str, Any]:
    refs = references(assessment)
    prognosis = assessment.prognosis
    return {
        "a": assessment,
        "standalone": standalone,
        "css": Markup(report_css()),
        "disclaimer": DISCLAIMER,
        "facts": case_facts(case) if case is not None else [],
        "deposits_in": list(case.nodes.deposits) if case is not None and case.nodes is not None else [],
        "decisions": ordered_decisions(assessment.decisions),
        "deferrals": deferrals(assessment),
        "strengths": decision_strengths(assessment),
        "held_back": held_back_treatments(assessment),
        "unmodelled": unmodelled_treatments(assessment),
        "only_to_discuss": only_to_discuss(assessment),
        "stages": stage_labels(assessment.staging.anatomic_stage, assessment.staging.pathological_prognostic_stage,
                               assessment.staging.clinical_prognostic_stage,
                               before_therapy=after_neoadjuvant(assessment.staging.t, assessment.staging.n)),
        "treatments_phrase": treatments_phrase(prognosis) if prognosis is not None else "",
        "refs": refs,
        "active_recommendations": [r for r in assessment.recommendations if r.decision not in _INACTIVE],
        "inactive_recommendations": [r for r in assessment.recommendations if r.decision in _INACTIVE],
        "ref_numbers": (numbers := {r.id: r.number for r in refs}),
        "cite_list": lambda ids: sorted({numbers[i] for i in ids}),
        "bar_svg": Markup(charts.survival_bar_svg(prognosis)) if prognosis is not None else "",
        "causes": deaths_by_cause(prognosis) if prognosis is not None else [],
        "other_cause_caveat": prognosis is not None and any(is_other_cause_caveat(x) for x in prognosis.assumptions),
        "competing_summary": competing_risk_summary(prognosis) if prognosis is not None else None,
        "causes_svg": Markup(causes_svg) if prognosis is not None and (causes_svg := charts.deaths_by_cause_svg(prognosis))
        else "",
        "curves_svg": Markup(curves) if prognosis is not None and (curves := charts.survival_curves_svg(prognosis))
        else "",
        "timeline_svg": Markup(timeline) if (timeline := charts.follow_up_timeline_svg(assessment.follow_up)) else "",
        "prognosis_reasons": prognosis_reasons(assessment) if prognosis is None else [],
        "follow_up_years": follow_up_by_year(assessment.follow_up),
        "follow_up_missing": next((m.why for m in assessment.missing if m.field == "surgery.date"), ""),
        "check_first": split_warnings(assessment)[0],
        "other_warnings": split_warnings(assessment)[1],
        "answer_warnings": answer_warnings(assessment),
    }

