"""Which value a name or `self` attribute holds at one call made on it: the one assigned to it last
before the call in the same block or a block around it, in the same function (`self.engine =
LocalEngine(...)` then `self.engine.deploy(...)` in one branch: that object, not any the name holds on
other paths), when nothing between, nor a loop around the call, assigns it otherwise."""

from __future__ import annotations

import ast
from typing import Optional

_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def dotted(e: ast.expr) -> Optional[str]:
    """`x` or `self.engine` (names joined by dots), else None."""
    if type(e) is ast.Name:
        return e.id
    if type(e) is ast.Attribute:
        base = dotted(e.value)
        return None if base is None else f"{base}.{e.attr}"
    return None


def assigned_before(call: ast.AST, recv: ast.expr, func: ast.AST) -> Optional[ast.expr]:
    """The value assigned to `recv` (a name or attribute chain) by the statement `x = value` closest
    before `call` in the blocks of function `func` holding the call, when no statement in between
    assigns `recv` another way (under a branch, by a loop, a `with`) and no loop around the call (inside
    that assignment's block) assigns it; else None."""
    key = dotted(recv)
    body = getattr(func, "body", None)
    if key is None or not isinstance(body, list):
        return None
    path = _path_to(call, body)
    if path is None:
        return None
    for depth in range(len(path) - 1, -1, -1):
        block, i = path[depth]
        for st in reversed(block[:i]):
            if type(st) is ast.Assign and len(st.targets) == 1 and dotted(st.targets[0]) == key:
                loops = [b[j] for b, j in path[depth:] if isinstance(b[j], _LOOPS)]
                if any(_assigns(lp, key) for lp in loops):
                    return None  # a later iteration holds what the loop assigned after the call
                return st.value
            if _assigns(st, key):
                return None
    return None


def _path_to(call: ast.AST, body: list[ast.stmt]) -> Optional[list[tuple[list[ast.stmt], int]]]:
    """The blocks from `body` down to the statement holding `call`, each with the index of the statement
    on the way; None when `call` is not in them (a nested function's or class's body is not entered)."""
    for i, st in enumerate(body):
        if not _holds(st, call):
            continue
        path = [(body, i)]
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(st, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                sub = _path_to(call, inner)
                if sub is not None:
                    return path + sub
        for h in getattr(st, "handlers", ()) or ():
            sub = _path_to(call, h.body)
            if sub is not None:
                return path + sub
        for case in getattr(st, "cases", ()) or ():
            sub = _path_to(call, case.body)
            if sub is not None:
                return path + sub
        return path
    return None


def _holds(st: ast.stmt, call: ast.AST) -> bool:
    return any(n is call for n in ast.walk(st))


def _assigns(st: ast.stmt, key: str) -> bool:
    """Whether `st` binds `key` anywhere inside it (an assignment, augmented or annotated, a loop or
    `with` target, a walrus, a `del`)."""
    for n in ast.walk(st):
        t = type(n)
        if t is ast.Assign:
            targets = n.targets  # type: ignore[attr-defined]
        elif t in (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.NamedExpr):
            targets = [n.target]  # type: ignore[attr-defined]
        elif t is ast.withitem:
            targets = [n.optional_vars] if n.optional_vars is not None else []  # type: ignore[attr-defined]
        elif t is ast.Delete:
            targets = n.targets  # type: ignore[attr-defined]
        else:
            continue
        for tg in targets:
            for e in ast.walk(tg):
                if isinstance(e, (ast.Name, ast.Attribute)) and dotted(e) == key:
                    return True
    return False
