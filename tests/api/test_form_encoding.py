"""A web form body that is not UTF-8 is refused, never decoded by a guess (found by the hostile-input sweep).

The pages are served as UTF-8, so a browser encodes their forms in UTF-8 (WHATWG HTML, "Form submission":
application/x-www-form-urlencoded uses the document's character encoding). Starlette reads raw bytes that are
not UTF-8 as Latin-1 and percent-encoded ones (``%FF``) as U+FFFD: the audit trail recorded a case id of "\ufffd"
that nobody typed. Docs: docs/web-and-api.md (forms are UTF-8); project rule: never a guess.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from micromets.api import create_app
from micromets.store import Store

from _auth import web_client

_CASE = b"%7B%22id%22%3A%22{}%22%2C%22age%22%3A60%7D"


@pytest.fixture
def app() -> FastAPI:
    return create_app(Store.in_memory())


@pytest.mark.parametrize(("path", "fields"), [
    ("/report", b"&case_json=" + _CASE.replace(b"{}", b"\xe9")),      # a raw Latin-1 byte
    ("/report", b"&case_json=" + _CASE.replace(b"{}", b"%FF")),       # percent-encoded, not UTF-8
    ("/assess", b"&id=%E9&age=60&tumour.size_mm=12"),
    ("/download/json", b"&case_json=" + _CASE.replace(b"{}", b"%C3")),  # a truncated two-byte sequence
])
def test_a_form_that_is_not_utf8_is_refused_and_nothing_is_recorded(app: FastAPI, path: str, fields: bytes) -> None:
    client = web_client(app)
    response = TestClient.post(client, path, content=b"csrf_token=" + client.csrf_token.encode() + fields,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422 and "not UTF-8" in response.text
    assert app.state.store.list() == []


def test_utf8_forms_and_a_literal_percent_in_multipart_are_accepted(app: FastAPI) -> None:
    client = web_client(app)
    ok = TestClient.post(client, "/report", content=b"csrf_token=" + client.csrf_token.encode() + b"&case_json="
                         + _CASE.replace(b"{}", b"%C3%A9"), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert ok.status_code == 200 and [row.case_id for row in app.state.store.list()] == ["\u00e9"]
    multipart = client.post("/report", files={"case_json": (None, '{"id": "100%FF", "age": 60}')},
                            data={"csrf_token": client.csrf_token})
    assert multipart.status_code == 200
