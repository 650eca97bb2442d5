"""Fuzz the REST API, the render endpoints, the web form and the CDS Hooks service (issue 9, item 7).

Seeded hostile bodies (``_hostile``) go through FastAPI's TestClient (``_clients.clients``, the one place
that holds the credentials: an API token, a signed-in web session with its CSRF token, a CDS client's JWT). The bar, from the issue: zero 5xx (a server exception is a 500 here), and
every error is ``{"detail": [{"field", "message"}]}`` with a non-empty field.
"""

from __future__ import annotations

import json
import random
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from fuzz._clients import FORM, JSON, Clients, clients, problems_of
from fuzz._hostile import (
    CORPUS,
    Raw,
    dumps,
    example_cases,
    fhir_bundles,
    hostile_bodies,
    hostile_values,
    mutated_case,
    mutated_json,
)
from fuzz.counts import COUNTS
from micromets.errors import CaseValidationError
from micromets.model import Assessment, ErrorResult, parse_case
from micromets.model.strict_json import loads_strict

_OK_STATUSES = {200, 404, 413, 422}


@pytest.fixture(scope="module")
def c(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    made = clients(tmp_path_factory.mktemp("fuzz-api"))
    yield made
    made.close()


class Failures:
    """Collects what broke the bar, to report the first few inputs at the end (not only the first)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def check(self, condition: bool, what: str, body: bytes | str, detail: Any = "") -> None:
        if not condition:
            shown = body if isinstance(body, str) else body[:200].decode("utf-8", "backslashreplace")
            self.items.append(f"{what}: {str(detail)[:300]} <- {shown[:200]!r}")

    def assert_none(self, total: int) -> None:
        assert not self.items, f"{len(self.items)} of {total} inputs failed; first: " + "\n".join(self.items[:8])


def _check_response(failures: Failures, response: Any, body: bytes | str, statuses: set[int] = _OK_STATUSES) -> Any:
    failures.check(response.status_code in statuses, f"status {response.status_code}", body, response.text)
    if response.status_code == 200 or response.status_code >= 500:
        return None
    try:
        return problems_of(response.json())
    except (AssertionError, ValueError) as exc:
        failures.check(False, "error shape", body, exc)
    return None


def _is_valid_case(body: bytes) -> bool:
    try:
        parse_case(loads_strict(body))
    except CaseValidationError:
        return False
    return True


def test_assess(c: Clients) -> None:
    failures = Failures()
    bodies = list(hostile_bodies("rest-assess", COUNTS["rest_assess"]))
    for body in bodies:
        response = c.api.post("/api/assess", content=body, headers=JSON)
        _check_response(failures, response, body)
        if response.status_code == 200:
            try:
                Assessment.model_validate(response.json())
            except ValueError as exc:
                failures.check(False, "assessment shape", body, exc)
    failures.assert_none(len(bodies))
    assert len(bodies) == COUNTS["rest_assess"]


def test_batch(c: Clients) -> None:
    rng = random.Random("rest-batch")
    cases = example_cases()
    failures = Failures()
    items = 0
    for i in range(COUNTS["rest_batch_requests"]):
        if i < len(CORPUS) // 2:
            body = CORPUS[i]
        else:
            # Byte-level damage rejects the whole body, so it is rare here: most items reach the case validation.
            parts = [mutated_json(rng, mutated_case(rng, cases)) if rng.random() < 0.04
                     else dumps(mutated_case(rng, cases)).encode() for _ in range(rng.randint(1, 6))]
            items += len(parts)
            body = b"[" + b", ".join(parts) + b"]"
        response = c.api.post("/api/assess/batch", content=body, headers=JSON)
        _check_response(failures, response, body)
        if response.status_code == 200:
            results = response.json()
            failures.check(isinstance(results, list), "batch shape", body, results)
            for result in results if isinstance(results, list) else []:
                if "error" in result:
                    error = ErrorResult.model_validate(result)
                    failures.check(bool(error.error.field) and all(e.field for e in error.errors), "item field", body)
    failures.assert_none(COUNTS["rest_batch_requests"])
    assert items >= COUNTS["rest_batch_requests"]


_CHANGE_KEYS: list[Any] = [
    "tumour.grade", "tumour.size_mm", "nodes.deposits[0].size_mm", "nodes.deposits[1]", "nodes.deposits[99].size_mm",
    "menopausal_status", "surgery.date", "", ".", "a..b", "tumour.grade[0]", "[0]", "x" * 1000, "tumour.\n",
    "nodes.deposits[9999999]", "nodes.deposits[" + "9" * 5000 + "]", "__class__", "tumour.__dict__", "id",
    "comorbidities[0]", "comorbidities[5]", "tumour", "nodes", "é.ü", Raw('"\\ud800"'), Raw('"tumour.\\udfff"'),
]


def test_whatif(c: Clients) -> None:
    rng = random.Random("rest-whatif")
    cases = example_cases()
    failures = Failures()
    for i in range(COUNTS["rest_whatif"]):
        if i < len(CORPUS):
            body = CORPUS[i]
        else:
            changes = {rng.choice(_CHANGE_KEYS): hostile_values(rng) for _ in range(rng.randint(1, 3))}
            if rng.random() < 0.1:
                changes = {}
            document: dict[str, Any] = {"case": mutated_case(rng, cases, max_mutations=1), "changes": changes}
            if rng.random() < 0.2:
                document["prognosis_version"] = hostile_values(rng)
            if rng.random() < 0.05:
                document["extra"] = 1
            body = mutated_json(rng, document)
        response = c.api.post("/api/whatif", content=body, headers=JSON)
        _check_response(failures, response, body)
    failures.assert_none(COUNTS["rest_whatif"])


def test_render_endpoints(c: Clients) -> None:
    failures = Failures()
    bodies = list(hostile_bodies("rest-ics", COUNTS["rest_ics"]))
    for body in bodies:
        response = c.api.post("/api/followup.ics", content=body, headers=JSON)
        _check_response(failures, response, body)
        if response.status_code == 200:
            failures.check(response.content.startswith(b"BEGIN:VCALENDAR"), "ics content", body)
    # A PDF takes seconds to render, so only inputs that must be rejected are sent (all of them must be).
    pdf_bodies = [b for b in hostile_bodies("rest-pdf", COUNTS["rest_pdf"] * 3) if not _is_valid_case(b)]
    for body in pdf_bodies[: COUNTS["rest_pdf"]]:
        response = c.api.post("/api/report.pdf", content=body, headers=JSON)
        _check_response(failures, response, body, {404, 413, 422})
    failures.assert_none(len(bodies) + COUNTS["rest_pdf"])
    assert len(pdf_bodies) >= COUNTS["rest_pdf"]


_FORM_TEXT = ["1e400", "NaN", "inf", "-0", "9" * 5000, "yes", "2026-02-30", "9990-01-01", "0001-01-01", "a\nb",
              "\x00", "<script>alert(1)</script>", "{{7*7}}", "é", "1,5", " 18 ", "", "true", "0.9", "180"]
_RAW_BYTES = [b"\xff", b"\xed\xa0\x80", b"\xc3", b"\x00", b"%", b"\r\n"]


def _urlencoded(rng: random.Random, fields: dict[str, str]) -> bytes:
    parts = []
    for name, value in fields.items():
        raw = value.encode("utf-8")
        if rng.random() < 0.15:
            raw += rng.choice(_RAW_BYTES)
        parts.append(urllib.parse.quote(name).encode() + b"=" + urllib.parse.quote_from_bytes(raw).encode())
    return b"&".join(parts)


def test_web_form_and_downloads(c: Clients) -> None:
    from micromets.api import form

    rng = random.Random("web-form")
    cases = example_cases()
    failures = Failures()
    paths = [p for p in form.all_paths() if "[]" not in p]
    for i in range(COUNTS["web_form"]):
        data = mutated_case(rng, cases, max_mutations=2)
        if i % 2 == 0:
            values = form.flatten(data) if isinstance(data, dict) else {}
            fields = {k: v if isinstance(v, str) else "\n".join(map(str, v)) for k, v in values.items()}
            for _ in range(rng.randint(1, 4)):
                fields[rng.choice(paths)] = rng.choice(_FORM_TEXT)
            if rng.random() < 0.2:
                fields[f"nodes.deposits[{rng.choice(['0', '9999', '-1', 'x'])}].size_mm"] = rng.choice(_FORM_TEXT)
            fields["action"] = rng.choice(["", "add_deposit", "remove_deposit:0", "remove_deposit:99999999999"])
            body = _urlencoded(rng, fields)
            response = c.web.post("/assess", content=c.form_body(body), headers=FORM)
        else:
            case_json = mutated_json(rng, data) if rng.random() < 0.8 else rng.choice(CORPUS)
            target = rng.choice(["/report", "/edit", "/whatif", "/download/ics", "/download/json", "/download/fhir"])
            fields = {"prognosis_version": rng.choice(["", "3.2", "9.9"]), "field": rng.choice(["tumour.grade", "x"]),
                      "value": rng.choice(_FORM_TEXT)}
            body = b"case_json=" + urllib.parse.quote_from_bytes(case_json).encode() + b"&" + _urlencoded(rng, fields)
            response = c.web.post(target, content=c.form_body(body), headers=FORM)
        failures.check(response.status_code in _OK_STATUSES, f"status {response.status_code}", body, response.text[:300])
    failures.assert_none(COUNTS["web_form"])


_INSTANCES: list[Any] = ["d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "", "x" * 10_000, "a\nb", 5, None, [], {},
                         Raw('"\\ud800"'), Raw('"id-\\udfff-x"'), "é", "\u202e"]


def test_cds_hooks(c: Clients) -> None:
    rng = random.Random("cds-hooks")
    bundles = fhir_bundles()
    failures = Failures()
    url = "/cds-services/micromets-breast-micromets"
    for i in range(COUNTS["cds_hooks"]):
        if i < len(CORPUS):
            body = CORPUS[i]
        else:
            prefetch: Any = {"bundle": mutated_case(rng, bundles, max_mutations=2)}
            if rng.random() < 0.2:
                prefetch = hostile_values(rng)
            request: dict[str, Any] = {"hook": rng.choice(["patient-view"] * 8 + ["order-select", "", 1]),
                                       "hookInstance": rng.choice(_INSTANCES) if rng.random() < 0.5 else _INSTANCES[0],
                                       "context": {"patientId": "p1"} if rng.random() < 0.9 else hostile_values(rng),
                                       "prefetch": prefetch}
            body = mutated_json(rng, request)
        response = c.cds.post(url if rng.random() < 0.95 else "/cds-services/other", content=body, headers=JSON)
        _check_response(failures, response, body)
        if response.status_code == 200:
            cards = response.json().get("cards")
            failures.check(isinstance(cards, list) and bool(cards), "cards", body, response.text[:200])
            json.dumps(cards)
    failures.assert_none(COUNTS["cds_hooks"])


def test_the_corpus_reaches_every_surface_in_full() -> None:
    # Each surface starts with the whole hand-written corpus; the counts leave room for mutations after it.
    assert min(COUNTS["rest_assess"], COUNTS["rest_whatif"], COUNTS["cds_hooks"]) > len(CORPUS)
    assert dumps({"a": Raw("NaN")}) == '{"a": NaN}'
