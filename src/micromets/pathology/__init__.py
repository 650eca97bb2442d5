"""Pathology findings: nodal deposits, receptor status, subtype and response to neoadjuvant therapy.

    >>> from micromets.model import parse_case
    >>> case = parse_case({"nodes": {"procedure": "slnb", "examined": 3,
    ...                              "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}})
    >>> classify(case).findings.micrometastatic_nodes
    1
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from micromets.model import Case, DepositFinding, Findings, MissingItem
from micromets.model._built import DepositFindingFields, FindingsFields, built, built_missing
from micromets.model.assessment import ErStatus, Her2Status, PrStatus, Subtype
from micromets.pathology.deposits import SEVERITY, DepositClass, classify_deposit, node_category
from micromets.pathology.receptors import er_status, her2_ish_group, her2_status, pr_status, subtype

__all__ = [
    "SEVERITY",
    "DepositClass",
    "PathologyResult",
    "classify",
    "classify_deposit",
    "er_status",
    "her2_ish_group",
    "her2_status",
    "node_categories",
    "pr_status",
    "subtype",
]


@dataclass(frozen=True)
class PathologyResult:
    findings: Findings
    missing: list[MissingItem]
    warnings: list[str]
    #: Each examined node's class (``node_categories(findings)``, worked out once here for staging); None when
    #: not given.
    node_categories: dict[int, str | None] | None = None


def node_categories(findings: Findings) -> dict[int, str | None]:
    """Each node's class (the most severe of its deposits; None when undecidable)."""
    return _node_categories((deposit.node, deposit.category) for deposit in findings.deposits)


def _node_categories(deposits: Iterable[tuple[int, str | None]]) -> dict[int, str | None]:
    """Each node's class from its deposits' (node, class) pairs."""
    per_node: dict[int, list[str | None]] = {}
    for node, category in deposits:
        per_node.setdefault(node, []).append(category)
    return {node: node_category(cats) for node, cats in sorted(per_node.items())}


class _Nodal(NamedTuple):
    deposits: list[DepositFinding]
    by_node: dict[int, str | None]
    #: positive, micrometastatic, macrometastatic and ITC nodes; None when a node's class is undecidable.
    counts: tuple[int, int, int, int] | None


def _nodal(case: Case, missing: list[MissingItem], warnings: list[str]) -> _Nodal | None:
    nodes = case.nodes
    if nodes is None or not case.has_nodal_pathology:
        return None
    deposits: list[DepositFinding] = []
    classes: list[tuple[int, str | None]] = []  # each deposit's node and class, as its DepositFinding holds them
    for i, deposit in enumerate(nodes.deposits):
        category, basis, deposit_warnings, deposit_missing = classify_deposit(deposit)
        node = deposit.node
        classes.append((node, category))
        # Built without validating again (micromets.model._built): mypy checks the types through the TypedDict.
        fields: DepositFindingFields = {"node": node, "category": category, "basis": basis}
        deposits.append(built(DepositFinding, fields))
        if deposit_warnings:
            warnings.extend(f"nodes.deposits[{i}]: {w}" for w in deposit_warnings)
        if deposit_missing:
            missing.extend(built_missing(f"nodes.deposits[{i}].{f}", why) for f, why in deposit_missing)
    by_node = _node_categories(classes)
    values = list(by_node.values())
    if None in values:
        return _Nodal(deposits, by_node, None)
    micro, macro = values.count("micrometastasis"), values.count("macrometastasis")
    return _Nodal(deposits, by_node, (micro + macro, micro, macro, values.count("itc")))


def _complete_response(case: Case, by_node: dict[int, str | None], missing: list[MissingItem],
                       warnings: list[str]) -> bool | None:
    """pCR = no invasive tumour in breast (ypT0/Tis) and none in the nodes; residual ITCs are not pCR (AJCC 8).

    Residual disease in the internal mammary, infraclavicular or supraclavicular nodes is nodal disease too (ypN1b and
    above), whatever the axilla shows. An RT-PCR-only node (ypN0(mol+): no tumour seen on H&E or IHC) is ypN0: the
    response is judged histologically, as the trials that define residual disease did (CTNeoBC and FDA 2014: no
    invasive cancer on H&E in breast and nodes; CREATE-X, KATHERINE and OlympiA: residual invasive disease on
    pathology), so it is a pCR, with a warning."""
    if not case.neoadjuvant:
        return None
    tumour = case.tumour
    size = tumour.size_mm if tumour is not None else None
    # In situ carcinoma only (Tis) is no invasive residual, with or without a size of 0 (the case format allows both).
    if tumour is None or (size is None and not tumour.in_situ_only):
        missing.append(built_missing("tumour.size_mm", "residual invasive size (0 = none) decides pCR"))
        return None
    if size is not None and size > 0:
        return False
    nodes = case.nodes
    if nodes is not None and (nodes.internal_mammary in ("sentinel_microscopic", "clinically_detected")
                              or nodes.supraclavicular or nodes.infraclavicular):
        return False
    if not case.has_nodal_pathology:
        missing.append(built_missing("nodes.procedure", "pCR needs nodes examined after neoadjuvant therapy"))
        return None
    if case.nodes is not None and case.nodes.examined == 0:
        # AJCC 8: ypN0 needs nodes examined; a sentinel procedure that retrieved no node shows no nodal response.
        missing.append(built_missing("nodes.examined", "no node was retrieved: pCR needs nodes examined after "
                                                       "neoadjuvant therapy"))
        return None
    if any(c in ("itc", "micrometastasis", "macrometastasis") for c in by_node.values()):
        return False
    if any(c is None for c in by_node.values()):
        return None
    if any(c == "molecular" for c in by_node.values()):
        warnings.append("RT-PCR-only nodal finding after neoadjuvant therapy (ypN0(mol+), AJCC 8: N0): no tumour was "
                        "seen on H&E or IHC, so it is read as a pathological complete response, as the trials define "
                        "residual disease histologically (CTNeoBC/FDA 2014, CREATE-X, KATHERINE, OlympiA); molecular "
                        "nodal assessment after neoadjuvant therapy is not validated for treatment decisions")
    return True


def classify(case: Case) -> PathologyResult:
    """All pathology findings of a case, with what is missing and any warnings."""
    missing: list[MissingItem] = []
    warnings: list[str] = []
    tumour = case.tumour
    nodal = _nodal(case, missing, warnings)

    # Receptors are read whenever invasive disease was sampled: after neoadjuvant therapy (ypT0 and ypTis included)
    # they come from the pre-treatment core biopsy, and for T0 N+ from the nodal tumour (AJCC 8). In situ
    # carcinoma with a nodal metastasis means invasion that was not found: its receptors are read too.
    positive = nodal.counts[0] if nodal is not None and nodal.counts is not None else None
    in_situ_only = tumour.in_situ_only if tumour is not None else None
    occult_invasion = bool(tumour and in_situ_only and positive is not None and positive > 0)
    if occult_invasion:
        warnings.append("In situ carcinoma only, yet a nodal metastasis: invasive carcinoma was probably missed in "
                        "the breast. Review the breast pathology (further levels, receptors on the nodal tumour); "
                        "the systemic decisions treat the disease as invasive.")
    er: ErStatus | None = None
    pr: PrStatus | None = None
    her2: Her2Status | None = None
    ish_group: int | None = None
    kind: Subtype | None = None
    # After neoadjuvant therapy residual in situ carcinoma only (ypTis) still had an invasive cancer, sampled before
    # treatment: its core-biopsy receptors decide the adjuvant therapy (e.g. completing a year of trastuzumab).
    read = tumour is not None and (not in_situ_only or occult_invasion or bool(case.neoadjuvant))
    if tumour is not None and read:
        er_percent, pr_percent = tumour.er_percent, tumour.pr_percent
        er, pr = er_status(er_percent), pr_status(pr_percent)
        her2, ish_group, _, her2_missing, her2_warnings = her2_status(tumour.her2_ihc, tumour.her2_ish_ratio,
                                                                       tumour.her2_ish_copies)
        if er_percent is None:
            missing.append(built_missing("tumour.er_percent", "ER decides endocrine therapy, subtype and stage"))
        if pr_percent is None:
            missing.append(built_missing("tumour.pr_percent", "PR is needed for the prognostic stage group"))
        if her2_missing:
            missing.extend(built_missing(f, w) for f, w in her2_missing)
        warnings.extend(her2_warnings)
        kind, sub_missing = subtype(er, pr, her2)
        if sub_missing:
            missing.extend(built_missing(f, w) for f, w in sub_missing if f not in {m.field for m in missing})
        if er == "low_positive":
            warnings.append("ER low positive (1-10 %): heterogeneous, often behaves like triple-negative disease; "
                            "endocrine benefit is uncertain (ASCO/CAP 2020)")
    elif tumour is None:
        missing.append(built_missing("tumour", "no tumour findings: T, receptors and subtype are unknown"))

    pcr = _complete_response(case, nodal.by_node if nodal is not None else {}, missing, warnings)
    counts = nodal.counts if nodal is not None else None
    positive_nodes, micro, macro, itc = counts if counts is not None else (None, None, None, None)
    # Built without validating again (micromets.model._built): mypy checks each value's type through the TypedDict.
    # The fields this case gives no value for (no nodal pathology, receptors not read, no pCR question) are left
    # out of the fields set, as validation of the values given leaves them out.
    fields: FindingsFields = {
        "deposits": nodal.deposits if nodal is not None else [],
        "positive_nodes": positive_nodes,
        "micrometastatic_nodes": micro,
        "itc_nodes": itc,
        "macrometastatic_nodes": macro,
        "er": er,
        "pr": pr,
        "her2": her2,
        "her2_ish_group": ish_group,
        "subtype": kind,
        "pathological_complete_response": pcr,
    }
    findings = built(Findings, fields, defaults=(*(() if nodal is not None else _NODAL_FIELDS), *(() if read else _RECEPTOR_FIELDS),
                 *(() if pcr is not None else ("pathological_complete_response",))))
    return PathologyResult(findings, missing, warnings, nodal.by_node if nodal is not None else {})


_NODAL_FIELDS = ("deposits", "positive_nodes", "micrometastatic_nodes", "itc_nodes", "macrometastatic_nodes")
_RECEPTOR_FIELDS = ("er", "pr", "her2", "her2_ish_group", "subtype")
