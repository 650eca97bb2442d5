"""One case's first match, compiled once per table from the same predicates the columns evaluate.

A table's predicates are written for both numpy columns and plain values (:mod:`micromets.guidelines.table`). For
one case that generality costs a Python call per rule and per helper (``unknown``, ``negate``, ``one_of``, the
shared sub-predicates such as chemotherapy's ``_luminal``): a luminal patient walks some 30 chemotherapy rules.
:func:`compile_first` reads each predicate's own source once and writes one function with an ``if`` per rule, the
helpers expanded to what they do for a plain value:

- ``unknown(x)`` -> ``x is None or x != x``; ``negate(x)`` -> ``not x``; ``one_of(x, options)`` -> ``x in options``
  (exactly their scalar branches);
- a module-level predicate of one argument whose body is one ``return`` is expanded where it is called with the
  facts;
- ``a & b`` / ``a | b`` become ``a and b`` / ``a or b`` only when both sides are booleans by construction (a
  comparison, ``not``, ``in``, an expanded ``unknown``): then the value is the same and the right side is not
  evaluated when it cannot change it (a lazily derived fact is then not derived). Any other operand keeps the
  operator;
- a pure sub-expression met again in later rules (a fact read, chemotherapy's luminal condition in some 20 rules)
  is evaluated where it first would be and kept in a local for the later ones (:class:`_Cached`).

Facts given as :class:`~micromets.guidelines.table.Derived` (each derived from the case when first read) get a
function of their own per mapping of derivations (:func:`compile_derived`, on the mapping's first use): each read
of a derived fact derives it in place, from the expression its function returns (read as a predicate is) or by
calling that function, and stores it, as ``Derived.__missing__`` would, without the two calls per fact.

A rule's text templates (:func:`compile_template`) become one f-string each over the case's parameters:
``str.format_map`` scans a template character by character on every call, an f-string copies its literal parts
whole; the fields are looked up and formatted in the same order, by the same ``format``.

Names resolve in the predicate's own module at call time, as in the original. A predicate that cannot be read this
way (no source, a closure, another shape) is called as it is. The equality tests (tests/guidelines/test_*_table.py,
test_batch_columns.py, tests/guidelines/test_compiled_tables.py) hold the compiled function to the predicates.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import string
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from micromets.guidelines import table as _table

_HELPERS = {"unknown": _table.unknown, "negate": _table.negate, "one_of": _table.one_of}
_counter = itertools.count()


class _Source:
    """A source file whose lambdas and functions are looked up by the line they start on; only the top-level
    statements holding a line asked for are walked (a table's definition, a predicate's def).

    The syntax trees are kept only while one compilation runs (:meth:`release`): a later one (a table's variant
    for a fact derivation, :func:`compile_derived`) parses again only the top-level statements it asks for, from
    the text and the statements' line ranges kept here (strings and numbers, nothing the collector walks)."""

    def __init__(self, text: str, filename: str) -> None:
        tree = ast.parse(text, filename)
        self.filename = filename
        self.lines = text.splitlines(keepends=True)
        self.starts = [s.decorator_list[0].lineno if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                    ast.ClassDef)) and s.decorator_list
                       else s.lineno for s in tree.body]
        self.spans = [(s.lineno, s.col_offset, s.end_lineno or s.lineno) for s in tree.body]
        self.statements: dict[int, ast.stmt] = dict(enumerate(tree.body))
        self.walked: set[int] = set()
        self.by_line: dict[int, list[ast.Lambda | ast.FunctionDef]] = {}

    def release(self) -> None:
        """Drop the syntax trees (kept: the text and where each top-level statement is)."""
        self.statements = {}
        self.walked = set()
        self.by_line = {}

    def statement(self, i: int) -> ast.stmt | None:
        """Top-level statement ``i``, parsed alone when the module's tree is gone (same lines, same columns)."""
        found = self.statements.get(i)
        if found is None:
            first = self.starts[i]
            line, col, last = self.spans[i]
            text = "\n" * (first - 1) + "".join(self.lines[first - 1:last])
            try:
                parsed = ast.parse(text, self.filename).body
            except SyntaxError:  # a statement sharing its line with another (``a = 1; b = 2``), cut mid-way
                return None
            found = next((s for s in parsed if (s.lineno, s.col_offset) == (line, col)), None)
            if found is None:
                return None
            self.statements[i] = found
        return found

    def at(self, line: int) -> list[ast.Lambda | ast.FunctionDef]:
        i = bisect.bisect_right(self.starts, line) - 1
        if i >= 0 and i not in self.walked:
            self.walked.add(i)
            statement = self.statement(i)
            for node in ast.walk(statement) if statement is not None else ():
                if isinstance(node, ast.Lambda):
                    self.by_line.setdefault(node.lineno, []).append(node)
                elif isinstance(node, ast.FunctionDef):
                    start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                    self.by_line.setdefault(start, []).append(node)
        return self.by_line.get(line, [])


#: Each source file read so far, by name (None: unreadable).
_SOURCES: dict[str, _Source | None] = {}


def _module_functions(filename: str) -> _Source | None:
    """The source file, parsed once; its syntax trees are dropped after each compilation (:func:`_release`)."""
    if filename not in _SOURCES:
        try:
            with open(filename, encoding="utf-8") as handle:
                _SOURCES[filename] = _Source(handle.read(), filename)
        except (OSError, SyntaxError):
            _SOURCES[filename] = None
    return _SOURCES[filename]


def _release() -> None:
    """Drop every syntax tree held for the compilation that just ended."""
    for source in _SOURCES.values():
        if source is not None:
            source.release()


def _expression(fn: Callable[..., Any]) -> tuple[ast.expr, str] | None:
    """The expression a one-argument predicate returns and the name of its argument, from its source."""
    code = getattr(fn, "__code__", None)
    if not isinstance(code, types.CodeType) or code.co_argcount != 1 or code.co_freevars or code.co_kwonlyargcount \
            or getattr(fn, "__defaults__", None):
        return None
    positions = {(p[0], p[2]) for p in code.co_positions()}
    found: list[tuple[ast.expr, str]] = []
    source = _module_functions(code.co_filename)
    for node in source.at(code.co_firstlineno) if source is not None else ():
        if isinstance(node, ast.Lambda) and code.co_name == "<lambda>":
            if (node.body.lineno, node.body.col_offset) in positions:
                found.append((node.body, node.args.args[0].arg))
        elif isinstance(node, ast.FunctionDef) and node.name == code.co_name and not node.decorator_list:
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
                found.append((body[0].value, node.args.args[0].arg))
    return found[0] if len(found) == 1 else None


class _Rewrite:
    """Rewrites one predicate's expression into scalar Python over the facts argument ``facts_name``."""

    def __init__(self, module_globals: dict[str, Any], facts_name: str, *, exact: bool = False) -> None:
        self.globals = module_globals
        self.facts = facts_name
        #: Keep ``&``/``|`` as written (a derived value is stored, not only tested: its type must not change).
        self.exact = exact

    def expr(self, node: ast.expr, param: str, depth: int = 0) -> tuple[ast.expr, bool] | None:
        """The rewritten node and whether it is a boolean by construction; None when it cannot be rewritten."""
        if isinstance(node, ast.Name):
            if node.id == param:
                return ast.Name(self.facts, ast.Load()), False
            return ast.Name(node.id, ast.Load()), False
        if isinstance(node, ast.Constant):
            return ast.Constant(node.value), isinstance(node.value, bool)
        if isinstance(node, ast.Subscript):
            value = self.expr(node.value, param, depth)
            index = self.expr(node.slice, param, depth)
            if value is None or index is None:
                return None
            return ast.Subscript(value[0], index[0], ast.Load()), False
        if isinstance(node, ast.Attribute):
            value = self.expr(node.value, param, depth)
            return None if value is None else (ast.Attribute(value[0], node.attr, ast.Load()), False)
        if isinstance(node, ast.Starred):
            value = self.expr(node.value, param, depth)
            return None if value is None else (ast.Starred(value[0], ast.Load()), False)
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.expr(e, param, depth) for e in node.elts]
            if any(i is None for i in items):
                return None
            elts = [i[0] for i in items if i is not None]
            return (ast.Tuple(elts, ast.Load()) if isinstance(node, ast.Tuple) else ast.List(elts, ast.Load())), False
        if isinstance(node, ast.Compare):
            left = self.expr(node.left, param, depth)
            rights = [self.expr(c, param, depth) for c in node.comparators]
            if left is None or any(r is None for r in rights):
                return None
            return ast.Compare(left[0], list(node.ops), [r[0] for r in rights if r is not None]), True
        if isinstance(node, ast.BinOp):
            left = self.expr(node.left, param, depth)
            right = self.expr(node.right, param, depth)
            if left is None or right is None:
                return None
            if isinstance(node.op, (ast.BitAnd, ast.BitOr)) and not self.exact:
                if left[1] and right[1]:
                    op: ast.boolop = ast.And() if isinstance(node.op, ast.BitAnd) else ast.Or()
                    return ast.BoolOp(op, [left[0], right[0]]), True
                return _decided_by_left(left[0], node.op, right[0]), False
            return ast.BinOp(left[0], node.op, right[0]), False
        if isinstance(node, ast.BoolOp):  # Python's own and/or, as written (a fact derivation, not a predicate)
            values = [self.expr(v, param, depth) for v in node.values]
            if any(v is None for v in values):
                return None
            return ast.BoolOp(node.op, [v[0] for v in values if v is not None]), all(v[1] for v in values if v)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, param, depth)
            return None if operand is None else (ast.UnaryOp(node.op, operand[0]), isinstance(node.op, ast.Not))
        if isinstance(node, ast.IfExp):
            parts = [self.expr(part, param, depth) for part in (node.test, node.body, node.orelse)]
            if any(part is None for part in parts):
                return None
            test, body, orelse = (part for part in parts if part is not None)
            return ast.IfExp(test[0], body[0], orelse[0]), body[1] and orelse[1]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords \
                and not any(isinstance(a, ast.Starred) for a in node.args):
            return self.call(node, param, depth)
        return None

    def call(self, node: ast.Call, param: str, depth: int) -> tuple[ast.expr, bool] | None:
        assert isinstance(node.func, ast.Name)
        target = self.globals.get(node.func.id)
        args = [self.expr(a, param, depth) for a in node.args]
        if any(a is None for a in args):
            return None
        rewritten = [a[0] for a in args if a is not None]
        if target is _HELPERS["unknown"] and len(rewritten) == 1:
            if _reread(rewritten[0]):  # read twice (a repeated fact read is cached: _cached)
                return ast.BoolOp(ast.Or(), [
                    ast.Compare(rewritten[0], [ast.Is()], [ast.Constant(None)]),
                    ast.Compare(_fresh(rewritten[0]), [ast.NotEq()], [_fresh(rewritten[0])])]), True
            temp = f"_u{next(_counter)}"
            value = ast.NamedExpr(ast.Name(temp, ast.Store()), rewritten[0])
            return ast.BoolOp(ast.Or(), [
                ast.Compare(value, [ast.Is()], [ast.Constant(None)]),
                ast.Compare(ast.Name(temp, ast.Load()), [ast.NotEq()], [ast.Name(temp, ast.Load())])]), True
        if target is _HELPERS["negate"] and len(rewritten) == 1:
            return ast.UnaryOp(ast.Not(), rewritten[0]), True
        if target is _HELPERS["one_of"] and len(rewritten) == 2:
            return ast.Compare(rewritten[0], [ast.In()], [rewritten[1]]), True
        if (len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id == param and depth < 8
                and isinstance(target, types.FunctionType) and target.__globals__ is self.globals):
            inner = _expression(target)
            if inner is not None:
                expanded = self.expr(inner[0], inner[1], depth + 1)
                if expanded is not None:
                    return expanded
        return ast.Call(ast.Name(node.func.id, ast.Load()), rewritten, []), False


def _decided_by_left(left: ast.expr, op: ast.operator, right: ast.expr) -> ast.expr:
    """``left & right`` (``|``) of an operand not boolean by construction (a bare fact read, whose value the compiler
    cannot know): ``(_t if (_t := left) is False else _t & right)``, ``is True`` for ``|``. A left side that is the
    bool False (True) decides alone, as it does for every right side ``&`` (``|``) takes with a bool: False, a numpy
    bool or an integer (the columns of a batch hold booleans there: a number or an unknown would fail the same
    operator over them); any other left value takes the operator as written."""
    temp = f"_b{next(_counter)}"
    decided = ast.Constant(isinstance(op, ast.BitOr))
    return ast.IfExp(ast.Compare(ast.NamedExpr(ast.Name(temp, ast.Store()), left), [ast.Is()], [decided]),
                     ast.Name(temp, ast.Load()), ast.BinOp(ast.Name(temp, ast.Load()), op, right))


def _fresh(node: ast.expr) -> ast.expr:
    """A new node equal to a fact read, a name or a constant (each occurrence is its own node)."""
    if isinstance(node, ast.Subscript):
        return ast.Subscript(_fresh(node.value), _fresh(node.slice), ast.Load())
    if isinstance(node, ast.Name):
        return ast.Name(node.id, ast.Load())
    assert isinstance(node, ast.Constant)
    return ast.Constant(node.value)


def _reread(node: ast.expr) -> bool:
    """A fact read, a name or a constant: evaluating it twice costs nothing and gives the same value."""
    return isinstance(node, (ast.Name, ast.Constant)) or (
        isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant))


#: The nodes a cached sub-expression may hold: reads of facts and module names, comparisons, boolean and arithmetic
#: operators (no call, no assignment), so that evaluating it again would give the same value.
_PURE = (ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Subscript, ast.Name, ast.Constant, ast.Tuple,
         ast.List, ast.Starred, ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
_CACHED = (ast.BoolOp, ast.UnaryOp, ast.Compare, ast.Subscript)


_IMPURE = object()


class _Cached(ast.NodeTransformer):
    """A pure sub-expression that occurs more than once in a table's tests (a fact read, chemotherapy's luminal
    condition in some 20 rules) is evaluated where it first would be, as before, and its value kept in a local
    for the later occurrences: ``(_c if _c is not _unread_ else (_c := expression))``. Short-circuiting and the
    order of evaluation are those of the tests as written."""

    def __init__(self, tests: Sequence[ast.expr]) -> None:
        #: The structure of each pure candidate node (by identity; the tests are alive while compiling) and the
        #: number of fact reads in it.
        self.keys: dict[int, tuple[Any, int]] = {}
        counts: dict[Any, int] = {}
        for test in tests:
            self._key(test, counts)
        # Worth a local: a fact read three times or more, an expression of two fact reads or more twice or more.
        self.worth = {key for node_key, reads in self.keys.values() for key in (node_key,)
                      if counts[key] >= (3 if key[0] == "Subscript" else 2 if reads >= 2 else 99)}
        self.names: dict[Any, str] = {}

    def _key(self, value: Any, counts: dict[Any, int]) -> tuple[Any, int]:
        """The structure of a node (``_IMPURE`` when it holds anything but _PURE nodes) and its fact reads,
        computed once per node, bottom-up."""
        if isinstance(value, list):
            items = [self._key(item, counts) for item in value]
            if any(key is _IMPURE for key, _ in items):
                return _IMPURE, 0
            return ("list", *(key for key, _ in items)), sum(reads for _, reads in items)
        if not isinstance(value, ast.AST):
            return (type(value).__name__, value), 0
        fields = [self._key(getattr(value, name, None), counts) for name in value._fields]
        if not isinstance(value, _PURE) or any(key is _IMPURE for key, _ in fields):
            return _IMPURE, 0
        key = (type(value).__name__, *(k for k, _ in fields))
        reads = sum(r for _, r in fields) + isinstance(value, ast.Subscript)
        if isinstance(value, _CACHED):
            self.keys[id(value)] = (key, reads)
            counts[key] = counts.get(key, 0) + 1
        return key, reads

    def visit(self, node: ast.AST) -> Any:
        found = self.keys.get(id(node))
        if found is None or found[0] not in self.worth:
            return self.generic_visit(node)
        name = self.names.setdefault(found[0], f"_c{len(self.names)}")
        inner = self.generic_visit(node)  # each occurrence is its own subtree: transformed in place
        assert isinstance(inner, ast.expr)
        return ast.IfExp(ast.Compare(ast.Name(name, ast.Load()), [ast.IsNot()], [ast.Name("_unread_", ast.Load())]),
                         ast.Name(name, ast.Load()), ast.NamedExpr(ast.Name(name, ast.Store()), inner))


class _Derive(ast.NodeTransformer):
    """A table's function for facts given as :class:`~micromets.guidelines.table.Derived` over ``derive``: each
    read ``_facts_["name"]`` of a derived fact becomes ``(_facts_["name"] if "name" in _facts_ else
    _facts_.setdefault("name", <its derivation>))``, the derivation being the expression the fact's function
    returns (read from its source as a predicate is, over the subject ``_s_``) or else a call of that function.
    This is what ``Derived.__missing__`` does, without its two calls: derived where first read, stored for every
    later reader (the texts' parameters, the decision's own code)."""

    def __init__(self, derive: Mapping[str, Callable[[Any], Any]], module_globals: dict[str, Any]) -> None:
        self.derive = derive
        self.globals = module_globals
        self.called: list[Callable[[Any], Any]] = []

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id == "_facts_" and isinstance(node.ctx, ast.Load)
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
                and node.slice.value in self.derive):
            return node
        name = node.slice.value
        derived = ast.Call(ast.Attribute(ast.Name("_facts_", ast.Load()), "setdefault", ast.Load()),
                           [ast.Constant(name), self.derivation(self.derive[name])], [])
        return ast.IfExp(ast.Compare(ast.Constant(name), [ast.In()], [ast.Name("_facts_", ast.Load())]), node,
                         derived)

    def derivation(self, function: Callable[[Any], Any]) -> ast.expr:
        if isinstance(function, types.FunctionType) and function.__globals__ is self.globals:
            found = _expression(function)
            if found is not None:
                rewritten = _Rewrite(self.globals, "_s_", exact=True).expr(found[0], found[1])
                if rewritten is not None:
                    return rewritten[0]
        index = next((i for i, f in enumerate(self.called) if f is function), len(self.called))
        if index == len(self.called):
            self.called.append(function)
        return ast.Call(ast.Subscript(ast.Name("_derive_", ast.Load()), ast.Constant(index), ast.Load()),
                        [ast.Name("_s_", ast.Load())], [])


def compile_first(rules: Sequence[Any], derive: Mapping[str, Callable[[Any], Any]] | None = None,
                  plain: Callable[[Any], int] | None = None) -> Callable[[Any], int]:
    """``first`` for one case as one function (see the module docstring); the original predicate is called for a
    rule that cannot be read. With ``derive``, the function for facts given as ``Derived(subject, derive, ...)``
    (:class:`_Derive`), made from ``plain`` (this table's function without it) when given."""
    module, module_globals, whens, called = _first_module(rules, derive, getattr(plain, "source", None))
    namespace: dict[str, Any] = {"_WHENS": whens, "_UNREAD": object(), "_DERIVE": called}
    # The module's own globals: names resolve at call time exactly as in the predicates themselves.
    exec(compile(module, "<decision table>", "exec"), module_globals if module_globals is not None else {},  # noqa: S102
         namespace)
    compiled: Callable[[Any], int] = namespace["first"]
    if derive is None:
        # Kept as text (not as a syntax tree, which every full collection would walk): the variants start from it.
        setattr(compiled, "source", ast.unparse(module))  # noqa: B010 - a function's own attribute
    return compiled


def compile_tables(tables: Sequence[Sequence[Any]]) -> list[Callable[[Any], int]]:
    """:func:`compile_first` for several tables' rules, their source files read once and not kept after."""
    try:
        return [compile_first(rules) for rules in tables]
    finally:
        _release()


def compile_derived(rules: Sequence[Any], derive: Mapping[str, Callable[[Any], Any]],
                    plain: Callable[[Any], int] | None = None) -> Callable[[Any], int]:
    """:func:`compile_first` for facts derived by ``derive``, from the table's ``plain`` function's source (the
    statements of the derivations parsed again, not kept)."""
    try:
        return compile_first(rules, derive, plain)
    finally:
        _release()


def compiled_source(rules: Sequence[Any], derive: Mapping[str, Callable[[Any], Any]] | None = None) -> str:
    """The source of :func:`compile_first`'s function, to read."""
    try:
        return ast.unparse(_first_module(rules, derive)[0])
    finally:
        _release()


def _first_module(rules: Sequence[Any], derive: Mapping[str, Callable[[Any], Any]] | None = None,
                  plain_source: str | None = None
                  ) -> tuple[ast.Module, dict[str, Any] | None, tuple[Any, ...], tuple[Callable[[Any], Any], ...]]:
    whens = tuple(rule.when for rule in rules)
    modules = {id(getattr(w, "__globals__", None)): getattr(w, "__globals__", None) for w in whens
               if w is not _table.always and isinstance(w, types.FunctionType)}
    module_globals = next(iter(modules.values())) if len(modules) == 1 else None
    module = ast.parse(plain_source) if plain_source is not None else _plain_module(whens, module_globals)
    if derive is None:
        return module, module_globals, whens, ()
    inline = _Derive(derive, module_globals if module_globals is not None else {})
    module = inline.visit(module)
    function = module.body[0]
    assert isinstance(function, ast.FunctionDef)
    function.body.insert(0, ast.Assign([ast.Name("_s_", ast.Store())],
                                       ast.Attribute(ast.Name("_facts_", ast.Load()), "_subject", ast.Load())))
    return ast.fix_missing_locations(module), module_globals, whens, tuple(inline.called)


def _plain_module(whens: tuple[Any, ...], module_globals: dict[str, Any] | None) -> ast.Module:
    tests: list[ast.expr] = []
    for i, when in enumerate(whens):
        test: ast.expr | None = None
        if when is _table.always:
            test = ast.Constant(True)
        elif module_globals is not None and isinstance(when, types.FunctionType):
            found = _expression(when)
            if found is not None:
                rewritten = _Rewrite(module_globals, "_facts_").expr(found[0], found[1])
                test = None if rewritten is None else rewritten[0]
        if test is None:
            test = ast.Call(ast.Subscript(ast.Name("_whens_", ast.Load()), ast.Constant(i), ast.Load()),
                            [ast.Name("_facts_", ast.Load())], [])
        tests.append(test)
    cached = _Cached(tests)
    body: list[ast.stmt] = [ast.If(cached.visit(test), [ast.Return(ast.Constant(i))], [])
                            for i, test in enumerate(tests)]
    body.append(ast.Return(ast.Constant(-1)))
    if cached.names:
        body.insert(0, ast.Assign([ast.Name(name, ast.Store()) for name in cached.names.values()],
                                  ast.Name("_unread_", ast.Load())))
    args = ast.arguments(posonlyargs=[], args=[ast.arg("_facts_"), ast.arg("_whens_"), ast.arg("_unread_"),
                                               ast.arg("_derive_")],
                         kwonlyargs=[], kw_defaults=[],
                         defaults=[ast.Name("_WHENS", ast.Load()), ast.Name("_UNREAD", ast.Load()),
                                   ast.Name("_DERIVE", ast.Load())])
    function = ast.FunctionDef("first", args, body, [], None)
    return ast.fix_missing_locations(ast.Module([function], []))


#: The conversions ``str.format`` knows (``!s``, ``!r``, ``!a``), as an f-string's node holds them.
_CONVERSIONS = {None: -1, "s": ord("s"), "r": ord("r"), "a": ord("a")}


def compile_template(template: str, *, facts: bool = False) -> Callable[..., str] | None:
    """``template.format_map(parameters)`` as a function of ``parameters`` (with ``facts``: of ``(facts,
    parameters)``, the field ``{facts}`` read from the first argument, the others from the parameters), one f-string:
    each field looked up in the parameters where ``format_map`` looks it up, formatted by the same ``format`` with
    the same conversion and specification. None for a template ``format_map`` reads otherwise (a field that is not
    a plain name, a nested specification, a template of one field alone (format_map makes a plain ``str`` of
    any value; an f-string would return what ``format`` gives) or one it refuses)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    values: list[ast.expr] = []
    for literal, name, spec, conversion in parsed:
        if literal:
            values.append(ast.Constant(literal))
        if name is None:
            continue
        if not name.isidentifier() or conversion not in _CONVERSIONS or (spec and "{" in spec):
            return None
        value: ast.expr = (ast.Name("_facts_", ast.Load()) if facts and name == "facts" else
                           ast.Subscript(ast.Name("_parameters_", ast.Load()), ast.Constant(name), ast.Load()))
        values.append(ast.FormattedValue(value, _CONVERSIONS[conversion],
                                         ast.JoinedStr([ast.Constant(spec)]) if spec else None))
    if len(values) == 1 and not isinstance(values[0], ast.Constant):
        return None
    arguments = [ast.arg("_facts_"), ast.arg("_parameters_")] if facts else [ast.arg("_parameters_")]
    function = ast.Expression(ast.Lambda(ast.arguments(posonlyargs=[], args=arguments, kwonlyargs=[],
                                                       kw_defaults=[], defaults=[]),
                                         ast.JoinedStr(values)))
    filled: Callable[..., str] = eval(compile(ast.fix_missing_locations(function), "<template>", "eval"),  # noqa: S307
                                      {"__builtins__": {}})
    return filled
