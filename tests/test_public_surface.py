"""The package exports one typed surface; ``__all__`` is complete and sorted (the httpx convention)."""

from __future__ import annotations

import micromets


def test_all_is_sorted_and_every_name_exists() -> None:
    assert micromets.__all__ == sorted(micromets.__all__)
    for name in micromets.__all__:
        assert hasattr(micromets, name), name


def test_public_objects_not_in_all_are_modules_only() -> None:
    public = {name for name in vars(micromets) if not name.startswith("_")}
    extra = {name for name in public - set(micromets.__all__)
             if not isinstance(getattr(micromets, name), type(micromets))}
    assert extra == set()


def test_every_output_is_stamped_with_versions() -> None:
    case = micromets.parse_case({"id": "v", "tumour": {"size_mm": 12}, "metastasis": "cM0"})
    assessment = micromets.assess(case)
    assert assessment.ruleset_version == micromets.ruleset_version()
    assert assessment.micromets_version == micromets.micromets_version()
