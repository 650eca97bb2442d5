"""DP-R radiation: whole-breast RT and its omission, boost, regional nodal irradiation, post-mastectomy RT.

Fractionation and organ-at-risk limits come from the rule table and are written into the text.

    >>> from micromets.model import Case, Findings, Staging
    >>> from micromets.guidelines._context import Board, Context
    >>> case = Case(age=55, surgery={"breast": "bcs", "status": "done"}, nodes={"procedure": "slnb", "examined": 2})
    >>> board = Board()
    >>> whole_breast_rt(Context.of(case, Findings(positive_nodes=1, micrometastatic_nodes=1, er="positive"),
    ...                            Staging(t="pT1c", n="pN1mi(sn)")), board)
    >>> board.decisions["whole_breast_rt"]
    'recommended'
"""

from __future__ import annotations

from micromets.guidelines._context import Board, Context, unknown_fields
from micromets.guidelines.rules import evaluate, rules


def _schedules(*targets: str) -> str:
    chosen = [f"{f.schedule} ({f.evidence})" for f in rules().radiation.fractionation
              if any(f.target.startswith(t) for t in targets)]
    return "Fractionation: " + "; or ".join(chosen) + "."


def _organs_at_risk() -> str:
    limits = "; ".join(f"{o.organ}: {o.constraint}" + (" [unverified]" if o.verification == "U" else "")
                       for o in rules().radiation.organs_at_risk)
    return f"Organs at risk: {limits}."


def adverse_features(ctx: Context) -> list[str]:
    """Combined adverse features that make nodal RT/PMRT worth discussing for pN1mi (consensus, not trial data)."""
    t = rules().radiation.adverse_features
    tumour = ctx.case.tumour
    found = []
    if ctx.age is not None and ctx.age < t.young_age_below:
        found.append(f"age < {t.young_age_below}")
    if ctx.grade == 3:
        found.append("grade 3")
    if ctx.findings.er == "negative":
        found.append("ER-negative")
    if tumour is not None and tumour.lvi:
        found.append("LVI")
    if ctx.size_mm is not None and ctx.size_mm > t.large_tumour_above_mm:
        found.append(f"tumour > {t.large_tumour_above_mm:g} mm")
    if (ctx.findings.micrometastatic_nodes or 0) >= t.multiple_micrometastatic_nodes_min:
        found.append("multiple micrometastatic nodes")
    return found


def whole_breast_rt(ctx: Context, board: Board) -> None:
    """WBRT after BCS; omission only for node-negative patients meeting CALGB 9343, PRIME II or LUMINA."""
    key = "whole_breast_rt"
    facts = ctx.say("surgery", "age", "t", "n", "grade", "receptors", "ki67", "margins")
    if ctx.breast_surgery is None:
        return board.unknown(key, {"surgery.breast": "whole-breast RT follows breast-conserving surgery"})
    if ctx.breast_surgery != "bcs":
        return board.decide(key, "not_applicable", rid="radiation.wbrt.not_applicable", strength="strong",
                            text="No breast-conserving surgery: whole-breast RT does not apply (see PMRT).",
                            rationale=facts, evidence=["EBCTCG-RT-BCS-2011"],
                            would_change_if="breast-conserving surgery")
    text = ("Whole-breast RT after breast-conserving surgery (EBCTCG 2011: 10-yr any first recurrence 35.0% -> "
            f"19.3%; 15-yr breast cancer death 25.2% -> 21.4%). {_schedules('whole breast')} {_organs_at_risk()}")
    evidence = ["EBCTCG-RT-BCS-2011", "START", "FAST-FORWARD", "ASTRO-WBI-2018", "DARBY-2013"]
    status = ctx.node_status
    if ctx.setting == "post_neoadjuvant" or status in ("micro", "macro"):
        return board.decide(key, "recommended", rid="radiation.wbrt.recommended.node_positive", strength="strong",
                            text="Node-positive or after neoadjuvant therapy: RT omission is not supported (every "
                                 "omission trial required node-negative disease). " + text,
                            rationale=facts, evidence=evidence,
                            would_change_if="nothing in this system: omission needs node-negative disease")
    if status in ("itc", "molecular"):
        return board.decide(key, "recommended", rid="radiation.wbrt.recommended.itc", strength="moderate",
                            text="pN0(i+): the omission trials required pN0 and ITC were not studied, so omission is "
                                 "not clear-cut; whole-breast RT is recommended (discuss omission only at the tumour "
                                 "board). " + text, rationale=facts, evidence=[*evidence, "PRIME-II", "CALGB-9343"],
                            would_change_if="a node-negative (pN0) result meeting CALGB 9343/PRIME II/LUMINA criteria")
    facts_for_omission = dict(ctx.facts())
    if ctx.setting == "planned":
        # Before surgery a clinical cN0 is not the pN0 that PRIME II and LUMINA required; only CALGB 9343
        # enrolled on clinical node status. (SOUND/INSEMA, which omit the sentinel biopsy, gave whole-breast RT.)
        facts_for_omission["node_status"] = "not_staged"
    evaluations = [evaluate(s, facts_for_omission) for s in rules().radiation.wbrt_omission]
    met = next((e for e in evaluations if e.met), None)
    if met is not None:
        note = (" The axilla was not staged: SLNB omission and RT omission are combined only under CALGB 9343-type "
                "criteria (cN0, >= 70)." if status == "not_staged" else "")
        return board.decide(
            key, "omission_possible", rid="radiation.wbrt.omission_possible", strength=met.criteria.strength,
            text=f"Whole-breast RT may be omitted ({met.criteria.name}) provided endocrine therapy is taken for 5 "
                 "years; RT roughly halves the small local recurrence risk with no survival difference (CALGB 9343: "
                 "10-yr locoregional recurrence 2% vs 10%; PRIME II 10-yr IBTR 0.9% vs 9.5%; LUMINA 5-yr 2.3% "
                 "without RT). If endocrine therapy will not be taken, give RT." + note,
            rationale=facts + f"; criteria met: {', '.join(met.held())}", evidence=met.criteria.evidence,
            would_change_if="any criterion failing (e.g. younger age, larger or higher-grade tumour, nodal disease, "
                            "ER-negative) or no endocrine therapy")
    for name, why in unknown_fields(*(e for e in evaluations if e.possible)).items():
        board.need(name, f"{why} (RT omission); whole-breast RT stays recommended until it is known")
    board.decide(key, "recommended", rid="radiation.wbrt.recommended", strength="strong", text=text,
                 rationale=facts, evidence=evidence,
                 would_change_if="CALGB 9343 (>= 70, T1 cN0 ER+), PRIME II (>= 65, HR+ pN0 <= 3 cm, margins >= 1 mm) "
                                 "or LUMINA (>= 55, T1N0 G1-2 luminal A, Ki-67 <= 13.25%) criteria with endocrine "
                                 "therapy")


def boost(ctx: Context, board: Board) -> None:
    """Tumour-bed boost after BCS by ASTRO 2018: age, grade and margins."""
    key = "boost"
    t = rules().radiation.boost
    facts = ctx.say("age", "grade", "margins", "receptors")
    evidence = ["ASTRO-WBI-2018", "EORTC-BOOST"]
    if ctx.breast_surgery is None:
        return board.unknown(key, {"surgery.breast": "a boost applies after breast-conserving surgery"})
    if ctx.breast_surgery != "bcs":
        return board.decide(key, "not_applicable", rid="radiation.boost.not_applicable", strength="strong",
                            text="No breast-conserving surgery: no tumour-bed boost.", rationale=facts,
                            evidence=evidence, would_change_if="breast-conserving surgery")
    age = ctx.age
    margins = ctx.case.surgery.margins_mm if ctx.case.surgery else None
    if margins == 0:
        return board.decide(key, "recommended", rid="radiation.boost.recommended.positive_margin", strength="strong",
                            text="Tumour on ink: re-excision is preferred; if not feasible, a boost.",
                            rationale=facts, evidence=evidence, would_change_if="clear margins after re-excision")
    if age is None:
        return board.unknown(key, {"age": "age decides the boost (ASTRO 2018)"})
    sched = _schedules("tumour-bed")
    if age <= t.recommended_max_age:
        return board.decide(key, "recommended", rid="radiation.boost.recommended.young", strength="strong",
                            text=f"Age <= {t.recommended_max_age}: tumour-bed boost (EORTC 22881: 20-yr IBTR 16.4% -> "
                                 f"12.0%; severe fibrosis 5.2% vs 1.8%). {sched}", rationale=facts, evidence=evidence,
                            would_change_if=f"age > {t.recommended_max_age} with grade 1-2 and negative margins")
    close = margins is not None and margins < t.close_margin_below_mm
    if ctx.grade is None and not close:
        return board.unknown(key, {"tumour.grade": "over 50, grade decides the boost (ASTRO 2018)"})
    if age <= t.omission_min_age_exclusive:
        if ctx.grade == 3 or close:
            return board.decide(key, "recommended", rid="radiation.boost.recommended.high_grade_or_close",
                                strength="moderate", text=f"Age 51-{t.omission_min_age_exclusive} with grade 3 or a "
                                                          f"close margin: tumour-bed boost. {sched}",
                                rationale=facts, evidence=evidence,
                                would_change_if="grade 1-2 with widely negative margins (discuss)")
        if margins is None:
            board.need("surgery.margins_mm", "a close or positive margin would favour a boost")
        return board.decide(key, "discuss", rid="radiation.boost.discuss", strength="weak",
                            text=f"Age 51-{t.omission_min_age_exclusive}, grade 1-2, negative margins: the boost "
                                 "lowers local recurrence a little with more fibrosis; shared decision.",
                            rationale=facts, evidence=evidence,
                            would_change_if="grade 3 or a close/positive margin (recommended)")
    hr_positive = ctx.findings.er in ("positive", "low_positive")
    if margins is None and hr_positive and ctx.grade in (1, 2):
        return board.unknown(key, {"surgery.margins_mm": f"over {t.omission_min_age_exclusive}, HR+, grade 1-2: "
                                                         "widely negative margins allow omitting the boost"})
    if hr_positive and ctx.grade in (1, 2) and margins is not None and margins >= t.wide_margin_min_mm:
        return board.decide(key, "not_indicated", rid="radiation.boost.not_indicated.older_low_risk", strength="moderate",
                            text=f"Age > {t.omission_min_age_exclusive}, HR-positive, grade 1-2, margins >= "
                                 f"{t.wide_margin_min_mm:g} mm: omit the boost (ASTRO 2018).",
                            rationale=facts, evidence=evidence, would_change_if="grade 3, HR-negative or close margins")
    board.decide(key, "discuss", rid="radiation.boost.discuss.older", strength="weak",
                 text=f"Age > {t.omission_min_age_exclusive} with grade 3, HR-negative disease or close margins: "
                      "individualise the boost.", rationale=facts, evidence=evidence,
                 would_change_if="HR-positive grade 1-2 with widely negative margins (omit)")


def regional_nodal_irradiation(ctx: Context, board: Board) -> None:
    """RNI: not for ITC; pN1mi only with combined adverse features; 1-3 and >= 4 macrometastatic nodes yes."""
    key = "regional_nodal_irradiation"
    facts = ctx.say("setting", "n", "t", "grade", "receptors", "age", "lvi", "surgery")
    evidence = ["MA20", "EORTC-22922", "DBCG-IMN", "NCCN-BREAST"]
    nodal = _schedules("regional", "axilla")
    status = ctx.node_status
    if status is None:
        field = "clinical_nodes" if ctx.setting == "planned" else "nodes.deposits"
        return board.unknown(key, {field: "the nodal category decides regional nodal irradiation"})
    if ctx.setting == "post_neoadjuvant":
        if status in ("itc", "molecular", "micro", "macro"):
            return board.decide(key, "recommended", rid="radiation.rni.recommended.residual", strength="strong",
                                text=f"Residual nodal disease after neoadjuvant therapy: regional nodal RT (with ALND). "
                                     f"{nodal}", rationale=facts, evidence=[*evidence, "ALLIANCE-A011202"],
                                would_change_if="no residual nodal disease")
        if ctx.initial_clinical_n not in (None, "N0"):
            return board.decide(key, "discuss", rid="radiation.rni.discuss.ypn0_after_cn1", strength="moderate",
                                text="Initially node-positive, ypN0 after neoadjuvant therapy: regional nodal RT has "
                                     f"been standard; its benefit after a nodal complete response is debated. {nodal}",
                                rationale=facts, evidence=evidence,
                                would_change_if="residual nodal disease (recommended)")
        return board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.ypn0", strength="moderate",
                            text="cN0 before and ypN0 after neoadjuvant therapy: no regional nodal RT.",
                            rationale=facts, evidence=evidence, would_change_if="residual nodal disease")
    if status in ("negative", "not_staged", "itc", "molecular"):
        word = "pN0(i+): no nodal RT for the ITC." if status in ("itc", "molecular") else "Node-negative: no nodal RT."
        return board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.node_negative", strength="strong",
                            text=word + (" Decided again on the sentinel result." if ctx.setting == "planned" else ""),
                            rationale=facts, evidence=[*evidence, "ASCO-AXILLA-2021"],
                            would_change_if="a micrometastasis with adverse features, or a macrometastasis")
    if status == "micro":
        found = adverse_features(ctx)
        need = rules().radiation.adverse_features.min_count_to_discuss
        if len(found) >= need:
            return board.decide(key, "discuss", rid="radiation.rni.discuss.micromets_adverse", strength="weak",
                                text=f"pN1mi with combined adverse features ({', '.join(found)}): consider regional "
                                     "nodal RT (consensus; the trials did not stratify by micrometastasis). "
                                     "Lymphoedema rises with nodal RT (MA.20 8.4% vs 4.5%). " + nodal,
                                rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                                would_change_if=f"fewer than {need} adverse features (not indicated)")
        return board.decide(key, "not_indicated", rid="radiation.rni.not_indicated.micromets", strength="moderate",
                            text="pN1mi without combined adverse features: no routine nodal RT; whole-breast RT with "
                                 "standard or high tangents (Z0011 practice, often high tangents; IBCSG 23-01).",
                            rationale=facts + (f"; adverse features: {', '.join(found)}" if found else ""),
                            evidence=[*evidence, "IBCSG-23-01", "JAGSI-2014", "ACOSOG-Z0011"],
                            would_change_if=f"{need} or more of: young age, grade 3, ER-negative, LVI, large tumour, "
                                            "multiple micrometastatic nodes (discuss); a macrometastasis")
    positive = ctx.positive_nodes
    if positive is not None and positive >= rules().radiation.high_risk_min_positive_nodes:
        return board.decide(key, "recommended", rid="radiation.rni.recommended.four_or_more", strength="strong",
                            text=f"{positive} positive nodes: regional nodal RT (supraclavicular, axillary apex, "
                                 f"internal mammary). {nodal} {_organs_at_risk()}", rationale=facts,
                            evidence=[*evidence, "EBCTCG-PMRT-2014"], would_change_if="nothing short of M1")
    board.decide(key, "recommended", rid="radiation.rni.recommended.one_to_three", strength="moderate",
                 text="1-3 macrometastatic nodes: regional nodal RT is strongly considered (MA.20: 10-yr DFS 82.0% vs "
                      "77.0%; EORTC 22922: 15-yr breast cancer mortality 16.0% vs 19.8%), especially with adverse "
                      "features; with ALND omitted (Z0011) high tangents or nodal RT by risk (SENOMAC: about 90% got "
                      f"nodal RT). Lymphoedema 8.4% vs 4.5% (MA.20). {nodal} {_organs_at_risk()}",
                 rationale=facts, evidence=[*evidence, "SENOMAC", "JAGSI-2014"],
                 would_change_if="micrometastases only (not routine)")


def post_mastectomy_rt(ctx: Context, board: Board) -> None:
    """PMRT after mastectomy: >= 4 nodes or T3-4 N+ yes; 1-3 macro mostly yes; pN1mi only with adverse features."""
    key = "post_mastectomy_rt"
    facts = ctx.say("setting", "surgery", "n", "t", "grade", "receptors", "age", "lvi")
    evidence = ["EBCTCG-PMRT-2014", "ASCO-ASTRO-PMRT-2016"]
    if ctx.breast_surgery is None:
        return board.unknown(key, {"surgery.breast": "PMRT applies after mastectomy"})
    if ctx.breast_surgery != "mastectomy":
        return board.decide(key, "not_applicable", rid="radiation.pmrt.not_applicable", strength="strong",
                            text="No mastectomy: PMRT does not apply.", rationale=facts, evidence=evidence,
                            would_change_if="mastectomy")
    status, tg = ctx.node_status, ctx.t_group
    if status is None:
        return board.unknown(key, {"nodes.deposits": "the nodal category decides PMRT"})
    chest = _schedules("regional")
    many_nodes = (ctx.positive_nodes or 0) >= rules().radiation.high_risk_min_positive_nodes
    if tg == "T4" or many_nodes or (tg == "T3" and status == "macro"):
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.high_risk", strength="strong",
                            text="PMRT to chest wall and regional nodes (>= 4 nodes, T3 N+ or T4). " + chest,
                            rationale=facts, evidence=evidence, would_change_if="nothing short of M1")
    if ctx.setting == "post_neoadjuvant" and status in ("itc", "micro", "macro", "molecular"):
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.after_neoadjuvant", strength="moderate",
                            text="Residual nodal disease after neoadjuvant therapy: PMRT including the regional "
                                 "nodes. " + chest, rationale=facts,
                            evidence=[*evidence, "NCCN-BREAST"], would_change_if="ypN0 after therapy")
    if ctx.setting == "post_neoadjuvant" and ctx.initial_clinical_n not in (None, "N0"):
        # Same reasoning as regional nodal RT after a nodal complete response: standard, but its benefit is debated.
        return board.decide(key, "discuss", rid="radiation.pmrt.discuss.ypn0_after_cn1", strength="moderate",
                            text="Initially node-positive, ypN0 after neoadjuvant therapy: PMRT including the nodes "
                                 "has been standard; its benefit after a nodal complete response is debated. " + chest,
                            rationale=facts, evidence=[*evidence, "NCCN-BREAST"],
                            would_change_if="residual nodal disease (recommended) or cN0 before therapy")
    if ctx.setting == "planned":
        value = "recommended" if status == "macro" else "not_indicated"
        return board.decide(key, value, rid=f"radiation.pmrt.{value}.planned", strength="weak",
                            text="Provisional, before surgery: final PMRT decision on the pathology." +
                                 (" Clinically node-positive: PMRT is usually indicated." if value == "recommended"
                                  else ""), rationale=facts, evidence=evidence,
                            would_change_if="the final nodal pathology")
    if status == "macro":
        favourable = evaluate(rules().radiation.pmrt_favourable_one_to_three, ctx.facts())
        if favourable.met:
            return board.decide(key, "discuss", rid="radiation.pmrt.discuss.favourable", strength="moderate",
                                text="1 macrometastatic node with every low-risk factor (ASCO/ASTRO/SSO 2016): locoregional "
                                     "risk may be low enough that toxicity outweighs benefit; discuss PMRT. " + chest,
                                rationale=facts + f"; low-risk factors: {', '.join(favourable.held())}",
                                evidence=evidence, would_change_if="any adverse feature or a second positive node")
        return board.decide(key, "recommended", rid="radiation.pmrt.recommended.one_to_three", strength="moderate",
                            text="1-3 macrometastatic nodes: PMRT including regional nodes (EBCTCG 2014: 10-yr "
                                 "locoregional failure 21.0% -> 4.3%, 20-yr breast cancer mortality 49.4% -> 41.5%). "
                                 "If ALND was omitted, PMRT including the nodes replaces it (ASCO 2025). " + chest,
                            rationale=facts, evidence=[*evidence, "ASCO-SLNB-2025", "AMAROS"],
                            would_change_if="a single node with every low-risk factor (discuss)")
    found = adverse_features(ctx)
    need = rules().radiation.adverse_features.min_count_to_discuss
    if tg == "T3" or (status == "micro" and len(found) >= need):
        return board.decide(key, "discuss", rid="radiation.pmrt.discuss.adverse", strength="weak",
                            text=f"{'T3' if tg == 'T3' else 'pN1mi'} after mastectomy"
                                 + (f" with adverse features ({', '.join(found)})" if found else "") +
                                 ": consider PMRT (a single node or small nodal metastases lowers the risk; ASCO/ASTRO/"
                                 "SSO 2016). " + chest, rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                            would_change_if="fewer adverse features (not indicated) or a macrometastasis")
    word = {"micro": "pN1mi with favourable features", "itc": "pN0(i+): no PMRT for the ITC"}.get(status, "pN0")
    board.decide(key, "not_indicated", rid="radiation.pmrt.not_indicated", strength="moderate",
                 text=f"{word}: PMRT generally not indicated (IBCSG 23-01 mastectomy patients had no PMRT).",
                 rationale=facts, evidence=[*evidence, "IBCSG-23-01"],
                 would_change_if=f"{need} or more adverse features (young age, grade 3, ER-negative, LVI, large "
                                 "tumour, multiple micrometastatic nodes), T3, or a macrometastasis")
