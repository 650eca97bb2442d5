"""Missing inputs name the field a clinician has to supply."""

from __future__ import annotations

from micromets.guidelines import recommend
from micromets.pathology import classify
from micromets.staging import stage

from _cases import make_case


def test_equivocal_her2_names_the_missing_ish_not_the_known_ihc() -> None:
    # ASCO/CAP 2018: IHC 2+ is equivocal and needs ISH; the IHC score itself is known.
    case = make_case(tumour__her2_ihc="2+")
    findings = classify(case).findings
    result = recommend(case, findings, stage(case, findings).staging)
    fields = {m.field for m in result.missing}
    assert "tumour.her2_ish_ratio" in fields and "tumour.her2_ihc" not in fields
    assert result.decisions["her2_therapy"] == "insufficient_data"
