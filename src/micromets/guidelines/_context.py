"""Derived patient facts, named as a clinician names them, and the board that collects decisions.

    >>> from micromets.model import Case, Findings, Staging
    >>> ctx = Context.of(Case(age=54, menopausal_status="post", surgery={"breast": "bcs", "status": "done"},
    ...                       nodes={"procedure": "slnb", "examined": 3}),
    ...                  Findings(positive_nodes=1, micrometastatic_nodes=1),
    ...                  Staging(t="pT1c", n="pN1mi(sn)", m="cM0"))
    >>> (ctx.setting, ctx.node_status, ctx.menopause)
    ('upfront', 'micro', 'post')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar, get_args

from micromets.guidelines.rules import Evaluation, FactValue, ShortEvaluation, rules
from micromets.model import (
    DECISION_VALUES,
    DECLINED,
    DEFERRED,
    INSUFFICIENT_DATA,
    Case,
    Conditions,
    Findings,
    MissingItem,
    Recommendation,
    Staging,
)
from micromets.model._built import MissingItemFields, built_given, copied_with
from micromets.model.assessment import Domain, Strength
from micromets.model.case import implied_premenopausal, recorded_sex  # one definition each
from micromets.staging.categories import n_group, split_category, t_group
from micromets.staging.tnm import pathological_n

Setting = Literal["planned", "upfront", "post_neoadjuvant"]
NodeStatus = Literal["negative", "itc", "molecular", "micro", "macro", "not_staged"]
_T = TypeVar("_T")

#: Which decision key a recommendation belongs to, by the start of its id.
DECISION_PREFIXES: dict[str, str] = {
    "surgery.slnb.": "sentinel_biopsy",
    "surgery.alnd.": "axillary_surgery",
    "systemic.chemotherapy.": "chemotherapy",
    "systemic.endocrine.": "endocrine",
    "systemic.her2.": "her2_therapy",
    "systemic.cdk46.": "cdk46_inhibitor",
    "systemic.olaparib.": "olaparib",
    "systemic.immunotherapy.": "immunotherapy",
    "systemic.capecitabine.": "capecitabine",
    "systemic.bisphosphonate.": "bisphosphonate",
    "radiation.rni.": "regional_nodal_irradiation",
    "radiation.pmrt.": "post_mastectomy_rt",
    "radiation.wbrt.": "whole_breast_rt",
    "radiation.boost.": "boost",
}

#: The case field to name in ``missing`` when a fact is unknown.
FACT_FIELDS: dict[str, str] = {
    "age": "age",
    "menopause": "menopausal_status",
    "clinical_size_mm": "tumour.size_mm",
    "size_mm": "tumour.size_mm",
    "t_group": "tumour.size_mm",
    "grade": "tumour.grade",
    "subtype": "tumour.her2_ihc",
    "er": "tumour.er_percent",
    "pr_percent": "tumour.pr_percent",
    "her2": "tumour.her2_ihc",
    "ki67_percent": "tumour.ki67_percent",
    "lvi": "tumour.lvi",
    "grade3_with_lvi": "tumour.lvi",
    "clinical_n": "clinical_nodes",
    "axillary_ultrasound": "axillary_ultrasound",
    "axillary_ultrasound_suspicious": "axillary_ultrasound",
    "breast_surgery": "surgery.breast",
    "margins_mm": "surgery.margins_mm",
    "node_status": "nodes.deposits",
    "positive_nodes": "nodes.deposits",
    "anatomic_stage": "tumour.size_mm",
    "genomic_high": "oncotype_rs",
    "endocrine_accepted": "preferences.declined",
    "whole_breast_rt_accepted": "preferences.declined",
    "sex": "sex",
}


def allowed(key: str, value: str) -> bool:
    """Whether ``value`` may be recorded for decision ``key`` (its contract values, declined or deferred)."""
    return value in DECISION_VALUES[key] or value in (DECLINED, DEFERRED)


#: The subtype as a clinician writes it, for rationales (the report's labels live in a higher layer).
_SUBTYPE_WORDS = {"hr_pos_her2_neg": "HR+/HER2−", "her2_pos": "HER2+", "triple_negative": "triple negative"}


@cache
def decision_key(recommendation_id: str) -> str | None:
    """The decision a recommendation id belongs to (None for diagnostics and notes).

    >>> decision_key("surgery.alnd.omit.micromets")
    'axillary_surgery'
    """
    for prefix, key in DECISION_PREFIXES.items():
        if recommendation_id.startswith(prefix):
            return key
    return None


def _operated_first(case: Case) -> bool:
    """Nodes operated and examined before a breast surgery still planned (e.g. a sentinel biopsy before mastectomy,
    to plan reconstruction and radiotherapy), without neoadjuvant therapy: their pathology gives the nodal status,
    as it will in the pN. (After neoadjuvant therapy the nodes of the case are not the status after therapy.)"""
    return case.has_nodal_pathology and not case.neoadjuvant


def _node_status(case: Case, findings: Findings, staging: Staging, setting: Setting,
                 node_categories: Mapping[int, str | None] | None) -> NodeStatus | None:
    if setting == "planned":
        if _operated_first(case):
            pn_base, pn_suffixes, _ = pathological_n(case, findings, by_node=node_categories)
            return _status_of(pn_base, pn_suffixes)
        group = n_group(case.clinical_nodes)
        return None if group is None else ("negative" if group == "N0" else "micro" if group == "N1mi" else "macro")
    if staging.n is None:
        return None
    try:
        prefix, base, suffixes = split_category(staging.n)
    except ValueError:
        return None
    if prefix in ("c", "yc") and base == "N0":
        return "not_staged"  # sentinel biopsy omitted: the axilla was not examined
    return _status_of(base, suffixes)


def _status_of(base: str | None, suffixes: Sequence[str]) -> NodeStatus | None:
    if base is None or base == "NX":
        return None
    if base == "N0":
        return "itc" if "i+" in suffixes else "molecular" if "mol+" in suffixes else "negative"
    return "micro" if base == "N1mi" else "macro"


@dataclass
class Context:
    """The facts the rules use, derived once from the case, the findings and the stage.

    Never changed once built (a what-if re-run builds a variant: ``varied``, ``with_ecog``), but not a frozen
    dataclass: a frozen one sets each of its 21 attributes through ``object.__setattr__``, which made building the
    context of a patient cost twice what plain attribute stores cost (~1.3 µs of ~3.8).
    """

    case: Case
    findings: Findings
    staging: Staging
    setting: Setting
    breast_surgery: str | None
    node_status: NodeStatus | None
    t_group: str | None
    initial_clinical_n: str | None
    menopause: Literal["pre", "post"] | None
    metastatic: bool
    # Plain facts of the case and the findings, read by most rules several times per patient: held here, as the
    # fields above are, instead of read through the models on every use (a model attribute read costs several
    # plain ones). Derived by ``_hold_plain_facts`` (on building, and by ``varied`` when the case or the findings
    # change).
    age: float | None = field(init=False)
    #: The sex as the case records it or implies it (:func:`recorded_sex`); None when neither.
    sex: Literal["female", "male"] | None = field(init=False)
    male: bool = field(init=False)
    size_mm: float | None = field(init=False)
    grade: int | None = field(init=False)
    in_situ_only: bool = field(init=False)
    subtype: str | None = field(init=False)
    #: Coded comorbidities; every field ``None`` when none were recorded.
    conditions: Conditions = field(init=False)
    #: True when pregnant now, False when known not pregnant (or lactating), None when not recorded.
    pregnant: bool | None = field(init=False)
    #: Words already rendered for this context (``say`` is asked for the same facts by many rules), by item (each
    #: after its separator "; ", "" for a fact left unsaid), and each list of items already said, joined.
    _words: dict[str | tuple[str, ...], str] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: The named facts, derived once (several decision points evaluate criteria against them).
    _facts: dict[str, FactValue] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: Other derived values asked for by several decision points (e.g. fitness), by name: derived once.
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._hold_plain_facts()

    def _hold_plain_facts(self) -> None:
        """The plain facts of the case and the findings, as attributes. Stored one by one, not through
        ``self.__dict__``: asking for it turns the instance's inline attribute values into a dict, and Python 3.11
        then specialises no attribute read on this context."""
        case = self.case
        tumour, pregnancy = case.tumour, case.pregnancy
        status = pregnancy.status if pregnancy else None
        self.age = case.age
        self.sex = recorded_sex(case)
        self.male = self.sex == "male"
        self.size_mm = tumour.size_mm if tumour else None
        self.grade = tumour.grade if tumour else None
        self.in_situ_only = bool(tumour and tumour.in_situ_only)
        self.subtype = self.findings.subtype
        self.conditions = case.conditions or _NO_CONDITIONS
        self.pregnant = None if status is None else status == "pregnant"

    @classmethod
    def of(cls, case: Case, findings: Findings, staging: Staging, *,
           node_categories: Mapping[int, str | None] | None = None) -> Context:
        """The context of one patient. ``node_categories``: each node's class as ``classify`` found it
        (``PathologyResult.node_categories``), so that the nodal status of nodes operated before a planned breast
        surgery does not work it out again; without it, it is worked out from ``findings.deposits``, the same way."""
        surgery = case.surgery
        planned = case.is_clinically_staged or (surgery is not None and surgery.status == "planned")
        setting: Setting = "planned" if planned else "post_neoadjuvant" if case.neoadjuvant else "upfront"
        # After neoadjuvant therapy `clinical_nodes` is the post-treatment (yc) status; the status before therapy is
        # only ever the pre-treatment field, never the post-treatment one standing in for it.
        initial = case.clinical_nodes
        if case.neoadjuvant:
            initial = case.neoadjuvant_therapy.pre_treatment_clinical_nodes if case.neoadjuvant_therapy else None
        status = case.menopausal_status
        if status is None and implied_premenopausal(case):
            status = "pre"  # pregnant, breastfeeding or OFS planned: premenopausal (the case format refuses 'post')
        return cls(
            case=case,
            findings=findings,
            staging=staging,
            setting=setting,
            breast_surgery=surgery.breast if surgery else None,
            node_status=_node_status(case, findings, staging, setting, node_categories),
            t_group=_safe_t_group(staging.t),
            initial_clinical_n=n_group(initial),
            menopause=None if status is None else ("post" if status == "post" else "pre"),
            metastatic=case.metastasis in ("cM1", "pM1"),
        )

    def with_ecog(self, grade: int, *, keep: Sequence[str] = ()) -> Context:
        """This patient with a rated ECOG ``grade``, for the what-if re-runs of the fitness rail. The rendered words
        and the named facts are shared with this context (neither reads the performance status; a test checks it):
        the re-runs for several decisions then render them once. ``keep`` names derived values (``remembered``)
        that read neither the performance status nor fitness: the variant starts with this context's (plain
        values, never a context: the variant refers to nothing that refers back to it)."""
        # Built as dataclasses.replace would build it, without re-running __init__ (it costs more than the case copy):
        # every field copied, the case changed, the memo fresh but for ``keep`` (fitness reads the performance
        # status). The plain facts (``_hold_plain_facts``) do not read the performance status either: kept.
        memo: dict[str, Any] = {}
        derived = self.memo
        for name in keep:
            if name in derived:
                memo[name] = derived[name]
        variant = object.__new__(Context)
        variant.__dict__.update(self.__dict__, case=copied_with(self.case, "ecog", grade), memo=memo)
        return variant

    def varied(self, *, case: Case | None = None, findings: Findings | None = None,
               node_status: NodeStatus | None = None, menopause: Literal["pre", "post"] | None = None,
               breast_surgery: str | None = None) -> Context:
        """This patient with some inputs given otherwise, for a what-if re-run: as ``dataclasses.replace`` builds it
        (every other field kept, the words, facts and memo fresh), without re-running ``__init__`` (six times the
        cost of the copy; the re-runs build a few per patient). None keeps a field: no what-if makes one unknown."""
        changes: dict[str, object] = {"_words": {}, "_facts": {}, "memo": {}}
        for name, value in (("case", case), ("findings", findings), ("node_status", node_status),
                            ("menopause", menopause), ("breast_surgery", breast_surgery)):
            if value is not None:
                changes[name] = value
        variant = object.__new__(Context)
        variant.__dict__.update(self.__dict__, **changes)
        if case is not None or findings is not None:  # as __post_init__ derives them for dataclasses.replace
            variant._hold_plain_facts()
        return variant

    # --- plain facts -------------------------------------------------------------------------------
    @property
    def clinical_size_mm(self) -> float | None:
        """Size before any treatment: the pre-neoadjuvant size after NST, else the tumour size."""
        nst = self.case.neoadjuvant_therapy
        if self.case.neoadjuvant and nst is not None and nst.pre_treatment_size_mm is not None:
            return nst.pre_treatment_size_mm
        return self.size_mm

    @property
    def er_low(self) -> bool:
        return self.findings.er == "low_positive"

    @property
    def triple_negative_like(self) -> bool:
        """Triple-negative, or ER-low (1-10 %) and HER2-negative: chemotherapy follows the TNBC pathway."""
        return self.subtype == "triple_negative" or (self.subtype == "hr_pos_her2_neg" and self.er_low
                                                     and self.findings.pr != "positive")

    @property
    def positive_nodes(self) -> int | None:
        """Micro- plus macrometastatic nodes (ITC nodes do not count), 0 when node-negative."""
        if self.node_status in ("negative", "itc", "molecular", "not_staged"):
            return self.findings.positive_nodes or 0
        if self.setting == "planned" and not self.nodes_operated_first:
            return None
        return self.findings.positive_nodes

    @property
    def extranodal_extension(self) -> bool | None:
        nodes = self.case.nodes
        if nodes is None or not nodes.deposits:
            return None
        flags = [d.extranodal_extension for d in nodes.deposits]
        if any(flags):
            return True
        return None if any(f is None for f in flags) else False

    @property
    def axillary_dissection_done(self) -> bool:
        nodes = self.case.nodes
        return nodes is not None and nodes.procedure in ("alnd", "slnb_then_alnd")

    @property
    def residual_invasive_disease(self) -> bool | None:
        """After neoadjuvant therapy: not a pathological complete response (residual ITC count as residual)."""
        pcr = self.findings.pathological_complete_response
        return None if pcr is None else not pcr

    @property
    def younger(self) -> bool | None:
        """TAILORx age group: 50 or under, or premenopausal; None when that is open (a postmenopausal woman of
        unknown age may be 50 or under)."""
        if self.menopause == "pre" or (self.age is not None and self.age <= 50):
            return True
        if self.age is None:
            return None
        return False

    @property
    def genomic_high(self) -> bool | None:
        if self.case.oncotype_rs is not None:
            return self.case.oncotype_rs >= rules().chemotherapy.recurrence_score.chemotherapy_min
        if self.case.mammaprint is not None:
            return self.case.mammaprint == "high"
        return None

    @property
    def node_status_field(self) -> str:
        """The input that gives the nodal status: the clinical category before surgery or when no node was
        examined, else the deposits."""
        return "clinical_nodes" if (self.setting == "planned" and not self.nodes_operated_first) \
            or not self.case.has_nodal_pathology else "nodes.deposits"

    @property
    def nodes_operated_first(self) -> bool:
        """Breast surgery planned, axilla already operated (``_operated_first``): the nodal pathology decides."""
        return self.setting == "planned" and _operated_first(self.case)

    # --- the patient: fitness, conditions, pregnancy, preferences (raw accessors; rules interpret them) ----------
    @property
    def lactating(self) -> bool:
        return bool(self.case.pregnancy and self.case.pregnancy.status == "lactating")

    @property
    def trimester(self) -> int | None:
        """The current trimester of a pregnant patient (None when not pregnant or unknown)."""
        pregnancy = self.case.pregnancy
        return pregnancy.current_trimester if pregnancy and pregnancy.status == "pregnant" else None

    def declined(self, key: str) -> bool:
        """Whether the patient declined the treatment behind decision ``key``."""
        preferences = self.case.preferences
        return preferences is not None and key in preferences.declined

    def agents(self) -> list[str]:
        nst = self.case.neoadjuvant_therapy
        return list(nst.agents) if nst else []

    def remembered(self, name: str, derive: Callable[[Context], _T]) -> _T:
        """The value ``derive`` gives for this context, derived on the first call under ``name`` and remembered
        (several decision points, their texts and their missing inputs ask for the same derived values)."""
        memo = self.memo
        if name in memo:  # a test, not a KeyError: each context derives a few values first (an exception each)
            found: _T = memo[name]
            return found
        found = memo[name] = derive(self)
        return found

    def facts(self) -> dict[str, FactValue]:
        """Named facts for the criteria language of the rule tables (a new dict: callers may change it)."""
        return dict(self.read_facts())

    def read_facts(self) -> Mapping[str, FactValue]:
        """The named facts of :meth:`facts`, not copied: for callers that only read them (criteria evaluated as
        they stand)."""
        if not self._facts:
            self._facts.update(self._derive_facts())
        return self._facts

    def _derive_facts(self) -> dict[str, FactValue]:
        tumour = self.case.tumour
        grade, lvi = self.grade, tumour.lvi if tumour else None
        grade3_with_lvi: bool | None = None
        if grade is not None and grade < 3 or lvi is False:
            grade3_with_lvi = False
        elif grade == 3 and lvi is True:
            grade3_with_lvi = True
        surgery = self.case.surgery
        return {
            "age": self.age,
            "menopause": "male" if self.male else self.menopause,
            "clinical_size_mm": self.clinical_size_mm,
            "size_mm": self.size_mm,
            "t_group": self.t_group,
            "grade": grade,
            "subtype": self.subtype,
            "er": self.findings.er,
            "pr_percent": tumour.pr_percent if tumour else None,
            "her2": self.findings.her2,
            "ki67_percent": tumour.ki67_percent if tumour else None,
            "lvi": lvi,
            "grade3_with_lvi": grade3_with_lvi,
            "clinical_n": n_group(self.case.clinical_nodes),
            "axillary_ultrasound": self.case.axillary_ultrasound,
            # Recorded as suspicious (never unknown: an unrecorded ultrasound is not a suspicious one).
            "axillary_ultrasound_suspicious": self.case.axillary_ultrasound == "suspicious",
            "breast_surgery": self.breast_surgery,
            "margins_mm": surgery.margins_mm if surgery else None,
            "node_status": self.node_status,
            "positive_nodes": self.positive_nodes,
            "anatomic_stage": self.staging.anatomic_stage,
            "genomic_high": self.genomic_high,
            "endocrine_accepted": not self.declined("endocrine"),
            "whole_breast_rt_accepted": not self.declined("whole_breast_rt"),
            "sex": self.sex,
        }

    # --- words for the rationale ------------------------------------------------------------------
    def say(self, *items: str) -> str:
        """The patient facts used, in words, e.g. ``ctx.say("n", "surgery", "t")``."""
        words = self._words
        said = words.get(items)  # the same list is said by several rules and tables: joined once
        if said is None:
            # Each word derived once per context and kept with the separator before it ("" for a fact left
            # unsaid): the list is then one plain join, without filtering out the unsaid ones on every call.
            parts = [*map(words.get, items)]
            if None in parts:
                for i, part in enumerate(parts):
                    if part is None:  # one function per item: no chain of comparisons
                        item = items[i]
                        word = _WORDS.get(item, _no_word)(self)
                        parts[i] = words[item] = f"; {word}" if word else ""
            joined = "".join(parts)  # type: ignore[arg-type]  # every None was filled in above
            said = words[items] = joined[2:] or "no patient facts available"
        return said

    def _word_n(self) -> str | None:
        case, f = self.case, self.findings
        examined = case.nodes.examined if case.nodes else None
        counts = []
        if f.macrometastatic_nodes:
            counts.append(f"{f.macrometastatic_nodes} macrometastatic")
        if f.micrometastatic_nodes:
            counts.append(f"{f.micrometastatic_nodes} micrometastatic")
        if f.itc_nodes:
            counts.append(f"{f.itc_nodes} ITC-only")
        nodes = f" ({', '.join(counts)} node(s)" + (f" of {examined} examined)" if examined else ")") if counts else ""
        return f"{self.staging.n or 'N unknown'}{nodes}"

    def _word_cn(self) -> str | None:
        case = self.case
        if not case.neoadjuvant:
            return f"clinically {case.clinical_nodes}" if case.clinical_nodes else None
        before = case.neoadjuvant_therapy.pre_treatment_clinical_nodes if case.neoadjuvant_therapy else None
        return (f"clinically {case.clinical_nodes or 'unknown'} after neoadjuvant therapy, {before or 'unknown'} "
                "before")

    def _word_t(self) -> str | None:
        size = f" ({self.size_mm:g} mm)" if self.size_mm is not None else ""
        return f"{self.staging.t or 'T unknown'}{size}"

    def _word_grade(self) -> str | None:
        return f"grade {self.grade}" if self.grade else "grade unknown"

    def _word_receptors(self) -> str | None:
        f, tumour = self.findings, self.case.tumour
        er = f"ER {tumour.er_percent:g}%" if tumour and tumour.er_percent is not None else "ER unknown"
        return f"{er}, HER2 {f.her2 or 'unknown'} ({_SUBTYPE_WORDS.get(f.subtype or '', 'subtype undecided')})"

    def _word_age(self) -> str | None:
        return f"age {self.age:g}" if self.age is not None else "age unknown"

    def _word_menopause(self) -> str | None:
        case = self.case
        return "male" if self.male else (f"{case.menopausal_status}menopausal" if case.menopausal_status else
                                         "menopausal status unknown")

    def _word_surgery(self) -> str | None:
        word = {"bcs": "breast-conserving surgery", "mastectomy": "mastectomy", "none": "no breast surgery"}
        planned = " (planned)" if self.setting == "planned" else ""
        return word.get(self.breast_surgery or "", "breast surgery unknown") + planned

    def _word_setting(self) -> str | None:
        return {"planned": "before surgery", "upfront": "upfront surgery",
                "post_neoadjuvant": "after neoadjuvant therapy"}[self.setting]

    def _word_rs(self) -> str | None:
        case = self.case
        if case.oncotype_rs is not None:
            return f"recurrence score {case.oncotype_rs}"
        return f"MammaPrint {case.mammaprint}" if case.mammaprint else "no genomic assay"

    def _word_stage(self) -> str | None:
        return f"anatomic stage {self.staging.anatomic_stage}" if self.staging.anatomic_stage else None

    def _word_pcr(self) -> str | None:
        pcr = self.findings.pathological_complete_response
        return None if pcr is None else ("pathological complete response" if pcr else "residual disease")

    def _word_margins(self) -> str | None:
        case = self.case
        margins = case.surgery.margins_mm if case.surgery else None
        return f"closest margin {margins:g} mm" if margins is not None else "margins unknown"

    def _word_lvi(self) -> str | None:
        tumour = self.case.tumour
        return None if tumour is None or tumour.lvi is None else ("LVI present" if tumour.lvi else "no LVI")

    def _word_ki67(self) -> str | None:
        tumour = self.case.tumour
        return f"Ki-67 {tumour.ki67_percent:g}%" if tumour and tumour.ki67_percent is not None else None

    def _word_brca(self) -> str | None:
        case = self.case
        return f"germline BRCA {case.germline_brca}" if case.germline_brca else "germline BRCA unknown"


def _no_word(ctx: Context) -> None:
    """The word of an item ``say`` does not know: none."""
    return None


#: What ``say`` knows to put in words, by item.
_WORDS: dict[str, Callable[[Context], str | None]] = {
    item: getattr(Context, f"_word_{item}") for item in (
        "n", "cn", "t", "grade", "receptors", "age", "menopause", "surgery", "setting", "rs", "stage", "pcr",
        "margins", "lvi", "ki67", "brca")}


_NO_CONDITIONS = Conditions()
# The models' own validators, given a dict: the same checks as ``Recommendation(...)`` without the keyword
# wrapper, which costs as much as the validation itself for these small models (a patient gets ~15).
_RECOMMENDATION = Recommendation.__pydantic_validator__.validate_python
_MISSING_ITEM = MissingItem.__pydantic_validator__.validate_python
#: Every field of a missing input is given when the board records one.
_MISSING_ITEM_GIVEN = frozenset(MissingItem.model_fields)


def _missing_item(name: str, why: str, decision: str | None) -> MissingItem:
    """``MissingItem(field=name, why=why, decisions=[decision])`` (no decision: none), validated by the model only
    when a value is not plainly a string: the rules' texts always are, and a patient's board records a few missing
    inputs on every what-if re-run (validation cost ~1.5 µs each, the unvalidated build a third of it)."""
    decisions = [decision] if decision else []
    if type(name) is str and type(why) is str and (decision is None or type(decision) is str):
        values: MissingItemFields = {"field": name, "why": why, "decisions": decisions}
        return built_given(MissingItem, values, _MISSING_ITEM_GIVEN)
    validated: MissingItem = _MISSING_ITEM({"field": name, "why": why, "decisions": decisions})  # says what is wrong
    return validated


_STRENGTHS = frozenset(get_args(Strength))


#: The fields a recommendation is given (clinical_decision is left at its default, as validation leaves it).
_RECOMMENDATION_GIVEN = frozenset(Recommendation.model_fields).difference(("clinical_decision",))


def _recommendation(rid: str, decision: str, strength: Strength, text: str, rationale: str,
                    evidence: Sequence[str], would_change_if: str) -> Recommendation:
    """The Recommendation, validated by the model only when a value is not plainly of its field's type: every field
    is checked here as the model would check it (strings; a strength of the Literal; a non-empty list or tuple of
    strings, made a new list as validation makes it; the domain by :func:`domain_of`), a patient gets ~15 of them and
    validating costs twice the checks."""
    domain = domain_of(rid)
    if type(rid) is str and type(decision) is str and strength in _STRENGTHS and type(text) is str \
            and type(rationale) is str and type(would_change_if) is str and plain_evidence(evidence):
        return built_recommendation(rid, domain, decision, strength, text, rationale, [*evidence], would_change_if)
    validated: Recommendation = _RECOMMENDATION({  # says what is wrong
        "id": rid, "domain": domain, "decision": decision, "strength": strength, "text": text,
        "rationale": rationale, "evidence": evidence, "would_change_if": would_change_if})
    return validated


def built_recommendation(rid: str, domain: Domain, decision: str, strength: Strength, text: str, rationale: str,
                         evidence: list[str], would_change_if: str) -> Recommendation:
    """The Recommendation of values the caller checked as the model checks them (``_recommendation``; a table rule's
    once per rule, ``Rule.plain_domain``), ``evidence`` a new list: built as validation would build it,
    clinical_decision left out of the fields set as an absent default is."""
    return built_given(Recommendation, {
        "id": rid, "domain": domain, "decision": decision, "strength": strength, "text": text,
        "rationale": rationale, "evidence": evidence, "would_change_if": would_change_if,
        "clinical_decision": None}, _RECOMMENDATION_GIVEN)


_SEQUENCES = (list, tuple)


def plain_evidence(evidence: Sequence[Any]) -> bool:
    """Whether ``evidence`` is as the model takes it unchanged: a non-empty list or tuple of strings."""
    return type(evidence) in _SEQUENCES and bool(evidence) and _all_strings(evidence)


def _all_strings(values: Sequence[Any]) -> bool:
    try:
        "".join(values)  # refuses anything but strings, at C speed
    except TypeError:
        return False
    return True


def _safe_t_group(category: str | None) -> str | None:
    try:
        return t_group(category)
    except ValueError:
        return None


@dataclass
class Board:
    """Collects decisions, recommendations, missing inputs and warnings for one patient.

    A board that does not ``explain`` is for the what-if re-runs (:meth:`what_if`) and for callers that read no
    explanation (``recommend(..., explains=False)``, the cohort path), which read only the values the decision points
    reach: it keeps the decisions, the missing inputs, the warnings and, for each decision, the id and value its
    recommendation would carry (:meth:`rule`), and builds no recommendation (no text, rationale or evidence).
    """

    decisions: dict[str, str] = field(default_factory=dict)
    recommendations: list[Recommendation] = field(default_factory=list)
    missing: list[MissingItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Field names to report instead of others for this patient (e.g. the ISH result when IHC 2+ is known).
    field_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Whether recommendations are built (False: a what-if board, values only).
    explains: bool = True
    #: On a board that does not explain: the (id, decision) the recommendation of each decision key it decided
    #: would carry (None: none), kept as ``record``, ``unknown`` and ``amend`` keep the recommendation itself; the
    #: other keys' are those of ``earlier``.
    rule_of: dict[str, tuple[str, str] | None] = field(default_factory=dict, repr=False)
    #: On a board that does not explain: the recommendations of the board it was copied from (read only for a key
    #: the re-run has not decided: most re-runs never ask, so the copy does not sort them by key).
    earlier: tuple[Recommendation, ...] = field(default=(), repr=False)

    def what_if(self, *, recommendations: bool = True, missing: bool = False) -> Board:
        """A scratch copy of this board for a what-if re-run, keeping values only: the decisions, with the rule ids
        of the recommendations (``recommendations``) and the missing inputs (``missing``) when the re-run starts
        from them too. Nothing is explained on it, so nothing is spent on words no one reads."""
        if not recommendations:
            rule_of: dict[str, tuple[str, str] | None] = {}
            earlier: tuple[Recommendation, ...] = ()
        elif self.explains:
            rule_of, earlier = {}, tuple(self.recommendations)
        else:
            rule_of, earlier = dict(self.rule_of), self.earlier
        return _scratch(dict(self.decisions), list(self.missing) if missing else [], rule_of, earlier)

    def explained_copy(self, *, recommendations: bool = True, missing: bool = False) -> Board:
        """A scratch copy of this board that explains, for the one what-if answer recorded with its words (text,
        rationale, evidence) after value-only re-runs chose it: the decisions, with the recommendations
        (``recommendations``) and the missing inputs (``missing``) when the re-run reads them."""
        return Board(decisions=dict(self.decisions),
                     recommendations=list(self.recommendations) if recommendations else [],
                     missing=list(self.missing) if missing else [])

    def decide(self, key: str, value: str, *, rid: str, strength: Strength, text: str, rationale: str,
               evidence: list[str], would_change_if: str) -> None:
        """Record a decision and the recommendation that explains it."""
        if not allowed(key, value):
            raise ValueError(f"{value!r} is not an allowed value of {key}")
        if decision_key(rid) != key:
            raise ValueError(f"recommendation id {rid!r} does not belong to {key}")
        self.record(key, value, rid, strength, text, rationale, evidence, would_change_if)

    def settle(self, key: str, value: str, rid: str) -> None:
        """Record a decision on a board that does not explain: its value and rule id, checked as ``decide`` checks
        them (so that a what-if re-run refuses what the rendered one would)."""
        if self.explains:
            raise RuntimeError("settle records no recommendation: only on a board that does not explain")
        if not allowed(key, value):
            raise ValueError(f"{value!r} is not an allowed value of {key}")
        if decision_key(rid) != key:
            raise ValueError(f"recommendation id {rid!r} does not belong to {key}")
        self.settle_checked(key, value, rid)

    def settle_checked(self, key: str, value: str, rid: str) -> None:
        """:meth:`settle` with the key and value already checked (a table rule's, once per rule: ``Rule.key``)."""
        self.decisions[key] = value
        self.rule_of[key] = (rid, value)

    def record(self, key: str, value: str, rid: str, strength: Strength, text: str, rationale: str,
               evidence: Sequence[str], would_change_if: str) -> None:
        """:meth:`decide` with the key and value already checked (a table rule's, once per rule: ``Rule.key``).
        Positional, unlike ``decide``: a patient's ~15 recommendations pass here, and keywords cost twice the call."""
        if not self.explains:
            self.settle_checked(key, value, rid)
            return
        self.record_built(key, value, _recommendation(rid, value, strength, text, rationale, evidence,
                                                      would_change_if))

    def record_built(self, key: str, value: str, recommendation: Recommendation) -> None:
        """Record a decision with its recommendation, built from values already checked (:meth:`record` on a board
        that explains)."""
        if key in self.decisions:  # only a decided key can have a recommendation to replace
            self.recommendations = [r for r in self.recommendations if decision_key(r.id) != key]
        self.decisions[key] = value
        self.recommendations.append(recommendation)

    def unknown(self, key: str, fields: dict[str, str]) -> None:
        """The decision cannot be made: ``insufficient_data`` and every field needed, with why."""
        self.decisions[key] = INSUFFICIENT_DATA
        if self.explains:
            self.recommendations = [r for r in self.recommendations if decision_key(r.id) != key]
        else:
            self.rule_of[key] = None
        for name, why in fields.items():
            self.need(name, why, decision=key)

    def need(self, name: str, why: str, *, decision: str | None = None) -> None:
        """Record a missing input; ``decision`` names the decision it leaves ``insufficient_data``."""
        for alias in self.field_aliases.get(name, (name,)):
            self._need(alias, why, decision)

    def _need(self, name: str, why: str, decision: str | None) -> None:
        for i, item in enumerate(self.missing):
            if item.field == name and item.why == why:
                if decision is not None and decision not in item.decisions:
                    self.missing[i] = copied_with(item, "decisions", [*item.decisions, decision])
                return
        self.missing.append(_missing_item(name, why, decision))

    def advise(self, rid: str, decision: str, *, strength: Strength, text: str, rationale: str,
               evidence: list[str], would_change_if: str) -> None:
        """A diagnostic or note recommendation that is not one of the contract's decisions."""
        if not self.explains:
            key = decision_key(rid)
            if key is not None and self.rule(key) is None:  # else ``recommendation`` would find the earlier one
                self.rule_of[key] = (rid, decision)
            return
        for rec in self.recommendations:  # a loop, not any() over a generator: no frame resumed per item
            if rec.id == rid:
                return
        self.recommendations.append(_recommendation(rid, decision, strength, text, rationale, evidence,
                                                    would_change_if))

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def recommendation(self, key: str) -> Recommendation | None:
        """The recommendation of decision ``key`` (a board that does not explain has none: ask ``rule``)."""
        if not self.explains:
            raise RuntimeError(f"a what-if board keeps no recommendation ({key}): read rule({key!r})")
        for rec in self.recommendations:  # a loop, not next() over a generator: no frame resumed per item
            if decision_key(rec.id) == key:
                return rec
        return None

    def rule(self, key: str) -> tuple[str, str] | None:
        """The id and decision of the recommendation of ``key`` (None when it has none), on any board."""
        if self.explains:
            rec = self.recommendation(key)
        elif key in self.rule_of:
            return self.rule_of[key]
        else:
            rec = next((r for r in self.earlier if decision_key(r.id) == key), None)
        return None if rec is None else (rec.id, rec.decision)

    def decided_rules(self) -> dict[str, tuple[str, str]]:
        """The id and decision of every decision's recommendation, by key (on any board)."""
        keys = dict.fromkeys([*(decision_key(r.id) for r in (self.recommendations if self.explains else self.earlier)),
                              *self.rule_of])
        return {key: found for key in keys if key is not None and (found := self.rule(key)) is not None}

    def rule_id(self, key: str) -> str | None:
        """The id of the recommendation of ``key`` (None when it has none), on any board."""
        found = self.rule(key)
        return None if found is None else found[0]

    def rule_ids(self, keys: Iterable[str]) -> dict[str, str | None]:
        """:meth:`rule_id` of each key, by key (on any board)."""
        if not self.explains and not self.earlier:  # no earlier board's recommendations to look through
            rule_of = self.rule_of
            return {key: None if (found := rule_of.get(key)) is None else found[0] for key in keys}
        return {key: self.rule_id(key) for key in keys}

    def replace(self, old: Recommendation, new: Recommendation) -> None:
        """Put ``new`` where ``old`` stands (found by identity: ``list.index`` compares models field by field)."""
        for i, rec in enumerate(self.recommendations):
            if rec is old:
                self.recommendations[i] = new
                return
        raise ValueError(f"recommendation {old.id!r} is not on the board")

    def amend(self, key: str, *, value: str | None = None, note: str = "", strength: Strength | None = None,
              extra_evidence: tuple[str, ...] = ()) -> None:
        """Change a recorded decision (safety rails): new value, an appended note, a lower strength."""
        if value is not None and not allowed(key, value):
            raise ValueError(f"{value!r} is not an allowed value of {key}")
        if not self.explains:
            if value is not None:
                self.decisions[key] = value
                found = self.rule(key)
                if found is not None:  # the recommendation's decision changes with it
                    self.rule_of[key] = (found[0], value)
            return
        rec = self.recommendation(key)
        if value is not None:
            self.decisions[key] = value
        if rec is None:
            return
        update: dict[str, object] = {"text": f"{rec.text} {note}".strip()}
        if value is not None:
            update["decision"] = value
        if strength is not None:
            update["strength"] = strength
        if extra_evidence:
            update["evidence"] = list(dict.fromkeys([*rec.evidence, *extra_evidence]))
        self.replace(rec, rec.model_copy(update=update))


def _scratch(decisions: dict[str, str], missing: list[MissingItem], rule_of: dict[str, tuple[str, str] | None],
             earlier: tuple[Recommendation, ...]) -> Board:
    """``Board(decisions=decisions, missing=missing, explains=False, rule_of=rule_of, earlier=earlier)``, every field set
    as its ``__init__`` sets it, in its order, without the call: a patient gets a few what-if boards (the fitness rail
    alone makes one per decision it weighs), and the dataclass's keyword call and default factories cost as much as
    copying the decisions."""
    board = _new_board(Board)
    board.decisions = decisions
    board.recommendations = []
    board.missing = missing
    board.warnings = []
    board.field_aliases = {}
    board.explains = False
    board.rule_of = rule_of
    board.earlier = earlier
    return board


_new_board = object.__new__


@cache  # a few hundred recommendation ids
def domain_of(rid: str) -> Domain:
    """The domain of recommendation ``rid``, by the start of its id."""
    head = rid.split(".", 1)[0]
    if head not in ("diagnostics", "surgery", "systemic", "radiation", "follow_up"):
        raise ValueError(f"recommendation id {rid!r} must start with a domain")
    return head  # type: ignore[return-value]


def unknown_fields(*evaluations: Evaluation | ShortEvaluation, context: Context | None = None,
                   any_of: bool = False) -> dict[str, str]:
    """The case fields behind the unknown criteria of some criteria sets, with why each is needed.

    With ``context``, an unknown subtype names the receptors that are actually missing (ER, PR, HER2). With
    ``any_of`` (the decision follows when any one set is met), a set is left out when another still-possible set
    would be met whenever it is (each unknown criterion of the other set appears, identical, in it): its own
    criteria could then never change the decision.
    """
    if any_of:
        def covers(other: Evaluation | ShortEvaluation, this: Evaluation | ShortEvaluation) -> bool:
            mine = {(c.fact, c.op, repr(c.value)) for c in this.criteria.all}
            return all((c.fact, c.op, repr(c.value)) in mine for c in other.unknown)
        def redundant(i: int, e: Evaluation | ShortEvaluation) -> bool:
            # Another possible set makes e's criteria moot; of two that cover each other, the first is kept.
            return any(j != i and o.possible and covers(o, e) and not (covers(e, o) and i < j)
                       for j, o in enumerate(evaluations))

        evaluations = tuple(e for i, e in enumerate(evaluations) if not redundant(i, e))
    out: dict[str, str] = {}
    for evaluation in evaluations:
        for criterion in evaluation.unknown:
            names = [FACT_FIELDS.get(criterion.fact, criterion.fact)]
            if criterion.fact in ("node_status", "positive_nodes") and context is not None:
                names = [context.node_status_field]
            if criterion.fact == "anatomic_stage" and context is not None:
                # The stage group needs T and N: name whichever is unknown, not the size alone.
                n_unknown = context.staging.n is None or "NX" in context.staging.n
                names = [*(["tumour.size_mm"] if context.t_group is None else []),
                         # before the breast surgery the stage is clinical: its N is the clinical one
                         *([("clinical_nodes" if context.setting == "planned" else context.node_status_field)]
                           if n_unknown else [])] or names
            if criterion.fact == "subtype" and context is not None:
                f = context.findings
                hr_positive = f.er in ("positive", "low_positive") or f.pr == "positive"
                names = [*(["tumour.er_percent"] if f.er is None and not hr_positive else []),
                         *(["tumour.pr_percent"] if f.pr is None and not hr_positive else []),
                         *(["tumour.her2_ihc"] if f.her2 in (None, "equivocal") else [])] or names
            for name in names:
                out.setdefault(name, f"{criterion.label} is a criterion of {evaluation.criteria.name}")
    return out
