"""Human labels for the codes of the case and the assessment: what a clinician (or a patient) reads.

Internal ids (decision keys, coded values, rule ids, field paths such as
``overall_survival.surgery_only[5y]``) stay in JSON and in the reports' "technical details" fold;
everything else shows these labels. Every function takes a code and returns words; an unknown code is
turned into words rather than refused, so a new code never breaks a report.

    >>> decision_label("regional_nodal_irradiation"), decision_value_label("insufficient_data")
    ('Regional nodal irradiation', 'insufficient data')
    >>> subtype_label("hr_pos_her2_neg"), treatment_label("third_gen")
    ('HR+/HER2−', 'Third-generation chemotherapy (anthracycline and taxane)')
    >>> field_label("overall_survival.surgery_only[5y]")
    'Overall survival at 5 years, surgery only'
    >>> field_label("nodes.deposits[0].size_mm")
    'Nodal deposit 1: size (mm)'
    >>> decision_tone("omit_alnd"), decision_tone("discuss")
    ('not_indicated', 'discuss')
"""

from __future__ import annotations

import re

__all__ = [
    "TONES",
    "after_neoadjuvant",
    "decision_label",
    "decision_tone",
    "decision_value_label",
    "field_label",
    "headline",
    "recommendation_topic",
    "stage_labels",
    "subtype_label",
    "treatment_label",
    "value_label",
]

_DECISIONS = {
    "sentinel_biopsy": "Sentinel node biopsy",
    "axillary_surgery": "Axillary surgery",
    "chemotherapy": "Chemotherapy",
    "endocrine": "Endocrine therapy",
    "her2_therapy": "HER2-directed therapy",
    "cdk46_inhibitor": "CDK4/6 inhibitor",
    "olaparib": "Olaparib",
    "regional_nodal_irradiation": "Regional nodal irradiation",
    "post_mastectomy_rt": "Post-mastectomy radiotherapy",
    "whole_breast_rt": "Whole-breast radiotherapy",
    "boost": "Tumour-bed boost",
    "bisphosphonate": "Adjuvant bisphosphonate",
    "immunotherapy": "Immunotherapy",
    "capecitabine": "Capecitabine",
    "ovarian_function_suppression": "Ovarian function suppression",
}

_VALUES = {
    "recommended": "recommended",
    "discuss": "discuss",
    "not_indicated": "not indicated",
    "insufficient_data": "insufficient data",
    "not_applicable": "not applicable",
    "declined": "declined by the patient",
    "deferred": "deferred",
    "omission_possible": "omission possible",
    "omit_alnd": "omit ALND",
    "order": "order",
    "do_not_order": "do not order",
    "alnd": "ALND",
    "axillary_rt_or_alnd": "axillary RT or ALND",
    "none_needed": "none needed",
    "hr_pos_her2_neg": "HR+/HER2−",
    "her2_pos": "HER2+",
    "triple_negative": "triple negative",
    "itc": "ITC",
    "low_positive": "low positive",
    "he": "H&E",
    "ihc": "IHC",
    "osna": "OSNA",
    "rt_pcr": "RT-PCR",
    "bcs": "breast-conserving surgery",
    "slnb": "sentinel node biopsy",
    "slnb_then_alnd": "SLNB then ALND",
    "second_gen": "second-generation chemotherapy (anthracycline)",
    "third_gen": "third-generation chemotherapy (anthracycline and taxane)",
}

#: The colour family of each decision value; the text label is always shown beside the colour.
TONES = ("recommended", "discuss", "not_indicated", "insufficient_data", "not_applicable", "declined", "deferred")
_TONE_OF = {
    "alnd": "recommended", "axillary_rt_or_alnd": "recommended",
    "omission_possible": "discuss",
    "omit_alnd": "not_indicated", "none_needed": "not_indicated",
    "order": "recommended", "do_not_order": "not_indicated",
}

_TREATMENTS = {
    "surgery": "Surgery only",
    "surgery_only": "Surgery only",
    "endocrine": "Endocrine therapy",
    "chemotherapy": "Chemotherapy",
    "second_gen": "Second-generation chemotherapy (anthracycline)",
    "third_gen": "Third-generation chemotherapy (anthracycline and taxane)",
    "trastuzumab": "Trastuzumab",
    "her2_therapy": "HER2 therapy",
    "bisphosphonate": "Bisphosphonate",
    "bisphosphonates": "Bisphosphonate",
    "radiotherapy": "Radiotherapy",
}

_SUBTYPES = {"hr_pos_her2_neg": "HR+/HER2−", "her2_pos": "HER2+", "triple_negative": "Triple negative"}

#: Labels of case and assessment field paths (indices removed: ``nodes.deposits.size_mm``).
_FIELDS = {
    "id": "Case id", "age": "Age", "sex": "Sex", "menopausal_status": "Menopausal status",
    "detection": "Detection (screening or symptomatic)", "clinical_nodes": "Clinical nodal status (cN)",
    "metastasis": "Distant metastasis (M)", "neoadjuvant": "Neoadjuvant therapy",
    "axillary_ultrasound": "Axillary ultrasound", "oncotype_rs": "Oncotype DX recurrence score",
    "mammaprint": "MammaPrint result", "germline_brca": "Germline BRCA status", "charlson_index": "Charlson index",
    "ecog": "ECOG performance status", "karnofsky": "Karnofsky performance status",
    "g8_score": "G8 geriatric screening score",
    "clinical_frailty_scale": "Clinical Frailty Scale", "life_expectancy_years": "Life expectancy (team estimate)",
    "lvef_percent": "LVEF (%)", "smoker": "Smoking status", "comorbidities": "Comorbidities",
    "ovarian_function_suppression": "Ovarian function suppression",
    "tumour": "Tumour", "tumour.size_mm": "Invasive tumour size (mm)", "tumour.t_extension": "Tumour extension",
    "tumour.in_situ_only": "In situ only", "tumour.histology": "Histology", "tumour.grade": "Tumour grade",
    "tumour.er_percent": "ER (% of nuclei)", "tumour.pr_percent": "PR (% of nuclei)", "tumour.her2_ihc": "HER2 IHC score",
    "tumour.her2_ish_ratio": "HER2/CEP17 ratio (ISH)", "tumour.her2_ish_copies": "HER2 copies per cell (ISH)",
    "tumour.ki67_percent": "Ki-67 (%)", "tumour.lvi": "Lymphovascular invasion", "tumour.nuclear_grade": "Nuclear grade",
    "tumour.multifocal": "Multifocal tumour", "tumour.laterality": "Laterality", "tumour.quadrant": "Quadrant",
    "nodes": "Lymph nodes", "nodes.procedure": "Axillary procedure", "nodes.examined": "Nodes examined",
    "nodes.deposits": "Nodal deposits", "nodes.internal_mammary": "Internal mammary nodes",
    "nodes.supraclavicular": "Supraclavicular nodes", "nodes.infraclavicular": "Infraclavicular nodes",
    "nodes.sentinel_nodes_removed": "Sentinel nodes removed", "nodes.tracers": "Sentinel node tracers",
    "nodes.clipped_node": "Clipped node",
    "nodes.deposits.size_mm": "size (mm)", "nodes.deposits.cells": "tumour cells", "nodes.deposits.method": "method",
    "nodes.deposits.node": "node number", "nodes.deposits.osna_copies_per_ul": "OSNA copies/µL",
    "nodes.deposits.extranodal_extension": "extranodal extension", "nodes.deposits.contiguous": "contiguous",
    "neoadjuvant_therapy": "Neoadjuvant therapy", "neoadjuvant_therapy.agents": "Neoadjuvant agents",
    "neoadjuvant_therapy.pre_treatment_size_mm": "Tumour size before neoadjuvant therapy (mm)",
    "neoadjuvant_therapy.pre_treatment_clinical_nodes": "Clinical nodal status before neoadjuvant therapy",
    "neoadjuvant_therapy.pre_treatment_t_extension": "Tumour extension before neoadjuvant therapy",
    "neoadjuvant_therapy.nodes_biopsy_proven": "Node positivity proven by biopsy",
    "surgery": "Surgery", "surgery.breast": "Breast surgery", "surgery.status": "Surgery done or planned",
    "surgery.date": "Date of surgery", "surgery.margins_mm": "Closest margin (mm)",
    "treatments": "Treatments to evaluate", "treatments.endocrine": "Endocrine therapy (evaluated)",
    "treatments.endocrine_years": "Endocrine therapy duration (years)",
    "treatments.chemotherapy": "Chemotherapy regimen (evaluated)", "treatments.trastuzumab": "Trastuzumab (evaluated)",
    "treatments.bisphosphonate": "Bisphosphonate (evaluated)", "treatments.radiotherapy": "Radiotherapy (evaluated)",
    "treatments.heart_dose_gy": "Mean heart dose of radiotherapy (Gy)",
    "pregnancy.status": "Pregnancy status", "pregnancy.trimester": "Trimester of pregnancy",
    "pregnancy.gestational_age_weeks": "Gestational age (weeks)", "preferences.declined": "Treatments declined",
    "conditions.egfr_ml_min": "eGFR (mL/min/1.73 m²)", "conditions.qtcf_ms": "QTc, Fridericia (ms)",
    "conditions.prior_anthracycline_mg_m2": "Prior anthracycline dose (mg/m²)",
    "conditions.dpd_deficiency": "DPD deficiency", "conditions.dental_health": "Dental health",
    "conditions.peripheral_neuropathy_grade": "Peripheral neuropathy (CTCAE grade)",
    "conditions.ischaemic_heart_disease": "Ischaemic heart disease",
    "conditions.venous_thromboembolism": "Venous thromboembolism",
    # assessment (output) paths, as the what-if lists them
    "staging.t": "T category", "staging.n": "N category", "staging.m": "M category",
    "staging.anatomic_stage": "Anatomic stage", "staging.pathological_prognostic_stage": "Pathological prognostic stage",
    "staging.clinical_prognostic_stage": "Clinical prognostic stage", "prognosis": "Prognosis",
    "treatments_evaluated": "Treatments evaluated by PREDICT",
}
_SERIES = {"overall_survival": "Overall survival", "breast_cancer_mortality": "Deaths from breast cancer",
           "other_cause_mortality": "Deaths from other causes"}
_ARMS = {"surgery_only": "surgery only", "with_treatments": "with the treatments evaluated"}
_SERIES_PATH = re.compile(r"^(\w+)\.(surgery_only|with_treatments)\[(\d+)y\]$")
_INDEX = re.compile(r"\[(\d+)\]")
_UNITS = (("_percent", " (%)"), ("_mm", " (mm)"), ("_gy", " (Gy)"), ("_years", " (years)"), ("_ms", " (ms)"))


def _words(code: str) -> str:
    text = code
    for suffix, unit in _UNITS:
        if text.endswith(suffix):
            text = text[: -len(suffix)] + unit
            break
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def decision_label(key: str) -> str:
    """The decision point in words: ``"whole_breast_rt"`` -> ``"Whole-breast radiotherapy"``."""
    return _DECISIONS.get(key) or _words(key)


def value_label(value: str) -> str:
    """A coded value in words (``"omit_alnd"`` -> ``"omit ALND"``, ``"not_indicated"`` -> ``"not indicated"``)."""
    return _VALUES.get(value, value.replace("_", " "))


def decision_value_label(value: str) -> str:
    """A decision's value in words (the text that goes with the colour of :func:`decision_tone`)."""
    return value_label(value)


def decision_tone(value: str, default: str = "discuss") -> str:
    """The colour family of a decision value, one of :data:`TONES` (CSS class ``mm-tone-<tone>``); ``default``
    for a value that has none."""
    if value in TONES:
        return value
    return _TONE_OF.get(value, default)


def treatment_label(code: str) -> str:
    """The clinician's name of a PREDICT treatment column or a chemotherapy generation."""
    return _TREATMENTS.get(code) or decision_label(code)


def subtype_label(code: str | None) -> str:
    """``"hr_pos_her2_neg"`` -> ``"HR+/HER2−"``; ``None`` -> ``"not determined"``."""
    if code is None:
        return "not determined"
    return _SUBTYPES.get(code) or value_label(code)


def field_label(path: str) -> str:
    """A case or assessment field path in words.

    Case paths (``tumour.er_percent``, ``nodes.deposits[1].size_mm``), decision keys, staging fields and the
    what-if's survival paths (``overall_survival.with_treatments[10y]``) are all understood.

        >>> field_label("tumour.er_percent"), field_label("staging.n"), field_label("boost")
        ('ER (% of nuclei)', 'N category', 'Tumour-bed boost')
        >>> field_label("conditions.some_new_flag")
        'Some new flag'
    """
    series = _SERIES_PATH.match(path)
    if series and series.group(1) in _SERIES:
        name, arm, year = series.groups()
        return f"{_SERIES[name]} at {year} years, {_ARMS[arm]}"
    if path in _DECISIONS:
        return _DECISIONS[path]
    deposit = re.match(r"^nodes\.deposits\[(\d+)\](?:\.(\w+))?$", path)
    if deposit:
        number, leaf = int(deposit.group(1)) + 1, deposit.group(2)
        if leaf is None:
            return f"Nodal deposit {number}"
        return f"Nodal deposit {number}: {_FIELDS.get('nodes.deposits.' + leaf) or _words(leaf).lower()}"
    plain = _INDEX.sub("", path)
    if plain in _FIELDS:
        return _FIELDS[plain]
    return _words(plain.rsplit(".", 1)[-1])


def after_neoadjuvant(t: str | None, n: str | None) -> bool:
    """Whether the stage is the post-neoadjuvant (``yp``) classification, whose clinical prognostic stage was
    assigned from the findings before therapy (AJCC 8th ed., breast chapter: the y prefix; no pathological
    prognostic stage after neoadjuvant therapy).

        >>> after_neoadjuvant("ypT0", "ypN1mi(sn)"), after_neoadjuvant("pT1c", "pN1mi(sn)"), after_neoadjuvant(None, None)
        (True, False, False)
    """
    return any((part or "").startswith("yp") for part in (t, n))


def stage_labels(anatomic: str | None, pathological: str | None, clinical: str | None,
                 *, before_therapy: bool = False) -> list[tuple[str, str]]:
    """The stage groups to show, each labelled: anatomic first, then the prognostic stage that applies
    (``before_therapy``: the clinical one was assigned before neoadjuvant therapy, see ``after_neoadjuvant``).

        >>> stage_labels("IB", "IA", "IA")
        [('Anatomic stage', 'IB'), ('Pathological prognostic stage', 'IA')]
        >>> stage_labels(None, None, "IIA")
        [('Anatomic stage', 'not available'), ('Clinical prognostic stage', 'IIA')]
        >>> stage_labels("IB", None, "IIIB", before_therapy=True)[1]
        ('Clinical prognostic stage before neoadjuvant therapy', 'IIIB')
    """
    out = [("Anatomic stage", anatomic or "not available")]
    if pathological:
        out.append(("Pathological prognostic stage", pathological))
    elif clinical:
        out.append(("Clinical prognostic stage before neoadjuvant therapy" if before_therapy
                    else "Clinical prognostic stage", clinical))
    else:
        out.append(("Prognostic stage", "not available"))
    return out


_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")
_DOMAINS = {"diagnostics": "Diagnostics", "surgery": "Surgery", "systemic": "Systemic therapy",
            "radiation": "Radiotherapy", "follow_up": "Follow-up"}


def headline(text: str, limit: int = 150) -> str:
    """The first sentence of a recommendation's text, cut at a word boundary to ``limit`` characters.

        >>> headline("Omit axillary dissection: micrometastasis only (pN1mi). IBCSG 23-01: 10-yr DFS 76.8%.")
        'Omit axillary dissection: micrometastasis only (pN1mi).'
    """
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def recommendation_topic(recommendation_id: str, domain: str) -> str:
    """What a recommendation is about, in words: its decision point, else its domain.

        >>> recommendation_topic("surgery.alnd.omit.micromets", "surgery")
        'Axillary surgery'
        >>> recommendation_topic("diagnostics.staging_imaging.not_routine", "diagnostics")
        'Diagnostics'
    """
    from micromets.guidelines import decision_key

    key = decision_key(recommendation_id)
    return decision_label(key) if key else _DOMAINS.get(domain, _words(domain))
