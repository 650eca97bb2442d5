"""Safety invariants of issue 8 as properties over generated cases (hypothesis).

(a) ``insufficient_data`` only when a missing input can change the decision: for every decision that is
    ``insufficient_data`` at least one ``missing`` entry names it in ``decisions``, and each such entry can flip
    it: some value for that field (alone, or together with the other inputs missing for the same decision, the
    field being necessary in that combination, and with the inputs the engine asks for next once those are
    given, as a record is completed step by step), applied with ``micromets.whatif.apply_changes``, makes the
    decision something other than ``insufficient_data``. Conversely a decision that is not
    ``insufficient_data`` is named by no ``missing`` entry.
(b) No cardiotoxic start: ``her2_therapy`` is never ``recommended`` at LVEF < 50 % (the adjuvant trastuzumab
    trials enrolled LVEF >= 50-55 %; Herceptin SmPC: suspend below 50 %; KATHERINE: LVEF >= 50 %).
(c) ``cdk46_inhibitor`` is never ``discuss`` or ``recommended`` at ECOG >= 2 (monarchE and NATALEE enrolled
    ECOG 0-1: Johnston JCO 2020; Slamon NEJM 2024).
(d) Never ``recommended`` for what the input forbids: in pregnancy tamoxifen/endocrine and trastuzumab (Amant,
    Lancet 2012), pembrolizumab, CDK4/6 inhibitors, olaparib, capecitabine and bisphosphonates (labels:
    embryo-fetal toxicity), chemotherapy before 14 weeks (Amant 2012); in lactation endocrine and monoclonal
    antibodies (Yu, HKMJ 2017); immunotherapy with active autoimmune disease or an organ transplant (KEYNOTE-522
    exclusions, Schmid NEJM 2020); capecitabine with complete DPD deficiency (EMA/MHRA 2020); a bisphosphonate
    with dental surgery planned (ASCO/CCO 2017, Dhesy-Thind JCO).
(e) Pure DCIS never gets ``insufficient_data`` for her2_therapy, cdk46_inhibitor, olaparib, immunotherapy or
    bisphosphonate: none applies to DCIS (NSABP B-43; all other evidence and labels are for invasive cancer).
(f) A declined treatment is ``declined`` and never needs data (contract extension: ``preferences.declined``).

These are written from the issue and the sources, not from micromets' rules: they fail until the
patient-factor rules are merged.

More examples: ``MICROMETS_PROPERTY_EXAMPLES=1000 .venv/bin/python -m pytest tests/properties``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, get_args, get_origin

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from tests.properties._strategies import DECLINABLE, case_dicts, with_changes

from micromets.assess import assess
from micromets.errors import CaseValidationError
from micromets.model import DECLINED, INSUFFICIENT_DATA, Assessment, Case, parse_case
from micromets.whatif import apply_changes

EXAMPLES = int(os.environ.get("MICROMETS_PROPERTY_EXAMPLES", "150"))
FLIP_EXAMPLES = max(20, EXAMPLES // 3)
# Derandomized as the profile (tests/conftest.py) is; HYPOTHESIS_EXPLORE=1 draws new examples here too.
SETTINGS = settings(max_examples=EXAMPLES, derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# Each example runs the pipeline hundreds of times: no shrinking (the assertion prints the whole case) and no
# example database (the same examples here as in CI).
FLIP_SETTINGS = settings(SETTINGS, max_examples=FLIP_EXAMPLES, database=None,
                         phases=[Phase.explicit, Phase.generate])

# ------------------------------------------------------------------------------------- candidate values

#: Numbers tried for a missing numeric field: the clinical cut-offs of the sources and values around them
#: (values the field's own range rejects are skipped by validation).
NUMBERS = (0, 0.1, 0.2, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 11, 13, 14, 15, 16, 18, 20, 21, 25, 26, 29, 30,
           35, 40, 45, 49, 50, 51, 55, 60, 65, 70, 75, 80, 90, 100, 449, 450, 500, 5000, 5001)

#: Whole objects tried when a missing entry names an object (or a list of deposits) rather than a leaf.
OBJECTS: dict[str, list[Any]] = {
    "tumour": [
        {"size_mm": 15, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0", "ki67_percent": 10,
         "lvi": False},
        {"size_mm": 25, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "ki67_percent": 40,
         "lvi": True},
        {"size_mm": 25, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "ki67_percent": 60,
         "lvi": False},
        {"in_situ_only": True, "size_mm": 0, "er_percent": 90},
    ],
    "nodes.deposits": [
        [], [{"node": 1, "size_mm": 0.1, "method": "ihc"}], [{"node": 1, "size_mm": 1.0, "method": "he"}],
        [{"node": 1, "size_mm": 5.0, "method": "he"}],
        [{"node": i, "size_mm": 5.0, "method": "he"} for i in range(1, 5)],
    ],
    "nodes": [
        {"procedure": "slnb", "examined": 2, "deposits": []},
        {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.0, "method": "he"}]},
        {"procedure": "slnb_then_alnd", "examined": 12,
         "deposits": [{"node": i, "size_mm": 5.0, "method": "he"} for i in range(1, 5)]},
        {"procedure": "none"},
    ],
    "surgery": [{"breast": "bcs", "status": "done"}, {"breast": "mastectomy", "status": "done"},
                {"breast": "bcs", "status": "planned"}, {"breast": "mastectomy", "status": "planned"}],
}


def _unwrap(annotation: Any) -> Any:
    """``Annotated[float, ...] | None`` -> ``float``."""
    while True:
        origin = get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        else:
            return annotation


_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[(\d*)\])?")


def _annotation_of(path: str) -> Any | None:
    """The type of a case field named by a dotted path (``nodes.deposits[].size_mm``), None if not a field."""
    current: Any = Case
    annotation: Any = None
    for part in path.split("."):
        match = _TOKEN.fullmatch(part)
        if match is None or not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(match.group(1))
        if field is None:
            return None
        annotation = _unwrap(field.annotation)
        if match.group(2) is not None:
            if get_origin(annotation) is not list:
                return None
            annotation = _unwrap(get_args(annotation)[0])
        current = annotation
    return annotation


def _leaf_values(annotation: Any) -> list[Any]:
    if annotation is bool:
        return [True, False]
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    if annotation in (int, float):
        return [n for n in NUMBERS if annotation is float or float(n).is_integer()]
    if annotation is dt.date:
        return ["2026-10-05"]
    if annotation is str:
        return ["x"]
    if get_origin(annotation) is list:
        inner = _unwrap(get_args(annotation)[0])
        if get_origin(inner) is Literal:
            values = list(get_args(inner))
            return [[], values, *([v] for v in values)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out: list[Any] = [{}]
        for name, field in annotation.model_fields.items():
            inner = _unwrap(field.annotation)
            if inner is bool or get_origin(inner) is Literal:
                out.extend({name: v} for v in _leaf_values(inner))
        return out
    return []


def _concrete_paths(path: str, case_data: dict[str, Any]) -> list[str]:
    """``nodes.deposits[].x`` -> one path per existing deposit; other paths unchanged."""
    if "[]" not in path:
        return [path]
    head, _, tail = path.partition("[]")
    target: Any = case_data
    for token in head.split("."):
        target = target.get(token) if isinstance(target, dict) else None
    count = len(target) if isinstance(target, list) else 0
    return [f"{head}[{i}]{tail}" for i in range(count)]


def candidate_changes(case_data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """Change-sets (dotted path -> value) that give the missing ``field`` a value; [] when it names no field."""
    values = OBJECTS.get(field) or _leaf_values(_annotation_of(field))
    paths = _concrete_paths(field, case_data)
    if not paths:
        return []
    return [dict.fromkeys(paths, value) for value in values]


def _assessed(case_data: dict[str, Any], changes: dict[str, Any]) -> Assessment | None:
    try:
        case = parse_case(apply_changes(case_data, changes))
    except CaseValidationError:
        return None  # that value is not a valid input here: it proves nothing
    return assess(case)


def _decision_after(case_data: dict[str, Any], changes: dict[str, Any], key: str) -> str | None:
    assessment = _assessed(case_data, changes)
    return None if assessment is None else assessment.decisions.get(key)


def _flips(value: str | None) -> bool:
    return value is not None and value != INSUFFICIENT_DATA


def _completions(case_data: dict[str, Any], changes: dict[str, Any], key: str,
                 rounds: int) -> Iterator[dict[str, Any]]:
    """``changes``, completed with the inputs the engine asks for next (for ``key``), whenever that decides
    ``key`` (as a clinician completes a record step by step: a rule may need the subtype before it can say that
    it also needs the nodes); each deciding completion within ``rounds`` steps, a bounded number of them."""
    assessment = _assessed(case_data, changes)
    if assessment is None:
        return
    if _flips(assessment.decisions.get(key)):
        yield changes
        return
    if rounds == 0:
        return
    changed = apply_changes(case_data, changes)
    asked = [m.field for m in assessment.missing if key in m.decisions]
    options = [o for o in (candidate_changes(changed, f)[:4] for f in asked) if o]
    for combo in itertools.islice(itertools.product(*options), 8):
        more: dict[str, Any] = {}
        for change in combo:
            more.update(change)
        if more:
            yield from _completions(case_data, {**changes, **more}, key, rounds - 1)


def _combinations(options: list[list[dict[str, Any]]], most: int) -> list[tuple[dict[str, Any], ...]]:
    """Up to ``most`` combinations, one option per list: all of them when few, else a fixed seeded sample spread
    over every list (itertools.product alone would only ever vary the last lists)."""
    total = 1
    for choices in options:
        total *= len(choices)
    if total <= most:
        return list(itertools.product(*options))
    rng = random.Random(len(options) * 7919 + total)
    return [tuple(rng.choice(choices) for choices in options) for _ in range(most)]


def can_flip(case_data: dict[str, Any], key: str, field: str, co_missing: list[str]) -> bool:
    """Whether giving ``field`` a value can make decision ``key`` something other than insufficient_data: alone,
    or together with the other inputs missing for the same decision (the field being necessary in that
    combination) and with what the engine asks for next once those are given."""
    own = candidate_changes(case_data, field)
    if any(_flips(_decision_after(case_data, change, key)) for change in own):
        return True
    others = [candidate_changes(case_data, f) for f in co_missing if f != field]
    others = [o for o in others if o]
    bases: list[dict[str, Any]] = []
    for combo in _combinations(others, 60):
        base: dict[str, Any] = {}
        for change in combo:
            base.update(change)
        bases.append(base)
    # A random draw of many tumour leaves rarely makes a coherent tumour (triple-negative and 15 mm, say): then
    # whole tumour profiles at the T cut-offs, the other inputs completed as the engine asks for them.
    # Last, nothing filled in beforehand: the field given first and only what the engine then asks for (a PR result
    # can settle hormone-receptor status while ER stays unknown).
    return any(_necessary(case_data, key, own, base) for base in [*bases, *_profile_bases(field, co_missing), {}])


#: Sizes at the AJCC 8 T cut-offs (T1a <= 5, T1b <= 10, T1c <= 20, T2 <= 50 mm, T3 beyond).
PROFILE_SIZES = (4, 8, 15, 25, 55)


def _profile_bases(field: str, co_missing: list[str]) -> list[dict[str, Any]]:
    leaves = [f for f in co_missing if f != field and f.startswith("tumour.") and f.count(".") == 1]
    out = []
    for profile in OBJECTS["tumour"][:3]:
        for size in PROFILE_SIZES:
            values = {**profile, "size_mm": size}
            base = {f: values[f.split(".")[1]] for f in leaves if f.split(".")[1] in values}
            if base and base not in out:
                out.append(base)
    return out


def _necessary(case_data: dict[str, Any], key: str, own: list[dict[str, Any]], base: dict[str, Any]) -> bool:
    """Some value of the field, with ``base`` and the inputs asked for next, decides ``key`` where the same record
    without the field does not."""
    if _flips(_decision_after(case_data, base, key)):
        return False  # the other inputs decide it on their own here: this combination says nothing about field
    for change in own:
        for done in itertools.islice(_completions(case_data, {**base, **change}, key, rounds=3), 12):
            # the field must be necessary: the same completed record without it leaves the decision open
            if not _flips(_decision_after(case_data, {k: v for k, v in done.items() if k not in change}, key)):
                return True
    return False


def _assess(data: dict[str, Any]) -> Assessment:
    return assess(parse_case(data))


# ------------------------------------------------------------------------------------------- properties

@FLIP_SETTINGS
@given(case_dicts())
# Found by HYPOTHESIS_EXPLORE=1 scans over every decision (tests/guidelines/test_material_inputs.py has them as
# worked examples with their sources): PMRT asked for cN although 5 nodes positive at an axillary procedure before a
# planned mastectomy decide it (NCCN; EBCTCG 2014); chemotherapy asked a vulnerable HER2-positive man's size although
# every size gives 'discuss' (APT; ASCO geriatric 2018); bisphosphonate asked its chain with no breast surgery
# (EBCTCG 2015: adjuvant, after surgery); CDK4/6 after neoadjuvant therapy named the known size for an open stage
# (NATALEE; AJCC 8); in situ carcinoma with cN2b asked for the ER already given.
@example({"id": "a", "sex": "female", "age": 55, "menopausal_status": "post", "metastasis": "cM0",
          "tumour": {"size_mm": 25, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
          "surgery": {"breast": "mastectomy", "status": "planned"},
          "nodes": {"procedure": "slnb_then_alnd", "examined": 12,
                    "deposits": [{"node": i, "size_mm": 5.0, "method": "he"} for i in range(1, 6)]}})
@example({"id": "b", "sex": "male", "age": 74, "metastasis": "cM0", "clinical_nodes": "cN0", "charlson_index": 4,
          "tumour": {"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
          "surgery": {"breast": "mastectomy", "status": "done"},
          "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}})
@example({"id": "c", "age": 86, "menopausal_status": "post", "detection": "screening",
          "tumour": {"t_extension": "none"}, "surgery": {"breast": "none", "status": "done"}, "metastasis": "cM0",
          "neoadjuvant": False})
@example({"id": "d", "sex": "female", "age": 67, "detection": "symptomatic",
          "tumour": {"size_mm": 14.0, "t_extension": "none", "lvi": True, "er_percent": 90, "her2_ihc": "0"},
          "surgery": {"status": "done"}, "nodes": {"procedure": "none"}, "metastasis": "cM0", "neoadjuvant": True,
          "neoadjuvant_therapy": {}, "lvef_percent": 62})
@example({"id": "e", "sex": "female", "age": 35, "menopausal_status": "pre", "metastasis": "cM0(i+)",
          "tumour": {"in_situ_only": True, "her2_ihc": "1+", "her2_ish_ratio": 1.9, "her2_ish_copies": 3.5,
                     "er_percent": 0, "pr_percent": 25, "nuclear_grade": 1},
          "surgery": {"status": "done", "breast": "mastectomy"}, "clinical_nodes": "cN2b",
          "nodes": {"procedure": "none"}, "neoadjuvant": False,
          "pregnancy": {"status": "pregnant", "gestational_age_weeks": 13, "trimester": 1}})
def test_every_insufficient_decision_names_a_missing_input_that_can_flip_it(data: dict[str, Any]) -> None:
    assessment = _assess(data)
    for item in assessment.missing:
        for key in item.decisions:
            assert assessment.decisions.get(key) == INSUFFICIENT_DATA, (
                f"missing {item.field} names {key}, but {key} is {assessment.decisions.get(key)}")
    for key, value in assessment.decisions.items():
        if value != INSUFFICIENT_DATA:
            continue
        named = [m.field for m in assessment.missing if key in m.decisions]
        assert named, f"{key} is insufficient_data but no missing entry names it: {assessment.missing}"
        for field in named:
            assert can_flip(data, key, field, named), (
                f"{key} is insufficient_data for want of {field}, but no value of {field} changes it; "
                f"case: {json.dumps(data)}")


# Overlays that make a treatment indicated, so that a contraindication property is tested where it matters
# (a random case rarely reaches pembrolizumab, capecitabine or a bisphosphonate on its own).
_DONE_BCS = {"breast": "bcs", "status": "done", "date": "2026-10-05", "margins_mm": 3}
INDICATED: dict[str, dict[str, Any]] = {
    "her2_therapy": {"metastasis": "cM0", "neoadjuvant": False, "neoadjuvant_therapy": None, "surgery": _DONE_BCS,
                     "tumour": {"size_mm": 15, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
                     "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}},
    "endocrine": {"metastasis": "cM0", "neoadjuvant": False, "neoadjuvant_therapy": None, "surgery": _DONE_BCS,
                  "tumour": {"size_mm": 15, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
                  "nodes": {"procedure": "slnb", "examined": 2, "deposits": []}, "oncotype_rs": 12},
    "immunotherapy": {"metastasis": "cM0", "neoadjuvant": False, "neoadjuvant_therapy": None,
                      "clinical_nodes": "cN1", "surgery": {"breast": "mastectomy", "status": "planned"},
                      "nodes": {"procedure": "none"},
                      "tumour": {"size_mm": 30, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}},
    "capecitabine": {"metastasis": "cM0", "neoadjuvant": True, "germline_brca": "negative",
                     "neoadjuvant_therapy": {"pre_treatment_size_mm": 35, "pre_treatment_clinical_nodes": "cN1",
                                             "nodes_biopsy_proven": True, "agents": ["anthracycline", "taxane"]},
                     "tumour": {"size_mm": 14, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"},
                     "nodes": {"procedure": "slnb_then_alnd", "examined": 10,
                               "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]},
                     "surgery": {"breast": "mastectomy", "status": "done", "date": "2026-10-05"}},
    "bisphosphonate": {"metastasis": "cM0", "neoadjuvant": False, "neoadjuvant_therapy": None, "sex": "female",
                       "menopausal_status": "post", "pregnancy": None, "ovarian_function_suppression": None,
                       "surgery": _DONE_BCS, "oncotype_rs": 14,
                       "tumour": {"size_mm": 24, "grade": 2, "er_percent": 90, "pr_percent": 50, "her2_ihc": "0"},
                       "nodes": {"procedure": "slnb", "examined": 2,
                                 "deposits": [{"node": 1, "size_mm": 4.0, "method": "he"}]}},
    "chemotherapy": {"metastasis": "cM0", "neoadjuvant": False, "neoadjuvant_therapy": None,
                     "surgery": {"breast": "mastectomy", "status": "planned"}, "nodes": {"procedure": "none"},
                     "clinical_nodes": "cN0",
                     "tumour": {"size_mm": 28, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}},
}


def indicated(*treatments: str) -> st.SearchStrategy[dict[str, Any]]:
    """No overlay (a random case), or one that makes one of ``treatments`` indicated."""
    return st.one_of(st.just({}), st.sampled_from([INDICATED[t] for t in treatments]))


def premise(*treatments: str, forcing: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Random cases, often made to need one of ``treatments``, with the property's premise forced last."""
    return with_changes(with_changes(case_dicts(), indicated(*treatments)), forcing)


LOW_LVEF = st.sampled_from([20, 30, 35, 40, 45, 49, 49.9])
HER2_POSITIVE = st.sampled_from([{"tumour.her2_ihc": "3+"},
                                 {"tumour.her2_ihc": "2+", "tumour.her2_ish_ratio": 3.0,
                                  "tumour.her2_ish_copies": 7.0}])


@SETTINGS
@given(premise("her2_therapy", forcing=st.tuples(LOW_LVEF, HER2_POSITIVE).map(
    lambda p: {"lvef_percent": p[0], **p[1]})))
def test_no_cardiotoxic_start_below_lvef_50(data: dict[str, Any]) -> None:
    decision = _assess(data).decisions["her2_therapy"]
    assert decision != "recommended", f"her2_therapy recommended at LVEF {data['lvef_percent']}%"


NODE_POSITIVE_HR = {
    "tumour.er_percent": 90, "tumour.her2_ihc": "0", "tumour.grade": 3,
    "nodes": {"procedure": "slnb_then_alnd", "examined": 14,
              "deposits": [{"node": i, "size_mm": 6.0, "method": "he"} for i in range(1, 5)]},
    "surgery": {"breast": "mastectomy", "status": "done"},
}


@SETTINGS
@given(with_changes(case_dicts(), st.tuples(st.integers(2, 4), st.booleans()).map(
    lambda p: {"ecog": p[0], **(NODE_POSITIVE_HR if p[1] else {})})))
def test_no_cdk46_inhibitor_at_ecog_2_or_more(data: dict[str, Any]) -> None:
    decision = _assess(data).decisions["cdk46_inhibitor"]
    assert decision not in ("discuss", "recommended"), f"cdk46_inhibitor {decision} at ECOG {data['ecog']}"


PREGNANCY_FORBIDS = ("endocrine", "her2_therapy", "immunotherapy", "cdk46_inhibitor", "olaparib", "capecitabine",
                     "bisphosphonate")
LACTATION_FORBIDS = ("endocrine", "her2_therapy", "immunotherapy")
FEMALE_PRE = {"sex": "female", "menopausal_status": "pre"}

CONTRAINDICATIONS: dict[str, tuple[st.SearchStrategy[dict[str, Any]], tuple[str, ...]]] = {
    "pregnant": (st.sampled_from([6, 13, 14, 20, 30]).map(
        lambda w: {**FEMALE_PRE, "ovarian_function_suppression": None,
                   "pregnancy": {"status": "pregnant", "gestational_age_weeks": w}}),
        PREGNANCY_FORBIDS),
    "lactating": (st.just({**FEMALE_PRE, "ovarian_function_suppression": None,
                           "pregnancy": {"status": "lactating"}}), LACTATION_FORBIDS),
    "active_autoimmune": (st.just({"conditions.autoimmune_disease": "active"}), ("immunotherapy",)),
    "organ_transplant": (st.just({"conditions.organ_transplant": True}), ("immunotherapy",)),
    "dpd_complete": (st.just({"conditions.dpd_deficiency": "complete"}), ("capecitabine",)),
    "dental_surgery": (st.just({"conditions.dental_surgery_planned": True}), ("bisphosphonate",)),
}


@pytest.mark.parametrize("condition", sorted(CONTRAINDICATIONS))
@SETTINGS
@given(data=st.data())
def test_nothing_recommended_that_the_input_forbids(condition: str, data: st.DataObject) -> None:
    forcing, forbidden = CONTRAINDICATIONS[condition]
    overlays = [t for t in (*forbidden, "chemotherapy") if t in INDICATED]
    case_data = data.draw(premise(*overlays, forcing=forcing))
    decisions = _assess(case_data).decisions
    for key in forbidden:
        assert decisions[key] != "recommended", f"{key} recommended with {condition}; case: {json.dumps(case_data)}"
    if condition == "pregnant" and case_data["pregnancy"]["gestational_age_weeks"] < 14:
        assert decisions["chemotherapy"] != "recommended", "chemotherapy recommended before 14 weeks' gestation"


PURE_DCIS = {"tumour.in_situ_only": True, "tumour.size_mm": 0, "tumour.t_extension": "none", "neoadjuvant": False,
             "neoadjuvant_therapy": None, "metastasis": "cM0", "nodes.deposits": [],
             "nodes.internal_mammary": "none", "nodes.supraclavicular": False, "nodes.infraclavicular": False}
NEVER_FOR_DCIS = ("her2_therapy", "cdk46_inhibitor", "olaparib", "immunotherapy", "bisphosphonate")


@SETTINGS
@given(with_changes(case_dicts(), st.sampled_from(["cN0", None]).map(
    lambda cn: {**PURE_DCIS, "clinical_nodes": cn})))
def test_pure_dcis_never_needs_data_for_invasive_only_treatments(data: dict[str, Any]) -> None:
    decisions = _assess(data).decisions
    for key in NEVER_FOR_DCIS:
        assert decisions[key] != INSUFFICIENT_DATA, f"{key} is insufficient_data for pure DCIS"


DECLINED_KEYS = tuple(k for k in DECLINABLE if k != "ovarian_function_suppression")


@SETTINGS
@given(with_changes(case_dicts(), st.lists(st.sampled_from(DECLINED_KEYS), min_size=1, max_size=4,
                                           unique=True).map(lambda keys: {"preferences": {"declined": keys}})))
def test_a_declined_treatment_is_declined_and_needs_no_data(data: dict[str, Any]) -> None:
    assessment = _assess(data)
    for key in data["preferences"]["declined"]:
        assert assessment.decisions[key] == DECLINED, f"{key} declined but shown as {assessment.decisions[key]}"
        naming = [m.field for m in assessment.missing if key in m.decisions]
        assert not naming, f"declined {key} still asks for {naming}"


# ----------------------------------------------------------------------------- the checker checks itself

def test_candidate_values_come_from_the_schema() -> None:
    data = {"tumour": {"her2_ihc": "2+"}, "nodes": {"deposits": [{"node": 1, "size_mm": 3, "method": "he"},
                                                                 {"node": 2, "size_mm": 1, "method": "he"}]}}
    assert {c["tumour.her2_ish_ratio"] for c in candidate_changes(data, "tumour.her2_ish_ratio")} >= {2, 1.5}
    assert [c["menopausal_status"] for c in candidate_changes(data, "menopausal_status")] == ["pre", "peri", "post"]
    ene = candidate_changes(data, "nodes.deposits[].extranodal_extension")
    assert ene == [{"nodes.deposits[0].extranodal_extension": v, "nodes.deposits[1].extranodal_extension": v}
                   for v in (True, False)]
    ecog = {c["ecog"] for c in candidate_changes(data, "ecog")}
    assert {0, 1, 2, 3, 4} <= ecog and 0.5 not in ecog  # integers only; the range check is left to validation
    assert candidate_changes(data, "(case)") == []
    assert candidate_changes(data, "tumour")[0]["tumour"]["size_mm"] == 15


def test_can_flip_finds_the_ish_that_decides_her2() -> None:
    """HER2 IHC 2+ without ISH: the ratio (with the copies, ASCO/CAP 2018 groups) decides HER2 therapy."""
    data = {"age": 55, "sex": "female", "menopausal_status": "post", "metastasis": "cM0", "clinical_nodes": "cN0",
            "tumour": {"size_mm": 15, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "2+"},
            "nodes": {"procedure": "slnb", "examined": 2, "deposits": []},
            "surgery": {"breast": "bcs", "status": "done", "margins_mm": 3}, "lvef_percent": 60}
    assert _assess(data).decisions["her2_therapy"] == INSUFFICIENT_DATA
    assert can_flip(data, "her2_therapy", "tumour.her2_ish_ratio", ["tumour.her2_ish_ratio", "tumour.her2_ish_copies"])
    assert not can_flip(data, "her2_therapy", "smoker", ["smoker"])


# More patient-first contraindications (the safety brief: frailty, performance status also rated as Karnofsky,
# renal function, QTc, ILD, VTE), each with the decisions it forbids as 'recommended':
# * eGFR < 30 (standing in for creatinine clearance): capecitabine is contraindicated below 30 mL/min (Xeloda
#   label); zoledronic acid is not recommended below 30-35 mL/min (Zometa/Aclasta labels).
# * Severe frailty (Clinical Frailty Scale >= 7) or an estimated non-cancer life expectancy < 5 years: no
#   chemotherapy, capecitabine, CDK4/6 inhibitor or pembrolizumab (outside trial evidence: the adjuvant trials
#   enrolled fit patients, ECOG 0-1; SIOG/EUSOMA 2021, ASCO geriatric 2018).
# * Karnofsky <= 40 (ECOG >= 3 by the ECOG-ACRIN comparison): the same, as ECOG 3-4 would.
# * Interstitial lung disease: CDK4/6 inhibitors carry fatal ILD/pneumonitis (Verzenio, Kisqali labels): never
#   recommended without discussion.
# * QTcF >= 450 ms: ribociclib must not be started (Kisqali label): a CDK4/6 recommendation is abemaciclib's.
UNFIT = ("chemotherapy", "capecitabine", "cdk46_inhibitor", "immunotherapy")
MORE_CONTRAINDICATIONS: dict[str, tuple[st.SearchStrategy[dict[str, Any]], tuple[str, ...]]] = {
    "egfr_below_30": (st.sampled_from([15, 25, 29]).map(lambda e: {"conditions.egfr_ml_min": e}),
                      ("capecitabine", "bisphosphonate")),
    "severely_frail": (st.sampled_from([7, 8, 9]).map(lambda c: {"clinical_frailty_scale": c}), UNFIT),
    "short_life_expectancy": (st.sampled_from([1, 3, 4.9]).map(lambda y: {"life_expectancy_years": y}), UNFIT),
    "karnofsky_40_or_less": (st.sampled_from([10, 20, 30, 40]).map(lambda k: {"karnofsky": k, "ecog": None}),
                             UNFIT),
    "interstitial_lung_disease": (st.just({"conditions.interstitial_lung_disease": True}), ("cdk46_inhibitor",)),
}
NODE_POSITIVE_HR_OVERLAY = {"metastasis": "cM0", "neoadjuvant": False, "neoadjuvant_therapy": None,
                            "surgery": {"breast": "mastectomy", "status": "done"},
                            "tumour": {"size_mm": 25, "grade": 3, "er_percent": 90, "pr_percent": 50,
                                       "her2_ihc": "0"},
                            "nodes": {"procedure": "slnb_then_alnd", "examined": 14,
                                      "deposits": [{"node": i, "size_mm": 6.0, "method": "he"} for i in range(1, 5)]}}


@pytest.mark.parametrize("condition", sorted(MORE_CONTRAINDICATIONS))
@SETTINGS
@given(data=st.data())
def test_nothing_recommended_that_frailty_kidneys_or_lungs_forbid(condition: str, data: st.DataObject) -> None:
    forcing, forbidden = MORE_CONTRAINDICATIONS[condition]
    overlay = data.draw(st.one_of(st.just({}), st.just(NODE_POSITIVE_HR_OVERLAY),
                                  st.sampled_from([INDICATED[t] for t in ("chemotherapy", "capecitabine",
                                                                         "immunotherapy", "bisphosphonate")])))
    case_data = data.draw(with_changes(with_changes(case_dicts(), st.just(overlay)), forcing))
    decisions = _assess(case_data).decisions
    for key in forbidden:
        assert decisions[key] != "recommended", f"{key} recommended with {condition}; case: {json.dumps(case_data)}"


@SETTINGS
@given(with_changes(with_changes(case_dicts(), st.just(NODE_POSITIVE_HR_OVERLAY)),
                    st.sampled_from([450, 470, 520]).map(lambda q: {"conditions.qtcf_ms": q})))
def test_no_ribociclib_with_a_long_qtcf(data: dict[str, Any]) -> None:
    assessment = _assess(data)
    if assessment.decisions["cdk46_inhibitor"] == "recommended":
        rec = next(r for r in assessment.recommendations if r.id.startswith("systemic.cdk46."))
        assert "natalee" not in rec.id and "abemaciclib" in rec.text, (rec.id, json.dumps(data))
