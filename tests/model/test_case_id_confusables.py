"""Look-alike case ids are refused (the "mixed-script/confusable characters in REST case ids" item).

Source: Unicode Technical Standard #39, Unicode Security Mechanisms: section 5.2 restriction levels
("Moderately Restrictive": all characters in one script, or Latin plus one other Recommended script except
Cyrillic and Greek, or Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, Latin + Han + Hangul) and
section 5.3 (mixed-number detection); Unicode Standard Annex #15 for NFKC. A case id is how a person finds a
patient's records in the audit trail and the name of downloaded files: "P\\u0430tient-12" with a Cyrillic "а"
(U+0430) displays as "Patient-12" and would file a second patient's records under what reads as the first's.
"""

from __future__ import annotations

import copy

import pytest
from fastapi import FastAPI

from micromets.api.services import example_data
from micromets.errors import CaseValidationError
from micromets.model import parse_case

from _auth import api_client


def _case(case_id: str) -> dict[str, object]:
    data = copy.deepcopy(example_data("pn1mi"))
    data["id"] = case_id
    return data


@pytest.mark.parametrize("case_id", [
    "P\u0430tient-12",      # CYRILLIC SMALL LETTER A among Latin
    "Pati\u03bfnt-12",      # GREEK SMALL LETTER OMICRON among Latin
    "\u0421\u0410SE-7",     # Cyrillic ES and A, then Latin
    "\uff30atient-12",      # FULLWIDTH LATIN CAPITAL LETTER P (NFKC: P)
    "\U0001d40fatient",     # MATHEMATICAL BOLD CAPITAL P (NFKC: P)
    "Rene\u0301-3",         # e + COMBINING ACUTE ACCENT where é exists (NFKC composes it)
    "Jane\u00a0Doe-3",       # NO-BREAK SPACE (NFKC: a space)
    "case-\u09ea2",          # BENGALI DIGIT FOUR (looks like 8) beside an ASCII digit
    "\u0418\u0432\u0430\u043d-\u0399\u03c9",  # Cyrillic and Greek together
])
def test_look_alike_ids_are_refused_naming_the_field(case_id: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case(_case(case_id))
    assert info.value.first.field == "id"


@pytest.mark.parametrize("case_id", ["Patient-12", "M\u00fcller-7", "Ren\u00e9-3", "\u60a3\u8005-12",
                                     "\u5c71\u7530\u305f\u308d\u3046-1", "\u0418\u0432\u0430\u043d\u043e\u0432-3",
                                     "\u0399\u03c9\u03ac\u03bd\u03bd\u03b7\u03c2", "\uae40\ucca0\uc218-12",
                                     "Patient-\u0645\u062d\u0645\u062f", "ID \u0967\u0968\u0969"])
def test_ids_in_one_script_are_accepted(case_id: str) -> None:
    assert parse_case(_case(case_id)).id == case_id


def test_the_rest_api_answers_422_naming_id(api_app: FastAPI) -> None:
    response = api_client(api_app, "write").post("/api/assess", json=_case("P\u0430tient-12"))
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["field"] == "id" and "Cyrillic" in problem["message"]
