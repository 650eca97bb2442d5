"""Validation cohorts: PREDICT inputs, each patient's own treatments and observed overall survival.

Two public cohorts ship in PyPI packages (the ``validation`` extra: ``pip install micromets[validation]``):

* ``gbsg2`` — German Breast Cancer Study Group 2 trial (Schumacher et al., J Clin Oncol 1994;12:2086-93):
  686 node-positive women 1984-1989, every one given CMF chemotherapy, tamoxifen randomised; overall
  survival to 7.3 years. Shipped by lifelines as ``load_lymph_node`` (with death dates; its ``load_gbsg2``
  has recurrence-free survival only).
* ``rotterdam`` — Rotterdam tumour bank (Foekens et al., Cancer Res 2000;60:636-43; Royston & Altman, BMC
  Med Res Methodol 2013;13:33): 2,982 women operated 1978-1993, overall survival to 19 years. Shipped by
  SurvSet as ``rott2`` (from the R package AF; time in months).

The mapping to PREDICT inputs (:class:`Mapping`, defaults exactly as issue 11 specifies it): age as recorded;
GBSG-2 size in mm, Rotterdam size categories <= 20 / 20-50 / > 50 mm -> 15 / 30 / 65 mm; nodes as recorded;
grade as recorded; ER and PR positive at >= 10 fmol/mg (the EORTC receptor cut-off of that era); HER2, Ki-67
and mode of detection unknown; hormone therapy as recorded; chemotherapy (GBSG-2: all CMF; Rotterdam: as
recorded) -> second generation (PREDICT's class of CMF); no trastuzumab, bisphosphonate or radiotherapy.

    >>> Mapping().er_cutoff_fmol, Mapping().rotterdam_sizes_mm
    (10.0, (15.0, 30.0, 65.0))
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from micromets.prognosis import PredictInputs, Treatments

__all__ = [
    "DATASETS",
    "SENSITIVITY_VARIANTS",
    "Mapping",
    "SurvivalCohort",
    "ValidationDataError",
    "load_dataset",
    "registry_cohort",
]

Array = NDArray[np.float64]
DATASETS: tuple[str, ...] = ("gbsg2", "rotterdam")
_DAYS_PER_YEAR = 365.25
_TIME_UNITS = {"days": _DAYS_PER_YEAR, "months": 12.0, "years": 1.0}


class ValidationDataError(ValueError):
    """A cohort that cannot be loaded (missing optional dependency, unknown column, no usable rows)."""


@dataclass(frozen=True)
class Mapping:
    """How a public cohort's recorded fields become PREDICT inputs (defaults: issue 11's mapping)."""

    er_cutoff_fmol: float = 10.0
    pr_cutoff_fmol: float = 10.0
    rotterdam_sizes_mm: tuple[float, float, float] = (15.0, 30.0, 65.0)
    chemotherapy_generation: int = 2
    detection: Literal["unknown", "symptomatic"] = "unknown"


#: Sensitivity analyses of the mapping's assumptions: name -> (what changes, the mapping).
SENSITIVITY_VARIANTS: dict[str, tuple[str, Mapping]] = {
    "base": ("mapping as specified", Mapping()),
    "receptors_20fmol": ("ER and PR positive at >= 20 fmol/mg instead of 10", Mapping(er_cutoff_fmol=20.0,
                                                                                    pr_cutoff_fmol=20.0)),
    "pr_unknown": ("PR unknown (v3 term dropped)", Mapping(pr_cutoff_fmol=math.nan)),
    "symptomatic": ("every tumour symptomatic (no screening before 1990) instead of unknown",
                    Mapping(detection="symptomatic")),
    "chemo_third_gen": ("chemotherapy as third generation instead of second", Mapping(chemotherapy_generation=3)),
    "rotterdam_sizes_10_35_70": ("Rotterdam size categories -> 10 / 35 / 70 mm instead of 15 / 30 / 65",
                                 Mapping(rotterdam_sizes_mm=(10.0, 35.0, 70.0))),
}


@dataclass(frozen=True)
class SurvivalCohort:
    """A cohort ready for validation: PREDICT inputs and treatments per patient, time (years) and death."""

    name: str
    inputs: PredictInputs
    treatments: Treatments
    time_years: Array
    event: Array
    description: str = ""
    diagnosis_period: str = ""
    source: str = ""
    excluded: dict[str, int] = field(default_factory=dict)
    surgery_only_assumed: int = 0

    @property
    def n(self) -> int:
        return int(self.time_years.size)


def _positive(values: Any, cutoff: float) -> Array:
    if math.isnan(cutoff):
        return np.full(len(values), np.nan)
    return (np.asarray(values, dtype=np.float64) >= cutoff).astype(np.float64)


def _detection(n: int, mapping: Mapping) -> Array:
    return np.full(n, np.nan) if mapping.detection == "unknown" else np.zeros(n)


def _load_gbsg2(mapping: Mapping) -> SurvivalCohort:
    try:
        from lifelines.datasets import load_lymph_node
    except ImportError:
        raise ValidationDataError("the gbsg2 dataset needs lifelines: pip install 'micromets[validation]'") from None
    d = load_lymph_node()
    n = len(d)
    inputs = PredictInputs.build(
        age=d["age"], size_mm=d["size"], nodes=d["nodes"], grade=d["grade"], screen_detected=_detection(n, mapping),
        er=_positive(d["estrg_recp"], mapping.er_cutoff_fmol), pr=_positive(d["prog_recp"], mapping.pr_cutoff_fmol))
    endocrine = d["hormone"].to_numpy() == 2
    treatments = Treatments(endocrine=endocrine, chemotherapy_generation=float(mapping.chemotherapy_generation))
    return SurvivalCohort(
        name="gbsg2", inputs=inputs, treatments=treatments,
        time_years=d["survtime"].to_numpy(np.float64) / _DAYS_PER_YEAR, event=d["censdead"].to_numpy(np.float64),
        description="German Breast Cancer Study Group 2 trial: node-positive, all CMF, tamoxifen randomised "
                    "(Schumacher 1994); lifelines load_lymph_node",
        diagnosis_period="1984-1989", source="lifelines.datasets.load_lymph_node")


def _load_rotterdam(mapping: Mapping) -> SurvivalCohort:
    try:
        from SurvSet.data import SurvLoader
    except ImportError:
        raise ValidationDataError("the rotterdam dataset needs SurvSet: pip install 'micromets[validation]'") \
            from None
    with warnings.catch_warnings():  # SurvSet's pickles use a numpy module path numpy 2 deprecates; harmless here
        warnings.simplefilter("ignore", DeprecationWarning)
        d = SurvLoader().load_dataset("rott2")["df"]
    n = len(d)
    small, medium, large = mapping.rotterdam_sizes_mm
    sizes = {"<=20mm": small, ">20-50mmm": medium, ">20-50mm": medium, ">50mm": large}
    unknown_sizes = set(d["fac_tsize"].astype(str)) - set(sizes)
    if unknown_sizes:
        raise ValidationDataError(f"rott2: unexpected size categories {sorted(unknown_sizes)}")
    inputs = PredictInputs.build(
        age=d["num_age"], size_mm=d["fac_tsize"].astype(str).map(sizes).to_numpy(np.float64), nodes=d["num_nodes"],
        grade=d["fac_grade"].astype(float), screen_detected=_detection(n, mapping),
        er=_positive(d["num_estrogen"], mapping.er_cutoff_fmol),
        pr=_positive(d["num_progesterone"], mapping.pr_cutoff_fmol))
    chemo = np.where(d["fac_chemo"].astype(str) == "yes", float(mapping.chemotherapy_generation), 0.0)
    treatments = Treatments(endocrine=(d["fac_hormon"].astype(str) == "yes").to_numpy(), chemotherapy_generation=chemo)
    return SurvivalCohort(
        name="rotterdam", inputs=inputs, treatments=treatments,
        time_years=d["time"].to_numpy(np.float64) / 12.0, event=d["event"].to_numpy(np.float64),
        description="Rotterdam tumour bank, primary operable breast cancer (Foekens 2000; Royston & Altman 2013); "
                    "SurvSet rott2",
        diagnosis_period="1978-1993", source="SurvSet rott2 (R package AF)")


def load_dataset(name: str, mapping: Mapping | None = None) -> SurvivalCohort:
    """A built-in public cohort (``gbsg2`` or ``rotterdam``) mapped to PREDICT inputs."""
    chosen = mapping or Mapping()
    if name == "gbsg2":
        return _load_gbsg2(chosen)
    if name == "rotterdam":
        return _load_rotterdam(chosen)
    raise ValidationDataError(f"unknown dataset {name!r}; built in: {', '.join(DATASETS)}")


# ---- a registry in the cohort format with outcome columns ---------------------------------------------------
def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def registry_cohort(path: Path, time_col: str, event_col: str, time_unit: str = "years") -> SurvivalCohort:
    """A registry file (the ``micromets cohort`` input format) plus a follow-up time and a death column.

    Read as ``micromets cohort`` reads it (CSV cells as text, typed by the case validation). Each row goes
    through the same case validation and PREDICT coding as ``micromets cohort``; rows that are
    invalid, that PREDICT cannot score (missing inputs, neoadjuvant, M1) or whose outcome is missing are left
    out and counted in ``excluded``. A row without any ``treatments.*`` value is scored as surgery only.
    """
    from micromets.cohort.columns import case_from_row, check_columns
    from micromets.cohort.engine import open_batches
    from micromets.errors import CaseValidationError
    from micromets.pathology import classify
    from micromets.prognosis.case_adapter import choose_treatments, code_case

    if time_unit not in _TIME_UNITS:
        raise ValidationDataError(f"--time-unit must be one of {', '.join(_TIME_UNITS)}; got {time_unit!r}")
    names, batches = open_batches(Path(path), 50_000)
    for col in (time_col, event_col):
        if col not in names:
            raise ValidationDataError(f"{path}: no column {col!r} (columns: {', '.join(names[:20])})")
    case_names = [c for c in names if c not in (time_col, event_col)]
    check_columns(case_names)
    excluded = {"invalid": 0, "not_scorable": 0, "outcome_missing": 0}
    surgery_only = 0
    values: list[dict[str, float]] = []
    choices: list[Any] = []
    times: list[float] = []
    events: list[float] = []
    rows = (row for batch in batches for row in batch.to_pylist())
    for row in rows:
        time = _number(row.get(time_col))
        event = _number(row.get(event_col))
        if not (math.isfinite(time) and time >= 0 and event in (0.0, 1.0)):
            excluded["outcome_missing"] += 1
            continue
        try:
            case = case_from_row({k: row[k] for k in case_names})
        except CaseValidationError:
            excluded["invalid"] += 1
            continue
        try:
            coded = code_case(case, classify(case).findings)
        except Exception:  # counted like the cohort engine records it; one row must not stop a validation
            excluded["internal_error"] = excluded.get("internal_error", 0) + 1
            continue
        if not coded.ready:
            excluded["not_scorable"] += 1
            continue
        if case.treatments is None:
            surgery_only += 1
        values.append(coded.values)
        choices.append(choose_treatments(case, {}))
        times.append(time / _TIME_UNITS[time_unit])
        events.append(event)
    if not values:
        raise ValidationDataError(f"{path}: no row could be scored with an outcome ({excluded})")
    inputs = PredictInputs.build(**{k: np.array([v[k] for v in values]) for k in values[0]})
    treatments = Treatments(
        endocrine=np.array([c.endocrine for c in choices]),
        endocrine_years=np.array([c.endocrine_years for c in choices], dtype=np.float64),
        chemotherapy_generation=np.array([c.chemotherapy_generation for c in choices], dtype=np.float64),
        trastuzumab=np.array([c.trastuzumab for c in choices]),
        bisphosphonate=np.array([c.bisphosphonate for c in choices]),
        radiotherapy=np.array([c.radiotherapy for c in choices]))
    return SurvivalCohort(name=Path(path).name, inputs=inputs, treatments=treatments,
                          time_years=np.array(times), event=np.array(events),
                          description=f"registry {Path(path).name}", source=str(path), excluded=excluded,
                          surgery_only_assumed=surgery_only)
