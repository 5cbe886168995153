"""Which SDK request methods a method hands over by returning them, uncalled, for its base class's code to call:
a provider class's implementation of the base's abstract hook (`def provider_call_function(self, client): return
client.chat.completions.create`, or a tuple / dict of such methods), the base calling whatever the hook returns
(`call = self.provider_call_function(client); call(**params)`), which dispatch cannot follow to one provider.
The returned expression is the request's site, as an SDK method handed to a helper is (the study's hand-over
rule); its arguments are written elsewhere, so its model and output cap are not read here. A function or a
concrete method returning an SDK method is not one: its callers' calls of the result are the sites."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Iterator

from tokenlint.resolve.binder import CallRecord, ModuleInfo, calls_by_owner
from tokenlint.resolve.facades import is_abstract, method_of
from tokenlint.resolve.scope import owner_scope, return_values
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import ClassV


class ReturnedRequestMixin:
    """The `Resolver`'s returned SDK request methods (a mixin over inference, SDK matching and classes)."""

    _method_names: frozenset[str]

    def returned_requests(self, owner: ast.AST, info: ModuleInfo) -> list[CallSite]:
        """The request sites of the SDK methods the method `owner` returns uncalled, when it implements an
        abstract method of a project base (none for anything else)."""
        if not isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        memo = self.__dict__.setdefault("_handed_back_memo", {})
        handed = memo.get(owner)
        if handed is None:  # read once per function (its sites are asked again while a loop is solved)
            handed = memo[owner] = [e for ret in return_values(owner) for e in _handed(ret)
                                    if e.attr in self._method_names]
        if not handed:
            return []
        scope = info.func_scopes.get(owner)
        cs = scope.cls if scope is not None else None  # a method: its class
        if cs is None or not self._implements_hook(ClassV(cs.node, cs), owner):  # type: ignore[arg-type]
            return []
        out = []
        for e in handed:
            site = self._site_for(CallRecord(_as_call(e), scope, False))  # type: ignore[attr-defined]
            if site is None or site.kind != "direct":
                continue  # a project function or a framework object's method: followed where it is called
            out.append(replace(site, tag_style=None, model=Arg(text=None, kind="dynamic"), handed=True,
                               output_cap=None if site.output_cap is None else "unknown", output_tokens=None))
        return out

    def handed_back_unused(self, rec: CallRecord, site: CallSite) -> bool:
        """Whether `site`, a facade over hooks that only return SDK methods (`self.provider_call_function(c)`),
        is a call whose result is not called in its function (`inspect_params(self.provider_call_function(c))`
        reads the method's signature): no request is made there. Called, directly or through the name it
        is assigned to (`call = self.provider_call_function(c); call(**params)`), it is the request."""
        if not site.handed or site.kind == "direct":
            return False
        owner = owner_scope(rec.scope)
        names = {t.id for st in ast.walk(owner.node) if isinstance(st, ast.Assign) and st.value is rec.node
                 for t in st.targets if isinstance(t, ast.Name)}
        for other in calls_by_owner(owner.module).get(owner.node, ()):
            f = other.node.func
            if f is rec.node or (isinstance(f, ast.Name) and f.id in names):
                site.handed = False  # the request is made here
                return False
        return True

    def _implements_hook(self, cls: ClassV, fnode: ast.AST) -> bool:
        """Whether a project base class of `cls` declares the method `fnode` overrides as abstract."""
        for c in self._fchain(cls):  # type: ignore[attr-defined]
            if c.node is cls.node:
                continue
            m = method_of(c, fnode.name)  # type: ignore[attr-defined]
            if m is not None:
                return is_abstract(m, c.node)
        return False


def _handed(ret: ast.expr) -> Iterator[ast.Attribute]:
    """The attribute expressions a `return` hands over: the value itself, or the items of a tuple, list or
    dict it builds (`return client.chat.completions.create, client.embeddings.create`)."""
    if isinstance(ret, ast.Attribute):
        yield ret
    elif isinstance(ret, (ast.Tuple, ast.List)):
        yield from (e for e in ret.elts if isinstance(e, ast.Attribute))
    elif isinstance(ret, ast.Dict):
        yield from (e for e in ret.values if isinstance(e, ast.Attribute))


def _as_call(e: ast.Attribute) -> ast.Call:
    """The request the handed method stands for, at its place: called with arguments written elsewhere."""
    call = ast.Call(func=e, args=[], keywords=[])
    return ast.copy_location(call, e)
