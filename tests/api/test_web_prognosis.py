"""The web result page shows deaths from breast cancer beside deaths from other causes, the chart, and the
model's assumptions next to the figures (issue 8 items 3 and 6), for a case entered through the form.

An 84-year-old with ECOG 2 and Charlson 3: PREDICT has no comorbidity term, so its other-cause figure overstates
her life expectancy (Land, Br J Cancer 2012; de Boer 2019) and the page must say so; radiotherapy is evaluated
without a mean heart dose, so the 2 Gy PREDICT assumes (model specification §3-4) is shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app, form

from _auth import web_client

CASE = {"id": "web-frail", "age": 84, "sex": "female", "menopausal_status": "post", "ecog": 2, "charlson_index": 3,
        "detection": "symptomatic",
        "tumour": {"size_mm": 11, "grade": 1, "er_percent": 98, "pr_percent": 80, "her2_ihc": "0", "ki67_percent": 5},
        "nodes": {"procedure": "slnb", "examined": 1},
        "surgery": {"breast": "bcs", "status": "done"},
        "treatments": {"endocrine": True, "radiotherapy": True}}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with web_client(create_app()) as test_client:  # signed in; form posts carry the CSRF token
        yield test_client


def test_result_page_puts_other_cause_deaths_beside_breast_cancer_deaths(client: TestClient) -> None:
    response = client.post("/assess", data={**form.flatten(CASE), "action": "assess"})
    assert response.status_code == 200, response.text
    page = response.text
    assert "Deaths from breast cancer and from other causes" in page and "Died of other causes" in page
    assert 'class="chart mm-causes"' in page
    assert "Assumptions and caveats behind these figures" in page
    assert "2 Gy (the model&#39;s population mean heart dose)" in page
    assert "PREDICT likely overstates life expectancy here" in page
