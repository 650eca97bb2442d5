"""The assessment (output), exactly as in the case contract v1, plus compatible extensions.

Every recommendation cites evidence ids that resolve in the evidence registry, names the patient
facts it used and says what would change it. Probabilities are fractions in [0, 1].
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DepositCategory = Literal["itc", "micrometastasis", "macrometastasis", "molecular", "negative"]
ErStatus = Literal["positive", "low_positive", "negative"]
PrStatus = Literal["positive", "negative"]
Her2Status = Literal["positive", "equivocal", "low", "ultralow", "zero", "negative"]
Subtype = Literal["hr_pos_her2_neg", "her2_pos", "triple_negative"]
Strength = Literal["strong", "moderate", "weak"]
Domain = Literal["diagnostics", "surgery", "systemic", "radiation", "follow_up"]

#: Every decision key of the contract with the values it may take (``insufficient_data`` always allowed).
DECISION_VALUES: dict[str, tuple[str, ...]] = {
    "sentinel_biopsy": ("not_applicable", "omission_possible", "recommended"),
    "axillary_surgery": ("omit_alnd", "alnd", "axillary_rt_or_alnd", "none_needed"),
    "chemotherapy": ("not_indicated", "discuss", "recommended"),
    "endocrine": ("not_indicated", "recommended"),
    "her2_therapy": ("not_indicated", "discuss", "recommended"),
    "cdk46_inhibitor": ("not_indicated", "discuss", "recommended"),
    "olaparib": ("not_indicated", "recommended"),
    "regional_nodal_irradiation": ("not_indicated", "discuss", "recommended"),
    "post_mastectomy_rt": ("not_applicable", "not_indicated", "discuss", "recommended"),
    # 'discuss': re-irradiation after prior RT to the same region (never a plain recommendation).
    "whole_breast_rt": ("not_applicable", "omission_possible", "discuss", "recommended"),
    "boost": ("not_applicable", "not_indicated", "discuss", "recommended"),
    "bisphosphonate": ("not_indicated", "discuss", "recommended"),
    "immunotherapy": ("not_indicated", "recommended"),
    "capecitabine": ("not_indicated", "discuss", "recommended"),
}
INSUFFICIENT_DATA = "insufficient_data"
#: A treatment the patient declined (``Case.preferences.declined``); allowed for every decision key. The
#: recommendation keeps what the rules would have decided in ``clinical_decision``.
DECLINED = "declined"
#: Indicated, but not now: a condition in the input must resolve first (e.g. pregnancy, cardiac recovery, dental
#: treatment); allowed for every decision key; the recommendation says until when.
DEFERRED = "deferred"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MissingItem(_Out):
    """An input that is needed for a finding, stage or decision and was not given."""

    field: str
    why: str
    decisions: list[str] = Field(
        default_factory=list,
        description="The decision keys that are insufficient_data for want of this input (empty: needed for a "
        "finding, a stage, a figure or before starting a treatment).",
    )


class DepositFinding(_Out):
    node: int
    category: DepositCategory | None = Field(description="None when the input cannot decide the category.")
    basis: str = Field(description="The rule applied, in words, with the values used.")


class Findings(_Out):
    deposits: list[DepositFinding] = Field(default_factory=list)
    positive_nodes: int | None = None
    micrometastatic_nodes: int | None = None
    itc_nodes: int | None = None
    macrometastatic_nodes: int | None = None
    er: ErStatus | None = None
    pr: PrStatus | None = None
    her2: Her2Status | None = None
    her2_ish_group: int | None = Field(None, description="ASCO/CAP 2018 dual-probe ISH group 1-5.")
    subtype: Subtype | None = None
    pathological_complete_response: bool | None = None


class Staging(_Out):
    t: str | None = None
    n: str | None = None
    m: str | None = None
    anatomic_stage: str | None = None
    pathological_prognostic_stage: str | None = None
    clinical_prognostic_stage: str | None = None
    edition: str = "AJCC 8th"
    path: list[str] = Field(default_factory=list, description="Tables and rules applied, in order (audit trail).")


class SurvivalSeries(_Out):
    surgery_only: list[float]
    with_treatments: list[float]


class IncrementalBenefit(_Out):
    treatment: str
    overall_survival_gain: list[float]


class ModelAssumption(_Out):
    """A value the prognosis model needed and the case did not give: what was used instead, shown with the figures."""

    input: str = Field(description="The case field, e.g. 'treatments.heart_dose_gy'.")
    value_used: str
    note: str


class NonSentinelEstimate(_Out):
    model: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    evidence: list[str] = Field(default_factory=list)
    note: str = ""


class RecalibratedSurvival(_Out):
    """Overall survival after a local calibration profile (``--calibration FILE``), beside the original figures."""

    cohort: str = Field(description="The cohort the profile was fitted on.")
    horizon_years: int = Field(description="The horizon the profile was fitted at.")
    intercept: float
    slope: float
    overall_survival: SurvivalSeries = Field(description="Recalibrated overall survival, aligned with `years`.")
    curves: dict[str, list[float]] = Field(default_factory=dict, description="Recalibrated yearly curves 1-15.")
    warning: str


class Prognosis(_Out):
    model: str = "PREDICT"
    model_version: str
    years: list[int]
    treatments_evaluated: list[str]
    overall_survival: SurvivalSeries
    breast_cancer_mortality: SurvivalSeries
    other_cause_mortality: SurvivalSeries | None = Field(
        None, description="Cumulative deaths from other causes (competing risk), aligned with `years`."
    )
    incremental_benefit: list[IncrementalBenefit]
    curves: dict[str, list[float]] = Field(
        default_factory=dict, description="Yearly overall survival 1-15 per cumulative treatment column, for charts."
    )
    non_sentinel_node_probability: NonSentinelEstimate | None = None
    assumptions: list[ModelAssumption] = Field(
        default_factory=list, description="Model inputs the case lacked and the values used instead (no silent defaults)."
    )
    recalibrated: RecalibratedSurvival | None = Field(
        None, description="Overall survival after a local calibration profile; the figures above stay PREDICT's own."
    )


class Recommendation(_Out):
    id: str = Field(description="Stable id, e.g. 'surgery.alnd.omit.micromets'.")
    domain: Domain
    decision: str
    strength: Strength
    text: str
    rationale: str = Field(description="The patient facts used, in words.")
    evidence: list[str] = Field(min_length=1)
    would_change_if: str
    clinical_decision: str | None = Field(
        None, description="When `decision` is 'declined': what the rules decided before the patient's preference."
    )


class FollowUpItem(_Out):
    due: dt.date
    what: str
    evidence: list[str] = Field(default_factory=list)
    category: str | None = None


class Assessment(_Out):
    id: str | None
    micromets_version: str
    ruleset_version: str
    findings: Findings
    staging: Staging
    prognosis: Prognosis | None = None
    decisions: dict[str, str] = Field(default_factory=dict)
    recommendations: list[Recommendation] = Field(default_factory=list)
    follow_up: list[FollowUpItem] = Field(default_factory=list)
    missing: list[MissingItem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class ErrorDetail(_Out):
    field: str
    message: str


class ErrorResult(_Out):
    """What the batch CLI and API return for an invalid input line."""

    id: str | None
    error: ErrorDetail
    errors: list[ErrorDetail] = Field(default_factory=list, description="Every invalid field, first one repeated.")
