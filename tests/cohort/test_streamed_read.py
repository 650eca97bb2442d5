"""The cohort input is streamed: reading it batch by batch holds about a row group, not the whole file.

docs/cohort.md ("Memory"): peak memory is bounded by batch size x batches in flight, not by the file size.
pyarrow pre-buffers Parquet reads by default, and ``iter_batches`` then kept every coalesced read range (up to
32 MiB) cached until the end of the file: a 10 M-row run's parent grew by the input's size. The bound is
checked with Arrow's own allocation counter (exact bytes requested from its memory pool, not RSS).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from micromets.cohort.engine import open_batches


def _wide_file(path: Path, groups: int, rows: int, width: int) -> Path:
    """``groups`` row groups of ``rows`` rows of ``width`` random (incompressible) bytes, uncompressed."""
    rng = np.random.default_rng(13)
    schema = pa.schema([("id", pa.string()), ("blob", pa.binary())])
    offsets = pa.py_buffer(np.arange(0, (rows + 1) * width, width, dtype=np.int32).tobytes())
    with pq.ParquetWriter(path, schema, compression="none") as writer:
        for group in range(groups):
            blob = pa.Array.from_buffers(pa.binary(), rows, [None, offsets, pa.py_buffer(rng.bytes(rows * width))])
            ids = pa.array([f"r{group}-{i}" for i in range(rows)])
            writer.write_table(pa.table([ids, blob], schema=schema), row_group_size=rows)
    return path


def test_reading_parquet_input_holds_a_row_group_not_the_file(tmp_path: Path) -> None:
    # 8 row groups of 8 MiB: 64 MiB, more than one of pyarrow's 32 MiB pre-buffered ranges.
    path = _wide_file(tmp_path / "wide.parquet", groups=8, rows=2_000, width=4_096)
    size = path.stat().st_size
    before = pa.total_allocated_bytes()
    held = [pa.total_allocated_bytes() - before for _ in open_batches(path, 500)[1]]
    assert len(held) == 8 * 2_000 // 500
    # Pre-buffered, the reader held the whole file (and more) by the last batch; streamed, a couple of row groups.
    assert max(held) < size / 2
