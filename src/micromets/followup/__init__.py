"""Follow-up, surveillance and survivorship: a dated plan from the surgery date, and iCalendar export.

Example::

    >>> from micromets.model import Case
    >>> from micromets.followup import plan_follow_up, to_icalendar
    >>> case = Case.model_validate({"id": "c1", "surgery": {"breast": "bcs", "date": "2026-10-01"}})
    >>> plan = plan_follow_up(case, {}, [])
    >>> plan.items[0].due.isoformat()
    '2027-02-01'
    >>> to_icalendar(plan.items, patient_id=case.id).startswith(b"BEGIN:VCALENDAR")
    True
"""

from __future__ import annotations

from .ical import to_icalendar
from .plan import FollowUpPlan, follow_up_gaps, plan_follow_up
from .schedule import add_months, load_schedule

__all__ = ["FollowUpPlan", "add_months", "follow_up_gaps", "load_schedule", "plan_follow_up", "to_icalendar"]
