"""Which project subclasses of a framework model type wrap another model object handed to them (a cache or
retry layer: `class CachedLLM(LLM)` with a field `llm: Any` its `_call` hands on, `cached(self.llm, ...)`),
what their objects are, and where their own code hands the wrapped model on.

Such a class makes no request of its own: built with a model object (`CachedLLM(llm=OpenAI())`), its object
stands for that model, so its calls (`llm("...")`, a chain over it) are requests of the wrapped model, and
its construction chooses nothing (the wrapped model's constructor is the binding). Inside the class, the
call a request override returns handing one of the wrapped model's internal request methods to a helper
that calls it (`return cached(self.chat._generate, messages=...)`), or the model itself when its field is
declared a model type (`llm: BaseLLM`), is the request, on a model known only by its type there (a field
declared `Any` handed on may be a local model and its tokenizer: nothing is said of it). A class whose own
methods reach a paid API is a model class of the project instead (`frameworks._project_model`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope, enclosing_class
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import ClassV, Qual, Runnable, RunnableMethod, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog


class WrappedModelMixin:
    """The `Resolver`'s reading of project model classes wrapping another model (a mixin over `infer`
    and `frameworks`)."""

    catalog: "SdkCatalog"

    def wrapped_fields(self, cls: ClassV) -> tuple[Optional[tuple[str, str]], frozenset[str]]:
        """The framework and model kind `cls` derives from (a catalog `model_types` base, through project
        bases too) and the fields it declares (`llm: Any`) that its methods call (`self.llm(...)`,
        `self.llm.invoke(...)`) or hand on to another call (`cached(self.llm, ...)`, `self.chat._generate`);
        (None, empty) for another class. Memoized per class."""
        memo = self.__dict__.setdefault("_wrapped_fields_memo", {})
        got = memo.get(cls.node)
        if got is None:
            memo[cls.node] = (None, frozenset())
            got = memo[cls.node] = self._wrapped_fields_of(cls)
        return got

    def _wrapped_fields_of(self, cls: ClassV) -> tuple[Optional[tuple[str, str]], frozenset[str]]:
        cat = self.catalog
        chain = list(self._class_chain(cls))  # type: ignore[attr-defined]
        mt = next((m for m in map(cat.model_types.get, self._library_bases(chain)) if m is not None), None)  # type: ignore[attr-defined]
        if mt is None or mt[0] not in cat.frameworks:
            return None, frozenset()
        declared = {st.target.id for c in chain for st in c.node.body
                    if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name)}
        requests = self.framework_request_names(internal=True)  # type: ignore[attr-defined]
        used: set[str] = set()
        for c in chain:
            for n in ast.walk(c.node):
                if type(n) is not ast.Call:
                    continue
                for e in (n.func, *n.args, *(k.value for k in n.keywords)):
                    name = _self_field(e, requests, called=e is n.func)
                    if name in declared:
                        used.add(name)
        return (mt[0], mt[1]), frozenset(used)

    def wrapped_model(self, cls: ClassV, call: ast.Call, scope: Scope) -> Optional[Value]:
        """The model object a construction of `cls` hands to a field the class wraps (`CachedLLM(llm=
        OpenAI())`: the OpenAI model), when `cls` makes no request of its own; else None."""
        kind, fields = self.wrapped_fields(cls)
        if kind is None or not fields:
            return None
        for k in call.keywords:
            if k.arg in fields:
                v = self.infer(k.value, scope)  # type: ignore[attr-defined]
                if type(v) is Runnable and v.models:
                    return v
        return None

    def _handed_wrapped(self, rec: CallRecord) -> Optional[CallSite]:
        """Inside a class wrapping a model, a call handing the wrapped model (`self.llm`) or one of its
        request methods (`self.chat._generate`) to another callable: the wrapped model's request, on a
        model of the field's framework known by its type only (its callers' constructions choose it)."""
        cs = enclosing_class(rec.scope)
        if cs is None or not isinstance(cs.node, ast.ClassDef) or not self._returned_by_request(rec):
            return None
        kind, fields = self.wrapped_fields(ClassV(cs.node, cs))
        if kind is None or not fields:
            return None
        fw = self.catalog.frameworks[kind[0]]
        cls = ClassV(cs.node, cs)
        for e in (*rec.node.args, *(k.value for k in rec.node.keywords)):
            field = _self_field(e, fw.internal_requests, called=False)
            if field not in fields or not isinstance(e, ast.Attribute):
                continue
            if isinstance(e.value, ast.Attribute):
                name = e.attr  # `self.chat._generate`: a framework model's own internal request method
            elif self._declared_model(cls, field):  # type: ignore[arg-type]
                name = "__call__"  # `self.llm` declared a model type: the model itself, called by the helper
            else:
                continue  # `generate(self.model, self.tokenizer, prompt)` of a local model: nothing known
            held = Runnable(kind[0], kind[1], kind[0], inferred=True)
            return self._framework_site(rec, RunnableMethod(held, name))  # type: ignore[attr-defined]
        return None

    def _declared_model(self, cls: ClassV, field: str) -> bool:
        """Whether `cls` (or a project base) declares `field` with a framework model type (`llm: BaseLLM`,
        `Optional[BaseChatModel]`)."""
        cat = self.catalog
        for c in self._class_chain(cls):  # type: ignore[attr-defined]
            for st in c.node.body:
                if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.target.id == field:
                    ann = st.annotation.slice if isinstance(st.annotation, ast.Subscript) else st.annotation
                    v = self.infer(ann, c.scope)  # type: ignore[attr-defined]
                    return isinstance(v, Qual) and cat.model_types.get(cat.canonical(v.qual)) is not None
        return False

    def _returned_by_request(self, rec: CallRecord) -> bool:
        """Whether `rec` is what an override of a framework request method returns (`def _call(...):
        return cached(self.llm, ...)`, `return await ...`): the answer the framework asked the class for."""
        fn = rec.scope.node
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or \
                fn.name not in self.framework_request_names(internal=True):  # type: ignore[attr-defined]
            return False
        memo = self.__dict__.setdefault("_request_returns_memo", {})
        returned = memo.get(fn)
        if returned is None:  # the function is walked once, not once for each of its calls
            returned = memo[fn] = _returned_calls(fn)
        return id(rec.node) in returned


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")  # where statements nest in a statement


def _returned_calls(fn: ast.AST) -> frozenset[int]:
    """The ids of the expressions `fn` returns (`return X`, and X of `return await X`)."""
    ids: set[int] = set()
    todo: list = [fn]
    while todo:  # statements only (a return is one): their bodies, branches, handlers and cases
        n = todo.pop()
        if type(n) is ast.Return and n.value is not None:
            ids.add(id(n.value))
            if type(n.value) is ast.Await:
                ids.add(id(n.value.value))
        for field in _BLOCKS:
            todo.extend(getattr(n, field, ()))
    return frozenset(ids)


def _self_field(e: ast.expr, requests: "frozenset[str] | set[str]", called: bool) -> Optional[str]:
    """`X` of `self.X`, or of `self.X.<request method>`; for a callee (`called`), of `self.X(...)` and
    `self.X.<request method>(...)`; else None."""
    if not isinstance(e, ast.Attribute):
        return None
    if isinstance(e.value, ast.Name) and e.value.id == "self":
        return e.attr
    inner = e.value
    if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name) and inner.value.id == "self" \
            and e.attr in requests:
        return inner.attr
    return None
