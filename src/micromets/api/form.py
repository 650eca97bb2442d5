"""The web form as an adapter: form fields <-> case dict. No clinical logic.

Every input is named by its dotted case path (``tumour.grade``, ``nodes.deposits[0].size_mm``), so a
validation error's field path names its input directly. The input kind (number, select, yes/no/unknown,
date, ...) and the choices come from the ``Case`` model itself, so the form follows the contract.
An empty input means "unknown" and is left out of the case (never 0).

    >>> case_data_from_form({"tumour.size_mm": ["18"], "tumour.grade": ["2"], "age": [""]})
    {'tumour': {'size_mm': 18.0, 'grade': 2}}
"""

from __future__ import annotations

import datetime as dt
import math
import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from micromets.model import Case, Deposit
from micromets.model._strict import unwrap as _unwrap
from micromets.model.strict_json import underflows

__all__ = ["DEPOSIT_FIELDS", "SECTIONS", "FormField", "Section", "all_paths", "case_data_from_form", "choice_label", "convert",
           "deposit_rows", "empty_label", "error_target", "flatten", "input_id", "labels", "scalar_fields",
           "whatif_groups"]

Kind = Literal["text", "number", "integer", "select", "bool", "date", "lines", "multi"]


@dataclass(frozen=True)
class FormField:
    path: str  # dotted case path; for deposits relative to one deposit (e.g. "size_mm")
    label: str
    kind: Kind
    choices: tuple[str, ...] = ()
    hint: str = ""
    int_choices: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    legend: str
    fields: tuple[FormField, ...]
    note: str = ""


def _annotation(model: type[BaseModel], path: str) -> Any:
    current: Any = model
    for part in path.split("."):
        annotation = _unwrap(current.model_fields[part].annotation)
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                current = annotation
                continue
            return list, _unwrap(annotation)
        current = annotation
    return current


def _is_literal(annotation: Any) -> bool:
    origin: Any = typing.get_origin(annotation)
    return bool(origin is Literal)


def _field(model: type[BaseModel], path: str, label: str, hint: str = "",
           choices: tuple[str, ...] = ()) -> FormField:
    annotation = _annotation(model, path)
    if isinstance(annotation, tuple):  # a list of strings or of literals
        item = annotation[1]
        if _is_literal(item):
            return FormField(path, label, "multi", tuple(str(a) for a in typing.get_args(item)), hint)
        return FormField(path, label, "lines", hint=hint)
    if _is_literal(annotation):
        args = typing.get_args(annotation)
        return FormField(path, label, "select", tuple(str(a) for a in args), hint,
                         int_choices=all(isinstance(a, int) for a in args))
    if annotation is bool:
        return FormField(path, label, "bool", hint=hint)
    if annotation is int:
        if choices:
            return FormField(path, label, "select", choices, hint, int_choices=True)
        return FormField(path, label, "integer", hint=hint)
    if annotation is float:
        return FormField(path, label, "number", hint=hint)
    if annotation is dt.date:
        return FormField(path, label, "date", hint=hint)
    return FormField(path, label, "text", hint=hint)


def _c(path: str, label: str, hint: str = "", choices: tuple[str, ...] = ()) -> FormField:
    return _field(Case, path, label, hint, choices)


SECTIONS: tuple[Section, ...] = (
    Section("patient", "Patient", (
        _c("id", "Case id", "A pseudonym; never a name or record number."),
        _c("age", "Age (years)"),
        _c("sex", "Sex"),
        _c("menopausal_status", "Menopausal status"),
        _c("detection", "Detection"),
        _c("smoker", "Smoker"),
        _c("comorbidities", "Comorbidities", "One per line; shown to the team, never interpreted."),
    )),
    Section("tumour", "Tumour and biomarkers", (
        _c("tumour.size_mm", "Invasive size (mm)", "0 = no invasive tumour (T0 / ypT0)."),
        _c("tumour.t_extension", "Direct extension (T4)"),
        _c("tumour.in_situ_only", "In situ carcinoma only (Tis)"),
        _c("tumour.histology", "Histology"),
        _c("tumour.grade", "Grade (Nottingham)", choices=("1", "2", "3")),
        _c("tumour.er_percent", "ER (% nuclei)"),
        _c("tumour.pr_percent", "PR (% nuclei)"),
        _c("tumour.her2_ihc", "HER2 IHC"),
        _c("tumour.her2_ish_ratio", "HER2/CEP17 ratio (ISH)"),
        _c("tumour.her2_ish_copies", "HER2 signals per cell (ISH)"),
        _c("tumour.ki67_percent", "Ki-67 (%)"),
        _c("tumour.lvi", "Lymphovascular invasion"),
        _c("tumour.nuclear_grade", "Nuclear grade", "Used by the CPS+EG score after neoadjuvant therapy.",
           choices=("1", "2", "3")),
        _c("tumour.multifocal", "Multifocal (more than one invasive focus)"),
        _c("tumour.laterality", "Side"),
        _c("tumour.quadrant", "Location (quadrant)"),
    )),
    Section("nodes", "Lymph nodes", (
        _c("clinical_nodes", "Clinical nodal category"),
        _c("axillary_ultrasound", "Axillary ultrasound"),
        _c("nodes.procedure", "Axillary procedure"),
        _c("nodes.examined", "Nodes examined", "Nodes without a deposit need not be listed below."),
        _c("nodes.internal_mammary", "Internal mammary nodes"),
        _c("nodes.supraclavicular", "Supraclavicular node involved"),
        _c("nodes.infraclavicular", "Infraclavicular node involved"),
        _c("nodes.sentinel_nodes_removed", "Sentinel nodes removed",
           "Of the nodes examined. After neoadjuvant therapy, 3 or more lower the false-negative rate."),
        _c("nodes.tracers", "Sentinel mapping tracers", "Two or more = dual mapping."),
        _c("nodes.clipped_node", "Clipped (marked) node before neoadjuvant therapy",
           "A biopsy-proven node marked before therapy: removed with the sentinel nodes?"),
    ), note="List each tumour deposit; a node with several deposits is listed once per deposit."),
    Section("metastasis", "Distant metastasis", (_c("metastasis", "M category"),)),
    Section("neoadjuvant", "Neoadjuvant therapy", (
        _c("neoadjuvant", "Neoadjuvant therapy given"),
        _c("neoadjuvant_therapy.pre_treatment_size_mm", "Size before treatment (mm)"),
        _c("neoadjuvant_therapy.pre_treatment_t_extension", "Direct extension before treatment (cT4)"),
        _c("neoadjuvant_therapy.pre_treatment_clinical_nodes", "Clinical nodal category before treatment"),
        _c("neoadjuvant_therapy.nodes_biopsy_proven", "Nodes biopsy-proven before treatment"),
        _c("neoadjuvant_therapy.agents", "Agents given"),
    )),
    Section("surgery", "Surgery", (
        _c("surgery.breast", "Breast surgery"),
        _c("surgery.status", "Status"),
        _c("surgery.date", "Date (done or planned)", "Anchors the follow-up plan."),
        _c("surgery.margins_mm", "Closest invasive margin (mm)", "0 = tumour on ink."),
    )),
    Section("genomic", "Genomic and germline tests", (
        _c("oncotype_rs", "Oncotype DX recurrence score"),
        _c("mammaprint", "MammaPrint"),
        _c("germline_brca", "Germline BRCA"),
    )),
    Section("fitness", "Fitness", (
        _c("charlson_index", "Charlson comorbidity index"),
        _c("ecog", "ECOG performance status", choices=("0", "1", "2", "3", "4")),
        _c("karnofsky", "Karnofsky performance status (10-100)",
           "In steps of 10. Used as ECOG when ECOG is not rated (100-90 = 0, 80-70 = 1, 60-50 = 2, ...)."),
        _c("g8_score", "G8 geriatric screening score (0-17)", "14 or less: abnormal (full geriatric assessment)."),
        _c("clinical_frailty_scale", "Clinical Frailty Scale (1-9)", "Rockwood; 5 (mildly frail) or more: frail.",
           choices=tuple(str(i) for i in range(1, 10))),
        _c("life_expectancy_years", "Estimated non-cancer life expectancy (years)",
           "The team's estimate from age and comorbidities (e.g. ePrognosis)."),
        _c("lvef_percent", "LVEF (%)"),
    )),
    Section("conditions", "Comorbidities that change decisions", (
        _c("conditions.heart_failure", "Heart failure"),
        _c("conditions.ischaemic_heart_disease", "Ischaemic heart disease"),
        _c("conditions.prior_anthracycline", "Prior anthracycline"),
        _c("conditions.prior_anthracycline_mg_m2", "Prior cumulative doxorubicin-equivalent dose (mg/m²)"),
        _c("conditions.venous_thromboembolism", "Prior venous thromboembolism (DVT/PE)"),
        _c("conditions.thrombophilia", "Thrombophilia"),
        _c("conditions.osteoporosis", "Osteoporosis"),
        _c("conditions.fragility_fracture", "Fragility fracture"),
        _c("conditions.egfr_ml_min", "eGFR (mL/min/1.73 m²)"),
        _c("conditions.dental_health", "Dental health"),
        _c("conditions.dental_surgery_planned", "Invasive dental procedure planned"),
        _c("conditions.peripheral_neuropathy_grade", "Peripheral neuropathy (CTCAE grade)",
           choices=("0", "1", "2", "3", "4")),
        _c("conditions.interstitial_lung_disease", "Interstitial lung disease"),
        _c("conditions.autoimmune_disease", "Autoimmune disease", "Active = systemic treatment in the past 2 years; "
           "present = recorded, treatment not known (asked where it decides pembrolizumab)."),
        _c("conditions.organ_transplant", "Organ transplant"),
        _c("conditions.qtcf_ms", "QTcF (ms)"),
        _c("conditions.dpd_deficiency", "DPD deficiency"),
        _c("conditions.prior_chest_radiotherapy", "Prior chest radiotherapy",
           "This breast or chest wall, a mantle/mediastinal field (e.g. Hodgkin lymphoma), or the other breast only."),
        _c("conditions.connective_tissue_disease", "Connective-tissue disease",
           "Scleroderma or active lupus make radiotherapy a discussion."),
    ), note="Empty = not recorded; 'no' = known absent."),
    Section("pregnancy", "Pregnancy", (
        _c("pregnancy.status", "Pregnancy status", "At the time of the decisions."),
        _c("pregnancy.trimester", "Trimester", "1 = weeks 0-13, 2 = 14-27, 3 = 28 on."),
        _c("pregnancy.gestational_age_weeks", "Weeks of gestation", "Completed weeks; must agree with the trimester."),
    )),
    Section("preferences", "Patient preferences", (
        _c("preferences.declined", "Treatments declined",
           "After being informed. Shown as declined, with the rules' decision and the benefit forgone."),
        _c("ovarian_function_suppression", "Ovarian function suppression intended", "Premenopausal patients."),
    )),
    Section("treatments", "Treatments to evaluate", (
        _c("treatments.endocrine", "Endocrine therapy"),
        _c("treatments.endocrine_years", "Endocrine therapy (years)"),
        _c("treatments.chemotherapy", "Chemotherapy"),
        _c("treatments.trastuzumab", "Trastuzumab"),
        _c("treatments.bisphosphonate", "Bisphosphonate"),
        _c("treatments.radiotherapy", "Radiotherapy"),
        _c("treatments.heart_dose_gy", "Mean heart dose (Gy)"),
    ), note="Empty = as recommended. Set one to yes or no to add or remove it: the others stay as recommended."),
)

_CHOICE_LABELS = {
    "he": "H&E", "ihc": "IHC", "osna": "OSNA", "rt_pcr": "RT-PCR", "bcs": "breast-conserving surgery",
    "slnb": "sentinel node biopsy", "alnd": "axillary dissection", "slnb_then_alnd": "SLNB then ALND",
    "second_gen": "second generation", "third_gen": "third generation", "brca1": "BRCA1", "brca2": "BRCA2",
    "not_done": "not done", "sentinel_microscopic": "microscopic, in a sentinel node",
    "clinically_detected": "clinically detected", "chest_wall_and_skin": "chest wall and skin",
    "chest_wall": "chest wall", "true": "yes", "false": "no", "none": "none",
    "ipsilateral_breast": "this breast or chest wall", "contralateral_breast": "the other breast only",
    "mantle_or_mediastinal": "mantle or mediastinal field", "active_lupus": "active systemic lupus",
    "scleroderma": "scleroderma (systemic sclerosis)", "lactating": "breastfeeding", "not_pregnant": "not pregnant",
    "indocyanine_green": "indocyanine green (ICG)", "superparamagnetic_iron_oxide": "superparamagnetic iron oxide (SPIO)",
    "blue_dye": "blue dye", "not_placed": "no clip placed", "not_retrieved": "not retrieved",
}


#: Inputs whose choices are decision keys: shown with the decision's own label (``her2_therapy`` is not a word).
_DECISION_CHOICES = ("preferences.declined",)


def choice_label(value: Any, path: str = "") -> str:
    """A coded choice in words (``third_gen`` -> ``third generation``); other values as they are.

    >>> choice_label("her2_therapy", "preferences.declined")
    'HER2-directed therapy'
    """
    text = str(value)
    if path in _DECISION_CHOICES:
        from micromets.report.labels import decision_label

        return decision_label(text)
    return _CHOICE_LABELS.get(text, text.replace("_", " ") if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", text) else text)


def empty_label(path: str) -> str:
    """What an empty input means: unknown, except for a treatment to evaluate (then: as recommended)."""
    if path.endswith("].contiguous"):
        return "yes (the default)"  # Deposit.contiguous: absent = one contiguous focus, never "unknown"
    return "as recommended" if path.startswith("treatments.") and path != "treatments.heart_dose_gy" else "unknown"


DEPOSIT_FIELDS: tuple[FormField, ...] = (
    _field(Deposit, "node", "Node no."),
    _field(Deposit, "size_mm", "Size (mm)"),
    _field(Deposit, "cells", "Cells"),
    _field(Deposit, "method", "Method"),
    _field(Deposit, "osna_copies_per_ul", "OSNA copies/µL"),
    _field(Deposit, "extranodal_extension", "Extranodal extension"),
    _field(Deposit, "contiguous", "Size is one contiguous focus", "No: the size spans separate clusters (never summed)."),
    _field(Deposit, "reported_category", "Class reported by the pathologist",
           "Only when neither size nor cells is known (e.g. a synoptic count); a size or cell count decides."),
)
_DEPOSIT_PREFIX = "nodes.deposits"
_DEPOSIT_NAME = re.compile(r"^nodes\.deposits\[(\d{1,4})\]\.(\w+)$")


def scalar_fields() -> list[FormField]:
    """Every single-valued case field of the form (the what-if control offers these)."""
    out = [f for s in SECTIONS for f in s.fields if f.kind not in ("lines", "multi") and f.path != "id"]
    return out


def whatif_groups(case_data: Mapping[str, Any]) -> list[tuple[str, list[tuple[str, str, FormField]]]]:
    """The fields the quick what-if offers, by form section: (legend, [(path, label, field)]).

    Every deposit of the case is offered field by field ("Deposit 1 (node 2): size (mm)").
    """
    groups = [(s.legend, [(f.path, f.label, f) for f in s.fields if f.kind not in ("lines", "multi") and f.path != "id"])
              for s in SECTIONS]
    deposits = (case_data.get("nodes") or {}).get("deposits") or []
    for i, row in enumerate(deposits):
        node = row.get("node") if isinstance(row, Mapping) else None
        title = f"Deposit {i + 1}" + (f" (node {node})" if node is not None else "")
        groups.append((title, [(f"{_DEPOSIT_PREFIX}[{i}].{f.path}", f"{title}: {f.label[:1].lower()}{f.label[1:]}", f)
                               for f in DEPOSIT_FIELDS]))
    return [g for g in groups if g[1]]


def input_id(name: str) -> str:
    """The HTML id of the input named ``name`` (``tumour.size_mm`` -> ``f-tumour-size_mm``)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", name).strip("-")


def convert(spec: FormField, raw: str) -> Any:
    """A form string as a JSON value; unparseable text is passed on so validation names the field."""
    if spec.kind == "bool":
        return {"true": True, "false": False}.get(raw, raw)
    if spec.kind == "integer" or spec.int_choices:
        try:
            return int(raw)
        except ValueError:
            return raw
    if spec.kind == "number":
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return raw
        # 1e-400 reads as 0.0 (below the smallest double): passed on as text, never as a silent 0
        return number if math.isfinite(number) and not (number == 0 and underflows(raw)) else raw
    return raw


def _set(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def case_data_from_form(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """Build the case dict from form values (name -> list of submitted strings); empty = unknown."""
    data: dict[str, Any] = {}
    for section in SECTIONS:
        for spec in section.fields:
            if spec.kind == "multi":
                chosen = [v for v in form.get(spec.path, []) if v]
                if chosen:
                    _set(data, spec.path, chosen)
            elif spec.kind == "lines":
                lines = [line.strip() for line in _first(form, spec.path).splitlines() if line.strip()]
                if lines:
                    _set(data, spec.path, lines)
            elif raw := _first(form, spec.path):
                _set(data, spec.path, convert(spec, raw))
    rows: dict[int, dict[str, Any]] = {}
    by_name = {f.path: f for f in DEPOSIT_FIELDS}
    for name in form:
        match = _DEPOSIT_NAME.match(name)
        if match and match.group(2) in by_name and (raw := _first(form, name)):
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = convert(by_name[match.group(2)], raw)
    if rows:
        data.setdefault("nodes", {})["deposits"] = [rows[i] for i in sorted(rows)]
    return data


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A case dict as form values: dotted name -> string (lists of choices stay lists)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif name == _DEPOSIT_PREFIX and isinstance(value, list):
            for i, row in enumerate(value):
                if isinstance(row, Mapping):
                    out.update(flatten(row, f"{name}[{i}]."))
        elif isinstance(value, list):
            out[name] = [str(v) for v in value] if name != "comorbidities" else "\n".join(map(str, value))
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            out[name] = str(int(value))
        elif value is not None:
            out[name] = str(value)
    return out


def deposit_rows(values: Mapping[str, Any], *, minimum: int = 1) -> list[dict[str, str]]:
    """The deposit rows in ``values`` (in index order), padded with blank rows up to ``minimum``."""
    rows: dict[int, dict[str, str]] = {}
    for name, value in values.items():
        match = _DEPOSIT_NAME.match(name)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = str(value)
    out = [rows[i] for i in sorted(rows)]
    while len(out) < minimum:
        out.append({})
    return out


def _input_names(n_deposits: int) -> set[str]:
    names = {f.path for s in SECTIONS for f in s.fields}
    names.update(f"{_DEPOSIT_PREFIX}[{i}].{f.path}" for i in range(n_deposits) for f in DEPOSIT_FIELDS)
    return names


def error_target(field_path: str, n_deposits: int) -> str | None:
    """The input name an error's field path belongs to, or ``None`` (then it is shown in the summary only).

    >>> error_target("comorbidities[2]", 0), error_target("nodes.deposits[0].size_mm", 1)
    ('comorbidities', 'nodes.deposits[0].size_mm')
    """
    names = _input_names(n_deposits)
    candidate = field_path
    while candidate:
        if candidate in names:
            return candidate
        stripped = re.sub(r"\[\d+\]$", "", candidate)
        if stripped == candidate:
            return None
        candidate = stripped
    return None


def labels() -> dict[str, str]:
    """Input name -> label, for the error summary."""
    out = {f.path: f.label for s in SECTIONS for f in s.fields}
    out.update({f"deposit.{f.path}": f.label for f in DEPOSIT_FIELDS})
    return out


def all_paths() -> Iterable[str]:
    """Every case path the form covers (deposit fields as ``nodes.deposits[].x``)."""
    yield from (f.path for s in SECTIONS for f in s.fields)
    yield from (f"{_DEPOSIT_PREFIX}[].{f.path}" for f in DEPOSIT_FIELDS)
