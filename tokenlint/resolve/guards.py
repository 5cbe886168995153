"""Which branches of a called function a call's arguments rule out: a branch guarded by
`isinstance(param, C)` (or `type(param) is C`, alone or `and`-ed with other conditions) is not taken
when the call hands that parameter an object of a project class unrelated to C.

A dispatcher over action objects (`def execute(self, action: Action)`, whose `if isinstance(action,
EditAction): return self.llm_edit(action)` alone reaches a model) is called by `run(self, action:
RunAction)` with a command: the request inside that branch is not on the way. What the argument is
known to be is read where the call is written, from the syntax and the project's class headers only:
a constructor call (`RunAction(...)`), or a name or parameter annotated with a project class. Two
classes are unrelated when neither is among the other's project base classes; a tuple of classes in
the guard rules the branch out only when all of them are unrelated. Anything less certain (an
annotation naming no project class, an untyped value, a class not resolved) rules nothing out.
"""

from __future__ import annotations

import ast
import weakref
from typing import Optional

from tokenlint.resolve.scope import Scope, bind_args, declared_annotation
from tokenlint.resolve.values import ClassV

# a guarded branch, by its lines in the function's file: (parameter, the guard's class expressions,
# first line, last line of the branch's body)
Guard = tuple[str, tuple[ast.expr, ...], int, int]
Span = tuple[int, int]
# a method and the branches of it (by lines) a call's arguments rule out
Pruned = tuple[ast.AST, frozenset[Span]]

_GUARDS: "weakref.WeakKeyDictionary[ast.AST, list[Guard]]" = weakref.WeakKeyDictionary()


def type_guards(fnode: ast.AST) -> list[Guard]:
    """The branches of `fnode` (at any depth) taken only when a parameter is of a class: `if
    isinstance(p, C):`, `if isinstance(p, (C, D)) and ...:`, `if type(p) is C:` (memoized per node)."""
    got = _GUARDS.get(fnode)
    if got is not None:
        return got
    args = getattr(fnode, "args", None)
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} if args is not None else set()
    out: list[Guard] = []
    if params:
        for n in ast.walk(fnode):
            if type(n) is not ast.If or not n.body:
                continue
            test = n.test
            conds = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
            for c in conds:
                got_c = _guarded_param(c)
                if got_c is not None and got_c[0] in params:
                    out.append((got_c[0], got_c[1], n.body[0].lineno,
                                getattr(n.body[-1], "end_lineno", None) or n.body[-1].lineno))
    _GUARDS[fnode] = out
    return out


def _guarded_param(c: ast.expr) -> Optional[tuple[str, tuple[ast.expr, ...]]]:
    """`isinstance(p, C)` / `isinstance(p, (C, D))` / `type(p) is C` / `type(p) == C`: (p, classes)."""
    if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "isinstance" \
            and len(c.args) == 2 and not c.keywords and isinstance(c.args[0], ast.Name):
        kinds = c.args[1]
        classes = tuple(kinds.elts) if isinstance(kinds, ast.Tuple) else (kinds,)
        if classes and all(isinstance(k, (ast.Name, ast.Attribute)) for k in classes):
            return c.args[0].id, classes
        return None
    if isinstance(c, ast.Compare) and len(c.ops) == 1 and isinstance(c.ops[0], (ast.Is, ast.Eq)):
        left, right = c.left, c.comparators[0]
        if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "type" \
                and len(left.args) == 1 and isinstance(left.args[0], ast.Name) \
                and isinstance(right, (ast.Name, ast.Attribute)):
            return left.args[0].id, (right,)
    return None


def within(node: ast.AST, spans: "frozenset[Span] | list[Span]") -> bool:
    """Whether `node` (of the guarded function's file) lies in one of the ruled-out branches."""
    line = getattr(node, "lineno", None)
    return line is not None and any(first <= line <= last for first, last in spans)


class GuardMixin:
    """The `Resolver`'s reading of type guards (a mixin: values from `InferMixin`, class chains from
    `FacadeMixin`)."""

    def ruled_out(self, call: ast.Call, scope: Scope, fnode: ast.AST, fscope: Optional[Scope],
                  skip_self: bool) -> frozenset[Span]:
        """The branches of `fnode` (its lines) that `call`, written in `scope`, cannot take: guarded by
        the class of a parameter for which the call hands an object of an unrelated project class."""
        guards = type_guards(fnode)
        if not guards or fscope is None:
            return frozenset()
        bound = bind_args(fnode, call, skip_self=skip_self)
        out: set[Span] = set()
        known: dict[str, Optional[ClassV]] = {}
        for param, classes, first, last in guards:
            arg = bound.get(param)
            if arg is None:
                continue
            if param not in known:
                known[param] = self._known_class(arg, scope)
            have = known[param]
            if have is None:
                continue
            wanted = [self.infer(k, fscope) for k in classes]  # type: ignore[attr-defined]
            if all(type(w) is ClassV and self._unrelated(have, w) for w in wanted):  # type: ignore[arg-type]
                out.add((first, last))
        return frozenset(out)

    def _known_class(self, arg: ast.expr, scope: Scope) -> Optional[ClassV]:
        """The project class `arg` is certainly an object of: a constructor call, or a name annotated
        with the class (a parameter, a variable, an attribute of `self` declared so)."""
        if isinstance(arg, ast.Call):
            v = self.infer(arg.func, scope)  # type: ignore[attr-defined]
            return v if type(v) is ClassV else None
        if isinstance(arg, (ast.Name, ast.Attribute)):
            ann, ascope = declared_annotation(arg, scope)
            if isinstance(ann, (ast.Name, ast.Attribute)):
                v = self.infer(ann, ascope)  # type: ignore[attr-defined]
                return v if type(v) is ClassV else None
        return None

    def _unrelated(self, a: ClassV, b: ClassV) -> bool:
        """Whether neither class is among the other's project bases (nor the same class)."""
        return not any(c.node is b.node for c in self._fchain(a)) and \
            not any(c.node is a.node for c in self._fchain(b))  # type: ignore[attr-defined]
