"""From a validated case to PREDICT inputs, and from PREDICT results to the contract's ``Prognosis``.

The same coding is used for one case and for a cohort: ``inputs_from_cases`` builds arrays.

    >>> from micromets.model import parse_case
    >>> from micromets.pathology import classify
    >>> case = parse_case({"age": 60, "tumour": {"size_mm": 18, "grade": 2, "er_percent": 90,
    ...     "pr_percent": 40, "her2_ihc": "1+", "ki67_percent": 12}, "detection": "screening",
    ...     "nodes": {"procedure": "slnb", "examined": 2, "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}})
    >>> coded = code_case(case, classify(case).findings)
    >>> coded.values["nodes"], coded.values["ki67"]
    (0.5, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from micromets.knowledge import load_json
from micromets.model import (
    Case,
    Findings,
    IncrementalBenefit,
    MissingItem,
    ModelAssumption,
    NonSentinelEstimate,
    Prognosis,
    SurvivalSeries,
)
from micromets.model._built import (
    IncrementalBenefitFields,
    NonSentinelEstimateFields,
    PrognosisFields,
    SurvivalSeriesFields,
    built,
    built_each,
    built_missing,
)
from micromets.model.case import implied_premenopausal, recorded_sex
from micromets.prognosis._inputs import PredictInputs, PredictRow, TreatmentRow, Treatments
from micromets.prognosis.assumptions import input_assumption_fields, other_cause_caveats
from micromets.prognosis.non_sentinel import non_sentinel_information
from micromets.prognosis.predict import get_model, micrometastasis_node_count

REPORTED_YEARS = (5, 10, 15)


@cache
def _coding() -> dict[str, Any]:
    data: dict[str, Any] = load_json("predict/input_coding.json")
    return data


@dataclass
class CodedCase:
    """PREDICT input values for one case (NaN = unknown, as the model codes it), or why it cannot run."""

    values: dict[str, float] = field(default_factory=dict)
    missing: list[MissingItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_applicable: str | None = None

    @property
    def ready(self) -> bool:
        return not self.missing and self.not_applicable is None


def _flag(value: bool | None) -> float:
    return math.nan if value is None else float(value)


def code_case(case: Case, findings: Findings) -> CodedCase:
    """Code one case for PREDICT; unknowns follow the model's own unknown handling, each with a warning."""
    coded = CodedCase()
    if case.neoadjuvant:
        coded.not_applicable = (
            "PREDICT is not validated after neoadjuvant therapy (it models adjuvant treatment "
            "after primary surgery); no survival estimate is computed"
        )
        return coded
    if case.metastasis in ("cM1", "pM1"):
        coded.not_applicable = "PREDICT models early (non-metastatic) breast cancer; no estimate for M1"
        return coded
    if case.is_clinically_staged:
        coded.not_applicable = ("PREDICT uses the pathological tumour size and positive-node count: it is computed "
                                "after surgery")
        return coded
    tumour = case.tumour
    if tumour is not None and (tumour.in_situ_only or tumour.size_mm == 0):
        coded.not_applicable = (
            "PREDICT needs an invasive tumour (size > 0 mm); not used for in situ or T0 disease"
        )
        return coded

    def need(name: str, why: str) -> None:  # built as validation builds it (our own strings: nothing to check)
        coded.missing.append(built_missing(name, why))

    if case.age is None:
        need("age", "PREDICT needs the age at diagnosis")
    if tumour is None or tumour.size_mm is None:
        need("tumour.size_mm", "PREDICT needs the invasive tumour size")
    if findings.er is None:
        need("tumour.er_percent", "PREDICT needs ER status (it selects the ER-specific model)")
    if findings.positive_nodes is None:
        if not case.has_nodal_pathology:
            need("nodes.procedure", "PREDICT needs the number of pathologically positive nodes")
        else:
            need("nodes.deposits", "PREDICT needs every deposit classified to count positive nodes")
    if coded.missing:
        return coded

    assert case.age is not None and tumour is not None and tumour.size_mm is not None
    positive = findings.positive_nodes or 0
    micro_only = positive > 0 and findings.micrometastatic_nodes == positive
    nodes = micrometastasis_node_count(positive, micro_only)
    if micro_only and positive >= 2:
        coded.warnings.append(
            f"{positive} nodes with micrometastases only are entered as {positive} positive nodes "
            "(PREDICT's 0.5 coding applies to a single micrometastatic node only)"
        )
    if findings.itc_nodes:
        coded.warnings.append(
            "nodes with isolated tumour cells only are entered as 0 positive nodes in PREDICT"
        )
    if case.age < 25:
        coded.warnings.append(
            "age below 25: PREDICT was not developed for this age (the web tool clamps to 25)"
        )

    her2 = None if findings.her2 in (None, "equivocal") else findings.her2 == "positive"
    ki67 = (
        None
        if tumour.ki67_percent is None
        else tumour.ki67_percent > _coding()["ki67_positive_above_percent"]
    )
    detection = None if case.detection is None else case.detection == "screening"
    unknown = [
        name
        for name, v in (
            ("grade", tumour.grade),
            ("HER2", her2),
            ("Ki-67", ki67),
            ("PR", findings.pr),
            ("mode of detection", detection),
        )
        if v is None
    ]
    if unknown:
        coded.warnings.append(
            f"PREDICT run with {', '.join(unknown)} unknown, using the model's own "
            "unknown-value coding (less precise)"
        )
    coded.values = {
        "age": float(case.age),
        "size_mm": float(tumour.size_mm),
        "nodes": nodes,
        "grade": math.nan if tumour.grade is None else float(tumour.grade),
        "screen_detected": _flag(detection),
        "er": 0.0 if findings.er == "negative" else 1.0,
        "her2": _flag(her2),
        "ki67": _flag(ki67),
        "pr": math.nan if findings.pr is None else float(findings.pr == "positive"),
        "smoker": _flag(case.smoker),
        "heart_dose_gy": math.nan
        if case.treatments is None or case.treatments.heart_dose_gy is None
        else float(case.treatments.heart_dose_gy),
    }
    return coded


@dataclass(frozen=True)
class TreatmentChoice:
    """Which treatments to evaluate for one case, and where the choice came from."""

    endocrine: bool = False
    endocrine_years: int = 5
    chemotherapy_generation: int = 0
    trastuzumab: bool = False
    bisphosphonate: bool = False
    radiotherapy: bool = False
    source: str = "case"

    def as_row(self) -> TreatmentRow:
        """``as_treatments().one()``: the treatments of one patient, checked, without the ``Treatments``."""
        return TreatmentRow.checked(self.endocrine, self.endocrine_years, self.chemotherapy_generation,
                                    self.trastuzumab, self.bisphosphonate, self.radiotherapy)

    def as_treatments(self) -> Treatments:
        return Treatments(
            endocrine=self.endocrine,
            endocrine_years=self.endocrine_years,
            chemotherapy_generation=self.chemotherapy_generation,
            trastuzumab=self.trastuzumab,
            bisphosphonate=self.bisphosphonate,
            radiotherapy=self.radiotherapy,
        )


#: Why a bisphosphonate the rules leave to discussion before the menopause is not in the default figures.
BISPHOSPHONATE_BEFORE_MENOPAUSE = (
    "Adjuvant bisphosphonate (to discuss) is not in the survival figures: PREDICT's bisphosphonate term is the EBCTCG "
    "2015 benefit in postmenopausal women (the model itself does not check menopausal status) and this patient is "
    "premenopausal; the discussion rests on the trials in induced menopause, not on a PREDICT figure")


def before_menopause(case: Case) -> bool:
    """Whether the case records (or implies) a woman before the menopause: pre- or perimenopausal, or pregnant,
    breastfeeding or planned for ovarian suppression without a status."""
    return case.menopausal_status in ("pre", "peri") or (case.menopausal_status is None and implied_premenopausal(case))


def choose_treatments(case: Case, decisions: dict[str, str]) -> TreatmentChoice:
    """The case's ``treatments`` when given, else the options the recommendations name."""
    coding = _coding()
    given = case.treatments
    if given is not None:
        return TreatmentChoice(
            endocrine=bool(given.endocrine),
            endocrine_years=given.endocrine_years or 5,
            chemotherapy_generation=int(coding["chemotherapy_generation"][given.chemotherapy or "none"]),
            trastuzumab=bool(given.trastuzumab),
            bisphosphonate=bool(given.bisphosphonate),
            radiotherapy=bool(given.radiotherapy),
            source="case",
        )
    considered = ("recommended", "discuss")
    return TreatmentChoice(
        endocrine=decisions.get("endocrine") == "recommended",
        chemotherapy_generation=(
            int(coding["chemotherapy_generation_for_recommended"])
            if decisions.get("chemotherapy") in considered
            else 0
        ),
        trastuzumab=decisions.get("her2_therapy") == "recommended",
        # PREDICT's bisphosphonate term is the EBCTCG 2015 benefit in postmenopausal women: before the menopause a
        # bisphosphonate to discuss (on ovarian suppression) is no figure of the model (BISPHOSPHONATE_BEFORE_MENOPAUSE)
        bisphosphonate=decisions.get("bisphosphonate") in considered and not before_menopause(case),
        radiotherapy="recommended" in (decisions.get("whole_breast_rt"), decisions.get("post_mastectomy_rt")),
        source="recommendations",
    )


def left_out_warnings(case: Case, decisions: dict[str, str], choice: TreatmentChoice) -> list[str]:
    """A treatment the recommendations name that the default figures leave out, and why (a bisphosphonate to discuss
    before the menopause: :data:`BISPHOSPHONATE_BEFORE_MENOPAUSE`)."""
    if choice.source == "recommendations" and not choice.bisphosphonate \
            and decisions.get("bisphosphonate") in ("recommended", "discuss") and before_menopause(case):
        return [BISPHOSPHONATE_BEFORE_MENOPAUSE]
    return []


def population_warnings(case: Case, version: str) -> list[str]:
    """Patients outside the population PREDICT was derived and validated in, for whom its figures extrapolate."""
    sex = recorded_sex(case)
    if sex == "male":
        return [f"Male patient: PREDICT v{version} was derived and validated in women (Wishart 2010; Candido dos "
                "Reis 2017); for a man its survival figures are an extrapolation, to be read with that caution."]
    if sex is None:
        # The model has no sex term: the figures are the same either way, so the sex is not a missing input of
        # them - but they describe a woman, which the case does not say the patient is.
        return [f"Sex not recorded: PREDICT v{version} was derived and validated in women (Wishart 2010; Candido "
                "dos Reis 2017); its figures are a woman's, and for a man they would be an extrapolation."]
    return []


def indication_warnings(case: Case, findings: Findings, choice: TreatmentChoice, version: str) -> list[str]:
    """Treatments evaluated outside their usual indication, evaluated exactly as the model does."""
    out = []
    if choice.trastuzumab and findings.her2 != "positive":
        out.append(
            "trastuzumab evaluated for a tumour that is not HER2-positive: the model gives it no effect"
        )
    if choice.endocrine and findings.er == "negative":
        out.append("endocrine therapy evaluated for an ER-negative tumour: the model gives it no effect")
    if choice.bisphosphonate and case.menopausal_status in ("pre", "peri"):
        out.append(
            "bisphosphonate evaluated before menopause: the benefit was seen in postmenopausal women "
            "(EBCTCG 2015); the model does not check menopausal status"
        )
    if choice.radiotherapy and version.startswith("2."):
        out.append(
            f"radiotherapy is not a term of PREDICT v{version} (disabled as in its web tool): not evaluated"
        )
    if choice.trastuzumab and choice.chemotherapy_generation == 0:
        out.append("trastuzumab evaluated without chemotherapy: in practice it is given with chemotherapy")
    return out


def prognosis_from_result(result: Any, row: int = 0, rounded: list[float] | None = None) -> Prognosis:
    """Turn row ``row`` of a ``PredictResult`` into the contract's ``Prognosis`` (``rounded``: the result's
    :func:`reported_figures`, when the caller has them for the whole batch): the figures only, as
    ``Prognosis(...)`` of them gives it (the non-sentinel estimate and the assumptions left at their defaults)."""
    rounded = reported_figures(result) if rounded is None else rounded
    return _prognosis(result, row, rounded, None, [], _FIGURES_ONLY)


#: Fields :func:`prognosis_from_result` does not give (left out of ``model_fields_set``, as validation leaves them).
_FIGURES_ONLY = ("non_sentinel_node_probability", "assumptions", "recalibrated")
#: The field the pipeline's prognosis does not give.
_NOT_GIVEN = ("recalibrated",)


def _prognosis(result: Any, row: int, rounded: list[float], non_sentinel: NonSentinelEstimate | None,
               assumptions: list[ModelAssumption], defaults: tuple[str, ...] = _NOT_GIVEN) -> Prognosis:
    """Row ``row`` of a ``PredictResult`` as the contract's ``Prognosis``, with its non-sentinel estimate and
    assumptions; ``defaults``: the fields not given (as validation, it leaves them out of ``model_fields_set``).

    Built without validating again (``micromets.model._built``, ~10 µs a case): the figures are Python floats
    from :func:`reported_figures` in lists of their own, the labels strings, the nested parts model instances; none
    of these models has a constraint that validation would check (tests/model/test_built.py).
    """
    treatments, width, gain_spans, curve_spans = _layout(result.column_order, result.overall_survival.shape[2])
    # one slice of the batch's figures per part (no copy of the row's figures first)
    at = 0 if len(rounded) == width else row * width
    r = rounded
    series_rows: list[SurvivalSeriesFields] = [
        {"surgery_only": r[at + start : at + start + _Y], "with_treatments": r[at + start + _Y : at + start + 2 * _Y]}
        for start in _SERIES_STARTS
    ]
    survival, breast, other = built_each(SurvivalSeries, series_rows)
    gains: list[IncrementalBenefitFields] = [
        {"treatment": name, "overall_survival_gain": r[at + start : at + end]} for name, start, end in gain_spans]
    fields: PrognosisFields = {
        "model": "PREDICT",
        "model_version": result.version,
        "years": list(REPORTED_YEARS),
        "treatments_evaluated": list(treatments),
        "overall_survival": survival,
        "breast_cancer_mortality": breast,
        "other_cause_mortality": other,
        "incremental_benefit": built_each(IncrementalBenefit, gains),
        "curves": {name: r[at + start : at + end] for name, start, end in curve_spans},
        "non_sentinel_node_probability": non_sentinel,
        "assumptions": assumptions,
        "recalibrated": None,
    }
    return built(Prognosis, fields, defaults=defaults)


@cache  # per column order and curve length: a few dozen treatment combinations
def _layout(names: tuple[str, ...], curve_years: int) -> tuple[
        tuple[str, ...], int, tuple[tuple[str, int, int], ...], tuple[tuple[str, int, int], ...]]:
    """Where each part of a ``Prognosis`` lies in one row of :func:`reported_figures`: the treatments evaluated
    (the columns after surgery), the row's width, each treatment's gain (label, start, end) and each column's
    curve (name, start, end); after the six survival and mortality series (one figure per ``REPORTED_YEARS``).
    A curve is named by the treatments up to its column, e.g. for ``("surgery", "endocrine", "chemotherapy")``:
    ``surgery``, ``endocrine``, ``endocrine+chemotherapy``."""
    y = _Y
    treatments = names[1:]
    first_increment, first_curve = 6 * y, 6 * y + y * (len(names) - 1)
    gains = tuple((name, first_increment + k * y, first_increment + (k + 1) * y) for k, name in enumerate(treatments))
    curves = tuple(("+".join(names[1 : k + 1]) or "surgery", first_curve + k * curve_years,
                    first_curve + (k + 1) * curve_years) for k in range(len(names)))
    return treatments, first_curve + curve_years * len(names), gains, curves


_REPORTED_INDEX = np.array(REPORTED_YEARS) - 1
_Y = len(REPORTED_YEARS)
#: Where overall survival, breast cancer mortality and other-cause mortality start in a row (surgery only, then
#: with treatments, ``_Y`` figures each).
_SERIES_STARTS = (0, 2 * _Y, 4 * _Y)
#: The figures a registry row outputs: overall survival and breast-cancer mortality, first in a row.
_COHORT_FIGURES = _SERIES_STARTS[2]


def reported_figures(result: Any, row: int | None = None) -> list[float]:
    """Every figure a ``Prognosis`` reports, rounded, row after row of the batch (one rounding pass for all);
    ``row``: that row's figures only (the same values: the rounding is figure by figure).

    Per row, in the order :func:`prognosis_from_result` cuts them: overall survival, breast-cancer and other-cause
    mortality at ``REPORTED_YEARS`` for surgery only and for all treatments, the gain of each column over the one
    before it (``PredictResult.incremental_os_benefit``) at those years, then the yearly overall survival of every
    column.
    """
    n, columns, years = result.overall_survival.shape
    positions, gains, last = _figure_positions(columns, years)
    stacked = _stacked(result)
    if row is not None and stacked.ndim == 2:
        stacked = stacked[:, row]
    rows = stacked[positions]  # every figure in its place, each gain's later survival, then the earlier one
    later = rows[gains]  # a view: the gains are computed in place
    np.subtract(later, rows[last:], out=later)
    # one patient after the other, in reporting order
    return round_figures(rows[:last] if rows.ndim == 1 else rows[:last].T.ravel())


def cohort_figures(result: Any) -> list[float]:
    """The first ``_COHORT_FIGURES`` of each row of :func:`reported_figures` (overall survival and breast-cancer
    mortality at ``REPORTED_YEARS``, surgery only then with treatments), row after row: the same values, without
    rounding the figures no column reads (curves, gains, other-cause mortality)."""
    n, columns, years = result.overall_survival.shape
    picked = _stacked(result)[_figure_positions(columns, years)[0][:_COHORT_FIGURES]]
    return round_figures(picked if picked.ndim == 1 else picked.T.ravel())


def _stacked(result: Any) -> NDArray[np.float64]:
    """The three results one above the other, (3 * columns * years, n): every figure is one row of it. The engine's
    own storage is that array already (a view of it); results given separately are stacked. One patient held in
    the engine's storage: her figures are the storage itself, gathered in one 1-D row."""
    os_ = result.overall_survival
    n = os_.shape[0]
    storage = result.storage
    if storage is not None and n == 1:
        stacked: NDArray[np.float64] = storage.reshape(-1)
        return stacked
    return storage.reshape(-1, n) if storage is not None else np.concatenate(
        (os_, result.breast_cancer_mortality, result.other_mortality), axis=1).reshape(n, -1).T


@cache  # a few column counts
def _figure_positions(columns: int, years: int) -> tuple[NDArray[np.intp], slice, int]:
    """Which rows of its ``stacked`` array :func:`reported_figures` gathers, in the order it reports them:
    surgery-only and all-treatment overall survival, breast-cancer and other-cause mortality at the reported
    years; each column's overall survival at those years (a gain: the ``gains`` slice, from which the column
    before it, gathered after ``last``, is subtracted); every column's yearly overall survival."""
    def at(result: int, column: int) -> list[int]:
        return [(result * columns + column) * years + y for y in _REPORTED_INDEX.tolist()]

    picked = [p for result in range(3) for column in (0, columns - 1) for p in at(result, column)]
    later = [p for column in range(1, columns) for p in at(0, column)]
    earlier = [p for column in range(columns - 1) for p in at(0, column)]
    positions = np.array([*picked, *later, *range(columns * years), *earlier], dtype=np.intp)
    positions.setflags(write=False)
    return positions, slice(len(picked), len(picked) + len(later)), len(positions) - len(earlier)


#: |v| below this (every survival and mortality fraction and gain): |v * 1e10| < 2^35, so the product's own
#: rounding error is below 2^-18 (4e-6), inside _HALF_WAY_MARGIN.
_FAST_BELOW = 2.0
_HALF_WAY_MARGIN = 1e-5
_CLEAR_BELOW = 0.5 - _HALF_WAY_MARGIN
# The constants as 0-d arrays: numpy converts a Python float operand on every call (~0.15 µs each, as much as the
# arithmetic of a patient's figures); the same float64 values, so the same results.
_FAST_BELOW_0D, _CLEAR_BELOW_0D, _SCALE_0D = np.array(_FAST_BELOW), np.array(_CLEAR_BELOW), np.array(1e10)


def round_figures(values: NDArray[np.float64]) -> list[float]:
    """``[round(v, 10) for v in values]``, bit for bit, in a few array operations.

    1e-10 keeps results exact to far below any reported precision while making JSON stable. ``round(v, 10)`` is
    the double nearest to the correctly rounded 10-decimal value of ``v`` (half to even). ``rint(v * 1e10) / 1e10``
    is the same double whenever ``v * 1e10`` picks the same integer as the exact product: ``1e10`` and the integer
    are exact and IEEE division rounds correctly, so only the product's rounding error (< 4e-6 for |v| < 2) could
    move it across a half-way point. Values within ``_HALF_WAY_MARGIN`` of one go through ``round`` itself, and so
    does a batch with a value of 2 or more, NaN or infinite.

    >>> round_figures(np.array([0.12345678904, 0.5, -1e-12, float("nan")]))
    [0.123456789, 0.5, -0.0, nan]
    """
    # np.count_nonzero: one C call (~0.2 µs), where ndarray.all() and logical_and.reduce cost ~0.7 µs
    fast = np.abs(values) < _FAST_BELOW_0D
    if np.count_nonzero(fast) != fast.size:  # NaN, infinities and overflow stay out
        return [round(v, 10) for v in values.tolist()]
    scaled = values * _SCALE_0D
    nearest = np.rint(scaled)
    out: list[float] = (nearest / _SCALE_0D).tolist()
    # |scaled - nearest| is exact (both below 2^35, within 0.5 of each other) and 0.5 minus it is the distance to
    # the nearest half-way point
    clear = np.abs(scaled - nearest) < _CLEAR_BELOW_0D
    if np.count_nonzero(clear) != clear.size:
        for i in np.flatnonzero(~clear).tolist():
            out[i] = round(float(values[i]), 10)
    return out


def non_sentinel_estimate(case: Case, findings: Findings) -> NonSentinelEstimate | None:
    """Observed trial rates of further nodal disease for a positive sentinel node (no nomogram applied)."""
    fields = _non_sentinel_fields(case, findings)
    return None if fields is None else NonSentinelEstimate(**fields)


def _non_sentinel_fields(case: Case, findings: Findings) -> NonSentinelEstimateFields | None:
    """The fields of :func:`non_sentinel_estimate` (every one given: the strings and floats of the validated
    knowledge file, ``evidence`` a list of its own)."""
    nodes = case.nodes
    if nodes is None or nodes.procedure != "slnb" or findings.positive_nodes is None:
        return None
    if findings.macrometastatic_nodes:
        category = "macrometastasis"
    elif findings.micrometastatic_nodes:
        category = "micrometastasis"
    elif findings.itc_nodes:
        category = "itc"
    else:
        return None
    if case.neoadjuvant and category != "macrometastasis":
        category = f"neoadjuvant_residual_{category}"
    model, low, high, evidence, note = _non_sentinel_words(category)
    return {"model": model, "value": None, "low": low, "high": high, "evidence": list(evidence), "note": note}


@cache  # a pure function of the knowledge data, per sentinel-node category
def _non_sentinel_words(category: str) -> tuple[str, float, float, tuple[str, ...], str]:
    info = non_sentinel_information(category)
    low, high = info.range
    rates = "; ".join(f"{r.rate:.0%} {r.population} [{r.evidence_id}]" for r in info.rates)
    return (f"observed rates, {info.label} (no patient-specific nomogram)", low, high, tuple(info.evidence_ids),
            f"{rates}. {info.statement}")


PrognosisOutcome = tuple[Prognosis | None, list[MissingItem], list[str]]


class PrognosisFigures(NamedTuple):
    """What ``micromets cohort`` reads of a case's ``Prognosis``, and that whole ``Prognosis`` on request.

    ``figures``: the reported figures of overall survival then breast-cancer mortality, each for surgery only then
    with treatments, one per year of ``years`` (the ``Prognosis``'s ``overall_survival`` and
    ``breast_cancer_mortality`` series, in that order). ``whole()`` builds the case's ``Prognosis`` as
    :func:`run_prognosis_many` gives it (anew on each call): a registry row outputs no assumption, curve or
    benefit, so the cohort builds none.
    """

    model_version: str
    years: tuple[int, ...]
    treatments_evaluated: tuple[str, ...]
    figures: list[float]
    whole: Callable[[], Prognosis]


PrognosisFiguresOutcome = tuple[PrognosisFigures | None, list[MissingItem], list[str]]


@dataclass(frozen=True)
class PrognosisRequest:
    """One case to run PREDICT for: the case, its findings and the decisions that pick the treatments."""

    case: Case
    findings: Findings
    decisions: dict[str, str]


_P = TypeVar("_P")
#: One case's outcome from its group's PREDICT result: (request, coded case, treatments, result, row of the result,
#: the result's rounded figures, other-cause survival for surgery alone, the model's warnings for the row, version).
_RowOutcome = Callable[[PrognosisRequest, CodedCase, TreatmentChoice, Any, int, list[float], list[float], list[str],
                        str], tuple[_P, list[MissingItem], list[str]]]


def run_prognosis_many(requests: Sequence[PrognosisRequest], version: str) -> list[PrognosisOutcome]:
    """Prognosis for a batch of cases, in order; PREDICT runs once per distinct set of treatments evaluated.

    Cases are grouped by their treatments because a PREDICT result has one column per treatment switched on
    for some patient of the batch: a group shares its columns, so every case gets exactly the columns (and
    figures) it gets on its own. The arithmetic is element-wise per patient, so batching changes no figure.
    """
    return _run_many(requests, version, reported_figures, _outcome)


def run_prognosis_figures_many(requests: Sequence[PrognosisRequest], version: str) -> list[PrognosisFiguresOutcome]:
    """:func:`run_prognosis_many` with each ``Prognosis`` as the :class:`PrognosisFigures` the cohort reads (the
    same PREDICT runs, missing inputs and warnings; the whole ``Prognosis`` only when asked)."""
    return _run_many(requests, version, cohort_figures, _figures_outcome)


def _run_many(requests: Sequence[PrognosisRequest], version: str, figures: Callable[[Any], list[float]],
              outcome: _RowOutcome[_P]) -> list[tuple[_P | None, list[MissingItem], list[str]]]:
    """The cases' outcomes, in order; ``figures``: the rounded figures of a group's result its rows' outcomes read."""
    out: list[tuple[_P | None, list[MissingItem], list[str]] | None] = [None] * len(requests)
    groups: dict[tuple[bool, int, int, bool, bool, bool], list[tuple[int, CodedCase, TreatmentChoice]]] = {}
    for i, request in enumerate(requests):
        coded = code_case(request.case, request.findings)
        if coded.not_applicable is not None:
            out[i] = (None, [], [coded.not_applicable])
        elif coded.missing:
            out[i] = (None, coded.missing, [])
        else:
            choice = choose_treatments(request.case, request.decisions)
            key = (choice.endocrine, choice.endocrine_years, choice.chemotherapy_generation, choice.trastuzumab,
                   choice.bisphosphonate, choice.radiotherapy)
            groups.setdefault(key, []).append((i, coded, choice))
    model = get_model(version)
    for members in groups.values():
        if len(members) == 1:  # one patient: her Python floats, checked by the same rules (no arrays to build)
            values = members[0][1].values
            result = model.run_one(PredictRow.checked([values[name] for name in _INPUT_NAMES]), members[0][2].as_row())
        else:
            treatments = members[0][2].as_treatments()
            # One flat list, field after field, shaped (fields, members): a list of lists costs 3x more to convert.
            inputs = PredictInputs.from_matrix(np.array(
                [coded.values[name] for name in _INPUT_NAMES for _, coded, _ in members], dtype=np.float64,
            ).reshape(len(_INPUT_NAMES), len(members)))
            result = model.run(inputs, treatments)
        assert result.other_index is not None  # run() always sets it
        # Only a life-expectancy estimate reads the other-cause survival (other_cause_caveats): skipped without one.
        estimated = [requests[i].case.life_expectancy_years is not None for i, _, _ in members]
        other_survival = (model.other_survival_from_index(result.other_index).tolist() if True in estimated
                          else [[]] * len(members))
        # Rendered once for the group: both are computed over every row.
        row_warnings, rounded = result.warnings, figures(result)
        for row, (i, coded, choice) in enumerate(members):
            out[i] = outcome(requests[i], coded, choice, result, row, rounded, other_survival[row],
                             row_warnings[row], version)
    return [o for o in out if o is not None]


_INPUT_NAMES = PredictRow._fields  # the coded values, in the model's field order


def _outcome(request: PrognosisRequest, coded: CodedCase, choice: TreatmentChoice, result: Any, row: int,
             rounded: list[float], other_survival: list[float], model_warnings: list[str],
             version: str) -> PrognosisOutcome:
    caveats, warnings = _caveats_and_warnings(request, coded, choice, other_survival, model_warnings, version)
    return _whole_prognosis(request, coded, choice, result, row, rounded, caveats, version), [], warnings


def _figures_outcome(request: PrognosisRequest, coded: CodedCase, choice: TreatmentChoice, result: Any, row: int,
                     rounded: list[float], other_survival: list[float], model_warnings: list[str],
                     version: str) -> PrognosisFiguresOutcome:
    """``rounded``: the group's :func:`cohort_figures`."""
    caveats, warnings = _caveats_and_warnings(request, coded, choice, other_survival, model_warnings, version)
    treatments = _layout(result.column_order, result.overall_survival.shape[2])[0]
    at = row * _COHORT_FIGURES
    figures = PrognosisFigures(result.version, REPORTED_YEARS, treatments, rounded[at : at + _COHORT_FIGURES],
                               partial(_row_prognosis, request, coded, choice, result, row, caveats, version))
    return figures, [], warnings


def _row_prognosis(request: PrognosisRequest, coded: CodedCase, choice: TreatmentChoice, result: Any, row: int,
                   caveats: list[ModelAssumption], version: str) -> Prognosis:
    """:func:`_whole_prognosis` from row ``row``'s own figures (a cohort row's ``Prognosis``, when asked)."""
    return _whole_prognosis(request, coded, choice, result, row, reported_figures(result, row), caveats, version)


def _caveats_and_warnings(request: PrognosisRequest, coded: CodedCase, choice: TreatmentChoice,
                          other_survival: list[float], model_warnings: list[str],
                          version: str) -> tuple[list[ModelAssumption], list[str]]:
    """The other-cause caveats of one case's prognosis, and the warnings of its prognosis (each once, in order)."""
    case = request.case
    caveats, caveat_warnings = other_cause_caveats(case, other_survival, version)
    warnings = [*coded.warnings, *population_warnings(case, version), *left_out_warnings(case, request.decisions, choice),
                *indication_warnings(case, request.findings, choice, version), *model_warnings, *caveat_warnings]
    return caveats, list(dict.fromkeys(warnings))


def _whole_prognosis(request: PrognosisRequest, coded: CodedCase, choice: TreatmentChoice, result: Any, row: int,
                     rounded: list[float], caveats: list[ModelAssumption], version: str) -> Prognosis:
    """One case's ``Prognosis``: row ``row`` of its group's result, with its non-sentinel rates and assumptions."""
    case, findings = request.case, request.findings
    non_sentinel = _non_sentinel_fields(case, findings)
    assumptions = built_each(ModelAssumption, input_assumption_fields(case, findings, coded.values, choice, version))
    return _prognosis(result, row, rounded, None if non_sentinel is None else built(
        NonSentinelEstimate, non_sentinel), [*assumptions, *caveats] if caveats else assumptions)


def run_prognosis(case: Case, findings: Findings, decisions: dict[str, str], version: str) -> PrognosisOutcome:
    """Prognosis for one case (a batch of one of :func:`run_prognosis_many`): PREDICT ``version`` with the
    chosen treatments, plus non-sentinel rates."""
    return run_prognosis_many([PrognosisRequest(case, findings, decisions)], version)[0]
