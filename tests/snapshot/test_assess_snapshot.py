"""Every assessment is byte-for-byte what the base commit of issue 13's speed work (7e371ea) produced.

Source: issue 13 ("assess() p50 <= 300 µs") asks for speed without changing any output. The snapshot
(``assess_snapshot.jsonl.gz``, written by ``build_assess_snapshot.py`` at that commit) holds 6,564 frozen cases
(packaged examples, vignettes, hard vignettes, SEER golden cases, synthetic registry rows, drawn patients; 6,645
until 2026-12-02, when 81 drawn inputs became invalid: size 0 beside a T4 extension, or a biopsy-proven node with
cN0 before therapy) and the SHA-256 of ``assess(case).model_dump_json()`` under each PREDICT version. A rule set
change that is meant to change outputs regenerates the snapshot in the same commit.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from micromets.assess import assess, assess_many
from micromets.model import parse_case
from micromets.prognosis import available_versions

pytestmark = pytest.mark.slow  # ~20,000 assessments

SNAPSHOT = Path(__file__).resolve().parent / "assess_snapshot.jsonl.gz"


def _entries() -> list[dict[str, Any]]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


ENTRIES = _entries()


def test_the_snapshot_covers_every_kind_of_case() -> None:
    kinds = {entry["label"].split(":")[0] for entry in ENTRIES}
    assert kinds >= {"example", "vignette", "hard", "golden", "synthetic", "drawn"}
    assert len(ENTRIES) > 5000


@pytest.mark.parametrize("version", available_versions())
def test_assess_one_case_at_a_time_gives_the_frozen_assessments(version: str) -> None:
    changed = [entry["label"] for entry in ENTRIES
               if _digest(assess(parse_case(entry["case"]), prognosis_version=version).model_dump_json())
               != entry["sha256"][version]]
    assert not changed, f"{len(changed)} assessments changed under PREDICT {version}, e.g. {changed[:5]}"


def test_assess_many_over_one_batch_gives_the_frozen_assessments() -> None:
    """The same cases as one batch (PREDICT vectorised over many patients): the same bytes."""
    version = max(available_versions())
    assessments = assess_many([parse_case(entry["case"]) for entry in ENTRIES], prognosis_version=version)
    changed = [entry["label"] for entry, a in zip(ENTRIES, assessments, strict=True)
               if _digest(a.model_dump_json()) != entry["sha256"][version]]
    assert not changed, f"{len(changed)} assessments changed in a batch, e.g. {changed[:5]}"
