"""Whether a call sits in a branch chosen by a model name (`if args.model == "llama3.1-405b":
Model("openrouter/meta-llama/llama-3.1-405b-instruct")`): a table from the configured name to the
provider's id, where the literal translates a choice made elsewhere."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope


def model_dispatch(call: ast.AST, scope: "Scope") -> bool:
    """True when `call` is in the body of an `if` / `elif` whose test compares a model name (a name or
    attribute with `model` in it) with string constants (`==`, `in [...]`). An `else:` branch is a
    default, not a translation: False there."""
    line = getattr(call, "lineno", None)
    body = getattr(getattr(scope, "node", None), "body", None)
    if line is None or not isinstance(body, list):  # a lambda's body is one expression: no branch
        return False
    stack = list(body)
    while stack:
        st = stack.pop()
        if isinstance(st, ast.match_case):  # no position of its own
            stack.extend(st.body)
            continue
        start, end = getattr(st, "lineno", None), getattr(st, "end_lineno", None)
        if start is None or not (start <= line <= (end or start)):
            continue  # the statement does not hold the call
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue  # another scope
        if isinstance(st, ast.If) and st.body and st.body[0].lineno <= line <= (st.body[-1].end_lineno or 0) \
                and _compares_model(st.test):
            return True
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):  # if / for / try / with / match
            stack.extend(getattr(st, field, ()) or ())
    return False


def _compares_model(test: ast.expr) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return all(_compares_model(v) for v in test.values)
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Eq, ast.In)):
        return False
    left, right = test.left, test.comparators[0]
    name = left.attr if isinstance(left, ast.Attribute) else left.id if isinstance(left, ast.Name) else ""
    if "model" not in name.lower():
        return False
    values = right.elts if isinstance(right, (ast.List, ast.Tuple, ast.Set)) else [right]
    return bool(values) and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values)
