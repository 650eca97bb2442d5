"""How long the tumour-board PDF takes, and where the time goes (HTML with its charts, WeasyPrint style and layout,
PDF writing), for the packaged pN1mi example.

Usage:
    .venv/bin/python benchmarks/bench_report.py [--repeat 5] [--record docs/performance.md]

Times are CPU seconds of this process (``time.process_time``): on the shared 2-core machine wall-clock times
measure mostly the other work. On an idle machine wall time is close to CPU time (rendering is single-threaded).
The first render in a process also pays for importing WeasyPrint and matplotlib and for the first font lookup;
that cold figure is reported apart from the warm median.
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib import resources
from pathlib import Path

from _record import run_header, write_block

from micromets import assess, parse_case_json


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The result and the CPU time of this process (on a shared machine wall time mostly measures the others)."""
    t0 = time.process_time()
    result = fn(*args, **kwargs)
    return result, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--record", type=Path, default=None)
    args = ap.parse_args()
    text = (resources.files("micromets") / "examples" / "pn1mi.json").read_text(encoding="utf-8")
    case = parse_case_json(text)
    assessment = assess(case)

    from micromets.report.html import render_html
    from micromets.report.patient import render_patient_html
    from micromets.report.pdf import _offline_fetcher, render_pdf

    _, cold = _timed(render_pdf, assessment, case)

    from weasyprint import HTML

    rows: dict[str, list[float]] = {"html (with charts)": [], "style + layout": [], "write PDF": [], "total": [],
                                    "patient page (html)": []}
    pages = 0
    for _ in range(args.repeat):
        html, t_html = _timed(render_html, assessment, case, standalone=True)
        document, t_layout = _timed(HTML(string=html, url_fetcher=_offline_fetcher).render)
        _, t_write = _timed(document.write_pdf)
        pages = len(document.pages)
        rows["html (with charts)"].append(t_html)
        rows["style + layout"].append(t_layout)
        rows["write PDF"].append(t_write)
        rows["total"].append(t_html + t_layout + t_write)
        rows["patient page (html)"].append(_timed(render_patient_html, assessment, case)[1])
    table = ["| step | CPU median | CPU min |", "|---|---|---|"]
    table += [f"| {name} | {statistics.median(v):.2f} s | {min(v):.2f} s |" for name, v in rows.items()]
    body = (f"{run_header('bench_report.py')}\n"
            f"Tumour-board PDF of examples/pn1mi.json ({pages} A4 pages), warm, {args.repeat} runs, CPU seconds; the "
            f"first render in a fresh process (imports, fonts) took {cold:.2f} s.\n\n" + "\n".join(table))
    print(body)
    if args.record is not None:
        write_block(args.record, "report", body, heading="Report (PDF) rendering")


if __name__ == "__main__":
    main()
