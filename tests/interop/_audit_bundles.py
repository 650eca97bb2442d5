"""Small FHIR R4 bundles for the blind import audits: one patient, one left breast cancer Condition, the
Observations a test adds; and the field-named problems of a refused import."""

from __future__ import annotations

from typing import Any

import pytest

from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle

L, S, U = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"


def cc(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}


def bundle(*observations: dict[str, Any]) -> dict[str, Any]:
    patient = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1965-03-02"}
    cancer = {"resourceType": "Condition", "id": "bc", "subject": {"reference": "Patient/p"},
              "code": cc(S, "353431000119107", "Primary malignant neoplasm of female left breast"),
              "onsetDateTime": "2024-03-01"}
    resources = [patient, cancer, *observations]
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{r['resourceType']}-{r['id']}", "resource": r} for r in resources]}


def obs(rid: str, code: dict[str, Any], **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid, "status": "final", "subject": {"reference": "Patient/p"},
            "code": code, "effectiveDateTime": "2024-04-01", **value}


def refused(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(CaseValidationError) as caught:
        import_bundle(bundle)
    return [(p.field, p.message) for p in caught.value.problems]
