"""A number too small for a double must never become 0 (the "1e-300 mm silently becoming 0" item).

IEEE 754 binary64: the smallest positive (subnormal) double is about 4.94e-324; Python's ``float("1e-400")`` and
``json.loads`` return ``0.0`` for anything below, without an error. A tumour of "1e-400 mm" read as 0 would be
"no invasive tumour" (T0/ypT0; docs/case-format.md: ``size_mm`` 0 means no invasive tumour found): the input
named a tumour and the answer would deny it. Every entry point (JSON decoding: REST, CLI, CDS Hooks; the web form;
cohort CSV cells) refuses such a number naming the field; a representable tiny number (1e-300) is kept as given
and an exact zero written with an exponent (0e-999) is still 0.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi import FastAPI

from micromets.api import form
from micromets.api.services import example_data
from micromets.cohort.columns import case_from_row
from micromets.errors import CaseValidationError
from micromets.model.strict_json import loads_strict

from _auth import api_client, web_client

_UNDERFLOWING = ["1e-400", "-1e-400", "2e-324", "0." + "0" * 400 + "1", "1E-999"]


@pytest.mark.parametrize("text", _UNDERFLOWING)
def test_json_refuses_a_number_below_the_smallest_double(text: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        loads_strict('{"tumour": {"size_mm": ' + text + '}}')
    assert info.value.first.field == "tumour.size_mm" and "too small" in info.value.first.message


def test_json_refuses_it_in_a_large_document_too() -> None:
    """Large texts take the vectorised pre-scan (strict_json._scan) before the exact number checks."""
    big = json.dumps({"rows": [{"x": i} for i in range(200)]})[:-1] + ', "last": 1e-400}'
    with pytest.raises(CaseValidationError) as info:
        loads_strict(big)
    assert info.value.first.field == "last"


@pytest.mark.parametrize(("text", "value"), [("1e-300", 1e-300), ("5e-324", 5e-324), ("0e-999", 0.0), ("-0.0", 0.0),
                                             ("0.000", 0.0)])
def test_representable_numbers_and_exact_zeros_are_kept(text: str, value: float) -> None:
    assert loads_strict('{"n": ' + text + '}') == {"n": value}


def test_the_rest_api_refuses_it(api_app: FastAPI) -> None:
    case = copy.deepcopy(example_data("pn1mi"))
    body = json.dumps(case).replace('"size_mm": 18.0', '"size_mm": 1e-400', 1)
    assert '"size_mm": 1e-400' in body
    response = api_client(api_app, "write").post("/api/assess", content=body.encode(),
                                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "tumour.size_mm"


def test_the_web_form_does_not_read_it_as_zero(api_app: FastAPI) -> None:
    spec = next(f for s in form.SECTIONS for f in s.fields if f.path == "tumour.size_mm")
    assert form.convert(spec, "1e-400") == "1e-400"  # text, so validation names the field
    assert form.convert(spec, "1e-300") == 1e-300 and form.convert(spec, "0") == 0.0
    data = {key: str(value) for key, value in form.flatten(example_data("pn1mi")).items() if value is not None}
    data["tumour.size_mm"] = "1e-400"
    page = web_client(api_app).post("/assess", data=data)
    assert page.status_code == 422 and "f-tumour-size_mm" in page.text


def _row(**cells: Any) -> dict[str, Any]:
    return {"id": "r1", "age": "60", "tumour.grade": "2", **cells}


@pytest.mark.parametrize("cell", ["1e-400", "-1e-400"])
def test_a_cohort_cell_is_not_read_as_zero(cell: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        case_from_row(_row(**{"tumour.size_mm": cell}))
    assert info.value.first.field == "tumour.size_mm"


def test_a_cohort_decimal_cell_is_not_read_as_zero() -> None:
    from decimal import Decimal

    with pytest.raises(CaseValidationError):
        case_from_row(_row(**{"tumour.size_mm": Decimal("1e-400")}))
    assert case_from_row(_row(**{"tumour.size_mm": Decimal("1e-300")})).tumour.size_mm == 1e-300  # type: ignore[union-attr]


def test_minus_zero_is_zero_everywhere_it_is_shown(api_app: FastAPI) -> None:
    """JSON "-0.0" is the number 0 (RFC 8259 section 6 defines numbers by value; IEEE 754 keeps a sign bit that
    Python prints): "pT0 (-0 mm)" in a report would read as a negative size."""
    case = copy.deepcopy(example_data("pn1mi"))
    case["tumour"]["size_mm"] = -0.0
    body = json.dumps(case)
    assert '"size_mm": -0.0' in body
    response = api_client(api_app, "write").post("/api/assess", content=body.encode(),
                                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and "-0 mm" not in response.text and "-0.0" not in response.text
    page = api_client(api_app, "write").post("/api/patient.html", json=case)
    assert page.status_code == 200 and "-0 mm" not in page.text
