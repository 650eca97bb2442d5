"""External validation and local recalibration of PREDICT: ``micromets validate`` and ``micromets recalibrate``.

Layered above prognosis (it runs PREDICT on whole cohorts) and cohort (a registry file is read in the cohort
format), below the CLI. The built-in public cohorts need the optional ``validation`` extra
(``pip install 'micromets[validation]'``: lifelines, SurvSet).

    >>> from micromets.validation import DATASETS
    >>> DATASETS
    ('gbsg2', 'rotterdam')
"""

from micromets.validation.cohorts import (
    DATASETS,
    SENSITIVITY_VARIANTS,
    Mapping,
    SurvivalCohort,
    ValidationDataError,
    load_dataset,
    registry_cohort,
)
from micromets.validation.metrics import predicted_survival, validate_cohort

__all__ = [
    "DATASETS",
    "SENSITIVITY_VARIANTS",
    "Mapping",
    "SurvivalCohort",
    "ValidationDataError",
    "load_dataset",
    "predicted_survival",
    "registry_cohort",
    "validate_cohort",
]
