"""``make validate`` writes docs/validation.md with its tables, figures and the limitations paragraph (issue 11,
item 3); run here with a tiny bootstrap."""

from __future__ import annotations

from pathlib import Path

from micromets.validation.docs import build


def test_make_validate_page(tmp_path: Path) -> None:
    page = tmp_path / "validation.md"
    build(page, bootstrap=2, seed=1)
    text = page.read_text()
    for version in ("v2.2", "v3.0", "v3.2"):
        assert f"| GBSG-2 trial | {version} | 5 y | 686 |" in text
        assert f"| Rotterdam | {version} | 10 y | 2982 |" in text
    assert "## Sensitivity of the mapping" in text and "## Recalibration" in text
    assert "## What these cohorts cannot tell" in text and "micrometastas" in text
    figures = sorted(p.name for p in (tmp_path / "validation").iterdir())
    assert figures == ["gbsg2-calibration-5y.png", "gbsg2-decision-5y.png", "gbsg2-survival.png",
                       "rotterdam-calibration-10y.png", "rotterdam-calibration-5y.png", "rotterdam-decision-10y.png",
                       "rotterdam-decision-5y.png", "rotterdam-survival.png"]
    for name in figures:
        assert f"](validation/{name})" in text
