"""Builds ``diagnostic_vignettes.jsonl``: pathology and staging edge cases with the answers written from the sources.

A blind audit of the diagnostic evaluation as a breast pathologist and a cancer-registry registrar would do it:
nodal deposit classes, receptor calls, subtype, AJCC 8 T/N/M and stage groups, what must be reported missing and
what must be refused. Every expected value was written by hand from the primary sources before micromets was run:

* AJCC Cancer Staging Manual, 8th ed., ch. 48 Breast, with the January 2018 update of the prognostic stage tables
  (T rounding, ITC/micro/macro classes, node counting, (sn), (i+)/(mol+), IMN/supraclavicular categories, yp rules,
  Oncotype DX < 11 rule), and the CAP breast protocol (200 cells in one cross-section; clusters never summed);
* ASCO/CAP ER/PR 2020 (Allison, JCO 2020): ER < 1 % negative, 1-10 % "ER Low Positive", PR >= 1 % positive;
* ASCO/CAP HER2 2018, reaffirmed 2023 (Wolff, JCO 2018/2023): IHC 0-3+, dual-probe ISH groups 1-5 read with the
  concurrent IHC; HER2-low (1+, 2+/ISH-) and ultralow are reporting categories of HER2-negative disease;
* OSNA (Tsujimoto, Clin Cancer Res 2007): CK19 mRNA < 250 copies/uL negative, 250-5,000 (+) micrometastasis,
  > 5,000 (++) macrometastasis; RT-PCR-only findings are pN0(mol+) (AJCC 8).

Nothing here imports micromets.

    python tests/vignettes/diagnostic/build_diagnostic_vignettes.py      # rewrites diagnostic_vignettes.jsonl

Row format (one JSON object per line)::

    {"id", "source", "case",
     "expect": {"findings": {field: value},            # Findings fields; "deposits": [categories in order]
                "staging": {field: value},             # Staging fields (exact strings; null = no group)
                "n_in": [acceptable pN strings],       # where AJCC leaves a suffix open
                "missing": [fields], "not_missing": [fields],
                "warnings": [substrings], "no_warnings": [substrings], "error": "field path"}}
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("diagnostic_vignettes.jsonl")

AJCC = "AJCC 8th ed. ch. 48 (2018 update)"
CAP = "CAP breast protocol"
ERPR = "ASCO/CAP ER/PR 2020 (Allison JCO 2020)"
HER2 = "ASCO/CAP HER2 2018/2023 (Wolff JCO 2018; 2023)"
OSNA = "Tsujimoto Clin Cancer Res 2007 (OSNA)"

# T1c (15 mm), G2, ER 90 % PR 50 % HER2 1+ (HER2-negative, HR-positive); SLNB of 2 nodes, no deposit; cM0.
BASE: dict[str, Any] = {
    "age": 55, "sex": "female", "menopausal_status": "post",
    "tumour": {"size_mm": 15.0, "grade": 2, "histology": "ductal", "er_percent": 90, "pr_percent": 50,
               "her2_ihc": "1+", "ki67_percent": 10, "lvi": False},
    "clinical_nodes": "cN0",
    "nodes": {"procedure": "slnb", "examined": 2, "deposits": []},
    "metastasis": "cM0", "neoadjuvant": False,
    "surgery": {"breast": "bcs", "status": "done"},
}


def he(node: int, size: float, **extra: Any) -> dict[str, Any]:
    return {"node": node, "size_mm": size, "method": "he", **extra}


DROP = "<drop>"  # an override that removes the field from the base case


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _dropped(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _dropped(v) if isinstance(v, dict) else v for k, v in data.items() if v != DROP}


ROWS: list[dict[str, Any]] = []


def case(id_: str, source: str, over: dict[str, Any], **expect: Any) -> None:
    data = _dropped(merge(BASE, over))
    data["id"] = id_
    ROWS.append({"id": id_, "source": source, "case": data, "expect": expect})


def nodes(procedure: str, examined: int, deposits: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"nodes": {"procedure": procedure, "examined": examined, "deposits": deposits, **extra}}


# ------------------------------------------------------------------ nodal deposits (AJCC 8 §N; CAP)
case("dep-itc-exactly-0.2mm", f"{AJCC}: ITC <= 0.2 mm ('not greater than'); ITC-only -> pN0(i+); (sn)",
     nodes("slnb", 2, [he(1, 0.2)]),
     findings={"deposits": ["itc"], "positive_nodes": 0, "itc_nodes": 1},
     staging={"n": "pN0(i+)(sn)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"})
case("dep-micro-0.21mm", f"{AJCC}: > 0.2 mm is a micrometastasis; T1 N1mi -> IB; path. group A G2 HER2- ER+PR+ -> IA",
     nodes("slnb", 2, [he(1, 0.21)]),
     findings={"deposits": ["micrometastasis"], "positive_nodes": 1, "micrometastatic_nodes": 1},
     staging={"t": "pT1c", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})
case("dep-micro-exactly-2.0mm", f"{AJCC}: micrometastasis <= 2.0 mm ('not greater than')",
     nodes("slnb", 2, [he(1, 2.0)]),
     findings={"deposits": ["micrometastasis"]}, staging={"n": "pN1mi(sn)"})
case("dep-macro-2.01mm", f"{AJCC}: > 2.0 mm macrometastasis, 1-3 nodes -> pN1a; T1 N1 -> IIA; path. group B G2 "
     "HER2- ER+PR+ -> IA",
     nodes("slnb", 2, [he(1, 2.01)]),
     findings={"deposits": ["macrometastasis"], "macrometastatic_nodes": 1, "positive_nodes": 1},
     staging={"n": "pN1a(sn)", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})
case("dep-itc-by-cells", f"{AJCC}; {CAP}: <= 0.2 mm and < 200 cells in one cross-section -> ITC",
     nodes("slnb", 2, [{"node": 1, "size_mm": 0.1, "cells": 150, "method": "ihc"}]),
     findings={"deposits": ["itc"], "positive_nodes": 0}, staging={"n": "pN0(i+)(sn)"})
case("dep-micro-by-cell-count", f"{AJCC}; {CAP}: > 200 cells in one cross-section -> micrometastasis even <= 0.2 mm",
     nodes("slnb", 2, [{"node": 1, "size_mm": 0.18, "cells": 250, "method": "ihc"}]),
     findings={"deposits": ["micrometastasis"], "positive_nodes": 1}, staging={"n": "pN1mi(sn)"})
case("dep-size-decides-over-few-cells", f"{AJCC}: micrometastasis is > 0.2 mm; the cell count only matters for "
     "deposits <= 0.2 mm (0.5 mm with 100 cells is not ITC)",
     nodes("slnb", 2, [{"node": 1, "size_mm": 0.5, "cells": 100, "method": "ihc"}]),
     findings={"deposits": ["micrometastasis"]}, staging={"n": "pN1mi(sn)"})
case("dep-lobular-dispersed-cells", f"{AJCC}; {CAP}: dispersed single cells in one section are counted together "
     "(lobular: > 200 scattered cells -> micrometastasis); their span is not a contiguous size",
     merge(nodes("slnb", 2, [{"node": 1, "size_mm": 1.6, "cells": 320, "method": "ihc", "contiguous": False}]),
           {"tumour": {"histology": "lobular"}}),
     findings={"deposits": ["micrometastasis"], "positive_nodes": 1}, staging={"n": "pN1mi(sn)"})
case("dep-exactly-200-cells", f"{AJCC}: 'fewer than 200' cells for ITC vs '~200' for micrometastasis: ambiguous, "
     "must be flagged",
     nodes("slnb", 2, [{"node": 1, "size_mm": 0.1, "cells": 200, "method": "ihc"}]),
     warnings=["200 cells"])
case("dep-same-node-not-summed", f"{AJCC}: node class from its largest contiguous deposit; deposits in one node "
     "never summed (1.5 + 1.8 mm is not 3.3 mm)",
     nodes("slnb", 2, [he(1, 1.5), he(1, 1.8)]),
     findings={"positive_nodes": 1, "micrometastatic_nodes": 1, "macrometastatic_nodes": 0},
     staging={"n": "pN1mi(sn)"})
case("dep-micro-and-macro-nodes", f"{AJCC}: once one node has > 2 mm, micrometastatic nodes count as positive",
     nodes("slnb", 3, [he(1, 1.5), he(2, 2.5)]),
     findings={"positive_nodes": 2, "micrometastatic_nodes": 1, "macrometastatic_nodes": 1},
     staging={"n": "pN1a(sn)"})
case("dep-itc-nodes-not-counted", f"{AJCC}: ITC-only nodes are not positive nodes (they are examined nodes)",
     nodes("alnd", 12, [he(1, 6.0), he(2, 0.1), he(3, 0.15), he(4, 0.2)]),
     findings={"positive_nodes": 1, "itc_nodes": 3, "macrometastatic_nodes": 1},
     staging={"n": "pN1a", "anatomic_stage": "IIA"})
case("dep-four-nodes-incl-micro-is-n2a", f"{AJCC}: 3 macro + 1 micro = 4 positive nodes -> pN2a; T1 N2 -> IIIA; "
     "path. group D G2 HER2- ER+PR+ -> IB",
     nodes("slnb_then_alnd", 14, [he(1, 3.0), he(2, 3.0), he(3, 3.0), he(4, 1.0)]),
     findings={"positive_nodes": 4},
     staging={"n": "pN2a", "anatomic_stage": "IIIA", "pathological_prognostic_stage": "IB"})
case("dep-four-micro-only-nodes", f"{AJCC}: no deposit > 2 mm -> pN1mi whatever the number of nodes (pN2a needs "
     "> 2 mm); the unusual count is flagged",
     nodes("slnb_then_alnd", 10, [he(1, 1.0), he(2, 1.0), he(3, 1.0), he(4, 1.0)]),
     findings={"positive_nodes": 4, "micrometastatic_nodes": 4}, staging={"n": "pN1mi", "anatomic_stage": "IB"},
     warnings=["four or more"])
case("dep-ten-positive-nodes", f"{AJCC}: >= 10 positive nodes, one > 2 mm -> pN3a; any T N3 -> IIIC; "
     "path. group E G2 HER2- ER+PR+ -> IIIA",
     nodes("alnd", 20, [he(1, 4.0)] + [he(i, 1.0) for i in range(2, 11)]),
     findings={"positive_nodes": 10},
     staging={"n": "pN3a", "anatomic_stage": "IIIC", "pathological_prognostic_stage": "IIIA"})
case("dep-unclassified-deposit-cannot-change-n", f"{AJCC}: a node with a deposit that cannot be classified (clusters "
     "spread over 3 mm, no cell count) is ITC to macrometastasis; with a macrometastasis in another node and 3 nodes "
     "examined the pN is pN1a either way (1 or 2 positive nodes); the deposit is still named missing",
     nodes("slnb", 3, [he(1, 5.0), {"node": 2, "size_mm": 3.0, "method": "ihc", "contiguous": False}]),
     staging={"n": "pN1a(sn)", "anatomic_stage": "IIA"}, missing=["nodes.deposits[1].size_mm"])
case("dep-unclassified-deposit-decides-n", f"{AJCC}: the same unclassified deposit beside a micrometastasis decides "
     "between pN1mi and pN1a: N unknown, the deposit named missing",
     nodes("slnb", 3, [he(1, 1.0), {"node": 2, "size_mm": 3.0, "method": "ihc", "contiguous": False}]),
     staging={"n": "pNX", "anatomic_stage": None}, missing=["nodes.deposits[1].size_mm"])
case("dep-reported-macro-cell-count-only", f"{AJCC}; {CAP}: >= 200 cells with no size is a micrometastasis at least; "
     "the pathologist's 'macrometastasis' is consistent with it and must not be downgraded",
     nodes("slnb", 2, [{"node": 1, "cells": 300, "method": "he", "reported_category": "macrometastasis"}]),
     findings={"deposits": ["macrometastasis"]}, staging={"n": "pN1a(sn)"}, no_warnings=["the measure is used"])
case("dep-reported-micro-separate-clusters", f"{AJCC}: clusters spread over 3 mm are never summed, so the span "
     "allows ITC to macrometastasis; the pathologist's 'micrometastasis' (largest cluster) decides",
     nodes("slnb", 2, [{"node": 1, "size_mm": 3.0, "contiguous": False, "method": "ihc",
                        "reported_category": "micrometastasis"}]),
     findings={"deposits": ["micrometastasis"]}, staging={"n": "pN1mi(sn)"}, not_missing=["nodes.deposits[0].size_mm"])
case("dep-reported-micro-no-cell-count", f"{AJCC}; {CAP}: 0.15 mm without a cell count is ITC or (>= 200 cells) "
     "micrometastasis; the pathologist's 'micrometastasis' is consistent and decides",
     nodes("slnb", 2, [{"node": 1, "size_mm": 0.15, "method": "ihc", "reported_category": "micrometastasis"}]),
     findings={"deposits": ["micrometastasis"]}, staging={"n": "pN1mi(sn)"})
case("dep-nine-positive-nodes", f"{AJCC}: 4-9 positive nodes -> pN2a",
     nodes("alnd", 20, [he(1, 4.0)] + [he(i, 1.0) for i in range(2, 10)]),
     findings={"positive_nodes": 9}, staging={"n": "pN2a"})

# ------------------------------------------------------------------ molecular (OSNA, RT-PCR)
def osna(node: int, copies: float) -> dict[str, Any]:
    return {"node": node, "method": "osna", "osna_copies_per_ul": copies}


case("osna-249-negative", f"{OSNA}: < 250 copies/uL negative", nodes("slnb", 2, [osna(1, 249)]),
     findings={"positive_nodes": 0}, staging={"n": "pN0(sn)"})
case("osna-250-micro", f"{OSNA}: 250-5,000 (+) micrometastasis", nodes("slnb", 2, [osna(1, 250)]),
     findings={"deposits": ["micrometastasis"], "positive_nodes": 1}, staging={"n": "pN1mi(sn)"})
case("osna-5001-macro", f"{OSNA}: > 5,000 (++) macrometastasis", nodes("slnb", 2, [osna(1, 5001)]),
     findings={"deposits": ["macrometastasis"]}, staging={"n": "pN1a(sn)"})
case("osna-5000-boundary", f"{OSNA}: (+) is up to 5,000; later reports write (++) as >= 5,000: flag the boundary",
     nodes("slnb", 2, [osna(1, 5000)]), findings={"deposits": ["micrometastasis"]}, warnings=["5,000"])
case("rtpcr-only-mol-plus", f"{AJCC}: RT-PCR positive, no ITC seen -> pN0(mol+); not a positive node",
     nodes("slnb", 2, [{"node": 1, "method": "rt_pcr"}]),
     findings={"positive_nodes": 0, "itc_nodes": 0}, staging={"n": "pN0(mol+)(sn)", "anatomic_stage": "IA"})
case("rtpcr-and-itc", f"{AJCC}: (mol+) only when no ITC is seen; ITC in another node -> pN0(i+)",
     nodes("slnb", 2, [{"node": 1, "method": "rt_pcr"}, {"node": 2, "size_mm": 0.1, "method": "ihc"}]),
     staging={"n": "pN0(i+)(sn)"})
case("osna-and-he-nodes", f"{OSNA}; {AJCC}: OSNA (+) node counts as positive with an H&E macrometastasis",
     nodes("slnb", 3, [osna(1, 300), he(2, 3.0)]),
     findings={"positive_nodes": 2, "micrometastatic_nodes": 1, "macrometastatic_nodes": 1},
     staging={"n": "pN1a(sn)"})

# ------------------------------------------------------------------ (sn) suffix
case("sn-six-nodes-drops-suffix", f"{AJCC}: (sn) is not used when 6 or more nodes are removed",
     nodes("slnb", 6, [he(1, 1.0)]), staging={"n": "pN1mi"})
case("sn-five-nodes-keeps-suffix", f"{AJCC}: sentinel procedure with fewer than 6 nodes -> (sn)",
     nodes("slnb", 5, [he(1, 1.0)]), staging={"n": "pN1mi(sn)"})
case("sn-not-after-alnd", f"{AJCC}: (sn) only when nodal status rests on the sentinel procedure alone",
     nodes("alnd", 3, [he(1, 1.0)]), staging={"n": "pN1mi"})
case("sn-no-node-retrieved", f"{AJCC}: pN0 needs nodes examined; a sentinel procedure that retrieved no node "
     "gives no pathological N (pNX, or the clinical N where pathological staging uses cN)",
     nodes("slnb", 0, []), n_in=["pNX", "cN0"])
case("sn-negative", f"{AJCC}: pN0(sn)", {}, staging={"t": "pT1c", "n": "pN0(sn)", "anatomic_stage": "IA",
                                                      "pathological_prognostic_stage": "IA"})

# ------------------------------------------------------------------ internal mammary, infra/supraclavicular
case("imn-sentinel-only", f"{AJCC}: IMN sentinel metastasis, axilla negative -> pN1b; T1 N1 -> IIA; path. group B "
     "G2 HER2- ER+PR+ -> IA",
     nodes("slnb", 3, [], internal_mammary="sentinel_microscopic"),
     n_in=["pN1b", "pN1b(sn)"], staging={"anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})
case("imn-sentinel-and-axilla", f"{AJCC}: pN1a + pN1b -> pN1c",
     nodes("slnb", 3, [he(1, 3.0), he(2, 3.0)], internal_mammary="sentinel_microscopic"),
     n_in=["pN1c", "pN1c(sn)"], staging={"anatomic_stage": "IIA"})
case("imn-clinical-axilla-negative", f"{AJCC}: clinically detected IMN, axilla pathologically negative -> pN2b; "
     "T1 N2 -> IIIA; path. group D G2 HER2- ER+PR+ -> IB",
     nodes("slnb", 3, [], internal_mammary="clinically_detected"),
     n_in=["pN2b", "pN2b(sn)"], staging={"anatomic_stage": "IIIA", "pathological_prognostic_stage": "IB"})
case("imn-clinical-axilla-positive", f"{AJCC}: pN1a with clinically detected IMN (cN2b) -> pN3b; IIIC; "
     "path. group E G2 HER2- ER+PR+ -> IIIA",
     nodes("slnb", 3, [he(1, 3.0)], internal_mammary="clinically_detected"),
     n_in=["pN3b", "pN3b(sn)"], staging={"anatomic_stage": "IIIC", "pathological_prognostic_stage": "IIIA"})
case("imn-sentinel-n2a", f"{AJCC}: pN2a with pN1b -> pN3b; IIIC",
     nodes("alnd", 15, [he(1, 3.0)] + [he(i, 1.0) for i in range(2, 6)], internal_mammary="sentinel_microscopic"),
     staging={"n": "pN3b", "anatomic_stage": "IIIC"})
case("imn-cn2b-axilla-positive", f"{AJCC}: pN1a with IMN positive by imaging (cN2b) -> pN3b (IIIC): with "
     "nodes.internal_mammary not given the imaged node cannot be assumed still present, so it must be flagged",
     merge(nodes("alnd", 12, [he(1, 3.0)]), {"clinical_nodes": "cN2b"}), warnings=["internal_mammary"])
case("imn-cn2b-recorded", f"{AJCC}: pN1a with clinically detected IMN -> pN3b; IIIC",
     merge(nodes("alnd", 12, [he(1, 3.0)], internal_mammary="clinically_detected"), {"clinical_nodes": "cN2b"}),
     staging={"n": "pN3b", "anatomic_stage": "IIIC"}, no_warnings=["internal_mammary"])
case("tx-n3-stage-iiic", f"{AJCC}: any T N3 M0 -> IIIC, so TX does not block it (TX with N0-N2 stays unknown); "
     "prognostic group E holds any T N3: G2 HER2- ER+PR+ -> IIIA",
     merge(nodes("alnd", 15, [he(1, 3.0)] + [he(i, 1.0) for i in range(2, 11)]), {"tumour": {"size_mm": DROP}}),
     staging={"t": "pTX", "n": "pN3a", "anatomic_stage": "IIIC", "pathological_prognostic_stage": "IIIA"},
     missing=["tumour.size_mm"])
case("tx-n1-stage-unknown", f"{AJCC}: TX N1 -> no stage group", merge(nodes("slnb", 3, [he(1, 3.0)]),
     {"tumour": {"size_mm": DROP}}), staging={"t": "pTX", "anatomic_stage": None, "pathological_prognostic_stage": None},
     missing=["tumour.size_mm"])
case("supraclavicular", f"{AJCC}: ipsilateral supraclavicular node -> pN3c; IIIC",
     nodes("alnd", 12, [he(1, 3.0)], supraclavicular=True), staging={"n": "pN3c", "anatomic_stage": "IIIC"})
case("infraclavicular", f"{AJCC}: infraclavicular (level III) node -> pN3a; IIIC",
     nodes("alnd", 12, [he(1, 3.0)], infraclavicular=True), staging={"n": "pN3a", "anatomic_stage": "IIIC"})

# ------------------------------------------------------------------ T (size rounding, microinvasion, T4, Tis, T0)
case("t-1.0mm-t1mi", f"{AJCC}: <= 1.0 mm is T1mi; T1 includes T1mi (T1mi N0 -> IA)", {"tumour": {"size_mm": 1.0}},
     staging={"t": "pT1mi", "anatomic_stage": "IA"})
case("t-1.1mm-t1a", f"{AJCC}: > 1.0 and < 2.0 mm rounds up to 2 mm -> T1a", {"tumour": {"size_mm": 1.1}},
     staging={"t": "pT1a"})
case("t-4.9mm-t1a", f"{AJCC}: 4.9 mm rounds to 5 mm -> T1a", {"tumour": {"size_mm": 4.9}}, staging={"t": "pT1a"})
case("t-5.4mm-t1a", f"{AJCC}: 5.4 mm rounds to 5 mm -> T1a", {"tumour": {"size_mm": 5.4}}, staging={"t": "pT1a"})
case("t-5.6mm-t1b", f"{AJCC}: 5.6 mm rounds to 6 mm -> T1b", {"tumour": {"size_mm": 5.6}}, staging={"t": "pT1b"})
case("t-20.4mm-t1c", f"{AJCC}: 20.4 mm rounds to 20 mm -> T1c", {"tumour": {"size_mm": 20.4}},
     staging={"t": "pT1c"})
case("t-20.6mm-t2", f"{AJCC}: 20.6 mm rounds to 21 mm -> T2; T2 N0 -> IIA; path. group B G2 HER2- ER+PR+ -> IA",
     {"tumour": {"size_mm": 20.6}},
     staging={"t": "pT2", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})
case("t-51mm-t3", f"{AJCC}: > 50 mm -> T3; T3 N0 -> IIB; path. group C G2 HER2- ER+PR+ -> IB",
     {"tumour": {"size_mm": 51.0}}, staging={"t": "pT3", "anatomic_stage": "IIB", "pathological_prognostic_stage": "IB"})
case("t-multifocal", f"{AJCC}: several invasive foci: T of the largest with (m), never summed",
     {"tumour": {"size_mm": 12.0, "multifocal": True}}, staging={"t": "pT1c(m)", "anatomic_stage": "IA"})
case("t-inflammatory-t4d", f"{AJCC}: inflammatory carcinoma -> T4d whatever the size; T4 N0 -> IIIB; path. group E "
     "G2 HER2- ER+PR+ -> IIIA",
     {"tumour": {"size_mm": 30.0, "t_extension": "inflammatory"}, "surgery": {"breast": "mastectomy"}},
     staging={"t": "pT4d", "anatomic_stage": "IIIB", "pathological_prognostic_stage": "IIIA"})
case("t-skin-t4b", f"{AJCC}: skin ulceration/satellite nodules -> T4b",
     {"tumour": {"size_mm": 30.0, "t_extension": "skin"}, "surgery": {"breast": "mastectomy"}},
     staging={"t": "pT4b", "anatomic_stage": "IIIB"})
case("t-chest-wall-and-skin-t4c", f"{AJCC}: T4a and T4b together -> T4c",
     {"tumour": {"size_mm": 30.0, "t_extension": "chest_wall_and_skin"}, "surgery": {"breast": "mastectomy"}},
     staging={"t": "pT4c"})
case("tis-n0-stage-0", f"{AJCC}: Tis N0 M0 -> stage 0 in every table; grade and receptors are not needed",
     {"tumour": {"size_mm": 0, "in_situ_only": True, "grade": DROP, "er_percent": DROP, "pr_percent": DROP,
                 "her2_ihc": DROP, "ki67_percent": DROP, "lvi": DROP, "histology": DROP}},
     staging={"t": "pTis", "n": "pN0(sn)", "anatomic_stage": "0", "pathological_prognostic_stage": "0"},
     not_missing=["tumour.er_percent", "tumour.pr_percent", "tumour.her2_ihc"])
case("tis-with-micrometastasis", f"{AJCC}: Tis with N+ is not a valid stage combination (no group); the nodal "
     "metastasis means invasion was missed -> flagged",
     merge(nodes("slnb", 2, [he(1, 1.0)]), {"tumour": {"size_mm": 0, "in_situ_only": True}}),
     staging={"t": "pTis", "n": "pN1mi(sn)", "anatomic_stage": None}, warnings=["missed"])
case("t0-occult-primary-n1mi", f"{AJCC}: T0 N1mi -> IB; receptors from the nodal tumour; path. group A -> IA",
     merge(nodes("slnb", 2, [he(1, 1.0)]), {"tumour": {"size_mm": 0}, "surgery": {"breast": "mastectomy"}}),
     staging={"t": "pT0", "n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})

# ------------------------------------------------------------------ M
case("m-cm0-i-plus", f"{AJCC}: cM0(i+) is staged as M0", {"metastasis": "cM0(i+)"},
     staging={"m": "cM0(i+)", "anatomic_stage": "IA", "pathological_prognostic_stage": "IA"})
case("m-cm1-stage-iv", f"{AJCC}: any M1 -> stage IV in every table", {"metastasis": "cM1"},
     staging={"anatomic_stage": "IV", "pathological_prognostic_stage": "IV", "clinical_prognostic_stage": "IV"})

# ------------------------------------------------------------------ prognostic stage (2018 tables, genomic rule)
T2_G3 = {"tumour": {"size_mm": 30.0, "grade": 3}}
case("prog-t2n0-g3-rs8", f"{AJCC}: RS < 11, T2 N0 M0, HER2-, ER+ -> pathological IA (else IB: group B G3 HER2- "
     "ER+PR+); anatomic IIA", merge(T2_G3, {"oncotype_rs": 8}),
     staging={"t": "pT2", "anatomic_stage": "IIA", "pathological_prognostic_stage": "IA"})
case("prog-rs-without-grade-or-pr", f"{AJCC}: RS < 11 in T2 N0 HER2- ER+ -> IA whatever the grade (PR any): "
     "an unknown grade or PR does not block it",
     {"tumour": {"size_mm": 30.0, "grade": DROP, "pr_percent": DROP}, "oncotype_rs": 8},
     staging={"pathological_prognostic_stage": "IA"})
case("prog-t2n0-g3-no-rs", f"{AJCC}: group B G3 HER2- ER+PR+ -> IB", T2_G3,
     staging={"pathological_prognostic_stage": "IB"})
case("prog-t2n0-g2-pr-neg-rs10", f"{AJCC}: RS 10 < 11, HER2- ER+ PR- -> IA (table IIA)",
     {"tumour": {"size_mm": 30.0, "pr_percent": 0}, "oncotype_rs": 10}, staging={"pathological_prognostic_stage": "IA"})
case("prog-t2n0-g2-pr-neg-rs11", f"{AJCC}: RS 11 is not < 11 -> table: group B G2 HER2- ER+PR- -> IIA",
     {"tumour": {"size_mm": 30.0, "pr_percent": 0}, "oncotype_rs": 11},
     staging={"pathological_prognostic_stage": "IIA"})
case("prog-t2n1mi-rs5-not-applied", f"{AJCC}: the RS rule is for N0 only; T2 N1mi is group C; G2 HER2- ER+PR- -> "
     "IIB; anatomic T2 N1mi as N1 -> IIB",
     merge(nodes("slnb", 2, [he(1, 1.0)]), {"tumour": {"size_mm": 30.0, "pr_percent": 0}, "oncotype_rs": 5}),
     staging={"n": "pN1mi(sn)", "anatomic_stage": "IIB", "pathological_prognostic_stage": "IIB"})
case("prog-er-neg-pr-pos-rs5", f"{AJCC}: the RS rule needs ER+; ER- PR+ T2 N0 G2 HER2- -> group B -> IIA",
     {"tumour": {"size_mm": 30.0, "er_percent": 0, "pr_percent": 30}, "oncotype_rs": 5},
     staging={"pathological_prognostic_stage": "IIA"})
case("prog-n0-i-plus-rs9", f"{AJCC}: N0(i+) counts as N0 for the RS rule -> IA",
     merge(merge(T2_G3, nodes("slnb", 2, [he(1, 0.1)])), {"oncotype_rs": 9}),
     staging={"n": "pN0(i+)(sn)", "pathological_prognostic_stage": "IA"})
case("prog-er-low-counts-positive", f"{AJCC}; {ERPR}: ER 1-10 % is ER-positive for staging; T2 N1mi G3 HER2- ER+PR- "
     "-> group C -> IIB (ER- would be IIIA); ER low reported with its comment",
     merge(nodes("slnb", 2, [he(1, 1.0)]),
           {"tumour": {"size_mm": 30.0, "grade": 3, "er_percent": 5, "pr_percent": 0, "her2_ihc": "0"}}),
     findings={"er": "low_positive", "subtype": "hr_pos_her2_neg"},
     staging={"pathological_prognostic_stage": "IIB"}, warnings=["ER low"])
case("prog-tnbc-t2n1mi-g3", f"{AJCC}: group C G3 HER2- ER-PR- -> IIIA",
     merge(nodes("slnb", 2, [he(1, 1.0)]),
           {"tumour": {"size_mm": 30.0, "grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "0"}}),
     findings={"subtype": "triple_negative"}, staging={"pathological_prognostic_stage": "IIIA",
                                                       "anatomic_stage": "IIB"})
case("prog-her2-pos-t1n0-g3", f"{AJCC}: group A G3 HER2+ ER-PR- -> IA (pathological and clinical)",
     {"tumour": {"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"}},
     findings={"her2": "positive", "subtype": "her2_pos"},
     staging={"pathological_prognostic_stage": "IA", "clinical_prognostic_stage": "IA"})
case("prog-tnbc-t1n0-g3-clinical", f"{AJCC}: clinical group A G3 HER2- ER-PR- -> IB; pathological -> IB",
     {"tumour": {"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "1+"}},
     staging={"pathological_prognostic_stage": "IB", "clinical_prognostic_stage": "IB", "anatomic_stage": "IA"})
case("prog-grade-unknown", f"{AJCC}: grade unknown -> no prognostic stage; anatomic stage still assigned",
     {"tumour": {"grade": DROP}}, staging={"anatomic_stage": "IA", "pathological_prognostic_stage": None},
     missing=["tumour.grade"])
case("prog-er-unknown", f"{AJCC}; {ERPR}: ER unknown -> no prognostic stage, ER named missing",
     {"tumour": {"er_percent": DROP}}, staging={"pathological_prognostic_stage": None},
     missing=["tumour.er_percent"])
case("prog-her2-2plus-no-ish", f"{HER2}: IHC 2+ is equivocal until ISH; no subtype, no prognostic stage",
     {"tumour": {"her2_ihc": "2+"}}, findings={"her2": "equivocal", "subtype": None},
     staging={"pathological_prognostic_stage": None}, missing=["tumour.her2_ish_ratio"])
case("clinical-staging-planned-surgery", f"{AJCC}: before surgery cT/cN and the clinical prognostic stage only; "
     "cT1c cN1 -> IIA; clinical group B G2 HER2- ER+PR+ -> IB",
     {"clinical_nodes": "cN1", "nodes": {"procedure": "none", "examined": DROP, "deposits": []},
      "surgery": {"status": "planned"}},
     staging={"t": "cT1c", "n": "cN1", "anatomic_stage": "IIA", "pathological_prognostic_stage": None,
              "clinical_prognostic_stage": "IB"})

case("clinical-slnb-before-the-primary", f"{AJCC}: nodes removed before the primary are staged clinically (cN1mi "
     "exists for a micrometastasis found so): cN0 beside a positive sentinel node must be flagged, and the audit path "
     "must not say no nodal surgery was done",
     merge(nodes("slnb", 2, [he(1, 1.0)]), {"surgery": {"status": "planned"}}),
     staging={"t": "cT1c", "pathological_prognostic_stage": None}, warnings=["cN1mi"])

# ------------------------------------------------------------------ receptors
def tum(**kw: Any) -> dict[str, Any]:
    return {"tumour": kw}


case("her2-2plus-group1", f"{HER2}: ISH group 1 (ratio >= 2, >= 4 copies) -> positive",
     tum(her2_ihc="2+", her2_ish_ratio=2.3, her2_ish_copies=4.5),
     findings={"her2": "positive", "her2_ish_group": 1, "subtype": "her2_pos"})
case("her2-2plus-group3", f"{HER2}: group 3 (ratio < 2, >= 6 copies) with IHC 2+ -> positive",
     tum(her2_ihc="2+", her2_ish_ratio=1.5, her2_ish_copies=6.5), findings={"her2": "positive", "her2_ish_group": 3})
case("her2-1plus-group3", f"{HER2}: group 3 with IHC 0/1+ -> negative (HER2-low by the IHC 1+)",
     tum(her2_ihc="1+", her2_ish_ratio=1.5, her2_ish_copies=6.5),
     findings={"her2": "low", "her2_ish_group": 3, "subtype": "hr_pos_her2_neg"})
case("her2-2plus-group2", f"{HER2}: group 2 (ratio >= 2, < 4 copies) with IHC 2+ -> negative after the work-up "
     "(HER2-low: IHC 2+/ISH-)", tum(her2_ihc="2+", her2_ish_ratio=2.2, her2_ish_copies=3.5),
     findings={"her2": "low", "her2_ish_group": 2})
case("her2-3plus-group2", f"{HER2}: group 2 with IHC 3+ -> positive",
     tum(her2_ihc="3+", her2_ish_ratio=2.2, her2_ish_copies=3.5), findings={"her2": "positive"})
case("her2-2plus-group4", f"{HER2}: group 4 (ratio < 2, 4-6 copies) with IHC 2+ -> negative (HER2-low)",
     tum(her2_ihc="2+", her2_ish_ratio=1.8, her2_ish_copies=5.0), findings={"her2": "low", "her2_ish_group": 4})
case("her2-ish-group1-without-ihc", f"{HER2}: group 1 is positive whatever the IHC",
     tum(her2_ihc=DROP, her2_ish_ratio=2.5, her2_ish_copies=5.0), findings={"her2": "positive"},
     not_missing=["tumour.her2_ihc"])
case("her2-ish-group3-without-ihc", f"{HER2}: groups 2-4 are read with the concurrent IHC: without it, undecided",
     tum(her2_ihc=DROP, her2_ish_ratio=1.5, her2_ish_copies=6.5), findings={"her2": None, "her2_ish_group": 3},
     missing=["tumour.her2_ihc"])
case("her2-2plus-ratio-only", f"{HER2}: ISH group needs ratio and copies; 2+ with a ratio only stays equivocal",
     tum(her2_ihc="2+", her2_ish_ratio=2.4), findings={"her2": "equivocal"}, missing=["tumour.her2_ish_copies"])
case("her2-ultralow", f"{HER2} 2023: ultralow is a HER2-negative reporting category",
     tum(her2_ihc="ultralow"), findings={"her2": "ultralow", "subtype": "hr_pos_her2_neg"},
     staging={"pathological_prognostic_stage": "IA"})
case("her2-zero", f"{HER2}: IHC 0 -> negative (HER2-0)", tum(her2_ihc="0"), findings={"her2": "zero"})
case("er-0.5-negative", f"{ERPR}: ER < 1 % negative; ER- PR- HER2- -> triple negative",
     tum(er_percent=0.5, pr_percent=0), findings={"er": "negative", "subtype": "triple_negative"})
case("er-1-low", f"{ERPR}: ER 1 % -> ER Low Positive", tum(er_percent=1), findings={"er": "low_positive"},
     warnings=["ER low"])
case("er-10-low", f"{ERPR}: ER 10 % -> ER Low Positive (1-10 %)", tum(er_percent=10), findings={"er": "low_positive"})
case("er-11-positive", f"{ERPR}: ER > 10 % -> positive", tum(er_percent=11), findings={"er": "positive"})
case("pr-0.5-negative", f"{ERPR}: PR < 1 % negative", tum(pr_percent=0.5), findings={"pr": "negative"})

# ------------------------------------------------------------------ after neoadjuvant therapy (yp)
NEO: dict[str, Any] = {"neoadjuvant": True, "surgery": {"breast": "mastectomy"},
                       "neoadjuvant_therapy": {"pre_treatment_size_mm": 28.0, "pre_treatment_clinical_nodes": "cN1",
                                               "nodes_biopsy_proven": True,
                                               "agents": ["anthracycline", "taxane", "trastuzumab"]},
                       "tumour": {"grade": 3, "er_percent": 0, "pr_percent": 0, "her2_ihc": "3+"},
                       "nodes": {"procedure": "slnb", "examined": 3, "deposits": []}}
case("yp-t0-n0-pcr", f"{AJCC}: ypT0 ypN0 -> pCR, no stage group; the pathological prognostic table does not apply",
     merge(NEO, {"tumour": {"size_mm": 0}}),
     findings={"pathological_complete_response": True},
     staging={"t": "ypT0", "n": "ypN0(sn)", "anatomic_stage": None, "pathological_prognostic_stage": None},
     no_warnings=["not a valid"])
case("yp-pcr-m1-stays-iv", f"{AJCC}: M1 before therapy stays stage IV whatever the response",
     merge(NEO, {"tumour": {"size_mm": 0}, "metastasis": "cM1", "nodes": {"procedure": "alnd", "examined": 10}}),
     staging={"n": "ypN0", "anatomic_stage": "IV"})
case("yp-no-node-retrieved-not-pcr", f"{AJCC}: pCR needs ypN0, and ypN0 needs nodes examined: a sentinel procedure "
     "that retrieved no node cannot show a nodal complete response",
     merge(NEO, {"tumour": {"size_mm": 0}, "nodes": {"examined": 0}}),
     findings={"pathological_complete_response": None})
case("yp-t0-n0-itc-not-pcr", f"{AJCC}: residual ITC -> ypN0(i+), not a pathological complete response",
     merge(NEO, {"tumour": {"size_mm": 0}, "nodes": {"deposits": [he(1, 0.1)]}}),
     findings={"pathological_complete_response": False}, staging={"n": "ypN0(i+)(sn)"})
case("yp-t1b-n1mi", f"{AJCC}: ypT from the largest residual invasive focus; ypN1mi; ypTNM uses the anatomic table "
     "(T1 N1mi -> IB)", merge(NEO, {"tumour": {"size_mm": 8.0}, "nodes": {"deposits": [he(1, 1.0)]}}),
     findings={"pathological_complete_response": False},
     staging={"t": "ypT1b", "n": "ypN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": None})
case("yp-residual-macro", f"{AJCC}: ypN from the largest residual deposit (fibrosis excluded): 2.5 mm -> ypN1a; "
     "ypT1c ypN1a -> IIA", merge(NEO, {"tumour": {"size_mm": 15.0}, "nodes": {"deposits": [he(1, 2.5)]}}),
     staging={"t": "ypT1c", "n": "ypN1a(sn)", "anatomic_stage": "IIA"})
case("yp-clinical-stage-from-pre-treatment", f"{AJCC}: the clinical prognostic stage is assigned before therapy: "
     "cT2 cN1 (group C) G3 HER2+ ER-PR- -> IIB",
     merge(NEO, {"tumour": {"size_mm": 0}}), staging={"clinical_prognostic_stage": "IIB"})
case("yp-tis-n0-pcr", f"{AJCC}: pCR = no invasive tumour in breast and nodes (ypT0/Tis ypN0)",
     merge(NEO, {"tumour": {"size_mm": 0, "in_situ_only": True}}),
     findings={"pathological_complete_response": True}, staging={"t": "ypTis"})
case("yp-tis-size-omitted-pcr", f"{AJCC}: in situ only after therapy is no invasive residual even without a size: "
     "pCR when the nodes are clear",
     merge(NEO, {"tumour": {"size_mm": DROP, "in_situ_only": True}}),
     findings={"pathological_complete_response": True})
case("yp-tis-receptors-read", f"{AJCC}; {HER2}: after neoadjuvant therapy the receptors of the pre-treatment core "
     "biopsy stand, also when only in situ carcinoma is left (HER2 3+ -> HER2-positive)",
     merge(NEO, {"tumour": {"size_mm": 0, "in_situ_only": True}}),
     findings={"her2": "positive", "er": "negative", "subtype": "her2_pos"},
     not_missing=["tumour.her2_ihc", "tumour.er_percent"])

# ------------------------------------------------------------------ male patient
case("male-t1c-n1mi", f"{AJCC}: men are staged with the same rules: T1 N1mi -> IB; path. group A -> IA",
     merge(nodes("slnb", 2, [he(1, 1.0)]), {"sex": "male", "menopausal_status": DROP, "surgery": {"breast": "mastectomy"}}),
     staging={"n": "pN1mi(sn)", "anatomic_stage": "IB", "pathological_prognostic_stage": "IA"})

# ------------------------------------------------------------------ contradictions and unusable input
case("err-node-beyond-examined", "contract: node numbers run 1..examined (more positive nodes than examined)",
     nodes("slnb", 2, [he(1, 1.0), he(3, 1.0)]), error="nodes.deposits[1].node")
case("err-osna-without-copies", f"{OSNA}: an OSNA result is its copy number", nodes("slnb", 2, [{"node": 1, "method": "osna"}]),
     error="osna_copies_per_ul")
case("err-in-situ-with-invasive-size", f"{AJCC}: size_mm is the invasive size; Tis has none",
     {"tumour": {"size_mm": 5.0, "in_situ_only": True}}, error="tumour.size_mm")
case("err-in-situ-with-t4-extension", f"{AJCC}: T4 (chest wall, skin, inflammatory) is extension of invasive "
     "carcinoma; in situ carcinoma only is Tis", {"tumour": {"size_mm": 0, "in_situ_only": True,
                                                            "t_extension": "inflammatory"}}, error="t_extension")
case("err-deposits-without-procedure", "contract: deposits need a nodal procedure",
     {"nodes": {"procedure": "none", "examined": DROP, "deposits": [he(1, 1.0)]}}, error="nodes")
case("err-deposit-without-measure", f"{AJCC}: a deposit's class needs its size or cell count",
     nodes("slnb", 2, [{"node": 1, "method": "he"}]), error="size_mm")
case("err-er-over-100", f"{ERPR}: a percentage of nuclei", tum(er_percent=120), error="tumour.er_percent")
case("conflict-reported-micro-measured-3mm", f"{AJCC}: > 2 mm is a macrometastasis; a 3 mm deposit labelled "
     "micrometastasis is a contradiction that must be shown (contract: the measure decides)",
     nodes("slnb", 2, [{"node": 1, "size_mm": 3.0, "method": "he", "reported_category": "micrometastasis"}]),
     findings={"deposits": ["macrometastasis"]}, staging={"n": "pN1a(sn)"}, warnings=["pathologist reported"])


def rows() -> list[dict[str, Any]]:
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    return ROWS


def text() -> str:
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows())


if __name__ == "__main__":
    OUT.write_text(text(), encoding="utf-8")
    print(f"{len(ROWS)} vignettes -> {OUT}", file=sys.stderr)
