"""Whether a call sits in a branch chosen by a model name (`if args.model == "llama3.1-405b":
Model("openrouter/meta-llama/llama-3.1-405b-instruct")`): a table from the configured name to the
provider's id, where the literal translates a choice made elsewhere. Also one call away: a function
its module calls only from such branches (`if model == "o1-with-ocr": call_o1_with_ocr(...)`) is the
model's own code path, and the literal it sends is that choice's translation too."""

from __future__ import annotations

import ast
import bisect
from typing import TYPE_CHECKING

from tokenlint.resolve.scope import name_uses

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope


def model_dispatch(call: ast.AST, scope: "Scope") -> bool:
    """True when `call` is in the body of an `if` / `elif` whose test looks at a model name (a name or
    attribute with `model` in it) against string constants (`==`, `in [...]`, a substring `in`,
    `startswith`). An `else:` branch is a default, not a translation: False there."""
    line = getattr(call, "lineno", None)
    body = getattr(getattr(scope, "node", None), "body", None)
    if line is None or not isinstance(body, list):  # a lambda's body is one expression: no branch
        return False
    module = getattr(scope, "module", None)
    index = module.__dict__.setdefault("_dispatch_index", {}) if module is not None else {}
    stack = [body]
    while stack:
        for st in _holding(stack.pop(), line, index):
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # another scope
            if isinstance(st, ast.If) and st.body and st.body[0].lineno <= line <= (st.body[-1].end_lineno or 0) \
                    and _compares_model(st.test):
                return True
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):  # if / for / try / with / match
                stack.append(getattr(st, field, None) or [])
    return False


def _holding(stmts: list, line: int, index: dict) -> list:
    """The statements of one body (an `except` handler, a `match` case too) whose lines hold `line`.
    A body's statements follow one another, so the index of their starting lines, built once per body
    and kept in `index`, finds them by bisection: a module of thousands of calls stays linear."""
    if len(stmts) < 8:  # a short body: a scan is cheaper than an index
        return [st for st in _positioned(stmts) if st.lineno <= line <= (st.end_lineno or st.lineno)]
    key = id(stmts)
    entry = index.get(key)
    if entry is None or entry[0] is not stmts:
        items = _positioned(stmts)
        entry = index[key] = (stmts, [st.lineno for st in items], items)
    _, starts, items = entry
    found = []
    i = bisect.bisect_right(starts, line) - 1
    while i >= 0 and (items[i].end_lineno or items[i].lineno) >= line:
        found.append(items[i])  # statements on one line (`a; b`) share it
        i -= 1
    return found


def _positioned(stmts: list) -> list:
    """`stmts` in order, a `match` case (which has no position of its own) replaced by its body."""
    out: list = []
    for st in stmts:
        if isinstance(st, ast.match_case):
            out.extend(_positioned(st.body))
        elif getattr(st, "lineno", None) is not None:
            out.append(st)
    return out


def caller_dispatch(scope: "Scope") -> bool:
    """True when the function holding `scope` is a per-model code path chosen by its callers: its
    module uses its name only to call it (a function by name, a method on any object), at least once,
    and every one of those calls sits in a branch chosen by a model name (`model_dispatch`). Another use
    (a callback, a table, `__all__`) or a call outside such a branch keeps the literal a choice made
    here. Calls from other modules are not seen: a function called only elsewhere stays reported."""
    from tokenlint.resolve.scope import enclosing_function

    fs = enclosing_function(scope)
    if fs is None or fs.parent is None or fs.parent.kind not in ("module", "class"):
        return False  # a nested function is its parent's business
    info = fs.module
    raw = info.source.raw
    if raw is not None and raw.count(fs.name.encode()) < 2:
        return False  # its definition is the only place the module names it
    memo = info.__dict__.setdefault("_caller_dispatch", {})
    if fs.node not in memo:
        method = fs.parent.kind == "class"
        # a method is named as `x.name`; a module function also by its bare name
        uses = [(owner, call) for owner, call, how in name_uses(info).get(fs.name, ())
                if how != "name" or not method]
        memo[fs.node] = bool(uses) and all(call is not None and model_dispatch(call, owner) for owner, call in uses)
    return memo[fs.node]


def _compares_model(test: ast.expr) -> bool:
    """A test on a model name (a name or attribute with `model` in it, or a call of one of its string
    methods): `model == "x"`, `model in ["x", "y"]`, `"pro" in model_name`, `model.startswith("x")`,
    `model.lower() == "x"`; `or` of such tests."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return all(_compares_model(v) for v in test.values)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) \
            and test.func.attr in ("startswith", "endswith") and _model_name(test.func.value):
        return bool(test.args) and all(_strings(a) for a in test.args)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.In)):
        return False
    left, right = test.left, test.comparators[0]
    if isinstance(test.ops[0], ast.In) and _model_name(right) and _strings(left):
        return True  # `"Pro" in self.model_name`: a substring of the configured name picks the branch
    return _model_name(left) and _strings(right)


def _model_name(e: ast.expr) -> bool:
    """A name or attribute with `model` in it, or one of its string methods' results (`model.lower()`)."""
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and not e.args \
            and e.func.attr in ("lower", "upper", "strip", "casefold"):
        e = e.func.value
    name = e.attr if isinstance(e, ast.Attribute) else e.id if isinstance(e, ast.Name) else ""
    return "model" in name.lower()


def _strings(e: ast.expr) -> bool:
    """A string constant, or a non-empty list / tuple / set of them."""
    values = e.elts if isinstance(e, (ast.List, ast.Tuple, ast.Set)) else [e]
    return bool(values) and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values)
