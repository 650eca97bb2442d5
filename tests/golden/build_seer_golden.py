#!/usr/bin/env python3
"""Build ``ajcc8_seer_golden.jsonl``: AJCC 8 staging cases whose expected stage groups come from the public
SEER/IMS staging tables, not from micromets' own code or knowledge files.

This script is documentation and a reproducible build step; the tests never import it. It uses only the
standard library and the raw table files saved next to it, so it can be re-run from a clean checkout:

    python tests/golden/build_seer_golden.py            # rewrites ajcc8_seer_golden.jsonl and disputed.jsonl
    python tests/golden/build_seer_golden.py --check    # fails if the committed files differ from a rebuild

Sources (public data, read through a code-search index of public GitHub repositories)
------------------------------------------------------------------------------------
Repository ``imsweb/staging-client-java``, folder
``algorithm-eod/src/main/resources/algorithms/eod_public/3.2/tables/`` (SEER EOD public algorithm 3.2):

==========================================  ==============================================  ==========================
file (saved verbatim under ``seer/``)        content                                         commit read
==========================================  ==============================================  ==========================
tnm_8_path_stage_group_breast_21522.json    AJCC 8 pathological prognostic stage group      173325280258fe0263f03d5d0fddeac75100d0c9
tnm_8_stage_group_breast_16868.json         AJCC 8 clinical prognostic stage group          173325280258fe0263f03d5d0fddeac75100d0c9
oncotype_less_than_11_10827.json            Oncotype DX RS -> "OncoType < 11" YES/NO flag   11627b482c2889b89bfefd7eaeb7518af0f805a6
==========================================  ==============================================  ==========================

The saved files are byte-identical to the stored text (their lengths equal the index's ``total_chars``:
11,975 / 10,326 / 739 characters); ``SHA256`` below pins them. Also read, not saved (only to confirm the
input codes): ``schemas/breast.json`` (commit 11627b48…: the stage inputs are ER Summary, PR Summary,
HER2 Overall Summary, grade, Oncotype DX RS), ``tables/her2_summary_30512.json`` (0 = negative *or
equivocal*, 1 = positive, 7/9 unknown) and ``tables/er_summary_44166.json`` (0 = negative, "0.0 % or less than
1 %"; 1 = positive; 7/9 unknown). PR Summary uses the same 0/1/7/9 codes.

The **anatomic** stage group is not in those tables; it is taken from the AJCC 8 anatomic table as restated in
``/work/shared/reference/ajcc8-breast-staging.md`` §4 (AJCC Cancer Staging Manual 8th ed., ch. 48, public
anatomic stage table) and transcribed below in ``AJCC_ANATOMIC``; each line's ``source`` says so.

Decoding of the SEER table language
-----------------------------------
* A table has ``definition`` (columns; ``INPUT`` columns, then one ``ENDPOINT`` column) and ``rows``.
* An input cell is a comma-separated list of items; an item is a literal code (``1C``, ``0I+``), an inclusive
  range ``a-b`` (``1-3`` for grade, ``000-010`` for the recurrence score: compared as numbers), ``*`` (any value),
  or the empty item (matches a blank input; e.g. the trailing comma in ``9,L,M,H,A,B,C,D,``).
* The endpoint is ``VALUE:<result>`` or ``ERROR:<message>``. Rows are tried in order; the **first** matching row
  gives the result (staging-client semantics). The script also checks that no later matching row gives a
  different value, so row order never decides a golden value.
* Stage values: ``0``, ``1A``..``3C``, ``4`` -> 0, IA..IIIC, IV; ``99`` = unknown / not a valid combination,
  ``88`` = not applicable. Cases whose SEER result is 99, 88 or an ERROR are not generated.
* Input codes (no c/p prefix in these tables): T ``0, IS/ISD/ISP, 1MI, 1A, 1B, 1C, 2, 3, 4A..4D, X``;
  N ``0, 0I+, 0M+, 1MI, 1A, 1B, 1C, 2A, 2B, 3A, 3B, 3C, X`` (clinical table: ``0, 1MI, 1, 2A, 2B, 3A..3C``);
  M ``0, 0I+, 1``; grade ``1..3``; HER2/ER/PR ``1`` positive, ``0`` negative; ``oncotype11`` ``YES``/``NO`` from
  the Oncotype table (RS 000-010 -> YES, 011-100 -> NO, blank/unknown -> NO).

Mapping a micromets case (contract v1) to those codes
------------------------------------------------------
Each golden case is built *category first* (choose T, N, M, grade, HER2, ER, PR, RS), then encoded as a case:

* T: invasive ``tumour.size_mm`` an integer well inside the band (reference §1, SEER integer-mm mapping):
  T1mi 1; T1a 3-4; T1b 7-9; T1c 12-18; T2 25-45; T3 60-90; T0 = size 0. T4a/b/c/d = ``t_extension``
  chest_wall / skin / chest_wall_and_skin / inflammatory with any size. Tis = ``in_situ_only`` (N0 M0 only).
* Pathological N (surgery ``{"breast": "bcs"|"mastectomy", "status": "done"}``), by the AJCC pN definitions
  (reference §2.4); a macrometastasis is a deposit > 2 mm (2.5-15 mm used), a micrometastasis 0.4-1.8 mm, ITC
  0.1 mm: N0 (no deposit), N0(i+) (ITC only), N0(mol+) (RT-PCR only), N1mi (1-3 nodes with micrometastases),
  N1a (1-3 positive nodes, >= 1 macro), N1b (``internal_mammary: sentinel_microscopic``, axilla negative),
  N1c (N1a + IMN sentinel), N2a (4-9 positive, >= 1 macro), N2b (``internal_mammary: clinically_detected``,
  axilla negative), N3a (>= 10 positive, or ``infraclavicular``), N3b (clinically detected IMN + positive
  axilla, or 4-9 positive + IMN sentinel), N3c (``supraclavicular``).
* Clinical cases (surgery planned, ``nodes.procedure: "none"``): ``clinical_nodes`` cN0..cN3c.
  Operated cases also carry a ``clinical_nodes`` value (the clinical prognostic stage of an operated case uses
  tumour.size_mm for cT and ``clinical_nodes`` for cN, docs/staging.md §5), chosen to fit the pN:
  N0/N0(i+)/N0(mol+)/N1mi/N1b -> cN0 (cN1 for T0, since cT0 cN0 is not a valid clinical combination),
  N1a/N1c -> cN1, N2a -> cN2a, N2b -> cN2b, N3a -> cN3a, N3b -> cN3b, N3c -> cN3c.
* M: ``cM0`` / ``cM0(i+)`` -> 0 / 0I+; ``cM1`` / ``pM1`` -> 1.
* Grade 1-3 -> grade. ER: ``er_percent`` >= 1 positive (90, 50, 5 = ER-low, 1 used) else negative (0, 0.5);
  SEER ER Summary codes 1-10 % as positive as well. PR likewise (40, 1 / 0).
  HER2 positive: IHC 3+ or IHC 2+ with ISH group 1 (ratio 2.6, 6.1 copies); negative: IHC 0, ultralow, 1+, or
  2+ with ISH group 5 (ratio 1.3, 2.8 copies). IHC 2+ without ISH (equivocal) is never used: SEER codes
  equivocal as 0 (negative), AJCC/micromets treat it as unknown.
* Oncotype: ``oncotype_rs`` None / 5 / 10 / 11 / 25; formatted ``%03d`` into the Oncotype table.

Expected values per line: ``pathological_prognostic_stage`` (operated cases: SEER path table; clinical cases:
null, by the contract — no pathological stage before surgery), ``clinical_prognostic_stage`` (SEER clinical
table at cT = T, cN = clinical_nodes), ``anatomic_stage`` (AJCC table §4, from pT/pN or cT/cN), plus the base
``t`` and ``n`` categories the case was built for (e.g. ``T1c``, ``N0(i+)``; prefixes and the ``(sn)`` suffix
are not compared).

Exclusions (cells where the SEER table extends or differs from AJCC; none of them is generated)
---------------------------------------------------------------------------------------------
1. **Oncotype < 11 on T0-T1 N1 (N1a/N1b/N1c)**: the SEER path table applies RS < 11 -> IA also to T0-1 N1
   HER2-negative ER-positive rows (grade 1-2 PR-negative, grade 3 any PR). AJCC 8 (2018 update) says the
   genomic rule applies to "T1N0M0 or T2N0M0" only (reference §6 caveat). Every such cell where SEER's YES row
   differs from its NO row is left out of the golden file and listed in ``disputed.jsonl`` (kind
   ``seer_extension_oncotype_n1``) with the SEER and the AJCC value; cells where YES and NO agree are kept.
2. T0 N0 (SEER: 99 / ERROR "Clinical T0N0M0 is not a valid combination"; AJCC: not valid).
3. Tis with N+ or M1 (SEER: 99; AJCC: Tis N+ is not a valid combination, Tis M1 would be IV). Tis N0 M0 -> 0 is
   kept.
4. HER2 equivocal without ISH (SEER code 0 = negative; AJCC: unknown) - see above.
5. TX/NX/unknown grade or biomarkers (SEER: 99) - micromets assigns no prognostic stage; not golden material.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEER_DIR = HERE / "seer"
GOLDEN = HERE / "ajcc8_seer_golden.jsonl"
DISPUTED = HERE / "disputed.jsonl"

REPO = "imsweb/staging-client-java"
FOLDER = "algorithm-eod/src/main/resources/algorithms/eod_public/3.2/tables/"
SOURCES = {
    "tnm_8_path_stage_group_breast_21522": "173325280258fe0263f03d5d0fddeac75100d0c9",
    "tnm_8_stage_group_breast_16868": "173325280258fe0263f03d5d0fddeac75100d0c9",
    "oncotype_less_than_11_10827": "11627b482c2889b89bfefd7eaeb7518af0f805a6",
}
SHA256 = {
    "tnm_8_path_stage_group_breast_21522": "edb2bd0be7bf48b8b263f9bb18bd5ba6ed0ff7a9354dee0f0e7da019fbd5ddfc",
    "tnm_8_stage_group_breast_16868": "adf88646741b91082bfdabae2d90370df412a05aa46807624a51e7ac477a4879",
    "oncotype_less_than_11_10827": "e2ba224b5bc512305bd7e3d5fd61d0f791a577d3837d3b1c1812a81d6916ea06",
}
PATH_TABLE, CLIN_TABLE, ONCO_TABLE = SOURCES

SEED = 20180101

# ---------------------------------------------------------------------------------------------------------
# SEER table interpreter
# ---------------------------------------------------------------------------------------------------------


def _item_matches(item: str, value: str) -> bool:
    item = item.strip()
    if item == "*":
        return True
    if item == "":
        return value == ""
    if "-" in item and not item.startswith("-"):
        low, high = item.split("-", 1)
        if low.isdigit() and high.isdigit():
            return value.isdigit() and int(low) <= int(value) <= int(high)
    return item == value


def cell_matches(cell: str, value: str) -> bool:
    if cell == "*":
        return True
    return any(_item_matches(item, value) for item in cell.split(","))


class SeerTable:
    def __init__(self, name: str):
        path = SEER_DIR / f"{name}.json"
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != SHA256[name]:
            raise SystemExit(f"{path} changed: sha256 {digest}, expected {SHA256[name]}")
        data = json.loads(raw)
        self.name = name
        self.inputs = [c["key"] for c in data["definition"] if c["type"] == "INPUT"]
        self.rows: list[list[str]] = data["rows"]

    def lookup(self, **values: str) -> tuple[int, str]:
        """(1-based row number, endpoint) of the first matching row; checks later matches do not disagree."""
        keys = self.inputs
        missing = set(keys) - set(values)
        if missing:
            raise KeyError(f"{self.name}: inputs {sorted(missing)} not given")
        matches = [(i + 1, row[-1]) for i, row in enumerate(self.rows)
                   if all(cell_matches(row[j], values[k]) for j, k in enumerate(keys))]
        if not matches:
            raise LookupError(f"{self.name}: no row matches {values}")
        first = matches[0]
        if any(endpoint != first[1] for _, endpoint in matches[1:]):
            raise LookupError(f"{self.name}: rows disagree for {values}: {matches}")
        return first


STAGE_NAMES = {"0": "0", "1A": "IA", "1B": "IB", "2A": "IIA", "2B": "IIB", "3A": "IIIA", "3B": "IIIB",
               "3C": "IIIC", "4": "IV"}


def stage_value(endpoint: str) -> str | None:
    """'VALUE:2A' -> 'IIA'; 99/88/ERROR -> None (not golden material)."""
    kind, _, value = endpoint.partition(":")
    if kind != "VALUE":
        return None
    return STAGE_NAMES.get(value)


# ---------------------------------------------------------------------------------------------------------
# AJCC 8 anatomic stage groups: reference §4 (AJCC anatomic table), NOT from SEER and NOT from micromets code.
# T groups: T0, Tis, T1 (incl. T1mi), T2, T3, T4; N groups: N0 (incl. i+, mol+), N1mi, N1 (a/b/c), N2, N3.
# ---------------------------------------------------------------------------------------------------------

AJCC_ANATOMIC: list[tuple[str, set[str], set[str]]] = [
    ("0", {"Tis"}, {"N0"}),
    ("IA", {"T1"}, {"N0"}),
    ("IB", {"T0", "T1"}, {"N1mi"}),
    ("IIA", {"T0", "T1"}, {"N1"}),
    ("IIA", {"T2"}, {"N0"}),
    ("IIB", {"T2"}, {"N1"}),
    ("IIB", {"T3"}, {"N0"}),
    ("IIIA", {"T0", "T1", "T2"}, {"N2"}),
    ("IIIA", {"T3"}, {"N1", "N2"}),
    ("IIIB", {"T4"}, {"N0", "N1", "N2"}),
    ("IIIC", {"T0", "T1", "T2", "T3", "T4"}, {"N3"}),
]


def t_group(t: str) -> str:
    return t if t in ("T0", "Tis") else t[:2]


def n_group(n: str) -> str:
    base = n.split("(")[0]
    return "N1mi" if base == "N1mi" else base[:2]


def ajcc_anatomic(t: str, n: str, m1: bool) -> str | None:
    if m1:
        return "IV"  # Any T, any N, M1
    tg, ng = t_group(t), n_group(n)
    if ng == "N1mi" and tg in ("T2", "T3", "T4"):
        ng = "N1"  # reference §4: for T2-T4, N1mi is staged as N1
    for stage, ts, ns in AJCC_ANATOMIC:
        if tg in ts and ng in ns:
            return stage
    return None


# ---------------------------------------------------------------------------------------------------------
# Categories -> SEER codes
# ---------------------------------------------------------------------------------------------------------

T_CATEGORIES = ["T0", "T1mi", "T1a", "T1b", "T1c", "T2", "T3", "T4a", "T4b", "T4c", "T4d"]
PN_CATEGORIES = ["N0", "N0(i+)", "N0(mol+)", "N1mi", "N1a", "N1b", "N1c", "N2a", "N2b", "N3a", "N3b", "N3c"]
CN_CATEGORIES = ["cN0", "cN1mi", "cN1", "cN2a", "cN2b", "cN3a", "cN3b", "cN3c"]

SEER_T = {"T0": "0", "Tis": "IS", "T1mi": "1MI", "T1a": "1A", "T1b": "1B", "T1c": "1C", "T2": "2", "T3": "3",
          "T4a": "4A", "T4b": "4B", "T4c": "4C", "T4d": "4D"}
SEER_PN = {"N0": "0", "N0(i+)": "0I+", "N0(mol+)": "0M+", "N1mi": "1MI", "N1a": "1A", "N1b": "1B", "N1c": "1C",
           "N2a": "2A", "N2b": "2B", "N3a": "3A", "N3b": "3B", "N3c": "3C"}
SEER_CN = {"cN0": "0", "cN1mi": "1MI", "cN1": "1", "cN2a": "2A", "cN2b": "2B", "cN3a": "3A", "cN3b": "3B",
           "cN3c": "3C"}
SEER_M = {"cM0": "0", "cM0(i+)": "0I+", "cM1": "1", "pM1": "1"}

# cN that fits a pN (operated cases), see the module docstring.
CN_FOR_PN = {"N0": "cN0", "N0(i+)": "cN0", "N0(mol+)": "cN0", "N1mi": "cN0", "N1a": "cN1", "N1b": "cN0",
             "N1c": "cN1", "N2a": "cN2a", "N2b": "cN2b", "N3a": "cN3a", "N3b": "cN3b", "N3c": "cN3c"}

# Row groups A-E of the AJCC prognostic tables (reference §5) - used ONLY to spread the 24 grade x HER2 x ER x PR
# cells evenly over the T/N combinations; the expected values themselves come from the SEER tables.


def row_group(t: str, n: str) -> str:
    tg, ng = t_group(t), n_group(n.removeprefix("c"))
    if ng == "N3" or tg == "T4":
        return "E"
    if ng == "N2" or (tg == "T3" and ng in ("N1", "N1mi")):
        return "D"
    if (tg == "T2" and ng in ("N1", "N1mi")) or (tg == "T3" and ng == "N0"):
        return "C"
    if (tg in ("T0", "T1") and ng == "N1") or (tg == "T2" and ng == "N0"):
        return "B"
    return "A"


# ---------------------------------------------------------------------------------------------------------
# Case construction
# ---------------------------------------------------------------------------------------------------------

SIZES = {"T0": [0], "T1mi": [1], "T1a": [3, 4], "T1b": [7, 8, 9], "T1c": [12, 15, 18], "T2": [25, 30, 40, 45],
         "T3": [60, 75, 90]}
EXTENSION = {"T4a": "chest_wall", "T4b": "skin", "T4c": "chest_wall_and_skin", "T4d": "inflammatory"}
ER_POS, ER_NEG = [90, 50, 5, 1], [0, 0, 0, 0.5]
PR_POS, PR_NEG = [40, 1], [0]
HER2_POS: list[dict[str, Any]] = [{"her2_ihc": "3+"}, {"her2_ihc": "3+"}, {"her2_ihc": "2+", "her2_ish_ratio": 2.6, "her2_ish_copies": 6.1}]
HER2_NEG: list[dict[str, Any]] = [{"her2_ihc": "1+"}, {"her2_ihc": "0"}, {"her2_ihc": "ultralow"},
            {"her2_ihc": "2+", "her2_ish_ratio": 1.3, "her2_ish_copies": 2.8}]
RS_CHOICES = [None, 5, 25, None, 10, 11]


def tumour(rng: random.Random, t: str, grade: int | None, her2: bool | None, er: bool | None,
           pr: bool | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if t == "Tis":
        out.update(size_mm=0, in_situ_only=True, histology="ductal")
        return out
    if t in EXTENSION:
        out.update(size_mm=rng.choice([15, 30, 60]), t_extension=EXTENSION[t])
    else:
        out.update(size_mm=rng.choice(SIZES[t]), t_extension="none")
    out.update(histology=rng.choice(["ductal", "ductal", "lobular", "mixed"]), grade=grade,
               er_percent=rng.choice(ER_POS if er else ER_NEG), pr_percent=rng.choice(PR_POS if pr else PR_NEG))
    out.update(rng.choice(HER2_POS if her2 else HER2_NEG))
    return out


def _deposits(rng: random.Random, micro: int, macro: int, first_node: int = 1) -> list[dict[str, Any]]:
    kinds = ["macro"] * macro + ["micro"] * micro
    rng.shuffle(kinds)
    out = []
    for i, kind in enumerate(kinds):
        size = rng.choice([2.5, 4.0, 6.0, 9.0, 15.0]) if kind == "macro" else rng.choice([0.4, 0.8, 1.2, 1.8])
        out.append({"node": first_node + i, "size_mm": size, "method": rng.choice(["he", "he", "ihc"])})
    return out


def nodes_for(rng: random.Random, n: str) -> dict[str, Any]:
    """A nodal pathology finding that is pN ``n`` by the AJCC 8 definitions (reference §2.4)."""
    base: dict[str, Any] = {"internal_mammary": "none", "supraclavicular": False, "infraclavicular": False}
    if n in ("N0", "N0(i+)", "N0(mol+)", "N1mi", "N1b"):
        base.update(procedure="slnb", examined=rng.choice([1, 2, 3, 4]))
        if n == "N0":
            base["deposits"] = []
        elif n == "N0(i+)":
            base["deposits"] = [{"node": 1, "size_mm": 0.1, "method": rng.choice(["he", "ihc"])}]
        elif n == "N0(mol+)":
            base["deposits"] = [{"node": 1, "method": "rt_pcr"}]
        elif n == "N1mi":
            count = rng.randint(1, min(3, base["examined"]))
            base["deposits"] = _deposits(rng, micro=count, macro=0)
        else:  # N1b: internal mammary sentinel node metastasis, axilla negative
            base["deposits"] = []
            base["internal_mammary"] = "sentinel_microscopic"
        return base
    if n in ("N1a", "N1c"):
        positive = rng.randint(1, 3)
        macro = rng.randint(1, positive)
        base.update(procedure=rng.choice(["slnb", "slnb_then_alnd", "alnd"]))
        base["examined"] = rng.choice([3, 4]) if base["procedure"] == "slnb" else rng.choice([12, 15])
        base["deposits"] = _deposits(rng, micro=positive - macro, macro=macro)
        if n == "N1c":
            base["internal_mammary"] = "sentinel_microscopic"
        return base
    if n == "N2a":
        positive = rng.randint(4, 9)
        macro = rng.randint(1, positive)
        base.update(procedure=rng.choice(["slnb_then_alnd", "alnd"]), examined=rng.choice([14, 18]),
                    deposits=_deposits(rng, micro=positive - macro, macro=macro))
        return base
    if n == "N2b":  # clinically detected internal mammary node(s), pathologically negative axilla
        base.update(procedure="alnd", examined=rng.choice([10, 14]), deposits=[],
                    internal_mammary="clinically_detected")
        return base
    if n == "N3a":
        base.update(procedure="alnd", examined=rng.choice([18, 24]))
        if rng.random() < 0.5:
            positive = rng.randint(10, 14)
            macro = rng.randint(1, positive)
            base["deposits"] = _deposits(rng, micro=positive - macro, macro=macro)
        else:  # infraclavicular (level III) node(s)
            base["deposits"] = _deposits(rng, micro=0, macro=rng.randint(1, 3))
            base["infraclavicular"] = True
        return base
    if n == "N3b":
        base.update(procedure="alnd", examined=rng.choice([14, 18]))
        if rng.random() < 0.5:  # pN1a/pN2a with clinically detected IMN
            positive = rng.randint(1, 9)
            base["deposits"] = _deposits(rng, micro=0, macro=positive)
            base["internal_mammary"] = "clinically_detected"
        else:  # pN2a with IMN sentinel metastasis
            positive = rng.randint(4, 9)
            macro = rng.randint(1, positive)
            base["deposits"] = _deposits(rng, micro=positive - macro, macro=macro)
            base["internal_mammary"] = "sentinel_microscopic"
        return base
    if n == "N3c":
        base.update(procedure="alnd", examined=rng.choice([14, 18]),
                    deposits=_deposits(rng, micro=0, macro=rng.randint(1, 5)), supraclavicular=True)
        return base
    raise ValueError(n)


def seer_biomarkers(grade: int, her2: bool, er: bool, pr: bool) -> dict[str, str]:
    return {"grade": str(grade), "her2_summary": "1" if her2 else "0", "er": "1" if er else "0",
            "pr": "1" if pr else "0"}


class Builder:
    def __init__(self) -> None:
        self.path = SeerTable(PATH_TABLE)
        self.clin = SeerTable(CLIN_TABLE)
        self.onco = SeerTable(ONCO_TABLE)
        self.rng = random.Random(SEED)
        self.lines: list[dict[str, Any]] = []
        self.disputed: list[dict[str, Any]] = []
        self.counter = itertools.count(1)

    def oncotype11(self, rs: int | None) -> str:
        _, endpoint = self.onco.lookup(oncotype_dx_score="" if rs is None else f"{rs:03d}")
        return endpoint.removeprefix("VALUE:")

    # --- one case -----------------------------------------------------------------------------------------
    def add(self, kind: str, t: str, n: str, m: str, grade: int, her2: bool, er: bool, pr: bool,
            rs: int | None, cn: str | None = None) -> None:
        rng = self.rng
        marks = seer_biomarkers(grade, her2, er, pr)
        m1 = SEER_M[m] == "1"
        case: dict[str, Any] = {"id": "", "age": rng.choice([42, 55, 63, 71]), "sex": "female"}
        case["menopausal_status"] = "pre" if case["age"] < 50 else "post"
        case["tumour"] = tumour(rng, t, grade, her2, er, pr)
        sources = []
        if kind == "path":
            cn = cn or CN_FOR_PN[n]
            if t == "T0" and cn == "cN0":
                cn = "cN1"
            case["clinical_nodes"] = cn
            case["nodes"] = nodes_for(rng, n)
            case["metastasis"] = m
            breast = "mastectomy" if t_group(t) in ("T3", "T4") else rng.choice(["bcs", "mastectomy"])
            case["surgery"] = {"breast": breast, "status": "done"}
            row, endpoint = self.path.lookup(t=SEER_T[t], n=SEER_PN[n], m=SEER_M[m], oncotype11=self.oncotype11(rs),
                                             **marks)
            pathological = stage_value(endpoint)
            sources.append(f"{PATH_TABLE} row {row}")
            expected_n = n
        else:
            assert cn is None
            cn = n
            case["clinical_nodes"] = cn
            case["nodes"] = {"procedure": "none"}
            case["metastasis"] = m
            case["surgery"] = {"breast": "mastectomy" if t_group(t) in ("T3", "T4") else "bcs", "status": "planned"}
            pathological = None
            sources.append("pathological: null (clinically staged case, contract §1)")
            expected_n = n.removeprefix("c")
        if rs is not None:
            case["oncotype_rs"] = rs
        crow, cendpoint = self.clin.lookup(t=SEER_T[t], n=SEER_CN[cn], m=SEER_M[m], **marks)
        clinical = stage_value(cendpoint)
        sources.append(f"{CLIN_TABLE} row {crow}")
        anatomic_n = n if kind == "path" else n.removeprefix("c")
        anatomic = ajcc_anatomic(t, anatomic_n, m1)
        sources.append("anatomic: AJCC 8 anatomic table (reference §4), not SEER")
        if (kind == "path" and pathological is None) or clinical is None or anatomic is None:
            raise AssertionError(f"not golden material: {kind} {t} {n} {m} {marks} rs={rs} cN={cn}")

        # Exclusion 1: the SEER Oncotype extension to T0-1 N1 (AJCC: T1-2 N0 only).
        if kind == "path" and not m1 and t_group(t) in ("T0", "T1") and n_group(n) == "N1" and rs is not None:
            _, no_endpoint = self.path.lookup(t=SEER_T[t], n=SEER_PN[n], m=SEER_M[m], oncotype11="NO", **marks)
            ajcc_value = stage_value(no_endpoint)
            if ajcc_value != pathological:
                self.disputed.append({
                    "kind": "seer_extension_oncotype_n1",
                    "note": ("SEER applies Oncotype RS < 11 -> IA to T0-1 N1; AJCC 8 (2018) limits the genomic rule "
                             "to T1-2 N0. Not asserted; micromets follows AJCC."),
                    "case": case | {"id": f"seer-x-{len(self.disputed) + 1:03d}"},
                    "seer": {"pathological_prognostic_stage": pathological, "source": f"{PATH_TABLE} row {row}"},
                    "ajcc": {"pathological_prognostic_stage": ajcc_value,
                             "source": f"{PATH_TABLE} with oncotype11=NO (RS rule not applicable)"},
                })
                return
        case["id"] = f"seer-{kind[0]}-{next(self.counter):04d}"
        self.lines.append({"case": case, "expected": {
            "t": t, "n": expected_n,
            "pathological_prognostic_stage": pathological,
            "clinical_prognostic_stage": clinical,
            "anatomic_stage": anatomic,
            "source": "; ".join(sources),
        }})

    # --- sampling -----------------------------------------------------------------------------------------
    def biomarker_cycle(self, group_key: str) -> itertools.cycle[tuple[int, bool, bool, bool]]:
        cells = list(itertools.product([1, 2, 3], [True, False], [True, False], [True, False]))
        random.Random(f"{SEED}-{group_key}").shuffle(cells)
        return itertools.cycle(cells)

    def sample(self, kind: str, pairs: list[tuple[str, str]], per_pair: int) -> None:
        """Every (T, N) pair with ``per_pair`` biomarker cells, cycling so each row group sees all 24 cells."""
        by_group: dict[str, list[tuple[str, str]]] = {}
        for t, n in pairs:
            by_group.setdefault(row_group(t, n), []).append((t, n))
        for group, members in sorted(by_group.items()):
            cycle = self.biomarker_cycle(f"{kind}-{group}")
            k = max(per_pair, -(-24 // len(members)))  # at least 24 cells per row group
            rs_cycle = itertools.cycle(RS_CHOICES)
            for t, n in members:
                for _ in range(k):
                    grade, her2, er, pr = next(cycle)
                    rs = next(rs_cycle)
                    m = "cM0(i+)" if self.rng.random() < 0.05 else "cM0"
                    self.add(kind, t, n, m, grade, her2, er, pr, rs)
                    # Genomic rule (AJCC: T1-2 N0 M0, HER2-, ER+): always test both sides of RS 11.
                    if (kind == "path" and t_group(t) in ("T1", "T2") and n_group(n) == "N0" and not her2 and er):
                        other = 25 if rs is None or rs < 11 else 5
                        self.add(kind, t, n, m, grade, her2, er, pr, other)

    def build(self) -> None:
        path_pairs = [(t, n) for t in T_CATEGORIES for n in PN_CATEGORIES if not (t == "T0" and n_group(n) == "N0")]
        self.sample("path", path_pairs, per_pair=5)
        clin_pairs = [(t, n) for t in T_CATEGORIES for n in CN_CATEGORIES if not (t == "T0" and n == "cN0")]
        self.sample("clin", clin_pairs, per_pair=4)
        rng = self.rng
        # Boundary RS 10 / 11 on the cells where the AJCC genomic rule changes the stage (T2 N0, HER2-, ER+).
        for grade, pr in [(1, False), (2, False), (3, True), (3, False)]:
            for rs in (10, 11):
                self.add("path", "T2", rng.choice(["N0", "N0(i+)", "N0(mol+)"]), "cM0", grade, False, True, pr, rs)
        # Tis N0 M0 -> 0 (pathological and clinical).
        for kind in ("path", "clin"):
            for _ in range(3):
                self.add(kind, "Tis", "N0" if kind == "path" else "cN0", "cM0", rng.randint(1, 3), False, True, True,
                         None)
        # M1 -> IV whatever T and N (T0 N0 M1 included: AJCC "any T any N M1"; SEER row "*" N, M 1 -> 4).
        for t in T_CATEGORIES:
            for kind, ncats in (("path", PN_CATEGORIES), ("clin", CN_CATEGORIES)):
                for _ in range(2):
                    n = rng.choice(ncats)
                    grade, her2, er, pr = rng.randint(1, 3), rng.random() < .3, rng.random() < .7, rng.random() < .6
                    self.add(kind, t, n, rng.choice(["cM1", "pM1"]) if kind == "path" else "cM1", grade, her2, er, pr,
                             rng.choice(RS_CHOICES))


def render(builder: Builder) -> tuple[str, str]:
    golden = "".join(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n" for line in builder.lines)
    header = {"note": ("Not asserted by any test. Each line has a 'kind'. seer_extension_oncotype_n1: a cell where the "
                       f"SEER table (imsweb staging-client-java eod_public 3.2, {PATH_TABLE}) extends the AJCC 8 "
                       "Oncotype rule to T0-1 N1, left out of the golden file; 'seer' is the table's value, 'ajcc' "
                       "the value without the extension (what micromets gives). Disagreements between micromets and "
                       "the golden file would be listed here with kind 'micromets_disagreement'; none was found. "
                       "See build_seer_golden.py.")}
    disputed = "".join(json.dumps(x, separators=(",", ":"), ensure_ascii=False) + "\n"
                       for x in [header, *builder.disputed])
    return golden, disputed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed golden file")
    args = parser.parse_args()
    builder = Builder()
    builder.build()
    golden, disputed = render(builder)
    if args.check:
        ok = GOLDEN.read_text(encoding="utf-8") == golden
        print("golden file is up to date" if ok else "golden file differs from a rebuild")
        return 0 if ok else 1
    GOLDEN.write_text(golden, encoding="utf-8")
    DISPUTED.write_text(disputed, encoding="utf-8")
    print(f"{len(builder.lines)} golden cases -> {GOLDEN.name}; {len(builder.disputed)} excluded SEER-extension "
          f"cells -> {DISPUTED.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
