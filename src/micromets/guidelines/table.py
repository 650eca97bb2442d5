"""First-match decision tables evaluated over columns: one implementation for one case and for a million.

A decision point written as a table is a list of rules in order; each rule has a small predicate over named
facts and what it decides. The first rule whose predicate holds decides (like ``np.select``). An unknown is never
a silent default: a rule that needs a fact which is unknown is preceded by a rule that matches exactly that unknown
and decides ``insufficient_data`` naming the field. Unknown numbers are NaN, unknown codes None.

The same predicate is evaluated over a batch, where facts are numpy columns (:meth:`DecisionTable.match`), and for
one case, where facts are plain Python values (:meth:`DecisionTable.first`). Predicates are therefore written with
the operators both understand (comparisons, ``&``, ``|``) and the helpers :func:`unknown`, :func:`negate` and
:func:`always`; thresholds are plain numbers in both. One case costs what a hand-written ``if`` chain costs, not
the ~1 µs of array bookkeeping per operation that a batch of one would.

Explanations are rendered per case, only when asked, from the matched rule and the facts it reads
(:func:`render`): the recommendation text, the rationale naming the patient facts, the evidence and what
would change the decision.

    >>> import numpy as np
    >>> table = DecisionTable("boost", (
    ...     Rule("radiation.boost.a", "recommended", lambda f: f["age"] <= 50, reads=("age",)),
    ...     Rule("radiation.boost.b", "discuss", always, reads=()),
    ... ))
    >>> table.match({"age": np.array([40.0, 60.0, np.nan])}).tolist()
    [0, 1, 1]
    >>> table.first({"age": 40.0}), table.first({"age": 60.0})
    (0, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, get_args

import numpy as np
from numpy.typing import NDArray

from micromets.guidelines._context import (
    Board,
    Context,
    allowed,
    built_recommendation,
    decision_key,
    domain_of,
    plain_evidence,
)
from micromets.model import INSUFFICIENT_DATA
from micromets.model.assessment import Domain, Strength

__all__ = ["DecisionTable", "Derived", "Facts", "Rule", "always", "negate", "one_of", "render", "stack", "unknown"]

#: Named facts: numpy columns of one length for a batch (scalars among them broadcast, e.g. thresholds), or plain
#: Python values for one case.
Facts = Mapping[str, Any]
Predicate = Callable[[Facts], Any]


_NONE = np.array(None, dtype=object)  # compared element-wise with a column of codes


def unknown(value: Any) -> Any:
    """Whether a fact is unknown: None (codes) or NaN (numbers), element-wise over a column."""
    if isinstance(value, np.ndarray):
        return np.equal(value, _NONE) if value.dtype == object else np.isnan(value)
    return value is None or value != value  # NaN is the only value unequal to itself


def negate(condition: Any) -> Any:
    """Logical not of a condition, element-wise over a column (``~`` would turn a Python ``True`` into -2)."""
    return np.logical_not(condition) if isinstance(condition, np.ndarray) else not condition


_update = dict.update


class Derived(dict[str, Any]):
    """Named values of one case (facts for the predicates, parameters for the texts), each derived from the case
    when first read unless given: a case pays only for what the rules before its match and its own text read.

        >>> d = Derived("pT2", {"t": lambda stage: stage[1:], "size": lambda stage: 1 / 0}, {"limit": 3})
        >>> d["t"], d["limit"], sorted(d)
        ('T2', 3, ['limit', 't'])

    A table's compiled first match derives the facts its rules read itself, as ``__missing__`` would
    (:meth:`DecisionTable.first`).
    """

    __slots__ = ("_derive", "_subject")

    def __init__(self, subject: Any, derive: Mapping[str, Callable[[Any], Any]], given: Mapping[str, Any]) -> None:
        # The given values (a few thresholds) are copied in: cheaper than a miss for each one read. A name is
        # either derived or given, never both. (Most tables give none: no call then, no super object.)
        if given:
            _update(self, given)
        self._subject = subject
        self._derive = derive

    def __missing__(self, name: str) -> Any:
        value = self[name] = self._derive[name](self._subject)
        return value

    def complete(self) -> dict[str, Any]:
        """Every value, derived now (a batch stacks them into columns)."""
        for name in self._derive:
            self[name]  # noqa: B018 - reading derives it
        return dict(self)


def one_of(value: Any, options: Collection[Any]) -> Any:
    """Whether a fact is one of ``options``, element-wise over a column (an unknown code matches only a listed
    None; NaN matches nothing)."""
    if isinstance(value, np.ndarray):
        return np.isin(value, list(options))
    return value in options


def always(facts: Facts) -> bool:
    """The predicate of a table's last rule, which decides every row left (broadcast over a batch)."""
    return True


def stack(rows: Sequence[Mapping[str, Any]], *, constants: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of several cases (each as for one case) as columns: booleans, numbers (float, NaN = unknown) or
    codes (object, None = unknown); ``constants`` (the rule set's thresholds) stay plain values."""
    columns: dict[str, Any] = dict(constants)
    for name in rows[0] if rows else ():
        if name in columns:
            continue
        values = [row[name] for row in rows]
        if all(isinstance(v, bool) for v in values):
            columns[name] = np.array(values, dtype=np.bool_)
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            columns[name] = np.array(values, dtype=np.float64)
        else:
            columns[name] = np.array(values, dtype=object)
    return columns


_FACTS_ONLY = "{facts}"


@dataclass(frozen=True)
class Rule:
    """One row of a decision table.

    ``rid`` is the recommendation id (the matched-rule id of the cohort output); for an
    ``insufficient_data`` rule it names the rule only and ``missing`` maps each field to why it is needed.
    ``text``, ``would_change_if``, ``rationale`` and the fields and reasons of ``missing``/``also_need`` are
    templates filled from the case's parameters (``str.format``; ``rationale`` also gets ``{facts}``, the patient
    facts in words). ``evidence`` replaces the table's default evidence when given.
    ``also_need`` names inputs recorded as missing although the rule decides (they could change it).
    """

    rid: str
    decision: str
    when: Predicate
    reads: tuple[str, ...]
    strength: Strength = "strong"
    text: str = ""
    would_change_if: str = ""
    missing: Mapping[str, str] = field(default_factory=dict)
    also_need: Mapping[str, str] = field(default_factory=dict)
    rationale: str = _FACTS_ONLY
    evidence: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        """The decision key this rule belongs to (by its id's prefix), with its decision checked against the
        contract's values once (render then records it unchecked)."""
        key = board_key(self)
        if self.decision != INSUFFICIENT_DATA and not allowed(key, self.decision):
            raise ValueError(f"{self.decision!r} is not an allowed value of {key}")
        if self.strength not in get_args(Strength):
            raise ValueError(f"{self.strength!r} is not a strength (rule {self.rid})")
        return key

    @cached_property
    def settled(self) -> tuple[str, str, tuple[str, str]] | None:
        """What a board that does not explain records for this rule, when it names no input (neither
        ``insufficient_data`` nor ``also_need``): the key, the decision, and the id and decision of its
        recommendation (:meth:`Board.settle_checked`), made once per rule. None for the other rules."""
        if self.decision == INSUFFICIENT_DATA or self.also_need:
            return None
        return self.key, self.decision, (self.rid, self.decision)

    @cached_property
    def fillers(self) -> tuple[Fill | None, Fill | None, FillWithFacts | None]:
        """The text, what would change it and the rationale as functions of a case's parameters (the rationale's of
        the facts in words too), each made once per template (:func:`_filler`): None for a text or a
        would_change_if without a field (its own text) and for a rationale of the facts alone."""
        return (_filler(self.text) if "{" in self.text else None,
                _filler(self.would_change_if) if "{" in self.would_change_if else None,
                None if self.rationale == _FACTS_ONLY else _filler_with_facts(self.rationale))

    @cached_property
    def reads_parameters(self) -> bool:
        """Whether a template of this rule may read a case's parameters (one with a field, or a rationale beyond the
        facts alone): the callers of :func:`render` build them only then, the other templates being their own texts."""
        templates = (self.text, self.would_change_if, *self.missing, *self.missing.values(), *self.also_need,
                     *self.also_need.values())
        return self.rationale != _FACTS_ONLY or any("{" in template for template in templates)

    @cached_property
    def values_read_parameters(self) -> bool:
        """Whether a template that :func:`render` fills on a board that does not explain may read a case's parameters:
        the inputs it names as missing and why (``missing``, ``also_need``); it writes no text."""
        templates = (*self.missing, *self.missing.values(), *self.also_need, *self.also_need.values())
        return any("{" in template for template in templates)

    def parameters(self, subject: Any, derive: Mapping[str, Callable[[Any], Any]],
                   given: Mapping[str, Any] | None = None, *, explains: bool = True) -> MutableMapping[str, Any]:
        """The parameters of one case for this rule's templates (:func:`render`): derived from ``subject`` when first
        read (:class:`Derived`), built only when a template reads one (:attr:`reads_parameters`; on a board that does
        not explain, ``explains`` false, one that it fills: :attr:`values_read_parameters`); else empty."""
        reads = self.reads_parameters if explains else self.values_read_parameters
        return Derived(subject, derive, given or {}) if reads else {}

    @cached_property
    def plain_domain(self) -> Domain | None:
        """The domain of this rule's recommendations when every value the rule gives them is plainly of its field's
        type (its texts are strings, so are they rendered; the strength is checked by :attr:`key`), checked once:
        render then builds each case's recommendation unchecked. None otherwise: ``Board.record`` checks the values
        and validation says what is wrong."""
        if type(self.rid) is str and type(self.decision) is str and type(self.text) is str \
                and type(self.rationale) is str and type(self.would_change_if) is str \
                and (not self.evidence or plain_evidence(self.evidence)):
            return domain_of(self.rid)
        return None


class _Variants:
    """A table's one-case function for each mapping of fact derivations met: the first mapping met (a module's, for
    most tables the only one) at hand, the others in order after it; ``closed`` once a mapping is met that is built
    anew for each case (no variant is compiled after that). Each mapping is held with its function and found by
    identity: no id is looked up, and none can be reused while the mapping is held."""

    __slots__ = ("closed", "compiled", "derive", "others")

    def __init__(self) -> None:
        self.derive: object = _NO_MAPPING
        self.compiled: Callable[[Facts], int] = _never_called
        self.others: tuple[tuple[Mapping[str, Callable[[Any], Any]], Callable[[Facts], int]], ...] = ()
        self.closed = False

    def mappings(self) -> list[Mapping[str, Callable[[Any], Any]]]:
        """Every mapping of derivations with a function, in the order met."""
        first = [self.derive] if isinstance(self.derive, Mapping) else []
        return [*first, *(derive for derive, _ in self.others)]

    def of(self, derive: Mapping[str, Callable[[Any], Any]]) -> Callable[[Facts], int] | None:
        """The function compiled for ``derive`` (None: none is)."""
        if derive is self.derive:
            return self.compiled
        return next((compiled for known, compiled in self.others if known is derive), None)

    def add(self, derive: Mapping[str, Callable[[Any], Any]], compiled: Callable[[Facts], int]) -> None:
        if self.derive is _NO_MAPPING:
            self.derive, self.compiled = derive, compiled
        else:
            self.others += ((derive, compiled),)


_NO_MAPPING = object()


def _never_called(facts: Facts) -> int:
    raise AssertionError("no mapping of derivations is compiled yet")


#: Tables whose one-case function is not compiled yet (compiled together on the first use of any).
_UNCOMPILED: list[DecisionTable] = []


@dataclass(frozen=True)
class DecisionTable:
    """The rules of one decision key, first match wins."""

    key: str
    rules: tuple[Rule, ...]
    #: The one-case function for each mapping of fact derivations met (:meth:`first`).
    _by_derive: _Variants = field(default_factory=lambda: _Variants(), init=False, repr=False, compare=False)

    def match(self, facts: Facts) -> NDArray[np.intp]:
        """Index of the first rule whose predicate holds, for every row of fact columns (-1 when none holds)."""
        n = max(len(value) for value in facts.values() if isinstance(value, np.ndarray))
        matched = np.full(n, -1, dtype=np.intp)
        undecided = np.ones(n, dtype=np.bool_)
        left = n
        for i, rule in enumerate(self.rules):
            hit = np.broadcast_to(np.asarray(rule.when(facts), dtype=np.bool_), (n,))
            if left < n:  # some rows are decided
                hit = np.logical_and(undecided, hit)
            found = int(np.count_nonzero(hit))
            if found:
                matched[hit] = i
                np.logical_xor(undecided, hit, out=undecided)  # hit is a subset of undecided
                left -= found
                if not left:
                    break
        return matched

    def first(self, facts: Facts) -> int:
        """Index of the first rule whose predicate holds for one case given as plain values (-1 when none holds).

        Facts given as :class:`Derived` go to this table's function for their derivations (compiled on first use,
        ``micromets.guidelines._compiled.compile_derived``): it derives each fact where a rule first reads it and
        stores it in ``facts``, as ``Derived.__missing__`` would, without a call per fact.
        """
        if type(facts) is Derived:
            derive = facts._derive
            variants = self._by_derive
            if derive is variants.derive:
                compiled = variants.compiled  # read, then called: a call through the slot would not be specialised
                return compiled(facts)
            for known, compiled in variants.others:
                if known is derive:
                    return compiled(facts)
            if not variants.closed:
                compiled_now = self._compile_derived(derive)
                if compiled_now is not None:
                    return compiled_now(facts)
        return self._first(facts)

    def _compile_derived(self, derive: Mapping[str, Callable[[Any], Any]]) -> Callable[[Facts], int] | None:
        """The function for ``derive`` (a module's mapping of derivations), compiled now; None for a mapping built
        anew for each case (capecitabine's, around the patient's olaparib decision: the same names derived by the
        same code as one met before), whose facts the plain function reads through ``Derived.__missing__``."""
        from micromets.guidelines._compiled import compile_derived

        shape = _shape(derive)
        seen = self._by_derive.mappings()
        if len(seen) >= 8 or any(_shape(known) == shape for known in seen):
            self._by_derive.closed = True  # no more variants for this table: its mappings are not the module's
            return None
        compiled = compile_derived(self.rules, derive, self._first)  # made from the plain function's source
        self._by_derive.add(derive, compiled)
        return compiled

    def __post_init__(self) -> None:
        _UNCOMPILED.append(self)

    @cached_property
    def _first(self) -> Callable[[Facts], int]:
        # Compiled from the predicates' own source (micromets.guidelines._compiled) with every table defined so far:
        # their modules are parsed once, and the syntax trees are not kept (tens of thousands of objects that every
        # full garbage collection would walk again).
        from micromets.guidelines._compiled import compile_tables

        pending = [table for table in _UNCOMPILED if table is not self and "_first" not in table.__dict__]
        _UNCOMPILED.clear()
        compiled = compile_tables([self.rules, *(table.rules for table in pending)])
        for table, function in zip(pending, compiled[1:], strict=True):
            table.__dict__["_first"] = function
        return compiled[0]

    def interpreted_first(self, facts: Facts) -> int:
        """:meth:`first` by calling each predicate in turn (what the compiled function must equal)."""
        for i, rule in enumerate(self.rules):
            if rule.when(facts):
                return i
        return -1

    def decide(self, facts: Facts) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
        """The decision and the matched rule id of every row (column-wise; no text is rendered)."""
        matched = self.match(facts)
        decisions = np.array([r.decision for r in self.rules] + [None], dtype=object)
        ids = np.array([r.rid if r.decision != INSUFFICIENT_DATA else None for r in self.rules] + [None],
                       dtype=object)
        return decisions[matched], ids[matched]


def _shape(derive: Mapping[str, Callable[[Any], Any]]) -> list[tuple[str, object]]:
    """Each name of a mapping of derivations with the code deriving it (a closure made anew per case has the same)."""
    return [(name, getattr(function, "__code__", function)) for name, function in derive.items()]


def render(rule: Rule, ctx: Context, board: Board, *, say: tuple[str, ...], evidence: Sequence[str],
           parameters: MutableMapping[str, Any], known_inputs: Collection[str] = ()) -> None:
    """Record one case's decision on the board from its matched rule: text, rationale naming the facts,
    evidence, what would change it, and the inputs it leaves missing (those of ``rule.missing`` that this case
    has not given: a rule that matches "any of these unknown" names only the unknown ones). ``evidence`` (the
    table's default, copied into the recommendation) and the text parameters are not read on a board that does not
    explain, except the parameters of the inputs a rule names as missing (``Rule.parameters``)."""
    settled = rule.settled
    if settled is not None and not board.explains:
        # Values only (a what-if re-run, the cohort path): recorded as Board.settle_checked records them, with the
        # rule's own (id, decision) pair, and nothing else is read.
        key, value, rule_value = settled
        board.decisions[key] = value
        board.rule_of[key] = rule_value
        return
    key = rule.key
    if rule.decision == INSUFFICIENT_DATA:
        needed = {name.format_map(parameters): why.format_map(parameters) for name, why in rule.missing.items()}
        board.unknown(key, {name: why for name, why in needed.items() if name not in known_inputs})
        return
    for name, why in rule.also_need.items():
        board.need(name.format_map(parameters), why.format_map(parameters))
    if not board.explains:  # a what-if re-run reads the value (and the missing inputs above) only
        board.settle_checked(key, rule.decision, rule.rid)
        return
    # The templates read the parameters as format_map would (parameters may be Derived, computed only when a template
    # reads them), in the same order. A template without a field is its own text (format_map would return an equal
    # string).
    fill_text, fill_would_change_if, fill_rationale = rule.fillers
    facts = ctx.say(*say)
    rationale = facts if fill_rationale is None else fill_rationale(facts, parameters)
    text = rule.text if fill_text is None else fill_text(parameters)
    would_change_if = rule.would_change_if if fill_would_change_if is None else fill_would_change_if(parameters)
    # The key and the value were checked against the contract once for this rule (Rule.key), the types of its values
    # too (Rule.plain_domain): recorded unchecked, unless the evidence given for this case is not plainly a list of
    # strings (record checks it and validation says what is wrong).
    domain = rule.plain_domain
    cited: Sequence[str] = rule.evidence or evidence
    if domain is None or not rule.evidence and not plain_evidence(evidence):
        board.record(key, rule.decision, rule.rid, rule.strength, text, rationale, cited, would_change_if)
    else:
        board.record_built(key, rule.decision, built_recommendation(rule.rid, domain, rule.decision, rule.strength,
                                                                    text, rationale, [*cited], would_change_if))


#: A template filled from a case's parameters; a rationale's template from the facts in words and the parameters.
Fill = Callable[[Mapping[str, Any]], str]
FillWithFacts = Callable[[str, Mapping[str, Any]], str]


@cache  # one per template of the rules (a hundred or so), shared by the rules that have it
def _filler(template: str) -> Fill:
    """``template.format_map`` as one f-string (``_compiled.compile_template``), or format_map itself for a template
    that cannot be one."""
    from micromets.guidelines._compiled import compile_template

    compiled: Fill | None = compile_template(template)
    return template.format_map if compiled is None else compiled


@cache
def _filler_with_facts(template: str) -> FillWithFacts:
    """A rationale's template, ``{facts}`` being the facts in words: :func:`_filler` with the facts given apart."""
    from micromets.guidelines._compiled import compile_template

    compiled: FillWithFacts | None = compile_template(template, facts=True)
    if compiled is None:
        def compiled(facts: str, parameters: Mapping[str, Any]) -> str:
            return template.format_map(_WithFacts(facts, parameters))
    return compiled


class _WithFacts(dict[str, Any]):
    """``{facts}`` and then the parameters (a dict subclass: ``format_map`` reads it at C speed, unlike a ChainMap)."""

    def __init__(self, facts: str, parameters: Mapping[str, Any]) -> None:
        super().__init__(facts=facts)
        self._parameters = parameters

    def __missing__(self, name: str) -> Any:
        return self._parameters[name]


def board_key(rule: Rule) -> str:
    """The decision key a rule belongs to (by its id's prefix)."""
    key = decision_key(rule.rid)
    if key is None:
        raise ValueError(f"rule id {rule.rid!r} belongs to no decision")
    return key
