"""PREDICT v3.0 (Pharoah 2022-08-17; Winton-packaged function ``benefits30``).

Breast-cancer model of v2.2 plus PR, the ER-negative unknown-grade rule ``g >= 2``, the
radiotherapy baseline re-centring (always on) and the radiotherapy breast benefit. The
other-cause index adds smoking, chemotherapy harm (HR 1.2 when any chemotherapy is given) and
radiotherapy heart-dose harm (HR 1.04 per Gy); as in ``benefits30`` it is **one scalar per
patient shared by every column, surgery-only included** (so surgery-only OS already carries
the patient's chemotherapy/radiotherapy harm and the column differences are breast-cancer
benefits only).

Deviations from upstream (documented in docs/prognosis.md):

* extended endocrine therapy gets the intended -0.26 add-on in years 11-15 (upstream
  ``ifelse`` returns a scalar, so ``h10 == h``);
* the original script's double counting of the other-cause treatment harm is not reproduced
  (the ``benefits30`` "WINTON Fix" behaviour is used);
* smoker unknown (NaN) -> population-average term 0; heart dose not given with radiotherapy ->
  the model's population mean (2 Gy); both flagged as warnings.

Example:
    >>> from micromets.prognosis import PredictInputs, Treatments, predict
    >>> x = PredictInputs.build(age=[45], size_mm=[12], nodes=[0.5], grade=[3], screen_detected=[1],
    ...                         er=[1], her2=[0], ki67=[1], pr=[1], smoker=[0], heart_dose_gy=[1.0])
    >>> predict(x, Treatments(endocrine=True, radiotherapy=True), version="3.0").column_order
    ('surgery', 'endocrine', 'radiotherapy')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

from ._base import PredictModel, Terms
from ._elementwise import isnan, marker, where
from .predict_v2 import Given, Inputs, PredictV2Family

__all__ = ["PredictV30"]


class PredictV30(PredictV2Family):
    """PREDICT v3.0 with the ``benefits30`` behaviour (see module docstring)."""

    version = "3.0"
    treatment_order = ("endocrine", "radiotherapy", "chemotherapy", "trastuzumab", "bisphosphonate")
    warning_messages: ClassVar[Mapping[str, str]] = {
        **PredictModel.warning_messages,
        "smoker_unknown": "smoking status unknown: population-average other-cause mortality used",
        "heart_dose_assumed": "heart dose not given: population mean heart dose (2 Gy) assumed",
        "extended_endocrine_deviation": (
            "extended endocrine: intended -0.26 add-on in years 11-15 applied (upstream v3.0 code applies none)"
        ),
    }

    def _required(self) -> tuple[float, float, float, float, float, float]:
        """(breast and other-cause RT re-centring, non-smoker and smoker terms, chemotherapy and per-Gy harms):
        functions of the coefficients only, computed once per model object."""
        cached: tuple[float, float, float, float, float, float] | None = self.__dict__.get("_required_terms")
        if cached is None:
            cached = self._derived_terms()
            self.__dict__["_required_terms"] = cached
        return cached

    def _derived_terms(self) -> tuple[float, float, float, float, float, float]:
        c = self.coefficients
        if (
            c.radiotherapy is None
            or c.smoking is None
            or c.pr is None
            or c.chemotherapy_other_relative_hazard is None
        ):
            raise ValueError("v3.0 coefficient file lacks pr/smoking/radiotherapy/chemotherapy terms")
        rt, sm = c.radiotherapy, c.smoking
        p = rt.population_proportion_treated
        r_base_br = math.log(1.0 / ((1.0 - p) + p * rt.breast_relative_hazard))
        r_base_oth = math.log(
            1.0 / ((1.0 - p) + p * rt.other_relative_hazard_per_gy**rt.population_mean_heart_gy)
        )
        rr_all_cause = sm.smoking_related_fraction * sm.relative_risk + 1.0 - sm.smoking_related_fraction
        norm = 1.0 - sm.population_prevalence + rr_all_cause * sm.population_prevalence
        return (
            r_base_br,
            r_base_oth,
            math.log(1.0 / norm),
            math.log(rr_all_cause / norm),
            math.log(c.chemotherapy_other_relative_hazard),
            math.log(rt.other_relative_hazard_per_gy),
        )

    def terms(self, x: Inputs, tx: Given) -> Terms:  # also takes one patient (floats)
        c = self.coefficients
        assert c.pr is not None and c.radiotherapy is not None  # checked by _required
        r_base_br, r_base_oth, non_smoker, smoker, chemo_oth, rt_oth_per_gy = self._required()

        er_pos = x.er == 1.0
        pr_pos = where(er_pos, c.pr.er_positive.positive, c.pr.er_negative.positive)
        pr_neg = where(er_pos, c.pr.er_positive.negative, c.pr.er_negative.negative)
        pr_term = marker(x.pr, pr_pos, pr_neg)
        pi = self.breast_prognostic_index(x) + pr_term + r_base_br

        smoking = marker(x.smoker, smoker, non_smoker)
        chemo = tx.chemotherapy_generation > 0.0
        heart_missing = isnan(x.heart_dose_gy)
        heart = where(heart_missing, c.radiotherapy.population_mean_heart_gy, x.heart_dose_gy)
        rt_harm = where(tx.radiotherapy, rt_oth_per_gy * heart, 0.0)
        mi = self.age_other_index(x) + r_base_oth + smoking + where(chemo, chemo_oth, 0.0) + rt_harm

        log_hr = self.systemic_log_hr(x, tx)
        log_hr["radiotherapy"] = where(tx.radiotherapy, math.log(c.radiotherapy.breast_relative_hazard), 0.0)
        gets_extended, addon = self.extended_endocrine(x, tx)

        warnings = self.base_warnings(x)
        warnings["smoker_unknown"] = isnan(x.smoker)
        warnings["heart_dose_assumed"] = heart_missing & tx.radiotherapy
        warnings["extended_endocrine_deviation"] = gets_extended
        return Terms(
            prognostic_index=pi,
            other_index=mi,
            treatment_log_hr=log_hr,
            extended_endocrine_log_hr=addon,
            extended_from_year=c.treatment_log_hr.extended_endocrine_from_year,
            warnings=warnings,
        )

    def radiotherapy_baseline_terms(self) -> tuple[float, float]:
        """(breast, other) log re-centring for the population proportion treated with RT."""
        r_base_br, r_base_oth, *_ = self._required()
        return r_base_br, r_base_oth
