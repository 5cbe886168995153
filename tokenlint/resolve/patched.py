"""Which calls are a monkeypatch's pass-through to the original it replaced: `sdk_run = Runner.run` kept,
then a function installed in its place (`Runner.run = run`, `setattr(Runner, "run", classmethod(run))`)
calling `sdk_run(...)`. The callers' `Runner.run(...)` are the requests; the call inside the patch runs
the original for them, and counting it too would count each of their requests twice."""

from __future__ import annotations

import ast
from typing import Optional

from tokenlint.resolve.pieces import resolve
from tokenlint.resolve.scope import Scope

# the calls that set an attribute by name: `setattr(owner, "name", value)` and its spellings on a class
SETTERS = frozenset({"setattr", "type.__setattr__", "object.__setattr__"})


def installed(tree: ast.AST) -> dict[tuple[str, str], frozenset[str]]:
    """(owner's text, attribute) -> the names in the values assigned to it in module `tree`: the functions
    a patch installs (`Runner.run = run`, `setattr(Runner, "run", classmethod(run))`)."""
    out: dict[tuple[str, str], set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Attribute):
                    _add(out, t.value, t.attr, node.value)
        elif isinstance(node, ast.Call) and len(node.args) == 3 and not node.keywords \
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
                and isinstance(node.func, (ast.Name, ast.Attribute)) and ast.unparse(node.func) in SETTERS:
            _add(out, node.args[0], node.args[1].value, node.args[2])
    return {k: frozenset(v) for k, v in out.items()}


def _add(out: dict[tuple[str, str], set[str]], owner: ast.expr, attr: str, value: ast.expr) -> None:
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    if names:
        out.setdefault((ast.unparse(owner), attr), set()).update(names)


def kept_original(call: ast.Call, scope: Scope) -> Optional[ast.Attribute]:
    """The attribute `call`'s function was saved from (`sdk_run = Runner.run`, then `sdk_run(...)`), or None."""
    if not isinstance(call.func, ast.Name):
        return None
    value = resolve(call.func, scope)[0]
    return value if isinstance(value, ast.Attribute) and value is not call.func else None


def in_its_patch(original: ast.Attribute, scope: Scope, patches: dict[tuple[str, str], frozenset[str]]) -> bool:
    """Whether `scope` is (or is inside) a function the module installs in place of `original`."""
    names = patches.get((ast.unparse(original.value), original.attr))
    s: Optional[Scope] = scope
    while names and s is not None:
        if s.kind == "function" and s.name in names:
            return True
        s = s.parent
    return False
