"""No reference cycles left behind by an assessment or a cohort batch.

An object graph that refers to itself is freed only by the cyclic garbage collector, not when its last reference
goes: every case's findings, stage, contexts and recommendations then stay in memory until a collection, and each
collection walks them all (a context remembered as its own chemotherapy variant once made every assessment such a
graph: ~50-90 ms of collection per 1,000 registry rows, docs/performance.md). Objects built once and kept for the
process (knowledge files, compiled tables, caches) are built by a warm-up run first.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources

import pytest
from tests.properties._strategies import drawn_case_dicts

from micromets import assess, parse_case
from micromets.cohort.engine import score_batch
from micromets.cohort.synthetic import synthetic_registry
from micromets.errors import CaseValidationError


@contextmanager
def _saved_garbage() -> Iterator[list[object]]:
    """The objects the collector would free, kept in a list instead (collector paused meanwhile)."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    garbage: list[object] = []
    try:
        yield garbage
        gc.collect()
        garbage.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()


def _cycles_left(run: Callable[[], None]) -> Counter[str]:
    run()  # warm-up: what the process keeps for good is built now
    with _saved_garbage() as garbage:
        run()
    return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in garbage)


def _valid_drawn_cases() -> list[object]:
    cases = []
    for data in drawn_case_dicts(300):
        try:
            cases.append(parse_case(data))
        except CaseValidationError:
            continue
    return cases


@pytest.mark.parametrize("source", ["examples", "drawn"])
def test_assess_leaves_no_reference_cycles(source: str) -> None:
    if source == "examples":
        folder = resources.files("micromets") / "examples"
        cases = [parse_case(json.loads((folder / p.name).read_text(encoding="utf-8")))
                 for p in folder.iterdir() if p.name.endswith(".json")]
    else:
        cases = _valid_drawn_cases()
    assert len(cases) >= 7

    def run() -> None:
        for case in cases:
            assess(case)  # type: ignore[arg-type]

    left = _cycles_left(run)
    assert not left, f"assess() left objects in reference cycles: {left.most_common(8)}"


def test_cohort_batch_leaves_no_reference_cycles() -> None:
    # Synthetic registry rows, invalid ones among them (error rows go through their own path).
    batch = synthetic_registry(600, seed=29, invalid_fraction=0.05).to_batches()[0]
    left = _cycles_left(lambda: score_batch(batch) and None)
    assert not left, f"score_batch left objects in reference cycles: {left.most_common(8)}"
