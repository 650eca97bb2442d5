"""The schedule and the follow-up evidence records are data: headers present, every id resolves."""

from __future__ import annotations

from micromets.followup import load_schedule
from micromets.knowledge import load_json
from micromets.knowledge.evidence import evidence_registry

REQUIRED_IDS = {
    "ASCO-FU-2013", "ASCO-FU-2006", "NCCN-SURVEILLANCE", "CHOOSING-WISELY-ASCO", "ASCO-BONE-2019", "ACOG-601",
    "ARMENIAN-2017", "TRASTUZUMAB-LABEL", "ESC-CARDIO-ONCOLOGY-2022", "PREVENT-LYMPHEDEMA",
    "ACS-ASCO-SURVIVORSHIP-2016", "NCCN-DISTRESS", "ASCO-ANXIETY-DEPRESSION-2023", "POSITIVE-TRIAL", "ABCSG-18",
    "ASCO-MALE-2020", "ABEMACICLIB-LABEL-MONITORING", "RIBOCICLIB-LABEL-MONITORING", "OLAPARIB-LABEL",
    "PEMBROLIZUMAB-LABEL-ENDOCRINE",
}


def test_schedule_header_and_evidence() -> None:
    schedule = load_schedule()
    assert schedule.id == "followup-schedule" and schedule.version and schedule.last_modified
    assert schedule.evidence_ids() <= set(evidence_registry())
    assert schedule.horizon_months == 120


def test_follow_up_evidence_records() -> None:
    data = load_json("evidence/followup.json")
    assert data["domain"] == "follow_up"
    ids = {r["id"] for r in data["records"]}
    assert ids == REQUIRED_IDS
    assert "ASCO-CARDIAC-2017" not in evidence_registry()  # the Armenian guideline is ARMENIAN-2017 only
    registry = evidence_registry()
    assert registry["ASCO-FU-2013"].citation.startswith("Khatcheressian JL, et al. J Clin Oncol 2013;31:961")
