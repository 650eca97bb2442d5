"""Every cell of the packaged prognostic tables against the team's AJCC 8 reference transcription.

The reference (`shared/reference/ajcc8-breast-staging.md`, sections 6 and 7) was itself checked cell
by cell against the public SEER/IMS tables. The test is skipped when the shared folder is not beside
the checkout.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from micromets.knowledge import load_json

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ajcc8-breast-staging.md"


def reference_cells(section: str) -> dict[tuple[str, str], list[str]]:
    text = REFERENCE.read_text(encoding="utf-8").split(section, 1)[1].split("Plus:", 1)[0]
    cells = {}
    for line in text.splitlines():
        match = re.match(r"^\| ([A-E]) \| ([123]) \| (.*) \|$", line.strip())
        if match:
            cells[(match.group(1), match.group(2))] = [c.strip() for c in match.group(3).split("|")]
    return cells


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared/reference is not beside this checkout")
@pytest.mark.parametrize(("name", "section"), [("prognostic_pathological", "## 6. Pathological prognostic stage"),
                                               ("prognostic_clinical", "## 7. Clinical prognostic stage")])
def test_every_prognostic_cell_matches_the_reference(name: str, section: str) -> None:
    expected = reference_cells(section)
    table = load_json(f"staging/{name}.json")
    assert len(expected) == 15
    for (group, grade), row in expected.items():
        assert table["cells"][group][grade] == row, (name, group, grade)
