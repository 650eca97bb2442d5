"""Fuzz the standard-code FHIR import (issue 10): hostile changes to the bundles coded the way other systems code
them either import or give a ``CaseValidationError`` whose every problem names a field; never anything else.

Three paths: the whole import (strict JSON parse, resource check, ``urn:uuid`` resolution, contained resources) with
the assessment; the reader alone on resources that passed no model validation (a lighter structural check lets
more shapes through, and the reader must not depend on it); and the CLI (exit 0 or 2, never a traceback).
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from fuzz._hostile import dumps, mutated_case, mutated_json
from fuzz.counts import _SCALE
from micromets.assess import assess
from micromets.cli import app as cli_app
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle, import_resources, with_import_notes
from micromets.model.strict_json import loads_strict

_HERE = Path(__file__).parent
BUNDLES = [json.loads(p.read_text()) for folder in ("bundles", "bundles-other") for p in sorted((_HERE / folder).glob("*.json"))]
COUNTS = {"whole_import": 500 * _SCALE, "reader_only": 700 * _SCALE, "cli": 40 * _SCALE}


def _named(exc: CaseValidationError) -> bool:
    return all(p.field and p.message for p in exc.problems)


def test_whole_import_of_mutated_standard_bundles() -> None:
    rng = random.Random("fhir-standard-whole")
    failures: list[str] = []
    outcomes = {"case": 0, "rejected": 0}
    for i in range(COUNTS["whole_import"]):
        body = mutated_json(rng, mutated_case(rng, BUNDLES, max_mutations=3))
        try:
            imported = import_bundle(loads_strict(body, where="(bundle)"))
            if i % 5 == 0:  # the assessment too, for a share of them (it is the slow part)
                with_import_notes(assess(imported.case), imported)
        except CaseValidationError as exc:
            outcomes["rejected"] += 1
            if not _named(exc):
                failures.append(f"unnamed problem {exc.problems!r} <- {body[:120]!r}")
        except Exception as exc:  # the bar: nothing but a field-named validation error
            failures.append(f"{type(exc).__name__}: {str(exc)[:200]} <- {body[:160]!r}")
        else:
            outcomes["case"] += 1
    assert not failures, f"{len(failures)} failures; first: " + "\n".join(failures[:8])
    assert outcomes["case"] > 0 and outcomes["rejected"] > 0, outcomes


def test_reader_alone_on_mutated_resources() -> None:
    rng = random.Random("fhir-standard-reader")
    sources = [{"resources": [e["resource"] for e in b["entry"] if isinstance(e.get("resource"), dict)]}
               for b in BUNDLES]
    failures: list[str] = []
    outcomes = {"case": 0, "rejected": 0}
    for _ in range(COUNTS["reader_only"]):
        mutated = mutated_case(rng, sources, max_mutations=4)
        try:  # through JSON, as data arrive (the mutations use JSON-only shapes such as duplicate keys)
            data: Any = loads_strict(dumps(mutated).encode("utf-8", "surrogatepass"), where="(data)")
        except CaseValidationError:
            continue
        resources = data.get("resources") if isinstance(data, dict) else None
        if not isinstance(resources, list):
            continue
        try:
            import_resources([copy.deepcopy(r) for r in resources if isinstance(r, dict)])
        except CaseValidationError as exc:
            outcomes["rejected"] += 1
            if not _named(exc):
                failures.append(f"unnamed problem {exc.problems!r}")
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {str(exc)[:200]} <- {json.dumps(mutated, default=str)[:160]}")
        else:
            outcomes["case"] += 1
    assert not failures, f"{len(failures)} failures; first: " + "\n".join(failures[:8])
    assert outcomes["case"] > 0 and outcomes["rejected"] > 0, outcomes


def test_cli_on_mutated_standard_bundles() -> None:
    rng = random.Random("fhir-standard-cli")
    runner = CliRunner()
    for _ in range(COUNTS["cli"]):
        body = mutated_json(rng, mutated_case(rng, BUNDLES, max_mutations=2))
        result = runner.invoke(cli_app, ["assess", "--input-format", "fhir", "-"], input=body)
        assert result.exit_code in (0, 2), result.output[-400:]
        assert "Traceback" not in result.output
