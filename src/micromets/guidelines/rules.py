"""Guideline rule tables: loaded from ``knowledge/guidelines/*.json`` and validated once.

Every file has a header (id, title, source evidence ids, version, last_modified); the evidence ids of
the header and of every criteria set must resolve in the evidence registry, or loading fails.

Eligibility criteria are written in a small language: a *criteria set* is a list of criteria that must
all hold; a criterion compares one named patient fact with a value (``>=``, ``>``, ``<=``, ``<``,
``==``, ``in``). Evaluating a set gives met / failed / unknown, so a rule can say *which* input is
missing instead of guessing.

    >>> rules().chemotherapy.recurrence_score.chemotherapy_min
    26
    >>> s = rules().slnb_omission.criteria_sets[1]
    >>> facts = {"age": 74, "sex": "female", "clinical_size_mm": 15, "subtype": "hr_pos_her2_neg", "clinical_n": "N0",
    ...          "axillary_ultrasound_suspicious": False}
    >>> evaluate(s, facts).met, evaluate(s, {**facts, "endocrine_accepted": True}).met
    (False, True)
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, NamedTuple, Self, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from micromets.errors import KnowledgeError
from micromets.knowledge import load_json
from micromets.knowledge.evidence import unknown_evidence_ids

FactValue = float | int | str | bool | None


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Data):
    fact: str
    op: Literal[">=", ">", "<=", "<", "==", "in"]
    value: float | int | str | bool | list[int | str]
    label: str

    @model_validator(mode="after")
    def _value_fits_op(self) -> Self:
        """Refused when the rule tables load, not when a patient first reaches the criterion: an ordering against
        a value that is not a number, ``in`` anything but a list, ``==`` a list (neither holds for any fact)."""
        value = self.value
        if self.op == "in":
            fits = isinstance(value, list)
        elif self.op == "==":
            fits = not isinstance(value, list)
        else:
            fits = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not fits:
            raise ValueError(f"criterion {self.label!r}: {self.op} {value!r} holds for no fact")
        return self


class CriteriaSet(_Data):
    name: str
    evidence: list[str] = Field(min_length=1)
    strength: Literal["strong", "moderate", "weak"]
    all: list[Criterion] = Field(min_length=1)


class _Header(_Data):
    id: str
    title: str
    source: list[str] = Field(min_length=1)
    version: str
    last_modified: dt.date
    notes: str = ""


class SlnbOmission(_Header):
    criteria_sets: list[CriteriaSet]


class Morbidity(_Data):
    evidence: str
    figure: str


class PostNeoadjuvantMapping(_Data):
    """Sentinel biopsy after neoadjuvant therapy in initially node-positive disease: what makes it adequate."""

    notes: str = ""
    evidence: list[str]
    #: At least this many sentinel nodes, or the clipped node retrieved, brings the false-negative rate to about 10%
    #: or below in the trials.
    min_sentinel_nodes: int
    min_tracers: int
    #: Whether dual-tracer mapping alone (with fewer than ``min_sentinel_nodes``) makes a negative biopsy adequate.
    dual_tracer_alone_adequate: bool
    false_negative_rates: list[Morbidity]


class Axilla(_Header):
    z0011_max_positive_nodes: int
    z0011_t_groups: list[str]
    senomac_t_groups: list[str]
    #: IBCSG 23-01 enrolled tumours of at most 5 cm (T1-2): beyond that, micrometastases are outside the trial.
    ibcsg_23_01_t_groups: list[str]
    #: From this many micrometastatic sentinel nodes the trials hold few patients: omission is discussed.
    micrometastases_few_in_trials_min_nodes: int
    morbidity: list[Morbidity]
    post_neoadjuvant_mapping: PostNeoadjuvantMapping


class RecurrenceScore(_Data):
    chemotherapy_min: int
    younger_max_age: int
    younger_endocrine_alone_max: int
    node_positive_postmenopausal_endocrine_alone_max: int


class LowClinicalRisk(_Data):
    """Node-negative HR+/HER2- tumours for which no assay is ordered because no chemotherapy would be offered."""

    notes: str = ""
    older_min_age: int
    older_max_size_mm_by_grade: dict[str, float]
    any_age_grade1_max_size_mm: float


class MindactClinicalRisk(_Data):
    """MINDACT's clinical risk of HR+/HER2- disease: the largest size still low risk, by grade and nodal group."""

    notes: str = ""
    evidence: list[str] = Field(min_length=1)
    node_negative_low_max_size_mm_by_grade: dict[str, float]
    node_positive_low_max_size_mm_by_grade: dict[str, float]


class AssayTrialsMaxAge(_Data):
    """The oldest age enrolled by the trials behind each assay's chemotherapy recommendation."""

    notes: str = ""
    evidence: list[str] = Field(min_length=1)
    recurrence_score: float
    mammaprint: float


class Chemotherapy(_Header):
    t1a_max_mm: float
    t1b_max_mm: float
    t1c_max_mm: float
    apt_max_size_mm: float
    assay_min_size_mm: float
    chemo_without_assay_min_positive_nodes: int
    recurrence_score: RecurrenceScore
    no_assay_low_clinical_risk: LowClinicalRisk
    mindact_clinical_risk: MindactClinicalRisk
    assay_trials_max_age: AssayTrialsMaxAge


class CpsEg(_Data):
    """The CPS+EG staging score (points per stage group, ER-negative and grade 3) and OlympiA's threshold."""

    notes: str = ""
    evidence: list[str]
    clinical_stage_points: dict[str, int]
    pathological_stage_points: dict[str, int]
    er_negative_points: int
    grade3_points: int
    min_score: int


class Targeted(_Header):
    monarche_cohort1: list[CriteriaSet]
    natalee: list[CriteriaSet]
    olympia_adjuvant: list[CriteriaSet]
    keynote522: list[CriteriaSet]
    olympia_cps_eg: CpsEg
    germline_testing_all_max_age: int


class Endocrine(_Header):
    ofs_young_age_below: int
    ofs_stages: list[str]
    standard_years: int
    extended_years: int
    bisphosphonate_high_risk_min_size_mm: float


class Sourced(_Data):
    """A group of patient-factor thresholds with the sources they come from."""

    notes: str = ""
    evidence: list[str] = Field(min_length=1)


class Fitness(Sourced):
    """Who would be offered chemotherapy: performance status, frailty, comorbidity, life expectancy."""

    frail_min_ecog: int
    frail_min_clinical_frailty_scale: int
    vulnerable_min_clinical_frailty_scale: int
    g8_abnormal_max: float
    older_min_age: float
    geriatric_assessment_min_age: float
    #: From this age a decision that fitness would change is held when no fitness measure is given.
    unassessed_hold_min_age: float
    min_life_expectancy_years: float


class PerformanceStatus(Sourced):
    """Karnofsky to ECOG: the lowest KPS of each ECOG grade, and the grade difference that is a conflict."""

    karnofsky_min_by_ecog: dict[int, int]
    conflict_min_grades: int


class Cardiac(Sourced):
    """Cardiotoxic agents (anthracyclines, trastuzumab, pertuzumab, T-DM1) and the heart."""

    lvef_severe_below_percent: float
    lvef_borderline_max_percent: float
    high_dose_anthracycline_min_mg_m2: float


class Drugs(Sourced):
    """Drug-specific limits from the labels."""

    ribociclib_qtcf_max_ms_exclusive: float
    capecitabine_contraindicated_below_ml_min: float
    capecitabine_reduced_dose_below_ml_min: float
    zoledronic_acid_not_recommended_below_ml_min: float
    zoledronic_acid_reduced_dose_below_ml_min: float
    taxane_caution_min_neuropathy_grade: int


class PregnancyRules(Sourced):
    chemotherapy_from_week: float


class Safety(_Header):
    chemotherapy_discuss_min_ecog: int
    charlson_high_min: int
    lvef_min_percent: float
    trial_max_ecog: int
    performance_status: PerformanceStatus
    fitness: Fitness
    cardiac: Cardiac
    drugs: Drugs
    pregnancy: PregnancyRules


class Boost(_Data):
    recommended_max_age: int
    omission_min_age_exclusive: int
    close_margin_below_mm: float
    wide_margin_min_mm: float
    #: In situ carcinoma only (ASTRO 2018's DCIS statement): a boost for age <= this, high nuclear grade or a
    #: margin under the close-margin cut-off; the invasive thresholds above are not read for DCIS.
    dcis_max_age: int
    dcis_close_margin_below_mm: float


class AdverseFeatures(_Data):
    young_age_below: int
    large_tumour_above_mm: float
    multiple_micrometastatic_nodes_min: int
    min_count_to_discuss: int


class Fractionation(_Data):
    target: str
    schedule: str
    evidence: str


class OrganAtRisk(_Data):
    organ: str
    constraint: str
    verification: Literal["V", "M", "U"]
    evidence: str


class LimitedFitness(_Data):
    """Markers of limited fitness or life expectancy that strengthen an omission the trial criteria already allow."""

    notes: str = ""
    evidence: list[str]
    ecog_min: int
    clinical_frailty_scale_min: int
    g8_max: float
    life_expectancy_below_years: float


class PostNeoadjuvantAlways(_Data):
    """Pre-treatment findings after which PMRT and nodal RT are given whatever the response."""

    notes: str = ""
    evidence: list[str]
    pre_treatment_t_extensions: list[str]
    pre_treatment_n_groups: list[str]


class Radiation(_Header):
    #: Positive nodes from which regional nodal RT and PMRT are indicated outright (MA.20, EBCTCG 2014).
    high_risk_min_positive_nodes: int
    #: T groups for which any nodal metastasis (N1mi included) makes PMRT and nodal RT recommended.
    node_positive_high_risk_t_groups: list[str]
    #: Quadrants counted as medial/central (EORTC 22922 eligibility; internal-mammary node RT).
    medial_central_quadrants: list[str]
    limited_fitness: LimitedFitness
    post_neoadjuvant_always: PostNeoadjuvantAlways
    wbrt_omission: list[CriteriaSet]
    #: The group for which partial-breast irradiation is an alternative to whole-breast RT (ASTRO 2023): named in the
    #: whole-breast RT advice, never a decision of its own.
    pbi_suitable: CriteriaSet
    boost: Boost
    adverse_features: AdverseFeatures
    pmrt_favourable_one_to_three: CriteriaSet
    fractionation: list[Fractionation]
    organs_at_risk: list[OrganAtRisk]


@dataclass(frozen=True)
class RuleBook:
    """Every guideline rule table, validated."""

    slnb_omission: SlnbOmission
    axilla: Axilla
    chemotherapy: Chemotherapy
    targeted: Targeted
    endocrine: Endocrine
    safety: Safety
    radiation: Radiation

    def files(self) -> list[_Header]:
        return [self.slnb_omission, self.axilla, self.chemotherapy, self.targeted, self.endocrine,
                self.safety, self.radiation]


RULE_FILES: dict[str, type[_Header]] = {
    "slnb_omission": SlnbOmission,
    "axilla": Axilla,
    "chemotherapy": Chemotherapy,
    "targeted": Targeted,
    "endocrine": Endocrine,
    "safety": Safety,
    "radiation": Radiation,
}


def cited_ids(table: BaseModel) -> set[str]:
    """Every evidence id a rule table cites: header sources, criteria sets and evidence fields."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, (CriteriaSet, CpsEg, Sourced)):
            found.update(value.evidence)
        elif isinstance(value, (Morbidity, Fractionation, OrganAtRisk)):
            found.add(value.evidence)
        elif isinstance(value, (PostNeoadjuvantMapping, LimitedFitness, PostNeoadjuvantAlways)):
            found.update(value.evidence)
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(table)
    if isinstance(table, _Header):
        found.update(table.source)
    return found


def _load(name: str, model: type[_Header]) -> _Header:
    path = f"guidelines/{name}.json"
    try:
        table = model.model_validate(load_json(path))
    except ValidationError as exc:
        raise KnowledgeError(f"{path} is malformed: {exc}") from None
    unknown = unknown_evidence_ids(cited_ids(table))
    if unknown:
        raise KnowledgeError(f"{path} cites evidence ids missing from the registry: {', '.join(unknown)}")
    return table


@cache
def rules() -> RuleBook:
    """All guideline rule tables; raises ``KnowledgeError`` if one is malformed or cites an unknown id."""
    loaded = {name: _load(name, model) for name, model in RULE_FILES.items()}
    return RuleBook(**loaded)  # type: ignore[arg-type]


class Evaluation(NamedTuple):
    """A criteria set evaluated in full: ``met`` only when every criterion holds; ``failed`` and ``unknown`` are
    every failed and every unknown criterion. (Immutable; a named tuple because a patient's criteria sets are
    evaluated by the dozen and a frozen dataclass costs several times more to make.)"""

    criteria: CriteriaSet
    failed: tuple[Criterion, ...]
    unknown: tuple[Criterion, ...]

    @property
    def met(self) -> bool:
        return not self.failed and not self.unknown

    @property
    def possible(self) -> bool:
        """Nothing known rules it out (some inputs may still be unknown)."""
        return not self.failed

    def held(self) -> list[str]:
        bad = {id(c) for c in (*self.failed, *self.unknown)}
        return [c.label for c in self.criteria.all if id(c) not in bad]


class ShortEvaluation(NamedTuple):
    """A criteria set evaluated up to its first failed criterion (``evaluate(..., until_failed=True)``): the same
    ``met`` and ``possible`` as :class:`Evaluation`, but the criteria after ``first_failed`` are not evaluated, so it
    has no list of failed criteria to be read as all of them. ``unknown`` is every unknown criterion of a set still
    possible and empty for a set ruled out (no unknown input can make it met); ``held`` refuses a set ruled out."""

    criteria: CriteriaSet
    first_failed: Criterion | None
    unknown: tuple[Criterion, ...]

    @property
    def met(self) -> bool:
        return self.first_failed is None and not self.unknown

    @property
    def possible(self) -> bool:
        """Nothing known rules it out (some inputs may still be unknown)."""
        return self.first_failed is None

    def held(self) -> list[str]:
        if self.first_failed is not None:
            raise ValueError(f"{self.criteria.name}: evaluated up to its first failed criterion only, so which of "
                             "the others hold is not known")
        unknown = {id(c) for c in self.unknown}
        return [c.label for c in self.criteria.all if id(c) not in unknown]


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@overload
def evaluate(criteria: CriteriaSet, facts: Mapping[str, FactValue], *,
             until_failed: Literal[False] = False) -> Evaluation: ...
@overload
def evaluate(criteria: CriteriaSet, facts: Mapping[str, FactValue], *,
             until_failed: Literal[True]) -> ShortEvaluation: ...
def evaluate(criteria: CriteriaSet, facts: Mapping[str, FactValue], *,
             until_failed: bool = False) -> Evaluation | ShortEvaluation:
    """Evaluate a criteria set against named facts (a missing key or None counts as unknown).

    With ``until_failed`` the evaluation stops at the first criterion that fails and is a :class:`ShortEvaluation`:
    for callers that read whether a set is met or still possible, and the unknown criteria of one still possible.
    A fact that does not fit its criterion (text or true/false where a number is compared) is a KnowledgeError.
    """
    failed: tuple[Criterion, ...] = ()
    unknown: tuple[Criterion, ...] = ()
    # The operator of each criterion dispatched here rather than by a call per criterion (a patient's criteria sets
    # are evaluated by the dozen): "in", "==", else a comparison of numbers (Criterion refuses any other target).
    for criterion, fact, compare, target in _checks(criteria):
        value = facts.get(fact)
        if value is None:
            unknown += (criterion,)
            continue
        if compare is _IN:
            held = value in target
        elif compare is _EQUALS:
            held = value == target  # facts and targets are plain numbers, strings and booleans
        elif isinstance(value, (bool, str)):
            raise KnowledgeError(f"criterion {criterion.label!r}: {criterion.op} needs numbers")
        else:
            held = compare(float(value), target)
        if not held:
            if until_failed:
                return _evaluation(ShortEvaluation, (criteria, criterion, ()))
            failed += (criterion,)
    if until_failed:
        return _evaluation(ShortEvaluation, (criteria, None, unknown))
    return _evaluation(Evaluation, (criteria, failed, unknown))


def evaluate_until_met(sets: Iterable[CriteriaSet], facts: Mapping[str, FactValue]) -> list[ShortEvaluation]:
    """The sets evaluated in order up to the first one met, which ends the list (any one set qualifies), each up to
    its first failed criterion (``evaluate(..., until_failed=True)``): for readers of whether a set is met or still
    possible, the name and held criteria of the one met and the unknown criteria of those possible."""
    evaluations: list[ShortEvaluation] = []
    for criteria in sets:
        found = evaluate(criteria, facts, until_failed=True)
        evaluations.append(found)
        if found.met:
            break
    return evaluations


#: Built as the named tuple's own ``_make`` builds it: without the Python-level ``__new__`` of its class.
_evaluation = tuple.__new__
Check = tuple[Criterion, str, Any, Any]
_IN: Any = object()
_EQUALS: Any = object()
#: The checks of each criteria set of the rule set, by the set's identity (the set is kept, so the id stays its own).
_CHECKS: dict[int, tuple[CriteriaSet, tuple[Check, ...]]] = {}


def _checks(criteria: CriteriaSet) -> tuple[Check, ...]:
    """Each criterion with its fact, how it is checked and against what, prepared once per set."""
    found = _CHECKS.get(id(criteria))
    if found is None or found[0] is not criteria:
        if len(_CHECKS) > 4096:  # sets made outside the rule set (tests): never an unbounded store
            _CHECKS.clear()
        found = _CHECKS[id(criteria)] = (criteria, tuple((c, c.fact, *_check(c)) for c in criteria.all))
    return found[1]


def _check(criterion: Criterion) -> tuple[Any, Any]:
    """How :func:`evaluate` checks a known (not None) value: the operator (``_IN``, ``_EQUALS`` or a comparison of
    floats) and the target it is checked against, resolved once (``Criterion`` has checked that the two fit)."""
    target = criterion.value
    if criterion.op == "in" or criterion.op == "==":
        return _IN if criterion.op == "in" else _EQUALS, target
    assert isinstance(target, (int, float))
    return _COMPARE[criterion.op], float(target)
