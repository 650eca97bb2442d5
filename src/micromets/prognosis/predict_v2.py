"""PREDICT v2.2 (ER-specific Cox models with fractional polynomials; Candido dos Reis 2017).

Also hosts :class:`PredictV2Family`, the breast-cancer prognostic index, baselines and
treatment terms that v3.0 inherits unchanged (model spec §2).

Deviations from the upstream script (``inst/Predict-v2.2-2020-02-02.r``):

* the extended-endocrine add-on (-0.26 in years 11-15) is applied only to ER-positive patients
  on 10 years of endocrine therapy (the script applies it ungated; the web tool gates it);
* radiotherapy is not modelled (disabled upstream); a radiotherapy request is ignored.

Example:
    >>> from micromets.prognosis import PredictInputs, Treatments, predict
    >>> x = PredictInputs.build(age=[50], size_mm=[20], nodes=[0], grade=[2],
    ...                         screen_detected=[0], er=[0], her2=[0])
    >>> r = predict(x, Treatments(chemotherapy_generation=3), version="2.2")
    >>> r.column_order
    ('surgery', 'chemotherapy')
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

from ._base import PredictModel, Terms
from ._elementwise import Flag, Real, as_float, isnan, log, marker, power, sqrt, where
from ._inputs import FloatArray, PredictInputs, PredictRow, TreatmentArrays, TreatmentRow

__all__ = ["PredictV2Family", "PredictV22"]


Inputs: TypeAlias = PredictInputs | PredictRow
Given: TypeAlias = TreatmentArrays | TreatmentRow


class PredictV2Family(PredictModel):
    """Breast-cancer model shared by v2.2 and v3.0 (ER-specific PI, baselines, treatments).

    The terms are written with ``_elementwise``: they take a batch (arrays) or one patient (floats).
    """

    scalar_terms = True

    def coded_grade(self, x: Inputs) -> Real:
        """Grade with unknown (NaN) replaced by the model's value 2.13."""
        out: Real = where(isnan(x.grade), self.coefficients.unknown_grade_value, x.grade)
        return out

    def coded_screen(self, x: Inputs) -> Real:
        """Detection with unknown (NaN) replaced by the model's value 0.204."""
        out: Real = where(isnan(x.screen_detected), self.coefficients.unknown_screen_value, x.screen_detected)
        return out

    def er_negative_grade_indicator(self, grade: Real) -> Real:
        """ER-negative binary grade term; the rule for unknown grade (2.13) differs by version."""
        if self.coefficients.er_negative_grade_rule == "equals_2_or_3":
            indicator: Flag = (grade == 2.0) | (grade == 3.0)
        else:
            indicator = grade >= 2.0
        return as_float(indicator)

    def breast_prognostic_index(self, x: Inputs) -> Real:
        """PI without treatment and without version-specific additions (v2 spec §2)."""
        c = self.coefficients
        p, m = c.er_positive, c.er_negative
        grade = self.coded_grade(x)
        nodes_log = log((x.nodes + 1.0) / 10.0)
        a10 = x.age / 10.0
        inv_sq = power(a10, -2.0)
        pi_pos = (
            p.age_inv_sq_beta * (inv_sq - p.age_inv_sq_centre)
            + p.age_inv_sq_log_beta * (inv_sq * log(a10) - p.age_inv_sq_log_centre)
            + p.size_log_beta * (log(x.size_mm / 100.0) + p.size_log_offset)
            + p.nodes_log_beta * (nodes_log + p.nodes_log_offset)
            + p.grade_beta * grade
            + p.screen_beta * self.coded_screen(x)
            + marker(x.ki67, p.ki67_positive, p.ki67_negative)
        )
        pi_neg = (
            m.age_linear_beta * (x.age - m.age_linear_centre)
            + m.size_sqrt_beta * (sqrt(x.size_mm / 100.0) + m.size_sqrt_offset)
            + m.nodes_log_beta * (nodes_log + m.nodes_log_offset)
            + m.grade_indicator_beta * self.er_negative_grade_indicator(grade)
        )
        her2 = marker(x.her2, c.her2.positive, c.her2.negative)
        out: Real = where(x.er == 1.0, pi_pos, pi_neg) + her2
        return out

    def age_other_index(self, x: Inputs) -> Real:
        """Other-cause index from age at diagnosis only."""
        o = self.coefficients.other_cause
        a10 = x.age / 10.0
        out: Real = o.age_sq_beta * (a10 * a10 - o.age_sq_centre)  # a10 * a10: what numpy's a10 ** 2 computes
        return out

    def systemic_log_hr(self, x: Inputs, tx: Given) -> dict[str, Real]:
        """Endocrine (ER+ only), chemotherapy, trastuzumab (HER2+ only), bisphosphonate."""
        t = self.coefficients.treatment_log_hr
        er_pos = x.er == 1.0
        gen = tx.chemotherapy_generation
        return {
            "endocrine": where(tx.endocrine & er_pos, t.endocrine, 0.0),
            "chemotherapy": where(
                gen == 2.0,
                t.chemotherapy_generation_2,
                where(gen == 3.0, t.chemotherapy_generation_3, 0.0),
            ),
            "trastuzumab": where(tx.trastuzumab & (x.her2 == 1.0), t.trastuzumab, 0.0),
            "bisphosphonate": where(tx.bisphosphonate, t.bisphosphonate, 0.0),
        }

    def extended_endocrine(self, x: Inputs, tx: Given) -> tuple[Flag, Real]:
        """Who gets the extended add-on (ER+, endocrine, 10 years) and its log HR per patient."""
        t = self.coefficients.treatment_log_hr
        gets = (x.er == 1.0) & tx.endocrine & (tx.endocrine_years == 10.0)
        return gets, where(gets, t.extended_endocrine_addon, 0.0)

    def baseline_breast_cumulative(self, years: FloatArray) -> tuple[FloatArray, FloatArray]:
        p, m = self.coefficients.er_positive, self.coefficients.er_negative
        inv_sqrt = years**-0.5
        pos = np.exp(
            p.baseline_intercept
            + p.baseline_inv_sqrt_t * inv_sqrt
            + p.baseline_log_t_over_sqrt_t * np.log(years) * inv_sqrt
        )
        neg = np.exp(m.baseline_intercept + m.baseline_inv_t_sq / years**2 + m.baseline_inv_t / years)
        return neg, pos

    def baseline_other_cumulative(self, years: FloatArray) -> FloatArray:
        o = self.coefficients.other_cause
        return np.exp(
            o.baseline_intercept + o.baseline_log_t * np.log(years) + o.baseline_sqrt_t * np.sqrt(years)
        )


class PredictV22(PredictV2Family):
    """PREDICT v2.2: no radiotherapy, no PR, other-cause mortality from age only."""

    version = "2.2"
    treatment_order = ("endocrine", "chemotherapy", "trastuzumab", "bisphosphonate")

    def terms(self, x: Inputs, tx: Given) -> Terms:  # also takes one patient (floats)
        _, addon = self.extended_endocrine(x, tx)
        return Terms(
            prognostic_index=self.breast_prognostic_index(x),
            other_index=self.age_other_index(x),
            treatment_log_hr=self.systemic_log_hr(x, tx),
            extended_endocrine_log_hr=addon,
            extended_from_year=self.coefficients.treatment_log_hr.extended_endocrine_from_year,
            warnings=self.base_warnings(x),
        )
