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


def test_assess_takes_the_case_as_parsed_json_and_validates_it_first() -> None:
    """The library's front door (README: micromets.assess): a contract case as a mapping is validated by parse_case
    (field-named errors, contract §validation) and assessed exactly as the parsed Case; anything else is a TypeError
    that says what to pass, not an AttributeError from deep inside."""
    import json
    from importlib import resources

    import pytest

    import micromets
    from micromets.errors import CaseValidationError
    from micromets.model import parse_case

    data = json.loads((resources.files("micromets") / "examples" / "pn1mi.json").read_text(encoding="utf-8"))
    assert micromets.assess(data) == micromets.assess(parse_case(data))
    with pytest.raises(CaseValidationError) as caught:
        micromets.assess({**data, "tumour": {**data["tumour"], "grade": 4}})
    assert caught.value.problems[0].field == "tumour.grade"
    with pytest.raises(TypeError, match="Case or the case as a mapping"):
        micromets.assess(42)  # type: ignore[arg-type]
