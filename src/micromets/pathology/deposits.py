"""Nodal deposits: ITC, micrometastasis or macrometastasis by the AJCC 8 rules.

The class of a node is decided by its largest contiguous deposit; separate clusters, sections and
nodes are never summed. The 200-cell rule counts cells in one cross-section only.

    >>> from micromets.model import Deposit
    >>> classify_deposit(Deposit(node=1, size_mm=1.2, method="he")).category
    'micrometastasis'
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from micromets.knowledge import load_json
from micromets.model import Deposit
from micromets.model.assessment import DepositCategory

# Severity order used to pick a node's class from its deposits (the largest deposit decides).
SEVERITY = {"negative": 0, "molecular": 1, "itc": 2, "micrometastasis": 3, "macrometastasis": 4}


@cache
def _thresholds() -> dict[str, Any]:
    data: dict[str, Any] = load_json("pathology/thresholds.json")
    return data


class DepositClass(NamedTuple):
    """The class of one deposit with the rule that decided it; ``category`` None = undecidable. A NamedTuple: built
    for every deposit of every case (a frozen dataclass cost ~0.5 µs each), and ``classify`` unpacks it."""

    category: DepositCategory | None
    basis: str
    warnings: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()  # (relative field, why)


def _by_osna(copies: float) -> DepositClass:
    # Tsujimoto 2007: (-) < 250, (+) 250 to 5,000, (++) > 5,000; exactly 5,000 is where sources differ.
    t = _thresholds()["osna"]
    low, high = t["negative_below_copies_per_ul"], t["macrometastasis_above_copies_per_ul"]
    if copies < low:
        return DepositClass("negative", f"OSNA {copies:g} copies/uL < {low}: negative (Tsujimoto 2007 cut-offs)")
    if copies > high:
        return DepositClass("macrometastasis", f"OSNA {copies:g} copies/uL > {high:,}: macrometastasis (++)")
    warnings: tuple[str, ...] = ()
    if copies == high:
        warnings = (f"OSNA exactly {high:,} copies/uL: micrometastasis (+) by the Tsujimoto 2007 cut-offs, but some "
                    f"laboratories report >= {high:,} as (++) (macrometastasis): check the band the laboratory "
                    "reported.",)
    return DepositClass("micrometastasis", f"OSNA {copies:g} copies/uL in {low} to {high:,}: micrometastasis (+)",
                        warnings)


_SIZE_NOT_GIVEN = "no deposit size given: a macrometastasis (> 2 mm) cannot be excluded from a cell count"
_CLASSES: tuple[DepositCategory, ...] = ("itc", "micrometastasis", "macrometastasis")


def _classes_allowed(size_mm: float | None, cells: int | None, *, contiguous: bool) -> tuple[DepositCategory, ...]:
    """Every class a measure allows when part of it is unknown (the cell count, the size, or the largest of separate
    clusters), read as ``_by_size_and_cells`` reads it: a deposit of fewer than 200 dispersed cells is ITC."""
    t = _thresholds()["deposit"]
    itc_size, cell_cut, micro_size = t["itc_max_size_mm"], t["itc_max_cells_exclusive"], t["micrometastasis_max_size_mm"]
    if size_mm is not None and (contiguous or size_mm <= itc_size):  # the span of separate clusters bounds each one
        if size_mm > micro_size:
            return ("macrometastasis",)
        if size_mm > itc_size:
            return ("micrometastasis",)
        if cells is None:
            return ("itc", "micrometastasis")
        return ("micrometastasis",) if cells >= cell_cut else ("itc",)
    top = 3 if size_mm is None or size_mm > micro_size else 2  # the largest cluster is at most the span
    if cells is None:
        return _CLASSES[:top]
    return _CLASSES[1:top] if cells >= cell_cut else ("itc",)


def _by_size_and_cells(size_mm: float | None, cells: int | None, *, contiguous: bool) -> DepositClass:
    t = _thresholds()["deposit"]
    itc_size, cell_cut, micro_size = t["itc_max_size_mm"], t["itc_max_cells_exclusive"], t["micrometastasis_max_size_mm"]
    warnings: list[str] = []
    if cells is not None and cells == cell_cut:
        warnings.append(
            f"exactly {cell_cut} cells: the wording is ambiguous (AJCC: ITC are 'fewer than 200' cells; CAP: 'more "
            "than 200' cells make a micrometastasis); classed as micrometastasis because the ITC definition excludes "
            "it - confirm with the pathologist"
        )
    many_cells = cells is not None and cells >= cell_cut
    cell_text = f"{cells} cells in one cross-section" if cells is not None else "cell count not given"

    if size_mm is not None and contiguous:
        if size_mm > micro_size:
            return DepositClass("macrometastasis", f"largest contiguous deposit {size_mm:g} mm > {micro_size:g} mm",
                                tuple(warnings))
        if size_mm > itc_size:
            return DepositClass("micrometastasis",
                                f"largest contiguous deposit {size_mm:g} mm: > {itc_size:g} and <= {micro_size:g} mm",
                                tuple(warnings))
        if many_cells:
            return DepositClass("micrometastasis",
                                f"deposit {size_mm:g} mm <= {itc_size:g} mm but {cell_text} (>= {cell_cut}: "
                                "200-cell rule)", tuple(warnings))
        return DepositClass("itc", f"deposit {size_mm:g} mm <= {itc_size:g} mm, {cell_text}", tuple(warnings))

    if size_mm is not None:  # not contiguous: the span of separate clusters is only an upper bound
        if size_mm <= itc_size:
            return _by_size_and_cells(size_mm, cells, contiguous=True)
        if cells is None:
            return DepositClass(None, f"{size_mm:g} mm spans separate clusters (never summed) and no cell count",
                                tuple(warnings), (("size_mm", "the size of the largest contiguous cluster, or the "
                                                  "cell count in one cross-section, is needed to classify"),))
        if size_mm > micro_size and many_cells:
            return DepositClass(None, f"clusters spread over {size_mm:g} mm with {cell_text}: micrometastasis at "
                                "least, macrometastasis if one contiguous cluster exceeds 2 mm", tuple(warnings),
                                (("size_mm", "the size of the largest contiguous cluster decides micro- vs "
                                  "macrometastasis"),))
        category: DepositCategory = "micrometastasis" if many_cells else "itc"
        return DepositClass(category, f"dispersed cells over {size_mm:g} mm (clusters not summed): {cell_text}",
                            tuple(warnings))

    if cells is not None:  # a cell count alone
        if many_cells:
            warnings.append(_SIZE_NOT_GIVEN)
            return DepositClass("micrometastasis", f"{cell_text} (>= {cell_cut}: 200-cell rule), size not given",
                                tuple(warnings))
        return DepositClass("itc", f"{cell_text} (< {cell_cut}), size not given", tuple(warnings))
    return DepositClass(None, "neither size nor cell count given", tuple(warnings),
                        (("size_mm", "size of the largest contiguous deposit or a cell count is needed"),))


def classify_deposit(deposit: Deposit) -> DepositClass:
    """Class one deposit: OSNA by copy number, RT-PCR alone as molecular (mol+), H&E/IHC by size and cells."""
    method = deposit.method  # each field read once: no read of a pydantic attribute is specialised
    if method == "rt_pcr":
        notes: tuple[str, ...] = ()
        if deposit.size_mm is not None or deposit.cells is not None:
            notes = ("RT-PCR deposit: size/cell count ignored; if tumour was seen on histology, record method he/ihc",)
        return DepositClass("molecular", "RT-PCR positive only, no tumour seen on histology: (mol+)", notes)
    if method == "osna":
        copies = deposit.osna_copies_per_ul
        assert copies is not None  # guaranteed by Deposit validation
        return _by_osna(copies)
    method_name = "H&E" if method == "he" else "IHC"
    reported, size_mm, cells = deposit.reported_category, deposit.size_mm, deposit.cells
    if reported is not None and size_mm is None and cells is None:
        # The pathologist measured the node and reported its class (e.g. a synoptic count); no measure to re-check.
        return DepositClass(reported, f"{method_name}: {reported} as reported by the pathologist (no size or cell count "
                            "given)")
    contiguous = deposit.contiguous
    result = _by_size_and_cells(size_mm, cells, contiguous=contiguous)
    if reported is not None and result.category != reported and reported in _classes_allowed(size_mm, cells,
                                                                                             contiguous=contiguous):
        # The measure leaves the class open (no cell count, no size, or separate clusters) and the pathologist, who
        # saw the whole node, reported a class inside that range: the report decides, consistent with the measure.
        return DepositClass(reported, f"{method_name}: {reported} as reported by the pathologist, which the measure "
                                      f"allows ({result.basis})",
                            tuple(w for w in result.warnings if w != _SIZE_NOT_GIVEN))
    warnings = result.warnings
    if reported is not None and result.category is not None and result.category != reported:
        warnings = (*warnings, f"the pathologist reported {reported}, but the measure given makes it "
                               f"{result.category}: the measure is used - check the report")
    return DepositClass(result.category, f"{method_name}: {result.basis}", warnings, result.missing)


def node_category(categories: list[str | None]) -> str | None:
    """A node's class from its deposits: the most severe; undecidable if an unknown deposit could be worse."""
    if len(categories) == 1:  # one deposit (most nodes): its class, known or not
        return categories[0]
    known = [c for c in categories if c is not None]
    worst = max(known, key=SEVERITY.__getitem__) if known else None
    if len(known) < len(categories) and worst != "macrometastasis":
        return None
    return worst
