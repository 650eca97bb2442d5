"""Adapters shared by the REST and web routers: case in, assessment and its renderings out.

No clinical logic lives here: every function converts to or from ``Case``/``Assessment`` and calls the
pipeline (``micromets.assess``) or a renderer (``micromets.report``, ``micromets.followup``).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import weakref
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from micromets.api.errors import InvalidRequest
from micromets.errors import FieldProblem
from micromets.model import Assessment, Case

T = TypeVar("T")

__all__ = [
    "assess_case",
    "compute",
    "check_prognosis_version",
    "example_data",
    "example_names",
    "fhir_exporter",
    "ics_bytes",
    "pdf_bytes",
    "prognosis_versions",
    "render",
    "report_css",
    "report_fragment",
    "safe_filename",
]


_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


async def compute(function: Callable[..., T], *args: Any, on_loop: bool = False) -> T:
    """Run CPU-bound pipeline work one call at a time per process and in arrival order.

    The pipeline is pure Python under the GIL: threads running it side by side only share one core among
    themselves and with the event loop, so every answer waits for all the others (long tail latency).
    One at a time, first come first served, each answer is as quick as the queue in front of it allows.
    By default the work runs in a worker thread, so that the event loop goes on reading requests.
    ``on_loop=True`` runs it on the event loop itself (still one at a time, first come first served): for
    work of a few milliseconds (one patient's CDS Hooks call), handing it to a thread and back — and the GIL
    passing between the threads — costs more CPU than it spares the loop (measured: ~1 ms of ~8 a call).
    Slow renderings (PDF) stay on the ordinary thread pool so that they do not hold the queue.
    """
    loop = asyncio.get_running_loop()
    if on_loop:
        turn = _TURNS.get(loop)
        if turn is None:
            turn = _TURNS[loop] = asyncio.Lock()  # asyncio.Lock wakes its waiters in arrival order
        async with turn:
            return function(*args)
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = anyio.CapacityLimiter(1)
    return await anyio.to_thread.run_sync(function, *args, limiter=limiter)


def prognosis_versions() -> list[str]:
    """The PREDICT versions the pipeline implements, oldest first."""
    from micromets.assess import available_prognosis_versions

    return sorted(available_prognosis_versions(), key=_version_key)


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def check_prognosis_version(version: str | None) -> str | None:
    """``None`` (the pipeline's default) or a known version; anything else is an ``InvalidRequest``."""
    if version is None or version == "":
        return None
    known = prognosis_versions()
    if version not in known:
        message = f"must be one of {', '.join(known)}; got {version[:40]!r}"
        raise InvalidRequest([FieldProblem("prognosis_version", message)])
    return version


def assess_case(case: Case, prognosis_version: str | None = None) -> Assessment:
    """Run the pipeline on a validated case."""
    from micromets.assess import assess

    return assess(case, prognosis_version=check_prognosis_version(prognosis_version))


def report_fragment(assessment: Assessment, case: Case) -> str:
    """The tumour-board report as an HTML fragment (trusted: produced by our own autoescaping renderer)."""
    from micromets.report.html import render_html

    return render_html(assessment, case, standalone=False)


def report_css() -> str:
    """The stylesheet of the report fragment (scoped to the report)."""
    from micromets.report.html import report_css as css

    return css()


def pdf_bytes(assessment: Assessment, case: Case) -> bytes:
    from micromets.report.pdf import render_pdf

    return render_pdf(assessment, case)


def ics_bytes(assessment: Assessment) -> bytes:
    from micromets.followup import to_icalendar

    return to_icalendar(assessment.follow_up, patient_id=assessment.id)


def fhir_exporter() -> Callable[[Assessment, Case], bytes] | None:
    """The FHIR Bundle exporter when ``micromets.interop.fhir`` is installed, else ``None`` (feature test)."""
    try:
        module = importlib.import_module("micromets.interop.fhir")
    except ImportError:
        return None
    for name in ("to_bundle", "assessment_to_bundle", "export_bundle", "to_fhir"):
        function = getattr(module, name, None)
        if callable(function):
            return _bundle_bytes(function)
    return None


def _bundle_bytes(function: Callable[..., Any]) -> Callable[[Assessment, Case], bytes]:
    def export(assessment: Assessment, case: Case) -> bytes:
        bundle = function(assessment, case)
        if isinstance(bundle, bytes):
            return bundle
        if isinstance(bundle, str):
            return bundle.encode()
        if hasattr(bundle, "model_dump"):
            bundle = bundle.model_dump(mode="json", exclude_none=True)
        return json.dumps(bundle, indent=2, default=str).encode()

    return export


def render(assessment: Assessment, case: Case, output: str) -> bytes:
    """The assessment as a downloadable file: ``json`` (indented), ``pdf``, ``ics`` or ``fhir``."""
    if output == "pdf":
        return pdf_bytes(assessment, case)
    if output == "ics":
        return ics_bytes(assessment)
    if output == "json":
        return (assessment.model_dump_json(indent=2) + "\n").encode()
    exporter = fhir_exporter()
    if exporter is None:
        raise InvalidRequest([FieldProblem("format", "FHIR export is not installed")], status_code=404)
    return exporter(assessment, case)


def example_names() -> list[str]:
    """The packaged example cases (``micromets.examples``), by file stem, ``pn1mi`` first."""
    try:
        folder = resources.files("micromets.examples")
    except ModuleNotFoundError:
        return []
    names = sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))
    return sorted(names, key=lambda n: (n != "pn1mi", n))


def example_data(name: str) -> dict[str, Any]:
    """One packaged example as a dict; ``KeyError`` for an unknown name."""
    if name not in example_names():
        raise KeyError(name)
    text = resources.files("micromets.examples").joinpath(f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise KeyError(name)
    return data


def safe_filename(case_id: str | None, suffix: str) -> str:
    """A download file name from the case id, restricted to ``[A-Za-z0-9._-]``."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", case_id or "case").strip(".-")[:60] or "case"
    return f"{stem}{suffix}"
