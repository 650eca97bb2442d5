"""Throughput and peak memory of the PREDICT engine on synthetic patients.

Usage:
    .venv/bin/python benchmarks/bench_predict.py [--n 1000000] [--workers 2] [--chunk 4096] [--repeat 3]

Every patient gets surgery plus all treatment columns of each version in available_versions()
(endocrine, radiotherapy for v3.0 and v3.2, chemotherapy, trastuzumab, bisphosphonate), float64,
years 1..15. v3.2 additionally computes other-cause survival per column (treatment harms) and the
year-varying HER2 baseline. Input generation
is not timed. Peak memory: tracemalloc peak of the timed call (numpy registers its buffers with
tracemalloc) and the process max RSS (ru_maxrss) at the end.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np
from _record import run_header, write_block

from micromets.prognosis import PredictInputs, Treatments, available_versions, predict


def synthetic(n: int, seed: int = 2026) -> tuple[PredictInputs, Treatments]:
    rng = np.random.default_rng(seed)
    x = PredictInputs.build(
        age=rng.uniform(25, 85, n),
        size_mm=rng.uniform(1, 80, n),
        nodes=np.where(rng.random(n) < 1 / 3, 0.5, rng.integers(0, 10, n)).astype(np.float64),
        grade=rng.choice([1.0, 2.0, 3.0, np.nan], n),
        screen_detected=rng.choice([0.0, 1.0, np.nan], n),
        er=rng.choice([0.0, 1.0], n, p=[0.25, 0.75]),
        her2=rng.choice([0.0, 1.0, np.nan], n),
        ki67=rng.choice([0.0, 1.0, np.nan], n),
        pr=rng.choice([0.0, 1.0, np.nan], n),
        smoker=rng.choice([0.0, 1.0], n),
        heart_dose_gy=rng.uniform(0, 6, n),
    )
    tx = Treatments(
        endocrine=True,
        endocrine_years=rng.choice([5, 10], n),
        chemotherapy_generation=rng.choice([2, 3], n),
        trastuzumab=True,
        bisphosphonate=True,
        radiotherapy=True,
    )
    return x, tx


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=4_096)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--record", type=Path, default=None,
                    help="write the figures into this Markdown file, between the bench:predict markers")
    args = ap.parse_args()
    rows: list[str] = []

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, n={args.n:,}, "
        f"workers={args.workers}, chunk={args.chunk}"
    )
    x, tx = synthetic(args.n)
    predict(x.take(np.arange(min(1000, args.n))), Treatments(endocrine=True))  # warm-up (loads coefficients)
    for version in available_versions():
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            res = predict(x, tx, version=version, chunk_size=args.chunk, workers=args.workers)
            best = min(best, time.perf_counter() - t0)
            del res
        tracemalloc.start()
        res = predict(x, tx, version=version, chunk_size=args.chunk, workers=args.workers)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out_mb = 3 * res.overall_survival.nbytes / 2**20
        print(
            f"v{version}: columns={len(res.column_order)}  best of {args.repeat}: {best:.3f} s  "
            f"-> {args.n / best / 1e6:.2f} M patients/s  | tracemalloc peak {peak / 2**20:.0f} MiB "
            f"(outputs {out_mb:.0f} MiB)"
        )
        rows.append(f"| {version} | {len(res.column_order)} | {best:.2f} s | {args.n / best / 1e6:.2f} M patients/s "
                    f"| {peak / 2**20:,.0f} MiB |")
        del res
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"max RSS {rss:.0f} MiB")
    if args.record is not None:
        record(args.record, rows, rss, args)


def record(path: Path, rows: list[str], rss_mib: float, args: argparse.Namespace) -> None:
    """Replace the bench:predict block of ``path`` with this run's figures."""
    body = "\n".join([
        run_header("bench_predict.py"),
        f"{args.n:,} patients, {args.workers} workers, chunk {args.chunk}, best of {args.repeat}; numpy {np.__version__}.",
        "",
        "| version | columns | time | throughput | tracemalloc peak |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Process max RSS: {rss_mib:,.0f} MiB.",
    ])
    write_block(path, "predict", body, heading="PREDICT")


if __name__ == "__main__":
    main()
