"""The tabled decisions over columns (``guidelines.batch.final_columns``) against the per-case engine that renders
every recommendation (``guidelines.recommend``), on the same synthetic registry rows.

Both start from patient contexts (validated case, findings, stage), built once beforehand. Per row, CPU time:
the column engine decides the tabled keys only (value and rule id, no text); the per-case engine decides every
key with texts, missing inputs and warnings, and its time for the tabled keys alone is shown too (each decision
point's function with the rails after it is not separable, so the whole engine is the honest figure).

Usage:
    .venv/bin/python benchmarks/bench_tables.py [--rows 20000] [--record docs/performance.md]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from _record import run_header, write_block

from micromets.cohort.columns import cases_from_batch
from micromets.cohort.synthetic import synthetic_registry
from micromets.guidelines import recommend
from micromets.guidelines._context import Context
from micromets.guidelines.batch import TABLES, decide_columns, final_columns
from micromets.model import Case
from micromets.pathology import classify
from micromets.staging import stage


def _contexts(rows: int) -> list[Context]:
    out = []
    for batch in synthetic_registry(rows, seed=13).to_batches():
        for case in cases_from_batch(batch)[1]:
            if isinstance(case, Case):
                findings = classify(case).findings
                out.append(Context.of(case, findings, stage(case, findings).staging))
    return out


def _best_cpu(run: object, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        run()  # type: ignore[operator]
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=1_000, help="rows per column batch (the cohort's batch size)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--record", type=Path, default=None)
    args = ap.parse_args()
    contexts = _contexts(args.rows)
    n = len(contexts)
    batches = [contexts[i:i + args.batch] for i in range(0, n, args.batch)]
    load = os.getloadavg()[0]
    tables = _best_cpu(lambda: [decide_columns(b) for b in batches], args.repeats)
    final = _best_cpu(lambda: [final_columns(b) for b in batches], args.repeats)
    engine = _best_cpu(lambda: [recommend(c.case, c.findings, c.staging) for c in contexts], args.repeats)
    line = (f"{n:,} synthetic registry rows (contexts built beforehand), batches of {args.batch:,}, best of "
            f"{args.repeats}, 1-minute load average {load:.2f} before / {os.getloadavg()[0]:.2f} after: the "
            f"{len(TABLES)} tabled decisions over columns **{1e6 * tables / n:,.1f} µs** CPU per row "
            f"({1e6 * final / n:,.1f} µs with the rails: metastatic, pregnancy/lactation, fitness, declined); the "
            f"per-case engine (all 14 decisions with texts, missing inputs, rails) {1e6 * engine / n:,.0f} µs per row.")
    print(line)
    if args.record is not None:
        write_block(args.record, "tables", f"{run_header('bench_tables.py')}\n{line}",
                    heading="Decision tables over columns")


if __name__ == "__main__":
    main()
