"""Server-rendered web UI through TestClient: form coverage, labels, inline errors, report, downloads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from micromets.api import create_app, form
from micromets.api.services import example_data, example_names
from micromets.model import Assessment, Case

from _auth import web_client


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with web_client(create_app()) as test_client:
        yield test_client


class _Inputs(HTMLParser):
    """Collects form controls, labels and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1


def _parse(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def _schema_leaves(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> set[str]:
    """Every leaf field path of the case JSON Schema (deposit fields as ``nodes.deposits[].x``)."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    for option in node.get("anyOf", []):
        if "$ref" in option or option.get("type") == "array" and "$ref" in option.get("items", {}):
            return _schema_leaves(schema, option, prefix)
    if node.get("type") == "array" and "$ref" in node.get("items", {}):
        return _schema_leaves(schema, node["items"], prefix + "[]")
    if "properties" in node:
        out: set[str] = set()
        for name, child in node["properties"].items():
            out |= _schema_leaves(schema, child, f"{prefix}.{name}" if prefix else name)
        return out
    return {prefix}


def test_form_covers_every_contract_field() -> None:
    schema = Case.model_json_schema()
    assert _schema_leaves(schema, schema) == set(form.all_paths())


def test_every_control_has_a_label_and_the_page_is_self_contained(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = _parse(response.text)
    assert len(page.controls) > 50
    unlabelled = [c.get("name") for c in page.controls if c.get("id") not in page.label_for]
    assert unlabelled == []
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.text), "no external resources"


def test_static_files_reference_nothing_external() -> None:
    static = Path(form.__file__).parent / "static"
    for path in static.iterdir():
        assert not re.search(r"https?://|url\(\s*['\"]?//", path.read_text(encoding="utf-8")), path.name


def test_example_loader_prefills_the_form(client: TestClient) -> None:
    response = client.get("/", params={"example": "pn1mi"})
    assert response.status_code == 200
    data = example_data("pn1mi")
    assert f'value="{data["id"]}"' in response.text
    assert 'name="nodes.deposits[0].size_mm" value="1.2"' in response.text
    assert client.get("/", params={"example": "nope"}).status_code == 404
    assert example_names()[0] == "pn1mi"


def _form_of(case: dict[str, Any]) -> dict[str, Any]:
    return {**form.flatten(case), "action": "assess"}


def test_form_round_trips_every_example() -> None:
    for name in example_names():
        data = example_data(name)
        fields = {k: v if isinstance(v, list) else [v] for k, v in form.flatten(data).items()}
        rebuilt = Case.model_validate(form.case_data_from_form(fields))
        assert rebuilt == Case.model_validate(data), name


def test_empty_inputs_are_unknown_never_zero() -> None:
    data = form.case_data_from_form({"age": [""], "tumour.size_mm": [" "], "tumour.grade": [""],
                                     "tumour.lvi": [""], "nodes.deposits[0].size_mm": [""],
                                     "treatments.endocrine": [""], "tumour.er_percent": ["0"]})
    assert data == {"tumour": {"er_percent": 0.0}}


def test_submit_shows_the_report(client: TestClient) -> None:
    response = client.post("/assess", data=_form_of(example_data("pn1mi")))
    assert response.status_code == 200, response.text
    assert "pN1mi" in response.text
    assert 'action="/download/pdf"' in response.text and 'action="/whatif"' in response.text


def test_invalid_value_is_shown_inline_next_to_its_input(client: TestClient) -> None:
    values = _form_of(example_data("pn1mi"))
    values["tumour.size_mm"] = "180 cm"
    values["nodes.deposits[0].size_mm"] = "400"
    response = client.post("/assess", data=values)
    assert response.status_code == 422
    for name in ("tumour.size_mm", "nodes.deposits[0].size_mm"):
        error_id = form.input_id(name) + "-error"
        assert f'id="{error_id}"' in response.text
        assert re.search(rf'id="{re.escape(form.input_id(name))}"[^>]*aria-describedby="[^"]*{error_id}',
                         response.text)
    assert 'value="180 cm"' in response.text, "the typed value is kept for correction"


def test_add_and_remove_deposit_rows_without_javascript(client: TestClient) -> None:
    values = _form_of(example_data("pn1mi"))
    added = client.post("/assess", data={**values, "action": "add_deposit"})
    assert 'name="nodes.deposits[1].size_mm"' in added.text
    removed = client.post("/assess", data={**values, "action": "remove_deposit:0"})
    assert 'name="nodes.deposits[0].size_mm" value=""' in removed.text


def _posted(case: dict[str, Any]) -> dict[str, str]:
    return {"case_json": json.dumps(case), "prognosis_version": ""}


def test_downloads(client: TestClient) -> None:
    case = example_data("pn1mi")
    as_json = client.post("/download/json", data=_posted(case))
    assert as_json.status_code == 200
    assert Assessment.model_validate(as_json.json()).id == case["id"]
    assert "attachment" in as_json.headers["content-disposition"]
    assert client.post("/download/pdf", data=_posted(case)).content.startswith(b"%PDF")
    assert client.post("/download/ics", data=_posted(case)).content.startswith(b"BEGIN:VCALENDAR")
    assert client.post("/download/exe", data=_posted(case)).status_code == 404
    tampered = client.post("/download/json", data=_posted({**case, "age": 5}))
    assert tampered.status_code == 422 and "age" in tampered.text


def test_fhir_download_only_when_available(client: TestClient) -> None:
    import importlib.util

    available = importlib.util.find_spec("micromets.interop") is not None and \
        importlib.util.find_spec("micromets.interop.fhir") is not None
    page = client.post("/report", data=_posted(example_data("pn1mi")))
    assert page.status_code == 200
    assert ('action="/download/fhir"' in page.text) == available


def test_whatif_page(client: TestClient) -> None:
    data = {**_posted(example_data("pn1mi")), "field": "tumour.grade", "value": "3"}
    response = client.post("/whatif", data=data)
    assert response.status_code == 200, response.text
    assert "What changes" in response.text
    bad = client.post("/whatif", data={**data, "field": "tumour.colour"})
    assert bad.status_code == 422


def test_edit_prefills_the_form_with_the_case(client: TestClient) -> None:
    response = client.post("/edit", data=_posted(example_data("pn1mi")))
    assert response.status_code == 200
    assert 'name="tumour.size_mm" value="18"' in response.text
