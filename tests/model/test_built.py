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
from micromets.model import (
    Assessment,
    DepositFinding,
    Findings,
    FollowUpItem,
    IncrementalBenefit,
    MissingItem,
    ModelAssumption,
    NonSentinelEstimate,
    Prognosis,
    Staging,
    SurvivalSeries,
    parse_case,
    parse_case_json,
)
from micromets.model._built import FIELDS_OF, built, built_each, built_follow_up_items, built_missing

TESTS = Path(__file__).resolve().parents[1]
#: The models ``built`` builds in the pipeline (assess._assemble, followup.plan._items, pathology.classify, stage,
#: prognosis.case_adapter._prognosis; MissingItem by built_missing in pathology.classify, stage and followup.plan, and
#: by built_given in assess._unique_missing).
BUILT_MODELS: list[type[BaseModel]] = [Assessment, DepositFinding, Findings, FollowUpItem, IncrementalBenefit,
                                       MissingItem, ModelAssumption, NonSentinelEstimate, Prognosis, Staging,
                                       SurvivalSeries]


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


def test_a_built_missing_item_is_the_validated_item() -> None:
    fast = built_missing("tumour.grade", "the prognostic stage groups need the histological grade")
    checked = MissingItem(field="tumour.grade", why="the prognostic stage groups need the histological grade")
    assert fast == checked and type(fast) is MissingItem
    assert fast.model_dump_json() == checked.model_dump_json()
    assert fast.model_fields_set == checked.model_fields_set == {"field", "why"}
    assert repr(fast) == repr(checked)
    other = built_missing("tumour.grade", "x")
    assert other.decisions == [] and other.decisions is not fast.decisions  # each its own list, as the default's


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


def test_built_follow_up_items_are_the_validated_items_each_with_its_own_evidence() -> None:
    dates = [dt.date(2027, 1, 31), dt.date(2027, 2, 28)]
    evidence = ("ASCO-2013", "NCCN-2025")
    entries = [(1, "Mammography", evidence, "imaging"), (0, "Visit", (), None), (1, "Visit", evidence, "visit")]
    items = built_follow_up_items(dates, entries)
    assert items == [FollowUpItem(due=dates[at], what=what, evidence=list(ev), category=category)
                     for at, what, ev, category in entries]
    for item in items:
        validated = FollowUpItem.model_validate(item.model_dump())
        assert list(item.__dict__) == list(FollowUpItem.model_fields)
        assert item.model_fields_set == validated.model_fields_set
        assert item.model_dump_json() == validated.model_dump_json() and repr(item) == repr(validated)
        assert item.__pydantic_extra__ is None and item.__pydantic_private__ is None
    assert items[0].evidence is not items[2].evidence and items[0].model_fields_set is not items[2].model_fields_set
    items[0].evidence.append("X")
    assert items[2].evidence == list(evidence)


def _example_texts() -> list[str]:
    folder = resources.files("micromets") / "examples"
    return [(folder / name).read_text(encoding="utf-8")
            for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))]


def _vignettes() -> list[dict[str, object]]:
    lines = (TESTS / "vignettes" / "vignettes.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _models(value: object) -> list[BaseModel]:
    """``value`` and every model nested in it."""
    if isinstance(value, BaseModel):
        return [value, *(m for v in value.__dict__.values() for m in _models(v))]
    if isinstance(value, list):
        return [m for v in value for m in _models(v)]
    return []


def test_a_staging_built_with_its_default_edition_leaves_it_unset_as_validation_does() -> None:
    values = {"t": "pT1c", "n": "pN0(sn)", "m": "cM0", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA",
              "clinical_prognostic_stage": "IA", "path": ["T: ..."]}
    checked = Staging.model_validate(values)
    fast = built(Staging, {"t": "pT1c", "n": "pN0(sn)", "m": "cM0", "anatomic_stage": "IA",
                           "pathological_prognostic_stage": "IA", "clinical_prognostic_stage": "IA",
                           "edition": "AJCC 8th", "path": ["T: ..."]}, defaults=("edition",))
    assert fast == checked and fast.model_dump_json() == checked.model_dump_json()
    assert fast.model_fields_set == checked.model_fields_set and "edition" not in fast.model_fields_set
    assert fast.model_dump_json(exclude_unset=True) == checked.model_dump_json(exclude_unset=True)


def test_every_packaged_example_and_vignette_assessment_validates_back_to_itself() -> None:
    """Each built model, however deep, equals its validated copy: same values, same field order (JSON and repr
    follow the order of the instance's values)."""
    cases = [parse_case_json(text) for text in _example_texts()]
    cases += [parse_case(v["case"]) for v in _vignettes()]
    # Findings with parts left unset: no tumour, in situ only, no nodes; a complete response after neoadjuvant therapy.
    cases += [parse_case({"id": "none"}), parse_case({"id": "dcis", "tumour": {"in_situ_only": True}}),
              parse_case({"id": "ypT0", "neoadjuvant": True, "tumour": {"size_mm": 0, "er_percent": 0},
                          "nodes": {"procedure": "slnb", "examined": 3}})]
    assert len(cases) > 20
    for case in cases:
        assessment = assess(case)
        back = Assessment.model_validate(assessment.model_dump())
        assert back == assessment, case.id
        assert Assessment.model_validate_json(assessment.model_dump_json()) == assessment, case.id
        assert back.model_dump_json() == assessment.model_dump_json(), case.id
        ours, theirs = _models(assessment), _models(back)
        assert [type(m) for m in ours] == [type(m) for m in theirs]
        for mine, validated in zip(ours, theirs, strict=True):
            assert list(mine.__dict__) == list(type(mine).model_fields), (case.id, type(mine).__name__)
            assert mine == validated
        # The fields left unset hold their defaults: validating only the fields set gives the same objects, with
        # the same fields set at every depth.
        given = Assessment.model_validate(assessment.model_dump(exclude_unset=True))
        assert given == assessment, case.id
        assert [m.model_fields_set for m in _models(given)] == [m.model_fields_set for m in ours], case.id


def test_a_prognosis_of_figures_only_is_the_validated_one_with_the_other_fields_unset() -> None:
    """``prognosis_from_result`` gives the figures of a PREDICT result and nothing else: as ``Prognosis(...)`` of
    those figures would, the non-sentinel estimate, the assumptions and the recalibration keep their defaults and
    are not in ``model_fields_set``."""
    from micromets.prognosis import PredictInputs, Treatments, predict
    from micromets.prognosis.case_adapter import prognosis_from_result

    x = PredictInputs.build(age=[58, 71], size_mm=[22, 9], nodes=[0.5, 2], grade=[2, 3], screen_detected=[0, 1],
                            er=[1, 0], her2=[0, 1], ki67=[0, 1], pr=[1, 0], smoker=[0, 1])
    result = predict(x, Treatments(endocrine=True, chemotherapy_generation=3, trastuzumab=True), version="3.2")
    for row in range(2):
        fast = prognosis_from_result(result, row)
        unset = {"non_sentinel_node_probability", "assumptions", "recalibrated"}
        assert fast.model_fields_set == set(Prognosis.model_fields) - unset
        checked = Prognosis.model_validate(fast.model_dump(exclude=unset))
        assert fast == checked and fast.model_dump_json() == checked.model_dump_json()
        assert [m.model_fields_set for m in _models(fast)] == [m.model_fields_set for m in _models(checked)]
        assert [list(m.__dict__) for m in _models(fast)] == [list(type(m).model_fields) for m in _models(fast)]


def _merged_by_model_copy(items: list[MissingItem]) -> MissingItem:
    """What ``assess._unique_missing`` built for one field before it built the item itself: the first entry copied
    with the reasons and decisions of every entry."""
    first = items[0]
    reasons = list(dict.fromkeys(item.why for item in items))
    decisions = list(dict.fromkeys(d for item in items for d in item.decisions))
    update: dict[str, object] = {}
    if decisions != first.decisions:
        update["decisions"] = decisions
    if len(reasons) > 1:
        update["why"] = "; ".join(reasons)
    return first.model_copy(update=update)


@pytest.mark.parametrize("items", [
    [MissingItem(field="age", why="boost"), MissingItem(field="age", why="PREDICT")],
    [built_missing("age", "boost"), MissingItem(field="age", why="boost", decisions=["boost"])],
    [MissingItem(field="age", why="boost", decisions=["boost"]), built_missing("age", "PREDICT"),
     MissingItem(field="age", why="nodal RT", decisions=["boost", "rni"])],
])
def test_a_merged_missing_item_is_the_model_copy_of_the_first(items: list[MissingItem]) -> None:
    from micromets.assess import _unique_missing

    (merged,) = _unique_missing(items)
    expected = _merged_by_model_copy(items)
    assert merged == expected and list(merged.__dict__) == list(expected.__dict__)
    assert merged.model_fields_set == expected.model_fields_set
    assert merged.model_dump_json(exclude_unset=True) == expected.model_dump_json(exclude_unset=True)
    assert merged.__pydantic_extra__ is None and merged.__pydantic_private__ is None
