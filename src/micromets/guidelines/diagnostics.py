"""DP-D diagnostics: what to order next when it changes a decision, and what not to order.

HER2 ISH and the 21-gene assay are advised by the rules that need them (targeted.py, chemotherapy.py);
this module adds germline testing, a biopsy of a suspicious axillary node, sentinel-node processing, staging imaging,
baseline LVEF and geriatric assessment.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> board = Board()
    >>> diagnostics(Context.of(Case(age=45), Findings(subtype="hr_pos_her2_neg"), Staging(anatomic_stage="IA")), board)
    >>> sorted(r.id for r in board.recommendations)
    ['diagnostics.germline.offer', 'diagnostics.staging_imaging.not_routine']
"""

from __future__ import annotations

from micromets.guidelines._context import Board, Context
from micromets.guidelines.rules import rules
from micromets.staging.categories import n_group


def germline_testing(ctx: Context, board: Board) -> None:
    """ASCO-SSO 2024: offer BRCA1/2 testing at <= 65; over 65 if PARP-eligible, TNBC or male."""
    if ctx.case.germline_brca is not None:
        return
    reasons = []
    limit = rules().targeted.germline_testing_all_max_age
    if ctx.age is not None and ctx.age <= limit:
        reasons.append(f"age <= {limit}")
    if ctx.subtype == "triple_negative":
        reasons.append("triple-negative disease")
    if ctx.male:
        reasons.append("male breast cancer")
    if any(m.field == "germline_brca" for m in board.missing):
        reasons.append("could be eligible for adjuvant olaparib (OlympiA)")
    if not reasons and ctx.sex is None:
        # A man is offered testing at any age: an unrecorded sex is named, not read as a woman's.
        board.need("sex", "the sex is not recorded: male breast cancer is a criterion for germline BRCA1/2 testing "
                          f"at any age (ASCO-SSO 2024); over {limit} without it a woman is offered testing only for TNBC, family "
                          "history or PARP-inhibitor eligibility")
    if not reasons or not board.explains:  # advice is words: a board of values keeps none
        return
    board.advise("diagnostics.germline.offer", "order", strength="strong",
                 text="Offer germline BRCA1/2 testing (with genetic counselling; a multigene panel is acceptable).",
                 rationale=ctx.say("age", "receptors", "t", "n") + f"; criteria: {', '.join(reasons)}",
                 evidence=["ASCO-SSO-GERMLINE-2024", "OLYMPIA"],
                 would_change_if=f"age > {limit} without TNBC, male sex, family history or PARP-inhibitor eligibility")


def axillary_node_biopsy(ctx: Context, board: Board) -> None:
    """A suspicious axillary node on ultrasound in a clinically node-negative axilla before upfront surgery: a
    US-guided core biopsy or FNA first, since its result decides the axillary pathway (NCCN work-up; SOUND required a
    negative ultrasound; Z0011 and IBCSG 23-01 enrolled clinically node-negative axillae)."""
    if not board.explains or ctx.case.axillary_ultrasound != "suspicious" or ctx.case.neoadjuvant:
        return
    if ctx.setting != "planned" or ctx.nodes_operated_first or n_group(ctx.case.clinical_nodes) != "N0":
        return
    board.advise("diagnostics.axillary_node_biopsy.order", "order", strength="strong",
                 text="US-guided core biopsy (or FNA) of the suspicious axillary node before surgery. Benign: the "
                      "axilla stays clinically node-negative (sentinel biopsy; the omission criteria can apply). "
                      "Malignant: cN1 - axillary dissection at upfront surgery, or neoadjuvant therapy first and then "
                      "sentinel biopsy/targeted axillary dissection; the Z0011 and IBCSG 23-01 pathways do not apply.",
                 rationale=ctx.say("cn") + "; axillary ultrasound suspicious, no node biopsy recorded",
                 evidence=["NCCN-BREAST", "ASCO-AXILLA-2021", "SOUND"],
                 would_change_if="a normal axillary ultrasound, or a node biopsy already done (then record cN1 or cN0)")


def sentinel_node_processing(ctx: Context, board: Board) -> None:
    """No routine cytokeratin IHC on H&E-negative sentinel nodes (NSABP B-32, ACOSOG Z0010). Not said for lobular
    carcinoma, where IHC is acceptable (CAP protocol: dispersed lobular cells are hard to see on H&E)."""
    tumour = ctx.case.tumour
    if not board.explains or (tumour is not None and tumour.histology == "lobular"):
        return
    planned = ctx.setting == "planned" and board.decisions.get("sentinel_biopsy") == "recommended"
    negative = ctx.setting == "upfront" and ctx.node_status == "negative" and ctx.case.nodes is not None \
        and ctx.case.nodes.procedure in ("slnb", "slnb_then_alnd")
    if not (planned or negative):
        return
    board.advise("diagnostics.slnb.no_routine_ihc", "do_not_order", strength="strong",
                 text="Do not order routine cytokeratin IHC on H&E-negative sentinel nodes: occult metastases found "
                      "that way lack meaningful prognostic significance (NSABP B-32: 5-yr OS 94.6% vs 95.8%; ACOSOG "
                      "Z0010: no survival association). IHC is fine for equivocal H&E findings and lobular carcinoma.",
                 rationale=ctx.say("setting", "n"), evidence=["NSABP-B32-OCCULT", "ACOSOG-Z0010", "CAP-BREAST-PROTOCOL"],
                 would_change_if="equivocal H&E findings or lobular histology")


def staging_imaging(ctx: Context, board: Board) -> None:
    """No CT/bone scan/PET for asymptomatic stage I-II; consider for stage III."""
    if not board.explains:
        return
    stage = ctx.staging.anatomic_stage or ctx.staging.clinical_prognostic_stage
    if stage is None or stage.startswith("IV") or stage == "0":
        return
    if stage.startswith("III"):
        return board.advise("diagnostics.staging_imaging.consider", "order", strength="moderate",
                            text="Stage III: systemic staging (CT chest/abdomen/pelvis and bone scan, or FDG-PET/CT).",
                            rationale=ctx.say("stage", "t", "n"), evidence=["NCCN-BREAST"],
                            would_change_if="stage I-II without symptoms (not routine)")
    board.advise("diagnostics.staging_imaging.not_routine", "do_not_order", strength="strong",
                 text="No systemic staging imaging (CT, bone scan, PET) for asymptomatic stage I-II disease; image only "
                      "for symptoms or abnormal laboratory tests.",
                 rationale=ctx.say("stage", "t", "n"), evidence=["NCCN-BREAST", "CHOOSING-WISELY-ASCO"],
                 would_change_if="stage III, symptoms or abnormal laboratory results")


def baseline_lvef(ctx: Context, board: Board) -> None:
    """Baseline LVEF before trastuzumab or (likely anthracycline) chemotherapy when it is not given."""
    if ctx.case.lvef_percent is not None:
        return
    if board.decisions.get("her2_therapy") not in ("recommended", "discuss") and \
            board.decisions.get("chemotherapy") not in ("recommended", "discuss"):
        return
    board.need("lvef_percent", "a baseline LVEF >= 50% is needed before trastuzumab or anthracyclines (a "
                               "pre-treatment check; the decision stands)")
    if not board.explains:
        return
    board.advise("diagnostics.lvef.baseline", "order", strength="strong",
                 text="Baseline LVEF (echocardiography or MUGA) before trastuzumab or anthracycline chemotherapy.",
                 rationale=ctx.say("receptors"), evidence=["ARMENIAN-2017"],
                 would_change_if="no cardiotoxic therapy planned")


def geriatric_assessment(ctx: Context, board: Board) -> None:
    """ASCO 2018/2023: geriatric assessment for patients >= 65 considered for chemotherapy; an unknown age, which
    decides whether it is advised, is named."""
    f = rules().safety.fitness
    if ctx.age is not None and (ctx.age < f.geriatric_assessment_min_age or not board.explains):
        return  # a board of values keeps no advice: only an unknown age, which it names, is left to find
    # Chemotherapy still considered though not decided: held for the fitness, or capecitabine held for the
    # neoadjuvant agents (discussed after pembrolizumab, recommended without it).
    held_for_fitness = any((m.field == "ecog" and {"chemotherapy", "capecitabine"} & set(m.decisions))
                           or (m.field == "neoadjuvant_therapy.agents" and "capecitabine" in m.decisions)
                           for m in board.missing)
    if not held_for_fitness and not any(board.decisions.get(k) in ("recommended", "discuss")
                                        for k in ("chemotherapy", "capecitabine")):
        return
    if ctx.age is None:
        # The patient may be 65 or older: the age decides whether the assessment is ordered (a pre-treatment
        # check; no decision waits for it).
        return board.need("age", f"chemotherapy is considered: from age {f.geriatric_assessment_min_age:g} a "
                                 "geriatric assessment is advised before it (ASCO geriatric 2018/2023)")
    g8 = ctx.case.g8_score
    screen = (f"G8 {g8:g} is abnormal (<= {f.g8_abnormal_max:g}): a full geriatric assessment is needed."
              if g8 is not None and g8 <= f.g8_abnormal_max else
              f"Screen with the G8 (<= {f.g8_abnormal_max:g} abnormal: full assessment)." if g8 is None else
              f"G8 {g8:g} is normal; a geriatric assessment still guides chemotherapy at this age.")
    board.advise("diagnostics.geriatric_assessment.order", "order", strength="strong",
                 text=f"Geriatric assessment before chemotherapy at age {ctx.age:g}: function (IADL), comorbidity, falls, "
                      "depression, cognition, nutrition, polypharmacy and social support; chemotherapy toxicity by "
                      f"CARG or CRASH; non-cancer life expectancy (e.g. ePrognosis). {screen}",
                 rationale=ctx.say("age") + "; chemotherapy considered", evidence=["ASCO-GERIATRIC-2018",
                                                                                   "ASCO-GERIATRIC-2023",
                                                                                   "G8-BELLERA-2012"],
                 would_change_if=f"age < {f.geriatric_assessment_min_age:g} or no chemotherapy considered")


def diagnostics(ctx: Context, board: Board) -> None:
    """Every diagnostic recommendation of this module (run after the treatment decisions)."""
    germline_testing(ctx, board)
    axillary_node_biopsy(ctx, board)
    sentinel_node_processing(ctx, board)
    staging_imaging(ctx, board)
    baseline_lvef(ctx, board)
    geriatric_assessment(ctx, board)
