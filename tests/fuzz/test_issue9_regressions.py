"""The concrete 500s of the issue 9 probe, each now a 4xx naming the field (or a 200 that stays correct).

From the issue: "surgery.date in year 9990 or later -> unhandled ValueError: HTTP 500 on /api/assess,
batch, PDF, iCalendar, web form, CDS Hooks. A lone surrogate in a batch id, a what-if key or
hookInstance -> 500; a newline in id -> 500 on .ics." All requests go through ``_clients.clients``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from fuzz._clients import FORM, JSON, Clients, clients, problems_of
from fuzz._hostile import fhir_bundles
from micromets.api.services import example_data
from micromets.assess import assess
from micromets.followup import to_icalendar
from micromets.model import parse_case
from micromets.model.assessment import FollowUpItem

FAR = "9990-06-01"
CDS = "/cds-services/micromets-breast-micromets"


@pytest.fixture(scope="module")
def c(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    made = clients(tmp_path_factory.mktemp("issue9"))
    yield made
    made.close()


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(example_data("pn1mi"))


def _far(case: dict[str, Any]) -> dict[str, Any]:
    return {**case, "surgery": {**case["surgery"], "date": FAR}}


@pytest.mark.parametrize("path", ["/api/assess", "/api/followup.ics", "/api/report.pdf"])
def test_a_surgery_date_in_9990_is_a_422_naming_it(c: Clients, case: dict[str, Any], path: str) -> None:
    response = c.api.post(path, json=_far(case))
    assert response.status_code == 422
    assert [f for f, _ in problems_of(response.json())] == ["surgery.date"]


def test_a_surgery_date_in_9990_in_a_batch_is_that_item_s_error(c: Clients, case: dict[str, Any]) -> None:
    response = c.api.post("/api/assess/batch", json=[case, _far(case)])
    assert response.status_code == 200
    first, second = response.json()
    assert first["staging"] and second["error"]["field"] == "surgery.date"


def test_a_surgery_date_in_9990_on_the_web_form(c: Clients, case: dict[str, Any]) -> None:
    from micromets.api import form

    values = form.flatten(_far(case))
    fields = {k: v if isinstance(v, str) else "\n".join(v) for k, v in values.items()}
    response = c.web.post("/assess", data=fields)
    assert response.status_code == 422 and "surgery.date" in response.text and "2099-12-31" in response.text
    download = c.web.post("/download/ics", data={"case_json": json.dumps(_far(case))})
    assert download.status_code == 422 and "surgery.date" in download.text


def test_a_surgery_date_in_9990_through_cds_hooks_is_a_warning_card(c: Clients) -> None:
    bundle = fhir_bundles()[0]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if any(c.get("code") == "surgery.date" for c in resource.get("code", {}).get("coding", [])):
            resource["valueDateTime"] = FAR
            break
    else:
        pytest.fail("the example bundle carries no surgery.date observation")
    patient = next(e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    body = {"hook": "patient-view", "hookInstance": "0d4e6c1e-6f4a-4c59-9a55-4f3a3c2b1a10", "context": {"patientId": patient},
            "prefetch": {"bundle": bundle}}
    response = c.cds.post(CDS, json=body)
    assert response.status_code == 200
    (card,) = response.json()["cards"]
    assert card["indicator"] == "warning" and "surgery.date" in card["detail"]


def test_the_latest_accepted_date_gives_a_plan_a_calendar_and_a_pdf(c: Clients, case: dict[str, Any]) -> None:
    late = {**case, "surgery": {**case["surgery"], "date": "2099-12-31"}}
    ics = c.api.post("/api/followup.ics", json=late)
    assert ics.status_code == 200 and b"DTSTART;VALUE=DATE:2100" in ics.content
    pdf = c.api.post("/api/report.pdf", json=late)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def _raw(text: str) -> bytes:
    return text.encode("utf-8")


def test_lone_surrogates_are_422s_naming_where_they_are(c: Clients, case: dict[str, Any]) -> None:
    valid = json.dumps(case)
    batch = c.api.post("/api/assess/batch", content=_raw(f'[{valid}, {{"id": "x\\ud800"}}]'), headers=JSON)
    assert batch.status_code == 422 and problems_of(batch.json())[0][0] == "[1].id"
    whatif = c.api.post("/api/whatif", content=_raw(f'{{"case": {valid}, "changes": {{"tumour.\\udc00": 3}}}}'),
                      headers=JSON)
    assert whatif.status_code == 422 and problems_of(whatif.json())[0][0].startswith("changes.tumour.\\udc00")
    hook = c.cds.post(CDS, content=_raw('{"hook": "patient-view", "hookInstance": "\\ud83d"}'), headers=JSON)
    assert hook.status_code == 422 and problems_of(hook.json())[0][0] == "hookInstance"


def test_a_newline_in_the_id_never_breaks_the_calendar(c: Clients, case: dict[str, Any]) -> None:
    response = c.api.post("/api/followup.ics", json={**case, "id": "case\nX-INJECTED:1"})
    assert response.status_code == 422 and problems_of(response.json())[0][0] == "id"
    web = c.web.post("/download/ics", content=c.form_body(b"case_json=" + urllib.parse.quote(
        json.dumps({**case, "id": "a\r\nb"})).encode()), headers=FORM)
    assert web.status_code == 422 and "control character" in web.text
    # The calendar writer itself copes with any id (Python callers bypass no validation, but be safe).
    ics = to_icalendar([FollowUpItem(due=dt.date(2027, 1, 1), what="visit", evidence=[])], patient_id="a\nb\x00c")
    assert b"X-WR-CALNAME:Breast cancer follow-up plan (a b c)\r\n" in ics


def test_date_arithmetic_past_the_calendar_never_raises() -> None:
    case = parse_case({**example_data("pn1mi")})
    assert case.surgery is not None
    case.surgery.date = dt.date(9990, 1, 1)  # assignment bypasses validation
    assessment = assess(case)
    assert assessment.follow_up == [] and any("outside the calendar" in w for w in assessment.warnings)


def test_the_web_result_page_shows_plausibility_warnings_first(c: Clients, case: dict[str, Any]) -> None:
    from micromets.api import form

    suspicious = {**case, "tumour": {**case["tumour"], "er_percent": 0.9}}
    values = form.flatten(suspicious)
    fields = {k: v if isinstance(v, str) else "\n".join(v) for k, v in values.items()}
    page = c.web.post("/assess", data=fields)
    assert page.status_code == 200
    html = page.text
    # the web answer (issue 12) leads with its own one-line disclaimer; the full report follows in a fold
    assert html.index("Check these inputs") < html.index('class="board-disclaimer"') < html.index("Anatomic stage")
    assert "tumour.er_percent is 0.9 %" in html
