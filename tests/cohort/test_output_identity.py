"""The whole output file of ``micromets cohort`` is unchanged by the column-wise rewrite of the cohort path.

The reference (``data/output_digests.json``) was made by the cohort engine of commit 7e371ea, the last one
that built every case from a per-row ``dict`` (``batch.to_pylist()``) and every output row as a ``dict``
(``RecordBatch.from_pylist``): the same synthetic registries (Parquet and CSV, 4 % invalid rows) scored in
one process. It holds a SHA-256 digest of every output column (values as exact JSON: floats by ``repr``) and
of the schema, so a difference names its column. Regenerate it only when the pipeline's outputs change on
purpose (new rule, new warning text): ``.venv/bin/python tests/cohort/test_output_identity.py``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from micromets.cohort.engine import output_schema, run_local
from micromets.cohort.synthetic import write_synthetic

REFERENCE = Path(__file__).with_name("data") / "output_digests.json"
#: (input file, rows, seed): the reference registries, 4 % invalid rows each.
REGISTRIES = (("registry.parquet", 4000, 1313), ("registry.csv", 2000, 1314))


def _digest(values: list[Any]) -> str:
    text = json.dumps(values, ensure_ascii=False, allow_nan=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def output_digests(folder: Path, workers: int = 0, batch_size: int | None = None) -> dict[str, Any]:
    """Score the reference registries in ``folder``; per file: rows, invalid rows, schema and column digests."""
    out: dict[str, Any] = {}
    for name, rows, seed in REGISTRIES:
        source = write_synthetic(folder / name, rows, seed=seed, invalid_fraction=0.04)
        summary = run_local(source, folder / f"{name}.out.parquet", workers=workers, batch_size=batch_size)
        table = pq.read_table(summary.output)
        out[name] = {
            "rows": summary.rows, "invalid": summary.invalid,
            "schema": _digest([f"{f.name}:{f.type}" for f in table.schema]),
            "metadata_keys": sorted(k.decode() for k in (table.schema.metadata or {})),
            "columns": {c: _digest(table.column(c).to_pylist()) for c in table.column_names},
        }
    return out


def test_the_output_file_equals_the_reference_of_the_per_row_engine(tmp_path: Path) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    now = output_digests(tmp_path)
    for name, _, _ in REGISTRIES:
        ref, got = reference[name], now[name]
        assert (got["rows"], got["invalid"], got["schema"]) == (ref["rows"], ref["invalid"], ref["schema"]), name
        assert got["metadata_keys"] == ref["metadata_keys"] == sorted(k.decode() for k in output_schema().metadata)
        differing = [c for c in ref["columns"] if got["columns"].get(c) != ref["columns"][c]]
        assert not differing, f"{name}: columns differ from the reference: {differing}"
        assert got["columns"].keys() == ref["columns"].keys()


def test_worker_processes_and_small_batches_write_the_same_file(tmp_path: Path) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    now = output_digests(tmp_path, workers=2, batch_size=333)
    assert now == reference


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_text(json.dumps(output_digests(Path(folder)), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE}", file=sys.stderr)
