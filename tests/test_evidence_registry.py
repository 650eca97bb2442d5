"""Every evidence id cited anywhere in the package resolves in the evidence registry.

Three places cite evidence: knowledge files (keys such as ``source`` and ``evidence``), Python code
(string constants shaped like an id), and assessments (recommendations, follow-up, prognosis). A
missing id fails here, naming the file or case that cites it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from micromets.knowledge.evidence import evidence_registry, unknown_evidence_ids
from micromets.model import parse_case_json

ID_SHAPE = re.compile(r"^[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)+$")
# Id-shaped words that are not citations (method names in labels and messages; JOSE curve names, RFC 7518).
NOT_EVIDENCE = {"RT-PCR", "P-256", "P-384", "P-521", "KATAKANA-HIRAGANA"}  # Unicode name word (model/_strict.py)
CITING_KEYS = {"source", "sources", "evidence", "evidence_id", "evidence_ids", "cites"}
PACKAGE = Path(str(resources.files("micromets")))
EXAMPLES = sorted((PACKAGE / "examples").glob("*.json"))


def _cited_in_json(value: Any, citing: bool = False) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _cited_in_json(item, citing or key in CITING_KEYS)
    elif isinstance(value, list):
        for item in value:
            yield from _cited_in_json(item, citing)
    elif citing and isinstance(value, str) and ID_SHAPE.match(value):
        yield value


def test_registry_loads_with_unique_well_formed_ids() -> None:
    registry = evidence_registry()
    assert len(registry) >= 20
    for record in registry.values():
        assert record.title and record.citation and record.key_figure
        assert 1900 < record.year <= 2026


def test_every_id_cited_by_a_knowledge_file_resolves() -> None:
    knowledge = PACKAGE / "knowledge"
    problems = {}
    for path in sorted(knowledge.rglob("*.json")):
        if path.parent.name == "evidence":
            continue
        unknown = unknown_evidence_ids(set(_cited_in_json(json.loads(path.read_text(encoding="utf-8")))))
        if unknown:
            problems[str(path.relative_to(knowledge))] = unknown
    assert not problems, f"unknown evidence ids: {problems}"


def test_every_id_shaped_string_in_the_code_resolves() -> None:
    problems = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        constants = {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(node, ast.Constant) and isinstance(node.value, str) and ID_SHAPE.match(node.value)} - NOT_EVIDENCE
        unknown = unknown_evidence_ids(constants)
        if unknown:
            problems[str(path.relative_to(PACKAGE))] = unknown
    assert not problems, f"unknown evidence ids: {problems}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_id_an_assessment_cites_resolves(example: Path) -> None:
    from micromets.assess import assess

    assessment = assess(parse_case_json(example.read_text(encoding="utf-8")))
    cited: set[str] = set()
    for recommendation in assessment.recommendations:
        assert recommendation.evidence, recommendation.id
        cited.update(recommendation.evidence)
    for item in assessment.follow_up:
        cited.update(item.evidence)
    if assessment.prognosis and assessment.prognosis.non_sentinel_node_probability:
        cited.update(assessment.prognosis.non_sentinel_node_probability.evidence)
    assert unknown_evidence_ids(cited) == []
