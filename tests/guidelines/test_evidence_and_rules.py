"""Rule tables validate at load and every cited evidence id (data and code) resolves in the registry."""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

import pytest

from micromets.errors import KnowledgeError
from micromets.guidelines import rules as rules_module
from micromets.guidelines.rules import RULE_FILES, cited_ids, evaluate, rules
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
    """``until_failed``: the same met and possible; the same unknown criteria for a set still possible, and only the
    first failed criterion for a set ruled out."""
    sets = [rules().slnb_omission.criteria_sets[0], *rules().radiation.wbrt_omission,
            rules().radiation.pmrt_favourable_one_to_three]
    for criteria in sets:
        for facts in ({}, {"age": 45, "menopause": "post"}, {"age": 80, "menopause": "post"}, {"age": 80}):
            full, short = evaluate(criteria, facts), evaluate(criteria, facts, until_failed=True)
            assert (short.met, short.possible) == (full.met, full.possible)
            if full.possible:
                assert short == full
            else:
                assert short.failed == full.failed[:1]
