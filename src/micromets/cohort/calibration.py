"""``micromets cohort --calibration FILE``: recalibrated overall survival columns beside PREDICT's.

The scored Parquet file is rewritten batch by batch (bounded memory) with ``os_recalibrated_surgery_{5,10,15}``
and ``os_recalibrated_treated_{5,10,15}`` added after PREDICT's own columns, which stay as they are; the profile's
provenance and scope warning go into the file's metadata.

    >>> import pyarrow as pa, tempfile, pathlib
    >>> from micromets.prognosis.calibration import CalibrationProfile, CohortProvenance
    >>> p = CalibrationProfile(prognosis_version="3.2", horizon_years=5, intercept=0.0, slope=1.0,
    ...                        cohort=CohortProvenance(name="local", n=10, events=2))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "out.parquet"
    ...     pa.parquet.write_table(pa.table({"os_surgery_5": [0.9, None], "os_treated_5": [0.95, None]}), path)
    ...     add_recalibrated_columns(path, p)
    ...     pa.parquet.read_table(path).column("os_recalibrated_treated_5").to_pylist()
    [0.95, None]
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from micromets.cohort.engine import open_parquet
from micromets.prognosis.calibration import CalibrationProfile, recalibrate_survival, scope_warning

__all__ = ["add_recalibrated_columns"]


def _recalibrated(column: pa.Array, profile: CalibrationProfile) -> pa.Array:
    values = column.to_numpy(zero_copy_only=False).astype(np.float64)
    known = ~np.isnan(values)
    out = np.full(values.shape, np.nan)
    out[known] = np.round(recalibrate_survival(values[known], profile), 10)
    return pa.array(out, type=pa.float64(), mask=~known)


def add_recalibrated_columns(path: Path, profile: CalibrationProfile) -> None:
    """Add the recalibrated OS columns to a scored Parquet file (atomically: temporary file, then rename)."""
    path = Path(path)
    source = open_parquet(path)
    schema = source.schema_arrow
    pairs = [(f"os_recalibrated_{arm}_{year}", f"os_{arm}_{year}") for arm in ("surgery", "treated")
             for year in (5, 10, 15) if f"os_{arm}_{year}" in schema.names]
    metadata = dict(schema.metadata or {})
    metadata[b"micromets_calibration_profile"] = json.dumps(
        profile.model_dump(exclude={"cross_validation"})).encode()
    metadata[b"micromets_calibration_warning"] = scope_warning(profile).encode()
    new_schema = pa.schema([*schema, *[pa.field(name, pa.float64()) for name, _ in pairs]], metadata=metadata)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.recalibrating")
    try:
        with pq.ParquetWriter(temporary, new_schema) as writer:
            for batch in source.iter_batches():
                columns = [*batch.columns, *[_recalibrated(batch.column(original), profile) for _, original in pairs]]
                writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=new_schema))
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
