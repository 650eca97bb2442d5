"""AJCC 8th edition staging: T, N, M, the anatomic and the prognostic stage groups.

Every step is recorded in ``Staging.path`` so a registrar can follow how the stage was reached.

    >>> from micromets.model import parse_case
    >>> from micromets.pathology import classify
    >>> case = parse_case({"tumour": {"size_mm": 18, "grade": 2, "er_percent": 90, "pr_percent": 40,
    ...                               "her2_ihc": "1+"}, "metastasis": "cM0", "clinical_nodes": "cN0",
    ...                    "surgery": {"breast": "bcs", "status": "done"},
    ...                    "nodes": {"procedure": "slnb", "examined": 3,
    ...                              "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]}})
    >>> s = stage(case, classify(case).findings).staging
    >>> (s.t, s.n, s.anatomic_stage, s.pathological_prognostic_stage)
    ('pT1c', 'pN1mi(sn)', 'IB', 'IA')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from micromets.model import Case, Findings, MissingItem, Staging
from micromets.model._built import StagingFields, built, built_missing
from micromets.staging.categories import base_category, n_group, split_category, t_group
from micromets.staging.groups import (
    anatomic_stage,
    genomic_rule_applies,
    prognostic_group,
    prognostic_stage,
    prognostic_stage_and_group,
)
from micromets.staging.tnm import (
    IMN_CLINICAL_N,
    clinical_n,
    format_category,
    pathological_n,
    rounded_size_mm,
    t_category,
    t_from_size,
)

__all__ = [
    "StagingResult",
    "anatomic_stage",
    "base_category",
    "clinical_n",
    "n_group",
    "pathological_n",
    "prognostic_group",
    "prognostic_stage",
    "rounded_size_mm",
    "split_category",
    "stage",
    "t_category",
    "t_from_size",
    "t_group",
]


@dataclass(frozen=True)
class StagingResult:
    staging: Staging
    missing: list[MissingItem]
    warnings: list[str]


_EDITION: str = Staging.model_fields["edition"].default


def _m_group(metastasis: str | None) -> str | None:
    if metastasis is None:
        return None
    return "M1" if metastasis in ("cM1", "pM1") else "M0"


def _biomarkers(findings: Findings) -> tuple[bool | None, bool | None, bool | None]:
    """Whether HER2, ER and PR are positive (None: unknown)."""
    her2, er, pr = findings.her2, findings.er, findings.pr
    her2_positive = None if her2 in (None, "equivocal") else her2 == "positive"
    er_positive = None if er is None else er != "negative"
    pr_positive = None if pr is None else pr == "positive"
    return her2_positive, er_positive, pr_positive


class _Builder:
    """Collects the categories, the audit path, missing inputs and warnings of one staging run."""

    def __init__(self, case: Case, findings: Findings, node_categories: Mapping[int, str | None] | None):
        self.case, self.findings, self.node_categories = case, findings, node_categories
        self.path: list[str] = []
        self.missing: list[MissingItem] = []
        self.warnings: list[str] = []
        tumour = self.tumour = case.tumour
        self.neoadjuvant = bool(case.neoadjuvant)
        self.grade = tumour.grade if tumour is not None else None  # both prognostic stages read it
        # Both properties of the case, read once: each looks through its sections again.
        # A nodal procedure that retrieved no node (examined 0) gives no pathological N: AJCC 8 pN0 needs nodes
        # examined, so the stage uses the clinical N as when no node was removed.
        nodes = case.nodes
        self.nodal_pathology = case.has_nodal_pathology and not (nodes is not None and nodes.examined == 0)
        self.clinically_staged = case.is_clinically_staged
        # The T category of the case as given (size, extension, in situ): the stage's T and, without
        # neoadjuvant therapy, the clinical prognostic stage's cT.
        self.t_as_given = (t_category(tumour.size_mm, tumour.t_extension, tumour.in_situ_only) if tumour is not None
                           else t_category(None, None, None))
        self.t_group_as_given = t_group(self.t_as_given[0])  # the stage's T group, and the clinical one's without NST
        self.marks = _biomarkers(findings)  # both prognostic stages read them

    def need(self, field: str, why: str) -> None:
        if field not in {m.field for m in self.missing}:
            self.missing.append(built_missing(field, why))

    def t(self) -> str | None:
        base, why = self.t_as_given
        self.path.append(f"T: {why} [staging/t_size.json]")
        if base is None:
            self.need("tumour.size_mm", "the invasive tumour size decides the T category")
        return base

    def prognostic(self, kind: str, tg: str | None, ng: str | None, m_group: str | None) -> str | None:
        """The ``kind`` prognostic stage from the T and N groups (``t_group``, ``n_group``) and M."""
        (her2, er, pr), grade = self.marks, self.grade
        rs = self.case.oncotype_rs if kind == "pathological" else None
        result, group = prognostic_stage_and_group(kind, tg, ng, m_group, grade, her2, er, pr, rs)
        # Without a grade only the Oncotype < 11 rule (IA whatever the grade), M1 and Tis N0 give a stage.
        if grade is None and result is None and m_group == "M0" and not (tg == "Tis" and ng == "N0"):
            self.need("tumour.grade", "the prognostic stage groups need the histological grade")
        if rs is not None and m_group == "M0" and genomic_rule_applies(tg, ng, her2_positive=her2, er_positive=er,
                                                                       oncotype_rs=rs, pr_positive=pr):
            self.path.append(f"pathological prognostic: Oncotype DX recurrence score {rs} < 11 in {tg} N0 M0, "
                             "HER2-negative, ER-positive -> IA [staging/prognostic_pathological.json genomic_rule]")
        elif result is not None:
            self.path.append(f"{kind} prognostic: {tg or 'TX'} {ng or 'NX'} {m_group} group {group or '-'}, grade {grade}, "
                             f"HER2 {_PM[her2]} ER {_PM[er]} PR {_PM[pr]} -> {result} [staging/prognostic_{kind}.json]")
        else:
            self.path.append(f"{kind} prognostic: not assigned (an input is unknown)")
        return result


#: pN suffixes that mark residual nodal tumour (isolated tumour cells, a molecular finding).
_RESIDUAL_SUFFIXES = frozenset({"i+", "mol+"})

#: A biomarker in the audit path: positive, negative or unknown.
_PM = {True: "+", False: "-", None: "?"}


def stage(case: Case, findings: Findings, *, node_categories: Mapping[int, str | None] | None = None) -> StagingResult:
    """Stage a case whose pathology findings are known (see ``micromets.pathology.classify``).

    ``node_categories``: each node's class as ``classify`` found it (``PathologyResult.node_categories``), so that
    the pN does not work it out again; without it, it is worked out from ``findings.deposits``, to the same stage.
    """
    b = _Builder(case, findings, node_categories)
    neoadjuvant = b.neoadjuvant
    m_text = case.metastasis
    m_group = _m_group(m_text)
    if m_group is None:
        b.need("metastasis", "every stage group needs M (cM0 when there is no clinical or radiographic evidence "
                             "of distant metastasis)")

    if b.clinically_staged:
        prefix = "yc" if neoadjuvant else "c"
        t_base = b.t()
        clinical_nodes = case.clinical_nodes
        n_base = clinical_n(clinical_nodes)
        if b.nodal_pathology:
            b.path.append(f"N: clinical, {clinical_nodes or 'unknown'} (the nodes removed before the breast surgery "
                          "do not change it here)")
            _nodes_before_the_primary(b, n_base)
        else:
            b.path.append(f"N: clinical, {clinical_nodes or 'unknown'} (no nodal surgery yet)")
        if n_base is None:
            b.need("clinical_nodes", "the clinical N category (examination and imaging) is needed before surgery")
        n_text = format_category(prefix, n_base or "NX")
        anatomic = anatomic_stage(b.t_group_as_given, n_group(n_base), m_group)
        pathological = None
        b.path.append("pathological prognostic: not applicable before surgery")
    else:
        prefix = "yp" if neoadjuvant else "p"
        t_base = b.t()
        n_base, n_suffixes = _pathological_n(b)
        # No node examined: the stage uses the clinical N, which after neoadjuvant therapy is the post-treatment ycN.
        n_text = format_category(prefix if b.nodal_pathology else "yc" if neoadjuvant else "c",
                                 n_base or "NX", n_suffixes)
        tg, ng = b.t_group_as_given, n_group(n_base)
        # ypT0 ypN0, (sn) or not, is a complete response: no stage group (AJCC 8), unless M1 (stage IV stays).
        # Residual ITC or a molecular finding is no complete response: (i+) and (mol+) go to the table.
        if (neoadjuvant and tg == "T0" and ng == "N0" and b.nodal_pathology and m_group != "M1"
                and not _RESIDUAL_SUFFIXES.intersection(n_suffixes)):
            anatomic = None
            b.path.append("anatomic: ypT0 ypN0 - complete pathological response, no stage group is assigned")
        else:
            anatomic = anatomic_stage(tg, ng, m_group)
            b.path.append(f"anatomic: {tg or 'TX'} {ng or 'NX'} {m_group} -> {anatomic or 'not assignable'} [staging/anatomic.json]")
            if anatomic is None and tg and ng and m_group:
                b.warnings.append(f"{tg} {ng} is not a valid AJCC 8 combination for a stage group")
        if neoadjuvant:
            pathological = None
            b.path.append("pathological prognostic: not applicable after neoadjuvant therapy (ypTNM uses the "
                          "anatomic table)")
        else:
            pathological = b.prognostic("pathological", tg, ng, m_group)

    clinical = _clinical_prognostic(b, m_group)
    # Built without validating again (micromets.model._built): mypy checks each value's type through the TypedDict;
    # the edition is the model's default, left out of the fields set as when it is not given.
    fields: StagingFields = {
        "t": format_category(prefix, t_base or "TX", _t_suffixes(b, t_base)),
        "n": n_text,
        "m": m_text,
        "anatomic_stage": anatomic,
        "pathological_prognostic_stage": pathological,
        "clinical_prognostic_stage": clinical,
        "edition": _EDITION,
        "path": b.path,
    }
    staging = built(Staging, fields, defaults=("edition",))
    return StagingResult(staging, b.missing, b.warnings)


def _t_suffixes(b: _Builder, t_base: str | None) -> list[str]:
    """AJCC 8: several invasive foci are staged by the largest, with (m) appended; never summed."""
    tumour = b.tumour
    if tumour is None or not tumour.multifocal or t_base in (None, "T0", "Tis", "TX"):
        return []
    b.path.append(f"T: multiple invasive foci -> {t_base} of the largest focus with the (m) suffix (sizes never "
                  "summed) [AJCC 8]")
    return ["m"]


def _pathological_n(b: _Builder) -> tuple[str | None, list[str]]:
    case = b.case
    if not b.nodal_pathology:
        clinical_nodes = case.clinical_nodes
        n_base = clinical_n(clinical_nodes)
        if n_base is None:
            b.need("nodes.procedure", "no nodes were examined and no clinical N category is given: N is unknown")
            b.path.append("N: nodes not examined, clinical N unknown -> NX")
            return None, []
        after = " after neoadjuvant therapy (yc)" if b.neoadjuvant else ""
        b.warnings.append(f"no nodes were examined pathologically: the stage uses the clinical {clinical_nodes}"
                          f"{after}")
        b.path.append(f"N: nodes not examined; clinical {clinical_nodes}{after} used")
        return n_base, []
    n_base, suffixes, why = pathological_n(case, b.findings, by_node=b.node_categories)
    b.path.append(f"N: {why}")
    clinical_nodes = case.clinical_nodes
    if clinical_nodes in IMN_CLINICAL_N and case.nodes is not None and case.nodes.internal_mammary is None:
        # Not inferred: whether the imaged internal mammary node is still there (e.g. after therapy) is not known.
        b.warnings.append(f"clinical {clinical_nodes} means internal mammary node(s) detected clinically, but "
                          "nodes.internal_mammary is not given: the pN ignores them. If they are still present, "
                          "record nodes.internal_mammary 'clinically_detected' (AJCC 8: pN2b with a negative axilla, "
                          "pN3b with pN1a/pN2a)")
    if n_base is None:
        b.need("nodes.deposits", "every deposit must be classifiable to assign N")
    if n_base == "N1mi" and (b.findings.micrometastatic_nodes or 0) >= 4:
        b.warnings.append("four or more nodes with micrometastases only: AJCC 8 has no count limit for N1mi, "
                          "so this stays N1mi; confirm with the pathologist")
    return n_base, suffixes


def _nodes_before_the_primary(b: _Builder, n_base: str | None) -> None:
    """AJCC 8: nodes removed before the primary (a sentinel biopsy first, e.g. before neoadjuvant therapy) are staged
    clinically (cN1mi exists for micrometastases found so). A clinical N below what they show is flagged: the stage
    uses clinical_nodes as given, and guessing the cN category from the pathology is left to the user."""
    positive, macro = b.findings.positive_nodes, b.findings.macrometastatic_nodes
    # After neoadjuvant therapy clinical_nodes is the post-treatment ycN, which such nodes need not match.
    if b.neoadjuvant or not positive or n_group(n_base) not in (None, "N0"):
        return
    b.warnings.append(f"the nodes removed before the breast surgery show {positive} positive node(s) "
                      f"({'with' if macro else 'micrometastases only, no'} macrometastasis), but clinical_nodes is "
                      f"{b.case.clinical_nodes or 'not given'}: AJCC 8 stages nodes removed before the primary "
                      "clinically (cN1mi for micrometastases only, cN1 or higher for a macrometastasis). Record "
                      "clinical_nodes from that pathology; the clinical stage here uses clinical_nodes as given.")


def _clinical_prognostic(b: _Builder, m_group: str | None) -> str | None:
    """Clinical prognostic stage: before therapy. After neoadjuvant therapy it uses the pre-treatment findings."""
    case = b.case
    if b.neoadjuvant:
        before = case.neoadjuvant_therapy
        size = before.pre_treatment_size_mm if before else None
        nodes = before.pre_treatment_clinical_nodes if before else None
        if size is None:
            b.need("neoadjuvant_therapy.pre_treatment_size_mm", "the clinical stage is assigned before therapy")
        if nodes is None:
            b.need("neoadjuvant_therapy.pre_treatment_clinical_nodes", "the clinical stage is assigned before therapy")
        tumour = b.tumour
        extension = before.pre_treatment_t_extension if before else None
        residual = tumour.t_extension if tumour is not None else None
        if extension is None and residual not in (None, "none"):
            # A residual extension after therapy was there before it; the reverse does not hold.
            extension = residual
            b.path.append(f"clinical prognostic: pre-treatment extension not given; the residual extension "
                          f"'{extension}' is used")
        tg = t_group(t_category(size, extension, None)[0])
        n_base = clinical_n(nodes)
    else:
        tg = b.t_group_as_given
        n_base = clinical_n(case.clinical_nodes)
        if n_base is None:
            b.need("clinical_nodes", "the clinical prognostic stage needs the clinical N category")
        elif not b.clinically_staged:
            b.path.append("clinical prognostic: cT taken from tumour.size_mm (the case format has one tumour size)")
    return b.prognostic("clinical", tg, n_group(n_base), m_group)
