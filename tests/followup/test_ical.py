"""iCalendar export: parsed back with icalendar.Calendar.from_ical (RFC 5545 all-day events)."""

from __future__ import annotations

import datetime as dt

from _followup_cases import make_case
from icalendar import Calendar

from micromets.followup import plan_follow_up, to_icalendar
from micromets.model.assessment import FollowUpItem


def _plan_items() -> list[FollowUpItem]:
    case = make_case(menopausal_status="pre")
    return plan_follow_up(case, {"endocrine": "recommended", "her2_therapy": "recommended"}, []).items


def test_round_trip_count_dates_and_descriptions() -> None:
    items = _plan_items()
    calendar = Calendar.from_ical(to_icalendar(items, patient_id="fu-1"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(items)
    for event, item in zip(events, items, strict=True):
        start = event.decoded("dtstart")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)  # all-day
        assert start == item.due
        assert event.decoded("dtend") == item.due + dt.timedelta(days=1)
        description = str(event.get("description"))
        assert item.what in description
        assert all(e in description for e in item.evidence)
    uids = [str(e.get("uid")) for e in events]
    assert len(set(uids)) == len(uids)
    assert str(calendar.get("version")) == "2.0"
    assert "fu-1" in str(calendar.get("x-wr-calname"))


def test_output_is_deterministic_and_stamp_comes_from_data() -> None:
    items = _plan_items()
    first = to_icalendar(items, patient_id="fu-1")
    assert first == to_icalendar(list(items), patient_id="fu-1")
    stamps = {e.decoded("dtstamp") for e in Calendar.from_ical(first).walk("VEVENT")}
    assert stamps == {dt.datetime.combine(items[0].due, dt.time(0), tzinfo=dt.UTC)}


def test_uids_depend_on_patient_and_date() -> None:
    item = FollowUpItem(due=dt.date(2027, 2, 1), what="Follow-up visit", evidence=["ASCO-FU-2013"])
    moved = item.model_copy(update={"due": dt.date(2027, 2, 2)})

    def uid(ics: bytes) -> str:
        return str(next(iter(Calendar.from_ical(ics).walk("VEVENT"))).get("uid"))

    assert uid(to_icalendar([item], patient_id="a")) != uid(to_icalendar([item], patient_id="b"))
    assert uid(to_icalendar([item], patient_id="a")) != uid(to_icalendar([moved], patient_id="a"))
    assert uid(to_icalendar([item], patient_id=None)) == uid(to_icalendar([item], patient_id=None))


def test_a_reworded_item_keeps_its_uid_so_a_reissued_plan_updates_the_calendar() -> None:
    """RFC 5545 3.8.4.7: the UID is the persistent identity of an event; a calendar client that imports a re-issued
    plan replaces the event with the same UID. The same visit reworded is the same event; another category that day
    is another event."""
    visit = FollowUpItem(due=dt.date(2027, 2, 1), what="Follow-up visit", category="visit")
    reworded = visit.model_copy(update={"what": "Follow-up visit: history and examination"})
    imaging = visit.model_copy(update={"category": "imaging", "what": "Mammography"})

    def uids(items: list[FollowUpItem]) -> list[str]:
        return [str(e.get("uid")) for e in Calendar.from_ical(to_icalendar(items, patient_id="a")).walk("VEVENT")]

    assert uids([visit]) == uids([reworded])
    assert uids([visit, imaging])[0] == uids([reworded])[0] and len(set(uids([visit, imaging]))) == 2


def test_identical_items_still_get_unique_uids() -> None:
    item = FollowUpItem(due=dt.date(2027, 2, 1), what="Follow-up visit")
    events = list(Calendar.from_ical(to_icalendar([item, item], patient_id=None)).walk("VEVENT"))
    assert len({str(e.get("uid")) for e in events}) == 2


def test_empty_plan_is_a_valid_calendar() -> None:
    calendar = Calendar.from_ical(to_icalendar([], patient_id=None))
    assert list(calendar.walk("VEVENT")) == []
    assert b"\r\n" in to_icalendar([], patient_id=None)
