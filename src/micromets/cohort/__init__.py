"""Registry-scale scoring: ``micromets cohort IN.(parquet|csv) -o OUT.parquet [--engine local|dask]``.

One flat row per patient in (``columns``), one flat row per patient out (``engine.output_schema``):
every record batch goes through :func:`micromets.assess.assess_values_many` (the rules per row with no
explanation rendered, PREDICT once per batch), so a registry row gets exactly the values ``assess`` gives that
case. See docs/cohort.md.

    >>> from micromets.cohort import case_from_row
    >>> case_from_row({"id": "r1", "tumour.size_mm": 9.0}).tumour.size_mm
    9.0
"""

from micromets.cohort.columns import (
    CohortFormatError,
    allowed_columns,
    case_from_row,
    cases_from_batch,
    check_columns,
)
from micromets.cohort.engine import CohortSummary, output_schema, run_local, score_batch
from micromets.cohort.synthetic import synthetic_registry, write_synthetic

__all__ = [
    "CohortFormatError",
    "CohortSummary",
    "allowed_columns",
    "case_from_row",
    "cases_from_batch",
    "check_columns",
    "output_schema",
    "run_local",
    "score_batch",
    "synthetic_registry",
    "write_synthetic",
]
