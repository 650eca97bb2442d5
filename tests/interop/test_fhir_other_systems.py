"""Issue 10: breast pathology FHIR coded the way *other* systems code it imports and stages correctly.

The bundles in ``tests/interop/bundles-other/`` were written by hand the way hospital systems send them, not by
micromets' exporter: an EHR ``searchset`` with AJCC TNM and stage groups as LOINC observations whose values are only
text ("pT1c", "Stage IB", "IA"), receptor results as "Positive (95%)" and a biomarker panel repeating them; a
``transaction`` with ``urn:uuid`` references and a surgical pathology DiagnosticReport whose observations are
``contained``, OSNA sentinel-node copy numbers and HER2 2+ with ISH "not amplified" only; a ``batch-response``
with preliminary, corrected, amended, cancelled and entered-in-error results and entries without a resource; a
``collection`` with an RT-PCR-positive, H&E-negative sentinel node, a TNM statement as the stage value, ER/PR as
Allred score and H-score, and a size without a unit.

Expected stages are derived by hand from the AJCC Cancer Staging Manual, 8th ed. (2017), chapter 48 Breast (as
revised January 2018): T by size (T1b > 5-10 mm, T1c > 10-20 mm, T2 > 20-50 mm); N from the node classes
(micrometastasis > 0.2-2 mm -> N1mi; 1-3 nodes with a deposit > 2 mm -> N1a; molecular findings only -> N0(mol+);
"(sn)" when only sentinel nodes were removed); "pM0 is not a valid category" (M0 is clinical); the anatomic table
(T1 N1mi M0 -> IB, T2 N1 M0 -> IIB with N1mi staged as N1 beyond T1, T1 N1 M0 -> IIA, T1 N0 M0 -> IA) and the
pathological / clinical prognostic tables (T1 N1mi / T1 N1 / T1 N0 rows by grade, HER2, ER, PR). OSNA nodes are
classed by the CK19 mRNA copy number cut-offs of Tsujimoto et al., Clin Cancer Res 2007 (< 250 copies/uL
negative, 250-5,000 micrometastasis, > 5,000 macrometastasis).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from _bundles import Expected, assessed_through_the_cli, check_stage
from micromets.assess import assess
from micromets.cli import app as cli_app
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle
from micromets.interop.fhir._standard import stage_group_text, tnm_categories

BUNDLES = Path(__file__).parent / "bundles-other"
runner = CliRunner()
_L, _S, _U = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"

#: bundle -> (T, N, M, anatomic, pathological prognostic, clinical prognostic); None = must stay unassigned
EXPECTED: Expected = {
    # 1.8 cm = 18 mm -> pT1c; 1 of 2 sentinel nodes with a micrometastasis (synoptic count) -> pN1mi(sn); "pM0" -> cM0;
    # anatomic T1 N1mi M0 -> IB; pathological prognostic T1 N1mi M0, G2, HER2- (IHC 1+), ER+ (95%), PR+ (40%) -> IA;
    # clinical prognostic cT1c cN0 cM0, G2, HER2-, ER+, PR+ -> IA.
    "searchset-text-tnm": ("pT1c", "pN1mi(sn)", "cM0", "IB", "IA", "IA"),
    # 23 mm -> pT2; OSNA node 1: 320 copies/uL -> micrometastasis (250-5,000), node 2: 150 -> negative (< 250);
    # sentinel only -> pN1mi(sn); cM0 (SNOMED CT 1229901006); anatomic T2 N1mi M0 -> IIB (N1mi as N1 beyond T1);
    # no prognostic stage: HER2 IHC 2+ with ISH "not amplified" but no ratio leaves HER2 undetermined.
    "transaction-contained-osna": ("pT2", "pN1mi(sn)", "cM0", "IIB", None, None),
    # corrected 1.4 cm (supersedes the preliminary 1.0 cm) -> pT1c; 1 of 3 sentinel nodes with a 4 mm deposit
    # (> 2 mm) -> pN1a(sn); "M0" -> cM0; anatomic T1 N1 M0 -> IIA; pathological prognostic T1 N1 M0, G1, HER2+
    # (IHC 3+), ER+ (90%), PR+ (amended 60%) -> IA.
    "batch-response-statuses": ("pT1c", "pN1a(sn)", "cM0", "IIA", "IA", None),
    # 0.7 cm -> pT1b; the only sentinel node: no metastasis on H&E, RT-PCR positive -> pN0(mol+)(sn); M0 from the TNM
    # statement "pT1b pN0(mol+)(sn) M0" -> cM0; anatomic T1 N0 M0 -> IA; no prognostic stage: ER and PR are given only
    # as an Allred score and an H-score, not as percentages.
    "collection-rtpcr-scores": ("pT1b", "pN0(mol+)(sn)", "cM0", "IA", None, None),
}


def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BUNDLES / f"{name}.json").read_text())
    return data


def _assess_cli(bundle: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(cli_app, ["assess", "-"], input=json.dumps(bundle))
    assert "Traceback" not in result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, out


def _check_stage(name: str, staging: dict[str, Any]) -> None:
    check_stage(EXPECTED, name, staging, none_is_expected=True)


def _why(assessment: dict[str, Any], field: str) -> list[str]:
    return [m["why"] for m in assessment["missing"] if m["field"] == field]


def test_every_bundle_in_the_folder_has_an_expected_stage() -> None:
    assert {p.stem for p in BUNDLES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundle_stages_through_the_cli(name: str) -> None:
    assessed_through_the_cli(BUNDLES, EXPECTED, name, none_is_expected=True)


def test_the_installed_command_reads_a_transaction_bundle() -> None:
    completed = subprocess.run([sys.executable, "-m", "micromets.cli", "assess",
                                str(BUNDLES / "transaction-contained-osna.json")],
                               capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    _check_stage("transaction-contained-osna", json.loads(completed.stdout)["staging"])


def test_text_values_panels_and_body_site() -> None:
    imported = import_bundle(_bundle("searchset-text-tnm"))
    case = imported.case
    assert case.tumour is not None and case.nodes is not None and case.surgery is not None
    # "Positive (95%)" and "Positive (40%)" as written values; the panel repeats 95 and 40: the same values, no conflict
    assert (case.tumour.er_percent, case.tumour.pr_percent, case.tumour.ki67_percent) == (95, 40, 15)
    assert (case.tumour.size_mm, case.tumour.grade, case.tumour.her2_ihc) == (18.0, 2, "1+")
    assert case.tumour.laterality == "left"  # Condition.bodySite and Observation.bodySite 80248007
    assert (case.clinical_nodes, case.metastasis) == ("cN0", "cM0")
    assert (case.nodes.procedure, case.nodes.examined, case.surgery.breast) == ("slnb", 2, "bcs")
    said = " ".join(imported.warnings)
    assert "Observation/cstage: stage group 'IA' read but not used" in said
    assert "Observation/pstage: stage group 'IB' read but not used" in said


def test_contained_observations_urn_uuid_references_and_osna() -> None:
    imported = import_bundle(_bundle("transaction-contained-osna"))
    case = imported.case
    assert case.tumour is not None and case.nodes is not None and case.surgery is not None
    assert (case.tumour.size_mm, case.tumour.grade, case.tumour.er_percent, case.tumour.pr_percent) == (23, 3, 80, 0)
    assert case.tumour.her2_ihc == "2+" and case.tumour.her2_ish_ratio is None
    assert [(d.method, d.osna_copies_per_ul) for d in case.nodes.deposits] == [("osna", 320), ("osna", 150)]
    # LOINC 85347-3 counts the sentinel nodes examined (no total of nodes examined is given)
    assert (case.nodes.procedure, case.nodes.sentinel_nodes_removed, case.surgery.breast) == ("slnb", 2, "mastectomy")
    # HER2 ISH "not amplified" without the ratio is named with its resource, never turned into a number
    assert any(f == "tumour.her2_ish_ratio" and "Observation/ish" in why and "Not amplified" in why
               for f, why in imported.missing)
    # the contained observations took the report's specimen (a mastectomy): no "pre-treatment only" warning
    assert not any("pre-treatment" in w for w in imported.warnings)


def test_statuses_in_a_batch_response() -> None:
    imported = import_bundle(_bundle("batch-response-statuses"))
    tumour = imported.case.tumour
    assert tumour is not None
    # corrected supersedes preliminary; amended supersedes final; cancelled and entered-in-error are not read
    assert (tumour.size_mm, tumour.er_percent, tumour.pr_percent, tumour.grade) == (14.0, 90, 60, 1)
    said = " ".join(imported.warnings)
    assert "Observation/size-prelim" in said and "Observation/pr: tumour.pr_percent 50.0 (final) is superseded" in said


def test_scores_unitless_size_and_rt_pcr_go_to_missing_with_the_resource() -> None:
    code, assessment = _assess_cli(_bundle("collection-rtpcr-scores"))
    assert code == 0
    assert any("Observation/er" in w and "Allred" in w for w in _why(assessment, "tumour.er_percent"))
    assert any("Observation/pr" in w and "H-score" in w for w in _why(assessment, "tumour.pr_percent"))
    assert any("Observation/size-gross" in w and "without a unit" in w for w in _why(assessment, "tumour.size_mm"))
    assert [d["category"] for d in assessment["findings"]["deposits"]] == ["molecular"]


@pytest.mark.parametrize(("name", "rid"), [("searchset-text-tnm", "grade"), ("batch-response-statuses", "ln-size")])
def test_an_observation_about_another_patient_is_refused(name: str, rid: str) -> None:
    bundle = _bundle(name)
    for entry in bundle["entry"]:
        if entry.get("resource", {}).get("id") == rid:
            entry["resource"]["subject"] = {"reference": "Patient/someone-else"}
    code, out = _assess_cli(bundle)
    assert code == 2 and "(bundle)" in [e["field"] for e in out["errors"]]


def test_a_contained_observation_about_another_patient_is_refused() -> None:
    bundle = _bundle("transaction-contained-osna")
    report = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DiagnosticReport")
    report["contained"][0]["subject"] = {"reference": "Patient/someone-else"}
    code, out = _assess_cli(bundle)
    assert code == 2 and "(bundle)" in [e["field"] for e in out["errors"]]


# --- single variants -------------------------------------------------------------------------------------------

def _o(rid: str, system: str, code: str, **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid, "status": value.pop("status", "final"),
            "code": {"coding": [{"system": system, "code": code}]} if code else {"text": system}, **value}


def _read(*resources: dict[str, Any]) -> Any:
    return import_bundle({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]})


_SLNB = {"resourceType": "Procedure", "id": "sl", "status": "completed", "subject": {"reference": "Patient/x"},
         "code": {"coding": [{"system": _S, "code": "396487001"}]}}


@pytest.mark.parametrize(("quantity", "size"), [({"value": 15, "unit": "mm", "system": _U, "code": "mm"}, 15.0),
                                                ({"value": 1.5, "unit": "cm", "system": _U, "code": "cm"}, 15.0),
                                                ({"value": 1.5, "unit": "cm"}, 15.0)])
def test_sizes_in_mm_and_cm(quantity: dict[str, Any], size: float) -> None:
    assert _read(_o("s", _L, "21889-1", valueQuantity=quantity)).case.tumour.size_mm == size


def test_a_size_without_a_unit_is_missing_not_guessed() -> None:
    imported = _read(_o("s", _L, "21889-1", valueQuantity={"value": 15}))
    assert imported.case.tumour is None or imported.case.tumour.size_mm is None
    assert any(f == "tumour.size_mm" and "Observation/s" in why for f, why in imported.missing)


def test_a_tnm_statement_as_the_stage_value() -> None:
    # Stage group.pathology (LOINC 21902-2) written "pT1c pN1mi M0" with no node counts: pN1mi says at least one
    # micrometastatic node (AJCC 8: pN1mi whatever their number); with 15 mm (T1c) and SLNB: pT1c pN1mi(sn) cM0 -> IB.
    imported = _read(_o("s", _L, "21889-1", valueQuantity={"value": 15, "unit": "mm", "code": "mm"}), _SLNB,
                     _o("st", _L, "21902-2", valueString="pT1c pN1mi M0"))
    staging = assess(imported.case).staging
    assert (staging.t, staging.n, staging.m, staging.anatomic_stage) == ("pT1c", "pN1mi(sn)", "cM0", "IB")


@pytest.mark.parametrize(("value", "group"), [({"valueString": "Stage IIA"}, "IIA"), ({"valueString": "IIA"}, "IIA"),
                                              ({"valueCodeableConcept": {"text": "stage 2a"}}, "IIA"),
                                              ({"valueCodeableConcept": {"coding": [{"system": _S,
                                                                                     "code": "1222766008"}]}}, "IIA"),
                                              ({"valueCodeableConcept": {"coding": [{"system": _S,
                                                                                     "code": "1222724007"}]}}, "IA")])
def test_stage_groups_as_text_or_snomed_are_read_not_taken_over(value: dict[str, Any], group: str) -> None:
    imported = _read(_o("st", _L, "21908-9", **value))
    assert any(f"stage group '{group}' read but not used" in w for w in imported.warnings)


def test_stage_and_tnm_text_helpers() -> None:
    assert [stage_group_text(t) for t in ("Stage IIIC", "AJCC stage IB", "0", "stage 4", "T1N0")] == [
        "IIIC", "IB", "0", "IV", None]
    assert tnm_categories("ypT1a ypN0(i+) cM0", "p") == ["ypT1a", "ypN0(i+)", "cM0"]
    assert tnm_categories("Positive (95%)", "p") == [] and tnm_categories("pT1c", "p") == []


@pytest.mark.parametrize(("written", "percent"), [("Positive (95%)", 95), ("Negative (0%)", 0), ("ER 85 %", 85)])
def test_receptor_percentages_written_in_text(written: str, percent: int) -> None:
    for element in ({"valueString": written}, {"valueCodeableConcept": {"text": written}}):
        assert _read(_o("e", _L, "85337-4", **element)).case.tumour.er_percent == percent


# "Negative (<1%)" is ER-negative (ASCO/CAP 2020: < 1 % is negative): read as 0 % with a warning
# (test_fhir_lab_patterns.py); a range across the 1 % or 10 % threshold is not one value
@pytest.mark.parametrize("written", ["Positive (1-10%)", "<10%", "ER 80% / PR 20%", "Allred 7/8"])
def test_ranges_bounds_and_scores_are_not_read_as_a_percentage(written: str) -> None:
    imported = _read(_o("e", _L, "85337-4", valueString=written))
    assert imported.case.tumour is None or imported.case.tumour.er_percent is None
    assert any(f == "tumour.er_percent" and "Observation/e" in why for f, why in imported.missing)


def test_her2_2plus_with_ish_not_amplified() -> None:
    imported = _read(_o("h", _L, "85319-2", valueString="2+"),
                     _o("i", _L, "85318-4", valueCodeableConcept={"text": "not amplified"}))
    assert imported.case.tumour.her2_ihc == "2+" and imported.case.tumour.her2_ish_ratio is None
    assert any(f == "tumour.her2_ish_ratio" and "Observation/i" in why for f, why in imported.missing)


def test_preliminary_alone_is_used_with_a_warning_and_registered_is_not() -> None:
    imported = _read(_o("e", _L, "85329-1", status="preliminary", valueQuantity={"value": 70, "unit": "%"}),
                     _o("p", _L, "85325-9", status="registered"))
    assert imported.case.tumour.er_percent == 70 and imported.case.tumour.pr_percent is None
    said = " ".join(imported.warnings)
    assert "preliminary result" in said and "Observation/p: status 'registered'" in said


def test_the_diagnostic_report_tells_core_biopsy_from_surgery() -> None:
    # The observations carry no specimen of their own; each report names its procedure: the surgical ER is used
    # (no neoadjuvant therapy), the core biopsy ER is reported, not a conflict.
    reports = [{"resourceType": "DiagnosticReport", "id": rid, "status": "final", "code": {"text": text},
                "effectiveDateTime": date, "result": [{"reference": f"Observation/{obs}"}]}
               for rid, text, date, obs in (("core", "Core needle biopsy pathology report", "2026-01-10", "er-core"),
                                            ("surg", "Surgical pathology: lumpectomy", "2026-02-10", "er-surg"))]
    imported = _read(*reports, _o("er-core", _L, "85329-1", valueQuantity={"value": 90, "unit": "%"}),
                     _o("er-surg", _L, "85329-1", valueQuantity={"value": 70, "unit": "%"}))
    assert imported.case.tumour.er_percent == 70
    assert any("Observation/er-core" in w for w in imported.warnings)


def test_both_breasts_named_by_tumour_findings_is_an_error() -> None:
    site = {"left": {"coding": [{"system": _S, "code": "80248007"}]}, "right": {"coding": [{"system": _S,
                                                                                            "code": "73056007"}]}}
    with pytest.raises(CaseValidationError) as caught:
        _read(_o("a", _L, "21889-1", bodySite=site["left"], valueQuantity={"value": 12, "unit": "mm"}),
              _o("b", _L, "85329-1", bodySite=site["right"], valueQuantity={"value": 80, "unit": "%"}))
    assert "tumour.laterality" in [p.field for p in caught.value.problems]


@pytest.mark.parametrize(("value", "expected"), [
    ({"valueQuantity": {"value": 6200, "unit": "copies/uL", "code": "{copies}/uL"}}, [("osna", 6200.0)]),
    ({"valueQuantity": {"value": 6200}}, "missing"),                     # no unit: not guessed
    ({"valueQuantity": {"value": 6200, "unit": "ng/mL"}}, "missing"),    # not a copy number
    ({"valueCodeableConcept": {"text": "(++)"}}, "missing"),             # the band without the copy number
    ({"valueCodeableConcept": {"text": "Negative"}}, []),
])
def test_osna_results(value: dict[str, Any], expected: Any) -> None:
    imported = _read(_o("osna", "OSNA, sentinel lymph node 1", "", **value))
    deposits = [(d.method, d.osna_copies_per_ul) for d in (imported.case.nodes.deposits if imported.case.nodes else [])]
    if expected == "missing":
        assert deposits == [] and any(f == "nodes.deposits" and "Observation/osna" in w for f, w in imported.missing)
    else:
        assert deposits == expected


def test_osna_nodes_as_components_of_one_result() -> None:
    # Tsujimoto 2007: 180 copies/uL -> negative, 2,400 -> micrometastasis (+), 12,000 -> macrometastasis (++)
    parts = [{"code": {"text": f"node {i}"}, "valueQuantity": {"value": v, "unit": "copies/uL", "code": "{copies}/uL"}}
             for i, v in ((1, 180), (2, 2400), (3, 12000))]
    imported = _read(_o("osna", "OSNA CK19 mRNA, sentinel lymph nodes", "", component=parts), _SLNB)
    findings = assess(imported.case).findings
    assert [d.category for d in findings.deposits] == ["negative", "micrometastasis", "macrometastasis"]


def test_duplicates_from_a_contained_copy_are_one_value() -> None:
    size = _o("sz", _L, "85351-5", valueQuantity={"value": 1.1, "unit": "mm", "code": "mm"})
    report = {"resourceType": "DiagnosticReport", "id": "r", "status": "final", "code": {"text": "Sentinel node"},
              "contained": [copy.deepcopy(size)], "result": [{"reference": "#sz"}]}
    imported = _read(report, size, _o("ex", _L, "85347-3", valueInteger=1), _SLNB)
    assert [d.size_mm for d in imported.case.nodes.deposits] == [1.1]


def test_her2_ish_ratio_and_copies_as_results_of_their_own() -> None:
    # LOINC 49683-6 (HER2/CEP17 ratio) and 74860-8 (HER2 copies per nucleus), as listed in the mCODE tumour marker
    # value set; beside a "not amplified" 85318-4 they are the numbers, so nothing is missing.
    imported = _read(_o("h", _L, "85319-2", valueString="2+"),
                     _o("i", _L, "85318-4", valueCodeableConcept={"text": "not amplified"}),
                     _o("r", _L, "49683-6", valueQuantity={"value": 1.3, "unit": "{ratio}"}),
                     _o("c", _L, "74860-8", valueString="3.1"))
    tumour = imported.case.tumour
    assert (tumour.her2_ish_ratio, tumour.her2_ish_copies) == (1.3, 3.1)
    assert not [f for f, _ in imported.missing if f.startswith("tumour.her2")]
    # ASCO/CAP 2018 group 5 (ratio < 2.0, < 4.0 signals/cell): HER2 negative
    assert assess(imported.case).findings.her2 in ("negative", "low")


@pytest.mark.parametrize(("element", "path"), [
    ({"valueQuantity": {"value": 1, "comparator": "<", "unit": "cm", "code": "cm"}}, "tumour.size_mm"),
    ({"valueString": "about two centimetres"}, "tumour.size_mm"),
    ({"valueRange": {"low": {"value": 1, "unit": "cm"}, "high": {"value": 2, "unit": "cm"}}}, "tumour.size_mm"),
])
def test_bounds_ranges_and_words_are_missing_not_guessed(element: dict[str, Any], path: str) -> None:
    imported = _read(_o("s", _L, "21889-1", **element))
    assert imported.case.tumour is None or imported.case.tumour.size_mm is None
    assert any(f == path and "Observation/s" in why for f, why in imported.missing)


@pytest.mark.parametrize(("element", "size"), [({"valueString": "1.8 cm"}, 18.0), ({"valueString": "18mm"}, 18.0),
                                               ({"valueCodeableConcept": {"text": "0,9 cm"}}, 9.0),
                                               ({"valueQuantity": {"value": 900, "unit": "µm"}}, 0.9)])
def test_sizes_written_with_their_unit(element: dict[str, Any], size: float) -> None:
    assert _read(_o("s", _L, "21889-1", **element)).case.tumour.size_mm == size


def test_node_counts_written_as_text() -> None:
    imported = _read(_o("e", _L, "92833-3", valueString="3"), _o("m", _L, "85344-0", valueString="1"),
                     _o("n", _L, "92831-7", valueString="one"), _SLNB)
    assert imported.case.nodes.examined == 3
    assert [d.reported_category for d in imported.case.nodes.deposits] == ["micrometastasis"]
    assert any(f == "nodes.deposits" and "Observation/n" in why for f, why in imported.missing)


def test_code_system_oids_and_written_unit_names() -> None:
    # Converters from CDA send the OIDs of LOINC (2.16.840.1.113883.6.1) and SNOMED CT (2.16.840.1.113883.6.96),
    # as in the C-CDA conformance statements, and a Quantity with only the unit's name.
    loinc, snomed = "urn:oid:2.16.840.1.113883.6.1", "urn:oid:2.16.840.1.113883.6.96"
    imported = _read(_o("s", loinc, "21889-1", valueQuantity={"value": 2.1, "unit": "Centimeter"}),
                     _o("g", loinc, "44648-4", valueCodeableConcept={"coding": [{"system": snomed, "code": "1228851006"}]}),
                     _o("n", snomed, "399534004", valueCodeableConcept={"coding": [{"system": snomed,
                                                                                     "code": "1229967007"}]}))
    assert (imported.case.tumour.size_mm, imported.case.tumour.grade, imported.case.clinical_nodes) == (21.0, 3, "cN0")


def test_a_deposit_reported_by_the_report_and_as_an_observation_is_one_node() -> None:
    # The report's copy has another id; with 1 node with a micrometastasis counted (LOINC 85344-0) the two equal
    # sizes are one deposit: 1.1 mm (> 0.2-2 mm, micrometastasis), sentinel only -> pN1mi(sn).
    size = _o("sz", _L, "85351-5", valueQuantity={"value": 1.1, "unit": "mm", "code": "mm"})
    copy_in_report = {**copy.deepcopy(size), "id": "sz-copy"}
    report = {"resourceType": "DiagnosticReport", "id": "r", "status": "final", "code": {"text": "Sentinel node"},
              "contained": [copy_in_report], "result": [{"reference": "#sz-copy"}, {"reference": "Observation/sz"}]}
    imported = _read(report, size, _o("ex", _L, "85347-3", valueInteger=2), _o("mi", _L, "85344-0", valueInteger=1),
                     _o("s", _L, "21889-1", valueQuantity={"value": 9, "unit": "mm", "code": "mm"}),
                     _o("m", _L, "21907-1", valueString="cM0"), _SLNB)
    assert [d.size_mm for d in imported.case.nodes.deposits] == [1.1]
    assert assess(imported.case).staging.n == "pN1mi(sn)"


def test_stage_and_tnm_texts_as_pathology_reports_write_them() -> None:
    assert [stage_group_text(t) for t in ("Stage IIA (AJCC 8th)", "Prognostic stage group IB", "Stage IA2")] == [
        "IIA", "IB", None]  # IA2 is not an AJCC 8 breast stage group
    # grade and UICC descriptors are skipped; a space before a suffix is allowed
    assert tnm_categories("pTNM: pT2 N1a (sn) M0 G2 L1 V0 R0", "p") == ["pT2", "pN1a(sn)", "pM0"]
    assert tnm_categories("pT1c G2", "p") == []  # one category alone is not a TNM statement
    imported = _read(_o("n", _L, "21900-6", valueString="pN1mi (sn)"), _SLNB)
    assert [d.reported_category for d in imported.case.nodes.deposits] == ["micrometastasis"]


def test_results_coded_only_by_their_name() -> None:
    imported = _read(_o("er", "Estrogen receptor (IHC)", "", valueString="Positive (90%)"),
                     _o("pr", "PR Allred score", "", valueString="Allred 5/8"),
                     _o("ki", "Ki-67 (MIB-1)", "", valueQuantity={"value": 20, "unit": "%"}),
                     _o("h", "HER2 IHC score", "", valueString="3+"),
                     _o("s", "Invasive tumour size", "", valueQuantity={"value": 2.2, "unit": "cm", "code": "cm"}),
                     _o("x", "Nuclear pleomorphism score", "", valueInteger=2))
    tumour = imported.case.tumour
    assert (tumour.er_percent, tumour.pr_percent, tumour.ki67_percent, tumour.her2_ihc, tumour.size_mm) == (
        90, None, 20, "3+", 22.0)
    assert any(f == "tumour.pr_percent" and "Observation/pr" in why and "Allred" in why for f, why in imported.missing)
    assert any("Observation/er" in w and "has no standard code" in w for w in imported.warnings)
    assert any("Observation/x" in w and "no code micromets reads" in w for w in imported.warnings)


def test_a_thousands_separator_is_not_read_as_a_decimal_comma() -> None:
    # "1,500 copies/uL" read as 1.5 would turn an OSNA micrometastasis (250-5,000) into a negative node
    imported = _read(_o("osna", "OSNA sentinel lymph node", "", valueString="1,500 copies/uL"))
    assert imported.case.nodes is None or imported.case.nodes.deposits == []
    assert any(f == "nodes.deposits" and "Observation/osna" in why for f, why in imported.missing)
    assert _read(_o("s", _L, "21889-1", valueString="1,5 cm")).case.tumour.size_mm == 15.0


@pytest.mark.parametrize(("written", "score"), [("Negative (0)", "0"), ("Equivocal (2+)", "2+"), ("Negative (1+)", "1+"),
                                                ("Positive (3+)", "3+"), ("HER2 IHC: 0", "0")])
def test_her2_scores_written_with_their_interpretation(written: str, score: str) -> None:
    assert _read(_o("h", _L, "85319-2", valueString=written)).case.tumour.her2_ihc == score


def test_a_grade_written_as_a_bare_number_on_the_grade_code() -> None:
    assert _read(_o("g", _L, "44648-4", valueString="2")).case.tumour.grade == 2
