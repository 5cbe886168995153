"""What a standard-library holder gives back: a context variable or a queue hands back what the program
puts in it (`current.set(AsyncOpenAI())` then `current.get().chat...`, `pool.put(OpenAI())` then
`pool.get()`), a `SimpleNamespace` the keywords it is built with (`services.llm`). The types and their
methods are catalog data (sdks.toml [passthrough] `holders`, `namespaces`); none is named here."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.resolve.imports import definition
from tokenlint.resolve.scope import assigned, name_uses
from tokenlint.resolve.values import Holder, Qual, Value, join, useful

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.scope import Scope

MAX_PUTS = 8  # put calls read per holder (a queue refilled in many places holds one kind of object)


class HolderMixin:
    """The `Resolver`'s reading of standard-library holders (a mixin: it shares `infer` and the catalog)."""

    catalog: "SdkCatalog"

    def holder_attr(self, h: Holder, attr: str) -> Value:
        """`services.llm` on a `SimpleNamespace(llm=AsyncOpenAI())`: the keyword's value. Anything else
        on a holder is what it was before holders were read: a library object of no LLM meaning."""
        field = self.namespace_field(h, attr)
        if field is not None:
            return self.infer(field, h.scope)  # type: ignore[attr-defined]
        return Qual(h.qual, called=True)

    def namespace_field(self, h: Holder, attr: str) -> ast.expr | None:
        """The expression a namespace holder was built with for `attr` (`SimpleNamespace(url=...)`, or an
        entry of a literal dict spread into it: `SimpleNamespace(**{"url": ...})`), else None (no
        namespace, or the attribute set elsewhere)."""
        if h.qual not in self.catalog.namespaces:
            return None
        for k in h.call.keywords:
            if k.arg == attr:
                return k.value
            if k.arg is None and isinstance(k.value, ast.Dict):
                for key, v in zip(k.value.keys, k.value.values):
                    if isinstance(key, ast.Constant) and key.value == attr:
                        return v
        return None

    def held_value(self, call: ast.Call, scope: "Scope") -> Value | None:
        """The value `call` takes out of a holder (`current.get()`, `await pool.get()`), or None when its
        receiver is no holder or nothing it holds is known: what its constructor gives by default
        (`ContextVar("llm", default=Anthropic())`), what the assignment's annotation states
        (`current: ContextVar[AsyncOpenAI] = ContextVar(...)`), and what the put calls of its own module
        and of the reading module put in it (`current.set(...)`), the same holder's (the same constructor call)."""
        f = call.func
        h = self._holder_of(f.value, scope)
        if h is None:
            return None
        spec = self.catalog.holders.get(h.qual)
        if spec is None or f.attr not in spec[1]:  # type: ignore[attr-defined]
            return None
        memo = self.__dict__.setdefault("_held_memo", {})
        key = (h.call, scope.module)
        got = memo.get(key)
        if got is None:
            memo[key] = Qual(h.qual, called=True)  # (a put of what a get returns: nothing more)
            got = memo[key] = self._held(h, spec[0], spec[2], scope)
        return got if useful(got) and type(got) is not Qual else None

    def _holder_of(self, e: ast.expr, scope: "Scope") -> Holder | None:
        """The holder `e` evaluates to, or the one a name or attribute is assigned whatever its annotation
        says (`current: ContextVar = ContextVar(...)`: the annotation is read first); else None."""
        v = self.infer(e, scope)  # type: ignore[attr-defined]
        if type(v) is Holder:
            return v  # type: ignore[return-value]
        if type(v) is not Qual or v.qual not in self.catalog.holders:  # type: ignore[attr-defined]
            return None  # (the usual case, `config.get(...)`: nothing more read)
        found = None
        if type(e) is ast.Name:
            d = definition(e.id, scope)  # (followed to its module when imported)
            found = (d[1], d[2]) if d is not None and d[0] == "assign" else assigned(e.id, scope)
        elif type(e) is ast.Attribute:
            found = self._attr_def(e, scope)  # type: ignore[attr-defined]
        if found is None or type(found[0]) is not ast.Call:
            return None
        v = self.infer(found[0], found[1])  # type: ignore[attr-defined]
        return v if type(v) is Holder else None

    def _held(self, h: Holder, puts: frozenset[str], default: str, scope: "Scope") -> Value:
        values: list[Value] = []
        for k in h.call.keywords:
            if default and k.arg == default:
                values.append(self.infer(k.value, h.scope))  # type: ignore[attr-defined]
        ann = _annotation_of(h.call, h.scope)
        if ann is not None and type(ann) is ast.Subscript:  # ContextVar[AsyncOpenAI]
            values.append(self._annotation(ann.slice, h.scope))  # type: ignore[attr-defined]
        modules = [h.scope.module] + ([scope.module] if scope.module is not h.scope.module else [])
        n = 0
        for info in modules:
            for method in sorted(puts):
                for owner, put, how in name_uses(info).get(method, ()):
                    if put is None or how != "attr" or not put.args or n >= MAX_PUTS:
                        continue  # (`set(items)`: the builtin, not a method)
                    other = self._holder_of(put.func.value, owner)
                    if other is not None and other.call is h.call:
                        n += 1
                        values.append(self.infer(put.args[0], owner))  # type: ignore[attr-defined]
        return join(v for v in values if useful(v))


def _annotation_of(call: ast.Call, scope: "Scope") -> ast.expr | None:
    """The annotation of the statement assigning `call` in `scope`'s block (`x: ContextVar[T] = call`)."""
    body = getattr(scope.node, "body", None)
    for st in body if isinstance(body, list) else ():  # (a lambda's body is one expression)
        if type(st) is ast.AnnAssign and st.value is call:
            return st.annotation
    return None
