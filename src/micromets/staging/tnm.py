"""T, N and M categories by AJCC 8 (chapter 48, Breast).

    >>> t_from_size(1.1)
    'T1a'
    >>> t_from_size(20.4)
    'T1c'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from micromets.knowledge import load_json
from micromets.model import Case, Findings, Nodes
from micromets.pathology import node_categories


@cache
def _t_table() -> dict[str, Any]:
    data: dict[str, Any] = load_json("staging/t_size.json")
    return data


def rounded_size_mm(size_mm: float) -> int:
    """Whole millimetres as AJCC rounds them: halves go towards the cut-off below, and 1.0 < size < 2.0 -> 2."""
    table = _t_table()
    if table["microinvasion_max_mm"] < size_mm < table["round_up_to_2mm_below"]:
        return 2
    return max(math.ceil(size_mm - 0.5), 1 if size_mm > 0 else 0)


def t_from_size(size_mm: float) -> str:
    """T category (without prefix) of an invasive tumour of ``size_mm`` (> 0)."""
    return _t_from_whole(rounded_size_mm(size_mm))


def _t_from_whole(whole: int) -> str:
    for max_mm, category in _t_bands():
        if whole <= max_mm:
            return category
    raise AssertionError("the last T band is open-ended")  # pragma: no cover


@cache  # the packaged table's bands, read once: (largest whole size in mm, open-ended as infinity; T category)
def _t_bands() -> tuple[tuple[float, str], ...]:
    return tuple((math.inf if band["max_mm"] is None else band["max_mm"], str(band["category"]))
                 for band in _t_table()["bands"])


def t_category(
    size_mm: float | None, extension: str | None, in_situ_only: bool | None
) -> tuple[str | None, str]:
    """Base T category (e.g. 'T1c', 'Tis', 'T0', 'T4b') or None (TX), with the reason in words."""
    if extension not in (None, "none"):
        category = str(_t_table()["extension"][extension])
        return category, f"direct extension '{extension}' -> {category} (any size)"
    if in_situ_only:
        return "Tis", "in situ carcinoma only -> Tis"
    if size_mm is None:
        return None, "invasive size unknown -> TX"
    if size_mm == 0:
        return "T0", "no invasive tumour -> T0"
    whole = rounded_size_mm(size_mm)
    category = _t_from_whole(whole)
    return category, f"invasive size {size_mm:g} mm, rounded to {whole} mm -> {category}"


def pathological_n(case: Case, findings: Findings, *,
                   by_node: Mapping[int, str | None] | None = None) -> tuple[str | None, list[str], str]:
    """Base pN category (e.g. 'N1mi', 'N0', 'N2a'), its suffixes ('i+', 'mol+', 'sn') and the reason.

    ``by_node`` is each node's class as ``classify`` found it (``PathologyResult.node_categories``); without it they
    are worked out from ``findings.deposits``, the same way.
    """
    nodes = case.nodes
    assert nodes is not None and case.has_nodal_pathology
    categories = list((node_categories(findings) if by_node is None else by_node).values())
    if None in categories:
        # A node whose deposit could not be classified is at least ITC (a deposit was seen) and at most a
        # macrometastasis: when both ends give the same pN, that is the pN whatever the unclassified deposit is.
        low = _pathological_n(nodes, [c or "itc" for c in categories])
        high = _pathological_n(nodes, [c or "macrometastasis" for c in categories])
        if low[:2] != high[:2]:
            return None, [], "a deposit could not be classified -> N unknown"
        return low[0], low[1], f"{low[2]}, whatever the class of the deposit that could not be classified"
    return _pathological_n(nodes, cast("list[str]", categories))  # every class known (no None, checked above)


def _pathological_n(nodes: Nodes, categories: list[str]) -> tuple[str, list[str], str]:
    """The pN of :func:`pathological_n` from every node's class (each known)."""
    any_macro = "macrometastasis" in categories
    positive = categories.count("micrometastasis") + categories.count("macrometastasis")
    imn = nodes.internal_mammary
    procedure, examined = nodes.procedure, nodes.examined
    suffixes: list[str] = []

    if nodes.supraclavicular:
        return "N3c", suffixes, "ipsilateral supraclavicular node(s) -> N3c"
    if nodes.infraclavicular:
        return "N3a", suffixes, "infraclavicular (level III) node(s) -> N3a"
    if imn == "clinically_detected":
        if positive:
            return "N3b", suffixes, f"{positive} positive axillary node(s) with clinically detected internal mammary nodes -> N3b"
        return "N2b", suffixes, "clinically detected internal mammary node(s), axilla negative -> N2b"
    imn_sentinel = imn == "sentinel_microscopic"
    if any_macro:
        if positive >= 10:
            base, why = "N3a", f"{positive} positive nodes (>= 10, one > 2 mm)"
        elif positive >= 4:
            base, why = "N2a", f"{positive} positive nodes (4-9, one > 2 mm)"
        else:
            base, why = "N1a", f"{positive} positive node(s) (1-3, one > 2 mm)"
        if imn_sentinel:
            if base == "N1a":
                return "N1c", suffixes, why + " with internal mammary sentinel metastasis -> N1c"
            return "N3b", suffixes, why + " with internal mammary sentinel metastasis -> N3b"
        return base, _sn(procedure, examined, suffixes), why + f" -> {base}"
    if imn_sentinel:
        if positive:
            return "N1c", suffixes, (f"{positive} axillary micrometastatic node(s) with internal mammary sentinel "
                                     "metastasis -> N1c")
        return "N1b", suffixes, "internal mammary sentinel metastasis, axilla negative -> N1b"
    if positive:
        return "N1mi", _sn(procedure, examined, suffixes), (
            f"{positive} node(s) with micrometastasis only, none > 2 mm -> N1mi")
    if "itc" in categories:
        suffixes.append("i+")
        why = "isolated tumour cells only (not counted as positive) -> N0(i+)"
    elif "molecular" in categories:
        suffixes.append("mol+")
        why = "RT-PCR positive only, no ITC seen -> N0(mol+)"
    else:
        why = f"no nodal metastasis in {examined if examined is not None else 'the'} examined node(s) -> N0"
    return "N0", _sn(procedure, examined, suffixes), why


# AJCC 8: cN2b and cN3b are internal mammary nodes detected clinically (imaging), on which pN2b/pN3b depend.
IMN_CLINICAL_N = frozenset({"cN2b", "cN3b"})

# AJCC: (sn) marks staging from sentinel nodes only; it is dropped when six or more nodes were removed.
SN_MAX_NODES = 5


def _sn(procedure: str | None, examined: int | None, suffixes: list[str]) -> list[str]:
    if procedure == "slnb" and (examined is None or examined <= SN_MAX_NODES):
        return [*suffixes, "sn"]
    return suffixes


def clinical_n(clinical_nodes: str | None) -> str | None:
    """Base cN category from the contract value ('cN1mi' -> 'N1mi'; 'cNX' or unknown -> None)."""
    if clinical_nodes is None or clinical_nodes == "cNX":
        return None
    return clinical_nodes[1:]


def format_category(prefix: str, base: str | None, suffixes: list[str] | tuple[str, ...] = ()) -> str:
    """'p' + 'N1mi' + ['sn'] -> 'pN1mi(sn)'; an unknown base becomes e.g. 'pNX'."""
    text = prefix + (base if base is not None else "")
    if not suffixes:
        return text
    return text + "(" + ")(".join(suffixes) + ")"
