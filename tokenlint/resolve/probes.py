"""Which calls of a facade's method are capability probes that send nothing: `engine.translate(None)` where
every implementation of the method begins by returning when that argument is None (`if text is None:
return None`), so the call only tests that the method exists and runs."""

from __future__ import annotations

import ast

from tokenlint.resolve.scope import bind_args


def probe_only(call: ast.Call, implementations: list[ast.AST]) -> bool:
    """Whether `call` hands literal None to a parameter on which each of `implementations` (methods, at
    least one) returns at once."""
    if not implementations or not any(_is_none(a) for a in [*call.args, *(k.value for k in call.keywords)]):
        return False
    for fn in implementations:
        given = {n for n, v in bind_args(fn, call, skip_self=True).items() if _is_none(v)}
        if not given or not _returns_on_none(fn, given):
            return False
    return True


def _is_none(e: ast.expr) -> bool:
    return isinstance(e, ast.Constant) and e.value is None


def _returns_on_none(fn: ast.AST, names: set[str]) -> bool:
    """Whether `fn`'s first statement (after its docstring) is `if <name> is None: return ...`."""
    body = list(getattr(fn, "body", []))
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    if not body or not isinstance(body[0], ast.If):
        return False
    test, then = body[0].test, body[0].body
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id in names \
        and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is) and _is_none(test.comparators[0]) \
        and len(then) == 1 and isinstance(then[0], ast.Return)
