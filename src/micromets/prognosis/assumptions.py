"""No silent defaults: what PREDICT used where the case gave nothing, and when its other-cause figure misleads.

Two kinds of :class:`~micromets.model.ModelAssumption` are produced for the report, which shows them next
to the survival figures:

* **input assumptions** (:func:`input_assumptions`): a model input the case lacks and the value the model
  used instead (unknown grade 2.13, unknown detection 0.204, the 2 Gy mean heart dose when radiotherapy is
  evaluated without a dose, the population-average smoking term, the treatments chosen from the
  recommendations, ...). The values are read from the coefficient files, never restated here.
* **other-cause caveats** (:func:`other_cause_caveats`): PREDICT's other-cause mortality depends on age
  (v3.x: also smoking and treatment harms) and on nothing else. When the case shows comorbidity, poor
  performance status or frailty, or the team's life-expectancy estimate is shorter than PREDICT implies,
  the figure overstates life expectancy; no published coefficient lets micromets correct it
  (``knowledge/predict/other_cause_caveats.json`` says why), so the report says so.

    >>> median_survival_years([0.9, 0.7, 0.5, 0.3])
    3.0
    >>> median_survival_years([0.99] * 15) is None
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from micromets.knowledge import load_json
from micromets.model import Case, Findings, ModelAssumption
from micromets.model._built import ModelAssumptionFields

from ._coefficients import load_coefficients, load_refit_coefficients

__all__ = [
    "CAVEAT_VALUE",
    "caveat_table",
    "is_other_cause_caveat",
    "input_assumption_fields",
    "input_assumptions",
    "median_survival_years",
    "other_cause_caveats",
    "other_cause_findings",
]

_REFITTED = ("3.2",)
#: ``value_used`` prefix of the caveats that say PREDICT's other-cause figure overstates life expectancy.
CAVEAT_VALUE = "not used: "


class TreatmentsEvaluated(Protocol):
    """What :class:`micromets.prognosis.case_adapter.TreatmentChoice` exposes (read only)."""

    @property
    def endocrine(self) -> bool: ...
    @property
    def endocrine_years(self) -> int: ...
    @property
    def chemotherapy_generation(self) -> int: ...
    @property
    def trastuzumab(self) -> bool: ...
    @property
    def bisphosphonate(self) -> bool: ...
    @property
    def radiotherapy(self) -> bool: ...
    @property
    def source(self) -> str: ...


@cache
def caveat_table() -> dict[str, Any]:
    """``knowledge/predict/other_cause_caveats.json`` (thresholds with their evidence)."""
    data: dict[str, Any] = load_json("predict/other_cause_caveats.json")
    return data


@cache  # functions of a version's coefficients
def _unknown_values(version: str) -> tuple[float, float, float, float, float]:
    """(unknown grade, unknown detection, mean heart dose Gy, other-cause HR per Gy, smoking prevalence)."""
    if version in _REFITTED:
        r = load_refit_coefficients(version).coefficients
        return (r.unknown_grade_value, r.unknown_screen_value, r.radiotherapy.population_mean_heart_gy,
                r.radiotherapy.other_relative_hazard_per_gy, r.smoking.population_prevalence)
    c = load_coefficients(version).coefficients
    rt, sm = c.radiotherapy, c.smoking
    return (c.unknown_grade_value, c.unknown_screen_value,
            math.nan if rt is None else rt.population_mean_heart_gy,
            math.nan if rt is None else rt.other_relative_hazard_per_gy,
            math.nan if sm is None else sm.population_prevalence)


@cache  # functions of a version's coefficients (their numbers formatted once, not for every patient)
def _input_assumption_words(version: str) -> dict[str, tuple[str, str, str]]:
    """The input, value used and note of each assumption :func:`input_assumption_fields` may make for ``version``."""
    grade, screen, heart_gy, per_gy, smokers = _unknown_values(version)
    grade_used = f"{grade:g} (the model's value for unknown grade)"
    grade_note = f"Histological grade not given: PREDICT v{version} enters {grade:g}, between grade 2 and 3."
    her2_note = f": PREDICT v{version} leaves the HER2 term out."
    return {
        "grade": ("tumour.grade", grade_used, grade_note),
        "grade_er_negative": ("tumour.grade", grade_used, grade_note + (
            " In ER-negative disease v2.2 scores unknown grade as grade 1 and v3.0 as grade 2-3 (binary term).")),
        "screen_detected": (
            "detection", f"{screen:g} (the model's value for unknown mode of detection)",
            f"Mode of detection not given: PREDICT v{version} enters {screen:g}, the screen-detected share of its "
            "development population."),
        "her2": ("tumour.her2_ihc", "no HER2 term (unknown)", "HER2 status not given" + her2_note),
        "her2_equivocal": ("tumour.her2_ihc", "no HER2 term (unknown)", "HER2 equivocal (IHC 2+ without ISH)" + her2_note),
        "ki67": ("tumour.ki67_percent", "no Ki-67 term (unknown)",
                 f"Ki-67 not given: PREDICT v{version} leaves the Ki-67 term out (ER-positive model)."),
        "pr": ("tumour.pr_percent", "no PR term (unknown)",
               f"PR status not given: PREDICT v{version} leaves the PR term out."),
        "smoker": ("smoker", f"population average ({smokers:.0%} smokers)",
                   f"Smoking status not given: PREDICT v{version} uses the average other-cause mortality of a "
                   f"population with {smokers:.0%} smokers."),
        "heart_dose_gy": (
            "treatments.heart_dose_gy", f"{heart_gy:g} Gy (the model's population mean heart dose)",
            f"Radiotherapy is evaluated and no mean heart dose is given: PREDICT v{version} assumes {heart_gy:g} Gy; "
            f"each Gy multiplies other-cause mortality by {per_gy:g}. Enter the planned mean heart dose."),
        "age": ("age", "25 years",
                "PREDICT v3.2 is undefined below 25 (it takes ln(age - 24)); computed at 25 as the web tool does."),
    }


def input_assumptions(
    case: Case, findings: Findings, values: Mapping[str, float], choice: TreatmentsEvaluated, version: str
) -> list[ModelAssumption]:
    """Every value PREDICT ``version`` uses in place of an input the case lacks (``values`` as coded for the model)."""
    return [ModelAssumption(**fields) for fields in input_assumption_fields(case, findings, values, choice, version)]


def input_assumption_fields(
    case: Case, findings: Findings, values: Mapping[str, float], choice: TreatmentsEvaluated, version: str
) -> list[ModelAssumptionFields]:
    """:func:`input_assumptions` as the fields of each assumption (strings, every field given: the pipeline builds
    them without validating again, ``micromets.model._built``)."""
    words = _input_assumption_words(version)
    v3 = not version.startswith("2.")
    er_positive = values.get("er") == 1.0
    nan = math.nan

    def unknown(name: str) -> bool:  # an input absent or NaN (only NaN differs from itself)
        value = values.get(name, nan)
        return value != value

    out: list[ModelAssumptionFields] = []

    def add(key: str) -> None:
        field, used, note = words[key]
        out.append({"input": field, "value_used": used, "note": note})

    if unknown("grade"):
        add("grade" if version in _REFITTED or er_positive else "grade_er_negative")
    if unknown("screen_detected") and (er_positive or version in _REFITTED):
        add("screen_detected")
    if unknown("her2"):
        add("her2_equivocal" if findings.her2 == "equivocal" else "her2")
    if unknown("ki67") and er_positive:
        add("ki67")
    if v3 and unknown("pr"):
        add("pr")
    if v3 and unknown("smoker"):
        add("smoker")
    if v3 and choice.radiotherapy and unknown("heart_dose_gy"):
        add("heart_dose_gy")
    if version in _REFITTED and case.age is not None and case.age < 25:
        add("age")
    out += _treatment_assumptions(case, choice)
    return out


def _treatment_assumptions(case: Case, choice: TreatmentsEvaluated) -> list[ModelAssumptionFields]:
    out: list[ModelAssumptionFields] = []
    named = [name for name, on in (("radiotherapy", choice.radiotherapy), ("endocrine therapy", choice.endocrine),
                                   ("chemotherapy", choice.chemotherapy_generation > 0),
                                   ("trastuzumab", choice.trastuzumab), ("bisphosphonate", choice.bisphosphonate))
             if on]
    if choice.source == "recommendations":
        details = []
        if choice.endocrine:
            details.append(f"endocrine therapy for {choice.endocrine_years} years")
        if choice.chemotherapy_generation:
            details.append(f"generation-{choice.chemotherapy_generation} chemotherapy (the class PREDICT calls "
                           "third generation: taxane plus anthracycline)" if choice.chemotherapy_generation == 3
                           else f"generation-{choice.chemotherapy_generation} chemotherapy")
        out.append({
            "input": "treatments",
            "value_used": ", ".join(named) if named else "surgery only",
            "note": "The case names no treatments, so PREDICT evaluates the options the recommendations name"
                    + (f" ({'; '.join(details)})" if details else "") + ". Enter treatments to evaluate others."})
    elif case.treatments is not None and case.treatments.endocrine and case.treatments.endocrine_years is None:
        out.append({"input": "treatments.endocrine_years", "value_used": f"{choice.endocrine_years} years",
                    "note": "Duration of endocrine therapy not given: PREDICT evaluates 5 years."})
    return out


def is_other_cause_caveat(assumption: ModelAssumption) -> bool:
    """True for the caveats of :func:`other_cause_caveats` that are also assessment warnings."""
    return assumption.value_used.startswith(CAVEAT_VALUE)


def median_survival_years(survival: Sequence[float]) -> float | None:
    """The year at which yearly survival (years 1, 2, ...; 1.0 at year 0) first reaches 0.5, interpolated
    linearly between years; ``None`` when it stays above 0.5."""
    previous = 1.0
    for year, value in enumerate(survival, start=1):
        if value <= 0.5:
            return round(year - 1 + (previous - 0.5) / (previous - value), 1)
        previous = value
    return None


def other_cause_findings(case: Case) -> list[tuple[str, str, list[str]]]:
    """The case facts that make PREDICT's other-cause figure too optimistic: (field, fact in words, evidence)."""
    table = caveat_table()["triggers"]
    found: list[tuple[str, str, list[str]]] = []

    def limit(name: str) -> Any:
        return table[name]["value"]

    def evidence(name: str) -> list[str]:  # a fresh list for each finding (only for the facts found)
        return list(table[name]["evidence"])

    if case.charlson_index is not None and case.charlson_index >= limit("charlson_index_at_least"):
        found.append(("charlson_index", f"Charlson comorbidity index {case.charlson_index}",
                      evidence("charlson_index_at_least")))
    if case.ecog is not None and case.ecog >= limit("ecog_at_least"):
        found.append(("ecog", f"ECOG performance status {case.ecog}", evidence("ecog_at_least")))
    if case.g8_score is not None and case.g8_score <= limit("g8_score_at_most"):
        found.append(("g8_score", f"G8 score {case.g8_score:g} (abnormal at {limit('g8_score_at_most')} or less)",
                      evidence("g8_score_at_most")))
    if case.clinical_frailty_scale is not None and case.clinical_frailty_scale >= limit(
            "clinical_frailty_scale_at_least"):
        found.append(("clinical_frailty_scale", f"Clinical Frailty Scale {case.clinical_frailty_scale}",
                      evidence("clinical_frailty_scale_at_least")))
    conditions = case.conditions
    if conditions is not None:
        if conditions.egfr_ml_min is not None and conditions.egfr_ml_min < limit("egfr_ml_min_below"):
            found.append(("conditions.egfr_ml_min",
                          f"eGFR {conditions.egfr_ml_min:g} mL/min/1.73 m² (below {limit('egfr_ml_min_below')})",
                          evidence("egfr_ml_min_below")))
        present = table["conditions_present"]
        for name in present["value"]:
            if getattr(conditions, name) is True:
                found.append((f"conditions.{name}", name.replace("_", " "), list(present["evidence"])))
        if conditions.autoimmune_disease in present["autoimmune_disease_values"]:
            found.append(("conditions.autoimmune_disease", f"{conditions.autoimmune_disease} autoimmune disease",
                          list(present["evidence"])))
    return found


def other_cause_caveats(
    case: Case, surgery_other_survival: Sequence[float], version: str
) -> tuple[list[ModelAssumption], list[str]]:
    """Assumptions (shown next to the figures) and assessment warnings about PREDICT's other-cause mortality.

    ``surgery_other_survival`` is the model's net other-cause survival for surgery alone, years 1-15; it is read
    only when the case gives ``life_expectancy_years`` (callers may pass an empty list otherwise).
    """
    assumptions: list[ModelAssumption] = []
    warnings: list[str] = []
    facts = other_cause_findings(case)
    if facts:
        texts = [text for _, text, _ in facts]
        listed = texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]
        message = (f"PREDICT v{version}'s other-cause mortality assumes the health of an average woman of this age "
                   f"(it has no comorbidity or frailty term); with {listed}, it likely understates deaths from other "
                   "causes and overstates this patient's life expectancy and every absolute treatment benefit. "
                   "No published coefficient allows PREDICT's figure to be corrected for this, so it is shown uncorrected.")
        assumptions.append(ModelAssumption(
            input=", ".join(dict.fromkeys(field for field, _, _ in facts)),
            value_used=CAVEAT_VALUE + "other-cause mortality of an average woman of the same age",
            note=message))
        warnings.append(message)
    estimate = case.life_expectancy_years
    # PREDICT's median is compared with the team's estimate only: without one it is not computed
    median = None if estimate is None else median_survival_years(surgery_other_survival)
    if estimate is not None and (median is None or estimate < median) and not (median is None and estimate >= 15):
        median_text = "more than 15 years" if median is None else f"{median:g} years"
        year = min(max(int(math.ceil(estimate)), 1), len(surgery_other_survival))
        alive = surgery_other_survival[year - 1]
        message = (f"The team's estimate of non-cancer life expectancy ({estimate:g} years) is shorter than PREDICT "
                   f"v{version} implies: half of women like her would die of other causes only after {median_text}, "
                   f"and {alive:.0%} would be alive (breast cancer set aside) at year {year}. PREDICT's other-cause "
                   "deaths are too few and its absolute treatment benefits too large for this patient.")
        assumptions.append(ModelAssumption(
            input="life_expectancy_years",
            value_used=f"{CAVEAT_VALUE}PREDICT's median other-cause survival, {median_text}",
            note=message))
        warnings.append(message)
    if not facts and case.comorbidities:
        assumptions.append(ModelAssumption(
            input="comorbidities",
            value_used="not used (free text is never interpreted)",
            note="Comorbidities are listed only as free text: PREDICT assumes the other-cause mortality of an average "
                 "woman of this age. Code them (conditions, charlson_index) if they shorten her life expectancy."))
    return assumptions, warnings
