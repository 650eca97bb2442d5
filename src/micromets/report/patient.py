"""A page for the patient: the same PREDICT figures as the tumour-board report, in plain words, with an icon array.

"Of 100 women like you, 10 years after surgery": how many are alive after surgery alone, how many more are alive
because of each treatment, how many die of breast cancer and how many of other causes. The wording follows the
patient's sex (men get breast cancer too; "people" when it is not recorded). No stage codes, no receptor codes,
no rule ids. The page is self-contained and prints on one A4 sheet.

    >>> from micromets.model.assessment import Assessment, Findings, Prognosis, Staging
    >>> p = Prognosis.model_validate({"model_version": "3.2", "years": [5, 10, 15],
    ...     "treatments_evaluated": ["endocrine"],
    ...     "overall_survival": {"surgery_only": [.95, .88, .80], "with_treatments": [.96, .905, .83]},
    ...     "breast_cancer_mortality": {"surgery_only": [.03, .07, .11], "with_treatments": [.02, .045, .08]},
    ...     "other_cause_mortality": {"surgery_only": [.02, .05, .09], "with_treatments": [.02, .05, .09]},
    ...     "incremental_benefit": [{"treatment": "endocrine", "overall_survival_gain": [.01, .025, .03]}]})
    >>> [(g.key, g.count) for g in icon_groups(p)]
    [('alive_surgery', 88), ('treatment:endocrine', 3), ('breast_cancer', 4), ('other_causes', 5)]
    >>> sum(g.count for g in icon_groups(p, year=5)), [g.count for g in icon_groups(p, year=5)][:2]
    (100, [95, 1])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from micromets.model.assessment import Assessment, Prognosis
from micromets.model.case import Case

__all__ = ["IconGroup", "icon_array_svg", "icon_groups", "people_word", "render_patient_html"]

#: Treatments in words a patient knows (PREDICT's columns).
_PLAIN_TREATMENTS = {
    "endocrine": "hormone therapy",
    "chemotherapy": "chemotherapy",
    "trastuzumab": "trastuzumab (a targeted drug for HER2-positive cancer)",
    "bisphosphonate": "bone-strengthening drugs (bisphosphonates)",
    "radiotherapy": "radiotherapy",
}
# Okabe-Ito colours (colour-blind safe); every group also has its own shape and its count in words.
_ALIVE = "#0072B2"
_TREATMENT_COLOURS = ("#009E73", "#56B4E9", "#E69F00", "#CC79A7", "#8fbc8f")
_BREAST = "#D55E00"
_OTHER = "#7b8794"


@dataclass(frozen=True)
class IconGroup:
    """One group of the icon array: ``count`` of 100 people, drawn in ``colour``, described by ``text``."""

    key: str
    count: int
    colour: str
    text: str
    alive: bool


def people_word(case: Case | None) -> str:
    """``women``, ``men`` or ``people`` (sex not recorded)."""
    sex = case.sex if case is not None else None
    return {"female": "women", "male": "men"}.get(sex or "", "people")


def plain_treatment(code: str) -> str:
    return _PLAIN_TREATMENTS.get(code, code.replace("_", " "))


def _year_index(p: Prognosis, year: int = 10) -> int:
    return p.years.index(year) if year in p.years else len(p.years) - 1


def _largest_remainder(shares: list[float], total: int = 100) -> list[int]:
    """Whole numbers proportional to ``shares`` that add up to ``total`` (Hamilton's method).

        >>> _largest_remainder([0.0106, 0.0177, 0.0068], 4), _largest_remainder([0.0, 0.0], 3)
        ([1, 2, 1], [2, 1])
    """
    if not shares or total <= 0:
        return [0] * len(shares)
    positive = [max(0.0, s) for s in shares]
    if not sum(positive):
        positive = [1.0] * len(shares)  # nothing to go by: share equally
    scaled = [s * total / sum(positive) for s in positive]
    counts = [math.floor(x) for x in scaled]
    order = sorted(range(len(scaled)), key=lambda i: (-(scaled[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def icon_groups(p: Prognosis, year: int = 10) -> list[IconGroup]:
    """The 100 people of the icon array at ``year`` (10, or the last year reported).

    Alive after surgery alone, plus those alive because of each treatment (a treatment whose modelled gain is not
    positive adds nobody), and the deaths from breast cancer and from other causes with the treatments evaluated.
    """
    k = _year_index(p, year)
    alive_treated = p.overall_survival.with_treatments[k]
    breast = p.breast_cancer_mortality.with_treatments[k]
    other = (p.other_cause_mortality.with_treatments[k] if p.other_cause_mortality is not None
             else max(0.0, 1.0 - alive_treated - breast))
    gains = [(b.treatment, max(0.0, b.overall_survival_gain[k])) for b in p.incremental_benefit
             if b.treatment in p.treatments_evaluated or not p.treatments_evaluated]
    # The two "alive" totals are the rounded percentages the page's table shows, so the icons and the table agree;
    # the difference is shared among the treatments, the rest among the two causes of death.
    alive_total = _half_up(100 * alive_treated)
    alive_surgery = min(alive_total, _half_up(100 * p.overall_survival.surgery_only[k]))
    extra = _largest_remainder([g for _, g in gains], alive_total - alive_surgery) if gains else []
    deaths = _largest_remainder([breast, other], 100 - alive_total)
    counts = [alive_surgery, *extra, *deaths]
    groups = [IconGroup("alive_surgery", counts[0], _ALIVE, "are alive after surgery alone", True)]
    for i, (treatment, _) in enumerate(gains):
        groups.append(IconGroup(f"treatment:{treatment}", counts[1 + i], _TREATMENT_COLOURS[i % len(_TREATMENT_COLOURS)],
                                f"more are alive because of {plain_treatment(treatment)}", True))
    groups.append(IconGroup("breast_cancer", counts[-2], _BREAST, "die of breast cancer", False))
    groups.append(IconGroup("other_causes", counts[-1], _OTHER, "die of something other than breast cancer", False))
    return groups


def _person(x: float, y: float, colour: str, alive: bool) -> str:
    """One person: a head and shoulders; those who died are drawn as an outline with a cross bar."""
    if alive:
        return (f'<g fill="{colour}"><circle cx="{x + 8:g}" cy="{y + 5:g}" r="4.2"/>'
                f'<path d="M{x + 1:g} {y + 22:g} q0 -11 7 -11 q7 0 7 11 z"/></g>')
    return (f'<g fill="none" stroke="{colour}" stroke-width="1.8"><circle cx="{x + 8:g}" cy="{y + 5:g}" r="3.6"/>'
            f'<path d="M{x + 1.9:g} {y + 21.2:g} q0 -9.6 6.1 -9.6 q6.1 0 6.1 9.6 z"/></g>')


def icon_array_svg(groups: list[IconGroup], description: str) -> str:
    """A 10 × 10 grid of people, filled row by row in the order of ``groups``."""
    cells = [g for g in groups for _ in range(g.count)]
    parts = [f'<svg class="mm-icons" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 250" role="img" '
             f'aria-label="{Markup.escape(description)}">']
    for n, group in enumerate(cells[:100]):
        row, col = divmod(n, 10)
        parts.append(_person(col * 20 + 2, row * 25 + 1, group.colour, group.alive))
    parts.append("</svg>")
    return "".join(parts)


def _context(assessment: Assessment, case: Case | None) -> dict[str, Any]:
    people = people_word(case)
    p = assessment.prognosis
    context: dict[str, Any] = {"a": assessment, "people": people, "prognosis": p}
    if p is None:
        return context
    k = _year_index(p)
    groups = icon_groups(p)
    treatments = [plain_treatment(t) for t in p.treatments_evaluated]
    alive = sum(g.count for g in groups if g.alive)
    description = (f"Of 100 {people} like you, 10 years after surgery: "
                   + "; ".join(f"{g.count} {g.text}" for g in groups) + ".")
    context.update(
        year=p.years[k], groups=groups, alive=alive, treatments=treatments,
        treatments_phrase=_join(treatments) or "no further treatment",
        svg=Markup(icon_array_svg(groups, description)),
        by_year=[(y, _half_up(100 * s), _half_up(100 * w)) for y, s, w in zip(
            p.years, p.overall_survival.surgery_only, p.overall_survival.with_treatments, strict=True)],
        small_gains=[g for g in groups if g.key.startswith("treatment:") and g.count == 0],
    )
    return context


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def render_patient_html(assessment: Assessment, case: Case | None = None) -> str:
    """The patient page as a standalone, printable HTML document."""
    from .html import _environment

    return _environment().get_template("patient.html").render(**_context(assessment, case))
