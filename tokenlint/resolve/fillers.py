"""What a library fills a parameter or a field with when it calls the callable it is given: a FastAPI
dependency (`client=Depends(get_llm)`: what `get_llm` returns, or yields when it is a generator) and a
field's factory (`client: Any = field(default_factory=OpenAI)`, `Field(default_factory=lambda: ...)`).
The library calls are catalog data (sdks.toml [passthrough] `fillers`); none is named here."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.resolve.scope import return_values
from tokenlint.resolve.values import UNKNOWN, ClassV, Func, Qual, Value, first_useful, useful

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.scope import Scope


class FillerMixin:
    """The `Resolver`'s reading of filled parameters and fields (a mixin: it shares `infer` and the catalog)."""

    catalog: "SdkCatalog"

    def filler_call(self, e: ast.expr | None, scope: "Scope") -> bool:
        """Whether `e` (a parameter's default) is a call of a catalogued filler (`Depends(get_llm)`)."""
        if type(e) is not ast.Call:
            return False
        q = self.infer(e.func, scope)  # type: ignore[attr-defined]
        return type(q) is Qual and not q.called and self.catalog.canonical(q.qual) in self.catalog.fillers

    def filled(self, qual: str, call: ast.Call, scope: "Scope") -> Value:
        """The value filler `qual`'s `call` fills its parameter or field with: the call of the callable
        it is given (a class built, a function's return, its `yield` for a generator dependency, a
        lambda's body); UNKNOWN when it is given none."""
        pos, kw = self.catalog.fillers[qual]
        given = call.args[pos] if 0 <= pos < len(call.args) else next(
            (k.value for k in call.keywords if k.arg == kw), None)
        if given is None:
            return UNKNOWN
        if type(given) is ast.Lambda:
            return self.infer(given.body, scope.module.func_scopes.get(given, scope))  # type: ignore[attr-defined]
        f = self.infer(given, scope)  # type: ignore[attr-defined]
        if type(f) is Func:
            v = self._func_return(f, None)  # type: ignore[attr-defined]
            if not useful(v):  # `async def get_client(): async with AsyncOpenAI() as c: yield c`
                v = first_useful(self.infer(y, f.scope) for y in return_values(f.node, yields=True)) or v  # type: ignore[attr-defined]
            return v
        if (type(f) is Qual and not f.called) or type(f) is ClassV:
            built = ast.copy_location(ast.Call(func=given, args=[], keywords=[]), given)  # the library's call
            return self._called(f, built, scope)  # type: ignore[attr-defined]
        return UNKNOWN
