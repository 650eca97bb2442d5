"""Plausibility checks: valid input that looks like a typing slip gets a warning (the assessment still runs).

A size in centimetres where millimetres are asked, a fraction where a percentage is asked or a
dissection recorded as a sentinel biopsy pass validation but change the stage or the decisions. Each
check adds a warning starting with ``"Plausibility: "`` (``PREFIX``), which every report shows first.
The thresholds are data: ``knowledge/pathology/plausibility.json``.

    >>> from micromets.model import parse_case
    >>> case = parse_case({"tumour": {"size_mm": 1.8}, "nodes": {"procedure": "slnb", "examined": 2,
    ...                    "deposits": [{"node": 1, "size_mm": 0.12, "method": "he"}]}})
    >>> print(plausibility_warnings(case)[0][:91])
    Plausibility: tumour.size_mm 1.8 and nodes.deposits[0].size_mm 0.12 are all small fractions
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from micromets.errors import KnowledgeError
from micromets.knowledge import load_json
from micromets.model import Case

__all__ = ["PREFIX", "is_plausibility_warning", "plausibility_warnings"]


class _Table(BaseModel):
    model_config = ConfigDict(extra="allow")


class _CentimetreSizes(_Table):
    tumour_below_mm: float = Field(gt=0)
    deposits_at_most_mm: float = Field(gt=0)


class _BreastConserving(_Table):
    tumour_at_least_mm: float = Field(gt=0)


class _FractionPercent(_Table):
    fields: list[str] = Field(min_length=1)


class _NodesExamined(_Table):
    slnb_more_than: int = Field(ge=1)
    alnd_more_than: int = Field(ge=1)


class _MenopauseAge(_Table):
    post_below_years: float
    pre_above_years: float


class _PregnancyAge(_Table):
    above_years: float


class _Plausibility(_Table):
    id: str
    version: str
    source: list[str] = Field(min_length=1)
    centimetre_sizes: _CentimetreSizes
    breast_conserving_size: _BreastConserving
    fraction_percent: _FractionPercent
    nodes_examined: _NodesExamined
    menopause_age: _MenopauseAge
    pregnancy_age: _PregnancyAge


@cache
def _table() -> _Plausibility:
    try:
        return _Plausibility.model_validate(load_json("pathology/plausibility.json"))
    except ValidationError as exc:
        raise KnowledgeError(f"pathology/plausibility.json is malformed: {exc}") from None


PREFIX = "Plausibility: "


def is_plausibility_warning(warning: str) -> bool:
    """Whether an assessment warning comes from these checks (reports show those first)."""
    return warning.startswith(PREFIX)


def _number(value: float) -> str:
    return f"{value:g}"


def _centimetres(case: Case, t: _CentimetreSizes) -> list[str]:
    tumour, nodes = case.tumour, case.nodes
    size = tumour.size_mm if tumour is not None else None
    if size is None or not 0 < size < t.tumour_below_mm or float(size).is_integer() or nodes is None:
        return []
    sized = [(i, d.size_mm) for i, d in enumerate(nodes.deposits) if d.size_mm is not None]
    if not sized or any(s > t.deposits_at_most_mm for _, s in sized):
        return []
    listed = ", ".join(f"nodes.deposits[{i}].size_mm {_number(s)}" for i, s in sized)
    as_mm = ", ".join(f"{_number(s * 10)} mm" for _, s in sized)
    return [f"{PREFIX}tumour.size_mm {_number(size)} and {listed} are all small fractions, as if measured in "
            f"centimetres: sizes are in millimetres. In centimetres they would be {_number(size * 10)} mm and "
            f"{as_mm}, a different T category and deposit class. Check the units before using this report."]


def _breast_conserving(case: Case, t: _BreastConserving) -> list[str]:
    tumour, surgery = case.tumour, case.surgery  # read once: no read of a model attribute is specialised
    size = tumour.size_mm if tumour is not None else None
    if size is None or surgery is None or surgery.breast != "bcs" or size < t.tumour_at_least_mm:
        return []
    return [f"{PREFIX}an invasive tumour of {_number(size)} mm ({_number(size / 10)} cm) treated by breast-conserving "
            "surgery is exceptional: check tumour.size_mm (millimetres) and surgery.breast."]


@cache  # the packaged table's field paths, split once and grouped by section (each section is read once per case)
def _fraction_paths() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    sections: dict[str, list[tuple[str, str]]] = {}
    for path in _table().fraction_percent.fields:
        section, _, name = path.partition(".")
        sections.setdefault(section, []).append((path, name))
    return tuple((section, tuple(fields)) for section, fields in sections.items())


def _fractions(case: Case) -> list[str]:
    out = []
    for section, fields in _fraction_paths():
        holder = getattr(case, section, None)
        if holder is None:
            continue
        for path, name in fields:
            value = getattr(holder, name, None)
            if isinstance(value, (float, int)) and 0 < value < 1:
                out.append(f"{PREFIX}{path} is {_number(value)} %, which looks like a fraction of 1: percentages "
                           f"are 0-100, so {_number(value * 100)} % may be meant. Check the value.")
    return out


def _nodes_examined(case: Case, t: _NodesExamined) -> list[str]:
    nodes = case.nodes
    if nodes is None:
        return []
    examined, procedure = nodes.examined, nodes.procedure  # read once, as above
    if examined is None:
        return []
    if procedure == "slnb" and examined > t.slnb_more_than:
        return [f"{PREFIX}{examined} nodes examined is more than a sentinel node biopsy usually removes: "
                "was an axillary dissection done (nodes.procedure 'slnb_then_alnd' or 'alnd')?"]
    if procedure in ("alnd", "slnb_then_alnd") and examined > t.alnd_more_than:
        return [f"{PREFIX}{examined} nodes examined is more than an axillary dissection usually yields: "
                "check nodes.examined."]
    return []


def _zero_size(case: Case) -> list[str]:
    tumour = case.tumour
    if tumour is None or tumour.size_mm != 0 or case.neoadjuvant or tumour.in_situ_only:
        return []
    described = [name for name, value in (("grade", tumour.grade), ("histology", tumour.histology),
                                          ("lvi", tumour.lvi)) if value is not None]
    if tumour.multifocal:  # more than one invasive focus (the field's definition; AJCC 8 (m) suffix)
        described.append("multifocal")
    if not described:
        return []
    return [f"{PREFIX}tumour.size_mm is 0 (no invasive tumour, T0) but tumour.{', tumour.'.join(described)} "
            "describe an invasive tumour: if the size is unknown, leave size_mm out instead of 0."]


def _menopause(case: Case, t: _MenopauseAge) -> list[str]:
    age, status = case.age, case.menopausal_status
    if age is None or status is None:
        return []
    if status == "post" and age < t.post_below_years:
        return [f"{PREFIX}postmenopausal at age {_number(age)}: natural menopause before {_number(t.post_below_years)} "
                "is uncommon; confirm menopausal_status (surgical or treatment-induced menopause?)."]
    if status == "pre" and age > t.pre_above_years:
        return [f"{PREFIX}premenopausal at age {_number(age)}: confirm menopausal_status (it selects endocrine "
                "therapy)."]
    return []


def _pregnancy(case: Case, t: _PregnancyAge) -> list[str]:
    age, pregnancy = case.age, case.pregnancy
    if age is None or pregnancy is None or pregnancy.status not in ("pregnant", "lactating") or age <= t.above_years:
        return []
    state = "pregnant" if pregnancy.status == "pregnant" else "breastfeeding"
    return [f"{PREFIX}{state} at age {_number(age)}: pregnancy above {_number(t.above_years)} is rare; confirm age and "
            "pregnancy.status (a pregnancy defers radiotherapy and rules out tamoxifen and trastuzumab)."]


def plausibility_warnings(case: Case) -> list[str]:
    """Every plausibility warning for ``case``, most consequential first (units, then the rest)."""
    t = _table()
    return [*_centimetres(case, t.centimetre_sizes), *_fractions(case),
            *_breast_conserving(case, t.breast_conserving_size), *_zero_size(case),
            *_nodes_examined(case, t.nodes_examined), *_menopause(case, t.menopause_age),
            *_pregnancy(case, t.pregnancy_age)]
