"""Blind audit of the follow-up plan: cases in followup_audit_cases.json, each with the guideline it comes from.

The expectations were written from the sources (ASCO 2006/2013 follow-up, ACS/ASCO 2016 survivorship, ESMO 2024,
NCCN surveillance, ASCO bone health 2019, ACOG 601, drug labels, ASCO male breast cancer 2020) before micromets was
run on the cases; the file's ``about`` explains the format.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

import micromets
from micromets.followup import to_icalendar
from micromets.knowledge.evidence import evidence_registry
from micromets.model import Case
from micromets.model.assessment import Assessment, FollowUpItem

_DATA = json.loads((Path(__file__).parent / "followup_audit_cases.json").read_text(encoding="utf-8"))
_CASES: list[dict[str, Any]] = _DATA["cases"]


def _case(spec: dict[str, Any]) -> Case:
    data = copy.deepcopy(_DATA["base"])
    data["id"] = f"fu-audit-{spec['id']}"
    for key, value in spec["changes"].items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return Case.model_validate(data)


def _assess(spec: dict[str, Any]) -> Assessment:
    return micromets.assess(_case(spec))


def _in_window(item: FollowUpItem, expect: dict[str, Any]) -> bool:
    if "due" in expect:
        return item.due == dt.date.fromisoformat(expect["due"])
    low = dt.date.fromisoformat(expect.get("from", "1900-01-01"))
    high = dt.date.fromisoformat(expect.get("to", "2999-12-31"))
    return low <= item.due <= high


def _matching(items: list[FollowUpItem], expect: dict[str, Any]) -> list[FollowUpItem]:
    """Items that match: of ``expect["category"]`` when given, else any but the list of what not to do (it names
    tests only to rule them out)."""
    pattern = re.compile(expect["what"], re.IGNORECASE)
    wanted = expect.get("category")
    return [i for i in items if (i.category == wanted if wanted else i.category != "not_recommended")
            and pattern.search(i.what) and _in_window(i, expect)]


def _listing(items: list[FollowUpItem]) -> str:
    return "\n".join(f"  {i.due} [{i.category}] {i.what}" for i in items)


@pytest.mark.parametrize("spec", _CASES, ids=[c["id"] for c in _CASES])
def test_audit_case(spec: dict[str, Any]) -> None:
    assessment = _assess(spec)
    items = assessment.follow_up
    for key, value in spec.get("decisions", {}).items():
        assert assessment.decisions.get(key) == value, f"precondition {key}: {assessment.decisions.get(key)}"
    for expect in spec.get("items", []):  # the explicit "no routine ..." item never counts as scheduling a test
        found = _matching(items, expect)
        assert len(found) >= expect.get("min", 1), f"{expect} found {len(found)}:\n{_listing(items)}"
        if "max" in expect:
            assert len(found) <= expect["max"], f"{expect} found {len(found)}:\n{_listing(found)}"
    for expect in spec.get("absent", []):
        found = _matching(items, expect)
        assert not found, f"{expect} should be absent:\n{_listing(found)}"
    missing = {m.field for m in assessment.missing}
    for field in spec.get("missing", []):
        assert field in missing, missing
    for pattern in spec.get("warnings", []):
        assert any(re.search(pattern, w, re.IGNORECASE) for w in assessment.warnings), assessment.warnings
    if spec.get("no_items"):
        assert items == []
    if spec.get("all_due_last_day_of_month"):
        assert items
        for item in items:
            assert item.due.day == calendar.monthrange(item.due.year, item.due.month)[1], item
    if "all_due_day" in spec:
        assert items
        for item in items:
            last = calendar.monthrange(item.due.year, item.due.month)[1]
            assert item.due.day == min(spec["all_due_day"], last), item
    if spec.get("evidence_resolves"):
        registry = evidence_registry()
        assert items
        for item in items:
            assert item.evidence, item
            for evidence_id in item.evidence:
                assert evidence_id in registry, (evidence_id, item.what)


def test_plan_is_deterministic_and_sorted() -> None:
    """The same case gives the same plan, item for item, sorted by date (a plan is a pure function of the case)."""
    spec = next(c for c in _CASES if c["id"] == "trastuzumab-adjuvant-lvef")
    first, second = _assess(spec).follow_up, _assess(spec).follow_up
    assert [i.model_dump() for i in first] == [i.model_dump() for i in second]
    assert [i.due for i in first] == sorted(i.due for i in first)


def test_ics_export_of_an_audited_plan_follows_rfc5545() -> None:
    """RFC 5545: CRLF content lines folded at 75 octets (3.1); VERSION and PRODID once (3.7); every VEVENT has one
    UID and one DTSTAMP in UTC (3.8.7.2, "MUST be specified in the UTC time format"); all-day events are DATE values,
    never floating date-times (3.3.4, 3.3.5); UIDs persist across runs for the same plan (3.8.4.7)."""
    spec = next(c for c in _CASES if c["id"] == "olaparib-blood-counts")
    first, second = _assess(spec), _assess(spec)
    ics = to_icalendar(first.follow_up, patient_id=first.id)
    assert ics == to_icalendar(second.follow_up, patient_id=second.id)
    text = ics.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert sum(line.startswith("VERSION:") for line in lines) == 1
    assert sum(line.startswith("PRODID:") for line in lines) == 1
    stamps = [line for line in lines if line.startswith("DTSTAMP")]
    starts = [line for line in lines if line.startswith(("DTSTART", "DTEND"))]
    assert stamps and all(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", s) for s in stamps)
    assert starts and all(re.fullmatch(r"DT(START|END);VALUE=DATE:\d{8}", s) for s in starts)
    events = list(Calendar.from_ical(ics).walk("VEVENT"))
    assert len(events) == len(first.follow_up) == len(stamps)
    uids = [str(e.get("uid")) for e in events]
    assert len(set(uids)) == len(uids)
