"""Pathology findings: nodal deposits, receptor status, subtype and response to neoadjuvant therapy.

    >>> from micromets.model import parse_case
    >>> case = parse_case({"nodes": {"procedure": "slnb", "examined": 3,
    ...                              "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}})
    >>> classify(case).findings.micrometastatic_nodes
    1
"""

from __future__ import annotations

from dataclasses import dataclass

from micromets.model import Case, DepositFinding, Findings, MissingItem
from micromets.model._built import DepositFindingFields, built
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


def node_categories(findings: Findings) -> dict[int, str | None]:
    """Each node's class (the most severe of its deposits; None when undecidable)."""
    return _node_categories(findings.deposits)


def _node_categories(deposits: list[DepositFinding]) -> dict[int, str | None]:
    per_node: dict[int, list[str | None]] = {}
    for deposit in deposits:
        per_node.setdefault(deposit.node, []).append(deposit.category)
    return {node: node_category(cats) for node, cats in sorted(per_node.items())}


def _nodal(case: Case, missing: list[MissingItem], warnings: list[str]) -> dict[str, object]:
    nodes = case.nodes
    if nodes is None or not case.has_nodal_pathology:
        return {}
    deposits: list[DepositFinding] = []
    for i, deposit in enumerate(nodes.deposits):
        result: DepositClass = classify_deposit(deposit)
        # Built without validating again (micromets.model._built): mypy checks the types through the TypedDict.
        deposits.append(built(DepositFinding, DepositFindingFields(node=deposit.node, category=result.category,
                                                                   basis=result.basis)))
        if result.warnings:
            warnings.extend(f"nodes.deposits[{i}]: {w}" for w in result.warnings)
        if result.missing:
            missing.extend(MissingItem(field=f"nodes.deposits[{i}].{f}", why=why) for f, why in result.missing)
    counts: dict[str, object] = {"deposits": deposits}
    by_node = _node_categories(deposits)
    if any(c is None for c in by_node.values()):
        counts.update(positive_nodes=None, micrometastatic_nodes=None, macrometastatic_nodes=None, itc_nodes=None)
        return counts
    values = list(by_node.values())
    counts.update(
        positive_nodes=sum(c in ("micrometastasis", "macrometastasis") for c in values),
        micrometastatic_nodes=values.count("micrometastasis"),
        macrometastatic_nodes=values.count("macrometastasis"),
        itc_nodes=values.count("itc"),
    )
    return counts


def _complete_response(case: Case, findings: Findings, missing: list[MissingItem], warnings: list[str]) -> bool | None:
    """pCR = no invasive tumour in breast (ypT0/Tis) and none in the nodes; residual ITCs are not pCR."""
    if not case.neoadjuvant:
        return None
    tumour = case.tumour
    if tumour is None or tumour.size_mm is None:
        missing.append(MissingItem(field="tumour.size_mm", why="residual invasive size (0 = none) decides pCR"))
        return None
    if tumour.size_mm > 0:
        return False
    if not case.has_nodal_pathology:
        missing.append(MissingItem(field="nodes.procedure", why="pCR needs nodes examined after neoadjuvant therapy"))
        return None
    by_node = node_categories(findings)
    if any(c in ("itc", "micrometastasis", "macrometastasis") for c in by_node.values()):
        return False
    if any(c is None for c in by_node.values()):
        return None
    if any(c == "molecular" for c in by_node.values()):
        warnings.append("molecular-only nodal finding after neoadjuvant therapy: pCR cannot be confirmed")
        return None
    return True


def classify(case: Case) -> PathologyResult:
    """All pathology findings of a case, with what is missing and any warnings."""
    missing: list[MissingItem] = []
    warnings: list[str] = []
    tumour = case.tumour
    values: dict[str, object] = _nodal(case, missing, warnings)

    # Receptors are read whenever invasive disease was sampled: after neoadjuvant therapy (ypT0 included)
    # they come from the pre-treatment core biopsy, and for T0 N+ from the nodal tumour (AJCC 8). In situ
    # carcinoma with a nodal metastasis means invasion that was not found: its receptors are read too.
    positive = values.get("positive_nodes")
    occult_invasion = bool(tumour and tumour.in_situ_only and isinstance(positive, int) and positive > 0)
    if occult_invasion:
        warnings.append("In situ carcinoma only, yet a nodal metastasis: invasive carcinoma was probably missed in "
                        "the breast. Review the breast pathology (further levels, receptors on the nodal tumour); "
                        "the systemic decisions treat the disease as invasive.")
    if tumour is not None and (not tumour.in_situ_only or occult_invasion):
        er, pr = er_status(tumour.er_percent), pr_status(tumour.pr_percent)
        her2 = her2_status(tumour.her2_ihc, tumour.her2_ish_ratio, tumour.her2_ish_copies)
        if tumour.er_percent is None:
            missing.append(MissingItem(field="tumour.er_percent", why="ER decides endocrine therapy, subtype and stage"))
        if tumour.pr_percent is None:
            missing.append(MissingItem(field="tumour.pr_percent", why="PR is needed for the prognostic stage group"))
        if her2.missing:
            missing.extend(MissingItem(field=f, why=w) for f, w in her2.missing)
        warnings.extend(her2.warnings)
        kind, sub_missing = subtype(er, pr, her2.status)
        if sub_missing:
            missing.extend(MissingItem(field=f, why=w) for f, w in sub_missing if f not in {m.field for m in missing})
        if er == "low_positive":
            warnings.append("ER low positive (1-10 %): heterogeneous, often behaves like triple-negative disease; "
                            "endocrine benefit is uncertain (ASCO/CAP 2020)")
        values.update(er=er, pr=pr, her2=her2.status, her2_ish_group=her2.ish_group, subtype=kind)
    elif tumour is None:
        missing.append(MissingItem(field="tumour", why="no tumour findings: T, receptors and subtype are unknown"))

    findings = Findings.model_validate(values)
    pcr = _complete_response(case, findings, missing, warnings)
    if pcr is not None:
        findings = findings.model_copy(update={"pathological_complete_response": pcr})
    return PathologyResult(findings=findings, missing=missing, warnings=warnings)
