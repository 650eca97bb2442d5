"""Output models built from values that already have their fields' types, without validating them again.

The pipeline builds ``Assessment``, its ~60 ``FollowUpItem`` and its ``DepositFinding`` per case from parts it made itself, each already
of its field's type: model instances, knowledge files validated when loaded, dates it computed. Validating them
again costs about 1 µs per follow-up item, as much as the rest of the follow-up plan; pydantic's own
``model_construct`` costs twice that, being written for arbitrary input (aliases, defaults). ``built`` does what
``model_construct`` does for a model without aliases, extra fields or private attributes, given every field: it
sets the four slots of a pydantic model.

The values are passed as a ``TypedDict`` per model (``AssessmentFields``, ...), so mypy checks
every value against its field's type where the model is built; tests/model/test_built.py checks that these
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
from collections.abc import Iterable, Mapping
from typing import TypedDict, TypeVar

from pydantic import BaseModel

from micromets.model.assessment import (
    Assessment,
    DepositCategory,
    DepositFinding,
    Findings,
    FollowUpItem,
    MissingItem,
    Prognosis,
    Recommendation,
    Staging,
)

__all__ = ["AssessmentFields", "DepositFindingFields", "FollowUpItemFields", "built", "built_each"]

M = TypeVar("M", bound=BaseModel)


class DepositFindingFields(TypedDict):
    """Every field of ``DepositFinding``, in its order."""

    node: int
    category: DepositCategory | None
    basis: str


class FollowUpItemFields(TypedDict):
    """Every field of ``FollowUpItem``, in its order."""

    due: dt.date
    what: str
    evidence: list[str]
    category: str | None


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
    Assessment: AssessmentFields, DepositFinding: DepositFindingFields, FollowUpItem: FollowUpItemFields}

_new = object.__new__
_set = object.__setattr__
# The slot descriptors of every pydantic model (``BaseModel.__slots__``): setting through them skips the
# attribute lookup of ``object.__setattr__``. A pydantic release that changed them fails here, at import.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def built(model: type[M], values: Mapping[str, object]) -> M:
    """An instance of ``model`` holding ``values`` (a new dict of every field, in the model's order), as validation
    would give it: ``values`` becomes the instance's ``__dict__``, not copied."""
    instance = _new(model)
    _set(instance, "__dict__", values)
    _set_fields_set(instance, set(values))
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


def built_each(model: type[M], rows: Iterable[Mapping[str, object]]) -> list[M]:
    """``[built(model, values) for values in rows]``, without a call per instance (a plan has ~60 items)."""
    out: list[M] = []
    append = out.append
    for values in rows:
        instance = _new(model)
        _set(instance, "__dict__", values)
        _set_fields_set(instance, set(values))
        _set_extra(instance, None)
        _set_private(instance, None)
        append(instance)
    return out
