"""Fuzz the FHIR Bundle import (issue 9, item 7): hostile JSON through ``loads_strict`` and
``case_from_bundle`` either gives a ``Case`` or a ``CaseValidationError`` naming a field; nothing else."""

from __future__ import annotations

import random

from fuzz._hostile import CORPUS, fhir_bundles, mutated_case, mutated_json
from fuzz.counts import COUNTS
from micromets.errors import CaseValidationError
from micromets.interop.fhir import case_from_bundle
from micromets.model import Case
from micromets.model.strict_json import loads_strict


def test_fhir_bundle_import() -> None:
    rng = random.Random("fhir-import")
    bundles = fhir_bundles()
    failures: list[str] = []
    outcomes = {"case": 0, "rejected": 0}
    for i in range(COUNTS["fhir_import"]):
        body = CORPUS[i] if i < len(CORPUS) else mutated_json(rng, mutated_case(rng, bundles, max_mutations=2))
        try:
            case = case_from_bundle(loads_strict(body, where="(bundle)"))
        except CaseValidationError as exc:
            outcomes["rejected"] += 1
            if not all(p.field and p.message for p in exc.problems):
                failures.append(f"unnamed problem {exc.problems!r} <- {body[:120]!r}")
        except Exception as exc:  # the bar: nothing but a field-named validation error
            failures.append(f"{type(exc).__name__}: {str(exc)[:200]} <- {body[:120]!r}")
        else:
            outcomes["case"] += 1
            assert isinstance(case, Case)
    assert not failures, f"{len(failures)} failures; first: " + "\n".join(failures[:8])
    assert outcomes["case"] > 0 and outcomes["rejected"] > 0, outcomes
