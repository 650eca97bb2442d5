"""Throughput, CPU time and peak memory of ``micromets cohort`` on a synthetic registry, next to the I/O floor.

Usage:
    .venv/bin/python benchmarks/bench_cohort.py [--rows 20000] [--workers 2] [--batch-size N] [--skip-dask]
                                                [--series 20000,100000,500000] [--record docs/performance.md]

Runs, each in a fresh Python process so that memory figures do not mix, on the same synthetic Parquet
file of ``--rows`` rows: the floor (a bare pyarrow Parquet read of the file and write of it, nothing
else), then the default cohort path (every column: findings, stage, PREDICT, every decision and its rule
id) with the local engine (``--workers`` processes) and with Dask (a LocalCluster of ``--workers``
processes). The ratio to the floor is printed. Timed: reading, scoring, writing (the synthetic input is
written before, untimed; the Dask cluster start-up is timed, it is part of a run). CPU: user + system time
of the run's process and its reaped children (the worker processes). Memory: the peak of the summed RSS of
the run's process tree and of its largest single process, sampled every 0.1 s. Every line carries the
1-minute load average at its start and end (the machine may be shared: compare CPU time, not wall time).

``--series`` runs the floor and the local engine on files of increasing size (written block by block, so
the generator's memory stays flat too), to show that peak memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from _record import run_header, write_block

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> tuple[int, int]:
    """Summed RSS in bytes of ``root`` and all its descendants, and the largest one's (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    sizes, frontier = [rss.get(root, 0)], [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent:
                sizes.append(rss.get(pid, 0))
                frontier.append(pid)
    return sum(sizes), max(sizes)



def run_one(args: argparse.Namespace) -> None:
    """Child process: one timed run; prints a JSON line."""
    from micromets.cohort.dask_engine import run_dask
    from micromets.cohort.engine import run_local

    peak = largest = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, largest
        while not done.wait(0.1):
            total, biggest = _tree_rss(os.getpid())
            peak, largest = max(peak, total), max(largest, biggest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = Path(args.output)
    if args.engine == "floor":
        import time

        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        started = time.perf_counter()
        table = pq.read_table(args.input)
        pq.write_table(table, out)
        rows, invalid, seconds = table.num_rows, 0, time.perf_counter() - started
    elif args.engine == "dask":
        summary = run_dask(Path(args.input), out, workers=args.workers, batch_size=args.batch_size)
        rows, invalid, seconds = summary.rows, summary.invalid, summary.seconds
    else:
        summary = run_local(Path(args.input), out, workers=args.workers, batch_size=args.batch_size)
        rows, invalid, seconds = summary.rows, summary.invalid, summary.seconds
    done.set()
    sampler.join()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    # (ru_maxrss is not used: Linux carries it over fork+exec from the parent that built the input.)
    print(json.dumps({"rows": rows, "invalid": invalid, "seconds": seconds, "cpu": cpu,
                      "tree_peak": peak, "largest_process": largest}))


def _one(engine: str, src: Path, out: Path, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--one", "--engine", engine, "--workers", str(args.workers),
           "--input", str(src), "--output", str(out)]
    if args.batch_size:
        cmd += ["--batch-size", str(args.batch_size)]
    load = os.getloadavg()[0]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    out.unlink(missing_ok=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"], result["load_end"] = load, os.getloadavg()[0]
    return result


def _line(what: str, r: dict[str, float], size: float, floor: float | None) -> str:
    ratio = f"{r['seconds'] / floor:,.0f}×" if floor else "-"
    return (f"| {what} | {r['rows']:,.0f} ({size:,.1f} MiB Parquet) | {r['seconds']:.2f} s | "
            f"**{r['rows'] / r['seconds']:,.0f} rows/s** | {ratio} | {r['cpu']:,.1f} s "
            f"({r['cpu'] * 1e6 / max(r['rows'], 1):,.0f} µs/row) | {r['tree_peak'] / 2**20:,.0f} MiB | "
            f"{r['largest_process'] / 2**20:,.0f} MiB | {r['load']:.1f}–{r['load_end']:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--series", default="", help="comma-separated row counts: the local engine's memory by size")
    ap.add_argument("--record", type=Path, default=None,
                    help="write the figures into this Markdown file, between the bench:cohort markers")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    ap.add_argument("--input", default="", help=argparse.SUPPRESS)
    ap.add_argument("--output", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        run_one(args)
        return

    from micromets.cohort.synthetic import write_synthetic

    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.series:
            for n in (int(x) for x in args.series.split(",")):
                src = write_synthetic(Path(tmp) / f"registry-{n}.parquet", n, seed=2026, invalid_fraction=0.005)
                size = src.stat().st_size / 2**20
                floor = _one("floor", src, Path(tmp) / "floor.parquet", args)
                local = _one("local", src, Path(tmp) / "local.parquet", args)
                for what, result in (("pyarrow read + write (floor)", floor), ("micromets cohort, local", local)):
                    line = _line(what, result, size, floor["seconds"])
                    print(line, flush=True)
                    rows.append(line)
                src.unlink()
        else:
            engines = ["floor", "local"] if args.skip_dask else ["floor", "local", "dask"]
            src = write_synthetic(Path(tmp) / "registry.parquet", args.rows, seed=2026, invalid_fraction=0.005)
            size = src.stat().st_size / 2**20
            floor_seconds = None
            for engine in engines:
                r = _one(engine, src, Path(tmp) / f"{engine}.parquet", args)
                floor_seconds = r["seconds"] if engine == "floor" else floor_seconds
                what = "pyarrow read + write (floor)" if engine == "floor" else f"micromets cohort, {engine}"
                line = _line(what, r, size, floor_seconds)
                print(line, flush=True)
                rows.append(line)
    if args.record is not None:
        record(args.record, rows, args)


def record(path: Path, rows: list[str], args: argparse.Namespace) -> None:
    """Replace the bench:cohort block of ``path`` (with ``--series``: the bench:cohort-memory block)."""
    import numpy as np
    import pyarrow as pa  # type: ignore[import-untyped]

    batch = f"{args.batch_size:,}" if args.batch_size else "default (1,000)"
    body = "\n".join([
        run_header("bench_cohort.py"),
        f"Synthetic registry (seed 2026, 0.5 % invalid rows), {args.workers} workers, batch size {batch} rows, "
        f"PREDICT 3.2; numpy {np.__version__}, pyarrow {pa.__version__}. Each line a fresh process; the ratio is "
        "the wall time over the floor's on the same file; CPU is the run's process tree (user + system).",
        "",
        "| run | rows | time | throughput | × floor | CPU | peak RSS, process tree | largest process | load avg |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
    ])
    if args.series:
        write_block(path, "cohort-memory", body, heading="Cohort scoring: memory by file size",
                    script="benchmarks/bench_cohort.py")
    else:
        write_block(path, "cohort", body, heading="Cohort scoring")


if __name__ == "__main__":
    main()
