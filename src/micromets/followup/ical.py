"""iCalendar (RFC 5545) export of a follow-up plan: one all-day event per item.

The output is deterministic: UIDs are hashes of the patient id, date and category (the text for an item without one)
with the item's place among that day's items of its category, so a plan re-issued with reworded items updates the
events a calendar already holds instead of adding copies (RFC 5545 3.8.4.7: the UID is the event's persistent
identity); DTSTAMP is derived
from the data (the earliest due date, midnight UTC), never from the clock.

Example::

    >>> import datetime as dt
    >>> from micromets.model.assessment import FollowUpItem
    >>> ics = to_icalendar([FollowUpItem(due=dt.date(2027, 2, 1), what="Follow-up visit",
    ...                                  evidence=["ASCO-FU-2013"])], patient_id="case-001")
    >>> b"DTSTART;VALUE=DATE:20270201" in ics
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from icalendar import Calendar, Event

from micromets.model.assessment import FollowUpItem

__all__ = ["to_icalendar"]

_PRODID = "-//micromets//follow-up plan//EN"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SUMMARY_MAX = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def to_icalendar(items: list[FollowUpItem], *, patient_id: str | None) -> bytes:
    """The plan as an iCalendar file (bytes, CRLF line endings), events in the order given.

    Each event is all-day on ``item.due`` (DTEND the next day), SUMMARY is the item text (shortened
    to 120 characters), DESCRIPTION the full text, category and evidence ids.
    """
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    shown_id = _one_line(patient_id) if patient_id else ""
    calendar.add("x-wr-calname", f"Breast cancer follow-up plan{f' ({shown_id})' if shown_id else ''}")
    stamp = (
        dt.datetime.combine(min(i.due for i in items), dt.time(0, 0), tzinfo=dt.UTC) if items else _EPOCH
    )
    seen: Counter[str] = Counter()
    for item in items:
        key = f"{patient_id or ''}\x1f{item.due.isoformat()}\x1f{item.category or item.what}"
        seen[key] += 1
        if seen[key] > 1:  # several items of one category that day: numbered in the plan's order
            key += f"\x1f{seen[key]}"
        event = Event()
        event.add("uid", hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@micromets")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", _shorten(item.what))
        event.add("description", _description(item))
        if item.category:
            event.add("categories", [item.category])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _one_line(text: str) -> str:
    """``text`` without control characters: RFC 5545 text values may not contain them unescaped, and an
    X- property such as X-WR-CALNAME is written as it is (a line break would end the content line)."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _shorten(text: str) -> str:
    return text if len(text) <= _SUMMARY_MAX else text[: _SUMMARY_MAX - 1].rstrip() + "…"


def _description(item: FollowUpItem) -> str:
    lines = [item.what]
    if item.category:
        lines.append(f"Category: {item.category}")
    if item.evidence:
        lines.append("Evidence: " + ", ".join(item.evidence))
    lines.append("Decision support only: confirm every date with the treating team.")
    return "\n".join(lines)
