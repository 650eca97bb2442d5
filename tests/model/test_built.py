"""Output models built without validating again (``micromets.model._built``) are the models validation gives.

Source: pydantic's documented ``model_construct`` ("creates a new model setting __dict__ and
__pydantic_fields_set__ from trusted or pre-validated data ... Behaves as if model_config.extra = 'allow' was set
since it adds all passed values", pydantic 2 API docs, BaseModel.model_construct), and the case contract: an
assessment validates against its own model. ``built`` may only be used for models whose fields carry no validator
and no constraint (beyond the type), so skipping validation can only matter through a wrong type, which mypy
rules out where it is called.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import typing
from importlib import resources
from pathlib import Path

import pytest
from pydantic import BaseModel

from micromets import assess
from micromets.model import Assessment, DepositFinding, FollowUpItem, parse_case, parse_case_json
from micromets.model._built import FIELDS_OF, built, built_each

TESTS = Path(__file__).resolve().parents[1]
#: The models ``built`` builds in the pipeline (assess._assemble, followup.plan._items, pathology._nodal).
BUILT_MODELS: list[type[BaseModel]] = [Assessment, DepositFinding, FollowUpItem]


def test_every_built_model_has_its_fields_typed_for_mypy() -> None:
    assert set(FIELDS_OF) == set(BUILT_MODELS)
    for model, fields in FIELDS_OF.items():
        # Same names, same order (the JSON follows it), same types: mypy checks the values against these.
        assert list(typing.get_type_hints(fields).items()) == [
            (name, field.annotation) for name, field in model.model_fields.items()], model.__name__


@pytest.mark.parametrize("model", BUILT_MODELS)
def test_models_built_without_validation_have_no_validators_and_no_constraints(model: type[BaseModel]) -> None:
    decorators = model.__pydantic_decorators__
    assert not (decorators.validators or decorators.field_validators or decorators.root_validators
                or decorators.model_validators or decorators.field_serializers or decorators.model_serializers)
    assert model.model_config.get("extra") == "forbid"
    for name, field in model.model_fields.items():
        assert not field.metadata, f"{model.__name__}.{name} has constraints {field.metadata}"
        assert field.alias is None and field.validation_alias is None, name
    assert not model.__private_attributes__
    assert model.model_post_init is BaseModel.model_post_init


def _pair() -> tuple[FollowUpItem, FollowUpItem]:
    values = {"due": dt.date(2027, 3, 1), "what": "Mammography", "evidence": ["ASCO-2013"], "category": "imaging"}
    return built(FollowUpItem, dict(values)), FollowUpItem.model_validate(values)


def test_a_built_item_is_the_validated_item() -> None:
    fast, checked = _pair()
    assert fast == checked and checked == fast
    assert type(fast) is FollowUpItem
    assert fast.model_dump_json() == checked.model_dump_json()
    assert fast.model_dump() == checked.model_dump()
    assert fast.model_fields_set == checked.model_fields_set
    assert fast.model_dump_json(exclude_unset=True) == checked.model_dump_json(exclude_unset=True)
    assert repr(fast) == repr(checked)
    assert fast.__pydantic_extra__ is None and fast.__pydantic_private__ is None
    assert FollowUpItem.model_validate(fast.model_dump()) == fast


def test_a_built_item_copies_pickles_and_assigns_like_a_validated_one() -> None:
    fast, checked = _pair()
    for clone in (copy.copy(fast), copy.deepcopy(fast), pickle.loads(pickle.dumps(fast)),
                  fast.model_copy(update={"what": "Mammography"})):
        assert clone == checked
    moved = fast.model_copy(update={"due": dt.date(2028, 3, 1)})
    assert moved.due == dt.date(2028, 3, 1) and fast.due == dt.date(2027, 3, 1)
    fast.what = "Visit"
    checked.what = "Visit"
    assert fast == checked and fast.model_fields_set == checked.model_fields_set


def test_built_each_gives_separate_instances_in_order() -> None:
    rows = [{"due": dt.date(2027, m, 1), "what": f"visit {m}", "evidence": [], "category": "visit"} for m in (1, 2)]
    items = built_each(FollowUpItem, [dict(r) for r in rows])
    assert items == [FollowUpItem.model_validate(r) for r in rows]
    assert items[0] is not items[1] and items[0].model_fields_set is not items[1].model_fields_set


def _example_texts() -> list[str]:
    folder = resources.files("micromets") / "examples"
    return [(folder / name).read_text(encoding="utf-8")
            for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))]


def _vignettes() -> list[dict[str, object]]:
    lines = (TESTS / "vignettes" / "vignettes.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_every_packaged_example_and_vignette_assessment_validates_back_to_itself() -> None:
    cases = [parse_case_json(text) for text in _example_texts()]
    cases += [parse_case(v["case"]) for v in _vignettes()]
    assert len(cases) > 20
    for case in cases:
        assessment = assess(case)
        assert Assessment.model_validate(assessment.model_dump()) == assessment, case.id
        assert Assessment.model_validate_json(assessment.model_dump_json()) == assessment, case.id
        assert all(type(item) is FollowUpItem for item in assessment.follow_up)
        back = Assessment.model_validate(assessment.model_dump())
        assert back.model_fields_set == assessment.model_fields_set, case.id
        assert [i.model_fields_set for i in back.follow_up] == [i.model_fields_set for i in assessment.follow_up]
