"""Rule tables validate at load and every cited evidence id (data and code) resolves in the registry."""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from tests.guidelines._targeted_cases import varied_contexts

from micromets.errors import KnowledgeError
from micromets.guidelines import rules as rules_module
from micromets.guidelines._context import FACT_FIELDS
from micromets.guidelines.rules import (
    RULE_FILES,
    CriteriaSet,
    Criterion,
    Evaluation,
    ShortEvaluation,
    cited_ids,
    evaluate,
    rules,
)
from micromets.knowledge.evidence import evidence_registry, unknown_evidence_ids

PACKAGE = Path(str(resources.files("micromets")))
GUIDELINE_CODE = sorted((PACKAGE / "guidelines").glob("*.py"))
EVIDENCE_KEYWORDS = {"evidence", "extra_evidence"}


def _ids_in_code(path: Path) -> set[str]:
    """String constants passed as evidence=[...] / extra_evidence=(...) in one module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in EVIDENCE_KEYWORDS:
                    found |= {c.value for c in ast.walk(keyword.value)
                              if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def test_every_rule_file_has_a_header_and_validates() -> None:
    book = rules()
    for table in book.files():
        assert table.id and table.title and table.version and table.source
    assert {t.id for t in book.files()} >= {"slnb-omission", "axilla", "chemotherapy", "radiation"}


def test_every_id_cited_in_rule_data_resolves() -> None:
    for table in rules().files():
        assert not unknown_evidence_ids(cited_ids(table)), table.id


@pytest.mark.parametrize("path", GUIDELINE_CODE, ids=[p.stem for p in GUIDELINE_CODE])
def test_every_id_cited_in_guideline_code_resolves(path: Path) -> None:
    assert not unknown_evidence_ids(_ids_in_code(path)), path.name


def test_the_code_scan_finds_citations() -> None:
    """The scan must be able to fail: it finds the ids the axilla module cites."""
    assert {"IBCSG-23-01", "AMAROS", "ACOSOG-Z0011"} <= _ids_in_code(PACKAGE / "guidelines" / "axilla.py")


def test_prognosis_owned_ids_are_reused_not_redefined() -> None:
    registry = evidence_registry()
    for rid in ("IBCSG-23-01", "AATRM-048", "ACOSOG-Z0011", "MOO-2018", "NSABP-B32-OCCULT", "ACOSOG-Z0010"):
        assert rid in registry
    mine = {r["id"] for name in ("surgery", "systemic", "radiation")
            for r in json.loads((PACKAGE / "knowledge" / "evidence" / f"{name}.json").read_text())["records"]}
    assert not mine & {"IBCSG-23-01", "AATRM-048", "ACOSOG-Z0011", "ARMENIAN-2017", "AJCC-8"}


def test_a_rule_file_citing_an_unknown_id_fails_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    good = rules_module.load_json("guidelines/safety.json")
    monkeypatch.setattr(rules_module, "load_json", lambda path: {**good, "source": ["NO-SUCH-TRIAL"]})
    with pytest.raises(KnowledgeError, match="NO-SUCH-TRIAL"):
        rules_module._load("safety", RULE_FILES["safety"])


def test_a_malformed_rule_file_fails_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    good = rules_module.load_json("guidelines/safety.json")
    monkeypatch.setattr(rules_module, "load_json", lambda path: {k: v for k, v in good.items() if k != "version"})
    with pytest.raises(KnowledgeError, match="malformed"):
        rules_module._load("safety", RULE_FILES["safety"])


def test_criteria_evaluation_reports_unknown_and_failed() -> None:
    sound = rules().slnb_omission.criteria_sets[0]
    result = evaluate(sound, {"age": 45, "menopause": "post"})
    assert not result.met and not result.possible
    assert [c.fact for c in result.failed] == ["age"]
    assert "axillary_ultrasound" in [c.fact for c in result.unknown]


def test_an_evaluation_until_the_first_failure_agrees_where_it_is_read() -> None:
    """``until_failed``: the same met and possible; the same unknown criteria and held ones for a set still
    possible; for a set ruled out, the first failed criterion only, and nothing that reads as all of them."""
    sets = [rules().slnb_omission.criteria_sets[0], *rules().radiation.wbrt_omission,
            rules().radiation.pmrt_favourable_one_to_three]
    seen = set()
    for criteria in sets:
        for facts in ({}, {"age": 45, "menopause": "post"}, {"age": 80, "menopause": "post"}, {"age": 80}):
            full, short = evaluate(criteria, facts), evaluate(criteria, facts, until_failed=True)
            assert isinstance(full, Evaluation) and isinstance(short, ShortEvaluation)
            assert (short.met, short.possible) == (full.met, full.possible)
            assert not hasattr(short, "failed")  # the short one cannot be read as every failed criterion
            if full.possible:
                assert short.first_failed is None
                assert (short.unknown, short.held()) == (full.unknown, full.held())
            else:
                assert short.first_failed is full.failed[0] and short.unknown == ()
                with pytest.raises(ValueError, match="first failed criterion"):
                    short.held()  # the criteria after the first failure were not evaluated
            seen.add(full.possible)
    assert seen == {True, False}  # both branches above were exercised


def test_a_short_evaluation_stops_at_the_first_failed_criterion() -> None:
    """SOUND (Gentilini 2023; ASCO 2025) asks age >= 50 and postmenopausal: a premenopausal 45-year-old fails both,
    and the short evaluation names the first only."""
    sound = rules().slnb_omission.criteria_sets[0]
    short = evaluate(sound, {"age": 45, "menopause": "pre"}, until_failed=True)
    assert short.first_failed is not None and short.first_failed.fact == "age"
    assert len(evaluate(sound, {"age": 45, "menopause": "pre"}).failed) == 2  # the full one: age and menopause


@pytest.mark.parametrize(("op", "value"), [(">=", "seventy"), ("<", True), ("<=", [1, 2]), ("in", "N0"),
                                           ("in", 3), ("==", ["N0"])])
def test_a_criterion_whose_value_cannot_fit_its_operator_is_refused(op: str, value: object) -> None:
    """The criteria language (module docstring): orderings compare numbers, ``in`` looks in a list, ``==`` compares
    one value. Any other pairing holds for no fact, so it is refused as the table is built, not per patient."""
    with pytest.raises(ValidationError, match="holds for no fact"):
        Criterion.model_validate({"fact": "age", "op": op, "value": value, "label": "x"})


def test_a_malformed_criterion_after_the_first_failure_fails_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short evaluation never reaches the criteria after a failed one, so they are checked when the table loads."""
    good = rules_module.load_json("guidelines/slnb_omission.json")
    spoiled = json.loads(json.dumps(good))
    spoiled["criteria_sets"][0]["all"][-1] = {"fact": "age", "op": ">=", "value": "fifty", "label": "age >= fifty"}
    monkeypatch.setattr(rules_module, "load_json", lambda path: spoiled)
    with pytest.raises(KnowledgeError, match="malformed"):
        rules_module._load("slnb_omission", RULE_FILES["slnb_omission"])


def _every_criteria_set() -> list[CriteriaSet]:
    found: list[CriteriaSet] = []

    def walk(value: object) -> None:
        if isinstance(value, CriteriaSet):
            found.append(value)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for table in rules().files():
        walk(table)
    return found


def test_every_criterion_names_a_fact_the_context_derives() -> None:
    """A misspelt fact would read as unknown for every patient (an "insufficient data" no input could answer)."""
    sets = _every_criteria_set()
    assert len(sets) >= 10  # SLNB omission, RT omission, PMRT, monarchE, NATALEE, OlympiA, KEYNOTE-522
    derived = set(varied_contexts(2600)[0].read_facts())
    assert derived == set(FACT_FIELDS)  # each fact names the case field asked for when it is unknown
    assert {c.fact for s in sets for c in s.all} <= derived


def test_every_criteria_set_evaluates_in_full_on_every_varied_patient() -> None:
    """Every criterion reached with every fact value the varied cases give: an ordering never meets text or
    true/false (which ``evaluate`` refuses as a KnowledgeError), and each set is met or ruled out somewhere."""
    sets = _every_criteria_set()
    met, ruled_out = set(), set()
    for ctx in varied_contexts(2600):
        facts = ctx.read_facts()
        for i, criteria in enumerate(sets):
            found = evaluate(criteria, facts)
            if found.met:
                met.add(i)
            if not found.possible:
                ruled_out.add(i)
    assert ruled_out == set(range(len(sets)))
    assert len(met) >= len(sets) // 2  # the facts reach past the first criterion of most sets
