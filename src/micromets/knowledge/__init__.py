"""Packaged knowledge: AJCC tables, thresholds, model coefficients and the evidence registry.

Knowledge is data: every file carries its source and version, is read once through
``importlib.resources`` and validated when loaded. The rule-set version stamped on every
assessment is a hash over all of these files, so any change to a table or a threshold shows.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from micromets.errors import KnowledgeError

RULESET_NAME = "micromets-rules"
RULESET_RELEASE = "2026.11"


def _root() -> Traversable:
    return resources.files(__name__)


@cache
def load_json(relative_path: str) -> Any:
    """Load one knowledge file, e.g. ``load_json("staging/anatomic.json")``."""
    node = _root()
    for part in relative_path.split("/"):
        node = node / part
    try:
        return json.loads(node.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"knowledge file {relative_path!r} is missing from the installation") from None
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"knowledge file {relative_path!r} is not valid JSON: {exc}") from None


def _data_files() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            elif child.name.endswith((".json", ".csv")):
                found.append((name, child.read_bytes()))

    walk(_root(), "")
    return found


@cache
def ruleset_version() -> str:
    """``<release>+<12 hex digits>``: the release plus a hash of every packaged knowledge file."""
    digest = hashlib.sha256()
    for name, content in _data_files():
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(content)
    return f"{RULESET_NAME}-{RULESET_RELEASE}+{digest.hexdigest()[:12]}"
