"""Which requests a call of a function held as a value reaches: a function stored on an attribute and
called through it (`self._completion = make_completion(config)`, then `self._completion(**kw)`), a
closure a factory call returned, and the wrapping functions around it that return a nested function
calling, or handing on, the function they were given (middleware pipelines, retry and cache layers,
hand-written decorators: `with_retries(fn)` returning `def _retrying(**kw): return fn(**kw)`).

A closure value remembers the calls it came back through (`Func.made`); the function a wrapping
layer was given is read from the argument of the call that made that layer, in order, until a
function holding a request is reached. The call of the value is then a wrapper site over that request,
as a call of a method holding it would be.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope, bind_args, binding_of
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import Func, OneOf

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

MAX_LAYERS = 12  # wrapping functions followed from a function value to the function holding its request
Made = tuple[tuple[ast.AST, ast.Call, Scope], ...]  # see `Func.made`


class FunctionValueMixin:
    """The `Resolver`'s calls of function values (a mixin: sites come from `function_sites`)."""

    catalog: "SdkCatalog"

    def _function_value_call(self, rec: CallRecord, f: Func) -> Optional[CallSite]:
        """A call of a function held as a value whose request lies in that function or, through the
        wrapping functions that made it, in the function they were handed (`self._completion(messages=m)`
        with `self._completion = with_retries(make_completion(config))`): a wrapper site over that
        request, whether or not its arguments reach it (the value is the request function itself: each
        call sends). A function named by its `def` is left to `_wrapper`; a stored function that sends
        nothing (a logger, a formatter, a wrapper around one) gives nothing."""
        if not f.made and not self._held_as_value(rec.node.func, rec.scope):
            return None
        found = self._value_request(f, f.made, set())
        if found is None:
            return None
        target, g = found
        site = self._relay(rec, target, g, "wrapper")  # type: ignore[attr-defined]
        site.target = target.id
        dotted = g.scope.module.source.dotted
        site.wrapper = f"{dotted}.{g.scope.qualname}" if dotted else g.scope.qualname
        return site

    def _held_as_value(self, func: ast.expr, scope: Scope) -> bool:
        """Whether the callee is a plain function stored as a value: a name bound by an assignment
        (`send = _send_openai`). (An attribute holding a plain function, `self._send = _send_openai`, is
        not followed: asking it of every method call read the sites of every stored callback of a
        large project, ~10% of a run; a closure a factory made is followed wherever it is stored.)"""
        if type(func) is not ast.Name:
            return False
        b = binding_of(func.id, scope)
        return b is not None and b[0] == "assign"

    def _value_request(self, f: Func, made: Made, seen: set) -> Optional[tuple[CallSite, Func]]:
        """The first spending site (one that can still send first) of function value `f`, or, when `f`
        is a wrapping layer, of the function it was handed, with the function holding it; `made`: the
        calls binding the parameters `f` reads from the functions enclosing it."""
        if f.node in seen or len(seen) >= MAX_LAYERS:
            return None  # a layer reached again (a cycle) or too deep
        seen.add(f.node)
        sites = [s for s in self.function_sites(f.node, f.scope.module)  # type: ignore[attr-defined]
                 if s.spends and s.kind != "binding"]
        if sites:
            return next((s for s in sites if not s.removed), sites[0]), f
        for name in _called_names(f.node):
            passed = _passed_for(name, f.scope, made)
            if passed is None:
                continue
            for g, gmade in self._function_values(*passed, depth=0):
                got = self._value_request(g, gmade, seen)
                if got is not None:
                    return got
        return None

    def _function_values(self, expr: ast.expr, scope: Scope, outer: Made, depth: int) -> Iterator[tuple[Func, Made]]:
        """The project functions `expr` (an argument of a call that made a wrapping layer, written in
        `scope`) may be, each with the calls binding what it reads: the layer below in a pipeline
        (`model_fn` rebound by each layer), the attribute's earlier value in the same function
        (`self._completion = wrap(self._completion)`), or what the call of the function `scope`
        belongs to passed for its parameter (`outer`)."""
        if type(expr) is ast.Attribute:
            expr = _earlier_value(expr, scope) or expr
        if type(expr) is ast.Name and depth < MAX_LAYERS and _still_parameter(expr, scope):
            # `model_fn` read before the function rebinds it: what its call passed
            passed = _passed_for(expr.id, scope, outer, as_param=True)
            if passed is not None:
                yield from self._function_values(*passed, depth=depth + 1)
            return
        v = self.infer(expr, scope)  # type: ignore[attr-defined]
        funcs = [m for m in (v.members if type(v) is OneOf else (v,)) if type(m) is Func]  # type: ignore[attr-defined]
        for m in funcs:
            yield m, m.made + outer  # type: ignore[attr-defined]
        if not funcs and type(expr) is ast.Name and depth < MAX_LAYERS:
            passed = _passed_for(expr.id, scope, outer, as_param=True)
            if passed is not None:
                yield from self._function_values(*passed, depth=depth + 1)


def _called_names(fnode: ast.AST) -> list[str]:
    """Names a function calls (`fn(**kw)`) or hands on to another call (`retrier.retry(func=fn)`,
    `partial(fn, x)`) in its own body (lambdas included, nested functions not), in order."""
    out: list[str] = []
    stack: list[ast.AST] = list(getattr(fnode, "body", ()))
    while stack:
        n = stack.pop(0)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if type(n) is ast.Call:
            for e in (n.func, *n.args, *(k.value for k in n.keywords)):
                if type(e) is ast.Starred:
                    e = e.value
                if type(e) is ast.Name and e.id not in out:
                    out.append(e.id)
        stack.extend(ast.iter_child_nodes(n))
    return out


def _passed_for(name: str, scope: Scope, made: Made, as_param: bool = False) -> Optional[tuple[ast.expr, Scope, Made]]:
    """What the call that made an enclosing function's closure passed for `name`, a parameter of that
    function read from `scope` (its own, or a function nested in it): the argument expression, the
    scope it is written in, and the calls made further out. A parameter the function rebinds
    (`model_fn = with_cache(model_fn)`) is read as that function's name instead, unless `as_param` (it
    was read before any rebinding). None when `name` is bound otherwise (a local variable, a global)
    or no remembered call binds it."""
    s: Optional[Scope] = scope
    while s is not None and (s.kind == "class" or name not in s.bindings):
        s = s.parent
    if s is None or s.kind != "function" or name not in s.params:
        return None
    for i, (fnode, call, cscope) in enumerate(made):
        if fnode is s.node:
            if not as_param and any(kind != "param" for kind, _ in s.bindings[name]):
                return ast.Name(id=name, ctx=ast.Load(), lineno=0, col_offset=0), s, made[i:]
            expr = bind_args(fnode, call, skip_self=s.cls is not None).get(name)
            return (expr, cscope, made[i + 1:]) if expr is not None else None
    return None


def _still_parameter(name: ast.Name, scope: Scope) -> bool:
    """Whether `name`, read in `scope`'s own function, is that function's parameter, not yet rebound
    on an earlier line (`model_fn, amodel_fn = with_retries(sync_fn=model_fn, ...)` reads the parameter)."""
    if name.id not in scope.params or not name.lineno:
        return False
    return all(kind == "param" for (kind, _), line in zip(scope.bindings.get(name.id, ()), scope.lines.get(name.id, ()))
               if line < name.lineno)


def _earlier_value(attr: ast.Attribute, scope: Scope) -> Optional[ast.expr]:
    """`self.x` read in a method after the method assigned it (`self._completion = wrap(self._completion)`
    reads the value assigned before, not the one it assigns): the last value assigned there before."""
    if type(attr.value) is not ast.Name or attr.value.id != scope.self_name or scope.cls is None:
        return None
    before = [v for v, sc in scope.cls.attrs.get(attr.attr, ()) if sc is scope and v.lineno < attr.lineno]
    return before[-1] if before else None
