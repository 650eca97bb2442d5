"""How hospital LIS/EHR systems and synoptic pathology reports send breast pathology in FHIR R4 (blind audit, round
"lab patterns"): CAP eCC synoptic reports as a DiagnosticReport whose results are panels grouping the results with
``hasMember``; US Core laboratory results with the LOINC codes of the CAP breast biomarker template; ICD-O-3
histology on the mCODE primary cancer Condition. Each test names the rule it checks."""

from __future__ import annotations

from typing import Any

from _audit_bundles import L, S, U, bundle, obs

from micromets.interop.fhir import import_bundle

ER_PERCENT = {"coding": [{"system": L, "code": "85329-1",
                          "display": "Cells.estrogen receptor/100 cells in Breast cancer specimen by Immune stain"}]}
ER_STATUS = {"coding": [{"system": L, "code": "85337-4",
                         "display": "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain"}]}
PR_PERCENT = {"coding": [{"system": L, "code": "85325-9",
                          "display": "Cells.progesterone receptor/100 cells in Breast cancer specimen by Immune stain"}]}


def percent(value: float, comparator: str | None = None) -> dict[str, Any]:
    return {"value": value, **({"comparator": comparator} if comparator else {}), "unit": "%", "system": U, "code": "%"}


def report(rid: str, name: str, *results: str) -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": rid, "status": "final", "subject": {"reference": "Patient/p"},
            "code": {"text": name}, "effectiveDateTime": "2024-04-01",
            "result": [{"reference": f"Observation/{r}"} for r in results]}


def with_reports(b: dict[str, Any], *reports: dict[str, Any]) -> dict[str, Any]:
    b["entry"] += [{"fullUrl": f"urn:uuid:DiagnosticReport-{r['id']}", "resource": r} for r in reports]
    return b


def test_synoptic_panel_members_take_the_specimen_of_their_report() -> None:
    """FHIR R4 Observation.hasMember: a CAP eCC synoptic report lists its section panels in DiagnosticReport.result and
    each panel groups its results with hasMember. The results are from the report's specimen as much as the panel:
    the core biopsy's ER (5 %) and the excision's (40 %) are two specimens, the excision's used (as when the report
    lists the results directly), not a conflict that refuses the import; the grouping panel is no "unused" result."""
    b = bundle(obs("core-panel", {"text": "Breast biomarkers"}, hasMember=[{"reference": "Observation/core-er"}]),
               obs("exc-panel", {"text": "Breast biomarkers"}, hasMember=[{"reference": "Observation/exc-er"}]),
               obs("core-er", ER_PERCENT, valueQuantity=percent(5)),
               obs("exc-er", ER_PERCENT, valueQuantity=percent(40)))
    imported = import_bundle(with_reports(b, report("r1", "Core needle biopsy pathology", "core-panel"),
                                          report("r2", "Excision surgical pathology report", "exc-panel")))
    assert imported.case.tumour is not None and imported.case.tumour.er_percent == 40
    assert any("Observation/core-er" in w and "differs" in w for w in imported.warnings)
    assert not any("not used" in w and "panel" in w for w in imported.warnings)


def test_er_below_one_percent_is_er_negative_not_unknown() -> None:
    """ASCO/CAP 2020 ER/PR guideline (Allison et al., J Clin Oncol 2020;38:1346): ER in < 1 % of tumour nuclei is
    negative. A LIS sends it as a bound (Quantity.comparator '<', FHIR R4 Quantity) or as text ("Negative (<1%)");
    every value below 1 % is ER-negative, so it is read as 0 % with a warning naming the result, not left unknown.
    A bound that straddles a threshold ("<10 %": negative or ER-low) stays a named missing value."""
    for value in ({"valueQuantity": percent(1, "<")}, {"valueString": "Negative (<1%)"},
                  {"valueCodeableConcept": {"text": "negative, <1% of nuclei stained"}}):
        code = ER_PERCENT if "valueQuantity" in value else ER_STATUS
        imported = import_bundle(bundle(obs("er", code, **value)))
        assert imported.case.tumour is not None and imported.case.tumour.er_percent == 0, value
        assert any("Observation/er" in w and "ER-negative" in w for w in imported.warnings), value
    imported = import_bundle(bundle(obs("er", ER_PERCENT, valueQuantity=percent(10, "<"))))
    assert imported.case.tumour is None or imported.case.tumour.er_percent is None
    assert any(f == "tumour.er_percent" and "Observation/er" in why for f, why in imported.missing)


MCODE_HISTOLOGY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def with_histology(code: str, display: str) -> dict[str, Any]:
    b = bundle()
    cancer = b["entry"][1]["resource"]
    cancer["extension"] = [{"url": MCODE_HISTOLOGY,
                            "valueCodeableConcept": {"coding": [{"system": ICDO3, "code": code, "display": display}]}}]
    return b


def test_icdo3_histology_on_the_cancer_condition_is_read() -> None:
    """mCODE primary cancer Condition, extension histology-morphology-behavior (ICD-O-3 morphology/behaviour, as MII
    Onkologie and tumour registries send it): 8520/3 lobular carcinoma, 8522/3 infiltrating duct and lobular
    carcinoma, 8500/3 infiltrating duct carcinoma (ICD-O-3). Lobular histology changes the advice on cytokeratin IHC
    for sentinel nodes (CAP breast protocol); it was not read at all. A morphology micromets does not map (8500/2,
    ductal carcinoma in situ, on the invasive cancer) is a missing tumour.histology naming the Condition."""
    for code, display, histology in (("8520/3", "Lobular carcinoma, NOS", "lobular"),
                                     ("8522/3", "Infiltrating duct and lobular carcinoma", "mixed"),
                                     ("8500/3", "Infiltrating duct carcinoma, NOS", "ductal")):
        imported = import_bundle(with_histology(code, display))
        assert imported.case.tumour is not None and imported.case.tumour.histology == histology, code
    imported = import_bundle(with_histology("8500/2", "Intraductal carcinoma, noninfiltrating, NOS"))
    assert imported.case.tumour is None or imported.case.tumour.histology is None
    assert any(f == "tumour.histology" and "Condition/bc" in why and "8500/2" in why for f, why in imported.missing)


def test_a_percentage_sent_as_a_ratio_of_cells_is_read() -> None:
    """FHIR R4 Ratio (numerator / denominator, same unit): a LIS counting stained nuclei sends PR as 30 {cells} of 100
    {cells}, i.e. 30 % (LOINC 85325-9 'Cells.progesterone receptor/100 cells': a number fraction). It was a missing
    value named 'valueRatio'. A range (80-90 %) is not one value: still missing, now shown as the range it is."""
    imported = import_bundle(bundle(obs("pr", PR_PERCENT, valueRatio={"numerator": {"value": 30, "unit": "{cells}"},
                                                                      "denominator": {"value": 100, "unit": "{cells}"}})))
    assert imported.case.tumour is not None and imported.case.tumour.pr_percent == 30
    imported = import_bundle(bundle(obs("er", ER_PERCENT, valueRange={"low": percent(80), "high": percent(90)})))
    assert imported.case.tumour is None or imported.case.tumour.er_percent is None
    assert any(f == "tumour.er_percent" and "80 % to 90 %" in why for f, why in imported.missing)


def test_er_1_without_a_unit_is_not_read_as_1_percent() -> None:
    """LOINC 85329-1 is a number fraction (property NFr; US Core sends UCUM '%'). A unitless 1 is 1 % (ER-low
    positive, 1-10 %: ASCO/CAP 2020) or the whole fraction (100 %): it was read as 1 % without a word; now a missing
    value naming the result, as a unitless 0.95 already was. A unitless 95 can only be a percentage and is read."""
    imported = import_bundle(bundle(obs("er", ER_PERCENT, valueQuantity={"value": 1})))
    assert imported.case.tumour is None or imported.case.tumour.er_percent is None
    assert any(f == "tumour.er_percent" and "Observation/er" in why and "without a unit" in why
               for f, why in imported.missing)
    assert import_bundle(bundle(obs("er", ER_PERCENT, valueQuantity={"value": 95}))).case.tumour.er_percent == 95


def _procedure(rid: str, code: str, display: str, site: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"resourceType": "Procedure", "id": rid, "status": "completed", "subject": {"reference": "Patient/p"},
            "code": {"coding": [{"system": S, "code": code, "display": display}]}, "performedDateTime": "2024-05-01",
            **({"bodySite": [site]} if site else {})}


def test_an_axillary_procedure_on_the_other_side_is_not_this_cancers() -> None:
    """A Procedure's bodySite gives its side (US Core/mCODE: SNOMED CT body structure, mCODE laterality qualifier
    extension). The left breast cancer's axilla is not staged by a sentinel node biopsy (SNOMED CT 396487001) of the
    right axilla (a contralateral or earlier operation): it was read as this cancer's nodes.procedure 'slnb'
    without a word. It is set aside with a warning naming the Procedure; the left-sided one is read."""
    right = {"coding": [{"system": S, "code": "91470000", "display": "Axillary region structure"}],
             "extension": [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier",
                            "valueCodeableConcept": {"coding": [{"system": S, "code": "24028007",
                                                                 "display": "Right (qualifier value)"}]}}]}
    imported = import_bundle(bundle(_procedure("slnb-r", "396487001", "Sentinel lymph node biopsy", right)))
    assert imported.case.nodes is None or imported.case.nodes.procedure is None
    assert any("Procedure/slnb-r" in w and "right" in w for w in imported.warnings)
    left = {"text": "Left axilla"}
    imported = import_bundle(bundle(_procedure("slnb-l", "396487001", "Sentinel lymph node biopsy", left)))
    assert imported.case.nodes is not None and imported.case.nodes.procedure == "slnb"


def test_icdo3_histology_sent_as_an_observation_is_read() -> None:
    """MII Onkologie example mii-exa-onko-histologie-icdo3: histology and behaviour as an Observation, LOINC 59847-4,
    value ICD-O-3 (8520/3 lobular carcinoma). It was warned as a code micromets does not read."""
    imported = import_bundle(bundle(obs("hist", {"coding": [{"system": L, "code": "59847-4"}]},
                                        valueCodeableConcept={"coding": [{"system": ICDO3, "code": "8520/3",
                                                                          "display": "Lobular carcinoma, NOS"}]})))
    assert imported.case.tumour is not None and imported.case.tumour.histology == "lobular"
    assert not any("Observation/hist" in w for w in imported.warnings)


CPT = "http://www.ama-assn.org/go/cpt"


def test_cpt_coded_breast_and_axillary_operations() -> None:
    """US EHRs code operations in CPT (FHIR system http://www.ama-assn.org/go/cpt). CPT Assistant (Sept. 2008): 19301
    is a partial mastectomy (lumpectomy) -> surgery.breast 'bcs'. 38525 (biopsy or excision of lymph node(s), open,
    deep axillary) is a sentinel biopsy or part of a dissection: not mapped, but no longer skipped without a word."""
    lumpectomy = {"resourceType": "Procedure", "id": "wle", "status": "completed", "subject": {"reference": "Patient/p"},
                  "code": {"coding": [{"system": CPT, "code": "19301"}]}, "performedDateTime": "2024-05-01"}
    nodes = {**lumpectomy, "id": "ax", "code": {"coding": [{"system": CPT, "code": "38525"}]}}
    imported = import_bundle(bundle(lumpectomy, nodes))
    assert imported.case.surgery is not None and imported.case.surgery.breast == "bcs"
    assert imported.case.nodes is None or imported.case.nodes.procedure is None
    assert any("Procedure/ax" in w and "38525" in w for w in imported.warnings)
