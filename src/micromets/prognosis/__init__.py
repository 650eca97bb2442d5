"""Prognosis: PREDICT Breast (v2.2, v3.0, v3.2) and observed non-sentinel-node involvement rates.

Example:
    >>> from micromets.prognosis import available_versions, LATEST_VERSION
    >>> available_versions(), LATEST_VERSION
    (('2.2', '3.0', '3.2'), '3.2')
"""

from ._base import PredictResult
from ._inputs import PredictInputs, Treatments
from .non_sentinel import NonSentinelInformation, NonSentinelRate, non_sentinel_information
from .predict import LATEST_VERSION, available_versions, micrometastasis_node_count, predict

__all__ = [
    "LATEST_VERSION",
    "NonSentinelInformation",
    "NonSentinelRate",
    "PredictInputs",
    "PredictResult",
    "Treatments",
    "available_versions",
    "micrometastasis_node_count",
    "non_sentinel_information",
    "predict",
]
