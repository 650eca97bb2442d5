"""The memory of the cohort engine's parent process over a large file, with the scoring replayed.

Usage:
    .venv/bin/python benchmarks/bench_cohort_parent.py [--rows 10000000] [--workers 2] [--scored 100000]
                                                       [--runs fixed,pre-buffer,fixed,pre-buffer] [--dir DIR]

The parent of ``run_local`` reads the input, sends record batches to the workers, receives the scored
batches and writes them; its memory is what this measures. Real scoring costs ~750 µs of CPU a row (a 10 M-row
run takes hours), so here the workers replay real results instead: the first ``--scored`` rows of the input
are scored once by the real engine, and each batch is answered with rows of that file (cycled, its ids set
to the batch's, every column rebuilt into fresh arrays as ``score_batch`` builds them). The parent does
exactly its usual work, at tens of thousands of rows a second.

Each run is a fresh process (memory figures do not mix, and the input's generator is not in them). Sampled
every second: the parent's RSS, Arrow's allocated bytes, the process tree's RSS and the rows written.
Reported: the parent's RSS once 10 % of the rows are written and at the end of the run, the slope between
(bytes per row, least squares), the parent's and the tree's peak, the 1-minute load average at start and end.
The tree's peak is not a scoring run's: each replaying worker holds the whole scored file (~100 MiB more than a
scoring worker); the parent's figures are the point.
``pre-buffer`` opens the input with pyarrow's default pre-buffering, as the engine did before the seventh
pass of issue 13 (docs/performance.md), for comparison; ``fixed`` is the engine as it is.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench_cohort import PAGE, _tree_rss


def _replay(scored: str, batch: Any, mode: str = "exact", version: str = "") -> Any:
    """Worker side: real scored rows for ``batch`` (its ids, fresh arrays), without scoring."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    table = _SCORED.get(scored)
    if table is None:
        table = _SCORED[scored] = pq.read_table(scored)
    ids = batch.column(batch.schema.get_field_index("id"))
    start = int(ids[0].as_py().rsplit("-", 1)[1]) % table.num_rows
    rows = table.slice(start, batch.num_rows)
    if rows.num_rows < batch.num_rows:
        rows = pa.concat_tables([rows, table.slice(0, batch.num_rows - rows.num_rows)])
    columns = [pa.array(ids.to_pylist(), type=pa.string())]
    columns += [pa.array(rows.column(i).to_pylist(), type=field.type) for i, field in enumerate(table.schema) if i]
    return pa.RecordBatch.from_arrays(columns, schema=table.schema)


_SCORED: dict[str, Any] = {}


def _own_rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE


def run_one(args: argparse.Namespace) -> None:
    """Child process: one run of ``run_local`` with replayed scoring; prints a JSON line."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from micromets.cohort import engine

    engine.score_batch = functools.partial(_replay, args.scored_file)  # type: ignore[assignment]
    if args.variant == "pre-buffer":
        engine.open_parquet = lambda path: pq.ParquetFile(path)
    written = 0
    samples: list[tuple[int, int, int, int]] = []  # rows, parent RSS, tree RSS, Arrow bytes
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            samples.append((written, _own_rss(), _tree_rss(os.getpid())[0], pa.total_allocated_bytes()))

    def progress(rows: int) -> None:
        nonlocal written
        written += rows

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    summary = engine.run_local(Path(args.input), Path(args.output), workers=args.workers, progress=progress)
    done.set()
    sampler.join()
    Path(args.output).unlink(missing_ok=True)
    total = summary.rows
    tail = [s for s in samples if s[0] >= total // 10]
    n = len(tail)
    mean_x, mean_y = sum(s[0] for s in tail) / n, sum(s[1] for s in tail) / n
    slope = (sum((s[0] - mean_x) * (s[1] - mean_y) for s in tail)
             / max(sum((s[0] - mean_x) ** 2 for s in tail), 1))
    print(json.dumps({
        "rows": total, "seconds": summary.seconds, "parent_at_10": tail[0][1], "parent_end": tail[-1][1],
        "slope": slope, "parent_peak": max(s[1] for s in samples), "tree_peak": max(s[2] for s in samples),
        "arrow_peak": max(s[3] for s in samples),
    }))


def _prepare(directory: Path, rows: int, scored: int) -> tuple[Path, Path]:
    """The synthetic input (seed 2026, 0.5 % invalid) and the real scoring of its first ``scored`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from micromets.cohort.engine import run_local
    from micromets.cohort.synthetic import write_synthetic

    src = directory / f"registry-{rows}.parquet"
    if not src.exists():
        write_synthetic(src, rows, seed=2026, invalid_fraction=0.005)
    out = directory / f"scored-{rows}-{scored}.parquet"
    if not out.exists():
        head = directory / f"head-{rows}-{scored}.parquet"
        first = next(pq.ParquetFile(src).iter_batches(batch_size=scored))
        pq.write_table(pa.Table.from_batches([first]), head)
        run_local(head, out, workers=2)
        head.unlink()
    return src, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scored", type=int, default=100_000, help="rows really scored, then replayed")
    ap.add_argument("--runs", default="fixed,pre-buffer", help="comma-separated: fixed, pre-buffer (in order)")
    ap.add_argument("--dir", type=Path, default=None, help="keep the input and scored files here between runs")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--variant", default="fixed", help=argparse.SUPPRESS)
    ap.add_argument("--input", default="", help=argparse.SUPPRESS)
    ap.add_argument("--output", default="", help=argparse.SUPPRESS)
    ap.add_argument("--scored-file", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        run_one(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.dir or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        src, scored = _prepare(directory, args.rows, args.scored)
        size = src.stat().st_size / 2**20
        print(f"input {args.rows:,} rows ({size:,.1f} MiB Parquet), {args.workers} workers, replaying "
              f"{args.scored:,} scored rows\n")
        print("| variant | parent RSS at 10 % of rows → end | slope | parent peak | tree peak | Arrow allocated, "
              "peak | time | load avg |")
        print("|---|---|---|---|---|---|---|---|")
        for variant in args.runs.split(","):
            load = os.getloadavg()[0]
            cmd = [sys.executable, __file__, "--one", "--variant", variant, "--workers", str(args.workers),
                   "--input", str(src), "--output", str(directory / "out.parquet"), "--scored-file", str(scored)]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode:
                sys.exit(done.stderr)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            mib = 2**20
            print(f"| {variant} | {r['parent_at_10'] / mib:,.0f} → {r['parent_end'] / mib:,.0f} MiB | "
                  f"{r['slope']:,.1f} bytes/row | {r['parent_peak'] / mib:,.0f} MiB | {r['tree_peak'] / mib:,.0f} MiB | "
                  f"{r['arrow_peak'] / mib:,.0f} MiB | {r['seconds']:,.0f} s | "
                  f"{load:.1f}–{os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
