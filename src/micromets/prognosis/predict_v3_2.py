"""PREDICT v3.2 (refitted model; Winton-packaged function ``benefits32``).

The model of v3.1/v3.2 was refitted: a' = age - 24, ER-specific transforms of age and size,
ln(nodes + 1), grade entered as its value (unknown 2.13) in both ER groups, a calendar-year
term fixed at 2017, a HER2 effect that fades over years 1-9 in ER-positive disease, new
breast-cancer baselines (time in decades) and a refitted other-cause model. v3.2 hard-codes the
radiotherapy re-centring (+0.7 ER+, +0.55 ER- on breast-cancer mortality; -0.062 on other
causes). Coefficients: ``knowledge/predict/v3_2.json`` (model specification section 4).

Unlike v3.0, the other-cause harms are **per column**: ln 1.2 in every column that contains
chemotherapy, ln(1.02) x heart dose (Gy) in every column that contains radiotherapy. So
surgery-only survival carries no treatment harm and an incremental "benefit" can be negative
(e.g. chemotherapy for an older patient at low breast-cancer risk). Display order: surgery,
radiotherapy, endocrine, chemotherapy, trastuzumab, bisphosphonate (``s, r, rh, rhc, rhct,
rhctb``).

Deviations from upstream (documented in docs/prognosis.md, each with a test):

* the heart-dose harm is applied only when radiotherapy is given (upstream adds
  ``log(1.02) * heart.gy`` to its radiotherapy columns even when ``radio = 0``);
* ages below 25 are computed at 25, as the web tool clamps (the refitted model takes
  ln(age - 24), undefined at age <= 24, and explodes just above 24); flagged;
* smoker unknown (NaN) -> population-average term 0; heart dose not given with radiotherapy ->
  the model's assumed population mean (2 Gy); both flagged (upstream requires values).

Example:
    >>> from micromets.prognosis import PredictInputs, Treatments, predict
    >>> x = PredictInputs.build(age=[58], size_mm=[22], nodes=[0.5], grade=[2], screen_detected=[0],
    ...                         er=[1], her2=[0], ki67=[0], pr=[1], smoker=[0], heart_dose_gy=[1.0])
    >>> r = predict(x, Treatments(endocrine=True, radiotherapy=True, chemotherapy_generation=3), version="3.2")
    >>> r.column_order
    ('surgery', 'radiotherapy', 'endocrine', 'chemotherapy')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar, NamedTuple, TypeAlias

import numpy as np

from ._base import PredictModel, Terms
from ._coefficients import RefitCoefficients, load_refit_coefficients
from ._elementwise import Flag, Real, exp, isnan, log, marker, maximum, negate, power, where
from ._inputs import FloatArray, PredictInputs, PredictRow, TreatmentArrays, TreatmentRow

__all__ = ["PredictV32"]


Inputs: TypeAlias = PredictInputs | PredictRow
Given: TypeAlias = TreatmentArrays | TreatmentRow


class _Derived(NamedTuple):
    """Terms of v3.2 that are functions of its coefficients alone."""

    calendar_years: float  # the calendar year fixed by the model, from the origin of its calendar-year term
    smoker: float  # other-cause log relative hazard of a current smoker
    non_smoker: float  # ... of a non-smoker
    radiotherapy_breast_log_hr: float
    heart_log_hr_per_gy: float  # other-cause log hazard ratio per Gy of mean heart dose
    chemotherapy_other_log_hr: float


class PredictV32(PredictModel):
    """PREDICT v3.2 with the ``benefits32`` behaviour (see module docstring).

    The terms are written with ``_elementwise``: they take a batch (arrays) or one patient (floats).
    """

    version = "3.2"
    treatment_order = ("radiotherapy", "endocrine", "chemotherapy", "trastuzumab", "bisphosphonate")
    scalar_terms = True
    warning_messages: ClassVar[Mapping[str, str]] = {
        "age_under_25": (
            "age < 25: outside the fitted range; computed at age 25 as the web tool does "
            "(v3.2 takes ln(age - 24), undefined at age <= 24)"
        ),
        "smoker_unknown": "smoking status unknown: population-average other-cause mortality used",
        "heart_dose_assumed": "heart dose not given: population mean heart dose (2 Gy) assumed",
        "heart_dose_without_radiotherapy": (
            "heart dose given without radiotherapy: no heart-dose harm applied "
            "(upstream v3.2 code applies it to its radiotherapy columns even without radiotherapy)"
        ),
    }

    def __init__(self) -> None:
        # The refitted model has its own coefficient schema; the v2.2/v3.0 file loaded by
        # PredictModel.__init__ does not exist for it, so the base initialiser is not called.
        self.refit: RefitCoefficients = load_refit_coefficients(self.version).coefficients

    # ---- covariates ---------------------------------------------------------------------
    def scaled_age(self, x: Inputs) -> Real:
        """(max(age, 25) - 24) / 100: the refitted model's age variable."""
        c = self.refit
        out: Real = (maximum(x.age, c.minimum_age) - c.age_origin) / 100.0
        return out

    def breast_prognostic_index(self, x: Inputs, *, u: Real | None = None, log_u: Real | None = None) -> Real:
        """PI without treatment and without the year-varying ER+ HER2 term (radiotherapy re-centring included).

        Both ER sub-models are computed for a batch and each patient takes the one of her ER status (one patient:
        only hers); each adds its ten terms in the order the model lists them. ``u``, ``log_u``: the scaled age
        and its log, when the caller has them.
        """
        c = self.refit
        p, m = c.er_positive, c.er_negative
        u = self.scaled_age(x) if u is None else u
        er_positive = x.er == 1.0  # a bool for one patient
        grade = where(isnan(x.grade), c.unknown_grade_value, x.grade)
        screen = where(isnan(x.screen_detected), c.unknown_screen_value, x.screen_detected)
        nodes = log(x.nodes + 1.0)
        years = self._derived().calendar_years
        positive: Real = 0.0
        negative: Real = 0.0
        if er_positive is not False:
            positive = p.age_inv_sqrt_beta * power(u, -0.5) + p.age_sq_beta * (u * u) + p.size_beta * (
                1.0 - exp(-x.size_mm / p.size_scale_mm))
            positive = (positive + p.nodes_log_beta * nodes + p.grade_beta * grade + p.screen_beta * screen
                        + p.calendar_year_beta * years + marker(x.ki67, p.ki67_positive, p.ki67_negative)
                        + marker(x.pr, p.pr_positive, p.pr_negative) + p.radiotherapy_baseline)
        if er_positive is not True:
            # ER-negative: u ln u needs u > 0, true for every age after the clamp to 25
            log_u = log(u) if log_u is None else log_u
            negative = m.age_linear_beta * u + m.age_linear_log_beta * u * log_u + m.size_log_beta * log(x.size_mm)
            negative = (negative + m.nodes_log_beta * nodes + m.grade_beta * grade + m.screen_beta * screen
                        + m.calendar_year_beta * years + marker(x.her2, m.her2_positive, m.her2_negative)
                        + marker(x.pr, m.pr_positive, m.pr_negative) + m.radiotherapy_baseline)
        out: Real = where(er_positive, positive, negative)
        return out

    def her2_by_year(self, x: Inputs) -> FloatArray:
        """(15, n) year-varying HER2 log hazard ratio: ER+ only (ER- HER2 is constant, in the PI)."""
        table = self._her2_table()
        er_pos = x.er == 1.0
        row = where(er_pos & (x.her2 == 1.0), 1, where(er_pos & (x.her2 == 0.0), 2, 0))
        if isinstance(row, int):  # one patient: her column, (15, 1)
            return self._her2_columns()[row]
        out: FloatArray = np.take(table, row, axis=1)  # C-contiguous (15, n), unlike table[:, row]
        return out

    def _her2_table(self) -> FloatArray:
        """(15, 3) log hazard ratio by year: HER2 unknown (0), positive, negative (coefficients only: built once)."""
        table: FloatArray | None = self.__dict__.get("_her2_by_year_table")
        if table is None:
            p = self.refit.er_positive
            table = np.array([[0.0] * len(p.her2_positive_by_year), p.her2_positive_by_year,
                              p.her2_negative_by_year]).T
            table.setflags(write=False)
            self.__dict__["_her2_by_year_table"] = table
        return table

    def _her2_columns(self) -> tuple[FloatArray, ...]:
        """The columns of :meth:`_her2_table`, each a C-contiguous (15, 1) array of its own (built once): what one
        patient's baseline is keyed on (``PredictModel._negated_baselines_of_one``) without copying a strided view."""
        columns: tuple[FloatArray, ...] | None = self.__dict__.get("_her2_by_year_columns")
        if columns is None:
            table = self._her2_table()
            columns = tuple(np.ascontiguousarray(table[:, k : k + 1]) for k in range(table.shape[1]))
            for column in columns:
                column.setflags(write=False)
            self.__dict__["_her2_by_year_columns"] = columns
        return columns

    def other_index(self, x: Inputs, *, u: Real | None = None, log_u: Real | None = None) -> Real:
        """Other-cause index without treatment: age, calendar year, RT re-centring, smoking (``u``, ``log_u``: as
        for :meth:`breast_prognostic_index`)."""
        c = self.refit
        o = c.other_cause
        u = self.scaled_age(x) if u is None else u
        log_u = log(u) if log_u is None else log_u
        derived = self._derived()
        smoking = marker(x.smoker, derived.smoker, derived.non_smoker)
        cube = power(u, 3.0)
        out: Real = (
            o.age_cube_beta * cube
            + o.age_cube_log_beta * cube * log_u
            + o.calendar_year_beta * derived.calendar_years
            + o.radiotherapy_baseline
            + smoking
        )
        return out

    def _derived(self) -> _Derived:
        """The terms that are functions of the coefficients only: computed once per model object."""
        derived: _Derived | None = self.__dict__.get("_derived_terms")
        if derived is None:
            c = self.refit
            sm = c.smoking
            rr_all_cause = sm.smoking_related_fraction * sm.relative_risk + 1.0 - sm.smoking_related_fraction
            norm = 1.0 - sm.population_prevalence + rr_all_cause * sm.population_prevalence
            derived = _Derived(
                calendar_years=float(c.calendar_year - c.calendar_year_origin),
                smoker=math.log(rr_all_cause / norm),
                non_smoker=math.log(1.0 / norm),
                radiotherapy_breast_log_hr=math.log(c.radiotherapy.breast_relative_hazard),
                heart_log_hr_per_gy=math.log(c.radiotherapy.other_relative_hazard_per_gy),
                chemotherapy_other_log_hr=math.log(c.chemotherapy_other_relative_hazard),
            )
            self.__dict__["_derived_terms"] = derived
        return derived

    # ---- treatments ---------------------------------------------------------------------
    def breast_log_hr(self, x: Inputs, tx: Given) -> dict[str, Real]:
        """Constant breast-cancer log hazard ratios (endocrine ER+ only, trastuzumab HER2+ only)."""
        t = self.refit.treatment_log_hr
        gen = tx.chemotherapy_generation
        return {
            "radiotherapy": where(tx.radiotherapy, self._derived().radiotherapy_breast_log_hr, 0.0),
            "endocrine": where(tx.endocrine & (x.er == 1.0), t.endocrine, 0.0),
            "chemotherapy": where(
                gen == 2.0,
                t.chemotherapy_generation_2,
                where(gen == 3.0, t.chemotherapy_generation_3, 0.0),
            ),
            "trastuzumab": where(tx.trastuzumab & (x.her2 == 1.0), t.trastuzumab, 0.0),
            "bisphosphonate": where(tx.bisphosphonate, t.bisphosphonate, 0.0),
        }

    def other_log_hr(self, x: Inputs, tx: Given) -> tuple[dict[str, Real], Flag]:
        """Per-column other-cause harms (chemotherapy, radiotherapy heart dose) and who had 2 Gy assumed."""
        c = self.refit
        heart_missing = isnan(x.heart_dose_gy)
        heart = where(heart_missing, c.radiotherapy.population_mean_heart_gy, x.heart_dose_gy)
        derived = self._derived()
        per_gy = derived.heart_log_hr_per_gy
        harms = {
            "radiotherapy": where(tx.radiotherapy, per_gy * heart, 0.0),
            "chemotherapy": where(
                tx.chemotherapy_generation > 0.0, derived.chemotherapy_other_log_hr, 0.0
            ),
        }
        return harms, heart_missing & tx.radiotherapy

    def terms(self, x: Inputs, tx: Given) -> Terms:  # also takes one patient (floats)
        t = self.refit.treatment_log_hr
        other_harms, heart_assumed = self.other_log_hr(x, tx)
        gets_extended = (x.er == 1.0) & tx.endocrine & (tx.endocrine_years == 10.0)
        u = self.scaled_age(x)
        log_u = log(u)  # the other-cause index and the ER-negative sub-model both take it

        warnings = self.base_warnings(x)
        warnings["smoker_unknown"] = isnan(x.smoker)
        warnings["heart_dose_assumed"] = heart_assumed
        warnings["heart_dose_without_radiotherapy"] = negate(tx.radiotherapy) & (x.heart_dose_gy > 0.0)
        return Terms(
            prognostic_index=self.breast_prognostic_index(x, u=u, log_u=log_u),
            other_index=self.other_index(x, u=u, log_u=log_u),
            treatment_log_hr=self.breast_log_hr(x, tx),
            extended_endocrine_log_hr=where(gets_extended, t.extended_endocrine_addon, 0.0),
            extended_from_year=t.extended_endocrine_from_year,
            warnings=warnings,
            treatment_other_log_hr=other_harms,
            breast_log_hr_by_year=self.her2_by_year(x),
        )

    # ---- baselines (t in decades) -------------------------------------------------------
    def baseline_breast_cumulative(self, years: FloatArray) -> tuple[FloatArray, FloatArray]:
        c = self.refit
        p, m = c.er_positive, c.er_negative
        tau = years / c.time_scale_years
        log_tau = np.log(tau)
        pos = np.exp(
            p.baseline_intercept
            + p.baseline_inv_sqrt_t * tau**-0.5
            + p.baseline_log_t_over_sqrt_t * tau**-0.5 * log_tau
        )
        neg = np.exp(m.baseline_intercept + m.baseline_inv_t / tau + m.baseline_log_t_over_t * log_tau / tau)
        return neg, pos

    def baseline_other_cumulative(self, years: FloatArray) -> FloatArray:
        c = self.refit
        o = c.other_cause
        tau = years / c.time_scale_years
        out: FloatArray = np.exp(o.baseline_intercept + o.baseline_log_t * np.log(tau) + o.baseline_t * tau)
        return out

