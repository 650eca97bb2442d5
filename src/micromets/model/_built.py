"""Output models built from values that already have their fields' types, without validating them again.

The pipeline builds ``Assessment``, its ~60 ``FollowUpItem``, its ``Findings``, ``DepositFinding`` and ``Staging``,
and its ``Prognosis`` with the parts that hold PREDICT's figures, from parts it made itself, each already of its
field's type: model instances, knowledge files validated when loaded, dates it computed. Validating them
again costs about 1 µs per follow-up item, as much as the rest of the follow-up plan; pydantic's own
``model_construct`` costs twice that, being written for arbitrary input (aliases, defaults). ``built`` does what
``model_construct`` does for a model without aliases, extra fields or private attributes, given every field: it
sets the four slots of a pydantic model.

``Recommendation`` has a constraint (``evidence`` not empty), so it has no TypedDict here: the guideline board
checks each of its values itself and builds it with ``built`` only when every check passes, otherwise it validates.

The values are passed as a ``TypedDict`` per model (``AssessmentFields``, ...), so mypy checks
every value against its field's type where the model is built (a dict display annotated with it is checked as much
as a call of it, which gathers its keywords in a dict first and copies them); tests/model/test_built.py checks that these
TypedDicts are the models' fields, that the models have no validator or constraint that skipping validation could
bypass, and that a built instance equals a validated one.

    >>> import datetime as dt
    >>> from micromets.model import FollowUpItem
    >>> item = built(FollowUpItem, FollowUpItemFields(due=dt.date(2027, 1, 1), what="visit", evidence=[],
    ...                                               category=None))
    >>> item == FollowUpItem(due=dt.date(2027, 1, 1), what="visit", evidence=[], category=None)
    True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TypedDict, TypeVar

from pydantic import BaseModel

from micromets.model.assessment import (
    Assessment,
    DepositCategory,
    DepositFinding,
    ErStatus,
    Findings,
    FollowUpItem,
    Her2Status,
    IncrementalBenefit,
    MissingItem,
    ModelAssumption,
    NonSentinelEstimate,
    Prognosis,
    PrStatus,
    RecalibratedSurvival,
    Recommendation,
    Staging,
    Subtype,
    SurvivalSeries,
)

__all__ = [
    "AssessmentFields", "DepositFindingFields", "FindingsFields", "FollowUpItemFields", "IncrementalBenefitFields",
    "MissingItemFields", "ModelAssumptionFields", "NonSentinelEstimateFields", "PrognosisFields", "StagingFields",
    "SurvivalSeriesFields", "built", "built_each", "built_follow_up_items", "built_missing", "copied_with",
]

M = TypeVar("M", bound=BaseModel)


class DepositFindingFields(TypedDict):
    """Every field of ``DepositFinding``, in its order."""

    node: int
    category: DepositCategory | None
    basis: str


class FindingsFields(TypedDict):
    """Every field of ``Findings``, in its order."""

    deposits: list[DepositFinding]
    positive_nodes: int | None
    micrometastatic_nodes: int | None
    itc_nodes: int | None
    macrometastatic_nodes: int | None
    er: ErStatus | None
    pr: PrStatus | None
    her2: Her2Status | None
    her2_ish_group: int | None
    subtype: Subtype | None
    pathological_complete_response: bool | None


class MissingItemFields(TypedDict):
    """Every field of ``MissingItem``, in its order."""

    field: str
    why: str
    decisions: list[str]


class FollowUpItemFields(TypedDict):
    """Every field of ``FollowUpItem``, in its order."""

    due: dt.date
    what: str
    evidence: list[str]
    category: str | None


class StagingFields(TypedDict):
    """Every field of ``Staging``, in its order."""

    t: str | None
    n: str | None
    m: str | None
    anatomic_stage: str | None
    pathological_prognostic_stage: str | None
    clinical_prognostic_stage: str | None
    edition: str
    path: list[str]


class SurvivalSeriesFields(TypedDict):
    """Every field of ``SurvivalSeries``, in its order."""

    surgery_only: list[float]
    with_treatments: list[float]


class IncrementalBenefitFields(TypedDict):
    """Every field of ``IncrementalBenefit``, in its order."""

    treatment: str
    overall_survival_gain: list[float]


class ModelAssumptionFields(TypedDict):
    """Every field of ``ModelAssumption``, in its order."""

    input: str
    value_used: str
    note: str


class NonSentinelEstimateFields(TypedDict):
    """Every field of ``NonSentinelEstimate``, in its order."""

    model: str
    value: float | None
    low: float | None
    high: float | None
    evidence: list[str]
    note: str


class PrognosisFields(TypedDict):
    """Every field of ``Prognosis``, in its order."""

    model: str
    model_version: str
    years: list[int]
    treatments_evaluated: list[str]
    overall_survival: SurvivalSeries
    breast_cancer_mortality: SurvivalSeries
    other_cause_mortality: SurvivalSeries | None
    incremental_benefit: list[IncrementalBenefit]
    curves: dict[str, list[float]]
    non_sentinel_node_probability: NonSentinelEstimate | None
    assumptions: list[ModelAssumption]
    recalibrated: RecalibratedSurvival | None


class AssessmentFields(TypedDict):
    """Every field of ``Assessment``, in its order."""

    id: str | None
    micromets_version: str
    ruleset_version: str
    findings: Findings
    staging: Staging
    prognosis: Prognosis | None
    decisions: dict[str, str]
    recommendations: list[Recommendation]
    follow_up: list[FollowUpItem]
    missing: list[MissingItem]
    warnings: list[str]


#: The fields each model is built from (checked against the models by the tests).
FIELDS_OF: dict[type[BaseModel], type[Mapping[str, object]]] = {
    Assessment: AssessmentFields, DepositFinding: DepositFindingFields, Findings: FindingsFields,
    FollowUpItem: FollowUpItemFields, IncrementalBenefit: IncrementalBenefitFields, MissingItem: MissingItemFields,
    ModelAssumption: ModelAssumptionFields, NonSentinelEstimate: NonSentinelEstimateFields, Prognosis: PrognosisFields,
    Staging: StagingFields, SurvivalSeries: SurvivalSeriesFields}

_new = object.__new__
# The slot descriptors of every pydantic model (``BaseModel.__slots__``): setting through them skips the
# attribute lookup of ``object.__setattr__``. A pydantic release that changed them fails here, at import.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def built(model: type[M], values: Mapping[str, object], *, defaults: Collection[str] = ()) -> M:
    """An instance of ``model`` holding ``values`` (a new dict of every field, in the model's order: JSON and repr
    follow it), as validation would give it: ``values`` becomes the instance's ``__dict__``, not copied.

    ``defaults`` names the fields that hold their default value and are left out of ``model_fields_set``, as
    validation leaves out a field that was not given.
    """
    instance = _new(model)
    _set_dict(instance, values)
    _set_fields_set(instance, set(values).difference(defaults) if defaults else set(values))
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def built_given(model: type[M], values: Mapping[str, object], given: AbstractSet[str]) -> M:
    """:func:`built` with the fields set prepared once by the caller (``given``, copied for the instance), for a
    model built by the dozen per case with the same fields given (a patient's ~15 recommendations)."""
    instance = _new(model)
    _set_dict(instance, values)
    _set_fields_set(instance, set(given))
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def copied_with(instance: M, field: str, value: object) -> M:
    """``instance.model_copy(update={field: value})`` for a model without extra fields or private attributes (the
    case): the same fields in the same order, the same fields set (``field`` added), at half the cost (pydantic's
    copy asks for each slot and copies the extra and private parts it finds). The value is not validated, as
    ``model_copy`` does not validate it."""
    copy = _new(type(instance))
    values = instance.__dict__.copy()
    values[field] = value
    _set_dict(copy, values)
    fields_set = set(instance.__pydantic_fields_set__)
    fields_set.add(field)
    _set_fields_set(copy, fields_set)
    _set_extra(copy, None)
    _set_private(copy, None)
    return copy


def built_missing(field: str, why: str) -> MissingItem:
    """``MissingItem(field=field, why=why)``: an input needed for a finding or a stage (for no decision), built as
    validation builds it, ``decisions`` left at its default and out of the fields set. Pathology and staging name
    their missing inputs with texts they write themselves (mypy checks they are strings); an incomplete registry row
    gets several."""
    values: MissingItemFields = {"field": field, "why": why, "decisions": []}
    return built(MissingItem, values, defaults=_DECISIONS)


_DECISIONS = ("decisions",)


def built_each(model: type[M], rows: Iterable[Mapping[str, object]]) -> list[M]:
    """``[built(model, values) for values in rows]``, without a call per instance (a plan has ~60 items)."""
    out: list[M] = []
    append = out.append
    for values in rows:
        instance = _new(model)
        _set_dict(instance, values)
        _set_fields_set(instance, set(values))
        _set_extra(instance, None)
        _set_private(instance, None)
        append(instance)
    return out


def built_follow_up_items(dates: Sequence[dt.date],
                          entries: Iterable[tuple[int, str, Iterable[str], str | None]]) -> list[FollowUpItem]:
    """The ``FollowUpItem`` of each entry (index of its date in ``dates``, what, evidence, category), in order, each
    with an ``evidence`` list of its own: ``built_each`` of the rows, without building each row as a dict first.

    Each instance's own ``__dict__`` is filled in the model's field order, where ``built_each`` makes a dict and
    sets it: a plan has ~60 items. The dict is
    reached as the attribute (no call, unlike ``vars``) and the evidence copied by unpacking (no call of ``list``).
    """
    out: list[FollowUpItem] = []
    append = out.append
    model = FollowUpItem
    for at, what, evidence, category in entries:
        instance = _new(model)
        values = instance.__dict__
        values["due"] = dates[at]
        values["what"] = what
        values["evidence"] = [*evidence]
        values["category"] = category
        _set_fields_set(instance, {"due", "what", "evidence", "category"})
        _set_extra(instance, None)
        _set_private(instance, None)
        append(instance)
    return out
