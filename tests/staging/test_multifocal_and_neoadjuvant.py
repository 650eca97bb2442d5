"""Multifocality, post-neoadjuvant clinical N and the pre-treatment extension: worked examples from AJCC 8.

AJCC 8 (chapter 48): several invasive foci are classified by the largest, never summed, with the (m) suffix
(e.g. pT1c(m)); the suffix changes no stage group. After neoadjuvant therapy the categories take the y prefix
and the clinical (pre-treatment) stage is kept from the pre-treatment findings. OSNA bands: Ohi, Br J Cancer
2012 ("CK19 mRNA >= 5.0 x 10^3; OSNA++").
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from micromets.assess import assess
from micromets.cohort.engine import score_batch
from micromets.interop.fhir import to_bundle
from micromets.pathology import classify
from micromets.staging import stage, t_group

from _cases import make_case


def staged(**changes: Any) -> Any:
    case = make_case(**changes)
    return stage(case, classify(case).findings).staging


def test_multifocal_gets_the_m_suffix_and_the_same_stage() -> None:
    """pT1c(m): T of the largest focus (18 mm), not the sum; stage groups as for pT1c."""
    plain, multi = staged(), staged(tumour__multifocal=True)
    assert multi.t == "pT1c(m)" and plain.t == "pT1c"
    assert (multi.anatomic_stage, multi.pathological_prognostic_stage, multi.clinical_prognostic_stage) == (
        plain.anatomic_stage, plain.pathological_prognostic_stage, plain.clinical_prognostic_stage)
    assert t_group(multi.t) == "T1"
    assert any("(m)" in step for step in multi.path)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"neoadjuvant": True, "tumour__size_mm": 25,
      "neoadjuvant_therapy": {"pre_treatment_size_mm": 40, "pre_treatment_clinical_nodes": "cN0"}}, "ypT2(m)"),
    ({"surgery": {"breast": "bcs", "status": "planned"}, "nodes": None, "tumour__size_mm": 8}, "cT1b(m)"),
    ({"tumour": {"size_mm": 0, "in_situ_only": True, "multifocal": True}}, "pTis"),
    ({"tumour__size_mm": 0}, "pT0"),
    ({"tumour__t_extension": "skin"}, "pT4b(m)"),
])
def test_m_suffix_on_every_invasive_t_and_never_on_tis_or_t0(changes: dict[str, Any], expected: str) -> None:
    if "tumour" in changes:
        assert staged(**changes).t == expected
    else:
        assert staged(tumour__multifocal=True, **changes).t == expected


def test_multifocal_t_string_flows_through_every_consumer() -> None:
    """Prognosis, FHIR export and the cohort path all read pT1c(m)."""
    case = make_case(tumour__multifocal=True, nodes__deposits=[{"node": 1, "size_mm": 1.2, "method": "he"}])
    assessment = assess(case)
    assert assessment.staging.t == "pT1c(m)" and assessment.prognosis is not None
    bundle = to_bundle(assessment, case)
    texts = [e["resource"].get("valueCodeableConcept", {}).get("text") for e in bundle["entry"]]
    assert "pT1c(m)" in texts
    row = {"id": "m", "age": 60, "metastasis": "cM0", "clinical_nodes": "cN0", "tumour.size_mm": 18.0,
           "tumour.grade": 2, "tumour.er_percent": 90, "tumour.pr_percent": 50, "tumour.her2_ihc": "1+",
           "tumour.multifocal": True, "surgery.breast": "bcs", "nodes.procedure": "slnb", "nodes.examined": 2,
           "nodes.micrometastatic": 1, "nodes.macrometastatic": 0, "nodes.itc": 0}
    out = score_batch(pa.RecordBatch.from_pylist([row])).to_pylist()[0]
    assert (out["t"], out["n"], out["anatomic_stage"]) == ("pT1c(m)", "pN1mi(sn)", "IB")


def test_after_neoadjuvant_therapy_without_nodal_pathology_the_n_is_ycn() -> None:
    """clinical_nodes after therapy is the post-treatment status: written ycN0 with the ypT."""
    s = staged(neoadjuvant=True, tumour__size_mm=12, nodes={"procedure": "none"},
               neoadjuvant_therapy={"pre_treatment_size_mm": 30, "pre_treatment_clinical_nodes": "cN1"})
    assert (s.t, s.n) == ("ypT1c", "ycN0")


def test_clinical_prognostic_stage_after_nst_uses_the_pre_treatment_extension() -> None:
    """cT4d (inflammatory) cN1 M0, G3 triple-negative -> clinical prognostic group E: IIIC (AJCC 8, clinical
    table, HER2- ER- PR- grade 3); the residual tumour without skin change does not lower it."""
    s = staged(neoadjuvant=True, tumour__size_mm=5, tumour__grade=3, tumour__er_percent=0, tumour__pr_percent=0,
               tumour__her2_ihc="0",
               neoadjuvant_therapy={"pre_treatment_size_mm": 40, "pre_treatment_clinical_nodes": "cN1",
                                    "pre_treatment_t_extension": "inflammatory"})
    assert s.clinical_prognostic_stage == "IIIC"
    assert s.t == "ypT1a"


@pytest.mark.parametrize(("copies", "n"), [(4999, "pN1mi(sn)"), (5000, "pN1mi(sn)"), (5001, "pN1a(sn)"), (250, "pN1mi(sn)"),
                                           (249, "pN0(sn)")])
def test_osna_boundaries_in_the_stage(copies: float, n: str) -> None:
    """Exactly 5,000 copies/uL is (+) by Tsujimoto 2007 (pN1mi, with a warning); 5,001 is (++) (pN1a); 250 is (+)."""
    assert staged(nodes__deposits=[{"node": 1, "method": "osna", "osna_copies_per_ul": copies}]).n == n
