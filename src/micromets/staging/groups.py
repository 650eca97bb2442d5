"""Stage groups: small interpreters over the AJCC 8 tables in ``knowledge/staging``.

    >>> anatomic_stage("T1", "N1mi", "M0")
    'IB'
    >>> prognostic_stage("pathological", "T1", "N1mi", "M0", grade=2, her2_positive=False,
    ...                  er_positive=True, pr_positive=True)
    'IA'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from micromets.knowledge import load_json


@cache
def _table(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_json(f"staging/{name}.json")
    return data


def _m0(m_group: str) -> bool:
    return m_group == "M0"


def anatomic_stage(t_group: str | None, n_group: str | None, m_group: str | None) -> str | None:
    """Anatomic stage from T (T0/Tis/T1..T4), N (N0/N1mi/N1/N2/N3) and M (M0/M1) groups; None if not assignable."""
    table = _table("anatomic")
    if m_group == "M1":
        return str(table["metastatic_stage"])
    if m_group is None or n_group is None:
        return None
    if t_group is None:  # TX: only an N whose stage does not depend on T (any T N3) has a group
        whatever_t: dict[str, str] = table["stage_whatever_t"]
        return whatever_t.get(n_group)
    if n_group == "N1mi" and t_group in table["n1mi_as_n1_for"]:
        n_group = "N1"
    return _anatomic_groups().get((t_group, n_group))  # None e.g. for T0 N0, Tis N+: not valid AJCC combinations


@cache  # the packaged table, indexed once: (T, N) -> the stage of the first row that lists it
def _anatomic_groups() -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for row in _table("anatomic")["rows"]:
        for t in row["t"]:
            for n in row["n"]:
                index.setdefault((t, n), str(row["stage"]))
    return index


def prognostic_group(t_group: str | None, n_group: str) -> str | None:
    """Row group A-E of the prognostic tables (same for both tables), or None for combinations not listed; T None
    (TX) has a group only where T does not matter (any T N3)."""
    if t_group is None:
        whatever_t: dict[str, str] = _table("prognostic_pathological")["row_group_whatever_t"]
        return whatever_t.get(n_group)
    return _row_groups().get((t_group, n_group))


@cache  # the packaged table, indexed once: (T, N) -> the first row group that lists it
def _row_groups() -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for group, combos in _table("prognostic_pathological")["row_groups"].items():
        for t, n in combos:
            index.setdefault((t, n), str(group))
    return index


@cache  # the packaged table, indexed once: (HER2, ER, PR positive) -> the position of the column named after them
def _columns(kind: str) -> dict[tuple[bool, bool, bool], int]:
    columns: list[str] = _table(f"prognostic_{kind}")["columns"]
    sign = {True: "pos", False: "neg"}
    return {(her2, er, pr): columns.index(f"her2_{sign[her2]}_er_{sign[er]}_pr_{sign[pr]}")
            for her2 in (True, False) for er in (True, False) for pr in (True, False)}


@cache  # the packaged table of each kind, read once: its cells, its genomic rule (if any) and its column index
def _prognostic_table(kind: str) -> tuple[dict[str, Any], dict[str, Any] | None, dict[tuple[bool, bool, bool], int]]:
    table = _table(f"prognostic_{kind}")
    return table["cells"], table.get("genomic_rule"), _columns(kind)


def prognostic_stage(
    kind: str,
    t_group: str | None,
    n_group: str | None,
    m_group: str | None,
    *,
    grade: int | None,
    her2_positive: bool | None,
    er_positive: bool | None,
    pr_positive: bool | None,
    oncotype_rs: int | None = None,
) -> str | None:
    """Clinical or pathological prognostic stage (``kind``), or None when any input is unknown."""
    return prognostic_stage_and_group(kind, t_group, n_group, m_group, grade, her2_positive, er_positive, pr_positive,
                                      oncotype_rs)[0]


def prognostic_stage_and_group(kind: str, t_group: str | None, n_group: str | None, m_group: str | None,
                               grade: int | None, her2_positive: bool | None, er_positive: bool | None,
                               pr_positive: bool | None, oncotype_rs: int | None) -> tuple[str | None, str | None]:
    """:func:`prognostic_stage` and the row group of T and N (:func:`prognostic_group`; None when T or N is
    unknown), looked up once: the stage reads it, and so does the audit path."""
    cells, rule, columns = _prognostic_table(kind)
    group = prognostic_group(t_group, n_group) if n_group else None
    if m_group == "M1":
        return "IV", group
    if m_group is None or n_group is None or (t_group is None and group is None):
        return None, group
    if t_group == "Tis" and n_group == "N0":
        return "0", group
    # AJCC 8 (2018): RS < 11 in T1-2 N0 HER2- ER+ is IA whatever the grade, PR any: unknown grade or PR do not block it.
    if (rule and oncotype_rs is not None and oncotype_rs < rule["oncotype_rs_below"]
            and [t_group, n_group] in rule["applies_to"] and her2_positive is False and er_positive is True):
        return str(rule["stage"]), group
    if grade is None or her2_positive is None or er_positive is None or pr_positive is None:
        return None, group
    if group is None:
        return None, group
    column = columns[bool(her2_positive), bool(er_positive), bool(pr_positive)]
    return str(cells[group][str(grade)][column]), group


def genomic_rule_applies(t_group: str | None, n_group: str | None, *, her2_positive: bool | None,
                         er_positive: bool | None, oncotype_rs: int | None, pr_positive: bool | None = None) -> bool:
    """Whether the Oncotype < 11 rule set the pathological stage (for the audit path); PR does not matter."""
    rule = _table("prognostic_pathological")["genomic_rule"]
    return bool(oncotype_rs is not None and oncotype_rs < rule["oncotype_rs_below"]
                and [t_group, n_group] in rule["applies_to"] and her2_positive is False and er_positive)
