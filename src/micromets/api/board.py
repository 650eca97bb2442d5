"""What the web pages show a clinician: the tumour board's answer in words, colours and labels.

Presentation only: every figure and decision comes from the assessment; this module names them
(decision values in words with a tone, case and output paths as labels, recommendations as a one-line
headline) and completes a partly chosen set of treatments from the recommended one, so that choosing
one treatment never silently drops the others (``complete_treatments``).

    >>> tone("omit_alnd"), tone("insufficient_data"), decision_text("axillary_rt_or_alnd")
    ('not-indicated', 'insufficient', 'axillary RT or ALND')
    >>> output_label("overall_survival.surgery_only[5y]")
    'Overall survival at 5 years, surgery only'
    >>> input_label("nodes.deposits[0].size_mm")
    'Deposit 1: size (mm)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from micromets.api import form
from micromets.model import Assessment, Case
from micromets.model.assessment import DEFERRED
from micromets.prognosis.case_adapter import before_menopause
from micromets.report._common import (
    BEFORE_MENOPAUSE,
    TREATMENT_DECISIONS,
    Reference,
    decision_strengths,
    held_back,
    label,
    ordered_decisions,
    percent,
    references,
    value_label,
)
from micromets.report.labels import decision_tone, field_label

__all__ = [
    "CHEMOTHERAPY_CHOICES",
    "TREATMENTS",
    "DecisionView",
    "MissingView",
    "RecommendationView",
    "Toggle",
    "case_changes",
    "complete_treatment_changes",
    "complete_treatments",
    "decision_strengths",
    "decision_text",
    "decision_views",
    "glyph",
    "headline",
    "input_label",
    "leaves",
    "missing_views",
    "output_label",
    "prognosis_reasons",
    "recommendation_views",
    "recommended_treatments",
    "toggles",
    "tone",
    "topic",
    "treatments_from_toggles",
    "value_text",
]

#: The web's CSS class of each tone of report.labels (the badge always carries the value in words too).
_CSS_TONES = {"not_indicated": "not-indicated", "insufficient_data": "insufficient", "not_applicable": "not-applicable"}
#: A glyph beside the words, so that the value reads without colour as well.
_GLYPHS = {"recommended": "✓", "discuss": "?", "not-indicated": "–", "insufficient": "!",
           "not-applicable": "·", "declined": "✗", "deferred": "‖", "other": "•"}
# (‖, not ⏸: U+23F8 is missing from DejaVu and most system fonts and showed as an empty box in Chromium.)
_DECISION_WORDS = {"insufficient_data": "insufficient data", "do_not_order": "do not order",
                   "none_needed": "none needed", "omission_possible": "omission possible"}


def tone(value: str | None) -> str:
    """The tone (CSS class suffix) of a decision value: the report's colour family, ``other`` for none."""
    family = decision_tone(value or "", default="other")
    return _CSS_TONES.get(family, family)


def glyph(value: str | None) -> str:
    return _GLYPHS[tone(value)]


def decision_text(value: str | None) -> str:
    """A decision value in words."""
    if value is None:
        return "not assessed"
    return _DECISION_WORDS.get(value, value_label(value))


@dataclass(frozen=True)
class DecisionView:
    key: str
    label: str
    value: str
    text: str
    tone: str
    glyph: str
    #: For a deferred decision: until when, in the recommendation's words ("" otherwise).
    until: str = ""
    #: The strength of the recommendation that gives this decision its value ("" when none does, e.g. a decision
    #: that waits for data).
    strength: str = ""


def decision_views(decisions: dict[str, str], until: dict[str, str] | None = None,
                   strengths: dict[str, str] | None = None) -> list[DecisionView]:
    """Every decision, in the contract's order, with its value in words and its tone (and, when deferred, until
    when: ``until`` from report's ``deferrals``; and the recommendation's strength, from ``decision_strengths``)."""
    until = until or {}
    strengths = strengths or {}
    return [DecisionView(k, label(k), v, decision_text(v), tone(v), glyph(v), until.get(k, "") if v == DEFERRED else "",
                         strengths.get(k, ""))
            for k, v in ordered_decisions(decisions)]


# Case paths and output paths in words (what-if, missing data, error summary).

_SECTION_LEGENDS = {s.key: s.legend for s in form.SECTIONS}
_EXTRA_INPUTS = {"tumour": "Tumour", "nodes": "Lymph nodes", "surgery": "Surgery", "treatments": "Treatments",
                 "neoadjuvant_therapy": "Neoadjuvant therapy", "nodes.deposits": "Nodal deposits",
                 "conditions": "Coded conditions", "pregnancy": "Pregnancy", "preferences": "Patient preferences",
                 "prognosis_version": "PREDICT version"}
_DEPOSIT = re.compile(r"^nodes\.deposits\[(\d+)\](?:\.(\w+))?$")


def input_label(path: str) -> str:
    """A case field path in words (the form's label)."""
    labels = form.labels()
    if path in labels:
        return labels[path]
    match = _DEPOSIT.match(path)
    if match:
        number = int(match.group(1)) + 1
        if match.group(2) is None:
            return f"Deposit {number}"
        name = labels.get(f"deposit.{match.group(2)}", match.group(2).replace("_", " "))
        return f"Deposit {number}: {name[:1].lower() + name[1:]}"
    if path in _EXTRA_INPUTS:
        return _EXTRA_INPUTS[path]
    return label(path.rsplit(".", 1)[-1])


#: A field name in a validation message: snake_case, not inside a quoted value, a path or a call.
_FIELD_NAME = re.compile(r"(?<![\w.\['])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w'(\[])")


#: A dotted case path in a validation message ("surgery.breast"), not inside a quoted value.
_DOTTED_PATH = re.compile(r"(?<![\w.\['])([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)(?![\w'(\[])")


#: The model's "not a number" message, whose list of JSON types (for the REST API) means nothing on a form.
_NOT_A_NUMBER = re.compile(r"^(must be a (?:whole )?number) \(text, true/false, lists and objects are not numbers\)")


#: The unit at the end of a form label: "Invasive size (mm)", "ER (% nuclei)", "eGFR (mL/min/1.73 m²)".
_UNIT = re.compile(r"\((mm|years|% nuclei|%|ms|Gy|mg/m²|mL/min/1\.73 m²)\)$")


#: A number the form read as a float although it was typed whole: "got 400.0".
_WHOLE_NUMBER_READ = re.compile(r"(?<=\bgot )(-?\d+)\.0\b(?!\.)")


def conflict_in_words(label: str, message: str, *, marked_there: bool) -> str:
    """The message shown at a field that another field's message contradicts (``message`` is about ``label``): short
    when that field is marked with the full message too, whole when it has no input of its own.

    >>> conflict_in_words("Invasive size (mm)", "is above 0 but “In situ carcinoma only (Tis)” is true", marked_there=True)
    'Does not agree with “Invasive size (mm)”: see the message there.'
    >>> conflict_in_words("Neoadjuvant therapy", "is given but “Neoadjuvant therapy given” is not true", marked_there=False)
    'Does not agree with “Neoadjuvant therapy”, which is given but “Neoadjuvant therapy given” is not true'
    """
    if marked_there:
        return f"Does not agree with “{label}”: see the message there."
    return f"Does not agree with “{label}”" + (f", which {message}" if message.startswith("is ") else f": {message}")


def message_in_words(field: str, message: str) -> str:
    """A validation message for the form: the other fields it names (``in_situ_only``) as the form labels them,
    looked up beside ``field`` first (a deposit's own fields without the "Deposit n" prefix). Typed values
    (quoted) and unknown names stay as written; a whole number read back from the form is written as typed
    (``got 400``, not ``got 400.0``). The REST API keeps the model's message as it is.

    >>> message_in_words("tumour.size_mm", "must be at most 250; got 400.0 (sizes are in millimetres)")
    'must be at most 250; got 400 (sizes are in millimetres)'
    >>> message_in_words("tumour.size_mm", "is above 0 but in_situ_only is true; size_mm is the invasive size")
    'is above 0 but “In situ carcinoma only (Tis)” is true; “Invasive size (mm)” is the invasive size'
    >>> message_in_words("surgery.margins_mm", "is given but surgery.breast is 'none'")
    "is given but “Breast surgery” is 'none'"
    >>> message_in_words("age", "must be a number; got 'in_situ_only'")
    "must be a number; got 'in_situ_only'"

    A number typed with its unit (or another unit) is told what to type, in the field's unit; the JSON types that the
    model's message lists for the REST API are no choice on a form:

    >>> message_in_words("tumour.size_mm",
    ...                  "must be a number (text, true/false, lists and objects are not numbers); got '1.8 cm'")
    "must be a number; got '1.8 cm'. Type the number alone, in mm."
    """
    if _NOT_A_NUMBER.match(message):
        unit = _UNIT.search(input_label(field))
        message = _NOT_A_NUMBER.sub(r"\1", message)
        message = message.rstrip(".") + f". Type the number alone, in {unit.group(1)}." if unit else message
    labels = form.labels()
    parent = field.rpartition(".")[0]

    def named(match: re.Match[str]) -> str:
        name = match.group(1)
        if _DEPOSIT.match(parent) and f"deposit.{name}" in labels:
            return f"“{labels[f'deposit.{name}']}”"
        scope = parent
        while True:
            path = f"{scope}.{name}" if scope else name
            if path in labels:
                return f"“{labels[path]}”"
            if not scope:
                return name
            scope = scope.rpartition(".")[0]

    def dotted(match: re.Match[str]) -> str:
        return f"“{labels[match.group(1)]}”" if match.group(1) in labels else match.group(1)

    return _WHOLE_NUMBER_READ.sub(r"\1", _FIELD_NAME.sub(named, _DOTTED_PATH.sub(dotted, message)))


def value_text(value: Any) -> str:
    """A case value in words (``None`` is unknown)."""
    if value is None or value == "":
        return "unknown"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"{len(value)} listed"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{label(k)} {value_text(v)}" for k, v in value.items())
    text = str(value)
    labelled = value_label(text)
    return labelled if labelled != text.replace("_", " ") else form.choice_label(text)


def output_label(name: str) -> str:
    """An output path of the what-if (decision key, ``staging.n``, ``overall_survival.surgery_only[5y]``) in words."""
    if name.startswith("staging.") or "[" in name and name.endswith("y]"):
        return field_label(name)  # survival series and stage fields: the report's labels
    if name.startswith("findings."):
        return "Finding: " + label(name.removeprefix("findings.")).replace("Deposits[", "deposit [")
    if name.startswith("incremental_benefit."):
        return "Benefit of " + label(name.removeprefix("incremental_benefit.")).lower()
    if name.startswith("prognosis."):
        return "Prognosis: " + label(name.removeprefix("prognosis.")).lower()
    if name == "treatments_evaluated":
        return "Treatments evaluated"
    if name == "prognosis":
        return "Survival estimate"
    return label(name)


@dataclass(frozen=True)
class MissingView:
    field: str
    label: str
    why: str
    anchor: str | None
    #: The decision keys that are insufficient_data for want of this input (empty: not needed for a decision).
    decisions: tuple[str, ...] = ()


def missing_views(assessment: Assessment) -> list[MissingView]:
    """The missing inputs in words, each with the form input it belongs to (when there is one)."""
    out = []
    for item in assessment.missing:
        target = form.error_target(item.field, 0)
        out.append(MissingView(item.field, input_label(item.field), item.why,
                               form.input_id(target) if target else None, tuple(item.decisions)))
    return out


def prognosis_reasons(assessment: Assessment) -> list[str]:
    """Why no survival figures were computed (the report's reasons, with input labels instead of field paths)."""
    from micromets.report._common import prognosis_reasons as reasons

    fields = {f"{m.field}: ": f"{input_label(m.field)}: " for m in assessment.missing}
    out = []
    for reason in reasons(assessment):
        prefix = next((p for p in fields if reason.startswith(p)), None)
        out.append(fields[prefix] + reason.removeprefix(prefix) if prefix else reason)
    return out


# Treatments: the recommended set, completed choices and the toggles of the result page.

#: The treatments PREDICT evaluates, as case fields (``treatments.<name>``), in the order PREDICT v3 adds them.
TREATMENTS = ("endocrine", "radiotherapy", "chemotherapy", "trastuzumab", "bisphosphonate")
_TREATMENT_NAMES = {"endocrine": "Endocrine therapy", "chemotherapy": "Chemotherapy", "trastuzumab": "Trastuzumab",
                    "bisphosphonate": "Bisphosphonate", "radiotherapy": "Radiotherapy"}
CHEMOTHERAPY_CHOICES = (("third_gen", "third generation"), ("second_gen", "second generation"))


def recommended_treatments(case: Case, decisions: dict[str, str]) -> dict[str, Any]:
    """The treatments the recommendations name, as the case format writes them (``treatments`` fields)."""
    from micromets.prognosis.case_adapter import choose_treatments

    choice = choose_treatments(case.model_copy(update={"treatments": None}), decisions)
    generation = {2: "second_gen", 3: "third_gen"}.get(choice.chemotherapy_generation, "none")
    return {"endocrine": choice.endocrine, "chemotherapy": generation, "trastuzumab": choice.trastuzumab,
            "bisphosphonate": choice.bisphosphonate, "radiotherapy": choice.radiotherapy}


def complete_treatments(case: Case, prognosis_version: str | None = None) -> Case:
    """The case with every treatment the user left open taken from the recommended set.

    The case format reads a ``treatments`` object as the whole set to evaluate (an absent treatment is
    not given); a clinician who sets one treatment on the form means "this one changed, the rest as
    recommended". A case without ``treatments`` or with all of them given is returned unchanged.
    """
    given = case.treatments
    if given is None or all(getattr(given, name) is not None for name in TREATMENTS):
        return case
    from micromets.assess import assess

    base = assess(case.model_copy(update={"treatments": None}), prognosis_version=prognosis_version)
    recommended = recommended_treatments(case, base.decisions)
    filled = {name: recommended[name] for name in TREATMENTS if getattr(given, name) is None}
    if filled.get("endocrine") is False and given.endocrine_years is not None:
        filled["endocrine"] = True  # a duration was given: endocrine therapy is meant
    return case.model_copy(update={"treatments": given.model_copy(update=filled)})


def complete_treatment_changes(case_data: dict[str, Any], changes: dict[str, Any],
                               prognosis_version: str | None = None) -> dict[str, Any]:
    """What-if changes that choose some treatments, completed so that the others stay as they were (as given, or
    as recommended for the changed case): never a silent new set. Other changes are returned as they are.

    The changes are validated by the what-if itself; a change set this cannot apply is returned unchanged."""
    if not any(path.startswith("treatments.") for path in changes):
        return changes
    from micromets.errors import CaseValidationError
    from micromets.model import parse_case
    from micromets.whatif import apply_changes

    try:
        changed = complete_treatments(parse_case(apply_changes(case_data, changes)), prognosis_version)
    except (CaseValidationError, ValueError, KeyError):
        return changes
    assert changed.treatments is not None
    return {**{f"treatments.{name}": getattr(changed.treatments, name) for name in TREATMENTS}, **changes}


@dataclass(frozen=True)
class Toggle:
    name: str
    label: str
    included: bool
    recommended: bool
    gains: list[float] = field(default_factory=list)
    value: str = ""
    #: Why a treatment is left out when the rules deferred it or the patient declined it ("" otherwise): "not
    #: recommended" would read as a clinical 'no' for a treatment that waits for delivery or that she refused.
    held_back: str = ""
    #: The decision behind it in words when it is not a plain yes or no: "to discuss", "omission possible".
    standing: str = ""

    @property
    def status(self) -> str:
        """The treatment's standing in words: recommended, to discuss, omission possible, not recommended, deferred
        or declined (a treatment only to discuss is not called recommended)."""
        return self.held_back or self.standing or ("recommended" if self.recommended else "not recommended")

    @property
    def gain_texts(self) -> list[str]:
        return [("+" if g >= 0 else "−") + percent(abs(g)) for g in self.gains]


def toggles(case: Case, assessment: Assessment) -> list[Toggle]:
    """One toggle per treatment: whether it is evaluated now, whether it is recommended, its increment."""
    recommended = recommended_treatments(case, assessment.decisions)
    prognosis = assessment.prognosis
    gains = {b.treatment: b.overall_survival_gain for b in prognosis.incremental_benefit} if prognosis else {}
    given = case.treatments
    # Rows in the order the model adds the treatments (each increment is on top of the rows above it).
    evaluated = list(prognosis.treatments_evaluated) if prognosis else []
    order = sorted(TREATMENTS, key=lambda n: (evaluated.index(n) if n in evaluated else len(evaluated),
                                              TREATMENTS.index(n)))
    out = []
    for name in order:
        chosen = getattr(given, name) if given is not None else None
        if chosen is None:
            chosen = recommended[name]
        if name == "chemotherapy":
            included = chosen not in (None, "none", False)
            value = str(chosen) if included else str(recommended[name]) if recommended[name] != "none" else "third_gen"
            is_recommended = recommended[name] != "none"
        else:
            included, value, is_recommended = bool(chosen), "", bool(recommended[name])
        why = held_back(name, assessment.decisions)
        if not why and not included and name == "bisphosphonate" and before_menopause(case) \
                and assessment.decisions.get(name) in ("recommended", "discuss"):
            why = BEFORE_MENOPAUSE  # to discuss, but PREDICT's benefit is a postmenopausal one (EBCTCG 2015)
        values = {assessment.decisions.get(key) for key in TREATMENT_DECISIONS[name]}
        standing = "" if "recommended" in values else "to discuss" if "discuss" in values \
            else "omission possible" if "omission_possible" in values else ""
        out.append(Toggle(name, _TREATMENT_NAMES[name], included, is_recommended, list(gains.get(name, [])), value,
                          why, standing))
    return out


def treatments_from_toggles(data: dict[str, list[str]], current: dict[str, Any] | None) -> dict[str, Any]:
    """The ``treatments`` object a posted set of toggles stands for (every treatment explicit)."""
    chosen = set(data.get("treat", []))
    out: dict[str, Any] = {k: v for k, v in (current or {}).items() if k in ("endocrine_years", "heart_dose_gy")}
    for name in TREATMENTS:
        if name == "chemotherapy":
            generation = (data.get("treat_chemotherapy_generation") or ["third_gen"])[0]
            out[name] = (generation if generation in dict(CHEMOTHERAPY_CHOICES) else "third_gen") \
                if name in chosen else "none"
        else:
            out[name] = name in chosen
    if not out["endocrine"]:
        out.pop("endocrine_years", None)
    return out


# Recommendations: a one-line headline, the rest folded.

_TOPICS = {"slnb": "sentinel_biopsy", "alnd": "axillary_surgery", "her2": "her2_therapy", "cdk46": "cdk46_inhibitor",
           "rni": "regional_nodal_irradiation", "pmrt": "post_mastectomy_rt", "wbrt": "whole_breast_rt"}
_DIAGNOSTIC_TOPICS = {"staging_imaging": "Staging imaging", "genomic_assay": "Genomic assay", "lvef": "Cardiac function",
                      "her2": "HER2 testing", "germline": "Germline testing", "slnb": "Sentinel node biopsy",
                      "geriatric_assessment": "Geriatric assessment", "axillary_ultrasound": "Axillary ultrasound"}
_HEADLINE_LENGTH = 110


def topic(rule_id: str, domain: str) -> str:
    """What a recommendation is about, in words, from its rule id (``systemic.cdk46.x`` -> CDK4/6 inhibitor)."""
    parts = rule_id.split(".")
    token = parts[1] if len(parts) > 1 else ""
    if domain == "diagnostics":
        return _DIAGNOSTIC_TOPICS.get(token, label(token) if token else "Diagnostics")
    return label(_TOPICS.get(token, token)) if token else label(domain)


def headline(text: str) -> str:
    """The first sentence of a recommendation, cut at a clause or word boundary when it is long.

    >>> headline("Omit ALND: micrometastasis only (IBCSG 23-01; AATRM). More text.")
    'Omit ALND: micrometastasis only …'
    """
    match = re.search(r"(?<=[.;])\s", text)
    first = (text[:match.start()] if match else text).rstrip(";")
    if first.count("(") > first.count(")"):  # cut inside a parenthesis: end the headline before it
        return first[:first.rfind("(")].rstrip(" ,:;") + " …"
    if len(first) <= _HEADLINE_LENGTH:
        return first
    for mark in (": ", "; ", ", "):
        cut = first.find(mark, 30)
        if 0 < cut <= _HEADLINE_LENGTH:
            return first[:cut] + " …"
    return first[:_HEADLINE_LENGTH].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class Citation:
    number: int
    id: str


@dataclass(frozen=True)
class RecommendationView:
    id: str
    domain: str
    topic: str
    decision: str
    decision_text: str
    tone: str
    glyph: str
    strength: str
    headline: str
    text: str
    rationale: str
    would_change_if: str
    citations: list[Citation]
    clinical_decision: str | None
    active: bool


_INACTIVE = ("not_indicated", "not_applicable", "do_not_order")


def recommendation_views(assessment: Assessment) -> tuple[list[RecommendationView], list[Reference]]:
    """The recommendations (actionable first) with headlines and numbered citations, and the reference list."""
    refs = references(assessment)
    numbers = {r.id: r.number for r in refs}
    views = []
    for r in assessment.recommendations:
        citations = sorted({Citation(numbers[e], e) for e in r.evidence if e in numbers}, key=lambda c: c.number)
        views.append(RecommendationView(
            r.id, r.domain, topic(r.id, r.domain), r.decision, decision_text(r.decision), tone(r.decision),
            glyph(r.decision), r.strength, headline(r.text), r.text, r.rationale, r.would_change_if, citations,
            r.clinical_decision, r.decision not in _INACTIVE))
    views.sort(key=lambda v: not v.active)
    return views, refs


# What-if from the whole form: which inputs differ.

def leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(leaves(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list) and prefix == "nodes.deposits":
        for i, row in enumerate(data):
            out.update(leaves(row, f"{prefix}[{i}]"))
    else:
        out[prefix] = data
    return out


def case_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The changes (dotted path -> new value; ``None`` = now unknown) that turn ``before`` into ``after``.

    Deposits are compared row by row when their number is the same, else the whole list is replaced.

    >>> case_changes({"age": 50, "tumour": {"grade": 2}}, {"age": 50, "tumour": {"grade": 3}})
    {'tumour.grade': 3}
    """
    old_rows = (before.get("nodes") or {}).get("deposits") or []
    new_rows = (after.get("nodes") or {}).get("deposits") or []
    if len(old_rows) != len(new_rows):
        changes: dict[str, Any] = {"nodes.deposits": new_rows}
        before = _without_deposits(before)
        after = _without_deposits(after)
    else:
        changes = {}
    old, new = leaves(before), leaves(after)
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            changes[path] = new.get(path)
    return changes


def _without_deposits(data: dict[str, Any]) -> dict[str, Any]:
    nodes = {k: v for k, v in (data.get("nodes") or {}).items() if k != "deposits"}
    return {**data, "nodes": nodes} if "nodes" in data else data
