"""Safety rails applied after the domain rules: metastatic disease, performance status, comorbidity,
cardiac function, male patients.

    >>> from micromets.guidelines._context import Board
    >>> board = Board(decisions={"chemotherapy": "recommended"})
    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Context
    >>> fitness(Context.of(Case(ecog=3), Findings(), Staging()), board)
    >>> board.decisions["chemotherapy"]
    'discuss'
"""

from __future__ import annotations

from micromets.guidelines._context import Board, Context
from micromets.guidelines.rules import rules
from micromets.model import DECISION_VALUES, INSUFFICIENT_DATA

DOMAINS = {"sentinel_biopsy": "surgery", "axillary_surgery": "surgery", "regional_nodal_irradiation": "radiation",
           "post_mastectomy_rt": "radiation", "whole_breast_rt": "radiation", "boost": "radiation"}
PREFIXES = {"sentinel_biopsy": "surgery.slnb", "axillary_surgery": "surgery.alnd", "chemotherapy": "systemic.chemotherapy",
            "endocrine": "systemic.endocrine", "her2_therapy": "systemic.her2", "cdk46_inhibitor": "systemic.cdk46",
            "olaparib": "systemic.olaparib", "immunotherapy": "systemic.immunotherapy",
            "capecitabine": "systemic.capecitabine", "bisphosphonate": "systemic.bisphosphonate",
            "regional_nodal_irradiation": "radiation.rni", "post_mastectomy_rt": "radiation.pmrt",
            "whole_breast_rt": "radiation.wbrt", "boost": "radiation.boost"}
METASTATIC_WARNING = ("Distant metastasis (M1): micromets covers early breast cancer only; every adjuvant decision is "
                      "left to the metastatic-disease pathway.")


def metastatic(ctx: Context, board: Board) -> None:
    """M1: every decision 'discuss' or 'not_applicable' where allowed, else insufficient_data naming metastasis."""
    board.warn(METASTATIC_WARNING)
    for key, allowed in DECISION_VALUES.items():
        if "discuss" in allowed:
            board.decide(key, "discuss", rid=f"{PREFIXES[key]}.discuss.metastatic", strength="weak",
                         text="Metastatic disease: outside the scope of this early-breast-cancer system; decide in the "
                              "metastatic pathway.", rationale=f"metastasis {ctx.case.metastasis}",
                         evidence=["ESMO-EBC-2024", "NCCN-BREAST"], would_change_if="M0 disease")
        elif "not_applicable" in allowed:
            board.decide(key, "not_applicable", rid=f"{PREFIXES[key]}.not_applicable.metastatic", strength="weak",
                         text="Metastatic disease: not applicable in this system.",
                         rationale=f"metastasis {ctx.case.metastasis}", evidence=["ESMO-EBC-2024"],
                         would_change_if="M0 disease")
        else:
            board.unknown(key, {"metastasis": f"{ctx.case.metastasis}: {key} in metastatic disease is outside this "
                                              "early-breast-cancer system"})


def fitness(ctx: Context, board: Board) -> None:
    """ECOG >= 3 or a high comorbidity index: chemotherapy at most 'discuss'; trial populations were ECOG 0-1."""
    t = rules().safety
    ecog, charlson = ctx.case.ecog, ctx.case.charlson_index
    unfit = []
    if ecog is not None and ecog >= t.chemotherapy_discuss_min_ecog:
        unfit.append(f"ECOG {ecog}")
    if charlson is not None and charlson >= t.charlson_high_min:
        unfit.append(f"Charlson comorbidity index {charlson}")
    reason = " and ".join(unfit)
    if unfit:
        for key in ("chemotherapy", "capecitabine"):
            if board.decisions.get(key) == "recommended":
                board.amend(key, value="discuss", strength="weak",
                            note=f"Safety: {reason} - the benefit may not outweigh toxicity and competing mortality; "
                                 "discuss (geriatric assessment; consider less intensive regimens).")
        if board.decisions.get("immunotherapy") == "recommended":
            board.amend("immunotherapy", value="not_indicated", strength="weak",
                        note=f"Safety: {reason} - outside KEYNOTE-522 (ECOG 0-1) and too frail for the regimen; "
                             "discuss at the tumour board.")
    if ecog is not None and ecog > t.trial_max_ecog:
        if board.decisions.get("cdk46_inhibitor") == "recommended":
            board.amend("cdk46_inhibitor", value="discuss", strength="weak",
                        note=f"Safety: ECOG {ecog} is outside monarchE/NATALEE (ECOG 0-1): discuss.")
        for key in ("olaparib", "her2_therapy", "immunotherapy", "chemotherapy"):
            if board.decisions.get(key) == "recommended":
                board.amend(key, note=f"Note: ECOG {ecog} is outside the trial population (ECOG 0-1).")


def cardiac(ctx: Context, board: Board) -> None:
    """LVEF below the limit: no unqualified anthracycline or trastuzumab recommendation."""
    lvef = ctx.case.lvef_percent
    limit = rules().safety.lvef_min_percent
    if lvef is None or lvef >= limit:
        return
    note = (f"Cardiac safety: LVEF {lvef:g}% (< {limit:g}%) - cardio-oncology review before any trastuzumab or "
            "anthracycline; prefer non-anthracycline regimens (e.g. TC, TCH, paclitaxel-trastuzumab) and closer LVEF "
            "monitoring.")
    board.warn(note)
    if board.decisions.get("her2_therapy") == "recommended":
        board.amend("her2_therapy", note=note, strength="moderate", extra_evidence=("ARMENIAN-2017",))
    if board.decisions.get("chemotherapy") in ("recommended", "discuss"):
        board.amend("chemotherapy", note=note, extra_evidence=("ARMENIAN-2017",))


def male(ctx: Context, board: Board) -> None:
    if ctx.male:
        board.warn("Male patient: the trials behind these recommendations enrolled mostly or only women; "
                   "endocrine therapy is tamoxifen-based.")


def apply(ctx: Context, board: Board) -> None:
    """Every safety rail, in order."""
    fitness(ctx, board)
    cardiac(ctx, board)
    male(ctx, board)
    for key, value in board.decisions.items():
        if value == INSUFFICIENT_DATA and not board.missing:
            board.need("(case)", f"{key} could not be decided")
