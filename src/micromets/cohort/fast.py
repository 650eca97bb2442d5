"""The fast path: registry essentials without the per-patient guideline engine.

Per row it runs exactly the package functions the full pipeline runs for these columns — validation
(:func:`~micromets.cohort.columns.case_from_row`), findings (:func:`micromets.pathology.classify`), AJCC
stage (:func:`micromets.staging.stage`) and PREDICT coding (:func:`micromets.prognosis.case_adapter.code_case`)
— and then **one** vectorised :func:`micromets.prognosis.predict` call for the whole batch. It skips the
recommendations, the follow-up plan and the assessment object (about 95 % of the per-case time).

What it cannot know without the recommendations: when a row has no ``treatments.*`` column set, the full
pipeline evaluates the treatments the recommendations name; the fast path then leaves
``os_treated_*``, ``bcm_treated_*`` and ``treatments_evaluated`` null, and also the surgery-only
columns for PREDICT versions whose surgery-only figures depend on the treatments evaluated (v3.0 puts
the chemotherapy and radiotherapy harms in every column). Everything it fills equals the exact path.

    >>> rows = [{"id": "a", "age": 60, "detection": "screening", "metastasis": "cM0", "clinical_nodes": "cN0",
    ...          "tumour.size_mm": 18.0, "tumour.grade": 2, "tumour.er_percent": 90, "tumour.pr_percent": 50,
    ...          "tumour.her2_ihc": "1+", "tumour.ki67_percent": 12, "surgery.breast": "bcs",
    ...          "nodes.procedure": "slnb", "nodes.examined": 2, "nodes.macrometastatic": 0,
    ...          "nodes.micrometastatic": 1, "nodes.itc": 0, "treatments.endocrine": True}]
    >>> r = score_rows_fast(rows, "3.2")[0]
    >>> r["n"], r["anatomic_stage"], r["treatments_evaluated"], 0.85 < r["os_treated_10"] < 0.95
    ('pN1mi(sn)', 'IB', 'endocrine', True)
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from micromets.cohort.columns import case_from_row, raw_id
from micromets.cohort.engine import YEARS, base_record, error_record
from micromets.errors import CaseValidationError, FieldProblem
from micromets.pathology import classify
from micromets.prognosis import PredictInputs, Treatments, predict
from micromets.prognosis.case_adapter import TreatmentChoice, choose_treatments, code_case
from micromets.prognosis.predict import get_model
from micromets.staging import stage

__all__ = ["evaluated_treatments", "score_rows_fast", "surgery_only_depends_on_treatments"]

_INPUTS = ("age", "size_mm", "nodes", "grade", "screen_detected", "er", "her2", "ki67", "pr", "smoker",
           "heart_dose_gy")


@cache
def surgery_only_depends_on_treatments(version: str) -> bool:
    """Whether a version's surgery-only survival changes with the treatments evaluated (asked of the model).

    >>> surgery_only_depends_on_treatments("3.0"), surgery_only_depends_on_treatments("3.2")
    (True, False)
    """
    x = PredictInputs.build(age=[60], size_mm=[20], nodes=[1], grade=[2], screen_detected=[0], er=[1],
                            her2=[0], ki67=[0], pr=[1], smoker=[0], heart_dose_gy=[4])
    alone = predict(x, Treatments(), version).overall_survival[0, 0]
    every = Treatments(endocrine=True, chemotherapy_generation=3, trastuzumab=True, bisphosphonate=True,
                       radiotherapy=True)
    return not np.array_equal(alone, predict(x, every, version).overall_survival[0, 0])


@cache
def evaluated_treatments(version: str, choice: TreatmentChoice) -> str:
    """The model's own columns for one patient's treatments, as the exact path reports them.

    >>> evaluated_treatments("2.2", TreatmentChoice(endocrine=True, radiotherapy=True))
    'endocrine'
    """
    return ",".join(get_model(version).active_treatments(choice.as_treatments().broadcast(1)))


def _round(value: float) -> float:
    # The same rounding as micromets.prognosis.case_adapter.prognosis_from_result (1e-10).
    return round(value, 10)


def _predict_into(records: list[dict[str, Any]], ready: list[tuple[int, dict[str, float], TreatmentChoice | None]],
                  version: str) -> None:
    """One PREDICT call for every ready row of the batch; fills the survival columns in place."""
    inputs = PredictInputs.build(**{k: np.fromiter((v[k] for _, v, _ in ready), np.float64, len(ready))
                                    for k in _INPUTS})
    none = TreatmentChoice()
    choices = [c or none for _, _, c in ready]
    treatments = Treatments(
        endocrine=np.array([c.endocrine for c in choices]),
        endocrine_years=np.array([c.endocrine_years for c in choices], dtype=np.float64),
        chemotherapy_generation=np.array([c.chemotherapy_generation for c in choices], dtype=np.float64),
        trastuzumab=np.array([c.trastuzumab for c in choices]),
        bisphosphonate=np.array([c.bisphosphonate for c in choices]),
        radiotherapy=np.array([c.radiotherapy for c in choices]),
    )
    result = predict(inputs, treatments, version)
    at = result.at_years(YEARS)
    # Column 0 is surgery only; the last column applies every treatment of the batch, and a treatment a
    # patient does not get contributes 0 for that patient: it is that patient's "with treatments".
    arms = {"surgery": 0, "treated": -1}
    values = {
        f"{measure}_{arm}_{year}": at[key][:, column, k].tolist()
        for measure, key in (("os", "overall_survival"), ("bcm", "breast_cancer_mortality"))
        for arm, column in arms.items()
        for k, year in enumerate(YEARS)
    }
    surgery_known_untreated = not surgery_only_depends_on_treatments(version)
    for j, (i, _, choice) in enumerate(ready):
        record = records[i]
        record["prognosis_version"] = result.version
        if choice is not None:
            record["treatments_evaluated"] = evaluated_treatments(version, choice)
        for name, column_values in values.items():
            if choice is not None or (surgery_known_untreated and "_surgery_" in name):
                record[name] = _round(column_values[j])


def score_rows_fast(rows: list[dict[str, Any]], version: str) -> list[dict[str, Any]]:
    """Flat result records (the columns shared with the exact path) for a batch of flat rows."""
    records: list[dict[str, Any]] = []
    ready: list[tuple[int, dict[str, float], TreatmentChoice | None]] = []
    for row in rows:
        try:
            case = case_from_row(row)
        except CaseValidationError as exc:
            records.append(error_record(raw_id(row), exc.problems))
            continue
        try:
            findings = classify(case).findings
            records.append(base_record(case.id, findings, stage(case, findings).staging))
            coded = code_case(case, findings)
        except Exception as exc:  # recorded like the exact path does; the run goes on
            records.append(error_record(case.id, [FieldProblem("(internal)", f"{type(exc).__name__}: {exc}")]))
            continue
        if coded.ready:
            choice = choose_treatments(case, {}) if case.treatments is not None else None
            ready.append((len(records) - 1, coded.values, choice))
    if ready:
        _predict_into(records, ready, version)
    return records
