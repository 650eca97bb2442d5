"""Data models: the validated ``Case`` (input) and the ``Assessment`` (output)."""

from micromets.model.assessment import (
    DECISION_VALUES,
    INSUFFICIENT_DATA,
    Assessment,
    DepositFinding,
    ErrorDetail,
    ErrorResult,
    Findings,
    FollowUpItem,
    IncrementalBenefit,
    MissingItem,
    NonSentinelEstimate,
    Prognosis,
    Recommendation,
    Staging,
    SurvivalSeries,
)
from micromets.model.case import Case, Deposit, NeoadjuvantTherapy, Nodes, Surgery, Treatments, Tumour
from micromets.model.validation import parse_case, parse_case_json

__all__ = [
    "DECISION_VALUES",
    "INSUFFICIENT_DATA",
    "Assessment",
    "Case",
    "Deposit",
    "DepositFinding",
    "ErrorDetail",
    "ErrorResult",
    "Findings",
    "FollowUpItem",
    "IncrementalBenefit",
    "MissingItem",
    "NeoadjuvantTherapy",
    "Nodes",
    "NonSentinelEstimate",
    "Prognosis",
    "Recommendation",
    "Staging",
    "Surgery",
    "SurvivalSeries",
    "Treatments",
    "Tumour",
    "parse_case",
    "parse_case_json",
]
