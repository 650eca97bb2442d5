"""Throughput of the whole pipeline (validate -> findings -> stage -> recommendations -> PREDICT -> follow-up),
one case at a time as the CLI, the REST API and the web app run it.

Usage:
    .venv/bin/python benchmarks/bench_assess.py [--cases 2000] [--record docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from importlib import resources
from pathlib import Path

from _record import run_header, write_block

from micromets import assess, parse_case_json


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--record", type=Path, default=None)
    args = ap.parse_args()
    folder = resources.files("micromets") / "examples"
    texts = [(folder / name).read_text(encoding="utf-8") for name in sorted(
        p.name for p in folder.iterdir() if p.name.endswith(".json"))]
    assess(parse_case_json(texts[0]))  # warm-up: loads every knowledge file once
    t0 = time.perf_counter()
    for i in range(args.cases):
        assessment = assess(parse_case_json(texts[i % len(texts)]))
        json.loads(assessment.model_dump_json())  # serialisation is part of every interface
    elapsed = time.perf_counter() - t0
    line = (f"{args.cases:,} cases (the {len(texts)} packaged examples in turn) in {elapsed:.2f} s: "
            f"{args.cases / elapsed:,.0f} cases/s, {1000 * elapsed / args.cases:.2f} ms per case "
            f"(Python {platform.python_version()}, one process).")
    print(line)
    if args.record is not None:
        write_block(args.record, "assess", f"{run_header('bench_assess.py')}\nWhole pipeline, one case at a time: {line}",
                    heading="Whole pipeline")


if __name__ == "__main__":
    main()
