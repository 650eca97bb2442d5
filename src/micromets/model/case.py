"""The case: one patient's pathology and clinical findings, exactly as in the case contract (v1).

Validation happens here, once. Ranges catch typing slips (e.g. a size in cm where mm is asked, a
percentage above 100); cross-field checks catch contradictions. Downstream code trusts a ``Case``.

Unknown values are ``None`` (omit the field or send ``null``); they are never replaced by a default
that carries clinical meaning.

Example::

    >>> from micromets.model import Case
    >>> case = Case.model_validate({"id": "x", "age": 60, "tumour": {"size_mm": 18, "grade": 2}})
    >>> case.tumour.size_mm
    18.0
"""

from __future__ import annotations

import datetime as dt
import typing
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from micromets.model._strict import Conflict, StrictInput, identifier_problem, unwrap

# Upper bounds: the largest plausible value, so that a slip of units (cm for mm, µm for mm) is caught.
MAX_TUMOUR_SIZE_MM = 250.0
MAX_DEPOSIT_SIZE_MM = 80.0
MAX_MARGIN_MM = 100.0

Percent = Annotated[float, Field(ge=0, le=100)]
ClinicalNodes = Literal["cNX", "cN0", "cN1", "cN1mi", "cN2a", "cN2b", "cN3a", "cN3b", "cN3c"]


class _Strict(StrictInput):
    """Unknown field names are errors: a typo must never be ignored silently. JSON types are checked,
    never coerced (``StrictInput``): ``false`` is not a size, ``"yes"`` is not a boolean."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=False)


class Tumour(_Strict):
    """The primary tumour. ``size_mm`` is the invasive size; 0 means no invasive tumour found."""

    size_mm: Annotated[float, Field(ge=0, le=MAX_TUMOUR_SIZE_MM)] | None = Field(
        None, description="Largest contiguous invasive focus in mm (0 = no invasive tumour; T0/ypT0)."
    )
    t_extension: Literal["none", "chest_wall", "skin", "chest_wall_and_skin", "inflammatory"] | None = Field(
        None, description="Direct extension (T4a-d). 'none' when the tumour is confined to the breast."
    )
    in_situ_only: bool | None = Field(None, description="True when only in situ carcinoma (DCIS) is present: Tis.")
    histology: Literal["ductal", "lobular", "mixed", "other"] | None = None
    grade: Annotated[int, Field(ge=1, le=3)] | None = Field(None, description="Nottingham grade 1-3.")
    er_percent: Percent | None = Field(None, description="Percentage of tumour nuclei staining for ER.")
    pr_percent: Percent | None = Field(None, description="Percentage of tumour nuclei staining for PR.")
    her2_ihc: Literal["0", "ultralow", "1+", "2+", "3+"] | None = None
    her2_ish_ratio: Annotated[float, Field(ge=0, le=50)] | None = Field(None, description="HER2/CEP17 ratio.")
    her2_ish_copies: Annotated[float, Field(ge=0, le=100)] | None = Field(
        None, description="Mean HER2 signals per cell."
    )
    ki67_percent: Percent | None = None
    lvi: bool | None = Field(None, description="Lymphovascular invasion.")
    nuclear_grade: Annotated[int, Field(ge=1, le=3)] | None = Field(
        None, description="Nuclear grade 1-3 (the grade term of the CPS+EG score); histological grade is `grade`."
    )
    multifocal: bool | None = Field(
        None, description="More than one invasive focus in the same breast: T is that of the largest focus and "
        "the (m) suffix is added (AJCC 8)."
    )
    laterality: Literal["left", "right"] | None = None
    quadrant: Literal["upper_outer", "lower_outer", "upper_inner", "lower_inner", "central", "axillary_tail"] | None = (
        Field(None, description="Location of the (largest) tumour; inner quadrants and central are medial/central "
                                "tumours for internal-mammary node irradiation.")
    )

    @model_validator(mode="after")
    def _consistent(self) -> Tumour:
        found: list[Conflict] = []
        if self.in_situ_only and self.size_mm not in (None, 0):
            found.append(Conflict(
                "size_mm: is above 0 but in_situ_only is true; size_mm is the invasive size, "
                "so use 0 (or omit it) for in situ carcinoma only", "in_situ_only"
            ))
        if self.in_situ_only and self.t_extension not in (None, "none"):
            # AJCC 8: T4 is direct extension of invasive carcinoma; in situ disease (incl. Paget without invasion) is Tis.
            found.append(Conflict(f"t_extension: is '{self.t_extension}' but in_situ_only is true; T4a-d need invasive "
                           "carcinoma (AJCC 8), in situ carcinoma only is Tis", "in_situ_only"))
        elif self.size_mm == 0 and self.t_extension not in (None, "none"):
            # AJCC 8: T4 is a tumour of any size with direct extension to the chest wall and/or skin, T4d inflammatory
            # carcinoma with invasive carcinoma proven: all invasive. Size 0 is T0 (ypT0): no invasive tumour.
            found.append(Conflict(
                f"size_mm: is 0 (no invasive tumour: T0, or ypT0 after neoadjuvant therapy) but t_extension is "
                f"'{self.t_extension}'; T4a-d are invasive carcinoma of any size with direct extension (AJCC 8), so give "
                "the invasive size (leave size_mm out if it is unknown) or correct t_extension (an extension before "
                "neoadjuvant therapy goes in neoadjuvant_therapy.pre_treatment_t_extension)", "t_extension"))
        Conflict.raise_all(found)
        return self


class Deposit(_Strict):
    """One tumour deposit in one lymph node (a node with several deposits is listed once per deposit)."""

    node: Annotated[int, Field(ge=1)] = Field(description="Node number, 1..examined.")
    size_mm: Annotated[float, Field(ge=0, le=MAX_DEPOSIT_SIZE_MM)] | None = Field(
        None, description="Largest contiguous deposit in mm."
    )
    cells: Annotated[int, Field(ge=1, le=10_000_000)] | None = Field(
        None, description="Tumour cells in a single histological cross-section."
    )
    method: Literal["he", "ihc", "osna", "rt_pcr"] = Field(description="How the deposit was detected.")
    osna_copies_per_ul: Annotated[float, Field(ge=0, le=1e9)] | None = Field(
        None, description="CK19 mRNA copies/uL (OSNA only)."
    )
    extranodal_extension: bool | None = None
    contiguous: bool = Field(
        True,
        description="Whether size_mm is one contiguous focus. False: size_mm spans separate clusters and "
        "cannot be used as the deposit size (AJCC: clusters are never summed).",
    )
    reported_category: Literal["itc", "micrometastasis", "macrometastasis"] | None = Field(
        None,
        description="The class the pathologist reported for this node (e.g. a synoptic count of nodes with "
        "macrometastases / micrometastases / ITC) when neither size_mm nor cells is given; a size or cell count, "
        "when given, decides instead, unless it leaves the class open (no cell count, no size, separate clusters) "
        "and this class is one it allows.",
    )

    @model_validator(mode="after")
    def _has_a_measure(self) -> Deposit:
        if self.method == "osna":
            if self.osna_copies_per_ul is None:
                raise Conflict("osna_copies_per_ul: is required when method is 'osna' (CK19 mRNA copies/uL)", "method")
        elif self.osna_copies_per_ul is not None:
            raise Conflict(f"osna_copies_per_ul: is given but method is '{self.method}', not 'osna'", "method")
        if self.method in ("he", "ihc") and self.size_mm is None and self.cells is None and self.reported_category is None:
            raise Conflict(
                f"size_mm: a deposit found by {self.method.upper()} needs size_mm (largest contiguous deposit), "
                "cells (count in one cross-section) or the pathologist's reported_category", "cells"
            )
        return self


class Nodes(_Strict):
    """Regional lymph nodes: the surgical procedure, the nodes examined and every deposit found."""

    procedure: Literal["slnb", "alnd", "slnb_then_alnd", "none"] | None = None
    examined: Annotated[int, Field(ge=0, le=100)] | None = Field(None, description="Nodes examined.")
    deposits: list[Deposit] = Field(default_factory=list, max_length=500)
    internal_mammary: Literal["none", "sentinel_microscopic", "clinically_detected"] | None = None
    supraclavicular: bool | None = None
    infraclavicular: bool | None = None
    sentinel_nodes_removed: Annotated[int, Field(ge=0, le=30)] | None = Field(
        None, description="Sentinel nodes removed (of `examined`); after neoadjuvant therapy fewer than 3 raise the "
        "false-negative rate."
    )
    tracers: list[Literal["radioisotope", "blue_dye", "indocyanine_green", "superparamagnetic_iron_oxide"]] | None = (
        Field(None, max_length=4, description="Mapping agents used for the sentinel biopsy (two or more = dual "
                                              "tracer).")
    )
    clipped_node: Literal["not_placed", "retrieved", "not_retrieved"] | None = Field(
        None, description="A biopsy-proven node marked (clip, seed) before neoadjuvant therapy: whether it was "
        "removed with the sentinel nodes (targeted axillary dissection)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Nodes:
        found: list[Conflict] = []
        if self.procedure == "none" and self.deposits:
            found.append(Conflict("deposits: are listed but procedure is 'none' (no node was removed to find them)", "procedure"))
        if self.procedure == "none" and self.examined:
            found.append(Conflict("examined: is above 0 but procedure is 'none'", "procedure"))
        if self.sentinel_nodes_removed is not None:
            if self.procedure in ("none", "alnd"):
                found.append(Conflict(f"sentinel_nodes_removed: is given but procedure is '{self.procedure}'", "procedure"))
            elif self.examined is not None and self.sentinel_nodes_removed > self.examined:
                found.append(Conflict(f"sentinel_nodes_removed: is {self.sentinel_nodes_removed} but only "
                               f"{_nodes_examined(self.examined)}", "examined"))
        if self.tracers is not None and len(set(self.tracers)) != len(self.tracers):
            found.append(Conflict("tracers: lists the same tracer twice"))
        if self.procedure == "none" and self.clipped_node == "retrieved":
            found.append(Conflict("clipped_node: is 'retrieved' but procedure is 'none' (no node was removed)",
                                  "procedure"))
        if self.examined is not None:
            for i, deposit in enumerate(self.deposits):
                if deposit.node > self.examined:
                    found.append(Conflict(
                        f"deposits[{i}].node: is {deposit.node} but only {_nodes_examined(self.examined)}", "examined"
                    ))
        Conflict.raise_all(found)
        return self


def _nodes_examined(count: int) -> str:
    return "1 node was examined" if count == 1 else f"{count} nodes were examined"


class NeoadjuvantTherapy(_Strict):
    """What was known before neoadjuvant therapy and what was given."""

    pre_treatment_size_mm: Annotated[float, Field(ge=0, le=MAX_TUMOUR_SIZE_MM)] | None = None
    pre_treatment_t_extension: Literal["none", "chest_wall", "skin", "chest_wall_and_skin", "inflammatory"] | None = (
        Field(None, description="Direct extension before treatment (cT4a-d); 'inflammatory' is cT4d.")
    )
    pre_treatment_clinical_nodes: ClinicalNodes | None = None
    nodes_biopsy_proven: bool | None = None
    agents: list[
        Literal["anthracycline", "taxane", "platinum", "trastuzumab", "pertuzumab", "pembrolizumab", "endocrine"]
    ] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> NeoadjuvantTherapy:
        found: list[Conflict] = []
        if self.pre_treatment_size_mm == 0 and self.pre_treatment_t_extension not in (None, "none"):
            # AJCC 8: cT4a-d are invasive carcinoma of any size with direct extension; cT0 is no evidence of a tumour.
            found.append(Conflict(
                f"pre_treatment_size_mm: is 0 (no evidence of a primary tumour: cT0) but pre_treatment_t_extension is "
                f"'{self.pre_treatment_t_extension}'; cT4a-d are invasive carcinoma of any size with direct extension "
                "(AJCC 8), so give the size before treatment (leave pre_treatment_size_mm out if it was not measured) "
                "or correct pre_treatment_t_extension", "pre_treatment_t_extension"))
        if self.nodes_biopsy_proven and self.pre_treatment_clinical_nodes == "cN0":
            # AJCC 8: a metastasis confirmed by FNA or core biopsy is a clinical N category with (f), e.g. cN1(f).
            found.append(Conflict(
                "nodes_biopsy_proven: is true but pre_treatment_clinical_nodes is 'cN0'; a node proven positive by "
                "biopsy makes the axilla at least cN1 (AJCC 8: cN1(f)), so correct one of them",
                "pre_treatment_clinical_nodes"))
        Conflict.raise_all(found)
        return self


class Surgery(_Strict):
    """Breast surgery, done or planned."""

    breast: Literal["bcs", "mastectomy", "none"] | None = None
    status: Literal["done", "planned"] | None = None
    date: dt.date | None = Field(None, description="Date of (planned) surgery; anchors the follow-up plan.")
    margins_mm: Annotated[float, Field(ge=0, le=MAX_MARGIN_MM)] | None = Field(
        None, description="Closest invasive margin in mm (0 = tumour on ink)."
    )


class Treatments(_Strict):
    """The treatments the prognosis model should evaluate (absent: the options the recommendations name)."""

    endocrine: bool | None = None
    endocrine_years: Literal[5, 10] | None = None
    chemotherapy: Literal["none", "second_gen", "third_gen"] | None = None
    trastuzumab: bool | None = None
    bisphosphonate: bool | None = None
    radiotherapy: bool | None = None
    heart_dose_gy: Annotated[float, Field(ge=0, le=60)] | None = Field(
        None, description="Mean heart dose of radiotherapy in Gy."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Treatments:
        if self.endocrine_years is not None and self.endocrine is False:
            raise Conflict("endocrine_years: is given but endocrine is false", "endocrine")
        return self


DeclinableTreatment = Literal[
    "sentinel_biopsy", "axillary_surgery", "chemotherapy", "endocrine", "her2_therapy", "cdk46_inhibitor",
    "olaparib", "immunotherapy", "capecitabine", "bisphosphonate", "regional_nodal_irradiation",
    "post_mastectomy_rt", "whole_breast_rt", "boost", "ovarian_function_suppression",
]


class Conditions(_Strict):
    """Coded comorbidities that change a treatment decision (free text stays in ``Case.comorbidities``).

    ``true`` = present, ``false`` = known absent, absent/``null`` = not recorded.
    """

    heart_failure: bool | None = Field(None, description="Heart failure (current or past), any ejection fraction.")
    ischaemic_heart_disease: bool | None = None
    prior_anthracycline: bool | None = Field(None, description="Anthracycline given before (e.g. another cancer).")
    prior_anthracycline_mg_m2: Annotated[float, Field(ge=0, le=1000)] | None = Field(
        None, description="Cumulative prior doxorubicin-equivalent dose in mg/m2."
    )
    venous_thromboembolism: bool | None = Field(None, description="Prior deep-vein thrombosis or pulmonary embolism.")
    thrombophilia: bool | None = Field(None, description="Known inherited or acquired thrombophilia.")
    osteoporosis: bool | None = None
    fragility_fracture: bool | None = None
    egfr_ml_min: Annotated[float, Field(ge=0, le=200)] | None = Field(
        None, description="Estimated glomerular filtration rate in mL/min/1.73 m2."
    )
    dental_health: Literal["good", "needs_treatment"] | None = Field(
        None, description="Dental status before bone-modifying agents."
    )
    dental_surgery_planned: bool | None = Field(None, description="Invasive dental procedure (e.g. extraction) planned.")
    peripheral_neuropathy_grade: Annotated[int, Field(ge=0, le=4)] | None = Field(
        None, description="Pre-existing peripheral neuropathy, CTCAE grade 0-4."
    )
    interstitial_lung_disease: bool | None = None
    autoimmune_disease: Literal["none", "inactive", "active", "present"] | None = Field(
        None, description="'active' = needed systemic treatment in the past 2 years (the KEYNOTE-522 exclusion; "
        "replacement therapy such as thyroxine or insulin does not count); 'inactive' = did not; 'present' = an "
        "autoimmune disease is recorded but not whether it needed systemic treatment in the past 2 years (e.g. a coded "
        "diagnosis from another system): the decisions it could change ask for it."
    )
    organ_transplant: bool | None = Field(None, description="Solid-organ or allogeneic stem-cell transplant.")
    qtcf_ms: Annotated[float, Field(ge=250, le=700)] | None = Field(None, description="QT interval (Fridericia), ms.")
    dpd_deficiency: Literal["none", "partial", "complete"] | None = Field(
        None, description="Dihydropyrimidine dehydrogenase (DPD) status before fluoropyrimidines."
    )
    prior_chest_radiotherapy: Literal["none", "ipsilateral_breast", "mantle_or_mediastinal",
                                      "contralateral_breast"] | None = Field(
        None, description="Radiotherapy given before (e.g. for an earlier cancer): 'ipsilateral_breast' = this breast or "
        "chest wall, with or without its nodes; 'mantle_or_mediastinal' = fields over the mediastinum, axillae or "
        "supraclavicular fossae (e.g. mantle RT for Hodgkin lymphoma); 'contralateral_breast' = the other breast only; "
        "'none' = none. Absent = not recorded (not asked)."
    )
    connective_tissue_disease: Literal["none", "scleroderma", "active_lupus", "other"] | None = Field(
        None, description="Connective-tissue disease: 'scleroderma' (systemic sclerosis) and 'active_lupus' (systemic lupus "
        "erythematosus, active) make radiotherapy a discussion (NCCN: relative contraindication); 'other' (e.g. "
        "inactive lupus, rheumatoid arthritis) is shown, not weighed."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Conditions:
        if self.prior_anthracycline is False and self.prior_anthracycline_mg_m2:
            raise Conflict("prior_anthracycline_mg_m2: is above 0 but prior_anthracycline is false", "prior_anthracycline")
        return self


#: First day of each trimester in completed weeks of gestation (first trimester: weeks 0-13).
TRIMESTER_START_WEEK = {1: 0, 2: 14, 3: 28}


class Pregnancy(_Strict):
    """Pregnancy or lactation at the time of the decisions (pregnancy-associated breast cancer)."""

    status: Literal["not_pregnant", "pregnant", "lactating"] | None = None
    trimester: Literal[1, 2, 3] | None = None
    gestational_age_weeks: Annotated[float, Field(ge=0, le=44)] | None = Field(
        None, description="Completed weeks of gestation at the time of the assessment."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Pregnancy:
        found: list[Conflict] = []
        if self.status != "pregnant" and (self.trimester is not None or self.gestational_age_weeks is not None):
            for given in ("trimester", "gestational_age_weeks"):
                if getattr(self, given) is not None:
                    found.append(Conflict(f"{given}: is given but status is not 'pregnant'", "status"))
        elif self.trimester is not None and self.gestational_age_weeks is not None:
            weeks = self.gestational_age_weeks
            implied = 3 if weeks >= TRIMESTER_START_WEEK[3] else 2 if weeks >= TRIMESTER_START_WEEK[2] else 1
            if implied != self.trimester:
                found.append(Conflict(f"trimester: is {self.trimester} but {weeks:g} weeks of gestation is trimester "
                               f"{implied}", "gestational_age_weeks"))
        Conflict.raise_all(found)
        return self

    @property
    def current_trimester(self) -> int | None:
        """The trimester, from ``trimester`` or from the gestational age."""
        if self.trimester is not None:
            return self.trimester
        weeks = self.gestational_age_weeks
        if weeks is None:
            return None
        return 3 if weeks >= TRIMESTER_START_WEEK[3] else 2 if weeks >= TRIMESTER_START_WEEK[2] else 1


class Preferences(_Strict):
    """What the patient has decided after being informed (decision keys of the assessment)."""

    declined: list[DeclinableTreatment] = Field(
        default_factory=list, max_length=20,
        description="Treatments the patient declines; they are shown as 'declined' with the benefit forgone.",
    )


class Case(_Strict):
    """One patient, as in the case contract v1 (see docs/case-format.md)."""

    id: Annotated[str, Field(max_length=200)] | None = None
    age: Annotated[float, Field(ge=18, le=110)] | None = Field(None, description="Age at diagnosis in years.")
    sex: Literal["female", "male"] | None = None
    menopausal_status: Literal["pre", "peri", "post"] | None = None
    detection: Literal["screening", "symptomatic"] | None = None
    tumour: Tumour | None = None
    clinical_nodes: ClinicalNodes | None = None
    nodes: Nodes | None = None
    metastasis: Literal["cM0", "cM0(i+)", "cM1", "pM1"] | None = None
    neoadjuvant: bool | None = None
    neoadjuvant_therapy: NeoadjuvantTherapy | None = None
    axillary_ultrasound: Literal["normal", "suspicious", "not_done"] | None = None
    surgery: Surgery | None = None
    oncotype_rs: Annotated[int, Field(ge=0, le=100)] | None = Field(None, description="21-gene recurrence score.")
    mammaprint: Literal["low", "high", "ultralow"] | None = None
    germline_brca: Literal["brca1", "brca2", "negative"] | None = None
    charlson_index: Annotated[int, Field(ge=0, le=40)] | None = None
    ecog: Annotated[int, Field(ge=0, le=4)] | None = None
    karnofsky: Annotated[int, Field(ge=10, le=100, multiple_of=10)] | None = Field(
        None, description="Karnofsky performance status 10-100 (steps of 10); used as ECOG by the ECOG-ACRIN "
                          "comparison when ECOG is not given."
    )
    g8_score: Annotated[float, Field(ge=0, le=17)] | None = Field(
        None, description="G8 geriatric screening score 0-17 (<= 14: abnormal, full geriatric assessment)."
    )
    clinical_frailty_scale: Annotated[int, Field(ge=1, le=9)] | None = Field(
        None, description="Rockwood Clinical Frailty Scale 1-9 (5 mildly frail and above)."
    )
    life_expectancy_years: Annotated[float, Field(ge=0, le=60)] | None = Field(
        None, description="The team's estimate of non-cancer life expectancy in years (e.g. ePrognosis)."
    )
    lvef_percent: Annotated[float, Field(ge=5, le=90)] | None = None
    conditions: Conditions | None = Field(None, description="Coded comorbidities that change decisions.")
    comorbidities: list[Annotated[str, Field(max_length=500)]] = Field(
        default_factory=list, description="Free text shown to the clinician; never parsed.", max_length=50
    )
    pregnancy: Pregnancy | None = None
    preferences: Preferences | None = None
    ovarian_function_suppression: Literal["planned", "not_planned"] | None = Field(
        None, description="Whether ovarian function suppression is intended (premenopausal, HR-positive)."
    )
    smoker: bool | None = None
    treatments: Treatments | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        found: list[Conflict] = []
        if self.id is not None and (problem := identifier_problem(self.id)) is not None:
            found.append(Conflict(f"id: {problem}"))
        if self.neoadjuvant_therapy is not None and not self.neoadjuvant:
            found.append(Conflict("neoadjuvant_therapy: is given but neoadjuvant is not true", "neoadjuvant"))
        if self.sex == "male" and self.menopausal_status is not None:
            found.append(Conflict("menopausal_status: is given for a male patient", "sex"))
        if self.surgery is not None and self.surgery.breast == "none" and self.surgery.margins_mm is not None:
            found.append(Conflict("surgery.margins_mm: is given but surgery.breast is 'none'", "surgery.breast"))
        if self.pregnancy is not None and self.pregnancy.status in ("pregnant", "lactating"):
            if self.sex == "male":
                found.append(Conflict(f"pregnancy.status: is '{self.pregnancy.status}' for a male patient", "sex"))
            if self.menopausal_status == "post":
                found.append(Conflict(f"pregnancy.status: is '{self.pregnancy.status}' but menopausal_status is 'post'",
                               "menopausal_status"))
        if self.ovarian_function_suppression == "planned" and (self.sex == "male" or self.menopausal_status == "post"):
            found.append(Conflict("ovarian_function_suppression: is 'planned' but the patient is not premenopausal",
                           "sex" if self.sex == "male" else "menopausal_status"))
        Conflict.raise_all(found)
        return self

    @property
    def has_nodal_pathology(self) -> bool:
        """True when nodes were removed and examined (a procedure is named, or nodes/deposits are reported)."""
        nodes = self.nodes
        if nodes is None:
            return False
        procedure = nodes.procedure  # read once: pydantic defines __getattr__, so no read of a model attribute is specialised
        if procedure == "none":
            return False
        return procedure is not None or bool(nodes.deposits) or bool(nodes.examined)

    @property
    def is_clinically_staged(self) -> bool:
        """True when nothing was resected yet: no nodal procedure and no breast surgery (or surgery planned)."""
        surgery = self.surgery  # read once, as above
        if surgery is not None and surgery.status == "planned":
            return True
        no_breast = surgery is None or surgery.breast in (None, "none")
        return no_breast and not self.has_nodal_pathology


@cache
def list_paths() -> frozenset[str]:
    """Dotted paths of the case fields that hold a list (adapters read them as lists: JSON text, Arrow lists).

    >>> sorted(list_paths())[:3]
    ['comorbidities', 'neoadjuvant_therapy.agents', 'nodes.deposits']
    """
    found: set[str] = set()

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            annotation = unwrap(info.annotation)
            if typing.get_origin(annotation) is list:
                found.add(prefix + name)
            elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, f"{prefix}{name}.")

    walk(Case, "")
    return frozenset(found)


def recorded_sex(case: Case) -> Literal["female", "male"] | None:
    """The sex the case records, or the one it implies: a menopausal status, a pregnancy or breastfeeding, or planned
    ovarian function suppression are recorded only for a woman (the case format refuses each for a man). None when
    neither: no rule may then read the patient as a woman (or a man) by default.

    >>> recorded_sex(Case(menopausal_status="peri")), recorded_sex(Case())
    ('female', None)
    """
    if case.sex is not None:
        return case.sex
    pregnancy = case.pregnancy
    if case.menopausal_status is not None or case.ovarian_function_suppression == "planned" \
            or (pregnancy is not None and pregnancy.status in ("pregnant", "lactating")):
        return "female"
    return None


def implied_premenopausal(case: Case) -> bool:
    """Whether the case implies a premenopausal woman though it records no menopausal status: a pregnancy or
    breastfeeding, or planned ovarian function suppression (the case format refuses each with 'post' or a man).

    >>> implied_premenopausal(Case(ovarian_function_suppression="planned")), implied_premenopausal(Case())
    (True, False)
    """
    pregnancy = case.pregnancy
    return case.ovarian_function_suppression == "planned" or (
        pregnancy is not None and pregnancy.status in ("pregnant", "lactating"))
