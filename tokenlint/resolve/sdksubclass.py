"""Which calls reach an SDK request through a project subclass of an SDK class: `super().create(...)` inside
`class ChatCompletion(openai.ChatCompletion)` (the legacy module API) or `super().generate(...)` inside a
subclass of a catalogued client class, and its callers' calls of a request method the subclass overrides
and passes on to the SDK's (`ChatCompletion.create(model=..., messages=...)` from the project module that
shadows the SDK's name): each is the SDK's request, with the caller's arguments.

An override counts at its callers only when the subclass (or a project base of it) calls a request of its
SDK base on `super()` somewhere: a subclass whose `create` answers by itself (a fake for tests, a type kept
for annotations) sends nothing. A request method the subclass does not override is the SDK's own.

Building a project subclass of a catalogued model or agent class (`class Agent(BaseAgent[Context])` over the
OpenAI Agents SDK's `Agent`) binds as the base's construction would, when its own `__init__` passes the model
on (`subclass_binds`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import ClassV, Func, Instance, Qual, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import Constructor, SdkCatalog


class SdkSubclassMixin:
    """The `Resolver`'s reading of project subclasses of SDK classes (a mixin over `infer` and `sdk`)."""

    catalog: "SdkCatalog"

    def sdk_base_request(self, cls: ClassV, attr: str) -> Value | None:
        """`<SDK base of cls>.<attr>` when that is a catalogued request method (the value a call of it has
        as callee: a resource on a client of the base class, or the module API's name), else None."""
        for qual, parent in self._sdk_bases(cls):
            if qual in self.catalog.classes:
                v = self.attribute(self._call_qual(Qual(qual), None, parent), attr, parent)  # type: ignore[attr-defined]
            elif self.catalog.module_method(qual) is not None:
                v = Qual(f"{qual}.{attr}")
            else:
                continue
            if self._request_method(v) is not None:  # type: ignore[attr-defined]
                return v
        return None

    def _sdk_bases(self, cls: ClassV) -> Iterator[tuple[str, Scope]]:
        """The canonical names of the library classes `cls` and its project bases derive from, with the
        scope their base expressions are read in."""
        for c in self._class_chain(cls):  # type: ignore[attr-defined]
            parent = c.scope.parent or c.scope
            for b in c.node.bases:
                bv = self.infer(b, parent)  # type: ignore[attr-defined]
                if isinstance(bv, Qual) and not bv.called:
                    yield self.catalog.canonical(bv.qual), parent

    def passes_to_sdk(self, cls: ClassV) -> bool:
        """Whether `cls` (or a project base of it) calls a request method of its SDK base on `super()`
        (`super().create(...)`, `super(Audio, cls).transcribe(...)`, in nested functions too). Memoized."""
        memo = self.__dict__.setdefault("_passes_to_sdk_memo", {})
        got = memo.get(cls.node)
        if got is None:
            memo[cls.node] = False  # a class reaching itself through its bases
            got = memo[cls.node] = any(
                self.sdk_base_request(cls, attr) is not None
                for c in self._class_chain(cls) for attr in _super_calls(c.node))  # type: ignore[attr-defined]
        return got

    def sdk_override_site(self, rec: CallRecord, f: Func) -> CallSite | None:
        """The site of `rec`, a call of `f`, a method of a project subclass of an SDK class overriding one
        of the base's request methods and passing requests on to the SDK (`passes_to_sdk`): the SDK's
        request, read from the caller's arguments; None otherwise."""
        owner = f.scope.parent
        if owner is None or owner.kind != "class" or not isinstance(owner.node, ast.ClassDef):
            return None
        cls = f.bound.cls if isinstance(f.bound, Instance) else ClassV(owner.node, owner)
        v = self.sdk_base_request(cls, f.node.name)
        if v is None or not self.passes_to_sdk(cls):
            return None
        found = self._request_method(v)  # type: ignore[attr-defined]
        return self._direct(rec, *found) if found is not None else None  # type: ignore[attr-defined]

    def subclass_binds(self, cls: ClassV, con: "Constructor", call: ast.Call) -> bool:
        """Whether building project class `cls`, deriving from the catalogued model or agent class of
        constructor `con` with an `__init__` of its own, by `call`, chooses a model as the base's
        construction would: the `__init__` passes a model on to the base's (`super().__init__(**kwargs)`,
        `model=model`, positional arguments reaching the model's position), and, for a class that may
        be handed a model object (an agent: `wraps_models`), the call hands it one (`Agent(model="gpt-4o",
        ...)`; built without, it is no binding, as the round 12 agent rule reads)."""
        init = next((m for c in self._class_chain(cls) for m in c.node.body  # type: ignore[attr-defined]
                     if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == "__init__"), None)
        if init is None:
            return True
        if not any(_passes_model(n, con) for n in ast.walk(init)):
            return False  # `super().__init__(name=name)`: the base's own default, whatever the call hands
        if con.wraps_models:
            return any(k.arg in con.model for k in call.keywords) or \
                (con.model_position is not None and len(call.args) > con.model_position)
        return True


def _passes_model(n: ast.AST, con: "Constructor") -> bool:
    """Whether `n` is a call of the base's `__init__` (`super().__init__(...)`, `Base.__init__(self, ...)`)
    that may hand it a model: `**kwargs`, `*args`, a model keyword, or positional arguments reaching
    the model's position."""
    if type(n) is not ast.Call or type(n.func) is not ast.Attribute or n.func.attr != "__init__":
        return False
    on_super = type(n.func.value) is ast.Call and type(n.func.value.func) is ast.Name and n.func.value.func.id == "super"
    args = n.args if on_super else n.args[1:]
    return any(k.arg is None or k.arg in con.model for k in n.keywords) or \
        any(type(a) is ast.Starred for a in args) or \
        (con.model_position is not None and len(args) > con.model_position)


def _super_calls(node: ast.ClassDef) -> set[str]:
    """The attributes a class body calls on `super()` / `super(Cls, obj)`."""
    out: set[str] = set()
    for n in ast.walk(node):
        if type(n) is ast.Call and type(n.func) is ast.Attribute and type(n.func.value) is ast.Call:
            inner = n.func.value.func
            if type(inner) is ast.Name and inner.id == "super":
                out.add(n.func.attr)
    return out
