"""The FHIR R4 ``id`` pattern is written once (micromets.interop.fhir_id) and every check uses it.

FHIR R4, Datatypes, ``id``: ``[A-Za-z0-9\\-\\.]{1,64}``. Three copies of it had drifted apart before (a copy with
``$`` let a trailing line break through); one definition cannot.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

import micromets
from micromets.api import cdsfetch, cdshooks
from micromets.interop.fhir import import_
from micromets.interop.fhir_id import FHIR_ID, FHIR_ID_PATTERN

from _auth import api_client

_SRC = Path(micromets.__file__).parent
# The pattern as written in Python source, in any of its spellings ([A-Za-z0-9\-.] or [A-Za-z0-9\-\.]) with 1-64.
_COPY = re.compile(r"A-Za-z0-9\\\\?-\\\\?\.\]\{1,64\}")


def test_the_pattern_is_written_in_one_module_only() -> None:
    holders = sorted(str(p.relative_to(_SRC)) for p in _SRC.rglob("*.py") if _COPY.search(p.read_text("utf-8")))
    assert holders == ["interop/fhir_id.py"]


def test_every_check_uses_it() -> None:
    assert cdsfetch.FHIR_ID is FHIR_ID and cdshooks.FHIR_ID is FHIR_ID
    assert FHIR_ID_PATTERN in import_._TYPED_REFERENCE.pattern


@pytest.mark.parametrize(("value", "ok"), [("pt-77", True), ("A.b-9", True), ("x" * 64, True), ("x" * 65, False),
                                           ("pt/77", False), ("pt 77", False), ("pt-77\n", False), ("", False),
                                           ("p\u0430t", False)])  # a Cyrillic look-alike letter
def test_the_rest_patient_parameter_takes_fhir_ids_only(api_app: FastAPI, value: str, ok: bool) -> None:
    response = api_client(api_app, "write").post("/api/fhir/assess", params={"patient": value},
                                                 json={"resourceType": "Bundle", "type": "collection", "entry": []})
    assert (response.status_code != 422 or "patient" not in response.text) if ok else response.status_code == 422
    assert bool(FHIR_ID.fullmatch(value)) is ok
