"""CPU per call of assess() and of its phases on the packaged examples, to see where one case's time goes.

Each phase runs on fresh objects as assess() builds them (classify -> stage -> recommend -> PREDICT -> assemble);
the rows are cumulative as named, so a phase is its row minus the row without it. CPU time of the calling thread,
best of 7 rounds of 140 calls. To compare two versions, run each in turn in the same minute:

    PYTHONPATH=<checkout>/src .venv/bin/python benchmarks/bench_phases.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import resources

from micromets import assess, parse_case_json
from micromets.assess import _assemble, _check_version, _rule
from micromets.pathology import classify
from micromets.prognosis.case_adapter import PrognosisRequest, run_prognosis_many
from micromets.staging import stage


def _best(call: Callable[[int], object], count: int, rounds: int = 7, calls: int = 140) -> float:
    fastest = float("inf")
    for _ in range(rounds):
        started = time.thread_time()
        for i in range(calls):
            call(i % count)
        fastest = min(fastest, (time.thread_time() - started) / calls * 1e6)
    return fastest


def main() -> None:
    folder = resources.files("micromets") / "examples"
    cases = [parse_case_json((folder / name).read_text(encoding="utf-8"))
             for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))]
    for case in cases:
        assess(case)  # warm-up: knowledge files loaded, tables compiled
    version = _check_version(None)
    ruled = [_rule(case) for case in cases]
    outcomes = [run_prognosis_many([PrognosisRequest(r.case, r.pathology.findings, r.guidance.decisions)], version)[0]
                for r in ruled]
    rows: dict[str, Callable[[int], object]] = {
        "assess": lambda i: assess(cases[i]),
        "classify": lambda i: classify(cases[i]),
        "classify + stage": lambda i: stage(cases[i], classify(cases[i]).findings),
        "classify + stage + recommend": lambda i: _rule(cases[i]),
        "classify + stage + recommend + PREDICT": lambda i: run_prognosis_many(
            [PrognosisRequest(cases[i], _rule(cases[i]).pathology.findings, ruled[i].guidance.decisions)], version),
        "classify + stage + recommend + _assemble": lambda i: _assemble(_rule(cases[i]), outcomes[i], version),
    }
    for name, call in rows.items():
        print(f"{name:42s} {_best(call, len(cases)):7.0f} µs")


if __name__ == "__main__":
    main()
