"""Reading staging strings back into their parts (prefix, base category, suffixes).

    >>> split_category("ypN1mi(sn)")
    ('yp', 'N1mi', ('sn',))
    >>> base_category("pT1c(m)")
    'T1c'
"""

from __future__ import annotations

import re
from functools import lru_cache

_CATEGORY = re.compile(r"^(?P<prefix>yp|yc|p|c)?(?P<base>[TNM][0-9X]?(?:is|mi|[a-d])?)(?P<suffixes>(?:\([^)]*\))*)$")


@lru_cache(maxsize=1024)  # a few dozen categories exist; the rules ask for the same ones many times per patient
def split_category(category: str) -> tuple[str, str, tuple[str, ...]]:
    """Split e.g. ``'pN0(i+)(sn)'`` into ``('p', 'N0', ('i+', 'sn'))``."""
    match = _CATEGORY.match(category)
    if not match:
        raise ValueError(f"not an AJCC category: {category!r}")
    suffixes = tuple(re.findall(r"\(([^)]*)\)", match.group("suffixes")))
    return match.group("prefix") or "", match.group("base"), suffixes


def base_category(category: str | None) -> str | None:
    """The category without prefix and suffixes (``'pN1mi(sn)'`` -> ``'N1mi'``); None stays None."""
    if category is None:
        return None
    return split_category(category)[1]


def t_group(category: str | None) -> str | None:
    """T0, Tis, T1 (incl. T1mi/a/b/c), T2, T3, T4 (incl. a-d) or None for TX/unknown."""
    base = base_category(category)
    if base is None or base == "TX":
        return None
    if base in ("T0", "Tis"):
        return base
    return base[:2]


def n_group(category: str | None) -> str | None:
    """N0 (incl. (i+)/(mol+)), N1mi, N1 (a/b/c and plain N1), N2, N3, or None for NX/unknown."""
    base = base_category(category)
    if base is None or base == "NX":
        return None
    if base == "N1mi":
        return "N1mi"
    return base[:2]
