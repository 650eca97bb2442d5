"""Throughput of the whole pipeline (validate -> findings -> stage -> recommendations -> PREDICT -> follow-up),
one case at a time as the CLI, the REST API and the web app run it.

Usage:
    .venv/bin/python benchmarks/bench_assess.py [--cases 2000] [--record docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from importlib import resources
from pathlib import Path

from _record import run_header, write_block

from micromets import assess, parse_case_json


def _quantiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return 1e6 * ordered[len(ordered) // 2], 1e6 * ordered[int(len(ordered) * 0.9)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--record", type=Path, default=None)
    args = ap.parse_args()
    folder = resources.files("micromets") / "examples"
    texts = [(folder / name).read_text(encoding="utf-8") for name in sorted(
        p.name for p in folder.iterdir() if p.name.endswith(".json"))]
    cases = [parse_case_json(text) for text in texts]
    for case in cases:
        assess(case)  # warm-up: loads every knowledge file once
    alone: list[float] = []
    cpu: list[float] = []
    whole: list[float] = []
    clock, cpu_clock = time.perf_counter, time.thread_time
    load_before = os.getloadavg()[0]
    for i in range(args.cases):
        started, cpu_started = clock(), cpu_clock()
        assess(cases[i % len(cases)])
        cpu.append(cpu_clock() - cpu_started)
        alone.append(clock() - started)
    for i in range(args.cases):
        started = clock()
        assessment = assess(parse_case_json(texts[i % len(texts)]))
        json.loads(assessment.model_dump_json())  # serialisation is part of every interface
        whole.append(clock() - started)
    p50, p90 = _quantiles(alone)
    c50, c90 = _quantiles(cpu)
    w50, w90 = _quantiles(whole)
    load = f"{load_before:.2f}/{os.getloadavg()[0]:.2f}"
    # CPU time of the calling thread: what the call itself costs, less disturbed than wall time when other
    # processes share the cores (they still slow it through shared caches).
    line = (f"{args.cases:,} calls each over the {len(texts)} packaged examples in turn (Python "
            f"{platform.python_version()}, one process, 1-minute load average {load} before/after): `assess()` "
            f"p50 **{p50:,.0f} µs**, p90 {p90:,.0f} µs, fastest {1e6 * min(alone):,.0f} µs; CPU time p50 "
            f"{c50:,.0f} µs, p90 {c90:,.0f} µs; parse + assess + JSON p50 {w50:,.0f} µs, p90 {w90:,.0f} µs "
            f"({args.cases / sum(whole):,.0f} cases/s).")
    print(line)
    if args.record is not None:
        write_block(args.record, "assess", f"{run_header('bench_assess.py')}\nWhole pipeline, one case at a time: {line}",
                    heading="Whole pipeline")


if __name__ == "__main__":
    main()
