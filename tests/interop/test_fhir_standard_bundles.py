"""Issue 10: FHIR R4 bundles coded the way other systems code them import and stage correctly.

The bundles in ``tests/interop/bundles/`` were written by hand, not by micromets' exporter: a pathology LIS
sending the LOINC codes of the CAP breast synoptic protocol ("/100 cells" receptor percentages, node counts by
macrometastasis / micrometastasis / ITC, largest deposit), an mCODE STU4 implementation (SNOMED CT AJCC qualifier
values and category observables, HER2 IHC as a LOINC answer), Epic-style US Core results (text values, TNM as
plain text, searchset Bundles), SNOMED CT procedures and menopausal status, RxNorm medications, and a pre-treatment
ultrasound size beside ypT0 after neoadjuvant chemotherapy.

Expected stages are derived by hand from the AJCC Cancer Staging Manual, 8th ed. (2017), chapter 48 Breast, as
revised January 2018: T by size (T1b > 5-10 mm, T1c > 10-20 mm, T2 > 20-50 mm); N from the node classes
(ITC <= 0.2 mm only -> pN0(i+); micrometastases only -> pN1mi; 1-3 nodes with >= 1 deposit > 2 mm -> pN1a;
"(sn)" when only sentinel nodes were removed); the anatomic stage table (T1 N1mi -> IB, T0 N1mi -> IB,
T2 N1 -> IIB, T1 N0 -> IA) and the pathological / clinical prognostic stage tables (groups A-E by grade, HER2,
ER, PR). Each case names the cells used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from _bundles import Expected, assessed_through_the_cli, check_stage
from micromets.api import create_app
from micromets.cli import app as cli_app
from micromets.errors import CaseValidationError
from micromets.interop.fhir import import_bundle

from _auth import api_client

BUNDLES = Path(__file__).parent / "bundles"
runner = CliRunner()

#: bundle -> (T, N, M, anatomic, pathological prognostic, clinical prognostic or None when not checked)
EXPECTED: Expected = {
    # 16 mm -> pT1c; one node micrometastasis 1.2 mm, SLNB only -> pN1mi(sn); anatomic T1 N1mi M0 -> IB;
    # pathological prognostic group A (T1 N1mi), G2, HER2- (IHC 1+), ER+ PR+ -> IA.
    "lis-pn1mi": ("pT1c", "pN1mi(sn)", "cM0", "IB", "IA", None),
    # 8 mm -> pT1b; one ITC node, sentinel only -> pN0(i+)(sn); T1 N0 -> IA; group A, G1, HER2- ER+ PR+ -> IA.
    "mcode-itc": ("pT1b", "pN0(i+)(sn)", "cM0", "IA", "IA", None),
    # 2.5 cm -> pT2; one macrometastasis (3.5 mm) of 2 sentinel nodes -> pN1a(sn); T2 N1 -> IIB;
    # group C (T2 N1), G3, HER2- (IHC 2+, ISH ratio 1.4 and 3.2 signals/cell: ASCO/CAP group 5, negative),
    # ER+ PR- -> IIB.
    "epic-macro": ("pT2", "pN1a(sn)", "cM0", "IIB", "IIB", None),
    # After neoadjuvant chemotherapy: no residual invasive tumour -> ypT0; one residual micrometastasis -> ypN1mi(sn);
    # anatomic table (ypTNM uses it) T0 N1mi -> IB; clinical prognostic from pre-treatment cT2 (28 mm) cN1:
    # group C, G3, HER2- (1+), ER- PR- -> IIIB; the pathological prognostic table does not apply after therapy.
    "nact-ypt0": ("ypT0", "ypN1mi(sn)", "cM0", "IB", None, "IIIB"),
    # 32 mm -> pT2; 3 positive nodes (2 macro, 1 micro) + 1 ITC node after axillary dissection -> pN1a (no sn);
    # T2 N1 -> IIB; group C, G2, HER2+ (IHC 3+), ER+ PR+ -> IB.
    "lis-alnd": ("pT2", "pN1a", "cM0", "IIB", "IB", None),
    # 12 mm -> pT1c; one node with a 0.15 mm IHC deposit -> pN0(i+)(sn); T1 N0 -> IA;
    # group A, G2, HER2+ (IHC 2+, ISH ratio 2.5 and 5.0 signals/cell: group 1, positive), ER- PR- -> IA.
    "ish-itc-ihc": ("pT1c", "pN0(i+)(sn)", "cM0", "IA", "IA", None),
    # 0.9 cm -> pT1b; two micrometastatic sentinel nodes (counts only) -> pN1mi(sn); T1 N1mi -> IB;
    # group A, G2, HER2- ER+ PR+ -> IA.
    "epic-text-tnm": ("pT1b", "pN1mi(sn)", "cM0", "IB", "IA", None),
    # Surgical specimen 19 mm -> pT1c (the 24 mm ultrasound size is pre-treatment); 0 of 2 sentinel nodes -> pN0(sn);
    # T1 N0 -> IA; group A, G2 (surgical grade; core biopsy said G3), HER2- ER+ PR+ -> IA.
    "core-vs-surgical": ("pT1c", "pN0(sn)", "cM0", "IA", "IA", None),
}


def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BUNDLES / f"{name}.json").read_text())
    return data


def _check_stage(name: str, staging: dict[str, Any]) -> None:
    check_stage(EXPECTED, name, staging)


def test_every_bundle_in_the_folder_has_an_expected_stage() -> None:
    assert {p.stem for p in BUNDLES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundle_stages_through_the_cli(name: str) -> None:
    assessed_through_the_cli(BUNDLES, EXPECTED, name)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return api_client(create_app(), "write")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundle_stages_through_rest_as_fhir_json(client: TestClient, name: str) -> None:
    body = (BUNDLES / f"{name}.json").read_bytes()
    response = client.post("/api/assess", content=body, headers={"Content-Type": "application/fhir+json"})
    assert response.status_code == 200, response.text
    _check_stage(name, response.json()["staging"])


def test_the_installed_command_reads_a_bundle() -> None:
    completed = subprocess.run([sys.executable, "-m", "micromets.cli", "assess", str(BUNDLES / "nact-ypt0.json")],
                               capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    _check_stage("nact-ypt0", json.loads(completed.stdout)["staging"])


def test_fields_read_from_standard_codes() -> None:
    # Values as coded in the bundles (LOINC answers, SNOMED CT findings, RxNorm), not micromets' own codes.
    case = import_bundle(_bundle("lis-pn1mi")).case
    assert case.tumour is not None and case.nodes is not None and case.surgery is not None
    assert (case.age, case.sex, case.menopausal_status) == (58, "female", "post")  # 1968-03-10 -> 2026-09-01
    assert (case.tumour.size_mm, case.tumour.grade, case.tumour.er_percent, case.tumour.pr_percent) == (16.0, 2, 95, 30)
    assert (case.tumour.her2_ihc, case.tumour.ki67_percent) == ("1+", 15)
    assert (case.nodes.procedure, case.nodes.examined, len(case.nodes.deposits)) == ("slnb", 3, 1)
    assert case.nodes.deposits[0].size_mm == 1.2
    assert (case.surgery.breast, case.surgery.status, str(case.surgery.date)) == ("bcs", "done", "2026-10-01")
    assert (case.clinical_nodes, case.metastasis, case.oncotype_rs, case.germline_brca) == ("cN0", "cM0", 14, "negative")
    epic = import_bundle(_bundle("epic-macro")).case
    assert epic.tumour is not None and epic.treatments is not None
    assert (epic.tumour.her2_ihc, epic.tumour.her2_ish_ratio, epic.tumour.her2_ish_copies) == ("2+", 1.4, 3.2)
    assert (epic.menopausal_status, epic.surgery and epic.surgery.breast) == ("pre", "mastectomy")
    assert epic.treatments.endocrine is True  # tamoxifen prescribed after the operation
    alnd = import_bundle(_bundle("lis-alnd")).case
    assert alnd.nodes is not None and alnd.nodes.procedure == "slnb_then_alnd"
    assert [d.reported_category for d in alnd.nodes.deposits] == ["macrometastasis", "macrometastasis",
                                                                 "micrometastasis", "itc"]
    assert alnd.nodes.deposits[0].size_mm == 6.0  # the largest deposit belongs to a macrometastatic node
    brca2 = import_bundle(_bundle("core-vs-surgical")).case
    assert brca2.germline_brca == "brca2"


def test_pre_treatment_size_beside_yp_t0_is_not_a_conflict() -> None:
    # Issue 10: "conflicting values 28.0 and 0.0" must not happen: the ultrasound size is pre-treatment.
    imported = import_bundle(_bundle("nact-ypt0"))
    case = imported.case
    assert case.neoadjuvant is True and case.neoadjuvant_therapy is not None and case.tumour is not None
    assert case.tumour.size_mm == 0
    assert case.neoadjuvant_therapy.pre_treatment_size_mm == 28.0
    assert case.neoadjuvant_therapy.pre_treatment_clinical_nodes == "cN1"
    assert case.neoadjuvant_therapy.agents == ["anthracycline", "taxane", "platinum", "pembrolizumab"]
    assert case.clinical_nodes == "cN1" and case.menopausal_status == "pre"


def test_core_biopsy_and_surgical_values_are_told_apart() -> None:
    imported = import_bundle(_bundle("core-vs-surgical"))
    tumour = imported.case.tumour
    assert tumour is not None and (tumour.size_mm, tumour.grade, tumour.er_percent, tumour.pr_percent) == (19, 2, 80, 50)
    said = " ".join(imported.warnings)
    assert "Observation/us-size" in said and "Observation/core-grade" in said and "Observation/core-er" in said


def test_a_single_resource_is_read_too() -> None:
    resource = {"resourceType": "Observation", "id": "s", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "21889-1"}]},
                "valueQuantity": {"value": 1.4, "unit": "cm", "system": "http://unitsofmeasure.org", "code": "cm"}}
    result = runner.invoke(cli_app, ["assess", "-"], input=json.dumps(resource))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["staging"]["t"].endswith("T1c")  # 14 mm (AJCC 8: > 10 to 20 mm)


def test_jsonl_lines_may_be_bundles() -> None:
    lines = "\n".join(json.dumps(_bundle(name), separators=(",", ":")) for name in ("mcode-itc", "lis-alnd"))
    result = runner.invoke(cli_app, ["assess", "--jsonl", "-"], input=lines + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["staging"]["n"] for o in out] == ["pN0(i+)(sn)", "pN1a"]


def test_input_format_option() -> None:
    path = str(BUNDLES / "mcode-itc.json")
    as_case = runner.invoke(cli_app, ["assess", "--input-format", "case", path])
    assert as_case.exit_code == 2 and "resourceType" in as_case.output  # a Bundle is not a case
    as_fhir = runner.invoke(cli_app, ["assess", "--input-format", "fhir", path])
    assert as_fhir.exit_code == 0
    not_fhir = runner.invoke(cli_app, ["assess", "--input-format", "fhir", "-"], input='{"id": "x", "age": 50}')
    assert not_fhir.exit_code == 2 and "resourceType" in not_fhir.output


def test_unmapped_values_are_named_in_missing_with_the_resource() -> None:
    bundle = _bundle("mcode-itc")
    for entry in bundle["entry"]:  # drop the percentages: only "Positive" remains for ER
        if entry["resource"]["id"] in ("er-pct",):
            entry["resource"]["status"] = "entered-in-error"
    result = runner.invoke(cli_app, ["assess", "-"], input=json.dumps(bundle))
    assessment = json.loads(result.stdout)
    why = [m["why"] for m in assessment["missing"] if m["field"] == "tumour.er_percent"]
    assert any("Observation/er-status" in w for w in why)


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda r: r["component"][0].update(valueQuantity={"value": 2, "unit": "in", "code": "[in_i]"})
     if r["id"] == "size" else None, "tumour.size_mm"),
    (lambda r: r.update(valueQuantity={"value": 1.5, "unit": "{count}"}) if r["id"] == "ln-micro" else None,
     "nodes.deposits"),
    (lambda r: r.update(valueQuantity={"value": 3, "unit": "%"}) if r["id"] == "ln-pos" else None, "nodes.deposits"),
    (lambda r: r.update(subject={"reference": "Patient/someone-else"}) if r["id"] == "grade" else None, "(bundle)"),
])
def test_bad_bundles_give_field_named_errors_without_traceback(mutate: Any, field: str) -> None:
    bundle = _bundle("lis-pn1mi")
    for entry in bundle["entry"]:
        mutate(entry["resource"])
    result = runner.invoke(cli_app, ["assess", "-"], input=json.dumps(bundle))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert field in [e["field"] for e in json.loads(result.stdout)["errors"]]


def test_bad_fhir_over_rest_is_422_with_the_field(client: TestClient) -> None:
    for body, field in ((b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Nope"}}]}',
                         "(bundle).entry[0].resource.resourceType"),
                        (b'{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueQuantity": '
                         b'{"value": NaN}}', "valueQuantity.value")):
        response = client.post("/api/assess", content=body, headers={"Content-Type": "application/fhir+json"})
        assert response.status_code == 422, response.text
        assert field in [d["field"] for d in response.json()["detail"]]


_L, _S = "http://loinc.org", "http://snomed.info/sct"


def _o(rid: str, system: str, code: str, **value: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid, "status": "final",
            "code": {"coding": [{"system": system, "code": code}]}, **value}


def _read(*resources: dict[str, Any]) -> Any:
    return import_bundle({"resourceType": "Bundle", "type": "collection",
                          "entry": [{"resource": r} for r in resources]})


def test_other_ways_systems_write_the_same_values() -> None:
    imported = _read(
        # HER2 IHC only in the answer's display; ER percentage as text; PR as a component of its status panel
        _o("h", _L, "85319-2", valueCodeableConcept={"coding": [{"system": "urn:lab", "code": "H2", "display": "Score 2+"}]}),
        _o("e", _L, "85329-1", valueString="95 %"),
        _o("p", _L, "85339-0", valueCodeableConcept={"text": "Positive"},
           component=[{"code": {"coding": [{"system": _L, "code": "85325-9"}]}, "valueQuantity": {"value": 40, "unit": "%"}}]),
        _o("g", _L, "44648-4", valueCodeableConcept={"text": "Grade III"}),
        {"resourceType": "Procedure", "id": "op", "status": "completed", "performedDateTime": "2026-01-05",
         "code": {"text": "Right breast wide local excision"}, "subject": {"reference": "Patient/x"}},
        {"resourceType": "Medication", "id": "m1", "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                                        "code": "224905", "display": "trastuzumab"}]}},
        {"resourceType": "MedicationAdministration", "id": "a1", "status": "completed",
         "medicationReference": {"reference": "Medication/m1"}, "subject": {"reference": "Patient/x"},
         "effectiveDateTime": "2026-02-01"},
    )
    tumour = imported.case.tumour
    assert (tumour.her2_ihc, tumour.er_percent, tumour.pr_percent, tumour.grade) == ("2+", 95, 40, 3)
    assert imported.case.surgery.breast == "bcs"
    assert imported.case.treatments.trastuzumab is True  # given after the operation


def test_a_pathological_n_category_without_counts() -> None:
    # pN1mi says at least one node has a micrometastasis (AJCC 8: pN1mi whatever their number): one node is recorded.
    base = (_o("s", _L, "21889-1", valueQuantity={"value": 15, "unit": "mm", "code": "mm"}),
            {"resourceType": "Procedure", "id": "sl", "status": "completed", "subject": {"reference": "Patient/x"},
             "code": {"coding": [{"system": _S, "code": "396487001"}]}})
    imported = _read(*base, _o("n", _L, "21900-6", valueCodeableConcept={"text": "pN1mi(sn)"}))
    assert [d.reported_category for d in imported.case.nodes.deposits] == ["micrometastasis"]
    # pN1a cannot become nodes (how many, which class): never staged as node-negative
    with pytest.raises(CaseValidationError) as caught:
        _read(*base, _o("n", _L, "21900-6", valueCodeableConcept={"coding": [{"system": _S, "code": "1229954009"}]}))
    assert "nodes.deposits" in [p.field for p in caught.value.problems]


def test_clinical_categories_as_coded_or_written() -> None:
    # AJCC 8: "(f)" marks a node confirmed by FNA/core biopsy; it is still cN1. Without a prefix, the LOINC code
    # (21906-3 clinical) says the category is clinical.
    for value in ({"text": "cN1(f)"}, {"text": "N1"}, {"coding": [{"system": _S, "code": "1229973008"}]}):
        assert _read(_o("n", _L, "21906-3", valueCodeableConcept=value)).case.clinical_nodes == "cN1"
    assert _read(_o("m", _S, "399387003", valueCodeableConcept={"text": "M0"})).case.metastasis == "cM0"
