"""Render ``docs/clinical-basis.md`` from the rule tables and the evidence registry.

A clinician reviews every rule here with its source; the test suite fails when the committed file is
out of date. Regenerate with ``python -m micromets.guidelines.basis > docs/clinical-basis.md``.

    >>> text = render_clinical_basis()
    >>> text.startswith("# Clinical basis of the guideline engine")
    True
"""

from __future__ import annotations

import ast
from importlib import resources

from micromets.guidelines.rules import CriteriaSet, cited_ids, rules
from micromets.knowledge.evidence import evidence_registry
from micromets.model import DECISION_VALUES

#: What each decision does, in a tumour board's words (the thresholds live in the tables below).
DECISION_SUMMARY: dict[str, str] = {
    "sentinel_biopsy": "Before surgery, cN0: omission possible only when every SOUND/ASCO 2025 criterion holds, or at "
                       "age >= 70 for a woman with HR+/HER2- disease, endocrine therapy to be taken and no "
                       "suspicious axillary ultrasound recorded (no ultrasound required on this path; cT1: ASCO-OH 2021, "
                       "moderate; early stage cT1-2: SSO Choosing Wisely, weak); the SOUND path needs whole-breast RT to be given; limited fitness (ECOG >= 2, Clinical Frailty Scale >= 5, G8 <= 14, life "
                       "expectancy < 10 years) makes such an omission strong, never creates one (outside trial "
                       "evidence); an axillary ultrasound that was not done fails the SOUND criterion (SLNB "
                       "recommended and the ultrasound advised); a suspicious one in a cN0 axilla: a node biopsy advised "
                       "before surgery; an unknown criterion is insufficient_data. "
                       "Pregnancy: radioisotope-only mapping, no blue dye, with ASCO 2017's contrary advice shown "
                       "(weak). cN+: not applicable (ALND or neoadjuvant therapy first); cN2b (internal mammary nodes "
                       "without clinically evident axillary nodes, AJCC 8) is a clinically negative axilla: sentinel "
                       "biopsy, never omission. After neoadjuvant therapy with ycN0: SLNB/targeted axillary dissection "
                       "(not for inflammatory cancer or axillary cN2-3 before therapy: ALND; cN2b before therapy: as "
                       "cN0). Surgery done, no breast surgery, or DCIS with BCS: not applicable; DCIS with "
                       "mastectomy: recommended. An invasive cancer left unstaged at breast-conserving surgery (no "
                       "axillary operation, no neoadjuvant therapy): as before the operation - omission possible when "
                       "the criteria hold, else a sentinel biopsy as a separate operation; surgery done with the "
                       "operation unrecorded is insufficient_data only where that operation decides it.",
    "axillary_surgery": "Upfront surgery: ITC only -> none needed; pN1mi -> omit ALND (BCS strong; mastectomy or T3 "
                        "'omit', moderate); 1-2 macrometastatic SLNs, cT1-2 cN0, BCS + WBRT, no ENE -> omit "
                        "ALND (Z0011/SENOMAC/POSNOC); unknown ENE -> insufficient_data; mastectomy -> axillary RT or "
                        "ALND (AMAROS/SENOMAC; not required with PMRT including nodes); >= 3 positive SLNs, ENE or "
                        "biopsy-proven cN1 -> ALND; 1-2 macrometastatic SLNs after BCS with whole-breast RT declined "
                        "-> axillary RT or ALND (outside Z0011); an unrecorded neoadjuvant flag is upfront surgery (pN, "
                        "not ypN) and an unrecorded clinical N is named as the condition of an omission (a sentinel "
                        "biopsy presumes cN0); internal mammary nodes only with negative axillary sentinel nodes (pN1b/pN2b) "
                        "-> none needed (the IMN are irradiated); cN2b before surgery, or an axilla left unstaged at "
                        "breast-conserving surgery -> none needed up front, the "
                        "axilla staged by sentinel biopsy; DCIS -> none needed. After neoadjuvant "
                        "therapy any residual axillary nodal disease (ypN0(i+), ypN1mi or more) -> ALND (A011202 "
                        "pending); residual disease in the internal mammary nodes only -> the axilla is read as ypN0 "
                        "(its mapping decides; the IMN are irradiated); inflammatory or axillary cN2-3 before therapy "
                        "-> ALND whatever the response; cN0 or cN2b before -> ypN0 -> none needed; cN+ before -> ypN0 -> none needed only with >= 3 sentinel nodes or the clipped "
                        "node retrieved (dual tracer alone does not make 1-2 nodes adequate), else axillary RT or ALND "
                        "(clipped node not retrieved: never adequate). No sentinel node found, in any setting: ALND. "
                        "Unknown mapping or pre-treatment nodes that could change it -> insufficient_data naming "
                        "those fields.",
    "chemotherapy": "Patient first: frail (ECOG >= 3, Clinical Frailty Scale >= 7, or a non-cancer life expectancy < 5 "
                    "years) -> not indicated, outside trial evidence, no assay; vulnerable (ECOG 2, CFS 5-6, G8 <= 14, "
                    "Charlson >= 3, heart failure) -> at most discuss, and at age >= 70 with HR+/HER2- disease not "
                    "indicated without an assay (RxPONDER/TAILORx enrolled patients fit for chemotherapy) unless >= 4 "
                    "nodes or a known high genomic risk (discuss). LVEF < 50%, heart failure, ischaemic heart disease "
                    "or prior doxorubicin >= 250 mg/m2 -> an anthracycline-free regimen is named; LVEF < 40% or heart "
                    "failure -> at most discuss. Neuropathy grade >= 2: taxane caution. Then the tumour: T4 (chest wall, "
                    "skin, inflammatory) -> recommended whatever the size (systemic therapy first). pN1mi is on "
                    "the NCCN 'pN0 or pN1mi' branch. HR+/HER2-: T1a/T1mi N0 -> not indicated; >= 4 positive nodes -> "
                    "recommended; otherwise the 21-gene recurrence score decides (TAILORx by age <= 50 vs > 50; "
                    "RxPONDER by menopausal status for 1-3 macrometastatic nodes); a missing score where it decides "
                    "is insufficient_data with a diagnostic order; premenopausal 1-3 macrometastatic nodes -> "
                    "recommended (ASCO 2022 rec 1.6); premenopausal pN1mi with RS <= 25 -> discuss; MammaPrint used "
                    "when given, but not at low MINDACT clinical risk (node-negative: not indicated whatever the "
                    "result; node-positive: the recurrence score decides; ASCO 2017); both assays given and "
                    "disagreeing -> discuss. TNBC (and ER-low/HER2-): T1c+ or macrometastatic nodes -> recommended; T1b or T1a-b "
                    "N1mi -> discuss; T1a N0 -> not indicated. HER2+: T1b-c N0/N1mi -> recommended (APT); T1a -> "
                    "discuss; T2+ or N1 macro -> recommended. In situ carcinoma only in the excised breast with a nodal "
                    "micrometastasis: the missed invasive focus is microscopic (the T1mi/T1a rows; 'discuss' for every "
                    "subtype unless the patient separates them). After neoadjuvant chemotherapy -> not indicated. "
                    "Pregnancy: first trimester deferred (from 14 weeks anthracycline-based chemotherapy is possible); "
                    "breastfeeding must stop first. An unknown input that cannot change the answer (every "
                    "subtype or nodal category gives the same) is not asked for",
    "endocrine": "ER >= 1% -> recommended (ER-low 1-10%: weak); ER < 1% -> not indicated; DCIS -> not indicated "
                 "(optional risk reduction; tamoxifen contraindicated for DCIS with prior VTE). Agent by menopausal "
                 "status and risk (AI; tamoxifen; OFS + exemestane/tamoxifen for higher-risk premenopausal women, "
                 "following the team's OFS intent; tamoxifen for men); prior VTE or thrombophilia -> AI (with OFS "
                 "before menopause, with a GnRH agonist for men) rather than tamoxifen; osteoporosis or fragility "
                 "fracture on an AI -> bone-directed therapy; 5 years, up to 10 for macrometastatic node-positive "
                 "disease, individualised for pN1mi. Pregnancy or breastfeeding: deferred",
    "her2_therapy": "Only HER2-positive invasive disease (DCIS: not indicated, NSABP B-43 negative); equivocal without "
                    "ISH -> insufficient_data with an ISH order. APT for T1b-c N0/N1mi, trastuzumab +/- pertuzumab "
                    "for larger or node-positive disease (size unknown: recommended, regimen by size); after "
                    "neoadjuvant therapy T-DM1 for residual invasive disease (KATHERINE), else complete 1 year. "
                    "Heart: LVEF 40-49% -> discuss with cardioprotection (SAFE-HEaRt); LVEF < 40% or heart failure with "
                    "LVEF < 50% or unknown -> deferred until cardiac recovery; heart failure with LVEF >= 50% -> "
                    "discuss; LVEF unknown -> decision kept, baseline LVEF >= 50% required before the start (missing, "
                    "no insufficient_data). Frailty or declined chemotherapy (upfront surgery) -> discuss (the "
                    "trials gave it with chemotherapy). Interstitial lung disease with T-DM1 planned -> note (Kadcyla "
                    "label). Pregnancy or breastfeeding: deferred",
    "cdk46_inhibitor": "ECOG >= 2 or frailty -> not indicated (NATALEE and monarchE enrolled ECOG 0-1: outside trial "
                       "evidence). HR+/HER2- only. monarchE cohort 1 -> abemaciclib; NATALEE (any macrometastatic "
                       "N1-3, or stage II-III) -> ribociclib; T1N1mi (stage IB) -> not indicated; T2N1mi -> discuss "
                       "(micrometastatic node counting unverified); T3-4 N1mi -> NATALEE either way. QTcF >= 450 ms -> "
                       "no ribociclib (abemaciclib only if monarchE applies); premenopausal ribociclib needs OFS "
                       "(not planned -> discuss); prior VTE/thrombophilia -> ribociclib preferred over abemaciclib, and "
                       "discuss where abemaciclib is the only agent left (monarchE excluded prior VTE); "
                       "interstitial lung disease -> discuss; endocrine therapy declined -> not indicated where a "
                       "trial would offer it (both gave it with endocrine therapy). Pregnancy: deferred; breastfeeding "
                       "must stop first",
    "olaparib": "gBRCA1/2, HER2-negative, OlympiA criteria (TNBC >= pT2 or >= pN1; HR+ >= 4 nodes; non-pCR after "
                "neoadjuvant therapy); unknown germline status where the patient could qualify -> insufficient_data "
                "with a germline-testing order; T1N1mi TNBC -> not indicated (stage I consensus); HR+ after "
                "neoadjuvant therapy needs CPS+EG >= 3 (pre-treatment stage with cT4 from the pre-treatment "
                "extension; nuclear grade, the histological grade as a stated stand-in); DCIS or frailty -> not "
                "indicated. Pregnancy: deferred; breastfeeding must stop first",
    "regional_nodal_irradiation": "pN0(i+) -> not indicated; node-negative medial/central tumour with another "
                                  "adverse feature -> discuss (EORTC 22922); pN1mi -> not indicated unless >= 2 "
                                  "combined adverse features, a medial/central tumour being one (discuss); T3-4 with "
                                  "any nodal metastasis (N1mi included) -> recommended; 1-3 macrometastatic nodes -> "
                                  "recommended (moderate); >= 4 -> recommended (strong); involved internal mammary nodes -> "
                                  "recommended including the IMN chain (clinically detected strong, sentinel "
                                  "moderate); quadrant unrecorded where a medial/central tumour would be the adverse "
                                  "feature that tips it -> insufficient_data; residual nodal disease after "
                                  "neoadjuvant therapy, or cT4/cN2-3 before it -> recommended; cN1 -> ypN0 -> discuss "
                                  "(NSABP B-51); cN0 -> ypN0 -> not indicated; DCIS -> not indicated; prior RT to the "
                                  "same region, scleroderma or active lupus -> discuss; pregnancy -> deferred; limited "
                                  "fitness is named (frail: a weak recommendation).",
    "post_mastectomy_rt": "Mastectomy only. >= 4 nodes, T3-4 with any nodal metastasis (N1mi included) or T4 -> "
                          "recommended; 1-3 macrometastatic nodes -> recommended, discuss when a single node comes with "
                          "every ASCO/ASTRO/SSO low-risk factor; pN1mi -> not indicated unless >= 2 adverse features "
                          "(discuss); T3 N0 -> discuss; after neoadjuvant therapy: residual nodes or cT4/cN2-3 before "
                          "therapy -> recommended, cN1 -> ypN0 -> discuss (NSABP B-51); involved internal mammary "
                          "nodes -> recommended; tumour on ink -> discuss (an unrecorded margin is named where it would "
                          "change 'not indicated'); DCIS -> not indicated; prior RT to the same region, scleroderma or "
                          "active lupus -> discuss; pregnancy -> deferred; limited fitness is named (frail: a weak "
                          "recommendation).",
    "whole_breast_rt": "After BCS: recommended; omission possible only for node-negative patients (ITC-only pN0(i+) "
                       "counts as N0; HER2-negative) meeting CALGB 9343, PRIME II or LUMINA criteria in full with "
                       "endocrine therapy "
                       "(declined -> recommended; an unknown criterion keeps RT recommended and is listed as missing); "
                       "limited fitness strengthens an omission, never creates one; pN1mi or more, or after "
                       "neoadjuvant therapy -> recommended; DCIS -> recommended. Mastectomy -> not applicable. "
                       "Prior RT to this breast or a mantle/mediastinal field, scleroderma or active lupus -> discuss "
                       "(re-irradiation: ESTRO-EORTC 2022; NCCN; a note for the surgeon on breast conservation). "
                       "Pregnancy -> deferred until after delivery.",
    "boost": "After BCS (ASTRO 2018): positive margin or age <= 50 -> recommended; 51-70 with grade 3 or close "
             "margin -> recommended, otherwise discuss; > 70, HR+, grade 1-2, margins >= 2 mm -> not indicated; other "
             "> 70 -> discuss. Whole-breast RT declined -> not applicable. Prior RT to the same region, "
             "scleroderma or active lupus -> discuss. Pregnancy -> deferred.",
    "bisphosphonate": "Every postmenopausal (natural or OFS-induced) candidate for adjuvant systemic therapy, whatever the "
                      "subtype (ASCO-OH 2022; e.g. HER2+ after pCR on trastuzumab): recommended at higher risk, discuss "
                      "at lower risk; osteoporosis/fragility fracture -> recommended; premenopausal without OFS -> not "
                      "indicated; dental treatment pending -> deferred; eGFR < 30 -> discuss (zoledronic acid not "
                      "recommended), 30-60 reduced dose; men -> not indicated (ASCO 2020 male breast cancer). "
                      "Pregnancy or breastfeeding: deferred",
    "immunotherapy": "TNBC only: before surgery cT1c N1-3 or cT2-4 -> recommended (KEYNOTE-522 neoadjuvant); after "
                     "neoadjuvant therapy with pembrolizumab -> continue; upfront surgery -> not indicated. Never with "
                     "active autoimmune disease or a transplant; not started at ECOG >= 2 or with frailty or major "
                     "comorbidity; interstitial lung disease -> a weak recommendation. Pregnancy or breastfeeding: "
                     "deferred",
    "capecitabine": "After neoadjuvant chemotherapy with residual invasive disease: TNBC -> recommended (discuss when "
                    "olaparib is also recommended and not declined; germline BRCA unknown where it decides -> "
                    "insufficient_data); "
                    "HR+/HER2- -> discuss; otherwise not indicated. Complete DPD "
                    "deficiency or creatinine clearance < 30 -> not indicated (contraindicated); partial DPD deficiency "
                    "or clearance 30-50 -> reduced dose; frail -> not indicated, vulnerable -> discuss. Pregnancy: "
                    "deferred; breastfeeding must stop first",
}

SAFETY_SUMMARY = [
    "Unknown inputs give insufficient_data with the field in `missing` only when they could change that decision; "
    "an input needed before a start (baseline LVEF, QTcF, DPD status) is listed in `missing` without decisions.",
    "Metastatic disease (cM1/pM1): every decision 'discuss' or 'not_applicable' where the value set allows, "
    "otherwise insufficient_data naming `metastasis`, with a warning that the system covers early breast cancer only.",
    "Trials enrolled ECOG 0-1: CDK4/6 inhibitors and KEYNOTE-522 pembrolizumab are not indicated at ECOG >= 2; "
    "chemotherapy follows the fitness grading (frail: not offered; vulnerable: at most discuss); olaparib and "
    "HER2-directed therapy carry a note and, when recommended, are weak recommendations.",
    "No cardiotoxic start with LVEF < 50%: HER2-directed therapy discuss (40-49%) or deferred (< 40%, heart failure); "
    "anthracycline-free chemotherapy named; a warning with the LVEF.",
    "Pregnancy: chemotherapy deferred in the first trimester; HER2-directed, endocrine, CDK4/6, olaparib, "
    "pembrolizumab, capecitabine and bisphosphonates deferred until after delivery. Breastfeeding: endocrine "
    "therapy, monoclonal antibodies and zoledronic acid deferred until it stops; other agents need it stopped first.",
    "Declined treatments (`preferences.declined`, every decision key): `declined`, the rules' decision kept in "
    "`clinical_decision`, nothing more asked for it, and PREDICT's 10-year overall-survival benefit forgone when "
    "PREDICT models the treatment.",
    "Male patients: a warning that the trials enrolled mostly women; tamoxifen-based endocrine therapy.",
]


def _code_citations() -> set[str]:
    """Evidence ids passed as ``evidence=``/``extra_evidence=`` in the guideline modules."""
    found: set[str] = set()
    for entry in resources.files("micromets.guidelines").iterdir():
        if entry.name.endswith(".py"):
            for node in ast.walk(ast.parse(entry.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        if keyword.arg in ("evidence", "extra_evidence"):
                            found |= {c.value for c in ast.walk(keyword.value)
                                      if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def _criteria(criteria: CriteriaSet) -> str:
    return (f"- **{criteria.name}** ({criteria.strength}; {', '.join(criteria.evidence)}): "
            + "; ".join(c.label for c in criteria.all))


def _tables() -> list[str]:
    lines: list[str] = []
    for table in rules().files():
        lines += ["", f"### {table.title}", "",
                  f"`knowledge/guidelines/{table.id.replace('-', '_')}.json` - id `{table.id}`, version {table.version}, "
                  f"last modified {table.last_modified.isoformat()}; sources: {', '.join(table.source)}.", ""]
        if table.notes:
            lines += [table.notes, ""]
        header = {"id", "title", "source", "version", "last_modified", "notes"}
        for name in type(table).model_fields:
            if name in header:
                continue
            value = getattr(table, name)
            items = value if isinstance(value, list) else [value]
            if items and all(isinstance(v, CriteriaSet) for v in items):
                lines.append(f"*{name}* (every criterion of a set must hold):")
                lines += [_criteria(v) for v in items]
            elif isinstance(value, list) and not all(hasattr(v, "model_dump") for v in value):
                lines.append(f"*{name}*: {', '.join(str(v) for v in value)}")
            elif isinstance(value, list):
                lines.append(f"*{name}*:")
                lines += ["- " + ", ".join(f"{k}: {v}" for k, v in item.model_dump().items()) for item in value]
            elif hasattr(value, "model_dump"):
                lines.append(f"*{name}*: " + ", ".join(f"{k} = {v}" for k, v in value.model_dump().items()))
            else:
                lines.append(f"*{name}*: {value}")
            lines.append("")
    return lines


def render_clinical_basis() -> str:
    """The whole document as Markdown (deterministic)."""
    registry = evidence_registry()
    cited = set(_code_citations())
    for table in rules().files():
        cited |= cited_ids(table)
    lines = [
        "# Clinical basis of the guideline engine",
        "",
        "Generated by `python -m micromets.guidelines.basis` from the rule tables "
        "(`src/micromets/knowledge/guidelines/`) and the evidence registry; do not edit by hand.",
        "Verification tags: **V** checked against the source; **M** from the literature as recalled; "
        "**U** uncertain (never used as a hard threshold; contested points are 'discuss').",
        "",
        "## Decisions",
        "",
        "| Decision | Allowed values (plus `insufficient_data`) |",
        "|---|---|",
        *[f"| `{key}` | {', '.join(values)} |" for key, values in DECISION_VALUES.items()],
        "",
        *[line for key in DECISION_VALUES for line in (f"**{key}**: {DECISION_SUMMARY[key]}", "")],
        "## Safety rails",
        "",
        *[f"- {item}" for item in SAFETY_SUMMARY],
        "",
        "## What would change a recommendation",
        "",
        "Each recommendation's `would_change_if` is written with the rule from the thresholds the rule uses. "
        "`micromets.whatif` re-runs the whole pipeline with changed inputs and shows which decisions, stages and "
        "survival figures move; the tests use it to check that the stated changes do flip the decision.",
        "",
        "## Rule tables",
        *_tables(),
        "## Evidence cited by the guideline engine",
        "",
        "| Id | Kind | Citation | Key figure | Tag |",
        "|---|---|---|---|---|",
    ]
    for rid in sorted(cited):
        record = registry.get(rid)
        if record is None:
            lines.append(f"| {rid} | MISSING FROM REGISTRY | | | |")
            continue
        lines.append(f"| {rid} | {record.kind} | {record.citation} | {record.key_figure} | {record.verification} |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_clinical_basis(), end="")
