"""The tumour-board summary as plain text (for the terminal, e-mail or a clinical note).

Example::

    >>> from micromets.model.assessment import Assessment, Findings, Staging
    >>> a = Assessment(id="c1", micromets_version="0.1.0", ruleset_version="r", findings=Findings(),
    ...                staging=Staging(t="pT1c", n="pN1mi(sn)", m="cM0", anatomic_stage="IB"))
    >>> print(render_text(a).splitlines()[0])
    TUMOUR BOARD SUMMARY - case c1
"""

from __future__ import annotations

import textwrap

from micromets.model.assessment import Assessment
from micromets.prognosis.assumptions import is_other_cause_caveat

from ._common import (
    DISCLAIMER,
    answer_warnings,
    competing_risk_summary,
    deaths_by_cause,
    follow_up_by_year,
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
    value_label,
)
from .labels import (
    after_neoadjuvant,
    field_label,
    headline,
    recommendation_topic,
    stage_labels,
    subtype_label,
)

__all__ = ["render_text"]

_WIDTH = 100


def render_text(assessment: Assessment) -> str:
    """Every field of the assessment as a plain-text report (ASCII rules, fixed-width tables)."""
    a = assessment
    refs = references(a)
    numbers = {r.id: r.number for r in refs}
    out: list[str] = [f"TUMOUR BOARD SUMMARY - case {a.id or '(no id)'}", "=" * _WIDTH]
    out += _wrap("Decision support only - see the disclaimer at the end.")
    check_first, other_warnings = split_warnings(a)
    if check_first:
        out += _section("Check these inputs before using this report")
        for w in check_first:
            out += _wrap(f"! {w}", subsequent="  ")

    out += _answer(a)

    out += _section("Findings")
    f = a.findings
    out += _table(
        ["", "result"],
        [
            ["ER", f.er or "not determined"],
            ["PR", f.pr or "not determined"],
            ["HER2", (f.her2 or "not determined") + (f" (ISH group {f.her2_ish_group})" if f.her2_ish_group else "")],
            ["Subtype", subtype_label(f.subtype)],
            ["Positive nodes", _n(f.positive_nodes)],
            ["Micrometastatic nodes", _n(f.micrometastatic_nodes)],
            ["Macrometastatic nodes", _n(f.macrometastatic_nodes)],
            ["Nodes with ITC only", _n(f.itc_nodes)],
            ["Pathological complete response", _yes_no(f.pathological_complete_response)],
        ],
    )
    if f.deposits:
        out.append("")
        out.append("Nodal deposits:")
        for d in f.deposits:
            out += _wrap(f"node {d.node}: {value_label(d.category) if d.category else 'undetermined'} - {d.basis}",
                         indent="  ", subsequent="    ")
    else:
        out.append("No nodal deposit reported.")

    s = a.staging
    out += _section(f"Stage ({s.edition})")
    out += _table(
        ["T", "N", "M", "anatomic", "pathological prognostic", "clinical prognostic"],
        [[s.t or "-", s.n or "-", s.m or "-", s.anatomic_stage or "-", s.pathological_prognostic_stage or "-",
          s.clinical_prognostic_stage or "-"]],
    )
    if s.path:
        out.append("How the stage was derived (tables and rules applied):")
        for step in s.path:
            out += _wrap(f"- {step}", indent="  ", subsequent="    ")

    out += _section("Prognosis")
    p = a.prognosis
    if p is None:
        out.append("Prognosis not computed.")
        for reason in prognosis_reasons(a):
            out += _wrap(reason, indent="  - ", subsequent="    ")
    else:
        out.append(f"{p.model} {p.model_version}; treatments evaluated: {treatments_phrase(p)}")
        if discussed := only_to_discuss(a):
            out += _wrap("In these figures though only to discuss, not recommended: "
                         + ", ".join(treatment_label(t).lower() for t in discussed) + ".")
        header = ["", *[f"{y} years" for y in p.years]]
        summary = competing_risk_summary(p)
        causes = deaths_by_cause(p)
        if summary is not None:
            out.append("")
            out += _wrap(f"DEATHS BY CAUSE. {summary}")
            if any(is_other_cause_caveat(x) for x in p.assumptions):
                out += _wrap("CAUTION: PREDICT likely overstates this patient's life expectancy (see the caveats "
                             "below the table).")
            rows = []
            for row in causes:
                rows += [[f"{row.arm}: died of breast cancer", *[percent(v) for v in row.breast_cancer]],
                         [f"{row.arm}: died of other causes", *[percent(v) for v in row.other_causes]],
                         [f"{row.arm}: alive", *[percent(v) for v in row.alive]]]
            out += _table(header, rows, numeric=True)
        else:
            rows = [["BC mortality, surgery only", *[percent(v) for v in p.breast_cancer_mortality.surgery_only]],
                    ["BC mortality, treated", *[percent(v) for v in p.breast_cancer_mortality.with_treatments]]]
            out += _table(header, rows, numeric=True)
        if p.assumptions:
            out.append("")
            out.append("Assumptions and caveats behind these figures:")
            for assumption in p.assumptions:
                out += _wrap(f"- {field_label(assumption.input)}: {assumption.value_used}. {assumption.note}",
                             subsequent="  ")
        out.append("")
        out.append("Overall survival and the benefit of each treatment (PREDICT order):")
        rows = [["OS, surgery only", *[percent(v) for v in p.overall_survival.surgery_only]]]
        rows += [[f"  + {treatment_label(b.treatment).lower()}", *[f"{_signed(v)}" for v in b.overall_survival_gain]]
                 for b in p.incremental_benefit]
        rows += [["OS, all treatments", *[percent(v) for v in p.overall_survival.with_treatments]]]
        out += _table(header, rows, numeric=True)
        local = p.recalibrated
        if local is not None:
            out.append("")
            out.append(f"Recalibrated to a local population (profile fitted on {local.cohort} at "
                       f"{local.horizon_years} years):")
            out += _table(header, [["OS, surgery only", *[percent(v) for v in local.overall_survival.surgery_only]],
                                   ["OS, all treatments",
                                    *[percent(v) for v in local.overall_survival.with_treatments]]], numeric=True)
            out += _wrap(local.warning)
        ns = p.non_sentinel_node_probability
        if ns is not None:
            value = non_sentinel_value(ns)
            out += _wrap(f"Non-sentinel node involvement ({ns.model}): {value}{_cite(ns.evidence, numbers)}"
                         + (f". {ns.note}" if ns.note else ""))

    out += _section("Recommendations")
    if not a.recommendations:
        out.append("No recommendations.")
    for i, r in enumerate(a.recommendations, start=1):
        out += _wrap(f"{i}. {recommendation_topic(r.id, r.domain)}: {value_label(r.decision).upper()} - {headline(r.text)}"
                     f"{_cite(r.evidence, numbers)}", subsequent="   ")
        if headline(r.text) != r.text:
            out += _wrap(r.text, indent="   ", subsequent="   ")
        out += _wrap(f"strength: {r.strength}", indent="   ", subsequent="     ")
        if r.clinical_decision:
            out += _wrap(f"{value_label(r.decision)}; the rules decided: {value_label(r.clinical_decision)}",
                         indent="   ", subsequent="     ")
        out += _wrap(f"rationale: {r.rationale}", indent="   ", subsequent="     ")
        out += _wrap(f"would change if: {r.would_change_if}", indent="   ", subsequent="     ")
        out += _wrap(f"evidence: {', '.join(r.evidence)}", indent="   ", subsequent="     ")

    out += _section("Follow-up plan")
    if a.follow_up:
        out += _wrap("Repeated items are shortened to their first words after the first time ('as before').")
    if not a.follow_up:
        out.append("No dated follow-up plan.")
    for year, days in follow_up_by_year(a.follow_up):
        out.append(f"{year}:")
        for day, entries in days:
            for k, entry in enumerate(entries):
                first = f"  {day.isoformat()}  " if k == 0 else " " * 14
                out += _wrap(f"- {entry.text}{_cite(entry.evidence, numbers)}", indent=first, subsequent=" " * 16)

    out += _section("Missing data")
    if not a.missing:
        out.append("None.")
    for m in a.missing:
        out += _wrap(f"- {field_label(m.field)}: {m.why}", subsequent="  ")

    out += _section("Warnings")
    if not other_warnings:
        out.append("None." if not check_first else "None besides the plausibility warnings at the top.")
    for w in other_warnings:
        out += _wrap(f"- {w}", subsequent="  ")

    out += _section("References")
    if not refs:
        out.append("None cited.")
    for ref in refs:
        out += _wrap(f"[{ref.number}] {ref.id}: {ref.citation} [{ref.verification}]", subsequent="     ")

    out += _technical_details(a)

    out += _section("Versions")
    out.append(f"micromets {a.micromets_version}; rule set {a.ruleset_version}; staging {s.edition}; "
               + (f"prognosis {p.model} {p.model_version}" if p else "prognosis not computed"))
    out += _section("Disclaimer")
    out += _wrap(DISCLAIMER)
    return "\n".join(out).replace("\u2212", "-") + "\n"  # plain ASCII minus in plain text


def _answer(a: Assessment) -> list[str]:
    """The tumour board's answer first: labelled stages, every decision, overall survival, what is missing."""
    s = a.staging
    out = _section("The answer for the tumour board")
    tnm = " ".join(x for x in (s.t, s.n, s.m) if x) or "TNM not available"
    stages = stage_labels(s.anatomic_stage, s.pathological_prognostic_stage, s.clinical_prognostic_stage,
                          before_therapy=after_neoadjuvant(s.t, s.n))
    out += _wrap(f"Stage ({s.edition}): {tnm}; " + "; ".join(f"{name.lower()} {value}" for name, value in stages))
    out += _wrap(f"Subtype: {subtype_label(a.findings.subtype)}")
    out.append("")
    decisions = ordered_decisions(a.decisions)
    if decisions:
        out += _table(["Decision", "Result"], [[label(k), value_label(v)] for k, v in decisions])
    else:
        out.append("No decisions computed.")
    out.append("")
    p = a.prognosis
    if p is None:
        out.append("Overall survival: not computed (see Prognosis).")
    else:
        out.append(f"Overall survival ({p.model} {p.model_version}):")
        rows = [["Surgery only", *[percent(v) for v in p.overall_survival.surgery_only]],
                [f"With {treatments_phrase(p)}", *[percent(v) for v in p.overall_survival.with_treatments]]]
        out += _table(["Alive at", *[f"{y} years" for y in p.years]], rows, numeric=True)
    out.append("")
    if a.missing:
        out.append("What is missing:")
        for m in a.missing:
            out += _wrap(f"- {field_label(m.field)}", subsequent="  ")
    else:
        out.append("What is missing: nothing required.")
    warnings = answer_warnings(a)
    if warnings:
        out.append(f"Warnings and assumptions: {len(warnings)} (see Warnings).")
    return out


def _technical_details(a: Assessment) -> list[str]:
    """Internal ids, for audit and software support only: rule ids and field names behind the labels."""
    rows = [[f"{recommendation_topic(r.id, r.domain)}: {value_label(r.decision)}", r.id] for r in a.recommendations]
    rows += [[f"{field_label(m.field)} (missing)", m.field] for m in a.missing]
    if a.prognosis is not None:
        rows += [[f"{field_label(x.input)} (PREDICT assumption)", x.input] for x in a.prognosis.assumptions]
    if not rows:
        return []
    return [*_section("Technical details (rule ids and field names)"), *_table(["shown as", "internal id"], rows)]


def _section(title: str) -> list[str]:
    return ["", title.upper(), "-" * len(title)]


def _wrap(text: str, *, indent: str = "", subsequent: str = "") -> list[str]:
    return textwrap.wrap(text, width=_WIDTH, initial_indent=indent, subsequent_indent=subsequent or indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def _table(header: list[str], rows: list[list[str]], *, numeric: bool = False) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        cells = [str(c).ljust(w) if i == 0 or not numeric else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    lines = [fmt(header), "  ".join("-" * w for w in widths)] if any(header) else []
    return lines + [fmt(r) for r in rows]


def _cite(ids: list[str], numbers: dict[str, int]) -> str:
    return f" [{', '.join(str(n) for n in sorted({numbers[i] for i in ids}))}]" if ids else ""


def _yes_no(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "no")


def _signed(fraction: float) -> str:
    """A gain with its sign (v3.2 benefits can be negative: treatment harms outweigh the gain)."""
    return ("+" if fraction >= 0 else "-") + percent(abs(fraction))


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)
