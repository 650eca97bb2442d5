"""The CDS service keeps recent charts as text (``api.cdshooks._Chart``) and parses them back on the next call:
that text must give back equal objects and the same cards for every kind of case.

Source: the round trip is pydantic's own (``model_dump_json`` / ``model_validate_json``); the cases are the frozen
snapshot's 6,564 (packaged examples, vignettes, hard vignettes, SEER golden cases, registry rows, drawn patients).
"""

from __future__ import annotations

import pytest
from test_assess_snapshot import ENTRIES

from micromets.api.cdshooks import build_cards
from micromets.assess import assess
from micromets.model import Assessment, Case, parse_case
from micromets.store import canonical_case_json

pytestmark = pytest.mark.slow


def test_cases_and_assessments_parse_back_from_their_text_to_equal_objects_and_the_same_cards() -> None:
    differ = []
    for entry in ENTRIES:
        case = parse_case(entry["case"])
        assessment = assess(case)
        case_back = Case.model_validate_json(canonical_case_json(case))
        assessment_back = Assessment.model_validate_json(assessment.model_dump_json())
        # assess builds the assessment without validating it again (micromets.model._built): it must validate.
        if (case_back != case or assessment_back != assessment
                or Assessment.model_validate(assessment.model_dump()) != assessment
                or build_cards(assessment_back, "h-1") != build_cards(assessment, "h-1")):
            differ.append(entry["label"])
    assert not differ, f"{len(differ)} cases do not survive the round trip, e.g. {differ[:5]}"
