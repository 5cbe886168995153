"""What a standard-library holder gives back: a context variable or a queue hands back what the program
puts in it (`current.set(AsyncOpenAI())` then `current.get().chat...`, `pool.put(OpenAI())` then
`pool.get()`), a `SimpleNamespace` the keywords it is built with (`services.llm`), a web app's session
store what its module stores under the same literal key (`st.session_state.llm = ChatOpenAI()` then
`st.session_state.llm`, `cl.user_session.set("chain", c)` then `cl.user_session.get("chain")`). The
types and their methods are catalog data (sdks.toml [passthrough] `holders`, `namespaces`,
`session_stores`); none is named here."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.resolve.frameworks import merge_runnables
from tokenlint.resolve.imports import definition
from tokenlint.resolve.scope import assigned, name_uses
from tokenlint.resolve.values import Holder, Qual, Value, first_useful, join, useful

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.scope import Scope

MAX_PUTS = 8  # put calls read per holder (a queue refilled in many places holds one kind of object)
MAX_STORED = 8  # writes read per session-store key


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

    def stored_value(self, store: Value, key: object, how: str, scope: "Scope") -> Value | None:
        """What a session store holds under `key`, read as `how` ("item": `st.session_state.llm`,
        `st.session_state["llm"]`; "get": `cl.user_session.get("llm")`): the values the reading module
        stores under that literal key (several writes, several members), or None when `store` is no
        session store, the key is not a literal or nothing stored under it is known."""
        if type(store) is not Qual or store.called or not isinstance(key, str):  # type: ignore[attr-defined]
            return None
        spec = self.catalog.session_stores.get(store.qual)  # type: ignore[attr-defined]
        if spec is None or (how == "item" and not spec[2]):
            return None
        writes = self._store_writes(scope.module, store.qual, spec).get(key, ())  # type: ignore[attr-defined]
        got = first_useful((self.infer(e, owner) for e, owner in writes[:MAX_STORED]),  # type: ignore[attr-defined]
                           merge_runnables)  # (models stored on several paths: one object holding them all)
        return got if got is not None and type(got) is not Qual else None

    def _store_writes(self, info, qual: str, spec) -> dict:  # type: ignore[no-untyped-def]
        """Key -> [(stored expression, scope)] of one session store in one module, read in one walk and
        kept: `store.key = v`, `store["key"] = v` (a store of items) and `store.put("key", v)`."""
        memo = info.__dict__.setdefault("_store_writes", {})
        got = memo.get(qual)
        if got is not None:
            return got
        got = memo[qual] = {}
        last = qual.rpartition(".")[2]
        if last not in info.source.read():
            return got  # (most modules: the store is never named)
        owners = info.func_scopes
        stack: list = [(info.tree, info.scope)]
        while stack:
            node, owner = stack.pop()
            found = None
            t = type(node)
            if (t is ast.Assign or t is ast.AnnAssign) and node.value is not None:
                for target in (node.targets if t is ast.Assign else [node.target]):
                    if spec[2] and type(target) is ast.Attribute:
                        found = (target.value, target.attr, node.value)
                    elif spec[2] and type(target) is ast.Subscript and type(target.slice) is ast.Constant:
                        found = (target.value, target.slice.value, node.value)
                    if found is not None:
                        self._add_write(got, found, qual, owner)
                        found = None
            elif t is ast.Call and type(node.func) is ast.Attribute and node.func.attr in spec[0] \
                    and len(node.args) == 2 and type(node.args[0]) is ast.Constant:
                self._add_write(got, (node.func.value, node.args[0].value, node.args[1]), qual, owner)
            inner = owners.get(node, owner)
            stack.extend((child, inner) for child in ast.iter_child_nodes(node))
        for writes in got.values():
            writes.sort(key=lambda w: (w[0].lineno, w[0].col_offset))  # in the order written: the first leads
        return got

    def _add_write(self, writes: dict, found: tuple, qual: str, owner: "Scope") -> None:
        holder, key, value = found
        if not isinstance(key, str) or type(holder) not in (ast.Attribute, ast.Name):
            return
        if type(holder) is ast.Attribute and holder.attr != qual.rpartition(".")[2]:
            return  # (`self.x = v`: no store; the walk asks only what names the store)
        v = self.infer(holder, owner)  # type: ignore[attr-defined]
        if type(v) is Qual and not v.called and v.qual == qual:  # type: ignore[attr-defined]
            writes.setdefault(key, []).append((value, owner))

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
