"""Published mCODE example resources as FHIR R4 JSON, assembled into patient Bundles (test data: facts only).

Sources (HL7/fhir-mCODE-ig, the FHIR mCODE Implementation Guide's own repository):

- STU4 (commit 543477b5, ``input/fsh/EX_ExtendedExample.fsh``): the extended example "Jenny M", a woman born
  1965-01-01 with a left breast infiltrating duct carcinoma diagnosed 2018-03-16 (clinical cT3 cN0 cM0, stage IIB;
  biopsy ER Positive, PR Negative, HER2 Negative; partial mastectomy 2018-04-01, 2.5 cm, Nottingham grade 2, 3
  sentinel nodes examined, pathological pT3 pN0, pM "not applicable"; Oncotype DX 47; doxorubicin, cyclophosphamide,
  paclitaxel from 2018-04-12, chest-wall radiotherapy 2018-08-15 to 2018-10-25, anastrozole from 2018-09-30). The FSH
  ``Instance`` definitions are written out here as the JSON SUSHI makes of them (``meta.profile`` = the profile
  instantiated; ``Reference(x)`` = ``<Type>/x``); practitioners and organisations are left out (only referenced).
  STU3 (tag STU3, 9f6ddd0b) has the same Jenny M instances but for the ``category`` lines STU4 added.
- STU2 (tag STU2, 42af6f66, ``input/fsh/EX_ExtendedExample.fsh``): the same patient coded the STU2 way: AJCC
  categories in ``http://cancerstaging.org`` (``AJCC#cT3``, stage ``AJCC#2B "IIB"``, summary ``AJCC#3C``), LOINC
  TNM observation codes, pM0, the ``ComorbiditiesElixhauser`` panel (code ``LNC_TBD#comorbidities-elixhauser`` in
  ``http://hl7.org/fhir/us/mcode/CodeSystem/loinc-requested-cs``, one component per Elixhauser category with value
  SNOMED CT 52101004 Present / 2667000 Absent, ``input/fsh/SD_ComorbidCondition.fsh``), tumour size method LOINC
  24419-4 and the ``{Count}`` unit.
- STU1 (tag STU1, 49e94b13, ``input/examples/*.json``): the published JSON examples themselves (a man with
  non-small cell lung cancer, SNOMED CT 254637007; AJCC values as ``http://cancerstaging.org`` codes).
- STU4 ``input/fsh/EX_Basic.fsh``: ``cancer-related-comorbidities-john-anyperson`` with ``john-anyperson-chf``
  (ICD-10-CM I50.32 "Chronic diastolic (congestive) heart failure").
"""

from __future__ import annotations

import copy
from typing import Any

L, S, U = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"
AJCC = "http://cancerstaging.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
LNC_TBD = "http://hl7.org/fhir/us/mcode/CodeSystem/loinc-requested-cs"
PATIENT = "Patient/cancer-patient-jenny-m"
CANCER = "Condition/primary-cancer-condition-jenny-m"
SPECIMEN = "Specimen/tumor-specimen-left-breast-jenny-m"
AJCC8 = {"coding": [{"system": S, "code": "897275008", "display": "American Joint Commission on Cancer, Cancer Staging "
                     "Manual, 8th edition neoplasm staging system (tumor staging)"}]}
INTENT = {"url": MCODE + "mcode-procedure-intent",
          "valueCodeableConcept": {"coding": [{"system": S, "code": "373808002",
                                               "display": "Curative - procedure intent (qualifier value)"}]}}


def cc(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}


def ref(target: str) -> dict[str, str]:
    return {"reference": target}


def category(code: str, display: str | None = None) -> list[dict[str, Any]]:
    return [cc(OBSCAT, code, display)]


def _clinical(code: str, display: str | None) -> dict[str, Any]:
    return cc("http://terminology.hl7.org/CodeSystem/condition-clinical", code, display)


def _verified(code: str = "confirmed") -> dict[str, Any]:
    return cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", code)


_PROBLEM = [cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")]


def _resource(kind: str, rid: str, profile: str | None, **content: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": kind, "id": rid}
    if profile is not None:
        out["meta"] = {"profile": [profile if profile.startswith("http") else MCODE + profile]}
    out.update(content)
    return out


def _obs(rid: str, profile: str | None, code: dict[str, Any], **content: Any) -> dict[str, Any]:
    return _resource("Observation", rid, profile, status="final", code=code, subject=ref(PATIENT), **content)


def _tnm(rid: str, profile: str, code: dict[str, Any], value: dict[str, Any], date: str,
         **content: Any) -> dict[str, Any]:
    return _obs(rid, profile, code, effectiveDateTime=date, valueCodeableConcept=value, method=AJCC8,
                performer=[ref("Practitioner/us-core-practitioner-owen-oncologist")], **content)


def _medication_request(drug: str, rxnorm: str, name: str, start: str, text: str,
                        dose: dict[str, Any]) -> dict[str, Any]:
    return _resource(
        "MedicationRequest", f"cancer-related-medication-request-{drug}-jenny-m", "mcode-cancer-related-medication-request",
        extension=[INTENT], status="active",
        category=[cc("http://terminology.hl7.org/CodeSystem/medicationrequest-category", "outpatient")],
        intent="order", medicationCodeableConcept=cc(RXN, rxnorm, name), subject=ref(PATIENT),
        requester=ref("Practitioner/us-core-practitioner-owen-oncologist"), reasonReference=[ref(CANCER)],
        authoredOn="2018-04-12",
        dosageInstruction=[{"text": text, "timing": {"repeat": {"boundsPeriod": {"start": start}}},
                            "route": cc(S, "47625008", "Intravenous route (qualifier value)"),
                            "doseAndRate": [dose],
                            "maxDosePerPeriod": {"numerator": {"value": 1},
                                                 "denominator": {"value": 3, "unit": "week", "system": U, "code": "wk"}}}])


def _medication_admin(drug: str, rxnorm: str, name: str, dose: float, note: str, note_time: str,
                      extensions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return _resource(
        "MedicationAdministration", f"cancer-related-medication-admin-{drug}-jenny-m",
        "mcode-cancer-related-medication-administration", **({"extension": extensions} if extensions else {}),
        status="completed",
        category=cc("http://terminology.hl7.org/CodeSystem/medicationrequest-category", "outpatient"),
        medicationCodeableConcept=cc(RXN, rxnorm, name), subject=ref(PATIENT),
        performer=[{"actor": ref("Practitioner/us-core-practitioner-nancy-oncology-nurse")}],
        reasonReference=[ref(CANCER)], effectiveDateTime="2018-04-22", **extra,
        note=[{"authorReference": ref("Practitioner/us-core-practitioner-nancy-oncology-nurse"), "time": note_time,
               "text": note}],
        dosage={"route": cc(S, "47625008", "Intravenous route (qualifier value)"),
                "dose": {"value": dose, "unit": "mg", "system": U, "code": "mg"}})


def _condition(rid: str, code: dict[str, Any], onset: str) -> dict[str, Any]:
    return _resource("Condition", rid, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition",
                     clinicalStatus=_clinical("active", "Active"), verificationStatus=_verified(), category=_PROBLEM,
                     code=code, subject=ref(PATIENT), onsetDateTime=onset,
                     asserter=ref("Practitioner/us-core-practitioner-owen-oncologist"))


def jenny_m_stu4() -> list[dict[str, Any]]:
    """The STU4 extended example's resources that concern the breast cancer, in the file's order."""
    owen = ref("Practitioner/us-core-practitioner-owen-oncologist")
    return [
        _resource("Procedure", "us-core-procedure-biopsy-jenny-m",
                  "http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure", status="completed",
                  code=cc(S, "723990008", "Biopsy of breast using ultrasonographic guidance (procedure)"),
                  subject=ref(PATIENT), performer=[{"actor": ref("Practitioner/us-core-practitioner-mary-obgyn")}],
                  performedDateTime="2018-03-06", asserter=ref("Practitioner/us-core-practitioner-mary-obgyn"),
                  reasonReference=[ref(CANCER)], bodySite=[cc(S, "80248007", "Left breast structure (body structure)")]),
        _condition("us-core-condition-anxiety-jenny-m", cc(S, "48694002", "Anxiety (finding)"), "2005-01-01"),
        _condition("us-core-condition-depression-jenny-m", cc(S, "35489007", "Depressive disorder (disorder)"),
                   "2005-01-01"),
        _condition("us-core-condition-hypertension-jenny-m", cc(S, "77970009", "Benign hypertensive heart disease "
                                                                "without congestive heart failure (disorder)"),
                   "2012-01-01"),
        _obs("cancer-related-comorbidities-jenny-m", "mcode-comorbidities", cc(S, "398192003"),
             extension=[
                 {"url": MCODE + "mcode-related-condition", "valueReference": ref("Condition/us-core-condition-depression-jenny-m")},
                 {"url": MCODE + "mcode-related-condition", "valueReference": ref("Condition/us-core-condition-anxiety-jenny-m")},
                 {"url": MCODE + "mcode-related-condition",
                  "valueReference": ref("Condition/us-core-condition-hypertension-jenny-m")},
                 {"url": MCODE + "mcode-related-condition-absent", "valueCodeableConcept": cc(S, "414916001", "Obesity (disorder)")},
                 {"url": MCODE + "mcode-related-condition-absent",
                  "valueCodeableConcept": cc(S, "19829001", "Disorder of lung (disorder)")}],
             category=category("social-history", "Social History"), effectiveDateTime="2018-03-16",
             performer=[owen], focus=[ref(CANCER)]),
        _obs("ecog-performance-status-jenny-m", "mcode-ecog-performance-status", cc(L, "89247-1"),
             category=category("survey", "Survey"), effectiveDateTime="2018-04-12", performer=[owen], valueInteger=0,
             interpretation=[cc(L, "LA9622-7", "Fully active, able to carry on all pre-disease performance without "
                                              "restriction")],
             method=cc(S, "5880005", "Physical examination procedure (procedure)")),
        _resource("Condition", "primary-cancer-condition-jenny-m", "mcode-primary-cancer-condition",
                  extension=[{"url": MCODE + "mcode-histology-morphology-behavior",
                              "valueCodeableConcept": cc(S, "82711006", "Infiltrating duct carcinoma (morphologic "
                                                                         "abnormality)")}],
                  clinicalStatus=_clinical("remission", None), verificationStatus=_verified(),
                  category=[cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
                  code=cc(S, "353431000119107", "Primary malignant neoplasm of female left breast (disorder)"),
                  subject=ref(PATIENT), onsetDateTime="2018-03-16", asserter=owen,
                  stage=[{"summary": cc(S, "1222806003", "American Joint Committee on Cancer stage IIIC (qualifier value)"),
                          "assessment": [ref("Observation/tnm-clinical-stage-group-jenny-m")],
                          "type": AJCC8}]),
        _tnm("tnm-clinical-stage-group-jenny-m", "mcode-tnm-stage-group", cc(S, "399537006", "Clinical TNM stage grouping"),
             cc(S, "1222769001", "American Joint Committee on Cancer stage IIB (qualifier value)"), "2018-03-16",
             focus=[ref(CANCER)], category=category("imaging", "Imaging"),
             hasMember=[ref("Observation/tnm-pathologic-primary-tumor-category-jenny-m"),
                        ref("Observation/tnm-pathologic-regional-nodes-category-jenny-m"),
                        ref("Observation/tnm-pathologic-distant-metastases-category-jenny-m")]),
        _tnm("tnm-clinical-primary-tumor-category-jenny-m", "mcode-tnm-primary-tumor-category", cc(S, "399504009", "cT category"),
             cc(S, "1228938002", "American Joint Committee on Cancer cT3 (qualifier value)"), "2018-03-16",
             category=category("imaging", "Imaging")),
        _tnm("tnm-clinical-regional-nodes-category-jenny-m", "mcode-tnm-regional-nodes-category",
             cc(S, "399534004", "cN category"),
             cc(S, "1229967007", "American Joint Committee on Cancer cN0 (qualifier value)"), "2018-03-16",
             category=category("imaging", "Imaging")),
        _tnm("tnm-clinical-distant-metastases-category-jenny-m", "mcode-tnm-distant-metastases-category",
             cc(S, "399387003", "cM category"),
             cc(S, "1229901006", "American Joint Committee on Cancer cM0 (qualifier value)"), "2018-03-16",
             category=category("imaging", "Imaging")),
        _obs("tumor-marker-test-er-jenny-m", "mcode-tumor-marker-test",
             cc(L, "85337-4", "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain"),
             effectiveDateTime="2018-03-10", performer=[owen], valueCodeableConcept=cc(L, "LA6576-8", "Positive")),
        _obs("tumor-marker-test-pr-jenny-m", "mcode-tumor-marker-test",
             cc(L, "85339-0", "Progesterone receptor Ag [Presence] in Breast cancer specimen by Immune stain"),
             effectiveDateTime="2018-03-10", performer=[owen], valueCodeableConcept=cc(L, "LA6577-6", "Negative")),
        _obs("tumor-marker-test-her2-jenny-m", "mcode-tumor-marker-test", cc(L, "48676-1", "HER2 [Interpretation] in Tissue"),
             effectiveDateTime="2018-03-10", performer=[owen], valueCodeableConcept=cc(L, "LA6577-6", "Negative")),
        _resource("Procedure", "cancer-related-surgical-procedure-jenny-m", "mcode-cancer-related-surgical-procedure",
                  extension=[INTENT], status="completed", code=cc(S, "64368001", "Excision of part of breast (procedure)"),
                  subject=ref(PATIENT), performedDateTime="2018-04-01", asserter=owen, reasonReference=[ref(CANCER)],
                  bodySite=[cc(S, "80248007", "Left breast structure (body structure)")]),
        _resource("Specimen", "tumor-specimen-left-breast-jenny-m", "mcode-human-specimen", status="available",
                  type=cc("http://terminology.hl7.org/CodeSystem/v2-0487", "TUMOR"),
                  identifier=[{"use": "usual", "type": cc("http://hl7.org/fhir/resource-types", "BodyStructure"),
                               "system": "http://radiology.hospital.example.org", "value": "Tumor 1234"}],
                  subject=ref(PATIENT), receivedTime="2018-04-01",
                  collection={"bodySite": cc(S, "80248007", "Left breast structure (body structure)")}),
        _resource("DiagnosticReport", "us-core-diagnosticreport-lab-jenny-m",
                  "http://hl7.org/fhir/us/core/StructureDefinition/us-core-diagnosticreport-lab", status="final",
                  code=cc(L, "22637-3", "Pathology report final diagnosis Narrative"), subject=ref(PATIENT),
                  issued="2018-04-05T00:00:00Z", effectiveDateTime="2018-04-01T00:00:00Z", specimen=[ref(SPECIMEN)],
                  result=[ref("Observation/" + x) for x in (
                      "us-core-observation-lab-tumor-invasion-jenny-m", "us-core-observation-lab-tumor-margins-jenny-m",
                      "us-core-observation-lab-sentinel-nodes-jenny-m", "tumor-size-jenny-m",
                      "us-core-observation-lab-tumor-dcis-jenny-m", "tumor-marker-test-her2-jenny-m",
                      "tumor-marker-test-er-jenny-m", "tumor-marker-test-pr-jenny-m",
                      "us-core-observation-lab-tumor-grade-jenny-m")],
                  performer=[owen], resultsInterpreter=[ref("Practitioner/us-core-practitioner-peter-pathologist")]),
        _obs("us-core-observation-lab-tumor-invasion-jenny-m",
             "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab",
             cc(S, "370052007", "Status of invasion by tumor"), effectiveDateTime="2018-04-01T00:00:00Z",
             valueCodeableConcept=cc(S, "260385009", "Negative (qualifier value)"), specimen=ref(SPECIMEN), performer=[owen]),
        _obs("us-core-observation-lab-tumor-margins-jenny-m",
             "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab",
             cc(L, "44669-0", "Margin involvement in Breast tumor"), effectiveDateTime="2018-04-01T00:00:00Z",
             valueCodeableConcept=cc(L, "LA27151-2", "Uninvolved by invasive carcinoma"), specimen=ref(SPECIMEN),
             performer=[owen]),
        _obs("us-core-observation-lab-sentinel-nodes-jenny-m",
             "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab",
             cc(L, "92832-5", "Sentinel lymph nodes with metastasis [#] in Cancer specimen"),
             effectiveDateTime="2018-04-01T00:00:00Z",
             component=[{"code": cc(L, "92833-3", "Lymph nodes examined [#] in Cancer specimen by Light microscopy"),
                         "valueQuantity": {"value": 3, "unit": "Count", "system": U, "code": "1"}}],
             specimen=ref(SPECIMEN), performer=[owen]),
        _obs("tumor-size-jenny-m", "mcode-tumor-size", cc(L, "21889-1", "Size Tumor"), category=category("laboratory"),
             method=cc(S, "787377000", "Gross examination and sampling of tissue specimen (procedure)"),
             effectiveDateTime="2018-04-01T00:00:00Z",
             component=[{"code": cc(L, "33728-7"),
                         "valueQuantity": {"value": 2.5, "unit": "centimeters", "system": U, "code": "cm"}}],
             specimen=ref(SPECIMEN), performer=[owen]),
        _obs("us-core-observation-lab-tumor-dcis-jenny-m",
             "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab",
             cc(L, "85336-6", "DCIS intraductal extension in Breast cancer specimen Qualitative by Light microscopy"),
             effectiveDateTime="2018-04-01T00:00:00Z",
             valueCodeableConcept=cc(L, "LA27261-9", "DCIS present with extensive intraductal component (EIC)"),
             specimen=ref(SPECIMEN), performer=[owen]),
        _obs("us-core-observation-lab-tumor-grade-jenny-m",
             "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab",
             cc(L, "44648-4", "Histologic grade [Score] in Breast cancer specimen by Nottingham"),
             effectiveDateTime="2018-04-01T00:00:00Z", valueCodeableConcept=cc(L, "LA27824-4", "Nottingham grade 2"),
             specimen=ref(SPECIMEN), performer=[owen]),
        _tnm("tnm-pathologic-stage-group-jenny-m", "mcode-tnm-stage-group", cc(S, "399588009", "Pathologic TNM stage grouping"),
             cc(S, "1222769001", "American Joint Committee on Cancer stage IIB (qualifier value)"), "2018-04-05",
             focus=[ref(CANCER)], category=category("imaging", "Imaging"),
             hasMember=[ref("Observation/tnm-pathologic-primary-tumor-category-jenny-m"),
                        ref("Observation/tnm-pathologic-regional-nodes-category-jenny-m"),
                        ref("Observation/tnm-pathologic-distant-metastases-category-jenny-m")]),
        _tnm("tnm-pathologic-primary-tumor-category-jenny-m", "mcode-tnm-primary-tumor-category",
             cc(S, "384625004", "pT category"),
             cc(S, "1229859000", "American Joint Committee on Cancer pT3 (qualifier value)"), "2018-04-01",
             category=category("imaging", "Imaging")),
        _tnm("tnm-pathologic-regional-nodes-category-jenny-m", "mcode-tnm-regional-nodes-category",
             cc(S, "371494008", "pN category"),
             cc(S, "1229947003", "American Joint Committee on Cancer pN0 (qualifier value)"), "2018-04-01",
             category=category("imaging", "Imaging")),
        _tnm("tnm-pathologic-distant-metastases-category-jenny-m", "mcode-tnm-distant-metastases-category",
             cc(S, "371497001", "pM category"),
             cc("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-applicable", "Not Applicable"),
             "2018-04-01", category=category("imaging", "Imaging")),
        _resource("Observation", "tumor-marker-test-oncotype-dx-jenny-m", "mcode-tumor-marker-test", status="final",
                  code={**cc("http://www.ncbi.nlm.nih.gov/gtr", "509910", "Oncotype DX Breast Recurrence Score Assay"),
                        "text": "Oncotype DX Breast Recurrence Score Assay"},
                  subject=ref(PATIENT), effectiveDateTime="2018-04-12",
                  performer=[ref("Organization/us-core-organization-bedrock-medicine")],
                  valueQuantity={"value": 47, "unit": "Recurrence score", "system": U, "code": "1"},
                  interpretation=[cc("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H", "High")]),
        _medication_request("doxorubicin", "3639", "DOXOrubicin", "2018-04-01", "doxorubicin (60 mg/m² IV)",
                            {"rateQuantity": {"value": 60, "unit": "mg/m2", "system": U, "code": "mg/m2"}}),
        _medication_request("cyclophosphamide", "3002", "cyclophosphamide", "2018-04-01",
                            "cyclophosphamide (600 mg/m² IV), 932.59mg",
                            {"doseQuantity": {"value": 932.59, "unit": "mg", "system": U, "code": "mg"}}),
        _medication_request("paclitaxel", "56946", "PACLitaxel", "2018-04-12", "PACLitaxel (175 mg/m² IV), 272.01mg",
                            {"doseQuantity": {"value": 272.01, "unit": "mg", "system": U, "code": "mg"}}),
        _medication_admin("doxorubicin", "1790099", "10 ML doxorubicin hydrochloride 2 MG/ML Injection", 105.96,
                          "doxorubicin (60 mg/m² IV), 105.96 mg in 50 ml 0.9% normal saline administered by continuous "
                          "infusion. Patient tolerated infusion without side effects.", "2018-04-22",
                          [{"url": MCODE + "mcode-normalization-basis",
                            "valueCodeableConcept": cc(S, "363804004", "Body weight characteristic (observable entity)")}],
                          request=ref("MedicationRequest/cancer-related-medication-request-doxorubicin-jenny-m")),
        _medication_admin("cyclophosphamide", "3002", "cyclophosphamide", 932.59,
                          "cyclophosphamide (60 mg/m² IV), 932.59 mg in 50 ml 0.9% normal saline administered by "
                          "continuous infusion. Patient tolerated infusion without side effects.", "2018-04-22", [INTENT]),
        _medication_admin("paclitaxel", "56946", "PACLitaxel", 272.01, "PACLitaxel (175 mg/m² IV), 272.01mg",
                          "2018-04-12", [INTENT]),
        _resource("Procedure", "radiotherapy-treatment-summary-chest-wall-jenny-m", "mcode-radiotherapy-course-summary",
                  extension=[
                      {"url": MCODE + "mcode-radiotherapy-sessions", "valueUnsignedInt": 31}, INTENT,
                      {"url": MCODE + "mcode-radiotherapy-modality-and-technique", "extension": [
                          {"url": MCODE + "mcode-radiotherapy-modality", "valueCodeableConcept": cc(
                              S, "1156506007", "External beam radiation therapy using photons (procedure)")},
                          {"url": MCODE + "mcode-radiotherapy-technique", "valueCodeableConcept": cc(
                              S, "1156530009", "Volumetric Modulated Arc Therapy (procedure)")}]},
                      {"url": MCODE + "mcode-radiotherapy-modality-and-technique", "extension": [
                          {"url": MCODE + "mcode-radiotherapy-modality", "valueCodeableConcept": cc(
                              S, "45643008", "Teleradiotherapy using electrons")},
                          {"url": MCODE + "mcode-radiotherapy-technique", "valueCodeableConcept": cc(
                              S, "1162782007", "Three dimensional external beam radiation therapy (procedure)")}]},
                      {"url": MCODE + "mcode-radiotherapy-dose-delivered-to-volume", "extension": [
                          {"url": "volume", "valueReference": ref("BodyStructure/jenny-m-chest-wall-treatment-volume")},
                          {"url": "totalDoseDelivered", "valueQuantity": {"value": 6000, "system": U, "code": "cGy"}},
                          {"url": "fractionsDelivered", "valueUnsignedInt": 30}]},
                      {"url": MCODE + "mcode-radiotherapy-dose-delivered-to-volume", "extension": [
                          {"url": "volume",
                           "valueReference": ref("BodyStructure/jenny-m-chest-wall-lymph-nodes-treatment-volume")},
                          {"url": "totalDoseDelivered", "valueQuantity": {"value": 5000, "system": U, "code": "cGy"}},
                          {"url": "fractionsDelivered", "valueUnsignedInt": 25}]}],
                  status="completed", code=cc(S, "1217123003"), subject=ref(PATIENT),
                  performedPeriod={"start": "2018-08-15", "end": "2018-10-25"},
                  asserter=ref("Practitioner/us-core-practitioner-kyle-anydoc"),
                  reasonCode=[cc(ICD10CM, "C50.811", "Malignant neoplasm of overlapping sites of right female breast")],
                  bodySite=[cc(S, "78904004", "Chest Wall Structure (body structure)")]),
        _resource("MedicationRequest", "cancer-related-medication-request-anastrozole-jenny-m",
                  "mcode-cancer-related-medication-request", extension=[INTENT], status="active",
                  category=[cc("http://terminology.hl7.org/CodeSystem/medicationrequest-category", "community")],
                  intent="order", medicationCodeableConcept=cc(RXN, "84857", "anastrozole"), subject=ref(PATIENT),
                  requester=owen, reasonReference=[ref(CANCER)], authoredOn="2018-09-30",
                  dosageInstruction=[{"text": "1mg orally once daily",
                                      "timing": {"repeat": {"boundsPeriod": {"start": "2018-09-30"}}},
                                      "route": cc(S, "26643006", "Oral route (qualifier value)"),
                                      "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "mg", "system": U, "code": "mg"}}],
                                      "maxDosePerPeriod": {"numerator": {"value": 1},
                                                           "denominator": {"value": 1, "unit": "day", "system": U,
                                                                           "code": "d"}}}]),
        _resource("Patient", "cancer-patient-jenny-m", "mcode-cancer-patient",
                  identifier=[{"use": "usual", "type": cc("http://terminology.hl7.org/CodeSystem/v2-0203", "MR",
                                                          "Medical Record Number"),
                               "system": "http://hospital.example.org", "value": "MRN1234"}],
                  name=[{"family": "M", "given": ["Jenny"]}], gender="female", birthDate="1965-01-01",
                  address=[{"line": ["123 Main St"], "city": "Anytown", "postalCode": "12345",
                            "country": "United States"}]),
    ]


def bundle(resources: list[dict[str, Any]], bundle_type: str = "collection") -> dict[str, Any]:
    """A Bundle of the resources, each entry's fullUrl its ``Type/id`` on an example server (as the IG publishes)."""
    return {"resourceType": "Bundle", "type": bundle_type,
            "entry": [{"fullUrl": f"http://hl7.org/fhir/us/mcode/{r['resourceType']}/{r['id']}", "resource": r}
                      for r in copy.deepcopy(resources)]}


def replaced(resources: list[dict[str, Any]], rid: str, **changes: Any) -> list[dict[str, Any]]:
    """The resources with ``rid`` changed (a key set to ``None`` is removed)."""
    out = []
    for resource in copy.deepcopy(resources):
        if resource["id"] == rid:
            resource.update(changes)
            resource = {k: v for k, v in resource.items() if v is not None}
        out.append(resource)
    return out


def without(resources: list[dict[str, Any]], *rids: str) -> list[dict[str, Any]]:
    return [copy.deepcopy(r) for r in resources if r["id"] not in rids]


# --- STU2 (tag STU2, 42af6f66, input/fsh/EX_ExtendedExample.fsh): the same patient coded the STU2 way ----------

def _elixhauser_component(code: str, present: bool, condition: str | None = None) -> dict[str, Any]:
    value = cc(S, "52101004", "Present (qualifier value)") if present else cc(S, "2667000", "Absent (qualifier value)")
    out: dict[str, Any] = {"code": cc(LNC_TBD, code), "valueCodeableConcept": value}
    if condition is not None:
        out["extension"] = [{"url": MCODE + "mcode-comorbid-condition-reference", "valueReference": ref(condition)}]
    return out


#: ``cancer-related-mcode-comorbidities-elixhauser-jenny-m`` (InstanceOf ComorbiditiesElixhauser): depression and
#: hypertension (complicated) present with their Conditions, nine categories absent.
ELIXHAUSER_JENNY_M = _resource(
    "Observation", "cancer-related-mcode-comorbidities-elixhauser-jenny-m", "mcode-comorbidities-elixhauser",
    status="final", code=cc(LNC_TBD, "comorbidities-elixhauser", "Elixhauser Comorbidity Panel"), subject=ref(PATIENT),
    performer=[ref("Practitioner/us-core-practitioner-owen-oncologist")], effectiveDateTime="2018-03-16",
    component=[_elixhauser_component("DEPRESS", True, "Condition/us-core-condition-depression-jenny-m"),
               _elixhauser_component("HTN_CX", True, "Condition/us-core-condition-hypertension-jenny-m"),
               *(_elixhauser_component(code, False) for code in (
                   "ARTH", "CHF", "LUNG_CHRONIC", "DIAB_UNCX", "DIAB_CX", "OBESE", "PERIVASC", "PULMCIRC",
                   "RENLFL_MOD"))])


def _stu2_tnm(rid: str, profile: str, loinc: str, display: str, code: str, shown: str | None,
              date: str) -> dict[str, Any]:
    return _tnm(rid, profile, cc(L, loinc, display), cc(AJCC, code, shown), date)


def jenny_m_stu2() -> list[dict[str, Any]]:
    """Jenny M as mCODE STU2 codes her (only the instances that differ from STU4 are replaced)."""
    resources = without(jenny_m_stu4(), "cancer-related-comorbidities-jenny-m")
    resources.insert(4, ELIXHAUSER_JENNY_M)
    stage = [ref("Observation/tnm-pathologic-primary-tumor-category-jenny-m"),
             ref("Observation/tnm-pathologic-regional-nodes-category-jenny-m"),
             ref("Observation/tnm-pathologic-distant-metastases-category-jenny-m")]
    swaps = {
        "tnm-clinical-stage-group-jenny-m": _stu2_tnm("tnm-clinical-stage-group-jenny-m", "mcode-cancer-stage-group",
                                                      "21908-9", "Stage group.clinical Cancer", "2B", "IIB", "2018-03-16"),
        "tnm-clinical-primary-tumor-category-jenny-m": _stu2_tnm(
            "tnm-clinical-primary-tumor-category-jenny-m", "mcode-tnm-primary-tumor-category", "21905-5",
            "Primary tumor.clinical [Class] Cancer", "cT3", None, "2018-03-16"),
        "tnm-clinical-regional-nodes-category-jenny-m": _stu2_tnm(
            "tnm-clinical-regional-nodes-category-jenny-m", "mcode-tnm-regional-nodes-category", "21906-3",
            "Regional lymph nodes.clinical [Class] Cancer", "cN0", None, "2018-03-16"),
        "tnm-clinical-distant-metastases-category-jenny-m": _stu2_tnm(
            "tnm-clinical-distant-metastases-category-jenny-m", "mcode-tnm-distant-metastases-category", "21907-1",
            "Distant metastases.clinical [Class] Cancer", "cM0", None, "2018-03-16"),
        "tnm-pathologic-stage-group-jenny-m": _stu2_tnm("tnm-pathologic-stage-group-jenny-m", "mcode-cancer-stage-group",
                                                        "21902-2", "Stage group.pathology Cancer", "2B", "IIB",
                                                        "2018-04-05"),
        "tnm-pathologic-primary-tumor-category-jenny-m": _stu2_tnm(
            "tnm-pathologic-primary-tumor-category-jenny-m", "mcode-tnm-primary-tumor-category", "21899-0",
            "Primary tumor.pathology Cancer", "pT3", None, "2018-04-01"),
        "tnm-pathologic-regional-nodes-category-jenny-m": _stu2_tnm(
            "tnm-pathologic-regional-nodes-category-jenny-m", "mcode-tnm-regional-nodes-category", "21900-6",
            "Regional lymph nodes.pathology [Class] Cancer", "pN0", None, "2018-04-01"),
        "tnm-pathologic-distant-metastases-category-jenny-m": _stu2_tnm(
            "tnm-pathologic-distant-metastases-category-jenny-m", "mcode-tnm-distant-metastases-category", "21901-4",
            "Distant metastases.pathology [Class] Cancer", "pM0", None, "2018-04-01"),
    }
    for key in ("tnm-clinical-stage-group-jenny-m", "tnm-pathologic-stage-group-jenny-m"):
        swaps[key]["hasMember"] = stage
    out = [swaps.get(r["id"], r) for r in resources]
    out = replaced(out, "primary-cancer-condition-jenny-m",
                   extension=[{"url": MCODE + "mcode-histology-morphology-behavior", "valueCodeableConcept": cc(
                       S, "413448000", "Adenocarcinoma, no subtype, intermediate grade (morphologic abnormality)")}],
                   stage=[{"summary": cc(AJCC, "3C"), "assessment": [ref("Observation/tnm-clinical-stage-group-jenny-m")]}])
    out = replaced(out, "tumor-size-jenny-m", method=cc(L, "24419-4", "Pathology report gross observation"),
                   component=[{"code": cc(L, "33728-7", "Size.maximum dimension in Tumor"),
                               "valueQuantity": {"value": 2.5, "unit": "centimeters", "system": U, "code": "cm"}}])
    out = replaced(out, "us-core-observation-lab-sentinel-nodes-jenny-m",
                   component=[{"code": cc(L, "92833-3", "Lymph nodes examined [#] in Cancer specimen by Light microscopy"),
                               "valueQuantity": {"value": 3, "unit": "Count", "system": U, "code": "{Count}"}}])
    return out


# --- STU1 (tag STU1, 49e94b13, input/examples/*.json): the published JSON, narrative (``text``) left out ----------

def stu1_observation(rid: str, profile: str, loinc: str, value: str, category_code: str) -> dict[str, Any]:
    """An STU1 TNM example: LOINC code, AJCC value in http://cancerstaging.org, method NCI Metathesaurus C146985."""
    return {"resourceType": "Observation", "id": rid, "meta": {"profile": [MCODE + profile]},
            "code": cc(L, loinc), "status": "final", "category": [cc(OBSCAT, category_code)],
            "method": cc("http://ncimeta.nci.nih.gov", "C146985"), "subject": ref("Patient/mCODEPatientExample01"),
            "effectiveDateTime": "2019-04-01", "valueCodeableConcept": cc(AJCC, value)}


#: Condition-mCODEPrimaryCancerConditionExample01.json: its bodySite and the STU1 laterality extension
STU1_LATERALITY = {"url": MCODE + "mcode-laterality", "valueCodeableConcept": cc(S, "7771000")}


# --- Medizininformatik-Initiative Kerndatensatzmodul Onkologie (medizininformatik-initiative/kerndatensatzmodul-
# onkologie 2ed2c86, fsh-generated/resources/*.json, narrative left out): the published JSON of the breast cancer
# diagnosis and the TNM observations (UICC 8, prefix and suffixes as extensions, the y-symbol as an observation) ----

MII = "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/"
UICC = "https://www.uicc.org/resources/tnm"

#: Condition-mii-exa-onko-diagnose.json
MII_DIAGNOSIS: dict[str, Any] = {
    "resourceType": "Condition", "id": "mii-exa-onko-diagnose",
    "meta": {"profile": [MII + "StructureDefinition/mii-pr-onko-diagnose-primaertumor"]},
    "code": {"coding": [{"system": "http://fhir.de/CodeSystem/bfarm/icd-10-gm", "extension": [
        {"url": "http://fhir.de/StructureDefinition/seitenlokalisation",
         "valueCoding": {"code": "R", "system": "https://fhir.kbv.de/CodeSystem/KBV_CS_SFHIR_ICD_SEITENLOKALISATION",
                         "display": "rechts"}}],
        "code": "C50.4", "version": "2020", "display": "Oberer äußerer Quadrant der Brustdrüse"}]},
    "verificationStatus": {"coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"},
        {"system": MII + "CodeSystem/mii-cs-onko-primaertumor-diagnosesicherung", "code": "7",
         "display": "histologische Untersuchung eines Primärtumors"}]},
    "extension": [{"valueCodeableConcept": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/icd-o-3",
                                                         "code": "8500/3",
                                                         "display": "Invasives duktales Karzinom o.n.A. [C50.-]"}]},
                   "url": MII + "StructureDefinition/mii-ex-onko-histology-morphology-behavior-icdo3"}],
    "bodySite": [{"coding": [{"system": S, "code": "76365002",
                              "display": "Structure of upper outer quadrant of breast (body structure)"},
                             {"system": "http://terminology.hl7.org/CodeSystem/icd-o-3", "code": "C50.4",
                              "display": "Oberer äußerer Quadrant der Brust"}]}],
    "clinicalStatus": {"coding": [{"code": "active", "system": "http://terminology.hl7.org/CodeSystem/condition-clinical"}]},
    "subject": {"reference": "Patient/example"}, "recordedDate": "2020-02-16"}


def mii_tnm(rid: str, axis: str, prefix: str, value: str, date: str = "2024-01-11",
            suffixes: tuple[str, ...] = ()) -> dict[str, Any]:
    """An MII TNM T/N/M category (as Observation-mii-exa-onko-tnm-n-kategorie-pN0i-sn.json and its siblings): SNOMED
    CT c/p category code with the c/p prefix extension, the UICC value, suffixes as extensions of the value."""
    codes = {("T", "c"): ("399504009", "cT category (observable entity)"),
             ("T", "p"): ("384625004", "pT category (observable entity)"),
             ("N", "c"): ("399534004", "cN category (observable entity)"),
             ("N", "p"): ("371494008", "pN category (observable entity)"),
             ("M", "c"): ("399387003", "cM category (observable entity)"),
             ("M", "p"): ("371497001", "pM category (observable entity)")}
    code, display = codes[(axis, prefix)]
    names = {"T": "t", "N": "n", "M": "m"}
    extensions = [{"url": MII + "StructureDefinition/mii-ex-onko-tnm-" + ("sn" if s == "sn" else "itc") + "-suffix",
                   "valueCodeableConcept": {"coding": [{"code": s, "system": UICC, "display": f"({s})"}]}}
                  for s in suffixes]
    return {"resourceType": "Observation", "id": rid,
            "meta": {"profile": [MII + f"StructureDefinition/mii-pr-onko-tnm-{names[axis]}-kategorie"]},
            "status": "final",
            "code": {"extension": [{"url": MII + "StructureDefinition/mii-ex-onko-tnm-cp-praefix",
                                    "valueCodeableConcept": {"coding": [{"code": prefix, "system": UICC,
                                                                         "display": prefix}]}}],
                     "coding": [{"code": code, "system": S, "display": display}]},
            "subject": {"reference": "Patient/example"}, "effectiveDateTime": date,
            "method": {"coding": [{"code": "8", "system": MII + "CodeSystem/mii-cs-onko-tnm-version",
                                   "display": "8. Auflage"}]},
            "valueCodeableConcept": {**({"extension": extensions} if extensions else {}),
                                     "coding": [{"code": value, "system": UICC, "display": value}]}}


def mii_y_symbol(date: str | None) -> dict[str, Any]:
    """Observation-TNM-y-Symbol-Observation-2.json (status 'completed' there, which is no R4 Observation status:
    'final' here), about Patient/example."""
    out: dict[str, Any] = {"resourceType": "Observation", "id": "TNM-y-Symbol-Observation-2",
                           "meta": {"profile": [MII + "StructureDefinition/mii-pr-onko-tnm-y-symbol"]},
                           "code": {"coding": [{"code": "101658-3", "system": L}]},
                           "valueCodeableConcept": {"coding": [{"code": "421755005", "system": S}]},
                           "status": "final", "subject": {"reference": "Patient/example"},
                           "method": {"coding": [{"code": "8"}]}}
    if date is not None:
        out["effectiveDateTime"] = date
    return out


MII_PATIENT: dict[str, Any] = {"resourceType": "Patient", "id": "example", "gender": "female"}

#: Observation-mii-exa-onko-grading-1.json (its specimen reference left out)
MII_GRADING: dict[str, Any] = {
    "resourceType": "Observation", "id": "mii-exa-onko-grading-1",
    "meta": {"profile": [MII + "StructureDefinition/mii-pr-onko-grading"]},
    "category": [cc(OBSCAT, "laboratory")],
    "code": cc(L, "33732-9", "Histology grade [Identifier] in Cancer specimen"), "status": "final",
    "effectiveDateTime": "2022-04-21",
    "valueCodeableConcept": {"coding": [{"system": MII + "CodeSystem/mii-cs-onko-grading", "code": "3"}]},
    "subject": {"reference": "Patient/example"}}

#: Observation-mii-exa-onko-fernmetastasen-1.json
MII_DISTANT_METASTASIS: dict[str, Any] = {
    "resourceType": "Observation", "id": "mii-exa-onko-fernmetastasen-1",
    "meta": {"profile": [MII + "StructureDefinition/mii-pr-onko-fernmetastasen"]}, "status": "final",
    "code": {"coding": [{"code": "385421009", "system": S}]}, "subject": {"reference": "Patient/example"},
    "valueCodeableConcept": {"coding": [{"code": "PUL", "system": MII + "CodeSystem/mii-cs-onko-fernmetastasen",
                                         "display": "Lunge"}]},
    "effectiveDateTime": "2024-02-08"}


# --- another primary cancer of the same patient (STU4 input/fsh/EX_Basic.fsh, moved to Jenny M) -------------------

#: primary-cancer-condition-nsclc (its stage left out)
NSCLC: dict[str, Any] = _resource(
    "Condition", "primary-cancer-condition-nsclc", "mcode-primary-cancer-condition",
    extension=[{"url": MCODE + "mcode-histology-morphology-behavior",
                "valueCodeableConcept": cc(S, "1187332001", "Adenocarcinoma (morphologic abnormality)")}],
    clinicalStatus=_clinical("active", "Active"), verificationStatus=_verified(),
    category=[cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
    code=cc(S, "254637007", "Non-small cell lung cancer (disorder)"),
    bodySite=[{**cc(S, "39607008", "Lung structure (body structure)"),
               "extension": [{"url": MCODE + "mcode-laterality-qualifier",
                              "valueCodeableConcept": cc(S, "7771000", "Left (qualifier value)")}]}],
    subject=ref(PATIENT), onsetDateTime="2019-04-01")

#: tnm-clinical-regional-nodes-category-cN3, with the focus on its cancer that mCODE STU3+ asks of staging
#: (SD_Staging.fsh: "focus only Reference(PrimaryCancerCondition)", MS; the stage group example tnm-clinical-stage-
#: group-3c gives it)
NSCLC_CN3: dict[str, Any] = _tnm("tnm-clinical-regional-nodes-category-cN3", "mcode-tnm-regional-nodes-category",
                                 cc(S, "399534004", "cN category"),
                                 cc(S, "1229984001", "American Joint Committee on Cancer cN3 (qualifier value)"),
                                 "2019-04-01", category=category("imaging", "Imaging"),
                                 focus=[ref("Condition/primary-cancer-condition-nsclc")])

#: STU1 Condition-mCODEPrimaryCancerConditionExample01.json (non-small cell lung cancer, SNOMED CT 254637007;
#: bodySite lung 39607008 with the STU1 laterality extension; stage summary 3C in http://cancerstaging.org)
STU1_PRIMARY: dict[str, Any] = {
    "resourceType": "Condition", "id": "mCODEPrimaryCancerConditionExample01",
    "meta": {"profile": [MCODE + "mcode-primary-cancer-condition"]},
    "category": [cc(S, "64572001")],
    "extension": [{"url": MCODE + "mcode-histology-morphology-behavior", "valueCodeableConcept": cc(S, "35917007")}],
    "bodySite": [{"extension": [STU1_LATERALITY], "coding": [{"code": "39607008", "system": S}]}],
    "clinicalStatus": {"coding": [{"code": "active", "system": "http://terminology.hl7.org/CodeSystem/condition-clinical"}]},
    "verificationStatus": {"coding": [{"code": "confirmed",
                                       "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status"}]},
    "code": cc(S, "254637007"), "subject": ref("Patient/mCODEPatientExample01"), "onsetDateTime": "2019-04-01",
    "asserter": ref("Practitioner/mCODEPractitionerExample01"),
    "stage": [{"summary": cc(AJCC, "3C"), "assessment": [ref("Observation/mCODETNMClinicalStageGroupExample01")]}]}

#: STU1 Patient-mCODEPatientExample01.json: the fields the import reads
STU1_PATIENT: dict[str, Any] = {"resourceType": "Patient", "id": "mCODEPatientExample01",
                                "meta": {"profile": [MCODE + "mcode-cancer-patient"]}, "gender": "male",
                                "birthDate": "1951-01-20"}
