"""Which calls of project functions a library decorator turned into model requests: `@llm.call("openai/gpt-4o")`
(Mirascope), `@openai.call("gpt-4o-mini")` (Mirascope 1), `@marvin.fn`. The decorator's arguments choose the
model and the function's body only builds the prompt, so each call of the decorated function, or of the
request methods the decorator gives it (`recommend.stream(...)`), is the request. Decorators are catalog
data (`[[sdk.decorator]]` in sdks.toml); none is named here."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import Func, Qual

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog


class DecoratedMixin:
    """The `Resolver`'s decorated-function requests (a mixin over the catalog's `call_decorators`)."""

    catalog: "SdkCatalog"

    def _decorated_request(self, rec: CallRecord, func: Func, method: Optional[str] = None) -> Optional[CallSite]:
        """The request site of calling `func` (or its `method`, `fn.stream(...)`) when a catalogued call
        decorator wraps it; else None."""
        found = self._call_decorator(func)
        if found is None:
            return None
        decorator, (ctype, meth, methods) = found
        if method is not None and method not in methods:
            return None
        parent = func.scope.parent or func.scope
        if isinstance(decorator, ast.Call):
            model = self._model_arg(decorator, parent, meth.model, meth.model_position, None)  # type: ignore[attr-defined]
            stream = meth.stream or method == "stream" or any(
                k.arg == "stream" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in decorator.keywords)
        else:  # `@marvin.fn`: no arguments, the library's default model
            model, stream = Arg(None, "missing"), meth.stream or method == "stream"
        is_async = meth.is_async or isinstance(func.node, ast.AsyncFunctionDef)
        site = self._base(rec, ctype.provider, ctype.name, meth.api, "direct", "resolved", model,  # type: ignore[attr-defined]
                          is_async, stream, meth.spends)
        site.method = meth
        return site

    def _decorated_method_call(self, rec: CallRecord) -> Optional[CallSite]:
        """`recommend.stream("fantasy")` / `recommend.call(...)`: a request method the call decorator gives
        the function it wraps (catalog `methods`); None for any other call."""
        func = rec.node.func
        if not isinstance(func, ast.Attribute) or func.attr not in self._decorator_methods():
            return None
        target = self.infer(func.value, rec.scope)  # type: ignore[attr-defined]
        return self._decorated_request(rec, target, func.attr) if type(target) is Func else None

    def _decorator_methods(self) -> frozenset[str]:
        names = self.__dict__.get("_call_decorator_methods")
        if names is None:
            names = self.__dict__["_call_decorator_methods"] = frozenset(
                m for bucket in self.catalog.call_decorators._by_last.values()  # noqa: SLF001 - same catalog
                for _mod, (_ct, _meth, methods) in bucket for m in methods)
        return names

    def _call_decorator(self, func: Func) -> Optional[tuple[ast.expr, Any]]:
        """The decorator of `func` the catalog lists as a call decorator (its expression and entry), else
        None. Memoized per function."""
        memo = self.__dict__.setdefault("_call_decorators_memo", {})
        if func.node in memo:
            return memo[func.node]
        memo[func.node] = None
        found = None
        if func.node.decorator_list and self.catalog.call_decorators._by_last:  # noqa: SLF001 - same catalog
            parent = func.scope.parent or func.scope
            for d in func.node.decorator_list:
                v = self.infer(d.func if isinstance(d, ast.Call) else d, parent)  # type: ignore[attr-defined]
                if type(v) is Qual and not v.called:
                    entry = self.catalog.call_decorators.get(self.catalog.canonical(v.qual))
                    if entry is not None:
                        found = (d, entry)
                        break
        memo[func.node] = found
        return found
