"""Independent scalar re-implementation of PREDICT v2.2 / v3.0, written from the model
specification text (/work/shared/reference/predict-model.md §2, §2.1, §2.2, §3) and the brief's
list of corrected defects. Plain Python floats and an explicit year loop; every constant is
typed here from the specification, NOT loaded from the package's JSON files, so that a
transcription error in either place makes the comparison tests fail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ORDER = {
    "2.2": ("endocrine", "chemotherapy", "trastuzumab", "bisphosphonate"),
    "3.0": ("endocrine", "radiotherapy", "chemotherapy", "trastuzumab", "bisphosphonate"),
}


@dataclass
class Patient:
    age: float
    size: float
    nodes: float
    grade: float  # nan = unknown
    screen: float  # nan = unknown
    er: int
    her2: float  # nan = unknown
    ki67: float
    pr: float = math.nan
    smoker: float = math.nan
    heart_gy: float = math.nan


@dataclass
class Tx:
    endocrine: bool = False
    years: int = 5
    chemo: int = 0
    trastuzumab: bool = False
    bisphosphonate: bool = False
    radiotherapy: bool = False


def prognostic_index(p: Patient, version: str) -> float:
    """Breast-cancer PI without treatments (spec §2; §3 additions for v3.0)."""
    g = 2.13 if math.isnan(p.grade) else p.grade
    d = 0.204 if math.isnan(p.screen) else p.screen
    her2 = 0.2413 if p.her2 == 1 else (-0.0762 if p.her2 == 0 else 0.0)
    A = p.age / 10
    ln_n = math.log((p.nodes + 1) / 10)
    if p.er == 1:
        ki67 = 0.14904 if p.ki67 == 1 else (-0.11333 if p.ki67 == 0 else 0.0)
        pi = (
            34.53642 * (A**-2 - 0.0287449295)
            - 34.20342 * (A**-2 * math.log(A) - 0.0510121013)
            + 0.7530729 * (math.log(p.size / 100) + 1.545233938)
            + 0.7060723 * (ln_n + 1.387566896)
            + 0.746655 * g
            - 0.22763366 * d
            + her2
            + ki67
        )
    else:
        # v2.x: equality with 2 or 3 (unknown 2.13 -> 0); v3.0: g >= 2 (unknown -> 1)
        g_neg = float(g in (2.0, 3.0)) if version == "2.2" else float(g >= 2)
        pi = (
            0.0089827 * (p.age - 56.3254902)
            + 2.093446 * (math.sqrt(p.size / 100) - 0.5090456276)
            + 0.6260541 * (ln_n + 1.086916249)
            + 1.129091 * g_neg
            + her2
        )
    if version == "3.0":
        if p.er == 1:
            pr = -0.0619 if p.pr == 1 else (0.2624 if p.pr == 0 else 0.0)
        else:
            pr = -0.2231 if p.pr == 1 else (0.0296 if p.pr == 0 else 0.0)
        pi += pr + math.log(1 / (0.31 + 0.69 * 0.82))
    return pi


def other_index(p: Patient, t: Tx, version: str) -> float:
    mi = 0.0698252 * ((p.age / 10) ** 2 - 34.23391957)
    if version == "3.0":
        mi += math.log(1 / (0.31 + 0.69 * 1.04**2))
        rr = 0.25 * 2 + 0.75
        if p.smoker == 1:
            mi += math.log(rr / (0.9 + 0.1 * rr))
        elif p.smoker == 0:
            mi += math.log(1 / (0.9 + 0.1 * rr))
        if t.chemo > 0:
            mi += math.log(1.2)
        if t.radiotherapy:
            heart = 2.0 if math.isnan(p.heart_gy) else p.heart_gy
            mi += math.log(1.04) * heart
    return mi


def treatment_effect(name: str, p: Patient, t: Tx, year: int, version: str) -> float:
    if name == "endocrine":
        if not (t.endocrine and p.er == 1):
            return 0.0
        return -0.3857 + (-0.26 if (t.years == 10 and year >= 11) else 0.0)
    if name == "chemotherapy":
        return {0: 0.0, 2: -0.248, 3: -0.446}[t.chemo]
    if name == "trastuzumab":
        return -0.3567 if (t.trastuzumab and p.her2 == 1) else 0.0
    if name == "bisphosphonate":
        return -0.198 if t.bisphosphonate else 0.0
    if name == "radiotherapy":
        return math.log(0.82) if (t.radiotherapy and version == "3.0") else 0.0
    raise KeyError(name)


def base_br(t: int, er: int) -> float:
    if t == 0:
        return 0.0
    if er == 1:
        return math.exp(0.7424402 - 7.527762 / t**0.5 - 1.812513 * math.log(t) / t**0.5)
    return math.exp(-1.156036 + 0.4707332 / t**2 - 3.51355 / t)


def base_oth(t: int) -> float:
    if t == 0:
        return 0.0
    return math.exp(-6.052919 + 1.079863 * math.log(t) + 0.3255321 * t**0.5)


def reference(p: Patient, t: Tx, version: str, columns: tuple[str, ...]) -> dict[str, list[list[float]]]:
    """OS, D_br, D_oth per column (columns[0] == 'surgery'), each a list of 15 yearly values."""
    pi = prognostic_index(p, version)
    mi = other_index(p, t, version)
    out: dict[str, list[list[float]]] = {"os": [], "br": [], "oth": []}
    for k in range(len(columns)):
        applied = columns[1 : k + 1]
        h_br = 0.0
        s_br_prev = s_oth_prev = s_all_prev = 1.0
        d_br = d_oth = 0.0
        os_k, br_k, oth_k = [], [], []
        for year in range(1, 16):
            rx = sum(treatment_effect(name, p, t, year, version) for name in applied)
            h_br += (base_br(year, p.er) - base_br(year - 1, p.er)) * math.exp(pi + rx)
            s_br = math.exp(-h_br)
            s_oth = math.exp(-math.exp(mi) * base_oth(year))
            s_all = s_br * s_oth
            m_br, m_oth, m_all = s_br_prev - s_br, s_oth_prev - s_oth, s_all_prev - s_all
            share = m_br / (m_br + m_oth)
            d_br += share * m_all
            d_oth += (1 - share) * m_all
            os_k.append(1 - d_br - d_oth)
            br_k.append(d_br)
            oth_k.append(d_oth)
            s_br_prev, s_oth_prev, s_all_prev = s_br, s_oth, s_all
        out["os"].append(os_k)
        out["br"].append(br_k)
        out["oth"].append(oth_k)
    return out
