"""Writing benchmark figures into docs/performance.md between named markers.

Each benchmark owns one block, ``<!-- bench:NAME:start ... -->`` to ``<!-- bench:NAME:end -->``; a run
replaces its own block and leaves the rest of the page alone.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_header(script: str) -> str:
    """'Latest run <date>: `<command>`' and the machine, for the first lines of a block."""
    command = " ".join(["python", f"benchmarks/{script}", *sys.argv[1:]])
    return (f"Latest run {dt.date.today().isoformat()}: `{command}`.\n"
            f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}.")


def write_block(path: Path, name: str, body: str, *, heading: str, script: str | None = None) -> None:
    """Replace the ``name`` block of ``path`` with ``body`` (appended under ``heading`` the first time)."""
    script = script or f"benchmarks/bench_{name}.py"
    block = f"<!-- bench:{name}:start (written by {script} --record) -->\n{body}\n<!-- bench:{name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    pattern = re.compile(rf"<!-- bench:{name}:start.*?<!-- bench:{name}:end -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
